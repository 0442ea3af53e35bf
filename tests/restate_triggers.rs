//! Starting runs by trigger on a one-node Restate cluster through `serve --engine restate`: the
//! sample appointment-reminders journey (trigger `appointmentBooked`, condition clinic = Downtown,
//! an entry window) enrols a contact whose trigger matches, not one whose trigger does not, once
//! per event id, refuses an unknown contact, and the run it started moves on the cluster (its
//! start and its two-day wait are counted).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::restate_cluster::Cluster;
use crate::runtime_support::{call, population, post_json};

fn trigger(event: &str, contact: &str, clinic: &str) -> Value {
    json!({"eventId": event, "trigger": "appointmentBooked", "contactId": contact,
           "attributes": {"clinic": clinic}})
}

#[test]
fn a_trigger_starts_runs_on_the_cluster_by_the_sqlite_executors_rules() {
    let cluster = Cluster::started("", 1);
    let dir = tempfile::tempdir().expect("a temp dir");
    // Inside the journey's entry window (December 2026 to June 2027).
    let server = cluster.serve(&dir.path().join("meta.sqlite"), "2026-12-07T18:00:00Z");
    let (base, token) = (
        server.base.clone(),
        server.token.clone().expect("an admin token"),
    );
    let (people, consents) = population(3);
    assert_eq!(post_json(&base, &token, "/v1/contacts", &people).0, 200);
    assert_eq!(post_json(&base, &token, "/v1/consents", &consents).0, 200);
    let journey: Value = serde_json::from_str(include_str!(
        "../journeys/samples/appointment-reminders.journey.json"
    ))
    .expect("the sample journey");
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/appointment-reminders/versions",
        &journey,
    );
    assert_eq!(code, 201, "{body}");

    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &trigger("e1", "c0", "Downtown"),
    );
    assert_eq!((code, &body["enrolled"]), (202, &json!(1)), "{body}");
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &trigger("e1", "c0", "Downtown"),
    );
    assert_eq!((code, &body["duplicate"]), (202, &json!(true)), "{body}");
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &trigger("e2", "c1", "Uptown"),
    );
    assert_eq!(
        (code, &body["enrolled"]),
        (202, &json!(0)),
        "the condition fails: {body}"
    );
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &trigger("e3", "c2", "Downtown"),
    );
    assert_eq!((code, &body["enrolled"]), (202, &json!(1)), "{body}");
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &trigger("e4", "nobody", "Downtown"),
    );
    assert_eq!(code, 404, "an unknown contact: {body}");

    // The two runs started on the cluster and went on to their wait.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, counts) = call(
            &base,
            Some(&token),
            "GET",
            "/v1/journeys/appointment-reminders/versions/1/counts",
            None,
        );
        assert_eq!(code, 200, "{counts}");
        let entered = |tile: &str| counts["tiles"][tile]["entered"].as_i64().unwrap_or(0);
        if (entered("start"), entered("wait-before")) == (2, 2) {
            break;
        }
        assert!(
            entered("start") <= 2 && Instant::now() < deadline,
            "the triggered runs did not move as expected: {}",
            counts["tiles"]
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(server);
}
