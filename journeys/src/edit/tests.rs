//! A session's deltas pieced together give what validating the edited journey whole gives.

use std::collections::{BTreeMap, HashMap};

use chrono::{TimeZone, Utc};

use super::{JourneyPatch, Session, TileProblems, ValidatedRevision, ValidationEdit};
use crate::catalog::Catalog;
use crate::document::{Journey, Tile, parse_journey};
use crate::validate::{Code, Diagnostic, Freshness};

type Known = HashMap<Option<String>, Vec<Diagnostic>>;

fn sample() -> (Journey, Catalog) {
    let journey = parse_journey(include_str!("../../samples/renewal-calls.journey.json")).unwrap();
    let catalog = Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap();
    (journey, catalog)
}

fn take(known: &mut Known, answer: &ValidatedRevision) {
    if answer.complete {
        known.clear();
    }
    for TileProblems {
        tile_id,
        diagnostics,
    } in &answer.tiles
    {
        if diagnostics.is_empty() {
            known.remove(tile_id);
        } else {
            known.insert(tile_id.clone(), diagnostics.clone());
        }
    }
}

fn whole(journey: &Journey, catalog: &Catalog) -> Known {
    let mut known = Known::new();
    let answer = Session::default()
        .validate(
            ValidationEdit::Whole {
                document: journey.clone(),
            },
            catalog,
            Freshness::Fresh,
        )
        .unwrap();
    assert!(answer.complete);
    take(&mut known, &answer);
    known
}

fn patch(base: u32, journey: &Journey, tiles: Vec<Tile>, removed: Vec<String>) -> ValidationEdit {
    ValidationEdit::Patch(JourneyPatch {
        base,
        head: Journey {
            tiles: Vec::new(),
            connections: Vec::new(),
            layout: Default::default(),
            ..journey.clone()
        },
        tiles,
        removed,
        connections: Some(journey.connections.clone()),
        placed: BTreeMap::new(),
        unplaced: Vec::new(),
    })
}

#[test]
fn a_sessions_deltas_add_up_to_the_whole_answer() {
    let (mut journey, catalog) = sample();
    let mut session = Session::default();
    let first = session
        .validate(
            ValidationEdit::Whole {
                document: journey.clone(),
            },
            &catalog,
            Freshness::Fresh,
        )
        .unwrap();
    let mut known = Known::new();
    take(&mut known, &first);
    assert_eq!(known, whole(&journey, &catalog));

    let mut changed = journey.tiles[1].clone();
    if let Tile::VoiceConversation(v) = &mut changed {
        v.engagement_id = None;
    } else {
        panic!("not a voice tile: {changed:?}");
    }
    let removed = journey.tiles[3].id().to_owned();
    journey.tiles[1] = changed.clone();
    journey.tiles.retain(|t| t.id() != removed);
    journey.name = String::new();
    journey.connections.pop();

    let second = session
        .validate(
            patch(first.revision, &journey, vec![changed], vec![removed]),
            &catalog,
            Freshness::Fresh,
        )
        .unwrap();
    assert!(!second.complete);
    assert!(second.revision > first.revision);
    take(&mut known, &second);
    assert_eq!(known, whole(&journey, &catalog));
    let codes: Vec<Code> = known.values().flatten().map(|d| d.code).collect();
    assert!(codes.contains(&Code::JourneyNameMissing), "{codes:?}");
    assert!(codes.contains(&Code::VoiceEngagementMissing), "{codes:?}");
}

#[test]
fn a_patch_of_another_revision_is_refused_and_the_copy_kept() {
    let (journey, catalog) = sample();
    let mut session = Session::default();
    let first = session
        .validate(
            ValidationEdit::Whole {
                document: journey.clone(),
            },
            &catalog,
            Freshness::Fresh,
        )
        .unwrap();
    let stale = patch(first.revision + 1, &journey, Vec::new(), Vec::new());
    assert_eq!(session.validate(stale, &catalog, Freshness::Fresh), None);
    // The copy is kept: a patch of the right base still applies.
    let right = patch(first.revision, &journey, Vec::new(), Vec::new());
    let answer = session.validate(right, &catalog, Freshness::Fresh).unwrap();
    assert!(!answer.complete);
    assert_eq!(answer.tiles, Vec::new());
}

#[test]
fn freshness_reads_and_writes_as_the_page_sends_it() {
    let stale = Freshness::Stale {
        refreshed_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    };
    let text = serde_json::to_string(&stale).unwrap();
    assert_eq!(
        text,
        r#"{"kind":"stale","refreshedAt":"2026-01-02T03:04:05Z"}"#
    );
    assert_eq!(serde_json::from_str::<Freshness>(&text).unwrap(), stale);
    assert_eq!(
        serde_json::from_str::<Freshness>(r#"{"kind":"fresh"}"#).unwrap(),
        Freshness::Fresh
    );
}
