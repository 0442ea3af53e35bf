//! One failing and one passing case per rule, on the sample catalog and journeys.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::variables::{BLOCK_CODES, ValueType, branch_variables, operators_for, takes_value};
use super::*;
use crate::catalog::{EnforcementModel, PurposeType};
use crate::document::*;

fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../../../samples/catalog.json")).unwrap()
}

fn sample(text: &str) -> Journey {
    parse_journey(text).unwrap()
}

/// The seed's complete flow: valid, without a single warning.
fn renewal() -> Journey {
    sample(include_str!("../../../samples/renewal-calls.journey.json"))
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

mod branch;
mod conditions;
mod dominators;
mod plumbing;
mod properties;
mod start_graph;
mod voice;
mod wait;
mod wait_time_variables;
