//! What a condition can read and how it may compare it: the one place that says which
//! operators are valid for which type. The validator, the designer (through IPC) and the
//! runtime's evaluator all use it.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::{Catalog, Engagement, VariableType};
use crate::compliance::BlockCode;
use crate::document::{BranchSource, Journey, Operator, Tile, Variable};

/// The type of a value a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ValueType {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// True or false.
    Boolean,
    /// An instant (RFC 3339) or a date (`YYYY-MM-DD`).
    DateTime,
    /// One of declared options.
    Choice,
    /// The call's disposition codes: a list of codes.
    CodeList,
    /// The contact center's final result, from the catalog's result list.
    Result,
    /// Why a call was blocked, from the block codes.
    BlockCode,
    /// A contact or trigger attribute, whose type the catalog does not know: any operator.
    Unknown,
}

impl From<VariableType> for ValueType {
    fn from(data_type: VariableType) -> ValueType {
        match data_type {
            VariableType::Text => ValueType::Text,
            VariableType::Number => ValueType::Number,
            VariableType::Boolean => ValueType::Boolean,
            VariableType::DateTime => ValueType::DateTime,
            VariableType::Choice => ValueType::Choice,
        }
    }
}

use Operator as Op;

const TEXT: &[Operator] = &[
    Op::Equals,
    Op::NotEquals,
    Op::Contains,
    Op::DoesNotContain,
    Op::StartsWith,
    Op::IsEmpty,
    Op::IsNotEmpty,
];
const NUMBER: &[Operator] = &[
    Op::Equals,
    Op::NotEquals,
    Op::LessThan,
    Op::LessThanOrEqual,
    Op::GreaterThan,
    Op::GreaterThanOrEqual,
    Op::IsEmpty,
    Op::IsNotEmpty,
];
const BOOLEAN: &[Operator] = &[Op::IsTrue, Op::IsFalse, Op::IsEmpty];
const DATE_TIME: &[Operator] = &[Op::Before, Op::On, Op::After, Op::IsEmpty, Op::IsNotEmpty];
const CHOICE: &[Operator] = &[Op::Equals, Op::NotEquals, Op::IsEmpty, Op::IsNotEmpty];
const CODE_LIST: &[Operator] = &[Op::Contains, Op::DoesNotContain];
const ENUMERATED: &[Operator] = &[Op::Equals, Op::NotEquals];
const ANY: &[Operator] = &[
    Op::Equals,
    Op::NotEquals,
    Op::Contains,
    Op::DoesNotContain,
    Op::StartsWith,
    Op::IsEmpty,
    Op::IsNotEmpty,
    Op::LessThan,
    Op::LessThanOrEqual,
    Op::GreaterThan,
    Op::GreaterThanOrEqual,
    Op::IsTrue,
    Op::IsFalse,
    Op::Before,
    Op::On,
    Op::After,
];

/// The operators valid for a type, in picker order (domain reference §6).
pub fn operators_for(value_type: ValueType) -> &'static [Operator] {
    match value_type {
        ValueType::Text => TEXT,
        ValueType::Number => NUMBER,
        ValueType::Boolean => BOOLEAN,
        ValueType::DateTime => DATE_TIME,
        ValueType::Choice => CHOICE,
        ValueType::CodeList => CODE_LIST,
        ValueType::Result | ValueType::BlockCode => ENUMERATED,
        ValueType::Unknown => ANY,
    }
}

/// The operator as the designer shows it, e.g. `does not contain`.
pub fn operator_label(operator: Operator) -> &'static str {
    match operator {
        Op::Equals => "equals",
        Op::NotEquals => "does not equal",
        Op::Contains => "contains",
        Op::DoesNotContain => "does not contain",
        Op::StartsWith => "starts with",
        Op::IsEmpty => "is empty",
        Op::IsNotEmpty => "is not empty",
        Op::LessThan => "is less than",
        Op::LessThanOrEqual => "is at most",
        Op::GreaterThan => "is greater than",
        Op::GreaterThanOrEqual => "is at least",
        Op::IsTrue => "is true",
        Op::IsFalse => "is false",
        Op::Before => "is before",
        Op::On => "is on",
        Op::After => "is after",
    }
}

/// Whether the operator compares with a value (`isEmpty`, `isTrue` and the like do not).
pub fn takes_value(operator: Operator) -> bool {
    !matches!(
        operator,
        Op::IsEmpty | Op::IsNotEmpty | Op::IsTrue | Op::IsFalse
    )
}

/// The type of a variable, given the engagement of the voice tile a branch reads (if any).
/// `None` when the variable does not exist: an engagement variable the engagement does not
/// declare, or one read without an engagement.
pub fn value_type(variable: &Variable, engagement: Option<&Engagement>) -> Option<ValueType> {
    match variable {
        Variable::DispositionCodes => Some(ValueType::CodeList),
        Variable::Result => Some(ValueType::Result),
        Variable::BlockCode => Some(ValueType::BlockCode),
        Variable::EngagementVariable { name } => engagement?
            .variables
            .iter()
            .find(|v| &v.name == name)
            .map(|v| ValueType::from(v.data_type)),
        Variable::Attribute { .. } => Some(ValueType::Unknown),
    }
}

/// Every block code, in the domain reference's order (D6).
pub const BLOCK_CODES: [BlockCode; 7] = [
    BlockCode::ContactPointMissing,
    BlockCode::ContactPointInvalid,
    BlockCode::ConsentPurposeOptedOut,
    BlockCode::ConsentPurposeNotOptedIn,
    BlockCode::ConsentTopicOptedOut,
    BlockCode::ConsentTopicNotOptedIn,
    BlockCode::QuietTimeNoWindow,
];

fn block_code_label(code: BlockCode) -> &'static str {
    match code {
        BlockCode::ContactPointMissing => "Send-to phone field empty",
        BlockCode::ContactPointInvalid => "Send-to number not valid",
        BlockCode::ConsentPurposeOptedOut => "Opted out of the purpose",
        BlockCode::ConsentPurposeNotOptedIn => "No opt-in to the purpose",
        BlockCode::ConsentTopicOptedOut => "Opted out of the topic",
        BlockCode::ConsentTopicNotOptedIn => "No opt-in to the topic",
        BlockCode::QuietTimeNoWindow => "No call window outside quiet time",
    }
}

/// One value a marketer can pick for a variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValueOption {
    /// The value as stored in the condition.
    pub value: String,
    /// What the marketer reads.
    pub label: String,
}

/// A variable a condition can read, with everything a picker needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariableInfo {
    /// The variable as stored in the condition.
    pub variable: Variable,
    /// What the marketer reads.
    pub label: String,
    /// Its type.
    pub value_type: ValueType,
    /// The operators valid for it, in picker order.
    pub operators: Vec<Operator>,
    /// The values to pick from (choice options, results, codes); empty for free values.
    pub options: Vec<ValueOption>,
}

impl VariableInfo {
    fn new(variable: Variable, label: &str, value_type: ValueType) -> VariableInfo {
        VariableInfo {
            variable,
            label: label.to_owned(),
            value_type,
            operators: operators_for(value_type).to_vec(),
            options: Vec::new(),
        }
    }
}

/// The variables of a finished call of this engagement (source "A voice call is attempted"):
/// disposition codes, result, then the engagement's own variables.
pub fn voice_call_variables(
    catalog: &Catalog,
    engagement: Option<&Engagement>,
) -> Vec<VariableInfo> {
    let mut codes = VariableInfo::new(
        Variable::DispositionCodes,
        "Disposition codes",
        ValueType::CodeList,
    );
    codes.options = engagement
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
    let mut result = VariableInfo::new(Variable::Result, "Result", ValueType::Result);
    result.options = catalog
        .result_mapping
        .iter()
        .map(|r| ValueOption {
            value: r.result.clone(),
            label: r.label.clone(),
        })
        .collect();
    let mut out = vec![codes, result];
    for declared in engagement
        .map(|e| e.variables.as_slice())
        .unwrap_or_default()
    {
        let mut info = VariableInfo::new(
            Variable::EngagementVariable {
                name: declared.name.clone(),
            },
            &declared.name,
            ValueType::from(declared.data_type),
        );
        info.options = declared
            .options
            .iter()
            .map(|o| ValueOption {
                value: o.clone(),
                label: o.clone(),
            })
            .collect();
        out.push(info);
    }
    out
}

/// The variable of a blocked call (source "A voice call is blocked"): the block code.
pub fn voice_call_blocked_variables() -> Vec<VariableInfo> {
    let mut info = VariableInfo::new(Variable::BlockCode, "Block code", ValueType::BlockCode);
    info.options = BLOCK_CODES
        .iter()
        .map(|&c| ValueOption {
            value: c.as_str().to_owned(),
            label: block_code_label(c).to_owned(),
        })
        .collect();
    vec![info]
}

/// The variables an attribute branch with this source offers. Contact attributes are free
/// (the catalog has no contact schema), so the list is empty for them; so it is when the
/// source names no voice tile.
pub fn branch_variables(
    journey: &Journey,
    catalog: &Catalog,
    source: &BranchSource,
) -> Vec<VariableInfo> {
    match source {
        BranchSource::VoiceCall { tile_id } => {
            let engagement = tile_id
                .as_deref()
                .and_then(|id| journey.tile(id))
                .and_then(|tile| match tile {
                    Tile::VoiceConversation(v) => v.engagement_id.as_deref(),
                    _ => None,
                })
                .and_then(|id| catalog.engagement(id));
            if tile_id.is_none() {
                return Vec::new();
            }
            voice_call_variables(catalog, engagement)
        }
        BranchSource::VoiceCallBlocked { .. } => voice_call_blocked_variables(),
        BranchSource::Contact => Vec::new(),
    }
}
