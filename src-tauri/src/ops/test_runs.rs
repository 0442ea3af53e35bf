//! Test runs of a draft: simulate contacts through it (`journeys::simulate`), keep the last
//! result with the draft until the draft changes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::contact::{ConsentRecord, Contact};
use journeys::document::Journey;
use journeys::import::{self, Format};
use journeys::simulate::{
    Control, MAX_CONTACTS, OutcomeModel, Progress, SimulateError, SimulationResult, SimulationSpec,
    simulate,
};
use journeys::validate::{Severity, validate_at};

use super::catalog::current_catalog;
use super::journeys::timestamp;
use super::{Db, OpsError, Result};
use crate::storage::{StorageError, StoredTestRun};

/// Explained paths kept per run (the first contacts), so results stay small enough to store.
pub const TRACE_LIMIT: u32 = 5000;

/// The largest contacts or consent file a test run reads (the runtime's import limit).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A file the marketer picked, read as text by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    /// Its name (the format comes from it, else from the text).
    pub name: String,
    /// Its content.
    pub text: String,
}

/// Contacts read from a file for a test run, with what the marketer should know about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AudienceFromFile {
    /// The contacts, in file order.
    pub contacts: Vec<Contact>,
    /// Their consent records (from the consent file, if one was picked).
    pub consents: Vec<ConsentRecord>,
    /// Where they came from, e.g. `contacts.csv and consents.csv`.
    pub source: String,
    /// Contacts without any phone number (every call to them is blocked).
    pub without_phone: u32,
    /// Contacts without a time zone (the journey's applies).
    pub without_zone: u32,
    /// Zones given that are not IANA names (the journey's applies to those contacts), with how
    /// many contacts have each.
    pub unknown_zones: Vec<(String, u32)>,
}

fn read_picked<T>(
    file: &PickedFile,
    what: &str,
    parse: impl Fn(&[u8], Format) -> std::result::Result<T, import::ImportError>,
) -> Result<T> {
    if file.text.len() > MAX_FILE_BYTES {
        return Err(OpsError::InvalidInput(format!(
            "{} is {} MB; a test run reads files up to {} MB.",
            file.name,
            file.text.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let body = file.text.as_bytes();
    parse(body, Format::detect(&file.name, body))
        .map_err(|e| OpsError::InvalidInput(format!("{} is not a {what} file: {e}", file.name)))
}

/// Read a contacts file (CSV or JSON, as the runtime imports) and optionally a consent file
/// for a test run, through the one parser in `journeys::import`.
pub fn read_test_audience(
    contacts: &PickedFile,
    consents: Option<&PickedFile>,
) -> Result<AudienceFromFile> {
    let (list, mut records) = read_picked(contacts, "contacts", import::contacts_with_consents)?;
    if list.is_empty() {
        return Err(OpsError::InvalidInput(format!(
            "{} has no contacts: a header row, then one contact per line.",
            contacts.name
        )));
    }
    if list.len() > MAX_CONTACTS as usize {
        return Err(OpsError::InvalidInput(format!(
            "{} has {} contacts; a test run takes at most {MAX_CONTACTS}.",
            contacts.name,
            list.len()
        )));
    }
    let mut source = contacts.name.clone();
    if let Some(file) = consents {
        records.extend(read_picked(file, "consent", import::consents)?);
        source = format!("{source} and {}", file.name);
    }
    let count = |f: &dyn Fn(&Contact) -> bool| {
        u32::try_from(list.iter().filter(|c| f(c)).count()).unwrap_or(u32::MAX)
    };
    let without_phone = count(&|c| {
        [&c.mobile_phone, &c.business_phone, &c.home_phone]
            .iter()
            .all(|p| p.as_deref().is_none_or(|p| p.trim().is_empty()))
    });
    let without_zone = count(&|c| c.time_zone.as_deref().is_none_or(|z| z.trim().is_empty()));
    let mut unknown: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for c in &list {
        if let Some(zone) = c.time_zone.as_deref().filter(|z| !z.trim().is_empty())
            && c.own_time_zone().is_none()
        {
            *unknown.entry(zone.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(AudienceFromFile {
        contacts: list,
        consents: records,
        source,
        without_phone,
        without_zone,
        unknown_zones: unknown.into_iter().collect(),
    })
}

/// A test run kept with its draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TestRun {
    /// The draft.
    pub journey_id: String,
    /// When it ran (wall clock).
    pub created_at: String,
    /// How it ran.
    pub spec: SimulationSpec,
    /// What came out.
    pub result: SimulationResult,
}

fn encode<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| OpsError::Storage(StorageError::Encode(e)))
}

/// Cancel switches of test runs, by the ticket the designer gives each run. A Cancel names
/// its run, so one that arrives before its run has started still stops it, and a late one can
/// never stop the next run.
#[derive(Debug, Default)]
pub struct RunCancels {
    runs: Mutex<HashMap<u32, Entry>>,
}

#[derive(Debug, Default)]
struct Entry {
    cancel: Arc<AtomicBool>,
    running: bool,
}

impl RunCancels {
    fn runs(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Entry>> {
        self.runs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `ticket` starts: its switch (already on when its Cancel came first). Switches of
    /// other tickets not running are dropped: the designer runs one at a time.
    pub fn begin(&self, ticket: u32) -> Arc<AtomicBool> {
        let mut runs = self.runs();
        runs.retain(|&t, e| t == ticket || e.running);
        let entry = runs.entry(ticket).or_default();
        entry.running = true;
        entry.cancel.clone()
    }

    /// Cancel run `ticket`, running or about to.
    pub fn cancel(&self, ticket: u32) {
        self.runs()
            .entry(ticket)
            .or_default()
            .cancel
            .store(true, Ordering::Relaxed);
    }

    /// Run `ticket` ended.
    pub fn finish(&self, ticket: u32) {
        self.runs().remove(&ticket);
    }
}

/// Where a test run of `document` starting at `start` begins its outcome mixes: each
/// engagement's own codes and variables from the cached catalog
/// ([`OutcomeModel::for_journey`], as `journeys simulate` does).
pub fn default_outcomes(db: &Db, document: &Journey, start: DateTime<Utc>) -> Result<OutcomeModel> {
    Ok(OutcomeModel::for_journey(
        document,
        &current_catalog(db)?,
        start,
    ))
}

/// Run a test run of `document` (which must have no errors) and keep it with the draft.
pub fn run_test_run(
    db: &Db,
    now: DateTime<Utc>,
    document: &Journey,
    mut spec: SimulationSpec,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<TestRun> {
    let catalog = current_catalog(db)?;
    let errors = validate_at(document, &catalog, now)
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(OpsError::InvalidInput(format!(
            "Fix the journey's {errors} problem(s) before a test run."
        )));
    }
    spec.trace_limit = Some(spec.trace_limit.map_or(TRACE_LIMIT, |l| l.min(TRACE_LIMIT)));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let control = Control {
        cancel: Some(cancel),
        progress: Some(progress),
        threads,
    };
    let result = simulate(document, &catalog, &spec, &control).map_err(|e| match e {
        SimulateError::Cancelled => OpsError::Cancelled,
        other => OpsError::InvalidInput(other.to_string()),
    })?;
    let run = TestRun {
        journey_id: document.id.clone(),
        created_at: timestamp(now),
        spec,
        result,
    };
    let semantic = document
        .semantic_json()
        .map_err(|e| OpsError::Storage(StorageError::Encode(e)))?;
    db.save_test_run(
        &document.id,
        &StoredTestRun {
            document: semantic,
            spec: encode(&run.spec)?,
            result: encode(&run.result)?,
            created_at: run.created_at.clone(),
        },
    )?;
    Ok(run)
}

/// The draft's kept test run, if the draft has not changed since (moving tiles aside);
/// a stale run is forgotten.
pub fn latest_test_run(db: &Db, journey_id: &str) -> Result<Option<TestRun>> {
    let Some(stored) = db.test_run(journey_id)? else {
        return Ok(None);
    };
    let current = db
        .draft(journey_id)?
        .document
        .semantic_json()
        .map_err(|e| OpsError::Storage(StorageError::Encode(e)))?;
    let decoded = (
        serde_json::from_str::<SimulationSpec>(&stored.spec),
        serde_json::from_str::<SimulationResult>(&stored.result),
    );
    match decoded {
        (Ok(spec), Ok(result)) if current == stored.document => Ok(Some(TestRun {
            journey_id: journey_id.to_owned(),
            created_at: stored.created_at,
            spec,
            result,
        })),
        // Changed since, or written by another build: not worth keeping.
        _ => {
            db.delete_test_run(journey_id)?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use journeys::document::parse_journey;
    use journeys::simulate::{GeneratedAudience, SimulatedAudience};

    use super::*;

    fn setup() -> (tempfile::TempDir, Db, Journey, DateTime<Utc>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(dir.path()).expect("db");
        let now: DateTime<Utc> = "2026-03-10T15:00:00Z".parse().expect("instant");
        let sample = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../journeys/samples/catalog.json"
        );
        crate::ops::catalog::get_catalog(&db, std::path::Path::new(sample), now, None)
            .expect("catalog");
        let journey = parse_journey(include_str!(
            "../../../journeys/samples/renewal-calls.journey.json"
        ))
        .expect("sample");
        db.insert_draft(&journey, &timestamp(now)).expect("draft");
        (dir, db, journey, now)
    }

    fn spec(count: u32) -> SimulationSpec {
        SimulationSpec {
            audience: SimulatedAudience::Generated(GeneratedAudience {
                count,
                ..GeneratedAudience::default()
            }),
            start: "2026-03-10T15:00:00Z".parse().expect("instant"),
            seed: 3,
            ..SimulationSpec::default()
        }
    }

    #[test]
    fn a_run_is_kept_until_the_draft_changes() {
        let (_dir, db, mut journey, now) = setup();
        let cancel = AtomicBool::new(false);
        let run = run_test_run(&db, now, &journey, spec(300), &cancel, &|_| {}).expect("runs");
        assert_eq!(run.result.tiles["start"].entered, 300);
        assert_eq!(latest_test_run(&db, &journey.id).expect("reads"), Some(run));
        // Moving tiles keeps it; any other edit does not.
        journey.layout.positions.clear();
        db.save_draft(&journey, &timestamp(now)).expect("save");
        assert!(latest_test_run(&db, &journey.id).expect("reads").is_some());
        journey.connections.pop();
        db.save_draft(&journey, &timestamp(now)).expect("save");
        assert_eq!(latest_test_run(&db, &journey.id).expect("reads"), None);
        assert_eq!(db.test_run(&journey.id).expect("reads"), None);
    }

    fn picked(name: &str, text: &str) -> PickedFile {
        PickedFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn the_sample_files_are_an_audience_that_runs() {
        let (_dir, db, journey, now) = setup();
        let contacts = picked(
            "contacts.csv",
            include_str!("../../../runtime/samples/contacts.csv"),
        );
        let consents = picked(
            "consents.csv",
            include_str!("../../../runtime/samples/consents.csv"),
        );
        let audience = read_test_audience(&contacts, Some(&consents)).expect("reads");
        assert_eq!((audience.contacts.len(), audience.consents.len()), (20, 29));
        assert_eq!(audience.source, "contacts.csv and consents.csv");
        assert_eq!((audience.without_phone, audience.without_zone), (1, 0));
        assert!(audience.unknown_zones.is_empty());
        let mut explicit = spec(0);
        explicit.audience = SimulatedAudience::Explicit {
            contacts: audience.contacts,
            consents: audience.consents,
            source: Some(audience.source),
        };
        let cancel = AtomicBool::new(false);
        let run = run_test_run(&db, now, &journey, explicit, &cancel, &|_| {}).expect("runs");
        assert_eq!(run.result.contacts, 20);
        let c04 = run
            .result
            .traces
            .iter()
            .find(|t| t.contact_id == "c04")
            .expect("c04 traced");
        assert_eq!(c04.time_zone, "America/Los_Angeles");
        // Kept with the draft, audience and all, for "Run again".
        let kept = latest_test_run(&db, &journey.id)
            .expect("reads")
            .expect("kept");
        assert!(matches!(
            kept.spec.audience,
            SimulatedAudience::Explicit { ref contacts, .. } if contacts.len() == 20
        ));
    }

    #[test]
    fn a_bad_file_is_refused_with_its_name_line_and_column() {
        let error = |contacts: &PickedFile, consents: Option<&PickedFile>| match read_test_audience(
            contacts, consents,
        ) {
            Err(OpsError::InvalidInput(message)) => message,
            other => panic!("expected a message, got {other:?}"),
        };
        assert_eq!(
            error(
                &picked("people.csv", "id,timeZone\nc1,America/Chicago\n,Central\n"),
                None
            ),
            "people.csv is not a contacts file: line 3, column id: empty; every contact needs an id"
        );
        assert_eq!(
            error(&picked("people.csv", "id,timeZone\n"), None),
            "people.csv has no contacts: a header row, then one contact per line."
        );
        let good = picked(
            "people.csv",
            "id,timeZone,mobilePhone\nc1,Central,\nc2,,+13125550100\n",
        );
        assert_eq!(
            error(
                &good,
                Some(&picked(
                    "opt-ins.csv",
                    "contactPoint,channel,scope,scopeId,status,updatedAt\n+1312,voice,purpose,p,yes,2026-01-01T00:00:00Z\n"
                ))
            ),
            "opt-ins.csv is not a consent file: line 2, column status: yes is not one of optedIn, optedOut or notSet"
        );
        assert!(
            error(&picked("people.json", "[{\"id\": 3}]"), None)
                .starts_with("people.json is not a contacts file: line 1, column ")
        );
        let read = read_test_audience(&good, None).expect("reads");
        assert_eq!((read.without_phone, read.without_zone), (1, 1));
        assert_eq!(read.unknown_zones, [("Central".to_owned(), 1)]);
    }

    #[test]
    fn default_outcomes_come_from_the_cached_catalog() {
        let (_dir, db, journey, now) = setup();
        let model = default_outcomes(&db, &journey, now).expect("defaults");
        let mix = &model.engagements["eng-renewals-voice"];
        assert!(
            mix.disposition_codes
                .iter()
                .any(|w| w.value.as_deref() == Some("Renewed"))
        );
        assert!(mix.variables.contains_key("RenewalQuote"));
    }

    #[test]
    fn a_cancel_stops_its_own_run_even_before_it_starts_and_never_the_next() {
        let cancels = RunCancels::default();
        cancels.cancel(7);
        assert!(
            cancels.begin(7).load(Ordering::Relaxed),
            "the early Cancel counts"
        );
        cancels.finish(7);
        let running = cancels.begin(8);
        cancels.cancel(7); // a late click for the run that ended
        assert!(!running.load(Ordering::Relaxed));
        cancels.cancel(8);
        assert!(running.load(Ordering::Relaxed));
        cancels.finish(8);
        assert!(
            !cancels.begin(9).load(Ordering::Relaxed),
            "stale switches are dropped"
        );
        assert_eq!(cancels.runs().len(), 1);
    }

    #[test]
    fn cancel_and_invalid_drafts_are_refused() {
        let (_dir, db, mut journey, now) = setup();
        let cancel = AtomicBool::new(true);
        let refused = run_test_run(&db, now, &journey, spec(1000), &cancel, &|_| {});
        assert!(matches!(refused, Err(OpsError::Cancelled)), "{refused:?}");
        cancel.store(false, Ordering::Relaxed);
        journey.time_zone = "Mars/Olympus_Mons".into();
        let refused = run_test_run(&db, now, &journey, spec(10), &cancel, &|_| {});
        assert!(
            matches!(refused, Err(OpsError::InvalidInput(_))),
            "{refused:?}"
        );
        assert_eq!(db.test_run(&journey.id).expect("reads"), None);
    }
}
