//! The last test run of each draft.

use rusqlite::OptionalExtension;

use super::{Context, Db, Result};

/// A stored test run, as JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTestRun {
    /// The draft's semantic document the run used.
    pub document: String,
    /// The run's settings.
    pub spec: String,
    /// Its result.
    pub result: String,
    /// When it ran.
    pub created_at: String,
}

impl Db {
    /// Keep `run` as the draft's test run, replacing an earlier one.
    pub fn save_test_run(&self, journey_id: &str, run: &StoredTestRun) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO test_runs (journey_id, document, spec, result, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (journey_id) DO UPDATE SET document = excluded.document,
                    spec = excluded.spec, result = excluded.result,
                    created_at = excluded.created_at",
                [
                    journey_id,
                    &run.document,
                    &run.spec,
                    &run.result,
                    &run.created_at,
                ],
            )
            .ctx("saving a test run")?;
        Ok(())
    }

    /// The draft's test run, if one is kept.
    pub fn test_run(&self, journey_id: &str) -> Result<Option<StoredTestRun>> {
        self.conn()
            .query_row(
                "SELECT document, spec, result, created_at FROM test_runs WHERE journey_id = ?1",
                [journey_id],
                |r| {
                    Ok(StoredTestRun {
                        document: r.get(0)?,
                        spec: r.get(1)?,
                        result: r.get(2)?,
                        created_at: r.get(3)?,
                    })
                },
            )
            .optional()
            .ctx("reading a test run")
    }

    /// Forget the draft's test run.
    pub fn delete_test_run(&self, journey_id: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM test_runs WHERE journey_id = ?1", [journey_id])
            .ctx("deleting a test run")?;
        Ok(())
    }
}
