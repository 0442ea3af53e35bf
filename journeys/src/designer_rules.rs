//! Rules the designer's canvas applies while drawing, as data: a tile's outputs, which
//! connections it refuses at once, and the words for block codes. The validator and the runtime
//! apply the same rules (`Tile::outputs`, `validate::structure`, `compliance`); the designer
//! reads this through the generated bindings instead of keeping its own copy.

use std::collections::BTreeMap;

use serde::Serialize;
use specta::Type;

use crate::compliance::BlockCode;
use crate::document::{Interaction, OUTPUT_NEXT, OUTPUT_OTHER, TileType};
use crate::validate::variables::BLOCK_CODES;

/// One output of a tile: its key (what a connection's `output` names) and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OutputSpec {
    /// `next`, `other` (a branch's own id is its key).
    pub key: String,
    /// What the canvas writes beside it.
    pub label: String,
}

/// The outputs a kind of tile has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OutputRule {
    /// Outputs every tile of the kind has, before any branch.
    pub fixed: Vec<OutputSpec>,
    /// Whether each branch is an output (keyed by the branch id), after the fixed ones.
    pub branches: bool,
    /// The built-in output after the branches, if any.
    pub other: Option<OutputSpec>,
}

/// Connections the canvas refuses while drawing (the validator reports them too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionRule {
    /// Kinds no connection may enter (contacts only enter at the start).
    pub no_input: Vec<TileType>,
    /// Whether a tile may connect to itself (no: journeys have no cycles).
    pub to_itself: bool,
}

/// Everything above, for the designer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DesignerRules {
    /// Per tile kind (`start`, `voiceConversation`, …).
    pub outputs: BTreeMap<String, OutputRule>,
    /// What the canvas refuses to connect.
    pub connections: ConnectionRule,
    /// Short words for each block code (`CONSENT_PURPOSE_OPTED_OUT` → "opted out (purpose)"),
    /// for counts on the canvas and in test-run results.
    pub block_words: BTreeMap<String, String>,
    /// The default label of a wait branch waiting for each interaction.
    pub interaction_words: BTreeMap<String, String>,
}

fn spec(key: &str, label: &str) -> OutputSpec {
    OutputSpec {
        key: key.to_owned(),
        label: label.to_owned(),
    }
}

fn block_words(code: BlockCode) -> &'static str {
    match code {
        BlockCode::ContactPointMissing => "no phone number",
        BlockCode::ContactPointInvalid => "invalid number",
        BlockCode::ConsentPurposeOptedOut => "opted out (purpose)",
        BlockCode::ConsentPurposeNotOptedIn => "no opt-in (purpose)",
        BlockCode::ConsentTopicOptedOut => "opted out (topic)",
        BlockCode::ConsentTopicNotOptedIn => "no opt-in (topic)",
        BlockCode::QuietTimeNoWindow => "no quiet-time window",
    }
}

/// The short words for a block code as the runtime's counts spell it
/// (`CONSENT_PURPOSE_OPTED_OUT`); `None` for a code this build does not know.
pub fn block_code_words(code: &str) -> Option<&'static str> {
    BLOCK_CODES
        .iter()
        .find(|c| c.as_str() == code)
        .map(|&c| block_words(c))
}

fn interaction_words(interaction: Interaction) -> &'static str {
    match interaction {
        Interaction::VoiceCallAttempted => "Attempted",
        Interaction::VoiceCallNotAttempted => "Not attempted",
        Interaction::VoiceCallBlocked => "Blocked",
    }
}

/// The rules, built once from the same constants the validator and runtime use.
pub fn designer_rules() -> DesignerRules {
    let single = || OutputRule {
        fixed: vec![spec(OUTPUT_NEXT, "Next")],
        branches: false,
        other: None,
    };
    let branching = || OutputRule {
        fixed: Vec::new(),
        branches: true,
        other: Some(spec(OUTPUT_OTHER, "Other")),
    };
    let kind = |t: TileType| {
        serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let outputs = [
        (TileType::Start, single()),
        (TileType::VoiceConversation, single()),
        (TileType::WaitTime, single()),
        (TileType::WaitForTrigger, branching()),
        (TileType::AttributeBranch, branching()),
        (
            TileType::Exit,
            OutputRule {
                fixed: Vec::new(),
                branches: false,
                other: None,
            },
        ),
    ]
    .into_iter()
    .map(|(t, rule)| (kind(t), rule))
    .collect();
    let interactions = [
        Interaction::VoiceCallAttempted,
        Interaction::VoiceCallNotAttempted,
        Interaction::VoiceCallBlocked,
    ];
    DesignerRules {
        outputs,
        connections: ConnectionRule {
            no_input: vec![TileType::Start],
            to_itself: false,
        },
        block_words: BLOCK_CODES
            .iter()
            .map(|&c| (c.as_str().to_owned(), block_words(c).to_owned()))
            .collect(),
        interaction_words: interactions
            .iter()
            .map(|&i| {
                let key = serde_json::to_value(i)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (key, interaction_words(i).to_owned())
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Tile, parse_journey};

    /// The output keys a tile has by [`designer_rules`].
    fn output_keys(tile: &Tile) -> Vec<String> {
        let rules = designer_rules();
        let kind = serde_json::to_value(tile.tile_type())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let Some(rule) = rules.outputs.get(&kind) else {
            return Vec::new();
        };
        let mut keys: Vec<String> = rule.fixed.iter().map(|o| o.key.clone()).collect();
        if rule.branches {
            let branch_ids: Vec<String> = match tile {
                Tile::WaitForTrigger(t) => t.branches.iter().map(|b| b.id.clone()).collect(),
                Tile::AttributeBranch(t) => t.branches.iter().map(|b| b.id.clone()).collect(),
                _ => Vec::new(),
            };
            keys.extend(branch_ids);
        }
        keys.extend(rule.other.iter().map(|o| o.key.clone()));
        keys
    }

    /// The data says what the validator's own `Tile::outputs` says, for every sample tile.
    #[test]
    fn output_rules_match_the_tiles_own_outputs() {
        for text in [
            include_str!("../samples/renewal-calls.journey.json"),
            include_str!("../samples/payment-follow-up.journey.json"),
            include_str!("../samples/appointment-reminders.journey.json"),
        ] {
            for tile in parse_journey(text).unwrap().tiles {
                assert_eq!(output_keys(&tile), tile.outputs(), "{}", tile.id());
            }
        }
        assert_eq!(designer_rules().outputs.len(), 6);
    }

    #[test]
    fn every_block_code_and_interaction_has_words() {
        let rules = designer_rules();
        assert_eq!(rules.block_words.len(), BLOCK_CODES.len());
        assert_eq!(
            rules.block_words["CONSENT_PURPOSE_OPTED_OUT"],
            "opted out (purpose)"
        );
        assert_eq!(rules.interaction_words["voiceCallBlocked"], "Blocked");
        assert_eq!(rules.connections.no_input, vec![TileType::Start]);
    }
}
