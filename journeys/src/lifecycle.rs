//! Publishing over a published journey (domain D17 and §9), as pure decisions the runtime
//! carries out.
//!
//! - A name change applies in place to the current version; any other change makes a new,
//!   immutable version and the current one goes `completing` (its contacts finish on it).
//! - A running one-time segment journey (live or paused, its start reached) takes no other
//!   change: its audience has entered, so a new version would reach no one; the marketer stops
//!   it, or waits for it to complete, and publishes again.
//! - A pause left alone for [`PAUSE_LIMIT`] stops the version.
//! - A repeating segment journey admits its segments' members again every N days (24 h),
//!   weeks (7 days) or months (the same day of the month in the journey's zone, else the
//!   month's last, at the same local time): [`round_at`]. A member still in the journey from an
//!   earlier round does not enter again; a round due while paused is skipped.
//! - A contact enters a segment-based journey once, whatever its version: segment members who
//!   entered an earlier version do not enter a new one (a revert or a restart after a stop
//!   never calls them again). Trigger-based journeys admit per trigger event, as before.
//!   The runtime enforces this where it enrolls segment members (at publish and when joiners
//!   are imported).

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::compliance::quiet_time::{instant_at_local, local_naive};
use crate::document::{Frequency, Journey, Layout, RepeatUnit, SegmentStart, StartCondition};

/// A version left paused this long stops by itself (§9: "auto-stop after 21 days").
pub const PAUSE_LIMIT: Duration = Duration::days(21);

/// The journey's current version, as the runtime has it.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    /// Its document.
    pub journey: &'a Journey,
    /// Live or paused (not stopped).
    pub running: bool,
}

/// What a publish does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishPlan {
    /// The current version already is this journey: nothing changes (a retried publish).
    Unchanged,
    /// Only the name differs: the current version takes the new name in place.
    Rename,
    /// A new version becomes live.
    NewVersion,
}

/// Why a publish is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublishRefusal {
    /// A one-time segment journey is running.
    #[error(
        "this one-time journey is running: its segment has already entered, so a new version would reach no one. Stop it (or let it complete) and publish again; contacts who already entered will not enter again"
    )]
    OneTimeJourneyRunning,
}

/// Decide what publishing `next` does, given the journey's current version (`None` when it was
/// never published). `now` tells whether a scheduled start has been reached.
pub fn plan_publish(
    current: Option<Current<'_>>,
    next: &Journey,
    now: DateTime<Utc>,
) -> Result<PublishPlan, PublishRefusal> {
    let Some(current) = current.filter(|c| c.running) else {
        return Ok(PublishPlan::NewVersion);
    };
    if behaviour(current.journey) == behaviour(next) {
        return Ok(if current.journey.name == next.name {
            PublishPlan::Unchanged
        } else {
            PublishPlan::Rename
        });
    }
    if let Some(StartCondition::Segment(segment)) = current.journey.start_condition()
        && segment.frequency == Frequency::Once
        && segment.start_at.is_none_or(|at| at <= now)
    {
        return Err(PublishRefusal::OneTimeJourneyRunning);
    }
    Ok(PublishPlan::NewVersion)
}

/// When round `round` of a repeating segment journey admits its members (round 0 is the
/// start), or `None` when the journey does not repeat, has no start, or that round falls on or
/// after its end. `zone` is the journey's (months are calendar months there).
pub fn round_at(segment: &SegmentStart, zone: Tz, round: u32) -> Option<DateTime<Utc>> {
    let Frequency::Repeat { every, unit } = segment.frequency else {
        return None;
    };
    let start = segment.start_at?;
    let steps = i64::from(every).checked_mul(i64::from(round))?;
    let at = match unit {
        RepeatUnit::Days => start.checked_add_signed(Duration::try_days(steps)?)?,
        RepeatUnit::Weeks => start.checked_add_signed(Duration::try_weeks(steps)?)?,
        RepeatUnit::Months => {
            let local = local_naive(zone, start);
            let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1)?
                .checked_add_months(Months::new(u32::try_from(steps).ok()?))?;
            let last_day = first.checked_add_months(Months::new(1))?.pred_opt()?.day();
            let date = first.with_day(local.day().min(last_day))?;
            instant_at_local(zone, date.and_time(local.time()))
        }
    };
    (every > 0 && segment.end_at.is_none_or(|end| at < end)).then_some(at)
}

/// The first round after the start (number ≥ 1) that falls after `after`, with its instant;
/// `None` when there is none before the journey's end.
pub fn next_round(
    segment: &SegmentStart,
    zone: Tz,
    after: DateTime<Utc>,
) -> Option<(u32, DateTime<Utc>)> {
    let Frequency::Repeat { every, unit } = segment.frequency else {
        return None;
    };
    let start = segment.start_at?;
    // Days and weeks are fixed lengths: jump straight to about the right round.
    let guess = match unit {
        RepeatUnit::Days | RepeatUnit::Weeks if after > start && every > 0 => {
            let days = if unit == RepeatUnit::Days { 1 } else { 7 };
            let interval = Duration::try_days(i64::from(every) * days)?;
            u32::try_from((after - start).num_seconds() / interval.num_seconds()).ok()?
        }
        _ => 0,
    };
    let mut number = guess.max(1);
    loop {
        let at = round_at(segment, zone, number)?;
        if at > after {
            return Some((number, at));
        }
        number = number.checked_add(1)?;
    }
}

/// The journey without what does not change its behaviour: its name and its layout.
fn behaviour(journey: &Journey) -> Journey {
    Journey {
        name: String::new(),
        layout: Layout::default(),
        ..journey.clone()
    }
}

/// A published version's state (D17).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum VersionState {
    /// Admitting contacts and running them.
    Live,
    /// No new entries; contacts stop before the next voice tile; stopped after [`PAUSE_LIMIT`].
    Paused,
    /// A newer version is live; this one's contacts finish on it.
    Completing,
    /// Superseded, and its last run has ended.
    Completed,
    /// Stopped for good: its runs were removed.
    Stopped,
}

/// A version state that is none of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a version state (live, paused, completing, completed, stopped)")]
pub struct BadVersionState(pub String);

impl VersionState {
    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::Live => "live",
            VersionState::Paused => "paused",
            VersionState::Completing => "completing",
            VersionState::Completed => "completed",
            VersionState::Stopped => "stopped",
        }
    }
}

impl std::fmt::Display for VersionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for VersionState {
    type Err = BadVersionState;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [
            VersionState::Live,
            VersionState::Paused,
            VersionState::Completing,
            VersionState::Completed,
            VersionState::Stopped,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
        .ok_or_else(|| BadVersionState(text.to_owned()))
    }
}

/// How a segment member comes to a version of a segment-based journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentEntry {
    /// At publish, or imported later into a journey that admits joiners.
    First,
    /// A later round of a repeating journey.
    Round,
}

/// The fact about a member's past in the journey (across all its versions) that bars a
/// segment entry: the member enters unless it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentBar {
    /// They entered another version of the journey through its segment start: a contact
    /// enters a segment journey once, whatever its version.
    EnteredAnotherVersion,
    /// They still have an active run in some version: a round admits nobody still inside.
    StillInside,
}

/// Which fact bars a segment member from this entry.
pub fn segment_bar(entry: SegmentEntry) -> SegmentBar {
    match entry {
        SegmentEntry::First => SegmentBar::EnteredAnotherVersion,
        SegmentEntry::Round => SegmentBar::StillInside,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::document::{StartTile, Tile, TriggerStart};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn segment_journey(frequency: Frequency, start_at: DateTime<Utc>) -> Journey {
        let mut journey = Journey::new("j", "Renewals", "America/Chicago");
        journey.tiles[0] = Tile::Start(StartTile {
            id: "start".into(),
            name: String::new(),
            start: Some(StartCondition::Segment(SegmentStart {
                segment_ids: vec!["seg".into()],
                frequency,
                start_at: Some(start_at),
                end_at: None,
            })),
        });
        journey
    }

    fn edited(journey: &Journey) -> Journey {
        let mut next = journey.clone();
        next.time_zone = "America/New_York".into();
        next
    }

    fn running(journey: &Journey) -> Option<Current<'_>> {
        Some(Current {
            journey,
            running: true,
        })
    }

    fn repeating(every: u32, unit: RepeatUnit, start_at: DateTime<Utc>) -> SegmentStart {
        SegmentStart {
            segment_ids: vec!["seg".into()],
            frequency: Frequency::Repeat { every, unit },
            start_at: Some(start_at),
            end_at: None,
        }
    }

    #[test]
    fn days_are_24_hours_and_weeks_7_days_across_a_clock_change() {
        // 2026-10-31 09:00 in Chicago (CDT, UTC−5); the clocks go back on 1 November.
        let start = Utc.with_ymd_and_hms(2026, 10, 31, 14, 0, 0).unwrap();
        let zone = chrono_tz::America::Chicago;
        let daily = repeating(1, RepeatUnit::Days, start);
        assert_eq!(round_at(&daily, zone, 0), Some(start));
        assert_eq!(
            round_at(&daily, zone, 2),
            Some(Utc.with_ymd_and_hms(2026, 11, 2, 14, 0, 0).unwrap()),
            "24 hours a day: 08:00 local after the change"
        );
        let fortnightly = repeating(2, RepeatUnit::Weeks, start);
        assert_eq!(
            round_at(&fortnightly, zone, 3),
            Some(start + Duration::weeks(6))
        );
    }

    #[test]
    fn months_keep_the_local_day_and_time_else_the_months_last_day() {
        // 31 January 2026, 09:00 in New York (EST, UTC−5).
        let start = Utc.with_ymd_and_hms(2026, 1, 31, 14, 0, 0).unwrap();
        let zone = chrono_tz::America::New_York;
        let monthly = repeating(1, RepeatUnit::Months, start);
        // 28 February 09:00 EST; 31 March 09:00 EDT (UTC−4); 30 April 09:00 EDT.
        assert_eq!(
            round_at(&monthly, zone, 1),
            Some(Utc.with_ymd_and_hms(2026, 2, 28, 14, 0, 0).unwrap())
        );
        assert_eq!(
            round_at(&monthly, zone, 2),
            Some(Utc.with_ymd_and_hms(2026, 3, 31, 13, 0, 0).unwrap())
        );
        assert_eq!(
            round_at(&monthly, zone, 3),
            Some(Utc.with_ymd_and_hms(2026, 4, 30, 13, 0, 0).unwrap())
        );
        let quarterly = repeating(3, RepeatUnit::Months, start);
        assert_eq!(
            round_at(&quarterly, zone, 4),
            Some(Utc.with_ymd_and_hms(2027, 1, 31, 14, 0, 0).unwrap())
        );
    }

    #[test]
    fn the_next_round_is_the_first_after_the_given_instant() {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 15, 0, 0).unwrap();
        let zone = chrono_tz::America::Chicago;
        let weekly = repeating(1, RepeatUnit::Weeks, start);
        let (number, at) = next_round(&weekly, zone, now()).unwrap();
        assert!(at > now() && at - Duration::weeks(1) <= now(), "{at}");
        assert_eq!(at, start + Duration::weeks(i64::from(number)));
        assert_eq!(
            next_round(&weekly, zone, start),
            Some((1, start + Duration::weeks(1)))
        );
        let monthly = repeating(1, RepeatUnit::Months, start);
        let (number, at) = next_round(&monthly, zone, now()).unwrap();
        assert_eq!(
            (number, at),
            (23, Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap())
        );
    }

    #[test]
    fn rounds_stop_at_the_end_and_only_repeating_journeys_have_them() {
        let start = now();
        let zone = chrono_tz::UTC;
        let mut weekly = repeating(1, RepeatUnit::Weeks, start);
        weekly.end_at = Some(start + Duration::weeks(2));
        assert!(round_at(&weekly, zone, 1).is_some());
        assert_eq!(round_at(&weekly, zone, 2), None, "the end admits no one");
        let once = SegmentStart {
            frequency: Frequency::Once,
            ..weekly.clone()
        };
        assert_eq!(round_at(&once, zone, 0), None);
        let never = repeating(0, RepeatUnit::Days, start);
        assert_eq!(round_at(&never, zone, 1), None);
        let unscheduled = SegmentStart {
            start_at: None,
            ..weekly
        };
        assert_eq!(round_at(&unscheduled, zone, 1), None);
    }

    #[test]
    fn the_first_publish_and_a_publish_after_a_stop_make_a_new_version() {
        let journey = segment_journey(Frequency::Once, now());
        assert_eq!(
            plan_publish(None, &journey, now()),
            Ok(PublishPlan::NewVersion)
        );
        let stopped = Some(Current {
            journey: &journey,
            running: false,
        });
        assert_eq!(
            plan_publish(stopped, &journey, now()),
            Ok(PublishPlan::NewVersion)
        );
    }

    #[test]
    fn the_same_journey_is_unchanged_and_a_new_name_or_layout_is_not_a_new_version() {
        let journey = segment_journey(Frequency::Once, now());
        assert_eq!(
            plan_publish(running(&journey), &journey, now()),
            Ok(PublishPlan::Unchanged)
        );
        let mut moved = journey.clone();
        moved.layout = Layout::default();
        assert_eq!(
            plan_publish(running(&journey), &moved, now()),
            Ok(PublishPlan::Unchanged)
        );
        let mut renamed = journey.clone();
        renamed.name = "Renewals (Q4)".into();
        assert_eq!(
            plan_publish(running(&journey), &renamed, now()),
            Ok(PublishPlan::Rename)
        );
    }

    #[test]
    fn a_running_one_time_journey_takes_no_other_change() {
        let journey = segment_journey(Frequency::Once, now());
        let refusal = plan_publish(running(&journey), &edited(&journey), now()).unwrap_err();
        assert_eq!(refusal, PublishRefusal::OneTimeJourneyRunning);
        assert!(refusal.to_string().contains("Stop it"), "{refusal}");
    }

    #[test]
    fn scheduled_admitting_joiners_and_trigger_journeys_take_live_edits() {
        let later = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let scheduled = segment_journey(Frequency::Once, later);
        assert_eq!(
            plan_publish(running(&scheduled), &edited(&scheduled), now()),
            Ok(PublishPlan::NewVersion)
        );
        let joiners = segment_journey(Frequency::OnceAdmittingJoiners, now());
        assert_eq!(
            plan_publish(running(&joiners), &edited(&joiners), now()),
            Ok(PublishPlan::NewVersion)
        );
        let mut trigger = Journey::new("t", "Cart", "America/Chicago");
        trigger.tiles[0] = Tile::Start(StartTile {
            id: "start".into(),
            name: String::new(),
            start: Some(StartCondition::Trigger(TriggerStart {
                trigger_name: Some("cartAbandoned".into()),
                conditions: Vec::new(),
                start_at: None,
                end_at: None,
            })),
        });
        assert_eq!(
            plan_publish(running(&trigger), &edited(&trigger), now()),
            Ok(PublishPlan::NewVersion)
        );
    }

    #[test]
    fn a_segment_member_enters_once_per_journey_and_a_round_not_while_inside() {
        assert_eq!(
            segment_bar(SegmentEntry::First),
            SegmentBar::EnteredAnotherVersion
        );
        assert_eq!(segment_bar(SegmentEntry::Round), SegmentBar::StillInside);
    }

    #[test]
    fn version_states_read_back_as_written_and_refuse_others() {
        for state in ["live", "paused", "completing", "completed", "stopped"] {
            let parsed: VersionState = state.parse().expect("a state");
            assert_eq!(parsed.as_str(), state);
            assert_eq!(
                serde_json::to_string(&parsed).expect("json"),
                format!("\"{state}\"")
            );
        }
        assert_eq!(
            "Live".parse::<VersionState>(),
            Err(BadVersionState("Live".into()))
        );
    }
}
