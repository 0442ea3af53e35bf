//! The tiles after the start: voice conversation, wait for trigger, attribute branch, wait, exit.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Channel;

/// A phone field of the contact, the "Send to" of a voice tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PhoneField {
    /// Mobile phone.
    MobilePhone,
    /// Business phone.
    BusinessPhone,
    /// Home phone.
    HomePhone,
}

impl PhoneField {
    /// Every phone field, in picker order.
    pub const ALL: [PhoneField; 3] = [
        PhoneField::MobilePhone,
        PhoneField::BusinessPhone,
        PhoneField::HomePhone,
    ];

    /// What the marketer reads.
    pub fn label(self) -> &'static str {
        match self {
            PhoneField::MobilePhone => "Mobile phone",
            PhoneField::BusinessPhone => "Business phone",
            PhoneField::HomePhone => "Home phone",
        }
    }
}

/// The voice conversation tile: ask the contact center to call the contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VoiceConversationTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The contact center's proactive engagement ("Select conversation").
    #[serde(default)]
    pub engagement_id: Option<String>,
    /// The contact's phone field to call.
    #[serde(default)]
    pub send_to: Option<PhoneField>,
    /// Compliance profile chosen on the tile.
    #[serde(default)]
    pub compliance_profile_id: Option<String>,
    /// A commercial or transactional purpose of that profile.
    #[serde(default)]
    pub purpose_id: Option<String>,
    /// A topic of that purpose, when it has topics.
    #[serde(default)]
    pub topic_id: Option<String>,
    /// Which quiet-time setting applies.
    #[serde(default)]
    pub quiet_time: Option<QuietTimeOption>,
}

/// The quiet-time option of a voice tile.
///
/// Spelled as the domain reference's `inherit | override | none`; the issue tracker's
/// `profile | setting:<id> | none` means the same three choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "camelCase")]
pub enum QuietTimeOption {
    /// The compliance profile's quiet-time setting (none on the profile: no quiet time).
    Inherit,
    /// Another quiet-time setting.
    Override {
        /// The chosen setting; `None` while not chosen.
        #[serde(default, rename = "settingId")]
        setting_id: Option<String>,
    },
    /// Don't apply quiet time (consent is still checked).
    None,
}

/// The wait-for-trigger tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitForTriggerTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// What is waited for.
    #[serde(default)]
    pub condition: Option<WaitCondition>,
    /// Ordered branches; the first that matches wins.
    #[serde(default)]
    pub branches: Vec<WaitBranch>,
    /// Required; when it passes the contact takes Other.
    #[serde(default)]
    pub time_limit: Option<Duration>,
}

/// What a wait-for-trigger tile waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WaitCondition {
    /// "Previous message gets an interaction": an earlier message tile.
    PreviousMessage {
        /// The earlier message tile watched.
        #[serde(default, rename = "tileId")]
        tile_id: Option<String>,
    },
    /// "A trigger is activated".
    Trigger {
        /// The trigger's name.
        #[serde(default, rename = "triggerName")]
        trigger_name: Option<String>,
    },
}

/// One branch of a wait-for-trigger tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitBranch {
    /// Stable id, also the tile output key.
    pub id: String,
    /// Display name ("Branch N" by default).
    #[serde(default)]
    pub name: String,
    /// The interaction this branch waits for (previous-message waits).
    #[serde(default)]
    pub interaction: Option<Interaction>,
    /// Conditions on the trigger's attributes (trigger waits); all must hold.
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

/// An interaction of a message tile that a wait can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Interaction {
    /// The contact center dialled; any failure was transient.
    VoiceCallAttempted,
    /// The contact center could not dial, for a lasting reason.
    VoiceCallNotAttempted,
    /// Switchboard never sent the call (no consent, no allowed window, no number).
    VoiceCallBlocked,
}

impl Interaction {
    /// The channel whose messages have this interaction.
    pub fn channel(self) -> Channel {
        match self {
            Interaction::VoiceCallAttempted
            | Interaction::VoiceCallNotAttempted
            | Interaction::VoiceCallBlocked => Channel::Voice,
        }
    }

    /// What the marketer reads.
    pub fn label(self) -> &'static str {
        match self {
            Interaction::VoiceCallAttempted => "Voice call attempted",
            Interaction::VoiceCallNotAttempted => "Voice call not attempted",
            Interaction::VoiceCallBlocked => "Voice call blocked",
        }
    }
}

/// An amount of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Duration {
    /// How many units; must be positive.
    pub amount: i32,
    /// Minutes, hours, days or weeks.
    pub unit: DurationUnit,
}

/// Unit of a [`Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DurationUnit {
    /// 60 seconds.
    Minutes,
    /// 60 minutes.
    Hours,
    /// 24 hours.
    Days,
    /// 7 days.
    Weeks,
}

impl Duration {
    /// The duration as a chrono duration, or `None` if it does not fit.
    pub fn to_chrono(self) -> Option<chrono::Duration> {
        let amount = i64::from(self.amount);
        match self.unit {
            DurationUnit::Minutes => chrono::Duration::try_minutes(amount),
            DurationUnit::Hours => chrono::Duration::try_hours(amount),
            DurationUnit::Days => chrono::Duration::try_days(amount),
            DurationUnit::Weeks => chrono::Duration::try_weeks(amount),
        }
    }
}

/// The attribute-branch tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributeBranchTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// What the branches look at ("Branch on").
    #[serde(default)]
    pub source: Option<BranchSource>,
    /// Ordered branches; the first that matches wins, else Other.
    #[serde(default)]
    pub branches: Vec<AttributeBranch>,
}

/// The "Branch on" of an attribute-branch tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BranchSource {
    /// "A voice call is attempted": the outcome of a named voice tile's call.
    VoiceCall {
        /// The voice conversation tile.
        #[serde(default, rename = "tileId")]
        tile_id: Option<String>,
    },
    /// "A voice call is blocked": the block code of a named voice tile.
    VoiceCallBlocked {
        /// The voice conversation tile.
        #[serde(default, rename = "tileId")]
        tile_id: Option<String>,
    },
    /// The contact's own attributes.
    Contact,
}

/// One branch of an attribute-branch tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributeBranch {
    /// Stable id, also the tile output key.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Whether all or any of the conditions must hold.
    #[serde(default, rename = "match")]
    pub match_mode: MatchMode,
    /// A flat list of conditions (at least one).
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

/// How a branch combines its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum MatchMode {
    /// Every condition must hold.
    #[default]
    All,
    /// At least one condition must hold.
    Any,
}

/// One condition: variable, operator, value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// What is compared.
    #[serde(default)]
    pub variable: Option<Variable>,
    /// How it is compared.
    #[serde(default)]
    pub operator: Option<Operator>,
    /// What it is compared with (absent for isEmpty, isTrue and the like).
    #[serde(default)]
    pub value: Option<serde_json::Value>,
}

/// A variable a condition reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Variable {
    /// The call's disposition codes (a list).
    DispositionCodes,
    /// The call's final result (e.g. `LiveAnswer`).
    Result,
    /// Why the call was blocked (e.g. `CONSENT_PURPOSE_NOT_OPTED_IN`).
    BlockCode,
    /// A variable declared by the engagement (e.g. `Outcome`).
    EngagementVariable {
        /// The variable's name, case-sensitive.
        name: String,
    },
    /// A contact attribute, or a trigger attribute in a trigger start or wait.
    Attribute {
        /// The attribute's name.
        name: String,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Operator {
    /// Equal (text: trimmed, case-insensitive).
    Equals,
    /// Not equal.
    NotEquals,
    /// Text contains; code list contains any of the values.
    Contains,
    /// Negation of contains.
    DoesNotContain,
    /// Text starts with.
    StartsWith,
    /// No value.
    IsEmpty,
    /// Some value.
    IsNotEmpty,
    /// Number below.
    LessThan,
    /// Number at most.
    LessThanOrEqual,
    /// Number above.
    GreaterThan,
    /// Number at least.
    GreaterThanOrEqual,
    /// Boolean true.
    IsTrue,
    /// Boolean false.
    IsFalse,
    /// Date-time before.
    Before,
    /// Date-time on the same local date (journey zone).
    On,
    /// Date-time after.
    After,
}

/// The wait-time tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitTimeTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// How long, or until when.
    #[serde(default)]
    pub wait: Option<WaitSpec>,
}

/// What a wait-time tile waits for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WaitSpec {
    /// A fixed amount of time (≤ 90 days).
    Duration(Duration),
    /// Until a local date and time in the journey's zone.
    Until {
        /// Local date-time, e.g. `2026-12-01T09:00:00`.
        local: NaiveDateTime,
    },
}

/// The exit tile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExitTile {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
}
