//! Where a run on Restate has been: the tiles it entered, when, the branch it left each by and
//! when it left (or ended there), kept in the run's own state ([`super::RunRecord`]'s `path`)
//! and read back for the contacts at a tile (`executor/tiles.rs`). The same visits the SQLite
//! executor writes to `run_tile` and `contact_run` (`storage/steps.rs`), from the same counts.

use serde::{Deserialize, Serialize};

/// One visit of one tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Visit {
    /// The tile.
    pub(super) tile: String,
    /// When the run entered it (milliseconds since the epoch).
    pub(super) entered_at: i64,
    /// The branch it left by (a branching tile's output id or `other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) branch: Option<String>,
    /// When it left by that branch, or ended on the tile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) left_at: Option<i64>,
}

/// Add what one invocation's counts (`(tile, outcome key)` in order, as
/// `storage::count_key` spells them) say about the run's visits, at `now_ms`: entering a tile
/// opens a visit, leaving by a branch notes which and when, ending on the tile notes when.
pub(super) fn record(path: &mut Vec<Visit>, counts: &[(String, String)], now_ms: i64) {
    for (tile, outcome) in counts {
        let on_it = path.last_mut().filter(|v| v.tile == *tile);
        match (outcome.as_str(), on_it) {
            ("entered", _) => path.push(Visit {
                tile: tile.clone(),
                entered_at: now_ms,
                branch: None,
                left_at: None,
            }),
            ("completed", Some(visit)) => {
                visit.left_at.get_or_insert(now_ms);
            }
            (other, Some(visit)) => {
                if let Some(branch) = other.strip_prefix("branch:") {
                    visit.branch = Some(branch.to_owned());
                    visit.left_at = Some(now_ms);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(t, o)| ((*t).to_owned(), (*o).to_owned()))
            .collect()
    }

    #[test]
    fn entering_branching_and_ending_make_the_visits_the_sqlite_executor_writes() {
        let mut path = Vec::new();
        record(
            &mut path,
            &counts(&[("start", "entered"), ("call", "entered"), ("call", "sent")]),
            10,
        );
        record(
            &mut path,
            &counts(&[
                ("call", "attempted:noAnswer"),
                ("call", "branch:attempted"),
                ("exit", "entered"),
                ("exit", "completed"),
            ]),
            20,
        );
        let visit = |tile: &str, entered_at, branch: Option<&str>, left_at| Visit {
            tile: tile.to_owned(),
            entered_at,
            branch: branch.map(str::to_owned),
            left_at,
        };
        assert_eq!(
            path,
            vec![
                visit("start", 10, None, None),
                visit("call", 10, Some("attempted"), Some(20)),
                visit("exit", 20, None, Some(20)),
            ]
        );
    }

    #[test]
    fn a_branch_of_another_tile_than_the_one_the_run_is_on_changes_nothing() {
        let mut path = Vec::new();
        record(&mut path, &counts(&[("wait", "entered")]), 5);
        record(&mut path, &counts(&[("call", "branch:attempted")]), 6);
        assert_eq!(path.len(), 1);
        assert_eq!((path[0].branch.clone(), path[0].left_at), (None, None));
    }
}
