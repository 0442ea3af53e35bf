//! Validation by patches, answered by deltas: the pure half of the designer's "validate while
//! editing" (the app keeps open documents for it; the page's WebAssembly validator keeps one).
//!
//! A journey is validated whole once; after that each edit is a small [`JourneyPatch`] (the
//! tiles that changed, the ids removed, the connections when they changed, the positions that
//! changed, the journey's own fields), [`apply`]d to the copy kept. The answer to a patch is a
//! delta too ([`changes`]): only the tiles whose problems changed, each with all its problems
//! now; the answer to a whole journey is every tile's problems ([`everything`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::document::{Connection, Journey, Position, Tile};
use crate::validate::{Diagnostic, Freshness, validate_with};

#[cfg(test)]
mod tests;

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

/// Apply `patch` to `journey` in place.
pub fn apply(journey: &mut Journey, patch: JourneyPatch) {
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
        let removed: HashSet<String> = removed.into_iter().collect();
        journey.tiles.retain(|t| !removed.contains(t.id()));
    }
    if !tiles.is_empty() {
        let mut index: HashMap<String, usize> = journey
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
pub fn everything(diagnostics: &[Diagnostic]) -> Vec<TileProblems> {
    by_tile(diagnostics)
        .into_iter()
        .map(|(tile, ds)| owned(tile, &ds))
        .collect()
}

/// The tiles whose problems differ from `before` to `after`, each with all its problems now:
/// tiles that have new or changed problems in `after`'s order, then those left with none.
pub fn changes(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<TileProblems> {
    let old = by_tile(before);
    let new = by_tile(after);
    let old_index: HashMap<Option<&str>, &Vec<&Diagnostic>> =
        old.iter().map(|(tile, ds)| (*tile, ds)).collect();
    let new_tiles: HashSet<Option<&str>> = new.iter().map(|(tile, _)| *tile).collect();
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

/// One journey kept for patching with its problems: what a single editor (the page's
/// WebAssembly validator) holds. Revisions count up from 1; a patch whose base is not the
/// kept revision answers `None` (send the journey whole).
#[derive(Debug, Default)]
pub struct Session {
    kept: Option<Kept>,
    last_revision: u32,
}

#[derive(Debug)]
struct Kept {
    revision: u32,
    journey: Journey,
    diagnostics: Vec<Diagnostic>,
}

impl Session {
    /// Validate `edit` against `catalog` with the lists' `freshness`; `None` when a patch's
    /// base is not the kept revision of the same journey.
    pub fn validate(
        &mut self,
        edit: ValidationEdit,
        catalog: &Catalog,
        freshness: Freshness,
    ) -> Option<ValidatedRevision> {
        let (journey, before) = match edit {
            ValidationEdit::Whole { document } => {
                self.kept = None;
                (document, None)
            }
            ValidationEdit::Patch(patch) => {
                let kept = self
                    .kept
                    .take_if(|k| k.journey.id == patch.head.id && k.revision == patch.base)?;
                let mut journey = kept.journey;
                apply(&mut journey, patch);
                (journey, Some(kept.diagnostics))
            }
        };
        let diagnostics = validate_with(&journey, catalog, freshness);
        let (complete, tiles) = match &before {
            Some(before) => (false, changes(before, &diagnostics)),
            None => (true, everything(&diagnostics)),
        };
        self.last_revision = self.last_revision.wrapping_add(1);
        let revision = self.last_revision;
        self.kept = Some(Kept {
            revision,
            journey,
            diagnostics,
        });
        Some(ValidatedRevision {
            revision,
            complete,
            tiles,
        })
    }
}
