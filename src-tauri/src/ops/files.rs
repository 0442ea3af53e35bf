//! Journey files: export a draft to a `*.journey.json` file and import one as a draft.
//!
//! The native dialog only picks the path; reading, validating and writing happen here, so a
//! bad file is refused with what and where before anything is stored.

use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::{Journey, MAX_DOCUMENT_BYTES, parse_journey};

use super::journeys::{MAX_NAME_CHARS, timestamp};
use super::{Db, OpsError, Result};
use crate::storage::{DraftSummary, StorageError};

/// What an import made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportedJourney {
    /// The new draft's list entry.
    pub summary: DraftSummary,
    /// Whether a journey with the file's id already existed, so the import is a copy with a
    /// new id and a name ending in "(copy)".
    pub copied: bool,
}

fn file_error(path: &Path, doing: &str, e: impl std::fmt::Display) -> OpsError {
    OpsError::InvalidInput(format!("Cannot {doing} {}: {e}", path.display()))
}

/// Write the draft `id` (with its canvas layout) to `path` as pretty JSON. The file is written
/// beside the target and renamed over it, so a failed export never leaves half a file.
pub fn export_journey(db: &Db, id: &str, path: &Path) -> Result<()> {
    let document = db.draft(id)?.document;
    let mut json = serde_json::to_string_pretty(&document).map_err(StorageError::from)?;
    json.push('\n');
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A file for people to share: readable by others like any file they save (the temporary
    // file's default is owner-only).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| file_error(path, "write the journey to", e))?;
    temp.write_all(json.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| file_error(path, "write the journey to", e))?;
    temp.persist(path)
        .map_err(|e| file_error(path, "write the journey to", e.error))?;
    Ok(())
}

/// Read the journey file at `path` and store it as a draft. A file whose journey id is already
/// a draft becomes a copy under `new_id`, named "… (copy)". A file that is too large, not
/// UTF-8, malformed (named by line and column) or of a newer schema is refused, and nothing
/// is stored.
pub fn import_journey(
    db: &Db,
    now: DateTime<Utc>,
    path: &Path,
    new_id: String,
) -> Result<ImportedJourney> {
    let mut document = read_journey_file(path)?;
    let copied = match db.draft_summary(&document.id) {
        Ok(_) => true,
        Err(StorageError::NotFound(_)) => false,
        Err(e) => return Err(e.into()),
    };
    if copied {
        document.id = new_id;
        document.name = format!("{} (copy)", document.name.trim());
    }
    document.name = document.name.trim().chars().take(MAX_NAME_CHARS).collect();
    if document.name.is_empty() {
        document.name = "Imported journey".into();
    }
    let summary = db.insert_draft(&document, &timestamp(now))?;
    Ok(ImportedJourney { summary, copied })
}

/// Read the journey file at `path`: refused with its name and why when it is too large, not
/// UTF-8, malformed (line and column) or of a newer schema.
pub fn read_journey_file(path: &Path) -> Result<Journey> {
    // Messages name the file, not the folders it is in.
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let size = std::fs::metadata(path)
        .map_err(|e| file_error(path, "read", e))?
        .len();
    if size > MAX_DOCUMENT_BYTES as u64 {
        return Err(OpsError::InvalidInput(format!(
            "{name} is {size} bytes; journey files are limited to {MAX_DOCUMENT_BYTES} bytes."
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| file_error(path, "read", e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        OpsError::InvalidInput(format!(
            "{name} is not a journey file: it is not UTF-8 text (byte {}).",
            e.utf8_error().valid_up_to() + 1
        ))
    })?;
    parse_journey(&text).map_err(|e| {
        OpsError::InvalidInput(format!(
            "{name} is not a journey Switchboard can read: {e}."
        ))
    })
}
