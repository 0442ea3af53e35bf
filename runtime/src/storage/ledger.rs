//! The simulator's SQL, in its own SQLite file so its ledger survives a `kill -9` of the
//! runtime: requests received (deduplicated on the request id, counted), requests refused
//! once, and the queue of results not yet delivered.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{from_millis, millis};
use crate::adapters::LedgerEntry;

/// The simulator's ledger file.
pub(crate) struct Ledger {
    conn: Mutex<Connection>,
}

/// A request the simulator takes for the first time.
pub(crate) struct NewRequest<'a> {
    pub request_id: &'a str,
    pub delivery_id: &'a str,
    pub first_at: DateTime<Utc>,
    pub dialled_at: Option<DateTime<Utc>>,
    pub contact_id: &'a str,
    pub to_number: &'a str,
    pub engagement_id: &'a str,
    pub windows: &'a str,
    pub result: &'a str,
}

impl Ledger {
    /// Open (or create) the ledger file.
    pub(crate) fn open(path: &std::path::Path) -> rusqlite::Result<Self> {
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
        Ok(Ledger {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run `f` in one transaction, committed when it answers `Ok`; `wrap` turns SQLite's
    /// errors into the caller's.
    pub(crate) fn in_transaction<T, E>(
        &self,
        wrap: impl Fn(rusqlite::Error) -> E,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(&wrap)?;
        let out = f(&tx)?;
        tx.commit().map_err(&wrap)?;
        Ok(out)
    }

    /// Every request id received, in order.
    pub(crate) fn entries(&self) -> rusqlite::Result<Vec<LedgerEntry>> {
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
        rows.collect()
    }

    /// Payloads of results due at `now` and not yet delivered, oldest first.
    pub(crate) fn due_results(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> rusqlite::Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT payload FROM result_queue WHERE delivered = 0 AND due_at <= ?1
             ORDER BY due_at LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![millis(now), limit], |r| r.get::<_, String>(0))?;
        rows.collect()
    }

    /// Mark results as delivered.
    pub(crate) fn mark_delivered(&self, event_ids: &[String]) -> rusqlite::Result<()> {
        self.in_transaction(
            |e| e,
            |tx| {
                let mut stmt =
                    tx.prepare_cached("UPDATE result_queue SET delivered = 1 WHERE event_id = ?1")?;
                for id in event_ids {
                    stmt.execute([id])?;
                }
                Ok(())
            },
        )
    }

    /// When the next undelivered result is due.
    pub(crate) fn next_result_due(&self) -> rusqlite::Result<Option<DateTime<Utc>>> {
        let due: Option<i64> = self.conn().query_row(
            "SELECT MIN(due_at) FROM result_queue WHERE delivered = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(due.map(from_millis))
    }
}

/// The delivery id of a request already taken.
pub(crate) fn delivery_id_of(
    tx: &Connection,
    request_id: &str,
) -> rusqlite::Result<Option<String>> {
    tx.prepare_cached("SELECT delivery_id FROM request WHERE request_id = ?1")?
        .query_row([request_id], |r| r.get(0))
        .optional()
}

/// Record a refusal of the request; true the first time only.
pub(crate) fn refuse_first_time(tx: &Connection, request_id: &str) -> rusqlite::Result<bool> {
    Ok(tx
        .prepare_cached("INSERT OR IGNORE INTO refused (request_id) VALUES (?1)")?
        .execute([request_id])?
        == 1)
}

/// Count one more receipt of a request already taken.
pub(crate) fn count_repeat(tx: &Connection, request_id: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE request SET received = received + 1 WHERE request_id = ?1")?
        .execute([request_id])?;
    Ok(())
}

/// Record a request taken for the first time, and queue its result for `due`.
pub(crate) fn take_request(
    tx: &Connection,
    request: &NewRequest<'_>,
    event_id: &str,
    due: DateTime<Utc>,
    payload: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO request (request_id, delivery_id, received, first_at, dialled_at,
            contact_id, to_number, engagement_id, windows, result)
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        request.request_id,
        request.delivery_id,
        millis(request.first_at),
        request.dialled_at.map(millis),
        request.contact_id,
        request.to_number,
        request.engagement_id,
        request.windows,
        request.result,
    ])?;
    tx.prepare_cached("INSERT INTO result_queue (event_id, due_at, payload) VALUES (?1, ?2, ?3)")?
        .execute(params![event_id, millis(due), payload])?;
    Ok(())
}
