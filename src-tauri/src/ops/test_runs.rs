//! Test runs of a draft: simulate contacts through it (`journeys::simulate`), keep the last
//! result with the draft until the draft changes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::contact::{ConsentRecord, Contact};
use journeys::document::Journey;
use journeys::import::{self, Format, ImportWarning};
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

/// Contacts read from a file for a test run, with what the marketer should know about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AudienceFromFile {
    /// The contacts, in file order.
    pub contacts: Vec<Contact>,
    /// Their consent records (from the contacts file and the consent file, if one was picked).
    pub consents: Vec<ConsentRecord>,
    /// Where they came from, e.g. `contacts.csv and consents.csv`.
    pub source: String,
    /// Contacts without any phone number (every call to them is blocked).
    pub without_phone: u32,
    /// Contacts without a time zone (the journey's applies).
    pub without_zone: u32,
    /// What the runtime's import would report, row by row with the column: phone numbers that
    /// are not valid E.164 numbers, unknown zones (contacts file), consent records for contact
    /// points no contact has (consent file).
    pub warnings: Vec<ImportWarning>,
}

/// A picked file's name (messages name the file, not the folders it is in) and content,
/// refused when over [`MAX_FILE_BYTES`].
fn read_picked(path: &Path, what: &str) -> Result<(String, Vec<u8>, Format)> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let cannot = |e: std::io::Error| {
        OpsError::InvalidInput(format!("Cannot read the {what} file {name}: {e}"))
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(OpsError::InvalidInput(format!(
            "{name} is {} MB; a test run reads files up to {} MB.",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let body = std::fs::read(path).map_err(cannot)?;
    let format = Format::detect(&name, &body);
    Ok((name, body, format))
}

fn not_a(name: &str, what: &str, e: import::ImportError) -> OpsError {
    OpsError::InvalidInput(format!("{name} is not a {what} file: {e}"))
}

/// Read a contacts file (CSV or JSON, as the runtime imports) and optionally a consent file
/// for a test run, through the one parser in `journeys::import`, with the warnings the
/// runtime's import gives for them.
pub fn read_test_audience(contacts: &Path, consents: Option<&Path>) -> Result<AudienceFromFile> {
    let (name, body, format) = read_picked(contacts, "contacts")?;
    let (list, mut records) = import::contacts_with_consents_checked(&body, format)
        .map_err(|e| not_a(&name, "contacts", e))?;
    if list.items.is_empty() {
        return Err(OpsError::InvalidInput(format!(
            "{name} has no contacts: a header row, then one contact per line."
        )));
    }
    if list.items.len() > MAX_CONTACTS as usize {
        return Err(OpsError::InvalidInput(format!(
            "{name} has {} contacts; a test run takes at most {MAX_CONTACTS}.",
            list.items.len()
        )));
    }
    let mut source = name;
    let mut warnings = list.warnings;
    warnings.append(&mut records.warnings);
    if let Some(path) = consents {
        let (name, body, format) = read_picked(path, "consent")?;
        let known = import::known_contact_points(&list.items);
        let mut file = import::consents_checked(&body, format, &known)
            .map_err(|e| not_a(&name, "consent", e))?;
        records.items.append(&mut file.items);
        warnings.append(&mut file.warnings);
        source = format!("{source} and {name}");
    }
    let contacts = list.items;
    let count = |f: &dyn Fn(&Contact) -> bool| {
        u32::try_from(contacts.iter().filter(|c| f(c)).count()).unwrap_or(u32::MAX)
    };
    let without_phone = count(&|c| {
        [&c.mobile_phone, &c.business_phone, &c.home_phone]
            .iter()
            .all(|p| p.as_deref().is_none_or(|p| p.trim().is_empty()))
    });
    let without_zone = count(&|c| c.time_zone.as_deref().is_none_or(|z| z.trim().is_empty()));
    Ok(AudienceFromFile {
        contacts,
        consents: records.items,
        source,
        without_phone,
        without_zone,
        warnings,
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
#[path = "test_runs_tests.rs"]
mod tests;
