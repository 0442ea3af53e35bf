//! Condition evaluation: the one place where a branch condition is judged (domain D10).
//!
//! Attribute branches, trigger-start conditions and trigger-wait branches in the runtime, and
//! the designer's test run, all call [`first_matching_branch`] or [`condition_holds`].
//!
//! Rules: a missing value (absent, `null`, blank text, empty list, or a value that does not
//! parse as the operator's type) satisfies only `isEmpty`, `notEquals` and `doesNotContain`.
//! Text compares trimmed and case-insensitively. On a list (disposition codes), `contains`
//! holds when any expected code is one of the list's codes.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use crate::document::{Condition, MatchMode, Operator, Variable};

/// Where a condition's variable gets its value from.
pub trait VariableSource {
    /// The variable's current value; `None` when it has none.
    fn value(&self, variable: &Variable) -> Option<Value>;
}

impl<F> VariableSource for F
where
    F: Fn(&Variable) -> Option<Value>,
{
    fn value(&self, variable: &Variable) -> Option<Value> {
        self(variable)
    }
}

/// Whether a set of conditions holds under `mode`. An empty list holds (a branch without
/// conditions catches everything; the validator warns about it).
pub fn conditions_hold(
    mode: MatchMode,
    conditions: &[Condition],
    source: &dyn VariableSource,
    zone: Tz,
) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let mut each = conditions.iter().map(|c| condition_holds(c, source, zone));
    match mode {
        MatchMode::All => each.all(|held| held),
        MatchMode::Any => each.any(|held| held),
    }
}

/// The index of the first branch whose conditions hold, if any (the caller then takes
/// Other). Each item is a branch's match mode and conditions.
pub fn first_matching_branch<'c>(
    branches: impl IntoIterator<Item = (MatchMode, &'c [Condition])>,
    source: &dyn VariableSource,
    zone: Tz,
) -> Option<usize> {
    branches
        .into_iter()
        .position(|(mode, conditions)| conditions_hold(mode, conditions, source, zone))
}

/// Whether one condition holds. An unfinished condition (no variable or operator) never holds.
pub fn condition_holds(condition: &Condition, source: &dyn VariableSource, zone: Tz) -> bool {
    let (Some(variable), Some(operator)) = (&condition.variable, condition.operator) else {
        return false;
    };
    let actual = source.value(variable).filter(|v| !is_blank(v));
    let expected = condition.value.as_ref();
    match operator {
        Operator::IsEmpty => actual.is_none(),
        Operator::IsNotEmpty => actual.is_some(),
        Operator::Equals => actual.is_some_and(|a| expected.is_some_and(|e| equals(&a, e))),
        Operator::NotEquals => actual.is_none_or(|a| expected.is_none_or(|e| !equals(&a, e))),
        Operator::Contains => actual.is_some_and(|a| expected.is_some_and(|e| contains(&a, e))),
        Operator::DoesNotContain => {
            actual.is_none_or(|a| expected.is_none_or(|e| !contains(&a, e)))
        }
        Operator::StartsWith => match (actual.as_ref().and_then(text), expected.and_then(text)) {
            (Some(a), Some(e)) => a.starts_with(&e),
            _ => false,
        },
        Operator::LessThan => compare(actual.as_ref(), expected, |o| o.is_lt()),
        Operator::LessThanOrEqual => compare(actual.as_ref(), expected, |o| o.is_le()),
        Operator::GreaterThan => compare(actual.as_ref(), expected, |o| o.is_gt()),
        Operator::GreaterThanOrEqual => compare(actual.as_ref(), expected, |o| o.is_ge()),
        Operator::IsTrue => actual.as_ref().and_then(boolean) == Some(true),
        Operator::IsFalse => actual.as_ref().and_then(boolean) == Some(false),
        Operator::Before => instant_cmp(actual.as_ref(), expected).is_some_and(|o| o.is_lt()),
        Operator::After => instant_cmp(actual.as_ref(), expected).is_some_and(|o| o.is_gt()),
        Operator::On => match (actual.as_ref().and_then(instant), expected) {
            (Some(a), Some(e)) => {
                let day = a.with_timezone(&zone).date_naive();
                local_date(e, zone).is_some_and(|d| d == day)
            }
            _ => false,
        },
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Trimmed, lower-cased text of a string, number or boolean.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|d| d.with_timezone(&Utc)),
        _ => None,
    }
}

fn local_date(value: &Value, zone: Tz) -> Option<NaiveDate> {
    if let Some(at) = instant(value) {
        return Some(at.with_timezone(&zone).date_naive());
    }
    match value {
        Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn scalar_equals(actual: &Value, expected: &Value) -> bool {
    if (actual.is_number() || expected.is_number())
        && let (Some(a), Some(e)) = (number(actual), number(expected))
    {
        return a == e;
    }
    if (actual.is_boolean() || expected.is_boolean())
        && let (Some(a), Some(e)) = (boolean(actual), boolean(expected))
    {
        return a == e;
    }
    match (text(actual), text(expected)) {
        (Some(a), Some(e)) => a == e,
        _ => false,
    }
}

fn equals(actual: &Value, expected: &Value) -> bool {
    match actual {
        // A list equals a value when it is exactly that one item.
        Value::Array(items) => items.len() == 1 && scalar_equals(&items[0], expected),
        _ => scalar_equals(actual, expected),
    }
}

fn contains(actual: &Value, expected: &Value) -> bool {
    let wanted: Vec<String> = match expected {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    };
    match actual {
        Value::Array(items) => {
            let have: Vec<String> = items.iter().filter_map(text).collect();
            wanted.iter().any(|w| have.contains(w))
        }
        other => text(other).is_some_and(|a| wanted.iter().any(|w| a.contains(w.as_str()))),
    }
}

fn compare(
    actual: Option<&Value>,
    expected: Option<&Value>,
    test: impl Fn(std::cmp::Ordering) -> bool,
) -> bool {
    match (actual.and_then(number), expected.and_then(number)) {
        (Some(a), Some(e)) => a.partial_cmp(&e).is_some_and(test),
        _ => false,
    }
}

fn instant_cmp(actual: Option<&Value>, expected: Option<&Value>) -> Option<std::cmp::Ordering> {
    let a = actual.and_then(instant)?;
    let e = expected.and_then(instant)?;
    Some(a.cmp(&e))
}
