//! Segments and triggers named by a journey, against the catalog's lists: an error when the
//! list is fresh, a warning naming the refresh time when it is stale, nothing when unknown.

use chrono::TimeZone;

use super::*;
use crate::catalog::{SegmentRef, TriggerRef};
use crate::document::*;

fn renewal() -> Journey {
    parse_journey(include_str!("../../samples/renewal-calls.journey.json")).unwrap()
}

fn catalog(segments: &[&str], triggers: &[&str]) -> Catalog {
    let mut catalog = Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap();
    catalog.segments = Some(
        segments
            .iter()
            .map(|id| SegmentRef {
                id: (*id).to_owned(),
                description: String::new(),
            })
            .collect(),
    );
    catalog.triggers = Some(
        triggers
            .iter()
            .map(|name| TriggerRef {
                name: (*name).to_owned(),
                description: String::new(),
            })
            .collect(),
    );
    catalog
}

fn stale() -> Freshness {
    Freshness::Stale {
        refreshed_at: Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap(),
    }
}

fn only(diagnostics: &[Diagnostic], code: Code) -> &Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code:?} in {diagnostics:#?}");
    assert_eq!(found[0].severity, code.severity());
    found[0]
}

fn none_of(diagnostics: &[Diagnostic], codes: &[Code]) {
    assert!(
        diagnostics.iter().all(|d| !codes.contains(&d.code)),
        "unexpected {codes:?} in {diagnostics:#?}"
    );
}

const SEGMENT_CODES: [Code; 2] = [Code::StartSegmentUnknown, Code::StartSegmentUnverified];
const TRIGGER_CODES: [Code; 4] = [
    Code::StartTriggerUnknown,
    Code::StartTriggerUnverified,
    Code::WaitTriggerUnknown,
    Code::WaitTriggerUnverified,
];

#[test]
fn an_unknown_segment_is_an_error_when_the_list_is_fresh() {
    let journey = renewal();
    let all = validate_with(&journey, &catalog(&["seg-other"], &[]), Freshness::Fresh);
    let d = only(&all, Code::StartSegmentUnknown);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.tile_id.as_deref(), Some("start"));
    assert_eq!(d.path.as_deref(), Some("start.segmentIds.0"));
    assert!(d.message.contains("\"seg-renewals-due\""), "{}", d.message);
    assert!(
        d.message.contains("\"Renewals due in 30 days\""),
        "names the tile by its name: {}",
        d.message
    );
    assert!(has_errors(&all));
}

#[test]
fn an_unknown_segment_is_a_warning_naming_the_refresh_time_when_stale() {
    let journey = renewal();
    let all = validate_with(&journey, &catalog(&["seg-other"], &[]), stale());
    let d = only(&all, Code::StartSegmentUnverified);
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("2026-11-24 09:30 UTC"), "{}", d.message);
    none_of(&all, &[Code::StartSegmentUnknown]);
    assert!(!has_errors(&all), "{all:#?}");
}

#[test]
fn a_listed_segment_or_an_unknown_list_reports_nothing() {
    let journey = renewal();
    let listed = catalog(&["seg-renewals-due"], &[]);
    none_of(
        &validate_with(&journey, &listed, Freshness::Fresh),
        &SEGMENT_CODES,
    );
    let mut unknown = listed;
    unknown.segments = None;
    none_of(
        &validate_with(&journey, &unknown, Freshness::Fresh),
        &SEGMENT_CODES,
    );
}

fn trigger_journey(start_trigger: &str, wait_trigger: &str) -> Journey {
    let mut journey = renewal();
    for tile in &mut journey.tiles {
        match tile {
            Tile::Start(start) => {
                start.start = Some(StartCondition::Trigger(TriggerStart {
                    trigger_name: Some(start_trigger.to_owned()),
                    conditions: Vec::new(),
                    start_at: None,
                    end_at: None,
                }));
            }
            Tile::WaitForTrigger(wait) => {
                wait.condition = Some(WaitCondition::Trigger {
                    trigger_name: Some(wait_trigger.to_owned()),
                });
                for branch in &mut wait.branches {
                    branch.interaction = None;
                }
                return journey;
            }
            _ => {}
        }
    }
    panic!("the sample has a wait for trigger");
}

#[test]
fn unknown_triggers_on_the_start_and_a_wait_are_errors_when_fresh() {
    let journey = trigger_journey("cartAbandoned", "paymentMade");
    let all = validate_with(
        &journey,
        &catalog(&[], &["somethingElse"]),
        Freshness::Fresh,
    );
    let start = only(&all, Code::StartTriggerUnknown);
    assert_eq!(start.path.as_deref(), Some("start.triggerName"));
    assert!(start.message.contains("\"cartAbandoned\""));
    let wait = only(&all, Code::WaitTriggerUnknown);
    assert_eq!(wait.path.as_deref(), Some("condition.triggerName"));
    assert!(wait.message.contains("\"paymentMade\""));
}

#[test]
fn unknown_triggers_are_warnings_when_stale_and_nothing_when_listed() {
    let journey = trigger_journey("cartAbandoned", "paymentMade");
    let all = validate_with(&journey, &catalog(&[], &["somethingElse"]), stale());
    assert!(
        only(&all, Code::StartTriggerUnverified)
            .message
            .contains("09:30 UTC")
    );
    only(&all, Code::WaitTriggerUnverified);
    none_of(&all, &[Code::StartTriggerUnknown, Code::WaitTriggerUnknown]);

    let listed = catalog(&[], &["cartAbandoned", "paymentMade"]);
    none_of(
        &validate_with(&journey, &listed, Freshness::Fresh),
        &TRIGGER_CODES,
    );
}

#[test]
fn messages_name_tiles_by_their_names_never_their_ids() {
    let original = renewal();
    let voice_id = original
        .tiles
        .iter()
        .find(|t| matches!(t, Tile::VoiceConversation(_)))
        .map(|t| t.id().to_owned())
        .unwrap();
    // Delete the voice tile but leave what referred to it: the wait watching it, the branch
    // reading its call, and the connections into and out of it.
    let mut journey = original.clone();
    journey.tiles.retain(|t| t.id() != voice_id);
    let all = validate_with(
        &journey,
        &catalog(&["seg-renewals-due"], &[]),
        Freshness::Fresh,
    );
    for code in [Code::WaitMessageUnknown, Code::GraphConnectionToMissingTile] {
        let d = only(&all, code);
        assert!(d.message.contains("no longer exists"), "{}", d.message);
    }
    for d in &all {
        for tile in &original.tiles {
            assert!(
                !d.message.contains(&format!("\"{}\"", tile.id())) || tile.id() == tile.name(),
                "a message shows the internal id {:?}: {}",
                tile.id(),
                d.message
            );
        }
    }
}
