//! `journeys simulate`: a test run from the command line, its JSON and text reports, and
//! exit status 2 with a clear message on bad input.

use super::cli_support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample(name: &str) -> PathBuf {
    samples().join(name)
}

fn simulate(journey: &Path, contacts: &str, extra: &[&str]) -> Output {
    Command::new(journeys_binary())
        .arg("simulate")
        .arg(journey)
        .arg("--catalog")
        .arg(sample("catalog.json"))
        .args(["--contacts", contacts, "--seed", "7"])
        .args(extra)
        .output()
        .expect("the journeys binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const START: [&str; 2] = ["--start", "2026-03-10T09:00:00Z"];

#[test]
fn json_result_is_deterministic_and_counts_every_contact() {
    let renewal = sample("renewal-calls.journey.json");
    let args = [START[0], START[1], "--format", "json"];
    let first = simulate(&renewal, "400", &args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let again = simulate(&renewal, "400", &args);
    assert_eq!(stdout(&first), stdout(&again));
    let json: serde_json::Value = serde_json::from_str(&stdout(&first)).expect("JSON");
    assert_eq!(json["contacts"], 400);
    assert_eq!(json["tiles"]["start"]["entered"], 400);
    let call = &json["tiles"]["call-renewal"];
    let blocked: u64 = call["blocked"]
        .as_object()
        .expect("blocked by code")
        .values()
        .filter_map(serde_json::Value::as_u64)
        .sum();
    assert_eq!(call["sent"].as_u64().expect("sent") + blocked, 400);
    // 04:00 in Chicago: every call that may be made is held until morning first.
    assert_eq!(call["held"], call["sent"]);
    let hours = json["callsByLocalHour"].as_array().expect("hours");
    assert_eq!(hours.len(), 24);
    for quiet in [0, 1, 2, 3, 4, 5, 6, 7, 21, 22, 23] {
        assert_eq!(hours[quiet], 0, "calls at {quiet}:00");
    }
    assert!(!json["forecast"].as_array().expect("forecast").is_empty());
    assert!(json["edges"].as_array().expect("edges").len() > 5);
}

#[test]
fn text_summary_explains_blocks_and_traces_a_contact() {
    let out = simulate(
        &sample("renewal-calls.journey.json"),
        "300",
        &[START[0], START[1], "--trace", "c000001"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Test run of \"Policy renewal calls\": 300 contacts, seed 7"));
    assert!(text.contains("CONSENT_PURPOSE_NOT_OPTED_IN"), "{text}");
    assert!(text.contains("Calls per local hour"));
    assert!(text.contains("Forecast"));
    assert!(text.contains("Contact c000001 ("), "{text}");
    assert!(text.contains("entered Renewal call"), "{text}");
}

#[test]
fn explicit_contacts_file_with_consents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("contacts.json");
    std::fs::write(
        &file,
        r#"{"contacts": [{"id": "ann", "mobilePhone": "+13125550100", "timeZone": "America/Chicago"}],
            "consents": []}"#,
    )
    .expect("write");
    let out = simulate(
        &sample("renewal-calls.journey.json"),
        file.to_str().expect("utf-8 path"),
        &["--trace", "+1 312 555 0100"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("blocked (CONSENT_PURPOSE_NOT_OPTED_IN) on +13125550100"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let renewal = sample("renewal-calls.journey.json");
    let zero = simulate(&renewal, "0", &[]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(stderr(&zero).contains("--contacts 0"), "{}", stderr(&zero));

    let start = simulate(&renewal, "10", &["--start", "tomorrow"]);
    assert_eq!(start.status.code(), Some(2));
    assert!(stderr(&start).contains("RFC 3339"), "{}", stderr(&start));

    let missing = simulate(&renewal, "no-such-contacts.json", &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the contacts"));

    let broken = simulate(&sample("invalid-voice-compliance.journey.json"), "10", &[]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("fix them before a test run"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn the_runtimes_csv_files_are_an_audience_with_times_in_each_contacts_zone() {
    let runtime_samples = workspace_root().join("runtime/samples");
    let contacts = runtime_samples.join("contacts.csv");
    let out = simulate(
        &sample("renewal-calls.journey.json"),
        contacts.to_str().expect("utf-8 path"),
        &[
            "--consents",
            runtime_samples
                .join("consents.csv")
                .to_str()
                .expect("utf-8 path"),
            "--start",
            "2026-11-24T15:00:00Z",
            "--trace",
            "c04",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(": 20 contacts, seed 7"), "{text}");
    // 07:00 in Los Angeles: held until 08:00 there, read as Pacific time, not the journey's.
    assert!(text.contains("until Tue 24 Nov 08:00 PST"), "{text}");
    assert!(
        text.contains("Contact c04 (+13125551003), times in America/Los_Angeles"),
        "{text}"
    );
    assert!(text.contains("Tue 24 Nov 07:00 PST  entered"), "{text}");
}

#[test]
fn a_bad_contacts_csv_names_the_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("people.csv");
    std::fs::write(&file, "id,mobilePhone\nc1,+13125550100\n,+13125550101\n").expect("write");
    let out = simulate(
        &sample("renewal-calls.journey.json"),
        file.to_str().expect("utf-8 path"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "people.csv: cannot read the contacts: line 3, column id: empty; every contact needs an id"
        ),
        "{}",
        stderr(&out)
    );
    let generated = simulate(
        &sample("renewal-calls.journey.json"),
        "10",
        &["--consents", file.to_str().expect("utf-8 path")],
    );
    assert_eq!(generated.status.code(), Some(2));
    assert!(
        stderr(&generated).contains("--consents goes with a contacts file"),
        "{}",
        stderr(&generated)
    );
}
