//! The API's contract on a real server process (127.0.0.1, real SQLite): catalog
//! replacements checked against live versions, token scopes and rotation, import warnings
//! and strict mode, bad input answered with JSON errors.

use std::process::Command;

use serde_json::{Value, json};

use crate::runtime_support::{Server, binary, call, catalog_path, post_json, voice_journey};

fn put_json(base: &str, token: &str, path: &str, body: &Value) -> (u16, Value) {
    call(
        base,
        Some(token),
        "PUT",
        path,
        Some(("application/json", body.to_string())),
    )
}

fn sample_catalog() -> Value {
    serde_json::from_str(&std::fs::read_to_string(catalog_path()).unwrap()).unwrap()
}

/// Publish the sample voice journey (its segment first).
fn publish_renewals(base: &str, token: &str) -> (u16, Value) {
    let segment = json!({"kind": "static", "contactIds": []});
    assert_eq!(
        put_json(base, token, "/v1/segments/renewals-due", &segment).0,
        204
    );
    post_json(
        base,
        token,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    )
}

#[test]
fn a_catalog_that_would_break_a_live_journey_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("catalog.sqlite"), &[]);
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    let (code, published) = publish_renewals(&base, &token);
    assert_eq!(code, 201, "{published}");
    let before = call(&base, Some(&token), "GET", "/v1/catalog", None).1;

    // Without the engagement the live version calls with: 409 naming it and the version.
    let mut without = sample_catalog();
    without["engagements"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["id"] != "eng-renewals-voice");
    let (code, body) = put_json(&base, &token, "/v1/catalog", &without);
    assert_eq!(code, 409, "{body}");
    assert_eq!(body["code"], "catalogInUse");
    assert_eq!(
        body["conflicts"],
        json!([{
            "item": {"kind": "engagement", "id": "eng-renewals-voice"},
            "change": "removed",
            "usedBy": [{"journeyId": "renewals", "number": 1, "state": "live"}]
        }])
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("engagement eng-renewals-voice") && message.contains("renewals v1"),
        "{message}"
    );
    assert_eq!(
        call(&base, Some(&token), "GET", "/v1/catalog", None).1,
        before
    );

    // Retyping the purpose it uses is refused too; paused versions count.
    let paused = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/pause",
        &json!(null),
    );
    assert_eq!(paused.0, 200, "{}", paused.1);
    let mut retyped = sample_catalog();
    retyped["complianceProfiles"][0]["purposes"][0]["type"] = json!("transactional");
    let (code, body) = put_json(&base, &token, "/v1/catalog", &retyped);
    assert_eq!(code, 409, "{body}");
    assert_eq!(
        body["conflicts"][0]["item"],
        json!({"kind": "purpose", "profileId": "cp-us-marketing", "id": "pur-promotions"})
    );
    assert_eq!(body["conflicts"][0]["usedBy"][0]["state"], "paused");

    // Empty, malformed, unknown fields, wrong content type: 400 / 415, nothing changed.
    let (code, body) = put_json(&base, &token, "/v1/catalog", &json!({}));
    assert_eq!((code, body["code"].as_str()), (400, Some("badRequest")));
    assert!(
        body["message"].as_str().unwrap().contains("empty"),
        "{body}"
    );
    let (code, body) = call(
        &base,
        Some(&token),
        "PUT",
        "/v1/catalog",
        Some(("application/json", "{\"engagements\": [".into())),
    );
    assert_eq!(code, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("line 1"));
    let mut extra = sample_catalog();
    extra["colour"] = json!("blue");
    let (code, body) = put_json(&base, &token, "/v1/catalog", &extra);
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("colour"),
        "{body}"
    );
    let (code, body) = call(
        &base,
        Some(&token),
        "PUT",
        "/v1/catalog",
        Some(("text/plain", sample_catalog().to_string())),
    );
    assert_eq!(
        (code, body["code"].as_str()),
        (415, Some("unsupportedMediaType"))
    );
    assert_eq!(
        call(&base, Some(&token), "GET", "/v1/catalog", None).1,
        before
    );

    // Harmless changes pass; once stopped, the engagement may go.
    let mut renamed = sample_catalog();
    renamed["engagements"][0]["name"] = json!("Renewals (new script)");
    assert_eq!(put_json(&base, &token, "/v1/catalog", &renamed).0, 204);
    let stopped = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/stop",
        &json!(null),
    );
    assert_eq!(stopped.0, 200, "{}", stopped.1);
    assert_eq!(put_json(&base, &token, "/v1/catalog", &without).0, 204);
}

#[test]
fn the_ingest_token_feeds_data_but_cannot_publish_and_rotation_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tokens.sqlite");
    let server = Server::start(&db, &[]);
    let base = server.base.clone();
    let admin = server.token.clone().unwrap();
    let ingest = server.ingest_token.clone().unwrap();
    assert_ne!(admin, ingest);

    let contacts =
        json!([{"id": "c1", "mobilePhone": "+13125550100", "timeZone": "America/Chicago"}]);
    assert_eq!(post_json(&base, &ingest, "/v1/contacts", &contacts).0, 200);
    let (code, body) = post_json(
        &base,
        &ingest,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    );
    assert_eq!((code, body["code"].as_str()), (403, Some("forbidden")));
    for (method, path) in [("GET", "/v1/catalog"), ("GET", "/v1/status")] {
        assert_eq!(
            call(&base, Some(&ingest), method, path, None).0,
            403,
            "{path}"
        );
    }
    assert_eq!(
        call(&base, Some("not-a-token"), "GET", "/v1/catalog", None).0,
        401
    );
    // The admin token does both.
    assert_eq!(post_json(&base, &admin, "/v1/contacts", &contacts).0, 200);
    assert_eq!(publish_renewals(&base, &admin).0, 201);
    // Only hashes are stored.
    let rotate = |scope: &str| {
        Command::new(binary())
            .args(["token", "rotate", "--scope", scope, "--db"])
            .arg(&db)
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    // While the runtime holds the database, rotation says to stop it first.
    let busy = rotate("ingest");
    assert!(!busy.status.success());
    let said = String::from_utf8_lossy(&busy.stderr);
    assert!(said.contains("stop the runtime"), "{said}");
    server.kill();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT sha256 FROM api_token")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(!stored.contains(&admin) && !stored.contains(&ingest));
    drop(conn);

    let out = rotate("ingest");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let fresh = printed
        .trim()
        .strip_prefix("ingest token ")
        .expect("the new token is printed once")
        .to_owned();
    let server = Server::start(&db, &[]);
    assert!(server.token.is_none(), "tokens are not printed again");
    let base = server.base.clone();
    assert_eq!(post_json(&base, &ingest, "/v1/contacts", &contacts).0, 401);
    assert_eq!(post_json(&base, &fresh, "/v1/contacts", &contacts).0, 200);
    assert_eq!(
        call(&base, Some(&admin), "GET", "/v1/catalog", None).0,
        200,
        "the admin token is untouched"
    );
}

const BAD_CONTACTS: &str = "id,mobilePhone,timeZone\n\
ok1,+13125550100,America/Chicago\n\
bad1,not-a-phone,America/Chicago\n\
bad2,+1312555,America/Chicago\n\
bad3,+13125550103,Mars/Olympus\n";

#[test]
fn imports_report_what_they_cannot_use_and_strict_refuses_all() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("import.sqlite"), &[]);
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    let csv = |path: &str, text: &str| {
        call(
            &base,
            Some(&token),
            "POST",
            path,
            Some(("text/csv", text.to_owned())),
        )
    };

    // Strict: 422 with the warnings, nothing stored.
    let (code, body) = csv("/v1/contacts?strict=true", BAD_CONTACTS);
    assert_eq!(
        (code, body["code"].as_str()),
        (422, Some("importRefused")),
        "{body}"
    );
    assert_eq!(body["warnings"].as_array().unwrap().len(), 3);
    let consent = "contactPoint,channel,scope,scopeId,status,updatedAt\n\
+13125550100,voice,purpose,pur-promotions,optedIn,2026-01-01T00:00:00Z\n";
    let (code, body) = csv("/v1/consents", consent);
    assert_eq!(code, 200);
    assert_eq!(
        body["warnings"][0]["value"], "+13125550100",
        "no contact was stored by the refused import: {body}"
    );

    // Default: stored, with each unusable value by row and column.
    let (code, body) = csv("/v1/contacts", BAD_CONTACTS);
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["imported"], 4);
    let rows: Vec<(u64, &str, &str)> = body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap(),
                w["contactId"].as_str().unwrap(),
                w["column"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "bad1", "mobilePhone"),
            (4, "bad2", "mobilePhone"),
            (5, "bad3", "timeZone")
        ]
    );
    // Now the number has a contact: no warning; an unknown one still has.
    let (_, body) = csv("/v1/consents", consent);
    assert_eq!(body["warnings"], json!([]));
    let (code, body) = csv(
        "/v1/consents?strict=true",
        &format!(
            "{consent}+13125559999,voice,purpose,pur-promotions,optedIn,2026-01-01T00:00:00Z\n"
        ),
    );
    assert_eq!((code, body["warnings"][0]["row"].as_u64()), (422, Some(3)));
    // Unknown query parameters are refused by name.
    let (code, body) = csv("/v1/contacts?strict=true&dryRun=1", BAD_CONTACTS);
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("dryRun"),
        "{body}"
    );
}

#[test]
fn bad_input_gets_a_json_error_never_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("bad.sqlite"), &[]);
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    // Unknown fields are refused with their name.
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/triggers",
        &json!({"eventId": "e", "trigger": "t", "contactId": "c", "priority": 1}),
    );
    assert_eq!(code, 400);
    assert!(
        body["message"].as_str().unwrap().contains("priority"),
        "{body}"
    );
    // Ids with path characters.
    let (code, body) = put_json(
        &base,
        &token,
        "/v1/segments/a%2F..%2Fb",
        &json!({"kind": "static", "contactIds": []}),
    );
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("badRequest")),
        "{body}"
    );
    let (code, body) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/x/versions/two/counts",
        None,
    );
    assert_eq!(
        (code, body["code"].as_str()),
        (400, Some("badRequest")),
        "{body}"
    );
    // Wrong content types.
    let (code, body) = call(
        &base,
        Some(&token),
        "POST",
        "/v1/contacts",
        Some(("application/xml", "<contacts/>".into())),
    );
    assert_eq!(
        (code, body["code"].as_str()),
        (415, Some("unsupportedMediaType"))
    );
    // Unknown methods and paths.
    let (code, body) = call(&base, Some(&token), "PUT", "/v1/triggers", None);
    assert_eq!(
        (code, body["code"].as_str()),
        (405, Some("methodNotAllowed"))
    );
    let (code, body) = call(&base, Some(&token), "GET", "/v1/nothing", None);
    assert_eq!((code, body["code"].as_str()), (404, Some("notFound")));
    // The served document is the committed one.
    let (code, served) = call(&base, None, "GET", "/v1/openapi.json", None);
    assert_eq!(code, 200);
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/openapi.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed);
}
