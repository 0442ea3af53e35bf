//! Wait-time tiles and the variables a branch offers.

use super::*;

// ---------------------------------------------------------------- wait time

#[test]
fn wait_time_missing_not_positive_or_over_ninety_days() {
    let cases = [
        (None, Some(Code::WaitTimeMissing), "wait"),
        (
            Some((-1, DurationUnit::Hours)),
            Some(Code::WaitTimeNotPositive),
            "wait.amount",
        ),
        (
            Some((2161, DurationUnit::Hours)),
            Some(Code::WaitTimeTooLong),
            "wait",
        ),
        (Some((2160, DurationUnit::Hours)), None, ""),
    ];
    for (wait, code, path) in cases {
        let mut journey = renewal();
        wait_time(&mut journey, "wait-retry").wait =
            wait.map(|(amount, unit)| WaitSpec::Duration(Duration { amount, unit }));
        match code {
            Some(code) => fires(&journey, code, Some("wait-retry"), Some(path)),
            None => assert_eq!(validate(&journey, &catalog()), Vec::new()),
        }
    }
}

#[test]
fn wait_until_in_the_past_needs_a_clock() {
    let mut journey = renewal();
    let local: NaiveDateTime = "2026-12-01T09:00:00".parse().unwrap();
    wait_time(&mut journey, "wait-retry").wait = Some(WaitSpec::Until { local });
    // 09:00 in Chicago is 15:00 UTC.
    let before: DateTime<Utc> = "2026-12-01T14:59:00Z".parse().unwrap();
    let after: DateTime<Utc> = "2026-12-01T15:00:00Z".parse().unwrap();
    assert_eq!(validate_at(&journey, &catalog(), before), Vec::new());
    let past: Vec<Diagnostic> = validate_at(&journey, &catalog(), after)
        .into_iter()
        .filter(|d| d.code == Code::WaitTimeUntilInPast)
        .collect();
    assert_eq!(past.len(), 1);
    assert_eq!(past[0].path.as_deref(), Some("wait.local"));
    assert_eq!(
        validate(&journey, &catalog()),
        Vec::new(),
        "no clock, no rule"
    );
    let long_before: DateTime<Utc> = "2026-08-01T00:00:00Z".parse().unwrap();
    let far = validate_at(&journey, &catalog(), long_before);
    assert_eq!(far.len(), 1);
    assert_eq!(far[0].code, Code::WaitTimeTooLong);
}

// ---------------------------------------------------------------- variables

#[test]
fn operators_follow_the_domain_table() {
    use Operator::*;
    assert_eq!(
        operators_for(ValueType::CodeList),
        [Contains, DoesNotContain]
    );
    assert_eq!(operators_for(ValueType::Result), [Equals, NotEquals]);
    assert_eq!(operators_for(ValueType::BlockCode), [Equals, NotEquals]);
    assert_eq!(
        operators_for(ValueType::Boolean),
        [IsTrue, IsFalse, IsEmpty]
    );
    assert_eq!(
        operators_for(ValueType::DateTime),
        [Before, On, After, IsEmpty, IsNotEmpty]
    );
    assert_eq!(
        operators_for(ValueType::Choice),
        [Equals, NotEquals, IsEmpty, IsNotEmpty]
    );
    assert!(operators_for(ValueType::Text).contains(&StartsWith));
    assert!(!operators_for(ValueType::Number).contains(&Contains));
    assert_eq!(operators_for(ValueType::Unknown).len(), 16);
    assert!(!takes_value(IsEmpty) && !takes_value(IsTrue) && takes_value(Before));
}

#[test]
fn block_code_strings_match_their_serialized_form() {
    for code in BLOCK_CODES {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
    }
}

#[test]
fn branch_variables_list_what_a_call_offers() {
    let journey = renewal();
    let catalog = catalog();
    let source = BranchSource::VoiceCall {
        tile_id: Some("call-renewal".to_owned()),
    };
    let variables = branch_variables(&journey, &catalog, &source);
    let labels: Vec<&str> = variables.iter().map(|v| v.label.as_str()).collect();
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
    assert_eq!(variables[0].options.len(), 5);
    assert_eq!(variables[1].options.len(), catalog.result_mapping.len());
    assert_eq!(variables[2].value_type, ValueType::Choice);
    assert_eq!(variables[2].operators, operators_for(ValueType::Choice));
    let blocked = branch_variables(
        &journey,
        &catalog,
        &BranchSource::VoiceCallBlocked {
            tile_id: Some("call-renewal".to_owned()),
        },
    );
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].options.len(), BLOCK_CODES.len());
    assert!(branch_variables(&journey, &catalog, &BranchSource::Contact).is_empty());
}
