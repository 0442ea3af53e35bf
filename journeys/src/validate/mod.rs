//! The validator: every problem of a journey at once, each on its tile and field.
//!
//! Validation never fails: [`validate`] returns a list of [`Diagnostic`]s, each with a stable
//! code, a severity, the tile and field path it belongs to, and a sentence a marketer reads.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::document::Journey;

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// Worth a look; never blocks.
    Warning,
}

/// One problem found in a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `voice.purpose-not-in-profile`. Never changes once published.
    pub code: Code,
    /// Error or warning (fixed per code).
    pub severity: Severity,
    /// The tile it is on; `None` for journey-level problems.
    pub tile_id: Option<String>,
    /// The field within the tile (or journey), dotted with indices, e.g.
    /// `branches.1.conditions.0.value`; `None` for the tile as a whole.
    pub path: Option<String>,
    /// What is wrong, in plain language.
    pub message: String,
}

/// Stable diagnostic codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
pub enum Code {
    /// The journey has no name.
    #[serde(rename = "journey.name-missing")]
    JourneyNameMissing,
    // Quiet-time setting codes (issue 3), one block.
    /// A quiet block's start or end is not `HH:MM` (`24:00` only as an end).
    #[serde(rename = "quiet-time.block-time-invalid")]
    QuietTimeBlockTimeInvalid,
    /// A quiet block ends when it starts and is not all-day.
    #[serde(rename = "quiet-time.block-empty")]
    QuietTimeBlockEmpty,
    /// A quiet block has no weekday.
    #[serde(rename = "quiet-time.block-no-weekdays")]
    QuietTimeBlockNoWeekdays,
    /// A quiet date range ends before it starts.
    #[serde(rename = "quiet-time.date-range-reversed")]
    QuietTimeDateRangeReversed,
    /// A quiet date range spans more than 14 days.
    #[serde(rename = "quiet-time.range-too-long")]
    QuietTimeRangeTooLong,
    /// Quiet time runs continuously for more than 21 days.
    #[serde(rename = "quiet-time.stretch-too-long")]
    QuietTimeStretchTooLong,
    /// A schedule is quiet all week.
    #[serde(rename = "quiet-time.quiet-all-week")]
    QuietTimeQuietAllWeek,
    /// An advanced quiet-time rule has no conditions.
    #[serde(rename = "quiet-time.rule-without-conditions")]
    QuietTimeRuleWithoutConditions,
}

impl Code {
    /// The code's stable string.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::JourneyNameMissing => "journey.name-missing",
            Code::QuietTimeBlockTimeInvalid => "quiet-time.block-time-invalid",
            Code::QuietTimeBlockEmpty => "quiet-time.block-empty",
            Code::QuietTimeBlockNoWeekdays => "quiet-time.block-no-weekdays",
            Code::QuietTimeDateRangeReversed => "quiet-time.date-range-reversed",
            Code::QuietTimeRangeTooLong => "quiet-time.range-too-long",
            Code::QuietTimeStretchTooLong => "quiet-time.stretch-too-long",
            Code::QuietTimeQuietAllWeek => "quiet-time.quiet-all-week",
            Code::QuietTimeRuleWithoutConditions => "quiet-time.rule-without-conditions",
        }
    }

    /// The severity every diagnostic with this code has.
    pub fn severity(self) -> Severity {
        match self {
            Code::JourneyNameMissing => Severity::Error,
            Code::QuietTimeBlockTimeInvalid
            | Code::QuietTimeBlockEmpty
            | Code::QuietTimeBlockNoWeekdays
            | Code::QuietTimeDateRangeReversed
            | Code::QuietTimeRangeTooLong
            | Code::QuietTimeStretchTooLong
            | Code::QuietTimeQuietAllWeek
            | Code::QuietTimeRuleWithoutConditions => Severity::Error,
        }
    }
}

/// Validate a journey against a catalog: every problem at once.
pub fn validate(journey: &Journey, catalog: &Catalog) -> Vec<Diagnostic> {
    let _ = catalog;
    let mut out = Vec::new();
    if journey.name.trim().is_empty() {
        out.push(Diagnostic {
            code: Code::JourneyNameMissing,
            severity: Code::JourneyNameMissing.severity(),
            tile_id: None,
            path: Some("name".to_owned()),
            message: "Give the journey a name.".to_owned(),
        });
    }
    out
}

/// Whether any diagnostic is an error (publishing is then refused).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
