//! All SQL of the runtime: schema, publish, enrollment, claim-execute-commit, the outbox.
//!
//! One SQLite file in WAL mode. Every state change is one transaction: a batch of
//! transitions commits its new run states, work rows (durable timers), waits, outbox rows
//! and counts together, so a `kill -9` leaves either all of a batch or none of it.

mod contract;
mod schema;
mod tokens;
mod version_doc;
mod version_stats;
#[cfg(test)]
mod version_stats_tests;

#[cfg(test)]
mod idle_tests;
#[cfg(test)]
mod newer_tests;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use journeys::catalog::Catalog;
use journeys::compliance::ConsentLookup;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::{
    Channel, Condition, Frequency, Journey, MatchMode, StartCondition, Variable,
};
use journeys::lifecycle::{Current, PAUSE_LIMIT, PublishPlan, next_round, plan_publish, round_at};
use journeys::step::{
    self, CountOutcome, DeliveryResult, Effect, EventPayload, Input, JourneyGraph, Phase,
    RESUME_TOKEN, RunState, StepContext, condition,
};
use journeys::validate::{has_errors, validate};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::adapters::{DeliveryRequest, InteractionEvent};
use crate::error::{Error, Result};

pub use contract::ActiveVersion;
pub use tokens::{TokenScope, token_hash};
pub use version_doc::VersionDocument;
pub use version_stats::{MAX_COMPUTER_NAME, VersionSummary, check_computer, content_hash};

pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

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
    pub state: String,
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

/// The SQLite store. All methods take the one connection's lock.
pub struct Store {
    conn: Mutex<Connection>,
    graphs: Mutex<HashMap<i64, Arc<JourneyGraph>>>,
    /// When the next version-level event is due (a pause's limit, a repeating journey's
    /// round), in milliseconds; `i64::MAX` for none. Kept in memory (this process has the
    /// database to itself) so the worker's rounds do not query for it.
    lifecycle_due: AtomicI64,
}

/// Consent lookups against the store, inside the current transaction.
struct SqlConsents<'a> {
    conn: &'a Connection,
}

fn scope_key(scope: &ConsentScope) -> String {
    match scope {
        ConsentScope::Purpose { purpose_id } => format!("purpose:{purpose_id}"),
        ConsentScope::Topic { topic_id } => format!("topic:{topic_id}"),
    }
}

fn enum_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

impl ConsentLookup for SqlConsents<'_> {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT status FROM consent WHERE contact_point = ?1 AND channel = ?2 AND scope = ?3",
            )
            .and_then(|mut stmt| {
                stmt.query_row(
                    params![contact_point, enum_text(&channel), scope_key(scope)],
                    |r| r.get::<_, String>(0),
                )
                .optional()
            });
        match found {
            Ok(Some(status)) => serde_json::from_value(Value::String(status)).ok(),
            Ok(None) => None,
            Err(error) => {
                // Never call on a failed lookup: an opt-out blocks under every model.
                tracing::error!(%error, "consent lookup failed; treating as opted out");
                Some(ConsentStatus::OptedOut)
            }
        }
    }
}

fn count_key(outcome: &CountOutcome) -> String {
    match outcome {
        CountOutcome::Entered => "entered".into(),
        CountOutcome::Held => "held".into(),
        CountOutcome::Sent => "sent".into(),
        CountOutcome::Blocked { code } => format!("blocked:{}", enum_text(code)),
        CountOutcome::Attempted { result } => format!("attempted:{result}"),
        CountOutcome::NotAttempted { result } => format!("notAttempted:{result}"),
        CountOutcome::Branch { branch } => format!("branch:{branch}"),
        CountOutcome::Completed => "completed".into(),
    }
}

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::New => "new",
        Phase::Held { .. } => "held",
        Phase::Waiting { .. } => "waiting",
        Phase::Sleeping { .. } => "sleeping",
        Phase::Paused => "paused",
        Phase::Done { .. } => "done",
    }
}

fn phase_token(phase: &Phase) -> Option<&str> {
    match phase {
        Phase::Held { token, .. } | Phase::Waiting { token, .. } | Phase::Sleeping { token } => {
            Some(token)
        }
        _ => None,
    }
}

fn input_token(input: &Input) -> Option<&str> {
    match input {
        Input::Wake { token } => Some(token),
        _ => None,
    }
}

/// Whether a contact is in a segment filter.
fn in_filter(contact: &Contact, mode: MatchMode, conditions: &[Condition]) -> bool {
    let source = |v: &Variable| match v {
        Variable::Attribute { name } => match name.as_str() {
            "country" => contact.country.clone().map(Value::from),
            "stateOrProvince" => contact.state_or_province.clone().map(Value::from),
            "timeZone" => contact.time_zone.clone().map(Value::from),
            _ => contact.attributes.get(name).cloned(),
        },
        _ => None,
    };
    condition::conditions_hold(mode, conditions, &source, chrono_tz::Tz::UTC)
}

impl Store {
    /// Open (or create) the database: WAL, migrations, exclusive use by this process.
    /// A database written by a newer build is refused before anything is written to it.
    pub fn open(path: &Path, synchronous_full: bool) -> Result<Self> {
        if path.exists() {
            // Read-only first: a read-write connection could still change a newer file
            // (a checkpoint of its WAL when closed).
            let reader =
                Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            schema::refuse_newer(&reader, path)?;
        }
        let mut conn = Connection::open(path)?;
        schema::prepare(&mut conn, path, synchronous_full)?;
        let store = Store {
            conn: Mutex::new(conn),
            graphs: Mutex::new(HashMap::new()),
            lifecycle_due: AtomicI64::new(i64::MAX),
        };
        store.refresh_lifecycle_due(&store.conn())?;
        Ok(store)
    }

    /// Re-read when the next version-level event is due, after versions changed.
    fn refresh_lifecycle_due(&self, conn: &Connection) -> Result<()> {
        let due: Option<i64> = conn.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(paused_at) + ?1 AS d FROM journey_version
                                 WHERE state = 'paused'
                                 UNION ALL SELECT MIN(due_at) FROM round)",
            [PAUSE_LIMIT.num_milliseconds()],
            |r| r.get(0),
        )?;
        self.lifecycle_due
            .store(due.unwrap_or(i64::MAX), AtomicOrdering::Relaxed);
        Ok(())
    }

    /// Version-level events due at `now`: pauses past their limit stop, and repeating
    /// journeys whose round has come admit their members. Returns how many things happened.
    /// Costs nothing when none is due.
    pub fn run_lifecycle(&self, now: DateTime<Utc>) -> Result<usize> {
        if self.lifecycle_due.load(AtomicOrdering::Relaxed) > millis(now) {
            return Ok(0);
        }
        let done = self.stop_expired_pauses(now)? + self.run_rounds(now)?;
        self.refresh_lifecycle_due(&self.conn())?;
        Ok(done)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A meta value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Set a meta value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn graph(&self, tx: &Connection, version_id: i64) -> Result<Arc<JourneyGraph>> {
        let mut graphs = self.graphs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(graph) = graphs.get(&version_id) {
            return Ok(graph.clone());
        }
        let text: String = tx.query_row(
            "SELECT document FROM journey_version WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?;
        let journey: Journey = parse(&text, "journey version")?;
        let graph = Arc::new(JourneyGraph::new(&journey));
        graphs.insert(version_id, graph.clone());
        Ok(graph)
    }

    /// Insert or replace contacts.
    ///
    /// Live segment journeys that admit later joiners enroll the new members of their
    /// segments in the same transaction.
    pub fn import_contacts(&self, contacts: &[Contact], now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO contact (id, data) VALUES (?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            )?;
            for contact in contacts {
                stmt.execute(params![contact.id, json(contact)?])?;
            }
        }
        let live = live_version_ids(&tx)?;
        for version_id in live {
            let graph = self.graph(&tx, version_id)?;
            let Some(StartCondition::Segment(segment)) = graph.journey().start_condition() else {
                continue;
            };
            if segment.frequency != Frequency::OnceAdmittingJoiners
                || segment.end_at.is_some_and(|end| now >= end)
            {
                continue;
            }
            let due = segment.start_at.map_or(now, |at| at.max(now));
            let journey_id = graph.journey().id.clone();
            for member in members_of(&tx, &segment.segment_ids)? {
                // Idempotent: members already enrolled keep their one run.
                enroll_segment_member(&tx, &journey_id, version_id, &member, due)?;
            }
        }
        tx.commit()?;
        Ok(contacts.len())
    }

    /// Insert consent records; for one key the newest `updatedAt` wins.
    pub fn import_consents(&self, records: &[ConsentRecord]) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for record in records {
            upsert_consent(&tx, record)?;
        }
        tx.commit()?;
        Ok(records.len())
    }

    /// Create or replace a segment.
    pub fn put_segment(&self, id: &str, definition: &SegmentDefinition) -> Result<()> {
        self.conn().execute(
            "INSERT INTO segment (id, definition) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
            params![id, json(definition)?],
        )?;
        Ok(())
    }

    /// Every segment, by id, described for the designer's lookup.
    pub fn segments(&self) -> Result<Vec<journeys::catalog::SegmentRef>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id, definition FROM segment ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            let description = match parse::<SegmentDefinition>(&text, "segment")? {
                SegmentDefinition::Static { contact_ids } => {
                    format!("{} contact(s)", contact_ids.len())
                }
                SegmentDefinition::Filter { conditions, .. } => {
                    format!("attribute filter, {} condition(s)", conditions.len())
                }
            };
            out.push(journeys::catalog::SegmentRef { id, description });
        }
        Ok(out)
    }

    /// Publish a journey as [`journeys::lifecycle::plan_publish`] decides: the current
    /// version again is a retry; a new name alone renames the current version in place; other
    /// changes are validated and stored as a new version, with segment enrollment, in one
    /// transaction; a running one-time journey refuses them ([`Error::Conflict`]).
    pub fn publish(
        &self,
        journey: &Journey,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<Published> {
        let semantic = journey
            .semantic_json()
            .map_err(|e| Error::BadInput(e.to_string()))?;
        let hash = format!("{:x}", Sha256::digest(semantic.as_bytes()));
        let mut conn = self.conn();
        let latest = latest_version(&conn, &journey.id)?;
        let current = match &latest {
            Some((id, version)) if version.state != "stopped" => {
                let graph = self.graph(&conn, *id)?;
                Some((*id, version, graph))
            }
            _ => None,
        };
        let plan = plan_publish(
            current.as_ref().map(|(_, _, graph)| Current {
                journey: graph.journey(),
                running: true,
            }),
            journey,
            now,
        )
        .map_err(|refusal| Error::Conflict(refusal.to_string()))?;
        if let (PublishPlan::Unchanged, Some((_, version, _))) = (plan, &current) {
            return Ok(Published {
                version: (*version).clone(),
                created: false,
                renamed: false,
                enrolled: 0,
            });
        }
        let diagnostics = validate(journey, catalog);
        if has_errors(&diagnostics) {
            return Err(Error::Invalid(diagnostics));
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let (PublishPlan::Rename, Some((id, _, _))) = (plan, &current) {
            tx.execute(
                "UPDATE journey_version SET document = ?2, content_hash = ?3 WHERE id = ?1",
                params![id, semantic, hash],
            )?;
            let (_, version) = latest_version(&tx, &journey.id)?
                .ok_or_else(|| Error::Corrupt("the renamed version is missing".into()))?;
            tx.commit()?;
            self.graphs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id);
            return Ok(Published {
                version,
                created: false,
                renamed: true,
                enrolled: 0,
            });
        }
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM journey_version WHERE journey_id = ?1",
            [&journey.id],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM round WHERE version_id IN
               (SELECT id FROM journey_version WHERE journey_id = ?1 AND state IN ('live', 'paused'))",
            [&journey.id],
        )?;
        tx.execute(
            "UPDATE journey_version SET state = 'completing'
             WHERE journey_id = ?1 AND state IN ('live', 'paused')",
            [&journey.id],
        )?;
        tx.execute(
            "INSERT INTO journey_version (journey_id, number, content_hash, document, state, published_at)
             VALUES (?1, ?2, ?3, ?4, 'live', ?5)",
            params![journey.id, number, hash, semantic, millis(now)],
        )?;
        let version_id = tx.last_insert_rowid();
        let mut enrolled = 0;
        if let Some(StartCondition::Segment(segment)) = journey.start_condition() {
            let due = segment.start_at.map_or(now, |at| at.max(now));
            for contact in members_of(&tx, &segment.segment_ids)? {
                if enroll_segment_member(&tx, &journey.id, version_id, &contact, due)? {
                    enrolled += 1;
                }
            }
            let zone = journey.time_zone.parse().unwrap_or(chrono_tz::Tz::UTC);
            if let Some((number, at)) = next_round(segment, zone, due) {
                tx.execute(
                    "INSERT INTO round (version_id, number, due_at) VALUES (?1, ?2, ?3)",
                    params![version_id, number, millis(at)],
                )?;
            }
        }
        let (_, version) = latest_version(&tx, &journey.id)?
            .ok_or_else(|| Error::Corrupt("the version just written is missing".into()))?;
        tx.commit()?;
        self.refresh_lifecycle_due(&conn)?;
        Ok(Published {
            version,
            created: true,
            renamed: false,
            enrolled,
        })
    }

    /// Versions of a journey, oldest first.
    pub fn list_versions(&self, journey_id: &str) -> Result<Vec<VersionInfo>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT journey_id, number, content_hash, state, published_at
             FROM journey_version WHERE journey_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([journey_id], version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Pause, resume or stop a version.
    pub fn set_version_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
        now: DateTime<Utc>,
    ) -> Result<VersionInfo> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (version_id, state) = version_id(&tx, journey_id, number)?;
        if state == "stopped" {
            return Err(Error::Conflict(format!(
                "version {number} of journey {journey_id} is stopped; stopping is final"
            )));
        }
        match action {
            VersionAction::Pause => {
                tx.execute(
                    "UPDATE journey_version SET state = 'paused', paused_at = ?2
                     WHERE id = ?1 AND state = 'live'",
                    params![version_id, millis(now)],
                )?;
            }
            VersionAction::Resume => {
                if state == "paused" {
                    tx.execute(
                        "UPDATE journey_version SET state = 'live', paused_at = NULL WHERE id = ?1",
                        [version_id],
                    )?;
                }
                let wake = json(&Input::Wake {
                    token: RESUME_TOKEN.into(),
                })?;
                tx.execute(
                    "INSERT INTO work (due_at, run_id, token, input)
                     SELECT ?1, id, ?2, ?3 FROM contact_run
                     WHERE version_id = ?4 AND status = 'active' AND phase = 'paused'",
                    params![millis(now), RESUME_TOKEN, wake, version_id],
                )?;
            }
            VersionAction::Stop => stop_version(&tx, version_id)?,
        }
        let info = tx.query_row(
            "SELECT journey_id, number, content_hash, state, published_at FROM journey_version WHERE id = ?1",
            [version_id],
            version_row,
        )?;
        tx.commit()?;
        self.refresh_lifecycle_due(&conn)?;
        Ok(info)
    }

    /// Stop every version paused for longer than [`PAUSE_LIMIT`] at `now`; returns how many.
    fn stop_expired_pauses(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let cutoff = millis(now - PAUSE_LIMIT);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids: Vec<(i64, String, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT id, journey_id, number FROM journey_version
                 WHERE state = 'paused' AND paused_at <= ?1",
            )?;
            let rows = stmt.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, journey_id, number) in &ids {
            tracing::warn!(%journey_id, number, "paused for {} days: stopped", PAUSE_LIMIT.num_days());
            stop_version(&tx, *id)?;
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// Admit the members of repeating segment journeys whose next round is due at `now`:
    /// the latest round due (rounds missed while the runtime was down are not made up), a
    /// round due while paused is skipped, members still in the journey do not enter again.
    /// Returns how many contacts entered.
    fn run_rounds(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rounds: Vec<(i64, u32, String)> = {
            let mut stmt = tx.prepare(
                "SELECT r.version_id, r.number, v.state FROM round r
                 JOIN journey_version v ON v.id = r.version_id WHERE r.due_at <= ?1",
            )?;
            let rows = stmt.query_map([millis(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut entered = 0;
        for (version_id, mut number, state) in rounds {
            let graph = self.graph(&tx, version_id)?;
            let journey = graph.journey();
            let Some(StartCondition::Segment(segment)) = journey.start_condition() else {
                tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?;
                continue;
            };
            let zone = journey.time_zone.parse().unwrap_or(chrono_tz::Tz::UTC);
            // The latest round already due; the one after it is the next.
            while round_at(segment, zone, number + 1).is_some_and(|at| at <= now) {
                number += 1;
            }
            if state == "live" {
                let entry_key = format!("segment:{number}");
                for contact in members_of(&tx, &segment.segment_ids)? {
                    if enroll_round_member(&tx, &journey.id, version_id, &contact, &entry_key, now)?
                    {
                        entered += 1;
                    }
                }
            }
            match round_at(segment, zone, number + 1) {
                Some(next) => tx.execute(
                    "UPDATE round SET number = ?2, due_at = ?3 WHERE version_id = ?1",
                    params![version_id, number + 1, millis(next)],
                )?,
                None => tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?,
            };
        }
        tx.commit()?;
        Ok(entered)
    }

    /// Start one contact on the journey's live version.
    pub fn start_run(
        &self,
        journey_id: &str,
        contact_id: &str,
        entry_key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version_id: i64 = tx
            .query_row(
                "SELECT id FROM journey_version WHERE journey_id = ?1 AND state = 'live'
                 ORDER BY number DESC LIMIT 1",
                [journey_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("journey {journey_id} has no live version")))?;
        contact_exists(&tx, contact_id)?;
        let started = enroll(
            &tx,
            version_id,
            contact_id,
            entry_key,
            &BTreeMap::new(),
            now,
        )?;
        tx.commit()?;
        Ok(started)
    }

    /// A trigger: enroll into every listening live version, deliver to waiting runs.
    pub fn post_trigger(
        &self,
        event: &TriggerEvent,
        now: DateTime<Utc>,
    ) -> Result<TriggerAccepted> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO inbound (event_id, corr, payload, received_at) VALUES (?1, ?2, ?3, ?4)",
            params![format!("trigger:{}", event.event_id), format!("trigger:{}", event.trigger), json(event)?, millis(now)],
        )?;
        if inserted == 0 {
            return Ok(TriggerAccepted {
                duplicate: true,
                enrolled: 0,
                delivered: 0,
            });
        }
        contact_exists(&tx, &event.contact_id)?;
        let live = live_version_ids(&tx)?;
        let mut enrolled = 0;
        for version_id in live {
            let graph = self.graph(&tx, version_id)?;
            let Some(StartCondition::Trigger(trigger)) = graph.journey().start_condition() else {
                continue;
            };
            let open = trigger.start_at.is_none_or(|at| now >= at)
                && trigger.end_at.is_none_or(|at| now < at);
            let source = |v: &Variable| match v {
                Variable::Attribute { name } => event.attributes.get(name).cloned(),
                _ => None,
            };
            let zone = graph
                .journey()
                .time_zone
                .parse()
                .unwrap_or(chrono_tz::Tz::UTC);
            if open
                && trigger.trigger_name.as_deref() == Some(event.trigger.as_str())
                && condition::conditions_hold(MatchMode::All, &trigger.conditions, &source, zone)
                && enroll(
                    &tx,
                    version_id,
                    &event.contact_id,
                    &event.event_id,
                    &event.attributes,
                    now,
                )?
            {
                enrolled += 1;
            }
        }
        let corr = format!("trigger:{}", event.trigger);
        let input = json(&Input::Event {
            corr: corr.clone(),
            payload: EventPayload::Trigger {
                name: event.trigger.clone(),
                attributes: event.attributes.clone(),
            },
        })?;
        let delivered = tx.execute(
            "INSERT INTO work (due_at, run_id, token, input)
             SELECT ?1, w.run_id, NULL, ?2 FROM wait w JOIN contact_run r ON r.id = w.run_id
             WHERE r.contact_id = ?3 AND w.corr = ?4 AND r.status = 'active'",
            params![millis(now), input, event.contact_id, corr],
        )?;
        tx.commit()?;
        Ok(TriggerAccepted {
            duplicate: false,
            enrolled,
            delivered,
        })
    }

    /// A call's final result: stored once, routed to its run as an event due now.
    pub fn ingest_outcomes(
        &self,
        events: &[InteractionEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<OutcomeAccepted>>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut answers = Vec::with_capacity(events.len());
        for event in events {
            let run: Option<i64> = tx
                .prepare_cached("SELECT run_id FROM outbox WHERE idem_key = ?1")?
                .query_row([&event.idem_key], |r| r.get(0))
                .optional()?;
            let Some(run_id) = run else {
                answers.push(Err(Error::NotFound(format!(
                    "no call was requested under idempotency key {}",
                    event.idem_key
                ))));
                continue;
            };
            let inserted = tx.prepare_cached(
                "INSERT OR IGNORE INTO inbound (event_id, corr, payload, received_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![event.event_id, event.idem_key, json(event)?, millis(now)])?;
            if inserted == 0 {
                answers.push(Ok(OutcomeAccepted { duplicate: true }));
                continue;
            }
            let input = Input::Event {
                corr: event.idem_key.clone(),
                payload: EventPayload::CallResult {
                    result: event.result.clone(),
                    disposition_codes: event.disposition_codes.clone(),
                    variables: event.variables.clone(),
                },
            };
            insert_work(&tx, now, run_id, &input)?;
            answers.push(Ok(OutcomeAccepted { duplicate: false }));
        }
        tx.commit()?;
        Ok(answers)
    }

    /// Claim, execute, commit: run up to `limit` due work rows in one transaction.
    pub fn run_due(&self, catalog: &Catalog, now: DateTime<Utc>, limit: usize) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rows: Vec<(i64, i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, run_id, input FROM work WHERE due_at <= ?1 ORDER BY due_at, id LIMIT ?2",
            )?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = stmt.query_map(params![millis(now), limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let paused: Vec<i64> = {
            let mut stmt =
                tx.prepare_cached("SELECT id FROM journey_version WHERE state = 'paused'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut counts = CountBatch::new();
        for (work_id, run_id, input) in &rows {
            tx.prepare_cached("DELETE FROM work WHERE id = ?1")?
                .execute([work_id])?;
            let run: Option<(i64, String, String, String)> = tx
                .prepare_cached(
                    "SELECT version_id, contact_id, state, status FROM contact_run WHERE id = ?1",
                )?
                .query_row([run_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((version_id, contact_id, state, status)) = run else {
                continue;
            };
            if status != "active" {
                continue;
            }
            let loaded = (|| -> Result<_> {
                Ok((
                    self.graph(&tx, version_id)?,
                    load_contact(&tx, &contact_id)?,
                    parse::<RunState>(&state, "run state")?,
                    parse::<Input>(input, "work input")?,
                ))
            })();
            let (graph, contact, state, input) = match loaded {
                Ok(loaded) => loaded,
                Err(Error::Corrupt(message)) => {
                    // One unreadable run must not stall every other: park it as failed.
                    tracing::error!(run = run_id, %message, "run state unreadable; run marked failed");
                    tx.prepare_cached("UPDATE contact_run SET status = 'failed' WHERE id = ?1")?
                        .execute([run_id])?;
                    tx.prepare_cached("DELETE FROM work WHERE run_id = ?1")?
                        .execute([run_id])?;
                    continue;
                }
                Err(other) => return Err(other),
            };
            let consents = SqlConsents { conn: &tx };
            let ctx = StepContext {
                catalog,
                contact: &contact,
                consents: &consents,
                paused: paused.contains(&version_id),
            };
            let old_token = phase_token(&state.phase).map(str::to_owned);
            let was_waiting = matches!(state.phase, Phase::Waiting { .. });
            let consumed = input_token(&input).map(str::to_owned);
            let (next, effects) = step::step(state, &graph, input, now, &ctx);
            if let Some(old) = old_token
                && phase_token(&next.phase) != Some(old.as_str())
                && consumed.as_deref() != Some(old.as_str())
            {
                // A timer the transition made moot (the wait's limit after its event).
                tx.prepare_cached("DELETE FROM work WHERE run_id = ?1 AND token = ?2")?
                    .execute(params![run_id, old])?;
            }
            if was_waiting && !matches!(next.phase, Phase::Waiting { .. }) {
                tx.prepare_cached("DELETE FROM wait WHERE run_id = ?1")?
                    .execute([run_id])?;
            }
            apply_effects(&tx, version_id, *run_id, &effects, now, &mut counts)?;
            let status = if next.is_done() { "done" } else { "active" };
            tx.prepare_cached(
                "UPDATE contact_run SET state = ?1, status = ?2, tile = ?3, phase = ?4 WHERE id = ?5",
            )?
            .execute(params![
                json(&next)?,
                status,
                next.tile,
                phase_name(&next.phase),
                run_id
            ])?;
        }
        flush_counts(&tx, counts)?;
        if !rows.is_empty() {
            // A version superseded by a newer one is completed once its last run ends.
            tx.prepare_cached(
                "UPDATE journey_version SET state = 'completed' WHERE state = 'completing'
                 AND NOT EXISTS (SELECT 1 FROM contact_run r
                                 WHERE r.version_id = journey_version.id AND r.status = 'active')",
            )?
            .execute([])?;
            // Only a round that did something records the clock: an idle runtime writes
            // nothing (a commit per worker round grew the WAL by ≈ 500 KB every 30 s).
            set_clock(&tx, now)?;
        }
        tx.commit()?;
        Ok(rows.len())
    }

    /// Mark up to `limit` pending call requests as being sent (the dial intent) and return
    /// them.
    pub fn claim_outbox(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<DeliveryRequest>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rows: Vec<(String, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT idem_key, request FROM outbox WHERE status = 'pending' AND retry_at <= ?1
                 ORDER BY retry_at, rowid LIMIT ?2",
            )?;
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows =
                stmt.query_map(params![millis(now), limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (idem_key, request) in rows {
            tx.prepare_cached(
                "UPDATE outbox SET status = 'sending', updated_at = ?2 WHERE idem_key = ?1",
            )?
            .execute(params![idem_key, millis(now)])?;
            out.push(DeliveryRequest {
                idem_key,
                call: parse(&request, "outbox request")?,
            });
        }
        tx.commit()?;
        Ok(out)
    }

    /// Record what became of sent requests.
    pub fn finish_outbox(
        &self,
        results: &[(String, SendResult)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (idem_key, result) in results {
            match result {
                SendResult::Acked { delivery_id } => {
                    tx.prepare_cached(
                        "UPDATE outbox SET status = 'acked', delivery_id = ?2, updated_at = ?3 WHERE idem_key = ?1",
                    )?
                    .execute(params![idem_key, delivery_id, millis(now)])?;
                }
                SendResult::Retry { at } => {
                    tx.prepare_cached(
                        "UPDATE outbox SET status = 'pending', retry_at = ?2, updated_at = ?3 WHERE idem_key = ?1",
                    )?
                    .execute(params![idem_key, millis(*at), millis(now)])?;
                }
                SendResult::Failed { reason } => {
                    tx.prepare_cached(
                        "UPDATE outbox SET status = 'failed', updated_at = ?2 WHERE idem_key = ?1",
                    )?
                    .execute(params![idem_key, millis(now)])?;
                    deliver_effect_result(
                        &tx,
                        idem_key,
                        DeliveryResult::Rejected {
                            reason: reason.clone(),
                        },
                        now,
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// After a crash: requests caught between "sending" and "acked" are sent again under
    /// the same key when the contact center deduplicates, else resolved as unknown.
    pub fn recover_outbox(&self, dedupes: bool, now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = if dedupes {
            tx.execute(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending'",
                [],
            )?
        } else {
            let keys: Vec<String> = {
                let mut stmt =
                    tx.prepare("SELECT idem_key FROM outbox WHERE status = 'sending'")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            for key in &keys {
                tx.execute(
                    "UPDATE outbox SET status = 'unknown' WHERE idem_key = ?1",
                    [key],
                )?;
                deliver_effect_result(&tx, key, DeliveryResult::Unknown, now)?;
            }
            keys.len()
        };
        tx.commit()?;
        Ok(n)
    }

    /// The earliest instant something is due (work, a pending request's retry, a pause's
    /// limit or a round).
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let conn = self.conn();
        let due: Option<i64> = conn.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(due_at) AS d FROM work
                                 UNION ALL SELECT MIN(retry_at) FROM outbox WHERE status = 'pending')",
            [],
            |r| r.get(0),
        )?;
        let lifecycle = self.lifecycle_due.load(AtomicOrdering::Relaxed);
        Ok(match due {
            Some(due) => Some(due.min(lifecycle)),
            None => (lifecycle != i64::MAX).then_some(lifecycle),
        }
        .map(from_millis))
    }

    /// The clock instant last committed (for a virtual clock to resume from).
    pub fn last_clock(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .meta("clock")?
            .and_then(|v| v.parse::<i64>().ok())
            .map(from_millis))
    }

    /// Persist the clock instant.
    pub fn save_clock(&self, now: DateTime<Utc>) -> Result<()> {
        set_clock(&self.conn(), now)
    }

    /// Per-tile counts of a version.
    pub fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        let conn = self.conn();
        let (version_id, _) = version_id(&conn, journey_id, number)?;
        let version = conn.query_row(
            "SELECT journey_id, number, content_hash, state, published_at FROM journey_version WHERE id = ?1",
            [version_id],
            version_row,
        )?;
        let mut tiles: BTreeMap<String, TileCounts> = BTreeMap::new();
        let mut stmt =
            conn.prepare("SELECT tile, outcome, n FROM tile_count WHERE version_id = ?1")?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (tile, outcome, n) = row?;
            let t = tiles.entry(tile).or_default();
            match outcome.split_once(':') {
                Some(("blocked", code)) => *t.blocked.entry(code.into()).or_default() += n,
                Some(("attempted", r)) => *t.attempted.entry(r.into()).or_default() += n,
                Some(("notAttempted", r)) => *t.not_attempted.entry(r.into()).or_default() += n,
                Some(("branch", b)) => *t.branches.entry(b.into()).or_default() += n,
                _ => match outcome.as_str() {
                    "entered" => t.entered += n,
                    "held" => t.held_total += n,
                    "sent" => t.sent += n,
                    "completed" => t.completed += n,
                    _ => {}
                },
            }
        }
        let mut stmt = conn.prepare(
            "SELECT tile, phase, COUNT(*) FROM contact_run
             WHERE version_id = ?1 AND status = 'active' AND tile IS NOT NULL GROUP BY tile, phase",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (tile, phase, n) = row?;
            let t = tiles.entry(tile).or_default();
            match phase.as_str() {
                "held" => t.held += n,
                "waiting" | "sleeping" | "paused" => t.waiting += n,
                _ => {}
            }
        }
        let mut runs = BTreeMap::new();
        let mut stmt = conn.prepare(
            "SELECT status, COUNT(*) FROM contact_run WHERE version_id = ?1 GROUP BY status",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (status, n) = row?;
            runs.insert(status, n);
        }
        Ok(VersionCounts {
            version,
            runs,
            tiles,
        })
    }

    /// Overall state.
    pub fn status(&self, now: DateTime<Utc>) -> Result<Status> {
        let conn = self.conn();
        let group = |sql: &str| -> Result<BTreeMap<String, i64>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Status {
            now,
            runs: group("SELECT status, COUNT(*) FROM contact_run GROUP BY status")?,
            outbox: group("SELECT status, COUNT(*) FROM outbox GROUP BY status")?,
            work: conn.query_row("SELECT COUNT(*) FROM work", [], |r| r.get(0))?,
        })
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

fn set_clock(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('clock', ?1)
         ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
    )?
    .execute([millis(now).to_string()])?;
    Ok(())
}

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionInfo> {
    Ok(VersionInfo {
        journey_id: r.get(0)?,
        number: r.get(1)?,
        content_hash: r.get(2)?,
        state: r.get(3)?,
        published_at: from_millis(r.get(4)?),
    })
}

/// Stop a version: final; its active runs are removed with their queued work, waits and call
/// requests not yet sent.
fn stop_version(tx: &Transaction<'_>, version_id: i64) -> Result<()> {
    tx.execute("DELETE FROM round WHERE version_id = ?1", [version_id])?;
    tx.execute(
        "UPDATE journey_version SET state = 'stopped', paused_at = NULL WHERE id = ?1",
        [version_id],
    )?;
    let runs = "SELECT id FROM contact_run WHERE version_id = ?1 AND status = 'active'";
    tx.execute(
        &format!("DELETE FROM work WHERE run_id IN ({runs})"),
        [version_id],
    )?;
    tx.execute(
        &format!("DELETE FROM wait WHERE run_id IN ({runs})"),
        [version_id],
    )?;
    tx.execute(
        &format!(
            "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND run_id IN ({runs})"
        ),
        [version_id],
    )?;
    tx.execute(
        "UPDATE contact_run SET status = 'stopped' WHERE version_id = ?1 AND status = 'active'",
        [version_id],
    )?;
    Ok(())
}

/// Enroll a segment member in a later round unless they are still in this journey (any
/// version) from an earlier entry.
fn enroll_round_member(
    tx: &Transaction<'_>,
    journey_id: &str,
    version_id: i64,
    contact_id: &str,
    entry_key: &str,
    due: DateTime<Utc>,
) -> Result<bool> {
    let inside: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM contact_run
              WHERE version_id IN (SELECT id FROM journey_version WHERE journey_id = ?1)
                AND contact_id = ?2 AND status = 'active')",
        )?
        .query_row(params![journey_id, contact_id], |r| r.get(0))?;
    if inside {
        return Ok(false);
    }
    enroll(tx, version_id, contact_id, entry_key, &BTreeMap::new(), due)
}

/// The journey's newest version (row id and info), if it has any.
fn latest_version(conn: &Connection, journey_id: &str) -> Result<Option<(i64, VersionInfo)>> {
    Ok(conn
        .query_row(
            "SELECT journey_id, number, content_hash, state, published_at, id FROM journey_version
             WHERE journey_id = ?1 ORDER BY number DESC LIMIT 1",
            [journey_id],
            |r| Ok((r.get(5)?, version_row(r)?)),
        )
        .optional()?)
}

/// Enroll a segment member in `version_id` unless they entered this journey before, in any
/// version: a contact enters a segment-based journey once ([`journeys::lifecycle`]).
fn enroll_segment_member(
    tx: &Transaction<'_>,
    journey_id: &str,
    version_id: i64,
    contact_id: &str,
    due: DateTime<Utc>,
) -> Result<bool> {
    let entered_before: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM contact_run
              WHERE version_id IN (SELECT id FROM journey_version WHERE journey_id = ?1 AND id <> ?2)
                AND contact_id = ?3 AND entry_key = 'segment')",
        )?
        .query_row(params![journey_id, version_id, contact_id], |r| r.get(0))?;
    if entered_before {
        return Ok(false);
    }
    enroll(tx, version_id, contact_id, "segment", &BTreeMap::new(), due)
}

fn version_id(conn: &Connection, journey_id: &str, number: i64) -> Result<(i64, String)> {
    conn.query_row(
        "SELECT id, state FROM journey_version WHERE journey_id = ?1 AND number = ?2",
        params![journey_id, number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("journey {journey_id} has no version {number}")))
}

fn contact_exists(conn: &Connection, contact_id: &str) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM contact WHERE id = ?1")?
        .query_row([contact_id], |r| r.get(0))
        .optional()?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotFound(format!(
            "contact {contact_id} is not known; import it first"
        ))),
    }
}

fn load_contact(conn: &Connection, contact_id: &str) -> Result<Contact> {
    let text: Option<String> = conn
        .prepare_cached("SELECT data FROM contact WHERE id = ?1")?
        .query_row([contact_id], |r| r.get(0))
        .optional()?;
    match text {
        Some(text) => parse(&text, "contact"),
        // A contact removed after entering: no phone, no attributes; calls block.
        None => Ok(Contact {
            id: contact_id.to_owned(),
            ..Contact::default()
        }),
    }
}

/// The members of these segments, each once, in id order.
fn members_of(conn: &Connection, segment_ids: &[String]) -> Result<Vec<String>> {
    let mut members = Vec::new();
    for id in segment_ids {
        members.extend(segment_members(conn, id)?);
    }
    members.sort();
    members.dedup();
    Ok(members)
}

fn segment_members(conn: &Connection, segment_id: &str) -> Result<Vec<String>> {
    let text: String = conn
        .query_row(
            "SELECT definition FROM segment WHERE id = ?1",
            [segment_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::BadInput(format!("segment {segment_id} does not exist")))?;
    match parse::<SegmentDefinition>(&text, "segment")? {
        SegmentDefinition::Static { contact_ids } => Ok(contact_ids),
        SegmentDefinition::Filter {
            match_mode,
            conditions,
        } => {
            let mut stmt = conn.prepare("SELECT data FROM contact ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for row in rows {
                let contact: Contact = parse(&row?, "contact")?;
                if in_filter(&contact, match_mode, &conditions) {
                    out.push(contact.id);
                }
            }
            Ok(out)
        }
    }
}

/// Idempotent enrollment: (version, contact, entry key) starts at most one run.
fn enroll(
    tx: &Transaction<'_>,
    version_id: i64,
    contact_id: &str,
    entry_key: &str,
    attributes: &BTreeMap<String, Value>,
    due: DateTime<Utc>,
) -> Result<bool> {
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO contact_run (version_id, contact_id, entry_key, state, status, phase)
             VALUES (?1, ?2, ?3, '', 'active', 'new')",
        )?
        .execute(params![version_id, contact_id, entry_key])?;
    if inserted == 0 {
        return Ok(false);
    }
    let run_id = tx.last_insert_rowid();
    tx.prepare_cached("UPDATE contact_run SET state = ?1 WHERE id = ?2")?
        .execute(params![json(&RunState::new(run_id.to_string()))?, run_id])?;
    insert_work(
        tx,
        due,
        run_id,
        &Input::Start {
            trigger_attributes: attributes.clone(),
        },
    )?;
    Ok(true)
}

fn insert_work(conn: &Connection, due: DateTime<Utc>, run_id: i64, input: &Input) -> Result<()> {
    conn.prepare_cached("INSERT INTO work (due_at, run_id, token, input) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            millis(due),
            run_id,
            input_token(input),
            json(input)?
        ])?;
    Ok(())
}

fn deliver_effect_result(
    conn: &Connection,
    idem_key: &str,
    result: DeliveryResult,
    now: DateTime<Utc>,
) -> Result<()> {
    let run_id: Option<i64> = conn
        .query_row(
            "SELECT run_id FROM outbox WHERE idem_key = ?1",
            [idem_key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(run_id) = run_id {
        let input = Input::EffectResult {
            idem_key: idem_key.to_owned(),
            result,
        };
        insert_work(conn, now, run_id, &input)?;
    }
    Ok(())
}

fn upsert_consent(conn: &Connection, record: &ConsentRecord) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO consent (contact_point, channel, scope, status, updated_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(contact_point, channel, scope) DO UPDATE SET
            status = excluded.status, updated_at = excluded.updated_at, source = excluded.source
         WHERE excluded.updated_at >= consent.updated_at",
    )?
    .execute(params![
        record.contact_point,
        enum_text(&record.channel),
        scope_key(&record.scope),
        enum_text(&record.status),
        millis(record.updated_at),
        record.source
    ])?;
    Ok(())
}

/// Count increments gathered over a batch, written once per key at commit.
type CountBatch = HashMap<(i64, String, String), i64>;

fn flush_counts(tx: &Transaction<'_>, counts: CountBatch) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO tile_count (version_id, tile, outcome, n) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(version_id, tile, outcome) DO UPDATE SET n = n + excluded.n",
    )?;
    for ((version_id, tile, outcome), n) in counts {
        stmt.execute(params![version_id, tile, outcome, n])?;
    }
    Ok(())
}

fn apply_effects(
    tx: &Transaction<'_>,
    version_id: i64,
    run_id: i64,
    effects: &[Effect],
    now: DateTime<Utc>,
    counts: &mut CountBatch,
) -> Result<()> {
    for effect in effects {
        match effect {
            Effect::ScheduleWake { at, token } => insert_work(
                tx,
                *at,
                run_id,
                &Input::Wake {
                    token: token.clone(),
                },
            )?,
            Effect::Dial { idem_key, request } => {
                let attempt = idem_key
                    .rsplit(':')
                    .next()
                    .and_then(|a| a.parse::<i64>().ok())
                    .unwrap_or(1);
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO outbox (idem_key, run_id, tile, attempt, request, status, retry_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6)",
                )?
                .execute(params![idem_key, run_id, request.tile_id, attempt, json(request)?, millis(now)])?;
            }
            Effect::AwaitEvent { corr, deadline } => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO wait (run_id, corr, deadline) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![run_id, corr, millis(*deadline)])?;
            }
            Effect::Count { tile, outcome } => {
                *counts
                    .entry((version_id, tile.clone(), count_key(outcome)))
                    .or_default() += 1;
            }
            Effect::OptOut {
                contact_point,
                purpose_id,
            } => upsert_consent(
                tx,
                &ConsentRecord {
                    contact_point: contact_point.clone(),
                    channel: Channel::Voice,
                    scope: ConsentScope::Purpose {
                        purpose_id: purpose_id.clone(),
                    },
                    status: ConsentStatus::OptedOut,
                    updated_at: now,
                    source: Some("contactCenter".into()),
                },
            )?,
            Effect::Complete { .. } => {
                tx.prepare_cached("DELETE FROM work WHERE run_id = ?1")?
                    .execute([run_id])?;
                tx.prepare_cached("DELETE FROM wait WHERE run_id = ?1")?
                    .execute([run_id])?;
            }
        }
    }
    Ok(())
}

/// Grace before a transiently failed request is retried.
pub(crate) fn retry_delay() -> Duration {
    Duration::seconds(30)
}

/// The ids of every live journey version.
fn live_version_ids(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM journey_version WHERE state = 'live'")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}
