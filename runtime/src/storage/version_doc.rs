//! One published version with its journey, as the app opens it read-only, compares it with
//! a draft or restores it.

use serde::{Deserialize, Serialize};

use journeys::document::Journey;

use super::versions::{version_id, version_row};
use super::{Store, VersionInfo};
use crate::error::Result;

/// A version and the journey it published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionDocument {
    /// The version.
    pub version: VersionInfo,
    /// The journey as published.
    pub journey: Journey,
}

impl Store {
    /// Version `number` of `journey_id` with its journey; not found when there is none.
    pub fn version_document(&self, journey_id: &str, number: i64) -> Result<VersionDocument> {
        let conn = self.conn();
        let (id, _) = version_id(&conn, journey_id, number)?;
        let version = conn.query_row(
            "SELECT journey_id, number, content_hash, state, published_at
             FROM journey_version WHERE id = ?1",
            [id],
            version_row,
        )?;
        let graph = self.graph(&conn, id)?;
        Ok(VersionDocument {
            version,
            journey: graph.journey().clone(),
        })
    }
}
