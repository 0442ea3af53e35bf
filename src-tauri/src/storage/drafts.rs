//! Journey drafts.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::Journey;

use super::{Context, Db, Result, StorageError};

/// Where a journey is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DraftStatus {
    /// Being designed; not published.
    Draft,
}

impl DraftStatus {
    /// Statuses other than draft arrive with publishing; today every row is a draft.
    fn parse(_text: &str) -> DraftStatus {
        DraftStatus::Draft
    }
}

/// A journey as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DraftSummary {
    /// The journey id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Draft, …
    pub status: DraftStatus,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last save.
    pub updated_at: String,
    /// How many tiles it has.
    pub tile_count: u32,
    /// The version last published, if any.
    pub live: Option<LiveVersion>,
}

/// The version of a journey last published to a runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LiveVersion {
    /// 1, 2, 3… per journey on that runtime.
    pub number: i64,
    /// The runtime's state of the version (`live`, `paused`, `completing`, `stopped`…).
    pub state: String,
    /// `embedded`, or the remote runtime's URL.
    pub target: String,
}

/// A stored draft with its document.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    /// The list columns.
    pub summary: DraftSummary,
    /// The document.
    pub document: Journey,
}

const SUMMARY_COLUMNS: &str =
    "id, name, status, created_at, updated_at, tile_count, live_version, live_state, live_target";

fn tile_count(document: &Journey) -> i64 {
    i64::try_from(document.tiles.len()).unwrap_or(i64::MAX)
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<DraftSummary> {
    Ok(DraftSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        status: DraftStatus::parse(&r.get::<_, String>(2)?),
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        tile_count: r.get(5)?,
        live: match (r.get(6)?, r.get(7)?, r.get(8)?) {
            (Some(number), Some(state), Some(target)) => Some(LiveVersion {
                number,
                state,
                target,
            }),
            _ => None,
        },
    })
}

impl Db {
    /// Every draft, most recently edited first.
    pub fn list_drafts(&self) -> Result<Vec<DraftSummary>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM drafts ORDER BY updated_at DESC, name"
            ))
            .ctx("listing drafts")?;
        let rows = stmt.query_map([], summary).ctx("listing drafts")?;
        rows.collect::<rusqlite::Result<_>>().ctx("listing drafts")
    }

    /// Insert a new draft.
    pub fn insert_draft(&self, document: &Journey, now: &str) -> Result<DraftSummary> {
        let json = serde_json::to_string(document)?;
        self.conn()
            .query_row(
                &format!(
                    "INSERT INTO drafts (id, name, status, created_at, updated_at, document, tile_count)
                     VALUES (?1, ?2, 'draft', ?3, ?3, ?4, ?5) RETURNING {SUMMARY_COLUMNS}"
                ),
                params![document.id, document.name, now, json, tile_count(document)],
                summary,
            )
            .ctx("inserting a draft")
    }

    /// Overwrite a draft's document (autosave); its name column follows the document.
    pub fn save_draft(&self, document: &Journey, now: &str) -> Result<DraftSummary> {
        let json = serde_json::to_string(document)?;
        self.conn()
            .prepare_cached(&format!(
                "UPDATE drafts SET name = ?2, updated_at = ?3, document = ?4, tile_count = ?5
                 WHERE id = ?1 RETURNING {SUMMARY_COLUMNS}"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(
                    params![document.id, document.name, now, json, tile_count(document)],
                    summary,
                )
                .optional()
            })
            .ctx("saving a draft")?
            .ok_or_else(|| StorageError::NotFound(document.id.clone()))
    }

    /// One draft's list entry.
    pub fn draft_summary(&self, id: &str) -> Result<DraftSummary> {
        self.conn()
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM drafts WHERE id = ?1"),
                [id],
                summary,
            )
            .optional()
            .ctx("reading a draft")?
            .ok_or_else(|| StorageError::NotFound(id.to_owned()))
    }

    /// One draft with its document.
    pub fn draft(&self, id: &str) -> Result<DraftRow> {
        let found = self
            .conn()
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS}, document FROM drafts WHERE id = ?1"),
                [id],
                |r| Ok((summary(r)?, r.get::<_, String>(9)?)),
            )
            .optional()
            .ctx("reading a draft")?;
        let (summary, json) = found.ok_or_else(|| StorageError::NotFound(id.to_owned()))?;
        let document = serde_json::from_str(&json).map_err(|source| StorageError::Corrupt {
            id: id.to_owned(),
            source,
        })?;
        Ok(DraftRow { summary, document })
    }

    /// Record the version last published (the document is not touched).
    pub fn set_live_version(&self, id: &str, live: &LiveVersion) -> Result<DraftSummary> {
        self.conn()
            .query_row(
                &format!(
                    "UPDATE drafts SET live_version = ?2, live_state = ?3, live_target = ?4
                     WHERE id = ?1 RETURNING {SUMMARY_COLUMNS}"
                ),
                params![id, live.number, live.state, live.target],
                summary,
            )
            .optional()
            .ctx("recording the live version")?
            .ok_or_else(|| StorageError::NotFound(id.to_owned()))
    }

    /// Delete a draft.
    pub fn delete_draft(&self, id: &str) -> Result<()> {
        let changed = self
            .conn()
            .execute("DELETE FROM drafts WHERE id = ?1", [id])
            .ctx("deleting a draft")?;
        if changed == 0 {
            return Err(StorageError::NotFound(id.to_owned()));
        }
        Ok(())
    }
}
