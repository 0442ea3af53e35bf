//! Call results into the cluster: the process that hands calls to the contact center (the
//! handlers' endpoint) also takes the results it polls for (the built-in simulator's) and
//! hands each to the run its key names, under its event id (Restate's idempotency key), then
//! acknowledges them to the contact center. A result the cluster did not take stays
//! unacknowledged and is polled again.

use std::sync::Arc;
use std::time::Duration;

use super::{Ingress, IngressError};
use crate::adapters::{CcError, ContactCenter, InteractionEvent};
use crate::clock::Clock;
use crate::executor::BATCH;

/// How many results are in flight to the ingress at once.
const SENDERS: usize = 8;

/// Why a round of results did not get through.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The contact center's results could not be read or acknowledged.
    #[error("{0}")]
    ContactCenter(#[from] CcError),
    /// The cluster did not take a result.
    #[error("{0}")]
    Ingress(#[from] IngressError),
}

/// One round: results due now to their runs; how many were taken.
pub fn forward_results(
    adapter: &dyn ContactCenter,
    ingress: &Ingress,
    clock: &dyn Clock,
) -> Result<usize, ResultsError> {
    let events = adapter.poll_results(clock.now(), BATCH)?;
    if events.is_empty() {
        return Ok(0);
    }
    let chunk = events.len().div_ceil(SENDERS).max(1);
    let answers: Vec<(String, Result<(), IngressError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = events
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|event: &InteractionEvent| {
                            (event.event_id.clone(), ingress.send_outcome(event))
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
    let mut taken = Vec::new();
    let mut failure = None;
    for (id, answer) in answers {
        match answer {
            Ok(()) => taken.push(id),
            // Refused for good (a key that names no run): logged and acknowledged.
            Err(error @ (IngressError::Refused { .. } | IngressError::BadInput(_))) => {
                tracing::warn!(event = %id, %error, "call result refused by the cluster");
                taken.push(id);
            }
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    adapter.ack_results(&taken)?;
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(taken.len()),
    }
}

/// [`forward_results`] until the process ends.
pub fn run_forward_results(
    adapter: Arc<dyn ContactCenter>,
    ingress: Arc<Ingress>,
    clock: Arc<dyn Clock>,
) {
    loop {
        match forward_results(adapter.as_ref(), &ingress, clock.as_ref()) {
            Ok(0) => std::thread::sleep(Duration::from_millis(50)),
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "forwarding call results to the cluster failed; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}
