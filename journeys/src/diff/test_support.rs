//! What the diff's unit tests share: the renewal sample, typed access to its tiles, and a
//! report of the changes each mutation gives.

use chrono::{TimeZone, Utc};

use super::*;
use crate::catalog::Catalog;
use crate::document::{
    AttributeBranchTile, Condition, Operator, StartCondition, TriggerStart, Variable,
    VoiceConversationTile, WaitForTriggerTile, WaitTimeTile, parse_journey,
};

pub(super) fn renewal() -> Journey {
    parse_journey(include_str!("../../samples/renewal-calls.journey.json")).unwrap()
}

pub(super) fn tile<'j>(journey: &'j mut Journey, id: &str) -> &'j mut Tile {
    journey.tiles.iter_mut().find(|t| t.id() == id).unwrap()
}

pub(super) fn voice<'j>(journey: &'j mut Journey, id: &str) -> &'j mut VoiceConversationTile {
    match tile(journey, id) {
        Tile::VoiceConversation(t) => t,
        _ => panic!("{id} is not a voice tile"),
    }
}

pub(super) fn wait<'j>(journey: &'j mut Journey, id: &str) -> &'j mut WaitForTriggerTile {
    match tile(journey, id) {
        Tile::WaitForTrigger(t) => t,
        _ => panic!("{id} is not a wait-for-trigger tile"),
    }
}

pub(super) fn branch<'j>(journey: &'j mut Journey, id: &str) -> &'j mut AttributeBranchTile {
    match tile(journey, id) {
        Tile::AttributeBranch(t) => t,
        _ => panic!("{id} is not an attribute-branch tile"),
    }
}

pub(super) fn wait_time<'j>(journey: &'j mut Journey, id: &str) -> &'j mut WaitTimeTile {
    match tile(journey, id) {
        Tile::WaitTime(t) => t,
        _ => panic!("{id} is not a wait-time tile"),
    }
}

pub(super) fn segment(journey: &mut Journey) -> &mut crate::document::SegmentStart {
    match tile(journey, "start") {
        Tile::Start(s) => match s.start.as_mut() {
            Some(StartCondition::Segment(seg)) => seg,
            _ => panic!("not a segment start"),
        },
        _ => panic!("no start tile"),
    }
}

pub(super) fn cond(variable: Variable, operator: Operator, value: &str) -> Condition {
    Condition {
        variable: Some(variable),
        operator: Some(operator),
        value: Some(serde_json::Value::from(value)),
    }
}

pub(super) type Mutation = (&'static str, fn(&mut Journey));

/// Each mutation applied alone to the sample: its name, then one line per change
/// (`[subject kind tile · field] sentence`).
pub(super) fn report(base: &Journey, mutations: &[Mutation]) -> String {
    report_with(base, &Catalog::default(), mutations)
}

pub(super) fn report_with(base: &Journey, catalog: &Catalog, mutations: &[Mutation]) -> String {
    let mut out = String::new();
    for (name, mutate) in mutations {
        let mut changed = base.clone();
        mutate(&mut changed);
        let found = diff_with_catalog(base, &changed, catalog);
        assert!(!found.is_empty(), "{name}: no change found");
        out.push_str(&format!("## {name}\n"));
        for c in &found.changes {
            out.push_str(&format!(
                "[{:?} {:?} {} · {}] {}\n",
                c.subject,
                c.kind,
                c.tile_id.as_deref().unwrap_or("-"),
                c.field.as_deref().unwrap_or("-"),
                c.sentence
            ));
        }
    }
    out
}

pub(super) fn trigger_started() -> Journey {
    let mut j = renewal();
    if let Tile::Start(s) = tile(&mut j, "start") {
        s.start = Some(StartCondition::Trigger(TriggerStart {
            trigger_name: Some("renewalDue".into()),
            conditions: vec![cond(
                Variable::Attribute {
                    name: "policyType".into(),
                },
                Operator::Equals,
                "home",
            )],
            start_at: Some(Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap()),
            end_at: None,
        }));
    }
    j
}

pub(super) fn trigger(j: &mut Journey) -> &mut TriggerStart {
    match tile(j, "start") {
        Tile::Start(s) => match s.start.as_mut() {
            Some(StartCondition::Trigger(t)) => t,
            _ => panic!("not a trigger start"),
        },
        _ => panic!("no start tile"),
    }
}
