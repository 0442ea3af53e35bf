//! Every tile kind and field, changed one at a time on the renewal sample: the words
//! (snapshots) and where each change says it is.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::catalog::Catalog;
use crate::document::{
    AttributeBranch, BranchSource, Duration, DurationUnit, ExitTile, Frequency, Interaction,
    MatchMode, Operator, PhoneField, QuietTimeOption, RepeatUnit, StartCondition, TriggerStart,
    Variable, WaitBranch, WaitCondition, WaitSpec, parse_journey,
};

use super::test_support::*;

#[test]
fn a_document_and_itself_and_a_moved_layout_have_no_changes() {
    let base = renewal();
    assert!(diff(&base, &base).is_empty());
    let mut moved = base.clone();
    for position in moved.layout.positions.values_mut() {
        position.x += 40.0;
    }
    moved.layout.positions.clear();
    moved.tiles.reverse();
    moved.connections.reverse();
    assert!(diff(&base, &moved).is_empty(), "{:?}", diff(&base, &moved));
}

#[test]
fn journey_fields() {
    let mutations: &[Mutation] = &[
        ("name", |j| j.name = "Renewal calls 2027".into()),
        ("empty name", |j| j.name.clear()),
        ("id", |j| j.id = "renewals-2027".into()),
        ("audience", |j| j.audience = crate::document::Audience::Lead),
        ("time zone", |j| j.time_zone = "America/New_York".into()),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn start_tile_fields() {
    let mutations: &[Mutation] = &[
        ("name", |j| {
            if let Tile::Start(s) = tile(j, "start") {
                s.name = "Renewals due in 14 days".into();
            }
        }),
        ("segments", |j| {
            segment(j).segment_ids.push("seg-vip".into())
        }),
        ("schedule repeats", |j| {
            segment(j).frequency = Frequency::Repeat {
                every: 2,
                unit: RepeatUnit::Weeks,
            };
        }),
        ("schedule admits joiners", |j| {
            segment(j).frequency = Frequency::OnceAdmittingJoiners;
        }),
        ("start time", |j| {
            segment(j).start_at = Some(Utc.with_ymd_and_hms(2026, 12, 8, 15, 0, 0).unwrap());
        }),
        ("start time by seconds", |j| {
            segment(j).start_at = Some(Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 30).unwrap());
        }),
        ("end time", |j| {
            segment(j).end_at = Some(Utc.with_ymd_and_hms(2027, 1, 31, 23, 0, 0).unwrap());
        }),
        ("start kind", |j| {
            if let Tile::Start(s) = tile(j, "start") {
                s.start = Some(StartCondition::Trigger(TriggerStart {
                    trigger_name: Some("renewalDue".into()),
                    conditions: Vec::new(),
                    start_at: None,
                    end_at: None,
                }));
            }
        }),
        ("start cleared", |j| {
            if let Tile::Start(s) = tile(j, "start") {
                s.start = None;
            }
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

/// The sample with a trigger start, to change the trigger's own fields.
#[test]
fn trigger_start_fields() {
    let mutations: &[Mutation] = &[
        ("trigger", |j| {
            trigger(j).trigger_name = Some("policyLapsing".into());
        }),
        ("trigger conditions", |j| {
            trigger(j).conditions.push(cond(
                Variable::Attribute {
                    name: "state".into(),
                },
                Operator::NotEquals,
                "TX",
            ));
        }),
        ("start time cleared", |j| trigger(j).start_at = None),
        ("end time", |j| {
            trigger(j).end_at = Some(Utc.with_ymd_and_hms(2027, 6, 30, 5, 0, 0).unwrap());
        }),
    ];
    insta::assert_snapshot!(report(&trigger_started(), mutations));
}

#[test]
fn voice_conversation_fields() {
    let mutations: &[Mutation] = &[
        ("name", |j| {
            voice(j, "call-renewal").name = "First call".into()
        }),
        ("conversation", |j| {
            voice(j, "call-renewal").engagement_id = Some("eng-retention-voice".into());
        }),
        ("send to", |j| {
            voice(j, "call-renewal").send_to = Some(PhoneField::HomePhone);
        }),
        ("compliance profile", |j| {
            voice(j, "call-renewal").compliance_profile_id = Some("cp-us-service".into());
        }),
        ("purpose", |j| {
            voice(j, "call-renewal").purpose_id = Some("pur-service".into());
        }),
        ("topic cleared", |j| {
            voice(j, "call-renewal").topic_id = None
        }),
        ("quiet time don't apply", |j| {
            voice(j, "call-renewal").quiet_time = Some(QuietTimeOption::None);
        }),
        ("quiet time another setting", |j| {
            voice(j, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
                setting_id: Some("qt-strict".into()),
            });
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn voice_conversation_fields_named_from_the_catalog() {
    let catalog = Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap();
    let mutations: &[Mutation] = &[
        ("conversation", |j| {
            voice(j, "call-renewal").engagement_id = Some("eng-winback-progressive".into());
        }),
        ("conversation unknown to the catalog", |j| {
            voice(j, "call-renewal").engagement_id = Some("eng-gone".into());
        }),
        ("purpose", |j| {
            voice(j, "call-renewal").purpose_id = Some("pur-service".into());
        }),
        ("topic cleared", |j| {
            voice(j, "call-renewal").topic_id = None
        }),
        ("quiet time another setting", |j| {
            voice(j, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
                setting_id: Some("qt-us-tcpa".into()),
            });
        }),
    ];
    insta::assert_snapshot!(report_with(&renewal(), &catalog, mutations));
}

#[test]
fn wait_for_trigger_fields() {
    let mutations: &[Mutation] = &[
        ("time limit", |j| {
            wait(j, "wait-call").time_limit = Some(Duration {
                amount: 3,
                unit: DurationUnit::Days,
            });
        }),
        ("time limit cleared", |j| {
            wait(j, "wait-call").time_limit = None
        }),
        ("waits for another tile", |j| {
            wait(j, "wait-call").condition = Some(WaitCondition::PreviousMessage {
                tile_id: Some("call-retry".into()),
            });
        }),
        ("waits for a trigger", |j| {
            wait(j, "wait-call").condition = Some(WaitCondition::Trigger {
                trigger_name: Some("policyRenewed".into()),
            });
        }),
        ("branch renamed", |j| {
            wait(j, "wait-call").branches[0].name = "Dialled".into();
        }),
        ("branch interaction", |j| {
            wait(j, "wait-call").branches[1].interaction = Some(Interaction::VoiceCallBlocked);
        }),
        ("branch conditions", |j| {
            wait(j, "wait-call").branches[0].conditions.push(cond(
                Variable::Attribute {
                    name: "channel".into(),
                },
                Operator::Equals,
                "phone",
            ));
        }),
        ("branch added", |j| {
            wait(j, "wait-call").branches.push(WaitBranch {
                id: "again".into(),
                name: "Again".into(),
                interaction: Some(Interaction::VoiceCallAttempted),
                conditions: Vec::new(),
            });
        }),
        ("branch removed", |j| {
            wait(j, "wait-call").branches.remove(2);
        }),
        ("branches reordered", |j| {
            wait(j, "wait-call").branches.swap(0, 1)
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn attribute_branch_fields() {
    let mutations: &[Mutation] = &[
        ("branch on", |j| {
            branch(j, "call-outcome").source = Some(BranchSource::Contact);
        }),
        ("branch on another call", |j| {
            branch(j, "call-outcome").source = Some(BranchSource::VoiceCall {
                tile_id: Some("call-retry".into()),
            });
        }),
        ("branch matches any", |j| {
            branch(j, "call-outcome").branches[0].match_mode = MatchMode::Any;
        }),
        ("one-condition branch matches any", |j| {
            branch(j, "call-outcome").branches[1].match_mode = MatchMode::Any;
        }),
        ("branch condition value", |j| {
            branch(j, "call-outcome").branches[0].conditions[1].value =
                Some(serde_json::Value::from("Callback"));
        }),
        ("branch condition operator", |j| {
            branch(j, "call-outcome").branches[1].conditions[0].operator =
                Some(Operator::DoesNotContain);
        }),
        ("branch renamed", |j| {
            branch(j, "call-outcome").branches[2].name = "Answering machine".into();
        }),
        ("branch added", |j| {
            branch(j, "call-outcome").branches.push(AttributeBranch {
                id: "busy".into(),
                name: "Busy".into(),
                match_mode: MatchMode::All,
                conditions: vec![cond(Variable::Result, Operator::Equals, "Busy")],
            });
        }),
        ("branch removed", |j| {
            branch(j, "call-outcome").branches.remove(1);
        }),
        ("branches reordered", |j| {
            branch(j, "call-outcome").branches.swap(0, 2);
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn wait_time_and_exit_fields() {
    let mutations: &[Mutation] = &[
        ("duration", |j| {
            wait_time(j, "wait-retry").wait = Some(WaitSpec::Duration(Duration {
                amount: 1,
                unit: DurationUnit::Weeks,
            }));
        }),
        ("until", |j| {
            wait_time(j, "wait-retry").wait = Some(WaitSpec::Until {
                local: NaiveDate::from_ymd_opt(2026, 12, 14)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
            });
        }),
        ("cleared", |j| wait_time(j, "wait-retry").wait = None),
        ("exit renamed", |j| {
            if let Tile::Exit(e) = tile(j, "exit-done") {
                e.name = "Finished".into();
            }
        }),
        ("exit name cleared", |j| {
            if let Tile::Exit(e) = tile(j, "exit-done") {
                e.name.clear();
            }
        }),
        ("kind changed", |j| {
            *tile(j, "wait-fallback") = Tile::Exit(ExitTile {
                id: "wait-fallback".into(),
                name: "Wait 1 day".into(),
            });
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn tiles_and_connections_added_removed_and_rewired() {
    let mutations: &[Mutation] = &[
        ("tile added and connected", |j| {
            j.tiles.push(Tile::Exit(ExitTile {
                id: "exit-voicemail".into(),
                name: "Left a voicemail".into(),
            }));
            j.connections
                .iter_mut()
                .find(|c| c.from == "call-outcome" && c.output == "voicemail")
                .unwrap()
                .to = "exit-voicemail".into();
        }),
        ("tile removed with its connections", |j| {
            j.tiles.retain(|t| t.id() != "why-blocked");
            j.connections
                .retain(|c| c.from != "why-blocked" && c.to != "why-blocked");
        }),
        ("unnamed tile added", |j| {
            j.tiles.push(Tile::Exit(ExitTile {
                id: "exit-2".into(),
                name: String::new(),
            }));
            j.connections.push(Connection {
                from: "wait-business".into(),
                output: "not-attempted".into(),
                to: "exit-2".into(),
            });
        }),
        ("other rewired", |j| {
            j.connections
                .iter_mut()
                .find(|c| c.from == "wait-call" && c.output == "other")
                .unwrap()
                .to = "wait-fallback".into();
        }),
        ("next connection removed", |j| {
            j.connections
                .retain(|c| !(c.from == "wait-retry" && c.output == "next"));
        }),
    ];
    insta::assert_snapshot!(report(&renewal(), mutations));
}

#[test]
fn a_changed_time_limit_says_where_and_what_in_structure() {
    let base = renewal();
    let mut changed = base.clone();
    wait(&mut changed, "wait-call").time_limit = Some(Duration {
        amount: 3,
        unit: DurationUnit::Days,
    });
    let found = diff(&base, &changed);
    assert_eq!(
        found.changes,
        [Change {
            subject: ChangeSubject::Tile,
            kind: ChangeKind::Changed,
            tile_id: Some("wait-call".into()),
            tile_type: Some(TileType::WaitForTrigger),
            tile_name: Some("How did the call go?".into()),
            field: Some("timeLimit".into()),
            before: Some("7 days".into()),
            after: Some("3 days".into()),
            connection_before: None,
            connection_after: None,
            sentence: "How did the call go?: time limit 7 days → 3 days".into(),
        }]
    );
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(json["changes"][0]["tileId"], "wait-call");
    assert_eq!(json["changes"][0]["kind"], "changed");
}

#[test]
fn a_renamed_tile_is_one_change_not_one_per_field_that_points_at_it() {
    let base = renewal();
    let mut changed = base.clone();
    voice(&mut changed, "call-renewal").name = "First call".into();
    let found = diff(&base, &changed);
    assert_eq!(
        found.sentences(),
        ["First call: name 'Renewal call' → 'First call'"]
    );
}

#[test]
fn every_sample_compared_with_itself_has_no_changes() {
    for text in [
        include_str!("../../samples/renewal-calls.journey.json"),
        include_str!("../../samples/appointment-reminders.journey.json"),
        include_str!("../../samples/payment-follow-up.journey.json"),
        include_str!("../../samples/invalid-limits.journey.json"),
        include_str!("../../samples/invalid-graph-loop.journey.json"),
    ] {
        let journey = parse_journey(text).unwrap();
        assert!(
            diff(&journey, &journey.clone()).is_empty(),
            "{}",
            journey.id
        );
    }
}
