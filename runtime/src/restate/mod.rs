//! The Restate engine (feature `restate`): the same [`journeys::step::step`] and
//! [`crate::core::apply_step`] as the SQLite executor, with Restate's Virtual Objects as the
//! persistence.
//!
//! - `ContactJourney`, keyed by the run id ([`run_key`]): one contact's run on one version. Its
//!   K/V holds the [`RunState`] and the tiles it visited (`passages`); each handler (`start`,
//!   `wake`, `event`) is one short step. Timers (waits, quiet-time holds, time limits) are
//!   delayed calls to its own `wake`; a delayed call cannot be cancelled, so a moot one
//!   arrives as a stale wake and the step ignores it. A dial is a `ctx.run` that hands the request to the contact center under the
//!   step's `{run}:{tile}:{attempt}` key; what the contact center said goes back into the run
//!   as `EffectResult` in the same invocation.
//! - `JourneyVersion`, keyed `{journey}:{number}`: the version's document, the catalog it runs
//!   with and its lifecycle (live, paused, stopped). A run reads the lifecycle at every step;
//!   the document and catalog once per process ([`Definitions`]).
//! - `VersionTally`, keyed `{journey}:{number}@{shard}`: the version's per-tile counts and its
//!   runs by status, spread over [`TALLY_SHARDS`] objects; each invocation of a run sends its
//!   shard one one-way report.
//! - `ContactFile`, keyed by contact id: the contact and the consent records of its numbers
//!   (an opt-out a call brings back is added there). A run reads it when it starts and again
//!   before every step that consults consent, and keeps the copy in its own state: the
//!   other steps (waits, branches, call results) use that copy, so a contact's attributes
//!   changed by a new import reach a run at its next consent decision.
//!
//! [`Ingress`] is how the runtime's API reaches them; [`RestateExecutor`] is the
//! [`crate::executor::Executor`] trait over it (`serve --engine restate`; enrolment by the
//! SQLite executor's rules, handed over in `executor/handoff.rs`); pause, resume, stop, the
//! pause limit and runs by status are in `version` (the object) and `lifecycle` (the
//! executor's side); [`forward_results`] feeds a contact center's polled results back.

mod admin;
mod definitions;
mod executor;
mod ingress;
mod lifecycle;
mod passages;
mod results;
mod rounds;
mod run_file;
mod tally;
mod version;

pub use admin::Admin;
pub use definitions::Definitions;
pub use executor::RestateExecutor;
pub use ingress::{Ingress, IngressError, register_endpoint};
pub use results::{ResultsError, forward_results, run_forward_results};
pub use rounds::entry_run_key;
pub use tally::{TALLY_SHARDS, Tally, VersionTally};
pub use version::{JourneyVersion, Lifecycle, Pause, RunReport, VersionRuns, VersionView};

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::Journey;
use journeys::step::{
    self, CallRequest, CountOutcome, DeliveryResult, IdemKey, Input, Phase, RunState, StepContext,
};
use restate_sdk::prelude::*;
use serde::{Deserialize, Serialize};

use crate::adapters::{CcError, ContactCenter, DeliveryRequest};
use crate::clock::Clock;
use crate::core::{Before, StepSink, apply_step};
use run_file::{NO_FILE, Watched, read_file};
use tally::VersionTallyClient;
use version::JourneyVersionClient;

/// A version as its runs read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionDefinition {
    /// The published document.
    pub journey: Journey,
    /// The catalog runs decide with.
    pub catalog: Catalog,
}

/// A contact and the consent records of its numbers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRecord {
    /// The contact, once imported.
    pub contact: Option<Contact>,
    /// Consent records of its numbers (newest `updatedAt` per key wins at lookup).
    pub consents: Vec<ConsentRecord>,
}

/// Start one contact on one version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartRun {
    /// `{journey}:{number}` of the version.
    pub version: String,
    /// The contact.
    pub contact_id: String,
    /// Attributes of the start trigger (empty for a segment entry).
    #[serde(default)]
    pub trigger_attributes: BTreeMap<String, serde_json::Value>,
}

/// What the run object keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunRecord {
    version: String,
    contact_id: String,
    state: RunState,
    /// The contact file as last read (at the start, and before each consent decision).
    #[serde(default)]
    file: Option<ContactRecord>,
    /// Consent records this run's steps recorded (opt-outs calls brought back): kept here
    /// too, so the run's next step sees them even before its contact file took them.
    #[serde(default)]
    recorded: Vec<ConsentRecord>,
    /// The tiles it visited, in order (`passages`).
    #[serde(default)]
    path: Vec<passages::Visit>,
}

/// The key of a run's object and its run id: `{journey}.{number}.{contact}` with `%` and `:`
/// escaped, since the run id is the first part of a `{run}:{tile}:{attempt}` key.
pub fn run_key(journey_id: &str, number: i64, contact_id: &str) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace(':', "%3A")
            .replace('.', "%2E")
    };
    format!("{}.{number}.{}", escape(journey_id), escape(contact_id))
}

/// The key of a version's object.
pub fn version_key(journey_id: &str, number: i64) -> String {
    format!("{journey_id}:{number}")
}

/// The engine's handlers, every object bound: runs that read the time from `clock`, hand
/// calls to `adapter` and take their versions' definitions from `definitions`.
pub fn endpoint(
    clock: Arc<dyn Clock>,
    adapter: Arc<dyn ContactCenter>,
    definitions: Arc<Definitions>,
) -> restate_sdk::endpoint::Endpoint {
    restate_sdk::endpoint::Endpoint::builder()
        .bind(JourneyVersion)
        .bind(VersionTally)
        .bind(ContactFile)
        .bind(ContactJourney::new(clock, adapter, definitions))
        .build()
}

/// A contact and its consent records.
pub struct ContactFile;

#[restate_sdk::object]
impl ContactFile {
    /// Insert or replace the contact.
    #[handler]
    async fn put(
        &self,
        ctx: ObjectContext<'_>,
        contact: Json<Contact>,
    ) -> Result<(), HandlerError> {
        let mut record = load_contact(&ctx).await?;
        record.contact = Some(contact.into_inner());
        ctx.set("record", Json(record));
        Ok(())
    }

    /// Add consent records (an import, or the opt-out a call brought back); one it has
    /// already is not added again (a contact imported again brings its numbers' records).
    #[handler]
    async fn add_consents(
        &self,
        ctx: ObjectContext<'_>,
        records: Json<Vec<ConsentRecord>>,
    ) -> Result<(), HandlerError> {
        let records = records.into_inner();
        let mut record = load_contact(&ctx).await?;
        for new in records {
            if !record.consents.contains(&new) {
                record.consents.push(new);
            }
        }
        ctx.set("record", Json(record));
        Ok(())
    }

    /// The contact and its consent records.
    #[handler]
    async fn read(
        &self,
        ctx: SharedObjectContext<'_>,
    ) -> Result<Json<ContactRecord>, HandlerError> {
        Ok(ctx
            .get::<Json<ContactRecord>>("record")
            .await?
            .unwrap_or_default())
    }
}

async fn load_contact(ctx: &ObjectContext<'_>) -> Result<ContactRecord, HandlerError> {
    Ok(ctx
        .get::<Json<ContactRecord>>("record")
        .await?
        .map(|Json(r)| r)
        .unwrap_or_default())
}

/// One contact's run on one version.
pub struct ContactJourney {
    clock: Arc<dyn Clock>,
    adapter: Arc<dyn ContactCenter>,
    definitions: Arc<Definitions>,
}

impl ContactJourney {
    /// Runs that read the time from `clock`, hand calls to `adapter` and take their versions'
    /// definitions from `definitions` (give it the cluster's ingress once known).
    pub fn new(
        clock: Arc<dyn Clock>,
        adapter: Arc<dyn ContactCenter>,
        definitions: Arc<Definitions>,
    ) -> Self {
        ContactJourney {
            clock,
            adapter,
            definitions,
        }
    }
}

#[restate_sdk::object]
impl ContactJourney {
    /// Enter the version (a second start of the same run changes nothing).
    #[handler]
    async fn start(&self, ctx: ObjectContext<'_>, start: Json<StartRun>) -> HandlerResult<()> {
        let start = start.into_inner();
        if ctx.get::<Json<RunRecord>>("run").await?.is_some() {
            return Ok(());
        }
        let record = RunRecord {
            version: start.version,
            contact_id: start.contact_id,
            state: RunState::new(ctx.key()),
            file: None,
            recorded: Vec::new(),
            path: Vec::new(),
        };
        let input = Input::Start {
            trigger_attributes: start.trigger_attributes,
        };
        self.advance(&ctx, record, input).await
    }

    /// A timer came due.
    #[handler]
    async fn wake(&self, ctx: ObjectContext<'_>, token: String) -> HandlerResult<()> {
        let record = self.existing(&ctx).await?;
        self.advance(&ctx, record, Input::Wake { token }).await
    }

    /// An event for the run: a call's result or a trigger.
    #[handler]
    async fn event(&self, ctx: ObjectContext<'_>, input: Json<Input>) -> HandlerResult<()> {
        let input = input.into_inner();
        let record = self.existing(&ctx).await?;
        self.advance(&ctx, record, input).await
    }

    /// The run's state (for counts by phase and tests).
    #[handler]
    async fn state(&self, ctx: SharedObjectContext<'_>) -> HandlerResult<Json<Option<RunState>>> {
        Ok(Json(
            ctx.get::<Json<RunRecord>>("run")
                .await?
                .map(|Json(r)| r.state),
        ))
    }
}

impl ContactJourney {
    async fn existing(&self, ctx: &ObjectContext<'_>) -> Result<RunRecord, HandlerError> {
        match ctx.get::<Json<RunRecord>>("run").await? {
            Some(Json(record)) => Ok(record),
            // 404: the ingress passes the code on, and the executor refuses with it.
            None => Err(TerminalError::new_with_code(
                404,
                format!("no run {} was started", ctx.key()),
            )
            .into()),
        }
    }

    /// Step the run with `input`, then with what the contact center says about each call the
    /// step requested, until nothing is left to feed back.
    async fn advance(
        &self,
        ctx: &ObjectContext<'_>,
        mut record: RunRecord,
        first: Input,
    ) -> HandlerResult<()> {
        // A finished run takes nothing any more (its moot wakes, a late trigger): no reads.
        if record.state.is_done() {
            return Ok(());
        }
        let lifecycle = ctx
            .object_client::<JourneyVersionClient>(record.version.clone())
            .lifecycle()
            .call();
        // A run's first step reads its contact file too: both calls go out before either is
        // awaited, so they take one round trip.
        let first_file = record.file.is_none().then(|| {
            ctx.object_client::<ContactFileClient>(record.contact_id.clone())
                .read()
                .call()
        });
        let Json(Lifecycle {
            paused,
            stopped,
            generation,
        }) = lifecycle.await?;
        // A stopped version's runs do nothing: a delayed wake or a late result after a stop,
        // or a start that raced it.
        if stopped {
            return Ok(());
        }
        let definition = self.definitions.get(&record.version, generation).await?;
        let mut report = RunReport {
            left: version::gauge(&record.state),
            started: matches!(first, Input::Start { .. }),
            ..RunReport::default()
        };
        // Held by a pause: it registers with its version when it stops, and again when a
        // resume's wake finds the version paused once more (the resume dropped its entry).
        let was_paused = matches!(record.state.phase, Phase::Paused)
            && !matches!(&first, Input::Wake { token } if token == step::RESUME_TOKEN);
        // The contact file was read in this invocation: consent decisions may use the copy.
        let mut fresh = false;
        if let Some(file) = first_file {
            let Json(file) = file.await?;
            record.file = Some(file);
            fresh = true;
        }
        let clock = self.clock.clone();
        let now_ms = ctx
            .run(|| async move { Ok(clock.now().timestamp_millis()) })
            .name("now")
            .await?;
        let now = DateTime::from_timestamp_millis(now_ms).unwrap_or(DateTime::UNIX_EPOCH);
        let mut inputs = vec![first];
        let mut sink = Collected::default();
        let recorded_before = record.recorded.len();
        while let Some(input) = inputs.pop() {
            let before = Before::of(&record.state, &input);
            let (next, effects) = loop {
                let file = record.file.as_ref().unwrap_or(&NO_FILE);
                let Some(contact) = &file.contact else {
                    return Err(TerminalError::new(format!(
                        "contact {} has not been imported",
                        record.contact_id
                    ))
                    .into());
                };
                // Scoped: the context holds a `dyn ConsentLookup`, which must not live across
                // an await.
                let (stepped, consulted) = {
                    let consents = Watched::new(&file.consents, &record.recorded);
                    let step_ctx = StepContext {
                        catalog: &definition.catalog,
                        contact,
                        consents: &consents,
                        paused,
                    };
                    let stepped = step::step(
                        record.state.clone(),
                        &definition.graph,
                        input.clone(),
                        now,
                        &step_ctx,
                    );
                    (stepped, consents.consulted.get())
                };
                // A consent decision is made on the contact file as it is now: read it and
                // step again (the step is a pure function of its inputs).
                if !consulted || fresh {
                    break stepped;
                }
                record.file = Some(read_file(ctx, &record.contact_id).await?);
                fresh = true;
            };
            apply_step(&mut sink, before, &next, &effects, now)?;
            record.state = next;
            record.recorded.append(&mut sink.consents);
            let calls: Vec<_> = sink.calls.drain(..).collect();
            for (key, request) in calls {
                let result = self.dial(ctx, &key, request, now).await?;
                inputs.push(Input::EffectResult {
                    idem_key: key.to_string(),
                    result,
                });
            }
        }
        passages::record(&mut record.path, &sink.counts, now_ms);
        ctx.set("run", Json(record.clone()));
        let me = ctx.key().to_owned();
        for (at, token) in sink.timers {
            // The one place a run's time becomes a real delay: the clock decides.
            let delay = self.clock.real_delay(at - now);
            ctx.object_client::<ContactJourneyClient>(me.clone())
                .wake(token)
                .send_after(delay);
        }
        report.counts = sink.counts;
        report.entered = version::gauge(&record.state);
        report.ended = record.state.is_done();
        if !report.is_empty() {
            ctx.object_client::<VersionTallyClient>(tally::tally_key(&record.version, &me))
                .report(Json(report))
                .send();
        }
        if !was_paused && matches!(record.state.phase, Phase::Paused) {
            ctx.object_client::<JourneyVersionClient>(record.version.clone())
                .hold(me.clone())
                .send();
        }
        if record.recorded.len() > recorded_before {
            ctx.object_client::<ContactFileClient>(record.contact_id.clone())
                .add_consents(Json(record.recorded[recorded_before..].to_vec()))
                .send();
        }
        Ok(())
    }

    /// Hand one call to the contact center under its key, once per journal: a re-executed
    /// `ctx.run` sends the same key again, which the contact center deduplicates.
    async fn dial(
        &self,
        ctx: &ObjectContext<'_>,
        key: &IdemKey,
        call: CallRequest,
        now: DateTime<Utc>,
    ) -> Result<DeliveryResult, HandlerError> {
        let adapter = self.adapter.clone();
        let request = DeliveryRequest {
            idem_key: key.to_string(),
            call,
        };
        let Json(result) = ctx
            .run(|| async move {
                let sent =
                    tokio::task::spawn_blocking(move || adapter.create_delivery(&request, now))
                        .await
                        .map_err(|e| HandlerError::from(e.to_string()))?;
                match sent {
                    Ok(_) => Ok(Json(DeliveryResult::Accepted)),
                    Err(CcError::Permanent(reason)) => {
                        Ok(Json(DeliveryResult::Rejected { reason }))
                    }
                    // Retried by Restate under the same key.
                    Err(other) => Err(HandlerError::from(other)),
                }
            })
            .name("dial")
            .await?;
        Ok(result)
    }
}

/// What one invocation's steps asked for, carried out after the state is set.
#[derive(Default)]
struct Collected {
    timers: Vec<(DateTime<Utc>, String)>,
    calls: Vec<(IdemKey, CallRequest)>,
    counts: Vec<(String, String)>,
    consents: Vec<ConsentRecord>,
}

/// A `StepSink` error: the step asked for something a Virtual Object cannot do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(String);

impl StepSink for Collected {
    type Error = SinkError;

    fn schedule(&mut self, at: DateTime<Utc>, input: &Input) -> Result<(), SinkError> {
        match input {
            Input::Wake { token } => {
                self.timers.push((at, token.clone()));
                Ok(())
            }
            other => Err(SinkError(format!(
                "only wakes can be scheduled on Restate, not {other:?}"
            ))),
        }
    }

    // A delayed call cannot be cancelled: the moot wake arrives and the step ignores it.
    fn cancel_timer(&mut self, _token: &str) -> Result<(), SinkError> {
        Ok(())
    }

    // Events reach a run by its key (the call's idempotency key starts with it; a trigger
    // names the run), so there is no routing table to open or close.
    fn open_wait(&mut self, _corr: &str, _deadline: DateTime<Utc>) -> Result<(), SinkError> {
        Ok(())
    }

    fn close_wait(&mut self) -> Result<(), SinkError> {
        Ok(())
    }

    fn request_call(&mut self, key: &IdemKey, request: &CallRequest) -> Result<(), SinkError> {
        self.calls.push((key.clone(), request.clone()));
        Ok(())
    }

    fn count(&mut self, tile: &str, outcome: &CountOutcome) -> Result<(), SinkError> {
        self.counts
            .push((tile.to_owned(), crate::storage::count_key(outcome)));
        Ok(())
    }

    fn record_consent(&mut self, record: &ConsentRecord) -> Result<(), SinkError> {
        self.consents.push(record.clone());
        Ok(())
    }

    // Its pending wakes arrive after the end and change nothing.
    fn end_run(&mut self) -> Result<(), SinkError> {
        Ok(())
    }
}
