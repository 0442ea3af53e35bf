//! The contacts at a tile over the real server: JSON pages that join up, the same contacts
//! as CSV (`Accept: text/csv` and `format=csv`), and plain 400 / 404 answers for bad asks.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::runtime_support::{Server, agent, call, population, post_json, voice_journey};

/// A virtual clock on a Monday 08:00 in Chicago: calls go out at once, and the clock jumps
/// to the next timer when idle, so the whole run finishes in seconds.
const VIRTUAL: &[&str] = &[
    "--clock",
    "virtual",
    "--virtual-start",
    "2026-11-23T14:00:00Z",
];

const CONTACTS: usize = 50;

/// GET with an Accept header; status, content type, `x-next-after` and body text.
pub(crate) fn get_text(
    base: &str,
    token: &str,
    path: &str,
    accept: &str,
) -> (u16, String, Option<String>, String) {
    let response = agent()
        .get(format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", accept)
        .call()
        .expect("the server answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (kind, next) = (header("content-type"), header("x-next-after"));
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    (status, kind.unwrap_or_default(), next, text)
}

/// Every contact of a query, read in JSON pages of 7.
fn all_json(base: &str, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let path = format!("/v1/journeys/renewals/versions/1/tiles/{query}&limit=7&after={after}");
        let (code, page) = call(base, Some(token), "GET", &path, None);
        assert_eq!(code, 200, "{path}: {page}");
        let contacts = page["contacts"].as_array().unwrap();
        assert!(contacts.len() <= 7);
        out.extend(contacts.iter().cloned());
        match page["nextAfter"].as_i64() {
            Some(next) => after = next,
            None => return out,
        }
    }
}

#[test]
fn contacts_at_a_tile_come_as_json_pages_and_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("api.sqlite"), VIRTUAL);
    let (base, token) = (server.base.clone(), server.token.clone().unwrap());
    let (contacts, consents) = population(CONTACTS);
    assert_eq!(post_json(&base, &token, "/v1/contacts", &contacts).0, 200);
    assert_eq!(post_json(&base, &token, "/v1/consents", &consents).0, 200);
    let ids: Vec<String> = (0..CONTACTS).map(|i| format!("c{i}")).collect();
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
    let (code, body) = post_json(
        &base,
        &token,
        "/v1/journeys/renewals/versions",
        &voice_journey(),
    );
    assert_eq!(code, 201, "{body}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, status) = call(&base, Some(&token), "GET", "/v1/status", None);
        if status["runs"]["done"] == json!(CONTACTS) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the run did not finish: {status}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, counts) = call(
        &base,
        Some(&token),
        "GET",
        "/v1/journeys/renewals/versions/1/counts",
        None,
    );

    let entered = all_json(&base, &token, "call/contacts?at=entered");
    assert_eq!(entered.len(), CONTACTS);
    let unique: BTreeSet<&str> = entered
        .iter()
        .map(|c| c["contactId"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), CONTACTS, "pages neither repeat nor skip");
    let wait = &counts["tiles"]["wait"]["branches"];
    let mut left = 0;
    for (branch, n) in wait.as_object().unwrap() {
        let took = all_json(
            &base,
            &token,
            &format!("wait/contacts?at=branch&branch={branch}"),
        );
        assert_eq!(json!(took.len()), *n, "branch {branch}");
        left += took.len();
    }
    assert_eq!(left, CONTACTS, "everyone left the wait by some branch");
    let ended = all_json(&base, &token, "done/contacts?at=ended");
    assert_eq!(json!(ended.len()), counts["tiles"]["done"]["completed"]);

    // The same contacts as CSV, asked both ways.
    let path = "/v1/journeys/renewals/versions/1/tiles/done/contacts?at=ended";
    let (code, kind, next, csv) = get_text(&base, &token, path, "text/csv");
    assert_eq!(
        (code, kind.as_str(), next),
        (200, "text/csv; charset=utf-8", None)
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("contactId,phone,timeZone,runStatus,phase,enteredAt,branch,branchName,leftAt")
    );
    let rows: BTreeSet<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    let json_ids: BTreeSet<&str> = ended
        .iter()
        .map(|c| c["contactId"].as_str().unwrap())
        .collect();
    assert_eq!(rows, json_ids);
    let (_, _, _, same) = get_text(&base, &token, &format!("{path}&format=csv"), "*/*");
    assert_eq!(same, csv);
    let (code, _, next, page) = get_text(
        &base,
        &token,
        "/v1/journeys/renewals/versions/1/tiles/call/contacts?at=entered&limit=5&format=csv",
        "application/json",
    );
    assert_eq!((code, page.lines().count()), (200, 6));
    assert!(next.is_some(), "a CSV page names the next one");

    // Bad asks: plain reasons.
    for (path, want, words) in [
        (
            "/v1/journeys/renewals/versions/9/tiles/call/contacts",
            404,
            "no version 9",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/nowhere/contacts",
            404,
            "no tile",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?at=branch&branch=Booked",
            404,
            "no branch",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?at=branch",
            422,
            "branch=",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?at=here&branch=x",
            422,
            "only goes with at=branch",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?at=later",
            400,
            "at must be",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?limit=0",
            400,
            "limit",
        ),
        (
            "/v1/journeys/renewals/versions/1/tiles/wait/contacts?format=xml",
            400,
            "format",
        ),
    ] {
        let (code, body) = call(&base, Some(&token), "GET", path, None);
        assert_eq!(code, want, "{path}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{path}: {body}");
    }
}
