//! Reading a journey's published versions from the target runtime, embedded or over HTTP.

use runtime::storage::{VersionDocument, VersionInfo};

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
}
