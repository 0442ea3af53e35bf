//! The start tile and the graph: reachability, cycles, nesting, references.

use super::*;

// ---------------------------------------------------------------- start

#[test]
fn start_condition_missing() {
    let mut journey = renewal();
    if let Tile::Start(s) = tile(&mut journey, "start") {
        s.start = None;
    }
    fires(
        &journey,
        Code::StartConditionMissing,
        Some("start"),
        Some("start"),
    );
    quiet(&renewal(), Code::StartConditionMissing);
}

#[test]
fn start_segments_missing_and_too_many() {
    let mut journey = renewal();
    segment(&mut journey).segment_ids = vec![" ".to_owned()];
    fires(
        &journey,
        Code::StartSegmentsMissing,
        Some("start"),
        Some("start.segmentIds"),
    );
    segment(&mut journey).segment_ids = (0..16).map(|i| format!("seg-{i}")).collect();
    fires(
        &journey,
        Code::StartTooManySegments,
        Some("start"),
        Some("start.segmentIds"),
    );
    segment(&mut journey).segment_ids.pop();
    quiet(&journey, Code::StartTooManySegments);
    quiet(&journey, Code::StartSegmentsMissing);
}

#[test]
fn start_time_missing_and_end_before_start() {
    let mut journey = renewal();
    segment(&mut journey).start_at = None;
    fires(
        &journey,
        Code::StartTimeMissing,
        Some("start"),
        Some("start.startAt"),
    );
    let start: DateTime<Utc> = "2026-12-01T15:00:00Z".parse().unwrap();
    segment(&mut journey).start_at = Some(start);
    segment(&mut journey).end_at = Some(start);
    fires(
        &journey,
        Code::StartEndBeforeStart,
        Some("start"),
        Some("start.endAt"),
    );
    segment(&mut journey).end_at = Some(start + chrono::Duration::minutes(1));
    quiet(&journey, Code::StartEndBeforeStart);
    quiet(&journey, Code::StartTimeMissing);
}

#[test]
fn start_repeat_interval_invalid() {
    let mut journey = renewal();
    segment(&mut journey).frequency = Frequency::Repeat {
        every: 0,
        unit: RepeatUnit::Weeks,
    };
    fires(
        &journey,
        Code::StartRepeatIntervalInvalid,
        Some("start"),
        Some("start.frequency.every"),
    );
    segment(&mut journey).frequency = Frequency::Repeat {
        every: 1,
        unit: RepeatUnit::Weeks,
    };
    quiet(&journey, Code::StartRepeatIntervalInvalid);
}

#[test]
fn start_trigger_missing_and_its_conditions_checked() {
    let mut journey = renewal();
    trigger_start(&mut journey).trigger_name = Some(String::new());
    fires(
        &journey,
        Code::StartTriggerMissing,
        Some("start"),
        Some("start.triggerName"),
    );
    let trigger = trigger_start(&mut journey);
    trigger.conditions = vec![condition(
        Variable::Result,
        Operator::Equals,
        Some(json!("x")),
    )];
    fires(
        &journey,
        Code::ConditionUnknownVariable,
        Some("start"),
        Some("start.conditions.0.variable"),
    );
    let trigger = trigger_start(&mut journey);
    trigger.conditions = vec![condition(
        Variable::Attribute {
            name: "cartValue".to_owned(),
        },
        Operator::GreaterThan,
        Some(json!(50)),
    )];
    assert_eq!(validate(&journey, &catalog()), Vec::new());
}

// ---------------------------------------------------------------- graph

#[test]
fn graph_no_start_and_multiple_starts() {
    let mut journey = renewal();
    journey.tiles.remove(0);
    fires(&journey, Code::GraphNoStart, None, Some("tiles"));
    let mut two = renewal();
    let mut second = two.tiles[0].clone();
    if let Tile::Start(s) = &mut second {
        s.id = "start-2".to_owned();
    }
    two.tiles.push(second);
    fires(&two, Code::GraphMultipleStarts, Some("start-2"), None);
    quiet(&renewal(), Code::GraphMultipleStarts);
    quiet(&renewal(), Code::GraphNoStart);
}

#[test]
fn graph_duplicate_tile_id() {
    let mut journey = renewal();
    journey.tiles.push(exit("exit-done"));
    let found = with_code(&journey, Code::GraphDuplicateTileId);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path.as_deref(), Some("id"));
    quiet(&renewal(), Code::GraphDuplicateTileId);
}

#[test]
fn graph_duplicate_or_reserved_branch_id() {
    let mut journey = renewal();
    branch(&mut journey, "call-outcome").branches[1].id = "booked".to_owned();
    fires(
        &journey,
        Code::GraphDuplicateBranchId,
        Some("call-outcome"),
        Some("branches.1.id"),
    );
    let mut journey = renewal();
    wait(&mut journey, "wait-call").branches[2].id = OUTPUT_OTHER.to_owned();
    fires(
        &journey,
        Code::GraphDuplicateBranchId,
        Some("wait-call"),
        Some("branches.2.id"),
    );
    quiet(&renewal(), Code::GraphDuplicateBranchId);
}

#[test]
fn graph_connections_to_missing_tiles_or_outputs() {
    let mut journey = renewal();
    let n = journey.connections.len();
    connect(&mut journey, "ghost", "next", "exit-done");
    connect(&mut journey, "call-outcome", "nowhere", "exit-done");
    connect(&mut journey, "why-blocked", "other", "exit-done");
    let from = format!("connections.{n}.from");
    let output = format!("connections.{}.output", n + 1);
    fires(
        &journey,
        Code::GraphConnectionFromMissingTile,
        None,
        Some(&from),
    );
    fires(
        &journey,
        Code::GraphConnectionUnknownOutput,
        None,
        Some(&output),
    );
    fires(
        &journey,
        Code::GraphOutputConnectedTwice,
        None,
        Some(&format!("connections.{}.output", n + 2)),
    );
    let mut journey = renewal();
    connect(&mut journey, "exit-done", "next", "ghost");
    let to = format!("connections.{n}.to");
    fires(
        &journey,
        Code::GraphConnectionToMissingTile,
        None,
        Some(&to),
    );
    let valid = renewal();
    for code in [
        Code::GraphConnectionFromMissingTile,
        Code::GraphConnectionToMissingTile,
        Code::GraphConnectionUnknownOutput,
        Code::GraphOutputConnectedTwice,
    ] {
        quiet(&valid, code);
    }
}

#[test]
fn graph_connection_into_start() {
    let mut journey = renewal();
    disconnect(&mut journey, "wait-call", "other");
    connect(&mut journey, "wait-call", "other", "start");
    let at = format!("connections.{}.to", journey.connections.len() - 1);
    fires(&journey, Code::GraphConnectionIntoStart, None, Some(&at));
    quiet(&renewal(), Code::GraphConnectionIntoStart);
}

#[test]
fn graph_cycle() {
    let journey = sample(include_str!(
        "../../../samples/invalid-graph-loop.journey.json"
    ));
    fires(&journey, Code::GraphCycle, Some("pause"), None);
    let d = &with_code(&journey, Code::GraphCycle)[0];
    assert!(d.message.contains("pause → check"), "{}", d.message);
    quiet(&renewal(), Code::GraphCycle);
}

#[test]
fn graph_unreachable_tile_is_a_warning() {
    let mut journey = renewal();
    journey.tiles.push(exit("orphan"));
    fires(&journey, Code::GraphUnreachableTile, Some("orphan"), None);
    assert!(!has_errors(&validate(&journey, &catalog())));
    quiet(&renewal(), Code::GraphUnreachableTile);
}

#[test]
fn graph_too_many_branches() {
    let journey = chain(vec![contact_branch("wide", 26)]);
    fires(
        &journey,
        Code::GraphTooManyBranches,
        Some("wide"),
        Some("branches"),
    );
    quiet(
        &chain(vec![contact_branch("wide", 25)]),
        Code::GraphTooManyBranches,
    );
}

#[test]
fn graph_nesting_deeper_than_eight() {
    let nested = |depth: usize| {
        chain(
            (0..depth)
                .map(|k| contact_branch(&format!("l{k}"), 1))
                .collect(),
        )
    };
    fires(&nested(9), Code::GraphNestingTooDeep, Some("l8"), None);
    quiet(&nested(8), Code::GraphNestingTooDeep);
}

#[test]
fn nesting_closes_at_the_merge_point_so_consecutive_patterns_do_not_add_up() {
    // Ten diamonds in a row, each merging before the next: nesting 1 everywhere.
    let mut journey = chain(Vec::new());
    let mut previous = ("start".to_owned(), OUTPUT_NEXT);
    for k in 0..10 {
        let (split, merge) = (format!("split-{k}"), format!("merge-{k}"));
        journey.tiles.push(contact_branch(&split, 2));
        journey.tiles.push(pause(&merge, 1, DurationUnit::Hours));
        connect(&mut journey, &previous.0, previous.1, &split);
        for output in ["b0", "b1", OUTPUT_OTHER] {
            connect(&mut journey, &split, output, &merge);
        }
        previous = (merge, OUTPUT_NEXT);
    }
    quiet(&journey, Code::GraphNestingTooDeep);
    // Without the merges they nest.
    for k in 0..10 {
        disconnect(&mut journey, &format!("split-{k}"), "b1");
        disconnect(&mut journey, &format!("split-{k}"), OUTPUT_OTHER);
    }
    let deep = with_code(&journey, Code::GraphNestingTooDeep);
    let tiles: Vec<&str> = deep.iter().filter_map(|d| d.tile_id.as_deref()).collect();
    assert_eq!(tiles, ["split-8", "split-9"]);
}

#[test]
fn graph_waits_over_a_year_is_a_warning_where_the_line_is_crossed() {
    let long = chain(
        (0..5)
            .map(|k| pause(&format!("p{k}"), 80, DurationUnit::Days))
            .collect(),
    );
    fires(&long, Code::GraphWaitsOverAYear, Some("p4"), None);
    let short = chain(
        (0..4)
            .map(|k| pause(&format!("p{k}"), 80, DurationUnit::Days))
            .collect(),
    );
    quiet(&short, Code::GraphWaitsOverAYear);
}

#[test]
fn tile_and_branch_names_too_long() {
    let mut journey = renewal();
    if let Tile::Exit(e) = tile(&mut journey, "exit-done") {
        e.name = "x".repeat(151);
    }
    fires(
        &journey,
        Code::TileNameTooLong,
        Some("exit-done"),
        Some("name"),
    );
    let mut journey = renewal();
    branch(&mut journey, "call-outcome").branches[2].name = "x".repeat(151);
    fires(
        &journey,
        Code::TileNameTooLong,
        Some("call-outcome"),
        Some("branches.2.name"),
    );
    branch(&mut journey, "call-outcome").branches[2].name = "x".repeat(150);
    quiet(&journey, Code::TileNameTooLong);
}
