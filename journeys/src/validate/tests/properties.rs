//! Properties over generated journeys.

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::outline::outline;

const SAMPLES: [&str; 4] = [
    include_str!("../../../samples/renewal-calls.journey.json"),
    include_str!("../../../samples/appointment-reminders.journey.json"),
    include_str!("../../../samples/invalid-graph-loop.journey.json"),
    include_str!("../../../samples/invalid-branch-conditions.journey.json"),
];

/// Parse, and when that works validate (with and without a clock) and outline: nothing
/// may panic, and validation is deterministic and sorted.
fn exercise(text: &str) {
    let Ok(journey) = parse_journey(text) else {
        return;
    };
    let catalog = catalog();
    let first = validate(&journey, &catalog);
    assert_eq!(first, validate(&journey, &catalog));
    let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
    let _ = validate_at(&journey, &catalog, now);
    let _ = outline(&journey);
    for d in &first {
        assert_eq!(d.severity, d.code.severity());
    }
}

/// Every JSON pointer in a value.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(1e300)),
        Just(json!("")),
        Just(json!("start")),
        Just(json!("other")),
        Just(json!("call-renewal")),
        Just(json!("exit-done")),
        Just(json!([])),
        Just(json!({})),
        Just(json!({"kind": "voiceCall"})),
        Just(json!({"type": "exit", "id": "start"})),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-z-]{0,12}".prop_map(Value::String),
    ]
}

fn tile_strategy() -> impl Strategy<Value = Tile> {
    let id = "[a-e]";
    let opt_id = proptest::option::of("[a-e]|call");
    prop_oneof![
        id.prop_map(|id| Tile::Start(StartTile {
            id,
            name: String::new(),
            start: None
        })),
        (id, opt_id.clone(), proptest::option::of(0..3usize)).prop_map(|(id, eng, q)| {
            Tile::VoiceConversation(VoiceConversationTile {
                id,
                name: String::new(),
                engagement_id: eng.map(|_| "eng-renewals-voice".to_owned()),
                send_to: Some(PhoneField::MobilePhone),
                compliance_profile_id: Some("cp-us-marketing".to_owned()),
                purpose_id: Some("pur-promotions".to_owned()),
                topic_id: None,
                quiet_time: q.map(|q| match q {
                    0 => QuietTimeOption::Inherit,
                    1 => QuietTimeOption::None,
                    _ => QuietTimeOption::Override { setting_id: None },
                }),
            })
        }),
        (
            id,
            opt_id.clone(),
            proptest::collection::vec(0..4u8, 0..4),
            -2..200i32
        )
            .prop_map(|(id, watched, branches, limit)| {
                Tile::WaitForTrigger(WaitForTriggerTile {
                    id,
                    name: String::new(),
                    condition: Some(WaitCondition::PreviousMessage { tile_id: watched }),
                    branches: branches
                        .into_iter()
                        .enumerate()
                        .map(|(k, i)| WaitBranch {
                            id: format!("b{k}"),
                            name: String::new(),
                            interaction: match i {
                                0 => Some(Interaction::VoiceCallAttempted),
                                1 => Some(Interaction::VoiceCallNotAttempted),
                                2 => Some(Interaction::VoiceCallBlocked),
                                _ => None,
                            },
                            conditions: Vec::new(),
                        })
                        .collect(),
                    time_limit: Some(Duration {
                        amount: limit,
                        unit: DurationUnit::Days,
                    }),
                })
            }),
        (id, opt_id, 0..4usize, any::<bool>()).prop_map(|(id, source, n, blocked)| {
            Tile::AttributeBranch(AttributeBranchTile {
                id,
                name: String::new(),
                source: Some(if blocked {
                    BranchSource::VoiceCallBlocked { tile_id: source }
                } else {
                    BranchSource::VoiceCall { tile_id: source }
                }),
                branches: (0..n)
                    .map(|k| AttributeBranch {
                        id: format!("b{k}"),
                        name: String::new(),
                        match_mode: MatchMode::All,
                        conditions: vec![condition(
                            Variable::Result,
                            Operator::Equals,
                            Some(json!("LiveAnswer")),
                        )],
                    })
                    .collect(),
            })
        }),
        (id, -5..200i32).prop_map(|(id, amount)| pause(&id, amount, DurationUnit::Days)),
        id.prop_map(|id| exit(&id)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        exercise(&text);
    }

    #[test]
    fn byte_mutations_of_samples_never_panic(
        sample in 0..SAMPLES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<char>()), 1..6),
    ) {
        let mut text: Vec<char> = SAMPLES[sample].chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(text.len());
            match kind {
                0 => { text.remove(i); }
                1 => text.insert(i, c),
                _ => text[i] = c,
            }
        }
        exercise(&text.into_iter().collect::<String>());
    }

    #[test]
    fn value_mutations_of_samples_never_panic(
        sample in 0..SAMPLES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), replacement()), 1..5),
    ) {
        let mut value: Value = serde_json::from_str(SAMPLES[sample]).unwrap();
        for (at, replacement) in edits {
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            let pointer = &all[at.index(all.len())];
            if pointer.is_empty() {
                continue;
            }
            if let Some(slot) = value.pointer_mut(pointer) {
                *slot = replacement;
            }
        }
        exercise(&value.to_string());
    }

    #[test]
    fn random_graphs_never_panic(
        tiles in proptest::collection::vec(tile_strategy(), 0..10),
        connections in proptest::collection::vec(("[a-e]|start|x", "next|other|b0|b1|b2", "[a-e]|start|x"), 0..16),
    ) {
        let mut journey = Journey::new("j", "Random", "America/Chicago");
        journey.tiles.extend(tiles);
        journey.connections = connections
            .into_iter()
            .map(|(from, output, to)| Connection { from, output, to })
            .collect();
        exercise(&serde_json::to_string(&journey).unwrap());
    }
}
