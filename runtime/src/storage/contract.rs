//! What the API's contract checks read: the journeys of live and paused versions (a catalog
//! replacement must not break them) and the contact points contacts have (consent records
//! for others are reported).

use std::collections::HashSet;
use std::sync::Arc;

use journeys::contact::Contact;
use journeys::document::Journey;
use journeys::import::known_contact_points;
use journeys::lifecycle::VersionState;

use super::Store;
use crate::error::{Error, Result};

/// A live or paused version and its journey.
#[derive(Debug, Clone)]
pub struct ActiveVersion {
    /// The journey's id.
    pub journey_id: String,
    /// The version's number.
    pub number: i64,
    /// `live` or `paused`.
    pub state: VersionState,
    /// Its journey.
    pub journey: Arc<Journey>,
}

impl Store {
    /// Every live or paused version, by journey id and number.
    pub fn active_versions(&self) -> Result<Vec<ActiveVersion>> {
        let conn = self.conn();
        let rows: Vec<(i64, String, i64, VersionState)> = {
            let mut stmt = conn.prepare(
                "SELECT id, journey_id, number, state FROM journey_version
                 WHERE state IN ('live', 'paused') ORDER BY journey_id, number",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    super::versions::version_state(r, 3)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, journey_id, number, state) in rows {
            let graph = self.graph(&conn, id)?;
            out.push(ActiveVersion {
                journey_id,
                number,
                state,
                journey: Arc::new(graph.journey().clone()),
            });
        }
        Ok(out)
    }

    /// The normalised phone numbers of every stored contact.
    pub fn contact_points(&self) -> Result<HashSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT data FROM contact")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut contacts = Vec::new();
        for data in rows {
            let contact: Contact =
                serde_json::from_str(&data?).map_err(|e| Error::Corrupt(e.to_string()))?;
            contacts.push(contact);
        }
        Ok(known_contact_points(&contacts))
    }
}
