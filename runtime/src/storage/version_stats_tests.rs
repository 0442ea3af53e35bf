//! Version summaries on a real SQLite file: the repro (20 contacts, v1 starting in the
//! future, v2 starting now) with the computer each version came from, its state and its
//! contacts in flight, finished and stopped.

use chrono::{DateTime, Duration, Utc};
use journeys::document::{Journey, StartCondition, parse_journey};

use crate::clock::Clock;
use crate::error::Error;
use crate::executor::{Executor, SqliteExecutor};
use crate::storage::test_fixture::{open, start};
use crate::storage::{VersionAction, VersionSummary};

/// The sample journey starting at `at`.
fn starting(at: DateTime<Utc>) -> Journey {
    let mut journey = parse_journey(include_str!("../../samples/voice-journey.json")).unwrap();
    for tile in &mut journey.tiles {
        if let journeys::document::Tile::Start(s) = tile
            && let Some(StartCondition::Segment(segment)) = &mut s.start
        {
            segment.start_at = Some(at);
        }
    }
    journey
}

fn summary(exec: &SqliteExecutor, id: &str, number: i64) -> VersionSummary {
    exec.version_summaries(id)
        .unwrap()
        .into_iter()
        .find(|v| v.number == number)
        .unwrap()
}

#[test]
fn scheduled_then_completing_with_its_contacts_then_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (_clock, exec) = open(dir.path());
    let later = start() + Duration::days(15);
    let v1 = starting(later);
    let published = exec.publish_from(&v1, Some("  laptop-a  ")).unwrap();
    assert_eq!(published.enrolled, 20);
    assert_eq!(
        published.version.content_hash,
        crate::storage::content_hash(&v1).unwrap(),
        "the app's hash of a draft is the hash publishing stores"
    );

    let first = summary(&exec, &v1.id, 1);
    assert_eq!(first.state, "scheduled");
    assert_eq!(first.published_from.as_deref(), Some("laptop-a"));
    assert_eq!(first.starts_at, Some(later));
    assert_eq!(first.time_zone.as_deref(), Some("America/Chicago"));
    assert_eq!((first.in_flight, first.finished, first.stopped), (20, 0, 0));

    let v2 = starting(start());
    assert!(exec.publish_from(&v2, Some("desk-b")).unwrap().created);
    let all = exec.version_summaries(&v1.id).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].state, "completing");
    assert_eq!(all[0].in_flight, 20, "the contacts stay on v1");
    assert_eq!(
        all[0].starts_at, None,
        "only the current version says when it starts"
    );
    assert_eq!(all[1].state, "live", "v2 started: not scheduled");
    assert_eq!(all[1].published_from.as_deref(), Some("desk-b"));
    assert_eq!(all[1].in_flight, 0);

    exec.set_version_state(&v1.id, 1, VersionAction::Stop)
        .unwrap();
    let first = summary(&exec, &v1.id, 1);
    assert_eq!(first.state, "stopped");
    assert_eq!((first.in_flight, first.stopped), (0, 20));
}

#[test]
fn finished_contacts_are_counted_and_a_retry_keeps_the_first_computer() {
    let dir = tempfile::tempdir().unwrap();
    let (clock, exec) = open(dir.path());
    let journey = starting(start());
    exec.publish_from(&journey, Some("laptop-a")).unwrap();
    let retry = exec.publish_from(&journey, Some("desk-b")).unwrap();
    assert!(!retry.created);
    loop {
        while exec.tick().unwrap() > 0 {}
        match exec.next_due().unwrap() {
            Some(at) => clock.advance_to(at),
            None => break,
        }
    }
    let only = summary(&exec, &journey.id, 1);
    assert_eq!(only.published_from.as_deref(), Some("laptop-a"));
    assert_eq!(only.in_flight, 0, "every run ended: {only:?}");
    assert_eq!(only.finished, 20);
}

#[test]
fn a_bad_computer_name_publishes_nothing_and_no_name_shows_none() {
    let dir = tempfile::tempdir().unwrap();
    let (_clock, exec) = open(dir.path());
    let journey = starting(start());
    let error = exec
        .publish_from(&journey, Some(&"x".repeat(256)))
        .unwrap_err();
    assert!(matches!(error, Error::BadInput(_)), "{error:?}");
    assert!(error.to_string().contains("at most 255"), "{error}");
    assert!(exec.version_summaries(&journey.id).unwrap().is_empty());
    assert!(matches!(
        exec.publish_from(&journey, Some("tab\there")),
        Err(Error::BadInput(_))
    ));
    exec.publish_from(&journey, None).unwrap();
    assert_eq!(summary(&exec, &journey.id, 1).published_from, None);
    assert!(
        exec.version_summaries("never-published")
            .unwrap()
            .is_empty()
    );
}
