//! The versions of each journey as last read from a runtime (the versions panel's cache).

use rusqlite::OptionalExtension;

use super::{Context, Db, Result};

/// Versions as last seen: their JSON and when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedVersions {
    /// The runtime's version summaries, as JSON text.
    pub versions: String,
    /// When they were read.
    pub seen_at: String,
}

impl Db {
    /// Keep `cached` as the versions of `journey_id` on `target`.
    pub fn save_versions(
        &self,
        journey_id: &str,
        target: &str,
        cached: &CachedVersions,
    ) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO version_cache (journey_id, target, versions, seen_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (journey_id, target) DO UPDATE SET versions = excluded.versions,
                    seen_at = excluded.seen_at",
                [journey_id, target, &cached.versions, &cached.seen_at],
            )
            .ctx("keeping the versions last seen")?;
        Ok(())
    }

    /// The versions of `journey_id` last seen on `target`, if any.
    pub fn cached_versions(
        &self,
        journey_id: &str,
        target: &str,
    ) -> Result<Option<CachedVersions>> {
        self.conn()
            .query_row(
                "SELECT versions, seen_at FROM version_cache WHERE journey_id = ?1 AND target = ?2",
                [journey_id, target],
                |r| {
                    Ok(CachedVersions {
                        versions: r.get(0)?,
                        seen_at: r.get(1)?,
                    })
                },
            )
            .optional()
            .ctx("reading the versions last seen")
    }
}
