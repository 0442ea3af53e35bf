//! Tauri commands: state and a DTO in, one op called, its error mapped. Nothing else.
//!
//! Every command that touches SQLite, the runtime, a file or validation is `async` and runs its
//! op on a blocking worker ([`blocking`]): Tauri runs plain `fn` commands on the UI thread, and
//! the window would stop drawing while they ran. Only `cancel_test_run` (one atomic store) is
//! a plain `fn`.

mod files;
mod review;

pub use files::*;
pub use review::*;

use std::path::{Path, PathBuf};

use chrono::Utc;
use tauri::{AppHandle, Manager};

use journeys::conditions::VariableChoice;
use journeys::document::Journey;
use journeys::validate::Diagnostic;

use crate::AppState;
use crate::error::AppError;
use crate::ops::catalog::{CatalogState, RUNTIME_SOURCE};
use crate::ops::journeys::OpenedJourney;
use crate::ops::lookups::QuietTimeSummary;
use crate::ops::publish::{ImportSummary, LiveAction, PublishOutcome};
use crate::ops::runtime::{LiveCounts, RuntimeClient, RuntimeTarget};
use crate::ops::test_runs::{AudienceFromFile, TestRun};
use crate::ops::{self};
use crate::storage::DraftSummary;

pub mod clipboard;
pub use clipboard::parse_fragment;

type Result<T> = std::result::Result<T, AppError>;

pub mod appearance;
pub mod insight;
pub mod versions;

/// Every journey, most recently edited first.
#[tauri::command]
#[specta::specta]
pub async fn list_journeys(app: AppHandle) -> Result<Vec<DraftSummary>> {
    blocking(app, |state| Ok(ops::journeys::list_journeys(state.db()?)?)).await
}

/// Create a journey with its start tile.
#[tauri::command]
#[specta::specta]
pub async fn create_journey(
    app: AppHandle,
    name: String,
    time_zone: String,
) -> Result<OpenedJourney> {
    let id = uuid::Uuid::new_v4().to_string();
    blocking(app, move |state| {
        Ok(ops::journeys::create_journey(
            state.db()?,
            Utc::now(),
            id,
            &name,
            &time_zone,
        )?)
    })
    .await
}

/// Create a journey from the sample the app ships (the journey list's "Open a sample").
#[tauri::command]
#[specta::specta]
pub async fn create_sample_journey(app: AppHandle) -> Result<OpenedJourney> {
    blocking(app, |state| {
        let id = uuid::Uuid::new_v4().to_string();
        Ok(ops::journeys::create_sample_journey(
            state.db()?,
            Utc::now(),
            id,
        )?)
    })
    .await
}

/// Open a journey for editing.
#[tauri::command]
#[specta::specta]
pub async fn open_journey(app: AppHandle, id: String) -> Result<OpenedJourney> {
    blocking(app, move |state| {
        Ok(ops::journeys::open_journey(state.db()?, &id)?)
    })
    .await
}

/// Autosave the document.
#[tauri::command]
#[specta::specta]
pub async fn save_draft(app: AppHandle, document: Journey) -> Result<DraftSummary> {
    blocking(app, move |state| {
        Ok(ops::journeys::save_draft(
            state.db()?,
            Utc::now(),
            &document,
        )?)
    })
    .await
}

/// Save the draft from the copy `validate_edit` keeps at `revision` (the document on screen),
/// so autosave sends nothing; `null` when that revision is no longer kept (send it whole with
/// `save_draft`).
#[tauri::command]
#[specta::specta]
pub async fn save_open_draft(
    app: AppHandle,
    id: String,
    revision: u32,
) -> Result<Option<DraftSummary>> {
    blocking(app, move |state| {
        let Some(document) = state.open_documents.kept(&id, revision) else {
            return Ok(None);
        };
        Ok(Some(ops::journeys::save_draft(
            state.db()?,
            Utc::now(),
            &document,
        )?))
    })
    .await
}

/// Rename a journey.
#[tauri::command]
#[specta::specta]
pub async fn rename_journey(app: AppHandle, id: String, name: String) -> Result<DraftSummary> {
    blocking(app, move |state| {
        Ok(ops::journeys::rename_journey(
            state.db()?,
            Utc::now(),
            &id,
            &name,
        )?)
    })
    .await
}

/// Copy a journey.
#[tauri::command]
#[specta::specta]
pub async fn duplicate_journey(app: AppHandle, id: String) -> Result<DraftSummary> {
    let new_id = uuid::Uuid::new_v4().to_string();
    blocking(app, move |state| {
        Ok(ops::journeys::duplicate_journey(
            state.db()?,
            Utc::now(),
            &id,
            new_id,
        )?)
    })
    .await
}

/// Delete a journey.
#[tauri::command]
#[specta::specta]
pub async fn delete_journey(app: AppHandle, id: String) -> Result<()> {
    blocking(app, move |state| {
        Ok(ops::journeys::delete_journey(state.db()?, &id)?)
    })
    .await
}

/// Every problem of the journey.
#[tauri::command]
#[specta::specta]
pub async fn validate_journey(app: AppHandle, document: Journey) -> Result<Vec<Diagnostic>> {
    blocking(app, move |state| {
        Ok(ops::lookups::validate_journey(
            state.db()?,
            Utc::now(),
            &document,
        )?)
    })
    .await
}

/// Validate an edit: the journey whole, or a patch of the copy kept since the last call
/// (`null`: send it whole). What the canvas's badges come from while editing.
#[tauri::command]
#[specta::specta]
pub async fn validate_edit(
    app: AppHandle,
    edit: ops::open_documents::ValidationEdit,
) -> Result<Option<ops::open_documents::ValidatedRevision>> {
    blocking(app, move |state| {
        Ok(state
            .open_documents
            .validate(state.db()?, Utc::now(), edit)?)
    })
    .await
}

/// Run `f` with the state on a blocking worker thread (SQLite, HTTP to a remote runtime), so
/// neither the UI thread nor the async runtime waits on IO.
pub(crate) async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| AppError::Internal(format!("a background task failed: {e}")))?
}

/// Where the catalog comes from when none was chosen: the runtime, else the file.
fn catalog_default(state: &AppState) -> (PathBuf, Option<RuntimeClient>) {
    match state.runtime() {
        Ok(runtime) => (PathBuf::from(RUNTIME_SOURCE), Some(runtime)),
        Err(_) => (state.default_catalog.clone(), None),
    }
}

/// The cached catalog (filled from the source when empty).
#[tauri::command]
#[specta::specta]
pub async fn get_catalog(app: AppHandle) -> Result<CatalogState> {
    blocking(app, |state| {
        let (default, runtime) = catalog_default(state);
        Ok(ops::catalog::get_catalog(
            state.db()?,
            &default,
            Utc::now(),
            runtime.as_ref(),
        )?)
    })
    .await
}

/// Re-read the catalog source (the runtime, or a file) into the cache.
#[tauri::command]
#[specta::specta]
pub async fn refresh_catalog(app: AppHandle) -> Result<CatalogState> {
    blocking(app, |state| {
        let (default, runtime) = catalog_default(state);
        Ok(ops::catalog::refresh_catalog(
            state.db()?,
            &default,
            Utc::now(),
            runtime.as_ref(),
        )?)
    })
    .await
}

/// Choose the catalog source: a file path, or `runtime`.
#[tauri::command]
#[specta::specta]
pub async fn set_catalog_source(app: AppHandle, path: String) -> Result<CatalogState> {
    blocking(app, move |state| {
        let (default, runtime) = catalog_default(state);
        Ok(ops::catalog::set_catalog_source(
            state.db()?,
            &default,
            Utc::now(),
            &path,
            runtime.as_ref(),
        )?)
    })
    .await
}

/// Variables, operators and values for an attribute-branch tile's conditions.
#[tauri::command]
#[specta::specta]
pub async fn condition_variables(
    app: AppHandle,
    document: Journey,
    tile_id: String,
) -> Result<Vec<VariableChoice>> {
    blocking(app, move |state| {
        Ok(ops::lookups::condition_variables(
            state.db()?,
            &document,
            &tile_id,
        )?)
    })
    .await
}

/// The effective quiet time of a voice tile.
#[tauri::command]
#[specta::specta]
pub async fn quiet_time_summary(
    app: AppHandle,
    document: Journey,
    tile_id: String,
) -> Result<QuietTimeSummary> {
    blocking(app, move |state| {
        Ok(ops::lookups::quiet_time_summary(
            state.db()?,
            &document,
            &tile_id,
        )?)
    })
    .await
}

/// Every IANA time zone.
#[tauri::command]
#[specta::specta]
pub async fn list_time_zones() -> Vec<String> {
    ops::lookups::time_zones()
}

/// Where journeys are published.
#[tauri::command]
#[specta::specta]
pub async fn runtime_target(app: AppHandle) -> Result<RuntimeTarget> {
    blocking(app, |state| Ok(ops::runtime::runtime_target(state.db()?)?)).await
}

/// Publish to the embedded runtime or to a remote one.
#[tauri::command]
#[specta::specta]
pub async fn set_runtime_target(app: AppHandle, target: RuntimeTarget) -> Result<RuntimeTarget> {
    blocking(app, move |state| {
        Ok(ops::runtime::set_runtime_target(state.db()?, target)?)
    })
    .await
}

/// Validate and publish the saved draft; the draft records the live version.
#[tauri::command]
#[specta::specta]
pub async fn publish_journey(app: AppHandle, id: String) -> Result<PublishOutcome> {
    blocking(app, move |state| {
        Ok(ops::publish::publish_journey(
            state.db()?,
            &state.runtime()?,
            &id,
            &ops::versions::this_computer(),
        )?)
    })
    .await
}

/// Pause, resume or stop the journey's published version; the draft records its new state.
#[tauri::command]
#[specta::specta]
pub async fn change_live_state(
    app: AppHandle,
    id: String,
    action: LiveAction,
) -> Result<DraftSummary> {
    blocking(app, move |state| {
        Ok(ops::publish::change_live_state(
            state.db()?,
            &state.runtime()?,
            &id,
            action,
        )?)
    })
    .await
}

/// Per-tile counts of the journey's live version (`null` when not published).
#[tauri::command]
#[specta::specta]
pub async fn live_counts(app: AppHandle, id: String) -> Result<Option<LiveCounts>> {
    blocking(app, move |state| {
        Ok(ops::publish::live_counts(
            state.db()?,
            &state.runtime()?,
            &id,
        )?)
    })
    .await
}

/// Import a contacts file and/or a consent file into the runtime.
#[tauri::command]
#[specta::specta]
pub async fn import_contacts(
    app: AppHandle,
    contacts_path: Option<String>,
    consents_path: Option<String>,
    segment: Option<String>,
) -> Result<ImportSummary> {
    blocking(app, move |state| {
        let runtime = state.runtime()?;
        let summary = ops::publish::import_contacts(
            &runtime,
            contacts_path.as_deref(),
            consents_path.as_deref(),
            segment.as_deref(),
        )?;
        // Kept as the publish review's audience for drafts without a test run.
        ops::imported::remember_import(
            state.db()?,
            &runtime.label(),
            contacts_path.as_deref(),
            consents_path.as_deref(),
        )?;
        if segment.is_some() {
            // The import may have made a segment: refresh the cached lists so the start
            // tile's lookup offers it. Should the refresh fail, the import still stands and
            // the older lists only make an unknown segment a warning once they are stale.
            let (default, runtime) = catalog_default(state);
            let _ =
                ops::catalog::refresh_catalog(state.db()?, &default, Utc::now(), runtime.as_ref());
        }
        Ok(summary)
    })
    .await
}

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
