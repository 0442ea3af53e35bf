//! The catalog: what a journey refers to but does not own.
//!
//! Proactive engagements (the contact center's outbound set-ups), compliance profiles with
//! their purposes and topics, quiet-time settings, and the contact center's result list with
//! its mapping to "attempted" / "not attempted". The designer caches it for offline work; the
//! runtime serves it and decides with it at publish.

mod lookups;
pub mod references;
mod results;

pub use lookups::{SegmentRef, TriggerRef};
pub use results::{CallOutcome, LIVE_ANSWER, ResultEntry, default_result_mapping};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::document::Channel;

/// Everything a journey can refer to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalog {
    /// Proactive engagements of the contact center.
    #[serde(default)]
    pub engagements: Vec<Engagement>,
    /// Compliance profiles, each with its purposes and topics.
    #[serde(default)]
    pub compliance_profiles: Vec<ComplianceProfile>,
    /// Quiet-time settings.
    #[serde(default)]
    pub quiet_time_settings: Vec<QuietTimeSetting>,
    /// The contact center's final results and what each means for a journey.
    /// Defaults to the domain reference's table when absent.
    #[serde(default = "default_result_mapping")]
    pub result_mapping: Vec<ResultEntry>,
    /// The segments a start may name; `None` when not known (then not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<SegmentRef>>,
    /// The triggers a start or a trigger wait may name; `None` when not known (then not
    /// checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers: Option<Vec<TriggerRef>>,
}

/// Error reading a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// Not JSON, or JSON of the wrong shape.
    #[error("line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl Catalog {
    /// Parse a catalog from JSON text.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        serde_json::from_str(text).map_err(|error| CatalogError::Invalid {
            line: error.line(),
            column: error.column(),
            message: error
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or("")
                .to_owned(),
        })
    }

    /// The engagement with this id.
    pub fn engagement(&self, id: &str) -> Option<&Engagement> {
        self.engagements.iter().find(|e| e.id == id)
    }

    /// The compliance profile with this id.
    pub fn profile(&self, id: &str) -> Option<&ComplianceProfile> {
        self.compliance_profiles.iter().find(|p| p.id == id)
    }

    /// The quiet-time setting with this id.
    pub fn quiet_time_setting(&self, id: &str) -> Option<&QuietTimeSetting> {
        self.quiet_time_settings.iter().find(|s| s.id == id)
    }

    /// The result entry for a contact center result value, e.g. `LiveAnswer`.
    pub fn result(&self, value: &str) -> Option<&ResultEntry> {
        self.result_mapping.iter().find(|r| r.result == value)
    }
}

/// A contact center proactive engagement: an outbound set-up a voice tile can use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Engagement {
    /// Stable id (the configuration id).
    pub id: String,
    /// What the marketer picks by.
    pub name: String,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Voice or text message.
    pub channel: EngagementChannel,
    /// How calls are dialled.
    pub dial_mode: DialMode,
    /// Who speaks first.
    pub led_by: LedBy,
    /// Inactive engagements stay valid where used but leave the pickers.
    #[serde(default = "default_true")]
    pub active: bool,
    /// Outcome variables the bot or representative writes back (e.g. `Outcome`).
    #[serde(default)]
    pub variables: Vec<EngagementVariable>,
    /// Disposition codes representatives and bots may set.
    #[serde(default)]
    pub disposition_codes: Vec<DispositionCode>,
}

fn default_true() -> bool {
    true
}

/// The channel of an engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum EngagementChannel {
    /// Outbound voice.
    Voice,
    /// Outbound text message.
    Sms,
}

/// How an engagement dials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DialMode {
    /// AI agent auto-dials and takes the call.
    Copilot,
    /// A representative reviews, then dials.
    Preview,
    /// One call per free representative.
    Progressive,
    /// Model-paced dialling.
    Predictive,
}

/// Who leads the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum LedBy {
    /// A human representative.
    Representative,
    /// An AI agent (bot) that may escalate.
    Ai,
}

/// A typed variable an engagement writes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EngagementVariable {
    /// Name, case-sensitive (e.g. `Outcome`).
    pub name: String,
    /// Its type.
    pub data_type: VariableType,
    /// The allowed values of a choice variable.
    #[serde(default)]
    pub options: Vec<String>,
}

/// The type of an engagement variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum VariableType {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// True or false.
    Boolean,
    /// An instant.
    DateTime,
    /// One of declared options.
    Choice,
}

/// A disposition code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DispositionCode {
    /// The code as the contact center sends it.
    pub code: String,
    /// A grouping label, e.g. "Sales".
    #[serde(default)]
    pub category: String,
}

/// A compliance profile: purposes, topics and the default quiet-time setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComplianceProfile {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Deactivated profiles stay valid where used but leave the pickers.
    #[serde(default = "default_true")]
    pub active: bool,
    /// The profile's purposes.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// The quiet-time setting voice tiles inherit.
    #[serde(default)]
    pub quiet_time_setting_id: Option<String>,
}

impl ComplianceProfile {
    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }
}

/// A purpose of a compliance profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Purpose {
    /// Stable id; consent records refer to it.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Commercial, transactional or tracking.
    #[serde(rename = "type")]
    pub purpose_type: PurposeType,
    /// Deactivated purposes stay valid where used but leave the pickers.
    #[serde(default = "default_true")]
    pub active: bool,
    /// Consent enforcement per channel.
    pub enforcement: Enforcement,
    /// Topics of this purpose.
    #[serde(default)]
    pub topics: Vec<Topic>,
}

impl Purpose {
    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

/// The type of a purpose; quiet-time schedules are per purpose type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PurposeType {
    /// Marketing and sales.
    Commercial,
    /// Service messages the contact expects.
    Transactional,
    /// Tracking consent; not usable on a voice tile.
    Tracking,
}

/// Consent enforcement models, one per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Enforcement {
    /// Email.
    pub email: EnforcementModel,
    /// Text message.
    pub sms: EnforcementModel,
    /// Custom channel.
    pub custom: EnforcementModel,
    /// Voice.
    pub voice: EnforcementModel,
}

impl Enforcement {
    /// The model for a channel.
    pub fn for_channel(&self, channel: Channel) -> EnforcementModel {
        match channel {
            Channel::Voice => self.voice,
            Channel::Sms => self.sms,
            Channel::Email => self.email,
            Channel::Custom => self.custom,
        }
    }
}

/// How consent is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum EnforcementModel {
    /// Only an explicit opt-in allows sending.
    Restrictive,
    /// Anything but an opt-out allows sending.
    NonRestrictive,
    /// No consent check.
    Disabled,
}

/// A topic of a purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Topic {
    /// Stable id; consent records refer to it.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Deactivated topics stay valid where used but leave the pickers.
    #[serde(default = "default_true")]
    pub active: bool,
}

/// A quiet-time setting: when messages may not go out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuietTimeSetting {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Which zone local times are read in. For voice, the contact's own valid zone always
    /// wins over the journey's (domain decision D5c); this field is kept for other channels.
    #[serde(default)]
    pub time_zone_source: TimeZoneSource,
    /// Rules for everybody not matched by an advanced rule.
    #[serde(default)]
    pub general: Schedule,
    /// Ordered rules by country, state or phone prefix; the first match wins.
    #[serde(default)]
    pub advanced_rules: Vec<AdvancedRule>,
}

/// Where a quiet-time setting takes its zone from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum TimeZoneSource {
    /// The journey's zone.
    #[default]
    Journey,
    /// The contact's zone, else the journey's.
    Audience,
}

/// Quiet-time rows per purpose type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
    /// Rows for commercial purposes.
    #[serde(default)]
    pub commercial: Vec<ScheduleRow>,
    /// Rows for transactional purposes.
    #[serde(default)]
    pub transactional: Vec<ScheduleRow>,
}

/// Quiet blocks and dates for one or more channels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleRow {
    /// Channels this row applies to.
    pub channels: Vec<Channel>,
    /// Weekly quiet blocks.
    #[serde(default)]
    pub weekly_blocks: Vec<WeeklyBlock>,
    /// Quiet dates and date ranges (the contact's local dates, inclusive).
    #[serde(default)]
    pub quiet_dates: Vec<QuietDates>,
}

/// A weekly quiet block. `end` before `start` ends the next day; `end` may be `24:00`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeeklyBlock {
    /// Days on which the block starts.
    pub weekdays: Vec<Weekday>,
    /// Local start, `HH:MM`.
    #[serde(default)]
    pub start: String,
    /// Local end, `HH:MM` (or `24:00`).
    #[serde(default)]
    pub end: String,
    /// The whole day is quiet; start and end are ignored.
    #[serde(default)]
    pub all_day: bool,
}

/// A day of the week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// The chrono weekday.
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// Quiet local dates, `from` to `to` inclusive (one day when equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuietDates {
    /// First quiet date.
    pub from: NaiveDate,
    /// Last quiet date (inclusive).
    pub to: NaiveDate,
}

/// An advanced quiet-time rule, matched on the contact's address or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdvancedRule {
    /// Stable id.
    pub id: String,
    /// Display name, e.g. "Texas".
    pub name: String,
    /// Whether all or any conditions must hold.
    #[serde(default, rename = "match")]
    pub match_mode: crate::document::MatchMode,
    /// Conditions on the contact.
    pub conditions: Vec<RuleCondition>,
    /// The schedule for matched contacts.
    pub schedule: Schedule,
}

/// One condition of an advanced rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleCondition {
    /// What is compared.
    pub field: RuleField,
    /// The value: ISO country code, state name or code, or a `+`-prefixed number prefix.
    pub value: String,
}

/// What an advanced rule matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum RuleField {
    /// ISO 3166-1 alpha-2 country, case-insensitive.
    Country,
    /// State or province, case-insensitive.
    StateOrProvince,
    /// The normalised number starts with this prefix.
    PhonePrefix,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_catalog_parses_and_defaults_the_result_mapping() {
        let catalog = Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap();
        assert!(catalog.engagements.len() >= 4);
        assert_eq!(
            catalog.result("LiveAnswer").unwrap().outcome,
            CallOutcome::Attempted
        );
        assert_eq!(
            catalog.result("InvalidAddress").unwrap().outcome,
            CallOutcome::NotAttempted
        );
        assert!(
            catalog
                .profile("cp-us-marketing")
                .unwrap()
                .purpose("pur-promotions")
                .is_some()
        );
    }

    #[test]
    fn a_catalog_error_names_line_and_column() {
        let error = Catalog::from_json("{\n  \"engagements\": 3\n}").unwrap_err();
        let CatalogError::Invalid { line, .. } = error;
        assert_eq!(line, 2);
    }
}
