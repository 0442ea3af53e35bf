//! The validator's JSON in and out, natively (the page runs the same code as wasm: see
//! `ui/src/ipc/wasm-validator.test.ts`).

use serde_json::Value;

use super::{Validator, answer};

const CATALOG: &str = include_str!("../../journeys/samples/catalog.json");
const JOURNEY: &str = include_str!("../../journeys/samples/renewal-calls.journey.json");

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_journey_whole_then_a_patch() {
    let mut v = Validator::new();
    assert_eq!(
        json(&v.set_catalog(CATALOG, r#"{"kind":"fresh"}"#)),
        json(r#"{"status":"ok","data":null}"#)
    );
    let first = json(&v.whole(JOURNEY));
    assert_eq!(first["status"], "ok", "{first}");
    assert_eq!(first["data"]["complete"], true);
    let revision = first["data"]["revision"].as_u64().unwrap();

    // The journey's name emptied: its own problem appears, and only that tile is answered.
    let mut head = json(JOURNEY);
    head["name"] = "".into();
    head["tiles"] = Value::Array(Vec::new());
    head["connections"] = Value::Array(Vec::new());
    head["layout"] = json(r#"{"positions":{}}"#);
    let patch = serde_json::json!({
        "base": revision, "head": head, "tiles": [], "removed": [],
        "connections": null, "placed": {}, "unplaced": []
    });
    let second = json(&v.patch(&patch.to_string()));
    assert_eq!(second["status"], "ok", "{second}");
    assert_eq!(second["data"]["complete"], false);
    let tiles = second["data"]["tiles"].as_array().unwrap();
    assert_eq!(tiles.len(), 1, "{tiles:?}");
    assert_eq!(tiles[0]["tileId"], Value::Null);
    let codes: Vec<&str> = tiles[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"journey.name-missing"), "{codes:?}");

    // The same patch again is of a revision no longer kept: null, send the journey whole.
    assert_eq!(
        json(&v.patch(&patch.to_string())),
        json(r#"{"status":"ok","data":null}"#)
    );
}

#[test]
fn bad_input_answers_an_error_that_says_what_and_where() {
    let mut v = Validator::new();
    let none = json(&v.whole(JOURNEY));
    assert_eq!(none["status"], "error");
    assert_eq!(none["error"], "the validator has no catalog yet");

    let catalog = json(&v.set_catalog("{\"engagements\": 3}", r#"{"kind":"fresh"}"#));
    assert_eq!(catalog["status"], "error");
    assert!(
        catalog["error"]
            .as_str()
            .unwrap()
            .starts_with("the catalog is not valid"),
        "{catalog}"
    );
    let freshness = json(&v.set_catalog(CATALOG, r#"{"kind":"soon"}"#));
    assert!(
        freshness["error"]
            .as_str()
            .unwrap()
            .starts_with("the catalog's freshness is not valid"),
        "{freshness}"
    );

    assert_eq!(
        json(&v.set_catalog(CATALOG, r#"{"kind":"fresh"}"#))["status"],
        "ok"
    );
    let journey = json(&v.whole("{\"id\": \"j\",\n \"name\": 7}"));
    let message = journey["error"].as_str().unwrap();
    assert!(
        message.starts_with("the journey to validate is not valid"),
        "{message}"
    );
    assert!(message.contains("line 2"), "{message}");
    let patch = json(&v.patch("[]"));
    assert!(
        patch["error"]
            .as_str()
            .unwrap()
            .starts_with("the edit to validate is not valid"),
        "{patch}"
    );
}

#[test]
fn answers_are_tagged_like_the_bindings_commands() {
    assert_eq!(
        json(&answer::<u32>(Ok(3))),
        json(r#"{"status":"ok","data":3}"#)
    );
}
