//! The app pointed (Settings) at a Restate-backed `journeys-runtime serve --engine restate`
//! behaves as with the embedded runtime served on 127.0.0.1: the same session through the
//! app's own ops — choose the runtime, import contacts and consent into a segment, publish the
//! sample renewal journey, read its counts, the contacts at its call tile and its versions,
//! pause and resume — on both, compared.
//!
//! The Restate side is real: a one-node cluster from `scripts/restate-cluster.sh` on a port
//! range of its own (`RESTATE_PORT_OFFSET`, its data in a temp dir, `down` on drop) and the
//! real binary serving the API over it, with its handlers in the same process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use ::runtime::storage::{ContactsAt, TileContactsQuery};

use super::publish::{
    LiveAction, change_live_state, import_contacts, live_counts, publish_journey,
};
use super::publish_tests::{designer, repo, sample_catalog, sample_journey, serve, starting_now};
use super::runtime::{RuntimeTarget, connect, set_runtime_target};

/// A one-node cluster and `serve --engine restate` over it; both stopped on drop.
struct RestateRuntime {
    server: Child,
    cluster_dir: tempfile::TempDir,
    offset: u16,
    url: String,
    token: String,
    _meta: tempfile::TempDir,
}

impl RestateRuntime {
    fn script() -> PathBuf {
        repo("scripts/restate-cluster.sh")
    }

    fn cluster(dir: &Path, offset: u16, args: &[&str]) -> Output {
        Command::new(Self::script())
            .args(args)
            .env("RESTATE_CLUSTER_DIR", dir)
            .env("RESTATE_CLUSTER_NODES", "1")
            .env("RESTATE_PORT_OFFSET", offset.to_string())
            .env("RESTATE_UP_TIMEOUT", "90")
            .output()
            .expect("scripts/restate-cluster.sh runs")
    }

    /// The cluster up on a port range of its own (another when one of its ports is taken),
    /// then the runtime serving the API over it.
    fn start() -> RestateRuntime {
        let cluster_dir = tempfile::tempdir().unwrap();
        let offset = (0..3)
            .map(|attempt| 20_000 + ((std::process::id() + attempt * 97) % 400) as u16 * 5)
            .find(|offset| {
                let up = Self::cluster(cluster_dir.path(), *offset, &["up"]);
                let stderr = String::from_utf8_lossy(&up.stderr);
                assert!(
                    up.status.success() || stderr.contains("is taken"),
                    "restate-cluster.sh up failed (run scripts/setup.sh to install the server):\n{}\n{stderr}",
                    String::from_utf8_lossy(&up.stdout)
                );
                up.status.success()
            })
            .expect("three port ranges were all taken");
        let meta = tempfile::tempdir().unwrap();
        let server = Command::new(binary())
            .arg("serve")
            .arg("--db")
            .arg(meta.path().join("meta.sqlite"))
            .args(["--listen", "127.0.0.1:0", "--catalog"])
            .arg(sample_catalog())
            .args(["--engine", "restate", "--restate-endpoint", "127.0.0.1:0"])
            .args([
                "--restate-ingress",
                &format!("http://127.0.0.1:{}", 8080 + offset),
            ])
            .args([
                "--restate-admin",
                &format!("http://127.0.0.1:{}", 9070 + offset),
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the runtime starts");
        let mut runtime = RestateRuntime {
            server,
            cluster_dir,
            offset,
            url: String::new(),
            token: String::new(),
            _meta: meta,
        };
        let stdout = runtime.server.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        while runtime.url.is_empty() {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the runtime prints its address within a minute");
            if let Some(token) = line.strip_prefix("token ") {
                runtime.token = token.to_owned();
            }
            if let Some(address) = line.strip_prefix("listening ") {
                runtime.url = address.to_owned();
            }
        }
        runtime
    }
}

impl Drop for RestateRuntime {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        Self::cluster(self.cluster_dir.path(), self.offset, &["down"]);
    }
}

/// `journeys-runtime` with the Restate engine, built once.
fn binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "runtime", "--features", "restate"])
        .args(["--bin", "journeys-runtime"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building journeys-runtime failed");
    // target/debug/deps/switchboard_lib-… → target/debug/journeys-runtime
    std::env::current_exe()
        .expect("the test binary has a path")
        .parent()
        .and_then(Path::parent)
        .expect("the target dir")
        .join("journeys-runtime")
}

/// What the marketer sees in one session against one runtime.
#[derive(Debug, PartialEq)]
struct Session {
    imported: (u32, u32, usize),
    published: (bool, i64, String),
    republished_created: bool,
    /// The call tile once every contact reached it: entered, blocks by code.
    call: (i64, BTreeMap<String, i64>),
    /// The contacts that entered the call tile, in run order.
    entered_call: Vec<String>,
    /// The draft's state after pause, as the counts read then, and after resume.
    paused: (String, String),
    resumed: String,
    versions: Vec<(i64, String)>,
    /// The versions panel: number, state, content hash, the computer it came from, and
    /// in flight + finished + stopped (every contact that entered).
    summaries: Vec<(i64, String, String, Option<String>, i64)>,
    /// The runtime's catalog, as the designer refreshes it.
    catalog_engagements: usize,
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "{what}: not within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The session through the app's ops, with Settings pointing at `url` with `token`.
fn session(url: &str, token: &str) -> Session {
    let app = tempfile::tempdir().unwrap();
    let journey = starting_now(sample_journey("renewal-calls.journey.json"));
    let id = journey.id.clone();
    let db = designer(app.path(), &journey);
    set_runtime_target(
        &db,
        RuntimeTarget::Remote {
            url: url.to_owned(),
            token: token.to_owned(),
        },
    )
    .unwrap();
    let client = connect(&db, Err("not started")).unwrap();
    let imported = import_contacts(
        &client,
        repo("runtime/samples/contacts.csv").to_str(),
        repo("runtime/samples/consents.csv").to_str(),
        Some("seg-renewals-due"),
    )
    .unwrap();
    let published = publish_journey(&db, &client, &id, "test-computer").unwrap();
    let live = published.summary.live.clone().unwrap();
    let republished = publish_journey(&db, &client, &id, "test-computer").unwrap();
    let mut call = None;
    wait_for("every contact reaches the call tile", || {
        let counts = live_counts(&db, &client, &id).unwrap().unwrap();
        let tile = counts
            .tiles
            .get("call-renewal")
            .cloned()
            .unwrap_or_default();
        let reached = tile.blocked.values().sum::<i64>() + tile.sent + tile.held;
        call = Some((tile.entered, tile.blocked));
        tile.entered == 20 && reached == 20
    });
    let query = TileContactsQuery {
        tile: "call-renewal".into(),
        at: ContactsAt::Entered,
        after: 0,
        limit: 100,
    };
    let entered_call = client
        .tile_contacts(&id, live.number, &query)
        .unwrap()
        .contacts
        .into_iter()
        .map(|c| c.contact_id)
        .collect();
    let paused = change_live_state(&db, &client, &id, LiveAction::Pause).unwrap();
    let counted = live_counts(&db, &client, &id).unwrap().unwrap();
    let resumed = change_live_state(&db, &client, &id, LiveAction::Resume).unwrap();
    let versions = client
        .list_versions(&id)
        .unwrap()
        .into_iter()
        .map(|v| (v.number, v.state.to_string()))
        .collect();
    let summaries = client
        .version_summaries(&id)
        .unwrap()
        .into_iter()
        .map(|v| {
            let all = v.in_flight + v.finished + v.stopped;
            (v.number, v.state, v.content_hash, v.published_from, all)
        })
        .collect();
    Session {
        summaries,
        catalog_engagements: client.catalog().unwrap().engagements.len(),
        imported: (
            imported.contacts,
            imported.consents,
            imported.warnings.len(),
        ),
        published: (published.created, live.number, live.state),
        republished_created: republished.created,
        call: call.unwrap(),
        entered_call,
        paused: (paused.live.unwrap().state, counted.state),
        resumed: resumed.live.unwrap().state,
        versions,
    }
}

#[test]
fn the_app_on_a_restate_backed_runtime_sees_what_it_sees_on_the_embedded_one() {
    let embedded_dir = tempfile::tempdir().unwrap();
    let (url, token, _server) = serve(embedded_dir.path());
    let embedded = session(&url, &token);
    // Not a vacuous match: the contacts were imported, entered, and some were blocked.
    assert_eq!(embedded.imported.0, 20);
    assert_eq!(embedded.entered_call.len(), 20);
    assert_eq!(embedded.call.1.values().sum::<i64>(), 8, "{embedded:?}");
    assert_eq!(embedded.paused, ("paused".into(), "paused".into()));

    let restate = RestateRuntime::start();
    let on_restate = session(&restate.url, &restate.token);
    assert_eq!(on_restate, embedded);
}
