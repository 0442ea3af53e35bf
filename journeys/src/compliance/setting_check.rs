//! Checks of a quiet-time setting (domain decision D13): well-formed blocks, date ranges of at
//! most 14 days, no continuous quiet stretch over 21 days, no schedule quiet all week — as
//! validator diagnostics — and the longest quiet stretch the validator compares a wait's time
//! limit with (D18 `TimeLimitShorterThanQuietTime`).
//!
//! Stretches are measured in wall-clock time (a daylight-saving change may add or remove an
//! hour in a real zone).

use chrono::Duration;

use crate::catalog::{PurposeType, QuietTimeSetting, Schedule, ScheduleRow};
use crate::document::Channel;
use crate::validate::{Code, Diagnostic};

use super::explain::channel_label;
use super::quiet_time::{DAY, epoch_day, parse_hhmm, rows_for, wall_clock_runs};

/// Longest quiet date range, in days (inclusive count).
const MAX_RANGE_DAYS: i64 = 14;
/// Longest continuous quiet stretch.
const MAX_STRETCH: i64 = 21 * DAY;
/// 1970-01-05, a Monday: weekly stretches are measured from there.
const A_MONDAY: i64 = 4;
/// Days around a cluster of quiet dates that weekly blocks can join to it (a weekly run
/// longer than a week is the whole week, reported on its own).
const PAD_DAYS: i64 = 8;

/// Every problem of a quiet-time setting, with paths like
/// `general.commercial.0.weeklyBlocks.1.end` (relative to the setting; no tile).
pub fn validate_quiet_time_setting(setting: &QuietTimeSetting) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_schedule(&setting.general, "general", &mut out);
    for (index, rule) in setting.advanced_rules.iter().enumerate() {
        if rule.conditions.is_empty() {
            push(
                &mut out,
                Code::QuietTimeRuleWithoutConditions,
                format!("advancedRules.{index}.conditions"),
                format!(
                    "Advanced rule {} has no conditions, so it matches nobody; add a country, \
                     state or phone prefix.",
                    rule.name
                ),
            );
        }
        check_schedule(
            &rule.schedule,
            &format!("advancedRules.{index}.schedule"),
            &mut out,
        );
    }
    out
}

/// The longest continuous quiet stretch any contact can meet under a setting for (purpose
/// type, channel): the maximum over the general rules and every advanced rule with rows for
/// it, weekly blocks and quiet dates together, in wall-clock time. Zero when no rows apply;
/// [`Duration::MAX`] when a schedule is quiet all week.
///
/// The validator warns `TimeLimitShorterThanQuietTime` when a voice tile's downstream wait is
/// shorter than this for the tile's purpose type and `Channel::Voice`.
pub fn longest_quiet_stretch(
    setting: &QuietTimeSetting,
    purpose_type: PurposeType,
    channel: Channel,
) -> Duration {
    std::iter::once(&setting.general)
        .chain(setting.advanced_rules.iter().map(|rule| &rule.schedule))
        .map(|schedule| stretch_of(rows_for(schedule, purpose_type), channel))
        .map(|stretch| match stretch {
            Stretch::AllWeek => Duration::MAX,
            Stretch::Longest(seconds) => Duration::seconds(seconds),
        })
        .max()
        .unwrap_or(Duration::zero())
}

enum Stretch {
    AllWeek,
    /// Seconds, and nothing longer.
    Longest(i64),
}

/// The longest run with its start (wall-clock seconds), or the whole week.
fn longest_run(rows: &[ScheduleRow], channel: Channel) -> (Stretch, i64) {
    // Three weeks of weekly blocks alone: a run in the middle week is complete unless the
    // whole week is quiet.
    let weekly = wall_clock_runs(rows, channel, A_MONDAY, A_MONDAY + 20, false);
    let middle = ((A_MONDAY + 7) * DAY, (A_MONDAY + 14) * DAY);
    if weekly
        .iter()
        .any(|run| run.0 <= middle.0 && run.1 >= middle.1)
    {
        return (Stretch::AllWeek, 0);
    }
    let mut best = weekly
        .iter()
        .map(|run| (run.1 - run.0, run.0))
        .max()
        .unwrap_or((0, 0));
    // Each cluster of quiet dates, with the weekly blocks around it.
    let mut ranges: Vec<(i64, i64)> = rows
        .iter()
        .filter(|row| row.channels.contains(&channel))
        .flat_map(|row| &row.quiet_dates)
        .map(|d| {
            let (a, b) = (epoch_day(d.from), epoch_day(d.to));
            (a.min(b), a.max(b))
        })
        .collect();
    ranges.sort_unstable();
    let mut index = 0;
    while index < ranges.len() {
        let first = ranges[index].0 - PAD_DAYS;
        let mut last = ranges[index].1 + PAD_DAYS;
        index += 1;
        while index < ranges.len() && ranges[index].0 - PAD_DAYS <= last {
            last = last.max(ranges[index].1 + PAD_DAYS);
            index += 1;
        }
        for run in wall_clock_runs(rows, channel, first, last, true) {
            best = best.max((run.1 - run.0, run.0));
        }
    }
    (Stretch::Longest(best.0), best.1)
}

fn stretch_of(rows: &[ScheduleRow], channel: Channel) -> Stretch {
    longest_run(rows, channel).0
}

fn push(out: &mut Vec<Diagnostic>, code: Code, path: String, message: String) {
    out.push(Diagnostic {
        code,
        severity: code.severity(),
        tile_id: None,
        path: Some(path),
        message,
    });
}

fn check_schedule(schedule: &Schedule, path: &str, out: &mut Vec<Diagnostic>) {
    for (purpose_type, label) in [
        (PurposeType::Commercial, "commercial"),
        (PurposeType::Transactional, "transactional"),
    ] {
        let rows = rows_for(schedule, purpose_type);
        let prefix = format!("{path}.{label}");
        for (row_index, row) in rows.iter().enumerate() {
            check_row(row, &format!("{prefix}.{row_index}"), out);
        }
        let mut channels: Vec<Channel> = Vec::new();
        for channel in rows.iter().flat_map(|row| &row.channels) {
            if !channels.contains(channel) {
                channels.push(*channel);
            }
        }
        for channel in channels {
            let what = format!("{label} {}", channel_label(channel));
            match longest_run(rows, channel) {
                (Stretch::AllWeek, _) => push(
                    out,
                    Code::QuietTimeQuietAllWeek,
                    prefix.clone(),
                    format!(
                        "Quiet time for {what} covers the whole week, so no message could ever \
                         go out; free some hours."
                    ),
                ),
                (Stretch::Longest(seconds), start) if seconds > MAX_STRETCH => push(
                    out,
                    Code::QuietTimeStretchTooLong,
                    prefix.clone(),
                    format!(
                        "Quiet time for {what} runs continuously for {} from {}; at most 21 \
                         days are allowed.",
                        days_and_hours(seconds),
                        wall_clock(start),
                    ),
                ),
                _ => {}
            }
        }
    }
}

fn days_and_hours(seconds: i64) -> String {
    let days = seconds / DAY;
    let hours = seconds % DAY / 3600;
    match hours {
        0 => format!("{days} days"),
        _ => format!("{days} days {hours} h"),
    }
}

fn wall_clock(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%a %-d %b %Y %H:%M").to_string())
        .unwrap_or_default()
}

fn check_row(row: &ScheduleRow, path: &str, out: &mut Vec<Diagnostic>) {
    for (index, block) in row.weekly_blocks.iter().enumerate() {
        let at = format!("{path}.weeklyBlocks.{index}");
        if block.weekdays.is_empty() {
            push(
                out,
                Code::QuietTimeBlockNoWeekdays,
                format!("{at}.weekdays"),
                "Pick at least one weekday for this quiet block.".to_owned(),
            );
        }
        if block.all_day {
            continue;
        }
        let start = parse_hhmm(&block.start, false);
        let end = parse_hhmm(&block.end, true);
        if start.is_none() {
            push(
                out,
                Code::QuietTimeBlockTimeInvalid,
                format!("{at}.start"),
                format!(
                    "Start \"{}\" is not a time: use HH:MM from 00:00 to 23:59.",
                    block.start
                ),
            );
        }
        if end.is_none() {
            push(
                out,
                Code::QuietTimeBlockTimeInvalid,
                format!("{at}.end"),
                format!(
                    "End \"{}\" is not a time: use HH:MM from 00:00 to 24:00.",
                    block.end
                ),
            );
        }
        if let (Some(start), Some(end)) = (start, end)
            && start == end
        {
            push(
                out,
                Code::QuietTimeBlockEmpty,
                format!("{at}.end"),
                format!(
                    "Start and end are both {}; mark the block all-day or change one.",
                    block.start
                ),
            );
        }
    }
    for (index, dates) in row.quiet_dates.iter().enumerate() {
        let at = format!("{path}.quietDates.{index}");
        let days = epoch_day(dates.to) - epoch_day(dates.from) + 1;
        if days < 1 {
            push(
                out,
                Code::QuietTimeDateRangeReversed,
                format!("{at}.to"),
                format!(
                    "The quiet dates end ({}) before they start ({}).",
                    dates.to, dates.from
                ),
            );
        } else if days > MAX_RANGE_DAYS {
            push(
                out,
                Code::QuietTimeRangeTooLong,
                format!("{at}.to"),
                format!(
                    "Quiet dates {} to {} span {days} days; a range may span at most 14.",
                    dates.from, dates.to
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{AdvancedRule, QuietDates, Weekday, WeeklyBlock};
    use crate::compliance::tests::sample_catalog;
    use Weekday::*;

    fn setting(blocks: Vec<WeeklyBlock>, dates: Vec<(&str, &str)>) -> QuietTimeSetting {
        QuietTimeSetting {
            id: "qt".to_owned(),
            name: "Test".to_owned(),
            time_zone_source: Default::default(),
            general: Schedule {
                commercial: vec![ScheduleRow {
                    channels: vec![Channel::Voice, Channel::Sms],
                    weekly_blocks: blocks,
                    quiet_dates: dates
                        .into_iter()
                        .map(|(from, to)| QuietDates {
                            from: from.parse().expect("ISO date"),
                            to: to.parse().expect("ISO date"),
                        })
                        .collect(),
                }],
                transactional: vec![],
            },
            advanced_rules: vec![],
        }
    }

    fn block(days: &[Weekday], start: &str, end: &str) -> WeeklyBlock {
        WeeklyBlock {
            weekdays: days.to_vec(),
            start: start.to_owned(),
            end: end.to_owned(),
            all_day: false,
        }
    }

    fn codes_and_paths(setting: &QuietTimeSetting) -> Vec<(&'static str, String)> {
        validate_quiet_time_setting(setting)
            .into_iter()
            .map(|d| (d.code.as_str(), d.path.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn the_sample_settings_are_valid() {
        for setting in &sample_catalog().quiet_time_settings {
            assert_eq!(
                validate_quiet_time_setting(setting),
                vec![],
                "{}",
                setting.id
            );
        }
    }

    #[test]
    fn malformed_blocks_are_reported_on_their_field() {
        let bad = setting(
            vec![
                block(&[Mon], "25:00", "08:00"),
                block(&[Tue], "24:00", "24:00"),
                block(&[Wed], "8:00", "09:00"),
                block(&[Thu], "09:00", "09:00"),
                block(&[], "09:00", "10:00"),
                block(&[Fri], "00:00", "24:00"),
                block(&[Sat], "22:00", "06:30"),
            ],
            vec![],
        );
        let path = |i: usize, field: &str| format!("general.commercial.0.weeklyBlocks.{i}.{field}");
        assert_eq!(
            codes_and_paths(&bad),
            vec![
                ("quiet-time.block-time-invalid", path(0, "start")),
                ("quiet-time.block-time-invalid", path(1, "start")),
                ("quiet-time.block-time-invalid", path(2, "start")),
                ("quiet-time.block-empty", path(3, "end")),
                ("quiet-time.block-no-weekdays", path(4, "weekdays")),
            ]
        );
        let diagnostics = validate_quiet_time_setting(&bad);
        assert!(diagnostics.iter().all(|d| d.tile_id.is_none()));
        assert!(diagnostics[0].message.contains("\"25:00\""));
    }

    #[test]
    fn date_ranges_may_span_fourteen_days_and_not_run_backwards() {
        let ok = setting(vec![], vec![("2026-12-01", "2026-12-14")]);
        assert_eq!(codes_and_paths(&ok), vec![]);
        let long = setting(
            vec![],
            vec![("2026-12-01", "2026-12-15"), ("2026-03-02", "2026-03-01")],
        );
        assert_eq!(
            codes_and_paths(&long),
            vec![
                (
                    "quiet-time.range-too-long",
                    "general.commercial.0.quietDates.0.to".to_owned()
                ),
                (
                    "quiet-time.date-range-reversed",
                    "general.commercial.0.quietDates.1.to".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_continuous_stretch_may_last_twenty_one_days_and_no_more() {
        // Two adjacent ranges, 1–21 Dec 2026: exactly 21 days.
        let exactly = setting(
            vec![],
            vec![("2026-12-01", "2026-12-14"), ("2026-12-15", "2026-12-21")],
        );
        assert_eq!(codes_and_paths(&exactly), vec![]);
        // A block on Tuesday 22 Dec from midnight touches the end: one minute too long, for
        // both channels of the row.
        let longer = setting(
            vec![block(&[Tue], "00:00", "00:01")],
            vec![("2026-12-01", "2026-12-14"), ("2026-12-15", "2026-12-21")],
        );
        assert_eq!(
            codes_and_paths(&longer),
            vec![
                (
                    "quiet-time.stretch-too-long",
                    "general.commercial".to_owned()
                ),
                (
                    "quiet-time.stretch-too-long",
                    "general.commercial".to_owned()
                ),
            ]
        );
        let message = &validate_quiet_time_setting(&longer)[0].message;
        assert!(
            message.contains("21 days") && message.contains("Tue 1 Dec 2026"),
            "{message}"
        );
    }

    #[test]
    fn a_schedule_quiet_all_week_is_rejected() {
        // Monday 09:00 to the next Monday 00:00 is quiet; Monday 00:00–09:00 is not, as the
        // all-day Sunday ends at midnight. A Sunday night block closes it.
        let mut almost = setting(
            vec![
                block(&[Mon, Tue, Wed, Thu, Fri], "18:00", "09:00"),
                block(&[Mon, Tue, Wed, Thu, Fri], "09:00", "18:00"),
                WeeklyBlock {
                    weekdays: vec![Sat, Sun],
                    start: String::new(),
                    end: String::new(),
                    all_day: true,
                },
            ],
            vec![],
        );
        assert_eq!(codes_and_paths(&almost), vec![]);
        assert_eq!(
            longest_quiet_stretch(&almost, PurposeType::Commercial, Channel::Voice),
            Duration::days(6) + Duration::hours(15)
        );
        almost.general.commercial[0]
            .weekly_blocks
            .push(block(&[Sun], "18:00", "09:00"));
        let all_week = almost;
        let codes = codes_and_paths(&all_week);
        assert_eq!(codes.len(), 2);
        assert!(codes.iter().all(
            |(code, path)| *code == "quiet-time.quiet-all-week" && path == "general.commercial"
        ));
        assert_eq!(
            longest_quiet_stretch(&all_week, PurposeType::Commercial, Channel::Voice),
            Duration::MAX
        );
    }

    #[test]
    fn rules_without_conditions_are_reported() {
        let mut with_rule = setting(vec![], vec![]);
        with_rule.advanced_rules.push(AdvancedRule {
            id: "r".to_owned(),
            name: "Everyone?".to_owned(),
            match_mode: Default::default(),
            conditions: vec![],
            schedule: Schedule {
                commercial: vec![ScheduleRow {
                    channels: vec![Channel::Voice],
                    weekly_blocks: vec![block(&[Mon], "25:00", "08:00")],
                    quiet_dates: vec![],
                }],
                transactional: vec![],
            },
        });
        assert_eq!(
            codes_and_paths(&with_rule),
            vec![
                (
                    "quiet-time.rule-without-conditions",
                    "advancedRules.0.conditions".to_owned()
                ),
                (
                    "quiet-time.block-time-invalid",
                    "advancedRules.0.schedule.commercial.0.weeklyBlocks.0.start".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn the_longest_stretch_covers_rules_and_dates() {
        let tcpa = sample_catalog()
            .quiet_time_setting("qt-us-tcpa")
            .expect("sample");
        // Wed 23 Dec 2026 21:00 to Mon 28 Dec 00:00: the weekday night, the 24–26 Dec quiet
        // dates and the weekend.
        assert_eq!(
            longest_quiet_stretch(tcpa, PurposeType::Commercial, Channel::Voice),
            Duration::hours(99)
        );
        assert_eq!(
            longest_quiet_stretch(tcpa, PurposeType::Transactional, Channel::Voice),
            Duration::hours(11)
        );
        assert_eq!(
            longest_quiet_stretch(tcpa, PurposeType::Transactional, Channel::Email),
            Duration::zero()
        );
        // The NYC rule's weekend (Fri 20:00 to Mon 00:00) beats the general one but not the
        // holidays.
        let mut weekends_only = tcpa.clone();
        weekends_only.general.commercial[0].quiet_dates.clear();
        assert_eq!(
            longest_quiet_stretch(&weekends_only, PurposeType::Commercial, Channel::Voice),
            Duration::hours(52)
        );
    }
}
