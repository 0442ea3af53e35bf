//! Publishing over a published journey (domain D17 and §9), as pure decisions the runtime
//! carries out.
//!
//! - A name change applies in place to the current version; any other change makes a new,
//!   immutable version and the current one goes `completing` (its contacts finish on it).
//! - A running one-time segment journey (live or paused, its start reached) takes no other
//!   change: its audience has entered, so a new version would reach no one; the marketer stops
//!   it, or waits for it to complete, and publishes again.
//! - A pause left alone for [`PAUSE_LIMIT`] stops the version.
//! - A contact enters a segment-based journey once, whatever its version: segment members who
//!   entered an earlier version do not enter a new one (a revert or a restart after a stop
//!   never calls them again). Trigger-based journeys admit per trigger event, as before.
//!   The runtime enforces this where it enrolls segment members (at publish and when joiners
//!   are imported).

use chrono::{DateTime, Duration, Utc};

use crate::document::{Frequency, Journey, Layout, StartCondition};

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

/// The journey without what does not change its behaviour: its name and its layout.
fn behaviour(journey: &Journey) -> Journey {
    Journey {
        name: String::new(),
        layout: Layout::default(),
        ..journey.clone()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::document::{SegmentStart, StartTile, Tile, TriggerStart};

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
}
