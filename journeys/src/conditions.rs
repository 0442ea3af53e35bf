//! The designer's view of a condition row: [`crate::validate::variables`]' answer (the one
//! place that knows which variables a branch offers and which operators suit which type),
//! shaped for pickers with operator labels and groups.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::document::{Journey, Operator, Tile, Variable};
use crate::validate::variables::{self, ValueOption, ValueType, operator_label, takes_value};

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

/// A variable a condition row may pick, with its type, operators and allowed values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariableChoice {
    /// The variable as stored in the document.
    pub variable: Variable,
    /// What the marketer reads ("Disposition codes", "Result", "Outcome").
    pub label: String,
    /// Picker group ("Call", "Engagement variables", "Contact").
    pub group: String,
    /// Its value type, which decides the value input.
    pub kind: ValueType,
    /// Allowed operators, in picker order.
    pub operators: Vec<OperatorOption>,
    /// Allowed values for choice, code-list, result and block-code types (empty: free input).
    pub options: Vec<ValueOption>,
}

/// The variables the conditions of an attribute-branch tile may use, given its "Branch on".
///
/// Empty when the tile is not an attribute branch or has no source yet.
pub fn branch_variables(
    journey: &Journey,
    catalog: &Catalog,
    tile_id: &str,
) -> Vec<VariableChoice> {
    let Some(Tile::AttributeBranch(tile)) = journey.tile(tile_id) else {
        return Vec::new();
    };
    let Some(source) = &tile.source else {
        return Vec::new();
    };
    variables::branch_variables(journey, catalog, source)
        .into_iter()
        .map(|info| VariableChoice {
            group: match info.variable {
                Variable::EngagementVariable { .. } => "Engagement variables",
                Variable::Attribute { .. } => "Contact",
                _ => "Call",
            }
            .to_owned(),
            operators: info
                .operators
                .iter()
                .map(|&operator| OperatorOption {
                    operator,
                    label: operator_label(operator).to_owned(),
                    takes_value: takes_value(operator),
                })
                .collect(),
            variable: info.variable,
            label: info.label,
            kind: info.value_type,
            options: info.options,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{AttributeBranchTile, BranchSource, VoiceConversationTile};

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
        assert_eq!(vars[3].kind, ValueType::Number);
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
}
