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

/// A small buffer: `N` items inline, more on the heap. Deciding a call with a realistic
/// setting never allocates for its intervals.
struct SmallBuf<T: Copy + Default, const N: usize> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallBuf<T, N> {
    fn new() -> Self {
        SmallBuf {
            inline: [T::default(); N],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }

    fn push(&mut self, item: T) {
        if self.spill.is_empty()
            && let Some(slot) = self.inline.get_mut(self.len)
        {
            *slot = item;
            self.len += 1;
            return;
        }
        if self.spill.is_empty() {
            self.spill.extend_from_slice(&self.inline[..self.len]);
        }
        self.spill.push(item);
    }

    fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.spill.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.spill
        }
    }
}

/// A weekly block, parsed: weekday bit mask (Mon = bit 0), start and end in seconds from the
/// start day's midnight (the end may reach into the next day).
#[derive(Debug, Clone, Copy, Default)]
struct CompiledBlock {
    weekdays: u8,
    start: i64,
    end: i64,
    source: Source,
}

/// Quiet dates as day numbers, inclusive.
#[derive(Debug, Clone, Copy, Default)]
struct CompiledDates {
    from: i64,
    to: i64,
    source: Source,
}

/// The rows for one channel, parsed once per decision: blocks sorted by start, dates as day
/// numbers.
struct Compiled {
    blocks: SmallBuf<CompiledBlock, 8>,
    dates: SmallBuf<CompiledDates, 8>,
    /// The weekly blocks of one week from Monday 00:00, merged where they touch on the wall
    /// clock; a run may reach into the next week.
    week: SmallBuf<WeekRun, 8>,
}

/// A merged run of weekly blocks, seconds from Monday 00:00 on the wall clock.
#[derive(Debug, Clone, Copy, Default)]
struct WeekRun {
    start: i64,
    end: i64,
    first: Source,
    last: Source,
}

fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.to_chrono().num_days_from_monday()
}

impl Compiled {
    fn new(rows: &[ScheduleRow], channel: Channel) -> Compiled {
        let mut compiled = Compiled {
            blocks: SmallBuf::new(),
            dates: SmallBuf::new(),
            week: SmallBuf::new(),
        };
        // Indexes only name a block in explanations; a setting with 65,535 rows is not real.
        let index = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        for (row_index, row) in rows.iter().enumerate() {
            if !row.channels.contains(&channel) {
                continue;
            }
            let row_index = index(row_index);
            for (date, dates) in row.quiet_dates.iter().enumerate() {
                let date = index(date);
                let (a, b) = (epoch_day(dates.from), epoch_day(dates.to));
                compiled.dates.push(CompiledDates {
                    from: a.min(b),
                    to: a.max(b),
                    source: Source::Date {
                        row: row_index,
                        date,
                    },
                });
            }
            for (block_index, block) in row.weekly_blocks.iter().enumerate() {
                let block_index = index(block_index);
                let weekdays = block.weekdays.iter().fold(0, |m, d| m | weekday_bit(*d));
                if weekdays == 0 {
                    continue;
                }
                let (start, end) = block_span(block);
                compiled.blocks.push(CompiledBlock {
                    weekdays,
                    start,
                    end,
                    source: Source::Block {
                        row: row_index,
                        block: block_index,
                    },
                });
            }
        }
        compiled.blocks.as_mut_slice().sort_by_key(|b| b.start);
        let mut runs: SmallBuf<WeekRun, 8> = SmallBuf::new();
        let mut last: Option<WeekRun> = None;
        for day in 0..7 {
            for block in compiled.blocks.as_slice() {
                if block.weekdays & (1 << day) == 0 {
                    continue;
                }
                let (start, end) = (day * DAY + block.start, day * DAY + block.end);
                match last.as_mut() {
                    Some(run) if start <= run.end => {
                        if end > run.end {
                            run.end = end;
                            run.last = block.source;
                        }
                    }
                    _ => {
                        if let Some(done) = last.take() {
                            runs.push(done);
                        }
                        last = Some(WeekRun {
                            start,
                            end,
                            first: block.source,
                            last: block.source,
                        });
                    }
                }
            }
        }
        if let Some(done) = last {
            runs.push(done);
        }
        compiled.week = runs;
        compiled
    }

    /// Whether a quiet date falls on a day in `first_day..=last_day`.
    fn has_dates_in(&self, first_day: i64, last_day: i64) -> bool {
        self.dates
            .as_slice()
            .iter()
            .any(|d| d.from <= last_day && first_day <= d.to)
    }

    /// The block or date holding a wall-clock time (for explanations).
    fn holding(&self, local: LocalTime) -> Option<Source> {
        let day = local.secs.div_euclid(DAY);
        if let Some(dates) = self
            .dates
            .as_slice()
            .iter()
            .find(|d| d.from <= day && day <= d.to)
        {
            return Some(dates.source);
        }
        [day - 1, day].into_iter().find_map(|start_day| {
            let bit = weekday_bit(weekday_of(start_day));
            let base = start_day * DAY;
            self.blocks
                .as_slice()
                .iter()
                .find(|b| {
                    b.weekdays & bit != 0
                        && base + b.start <= local.secs
                        && local.secs < base + b.end
                })
                .map(|b| b.source)
        })
    }
}

/// A wall-clock time: seconds since 1970-01-01T00:00 on the wall clock. The calendar form is
/// built only when needed (a bound near an offset change, an explanation): most bounds are
/// converted with a steady offset and never need it.
#[derive(Debug, Clone, Copy, Default)]
struct LocalTime {
    secs: i64,
}

impl LocalTime {
    fn naive(self) -> NaiveDateTime {
        naive_of(self.secs)
    }
}

/// The calendar form of seconds since 1970-01-01T00:00 (UTC or wall clock alike).
fn naive_of(secs: i64) -> NaiveDateTime {
    instant(secs).naive_utc()
}

/// Quiet `[start, end)` on the wall clock; `first` is where it starts, `last` where its end
/// comes from (they differ once touching intervals are merged).
#[derive(Debug, Clone, Copy, Default)]
struct LocalInterval {
    start: LocalTime,
    end: LocalTime,
    first: Source,
    last: Source,
}

fn at_seconds(base: i64, secs: i64) -> LocalTime {
    LocalTime { secs: base + secs }
}

/// The quiet intervals starting on local `day` (`date`), sorted by start.
fn fill_day(compiled: &Compiled, day: i64, with_dates: bool, out: &mut SmallBuf<LocalInterval, 4>) {
    out.clear();
    let base = day * DAY;
    if with_dates {
        for dates in compiled.dates.as_slice() {
            if dates.from <= day && day <= dates.to {
                out.push(LocalInterval {
                    start: at_seconds(base, 0),
                    end: at_seconds(base, DAY),
                    first: dates.source,
                    last: dates.source,
                });
            }
        }
    }
    // Blocks are sorted by start and dates start at midnight: the day comes out sorted.
    let bit = weekday_bit(weekday_of(day));
    for block in compiled.blocks.as_slice() {
        if block.weekdays & bit != 0 {
            out.push(LocalInterval {
                start: at_seconds(base, block.start),
                end: at_seconds(base, block.end),
                first: block.source,
                last: block.source,
            });
        }
    }
}

/// Quiet intervals in local-start order, day by day from `day` through `last_day`, with
/// touching or overlapping ones merged on the wall clock (exact: what touches on the wall
/// clock touches in time; intervals that only overlap in time, inside a repeated hour, are
/// merged by the sweeps).
struct LocalIntervals<'a> {
    compiled: &'a Compiled,
    with_dates: bool,
    day: i64,
    last_day: i64,
    buffer: SmallBuf<LocalInterval, 4>,
    position: usize,
    pending: Option<LocalInterval>,
    /// Set when no quiet date is in range: whole weeks of compiled runs instead of days.
    weekly: Option<WeeklyCursor>,
}

/// Where the weekly walk is: the Monday 00:00 of the current week and the next run.
#[derive(Debug, Clone, Copy)]
struct WeeklyCursor {
    base: i64,
    position: usize,
    /// Runs ending before this (two days before the start, wall clock) cannot matter.
    skip_before: i64,
}

impl<'a> LocalIntervals<'a> {
    fn new(compiled: &'a Compiled, first: LocalTime, last_day: i64) -> LocalIntervals<'a> {
        let day = first.secs.div_euclid(DAY);
        LocalIntervals {
            compiled,
            with_dates: true,
            day,
            last_day,
            buffer: SmallBuf::new(),
            position: 0,
            pending: None,
            weekly: None,
        }
    }

    /// Walk whole weeks of compiled runs, from the week before `first`'s (a merged run may
    /// start up to eight days before the time it holds), when no quiet date is in range.
    fn walk_weeks_if_no_dates(&mut self, first: LocalTime) {
        let from_day = first.secs.div_euclid(DAY) - 7;
        if self.compiled.has_dates_in(from_day, self.last_day) {
            return;
        }
        let monday_day = from_day - (from_day + 3).rem_euclid(7);
        self.weekly = Some(WeeklyCursor {
            base: monday_day * DAY,
            position: 0,
            skip_before: first.secs - 2 * DAY,
        });
    }

    fn weekly_next(&mut self, mut cursor: WeeklyCursor) -> Option<LocalInterval> {
        let runs = self.compiled.week.as_slice();
        let limit = (self.last_day + 1) * DAY;
        let found = loop {
            if let Some(run) = runs.get(cursor.position) {
                cursor.position += 1;
                if cursor.base + run.end < cursor.skip_before {
                    continue;
                }
                break *run;
            }
            if runs.is_empty() || cursor.base > limit {
                return None;
            }
            cursor.base += 7 * DAY;
            cursor.position = 0;
        };
        self.weekly = Some(cursor);
        if cursor.base + found.start > limit {
            return None;
        }
        let at = |offset: i64| LocalTime {
            secs: cursor.base + offset,
        };
        Some(LocalInterval {
            start: at(found.start),
            end: at(found.end),
            first: found.first,
            last: found.last,
        })
    }

    fn raw_next(&mut self) -> Option<LocalInterval> {
        if let Some(cursor) = self.weekly {
            return self.weekly_next(cursor);
        }
        loop {
            if let Some(interval) = self.buffer.as_slice().get(self.position) {
                self.position += 1;
                return Some(*interval);
            }
            if self.day > self.last_day {
                return None;
            }
            fill_day(self.compiled, self.day, self.with_dates, &mut self.buffer);
            self.position = 0;
            self.day += 1;
        }
    }
}

impl Iterator for LocalIntervals<'_> {
    type Item = LocalInterval;

    fn next(&mut self) -> Option<LocalInterval> {
        let mut run = match self.pending.take() {
            Some(run) => run,
            None => self.raw_next()?,
        };
        loop {
            match self.raw_next() {
                Some(next) if next.start.secs <= run.end.secs => {
                    if next.end.secs > run.end.secs {
                        run.end = next.end;
                        run.last = next.last;
                    }
                }
                other => {
                    self.pending = other;
                    return Some(run);
                }
            }
        }
    }
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
    let compiled = Compiled::new(rows, channel);
    if date_of_day(first_day).is_none() {
        return Vec::new();
    }
    let first = LocalTime {
        secs: first_day * DAY,
    };
    let mut intervals = LocalIntervals::new(&compiled, first, last_day);
    intervals.with_dates = with_dates;
    intervals
        .map(|run| (run.start.secs, run.end.secs))
        .collect()
}

/// The date of a day number.
pub(crate) fn date_of_day(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + UNIX_EPOCH_DAYS_FROM_CE).ok()?)
}

/// An instant: Unix seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instant {
    pub(crate) secs: i64,
}

impl Instant {
    pub(crate) fn of(at: DateTime<Utc>) -> Instant {
        Instant {
            secs: at.timestamp(),
        }
    }

    pub(crate) fn utc(self) -> DateTime<Utc> {
        instant(self.secs)
    }
}

fn offset_seconds(offset: &impl Offset) -> i64 {
    i64::from(offset.fix().local_minus_utc())
}

/// The wall-clock time of an instant in `zone`.
fn local_of(zone: Tz, instant: Instant) -> LocalTime {
    LocalTime {
        secs: instant.secs + offset_at(zone, instant.secs),
    }
}

/// The wall-clock time of an instant in `zone`, as a `NaiveDateTime`.
pub(crate) fn local_naive(zone: Tz, instant: DateTime<Utc>) -> NaiveDateTime {
    local_of(zone, Instant::of(instant)).naive()
}

/// The instant a wall-clock time in `zone` names: the earlier of a repeated time, the
/// transition instant for a skipped one (D14, as for the start of a quiet period).
pub(crate) fn instant_at_local(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let secs = local.and_utc().timestamp();
    instant_of(zone, LocalTime { secs }, false).0.utc()
}

/// The instant a local quiet bound means (D14): earlier of a repeated time for a start,
/// later for an end; a skipped time is the transition instant. The flag says whether the
/// wall clock reads `local` at that instant (false for a skipped time).
fn instant_of(zone: Tz, local: LocalTime, is_end: bool) -> (Instant, bool) {
    let at = |offset: i64| Instant {
        secs: local.secs - offset,
    };
    let naive = local.naive();
    match zone.offset_from_local_datetime(&naive) {
        LocalResult::Single(offset) => (at(offset_seconds(&offset)), true),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (offset_seconds(&a), offset_seconds(&b));
            // The larger offset is the earlier instant.
            (at(if is_end { a.min(b) } else { a.max(b) }), true)
        }
        LocalResult::None => match GapInfo::new(&naive, &zone).and_then(|gap| gap.end) {
            Some(end) => (Instant::of(end.with_timezone(&Utc)), false),
            None => (at(offset_at(zone, local.secs)), false),
        },
    }
}

/// Shorter than the closest pair of offset changes in the tzdb chrono-tz carries: 6.96 days
/// (America/Noronha in 2000; 6.96 days is also Gaza's and Hebron's closest, in 2040+). Within a
/// UTC span this short a zone changes its offset at most once, so equal offsets at both ends mean
/// one offset throughout. Checked over every zone of chrono-tz 0.10.4 (the version Cargo.lock
/// pins); BENCHMARKS.md ("Consent and quiet-time decisions") says how. Re-check on an upgrade.
const STEADY_SPAN: i64 = 6 * DAY;

/// UTC seconds `[from, to]` over which a zone keeps one offset (empty when `from > to`).
#[derive(Debug, Clone, Copy)]
struct Steady {
    from: i64,
    to: i64,
    offset: i64,
}

impl Steady {
    const EMPTY: Steady = Steady {
        from: 1,
        to: 0,
        offset: 0,
    };

    fn covers(self, from: i64, to: i64) -> bool {
        self.from <= from && to <= self.to
    }
}

/// What is known of a zone's offsets around the bounds converted so far: up to two steady
/// spans either side of one change (`before` ends where `after` begins, less a second).
#[derive(Debug, Clone, Copy)]
struct Offsets {
    before: Steady,
    after: Steady,
}

fn offset_at(zone: Tz, secs: i64) -> i64 {
    offset_seconds(&zone.offset_from_utc_datetime(&instant(secs).naive_utc()))
}

/// The answer of [`Evaluator::evaluate`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Next {
    /// `now` is allowed.
    Now,
    /// Quiet now; allowed from `until` (before the horizon's end).
    Later {
        until: Instant,
        /// `until` on the wall clock, when known without another look-up.
        until_local: Option<NaiveDateTime>,
        /// The block or date holding `now`.
        first: Source,
        /// The block or date whose end is `until`.
        last: Source,
    },
    /// Nothing allowed before the horizon's end.
    Beyond,
}

/// A schedule ready to answer: compiled rows and the zone.
pub(crate) struct Evaluator {
    compiled: Compiled,
    zone: Tz,
    offsets: Cell<Offsets>,
}

impl Evaluator {
    pub(crate) fn new(schedule: &AppliedSchedule<'_>, zone: Tz) -> Evaluator {
        Evaluator {
            compiled: Compiled::new(schedule.rows, schedule.channel),
            zone,
            offsets: Cell::new(Offsets {
                before: Steady::EMPTY,
                after: Steady::EMPTY,
            }),
        }
    }

    /// [`instant_of`], with one offset for a whole steady span: a local time whose every
    /// possible instant (± [`MAX_OFFSET`]) lies in a span where the zone keeps offset `o` has
    /// exactly one instant, `local - o` — neither repeated nor skipped. Two UTC look-ups cover
    /// [`STEADY_SPAN`] less 36 hours, instead of one local look-up per bound; a bound near an
    /// offset change falls back to [`instant_of`] and D14's rules.
    fn instant_of(&self, local: LocalTime, is_end: bool) -> (Instant, bool) {
        let (lo, hi) = (local.secs - MAX_OFFSET, local.secs + MAX_OFFSET);
        let mut known = self.offsets.get();
        if !(known.before.from <= lo && hi <= known.after.to) {
            known = match known.after {
                // Going forward past a steady span: extend it from its end, whose offset is
                // known (one look-up instead of two, and a full span more).
                span if span.from <= span.to && span.from <= lo && lo <= span.to => {
                    // `next.before` starts at `span.to` with `span`'s offset: join them.
                    let next = self.steady_from(span.to, Some(span.offset));
                    let join = |part: Steady| {
                        if part.from == span.to {
                            Steady {
                                from: span.from,
                                ..part
                            }
                        } else {
                            part
                        }
                    };
                    Offsets {
                        before: join(next.before),
                        after: join(next.after),
                    }
                }
                _ => self.steady_from(lo, None),
            };
            self.offsets.set(known);
        }
        let steady = [known.before, known.after]
            .into_iter()
            .find(|span| span.covers(lo, hi));
        match steady {
            Some(span) => (
                Instant {
                    secs: local.secs - span.offset,
                },
                true,
            ),
            None => instant_of(self.zone, local, is_end),
        }
    }

    /// The steady spans of `[from, from + STEADY_SPAN]`: one, or two around the one change
    /// (found by bisection on UTC look-ups). `known` is the offset at `from`, when known.
    fn steady_from(&self, from: i64, known: Option<i64>) -> Offsets {
        let to = from + STEADY_SPAN;
        let first = known.unwrap_or_else(|| offset_at(self.zone, from));
        let last = offset_at(self.zone, to);
        if first == last {
            let span = Steady {
                from,
                to,
                offset: first,
            };
            return Offsets {
                before: span,
                after: span,
            };
        }
        // offset(low) == first, offset(high) == last; at most one change between them.
        let (mut low, mut high) = (from, to);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if offset_at(self.zone, middle) == first {
                low = middle;
            } else {
                high = middle;
            }
        }
        Offsets {
            before: Steady {
                from,
                to: low,
                offset: first,
            },
            after: Steady {
                from: high,
                to,
                offset: last,
            },
        }
    }

    /// Intervals from the day before `local`'s date (a block crossing midnight may hold it)
    /// to the last day whose intervals can start before `until`.
    fn intervals(&self, local: LocalTime, until: i64) -> LocalIntervals<'_> {
        let day_before = LocalTime {
            secs: local.secs - DAY,
        };
        let last_day = (until + MAX_OFFSET).div_euclid(DAY) + 1;
        let mut intervals = LocalIntervals::new(&self.compiled, day_before, last_day);
        intervals.walk_weeks_if_no_dates(local);
        intervals
    }

    /// One sweep over `[from, horizon_end)`: the earliest allowed instant and, when that is
    /// `from` itself and `windows` is given, every allowed window in order (the first starts
    /// at `from`). A hold stops at the first allowed instant: nothing later is converted.
    pub(crate) fn evaluate(
        &self,
        from: Instant,
        horizon_end: i64,
        mut windows: Option<&mut Vec<Window>>,
    ) -> Next {
        if from.secs >= horizon_end {
            return Next::Beyond;
        }
        let mut cursor = from;
        // While holding: (first source, last source, cursor on the wall clock).
        let mut held: Option<(Source, Source, Option<LocalTime>)> = None;
        let mut sending = false;
        let local = local_of(self.zone, from);
        let later = |cursor: Instant, held: (Source, Source, Option<LocalTime>)| Next::Later {
            until: cursor,
            until_local: held.2.map(LocalTime::naive),
            first: self.compiled.holding(local).unwrap_or(held.0),
            last: held.1,
        };
        for run in self.intervals(local, horizon_end) {
            if !sending && run.start.secs - MAX_OFFSET > cursor.secs {
                // Nothing from here on can hold the cursor: it is allowed.
                match held {
                    Some(held) => return later(cursor, held),
                    None if windows.is_none() => return Next::Now,
                    None => sending = true,
                }
            }
            if sending && run.start.secs - MAX_OFFSET >= horizon_end {
                break;
            }
            if run.end.secs + MAX_OFFSET <= cursor.secs {
                continue;
            }
            let (start, _) = self.instant_of(run.start, false);
            if !sending && start.secs > cursor.secs {
                match held {
                    Some(held) => return later(cursor, held),
                    None if windows.is_none() => return Next::Now,
                    None => sending = true,
                }
            }
            if sending && start.secs >= horizon_end {
                break;
            }
            let (end, exact) = self.instant_of(run.end, true);
            // Nothing to do for a run already passed, or emptied by a skipped hour.
            if end.secs <= cursor.secs || end.secs <= start.secs {
                continue;
            }
            if sending {
                if start.secs > cursor.secs
                    && let Some(out) = windows.as_deref_mut()
                {
                    reserve_for(out, from, horizon_end);
                    out.push(Window {
                        start: cursor.utc(),
                        end: start.utc(),
                    });
                }
                cursor = end;
                if cursor.secs >= horizon_end {
                    return Next::Now;
                }
            } else {
                let first = held.map_or(run.first, |(first, _, _)| first);
                held = Some((first, run.last, exact.then_some(run.end)));
                cursor = end;
                if cursor.secs >= horizon_end {
                    return Next::Beyond;
                }
            }
        }
        if let Some(held) = held {
            return later(cursor, held);
        }
        if let Some(out) = windows {
            reserve_for(out, from, horizon_end);
            out.push(Window {
                start: cursor.utc(),
                end: instant(horizon_end),
            });
        }
        Next::Now
    }

    /// Whether an instant is inside quiet time.
    fn is_quiet(&self, at: Instant) -> bool {
        let local = local_of(self.zone, at);
        self.intervals(local, at.secs + 1).any(|run| {
            self.instant_of(run.start, false).0.secs <= at.secs
                && at.secs < self.instant_of(run.end, true).0.secs
        })
    }
}

/// One allocation for the windows of a send: about one per day, plus the ends.
fn reserve_for(out: &mut Vec<Window>, from: Instant, horizon_end: i64) {
    if out.capacity() == 0 {
        let days = usize::try_from((horizon_end - from.secs) / DAY).unwrap_or(0);
        out.reserve_exact(days + 2);
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

#[cfg(test)]
mod steady_tests {
    use super::*;
    use crate::catalog::ScheduleRow;

    /// The steady-span shortcut converts every local time exactly as chrono-tz's own local
    /// look-up (with D14's rules) does, in every zone, across a year with its changes, and
    /// in both directions of travel (the spans are cached between calls).
    #[test]
    fn steady_spans_convert_like_the_local_look_up() {
        let rows: [ScheduleRow; 0] = [];
        let start = NaiveDate::from_ymd_opt(2026, 1, 1)
            .map(epoch_day)
            .unwrap_or_default()
            * DAY;
        for zone in chrono_tz::TZ_VARIANTS {
            let evaluator = Evaluator {
                compiled: Compiled::new(&rows, Channel::Voice),
                zone,
                offsets: Cell::new(Offsets {
                    before: Steady::EMPTY,
                    after: Steady::EMPTY,
                }),
            };
            let forward = (0..1300).map(|step| start + step * 7 * 3600 + step % 60);
            let backward = (0..200).map(|step| start + 40 * DAY - step * 5 * 3600);
            for secs in forward.chain(backward) {
                let naive = naive_of(secs);
                let local = LocalTime { secs };
                for is_end in [false, true] {
                    let (fast, fast_exact) = evaluator.instant_of(local, is_end);
                    let (slow, slow_exact) = instant_of(zone, local, is_end);
                    assert_eq!(
                        (fast.secs, fast_exact),
                        (slow.secs, slow_exact),
                        "{} at local {naive}",
                        zone.name()
                    );
                }
            }
        }
    }
}
