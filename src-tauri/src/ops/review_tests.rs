//! Compare, restore and the publish review against real runtimes: the embedded one on temp
//! SQLite files, and one serving its HTTP API on 127.0.0.1; two designer data dirs play two
//! computers publishing the same journey.

use std::path::Path;

use chrono::{TimeZone, Utc};

use ::journeys::diff::ChangeKind;
use ::journeys::document::{
    Duration as WaitDuration, DurationUnit, Frequency, Journey, QuietTimeOption, StartCondition,
    Tile, parse_journey,
};

use super::catalog::get_catalog;
use super::compare::{CompareSide, compare, restore_version};
use super::embedded::EmbeddedRuntime;
use super::publish::import_contacts;
use super::publish_tests::{sample_catalog, serve};
use super::review::{ImpactAudience, ReviewPlan, publish_reviewed, review_publish};
use super::runtime::{RuntimeClient, RuntimeTarget, connect, set_runtime_target};
use super::*;

/// 06:00 in Chicago, 07:00 in New York: inside the TCPA profile's quiet time.
pub(super) fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// The renewal sample, admitting joiners (so live edits make new versions), its first call
/// with quiet time "Don't apply".
pub(super) fn journey() -> Journey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../journeys/samples/renewal-calls.journey.json");
    let mut journey = parse_journey(&std::fs::read_to_string(path).unwrap()).unwrap();
    for tile in &mut journey.tiles {
        match tile {
            Tile::Start(start) => {
                if let Some(StartCondition::Segment(segment)) = &mut start.start {
                    segment.frequency = Frequency::OnceAdmittingJoiners;
                }
            }
            Tile::VoiceConversation(voice) if voice.id == "call-renewal" => {
                voice.quiet_time = Some(QuietTimeOption::None);
            }
            _ => {}
        }
    }
    journey
}

pub(super) fn set_quiet_time(journey: &mut Journey, option: QuietTimeOption) {
    for tile in &mut journey.tiles {
        if let Tile::VoiceConversation(voice) = tile
            && voice.id == "call-renewal"
        {
            voice.quiet_time = Some(option.clone());
        }
    }
}

fn set_time_limit(journey: &mut Journey, days: i32) {
    for tile in &mut journey.tiles {
        if let Tile::WaitForTrigger(wait) = tile
            && wait.id == "wait-call"
        {
            wait.time_limit = Some(WaitDuration {
                amount: days,
                unit: DurationUnit::Days,
            });
        }
    }
}

/// A designer's data dir with the sample catalog cached and `journey` as its draft.
pub(super) fn computer(dir: &Path, journey: &Journey) -> Db {
    let db = Db::open(dir).unwrap();
    get_catalog(&db, &sample_catalog(), now(), None).unwrap();
    db.insert_draft(journey, "2026-11-25T12:00:00.000Z")
        .unwrap();
    db
}

pub(super) fn save(db: &Db, journey: &Journey) {
    super::journeys::save_draft(db, now(), journey).unwrap();
}

/// One runtime (embedded, or served over HTTP), two computers' designers using it.
pub(super) struct Setup {
    _dirs: Vec<tempfile::TempDir>,
    _server: Option<tokio::runtime::Runtime>,
    _embedded: Option<EmbeddedRuntime>,
    pub(super) a: (Db, RuntimeClient),
    pub(super) b: (Db, RuntimeClient),
}

pub(super) fn setup(served: bool) -> Setup {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let journey = journey();
    let (a, b) = (
        computer(dirs[1].path(), &journey),
        computer(dirs[2].path(), &journey),
    );
    let (ra, rb, server, embedded) = if served {
        let (url, token, server) = serve(dirs[0].path());
        let client = |db: &Db| {
            set_runtime_target(
                db,
                RuntimeTarget::Remote {
                    url: url.clone(),
                    token: token.clone(),
                },
            )
            .unwrap();
            connect(db, Err("not used")).unwrap()
        };
        (client(&a), client(&b), Some(server), None)
    } else {
        let rt = EmbeddedRuntime::open(dirs[0].path(), &sample_catalog()).unwrap();
        let (ca, cb) = (
            connect(&a, Ok(rt.executor())).unwrap(),
            connect(&b, Ok(rt.executor())).unwrap(),
        );
        (ca, cb, None, Some(rt))
    };
    // The sample contacts and consent make the journey's segment, so publishing enrolls them.
    let sample = |f: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../runtime/samples")
            .join(f)
            .to_string_lossy()
            .into_owned()
    };
    let (contacts, consents) = (sample("contacts.csv"), sample("consents.csv"));
    import_contacts(
        &ra,
        Some(&contacts),
        Some(&consents),
        Some("seg-renewals-due"),
    )
    .unwrap();
    Setup {
        _dirs: dirs,
        _server: server,
        _embedded: embedded,
        a: (a, ra),
        b: (b, rb),
    }
}

fn two_computers_see_each_others_publish(served: bool) {
    let s = setup(served);
    let id = journey().id;
    let ((a, ra), (b, rb)) = (&s.a, &s.b);

    // A's first publish: no review, one click.
    let first = review_publish(a, ra, &id, now()).unwrap();
    assert_eq!(first.plan, ReviewPlan::FirstPublish);
    assert!(first.impact.is_none() && first.published_elsewhere.is_none());
    let v1 = publish_reviewed(a, ra, &id, None).unwrap();
    assert_eq!(v1.summary.live.unwrap().number, 1);

    // B never published this journey: v1 is someone else's. Its draft changes a time limit.
    let mut edited = journey();
    set_time_limit(&mut edited, 3);
    save(b, &edited);
    let review = review_publish(b, rb, &id, now()).unwrap();
    assert_eq!(review.published_elsewhere, Some(1));
    assert_eq!(review.base, None);
    assert_eq!(review.plan, ReviewPlan::NewVersion);
    assert_eq!(
        review.diff.sentences(),
        ["How did the call go?: time limit 7 days → 3 days"]
    );
    let in_flight = review.current.as_ref().unwrap().in_flight;
    assert!(in_flight > 0, "the imported contacts entered v1");
    assert_eq!(
        review.in_flight.as_deref(),
        Some(
            format!(
                "{in_flight} contacts in v1 stay on v1 until they finish; new contacts enter v2."
            )
            .as_str()
        )
    );
    // Without the explicit replace nothing is sent.
    let refused = publish_reviewed(b, rb, &id, None).unwrap_err().to_string();
    assert!(
        refused.contains("Replace v1 published elsewhere"),
        "{refused}"
    );
    assert_eq!(rb.list_versions(&id).unwrap().len(), 1);
    // Replacing some other version is not replacing v1.
    assert!(publish_reviewed(b, rb, &id, Some(7)).is_err());
    let v2 = publish_reviewed(b, rb, &id, Some(1)).unwrap();
    assert_eq!(v2.summary.live.unwrap().number, 2);
    assert!(
        review_publish(b, rb, &id, now())
            .unwrap()
            .published_elsewhere
            .is_none()
    );

    // Over a paused version the review says the pause ends and its contacts go on in it.
    rb.set_version_state(&id, 2, ::runtime::storage::VersionAction::Pause)
        .unwrap();
    let mut again = edited.clone();
    set_time_limit(&mut again, 5);
    save(b, &again);
    let paused = review_publish(b, rb, &id, now()).unwrap();
    assert_eq!(paused.plan, ReviewPlan::NewVersion);
    let words = paused.in_flight.unwrap_or_default();
    assert!(
        words.starts_with("v2 is paused: publishing ends its pause, so its ")
            && words.contains("stop v2 first to end them instead; new contacts enter v3."),
        "{words}"
    );
    rb.set_version_state(&id, 2, ::runtime::storage::VersionAction::Resume)
        .unwrap();
    save(b, &edited);

    // Back on A: v2 came from elsewhere, and the review compares A's draft with it.
    let back = review_publish(a, ra, &id, now()).unwrap();
    assert_eq!((back.base, back.published_elsewhere), (Some(1), Some(2)));
    assert_eq!(
        back.diff.sentences(),
        ["How did the call go?: time limit 3 days → 7 days"]
    );
    // Restoring v2 makes it A's base: no conflict any more, and the draft is v2's content.
    let restored = restore_version(a, ra, &id, 2).unwrap();
    save(a, &restored);
    let after = review_publish(a, ra, &id, now()).unwrap();
    assert_eq!(after.published_elsewhere, None);
    assert_eq!(after.plan, ReviewPlan::Unchanged);
    assert!(after.diff.is_empty());
}

#[test]
fn two_computers_on_the_embedded_runtime_see_each_others_publish() {
    two_computers_see_each_others_publish(false);
}

#[test]
fn two_computers_on_a_served_runtime_see_each_others_publish() {
    two_computers_see_each_others_publish(true);
}

fn quiet_time_impact(served: bool) {
    let s = setup(served);
    let id = journey().id;
    let (db, rt) = &s.a;
    publish_reviewed(db, rt, &id, None).unwrap();
    let mut edited = journey();
    set_quiet_time(&mut edited, QuietTimeOption::Inherit);
    save(db, &edited);

    let review = review_publish(db, rt, &id, now()).unwrap();
    let impact = review.impact.expect("a review over v1 has an impact");
    assert_eq!(impact.audience, ImpactAudience::GeneratedSample);
    assert_eq!(impact.contacts, 1000);
    let tile = impact
        .tiles
        .iter()
        .find(|t| t.tile_id == "call-renewal")
        .unwrap();
    let (before, after) = (tile.before.clone().unwrap(), tile.after.clone().unwrap());
    assert!(tile.changed);
    assert_eq!(before.held, 0, "quiet time was not applied");
    assert!(after.held > before.held, "{before:?} → {after:?}");
    assert_eq!(after.called + after.held, before.called);
    assert_eq!(
        after.blocked, before.blocked,
        "consent is checked either way"
    );
    // The other voice tiles did not change.
    assert!(
        impact
            .tiles
            .iter()
            .filter(|t| t.tile_id != "call-renewal")
            .all(|t| !t.changed && t.before.is_some())
    );
    assert!(
        review
            .diff
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::Changed && c.tile_id.as_deref() == Some("call-renewal"))
    );
}

#[test]
fn the_review_shows_quiet_time_holding_more_calls_embedded() {
    quiet_time_impact(false);
}

#[test]
fn the_review_shows_quiet_time_holding_more_calls_served() {
    quiet_time_impact(true);
}

#[test]
fn the_impact_uses_the_last_test_run_audience_even_after_edits() {
    use ::journeys::simulate::{SimulatedAudience, SimulationSpec};
    use std::sync::atomic::AtomicBool;
    let s = setup(false);
    let id = journey().id;
    let (db, rt) = &s.a;
    publish_reviewed(db, rt, &id, None).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/samples");
    let contacts =
        super::test_runs::read_test_audience(&samples.join("contacts.csv"), None).unwrap();
    let spec = SimulationSpec {
        audience: SimulatedAudience::Explicit {
            contacts: contacts.contacts,
            consents: contacts.consents,
            source: Some(contacts.source),
        },
        start: now(),
        seed: 5,
        ..SimulationSpec::default()
    };
    super::test_runs::run_test_run(
        db,
        now(),
        &journey(),
        spec,
        &AtomicBool::new(false),
        &|_| {},
    )
    .unwrap();
    let mut edited = journey();
    set_quiet_time(&mut edited, QuietTimeOption::Inherit);
    save(db, &edited);
    let impact = review_publish(db, rt, &id, now()).unwrap().impact.unwrap();
    assert_eq!(impact.audience, ImpactAudience::LastTestRun);
    assert_eq!(impact.contacts, 20);
    assert_eq!(impact.source, "the last test run's contacts (contacts.csv)");
}

#[test]
fn a_double_click_publishes_one_version() {
    let s = setup(false);
    let id = journey().id;
    let (db, rt) = &s.a;
    publish_reviewed(db, rt, &id, None).unwrap();
    let mut edited = journey();
    set_time_limit(&mut edited, 2);
    save(db, &edited);
    let numbers: Vec<i64> = std::thread::scope(|scope| {
        let clicks: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| publish_reviewed(db, rt, &id, None).unwrap()))
            .collect();
        clicks
            .into_iter()
            .map(|c| c.join().unwrap().summary.live.unwrap().number)
            .collect()
    });
    assert_eq!(numbers, [2, 2]);
    assert_eq!(rt.list_versions(&id).unwrap().len(), 2);
}

#[test]
fn a_running_one_time_journey_shows_the_refusal_before_sending() {
    let s = setup(false);
    let (db, rt) = &s.a;
    let mut one_time = journey();
    for tile in &mut one_time.tiles {
        if let Tile::Start(start) = tile
            && let Some(StartCondition::Segment(segment)) = &mut start.start
        {
            segment.frequency = Frequency::Once;
            segment.start_at = Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        }
    }
    save(db, &one_time);
    publish_reviewed(db, rt, &one_time.id, None).unwrap();
    set_time_limit(&mut one_time, 3);
    save(db, &one_time);
    let review = review_publish(db, rt, &one_time.id, now()).unwrap();
    let ReviewPlan::Refused { reason } = review.plan else {
        panic!("expected a refusal, got {:?}", review.plan);
    };
    assert!(reason.contains("one-time journey is running"), "{reason}");
}

#[test]
fn compare_draft_version_and_file_with_clear_errors_for_bad_files() {
    let s = setup(false);
    let id = journey().id;
    let (db, rt) = &s.a;
    publish_reviewed(db, rt, &id, None).unwrap();
    let mut edited = journey();
    set_time_limit(&mut edited, 3);
    save(db, &edited);
    let draft_vs_v1 = compare(
        db,
        Some(rt),
        &id,
        &CompareSide::Version { number: 1 },
        &CompareSide::Draft,
    )
    .unwrap();
    assert_eq!(
        (
            draft_vs_v1.old.label.as_str(),
            draft_vs_v1.new.label.as_str()
        ),
        ("v1", "Draft")
    );
    assert_eq!(
        (&draft_vs_v1.old.side, &draft_vs_v1.new.side),
        (&CompareSide::Version { number: 1 }, &CompareSide::Draft)
    );
    assert!(!edited.layout.positions.is_empty());
    assert_eq!(
        draft_vs_v1.old.journey.layout, edited.layout,
        "a version is drawn where the draft has its tiles (the runtime keeps no layout)"
    );
    let change = &draft_vs_v1.diff.changes[0];
    assert_eq!(
        (change.tile_id.as_deref(), change.field.as_deref()),
        (Some("wait-call"), Some("timeLimit"))
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v1.journey.json");
    std::fs::write(&file, serde_json::to_string_pretty(&journey()).unwrap()).unwrap();
    let path = file.to_string_lossy().into_owned();
    let with_file = compare(
        db,
        None,
        &id,
        &CompareSide::File {
            path: format!(" {path}\n"),
        },
        &CompareSide::Draft,
    )
    .unwrap();
    assert_eq!(with_file.old.label, "v1.journey.json");
    assert_eq!(
        with_file.old.side,
        CompareSide::File { path },
        "the path as read, trimmed"
    );
    assert_eq!(with_file.diff.changes, draft_vs_v1.diff.changes);

    let bad = dir.path().join("broken.journey.json");
    std::fs::write(&bad, "{\n  \"schemaVersion\": 1,\n  \"id\": oops\n}\n").unwrap();
    let side = CompareSide::File {
        path: bad.to_string_lossy().into_owned(),
    };
    let message = compare(db, None, &id, &side, &CompareSide::Draft)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("broken.journey.json is not a journey Switchboard can read: "),
        "{message}"
    );
    assert!(message.contains("line 3"), "{message}");
    let newer = dir.path().join("newer.journey.json");
    let text = serde_json::to_string_pretty(&journey()).unwrap().replacen(
        "\"schemaVersion\": 1",
        "\"schemaVersion\": 7",
        1,
    );
    std::fs::write(&newer, text).unwrap();
    let side = CompareSide::File {
        path: newer.to_string_lossy().into_owned(),
    };
    let message = compare(db, None, &id, &side, &CompareSide::Draft)
        .unwrap_err()
        .to_string();
    assert!(message.contains("newer Switchboard"), "{message}");
    // A version without a runtime says so.
    let message = compare(
        db,
        None,
        &id,
        &CompareSide::Version { number: 1 },
        &CompareSide::Draft,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(message, "cannot reach the runtime to read v1");
}

#[test]
fn an_unreachable_runtime_is_named_by_the_review_and_the_publish() {
    let dir = tempfile::tempdir().unwrap();
    let db = computer(dir.path(), &journey());
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    set_runtime_target(
        &db,
        RuntimeTarget::Remote {
            url: format!("http://127.0.0.1:{port}"),
            token: "t".into(),
        },
    )
    .unwrap();
    let rt = connect(&db, Err("not used")).unwrap();
    for error in [
        review_publish(&db, &rt, &journey().id, now()).unwrap_err(),
        publish_reviewed(&db, &rt, &journey().id, None).unwrap_err(),
    ] {
        assert!(
            matches!(&error, OpsError::RuntimeUnavailable(m) if m.starts_with("cannot reach the runtime at ")),
            "{error:?}"
        );
    }
}
