//! One-sentence explanations a marketer reads, e.g. "held until Tue 25 Nov 08:00
//! America/Chicago: quiet time Mon–Fri 21:00–08:00 (commercial voice)".
//!
//! Built by hand into one pre-sized `String` (no `format!` machinery): a decision formats one
//! sentence, and that is most of its cost.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::catalog::{PurposeType, QuietTimeSetting, ScheduleRow, Weekday};
use crate::document::Channel;

use super::consent::ConsentBasis;
use super::quiet_time::{AppliedSchedule, Source, local_naive, parse_hhmm};

/// Which zone a decision used and why (D5c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneChoice<'a> {
    /// The contact's own valid zone.
    Contact,
    /// The journey's: the contact has none.
    JourneyNoContactZone,
    /// The journey's: the contact's is not an IANA name.
    JourneyInvalidContactZone(&'a str),
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn push_two_digits(out: &mut String, value: u32) {
    out.push(char::from(b'0' + (value / 10 % 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

fn push_number(out: &mut String, value: u32) {
    if value >= 10 {
        push_number(out, value / 10);
    }
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// "Tue 25 Nov".
fn push_date(out: &mut String, date: NaiveDate) {
    out.push_str(WEEKDAYS[date.weekday().num_days_from_monday() as usize]);
    out.push(' ');
    push_number(out, date.day());
    out.push(' ');
    out.push_str(MONTHS[date.month0() as usize]);
}

/// "Tue 25 Nov 08:00".
fn push_local(out: &mut String, local: NaiveDateTime) {
    push_date(out, local.date());
    out.push(' ');
    push_two_digits(out, local.hour());
    out.push(':');
    push_two_digits(out, local.minute());
}

fn purpose_type_label(purpose_type: PurposeType) -> &'static str {
    match purpose_type {
        PurposeType::Commercial => "commercial",
        PurposeType::Transactional => "transactional",
        PurposeType::Tracking => "tracking",
    }
}

pub(crate) fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Voice => "voice",
        Channel::Sms => "text message",
        Channel::Email => "email",
        Channel::Custom => "custom",
    }
}

/// "Mon–Fri", "Sat–Sun", "Mon, Wed, Fri", "every day".
fn push_weekdays(out: &mut String, weekdays: &[Weekday]) {
    let mut set = [false; 7];
    for day in weekdays {
        set[day.to_chrono().num_days_from_monday() as usize] = true;
    }
    if set.iter().all(|d| *d) {
        out.push_str("every day");
        return;
    }
    let mut first = true;
    let mut i = 0;
    while i < 7 {
        if !set[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && set[j + 1] {
            j += 1;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(WEEKDAYS[i]);
        if j > i {
            out.push('–');
            out.push_str(WEEKDAYS[j]);
        }
        i = j + 1;
    }
}

fn push_hhmm(out: &mut String, text: &str, end: bool) {
    match parse_hhmm(text, end) {
        Some(minutes) => {
            push_two_digits(out, (minutes / 60) as u32);
            out.push(':');
            push_two_digits(out, (minutes % 60) as u32);
        }
        None => {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
    }
}

/// "quiet time Mon–Fri 21:00–08:00" (without "quiet time " when it follows another block)
/// or "quiet dates 24 Dec–26 Dec".
fn push_source(out: &mut String, rows: &[ScheduleRow], source: Source, lead: bool) {
    match source {
        Source::Block { row, block } => {
            let Some(block) = rows
                .get(usize::from(row))
                .and_then(|r| r.weekly_blocks.get(usize::from(block)))
            else {
                return;
            };
            if lead {
                out.push_str("quiet time ");
            }
            push_weekdays(out, &block.weekdays);
            if block.all_day {
                out.push_str(" all day");
            } else {
                out.push(' ');
                push_hhmm(out, &block.start, false);
                out.push('–');
                push_hhmm(out, &block.end, true);
            }
        }
        Source::Date { row, date } => {
            let Some(dates) = rows
                .get(usize::from(row))
                .and_then(|r| r.quiet_dates.get(usize::from(date)))
            else {
                return;
            };
            if dates.from == dates.to {
                out.push_str("quiet date ");
                push_date(out, dates.from);
            } else {
                out.push_str("quiet dates ");
                push_date(out, dates.from.min(dates.to));
                out.push('–');
                push_date(out, dates.from.max(dates.to));
            }
        }
        Source::None => out.push_str("quiet time"),
    }
}

/// "(commercial voice)" or "(commercial voice, rule Texas)".
fn push_scope(out: &mut String, schedule: &AppliedSchedule<'_>) {
    out.push_str(" (");
    out.push_str(purpose_type_label(schedule.purpose_type));
    out.push(' ');
    out.push_str(channel_label(schedule.channel));
    if let Some(rule) = schedule.rule {
        out.push_str(", rule ");
        out.push_str(&rule.name);
    }
    out.push(')');
}

fn push_zone(out: &mut String, zone: Tz, choice: Option<ZoneChoice<'_>>) {
    out.push_str(zone.name());
    match choice {
        None | Some(ZoneChoice::Contact) => {}
        Some(ZoneChoice::JourneyNoContactZone) => {
            out.push_str(" (the journey's zone: the contact has none)");
        }
        Some(ZoneChoice::JourneyInvalidContactZone(given)) => {
            out.push_str(" (the journey's zone: the contact's \"");
            out.push_str(given);
            out.push_str("\" is not an IANA zone)");
        }
    }
}

/// "held until Tue 25 Nov 08:00 America/Chicago: quiet time Mon–Fri 21:00–08:00 (commercial
/// voice)"; with ", then …" when the hold runs through a second interval.
pub(crate) fn held(
    schedule: &AppliedSchedule<'_>,
    zone: Tz,
    (until, until_local): (DateTime<Utc>, Option<NaiveDateTime>),
    (first, last): (Source, Source),
    choice: Option<ZoneChoice<'_>>,
) -> String {
    let mut out = String::with_capacity(112);
    out.push_str("held until ");
    push_local(
        &mut out,
        until_local.unwrap_or_else(|| local_naive(zone, until)),
    );
    out.push(' ');
    push_zone(&mut out, zone, choice);
    out.push_str(": ");
    push_source(&mut out, schedule.rows(), first, true);
    if last != first {
        out.push_str(", then ");
        let both_blocks = matches!((first, last), (Source::Block { .. }, Source::Block { .. }));
        push_source(&mut out, schedule.rows(), last, !both_blocks);
    }
    push_scope(&mut out, schedule);
    out
}

/// "allowed now in America/Chicago: outside quiet time (commercial voice)".
pub(crate) fn allowed_now(schedule: &AppliedSchedule<'_>, zone: Tz) -> String {
    let mut out = String::with_capacity(80);
    out.push_str("allowed now in ");
    out.push_str(zone.name());
    out.push_str(": outside quiet time");
    push_scope(&mut out, schedule);
    out
}

/// "allowed now: US calling hours (TCPA) has no transactional email rules".
pub(crate) fn no_rows(
    setting: &QuietTimeSetting,
    purpose_type: PurposeType,
    channel: Channel,
) -> String {
    let mut out = String::with_capacity(80);
    out.push_str("allowed now: ");
    push_no_rows(&mut out, setting, purpose_type, channel);
    out
}

fn push_no_rows(
    out: &mut String,
    setting: &QuietTimeSetting,
    purpose_type: PurposeType,
    channel: Channel,
) {
    out.push_str("quiet-time setting ");
    out.push_str(&setting.name);
    out.push_str(" has no ");
    out.push_str(purpose_type_label(purpose_type));
    out.push(' ');
    out.push_str(channel_label(channel));
    out.push_str(" rules");
}

/// D6: "Quiet time allows no call before {horizonEnd} ({zone})." — the end shown in `zone`.
pub(crate) fn no_window(zone: Tz, horizon_end: DateTime<Utc>, zone_name: &str) -> String {
    let mut out = String::with_capacity(72);
    out.push_str("Quiet time allows no call before ");
    push_local(&mut out, local_naive(zone, horizon_end));
    out.push_str(" (");
    out.push_str(zone_name);
    out.push_str(").");
    out
}

/// D6 sentences for the consent codes.
pub(crate) fn consent_refusal(code: super::BlockCode, name: &str) -> String {
    use super::BlockCode::*;
    let (before, after) = match code {
        ConsentPurposeOptedOut => ("The number opted out of voice calls for purpose ", "."),
        ConsentPurposeNotOptedIn => ("Purpose ", " needs a voice opt-in the number lacks."),
        ConsentTopicOptedOut => ("The number opted out of voice calls for topic ", "."),
        ConsentTopicNotOptedIn => ("Topic ", " needs a voice opt-in the number lacks."),
        ContactPointMissing | ContactPointInvalid | QuietTimeNoWindow => ("", ""),
    };
    let mut out = String::with_capacity(before.len() + name.len() + after.len());
    out.push_str(before);
    out.push_str(name);
    out.push_str(after);
    out
}

/// Why quiet time does not apply to a call at all.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NoQuietTime<'a> {
    /// The tile says "don't apply quiet time".
    TileOff,
    /// Inherit, and the profile has no setting.
    ProfileHasNone(&'a str),
    /// The setting has no rows for (purpose type, voice).
    NoRows(&'a QuietTimeSetting, PurposeType),
}

/// What the Send explanation says about quiet time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum QuietBasis<'a> {
    /// Allowed now under a schedule.
    Outside(&'a AppliedSchedule<'a>, Tz, ZoneChoice<'a>),
    /// No quiet time applies.
    None(NoQuietTime<'a>),
}

/// "call now: voice opt-in on record for Promotions and topic Renewal offers; outside quiet
/// time (commercial voice) in America/Chicago".
pub(crate) fn send(
    basis: ConsentBasis,
    purpose: &str,
    topic: Option<&str>,
    quiet: QuietBasis<'_>,
) -> String {
    let mut out = String::with_capacity(144);
    out.push_str("call now: ");
    out.push_str(match basis {
        ConsentBasis::OptedIn => "voice opt-in on record for ",
        ConsentBasis::NoOptOut => "no voice opt-out for ",
        ConsentBasis::NotEnforced => "voice consent not enforced for ",
    });
    out.push_str(purpose);
    if let Some(topic) = topic {
        out.push_str(" and topic ");
        out.push_str(topic);
    }
    out.push_str("; ");
    match quiet {
        QuietBasis::Outside(schedule, zone, choice) => {
            out.push_str("outside quiet time");
            push_scope(&mut out, schedule);
            out.push_str(" in ");
            push_zone(&mut out, zone, Some(choice));
        }
        QuietBasis::None(NoQuietTime::TileOff) => {
            out.push_str("quiet time is off on this tile");
        }
        QuietBasis::None(NoQuietTime::ProfileHasNone(profile)) => {
            out.push_str("no quiet-time setting on profile ");
            out.push_str(profile);
        }
        QuietBasis::None(NoQuietTime::NoRows(setting, purpose_type)) => {
            push_no_rows(&mut out, setting, purpose_type, Channel::Voice);
        }
    }
    out
}
