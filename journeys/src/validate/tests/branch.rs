//! Attribute branch tiles.

use super::*;

// ---------------------------------------------------------------- attribute branch

#[test]
fn branch_source_missing() {
    let mut journey = renewal();
    branch(&mut journey, "call-outcome").source = None;
    fires(
        &journey,
        Code::BranchSourceMissing,
        Some("call-outcome"),
        Some("source"),
    );
    quiet(&renewal(), Code::BranchSourceMissing);
}

#[test]
fn branch_source_tile_missing_unknown_or_not_voice() {
    let cases = [
        (None, Code::BranchSourceTileMissing),
        (Some("ghost"), Code::BranchSourceTileUnknown),
        (Some("wait-call"), Code::BranchSourceNotVoiceTile),
    ];
    for (source, code) in cases {
        let mut journey = renewal();
        branch(&mut journey, "call-outcome").source = Some(BranchSource::VoiceCall {
            tile_id: source.map(str::to_owned),
        });
        fires(&journey, code, Some("call-outcome"), Some("source.tileId"));
        // Its conditions are still checked where they can be: the result list is known.
        first_condition(
            &mut journey,
            condition(Variable::Result, Operator::Equals, Some(json!("Nope"))),
        );
        fires(
            &journey,
            Code::ConditionResultUnknown,
            Some("call-outcome"),
            Some("branches.0.conditions.0.value"),
        );
        quiet(&renewal(), code);
    }
}

#[test]
fn branch_on_a_call_only_after_its_attempted_or_not_attempted_branch() {
    let journey = sample(include_str!(
        "../../../samples/invalid-branch-conditions.journey.json"
    ));
    fires(
        &journey,
        Code::BranchVoiceSourceOffOutcomePath,
        Some("too-early"),
        Some("source.tileId"),
    );
    // Both the attempted and the not-attempted branch leading to it is fine.
    let mut journey = renewal();
    disconnect(&mut journey, "wait-call", "not-attempted");
    connect(&mut journey, "wait-call", "not-attempted", "call-outcome");
    quiet(&journey, Code::BranchVoiceSourceOffOutcomePath);
    // The blocked branch leading there too is not.
    disconnect(&mut journey, "wait-call", "blocked");
    connect(&mut journey, "wait-call", "blocked", "call-outcome");
    fires(
        &journey,
        Code::BranchVoiceSourceOffOutcomePath,
        Some("call-outcome"),
        Some("source.tileId"),
    );
    // Branching on a call from another voice tile's wait is not.
    let mut journey = renewal();
    branch(&mut journey, "call-outcome").source = Some(BranchSource::VoiceCall {
        tile_id: Some("call-retry".to_owned()),
    });
    fires(
        &journey,
        Code::BranchVoiceSourceOffOutcomePath,
        Some("call-outcome"),
        Some("source.tileId"),
    );
}

#[test]
fn branch_on_a_call_watched_by_two_waits_is_checked_exactly() {
    // start → split(contact) → wait-a / wait-b, both watching call → attempted → merge.
    let mut journey = renewal();
    journey.tiles.truncate(2); // start, call-renewal
    journey.connections.clear();
    let watching = |id: &str| {
        Tile::WaitForTrigger(WaitForTriggerTile {
            id: id.to_owned(),
            name: String::new(),
            condition: Some(WaitCondition::PreviousMessage {
                tile_id: Some("call-renewal".to_owned()),
            }),
            branches: vec![WaitBranch {
                id: "attempted".to_owned(),
                name: String::new(),
                interaction: Some(Interaction::VoiceCallAttempted),
                conditions: Vec::new(),
            }],
            time_limit: Some(Duration {
                amount: 1,
                unit: DurationUnit::Days,
            }),
        })
    };
    journey.tiles.push(contact_branch("split", 1));
    journey.tiles.push(watching("wait-a"));
    journey.tiles.push(watching("wait-b"));
    journey
        .tiles
        .push(Tile::AttributeBranch(AttributeBranchTile {
            id: "outcome".to_owned(),
            name: String::new(),
            source: Some(BranchSource::VoiceCall {
                tile_id: Some("call-renewal".to_owned()),
            }),
            branches: vec![AttributeBranch {
                id: "live".to_owned(),
                name: String::new(),
                match_mode: MatchMode::All,
                conditions: vec![condition(
                    Variable::Result,
                    Operator::Equals,
                    Some(json!("LiveAnswer")),
                )],
            }],
        }));
    for (from, output, to) in [
        ("start", "next", "call-renewal"),
        ("call-renewal", "next", "split"),
        ("split", "b0", "wait-a"),
        ("split", "other", "wait-b"),
        ("wait-a", "attempted", "outcome"),
        ("wait-b", "attempted", "outcome"),
    ] {
        connect(&mut journey, from, output, to);
    }
    quiet(&journey, Code::BranchVoiceSourceOffOutcomePath);
    connect(&mut journey, "wait-b", "other", "outcome");
    fires(
        &journey,
        Code::BranchVoiceSourceOffOutcomePath,
        Some("outcome"),
        Some("source.tileId"),
    );
}

#[test]
fn branch_on_a_blocked_call_only_after_its_blocked_branch() {
    let mut journey = renewal();
    disconnect(&mut journey, "wait-call", "other");
    connect(&mut journey, "wait-call", "other", "why-blocked");
    fires(
        &journey,
        Code::BranchBlockedSourceOffBlockedPath,
        Some("why-blocked"),
        Some("source.tileId"),
    );
    quiet(&renewal(), Code::BranchBlockedSourceOffBlockedPath);
}

#[test]
fn branch_no_branches_and_no_conditions() {
    let mut journey = renewal();
    branch(&mut journey, "call-outcome").branches[1]
        .conditions
        .clear();
    fires(
        &journey,
        Code::BranchNoConditions,
        Some("call-outcome"),
        Some("branches.1.conditions"),
    );
    branch(&mut journey, "call-outcome").branches.clear();
    journey
        .connections
        .retain(|c| !(c.from == "call-outcome" && c.output != "other"));
    fires(
        &journey,
        Code::BranchNoBranches,
        Some("call-outcome"),
        Some("branches"),
    );
    quiet(&renewal(), Code::BranchNoBranches);
    quiet(&renewal(), Code::BranchNoConditions);
}

#[test]
fn branch_same_as_an_earlier_one_is_a_warning() {
    let mut journey = renewal();
    let b = branch(&mut journey, "call-outcome");
    b.branches[1].conditions = b.branches[0].conditions.clone();
    b.branches[1].match_mode = b.branches[0].match_mode;
    fires(
        &journey,
        Code::BranchSameAsEarlier,
        Some("call-outcome"),
        Some("branches.1"),
    );
    // Same conditions, other match mode: a different branch.
    branch(&mut journey, "call-outcome").branches[1].match_mode = MatchMode::Any;
    let b = branch(&mut journey, "call-outcome");
    assert_ne!(b.branches[0].match_mode, b.branches[1].match_mode);
    quiet(&journey, Code::BranchSameAsEarlier);
}
