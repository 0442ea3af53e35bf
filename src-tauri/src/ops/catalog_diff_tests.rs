//! A catalog refresh says what changed since the previous one.

use chrono::{TimeZone, Utc};
use journeys::catalog::references::CatalogItem;

use super::Db;
use super::catalog::{get_catalog, refresh_catalog, set_catalog_source};

#[test]
fn a_refresh_lists_what_changed_since_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../journeys/samples/catalog.json");
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let db = Db::open(dir.path()).unwrap();
    let first = get_catalog(&db, &sample, now, None).unwrap();
    assert_eq!(first.changes, None, "the first fill compares with nothing");

    let copy = dir.path().join("catalog.json");
    let mut catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    std::fs::write(&copy, catalog.to_string()).unwrap();
    let same = set_catalog_source(&db, &sample, now, copy.to_str().unwrap(), None).unwrap();
    assert!(same.changes.unwrap().is_empty());

    catalog["quietTimeSettings"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["id"] != "qt-clinic");
    catalog["engagements"][0]["channel"] = serde_json::json!("sms");
    std::fs::write(&copy, catalog.to_string()).unwrap();
    let changes = refresh_catalog(&db, &sample, now, None)
        .unwrap()
        .changes
        .unwrap();
    assert_eq!(
        changes.removed,
        vec![CatalogItem::QuietTimeSetting {
            id: "qt-clinic".into()
        }]
    );
    assert_eq!(changes.changed.len(), 1);
    assert!(changes.changed[0].retyped);
    assert!(changes.added.is_empty());
}
