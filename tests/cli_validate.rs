//! `journeys validate` on the sample files: exit codes 0 / 1 / 2 and the codes reported.

use super::cli_support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn validate(files: &[&Path], format: &str) -> Output {
    Command::new(journeys_binary())
        .arg("validate")
        .args(files)
        .arg("--catalog")
        .arg(samples().join("catalog.json"))
        .args(["--format", format])
        .output()
        .expect("the journeys binary runs")
}

fn sample(name: &str) -> PathBuf {
    samples().join(name)
}

/// The codes reported for one file, from the JSON output.
fn codes(file: &Path) -> (Option<i32>, Vec<String>) {
    let output = validate(&[file], "json");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("json output is JSON");
    let diagnostics = report[0]["diagnostics"]
        .as_array()
        .expect("one report with diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_owned())
        .collect();
    (output.status.code(), diagnostics)
}

#[test]
fn valid_samples_exit_zero_even_with_warnings() {
    for name in [
        "renewal-calls.journey.json",
        "appointment-reminders.journey.json",
        "payment-follow-up.journey.json",
    ] {
        let output = validate(&[&sample(name)], "text");
        assert_eq!(output.status.code(), Some(0), "{name}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains(&format!("{name}: ok")), "{stdout}");
    }
    let (_, codes) = codes(&sample("payment-follow-up.journey.json"));
    assert_eq!(codes, ["voice.without-quiet-time"]);
}

#[test]
fn invalid_samples_exit_one_with_their_codes() {
    let expected: [(&str, &[&str]); 6] = [
        (
            "invalid-voice-compliance.journey.json",
            &[
                "voice.purpose-not-in-profile",
                "voice.quiet-time-setting-unknown",
                "voice.send-to-missing",
                "voice.topic-not-in-purpose",
            ],
        ),
        (
            "invalid-graph-loop.journey.json",
            &["graph.connection-to-missing-tile", "graph.cycle"],
        ),
        (
            "invalid-wait.journey.json",
            &[
                "wait.duplicate-interaction",
                "wait.message-not-upstream",
                "wait.time-limit-missing",
            ],
        ),
        (
            "invalid-branch-conditions.journey.json",
            &[
                "condition.operator-not-valid",
                "condition.result-unknown",
                "condition.value-wrong-type",
                "condition.unknown-variable",
                "branch.no-conditions",
                "branch.voice-source-off-outcome-path",
            ],
        ),
        (
            "invalid-journey-settings.journey.json",
            &[
                "journey.voice-requires-contact-audience",
                "journey.name-missing",
                "journey.time-zone-invalid",
                "start.end-before-start",
            ],
        ),
        (
            "invalid-limits.journey.json",
            &["graph.nesting-too-deep", "wait-time.too-long"],
        ),
    ];
    for (name, errors) in expected {
        let (status, codes) = codes(&sample(name));
        assert_eq!(status, Some(1), "{name}");
        for code in errors {
            assert!(
                codes.iter().any(|c| c == code),
                "{name}: {code} missing from {codes:?}"
            );
        }
    }
}

#[test]
fn text_output_names_file_severity_code_tile_and_field() {
    let file = sample("invalid-voice-compliance.journey.json");
    let output = validate(&[&file], "text");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("voice.purpose-not-in-profile"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        line,
        format!(
            "{}: error voice.purpose-not-in-profile [tile call · purposeId] Purpose \"pur-appointments\" is not part of compliance profile \"US marketing\"; choose one of its purposes.",
            file.display()
        )
    );
    assert!(stdout.contains("4 errors, 2 warnings"), "{stdout}");
}

#[test]
fn several_files_give_one_report_each_and_the_worst_exit() {
    let valid = sample("renewal-calls.journey.json");
    let invalid = sample("invalid-wait.journey.json");
    let output = validate(&[&valid, &invalid], "json");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, [valid.to_str().unwrap(), invalid.to_str().unwrap()]);
    assert_eq!(report[0]["diagnostics"], serde_json::json!([]));
    let first = &report[1]["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["tileId"], "wait");
    assert!(first["path"].is_string() && first["message"].is_string());
}

#[test]
fn unreadable_or_malformed_files_exit_two_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.journey.json");
    std::fs::write(
        &broken,
        "{\"schemaVersion\": 1, \"id\": \"j\", \"audience\": \"contact\",\n\"tiles\": [\n  {\"type\": \"fax\", \"id\": \"t\"}\n]}",
    )
    .unwrap();
    let newer = dir.path().join("newer.journey.json");
    std::fs::write(
        &newer,
        r#"{"schemaVersion": 2, "id": "j", "audience": "contact"}"#,
    )
    .unwrap();
    let missing = dir.path().join("missing.journey.json");
    let valid = sample("renewal-calls.journey.json");

    let output = validate(&[&valid, &broken, &newer, &missing], "text");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: cannot read: line 3, column",
            broken.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("fax"), "{stderr}");
    assert!(stderr.contains("newer Switchboard"), "{stderr}");
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    // The readable file is still reported.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("renewal-calls.journey.json: ok"),
        "{stdout}"
    );

    let json = validate(&[&broken], "json");
    assert_eq!(json.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        report[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 3, column")
    );
}

#[test]
fn a_bad_catalog_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.json");
    std::fs::write(&catalog, "{\n  \"engagements\": 3\n}").unwrap();
    let output = Command::new(journeys_binary())
        .arg("validate")
        .arg(sample("renewal-calls.journey.json"))
        .arg("--catalog")
        .arg(&catalog)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read the catalog: line 2"),
        "{stderr}"
    );
}
