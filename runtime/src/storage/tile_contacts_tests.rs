//! The contacts at a tile on a real SQLite file: 20 contacts run through the sample voice
//! journey under a virtual clock; who entered, who took each branch and who ended where agree
//! with the counts, pages join up, CSV rows match, and unknown tiles and branches are named.

use std::collections::BTreeSet;

use journeys::document::parse_journey;

use crate::clock::{Clock, VirtualClock};
use crate::error::Error;
use crate::executor::{Executor, SqliteExecutor};
use crate::storage::test_fixture::{open, start};
use crate::storage::{
    CSV_HEADER, ContactAtTile, ContactsAt, SegmentDefinition, TileContactsQuery, write_csv,
};

fn drain(exec: &SqliteExecutor, clock: &VirtualClock) {
    loop {
        while exec.tick().unwrap() > 0 {}
        match exec.next_due().unwrap() {
            Some(at) => clock.advance_to(at),
            None => break,
        }
    }
}

/// Every contact of `at` on `tile`, read in pages of `limit`.
fn all(exec: &SqliteExecutor, tile: &str, at: ContactsAt, limit: usize) -> Vec<ContactAtTile> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let query = TileContactsQuery {
            tile: tile.into(),
            at: at.clone(),
            after,
            limit,
        };
        let page = exec.tile_contacts("renewals", 1, &query).unwrap();
        assert!(page.contacts.len() <= limit);
        out.extend(page.contacts);
        match page.next_after {
            Some(next) => after = next,
            None => return out,
        }
    }
}

#[test]
fn contacts_at_a_tile_agree_with_its_counts_page_by_page() {
    let dir = tempfile::tempdir().unwrap();
    let (clock, exec) = open(dir.path());
    let journey = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    exec.publish(&journey).unwrap();
    // Before anything ran, everyone waits on the start tile… after the first round, they
    // wait for their call's outcome.
    while exec.tick().unwrap() > 0 {}
    let counts = exec.counts("renewals", 1).unwrap();
    let waiting_at_wait = counts.tiles["wait"].waiting + counts.tiles["wait"].held;
    let here = all(&exec, "wait", ContactsAt::Here, 3);
    assert_eq!(i64::try_from(here.len()).unwrap(), waiting_at_wait);
    assert!(here.iter().all(|c| c.run_status == "active"));
    assert!(here.iter().all(|c| c.entered_at.is_some()), "{here:#?}");
    // Those still on the tile entered it too (their visit is not closed yet), beside those
    // that left it already, each once.
    let entered_wait = all(&exec, "wait", ContactsAt::Entered, 4);
    let (still, left): (Vec<_>, Vec<_>) = entered_wait
        .into_iter()
        .partition(|c| c.run_status == "active");
    assert_eq!(still, here);
    assert!(!left.is_empty());
    assert!(
        left.iter()
            .all(|c| c.left_at.is_some() && c.entered_at.is_some())
    );
    let mut ids: Vec<i64> = left.iter().chain(&still).map(|c| c.run_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), left.len() + still.len(), "no run twice");

    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    let entered = all(&exec, "call", ContactsAt::Entered, 6);
    assert_eq!(entered.len(), 20, "every contact entered the call");
    let ids: BTreeSet<&str> = entered.iter().map(|c| c.contact_id.as_str()).collect();
    assert_eq!(ids.len(), 20, "pages neither repeat nor skip");
    assert!(
        entered.iter().all(|c| c.entered_at == Some(start())),
        "{entered:#?}"
    );
    // The sample's c20 has no phone.
    let phones = entered.iter().filter(|c| c.phone.is_some()).count();
    assert_eq!(phones, 19);

    let wait = &counts.tiles["wait"];
    assert!(!wait.branches.is_empty());
    for (branch, n) in &wait.branches {
        let took = all(&exec, "wait", ContactsAt::Branch(branch.clone()), 1000);
        assert_eq!(i64::try_from(took.len()).unwrap(), *n, "branch {branch}");
        assert!(took.iter().all(|c| c.branch.as_deref() == Some(branch)));
        assert!(took.iter().all(|c| c.left_at.is_some()));
    }
    let ended = all(&exec, "done", ContactsAt::Ended, 1000);
    assert_eq!(
        i64::try_from(ended.len()).unwrap(),
        counts.tiles["done"].completed
    );
    assert!(ended.iter().all(|c| c.run_status == "done"));
    assert!(all(&exec, "wait", ContactsAt::Here, 1000).is_empty());

    let call = &counts.tiles["call"];
    let results: i64 = call
        .attempted
        .values()
        .chain(call.not_attempted.values())
        .sum();
    assert!(!call.dispositions.is_empty(), "{call:?}");
    assert!(call.dispositions.values().all(|n| *n <= results));

    let mut csv = Vec::new();
    write_csv(&mut csv, &ended, true).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), CSV_HEADER.join(","));
    assert_eq!(lines.count(), ended.len());
}

#[test]
fn unknown_versions_tiles_and_branches_are_named_and_bad_pages_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, exec) = open(dir.path());
    let journey = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    exec.publish(&journey).unwrap();
    let ask = |number: i64, tile: &str, at: ContactsAt, limit: usize| {
        exec.tile_contacts(
            "renewals",
            number,
            &TileContactsQuery {
                tile: tile.into(),
                at,
                after: 0,
                limit,
            },
        )
    };
    match ask(2, "wait", ContactsAt::Here, 10) {
        Err(Error::NotFound(m)) => assert!(m.contains("no version 2"), "{m}"),
        other => panic!("{other:?}"),
    }
    match ask(1, "nowhere", ContactsAt::Here, 10) {
        Err(Error::NotFound(m)) => assert!(m.contains("no tile \"nowhere\""), "{m}"),
        other => panic!("{other:?}"),
    }
    match ask(1, "wait", ContactsAt::Branch("Booked".into()), 10) {
        Err(Error::NotFound(m)) => {
            assert!(m.contains("no branch \"Booked\""), "{m}");
            assert!(m.contains("attempted, notAttempted, blocked, other"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    match ask(1, "call", ContactsAt::Branch("next".into()), 10) {
        Err(Error::NotFound(m)) => assert!(m.contains("has no branches"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        ask(1, "wait", ContactsAt::Here, 0),
        Err(Error::BadInput(_))
    ));
    assert!(matches!(
        ContactsAt::parse("branch", None),
        Err(Error::BadInput(_))
    ));
    assert!(matches!(
        ContactsAt::parse("everywhere", None),
        Err(Error::BadInput(_))
    ));
}

#[test]
fn csv_fields_a_spreadsheet_would_run_are_quoted_but_phone_numbers_are_not() {
    let contact = ContactAtTile {
        run_id: 1,
        contact_id: "=HYPERLINK(\"x\")".into(),
        phone: Some("+1 312 555 0101".into()),
        time_zone: Some("@zone".into()),
        run_status: "done".into(),
        phase: "done".into(),
        entered_at: Some(start()),
        branch: Some("booked".into()),
        branch_name: Some("Booked, today".into()),
        left_at: None,
    };
    let mut csv = Vec::new();
    write_csv(&mut csv, &[contact], false).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "\"'=HYPERLINK(\"\"x\"\")\",+1 312 555 0101,'@zone,done,done,2026-11-23T14:00:00Z,booked,\"Booked, today\",\n"
    );
}

#[test]
fn every_tile_lists_as_many_entered_as_it_counts_with_hundreds_of_runs_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (clock, exec) = open(dir.path());
    // 300 more contacts than the sample's: the visits of one batch take several statements.
    let more: Vec<journeys::contact::Contact> = (0..300)
        .map(|i| journeys::contact::Contact {
            id: format!("m{i:03}"),
            mobile_phone: Some(format!("+1312{i:07}")),
            time_zone: Some("America/Chicago".into()),
            country: Some("US".into()),
            ..Default::default()
        })
        .collect();
    exec.import_contacts(&more).unwrap();
    let ids: Vec<String> = more.into_iter().map(|c| c.id).collect();
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static { contact_ids: ids },
    )
    .unwrap();
    let journey = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    exec.publish(&journey).unwrap();
    drain(&exec, &clock);
    let counts = exec.counts("renewals", 1).unwrap();
    assert_eq!(counts.tiles["start"].entered, 300);
    for (tile, count) in &counts.tiles {
        let entered = all(&exec, tile, ContactsAt::Entered, 128);
        assert_eq!(
            i64::try_from(entered.len()).unwrap(),
            count.entered,
            "{tile}"
        );
        assert!(entered.iter().all(|c| c.entered_at.is_some()), "{tile}");
        assert!(
            entered.windows(2).all(|w| w[0].run_id < w[1].run_id),
            "{tile}"
        );
    }
}
