//! The Restate engine's reads of its metadata file for the contacts at a tile (feature
//! `restate`): the run ids its enrolment ledger gave each contact on a version (the page
//! order and cursor, as on the SQLite executor) and the imported contacts a page shows; and
//! the consent records kept for numbers, which a contact imported after them takes along.

use std::collections::HashMap;

use journeys::contact::{ConsentRecord, ConsentScope, Contact};
use rusqlite::params;

use super::{Store, from_millis, parse, version_id};
use crate::error::{Error, Result};

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

impl Store {
    /// The consent records kept for these contact points (one per point, channel and scope:
    /// the newest), as imported.
    pub fn consents_for_points(&self, points: &[String]) -> Result<Vec<ConsentRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT channel, scope, status, updated_at, source FROM consent WHERE contact_point = ?1",
        )?;
        let mut out = Vec::new();
        for point in points {
            let rows = stmt.query_map([point], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?;
            for row in rows {
                let (channel, scope, status, updated_at, source) = row?;
                let text = |v: String| serde_json::Value::String(v);
                let unreadable = |what: &str, e: &dyn std::fmt::Display| {
                    Error::Corrupt(format!("a consent record of {point}: its {what}: {e}"))
                };
                let scope = match scope.split_once(':') {
                    Some(("purpose", id)) => ConsentScope::Purpose {
                        purpose_id: id.to_owned(),
                    },
                    Some(("topic", id)) => ConsentScope::Topic {
                        topic_id: id.to_owned(),
                    },
                    _ => return Err(unreadable("scope", &scope)),
                };
                out.push(ConsentRecord {
                    contact_point: point.clone(),
                    channel: serde_json::from_value(text(channel))
                        .map_err(|e| unreadable("channel", &e))?,
                    scope,
                    status: serde_json::from_value(text(status))
                        .map_err(|e| unreadable("status", &e))?,
                    updated_at: from_millis(updated_at),
                    source,
                });
            }
        }
        Ok(out)
    }
}
