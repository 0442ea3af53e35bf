//! The publish review with its compliance impact (issue 12, goal ≤ 1 s): a 20-tile journey
//! (the renewal sample with six more waits) live as v1 on the embedded runtime, its draft's
//! first call changed from quiet time "Don't apply" to the profile's, and the draft's last
//! test run over 10,000 generated contacts; `ops::review::review_publish` reads the versions,
//! the live document and counts, diffs, plans, and forecasts both versions over the 10,000.
//!
//! Run: `cargo bench -p switchboard --bench publish_review`

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group};
use serde_json::{Value, json};

use journeys::document::{Journey, parse_journey};
use journeys::simulate::{GeneratedAudience, SimulatedAudience, SimulationSpec};
use runtime::storage::SegmentDefinition;
use switchboard_lib::ops;
use switchboard_lib::storage::Db;

const CONTACTS: u32 = 10_000;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// The renewal sample admitting joiners, with six waits between the two-day wait and the
/// second call (20 tiles), its first call's quiet time set to `quiet`.
fn journey(quiet: &str) -> Journey {
    let text = std::fs::read_to_string(repo("journeys/samples/renewal-calls.journey.json"))
        .expect("sample");
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    let tiles = doc["tiles"].as_array_mut().expect("tiles");
    for t in tiles.iter_mut() {
        if t["type"] == "start" {
            t["start"]["frequency"] = json!({ "kind": "onceAdmittingJoiners" });
        }
        if t["id"] == "call-renewal" {
            t["quietTime"] = json!({ "mode": quiet });
        }
    }
    for i in 0..6 {
        tiles.push(
            json!({ "type": "waitTime", "id": format!("extra-{i}"), "name": format!("Pause {i}"),
            "wait": { "kind": "duration", "amount": 1, "unit": "hours" } }),
        );
    }
    let connections = doc["connections"].as_array_mut().expect("connections");
    connections.retain(|c| c["from"] != "wait-retry");
    let mut prev = "wait-retry".to_owned();
    for i in 0..6 {
        let id = format!("extra-{i}");
        connections.push(json!({ "from": prev, "output": "next", "to": id }));
        prev = id;
    }
    connections.push(json!({ "from": prev, "output": "next", "to": "call-retry" }));
    let journey = parse_journey(&doc.to_string()).expect("journey");
    assert_eq!(journey.tiles.len(), 20);
    journey
}

fn bench(c: &mut Criterion) {
    let (app, rt) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let catalog = repo("journeys/samples/catalog.json");
    let db = Db::open(app.path()).expect("db");
    ops::catalog::get_catalog(&db, &catalog, now, None).expect("catalog");
    let runtime = ops::embedded::EmbeddedRuntime::open(rt.path(), &catalog).expect("runtime");
    runtime
        .executor()
        .put_segment(
            "seg-renewals-due",
            &SegmentDefinition::Static {
                contact_ids: Vec::new(),
            },
        )
        .expect("segment");
    let client = ops::runtime::connect(&db, Ok(runtime.executor())).expect("client");
    let v1 = journey("none");
    db.insert_draft(&v1, "2026-11-25T12:00:00.000Z")
        .expect("draft");
    ops::review::publish_reviewed(&db, &client, &v1.id, None).expect("v1");
    let draft = journey("inherit");
    ops::journeys::save_draft(&db, now, &draft).expect("save");
    let spec = SimulationSpec {
        audience: SimulatedAudience::Generated(GeneratedAudience {
            count: CONTACTS,
            ..GeneratedAudience::default()
        }),
        start: now,
        seed: 7,
        ..SimulationSpec::default()
    };
    ops::test_runs::run_test_run(&db, now, &draft, spec, &AtomicBool::new(false), &|_| {})
        .expect("test run");

    let review = ops::review::review_publish(&db, &client, &draft.id, now).expect("review");
    let impact = review.impact.expect("impact");
    assert_eq!(impact.contacts, CONTACTS);
    assert!(
        impact.tiles.iter().any(|t| t.changed),
        "the quiet-time change shows"
    );

    let mut group = c.benchmark_group("publish_review");
    group.sample_size(10);
    group.bench_function("20_tiles_10k_contacts", |b| {
        b.iter(|| ops::review::review_publish(&db, &client, &draft.id, now).expect("review"))
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
