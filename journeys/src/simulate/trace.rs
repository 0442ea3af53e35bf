//! A contact's path through a test run, every step explained in words.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::run::Engine;
use crate::contact::{ConsentRecord, Contact};
use crate::document::{OutputLabel, Tile};
use crate::step::{CallState, CountOutcome, ExitReason, Phase, RunState};

/// One contact's explained path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactTrace {
    /// The contact.
    pub contact_id: String,
    /// Its phone number as given (mobile, else business, else home).
    pub phone: Option<String>,
    /// The IANA zone its times read in: the contact's own when valid, else the journey's
    /// (the zone its quiet time uses).
    pub time_zone: String,
    /// What happened, in order.
    pub steps: Vec<TraceStep>,
}

/// One thing that happened to a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// When (virtual time).
    pub at: DateTime<Utc>,
    /// The tile, if any.
    pub tile: Option<String>,
    /// What happened and why.
    pub text: String,
}

pub(super) struct Tracer {
    trace: ContactTrace,
    zone: Tz,
}

impl Tracer {
    pub(super) fn new(contact: &Contact, zone: Tz) -> Self {
        Tracer {
            zone,
            trace: ContactTrace {
                time_zone: zone.name().to_owned(),
                contact_id: contact.id.clone(),
                phone: contact
                    .mobile_phone
                    .clone()
                    .or_else(|| contact.business_phone.clone())
                    .or_else(|| contact.home_phone.clone()),
                steps: Vec::new(),
            },
        }
    }

    fn push(&mut self, at: DateTime<Utc>, tile: Option<&str>, text: String) {
        self.trace.steps.push(TraceStep {
            at,
            tile: tile.map(str::to_owned),
            text,
        });
    }

    #[expect(clippy::too_many_arguments, reason = "everything a sentence needs")]
    pub(super) fn count(
        &mut self,
        engine: &Engine<'_>,
        tile: &str,
        outcome: &CountOutcome,
        state: &RunState,
        contact: &Contact,
        consents: &Vec<ConsentRecord>,
        now: DateTime<Utc>,
    ) {
        let found = engine.graph().journey().tile(tile);
        let name = found.map_or(tile, Tile::shown_name);
        let voice = match found {
            Some(Tile::VoiceConversation(v)) => Some(v),
            _ => None,
        };
        let text = match outcome {
            CountOutcome::Entered => format!("entered {name}"),
            CountOutcome::Held => {
                let why = voice.map(|v| engine.explain(v, contact, consents, now));
                match (why, &state.phase) {
                    (Some(why), _) => format!("held by quiet time: {why}"),
                    (None, Phase::Held { until, .. }) => format!(
                        "held by quiet time until {} {}",
                        until.with_timezone(&self.zone).format("%a %d %b %H:%M"),
                        self.zone.name()
                    ),
                    (None, _) => "held by quiet time".to_owned(),
                }
            }
            CountOutcome::Sent => {
                let why = voice.map(|v| engine.explain(v, contact, consents, now));
                let number = match state.calls.get(tile) {
                    Some(CallState::Pending { to_number, .. }) => format!(" to {to_number}"),
                    _ => String::new(),
                };
                format!("call requested{number}: {}", why.unwrap_or_default())
            }
            CountOutcome::Blocked { code } => {
                let reason = match state.calls.get(tile) {
                    Some(CallState::Blocked { reason, .. }) => reason.clone(),
                    _ => String::new(),
                };
                let number = self
                    .trace
                    .phone
                    .as_deref()
                    .map(|p| format!(" on {p}"))
                    .unwrap_or_default();
                format!("blocked ({}){number}: {reason}", code.as_str())
            }
            CountOutcome::Attempted { result } => {
                format!(
                    "call result {result} (attempted){}",
                    details(state, tile, self.zone)
                )
            }
            CountOutcome::NotAttempted { result } => {
                format!(
                    "call result {result} (not attempted){}",
                    details(state, tile, self.zone)
                )
            }
            CountOutcome::Branch { branch } => {
                let label = branch_name(found, branch);
                format!("left {name} by branch {label}")
            }
            // The call result's line already names its disposition codes.
            CountOutcome::Completed | CountOutcome::Disposition { .. } => return,
        };
        self.push(now, Some(tile), text);
    }

    pub(super) fn dialled(&mut self, tile: &str, at: DateTime<Utc>, zone: Tz) {
        let local = at.with_timezone(&zone).format("%a %H:%M");
        self.push(
            at,
            Some(tile),
            format!("dialled at {local} {}", zone.name()),
        );
    }

    pub(super) fn complete(
        &mut self,
        engine: &Engine<'_>,
        reason: &ExitReason,
        now: DateTime<Utc>,
    ) {
        let (tile, text) = match reason {
            ExitReason::ExitTile { tile } => (
                Some(tile.as_str()),
                "left the journey at an exit tile".to_owned(),
            ),
            ExitReason::UnconnectedOutput { tile, output } => {
                let found = engine.graph().journey().tile(tile);
                let name = found.map_or(tile.as_str(), Tile::shown_name);
                let text = if output == crate::document::OUTPUT_NEXT {
                    format!("left the journey: nothing follows {name}")
                } else {
                    format!(
                        "left the journey: branch {} of {name} leads nowhere",
                        branch_name(found, output)
                    )
                };
                (Some(tile.as_str()), text)
            }
            ExitReason::MaxRunDurationReached => (None, "stopped after 365 days".to_owned()),
            ExitReason::BrokenJourney => (None, "stopped: the journey is broken".to_owned()),
        };
        self.push(now, tile, text);
    }

    pub(super) fn finish(self) -> ContactTrace {
        self.trace
    }
}

/// A variable's value for a sentence: an instant on the contact's clock, else its JSON.
fn value_text(value: &serde_json::Value, zone: Tz) -> String {
    match value.as_str().map(DateTime::parse_from_rfc3339) {
        Some(Ok(at)) => at
            .with_timezone(&zone)
            .format("%a %d %b %H:%M %Z")
            .to_string(),
        _ => value.to_string(),
    }
}

/// The result's disposition codes and variables, if any, as ` — codes …; variables …`.
fn details(state: &RunState, tile: &str, zone: Tz) -> String {
    match state.calls.get(tile) {
        Some(CallState::Finished {
            disposition_codes,
            variables,
            ..
        }) => {
            let mut parts = Vec::new();
            if !disposition_codes.is_empty() {
                parts.push(format!("disposition {}", disposition_codes.join(", ")));
            }
            for (k, v) in variables.iter().filter(|(_, v)| !v.is_null()) {
                parts.push(format!("{k} = {}", value_text(v, zone)));
            }
            if parts.is_empty() {
                String::new()
            } else {
                format!(" — {}", parts.join("; "))
            }
        }
        _ => String::new(),
    }
}

fn branch_name(tile: Option<&Tile>, branch: &str) -> String {
    match tile.and_then(|t| t.output_label(branch)) {
        Some(OutputLabel::Named(n)) => format!("\"{n}\""),
        Some(OutputLabel::Shown(words)) => words.to_owned(),
        None => branch.to_owned(),
    }
}
