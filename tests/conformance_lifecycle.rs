//! The lifecycle cases of the conformance suite (`conformance.rs`): pause and resume, stop,
//! the 21-day pause limit.

use chrono::Duration;
use journeys::lifecycle::{PAUSE_LIMIT, VersionState};
use runtime::error::Error;
use runtime::storage::VersionAction;

use crate::conformance::{Harness, dials_of, paced, reworked, runs, seed, start, state, tile};

pub(crate) fn pause_and_resume(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "pr", 3, &[]);
    exec.publish(&paced("pr", 2)).expect("publish");
    start(h, "pr", "pr0");
    start(h, "pr", "pr1");
    h.until("both runs sleep before the call", &mut |e| {
        tile(e, "pr", 1, "sleep").waiting == 2
    });
    let paused = exec
        .set_version_state("pr", 1, VersionAction::Pause)
        .expect("pause");
    assert_eq!(paused.state, VersionState::Paused);
    let refused = exec.start_run("pr", "pr2", "conformance");
    assert!(matches!(refused, Err(Error::NotFound(_))), "{refused:?}");
    h.until("the runs stop before the voice tile", &mut |e| {
        tile(e, "pr", 1, "call").waiting == 2
    });
    assert_eq!(tile(exec, "pr", 1, "call").sent, 0);
    assert!(dials_of(h, "pr").is_empty());
    let resumed = exec
        .set_version_state("pr", 1, VersionAction::Resume)
        .expect("resume");
    assert_eq!(resumed.state, VersionState::Live);
    h.until("the resume sends the calls", &mut |e| {
        tile(e, "pr", 1, "call").sent == 2
    });
    assert_eq!(dials_of(h, "pr").len(), 2);
    assert_eq!(runs(exec, "pr", 1, "active"), 2);
    // Both wait for their call's result, each with its time limit pending.
    let status = exec.status().expect("status");
    assert_eq!((status.runs.get("active"), status.work), (Some(&2), 2));
}

/// A paused version a new one supersedes completes: the contacts its pause held go on in it
/// (the publish review says so; stopping it first is how to end them instead).
pub(crate) fn publish_over_a_pause(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "pp", 2, &[]);
    exec.publish(&paced("pp", 2)).expect("publish");
    start(h, "pp", "pp0");
    start(h, "pp", "pp1");
    h.until("both runs sleep before the call", &mut |e| {
        tile(e, "pp", 1, "sleep").waiting == 2
    });
    exec.set_version_state("pp", 1, VersionAction::Pause)
        .expect("pause");
    h.until("the pause holds the runs before the voice tile", &mut |e| {
        tile(e, "pp", 1, "call").waiting == 2
    });
    assert!(dials_of(h, "pp").is_empty());
    let v2 = exec.publish(&reworked(paced("pp", 2))).expect("publish v2");
    assert_eq!(
        (v2.created, v2.version.number, v2.version.state),
        (true, 2, VersionState::Live)
    );
    assert_eq!(state(exec, "pp", 1), VersionState::Completing);
    h.until("the held runs go on in v1 and call", &mut |e| {
        tile(e, "pp", 1, "call").sent == 2
    });
    assert_eq!(dials_of(h, "pp").len(), 2);
    assert_eq!(tile(exec, "pp", 2, "call").entered, 0, "nobody moved to v2");
}

pub(crate) fn stop_is_final(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "st", 2, &[]);
    exec.publish(&paced("st", 2)).expect("publish");
    start(h, "st", "st0");
    start(h, "st", "st1");
    h.until("both runs sleep before the call", &mut |e| {
        tile(e, "st", 1, "sleep").waiting == 2
    });
    let stopped = exec
        .set_version_state("st", 1, VersionAction::Stop)
        .expect("stop");
    assert_eq!(stopped.state, VersionState::Stopped);
    assert_eq!(runs(exec, "st", 1, "stopped"), 2);
    assert_eq!(runs(exec, "st", 1, "active"), 0);
    // The runs' wakes come due after the stop and do nothing.
    h.advance_to(h.now() + Duration::hours(3));
    h.until("the stop's effects settle", &mut |e| {
        e.status().expect("status").work == 0
    });
    assert!(dials_of(h, "st").is_empty(), "a stopped run called");
    assert_eq!(tile(exec, "st", 1, "call").entered, 0);
    assert_eq!(runs(exec, "st", 1, "done"), 0);
    let error = exec
        .set_version_state("st", 1, VersionAction::Resume)
        .expect_err("stopping is final");
    assert!(error.to_string().contains("final"), "{error}");
    let again = exec.publish(&paced("st", 2)).expect("publish again");
    assert_eq!(
        (again.created, again.version.number, again.version.state),
        (true, 2, VersionState::Live)
    );
    assert_eq!(state(exec, "st", 1), VersionState::Stopped);
    assert_eq!(exec.status().expect("status").runs.get("stopped"), Some(&2));
}

pub(crate) fn pause_limit(h: &dyn Harness) {
    let exec = h.exec();
    seed(h, "pl", 4, &[]);
    // Two journeys paused together: one left alone, one resumed in time.
    for journey in ["pl", "plr"] {
        exec.publish(&paced(journey, 48)).expect("publish");
    }
    for (journey, contact) in [("pl", "pl0"), ("pl", "pl1"), ("plr", "pl2"), ("plr", "pl3")] {
        start(h, journey, contact);
    }
    let paused_at = h.now();
    for journey in ["pl", "plr"] {
        exec.set_version_state(journey, 1, VersionAction::Pause)
            .expect("pause");
    }
    exec.set_version_state("plr", 1, VersionAction::Resume)
        .expect("resume");
    h.until("the paused runs stop before the voice tile", &mut |e| {
        tile(e, "pl", 1, "call").waiting == 2
    });
    h.advance_to(paused_at + PAUSE_LIMIT - Duration::days(2));
    assert_eq!(state(exec, "pl", 1), VersionState::Paused);
    h.until("the pause limit stops the version", &mut |e| {
        state(e, "pl", 1) == VersionState::Stopped
    });
    assert!(h.now() >= paused_at + PAUSE_LIMIT);
    assert_eq!(runs(exec, "pl", 1, "stopped"), 2);
    assert_eq!(tile(exec, "pl", 1, "call").sent, 0, "nobody was called");
    // The resumed one is live and called its contacts.
    assert_eq!(state(exec, "plr", 1), VersionState::Live);
    h.until("the resumed version's calls go out", &mut |e| {
        tile(e, "plr", 1, "call").sent == 2
    });
}
