//! The version a draft was last published as or restored from (its base), per runtime.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{Context, Db, Result};

/// A draft's base: a version number on a runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DraftBase {
    /// The version number.
    pub number: i64,
    /// `embedded`, or the remote runtime's URL.
    pub target: String,
}

impl Db {
    /// Remember that draft `journey_id` was published as, or restored from, `base`.
    pub fn set_draft_base(&self, journey_id: &str, base: &DraftBase) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO draft_base (journey_id, number, target) VALUES (?1, ?2, ?3)
                 ON CONFLICT (journey_id) DO UPDATE SET number = excluded.number,
                    target = excluded.target",
                rusqlite::params![journey_id, base.number, base.target],
            )
            .ctx("saving a draft's base version")?;
        Ok(())
    }

    /// The draft's base, if it was ever published or restored.
    pub fn draft_base(&self, journey_id: &str) -> Result<Option<DraftBase>> {
        self.conn()
            .query_row(
                "SELECT number, target FROM draft_base WHERE journey_id = ?1",
                [journey_id],
                |r| {
                    Ok(DraftBase {
                        number: r.get(0)?,
                        target: r.get(1)?,
                    })
                },
            )
            .optional()
            .ctx("reading a draft's base version")
    }
}
