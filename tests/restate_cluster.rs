//! A real three-node Restate cluster on loopback (`scripts/restate-cluster.sh`, the npm server that
//! `scripts/setup.sh` installs) survives `kill -9` of a node in the middle of a run.
//!
//! The endpoint is a tiny Virtual Object built with `restate-sdk`, served from this test process: each
//! `step` records a side effect in a `ctx.run` under the key `{object}:{step}` (as a dial carries its
//! idempotency key to the contact center), counts the step in its K/V state and schedules the next step
//! as a delayed call to itself. Half the objects are started before the kill and half after it, through
//! a surviving node's ingress.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use restate_sdk::prelude::*;

use crate::runtime_support::Server;

const OBJECTS: usize = 40;
const STEPS: u32 = 8;
const DELAY: Duration = Duration::from_millis(400);

/// Clusters this process started: each gets its own port range.
static CLUSTERS: AtomicU32 = AtomicU32::new(0);

/// Side effects as the outside world saw them: how many times each key was sent.
type Ledger = Arc<Mutex<HashMap<String, u32>>>;

struct Tally {
    ledger: Ledger,
}

#[restate_sdk::object]
impl Tally {
    #[handler]
    async fn step(&self, ctx: ObjectContext<'_>, step: u32) -> Result<(), HandlerError> {
        let key = format!("{}:{step}", ctx.key());
        let ledger = self.ledger.clone();
        ctx.run(|| async move {
            *ledger
                .lock()
                .expect("ledger lock")
                .entry(key.clone())
                .or_default() += 1;
            Ok(key)
        })
        .name("side-effect")
        .await?;
        let done = ctx.get::<u32>("steps").await?.unwrap_or(0) + 1;
        ctx.set("steps", done);
        if step + 1 < STEPS {
            ctx.object_client::<TallyClient>(ctx.key())
                .step(step + 1)
                .send_after(DELAY);
        }
        Ok(())
    }

    #[handler]
    async fn steps(&self, ctx: SharedObjectContext<'_>) -> Result<u32, HandlerError> {
        Ok(ctx.get::<u32>("steps").await?.unwrap_or(0))
    }
}

/// The cluster under a private state dir and port range; `down` by pid on drop, even after a panic.
pub(crate) struct Cluster {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) offset: u16,
    pub(crate) nodes: u16,
}

impl Cluster {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/restate-cluster.sh")
    }

    /// [`Cluster::up`], failing the test with the script's output when the cluster did not
    /// come up.
    pub(crate) fn started(endpoint: &str, nodes: u16) -> Cluster {
        let (cluster, up) = Cluster::up(endpoint, nodes);
        assert!(
            up.status.success(),
            "restate-cluster.sh up failed (run scripts/setup.sh to install the server):\n{}\n{}",
            String::from_utf8_lossy(&up.stdout),
            String::from_utf8_lossy(&up.stderr)
        );
        cluster
    }

    /// `up` with `nodes` nodes and `endpoint` registered (none when empty), on a port range of its own (so parallel
    /// runs and a developer's cluster on the defaults don't clash); another range when one of its
    /// ports is taken.
    pub(crate) fn up(endpoint: &str, nodes: u16) -> (Cluster, Output) {
        (0..3)
            .map(|_| {
                // Each cluster of this process (tests run in parallel) on a range of its own.
                let n = CLUSTERS.fetch_add(1, Ordering::SeqCst);
                let offset = 10_000 + ((std::process::id() + n * 131) % 400) as u16 * 5;
                let cluster = Cluster {
                    dir: tempfile::tempdir().expect("a temp dir"),
                    offset,
                    nodes,
                };
                // No endpoint: a process that serves its own handlers registers them itself.
                let up = if endpoint.is_empty() {
                    cluster.run(&["up"])
                } else {
                    cluster.run(&["up", endpoint])
                };
                (cluster, up)
            })
            .find(|(_, up)| {
                up.status.success() || !String::from_utf8_lossy(&up.stderr).contains("is taken")
            })
            .expect("three port ranges were all taken")
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(Self::script())
            .args(args)
            .env("RESTATE_CLUSTER_DIR", self.dir.path())
            .env("RESTATE_CLUSTER_NODES", self.nodes.to_string())
            .env("RESTATE_PORT_OFFSET", self.offset.to_string())
            .env("RESTATE_UP_TIMEOUT", "90")
            .output()
            .expect("scripts/restate-cluster.sh runs")
    }

    pub(crate) fn ingress(&self, node: u16) -> String {
        format!("http://127.0.0.1:{}", 8079 + node + self.offset)
    }

    pub(crate) fn admin(&self, node: u16) -> String {
        format!("http://127.0.0.1:{}", 9069 + node + self.offset)
    }

    /// `journeys-runtime serve --engine restate` on node 1 of this cluster, serving its own
    /// handlers, its metadata in `meta`, on a virtual clock from `virtual_start` (RFC 3339).
    pub(crate) fn serve(&self, meta: &Path, virtual_start: &str) -> Server {
        let (ingress, admin) = (self.ingress(1), self.admin(1));
        Server::start(
            meta,
            &[
                "--engine",
                "restate",
                "--restate-ingress",
                &ingress,
                "--restate-admin",
                &admin,
                "--restate-endpoint",
                "127.0.0.1:0",
                "--clock",
                "virtual",
                "--virtual-start",
                virtual_start,
            ],
        )
    }

    pub(crate) fn pid(&self, node: u16) -> u32 {
        let text = std::fs::read_to_string(self.dir.path().join(format!("n{node}.pid")))
            .expect("the script records each node's pid");
        text.trim().parse().expect("a pid")
    }

    /// restatectl's partition table: (partition, node name such as "N2:1", mode).
    pub(crate) fn partitions(&self) -> Vec<(String, String, String)> {
        let addrs: Vec<String> = (1..=3)
            .map(|n| format!("http://127.0.0.1:{}/", 5121 + n + self.offset))
            .collect();
        let out = Command::new(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("runtime/restate/node_modules/.bin/restatectl"),
        )
        .args(["--address", &addrs.join(","), "partitions", "list"])
        .output()
        .expect("restatectl runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| {
                let cols: Vec<&str> = line.split_whitespace().collect();
                (cols.len() > 3 && cols[0].parse::<u32>().is_ok())
                    .then(|| (cols[0].into(), cols[1].into(), cols[2].into()))
            })
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let out = self.run(&["down"]);
        eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

/// Starts an object through the ingress: a one-way `send`, retried across a failover under one
/// idempotency key so that a retry never starts it twice.
fn start_object(agent: &ureq::Agent, ingress: &str, key: &str) -> u32 {
    let url = format!("{ingress}/Tally/{key}/step/send");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut retries = 0;
    loop {
        match agent
            .post(&url)
            .header("content-type", "application/json")
            .header("idempotency-key", &format!("start-{key}"))
            .send("0")
        {
            Ok(_) => return retries,
            Err(e) if Instant::now() < deadline => {
                retries += 1;
                if retries == 1 {
                    eprintln!("ingress refused {key} ({e}); retrying");
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => panic!("the ingress at {ingress} never accepted {key}: {e}"),
        }
    }
}

/// The object's step count read through the ingress; the reason when it cannot be read (yet).
fn steps_of(agent: &ureq::Agent, ingress: &str, key: &str) -> Result<u32, String> {
    let mut resp = agent
        .post(&format!("{ingress}/Tally/{key}/steps"))
        .send_empty()
        .map_err(|e| e.to_string())?;
    let body = resp
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    body.trim()
        .parse()
        .map_err(|e| format!("{body:?} is not a count: {e}"))
}

#[test]
fn a_three_node_cluster_finishes_every_invocation_when_a_node_is_killed() {
    let t0 = Instant::now();
    let ledger: Ledger = Arc::default();

    // The endpoint: this process, on an ephemeral loopback port.
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind the endpoint");
    let addr: SocketAddr = listener.local_addr().expect("endpoint address");
    let endpoint = Endpoint::builder()
        .bind(Tally {
            ledger: ledger.clone(),
        })
        .build();
    rt.spawn(HttpServer::new(endpoint).serve(listener));

    let (cluster, up) = Cluster::up(&format!("http://{addr}"), 3);
    let up_secs = t0.elapsed().as_secs_f64();
    assert!(
        up.status.success(),
        "restate-cluster.sh up failed (run scripts/setup.sh to install the server):\n{}\n{}",
        String::from_utf8_lossy(&up.stdout),
        String::from_utf8_lossy(&up.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&up.stdout));

    // The victim: the node other than n1 (whose ingress we use) leading the most partitions.
    let table = cluster.partitions();
    let leads = |n: u16| {
        table
            .iter()
            .filter(|(_, node, mode)| node.starts_with(&format!("N{n}:")) && mode == "Leader")
            .count()
    };
    let victim = if leads(3) > leads(2) { 3 } else { 2 };
    eprintln!(
        "partition leaders: n1 {}, n2 {}, n3 {}; killing n{victim}",
        leads(1),
        leads(2),
        leads(3)
    );

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let ingress = cluster.ingress(1);
    let keys: Vec<String> = (0..OBJECTS).map(|i| format!("contact-{i}")).collect();
    let mut retries = 0;
    for key in &keys[..OBJECTS / 2] {
        retries += start_object(&agent, &ingress, key);
    }

    // Mid-run: once a quarter of all side effects happened, kill -9 the victim by its pid.
    let total = OBJECTS * STEPS as usize;
    let wait = Instant::now();
    while ledger.lock().expect("ledger lock").len() < total / 4 {
        assert!(
            wait.elapsed() < Duration::from_secs(30),
            "the first side effects never happened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let before_kill = ledger.lock().expect("ledger lock").len();
    let killed_at = Instant::now();
    let status = Command::new("kill")
        .args(["-9", &cluster.pid(victim).to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -9 of n{victim} failed");
    // The recorded pid is the server itself: its node port closes.
    let port = 5121 + victim + cluster.offset;
    let gone = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            gone.elapsed() < Duration::from_secs(5),
            "n{victim} still serves 127.0.0.1:{port} after kill -9 of its pid"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    for key in &keys[OBJECTS / 2..] {
        retries += start_object(&agent, &ingress, key);
    }

    // Every object must reach STEPS through the surviving nodes.
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut pending: Vec<&String> = keys.iter().collect();
    while !pending.is_empty() {
        assert!(
            Instant::now() < deadline,
            "{} objects never finished after n{victim} was killed, e.g. {} at {:?} steps",
            pending.len(),
            pending[0],
            steps_of(&agent, &ingress, pending[0])
        );
        pending.retain(|key| {
            let steps = steps_of(&agent, &ingress, key);
            assert!(
                steps.as_ref().map_or(true, |s| *s <= STEPS),
                "{key} counted {steps:?} steps, more than {STEPS}: a step was applied twice"
            );
            steps != Ok(STEPS)
        });
        std::thread::sleep(Duration::from_millis(250));
    }
    let finished_secs = killed_at.elapsed().as_secs_f64();

    let ledger = ledger.lock().expect("ledger lock").clone();
    for key in &keys {
        for step in 0..STEPS {
            assert!(
                ledger.contains_key(&format!("{key}:{step}")),
                "{key} step {step} finished without its side effect"
            );
        }
    }
    assert_eq!(ledger.len(), total, "side effects under unexpected keys");
    let repeats: u32 = ledger.values().map(|n| n - 1).sum();
    eprintln!(
        "cluster up in {up_secs:.1}s; {before_kill}/{total} side effects before the kill; every object \
         finished {finished_secs:.1}s after it; {repeats} side effects re-sent under their key \
         (at-least-once inside ctx.run); {retries} ingress retries; test {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    // Restate re-runs a ctx.run only when its result was not yet journaled: a kill can catch the few
    // that were in flight on the killed node's partitions, never a large share.
    assert!(
        repeats as usize <= total / 10,
        "{repeats} of {total} side effects were repeated: more than the in-flight window explains"
    );
}
