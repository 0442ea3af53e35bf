//! Quiet time (domain decisions D5, D13, D14 and reference §13.4).
//!
//! A schedule is a set of local intervals per local date: weekly blocks on their start day
//! (crossing midnight into the next day, or all day) and quiet dates (whole days). Local bounds
//! become instants per D14 — a repeated hour gives the earlier instant for a start and the later
//! one for an end, a skipped time gives the transition instant — and overlapping or touching
//! intervals merge. Intervals are half-open: the instant a block ends is allowed.
//!
//! Nothing is materialised: intervals come day by day, sorted by local start (the start
//! mapping is monotone, so that is also instant order), and the sweeps below stop as soon as
//! they know the answer. Times are whole seconds: local ones as "seconds since 1970-01-01T00:00
//! on the wall clock", instants as Unix seconds.

use std::cell::Cell;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};

use crate::catalog::{
    AdvancedRule, PurposeType, QuietTimeSetting, RuleCondition, RuleField, Schedule, ScheduleRow,
    Weekday, WeeklyBlock,
};
use crate::document::{Channel, MatchMode};

use super::Window;
use super::contact_point::ContactPoint;
use super::explain;

mod evaluate;
mod local;

pub(crate) use evaluate::*;
pub(crate) use local::*;

/// Seconds per day.
pub(crate) const DAY: i64 = 86_400;
/// More than any UTC offset tzdb has ever used (local mean times reach about ±15:57).
const MAX_OFFSET: i64 = 18 * 3600;
/// Days from 0001-01-01 (day 1 in chrono's count) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Who is called, for matching advanced rules (D13).
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleSubject<'a> {
    /// ISO 3166-1 alpha-2 country of the contact's address.
    pub country: Option<&'a str>,
    /// State or province of the contact's address.
    pub state_or_province: Option<&'a str>,
    /// The normalised number being called.
    pub number: Option<&'a ContactPoint>,
}

/// The rows of a setting that apply to one call (D5b): the first advanced rule that matches
/// the contact and has rows for (purpose type, channel), else the general rows for it.
#[derive(Debug, Clone, Copy)]
pub struct AppliedSchedule<'a> {
    /// The setting.
    pub setting: &'a QuietTimeSetting,
    /// The advanced rule chosen, or `None` for the general rules.
    pub rule: Option<&'a AdvancedRule>,
    /// Purpose type whose rows apply.
    pub purpose_type: PurposeType,
    /// Channel whose rows apply.
    pub channel: Channel,
    rows: &'a [ScheduleRow],
}

impl<'a> AppliedSchedule<'a> {
    /// Choose the schedule for a call; `None` when neither an advanced rule nor the general
    /// rules have a row for (purpose type, channel): no quiet time then.
    pub fn choose(
        setting: &'a QuietTimeSetting,
        purpose_type: PurposeType,
        channel: Channel,
        subject: &RuleSubject<'_>,
    ) -> Option<AppliedSchedule<'a>> {
        let applies = |schedule: &'a Schedule| {
            let rows = rows_for(schedule, purpose_type);
            rows.iter()
                .any(|row| row.channels.contains(&channel))
                .then_some(rows)
        };
        let chosen = setting
            .advanced_rules
            .iter()
            .filter(|rule| rule_matches(rule, subject))
            .find_map(|rule| applies(&rule.schedule).map(|rows| (Some(rule), rows)))
            .or_else(|| applies(&setting.general).map(|rows| (None, rows)));
        chosen.map(|(rule, rows)| AppliedSchedule {
            setting,
            rule,
            purpose_type,
            channel,
            rows,
        })
    }

    /// The rows of the chosen schedule for its purpose type (only those listing the channel
    /// count).
    pub(crate) fn rows(&self) -> &'a [ScheduleRow] {
        self.rows
    }
}

/// Rows for a purpose type; tracking purposes (never on a voice tile) get the stricter
/// commercial rows.
pub(crate) fn rows_for(schedule: &Schedule, purpose_type: PurposeType) -> &[ScheduleRow] {
    match purpose_type {
        PurposeType::Transactional => &schedule.transactional,
        PurposeType::Commercial | PurposeType::Tracking => &schedule.commercial,
    }
}

fn rule_matches(rule: &AdvancedRule, subject: &RuleSubject<'_>) -> bool {
    // A rule without conditions matches nobody (the setting validator flags it).
    if rule.conditions.is_empty() {
        return false;
    }
    let holds = |condition: &RuleCondition| condition_holds(condition, subject);
    match rule.match_mode {
        MatchMode::All => rule.conditions.iter().all(holds),
        MatchMode::Any => rule.conditions.iter().any(holds),
    }
}

fn condition_holds(condition: &RuleCondition, subject: &RuleSubject<'_>) -> bool {
    let expected = condition.value.as_str();
    let equals = |value: Option<&str>| {
        value.is_some_and(|v| {
            v.eq_ignore_ascii_case(expected) || v.trim().eq_ignore_ascii_case(expected.trim())
        })
    };
    match condition.field {
        RuleField::Country => equals(subject.country),
        RuleField::StateOrProvince => equals(subject.state_or_province),
        RuleField::PhonePrefix => subject
            .number
            .is_some_and(|n| n.starts_with_prefix(&condition.value)),
    }
}

/// Where a quiet interval comes from, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Source {
    /// `rows[row].weekly_blocks[block]`.
    Block { row: u16, block: u16 },
    /// `rows[row].quiet_dates[date]`.
    Date { row: u16, date: u16 },
    /// Nothing (a placeholder in unused buffer slots).
    #[default]
    None,
}

/// Start and end of a weekly block in seconds from its start day's midnight.
///
/// Malformed blocks (the setting validator rejects them) fail closed: unreadable times make
/// the whole day quiet, `end == start` a full 24 hours from `start`.
pub(crate) fn block_span(block: &WeeklyBlock) -> (i64, i64) {
    if block.all_day {
        return (0, DAY);
    }
    match (
        parse_hhmm(&block.start, false),
        parse_hhmm(&block.end, true),
    ) {
        (Some(start), Some(end)) if end > start => (start * 60, end * 60),
        (Some(start), Some(end)) if end < start => (start * 60, DAY + end * 60),
        (Some(start), Some(_)) => (start * 60, start * 60 + DAY),
        _ => (0, DAY),
    }
}

/// Minutes since midnight of an `HH:MM` time; `24:00` only when `end`.
pub(crate) fn parse_hhmm(text: &str, end: bool) -> Option<i64> {
    let &[h1, h2, b':', m1, m2] = text.as_bytes() else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
    let hours = digit(h1)? * 10 + digit(h2)?;
    let minutes = digit(m1)? * 10 + digit(m2)?;
    match (hours, minutes) {
        (0..=23, 0..=59) => Some(hours * 60 + minutes),
        (24, 0) if end => Some(24 * 60),
        _ => None,
    }
}

/// Days since 1970-01-01 of a date.
pub(crate) fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

/// The weekday of a day number (1970-01-01 was a Thursday).
pub(crate) fn weekday_of(day: i64) -> Weekday {
    match (day + 3).rem_euclid(7) {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

/// What quiet time says about one moment, with a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietTimeAnswer {
    /// The earliest allowed instant in `[now, now + within)`: `now` itself when allowed now,
    /// `None` when quiet time allows nothing in that span.
    pub next: Option<DateTime<Utc>>,
    /// Why, in one sentence.
    pub explanation: String,
}

/// Everything a quiet-time question needs besides `now` and the span.
#[derive(Debug, Clone, Copy)]
pub struct QuietTimeQuery<'a> {
    /// The setting.
    pub setting: &'a QuietTimeSetting,
    /// Purpose type of the message.
    pub purpose_type: PurposeType,
    /// Channel of the message.
    pub channel: Channel,
    /// Who is contacted (advanced rules).
    pub subject: RuleSubject<'a>,
    /// The evaluation zone.
    pub zone: Tz,
}

/// The earliest allowed instant in `[now, now + within)` under a setting, with an explanation
/// (the engine behind `journeys quiet-time next`).
pub fn next_allowed_instant(
    query: &QuietTimeQuery<'_>,
    now: DateTime<Utc>,
    within: chrono::Duration,
) -> QuietTimeAnswer {
    let horizon_end = now + within;
    let Some(schedule) = AppliedSchedule::choose(
        query.setting,
        query.purpose_type,
        query.channel,
        &query.subject,
    ) else {
        return QuietTimeAnswer {
            next: Some(now),
            explanation: explain::no_rows(query.setting, query.purpose_type, query.channel),
        };
    };
    let evaluator = Evaluator::new(&schedule, query.zone);
    match evaluator.evaluate(Instant::of(now), end_seconds(horizon_end), None) {
        Next::Now => QuietTimeAnswer {
            next: Some(now),
            explanation: explain::allowed_now(&schedule, query.zone),
        },
        Next::Later {
            until,
            until_local,
            first,
            last,
        } => QuietTimeAnswer {
            next: Some(until.utc()),
            explanation: explain::held(
                &schedule,
                query.zone,
                (until.utc(), until_local),
                (first, last),
                None,
            ),
        },
        Next::Beyond => QuietTimeAnswer {
            next: None,
            explanation: explain::no_window(query.zone, horizon_end, query.zone.name()),
        },
    }
}

/// `t < end` for whole-second `t` exactly when `t < end_seconds(end)`.
pub(crate) fn end_seconds(end: DateTime<Utc>) -> i64 {
    end.timestamp() + i64::from(end.timestamp_subsec_nanos() > 0)
}

/// The allowed windows in `[now, now + within)` under a setting, UTC, half-open, in order.
pub fn allowed_windows(
    query: &QuietTimeQuery<'_>,
    now: DateTime<Utc>,
    within: chrono::Duration,
) -> Vec<Window> {
    let horizon_end = now + within;
    let mut out = Vec::new();
    match AppliedSchedule::choose(
        query.setting,
        query.purpose_type,
        query.channel,
        &query.subject,
    ) {
        Some(schedule) => {
            let evaluator = Evaluator::new(&schedule, query.zone);
            let from = Instant::of(now);
            let end = end_seconds(horizon_end);
            // When quiet now, the windows start at the first allowed instant.
            if let Next::Later { until, .. } = evaluator.evaluate(from, end, None) {
                evaluator.evaluate(until, end, Some(&mut out));
            } else {
                evaluator.evaluate(from, end, Some(&mut out));
            }
        }
        None if now < horizon_end => out.push(Window {
            start: now,
            end: horizon_end,
        }),
        None => {}
    }
    if let Some(last) = out.last_mut()
        && last.end.timestamp() == end_seconds(horizon_end)
    {
        last.end = horizon_end;
    }
    out
}

/// Whether an instant is inside quiet time under a schedule (a direct check, used by tests and
/// by anyone who wants to verify an answer).
pub fn is_quiet(schedule: &AppliedSchedule<'_>, zone: Tz, at: DateTime<Utc>) -> bool {
    Evaluator::new(schedule, zone).is_quiet(Instant::of(at))
}
