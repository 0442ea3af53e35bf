//! Per-tile insight and the export of a tile's contacts (the path comes from the native save
//! dialog; the file is written here).

use std::path::PathBuf;

use tauri::AppHandle;

use super::{Result, blocking};
use crate::ops;
use crate::ops::insight::{ContactsChoice, ContactsExport, TileInsight};

/// The insight of tile `tile` on version `number` of journey `id`.
#[tauri::command]
#[specta::specta]
pub async fn tile_insight(
    app: AppHandle,
    id: String,
    number: i64,
    tile: String,
) -> Result<TileInsight> {
    blocking(app, move |state| {
        let catalog = ops::catalog::current_catalog(state.db()?)?;
        Ok(ops::insight::tile_insight(
            &state.runtime()?,
            &catalog,
            &id,
            number,
            &tile,
        )?)
    })
    .await
}

/// Write the contacts of `choice` on tile `tile` of version `number` of journey `id` to the
/// CSV file at `path`.
#[tauri::command]
#[specta::specta]
pub async fn export_tile_contacts(
    app: AppHandle,
    id: String,
    number: i64,
    tile: String,
    choice: ContactsChoice,
    path: String,
) -> Result<ContactsExport> {
    blocking(app, move |state| {
        Ok(ops::insight::export_tile_contacts(
            &state.runtime()?,
            &id,
            number,
            &tile,
            &choice,
            &PathBuf::from(path),
        )?)
    })
    .await
}
