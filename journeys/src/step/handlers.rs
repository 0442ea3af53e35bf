//! What a run does on a tile: call (through `decide_call`), wait for a trigger and resolve it,
//! and what wakes, events and call results do to the tile it is on.

use super::run::Run;
use super::*;

impl<'a> Run<'a, '_> {
    /// The D3 pipeline on arrival or release: decide, then hold, block or dial.
    pub(super) fn call(&mut self, voice: &VoiceConversationTile) {
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

    pub(super) fn enter_wait(&mut self, wait: &WaitForTriggerTile) {
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
    pub(super) fn resolve_wait(&mut self, wait: &WaitForTriggerTile) {
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

    pub(super) fn current_tile(&self) -> Option<&'a Tile> {
        let graph: &'a JourneyGraph = self.graph;
        self.state
            .tile
            .as_deref()
            .and_then(|t| graph.journey.tile(t))
    }

    pub(super) fn on_wake(&mut self, token: &str) {
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

    pub(super) fn on_event(&mut self, corr: &str, payload: EventPayload) {
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

    pub(super) fn on_call_result(
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
pub(super) struct BranchValues<'a> {
    pub(super) state: &'a RunState,
    pub(super) contact: &'a Contact,
    pub(super) source: Option<&'a BranchSource>,
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
