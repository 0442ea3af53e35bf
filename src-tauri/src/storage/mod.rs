//! All SQL of the designer: one SQLite file in the data folder holding drafts, the catalog
//! cache and settings.
//!
//! [`Db::open`] refuses a file written by a newer Switchboard before touching it, then sets WAL,
//! `synchronous=NORMAL`, foreign keys and a busy timeout, and applies the embedded forward-only
//! migrations in one transaction. A killed process loses no commit.

mod catalog;
mod draft_base;
mod drafts;
mod settings;
mod test_runs;
mod version_cache;

pub use catalog::CachedCatalog;
pub use draft_base::DraftBase;
pub use drafts::{DraftRow, DraftStatus, DraftSummary, LiveVersion};
pub use test_runs::StoredTestRun;
pub use version_cache::CachedVersions;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "switchboard.sqlite3";

/// Forward-only migrations; the schema version is the number applied. Never edit a shipped one.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261125120000_drafts",
        include_str!("migrations/20261125120000_drafts.sql"),
    ),
    (
        "20261125120100_catalog_cache",
        include_str!("migrations/20261125120100_catalog_cache.sql"),
    ),
    (
        "20261125130000_draft_tile_count",
        include_str!("migrations/20261125130000_draft_tile_count.sql"),
    ),
    (
        "20261125140000_runtime_target",
        include_str!("migrations/20261125140000_runtime_target.sql"),
    ),
    (
        "20261125150000_test_runs",
        include_str!("migrations/20261125150000_test_runs.sql"),
    ),
    (
        "20261205120000_draft_base",
        include_str!("migrations/20261205120000_draft_base.sql"),
    ),
    (
        "20261205140000_version_cache",
        include_str!("migrations/20261205140000_version_cache.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The file was written by a newer Switchboard; it is left untouched.
    #[error(
        "{path} was written by a newer Switchboard (schema {found}, this build knows up to \
         {supported}); it was left untouched: update Switchboard to open it"
    )]
    NewerDatabase {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// No draft with this id.
    #[error("no journey with id {0}")]
    NotFound(String),
    /// A stored document is not valid JSON for this build.
    #[error("stored journey {id} cannot be read: {source}")]
    Corrupt {
        /// The draft.
        id: String,
        /// Why.
        source: serde_json::Error,
    },
    /// Serialising a document failed.
    #[error("cannot encode the journey: {0}")]
    Encode(#[from] serde_json::Error),
    /// SQLite failed.
    #[error("database error in {context}: {source}")]
    Sqlite {
        /// What was being done.
        context: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
}

/// Shorthand for storage results.
pub type Result<T> = std::result::Result<T, StorageError>;

pub(crate) trait Context<T> {
    fn ctx(self, context: &'static str) -> Result<T>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn ctx(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StorageError::Sqlite { context, source })
    }
}

/// The storage handle: one connection behind a mutex (the designer is one user).
#[derive(Debug)]
pub struct Db {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Db {
    /// Open (creating if missing) the database in `data_dir` and migrate it to this build.
    pub fn open(data_dir: &Path) -> Result<Db> {
        Self::open_at_version(data_dir, SCHEMA_VERSION)
    }

    /// Open and migrate only up to `target` (tests build earlier schema versions with it).
    pub fn open_at_version(data_dir: &Path, target: u32) -> Result<Db> {
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path).ctx("opening the database file")?;
        let found: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx("reading the schema version")?;
        if found > SCHEMA_VERSION {
            return Err(StorageError::NewerDatabase {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        conn.busy_timeout(Duration::from_secs(5))
            .ctx("setting the busy timeout")?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .ctx("enabling WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .ctx("setting synchronous")?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .ctx("enabling foreign keys")?;
        migrate(&mut conn, found, target.min(SCHEMA_VERSION))?;
        Ok(Db {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current schema version of the open file.
    pub fn schema_version(&self) -> Result<u32> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .ctx("reading the schema version")
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .ctx("checking integrity")
    }
}

fn migrate(conn: &mut Connection, from: u32, to: u32) -> Result<()> {
    if from >= to {
        return Ok(());
    }
    let tx = conn.transaction().ctx("starting the migration")?;
    for (_, sql) in &MIGRATIONS[from as usize..to as usize] {
        tx.execute_batch(sql).ctx("applying a migration")?;
    }
    tx.pragma_update(None, "user_version", to)
        .ctx("recording the schema version")?;
    tx.commit().ctx("committing the migration")
}

#[cfg(test)]
mod tests;
