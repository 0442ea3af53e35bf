//! Publish, counts, catalog and import against real runtimes: the embedded one on temp SQLite
//! files, and a remote one serving its HTTP API on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};

use ::journeys::document::{Frequency, Journey, StartCondition, Tile, parse_journey};

use super::catalog::{RUNTIME_SOURCE, get_catalog, refresh_catalog, set_catalog_source};
use super::embedded::EmbeddedRuntime;
use super::publish::{
    LiveAction, change_live_state, import_contacts, live_counts, publish_journey,
};
use super::runtime::{RuntimeClient, RuntimeTarget, connect, runtime_target, set_runtime_target};
use super::*;
use ::runtime::storage::SegmentDefinition;

pub(super) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

pub(super) fn sample_catalog() -> PathBuf {
    repo("journeys/samples/catalog.json")
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

pub(super) fn sample_journey(file: &str) -> Journey {
    parse_journey(&std::fs::read_to_string(repo(&format!("journeys/samples/{file}"))).unwrap())
        .unwrap()
}

/// The designer's database with the sample catalog cached and `journey` saved as a draft.
pub(super) fn designer(dir: &Path, journey: &Journey) -> Db {
    let db = Db::open(dir).unwrap();
    get_catalog(&db, &sample_catalog(), now(), None).unwrap();
    db.insert_draft(journey, "2026-11-25T12:00:00.000Z")
        .unwrap();
    db
}

fn embedded_client(runtime: &EmbeddedRuntime, db: &Db) -> RuntimeClient {
    // The sample journeys start from this segment; publishing needs it to exist.
    runtime
        .executor()
        .put_segment(
            "seg-renewals-due",
            &SegmentDefinition::Static {
                contact_ids: Vec::new(),
            },
        )
        .unwrap();
    connect(db, Ok(runtime.executor())).unwrap()
}

#[test]
fn publish_records_the_live_version_and_same_content_gives_the_same_version() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // Admitting joiners, so live edits are allowed whatever today's date (a running one-time
    // journey refuses them: see the next test).
    let journey = admitting_joiners(sample_journey("renewal-calls.journey.json"));
    let db = designer(app.path(), &journey);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);

    let first = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(first.created);
    let live = first.summary.live.clone().unwrap();
    assert_eq!(
        (live.number, live.state.as_str(), live.target.as_str()),
        (1, "live", "embedded")
    );
    assert_eq!(db.list_drafts().unwrap()[0].live, Some(live.clone()));

    let again = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(!again.created);
    assert_eq!(again.summary.live.unwrap().number, 1);

    let mut renamed = journey.clone();
    renamed.name = "Policy renewal calls (Q4)".into();
    ops_save(&db, &renamed);
    let in_place = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(!in_place.created && in_place.renamed, "{in_place:?}");
    assert_eq!(in_place.summary.live.unwrap().number, 1);

    let mut edited = renamed.clone();
    edited.time_zone = "America/New_York".into();
    ops_save(&db, &edited);
    let second = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(second.created && !second.renamed);
    assert_eq!(second.summary.live.unwrap().number, 2);
    // The draft's document is the marketer's, unchanged by publishing.
    assert_eq!(db.draft(&journey.id).unwrap().document, edited);

    // A reopened app finds the same runtime, versions and token-free in-process access.
    drop(client);
    drop(runtime);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);
    assert_eq!(
        live_counts(&db, &client, &journey.id)
            .unwrap()
            .unwrap()
            .number,
        2
    );
}

#[test]
fn a_live_journey_pauses_resumes_and_stops_and_publishing_again_starts_a_new_version() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let journey = sample_journey("renewal-calls.journey.json");
    let db = designer(app.path(), &journey);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);

    let Err(OpsError::InvalidInput(message)) =
        change_live_state(&db, &client, &journey.id, LiveAction::Pause)
    else {
        panic!("an unpublished journey has nothing to pause");
    };
    assert!(message.contains("not been published"), "{message}");

    publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    let state = |summary: crate::storage::DraftSummary| {
        let live = summary.live.unwrap();
        (live.number, live.state)
    };
    let paused = change_live_state(&db, &client, &journey.id, LiveAction::Pause).unwrap();
    assert_eq!(state(paused), (1, "paused".to_owned()));
    assert_eq!(
        runtime.executor().list_versions(&journey.id).unwrap()[0]
            .state
            .as_str(),
        "paused"
    );
    assert_eq!(
        live_counts(&db, &client, &journey.id)
            .unwrap()
            .unwrap()
            .state,
        "paused"
    );
    let resumed = change_live_state(&db, &client, &journey.id, LiveAction::Resume).unwrap();
    assert_eq!(state(resumed), (1, "live".to_owned()));
    let stopped = change_live_state(&db, &client, &journey.id, LiveAction::Stop).unwrap();
    assert_eq!(state(stopped), (1, "stopped".to_owned()));
    assert_eq!(
        state(db.draft_summary(&journey.id).unwrap()),
        (1, "stopped".to_owned())
    );
    let Err(OpsError::InvalidInput(message)) =
        change_live_state(&db, &client, &journey.id, LiveAction::Resume)
    else {
        panic!("a stopped version stays stopped");
    };
    assert!(message.contains("final"), "{message}");

    // The same content published again goes live as a new version.
    let again = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert!(again.created);
    assert_eq!(state(again.summary), (2, "live".to_owned()));
}

fn admitting_joiners(mut journey: Journey) -> Journey {
    for tile in &mut journey.tiles {
        if let Tile::Start(start) = tile
            && let Some(StartCondition::Segment(segment)) = &mut start.start
        {
            segment.frequency = Frequency::OnceAdmittingJoiners;
        }
    }
    journey
}

#[test]
fn a_running_one_time_journey_refuses_changes_and_says_why_leaving_the_draft_untouched() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let journey = starting_now(sample_journey("renewal-calls.journey.json"));
    let db = designer(app.path(), &journey);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);
    publish_journey(&db, &client, &journey.id, "test-computer").unwrap();

    let mut edited = journey.clone();
    edited.time_zone = "America/New_York".into();
    ops_save(&db, &edited);
    let before = db.draft(&journey.id).unwrap();
    let Err(OpsError::InvalidInput(message)) =
        publish_journey(&db, &client, &journey.id, "test-computer")
    else {
        panic!("a running one-time journey must refuse a change");
    };
    assert!(message.contains("one-time journey is running"), "{message}");
    assert_eq!(db.draft(&journey.id).unwrap(), before);
    assert_eq!(
        db.draft_summary(&journey.id).unwrap().live.unwrap().number,
        1
    );
}

fn ops_save(db: &Db, journey: &Journey) {
    super::journeys::save_draft(db, now(), journey).unwrap();
}

#[test]
fn publish_refused_with_diagnostics_leaves_the_draft_untouched() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let invalid = sample_journey("invalid-voice-compliance.journey.json");
    let db = designer(app.path(), &invalid);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);
    let before = db.draft(&invalid.id).unwrap();

    let Err(OpsError::Invalid(diagnostics)) =
        publish_journey(&db, &client, &invalid.id, "test-computer")
    else {
        panic!("an invalid journey must be refused with its diagnostics");
    };
    assert!(!diagnostics.is_empty());
    assert_eq!(db.draft(&invalid.id).unwrap(), before);
    assert!(
        runtime
            .executor()
            .list_versions(&invalid.id)
            .unwrap()
            .is_empty()
    );

    // Valid against the designer's cached catalog but not the runtime's (an empty runtime
    // catalog): the runtime's refusal comes back as diagnostics too, and nothing is recorded.
    let journey = sample_journey("renewal-calls.journey.json");
    db.insert_draft(&journey, "2026-11-25T12:00:00.000Z")
        .unwrap();
    let bare = tempfile::tempdir().unwrap();
    let empty = EmbeddedRuntime::open(bare.path(), Path::new("/no/catalog.json")).unwrap();
    let client = embedded_client(&empty, &db);
    let Err(OpsError::Invalid(diagnostics)) =
        publish_journey(&db, &client, &journey.id, "test-computer")
    else {
        panic!("the runtime's validator must refuse a journey whose engagement it does not know");
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.tile_id.as_deref() == Some("call-renewal"))
    );
    assert_eq!(db.draft_summary(&journey.id).unwrap().live, None);
}

/// The renewal journey starting now from segment `seg-renewals-due`.
pub(super) fn starting_now(mut journey: Journey) -> Journey {
    for tile in &mut journey.tiles {
        if let Tile::Start(start) = tile
            && let Some(StartCondition::Segment(segment)) = &mut start.start
        {
            segment.start_at = Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        }
    }
    journey
}

fn wait_for(mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn imported_contacts_flow_through_the_live_journey() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let journey = starting_now(sample_journey("renewal-calls.journey.json"));
    let db = designer(app.path(), &journey);
    let runtime = EmbeddedRuntime::open(rt.path(), &sample_catalog()).unwrap();
    let client = embedded_client(&runtime, &db);
    assert_eq!(live_counts(&db, &client, &journey.id).unwrap(), None);

    let contacts = repo("runtime/samples/contacts.csv");
    let consents = repo("runtime/samples/consents.csv");
    let imported = import_contacts(
        &client,
        contacts.to_str(),
        consents.to_str(),
        Some("seg-renewals-due"),
    )
    .unwrap();
    assert_eq!((imported.contacts, imported.consents), (20, 29));
    publish_journey(&db, &client, &journey.id, "test-computer").unwrap();

    let mut counts = None;
    assert!(
        wait_for(|| {
            counts = live_counts(&db, &client, &journey.id).unwrap();
            counts.as_ref().is_some_and(|c| {
                c.tiles.get("call-renewal").is_some_and(|t| {
                    t.entered == 20 && t.blocked.values().sum::<i64>() == 8 && t.sent + t.held > 0
                })
            })
        }),
        "counts never showed the 20 contacts on the call tile: {counts:?}"
    );
    let counts = counts.unwrap();
    assert_eq!(counts.tiles["start"].entered, 20);
    let call = &counts.tiles["call-renewal"];
    // c20 has no phone, c02 opted out of the topic, c14–c16 out of the purpose, c17–c19
    // never opted in: blocked, never called.
    assert_eq!(call.blocked.values().sum::<i64>(), 8, "{call:?}");

    // Bad files say what and where.
    let Err(OpsError::InvalidInput(message)) =
        import_contacts(&client, Some("/no/such.csv"), None, None)
    else {
        panic!("a missing file must be refused");
    };
    assert!(message.contains("/no/such.csv"), "{message}");
    assert!(matches!(
        import_contacts(&client, None, Some(""), None),
        Err(OpsError::InvalidInput(_))
    ));
}

/// A real runtime serving its HTTP API on 127.0.0.1; returns its URL and token.
pub(super) fn serve(dir: &Path) -> (String, String, tokio::runtime::Runtime) {
    let runtime = EmbeddedRuntime::open(dir, &sample_catalog()).unwrap();
    let token = runtime
        .runtime()
        .api_token()
        .expect("a new runtime makes its admin token")
        .to_owned();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    tokio.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        runtime.runtime().serve(listener).await
    });
    (url, token, tokio)
}

#[test]
fn remote_runtime_publish_counts_catalog_and_token() {
    let (app, rt) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (url, token, _server) = serve(rt.path());
    let journey = starting_now(sample_journey("renewal-calls.journey.json"));
    let db = designer(app.path(), &journey);

    assert_eq!(runtime_target(&db).unwrap(), RuntimeTarget::Embedded);
    assert!(matches!(
        set_runtime_target(
            &db,
            RuntimeTarget::Remote {
                url: "https://x".into(),
                token: "t".into()
            }
        ),
        Err(OpsError::InvalidInput(_))
    ));
    let target = set_runtime_target(
        &db,
        RuntimeTarget::Remote {
            url: format!("{url}/"),
            token: format!(" {token} "),
        },
    )
    .unwrap();
    assert_eq!(
        target,
        RuntimeTarget::Remote {
            url: url.clone(),
            token: token.clone()
        }
    );
    // The embedded runtime is not needed (nor used) once a remote one is chosen.
    let client = connect(&db, Err("not started")).unwrap();
    assert_eq!(client.label(), url);

    let imported = import_contacts(
        &client,
        repo("runtime/samples/contacts.csv").to_str(),
        repo("runtime/samples/consents.csv").to_str(),
        Some("seg-renewals-due"),
    )
    .unwrap();
    assert_eq!((imported.contacts, imported.consents), (20, 29));
    let published = publish_journey(&db, &client, &journey.id, "test-computer").unwrap();
    assert_eq!(published.summary.live.as_ref().unwrap().target, url);
    assert!(
        !publish_journey(&db, &client, &journey.id, "test-computer")
            .unwrap()
            .created
    );
    assert!(wait_for(|| {
        live_counts(&db, &client, &journey.id)
            .unwrap()
            .is_some_and(|c| c.tiles.get("call-renewal").is_some_and(|t| t.entered == 20))
    }));

    // The version and the journey it published read back over HTTP.
    let versions = client.list_versions(&journey.id).unwrap();
    assert_eq!(versions.len(), 1);
    let one = client
        .version_document(&journey.id, versions[0].number)
        .unwrap();
    assert_eq!(one.version.content_hash, versions[0].content_hash);
    assert_eq!(one.journey.tiles, journey.tiles);
    assert!(matches!(
        client.version_document(&journey.id, 9),
        Err(OpsError::InvalidInput(m)) if m.contains("no version 9")
    ));

    // Pause and resume go over HTTP too.
    let paused = change_live_state(&db, &client, &journey.id, LiveAction::Pause).unwrap();
    assert_eq!(paused.live.unwrap().state, "paused");
    let resumed = change_live_state(&db, &client, &journey.id, LiveAction::Resume).unwrap();
    assert_eq!(resumed.live.unwrap().state, "live");

    // The catalog refreshes from the runtime into the offline cache.
    let state =
        set_catalog_source(&db, &sample_catalog(), now(), RUNTIME_SOURCE, Some(&client)).unwrap();
    assert_eq!(state.source, RUNTIME_SOURCE);
    assert!(!state.catalog.engagements.is_empty());
    assert_eq!(
        refresh_catalog(&db, &sample_catalog(), now(), Some(&client))
            .unwrap()
            .catalog,
        state.catalog
    );

    // The runtime's refusal arrives as diagnostics over HTTP too.
    let mut broken = journey.clone();
    broken.id = "broken".into();
    if let Some(Tile::VoiceConversation(voice)) = broken
        .tiles
        .iter_mut()
        .find(|t| matches!(t, Tile::VoiceConversation(_)))
    {
        voice.engagement_id = Some("eng-not-in-the-runtime".into());
    }
    db.insert_draft(&broken, "2026-11-25T12:00:00.000Z")
        .unwrap();
    assert!(matches!(
        client.publish(&broken, "test-computer"),
        Err(OpsError::Invalid(d)) if !d.is_empty()
    ));

    // A wrong token is a clear error, and the cache keeps the last good catalog.
    set_runtime_target(
        &db,
        RuntimeTarget::Remote {
            url: url.clone(),
            token: "wrong".into(),
        },
    )
    .unwrap();
    let wrong = connect(&db, Err("not started")).unwrap();
    let Err(OpsError::RuntimeUnavailable(message)) =
        publish_journey(&db, &wrong, &journey.id, "test-computer")
    else {
        panic!("a wrong token must be refused");
    };
    assert!(message.contains("token"), "{message}");
    assert!(refresh_catalog(&db, &sample_catalog(), now(), Some(&wrong)).is_err());
    assert_eq!(
        get_catalog(&db, &sample_catalog(), now(), None)
            .unwrap()
            .catalog,
        state.catalog
    );

    // Nobody listening: says where it tried.
    set_runtime_target(
        &db,
        RuntimeTarget::Remote {
            url: "http://127.0.0.1:9".into(),
            token: "t".into(),
        },
    )
    .unwrap();
    let Err(OpsError::RuntimeUnavailable(message)) =
        connect(&db, Err("not started")).unwrap().catalog()
    else {
        panic!("an unreachable runtime must say so");
    };
    assert!(message.contains("127.0.0.1:9"), "{message}");
}
