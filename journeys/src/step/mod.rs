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
mod idem;
pub use idem::{BadIdemKey, IdemKey};
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

/// Advance one run by one input. Pure: same arguments, same answer.
///
/// Inputs that no longer apply (a stale wake, a second result for a call, anything after
/// the end) change nothing and yield no effects, so the caller may deliver at least once.
pub fn step(
    state: RunState,
    graph: &JourneyGraph,
    input: Input,
    now: DateTime<Utc>,
    ctx: &StepContext<'_>,
) -> (RunState, Vec<Effect>) {
    let mut run = Run {
        state,
        graph,
        ctx,
        now,
        effects: Vec::new(),
    };
    run.apply(input);
    (run.state, run.effects)
}

struct Run<'a, 'c> {
    state: RunState,
    graph: &'a JourneyGraph,
    ctx: &'a StepContext<'c>,
    now: DateTime<Utc>,
    effects: Vec<Effect>,
}

impl<'a> Run<'a, '_> {
    fn apply(&mut self, input: Input) {
        if self.state.is_done() {
            return;
        }
        if let Input::Start { trigger_attributes } = input {
            if self.state.phase == Phase::New {
                self.state.entered_at = Some(self.now);
                self.state.trigger_attributes = trigger_attributes;
                match self.graph.journey.start_tile() {
                    Some(start) => {
                        let id = start.id.clone();
                        self.enter(id);
                    }
                    None => self.finish(None, ExitReason::BrokenJourney),
                }
            }
            return;
        }
        if self.state.phase == Phase::New {
            return;
        }
        if self.past_run_limit() {
            let tile = self.state.tile.clone();
            self.finish(tile, ExitReason::MaxRunDurationReached);
            return;
        }
        match input {
            Input::Start { .. } => {}
            Input::Wake { token } => self.on_wake(&token),
            Input::Event { corr, payload } => self.on_event(&corr, payload),
            Input::EffectResult { idem_key, result } => match result {
                DeliveryResult::Accepted => {}
                DeliveryResult::Rejected { .. } => {
                    self.on_call_result(&idem_key, "Error", Vec::new(), BTreeMap::new());
                }
                DeliveryResult::Unknown => {
                    self.on_call_result(&idem_key, "Unknown", Vec::new(), BTreeMap::new());
                }
            },
        }
    }

    fn run_deadline(&self) -> Option<DateTime<Utc>> {
        self.state
            .entered_at
            .map(|at| at + Duration::days(MAX_RUN_DAYS))
    }

    fn past_run_limit(&self) -> bool {
        self.run_deadline()
            .is_some_and(|deadline| self.now >= deadline)
    }

    fn token(&mut self, tile: &str) -> String {
        self.state.next_token += 1;
        format!("{tile}:{}", self.state.next_token)
    }

    /// Schedule a wake, never past the run's 365-day limit (that wake ends the run).
    fn schedule(&mut self, at: DateTime<Utc>, token: String) {
        let at = match self.run_deadline() {
            Some(deadline) if at > deadline => deadline,
            _ => at,
        };
        self.effects.push(Effect::ScheduleWake { at, token });
    }

    fn count(&mut self, tile: &str, outcome: CountOutcome) {
        self.effects.push(Effect::Count {
            tile: tile.to_owned(),
            outcome,
        });
    }

    fn finish(&mut self, tile: Option<String>, reason: ExitReason) {
        if let Some(tile) = &tile {
            self.count(tile, CountOutcome::Completed);
        }
        self.state.tile = tile;
        self.state.phase = Phase::Done {
            reason: reason.clone(),
        };
        self.effects.push(Effect::Complete { reason });
    }

    /// Leave `tile` by `output`: enter the connected tile, or end (implicit exit).
    fn follow(&mut self, tile: &str, output: &str) {
        match self.graph.target(tile, output) {
            Some(next) => {
                let next = next.to_owned();
                self.enter(next);
            }
            None => self.finish(
                Some(tile.to_owned()),
                ExitReason::UnconnectedOutput {
                    tile: tile.to_owned(),
                    output: output.to_owned(),
                },
            ),
        }
    }

    fn take_branch(&mut self, tile: &str, branch: &str) {
        self.count(
            tile,
            CountOutcome::Branch {
                branch: branch.to_owned(),
            },
        );
        self.follow(tile, branch);
    }

    fn enter(&mut self, tile_id: String) {
        let graph = self.graph;
        let Some(tile) = graph.journey.tile(&tile_id) else {
            let from = self.state.tile.clone();
            self.finish(from, ExitReason::BrokenJourney);
            return;
        };
        self.state.tile = Some(tile_id.clone());
        self.state.phase = Phase::New;
        self.count(&tile_id, CountOutcome::Entered);
        match tile {
            Tile::Start(_) => self.follow(&tile_id, OUTPUT_NEXT),
            Tile::Exit(_) => self.finish(
                Some(tile_id.clone()),
                ExitReason::ExitTile { tile: tile_id },
            ),
            Tile::VoiceConversation(voice) => {
                if self.ctx.paused {
                    self.state.phase = Phase::Paused;
                } else {
                    self.call(voice);
                }
            }
            Tile::WaitForTrigger(wait) => self.enter_wait(wait),
            Tile::AttributeBranch(branch) => {
                let source = BranchValues {
                    state: &self.state,
                    contact: self.ctx.contact,
                    source: branch.source.as_ref(),
                };
                let found = condition::first_matching_branch(
                    branch
                        .branches
                        .iter()
                        .map(|b| (b.match_mode, b.conditions.as_slice())),
                    &source,
                    graph.zone,
                );
                let output = found
                    .and_then(|i| branch.branches.get(i))
                    .map_or(OUTPUT_OTHER, |b| b.id.as_str());
                self.take_branch(&tile_id, output);
            }
            Tile::WaitTime(wait) => {
                let until = match &wait.wait {
                    Some(WaitSpec::Duration(d)) => d.to_chrono().map(|d| self.now + d),
                    Some(WaitSpec::Until { local }) => {
                        match graph.zone.from_local_datetime(local) {
                            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => {
                                Some(at.with_timezone(&Utc))
                            }
                            // Skipped local time: the transition instant (D14), i.e. the first
                            // local minute after the gap.
                            LocalResult::None => (1..=180).find_map(|m| {
                                graph
                                    .zone
                                    .from_local_datetime(
                                        &(local.with_second(0).unwrap_or(*local)
                                            + Duration::minutes(m)),
                                    )
                                    .earliest()
                                    .map(|at| at.with_timezone(&Utc))
                            }),
                        }
                    }
                    None => None,
                };
                match until {
                    Some(at) if at > self.now => {
                        let token = self.token(&tile_id);
                        self.state.phase = Phase::Sleeping {
                            token: token.clone(),
                        };
                        self.schedule(at, token);
                    }
                    _ => self.follow(&tile_id, OUTPUT_NEXT),
                }
            }
        }
    }

    /// The D3 pipeline on arrival or release: decide, then hold, block or dial.
    fn call(&mut self, voice: &VoiceConversationTile) {
        let ctx = self.ctx;
        let call_ctx = CallContext {
            contact: ctx.contact,
            consents: ctx.consents,
            tile: voice,
            catalog: ctx.catalog,
            journey_zone: &self.graph.journey.time_zone,
            horizon: self.graph.horizon(&voice.id),
        };
        match decide_call(&call_ctx, self.now) {
            Decision::Hold { until, .. } => {
                let token = self.token(&voice.id);
                self.state.phase = Phase::Held {
                    until,
                    token: token.clone(),
                };
                self.count(&voice.id, CountOutcome::Held);
                self.schedule(until, token);
            }
            Decision::Block { code, reason } => {
                self.state
                    .calls
                    .insert(voice.id.clone(), CallState::Blocked { code, reason });
                self.count(&voice.id, CountOutcome::Blocked { code });
                self.follow(&voice.id, OUTPUT_NEXT);
            }
            Decision::Send {
                to_number, windows, ..
            } => {
                let attempt = self.state.attempts.entry(voice.id.clone()).or_insert(0);
                *attempt += 1;
                let idem_key = IdemKey {
                    run_id: self.state.run_id.clone(),
                    tile_id: voice.id.clone(),
                    attempt: *attempt,
                };
                self.state.calls.insert(
                    voice.id.clone(),
                    CallState::Pending {
                        idem_key: idem_key.to_string(),
                        to_number: to_number.clone(),
                    },
                );
                self.effects.push(Effect::Dial {
                    idem_key,
                    request: CallRequest {
                        run_id: self.state.run_id.clone(),
                        tile_id: voice.id.clone(),
                        contact_id: ctx.contact.id.clone(),
                        engagement_id: voice.engagement_id.clone().unwrap_or_default(),
                        to_number,
                        time_zone: ctx.contact.time_zone.clone(),
                        windows,
                    },
                });
                self.count(&voice.id, CountOutcome::Sent);
                self.follow(&voice.id, OUTPUT_NEXT);
            }
        }
    }

    fn enter_wait(&mut self, wait: &WaitForTriggerTile) {
        let watched_call = match &wait.condition {
            Some(WaitCondition::PreviousMessage { tile_id: Some(t) }) => {
                match self.state.calls.get(t) {
                    Some(CallState::Pending { idem_key, .. }) => Some(Some(idem_key.clone())),
                    Some(_) => {
                        self.resolve_wait(wait);
                        return;
                    }
                    None => Some(None),
                }
            }
            Some(WaitCondition::Trigger {
                trigger_name: Some(name),
            }) => Some(Some(format!("trigger:{name}"))),
            _ => None,
        };
        let corr = watched_call.flatten();
        let limit = wait
            .time_limit
            .and_then(|d| d.to_chrono())
            .unwrap_or_else(|| Duration::days(DEFAULT_HORIZON_DAYS));
        let deadline = self.now + limit;
        let token = self.token(&wait.id);
        self.state.phase = Phase::Waiting {
            token: token.clone(),
            deadline,
            corr: corr.clone(),
        };
        if let Some(corr) = corr {
            self.effects.push(Effect::AwaitEvent { corr, deadline });
        }
        self.schedule(deadline, token);
    }

    /// A previous-message wait whose call has an answer: first matching branch, else Other.
    fn resolve_wait(&mut self, wait: &WaitForTriggerTile) {
        let watched = match &wait.condition {
            Some(WaitCondition::PreviousMessage { tile_id: Some(t) }) => t,
            _ => return,
        };
        let interaction = match self.state.calls.get(watched) {
            Some(CallState::Blocked { .. }) => Interaction::VoiceCallBlocked,
            Some(CallState::Finished {
                outcome: CallOutcome::Attempted,
                ..
            }) => Interaction::VoiceCallAttempted,
            Some(CallState::Finished {
                outcome: CallOutcome::NotAttempted,
                ..
            }) => Interaction::VoiceCallNotAttempted,
            Some(CallState::Pending { .. }) | None => return,
        };
        let output = wait
            .branches
            .iter()
            .find(|b| b.interaction == Some(interaction))
            .map_or(OUTPUT_OTHER, |b| b.id.as_str());
        self.take_branch(&wait.id, output);
    }

    fn current_tile(&self) -> Option<&'a Tile> {
        let graph: &'a JourneyGraph = self.graph;
        self.state
            .tile
            .as_deref()
            .and_then(|t| graph.journey.tile(t))
    }

    fn on_wake(&mut self, token: &str) {
        let graph = self.graph;
        let Some(tile) = self.state.tile.clone() else {
            return;
        };
        match &self.state.phase {
            Phase::Held { token: t, .. } if t == token => {
                if let Some(Tile::VoiceConversation(voice)) = graph.journey.tile(&tile) {
                    if self.ctx.paused {
                        self.state.phase = Phase::Paused;
                    } else {
                        self.call(voice);
                    }
                }
            }
            Phase::Waiting { token: t, .. } if t == token => self.take_branch(&tile, OUTPUT_OTHER),
            Phase::Sleeping { token: t } if t == token => self.follow(&tile, OUTPUT_NEXT),
            Phase::Paused if token == RESUME_TOKEN && !self.ctx.paused => {
                if let Some(Tile::VoiceConversation(voice)) = graph.journey.tile(&tile) {
                    self.call(voice);
                }
            }
            _ => {}
        }
    }

    fn on_event(&mut self, corr: &str, payload: EventPayload) {
        match payload {
            EventPayload::CallResult {
                result,
                disposition_codes,
                variables,
            } => self.on_call_result(corr, &result, disposition_codes, variables),
            EventPayload::Trigger { attributes, .. } => {
                let Phase::Waiting {
                    corr: Some(awaited),
                    ..
                } = &self.state.phase
                else {
                    return;
                };
                if awaited != corr {
                    return;
                }
                let graph = self.graph;
                let Some(Tile::WaitForTrigger(wait)) = self.current_tile() else {
                    return;
                };
                let source = |v: &Variable| match v {
                    Variable::Attribute { name } => attributes.get(name).cloned(),
                    _ => None,
                };
                let found = condition::first_matching_branch(
                    wait.branches
                        .iter()
                        .map(|b| (crate::document::MatchMode::All, b.conditions.as_slice())),
                    &source,
                    graph.zone,
                );
                // A trigger that matches no branch is not the awaited one: keep waiting.
                if let Some(branch) = found.and_then(|i| wait.branches.get(i)) {
                    let (tile, branch) = (wait.id.clone(), branch.id.clone());
                    self.state.trigger_attributes.extend(attributes);
                    self.take_branch(&tile, &branch);
                }
            }
        }
    }

    fn on_call_result(
        &mut self,
        idem_key: &str,
        result: &str,
        disposition_codes: Vec<String>,
        variables: BTreeMap<String, Value>,
    ) {
        let pending = self.state.calls.iter().find_map(|(tile, call)| match call {
            CallState::Pending {
                idem_key: k,
                to_number,
            } if k == idem_key => Some((tile.clone(), to_number.clone())),
            _ => None,
        });
        let Some((voice_tile, to_number)) = pending else {
            return;
        };
        // Unlisted results count as not attempted (D8).
        let outcome = self
            .ctx
            .catalog
            .result(result)
            .map_or(CallOutcome::NotAttempted, |r| r.outcome);
        let counted = match outcome {
            CallOutcome::Attempted => CountOutcome::Attempted {
                result: result.to_owned(),
            },
            CallOutcome::NotAttempted => CountOutcome::NotAttempted {
                result: result.to_owned(),
            },
        };
        self.count(&voice_tile, counted);
        let mut codes: Vec<&str> = disposition_codes
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            self.count(
                &voice_tile,
                CountOutcome::Disposition {
                    code: code.to_owned(),
                },
            );
        }
        if disposition_codes
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case("DoNotContact"))
            && let Some(Tile::VoiceConversation(voice)) = self.graph.journey.tile(&voice_tile)
            && let Some(purpose_id) = &voice.purpose_id
        {
            self.effects.push(Effect::OptOut {
                contact_point: to_number,
                purpose_id: purpose_id.clone(),
            });
        }
        self.state.calls.insert(
            voice_tile,
            CallState::Finished {
                result: result.to_owned(),
                outcome,
                disposition_codes,
                variables,
            },
        );
        let awaited =
            matches!(&self.state.phase, Phase::Waiting { corr: Some(c), .. } if c == idem_key);
        if awaited && let Some(Tile::WaitForTrigger(wait)) = self.current_tile() {
            self.resolve_wait(wait);
        }
    }
}

/// The values an attribute branch reads, by its source.
struct BranchValues<'a> {
    state: &'a RunState,
    contact: &'a Contact,
    source: Option<&'a BranchSource>,
}

impl condition::VariableSource for BranchValues<'_> {
    fn value(&self, variable: &Variable) -> Option<Value> {
        let call = |tile: &Option<String>| tile.as_ref().and_then(|t| self.state.calls.get(t));
        match (self.source, variable) {
            (_, Variable::Attribute { name }) => self
                .contact
                .attribute(name)
                .or_else(|| self.state.trigger_attributes.get(name).cloned()),
            (Some(BranchSource::VoiceCall { tile_id }), v) => match (call(tile_id)?, v) {
                (CallState::Finished { result, .. }, Variable::Result) => {
                    Some(Value::String(result.clone()))
                }
                (
                    CallState::Finished {
                        disposition_codes, ..
                    },
                    Variable::DispositionCodes,
                ) => Some(Value::from(disposition_codes.clone())),
                (CallState::Finished { variables, .. }, Variable::EngagementVariable { name }) => {
                    variables.get(name).cloned()
                }
                _ => None,
            },
            (Some(BranchSource::VoiceCallBlocked { tile_id }), Variable::BlockCode) => {
                match call(tile_id)? {
                    CallState::Blocked { code, .. } => serde_json::to_value(code).ok(),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}
