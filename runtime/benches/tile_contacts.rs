//! The contacts at a tile (a documented script, `harness = false`):
//!
//! `cargo bench -p runtime --bench tile_contacts`
//!
//! 100,000 contacts enter the voice journey on a Saturday: US commercial voice is quiet all
//! weekend, so every one is held on the call tile. Then, 5 times each: all of them written as
//! CSV to a file a page of 10,000 at a time (what the app's "Export contacts…" does), and the
//! API's default first page (1,000) read. Medians.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::{Channel, parse_journey};
use runtime::adapters::{Simulator, SimulatorConfig};
use runtime::clock::VirtualClock;
use runtime::executor::{Executor, SqliteExecutor};
use runtime::storage::{
    ContactsAt, MAX_PAGE, SegmentDefinition, Store, TileContactsQuery, write_csv,
};

const CONTACTS: usize = 100_000;

fn population(n: usize) -> (Vec<Contact>, Vec<ConsentRecord>) {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid instant");
    (0..n)
        .map(|i| {
            let phone = format!("+1312{i:07}");
            let contact = Contact {
                id: format!("c{i}"),
                mobile_phone: Some(phone.clone()),
                time_zone: Some("America/Chicago".into()),
                country: Some("US".into()),
                ..Contact::default()
            };
            let consent = ConsentRecord {
                contact_point: phone,
                channel: Channel::Voice,
                scope: ConsentScope::Purpose {
                    purpose_id: "pur-promotions".into(),
                },
                status: ConsentStatus::OptedIn,
                updated_at: at,
                source: None,
            };
            (contact, consent)
        })
        .unzip()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Every contact on the call tile to `path` as CSV, a page of [`MAX_PAGE`] at a time.
fn export(exec: &SqliteExecutor, path: &Path) -> usize {
    let file = std::fs::File::create(path).expect("file");
    let mut out = BufWriter::new(file);
    let mut query = TileContactsQuery {
        tile: "call".into(),
        at: ContactsAt::Here,
        after: 0,
        limit: MAX_PAGE,
    };
    let mut rows = 0;
    loop {
        let page = exec.tile_contacts("renewals", 1, &query).expect("a page");
        write_csv(&mut out, &page.contacts, query.after == 0).expect("csv");
        rows += page.contacts.len();
        match page.next_after {
            Some(next) => query.after = next,
            None => break,
        }
    }
    out.flush().expect("flush");
    out.into_inner().expect("file").sync_all().expect("sync");
    rows
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // Saturday 10:00 in Chicago: every call is held by quiet time until Monday.
    let clock = Arc::new(VirtualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 16, 0, 0)
            .single()
            .expect("valid"),
    ));
    let store = Store::open(&dir.path().join("bench.sqlite"), false).expect("store opens");
    let sim =
        Simulator::open(&dir.path().join("sim.sqlite"), SimulatorConfig::default()).expect("sim");
    let exec = SqliteExecutor::open(store, clock, Arc::new(sim)).expect("executor opens");
    exec.set_catalog(
        Catalog::from_json(include_str!("../../journeys/samples/catalog.json")).expect("catalog"),
    )
    .expect("catalog stored");
    let (contacts, consents) = population(CONTACTS);
    exec.import_contacts(&contacts).expect("contacts");
    exec.import_consents(&consents).expect("consents");
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static {
            contact_ids: contacts.into_iter().map(|c| c.id).collect(),
        },
    )
    .expect("segment");
    exec.publish(&parse_journey(include_str!("../samples/voice-journey.json")).expect("journey"))
        .expect("publish");
    while exec.tick().expect("tick") > 0 {}
    let held = exec.counts("renewals", 1).expect("counts").tiles["call"].held;
    assert_eq!(held, CONTACTS as i64, "everyone is held on the call tile");

    let path = dir.path().join("call.csv");
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(export(&exec, &path), CONTACTS);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let bytes = std::fs::metadata(&path).expect("file").len();
    println!(
        "export of {CONTACTS} contacts at a tile to CSV: median {:.0} ms ({:.1} MB, runs {:?} ms)",
        median(times.clone()),
        bytes as f64 / 1e6,
        times.iter().map(|t| t.round() as i64).collect::<Vec<_>>()
    );
    let mut firsts = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let page = exec
            .tile_contacts(
                "renewals",
                1,
                &TileContactsQuery {
                    tile: "call".into(),
                    at: ContactsAt::Here,
                    after: 0,
                    limit: 1000,
                },
            )
            .expect("a page");
        assert_eq!(page.contacts.len(), 1000);
        firsts.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "first page of 1,000 (the API's default): median {:.2} ms",
        median(firsts)
    );
}
