//! Validation of the journeys being edited without sending them whole on every edit.
//!
//! The designer sends a journey whole once; after that each edit is a small patch (the tiles
//! that changed, the ids removed, the connections when they changed, the positions that
//! changed, the journey's own fields), applied to the copy kept here and validated. The copy is
//! then the document on screen, so autosave saves it ([`OpenDocuments::kept`]) instead of
//! the designer sending the whole draft again. A 10,000-tile journey is 5 MB of
//! JSON: sending, parsing and dropping it per keystroke cost more than validating it.
//! Each patch names the revision it was computed against; a mismatch (the app restarted, the
//! copy was evicted, another view of the same journey validated since) answers `None`, and the
//! designer sends the journey whole again. Revisions are numbered across every journey kept,
//! so a revision names one document and its problems.
//!
//! The answer to a patch is a delta too: only the tiles whose problems changed since the
//! patch's base revision, each with all its problems now. A 10,000-tile journey has about
//! 5,000 warnings; sending and parsing them all per edit cost more than the edit.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::{Connection, Journey, Position, Tile};
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
    /// Positions set or changed (tile id → position).
    pub placed: BTreeMap<String, Position>,
    /// Ids whose position was removed from the layout.
    pub unplaced: Vec<String>,
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

/// The problems of one tile (or of the journey itself), all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TileProblems {
    /// The tile; `None` for the journey's own problems.
    pub tile_id: Option<String>,
    /// Its problems in the validator's order; empty when it has none (any more).
    pub diagnostics: Vec<Diagnostic>,
}

/// The problems of a revision: all of them, or what changed since the patch's base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValidatedRevision {
    /// The revision now kept: the next patch's `base`.
    pub revision: u32,
    /// `true`: `tiles` holds every tile with problems (the journey came whole), forget the
    /// rest; `false`: `tiles` holds only the tiles whose problems differ from the base
    /// revision's, each with all its problems now (a tile that has none any more: empty).
    pub complete: bool,
    /// Problems by tile, in the order the validator first names each tile.
    pub tiles: Vec<TileProblems>,
}

struct Kept {
    revision: u32,
    journey: Journey,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Default)]
struct Held {
    /// Most recently used first.
    kept: VecDeque<Kept>,
    /// The last revision given out (to any journey).
    last_revision: u32,
}

/// The journeys kept for patching, most recently used first.
#[derive(Default)]
pub struct OpenDocuments {
    held: Mutex<Held>,
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
        placed,
        unplaced,
        ..
    } = patch;
    let kept_tiles = std::mem::take(&mut journey.tiles);
    let kept_connections = std::mem::take(&mut journey.connections);
    let mut layout = std::mem::take(&mut journey.layout);
    for id in &unplaced {
        layout.positions.remove(id);
    }
    layout.positions.extend(placed);
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

/// `diagnostics` grouped by tile, tiles in the order first named.
fn by_tile(diagnostics: &[Diagnostic]) -> Vec<(Option<&str>, Vec<&Diagnostic>)> {
    let mut order: Vec<(Option<&str>, Vec<&Diagnostic>)> = Vec::new();
    let mut index: HashMap<Option<&str>, usize> = HashMap::new();
    for d in diagnostics {
        let key = d.tile_id.as_deref();
        let i = *index.entry(key).or_insert_with(|| {
            order.push((key, Vec::new()));
            order.len() - 1
        });
        order[i].1.push(d);
    }
    order
}

fn owned(tile_id: Option<&str>, diagnostics: &[&Diagnostic]) -> TileProblems {
    TileProblems {
        tile_id: tile_id.map(str::to_owned),
        diagnostics: diagnostics.iter().map(|&d| d.clone()).collect(),
    }
}

/// Every tile's problems (the answer for a whole journey).
fn everything(diagnostics: &[Diagnostic]) -> Vec<TileProblems> {
    by_tile(diagnostics)
        .into_iter()
        .map(|(tile, ds)| owned(tile, &ds))
        .collect()
}

/// The tiles whose problems differ from `before` to `after`, each with all its problems now:
/// tiles that have new or changed problems in `after`'s order, then those left with none.
fn changes(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<TileProblems> {
    let old = by_tile(before);
    let new = by_tile(after);
    let old_index: HashMap<Option<&str>, &Vec<&Diagnostic>> =
        old.iter().map(|(tile, ds)| (*tile, ds)).collect();
    let new_tiles: std::collections::HashSet<Option<&str>> =
        new.iter().map(|(tile, _)| *tile).collect();
    let mut out: Vec<TileProblems> = new
        .iter()
        .filter(|(tile, ds)| old_index.get(tile) != Some(&ds))
        .map(|(tile, ds)| owned(*tile, ds))
        .collect();
    out.extend(
        old.iter()
            .filter(|(tile, _)| !new_tiles.contains(tile))
            .map(|(tile, _)| owned(*tile, &[])),
    );
    out
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
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let (journey, before) = match edit {
            ValidationEdit::Whole { document } => {
                if let Some(i) = held.kept.iter().position(|k| k.journey.id == document.id) {
                    held.kept.remove(i);
                }
                (document, None)
            }
            ValidationEdit::Patch(patch) => {
                let Some(i) = held
                    .kept
                    .iter()
                    .position(|k| k.journey.id == patch.head.id && k.revision == patch.base)
                else {
                    return Ok(None);
                };
                let Some(Kept {
                    mut journey,
                    diagnostics,
                    ..
                }) = held.kept.remove(i)
                else {
                    return Ok(None);
                };
                apply(&mut journey, patch);
                (journey, Some(diagnostics))
            }
        };
        let diagnostics = validate_with(&journey, &catalog, freshness);
        let (complete, tiles) = match &before {
            Some(before) => (false, changes(before, &diagnostics)),
            None => (true, everything(&diagnostics)),
        };
        held.last_revision = held.last_revision.wrapping_add(1);
        let revision = held.last_revision;
        held.kept.push_front(Kept {
            revision,
            journey,
            diagnostics,
        });
        held.kept.truncate(KEPT);
        Ok(Some(ValidatedRevision {
            revision,
            complete,
            tiles,
        }))
    }

    /// A copy of the journey kept at `revision` (the document the designer shows after the
    /// edit that made it), or `None` when that revision is no longer kept.
    pub fn kept(&self, id: &str, revision: u32) -> Option<Journey> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.kept
            .iter()
            .find(|k| k.journey.id == id && k.revision == revision)
            .map(|k| k.journey.clone())
    }
}
