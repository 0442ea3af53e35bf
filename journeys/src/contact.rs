//! Contacts and their consent records, as the compliance engine and the interpreter see them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::document::{Channel, PhoneField};

/// A contact: phone fields, zone, address and attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    /// Stable id.
    pub id: String,
    /// Mobile phone, as entered (normalised before use).
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// Business phone.
    #[serde(default)]
    pub business_phone: Option<String>,
    /// Home phone.
    #[serde(default)]
    pub home_phone: Option<String>,
    /// The contact's IANA zone; an invalid or missing one falls back to the journey's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// ISO 3166-1 alpha-2 country of the address.
    #[serde(default)]
    pub country: Option<String>,
    /// State or province of the address.
    #[serde(default)]
    pub state_or_province: Option<String>,
    /// Other attributes, for attribute branches and trigger conditions.
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

impl Contact {
    /// Its own zone, when that is a valid IANA name; otherwise the journey's applies (D5c).
    pub fn own_time_zone(&self) -> Option<chrono_tz::Tz> {
        self.time_zone.as_deref().and_then(|z| z.parse().ok())
    }

    /// The value of an attribute, read one way by segment filters and attribute branches:
    /// `country`, `stateOrProvince` and `timeZone` from the contact's own fields, any other
    /// name from `attributes`.
    pub fn attribute(&self, name: &str) -> Option<serde_json::Value> {
        let field = |value: &Option<String>| value.clone().map(serde_json::Value::from);
        match name {
            "country" => field(&self.country),
            "stateOrProvince" => field(&self.state_or_province),
            "timeZone" => field(&self.time_zone),
            _ => self.attributes.get(name).cloned(),
        }
    }

    /// The raw value of a phone field.
    pub fn phone(&self, field: PhoneField) -> Option<&str> {
        match field {
            PhoneField::MobilePhone => self.mobile_phone.as_deref(),
            PhoneField::BusinessPhone => self.business_phone.as_deref(),
            PhoneField::HomePhone => self.home_phone.as_deref(),
        }
    }
}

/// A consent record, keyed by contact point, channel, and purpose or topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentRecord {
    /// The phone number (normalised to E.164 before lookup).
    pub contact_point: String,
    /// The channel consented on; only `voice` counts for calls.
    pub channel: Channel,
    /// A purpose or one of its topics.
    pub scope: ConsentScope,
    /// Opted in, opted out, or not set.
    pub status: ConsentStatus,
    /// When the status was recorded.
    pub updated_at: DateTime<Utc>,
    /// Where it came from (form, import, contactCenter, …).
    #[serde(default)]
    pub source: Option<String>,
}

impl ConsentRecord {
    /// The record a contact center's opt-out makes (disposition `DoNotContact`, D15): the
    /// number opted out of voice calls for the tile's purpose, at `at`.
    pub fn contact_center_opt_out(
        contact_point: String,
        purpose_id: String,
        at: DateTime<Utc>,
    ) -> Self {
        ConsentRecord {
            contact_point,
            channel: Channel::Voice,
            scope: ConsentScope::Purpose { purpose_id },
            status: ConsentStatus::OptedOut,
            updated_at: at,
            source: Some("contactCenter".into()),
        }
    }
}

/// What a consent record is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ConsentScope {
    /// A purpose.
    Purpose {
        /// The purpose id.
        #[serde(rename = "purposeId")]
        purpose_id: String,
    },
    /// A topic.
    Topic {
        /// The topic id.
        #[serde(rename = "topicId")]
        topic_id: String,
    },
}

/// A consent status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ConsentStatus {
    /// Explicit opt-in.
    OptedIn,
    /// Explicit opt-out.
    OptedOut,
    /// No choice recorded.
    NotSet,
}
