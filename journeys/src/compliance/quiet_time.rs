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
    let equals = |value: Option<&str>| {
        value.is_some_and(|v| v.trim().eq_ignore_ascii_case(condition.value.trim()))
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `rows[row].weekly_blocks[block]`.
    Block { row: usize, block: usize },
    /// `rows[row].quiet_dates[date]`.
    Date { row: usize, date: usize },
}

/// A quiet interval in wall-clock seconds, `[start, end)`.
#[derive(Debug, Clone, Copy)]
struct LocalInterval {
    start: i64,
    end: i64,
    source: Source,
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

/// The quiet intervals starting on one local day, sorted by start. Sixteen fit inline; a
/// pathological setting spills to the heap.
struct DayIntervals {
    inline: [LocalInterval; 16],
    len: usize,
    spill: Vec<LocalInterval>,
}

impl DayIntervals {
    fn new() -> DayIntervals {
        DayIntervals {
            inline: [LocalInterval {
                start: 0,
                end: 0,
                source: Source::Date { row: 0, date: 0 },
            }; 16],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }

    fn push(&mut self, interval: LocalInterval) {
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = interval;
            self.len += 1;
        } else {
            self.spill.push(interval);
        }
    }

    fn sort(&mut self) {
        if self.spill.is_empty() {
            self.inline[..self.len].sort_unstable_by_key(|i| i.start);
        } else {
            self.spill.extend_from_slice(&self.inline[..self.len]);
            self.len = 0;
            self.spill.sort_unstable_by_key(|i| i.start);
        }
    }

    fn get(&self, index: usize) -> Option<LocalInterval> {
        if self.spill.is_empty() {
            self.inline[..self.len].get(index).copied()
        } else {
            self.spill.get(index).copied()
        }
    }
}

/// Quiet intervals in local-start order, day by day from `day` through `last_day`.
struct LocalIntervals<'a> {
    rows: &'a [ScheduleRow],
    channel: Channel,
    day: i64,
    last_day: i64,
    buffer: DayIntervals,
    position: usize,
}

impl<'a> LocalIntervals<'a> {
    fn new(schedule: &AppliedSchedule<'a>, day: i64, last_day: i64) -> LocalIntervals<'a> {
        LocalIntervals {
            rows: schedule.rows,
            channel: schedule.channel,
            day,
            last_day,
            buffer: DayIntervals::new(),
            position: 0,
        }
    }

    fn fill(&mut self, day: i64) {
        self.position = 0;
        fill_day(self.rows, self.channel, day, true, &mut self.buffer);
    }
}

/// The quiet intervals starting on local `day`, sorted by start; quiet dates only when
/// `with_dates`.
fn fill_day(
    rows: &[ScheduleRow],
    channel: Channel,
    day: i64,
    with_dates: bool,
    buffer: &mut DayIntervals,
) {
    buffer.clear();
    let base = day * DAY;
    let weekday = weekday_of(day);
    for (row_index, row) in rows.iter().enumerate() {
        if !row.channels.contains(&channel) {
            continue;
        }
        for (date_index, dates) in row.quiet_dates.iter().enumerate() {
            let (a, b) = (epoch_day(dates.from), epoch_day(dates.to));
            if with_dates && a.min(b) <= day && day <= a.max(b) {
                buffer.push(LocalInterval {
                    start: base,
                    end: base + DAY,
                    source: Source::Date {
                        row: row_index,
                        date: date_index,
                    },
                });
            }
        }
        for (block_index, block) in row.weekly_blocks.iter().enumerate() {
            if !block.weekdays.contains(&weekday) {
                continue;
            }
            let (start, end) = block_span(block);
            buffer.push(LocalInterval {
                start: base + start,
                end: base + end,
                source: Source::Block {
                    row: row_index,
                    block: block_index,
                },
            });
        }
    }
    buffer.sort();
}

/// Merged quiet runs `[start, end)` in wall-clock seconds for the intervals starting on days
/// `first_day..=last_day` (no zone: the setting validator measures in wall-clock time).
pub(crate) fn wall_clock_runs(
    rows: &[ScheduleRow],
    channel: Channel,
    first_day: i64,
    last_day: i64,
    with_dates: bool,
) -> Vec<(i64, i64)> {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    let mut buffer = DayIntervals::new();
    for day in first_day..=last_day {
        fill_day(rows, channel, day, with_dates, &mut buffer);
        let mut index = 0;
        while let Some(interval) = buffer.get(index) {
            index += 1;
            match runs.last_mut() {
                Some(run) if interval.start <= run.1 => run.1 = run.1.max(interval.end),
                _ => runs.push((interval.start, interval.end)),
            }
        }
    }
    runs
}

impl Iterator for LocalIntervals<'_> {
    type Item = LocalInterval;

    fn next(&mut self) -> Option<LocalInterval> {
        loop {
            if let Some(interval) = self.buffer.get(self.position) {
                self.position += 1;
                return Some(interval);
            }
            if self.day > self.last_day {
                return None;
            }
            let day = self.day;
            self.fill(day);
            self.day += 1;
        }
    }
}

fn naive(seconds: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.naive_utc())
}

fn offset_seconds(offset: &impl Offset) -> i64 {
    i64::from(offset.fix().local_minus_utc())
}

/// Wall-clock seconds of an instant in `zone`.
pub(crate) fn local_of(zone: Tz, instant: i64) -> i64 {
    naive(instant).map_or(instant, |n| {
        instant + offset_seconds(&zone.offset_from_utc_datetime(&n))
    })
}

/// The instant a local quiet bound means (D14): earlier of a repeated time for a start,
/// later for an end; a skipped time is the transition instant.
fn instant_of(zone: Tz, local: i64, is_end: bool) -> i64 {
    let Some(naive) = naive(local) else {
        return local;
    };
    match zone.offset_from_local_datetime(&naive) {
        LocalResult::Single(offset) => local - offset_seconds(&offset),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (local - offset_seconds(&a), local - offset_seconds(&b));
            if is_end { a.max(b) } else { a.min(b) }
        }
        LocalResult::None => GapInfo::new(&naive, &zone)
            .and_then(|gap| gap.end)
            .map_or_else(
                || local - offset_seconds(&zone.offset_from_utc_datetime(&naive)),
                |end| end.timestamp(),
            ),
    }
}

/// The answer of [`next_allowed`] in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// `now` is allowed.
    Now,
    /// Quiet now; allowed from `until` (before the horizon's end).
    Later {
        until: i64,
        /// The interval holding `now`.
        first: Source,
        /// The interval whose end is `until`.
        last: Source,
    },
    /// Nothing allowed before the horizon's end.
    Beyond,
}

/// Days to walk for `[now, horizon_end)`: from the day before `now`'s local date (a block
/// crossing midnight may hold it) to the last day whose intervals can start before the end.
fn day_range(zone: Tz, now: i64, horizon_end: i64) -> (i64, i64) {
    let first = local_of(zone, now).div_euclid(DAY) - 1;
    let last = (horizon_end + MAX_OFFSET).div_euclid(DAY) + 1;
    (first, last)
}

/// The earliest allowed instant in `[now, horizon_end)`.
pub(crate) fn next_allowed(
    schedule: &AppliedSchedule<'_>,
    zone: Tz,
    now: i64,
    horizon_end: i64,
) -> Next {
    if now >= horizon_end {
        return Next::Beyond;
    }
    let (first_day, last_day) = day_range(zone, now, horizon_end);
    let mut t = now;
    let mut held: Option<(Source, Source)> = None;
    for interval in LocalIntervals::new(schedule, first_day, last_day) {
        if interval.start - MAX_OFFSET > t {
            break;
        }
        if interval.end + MAX_OFFSET <= t {
            continue;
        }
        if instant_of(zone, interval.start, false) > t {
            break;
        }
        let end = instant_of(zone, interval.end, true);
        if end > t {
            t = end;
            held = Some((
                held.map_or(interval.source, |(first, _)| first),
                interval.source,
            ));
            if t >= horizon_end {
                return Next::Beyond;
            }
        }
    }
    match held {
        None => Next::Now,
        Some((first, last)) => Next::Later {
            until: t,
            first,
            last,
        },
    }
}

/// Allowed windows in `[from, horizon_end)`, in order, appended to `out`.
pub(crate) fn allowed_windows_into(
    schedule: &AppliedSchedule<'_>,
    zone: Tz,
    from: i64,
    horizon_end: i64,
    out: &mut Vec<Window>,
) {
    if from >= horizon_end {
        return;
    }
    let (first_day, last_day) = day_range(zone, from, horizon_end);
    let mut cursor = from;
    for interval in LocalIntervals::new(schedule, first_day, last_day) {
        if interval.start - MAX_OFFSET >= horizon_end {
            break;
        }
        if interval.end + MAX_OFFSET <= cursor {
            continue;
        }
        let start = instant_of(zone, interval.start, false);
        if start >= horizon_end {
            break;
        }
        let end = instant_of(zone, interval.end, true);
        if start > cursor {
            out.push(window(cursor, start));
        }
        cursor = cursor.max(end);
        if cursor >= horizon_end {
            return;
        }
    }
    out.push(window(cursor, horizon_end));
}

pub(crate) fn window(start: i64, end: i64) -> Window {
    Window {
        start: instant(start),
        end: instant(end),
    }
}

pub(crate) fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
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
    let start = now.timestamp();
    let end = start.saturating_add(within.num_seconds());
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
    match next_allowed(&schedule, query.zone, start, end) {
        Next::Now => QuietTimeAnswer {
            next: Some(now),
            explanation: explain::allowed_now(&schedule, query.zone),
        },
        Next::Later { until, first, last } => QuietTimeAnswer {
            next: Some(instant(until)),
            explanation: explain::held(&schedule, query.zone, until, first, last, None),
        },
        Next::Beyond => QuietTimeAnswer {
            next: None,
            explanation: explain::no_window(query.zone, end, query.zone.name()),
        },
    }
}

/// The allowed windows in `[now, now + within)` under a setting, UTC, half-open, in order.
pub fn allowed_windows(
    query: &QuietTimeQuery<'_>,
    now: DateTime<Utc>,
    within: chrono::Duration,
) -> Vec<Window> {
    let start = now.timestamp();
    let end = start.saturating_add(within.num_seconds());
    let mut out = Vec::new();
    match AppliedSchedule::choose(
        query.setting,
        query.purpose_type,
        query.channel,
        &query.subject,
    ) {
        Some(schedule) => allowed_windows_into(&schedule, query.zone, start, end, &mut out),
        None if start < end => out.push(window(start, end)),
        None => {}
    }
    out
}

/// Whether an instant is inside quiet time under a schedule (a direct check, used by tests and
/// by anyone who wants to verify an answer).
pub fn is_quiet(schedule: &AppliedSchedule<'_>, zone: Tz, at: DateTime<Utc>) -> bool {
    let t = at.timestamp();
    let (first_day, last_day) = day_range(zone, t, t + 1);
    LocalIntervals::new(schedule, first_day, last_day).any(|interval| {
        instant_of(zone, interval.start, false) <= t && t < instant_of(zone, interval.end, true)
    })
}
