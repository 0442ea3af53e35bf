//! A plain-text outline of a journey: the tree of tiles and branches from the start, with
//! merges shown as references to a tile drawn above. For snapshot tests and a future
//! outline view.
//!
//! ```
//! use journeys::{document::Journey, outline::outline};
//!
//! let text = outline(&Journey::new("j1", "Renewals", "America/Chicago"));
//! assert!(text.contains("[start] Start"));
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::document::{
    BranchSource, Condition, Duration, DurationUnit, Frequency, Journey, MatchMode, OUTPUT_NEXT,
    OUTPUT_OTHER, QuietTimeOption, StartCondition, Tile, Variable, WaitCondition, WaitSpec,
};
use crate::validate::variables::operator_label;

#[cfg(test)]
mod tests;

/// Render the journey as an indented tree.
///
/// Each tile appears once, under the first output (depth first, in output order) that leads
/// to it; later outputs leading to it show `↪ [id]`. Tiles no path from the start reaches
/// follow under "Not reached from the start". Loops end at the repeated tile. Unconnected
/// branches show `(end)`.
pub fn outline(journey: &Journey) -> String {
    let mut out = String::new();
    let audience = match journey.audience {
        crate::document::Audience::Contact => "contacts",
        crate::document::Audience::Lead => "leads",
        crate::document::Audience::Profile => "profiles",
    };
    let _ = writeln!(
        out,
        "Journey \"{}\" ({}) · for {audience} · {}",
        journey.name,
        journey.id,
        if journey.time_zone.is_empty() {
            "no time zone"
        } else {
            &journey.time_zone
        }
    );

    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(journey.tiles.len());
    for (i, tile) in journey.tiles.iter().enumerate() {
        by_id.entry(tile.id()).or_insert(i);
    }
    let mut targets: HashMap<(&str, &str), &str> = HashMap::new();
    for c in &journey.connections {
        targets
            .entry((c.from.as_str(), c.output.as_str()))
            .or_insert(c.to.as_str());
    }

    let mut drawn = vec![false; journey.tiles.len()];
    let roots: Vec<usize> = journey
        .tiles
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tile::Start(_)))
        .map(|(i, _)| i)
        .collect();
    for &root in &roots {
        draw(journey, &by_id, &targets, &mut drawn, root, &mut out);
    }
    if drawn.iter().any(|d| !d) {
        out.push_str(if roots.is_empty() {
            "No start tile. Tiles:\n"
        } else {
            "Not reached from the start:\n"
        });
        for i in 0..journey.tiles.len() {
            if !drawn[i] {
                draw(journey, &by_id, &targets, &mut drawn, i, &mut out);
            }
        }
    }
    out
}

/// One line to write: where it hangs and what it leads to.
struct Frame {
    prefix: String,
    connector: &'static str,
    label: Option<String>,
    target: Option<Target>,
}

enum Target {
    Tile(usize),
    Missing(String),
}

fn draw(
    journey: &Journey,
    by_id: &HashMap<&str, usize>,
    targets: &HashMap<(&str, &str), &str>,
    drawn: &mut [bool],
    root: usize,
    out: &mut String,
) {
    // An explicit stack: journeys may be long chains, deeper than the thread's stack.
    let mut stack = vec![Frame {
        prefix: String::new(),
        connector: "",
        label: None,
        target: Some(Target::Tile(root)),
    }];
    while let Some(frame) = stack.pop() {
        out.push_str(&frame.prefix);
        out.push_str(frame.connector);
        if let Some(label) = &frame.label {
            out.push_str(label);
            out.push_str(" → ");
        }
        let t = match frame.target {
            None => {
                out.push_str("(end)\n");
                continue;
            }
            Some(Target::Missing(id)) => {
                let _ = writeln!(out, "[{id}] (no such tile)");
                continue;
            }
            Some(Target::Tile(t)) => t,
        };
        let tile = &journey.tiles[t];
        if drawn[t] {
            let _ = writeln!(out, "↪ [{}]", tile.id());
            continue;
        }
        drawn[t] = true;
        let _ = writeln!(out, "{}", describe_tile(tile));

        let child_prefix = format!(
            "{}{}",
            frame.prefix,
            match frame.connector {
                "├─ " => "│  ",
                "└─ " => "   ",
                _ => "",
            }
        );
        let mut children: Vec<(Option<String>, Option<&str>)> = Vec::new();
        let id = tile.id();
        let target_of = |key: &str| targets.get(&(id, key)).copied();
        match tile {
            Tile::Start(_) | Tile::VoiceConversation(_) | Tile::WaitTime(_) => {
                if let Some(to) = target_of(OUTPUT_NEXT) {
                    children.push((None, Some(to)));
                }
            }
            Tile::WaitForTrigger(w) => {
                for b in &w.branches {
                    let interaction = b.interaction.map_or_else(
                        || describe_conditions(MatchMode::All, &b.conditions),
                        |i| format!("on {}", i.label()),
                    );
                    children.push((
                        Some(format!("{} ({interaction})", branch_name(&b.id, &b.name))),
                        target_of(&b.id),
                    ));
                }
                children.push((
                    Some("Other (time limit)".to_owned()),
                    target_of(OUTPUT_OTHER),
                ));
            }
            Tile::AttributeBranch(a) => {
                for b in &a.branches {
                    children.push((
                        Some(format!(
                            "{} ({})",
                            branch_name(&b.id, &b.name),
                            describe_conditions(b.match_mode, &b.conditions)
                        )),
                        target_of(&b.id),
                    ));
                }
                children.push((Some("Other".to_owned()), target_of(OUTPUT_OTHER)));
            }
            Tile::Exit(_) => {}
        }
        // A single `next` continues in the same column; branches hang below with connectors.
        let sequential = !tile.is_branching();
        let count = children.len();
        for (k, (label, to)) in children.into_iter().enumerate().rev() {
            stack.push(Frame {
                prefix: child_prefix.clone(),
                connector: match (sequential, k + 1 == count) {
                    (true, _) => "",
                    (false, true) => "└─ ",
                    (false, false) => "├─ ",
                },
                label,
                target: to.map(|to| match by_id.get(to) {
                    Some(&i) => Target::Tile(i),
                    None => Target::Missing(to.to_owned()),
                }),
            });
        }
    }
}

fn branch_name(id: &str, name: &str) -> String {
    if name.is_empty() {
        format!("[{id}]")
    } else {
        format!("\"{name}\" [{id}]")
    }
}

fn or_unset(value: Option<&str>) -> &str {
    value.filter(|v| !v.is_empty()).unwrap_or("?")
}

fn named(kind: &str, tile: &Tile) -> String {
    if tile.name().is_empty() {
        format!("[{}] {kind}", tile.id())
    } else {
        format!("[{}] {kind} \"{}\"", tile.id(), tile.name())
    }
}

fn describe_tile(tile: &Tile) -> String {
    match tile {
        Tile::Start(s) => {
            let how = match &s.start {
                None => "not set".to_owned(),
                Some(StartCondition::Segment(seg)) => {
                    let frequency = match &seg.frequency {
                        Frequency::Once => "once".to_owned(),
                        Frequency::OnceAdmittingJoiners => "once, admitting joiners".to_owned(),
                        Frequency::Repeat { every, unit } => {
                            format!("every {every} {}", format!("{unit:?}").to_lowercase())
                        }
                    };
                    let mut text = format!(
                        "segments {} · {frequency}",
                        if seg.segment_ids.is_empty() {
                            "?".to_owned()
                        } else {
                            seg.segment_ids.join(", ")
                        }
                    );
                    if let Some(at) = seg.start_at {
                        let _ = write!(text, " · from {}", at.to_rfc3339());
                    }
                    if let Some(at) = seg.end_at {
                        let _ = write!(text, " · until {}", at.to_rfc3339());
                    }
                    text
                }
                Some(StartCondition::Trigger(trigger)) => {
                    let mut text = format!("trigger {}", or_unset(trigger.trigger_name.as_deref()));
                    if !trigger.conditions.is_empty() {
                        let _ = write!(
                            text,
                            " when {}",
                            describe_conditions(MatchMode::All, &trigger.conditions)
                        );
                    }
                    text
                }
            };
            format!("{} · {how}", named("Start", tile))
        }
        Tile::VoiceConversation(v) => {
            let quiet = match &v.quiet_time {
                None => "?".to_owned(),
                Some(QuietTimeOption::Inherit) => "profile's".to_owned(),
                Some(QuietTimeOption::Override { setting_id }) => {
                    or_unset(setting_id.as_deref()).to_owned()
                }
                Some(QuietTimeOption::None) => "none".to_owned(),
            };
            let mut consent = format!(
                "{} / {}",
                or_unset(v.compliance_profile_id.as_deref()),
                or_unset(v.purpose_id.as_deref())
            );
            if let Some(topic) = &v.topic_id {
                let _ = write!(consent, " / {topic}");
            }
            format!(
                "{} · engagement {} · send to {} · consent {consent} · quiet time {quiet}",
                named("Voice conversation", tile),
                or_unset(v.engagement_id.as_deref()),
                v.send_to.map_or("?", |p| p.label()),
            )
        }
        Tile::WaitForTrigger(w) => {
            let on = match &w.condition {
                None => "?".to_owned(),
                Some(WaitCondition::PreviousMessage { tile_id }) => {
                    format!("interaction with [{}]", or_unset(tile_id.as_deref()))
                }
                Some(WaitCondition::Trigger { trigger_name }) => {
                    format!("trigger {}", or_unset(trigger_name.as_deref()))
                }
            };
            format!(
                "{} · {on} · limit {}",
                named("Wait for trigger", tile),
                w.time_limit
                    .map_or_else(|| "?".to_owned(), describe_duration)
            )
        }
        Tile::AttributeBranch(a) => {
            let on = match &a.source {
                None => "?".to_owned(),
                Some(BranchSource::VoiceCall { tile_id }) => {
                    format!("call from [{}]", or_unset(tile_id.as_deref()))
                }
                Some(BranchSource::VoiceCallBlocked { tile_id }) => {
                    format!("blocked call from [{}]", or_unset(tile_id.as_deref()))
                }
                Some(BranchSource::Contact) => "contact".to_owned(),
            };
            format!("{} · on {on}", named("Attribute branch", tile))
        }
        Tile::WaitTime(w) => {
            let how = match &w.wait {
                None => "?".to_owned(),
                Some(WaitSpec::Duration(d)) => describe_duration(*d),
                Some(WaitSpec::Until { local }) => {
                    format!("until {}", local.format("%Y-%m-%d %H:%M"))
                }
            };
            format!("{} · {how}", named("Wait time", tile))
        }
        Tile::Exit(_) => named("Exit", tile),
    }
}

fn describe_duration(d: Duration) -> String {
    let unit = match d.unit {
        DurationUnit::Minutes => "min",
        DurationUnit::Hours => "h",
        DurationUnit::Days => "d",
        DurationUnit::Weeks => "w",
    };
    format!("{}{unit}", d.amount)
}

fn describe_conditions(mode: MatchMode, conditions: &[Condition]) -> String {
    if conditions.is_empty() {
        return "no conditions".to_owned();
    }
    let joiner = match mode {
        MatchMode::All => " and ",
        MatchMode::Any => " or ",
    };
    conditions
        .iter()
        .map(describe_condition)
        .collect::<Vec<_>>()
        .join(joiner)
}

fn describe_condition(condition: &Condition) -> String {
    let variable = match &condition.variable {
        None => "?".to_owned(),
        Some(Variable::DispositionCodes) => "disposition codes".to_owned(),
        Some(Variable::Result) => "result".to_owned(),
        Some(Variable::BlockCode) => "block code".to_owned(),
        Some(Variable::EngagementVariable { name } | Variable::Attribute { name }) => name.clone(),
    };
    let operator = condition.operator.map_or("?", operator_label);
    match &condition.value {
        Some(value) => format!("{variable} {operator} {value}"),
        None => format!("{variable} {operator}"),
    }
}
