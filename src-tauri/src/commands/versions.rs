//! The versions panel: list, act on, and open the versions of a journey.

use chrono::Utc;
use tauri::AppHandle;

use super::{Result, blocking};
use crate::ops;
use crate::ops::OpsError;
use crate::ops::publish::LiveAction;
use crate::ops::versions::{VersionOnCanvas, VersionsView};

/// Every version of journey `id` with its state, computer and contacts, and the header's
/// status; the versions last seen when the runtime cannot be reached.
#[tauri::command]
#[specta::specta]
pub async fn journey_versions(app: AppHandle, id: String) -> Result<VersionsView> {
    blocking(app, move |state| {
        let db = state.db()?;
        let target = ops::runtime::runtime_target(db)?.label();
        let client = state.runtime();
        let runtime = match &client {
            Ok(client) => Ok(client),
            Err(e) => Err(OpsError::RuntimeUnavailable(e.to_string())),
        };
        Ok(ops::versions::versions_view(
            db,
            runtime,
            &target,
            &id,
            Utc::now(),
        )?)
    })
    .await
}

/// Pause, resume or stop version `number` of journey `id`; answers the panel afresh.
#[tauri::command]
#[specta::specta]
pub async fn version_action(
    app: AppHandle,
    id: String,
    number: i64,
    action: LiveAction,
) -> Result<VersionsView> {
    blocking(app, move |state| {
        Ok(ops::versions::version_action(
            state.db()?,
            &state.runtime()?,
            &id,
            number,
            action,
            Utc::now(),
        )?)
    })
    .await
}

/// Version `number` of journey `id` with its own counts, to show read-only.
#[tauri::command]
#[specta::specta]
pub async fn open_version(app: AppHandle, id: String, number: i64) -> Result<VersionOnCanvas> {
    blocking(app, move |state| {
        Ok(ops::versions::open_version(
            state.db()?,
            &state.runtime()?,
            &id,
            number,
        )?)
    })
    .await
}
