//! `JourneyVersion`, keyed `{journey}:{number}`: a version's document and catalog, and its
//! lifecycle as its runs read it at every step (live, paused, stopped). Its per-tile counts
//! and its runs by status with the gauges of where they stand (waiting, held, paused) are
//! reported to its `VersionTally` shards (`super::tally`).
//!
//! The lifecycle follows the SQLite executor's `VersionAction`s:
//! - **pause**: no new entries (the executor starts runs only on a live version); a run
//!   reaching a voice tile stops there (`Phase::Paused`) and registers itself here (`hold`);
//!   a delayed call to `pause_limit` stops the version after `journeys::lifecycle::PAUSE_LIMIT`
//!   unless a resume came first.
//! - **resume**: every registered run gets the resume wake.
//! - **stop**: final; its active runs count as stopped at once (applied when the shards'
//!   runs are read: [`VersionRuns::stopped_now`]), and a run's handler that runs
//!   afterwards (a delayed wake, a late call result) reads `stopped` and does nothing, so no
//!   timer, call or count follows a stop. There is no queue of call requests to drop: a run
//!   hands its call to the contact center inside its step.
//!
//! One race is left: a run step that read the version just before a stop finishes that step
//! (one call at most) after it; the SQLite executor's writer orders the two instead.

use std::collections::BTreeMap;

use journeys::step::{Phase, RESUME_TOKEN, RunState};
use restate_sdk::prelude::*;
use serde::{Deserialize, Serialize};

use super::{ContactJourneyClient, VersionDefinition};
use crate::core::RunStatus;
use crate::storage::TileCounts;

/// A key of the version object's state naming a run held by a pause.
const HOLD_PREFIX: &str = "hold:";

/// A version's definition and lifecycle, as a process reads it the first time one of its
/// runs steps there (`super::definitions`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    /// The document and catalog.
    pub definition: VersionDefinition,
    /// Paused: a run stops before its next voice tile.
    pub paused: bool,
    /// Stopped: a run does nothing any more.
    pub stopped: bool,
    /// How many times it was defined (see [`Lifecycle::generation`]).
    #[serde(default)]
    pub generation: u64,
}

/// What a run reads before each step (a small answer: the definition is kept per process).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    /// Paused: a run stops before its next voice tile.
    pub paused: bool,
    /// Stopped: a run does nothing any more.
    pub stopped: bool,
    /// How many times the version was defined: a republish stores its document and catalog
    /// again (the catalog may have changed since), so a kept definition of an older generation
    /// is read again.
    pub generation: u64,
}

/// A pause as the executor sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pause {
    /// When it was paused (the executor's clock, milliseconds since the epoch): the pause
    /// the limit's delayed call belongs to.
    pub at_ms: i64,
    /// The pause limit in real milliseconds (the executor's clock decides: see
    /// [`crate::clock::Clock::real_delay`]).
    pub limit_after_ms: u64,
}

/// What one invocation of a run changed, sent to its version's tally shard in one one-way
/// call.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    /// Per-tile counts: `(tile, outcome key)` pairs.
    pub counts: Vec<(String, String)>,
    /// The run's gauge before the invocation (tile, phase), if it stood on one.
    pub left: Option<(String, String)>,
    /// Its gauge after it.
    pub entered: Option<(String, String)>,
    /// The run began in this invocation.
    pub started: bool,
    /// The run ended in this invocation.
    pub ended: bool,
}

impl RunReport {
    /// Nothing to report.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && self.left == self.entered && !self.started && !self.ended
    }
}

/// The gauge a run's state stands on: its tile and phase while it waits, is held or paused
/// (as the SQLite executor's counts group active runs).
pub(super) fn gauge(state: &RunState) -> Option<(String, String)> {
    let phase = match state.phase {
        Phase::Held { .. } => "held",
        Phase::Waiting { .. } => "waiting",
        Phase::Sleeping { .. } => "sleeping",
        Phase::Paused => "paused",
        Phase::New | Phase::Done { .. } => return None,
    };
    Some((state.tile.clone()?, phase.to_owned()))
}

/// A version's runs as the cluster knows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionRuns {
    /// Stopped (by the executor or the pause limit).
    pub stopped: bool,
    /// Runs by status (`active`, `done`, `stopped`; no zero entries).
    pub runs: BTreeMap<String, i64>,
    /// Active runs by tile and phase (`held`, `waiting`, `sleeping`, `paused`).
    pub gauges: BTreeMap<String, BTreeMap<String, i64>>,
}

impl VersionRuns {
    pub(super) fn add(&mut self, status: RunStatus, n: i64) {
        let entry = self.runs.entry(status.as_str().to_owned()).or_default();
        *entry += n;
        if *entry == 0 {
            self.runs.remove(status.as_str());
        }
    }

    pub(super) fn gauge(&mut self, (tile, phase): &(String, String), n: i64) {
        let tiles = self.gauges.entry(tile.clone()).or_default();
        let entry = tiles.entry(phase.clone()).or_default();
        *entry += n;
        if *entry == 0 {
            tiles.remove(phase);
        }
        if tiles.is_empty() {
            self.gauges.remove(tile);
        }
    }

    /// Add another share of the runs.
    pub(super) fn add_runs(&mut self, other: &VersionRuns) {
        for (status, n) in &other.runs {
            let entry = self.runs.entry(status.clone()).or_default();
            *entry += n;
            if *entry == 0 {
                self.runs.remove(status);
            }
        }
        for (tile, phases) in &other.gauges {
            for (phase, n) in phases {
                self.gauge(&(tile.clone(), phase.clone()), *n);
            }
        }
    }

    /// The runs of a version stopped now: final, its active runs count as stopped (a run
    /// started just before the stop and reported after it too), no gauges.
    pub(super) fn stopped_now(&mut self) {
        let active = self
            .runs
            .get(RunStatus::Active.as_str())
            .copied()
            .unwrap_or(0);
        self.add(RunStatus::Active, -active);
        self.add(RunStatus::Stopped, active);
        self.gauges.clear();
        self.stopped = true;
    }

    /// Active runs with a timer pending (waiting, sleeping, held; not paused): the
    /// SQLite executor's work rows once everything due has run.
    pub fn timers(&self) -> i64 {
        self.gauges
            .values()
            .flat_map(|phases| phases.iter())
            .filter(|(phase, _)| phase.as_str() != "paused")
            .map(|(_, n)| n)
            .sum()
    }

    /// The live gauges into per-tile counts: `held`, and `waiting` for the rest.
    pub fn add_gauges(&self, tiles: &mut BTreeMap<String, TileCounts>) {
        for (tile, phases) in &self.gauges {
            let t = tiles.entry(tile.clone()).or_default();
            for (phase, n) in phases {
                if phase == "held" {
                    t.held += n;
                } else {
                    t.waiting += n;
                }
            }
        }
    }
}

/// One version's document, lifecycle, counts and runs.
pub struct JourneyVersion;

#[restate_sdk::object]
impl JourneyVersion {
    /// Store the version's document and catalog (publish).
    #[handler]
    async fn define(
        &self,
        ctx: ObjectContext<'_>,
        definition: Json<VersionDefinition>,
    ) -> Result<(), HandlerError> {
        let generation = ctx.get::<u64>("generation").await?.unwrap_or(0);
        ctx.set("definition", definition);
        ctx.set("generation", generation + 1);
        Ok(())
    }

    /// The lifecycle, as a run reads it before each step.
    #[handler]
    async fn lifecycle(
        &self,
        ctx: SharedObjectContext<'_>,
    ) -> Result<Json<Lifecycle>, HandlerError> {
        Ok(Json(Lifecycle {
            paused: ctx.get::<bool>("paused").await?.unwrap_or(false),
            stopped: ctx.get::<bool>("stopped").await?.unwrap_or(false),
            generation: ctx.get::<u64>("generation").await?.unwrap_or(0),
        }))
    }

    /// The document, the catalog and the lifecycle, as a process reads them the first time
    /// one of the version's runs steps there.
    #[handler]
    async fn definition(
        &self,
        ctx: SharedObjectContext<'_>,
    ) -> Result<Json<VersionView>, HandlerError> {
        let Some(Json(definition)) = ctx.get::<Json<VersionDefinition>>("definition").await? else {
            return Err(
                TerminalError::new(format!("version {} is not published", ctx.key())).into(),
            );
        };
        Ok(Json(VersionView {
            definition,
            paused: ctx.get::<bool>("paused").await?.unwrap_or(false),
            stopped: ctx.get::<bool>("stopped").await?.unwrap_or(false),
            generation: ctx.get::<u64>("generation").await?.unwrap_or(0),
        }))
    }

    /// Pause a live version; the limit's delayed call stops it unless a resume comes first.
    /// A second pause changes nothing (the first one's limit stands).
    #[handler]
    async fn pause(&self, ctx: ObjectContext<'_>, pause: Json<Pause>) -> Result<(), HandlerError> {
        let pause = pause.into_inner();
        if ctx.get::<bool>("stopped").await?.unwrap_or(false)
            || ctx.get::<bool>("paused").await?.unwrap_or(false)
        {
            return Ok(());
        }
        ctx.set("paused", true);
        ctx.set("paused_at", pause.at_ms);
        ctx.object_client::<JourneyVersionClient>(ctx.key())
            .pause_limit(pause.at_ms)
            .send_after(std::time::Duration::from_millis(pause.limit_after_ms));
        Ok(())
    }

    /// Undo a pause: every run held by it goes on.
    #[handler]
    async fn resume(&self, ctx: ObjectContext<'_>) -> Result<(), HandlerError> {
        if ctx.get::<bool>("stopped").await?.unwrap_or(false) {
            return Ok(());
        }
        ctx.set("paused", false);
        ctx.clear("paused_at");
        for key in ctx.get_keys().await? {
            if let Some(run) = key.strip_prefix(HOLD_PREFIX) {
                ctx.object_client::<ContactJourneyClient>(run)
                    .wake(RESUME_TOKEN.to_owned())
                    .send();
                ctx.clear(&key);
            }
        }
        Ok(())
    }

    /// Stop the version for good.
    #[handler]
    async fn stop(&self, ctx: ObjectContext<'_>) -> Result<(), HandlerError> {
        stop_now(&ctx).await
    }

    /// The pause that began at `at_ms` reached its limit: stop, unless it was resumed since.
    #[handler]
    async fn pause_limit(&self, ctx: ObjectContext<'_>, at_ms: i64) -> Result<(), HandlerError> {
        if ctx.get::<bool>("paused").await?.unwrap_or(false)
            && ctx.get::<i64>("paused_at").await? == Some(at_ms)
        {
            tracing::warn!(version = %ctx.key(), "pause limit reached: stopped");
            stop_now(&ctx).await?;
        }
        Ok(())
    }

    /// A run stopped before a voice tile by the pause: woken by the resume, or at once when
    /// the resume came while it was on its way here.
    #[handler]
    async fn hold(&self, ctx: ObjectContext<'_>, run: String) -> Result<(), HandlerError> {
        if ctx.get::<bool>("stopped").await?.unwrap_or(false) {
            return Ok(());
        }
        if ctx.get::<bool>("paused").await?.unwrap_or(false) {
            ctx.set(&format!("{HOLD_PREFIX}{run}"), true);
        } else {
            ctx.object_client::<ContactJourneyClient>(run)
                .wake(RESUME_TOKEN.to_owned())
                .send();
        }
        Ok(())
    }
}

/// Stop: final; the holds are dropped (the active runs count as stopped when read).
async fn stop_now(ctx: &ObjectContext<'_>) -> Result<(), HandlerError> {
    if ctx.get::<bool>("stopped").await?.unwrap_or(false) {
        return Ok(());
    }
    ctx.set("stopped", true);
    ctx.set("paused", false);
    ctx.clear("paused_at");
    for key in ctx.get_keys().await? {
        if key.starts_with(HOLD_PREFIX) {
            ctx.clear(&key);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(tile: &str, phase: &str) -> (String, String) {
        (tile.to_owned(), phase.to_owned())
    }

    #[test]
    fn runs_and_gauges_add_up_and_drop_their_zeros() {
        let mut runs = VersionRuns::default();
        runs.add(RunStatus::Active, 2);
        runs.gauge(&at("call", "held"), 1);
        runs.gauge(&at("wait", "waiting"), 1);
        runs.gauge(&at("call", "paused"), 1);
        assert_eq!(runs.timers(), 2, "a paused run has no timer");
        let mut tiles = BTreeMap::new();
        runs.add_gauges(&mut tiles);
        assert_eq!((tiles["call"].held, tiles["call"].waiting), (1, 1));
        assert_eq!(tiles["wait"].waiting, 1);
        runs.gauge(&at("call", "held"), -1);
        runs.gauge(&at("call", "paused"), -1);
        runs.add(RunStatus::Active, -2);
        runs.add(RunStatus::Done, 2);
        assert!(!runs.gauges.contains_key("call"));
        assert_eq!(runs.runs, BTreeMap::from([("done".to_owned(), 2)]));
    }

    #[test]
    fn a_report_with_only_a_move_inside_one_gauge_is_empty() {
        let still = RunReport {
            left: Some(at("wait", "waiting")),
            entered: Some(at("wait", "waiting")),
            ..RunReport::default()
        };
        assert!(still.is_empty());
        let moved = RunReport {
            left: Some(at("wait", "waiting")),
            entered: None,
            ..RunReport::default()
        };
        assert!(!moved.is_empty());
    }
}
