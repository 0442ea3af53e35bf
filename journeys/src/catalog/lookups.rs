//! Segments and triggers: what a journey's start (and a trigger wait) names, listed so the
//! designer offers them in a lookup and the validator can say when one does not exist.
//!
//! Segments live in the runtime (`PUT /v1/segments/{id}`, or made by a contacts import) and
//! reach the designer through `GET /v1/segments`; triggers are named by the catalog, since a
//! trigger is fired by the marketer's systems (`POST /v1/triggers`) and the runtime keeps no
//! definition of one. Either list may be unknown (`None`): then nothing is checked against it.

use serde::{Deserialize, Serialize};
use specta::Type;

/// A segment the runtime holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentRef {
    /// The segment's id, as a start tile names it.
    pub id: String,
    /// How membership is decided, in words ("3 contacts", "attribute filter").
    #[serde(default)]
    pub description: String,
}

/// A trigger the marketer's systems fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerRef {
    /// The trigger's name, e.g. `cartAbandoned`, as a start tile or trigger wait names it.
    pub name: String,
    /// What fires it, for the lookup.
    #[serde(default)]
    pub description: String,
}
