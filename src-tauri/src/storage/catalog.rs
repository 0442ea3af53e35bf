//! The catalog cache: the last catalog read from its source, with when and where from.

use rusqlite::OptionalExtension;

use super::{Context, Db, Result};

/// The cached catalog as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedCatalog {
    /// Where it was read from.
    pub source: String,
    /// The catalog JSON.
    pub document: String,
    /// RFC 3339 time of the refresh.
    pub refreshed_at: String,
}

impl Db {
    /// The cached catalog, if any refresh ever succeeded.
    pub fn cached_catalog(&self) -> Result<Option<CachedCatalog>> {
        self.conn()
            .query_row(
                "SELECT source, document, refreshed_at FROM catalog_cache WHERE id = 1",
                [],
                |r| {
                    Ok(CachedCatalog {
                        source: r.get(0)?,
                        document: r.get(1)?,
                        refreshed_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .ctx("reading the catalog cache")
    }

    /// Replace the cache in one transaction: readers see the old catalog or the new one.
    pub fn replace_catalog(&self, cached: &CachedCatalog) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().ctx("starting the catalog refresh")?;
        tx.execute("DELETE FROM catalog_cache", [])
            .ctx("clearing the catalog cache")?;
        tx.execute(
            "INSERT INTO catalog_cache (id, source, document, refreshed_at) VALUES (1, ?1, ?2, ?3)",
            [&cached.source, &cached.document, &cached.refreshed_at],
        )
        .ctx("writing the catalog cache")?;
        tx.commit().ctx("committing the catalog refresh")
    }
}
