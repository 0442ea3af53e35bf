//! Consent (domain decision D4, reference §12): the purpose's voice enforcement model decides,
//! a topic inherits it, and only `voice` records count.

use crate::catalog::{EnforcementModel, Purpose};
use crate::contact::{ConsentScope, ConsentStatus};
use crate::document::Channel;

use super::{BlockCode, ConsentLookup, contact_point::ContactPoint};

/// A purpose or topic id, borrowed, so a look-up need not build a [`ConsentScope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeRef<'a> {
    /// A purpose id.
    Purpose(&'a str),
    /// A topic id.
    Topic(&'a str),
}

impl ScopeRef<'_> {
    /// The owned scope.
    pub fn to_scope(self) -> ConsentScope {
        match self {
            ScopeRef::Purpose(id) => ConsentScope::Purpose {
                purpose_id: id.to_owned(),
            },
            ScopeRef::Topic(id) => ConsentScope::Topic {
                topic_id: id.to_owned(),
            },
        }
    }

    /// Whether an owned scope is this one.
    pub fn matches(self, scope: &ConsentScope) -> bool {
        match (self, scope) {
            (ScopeRef::Purpose(id), ConsentScope::Purpose { purpose_id }) => id == purpose_id,
            (ScopeRef::Topic(id), ConsentScope::Topic { topic_id }) => id == topic_id,
            _ => false,
        }
    }
}

/// Why consent allows the call; the Send explanation names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConsentBasis {
    /// Restrictive: opted in (purpose, and topic when set).
    OptedIn,
    /// Non-restrictive: no opt-out.
    NoOptOut,
    /// Disabled: not checked.
    NotEnforced,
}

/// A failed consent check: code and the name the D6 sentence uses.
pub(crate) struct ConsentRefusal<'a> {
    pub(crate) code: BlockCode,
    pub(crate) name: &'a str,
}

/// Check consent for a call to `number` under `purpose` (and `topic`, when the tile sets one).
pub(crate) fn check<'a>(
    lookup: &dyn ConsentLookup,
    number: &ContactPoint,
    purpose: &'a Purpose,
    topic_id: Option<&'a str>,
) -> Result<ConsentBasis, ConsentRefusal<'a>> {
    let model = purpose.enforcement.voice;
    if model == EnforcementModel::Disabled {
        return Ok(ConsentBasis::NotEnforced);
    }
    let number = number.as_str();
    let status = |scope| {
        lookup
            .status_of(number, Channel::Voice, scope)
            .unwrap_or(ConsentStatus::NotSet)
    };
    let purpose_status = status(ScopeRef::Purpose(&purpose.id));
    judge(model, purpose_status, false).map_err(|code| ConsentRefusal {
        code,
        name: &purpose.name,
    })?;
    if let Some(topic_id) = topic_id {
        let topic_status = status(ScopeRef::Topic(topic_id));
        let name = purpose
            .topic(topic_id)
            .map_or(topic_id, |topic| topic.name.as_str());
        judge(model, topic_status, true).map_err(|code| ConsentRefusal { code, name })?;
    }
    Ok(match model {
        EnforcementModel::Restrictive => ConsentBasis::OptedIn,
        _ => ConsentBasis::NoOptOut,
    })
}

/// The §12 table for one status.
fn judge(model: EnforcementModel, status: ConsentStatus, topic: bool) -> Result<(), BlockCode> {
    let opted_out = if topic {
        BlockCode::ConsentTopicOptedOut
    } else {
        BlockCode::ConsentPurposeOptedOut
    };
    let not_opted_in = if topic {
        BlockCode::ConsentTopicNotOptedIn
    } else {
        BlockCode::ConsentPurposeNotOptedIn
    };
    match (model, status) {
        (EnforcementModel::Disabled, _) => Ok(()),
        (_, ConsentStatus::OptedOut) => Err(opted_out),
        (EnforcementModel::Restrictive, ConsentStatus::NotSet) => Err(not_opted_in),
        _ => Ok(()),
    }
}
