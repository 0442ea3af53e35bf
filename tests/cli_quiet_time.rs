//! `journeys quiet-time next` as a black box: the built binary, the sample catalog and a
//! catalog written to a temp dir.

use super::cli_support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample_catalog() -> PathBuf {
    workspace_root().join("journeys/samples/catalog.json")
}

fn run(catalog: &Path, args: &[&str]) -> Output {
    Command::new(journeys_binary())
        .args(["quiet-time", "next", "--catalog"])
        .arg(catalog)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}, stderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn a_call_at_night_is_held_until_eight_in_the_contacts_zone() {
    let args = [
        "--setting",
        "qt-us-tcpa",
        "--zone",
        "America/Chicago",
        "--at",
        "2025-11-25T04:00:00Z",
    ];
    assert_eq!(
        stdout(&run(&sample_catalog(), &args)),
        "2025-11-25T14:00:00Z\n"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        &sample_catalog(),
        &[&args[..], &["--format", "json"]].concat(),
    )))
    .expect("JSON output");
    assert_eq!(json["next"], "2025-11-25T14:00:00Z");
    assert_eq!(
        json["explanation"],
        "held until Tue 25 Nov 08:00 America/Chicago: quiet time Mon–Fri 21:00–08:00 \
         (commercial voice)"
    );
}

#[test]
fn an_allowed_instant_is_printed_back_as_is() {
    let output = run(
        &sample_catalog(),
        &[
            "--setting",
            "qt-us-tcpa",
            "--zone",
            "America/Chicago",
            "--at",
            "2025-11-25T16:00:00.250Z",
        ],
    );
    assert_eq!(stdout(&output), "2025-11-25T16:00:00.250Z\n");
}

#[test]
fn advanced_rules_match_state_and_phone_prefix() {
    // Texas: commercial calls from 09:00.
    let texas = run(
        &sample_catalog(),
        &[
            "--setting",
            "qt-us-tcpa",
            "--zone",
            "America/Chicago",
            "--at",
            "2025-11-25T04:00:00Z",
            "--state",
            "tx",
        ],
    );
    assert_eq!(stdout(&texas), "2025-11-25T15:00:00Z\n");
    // New York City numbers: quiet from 20:00. Monday 20:30 EST is held to Tuesday 09:00.
    let nyc = run(
        &sample_catalog(),
        &[
            "--setting",
            "qt-us-tcpa",
            "--zone",
            "America/New_York",
            "--at",
            "2025-11-25T01:30:00Z",
            "--phone",
            "+1 (212) 555-0100",
        ],
    );
    assert_eq!(stdout(&nyc), "2025-11-25T14:00:00Z\n");
    // The same instant for another number is allowed (general rules: quiet from 21:00).
    let other = run(
        &sample_catalog(),
        &[
            "--setting",
            "qt-us-tcpa",
            "--zone",
            "America/New_York",
            "--at",
            "2025-11-25T01:30:00Z",
            "--phone",
            "+1 312 555 0100",
        ],
    );
    assert_eq!(stdout(&other), "2025-11-25T01:30:00Z\n");
    // Transactional rows differ from commercial ones.
    let transactional = run(
        &sample_catalog(),
        &[
            "--setting",
            "qt-us-tcpa",
            "--zone",
            "America/Chicago",
            "--at",
            "2025-11-29T18:00:00Z",
            "--purpose-type",
            "transactional",
        ],
    );
    assert_eq!(stdout(&transactional), "2025-11-29T18:00:00Z\n");
}

#[test]
fn the_reference_dst_example_and_no_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalog = dir.path().join("catalog.json");
    std::fs::write(
        &catalog,
        r#"{"quietTimeSettings": [
            {"id": "weekends", "name": "Weekends", "general": {"commercial": [
                {"channels": ["voice"], "weeklyBlocks": [{"weekdays": ["sat", "sun"], "allDay": true}]}
            ]}},
            {"id": "always", "name": "Always", "general": {"commercial": [
                {"channels": ["voice"], "weeklyBlocks": [
                    {"weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "allDay": true}
                ]}
            ]}}
        ]}"#,
    )
    .expect("catalog written");
    // §13.4: Saturday 10:00 EST, DST starts Sunday: released Monday 00:00 EDT.
    let released = run(
        &catalog,
        &[
            "--setting",
            "weekends",
            "--zone",
            "America/New_York",
            "--at",
            "2026-03-07T15:00:00Z",
        ],
    );
    assert_eq!(stdout(&released), "2026-03-09T04:00:00Z\n");
    let none = run(
        &catalog,
        &[
            "--setting",
            "always",
            "--zone",
            "UTC",
            "--at",
            "2026-03-07T15:00:00Z",
            "--within",
            "3",
        ],
    );
    assert_eq!(stdout(&none), "none within 3 days\n");
    let json = run(
        &catalog,
        &[
            "--setting",
            "always",
            "--zone",
            "Asia/Kathmandu",
            "--at",
            "2026-03-07T15:00:00Z",
            "--within",
            "3",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON output");
    assert_eq!(json["next"], serde_json::Value::Null);
    assert_eq!(
        json["explanation"],
        "Quiet time allows no call before Tue 10 Mar 20:45 (Asia/Kathmandu)."
    );
}

#[test]
fn bad_zone_setting_or_time_exit_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--setting",
                "qt-us-tcpa",
                "--zone",
                "Eastern Standard Time",
                "--at",
                "2025-11-25T04:00:00Z",
            ],
            "--zone \"Eastern Standard Time\" is not an IANA time zone name",
        ),
        (
            &[
                "--setting",
                "qt-nope",
                "--zone",
                "UTC",
                "--at",
                "2025-11-25T04:00:00Z",
            ],
            "--setting \"qt-nope\" is not in catalog",
        ),
        (
            &[
                "--setting",
                "qt-us-tcpa",
                "--zone",
                "UTC",
                "--at",
                "25/11/2025 04:00",
            ],
            "--at \"25/11/2025 04:00\" is not an RFC 3339 instant",
        ),
        (
            &[
                "--setting",
                "qt-us-tcpa",
                "--zone",
                "UTC",
                "--at",
                "2025-11-25T04:00:00Z",
                "--within",
                "91",
            ],
            "91 is not in 1..=90",
        ),
    ];
    for (args, message) in cases {
        let output = run(&sample_catalog(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
    let missing = run(
        Path::new("/nonexistent/catalog.json"),
        &[
            "--setting",
            "x",
            "--zone",
            "UTC",
            "--at",
            "2025-11-25T04:00:00Z",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read catalog"));
}
