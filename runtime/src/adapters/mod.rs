//! Contact-center adapters: where call requests go and where their results come from.
//!
//! The outbox pump calls [`ContactCenter::create_delivery`] once per pending request, with
//! the interpreter's idempotency key as the request id. Results come back either through
//! [`ContactCenter::poll_results`] (the simulator) or the runtime's `POST /v1/interactions`
//! (a real contact center, through the HTTP adapter's partner).

mod http;
mod simulator;

pub use http::HttpContactCenter;
pub use simulator::{EngagementMix, LedgerEntry, Simulator, SimulatorConfig};

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use journeys::step::CallRequest;
use serde::{Deserialize, Serialize};

/// What an adapter can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// The contact center deduplicates on our request id, so a request whose
    /// acknowledgement was lost in a crash may be sent again under the same key.
    pub dedupes_request_id: bool,
}

/// One call request as handed to a contact center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRequest {
    /// `{run}:{tile}:{attempt}`: the request id, stable over retries.
    pub idem_key: String,
    /// The call.
    pub call: CallRequest,
}

/// The contact center took the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAck {
    /// Its delivery id.
    pub delivery_id: String,
}

/// Why a request did not get through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CcError {
    /// Try again later (network, 5xx, overload).
    #[error("transient contact-center error: {0}")]
    Transient(String),
    /// It will never work (4xx): the call is not attempted.
    #[error("the contact center refused the request: {0}")]
    Permanent(String),
}

/// A call's final result, from a contact center or the simulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InteractionEvent {
    /// Unique per result; duplicates are ignored.
    pub event_id: String,
    /// The request id the call was made under.
    pub idem_key: String,
    /// The contact center's result value, e.g. `LiveAnswer`.
    pub result: String,
    /// Disposition codes.
    #[serde(default)]
    pub disposition_codes: Vec<String>,
    /// Engagement variables written back.
    #[serde(default)]
    pub variables: BTreeMap<String, serde_json::Value>,
}

/// A contact center the runtime can request calls from.
pub trait ContactCenter: Send + Sync {
    /// What it supports.
    fn capabilities(&self) -> Caps;

    /// Hand one call request over.
    fn create_delivery(
        &self,
        request: &DeliveryRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError>;

    /// Hand several requests over; the default sends them one by one.
    fn create_deliveries(
        &self,
        requests: &[DeliveryRequest],
        now: DateTime<Utc>,
    ) -> Vec<Result<DeliveryAck, CcError>> {
        requests
            .iter()
            .map(|request| self.create_delivery(request, now))
            .collect()
    }

    /// Results due by `now` not yet acknowledged (none for push-only adapters).
    fn poll_results(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<InteractionEvent>, CcError> {
        let _ = (now, limit);
        Ok(Vec::new())
    }

    /// The runtime has stored these results durably; don't hand them out again.
    fn ack_results(&self, event_ids: &[String]) -> Result<(), CcError> {
        let _ = event_ids;
        Ok(())
    }

    /// When the next polled result comes due (lets a virtual clock jump to it).
    fn next_result_due(&self) -> Result<Option<DateTime<Utc>>, CcError> {
        Ok(None)
    }
}
