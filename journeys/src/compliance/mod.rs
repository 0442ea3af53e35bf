//! Consent and quiet time: for one call, decide send, hold until, or block — exactly.
//!
//! The runtime, the test run and the designer's forecasts all ask [`decide_call`]; nothing else
//! decides whether a call may go out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::contact::Contact;
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use crate::document::{Channel, VoiceConversationTile};

/// Where the consent engine reads consent records from.
///
/// The runtime answers from SQLite, tests and the simulator from memory. A missing record is
/// `None` (the engine treats it as "not set").
pub trait ConsentLookup {
    /// The current status for (contact point, channel, purpose or topic), if recorded.
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus>;
}

impl ConsentLookup for [ConsentRecord] {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        // The newest record wins when a slice holds several for the same key.
        self.iter()
            .filter(|r| {
                r.contact_point == contact_point && r.channel == channel && &r.scope == scope
            })
            .max_by_key(|r| r.updated_at)
            .map(|r| r.status)
    }
}

/// Everything one call decision needs besides `now`.
pub struct CallContext<'a> {
    /// The contact to call.
    pub contact: &'a Contact,
    /// Consent records (only `voice` ones count).
    pub consents: &'a dyn ConsentLookup,
    /// The voice tile's settings.
    pub tile: &'a VoiceConversationTile,
    /// Engagements, profiles, purposes, topics, quiet-time settings.
    pub catalog: &'a Catalog,
    /// The journey's IANA zone (fallback when the contact has none or an invalid one).
    pub journey_zone: &'a str,
    /// H: the downstream wait's time limit (7 days when there is none). A call whose next
    /// allowed instant is not in `[now, now + horizon)` is blocked.
    pub horizon: chrono::Duration,
}

/// The answer for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Decision {
    /// Call now.
    Send {
        /// The number to call, normalised to E.164.
        #[serde(rename = "toNumber")]
        to_number: String,
        /// Allowed calling windows within `[now, now + horizon)`, UTC, half-open, for the
        /// contact center to dial inside.
        windows: Vec<Window>,
        /// One sentence for the marketer.
        explanation: String,
    },
    /// Quiet time now: wait, and ask again at `until` (consent is re-checked then).
    Hold {
        /// The earliest allowed instant.
        until: DateTime<Utc>,
        /// One sentence for the marketer, e.g. "held until Tue 25 Nov 08:00 America/Chicago:
        /// quiet time Mon–Fri 21:00–08:00 (commercial voice)".
        explanation: String,
    },
    /// Never sent.
    Block {
        /// Why, as a stable code.
        code: BlockCode,
        /// One sentence for the marketer.
        reason: String,
    },
}

/// A half-open UTC interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// First allowed instant.
    pub start: DateTime<Utc>,
    /// First instant no longer allowed.
    pub end: DateTime<Utc>,
}

/// Why a call was blocked (domain decision D6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlockCode {
    /// The Send-to phone field is empty.
    ContactPointMissing,
    /// The Send-to number is not a valid E.164 number.
    ContactPointInvalid,
    /// The number opted out of voice calls for the purpose.
    ConsentPurposeOptedOut,
    /// The purpose needs a voice opt-in the number lacks.
    ConsentPurposeNotOptedIn,
    /// The number opted out of voice calls for the topic.
    ConsentTopicOptedOut,
    /// The topic needs a voice opt-in the number lacks.
    ConsentTopicNotOptedIn,
    /// Quiet time allows no call before the horizon's end.
    QuietTimeNoWindow,
}

/// Decide one call.
pub fn decide_call(ctx: &CallContext<'_>, now: DateTime<Utc>) -> Decision {
    let _ = (ctx, now, ConsentStatus::NotSet);
    unimplemented!("issue 3")
}
