//! Journey-level rules and the start tile: name, time zone, audience, start condition.

use crate::document::{Audience, Frequency, StartCondition, Tile};

use super::branch::{List, Scope, check_conditions};
use super::{Code, Ctx, MAX_NAME_CHARS};

/// A segment-based start names at most this many segments (D12).
const MAX_SEGMENTS: usize = 15;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let journey = ctx.journey;
    let name_chars = journey.name.chars().count();
    if journey.name.trim().is_empty() {
        ctx.journey_problem(
            Code::JourneyNameMissing,
            Some("name"),
            "Give the journey a name.".to_owned(),
        );
    } else if name_chars > MAX_NAME_CHARS {
        ctx.journey_problem(
            Code::JourneyNameTooLong,
            Some("name"),
            format!(
                "The journey's name has {name_chars} characters; shorten it to {MAX_NAME_CHARS} or fewer."
            ),
        );
    }

    if journey.time_zone.trim().is_empty() {
        ctx.journey_problem(
            Code::JourneyTimeZoneMissing,
            Some("timeZone"),
            "Choose the journey's time zone.".to_owned(),
        );
    } else if journey.time_zone.parse::<chrono_tz::Tz>().is_err() {
        ctx.journey_problem(
            Code::JourneyTimeZoneInvalid,
            Some("timeZone"),
            format!(
                "\"{}\" is not a time zone name Switchboard knows; use an IANA name such as America/Chicago.",
                journey.time_zone
            ),
        );
    }

    if journey.audience != Audience::Contact
        && journey
            .tiles
            .iter()
            .any(|t| matches!(t, Tile::VoiceConversation(_)))
    {
        let audience = match journey.audience {
            Audience::Lead => "leads",
            Audience::Profile => "profiles",
            Audience::Contact => "contacts",
        };
        ctx.journey_problem(
            Code::JourneyVoiceRequiresContactAudience,
            Some("audience"),
            format!(
                "Voice calls can only go to contacts, but this journey is for {audience}. Change the audience to contacts or remove the voice tiles."
            ),
        );
    }

    for (i, tile) in journey.tiles.iter().enumerate() {
        if let Tile::Start(start) = tile {
            check_start(ctx, i, start.start.as_ref());
        }
    }
}

fn check_start(ctx: &mut Ctx<'_>, i: usize, start: Option<&StartCondition>) {
    let Some(start) = start else {
        ctx.tile_problem(
            i,
            Code::StartConditionMissing,
            Some("start".to_owned()),
            "Choose how contacts enter: members of a segment, or a trigger.".to_owned(),
        );
        return;
    };
    let (start_at, end_at) = match start {
        StartCondition::Segment(segment) => {
            let named = segment
                .segment_ids
                .iter()
                .filter(|s| !s.trim().is_empty())
                .count();
            if named == 0 {
                ctx.tile_problem(
                    i,
                    Code::StartSegmentsMissing,
                    Some("start.segmentIds".to_owned()),
                    "Choose at least one segment whose members enter the journey.".to_owned(),
                );
            } else if segment.segment_ids.len() > MAX_SEGMENTS {
                ctx.tile_problem(
                    i,
                    Code::StartTooManySegments,
                    Some("start.segmentIds".to_owned()),
                    format!(
                        "A journey can start from at most {MAX_SEGMENTS} segments; this one names {}.",
                        segment.segment_ids.len()
                    ),
                );
            }
            for (k, id) in segment.segment_ids.iter().enumerate() {
                let id = id.trim();
                if !id.is_empty() {
                    let listed = ctx.catalog.has_segment(id);
                    ctx.check_listed(
                        i,
                        listed,
                        (Code::StartSegmentUnknown, Code::StartSegmentUnverified),
                        format!("start.segmentIds.{k}"),
                        "segment",
                        id,
                    );
                }
            }
            if let Frequency::Repeat { every: 0, .. } = segment.frequency {
                ctx.tile_problem(
                    i,
                    Code::StartRepeatIntervalInvalid,
                    Some("start.frequency.every".to_owned()),
                    "A repeating journey must repeat every 1 or more days, weeks or months."
                        .to_owned(),
                );
            }
            if segment.start_at.is_none() {
                ctx.tile_problem(
                    i,
                    Code::StartTimeMissing,
                    Some("start.startAt".to_owned()),
                    "Choose when the journey starts.".to_owned(),
                );
            }
            (segment.start_at, segment.end_at)
        }
        StartCondition::Trigger(trigger) => {
            if trigger
                .trigger_name
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
            {
                ctx.tile_problem(
                    i,
                    Code::StartTriggerMissing,
                    Some("start.triggerName".to_owned()),
                    "Choose the trigger that makes contacts enter.".to_owned(),
                );
            } else if let Some(name) = trigger.trigger_name.as_deref() {
                let listed = ctx.catalog.has_trigger(name.trim());
                ctx.check_listed(
                    i,
                    listed,
                    (Code::StartTriggerUnknown, Code::StartTriggerUnverified),
                    "start.triggerName".to_owned(),
                    "trigger",
                    name.trim(),
                );
            }
            check_conditions(ctx, i, List::Start, &trigger.conditions, &Scope::Trigger);
            (trigger.start_at, trigger.end_at)
        }
    };
    if let (Some(start_at), Some(end_at)) = (start_at, end_at)
        && end_at <= start_at
    {
        ctx.tile_problem(
            i,
            Code::StartEndBeforeStart,
            Some("start.endAt".to_owned()),
            format!(
                "The journey ends ({}) before it starts ({}); choose an end after the start.",
                end_at.format("%Y-%m-%d %H:%M UTC"),
                start_at.format("%Y-%m-%d %H:%M UTC")
            ),
        );
    }
}
