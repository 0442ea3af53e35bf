//! Test-run speed (issue 6 goal: 100,000 contacts through a 20-tile journey in ≤ 2 s on
//! 2 cores).
//!
//! The journey is the sample "Policy renewal calls" (14 tiles) with a 6-tile pre-call stage
//! in front (wait, voice call, wait for its result, attribute branch, two waits): 20 tiles, 4
//! voice calls. Generated audience with the default mixes (4 zones, 80 % opted in, 5 % without
//! a phone), default outcome mix, start on a Tuesday at 04:00 Chicago so most first calls are
//! held by quiet time, explained paths kept for the first 1,000 contacts (the CLI default).
//!
//! Run: `cargo bench -p journeys --bench simulate`

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use journeys::catalog::Catalog;
use journeys::document::{Journey, parse_journey};
use journeys::simulate::{Control, GeneratedAudience, SimulatedAudience, SimulationSpec, simulate};
use journeys::validate::{has_errors, validate_at};
use serde_json::{Value, json};

const CONTACTS: u32 = 100_000;

fn journey() -> Journey {
    let mut doc: Value =
        serde_json::from_str(include_str!("../samples/renewal-calls.journey.json"))
            .expect("sample journey");
    let voice = doc["tiles"][1].clone();
    let mut pre_call = voice.clone();
    pre_call["id"] = json!("call-pre");
    pre_call["name"] = json!("Courtesy call");
    let extra = [
        json!({"type": "waitTime", "id": "w1", "name": "Wait an hour",
               "wait": {"kind": "duration", "amount": 1, "unit": "hours"}}),
        pre_call,
        json!({"type": "waitForTrigger", "id": "wait-pre", "name": "Courtesy call result",
               "condition": {"kind": "previousMessage", "tileId": "call-pre"},
               "branches": [
                   {"id": "attempted", "name": "Attempted", "interaction": "voiceCallAttempted"},
                   {"id": "blocked", "name": "Blocked", "interaction": "voiceCallBlocked"}],
               "timeLimit": {"amount": 2, "unit": "days"}}),
        json!({"type": "attributeBranch", "id": "pre-branch", "name": "Answered?",
               "source": {"kind": "voiceCall", "tileId": "call-pre"},
               "branches": [{"id": "live", "name": "Live", "match": "all", "conditions": [
                   {"variable": {"kind": "result"}, "operator": "equals", "value": "LiveAnswer"}]}]}),
        json!({"type": "waitTime", "id": "w2", "name": "Wait a day",
               "wait": {"kind": "duration", "amount": 1, "unit": "days"}}),
        json!({"type": "waitTime", "id": "w3", "name": "Wait two hours",
               "wait": {"kind": "duration", "amount": 2, "unit": "hours"}}),
    ];
    let tiles = doc["tiles"].as_array_mut().expect("tiles");
    tiles.extend(extra);
    let connections = doc["connections"].as_array_mut().expect("connections");
    connections.retain(|c| !(c["from"] == "start"));
    for (from, output, to) in [
        ("start", "next", "w1"),
        ("w1", "next", "call-pre"),
        ("call-pre", "next", "wait-pre"),
        ("wait-pre", "attempted", "pre-branch"),
        ("wait-pre", "blocked", "w3"),
        ("wait-pre", "other", "w2"),
        ("pre-branch", "live", "w2"),
        ("pre-branch", "other", "w2"),
        ("w2", "next", "call-renewal"),
        ("w3", "next", "call-renewal"),
    ] {
        connections.push(json!({"from": from, "output": output, "to": to}));
    }
    parse_journey(&doc.to_string()).expect("20-tile journey")
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_json(include_str!("../samples/catalog.json")).expect("catalog");
    let journey = journey();
    assert_eq!(journey.tiles.len(), 20);
    let start: DateTime<Utc> = "2026-03-10T09:00:00Z".parse().expect("instant");
    let problems = validate_at(&journey, &catalog, start);
    assert!(!has_errors(&problems), "{problems:#?}");
    let spec = SimulationSpec {
        audience: SimulatedAudience::Generated(GeneratedAudience {
            count: CONTACTS,
            ..GeneratedAudience::default()
        }),
        start,
        seed: 42,
        trace_limit: Some(1000),
        ..SimulationSpec::default()
    };
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for threads in [1, 2] {
        let control = Control {
            threads,
            ..Control::default()
        };
        let name = format!("100k_contacts_20_tiles_{threads}_thread");
        group.bench_function(&name, |b| {
            b.iter(|| {
                let result = simulate(&journey, &catalog, &spec, &control).expect("runs");
                assert_eq!(result.contacts, CONTACTS);
                black_box(result)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
