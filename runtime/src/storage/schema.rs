//! Opening the database: pragmas and forward-only embedded migrations.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migrations in order; the database's `user_version` says how many are applied.
/// Never edit a shipped one: add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/20261125120000_runtime.sql"),
    include_str!("migrations/20261125160000_republish.sql"),
    include_str!("migrations/20261125170000_pause_limit.sql"),
    include_str!("migrations/20261125180000_rounds.sql"),
    include_str!("migrations/20261205120000_api_tokens.sql"),
    include_str!("migrations/20261205130000_version_computer.sql"),
    include_str!("migrations/20261205140000_run_tile.sql"),
];

/// Refuse a database written by a newer build, reading only: call it before anything that
/// could write (a journal-mode switch, a migration, a checkpoint on close).
pub(super) fn refuse_newer(conn: &Connection, path: &Path) -> Result<i64> {
    let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if applied > known {
        return Err(Error::Conflict(format!(
            "{} was written by a newer Switchboard runtime (schema {applied}, this build knows {known}); it was left untouched",
            path.display()
        )));
    }
    Ok(applied)
}

/// Refuse a newer database, then set pragmas and migrate in one transaction.
pub(super) fn prepare(conn: &mut Connection, path: &Path, synchronous_full: bool) -> Result<()> {
    let applied = refuse_newer(conn, path)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = {};
         PRAGMA busy_timeout = 5000;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;
         PRAGMA wal_autocheckpoint = 16384;",
        if synchronous_full { "FULL" } else { "NORMAL" }
    ))?;
    // Foreign keys are off while migrating (a table rebuild drops and renames tables, which
    // they would refuse half way) and checked before the migration commits.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
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
    let broken: i64 = tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(Error::Corrupt(format!(
            "migrating the database would leave {broken} rows pointing at missing rows; it was left untouched"
        )));
    }
    tx.commit()?;
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database at schema 1 with one published version and a contact's run on it.
    fn schema_one(path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO journey_version (id, journey_id, number, content_hash, document, state, published_at)
                 VALUES (7, 'renewals', 1, 'abc', '{}', 'live', 0);
             INSERT INTO contact (id, data) VALUES ('c1', '{}');
             INSERT INTO contact_run (version_id, contact_id, entry_key, state, status, tile, phase)
                 VALUES (7, 'c1', 'segment', '{}', 'active', 'call', 'ready');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }

    #[test]
    fn the_republish_migration_keeps_versions_and_runs_and_allows_a_repeated_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rt.sqlite");
        schema_one(&path);
        let mut conn = Connection::open(&path).unwrap();
        prepare(&mut conn, &path, false).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, i64::try_from(MIGRATIONS.len()).unwrap());
        let (id, hash): (i64, String) = conn
            .query_row(
                "SELECT id, content_hash FROM journey_version WHERE number = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((id, hash.as_str()), (7, "abc"));
        let broken: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0, "the run still points at its version");
        conn.execute(
            "INSERT INTO journey_version (journey_id, number, content_hash, document, state, published_at)
             VALUES ('renewals', 2, 'abc', '{}', 'live', 1)",
            [],
        )
        .unwrap();
        let refused = conn.execute(
            "INSERT INTO contact_run (version_id, contact_id, entry_key, state, status, tile, phase)
             VALUES (999, 'c1', 'x', '{}', 'active', 'call', 'ready')",
            [],
        );
        assert!(refused.is_err(), "foreign keys are still enforced");
    }
}
