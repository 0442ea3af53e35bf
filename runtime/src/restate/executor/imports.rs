//! Contacts and consents into the cluster's contact files, several calls in flight at once,
//! with the metadata store's directory of numbers written in one transaction.

use std::collections::BTreeMap;

use journeys::compliance::ContactPoint;
use journeys::contact::{ConsentRecord, Contact};

use super::RestateExecutor;
use crate::error::{Error, Result};
use crate::restate::IngressError;

/// How many calls are in flight to the ingress at once.
const SENDERS: usize = 32;

/// The meta key of a number's contacts.
fn point_key(point: &str) -> String {
    format!("restate:point:{point}")
}

/// A contact's numbers that are numbers.
fn points_of(contact: &Contact) -> impl Iterator<Item = ContactPoint> + '_ {
    [
        &contact.mobile_phone,
        &contact.business_phone,
        &contact.home_phone,
    ]
    .into_iter()
    .filter_map(|phone| ContactPoint::parse(phone.as_deref()).ok())
}

/// `f` over `items`, `SENDERS` at a time; the first error.
fn in_parallel<T: Sync>(
    items: &[T],
    f: impl Fn(&T) -> std::result::Result<(), IngressError> + Sync,
) -> Result<()> {
    let chunk = items.len().div_ceil(SENDERS).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().try_for_each(&f)))
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| Error::Corrupt("an import thread panicked".into()))??;
        }
        Ok(())
    })
}

impl RestateExecutor {
    /// Contact files to the cluster first (a joiner's run reads its file), each with the
    /// consent records already kept for its numbers (consent may be imported before the
    /// contacts), then the directory of numbers and the store's contacts (which admits joiners
    /// of live segment journeys).
    pub(super) fn import_to_cluster(&self, contacts: &[Contact]) -> Result<usize> {
        let files = contacts
            .iter()
            .map(|contact| {
                let points: Vec<String> =
                    points_of(contact).map(|p| p.as_str().to_owned()).collect();
                Ok((contact, self.store.consents_for_points(&points)?))
            })
            .collect::<Result<Vec<_>>>()?;
        in_parallel(&files, |(contact, consents)| {
            self.ingress.put_contact(contact, consents)
        })?;
        let mut directory: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for contact in contacts {
            for point in points_of(contact) {
                let key = point_key(point.as_str());
                let ids = match directory.entry(key.clone()) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(self.point_contacts(&key)?)
                    }
                };
                if !ids.contains(&contact.id) {
                    ids.push(contact.id.clone());
                }
            }
        }
        let rows = directory
            .into_iter()
            .map(|(key, ids)| {
                serde_json::to_string(&ids)
                    .map(|text| (key, text))
                    .map_err(|e| Error::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        self.store.set_metas(&rows)?;
        self.store.import_contacts(contacts, self.clock.now())
    }

    /// Each record kept in the metadata store by its number (for contacts imported later),
    /// and sent to the contact files of the contacts with its number.
    pub(super) fn consents_to_cluster(&self, records: &[ConsentRecord]) -> Result<usize> {
        let mut by_contact: BTreeMap<String, Vec<ConsentRecord>> = BTreeMap::new();
        let mut kept = Vec::with_capacity(records.len());
        for record in records {
            let point = ContactPoint::parse(Some(&record.contact_point))
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|_| record.contact_point.clone());
            for id in self.point_contacts(&point_key(&point))? {
                by_contact.entry(id).or_default().push(record.clone());
            }
            kept.push(ConsentRecord {
                contact_point: point,
                ..record.clone()
            });
        }
        self.store.import_consents(&kept)?;
        let files: Vec<_> = by_contact.into_iter().collect();
        in_parallel(&files, |(contact_id, records)| {
            let contact = self.ingress.contact(contact_id)?.contact.ok_or_else(|| {
                IngressError::BadInput(format!("contact {contact_id} has no file"))
            })?;
            self.ingress.put_contact(&contact, records)
        })?;
        Ok(records.len())
    }

    fn point_contacts(&self, key: &str) -> Result<Vec<String>> {
        match self.store.meta(key)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::Corrupt(e.to_string())),
            None => Ok(Vec::new()),
        }
    }
}
