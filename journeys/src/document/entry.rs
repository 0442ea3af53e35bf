//! How contacts enter a journey: the start tile and its settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Condition;

/// The start tile: how contacts enter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Segment or trigger; `None` while the marketer has not chosen.
    #[serde(default)]
    pub start: Option<StartCondition>,
}

/// How contacts enter a journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StartCondition {
    /// Members of one or more segments enter.
    Segment(SegmentStart),
    /// Contacts enter when a trigger fires for them.
    Trigger(TriggerStart),
}

/// Segment-based start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentStart {
    /// Segments whose members enter (1 to 15).
    #[serde(default)]
    pub segment_ids: Vec<String>,
    /// Once, or repeating.
    #[serde(default)]
    pub frequency: Frequency,
    /// When the journey starts (required).
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// When the journey stops admitting contacts (optional).
    #[serde(default)]
    pub end_at: Option<DateTime<Utc>>,
}

/// Trigger-based start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerStart {
    /// The trigger's name, e.g. `cartAbandoned`.
    #[serde(default)]
    pub trigger_name: Option<String>,
    /// Conditions on the trigger's attributes; all must hold.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// When the journey starts admitting contacts (optional: at publish).
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// When the journey stops admitting contacts (optional).
    #[serde(default)]
    pub end_at: Option<DateTime<Utc>>,
}

/// How often a segment-based journey admits its segments.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Frequency {
    /// Members at the start enter once.
    #[default]
    Once,
    /// Members at the start enter, and so do later joiners.
    OnceAdmittingJoiners,
    /// Every N units, members enter again.
    Repeat {
        /// How many units between runs (≥ 1).
        every: u32,
        /// Days, weeks or months.
        unit: RepeatUnit,
    },
}

/// The unit of a repeating segment journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum RepeatUnit {
    /// 24 hours.
    Days,
    /// 7 days.
    Weeks,
    /// Same day of the month, else the month's last.
    Months,
}
