//! The test run: run it on a worker thread with progress, cancel it, its outcome mixes, the
//! last one kept with the draft, and an audience read from files.

use std::path::Path;

use chrono::Utc;
use tauri::{AppHandle, Manager};

use journeys::document::Journey;

use super::{Result, blocking};
use crate::AppState;
use crate::error::AppError;
use crate::ops::test_runs::{AudienceFromFile, TestRun};
use crate::ops::{self};

/// How far the running test run is (emitted about once per percent).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct TestRunProgress {
    /// The draft.
    pub journey_id: String,
    /// Contacts finished.
    pub done: u32,
    /// Contacts in all.
    pub total: u32,
}

/// Test-run the draft on a worker thread, emitting [`TestRunProgress`]; the result is kept
/// with the draft. `ticket` names the run for [`cancel_test_run`]; the UI runs one at a time.
#[tauri::command]
#[specta::specta]
pub async fn run_test_run(
    app: tauri::AppHandle,
    document: Journey,
    spec: journeys::simulate::SimulationSpec,
    ticket: u32,
) -> Result<TestRun> {
    use std::sync::atomic::{AtomicU32, Ordering};
    use tauri::Manager as _;
    use tauri_specta::Event as _;
    let worker = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = worker.state::<AppState>();
        let cancel = state.test_run_cancels.begin(ticket);
        /// Ends the run's ticket however the run ends.
        struct Finish<'a>(&'a ops::test_runs::RunCancels, u32);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                self.0.finish(self.1);
            }
        }
        let _finish = Finish(&state.test_run_cancels, ticket);
        let last_percent = AtomicU32::new(u32::MAX);
        let journey_id = document.id.clone();
        let progress = |p: journeys::simulate::Progress| {
            let percent = (u64::from(p.done) * 100 / u64::from(p.total.max(1))) as u32;
            if last_percent.swap(percent, Ordering::Relaxed) != percent {
                // A lost progress event only delays the bar.
                let _ = TestRunProgress {
                    journey_id: journey_id.clone(),
                    done: p.done,
                    total: p.total,
                }
                .emit(&worker);
            }
        };
        Ok(ops::test_runs::run_test_run(
            state.db()?,
            Utc::now(),
            &document,
            spec,
            &cancel,
            &progress,
        )?)
    })
    .await
    .map_err(|e| AppError::Internal(format!("the test run stopped: {e}")))?
}

/// The outcome mixes a test run of `document` starts from, for a run entering at `start`.
#[tauri::command]
#[specta::specta]
pub async fn default_test_run_outcomes(
    app: AppHandle,
    document: Journey,
    start: chrono::DateTime<Utc>,
) -> Result<journeys::simulate::OutcomeModel> {
    blocking(app, move |state| {
        Ok(ops::test_runs::default_outcomes(
            state.db()?,
            &document,
            start,
        )?)
    })
    .await
}

/// Stop test run `ticket`, running or about to start; it answers `cancelled`. Only flips a
/// flag, but runs off the UI thread like every other command.
#[tauri::command]
#[specta::specta]
pub async fn cancel_test_run(app: AppHandle, ticket: u32) {
    app.state::<AppState>().test_run_cancels.cancel(ticket);
}

/// The draft's kept test run, unless the draft changed since.
#[tauri::command]
#[specta::specta]
pub async fn latest_test_run(app: AppHandle, journey_id: String) -> Result<Option<TestRun>> {
    blocking(app, move |state| {
        Ok(ops::test_runs::latest_test_run(state.db()?, &journey_id)?)
    })
    .await
}

/// Read a contacts file, and optionally a consent file (paths the native dialog picked), as a
/// test run's audience, with the warnings the runtime's import would give.
#[tauri::command]
#[specta::specta]
pub async fn read_test_audience(
    app: AppHandle,
    contacts_path: String,
    consents_path: Option<String>,
) -> Result<AudienceFromFile> {
    blocking(app, move |_| {
        Ok(ops::test_runs::read_test_audience(
            Path::new(&contacts_path),
            consents_path.as_deref().map(Path::new),
        )?)
    })
    .await
}
