//! Properties: a document compared with itself has no changes, a layout change is no change,
//! and one field changed at random is named — and only it — by tile and field path.

use proptest::prelude::*;

use super::*;
use crate::document::{
    Duration, DurationUnit, MatchMode, PhoneField, Position, QuietTimeOption, StartCondition,
    WaitSpec, parse_journey,
};

fn samples() -> Vec<Journey> {
    [
        include_str!("../../samples/renewal-calls.journey.json"),
        include_str!("../../samples/appointment-reminders.journey.json"),
        include_str!("../../samples/payment-follow-up.journey.json"),
    ]
    .into_iter()
    .map(|text| parse_journey(text).unwrap())
    .collect()
}

/// Where a mutation is expected to show: the tile (none for the journey) and field path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    subject: ChangeSubject,
    tile: Option<String>,
    field: String,
}

fn on_tile(tile: &str, field: impl Into<String>) -> Option<Expected> {
    Some(Expected {
        subject: ChangeSubject::Tile,
        tile: Some(tile.to_owned()),
        field: field.into(),
    })
}

/// Change one field, picked by `what` and `k`, to something made of `text` and `n`.
/// `None` when the journey has nothing of that kind.
fn mutate(j: &mut Journey, what: u8, k: usize, text: &str, n: i32) -> Option<Expected> {
    let count = j.tiles.len();
    let tile = &mut j.tiles[k % count];
    let id = tile.id().to_owned();
    match what {
        0 => {
            j.name = text.to_owned();
            Some(Expected {
                subject: ChangeSubject::Journey,
                tile: None,
                field: "name".into(),
            })
        }
        1 => {
            j.time_zone = ["America/New_York", "Europe/Paris", "Asia/Tokyo", ""][k % 4].to_owned();
            Some(Expected {
                subject: ChangeSubject::Journey,
                tile: None,
                field: "timeZone".into(),
            })
        }
        2 => {
            match tile {
                Tile::Start(t) => t.name = text.to_owned(),
                Tile::VoiceConversation(t) => t.name = text.to_owned(),
                Tile::WaitForTrigger(t) => t.name = text.to_owned(),
                Tile::AttributeBranch(t) => t.name = text.to_owned(),
                Tile::WaitTime(t) => t.name = text.to_owned(),
                Tile::Exit(t) => t.name = text.to_owned(),
            }
            on_tile(&id, "name")
        }
        3 => match tile {
            Tile::VoiceConversation(v) => match n.rem_euclid(6) {
                0 => {
                    v.engagement_id = Some(text.to_owned());
                    on_tile(&id, "engagementId")
                }
                1 => {
                    v.send_to = Some(PhoneField::ALL[k % 3]);
                    on_tile(&id, "sendTo")
                }
                2 => {
                    v.compliance_profile_id = Some(text.to_owned());
                    on_tile(&id, "complianceProfileId")
                }
                3 => {
                    v.purpose_id = Some(text.to_owned());
                    on_tile(&id, "purposeId")
                }
                4 => {
                    v.topic_id = (!text.is_empty()).then(|| text.to_owned());
                    on_tile(&id, "topicId")
                }
                _ => {
                    v.quiet_time = Some(match k % 3 {
                        0 => QuietTimeOption::Inherit,
                        1 => QuietTimeOption::None,
                        _ => QuietTimeOption::Override {
                            setting_id: Some(text.to_owned()),
                        },
                    });
                    on_tile(&id, "quietTime")
                }
            },
            Tile::WaitForTrigger(w) => {
                w.time_limit = Some(Duration {
                    amount: n,
                    unit: DurationUnit::Hours,
                });
                on_tile(&id, "timeLimit")
            }
            Tile::WaitTime(w) => {
                w.wait = Some(WaitSpec::Duration(Duration {
                    amount: n,
                    unit: DurationUnit::Minutes,
                }));
                on_tile(&id, "wait")
            }
            Tile::Start(s) => match s.start.as_mut() {
                Some(StartCondition::Segment(seg)) => {
                    seg.start_at =
                        chrono::DateTime::from_timestamp(1_800_000_000 + i64::from(n), 0);
                    on_tile(&id, "start.startAt")
                }
                Some(StartCondition::Trigger(t)) => {
                    t.trigger_name = Some(text.to_owned());
                    on_tile(&id, "start.triggerName")
                }
                None => None,
            },
            _ => None,
        },
        4 => match tile {
            Tile::AttributeBranch(a) if !a.branches.is_empty() => {
                let b = k % a.branches.len();
                let branch = &mut a.branches[b];
                if n % 2 == 0 && !branch.conditions.is_empty() {
                    branch.conditions[0].value = Some(serde_json::Value::from(text));
                    on_tile(&id, format!("branches.{b}.conditions"))
                } else {
                    branch.match_mode = match branch.match_mode {
                        MatchMode::All => MatchMode::Any,
                        MatchMode::Any => MatchMode::All,
                    };
                    on_tile(&id, format!("branches.{b}.match"))
                }
            }
            Tile::WaitForTrigger(w) if !w.branches.is_empty() => {
                let b = k % w.branches.len();
                w.branches[b].name = text.to_owned();
                on_tile(&id, format!("branches.{b}.name"))
            }
            _ => None,
        },
        _ => {
            if j.connections.is_empty() {
                return None;
            }
            let c = k % j.connections.len();
            let target = j.tiles[usize::try_from(n.unsigned_abs()).unwrap_or(0) % count]
                .id()
                .to_owned();
            let connection = &mut j.connections[c];
            connection.to = target;
            Some(Expected {
                subject: ChangeSubject::Connection,
                tile: Some(connection.from.clone()),
                field: connection.output.clone(),
            })
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn one_changed_field_is_named_and_nothing_else(
        sample in 0usize..3,
        what in 0u8..6,
        k in 0usize..64,
        text in "[A-Za-z ]{0,12}",
        n in 1i32..500,
    ) {
        let base = samples().swap_remove(sample);
        let mut changed = base.clone();
        let expected = mutate(&mut changed, what, k, &text, n);
        prop_assume!(expected.is_some());
        let found = diff(&base, &changed);
        // The same document again (what was set was already there): no change.
        prop_assume!(changed != base);
        prop_assert_eq!(found.changes.len(), 1, "{:?}", found.sentences());
        let change = &found.changes[0];
        prop_assert_eq!(
            Some(Expected {
                subject: change.subject,
                tile: change.tile_id.clone(),
                field: change.field.clone().unwrap_or_default(),
            }),
            expected
        );
        prop_assert!(!change.sentence.is_empty());
        prop_assert!(diff(&changed, &changed).is_empty());
        // And back: the reverse diff names the same place.
        let back = diff(&changed, &base);
        prop_assert_eq!(back.changes.len(), 1);
        prop_assert_eq!(&back.changes[0].field, &change.field);
    }

    #[test]
    fn several_changed_fields_are_each_named_and_nothing_else(
        sample in 0usize..3,
        edits in proptest::collection::vec(
            (0u8..6, 0usize..64, "[A-Za-z ]{0,12}", 1i32..500),
            2..6,
        ),
    ) {
        let base = samples().swap_remove(sample);
        let mut changed = base.clone();
        let mut expected = Vec::new();
        for (what, k, text, n) in &edits {
            let before = changed.clone();
            let Some(place) = mutate(&mut changed, *what, *k, text, *n) else {
                continue;
            };
            if changed != before {
                expected.push(place);
            }
        }
        expected.sort();
        let distinct = expected.len();
        expected.dedup();
        // Two edits of one field: the later one may undo the earlier, so only distinct places.
        prop_assume!(distinct == expected.len() && !expected.is_empty());
        // A branch whose conditions and match both changed is one change of what it matches.
        let both: Vec<Expected> = expected
            .iter()
            .filter(|e| e.field.ends_with(".conditions"))
            .map(|e| Expected {
                field: e.field.replace(".conditions", ".match"),
                ..e.clone()
            })
            .collect();
        expected.retain(|e| !both.contains(e));
        let mut found: Vec<Expected> = diff(&base, &changed)
            .changes
            .iter()
            .map(|c| Expected {
                subject: c.subject,
                tile: c.tile_id.clone(),
                field: c.field.clone().unwrap_or_default(),
            })
            .collect();
        found.sort();
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn layout_changes_are_no_changes(
        sample in 0usize..3,
        dx in -500.0f64..500.0,
        dy in -500.0f64..500.0,
        drop in any::<bool>(),
    ) {
        let base = samples().swap_remove(sample);
        let mut moved = base.clone();
        for position in moved.layout.positions.values_mut() {
            *position = Position { x: position.x + dx, y: position.y + dy };
        }
        if drop {
            moved.layout.positions.clear();
        }
        prop_assert!(diff(&base, &moved).is_empty());
    }
}
