//! Tests of the test run's ops: files read by Rust, runs kept and cancelled.

use std::sync::atomic::{AtomicBool, Ordering};

use journeys::document::parse_journey;
use journeys::simulate::{GeneratedAudience, SimulatedAudience};

use super::*;

fn setup() -> (tempfile::TempDir, Db, Journey, DateTime<Utc>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(dir.path()).expect("db");
    let now: DateTime<Utc> = "2026-03-10T15:00:00Z".parse().expect("instant");
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../journeys/samples/catalog.json"
    );
    crate::ops::catalog::get_catalog(&db, std::path::Path::new(sample), now, None)
        .expect("catalog");
    let journey = parse_journey(include_str!(
        "../../../journeys/samples/renewal-calls.journey.json"
    ))
    .expect("sample");
    db.insert_draft(&journey, &timestamp(now)).expect("draft");
    (dir, db, journey, now)
}

fn spec(count: u32) -> SimulationSpec {
    SimulationSpec {
        audience: SimulatedAudience::Generated(GeneratedAudience {
            count,
            ..GeneratedAudience::default()
        }),
        start: "2026-03-10T15:00:00Z".parse().expect("instant"),
        seed: 3,
        ..SimulationSpec::default()
    }
}

#[test]
fn a_run_is_kept_until_the_draft_changes() {
    let (_dir, db, mut journey, now) = setup();
    let cancel = AtomicBool::new(false);
    let run = run_test_run(&db, now, &journey, spec(300), &cancel, &|_| {}).expect("runs");
    assert_eq!(run.result.tiles["start"].entered, 300);
    assert_eq!(latest_test_run(&db, &journey.id).expect("reads"), Some(run));
    // Moving tiles keeps it; any other edit does not.
    journey.layout.positions.clear();
    db.save_draft(&journey, &timestamp(now)).expect("save");
    assert!(latest_test_run(&db, &journey.id).expect("reads").is_some());
    journey.connections.pop();
    db.save_draft(&journey, &timestamp(now)).expect("save");
    assert_eq!(latest_test_run(&db, &journey.id).expect("reads"), None);
    assert_eq!(db.test_run(&journey.id).expect("reads"), None);
}

/// A real file `name` holding `text` in `dir`.
fn picked(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("writes");
    path
}

#[test]
fn the_sample_files_are_an_audience_that_runs() {
    let (dir, db, journey, now) = setup();
    let contacts = picked(
        &dir,
        "contacts.csv",
        include_str!("../../../runtime/samples/contacts.csv"),
    );
    let consents = picked(
        &dir,
        "consents.csv",
        include_str!("../../../runtime/samples/consents.csv"),
    );
    let audience = read_test_audience(&contacts, Some(&consents)).expect("reads");
    assert_eq!((audience.contacts.len(), audience.consents.len()), (20, 29));
    assert_eq!(audience.source, "contacts.csv and consents.csv");
    assert_eq!((audience.without_phone, audience.without_zone), (1, 0));
    let explicit_audience = SimulatedAudience::Explicit {
        contacts: audience.contacts,
        consents: audience.consents,
        source: Some(audience.source),
    };
    let mut explicit = spec(0);
    explicit.audience = explicit_audience;
    let cancel = AtomicBool::new(false);
    let run = run_test_run(&db, now, &journey, explicit, &cancel, &|_| {}).expect("runs");
    assert_eq!(run.result.contacts, 20);
    let c04 = run
        .result
        .traces
        .iter()
        .find(|t| t.contact_id == "c04")
        .expect("c04 traced");
    assert_eq!(c04.time_zone, "America/Los_Angeles");
    // Kept with the draft, audience and all, for "Run again".
    let kept = latest_test_run(&db, &journey.id)
        .expect("reads")
        .expect("kept");
    assert!(matches!(
        kept.spec.audience,
        SimulatedAudience::Explicit { ref contacts, .. } if contacts.len() == 20
    ));
}

#[test]
fn unusable_values_are_reported_row_by_row_as_the_import_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let contacts = picked(
        &dir,
        "bad-contacts.csv",
        "id,mobilePhone,timeZone\nw1,+13125550170,America/Chicago\nw2,not-a-phone,America/Chicago\nw3,+1312555,Mars/Olympus\n",
    );
    let consents = picked(
        &dir,
        "opt-ins.csv",
        "contactPoint,channel,scope,scopeId,status,updatedAt\n\
         +13125550170,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n\
         +13125550199,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n",
    );
    let audience = read_test_audience(&contacts, Some(&consents)).expect("reads");
    // Every row is still read: the run shows what happens to them.
    assert_eq!((audience.contacts.len(), audience.consents.len()), (3, 2));
    let found: Vec<(u32, Option<&str>, &str, &str)> = audience
        .warnings
        .iter()
        .map(|w| {
            (
                w.row,
                w.contact_id.as_deref(),
                w.column.as_str(),
                w.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, Some("w2"), "mobilePhone", "not-a-phone"),
            (4, Some("w3"), "mobilePhone", "+1312555"),
            (4, Some("w3"), "timeZone", "Mars/Olympus"),
            (3, None, "contactPoint", "+13125550199"),
        ]
    );
    // The same words as the runtime's import (journeys::import) for the same file.
    let body = std::fs::read(&contacts).expect("reads");
    let imported = import::contacts_checked(&body, Format::Csv).expect("parses");
    assert_eq!(audience.warnings[..3], imported.warnings[..]);
    assert!(
        audience.warnings[3]
            .message
            .contains("belongs to no contact")
    );
}

#[test]
fn a_bad_file_is_refused_with_its_name_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let error =
        |contacts: &Path, consents: Option<&Path>| match read_test_audience(contacts, consents) {
            Err(OpsError::InvalidInput(message)) => message,
            other => panic!("expected a message, got {other:?}"),
        };
    assert_eq!(
        error(
            &picked(
                &dir,
                "people.csv",
                "id,timeZone\nc1,America/Chicago\n,Central\n"
            ),
            None
        ),
        "people.csv is not a contacts file: line 3, column id: empty; every contact needs an id"
    );
    assert_eq!(
        error(&picked(&dir, "people.csv", "id,timeZone\n"), None),
        "people.csv has no contacts: a header row, then one contact per line."
    );
    let good = picked(
        &dir,
        "people.csv",
        "id,timeZone,mobilePhone\nc1,Central,\nc2,,+13125550100\n",
    );
    assert_eq!(
        error(
            &good,
            Some(&picked(
                &dir,
                "opt-ins.csv",
                "contactPoint,channel,scope,scopeId,status,updatedAt\n+1312,voice,purpose,p,yes,2026-01-01T00:00:00Z\n"
            ))
        ),
        "opt-ins.csv is not a consent file: line 2, column status: yes is not one of optedIn, optedOut or notSet"
    );
    assert!(
        error(&picked(&dir, "people.json", "[{\"id\": 3}]"), None)
            .starts_with("people.json is not a contacts file: line 1, column ")
    );
    let gone = dir.path().join("gone.csv");
    assert!(
        error(&gone, None).starts_with("Cannot read the contacts file gone.csv: "),
        "{}",
        error(&gone, None)
    );
    let big = picked(&dir, "big.csv", "");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(MAX_FILE_BYTES as u64 + 1))
        .expect("grows");
    assert_eq!(
        error(&big, None),
        "big.csv is 64 MB; a test run reads files up to 64 MB."
    );
    let read = read_test_audience(&good, None).expect("reads");
    assert_eq!((read.without_phone, read.without_zone), (1, 1));
    assert_eq!(
        read.warnings
            .iter()
            .map(|w| (w.row, w.column.as_str(), w.value.as_str()))
            .collect::<Vec<_>>(),
        [(2, "timeZone", "Central")]
    );
}

#[test]
fn default_outcomes_come_from_the_cached_catalog() {
    let (_dir, db, journey, now) = setup();
    let model = default_outcomes(&db, &journey, now).expect("defaults");
    let mix = &model.engagements["eng-renewals-voice"];
    assert!(
        mix.disposition_codes
            .iter()
            .any(|w| w.value.as_deref() == Some("Renewed"))
    );
    assert!(mix.variables.contains_key("RenewalQuote"));
}

#[test]
fn a_cancel_stops_its_own_run_even_before_it_starts_and_never_the_next() {
    let cancels = RunCancels::default();
    cancels.cancel(7);
    assert!(
        cancels.begin(7).load(Ordering::Relaxed),
        "the early Cancel counts"
    );
    cancels.finish(7);
    let running = cancels.begin(8);
    cancels.cancel(7); // a late click for the run that ended
    assert!(!running.load(Ordering::Relaxed));
    cancels.cancel(8);
    assert!(running.load(Ordering::Relaxed));
    cancels.finish(8);
    assert!(
        !cancels.begin(9).load(Ordering::Relaxed),
        "stale switches are dropped"
    );
    assert_eq!(cancels.runs().len(), 1);
}

#[test]
fn cancel_and_invalid_drafts_are_refused() {
    let (_dir, db, mut journey, now) = setup();
    let cancel = AtomicBool::new(true);
    let refused = run_test_run(&db, now, &journey, spec(1000), &cancel, &|_| {});
    assert!(matches!(refused, Err(OpsError::Cancelled)), "{refused:?}");
    cancel.store(false, Ordering::Relaxed);
    journey.time_zone = "Mars/Olympus_Mons".into();
    let refused = run_test_run(&db, now, &journey, spec(10), &cancel, &|_| {});
    assert!(
        matches!(refused, Err(OpsError::InvalidInput(_))),
        "{refused:?}"
    );
    assert_eq!(db.test_run(&journey.id).expect("reads"), None);
}
