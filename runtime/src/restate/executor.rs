//! [`RestateExecutor`]: the [`Executor`] trait over a Restate cluster's ingress.
//!
//! Runs, their timers, dials, counts and contact files live in the cluster's Virtual Objects.
//! Version metadata (numbers, states, content hashes, documents), the catalog, the API tokens
//! and a directory of imported contacts live in a small SQLite [`Store`] of this process: the
//! publish rules (`journeys::lifecycle::plan_publish`, validation, numbering) are then the
//! SQLite executor's code, not a second copy. The store holds no runs, so its worker is not
//! started. One consequence: one `serve --engine restate` process per metadata file.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, RwLock};

use journeys::catalog::Catalog;
use journeys::compliance::ContactPoint;
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::{Journey, StartCondition};
use journeys::lifecycle::VersionState;
use journeys::step::{EventPayload, Input};

use super::{Ingress, IngressError, VersionDefinition, run_key};
use crate::adapters::InteractionEvent;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::storage::{
    OutcomeAccepted, Published, SegmentDefinition, Status, Store, TriggerAccepted, TriggerEvent,
    VersionAction, VersionCounts, VersionDocument, VersionInfo, VersionSummary,
};

const CATALOG_KEY: &str = "catalog";
/// A segment's definition, kept to refuse publishes that would need segment admission.
const SEGMENT_PREFIX: &str = "restate:segment:";

/// What the Restate engine does not do yet, as the error its callers get.
fn not_yet(what: &str) -> Error {
    Error::Conflict(format!("{what} is not supported by the Restate engine yet"))
}

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
    pub(super) store: Store,
    pub(super) clock: Arc<dyn Clock>,
    catalog: RwLock<Arc<Catalog>>,
}

impl RestateExecutor {
    /// Over the cluster behind `ingress`, with version metadata in `store`.
    pub fn open(ingress: Ingress, store: Store, clock: Arc<dyn Clock>) -> Result<Self> {
        let catalog = match store.meta(CATALOG_KEY)? {
            Some(text) => Catalog::from_json(&text).map_err(|e| Error::Corrupt(e.to_string()))?,
            None => Catalog::default(),
        };
        Ok(RestateExecutor {
            ingress,
            store,
            clock,
            catalog: RwLock::new(Arc::new(catalog)),
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
        Ok(self
            .ingress
            .define_version(journey_id, number, &definition)?)
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
    fn publish(&self, journey: &Journey) -> Result<Published> {
        // Segment admission is not built here: a segment start whose segments would admit
        // anyone is refused before anything is stored, rather than published admitting nobody.
        if let Some(StartCondition::Segment(segment)) = journey.start_condition() {
            for id in &segment.segment_ids {
                let Some(text) = self.store.meta(&format!("{SEGMENT_PREFIX}{id}"))? else {
                    continue; // the publish below reports the unknown segment
                };
                let definition: SegmentDefinition =
                    serde_json::from_str(&text).map_err(|e| Error::Corrupt(e.to_string()))?;
                if definition
                    != (SegmentDefinition::Static {
                        contact_ids: vec![],
                    })
                {
                    return Err(not_yet(&format!(
                        "admitting the members of segment {id} at publish"
                    )));
                }
            }
        }
        // A pause past its limit is a stop before the publish rules read the state.
        self.sync_lifecycle()?;
        let catalog = self.catalog.read().unwrap_or_else(|p| p.into_inner());
        let published = self.store.publish(journey, &catalog, self.clock.now())?;
        drop(catalog);
        self.define(&journey.id, published.version.number)?;
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

    fn start_run(&self, journey_id: &str, contact_id: &str, entry_key: &str) -> Result<bool> {
        let live = self
            .store
            .list_versions(journey_id)?
            .into_iter()
            .rfind(|v| v.state == VersionState::Live)
            .ok_or_else(|| Error::NotFound(format!("journey {journey_id} has no live version")))?;
        if self.ingress.contact(contact_id)?.contact.is_none() {
            return Err(Error::NotFound(format!("no contact {contact_id}")));
        }
        // Per version, as the SQLite executor's (version, contact, entry key) is unique.
        let marker = format!(
            "restate:entry:{journey_id}:{}:{contact_id}:{entry_key}",
            live.number
        );
        if self.store.meta(&marker)?.is_some() {
            return Ok(false);
        }
        self.ingress
            .start_run(journey_id, live.number, contact_id, BTreeMap::new())?;
        self.mark(&marker)
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
        // To the contact's runs on live and paused versions; a version it has no run on
        // refuses the call. Starting runs by trigger is not built here yet.
        let mut delivered = 0;
        for version in self.store.active_versions()? {
            let key = run_key(&version.journey_id, version.number, &event.contact_id);
            match self
                .ingress
                .send_event(&key, &input, &format!("{}:{key}", event.event_id))
            {
                Ok(()) => delivered += 1,
                Err(IngressError::Refused { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        self.mark(&marker)?;
        Ok(TriggerAccepted {
            duplicate: false,
            enrolled: 0,
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

    fn tile_contacts(
        &self,
        _: &str,
        _: i64,
        _: &crate::storage::TileContactsQuery,
    ) -> Result<crate::storage::TileContactsPage> {
        Err(not_yet("listing the contacts at a tile"))
    }

    fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        self.version_counts(journey_id, number)
    }

    fn import_contacts(&self, contacts: &[Contact]) -> Result<usize> {
        for contact in contacts {
            self.ingress.put_contact(contact, &[])?;
            for point in [
                &contact.mobile_phone,
                &contact.business_phone,
                &contact.home_phone,
            ]
            .into_iter()
            .filter_map(|phone| ContactPoint::parse(phone.as_deref()).ok())
            {
                let key = format!("restate:point:{}", point.as_str());
                let mut ids: Vec<String> = match self.store.meta(&key)? {
                    Some(text) => {
                        serde_json::from_str(&text).map_err(|e| Error::Corrupt(e.to_string()))?
                    }
                    None => Vec::new(),
                };
                if !ids.contains(&contact.id) {
                    ids.push(contact.id.clone());
                    let text =
                        serde_json::to_string(&ids).map_err(|e| Error::Corrupt(e.to_string()))?;
                    self.store.set_meta(&key, &text)?;
                }
            }
        }
        // The directory of contacts (and their numbers) for the consent import's checks.
        self.store.import_contacts(contacts, self.clock.now())
    }

    fn import_consents(&self, records: &[ConsentRecord]) -> Result<usize> {
        let mut by_contact: BTreeMap<String, Vec<ConsentRecord>> = BTreeMap::new();
        for record in records {
            let point = ContactPoint::parse(Some(&record.contact_point))
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|_| record.contact_point.clone());
            let key = format!("restate:point:{point}");
            let ids: Vec<String> = match self.store.meta(&key)? {
                Some(text) => {
                    serde_json::from_str(&text).map_err(|e| Error::Corrupt(e.to_string()))?
                }
                None => Vec::new(),
            };
            for id in ids {
                by_contact.entry(id).or_default().push(record.clone());
            }
        }
        for (contact_id, records) in by_contact {
            let file = self.ingress.contact(&contact_id)?;
            let contact = file
                .contact
                .ok_or_else(|| Error::Corrupt(format!("contact {contact_id} has no file")))?;
            self.ingress.put_contact(&contact, &records)?;
        }
        Ok(records.len())
    }

    fn contact_points(&self) -> Result<HashSet<String>> {
        self.store.contact_points()
    }

    fn put_segment(&self, id: &str, definition: &SegmentDefinition) -> Result<()> {
        let text = serde_json::to_string(definition).map_err(|e| Error::BadInput(e.to_string()))?;
        self.store.put_segment(id, definition)?;
        self.store.set_meta(&format!("{SEGMENT_PREFIX}{id}"), &text)
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
