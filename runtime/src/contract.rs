//! The checks a catalog replacement passes before it is stored: it is not empty, its ids do
//! not repeat, and it neither removes nor retypes an item a live or paused version uses
//! (which items a journey uses is [`journeys::catalog::references`]' answer).

use std::collections::{BTreeMap, HashSet};

use journeys::catalog::Catalog;
use journeys::catalog::references::{CatalogItem, breaking_changes, references};
use serde::{Deserialize, Serialize};

use crate::storage::ActiveVersion;

/// A live or paused version, by journey and number.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct VersionRef {
    /// The journey's id.
    pub journey_id: String,
    /// The version's number.
    pub number: i64,
    /// `live` or `paused`.
    pub state: journeys::lifecycle::VersionState,
}

/// An item a catalog replacement would remove or retype, and who uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogConflict {
    /// The item.
    pub item: CatalogItem,
    /// `removed`, or what changed its kind.
    pub change: String,
    /// The live or paused versions that use it.
    pub used_by: Vec<VersionRef>,
}

/// Why a catalog is not usable at all (empty, repeated ids), if it is not.
pub fn catalog_problem(catalog: &Catalog) -> Option<String> {
    if catalog.engagements.is_empty()
        && catalog.compliance_profiles.is_empty()
        && catalog.quiet_time_settings.is_empty()
    {
        return Some(
            "the catalog is empty: it needs engagements, compliance profiles or quiet-time settings"
                .into(),
        );
    }
    let mut seen = HashSet::new();
    let ids = catalog
        .engagements
        .iter()
        .map(|e| ("engagement", e.id.as_str()))
        .chain(
            catalog
                .compliance_profiles
                .iter()
                .map(|p| ("compliance profile", p.id.as_str())),
        )
        .chain(
            catalog
                .quiet_time_settings
                .iter()
                .map(|s| ("quiet-time setting", s.id.as_str())),
        );
    for (kind, id) in ids {
        if id.trim().is_empty() {
            return Some(format!("a {kind} has an empty id"));
        }
        if !seen.insert((kind, id)) {
            return Some(format!("{kind} id {id} appears twice"));
        }
    }
    None
}

/// The items of `old` that `new` removes or retypes while a version in `active` uses them.
pub fn catalog_conflicts(
    old: &Catalog,
    new: &Catalog,
    active: &[ActiveVersion],
) -> Vec<CatalogConflict> {
    let mut by_item: BTreeMap<CatalogItem, (String, Vec<VersionRef>)> = BTreeMap::new();
    for version in active {
        let used = references(&version.journey, old);
        for change in breaking_changes(&used, old, new) {
            by_item
                .entry(change.item)
                .or_insert_with(|| (change.change, Vec::new()))
                .1
                .push(VersionRef {
                    journey_id: version.journey_id.clone(),
                    number: version.number,
                    state: version.state,
                });
        }
    }
    by_item
        .into_iter()
        .map(|(item, (change, used_by))| CatalogConflict {
            item,
            change,
            used_by,
        })
        .collect()
}

/// One sentence naming every conflict and its versions.
pub fn describe(conflicts: &[CatalogConflict]) -> String {
    let parts: Vec<String> = conflicts
        .iter()
        .map(|c| {
            let users: Vec<String> = c
                .used_by
                .iter()
                .map(|v| format!("{} v{} ({})", v.journey_id, v.number, v.state))
                .collect();
            format!("{} ({}) is used by {}", c.item, c.change, users.join(", "))
        })
        .collect();
    format!(
        "the new catalog would break live or paused journeys: {}",
        parts.join("; ")
    )
}
