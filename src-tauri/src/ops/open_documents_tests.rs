//! Validation by patches, answered by deltas: what the designer pieces together from the
//! answers is what validating the edited journey whole says.

use std::collections::BTreeMap;

use chrono::Utc;
use journeys::document::{Journey, Position, Tile, parse_journey};
use journeys::validate::{Code, Diagnostic};

use super::Db;
use super::open_documents::{
    JourneyPatch, OpenDocuments, TileProblems, ValidatedRevision, ValidationEdit,
};
use crate::storage::CachedCatalog;

fn sample() -> Journey {
    parse_journey(include_str!(
        "../../../journeys/samples/renewal-calls.journey.json"
    ))
    .unwrap()
}

/// A database whose catalog cache holds the sample catalog, refreshed now.
fn db_with_catalog(dir: &std::path::Path) -> Db {
    let db = Db::open(dir).unwrap();
    db.replace_catalog(&CachedCatalog {
        source: "samples".into(),
        document: include_str!("../../../journeys/samples/catalog.json").into(),
        refreshed_at: Utc::now().to_rfc3339(),
    })
    .unwrap();
    db
}

fn whole(docs: &OpenDocuments, db: &Db, journey: &Journey) -> ValidatedRevision {
    docs.validate(
        db,
        Utc::now(),
        ValidationEdit::Whole {
            document: journey.clone(),
        },
    )
    .unwrap()
    .unwrap()
}

fn head(journey: &Journey) -> Journey {
    Journey {
        tiles: Vec::new(),
        connections: Vec::new(),
        layout: Default::default(),
        ..journey.clone()
    }
}

fn patch(base: u32, journey: &Journey, tiles: Vec<Tile>) -> ValidationEdit {
    ValidationEdit::Patch(JourneyPatch {
        base,
        head: head(journey),
        tiles,
        removed: Vec::new(),
        connections: None,
        placed: BTreeMap::new(),
        unplaced: Vec::new(),
    })
}

/// Problems by tile, as the designer keeps them.
type Known = BTreeMap<Option<String>, Vec<Diagnostic>>;

/// What the designer does with an answer.
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

fn known_from(answer: &ValidatedRevision) -> Known {
    assert!(answer.complete);
    let mut known = Known::new();
    take(&mut known, answer);
    known
}

fn voice_without_purpose(tile: &Tile) -> Tile {
    let mut changed = tile.clone();
    if let Tile::VoiceConversation(v) = &mut changed {
        v.purpose_id = None;
    } else {
        panic!("not a voice tile: {tile:?}");
    }
    changed
}

/// Every patch kind gives what validating the edited journey whole gives.
#[test]
fn patches_validate_like_the_whole_journey() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_catalog(dir.path());
    let docs = OpenDocuments::default();
    let mut journey = sample();
    let first = whole(&docs, &db, &journey);
    let mut known = known_from(&first);

    // Change a tile, remove another, add one, rename the journey, drop a connection.
    let mut changed = journey.tiles[1].clone();
    if let Tile::VoiceConversation(v) = &mut changed {
        v.engagement_id = None;
    }
    let removed = journey.tiles[3].id().to_owned();
    let mut added = journey.tiles[journey.tiles.len() - 1].clone();
    if let Tile::Exit(e) = &mut added {
        e.id = "exit-new".into();
    }
    journey.tiles[1] = changed.clone();
    journey.tiles.retain(|t| t.id() != removed);
    journey.tiles.push(added.clone());
    journey.name = String::new();
    journey.connections.pop();
    journey.layout.positions.remove(&removed);
    let new_place = Position { x: 1234.0, y: 56.0 };
    journey
        .layout
        .positions
        .insert("exit-new".to_owned(), new_place);

    let patched = docs
        .validate(
            &db,
            Utc::now(),
            ValidationEdit::Patch(JourneyPatch {
                base: first.revision,
                head: head(&journey),
                tiles: vec![changed, added],
                removed: vec![removed.clone()],
                connections: Some(journey.connections.clone()),
                placed: BTreeMap::from([("exit-new".to_owned(), new_place)]),
                unplaced: vec![removed],
            }),
        )
        .unwrap()
        .unwrap();
    assert!(patched.revision > first.revision);
    assert!(!patched.complete);
    take(&mut known, &patched);
    let other = OpenDocuments::default();
    assert_eq!(known, known_from(&whole(&other, &db, &journey)));
    let codes: Vec<Code> = known.values().flatten().map(|d| d.code).collect();
    assert!(codes.contains(&Code::JourneyNameMissing), "{codes:?}");
    assert!(codes.contains(&Code::VoiceEngagementMissing), "{codes:?}");
    // The copy kept is the edited journey, layout included: what autosave stores.
    assert_eq!(
        docs.kept(&journey.id, patched.revision),
        Some(journey.clone())
    );
    assert_eq!(docs.kept(&journey.id, first.revision), None);
}

/// Autosave from the kept copy stores the document on screen after patches that moved tiles.
#[test]
fn the_kept_copy_saves_the_moved_journey() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_catalog(dir.path());
    let docs = OpenDocuments::default();
    let mut journey = sample();
    db.insert_draft(&journey, "2026-01-01T00:00:00Z").unwrap();
    let first = whole(&docs, &db, &journey);
    let moved = journey.tiles[2].id().to_owned();
    let place = Position { x: -40.0, y: 900.5 };
    journey.layout.positions.insert(moved.clone(), place);
    let ValidationEdit::Patch(mut p) = patch(first.revision, &journey, Vec::new()) else {
        unreachable!()
    };
    p.placed.insert(moved, place);
    let answer = docs
        .validate(&db, Utc::now(), ValidationEdit::Patch(p))
        .unwrap()
        .unwrap();
    let kept = docs.kept(&journey.id, answer.revision).unwrap();
    assert_eq!(kept, journey);
    super::journeys::save_draft(&db, Utc::now(), &kept).unwrap();
    assert_eq!(db.draft(&journey.id).unwrap().document, journey);
}

/// An edit that changes one tile's problems answers with that tile alone; an edit that
/// fixes it answers with the tile and no problems; an edit that changes nothing, with nothing.
#[test]
fn a_patch_answers_only_the_tiles_whose_problems_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_catalog(dir.path());
    let docs = OpenDocuments::default();
    let journey = sample();
    let first = whole(&docs, &db, &journey);
    let i = journey
        .tiles
        .iter()
        .position(|t| matches!(t, Tile::VoiceConversation(v) if v.purpose_id.is_some()))
        .expect("the sample has a voice tile with a purpose");
    let id = journey.tiles[i].id().to_owned();
    let broken = voice_without_purpose(&journey.tiles[i]);

    let after_break = docs
        .validate(
            &db,
            Utc::now(),
            patch(first.revision, &journey, vec![broken]),
        )
        .unwrap()
        .unwrap();
    assert_eq!(after_break.tiles.len(), 1, "{:?}", after_break.tiles);
    assert_eq!(after_break.tiles[0].tile_id.as_deref(), Some(id.as_str()));
    assert!(
        after_break.tiles[0]
            .diagnostics
            .iter()
            .any(|d| d.code == Code::VoicePurposeMissing),
        "{:?}",
        after_break.tiles[0]
    );

    let fixed = docs
        .validate(
            &db,
            Utc::now(),
            patch(
                after_break.revision,
                &journey,
                vec![journey.tiles[i].clone()],
            ),
        )
        .unwrap()
        .unwrap();
    let before: Vec<Diagnostic> = known_from(&first)
        .remove(&Some(id.clone()))
        .unwrap_or_default();
    assert_eq!(
        fixed.tiles,
        vec![TileProblems {
            tile_id: Some(id),
            diagnostics: before
        }]
    );

    let nothing = docs
        .validate(&db, Utc::now(), patch(fixed.revision, &journey, Vec::new()))
        .unwrap()
        .unwrap();
    assert_eq!(nothing.tiles, Vec::new());
}

#[test]
fn a_patch_on_another_revision_asks_for_the_whole_journey() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let docs = OpenDocuments::default();
    let journey = sample();
    assert_eq!(
        docs.validate(&db, Utc::now(), patch(1, &journey, Vec::new()))
            .unwrap(),
        None
    );
    let first = whole(&docs, &db, &journey);
    assert_eq!(
        docs.validate(
            &db,
            Utc::now(),
            patch(first.revision + 5, &journey, Vec::new())
        )
        .unwrap(),
        None
    );
    assert!(
        docs.validate(&db, Utc::now(), patch(first.revision, &journey, Vec::new()))
            .unwrap()
            .is_some()
    );
}

/// Two views of one journey (the editor and a version viewer) each validate it whole: the
/// first view's revision no longer names what is kept, so its next patch asks for the whole
/// journey rather than being applied to the other view's document.
#[test]
fn revisions_name_one_document_across_views() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let docs = OpenDocuments::default();
    let journey = sample();
    let editor = whole(&docs, &db, &journey);
    let viewer = whole(&docs, &db, &journey);
    assert_ne!(editor.revision, viewer.revision);
    assert_eq!(
        docs.validate(
            &db,
            Utc::now(),
            patch(editor.revision, &journey, Vec::new())
        )
        .unwrap(),
        None
    );
}

/// The page's validator gets the cached catalog as cached, and when its lists turn stale.
#[test]
fn the_validation_context_is_the_cached_catalog_and_its_freshness() {
    use super::open_documents::validation_context;
    use journeys::catalog::Catalog;
    use journeys::validate::Freshness;

    let dir = tempfile::tempdir().unwrap();
    let empty = Db::open(dir.path()).unwrap();
    let none = validation_context(&empty, Utc::now()).unwrap();
    assert_eq!(
        Catalog::from_json(&none.catalog).unwrap(),
        Catalog::default()
    );
    assert_eq!(
        (none.freshness, none.ask_again_at),
        (Freshness::Fresh, None)
    );

    let dir = tempfile::tempdir().unwrap();
    let db = db_with_catalog(dir.path());
    let now = Utc::now();
    let fresh = validation_context(&db, now).unwrap();
    assert_eq!(
        fresh.catalog,
        include_str!("../../../journeys/samples/catalog.json")
    );
    assert_eq!(fresh.freshness, Freshness::Fresh);
    let again = chrono::DateTime::parse_from_rfc3339(&fresh.ask_again_at.unwrap()).unwrap();
    assert!(again > now + chrono::Duration::minutes(59), "{again}");

    let later = now + chrono::Duration::hours(2);
    let stale = validation_context(&db, later).unwrap();
    assert!(matches!(stale.freshness, Freshness::Stale { .. }));
    assert_eq!(stale.ask_again_at, None);
}
