//! The publish review: before publishing over a live or paused version, what changes, what
//! happens to contacts in flight, what the runtime would refuse, whether someone published
//! from another computer, and the compliance impact (the forecast of the current version and
//! the draft over the same contacts). Then the publish itself, guarded against overwriting a
//! version published elsewhere and against double clicks.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::catalog::Catalog;
use journeys::diff::JourneyDiff;
use journeys::document::Journey;
use journeys::lifecycle::{Current, PublishPlan, VersionState, plan_publish};
use journeys::simulate::{
    Control, GeneratedAudience, MAX_CONTACTS, OutcomeModel, SimulatedAudience, SimulationSpec,
    TileForecast, simulate,
};
use runtime::storage::VersionInfo;

use super::catalog::current_catalog;
use super::compare::changes;
use super::imported::imported_audience;
use super::publish::{PublishOutcome, publish_journey};
use super::runtime::RuntimeClient;
use super::{Db, OpsError, Result};

/// Contacts in the generated sample when the draft has no test run.
pub const SAMPLE_CONTACTS: u32 = 1000;

/// The runtime's current (live or paused) version of a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CurrentVersion {
    /// Its number.
    pub number: i64,
    /// `live` or `paused`.
    pub state: String,
    /// Contacts still in it.
    pub in_flight: i64,
}

/// What publishing the draft would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReviewPlan {
    /// Nothing is live or paused: the publish makes the first (or a fresh) version, no review.
    FirstPublish,
    /// The current version already is the draft.
    Unchanged,
    /// Only the name differs: the current version takes it in place.
    Rename,
    /// A new version; the current one completes with the contacts already in it.
    NewVersion,
    /// The runtime would refuse it, for this reason.
    Refused {
        /// Why, in words.
        reason: String,
    },
}

/// Called / held by quiet time / blocked by reason on one voice tile, if every contact reached
/// it at the forecast's instant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CallForecast {
    /// Called at once.
    pub called: u32,
    /// Held by quiet time.
    pub held: u32,
    /// Blocked, by reason code.
    pub blocked: BTreeMap<String, u32>,
}

impl From<&TileForecast> for CallForecast {
    fn from(f: &TileForecast) -> Self {
        CallForecast {
            called: f.call_now,
            held: f.held,
            blocked: f.blocked.clone(),
        }
    }
}

/// One voice tile in the current version and the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TileImpact {
    /// The tile id.
    pub tile_id: String,
    /// Its name (the draft's, else the version's).
    pub name: String,
    /// In the current version; none when the draft adds the tile.
    pub before: Option<CallForecast>,
    /// In the draft; none when the draft removes the tile.
    pub after: Option<CallForecast>,
    /// Whether the two differ.
    pub changed: bool,
}

/// Where the forecast's contacts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ImpactAudience {
    /// The draft's last test run's audience, at that run's start.
    LastTestRun,
    /// The contacts last imported into the runtime from this app, now.
    ImportedContacts,
    /// A generated sample, now.
    GeneratedSample,
}

/// The forecast of the current version and the draft over the same contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceImpact {
    /// Which contacts.
    pub audience: ImpactAudience,
    /// How many.
    pub contacts: u32,
    /// Which contacts and when, in words.
    pub source: String,
    /// The instant every contact is taken to reach each call.
    pub at: DateTime<Utc>,
    /// Per voice tile, the draft's order first, then tiles the draft removes.
    pub tiles: Vec<TileImpact>,
}

/// Everything the marketer sees before publishing over a published journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PublishReview {
    /// The runtime's current version, if one is live or paused.
    pub current: Option<CurrentVersion>,
    /// The version this draft was last published as or restored from, on this runtime.
    pub base: Option<i64>,
    /// The current version's number when it is not the draft's base: someone published it
    /// from another computer. Publishing then needs an explicit replace.
    pub published_elsewhere: Option<i64>,
    /// What publishing would do.
    pub plan: ReviewPlan,
    /// What happens to contacts in flight, in words.
    pub in_flight: Option<String>,
    /// From the current version to the draft.
    pub diff: JourneyDiff,
    /// The compliance impact; none for a first publish.
    pub impact: Option<ComplianceImpact>,
}

fn current_of(versions: Vec<VersionInfo>) -> Option<VersionInfo> {
    versions
        .into_iter()
        .filter(|v| matches!(v.state, VersionState::Live | VersionState::Paused))
        .max_by_key(|v| v.number)
}

/// The draft's base on `runtime`: what it was last published as or restored from (a draft
/// published before bases were kept falls back to its recorded live version).
fn base_of(db: &Db, runtime: &RuntimeClient, id: &str) -> Result<Option<i64>> {
    let target = runtime.label();
    if let Some(base) = db.draft_base(id)?.filter(|b| b.target == target) {
        return Ok(Some(base.number));
    }
    Ok(db
        .draft_summary(id)?
        .live
        .filter(|l| l.target == target)
        .map(|l| l.number))
}

/// Review publishing draft `id` to `runtime` at `now`.
pub fn review_publish(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    now: DateTime<Utc>,
) -> Result<PublishReview> {
    let draft = db.draft(id)?.document;
    let base = base_of(db, runtime, id)?;
    let Some(version) = current_of(runtime.list_versions(id)?) else {
        return Ok(PublishReview {
            current: None,
            base,
            published_elsewhere: None,
            plan: ReviewPlan::FirstPublish,
            in_flight: None,
            diff: JourneyDiff::default(),
            impact: None,
        });
    };
    let live = runtime.version_document(id, version.number)?.journey;
    let in_flight = runtime
        .counts(id, version.number)?
        .runs
        .get("active")
        .copied()
        .unwrap_or(0);
    let n = version.number;
    let plan = match plan_publish(
        Some(Current {
            journey: &live,
            running: true,
        }),
        &draft,
        now,
    ) {
        Ok(PublishPlan::Unchanged) => ReviewPlan::Unchanged,
        Ok(PublishPlan::Rename) => ReviewPlan::Rename,
        Ok(PublishPlan::NewVersion) => ReviewPlan::NewVersion,
        Err(refusal) => ReviewPlan::Refused {
            reason: format!("The runtime would refuse this publish: {refusal}."),
        },
    };
    let contacts = match in_flight {
        1 => "1 contact".to_owned(),
        n => format!("{n} contacts"),
    };
    let in_flight_words = match plan {
        ReviewPlan::NewVersion if version.state == VersionState::Paused => format!(
            "v{n} is paused: publishing ends its pause, so its {contacts} go on in v{n} \
             (calls included) until they finish — stop v{n} first to end them instead; \
             new contacts enter v{}.",
            n + 1
        ),
        ReviewPlan::NewVersion => format!(
            "{contacts} in v{n} stay on v{n} until they finish; new contacts enter v{}.",
            n + 1
        ),
        ReviewPlan::Rename => format!("v{n} takes the new name in place; {contacts} carry on."),
        ReviewPlan::Unchanged => format!("Nothing changes: v{n} already is this journey."),
        ReviewPlan::FirstPublish | ReviewPlan::Refused { .. } => {
            format!("{contacts} in v{n} carry on unchanged.")
        }
    };
    let catalog = match runtime.catalog_with_segments() {
        Ok(catalog) => catalog,
        Err(_) => current_catalog(db)?,
    };
    Ok(PublishReview {
        current: Some(CurrentVersion {
            number: n,
            state: version.state.as_str().to_string(),
            in_flight,
        }),
        published_elsewhere: (base != Some(n)).then_some(n),
        base,
        plan,
        in_flight: Some(in_flight_words),
        diff: changes(db, &live, &draft)?,
        impact: Some(compliance_impact(
            db,
            &runtime.label(),
            &catalog,
            &live,
            &draft,
            now,
        )?),
    })
}

/// The spec both forecasts run: the last test run's audience, outcomes, seed and start when
/// the draft has one (kept even after edits), else the contacts last imported into `target`
/// at `now`, else a generated sample at `now`.
fn impact_spec(
    db: &Db,
    target: &str,
    draft: &Journey,
    catalog: &Catalog,
    now: DateTime<Utc>,
) -> Result<(SimulationSpec, ImpactAudience, String)> {
    let kept = db
        .test_run(&draft.id)?
        .and_then(|run| serde_json::from_str::<SimulationSpec>(&run.spec).ok());
    if let Some(mut spec) = kept {
        spec.trace_limit = Some(0);
        let source = match &spec.audience {
            SimulatedAudience::Explicit {
                source: Some(source),
                ..
            } => format!("the last test run's contacts ({source})"),
            _ => "the last test run's generated contacts".to_owned(),
        };
        return Ok((spec, ImpactAudience::LastTestRun, source));
    }
    if let Some(imported) = imported_audience(db, target)? {
        let mut contacts = imported.contacts;
        let total = contacts.len();
        contacts.truncate(MAX_CONTACTS as usize);
        let source = match (total, imported.source.is_empty()) {
            (n, _) if n > contacts.len() => format!(
                "the first {} of the {n} imported contacts ({})",
                contacts.len(),
                imported.source
            ),
            (1, true) => "the 1 imported contact".to_owned(),
            (n, true) => format!("the {n} imported contacts"),
            (1, false) => format!("the 1 imported contact ({})", imported.source),
            (n, false) => format!("the {n} imported contacts ({})", imported.source),
        };
        let spec = SimulationSpec {
            audience: SimulatedAudience::Explicit {
                contacts,
                consents: imported.consents,
                source: Some(imported.source),
            },
            outcomes: OutcomeModel::for_journey(draft, catalog, now),
            start: now,
            seed: 1,
            trace_limit: Some(0),
        };
        return Ok((spec, ImpactAudience::ImportedContacts, source));
    }
    let spec = SimulationSpec {
        audience: SimulatedAudience::Generated(GeneratedAudience {
            count: SAMPLE_CONTACTS,
            ..GeneratedAudience::default()
        }),
        outcomes: OutcomeModel::for_journey(draft, catalog, now),
        start: now,
        seed: 1,
        trace_limit: Some(0),
    };
    Ok((
        spec,
        ImpactAudience::GeneratedSample,
        format!(
            "a generated sample of {SAMPLE_CONTACTS} contacts (no test run, no imported contacts)"
        ),
    ))
}

/// The forecast of `old` and `new` over the same contacts, per voice tile.
pub fn compliance_impact(
    db: &Db,
    target: &str,
    catalog: &Catalog,
    old: &Journey,
    new: &Journey,
    now: DateTime<Utc>,
) -> Result<ComplianceImpact> {
    let (spec, audience, source) = impact_spec(db, target, new, catalog, now)?;
    let control = Control {
        threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        ..Control::default()
    };
    let run = |journey: &Journey| {
        simulate(journey, catalog, &spec, &control)
            .map_err(|e| OpsError::InvalidInput(format!("The forecast failed: {e}")))
    };
    let (before, after) = (run(old)?, run(new)?);
    let mut tiles: Vec<TileImpact> = after
        .forecast
        .iter()
        .map(|f| {
            let old = before.forecast.iter().find(|b| b.tile == f.tile);
            let (before, after) = (old.map(CallForecast::from), Some(CallForecast::from(f)));
            TileImpact {
                tile_id: f.tile.clone(),
                name: f.name.clone(),
                changed: before != after,
                before,
                after,
            }
        })
        .collect();
    for f in &before.forecast {
        if !after.forecast.iter().any(|a| a.tile == f.tile) {
            tiles.push(TileImpact {
                tile_id: f.tile.clone(),
                name: f.name.clone(),
                before: Some(CallForecast::from(f)),
                after: None,
                changed: true,
            });
        }
    }
    Ok(ComplianceImpact {
        audience,
        contacts: after.contacts,
        source,
        at: spec.start,
        tiles,
    })
}

/// One publish at a time in this app: a double click publishes once (the second sees the
/// first's version as the draft's base and the runtime answers it as a retry).
static PUBLISHING: Mutex<()> = Mutex::new(());

/// Publish draft `id` after its review. When the runtime's current version is not the draft's
/// base (published from another computer), the marketer must have chosen to replace exactly
/// that version (`replace`); otherwise nothing is sent.
pub fn publish_reviewed(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    replace: Option<i64>,
) -> Result<PublishOutcome> {
    let _one = PUBLISHING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(current) = current_of(runtime.list_versions(id)?) {
        let n = current.number;
        if base_of(db, runtime, id)? != Some(n) && replace != Some(n) {
            return Err(OpsError::InvalidInput(format!(
                "v{n} was published from another computer since this draft was published or \
                 restored; review it, then choose \"Replace v{n} published elsewhere\"."
            )));
        }
    }
    publish_journey(db, runtime, id, &super::versions::this_computer())
}
