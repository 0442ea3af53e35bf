//! The runtime journeys are published to: where it is, publish, pause / resume / stop, live
//! counts, contacts and consent imports.

use chrono::Utc;
use tauri::AppHandle;

use super::{Result, blocking, catalog_default};
use crate::ops::publish::{ImportSummary, LiveAction, PublishOutcome};
use crate::ops::runtime::{LiveCounts, RuntimeTarget};
use crate::ops::{self};
use crate::storage::DraftSummary;

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
