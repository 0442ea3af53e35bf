//! Runtime benchmarks (a documented script, `harness = false`):
//!
//! `cargo bench -p runtime --bench runtime`
//!
//! 1. Throughput: N contacts through the 6-tile voice journey (`samples/voice-journey.json`)
//!    with the simulator, durable on SQLite (WAL, synchronous=NORMAL), virtual clock, for
//!    N = 10,000 and 100,000. Tile-steps = tile entries counted by the runtime.
//! 2. Trigger → first step: a trigger-started copy of the journey; each trigger is
//!    ingested (one commit) and its first step claimed, executed and committed (another).
//!
//! Each figure is the median of 3 runs.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::{
    Channel, Journey, StartCondition, StartTile, Tile, TriggerStart, parse_journey,
};
use runtime::adapters::{Simulator, SimulatorConfig};
use runtime::clock::{Clock, VirtualClock};
use runtime::executor::{Executor, SqliteExecutor};
use runtime::storage::{SegmentDefinition, Store, TriggerEvent};

fn journey() -> Journey {
    parse_journey(include_str!("../samples/voice-journey.json")).expect("sample journey parses")
}

fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../../journeys/samples/catalog.json")).expect("catalog")
}

fn population(n: usize) -> (Vec<Contact>, Vec<ConsentRecord>) {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid instant");
    (0..n)
        .map(|i| {
            let phone = format!("+1312{i:07}");
            let contact = Contact {
                id: format!("c{i}"),
                mobile_phone: Some(phone.clone()),
                time_zone: Some("America/Chicago".into()),
                country: Some("US".into()),
                ..Contact::default()
            };
            let consent = ConsentRecord {
                contact_point: phone,
                channel: Channel::Voice,
                scope: ConsentScope::Purpose {
                    purpose_id: "pur-promotions".into(),
                },
                status: if i % 10 < 8 {
                    ConsentStatus::OptedIn
                } else {
                    ConsentStatus::OptedOut
                },
                updated_at: at,
                source: None,
            };
            (contact, consent)
        })
        .unzip()
}

fn executor(dir: &Path, clock: Arc<VirtualClock>) -> SqliteExecutor {
    let store = Store::open(&dir.join("bench.sqlite"), false).expect("store opens");
    let sim = Simulator::open(&dir.join("sim.sqlite"), SimulatorConfig::default()).expect("sim");
    let exec = SqliteExecutor::open(store, clock, Arc::new(sim)).expect("executor opens");
    exec.set_catalog(catalog()).expect("catalog stored");
    exec
}

/// Drive ticks on this thread until nothing is left, jumping the virtual clock when idle.
fn drain(exec: &SqliteExecutor, clock: &VirtualClock) {
    loop {
        if exec.tick().expect("tick") > 0 {
            continue;
        }
        match exec.next_due().expect("next due") {
            Some(at) => clock.advance_to(at),
            None => break,
        }
    }
}

/// CPU time of this thread so far (Linux), so figures hold up on a shared, loaded machine.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn throughput(n: usize) -> (f64, i64, f64, f64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(VirtualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
            .single()
            .expect("valid"),
    ));
    let exec = executor(dir.path(), clock.clone());
    let (contacts, consents) = population(n);
    exec.import_contacts(&contacts).expect("contacts");
    exec.import_consents(&consents).expect("consents");
    let ids = contacts.iter().map(|c| c.id.clone()).collect();
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static { contact_ids: ids },
    )
    .expect("segment");
    let started = Instant::now();
    let cpu = thread_cpu_seconds();
    exec.publish(&journey()).expect("publish");
    drain(&exec, &clock);
    let seconds = started.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds() - cpu;
    let counts = exec.counts("renewals", 1).expect("counts");
    assert_eq!(
        counts.runs.get("done").copied(),
        Some(n as i64),
        "every run finished"
    );
    let steps: i64 = counts.tiles.values().map(|t| t.entered).sum();
    (seconds, steps, steps as f64 / seconds, steps as f64 / cpu)
}

fn first_step_latencies(triggers: usize) -> Vec<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(VirtualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
            .single()
            .expect("valid"),
    ));
    let exec = executor(dir.path(), clock.clone());
    let (contacts, consents) = population(triggers);
    exec.import_contacts(&contacts).expect("contacts");
    exec.import_consents(&consents).expect("consents");
    let j = trigger_journey();
    exec.publish(&j).expect("publish");
    let catalog = catalog();
    let mut out = Vec::with_capacity(triggers);
    for i in 0..triggers {
        let started = Instant::now();
        exec.post_trigger(&TriggerEvent {
            event_id: format!("ev{i}"),
            trigger: "signup".into(),
            contact_id: format!("c{i}"),
            attributes: Default::default(),
        })
        .expect("trigger");
        while exec
            .store()
            .run_due(&catalog, clock.now(), 512)
            .expect("run")
            == 0
        {}
        out.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    out
}

fn trigger_journey() -> Journey {
    let mut j = journey();
    j.id = "welcome".into();
    j.tiles[0] = Tile::Start(StartTile {
        id: "start".into(),
        name: String::new(),
        start: Some(StartCondition::Trigger(TriggerStart {
            trigger_name: Some("signup".into()),
            conditions: Vec::new(),
            start_at: None,
            end_at: None,
        })),
    });
    j
}

/// The served runtime end to end: `POST /v1/triggers` over HTTP, then `GET …/counts` until
/// the voice tile shows the contact (the first transition committed by the worker thread).
/// Includes HTTP and polling overhead, so it is an upper bound.
fn served_first_step(triggers: usize) -> Vec<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim =
        Simulator::open(&dir.path().join("sim.sqlite"), SimulatorConfig::default()).expect("sim");
    let runtime = runtime::Runtime::open(
        &dir.path().join("served.sqlite"),
        Arc::new(runtime::clock::SystemClock),
        Arc::new(sim),
    )
    .expect("runtime opens");
    let exec = runtime.executor();
    exec.set_catalog(catalog()).expect("catalog");
    let (contacts, consents) = population(triggers);
    exec.import_contacts(&contacts).expect("contacts");
    exec.import_consents(&consents).expect("consents");
    exec.publish(&trigger_journey()).expect("publish");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("non-blocking");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let router = runtime.router().expect("router");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, router).await.expect("serve");
        });
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let auth = format!(
        "Bearer {}",
        runtime
            .api_token()
            .expect("a new database makes its tokens")
    );
    let counts_url = format!("{base}/v1/journeys/welcome/versions/1/counts");
    let mut out = Vec::with_capacity(triggers);
    for i in 0..triggers {
        let body = format!(r#"{{"eventId":"ev{i}","trigger":"signup","contactId":"c{i}"}}"#);
        let started = Instant::now();
        let status = agent
            .post(&format!("{base}/v1/triggers"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(body)
            .expect("trigger posted")
            .status();
        assert_eq!(status.as_u16(), 202);
        loop {
            let text = agent
                .get(&counts_url)
                .header("Authorization", &auth)
                .call()
                .expect("counts")
                .into_body()
                .read_to_string()
                .expect("body");
            let v: serde_json::Value = serde_json::from_str(&text).expect("json");
            if v["tiles"]["call"]["entered"].as_u64().unwrap_or(0) > i as u64 {
                break;
            }
        }
        out.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // RUNTIME_BENCH_QUICK=1: one 10k run only (for profiling).
    let quick = std::env::var_os("RUNTIME_BENCH_QUICK").is_some();
    let (sizes, repeats): (&[usize], usize) = if quick {
        (&[10_000], 1)
    } else {
        (&[10_000, 100_000], 3)
    };
    let mut per_10k = 0.0;
    for &n in sizes {
        let runs: Vec<(f64, i64, f64, f64)> = (0..repeats).map(|_| throughput(n)).collect();
        let secs = median(runs.iter().map(|r| r.0).collect());
        let rate = median(runs.iter().map(|r| r.2).collect());
        let cpu_rate = median(runs.iter().map(|r| r.3).collect());
        let per_contact_us = secs / n as f64 * 1e6;
        if n == 10_000 {
            per_10k = per_contact_us;
        }
        println!(
            "throughput n={n}: median {secs:.2} s, {} tile-steps, {rate:.0} tile-steps/s wall, {cpu_rate:.0} per CPU-second, {per_contact_us:.1} µs/contact (x{:.2} vs 10k)",
            runs[0].1,
            per_contact_us / per_10k
        );
    }
    if quick {
        return;
    }
    let mut all = Vec::new();
    let mut p99s = Vec::new();
    for _ in 0..3 {
        let mut lat = first_step_latencies(2_000);
        lat.sort_by(f64::total_cmp);
        p99s.push(lat[lat.len() * 99 / 100]);
        all.extend(lat);
    }
    println!(
        "trigger -> first step (in process): median {:.2} ms, p99 median-of-3 {:.2} ms",
        median(all),
        median(p99s)
    );
    let mut all = Vec::new();
    let mut p99s = Vec::new();
    for _ in 0..3 {
        let mut lat = served_first_step(1_000);
        lat.sort_by(f64::total_cmp);
        p99s.push(lat[lat.len() * 99 / 100]);
        all.extend(lat);
    }
    println!(
        "trigger -> first step (served, HTTP in and polled out): median {:.2} ms, p99 median-of-3 {:.2} ms",
        median(all),
        median(p99s)
    );
}
