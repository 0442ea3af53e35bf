//! Consent and quiet time: for one call, decide send, hold until, or block — exactly.
//!
//! The runtime, the test run and the designer's forecasts all ask [`decide_call`]; nothing else
//! decides whether a call may go out. It runs the D3 pipeline: the Send-to number
//! ([`ContactPoint`], D3), consent (D4, reference §12), then quiet time (D5, D13, D14, §13.4),
//! and answers [`Decision::Send`] with the UTC windows of the horizon, [`Decision::Hold`] until
//! the earliest allowed instant, or [`Decision::Block`] with a D6 code and sentence.
//!
//! Also here: [`decide_call_with`] (the same without Send windows, for forecasts),
//! [`next_allowed_instant`] and [`allowed_windows`] for a bare quiet-time setting (the CLI's
//! `quiet-time next`), [`is_quiet`], and the setting checks the validator uses:
//! [`validate_quiet_time_setting`] (D13, `quiet-time.*` diagnostics) and
//! [`longest_quiet_stretch`] (D18 `TimeLimitShorterThanQuietTime`).
//!
//! ```
//! use chrono::{DateTime, Duration, Utc};
//! use journeys::catalog::Catalog;
//! use journeys::compliance::{CallContext, Decision, decide_call};
//! use journeys::contact::{ConsentRecord, Contact};
//! use journeys::document::{PhoneField, QuietTimeOption, VoiceConversationTile};
//!
//! let catalog = Catalog::from_json(include_str!("../../samples/catalog.json")).unwrap();
//! let tile = VoiceConversationTile {
//!     id: "call".into(),
//!     name: "Call".into(),
//!     engagement_id: None,
//!     send_to: Some(PhoneField::MobilePhone),
//!     compliance_profile_id: Some("cp-us-marketing".into()),
//!     purpose_id: Some("pur-service".into()),
//!     topic_id: None,
//!     quiet_time: Some(QuietTimeOption::Inherit),
//! };
//! let contact = Contact {
//!     id: "c1".into(),
//!     mobile_phone: Some("+1 (312) 555-0100".into()),
//!     time_zone: Some("America/Chicago".into()),
//!     ..Contact::default()
//! };
//! let consents: Vec<ConsentRecord> = Vec::new();
//! let ctx = CallContext {
//!     contact: &contact,
//!     consents: &consents,
//!     tile: &tile,
//!     catalog: &catalog,
//!     journey_zone: "America/Chicago",
//!     horizon: Duration::days(7),
//! };
//! // Monday 24 Nov 2025, 22:00 in Chicago.
//! let now: DateTime<Utc> = "2025-11-25T04:00:00Z".parse().unwrap();
//! let Decision::Hold { until, explanation, .. } = decide_call(&ctx, now) else { panic!() };
//! assert_eq!(until.to_rfc3339(), "2025-11-25T14:00:00+00:00");
//! assert_eq!(
//!     explanation,
//!     "held until Tue 25 Nov 08:00 America/Chicago: quiet time every day 21:00–08:00 \
//!      (transactional voice)"
//! );
//! ```

mod consent;
mod contact_point;
mod explain;
#[cfg(test)]
mod proptests;
pub(crate) mod quiet_time;
mod setting_check;
#[cfg(test)]
mod tests;

pub use consent::ScopeRef;
pub use contact_point::{ContactPoint, ContactPointError};
pub use quiet_time::{
    AppliedSchedule, QuietTimeAnswer, QuietTimeQuery, RuleSubject, allowed_windows, is_quiet,
    next_allowed_instant,
};
pub use setting_check::{longest_quiet_stretch, validate_quiet_time_setting};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::{Catalog, PurposeType};
use crate::contact::Contact;
use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use crate::document::{Channel, QuietTimeOption, VoiceConversationTile};

use explain::{NoQuietTime, QuietBasis, ZoneChoice};
use quiet_time::{Evaluator, Instant, Next};

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

    /// The same look-up with a borrowed scope. The engine calls this one; the default builds a
    /// [`ConsentScope`] and calls [`ConsentLookup::status`], so override it to avoid that
    /// allocation on a hot path.
    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        self.status(contact_point, channel, &scope.to_scope())
    }
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

    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        self.iter()
            .filter(|r| {
                r.contact_point == contact_point && r.channel == channel && scope.matches(&r.scope)
            })
            .max_by_key(|r| r.updated_at)
            .map(|r| r.status)
    }
}

/// A slice is unsized, so `&dyn ConsentLookup` needs a sized holder: a `Vec` or a reference.
impl ConsentLookup for Vec<ConsentRecord> {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        self.as_slice().status(contact_point, channel, scope)
    }

    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        self.as_slice().status_of(contact_point, channel, scope)
    }
}

impl<T: ConsentLookup + ?Sized> ConsentLookup for &T {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        (**self).status(contact_point, channel, scope)
    }

    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        (**self).status_of(contact_point, channel, scope)
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
        /// The IANA zone quiet time was evaluated in; `None` when no quiet time applied.
        #[serde(rename = "zoneUsed")]
        zone_used: Option<String>,
        /// Whether that is the journey's zone because the contact has no valid one (D5c).
        #[serde(rename = "zoneFallback")]
        zone_fallback: bool,
    },
    /// Quiet time now: wait, and ask again at `until` (consent is re-checked then).
    Hold {
        /// The earliest allowed instant.
        until: DateTime<Utc>,
        /// One sentence for the marketer, e.g. "held until Tue 25 Nov 08:00 America/Chicago:
        /// quiet time Mon–Fri 21:00–08:00 (commercial voice)".
        explanation: String,
        /// The IANA zone quiet time was evaluated in.
        #[serde(rename = "zoneUsed")]
        zone_used: String,
        /// Whether that is the journey's zone because the contact has no valid one (D5c).
        #[serde(rename = "zoneFallback")]
        zone_fallback: bool,
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

impl BlockCode {
    /// The stable string, e.g. `QUIET_TIME_NO_WINDOW`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockCode::ContactPointMissing => "CONTACT_POINT_MISSING",
            BlockCode::ContactPointInvalid => "CONTACT_POINT_INVALID",
            BlockCode::ConsentPurposeOptedOut => "CONSENT_PURPOSE_OPTED_OUT",
            BlockCode::ConsentPurposeNotOptedIn => "CONSENT_PURPOSE_NOT_OPTED_IN",
            BlockCode::ConsentTopicOptedOut => "CONSENT_TOPIC_OPTED_OUT",
            BlockCode::ConsentTopicNotOptedIn => "CONSENT_TOPIC_NOT_OPTED_IN",
            BlockCode::QuietTimeNoWindow => "QUIET_TIME_NO_WINDOW",
        }
    }
}

/// The longest hold D6 allows: no horizon exceeds 90 days (D9, D12).
pub const MAX_HORIZON: chrono::Duration = chrono::Duration::days(90);

/// Decide one call (D3): contact point, then consent, then quiet time; the first failure
/// blocks.
///
/// Misconfiguration the validator rejects at publish fails closed here rather than calling:
/// a tile whose profile or purpose is not in the catalog is blocked as lacking the purpose's
/// opt-in; a quiet-time setting id that is not in the catalog (or an override without one), or
/// an invalid journey zone when the contact has no valid zone, allows no window. The horizon
/// is clamped to `[1 minute, 90 days]`.
pub fn decide_call(ctx: &CallContext<'_>, now: DateTime<Utc>) -> Decision {
    decide_call_with(ctx, now, SendWindows::Compute)
}

/// Whether a Send carries its calling windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendWindows {
    /// Compute every allowed window of the horizon (what a contact-center request needs).
    Compute,
    /// Leave `windows` empty: for forecasts and previews that only count sends, holds and
    /// blocks. Computing the windows is most of the cost of a Send (see BENCHMARKS.md).
    Skip,
}

/// [`decide_call`], optionally without the Send windows; everything else is identical.
pub fn decide_call_with(
    ctx: &CallContext<'_>,
    now: DateTime<Utc>,
    send_windows: SendWindows,
) -> Decision {
    // 1. Contact point.
    let raw = ctx.tile.send_to.and_then(|field| ctx.contact.phone(field));
    let number = match ContactPoint::parse(raw) {
        Ok(number) => number,
        Err(error) => {
            return Decision::Block {
                code: error.block_code(),
                reason: error.to_string(),
            };
        }
    };

    // 2. Consent.
    let profile = ctx
        .tile
        .compliance_profile_id
        .as_deref()
        .and_then(|id| ctx.catalog.profile(id));
    let purpose = profile.and_then(|p| ctx.tile.purpose_id.as_deref().and_then(|id| p.purpose(id)));
    let (Some(profile), Some(purpose)) = (profile, purpose) else {
        let code = BlockCode::ConsentPurposeNotOptedIn;
        let name = ctx.tile.purpose_id.as_deref().unwrap_or("(none chosen)");
        return Decision::Block {
            code,
            reason: explain::consent_refusal(code, name),
        };
    };
    let topic_id = ctx.tile.topic_id.as_deref();
    let basis = match consent::check(ctx.consents, &number, purpose, topic_id) {
        Ok(basis) => basis,
        Err(refusal) => {
            return Decision::Block {
                code: refusal.code,
                reason: explain::consent_refusal(refusal.code, refusal.name),
            };
        }
    };
    let topic_name = topic_id.map(|id| purpose.topic(id).map_or(id, |t| t.name.as_str()));

    // 3. Quiet time.
    let horizon = ctx.horizon.clamp(chrono::Duration::minutes(1), MAX_HORIZON);
    let horizon_end = now + horizon;
    let end = quiet_time::end_seconds(horizon_end);
    let collect = send_windows == SendWindows::Compute;
    let send_all = |why: NoQuietTime<'_>| Decision::Send {
        to_number: number.as_str().to_owned(),
        windows: if collect {
            vec![Window {
                start: now,
                end: horizon_end,
            }]
        } else {
            Vec::new()
        },
        explanation: explain::send(basis, &purpose.name, topic_name, QuietBasis::None(why)),
        zone_used: None,
        zone_fallback: false,
    };
    let setting_id = match ctx
        .tile
        .quiet_time
        .as_ref()
        .unwrap_or(&QuietTimeOption::Inherit)
    {
        QuietTimeOption::None => return send_all(NoQuietTime::TileOff),
        QuietTimeOption::Inherit => match profile.quiet_time_setting_id.as_deref() {
            None => return send_all(NoQuietTime::ProfileHasNone(&profile.name)),
            Some(id) => Some(id),
        },
        QuietTimeOption::Override { setting_id } => setting_id.as_deref(),
    };
    let setting = setting_id.and_then(|id| ctx.catalog.quiet_time_setting(id));
    let contact_zone = ctx.contact.time_zone.as_deref();
    let Some((zone, choice)) = resolve_zone(contact_zone, ctx.journey_zone) else {
        return Decision::Block {
            code: BlockCode::QuietTimeNoWindow,
            reason: explain::no_window(Tz::UTC, horizon_end, ctx.journey_zone),
        };
    };
    let no_window = || Decision::Block {
        code: BlockCode::QuietTimeNoWindow,
        reason: explain::no_window(zone, horizon_end, zone.name()),
    };
    let Some(setting) = setting else {
        return no_window();
    };
    let purpose_type: PurposeType = purpose.purpose_type;
    let subject = RuleSubject {
        country: ctx.contact.country.as_deref(),
        state_or_province: ctx.contact.state_or_province.as_deref(),
        number: Some(&number),
    };
    let Some(schedule) = AppliedSchedule::choose(setting, purpose_type, Channel::Voice, &subject)
    else {
        return send_all(NoQuietTime::NoRows(setting, purpose_type));
    };
    let zone_fallback = choice != ZoneChoice::Contact;
    let evaluator = Evaluator::new(&schedule, zone);
    let start = Instant::of(now);
    let mut windows = Vec::new();
    match evaluator.evaluate(start, end, collect.then_some(&mut windows)) {
        Next::Now => {
            if let Some(last) = windows.last_mut()
                && last.end.timestamp() == end
            {
                last.end = horizon_end;
            }
            Decision::Send {
                to_number: number.as_str().to_owned(),
                windows,
                explanation: explain::send(
                    basis,
                    &purpose.name,
                    topic_name,
                    QuietBasis::Outside(&schedule, zone, choice),
                ),
                zone_used: Some(zone.name().to_owned()),
                zone_fallback,
            }
        }
        Next::Later {
            until,
            until_local,
            first,
            last,
        } => Decision::Hold {
            until: until.utc(),
            explanation: explain::held(
                &schedule,
                zone,
                (until.utc(), until_local),
                (first, last),
                Some(choice),
            ),
            zone_used: zone.name().to_owned(),
            zone_fallback,
        },
        Next::Beyond => no_window(),
    }
}

/// The zone a contact's quiet time and local times are read in: its own when that is a
/// valid IANA name, else the journey's (D5c); `None` when neither is valid.
pub fn contact_zone(contact_zone: Option<&str>, journey_zone: &str) -> Option<Tz> {
    resolve_zone(contact_zone, journey_zone).map(|(zone, _)| zone)
}

/// The contact's zone if it is a valid IANA name, else the journey's (D5c); `None` when
/// neither is valid.
fn resolve_zone<'a>(contact: Option<&'a str>, journey: &str) -> Option<(Tz, ZoneChoice<'a>)> {
    if let Some(zone) = contact.and_then(|z| z.parse::<Tz>().ok()) {
        return Some((zone, ZoneChoice::Contact));
    }
    let zone = journey.parse::<Tz>().ok()?;
    Some(match contact {
        Some(given) if !given.trim().is_empty() => {
            (zone, ZoneChoice::JourneyInvalidContactZone(given))
        }
        _ => (zone, ZoneChoice::JourneyNoContactZone),
    })
}
