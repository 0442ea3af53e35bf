//! Claim, execute, commit: due work through `journeys::step`, and the step's effects written.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use journeys::catalog::Catalog;
use journeys::contact::ConsentRecord;
use journeys::step::{
    self, CallRequest, CountOutcome, DeliveryResult, EventPayload, IdemKey, Input, Phase, RunState,
    StepContext,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::*;
use crate::adapters::InteractionEvent;
use crate::core::{Before, RunStatus, StepSink, apply_step};
use crate::error::{Error, Result};

impl Store {
    /// A call's final result: stored once, routed to its run as an event due now.
    pub fn ingest_outcomes(
        &self,
        events: &[InteractionEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<OutcomeAccepted>>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut answers = Vec::with_capacity(events.len());
        for event in events {
            let run: Option<i64> = tx
                .prepare_cached("SELECT run_id FROM outbox WHERE idem_key = ?1")?
                .query_row([&event.idem_key], |r| r.get(0))
                .optional()?;
            let Some(run_id) = run else {
                answers.push(Err(Error::NotFound(format!(
                    "no call was requested under idempotency key {}",
                    event.idem_key
                ))));
                continue;
            };
            let inserted = tx.prepare_cached(
                "INSERT OR IGNORE INTO inbound (event_id, corr, payload, received_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![event.event_id, event.idem_key, json(event)?, millis(now)])?;
            if inserted == 0 {
                answers.push(Ok(OutcomeAccepted { duplicate: true }));
                continue;
            }
            let input = Input::Event {
                corr: event.idem_key.clone(),
                payload: EventPayload::CallResult {
                    result: event.result.clone(),
                    disposition_codes: event.disposition_codes.clone(),
                    variables: event.variables.clone(),
                },
            };
            insert_work(&tx, now, run_id, &input)?;
            answers.push(Ok(OutcomeAccepted { duplicate: false }));
        }
        tx.commit()?;
        Ok(answers)
    }

    /// Claim, execute, commit: run up to `limit` due work rows in one transaction.
    pub fn run_due(&self, catalog: &Catalog, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rows: Vec<(i64, i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, run_id, input FROM work WHERE due_at <= ?1 ORDER BY due_at, id LIMIT ?2",
            )?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = stmt.query_map(params![millis(now), limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let paused: Vec<i64> = {
            let mut stmt =
                tx.prepare_cached("SELECT id FROM journey_version WHERE state = 'paused'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut counts = CountBatch::new();
        let mut passages = Vec::new();
        for (work_id, run_id, input) in &rows {
            tx.prepare_cached("DELETE FROM work WHERE id = ?1")?
                .execute([work_id])?;
            let run: Option<(i64, String, String, String, Visit)> = tx
                .prepare_cached(
                    "SELECT version_id, contact_id, state, status, tile, tile_entered_at
                     FROM contact_run WHERE id = ?1",
                )?
                .query_row([run_id], |r| {
                    let visit = Visit {
                        tile: r.get(4)?,
                        entered_at: r.get(5)?,
                        branch: None,
                        left_at: None,
                    };
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, visit))
                })
                .optional()?;
            let Some((version_id, contact_id, state, status, visit)) = run else {
                continue;
            };
            if status != RunStatus::Active.as_str() {
                continue;
            }
            let loaded = (|| -> Result<_> {
                Ok((
                    self.graph(&tx, version_id)?,
                    load_contact(&tx, &contact_id)?,
                    parse::<RunState>(&state, "run state")?,
                    parse::<Input>(input, "work input")?,
                ))
            })();
            let (graph, contact, state, input) = match loaded {
                Ok(loaded) => loaded,
                Err(Error::Corrupt(message)) => {
                    // One unreadable run must not stall every other: park it as failed.
                    tracing::error!(run = run_id, %message, "run state unreadable; run marked failed");
                    tx.prepare_cached("UPDATE contact_run SET status = 'failed' WHERE id = ?1")?
                        .execute([run_id])?;
                    tx.prepare_cached("DELETE FROM work WHERE run_id = ?1")?
                        .execute([run_id])?;
                    continue;
                }
                Err(other) => return Err(other),
            };
            let consents = SqlConsents { conn: &tx };
            let ctx = StepContext {
                catalog,
                contact: &contact,
                consents: &consents,
                paused: paused.contains(&version_id),
            };
            let before = Before::of(&state, &input);
            let (next, effects) = step::step(state, &graph, input, now, &ctx);
            let mut sink = SqlStep {
                tx: &tx,
                version_id,
                run_id: *run_id,
                now,
                counts: &mut counts,
                visit,
                passages: &mut passages,
            };
            apply_step(&mut sink, before, &next, &effects, now)?;
            let Visit {
                entered_at,
                branch,
                left_at,
                ..
            } = sink.visit;
            let status = RunStatus::of(&next).as_str();
            tx.prepare_cached(
                "UPDATE contact_run SET state = ?1, status = ?2, tile = ?3, phase = ?4,
                 tile_entered_at = ?5, tile_branch = ?6, tile_left_at = ?7 WHERE id = ?8",
            )?
            .execute(params![
                json(&next)?,
                status,
                next.tile,
                phase_name(&next.phase),
                entered_at,
                branch,
                left_at,
                run_id
            ])?;
        }
        flush_counts(&tx, counts)?;
        flush_passages(&tx, passages)?;
        if !rows.is_empty() {
            // A version superseded by a newer one is completed once its last run ends.
            tx.prepare_cached(
                "UPDATE journey_version SET state = 'completed' WHERE state = 'completing'
                 AND NOT EXISTS (SELECT 1 FROM contact_run r
                                 WHERE r.version_id = journey_version.id AND r.status = 'active')",
            )?
            .execute([])?;
            // Only a round that did something records the clock: an idle runtime writes
            // nothing (a commit per worker round grew the WAL by ≈ 500 KB every 30 s).
            set_clock(&tx, now)?;
        }
        tx.commit()?;
        Ok(rows.len())
    }
}

pub(crate) fn count_key(outcome: &CountOutcome) -> String {
    match outcome {
        CountOutcome::Entered => "entered".into(),
        CountOutcome::Held => "held".into(),
        CountOutcome::Sent => "sent".into(),
        CountOutcome::Blocked { code } => format!("blocked:{}", enum_text(code)),
        CountOutcome::Attempted { result } => format!("attempted:{result}"),
        CountOutcome::NotAttempted { result } => format!("notAttempted:{result}"),
        CountOutcome::Branch { branch } => format!("branch:{branch}"),
        CountOutcome::Disposition { code } => format!("disposition:{code}"),
        CountOutcome::Completed => "completed".into(),
    }
}

pub(crate) fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::New => "new",
        Phase::Held { .. } => "held",
        Phase::Waiting { .. } => "waiting",
        Phase::Sleeping { .. } => "sleeping",
        Phase::Paused => "paused",
        Phase::Done { .. } => "done",
    }
}

pub(super) fn deliver_effect_result(
    conn: &Connection,
    idem_key: &str,
    result: DeliveryResult,
    now: DateTime<Utc>,
) -> Result<()> {
    let run_id: Option<i64> = conn
        .query_row(
            "SELECT run_id FROM outbox WHERE idem_key = ?1",
            [idem_key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(run_id) = run_id {
        let input = Input::EffectResult {
            idem_key: idem_key.to_owned(),
            result,
        };
        insert_work(conn, now, run_id, &input)?;
    }
    Ok(())
}

/// A run's visit of the tile it is on, as the step goes: the tile and when it entered it come
/// from `contact_run`; the branch it leaves by and when it leaves (or ends there) are set by
/// the step's counts. The visit a run ends on stays in `contact_run`.
struct Visit {
    tile: Option<String>,
    entered_at: Option<i64>,
    branch: Option<String>,
    left_at: Option<i64>,
}

/// A visit's `run_tile` row (version, tile, run, entered, branch, left), written at commit.
type Passage = (i64, String, i64, i64, Option<String>, Option<i64>);

/// Where runs have been (`run_tile`): one row per visit a run left, gathered over the batch and
/// written at commit in key order (the tile a run is on, or ended on, lives in `contact_run`).
fn flush_passages(tx: &Transaction<'_>, mut passages: Vec<Passage>) -> Result<()> {
    passages.sort_unstable_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO run_tile (version_id, tile, run_id, entered_at, branch, left_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (version_id, tile, run_id, entered_at, branch, left_at) in passages {
        stmt.execute(params![
            version_id, tile, run_id, entered_at, branch, left_at
        ])?;
    }
    Ok(())
}

/// Count increments gathered over a batch, written once per key at commit.
pub(super) type CountBatch = HashMap<(i64, String, String), i64>;

pub(super) fn flush_counts(tx: &Transaction<'_>, counts: CountBatch) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO tile_count (version_id, tile, outcome, n) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(version_id, tile, outcome) DO UPDATE SET n = n + excluded.n",
    )?;
    for ((version_id, tile, outcome), n) in counts {
        stmt.execute(params![version_id, tile, outcome, n])?;
    }
    Ok(())
}

/// A step's effects written into the batch's transaction; counts gathered for one write per
/// key at commit.
struct SqlStep<'a> {
    tx: &'a Transaction<'a>,
    version_id: i64,
    run_id: i64,
    now: DateTime<Utc>,
    counts: &'a mut CountBatch,
    visit: Visit,
    passages: &'a mut Vec<Passage>,
}

impl SqlStep<'_> {
    /// The run leaves the tile of its visit: the visit's row, if it has an entry time (runs
    /// that moved before `run_tile` existed have none).
    fn close_visit(&mut self) {
        let visit = &mut self.visit;
        if let (Some(tile), Some(entered_at)) = (visit.tile.take(), visit.entered_at.take()) {
            self.passages.push((
                self.version_id,
                tile,
                self.run_id,
                entered_at,
                visit.branch.take(),
                visit.left_at.take(),
            ));
        }
    }

    /// Where a run has been: entering a tile closes the visit it leaves, leaving by a branch
    /// notes which and when, ending on the tile notes when (the visit stays open).
    fn record_passage(&mut self, tile: &str, outcome: &CountOutcome) {
        let now = millis(self.now);
        let on_it = self.visit.tile.as_deref() == Some(tile);
        match outcome {
            CountOutcome::Entered => {
                self.close_visit();
                self.visit = Visit {
                    tile: Some(tile.to_owned()),
                    entered_at: Some(now),
                    branch: None,
                    left_at: None,
                };
            }
            CountOutcome::Branch { branch } if on_it => {
                self.visit.branch = Some(branch.clone());
                self.visit.left_at = Some(now);
            }
            CountOutcome::Completed if on_it => {
                self.visit.left_at.get_or_insert(now);
            }
            _ => {}
        }
    }
}

impl StepSink for SqlStep<'_> {
    type Error = Error;

    fn schedule(&mut self, at: DateTime<Utc>, input: &Input) -> Result<()> {
        insert_work(self.tx, at, self.run_id, input)
    }

    fn cancel_timer(&mut self, token: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM work WHERE run_id = ?1 AND token = ?2")?
            .execute(params![self.run_id, token])?;
        Ok(())
    }

    fn open_wait(&mut self, corr: &str, deadline: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO wait (run_id, corr, deadline) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.run_id, corr, millis(deadline)])?;
        Ok(())
    }

    fn close_wait(&mut self) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM wait WHERE run_id = ?1")?
            .execute([self.run_id])?;
        Ok(())
    }

    fn request_call(&mut self, key: &IdemKey, request: &CallRequest) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO outbox (idem_key, run_id, tile, attempt, request, status, retry_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6)",
            )?
            .execute(params![
                key.to_string(),
                self.run_id,
                request.tile_id,
                key.attempt,
                json(request)?,
                millis(self.now)
            ])?;
        Ok(())
    }

    fn count(&mut self, tile: &str, outcome: &CountOutcome) -> Result<()> {
        self.record_passage(tile, outcome);
        *self
            .counts
            .entry((self.version_id, tile.to_owned(), count_key(outcome)))
            .or_default() += 1;
        Ok(())
    }

    fn record_consent(&mut self, record: &ConsentRecord) -> Result<()> {
        upsert_consent(self.tx, record)
    }

    fn end_run(&mut self) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM work WHERE run_id = ?1")?
            .execute([self.run_id])?;
        self.close_wait()
    }
}
