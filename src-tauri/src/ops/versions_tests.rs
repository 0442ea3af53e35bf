//! The versions panel and the header's status against real runtimes — the embedded one on
//! temp SQLite files and one serving its HTTP API on 127.0.0.1 — through the repro:
//! 20 contacts, v1 starting in the future, v2 starting now, v1 stopped from the panel; and a
//! runtime that goes away (the panel shows what it last saw).

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use ::journeys::document::{Journey, StartCondition, Tile, parse_journey};

use super::catalog::get_catalog;
use super::embedded::EmbeddedRuntime;
use super::publish::{LiveAction, import_contacts, publish_journey};
use super::publish_tests::{sample_catalog, serve};
use super::runtime::{RuntimeClient, RuntimeTarget, connect, set_runtime_target};
use super::versions::{VersionsView, open_version, version_action, versions_view};
use super::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// Monday 7 Dec 2099, 09:00 in Chicago: in the future whatever the machine's clock says.
fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2099, 12, 7, 15, 0, 0).unwrap()
}

fn starting(at: DateTime<Utc>) -> Journey {
    let text =
        std::fs::read_to_string(repo("journeys/samples/renewal-calls.journey.json")).unwrap();
    let mut journey = parse_journey(&text).unwrap();
    for tile in &mut journey.tiles {
        if let Tile::Start(start) = tile
            && let Some(StartCondition::Segment(segment)) = &mut start.start
        {
            segment.start_at = Some(at);
        }
    }
    journey
}

fn save(db: &Db, journey: &Journey) {
    super::journeys::save_draft(db, now(), journey).unwrap();
}

fn panel(db: &Db, client: &RuntimeClient, id: &str) -> VersionsView {
    versions_view(db, Ok(client), &client.label(), id, now()).unwrap()
}

/// The repro on `client`: import, publish v1 for later, move the start, publish v2, stop v1.
fn repro(db: &Db, client: &RuntimeClient) {
    let v1 = starting(monday());
    let id = v1.id.clone();
    let fresh = panel(db, client, &id);
    assert_eq!(
        (fresh.status.text.as_str(), fresh.versions.len()),
        ("Draft", 0)
    );

    let imported = import_contacts(
        client,
        repo("runtime/samples/contacts.csv").to_str(),
        repo("runtime/samples/consents.csv").to_str(),
        Some("seg-renewals-due"),
    )
    .unwrap();
    assert_eq!(imported.contacts, 20);
    publish_journey(db, client, &id, "laptop-a").unwrap();
    let scheduled = panel(db, client, &id);
    assert_eq!(
        scheduled.status.text,
        "Scheduled · starts Mon 7 Dec 09:00 CST"
    );
    assert!(!scheduled.status.unpublished_changes);
    let v1_row = &scheduled.versions[0];
    assert_eq!((v1_row.state.as_str(), v1_row.in_flight), ("scheduled", 20));
    assert_eq!(v1_row.published_from.as_deref(), Some("laptop-a"));
    assert_eq!(v1_row.actions, vec![LiveAction::Pause, LiveAction::Stop]);

    // Move the start to now: the draft differs from v1 until it is published.
    save(
        db,
        &starting(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
    );
    let edited = panel(db, client, &id);
    assert!(edited.status.unpublished_changes);
    assert!(
        edited.status.text.ends_with(" · unpublished changes"),
        "{}",
        edited.status.text
    );
    publish_journey(db, client, &id, "desk-b").unwrap();

    let after = panel(db, client, &id);
    assert_eq!(after.status.text, "Live · v2");
    assert_eq!(
        after.status.older_in_flight.as_deref(),
        Some("20 contacts still on v1")
    );
    let (v2, v1) = (&after.versions[0], &after.versions[1]);
    assert_eq!((v2.number, v2.state.as_str()), (2, "live"));
    assert_eq!(v2.published_from.as_deref(), Some("desk-b"));
    assert_eq!(
        (v1.number, v1.state.as_str(), v1.in_flight),
        (1, "completing", 20)
    );
    assert_eq!(v1.actions, vec![LiveAction::Stop]);
    assert_eq!(
        v1.stop_question,
        "Stop v1? Its 20 waiting contacts leave the journey."
    );

    // v1 read-only with its own counts.
    let opened = open_version(db, client, &id, 1).unwrap();
    assert_eq!(opened.number, 1);
    assert_eq!(
        opened.journey.layout,
        db.draft(&id).unwrap().document.layout,
        "the version is drawn where the draft's tiles are"
    );
    assert!(!opened.journey.layout.positions.is_empty());
    assert_eq!(opened.counts.number, 1);
    assert_eq!(opened.counts.runs.get("active"), Some(&20));
    assert!(matches!(
        opened.journey.start_condition(),
        Some(StartCondition::Segment(s)) if s.start_at == Some(monday())
    ));

    let stopped = version_action(db, client, &id, 1, LiveAction::Stop, now()).unwrap();
    let v1 = &stopped.versions[1];
    assert_eq!(
        (v1.state.as_str(), v1.in_flight, v1.stopped),
        ("stopped", 0, 20)
    );
    assert!(v1.actions.is_empty());
    assert_eq!(stopped.status.older_in_flight, None);
    assert_eq!(stopped.status.text, "Live · v2");
    // A stopped version takes no action; the runtime says why.
    let Err(OpsError::InvalidInput(message)) =
        version_action(db, client, &id, 1, LiveAction::Resume, now())
    else {
        panic!("resuming a stopped version must be refused");
    };
    assert!(message.contains("stopping is final"), "{message}");
}

fn designer(dir: &Path) -> Db {
    let db = Db::open(dir).unwrap();
    get_catalog(&db, &sample_catalog(), now(), None).unwrap();
    db.insert_draft(&starting(monday()), "2026-11-25T12:00:00.000Z")
        .unwrap();
    db
}

#[test]
fn the_repro_on_the_embedded_runtime() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let db = designer(app.path());
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = connect(&db, Ok(runtime.executor())).unwrap();
    repro(&db, &client);
}

#[test]
fn the_repro_on_a_served_runtime_then_the_runtime_goes_away() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let db = designer(app.path());
    let (url, token, server) = serve(rt.path());
    set_runtime_target(&db, RuntimeTarget::Remote { url, token }).unwrap();
    let client = connect(&db, Err("not started")).unwrap();
    repro(&db, &client);
    let id = starting(monday()).id;
    let seen = panel(&db, &client, &id);
    assert_eq!(seen.unreachable, None);

    server.shutdown_timeout(std::time::Duration::from_secs(5));
    let cached = panel(&db, &client, &id);
    let reason = cached.unreachable.as_deref().expect("the runtime is gone");
    assert!(reason.contains("cannot reach the runtime"), "{reason}");
    assert_eq!(
        cached.last_seen.as_deref(),
        Some("last seen Wed 25 Nov 06:00 CST")
    );
    assert_eq!(cached.versions, seen.versions, "the versions last seen");
    assert_eq!(cached.status, seen.status);
    let Err(OpsError::RuntimeUnavailable(message)) =
        version_action(&db, &client, &id, 2, LiveAction::Pause, now())
    else {
        panic!("an action on an unreachable runtime must say so");
    };
    assert!(
        message.starts_with("The runtime cannot be reached, so v2 was not paused"),
        "{message}"
    );

    // Another journey, never seen from this computer.
    let other = panel(&db, &client, &id).last_seen;
    assert!(other.is_some());
    let mut never = starting(monday());
    never.id = "never-seen".into();
    db.insert_draft(&never, "2026-11-25T12:00:00.000Z").unwrap();
    let empty = panel(&db, &client, "never-seen");
    assert!(empty.versions.is_empty());
    assert_eq!(
        empty.last_seen.as_deref(),
        Some("never seen from this computer")
    );
}
