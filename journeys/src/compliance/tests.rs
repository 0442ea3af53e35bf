//! Decisions end to end on the sample catalog: every block code, holds and sends with their
//! sentences, and the DST and offset tables.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::catalog::Catalog;
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use crate::document::{Channel, PhoneField, QuietTimeOption, VoiceConversationTile};

pub(super) fn sample_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_json(include_str!("../../samples/catalog.json")).expect("sample parses")
    })
}

pub(super) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test instants are RFC 3339")
        .with_timezone(&Utc)
}

fn tile(profile: &str, purpose: &str, topic: Option<&str>) -> VoiceConversationTile {
    VoiceConversationTile {
        id: "voice-1".to_owned(),
        name: "Call".to_owned(),
        engagement_id: Some("eng".to_owned()),
        send_to: Some(PhoneField::MobilePhone),
        compliance_profile_id: Some(profile.to_owned()),
        purpose_id: Some(purpose.to_owned()),
        topic_id: topic.map(str::to_owned),
        quiet_time: Some(QuietTimeOption::Inherit),
    }
}

fn contact(phone: Option<&str>, zone: Option<&str>) -> Contact {
    Contact {
        id: "c1".to_owned(),
        mobile_phone: phone.map(str::to_owned),
        time_zone: zone.map(str::to_owned),
        country: Some("US".to_owned()),
        ..Contact::default()
    }
}

fn record(
    number: &str,
    channel: Channel,
    scope: ConsentScope,
    status: ConsentStatus,
) -> ConsentRecord {
    ConsentRecord {
        contact_point: number.to_owned(),
        channel,
        scope,
        status,
        updated_at: at("2025-01-01T00:00:00Z"),
        source: None,
    }
}

fn purpose_scope(id: &str) -> ConsentScope {
    ConsentScope::Purpose {
        purpose_id: id.to_owned(),
    }
}

fn topic_scope(id: &str) -> ConsentScope {
    ConsentScope::Topic {
        topic_id: id.to_owned(),
    }
}

const NUMBER: &str = "+13125550100";

fn opted_in_promotions() -> Vec<ConsentRecord> {
    vec![record(
        NUMBER,
        Channel::Voice,
        purpose_scope("pur-promotions"),
        ConsentStatus::OptedIn,
    )]
}

fn decide(
    tile: &VoiceConversationTile,
    contact: &Contact,
    consents: &[ConsentRecord],
    now: &str,
) -> Decision {
    decide_call(
        &CallContext {
            contact,
            consents: &consents,
            tile,
            catalog: sample_catalog(),
            journey_zone: "America/Chicago",
            horizon: Duration::days(7),
        },
        at(now),
    )
}

fn block_of(decision: &Decision) -> (BlockCode, &str) {
    match decision {
        Decision::Block { code, reason } => (*code, reason.as_str()),
        other => panic!("expected a block, got {other:?}"),
    }
}

#[test]
fn the_marketer_example_is_held_until_tuesday_eight_in_chicago() {
    let decision = decide(
        &tile("cp-us-marketing", "pur-promotions", None),
        &contact(Some("+1 (312) 555-0100"), Some("America/Chicago")),
        &opted_in_promotions(),
        // Monday 24 Nov 2025, 22:00 in Chicago (CST, UTC-6).
        "2025-11-25T04:00:00Z",
    );
    assert_eq!(
        decision,
        Decision::Hold {
            until: at("2025-11-25T14:00:00Z"),
            explanation: "held until Tue 25 Nov 08:00 America/Chicago: quiet time Mon–Fri \
                          21:00–08:00 (commercial voice)"
                .to_owned(),
            zone_used: "America/Chicago".to_owned(),
            zone_fallback: false,
        }
    );
}

#[test]
fn an_allowed_call_is_sent_with_its_windows_and_consent_basis() {
    let decision = decide(
        &tile("cp-us-marketing", "pur-promotions", None),
        &contact(Some("+1 (312) 555-0100"), Some("America/Chicago")),
        &opted_in_promotions(),
        // Tuesday 25 Nov 2025, 10:00 CST.
        "2025-11-25T16:00:00Z",
    );
    let Decision::Send {
        to_number,
        windows,
        explanation,
        zone_used,
        zone_fallback,
    } = decision
    else {
        panic!("expected a send, got {decision:?}");
    };
    assert_eq!(to_number, NUMBER);
    assert_eq!(zone_used.as_deref(), Some("America/Chicago"));
    assert!(!zone_fallback);
    assert_eq!(
        explanation,
        "call now: voice opt-in on record for Promotions; outside quiet time (commercial voice) \
         in America/Chicago"
    );
    let expected = [
        // Tue 10:00–21:00, Wed, Thu, Fri 08:00–21:00 CST; Mon 1 Dec 00:00–21:00 (the
        // Sunday all-day block ends at midnight); Tue 2 Dec 08:00–10:00 (horizon end).
        ("2025-11-25T16:00:00Z", "2025-11-26T03:00:00Z"),
        ("2025-11-26T14:00:00Z", "2025-11-27T03:00:00Z"),
        ("2025-11-27T14:00:00Z", "2025-11-28T03:00:00Z"),
        ("2025-11-28T14:00:00Z", "2025-11-29T03:00:00Z"),
        ("2025-12-01T06:00:00Z", "2025-12-02T03:00:00Z"),
        ("2025-12-02T14:00:00Z", "2025-12-02T16:00:00Z"),
    ];
    let expected: Vec<Window> = expected
        .iter()
        .map(|(s, e)| Window {
            start: at(s),
            end: at(e),
        })
        .collect();
    assert_eq!(windows, expected);
}

/// Tile, contact, consent records, now, expected code and sentence.
type BlockCase<'a> = (
    VoiceConversationTile,
    Contact,
    Vec<ConsentRecord>,
    &'a str,
    BlockCode,
    &'a str,
);

#[test]
fn every_block_code_has_its_d6_sentence() {
    let promotions = tile("cp-us-marketing", "pur-promotions", None);
    let chicago = Some("America/Chicago");
    let tuesday_ten = "2025-11-25T16:00:00Z";
    let renewal = tile(
        "cp-us-marketing",
        "pur-promotions",
        Some("top-renewal-offers"),
    );
    let service = tile("cp-us-marketing", "pur-service", None);
    let mut every_day_quiet = promotions.clone();
    every_day_quiet.quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-eu-business".to_owned()),
    });
    let cases: Vec<BlockCase<'_>> = vec![
        (
            promotions.clone(),
            contact(None, chicago),
            opted_in_promotions(),
            tuesday_ten,
            BlockCode::ContactPointMissing,
            "The Send-to phone field is empty.",
        ),
        (
            promotions.clone(),
            contact(Some("312 555 0100"), chicago),
            opted_in_promotions(),
            tuesday_ten,
            BlockCode::ContactPointInvalid,
            "The Send-to number is not a valid E.164 number.",
        ),
        (
            promotions.clone(),
            contact(Some(NUMBER), chicago),
            vec![record(
                NUMBER,
                Channel::Voice,
                purpose_scope("pur-promotions"),
                ConsentStatus::OptedOut,
            )],
            tuesday_ten,
            BlockCode::ConsentPurposeOptedOut,
            "The number opted out of voice calls for purpose Promotions.",
        ),
        (
            promotions.clone(),
            contact(Some(NUMBER), chicago),
            // An SMS opt-in never counts for a call.
            vec![record(
                NUMBER,
                Channel::Sms,
                purpose_scope("pur-promotions"),
                ConsentStatus::OptedIn,
            )],
            tuesday_ten,
            BlockCode::ConsentPurposeNotOptedIn,
            "Purpose Promotions needs a voice opt-in the number lacks.",
        ),
        (
            renewal.clone(),
            contact(Some(NUMBER), chicago),
            vec![
                record(
                    NUMBER,
                    Channel::Voice,
                    purpose_scope("pur-promotions"),
                    ConsentStatus::OptedIn,
                ),
                record(
                    NUMBER,
                    Channel::Voice,
                    topic_scope("top-renewal-offers"),
                    ConsentStatus::OptedOut,
                ),
            ],
            tuesday_ten,
            BlockCode::ConsentTopicOptedOut,
            "The number opted out of voice calls for topic Renewal offers.",
        ),
        (
            renewal,
            contact(Some(NUMBER), chicago),
            opted_in_promotions(),
            tuesday_ten,
            BlockCode::ConsentTopicNotOptedIn,
            "Topic Renewal offers needs a voice opt-in the number lacks.",
        ),
        (
            service,
            contact(Some(NUMBER), chicago),
            vec![record(
                NUMBER,
                Channel::Voice,
                purpose_scope("pur-service"),
                ConsentStatus::OptedOut,
            )],
            tuesday_ten,
            BlockCode::ConsentPurposeOptedOut,
            "The number opted out of voice calls for purpose Service updates.",
        ),
        (
            // EU business hours keep 24 Dec–1 Jan quiet: a call on 23 Dec at 19:00 with a
            // 7-day horizon finds nothing (the 23rd is over at 18:00).
            every_day_quiet,
            contact(Some(NUMBER), Some("Europe/Berlin")),
            opted_in_promotions(),
            "2026-12-23T18:00:00Z",
            BlockCode::QuietTimeNoWindow,
            "Quiet time allows no call before Wed 30 Dec 19:00 (Europe/Berlin).",
        ),
    ];
    for (tile, contact, consents, now, code, reason) in cases {
        let decision = decide(&tile, &contact, &consents, now);
        assert_eq!(block_of(&decision), (code, reason), "{}", code.as_str());
    }
}

mod dst_and_offsets {
    use super::at;
    use crate::catalog::{
        PurposeType, QuietDates, QuietTimeSetting, Schedule, ScheduleRow, Weekday, WeeklyBlock,
    };
    use crate::compliance::{QuietTimeQuery, RuleSubject, next_allowed_instant};
    use crate::document::Channel;
    use chrono::Duration;
    use chrono_tz::Tz;

    use Weekday::*;
    const EVERY_DAY: &[Weekday] = &[Mon, Tue, Wed, Thu, Fri, Sat, Sun];

    pub(in crate::compliance) fn block(days: &[Weekday], start: &str, end: &str) -> WeeklyBlock {
        WeeklyBlock {
            weekdays: days.to_vec(),
            start: start.to_owned(),
            end: end.to_owned(),
            all_day: false,
        }
    }

    pub(in crate::compliance) fn all_day(days: &[Weekday]) -> WeeklyBlock {
        WeeklyBlock {
            weekdays: days.to_vec(),
            start: String::new(),
            end: String::new(),
            all_day: true,
        }
    }

    pub(in crate::compliance) fn setting(
        blocks: Vec<WeeklyBlock>,
        dates: Vec<QuietDates>,
    ) -> QuietTimeSetting {
        QuietTimeSetting {
            id: "qt".to_owned(),
            name: "Test".to_owned(),
            time_zone_source: Default::default(),
            general: Schedule {
                commercial: vec![ScheduleRow {
                    channels: vec![Channel::Voice],
                    weekly_blocks: blocks,
                    quiet_dates: dates,
                }],
                transactional: vec![],
            },
            advanced_rules: vec![],
        }
    }

    fn dates(from: &str, to: &str) -> QuietDates {
        QuietDates {
            from: from.parse().expect("test dates are ISO"),
            to: to.parse().expect("test dates are ISO"),
        }
    }

    fn next(setting: &QuietTimeSetting, zone: &str, now: &str) -> Option<String> {
        let zone: Tz = zone.parse().expect("test zones are IANA");
        let query = QuietTimeQuery {
            setting,
            purpose_type: PurposeType::Commercial,
            channel: Channel::Voice,
            subject: RuleSubject::default(),
            zone,
        };
        next_allowed_instant(&query, at(now), Duration::days(7))
            .next
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    #[test]
    fn the_reference_example_weekend_with_dst_starting_on_sunday() {
        // §13.4: weekends quiet, DST starts Sunday 8 Mar 2026 in New York. A call due
        // Saturday 10:00 EST is released Monday 00:00 EDT: 37 real hours later.
        let weekends = setting(vec![all_day(&[Sat, Sun])], vec![]);
        let released = next(&weekends, "America/New_York", "2026-03-07T15:00:00Z");
        assert_eq!(released.as_deref(), Some("2026-03-09T04:00:00Z"));
        let hours = at("2026-03-09T04:00:00Z") - at("2026-03-07T15:00:00Z");
        assert_eq!(hours, Duration::hours(37));
    }

    #[test]
    fn dst_and_odd_offset_table() {
        let nightly = setting(vec![block(EVERY_DAY, "21:00", "08:00")], vec![]);
        let weekdays_and_weekends = setting(
            vec![
                block(&[Mon, Tue, Wed, Thu, Fri], "21:00", "08:00"),
                all_day(&[Sat, Sun]),
            ],
            vec![],
        );
        // (setting, zone, now, expected next allowed instant; None = none within 7 days)
        let table: Vec<(QuietTimeSetting, &str, &str, Option<&str>, &str)> = vec![
            // New York, fall back 1 Nov 2026 02:00 EDT -> 01:00 EST: a block inside the
            // repeated hour starts at its first occurrence and ends at its second.
            (
                setting(vec![block(&[Sun], "01:00", "01:30")], vec![]),
                "America/New_York",
                "2026-11-01T05:10:00Z",
                Some("2026-11-01T06:30:00Z"),
                "01:10 EDT, first pass of the repeated hour",
            ),
            (
                setting(vec![block(&[Sun], "01:00", "01:30")], vec![]),
                "America/New_York",
                "2026-11-01T06:10:00Z",
                Some("2026-11-01T06:30:00Z"),
                "01:10 EST, second pass",
            ),
            (
                setting(vec![block(&[Sun], "01:00", "01:30")], vec![]),
                "America/New_York",
                "2026-11-01T04:59:00Z",
                Some("2026-11-01T04:59:00Z"),
                "00:59 EDT, before the block",
            ),
            (
                setting(vec![block(&[Sat], "21:00", "01:30")], vec![]),
                "America/New_York",
                "2026-11-01T02:00:00Z",
                Some("2026-11-01T06:30:00Z"),
                "crossing midnight into the repeated hour ends at its later pass",
            ),
            // New York, spring forward 8 Mar 2026 02:00 EST -> 03:00 EDT: skipped bounds
            // are the transition instant (07:00Z).
            (
                setting(vec![block(&[Sun], "02:30", "05:00")], vec![]),
                "America/New_York",
                "2026-03-08T06:59:00Z",
                Some("2026-03-08T06:59:00Z"),
                "01:59 EST, a skipped start has not come yet",
            ),
            (
                setting(vec![block(&[Sun], "02:30", "05:00")], vec![]),
                "America/New_York",
                "2026-03-08T07:00:00Z",
                Some("2026-03-08T09:00:00Z"),
                "a skipped start begins at the transition",
            ),
            (
                setting(vec![block(&[Sun], "00:00", "02:30")], vec![]),
                "America/New_York",
                "2026-03-08T06:00:00Z",
                Some("2026-03-08T07:00:00Z"),
                "a skipped end ends at the transition",
            ),
            // London: BST starts 29 Mar 2026, ends 25 Oct 2026.
            (
                nightly.clone(),
                "Europe/London",
                "2026-03-28T22:00:00Z",
                Some("2026-03-29T07:00:00Z"),
                "night into BST: 08:00 BST",
            ),
            (
                nightly.clone(),
                "Europe/London",
                "2026-10-24T21:00:00Z",
                Some("2026-10-25T08:00:00Z"),
                "night out of BST: 08:00 GMT",
            ),
            // Kathmandu, +05:45 all year.
            (
                nightly.clone(),
                "Asia/Kathmandu",
                "2026-06-01T16:00:00Z",
                Some("2026-06-02T02:15:00Z"),
                "21:45 NPT held to 08:00 NPT",
            ),
            (
                nightly.clone(),
                "Asia/Kathmandu",
                "2026-06-02T02:14:59Z",
                Some("2026-06-02T02:15:00Z"),
                "one second before the end",
            ),
            (
                nightly.clone(),
                "Asia/Kathmandu",
                "2026-06-02T02:15:00Z",
                Some("2026-06-02T02:15:00Z"),
                "the end instant itself is allowed",
            ),
            (
                nightly.clone(),
                "Asia/Kathmandu",
                "2026-06-02T15:14:59Z",
                Some("2026-06-02T15:14:59Z"),
                "20:59:59 NPT is allowed",
            ),
            // Tokyo, +09:00, no DST: the weekday of a block is its start day, so the Sunday
            // all-day block ends Monday 00:00 and Monday night starts at 21:00.
            (
                weekdays_and_weekends.clone(),
                "Asia/Tokyo",
                "2026-06-05T12:00:00Z",
                Some("2026-06-07T15:00:00Z"),
                "Friday 21:00 JST held to Monday 00:00 JST",
            ),
            // Lord Howe: +10:30 / +11:00, a 30-minute DST.
            (
                setting(vec![block(&[Sun], "01:00", "01:45")], vec![]),
                "Australia/Lord_Howe",
                "2026-04-04T14:30:00Z",
                Some("2026-04-04T15:15:00Z"),
                "DST ends 5 Apr 02:00 -> 01:30: 01:45 ends at its second pass (+10:30)",
            ),
            (
                setting(vec![block(&[Sun], "00:00", "02:15")], vec![]),
                "Australia/Lord_Howe",
                "2026-10-03T15:00:00Z",
                Some("2026-10-03T15:30:00Z"),
                "DST starts 4 Oct 02:00 -> 02:30: a skipped 02:15 end is the transition",
            ),
            // Chatham: +12:45 / +13:45.
            (
                nightly.clone(),
                "Pacific/Chatham",
                "2026-09-26T09:15:00Z",
                Some("2026-09-26T18:15:00Z"),
                "22:00 CHAST Saturday held to 08:00 CHADT Sunday",
            ),
            (
                setting(vec![block(&[Sun], "03:00", "03:15")], vec![]),
                "Pacific/Chatham",
                "2026-04-04T13:15:00Z",
                Some("2026-04-04T14:30:00Z"),
                "DST ends 5 Apr 03:45 -> 02:45: 03:00 first pass to 03:15 second pass",
            ),
            // Zones whose rules changed: Sao Paulo had DST starting at midnight in 2018
            // (00:00 skipped) and none since 2019.
            (
                setting(vec![block(&[Sat], "22:00", "24:00")], vec![]),
                "America/Sao_Paulo",
                "2018-11-04T01:30:00Z",
                Some("2018-11-04T03:00:00Z"),
                "24:00 end on a midnight spring-forward is the transition",
            ),
            (
                setting(vec![block(&[Sat], "22:00", "24:00")], vec![]),
                "America/Sao_Paulo",
                "2019-11-03T01:30:00Z",
                Some("2019-11-03T03:00:00Z"),
                "same week in 2019, no DST any more",
            ),
            // Samoa skipped 30 Dec 2011 (-10 -> +14): the night runs through the missing day.
            (
                nightly.clone(),
                "Pacific/Apia",
                "2011-12-30T08:00:00Z",
                Some("2011-12-30T18:00:00Z"),
                "29 Dec 22:00 held to 31 Dec 08:00",
            ),
            // Quiet dates are whole local days and join weekly blocks.
            (
                setting(
                    vec![block(EVERY_DAY, "21:00", "08:00")],
                    vec![dates("2026-12-24", "2026-12-26")],
                ),
                "America/Chicago",
                "2026-12-24T04:00:00Z",
                Some("2026-12-27T14:00:00Z"),
                "23 Dec 22:00 CST held through 24–26 Dec to 27 Dec 08:00",
            ),
            (
                setting(vec![all_day(EVERY_DAY)], vec![]),
                "UTC",
                "2026-01-01T00:00:00Z",
                None,
                "quiet every day: none within 7 days",
            ),
        ];
        let mut failures = Vec::new();
        for (setting, zone, now, expected, what) in table {
            let got = next(&setting, zone, now);
            if got.as_deref() != expected {
                failures.push(format!(
                    "{zone} at {now} ({what}): expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[test]
fn skipping_windows_changes_nothing_but_the_windows() {
    let promotions = tile("cp-us-marketing", "pur-promotions", None);
    let consents = opted_in_promotions();
    let start = at("2025-11-24T00:00:00Z");
    for zone in [
        "America/Chicago",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "Not/AZone",
    ] {
        let contact = contact(Some(NUMBER), Some(zone));
        for hour in (0..24 * 8).step_by(5) {
            let now = start + Duration::hours(hour);
            let ctx = CallContext {
                contact: &contact,
                consents: &consents,
                tile: &promotions,
                catalog: sample_catalog(),
                journey_zone: "America/Chicago",
                horizon: Duration::days(7),
            };
            let full = decide_call(&ctx, now);
            let lean = decide_call_with(&ctx, now, SendWindows::Skip);
            match (full, lean) {
                (
                    Decision::Send {
                        windows,
                        explanation,
                        ..
                    },
                    Decision::Send {
                        windows: none,
                        explanation: same,
                        ..
                    },
                ) => {
                    assert_eq!(windows.first().map(|w| w.start), Some(now));
                    assert!(none.is_empty());
                    assert_eq!(explanation, same);
                }
                (full, lean) => assert_eq!(full, lean, "{zone} at {now}"),
            }
        }
    }
}

#[test]
fn the_zone_falls_back_to_the_journeys_and_says_so() {
    let promotions = tile("cp-us-marketing", "pur-promotions", None);
    // 22:00 in Chicago, 04:00 in UTC: a contact without a zone is held in Chicago time.
    for (zone, note) in [
        (None, "(the journey's zone: the contact has none)"),
        (
            Some("Eastern Standard Time"),
            "(the journey's zone: the contact's \"Eastern Standard Time\" is not an IANA zone)",
        ),
    ] {
        let decision = decide(
            &promotions,
            &contact(Some(NUMBER), zone),
            &opted_in_promotions(),
            "2025-11-25T04:00:00Z",
        );
        let Decision::Hold {
            until,
            explanation,
            zone_used,
            zone_fallback,
        } = decision
        else {
            panic!("expected a hold, got {decision:?}");
        };
        assert_eq!(until, at("2025-11-25T14:00:00Z"));
        assert_eq!(zone_used, "America/Chicago");
        assert!(zone_fallback);
        assert!(explanation.contains(note), "{explanation}");
    }
    // The contact's own valid zone wins whatever the setting's zone source says: 04:00 UTC
    // is 13:00 in Tokyo on a Tuesday, allowed.
    let tokyo = decide(
        &promotions,
        &contact(Some(NUMBER), Some("Asia/Tokyo")),
        &opted_in_promotions(),
        "2025-11-25T04:00:00Z",
    );
    assert!(
        matches!(
            tokyo,
            Decision::Send {
                zone_fallback: false,
                ..
            }
        ),
        "{tokyo:?}"
    );
}

#[test]
fn quiet_time_options_skip_quiet_time_but_never_consent() {
    let night = "2025-11-25T04:00:00Z";
    let chicago = contact(Some(NUMBER), Some("America/Chicago"));
    let mut off = tile("cp-us-marketing", "pur-promotions", None);
    off.quiet_time = Some(QuietTimeOption::None);
    let sent = decide(&off, &chicago, &opted_in_promotions(), night);
    let Decision::Send {
        windows,
        explanation,
        zone_used,
        ..
    } = sent
    else {
        panic!("expected a send, got {sent:?}");
    };
    assert_eq!(
        windows,
        vec![Window {
            start: at(night),
            end: at(night) + Duration::days(7)
        }]
    );
    assert_eq!(zone_used, None);
    assert_eq!(
        explanation,
        "call now: voice opt-in on record for Promotions; quiet time is off on this tile"
    );
    // Consent still applies.
    let blocked = decide(&off, &chicago, &[], night);
    assert_eq!(block_of(&blocked).0, BlockCode::ConsentPurposeNotOptedIn);

    // Inherit from a profile without a setting: no quiet time; disabled consent: no look-up.
    let billing = tile("cp-collections", "pur-billing", Some("top-overdue"));
    let sent = decide(&billing, &chicago, &[], night);
    let Decision::Send { explanation, .. } = sent else {
        panic!("expected a send, got {sent:?}");
    };
    assert_eq!(
        explanation,
        "call now: voice consent not enforced for Billing and topic Overdue invoices; no \
         quiet-time setting on profile Collections"
    );

    // Override to a setting the catalog lacks: fail closed.
    let mut missing = tile("cp-us-marketing", "pur-promotions", None);
    missing.quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-gone".to_owned()),
    });
    let blocked = decide(
        &missing,
        &chicago,
        &opted_in_promotions(),
        "2025-11-25T16:00:00Z",
    );
    assert_eq!(block_of(&blocked).0, BlockCode::QuietTimeNoWindow);
}

#[test]
fn an_advanced_rule_applies_only_with_a_row_for_the_purpose_type() {
    let mut texan = contact(Some(NUMBER), Some("America/Chicago"));
    texan.state_or_province = Some("Texas".to_owned());
    // Commercial: the Texas rule (quiet until 09:00) matches and has a commercial row.
    let commercial = decide(
        &tile("cp-us-marketing", "pur-promotions", None),
        &texan,
        &opted_in_promotions(),
        "2025-11-25T04:00:00Z",
    );
    let Decision::Hold {
        until, explanation, ..
    } = commercial
    else {
        panic!("expected a hold, got {commercial:?}");
    };
    assert_eq!(until, at("2025-11-25T15:00:00Z"));
    assert!(explanation.ends_with("(commercial voice, rule Texas (Sunday mornings))"));
    // Transactional: the Texas rule has no transactional rows, so the general ones apply
    // (quiet until 08:00), and a non-restrictive purpose needs no record.
    let transactional = decide(
        &tile("cp-us-marketing", "pur-service", None),
        &texan,
        &[],
        "2025-11-25T04:00:00Z",
    );
    let Decision::Hold {
        until, explanation, ..
    } = transactional
    else {
        panic!("expected a hold, got {transactional:?}");
    };
    assert_eq!(until, at("2025-11-25T14:00:00Z"));
    assert_eq!(
        explanation,
        "held until Tue 25 Nov 08:00 America/Chicago: quiet time every day 21:00–08:00 \
         (transactional voice)"
    );
}

#[test]
fn a_weekend_hold_names_the_block_that_holds_now() {
    // Saturday 29 Nov 2025 10:00 CST: the weekend block holds, released Monday 00:00.
    let decision = decide(
        &tile("cp-us-marketing", "pur-promotions", None),
        &contact(Some(NUMBER), Some("America/Chicago")),
        &opted_in_promotions(),
        "2025-11-29T16:00:00Z",
    );
    let Decision::Hold {
        until, explanation, ..
    } = decision
    else {
        panic!("expected a hold, got {decision:?}");
    };
    assert_eq!(until, at("2025-12-01T06:00:00Z"));
    assert_eq!(
        explanation,
        "held until Mon 1 Dec 00:00 America/Chicago: quiet time Sat–Sun all day (commercial voice)"
    );
    // Friday 22:00: the night block holds, and the hold runs on through the weekend.
    let friday = decide(
        &tile("cp-us-marketing", "pur-promotions", None),
        &contact(Some(NUMBER), Some("America/Chicago")),
        &opted_in_promotions(),
        "2025-11-29T04:00:00Z",
    );
    let Decision::Hold { explanation, .. } = friday else {
        panic!("expected a hold, got {friday:?}");
    };
    assert_eq!(
        explanation,
        "held until Mon 1 Dec 00:00 America/Chicago: quiet time Mon–Fri 21:00–08:00, then \
         Sat–Sun all day (commercial voice)"
    );
}
