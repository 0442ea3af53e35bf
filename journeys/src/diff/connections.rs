//! Connections, keyed by the tile and output they leave from: added, removed, or leading to
//! another tile.

use std::collections::HashMap;

use crate::document::{Connection, Journey, OUTPUT_NEXT, OUTPUT_OTHER, Tile};

use super::words::{self, quoted};
use super::{Change, ChangeKind, ChangeSubject, Diff};

/// The connections leaving one output: nearly always one (a repeated output is an error the
/// validator reports, still compared here).
enum Targets<'a> {
    One(&'a Connection),
    Many(Vec<&'a Connection>),
}

impl<'a> Targets<'a> {
    fn as_slice(&self) -> &[&'a Connection] {
        match self {
            Targets::One(c) => std::slice::from_ref(c),
            Targets::Many(list) => list,
        }
    }

    fn add(&mut self, c: &'a Connection) {
        if self.as_slice().iter().any(|seen| seen.to == c.to) {
            return;
        }
        match self {
            Targets::One(first) => *self = Targets::Many(vec![*first, c]),
            Targets::Many(list) => list.push(c),
        }
    }
}

/// (from, output) → the connections leaving there; and the keys in the order they first
/// appear.
type Outputs<'a> = (
    HashMap<(&'a str, &'a str), Targets<'a>>,
    Vec<(&'a str, &'a str)>,
);

fn outputs(journey: &Journey) -> Outputs<'_> {
    let mut map: HashMap<(&str, &str), Targets<'_>> =
        HashMap::with_capacity(journey.connections.len());
    let mut order = Vec::with_capacity(journey.connections.len());
    for c in &journey.connections {
        let key = (c.from.as_str(), c.output.as_str());
        match map.get_mut(&key) {
            Some(targets) => targets.add(c),
            None => {
                map.insert(key, Targets::One(c));
                order.push(key);
            }
        }
    }
    (map, order)
}

/// "branch 'Booked' " / "Other " / "" (the single output), naming a branch from the tile as
/// it is, else as it was.
fn output_phrase(tiles: [Option<&Tile>; 2], output: &str) -> String {
    if output == OUTPUT_NEXT {
        return String::new();
    }
    if output == OUTPUT_OTHER {
        return "Other ".to_owned();
    }
    let name = tiles.into_iter().flatten().find_map(|tile| match tile {
        Tile::WaitForTrigger(t) => t
            .branches
            .iter()
            .find(|b| b.id == output)
            .map(|b| b.name.as_str()),
        Tile::AttributeBranch(t) => t
            .branches
            .iter()
            .find(|b| b.id == output)
            .map(|b| b.name.as_str()),
        _ => None,
    });
    format!(
        "branch {} ",
        quoted(name.filter(|n| !n.is_empty()).unwrap_or(output))
    )
}

impl Diff<'_> {
    pub(super) fn connections(&mut self) {
        if self.old.connections == self.new.connections {
            return;
        }
        let (old_map, old_order) = outputs(self.old);
        let (new_map, new_order) = outputs(self.new);
        for key in &new_order {
            let after = new_map[key].as_slice();
            let before = old_map.get(key).map_or(&[][..], Targets::as_slice);
            self.output(before, after);
        }
        for key in &old_order {
            if !new_map.contains_key(key) {
                self.output(old_map[key].as_slice(), &[]);
            }
        }
    }

    /// The connections leaving one output, before and after.
    fn output(&mut self, before: &[&Connection], after: &[&Connection]) {
        if let ([b], [a]) = (before, after) {
            if b.to != a.to {
                self.connection(ChangeKind::Changed, Some(b), Some(a));
            }
            return;
        }
        for a in after {
            if !before.iter().any(|b| b.to == a.to) {
                self.connection(ChangeKind::Added, None, Some(a));
            }
        }
        for b in before {
            if !after.iter().any(|a| a.to == b.to) {
                self.connection(ChangeKind::Removed, Some(b), None);
            }
        }
    }

    fn connection(
        &mut self,
        kind: ChangeKind,
        before: Option<&Connection>,
        after: Option<&Connection>,
    ) {
        let Some(any) = after.or(before) else {
            return;
        };
        // The tile it leaves, named as in the new document when it is still there.
        let from_tile = self
            .new_tiles
            .get(any.from.as_str())
            .or_else(|| self.old_tiles.get(any.from.as_str()))
            .copied();
        let from = from_tile.map_or_else(|| quoted(&any.from), words::tile_label);
        let phrase = output_phrase(
            [
                self.new_tiles.get(any.from.as_str()).copied(),
                self.old_tiles.get(any.from.as_str()).copied(),
            ],
            &any.output,
        );
        let was = before.map(|b| words::tile_ref(&self.old_tiles, Some(&b.to)));
        let is = after.map(|a| words::tile_ref(&self.new_tiles, Some(&a.to)));
        let sentence = match (&was, &is) {
            (Some(was), Some(is)) => format!("{from}: {phrase}now leads to {is} (was {was})"),
            (None, Some(is)) => format!("{from}: {phrase}now connects to {is}"),
            (Some(was), None) => format!("{from}: {phrase}no longer connects to {was}"),
            (None, None) => return,
        };
        self.changes.push(Change {
            subject: ChangeSubject::Connection,
            kind,
            tile_id: Some(any.from.clone()),
            tile_type: from_tile.map(Tile::tile_type),
            tile_name: Some(from),
            field: Some(any.output.clone()),
            before: was,
            after: is,
            connection_before: before.cloned(),
            connection_after: after.cloned(),
            sentence,
        });
    }
}
