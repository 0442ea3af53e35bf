//! The Restate engine's hand-over of enrolments (feature `restate`). Its metadata file runs
//! the SQLite executor's own enrolment code — segment admission at publish and for joiners,
//! trigger starts, `POST /runs` — so the rules are applied once, by the same SQL; the
//! `contact_run` rows are then the ledger of who entered what, and each enrolment's `work`
//! row (its start) is an outbox: taken here, handed to the cluster, and deleted only once the
//! cluster has accepted it. A crash in between hands it over again (the cluster's start is
//! idempotent per run).

use chrono::{DateTime, Utc};
use journeys::lifecycle::VersionState;
use journeys::step::Input;
use rusqlite::params;

use super::{Store, from_millis, parse};
use crate::error::Result;

/// An enrolment waiting to be handed to the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingStart {
    /// The `work` row to delete once handed over.
    pub work_id: i64,
    /// The journey.
    pub journey_id: String,
    /// The version's number.
    pub number: i64,
    /// The version's state now.
    pub state: VersionState,
    /// The contact.
    pub contact_id: String,
    /// Its entry (`segment`, `segment:{round}` for a repeating journey's round, an event id).
    pub entry_key: String,
    /// When the run is to start (a segment journey's start, or the enrolment).
    pub due: DateTime<Utc>,
    /// Its start input (the trigger's attributes).
    pub input: Input,
}

impl Store {
    /// Up to `limit` enrolments not yet handed over, oldest first.
    pub fn pending_starts(&self, limit: usize) -> Result<Vec<PendingStart>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT w.id, v.journey_id, v.number, v.state, r.contact_id, w.due_at, w.input,
                    r.entry_key
             FROM work w JOIN contact_run r ON r.id = w.run_id
             JOIN journey_version v ON v.id = r.version_id
             ORDER BY w.id LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                super::versions::version_state(r, 3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (work_id, journey_id, number, state, contact_id, due, input, entry_key) = row?;
            out.push(PendingStart {
                work_id,
                journey_id,
                number,
                state,
                contact_id,
                entry_key,
                due: from_millis(due),
                input: parse(&input, "work input")?,
            });
        }
        Ok(out)
    }

    /// Set several meta values in one transaction.
    pub fn set_metas(&self, rows: &[(String, String)]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?;
            for (key, value) in rows {
                stmt.execute(params![key, value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// These enrolments reached the cluster (or were dropped): forget their `work` rows.
    pub fn handed_over(&self, work_ids: &[i64]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM work WHERE id = ?1")?;
            for id in work_ids {
                stmt.execute(params![id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
