//! The built-in contact-center simulator: deterministic, deduplicating, keeping a ledger.
//!
//! Outcome, disposition codes, variables and latency hash the configured seed with the
//! request id, so the same request always gets the same answer. The simulator dials only
//! inside the request's windows (none usable → `Expired`), deduplicates on the request id
//! and counts every request it receives, in its own SQLite file so the ledger survives a
//! `kill -9` of the runtime.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Caps, CcError, ContactCenter, DeliveryAck, DeliveryRequest, InteractionEvent};

use journeys::simulate::dial_at;
pub use journeys::simulate::outcomes::EngagementMix;
use journeys::simulate::outcomes::draw;

/// Simulator settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatorConfig {
    /// Seed of every draw.
    pub seed: u64,
    /// The mix for engagements not listed.
    #[serde(default)]
    pub default_mix: EngagementMix,
    /// Per-engagement mixes.
    #[serde(default)]
    pub engagements: BTreeMap<String, EngagementMix>,
    /// Per mille of request ids refused once with a transient error before being taken.
    #[serde(default)]
    pub transient_errors_per_mille: u32,
    /// Per mille of request ids taken (the call is placed) whose first acknowledgement is
    /// lost: the sender sees a transient error and retries under the same id.
    #[serde(default)]
    pub ack_lost_per_mille: u32,
    /// Numbers on the contact center's do-not-call list: their deliveries end `Cancelled`.
    #[serde(default)]
    pub do_not_call: Vec<String>,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            seed: 7,
            default_mix: EngagementMix::default(),
            engagements: BTreeMap::new(),
            transient_errors_per_mille: 0,
            ack_lost_per_mille: 0,
            do_not_call: Vec::new(),
        }
    }
}

/// One request id as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// The request id (our idempotency key).
    pub request_id: String,
    /// How many times it was received (one effective call whatever the number).
    pub received: u32,
    /// When the call was dialled; `None` when no window was usable.
    pub dialled_at: Option<DateTime<Utc>>,
    /// The contact.
    pub contact_id: String,
    /// The number.
    pub to_number: String,
    /// The final result.
    pub result: String,
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulatorError {
    /// Its SQLite file could not be opened or migrated.
    #[error("simulator ledger: {0}")]
    Storage(#[from] rusqlite::Error),
}

/// The simulator. See the module docs.
pub struct Simulator {
    config: SimulatorConfig,
    conn: Mutex<Connection>,
}

fn storage(e: rusqlite::Error) -> CcError {
    CcError::Transient(format!("simulator storage: {e}"))
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

impl Simulator {
    /// Open (or create) the simulator's ledger file.
    pub fn open(path: &Path, config: SimulatorConfig) -> Result<Self, SimulatorError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
             PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=16384;
             CREATE TABLE IF NOT EXISTS request (
                request_id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL,
                received INTEGER NOT NULL, first_at INTEGER NOT NULL, dialled_at INTEGER,
                contact_id TEXT NOT NULL, to_number TEXT NOT NULL, engagement_id TEXT NOT NULL,
                windows TEXT NOT NULL, result TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS refused (request_id TEXT PRIMARY KEY);
             CREATE TABLE IF NOT EXISTS result_queue (
                event_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, payload TEXT NOT NULL,
                delivered INTEGER NOT NULL DEFAULT 0);
             CREATE INDEX IF NOT EXISTS result_queue_due ON result_queue(delivered, due_at);",
        )?;
        Ok(Simulator {
            config,
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every request id received, in order.
    pub fn ledger(&self) -> Result<Vec<LedgerEntry>, SimulatorError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT request_id, received, dialled_at, contact_id, to_number, result
             FROM request ORDER BY first_at, request_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LedgerEntry {
                request_id: r.get(0)?,
                received: r.get(1)?,
                dialled_at: r.get::<_, Option<i64>>(2)?.map(from_millis),
                contact_id: r.get(3)?,
                to_number: r.get(4)?,
                result: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Take one request inside the caller's transaction: dedupe on the id, else draw the
    /// outcome and queue its result.
    fn receive(
        &self,
        tx: &Connection,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        let known: Option<String> = tx
            .prepare_cached("SELECT delivery_id FROM request WHERE request_id = ?1")
            .and_then(|mut stmt| stmt.query_row([&request.idem_key], |r| r.get(0)).optional())
            .map_err(storage)?;
        let key = &request.idem_key;
        let seed = self.config.seed;
        if known.is_none()
            && draw(seed, key, "transient") % 1000
                < u64::from(self.config.transient_errors_per_mille)
        {
            let first = tx
                .prepare_cached("INSERT OR IGNORE INTO refused (request_id) VALUES (?1)")
                .and_then(|mut stmt| stmt.execute([key]))
                .map_err(storage)?;
            if first == 1 {
                return Err(CcError::Transient("simulated: service unavailable".into()));
            }
        }
        let delivery_id = match known {
            Some(id) => {
                tx.prepare_cached(
                    "UPDATE request SET received = received + 1 WHERE request_id = ?1",
                )
                .and_then(|mut stmt| stmt.execute([&request.idem_key]))
                .map_err(storage)?;
                id
            }
            None => {
                let delivery_id = format!(
                    "sim-{:016x}",
                    draw(self.config.seed, &request.idem_key, "delivery")
                );
                let (dialled_at, event, due) = self.answer(request, now);
                let windows = serde_json::to_string(&request.call.windows)
                    .map_err(|e| CcError::Permanent(e.to_string()))?;
                tx.prepare_cached(
                    "INSERT INTO request (request_id, delivery_id, received, first_at, dialled_at,
                        contact_id, to_number, engagement_id, windows, result)
                     VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        request.idem_key,
                        delivery_id,
                        millis(now),
                        dialled_at.map(millis),
                        request.call.contact_id,
                        request.call.to_number,
                        request.call.engagement_id,
                        windows,
                        event.result,
                    ])
                })
                .map_err(storage)?;
                let payload =
                    serde_json::to_string(&event).map_err(|e| CcError::Permanent(e.to_string()))?;
                tx.prepare_cached(
                    "INSERT INTO result_queue (event_id, due_at, payload) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut stmt| stmt.execute(params![event.event_id, millis(due), payload]))
                .map_err(storage)?;
                if draw(seed, key, "ack") % 1000 < u64::from(self.config.ack_lost_per_mille) {
                    // Taken and dialled, but the sender never hears so.
                    return Err(CcError::Transient("simulated: acknowledgement lost".into()));
                }
                delivery_id
            }
        };
        Ok(DeliveryAck { delivery_id })
    }

    fn answer(
        &self,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> (Option<DateTime<Utc>>, InteractionEvent, DateTime<Utc>) {
        let key = &request.idem_key;
        let seed = self.config.seed;
        let mix = self
            .config
            .engagements
            .get(&request.call.engagement_id)
            .unwrap_or(&self.config.default_mix);
        let dial_at = dial_at(&request.call.windows, now);
        let event_id = format!("sim:{key}");
        let blocked = self.config.do_not_call.contains(&request.call.to_number);
        let Some(dial_at) = dial_at.filter(|_| !blocked) else {
            let event = InteractionEvent {
                event_id,
                idem_key: key.clone(),
                result: if blocked { "Cancelled" } else { "Expired" }.into(),
                disposition_codes: Vec::new(),
                variables: BTreeMap::new(),
            };
            return (None, event, now);
        };
        let drawn = mix.draw(seed, key);
        let due = dial_at + Duration::seconds(i64::from(drawn.latency_seconds));
        let event = InteractionEvent {
            event_id,
            idem_key: key.clone(),
            result: drawn.result,
            disposition_codes: drawn.disposition_codes,
            variables: drawn.variables,
        };
        (Some(dial_at), event, due)
    }
}

impl ContactCenter for Simulator {
    fn capabilities(&self) -> Caps {
        Caps {
            dedupes_request_id: true,
        }
    }

    fn create_delivery(
        &self,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(storage)?;
        let ack = self.receive(&tx, request, now)?;
        tx.commit().map_err(storage)?;
        Ok(ack)
    }

    fn create_deliveries(
        &self,
        requests: &[DeliveryRequest],
        now: DateTime<Utc>,
    ) -> Vec<Result<DeliveryAck, CcError>> {
        let mut conn = self.conn();
        let tx = match conn.transaction() {
            Ok(tx) => tx,
            Err(e) => {
                return requests
                    .iter()
                    .map(|_| Err(CcError::Transient(e.to_string())))
                    .collect();
            }
        };
        let mut answers: Vec<_> = requests.iter().map(|r| self.receive(&tx, r, now)).collect();
        // Nothing counts as received unless the batch commits.
        if let Err(e) = tx.commit() {
            answers = requests
                .iter()
                .map(|_| Err(CcError::Transient(e.to_string())))
                .collect();
        }
        answers
    }

    fn poll_results(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<InteractionEvent>, CcError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT payload FROM result_queue WHERE delivered = 0 AND due_at <= ?1
                 ORDER BY due_at LIMIT ?2",
            )
            .map_err(storage)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![millis(now), limit], |r| r.get::<_, String>(0))
            .map_err(storage)?;
        let mut out = Vec::new();
        for row in rows {
            let text = row.map_err(storage)?;
            let event =
                serde_json::from_str(&text).map_err(|e| CcError::Permanent(e.to_string()))?;
            out.push(event);
        }
        Ok(out)
    }

    fn ack_results(&self, event_ids: &[String]) -> Result<(), CcError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(storage)?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE result_queue SET delivered = 1 WHERE event_id = ?1")
                .map_err(storage)?;
            for id in event_ids {
                stmt.execute([id]).map_err(storage)?;
            }
        }
        tx.commit().map_err(storage)
    }

    fn next_result_due(&self) -> Result<Option<DateTime<Utc>>, CcError> {
        let conn = self.conn();
        let due: Option<i64> = conn
            .query_row(
                "SELECT MIN(due_at) FROM result_queue WHERE delivered = 0",
                [],
                |r| r.get(0),
            )
            .map_err(storage)?;
        Ok(due.map(from_millis))
    }
}
