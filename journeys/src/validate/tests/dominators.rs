//! Dominators of the journey graph, checked against reachability with a tile removed.

use proptest::prelude::*;

use super::*;
use crate::validate::graph::Graph;

/// Tiles reachable from the start without passing through `removed`.
fn reachable_without(graph: &Graph<'_>, removed: Option<u32>) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let Some(start) = graph.start else {
        return seen;
    };
    if Some(start) == removed {
        return seen;
    }
    seen[start as usize] = true;
    let mut stack = vec![start];
    while let Some(v) = stack.pop() {
        for &s in graph.successors(v) {
            if Some(s) != removed && !seen[s as usize] {
                seen[s as usize] = true;
                stack.push(s);
            }
        }
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// On random acyclic journeys, "a dominates b" agrees with "removing a cuts b off".
    #[test]
    fn dominance_matches_brute_force(
        size in 2..24usize,
        edges in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize), 0..60),
    ) {
        let mut journey = Journey::new("j", "Random", "UTC");
        for k in 1..size {
            journey.tiles.push(contact_branch(&format!("t{k}"), 2));
        }
        let outputs = ["b0", "b1", OUTPUT_OTHER];
        for (a, b, output) in edges {
            // Forward edges only (lower index to higher), so the graph is acyclic.
            let (a, b) = (a.index(size), b.index(size));
            if a >= b {
                continue;
            }
            let id = |i: usize| if i == 0 { "start".to_owned() } else { format!("t{i}") };
            let output = if a == 0 { OUTPUT_NEXT } else { outputs[output] };
            connect(&mut journey, &id(a), output, &id(b));
        }
        let graph = Graph::build(&journey);
        let dominators = graph.dominators(&journey).expect("acyclic with one start");
        let all = reachable_without(&graph, None);
        for a in 0..size as u32 {
            let cut = reachable_without(&graph, Some(a));
            for b in 0..size as u32 {
                if !all[b as usize] || !all[a as usize] {
                    prop_assert!(!dominators.dominates(a, b));
                    continue;
                }
                let expected = a == b || !cut[b as usize];
                prop_assert_eq!(dominators.dominates(a, b), expected, "a={} b={}", a, b);
            }
        }

        // Post-dominators: every way out (an output left open) joins one sink, `size`.
        let post = graph.post_dominators().expect("acyclic");
        let outputs_of = |v: u32| if v == 0 { 1 } else { 3 };
        let leaves = |v: u32| graph.out_edges(v).len() < outputs_of(v);
        let topo = graph.topo.clone().expect("acyclic");
        let position = |v: u32| topo.iter().position(|&t| t == v).expect("in order");
        for v in 0..size as u32 {
            // p post-dominates v when, without p, no way out is reachable from v.
            let escapes_without = |p: u32| {
                let mut seen = vec![false; size];
                let mut stack = vec![v];
                seen[v as usize] = true;
                while let Some(t) = stack.pop() {
                    if leaves(t) {
                        return true;
                    }
                    for &s in graph.successors(t) {
                        if s != p && !seen[s as usize] {
                            seen[s as usize] = true;
                            stack.push(s);
                        }
                    }
                }
                false
            };
            // The nearest strict post-dominator comes first on every path, so first in
            // topological order; the sink when there is none.
            let expected = (0..size as u32)
                .filter(|&p| p != v && !escapes_without(p))
                .min_by_key(|&p| position(p))
                .unwrap_or(size as u32);
            prop_assert_eq!(post.parent(v), expected, "v={}", v);
        }
    }
}
