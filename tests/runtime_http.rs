//! The HTTP API on a real server process: auth, errors, limits, publish by hash, triggers,
//! outcomes and counts.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::runtime_support::{Server, call, population, post_json, voice_journey};

fn trigger_journey() -> Value {
    let mut journey = voice_journey();
    journey["id"] = json!("welcome");
    // No quiet time, so the call goes out whatever the wall clock says.
    journey["tiles"][1]["quietTime"] = json!({"mode": "none"});
    journey["tiles"][0]["start"] = json!({"kind": "trigger", "triggerName": "signup",
        "conditions": [{"variable": {"kind": "attribute", "name": "plan"}, "operator": "equals", "value": "pro"}]});
    journey
}

fn wait_for(mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "condition not met within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_api_refuses_strangers_and_bad_bodies_and_publishes_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("api.sqlite"), &[]);
    let base = server.base.clone();
    let token = server.token.clone().unwrap();

    // Health needs no token; everything else does.
    assert_eq!(call(&base, None, "GET", "/healthz", None).0, 200);
    for token in [None, Some("wrong"), Some("")] {
        let (code, body) = call(&base, token, "GET", "/v1/catalog", None);
        assert_eq!(code, 401);
        assert_eq!(body["code"], "unauthorized");
    }
    let (code, body) = call(
        &base,
        Some("x"),
        "POST",
        "/v1/triggers",
        Some(("application/json", "{}".into())),
    );
    assert_eq!((code, body["code"].as_str()), (401, Some("unauthorized")));

    assert_eq!(call(&base, None, "GET", "/readyz", None).0, 401);
    let (code, ready) = call(&base, Some(&token), "GET", "/readyz", None);
    assert_eq!((code, ready["ready"].as_bool()), (200, Some(true)));

    // The catalog and the OpenAPI document.
    let (code, catalog) = call(&base, Some(&token), "GET", "/v1/catalog", None);
    assert_eq!(code, 200);
    assert!(catalog["engagements"].as_array().unwrap().len() >= 4);
    let (code, openapi) = call(&base, Some(&token), "GET", "/v1/openapi.json", None);
    assert_eq!(code, 200);
    assert!(openapi["paths"]["/v1/triggers"]["post"].is_object());

    // Malformed bodies: 400 with a message saying where.
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/welcome/versions",
        &json!({"schemaVersion": 1}),
    );
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("journey"),
        "{body}"
    );
    let (code, body) = call(
        &base,
        Some(&token),
        "POST",
        "/v1/triggers",
        Some(("application/json", "{not json".into())),
    );
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("line 1"),
        "{body}"
    );
    let (code, body) = call(
        &base,
        Some(&token),
        "POST",
        "/v1/consents",
        Some(("text/csv", "contactPoint,channel\n+1,voice\n".into())),
    );
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("scope"),
        "{body}"
    );
    // Too large: 413.
    let huge = json!({"eventId": "e", "trigger": "t", "contactId": "c", "attributes": {"pad": "x".repeat(70_000)}});
    let (code, body) = post_json(&base, &token, "/v1/triggers", &huge);
    assert_eq!(
        (code, body["code"].as_str()),
        (413, Some("payloadTooLarge"))
    );

    // A journey with errors: 422 with the validator's diagnostics.
    let mut nameless = trigger_journey();
    nameless["name"] = json!("");
    let (code, body) = post_json(&base, &token, "/v1/journeys/welcome/versions", &nameless);
    assert_eq!(code, 422);
    assert_eq!(body["diagnostics"][0]["code"], "journey.name-missing");

    // Publish: new (201), same content again (200, same version), layout ignored.
    let journey = trigger_journey();
    let (code, first) = post_json(&base, &token, "/v1/journeys/welcome/versions", &journey);
    assert_eq!(code, 201, "{first}");
    let mut moved = journey.clone();
    moved["layout"] = json!({"positions": {"call": {"x": 5.0, "y": 9.0}}});
    let (code, again) = post_json(&base, &token, "/v1/journeys/welcome/versions", &moved);
    assert_eq!(code, 200);
    assert_eq!(
        again["version"]["contentHash"],
        first["version"]["contentHash"]
    );
    assert_eq!(again["version"]["number"], 1);

    // Contacts, consent, a trigger (idempotent on its id), a call, its outcome, counts.
    let (contacts, consents) = population(3);
    assert_eq!(post_json(&base, &token, "/v1/contacts", &contacts).0, 200);
    assert_eq!(post_json(&base, &token, "/v1/consents", &consents).0, 200);
    let trig = json!({"eventId": "ev-1", "trigger": "signup", "contactId": "c0", "attributes": {"plan": "PRO "}});
    let (code, body) = post_json(&base, &token, "/v1/triggers", &trig);
    assert_eq!(code, 202);
    assert_eq!(body["enrolled"], 1);
    let (_, body) = post_json(&base, &token, "/v1/triggers", &trig);
    assert_eq!(body["duplicate"], true);
    let other = json!({"eventId": "ev-2", "trigger": "signup", "contactId": "c1", "attributes": {"plan": "free"}});
    assert_eq!(
        post_json(&base, &token, "/v1/triggers", &other).1["enrolled"],
        0
    );
    let unknown = json!({"eventId": "ev-3", "trigger": "signup", "contactId": "nobody"});
    assert_eq!(post_json(&base, &token, "/v1/triggers", &unknown).0, 404);

    let counts = || {
        call(
            &base,
            Some(&token),
            "GET",
            "/v1/journeys/welcome/versions/1/counts",
            None,
        )
        .1
    };
    wait_for(|| counts()["tiles"]["call"]["sent"] == 1);
    let outcome = json!({"eventId": "out-1", "idemKey": "1:call:1", "result": "LiveAnswer",
        "dispositionCodes": ["Interested"], "variables": {"Outcome": "Booked"}});
    let (code, body) = post_json(&base, &token, "/v1/interactions", &outcome);
    assert_eq!(code, 202, "{body}");
    assert_eq!(
        post_json(&base, &token, "/v1/interactions", &outcome).1["duplicate"],
        true
    );
    let stray = json!({"eventId": "out-2", "idemKey": "99:call:1", "result": "LiveAnswer"});
    assert_eq!(post_json(&base, &token, "/v1/interactions", &stray).0, 404);
    wait_for(|| counts()["tiles"]["outcome"]["branches"]["booked"] == 1);
    let c = counts();
    assert_eq!(c["tiles"]["call"]["attempted"]["LiveAnswer"], 1);
    assert_eq!(c["tiles"]["wait"]["branches"]["attempted"], 1);
    assert_eq!(c["runs"]["done"], 1);

    // Versions, then stop (final).
    let (_, versions) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/welcome/versions",
        None,
    );
    assert_eq!(versions.as_array().unwrap().len(), 1);
    // One version with its journey: the semantic content as published, the layout too.
    let (code, one) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/welcome/versions/1",
        None,
    );
    assert_eq!(code, 200, "{one}");
    assert_eq!(one["version"]["number"], 1);
    assert_eq!(
        one["version"]["contentHash"],
        first["version"]["contentHash"]
    );
    assert_eq!(one["journey"]["id"], journey["id"]);
    let parse =
        |v: &Value| serde_json::from_value::<journeys::document::Journey>(v.clone()).unwrap();
    assert_eq!(parse(&one["journey"]).tiles, parse(&journey).tiles);
    let (code, missing) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/welcome/versions/9",
        None,
    );
    assert_eq!((code, missing["code"].as_str()), (404, Some("notFound")));
    let (code, v) = post_json(
        &base,
        &token,
        "/v1/journeys/welcome/versions/1/stop",
        &json!({}),
    );
    assert_eq!((code, v["state"].as_str()), (200, Some("stopped")));
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/welcome/versions/1/resume",
        &json!({}),
    );
    assert_eq!((code, body["code"].as_str()), (409, Some("conflict")));
    let (code, _) = post_json(
        &base,
        &token,
        "/v1/journeys/welcome/versions/7/stop",
        &json!({}),
    );
    assert_eq!(code, 404);
}

/// A one-route HTTP stub standing in for the contact center: records each request body.
fn contact_center_stub() -> (String, std::sync::mpsc::Receiver<(String, Value)>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/deliveries", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            let mut idem = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("idempotency-key:") {
                    idem = line["idempotency-key:".len()..].trim().to_owned();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let reply = r#"{"DeliveryId":"d-1","DeliveryTaskId":"t-1"}"#;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            )
            .unwrap();
            let _ = tx.send((idem, serde_json::from_slice(&body).unwrap()));
        }
    });
    (url, rx)
}

#[test]
fn the_http_adapter_posts_the_request_with_its_key_and_windows_and_outcomes_come_back() {
    let (url, requests) = contact_center_stub();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        &dir.path().join("cc.sqlite"),
        &["--contact-center-url", &url],
    );
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    let (contacts, consents) = population(1);
    post_json(&base, &token, "/v1/contacts", &contacts);
    post_json(&base, &token, "/v1/consents", &consents);
    assert_eq!(
        post_json(
            &base,
            &token,
            "/v1/journeys/welcome/versions",
            &trigger_journey()
        )
        .0,
        201
    );
    let trig = json!({"eventId": "e1", "trigger": "signup", "contactId": "c0", "attributes": {"plan": "pro"}});
    assert_eq!(
        post_json(&base, &token, "/v1/triggers", &trig).1["enrolled"],
        1
    );

    let (header, body) = requests
        .recv_timeout(Duration::from_secs(30))
        .expect("a request arrives");
    assert_eq!(header, "1:call:1");
    assert_eq!(body["RequestId"], "1:call:1");
    assert_eq!(body["ProactiveEngagementConfigId"], "eng-renewals-voice");
    assert_eq!(body["Contacts"][0]["phone"], "+13120000000");
    assert_eq!(
        body["Contacts"][0]["inputAttributes"]["idemKey"],
        "1:call:1"
    );
    let windows = body["Windows"].as_array().unwrap();
    assert!(!windows.is_empty());
    assert!(windows[0]["Start"].as_str().unwrap().ends_with('Z'));

    let outcome = json!({"eventId": "o1", "idemKey": "1:call:1", "result": "InvalidAddress"});
    assert_eq!(
        post_json(&base, &token, "/v1/interactions", &outcome).0,
        202
    );
    let counts = || {
        call(
            &base,
            Some(&token),
            "GET",
            "/v1/journeys/welcome/versions/1/counts",
            None,
        )
        .1
    };
    wait_for(|| counts()["tiles"]["wait"]["branches"]["notAttempted"] == 1);
    assert_eq!(
        counts()["tiles"]["call"]["notAttempted"]["InvalidAddress"],
        1
    );
    assert!(
        requests.try_recv().is_err(),
        "exactly one request was posted"
    );
}
