//! `VersionTally`, keyed `{journey}:{number}@{shard}`: a share of a version's per-tile counts
//! and runs by status, taken from the one-way report each invocation of a run sends (a run
//! reports to the shard its key hashes to, [`tally_key`]).
//!
//! A Virtual Object takes one exclusive call at a time, a round trip to the handlers each:
//! with every run of a version reporting to one object, that object's queue set the pace of
//! the whole version (2 reports per contact, ≈ 21 a second on one object here, 5 Dec 2026), so the reports are
//! spread over [`TALLY_SHARDS`] objects and a read sums them ([`Tally::add`]). A stop is
//! applied when reading ([`VersionRuns::stopped_now`]): the shards only add up.

use std::collections::BTreeMap;

use restate_sdk::prelude::*;
use serde::{Deserialize, Serialize};

use super::version::{RunReport, VersionRuns};
use crate::core::RunStatus;
use crate::storage::TileCounts;

/// How many objects share a version's reports: what the reports of one version may take at
/// once (a read of the counts makes this many calls).
pub const TALLY_SHARDS: u64 = 8;

/// The key of the tally object a run reports to (FNV-1a of its key, so every process agrees).
pub(super) fn tally_key(version: &str, run_key: &str) -> String {
    let hash = run_key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    shard_key(version, hash % TALLY_SHARDS)
}

/// The key of a version's tally shard `shard`.
pub(super) fn shard_key(version: &str, shard: u64) -> String {
    format!("{version}@{shard}")
}

/// One shard's share, or their sum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    /// Per-tile counts (the live `waiting` and `held` are in `runs`' gauges).
    pub counts: BTreeMap<String, TileCounts>,
    /// Runs by status and where the active ones stand (`stopped` is the version's, not here).
    pub runs: VersionRuns,
}

impl Tally {
    /// Add another shard's share.
    pub fn add(&mut self, other: Tally) {
        for (tile, counts) in other.counts {
            add_counts(self.counts.entry(tile).or_default(), counts);
        }
        self.runs.add_runs(&other.runs);
    }
}

/// Add `from` to `into` (every field: a field added to `TileCounts` does not compile here
/// until it is summed).
fn add_counts(into: &mut TileCounts, from: TileCounts) {
    let TileCounts {
        entered,
        waiting,
        held,
        held_total,
        sent,
        blocked,
        attempted,
        not_attempted,
        branches,
        dispositions,
        completed,
    } = from;
    into.entered += entered;
    into.waiting += waiting;
    into.held += held;
    into.held_total += held_total;
    into.sent += sent;
    into.completed += completed;
    for (map, more) in [
        (&mut into.blocked, blocked),
        (&mut into.attempted, attempted),
        (&mut into.not_attempted, not_attempted),
        (&mut into.branches, branches),
        (&mut into.dispositions, dispositions),
    ] {
        for (key, n) in more {
            *map.entry(key).or_default() += n;
        }
    }
}

/// A share of one version's counts and runs.
pub struct VersionTally;

#[restate_sdk::object]
impl VersionTally {
    /// What one invocation of a run changed: counts, its gauge, its start and end.
    #[handler]
    async fn report(
        &self,
        ctx: ObjectContext<'_>,
        report: Json<RunReport>,
    ) -> Result<(), HandlerError> {
        let report = report.into_inner();
        let mut tally = ctx
            .get::<Json<Tally>>("tally")
            .await?
            .map(|Json(t)| t)
            .unwrap_or_default();
        for (tile, outcome) in report.counts {
            tally.counts.entry(tile).or_default().add(&outcome, 1);
        }
        let runs = &mut tally.runs;
        if report.started {
            runs.add(RunStatus::Active, 1);
        }
        if let Some(left) = &report.left {
            runs.gauge(left, -1);
        }
        if let Some(entered) = &report.entered {
            runs.gauge(entered, 1);
        }
        if report.ended {
            runs.add(RunStatus::Active, -1);
            runs.add(RunStatus::Done, 1);
        }
        ctx.set("tally", Json(tally));
        Ok(())
    }

    /// This shard's share.
    #[handler]
    async fn read(&self, ctx: SharedObjectContext<'_>) -> Result<Json<Tally>, HandlerError> {
        Ok(Json(
            ctx.get::<Json<Tally>>("tally")
                .await?
                .map(|Json(t)| t)
                .unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_reports_to_one_shard_of_its_version_and_the_shards_spread() {
        let key = tally_key("renewals:1", "renewals.1.c-1");
        assert_eq!(key, tally_key("renewals:1", "renewals.1.c-1"));
        assert!(key.starts_with("renewals:1@"), "{key}");
        let used: std::collections::BTreeSet<String> = (0..200)
            .map(|i| tally_key("renewals:1", &format!("renewals.1.c-{i}")))
            .collect();
        assert_eq!(used.len() as u64, TALLY_SHARDS, "{used:?}");
    }

    #[test]
    fn shares_add_up_to_the_version() {
        let share = |tile: &str, active: i64| {
            let mut t = Tally::default();
            t.counts
                .entry(tile.to_owned())
                .or_default()
                .add("entered", 2);
            t.runs.add(RunStatus::Active, active);
            t.runs
                .gauge(&(tile.to_owned(), "waiting".to_owned()), active);
            t
        };
        let mut sum = Tally::default();
        sum.add(share("call", 1));
        sum.add(share("call", 2));
        sum.add(share("wait", 1));
        assert_eq!(sum.counts["call"].entered, 4);
        assert_eq!(sum.counts["wait"].entered, 2);
        assert_eq!(sum.runs.runs["active"], 4);
        assert_eq!(sum.runs.gauges["call"]["waiting"], 3);
    }
}
