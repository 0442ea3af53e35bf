//! The conformance suite on the Restate executor: one one-node cluster on loopback
//! (`scripts/restate-cluster.sh`) for every case, the Virtual Objects served from this
//! process, a fresh metadata store per case.
//!
//! Time: a run's timers are real delayed calls in the cluster, so the virtual clock cannot
//! jump over them. Each case runs on a [`ScaledClock`] (real time sped up by the case's
//! factor, its delays shortened by it) so a 7-day time limit or the 21-day pause limit takes a
//! second or a few. The executor and the handlers share one [`Switch`] that points at the
//! current case's clock.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use restate_sdk::prelude::HttpServer;
use runtime::clock::{Clock, ScaledClock};
use runtime::executor::Executor;
use runtime::restate::{Admin, Definitions, Ingress, RestateExecutor};
use runtime::storage::Store;

use crate::conformance::{CASES, Harness};
use crate::restate_cluster::Cluster;
use crate::restate_engine::{Recorder, catalog};

/// The clock of the case that runs now.
struct Switch(RwLock<Arc<dyn Clock>>);

impl Switch {
    fn set(&self, clock: Arc<dyn Clock>) {
        *self.0.write().expect("clock lock") = clock;
    }

    fn current(&self) -> Arc<dyn Clock> {
        self.0.read().expect("clock lock").clone()
    }
}

impl Clock for Switch {
    fn now(&self) -> DateTime<Utc> {
        self.current().now()
    }

    fn real_delay(&self, span: chrono::Duration) -> Duration {
        self.current().real_delay(span)
    }
}

struct Restate {
    _dir: tempfile::TempDir,
    clock: Arc<Switch>,
    recorder: Arc<Recorder>,
    exec: RestateExecutor,
}

impl Harness for Restate {
    fn exec(&self) -> &dyn Executor {
        &self.exec
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn advance_to(&self, at: DateTime<Utc>) {
        while self.clock.now() < at {
            // What `serve`'s background loop does: due rounds, then enrolments handed over.
            self.exec.tick().expect("rounds and hand-over");
            let left = self.clock.real_delay(at - self.clock.now());
            std::thread::sleep(left.clamp(Duration::from_millis(1), Duration::from_millis(100)));
        }
    }

    fn until(&self, what: &str, done: &mut dyn FnMut(&dyn Executor) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(&self.exec) {
            assert!(Instant::now() < deadline, "{what}: not within 30 s");
            self.exec.tick().expect("rounds and hand-over");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn dials(&self) -> Vec<(String, String)> {
        self.recorder.keys()
    }
}

#[test]
fn the_conformance_suite_passes_on_a_restate_cluster() {
    let t0 = Instant::now();
    let recorder = Arc::new(Recorder::default());
    let clock = Arc::new(Switch(RwLock::new(Arc::new(ScaledClock::new(
        crate::restate_engine::monday(),
        1,
    )))));
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind the endpoint");
    let addr: SocketAddr = listener.local_addr().expect("endpoint address");
    let definitions = Arc::new(Definitions::default());
    let endpoint = runtime::restate::endpoint(clock.clone(), recorder.clone(), definitions.clone());
    rt.spawn(HttpServer::new(endpoint).serve(listener));
    let cluster = Cluster::started(&format!("http://{addr}"), 1);
    definitions.read_through(Ingress::new(cluster.ingress(1)));
    for case in CASES {
        let started = Instant::now();
        clock.set(Arc::new(ScaledClock::new((case.origin)(), case.speed)));
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = Store::open(&dir.path().join("meta.sqlite"), false).expect("store opens");
        let exec = RestateExecutor::open(
            Ingress::new(cluster.ingress(1)),
            Admin::new(cluster.admin(1)),
            store,
            clock.clone(),
        )
        .expect("executor opens");
        exec.set_catalog(catalog()).expect("catalog");
        let harness = Restate {
            _dir: dir,
            clock: clock.clone(),
            recorder: recorder.clone(),
            exec,
        };
        (case.run)(&harness);
        eprintln!(
            "conformance on Restate: {} ({:.1} s)",
            case.name,
            started.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "conformance on Restate: {} cases in {:.1} s (cluster included)",
        CASES.len(),
        t0.elapsed().as_secs_f64()
    );
    drop(cluster);
}
