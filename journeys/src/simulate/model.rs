//! The outcome model of a test run: how calls turn out, per engagement, and the starting mix
//! for a journey (its engagements' own codes and variables plus the values its branches test).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::outcomes::{EngagementMix, Weighted};
use crate::catalog::Catalog;
use crate::document::Journey;

/// How calls turn out, per engagement.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct OutcomeModel {
    /// The mix for engagements not listed.
    pub default_mix: EngagementMix,
    /// Per-engagement mixes, by engagement id.
    pub engagements: BTreeMap<String, EngagementMix>,
}

impl OutcomeModel {
    /// A starting point for a test run of `journey`, per engagement its voice tiles call: the
    /// usual spread of results; half the answered calls without a code and the rest shared by
    /// the engagement's codes; and its variables — choices in equal shares, yes/no half and
    /// half, dates two days after `start` half the time, numbers and text the values the
    /// journey's branches compare them with half the time (so every branch can be reached),
    /// else not set. The designer's test-run dialog and `journeys simulate` both start here.
    pub fn for_journey(journey: &Journey, catalog: &Catalog, start: DateTime<Utc>) -> OutcomeModel {
        let mut engagements = BTreeMap::new();
        for tile in &journey.tiles {
            let crate::document::Tile::VoiceConversation(voice) = tile else {
                continue;
            };
            let Some(id) = voice.engagement_id.as_deref() else {
                continue;
            };
            if engagements.contains_key(id) {
                continue;
            }
            engagements.insert(
                id.to_owned(),
                default_mix(journey, catalog.engagement(id), start),
            );
        }
        OutcomeModel {
            default_mix: EngagementMix::default(),
            engagements,
        }
    }

    /// The mix of an engagement.
    pub fn mix(&self, engagement_id: &str) -> &EngagementMix {
        self.engagements
            .get(engagement_id)
            .unwrap_or(&self.default_mix)
    }
}

/// Whole shares of `total` for `n` items (at least 1 each).
fn share(n: usize, total: u32) -> u32 {
    u32::try_from(n).map_or(1, |n| (total / n.max(1)).max(1))
}

fn default_mix(
    journey: &Journey,
    engagement: Option<&crate::catalog::Engagement>,
    start: DateTime<Utc>,
) -> EngagementMix {
    use crate::catalog::VariableType;
    use serde_json::Value;
    let results = [
        (crate::catalog::LIVE_ANSWER, 55),
        ("NoAnswer", 20),
        ("AnsweringMachine", 15),
        ("InvalidAddress", 10),
    ]
    .into_iter()
    .map(|(r, weight)| Weighted::new(r.to_owned(), weight))
    .collect();
    let codes: Vec<&str> = engagement
        .map(|e| {
            e.disposition_codes
                .iter()
                .map(|d| d.code.as_str())
                .collect()
        })
        .unwrap_or_default();
    let disposition_codes = if codes.is_empty() {
        Vec::new()
    } else {
        std::iter::once(Weighted::new(None, 50))
            .chain(
                codes
                    .iter()
                    .map(|c| Weighted::new(Some((*c).to_owned()), share(codes.len(), 50))),
            )
            .collect()
    };
    let variables = engagement
        .map(|e| e.variables.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|v| {
            let rows = match v.data_type {
                VariableType::Choice => v
                    .options
                    .iter()
                    .map(|o| Weighted::new(Value::from(o.as_str()), share(v.options.len(), 100)))
                    .collect(),
                VariableType::Boolean => vec![
                    Weighted::new(Value::Bool(true), 50),
                    Weighted::new(Value::Bool(false), 50),
                ],
                VariableType::DateTime => vec![
                    Weighted::new(
                        Value::from(
                            (start + chrono::Duration::days(2))
                                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        ),
                        50,
                    ),
                    Weighted::new(Value::Null, 50),
                ],
                VariableType::Number | VariableType::Text => {
                    let used = compared_values(journey, &v.name, v.data_type);
                    if used.is_empty() {
                        vec![Weighted::new(Value::Null, 100)]
                    } else {
                        let each = share(used.len(), 50);
                        used.into_iter()
                            .map(|value| Weighted::new(value, each))
                            .chain([Weighted::new(Value::Null, 50)])
                            .collect()
                    }
                }
            };
            (v.name.clone(), rows)
        })
        .collect();
    EngagementMix {
        results,
        disposition_codes,
        variables,
        latency_seconds: EngagementMix::default().latency_seconds,
    }
}

/// The values the journey's branch conditions compare engagement variable `name` with, of
/// its type (numbers as numbers), first seen first.
fn compared_values(
    journey: &Journey,
    name: &str,
    data_type: crate::catalog::VariableType,
) -> Vec<serde_json::Value> {
    use crate::catalog::VariableType;
    use crate::document::{Tile, Variable};
    use serde_json::Value;
    let conditions = journey.tiles.iter().flat_map(|t| match t {
        Tile::AttributeBranch(b) => b.branches.iter().flat_map(|b| &b.conditions).collect(),
        Tile::WaitForTrigger(w) => w.branches.iter().flat_map(|b| &b.conditions).collect(),
        _ => Vec::new(),
    });
    let mut out: Vec<Value> = Vec::new();
    for condition in conditions {
        if !matches!(&condition.variable, Some(Variable::EngagementVariable { name: n }) if n == name)
        {
            continue;
        }
        let values = match &condition.value {
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(v) => vec![v.clone()],
        };
        for value in values {
            let typed = match (data_type, &value) {
                (VariableType::Number, Value::Number(_)) => Some(value.clone()),
                (VariableType::Number, Value::String(s)) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number),
                (VariableType::Text, Value::String(_)) => Some(value.clone()),
                _ => None,
            };
            if let Some(typed) = typed
                && !out.contains(&typed)
            {
                out.push(typed);
            }
        }
    }
    out
}
