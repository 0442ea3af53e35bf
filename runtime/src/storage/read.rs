//! Read-only answers: counts, status, what is due next, the clock.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering as AtomicOrdering;

use chrono::{DateTime, Utc};

use super::*;
use crate::error::Result;

impl Store {
    /// The earliest instant something is due (work, a pending request's retry, a pause's
    /// limit or a round).
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let conn = self.conn();
        let due: Option<i64> = conn.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(due_at) AS d FROM work
                                 UNION ALL SELECT MIN(retry_at) FROM outbox WHERE status = 'pending')",
            [],
            |r| r.get(0),
        )?;
        let lifecycle = self.lifecycle_due.load(AtomicOrdering::Relaxed);
        Ok(match due {
            Some(due) => Some(due.min(lifecycle)),
            None => (lifecycle != i64::MAX).then_some(lifecycle),
        }
        .map(from_millis))
    }

    /// The clock instant last committed (for a virtual clock to resume from).
    pub fn last_clock(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .meta("clock")?
            .and_then(|v| v.parse::<i64>().ok())
            .map(from_millis))
    }

    /// Persist the clock instant.
    pub fn save_clock(&self, now: DateTime<Utc>) -> Result<()> {
        set_clock(&self.conn(), now)
    }

    /// Per-tile counts of a version.
    pub fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        let conn = self.conn();
        let (version_id, _) = version_id(&conn, journey_id, number)?;
        let version = conn.query_row(
            "SELECT journey_id, number, content_hash, state, published_at FROM journey_version WHERE id = ?1",
            [version_id],
            version_row,
        )?;
        let mut tiles: BTreeMap<String, TileCounts> = BTreeMap::new();
        let mut stmt =
            conn.prepare("SELECT tile, outcome, n FROM tile_count WHERE version_id = ?1")?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (tile, outcome, n) = row?;
            tiles.entry(tile).or_default().add(&outcome, n);
        }
        let mut stmt = conn.prepare(
            "SELECT tile, phase, COUNT(*) FROM contact_run
             WHERE version_id = ?1 AND status = 'active' AND tile IS NOT NULL GROUP BY tile, phase",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (tile, phase, n) = row?;
            let t = tiles.entry(tile).or_default();
            match phase.as_str() {
                "held" => t.held += n,
                "waiting" | "sleeping" | "paused" => t.waiting += n,
                _ => {}
            }
        }
        let mut runs = BTreeMap::new();
        let mut stmt = conn.prepare(
            "SELECT status, COUNT(*) FROM contact_run WHERE version_id = ?1 GROUP BY status",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (status, n) = row?;
            runs.insert(status, n);
        }
        Ok(VersionCounts {
            version,
            runs,
            tiles,
        })
    }

    /// Overall state.
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status> {
        let conn = self.conn();
        let group = |sql: &str| -> Result<BTreeMap<String, i64>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Status {
            now,
            runs: group("SELECT status, COUNT(*) FROM contact_run GROUP BY status")?,
            outbox: group("SELECT status, COUNT(*) FROM outbox GROUP BY status")?,
            work: conn.query_row("SELECT COUNT(*) FROM work", [], |r| r.get(0))?,
        })
    }
}
