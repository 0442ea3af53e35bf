//! One conformance suite, two executors: the runtime's behaviour written once against
//! `&dyn Executor` and a small [`Harness`] (let time pass, wait for a condition, read the
//! contact center's ledger of dials), run on the SQLite executor with its virtual clock
//! (`conformance_sqlite.rs`) and on a one-node Restate cluster on loopback with a sped-up
//! real clock (`conformance_restate.rs`).
//!
//! Each case names the clock speed it needs on Restate (its waits last a second or two of
//! real time there) and uses its own journey and contact ids, so the cases can share one
//! cluster. Assertions that something did *not* happen are made once something later proves
//! the run went past that point (a gauge, a state, a count).
//!
//! Not here: joiners (segment admission on import) and a second run of one contact on one
//! version outside a repeating journey's rounds (a Restate run is keyed by version and
//! contact; a round's run by its round too).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::{Channel, Frequency, Journey, StartCondition, Tile, parse_journey};
use journeys::lifecycle::VersionState;
use runtime::adapters::InteractionEvent;
use runtime::error::Error;
use runtime::executor::Executor;
use runtime::storage::{SegmentDefinition, TileCounts, TriggerEvent};

use crate::conformance_imports::consent_before_contacts;
use crate::conformance_lifecycle::{
    pause_and_resume, pause_limit, publish_over_a_pause, stop_is_final,
};
use crate::conformance_rounds::repeating_rounds;
use crate::conformance_tiles::{contacts_after_a_stop, contacts_at_a_tile};
use crate::restate_engine::{monday, result_for};

/// What a case needs besides the executor.
pub(crate) trait Harness {
    /// The executor under test.
    fn exec(&self) -> &dyn Executor;
    /// The executor's clock.
    fn now(&self) -> DateTime<Utc>;
    /// Let time pass until the clock reads `at` (the virtual clock runs what falls due on
    /// the way; the real one waits).
    fn advance_to(&self, at: DateTime<Utc>);
    /// Let the executor work, and time pass, until `done` holds; panics naming `what`.
    fn until(&self, what: &str, done: &mut dyn FnMut(&dyn Executor) -> bool);
    /// The calls the contact center took: (contact, idempotency key), in order.
    fn dials(&self) -> Vec<(String, String)>;
}

/// A case: its name, its clock's start, how much faster than real time its clock runs on
/// Restate, and its body.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) origin: fn() -> DateTime<Utc>,
    pub(crate) speed: u32,
    pub(crate) run: fn(&dyn Harness),
}

/// Every case, in the order they run on one cluster.
pub(crate) const CASES: &[Case] = &[
    Case {
        name: "publish and republish rules",
        origin: monday,
        speed: 1,
        run: publish_and_republish,
    },
    Case {
        name: "enrolment, consent block, interactions and time limits",
        origin: monday,
        speed: 250_000,
        run: consent_interactions_and_time_limits,
    },
    Case {
        name: "a trigger reaches the run waiting for it",
        origin: monday,
        speed: 100_000,
        run: trigger_reaches_the_waiting_run,
    },
    Case {
        name: "quiet-time hold",
        origin: five_seconds_before_calling_hours,
        speed: 1,
        run: quiet_time_hold,
    },
    Case {
        name: "pause and resume",
        origin: monday,
        speed: 3_600,
        run: pause_and_resume,
    },
    Case {
        name: "publishing over a paused version",
        origin: monday,
        speed: 3_600,
        run: publish_over_a_pause,
    },
    Case {
        name: "stop",
        origin: monday,
        speed: 3_600,
        run: stop_is_final,
    },
    Case {
        name: "consent imported before its contacts",
        origin: monday,
        speed: 1,
        run: consent_before_contacts,
    },
    Case {
        name: "repeating rounds",
        origin: monday,
        speed: 100_000,
        run: repeating_rounds,
    },
    Case {
        name: "the contacts at a tile",
        origin: monday,
        speed: 250_000,
        run: contacts_at_a_tile,
    },
    Case {
        name: "the contacts at a tile after a stop",
        origin: monday,
        speed: 3_600,
        run: contacts_after_a_stop,
    },
    Case {
        name: "the 21-day pause limit",
        origin: monday,
        speed: 150_000,
        run: pause_limit,
    },
];

/// Time enough, on a loaded machine, to seed and start the runs before calling hours.
fn five_seconds_before_calling_hours() -> DateTime<Utc> {
    monday() - Duration::seconds(5)
}

/// The sample voice journey as `id`, admitting joiners (so a new version may follow a
/// running one) over the empty segment every case defines.
pub(crate) fn voice(id: &str) -> Journey {
    let mut j = parse_journey(include_str!("../runtime/samples/voice-journey.json"))
        .expect("sample journey");
    j.id = id.to_owned();
    if let Tile::Start(start) = &mut j.tiles[0]
        && let Some(StartCondition::Segment(segment)) = &mut start.start
    {
        segment.frequency = Frequency::OnceAdmittingJoiners;
        segment.segment_ids = vec!["none".into()];
    }
    j
}

/// `id`: start, a wait of `hours`, the sample's call and what follows it: runs are in flight
/// (sleeping) before they reach the voice tile.
pub(crate) fn paced(id: &str, hours: u32) -> Journey {
    let mut j = voice(id);
    let sleep: Tile = serde_json::from_value(serde_json::json!({
        "type": "waitTime", "id": "sleep",
        "wait": {"kind": "duration", "amount": hours, "unit": "hours"}
    }))
    .expect("a wait tile");
    j.tiles.insert(1, sleep);
    for c in &mut j.connections {
        if c.from == "start" {
            c.to = "sleep".into();
        }
    }
    j.connections.push(
        serde_json::from_value(
            serde_json::json!({"from": "sleep", "output": "next", "to": "call"}),
        )
        .expect("a connection"),
    );
    j
}

/// The journey with a change to what it does (not only its name).
pub(crate) fn reworked(mut journey: Journey) -> Journey {
    journey.time_zone = "America/New_York".into();
    journey
}

/// Contacts `{prefix}0`… in Chicago with numbers of their own, opted in to the journey's
/// purpose but for those listed in `opted_out`; the empty segment the journeys start from.
pub(crate) fn seed(h: &dyn Harness, prefix: &str, n: usize, opted_out: &[usize]) {
    let area: u32 = prefix.bytes().map(u32::from).sum::<u32>() % 900 + 100;
    let contacts: Vec<Contact> = (0..n)
        .map(|i| Contact {
            id: format!("{prefix}{i}"),
            mobile_phone: Some(format!("+1312{area}{i:04}")),
            time_zone: Some("America/Chicago".into()),
            ..Contact::default()
        })
        .collect();
    let consents: Vec<ConsentRecord> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| ConsentRecord {
            contact_point: c.mobile_phone.clone().expect("a phone"),
            channel: Channel::Voice,
            scope: ConsentScope::Purpose {
                purpose_id: "pur-promotions".into(),
            },
            status: if opted_out.contains(&i) {
                ConsentStatus::OptedOut
            } else {
                ConsentStatus::OptedIn
            },
            updated_at: monday() - Duration::days(1),
            source: None,
        })
        .collect();
    let exec = h.exec();
    exec.put_segment(
        "none",
        &SegmentDefinition::Static {
            contact_ids: vec![],
        },
    )
    .expect("segment");
    assert_eq!(exec.import_contacts(&contacts).expect("contacts"), n);
    exec.import_consents(&consents).expect("consents");
}

pub(crate) fn start(h: &dyn Harness, journey: &str, contact: &str) {
    assert!(
        h.exec()
            .start_run(journey, contact, "conformance")
            .expect("start a run"),
        "{contact} did not start on {journey}"
    );
}

fn tiles(exec: &dyn Executor, journey: &str, number: i64) -> BTreeMap<String, TileCounts> {
    exec.counts(journey, number).expect("counts").tiles
}

pub(crate) fn tile(exec: &dyn Executor, journey: &str, number: i64, tile: &str) -> TileCounts {
    tiles(exec, journey, number)
        .remove(tile)
        .unwrap_or_default()
}

pub(crate) fn runs(exec: &dyn Executor, journey: &str, number: i64, status: &str) -> i64 {
    let counts = exec.counts(journey, number).expect("counts");
    counts.runs.get(status).copied().unwrap_or(0)
}

pub(crate) fn state(exec: &dyn Executor, journey: &str, number: i64) -> VersionState {
    exec.list_versions(journey)
        .expect("versions")
        .into_iter()
        .find(|v| v.number == number)
        .expect("the version")
        .state
}

/// The dials of contacts whose id starts with `prefix`.
pub(crate) fn dials_of(h: &dyn Harness, prefix: &str) -> Vec<(String, String)> {
    h.dials()
        .into_iter()
        .filter(|(contact, _)| contact.starts_with(prefix))
        .collect()
}

/// Post the result [`result_for`] gives the contact (by its last character) for each dial.
pub(crate) fn answer(h: &dyn Harness, dials: &[(String, String)]) -> usize {
    let mut answered = 0;
    for (contact, key) in dials {
        let scenario = format!("c{}", contact.chars().last().unwrap_or('x'));
        let Some(journeys::step::EventPayload::CallResult {
            result,
            disposition_codes,
            variables,
        }) = result_for(&scenario)
        else {
            continue;
        };
        let event = InteractionEvent {
            event_id: format!("result-{key}"),
            idem_key: key.clone(),
            result,
            disposition_codes,
            variables,
        };
        let first = h.exec().post_outcome(&event).expect("a call result");
        let again = h.exec().post_outcome(&event).expect("the result again");
        assert_eq!((first.duplicate, again.duplicate), (false, true));
        answered += 1;
    }
    answered
}

fn publish_and_republish(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "pub", 1, &[]);
    let v1 = exec.publish(&voice("pub")).expect("publish");
    assert_eq!((v1.created, v1.version.number), (true, 1));
    let again = exec.publish(&voice("pub")).expect("publish again");
    assert_eq!((again.created, again.version.number), (false, 1));
    let mut renamed = voice("pub");
    renamed.name = "Renewals, reworded".into();
    let renamed = exec.publish(&renamed).expect("rename");
    assert_eq!(
        (renamed.created, renamed.renamed, renamed.version.number),
        (false, true, 1)
    );
    start(h, "pub", "pub0");
    h.until("pub0 is called", &mut |e| {
        tile(e, "pub", 1, "call").sent == 1
    });
    let v2 = exec
        .publish(&reworked(voice("pub")))
        .expect("a new version");
    assert_eq!((v2.created, v2.version.number), (true, 2));
    assert_eq!(state(exec, "pub", 1), VersionState::Completing);
    assert_eq!(state(exec, "pub", 2), VersionState::Live);
    // New runs go to the live version; the one inside finishes on its own.
    assert!(
        exec.start_run("pub", "pub0", "second").expect("start"),
        "a run on v2"
    );
    assert_eq!(answer(h, &dials_of(h, "pub0")[..1]), 1);
    h.until("v1's last run ends and v1 completes", &mut |e| {
        state(e, "pub", 1) == VersionState::Completed
    });
    h.until(
        "the summaries count v1's run finished, v2's in flight",
        &mut |e| {
            let s = e.version_summaries("pub").expect("summaries");
            (s[0].in_flight, s[0].finished, s[1].in_flight, s[1].finished) == (0, 1, 1, 0)
        },
    );

    // A running one-time journey takes a new name, and no other change.
    let mut once = voice("once");
    if let Tile::Start(start) = &mut once.tiles[0]
        && let Some(StartCondition::Segment(segment)) = &mut start.start
    {
        segment.frequency = Frequency::Once;
    }
    exec.publish(&once).expect("publish one-time");
    once.name = "Renewals (Q4)".into();
    let renamed = exec.publish(&once).expect("rename");
    assert_eq!(
        (renamed.created, renamed.renamed, renamed.version.number),
        (false, true, 1)
    );
    let refused = exec.publish(&reworked(once)).expect_err("refused");
    assert!(
        matches!(&refused, Error::Conflict(m) if m.contains("one-time journey is running")),
        "{refused}"
    );
    assert_eq!(exec.list_versions("once").expect("versions").len(), 1);
}

fn consent_interactions_and_time_limits(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "ci", 5, &[3]);
    exec.publish(&voice("ci")).expect("publish");
    for i in 0..5 {
        start(h, "ci", &format!("ci{i}"));
    }
    // The same entry again starts nothing; an unknown contact starts nothing either.
    assert!(!exec.start_run("ci", "ci0", "conformance").expect("again"));
    let unknown = exec.start_run("ci", "nobody", "conformance");
    assert!(matches!(unknown, Err(Error::NotFound(_))), "{unknown:?}");
    h.until("four calls go out and one is blocked", &mut |e| {
        let call = tile(e, "ci", 1, "call");
        call.sent == 4 && call.blocked.values().sum::<i64>() == 1
    });
    let dials = dials_of(h, "ci");
    assert_eq!(dials.len(), 4, "{dials:?}");
    assert!(
        dials.iter().all(|(contact, _)| contact != "ci3"),
        "the opted-out contact was called: {dials:?}"
    );
    // Booked, no answer, (none for ci2: its time limit ends its wait), opted out.
    assert_eq!(answer(h, &dials), 3);
    let stray = exec.post_outcome(&InteractionEvent {
        event_id: "stray".into(),
        idem_key: "nobody-run:call:1".into(),
        result: "LiveAnswer".into(),
        disposition_codes: vec![],
        variables: BTreeMap::new(),
    });
    assert!(matches!(stray, Err(Error::NotFound(_))), "{stray:?}");
    h.until("every run ends (ci2 after its 7-day limit)", &mut |e| {
        runs(e, "ci", 1, "done") == 5
    });
    let counts = tiles(exec, "ci", 1);
    assert_eq!(
        counts["wait"].branches,
        BTreeMap::from([
            ("attempted".into(), 3),
            ("blocked".into(), 1),
            ("other".into(), 1),
        ])
    );
    assert_eq!(counts["done"].completed, 5);
    assert!(h.now() >= monday() + Duration::days(7));
    // ci4's answer opted its number out: on a new version its call is blocked.
    exec.publish(&reworked(voice("ci"))).expect("v2");
    start(h, "ci", "ci4");
    h.until("ci4's new run reaches its call", &mut |e| {
        tile(e, "ci", 2, "call").entered == 1
    });
    h.until("ci4's call is blocked", &mut |e| {
        tile(e, "ci", 2, "call").blocked.values().sum::<i64>() == 1
    });
    assert_eq!(tile(exec, "ci", 2, "call").sent, 0);
}

fn quiet_time_hold(h: &dyn Harness) {
    seed(h, "qt", 2, &[]);
    h.exec().publish(&voice("qt")).expect("publish");
    start(h, "qt", "qt0");
    start(h, "qt", "qt1");
    h.until("both calls are held", &mut |e| {
        let call = tile(e, "qt", 1, "call");
        call.held_total == 2 || call.sent > 0
    });
    let call = tile(h.exec(), "qt", 1, "call");
    assert_eq!((call.held_total, call.sent), (2, 0), "{call:?}");
    h.until("calling hours begin and the calls go out", &mut |e| {
        tile(e, "qt", 1, "call").sent == 2
    });
    assert!(h.now() >= monday(), "called before 08:00 in Chicago");
    assert_eq!(tile(h.exec(), "qt", 1, "call").held, 0);
}

fn trigger_reaches_the_waiting_run(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "tr", 2, &[]);
    let journey: Journey = serde_json::from_value(serde_json::json!({
        "schemaVersion": 1, "id": "upsell", "name": "Upsell", "audience": "contact",
        "timeZone": "America/Chicago",
        "tiles": [
            {"type": "start", "id": "start", "start": {"kind": "segment", "segmentIds": ["none"],
             "startAt": "2025-01-01T00:00:00Z"}},
            {"type": "waitForTrigger", "id": "w", "condition": {"kind": "trigger", "triggerName": "purchase"},
             "timeLimit": {"amount": 2, "unit": "days"},
             "branches": [{"id": "bought", "conditions": []}]},
            {"type": "exit", "id": "yes"}, {"type": "exit", "id": "no"}
        ],
        "connections": [
            {"from": "start", "output": "next", "to": "w"},
            {"from": "w", "output": "bought", "to": "yes"},
            {"from": "w", "output": "other", "to": "no"}
        ]
    }))
    .expect("the trigger journey");
    exec.publish(&journey).expect("publish");
    start(h, "upsell", "tr0");
    start(h, "upsell", "tr1");
    h.until("both runs wait for the trigger", &mut |e| {
        tile(e, "upsell", 1, "w").waiting == 2
    });
    let purchase = TriggerEvent {
        event_id: "p1".into(),
        trigger: "purchase".into(),
        contact_id: "tr0".into(),
        attributes: BTreeMap::new(),
    };
    let accepted = exec.post_trigger(&purchase).expect("trigger");
    assert_eq!(
        (accepted.duplicate, accepted.enrolled, accepted.delivered),
        (false, 0, 1)
    );
    assert!(exec.post_trigger(&purchase).expect("again").duplicate);
    h.until("both runs end (tr1 at its 2-day limit)", &mut |e| {
        runs(e, "upsell", 1, "done") == 2
    });
    let counts = tiles(exec, "upsell", 1);
    assert_eq!(counts["w"].branches.get("bought"), Some(&1));
    assert_eq!(counts["w"].branches.get("other"), Some(&1));
    assert_eq!((counts["yes"].completed, counts["no"].completed), (1, 1));
    assert!(h.now() >= monday() + Duration::days(2));
}
