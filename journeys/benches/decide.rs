//! Consent and quiet-time decisions per second (issue 3 goal: ≥ 1,000,000 per core).
//!
//! Random contacts across every IANA zone (`chrono_tz::TZ_VARIANTS`), the sample catalog's
//! US TCPA setting (inherited from the "US marketing" profile), commercial restrictive and
//! transactional non-restrictive purposes, random instants over two years, a `HashMap`-backed
//! consent look-up. Deterministic: a seeded SplitMix64, no clock.
//!
//! Run: `cargo bench -p journeys --bench decide`

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journeys::catalog::Catalog;
use journeys::compliance::{
    CallContext, ConsentLookup, Decision, ScopeRef, SendWindows, decide_call, decide_call_with,
};
use journeys::contact::{ConsentScope, ConsentStatus, Contact};
use journeys::document::{Channel, PhoneField, QuietTimeOption, VoiceConversationTile};

/// Decisions per measured batch.
const BATCH: usize = 4096;

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Consent records by number: what a runtime's in-memory cache answers. FNV-1a rather than
/// SipHash: keys are short phone numbers from our own store, not attacker-chosen.
#[derive(Default)]
struct ConsentIndex {
    by_number: HashMap<String, Vec<(ScopeKind, String, ConsentStatus)>, BuildHasherDefault<Fnv>>,
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Purpose,
    Topic,
}

impl ConsentLookup for ConsentIndex {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        let scope = match scope {
            ConsentScope::Purpose { purpose_id } => ScopeRef::Purpose(purpose_id),
            ConsentScope::Topic { topic_id } => ScopeRef::Topic(topic_id),
        };
        self.status_of(contact_point, channel, scope)
    }

    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        if channel != Channel::Voice {
            return None;
        }
        let (kind, id) = match scope {
            ScopeRef::Purpose(id) => (ScopeKind::Purpose, id),
            ScopeRef::Topic(id) => (ScopeKind::Topic, id),
        };
        self.by_number
            .get(contact_point)?
            .iter()
            .find(|(k, i, _)| *k == kind && i == id)
            .map(|(_, _, status)| *status)
    }
}

struct Case {
    contact: Contact,
    tile: usize,
    now: DateTime<Utc>,
}

fn tile(purpose: &str) -> VoiceConversationTile {
    VoiceConversationTile {
        id: "voice".to_owned(),
        name: "Call".to_owned(),
        engagement_id: Some("eng".to_owned()),
        send_to: Some(PhoneField::MobilePhone),
        compliance_profile_id: Some("cp-us-marketing".to_owned()),
        purpose_id: Some(purpose.to_owned()),
        topic_id: None,
        quiet_time: Some(QuietTimeOption::Inherit),
    }
}

fn cases(rng: &mut SplitMix64, consents: &mut ConsentIndex) -> Vec<Case> {
    let zones = chrono_tz::TZ_VARIANTS;
    let states = ["IL", "TX", "NY", "CA", "Texas", "WA"];
    let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("fixed instant")
        .with_timezone(&Utc);
    (0..BATCH)
        .map(|_| {
            let mut number = String::from("+1");
            for _ in 0..10 {
                number.push(char::from(b'0' + rng.below(10) as u8));
            }
            // One in 20 opted out, one in 20 never asked, the rest opted in.
            let status = match rng.below(20) {
                0 => Some(ConsentStatus::OptedOut),
                1 => None,
                _ => Some(ConsentStatus::OptedIn),
            };
            if let Some(status) = status {
                consents.by_number.insert(
                    number.clone(),
                    vec![
                        (ScopeKind::Purpose, "pur-promotions".to_owned(), status),
                        (ScopeKind::Purpose, "pur-service".to_owned(), status),
                    ],
                );
            }
            // One in 16 contacts has no zone (journey zone fallback).
            let zone = (rng.below(16) != 0).then(|| {
                zones[rng.below(zones.len() as u64) as usize]
                    .name()
                    .to_owned()
            });
            let contact = Contact {
                id: format!("c{}", rng.next()),
                mobile_phone: Some(format_display(&number)),
                time_zone: zone,
                country: Some("US".to_owned()),
                state_or_province: Some(states[rng.below(states.len() as u64) as usize].to_owned()),
                ..Contact::default()
            };
            Case {
                contact,
                tile: rng.below(2) as usize,
                now: start + Duration::seconds(rng.below(2 * 365 * 86_400) as i64),
            }
        })
        .collect()
}

/// "+1 (312) 555-0100", as entered in a CRM.
fn format_display(number: &str) -> String {
    let digits = &number[2..];
    format!("+1 ({}) {}-{}", &digits[..3], &digits[3..6], &digits[6..])
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_json(include_str!("../samples/catalog.json")).expect("sample");
    let tiles = [tile("pur-promotions"), tile("pur-service")];
    let mut rng = SplitMix64(0x5EED_0003);
    let mut consents = ConsentIndex::default();
    let cases = cases(&mut rng, &mut consents);

    // What the batch looks like, so the figures can be read.
    let (mut send, mut hold, mut block) = (0, 0, 0);
    for case in &cases {
        let ctx = context(case, &tiles, &consents, &catalog);
        match decide_call(&ctx, case.now) {
            Decision::Send { .. } => send += 1,
            Decision::Hold { .. } => hold += 1,
            Decision::Block { .. } => block += 1,
        }
    }
    eprintln!("batch of {BATCH}: {send} send, {hold} hold, {block} block");

    // `DECIDE_ROUNDS=N`: decide the batch N times and stop, for `perf stat` (cycles and
    // instructions per decision hardly move with other load on a shared machine).
    if let Some(rounds) = std::env::var("DECIDE_ROUNDS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
    {
        for _ in 0..rounds {
            for case in &cases {
                let ctx = context(case, &tiles, &consents, &catalog);
                black_box(decide_call(&ctx, black_box(case.now)));
            }
        }
        eprintln!("{} decisions", rounds * BATCH);
        std::process::exit(0);
    }
    cpu_time_per_decision(
        "all",
        &cases,
        &tiles,
        &consents,
        &catalog,
        SendWindows::Compute,
    );
    cpu_time_per_decision(
        "all, windows skipped",
        &cases,
        &tiles,
        &consents,
        &catalog,
        SendWindows::Skip,
    );
    for kind in ["send", "hold", "block"] {
        let subset: Vec<&Case> = cases
            .iter()
            .filter(|case| {
                let ctx = context(case, &tiles, &consents, &catalog);
                let decision = decide_call(&ctx, case.now);
                matches!(
                    (kind, decision),
                    ("send", Decision::Send { .. })
                        | ("hold", Decision::Hold { .. })
                        | ("block", Decision::Block { .. })
                )
            })
            .collect();
        cpu_time_per_decision(
            kind,
            &subset,
            &tiles,
            &consents,
            &catalog,
            SendWindows::Compute,
        );
    }

    let mut group = c.benchmark_group("decide_call");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("mixed_all_zones_tcpa", |b| {
        b.iter(|| {
            for case in &cases {
                let ctx = context(case, &tiles, &consents, &catalog);
                black_box(decide_call(&ctx, black_box(case.now)));
            }
        })
    });
    group.bench_function("mixed_all_zones_tcpa_skip_windows", |b| {
        b.iter(|| {
            for case in &cases {
                let ctx = context(case, &tiles, &consents, &catalog);
                black_box(decide_call_with(
                    &ctx,
                    black_box(case.now),
                    SendWindows::Skip,
                ));
            }
        })
    });
    group.finish();
}

/// This thread's CPU time in nanoseconds (`/proc/thread-self/schedstat`), so the figure is
/// per core even while other processes share the machine.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Decisions per CPU-second over about two CPU-seconds, printed next to criterion's
/// wall-clock figures.
fn cpu_time_per_decision<C: std::borrow::Borrow<Case>>(
    label: &str,
    cases: &[C],
    tiles: &[VoiceConversationTile; 2],
    consents: &ConsentIndex,
    catalog: &Catalog,
    windows: SendWindows,
) {
    let Some(start) = thread_cpu_ns() else {
        eprintln!("cpu time: /proc/thread-self/schedstat unavailable");
        return;
    };
    let mut decisions = 0u64;
    let mut spent = 0;
    while spent < 2_000_000_000 {
        for case in cases {
            let case = case.borrow();
            let ctx = context(case, tiles, consents, catalog);
            black_box(decide_call_with(&ctx, black_box(case.now), windows));
        }
        decisions += cases.len() as u64;
        spent = thread_cpu_ns().unwrap_or(u64::MAX).saturating_sub(start);
    }
    let per = spent as f64 / decisions as f64;
    eprintln!(
        "cpu time ({label}): {per:.0} ns per decision, {:.0} decisions per CPU-second \
         ({decisions} decisions)",
        1e9 / per
    );
}

fn context<'a>(
    case: &'a Case,
    tiles: &'a [VoiceConversationTile; 2],
    consents: &'a ConsentIndex,
    catalog: &'a Catalog,
) -> CallContext<'a> {
    CallContext {
        contact: &case.contact,
        consents,
        tile: &tiles[case.tile],
        catalog,
        journey_zone: "America/Chicago",
        horizon: Duration::days(7),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
