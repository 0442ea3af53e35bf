//! Local time: compiled schedule rows and the local quiet intervals they give, day by day.

use super::*;

/// A small buffer: `N` items inline, more on the heap. Deciding a call with a realistic
/// setting never allocates for its intervals.
pub(super) struct SmallBuf<T: Copy + Default, const N: usize> {
    pub(super) inline: [T; N],
    pub(super) len: usize,
    pub(super) spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallBuf<T, N> {
    pub(super) fn new() -> Self {
        SmallBuf {
            inline: [T::default(); N],
            len: 0,
            spill: Vec::new(),
        }
    }

    pub(super) fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }

    pub(super) fn push(&mut self, item: T) {
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

    pub(super) fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [T] {
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
pub(super) struct CompiledBlock {
    pub(super) weekdays: u8,
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) source: Source,
}

/// Quiet dates as day numbers, inclusive.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CompiledDates {
    pub(super) from: i64,
    pub(super) to: i64,
    pub(super) source: Source,
}

/// The rows for one channel, parsed once per decision: blocks sorted by start, dates as day
/// numbers.
pub(super) struct Compiled {
    pub(super) blocks: SmallBuf<CompiledBlock, 8>,
    pub(super) dates: SmallBuf<CompiledDates, 8>,
    /// The weekly blocks of one week from Monday 00:00, merged where they touch on the wall
    /// clock; a run may reach into the next week.
    pub(super) week: SmallBuf<WeekRun, 8>,
}

/// A merged run of weekly blocks, seconds from Monday 00:00 on the wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WeekRun {
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) first: Source,
    pub(super) last: Source,
}

pub(super) fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.to_chrono().num_days_from_monday()
}

impl Compiled {
    pub(super) fn new(rows: &[ScheduleRow], channel: Channel) -> Compiled {
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
    pub(super) fn has_dates_in(&self, first_day: i64, last_day: i64) -> bool {
        self.dates
            .as_slice()
            .iter()
            .any(|d| d.from <= last_day && first_day <= d.to)
    }

    /// The block or date holding a wall-clock time (for explanations).
    pub(super) fn holding(&self, local: LocalTime) -> Option<Source> {
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
pub(super) struct LocalTime {
    pub(super) secs: i64,
}

impl LocalTime {
    pub(super) fn naive(self) -> NaiveDateTime {
        naive_of(self.secs)
    }
}

/// The calendar form of seconds since 1970-01-01T00:00 (UTC or wall clock alike).
pub(super) fn naive_of(secs: i64) -> NaiveDateTime {
    instant(secs).naive_utc()
}

/// Quiet `[start, end)` on the wall clock; `first` is where it starts, `last` where its end
/// comes from (they differ once touching intervals are merged).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LocalInterval {
    pub(super) start: LocalTime,
    pub(super) end: LocalTime,
    pub(super) first: Source,
    pub(super) last: Source,
}

pub(super) fn at_seconds(base: i64, secs: i64) -> LocalTime {
    LocalTime { secs: base + secs }
}

/// The quiet intervals starting on local `day` (`date`), sorted by start.
pub(super) fn fill_day(
    compiled: &Compiled,
    day: i64,
    with_dates: bool,
    out: &mut SmallBuf<LocalInterval, 4>,
) {
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
pub(super) struct LocalIntervals<'a> {
    pub(super) compiled: &'a Compiled,
    pub(super) with_dates: bool,
    pub(super) day: i64,
    pub(super) last_day: i64,
    pub(super) buffer: SmallBuf<LocalInterval, 4>,
    pub(super) position: usize,
    pub(super) pending: Option<LocalInterval>,
    /// Set when no quiet date is in range: whole weeks of compiled runs instead of days.
    pub(super) weekly: Option<WeeklyCursor>,
}

/// Where the weekly walk is: the Monday 00:00 of the current week and the next run.
#[derive(Debug, Clone, Copy)]
pub(super) struct WeeklyCursor {
    pub(super) base: i64,
    pub(super) position: usize,
    /// Runs ending before this (two days before the start, wall clock) cannot matter.
    pub(super) skip_before: i64,
}

impl<'a> LocalIntervals<'a> {
    pub(super) fn new(
        compiled: &'a Compiled,
        first: LocalTime,
        last_day: i64,
    ) -> LocalIntervals<'a> {
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
    pub(super) fn walk_weeks_if_no_dates(&mut self, first: LocalTime) {
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

    pub(super) fn weekly_next(&mut self, mut cursor: WeeklyCursor) -> Option<LocalInterval> {
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

    pub(super) fn raw_next(&mut self) -> Option<LocalInterval> {
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
