//! Enrolments into the cluster. The metadata store enrols with the SQLite executor's own code
//! (segment admission at publish and for joiners through `journeys::lifecycle::segment_bar`,
//! trigger starts, `POST /runs`), leaving each enrolment's start as a pending row
//! ([`crate::storage::PendingStart`]); [`RestateExecutor::hand_over`] sends those starts to
//! the cluster (one-way, durably accepted, delayed to the run's due time) and deletes the rows
//! only after the cluster took them. A crash in between sends them again, which the run key
//! (the idempotency key) makes harmless.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use journeys::lifecycle::VersionState;
use journeys::step::Input;

use super::RestateExecutor;
use crate::error::Result;
use crate::executor::BATCH;
use crate::storage::PendingStart;

/// How many starts are in flight to the ingress at once.
const SENDERS: usize = 8;

/// The meta key saying the cluster has a version's definition.
pub(super) fn defined_key(journey_id: &str, number: i64) -> String {
    format!("restate:defined:{journey_id}:{number}")
}

impl RestateExecutor {
    /// Hand every pending enrolment of a version the cluster knows over to the cluster;
    /// how many were handed over. Starts of a stopped version are dropped.
    pub fn hand_over(&self) -> Result<usize> {
        let _one_at_a_time = self.handing_over.lock().unwrap_or_else(|p| p.into_inner());
        let mut total = 0;
        loop {
            let pending = self.store.pending_starts(BATCH)?;
            let mut ready = Vec::new();
            let mut dropped = Vec::new();
            for start in pending {
                if start.state == VersionState::Stopped {
                    dropped.push(start.work_id);
                } else if self.defined_on_cluster(&start.journey_id, start.number)? {
                    ready.push(start);
                }
            }
            self.store.handed_over(&dropped)?;
            if ready.is_empty() {
                return Ok(total);
            }
            let (sent, failure) = self.send_starts(&ready);
            self.store.handed_over(&sent)?;
            total += sent.len();
            if let Some(error) = failure {
                return Err(error);
            }
        }
    }

    /// Hand enrolments over as they come (publish, imports and repeating rounds leave them
    /// to this loop; triggers and `POST /runs` hand theirs over at once). Runs until the
    /// process ends.
    pub fn run_hand_over(self: Arc<Self>) {
        loop {
            match self.tick() {
                Ok(0) => std::thread::sleep(Duration::from_millis(50)),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "handing enrolments to the cluster failed; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
    }

    fn defined_on_cluster(&self, journey_id: &str, number: i64) -> Result<bool> {
        let mut known = self.defined.lock().unwrap_or_else(|p| p.into_inner());
        if known.contains(&(journey_id.to_owned(), number)) {
            return Ok(true);
        }
        let defined = self.store.meta(&defined_key(journey_id, number))?.is_some();
        if defined {
            known.insert((journey_id.to_owned(), number));
        }
        Ok(defined)
    }

    /// Send starts, `SENDERS` at a time: the work ids the cluster took, and the first error.
    fn send_starts(&self, starts: &[PendingStart]) -> (Vec<i64>, Option<crate::Error>) {
        let now = self.clock.now();
        let chunk = starts.len().div_ceil(SENDERS).max(1);
        let answers: Vec<(i64, Result<()>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = starts
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|start| {
                                let attributes = match &start.input {
                                    Input::Start { trigger_attributes } => {
                                        trigger_attributes.clone()
                                    }
                                    _ => BTreeMap::new(),
                                };
                                let delay = (start.due - now).to_std().unwrap_or_default();
                                let sent = self
                                    .ingress
                                    .send_entry_start(
                                        &start.journey_id,
                                        start.number,
                                        &start.contact_id,
                                        &start.entry_key,
                                        attributes,
                                        delay,
                                    )
                                    .map(drop)
                                    .map_err(crate::Error::from);
                                (start.work_id, sent)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        let mut sent = Vec::new();
        let mut failure = None;
        for (id, answer) in answers {
            match answer {
                Ok(()) => sent.push(id),
                Err(error) => {
                    failure.get_or_insert(error);
                }
            }
        }
        (sent, failure)
    }
}
