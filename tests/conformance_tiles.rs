//! The contacts at a tile (`GET …/tiles/{tile}/contacts`) in the conformance suite: who is on
//! a tile now, who entered it, who left it by which branch and who ended there, a page at a
//! time in run order, the same on both executors.

use chrono::{DateTime, Duration, Utc};
use runtime::error::Error;
use runtime::executor::Executor;
use runtime::storage::{ContactAtTile, ContactsAt, TileContactsQuery, VersionAction};

use crate::conformance::{Harness, answer, dials_of, paced, runs, seed, start, tile, voice};
use crate::restate_engine::monday;

/// One page of the contacts `at` a tile.
fn page(
    exec: &dyn Executor,
    journey: &str,
    tile: &str,
    at: ContactsAt,
    after: i64,
    limit: usize,
) -> (Vec<ContactAtTile>, Option<i64>) {
    let query = TileContactsQuery {
        tile: tile.into(),
        at,
        after,
        limit,
    };
    let page = exec
        .tile_contacts(journey, 1, &query)
        .expect("the contacts at a tile");
    (page.contacts, page.next_after)
}

/// All the contacts `at` a tile, on one page.
fn at(exec: &dyn Executor, journey: &str, tile: &str, at: ContactsAt) -> Vec<ContactAtTile> {
    page(exec, journey, tile, at, 0, 1000).0
}

/// A contact at a tile as the cases compare it: contact, run status, phase, branch, branch name.
type Who<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

/// Each one's [`Who`].
fn who(contacts: &[ContactAtTile]) -> Vec<Who<'_>> {
    contacts
        .iter()
        .map(|c| {
            (
                c.contact_id.as_str(),
                c.run_status.as_str(),
                c.phase.as_str(),
                c.branch.as_deref(),
                c.branch_name.as_deref(),
            )
        })
        .collect()
}

fn branch(id: &str) -> ContactsAt {
    ContactsAt::Branch(id.into())
}

pub(crate) fn contacts_at_a_tile(h: &dyn Harness) {
    let exec = h.exec();
    let began = h.now();
    seed(h, "tc", 4, &[3]);
    exec.publish(&voice("tc")).expect("publish");
    for i in 0..4 {
        start(h, "tc", &format!("tc{i}"));
    }
    h.until("three wait for their call's result", &mut |e| {
        at(e, "tc", "wait", ContactsAt::Here).len() == 3
    });
    let waiting = at(exec, "tc", "wait", ContactsAt::Here);
    assert_eq!(
        who(&waiting),
        [
            ("tc0", "active", "waiting", None, None),
            ("tc1", "active", "waiting", None, None),
            ("tc2", "active", "waiting", None, None),
        ]
    );
    // As imported; entered at a time of this case's clock.
    let area: u32 = "tc".bytes().map(u32::from).sum::<u32>() % 900 + 100;
    assert_eq!(waiting[1].phone, Some(format!("+1312{area}0001")));
    assert_eq!(waiting[1].time_zone.as_deref(), Some("America/Chicago"));
    let within = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= began && t <= h.now());
    assert!(
        waiting
            .iter()
            .all(|c| within(c.entered_at) && c.left_at.is_none())
    );
    // The opted-out contact's call was blocked: it left the wait by `blocked` and ended.
    h.until("the blocked run ends", &mut |e| {
        at(e, "tc", "done", ContactsAt::Ended).len() == 1
    });
    let blocked = at(exec, "tc", "wait", branch("blocked"));
    assert_eq!(
        who(&blocked),
        [("tc3", "done", "done", Some("blocked"), Some("Blocked"))]
    );
    assert!(within(blocked[0].left_at) && blocked[0].left_at >= blocked[0].entered_at);
    // Pages of two in run order, the cursor from the page before.
    let (first, next) = page(exec, "tc", "call", ContactsAt::Entered, 0, 2);
    let next = next.expect("a second page");
    let (second, last) = page(exec, "tc", "call", ContactsAt::Entered, next, 2);
    assert_eq!(last, None);
    let ids: Vec<_> = first
        .iter()
        .chain(&second)
        .map(|c| c.contact_id.as_str())
        .collect();
    assert_eq!(ids, ["tc0", "tc1", "tc2", "tc3"]);
    assert!(first[1].run_id == next && second[0].run_id > next);

    // Booked (tc0), no answer (tc1), no result (tc2: its 7-day limit ends the wait).
    assert_eq!(answer(h, &dials_of(h, "tc")), 2);
    h.until("every run ends", &mut |e| runs(e, "tc", 1, "done") == 4);
    assert!(at(exec, "tc", "wait", ContactsAt::Here).is_empty());
    assert_eq!(
        who(&at(exec, "tc", "wait", branch("attempted"))),
        [
            ("tc0", "done", "done", Some("attempted"), Some("Attempted")),
            ("tc1", "done", "done", Some("attempted"), Some("Attempted")),
        ]
    );
    let other = at(exec, "tc", "wait", branch("other"));
    assert_eq!(
        who(&other),
        [("tc2", "done", "done", Some("other"), Some("Other"))]
    );
    assert!(other[0].left_at >= Some(monday() + Duration::days(7)));
    assert_eq!(
        who(&at(exec, "tc", "outcome", branch("booked"))),
        [("tc0", "done", "done", Some("booked"), Some("Booked"))]
    );
    let ended: Vec<_> = at(exec, "tc", "done", ContactsAt::Ended)
        .into_iter()
        .map(|c| c.contact_id)
        .collect();
    assert_eq!(ended, ["tc0", "tc1", "tc2", "tc3"]);
    let cooled: Vec<_> = at(exec, "tc", "cool-off", ContactsAt::Entered)
        .into_iter()
        .map(|c| (c.contact_id, c.branch))
        .collect();
    assert_eq!(cooled, [("tc1".to_owned(), None)]);

    // What there is not: a tile, a branch, branches on a tile without them.
    let ask = |tile: &str, at: ContactsAt| {
        let query = TileContactsQuery {
            tile: tile.into(),
            at,
            after: 0,
            limit: 10,
        };
        exec.tile_contacts("tc", 1, &query)
    };
    for (tile, at) in [
        ("nowhere", ContactsAt::Here),
        ("wait", branch("nope")),
        ("call", branch("next")),
    ] {
        let refused = ask(tile, at);
        assert!(
            matches!(refused, Err(Error::NotFound(_))),
            "{tile}: {refused:?}"
        );
    }
}

/// A stop: the runs it ended count as stopped where they stood, and are on no tile any more.
pub(crate) fn contacts_after_a_stop(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "ts", 2, &[]);
    exec.publish(&paced("ts", 2)).expect("publish");
    start(h, "ts", "ts0");
    start(h, "ts", "ts1");
    h.until("both runs sleep before the call", &mut |e| {
        at(e, "ts", "sleep", ContactsAt::Here).len() == 2
    });
    exec.set_version_state("ts", 1, VersionAction::Stop)
        .expect("stop");
    assert!(at(exec, "ts", "sleep", ContactsAt::Here).is_empty());
    assert_eq!(
        who(&at(exec, "ts", "sleep", ContactsAt::Entered)),
        [
            ("ts0", "stopped", "sleeping", None, None),
            ("ts1", "stopped", "sleeping", None, None),
        ]
    );
    assert_eq!(tile(exec, "ts", 1, "call").entered, 0);
}
