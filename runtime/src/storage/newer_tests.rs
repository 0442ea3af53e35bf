//! A runtime database written by a newer build is refused before anything is written: the
//! file (and a WAL left beside it) keeps every byte, and no journal file appears.

use std::path::Path;

use rusqlite::Connection;

use crate::error::Error;
use crate::storage::Store;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn assert_refused(path: &Path) {
    let error = match Store::open(path, false) {
        Ok(_) => panic!("a newer database was opened"),
        Err(error) => error,
    };
    let message = error.to_string();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert!(message.contains("newer Switchboard runtime"), "{message}");
    assert!(message.contains("schema 99"), "{message}");
    assert!(message.contains("left untouched"), "{message}");
    assert!(
        message.contains(&path.display().to_string()),
        "names the file: {message}"
    );
}

#[test]
fn a_newer_database_is_refused_and_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rt.sqlite");
    {
        // A rollback-journal file: opening it the old way switched it to WAL first.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = files(dir.path());
    assert_eq!(before.len(), 1, "only the database file");
    assert_refused(&path);
    assert_eq!(files(dir.path()), before, "no byte changed, no file added");
}

#[test]
fn a_newer_database_with_a_wal_left_behind_keeps_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    let copy = dir.path().join("copy");
    std::fs::create_dir_all(&live).unwrap();
    std::fs::create_dir_all(&copy).unwrap();
    let writer = Connection::open(live.join("rt.sqlite")).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE future (x); PRAGMA user_version = 99;
             INSERT INTO future VALUES (1), (2), (3);",
        )
        .unwrap();
    // The files as a newer runtime killed mid-way leaves them: frames still in the WAL.
    for name in ["rt.sqlite", "rt.sqlite-wal"] {
        std::fs::copy(live.join(name), copy.join(name)).unwrap();
    }
    drop(writer);
    let before = files(&copy);
    assert!(
        before
            .iter()
            .any(|(name, bytes)| name == "rt.sqlite-wal" && !bytes.is_empty()),
        "the WAL holds frames"
    );
    assert_refused(&copy.join("rt.sqlite"));
    let after: Vec<_> = files(&copy)
        .into_iter()
        .filter(|(name, _)| name != "rt.sqlite-shm")
        .collect();
    assert_eq!(after, before, "the database and its WAL keep every byte");
}

#[test]
fn a_database_of_this_version_still_opens_after_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rt.sqlite");
    drop(Store::open(&path, false).unwrap());
    let store = Store::open(&path, false).unwrap();
    store.set_meta("k", "v").unwrap();
    assert_eq!(store.meta("k").unwrap().as_deref(), Some("v"));
}
