//! `journeys diff OLD NEW`: exit 0 for the same journey (layout aside), 1 with the changes in
//! words or JSON, 2 for a file that cannot be read, naming it (and line and column).

use super::cli_support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn journeys_diff(old: &Path, new: &Path, format: Option<&str>) -> Output {
    let mut command = Command::new(journeys_binary());
    command.arg("diff").arg(old).arg(new);
    if let Some(format) = format {
        command.args(["--format", format]);
    }
    command.output().expect("the journeys binary runs")
}

fn renewal() -> PathBuf {
    samples().join("renewal-calls.journey.json")
}

/// The renewal sample with `edit` applied to its JSON, written to `dir/name`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(renewal()).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut value);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    path
}

fn tile<'v>(journey: &'v mut serde_json::Value, id: &str) -> &'v mut serde_json::Value {
    journey["tiles"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["id"] == id)
        .unwrap()
}

#[test]
fn the_same_journey_and_a_moved_layout_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let moved = edited(dir.path(), "moved.json", |j| {
        for position in j["layout"]["positions"]
            .as_object_mut()
            .unwrap()
            .values_mut()
        {
            position["x"] = serde_json::json!(position["x"].as_f64().unwrap() + 120.0);
        }
    });
    for (old, new) in [(renewal(), renewal()), (renewal(), moved)] {
        let output = journeys_diff(&old, &new, None);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "no changes (the layout aside)\n"
        );
        let json = journeys_diff(&old, &new, Some("json"));
        assert_eq!(json.status.code(), Some(0), "{json:?}");
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(value, serde_json::json!({ "changes": [] }));
    }
}

#[test]
fn changes_exit_one_in_words_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "new.json", |j| {
        tile(j, "wait-call")["timeLimit"]["amount"] = serde_json::json!(3);
        tile(j, "call-outcome")["branches"][0]["match"] = serde_json::json!("any");
        j["name"] = serde_json::json!("Renewal calls 2027");
    });
    let text = journeys_diff(&renewal(), &new, Some("text"));
    assert_eq!(text.status.code(), Some(1), "{text:?}");
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "Journey name: 'Policy renewal calls' → 'Renewal calls 2027'\n\
         How did the call go?: time limit 7 days → 3 days\n\
         Call outcome: branch 'Booked' now matches any of: result equals \"LiveAnswer\"; \
         Outcome equals \"Booked\" (was all of: result equals \"LiveAnswer\"; Outcome equals \"Booked\")\n"
    );

    let json = journeys_diff(&renewal(), &new, Some("json"));
    assert_eq!(json.status.code(), Some(1), "{json:?}");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let changes = value["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[1]["tileId"], "wait-call");
    assert_eq!(changes[1]["tileType"], "waitForTrigger");
    assert_eq!(changes[1]["field"], "timeLimit");
    assert_eq!(changes[1]["before"], "7 days");
    assert_eq!(changes[1]["after"], "3 days");
    assert_eq!(changes[2]["field"], "branches.0.match");
    assert_eq!(changes[0]["subject"], "journey");
}

#[test]
fn a_rewired_connection_is_reported_with_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "new.json", |j| {
        for c in j["connections"].as_array_mut().unwrap() {
            if c["from"] == "wait-call" && c["output"] == "other" {
                c["to"] = serde_json::json!("wait-fallback");
            }
        }
    });
    let json = journeys_diff(&renewal(), &new, Some("json"));
    assert_eq!(json.status.code(), Some(1), "{json:?}");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let change = &value["changes"][0];
    assert_eq!(change["subject"], "connection");
    assert_eq!(change["connectionBefore"]["to"], "exit-done");
    assert_eq!(change["connectionAfter"]["to"], "wait-fallback");
    assert_eq!(
        change["sentence"],
        "How did the call go?: Other now leads to 'Wait 1 day' (was 'Done')"
    );
}

#[test]
fn unreadable_files_exit_two_naming_the_file_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "{\n  \"schemaVersion\": 1,\n  \"id\": 3\n}\n").unwrap();
    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        "{\"schemaVersion\": 2, \"id\": \"j\", \"audience\": \"contact\", \"future\": true}",
    )
    .unwrap();
    let missing = dir.path().join("missing.json");

    let output = journeys_diff(&malformed, &renewal(), None);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: cannot read: line 3, column",
            malformed.display()
        )),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "no half report on stdout");

    let output = journeys_diff(&renewal(), &newer, Some("json"));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&newer.display().to_string()), "{stderr}");
    assert!(stderr.contains("newer Switchboard"), "{stderr}");

    // Both bad: both named.
    let output = journeys_diff(&missing, &malformed, None);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert!(
        stderr.contains(&malformed.display().to_string()),
        "{stderr}"
    );
}

#[test]
fn with_a_catalog_choices_are_named_and_a_bad_catalog_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let new = edited(dir.path(), "new.json", |j| {
        tile(j, "call-renewal")["engagementId"] = serde_json::json!("eng-winback-progressive");
    });
    let output = Command::new(journeys_binary())
        .arg("diff")
        .arg(renewal())
        .arg(&new)
        .arg("--catalog")
        .arg(samples().join("catalog.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Renewal call: conversation 'Policy renewal calls' → 'Win-back outbound (progressive)'\n"
    );

    let bad = dir.path().join("catalog.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let output = Command::new(journeys_binary())
        .arg("diff")
        .arg(renewal())
        .arg(&new)
        .arg("--catalog")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}: cannot read the catalog", bad.display())),
        "{stderr}"
    );
}
