//! One failing and one passing case per rule, on the sample catalog and journeys.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::variables::{BLOCK_CODES, ValueType, branch_variables, operators_for, takes_value};
use super::*;
use crate::catalog::{EnforcementModel, PurposeType};
use crate::document::*;

fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap()
}

fn sample(text: &str) -> Journey {
    parse_journey(text).unwrap()
}

/// The seed's complete flow: valid, without a single warning.
fn renewal() -> Journey {
    sample(include_str!("../../samples/renewal-calls.journey.json"))
}

fn run_with(journey: &Journey, catalog: &Catalog) -> Vec<Diagnostic> {
    validate(journey, catalog)
}

fn with_code(journey: &Journey, code: Code) -> Vec<Diagnostic> {
    run_with(journey, &catalog())
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Asserts `code` is reported exactly once, at this tile and path.
#[track_caller]
fn fires(journey: &Journey, code: Code, tile: Option<&str>, path: Option<&str>) {
    fires_with(journey, &catalog(), code, tile, path);
}

#[track_caller]
fn fires_with(
    journey: &Journey,
    catalog: &Catalog,
    code: Code,
    tile: Option<&str>,
    path: Option<&str>,
) {
    let all = run_with(journey, catalog);
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code:?}, got {all:#?}");
    let d = found[0];
    assert_eq!(d.tile_id.as_deref(), tile, "{d:?}");
    assert_eq!(d.path.as_deref(), path, "{d:?}");
    assert_eq!(d.severity, code.severity());
    assert!(!d.message.is_empty());
}

/// Asserts `code` is not reported.
#[track_caller]
fn quiet(journey: &Journey, code: Code) {
    let found = with_code(journey, code);
    assert!(found.is_empty(), "unexpected {found:#?}");
}

#[track_caller]
fn quiet_with(journey: &Journey, catalog: &Catalog, code: Code) {
    let all = run_with(journey, catalog);
    assert!(
        all.iter().all(|d| d.code != code),
        "unexpected {code:?} in {all:#?}"
    );
}

fn tile<'a>(journey: &'a mut Journey, id: &str) -> &'a mut Tile {
    journey
        .tiles
        .iter_mut()
        .find(|t| t.id() == id)
        .unwrap_or_else(|| panic!("no tile {id}"))
}

fn voice<'a>(journey: &'a mut Journey, id: &str) -> &'a mut VoiceConversationTile {
    match tile(journey, id) {
        Tile::VoiceConversation(v) => v,
        other => panic!("{id} is not a voice tile: {other:?}"),
    }
}

fn wait<'a>(journey: &'a mut Journey, id: &str) -> &'a mut WaitForTriggerTile {
    match tile(journey, id) {
        Tile::WaitForTrigger(w) => w,
        other => panic!("{id} is not a wait: {other:?}"),
    }
}

fn branch<'a>(journey: &'a mut Journey, id: &str) -> &'a mut AttributeBranchTile {
    match tile(journey, id) {
        Tile::AttributeBranch(b) => b,
        other => panic!("{id} is not an attribute branch: {other:?}"),
    }
}

fn wait_time<'a>(journey: &'a mut Journey, id: &str) -> &'a mut WaitTimeTile {
    match tile(journey, id) {
        Tile::WaitTime(w) => w,
        other => panic!("{id} is not a wait time: {other:?}"),
    }
}

fn segment(journey: &mut Journey) -> &mut SegmentStart {
    match tile(journey, "start") {
        Tile::Start(StartTile {
            start: Some(StartCondition::Segment(s)),
            ..
        }) => s,
        other => panic!("not a segment start: {other:?}"),
    }
}

fn trigger_start(journey: &mut Journey) -> &mut TriggerStart {
    let start = match tile(journey, "start") {
        Tile::Start(s) => s,
        other => panic!("{other:?}"),
    };
    start.start = Some(StartCondition::Trigger(TriggerStart {
        trigger_name: Some("cartAbandoned".to_owned()),
        conditions: Vec::new(),
        start_at: None,
        end_at: None,
    }));
    match &mut start.start {
        Some(StartCondition::Trigger(t)) => t,
        _ => unreachable!(),
    }
}

fn condition(
    variable: Variable,
    operator: Operator,
    value: Option<serde_json::Value>,
) -> Condition {
    Condition {
        variable: Some(variable),
        operator: Some(operator),
        value,
    }
}

fn outcome() -> Variable {
    Variable::EngagementVariable {
        name: "Outcome".to_owned(),
    }
}

/// Sets the first condition of the first branch of `call-outcome`.
fn first_condition(journey: &mut Journey, c: Condition) {
    branch(journey, "call-outcome").branches[0].conditions = vec![c];
}

fn connect(journey: &mut Journey, from: &str, output: &str, to: &str) {
    journey.connections.push(Connection {
        from: from.to_owned(),
        output: output.to_owned(),
        to: to.to_owned(),
    });
}

fn disconnect(journey: &mut Journey, from: &str, output: &str) {
    journey
        .connections
        .retain(|c| !(c.from == from && c.output == output));
}

fn exit(id: &str) -> Tile {
    Tile::Exit(ExitTile {
        id: id.to_owned(),
        name: String::new(),
    })
}

fn contact_branch(id: &str, branches: usize) -> Tile {
    Tile::AttributeBranch(AttributeBranchTile {
        id: id.to_owned(),
        name: String::new(),
        source: Some(BranchSource::Contact),
        branches: (0..branches)
            .map(|b| AttributeBranch {
                id: format!("b{b}"),
                name: String::new(),
                match_mode: MatchMode::All,
                conditions: vec![condition(
                    Variable::Attribute {
                        name: format!("flag{b}"),
                    },
                    Operator::IsTrue,
                    None,
                )],
            })
            .collect(),
    })
}

fn pause(id: &str, amount: i32, unit: DurationUnit) -> Tile {
    Tile::WaitTime(WaitTimeTile {
        id: id.to_owned(),
        name: String::new(),
        wait: Some(WaitSpec::Duration(Duration { amount, unit })),
    })
}

/// A journey: start → the given tiles in a chain (output `next`, or `b0` for branches).
fn chain(tiles: Vec<Tile>) -> Journey {
    let mut journey = renewal();
    journey.tiles.truncate(1);
    journey.connections.clear();
    let mut previous = ("start".to_owned(), OUTPUT_NEXT.to_owned());
    for t in tiles {
        let id = t.id().to_owned();
        let output = if t.is_branching() { "b0" } else { OUTPUT_NEXT };
        journey.tiles.push(t);
        connect(&mut journey, &previous.0, &previous.1, &id);
        previous = (id, output.to_owned());
    }
    journey
}

// ---------------------------------------------------------------- samples and plumbing

#[test]
fn the_seed_flow_is_valid_without_warnings() {
    assert_eq!(validate(&renewal(), &catalog()), Vec::new());
}

#[test]
fn every_valid_sample_has_no_errors_and_every_invalid_one_has() {
    let catalog = catalog();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".journey.json") {
            continue;
        }
        let journey = parse_journey(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors = has_errors(&validate(&journey, &catalog));
        assert_eq!(errors, name.starts_with("invalid-"), "{name}");
    }
}

#[test]
fn codes_are_unique_kebab_strings_that_serialize_as_themselves() {
    let mut seen = std::collections::HashSet::new();
    for &code in Code::ALL {
        let text = code.as_str();
        assert!(seen.insert(text), "{text} twice");
        let (area, name) = text.split_once('.').unwrap();
        for part in [area, name] {
            assert!(
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{text}"
            );
        }
        assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        assert_eq!(serde_json::from_value::<Code>(json!(text)).unwrap(), code);
    }
}

#[test]
fn diagnostics_are_ordered_by_tile_then_path_with_numbers_compared_as_numbers() {
    let mut journey = renewal();
    journey.name = String::new();
    let mut branches = contact_branch("many", 12);
    if let Tile::AttributeBranch(b) = &mut branches {
        for b in &mut b.branches {
            b.conditions.clear();
        }
    }
    journey.tiles.insert(1, branches);
    disconnect(&mut journey, "why-blocked", "quiet-time");
    connect(&mut journey, "why-blocked", "quiet-time", "many");
    let all = validate(&journey, &catalog());
    let places: Vec<(Option<&str>, Option<&str>)> = all
        .iter()
        .map(|d| (d.tile_id.as_deref(), d.path.as_deref()))
        .collect();
    assert_eq!(places[0], (None, Some("name")));
    let many: Vec<&str> = places
        .iter()
        .filter(|(t, _)| *t == Some("many"))
        .filter_map(|(_, p)| *p)
        .collect();
    let expected: Vec<String> = (0..12)
        .map(|b| format!("branches.{b}.conditions"))
        .collect();
    assert_eq!(many, expected);
    assert_eq!(
        validate(&journey, &catalog()),
        all,
        "same input, same output"
    );
}

#[test]
fn paths_compare_segment_by_segment() {
    use std::cmp::Ordering::*;
    assert_eq!(compare_paths(Some("branches.2"), Some("branches.10")), Less);
    assert_eq!(compare_paths(None, Some("a")), Less);
    assert_eq!(compare_paths(Some("a.b"), Some("a")), Greater);
    assert_eq!(compare_paths(Some("name"), Some("name")), Equal);
}

// ---------------------------------------------------------------- journey

#[test]
fn journey_name_missing() {
    let mut journey = renewal();
    journey.name = "   ".to_owned();
    fires(&journey, Code::JourneyNameMissing, None, Some("name"));
    journey.name = "R".to_owned();
    quiet(&journey, Code::JourneyNameMissing);
}

#[test]
fn journey_name_too_long() {
    let mut journey = renewal();
    journey.name = "é".repeat(151);
    fires(&journey, Code::JourneyNameTooLong, None, Some("name"));
    journey.name = "é".repeat(150);
    quiet(&journey, Code::JourneyNameTooLong);
}

#[test]
fn journey_time_zone_missing_or_not_iana() {
    let mut journey = renewal();
    journey.time_zone = String::new();
    fires(
        &journey,
        Code::JourneyTimeZoneMissing,
        None,
        Some("timeZone"),
    );
    journey.time_zone = "Central Standard Time".to_owned();
    fires(
        &journey,
        Code::JourneyTimeZoneInvalid,
        None,
        Some("timeZone"),
    );
    journey.time_zone = "Europe/Paris".to_owned();
    quiet(&journey, Code::JourneyTimeZoneInvalid);
    quiet(&journey, Code::JourneyTimeZoneMissing);
}

#[test]
fn voice_requires_a_contact_audience() {
    let mut journey = renewal();
    journey.audience = Audience::Lead;
    fires(
        &journey,
        Code::JourneyVoiceRequiresContactAudience,
        None,
        Some("audience"),
    );
    let mut no_voice = chain(vec![exit("done")]);
    no_voice.audience = Audience::Profile;
    quiet(&no_voice, Code::JourneyVoiceRequiresContactAudience);
}

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
        "../../samples/invalid-graph-loop.journey.json"
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

// ---------------------------------------------------------------- voice

#[test]
fn voice_engagement_missing_unknown_not_voice_inactive() {
    let cases = [
        (None, Code::VoiceEngagementMissing),
        (Some("eng-gone"), Code::VoiceEngagementUnknown),
        (Some("eng-sms-reminders"), Code::VoiceEngagementNotVoice),
        (Some("eng-legacy-survey"), Code::VoiceEngagementInactive),
    ];
    for (engagement, code) in cases {
        let mut journey = renewal();
        voice(&mut journey, "call-retry").engagement_id = engagement.map(str::to_owned);
        fires(&journey, code, Some("call-retry"), Some("engagementId"));
        quiet(&renewal(), code);
    }
    let mut inactive = renewal();
    voice(&mut inactive, "call-retry").engagement_id = Some("eng-legacy-survey".to_owned());
    assert!(!has_errors(&validate(&inactive, &catalog())));
}

#[test]
fn voice_send_to_missing() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").send_to = None;
    fires(
        &journey,
        Code::VoiceSendToMissing,
        Some("call-renewal"),
        Some("sendTo"),
    );
    quiet(&renewal(), Code::VoiceSendToMissing);
}

#[test]
fn voice_profile_missing_or_unknown() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").compliance_profile_id = None;
    fires(
        &journey,
        Code::VoiceProfileMissing,
        Some("call-renewal"),
        Some("complianceProfileId"),
    );
    voice(&mut journey, "call-renewal").compliance_profile_id = Some("cp-gone".to_owned());
    fires(
        &journey,
        Code::VoiceProfileUnknown,
        Some("call-renewal"),
        Some("complianceProfileId"),
    );
    // A deactivated profile stays valid where used.
    voice(&mut journey, "call-renewal").compliance_profile_id = Some("cp-eu-retired".to_owned());
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-eu-newsletters".to_owned());
    voice(&mut journey, "call-renewal").topic_id = None;
    quiet(&journey, Code::VoiceProfileUnknown);
    assert!(!has_errors(&validate(&journey, &catalog())));
}

#[test]
fn voice_purpose_missing_not_in_profile_or_tracking() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").purpose_id = None;
    fires(
        &journey,
        Code::VoicePurposeMissing,
        Some("call-renewal"),
        Some("purposeId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-appointments".to_owned());
    fires(
        &journey,
        Code::VoicePurposeNotInProfile,
        Some("call-renewal"),
        Some("purposeId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-tracking".to_owned());
    voice(&mut journey, "call-renewal").topic_id = None;
    fires(
        &journey,
        Code::VoiceTrackingPurposeNotAllowed,
        Some("call-renewal"),
        Some("purposeId"),
    );
    let valid = renewal();
    for code in [
        Code::VoicePurposeMissing,
        Code::VoicePurposeNotInProfile,
        Code::VoiceTrackingPurposeNotAllowed,
    ] {
        quiet(&valid, code);
    }
}

#[test]
fn voice_topic_not_in_purpose() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").topic_id = Some("top-reminders".to_owned());
    fires(
        &journey,
        Code::VoiceTopicNotInPurpose,
        Some("call-renewal"),
        Some("topicId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-service".to_owned());
    let d = &with_code(&journey, Code::VoiceTopicNotInPurpose)[0];
    assert!(d.message.contains("has no topics"), "{}", d.message);
    voice(&mut journey, "call-renewal").topic_id = None;
    quiet(&journey, Code::VoiceTopicNotInPurpose);
}

#[test]
fn voice_quiet_time_missing_setting_missing_or_unknown() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").quiet_time = None;
    fires(
        &journey,
        Code::VoiceQuietTimeMissing,
        Some("call-renewal"),
        Some("quietTime"),
    );
    voice(&mut journey, "call-renewal").quiet_time =
        Some(QuietTimeOption::Override { setting_id: None });
    fires(
        &journey,
        Code::VoiceQuietTimeSettingMissing,
        Some("call-renewal"),
        Some("quietTime.settingId"),
    );
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-gone".to_owned()),
    });
    fires(
        &journey,
        Code::VoiceQuietTimeSettingUnknown,
        Some("call-renewal"),
        Some("quietTime.settingId"),
    );
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-clinic".to_owned()),
    });
    assert_eq!(validate(&journey, &catalog()), Vec::new());
    // The profile's own setting missing from the catalog.
    let mut broken = catalog();
    broken.compliance_profiles[0].quiet_time_setting_id = Some("qt-gone".to_owned());
    let found: Vec<Diagnostic> = validate(&renewal(), &broken)
        .into_iter()
        .filter(|d| d.code == Code::VoiceQuietTimeSettingUnknown)
        .collect();
    assert_eq!(found.len(), 3, "every voice tile inheriting it: {found:#?}");
    assert_eq!(found[0].tile_id.as_deref(), Some("call-renewal"));
    assert_eq!(found[0].path.as_deref(), Some("quietTime"));
}

#[test]
fn voice_without_quiet_time_is_a_warning() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::None);
    fires(
        &journey,
        Code::VoiceWithoutQuietTime,
        Some("call-renewal"),
        Some("quietTime"),
    );
    assert!(!has_errors(&validate(&journey, &catalog())));
    let mut no_setting = catalog();
    no_setting.compliance_profiles[0].quiet_time_setting_id = None;
    let all = validate(&renewal(), &no_setting);
    assert_eq!(
        all.iter()
            .filter(|d| d.code == Code::VoiceWithoutQuietTime)
            .count(),
        3,
        "every inheriting voice tile: {all:#?}"
    );
    quiet(&renewal(), Code::VoiceWithoutQuietTime);
}

#[test]
fn voice_commercial_with_automated_dialling_is_a_warning() {
    for engagement in ["eng-appointments-ai", "eng-winback-progressive"] {
        let mut journey = renewal();
        voice(&mut journey, "call-renewal").engagement_id = Some(engagement.to_owned());
        fires(
            &journey,
            Code::VoiceCommercialAutomatedDialMode,
            Some("call-renewal"),
            Some("engagementId"),
        );
        // The same engagement for a transactional purpose is fine.
        voice(&mut journey, "call-renewal").purpose_id = Some("pur-service".to_owned());
        voice(&mut journey, "call-renewal").topic_id = None;
        quiet(&journey, Code::VoiceCommercialAutomatedDialMode);
    }
}

#[test]
fn voice_commercial_with_consent_disabled_is_a_warning() {
    let mut lax = catalog();
    let purpose = &mut lax.compliance_profiles[0].purposes[0];
    assert_eq!(purpose.purpose_type, PurposeType::Commercial);
    purpose.enforcement.voice = EnforcementModel::Disabled;
    let mut journey = renewal();
    voice(&mut journey, "call-business").purpose_id = Some("pur-service".to_owned());
    voice(&mut journey, "call-business").topic_id = None;
    voice(&mut journey, "call-retry").purpose_id = Some("pur-service".to_owned());
    voice(&mut journey, "call-retry").topic_id = None;
    fires_with(
        &journey,
        &lax,
        Code::VoiceCommercialConsentDisabled,
        Some("call-renewal"),
        Some("purposeId"),
    );
    quiet_with(&journey, &catalog(), Code::VoiceCommercialConsentDisabled);
}

#[test]
fn voice_not_followed_directly_by_its_wait_is_a_warning() {
    let mut journey = renewal();
    // A wait watching another tile does not count.
    wait(&mut journey, "wait-business").condition = Some(WaitCondition::PreviousMessage {
        tile_id: Some("call-renewal".to_owned()),
    });
    fires(
        &journey,
        Code::VoiceNotFollowedByWait,
        Some("call-business"),
        None,
    );
    let mut journey = renewal();
    disconnect(&mut journey, "call-retry", OUTPUT_NEXT);
    fires(
        &journey,
        Code::VoiceNotFollowedByWait,
        Some("call-retry"),
        None,
    );
    quiet(&renewal(), Code::VoiceNotFollowedByWait);
}

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
    let journey = sample(include_str!("../../samples/invalid-wait.journey.json"));
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
        "../../samples/invalid-branch-conditions.journey.json"
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

// ---------------------------------------------------------------- properties

mod properties {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::outline::outline;

    const SAMPLES: [&str; 4] = [
        include_str!("../../samples/renewal-calls.journey.json"),
        include_str!("../../samples/appointment-reminders.journey.json"),
        include_str!("../../samples/invalid-graph-loop.journey.json"),
        include_str!("../../samples/invalid-branch-conditions.journey.json"),
    ];

    /// Parse, and when that works validate (with and without a clock) and outline: nothing
    /// may panic, and validation is deterministic and sorted.
    fn exercise(text: &str) {
        let Ok(journey) = parse_journey(text) else {
            return;
        };
        let catalog = catalog();
        let first = validate(&journey, &catalog);
        assert_eq!(first, validate(&journey, &catalog));
        let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
        let _ = validate_at(&journey, &catalog, now);
        let _ = outline(&journey);
        for d in &first {
            assert_eq!(d.severity, d.code.severity());
        }
    }

    /// Every JSON pointer in a value.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    pointers(
                        v,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    fn replacement() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(json!(0)),
            Just(json!(-1)),
            Just(json!(1e300)),
            Just(json!("")),
            Just(json!("start")),
            Just(json!("other")),
            Just(json!("call-renewal")),
            Just(json!("exit-done")),
            Just(json!([])),
            Just(json!({})),
            Just(json!({"kind": "voiceCall"})),
            Just(json!({"type": "exit", "id": "start"})),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-z-]{0,12}".prop_map(Value::String),
        ]
    }

    fn tile_strategy() -> impl Strategy<Value = Tile> {
        let id = "[a-e]";
        let opt_id = proptest::option::of("[a-e]|call");
        prop_oneof![
            id.prop_map(|id| Tile::Start(StartTile {
                id,
                name: String::new(),
                start: None
            })),
            (id, opt_id.clone(), proptest::option::of(0..3usize)).prop_map(|(id, eng, q)| {
                Tile::VoiceConversation(VoiceConversationTile {
                    id,
                    name: String::new(),
                    engagement_id: eng.map(|_| "eng-renewals-voice".to_owned()),
                    send_to: Some(PhoneField::MobilePhone),
                    compliance_profile_id: Some("cp-us-marketing".to_owned()),
                    purpose_id: Some("pur-promotions".to_owned()),
                    topic_id: None,
                    quiet_time: q.map(|q| match q {
                        0 => QuietTimeOption::Inherit,
                        1 => QuietTimeOption::None,
                        _ => QuietTimeOption::Override { setting_id: None },
                    }),
                })
            }),
            (
                id,
                opt_id.clone(),
                proptest::collection::vec(0..4u8, 0..4),
                -2..200i32
            )
                .prop_map(|(id, watched, branches, limit)| {
                    Tile::WaitForTrigger(WaitForTriggerTile {
                        id,
                        name: String::new(),
                        condition: Some(WaitCondition::PreviousMessage { tile_id: watched }),
                        branches: branches
                            .into_iter()
                            .enumerate()
                            .map(|(k, i)| WaitBranch {
                                id: format!("b{k}"),
                                name: String::new(),
                                interaction: match i {
                                    0 => Some(Interaction::VoiceCallAttempted),
                                    1 => Some(Interaction::VoiceCallNotAttempted),
                                    2 => Some(Interaction::VoiceCallBlocked),
                                    _ => None,
                                },
                                conditions: Vec::new(),
                            })
                            .collect(),
                        time_limit: Some(Duration {
                            amount: limit,
                            unit: DurationUnit::Days,
                        }),
                    })
                }),
            (id, opt_id, 0..4usize, any::<bool>()).prop_map(|(id, source, n, blocked)| {
                Tile::AttributeBranch(AttributeBranchTile {
                    id,
                    name: String::new(),
                    source: Some(if blocked {
                        BranchSource::VoiceCallBlocked { tile_id: source }
                    } else {
                        BranchSource::VoiceCall { tile_id: source }
                    }),
                    branches: (0..n)
                        .map(|k| AttributeBranch {
                            id: format!("b{k}"),
                            name: String::new(),
                            match_mode: MatchMode::All,
                            conditions: vec![condition(
                                Variable::Result,
                                Operator::Equals,
                                Some(json!("LiveAnswer")),
                            )],
                        })
                        .collect(),
                })
            }),
            (id, -5..200i32).prop_map(|(id, amount)| pause(&id, amount, DurationUnit::Days)),
            id.prop_map(|id| exit(&id)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn random_text_never_panics(text in "\\PC{0,200}") {
            exercise(&text);
        }

        #[test]
        fn byte_mutations_of_samples_never_panic(
            sample in 0..SAMPLES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<char>()), 1..6),
        ) {
            let mut text: Vec<char> = SAMPLES[sample].chars().collect();
            for (at, kind, c) in edits {
                let i = at.index(text.len());
                match kind {
                    0 => { text.remove(i); }
                    1 => text.insert(i, c),
                    _ => text[i] = c,
                }
            }
            exercise(&text.into_iter().collect::<String>());
        }

        #[test]
        fn value_mutations_of_samples_never_panic(
            sample in 0..SAMPLES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), replacement()), 1..5),
        ) {
            let mut value: Value = serde_json::from_str(SAMPLES[sample]).unwrap();
            for (at, replacement) in edits {
                let mut all = Vec::new();
                pointers(&value, String::new(), &mut all);
                let pointer = &all[at.index(all.len())];
                if pointer.is_empty() {
                    continue;
                }
                if let Some(slot) = value.pointer_mut(pointer) {
                    *slot = replacement;
                }
            }
            exercise(&value.to_string());
        }

        #[test]
        fn random_graphs_never_panic(
            tiles in proptest::collection::vec(tile_strategy(), 0..10),
            connections in proptest::collection::vec(("[a-e]|start|x", "next|other|b0|b1|b2", "[a-e]|start|x"), 0..16),
        ) {
            let mut journey = Journey::new("j", "Random", "America/Chicago");
            journey.tiles.extend(tiles);
            journey.connections = connections
                .into_iter()
                .map(|(from, output, to)| Connection { from, output, to })
                .collect();
            exercise(&serde_json::to_string(&journey).unwrap());
        }
    }
}

mod dominators {
    use proptest::prelude::*;

    use super::*;
    use crate::validate::graph::Graph;

    /// Tiles reachable from the start without passing through `removed`.
    fn reachable_without(graph: &Graph<'_>, removed: Option<u32>) -> Vec<bool> {
        let mut seen = vec![false; graph.len()];
        let Some(start) = graph.start else {
            return seen;
        };
        if Some(start) == removed {
            return seen;
        }
        seen[start as usize] = true;
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for &s in graph.successors(v) {
                if Some(s) != removed && !seen[s as usize] {
                    seen[s as usize] = true;
                    stack.push(s);
                }
            }
        }
        seen
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// On random acyclic journeys, "a dominates b" agrees with "removing a cuts b off".
        #[test]
        fn dominance_matches_brute_force(
            size in 2..24usize,
            edges in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize), 0..60),
        ) {
            let mut journey = Journey::new("j", "Random", "UTC");
            for k in 1..size {
                journey.tiles.push(contact_branch(&format!("t{k}"), 2));
            }
            let outputs = ["b0", "b1", OUTPUT_OTHER];
            for (a, b, output) in edges {
                // Forward edges only (lower index to higher), so the graph is acyclic.
                let (a, b) = (a.index(size), b.index(size));
                if a >= b {
                    continue;
                }
                let id = |i: usize| if i == 0 { "start".to_owned() } else { format!("t{i}") };
                let output = if a == 0 { OUTPUT_NEXT } else { outputs[output] };
                connect(&mut journey, &id(a), output, &id(b));
            }
            let graph = Graph::build(&journey);
            let dominators = graph.dominators(&journey).expect("acyclic with one start");
            let all = reachable_without(&graph, None);
            for a in 0..size as u32 {
                let cut = reachable_without(&graph, Some(a));
                for b in 0..size as u32 {
                    if !all[b as usize] || !all[a as usize] {
                        prop_assert!(!dominators.dominates(a, b));
                        continue;
                    }
                    let expected = a == b || !cut[b as usize];
                    prop_assert_eq!(dominators.dominates(a, b), expected, "a={} b={}", a, b);
                }
            }

            // Post-dominators: every way out (an output left open) joins one sink, `size`.
            let post = graph.post_dominators().expect("acyclic");
            let outputs_of = |v: u32| if v == 0 { 1 } else { 3 };
            let leaves = |v: u32| graph.out_edges(v).len() < outputs_of(v);
            let topo = graph.topo.clone().expect("acyclic");
            let position = |v: u32| topo.iter().position(|&t| t == v).expect("in order");
            for v in 0..size as u32 {
                // p post-dominates v when, without p, no way out is reachable from v.
                let escapes_without = |p: u32| {
                    let mut seen = vec![false; size];
                    let mut stack = vec![v];
                    seen[v as usize] = true;
                    while let Some(t) = stack.pop() {
                        if leaves(t) {
                            return true;
                        }
                        for &s in graph.successors(t) {
                            if s != p && !seen[s as usize] {
                                seen[s as usize] = true;
                                stack.push(s);
                            }
                        }
                    }
                    false
                };
                // The nearest strict post-dominator comes first on every path, so first in
                // topological order; the sink when there is none.
                let expected = (0..size as u32)
                    .filter(|&p| p != v && !escapes_without(p))
                    .min_by_key(|&p| position(p))
                    .unwrap_or(size as u32);
                prop_assert_eq!(post.parent(v), expected, "v={}", v);
            }
        }
    }
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
