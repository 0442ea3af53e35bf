use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::condition::{condition_holds, first_matching_branch};
use super::*;
use crate::catalog::Catalog;
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use crate::document::{Channel, Condition, MatchMode, Operator};

fn catalog() -> Catalog {
    Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap()
}

fn t0() -> DateTime<Utc> {
    // A Wednesday, 15:00 UTC = 10:00 in Chicago: inside US calling hours.
    Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap()
}

fn journey(tiles: Value, connections: Value) -> JourneyGraph {
    let mut all = vec![
        json!({"type": "start", "id": "start", "start": {"kind": "trigger", "triggerName": "signup"}}),
    ];
    all.extend(tiles.as_array().unwrap().iter().cloned());
    let doc = json!({
        "schemaVersion": 1, "id": "j1", "name": "Test", "audience": "contact",
        "timeZone": "America/Chicago", "tiles": all, "connections": connections
    });
    JourneyGraph::new(&serde_json::from_value(doc).unwrap())
}

fn link(from: &str, output: &str, to: &str) -> Value {
    json!({"from": from, "output": output, "to": to})
}

/// start → voice → wait(attempted, notAttempted, blocked; 2 days) → branch on the call
/// (Booked / Other) → exit. The voice tile uses the billing purpose (consent disabled, no
/// quiet time) unless `purpose` says otherwise.
fn voice_journey(profile: &str, purpose: &str, quiet: Value) -> JourneyGraph {
    journey(
        json!([
            {"type": "voiceConversation", "id": "call", "engagementId": "eng-renewals-voice",
             "sendTo": "mobilePhone", "complianceProfileId": profile, "purposeId": purpose,
             "quietTime": quiet},
            {"type": "waitForTrigger", "id": "wait",
             "condition": {"kind": "previousMessage", "tileId": "call"},
             "timeLimit": {"amount": 2, "unit": "days"},
             "branches": [
                {"id": "att", "interaction": "voiceCallAttempted"},
                {"id": "not", "interaction": "voiceCallNotAttempted"},
                {"id": "blk", "interaction": "voiceCallBlocked"}]},
            {"type": "attributeBranch", "id": "outcome", "source": {"kind": "voiceCall", "tileId": "call"},
             "branches": [{"id": "booked", "match": "all", "conditions": [
                {"variable": {"kind": "result"}, "operator": "equals", "value": "liveanswer"},
                {"variable": {"kind": "engagementVariable", "name": "Outcome"}, "operator": "equals", "value": " booked "}]}]},
            {"type": "exit", "id": "done"}
        ]),
        json!([
            link("start", "next", "call"),
            link("call", "next", "wait"),
            link("wait", "att", "outcome"),
            link("outcome", "booked", "done"),
        ]),
    )
}

fn contact() -> Contact {
    Contact {
        id: "c1".into(),
        mobile_phone: Some("+1 (312) 555-0100".into()),
        time_zone: Some("America/Chicago".into()),
        country: Some("US".into()),
        ..Contact::default()
    }
}

struct Records(Vec<ConsentRecord>);

impl ConsentLookup for Records {
    fn status(&self, point: &str, channel: Channel, scope: &ConsentScope) -> Option<ConsentStatus> {
        self.0.as_slice().status(point, channel, scope)
    }
}

struct Harness {
    catalog: Catalog,
    contact: Contact,
    consents: Records,
    paused: bool,
}

impl Harness {
    fn new() -> Self {
        Harness {
            catalog: catalog(),
            contact: contact(),
            consents: Records(Vec::new()),
            paused: false,
        }
    }

    fn step(
        &self,
        state: RunState,
        graph: &JourneyGraph,
        input: Input,
        now: DateTime<Utc>,
    ) -> (RunState, Vec<Effect>) {
        let ctx = StepContext {
            catalog: &self.catalog,
            contact: &self.contact,
            consents: &self.consents,
            paused: self.paused,
        };
        step(state, graph, input, now, &ctx)
    }
}

fn branches(effects: &[Effect], tile: &str) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Count {
                tile: t,
                outcome: CountOutcome::Branch { branch },
            } if t == tile => Some(branch.clone()),
            _ => None,
        })
        .collect()
}

fn dial_key(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Dial { idem_key, .. } => Some(idem_key.to_string()),
        _ => None,
    })
}

fn wake(effects: &[Effect]) -> Option<(DateTime<Utc>, String)> {
    effects.iter().find_map(|e| match e {
        Effect::ScheduleWake { at, token } => Some((*at, token.clone())),
        _ => None,
    })
}

fn call_result(key: &str, result: &str, outcome: &str) -> Input {
    Input::Event {
        corr: key.to_owned(),
        payload: EventPayload::CallResult {
            result: result.to_owned(),
            disposition_codes: vec!["Interested".into()],
            variables: BTreeMap::from([("Outcome".to_owned(), json!(outcome))]),
        },
    }
}

#[test]
fn a_sent_call_waits_and_its_attempted_result_takes_the_first_matching_branch() {
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let key = dial_key(&effects).expect("billing consent is disabled: the call goes out");
    assert_eq!(key, "r1:call:1");
    assert!(matches!(state.phase, Phase::Waiting { .. }));
    let (at, _) = wake(&effects).unwrap();
    assert_eq!(
        at,
        t0() + Duration::days(2),
        "the wait's clock starts at the send"
    );

    let (state, effects) = h.step(
        state,
        &graph,
        call_result(&key, "LiveAnswer", "Booked"),
        t0(),
    );
    assert_eq!(branches(&effects, "wait"), ["att"]);
    assert_eq!(branches(&effects, "outcome"), ["booked"]);
    assert_eq!(
        state.phase,
        Phase::Done {
            reason: ExitReason::ExitTile {
                tile: "done".into()
            }
        }
    );
}

#[test]
fn an_unlisted_result_is_not_attempted_and_an_unconnected_branch_ends_the_run() {
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let key = dial_key(&effects).unwrap();
    let (state, effects) = h.step(state, &graph, call_result(&key, "Mystery", "x"), t0());
    assert!(effects.contains(&Effect::Count {
        tile: "call".into(),
        outcome: CountOutcome::NotAttempted {
            result: "Mystery".into()
        }
    }));
    assert_eq!(branches(&effects, "wait"), ["not"]);
    assert_eq!(
        state.phase,
        Phase::Done {
            reason: ExitReason::UnconnectedOutput {
                tile: "wait".into(),
                output: "not".into()
            }
        }
    );
}

#[test]
fn a_blocked_call_reaches_the_blocked_branch_at_once_without_a_dial() {
    let h = Harness::new(); // no consent records: the restrictive promotions purpose blocks
    let graph = voice_journey(
        "cp-us-marketing",
        "pur-promotions",
        json!({"mode": "inherit"}),
    );
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    assert_eq!(dial_key(&effects), None);
    assert!(effects.contains(&Effect::Count {
        tile: "call".into(),
        outcome: CountOutcome::Blocked {
            code: BlockCode::ConsentPurposeNotOptedIn
        }
    }));
    assert_eq!(branches(&effects, "wait"), ["blk"]);
    assert!(state.is_done());
}

#[test]
fn quiet_time_holds_the_call_and_the_release_re_checks_consent() {
    let mut h = Harness::new();
    h.consents.0.push(ConsentRecord {
        contact_point: "+13125550100".into(),
        channel: Channel::Voice,
        scope: ConsentScope::Purpose {
            purpose_id: "pur-promotions".into(),
        },
        status: ConsentStatus::OptedIn,
        updated_at: t0() - Duration::days(30),
        source: None,
    });
    let graph = voice_journey(
        "cp-us-marketing",
        "pur-promotions",
        json!({"mode": "inherit"}),
    );
    // Saturday: commercial voice is quiet all weekend in the US setting.
    let saturday = Utc.with_ymd_and_hms(2026, 11, 28, 16, 0, 0).unwrap();
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), saturday);
    assert_eq!(dial_key(&effects), None);
    let Phase::Held { until, token } = state.phase.clone() else {
        panic!("expected a hold, got {:?}", state.phase)
    };
    assert_eq!(wake(&effects), Some((until, token.clone())));
    assert!(until > saturday);

    // A stale token changes nothing.
    let (same, effects) = h.step(
        state.clone(),
        &graph,
        Input::Wake {
            token: "call:999".into(),
        },
        until,
    );
    assert_eq!(same, state);
    assert!(effects.is_empty());

    // The number opts out while held: the release blocks.
    h.consents.0.push(ConsentRecord {
        status: ConsentStatus::OptedOut,
        updated_at: saturday,
        ..h.consents.0[0].clone()
    });
    let (state, effects) = h.step(state, &graph, Input::Wake { token }, until);
    assert_eq!(dial_key(&effects), None);
    assert_eq!(branches(&effects, "wait"), ["blk"]);
    assert!(state.is_done());
}

#[test]
fn the_time_limit_and_a_late_result_resolve_the_wait_once() {
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let key = dial_key(&effects).unwrap();
    let (at, token) = wake(&effects).unwrap();
    let (state, effects) = h.step(state, &graph, Input::Wake { token }, at);
    assert_eq!(branches(&effects, "wait"), ["other"]);
    assert!(state.is_done());
    let (after, effects) = h.step(
        state.clone(),
        &graph,
        call_result(&key, "LiveAnswer", "Booked"),
        at,
    );
    assert_eq!(after, state);
    assert!(effects.is_empty());
}

#[test]
fn a_pause_parks_the_contact_before_the_voice_tile_until_resume() {
    let mut h = Harness::new();
    h.paused = true;
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    assert_eq!(state.phase, Phase::Paused);
    assert_eq!(dial_key(&effects), None);
    h.paused = false;
    let wake = Input::Wake {
        token: RESUME_TOKEN.into(),
    };
    let (_, effects) = h.step(state, &graph, wake, t0());
    assert_eq!(dial_key(&effects).as_deref(), Some("r1:call:1"));
}

#[test]
fn wait_time_sleeps_then_goes_on_and_unconnected_next_is_an_implicit_exit() {
    let h = Harness::new();
    let graph = journey(
        json!([{"type": "waitTime", "id": "nap", "wait": {"kind": "duration", "amount": 3, "unit": "hours"}}]),
        json!([link("start", "next", "nap")]),
    );
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let (at, token) = wake(&effects).unwrap();
    assert_eq!(at, t0() + Duration::hours(3));
    let (state, effects) = h.step(state, &graph, Input::Wake { token }, at);
    assert!(effects.contains(&Effect::Complete {
        reason: ExitReason::UnconnectedOutput {
            tile: "nap".into(),
            output: "next".into()
        }
    }));
    assert!(state.is_done());
}

#[test]
fn a_run_ends_after_365_days() {
    let h = Harness::new();
    let graph = journey(
        json!([
            {"type": "waitTime", "id": "a", "wait": {"kind": "duration", "amount": 90, "unit": "days"}},
            {"type": "waitTime", "id": "b", "wait": {"kind": "duration", "amount": 90, "unit": "days"}},
            {"type": "waitTime", "id": "c", "wait": {"kind": "duration", "amount": 90, "unit": "days"}},
            {"type": "waitTime", "id": "d", "wait": {"kind": "duration", "amount": 90, "unit": "days"}},
            {"type": "waitTime", "id": "e", "wait": {"kind": "duration", "amount": 90, "unit": "days"}}
        ]),
        json!([
            link("start", "next", "a"),
            link("a", "next", "b"),
            link("b", "next", "c"),
            link("c", "next", "d"),
            link("d", "next", "e")
        ]),
    );
    let (mut state, mut effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let mut last = t0();
    while let Some((at, token)) = wake(&effects) {
        assert!(at <= t0() + Duration::days(MAX_RUN_DAYS));
        last = at;
        (state, effects) = h.step(state, &graph, Input::Wake { token }, at);
    }
    assert_eq!(last, t0() + Duration::days(MAX_RUN_DAYS));
    assert_eq!(
        state.phase,
        Phase::Done {
            reason: ExitReason::MaxRunDurationReached
        }
    );
}

#[test]
fn a_trigger_wait_takes_the_first_branch_whose_conditions_hold() {
    let h = Harness::new();
    let graph = journey(
        json!([{"type": "waitForTrigger", "id": "w", "condition": {"kind": "trigger", "triggerName": "purchase"},
                "timeLimit": {"amount": 1, "unit": "days"},
                "branches": [
                    {"id": "big", "conditions": [{"variable": {"kind": "attribute", "name": "amount"}, "operator": "greaterThan", "value": 100}]},
                    {"id": "any", "conditions": []}]}]),
        json!([link("start", "next", "w")]),
    );
    let (state, _) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let event = |amount: i64| Input::Event {
        corr: "trigger:purchase".into(),
        payload: EventPayload::Trigger {
            name: "purchase".into(),
            attributes: BTreeMap::from([("amount".to_owned(), json!(amount))]),
        },
    };
    let (_, effects) = h.step(state.clone(), &graph, event(250), t0());
    assert_eq!(branches(&effects, "w"), ["big"]);
    let (_, effects) = h.step(state, &graph, event(5), t0());
    assert_eq!(branches(&effects, "w"), ["any"]);
}

fn cond(variable: Value, operator: &str, value: Option<Value>) -> Condition {
    serde_json::from_value(json!({"variable": variable, "operator": operator, "value": value}))
        .unwrap()
}

#[test]
fn conditions_follow_d10() {
    let zone = chrono_tz::America::Chicago;
    let values = |v: &Variable| match v {
        Variable::Attribute { name } if name == "city" => Some(json!("  Chicago ")),
        Variable::Attribute { name } if name == "blank" => Some(json!("")),
        Variable::Attribute { name } if name == "score" => Some(json!("12.5")),
        Variable::DispositionCodes => Some(json!(["Interested", "CallBackLater"])),
        _ => None,
    };
    let attr = |n: &str| json!({"kind": "attribute", "name": n});
    let holds = |c: Condition| condition_holds(&c, &values, zone);
    assert!(holds(cond(attr("city"), "equals", Some(json!("chicago")))));
    assert!(!holds(cond(
        attr("city"),
        "notEquals",
        Some(json!("CHICAGO"))
    )));
    // Missing values satisfy only isEmpty, notEquals and doesNotContain.
    for name in ["missing", "blank"] {
        assert!(holds(cond(attr(name), "isEmpty", None)));
        assert!(holds(cond(attr(name), "notEquals", Some(json!("x")))));
        assert!(holds(cond(attr(name), "doesNotContain", Some(json!("x")))));
        assert!(!holds(cond(attr(name), "equals", Some(json!("")))));
        assert!(!holds(cond(attr(name), "lessThan", Some(json!(5)))));
        assert!(!holds(cond(attr(name), "isNotEmpty", None)));
    }
    assert!(holds(cond(attr("score"), "greaterThan", Some(json!(12)))));
    assert!(
        !holds(cond(attr("city"), "greaterThan", Some(json!(12)))),
        "unparsable is missing"
    );
    let codes = json!({"kind": "dispositionCodes"});
    assert!(holds(cond(
        codes.clone(),
        "contains",
        Some(json!(["DoNotContact", "callbacklater"]))
    )));
    assert!(
        !holds(cond(codes.clone(), "contains", Some(json!("Call")))),
        "codes match whole"
    );
    assert!(holds(cond(
        codes,
        "doesNotContain",
        Some(json!("DoNotContact"))
    )));

    let never = cond(attr("missing"), "equals", Some(json!("x")));
    let always = cond(attr("city"), "isNotEmpty", None);
    let list = [
        (MatchMode::All, vec![always.clone(), never.clone()]),
        (MatchMode::Any, vec![never.clone(), always.clone()]),
        (MatchMode::All, vec![always]),
    ];
    let found = first_matching_branch(list.iter().map(|(m, c)| (*m, c.as_slice())), &values, zone);
    assert_eq!(found, Some(1), "first match wins");
    let none = [(MatchMode::Any, vec![never])];
    let found = first_matching_branch(none.iter().map(|(m, c)| (*m, c.as_slice())), &values, zone);
    assert_eq!(found, None);
    let _ = Operator::On;
}

// Property tests: random chains of voice → wait → branch segments, random result and
// timeout orders.

#[derive(Debug, Clone)]
enum Happening {
    Result(String),
    Timeout,
    Duplicate,
}

fn chain(segments: usize) -> JourneyGraph {
    let mut tiles = Vec::new();
    let mut links = vec![];
    let mut prev = ("start".to_owned(), "next".to_owned());
    for i in 0..segments {
        let (call, wait) = (format!("call{i}"), format!("wait{i}"));
        tiles.push(json!({"type": "voiceConversation", "id": call, "engagementId": "eng-payment-voice",
            "sendTo": "mobilePhone", "complianceProfileId": "cp-collections", "purposeId": "pur-billing",
            "quietTime": {"mode": "none"}}));
        tiles.push(json!({"type": "waitForTrigger", "id": wait,
            "condition": {"kind": "previousMessage", "tileId": call},
            "timeLimit": {"amount": 1, "unit": "hours"},
            "branches": [{"id": "att", "interaction": "voiceCallAttempted"},
                         {"id": "not", "interaction": "voiceCallNotAttempted"}]}));
        links.push(link(&prev.0, &prev.1, &call));
        links.push(link(&call, "next", &wait));
        // Attempted goes on; not attempted and Other also go on, so every path passes
        // every segment.
        prev = (wait.clone(), "att".to_owned());
        if i + 1 < segments {
            links.push(link(&wait, "not", &format!("call{}", i + 1)));
            links.push(link(&wait, "other", &format!("call{}", i + 1)));
        }
    }
    journey(Value::from(tiles), Value::from(links))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_run_dials_once_per_tile_terminates_and_resolves_each_wait_once(
        segments in 1usize..5,
        happenings in proptest::collection::vec(
            prop_oneof![
                prop::sample::select(vec!["LiveAnswer", "NoAnswer", "InvalidAddress", "Weird"])
                    .prop_map(|r| Happening::Result(r.to_owned())),
                Just(Happening::Timeout),
                Just(Happening::Duplicate),
            ],
            1..30,
        ),
    ) {
        let h = Harness::new();
        let graph = chain(segments);
        let mut now = t0();
        let (mut state, mut effects) = h.step(RunState::new("r"), &graph, Input::start(), now);
        let mut dials = BTreeSet::new();
        let mut keys_seen: Vec<String> = Vec::new();
        let mut resolved: BTreeMap<String, usize> = BTreeMap::new();
        let mut pending_wake: Option<(DateTime<Utc>, String)> = None;
        let mut queue = happenings.into_iter().cycle().take(200);
        let mut steps = 0;
        loop {
            for e in &effects {
                match e {
                    Effect::Dial { idem_key, .. } => {
                        prop_assert!(dials.insert(idem_key.to_string()), "dialled twice: {idem_key}");
                        keys_seen.push(idem_key.to_string());
                    }
                    Effect::ScheduleWake { at, token } => pending_wake = Some((*at, token.clone())),
                    Effect::Count { tile, outcome: CountOutcome::Branch { .. } } => {
                        *resolved.entry(tile.clone()).or_default() += 1;
                    }
                    _ => {}
                }
            }
            effects.clear();
            if state.is_done() { break; }
            steps += 1;
            prop_assert!(steps < 400, "the run did not terminate");
            let input = match queue.next() {
                Some(Happening::Result(r)) => match keys_seen.last() {
                    Some(k) => call_result(k, &r, "x"),
                    None => continue,
                },
                Some(Happening::Duplicate) => match keys_seen.first() {
                    Some(k) => call_result(k, "LiveAnswer", "x"),
                    None => continue,
                },
                Some(Happening::Timeout) | None => match pending_wake.clone() {
                    Some((at, token)) => { now = now.max(at); Input::Wake { token } }
                    None => continue,
                },
            };
            (state, effects) = h.step(state, &graph, input, now);
        }
        prop_assert!(resolved.values().all(|n| *n == 1), "a wait resolved twice: {resolved:?}");
        prop_assert!(dials.iter().all(|k| k.ends_with(":1")));
    }
}

#[test]
fn a_stored_version_1_state_still_loads_and_steps() {
    // Golden: a held run as the runtime stored it with STATE_VERSION 1. Never edit; add a
    // new golden when the layout changes.
    let golden = r#"{"stateVersion":1,"runId":"42","enteredAt":"2026-11-28T16:00:00Z","tile":"call",
        "phase":{"kind":"held","until":"2026-11-30T06:00:00Z","token":"call:1"},
        "attempts":{},"calls":{},"triggerAttributes":{"plan":"pro"},"nextToken":1}"#;
    let state: RunState = serde_json::from_str(golden).unwrap();
    assert_eq!(state.state_version, STATE_VERSION);
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let release = Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap();
    let wake = Input::Wake {
        token: "call:1".into(),
    };
    let (_, effects) = h.step(state, &graph, wake, release);
    assert_eq!(dial_key(&effects).as_deref(), Some("42:call:1"));
}

#[test]
fn a_do_not_contact_disposition_writes_a_voice_opt_out_for_the_purpose() {
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let key = dial_key(&effects).unwrap();
    let input = Input::Event {
        corr: key,
        payload: EventPayload::CallResult {
            result: "LiveAnswer".into(),
            disposition_codes: vec!["DoNotContact".into()],
            variables: BTreeMap::new(),
        },
    };
    let (_, effects) = h.step(state, &graph, input, t0());
    assert!(effects.contains(&Effect::OptOut {
        contact_point: "+13125550100".into(),
        purpose_id: "pur-billing".into(),
    }));
}

#[test]
fn wait_until_a_skipped_local_time_wakes_at_the_dst_transition() {
    let h = Harness::new();
    // 2027-03-14 02:30 does not exist in Chicago (clocks jump 02:00 → 03:00 CDT).
    let graph = journey(
        json!([{"type": "waitTime", "id": "nap", "wait": {"kind": "until", "local": "2027-03-14T02:30:00"}}]),
        json!([link("start", "next", "nap")]),
    );
    let (_, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let (at, _) = wake(&effects).unwrap();
    assert_eq!(at, Utc.with_ymd_and_hms(2027, 3, 14, 8, 0, 0).unwrap());
}

#[test]
fn a_call_result_counts_each_distinct_disposition_code_once_on_its_voice_tile() {
    let h = Harness::new();
    let graph = voice_journey("cp-collections", "pur-billing", json!({"mode": "none"}));
    let (state, effects) = h.step(RunState::new("r1"), &graph, Input::start(), t0());
    let key = dial_key(&effects).unwrap();
    let input = Input::Event {
        corr: key,
        payload: EventPayload::CallResult {
            result: "LiveAnswer".into(),
            disposition_codes: vec![
                " Interested ".into(),
                "Callback".into(),
                "Interested".into(),
                "  ".into(),
            ],
            variables: BTreeMap::new(),
        },
    };
    let (_, effects) = h.step(state, &graph, input, t0());
    let codes: Vec<(&str, &str)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Count {
                tile,
                outcome: CountOutcome::Disposition { code },
            } => Some((tile.as_str(), code.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(codes, [("call", "Callback"), ("call", "Interested")]);
}
