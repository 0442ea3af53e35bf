//! Dominators and post-dominators over the journey graph: a tree built in one pass over a
//! topological order, with jump pointers so "is A before B on every path" is logarithmic.

use super::graph::{Gate, NONE};

/// Dominators over tiles and gate nodes.
pub(super) struct Dominators {
    pub(super) tree: DomTree,
    /// `gates[2 * wait + gate]`: the gate node of a wait's gate, `NONE` when it has none.
    pub(super) gates: Vec<u32>,
}

pub(super) fn gate_slot(wait: u32, gate: Gate) -> usize {
    2 * wait as usize
        + match gate {
            Gate::Outcome => 0,
            Gate::Blocked => 1,
        }
}

impl Dominators {
    /// Whether every path from the start to `b` passes through tile `a`.
    pub(super) fn dominates(&self, a: u32, b: u32) -> bool {
        self.tree.dominates(a, b)
    }

    /// Whether every path from the start to tile `b` leaves wait tile `wait` by one of the
    /// branches of `gate`.
    pub(super) fn gate_dominates(&self, wait: u32, gate: Gate, b: u32) -> bool {
        let node = self.gates[gate_slot(wait, gate)];
        node != NONE && self.tree.dominates(node, b)
    }
}

/// A dominator tree with skew-binary jump pointers (Myers): one extra pointer per node, set
/// in constant time, and any ancestor or common ancestor found in `O(log n)` steps.
pub(super) struct DomTree {
    pub(super) idom: Vec<u32>,
    pub(super) depth: Vec<u32>,
    pub(super) jump: Vec<u32>,
}

impl DomTree {
    /// Build from `root` over `order` (a topological order in which every node comes after
    /// its predecessors), `preds` giving each node's predecessors.
    pub(super) fn build<'p>(
        n: usize,
        root: u32,
        order: &[u32],
        preds: impl Fn(u32) -> &'p [u32],
    ) -> DomTree {
        let mut tree = DomTree {
            idom: vec![NONE; n],
            depth: vec![0; n],
            jump: vec![NONE; n],
        };
        tree.idom[root as usize] = root;
        tree.jump[root as usize] = root;
        for &v in order {
            if v == root {
                continue;
            }
            let mut candidate = NONE;
            for &p in preds(v) {
                if tree.idom[p as usize] == NONE {
                    continue;
                }
                candidate = if candidate == NONE {
                    p
                } else {
                    tree.common_ancestor(candidate, p)
                };
            }
            if candidate != NONE {
                tree.set(v, candidate);
            }
        }
        tree
    }

    fn set(&mut self, v: u32, parent: u32) {
        let p = parent as usize;
        let jp = self.jump[p] as usize;
        let jjp = self.jump[jp];
        self.idom[v as usize] = parent;
        self.depth[v as usize] = self.depth[p] + 1;
        self.jump[v as usize] =
            if self.depth[p] - self.depth[jp] == self.depth[jp] - self.depth[jjp as usize] {
                jjp
            } else {
                parent
            };
    }

    fn ancestor_at_depth(&self, mut v: u32, depth: u32) -> u32 {
        while self.depth[v as usize] > depth {
            let jump = self.jump[v as usize];
            v = if self.depth[jump as usize] >= depth {
                jump
            } else {
                self.idom[v as usize]
            };
        }
        v
    }

    fn common_ancestor(&self, a: u32, b: u32) -> u32 {
        let depth = self.depth[a as usize].min(self.depth[b as usize]);
        let (mut a, mut b) = (
            self.ancestor_at_depth(a, depth),
            self.ancestor_at_depth(b, depth),
        );
        // At equal depths the jump pointers land at equal depths too.
        while a != b {
            let (ja, jb) = (self.jump[a as usize], self.jump[b as usize]);
            if ja != jb {
                a = ja;
                b = jb;
            } else {
                a = self.idom[a as usize];
                b = self.idom[b as usize];
            }
        }
        a
    }

    /// The immediate dominator of `v` (itself for the root), `NONE` when unreachable.
    pub(super) fn parent(&self, v: u32) -> u32 {
        self.idom[v as usize]
    }

    /// Whether `a` dominates `b` (both reachable; a node dominates itself).
    fn dominates(&self, a: u32, b: u32) -> bool {
        if self.idom[a as usize] == NONE || self.idom[b as usize] == NONE {
            return false;
        }
        self.depth[a as usize] <= self.depth[b as usize]
            && self.ancestor_at_depth(b, self.depth[a as usize]) == a
    }
}
