//! From local intervals to instants in a zone (D14), and the evaluator the public questions use.

use super::local::*;
use super::*;

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

pub(super) fn offset_seconds(offset: &impl Offset) -> i64 {
    i64::from(offset.fix().local_minus_utc())
}

/// The wall-clock time of an instant in `zone`.
pub(super) fn local_of(zone: Tz, instant: Instant) -> LocalTime {
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
pub(super) fn instant_of(zone: Tz, local: LocalTime, is_end: bool) -> (Instant, bool) {
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
pub(super) const STEADY_SPAN: i64 = 6 * DAY;

/// UTC seconds `[from, to]` over which a zone keeps one offset (empty when `from > to`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Steady {
    pub(super) from: i64,
    pub(super) to: i64,
    pub(super) offset: i64,
}

impl Steady {
    const EMPTY: Steady = Steady {
        from: 1,
        to: 0,
        offset: 0,
    };

    pub(super) fn covers(self, from: i64, to: i64) -> bool {
        self.from <= from && to <= self.to
    }
}

/// What is known of a zone's offsets around the bounds converted so far: up to two steady
/// spans either side of one change (`before` ends where `after` begins, less a second).
#[derive(Debug, Clone, Copy)]
pub(super) struct Offsets {
    pub(super) before: Steady,
    pub(super) after: Steady,
}

pub(super) fn offset_at(zone: Tz, secs: i64) -> i64 {
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
    pub(super) compiled: Compiled,
    pub(super) zone: Tz,
    pub(super) offsets: Cell<Offsets>,
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
    pub(super) fn instant_of(&self, local: LocalTime, is_end: bool) -> (Instant, bool) {
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
    pub(super) fn steady_from(&self, from: i64, known: Option<i64>) -> Offsets {
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
    pub(super) fn intervals(&self, local: LocalTime, until: i64) -> LocalIntervals<'_> {
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
    pub(super) fn is_quiet(&self, at: Instant) -> bool {
        let local = local_of(self.zone, at);
        self.intervals(local, at.secs + 1).any(|run| {
            self.instant_of(run.start, false).0.secs <= at.secs
                && at.secs < self.instant_of(run.end, true).0.secs
        })
    }
}

/// One allocation for the windows of a send: about one per day, plus the ends.
pub(super) fn reserve_for(out: &mut Vec<Window>, from: Instant, horizon_end: i64) {
    if out.capacity() == 0 {
        let days = usize::try_from((horizon_end - from.secs) / DAY).unwrap_or(0);
        out.reserve_exact(days + 2);
    }
}

pub(crate) fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
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
