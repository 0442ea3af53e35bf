//! The built-in contact-center simulator: deterministic, deduplicating, keeping a ledger.
//!
//! Outcome, disposition codes, variables and latency hash the configured seed with the
//! request id, so the same request always gets the same answer. The simulator dials only
//! inside the request's windows (none usable → `Expired`), deduplicates on the request id
//! and counts every request it receives, in its own SQLite file so the ledger survives a
//! `kill -9` of the runtime.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{Caps, CcError, ContactCenter, DeliveryAck, DeliveryRequest, InteractionEvent};
use crate::storage::ledger::{self, Ledger, NewRequest};

use journeys::simulate::dial_at;
pub use journeys::simulate::outcomes::EngagementMix;
use journeys::simulate::outcomes::draw;

/// Simulator settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatorConfig {
    /// Seed of every draw.
    pub seed: u64,
    /// The mix for engagements not listed.
    #[serde(default)]
    pub default_mix: EngagementMix,
    /// Per-engagement mixes.
    #[serde(default)]
    pub engagements: BTreeMap<String, EngagementMix>,
    /// Per mille of request ids refused once with a transient error before being taken.
    #[serde(default)]
    pub transient_errors_per_mille: u32,
    /// Per mille of request ids taken (the call is placed) whose first acknowledgement is
    /// lost: the sender sees a transient error and retries under the same id.
    #[serde(default)]
    pub ack_lost_per_mille: u32,
    /// Numbers on the contact center's do-not-call list: their deliveries end `Cancelled`.
    #[serde(default)]
    pub do_not_call: Vec<String>,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            seed: 7,
            default_mix: EngagementMix::default(),
            engagements: BTreeMap::new(),
            transient_errors_per_mille: 0,
            ack_lost_per_mille: 0,
            do_not_call: Vec::new(),
        }
    }
}

/// One request id as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// The request id (our idempotency key).
    pub request_id: String,
    /// How many times it was received (one effective call whatever the number).
    pub received: u32,
    /// When the call was dialled; `None` when no window was usable.
    pub dialled_at: Option<DateTime<Utc>>,
    /// The contact.
    pub contact_id: String,
    /// The number.
    pub to_number: String,
    /// The final result.
    pub result: String,
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulatorError {
    /// Its SQLite file could not be opened or migrated.
    #[error("simulator ledger: {0}")]
    Storage(#[from] rusqlite::Error),
}

/// The simulator. See the module docs.
pub struct Simulator {
    config: SimulatorConfig,
    ledger: Ledger,
}

fn storage(e: rusqlite::Error) -> CcError {
    CcError::Transient(format!("simulator storage: {e}"))
}

impl Simulator {
    /// Open (or create) the simulator's ledger file.
    pub fn open(path: &Path, config: SimulatorConfig) -> Result<Self, SimulatorError> {
        Ok(Simulator {
            config,
            ledger: Ledger::open(path)?,
        })
    }

    /// Every request id received, in order.
    pub fn ledger(&self) -> Result<Vec<LedgerEntry>, SimulatorError> {
        Ok(self.ledger.entries()?)
    }

    /// Take one request inside the caller's transaction: dedupe on the id, else draw the
    /// outcome and queue its result.
    fn receive(
        &self,
        tx: &Connection,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        let key = &request.idem_key;
        let known = ledger::delivery_id_of(tx, key).map_err(storage)?;
        let seed = self.config.seed;
        if known.is_none()
            && draw(seed, key, "transient") % 1000
                < u64::from(self.config.transient_errors_per_mille)
            && ledger::refuse_first_time(tx, key).map_err(storage)?
        {
            return Err(CcError::Transient("simulated: service unavailable".into()));
        }
        let delivery_id = match known {
            Some(id) => {
                ledger::count_repeat(tx, key).map_err(storage)?;
                id
            }
            None => {
                let delivery_id = format!("sim-{:016x}", draw(seed, key, "delivery"));
                let (dialled_at, event, due) = self.answer(request, now);
                let windows = serde_json::to_string(&request.call.windows)
                    .map_err(|e| CcError::Permanent(e.to_string()))?;
                let payload =
                    serde_json::to_string(&event).map_err(|e| CcError::Permanent(e.to_string()))?;
                let taken = NewRequest {
                    request_id: key,
                    delivery_id: &delivery_id,
                    first_at: now,
                    dialled_at,
                    contact_id: &request.call.contact_id,
                    to_number: &request.call.to_number,
                    engagement_id: &request.call.engagement_id,
                    windows: &windows,
                    result: &event.result,
                };
                ledger::take_request(tx, &taken, &event.event_id, due, &payload)
                    .map_err(storage)?;
                if draw(seed, key, "ack") % 1000 < u64::from(self.config.ack_lost_per_mille) {
                    // Taken and dialled, but the sender never hears so.
                    return Err(CcError::Transient("simulated: acknowledgement lost".into()));
                }
                delivery_id
            }
        };
        Ok(DeliveryAck { delivery_id })
    }

    fn answer(
        &self,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> (Option<DateTime<Utc>>, InteractionEvent, DateTime<Utc>) {
        let key = &request.idem_key;
        let seed = self.config.seed;
        let mix = self
            .config
            .engagements
            .get(&request.call.engagement_id)
            .unwrap_or(&self.config.default_mix);
        let dial_at = dial_at(&request.call.windows, now);
        let event_id = format!("sim:{key}");
        let blocked = self.config.do_not_call.contains(&request.call.to_number);
        let Some(dial_at) = dial_at.filter(|_| !blocked) else {
            let event = InteractionEvent {
                event_id,
                idem_key: key.clone(),
                result: if blocked { "Cancelled" } else { "Expired" }.into(),
                disposition_codes: Vec::new(),
                variables: BTreeMap::new(),
            };
            return (None, event, now);
        };
        let drawn = mix.draw(seed, key);
        let due = dial_at + Duration::seconds(i64::from(drawn.latency_seconds));
        let event = InteractionEvent {
            event_id,
            idem_key: key.clone(),
            result: drawn.result,
            disposition_codes: drawn.disposition_codes,
            variables: drawn.variables,
        };
        (Some(dial_at), event, due)
    }
}

impl ContactCenter for Simulator {
    fn capabilities(&self) -> Caps {
        Caps {
            dedupes_request_id: true,
        }
    }

    fn create_delivery(
        &self,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        self.ledger
            .in_transaction(storage, |tx| self.receive(tx, request, now))
    }

    fn create_deliveries(
        &self,
        requests: &[DeliveryRequest],
        now: DateTime<Utc>,
    ) -> Vec<Result<DeliveryAck, CcError>> {
        // Nothing counts as received unless the batch commits.
        let answers = self.ledger.in_transaction(
            |e| e,
            |tx| Ok(requests.iter().map(|r| self.receive(tx, r, now)).collect()),
        );
        answers.unwrap_or_else(|e| {
            requests
                .iter()
                .map(|_| Err(CcError::Transient(e.to_string())))
                .collect()
        })
    }

    fn poll_results(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<InteractionEvent>, CcError> {
        let mut out = Vec::new();
        for text in self.ledger.due_results(now, limit).map_err(storage)? {
            let event =
                serde_json::from_str(&text).map_err(|e| CcError::Permanent(e.to_string()))?;
            out.push(event);
        }
        Ok(out)
    }

    fn ack_results(&self, event_ids: &[String]) -> Result<(), CcError> {
        self.ledger.mark_delivered(event_ids).map_err(storage)
    }

    fn next_result_due(&self) -> Result<Option<DateTime<Utc>>, CcError> {
        self.ledger.next_result_due().map_err(storage)
    }
}
