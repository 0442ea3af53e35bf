//! The values the store takes and answers with (the HTTP API's bodies).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use journeys::document::{Condition, MatchMode};
use journeys::lifecycle::VersionState;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A published version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// The journey.
    pub journey_id: String,
    /// 1, 2, 3… per journey.
    pub number: i64,
    /// SHA-256 of the journey's semantic JSON, hex.
    pub content_hash: String,
    /// `live`, `paused`, `completing` (a newer version is live), `completed` (and its last
    /// run ended) or `stopped`.
    pub state: VersionState,
    /// When it was published.
    pub published_at: DateTime<Utc>,
}

/// The answer to a publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    /// The version: new, or the journey's current one (unchanged or renamed).
    pub version: VersionInfo,
    /// False when the journey's current (live or paused) version already has this content.
    pub created: bool,
    /// True when only the name changed and the current version took it in place.
    #[serde(default)]
    pub renamed: bool,
    /// Contacts enrolled at publish (segment starts).
    pub enrolled: usize,
}

/// A segment: a static list or an attribute filter over contacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SegmentDefinition {
    /// These contacts.
    Static {
        /// Contact ids.
        #[serde(rename = "contactIds")]
        contact_ids: Vec<String>,
    },
    /// Contacts whose attributes (or `country`, `stateOrProvince`, `timeZone`) match.
    Filter {
        /// All or any.
        #[serde(rename = "match", default)]
        match_mode: MatchMode,
        /// Conditions on `attribute` variables.
        conditions: Vec<Condition>,
    },
}

/// A trigger posted for a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerEvent {
    /// Unique per event; a repeat is ignored.
    pub event_id: String,
    /// The trigger's name.
    pub trigger: String,
    /// The contact it fired for.
    pub contact_id: String,
    /// Its attributes (at most 30, no nulls).
    #[serde(default)]
    #[schema(schema_with = crate::http::doc::trigger_attributes)]
    pub attributes: BTreeMap<String, Value>,
}

/// What a trigger did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriggerAccepted {
    /// The event id was seen before: nothing happened.
    pub duplicate: bool,
    /// Runs started.
    pub enrolled: usize,
    /// Waiting runs it was delivered to.
    pub delivered: usize,
}

/// What an outcome did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeAccepted {
    /// The event id was seen before: nothing happened.
    pub duplicate: bool,
}

/// Per-tile counts of one version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TileCounts {
    /// Contacts that entered.
    pub entered: i64,
    /// Contacts on the tile now, waiting (wait for trigger, wait time, paused).
    pub waiting: i64,
    /// Contacts on the tile now, held by quiet time.
    pub held: i64,
    /// Holds so far.
    pub held_total: i64,
    /// Call requests sent.
    pub sent: i64,
    /// Blocks by code.
    pub blocked: BTreeMap<String, i64>,
    /// Attempted calls by result.
    pub attempted: BTreeMap<String, i64>,
    /// Not-attempted calls by result.
    pub not_attempted: BTreeMap<String, i64>,
    /// Contacts that left by each branch (`other` included).
    pub branches: BTreeMap<String, i64>,
    /// Runs that ended on this tile.
    pub completed: i64,
}

impl TileCounts {
    /// Add another share of the same tile's counts (the Restate engine's count shards).
    pub fn absorb(&mut self, other: TileCounts) {
        self.entered += other.entered;
        self.waiting += other.waiting;
        self.held += other.held;
        self.held_total += other.held_total;
        self.sent += other.sent;
        self.completed += other.completed;
        for (mine, theirs) in [
            (&mut self.blocked, other.blocked),
            (&mut self.attempted, other.attempted),
            (&mut self.not_attempted, other.not_attempted),
            (&mut self.branches, other.branches),
        ] {
            for (key, n) in theirs {
                *mine.entry(key).or_default() += n;
            }
        }
    }

    /// Add `n` to the count an outcome key names (`entered`, `blocked:{code}`, …, as
    /// `core`'s counts are keyed); a key it does not know changes nothing.
    pub fn add(&mut self, outcome: &str, n: i64) {
        match outcome.split_once(':') {
            Some(("blocked", code)) => *self.blocked.entry(code.into()).or_default() += n,
            Some(("attempted", r)) => *self.attempted.entry(r.into()).or_default() += n,
            Some(("notAttempted", r)) => *self.not_attempted.entry(r.into()).or_default() += n,
            Some(("branch", b)) => *self.branches.entry(b.into()).or_default() += n,
            _ => match outcome {
                "entered" => self.entered += n,
                "held" => self.held_total += n,
                "sent" => self.sent += n,
                "completed" => self.completed += n,
                _ => {}
            },
        }
    }
}

/// Counts of a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionCounts {
    /// The version.
    pub version: VersionInfo,
    /// Runs in the version, by status (`active`, `done`, `stopped`).
    pub runs: BTreeMap<String, i64>,
    /// Per tile.
    pub tiles: BTreeMap<String, TileCounts>,
}

/// The runtime's overall state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The runtime's clock.
    pub now: DateTime<Utc>,
    /// Runs by status.
    pub runs: BTreeMap<String, i64>,
    /// Outbox rows by status.
    pub outbox: BTreeMap<String, i64>,
    /// Work rows (timers and inputs) not yet run.
    pub work: i64,
}

/// Pause, resume or stop a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionAction {
    /// No new entries; contacts stop before the next voice tile.
    Pause,
    /// Undo a pause.
    Resume,
    /// Final: runs removed, queued work and pending call requests dropped.
    Stop,
}

impl VersionAction {
    /// Every action, as the HTTP API spells them.
    pub const ALL: [VersionAction; 3] = [
        VersionAction::Pause,
        VersionAction::Resume,
        VersionAction::Stop,
    ];

    /// `pause`, `resume` or `stop`: the last segment of the action's URL.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionAction::Pause => "pause",
            VersionAction::Resume => "resume",
            VersionAction::Stop => "stop",
        }
    }
}

/// What became of one sent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    /// Taken, with its delivery id.
    Acked {
        /// The contact center's id.
        delivery_id: String,
    },
    /// Try again at `at`.
    Retry {
        /// When.
        at: DateTime<Utc>,
    },
    /// Refused for good: the run goes on as not attempted.
    Failed {
        /// Why.
        reason: String,
    },
}
