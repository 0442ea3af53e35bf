//! Repeating segment journeys in the conformance suite: each round admits the segment's
//! members again, a member still inside at a round waits for the next, and no round comes
//! after the journey's end — the same runs, counts and contacts at a tile on both executors.

use chrono::{DateTime, Duration, Utc};
use journeys::document::{Journey, parse_journey};
use runtime::executor::Executor;
use runtime::storage::{ContactsAt, SegmentDefinition, TileContactsQuery};

use crate::conformance::{Harness, runs, seed, tile};

/// Daily rounds from `start` until just before the third; each run waits `hours` and exits.
fn daily(id: &str, segment: &str, start: DateTime<Utc>, hours: u32) -> Journey {
    let end = start + Duration::days(3) - Duration::hours(1);
    parse_journey(
        &serde_json::json!({
            "schemaVersion": 1, "id": id, "name": id, "audience": "contact",
            "timeZone": "America/Chicago",
            "tiles": [
                {"type": "start", "id": "start", "start": {"kind": "segment",
                 "segmentIds": [segment], "startAt": start, "endAt": end,
                 "frequency": {"kind": "repeat", "every": 1, "unit": "days"}}},
                {"type": "waitTime", "id": "stay",
                 "wait": {"kind": "duration", "amount": hours, "unit": "hours"}},
                {"type": "exit", "id": "out"}
            ],
            "connections": [
                {"from": "start", "output": "next", "to": "stay"},
                {"from": "stay", "output": "next", "to": "out"}
            ]
        })
        .to_string(),
    )
    .expect("a repeating journey")
}

/// The contacts whose run ended on the exit, in run order.
fn ended(exec: &dyn Executor, journey: &str) -> Vec<String> {
    let query = TileContactsQuery {
        tile: "out".into(),
        at: ContactsAt::Ended,
        after: 0,
        limit: 100,
    };
    exec.tile_contacts(journey, 1, &query)
        .expect("the contacts at the exit")
        .contacts
        .into_iter()
        .map(|c| c.contact_id)
        .collect()
}

pub(crate) fn repeating_rounds(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "rr", 4, &[]);
    for (segment, members) in [("rr-short", ["rr0", "rr1"]), ("rr-long", ["rr2", "rr3"])] {
        let definition = SegmentDefinition::Static {
            contact_ids: members.iter().map(|m| (*m).to_owned()).collect(),
        };
        exec.put_segment(segment, &definition).expect("segment");
    }
    let start = h.now();
    // An hour inside: every round admits both members again. Thirty hours inside: at the
    // second round (24 h) they are still inside, so only the first and third admit them.
    let short = exec
        .publish(&daily("rr-short", "rr-short", start, 1))
        .expect("publish");
    let long = exec
        .publish(&daily("rr-long", "rr-long", start, 30))
        .expect("publish");
    assert_eq!((short.enrolled, long.enrolled), (2, 2));
    h.until("the first round's short runs end", &mut |e| {
        runs(e, "rr-short", 1, "done") == 2
    });
    h.until("three rounds of short runs end", &mut |e| {
        runs(e, "rr-short", 1, "done") == 6
    });
    h.until("two rounds of long runs end", &mut |e| {
        runs(e, "rr-long", 1, "done") == 4
    });
    assert!(h.now() >= start + Duration::days(2), "the third round came");
    // No round after the end: nothing more enters, whatever the time.
    h.advance_to(start + Duration::days(4));
    h.until("the runs are settled", &mut |e| {
        runs(e, "rr-long", 1, "active") == 0 && runs(e, "rr-short", 1, "active") == 0
    });
    assert_eq!(tile(exec, "rr-short", 1, "stay").entered, 6);
    assert_eq!(tile(exec, "rr-long", 1, "stay").entered, 4);
    assert_eq!(runs(exec, "rr-short", 1, "done"), 6);
    assert_eq!(runs(exec, "rr-long", 1, "done"), 4);
    // A row per round's run, in run order.
    assert_eq!(
        ended(exec, "rr-short"),
        ["rr0", "rr1", "rr0", "rr1", "rr0", "rr1"]
    );
    assert_eq!(ended(exec, "rr-long"), ["rr2", "rr3", "rr2", "rr3"]);
}
