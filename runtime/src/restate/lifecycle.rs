//! The Restate executor's version lifecycle and run reporting: pause, resume and stop carried
//! to the `JourneyVersion` object its runs read at every step, the 21-day pause limit, and
//! runs by status read back from the cluster.
//!
//! The version's state is kept twice, each written first where it is decided: the metadata
//! store (publish rules, listings) and the version object (what runs obey). A pause's limit is
//! a delayed call in the cluster, so it fires with no API process running; the executor
//! reaches the same decision from the same pause instant ([`RestateExecutor::sync_lifecycle`])
//! and tells the cluster again, which changes nothing there if the delayed call came first.

use std::collections::BTreeMap;

use journeys::lifecycle::{PAUSE_LIMIT, VersionState};

use super::{Pause, RestateExecutor, Tally, VersionRuns};
use crate::error::Result;
use crate::storage::{Status, VersionAction, VersionCounts, VersionInfo, VersionSummary};

impl RestateExecutor {
    /// Version-level events due now, as the SQLite executor's worker runs them: pauses past
    /// their limit stop (in the store and the cluster), a completing version whose last run
    /// has ended is completed, and one with runs still held by a pause it had when superseded
    /// is resumed.
    pub(super) fn sync_lifecycle(&self) -> Result<()> {
        for (journey_id, number) in self.store.stop_expired_pauses(self.clock.now())? {
            self.ingress.stop_version(&journey_id, number)?;
        }
        for version in self.store.every_version()? {
            if version.state != VersionState::Completing {
                continue;
            }
            let runs = self.runs_of(&version)?;
            if !runs.runs.contains_key("active") {
                self.store
                    .complete_version(&version.journey_id, version.number)?;
            } else if runs
                .gauges
                .values()
                .any(|phases| phases.contains_key("paused"))
            {
                // Superseded while paused, and the publish could not tell the cluster: its
                // held runs go on (the pause ended with the publish).
                self.ingress
                    .resume_version(&version.journey_id, version.number)?;
            }
        }
        Ok(())
    }

    /// Pause, resume or stop: the version object its runs read is told first, then the
    /// store records it, so a cluster that does not answer (503) leaves both as they were and
    /// a retry finishes the change (the object takes each action again without harm).
    pub(super) fn change_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
    ) -> Result<VersionInfo> {
        self.sync_lifecycle()?;
        let now = self.clock.now();
        let current = self
            .store
            .list_versions(journey_id)?
            .into_iter()
            .find(|v| v.number == number)
            .map(|v| v.state);
        // Unknown or stopped: the store gives the answer (not found; stopping is final).
        if current.is_some_and(|state| state != VersionState::Stopped) {
            match action {
                // Only a live version pauses (as in the store).
                VersionAction::Pause if current == Some(VersionState::Live) => {
                    let limit = self.clock.real_delay(PAUSE_LIMIT);
                    let pause = Pause {
                        at_ms: now.timestamp_millis(),
                        limit_after_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                    };
                    self.ingress.pause_version(journey_id, number, &pause)?;
                }
                VersionAction::Pause => {}
                VersionAction::Resume => self.ingress.resume_version(journey_id, number)?,
                VersionAction::Stop => self.ingress.stop_version(journey_id, number)?,
            }
        }
        self.store
            .set_version_state(journey_id, number, action, now)
    }

    /// A version's runs as the cluster counts them.
    fn runs_of(&self, version: &VersionInfo) -> Result<VersionRuns> {
        Ok(self
            .ingress
            .version_runs(&version.journey_id, version.number)?)
    }

    /// Per-tile counts with the live gauges, and runs by status.
    pub(super) fn version_counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        self.sync_lifecycle()?;
        let version = self
            .store
            .list_versions(journey_id)?
            .into_iter()
            .find(|v| v.number == number)
            .ok_or_else(|| {
                crate::error::Error::NotFound(format!(
                    "journey {journey_id} has no version {number}"
                ))
            })?;
        let Tally { mut counts, runs } = self.ingress.tally(journey_id, number)?;
        runs.add_gauges(&mut counts);
        let tiles = counts;
        Ok(VersionCounts {
            version,
            runs: runs.runs,
            tiles,
        })
    }

    /// The store's summaries with the contacts in flight, finished and stopped.
    pub(super) fn summaries(&self, journey_id: &str) -> Result<Vec<VersionSummary>> {
        self.sync_lifecycle()?;
        let mut summaries = self.store.version_summaries(journey_id, self.clock.now())?;
        for summary in &mut summaries {
            let runs = self.ingress.version_runs(journey_id, summary.number)?.runs;
            let n = |status: &str| runs.get(status).copied().unwrap_or(0);
            summary.in_flight = n("active");
            summary.finished = n("done");
            summary.stopped = n("stopped");
        }
        Ok(summaries)
    }

    /// Runs by status over every version; `work` is the active runs with a timer pending.
    /// There is no outbox: a run hands its call to the contact center inside its step.
    pub(super) fn overall_status(&self) -> Result<Status> {
        self.sync_lifecycle()?;
        let mut runs: BTreeMap<String, i64> = BTreeMap::new();
        let mut work = 0;
        for version in self.store.every_version()? {
            let counted = self.runs_of(&version)?;
            work += counted.timers();
            for (status, n) in counted.runs {
                *runs.entry(status).or_default() += n;
            }
        }
        Ok(Status {
            now: self.clock.now(),
            runs,
            outbox: BTreeMap::new(),
            work,
        })
    }
}
