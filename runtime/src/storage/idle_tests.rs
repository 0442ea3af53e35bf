//! An idle runtime writes nothing: the database files (runtime and simulator ledger, main file
//! and WAL) keep their bytes and modification times while the worker runs with nothing due.
//!
//! The worker test idles for `RUNTIME_IDLE_TEST_SECS` seconds (default 2, i.e. 8 worker rounds
//! of 250 ms; `RUNTIME_IDLE_TEST_SECS=60` is the one-minute check).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use journeys::catalog::Catalog;
use journeys::document::parse_journey;

use crate::Runtime;
use crate::adapters::{ContactCenter, Simulator, SimulatorConfig};
use crate::clock::SystemClock;
use crate::executor::{Executor, SqliteExecutor};
use crate::storage::{SegmentDefinition, Store};

const FILES: [&str; 4] = ["rt.sqlite", "rt.sqlite-wal", "sim.sqlite", "sim.sqlite-wal"];

/// Bytes and modification time of each database file (None when absent).
type Snapshot = Vec<(PathBuf, Option<(Vec<u8>, SystemTime)>)>;

fn snapshot(dir: &Path) -> Snapshot {
    FILES
        .iter()
        .map(|name| {
            let path = dir.join(name);
            let state = std::fs::read(&path).ok().map(|bytes| {
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                (bytes, modified)
            });
            (path, state)
        })
        .collect()
}

fn assert_unchanged(before: &Snapshot, after: &Snapshot) {
    for ((path, was), (_, is)) in before.iter().zip(after) {
        match (was, is) {
            (Some((old, old_time)), Some((new, new_time))) => {
                assert_eq!(
                    old.len(),
                    new.len(),
                    "{} grew from {} to {} bytes while idle",
                    path.display(),
                    old.len(),
                    new.len()
                );
                assert!(old == new, "{} was rewritten while idle", path.display());
                assert_eq!(old_time, new_time, "{} touched while idle", path.display());
            }
            (None, None) => {}
            _ => panic!("{} appeared or vanished while idle", path.display()),
        }
    }
}

fn simulator(dir: &Path) -> Arc<dyn ContactCenter> {
    Arc::new(Simulator::open(&dir.join("sim.sqlite"), SimulatorConfig::default()).unwrap())
}

fn idle_period() -> Duration {
    let secs = std::env::var("RUNTIME_IDLE_TEST_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(2);
    Duration::from_secs(secs)
}

fn wait_for_worker(runtime: &Runtime) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !runtime.executor().worker_running() {
        assert!(Instant::now() < deadline, "the worker never started");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn worker_rounds_with_nothing_due_commit_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rt.sqlite"), false).unwrap();
    let exec = SqliteExecutor::open(store, Arc::new(SystemClock), simulator(dir.path())).unwrap();
    let before = snapshot(dir.path());
    for _ in 0..50 {
        assert_eq!(exec.tick().unwrap(), 0, "nothing is due");
    }
    assert_eq!(exec.next_due().unwrap(), None);
    assert_unchanged(&before, &snapshot(dir.path()));
}

#[test]
fn an_idle_runtime_on_the_system_clock_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::open(
        &dir.path().join("rt.sqlite"),
        Arc::new(SystemClock),
        simulator(dir.path()),
    )
    .unwrap();
    // A published journey with nobody in it is idle too.
    let catalog =
        Catalog::from_json(include_str!("../../../journeys/samples/catalog.json")).unwrap();
    runtime.executor().set_catalog(catalog).unwrap();
    runtime
        .executor()
        .put_segment(
            "renewals-due",
            &SegmentDefinition::Static {
                contact_ids: Vec::new(),
            },
        )
        .unwrap();
    let journey = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    runtime.executor().publish(&journey).unwrap();
    wait_for_worker(&runtime);
    // Let the worker take in the publish before watching.
    std::thread::sleep(Duration::from_millis(600));
    let before = snapshot(dir.path());
    assert!(
        before[0].1.is_some() && before[1].1.is_some(),
        "WAL files exist"
    );
    std::thread::sleep(idle_period());
    assert!(
        runtime.executor().worker_running(),
        "the worker kept running"
    );
    assert_unchanged(&before, &snapshot(dir.path()));
}
