//! [`RestateExecutor`]: the [`Executor`] trait over a Restate cluster's ingress.
//!
//! Runs, their timers, dials, counts and contact files live in the cluster's Virtual Objects.
//! Version metadata (numbers, states, content hashes, documents), the catalog, the API tokens
//! and a directory of imported contacts live in a small SQLite [`Store`] of this process: the
//! publish rules (`journeys::lifecycle::plan_publish`, validation, numbering) are then the
//! SQLite executor's code, not a second copy. The store holds no runs, so its worker is not
//! started. One consequence: one `serve --engine restate` process per metadata file.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock};

use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::Journey;
use journeys::lifecycle::VersionState;
use journeys::step::{EventPayload, Input};

use super::{Admin, Ingress, IngressError, VersionDefinition, entry_run_key};
use crate::adapters::InteractionEvent;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::storage::{
    OutcomeAccepted, Published, SegmentDefinition, Status, Store, TriggerAccepted, TriggerEvent,
    VersionAction, VersionCounts, VersionDocument, VersionInfo, VersionSummary,
};

mod handoff;
mod imports;
mod rounds;
mod tiles;

const CATALOG_KEY: &str = "catalog";

impl From<IngressError> for Error {
    fn from(error: IngressError) -> Self {
        match error {
            IngressError::Unreachable { .. } => Error::Unavailable(error.to_string()),
            IngressError::Refused { status: 404, .. } => Error::NotFound(error.to_string()),
            IngressError::Refused { .. } | IngressError::BadInput(_) => {
                Error::BadInput(error.to_string())
            }
            IngressError::Unreadable { .. } => Error::Corrupt(error.to_string()),
        }
    }
}

/// The executor of `serve --engine restate`.
pub struct RestateExecutor {
    pub(super) ingress: Ingress,
    /// The admin API: the state of many runs at once (`tiles`).
    admin: Admin,
    pub(super) store: Store,
    pub(super) clock: Arc<dyn Clock>,
    catalog: RwLock<Arc<Catalog>>,
    /// One hand-over of enrolments at a time (`handoff`).
    handing_over: Mutex<()>,
    /// Versions the cluster has the definition of (`handoff`).
    defined: Mutex<HashSet<(String, i64)>>,
}

impl RestateExecutor {
    /// Over the cluster behind `ingress` and `admin`, with version metadata in `store`.
    pub fn open(
        ingress: Ingress,
        admin: Admin,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let catalog = match store.meta(CATALOG_KEY)? {
            Some(text) => Catalog::from_json(&text).map_err(|e| Error::Corrupt(e.to_string()))?,
            None => Catalog::default(),
        };
        Ok(RestateExecutor {
            ingress,
            admin,
            store,
            clock,
            catalog: RwLock::new(Arc::new(catalog)),
            handing_over: Mutex::new(()),
            defined: Mutex::new(HashSet::new()),
        })
    }

    /// The metadata store (tokens live there).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The version the cluster's runs read: stored again on every publish, so a publish that
    /// failed to reach the cluster is repaired by publishing the same journey again.
    fn define(&self, journey_id: &str, number: i64) -> Result<()> {
        let document = self.store.version_document(journey_id, number)?;
        let definition = VersionDefinition {
            journey: document.journey,
            catalog: (*self.catalog()).clone(),
        };
        self.ingress
            .define_version(journey_id, number, &definition)?;
        // Its enrolments may go to the cluster now (`handoff`).
        self.store
            .set_meta(&handoff::defined_key(journey_id, number), "1")
    }

    /// A marker in the metadata store; false when it was there already.
    fn mark(&self, key: &str) -> Result<bool> {
        if self.store.meta(key)?.is_some() {
            return Ok(false);
        }
        self.store.set_meta(key, "1")?;
        Ok(true)
    }
}

impl Executor for RestateExecutor {
    /// Publish with the SQLite executor's rules; a segment journey's members are admitted in
    /// the metadata store (`journeys::lifecycle::segment_bar`) and handed to the cluster by
    /// the hand-over loop once the version's definition is there.
    fn publish(&self, journey: &Journey) -> Result<Published> {
        // A pause past its limit is a stop before the publish rules read the state.
        self.sync_lifecycle()?;
        let paused: Vec<i64> = self
            .store
            .list_versions(&journey.id)?
            .into_iter()
            .filter(|v| v.state == VersionState::Paused)
            .map(|v| v.number)
            .collect();
        let catalog = self.catalog.read().unwrap_or_else(|p| p.into_inner());
        let published = self.store.publish(journey, &catalog, self.clock.now())?;
        drop(catalog);
        self.define(&journey.id, published.version.number)?;
        if published.created {
            // A paused version this one supersedes completes: the contacts its pause held go
            // on in it, as on the SQLite executor (`sync_lifecycle` repeats this if it fails).
            for number in paused {
                self.ingress.resume_version(&journey.id, number)?;
            }
        }
        Ok(published)
    }

    fn publish_from(&self, journey: &Journey, computer: Option<&str>) -> Result<Published> {
        self.store.publish_from(computer, || self.publish(journey))
    }

    /// States, computers and dates from the version metadata; the contacts in flight,
    /// finished and stopped from the cluster.
    fn version_summaries(&self, journey_id: &str) -> Result<Vec<VersionSummary>> {
        self.summaries(journey_id)
    }

    fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>> {
        self.sync_lifecycle()?;
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
        self.change_state(journey_id, number, action)
    }

    /// Enrolled in the metadata store (once per entry key), handed to the cluster at once.
    fn start_run(&self, journey_id: &str, contact_id: &str, entry_key: &str) -> Result<bool> {
        let started = self
            .store
            .start_run(journey_id, contact_id, entry_key, self.clock.now())?;
        self.hand_over()?;
        Ok(started)
    }

    fn post_trigger(&self, event: &TriggerEvent) -> Result<TriggerAccepted> {
        let marker = format!("restate:trigger:{}", event.event_id);
        if self.store.meta(&marker)?.is_some() {
            return Ok(TriggerAccepted {
                duplicate: true,
                enrolled: 0,
                delivered: 0,
            });
        }
        let input = Input::Event {
            corr: format!("trigger:{}", event.trigger),
            payload: EventPayload::Trigger {
                name: event.trigger.clone(),
                attributes: event.attributes.clone(),
            },
        };
        // To the contact's runs on live and paused versions (before the runs this trigger
        // starts exist, as on SQLite): its latest run on each version with a tile waiting for
        // this trigger (a repeating journey's current round); one that ended refuses nothing
        // and changes nothing.
        let mut delivered = 0;
        for version in self.store.active_versions()? {
            if !version.journey.waits_for_trigger(&event.trigger) {
                continue;
            }
            let Some(entry) =
                self.store
                    .latest_entry(&version.journey_id, version.number, &event.contact_id)?
            else {
                continue;
            };
            let key = entry_run_key(
                &version.journey_id,
                version.number,
                &event.contact_id,
                &entry,
            );
            match self
                .ingress
                .send_event(&key, &input, &format!("{}:{key}", event.event_id))
            {
                Ok(()) => delivered += 1,
                Err(IngressError::Refused { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        // Enrolled by the SQLite executor's rules (listening live versions, their window and
        // conditions; one run per event id) in the metadata store, handed to the cluster now.
        let enrolled = self.store.post_trigger(event, self.clock.now())?.enrolled;
        self.hand_over()?;
        self.mark(&marker)?;
        Ok(TriggerAccepted {
            duplicate: false,
            enrolled,
            delivered,
        })
    }

    fn post_outcome(&self, event: &InteractionEvent) -> Result<OutcomeAccepted> {
        let marker = format!("restate:outcome:{}", event.event_id);
        if self.store.meta(&marker)?.is_some() {
            return Ok(OutcomeAccepted { duplicate: true });
        }
        // Restate takes the event id as idempotency key too: a retry after a lost answer
        // still reaches the run once. A result for a run that was never started is refused.
        if let Err(error) = self.ingress.post_outcome(event) {
            tracing::warn!(event = %event.event_id, key = %event.idem_key, %error, "call result refused");
            return Err(error.into());
        }
        self.mark(&marker)?;
        Ok(OutcomeAccepted { duplicate: false })
    }

    /// Read from the runs' own state in the cluster (`tiles`).
    fn tile_contacts(
        &self,
        journey_id: &str,
        number: i64,
        query: &crate::storage::TileContactsQuery,
    ) -> Result<crate::storage::TileContactsPage> {
        self.contacts_at_tile(journey_id, number, query)
    }

    fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        self.version_counts(journey_id, number)
    }

    fn import_contacts(&self, contacts: &[Contact]) -> Result<usize> {
        self.import_to_cluster(contacts)
    }

    fn import_consents(&self, records: &[ConsentRecord]) -> Result<usize> {
        self.consents_to_cluster(records)
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
        self.overall_status()
    }

    fn ready(&self) -> Result<bool> {
        match self.ingress.contact("readiness-probe") {
            Ok(_) => Ok(true),
            Err(IngressError::Unreachable { .. }) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }
}
