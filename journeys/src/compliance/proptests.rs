//! Property tests over every IANA zone and random settings, against an independent oracle:
//! a per-instant membership check that converts each bound on its own (chrono's
//! `from_local_datetime`, gaps by bisection) with no merging, sweeping or shortcuts.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
};
use chrono_tz::{TZ_VARIANTS, Tz};
use proptest::prelude::*;

use super::tests::{at, sample_catalog};
use super::*;
use crate::catalog::{
    PurposeType, QuietDates, QuietTimeSetting, Schedule, ScheduleRow, Weekday, WeeklyBlock,
};
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use crate::document::{Channel, PhoneField, QuietTimeOption, VoiceConversationTile};

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A block as generated: weekday mask, start and end minutes (end 1440 = `24:00`), all-day.
#[derive(Debug, Clone)]
struct GenBlock {
    mask: u8,
    start: u32,
    end: u32,
    all_day: bool,
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn to_setting(blocks: &[GenBlock], dates: &[(NaiveDate, NaiveDate)]) -> QuietTimeSetting {
    QuietTimeSetting {
        id: "qt".to_owned(),
        name: "Random".to_owned(),
        time_zone_source: Default::default(),
        general: Schedule {
            commercial: vec![ScheduleRow {
                channels: vec![Channel::Voice],
                weekly_blocks: blocks
                    .iter()
                    .map(|b| WeeklyBlock {
                        weekdays: WEEKDAYS
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| b.mask & (1 << i) != 0)
                            .map(|(_, d)| *d)
                            .collect(),
                        start: hhmm(b.start),
                        end: hhmm(b.end),
                        all_day: b.all_day,
                    })
                    .collect(),
                quiet_dates: dates
                    .iter()
                    .map(|(from, to)| QuietDates {
                        from: *from,
                        to: *to,
                    })
                    .collect(),
            }],
            transactional: vec![],
        },
        advanced_rules: vec![],
    }
}

/// Oracle D14 conversion of one local bound.
fn oracle_instant(zone: Tz, local: NaiveDateTime, is_end: bool) -> i64 {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => {
            if is_end {
                a.timestamp().max(b.timestamp())
            } else {
                a.timestamp().min(b.timestamp())
            }
        }
        LocalResult::None => {
            // The transition: the first instant whose wall clock is past `local`.
            let wall = |u: i64| {
                DateTime::from_timestamp(u, 0)
                    .expect("in range")
                    .with_timezone(&zone)
                    .naive_local()
            };
            let mut lo = local.and_utc().timestamp() - 30 * 3600;
            let mut hi = local.and_utc().timestamp() + 30 * 3600;
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if wall(mid) > local {
                    hi = mid
                } else {
                    lo = mid
                }
            }
            hi
        }
    }
}

/// Oracle: is `u` inside any quiet interval? Looks at intervals starting two days before to
/// one day after `u`'s local date.
fn oracle_quiet(zone: Tz, blocks: &[GenBlock], dates: &[(NaiveDate, NaiveDate)], u: i64) -> bool {
    let local = DateTime::from_timestamp(u, 0)
        .expect("in range")
        .with_timezone(&zone)
        .naive_local()
        .date();
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    let at_minutes = |d: NaiveDate, m: u32| midnight(d) + Duration::minutes(i64::from(m));
    let inside = |s: NaiveDateTime, e: NaiveDateTime| {
        oracle_instant(zone, s, false) <= u && u < oracle_instant(zone, e, true)
    };
    for offset in -2..=1 {
        let d = local + Duration::days(offset);
        let next = d + Duration::days(1);
        if dates.iter().any(|(from, to)| *from <= d && d <= *to)
            && inside(midnight(d), midnight(next))
        {
            return true;
        }
        let bit = 1u8 << d.weekday().num_days_from_monday();
        for b in blocks.iter().filter(|b| b.mask & bit != 0) {
            let (s, e) = if b.all_day {
                (midnight(d), midnight(next))
            } else if b.end > b.start {
                (at_minutes(d, b.start), at_minutes(d, b.end))
            } else {
                (at_minutes(d, b.start), at_minutes(next, b.end))
            };
            if inside(s, e) {
                return true;
            }
        }
    }
    false
}

fn block_strategy() -> impl Strategy<Value = GenBlock> {
    (
        1u8..128,
        0u32..1440,
        0u32..=1440,
        prop::bool::weighted(0.15),
    )
        .prop_map(|(mask, start, end, all_day)| {
            // Quarter hours mostly, so bounds land on DST transitions often enough.
            let start = start / 15 * 15;
            let end = if end == 1440 { 1440 } else { end / 15 * 15 };
            let end = if end == start {
                (start + 60) % 1440
            } else {
                end
            };
            GenBlock {
                mask,
                start,
                end,
                all_day,
            }
        })
}

/// Instants from 1995 to 2036, half of them in DST-change months.
fn now_strategy() -> impl Strategy<Value = i64> {
    (1995i32..2037, prop::bool::ANY, 0u32..12, 0i64..31 * 86_400).prop_map(
        |(year, dst_month, month, seconds)| {
            let month = if dst_month {
                [3, 4, 9, 10, 11][(month % 5) as usize]
            } else {
                month + 1
            };
            let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
            midnight_utc(first) + seconds
        },
    )
}

/// Offset changes of `zone` in the year of `around` (6-hour steps, then bisection).
fn transitions(zone: Tz, around: i64) -> Vec<i64> {
    let offset = |u: i64| {
        use chrono::Offset;
        zone.offset_from_utc_datetime(
            &DateTime::from_timestamp(u, 0)
                .expect("in range")
                .naive_utc(),
        )
        .fix()
        .local_minus_utc()
    };
    let year = DateTime::from_timestamp(around, 0)
        .expect("in range")
        .date_naive()
        .year();
    let first = midnight_utc(NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"));
    let mut found = Vec::new();
    let step = 6 * 3600;
    let mut u = first;
    while u < first + 366 * 86_400 {
        if offset(u) != offset(u + step) {
            let (mut lo, mut hi) = (u, u + step);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == offset(lo) {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            found.push(hi);
        }
        u += step;
    }
    found
}

/// Half the cases: an instant up to 36 hours before to 12 hours after one of the zone's
/// transitions that year, when it has any, with the first block's bounds moved to quarter
/// hours around the transition's wall-clock time (so they fall in repeated or skipped times).
fn near_transition(
    zone: Tz,
    now: i64,
    pick: usize,
    shift: i64,
    bounds: (i64, i64),
    blocks: &mut [GenBlock],
) -> i64 {
    let found = transitions(zone, now);
    if pick.is_multiple_of(2) || found.is_empty() {
        return now;
    }
    let transition = found[pick / 2 % found.len()];
    let wall = DateTime::from_timestamp(transition, 0)
        .expect("in range")
        .with_timezone(&zone)
        .naive_local()
        .time();
    let minute = i64::from(chrono::Timelike::num_seconds_from_midnight(&wall) / 60) / 15 * 15;
    let at = |k: i64| u32::try_from((minute + 15 * k).rem_euclid(1440)).expect("in a day");
    if let Some(first) = blocks.first_mut() {
        first.mask = 127;
        first.all_day = false;
        first.start = at(bounds.0);
        first.end = at(bounds.1);
        if first.end == first.start {
            first.end = at(bounds.1 + 1);
        }
    }
    transition + shift
}

fn midnight_utc(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp()
}

fn query<'a>(setting: &'a QuietTimeSetting, zone: Tz) -> QuietTimeQuery<'a> {
    QuietTimeQuery {
        setting,
        purpose_type: PurposeType::Commercial,
        channel: Channel::Voice,
        subject: RuleSubject::default(),
        zone,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The answer is never quiet, lies in the horizon, and is the earliest: every minute
    /// (and the second before the answer) between `now` and it is quiet.
    #[test]
    fn the_next_allowed_instant_is_allowed_and_earliest(
        zone in 0..TZ_VARIANTS.len(),
        mut blocks in prop::collection::vec(block_strategy(), 1..4),
        bounds in (-6i64..6, -6i64..6),
        date_offsets in prop::collection::vec((-3i64..10, 0i64..4), 0..2),
        now in now_strategy(),
        pick in 0usize..64,
        shift in -36 * 3600i64..12 * 3600,
        days in 1i64..4,
    ) {
        let zone = TZ_VARIANTS[zone];
        let now = near_transition(zone, now, pick, shift, bounds, &mut blocks);
        let today = DateTime::from_timestamp(now, 0).expect("in range").date_naive();
        let dates: Vec<(NaiveDate, NaiveDate)> = date_offsets
            .iter()
            .map(|(from, len)| (today + Duration::days(*from), today + Duration::days(from + len)))
            .collect();
        let setting = to_setting(&blocks, &dates);
        let within = Duration::days(days);
        let start = DateTime::from_timestamp(now, 0).expect("in range");
        let answer = next_allowed_instant(&query(&setting, zone), start, within);
        let end = now + within.num_seconds();
        let quiet = |u: i64| oracle_quiet(zone, &blocks, &dates, u);
        let limit = match answer.next {
            Some(next) => {
                let t = next.timestamp();
                prop_assert!(now <= t && t < end, "{t} outside [{now}, {end})");
                prop_assert!(!quiet(t), "{} is quiet in {}: {}", next, zone.name(), answer.explanation);
                if t > now {
                    prop_assert!(quiet(t - 1), "the second before {} is allowed in {}", next, zone.name());
                }
                t
            }
            None => end,
        };
        let mut u = now;
        while u < limit {
            prop_assert!(quiet(u), "{} is allowed in {} but the answer is {:?}",
                DateTime::from_timestamp(u, 0).expect("in range"), zone.name(), answer.next);
            u = (u / 60 + 1) * 60;
        }
    }

    /// Windows are exactly the allowed instants of the horizon: sampled instants are in a
    /// window iff the oracle says allowed; windows are ordered, non-empty and never touch.
    #[test]
    fn windows_are_the_allowed_instants(
        zone in 0..TZ_VARIANTS.len(),
        mut blocks in prop::collection::vec(block_strategy(), 1..4),
        bounds in (-6i64..6, -6i64..6),
        now in now_strategy(),
        pick in 0usize..64,
        shift in -36 * 3600i64..12 * 3600,
        samples in prop::collection::vec(0i64..(3 * 86_400), 64),
    ) {
        let zone = TZ_VARIANTS[zone];
        let now = near_transition(zone, now, pick, shift, bounds, &mut blocks);
        let setting = to_setting(&blocks, &[]);
        let start = DateTime::from_timestamp(now, 0).expect("in range");
        let windows = allowed_windows(&query(&setting, zone), start, Duration::days(3));
        for pair in windows.windows(2) {
            prop_assert!(pair[0].end < pair[1].start, "windows touch or overlap: {pair:?}");
        }
        for w in &windows {
            prop_assert!(w.start < w.end);
            prop_assert!(start <= w.start && w.end <= start + Duration::days(3));
        }
        for offset in samples {
            let u = now + offset;
            let at_u = DateTime::from_timestamp(u, 0).expect("in range");
            let in_window = windows.iter().any(|w| w.start <= at_u && at_u < w.end);
            prop_assert_eq!(in_window, !oracle_quiet(zone, &blocks, &[], u), "at {}", at_u);
        }
    }

    /// Restrictive consent never sends without a voice opt-in for the purpose (and the
    /// topic); non-restrictive never sends over a voice opt-out; other channels never count.
    #[test]
    fn consent_never_sends_without_what_the_model_requires(
        records in prop::collection::vec((0usize..2, 0usize..4, 0usize..3, 0usize..3), 0..6),
        with_topic in prop::bool::ANY,
        restrictive in prop::bool::ANY,
    ) {
        const NUMBER: &str = "+13125550100";
        let channels = [Channel::Voice, Channel::Sms];
        let scopes = [
            ConsentScope::Purpose { purpose_id: "pur-promotions".to_owned() },
            ConsentScope::Topic { topic_id: "top-renewal-offers".to_owned() },
            ConsentScope::Purpose { purpose_id: "pur-service".to_owned() },
            ConsentScope::Topic { topic_id: "top-new-products".to_owned() },
        ];
        let statuses = [ConsentStatus::OptedIn, ConsentStatus::OptedOut, ConsentStatus::NotSet];
        let records: Vec<ConsentRecord> = records
            .iter()
            .enumerate()
            .map(|(i, (channel, scope, status, number))| ConsentRecord {
                contact_point: if *number == 0 { "+13125550199".to_owned() } else { NUMBER.to_owned() },
                channel: channels[*channel],
                scope: scopes[*scope].clone(),
                status: statuses[*status],
                updated_at: at("2025-01-01T00:00:00Z") + Duration::seconds(i as i64),
                source: None,
            })
            .collect();
        let (purpose, scope_purpose) = if restrictive {
            ("pur-promotions", &scopes[0])
        } else {
            ("pur-service", &scopes[2])
        };
        // Service updates has no topics; use Promotions' topic only with Promotions.
        let topic = (with_topic && restrictive).then_some("top-renewal-offers");
        let tile = VoiceConversationTile {
            id: "v".to_owned(),
            name: String::new(),
            engagement_id: None,
            send_to: Some(PhoneField::MobilePhone),
            compliance_profile_id: Some("cp-us-marketing".to_owned()),
            purpose_id: Some(purpose.to_owned()),
            topic_id: topic.map(str::to_owned),
            quiet_time: Some(QuietTimeOption::None),
        };
        let contact = Contact {
            id: "c".to_owned(),
            mobile_phone: Some("+1 312 555 0100".to_owned()),
            ..Contact::default()
        };
        let decision = decide_call(
            &CallContext {
                contact: &contact,
                consents: &records,
                tile: &tile,
                catalog: sample_catalog(),
                journey_zone: "America/Chicago",
                horizon: Duration::days(7),
            },
            at("2025-11-25T16:00:00Z"),
        );
        // The newest voice record for this number and scope.
        let status = |scope: &ConsentScope| records
            .iter()
            .filter(|r| r.contact_point == NUMBER && r.channel == Channel::Voice && &r.scope == scope)
            .max_by_key(|r| r.updated_at)
            .map(|r| r.status);
        let topic_scope = topic.map(|_| &scopes[1]);
        let sent = matches!(decision, Decision::Send { .. });
        if restrictive {
            let allowed = status(scope_purpose) == Some(ConsentStatus::OptedIn)
                && topic_scope.is_none_or(|s| status(s) == Some(ConsentStatus::OptedIn));
            prop_assert_eq!(sent, allowed, "{:?}", decision);
        } else {
            let allowed = status(scope_purpose) != Some(ConsentStatus::OptedOut);
            prop_assert_eq!(sent, allowed, "{:?}", decision);
        }
    }
}
