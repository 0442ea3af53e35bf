//! Tauri commands: state and a DTO in, one op called, its error mapped. Nothing else.
//!
//! Every command that touches SQLite, the runtime, a file or validation is `async` and runs its
//! op on a blocking worker ([`blocking`]): Tauri runs plain `fn` commands on the UI thread, and
//! the window would stop drawing while they ran; there is no plain `fn` command.

mod files;
mod live;
mod review;
mod test_runs;

pub use files::*;
pub use live::*;
pub use review::*;
pub use test_runs::*;

use std::path::PathBuf;

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
use crate::ops::runtime::RuntimeClient;
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

/// What the page's own validator validates edits against (the cached catalog, its freshness).
#[tauri::command]
#[specta::specta]
pub async fn validation_context(app: AppHandle) -> Result<ops::open_documents::ValidationContext> {
    blocking(app, move |state| {
        Ok(ops::open_documents::validation_context(
            state.db()?,
            Utc::now(),
        )?)
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
