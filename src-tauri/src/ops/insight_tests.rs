//! Per-tile insight and the CSV export of a tile's contacts against real runtimes — the
//! embedded one on temp SQLite files and one serving its HTTP API on 127.0.0.1 — with the
//! sample renewal journey and its 20 contacts; and the words for results, codes and blocks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};

use ::journeys::catalog::Catalog;
use ::journeys::document::{Journey, StartCondition, Tile, parse_journey};
use ::runtime::storage::TileCounts;

use super::catalog::get_catalog;
use super::embedded::EmbeddedRuntime;
use super::insight::{
    ContactsChoice, InsightLine, export_file_name, export_tile_contacts, tile_insight,
};
use super::publish::{import_contacts, publish_journey};
use super::publish_tests::{sample_catalog, serve};
use super::runtime::{RuntimeClient, RuntimeTarget, connect, set_runtime_target};
use super::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// The sample renewal journey, starting at once.
fn journey() -> Journey {
    let text =
        std::fs::read_to_string(repo("journeys/samples/renewal-calls.journey.json")).unwrap();
    let mut journey = parse_journey(&text).unwrap();
    for tile in &mut journey.tiles {
        if let Tile::Start(start) = tile
            && let Some(StartCondition::Segment(segment)) = &mut start.start
        {
            segment.start_at = Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        }
    }
    journey
}

fn designer(dir: &Path) -> Db {
    let db = Db::open(dir).unwrap();
    get_catalog(&db, &sample_catalog(), now(), None).unwrap();
    db.insert_draft(&journey(), "2026-11-25T12:00:00.000Z")
        .unwrap();
    db
}

/// Publish the journey with the 20 sample contacts; wait until all 20 entered the first call
/// (what happens there depends on the wall clock's quiet time, so nothing after it is
/// asserted).
fn publish_and_enter(db: &Db, client: &RuntimeClient) -> String {
    let imported = import_contacts(
        client,
        repo("runtime/samples/contacts.csv").to_str(),
        repo("runtime/samples/consents.csv").to_str(),
        Some("seg-renewals-due"),
    )
    .unwrap();
    assert_eq!(imported.contacts, 20);
    let id = journey().id;
    publish_journey(db, client, &id, "laptop-a").unwrap();
    let catalog = Catalog::from_json(&std::fs::read_to_string(sample_catalog()).unwrap()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let call = tile_insight(client, &catalog, &id, 1, "call-renewal").unwrap();
        if call.entered == 20 {
            break;
        }
        assert!(Instant::now() < deadline, "{call:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    id
}

fn insight_and_export(db: &Db, client: &RuntimeClient, out: &Path) {
    let id = publish_and_enter(db, client);
    let catalog = Catalog::from_json(&std::fs::read_to_string(sample_catalog()).unwrap()).unwrap();
    let start = tile_insight(client, &catalog, &id, 1, "start").unwrap();
    assert_eq!(
        (start.entered, start.went_on, start.voice.is_some()),
        (20, Some(20), false)
    );
    let call = tile_insight(client, &catalog, &id, 1, "call-renewal").unwrap();
    assert_eq!(call.tile_name, "Renewal call");
    assert_eq!(call.file_name, "Policy renewal calls-v1-Renewal call.csv");
    assert!(call.voice.is_some());
    assert!(call.branches.is_empty());
    let wait = tile_insight(client, &catalog, &id, 1, "wait-call").unwrap();
    let labels: Vec<&str> = wait.branches.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Attempted", "Not attempted", "Blocked", "Other"]);
    assert_eq!(
        wait.branches[0].file_name,
        "Policy renewal calls-v1-How did the call go-Attempted.csv"
    );
    assert_eq!(wait.went_on, None);

    let path = out.join(&call.file_name);
    let done = export_tile_contacts(
        client,
        &id,
        1,
        "call-renewal",
        &ContactsChoice::Entered,
        &path,
    )
    .unwrap();
    assert_eq!(done.rows, 20);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("contactId,phone,timeZone,runStatus,phase,enteredAt,branch,branchName,leftAt")
    );
    let ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    let want: Vec<String> = (1..=20).map(|i| format!("c{i:02}")).collect();
    assert_eq!(ids, want);
    assert!(
        text.contains("c01,+13125551000,America/New_York,"),
        "{text}"
    );

    // Bad asks: clear messages, no file left behind.
    let Err(OpsError::InvalidInput(m)) = export_tile_contacts(
        client,
        &id,
        1,
        "wait-call",
        &ContactsChoice::Branch {
            output: "maybe".into(),
        },
        &out.join("maybe.csv"),
    ) else {
        panic!("an unknown branch must be refused");
    };
    assert!(m.contains("no branch \"maybe\""), "{m}");
    assert!(!out.join("maybe.csv").exists());
    let Err(OpsError::InvalidInput(m)) = export_tile_contacts(
        client,
        &id,
        1,
        "start",
        &ContactsChoice::Here,
        &out.join("missing-dir").join("x.csv"),
    ) else {
        panic!("a folder that does not exist must be refused");
    };
    assert!(m.starts_with("Cannot write the contacts to"), "{m}");
    let Err(OpsError::InvalidInput(m)) = tile_insight(client, &catalog, &id, 1, "added-later")
    else {
        panic!("a tile the version lacks must be refused");
    };
    assert!(m.contains("Version 1 has no tile"), "{m}");
}

#[test]
fn insight_and_export_on_the_embedded_runtime() {
    let (app, rt, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let db = designer(app.path());
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = connect(&db, Ok(runtime.executor())).unwrap();
    insight_and_export(&db, &client, out.path());
}

#[test]
fn insight_and_export_on_a_served_runtime() {
    let (app, rt, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let db = designer(app.path());
    let (url, token, _server) = serve(rt.path());
    set_runtime_target(&db, RuntimeTarget::Remote { url, token }).unwrap();
    let client = connect(&db, Err("not started")).unwrap();
    insight_and_export(&db, &client, out.path());
}

#[test]
fn voice_results_codes_and_blocks_read_in_words() {
    let counts = TileCounts {
        sent: 9,
        attempted: BTreeMap::from([("LiveAnswer".into(), 4)]),
        not_attempted: BTreeMap::from([("Mystery".into(), 1)]),
        dispositions: BTreeMap::from([("Callback".into(), 1), ("Interested".into(), 3)]),
        blocked: BTreeMap::from([("CONSENT_PURPOSE_OPTED_OUT".into(), 2)]),
        ..TileCounts::default()
    };
    let catalog = Catalog {
        result_mapping: ::journeys::catalog::default_result_mapping(),
        ..Catalog::default()
    };
    let voice = super::insight::voice_insight(&counts, &catalog);
    let line = |key: &str, label: &str, count: i64| InsightLine {
        key: key.into(),
        label: label.into(),
        count,
    };
    assert_eq!(voice.attempted, [line("LiveAnswer", "Live answer", 4)]);
    assert_eq!(voice.not_attempted, [line("Mystery", "Mystery", 1)]);
    assert_eq!(
        voice.dispositions,
        [
            line("Interested", "Interested", 3),
            line("Callback", "Callback", 1)
        ]
    );
    assert_eq!(
        voice.blocked,
        [line("CONSENT_PURPOSE_OPTED_OUT", "opted out (purpose)", 2)]
    );
}

#[test]
fn export_file_names_hold_nothing_a_file_system_refuses() {
    assert_eq!(
        export_file_name("Renewals: Q4/2026", 3, "Call?", Some("Booked \"today\"")),
        "Renewals- Q4-2026-v3-Call-Booked today.csv"
    );
    assert_eq!(export_file_name("..", 1, "x", None), "-v1-x.csv");
}
