use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};

use ::journeys::document::{QuietTimeOption, Tile, VoiceConversationTile};

use super::catalog::{get_catalog, refresh_catalog, set_catalog_source};
use super::journeys::*;
use super::lookups::*;
use super::*;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../journeys/samples/catalog.json")
}

fn now(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, minute, 0).unwrap()
}

#[test]
fn create_rename_duplicate_delete() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let opened =
        create_journey(&db, now(0), "j1".into(), "  Renewals  ", "America/Chicago").unwrap();
    assert_eq!(opened.document.name, "Renewals");
    assert_eq!(opened.document.time_zone, "America/Chicago");
    assert_eq!(opened.summary.tile_count, 1);
    let bad_zone = create_journey(&db, now(0), "j2".into(), "Other", "Mars/Base").unwrap();
    assert_eq!(bad_zone.document.time_zone, "UTC");
    assert!(matches!(
        create_journey(&db, now(0), "j3".into(), "  ", "UTC"),
        Err(OpsError::InvalidInput(_))
    ));
    assert!(matches!(
        rename_journey(&db, now(1), "j1", &"x".repeat(151)),
        Err(OpsError::InvalidInput(_))
    ));

    let renamed = rename_journey(&db, now(2), "j1", "Renewals Q4").unwrap();
    assert_eq!(renamed.updated_at, "2026-11-25T12:02:00.000Z");
    assert_eq!(
        open_journey(&db, "j1").unwrap().document.name,
        "Renewals Q4"
    );

    let copy = duplicate_journey(&db, now(3), "j1", "j1c".into()).unwrap();
    assert_eq!(copy.name, "Renewals Q4 (copy)");
    let copy_doc = open_journey(&db, "j1c").unwrap().document;
    assert_eq!(copy_doc.id, "j1c");
    assert_eq!(
        copy_doc.tiles,
        open_journey(&db, "j1").unwrap().document.tiles
    );

    let list = list_journeys(&db).unwrap();
    assert_eq!(list[0].id, "j1c");
    delete_journey(&db, "j1").unwrap();
    assert!(matches!(
        open_journey(&db, "j1"),
        Err(OpsError::Storage(crate::storage::StorageError::NotFound(_)))
    ));
    assert_eq!(list_journeys(&db).unwrap().len(), 2);
}

#[test]
fn autosave_keeps_the_document_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let mut doc = create_journey(&db, now(0), "j".into(), "J", "UTC")
        .unwrap()
        .document;
    doc.tiles
        .push(Tile::VoiceConversation(VoiceConversationTile {
            id: "v1".into(),
            name: "Call".into(),
            engagement_id: Some("eng-renewals-voice".into()),
            send_to: None,
            compliance_profile_id: Some("cp-us-marketing".into()),
            purpose_id: None,
            topic_id: None,
            quiet_time: Some(QuietTimeOption::Override { setting_id: None }),
        }));
    save_draft(&db, now(5), &doc).unwrap();
    drop(db);
    let db = Db::open(dir.path()).unwrap();
    let opened = open_journey(&db, "j").unwrap();
    assert_eq!(opened.document, doc);
    assert_eq!(opened.summary.tile_count, 2);
}

#[test]
fn the_catalog_fills_from_its_source_and_survives_an_unreachable_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let state = get_catalog(&db, &sample(), now(0), None).unwrap();
    assert!(state.catalog.engagements.len() >= 4);
    assert_eq!(
        state.refreshed_at.as_deref(),
        Some("2026-11-25T12:00:00.000Z")
    );

    // A copy we can break.
    let copy = dir.path().join("catalog.json");
    std::fs::copy(sample(), &copy).unwrap();
    set_catalog_source(&db, &sample(), now(1), copy.to_str().unwrap(), None).unwrap();
    std::fs::remove_file(&copy).unwrap();
    let error = refresh_catalog(&db, &sample(), now(2), None).unwrap_err();
    assert!(
        matches!(error, OpsError::CatalogUnreachable { .. }),
        "{error}"
    );
    let cached = get_catalog(&db, &sample(), now(3), None).unwrap();
    assert_eq!(
        cached.refreshed_at.as_deref(),
        Some("2026-11-25T12:01:00.000Z")
    );
    assert_eq!(cached.catalog, state.catalog);

    std::fs::write(&copy, "{\n \"engagements\": 5 }").unwrap();
    let error = refresh_catalog(&db, &sample(), now(4), None).unwrap_err();
    assert!(error.to_string().contains("line 2"), "{error}");
    assert_eq!(
        get_catalog(&db, &sample(), now(5), None).unwrap().catalog,
        state.catalog
    );
    assert!(matches!(
        set_catalog_source(&db, &sample(), now(6), "/no/such/file.json", None),
        Err(OpsError::CatalogUnreachable { .. })
    ));
}

#[test]
fn an_empty_cache_and_an_unreachable_source_still_allow_editing() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let state = get_catalog(&db, Path::new("/no/such/catalog.json"), now(0), None).unwrap();
    assert!(state.catalog.engagements.is_empty());
    assert!(state.refreshed_at.is_none());
    assert!(state.problem.unwrap().contains("/no/such/catalog.json"));
    let doc = create_journey(&db, now(0), "j".into(), "J", "UTC")
        .unwrap()
        .document;
    assert!(validate_journey(&db, now(5), &doc).is_ok());
}

#[test]
fn validation_reports_journey_level_problems() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let mut doc = create_journey(&db, now(0), "j".into(), "J", "UTC")
        .unwrap()
        .document;
    doc.name = String::new();
    let problems = validate_journey(&db, now(5), &doc).unwrap();
    assert!(problems.iter().any(|d| d.path.as_deref() == Some("name")));
}

#[test]
fn quiet_time_follows_inherit_override_and_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    get_catalog(&db, &sample(), now(0), None).unwrap();
    let mut doc = create_journey(&db, now(0), "j".into(), "J", "UTC")
        .unwrap()
        .document;
    let mut voice = VoiceConversationTile {
        id: "v".into(),
        name: String::new(),
        engagement_id: None,
        send_to: None,
        compliance_profile_id: Some("cp-us-marketing".into()),
        purpose_id: None,
        topic_id: None,
        quiet_time: Some(QuietTimeOption::Inherit),
    };
    doc.tiles.push(Tile::VoiceConversation(voice.clone()));
    let inherited = quiet_time_summary(&db, &doc, "v").unwrap();
    assert_eq!(
        inherited.setting_name.as_deref(),
        Some("US calling hours (TCPA)")
    );
    assert!(
        inherited
            .lines
            .iter()
            .any(|l| l.contains("Mon, Tue, Wed, Thu, Fri 21:00–08:00"))
    );
    // The profile's quiet time with no profile chosen yet: the summary says to choose one.
    let mut unprofiled = voice.clone();
    unprofiled.compliance_profile_id = None;
    doc.tiles[1] = Tile::VoiceConversation(unprofiled);
    let waiting = quiet_time_summary(&db, &doc, "v").unwrap();
    assert_eq!(waiting.setting_name, None);
    assert_eq!(
        waiting.lines,
        ["Choose a compliance profile first: this tile then follows its quiet time."]
    );
    voice.quiet_time = Some(QuietTimeOption::None);
    doc.tiles[1] = Tile::VoiceConversation(voice);
    assert_eq!(
        quiet_time_summary(&db, &doc, "v").unwrap().setting_name,
        None
    );
    assert!(time_zones().iter().any(|z| z == "America/Chicago"));
}

#[test]
fn the_shipped_sample_is_a_valid_journey_under_a_new_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    get_catalog(&db, &sample(), now(0), None).unwrap();
    let opened = create_sample_journey(&db, now(0), "s1".into()).unwrap();
    assert_eq!(opened.document.id, "s1");
    assert_eq!(opened.summary.name, "Policy renewal calls");
    assert!(opened.summary.tile_count > 5, "{:?}", opened.summary);
    assert_eq!(open_journey(&db, "s1").unwrap().document, opened.document);
    let problems = validate_journey(&db, now(0), &opened.document).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}
