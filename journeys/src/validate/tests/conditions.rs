//! Branch conditions: variables, operators and values.

use super::*;

// ---------------------------------------------------------------- conditions

const AT: Option<&str> = Some("call-outcome");

#[test]
fn condition_variable_and_operator_missing() {
    let mut journey = renewal();
    first_condition(
        &mut journey,
        Condition {
            variable: None,
            operator: Some(Operator::Equals),
            value: None,
        },
    );
    fires(
        &journey,
        Code::ConditionVariableMissing,
        AT,
        Some("branches.0.conditions.0.variable"),
    );
    first_condition(
        &mut journey,
        Condition {
            variable: Some(Variable::Result),
            operator: None,
            value: Some(json!("LiveAnswer")),
        },
    );
    fires(
        &journey,
        Code::ConditionOperatorMissing,
        AT,
        Some("branches.0.conditions.0.operator"),
    );
    quiet(&renewal(), Code::ConditionVariableMissing);
    quiet(&renewal(), Code::ConditionOperatorMissing);
}

#[test]
fn condition_unknown_variable_for_the_source() {
    let cases = [
        Variable::EngagementVariable {
            name: "Sentiment".to_owned(),
        },
        Variable::BlockCode,
        Variable::Attribute {
            name: "city".to_owned(),
        },
        // Engagement variables are case-sensitive.
        Variable::EngagementVariable {
            name: "outcome".to_owned(),
        },
    ];
    for variable in cases {
        let mut journey = renewal();
        first_condition(&mut journey, condition(variable, Operator::IsEmpty, None));
        fires(
            &journey,
            Code::ConditionUnknownVariable,
            AT,
            Some("branches.0.conditions.0.variable"),
        );
    }
    let mut journey = renewal();
    branch(&mut journey, "why-blocked").branches[0].conditions = vec![condition(
        Variable::Result,
        Operator::Equals,
        Some(json!("LiveAnswer")),
    )];
    fires(
        &journey,
        Code::ConditionUnknownVariable,
        Some("why-blocked"),
        Some("branches.0.conditions.0.variable"),
    );
    quiet(&renewal(), Code::ConditionUnknownVariable);
}

#[test]
fn condition_operator_not_valid_for_the_type() {
    let cases = [
        (outcome(), Operator::Contains),
        (Variable::DispositionCodes, Operator::Equals),
        (Variable::Result, Operator::Contains),
        (
            Variable::EngagementVariable {
                name: "RenewalQuote".to_owned(),
            },
            Operator::StartsWith,
        ),
        (
            Variable::EngagementVariable {
                name: "CallbackAt".to_owned(),
            },
            Operator::GreaterThan,
        ),
    ];
    for (variable, operator) in cases {
        let mut journey = renewal();
        first_condition(
            &mut journey,
            condition(variable, operator, Some(json!("x"))),
        );
        fires(
            &journey,
            Code::ConditionOperatorNotValid,
            AT,
            Some("branches.0.conditions.0.operator"),
        );
    }
    let mut journey = renewal();
    first_condition(
        &mut journey,
        condition(
            Variable::EngagementVariable {
                name: "CallbackAt".to_owned(),
            },
            Operator::Before,
            Some(json!("2026-12-24")),
        ),
    );
    assert_eq!(validate(&journey, &catalog()), Vec::new());
}

#[test]
fn condition_value_missing() {
    let mut journey = renewal();
    first_condition(
        &mut journey,
        condition(
            Variable::Result,
            Operator::Equals,
            Some(serde_json::Value::Null),
        ),
    );
    fires(
        &journey,
        Code::ConditionValueMissing,
        AT,
        Some("branches.0.conditions.0.value"),
    );
    first_condition(&mut journey, condition(outcome(), Operator::IsEmpty, None));
    quiet(&journey, Code::ConditionValueMissing);
}

#[test]
fn condition_value_of_the_wrong_type() {
    let quote = Variable::EngagementVariable {
        name: "RenewalQuote".to_owned(),
    };
    let notes = Variable::EngagementVariable {
        name: "Notes".to_owned(),
    };
    let callback = Variable::EngagementVariable {
        name: "CallbackAt".to_owned(),
    };
    let cases = [
        (quote.clone(), Operator::GreaterThan, json!("100"), false),
        (quote, Operator::GreaterThan, json!(100.5), true),
        (notes.clone(), Operator::Contains, json!(3), false),
        (notes, Operator::Contains, json!("call back"), true),
        (callback.clone(), Operator::After, json!("next week"), false),
        (
            callback,
            Operator::After,
            json!("2026-12-01T09:00:00-06:00"),
            true,
        ),
        (
            Variable::DispositionCodes,
            Operator::Contains,
            json!([]),
            false,
        ),
        (
            Variable::DispositionCodes,
            Operator::Contains,
            json!(["Renewed", "Interested"]),
            true,
        ),
        (Variable::Result, Operator::Equals, json!(1), false),
    ];
    for (variable, operator, value, ok) in cases {
        let mut journey = renewal();
        first_condition(
            &mut journey,
            condition(variable, operator, Some(value.clone())),
        );
        if ok {
            assert_eq!(validate(&journey, &catalog()), Vec::new(), "{value}");
        } else {
            fires(
                &journey,
                Code::ConditionValueWrongType,
                AT,
                Some("branches.0.conditions.0.value"),
            );
        }
    }
}

#[test]
fn condition_choice_value_must_be_an_option() {
    let mut journey = renewal();
    first_condition(
        &mut journey,
        condition(outcome(), Operator::Equals, Some(json!("booked"))),
    );
    fires(
        &journey,
        Code::ConditionValueNotAllowed,
        AT,
        Some("branches.0.conditions.0.value"),
    );
    first_condition(
        &mut journey,
        condition(outcome(), Operator::NotEquals, Some(json!("Booked"))),
    );
    quiet(&journey, Code::ConditionValueNotAllowed);
}

#[test]
fn condition_result_must_be_in_the_result_list() {
    let mut journey = renewal();
    first_condition(
        &mut journey,
        condition(Variable::Result, Operator::Equals, Some(json!("Voicemail"))),
    );
    fires(
        &journey,
        Code::ConditionResultUnknown,
        AT,
        Some("branches.0.conditions.0.value"),
    );
    // A catalog may configure its own results.
    let mut custom = catalog();
    custom.result_mapping.push(crate::catalog::ResultEntry {
        result: "Voicemail".to_owned(),
        label: "Voicemail".to_owned(),
        outcome: crate::catalog::CallOutcome::Attempted,
        description: String::new(),
    });
    quiet_with(&journey, &custom, Code::ConditionResultUnknown);
}

#[test]
fn condition_block_code_must_be_a_block_code() {
    let mut journey = renewal();
    branch(&mut journey, "why-blocked").branches[0].conditions = vec![condition(
        Variable::BlockCode,
        Operator::Equals,
        Some(json!("QUIET_TIME")),
    )];
    fires(
        &journey,
        Code::ConditionBlockCodeUnknown,
        Some("why-blocked"),
        Some("branches.0.conditions.0.value"),
    );
    quiet(&renewal(), Code::ConditionBlockCodeUnknown);
}

#[test]
fn condition_disposition_code_not_of_the_engagement_is_a_warning() {
    let mut journey = renewal();
    first_condition(
        &mut journey,
        condition(
            Variable::DispositionCodes,
            Operator::DoesNotContain,
            Some(json!(["Renewed", "Confirmed"])),
        ),
    );
    fires(
        &journey,
        Code::ConditionDispositionCodeUnknown,
        AT,
        Some("branches.0.conditions.0.value"),
    );
    assert!(!has_errors(&validate(&journey, &catalog())));
    quiet(&renewal(), Code::ConditionDispositionCodeUnknown);
}
