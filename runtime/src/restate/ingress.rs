//! A client of the cluster's ingress: how the runtime's API reaches the Virtual Objects.

use std::collections::BTreeMap;
use std::time::Duration;

use journeys::contact::{ConsentRecord, Contact};
use journeys::step::{EventPayload, IdemKey, Input};

use super::tally::{self, TALLY_SHARDS, Tally};
use super::{
    Lifecycle, Pause, StartRun, VersionDefinition, VersionRuns, VersionView, run_key, version_key,
};
use crate::adapters::InteractionEvent;
use crate::storage::TileCounts;

/// Why a call through the ingress failed.
#[derive(Debug, thiserror::Error)]
pub enum IngressError {
    /// The cluster did not answer (down, unreachable, timed out).
    #[error("the Restate ingress at {url} is unreachable: {reason}")]
    Unreachable {
        /// What was called.
        url: String,
        /// Why.
        reason: String,
    },
    /// The cluster or a handler refused the call.
    #[error("{url} answered {status}: {body}")]
    Refused {
        /// What was called.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What it said.
        body: String,
    },
    /// The input cannot be sent (a result whose key is not `{run}:{tile}:{attempt}`).
    #[error("{0}")]
    BadInput(String),
    /// The answer was not what the handler returns.
    #[error("{url} answered something unreadable: {reason}")]
    Unreadable {
        /// What was called.
        url: String,
        /// Why.
        reason: String,
    },
}

/// The ingress of one cluster (any node's).
pub struct Ingress {
    base: String,
    agent: ureq::Agent,
}

impl Ingress {
    /// A client of the ingress at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: impl Into<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Ingress {
            base: base.into().trim_end_matches('/').to_owned(),
            agent,
        }
    }

    /// POST `body` (JSON; none for a handler without input) to `{service}/{key}/{handler}`,
    /// under an idempotency key when given (Restate runs a repeated key once).
    pub(super) fn call(
        &self,
        path: &str,
        body: Option<String>,
        idempotency: Option<&str>,
    ) -> Result<String, IngressError> {
        let url = format!("{}/{path}", self.base);
        let mut request = self.agent.post(&url);
        if let Some(key) = idempotency {
            request = request.header("idempotency-key", key);
        }
        let sent = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .send(body),
            None => request.send_empty(),
        };
        let mut response = sent.map_err(|e| IngressError::Unreachable {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| IngressError::Unreachable {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            Err(IngressError::Refused {
                url,
                status,
                body: text,
            })
        }
    }

    pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<String, IngressError> {
        serde_json::to_string(value).map_err(|e| IngressError::BadInput(e.to_string()))
    }

    /// Store a version's document and catalog.
    pub fn define_version(
        &self,
        journey_id: &str,
        number: i64,
        definition: &VersionDefinition,
    ) -> Result<(), IngressError> {
        let path = format!("JourneyVersion/{}/define", version_key(journey_id, number));
        self.call(&path, Some(Self::json(definition)?), None)
            .map(drop)
    }

    /// A version's definition and lifecycle (`version` is its `{journey}:{number}` key).
    pub fn version_view(&self, version: &str) -> Result<VersionView, IngressError> {
        let path = format!("JourneyVersion/{version}/definition");
        let text = self.call(&path, None, None)?;
        serde_json::from_str(&text).map_err(|e| IngressError::Unreadable {
            url: format!("{}/{path}", self.base),
            reason: e.to_string(),
        })
    }

    /// Insert or replace a contact and add consent records of its numbers.
    pub fn put_contact(
        &self,
        contact: &Contact,
        consents: &[ConsentRecord],
    ) -> Result<(), IngressError> {
        self.call(
            &format!("ContactFile/{}/put", contact.id),
            Some(Self::json(contact)?),
            None,
        )?;
        if !consents.is_empty() {
            self.call(
                &format!("ContactFile/{}/add_consents", contact.id),
                Some(Self::json(&consents)?),
                None,
            )?;
        }
        Ok(())
    }

    /// Start a contact on a version (a second start of the same run changes nothing); the
    /// run's key.
    pub fn start_run(
        &self,
        journey_id: &str,
        number: i64,
        contact_id: &str,
        trigger_attributes: BTreeMap<String, serde_json::Value>,
    ) -> Result<String, IngressError> {
        let key = run_key(journey_id, number, contact_id);
        let start = StartRun {
            version: version_key(journey_id, number),
            contact_id: contact_id.to_owned(),
            trigger_attributes,
        };
        self.call(
            &format!("ContactJourney/{key}/start"),
            Some(Self::json(&start)?),
            None,
        )?;
        Ok(key)
    }

    /// A call's final result, to the run its key names; the event id is the idempotency key,
    /// so a repeated result is taken once. A run that was never started refuses it.
    pub fn post_outcome(&self, event: &InteractionEvent) -> Result<(), IngressError> {
        self.outcome(event, "event")
    }

    /// [`Ingress::post_outcome`] without waiting for the run to take it: the cluster has it
    /// durably when this answers (a run that was never started then fails in the cluster).
    pub fn send_outcome(&self, event: &InteractionEvent) -> Result<(), IngressError> {
        self.outcome(event, "event/send")
    }

    /// Hand the start of the run object `key` to the cluster without waiting for it (durably
    /// accepted, run after `delay`); the run's key. The run key is the idempotency key: handing
    /// it over again changes nothing.
    pub(super) fn send_start(
        &self,
        key: String,
        journey_id: &str,
        number: i64,
        contact_id: &str,
        trigger_attributes: BTreeMap<String, serde_json::Value>,
        delay: Duration,
    ) -> Result<String, IngressError> {
        let start = StartRun {
            version: version_key(journey_id, number),
            contact_id: contact_id.to_owned(),
            trigger_attributes,
        };
        let mut path = format!("ContactJourney/{key}/start/send");
        if delay.as_millis() > 0 {
            path.push_str(&format!("?delay={}ms", delay.as_millis()));
        }
        self.call(
            &path,
            Some(Self::json(&start)?),
            Some(&format!("start:{key}")),
        )?;
        Ok(key)
    }

    fn outcome(&self, event: &InteractionEvent, handler: &str) -> Result<(), IngressError> {
        let key: IdemKey = event
            .idem_key
            .parse()
            .map_err(|e: journeys::step::BadIdemKey| IngressError::BadInput(e.to_string()))?;
        let input = Input::Event {
            corr: event.idem_key.clone(),
            payload: EventPayload::CallResult {
                result: event.result.clone(),
                disposition_codes: event.disposition_codes.clone(),
                variables: event.variables.clone(),
            },
        };
        self.call(
            &format!("ContactJourney/{}/{handler}", key.run_id),
            Some(Self::json(&input)?),
            Some(&event.event_id),
        )
        .map(drop)
    }

    /// An input for an existing run (a trigger it may be waiting for), taken once per
    /// `idempotency` key; a run that was never started refuses it.
    pub fn send_event(
        &self,
        run_key: &str,
        input: &Input,
        idempotency: &str,
    ) -> Result<(), IngressError> {
        self.call(
            &format!("ContactJourney/{run_key}/event"),
            Some(Self::json(input)?),
            Some(idempotency),
        )
        .map(drop)
    }

    /// A version's per-tile counts so far (the live `waiting` and `held` are in
    /// [`Ingress::version_runs`]' gauges).
    pub fn counts(
        &self,
        journey_id: &str,
        number: i64,
    ) -> Result<BTreeMap<String, TileCounts>, IngressError> {
        Ok(self.tally(journey_id, number)?.counts)
    }

    /// A version's counts and runs: its tally shards summed, a stop applied.
    pub fn tally(&self, journey_id: &str, number: i64) -> Result<Tally, IngressError> {
        let version = version_key(journey_id, number);
        // The shards at once: a read takes one round trip, not one per shard.
        let (shares, life) = std::thread::scope(|scope| {
            let readers: Vec<_> = (0..TALLY_SHARDS)
                .map(|shard| {
                    let path = format!("VersionTally/{}/read", tally::shard_key(&version, shard));
                    scope.spawn(move || self.read::<Tally>(&path))
                })
                .collect();
            let life = self.read::<Lifecycle>(&format!("JourneyVersion/{version}/lifecycle"));
            let shares: Vec<_> = readers.into_iter().map(|r| r.join()).collect();
            (shares, life)
        });
        let life = life?;
        let mut sum = Tally::default();
        for share in shares {
            // A reader thread only panics if `read` does: pass that panic on.
            sum.add(share.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
        }
        if life.stopped {
            sum.runs.stopped_now();
        }
        Ok(sum)
    }

    /// A handler's answer without input.
    fn read<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, IngressError> {
        let text = self.call(path, None, None)?;
        serde_json::from_str(&text).map_err(|e| IngressError::Unreadable {
            url: format!("{}/{path}", self.base),
            reason: e.to_string(),
        })
    }

    /// Pause a version (a second pause changes nothing).
    pub fn pause_version(
        &self,
        journey_id: &str,
        number: i64,
        pause: &Pause,
    ) -> Result<(), IngressError> {
        let path = format!("JourneyVersion/{}/pause", version_key(journey_id, number));
        self.call(&path, Some(Self::json(pause)?), None).map(drop)
    }

    /// Resume a version: the runs its pause held go on.
    pub fn resume_version(&self, journey_id: &str, number: i64) -> Result<(), IngressError> {
        let path = format!("JourneyVersion/{}/resume", version_key(journey_id, number));
        self.call(&path, None, None).map(drop)
    }

    /// Stop a version for good (again: nothing changes).
    pub fn stop_version(&self, journey_id: &str, number: i64) -> Result<(), IngressError> {
        let path = format!("JourneyVersion/{}/stop", version_key(journey_id, number));
        self.call(&path, None, None).map(drop)
    }

    /// A version's runs by status and where the active ones stand.
    pub fn version_runs(&self, journey_id: &str, number: i64) -> Result<VersionRuns, IngressError> {
        Ok(self.tally(journey_id, number)?.runs)
    }

    /// A contact's record: the contact and its consent records.
    pub fn contact(&self, contact_id: &str) -> Result<super::ContactRecord, IngressError> {
        let path = format!("ContactFile/{contact_id}/read");
        let text = self.call(&path, None, None)?;
        serde_json::from_str(&text).map_err(|e| IngressError::Unreadable {
            url: format!("{}/{path}", self.base),
            reason: e.to_string(),
        })
    }
}

/// Register the handlers served at `endpoint` (e.g. `http://127.0.0.1:9080`) with the cluster
/// whose admin API is at `admin` (forced: a re-registration after a change replaces it).
pub fn register_endpoint(admin: &str, endpoint: &str) -> Result<(), IngressError> {
    let admin = Ingress::new(admin);
    let body = serde_json::json!({ "uri": endpoint, "force": true }).to_string();
    admin.call("deployments", Some(body), None).map(drop)
}
