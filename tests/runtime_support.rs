//! A real `journeys-runtime serve` child process on an ephemeral 127.0.0.1 port.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// The server binary, built once per test run.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            // With the Restate engine, as this crate's own dependency on runtime has it.
            .args(["build", "-q", "-p", "runtime", "--features", "restate"])
            .args(["--bin", "journeys-runtime"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building journeys-runtime failed");
        let exe = std::env::current_exe().expect("the test binary has a path");
        // target/debug/deps/main-… → target/debug/journeys-runtime
        exe.parent()
            .and_then(Path::parent)
            .expect("target dir")
            .join("journeys-runtime")
    })
}

pub fn catalog_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("journeys/samples/catalog.json")
}

pub struct Server {
    pub child: Child,
    pub base: String,
    /// The admin token, printed on a new database's first start.
    pub token: Option<String>,
    /// The ingest token, printed with it.
    pub ingest_token: Option<String>,
}

impl Server {
    /// Start `serve` on `db` with extra arguments; waits for its "listening" line.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(db, extra, &[])
    }

    /// [`Server::start`] with extra environment variables.
    pub fn start_with_env(db: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let child = Command::new(binary())
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--listen", "127.0.0.1:0", "--catalog"])
            .arg(catalog_path())
            .args(extra)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        // Owned by a Server at once, so its Drop reaps the child on any panic below.
        let mut server = Server {
            child,
            base: String::new(),
            token: None,
            ingest_token: None,
        };
        let stdout = server.child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the server prints its address within a minute");
            if let Some(t) = line.strip_prefix("token ") {
                server.token = Some(t.to_owned());
            }
            if let Some(t) = line.strip_prefix("ingest token ") {
                server.ingest_token = Some(t.to_owned());
            }
            if let Some(address) = line.strip_prefix("listening ") {
                server.base = address.to_owned();
                return server;
            }
        }
    }

    /// kill -9.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL is delivered");
        self.child.wait().expect("the child is reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // A 10,000-contact import into a Restate cluster takes one to two minutes on this
        // machine's two shared cores (`RESTATE_FAILOVER_CONTACTS=10000`).
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .new_agent()
}

/// A request; returns status and JSON body (Null when empty).
pub fn call(
    base: &str,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<(&str, String)>,
) -> (u16, Value) {
    let url = format!("{base}{path}");
    let agent = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let response = match (method, body) {
        ("GET", _) => {
            let mut req = agent.get(&url);
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            req.call()
        }
        (m, body) => {
            let mut req = match m {
                "PUT" => agent.put(&url),
                _ => agent.post(&url),
            };
            if let Some(a) = &auth {
                req = req.header("Authorization", a);
            }
            let (content_type, text) = body.unwrap_or(("application/json", String::new()));
            req.header("Content-Type", content_type).send(text)
        }
    }
    .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

pub fn post_json(base: &str, token: &str, path: &str, body: &Value) -> (u16, Value) {
    call(
        base,
        Some(token),
        "POST",
        path,
        Some(("application/json", body.to_string())),
    )
}

pub fn voice_journey() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/samples/voice-journey.json"),
    )
    .expect("the sample journey exists");
    serde_json::from_str(&text).expect("the sample journey is JSON")
}

/// Contacts in Chicago; every 10th has no phone; consent: i % 10 in 0..=6 opted in,
/// 7 opted out, 8 and 9 none.
pub fn population(n: usize) -> (Value, Value) {
    let mut contacts = Vec::new();
    let mut consents = Vec::new();
    for i in 0..n {
        let phone = format!("+1312{:07}", i);
        contacts.push(json!({
            "id": format!("c{i}"),
            "mobilePhone": if i % 10 == 9 { Value::Null } else { Value::from(phone.clone()) },
            "timeZone": "America/Chicago",
            "country": "US",
            "stateOrProvince": "IL",
            "attributes": {"tier": if i % 2 == 0 { "gold" } else { "silver" }}
        }));
        let status = match i % 10 {
            0..=6 => Some("optedIn"),
            7 => Some("optedOut"),
            _ => None,
        };
        if let Some(status) = status {
            consents.push(json!({
                "contactPoint": phone, "channel": "voice",
                "scope": {"kind": "purpose", "purposeId": "pur-promotions"},
                "status": status, "updatedAt": "2026-01-01T00:00:00Z", "source": "import"
            }));
        }
    }
    (Value::from(contacts), Value::from(consents))
}
