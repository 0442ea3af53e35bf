//! The conformance suite on the SQLite executor: a real SQLite file per case, the virtual
//! clock (waiting jumps to the next due instant), the recording contact center.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use runtime::clock::{Clock, VirtualClock};
use runtime::executor::{Executor, SqliteExecutor};
use runtime::storage::Store;

use crate::conformance::{CASES, Harness};
use crate::restate_engine::{Recorder, catalog};

struct Sqlite {
    _dir: tempfile::TempDir,
    clock: Arc<VirtualClock>,
    recorder: Arc<Recorder>,
    exec: SqliteExecutor,
}

impl Sqlite {
    fn new(origin: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let clock = Arc::new(VirtualClock::new(origin));
        let recorder = Arc::new(Recorder::default());
        let store = Store::open(&dir.path().join("rt.sqlite"), false).expect("store opens");
        let exec =
            SqliteExecutor::open(store, clock.clone(), recorder.clone()).expect("executor opens");
        exec.set_catalog(catalog()).expect("catalog");
        Sqlite {
            _dir: dir,
            clock,
            recorder,
            exec,
        }
    }

    /// Run everything due now.
    fn settle(&self) {
        while self.exec.tick().expect("a worker round") > 0 {}
    }
}

impl Harness for Sqlite {
    fn exec(&self) -> &dyn Executor {
        &self.exec
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn advance_to(&self, at: DateTime<Utc>) {
        loop {
            self.settle();
            match self.exec.next_due().expect("next due") {
                Some(due) if due <= at => self.clock.advance_to(due),
                _ => break,
            }
        }
        self.clock.advance_to(at);
        self.settle();
    }

    fn until(&self, what: &str, done: &mut dyn FnMut(&dyn Executor) -> bool) {
        for _ in 0..100_000 {
            self.settle();
            if done(&self.exec) {
                return;
            }
            match self.exec.next_due().expect("next due") {
                Some(at) => self.clock.advance_to(at),
                None => panic!("{what}: never happened, and nothing is due"),
            }
        }
        panic!("{what}: never happened in 100,000 rounds");
    }

    fn dials(&self) -> Vec<(String, String)> {
        self.recorder.keys()
    }
}

#[test]
fn the_conformance_suite_passes_on_the_sqlite_executor() {
    for case in CASES {
        eprintln!("conformance on SQLite: {}", case.name);
        (case.run)(&Sqlite::new((case.origin)()));
    }
}
