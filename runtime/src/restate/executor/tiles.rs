//! The contacts at a tile on Restate. Where each run stands and the tiles it visited live in
//! the run's own state (`ContactJourney`'s record and its `path`, see `passages.rs`), in the
//! cluster's replicated partition stores; this reads a version's runs from there through the
//! admin API's SQL ([`crate::restate::Admin`]), so the answer holds after a failover and costs
//! a run's step nothing. The metadata store adds what the SQLite executor's answer has: the
//! run ids of its enrolment ledger (page order and cursor), the imported contacts' phone and
//! zone, and the version's state (a stopped version's active runs count as stopped). A
//! repeating journey's rounds are runs of their own (`restate/rounds.rs`), a row each as on
//! SQLite.
//!
//! A page reads the whole version's runs from the cluster and keeps those after the cursor:
//! one query per page, proportional to the version's runs.

use journeys::lifecycle::VersionState;

use super::RestateExecutor;
use crate::core::RunStatus;
use crate::error::{Error, Result};
use crate::restate::passages::Visit;
use crate::restate::{RunRecord, entry_run_key, run_key};
use crate::storage::{ContactAtTile, ContactsAt, TileContactsPage, TileContactsQuery, from_millis};

impl RestateExecutor {
    /// A page of the contacts at a tile of a version, as [`crate::storage::Store::tile_contacts`]
    /// answers it on SQLite.
    pub(super) fn contacts_at_tile(
        &self,
        journey_id: &str,
        number: i64,
        q: &TileContactsQuery,
    ) -> Result<TileContactsPage> {
        if !(1..=crate::storage::MAX_PAGE).contains(&q.limit) {
            return Err(Error::BadInput(format!(
                "limit must be 1 to {}, not {}",
                crate::storage::MAX_PAGE,
                q.limit
            )));
        }
        let (tile, state) = self
            .store
            .tile_for_contacts(journey_id, number, &q.tile, &q.at)?;
        let run_ids: std::collections::HashMap<String, i64> = self
            .store
            .run_entries(journey_id, number, false)?
            .into_iter()
            .map(|e| {
                let key = entry_run_key(journey_id, number, &e.contact_id, &e.entry_key);
                (key, e.run_id)
            })
            .collect();
        // `{journey}.{number}.`: the run key with an empty contact, a prefix of its runs' keys.
        let prefix = run_key(journey_id, number, "");
        let mut found: Vec<ContactAtTile> = Vec::new();
        for (key, value) in self.admin.state_values("ContactJourney", "run", &prefix)? {
            let record: RunRecord = serde_json::from_str(&value).map_err(|e| {
                Error::Corrupt(format!("the state of run {key} is unreadable: {e}"))
            })?;
            let Some(&run_id) = run_ids.get(&key) else {
                // A run this metadata file did not enrol (another file's, or a test's).
                continue;
            };
            if run_id <= q.after {
                continue;
            }
            if let Some(row) = at_tile(&record, run_id, &q.tile, &q.at, state) {
                found.push(row);
            }
        }
        found.sort_unstable_by_key(|c| c.run_id);
        let next_after = if found.len() > q.limit {
            found.truncate(q.limit);
            found.last().map(|c| c.run_id)
        } else {
            None
        };
        let ids: Vec<&str> = found.iter().map(|c| c.contact_id.as_str()).collect();
        let contacts = self.store.contacts_by_id(&ids)?;
        for c in &mut found {
            if let Some(stored) = contacts.get(&c.contact_id) {
                c.phone = stored
                    .mobile_phone
                    .clone()
                    .or_else(|| stored.business_phone.clone())
                    .or_else(|| stored.home_phone.clone());
                c.time_zone = stored.time_zone.clone();
            }
            c.branch_name = c
                .branch
                .as_deref()
                .and_then(|b| tile.output_label(b))
                .map(|l| l.text().to_owned());
        }
        Ok(TileContactsPage {
            contacts: found,
            next_after,
        })
    }
}

/// The run as a row of the answer, if it belongs there: on the tile now (`here`, active),
/// ended on it, entered it, or left it by the branch (or ended on it taking the branch), as
/// the SQLite executor's query selects them.
fn at_tile(
    record: &RunRecord,
    run_id: i64,
    tile: &str,
    at: &ContactsAt,
    version: VersionState,
) -> Option<ContactAtTile> {
    let status = match RunStatus::of(&record.state) {
        RunStatus::Active if version == VersionState::Stopped => RunStatus::Stopped,
        other => other,
    };
    let last = record.path.len().checked_sub(1);
    // A graph has no cycles: a run visits a tile once.
    let visit = record.path.iter().position(|v| v.tile == tile);
    let on_it = record.state.tile.as_deref() == Some(tile);
    let keep = match at {
        ContactsAt::Here => on_it && status == RunStatus::Active,
        ContactsAt::Ended => on_it && status == RunStatus::Done,
        ContactsAt::Entered => visit.is_some(),
        ContactsAt::Branch(branch) => visit.is_some_and(|i| {
            record.path[i].branch.as_deref() == Some(branch.as_str())
                && (Some(i) != last || status == RunStatus::Done)
        }),
    };
    if !keep {
        return None;
    }
    let visit: Option<&Visit> = visit.map(|i| &record.path[i]);
    Some(ContactAtTile {
        run_id,
        contact_id: record.contact_id.clone(),
        phone: None,
        time_zone: None,
        run_status: status.as_str().to_owned(),
        phase: crate::storage::phase_name(&record.state.phase).to_owned(),
        entered_at: visit.map(|v| from_millis(v.entered_at)),
        branch: visit.and_then(|v| v.branch.clone()),
        branch_name: None,
        left_at: visit.and_then(|v| v.left_at.map(from_millis)),
    })
}
