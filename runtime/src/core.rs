//! What a step's outcome means, whatever engine runs it: the engine-neutral core both
//! executors share.
//!
//! An executor loads a run, calls [`journeys::step::step`], and hands the run's state before,
//! the input, the state after and the effects to [`apply_step`], which says — through the
//! [`StepSink`] the executor's persistence implements — which timers to set or drop, which
//! waits to open or close, which calls to request (under their typed idempotency key), which
//! counts to bump, which consent records to write and when the run has ended. The SQLite
//! executor's sink writes rows in the batch's transaction (`storage::steps`).

use chrono::{DateTime, Utc};
use journeys::contact::ConsentRecord;
use journeys::step::{CallRequest, CountOutcome, Effect, IdemKey, Input, Phase, RunState};

/// A run's status as the runtime keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunStatus {
    /// Still moving through its version.
    Active,
    /// Ended (an exit, an unconnected output, its time limit).
    Done,
    /// Removed by a stop of its version.
    Stopped,
    /// Its stored state could not be read; parked so it stalls no other run.
    Failed,
}

impl RunStatus {
    /// As stored, and as the counts' `runs` keys spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Active => "active",
            RunStatus::Done => "done",
            RunStatus::Stopped => "stopped",
            RunStatus::Failed => "failed",
        }
    }

    /// The status of a run whose state is `state`.
    pub fn of(state: &RunState) -> RunStatus {
        if state.is_done() {
            RunStatus::Done
        } else {
            RunStatus::Active
        }
    }
}

/// Where an executor writes what one step of one run means.
pub trait StepSink {
    /// The persistence's error.
    type Error;

    /// Deliver `input` to the run at `at` (a timer: a wait's limit, a hold's end, a wake).
    fn schedule(&mut self, at: DateTime<Utc>, input: &Input) -> Result<(), Self::Error>;
    /// Drop the run's pending timer carrying `token`: the transition made it moot.
    fn cancel_timer(&mut self, token: &str) -> Result<(), Self::Error>;
    /// Route events correlated by `corr` to the run until `deadline`.
    fn open_wait(&mut self, corr: &str, deadline: DateTime<Utc>) -> Result<(), Self::Error>;
    /// The run waits for nothing any more.
    fn close_wait(&mut self) -> Result<(), Self::Error>;
    /// Ask the contact center to call, once per `key`.
    fn request_call(&mut self, key: &IdemKey, request: &CallRequest) -> Result<(), Self::Error>;
    /// Bump a per-tile count.
    fn count(&mut self, tile: &str, outcome: &CountOutcome) -> Result<(), Self::Error>;
    /// Store a consent record (newest `updatedAt` wins).
    fn record_consent(&mut self, record: &ConsentRecord) -> Result<(), Self::Error>;
    /// The run has ended: drop every timer and wait it still has.
    fn end_run(&mut self) -> Result<(), Self::Error>;
}

/// What the step started from, taken before `step` consumes the state and input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Before {
    timer: Option<String>,
    waiting: bool,
    consumed: Option<String>,
}

impl Before {
    /// The timer the run's phase had, whether it was waiting, and the timer the input fires.
    pub fn of(state: &RunState, input: &Input) -> Before {
        Before {
            timer: phase_token(&state.phase).map(str::to_owned),
            waiting: matches!(state.phase, Phase::Waiting { .. }),
            consumed: input_token(input).map(str::to_owned),
        }
    }
}

/// Apply one step: drop a timer the transition made moot (the wait's limit after its event),
/// close a wait the run left, then carry out its effects in order.
pub fn apply_step<S: StepSink>(
    sink: &mut S,
    before: Before,
    next: &RunState,
    effects: &[Effect],
    now: DateTime<Utc>,
) -> Result<(), S::Error> {
    if let Some(old) = before.timer
        && phase_token(&next.phase) != Some(old.as_str())
        && before.consumed.as_deref() != Some(old.as_str())
    {
        sink.cancel_timer(&old)?;
    }
    if before.waiting && !matches!(next.phase, Phase::Waiting { .. }) {
        sink.close_wait()?;
    }
    for effect in effects {
        match effect {
            Effect::ScheduleWake { at, token } => sink.schedule(
                *at,
                &Input::Wake {
                    token: token.clone(),
                },
            )?,
            Effect::Dial { idem_key, request } => sink.request_call(idem_key, request)?,
            Effect::AwaitEvent { corr, deadline } => sink.open_wait(corr, *deadline)?,
            Effect::Count { tile, outcome } => sink.count(tile, outcome)?,
            Effect::OptOut {
                contact_point,
                purpose_id,
            } => sink.record_consent(&ConsentRecord::contact_center_opt_out(
                contact_point.clone(),
                purpose_id.clone(),
                now,
            ))?,
            Effect::Complete { .. } => sink.end_run()?,
        }
    }
    Ok(())
}

/// The token of the timer a phase is waiting on, if any.
fn phase_token(phase: &Phase) -> Option<&str> {
    match phase {
        Phase::Held { token, .. } | Phase::Waiting { token, .. } | Phase::Sleeping { token } => {
            Some(token)
        }
        _ => None,
    }
}

/// The timer token an input fires, if it is a wake.
pub fn input_token(input: &Input) -> Option<&str> {
    match input {
        Input::Wake { token } => Some(token),
        _ => None,
    }
}
