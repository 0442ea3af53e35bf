//! One contact's run through the journey: the event loop, the simulated contact center, the
//! generated contact and the forecast.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

use super::outcomes::{draw, pick};
use super::trace::Tracer;
use super::{
    SimulatedAudience, SimulatedTileCounts, SimulationResult, SimulationSpec, TileForecast,
};
use crate::catalog::Catalog;
use crate::compliance::{
    CallContext, ContactPoint, Decision, SendWindows, Window, contact_zone, decide_call_with,
};
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use crate::document::{Channel, Journey, OUTPUT_NEXT, Tile, VoiceConversationTile};
use crate::step::{
    CountOutcome, Effect, EventPayload, ExitReason, Input, JourneyGraph, RunState, StepContext,
    step,
};

/// Inputs delivered to one run before the loop gives up (a guard; journeys are acyclic).
const MAX_INPUTS_PER_CONTACT: usize = 10_000;

/// The first instant inside `windows` at or after `now`: when a contact center dials. No
/// windows means "any time"; `None` means no window is usable (the call expires).
pub fn dial_at(windows: &[Window], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if windows.is_empty() {
        return Some(now);
    }
    windows
        .iter()
        .filter(|w| w.end > now)
        .map(|w| w.start.max(now))
        .min()
}

pub(super) struct Engine<'a> {
    graph: JourneyGraph,
    catalog: &'a Catalog,
    spec: &'a SimulationSpec,
    zone: Tz,
    voice_tiles: Vec<&'a VoiceConversationTile>,
    /// (purpose, topic) pairs the journey calls for: generated consent covers these.
    scopes: Vec<ConsentScope>,
    /// Explicit consent records by normalised number.
    consents_by_number: HashMap<String, Vec<ConsentRecord>>,
}

impl<'a> Engine<'a> {
    pub(super) fn new(
        journey: &'a Journey,
        catalog: &'a Catalog,
        spec: &'a SimulationSpec,
    ) -> Self {
        let voice_tiles: Vec<&VoiceConversationTile> = journey
            .tiles
            .iter()
            .filter_map(|t| match t {
                Tile::VoiceConversation(v) => Some(v),
                _ => None,
            })
            .collect();
        let mut scopes = Vec::new();
        for v in &voice_tiles {
            if let Some(purpose_id) = &v.purpose_id {
                scopes.push(ConsentScope::Purpose {
                    purpose_id: purpose_id.clone(),
                });
            }
            if let Some(topic_id) = &v.topic_id {
                scopes.push(ConsentScope::Topic {
                    topic_id: topic_id.clone(),
                });
            }
        }
        scopes.sort_by_key(|s| format!("{s:?}"));
        scopes.dedup();
        let mut consents_by_number: HashMap<String, Vec<ConsentRecord>> = HashMap::new();
        if let SimulatedAudience::Explicit { consents, .. } = &spec.audience {
            for record in consents {
                let Ok(number) = ContactPoint::parse(Some(&record.contact_point)) else {
                    continue;
                };
                let mut record = record.clone();
                record.contact_point = number.as_str().to_owned();
                consents_by_number
                    .entry(record.contact_point.clone())
                    .or_default()
                    .push(record);
            }
        }
        Engine {
            graph: JourneyGraph::new(journey),
            catalog,
            spec,
            zone: journey.time_zone.parse().unwrap_or(Tz::UTC),
            voice_tiles,
            scopes,
            consents_by_number,
        }
    }

    pub(super) fn empty_result(&self) -> SimulationResult {
        SimulationResult {
            seed: self.spec.seed,
            start: self.spec.start,
            finished_at: self.spec.start,
            calls_by_local_hour: vec![0; 24],
            forecast: self
                .voice_tiles
                .iter()
                .map(|v| TileForecast {
                    tile: v.id.clone(),
                    name: self
                        .graph
                        .journey()
                        .tiles
                        .iter()
                        .find(|t| t.id() == v.id)
                        .map_or_else(|| v.name.clone(), |t| t.shown_name().to_owned()),
                    ..TileForecast::default()
                })
                .collect(),
            ..SimulationResult::default()
        }
    }

    /// The contact at `index` and its consent records.
    fn contact(&self, index: u32) -> (Contact, Vec<ConsentRecord>) {
        match &self.spec.audience {
            SimulatedAudience::Explicit { contacts, .. } => {
                let contact = contacts.get(index as usize).cloned().unwrap_or_default();
                let mut records = Vec::new();
                let mut seen: Vec<String> = Vec::new();
                for raw in [
                    &contact.mobile_phone,
                    &contact.business_phone,
                    &contact.home_phone,
                ] {
                    if let Ok(number) = ContactPoint::parse(raw.as_deref()) {
                        let key = number.as_str().to_owned();
                        if !seen.contains(&key) {
                            if let Some(found) = self.consents_by_number.get(&key) {
                                records.extend(found.iter().cloned());
                            }
                            seen.push(key);
                        }
                    }
                }
                (contact, records)
            }
            SimulatedAudience::Generated(g) => {
                let seed = self.spec.seed;
                let id = format!("c{:06}", index + 1);
                let zone = pick(&g.time_zones, draw(seed, &id, "zone"))
                    .cloned()
                    .flatten();
                let missing = draw(seed, &id, "phone") % 100 < u64::from(g.missing_phone_percent);
                let number = format!("+1555{:07}", index % 10_000_000);
                let phone = (!missing).then(|| number.clone());
                let status = pick(&g.consent, draw(seed, &id, "consent"))
                    .copied()
                    .unwrap_or(ConsentStatus::NotSet);
                let records = if missing || status == ConsentStatus::NotSet {
                    Vec::new()
                } else {
                    self.scopes
                        .iter()
                        .map(|scope| ConsentRecord {
                            contact_point: number.clone(),
                            channel: Channel::Voice,
                            scope: scope.clone(),
                            status,
                            updated_at: self.spec.start - Duration::days(30),
                            source: Some("generated".into()),
                        })
                        .collect()
                };
                let contact = Contact {
                    id,
                    mobile_phone: phone.clone(),
                    business_phone: phone.clone(),
                    home_phone: phone,
                    time_zone: zone,
                    country: Some("US".into()),
                    ..Contact::default()
                };
                (contact, records)
            }
        }
    }

    fn call_context<'c>(
        &'c self,
        contact: &'c Contact,
        consents: &'c Vec<ConsentRecord>,
        voice: &'c VoiceConversationTile,
    ) -> CallContext<'c> {
        CallContext {
            contact,
            consents,
            tile: voice,
            catalog: self.catalog,
            journey_zone: &self.graph.journey().time_zone,
            horizon: self.graph.horizon(&voice.id),
        }
    }

    fn forecast(
        &self,
        contact: &Contact,
        consents: &Vec<ConsentRecord>,
        out: &mut SimulationResult,
    ) {
        for (voice, forecast) in self.voice_tiles.iter().zip(out.forecast.iter_mut()) {
            let ctx = self.call_context(contact, consents, voice);
            match decide_call_with(&ctx, self.spec.start, SendWindows::Skip) {
                Decision::Send { .. } => forecast.call_now += 1,
                Decision::Hold {
                    until, zone_used, ..
                } => {
                    forecast.held += 1;
                    super::count_held(&mut forecast.held_until, &zone_used, until);
                }
                Decision::Block { code, .. } => {
                    *forecast
                        .blocked
                        .entry(code.as_str().to_owned())
                        .or_insert(0) += 1
                }
            }
        }
    }

    /// Run contact `index` to its end and add what happened to `out`.
    pub(super) fn run_contact(&self, index: u32, out: &mut SimulationResult) {
        let (contact, mut consents) = self.contact(index);
        self.forecast(&contact, &consents, out);
        out.contacts += 1;
        let tracing = self.spec.trace_limit.is_none_or(|limit| index < limit);
        // The contact's own times (holds, the trace) read in the zone its quiet time uses.
        let zone = contact_zone(
            contact.time_zone.as_deref(),
            &self.graph.journey().time_zone,
        )
        .unwrap_or(self.zone);
        let mut tracer = tracing.then(|| Tracer::new(&contact, zone));
        let mut state = RunState::new(contact.id.clone());
        let mut queue: BinaryHeap<Reverse<(DateTime<Utc>, u64)>> = BinaryHeap::new();
        let mut pending: HashMap<u64, Input> = HashMap::new();
        let mut seq = 0_u64;
        let mut now = self.spec.start;
        let mut input = Input::start();
        for _ in 0..MAX_INPUTS_PER_CONTACT {
            let before = state.tile.clone();
            let (next, effects) = {
                let ctx = StepContext {
                    catalog: self.catalog,
                    contact: &contact,
                    consents: &consents,
                    paused: false,
                };
                step(state, &self.graph, input, now, &ctx)
            };
            state = next;
            let mut from = before;
            let mut output: Option<String> = None;
            let mut dialled_now = Vec::new();
            for effect in effects {
                match effect {
                    Effect::ScheduleWake { at, token } => {
                        seq += 1;
                        queue.push(Reverse((at, seq)));
                        pending.insert(seq, Input::Wake { token });
                    }
                    Effect::Dial { idem_key, request } => {
                        let idem_key = idem_key.to_string();
                        let dialled = dial_at(&request.windows, now);
                        let mix = self.spec.outcomes.mix(&request.engagement_id);
                        let (at, payload) = match dialled {
                            Some(at) => {
                                let zone = request
                                    .time_zone
                                    .as_deref()
                                    .and_then(|z| z.parse::<Tz>().ok())
                                    .unwrap_or(self.zone);
                                let hour = at.with_timezone(&zone).hour() as usize;
                                if let Some(slot) = out.calls_by_local_hour.get_mut(hour) {
                                    *slot += 1;
                                }
                                let drawn = mix.draw(self.spec.seed, &idem_key);
                                dialled_now.push((request.tile_id.clone(), at, zone));
                                (
                                    at + Duration::seconds(i64::from(drawn.latency_seconds)),
                                    EventPayload::CallResult {
                                        result: drawn.result,
                                        disposition_codes: drawn.disposition_codes,
                                        variables: drawn.variables,
                                    },
                                )
                            }
                            None => (
                                now,
                                EventPayload::CallResult {
                                    result: "Expired".into(),
                                    disposition_codes: Vec::new(),
                                    variables: BTreeMap::new(),
                                },
                            ),
                        };
                        seq += 1;
                        queue.push(Reverse((at, seq)));
                        pending.insert(
                            seq,
                            Input::Event {
                                corr: idem_key,
                                payload,
                            },
                        );
                    }
                    Effect::AwaitEvent { .. } => {}
                    Effect::Count { tile, outcome } => {
                        if let Some(t) = tracer.as_mut() {
                            t.count(self, &tile, &outcome, &state, &contact, &consents, now);
                        }
                        let counts: &mut SimulatedTileCounts =
                            out.tiles.entry(tile.clone()).or_default();
                        match outcome {
                            CountOutcome::Entered => {
                                counts.entered += 1;
                                if let Some(from) = from.take() {
                                    let output =
                                        output.take().unwrap_or_else(|| OUTPUT_NEXT.into());
                                    add_edge(out, from, output, tile.clone());
                                }
                                from = Some(tile);
                            }
                            CountOutcome::Held => {
                                counts.held += 1;
                                if let crate::step::Phase::Held { until, .. } = &state.phase {
                                    super::count_held(&mut counts.held_until, zone.name(), *until);
                                }
                            }
                            CountOutcome::Sent => counts.sent += 1,
                            CountOutcome::Blocked { code } => {
                                *counts.blocked.entry(code.as_str().to_owned()).or_insert(0) += 1;
                            }
                            CountOutcome::Attempted { result } => {
                                *counts.attempted.entry(result).or_insert(0) += 1;
                            }
                            CountOutcome::NotAttempted { result } => {
                                *counts.not_attempted.entry(result).or_insert(0) += 1;
                            }
                            CountOutcome::Branch { branch } => {
                                *counts.branches.entry(branch.clone()).or_insert(0) += 1;
                                output = Some(branch);
                            }
                            CountOutcome::Completed => counts.completed += 1,
                            // A test run's call details carry the codes; they are not counted.
                            CountOutcome::Disposition { .. } => {}
                        }
                    }
                    Effect::OptOut {
                        contact_point,
                        purpose_id,
                    } => consents.push(ConsentRecord::contact_center_opt_out(
                        contact_point,
                        purpose_id,
                        now,
                    )),
                    Effect::Complete { reason } => {
                        let kind = match &reason {
                            ExitReason::ExitTile { .. } => "exitTile",
                            ExitReason::UnconnectedOutput { .. } => "unconnectedOutput",
                            ExitReason::MaxRunDurationReached => "maxRunDurationReached",
                            ExitReason::BrokenJourney => "brokenJourney",
                        };
                        *out.exits.entry(kind.to_owned()).or_insert(0) += 1;
                        if let Some(t) = tracer.as_mut() {
                            t.complete(self, &reason, now);
                        }
                    }
                }
            }
            if let Some(t) = tracer.as_mut() {
                for (tile, at, zone) in dialled_now {
                    t.dialled(&tile, at, zone);
                }
            }
            if state.is_done() {
                break;
            }
            let Some(Reverse((at, id))) = queue.pop() else {
                break;
            };
            let Some(next_input) = pending.remove(&id) else {
                break;
            };
            now = now.max(at);
            input = next_input;
        }
        out.finished_at = out.finished_at.max(now);
        if let Some(t) = tracer {
            out.traces.push(t.finish());
        }
    }

    pub(super) fn graph(&self) -> &JourneyGraph {
        &self.graph
    }

    /// The decision's explanation for a trace (the same call the step made).
    pub(super) fn explain(
        &self,
        voice: &VoiceConversationTile,
        contact: &Contact,
        consents: &Vec<ConsentRecord>,
        now: DateTime<Utc>,
    ) -> String {
        let ctx = self.call_context(contact, consents, voice);
        match decide_call_with(&ctx, now, SendWindows::Skip) {
            Decision::Send { explanation, .. } | Decision::Hold { explanation, .. } => explanation,
            Decision::Block { reason, .. } => reason,
        }
    }
}

fn add_edge(out: &mut SimulationResult, from: String, output: String, to: String) {
    match out
        .edges
        .iter_mut()
        .find(|e| e.from == from && e.output == output)
    {
        Some(edge) => edge.count += 1,
        None => out.edges.push(super::EdgeCount {
            from,
            output,
            to,
            count: 1,
        }),
    }
}
