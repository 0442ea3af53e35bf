//! Export and import of journey files, on a real SQLite file and real files.

use chrono::{TimeZone, Utc};

use ::journeys::document::parse_journey;

use super::files::*;
use super::journeys::*;
use super::*;

fn now(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, minute, 0).unwrap()
}

const SAMPLE: &str = include_str!("../../../journeys/samples/renewal-calls.journey.json");

fn db_with_sample(dir: &std::path::Path) -> (Db, ::journeys::document::Journey) {
    let db = Db::open(dir).unwrap();
    let document = parse_journey(SAMPLE).unwrap();
    db.insert_draft(&document, "2026-11-25T12:00:00.000Z")
        .unwrap();
    (db, document)
}

#[test]
fn export_then_import_into_another_database_gives_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let (db, document) = db_with_sample(dir.path());
    let file = dir.path().join("renewals.journey.json");
    export_journey(&db, &document.id, &file).unwrap();

    let other_dir = tempfile::tempdir().unwrap();
    let other = Db::open(other_dir.path()).unwrap();
    let imported = import_journey(&other, now(1), &file, "unused".into()).unwrap();
    assert!(!imported.copied);
    assert_eq!(imported.summary.id, document.id);
    let back = open_journey(&other, &document.id).unwrap().document;
    assert_eq!(back, document);
    assert_eq!(
        back.semantic_json().unwrap(),
        document.semantic_json().unwrap()
    );
}

#[test]
fn importing_an_existing_id_makes_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (db, document) = db_with_sample(dir.path());
    let file = dir.path().join("renewals.journey.json");
    export_journey(&db, &document.id, &file).unwrap();

    let imported = import_journey(&db, now(2), &file, "fresh-id".into()).unwrap();
    assert!(imported.copied);
    assert_eq!(imported.summary.id, "fresh-id");
    assert_eq!(imported.summary.name, format!("{} (copy)", document.name));
    let copy = open_journey(&db, "fresh-id").unwrap().document;
    assert_eq!(copy.tiles, document.tiles);
    // The original is untouched.
    assert_eq!(open_journey(&db, &document.id).unwrap().document, document);
    assert_eq!(list_journeys(&db).unwrap().len(), 2);
}

fn refused(db: &Db, path: &std::path::Path) -> String {
    let before = list_journeys(db).unwrap();
    let error = import_journey(db, now(3), path, "new".into()).unwrap_err();
    assert_eq!(list_journeys(db).unwrap(), before, "nothing is stored");
    match error {
        OpsError::InvalidInput(message) => message,
        other => panic!("expected a message for the marketer, got {other:?}"),
    }
}

#[test]
fn a_malformed_file_is_named_by_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = db_with_sample(dir.path());
    let file = dir.path().join("broken.journey.json");
    std::fs::write(&file, "{\n  \"schemaVersion\": 1,\n  \"id\": oops\n}\n").unwrap();
    let message = refused(&db, &file);
    assert!(message.contains("broken.journey.json"), "{message}");
    assert!(message.contains("line 3, column"), "{message}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = db_with_sample(dir.path());
    let file = dir.path().join("future.journey.json");
    std::fs::write(
        &file,
        SAMPLE.replacen("\"schemaVersion\": 1", "\"schemaVersion\": 7", 1),
    )
    .unwrap();
    let message = refused(&db, &file);
    assert!(message.contains("newer Switchboard"), "{message}");
}

#[test]
fn an_oversized_or_binary_or_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = db_with_sample(dir.path());
    let big = dir.path().join("big.journey.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(::journeys::document::MAX_DOCUMENT_BYTES as u64 + 1)
        .unwrap();
    assert!(refused(&db, &big).contains("limited to"));

    let binary = dir.path().join("binary.journey.json");
    std::fs::write(&binary, [b'{', 0xff, 0xfe, b'}']).unwrap();
    assert!(refused(&db, &binary).contains("not UTF-8"));

    let missing = dir.path().join("missing.journey.json");
    assert!(refused(&db, &missing).contains("Cannot read"));
}

#[test]
fn exporting_into_a_missing_folder_fails_clearly_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, document) = db_with_sample(dir.path());
    let target = dir.path().join("no-such-folder").join("x.journey.json");
    let error = export_journey(&db, &document.id, &target).unwrap_err();
    assert!(
        matches!(&error, OpsError::InvalidInput(m) if m.contains("Cannot write")),
        "{error:?}"
    );
    assert!(!target.exists());
}
