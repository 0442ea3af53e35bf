//! `journeys-runtime serve --engine restate`: the real HTTP server over a real one-node cluster
//! (`scripts/restate-cluster.sh`), its handlers served by the same process and registered with the
//! cluster at start. Publishing the sample voice journey, importing contacts and consents, starting
//! runs and posting call results through the API give the SQLite executor's per-tile counts for the
//! same input; a cluster that does not answer at start is a plain error and a failing exit code, and
//! one gone later makes the API answer 503.

use std::process::Command;
use std::time::{Duration, Instant};

use runtime::restate::run_key;
use runtime::storage::TileCounts;
use serde_json::{Value, json};

use crate::restate_cluster::Cluster;
use crate::restate_engine::{contacts, monday, on_sqlite, result_for, settled};
use crate::runtime_support::{binary, call, post_json, voice_journey};
use crate::runtime_tile_contacts::get_text;

fn counts(base: &str, token: &str) -> (u16, Value) {
    call(
        base,
        Some(token),
        "GET",
        "/v1/journeys/renewals/versions/1/counts",
        None,
    )
}

#[test]
fn the_http_api_over_a_cluster_gives_the_sqlite_executors_counts() {
    let (sqlite, sqlite_dials) = on_sqlite(monday(), chrono::Duration::zero());

    let cluster = Cluster::started("", 1);
    let dir = tempfile::tempdir().expect("a temp dir");
    // Its clock: real time from Monday 08:00 in Chicago (inside calling hours), as the SQLite side's.
    let server = cluster.serve(&dir.path().join("meta.sqlite"), &monday().to_rfc3339());
    let base = server.base.clone();
    let token = server
        .token
        .clone()
        .expect("an admin token on a new database");

    // The runs are started through the API, on an empty segment (segment admission at publish
    // is `restate_failover.rs`'s).
    let segment = |ids: &[&str]| json!({"kind": "static", "contactIds": ids});
    let put_segment = |body: Value| {
        call(
            &base,
            Some(&token),
            "PUT",
            "/v1/segments/renewals-due",
            Some(("application/json", body.to_string())),
        )
    };
    assert_eq!(put_segment(segment(&[])).0, 204);
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    );
    assert_eq!(code, 201, "publish: {body}");
    assert_eq!(body["version"]["number"], 1, "{body}");
    // The same content again is the same version (the SQLite executor's publish rules).
    let (code, again) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    );
    assert_eq!((code, &again["created"]), (200, &json!(false)), "{again}");

    let (people, consents) = contacts();
    let (code, body) = post_json(&base, &token, "/v1/contacts", &json!(people));
    assert_eq!((code, &body["imported"]), (200, &json!(5)), "{body}");
    let (code, body) = post_json(&base, &token, "/v1/consents", &json!(consents));
    assert_eq!((code, &body["imported"]), (200, &json!(5)), "{body}");

    for contact in &people {
        let run = json!({"contactId": contact.id});
        let (code, body) = post_json(&base, &token, "/v1/journeys/renewals/runs", &run);
        assert_eq!(code, 201, "start {}: {body}", contact.id);
        // The same entry again starts nothing.
        let (code, body) = post_json(&base, &token, "/v1/journeys/renewals/runs", &run);
        assert_eq!((code, &body["started"]), (200, &json!(false)), "{body}");
    }
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/runs",
        &json!({"contactId": "nobody"}),
    );
    assert_eq!(code, 404, "a run for an unknown contact: {body}");

    // The calls go out (the SQLite executor made one per contact with consent).
    let deadline = Instant::now() + Duration::from_secs(30);
    let sent = |c: &Value| c["tiles"]["call"]["sent"].as_i64().unwrap_or(0);
    while sent(&counts(&base, &token).1) < sqlite_dials.len() as i64 {
        assert!(
            Instant::now() < deadline,
            "the calls never went out: {}",
            counts(&base, &token).1
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    for (contact, _) in &sqlite_dials {
        let Some(journeys::step::EventPayload::CallResult {
            result,
            disposition_codes,
            variables,
        }) = result_for(contact)
        else {
            continue;
        };
        let key = format!("{}:call:1", run_key("renewals", 1, contact));
        let outcome = json!({"eventId": format!("result-{key}"), "idemKey": key, "result": result,
            "dispositionCodes": disposition_codes, "variables": variables});
        let (code, body) = post_json(&base, &token, "/v1/interactions", &outcome);
        assert_eq!((code, &body["duplicate"]), (202, &json!(false)), "{body}");
        let (code, body) = post_json(&base, &token, "/v1/interactions", &outcome);
        assert_eq!((code, &body["duplicate"]), (202, &json!(true)), "{body}");
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, body) = counts(&base, &token);
        assert_eq!(code, 200, "{body}");
        let tiles: std::collections::BTreeMap<String, TileCounts> =
            serde_json::from_value(body["tiles"].clone()).expect("per-tile counts");
        let tiles = settled(tiles);
        if tiles == sqlite {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the API's counts never matched the SQLite executor's:\nrestate: {tiles:#?}\nsqlite: {sqlite:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Not a vacuous match: calls were sent, blocked and answered.
    assert_eq!((sqlite["call"].sent, sqlite["done"].completed), (4, 2));
    // The contacts at a tile, as JSON and as CSV, from the runs' state in the cluster.
    let tiles = "/v1/journeys/renewals/versions/1/tiles";
    let (code, body) = call(
        &base,
        Some(&token),
        "GET",
        &format!("{tiles}/wait/contacts?at=branch&branch=blocked"),
        None,
    );
    assert_eq!(code, 200, "{body}");
    let blocked: Vec<&str> = body["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .filter_map(|c| c["contactId"].as_str())
        .collect();
    assert_eq!(blocked, ["c3"], "{body}");
    let (code, kind, next, csv) = get_text(
        &base,
        &token,
        &format!("{tiles}/call/contacts?at=entered&limit=3"),
        "text/csv",
    );
    assert_eq!(
        (code, kind.as_str()),
        (200, "text/csv; charset=utf-8"),
        "{csv}"
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(runtime::storage::CSV_HEADER.join(",").as_str())
    );
    let ids: Vec<&str> = lines.filter_map(|l| l.split(',').next()).collect();
    assert_eq!(ids, ["c0", "c1", "c2"], "{csv}");
    let (code, _, last, csv) = get_text(
        &base,
        &token,
        &format!(
            "{tiles}/call/contacts?at=entered&limit=3&after={}&format=csv",
            next.expect("a next page")
        ),
        "*/*",
    );
    assert_eq!((code, last), (200, None), "{csv}");
    assert_eq!(csv.lines().count(), 3, "the header and c3, c4: {csv}");

    // A call result for a run that was never started: refused with the reason.
    let stray = format!("{}:call:1", run_key("renewals", 1, "nobody"));
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/interactions",
        &json!({"eventId": "stray", "idemKey": stray, "result": "LiveAnswer"}),
    );
    assert_eq!(code, 404, "{body}");
    assert!(body.to_string().contains("no run"), "{body}");
    // Pause through the API: the version and the counts say so.
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/pause",
        &json!({}),
    );
    assert_eq!((code, &body["state"]), (200, &json!("paused")), "{body}");
    // The cluster gone (its data kept): the API answers 503 with the reason.
    let down = cluster.run(&["down", "--keep"]);
    assert!(down.status.success(), "{down:?}");
    let (code, body) = counts(&base, &token);
    assert_eq!(code, 503, "{body}");
    assert!(body.to_string().contains("unreachable"), "{body}");
    let (code, body) = call(
        &base,
        Some(&token),
        "GET",
        &format!("{tiles}/wait/contacts"),
        None,
    );
    assert_eq!(code, 503, "{body}");
    assert!(body.to_string().contains("unreachable"), "{body}");
    // Mid-run (its runs wait for results): a resume or a call result gets the same answer.
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/resume",
        &json!({}),
    );
    assert_eq!(code, 503, "{body}");
    assert!(body.to_string().contains("unreachable"), "{body}");
    // Nothing was half-done: the version is still paused, as the cluster has it.
    let (code, body) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/versions",
        None,
    );
    assert_eq!((code, &body[0]["state"]), (200, &json!("paused")), "{body}");

    // The cluster back on its data: nothing was lost, and the work goes on.
    let up = cluster.run(&["up"]);
    let log = std::fs::read_to_string(cluster.dir.path().join("n1.log")).unwrap_or_default();
    let tail: Vec<&str> = log.lines().collect();
    assert!(
        up.status.success(),
        "the restart failed: {}\nthe node's log ends:\n{}",
        String::from_utf8_lossy(&up.stderr),
        tail[tail.len().saturating_sub(40)..].join("\n")
    );
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/resume",
        &json!({}),
    );
    assert_eq!((code, &body["state"]), (200, &json!("live")), "{body}");
    // c2 was still waiting for its call's result: it arrives now and moves the run on.
    let key = format!("{}:call:1", run_key("renewals", 1, "c2"));
    let outcome = json!({"eventId": "late-c2", "idemKey": key, "result": "LiveAnswer"});
    let (code, body) = post_json(&base, &token, "/v1/interactions", &outcome);
    assert_eq!(code, 202, "{body}");
    let attempted = |c: &Value| c["tiles"]["wait"]["branches"]["attempted"].as_i64();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, body) = counts(&base, &token);
        if code == 200 && attempted(&body) == Some(4) {
            assert_eq!(body["tiles"]["call"]["sent"], 4, "{body}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "c2's late result never moved its run on after the restart: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(server);
    drop(cluster);
}

#[test]
fn serve_with_no_cluster_answering_exits_with_a_plain_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // A port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = Command::new(binary())
        .arg("serve")
        .arg("--db")
        .arg(dir.path().join("meta.sqlite"))
        .args(["--listen", "127.0.0.1:0", "--engine", "restate"])
        .args(["--restate-ingress", &url, "--restate-admin", &url])
        .args(["--restate-endpoint", "127.0.0.1:0"])
        .env("RUST_LOG", "error")
        .output()
        .expect("the server runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("registering the handlers") && stderr.contains("unreachable"),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}
