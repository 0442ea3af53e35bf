//! Compare, restore and the publish review: each runs its op on a blocking worker.

use chrono::Utc;
use tauri::AppHandle;

use journeys::document::Journey;

use super::{Result, blocking};
use crate::ops;
use crate::ops::compare::{CompareSide, Comparison};
use crate::ops::publish::PublishOutcome;
use crate::ops::review::PublishReview;

/// Compare two of: the draft, a published version, a journey file (changes from `from` to
/// `to`, in words).
#[tauri::command]
#[specta::specta]
pub async fn compare_journeys(
    app: AppHandle,
    id: String,
    from: CompareSide,
    to: CompareSide,
) -> Result<Comparison> {
    blocking(app, move |state| {
        let runtime = state.runtime().ok();
        Ok(ops::compare::compare(
            state.db()?,
            runtime.as_ref(),
            &id,
            &from,
            &to,
        )?)
    })
    .await
}

/// Version `number` as the draft's next content (applied by the designer as one undoable
/// edit); the draft remembers it was restored from that version.
#[tauri::command]
#[specta::specta]
pub async fn restore_version(app: AppHandle, id: String, number: i64) -> Result<Journey> {
    blocking(app, move |state| {
        Ok(ops::compare::restore_version(
            state.db()?,
            &state.runtime()?,
            &id,
            number,
        )?)
    })
    .await
}

/// What publishing the saved draft would do: changes, contacts in flight, refusals, a publish
/// from another computer, and the compliance impact.
#[tauri::command]
#[specta::specta]
pub async fn review_publish(app: AppHandle, id: String) -> Result<PublishReview> {
    blocking(app, move |state| {
        Ok(ops::review::review_publish(
            state.db()?,
            &state.runtime()?,
            &id,
            Utc::now(),
        )?)
    })
    .await
}

/// Publish the saved draft after its review; `replace` is the version published elsewhere the
/// marketer chose to replace.
#[tauri::command]
#[specta::specta]
pub async fn publish_reviewed(
    app: AppHandle,
    id: String,
    replace: Option<i64>,
) -> Result<PublishOutcome> {
    blocking(app, move |state| {
        Ok(ops::review::publish_reviewed(
            state.db()?,
            &state.runtime()?,
            &id,
            replace,
        )?)
    })
    .await
}

/// The numbers of the journey's published versions on the configured runtime, oldest first
/// (the Compare picker's choices).
#[tauri::command]
#[specta::specta]
pub async fn compare_version_numbers(app: AppHandle, id: String) -> Result<Vec<i64>> {
    blocking(app, move |state| {
        Ok(state
            .runtime()?
            .list_versions(&id)?
            .into_iter()
            .map(|v| v.number)
            .collect())
    })
    .await
}
