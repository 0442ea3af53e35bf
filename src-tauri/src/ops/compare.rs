//! Compare any two of: the draft, a published version, a journey file; and restore a version
//! into the draft. The change list is `journeys::diff`'s (the one the command line prints).

use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::diff::{JourneyDiff, diff_with_catalog};
use journeys::document::Journey;

use super::catalog::current_catalog;
use super::files::read_journey_file;
use super::runtime::RuntimeClient;
use super::{Db, OpsError, Result};
use crate::storage::DraftBase;

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CompareSide {
    /// The saved draft.
    Draft,
    /// A version published to the configured runtime.
    Version {
        /// Its number.
        number: i64,
    },
    /// A `*.journey.json` file (the native dialog picked the path).
    File {
        /// Where it is.
        path: String,
    },
}

/// A side as read: what the marketer calls it, and its journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComparedSide {
    /// `Draft`, `v2`, or the file's name.
    pub label: String,
    /// Which side it is (the canvas draws the draft editable, anything else read-only).
    pub side: CompareSide,
    /// Its journey.
    pub journey: Journey,
}

/// Two sides and what changed from the first to the second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The older side (changes are read from it).
    pub old: ComparedSide,
    /// The newer side (the canvas shows it).
    pub new: ComparedSide,
    /// What changed, in words, from `journeys::diff`.
    pub diff: JourneyDiff,
}

fn no_runtime(doing: &str) -> OpsError {
    OpsError::RuntimeUnavailable(format!("cannot reach the runtime to {doing}"))
}

/// Read one side of a comparison of draft `journey_id`. A version needs the runtime.
pub fn read_side(
    db: &Db,
    runtime: Option<&RuntimeClient>,
    journey_id: &str,
    side: &CompareSide,
) -> Result<ComparedSide> {
    Ok(match side {
        CompareSide::Draft => ComparedSide {
            label: "Draft".into(),
            side: side.clone(),
            journey: db.draft(journey_id)?.document,
        },
        CompareSide::Version { number } => {
            let runtime = runtime.ok_or_else(|| no_runtime(&format!("read v{number}")))?;
            let journey = runtime.version_document(journey_id, *number)?.journey;
            ComparedSide {
                label: format!("v{number}"),
                side: side.clone(),
                journey: laid_out_like_draft(db, journey_id, journey)?,
            }
        }
        CompareSide::File { path } => {
            let trimmed = path.trim();
            let path = Path::new(trimmed);
            ComparedSide {
                side: CompareSide::File {
                    path: trimmed.into(),
                },
                label: path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                ),
                journey: read_journey_file(path)?,
            }
        }
    })
}

/// A published version of draft `journey_id` with the draft's layout: the runtime keeps none
/// (it has no meaning there), so the version's tiles sit where the draft has them.
pub fn laid_out_like_draft(db: &Db, journey_id: &str, mut version: Journey) -> Result<Journey> {
    version.layout = db.draft(journey_id)?.document.layout;
    Ok(version)
}

/// The changes from `old` to `new`, naming catalog choices by the cached catalog's names.
pub fn changes(db: &Db, old: &Journey, new: &Journey) -> Result<JourneyDiff> {
    Ok(diff_with_catalog(old, new, &current_catalog(db)?))
}

/// Compare two sides of draft `journey_id`.
pub fn compare(
    db: &Db,
    runtime: Option<&RuntimeClient>,
    journey_id: &str,
    old: &CompareSide,
    new: &CompareSide,
) -> Result<Comparison> {
    let old = read_side(db, runtime, journey_id, old)?;
    let new = read_side(db, runtime, journey_id, new)?;
    let diff = changes(db, &old.journey, &new.journey)?;
    Ok(Comparison { old, new, diff })
}

/// Version `number` as the draft's next content, and remember it as the draft's base (the
/// version it was restored from). The draft itself is not written: the designer applies the
/// answer as one undoable edit and saves it like any other.
pub fn restore_version(
    db: &Db,
    runtime: &RuntimeClient,
    journey_id: &str,
    number: i64,
) -> Result<Journey> {
    let draft = db.draft(journey_id)?.document;
    let mut restored = runtime.version_document(journey_id, number)?.journey;
    // The draft keeps its id; tiles the version placed nowhere keep the draft's positions.
    restored.id = draft.id;
    for (tile, at) in draft.layout.positions {
        restored.layout.positions.entry(tile).or_insert(at);
    }
    db.set_draft_base(
        journey_id,
        &DraftBase {
            number,
            target: runtime.label(),
        },
    )?;
    Ok(restored)
}
