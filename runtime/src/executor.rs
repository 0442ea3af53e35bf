//! Executors: where runs live. [`Executor`] is what the HTTP API and embedders call;
//! [`SqliteExecutor`] is the embedded one (a later Restate executor implements the same
//! trait around the same [`journeys::step::step`]).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};

use chrono::{DateTime, Utc};
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::Journey;

use crate::adapters::{CcError, ContactCenter, InteractionEvent};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::storage::{
    OutcomeAccepted, Published, SegmentDefinition, SendResult, Status, Store, TileContactsPage,
    TileContactsQuery, TriggerAccepted, TriggerEvent, VersionAction, VersionCounts,
    VersionDocument, VersionInfo, VersionSummary, retry_delay,
};

/// How many work rows, requests or results one transaction handles.
pub const BATCH: usize = 512;

/// What any executor offers: publish, enroll, deliver events, report.
pub trait Executor: Send + Sync {
    /// Publish a version (the current version's content again → that version; errors →
    /// [`Error::Invalid`]).
    fn publish(&self, journey: &Journey) -> Result<Published>;
    /// [`Executor::publish`], recording on a new version the computer it came from (a bad
    /// name is refused before anything is published).
    fn publish_from(&self, journey: &Journey, computer: Option<&str>) -> Result<Published>;
    /// Versions of a journey with their state, computer and contacts, oldest first.
    fn version_summaries(&self, journey_id: &str) -> Result<Vec<VersionSummary>>;
    /// Versions of a journey.
    fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>>;
    /// One version with the journey it published.
    fn version_document(&self, journey_id: &str, number: i64) -> Result<VersionDocument>;
    /// Pause, resume or stop a version.
    fn set_version_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
    ) -> Result<VersionInfo>;
    /// Start one contact on the journey's live version; false when `entry_key` was used.
    fn start_run(&self, journey_id: &str, contact_id: &str, entry_key: &str) -> Result<bool>;
    /// A trigger for a contact.
    fn post_trigger(&self, event: &TriggerEvent) -> Result<TriggerAccepted>;
    /// A call's final result.
    fn post_outcome(&self, event: &InteractionEvent) -> Result<OutcomeAccepted>;
    /// Per-tile counts of a version.
    fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts>;
    /// A page of the contacts at a tile of a version (see [`Store::tile_contacts`]).
    fn tile_contacts(
        &self,
        journey_id: &str,
        number: i64,
        query: &TileContactsQuery,
    ) -> Result<TileContactsPage>;
    /// Insert or replace contacts (segment journeys admitting joiners enroll new members).
    fn import_contacts(&self, contacts: &[Contact]) -> Result<usize>;
    /// Insert consent records (newest per key wins).
    fn import_consents(&self, records: &[ConsentRecord]) -> Result<usize>;
    /// The normalised phone numbers stored contacts have (consent for others is reported).
    fn contact_points(&self) -> Result<HashSet<String>>;
    /// Create or replace a segment.
    fn put_segment(&self, id: &str, definition: &SegmentDefinition) -> Result<()>;
    /// Every segment, by id.
    fn segments(&self) -> Result<Vec<journeys::catalog::SegmentRef>>;
    /// The catalog publish validates against and runs decide with.
    fn catalog(&self) -> Arc<Catalog>;
    /// Replace the catalog.
    fn set_catalog(&self, catalog: Catalog) -> Result<()>;
    /// Overall state.
    fn status(&self) -> Result<Status>;
    /// Ready to take work: storage answers and the worker runs.
    fn ready(&self) -> Result<bool>;
}

/// The embedded executor: one SQLite file, one worker thread.
pub struct SqliteExecutor {
    store: Store,
    clock: Arc<dyn Clock>,
    adapter: Arc<dyn ContactCenter>,
    catalog: RwLock<Arc<Catalog>>,
    wake: (Mutex<bool>, Condvar),
    shutdown: AtomicBool,
    worker_running: AtomicBool,
    abort_after_sends: Option<usize>,
}

/// Fault injection for crash tests: abort the process right after the adapter has taken
/// this many rounds of requests, before their acknowledgement is committed (the send window).
pub const FAULT_ABORT_AFTER_SENDS: &str = "JOURNEYS_RUNTIME_FAULT_ABORT_AFTER_SENDS";

const CATALOG_KEY: &str = "catalog";

impl SqliteExecutor {
    /// Open the store, load the catalog, recover the outbox after a crash.
    pub fn open(
        store: Store,
        clock: Arc<dyn Clock>,
        adapter: Arc<dyn ContactCenter>,
    ) -> Result<Self> {
        if clock.is_virtual()
            && let Some(at) = store.last_clock()?
        {
            clock.advance_to(at);
        }
        let catalog = match store.meta(CATALOG_KEY)? {
            Some(text) => Catalog::from_json(&text).map_err(|e| Error::Corrupt(e.to_string()))?,
            None => Catalog::default(),
        };
        store.recover_outbox(adapter.capabilities().dedupes_request_id, clock.now())?;
        Ok(SqliteExecutor {
            store,
            clock,
            adapter,
            catalog: RwLock::new(Arc::new(catalog)),
            wake: (Mutex::new(false), Condvar::new()),
            shutdown: AtomicBool::new(false),
            worker_running: AtomicBool::new(false),
            abort_after_sends: std::env::var(FAULT_ABORT_AFTER_SENDS)
                .ok()
                .and_then(|v| v.parse().ok()),
        })
    }

    /// The clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Tell the worker new work is due.
    pub fn notify(&self) {
        let (flag, condvar) = &self.wake;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        condvar.notify_one();
    }

    /// Ask the worker to stop after its current batch.
    pub fn stop_worker(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
        self.notify();
    }

    /// One round: run due work, send pending requests, take in due results. Returns how
    /// much it did (0 = idle).
    pub fn tick(&self) -> Result<usize> {
        let now = self.clock.now();
        let catalog = self.catalog();
        let mut done = self.store.run_lifecycle(now)?;
        done += self.store.run_due(&catalog, now, BATCH)?;
        let requests = self.store.claim_outbox(now, BATCH)?;
        if !requests.is_empty() {
            let answers = self.adapter.create_deliveries(&requests, now);
            if let Some(rounds) = self.abort_after_sends {
                static SENT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                if SENT.fetch_add(1, Ordering::SeqCst) + 1 >= rounds {
                    tracing::error!("fault injection: aborting inside the send window");
                    std::process::abort();
                }
            }
            let results: Vec<(String, SendResult)> = requests
                .iter()
                .zip(answers)
                .map(|(request, answer)| {
                    let result = match answer {
                        Ok(ack) => SendResult::Acked {
                            delivery_id: ack.delivery_id,
                        },
                        Err(CcError::Transient(reason)) => {
                            tracing::warn!(key = %request.idem_key, %reason, "call request will be retried");
                            SendResult::Retry {
                                at: now + retry_delay(),
                            }
                        }
                        Err(CcError::Permanent(reason)) => SendResult::Failed { reason },
                    };
                    (request.idem_key.clone(), result)
                })
                .collect();
            self.store.finish_outbox(&results, now)?;
            done += requests.len();
        }
        let events = self
            .adapter
            .poll_results(now, BATCH)
            .map_err(|e| Error::BadInput(e.to_string()))?;
        if !events.is_empty() {
            let answers = self.store.ingest_outcomes(&events, now)?;
            for (event, answer) in events.iter().zip(&answers) {
                if let Err(error) = answer {
                    tracing::warn!(event = %event.event_id, %error, "simulator result not routed");
                }
            }
            let ids: Vec<String> = events.iter().map(|e| e.event_id.clone()).collect();
            self.adapter
                .ack_results(&ids)
                .map_err(|e| Error::BadInput(e.to_string()))?;
            done += events.len();
        }
        Ok(done)
    }

    /// When something is next due (work, a retry, a simulated result).
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let work = self.store.next_due()?;
        let results = self
            .adapter
            .next_result_due()
            .map_err(|e| Error::BadInput(e.to_string()))?;
        Ok(match (work, results) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Run ticks until nothing is due now; a virtual clock then jumps to the next due
    /// instant, a real one waits for it or for [`SqliteExecutor::notify`].
    pub fn run_worker(&self) {
        /// Clears the running flag however the loop ends, panics included.
        struct Running<'a>(&'a AtomicBool);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        self.worker_running.store(true, Ordering::SeqCst);
        let _running = Running(&self.worker_running);
        while !self.shutdown.load(Ordering::SeqCst) {
            match self.tick() {
                Ok(0) => {}
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!(%error, "worker round failed; retrying");
                    self.sleep(std::time::Duration::from_millis(200));
                    continue;
                }
            }
            let next = match self.next_due() {
                Ok(next) => next,
                Err(error) => {
                    tracing::error!(%error, "reading the next due instant failed");
                    None
                }
            };
            let now = self.clock.now();
            match next {
                Some(at) if self.clock.is_virtual() => {
                    self.clock.advance_to(at);
                    if let Err(error) = self.store.save_clock(self.clock.now()) {
                        tracing::error!(%error, "saving the virtual clock failed");
                    }
                }
                Some(at) if at > now => {
                    let wait = (at - now)
                        .to_std()
                        .unwrap_or_default()
                        .min(std::time::Duration::from_millis(250));
                    self.sleep(wait);
                }
                Some(_) => {}
                None => self.sleep(std::time::Duration::from_millis(250)),
            }
        }
    }

    /// Wait up to `limit`, or until notified.
    fn sleep(&self, limit: std::time::Duration) {
        let (flag, condvar) = &self.wake;
        let mut woken = flag.lock().unwrap_or_else(|p| p.into_inner());
        if !*woken {
            woken = condvar
                .wait_timeout(woken, limit)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|p| p.into_inner().0);
        }
        *woken = false;
    }

    /// Whether a worker loop is running.
    pub fn worker_running(&self) -> bool {
        self.worker_running.load(Ordering::SeqCst)
    }

    /// The store (for embedders that read counts or status directly).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl Executor for SqliteExecutor {
    fn publish(&self, journey: &Journey) -> Result<Published> {
        // The catalog stays read-locked until the version is stored, so a catalog replacement
        // (which takes the write lock for its check and swap) sees this version or runs first.
        let catalog = self.catalog.read().unwrap_or_else(|p| p.into_inner());
        let published = self.store.publish(journey, &catalog, self.clock.now())?;
        drop(catalog);
        self.notify();
        Ok(published)
    }

    fn publish_from(&self, journey: &Journey, computer: Option<&str>) -> Result<Published> {
        self.store.publish_from(computer, || self.publish(journey))
    }

    fn version_summaries(&self, journey_id: &str) -> Result<Vec<VersionSummary>> {
        self.store.version_summaries(journey_id, self.clock.now())
    }

    fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>> {
        self.store.list_versions(journey_id)
    }

    fn version_document(&self, journey_id: &str, number: i64) -> Result<VersionDocument> {
        self.store.version_document(journey_id, number)
    }

    fn set_version_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
    ) -> Result<VersionInfo> {
        let info = self
            .store
            .set_version_state(journey_id, number, action, self.clock.now())?;
        self.notify();
        Ok(info)
    }

    fn start_run(&self, journey_id: &str, contact_id: &str, entry_key: &str) -> Result<bool> {
        let started = self
            .store
            .start_run(journey_id, contact_id, entry_key, self.clock.now())?;
        self.notify();
        Ok(started)
    }

    fn post_trigger(&self, event: &TriggerEvent) -> Result<TriggerAccepted> {
        let accepted = self.store.post_trigger(event, self.clock.now())?;
        self.notify();
        Ok(accepted)
    }

    fn post_outcome(&self, event: &InteractionEvent) -> Result<OutcomeAccepted> {
        let mut answers = self
            .store
            .ingest_outcomes(std::slice::from_ref(event), self.clock.now())?;
        self.notify();
        answers
            .pop()
            .unwrap_or_else(|| Err(Error::Corrupt("no answer for the outcome".into())))
    }

    fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        self.store.counts(journey_id, number)
    }

    fn tile_contacts(
        &self,
        journey_id: &str,
        number: i64,
        q: &TileContactsQuery,
    ) -> Result<TileContactsPage> {
        self.store
            .tile_contacts(journey_id, number, &q.tile, &q.at, q.after, q.limit)
    }

    fn import_contacts(&self, contacts: &[Contact]) -> Result<usize> {
        let n = self.store.import_contacts(contacts, self.clock.now())?;
        self.notify();
        Ok(n)
    }

    fn import_consents(&self, records: &[ConsentRecord]) -> Result<usize> {
        self.store.import_consents(records)
    }

    fn contact_points(&self) -> Result<HashSet<String>> {
        self.store.contact_points()
    }

    fn put_segment(&self, id: &str, definition: &SegmentDefinition) -> Result<()> {
        self.store.put_segment(id, definition)
    }

    fn segments(&self) -> Result<Vec<journeys::catalog::SegmentRef>> {
        self.store.segments()
    }

    fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_catalog(&self, catalog: Catalog) -> Result<()> {
        if let Some(problem) = crate::contract::catalog_problem(&catalog) {
            return Err(Error::BadInput(problem));
        }
        // Check, store and swap under the write lock: a publish (which holds the read lock
        // until its version is stored) cannot slip a user of a removed item in between.
        // Lock order everywhere: catalog, then the store.
        let mut current = self.catalog.write().unwrap_or_else(|p| p.into_inner());
        let conflicts =
            crate::contract::catalog_conflicts(&current, &catalog, &self.store.active_versions()?);
        if !conflicts.is_empty() {
            return Err(Error::CatalogInUse(conflicts));
        }
        let text = serde_json::to_string(&catalog).map_err(|e| Error::BadInput(e.to_string()))?;
        self.store.set_meta(CATALOG_KEY, &text)?;
        *current = Arc::new(catalog);
        Ok(())
    }

    fn status(&self) -> Result<Status> {
        self.store.status(self.clock.now())
    }

    fn ready(&self) -> Result<bool> {
        self.store.meta("clock")?;
        Ok(self.worker_running())
    }
}

#[cfg(test)]
mod tests;
