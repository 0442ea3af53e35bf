//! Reading a journey's published versions from the target runtime, embedded or over HTTP.

use runtime::storage::{VersionDocument, VersionInfo, VersionSummary};

use super::{RuntimeClient, encode, from_runtime};
use crate::ops::Result;

impl RuntimeClient {
    /// Every published version of `journey_id`, oldest first.
    pub fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>> {
        match self {
            RuntimeClient::Embedded(e) => e.list_versions(journey_id).map_err(from_runtime),
            RuntimeClient::Remote(r) => r.call(
                "GET",
                &format!("/v1/journeys/{}/versions", encode(journey_id)),
                "application/json",
                Vec::new(),
            ),
        }
    }

    /// Version `number` of `journey_id` with the journey it published.
    pub fn version_document(&self, journey_id: &str, number: i64) -> Result<VersionDocument> {
        match self {
            RuntimeClient::Embedded(e) => {
                e.version_document(journey_id, number).map_err(from_runtime)
            }
            RuntimeClient::Remote(r) => r.call(
                "GET",
                &format!("/v1/journeys/{}/versions/{number}", encode(journey_id)),
                "application/json",
                Vec::new(),
            ),
        }
    }

    /// Every version of `journey_id` with its state, computer and contacts, oldest first.
    pub fn version_summaries(&self, journey_id: &str) -> Result<Vec<VersionSummary>> {
        match self {
            RuntimeClient::Embedded(e) => e.version_summaries(journey_id).map_err(from_runtime),
            RuntimeClient::Remote(r) => r.call(
                "GET",
                &format!("/v1/journeys/{}/version-summaries", encode(journey_id)),
                "application/json",
                Vec::new(),
            ),
        }
    }
}

/// The header a publish names its computer in (the runtime's `X-Switchboard-Computer`).
pub(super) const COMPUTER_HEADER: &str = "X-Switchboard-Computer";
