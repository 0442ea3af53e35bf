//! kill -9 the runtime repeatedly during a run; every contact finishes, nobody is called
//! twice, nobody without consent or inside quiet time.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use serde_json::{Value, json};

use runtime::executor::FAULT_ABORT_AFTER_SENDS;

use crate::runtime_support::{Server, call, population, post_json, voice_journey};

/// Contacts in the crash run (the 10,000; each kill-restart cycle costs a debug
/// build about a second).
const CONTACTS: usize = 10_000;
const KILLS: usize = 6;
/// A virtual clock starting on a Saturday: every call is first held by quiet time (US
/// commercial voice is quiet all weekend) and released on Monday 08:00 in Chicago.
const VIRTUAL: &[&str] = &[
    "--clock",
    "virtual",
    "--virtual-start",
    "2026-11-28T16:00:00Z",
];

fn status(server: &Server, token: &str) -> Value {
    call(&server.base, Some(token), "GET", "/v1/status", None).1
}

#[test]
fn kill_9_during_a_run_loses_nobody_and_calls_nobody_twice_or_unlawfully() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runtime.sqlite");
    let server = Server::start(&db, VIRTUAL);
    let token = server
        .token
        .clone()
        .expect("the first start prints the token");
    let base = server.base.clone();

    let (contacts, consents) = population(CONTACTS);
    assert_eq!(post_json(&base, &token, "/v1/contacts", &contacts).0, 200);
    assert_eq!(post_json(&base, &token, "/v1/consents", &consents).0, 200);
    let segment = json!({"kind": "filter", "match": "all", "conditions": [
        {"variable": {"kind": "attribute", "name": "country"}, "operator": "equals", "value": "us"}]});
    let (code, _) = call(
        &base,
        Some(&token),
        "PUT",
        "/v1/segments/renewals-due",
        Some(("application/json", segment.to_string())),
    );
    assert_eq!(code, 204);
    let (code, published) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    );
    assert_eq!(code, 201, "{published}");
    assert_eq!(published["enrolled"], CONTACTS);

    // First crash inside the send window: the process aborts after the simulator took
    // the first round of requests, before the runtime committed their acknowledgement.
    server.kill();
    let mut server = Server::start_with_env(&db, VIRTUAL, &[(FAULT_ABORT_AFTER_SENDS, "1")]);
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "the fault injection did not fire"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(server);
    server = Server::start(&db, VIRTUAL);

    // Then kill -9 at varied moments while the run is under way.
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut kills_mid_run = 0;
    for _ in 0..KILLS {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(150 + rng % 600));
        let s = status(&server, &token);
        if s["runs"]["active"].as_i64().unwrap_or(0) > 0 {
            kills_mid_run += 1;
        }
        server.kill();
        server = Server::start(&db, VIRTUAL);
        assert!(
            server.token.is_none(),
            "the token is printed only at first start"
        );
    }
    eprintln!("{kills_mid_run} of {KILLS} kills landed mid-run");
    assert!(
        kills_mid_run >= KILLS / 2,
        "only {kills_mid_run} kills landed mid-run"
    );
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let s = status(&server, &token);
        if s["runs"]["active"].as_i64().unwrap_or(0) == 0 && s["work"] == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "runs did not finish: {s}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, counts) = call(
        &base_of(&server),
        Some(&token),
        "GET",
        "/v1/journeys/renewals/versions/1/counts",
        None,
    );
    assert_eq!(counts["runs"]["done"], CONTACTS, "{counts}");
    let exit = &counts["tiles"]["done"];
    let cool = &counts["tiles"]["cool-off"];
    assert_eq!(
        exit["completed"].as_i64().unwrap() + cool["completed"].as_i64().unwrap_or(0),
        CONTACTS as i64
    );
    let call_counts = &counts["tiles"]["call"];
    assert_eq!(call_counts["entered"], CONTACTS);
    // Consent is decided before quiet time (D3): only opted-in numbers are held.
    assert_eq!(call_counts["heldTotal"], CONTACTS / 10 * 7);
    server.kill();

    // The simulator's ledger and the runtime's outbox, read from the files.
    let sim = rusqlite::Connection::open(dir.path().join("runtime.sqlite.simulator")).unwrap();
    let rows: Vec<(String, i64, Option<i64>, String)> = {
        let mut stmt = sim
            .prepare("SELECT request_id, received, dialled_at, contact_id FROM request")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let contacts_called: BTreeSet<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    assert_eq!(
        contacts_called.len(),
        rows.len(),
        "a contact was called under two keys"
    );
    let opted_in = |id: &str| {
        let i: usize = id.trim_start_matches('c').parse().unwrap();
        i % 10 <= 6
    };
    // 70 % opted in; every 10th (no phone) falls outside that set.
    assert_eq!(rows.len(), CONTACTS / 10 * 7);
    let quiet_dates = [
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(),
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
    ];
    for (key, _, dialled_at, contact) in &rows {
        assert!(
            opted_in(contact),
            "{contact} was called without an opt-in ({key})"
        );
        let at =
            DateTime::<Utc>::from_timestamp_millis(dialled_at.expect("dialled inside a window"))
                .unwrap()
                .with_timezone(&chrono_tz::America::Chicago);
        // The sample's US commercial voice schedule, read independently: weekends all day,
        // and Mon–Fri blocks 21:00 → 08:00 next day (so Monday 00:00–08:00 is allowed:
        // no block starts on Sunday evening).
        let weekend = matches!(at.weekday(), Weekday::Sat | Weekday::Sun);
        let late = at.hour() >= 21;
        let early = at.hour() < 8 && at.weekday() != Weekday::Mon;
        assert!(
            !weekend && !late && !early && !quiet_dates.contains(&at.date_naive()),
            "{contact} was dialled inside quiet time at {at}"
        );
    }
    let resent: i64 = rows.iter().map(|r| r.1 - 1).sum();
    eprintln!(
        "{} calls, {resent} repeated requests deduplicated by key",
        rows.len()
    );
    assert!(
        resent > 0,
        "the send-window crash re-sends its requests under the same keys"
    );

    let db = rusqlite::Connection::open(&db).unwrap();
    let acked: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE status = 'acked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let total: i64 = db
        .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!((acked, total), (rows.len() as i64, rows.len() as i64));
    let blocked: i64 = counts["tiles"]["call"]["blocked"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(blocked, (CONTACTS - rows.len()) as i64);
}

fn base_of(server: &Server) -> String {
    server.base.clone()
}
