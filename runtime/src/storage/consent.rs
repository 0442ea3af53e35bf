//! Consent records: stored, and looked up by the compliance checks inside a step's transaction.

use journeys::compliance::ConsentLookup;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use journeys::document::Channel;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;

use super::*;
use crate::error::Result;

impl Store {
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
}

/// Consent lookups against the store, inside the current transaction.
pub(super) struct SqlConsents<'a> {
    pub(super) conn: &'a Connection,
}

pub(super) fn scope_key(scope: &ConsentScope) -> String {
    match scope {
        ConsentScope::Purpose { purpose_id } => format!("purpose:{purpose_id}"),
        ConsentScope::Topic { topic_id } => format!("topic:{topic_id}"),
    }
}

pub(super) fn enum_text<T: Serialize>(value: &T) -> String {
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

pub(super) fn upsert_consent(conn: &Connection, record: &ConsentRecord) -> Result<()> {
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
