//! A journey's versions as the app's versions panel lists them: each with its state (a live
//! version whose start lies ahead is `scheduled`), the computer it was published from and its
//! contacts in flight and finished — one query per journey, however many versions it has.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use journeys::document::{Journey, StartCondition};

use super::{Published, Store, from_millis};
use crate::error::{Error, Result};

/// The longest computer name a publish may carry, in characters.
pub const MAX_COMPUTER_NAME: usize = 255;

/// One published version with its contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionSummary {
    /// 1, 2, 3… per journey.
    pub number: i64,
    /// SHA-256 of the journey's semantic JSON, hex.
    pub content_hash: String,
    /// `scheduled` (live, but its start lies ahead), `live`, `paused`, `completing` (a newer
    /// version is live), `completed` or `stopped`.
    pub state: String,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// The computer (host name) it was published from; none for versions published before
    /// the runtime kept it or by a client that did not say.
    pub published_from: Option<String>,
    /// For the live or paused version: when its journey starts admitting contacts, if set.
    pub starts_at: Option<DateTime<Utc>>,
    /// For the live or paused version: the journey's time zone (IANA).
    pub time_zone: Option<String>,
    /// Contacts on the version now (waiting, held or about to be called).
    pub in_flight: i64,
    /// Contacts that reached an end of the version.
    pub finished: i64,
    /// Contacts that left when the version was stopped.
    pub stopped: i64,
}

/// The content hash a version of `journey` has: SHA-256 of its semantic JSON (layout left
/// out), hex — what the app compares a draft with to say it has unpublished changes.
pub fn content_hash(journey: &Journey) -> Result<String> {
    let semantic = journey
        .semantic_json()
        .map_err(|e| Error::BadInput(e.to_string()))?;
    Ok(format!("{:x}", Sha256::digest(semantic.as_bytes())))
}

/// A computer name as a publish may carry it: trimmed, 1 to [`MAX_COMPUTER_NAME`]
/// characters, no control characters; `None` for an empty one.
pub fn check_computer(name: &str) -> Result<Option<String>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > MAX_COMPUTER_NAME || name.chars().any(char::is_control) {
        return Err(Error::BadInput(format!(
            "the computer name must be at most {MAX_COMPUTER_NAME} characters without control characters"
        )));
    }
    Ok(Some(name.to_owned()))
}

impl Store {
    /// Publish through `publish` (an executor's own publish), recording on a new version the
    /// computer it came from; a bad name is refused before anything is published.
    pub fn publish_from(
        &self,
        computer: Option<&str>,
        publish: impl FnOnce() -> Result<Published>,
    ) -> Result<Published> {
        let computer = computer.map(check_computer).transpose()?.flatten();
        let published = publish()?;
        if let (true, Some(computer)) = (published.created, computer) {
            self.record_publisher(
                &published.version.journey_id,
                published.version.number,
                &computer,
            )?;
        }
        Ok(published)
    }

    /// Record that version `number` of `journey_id` was published from `computer`.
    pub fn record_publisher(&self, journey_id: &str, number: i64, computer: &str) -> Result<()> {
        let Some(computer) = check_computer(computer)? else {
            return Ok(());
        };
        self.conn().execute(
            "UPDATE journey_version SET published_from = ?3 WHERE journey_id = ?1 AND number = ?2",
            params![journey_id, number, computer],
        )?;
        Ok(())
    }

    /// Every version of `journey_id`, oldest first, with its contacts; `now` decides whether
    /// the live version is still `scheduled`. Empty when the journey was never published.
    pub fn version_summaries(
        &self,
        journey_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<VersionSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT v.id, v.number, v.content_hash, v.state, v.published_at, v.published_from,
                    COALESCE(SUM(r.status = 'active'), 0),
                    COALESCE(SUM(r.status = 'done'), 0),
                    COALESCE(SUM(r.status = 'stopped'), 0)
             FROM journey_version v LEFT JOIN contact_run r ON r.version_id = v.id
             WHERE v.journey_id = ?1 GROUP BY v.id ORDER BY v.number",
        )?;
        let rows = stmt.query_map([journey_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                VersionSummary {
                    number: r.get(1)?,
                    content_hash: r.get(2)?,
                    state: r.get(3)?,
                    published_at: from_millis(r.get(4)?),
                    published_from: r.get(5)?,
                    starts_at: None,
                    time_zone: None,
                    in_flight: r.get(6)?,
                    finished: r.get(7)?,
                    stopped: r.get(8)?,
                },
            ))
        })?;
        let rows: Vec<(i64, VersionSummary)> = rows.collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut summary) in rows {
            // At most one version is live or paused: only its document is read.
            if summary.state == "live" || summary.state == "paused" {
                let graph = self.graph(&conn, id)?;
                let journey = graph.journey();
                summary.starts_at = match journey.start_condition() {
                    Some(StartCondition::Segment(s)) => s.start_at,
                    Some(StartCondition::Trigger(t)) => t.start_at,
                    None => None,
                };
                summary.time_zone = Some(journey.time_zone.clone());
                if summary.state == "live" && summary.starts_at.is_some_and(|at| at > now) {
                    summary.state = "scheduled".into();
                }
            }
            out.push(summary);
        }
        Ok(out)
    }
}
