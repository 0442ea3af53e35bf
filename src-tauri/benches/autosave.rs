//! Autosave of a 1,000-tile draft: what one debounced save costs (serialise the document and
//! write it to SQLite in WAL mode). Criterion gives the median; a plain loop afterwards prints
//! the per-save distribution (p50/p95/p99), since the goal is on p95 (≤ 5 ms).
//!
//! Run: `cargo bench -p switchboard --bench autosave`

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group};

use journeys::document::{
    AttributeBranch, AttributeBranchTile, BranchSource, Condition, Connection, Duration as Span,
    DurationUnit, ExitTile, Interaction, Journey, MatchMode, Operator, PhoneField, Position,
    QuietTimeOption, Tile, Variable, VoiceConversationTile, WaitBranch, WaitForTriggerTile,
};
use switchboard_lib::ops;
use switchboard_lib::storage::Db;

/// A realistic journey: repeated call → wait (3 branches) → attribute branch → exit blocks.
fn journey(tiles: usize) -> Journey {
    let mut j = Journey::new("bench", "Autosave bench", "America/Chicago");
    let mut prev = "start".to_owned();
    let mut i = 0;
    while j.tiles.len() < tiles {
        let (v, w, a, x) = (
            format!("v{i}"),
            format!("w{i}"),
            format!("a{i}"),
            format!("x{i}"),
        );
        j.tiles.push(Tile::VoiceConversation(VoiceConversationTile {
            id: v.clone(),
            name: format!("Call {i}"),
            engagement_id: Some("eng-renewals-voice".into()),
            send_to: Some(PhoneField::MobilePhone),
            compliance_profile_id: Some("cp-us-marketing".into()),
            purpose_id: Some("pur-promotions".into()),
            topic_id: Some("top-renewal-offers".into()),
            quiet_time: Some(QuietTimeOption::Inherit),
        }));
        j.tiles.push(Tile::WaitForTrigger(WaitForTriggerTile {
            id: w.clone(),
            name: format!("Outcome {i}"),
            condition: Some(journeys::document::WaitCondition::PreviousMessage {
                tile_id: Some(v.clone()),
            }),
            branches: [
                Interaction::VoiceCallAttempted,
                Interaction::VoiceCallNotAttempted,
                Interaction::VoiceCallBlocked,
            ]
            .into_iter()
            .enumerate()
            .map(|(k, interaction)| WaitBranch {
                id: format!("b{k}"),
                name: String::new(),
                interaction: Some(interaction),
                conditions: Vec::new(),
            })
            .collect(),
            time_limit: Some(Span {
                amount: 7,
                unit: DurationUnit::Days,
            }),
        }));
        j.tiles.push(Tile::AttributeBranch(AttributeBranchTile {
            id: a.clone(),
            name: format!("Answered {i}"),
            source: Some(BranchSource::VoiceCall {
                tile_id: Some(v.clone()),
            }),
            branches: vec![AttributeBranch {
                id: "live".into(),
                name: "Live answer".into(),
                match_mode: MatchMode::All,
                conditions: vec![Condition {
                    variable: Some(Variable::Result),
                    operator: Some(Operator::Equals),
                    value: Some(serde_json::json!("LiveAnswer")),
                }],
            }],
        }));
        j.tiles.push(Tile::Exit(ExitTile {
            id: x.clone(),
            name: format!("Done {i}"),
        }));
        for (from, output, to) in [
            (prev.as_str(), "next", v.as_str()),
            (&v, "next", &w),
            (&w, "b0", &a),
            (&w, "other", &x),
            (&a, "other", &x),
        ] {
            j.connections.push(Connection {
                from: from.to_owned(),
                output: output.to_owned(),
                to: to.to_owned(),
            });
        }
        for (k, id) in [&v, &w, &a, &x].into_iter().enumerate() {
            j.layout.positions.insert(
                id.clone(),
                Position {
                    x: (k * 300) as f64,
                    y: (i * 250) as f64,
                },
            );
        }
        prev = a;
        i += 1;
    }
    j.tiles.truncate(tiles);
    j
}

fn setup() -> (tempfile::TempDir, Db, Journey) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(dir.path()).expect("database opens");
    let doc = journey(1000);
    db.insert_draft(&doc, "2026-01-01T00:00:00.000Z")
        .expect("draft inserted");
    (dir, db, doc)
}

fn autosave(c: &mut Criterion) {
    let (_dir, db, mut doc) = setup();
    let mut n = 0u64;
    c.bench_function("autosave 1000-tile draft", |b| {
        b.iter(|| {
            n += 1;
            doc.name = format!("Autosave bench {n}");
            ops::journeys::save_draft(&db, Utc::now(), &doc).expect("saved")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(100).measurement_time(Duration::from_secs(8));
    targets = autosave
}

fn distribution() {
    let (_dir, db, mut doc) = setup();
    let bytes = serde_json::to_string(&doc).map(|s| s.len()).unwrap_or(0);
    let mut times: Vec<Duration> = (0..2000)
        .map(|n| {
            doc.name = format!("Autosave bench {n}");
            let start = Instant::now();
            ops::journeys::save_draft(&db, Utc::now(), &doc).expect("saved");
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    eprintln!(
        "autosave 1000-tile draft ({} KiB JSON), 2000 saves: p50 {:.2?}  p95 {:.2?}  p99 {:.2?}  max {:.2?}",
        bytes / 1024,
        at(0.50),
        at(0.95),
        at(0.99),
        times[times.len() - 1]
    );
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    distribution();
}
