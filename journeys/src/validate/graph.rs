//! The journey as a graph, indexed once: id → tile, adjacency, topological order,
//! reachability, dominators and post-dominators.
//!
//! Everything here is linear or `O(n log n)`: dominator trees are built in one pass over the
//! topological order (the graph is acyclic when they are built), with jump pointers for the
//! nearest common ancestor, so "is A before B on every path" is a logarithmic query.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub(super) use super::dominators::Dominators;
use super::dominators::{DomTree, gate_slot};
use crate::document::{Interaction, Journey, OUTPUT_NEXT, OUTPUT_OTHER, Tile, WaitCondition};

/// No node.
pub(super) const NONE: u32 = u32::MAX;

/// A small, fast, deterministic hasher for ids (the "Fx" hash of rustc): the default
/// SipHash was the largest single cost of validating a large journey. Keys are tile and
/// catalog ids of one document, not a server-wide table, so flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A hash map keyed by ids.
pub(super) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A connection whose both ends and output resolved.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    /// Tile index the contact leaves.
    pub(super) from: u32,
    /// Output index on that tile: `0` for `next`, branch position, or branch count for Other.
    pub(super) output: u32,
    /// Tile index the contact enters.
    pub(super) to: u32,
}

/// Why a connection is left out of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rejection {
    /// `from` names no tile.
    FromMissing,
    /// `to` names no tile.
    ToMissing,
    /// The tile has no such output.
    UnknownOutput,
    /// An earlier connection already leaves this output.
    AlreadyConnected,
    /// It enters the start tile.
    IntoStart,
}

/// Which outputs of a wait-for-trigger tile a virtual node gathers (see [`Graph::gate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    /// The "attempted" and "not attempted" branches: where the call's result is known.
    Outcome,
    /// The "blocked" branch: where the block code is known.
    Blocked,
}

impl Gate {
    /// The gate an interaction's branch belongs to.
    pub(super) fn of(interaction: Interaction) -> Gate {
        match interaction {
            Interaction::VoiceCallAttempted | Interaction::VoiceCallNotAttempted => Gate::Outcome,
            Interaction::VoiceCallBlocked => Gate::Blocked,
        }
    }
}

/// Compressed adjacency: `targets[offsets[v]..offsets[v + 1]]`.
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    fn build(nodes: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut offsets = vec![0u32; nodes + 1];
        for &(from, _) in pairs {
            offsets[from as usize + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; pairs.len()];
        for &(from, to) in pairs {
            let slot = &mut fill[from as usize];
            targets[*slot as usize] = to;
            *slot += 1;
        }
        Csr { offsets, targets }
    }

    fn of(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}

/// The journey's graph.
pub(super) struct Graph<'a> {
    /// Tile id → index of its first tile with that id.
    pub(super) by_id: IdMap<&'a str, u32>,
    /// Tiles whose id an earlier tile already has.
    pub(super) duplicates: Vec<u32>,
    /// Resolved connections, grouped by the tile they leave (first connection of an output
    /// wins).
    edges: Vec<Edge>,
    /// `edges[edge_offsets[v]..edge_offsets[v + 1]]` leave tile `v`.
    edge_offsets: Vec<u32>,
    /// Connections left out of the graph, by index in the document, with why.
    pub(super) rejected: Vec<(usize, Rejection)>,
    succ: Csr,
    pred: Csr,
    /// The single start tile, when there is exactly one.
    pub(super) start: Option<u32>,
    /// Tiles in topological order, when the graph is acyclic.
    pub(super) topo: Option<Vec<u32>>,
    /// Reachable from the start.
    pub(super) reachable: Vec<bool>,
    /// Per tile, whether some output leads nowhere (an implicit exit).
    open_output: Vec<bool>,
}

/// Output index of `key` on `tile`, if the tile has such an output.
pub(super) fn output_index(tile: &Tile, key: &str) -> Option<u32> {
    fn position<'b>(
        mut ids: impl Iterator<Item = &'b str>,
        count: usize,
        key: &str,
    ) -> Option<u32> {
        if key == OUTPUT_OTHER {
            return u32::try_from(count).ok();
        }
        ids.position(|id| id == key)
            .and_then(|i| u32::try_from(i).ok())
    }
    match tile {
        Tile::Start(_) | Tile::VoiceConversation(_) | Tile::WaitTime(_) => {
            (key == OUTPUT_NEXT).then_some(0)
        }
        Tile::WaitForTrigger(t) => position(
            t.branches.iter().map(|b| b.id.as_str()),
            t.branches.len(),
            key,
        ),
        Tile::AttributeBranch(t) => position(
            t.branches.iter().map(|b| b.id.as_str()),
            t.branches.len(),
            key,
        ),
        Tile::Exit(_) => None,
    }
}

/// How many outputs a tile has.
fn output_count(tile: &Tile) -> usize {
    match tile {
        Tile::Start(_) | Tile::VoiceConversation(_) | Tile::WaitTime(_) => 1,
        Tile::WaitForTrigger(t) => t.branches.len() + 1,
        Tile::AttributeBranch(t) => t.branches.len() + 1,
        Tile::Exit(_) => 0,
    }
}

impl<'a> Graph<'a> {
    /// Index the journey. `edges` keeps only connections whose ends and output exist and
    /// whose output is not already connected; the caller reports the others.
    pub(super) fn build(journey: &'a Journey) -> Graph<'a> {
        let n = journey.tiles.len();
        let mut by_id = IdMap::with_capacity_and_hasher(n, Default::default());
        let mut duplicates = Vec::new();
        let mut start = None;
        let mut starts = 0usize;
        for (i, tile) in journey.tiles.iter().enumerate() {
            let i = index(i);
            match by_id.entry(tile.id()) {
                std::collections::hash_map::Entry::Occupied(_) => duplicates.push(i),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
            if matches!(tile, Tile::Start(_)) {
                starts += 1;
                start = Some(i);
            }
        }
        if starts != 1 {
            start = None;
        }

        let mut out_offsets = Vec::with_capacity(n + 1);
        let mut total = 0usize;
        for tile in &journey.tiles {
            out_offsets.push(total);
            total += output_count(tile);
        }
        out_offsets.push(total);
        let mut used = vec![false; total];

        let mut edges = Vec::with_capacity(journey.connections.len());
        let mut rejected = Vec::new();
        // Connections usually come grouped by the tile they leave: reuse the last look-up.
        let mut last_from: Option<(&str, u32)> = None;
        for (c, connection) in journey.connections.iter().enumerate() {
            let from = match last_from {
                Some((id, i)) if id == connection.from => Some(i),
                _ => {
                    let found = by_id.get(connection.from.as_str()).copied();
                    last_from = found.map(|i| (connection.from.as_str(), i));
                    found
                }
            };
            let to = by_id.get(connection.to.as_str()).copied();
            if from.is_none() {
                rejected.push((c, Rejection::FromMissing));
            }
            if to.is_none() {
                rejected.push((c, Rejection::ToMissing));
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let Some(output) = output_index(&journey.tiles[from as usize], &connection.output)
            else {
                rejected.push((c, Rejection::UnknownOutput));
                continue;
            };
            if matches!(journey.tiles[to as usize], Tile::Start(_)) {
                rejected.push((c, Rejection::IntoStart));
                continue;
            }
            let slot = out_offsets[from as usize] + output as usize;
            if used[slot] {
                rejected.push((c, Rejection::AlreadyConnected));
                continue;
            }
            used[slot] = true;
            edges.push(Edge { from, output, to });
        }
        edges.sort_by_key(|e| e.from);
        let mut edge_offsets = vec![0u32; n + 1];
        for e in &edges {
            edge_offsets[e.from as usize + 1] += 1;
        }
        for i in 0..n {
            edge_offsets[i + 1] += edge_offsets[i];
        }

        let mut open_output = vec![false; n];
        for (i, open) in open_output.iter_mut().enumerate() {
            *open = out_offsets[i] == out_offsets[i + 1]
                || used[out_offsets[i]..out_offsets[i + 1]].iter().any(|u| !u);
        }

        let forward: Vec<(u32, u32)> = edges.iter().map(|e| (e.from, e.to)).collect();
        let backward: Vec<(u32, u32)> = edges.iter().map(|e| (e.to, e.from)).collect();
        let succ = Csr::build(n, &forward);
        let pred = Csr::build(n, &backward);

        let mut graph = Graph {
            by_id,
            duplicates,
            edges,
            edge_offsets,
            rejected,
            succ,
            pred,
            start,
            topo: None,
            reachable: vec![false; n],
            open_output,
        };
        graph.topo = graph.topological_order();
        graph.mark_reachable();
        graph
    }

    /// Number of tiles.
    pub(super) fn len(&self) -> usize {
        self.reachable.len()
    }

    /// Connections leaving tile `v`.
    pub(super) fn out_edges(&self, v: u32) -> &[Edge] {
        let v = v as usize;
        &self.edges[self.edge_offsets[v] as usize..self.edge_offsets[v + 1] as usize]
    }

    /// Tiles this tile leads to.
    pub(super) fn successors(&self, v: u32) -> &[u32] {
        self.succ.of(v)
    }

    /// Tiles leading to this tile.
    pub(super) fn predecessors(&self, v: u32) -> &[u32] {
        self.pred.of(v)
    }

    fn topological_order(&self) -> Option<Vec<u32>> {
        let n = self.len();
        let mut indegree: Vec<u32> = (0..n).map(|v| len32(self.pred.of(index(v)))).collect();
        let mut order: Vec<u32> = (0..n).filter(|&v| indegree[v] == 0).map(index).collect();
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for &s in self.succ.of(v) {
                indegree[s as usize] -= 1;
                if indegree[s as usize] == 0 {
                    order.push(s);
                }
            }
        }
        (order.len() == n).then_some(order)
    }

    fn mark_reachable(&mut self) {
        let Some(start) = self.start else {
            return;
        };
        let mut stack = vec![start];
        self.reachable[start as usize] = true;
        while let Some(v) = stack.pop() {
            for &s in self.succ.of(v) {
                if !self.reachable[s as usize] {
                    self.reachable[s as usize] = true;
                    stack.push(s);
                }
            }
        }
    }

    /// Tiles on a loop, when the graph has one: what remains after peeling off tiles with
    /// no incoming and no outgoing edges among the rest. The first loop's tiles, in order
    /// of travel, starting from the lowest tile index on it.
    pub(super) fn a_cycle(&self) -> Option<Vec<u32>> {
        let n = self.len();
        let mut alive = vec![true; n];
        let mut indegree: Vec<u32> = (0..n).map(|v| len32(self.pred.of(index(v)))).collect();
        let mut outdegree: Vec<u32> = (0..n).map(|v| len32(self.succ.of(index(v)))).collect();
        let mut queue: Vec<u32> = (0..n)
            .filter(|&v| indegree[v] == 0 || outdegree[v] == 0)
            .map(index)
            .collect();
        for &v in &queue {
            alive[v as usize] = false;
        }
        while let Some(v) = queue.pop() {
            for &s in self.succ.of(v) {
                indegree[s as usize] -= 1;
                if alive[s as usize] && indegree[s as usize] == 0 {
                    alive[s as usize] = false;
                    queue.push(s);
                }
            }
            for &p in self.pred.of(v) {
                outdegree[p as usize] -= 1;
                if alive[p as usize] && outdegree[p as usize] == 0 {
                    alive[p as usize] = false;
                    queue.push(p);
                }
            }
        }
        let first = alive.iter().position(|&a| a)?;
        // Every remaining tile has a remaining successor: walk until a tile repeats.
        let mut seen = HashMap::new();
        let mut walk = Vec::new();
        let mut v = index(first);
        loop {
            if let Some(&at) = seen.get(&v) {
                let mut cycle: Vec<u32> = walk[at..].to_vec();
                let lowest = cycle
                    .iter()
                    .enumerate()
                    .min_by_key(|&(_, &t)| t)
                    .map_or(0, |(i, _)| i);
                cycle.rotate_left(lowest);
                return Some(cycle);
            }
            seen.insert(v, walk.len());
            walk.push(v);
            v = *self.succ.of(v).iter().find(|&&s| alive[s as usize])?;
        }
    }

    /// Dominators from the start over the tiles plus one virtual node per gate of each
    /// wait-for-trigger tile that watches a message: the gate node sits on the edges of its
    /// branches, so "every path to X passes through one of those branches" is "the gate
    /// dominates X". `None` without a single start or with a loop.
    pub(super) fn dominators(&self, journey: &Journey) -> Option<Dominators> {
        let start = self.start?;
        let topo = self.topo.as_ref()?;
        let n = self.len();
        // Virtual gate nodes, numbered after the tiles: `gates[2 * wait + gate]`.
        let mut gates = vec![NONE; 2 * n];
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(self.edges.len() * 2);
        let mut gate_nodes: Vec<(u32, u32)> = Vec::new();
        for edge in &self.edges {
            let gate = match &journey.tiles[edge.from as usize] {
                Tile::WaitForTrigger(w)
                    if matches!(w.condition, Some(WaitCondition::PreviousMessage { .. })) =>
                {
                    w.branches
                        .get(edge.output as usize)
                        .and_then(|b| b.interaction)
                        .map(Gate::of)
                }
                _ => None,
            };
            match gate {
                Some(gate) => {
                    let slot = &mut gates[gate_slot(edge.from, gate)];
                    if *slot == NONE {
                        *slot = index(n + gate_nodes.len());
                        gate_nodes.push((*slot, edge.from));
                    }
                    pairs.push((edge.to, *slot));
                }
                None => pairs.push((edge.to, edge.from)),
            }
        }
        let total = n + gate_nodes.len();
        // Gate nodes were created in edge order, which is grouped by wait tile.
        let mut gate_offsets = vec![0u32; n + 1];
        for &(node, wait) in &gate_nodes {
            pairs.push((node, wait));
            gate_offsets[wait as usize + 1] += 1;
        }
        for i in 0..n {
            gate_offsets[i + 1] += gate_offsets[i];
        }
        let preds = Csr::build(total, &pairs);
        // Order: each tile, then its gate nodes (which only it leads to).
        let mut order = Vec::with_capacity(total);
        for &v in topo {
            order.push(v);
            let range = gate_offsets[v as usize] as usize..gate_offsets[v as usize + 1] as usize;
            order.extend(gate_nodes[range].iter().map(|&(node, _)| node));
        }
        let tree = DomTree::build(total, start, &order, |v| preds.of(v));
        Some(Dominators { tree, gates })
    }

    /// Immediate post-dominator of every tile, with every way out (exit tiles and outputs
    /// left unconnected) joined to one virtual sink numbered `len()`. `None` with a loop.
    pub(super) fn post_dominators(&self) -> Option<DomTree> {
        let topo = self.topo.as_ref()?;
        let n = self.len();
        let sink = index(n);
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(self.edges.len() + n);
        for edge in &self.edges {
            pairs.push((edge.from, edge.to));
        }
        for v in 0..n {
            if self.open_output[v] {
                pairs.push((index(v), sink));
            }
        }
        let reverse_preds = Csr::build(n + 1, &pairs);
        let mut order = Vec::with_capacity(n + 1);
        order.push(sink);
        order.extend(topo.iter().rev());
        Some(DomTree::build(n + 1, sink, &order, |v| reverse_preds.of(v)))
    }
}

/// A tile index as `u32` (documents hold at most 100,000 tiles).
pub(super) fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NONE)
}

fn len32(slice: &[u32]) -> u32 {
    u32::try_from(slice.len()).unwrap_or(NONE)
}
