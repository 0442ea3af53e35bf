//! Opening the database: pragmas and forward-only embedded migrations.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migrations in order; the database's `user_version` says how many are applied.
/// Never edit a shipped one: add a new file.
const MIGRATIONS: &[&str] = &[include_str!("migrations/20261125120000_runtime.sql")];

/// Set pragmas and migrate, in one transaction; refuse a database from a newer build.
pub(super) fn prepare(conn: &mut Connection, synchronous_full: bool) -> Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {};
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;
         PRAGMA wal_autocheckpoint = 16384;",
        if synchronous_full { "FULL" } else { "NORMAL" }
    ))?;
    let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if applied > known {
        return Err(Error::Conflict(format!(
            "the database was written by a newer Switchboard runtime (schema {applied}, this build knows {known}); it was left untouched"
        )));
    }
    let tx = conn.transaction()?;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )?;
    }
    tx.commit()?;
    Ok(())
}
