//! Version summaries over the real server: the computer a publish names (header
//! `X-Switchboard-Computer`), a scheduled version and the contacts in flight per version.

use std::path::Path;

use serde_json::{Value, json};

use crate::runtime_support::{Server, agent, call, voice_journey};

/// POST the journey with the computer header; status and body.
fn publish_from(base: &str, token: &str, journey: &Value, computer: &str) -> (u16, Value) {
    let response = agent()
        .post(format!("{base}/v1/journeys/renewals/versions"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .header("X-Switchboard-Computer", computer)
        .send(journey.to_string())
        .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn starting(at: &str) -> Value {
    let mut journey = voice_journey();
    journey["tiles"][0]["start"]["startAt"] = json!(at);
    journey
}

#[test]
fn summaries_say_scheduled_where_from_and_how_many_contacts_each_version_holds() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("api.sqlite"), &[]);
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/samples");
    let csv = std::fs::read_to_string(samples.join("contacts.csv")).unwrap();
    let (code, _) = call(
        &base,
        Some(&token),
        "POST",
        "/v1/contacts",
        Some(("text/csv", csv)),
    );
    assert_eq!(code, 200);
    let ids: Vec<String> = (1..=20).map(|i| format!("c{i:02}")).collect();
    let (code, _) = call(
        &base,
        Some(&token),
        "PUT",
        "/v1/segments/renewals-due",
        Some((
            "application/json",
            json!({"kind": "static", "contactIds": ids}).to_string(),
        )),
    );
    assert_eq!(code, 204);

    // A computer name that is too long publishes nothing.
    let (code, body) = publish_from(
        &base,
        &token,
        &starting("2099-12-08T15:00:00Z"),
        &"x".repeat(256),
    );
    assert_eq!(code, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("computer"),
        "{body}"
    );
    let (code, none) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/version-summaries",
        None,
    );
    assert_eq!((code, none), (200, json!([])));

    let (code, body) = publish_from(&base, &token, &starting("2099-12-08T15:00:00Z"), "laptop-a");
    assert_eq!(code, 201, "{body}");
    let (_, list) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/version-summaries",
        None,
    );
    assert_eq!(list[0]["state"], "scheduled", "{list}");
    assert_eq!(list[0]["publishedFrom"], "laptop-a");
    assert_eq!(list[0]["startsAt"], "2099-12-08T15:00:00Z");
    assert_eq!(list[0]["inFlight"], 20);

    let (code, body) = publish_from(&base, &token, &starting("2020-01-01T00:00:00Z"), "desk-b");
    assert_eq!(code, 201, "{body}");
    let (_, list) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/version-summaries",
        None,
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        (&list[0]["state"], &list[0]["inFlight"]),
        (&json!("completing"), &json!(20))
    );
    assert_eq!(
        (&list[1]["state"], &list[1]["publishedFrom"]),
        (&json!("live"), &json!("desk-b"))
    );

    let (code, _) = call(
        &base,
        Some(&token),
        "POST",
        "/v1/journeys/renewals/versions/1/stop",
        None,
    );
    assert_eq!(code, 200);
    let (_, list) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/version-summaries",
        None,
    );
    assert_eq!(
        (&list[0]["state"], &list[0]["inFlight"], &list[0]["stopped"]),
        (&json!("stopped"), &json!(0), &json!(20))
    );
}
