//! What a condition row may compare: the variables a branch offers, their value kinds and the
//! operators each kind allows (domain reference §6). The designer asks for these through IPC so
//! the picker and the validator agree on one rule set.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::{Catalog, VariableType};
use crate::compliance::BlockCode;
use crate::document::{BranchSource, Journey, Operator, Tile, Variable};

/// The kind of value a condition variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ValueKind {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// True or false.
    Boolean,
    /// A date and time.
    DateTime,
    /// One of a fixed list of options.
    Choice,
    /// A list of codes (disposition codes).
    CodeList,
}

impl From<VariableType> for ValueKind {
    fn from(ty: VariableType) -> Self {
        match ty {
            VariableType::Text => ValueKind::Text,
            VariableType::Number => ValueKind::Number,
            VariableType::Boolean => ValueKind::Boolean,
            VariableType::DateTime => ValueKind::DateTime,
            VariableType::Choice => ValueKind::Choice,
        }
    }
}

/// The operators a value kind allows, in picker order.
pub fn operators_for(kind: ValueKind) -> &'static [Operator] {
    use Operator::*;
    match kind {
        ValueKind::Text => &[
            Equals,
            NotEquals,
            Contains,
            DoesNotContain,
            StartsWith,
            IsEmpty,
            IsNotEmpty,
        ],
        ValueKind::Number => &[
            Equals,
            NotEquals,
            LessThan,
            LessThanOrEqual,
            GreaterThan,
            GreaterThanOrEqual,
            IsEmpty,
            IsNotEmpty,
        ],
        ValueKind::Boolean => &[IsTrue, IsFalse, IsEmpty],
        ValueKind::DateTime => &[Before, On, After, IsEmpty, IsNotEmpty],
        ValueKind::Choice => &[Equals, NotEquals, IsEmpty, IsNotEmpty],
        ValueKind::CodeList => &[Contains, DoesNotContain],
    }
}

/// Whether a condition with this operator needs a value.
pub fn operator_takes_value(operator: Operator) -> bool {
    !matches!(
        operator,
        Operator::IsEmpty | Operator::IsNotEmpty | Operator::IsTrue | Operator::IsFalse
    )
}

/// What the marketer reads for an operator.
pub fn operator_label(operator: Operator) -> &'static str {
    match operator {
        Operator::Equals => "equals",
        Operator::NotEquals => "does not equal",
        Operator::Contains => "contains",
        Operator::DoesNotContain => "does not contain",
        Operator::StartsWith => "starts with",
        Operator::IsEmpty => "is empty",
        Operator::IsNotEmpty => "is not empty",
        Operator::LessThan => "is less than",
        Operator::LessThanOrEqual => "is at most",
        Operator::GreaterThan => "is greater than",
        Operator::GreaterThanOrEqual => "is at least",
        Operator::IsTrue => "is true",
        Operator::IsFalse => "is false",
        Operator::Before => "is before",
        Operator::On => "is on",
        Operator::After => "is after",
    }
}

/// One allowed value of a choice or code-list variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValueOption {
    /// The stored value.
    pub value: String,
    /// What the marketer reads.
    pub label: String,
}

/// An operator with its label and whether it needs a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OperatorOption {
    /// The operator.
    pub operator: Operator,
    /// What the marketer reads.
    pub label: String,
    /// Whether the condition needs a value with this operator.
    pub takes_value: bool,
}

/// A variable a condition row may pick, with its kind, operators and allowed values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariableChoice {
    /// The variable as stored in the document.
    pub variable: Variable,
    /// What the marketer reads ("Disposition codes", "Result", "Outcome").
    pub label: String,
    /// Picker group ("Call", "Engagement variables", "Contact").
    pub group: String,
    /// Its value kind.
    pub kind: ValueKind,
    /// Allowed operators, in picker order.
    pub operators: Vec<OperatorOption>,
    /// Allowed values for choice and code-list kinds (empty means free input).
    pub options: Vec<ValueOption>,
}

fn choice(
    variable: Variable,
    label: impl Into<String>,
    group: &str,
    kind: ValueKind,
    options: Vec<ValueOption>,
) -> VariableChoice {
    VariableChoice {
        variable,
        label: label.into(),
        group: group.to_owned(),
        kind,
        operators: operators_for(kind)
            .iter()
            .map(|&operator| OperatorOption {
                operator,
                label: operator_label(operator).to_owned(),
                takes_value: operator_takes_value(operator),
            })
            .collect(),
        options,
    }
}

/// The marketer's words for a block code.
pub fn block_code_label(code: BlockCode) -> &'static str {
    match code {
        BlockCode::ContactPointMissing => "No phone number",
        BlockCode::ContactPointInvalid => "Invalid phone number",
        BlockCode::ConsentPurposeOptedOut => "Opted out of the purpose",
        BlockCode::ConsentPurposeNotOptedIn => "Not opted in to the purpose",
        BlockCode::ConsentTopicOptedOut => "Opted out of the topic",
        BlockCode::ConsentTopicNotOptedIn => "Not opted in to the topic",
        BlockCode::QuietTimeNoWindow => "No call window outside quiet time",
    }
}

const BLOCK_CODES: [BlockCode; 7] = [
    BlockCode::ContactPointMissing,
    BlockCode::ContactPointInvalid,
    BlockCode::ConsentPurposeOptedOut,
    BlockCode::ConsentPurposeNotOptedIn,
    BlockCode::ConsentTopicOptedOut,
    BlockCode::ConsentTopicNotOptedIn,
    BlockCode::QuietTimeNoWindow,
];

/// The variables the conditions of an attribute-branch tile may use, given its "Branch on".
///
/// Empty when the tile is not an attribute branch, has no source yet, or names a voice tile
/// without an engagement (the call variables still come when only the engagement is missing).
pub fn branch_variables(
    journey: &Journey,
    catalog: &Catalog,
    tile_id: &str,
) -> Vec<VariableChoice> {
    let Some(Tile::AttributeBranch(tile)) = journey.tile(tile_id) else {
        return Vec::new();
    };
    let engagement_of = |voice_id: &Option<String>| {
        let voice = voice_id.as_deref().and_then(|id| journey.tile(id));
        match voice {
            Some(Tile::VoiceConversation(v)) => v
                .engagement_id
                .as_deref()
                .and_then(|id| catalog.engagement(id)),
            _ => None,
        }
    };
    match &tile.source {
        None | Some(BranchSource::Contact) => Vec::new(),
        Some(BranchSource::VoiceCallBlocked { .. }) => {
            let options = BLOCK_CODES
                .iter()
                .map(|&code| ValueOption {
                    value: serde_json::to_value(code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    label: block_code_label(code).to_owned(),
                })
                .collect();
            let mut block = choice(
                Variable::BlockCode,
                "Block code",
                "Call",
                ValueKind::Choice,
                options,
            );
            block
                .operators
                .retain(|o| matches!(o.operator, Operator::Equals | Operator::NotEquals));
            vec![block]
        }
        Some(BranchSource::VoiceCall { tile_id }) => {
            let engagement = engagement_of(tile_id);
            let codes = engagement
                .map(|e| {
                    e.disposition_codes
                        .iter()
                        .map(|c| ValueOption {
                            value: c.code.clone(),
                            label: if c.category.is_empty() {
                                c.code.clone()
                            } else {
                                format!("{} ({})", c.code, c.category)
                            },
                        })
                        .collect()
                })
                .unwrap_or_default();
            let results = catalog
                .result_mapping
                .iter()
                .map(|r| ValueOption {
                    value: r.result.clone(),
                    label: r.label.clone(),
                })
                .collect();
            let mut result = choice(
                Variable::Result,
                "Result",
                "Call",
                ValueKind::Choice,
                results,
            );
            result
                .operators
                .retain(|o| matches!(o.operator, Operator::Equals | Operator::NotEquals));
            let mut out = vec![
                choice(
                    Variable::DispositionCodes,
                    "Disposition codes",
                    "Call",
                    ValueKind::CodeList,
                    codes,
                ),
                result,
            ];
            for v in engagement
                .map(|e| e.variables.as_slice())
                .unwrap_or_default()
            {
                let options = v
                    .options
                    .iter()
                    .map(|o| ValueOption {
                        value: o.clone(),
                        label: o.clone(),
                    })
                    .collect();
                out.push(choice(
                    Variable::EngagementVariable {
                        name: v.name.clone(),
                    },
                    v.name.clone(),
                    "Engagement variables",
                    v.data_type.into(),
                    options,
                ));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{AttributeBranchTile, VoiceConversationTile};

    fn journey_with_branch(source: BranchSource) -> Journey {
        let mut j = Journey::new("j", "J", "UTC");
        j.tiles.push(Tile::VoiceConversation(VoiceConversationTile {
            id: "v".into(),
            name: String::new(),
            engagement_id: Some("eng-renewals-voice".into()),
            send_to: None,
            compliance_profile_id: None,
            purpose_id: None,
            topic_id: None,
            quiet_time: None,
        }));
        j.tiles.push(Tile::AttributeBranch(AttributeBranchTile {
            id: "a".into(),
            name: String::new(),
            source: Some(source),
            branches: Vec::new(),
        }));
        j
    }

    fn sample() -> Catalog {
        Catalog::from_json(include_str!("../samples/catalog.json")).expect("sample parses")
    }

    #[test]
    fn a_voice_call_source_offers_codes_result_and_engagement_variables() {
        let j = journey_with_branch(BranchSource::VoiceCall {
            tile_id: Some("v".into()),
        });
        let vars = branch_variables(&j, &sample(), "a");
        let labels: Vec<_> = vars.iter().map(|v| v.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Disposition codes",
                "Result",
                "Outcome",
                "RenewalQuote",
                "CallbackAt",
                "Notes"
            ]
        );
        assert!(vars[0].options.iter().any(|o| o.value == "Renewed"));
        assert_eq!(
            vars[1]
                .options
                .iter()
                .find(|o| o.value == "LiveAnswer")
                .map(|o| o.label.as_str()),
            Some("Live answer")
        );
        let ops: Vec<_> = vars[1].operators.iter().map(|o| o.operator).collect();
        assert_eq!(ops, [Operator::Equals, Operator::NotEquals]);
        assert_eq!(vars[3].kind, ValueKind::Number);
    }

    #[test]
    fn a_blocked_source_offers_only_the_block_code() {
        let j = journey_with_branch(BranchSource::VoiceCallBlocked {
            tile_id: Some("v".into()),
        });
        let vars = branch_variables(&j, &sample(), "a");
        assert_eq!(vars.len(), 1);
        assert_eq!(vars[0].options[0].value, "CONTACT_POINT_MISSING");
        assert!(branch_variables(&j, &sample(), "v").is_empty());
    }

    #[test]
    fn booleans_take_no_value() {
        assert!(
            operators_for(ValueKind::Boolean)
                .iter()
                .all(|&o| o == Operator::IsEmpty || !operator_takes_value(o))
        );
        assert!(operator_takes_value(Operator::Equals));
    }
}
