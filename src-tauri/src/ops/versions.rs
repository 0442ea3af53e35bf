//! The versions panel and the header's status: every published version of a journey with its
//! state, computer and contacts (kept in the app's SQLite, so the panel still shows them, with
//! when they were seen, while the runtime cannot be reached); pause / resume / stop of the
//! version chosen; any version opened read-only with its own counts. Every word the header and
//! the panel show about a version is decided here, not in the UI.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::Journey;
use runtime::storage::{VersionAction, VersionSummary, content_hash};

use super::compare::laid_out_like_draft;
use super::publish::LiveAction;
use super::runtime::{LiveCounts, RuntimeClient};
use super::{Db, OpsError, Result};
use crate::storage::{CachedVersions, LiveVersion, StorageError};

/// This computer's name (its host name), sent with a publish.
pub fn this_computer() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// One published version as the panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VersionRow {
    /// 1, 2, 3…
    pub number: i64,
    /// `scheduled`, `live`, `paused`, `completing`, `completed` or `stopped`.
    pub state: String,
    /// The state in words ("Scheduled", "Completing"…).
    pub state_words: String,
    /// When it was published, on the journey's clock ("Fri 5 Dec 09:12 CST").
    pub published: String,
    /// The computer it was published from; none for versions from before the runtime kept it.
    pub published_from: Option<String>,
    /// Contacts on it now.
    pub in_flight: i64,
    /// Contacts that reached an end.
    pub finished: i64,
    /// Contacts that left when it was stopped.
    pub stopped: i64,
    /// What the marketer may do to it now.
    pub actions: Vec<LiveAction>,
    /// The confirmation a stop asks first ("Stop v1? Its 20 waiting contacts leave the journey.").
    pub stop_question: String,
}

/// The header's status of a journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JourneyStatus {
    /// `draft`, or the current version's state.
    pub state: String,
    /// "Draft", "Scheduled · starts Mon 8 Dec 09:00 CST", "Live · v2 · unpublished changes"…
    pub text: String,
    /// The draft's content differs from the current version's.
    pub unpublished_changes: bool,
    /// Contacts still on older versions ("20 contacts still on v1"), if any.
    pub older_in_flight: Option<String>,
}

/// The versions panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VersionsView {
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// The header's status.
    pub status: JourneyStatus,
    /// Set when the runtime could not be reached: "last seen Fri 5 Dec 09:12 CST" (or that
    /// none were ever seen) — the versions are the ones kept then.
    pub last_seen: Option<String>,
    /// Why the runtime could not be reached; actions cannot be taken meanwhile.
    pub unreachable: Option<String>,
}

/// A version opened read-only on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VersionOnCanvas {
    /// The version's number.
    pub number: i64,
    /// The journey it published.
    pub journey: Journey,
    /// Its own counts.
    pub counts: LiveCounts,
}

fn zone(journey: &Journey) -> Tz {
    journey.time_zone.parse().unwrap_or(Tz::UTC)
}

/// "Mon 8 Dec 09:00 CST": an instant on the journey's clock.
fn when(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %-d %b %H:%M %Z")
        .to_string()
}

fn state_words(state: &str) -> &str {
    match state {
        "scheduled" => "Scheduled",
        "live" => "Live",
        "paused" => "Paused",
        "completing" => "Completing",
        "completed" => "Completed",
        "stopped" => "Stopped",
        other => other,
    }
}

fn contacts(n: i64) -> String {
    if n == 1 {
        "1 contact".into()
    } else {
        format!("{n} contacts")
    }
}

fn row(summary: &VersionSummary, zone: Tz) -> VersionRow {
    let actions = match summary.state.as_str() {
        "scheduled" | "live" => vec![LiveAction::Pause, LiveAction::Stop],
        "paused" => vec![LiveAction::Resume, LiveAction::Stop],
        "completing" => vec![LiveAction::Stop],
        _ => Vec::new(),
    };
    let v = summary.number;
    let stop_question = match summary.in_flight {
        0 => format!("Stop v{v}? No contact is on it now; stopping is final."),
        1 => format!("Stop v{v}? Its 1 waiting contact leaves the journey."),
        n => format!("Stop v{v}? Its {n} waiting contacts leave the journey."),
    };
    VersionRow {
        number: v,
        state: summary.state.clone(),
        state_words: state_words(&summary.state).into(),
        published: when(summary.published_at, zone),
        published_from: summary.published_from.clone(),
        in_flight: summary.in_flight,
        finished: summary.finished,
        stopped: summary.stopped,
        actions,
        stop_question,
    }
}

/// The header's status of `draft` given its versions (oldest first).
pub fn journey_status(draft: &Journey, versions: &[VersionSummary]) -> Result<JourneyStatus> {
    let current = versions
        .iter()
        .rev()
        .find(|v| matches!(v.state.as_str(), "scheduled" | "live" | "paused"))
        .or_else(|| versions.last());
    let Some(current) = current else {
        return Ok(JourneyStatus {
            state: "draft".into(),
            text: "Draft".into(),
            unpublished_changes: false,
            older_in_flight: None,
        });
    };
    let hash = content_hash(draft).map_err(|e| OpsError::InvalidInput(e.to_string()))?;
    let unpublished_changes = hash != current.content_hash;
    let mut text = match (current.state.as_str(), current.starts_at) {
        ("scheduled", Some(at)) => {
            let zone = current.time_zone.as_deref().and_then(|z| z.parse().ok());
            format!("Scheduled · starts {}", when(at, zone.unwrap_or(Tz::UTC)))
        }
        (state, _) => format!("{} · v{}", state_words(state), current.number),
    };
    if unpublished_changes {
        text.push_str(" · unpublished changes");
    }
    let older: Vec<String> = versions
        .iter()
        .filter(|v| v.number != current.number && v.in_flight > 0)
        .map(|v| format!("v{}", v.number))
        .collect();
    let older_count: i64 = versions
        .iter()
        .filter(|v| v.number != current.number)
        .map(|v| v.in_flight)
        .sum();
    Ok(JourneyStatus {
        state: current.state.clone(),
        text,
        unpublished_changes,
        older_in_flight: (older_count > 0)
            .then(|| format!("{} still on {}", contacts(older_count), older.join(", "))),
    })
}

fn view(
    draft: &Journey,
    summaries: &[VersionSummary],
    last_seen: Option<String>,
    unreachable: Option<String>,
) -> Result<VersionsView> {
    let zone = zone(draft);
    Ok(VersionsView {
        versions: summaries.iter().rev().map(|s| row(s, zone)).collect(),
        status: journey_status(draft, summaries)?,
        last_seen,
        unreachable,
    })
}

/// The versions of the saved draft `id` on the runtime in Settings (`runtime`, or why it could
/// not be opened). Read versions are kept; when the runtime cannot be reached the ones kept
/// are shown with when they were seen.
pub fn versions_view(
    db: &Db,
    runtime: Result<&RuntimeClient>,
    target: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<VersionsView> {
    let draft = db.draft(id)?.document;
    let fresh = runtime.and_then(|r| r.version_summaries(id));
    match fresh {
        Ok(summaries) => {
            let versions = serde_json::to_string(&summaries).map_err(StorageError::from)?;
            db.save_versions(
                id,
                target,
                &CachedVersions {
                    versions,
                    seen_at: now.to_rfc3339(),
                },
            )?;
            view(&draft, &summaries, None, None)
        }
        Err(OpsError::RuntimeUnavailable(reason)) => {
            let cached = db.cached_versions(id, target)?;
            let (summaries, seen) = match cached {
                Some(c) => {
                    let summaries: Vec<VersionSummary> =
                        serde_json::from_str(&c.versions).map_err(StorageError::from)?;
                    let seen = DateTime::parse_from_rfc3339(&c.seen_at)
                        .map(|at| format!("last seen {}", when(at.to_utc(), zone(&draft))))
                        .unwrap_or_else(|_| format!("last seen {}", c.seen_at));
                    (summaries, seen)
                }
                None => (Vec::new(), "never seen from this computer".into()),
            };
            view(&draft, &summaries, Some(seen), Some(reason))
        }
        Err(other) => Err(other),
    }
}

/// Pause, resume or stop version `number` of `id`; the draft's own record of its published
/// version follows when that is the one. Answers the panel afresh.
pub fn version_action(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    number: i64,
    action: LiveAction,
    now: DateTime<Utc>,
) -> Result<VersionsView> {
    let verb = match action {
        LiveAction::Pause => "paused",
        LiveAction::Resume => "resumed",
        LiveAction::Stop => "stopped",
    };
    let runtime_action = match action {
        LiveAction::Pause => VersionAction::Pause,
        LiveAction::Resume => VersionAction::Resume,
        LiveAction::Stop => VersionAction::Stop,
    };
    let version = runtime
        .set_version_state(id, number, runtime_action)
        .map_err(|e| match e {
            OpsError::RuntimeUnavailable(reason) => OpsError::RuntimeUnavailable(format!(
                "The runtime cannot be reached, so v{number} was not {verb}: {reason}"
            )),
            other => other,
        })?;
    if let Some(live) = db.draft_summary(id)?.live
        && live.number == number
        && live.target == runtime.label()
    {
        db.set_live_version(
            id,
            &LiveVersion {
                state: version.state.as_str().to_owned(),
                ..live
            },
        )?;
    }
    versions_view(db, Ok(runtime), &runtime.label(), id, now)
}

/// Version `number` of `id` with its own counts, to show read-only on the canvas. A version
/// keeps no layout (it has no meaning), so its tiles take the draft's positions where the
/// draft has them.
pub fn open_version(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    number: i64,
) -> Result<VersionOnCanvas> {
    let document = runtime.version_document(id, number)?;
    let counts = LiveCounts::from(runtime.counts(id, number)?);
    let journey = laid_out_like_draft(db, id, document.journey)?;
    Ok(VersionOnCanvas {
        number,
        journey,
        counts,
    })
}
