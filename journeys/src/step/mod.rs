//! The step interpreter: one contact's run through a published journey, as a pure function.
//!
//! [`step`] takes the run's state, the journey version, one [`Input`] and `now`, and returns
//! the next state with the [`Effect`]s the caller must carry out (schedule a wake, request a
//! call, wait for an event, bump a count, finish). The runtime persists state and effects in
//! one transaction; the designer's test run drives the same function with a virtual clock.
//!
//! Rules applied here (domain §1): the voice pipeline of D3 through
//! [`crate::compliance::decide_call`] (hold → wake at the release, block → the downstream
//! wait's blocked branch at once, send → dial with key `{run}:{tile}:{attempt}`), the
//! downstream wait of D2/D9 (first matching branch, Other on time limit or no match), the
//! attribute branch of D10 (evaluated once at entry, see [`condition`]), wait time, exit,
//! unconnected outputs as implicit exits, and the 365-day run limit of D12.
//!
//! ```
//! use journeys::{catalog::Catalog, contact::Contact, document::*};
//! use journeys::step::{step, Input, JourneyGraph, NoConsents, RunState, StepContext, ExitReason, Phase};
//!
//! let mut journey = Journey::new("j1", "Welcome", "UTC");
//! journey.tiles.push(Tile::Exit(ExitTile { id: "end".into(), name: String::new() }));
//! journey.connections.push(Connection { from: "start".into(), output: OUTPUT_NEXT.into(), to: "end".into() });
//! let graph = JourneyGraph::new(&journey);
//! let contact = Contact { id: "c1".into(), ..Contact::default() };
//! let catalog = Catalog::default();
//! let ctx = StepContext { catalog: &catalog, contact: &contact, consents: &NoConsents, paused: false };
//! let now = chrono::DateTime::UNIX_EPOCH;
//! let (state, _effects) = step(RunState::new("r1"), &graph, Input::start(), now, &ctx);
//! assert_eq!(state.phase, Phase::Done { reason: ExitReason::ExitTile { tile: "end".into() } });
//! ```

pub mod condition;
mod handlers;
mod idem;
mod run;
pub use idem::{BadIdemKey, IdemKey};
pub use run::step;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, LocalResult, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::{CallOutcome, Catalog};
use crate::compliance::{BlockCode, CallContext, ConsentLookup, Decision, Window, decide_call};
use crate::contact::Contact;
use crate::document::{
    BranchSource, Interaction, Journey, OUTPUT_NEXT, OUTPUT_OTHER, Tile, Variable,
    VoiceConversationTile, WaitCondition, WaitForTriggerTile, WaitSpec,
};

/// The state layout this build writes; older layouts must keep loading.
pub const STATE_VERSION: u32 = 1;

/// The blocking horizon and call window length when a voice tile has no downstream wait (D2).
pub const DEFAULT_HORIZON_DAYS: i64 = 7;

/// A contact's run may last this long, then it exits with `MaxRunDurationReached` (D12).
pub const MAX_RUN_DAYS: i64 = 365;

/// The wake token that releases runs parked by a pause.
pub const RESUME_TOKEN: &str = "resume";

/// A journey version prepared for stepping: the document plus its connection index.
#[derive(Debug, Clone)]
pub struct JourneyGraph {
    journey: Journey,
    zone: Tz,
    next: HashMap<(String, String), String>,
}

impl JourneyGraph {
    /// Index a journey's connections. An unknown zone falls back to UTC (the validator
    /// rejects it before publishing).
    pub fn new(journey: &Journey) -> Self {
        let next = journey
            .connections
            .iter()
            .map(|c| ((c.from.clone(), c.output.clone()), c.to.clone()))
            .collect();
        JourneyGraph {
            journey: journey.clone(),
            zone: journey.time_zone.parse().unwrap_or(Tz::UTC),
            next,
        }
    }

    /// The journey document.
    pub fn journey(&self) -> &Journey {
        &self.journey
    }

    /// The tile a tile's output leads to, if connected.
    pub fn target(&self, tile: &str, output: &str) -> Option<&str> {
        self.next
            .get(&(tile.to_owned(), output.to_owned()))
            .map(String::as_str)
    }

    /// The downstream wait of a voice tile (D2): its direct successor, if that is a
    /// wait for trigger watching it.
    pub fn downstream_wait(&self, voice_tile: &str) -> Option<&WaitForTriggerTile> {
        let next = self.target(voice_tile, OUTPUT_NEXT)?;
        match self.journey.tile(next)? {
            Tile::WaitForTrigger(wait) => match &wait.condition {
                Some(WaitCondition::PreviousMessage { tile_id: Some(id) }) if id == voice_tile => {
                    Some(wait)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// H for a voice tile: the downstream wait's time limit, else 7 days.
    pub fn horizon(&self, voice_tile: &str) -> Duration {
        self.downstream_wait(voice_tile)
            .and_then(|w| w.time_limit)
            .and_then(|d| d.to_chrono())
            .unwrap_or_else(|| Duration::days(DEFAULT_HORIZON_DAYS))
    }
}

/// A consent source with no records (every status "not set").
pub struct NoConsents;

impl ConsentLookup for NoConsents {
    fn status(
        &self,
        _contact_point: &str,
        _channel: crate::document::Channel,
        _scope: &crate::contact::ConsentScope,
    ) -> Option<crate::contact::ConsentStatus> {
        None
    }
}

/// What a step needs besides the state, the journey and the input.
pub struct StepContext<'a> {
    /// Engagements, profiles, quiet time and the result mapping.
    pub catalog: &'a Catalog,
    /// The contact as it is now (re-read for every step).
    pub contact: &'a Contact,
    /// Consent records as they are now.
    pub consents: &'a dyn ConsentLookup,
    /// The version is paused: contacts stop before the next voice tile (domain §9).
    pub paused: bool,
}

/// One contact's run: where it is and what it has seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunState {
    /// Layout of this state ([`STATE_VERSION`]).
    pub state_version: u32,
    /// The run's id; part of every idempotency key.
    pub run_id: String,
    /// When the run started.
    pub entered_at: Option<DateTime<Utc>>,
    /// The tile the contact is on.
    pub tile: Option<String>,
    /// What it does there.
    pub phase: Phase,
    /// Dial attempts per voice tile.
    pub attempts: BTreeMap<String, u32>,
    /// The call of each voice tile passed, for waits and `voiceCall` branches.
    pub calls: BTreeMap<String, CallState>,
    /// Attributes of the triggers met so far (start trigger and trigger waits).
    pub trigger_attributes: BTreeMap<String, Value>,
    /// Counter for wake tokens.
    pub next_token: u64,
}

/// What a run is doing on its tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Phase {
    /// Not started yet.
    New,
    /// Held by quiet time on a voice tile until the wake with `token`.
    Held {
        /// The release instant.
        until: DateTime<Utc>,
        /// The wake that releases it.
        token: String,
    },
    /// On a wait for trigger until an event or the time limit.
    Waiting {
        /// The time limit's wake.
        token: String,
        /// When the time limit passes.
        deadline: DateTime<Utc>,
        /// The event awaited: a call's idempotency key or `trigger:{name}`.
        corr: Option<String>,
    },
    /// On a wait-time tile until the wake with `token`.
    Sleeping {
        /// The wake that ends the wait.
        token: String,
    },
    /// Stopped by a pause before a voice tile; [`RESUME_TOKEN`] goes on.
    Paused,
    /// The run has ended.
    Done {
        /// Why.
        reason: ExitReason,
    },
}

/// Why a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExitReason {
    /// It reached an exit tile.
    ExitTile {
        /// The exit tile.
        tile: String,
    },
    /// It took an output connected to nothing (an implicit exit, D2).
    UnconnectedOutput {
        /// The tile.
        tile: String,
        /// The output.
        output: String,
    },
    /// It ran 365 days (D12).
    MaxRunDurationReached,
    /// The journey has no start tile or names a tile it lacks.
    BrokenJourney,
}

/// The call of one voice tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CallState {
    /// Requested; the final result has not come back.
    Pending {
        /// The request's idempotency key.
        idem_key: String,
        /// The number called.
        to_number: String,
    },
    /// Never sent.
    Blocked {
        /// Why, as a code.
        code: BlockCode,
        /// Why, in a sentence.
        reason: String,
    },
    /// The contact center's final result.
    Finished {
        /// The result value, e.g. `LiveAnswer`.
        result: String,
        /// Attempted or not, by the catalog's mapping.
        outcome: CallOutcome,
        /// Disposition codes set on the call.
        disposition_codes: Vec<String>,
        /// Engagement variables written back.
        variables: BTreeMap<String, Value>,
    },
}

/// Something that happened to a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Input {
    /// Enter the journey.
    Start {
        /// Attributes of the start trigger (empty for segment entries).
        trigger_attributes: BTreeMap<String, Value>,
    },
    /// A scheduled wake came due.
    Wake {
        /// The token it was scheduled with.
        token: String,
    },
    /// An event for the run: a call's final result or a trigger.
    Event {
        /// A call's idempotency key, or `trigger:{name}`.
        corr: String,
        /// What happened.
        payload: EventPayload,
    },
    /// What became of a requested call at the contact center.
    EffectResult {
        /// The call's idempotency key.
        idem_key: String,
        /// Accepted, rejected, or unknown.
        result: DeliveryResult,
    },
}

impl Input {
    /// A segment entry: start without trigger attributes.
    pub fn start() -> Input {
        Input::Start {
            trigger_attributes: BTreeMap::new(),
        }
    }
}

/// The payload of an [`Input::Event`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum EventPayload {
    /// A call's final result.
    CallResult {
        /// The contact center's result value.
        result: String,
        /// Disposition codes.
        #[serde(default)]
        disposition_codes: Vec<String>,
        /// Engagement variables.
        #[serde(default)]
        variables: BTreeMap<String, Value>,
    },
    /// A trigger fired for the contact.
    Trigger {
        /// The trigger's name.
        name: String,
        /// Its attributes.
        #[serde(default)]
        attributes: BTreeMap<String, Value>,
    },
}

/// What the contact center did with a call request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DeliveryResult {
    /// Accepted as a delivery; the result follows as an event.
    Accepted,
    /// Refused for a lasting reason: the call is not attempted (result `Error`).
    Rejected {
        /// What the contact center said.
        reason: String,
    },
    /// A crash left it unknown whether the request arrived (result `Unknown`).
    Unknown,
}

/// Something the caller must do after a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Effect {
    /// Deliver `Wake{token}` at `at`.
    ScheduleWake {
        /// When.
        at: DateTime<Utc>,
        /// The token to hand back.
        token: String,
    },
    /// Ask the contact center to call, once per `idem_key`.
    Dial {
        /// `{run}:{tile}:{attempt}`, sent as the request id on every retry.
        idem_key: IdemKey,
        /// The request.
        request: CallRequest,
    },
    /// Route events with this correlation to the run until `deadline`.
    AwaitEvent {
        /// A call's idempotency key or `trigger:{name}`.
        corr: String,
        /// When the wait's time limit passes.
        deadline: DateTime<Utc>,
    },
    /// Bump a per-tile count.
    Count {
        /// The tile.
        tile: String,
        /// What is counted.
        outcome: CountOutcome,
    },
    /// Record a voice opt-out for the number (disposition `DoNotContact`, D15).
    OptOut {
        /// The number, E.164.
        contact_point: String,
        /// The tile's purpose.
        purpose_id: String,
    },
    /// The run has ended.
    Complete {
        /// Why.
        reason: ExitReason,
    },
}

/// One call request for the contact center (D7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRequest {
    /// The run.
    pub run_id: String,
    /// The voice tile.
    pub tile_id: String,
    /// The contact.
    pub contact_id: String,
    /// The proactive engagement.
    pub engagement_id: String,
    /// The number to call, E.164.
    pub to_number: String,
    /// The contact's zone, when it has one.
    pub time_zone: Option<String>,
    /// UTC windows the contact center may dial inside.
    pub windows: Vec<Window>,
}

/// What a per-tile count counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CountOutcome {
    /// A contact entered the tile.
    Entered,
    /// A call was held by quiet time.
    Held,
    /// A call request was sent.
    Sent,
    /// A call was blocked.
    Blocked {
        /// The block code.
        code: BlockCode,
    },
    /// A call's result mapped to attempted.
    Attempted {
        /// The result value.
        result: String,
    },
    /// A call's result mapped to not attempted.
    NotAttempted {
        /// The result value.
        result: String,
    },
    /// A call's result carried a disposition code (one count per distinct code per call,
    /// as the contact center spelled it, trimmed).
    Disposition {
        /// The disposition code.
        code: String,
    },
    /// A contact left on a branch (`other` included).
    Branch {
        /// The branch id.
        branch: String,
    },
    /// A contact's run ended on this tile.
    Completed,
}

impl RunState {
    /// A run that has not started.
    pub fn new(run_id: impl Into<String>) -> Self {
        RunState {
            state_version: STATE_VERSION,
            run_id: run_id.into(),
            entered_at: None,
            tile: None,
            phase: Phase::New,
            attempts: BTreeMap::new(),
            calls: BTreeMap::new(),
            trigger_attributes: BTreeMap::new(),
            next_token: 0,
        }
    }

    /// Whether the run has ended.
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done { .. })
    }
}
