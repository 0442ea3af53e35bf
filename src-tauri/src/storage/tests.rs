use super::*;
use crate::stress::stress_journey;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp dir")
}

#[test]
fn an_empty_file_migrates_to_the_latest_schema_with_wal_and_foreign_keys() {
    let dir = tmp();
    let db = Db::open(dir.path()).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = db.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let timeout: i64 = conn
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(timeout, 5000);
}

#[test]
fn every_earlier_version_migrates_forward_keeping_its_drafts() {
    for version in 1..SCHEMA_VERSION {
        let dir = tmp();
        {
            let db = Db::open_at_version(dir.path(), version).unwrap();
            assert_eq!(db.schema_version().unwrap(), version);
            // Written with the columns of version 1, as that release did.
            let json = serde_json::to_string(&stress_journey(7, 3)).unwrap();
            db.conn()
                .execute(
                    "INSERT INTO drafts (id, name, created_at, updated_at, document)
                     VALUES ('stress', 'revision 7', 't', 't', ?1)",
                    [json],
                )
                .unwrap();
        }
        let db = Db::open(dir.path()).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        let row = db.draft("stress").unwrap();
        assert_eq!(row.document.name, "revision 7");
        // The tile-count column (version 3) is backfilled from the stored documents.
        if version < 3 {
            assert_eq!(row.summary.tile_count, 4);
        }
        assert!(db.cached_catalog().unwrap().is_none());
    }
}

#[test]
fn reopening_the_latest_version_changes_nothing() {
    let dir = tmp();
    Db::open(dir.path())
        .unwrap()
        .insert_draft(&stress_journey(1, 0), "2026-01-01T00:00:00.000Z")
        .unwrap();
    let db = Db::open(dir.path()).unwrap();
    assert_eq!(db.list_drafts().unwrap().len(), 1);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_byte_for_byte_untouched() {
    let dir = tmp();
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Db::open(dir.path()).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, StorageError::NewerDatabase { found: 99, .. }),
        "{message}"
    );
    assert!(message.contains("newer Switchboard"), "{message}");
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists());
}

#[test]
fn drafts_round_trip_list_newest_first_and_delete() {
    let dir = tmp();
    let db = Db::open(dir.path()).unwrap();
    let mut a = stress_journey(1, 2);
    a.id = "a".into();
    let mut b = stress_journey(2, 0);
    b.id = "b".into();
    db.insert_draft(&a, "2026-01-01T00:00:00.000Z").unwrap();
    db.insert_draft(&b, "2026-01-02T00:00:00.000Z").unwrap();
    a.name = "renamed".into();
    let saved = db.save_draft(&a, "2026-01-03T00:00:00.000Z").unwrap();
    assert_eq!(saved.name, "renamed");
    let list = db.list_drafts().unwrap();
    assert_eq!(
        list.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(db.draft("a").unwrap().document, a);
    db.delete_draft("a").unwrap();
    assert!(matches!(db.draft("a"), Err(StorageError::NotFound(_))));
    assert!(matches!(
        db.delete_draft("a"),
        Err(StorageError::NotFound(_))
    ));
    assert!(matches!(
        db.save_draft(&a, "2026-01-04T00:00:00.000Z"),
        Err(StorageError::NotFound(_))
    ));
}

#[test]
fn a_corrupt_stored_document_is_reported_not_panicked() {
    let dir = tmp();
    let db = Db::open(dir.path()).unwrap();
    db.conn()
        .execute(
            "INSERT INTO drafts (id, name, created_at, updated_at, document)
             VALUES ('x', 'x', 't', 't', '{\"tiles\": 3}')",
            [],
        )
        .unwrap();
    let error = db.draft("x").unwrap_err();
    assert!(matches!(error, StorageError::Corrupt { .. }), "{error}");
    assert!(error.to_string().contains("stored journey x"));
}

#[test]
fn the_catalog_cache_is_replaced_whole() {
    let dir = tmp();
    let db = Db::open(dir.path()).unwrap();
    let first = CachedCatalog {
        source: "a.json".into(),
        document: "{}".into(),
        refreshed_at: "t1".into(),
    };
    db.replace_catalog(&first).unwrap();
    let second = CachedCatalog {
        source: "b.json".into(),
        document: "{\"engagements\":[]}".into(),
        refreshed_at: "t2".into(),
    };
    db.replace_catalog(&second).unwrap();
    assert_eq!(db.cached_catalog().unwrap(), Some(second));
    let bad = CachedCatalog {
        source: "c.json".into(),
        document: "not json".into(),
        refreshed_at: "t3".into(),
    };
    assert!(db.replace_catalog(&bad).is_err());
    assert_eq!(db.cached_catalog().unwrap().unwrap().source, "b.json");
}
