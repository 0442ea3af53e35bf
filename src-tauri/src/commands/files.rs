//! Journey files: the native dialog picks a path in the UI; these read, check and write.

use std::path::PathBuf;

use chrono::Utc;
use tauri::AppHandle;

use super::{Result, blocking};
use crate::ops;
use crate::ops::files::ImportedJourney;

/// Write the saved draft `id` to the `*.journey.json` file at `path`.
#[tauri::command]
#[specta::specta]
pub async fn export_journey(app: AppHandle, id: String, path: String) -> Result<()> {
    blocking(app, move |state| {
        Ok(ops::files::export_journey(
            state.db()?,
            &id,
            &PathBuf::from(path),
        )?)
    })
    .await
}

/// Read the journey file at `path` into a new draft (a copy when its id is already a draft).
#[tauri::command]
#[specta::specta]
pub async fn import_journey(app: AppHandle, path: String) -> Result<ImportedJourney> {
    let new_id = uuid::Uuid::new_v4().to_string();
    blocking(app, move |state| {
        Ok(ops::files::import_journey(
            state.db()?,
            Utc::now(),
            &PathBuf::from(path),
            new_id,
        )?)
    })
    .await
}
