//! Journey versions: publish, pause / resume / stop, the pause limit and repeating rounds.

use chrono::{DateTime, Utc};
use journeys::catalog::Catalog;
use journeys::document::{Journey, StartCondition};
use journeys::lifecycle::{Current, PAUSE_LIMIT, PublishPlan, next_round, plan_publish, round_at};
use journeys::step::{Input, RESUME_TOKEN};
use journeys::validate::{has_errors, validate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use journeys::lifecycle::{SegmentEntry, VersionState};

use super::*;
use crate::error::{Error, Result};

impl Store {
    /// Publish a journey as [`journeys::lifecycle::plan_publish`] decides: the current
    /// version again is a retry; a new name alone renames the current version in place; other
    /// changes are validated and stored as a new version, with segment enrollment, in one
    /// transaction; a running one-time journey refuses them ([`Error::Conflict`]).
    pub fn publish(
        &self,
        journey: &Journey,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<Published> {
        let semantic = journey
            .semantic_json()
            .map_err(|e| Error::BadInput(e.to_string()))?;
        let hash = format!("{:x}", Sha256::digest(semantic.as_bytes()));
        let mut conn = self.conn();
        let latest = latest_version(&conn, &journey.id)?;
        let current = match &latest {
            Some((id, version)) if version.state != VersionState::Stopped => {
                let graph = self.graph(&conn, *id)?;
                Some((*id, version, graph))
            }
            _ => None,
        };
        let plan = plan_publish(
            current.as_ref().map(|(_, _, graph)| Current {
                journey: graph.journey(),
                running: true,
            }),
            journey,
            now,
        )
        .map_err(|refusal| Error::Conflict(refusal.to_string()))?;
        if let (PublishPlan::Unchanged, Some((_, version, _))) = (plan, &current) {
            return Ok(Published {
                version: (*version).clone(),
                created: false,
                renamed: false,
                enrolled: 0,
            });
        }
        let diagnostics = validate(journey, catalog);
        if has_errors(&diagnostics) {
            return Err(Error::Invalid(diagnostics));
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let (PublishPlan::Rename, Some((id, _, _))) = (plan, &current) {
            tx.execute(
                "UPDATE journey_version SET document = ?2, content_hash = ?3 WHERE id = ?1",
                params![id, semantic, hash],
            )?;
            let (_, version) = latest_version(&tx, &journey.id)?
                .ok_or_else(|| Error::Corrupt("the renamed version is missing".into()))?;
            tx.commit()?;
            self.graphs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id);
            return Ok(Published {
                version,
                created: false,
                renamed: true,
                enrolled: 0,
            });
        }
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM journey_version WHERE journey_id = ?1",
            [&journey.id],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM round WHERE version_id IN
               (SELECT id FROM journey_version WHERE journey_id = ?1 AND state IN ('live', 'paused'))",
            [&journey.id],
        )?;
        // A paused version superseded by this one completes: its contacts held by the pause go
        // on in it (the publish review says so; stopping it first ends them instead).
        resume_held_runs(
            &tx,
            "IN (SELECT id FROM journey_version WHERE journey_id = ?1 AND state = 'paused')",
            &journey.id,
            now,
        )?;
        tx.execute(
            "UPDATE journey_version SET state = 'completing', paused_at = NULL
             WHERE journey_id = ?1 AND state IN ('live', 'paused')",
            [&journey.id],
        )?;
        tx.execute(
            "INSERT INTO journey_version (journey_id, number, content_hash, document, state, published_at)
             VALUES (?1, ?2, ?3, ?4, 'live', ?5)",
            params![journey.id, number, hash, semantic, millis(now)],
        )?;
        let version_id = tx.last_insert_rowid();
        let mut enrolled = 0;
        if let Some(StartCondition::Segment(segment)) = journey.start_condition() {
            let due = segment.start_at.map_or(now, |at| at.max(now));
            for contact in members_of(&tx, &segment.segment_ids)? {
                if enroll_segment_member(
                    &tx,
                    &journey.id,
                    version_id,
                    &contact,
                    SegmentEntry::First,
                    due,
                    "segment",
                )? {
                    enrolled += 1;
                }
            }
            let zone = journey.time_zone.parse().unwrap_or(chrono_tz::Tz::UTC);
            if let Some((number, at)) = next_round(segment, zone, due) {
                tx.execute(
                    "INSERT INTO round (version_id, number, due_at) VALUES (?1, ?2, ?3)",
                    params![version_id, number, millis(at)],
                )?;
            }
        }
        let (_, version) = latest_version(&tx, &journey.id)?
            .ok_or_else(|| Error::Corrupt("the version just written is missing".into()))?;
        tx.commit()?;
        self.refresh_lifecycle_due(&conn)?;
        Ok(Published {
            version,
            created: true,
            renamed: false,
            enrolled,
        })
    }

    /// Versions of a journey, oldest first.
    pub fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT journey_id, number, content_hash, state, published_at
             FROM journey_version WHERE journey_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([journey_id], version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Pause, resume or stop a version.
    pub fn set_version_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
        now: DateTime<Utc>,
    ) -> Result<VersionInfo> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (version_id, state) = version_id(&tx, journey_id, number)?;
        if state == VersionState::Stopped {
            return Err(Error::Conflict(format!(
                "version {number} of journey {journey_id} is stopped; stopping is final"
            )));
        }
        match action {
            VersionAction::Pause => {
                tx.execute(
                    "UPDATE journey_version SET state = 'paused', paused_at = ?2
                     WHERE id = ?1 AND state = 'live'",
                    params![version_id, millis(now)],
                )?;
            }
            VersionAction::Resume => {
                if state == VersionState::Paused {
                    tx.execute(
                        "UPDATE journey_version SET state = 'live', paused_at = NULL WHERE id = ?1",
                        [version_id],
                    )?;
                }
                resume_held_runs(&tx, "= ?1", &version_id, now)?;
            }
            VersionAction::Stop => stop_version(&tx, version_id)?,
        }
        let info = tx.query_row(
            "SELECT journey_id, number, content_hash, state, published_at FROM journey_version WHERE id = ?1",
            [version_id],
            version_row,
        )?;
        tx.commit()?;
        self.refresh_lifecycle_due(&conn)?;
        Ok(info)
    }

    /// Stop every version paused for longer than [`PAUSE_LIMIT`] at `now`; returns which
    /// (journey, number).
    pub fn stop_expired_pauses(&self, now: DateTime<Utc>) -> Result<Vec<(String, i64)>> {
        let mut conn = self.conn();
        let cutoff = millis(now - PAUSE_LIMIT);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids: Vec<(i64, String, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT id, journey_id, number FROM journey_version
                 WHERE state = 'paused' AND paused_at <= ?1",
            )?;
            let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, journey_id, number) in &ids {
            tracing::warn!(%journey_id, number, "paused for {} days: stopped", PAUSE_LIMIT.num_days());
            stop_version(&tx, *id)?;
        }
        tx.commit()?;
        if !ids.is_empty() {
            self.refresh_lifecycle_due(&conn)?;
        }
        Ok(ids
            .into_iter()
            .map(|(_, journey_id, number)| (journey_id, number))
            .collect())
    }

    /// Every version of every journey, by journey id and number.
    pub fn every_version(&self) -> Result<Vec<VersionInfo>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT journey_id, number, content_hash, state, published_at
             FROM journey_version ORDER BY journey_id, number",
        )?;
        let rows = stmt.query_map([], version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A completing version whose last run has ended (known to an executor whose runs live
    /// elsewhere) becomes completed; any other state is left alone.
    pub fn complete_version(&self, journey_id: &str, number: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE journey_version SET state = 'completed'
             WHERE journey_id = ?1 AND number = ?2 AND state = 'completing'",
            params![journey_id, number],
        )?;
        Ok(())
    }

    /// Admit the members of repeating segment journeys whose next round is due at `now`:
    /// the latest round due (rounds missed while the runtime was down are not made up), a
    /// round due while paused is skipped, members still in the journey do not enter again.
    /// Returns how many contacts entered.
    pub(super) fn run_rounds(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rounds: Vec<(i64, u32, VersionState)> = {
            let mut stmt = tx.prepare(
                "SELECT r.version_id, r.number, v.state FROM round r
                 JOIN journey_version v ON v.id = r.version_id WHERE r.due_at <= ?1",
            )?;
            let rows = stmt.query_map([millis(now)], |r| {
                Ok((r.get(0)?, r.get(1)?, version_state(r, 2)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut entered = 0;
        for (version_id, mut number, state) in rounds {
            let graph = self.graph(&tx, version_id)?;
            let journey = graph.journey();
            let Some(StartCondition::Segment(segment)) = journey.start_condition() else {
                tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?;
                continue;
            };
            let zone = journey.time_zone.parse().unwrap_or(chrono_tz::Tz::UTC);
            // The latest round already due; the one after it is the next.
            while round_at(segment, zone, number + 1).is_some_and(|at| at <= now) {
                number += 1;
            }
            if state == VersionState::Live {
                let entry_key = format!("segment:{number}");
                for contact in members_of(&tx, &segment.segment_ids)? {
                    if enroll_segment_member(
                        &tx,
                        &journey.id,
                        version_id,
                        &contact,
                        SegmentEntry::Round,
                        now,
                        &entry_key,
                    )? {
                        entered += 1;
                    }
                }
            }
            match round_at(segment, zone, number + 1) {
                Some(next) => tx.execute(
                    "UPDATE round SET number = ?2, due_at = ?3 WHERE version_id = ?1",
                    params![version_id, number + 1, millis(next)],
                )?,
                None => tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?,
            };
        }
        tx.commit()?;
        Ok(entered)
    }
}

pub(super) fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionInfo> {
    Ok(VersionInfo {
        journey_id: r.get(0)?,
        number: r.get(1)?,
        content_hash: r.get(2)?,
        state: version_state(r, 3)?,
        published_at: from_millis(r.get(4)?),
    })
}

/// Stop a version: final; its active runs are removed with their queued work, waits and call
/// requests not yet sent.
pub(super) fn stop_version(tx: &Transaction<'_>, version_id: i64) -> Result<()> {
    tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?;
    tx.execute(
        "UPDATE journey_version SET state = 'stopped', paused_at = NULL WHERE id = ?1",
        [version_id],
    )?;
    let runs = "SELECT id FROM contact_run WHERE version_id = ?1 AND status = 'active'";
    tx.execute(
        &format!("DELETE FROM work WHERE run_id IN ({runs})"),
        [version_id],
    )?;
    tx.execute(
        &format!("DELETE FROM wait WHERE run_id IN ({runs})"),
        [version_id],
    )?;
    tx.execute(
        &format!(
            "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND run_id IN ({runs})"
        ),
        [version_id],
    )?;
    tx.execute(
        "UPDATE contact_run SET status = 'stopped' WHERE version_id = ?1 AND status = 'active'",
        [version_id],
    )?;
    Ok(())
}

/// The journey's newest version (row id and info), if it has any.
pub(super) fn latest_version(
    conn: &Connection,
    journey_id: &str,
) -> Result<Option<(i64, VersionInfo)>> {
    Ok(conn
        .query_row(
            "SELECT journey_id, number, content_hash, state, published_at, id FROM journey_version
             WHERE journey_id = ?1 ORDER BY number DESC LIMIT 1",
            [journey_id],
            |r| Ok((r.get(5)?, version_row(r)?)),
        )
        .optional()?)
}

pub(super) fn version_id(
    conn: &Connection,
    journey_id: &str,
    number: i64,
) -> Result<(i64, VersionState)> {
    conn.query_row(
        "SELECT id, state FROM journey_version WHERE journey_id = ?1 AND number = ?2",
        params![journey_id, number],
        |r| Ok((r.get(0)?, version_state(r, 1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("journey {journey_id} has no version {number}")))
}

/// The ids of every live journey version.
pub(super) fn live_version_ids(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM journey_version WHERE state = 'live'")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// A version's state column, read as [`VersionState`]; another text is a corrupt row.
pub(super) fn version_state(
    r: &rusqlite::Row<'_>,
    column: usize,
) -> rusqlite::Result<VersionState> {
    let text: String = r.get(column)?;
    text.parse()
        .map_err(|e: journeys::lifecycle::BadVersionState| {
            rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
}

/// Wake the runs a pause holds in the versions whose id is `version` (`= ?1`, `IN (…?1…)`;
/// `?1` bound to `key`).
fn resume_held_runs(
    tx: &rusqlite::Transaction<'_>,
    version: &str,
    key: &dyn rusqlite::ToSql,
    now: DateTime<Utc>,
) -> Result<()> {
    let wake = json(&Input::Wake {
        token: RESUME_TOKEN.into(),
    })?;
    tx.execute(
        &format!(
            "INSERT INTO work (due_at, run_id, token, input)
             SELECT ?2, id, ?3, ?4 FROM contact_run
             WHERE version_id {version} AND status = 'active' AND phase = 'paused'"
        ),
        params![key, millis(now), RESUME_TOKEN, wake],
    )?;
    Ok(())
}
