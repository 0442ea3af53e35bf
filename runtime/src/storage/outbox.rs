//! The outbox of call requests: claim, finish, recover after a crash.

use chrono::{DateTime, Duration, Utc};
use journeys::step::DeliveryResult;
use rusqlite::params;

use super::*;
use crate::adapters::DeliveryRequest;
use crate::error::Result;

impl Store {
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
}

/// Grace before a transiently failed request is retried.
pub(crate) fn retry_delay() -> Duration {
    Duration::seconds(30)
}
