//! Graph rules: one start, unique ids, sound connections, no loops, reachability, branch
//! counts, nesting depth and the longest path of waits.

use crate::document::{OUTPUT_NEXT, OUTPUT_OTHER, Tile, WaitCondition, WaitSpec};

use super::graph::{Dominators, Graph, IdMap, Rejection, index};
use super::{Code, Ctx, MAX_NAME_CHARS, minutes, tile_label};

/// At most this many branches per branching tile, Other not counted (D12).
const MAX_BRANCHES: usize = 25;
/// Branching may nest at most this deep (D12).
const MAX_NESTING: usize = 8;
/// A contact's run is capped at 365 days (D12).
const MAX_RUN_MINUTES: i64 = 365 * 24 * 60;

/// What the graph rules learned that tile rules reuse.
pub(super) struct Analysis {
    /// Dominators, when there is one start and no loop.
    pub(super) dominators: Option<Dominators>,
    /// Per voice tile index, the wait-for-trigger tiles watching it.
    pub(super) watchers: Vec<Vec<u32>>,
}

pub(super) fn check(ctx: &mut Ctx<'_>, graph: &Graph<'_>) -> Analysis {
    let journey = ctx.journey;
    check_starts(ctx);
    check_ids_and_names(ctx, graph);
    check_connections(ctx, graph);

    if let Some(cycle) = graph.topo.is_none().then(|| graph.a_cycle()).flatten() {
        let names: Vec<&str> = cycle
            .iter()
            .take(6)
            .map(|&t| journey.tiles[t as usize].id())
            .collect();
        let first = cycle.first().map_or(0, |&t| t as usize);
        ctx.tile_problem(
            first,
            Code::GraphCycle,
            None,
            format!(
                "These tiles form a loop ({}{}): contacts could go round forever. Remove one of the connections.",
                names.join(" → "),
                if cycle.len() > names.len() { " → …" } else { "" }
            ),
        );
    }

    if graph.start.is_some() {
        for (i, tile) in journey.tiles.iter().enumerate() {
            if !graph.reachable[i] && !matches!(tile, Tile::Start(_)) {
                ctx.tile_problem(
                    i,
                    Code::GraphUnreachableTile,
                    None,
                    "No path from the start reaches this tile; connect it or remove it.".to_owned(),
                );
            }
        }
    }

    check_nesting(ctx, graph);
    check_run_length(ctx, graph);

    let mut watchers: Vec<Vec<u32>> = vec![Vec::new(); journey.tiles.len()];
    for (i, tile) in journey.tiles.iter().enumerate() {
        if let Tile::WaitForTrigger(wait) = tile
            && let Some(WaitCondition::PreviousMessage {
                tile_id: Some(watched),
            }) = &wait.condition
            && let Some(&v) = graph.by_id.get(watched.as_str())
        {
            watchers[v as usize].push(index(i));
        }
    }
    Analysis {
        dominators: graph.dominators(journey),
        watchers,
    }
}

fn check_starts(ctx: &mut Ctx<'_>) {
    let starts: Vec<usize> = ctx
        .journey
        .tiles
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tile::Start(_)))
        .map(|(i, _)| i)
        .collect();
    if starts.is_empty() {
        ctx.journey_problem(
            Code::GraphNoStart,
            Some("tiles"),
            "The journey has no start tile; add one to say how contacts enter.".to_owned(),
        );
    }
    for &i in starts.iter().skip(1) {
        ctx.tile_problem(
            i,
            Code::GraphMultipleStarts,
            None,
            "A journey has one start; remove this extra start tile.".to_owned(),
        );
    }
}

fn check_ids_and_names(ctx: &mut Ctx<'_>, graph: &Graph<'_>) {
    let journey = ctx.journey;
    for &i in &graph.duplicates {
        let tile = &journey.tiles[i as usize];
        ctx.tile_problem(
            i as usize,
            Code::GraphDuplicateTileId,
            Some("id".to_owned()),
            format!(
                "Another tile already has the id \"{}\"; every tile needs its own id.",
                tile.id()
            ),
        );
    }
    for (i, tile) in journey.tiles.iter().enumerate() {
        let chars = name_chars(tile.name());
        if chars > MAX_NAME_CHARS {
            ctx.tile_problem(
                i,
                Code::TileNameTooLong,
                Some("name".to_owned()),
                format!(
                    "The tile's name has {chars} characters; shorten it to {MAX_NAME_CHARS} or fewer."
                ),
            );
        }
        let branches: &mut dyn ExactSizeIterator<Item = (&str, &str)> = match tile {
            Tile::WaitForTrigger(t) => {
                &mut t.branches.iter().map(|b| (b.id.as_str(), b.name.as_str()))
            }
            Tile::AttributeBranch(t) => {
                &mut t.branches.iter().map(|b| (b.id.as_str(), b.name.as_str()))
            }
            _ => continue,
        };
        if branches.len() > MAX_BRANCHES {
            ctx.tile_problem(
                i,
                Code::GraphTooManyBranches,
                Some("branches".to_owned()),
                format!(
                    "This tile has {} branches; the limit is {MAX_BRANCHES} (Other not counted). Chain another tile on Other for the rest.",
                    branches.len()
                ),
            );
        }
        // Tiles have a handful of branches: compare with the earlier ones, hashing only
        // beyond the branch limit (already an error) to stay linear.
        let many = branches.len() > MAX_BRANCHES;
        let mut ids: IdMap<&str, ()> = IdMap::default();
        let mut earlier: [&str; MAX_BRANCHES] = [""; MAX_BRANCHES];
        for (b, (id, name)) in branches.enumerate() {
            let repeated = if many {
                ids.insert(id, ()).is_some()
            } else {
                let seen = earlier[..b].contains(&id);
                earlier[b] = id;
                seen
            };
            if id == OUTPUT_OTHER || id == OUTPUT_NEXT {
                ctx.tile_problem(
                    i,
                    Code::GraphDuplicateBranchId,
                    Some(format!("branches.{b}.id")),
                    format!(
                        "A branch cannot have the id \"{id}\": it is the name of a built-in output."
                    ),
                );
            } else if repeated {
                ctx.tile_problem(
                    i,
                    Code::GraphDuplicateBranchId,
                    Some(format!("branches.{b}.id")),
                    format!(
                        "Another branch of this tile already has the id \"{id}\"; every branch needs its own id."
                    ),
                );
            }
            let chars = name_chars(name);
            if chars > MAX_NAME_CHARS {
                ctx.tile_problem(
                    i,
                    Code::TileNameTooLong,
                    Some(format!("branches.{b}.name")),
                    format!(
                        "The branch's name has {chars} characters; shorten it to {MAX_NAME_CHARS} or fewer."
                    ),
                );
            }
        }
    }
}

fn check_connections(ctx: &mut Ctx<'_>, graph: &Graph<'_>) {
    let journey = ctx.journey;
    // Tiles by their names, never their internal ids.
    let name_of = |id: &str| {
        graph.by_id.get(id).map_or_else(
            || "a tile that no longer exists".to_owned(),
            |&v| tile_label(&journey.tiles[v as usize]),
        )
    };
    for &(c, rejection) in &graph.rejected {
        let connection = &journey.connections[c];
        let from = name_of(&connection.from);
        let (code, field, message) = match rejection {
            Rejection::FromMissing => (
                Code::GraphConnectionFromMissingTile,
                "from",
                "A connection leaves a tile that no longer exists (it was deleted); remove the connection."
                    .to_owned(),
            ),
            Rejection::ToMissing => (
                Code::GraphConnectionToMissingTile,
                "to",
                format!(
                    "A connection from {from} goes to a tile that no longer exists (it was deleted); connect it to another tile."
                ),
            ),
            Rejection::UnknownOutput => (
                Code::GraphConnectionUnknownOutput,
                "output",
                format!(
                    "{} has no output \"{}\" to connect.",
                    super::wait::capitalise(&from),
                    connection.output
                ),
            ),
            Rejection::AlreadyConnected => (
                Code::GraphOutputConnectedTwice,
                "output",
                format!(
                    "Output \"{}\" of {from} is already connected; an output leads to one tile only.",
                    connection.output
                ),
            ),
            Rejection::IntoStart => (
                Code::GraphConnectionIntoStart,
                "to",
                format!(
                    "A connection from {from} goes back into the start tile; contacts only enter at the start."
                ),
            ),
        };
        let path = format!("connections.{c}.{field}");
        ctx.journey_problem(code, Some(&path), message);
    }
}

/// Characters in a name, counted only when its bytes could exceed the limit.
fn name_chars(name: &str) -> usize {
    if name.len() <= MAX_NAME_CHARS {
        name.len()
    } else {
        name.chars().count()
    }
}

/// Open branching regions of a tile: topological positions of the branching tiles whose
/// region contains it, ascending, keeping the innermost [`CAP`] (a journey nested that deep
/// is already reported, so the cap only bounds the work).
#[derive(Clone, Copy)]
struct Open {
    len: usize,
    items: [u32; CAP],
}

const CAP: usize = 2 * MAX_NESTING;

impl Open {
    const EMPTY: Open = Open {
        len: 0,
        items: [0; CAP],
    };

    fn as_slice(&self) -> &[u32] {
        &self.items[..self.len]
    }

    /// Union with `other`, keeping the largest positions.
    fn merge(&mut self, other: &[u32]) {
        let mut merged = [0u32; 2 * CAP];
        let (mut a, mut b, mut len) = (0, 0, 0);
        let mine = self.as_slice();
        while a < mine.len() || b < other.len() {
            let next = match (mine.get(a), other.get(b)) {
                (Some(&x), Some(&y)) if x == y => {
                    a += 1;
                    b += 1;
                    x
                }
                (Some(&x), Some(&y)) if x < y => {
                    a += 1;
                    x
                }
                (Some(_), Some(&y)) | (None, Some(&y)) => {
                    b += 1;
                    y
                }
                (Some(&x), None) => {
                    a += 1;
                    x
                }
                (None, None) => break,
            };
            merged[len] = next;
            len += 1;
        }
        let keep = len.min(CAP);
        self.items[..keep].copy_from_slice(&merged[len - keep..len]);
        self.len = keep;
    }
}

/// Nesting of a tile = branching tiles whose region contains it, itself included; a region
/// runs from the branching tile up to its merge point, the immediate post-dominator (D12).
/// One pass in topological order carries each tile's open regions to its successors,
/// closing a region at its merge point.
fn check_nesting(ctx: &mut Ctx<'_>, graph: &Graph<'_>) {
    let (Some(topo), Some(post)) = (graph.topo.as_ref(), graph.post_dominators()) else {
        return;
    };
    let tiles = &ctx.journey.tiles;
    let mut open = vec![Open::EMPTY; tiles.len()];
    let mut carried = [0u32; CAP + 1];
    for (position, &v) in topo.iter().enumerate() {
        let branching = tiles[v as usize].is_branching();
        let here = open[v as usize];
        let nesting = here.len + usize::from(branching);
        if branching && nesting > MAX_NESTING && graph.reachable[v as usize] {
            ctx.tile_problem(
                v as usize,
                Code::GraphNestingTooDeep,
                None,
                format!(
                    "Branches are nested {nesting} deep at this tile; the limit is {MAX_NESTING}. Bring branches back together before branching again."
                ),
            );
        }
        let mut count = here.len;
        carried[..count].copy_from_slice(here.as_slice());
        if branching {
            carried[count] = index(position);
            count += 1;
        }
        for &s in graph.successors(v) {
            let mut closing = [0u32; CAP + 1];
            let mut kept = 0;
            for &b in &carried[..count] {
                if post.parent(topo[b as usize]) != s {
                    closing[kept] = b;
                    kept += 1;
                }
            }
            let start = kept.saturating_sub(CAP);
            open[s as usize].merge(&closing[start..kept]);
        }
    }
}

/// The longest path of waits from the start (wait times and wait-for-trigger time limits)
/// over 365 days is reported where it first crosses the line.
fn check_run_length(ctx: &mut Ctx<'_>, graph: &Graph<'_>) {
    let (Some(topo), Some(_)) = (graph.topo.as_ref(), graph.start) else {
        return;
    };
    let tiles = &ctx.journey.tiles;
    let mut longest = vec![0i64; tiles.len()];
    for &v in topo {
        if !graph.reachable[v as usize] {
            continue;
        }
        let before = graph
            .predecessors(v)
            .iter()
            .filter(|&&p| graph.reachable[p as usize])
            .map(|&p| longest[p as usize])
            .max()
            .unwrap_or(0);
        let own = match &tiles[v as usize] {
            Tile::WaitTime(t) => match &t.wait {
                Some(WaitSpec::Duration(d)) => minutes(*d).max(0),
                _ => 0,
            },
            Tile::WaitForTrigger(t) => t.time_limit.map_or(0, |d| minutes(d).max(0)),
            _ => 0,
        };
        longest[v as usize] = before.saturating_add(own);
        if longest[v as usize] > MAX_RUN_MINUTES && before <= MAX_RUN_MINUTES {
            let days = longest[v as usize] / (24 * 60);
            let label = tile_label(&tiles[v as usize]);
            ctx.tile_problem(
                v as usize,
                Code::GraphWaitsOverAYear,
                None,
                format!(
                    "Contacts can spend up to {days} days waiting by the time they leave {label}; runs end after 365 days, so some would exit before finishing."
                ),
            );
        }
    }
}
