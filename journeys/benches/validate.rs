//! Parse + validate of realistic journeys at 100, 1,000 and 10,000 tiles.
//!
//! Each journey is a chain of the prescribed pattern (voice → wait for its interactions →
//! attribute branch on the call) whose branches merge on a wait time that leads to the
//! next pattern. Goal (issue 2): 10,000 tiles ≤ 5 ms, 10k / 1k ≤ 12×.
//!
//! Run: `cargo bench -p journeys --bench validate`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use journeys::catalog::Catalog;
use journeys::document::{
    AttributeBranch, AttributeBranchTile, BranchSource, Condition, Connection, Duration,
    DurationUnit, ExitTile, Frequency, Interaction, Journey, MatchMode, Operator, PhoneField,
    Position, QuietTimeOption, SegmentStart, StartCondition, StartTile, Tile, Variable,
    VoiceConversationTile, WaitBranch, WaitCondition, WaitForTriggerTile, WaitSpec, WaitTimeTile,
    parse_journey,
};
use journeys::validate::validate;

fn connect(journey: &mut Journey, from: &str, output: &str, to: &str) {
    journey.connections.push(Connection {
        from: from.to_owned(),
        output: output.to_owned(),
        to: to.to_owned(),
    });
}

fn condition(variable: Variable, operator: Operator, value: serde_json::Value) -> Condition {
    Condition {
        variable: Some(variable),
        operator: Some(operator),
        value: Some(value),
    }
}

/// A journey of about `tiles` tiles: start, then patterns of 4 tiles, then an exit.
fn generate(tiles: usize) -> String {
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
    let patterns = tiles.saturating_sub(2) / 4;
    for k in 0..patterns {
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
            name: "Call result".to_owned(),
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
            // A week, as the samples use: long enough to outlast any quiet-time stretch of the
            // sample catalog, so the journey is valid without warnings.
            time_limit: Some(Duration {
                amount: 7,
                unit: DurationUnit::Days,
            }),
        }));
        journey
            .tiles
            .push(Tile::AttributeBranch(AttributeBranchTile {
                id: branch.clone(),
                name: "Call outcome".to_owned(),
                source: Some(BranchSource::VoiceCall {
                    tile_id: Some(voice.clone()),
                }),
                branches: vec![
                    AttributeBranch {
                        id: "booked".to_owned(),
                        name: "Booked".to_owned(),
                        match_mode: MatchMode::All,
                        conditions: vec![
                            condition(Variable::Result, Operator::Equals, "LiveAnswer".into()),
                            condition(
                                Variable::EngagementVariable {
                                    name: "Outcome".to_owned(),
                                },
                                Operator::Equals,
                                "Booked".into(),
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
                            "Renewed".into(),
                        )],
                    },
                ],
            }));
        journey.tiles.push(Tile::WaitTime(WaitTimeTile {
            id: pause.clone(),
            name: "Pause".to_owned(),
            wait: Some(WaitSpec::Duration(Duration {
                amount: 2,
                unit: DurationUnit::Hours,
            })),
        }));
        connect(&mut journey, &previous, "next", &voice);
        connect(&mut journey, &voice, "next", &wait);
        connect(&mut journey, &wait, "attempted", &branch);
        for output in ["not-attempted", "blocked", "other"] {
            connect(&mut journey, &wait, output, &pause);
        }
        for output in ["booked", "renewed", "other"] {
            connect(&mut journey, &branch, output, &pause);
        }
        previous = pause;
    }
    journey.tiles.push(Tile::Exit(ExitTile {
        id: "exit".to_owned(),
        name: "Done".to_owned(),
    }));
    connect(&mut journey, &previous, "next", "exit");
    for (i, tile) in journey.tiles.iter().enumerate() {
        journey.layout.positions.insert(
            tile.id().to_owned(),
            Position {
                x: 300.0 * i as f64,
                y: 150.0 * (i % 3) as f64,
            },
        );
    }
    serde_json::to_string(&journey).expect("a generated journey serializes")
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_json(include_str!("../samples/catalog.json"))
        .expect("the sample catalog parses");
    let mut group = c.benchmark_group("parse_and_validate");
    for tiles in [100, 1_000, 10_000] {
        let text = generate(tiles);
        let journey = parse_journey(&text).expect("the generated journey parses");
        let diagnostics = validate(&journey, &catalog);
        // Valid, and clean but for one warning on long chains: thousands of calls a week
        // apart add up to more than the 365 days a contact's run may last.
        assert!(
            diagnostics
                .iter()
                .all(|d| d.code == journeys::validate::Code::GraphWaitsOverAYear),
            "the generated journey is valid and clean: {diagnostics:?}"
        );
        group.throughput(Throughput::Elements(journey.tiles.len() as u64));
        // Freeing the journey is left out of the timing (`iter_with_large_drop`): what is
        // measured is reading and checking it.
        group.bench_with_input(BenchmarkId::new("tiles", tiles), &text, |b, text| {
            b.iter_with_large_drop(|| {
                let journey = parse_journey(text).expect("parses");
                let diagnostics = validate(&journey, &catalog);
                (journey, diagnostics)
            });
        });
        group.bench_with_input(
            BenchmarkId::new("validate_only", tiles),
            &journey,
            |b, journey| b.iter(|| validate(journey, &catalog)),
        );
        group.bench_with_input(BenchmarkId::new("parse_only", tiles), &text, |b, text| {
            b.iter_with_large_drop(|| parse_journey(text).expect("parses"));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
