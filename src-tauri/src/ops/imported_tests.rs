//! The publish review's audience when the draft has no test run: the contacts last imported
//! into that runtime from this app (the embedded one, and one served on 127.0.0.1), not a
//! generated sample; another runtime's import is not used.

use std::path::Path;

use ::journeys::document::QuietTimeOption;

use super::imported::{imported_audience, remember_import};
use super::review::{ImpactAudience, publish_reviewed, review_publish};
use super::review_tests::{journey, now, save, set_quiet_time, setup};

fn sample(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime/samples")
        .join(file)
        .to_string_lossy()
        .into_owned()
}

fn imported_contacts_are_the_audience(served: bool) {
    let s = setup(served);
    let id = journey().id;
    let (db, rt) = &s.a;
    // What the Contacts… dialog's command keeps after importing (setup imported the same).
    remember_import(
        db,
        &rt.label(),
        Some(&sample("contacts.csv")),
        Some(&sample("consents.csv")),
    )
    .unwrap();
    publish_reviewed(db, rt, &id, None).unwrap();
    let mut edited = journey();
    set_quiet_time(&mut edited, QuietTimeOption::Inherit);
    save(db, &edited);
    let impact = review_publish(db, rt, &id, now()).unwrap().impact.unwrap();
    assert_eq!(impact.audience, ImpactAudience::ImportedContacts);
    assert_eq!(impact.contacts, 20);
    assert_eq!(
        impact.source,
        "the 20 imported contacts (contacts.csv, consents.csv)"
    );
    let call = impact
        .tiles
        .iter()
        .find(|t| t.tile_id == "call-renewal")
        .unwrap();
    let (before, after) = (call.before.clone().unwrap(), call.after.clone().unwrap());
    let reached = before.called + before.held + before.blocked.values().sum::<u32>();
    assert!(reached > 0 && reached <= 20, "{before:?}");
    // c20 has no phone: the imported contacts themselves are forecast, not made-up ones.
    assert_eq!(
        before.blocked.get("CONTACT_POINT_MISSING"),
        Some(&1),
        "{before:?}"
    );
    assert!(after.held > before.held, "{before:?} → {after:?}");

    // The other computer imported nothing from its app: its review falls back to a sample.
    let (db_b, rt_b) = &s.b;
    assert!(imported_audience(db_b, &rt_b.label()).unwrap().is_none());
}

#[test]
fn the_review_forecasts_the_imported_contacts_embedded() {
    imported_contacts_are_the_audience(false);
}

#[test]
fn the_review_forecasts_the_imported_contacts_served() {
    imported_contacts_are_the_audience(true);
}

#[test]
fn an_import_into_another_runtime_is_not_this_ones_audience() {
    let s = setup(false);
    let (db, _) = &s.a;
    remember_import(
        db,
        "http://10.0.0.5:8080",
        Some(&sample("contacts.csv")),
        None,
    )
    .unwrap();
    assert!(imported_audience(db, "embedded").unwrap().is_none());
    let kept = imported_audience(db, "http://10.0.0.5:8080")
        .unwrap()
        .unwrap();
    assert_eq!((kept.contacts.len(), kept.consents.len()), (20, 0));
    assert_eq!(kept.source, "contacts.csv");
}
