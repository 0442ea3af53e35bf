//! The Restate engine's use of its metadata file's enrolment ledger (feature `restate`): the
//! enrolments of a version (run ids: the page order and cursor of the contacts at a tile, as
//! on the SQLite executor; their entry keys name the runs' objects), runs that ended in the
//! cluster marked so (a repeating journey's round admits only members no longer inside), the
//! rounds due; the imported contacts a page shows; and the consent records kept for numbers,
//! which a contact imported after them takes along.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use journeys::contact::{ConsentRecord, ConsentScope, Contact};
use rusqlite::params;

use super::{Store, from_millis, millis, parse, version_id};
use crate::error::{Error, Result};

/// One enrolment on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEntry {
    /// The run's id (page order and cursor).
    pub run_id: i64,
    /// The contact.
    pub contact_id: String,
    /// Its entry (`segment`, `segment:{round}`, an event id, a `POST /runs` key).
    pub entry_key: String,
}

impl Store {
    /// The enrolments on version `number` of `journey_id` (all, or only those still `active`
    /// here), in run order.
    pub fn run_entries(
        &self,
        journey_id: &str,
        number: i64,
        only_active: bool,
    ) -> Result<Vec<RunEntry>> {
        let conn = self.conn();
        let (version_id, _) = version_id(&conn, journey_id, number)?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, contact_id, entry_key FROM contact_run
             WHERE version_id = ?1 AND (?2 = 0 OR status = 'active') ORDER BY id",
        )?;
        let rows = stmt.query_map(params![version_id, only_active], |r| {
            Ok(RunEntry {
                run_id: r.get(0)?,
                contact_id: r.get(1)?,
                entry_key: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entry key of the contact's latest enrolment on version `number` of `journey_id`
    /// (a repeating journey's current round), if it has one.
    pub fn latest_entry(
        &self,
        journey_id: &str,
        number: i64,
        contact_id: &str,
    ) -> Result<Option<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT r.entry_key FROM contact_run r JOIN journey_version v ON v.id = r.version_id
             WHERE v.journey_id = ?1 AND v.number = ?2 AND r.contact_id = ?3
             ORDER BY r.id DESC LIMIT 1",
        )?;
        let mut rows = stmt.query(params![journey_id, number, contact_id])?;
        Ok(match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        })
    }

    /// These runs ended in the cluster: `done` here too (a repeating journey's next round
    /// admits a member only once its run has ended).
    pub fn mark_runs_done(&self, run_ids: &[i64]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE contact_run SET status = 'done' WHERE id = ?1 AND status = 'active'",
            )?;
            for id in run_ids {
                stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The journeys with a repeating round due at `now`.
    pub fn journeys_with_rounds_due(&self, now: DateTime<Utc>) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT v.journey_id FROM round r JOIN journey_version v ON v.id = r.version_id
             WHERE r.due_at <= ?1",
        )?;
        let rows = stmt.query_map([millis(now)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Admit the members of repeating journeys whose round is due at `now`, by the SQLite
    /// executor's rules (`run_rounds`); how many entered.
    pub fn run_due_rounds(&self, now: DateTime<Utc>) -> Result<usize> {
        self.run_rounds(now)
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
