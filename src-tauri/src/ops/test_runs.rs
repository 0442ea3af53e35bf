//! Test runs of a draft: simulate contacts through it (`journeys::simulate`), keep the last
//! result with the draft until the draft changes.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::Journey;
use journeys::simulate::{
    Control, Progress, SimulateError, SimulationResult, SimulationSpec, simulate,
};
use journeys::validate::{Severity, validate_at};

use super::catalog::current_catalog;
use super::journeys::timestamp;
use super::{Db, OpsError, Result};
use crate::storage::{StorageError, StoredTestRun};

/// Explained paths kept per run (the first contacts), so results stay small enough to store.
pub const TRACE_LIMIT: u32 = 5000;

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
