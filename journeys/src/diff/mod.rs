//! The semantic diff of two journey documents: what changed in what the journey does, over
//! stable ids, ignoring the layout.
//!
//! [`diff`] compares the journey's own fields (name, id, audience, time zone), its tiles (added,
//! removed, and field by field for a tile in both — the start tile carries how and when
//! contacts enter) and its connections. Every [`Change`] says where (tile id and kind, dotted
//! field path as the validator spells it), what it was and is, and one sentence a marketer
//! reads, naming tiles by their names: `How did the call go?: time limit 7 days → 3 days`.
//!
//! Tiles and branches are matched by id; a document holding one id twice (which the validator
//! reports) is compared on the first. Tiles are listed in no particular order, so their order
//! is not a change; the order of a tile's branches is (the first match wins).
//!
//! ```
//! use journeys::{diff::diff, document::Journey};
//!
//! let old = Journey::new("j1", "Renewals", "America/Chicago");
//! let mut new = old.clone();
//! new.name = "Renewals 2027".into();
//! new.layout.positions.clear();
//! let changes = diff(&old, &new);
//! assert_eq!(changes.sentences(), ["Journey name: 'Renewals' → 'Renewals 2027'"]);
//! ```

mod branches;
mod connections;
mod tiles;
mod words;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::document::{Connection, Journey, Tile, TileType};

/// What part of the journey a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeSubject {
    /// A field of the journey itself (name, audience, time zone, id).
    Journey,
    /// A tile, or one of its fields or branches.
    Tile,
    /// A connection from a tile's output.
    Connection,
}

/// Whether the thing is new, gone, or different.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// Only in the new document.
    Added,
    /// Only in the old document.
    Removed,
    /// In both, different.
    Changed,
}

/// One difference, with where it is, what it was and is, and a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Journey, tile or connection.
    pub subject: ChangeSubject,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The tile (for a connection: the tile it leaves); none for journey fields.
    pub tile_id: Option<String>,
    /// That tile's kind (in the new document when it is there).
    pub tile_type: Option<TileType>,
    /// How the sentence names that tile: its name, else its kind and id.
    pub tile_name: Option<String>,
    /// The dotted field path, spelled as the validator's (`timeLimit`,
    /// `branches.0.conditions`, `start.startAt`; for a connection the tile output key);
    /// none for a whole tile added or removed.
    pub field: Option<String>,
    /// The value before, as the marketer reads it; none when added.
    pub before: Option<String>,
    /// The value after, as the marketer reads it; none when removed.
    pub after: Option<String>,
    /// The connection as it was (connections only).
    pub connection_before: Option<Connection>,
    /// The connection as it is (connections only).
    pub connection_after: Option<Connection>,
    /// The change in words.
    pub sentence: String,
}

/// Every change from one journey document to another, in a deterministic order: the
/// journey's fields, then tiles (in the new document's order, removed tiles after), then
/// connections.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JourneyDiff {
    /// The changes; empty when the documents mean the same.
    pub changes: Vec<Change>,
}

impl JourneyDiff {
    /// Whether the two documents mean the same (layout aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The sentences, one per change.
    pub fn sentences(&self) -> Vec<&str> {
        self.changes.iter().map(|c| c.sentence.as_str()).collect()
    }
}

/// The semantic diff from `old` to `new` (layout ignored); catalog choices (conversation,
/// compliance profile, purpose, topic, quiet-time setting) are shown by id.
pub fn diff(old: &Journey, new: &Journey) -> JourneyDiff {
    diff_with_catalog(old, new, &Catalog::default())
}

/// [`diff`], naming catalog choices by their names in `catalog` ("'Renewal offer'"); an id
/// the catalog does not know is shown as it is.
pub fn diff_with_catalog(old: &Journey, new: &Journey, catalog: &Catalog) -> JourneyDiff {
    let mut out = Diff {
        old,
        new,
        catalog,
        old_tiles: index(old),
        new_tiles: index(new),
        changes: Vec::new(),
    };
    out.journey_fields();
    out.tiles();
    out.connections();
    JourneyDiff {
        changes: out.changes,
    }
}

/// Tile id → tile of one document, first occurrence wins (as [`Journey::tile`]).
type Tiles<'a> = HashMap<&'a str, &'a Tile>;

fn index(journey: &Journey) -> Tiles<'_> {
    let mut tiles = HashMap::with_capacity(journey.tiles.len());
    for tile in &journey.tiles {
        tiles.entry(tile.id()).or_insert(tile);
    }
    tiles
}

/// The comparison under way: both documents, their tile indexes, the changes so far.
struct Diff<'a> {
    old: &'a Journey,
    new: &'a Journey,
    catalog: &'a Catalog,
    old_tiles: Tiles<'a>,
    new_tiles: Tiles<'a>,
    changes: Vec<Change>,
}

impl Diff<'_> {
    fn journey_fields(&mut self) {
        let (old, new) = (self.old, self.new);
        type Words<'w> = &'w dyn Fn() -> (String, String);
        let fields: [(bool, &str, &str, Words<'_>); 4] = [
            (old.name != new.name, "name", "Journey name", &|| {
                (words::name_text(&old.name), words::name_text(&new.name))
            }),
            (old.id != new.id, "id", "Journey id", &|| {
                (words::quoted(&old.id), words::quoted(&new.id))
            }),
            (
                old.audience != new.audience,
                "audience",
                "Audience",
                &|| (words::audience(old.audience), words::audience(new.audience)),
            ),
            (
                old.time_zone != new.time_zone,
                "timeZone",
                "Time zone",
                &|| {
                    (
                        words::id_text(Some(&old.time_zone)),
                        words::id_text(Some(&new.time_zone)),
                    )
                },
            ),
        ];
        for (changed, field, label, values) in fields {
            if !changed {
                continue;
            }
            let (before, after) = values();
            self.changes.push(Change {
                subject: ChangeSubject::Journey,
                kind: ChangeKind::Changed,
                tile_id: None,
                tile_type: None,
                tile_name: None,
                field: Some(field.to_owned()),
                sentence: format!("{label}: {before} → {after}"),
                before: Some(before),
                after: Some(after),
                connection_before: None,
                connection_after: None,
            });
        }
    }

    /// A change on a tile, with its field path, values and sentence.
    fn tile_change(
        &mut self,
        on: &Tile,
        kind: ChangeKind,
        field: Option<String>,
        values: (Option<String>, Option<String>),
        sentence: String,
    ) {
        let label = words::tile_label(on);
        self.changes.push(Change {
            subject: ChangeSubject::Tile,
            kind,
            tile_id: Some(on.id().to_owned()),
            tile_type: Some(on.tile_type()),
            sentence: format!("{label}: {sentence}"),
            tile_name: Some(label),
            field,
            before: values.0,
            after: values.1,
            connection_before: None,
            connection_after: None,
        });
    }

    /// A field of a tile in both documents that differs (the caller compares the values,
    /// not their words: a renamed tile a field points at is not a change of the field), as
    /// "{tile}: {label} {before} → {after}".
    fn field(&mut self, on: &Tile, path: String, label: &str, before: String, after: String) {
        let sentence = format!("{label} {before} → {after}");
        self.tile_change(
            on,
            ChangeKind::Changed,
            Some(path),
            (Some(before), Some(after)),
            sentence,
        );
    }
}
