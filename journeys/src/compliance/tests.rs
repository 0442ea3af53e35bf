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
