//! Validation of the journeys being edited without sending them whole on every edit.
//!
//! The designer sends a journey whole once; after that each edit is a small patch (the tiles
//! that changed, the ids removed, the connections when they changed, the positions that
//! changed, the journey's own fields), applied to the copy kept here and validated. The copy is
//! then the document on screen, so autosave saves it ([`OpenDocuments::kept`]) instead of
//! the designer sending the whole draft again. A 10,000-tile journey is 5 MB of
//! JSON: sending, parsing and dropping it per keystroke cost more than validating it.
//! Each patch names the revision it was computed against; a mismatch (the app restarted, the
//! copy was evicted, another view of the same journey validated since) answers `None`, and the
//! designer sends the journey whole again. Revisions are numbered across every journey kept,
//! so a revision names one document and its problems.
//!
//! The answer to a patch is a delta too: only the tiles whose problems changed since the
//! patch's base revision, each with all its problems now. A 10,000-tile journey has about
//! 5,000 warnings; sending and parsing them all per edit cost more than the edit.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;
use specta::Type;

use journeys::catalog::Catalog;
use journeys::document::Journey;
pub use journeys::edit::{JourneyPatch, TileProblems, ValidatedRevision, ValidationEdit};
use journeys::edit::{apply, changes, everything};
use journeys::validate::{Diagnostic, Freshness, validate_with};

use super::catalog::{FRESH_FOR_MINUTES, current_catalog_at};
use super::{Db, OpsError, Result};

/// How many journeys are kept (the open one, and a few the marketer switched between).
const KEPT: usize = 4;

/// What the page's own (WebAssembly) validator validates against: the cached catalog and how
/// far its segment and trigger lists can be trusted now.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValidationContext {
    /// The catalog, as JSON (what the validator reads).
    pub catalog: String,
    /// The freshness of its lists at the time of asking.
    pub freshness: Freshness,
    /// When `freshness` turns stale (RFC 3339): ask again then. `None`: it stays as it is.
    pub ask_again_at: Option<String>,
}

/// The validation context at `now`.
pub fn validation_context(db: &Db, now: DateTime<Utc>) -> Result<ValidationContext> {
    // Read (and checked) as validation here reads it: the same catalog, the same freshness.
    let (_, freshness) = current_catalog_at(db, now)?;
    let cached = db.cached_catalog()?;
    let ask_again_at = match (freshness, &cached) {
        (Freshness::Fresh, Some(cached)) => DateTime::parse_from_rfc3339(&cached.refreshed_at)
            .ok()
            .map(|at| {
                (at.to_utc() + chrono::Duration::minutes(FRESH_FOR_MINUTES))
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            }),
        _ => None,
    };
    let catalog = match cached {
        Some(cached) => cached.document,
        None => serde_json::to_string(&Catalog::default())
            .map_err(|e| OpsError::InvalidInput(format!("the empty catalog: {e}")))?,
    };
    Ok(ValidationContext {
        catalog,
        freshness,
        ask_again_at,
    })
}

struct Kept {
    revision: u32,
    journey: Journey,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Default)]
struct Held {
    /// Most recently used first.
    kept: VecDeque<Kept>,
    /// The last revision given out (to any journey).
    last_revision: u32,
}

/// The journeys kept for patching, most recently used first.
#[derive(Default)]
pub struct OpenDocuments {
    held: Mutex<Held>,
}

impl std::fmt::Debug for OpenDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenDocuments")
    }
}

impl OpenDocuments {
    /// Validate `edit` against the cached catalog at `now`; `None` when a patch's base is not
    /// the kept revision (send the journey whole).
    pub fn validate(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        edit: ValidationEdit,
    ) -> Result<Option<ValidatedRevision>> {
        let (catalog, freshness) = current_catalog_at(db, now)?;
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let (journey, before) = match edit {
            ValidationEdit::Whole { document } => {
                if let Some(i) = held.kept.iter().position(|k| k.journey.id == document.id) {
                    held.kept.remove(i);
                }
                (document, None)
            }
            ValidationEdit::Patch(patch) => {
                let Some(i) = held
                    .kept
                    .iter()
                    .position(|k| k.journey.id == patch.head.id && k.revision == patch.base)
                else {
                    return Ok(None);
                };
                let Some(Kept {
                    mut journey,
                    diagnostics,
                    ..
                }) = held.kept.remove(i)
                else {
                    return Ok(None);
                };
                apply(&mut journey, patch);
                (journey, Some(diagnostics))
            }
        };
        let diagnostics = validate_with(&journey, &catalog, freshness);
        let (complete, tiles) = match &before {
            Some(before) => (false, changes(before, &diagnostics)),
            None => (true, everything(&diagnostics)),
        };
        held.last_revision = held.last_revision.wrapping_add(1);
        let revision = held.last_revision;
        held.kept.push_front(Kept {
            revision,
            journey,
            diagnostics,
        });
        held.kept.truncate(KEPT);
        Ok(Some(ValidatedRevision {
            revision,
            complete,
            tiles,
        }))
    }

    /// A copy of the journey kept at `revision` (the document the designer shows after the
    /// edit that made it), or `None` when that revision is no longer kept.
    pub fn kept(&self, id: &str, revision: u32) -> Option<Journey> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.kept
            .iter()
            .find(|k| k.journey.id == id && k.revision == revision)
            .map(|k| k.journey.clone())
    }
}
