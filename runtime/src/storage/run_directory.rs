//! The Restate engine's reads of its metadata file for the contacts at a tile (feature
//! `restate`): the run ids its enrolment ledger gave each contact on a version (the page
//! order and cursor, as on the SQLite executor) and the imported contacts a page shows.

use std::collections::HashMap;

use journeys::contact::Contact;
use rusqlite::params;

use super::{Store, parse, version_id};
use crate::error::Result;

impl Store {
    /// Each contact enrolled on version `number` of `journey_id` and its run id (its first
    /// enrolment's: a Restate run is keyed by version and contact).
    pub fn run_ids(&self, journey_id: &str, number: i64) -> Result<HashMap<String, i64>> {
        let conn = self.conn();
        let (version_id, _) = version_id(&conn, journey_id, number)?;
        let mut stmt = conn.prepare_cached(
            "SELECT contact_id, MIN(id) FROM contact_run WHERE version_id = ?1 GROUP BY contact_id",
        )?;
        let rows = stmt.query_map(params![version_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The imported contacts among `ids` (an id never imported is left out).
    pub fn contacts_by_id(&self, ids: &[&str]) -> Result<HashMap<String, Contact>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT data FROM contact WHERE id = ?1")?;
        let mut out = HashMap::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(row) = rows.next()? {
                let text: String = row.get(0)?;
                out.insert((*id).to_owned(), parse::<Contact>(&text, "contact")?);
            }
        }
        Ok(out)
    }
}
