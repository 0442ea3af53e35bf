//! Executors side by side, through the served HTTP API (a documented script, `harness = false`):
//!
//! `cargo bench -p runtime --bench executors -- [sqlite] [restate-1] [restate-3]` (default: all three)
//!
//! For each engine: a fresh `journeys-runtime serve` (this build's binary), the catalog, the simulator
//! answering every call live 1–3 s after it is dialled (`SIMULATOR`), 10,000 contacts with consents
//! (80 % opted in to the purpose and topic) and the `seg-renewals-due` segment imported over HTTP, then
//! 1. **throughput**: publish the sample renewal journey (`journeys/samples/renewal-calls.journey.json`)
//!    and poll its counts until every admitted run has ended; tile-steps = tile entries counted;
//! 2. **trigger → first step**: publish a trigger-started copy, then 1,000 times `POST /v1/triggers` and
//!    poll counts until the call tile shows the contact (HTTP and polling included: an upper bound).
//!
//! Engines:
//! - `sqlite`: `serve --db …` with `SQLITE_SERVE_ARGS` (default `--clock virtual`: waits and the
//!   simulator's latency jump, as in the embedded benchmark; durability `full`, an fsync per commit).
//! - `restate-N`: `scripts/restate-cluster.sh up` with N nodes on a private port range, then
//!   `serve` with `RESTATE_SERVE_ARGS` (default `--engine restate --restate-ingress {ingress}
//!   --restate-admin {admin} --restate-endpoint 127.0.0.1:0 --clock virtual --virtual-start` Monday
//!   noon in Chicago: real time, shifted into calling hours; `{ingress}`/`{admin}` are n1's URLs). A binary that refuses
//!   those arguments gets the row "not measured" with its reason; the cluster is torn down either way.
//!
//! `EXECUTORS_BENCH_CONTACTS` (default 10,000) and `EXECUTORS_BENCH_TRIGGERS` (default 1,000) shrink a run.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_journeys-runtime");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the runtime crate sits in the repository")
        .to_path_buf()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A served runtime; killed on drop.
struct Served {
    child: Child,
    base: String,
    auth: String,
    agent: ureq::Agent,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Starts `serve` and waits for its "token" and "listening" lines; Err(reason) if it exits first.
    fn start(db: &Path, extra: &[String]) -> Result<Served, String> {
        let simulator = db.with_extension("simulator.json");
        std::fs::write(&simulator, SIMULATOR).map_err(|e| e.to_string())?;
        // Its log goes to a file: a pipe nobody reads fills up (64 KiB) and then blocks every
        // thread of `serve` that logs — on three nodes the handlers' retried failures did,
        // and the cluster saw the handler connections die ("h2 pool connection error").
        let log_path = db.with_extension("serve.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--listen", "127.0.0.1:0", "--catalog"])
            .arg(repo().join("journeys/samples/catalog.json"))
            .arg("--simulator-config")
            .arg(&simulator)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{BIN} does not start: {e}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut token = None;
        loop {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(line) if line.starts_with("token ") => token = Some(line[6..].to_string()),
                Ok(line) if line.starts_with("listening ") => {
                    let agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        // Importing 10,000 contacts into a loaded cluster takes minutes.
                        .timeout_global(Some(Duration::from_secs(1800)))
                        .build()
                        .new_agent();
                    return Ok(Served {
                        base: line[10..].to_string(),
                        auth: format!("Bearer {}", token.ok_or("serve printed no token")?),
                        child,
                        agent,
                    });
                }
                Ok(_) => {}
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let err = std::fs::read_to_string(&log_path).unwrap_or_default();
                    let reason = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    return Err(format!("serve {} exited: {reason}", extra.join(" ")));
                }
            }
        }
    }

    fn send(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "PUT" => self.agent.put(&url),
            _ => self.agent.post(&url),
        };
        let resp = req
            .header("Authorization", &self.auth)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .expect("the runtime answers");
        let status = resp.status().as_u16();
        let text = resp.into_body().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn counts(&self, journey: &str) -> Value {
        let text = self
            .agent
            .get(&format!(
                "{}/v1/journeys/{journey}/versions/1/counts",
                self.base
            ))
            .header("Authorization", &self.auth)
            .call()
            .expect("counts")
            .into_body()
            .read_to_string()
            .expect("counts body");
        serde_json::from_str(&text).expect("counts are JSON")
    }

    fn expect_ok(&self, method: &str, path: &str, body: &Value) {
        let (status, answer) = self.send(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {answer}"
        );
    }
}

/// The sample renewal journey (segment `seg-renewals-due`).
fn renewal_journey() -> Value {
    serde_json::from_str(include_str!(
        "../../journeys/samples/renewal-calls.journey.json"
    ))
    .expect("sample journey")
}

fn trigger_journey() -> Value {
    let mut j = renewal_journey();
    j["id"] = json!("welcome");
    j["tiles"][1]["quietTime"] = json!({"mode": "none"});
    j["tiles"][0]["start"] = json!({"kind": "trigger", "triggerName": "signup", "conditions": []});
    j
}

/// Every call answered live 1–3 s after it is dialled, half of them booked: no path of the
/// renewal journey waits for days, so a cluster's real timers finish it too.
const SIMULATOR: &str = r#"{"seed": 11, "defaultMix": {
    "results": [{"value": "LiveAnswer", "weight": 1}],
    "dispositionCodes": [{"value": null, "weight": 1}],
    "variables": {"Outcome": [{"value": "Booked", "weight": 1}, {"value": "NotInterested", "weight": 1}]},
    "latencySeconds": [1, 3]}}"#;

/// Chicago contacts, 80 % opted in to the voice purpose, as in the embedded benchmark.
fn import_population(s: &Served, n: usize) {
    let ids: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let contacts: Vec<Value> = (0..n)
        .map(|i| {
            json!({"id": ids[i], "mobilePhone": format!("+1312{i:07}"),
            "timeZone": "America/Chicago", "country": "US"})
        })
        .collect();
    let consents: Vec<Value> = (0..n)
        .flat_map(|i| {
            let status = if i % 10 < 8 { "optedIn" } else { "optedOut" };
            [
                json!({"kind": "purpose", "purposeId": "pur-promotions"}),
                json!({"kind": "topic", "topicId": "top-renewal-offers"}),
            ]
            .map(|scope| {
                json!({"contactPoint": format!("+1312{i:07}"), "channel": "voice",
                "scope": scope, "status": status, "updatedAt": "2026-01-01T00:00:00Z"})
            })
        })
        .collect();
    s.expect_ok("POST", "/v1/contacts", &Value::from(contacts));
    s.expect_ok("POST", "/v1/consents", &Value::from(consents));
    s.expect_ok(
        "PUT",
        "/v1/segments/seg-renewals-due",
        &json!({"kind": "static", "contactIds": ids}),
    );
}

fn sum_entered(counts: &Value) -> u64 {
    counts["tiles"].as_object().map_or(0, |t| {
        t.values().filter_map(|v| v["entered"].as_u64()).sum()
    })
}

/// Runs that ended, whatever the engine: each ends on one tile.
fn sum_completed(counts: &Value) -> u64 {
    counts["tiles"].as_object().map_or(0, |t| {
        t.values().filter_map(|v| v["completed"].as_u64()).sum()
    })
}

/// Publish the voice journey; (seconds until every run it admitted is done, tile-steps).
fn throughput(s: &Served) -> (f64, u64) {
    let started = Instant::now();
    let (status, answer) = s.send(
        "POST",
        "/v1/journeys/renewal-calls/versions",
        &renewal_journey(),
    );
    assert!(status == 201, "publish: {status} {answer}");
    let admitted = answer["enrolled"].as_u64().unwrap_or(0);
    assert!(admitted > 0, "the publish admitted nobody: {answer}");
    let deadline = started + Duration::from_secs(1800);
    loop {
        let c = s.counts("renewal-calls");
        if sum_completed(&c) >= admitted {
            return (started.elapsed().as_secs_f64(), sum_entered(&c));
        }
        assert!(
            Instant::now() < deadline,
            "not done after 30 min: {}",
            c["tiles"]
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Trigger → first step latencies (ms), one trigger at a time, and how long each
/// `POST /v1/triggers` took to answer (ms), both sorted.
fn first_step(s: &Served, triggers: usize) -> (Vec<f64>, Vec<f64>) {
    let (status, answer) = s.send("POST", "/v1/journeys/welcome/versions", &trigger_journey());
    assert!(status == 201, "publish: {status} {answer}");
    let mut out = Vec::with_capacity(triggers);
    let mut posts = Vec::with_capacity(triggers);
    for i in 0..triggers {
        let body =
            json!({"eventId": format!("ev{i}"), "trigger": "signup", "contactId": format!("c{i}")});
        let started = Instant::now();
        let (status, answer) = s.send("POST", "/v1/triggers", &body);
        assert!(status == 202, "trigger: {status} {answer}");
        posts.push(started.elapsed().as_secs_f64() * 1000.0);
        while s.counts("welcome")["tiles"]["call-renewal"]["entered"]
            .as_u64()
            .unwrap_or(0)
            <= i as u64
        {}
        out.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    out.sort_by(f64::total_cmp);
    posts.sort_by(f64::total_cmp);
    (out, posts)
}

/// CPU seconds (user + system) a process has used so far; 0 when it cannot be read.
fn cpu_secs(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // Clock ticks are 100 per second on Linux.
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(1).collect())
        .unwrap_or_default()
}

/// `scripts/restate-cluster.sh` with N nodes on a private port range; `down` on drop.
struct Cluster {
    dir: tempfile::TempDir,
    nodes: usize,
}

impl Cluster {
    /// Ports 27,122 / 30,080 / 31,070 and up: below Linux's ephemeral range (32,768 and up), where
    /// the offset 30,000 had a node's admin port taken by some process's outgoing connection, and
    /// away from the test suite's offsets (10,000–12,000).
    const OFFSET: u16 = 22_000;

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(repo().join("scripts/restate-cluster.sh"))
            .args(args)
            .env("RESTATE_CLUSTER_DIR", self.dir.path())
            .env("RESTATE_CLUSTER_NODES", self.nodes.to_string())
            .env("RESTATE_PORT_OFFSET", Self::OFFSET.to_string())
            .output()
            .expect("scripts/restate-cluster.sh runs")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.run(&["down"]);
    }
}

fn measure(engine: &str, contacts: usize, triggers: usize) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut _cluster = None;
    let extra: Vec<String> = if engine == "sqlite" {
        std::env::var("SQLITE_SERVE_ARGS")
            .unwrap_or_else(|_| "--clock virtual".into())
            .split_whitespace()
            .map(String::from)
            .collect()
    } else {
        let nodes: usize = engine
            .strip_prefix("restate-")
            .and_then(|n| n.parse().ok())
            .ok_or(format!(
                "unknown engine {engine}: sqlite, restate-1 or restate-3"
            ))?;
        let cluster = Cluster {
            dir: tempfile::tempdir().map_err(|e| e.to_string())?,
            nodes,
        };
        let t0 = Instant::now();
        let up = cluster.run(&["up"]);
        if !up.status.success() {
            return Err(format!(
                "cluster: {}",
                String::from_utf8_lossy(&up.stderr).trim()
            ));
        }
        eprintln!(
            "{engine}: cluster healthy in {:.1} s",
            t0.elapsed().as_secs_f64()
        );
        _cluster = Some(cluster);
        let ingress = format!("http://127.0.0.1:{}", 8080 + Cluster::OFFSET);
        let admin = format!("http://127.0.0.1:{}", 9070 + Cluster::OFFSET);
        std::env::var("RESTATE_SERVE_ARGS")
            .unwrap_or_else(|_| {
                "--engine restate --restate-ingress {ingress} --restate-admin {admin} \
                 --restate-endpoint 127.0.0.1:0 --clock virtual --virtual-start 2026-12-07T18:00:00Z"
                    .into()
            })
            .split_whitespace()
            .map(|a| a.replace("{ingress}", &ingress).replace("{admin}", &admin))
            .collect()
    };
    let one = |db: &str| -> Result<Served, String> {
        let s = Served::start(&dir.path().join(db), &extra)?;
        import_population(&s, contacts);
        Ok(s)
    };
    let imported = Instant::now();
    let s = one("throughput.sqlite")?;
    let import_secs = imported.elapsed().as_secs_f64();
    let nodes: Vec<u32> = _cluster.as_ref().map_or(Vec::new(), |c: &Cluster| {
        (1..=c.nodes)
            .filter_map(|n| {
                std::fs::read_to_string(c.dir.path().join(format!("n{n}.pid")))
                    .ok()
                    .and_then(|p| p.trim().parse().ok())
            })
            .collect()
    });
    let cpu = |pids: &[u32]| pids.iter().map(|p| cpu_secs(*p)).sum::<f64>();
    let load_before = load_average();
    let (runtime_before, nodes_before) = (cpu(&[s.child.id()]), cpu(&nodes));
    let (secs, steps) = throughput(&s);
    let (runtime_cpu, nodes_cpu) = (
        cpu(&[s.child.id()]) - runtime_before,
        cpu(&nodes) - nodes_before,
    );
    let load_after = load_average();
    println!(
        "{engine}: {contacts} contacts (imported in {import_secs:.1} s), {steps} tile-steps in \
         {secs:.2} s = {:.0} tile-steps/s; CPU during the run: journeys-runtime {runtime_cpu:.1} s, \
         restate-server nodes {nodes_cpu:.1} s; load average {load_before} → {load_after}",
        steps as f64 / secs,
    );
    // The same runtime and contacts (the renewal journey's runs have all ended).
    let (lat, posts) = first_step(&s, triggers);
    let log = std::fs::read_to_string(dir.path().join("throughput.serve.log")).unwrap_or_default();
    Ok(format!(
        "{engine}: trigger → first step ({triggers}, served): median {:.2} ms, p99 {:.2} ms \
         (of which POST /v1/triggers answered: median {:.2} ms, p99 {:.2} ms); load average {}; \
         serve logged {} warnings",
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100],
        posts[posts.len() / 2],
        posts[posts.len() * 99 / 100],
        load_average(),
        log.lines().filter(|l| l.contains("WARN")).count()
    ))
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let engines: Vec<String> = if args.is_empty() {
        vec!["sqlite".into(), "restate-1".into(), "restate-3".into()]
    } else {
        args
    };
    let contacts = env_usize("EXECUTORS_BENCH_CONTACTS", 10_000);
    let triggers = env_usize("EXECUTORS_BENCH_TRIGGERS", 1_000);
    for engine in &engines {
        match measure(engine, contacts, triggers) {
            Ok(line) => println!("{line}"),
            Err(reason) => println!("{engine}: not measured: {reason}"),
        }
    }
}
