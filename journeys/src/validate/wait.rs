//! Wait-for-trigger and wait-time rules.

use chrono::TimeZone;

use crate::document::{Tile, WaitCondition, WaitForTriggerTile, WaitSpec, WaitTimeTile};

use super::branch::{List, Scope, check_conditions};
use super::graph::{Graph, index};
use super::structure::Analysis;
use super::{Code, Ctx, MAX_WAIT_MINUTES, describe, minutes, tile_label};

pub(super) fn check_tile(
    ctx: &mut Ctx<'_>,
    graph: &Graph<'_>,
    analysis: &Analysis,
    i: usize,
    tile: &Tile,
) {
    match tile {
        Tile::WaitForTrigger(wait) => check_wait_for_trigger(ctx, graph, analysis, i, wait),
        Tile::WaitTime(wait) => check_wait_time(ctx, i, wait),
        _ => {}
    }
}

fn check_wait_for_trigger(
    ctx: &mut Ctx<'_>,
    graph: &Graph<'_>,
    analysis: &Analysis,
    i: usize,
    wait: &WaitForTriggerTile,
) {
    match wait.time_limit {
        None => ctx.tile_problem(
            i,
            Code::WaitTimeLimitMissing,
            Some("timeLimit".to_owned()),
            "Time limit is required: set how long to wait before contacts take Other.".to_owned(),
        ),
        Some(limit) if limit.amount <= 0 => ctx.tile_problem(
            i,
            Code::WaitTimeLimitNotPositive,
            Some("timeLimit.amount".to_owned()),
            "The time limit must be at least 1 minute.".to_owned(),
        ),
        Some(limit) if minutes(limit) > MAX_WAIT_MINUTES => ctx.tile_problem(
            i,
            Code::WaitTimeLimitTooLong,
            Some("timeLimit".to_owned()),
            format!(
                "The time limit is {}; a wait can last at most 90 days.",
                describe(limit)
            ),
        ),
        Some(_) => {}
    }

    if wait.branches.is_empty() {
        ctx.tile_problem(
            i,
            Code::WaitNoBranches,
            Some("branches".to_owned()),
            "Add at least one branch; with none, every contact waits out the time limit."
                .to_owned(),
        );
    }

    let Some(condition) = &wait.condition else {
        ctx.tile_problem(
            i,
            Code::WaitConditionMissing,
            Some("condition".to_owned()),
            "Choose what to wait for: an interaction with a previous message, or a trigger."
                .to_owned(),
        );
        return;
    };
    match condition {
        WaitCondition::PreviousMessage { tile_id } => {
            let watched = check_watched(ctx, graph, analysis, i, tile_id.as_deref());
            let mut seen: Vec<crate::document::Interaction> = Vec::new();
            for (b, branch) in wait.branches.iter().enumerate() {
                let path = || Some(format!("branches.{b}.interaction"));
                let Some(interaction) = branch.interaction else {
                    ctx.tile_problem(
                        i,
                        Code::WaitBranchWithoutInteraction,
                        path(),
                        "Choose the interaction this branch waits for.".to_owned(),
                    );
                    continue;
                };
                if seen.contains(&interaction) {
                    ctx.tile_problem(
                        i,
                        Code::WaitDuplicateInteraction,
                        path(),
                        format!(
                            "An earlier branch already waits for \"{}\", so this branch can never be taken.",
                            interaction.label()
                        ),
                    );
                    continue;
                }
                seen.push(interaction);
                if let Some(channel) = watched.and_then(Tile::message_channel)
                    && interaction.channel() != channel
                {
                    ctx.tile_problem(
                        i,
                        Code::WaitInteractionWrongChannel,
                        path(),
                        format!(
                            "\"{}\" is not an interaction of the watched message's channel.",
                            interaction.label()
                        ),
                    );
                }
            }
        }
        WaitCondition::Trigger { trigger_name } => {
            if trigger_name.as_deref().is_none_or(|t| t.trim().is_empty()) {
                ctx.tile_problem(
                    i,
                    Code::WaitTriggerMissing,
                    Some("condition.triggerName".to_owned()),
                    "Choose the trigger to wait for.".to_owned(),
                );
            } else if let Some(name) = trigger_name.as_deref() {
                let listed = ctx.catalog.has_trigger(name.trim());
                ctx.check_listed(
                    i,
                    listed,
                    (Code::WaitTriggerUnknown, Code::WaitTriggerUnverified),
                    "condition.triggerName".to_owned(),
                    "trigger",
                    name.trim(),
                );
            }
            for (b, branch) in wait.branches.iter().enumerate() {
                if branch.interaction.is_some() {
                    ctx.tile_problem(
                        i,
                        Code::WaitInteractionOnTriggerWait,
                        Some(format!("branches.{b}.interaction")),
                        "This wait waits for a trigger, not a message: remove the interaction or wait for a previous message instead.".to_owned(),
                    );
                }
                check_conditions(ctx, i, List::Branch(b), &branch.conditions, &Scope::Trigger);
            }
        }
    }
}

/// Checks the watched message tile; returns it when it exists and sends messages.
fn check_watched<'a>(
    ctx: &mut Ctx<'a>,
    graph: &Graph<'_>,
    analysis: &Analysis,
    i: usize,
    tile_id: Option<&str>,
) -> Option<&'a Tile> {
    let path = || Some("condition.tileId".to_owned());
    let Some(id) = tile_id.filter(|s| !s.trim().is_empty()) else {
        ctx.tile_problem(
            i,
            Code::WaitMessageMissing,
            path(),
            "Choose the earlier message tile whose interactions this tile waits for.".to_owned(),
        );
        return None;
    };
    let Some(&m) = graph.by_id.get(id) else {
        ctx.tile_problem(
            i,
            Code::WaitMessageUnknown,
            path(),
            format!(
                "{} watches a message tile that no longer exists (it was deleted); choose an earlier message tile.",
                capitalise(&tile_label(&ctx.journey.tiles[i]))
            ),
        );
        return None;
    };
    let journey = ctx.journey;
    let watched = &journey.tiles[m as usize];
    if watched.message_channel().is_none() {
        ctx.tile_problem(
            i,
            Code::WaitMessageNotAMessageTile,
            path(),
            format!(
                "{} sends no message, so it has no interactions to wait for; choose a voice conversation tile.",
                capitalise(&tile_label(watched))
            ),
        );
        return None;
    }
    if let Some(dominators) = &analysis.dominators
        && graph.reachable[i]
        && !dominators.dominates(m, index(i))
    {
        ctx.tile_problem(
            i,
            Code::WaitMessageNotUpstream,
            path(),
            format!(
                "Some contacts reach this tile without passing {}, so there is no call to wait for. Watch a message tile that comes before this one on every path.",
                tile_label(watched)
            ),
        );
    }
    Some(watched)
}

fn check_wait_time(ctx: &mut Ctx<'_>, i: usize, wait: &WaitTimeTile) {
    match &wait.wait {
        None => ctx.tile_problem(
            i,
            Code::WaitTimeMissing,
            Some("wait".to_owned()),
            "Choose how long to wait, or until when.".to_owned(),
        ),
        Some(WaitSpec::Duration(duration)) => {
            if duration.amount <= 0 {
                ctx.tile_problem(
                    i,
                    Code::WaitTimeNotPositive,
                    Some("wait.amount".to_owned()),
                    "The wait must be at least 1 minute.".to_owned(),
                );
            } else if minutes(*duration) > MAX_WAIT_MINUTES {
                ctx.tile_problem(
                    i,
                    Code::WaitTimeTooLong,
                    Some("wait".to_owned()),
                    format!(
                        "The wait is {}; a wait can last at most 90 days.",
                        describe(*duration)
                    ),
                );
            }
        }
        Some(WaitSpec::Until { local }) => {
            let (Some(now), Ok(zone)) = (ctx.now, ctx.journey.time_zone.parse::<chrono_tz::Tz>())
            else {
                return;
            };
            // A local time skipped by a clock change counts from the hour after (D14).
            let Some(until) = zone.from_local_datetime(local).earliest().or_else(|| {
                zone.from_local_datetime(&(*local + chrono::Duration::hours(1)))
                    .earliest()
            }) else {
                return;
            };
            let path = || Some("wait.local".to_owned());
            if until <= now {
                ctx.tile_problem(
                    i,
                    Code::WaitTimeUntilInPast,
                    path(),
                    format!(
                        "{} ({}) is already past; choose a later time.",
                        local.format("%Y-%m-%d %H:%M"),
                        ctx.journey.time_zone
                    ),
                );
            } else if (until.with_timezone(&chrono::Utc) - now).num_minutes() > MAX_WAIT_MINUTES {
                ctx.tile_problem(
                    i,
                    Code::WaitTimeTooLong,
                    path(),
                    format!(
                        "{} ({}) is more than 90 days away; a wait can last at most 90 days.",
                        local.format("%Y-%m-%d %H:%M"),
                        ctx.journey.time_zone
                    ),
                );
            }
        }
    }
}

/// "the wait tile w1" → "The wait tile w1".
pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
