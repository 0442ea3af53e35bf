//! Rounds of repeating segment journeys on Restate. The metadata store keeps each version's
//! next round and admits its members with the SQLite executor's own code (`run_rounds`: the
//! latest round due, none while paused, not a member still inside); what it cannot know by
//! itself is which runs ended, since they run in the cluster. Before a round, the runs the
//! store still has active on the journey's versions are read from the cluster (the runs'
//! own state, through the admin API) and those that ended are marked done; the round's
//! enrolments then go to the cluster with the rest (`handoff`), each round's run an object
//! of its own (`restate/rounds.rs`).

use std::collections::HashMap;

use super::RestateExecutor;
use crate::error::{Error, Result};
use crate::restate::{RunRecord, entry_run_key, run_key};

impl RestateExecutor {
    /// What the background loop does: admit due rounds, then hand enrolments over; how many
    /// enrolments were handed over.
    pub fn tick(&self) -> Result<usize> {
        self.admit_rounds()?;
        self.hand_over()
    }

    /// Admit the members of repeating journeys whose round is due, once the runs that ended
    /// in the cluster are marked so; how many entered.
    pub fn admit_rounds(&self) -> Result<usize> {
        let now = self.clock.now();
        let journeys = self.store.journeys_with_rounds_due(now)?;
        if journeys.is_empty() {
            return Ok(0);
        }
        for journey_id in &journeys {
            for version in self.store.list_versions(journey_id)? {
                self.mark_ended_runs(journey_id, version.number)?;
            }
        }
        self.store.run_due_rounds(now)
    }

    /// Mark done, in the metadata store, the runs of a version it has active that ended in
    /// the cluster.
    fn mark_ended_runs(&self, journey_id: &str, number: i64) -> Result<()> {
        let active = self.store.run_entries(journey_id, number, true)?;
        if active.is_empty() {
            return Ok(());
        }
        let prefix = run_key(journey_id, number, "");
        let mut done: HashMap<String, bool> = HashMap::new();
        for (key, value) in self.admin.state_values("ContactJourney", "run", &prefix)? {
            let record: RunRecord = serde_json::from_str(&value).map_err(|e| {
                Error::Corrupt(format!("the state of run {key} is unreadable: {e}"))
            })?;
            done.insert(key, record.state.is_done());
        }
        let ended: Vec<i64> = active
            .iter()
            .filter(|e| {
                let key = entry_run_key(journey_id, number, &e.contact_id, &e.entry_key);
                done.get(&key).copied().unwrap_or(false)
            })
            .map(|e| e.run_id)
            .collect();
        self.store.mark_runs_done(&ended)
    }
}
