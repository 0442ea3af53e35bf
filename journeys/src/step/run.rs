//! The interpreter's core: one input applied to one run (`step`), entering tiles, following
//! outputs, counting, finishing.

use super::handlers::BranchValues;
use super::*;

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

pub(super) struct Run<'a, 'c> {
    pub(super) state: RunState,
    pub(super) graph: &'a JourneyGraph,
    pub(super) ctx: &'a StepContext<'c>,
    pub(super) now: DateTime<Utc>,
    pub(super) effects: Vec<Effect>,
}

impl<'a> Run<'a, '_> {
    pub(super) fn apply(&mut self, input: Input) {
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

    pub(super) fn run_deadline(&self) -> Option<DateTime<Utc>> {
        self.state
            .entered_at
            .map(|at| at + Duration::days(MAX_RUN_DAYS))
    }

    pub(super) fn past_run_limit(&self) -> bool {
        self.run_deadline()
            .is_some_and(|deadline| self.now >= deadline)
    }

    pub(super) fn token(&mut self, tile: &str) -> String {
        self.state.next_token += 1;
        format!("{tile}:{}", self.state.next_token)
    }

    /// Schedule a wake, never past the run's 365-day limit (that wake ends the run).
    pub(super) fn schedule(&mut self, at: DateTime<Utc>, token: String) {
        let at = match self.run_deadline() {
            Some(deadline) if at > deadline => deadline,
            _ => at,
        };
        self.effects.push(Effect::ScheduleWake { at, token });
    }

    pub(super) fn count(&mut self, tile: &str, outcome: CountOutcome) {
        self.effects.push(Effect::Count {
            tile: tile.to_owned(),
            outcome,
        });
    }

    pub(super) fn finish(&mut self, tile: Option<String>, reason: ExitReason) {
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
    pub(super) fn follow(&mut self, tile: &str, output: &str) {
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

    pub(super) fn take_branch(&mut self, tile: &str, branch: &str) {
        self.count(
            tile,
            CountOutcome::Branch {
                branch: branch.to_owned(),
            },
        );
        self.follow(tile, branch);
    }

    pub(super) fn enter(&mut self, tile_id: String) {
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
}
