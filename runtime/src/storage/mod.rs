//! All SQL of the runtime: schema (`schema`), publish and version states (`versions`),
//! enrolment (`enroll`), claim-execute-commit (`steps`), the outbox (`outbox`), consent
//! (`consent`), read-only answers (`read`), the simulator's ledger file (`ledger`); the
//! values it takes and gives in `types`.
//!
//! One SQLite file in WAL mode. Every state change is one transaction: a batch of
//! transitions commits its new run states, work rows (durable timers), waits, outbox rows
//! and counts together, so a `kill -9` leaves either all of a batch or none of it.

mod consent;
mod contract;
mod enroll;
#[cfg(feature = "restate")]
mod handoff;
pub(crate) mod ledger;
mod outbox;
mod read;
#[cfg(feature = "restate")]
mod run_directory;
mod schema;
mod steps;
#[cfg(test)]
mod test_fixture;
mod tile_contacts;
#[cfg(test)]
mod tile_contacts_tests;
mod tokens;
mod types;
mod version_doc;
mod version_stats;
#[cfg(test)]
mod version_stats_tests;
mod versions;

#[cfg(test)]
mod idle_tests;
#[cfg(test)]
mod newer_tests;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use journeys::document::Journey;
use journeys::lifecycle::PAUSE_LIMIT;
use journeys::step::JourneyGraph;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use crate::core::input_token;
use consent::{SqlConsents, enum_text, upsert_consent};
pub use contract::ActiveVersion;
use enroll::{enroll_segment_member, insert_work, load_contact, members_of};
#[cfg(feature = "restate")]
pub use handoff::PendingStart;
pub(crate) use outbox::retry_delay;
#[cfg(feature = "restate")]
pub use run_directory::RunEntry;
use steps::deliver_effect_result;
#[cfg(feature = "restate")]
pub(crate) use steps::{count_key, phase_name};
pub use tile_contacts::{
    CSV_HEADER, ContactAtTile, ContactsAt, MAX_PAGE, TileContactsPage, TileContactsQuery, write_csv,
};
pub use tokens::{TokenScope, token_hash};
pub use types::{
    OutcomeAccepted, Published, SegmentDefinition, SendResult, Status, TileCounts, TriggerAccepted,
    TriggerEvent, VersionAction, VersionCounts, VersionInfo,
};
pub use version_doc::VersionDocument;
pub use version_stats::{MAX_COMPUTER_NAME, VersionSummary, check_computer, content_hash};
use versions::{live_version_ids, version_id, version_row};

pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// The SQLite store. All methods take the one connection's lock.
pub struct Store {
    conn: Mutex<Connection>,
    graphs: Mutex<HashMap<i64, Arc<JourneyGraph>>>,
    /// When the next version-level event is due (a pause's limit, a repeating journey's
    /// round), in milliseconds; `i64::MAX` for none. Kept in memory (this process has the
    /// database to itself) so the worker's rounds do not query for it.
    lifecycle_due: AtomicI64,
}

impl Store {
    /// Open (or create) the database: WAL, migrations, exclusive use by this process.
    /// A database written by a newer build is refused before anything is written to it.
    pub fn open(path: &Path, synchronous_full: bool) -> Result<Self> {
        if path.exists() {
            // Read-only first: a read-write connection could still change a newer file
            // (a checkpoint of its WAL when closed).
            let reader =
                Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            schema::refuse_newer(&reader, path)?;
        }
        let mut conn = Connection::open(path)?;
        schema::prepare(&mut conn, path, synchronous_full)?;
        let store = Store {
            conn: Mutex::new(conn),
            graphs: Mutex::new(HashMap::new()),
            lifecycle_due: AtomicI64::new(i64::MAX),
        };
        store.refresh_lifecycle_due(&store.conn())?;
        Ok(store)
    }

    /// Re-read when the next version-level event is due, after versions changed.
    fn refresh_lifecycle_due(&self, conn: &Connection) -> Result<()> {
        let due: Option<i64> = conn.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(paused_at) + ?1 AS d FROM journey_version
                                 WHERE state = 'paused'
                                 UNION ALL SELECT MIN(due_at) FROM round)",
            [PAUSE_LIMIT.num_milliseconds()],
            |r| r.get(0),
        )?;
        self.lifecycle_due
            .store(due.unwrap_or(i64::MAX), AtomicOrdering::Relaxed);
        Ok(())
    }

    /// Version-level events due at `now`: pauses past their limit stop, and repeating
    /// journeys whose round has come admit their members. Returns how many things happened.
    /// Costs nothing when none is due.
    pub fn run_lifecycle(&self, now: DateTime<Utc>) -> Result<usize> {
        if self.lifecycle_due.load(AtomicOrdering::Relaxed) > millis(now) {
            return Ok(0);
        }
        let done = self.stop_expired_pauses(now)?.len() + self.run_rounds(now)?;
        self.refresh_lifecycle_due(&self.conn())?;
        Ok(done)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A meta value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Set a meta value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn graph(&self, tx: &Connection, version_id: i64) -> Result<Arc<JourneyGraph>> {
        let mut graphs = self.graphs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(graph) = graphs.get(&version_id) {
            return Ok(graph.clone());
        }
        let text: String = tx.query_row(
            "SELECT document FROM journey_version WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?;
        let journey: Journey = parse(&text, "journey version")?;
        let graph = Arc::new(JourneyGraph::new(&journey));
        graphs.insert(version_id, graph.clone());
        Ok(graph)
    }
}

fn set_clock(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('clock', ?1)
         ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
    )?
    .execute([millis(now).to_string()])?;
    Ok(())
}
