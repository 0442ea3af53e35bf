//! Wait-for-trigger tiles.

use super::*;

// ---------------------------------------------------------------- wait for trigger

#[test]
fn wait_condition_missing() {
    let mut journey = renewal();
    wait(&mut journey, "wait-call").condition = None;
    fires(
        &journey,
        Code::WaitConditionMissing,
        Some("wait-call"),
        Some("condition"),
    );
    quiet(&renewal(), Code::WaitConditionMissing);
}

#[test]
fn wait_time_limit_missing_not_positive_or_over_ninety_days() {
    let cases = [
        (None, Some(Code::WaitTimeLimitMissing), "timeLimit"),
        (
            Some((0, DurationUnit::Minutes)),
            Some(Code::WaitTimeLimitNotPositive),
            "timeLimit.amount",
        ),
        (
            Some((13, DurationUnit::Weeks)),
            Some(Code::WaitTimeLimitTooLong),
            "timeLimit",
        ),
        (Some((90, DurationUnit::Days)), None, ""),
        (Some((1, DurationUnit::Minutes)), None, ""),
    ];
    for (limit, code, path) in cases {
        let mut journey = renewal();
        wait(&mut journey, "wait-call").time_limit =
            limit.map(|(amount, unit)| Duration { amount, unit });
        match code {
            Some(code) => fires(&journey, code, Some("wait-call"), Some(path)),
            // A one-minute limit is valid, though shorter than the quiet time (a warning).
            None => assert!(
                validate(&journey, &catalog())
                    .iter()
                    .all(|d| d.code == Code::WaitTimeLimitShorterThanQuietTime),
                "{limit:?}"
            ),
        }
    }
}

#[test]
fn wait_message_missing_unknown_or_not_a_message_tile() {
    let cases = [
        (None, Code::WaitMessageMissing),
        (Some("ghost"), Code::WaitMessageUnknown),
        (Some("wait-retry"), Code::WaitMessageNotAMessageTile),
    ];
    for (watched, code) in cases {
        let mut journey = renewal();
        wait(&mut journey, "wait-business").condition = Some(WaitCondition::PreviousMessage {
            tile_id: watched.map(str::to_owned),
        });
        fires(
            &journey,
            code,
            Some("wait-business"),
            Some("condition.tileId"),
        );
        quiet(&renewal(), code);
    }
}

#[test]
fn wait_message_must_be_before_the_wait_on_every_path() {
    let journey = sample(include_str!("../../../samples/invalid-wait.journey.json"));
    fires(
        &journey,
        Code::WaitMessageNotUpstream,
        Some("wait"),
        Some("condition.tileId"),
    );
    // Watching a call two tiles back, still on every path, is fine.
    let mut journey = renewal();
    wait(&mut journey, "wait-business").condition = Some(WaitCondition::PreviousMessage {
        tile_id: Some("call-renewal".to_owned()),
    });
    quiet(&journey, Code::WaitMessageNotUpstream);
    // call-retry is only on the voicemail path, not before wait-business.
    wait(&mut journey, "wait-business").condition = Some(WaitCondition::PreviousMessage {
        tile_id: Some("call-retry".to_owned()),
    });
    fires(
        &journey,
        Code::WaitMessageNotUpstream,
        Some("wait-business"),
        Some("condition.tileId"),
    );
}

#[test]
fn wait_trigger_missing_and_interactions_on_trigger_waits() {
    let mut journey = renewal();
    wait(&mut journey, "wait-business").condition =
        Some(WaitCondition::Trigger { trigger_name: None });
    fires(
        &journey,
        Code::WaitTriggerMissing,
        Some("wait-business"),
        Some("condition.triggerName"),
    );
    let found = with_code(&journey, Code::WaitInteractionOnTriggerWait);
    assert_eq!(found.len(), 2, "both branches carry an interaction");
    assert_eq!(found[0].path.as_deref(), Some("branches.0.interaction"));

    wait(&mut journey, "wait-business").condition = Some(WaitCondition::Trigger {
        trigger_name: Some("formSubmitted".to_owned()),
    });
    for b in &mut wait(&mut journey, "wait-business").branches {
        b.interaction = None;
        b.conditions = vec![condition(
            Variable::Attribute {
                name: "formId".to_owned(),
            },
            Operator::Equals,
            Some(json!("renewal")),
        )];
    }
    wait(&mut journey, "wait-business").branches[1].conditions[0].value = Some(json!("callback"));
    let all = validate(&journey, &catalog());
    assert!(
        all.iter().all(|d| d.code == Code::VoiceNotFollowedByWait),
        "{all:#?}"
    );
}

#[test]
fn wait_no_branches_and_branch_without_interaction() {
    let mut journey = renewal();
    wait(&mut journey, "wait-business").branches[1].interaction = None;
    fires(
        &journey,
        Code::WaitBranchWithoutInteraction,
        Some("wait-business"),
        Some("branches.1.interaction"),
    );
    wait(&mut journey, "wait-business").branches.clear();
    journey
        .connections
        .retain(|c| !(c.from == "wait-business" && c.output != "other"));
    fires(
        &journey,
        Code::WaitNoBranches,
        Some("wait-business"),
        Some("branches"),
    );
    quiet(&renewal(), Code::WaitNoBranches);
    quiet(&renewal(), Code::WaitBranchWithoutInteraction);
}

#[test]
fn wait_duplicate_interaction() {
    let mut journey = renewal();
    wait(&mut journey, "wait-call").branches[2].interaction = Some(Interaction::VoiceCallAttempted);
    fires(
        &journey,
        Code::WaitDuplicateInteraction,
        Some("wait-call"),
        Some("branches.2.interaction"),
    );
    quiet(&renewal(), Code::WaitDuplicateInteraction);
}

#[test]
fn wait_interactions_of_the_watched_channel_pass() {
    // Voice is the only message channel so far: every interaction is a voice one, and a
    // wait on a voice tile accepts all three. The rule fires once a second channel exists.
    for interaction in [
        Interaction::VoiceCallAttempted,
        Interaction::VoiceCallNotAttempted,
        Interaction::VoiceCallBlocked,
    ] {
        assert_eq!(interaction.channel(), Channel::Voice);
    }
    quiet(&renewal(), Code::WaitInteractionWrongChannel);
}

#[test]
fn wait_time_limit_shorter_than_quiet_time_is_a_warning() {
    // The sample TCPA setting is closed from Wednesday 23 Dec 21:00 to Monday 28 Dec 08:00
    // (107 hours) for commercial calls: a 2-day limit is shorter, the seed's 7 days is not.
    let mut journey = renewal();
    wait(&mut journey, "wait-call").time_limit = Some(Duration {
        amount: 2,
        unit: DurationUnit::Days,
    });
    fires(
        &journey,
        Code::WaitTimeLimitShorterThanQuietTime,
        Some("wait-call"),
        Some("timeLimit"),
    );
    let message = &with_code(&journey, Code::WaitTimeLimitShorterThanQuietTime)[0].message;
    assert!(message.contains("4 days 11 hours"), "{message}");
    assert!(!has_errors(&validate(&journey, &catalog())));
    quiet(&renewal(), Code::WaitTimeLimitShorterThanQuietTime);
    // Without quiet time there is nothing to be shorter than.
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::None);
    quiet(&journey, Code::WaitTimeLimitShorterThanQuietTime);
}
