//! Which catalog items a journey uses, what changed between two catalogs, and which of
//! those changes would break a journey that uses them.
//!
//! The runtime refuses a catalog replacement that removes or retypes an item a live or
//! paused version uses ([`breaking_changes`]); the designer shows [`diff`] after a refresh.
//!
//! ```
//! use journeys::catalog::Catalog;
//! use journeys::catalog::references::{CatalogItem, diff};
//!
//! let old = Catalog::from_json(r#"{"quietTimeSettings": [{"id": "qt", "name": "Evenings"}]}"#).unwrap();
//! let new = Catalog::default();
//! let changes = diff(&old, &new);
//! assert_eq!(changes.removed, vec![CatalogItem::QuietTimeSetting { id: "qt".into() }]);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::{Catalog, ComplianceProfile, Engagement, Purpose, QuietTimeSetting};
use crate::document::{Journey, QuietTimeOption, Tile};

/// One item of a catalog, named by its ids.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CatalogItem {
    /// A proactive engagement.
    Engagement {
        /// Its id.
        id: String,
    },
    /// A compliance profile.
    Profile {
        /// Its id.
        id: String,
    },
    /// A purpose of a profile.
    Purpose {
        /// The profile's id.
        profile_id: String,
        /// The purpose's id.
        id: String,
    },
    /// A topic of a purpose.
    Topic {
        /// The profile's id.
        profile_id: String,
        /// The purpose's id.
        purpose_id: String,
        /// The topic's id.
        id: String,
    },
    /// A quiet-time setting.
    QuietTimeSetting {
        /// Its id.
        id: String,
    },
}

impl fmt::Display for CatalogItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogItem::Engagement { id } => write!(f, "engagement {id}"),
            CatalogItem::Profile { id } => write!(f, "compliance profile {id}"),
            CatalogItem::Purpose { profile_id, id } => {
                write!(f, "purpose {id} of profile {profile_id}")
            }
            CatalogItem::Topic {
                profile_id,
                purpose_id,
                id,
            } => write!(
                f,
                "topic {id} of purpose {purpose_id} of profile {profile_id}"
            ),
            CatalogItem::QuietTimeSetting { id } => write!(f, "quiet-time setting {id}"),
        }
    }
}

/// An item both catalogs have, changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ItemChange {
    /// The item.
    pub item: CatalogItem,
    /// Whether its kind changed (an engagement's channel or one of its variables' types
    /// or presence, a purpose's type): a journey using it may no longer work.
    pub retyped: bool,
    /// What changed, for a person.
    pub detail: String,
}

/// What changed from one catalog to the next.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CatalogDiff {
    /// Items only the new catalog has.
    pub added: Vec<CatalogItem>,
    /// Items only the old catalog has.
    pub removed: Vec<CatalogItem>,
    /// Items both have, changed.
    pub changed: Vec<ItemChange>,
}

impl CatalogDiff {
    /// Whether the catalogs' items are the same.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// A used item a new catalog would remove or retype.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BreakingChange {
    /// The item.
    pub item: CatalogItem,
    /// `removed`, or what changed its kind.
    pub change: String,
}

/// The catalog items a journey uses: each voice tile's engagement, profile, purpose, topic
/// and quiet-time setting — the one it names, or its profile's when it inherits (read from
/// `catalog`, the one the journey runs with).
pub fn references(journey: &Journey, catalog: &Catalog) -> BTreeSet<CatalogItem> {
    let mut used = BTreeSet::new();
    for tile in &journey.tiles {
        let Tile::VoiceConversation(voice) = tile else {
            continue;
        };
        if let Some(id) = &voice.engagement_id {
            used.insert(CatalogItem::Engagement { id: id.clone() });
        }
        if let Some(profile) = &voice.compliance_profile_id {
            used.insert(CatalogItem::Profile {
                id: profile.clone(),
            });
            if let Some(purpose) = &voice.purpose_id {
                used.insert(CatalogItem::Purpose {
                    profile_id: profile.clone(),
                    id: purpose.clone(),
                });
                if let Some(topic) = &voice.topic_id {
                    used.insert(CatalogItem::Topic {
                        profile_id: profile.clone(),
                        purpose_id: purpose.clone(),
                        id: topic.clone(),
                    });
                }
            }
        }
        let setting = match &voice.quiet_time {
            Some(QuietTimeOption::Override { setting_id }) => setting_id.clone(),
            Some(QuietTimeOption::Inherit) | None => voice
                .compliance_profile_id
                .as_deref()
                .and_then(|p| catalog.profile(p))
                .and_then(|p| p.quiet_time_setting_id.clone()),
            Some(QuietTimeOption::None) => None,
        };
        if let Some(id) = setting {
            used.insert(CatalogItem::QuietTimeSetting { id });
        }
    }
    used
}

/// Every item of a catalog with what its kind is, for [`diff`].
fn items(catalog: &Catalog) -> BTreeMap<CatalogItem, Kind<'_>> {
    let mut out = BTreeMap::new();
    for e in &catalog.engagements {
        out.insert(
            CatalogItem::Engagement { id: e.id.clone() },
            Kind::Engagement(e),
        );
    }
    for p in &catalog.compliance_profiles {
        out.insert(CatalogItem::Profile { id: p.id.clone() }, Kind::Profile(p));
        for purpose in &p.purposes {
            out.insert(
                CatalogItem::Purpose {
                    profile_id: p.id.clone(),
                    id: purpose.id.clone(),
                },
                Kind::Purpose(purpose),
            );
            for topic in &purpose.topics {
                out.insert(
                    CatalogItem::Topic {
                        profile_id: p.id.clone(),
                        purpose_id: purpose.id.clone(),
                        id: topic.id.clone(),
                    },
                    Kind::Topic(topic),
                );
            }
        }
    }
    for s in &catalog.quiet_time_settings {
        out.insert(
            CatalogItem::QuietTimeSetting { id: s.id.clone() },
            Kind::QuietTime(s),
        );
    }
    out
}

enum Kind<'a> {
    Engagement(&'a Engagement),
    Profile(&'a ComplianceProfile),
    Purpose(&'a Purpose),
    Topic(&'a super::Topic),
    QuietTime(&'a QuietTimeSetting),
}

/// How an item changed: `(retyped, detail)`, or `None` when it is the same.
fn compare(old: &Kind<'_>, new: &Kind<'_>) -> Option<(bool, String)> {
    match (old, new) {
        (Kind::Engagement(a), Kind::Engagement(b)) => {
            if a.channel != b.channel {
                return Some((
                    true,
                    format!("channel {:?} became {:?}", a.channel, b.channel),
                ));
            }
            for variable in &a.variables {
                match b.variables.iter().find(|v| v.name == variable.name) {
                    None => {
                        return Some((true, format!("variable {} was removed", variable.name)));
                    }
                    Some(v) if v.data_type != variable.data_type => {
                        return Some((
                            true,
                            format!(
                                "variable {} changed type from {:?} to {:?}",
                                variable.name, variable.data_type, v.data_type
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            (a != b).then(|| (false, "settings changed".to_owned()))
        }
        (Kind::Purpose(a), Kind::Purpose(b)) => {
            if a.purpose_type != b.purpose_type {
                return Some((
                    true,
                    format!("type {:?} became {:?}", a.purpose_type, b.purpose_type),
                ));
            }
            let (mut a, mut b) = ((*a).clone(), (*b).clone());
            // Topics are items of their own.
            a.topics.clear();
            b.topics.clear();
            (a != b).then(|| (false, "settings changed".to_owned()))
        }
        (Kind::Profile(a), Kind::Profile(b)) => {
            let (mut a, mut b) = ((*a).clone(), (*b).clone());
            a.purposes.clear();
            b.purposes.clear();
            (a != b).then(|| (false, "settings changed".to_owned()))
        }
        (Kind::Topic(a), Kind::Topic(b)) => (a != b).then(|| (false, "settings changed".into())),
        (Kind::QuietTime(a), Kind::QuietTime(b)) => {
            (a != b).then(|| (false, "schedule changed".to_owned()))
        }
        _ => Some((true, "kind changed".to_owned())),
    }
}

/// What changed from `old` to `new`, item by item, in a stable order.
pub fn diff(old: &Catalog, new: &Catalog) -> CatalogDiff {
    let (before, after) = (items(old), items(new));
    let mut out = CatalogDiff::default();
    for (item, kind) in &before {
        match after.get(item) {
            None => out.removed.push(item.clone()),
            Some(now) => {
                if let Some((retyped, detail)) = compare(kind, now) {
                    out.changed.push(ItemChange {
                        item: item.clone(),
                        retyped,
                        detail,
                    });
                }
            }
        }
    }
    out.added = after
        .keys()
        .filter(|item| !before.contains_key(*item))
        .cloned()
        .collect();
    out
}

/// The items of `used` that `new` removes or retypes compared with `old`.
pub fn breaking_changes(
    used: &BTreeSet<CatalogItem>,
    old: &Catalog,
    new: &Catalog,
) -> Vec<BreakingChange> {
    let changes = diff(old, new);
    let mut out: Vec<BreakingChange> = changes
        .removed
        .into_iter()
        .filter(|item| used.contains(item))
        .map(|item| BreakingChange {
            item,
            change: "removed".into(),
        })
        .collect();
    out.extend(
        changes
            .changed
            .into_iter()
            .filter(|c| c.retyped && used.contains(&c.item))
            .map(|c| BreakingChange {
                item: c.item,
                change: c.detail,
            }),
    );
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}

#[cfg(test)]
mod tests;
