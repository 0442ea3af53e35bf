//! Segment and trigger lookups: from the runtime (embedded, and remote over real HTTP on
//! 127.0.0.1) into the catalog cache, checked by validation with the cache's freshness, and
//! at publish against the runtime itself.

use chrono::{Duration, TimeZone, Utc};

use ::journeys::document::parse_journey;
use ::journeys::validate::{Code, Severity};
use ::runtime::storage::SegmentDefinition;

use super::catalog::{RUNTIME_SOURCE, get_catalog, set_catalog_source};
use super::embedded::EmbeddedRuntime;
use super::lookups::validate_journey;
use super::publish::publish_journey;
use super::publish_tests::{sample_catalog, serve};
use super::runtime::{RuntimeTarget, connect, set_runtime_target};
use super::*;

fn at(hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, hour, minute, 0).unwrap()
}

/// The sample journey, starting from segment `seg-renewals-due`.
fn renewal() -> ::journeys::document::Journey {
    let mut journey = parse_journey(include_str!(
        "../../../journeys/samples/renewal-calls.journey.json"
    ))
    .unwrap();
    // Start in the future so the runtime takes it whatever today's date.
    if let ::journeys::document::Tile::Start(start) = &mut journey.tiles[0]
        && let Some(::journeys::document::StartCondition::Segment(s)) = &mut start.start
    {
        s.start_at = Some(Utc::now() + Duration::days(30));
    }
    journey
}

fn empty_segment() -> SegmentDefinition {
    SegmentDefinition::Static {
        contact_ids: vec!["c1".into(), "c2".into()],
    }
}

fn codes(diagnostics: &[::journeys::validate::Diagnostic]) -> Vec<Code> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn runtime_segments_reach_the_cache_and_validation_says_what_is_unknown() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let db = Db::open(app.path()).unwrap();
    let client = connect(&db, Ok(runtime.executor())).unwrap();
    runtime
        .executor()
        .put_segment("seg-other", &empty_segment())
        .unwrap();
    set_catalog_source(
        &db,
        &sample_catalog(),
        at(12, 0),
        RUNTIME_SOURCE,
        Some(&client),
    )
    .unwrap();
    let state = get_catalog(&db, &sample_catalog(), at(12, 1), Some(&client)).unwrap();
    let segments = state.catalog.segments.clone().unwrap();
    assert_eq!(segments.len(), 1);
    assert_eq!(segments[0].id, "seg-other");
    assert_eq!(segments[0].description, "2 contact(s)");

    let journey = renewal();
    db.insert_draft(&journey, "2026-11-25T12:00:00.000Z")
        .unwrap();
    // Fresh (refreshed 10 minutes ago): an error.
    let fresh = validate_journey(&db, at(12, 10), &journey).unwrap();
    let unknown: Vec<_> = fresh
        .iter()
        .filter(|d| d.code == Code::StartSegmentUnknown)
        .collect();
    assert_eq!(unknown.len(), 1, "{fresh:#?}");
    assert_eq!(unknown[0].severity, Severity::Error);
    // Stale (two hours later, offline): a warning naming the refresh time.
    let stale = validate_journey(&db, at(14, 0), &journey).unwrap();
    let unverified: Vec<_> = stale
        .iter()
        .filter(|d| d.code == Code::StartSegmentUnverified)
        .collect();
    assert_eq!(unverified.len(), 1, "{stale:#?}");
    assert!(
        unverified[0].message.contains("2026-11-25 12:00 UTC"),
        "{}",
        unverified[0].message
    );
    assert!(!codes(&stale).contains(&Code::StartSegmentUnknown));

    // Publish checks against the runtime: refused with the diagnostic, nothing sent.
    match publish_journey(&db, &client, &journey.id, "test-computer") {
        Err(OpsError::Invalid(diagnostics)) => {
            assert!(codes(&diagnostics).contains(&Code::StartSegmentUnknown))
        }
        other => panic!("expected the validation refusal, got {other:?}"),
    }
    assert_eq!(db.draft_summary(&journey.id).unwrap().live, None);

    // Once the segment exists, publish goes through although the cache predates it.
    runtime
        .executor()
        .put_segment("seg-renewals-due", &empty_segment())
        .unwrap();
    let published = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(published.created);
}

#[test]
fn a_remote_runtime_lists_its_segments_over_http() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (url, token, _server) = serve(rt.path());
    let db = Db::open(app.path()).unwrap();
    set_runtime_target(&db, RuntimeTarget::Remote { url, token }).unwrap();
    let client = connect(&db, Err("not started")).unwrap();
    assert_eq!(client.segments().unwrap(), Vec::new());
    // A contacts import into a segment makes it.
    let contacts = tempfile::NamedTempFile::with_suffix(".csv").unwrap();
    std::fs::write(
        contacts.path(),
        "id,mobilePhone,timeZone\nc1,+13125550001,America/Chicago\n",
    )
    .unwrap();
    super::publish::import_contacts(
        &client,
        Some(contacts.path().to_str().unwrap()),
        None,
        Some("vip"),
    )
    .unwrap();
    let catalog = client.catalog_with_segments().unwrap();
    let segments = catalog.segments.unwrap();
    assert_eq!(
        segments.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["vip"]
    );
    assert_eq!(segments[0].description, "1 contact(s)");
}
