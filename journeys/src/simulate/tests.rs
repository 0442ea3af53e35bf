use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::outcomes::{EngagementMix, Weighted};
use super::*;
use crate::catalog::Catalog;
use crate::compliance::{AppliedSchedule, RuleSubject, is_quiet};
use crate::document::{Journey, parse_journey};

fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../../samples/catalog.json")).expect("sample catalog")
}

fn renewal() -> Journey {
    parse_journey(include_str!("../../samples/renewal-calls.journey.json")).expect("sample")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

fn spec(count: u32, seed: u64) -> SimulationSpec {
    SimulationSpec {
        audience: SimulatedAudience::Generated(GeneratedAudience {
            count,
            ..GeneratedAudience::default()
        }),
        outcomes: OutcomeModel::default(),
        // A Tuesday, 03:00 in Chicago: quiet time everywhere in the US.
        start: at("2026-03-10T09:00:00Z"),
        seed,
        trace_limit: None,
    }
}

fn run(spec: &SimulationSpec) -> SimulationResult {
    simulate(&renewal(), &catalog(), spec, &Control::default()).expect("simulates")
}

#[test]
fn same_seed_same_result_any_thread_count_and_another_seed_differs() {
    let one = run(&spec(2000, 42));
    let again = run(&spec(2000, 42));
    assert_eq!(one, again);
    let threaded = simulate(
        &renewal(),
        &catalog(),
        &spec(2000, 42),
        &Control {
            threads: 3,
            ..Control::default()
        },
    )
    .expect("simulates");
    assert_eq!(one.tiles, threaded.tiles);
    assert_eq!(one.edges, threaded.edges);
    assert_eq!(one.calls_by_local_hour, threaded.calls_by_local_hour);
    assert_eq!(one.forecast, threaded.forecast);
    assert_eq!(one.traces, threaded.traces);
    let other = run(&spec(2000, 43));
    assert_ne!(one.tiles, other.tiles);
}

#[test]
fn every_contact_enters_and_ends() {
    let result = run(&spec(500, 1));
    assert_eq!(result.contacts, 500);
    assert_eq!(result.tiles["start"].entered, 500);
    assert_eq!(result.exits.values().sum::<u32>(), 500);
    assert_eq!(result.traces.len(), 500);
    // Edges into a tile add up to its entries.
    for (tile, counts) in &result.tiles {
        let into: u32 = result
            .edges
            .iter()
            .filter(|e| &e.to == tile)
            .map(|e| e.count)
            .sum();
        if tile != "start" {
            assert_eq!(into, counts.entered, "edges into {tile}");
        }
    }
}

#[test]
fn results_follow_the_configured_mix_within_statistical_bounds() {
    let mut s = spec(20_000, 9);
    s.audience = SimulatedAudience::Generated(GeneratedAudience {
        count: 20_000,
        consent: vec![Weighted::new(crate::contact::ConsentStatus::OptedIn, 1)],
        missing_phone_percent: 0,
        ..GeneratedAudience::default()
    });
    s.outcomes.engagements.insert(
        "eng-renewals-voice".into(),
        EngagementMix {
            results: vec![
                Weighted::new("LiveAnswer".into(), 55),
                Weighted::new("NoAnswer".into(), 20),
                Weighted::new("AnsweringMachine".into(), 25),
            ],
            ..EngagementMix::default()
        },
    );
    let result = run(&s);
    let tile = &result.tiles["call-renewal"];
    let n = tile.sent;
    assert_eq!(n, 20_000, "everyone has consent and a number: {tile:?}");
    let share = |r: &str| {
        let k = tile
            .attempted
            .get(r)
            .or(tile.not_attempted.get(r))
            .copied()
            .unwrap_or(0);
        f64::from(k) / f64::from(n)
    };
    // 4 standard deviations of a binomial share at n = 20,000 is under 0.015.
    for (r, p) in [
        ("LiveAnswer", 0.55),
        ("NoAnswer", 0.20),
        ("AnsweringMachine", 0.25),
    ] {
        assert!((share(r) - p).abs() < 0.015, "{r}: {} vs {p}", share(r));
    }
}

#[test]
fn no_consent_never_attempted_and_blocks_are_explained() {
    let mut s = spec(300, 5);
    s.audience = SimulatedAudience::Generated(GeneratedAudience {
        count: 300,
        consent: vec![
            Weighted::new(crate::contact::ConsentStatus::NotSet, 1),
            Weighted::new(crate::contact::ConsentStatus::OptedOut, 1),
        ],
        ..GeneratedAudience::default()
    });
    let result = run(&s);
    for (tile, counts) in &result.tiles {
        assert_eq!(counts.sent, 0, "{tile}");
        assert!(counts.attempted.is_empty(), "{tile}");
    }
    assert_eq!(result.calls_by_local_hour.iter().sum::<u32>(), 0);
    let blocked = &result.tiles["call-renewal"].blocked;
    assert_eq!(blocked.values().sum::<u32>(), 300);
    assert!(blocked.contains_key("CONSENT_PURPOSE_NOT_OPTED_IN"));
    assert!(blocked.contains_key("CONSENT_PURPOSE_OPTED_OUT"));
    let explained = result.traces.iter().flat_map(|t| &t.steps).any(|s| {
        s.text
            .starts_with("blocked (CONSENT_PURPOSE_NOT_OPTED_IN) on +1555")
            && s.text.contains("Promotions")
    });
    assert!(explained, "{:#?}", result.traces.first());
    assert!(
        result
            .forecast
            .iter()
            .all(|f| f.call_now == 0 && f.held == 0)
    );
}

#[test]
fn nobody_is_dialled_inside_quiet_time_and_the_start_is_held() {
    let result = run(&spec(1000, 3));
    let catalog = catalog();
    let setting = catalog.quiet_time_setting("qt-us-tcpa").expect("setting");
    let subject = RuleSubject {
        country: Some("US"),
        state_or_province: None,
        number: None,
    };
    let schedule = AppliedSchedule::choose(
        setting,
        crate::catalog::PurposeType::Commercial,
        crate::document::Channel::Voice,
        &subject,
    )
    .expect("schedule");
    let first = &result.tiles["call-renewal"];
    assert!(first.held > 0, "03:00 Chicago is quiet: {first:?}");
    // Holds are kept by the contact's zone, so each release reads as its local time: the
    // generated zones, each released at 08:00 local.
    let zones: Vec<&String> = first.held_until.keys().collect();
    assert_eq!(
        zones,
        [
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/New_York"
        ]
    );
    for (zone, instants) in &first.held_until {
        let zone: Tz = zone.parse().expect("zone");
        for until in instants.keys() {
            assert!(*until > result.start);
            assert_eq!(until.with_timezone(&zone).hour(), 8, "{until} in {zone}");
        }
    }
    // Quiet hours in the sample setting are the night: no calls dialled then.
    for (hour, n) in result.calls_by_local_hour.iter().enumerate() {
        if !(8..21).contains(&hour) {
            assert_eq!(*n, 0, "{n} calls at local hour {hour}");
        }
    }
    // And each dial instant in the traces is outside quiet time in the contact's zone.
    let mut checked = 0;
    for trace in &result.traces {
        for step in trace
            .steps
            .iter()
            .filter(|s| s.text.starts_with("dialled at"))
        {
            let zone: Tz = step
                .text
                .rsplit(' ')
                .next()
                .and_then(|z| z.parse().ok())
                .expect("zone");
            let quiet = is_quiet(&schedule, zone, step.at);
            assert!(
                !quiet,
                "{} dialled in quiet time: {}",
                trace.contact_id, step.text
            );
            assert!(step.at.with_timezone(&zone).hour() >= 8);
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
    let forecast = &result.forecast[0];
    assert_eq!(forecast.tile, "call-renewal");
    assert_eq!(forecast.call_now, 0);
    assert!(forecast.held > 0);
}

#[test]
fn explicit_contacts_use_their_consent_records() {
    let contacts: Vec<crate::contact::Contact> = serde_json::from_str(
        r#"[{"id":"ann","mobilePhone":"+1 (312) 555-0100","timeZone":"America/Chicago"},
            {"id":"bob","mobilePhone":"+13125550101","timeZone":"America/Chicago"}]"#,
    )
    .expect("contacts");
    let consents = serde_json::from_str(
        r#"[{"contactPoint":"+13125550100","channel":"voice",
             "scope":{"kind":"purpose","purposeId":"pur-promotions"},
             "status":"optedIn","updatedAt":"2026-01-01T00:00:00Z"},
            {"contactPoint":"+1 312 555 0100","channel":"voice",
             "scope":{"kind":"topic","topicId":"top-renewal-offers"},
             "status":"optedIn","updatedAt":"2026-01-01T00:00:00Z"}]"#,
    )
    .expect("consents");
    let mut s = spec(0, 1);
    s.start = at("2026-03-10T16:00:00Z");
    s.audience = SimulatedAudience::Explicit {
        contacts,
        consents,
        source: None,
    };
    let result = run(&s);
    let ann = result
        .traces
        .iter()
        .find(|t| t.contact_id == "ann")
        .expect("ann");
    assert!(
        ann.steps
            .iter()
            .any(|s| s.text.starts_with("call requested to +13125550100")),
        "{ann:#?}"
    );
    let bob = result
        .traces
        .iter()
        .find(|t| t.contact_id == "bob")
        .expect("bob");
    assert!(
        bob.steps
            .iter()
            .any(|s| s.text.starts_with("blocked (CONSENT_PURPOSE_NOT_OPTED_IN)"))
    );
    assert_eq!(result.forecast[0].call_now, 1);
    assert_eq!(result.forecast[0].blocked.values().sum::<u32>(), 1);
    assert_eq!(ann.time_zone, "America/Chicago");
}

#[test]
fn a_contacts_times_read_in_its_own_zone_else_the_journeys() {
    let contacts: Vec<crate::contact::Contact> = serde_json::from_str(
        r#"[{"id":"east","mobilePhone":"+13125550100","timeZone":"America/New_York"},
            {"id":"none","mobilePhone":"+13125550101"},
            {"id":"bad","mobilePhone":"+13125550102","timeZone":"Mars/Olympus"}]"#,
    )
    .expect("contacts");
    let consents = ["+13125550100", "+13125550101", "+13125550102"]
        .iter()
        .flat_map(|n| {
            [
                r#"{"kind":"purpose","purposeId":"pur-promotions"}"#,
                r#"{"kind":"topic","topicId":"top-renewal-offers"}"#,
            ]
            .map(|scope| {
                serde_json::from_str::<crate::contact::ConsentRecord>(&format!(
                    r#"{{"contactPoint":"{n}","channel":"voice","scope":{scope},
                        "status":"optedIn","updatedAt":"2026-01-01T00:00:00Z"}}"#
                ))
                .expect("consent")
            })
        })
        .collect();
    let mut s = spec(0, 1);
    s.audience = SimulatedAudience::Explicit {
        contacts,
        consents,
        source: Some("people.csv".into()),
    };
    let result = run(&s);
    let zone_of = |id: &str| {
        result
            .traces
            .iter()
            .find(|t| t.contact_id == id)
            .map(|t| t.time_zone.clone())
    };
    assert_eq!(zone_of("east").as_deref(), Some("America/New_York"));
    assert_eq!(zone_of("none").as_deref(), Some("America/Chicago"));
    assert_eq!(zone_of("bad").as_deref(), Some("America/Chicago"));
    // Before dawn in both zones: all three are held, each until 08:00 in its own zone.
    let held = &result.tiles["call-renewal"].held_until;
    assert_eq!(
        held["America/New_York"].keys().copied().collect::<Vec<_>>(),
        [at("2026-03-10T12:00:00Z")]
    );
    assert_eq!(held["America/Chicago"][&at("2026-03-10T13:00:00Z")], 2);
    assert_eq!(
        result.forecast[0].held_until["America/New_York"][&at("2026-03-10T12:00:00Z")],
        1
    );
}

#[test]
fn cancel_stops_the_run_and_progress_reaches_the_total() {
    let cancel = AtomicBool::new(true);
    let control = Control {
        cancel: Some(&cancel),
        ..Control::default()
    };
    assert_eq!(
        simulate(&renewal(), &catalog(), &spec(1000, 1), &control),
        Err(SimulateError::Cancelled)
    );
    let seen = std::sync::Mutex::new(Vec::new());
    let report = |p: Progress| seen.lock().expect("lock").push(p);
    let control = Control {
        progress: Some(&report),
        threads: 2,
        ..Control::default()
    };
    simulate(&renewal(), &catalog(), &spec(1000, 1), &control).expect("runs");
    let seen = seen.into_inner().expect("lock");
    assert!(seen.len() >= 4);
    assert_eq!(seen.iter().map(|p| p.done).max(), Some(1000));
    assert!(seen.iter().all(|p| p.total == 1000));
}

#[test]
fn trace_limit_keeps_the_first_contacts_only() {
    let mut s = spec(300, 1);
    s.trace_limit = Some(10);
    let result = run(&s);
    assert_eq!(result.traces.len(), 10);
}

#[test]
fn unnamed_tiles_and_branches_read_as_the_canvas_shows_them_and_unset_values_are_left_out() {
    let mut journey = renewal();
    let ids: Vec<String> = journey.tiles.iter().map(|t| t.id().to_owned()).collect();
    for tile in &mut journey.tiles {
        match tile {
            crate::document::Tile::Start(t) => t.name.clear(),
            crate::document::Tile::VoiceConversation(t) => t.name.clear(),
            crate::document::Tile::WaitForTrigger(t) => {
                t.name.clear();
                for b in &mut t.branches {
                    b.name.clear();
                }
            }
            crate::document::Tile::AttributeBranch(t) => t.name.clear(),
            crate::document::Tile::WaitTime(t) => t.name.clear(),
            crate::document::Tile::Exit(t) => t.name.clear(),
        }
    }
    let mut s = spec(300, 3);
    s.start = at("2026-03-10T16:00:00Z");
    s.outcomes.default_mix = EngagementMix {
        results: vec![Weighted::new("LiveAnswer".into(), 1)],
        disposition_codes: vec![Weighted::new(None, 1)],
        variables: std::collections::BTreeMap::from([
            (
                "CallbackAt".to_owned(),
                vec![Weighted::new(serde_json::json!("2026-03-12T15:00:00Z"), 1)],
            ),
            (
                "Notes".to_owned(),
                vec![Weighted::new(serde_json::Value::Null, 1)],
            ),
        ]),
        latency_seconds: (60, 60),
    };
    let result = simulate(&journey, &catalog(), &s, &Control::default()).expect("simulates");
    let texts: Vec<&str> = result
        .traces
        .iter()
        .flat_map(|t| t.steps.iter().map(|s| s.text.as_str()))
        .collect();
    for id in &ids {
        let quoted = format!(" {id}");
        assert!(
            texts.iter().all(|t| !t.contains(&quoted)),
            "a trace names tile {id}: {:?}",
            texts.iter().find(|t| t.contains(&quoted))
        );
    }
    assert!(texts.contains(&"entered Voice conversation"));
    // The forecast (and the publish review built on it) names the unnamed tile the same way.
    assert_eq!(
        result
            .forecast
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["Voice conversation"; 3]
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("left Wait for trigger by branch Voice call attempted")),
        "{texts:?}"
    );
    // The instant reads on the contact's clock; "not set" is not written back at all.
    let chicago = result
        .traces
        .iter()
        .find(|t| t.time_zone == "America/Chicago")
        .expect("a Chicago contact");
    assert!(
        chicago.steps.iter().any(|s| s
            .text
            .ends_with("(attempted) — CallbackAt = Thu 12 Mar 10:00 CDT")),
        "{chicago:#?}"
    );
    assert!(texts.iter().all(|t| !t.contains("Notes")));
}

#[test]
fn the_default_mixes_come_from_the_catalog_engagement_and_the_journeys_branches() {
    let journey = renewal();
    let start = at("2026-03-10T09:00:00Z");
    let model = OutcomeModel::for_journey(&journey, &catalog(), start);
    assert_eq!(
        model.engagements.keys().collect::<Vec<_>>(),
        ["eng-renewals-voice"]
    );
    let mix = &model.engagements["eng-renewals-voice"];
    // Half the answered calls without a code, the rest shared by the engagement's five codes.
    let codes: Vec<(Option<&str>, u32)> = mix
        .disposition_codes
        .iter()
        .map(|w| (w.value.as_deref(), w.weight))
        .collect();
    assert_eq!(codes[0], (None, 50));
    assert_eq!(codes.len(), 6);
    assert!(codes[1..].iter().all(|&(c, w)| c.is_some() && w == 10));
    // A choice in equal shares; a number the journey never compares: not set.
    let outcome: Vec<&serde_json::Value> =
        mix.variables["Outcome"].iter().map(|w| &w.value).collect();
    assert_eq!(
        outcome,
        ["Booked", "Callback", "NotInterested", "WrongPerson"]
    );
    assert!(mix.variables["Outcome"].iter().all(|w| w.weight == 25));
    assert_eq!(
        mix.variables["RenewalQuote"][0].value,
        serde_json::Value::Null
    );
    // A date two days after the start, half the time.
    assert_eq!(
        mix.variables["CallbackAt"][0].value,
        serde_json::Value::from("2026-03-12T09:00:00Z")
    );
    assert_eq!(
        mix.variables["CallbackAt"][1].value,
        serde_json::Value::Null
    );
    // No engagement variable the catalog does not declare.
    assert_eq!(mix.variables.len(), 4);
}

#[test]
fn numbers_and_text_the_branches_compare_with_are_drawn_so_every_branch_can_be_reached() {
    let mut journey = renewal();
    for tile in &mut journey.tiles {
        if let crate::document::Tile::AttributeBranch(branch) = tile {
            branch.branches[0]
                .conditions
                .push(crate::document::Condition {
                    variable: Some(crate::document::Variable::EngagementVariable {
                        name: "RenewalQuote".into(),
                    }),
                    operator: Some(crate::document::Operator::GreaterThan),
                    value: Some(serde_json::Value::from("250")),
                });
        }
    }
    let model = OutcomeModel::for_journey(&journey, &catalog(), at("2026-03-10T09:00:00Z"));
    let quote = &model.engagements["eng-renewals-voice"].variables["RenewalQuote"];
    assert_eq!(quote[0].value, serde_json::json!(250.0));
    assert_eq!(
        quote.last().map(|w| &w.value),
        Some(&serde_json::Value::Null)
    );
}
