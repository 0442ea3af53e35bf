//! Validation of the journeys being edited without sending them whole on every edit.
//!
//! The designer sends a journey whole once; after that each edit is a small patch (the tiles
//! that changed, the ids removed, the connections when they changed, the journey's own
//! fields), applied to the copy kept here and validated. A 10,000-tile journey is 5 MB of
//! JSON: sending, parsing and dropping it per keystroke cost more than validating it.
//! Each patch names the revision it was computed against; a mismatch (the app restarted, the
//! copy was evicted) answers `None`, and the designer sends the journey whole again.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::{Connection, Journey, Tile};
use journeys::validate::{Diagnostic, validate_with};

use super::catalog::current_catalog_at;
use super::{Db, Result};

/// How many journeys are kept (the open one, and a few the marketer switched between).
const KEPT: usize = 4;

/// What changed since revision `base` of journey `head.id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JourneyPatch {
    /// The revision this patch applies to.
    pub base: u32,
    /// The journey's own fields (id, name, audience, time zone, …); its tiles, connections and
    /// layout are ignored (send them empty).
    pub head: Journey,
    /// Tiles changed (replaced in place) or added (appended, in this order).
    pub tiles: Vec<Tile>,
    /// Ids of tiles removed.
    pub removed: Vec<String>,
    /// Every connection, when they changed.
    pub connections: Option<Vec<Connection>>,
}

/// A journey to validate: whole, or as a patch of the copy kept since an earlier call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ValidationEdit {
    /// The whole journey (the first call, or after `None`).
    Whole {
        /// The journey.
        document: Journey,
    },
    /// What changed since a revision.
    Patch(JourneyPatch),
}

/// The diagnostics of a revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValidatedRevision {
    /// The revision now kept: the next patch's `base`.
    pub revision: u32,
    /// Every problem of the journey at that revision.
    pub diagnostics: Vec<Diagnostic>,
}

struct Kept {
    revision: u32,
    journey: Journey,
}

/// The journeys kept for patching, most recently used first.
#[derive(Default)]
pub struct OpenDocuments {
    kept: Mutex<VecDeque<Kept>>,
}

impl std::fmt::Debug for OpenDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenDocuments")
    }
}

/// Apply `patch` to `journey` in place.
fn apply(journey: &mut Journey, patch: JourneyPatch) {
    let JourneyPatch {
        head,
        tiles,
        removed,
        connections,
        ..
    } = patch;
    let kept_tiles = std::mem::take(&mut journey.tiles);
    let kept_connections = std::mem::take(&mut journey.connections);
    let layout = std::mem::take(&mut journey.layout);
    *journey = Journey {
        tiles: kept_tiles,
        connections: connections.unwrap_or(kept_connections),
        layout,
        ..head
    };
    if !removed.is_empty() {
        let removed: std::collections::HashSet<String> = removed.into_iter().collect();
        journey.tiles.retain(|t| !removed.contains(t.id()));
    }
    if !tiles.is_empty() {
        let mut index: std::collections::HashMap<String, usize> = journey
            .tiles
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id().to_owned(), i))
            .collect();
        for tile in tiles {
            match index.get(tile.id()) {
                Some(&i) => journey.tiles[i] = tile,
                None => {
                    index.insert(tile.id().to_owned(), journey.tiles.len());
                    journey.tiles.push(tile);
                }
            }
        }
    }
}

impl OpenDocuments {
    /// Validate `edit` against the cached catalog at `now`; `None` when a patch's base is not
    /// the kept revision (send the journey whole).
    pub fn validate(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        edit: ValidationEdit,
    ) -> Result<Option<ValidatedRevision>> {
        let (catalog, freshness) = current_catalog_at(db, now)?;
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let entry = match edit {
            ValidationEdit::Whole { document } => {
                let revision = kept
                    .iter()
                    .position(|k| k.journey.id == document.id)
                    .and_then(|i| kept.remove(i))
                    .map_or(1, |k| k.revision.wrapping_add(1));
                Kept {
                    revision,
                    journey: document,
                }
            }
            ValidationEdit::Patch(patch) => {
                let Some(i) = kept
                    .iter()
                    .position(|k| k.journey.id == patch.head.id && k.revision == patch.base)
                else {
                    return Ok(None);
                };
                let Some(mut entry) = kept.remove(i) else {
                    return Ok(None);
                };
                apply(&mut entry.journey, patch);
                entry.revision = entry.revision.wrapping_add(1);
                entry
            }
        };
        let diagnostics = validate_with(&entry.journey, &catalog, freshness);
        let revision = entry.revision;
        kept.push_front(entry);
        kept.truncate(KEPT);
        Ok(Some(ValidatedRevision {
            revision,
            diagnostics,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use journeys::document::parse_journey;
    use journeys::validate::Code;

    fn sample() -> Journey {
        parse_journey(include_str!(
            "../../../journeys/samples/renewal-calls.journey.json"
        ))
        .unwrap()
    }

    fn whole(docs: &OpenDocuments, db: &Db, journey: &Journey) -> ValidatedRevision {
        docs.validate(
            db,
            Utc::now(),
            ValidationEdit::Whole {
                document: journey.clone(),
            },
        )
        .unwrap()
        .unwrap()
    }

    fn head(journey: &Journey) -> Journey {
        Journey {
            tiles: Vec::new(),
            connections: Vec::new(),
            layout: Default::default(),
            ..journey.clone()
        }
    }

    /// Every patch kind gives what validating the edited journey whole gives.
    #[test]
    fn patches_validate_like_the_whole_journey() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let docs = OpenDocuments::default();
        let mut journey = sample();
        let first = whole(&docs, &db, &journey);

        // Change a tile, remove another, add one, rename the journey, drop a connection.
        let mut changed = journey.tiles[1].clone();
        if let Tile::VoiceConversation(v) = &mut changed {
            v.engagement_id = None;
        }
        let removed = journey.tiles[3].id().to_owned();
        let mut added = journey.tiles[journey.tiles.len() - 1].clone();
        if let Tile::Exit(e) = &mut added {
            e.id = "exit-new".into();
        }
        journey.tiles[1] = changed.clone();
        journey.tiles.retain(|t| t.id() != removed);
        journey.tiles.push(added.clone());
        journey.name = String::new();
        journey.connections.pop();

        let patched = docs
            .validate(
                &db,
                Utc::now(),
                ValidationEdit::Patch(JourneyPatch {
                    base: first.revision,
                    head: head(&journey),
                    tiles: vec![changed, added],
                    removed: vec![removed],
                    connections: Some(journey.connections.clone()),
                }),
            )
            .unwrap()
            .unwrap();
        assert_eq!(patched.revision, first.revision + 1);
        let other = OpenDocuments::default();
        assert_eq!(
            patched.diagnostics,
            whole(&other, &db, &journey).diagnostics
        );
        let codes: Vec<Code> = patched.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::JourneyNameMissing), "{codes:?}");
        assert!(codes.contains(&Code::VoiceEngagementMissing), "{codes:?}");
    }

    #[test]
    fn a_patch_on_another_revision_asks_for_the_whole_journey() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let docs = OpenDocuments::default();
        let journey = sample();
        let patch = |base| {
            ValidationEdit::Patch(JourneyPatch {
                base,
                head: head(&journey),
                tiles: Vec::new(),
                removed: Vec::new(),
                connections: None,
            })
        };
        assert_eq!(docs.validate(&db, Utc::now(), patch(1)).unwrap(), None);
        let first = whole(&docs, &db, &journey);
        assert_eq!(
            docs.validate(&db, Utc::now(), patch(first.revision + 5))
                .unwrap(),
            None
        );
        assert!(
            docs.validate(&db, Utc::now(), patch(first.revision))
                .unwrap()
                .is_some()
        );
    }
}
