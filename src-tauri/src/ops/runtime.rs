//! The runtime the designer publishes to: the embedded one (in-process, through the
//! [`Executor`] trait) or a remote `journeys-runtime serve` (its HTTP API, with a bearer token).
//!
//! Every call here blocks (SQLite or HTTP); commands run them on a blocking worker thread.

mod contacts;
mod remote;
mod versions;

pub use remote::RemoteRuntime;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::catalog::Catalog;
use journeys::document::Journey;
use journeys::import::{self, Format, ImportError};
use runtime::executor::Executor;
use runtime::http::ImportReport;
use runtime::storage::{Published, SegmentDefinition, VersionAction, VersionCounts, VersionInfo};

use super::{Db, OpsError, Result};

const URL_KEY: &str = "runtime.url";
const TOKEN_KEY: &str = "runtime.token";

/// Where journeys are published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RuntimeTarget {
    /// The runtime inside the app, on its own SQLite file.
    Embedded,
    /// A shared `journeys-runtime serve`.
    Remote {
        /// Base URL, e.g. `http://10.0.0.5:8080`.
        url: String,
        /// Its admin bearer token (publishing needs the admin scope).
        token: String,
    },
}

impl RuntimeTarget {
    /// `embedded` or the URL: recorded with each published version.
    pub fn label(&self) -> String {
        match self {
            RuntimeTarget::Embedded => "embedded".into(),
            RuntimeTarget::Remote { url, .. } => url.clone(),
        }
    }
}

/// The configured target (embedded unless Settings chose a remote runtime).
pub fn runtime_target(db: &Db) -> Result<RuntimeTarget> {
    Ok(match (db.setting(URL_KEY)?, db.setting(TOKEN_KEY)?) {
        (Some(url), Some(token)) if !url.is_empty() => RuntimeTarget::Remote { url, token },
        _ => RuntimeTarget::Embedded,
    })
}

/// Choose the target. A remote one needs an `http://` URL and a token; it is
/// not contacted here (it may be offline while the marketer designs).
pub fn set_runtime_target(db: &Db, target: RuntimeTarget) -> Result<RuntimeTarget> {
    let target = match target {
        RuntimeTarget::Embedded => RuntimeTarget::Embedded,
        RuntimeTarget::Remote { url, token } => {
            let url = url.trim().trim_end_matches('/').to_owned();
            let token = token.trim().to_owned();
            // The client is built without TLS (as the runtime serves plain HTTP); say so
            // here rather than fail at the first publish.
            if !url.starts_with("http://") {
                return Err(OpsError::InvalidInput(
                    "The runtime URL starts with http://, e.g. http://10.0.0.5:8080 (https is \
                     not supported yet)."
                        .into(),
                ));
            }
            if token.is_empty() {
                return Err(OpsError::InvalidInput(
                    "Paste the runtime's admin token (printed once when it first started).".into(),
                ));
            }
            RuntimeTarget::Remote { url, token }
        }
    };
    match &target {
        RuntimeTarget::Embedded => {
            db.set_setting(URL_KEY, "")?;
            db.set_setting(TOKEN_KEY, "")?;
        }
        RuntimeTarget::Remote { url, token } => {
            db.set_setting(URL_KEY, url)?;
            db.set_setting(TOKEN_KEY, token)?;
        }
    }
    Ok(target)
}

/// A connection to the target runtime.
pub enum RuntimeClient {
    /// In-process.
    Embedded(Arc<dyn Executor>),
    /// Over HTTP.
    Remote(RemoteRuntime),
}

/// Connect to the configured target; `embedded` is the app's own runtime, or why it failed
/// to open.
pub fn connect(
    db: &Db,
    embedded: std::result::Result<&Arc<dyn Executor>, &str>,
) -> Result<RuntimeClient> {
    match runtime_target(db)? {
        RuntimeTarget::Embedded => embedded
            .map(|e| RuntimeClient::Embedded(e.clone()))
            .map_err(|reason| {
                OpsError::RuntimeUnavailable(format!(
                    "the built-in runtime is not running: {reason}"
                ))
            }),
        RuntimeTarget::Remote { url, token } => {
            Ok(RuntimeClient::Remote(RemoteRuntime::new(url, token)))
        }
    }
}

fn from_runtime(error: runtime::Error) -> OpsError {
    match error {
        runtime::Error::Invalid(diagnostics) => OpsError::Invalid(diagnostics),
        runtime::Error::BadInput(m) | runtime::Error::NotFound(m) | runtime::Error::Conflict(m) => {
            OpsError::InvalidInput(m)
        }
        e @ runtime::Error::CatalogInUse(_) => OpsError::InvalidInput(e.to_string()),
        e => OpsError::RuntimeUnavailable(e.to_string()),
    }
}

impl RuntimeClient {
    /// `embedded` or the remote URL.
    pub fn label(&self) -> String {
        match self {
            RuntimeClient::Embedded(_) => "embedded".into(),
            RuntimeClient::Remote(r) => r.url.clone(),
        }
    }

    /// Publish, as the runtime decides: the current version again, renamed in place, or new.
    /// A new version records `computer` (this computer's host name) as where it came from.
    pub fn publish(&self, journey: &Journey, computer: &str) -> Result<Published> {
        match self {
            RuntimeClient::Embedded(e) => e
                .publish_from(journey, Some(computer))
                .map_err(from_runtime),
            RuntimeClient::Remote(r) => {
                let body =
                    serde_json::to_string(journey).map_err(crate::storage::StorageError::from)?;
                let path = format!("/v1/journeys/{}/versions", encode(&journey.id));
                let (_, text) = r.send_with(
                    "POST",
                    &path,
                    "application/json",
                    body.into_bytes(),
                    Some((versions::COMPUTER_HEADER, computer)),
                )?;
                r.parse(&text)
            }
        }
    }

    /// Counts of one version.
    pub fn counts(&self, journey_id: &str, number: i64) -> Result<VersionCounts> {
        match self {
            RuntimeClient::Embedded(e) => e.counts(journey_id, number).map_err(from_runtime),
            RuntimeClient::Remote(r) => r.call(
                "GET",
                &format!(
                    "/v1/journeys/{}/versions/{number}/counts",
                    encode(journey_id)
                ),
                "application/json",
                Vec::new(),
            ),
        }
    }

    /// Pause, resume or stop one version.
    pub fn set_version_state(
        &self,
        journey_id: &str,
        number: i64,
        action: VersionAction,
    ) -> Result<VersionInfo> {
        match self {
            RuntimeClient::Embedded(e) => e
                .set_version_state(journey_id, number, action)
                .map_err(from_runtime),
            RuntimeClient::Remote(r) => r.call(
                "POST",
                &format!(
                    "/v1/journeys/{}/versions/{number}/{}",
                    encode(journey_id),
                    action.as_str()
                ),
                "application/json",
                Vec::new(),
            ),
        }
    }

    /// The runtime's catalog.
    pub fn catalog(&self) -> Result<Catalog> {
        match self {
            RuntimeClient::Embedded(e) => Ok((*e.catalog()).clone()),
            RuntimeClient::Remote(r) => {
                r.call("GET", "/v1/catalog", "application/json", Vec::new())
            }
        }
    }

    /// The runtime's segments, by id (`GET /v1/segments`).
    pub fn segments(&self) -> Result<Vec<journeys::catalog::SegmentRef>> {
        match self {
            RuntimeClient::Embedded(e) => e.segments().map_err(from_runtime),
            RuntimeClient::Remote(r) => {
                r.call("GET", "/v1/segments", "application/json", Vec::new())
            }
        }
    }

    /// The runtime's catalog with its segments: what a journey published there may name.
    /// A runtime without the segments route (an older one) leaves them unknown, so they
    /// are not checked rather than all refused.
    pub fn catalog_with_segments(&self) -> Result<Catalog> {
        let mut catalog = self.catalog()?;
        catalog.segments = match self.segments() {
            Ok(segments) => Some(segments),
            Err(OpsError::RuntimeUnavailable(_)) if matches!(self, RuntimeClient::Remote(_)) => {
                None
            }
            Err(e) => return Err(e),
        };
        Ok(catalog)
    }

    /// Import contacts (JSON array or CSV), first listing them in `segment` when given so
    /// live journeys admitting joiners enroll them. Returns how many, and what of them the
    /// runtime cannot use (bad numbers, unknown zones), row by row.
    pub fn import_contacts(
        &self,
        body: &[u8],
        format: Format,
        segment: Option<&str>,
    ) -> Result<ImportReport> {
        let checked =
            import::contacts_checked(body, format).map_err(|e| bad_file("contacts", &e))?;
        if let Some(segment) = segment {
            let definition = SegmentDefinition::Static {
                contact_ids: checked.items.iter().map(|c| c.id.clone()).collect(),
            };
            match self {
                RuntimeClient::Embedded(e) => {
                    e.put_segment(segment, &definition).map_err(from_runtime)?
                }
                RuntimeClient::Remote(r) => {
                    let body = serde_json::to_vec(&definition)
                        .map_err(crate::storage::StorageError::from)?;
                    r.call_no_content(
                        "PUT",
                        &format!("/v1/segments/{}", encode(segment)),
                        "application/json",
                        body,
                    )?;
                }
            }
        }
        match self {
            RuntimeClient::Embedded(e) => Ok(ImportReport {
                imported: e.import_contacts(&checked.items).map_err(from_runtime)?,
                warnings: checked.warnings,
            }),
            RuntimeClient::Remote(r) => {
                r.call("POST", "/v1/contacts", content_type(format), body.to_vec())
            }
        }
    }

    /// Import consent records (JSON array or CSV). Returns how many, and the records for
    /// contact points no contact has.
    pub fn import_consents(&self, body: &[u8], format: Format) -> Result<ImportReport> {
        match self {
            RuntimeClient::Embedded(e) => {
                let known = e.contact_points().map_err(from_runtime)?;
                let checked = import::consents_checked(body, format, &known)
                    .map_err(|e| bad_file("consent", &e))?;
                Ok(ImportReport {
                    imported: e.import_consents(&checked.items).map_err(from_runtime)?,
                    warnings: checked.warnings,
                })
            }
            RuntimeClient::Remote(r) => {
                r.call("POST", "/v1/consents", content_type(format), body.to_vec())
            }
        }
    }
}

/// A file the marketer can fix: what it is and where it is wrong.
fn bad_file(what: &str, error: &ImportError) -> OpsError {
    OpsError::InvalidInput(format!("The {what} file cannot be read: {error}"))
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Csv => "text/csv",
        Format::Json => "application/json",
    }
}

/// Percent-encode a path segment.
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Per-tile counts of a live journey, for the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LiveCounts {
    /// The version counted.
    pub number: i64,
    /// Its state (`live`, `paused`, `completing`, `completed`, `stopped`).
    pub state: String,
    /// Runs by status (`active`, `done`, `stopped`).
    pub runs: BTreeMap<String, i64>,
    /// Per tile id.
    pub tiles: BTreeMap<String, TileCounts>,
}

/// What happened on one tile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TileCounts {
    /// Contacts that entered.
    pub entered: i64,
    /// On the tile now, waiting.
    pub waiting: i64,
    /// On the tile now, held by quiet time.
    pub held: i64,
    /// Call requests sent.
    pub sent: i64,
    /// Blocks by code.
    pub blocked: BTreeMap<String, i64>,
    /// Attempted calls by result.
    pub attempted: BTreeMap<String, i64>,
    /// Not-attempted calls by result.
    pub not_attempted: BTreeMap<String, i64>,
    /// Contacts that left by each branch output (`other` included).
    pub branches: BTreeMap<String, i64>,
    /// Call results by disposition code.
    pub dispositions: BTreeMap<String, i64>,
    /// Runs that ended on this tile.
    pub completed: i64,
}

impl From<VersionCounts> for LiveCounts {
    fn from(counts: VersionCounts) -> Self {
        LiveCounts {
            number: counts.version.number,
            state: counts.version.state.to_string(),
            runs: counts.runs,
            tiles: counts
                .tiles
                .into_iter()
                .map(|(id, t)| {
                    (
                        id,
                        TileCounts {
                            entered: t.entered,
                            waiting: t.waiting,
                            held: t.held,
                            sent: t.sent,
                            blocked: t.blocked,
                            attempted: t.attempted,
                            not_attempted: t.not_attempted,
                            branches: t.branches,
                            dispositions: t.dispositions,
                            completed: t.completed,
                        },
                    )
                })
                .collect(),
        }
    }
}
