//! The SQLite executor's own tests: what only it does (segment admission, rounds, the outbox
//! and crash recovery, the exact instant of the pause limit). Behaviour both executors share
//! is the conformance suite in `tests/conformance.rs`, run on each.

use std::path::Path;

use chrono::{DateTime, TimeZone};
use journeys::contact::{ConsentScope, ConsentStatus};
use journeys::document::{Channel, parse_journey};
use journeys::lifecycle::VersionState;

use super::*;
use crate::adapters::{DeliveryRequest, HttpContactCenter, Simulator, SimulatorConfig};
use crate::clock::VirtualClock;

fn start() -> DateTime<Utc> {
    // Monday 08:00 in Chicago: inside US calling hours.
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap()
}

fn journey(name: &str) -> Journey {
    let mut j = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    j.name = name.to_owned();
    j
}

fn open(dir: &Path, clock: Arc<VirtualClock>, adapter: Arc<dyn ContactCenter>) -> SqliteExecutor {
    let store = Store::open(&dir.join("rt.sqlite"), false).unwrap();
    let exec = SqliteExecutor::open(store, clock, adapter).unwrap();
    let catalog =
        Catalog::from_json(include_str!("../../../journeys/samples/catalog.json")).unwrap();
    exec.set_catalog(catalog).unwrap();
    exec
}

fn simulator(dir: &Path) -> Arc<dyn ContactCenter> {
    Arc::new(Simulator::open(&dir.join("sim.sqlite"), SimulatorConfig::default()).unwrap())
}

/// An executor on a fresh temp dir with the simulator and a virtual clock at [`start`].
fn simulated() -> (tempfile::TempDir, Arc<VirtualClock>, SqliteExecutor) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(VirtualClock::new(start()));
    let exec = open(dir.path(), clock.clone(), simulator(dir.path()));
    (dir, clock, exec)
}

fn seed(exec: &SqliteExecutor, n: usize) {
    let contacts: Vec<Contact> = (0..n)
        .map(|i| Contact {
            id: format!("c{i}"),
            mobile_phone: Some(format!("+1312555{i:04}")),
            time_zone: Some("America/Chicago".into()),
            ..Contact::default()
        })
        .collect();
    let consents: Vec<ConsentRecord> = contacts
        .iter()
        .map(|c| ConsentRecord {
            contact_point: c.mobile_phone.clone().unwrap(),
            channel: Channel::Voice,
            scope: ConsentScope::Purpose {
                purpose_id: "pur-promotions".into(),
            },
            status: ConsentStatus::OptedIn,
            updated_at: start(),
            source: None,
        })
        .collect();
    exec.import_contacts(&contacts).unwrap();
    exec.import_consents(&consents).unwrap();
    let ids = contacts.into_iter().map(|c| c.id).collect();
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static { contact_ids: ids },
    )
    .unwrap();
}

/// Run everything due now, without moving the clock.
fn settle(exec: &SqliteExecutor) {
    while exec.tick().unwrap() > 0 {}
}

fn drain(exec: &SqliteExecutor, clock: &VirtualClock) {
    loop {
        settle(exec);
        match exec.next_due().unwrap() {
            Some(at) => clock.advance_to(at),
            None => break,
        }
    }
}

/// The sample journey with another frequency.
fn with_frequency(mut journey: Journey, frequency: journeys::document::Frequency) -> Journey {
    if let journeys::document::Tile::Start(start) = &mut journey.tiles[0]
        && let Some(journeys::document::StartCondition::Segment(segment)) = &mut start.start
    {
        segment.frequency = frequency;
    }
    journey
}

/// The journey with a change to what it does (not only its name): another time zone.
fn reworked(mut journey: Journey) -> Journey {
    journey.time_zone = "America/New_York".into();
    journey
}

#[test]
fn contacts_inside_keep_their_version_and_new_content_makes_a_new_one() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 3);
    let joiners = |name: &str| {
        with_frequency(
            journey(name),
            journeys::document::Frequency::OnceAdmittingJoiners,
        )
    };
    let v1 = exec.publish(&joiners("Renewals")).unwrap();
    assert_eq!((v1.created, v1.enrolled, v1.version.number), (true, 3, 1));
    settle(&exec);
    let v2 = exec.publish(&reworked(joiners("Renewals"))).unwrap();
    assert_eq!(
        (v2.created, v2.version.number, v2.enrolled),
        (true, 2, 0),
        "members who entered v1 do not enter v2"
    );
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Completing
    );
    drain(&exec, &clock);
    let c1 = exec.counts("renewals", 1).unwrap();
    assert_eq!(c1.runs.get("done"), Some(&3));
    assert_eq!(c1.tiles["call"].sent, 3);
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Completed
    );
    // A new member joins the new version; a returning one does not enter again.
    let mut members: Vec<String> = (0..3).map(|i| format!("c{i}")).collect();
    members.push("late".into());
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static {
            contact_ids: members,
        },
    )
    .unwrap();
    let contact = |id: &str, phone: &str| Contact {
        id: id.into(),
        mobile_phone: Some(phone.into()),
        time_zone: Some("America/Chicago".into()),
        ..Contact::default()
    };
    exec.import_contacts(&[
        contact("late", "+13125559999"),
        contact("c0", "+13125550000"),
    ])
    .unwrap();
    drain(&exec, &clock);
    let c2 = exec.counts("renewals", 2).unwrap();
    assert_eq!(
        c2.runs.get("done"),
        Some(&1),
        "only the new member entered v2"
    );

    // The current content again is the current version (a retried publish).
    let again = exec.publish(&reworked(joiners("Renewals"))).unwrap();
    assert_eq!((again.created, again.version.number), (false, 2));
    // A new name alone renames the current version in place.
    let renamed = exec
        .publish(&reworked(joiners("Renewals, reworded")))
        .unwrap();
    assert_eq!(
        (renamed.created, renamed.renamed, renamed.version.number),
        (false, true, 2)
    );
    assert_ne!(renamed.version.content_hash, again.version.content_hash);
    // Going back to v1's content is a new version, live, with v2 completing.
    let reverted = exec.publish(&joiners("Renewals")).unwrap();
    assert_eq!(
        (reverted.created, reverted.version.number, reverted.enrolled),
        (true, 3, 0)
    );
    let versions = exec.list_versions("renewals").unwrap();
    let states: Vec<(i64, VersionState)> = versions.iter().map(|v| (v.number, v.state)).collect();
    assert_eq!(
        states,
        [
            (1, VersionState::Completed),
            (2, VersionState::Completing),
            (3, VersionState::Live)
        ]
    );
    assert_eq!(versions[0].content_hash, versions[2].content_hash);
}

#[test]
fn publishing_a_stopped_version_again_starts_a_new_one_and_stopping_stays_final() {
    let (_dir, _clock, exec) = simulated();
    seed(&exec, 2);
    exec.publish(&journey("Renewals")).unwrap();
    let stopped = exec
        .set_version_state("renewals", 1, VersionAction::Stop)
        .unwrap();
    assert_eq!(stopped.state, VersionState::Stopped);
    let error = exec
        .set_version_state("renewals", 1, VersionAction::Resume)
        .unwrap_err();
    assert!(error.to_string().contains("final"), "{error}");
    let again = exec.publish(&journey("Renewals")).unwrap();
    assert_eq!(
        (
            again.created,
            again.version.number,
            again.version.state.as_str(),
            again.enrolled
        ),
        (true, 2, "live", 0),
        "a restart does not call the contacts who entered v1 again"
    );
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Stopped,
        "the stopped version stays stopped"
    );
}

#[test]
fn a_pause_left_alone_for_21_days_stops_the_version() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 2);
    exec.publish(&journey("Renewals")).unwrap();
    exec.set_version_state("renewals", 1, VersionAction::Pause)
        .unwrap();
    settle(&exec);
    assert_eq!(
        exec.next_due().unwrap(),
        Some(start() + journeys::lifecycle::PAUSE_LIMIT),
        "the pause's end is the next thing due"
    );
    clock.advance_to(start() + journeys::lifecycle::PAUSE_LIMIT - chrono::Duration::minutes(1));
    settle(&exec);
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Paused
    );
    clock.advance_to(start() + journeys::lifecycle::PAUSE_LIMIT);
    settle(&exec);
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Stopped
    );
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.runs.get("stopped"), Some(&2));
    assert_eq!(counts.tiles["call"].sent, 0, "nobody was called");
    assert_eq!(exec.next_due().unwrap(), None);

    // A resume in time clears the clock.
    exec.publish(&journey("Renewals")).unwrap();
    exec.set_version_state("renewals", 2, VersionAction::Pause)
        .unwrap();
    exec.set_version_state("renewals", 2, VersionAction::Resume)
        .unwrap();
    clock.advance_to(start() + journeys::lifecycle::PAUSE_LIMIT * 3);
    settle(&exec);
    assert_eq!(
        exec.list_versions("renewals").unwrap()[1].state,
        VersionState::Live
    );
}

/// The sample journey repeating every `unit` from `start()`, ending after `rounds` rounds.
fn repeating(unit: journeys::document::RepeatUnit, rounds: i32) -> Journey {
    let mut journey = with_frequency(
        journey("Renewals"),
        journeys::document::Frequency::Repeat { every: 1, unit },
    );
    let length = match unit {
        journeys::document::RepeatUnit::Days => chrono::Duration::days(1),
        _ => chrono::Duration::weeks(1),
    };
    if let journeys::document::Tile::Start(start_tile) = &mut journey.tiles[0]
        && let Some(journeys::document::StartCondition::Segment(segment)) = &mut start_tile.start
    {
        segment.start_at = Some(start());
        segment.end_at = Some(start() + length * rounds - chrono::Duration::hours(1));
    }
    journey
}

#[test]
fn a_repeating_journey_admits_its_segment_every_round_until_its_end() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 2);
    assert_eq!(
        exec.publish(&repeating(journeys::document::RepeatUnit::Weeks, 3))
            .unwrap()
            .enrolled,
        2
    );
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(
        counts.runs.get("done"),
        Some(&6),
        "2 contacts × 3 weekly rounds"
    );
    assert_eq!(counts.tiles["call"].entered, 6);
    assert!(clock.now() >= start() + chrono::Duration::weeks(2));
    assert_eq!(exec.next_due().unwrap(), None, "no round after the end");
}

#[test]
fn a_member_still_inside_at_a_round_does_not_enter_again() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 2);
    // Daily rounds; a run lasts a little over a day (the call, then a day's wait).
    exec.publish(&repeating(journeys::document::RepeatUnit::Days, 3))
        .unwrap();
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(
        counts.runs.get("done"),
        Some(&4),
        "rounds 0 and 2 admitted the two contacts; at round 1 they were still inside"
    );
}

#[test]
fn a_round_due_while_paused_is_skipped() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 2);
    exec.publish(&repeating(journeys::document::RepeatUnit::Weeks, 3))
        .unwrap();
    exec.set_version_state("renewals", 1, VersionAction::Pause)
        .unwrap();
    settle(&exec);
    // Round 1 comes while paused: skipped; the paused contacts are still inside anyway.
    clock.advance_to(start() + chrono::Duration::days(8));
    settle(&exec);
    exec.set_version_state("renewals", 1, VersionAction::Resume)
        .unwrap();
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(
        counts.runs.get("done"),
        Some(&4),
        "rounds 0 and 2 admitted the two contacts; round 1 was skipped"
    );
}

#[test]
fn a_pause_limit_survives_a_restart() {
    let (dir, clock, exec) = simulated();
    seed(&exec, 1);
    exec.publish(&journey("Renewals")).unwrap();
    exec.set_version_state("renewals", 1, VersionAction::Pause)
        .unwrap();
    settle(&exec);
    drop(exec);
    let exec = open(dir.path(), clock.clone(), simulator(dir.path()));
    assert_eq!(
        exec.next_due().unwrap(),
        Some(start() + journeys::lifecycle::PAUSE_LIMIT),
        "the reopened store knows when the pause ends"
    );
    clock.advance_to(start() + journeys::lifecycle::PAUSE_LIMIT);
    settle(&exec);
    assert_eq!(
        exec.list_versions("renewals").unwrap()[0].state,
        VersionState::Stopped
    );
}

#[test]
fn a_request_caught_mid_send_without_dedup_is_resolved_as_unknown_never_resent() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(VirtualClock::new(start()));
    {
        let exec = open(dir.path(), clock.clone(), simulator(dir.path()));
        seed(&exec, 1);
        exec.publish(&journey("Renewals")).unwrap();
        exec.store()
            .run_due(&exec.catalog(), start(), BATCH)
            .unwrap();
        // The dial intent is committed, then the process "dies" before the ack.
        let claimed = exec.store().claim_outbox(start(), BATCH).unwrap();
        assert_eq!(claimed.len(), 1);
    }
    // Reopen with an adapter that does not deduplicate (nothing listens on port 9).
    let http: Arc<dyn ContactCenter> = Arc::new(HttpContactCenter::new("http://127.0.0.1:9/"));
    let exec = open(dir.path(), clock.clone(), http);
    assert_eq!(exec.status().unwrap().outbox.get("unknown"), Some(&1));
    settle(&exec);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.tiles["call"].not_attempted.get("Unknown"), Some(&1));
    assert_eq!(counts.tiles["wait"].branches.get("notAttempted"), Some(&1));
}

#[test]
fn the_simulator_dedupes_on_the_request_id_and_counts_every_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let sim = Simulator::open(&dir.path().join("sim.sqlite"), SimulatorConfig::default()).unwrap();
    let request = DeliveryRequest {
        idem_key: "1:call:1".into(),
        call: journeys::step::CallRequest {
            run_id: "1".into(),
            tile_id: "call".into(),
            contact_id: "c1".into(),
            engagement_id: "eng-renewals-voice".into(),
            to_number: "+13125550100".into(),
            time_zone: None,
            windows: Vec::new(),
        },
    };
    let a = sim.create_delivery(&request, start()).unwrap();
    let b = sim.create_delivery(&request, start()).unwrap();
    assert_eq!(a, b);
    let ledger = sim.ledger().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].received, 2);
    // Deterministic: another file with the same seed answers the same.
    let other =
        Simulator::open(&dir.path().join("sim2.sqlite"), SimulatorConfig::default()).unwrap();
    other.create_delivery(&request, start()).unwrap();
    assert_eq!(other.ledger().unwrap()[0].result, ledger[0].result);
    let far = start() + chrono::Duration::days(1);
    assert_eq!(sim.poll_results(far, 10).unwrap().len(), 1);
}

#[test]
fn an_unreadable_run_is_parked_as_failed_and_the_others_go_on() {
    let (dir, clock, exec) = simulated();
    seed(&exec, 3);
    exec.publish(&journey("Renewals")).unwrap();
    drop(exec);
    {
        let conn = rusqlite::Connection::open(dir.path().join("rt.sqlite")).unwrap();
        conn.execute("UPDATE contact_run SET state = '{broken' WHERE id = 2", [])
            .unwrap();
    }
    let exec = open(dir.path(), clock.clone(), simulator(dir.path()));
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.runs.get("done"), Some(&2));
    assert_eq!(counts.runs.get("failed"), Some(&1));
}

#[test]
fn lost_acks_and_transient_refusals_are_retried_under_the_same_key_and_do_not_call_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(VirtualClock::new(start()));
    let config = SimulatorConfig {
        transient_errors_per_mille: 500,
        ack_lost_per_mille: 500,
        do_not_call: vec!["+13125550001".into()],
        ..SimulatorConfig::default()
    };
    let sim = Arc::new(Simulator::open(&dir.path().join("sim.sqlite"), config).unwrap());
    let exec = open(dir.path(), clock.clone(), sim.clone());
    seed(&exec, 20);
    exec.publish(&journey("Renewals")).unwrap();
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.runs.get("done"), Some(&20));
    let ledger = sim.ledger().unwrap();
    assert_eq!(ledger.len(), 20, "one effective call per key");
    assert!(
        ledger.iter().any(|e| e.received == 2),
        "some acknowledgements were lost"
    );
    assert!(ledger.iter().all(|e| e.received <= 2));
    let cancelled = ledger
        .iter()
        .find(|e| e.to_number == "+13125550001")
        .unwrap();
    assert_eq!(
        (cancelled.result.as_str(), cancelled.dialled_at),
        ("Cancelled", None)
    );
    // The default mix also ends some deliveries `Cancelled`.
    let cancelled_results = ledger.iter().filter(|e| e.result == "Cancelled").count();
    assert_eq!(
        counts.tiles["call"].not_attempted.get("Cancelled").copied(),
        Some(i64::try_from(cancelled_results).unwrap())
    );
    assert_eq!(exec.status().unwrap().outbox.get("acked"), Some(&20));
}

#[test]
fn a_publish_that_fails_half_way_leaves_no_version_and_no_runs() {
    let (_dir, _clock, exec) = simulated();
    seed(&exec, 2);
    let mut journey = journey("Renewals");
    // The version row is written before the segments are resolved; the second is missing.
    if let journeys::document::Tile::Start(start) = &mut journey.tiles[0]
        && let Some(journeys::document::StartCondition::Segment(segment)) = &mut start.start
    {
        segment.segment_ids.push("no-such-segment".into());
    }
    let error = exec.publish(&journey).unwrap_err();
    assert!(error.to_string().contains("no-such-segment"), "{error}");
    assert!(exec.list_versions("renewals").unwrap().is_empty());
    assert!(exec.status().unwrap().runs.is_empty());
    assert_eq!(exec.status().unwrap().work, 0);
}

#[test]
fn a_segment_journey_admitting_joiners_enrolls_contacts_imported_later() {
    let (_dir, clock, exec) = simulated();
    seed(&exec, 2);
    let filter: SegmentDefinition = serde_json::from_value(serde_json::json!({
        "kind": "filter", "match": "all",
        "conditions": [{"variable": {"kind": "attribute", "name": "timeZone"}, "operator": "isNotEmpty"}]
    }))
    .unwrap();
    exec.put_segment("renewals-due", &filter).unwrap();
    let mut journey = journey("Renewals");
    if let journeys::document::Tile::Start(start) = &mut journey.tiles[0]
        && let Some(journeys::document::StartCondition::Segment(segment)) = &mut start.start
    {
        segment.frequency = journeys::document::Frequency::OnceAdmittingJoiners;
    }
    assert_eq!(exec.publish(&journey).unwrap().enrolled, 2);
    let joiner = Contact {
        id: "late".into(),
        mobile_phone: Some("+13125559999".into()),
        time_zone: Some("America/Chicago".into()),
        ..Contact::default()
    };
    exec.import_contacts(std::slice::from_ref(&joiner)).unwrap();
    exec.import_contacts(&[joiner]).unwrap();
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.runs.get("done"), Some(&3), "the joiner entered once");
}

/// Publishes racing catalog replacements never leave a live version using an engagement the
/// catalog no longer has: the check, store and swap of a replacement and the validate-and-store
/// of a publish exclude each other. Each round races one publish against one removal.
#[test]
fn a_catalog_replacement_never_slips_between_a_publish_check_and_its_version() {
    let (_dir, _clock, exec) = simulated();
    seed(&exec, 2);
    let full = exec.catalog();
    let mut without = (*full).clone();
    without.engagements.retain(|e| e.id != "eng-renewals-voice");
    let exec = Arc::new(exec);
    let (mut published, mut removed) = (0, 0);
    for round in 0..60 {
        exec.set_catalog((*full).clone()).unwrap();
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let publisher = {
            let (exec, barrier) = (exec.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut j = journey(&format!("Race {round}"));
                j.id = format!("race-{round}");
                barrier.wait();
                exec.publish(&j).is_ok()
            })
        };
        barrier.wait();
        removed += usize::from(exec.set_catalog(without.clone()).is_ok());
        published += usize::from(publisher.join().unwrap());
        let active = exec.store.active_versions().unwrap();
        let broken = crate::contract::catalog_conflicts(&full, &exec.catalog(), &active);
        assert!(
            broken.is_empty(),
            "round {round}: a live version uses a removed item: {broken:?}"
        );
        for v in &active {
            exec.set_version_state(&v.journey_id, v.number, VersionAction::Stop)
                .unwrap();
        }
    }
    assert!(
        published > 0 && removed > 0,
        "the race never ran both ways: {published} published, {removed} removed"
    );
    println!("{published} publishes and {removed} removals won their round");
}
