//! Attribute-branch rules and the condition rules shared with trigger starts and waits.

use serde_json::Value;

use crate::catalog::Engagement;
use crate::document::{AttributeBranchTile, BranchSource, Condition, Journey, Tile, Variable};

use super::graph::{Gate, Graph, index};
use super::structure::Analysis;
use super::variables::{
    BLOCK_CODES, ValueType, operator_label, operators_for, takes_value, value_type,
};
use super::wait::capitalise;
use super::{Code, Ctx, tile_label};

/// What the conditions being checked can read.
pub(super) enum Scope<'a> {
    /// A finished call of this engagement; `None` when it could not be resolved (the voice
    /// tile reports that), so its own variables are not checked.
    VoiceCall(Option<&'a Engagement>),
    /// A blocked call: its block code.
    VoiceCallBlocked,
    /// The contact's attributes.
    Contact,
    /// A trigger's attributes.
    Trigger,
}

pub(super) fn check_tile(
    ctx: &mut Ctx<'_>,
    graph: &Graph<'_>,
    analysis: &Analysis,
    i: usize,
    tile: &Tile,
) {
    let Tile::AttributeBranch(branch) = tile else {
        return;
    };
    let scope = check_source(ctx, graph, analysis, i, branch);
    if branch.branches.is_empty() {
        ctx.tile_problem(
            i,
            Code::BranchNoBranches,
            Some("branches".to_owned()),
            "Add at least one branch; with none, every contact takes Other.".to_owned(),
        );
    }
    for (b, current) in branch.branches.iter().enumerate() {
        if current.conditions.is_empty() {
            ctx.tile_problem(
                i,
                Code::BranchNoConditions,
                Some(format!("branches.{b}.conditions")),
                "Add at least one condition to this branch.".to_owned(),
            );
            continue;
        }
        if let Some(scope) = &scope {
            check_conditions(ctx, i, List::Branch(b), &current.conditions, scope);
        }
        // Pairwise, but only up to the branch limit: more branches is already an error.
        if branch.branches.len() <= 25
            && let Some(earlier) = branch.branches[..b]
                .iter()
                .find(|e| e.match_mode == current.match_mode && e.conditions == current.conditions)
        {
            ctx.tile_problem(
                i,
                Code::BranchSameAsEarlier,
                Some(format!("branches.{b}")),
                format!(
                    "This branch has the same conditions as \"{}\" above it, so no contact will ever take it.",
                    if earlier.name.is_empty() { &earlier.id } else { &earlier.name }
                ),
            );
        }
    }
}

/// Checks "Branch on"; returns what its conditions can read, `None` when there is no source.
fn check_source<'a>(
    ctx: &mut Ctx<'a>,
    graph: &Graph<'_>,
    analysis: &Analysis,
    i: usize,
    branch: &AttributeBranchTile,
) -> Option<Scope<'a>> {
    let (tile_id, gate) = match &branch.source {
        None => {
            ctx.tile_problem(
                i,
                Code::BranchSourceMissing,
                Some("source".to_owned()),
                "Choose what to branch on: a voice call's outcome or the contact's attributes."
                    .to_owned(),
            );
            return None;
        }
        Some(BranchSource::Contact) => return Some(Scope::Contact),
        Some(BranchSource::VoiceCall { tile_id }) => (tile_id, Gate::Outcome),
        Some(BranchSource::VoiceCallBlocked { tile_id }) => (tile_id, Gate::Blocked),
    };
    let unresolved = match gate {
        Gate::Outcome => Scope::VoiceCall(None),
        Gate::Blocked => Scope::VoiceCallBlocked,
    };
    let path = || Some("source.tileId".to_owned());
    let Some(id) = tile_id.as_deref().filter(|s| !s.trim().is_empty()) else {
        ctx.tile_problem(
            i,
            Code::BranchSourceTileMissing,
            path(),
            "Choose the voice conversation tile whose call this tile branches on.".to_owned(),
        );
        return Some(unresolved);
    };
    let Some(&v) = graph.by_id.get(id) else {
        ctx.tile_problem(
            i,
            Code::BranchSourceTileUnknown,
            path(),
            format!(
                "{} branches on a voice conversation tile that no longer exists (it was deleted); choose another one.",
                capitalise(&tile_label(&ctx.journey.tiles[i]))
            ),
        );
        return Some(unresolved);
    };
    let journey = ctx.journey;
    let source = &journey.tiles[v as usize];
    let Tile::VoiceConversation(voice) = source else {
        ctx.tile_problem(
            i,
            Code::BranchSourceNotVoiceTile,
            path(),
            format!(
                "{} is not a voice conversation tile; choose one.",
                capitalise(&tile_label(source))
            ),
        );
        return Some(unresolved);
    };
    if on_gated_paths(journey, graph, analysis, index(i), v, gate) == Some(false) {
        let label = tile_label(source);
        let (code, message) = match gate {
            Gate::Outcome => (
                Code::BranchVoiceSourceOffOutcomePath,
                format!(
                    "Some contacts reach this tile without a finished call from {label}. Place it after the wait on that call, under its \"Voice call attempted\" or \"Voice call not attempted\" branch."
                ),
            ),
            Gate::Blocked => (
                Code::BranchBlockedSourceOffBlockedPath,
                format!(
                    "Some contacts reach this tile without their call from {label} being blocked. Place it after the wait on that call, under its \"Voice call blocked\" branch."
                ),
            ),
        };
        ctx.tile_problem(i, code, path(), message);
    }
    Some(match gate {
        Gate::Outcome => Scope::VoiceCall(
            voice
                .engagement_id
                .as_deref()
                .and_then(|e| ctx.catalog.engagement(e)),
        ),
        Gate::Blocked => Scope::VoiceCallBlocked,
    })
}

/// Whether every path from the start to tile `a` leaves a wait on voice tile `voice` by a
/// branch of `gate`. `None` when it cannot be told (loops, no single start, `a`
/// unreachable): those are reported by the graph rules.
fn on_gated_paths(
    journey: &Journey,
    graph: &Graph<'_>,
    analysis: &Analysis,
    a: u32,
    voice: u32,
    gate: Gate,
) -> Option<bool> {
    let dominators = analysis.dominators.as_ref()?;
    if !graph.reachable[a as usize] {
        return None;
    }
    let watchers = analysis.watchers[voice as usize].as_slice();
    if watchers
        .iter()
        .any(|&w| dominators.gate_dominates(w, gate, a))
    {
        return Some(true);
    }
    if watchers.len() < 2 {
        return Some(false);
    }
    // Several waits watch this call and no single one's branches cover every path: walk the
    // graph once without crossing any of their gate branches.
    let start = graph.start?;
    let mut seen = vec![false; graph.len()];
    let mut stack = vec![start];
    seen[start as usize] = true;
    while let Some(t) = stack.pop() {
        for edge in graph.out_edges(t) {
            let gated = watchers.contains(&edge.from)
                && match &journey.tiles[edge.from as usize] {
                    Tile::WaitForTrigger(w) => w
                        .branches
                        .get(edge.output as usize)
                        .and_then(|b| b.interaction)
                        .is_some_and(|i| Gate::of(i) == gate),
                    _ => false,
                };
            if !gated && !seen[edge.to as usize] {
                seen[edge.to as usize] = true;
                stack.push(edge.to);
            }
        }
    }
    Some(!seen[a as usize])
}

/// Where a list of conditions sits in its tile.
#[derive(Clone, Copy)]
pub(super) enum List {
    /// `start.conditions` of a trigger start.
    Start,
    /// `branches.N.conditions`.
    Branch(usize),
}

/// One condition of a list; paths are only spelled out when a problem is reported.
#[derive(Clone, Copy)]
struct Spot {
    list: List,
    condition: usize,
}

impl Spot {
    fn path(self, field: &str) -> Option<String> {
        let c = self.condition;
        Some(match self.list {
            List::Start => format!("start.conditions.{c}.{field}"),
            List::Branch(b) => format!("branches.{b}.conditions.{c}.{field}"),
        })
    }
}

/// Checks a list of conditions.
pub(super) fn check_conditions(
    ctx: &mut Ctx<'_>,
    i: usize,
    list: List,
    conditions: &[Condition],
    scope: &Scope<'_>,
) {
    for (condition, c) in conditions.iter().enumerate() {
        check_condition(ctx, i, Spot { list, condition }, c, scope);
    }
}

fn variable_label(variable: &Variable) -> String {
    match variable {
        Variable::DispositionCodes => "Disposition codes".to_owned(),
        Variable::Result => "Result".to_owned(),
        Variable::BlockCode => "Block code".to_owned(),
        Variable::EngagementVariable { name } | Variable::Attribute { name } => {
            format!("\"{name}\"")
        }
    }
}

fn check_condition(
    ctx: &mut Ctx<'_>,
    i: usize,
    at: Spot,
    condition: &Condition,
    scope: &Scope<'_>,
) {
    let Some(variable) = &condition.variable else {
        ctx.tile_problem(
            i,
            Code::ConditionVariableMissing,
            at.path("variable"),
            "Choose what this condition looks at.".to_owned(),
        );
        return;
    };
    let allowed = match (scope, variable) {
        (
            Scope::VoiceCall(_),
            Variable::DispositionCodes | Variable::Result | Variable::EngagementVariable { .. },
        )
        | (Scope::VoiceCallBlocked, Variable::BlockCode) => true,
        (Scope::Contact | Scope::Trigger, Variable::Attribute { name }) => !name.trim().is_empty(),
        _ => false,
    };
    let engagement = match scope {
        Scope::VoiceCall(engagement) => *engagement,
        _ => None,
    };
    let value_type = if allowed {
        match (variable, scope) {
            // The engagement is unknown (the voice tile says so): its variables can't be told.
            (Variable::EngagementVariable { .. }, Scope::VoiceCall(None)) => return,
            _ => value_type(variable, engagement),
        }
    } else {
        None
    };
    let Some(value_type) = value_type else {
        let what = match scope {
            Scope::VoiceCall(Some(e)) => format!(
                "a call of engagement \"{}\" (disposition codes, result, or one of its variables)",
                e.name
            ),
            Scope::VoiceCall(None) => {
                "a finished call (disposition codes, result, or an engagement variable)".to_owned()
            }
            Scope::VoiceCallBlocked => "a blocked call (its block code)".to_owned(),
            Scope::Contact => "the contact (one of its attributes)".to_owned(),
            Scope::Trigger => "the trigger (one of its attributes)".to_owned(),
        };
        ctx.tile_problem(
            i,
            Code::ConditionUnknownVariable,
            at.path("variable"),
            format!(
                "{} is not something this condition can read: it reads {what}.",
                variable_label(variable)
            ),
        );
        return;
    };
    let Some(operator) = condition.operator else {
        ctx.tile_problem(
            i,
            Code::ConditionOperatorMissing,
            at.path("operator"),
            format!("Choose how to compare {}.", variable_label(variable)),
        );
        return;
    };
    let operators = operators_for(value_type);
    if !operators.contains(&operator) {
        let names: Vec<String> = operators
            .iter()
            .map(|o| operator_label(*o).to_owned())
            .collect();
        ctx.tile_problem(
            i,
            Code::ConditionOperatorNotValid,
            at.path("operator"),
            format!(
                "{} cannot be compared with \"{}\"; use one of: {}.",
                capitalise(&variable_label(variable)),
                operator_label(operator),
                names.join(", ")
            ),
        );
        return;
    }
    if !takes_value(operator) {
        return;
    }
    let value = match &condition.value {
        None | Some(Value::Null) => {
            ctx.tile_problem(
                i,
                Code::ConditionValueMissing,
                at.path("value"),
                format!(
                    "Enter the value to compare {} with.",
                    variable_label(variable)
                ),
            );
            return;
        }
        Some(value) => value,
    };
    check_value(ctx, i, at, value_type, value, engagement, variable);
}

#[allow(clippy::too_many_arguments)]
fn check_value(
    ctx: &mut Ctx<'_>,
    i: usize,
    at: Spot,
    value_type: ValueType,
    value: &Value,
    engagement: Option<&Engagement>,
    variable: &Variable,
) {
    let label = || variable_label(variable);
    let wrong = |ctx: &mut Ctx<'_>, expected: &str| {
        ctx.tile_problem(
            i,
            Code::ConditionValueWrongType,
            at.path("value"),
            format!("{} needs {expected} here.", capitalise(&label())),
        );
    };
    match value_type {
        ValueType::Text => {
            if !value.is_string() {
                wrong(ctx, "a text value");
            }
        }
        ValueType::Number => {
            if !value.is_number() {
                wrong(ctx, "a number");
            }
        }
        ValueType::Boolean => {}
        ValueType::DateTime => {
            let parses = value.as_str().is_some_and(|s| {
                chrono::DateTime::parse_from_rfc3339(s).is_ok()
                    || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            });
            if !parses {
                wrong(
                    ctx,
                    "a date (2026-12-01) or a date and time (2026-12-01T09:00:00Z)",
                );
            }
        }
        ValueType::Choice => {
            let Some(text) = value.as_str() else {
                wrong(ctx, "one of its options");
                return;
            };
            let options = match (engagement, variable) {
                (Some(e), Variable::EngagementVariable { name }) => e
                    .variables
                    .iter()
                    .find(|v| &v.name == name)
                    .map(|v| v.options.as_slice()),
                _ => None,
            };
            if let Some(options) = options
                && !options.iter().any(|o| o == text)
            {
                ctx.tile_problem(
                    i,
                    Code::ConditionValueNotAllowed,
                    at.path("value"),
                    format!(
                        "\"{text}\" is not an option of {}; choose one of: {}.",
                        label(),
                        options.join(", ")
                    ),
                );
            }
        }
        ValueType::CodeList => {
            let codes: Option<Vec<&str>> = match value {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Array(items) if !items.is_empty() => {
                    items.iter().map(Value::as_str).collect()
                }
                _ => None,
            };
            let Some(codes) = codes else {
                wrong(ctx, "a disposition code (or a list of codes)");
                return;
            };
            let Some(engagement) = engagement else {
                return;
            };
            for code in codes {
                if !engagement.disposition_codes.iter().any(|c| c.code == code) {
                    ctx.tile_problem(
                        i,
                        Code::ConditionDispositionCodeUnknown,
                        at.path("value"),
                        format!(
                            "\"{code}\" is not a disposition code of engagement \"{}\"; the condition may never match.",
                            engagement.name
                        ),
                    );
                }
            }
        }
        ValueType::Result => {
            let Some(text) = value.as_str() else {
                wrong(ctx, "a call result such as LiveAnswer");
                return;
            };
            if ctx.catalog.catalog.result(text).is_none() {
                ctx.tile_problem(
                    i,
                    Code::ConditionResultUnknown,
                    at.path("value"),
                    format!(
                        "\"{text}\" is not a result the contact center reports; choose one such as LiveAnswer or NoAnswer."
                    ),
                );
            }
        }
        ValueType::BlockCode => {
            let Some(text) = value.as_str() else {
                wrong(ctx, "a block code such as CONSENT_PURPOSE_NOT_OPTED_IN");
                return;
            };
            if !BLOCK_CODES.iter().any(|&c| c.as_str() == text) {
                ctx.tile_problem(
                    i,
                    Code::ConditionBlockCodeUnknown,
                    at.path("value"),
                    format!(
                        "\"{text}\" is not a block code; choose one such as CONSENT_PURPOSE_NOT_OPTED_IN or QUIET_TIME_NO_WINDOW."
                    ),
                );
            }
        }
        ValueType::Unknown => {
            let scalar = |v: &Value| v.is_string() || v.is_number() || v.is_boolean();
            let fine = match value {
                Value::Array(items) => !items.is_empty() && items.iter().all(scalar),
                other => scalar(other),
            };
            if !fine {
                wrong(ctx, "a text, number or true/false value");
            }
        }
    }
}
