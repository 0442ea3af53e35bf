//! The stable diagnostic codes, one table: code, string, severity.
//!
//! To add a code, add one line to the table below. The string never changes once published;
//! the severity is fixed per code.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::Severity;

/// Declares [`Code`] with its stable strings and severities from one table.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $text:literal, $severity:ident; )+) => {
        /// Stable diagnostic codes (`area.kebab-name`). Serialized as their string.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
        )]
        pub enum Code {
            $( $(#[doc = $doc])+ #[serde(rename = $text)] $variant, )+
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code's stable string, e.g. `voice.purpose-not-in-profile`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )+ }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )+ }
            }
        }
    };
}

codes! {
    // Journey.
    /// The journey has no name.
    JourneyNameMissing = "journey.name-missing", Error;
    /// The journey's name is over 150 characters.
    JourneyNameTooLong = "journey.name-too-long", Error;
    /// The journey has no time zone.
    JourneyTimeZoneMissing = "journey.time-zone-missing", Error;
    /// The journey's time zone is not an IANA name (e.g. a Windows zone id).
    JourneyTimeZoneInvalid = "journey.time-zone-invalid", Error;
    /// A voice tile exists but the audience is not contacts (D1).
    JourneyVoiceRequiresContactAudience = "journey.voice-requires-contact-audience", Error;

    // Start.
    /// The start tile has neither a segment nor a trigger.
    StartConditionMissing = "start.condition-missing", Error;
    /// A segment-based start names no segment.
    StartSegmentsMissing = "start.segments-missing", Error;
    /// A segment-based start names more than 15 segments.
    StartTooManySegments = "start.too-many-segments", Error;
    /// A segment-based start has no start time.
    StartTimeMissing = "start.start-time-missing", Error;
    /// The end time is not after the start time.
    StartEndBeforeStart = "start.end-before-start", Error;
    /// A trigger-based start names no trigger.
    StartTriggerMissing = "start.trigger-missing", Error;
    /// A repeating segment start repeats every 0 units.
    StartRepeatIntervalInvalid = "start.repeat-interval-invalid", Error;
    /// A start names a segment missing from a fresh list of the runtime's segments.
    StartSegmentUnknown = "start.segment-unknown", Error;
    /// A start names a segment missing from a stale list of segments (it may be new).
    StartSegmentUnverified = "start.segment-unverified", Warning;
    /// A start names a trigger missing from a fresh list of triggers.
    StartTriggerUnknown = "start.trigger-unknown", Error;
    /// A start names a trigger missing from a stale list of triggers (it may be new).
    StartTriggerUnverified = "start.trigger-unverified", Warning;

    // Graph.
    /// No start tile.
    GraphNoStart = "graph.no-start", Error;
    /// More than one start tile.
    GraphMultipleStarts = "graph.multiple-starts", Error;
    /// Two tiles share an id.
    GraphDuplicateTileId = "graph.duplicate-tile-id", Error;
    /// Two branches of one tile share an id, or a branch uses a reserved output name.
    GraphDuplicateBranchId = "graph.duplicate-branch-id", Error;
    /// A connection leaves a tile that does not exist.
    GraphConnectionFromMissingTile = "graph.connection-from-missing-tile", Error;
    /// A connection goes to a tile that does not exist.
    GraphConnectionToMissingTile = "graph.connection-to-missing-tile", Error;
    /// A connection leaves an output the tile does not have.
    GraphConnectionUnknownOutput = "graph.connection-unknown-output", Error;
    /// One output is connected to more than one tile.
    GraphOutputConnectedTwice = "graph.output-connected-twice", Error;
    /// A connection goes into the start tile.
    GraphConnectionIntoStart = "graph.connection-into-start", Error;
    /// The tiles form a loop.
    GraphCycle = "graph.cycle", Error;
    /// No path from the start reaches this tile.
    GraphUnreachableTile = "graph.unreachable-tile", Warning;
    /// Branching nested deeper than 8.
    GraphNestingTooDeep = "graph.nesting-too-deep", Error;
    /// More than 25 branches on one tile (Other not counted).
    GraphTooManyBranches = "graph.too-many-branches", Error;
    /// The longest path of waits is over 365 days.
    GraphWaitsOverAYear = "graph.waits-over-a-year", Warning;

    // Tiles and branches in general.
    /// A tile or branch name is over 150 characters.
    TileNameTooLong = "tile.name-too-long", Error;

    // Voice conversation.
    /// No engagement ("Select conversation") chosen.
    VoiceEngagementMissing = "voice.engagement-missing", Error;
    /// The engagement is not in the catalog.
    VoiceEngagementUnknown = "voice.engagement-unknown", Error;
    /// The engagement is not a voice engagement.
    VoiceEngagementNotVoice = "voice.engagement-not-voice", Error;
    /// The engagement is deactivated (stays valid where used).
    VoiceEngagementInactive = "voice.engagement-inactive", Warning;
    /// No Send-to phone field chosen.
    VoiceSendToMissing = "voice.send-to-missing", Error;
    /// No compliance profile chosen.
    VoiceProfileMissing = "voice.profile-missing", Error;
    /// The compliance profile is not in the catalog.
    VoiceProfileUnknown = "voice.profile-unknown", Error;
    /// No purpose chosen.
    VoicePurposeMissing = "voice.purpose-missing", Error;
    /// The purpose is not one of the profile's.
    VoicePurposeNotInProfile = "voice.purpose-not-in-profile", Error;
    /// A tracking purpose cannot be used for calls.
    VoiceTrackingPurposeNotAllowed = "voice.tracking-purpose-not-allowed", Error;
    /// The topic is not one of the purpose's.
    VoiceTopicNotInPurpose = "voice.topic-not-in-purpose", Error;
    /// No quiet-time option chosen.
    VoiceQuietTimeMissing = "voice.quiet-time-missing", Error;
    /// "Another setting" chosen but no setting picked.
    VoiceQuietTimeSettingMissing = "voice.quiet-time-setting-missing", Error;
    /// The quiet-time setting is not in the catalog.
    VoiceQuietTimeSettingUnknown = "voice.quiet-time-setting-unknown", Error;
    /// Commercial purpose with AI-led, progressive or predictive dialling (D18).
    VoiceCommercialAutomatedDialMode = "voice.commercial-automated-dial-mode", Warning;
    /// Calls from this tile are never held for quiet time (D18).
    VoiceWithoutQuietTime = "voice.without-quiet-time", Warning;
    /// Commercial purpose whose voice consent enforcement is disabled (D18).
    VoiceCommercialConsentDisabled = "voice.commercial-consent-disabled", Warning;
    /// The tile does not lead directly to a wait for its interactions (D2).
    VoiceNotFollowedByWait = "voice.not-followed-by-wait", Warning;

    // Wait for trigger.
    /// Neither "previous message" nor "a trigger" chosen.
    WaitConditionMissing = "wait.condition-missing", Error;
    /// No time limit.
    WaitTimeLimitMissing = "wait.time-limit-missing", Error;
    /// The time limit is zero or negative.
    WaitTimeLimitNotPositive = "wait.time-limit-not-positive", Error;
    /// The time limit is over 90 days.
    WaitTimeLimitTooLong = "wait.time-limit-too-long", Error;
    /// "Previous message" with no message tile chosen.
    WaitMessageMissing = "wait.message-missing", Error;
    /// The watched tile does not exist.
    WaitMessageUnknown = "wait.message-unknown", Error;
    /// The watched tile sends no message.
    WaitMessageNotAMessageTile = "wait.message-not-a-message-tile", Error;
    /// The watched tile is not before this tile on every path.
    WaitMessageNotUpstream = "wait.message-not-upstream", Error;
    /// "A trigger is activated" with no trigger named.
    WaitTriggerMissing = "wait.trigger-missing", Error;
    /// A trigger wait names a trigger missing from a fresh list of triggers.
    WaitTriggerUnknown = "wait.trigger-unknown", Error;
    /// A trigger wait names a trigger missing from a stale list of triggers (it may be new).
    WaitTriggerUnverified = "wait.trigger-unverified", Warning;
    /// No branches (only Other).
    WaitNoBranches = "wait.no-branches", Error;
    /// A branch has no interaction.
    WaitBranchWithoutInteraction = "wait.branch-without-interaction", Error;
    /// Two branches wait for the same interaction.
    WaitDuplicateInteraction = "wait.duplicate-interaction", Error;
    /// The interaction belongs to another channel than the watched message.
    WaitInteractionWrongChannel = "wait.interaction-wrong-channel", Error;
    /// An interaction on a branch of a trigger wait.
    WaitInteractionOnTriggerWait = "wait.interaction-on-trigger-wait", Error;

    // Attribute branch.
    /// No "Branch on" chosen.
    BranchSourceMissing = "branch.source-missing", Error;
    /// A voice source with no voice tile chosen.
    BranchSourceTileMissing = "branch.source-tile-missing", Error;
    /// The source tile does not exist.
    BranchSourceTileUnknown = "branch.source-tile-unknown", Error;
    /// The source tile is not a voice conversation tile.
    BranchSourceNotVoiceTile = "branch.source-not-voice-tile", Error;
    /// "A voice call is attempted" off the call's attempted / not-attempted branches (D10).
    BranchVoiceSourceOffOutcomePath = "branch.voice-source-off-outcome-path", Error;
    /// "A voice call is blocked" off the call's blocked branch (D11).
    BranchBlockedSourceOffBlockedPath = "branch.blocked-source-off-blocked-path", Error;
    /// No branches (only Other).
    BranchNoBranches = "branch.no-branches", Error;
    /// A branch has no conditions.
    BranchNoConditions = "branch.no-conditions", Error;
    /// A branch repeats an earlier one, so it can never be taken (D18).
    BranchSameAsEarlier = "branch.same-as-earlier", Warning;

    // Conditions (attribute branches, trigger starts, trigger waits).
    /// No variable chosen.
    ConditionVariableMissing = "condition.variable-missing", Error;
    /// The variable does not exist for this source.
    ConditionUnknownVariable = "condition.unknown-variable", Error;
    /// No operator chosen.
    ConditionOperatorMissing = "condition.operator-missing", Error;
    /// The operator does not apply to the variable's type.
    ConditionOperatorNotValid = "condition.operator-not-valid", Error;
    /// The operator needs a value and there is none.
    ConditionValueMissing = "condition.value-missing", Error;
    /// The value is of the wrong type for the variable.
    ConditionValueWrongType = "condition.value-wrong-type", Error;
    /// The value is not one of the variable's options.
    ConditionValueNotAllowed = "condition.value-not-allowed", Error;
    /// The value is not in the contact center's result list.
    ConditionResultUnknown = "condition.result-unknown", Error;
    /// The value is not a block code.
    ConditionBlockCodeUnknown = "condition.block-code-unknown", Error;
    /// The disposition code is not in the engagement's list.
    ConditionDispositionCodeUnknown = "condition.disposition-code-unknown", Warning;

    // Wait time.
    /// No wait chosen.
    WaitTimeMissing = "wait-time.missing", Error;
    /// The wait is zero or negative.
    WaitTimeNotPositive = "wait-time.not-positive", Error;
    /// The wait is over 90 days.
    WaitTimeTooLong = "wait-time.too-long", Error;
    /// "Wait until" a time already past (only with a clock: `validate_at`).
    WaitTimeUntilInPast = "wait-time.until-in-past", Error;

    // Quiet time against a wait (D18).
    /// The downstream wait's time limit is shorter than the longest quiet stretch.
    WaitTimeLimitShorterThanQuietTime = "wait.time-limit-shorter-than-quiet-time", Warning;

    // Quiet-time settings (issue 3).
    /// A quiet block's start or end is not `HH:MM` (`24:00` only as an end).
    QuietTimeBlockTimeInvalid = "quiet-time.block-time-invalid", Error;
    /// A quiet block ends when it starts and is not all-day.
    QuietTimeBlockEmpty = "quiet-time.block-empty", Error;
    /// A quiet block has no weekday.
    QuietTimeBlockNoWeekdays = "quiet-time.block-no-weekdays", Error;
    /// A quiet date range ends before it starts.
    QuietTimeDateRangeReversed = "quiet-time.date-range-reversed", Error;
    /// A quiet date range spans more than 14 days.
    QuietTimeRangeTooLong = "quiet-time.range-too-long", Error;
    /// Quiet time runs continuously for more than 21 days.
    QuietTimeStretchTooLong = "quiet-time.stretch-too-long", Error;
    /// A schedule is quiet all week.
    QuietTimeQuietAllWeek = "quiet-time.quiet-all-week", Error;
    /// An advanced quiet-time rule has no conditions.
    QuietTimeRuleWithoutConditions = "quiet-time.rule-without-conditions", Error;
}
