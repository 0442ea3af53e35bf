//! Appearance commands (light, dark or the system's), off the UI thread like every SQLite read.

use tauri::AppHandle;

use super::{Result, blocking};
use crate::ops::appearance::{self, Appearance};

/// The chosen appearance.
#[tauri::command]
#[specta::specta]
pub async fn appearance(app: AppHandle) -> Result<Appearance> {
    blocking(app, |state| Ok(appearance::appearance(state.db()?)?)).await
}

/// Choose the appearance; it is kept with the other settings.
#[tauri::command]
#[specta::specta]
pub async fn set_appearance(app: AppHandle, appearance: Appearance) -> Result<Appearance> {
    blocking(app, move |state| {
        Ok(appearance::set_appearance(state.db()?, appearance)?)
    })
    .await
}
