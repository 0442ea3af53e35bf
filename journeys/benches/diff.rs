//! The semantic diff of two versions of a 1,000-tile journey (issue 12: ≤ 5 ms).
//!
//! The journey is the validator benchmark's shape: a start, then patterns of voice → wait for
//! its interactions → attribute branch on the call (two branches, three conditions) → wait
//! time, then an exit. Cases:
//! - `identical`: the same version with every tile moved on the canvas (every field of every
//!   tile compared, no change found);
//! - `edited`: a realistic next version: one pattern in ten edited (time limit, a branch's
//!   match, quiet time), five tiles renamed, a new pattern inserted, one removed, and the
//!   whole layout moved;
//! - `everything_changed`: every voice, wait and branch tile changed (≈ 750 changes, each
//!   with its words);
//! - `parse_and_diff`: what `journeys diff` does for `edited`, from JSON text to changes.
//!
//! Run: `cargo bench -p journeys --bench diff`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use journeys::diff::diff;
use journeys::document::{
    AttributeBranch, AttributeBranchTile, BranchSource, Condition, Connection, Duration,
    DurationUnit, ExitTile, Frequency, Interaction, Journey, MatchMode, Operator, PhoneField,
    Position, QuietTimeOption, SegmentStart, StartCondition, StartTile, Tile, Variable,
    VoiceConversationTile, WaitBranch, WaitCondition, WaitForTriggerTile, WaitSpec, WaitTimeTile,
    parse_journey,
};

fn connect(journey: &mut Journey, from: &str, output: &str, to: &str) {
    journey.connections.push(Connection {
        from: from.to_owned(),
        output: output.to_owned(),
        to: to.to_owned(),
    });
}

fn condition(variable: Variable, operator: Operator, value: &str) -> Condition {
    Condition {
        variable: Some(variable),
        operator: Some(operator),
        value: Some(value.into()),
    }
}

/// The four tiles of pattern `k`, chained after `previous`; returns the last tile's id.
fn pattern(journey: &mut Journey, k: usize, previous: &str) -> String {
    let (voice, wait, branch, pause) = (
        format!("voice-{k}"),
        format!("wait-{k}"),
        format!("branch-{k}"),
        format!("pause-{k}"),
    );
    journey
        .tiles
        .push(Tile::VoiceConversation(VoiceConversationTile {
            id: voice.clone(),
            name: format!("Renewal call {k}"),
            engagement_id: Some("eng-renewals-voice".to_owned()),
            send_to: Some(PhoneField::MobilePhone),
            compliance_profile_id: Some("cp-us-marketing".to_owned()),
            purpose_id: Some("pur-promotions".to_owned()),
            topic_id: Some("top-renewal-offers".to_owned()),
            quiet_time: Some(QuietTimeOption::Inherit),
        }));
    journey.tiles.push(Tile::WaitForTrigger(WaitForTriggerTile {
        id: wait.clone(),
        name: format!("Call result {k}"),
        condition: Some(WaitCondition::PreviousMessage {
            tile_id: Some(voice.clone()),
        }),
        branches: [
            ("attempted", Interaction::VoiceCallAttempted),
            ("not-attempted", Interaction::VoiceCallNotAttempted),
            ("blocked", Interaction::VoiceCallBlocked),
        ]
        .into_iter()
        .map(|(id, interaction)| WaitBranch {
            id: id.to_owned(),
            name: interaction.label().to_owned(),
            interaction: Some(interaction),
            conditions: Vec::new(),
        })
        .collect(),
        time_limit: Some(Duration {
            amount: 7,
            unit: DurationUnit::Days,
        }),
    }));
    journey
        .tiles
        .push(Tile::AttributeBranch(AttributeBranchTile {
            id: branch.clone(),
            name: format!("Call outcome {k}"),
            source: Some(BranchSource::VoiceCall {
                tile_id: Some(voice.clone()),
            }),
            branches: vec![
                AttributeBranch {
                    id: "booked".to_owned(),
                    name: "Booked".to_owned(),
                    match_mode: MatchMode::All,
                    conditions: vec![
                        condition(Variable::Result, Operator::Equals, "LiveAnswer"),
                        condition(
                            Variable::EngagementVariable {
                                name: "Outcome".to_owned(),
                            },
                            Operator::Equals,
                            "Booked",
                        ),
                    ],
                },
                AttributeBranch {
                    id: "renewed".to_owned(),
                    name: "Renewed".to_owned(),
                    match_mode: MatchMode::Any,
                    conditions: vec![condition(
                        Variable::DispositionCodes,
                        Operator::Contains,
                        "Renewed",
                    )],
                },
            ],
        }));
    journey.tiles.push(Tile::WaitTime(WaitTimeTile {
        id: pause.clone(),
        name: format!("Pause {k}"),
        wait: Some(WaitSpec::Duration(Duration {
            amount: 2,
            unit: DurationUnit::Hours,
        })),
    }));
    connect(journey, previous, "next", &voice);
    connect(journey, &voice, "next", &wait);
    connect(journey, &wait, "attempted", &branch);
    for output in ["not-attempted", "blocked", "other"] {
        connect(journey, &wait, output, &pause);
    }
    for output in ["booked", "renewed", "other"] {
        connect(journey, &branch, output, &pause);
    }
    pause
}

/// A journey of `tiles` tiles: start, patterns, exit, laid out left to right.
fn generate(tiles: usize) -> Journey {
    let mut journey = Journey::new("bench", "Benchmark journey", "America/Chicago");
    journey.tiles[0] = Tile::Start(StartTile {
        id: "start".to_owned(),
        name: "Start".to_owned(),
        start: Some(StartCondition::Segment(SegmentStart {
            segment_ids: vec!["seg-renewals-due".to_owned()],
            frequency: Frequency::Once,
            start_at: "2026-12-01T15:00:00Z".parse().ok(),
            end_at: None,
        })),
    });
    let mut previous = "start".to_owned();
    for k in 0..tiles.saturating_sub(2) / 4 {
        previous = pattern(&mut journey, k, &previous);
    }
    journey.tiles.push(Tile::Exit(ExitTile {
        id: "exit".to_owned(),
        name: "Done".to_owned(),
    }));
    connect(&mut journey, &previous, "next", "exit");
    for (i, tile) in journey.tiles.iter().enumerate() {
        let (x, y) = (300.0 * i as f64, 150.0 * (i % 3) as f64);
        journey
            .layout
            .positions
            .insert(tile.id().to_owned(), Position { x, y });
    }
    journey
}

fn move_layout(journey: &mut Journey) {
    for position in journey.layout.positions.values_mut() {
        position.x += 40.0;
        position.y -= 25.0;
    }
}

/// Change the voice, wait and branch tiles of pattern `k`.
fn edit_pattern(journey: &mut Journey, k: usize) {
    for tile in &mut journey.tiles {
        match tile {
            Tile::VoiceConversation(v) if v.id == format!("voice-{k}") => {
                v.quiet_time = Some(QuietTimeOption::None);
            }
            Tile::WaitForTrigger(w) if w.id == format!("wait-{k}") => {
                w.time_limit = Some(Duration {
                    amount: 3,
                    unit: DurationUnit::Days,
                });
            }
            Tile::AttributeBranch(a) if a.id == format!("branch-{k}") => {
                a.branches[0].match_mode = MatchMode::Any;
            }
            _ => {}
        }
    }
}

/// The next version of `v1`: edits, renames, a pattern inserted and one removed, layout moved.
fn next_version(v1: &Journey) -> Journey {
    let mut v2 = v1.clone();
    let patterns = (v1.tiles.len() - 2) / 4;
    for k in (0..patterns).step_by(10) {
        edit_pattern(&mut v2, k);
    }
    for tile in v2.tiles.iter_mut().skip(3).step_by(200) {
        if let Tile::WaitTime(w) = tile {
            w.name.push_str(" (renamed)");
        }
    }
    // Remove pattern 100 (re-linking around it) and insert a new one after pattern 200.
    let gone = ["voice-100", "wait-100", "branch-100", "pause-100"];
    v2.tiles.retain(|t| !gone.contains(&t.id()));
    v2.connections
        .retain(|c| !gone.contains(&c.from.as_str()) && c.to != "voice-100");
    connect(&mut v2, "pause-99", "next", "voice-101");
    let after = v2
        .connections
        .iter()
        .position(|c| c.from == "pause-200")
        .expect("pattern 200 exists");
    v2.connections.remove(after);
    let end = pattern(&mut v2, 9_999, "pause-200");
    connect(&mut v2, &end, "next", "voice-201");
    move_layout(&mut v2);
    v2
}

fn bench(c: &mut Criterion) {
    // 250 patterns of four tiles, a start and an exit.
    let v1 = generate(1_002);
    let mut moved = v1.clone();
    move_layout(&mut moved);
    let v2 = next_version(&v1);
    let mut everything = v1.clone();
    for k in 0..(v1.tiles.len() - 2) / 4 {
        edit_pattern(&mut everything, k);
    }
    assert_eq!(v1.tiles.len(), 1_002);
    assert!(diff(&v1, &moved).is_empty());
    let edited = diff(&v1, &v2);
    let all = diff(&v1, &everything);
    println!(
        "edited: {} changes, everything_changed: {} changes",
        edited.changes.len(),
        all.changes.len()
    );
    assert!(edited.changes.len() > 80 && all.changes.len() == 750);

    let mut group = c.benchmark_group("diff_1000_tiles");
    for (name, new) in [
        ("identical", &moved),
        ("edited", &v2),
        ("everything_changed", &everything),
    ] {
        group.bench_with_input(BenchmarkId::new(name, 1_000), new, |b, new| {
            b.iter_with_large_drop(|| diff(&v1, new));
        });
    }
    let (old_text, new_text) = (
        serde_json::to_string(&v1).expect("serializes"),
        serde_json::to_string(&v2).expect("serializes"),
    );
    group.bench_function(BenchmarkId::new("parse_and_diff", 1_000), |b| {
        b.iter_with_large_drop(|| {
            let old = parse_journey(&old_text).expect("parses");
            let new = parse_journey(&new_text).expect("parses");
            diff(&old, &new)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
