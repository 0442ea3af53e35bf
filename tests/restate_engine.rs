//! The Restate engine (`runtime::restate`, feature `restate`) against the SQLite executor: the same
//! journey, contacts, consents and call results give the same per-tile counts, and each dial reaches
//! the contact center under the run's `{run}:{tile}:{attempt}` key.
//!
//! The Restate side runs on a one-node cluster from `scripts/restate-cluster.sh` with the Virtual
//! Objects served from this process; runs are started through the ingress (segment admission and
//! the `Executor` trait over Restate are not built yet). Its clock is the real one moved to Monday
//! 08:00 in Chicago, so the contacts are inside calling hours as on the SQLite side's virtual clock.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::{Channel, Journey, parse_journey};
use journeys::step::EventPayload;
use restate_sdk::prelude::*;
use runtime::adapters::{
    Caps, CcError, ContactCenter, DeliveryAck, DeliveryRequest, InteractionEvent,
};
use runtime::clock::{Clock, SystemClock, VirtualClock};
use runtime::executor::{Executor, SqliteExecutor};
use runtime::restate::{Definitions, Ingress, IngressError, VersionDefinition, run_key};
use runtime::storage::{SegmentDefinition, Store, TileCounts};

use crate::restate_cluster::Cluster;

/// Monday 08:00 in Chicago: inside US calling hours.
pub(crate) fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0)
        .single()
        .expect("a valid instant")
}

/// The real clock, moved by an offset set just before the runs start.
#[derive(Default)]
struct Shifted(Mutex<chrono::Duration>);

impl Shifted {
    /// From now on the clock reads `at`, then goes on.
    fn start_at(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at - SystemClock.now();
    }
}

impl Clock for Shifted {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + *self.0.lock().expect("clock lock")
    }
}

/// A contact center that takes every request and remembers (contact, key) in order.
#[derive(Default)]
pub(crate) struct Recorder(Mutex<Vec<(String, String)>>);

impl Recorder {
    pub(crate) fn keys(&self) -> Vec<(String, String)> {
        self.0.lock().expect("recorder lock").clone()
    }
}

impl ContactCenter for Recorder {
    fn capabilities(&self) -> Caps {
        Caps {
            dedupes_request_id: true,
        }
    }

    fn create_delivery(
        &self,
        request: &DeliveryRequest,
        _now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        self.0
            .lock()
            .expect("recorder lock")
            .push((request.call.contact_id.clone(), request.idem_key.clone()));
        Ok(DeliveryAck {
            delivery_id: request.idem_key.clone(),
        })
    }
}

fn journey() -> Journey {
    parse_journey(include_str!("../runtime/samples/voice-journey.json")).expect("sample journey")
}

pub(crate) fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../journeys/samples/catalog.json")).expect("sample catalog")
}

/// c0–c4 in Chicago; all but c3 opted in to the journey's purpose, c3 opted out.
pub(crate) fn contacts() -> (Vec<Contact>, Vec<ConsentRecord>) {
    let contacts: Vec<Contact> = (0..5)
        .map(|i| Contact {
            id: format!("c{i}"),
            mobile_phone: Some(format!("+1312555{i:04}")),
            time_zone: Some("America/Chicago".into()),
            ..Contact::default()
        })
        .collect();
    let consents = contacts
        .iter()
        .map(|c| ConsentRecord {
            contact_point: c.mobile_phone.clone().expect("a phone"),
            channel: Channel::Voice,
            scope: ConsentScope::Purpose {
                purpose_id: "pur-promotions".into(),
            },
            status: if c.id == "c3" {
                ConsentStatus::OptedOut
            } else {
                ConsentStatus::OptedIn
            },
            updated_at: monday() - chrono::Duration::days(1),
            source: None,
        })
        .collect();
    (contacts, consents)
}

/// The call result each contact's call gets: booked, no answer, none (c2 keeps waiting), and an
/// answered call whose disposition opts the number out.
pub(crate) fn result_for(contact: &str) -> Option<EventPayload> {
    let payload = |result: &str, codes: &[&str], booked: bool| EventPayload::CallResult {
        result: result.into(),
        disposition_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        variables: if booked {
            BTreeMap::from([("Outcome".to_owned(), serde_json::json!("Booked"))])
        } else {
            BTreeMap::new()
        },
    };
    match contact {
        "c0" => Some(payload("LiveAnswer", &[], true)),
        "c1" => Some(payload("NoAnswer", &[], false)),
        "c4" => Some(payload("LiveAnswer", &["DoNotContact"], false)),
        _ => None,
    }
}

/// Counts as both engines keep them (the live `waiting` / `held` gauges left out).
pub(crate) fn settled(mut tiles: BTreeMap<String, TileCounts>) -> BTreeMap<String, TileCounts> {
    for t in tiles.values_mut() {
        t.waiting = 0;
        t.held = 0;
    }
    tiles.retain(|_, t| *t != TileCounts::default());
    tiles
}

/// The scenario on the SQLite executor, its virtual clock starting at `start` and moved on by
/// `hold` (a quiet-time hold's length) before the results come in.
pub(crate) fn on_sqlite(
    start: DateTime<Utc>,
    hold: chrono::Duration,
) -> (BTreeMap<String, TileCounts>, Vec<(String, String)>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let recorder = Arc::new(Recorder::default());
    let clock = Arc::new(VirtualClock::new(start));
    let store = Store::open(&dir.path().join("rt.sqlite"), false).expect("store opens");
    let exec =
        SqliteExecutor::open(store, clock.clone(), recorder.clone()).expect("executor opens");
    exec.set_catalog(catalog()).expect("catalog");
    let (contacts, consents) = contacts();
    exec.import_contacts(&contacts).expect("contacts");
    exec.import_consents(&consents).expect("consents");
    let ids = contacts.iter().map(|c| c.id.clone()).collect();
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static { contact_ids: ids },
    )
    .expect("segment");
    exec.publish(&journey()).expect("publish");
    while exec.tick().expect("tick") > 0 {}
    clock.advance_to(start + hold);
    while exec.tick().expect("tick") > 0 {}
    for (contact, key) in recorder.keys() {
        if let Some(EventPayload::CallResult {
            result,
            disposition_codes,
            variables,
        }) = result_for(&contact)
        {
            exec.post_outcome(&InteractionEvent {
                event_id: format!("result-{key}"),
                idem_key: key,
                result,
                disposition_codes,
                variables,
            })
            .expect("outcome");
        }
    }
    while exec.tick().expect("tick") > 0 {}
    let counts = exec.counts("renewals", 1).expect("counts");
    (settled(counts.tiles), recorder.keys())
}

#[test]
fn restate_runs_give_the_sqlite_executors_counts_and_dial_under_the_run_key() {
    let sqlite = conform(monday(), chrono::Duration::zero());
    // The same counts are not a vacuous match: calls were sent, blocked and answered.
    let call = &sqlite["call"];
    assert_eq!((call.entered, call.sent, call.held_total), (5, 4, 0));
    assert_eq!(call.blocked.values().sum::<i64>(), 1);
    assert_eq!(sqlite["done"].completed, 2, "c0 booked, c3 blocked");
    assert_eq!(
        sqlite["wait"].branches,
        BTreeMap::from([("attempted".into(), 3), ("blocked".into(), 1)])
    );
}

#[test]
fn a_quiet_time_hold_is_a_delayed_call_that_releases_the_call_when_calling_hours_begin() {
    // Monday 07:59:57 in Chicago: three seconds of quiet time left.
    let hold = chrono::Duration::seconds(3);
    let sqlite = conform(monday() - hold, hold);
    let call = &sqlite["call"];
    assert_eq!((call.entered, call.sent), (5, 4));
    assert!(call.held_total >= 4, "the calls were not held: {call:#?}");
}

/// The scenario on both engines from `start`, results sent once the calls are out (after a hold
/// of up to `hold`); the per-tile counts both agree on.
fn conform(start: DateTime<Utc>, hold: chrono::Duration) -> BTreeMap<String, TileCounts> {
    let sqlite = on_sqlite(start, hold);

    let recorder = Arc::new(Recorder::default());
    let clock = Arc::new(Shifted::default());
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind the endpoint");
    let addr: SocketAddr = listener.local_addr().expect("endpoint address");
    let definitions = Arc::new(Definitions::default());
    let endpoint = runtime::restate::endpoint(clock.clone(), recorder.clone(), definitions.clone());
    rt.spawn(HttpServer::new(endpoint).serve(listener));
    let cluster = Cluster::started(&format!("http://{addr}"), 1);
    definitions.read_through(Ingress::new(cluster.ingress(1)));
    let ingress = Ingress::new(cluster.ingress(1));

    ingress
        .define_version(
            "renewals",
            1,
            &VersionDefinition {
                journey: journey(),
                catalog: catalog(),
            },
        )
        .expect("define the version");
    let (contacts, consents) = contacts();
    for (contact, consent) in contacts.iter().zip(&consents) {
        ingress
            .put_contact(contact, std::slice::from_ref(consent))
            .expect("put a contact and its consent");
    }
    clock.start_at(start);
    for contact in &contacts {
        ingress
            .start_run("renewals", 1, &contact.id, BTreeMap::new())
            .expect("start a run");
    }

    // Every dial the SQLite executor made, under this run's key (after the hold, if any).
    let out = Instant::now() + Duration::from_secs(20) + hold.to_std().unwrap_or_default();
    while recorder.keys().len() < sqlite.1.len() && Instant::now() < out {
        std::thread::sleep(Duration::from_millis(100));
    }
    let dialled = recorder.keys();
    let expected: Vec<(String, String)> = sqlite
        .1
        .iter()
        .map(|(contact, _)| {
            let key = format!("{}:call:1", run_key("renewals", 1, contact));
            (contact.clone(), key)
        })
        .collect();
    let mut sorted = dialled.clone();
    sorted.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(
        sorted, want,
        "the calls requested differ from the SQLite executor's"
    );

    // Results in through the ingress, as the HTTP interactions route will send them; each twice: a
    // repeat changes nothing (Restate takes an idempotency key once; the step ignores a second
    // result for a call anyway).
    for (contact, key) in &dialled {
        if let Some(EventPayload::CallResult {
            result,
            disposition_codes,
            variables,
        }) = result_for(contact)
        {
            let event = InteractionEvent {
                event_id: format!("result-{key}"),
                idem_key: key.clone(),
                result,
                disposition_codes,
                variables,
            };
            ingress.post_outcome(&event).expect("deliver a call result");
            ingress.post_outcome(&event).expect("deliver it again");
        }
    }
    // A result for a run that was never started is refused.
    let unknown = ingress.post_outcome(&InteractionEvent {
        event_id: "stray".into(),
        idem_key: format!("{}:call:1", run_key("renewals", 1, "nobody")),
        result: "LiveAnswer".into(),
        disposition_codes: Vec::new(),
        variables: BTreeMap::new(),
    });
    assert!(
        matches!(unknown, Err(IngressError::Refused { .. })),
        "a result for an unknown run was not refused: {unknown:?}"
    );

    // Counts arrive by one-way calls: poll until they settle on the SQLite executor's.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let counts = settled(ingress.counts("renewals", 1).expect("read the counts"));
        if counts == sqlite.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Restate's counts never matched the SQLite executor's:\nrestate: {counts:#?}\nsqlite: {:#?}",
            sqlite.0
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // c4's DoNotContact result opted its number out in its contact file.
    let file = ingress.contact("c4").expect("read c4's file");
    assert!(
        file.consents
            .iter()
            .any(|r| r.status == ConsentStatus::OptedOut
                && r.source.as_deref() == Some("contactCenter")),
        "no contact-center opt-out recorded for c4: {:?}",
        file.consents
    );
    drop(cluster);
    sqlite.0
}
