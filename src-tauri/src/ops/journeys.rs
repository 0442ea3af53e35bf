//! Journey drafts: list, create, open, rename, duplicate, delete, autosave.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::Journey;

use super::{Db, OpsError, Result};
use crate::storage::DraftSummary;

/// Longest journey name (domain: 150 characters).
pub const MAX_NAME_CHARS: usize = 150;

/// A journey opened for editing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenedJourney {
    /// Its list entry.
    pub summary: DraftSummary,
    /// The document.
    pub document: Journey,
}

pub(crate) fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpsError::InvalidInput("Give the journey a name.".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(OpsError::InvalidInput(format!(
            "Journey names have at most {MAX_NAME_CHARS} characters."
        )));
    }
    Ok(name.to_owned())
}

/// Every journey, most recently edited first.
pub fn list_journeys(db: &Db) -> Result<Vec<DraftSummary>> {
    Ok(db.list_drafts()?)
}

/// Create a journey with only its start tile.
pub fn create_journey(
    db: &Db,
    now: DateTime<Utc>,
    id: String,
    name: &str,
    time_zone: &str,
) -> Result<OpenedJourney> {
    let name = clean_name(name)?;
    let zone = if time_zone.parse::<chrono_tz::Tz>().is_ok() {
        time_zone
    } else {
        "UTC"
    };
    let document = Journey::new(id, name, zone);
    let summary = db.insert_draft(&document, &timestamp(now))?;
    Ok(OpenedJourney { summary, document })
}

/// The sample journey the app ships (`journeys/samples/renewal-calls.journey.json`, valid
/// against the sample catalog the package installs as its default catalog).
const SAMPLE_JOURNEY: &str = include_str!("../../../journeys/samples/renewal-calls.journey.json");

/// Create a journey from the shipped sample, under a new id, for a first look at the designer.
pub fn create_sample_journey(db: &Db, now: DateTime<Utc>, id: String) -> Result<OpenedJourney> {
    let mut document = journeys::document::parse_journey(SAMPLE_JOURNEY).map_err(|e| {
        OpsError::InvalidInput(format!("the shipped sample journey is unreadable: {e}"))
    })?;
    document.id = id;
    let summary = db.insert_draft(&document, &timestamp(now))?;
    Ok(OpenedJourney { summary, document })
}

/// Open a journey for editing.
pub fn open_journey(db: &Db, id: &str) -> Result<OpenedJourney> {
    let row = db.draft(id)?;
    Ok(OpenedJourney {
        summary: row.summary,
        document: row.document,
    })
}

/// Autosave: store the document as the journey's draft.
pub fn save_draft(db: &Db, now: DateTime<Utc>, document: &Journey) -> Result<DraftSummary> {
    if document.name.chars().count() > MAX_NAME_CHARS {
        return Err(OpsError::InvalidInput(format!(
            "Journey names have at most {MAX_NAME_CHARS} characters."
        )));
    }
    Ok(db.save_draft(document, &timestamp(now))?)
}

/// Rename a journey (the document's name follows).
pub fn rename_journey(db: &Db, now: DateTime<Utc>, id: &str, name: &str) -> Result<DraftSummary> {
    let name = clean_name(name)?;
    let mut document = db.draft(id)?.document;
    document.name = name;
    Ok(db.save_draft(&document, &timestamp(now))?)
}

/// Copy a journey under a new id, named "… (copy)".
pub fn duplicate_journey(
    db: &Db,
    now: DateTime<Utc>,
    id: &str,
    new_id: String,
) -> Result<DraftSummary> {
    let mut document = db.draft(id)?.document;
    document.id = new_id;
    let copy: String = format!("{} (copy)", document.name.trim());
    document.name = copy.chars().take(MAX_NAME_CHARS).collect();
    Ok(db.insert_draft(&document, &timestamp(now))?)
}

/// Delete a journey.
pub fn delete_journey(db: &Db, id: &str) -> Result<()> {
    Ok(db.delete_draft(id)?)
}
