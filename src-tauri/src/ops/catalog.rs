//! The catalog: read from its source (the runtime's, or a file for offline use), cached in SQLite so
//! editing works offline.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::catalog::Catalog;
use journeys::catalog::references::{CatalogDiff, diff};
use journeys::validate::Freshness;

use super::journeys::timestamp;
use super::runtime::RuntimeClient;
use super::{Db, OpsError, Result};
use crate::storage::CachedCatalog;

const SOURCE_KEY: &str = "catalog.source";

/// The catalog source meaning "the runtime journeys are published to" (else a file path).
pub const RUNTIME_SOURCE: &str = "runtime";

/// The catalog the designer edits with, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CatalogState {
    /// The cached catalog (empty when no refresh ever succeeded).
    pub catalog: Catalog,
    /// The configured source.
    pub source: String,
    /// When the cache was last refreshed (RFC 3339), `None` when never.
    pub refreshed_at: Option<String>,
    /// Why the last attempt to fill an empty cache failed, if it did.
    pub problem: Option<String>,
    /// What changed since the previous refresh (`None` when nothing was compared: read from
    /// the cache, or its first fill).
    pub changes: Option<CatalogDiff>,
}

/// The configured catalog source, else `default_source`.
pub fn catalog_source(db: &Db, default_source: &Path) -> Result<String> {
    Ok(db
        .setting(SOURCE_KEY)?
        .unwrap_or_else(|| default_source.display().to_string()))
}

fn read_source(path: &str, runtime: Option<&RuntimeClient>) -> Result<(Catalog, String)> {
    if path == RUNTIME_SOURCE {
        let runtime = runtime.ok_or_else(|| {
            OpsError::RuntimeUnavailable("no runtime to read the catalog from".into())
        })?;
        let catalog = runtime.catalog_with_segments()?;
        let json = serde_json::to_string(&catalog).map_err(crate::storage::StorageError::from)?;
        return Ok((catalog, json));
    }
    let text = std::fs::read_to_string(path).map_err(|e| OpsError::CatalogUnreachable {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let catalog = Catalog::from_json(&text).map_err(|e| OpsError::CatalogInvalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    // Store the normalised form so defaults (e.g. the result mapping) are explicit.
    let json = serde_json::to_string(&catalog).map_err(crate::storage::StorageError::from)?;
    Ok((catalog, json))
}

fn state_from_cache(cached: CachedCatalog, source: String) -> Result<CatalogState> {
    let catalog = Catalog::from_json(&cached.document).map_err(|e| OpsError::CatalogInvalid {
        path: "the catalog cache".into(),
        reason: e.to_string(),
    })?;
    Ok(CatalogState {
        catalog,
        source,
        refreshed_at: Some(cached.refreshed_at),
        problem: None,
        changes: None,
    })
}

/// The cached catalog; an empty cache is filled from the source first. An unreachable source
/// with an empty cache gives an empty catalog and says why, so editing still works.
pub fn get_catalog(
    db: &Db,
    default_source: &Path,
    now: DateTime<Utc>,
    runtime: Option<&RuntimeClient>,
) -> Result<CatalogState> {
    let source = catalog_source(db, default_source)?;
    if let Some(cached) = db.cached_catalog()? {
        let stale = DateTime::parse_from_rfc3339(&cached.refreshed_at).map_or(true, |at| {
            now - at.to_utc() > chrono::Duration::minutes(FRESH_FOR_MINUTES)
        });
        if stale && source == RUNTIME_SOURCE && runtime.is_some() {
            // Connected: bring the lists up to date; offline, the cache serves as it is.
            if let Ok(state) = refresh_catalog(db, default_source, now, runtime) {
                return Ok(state);
            }
        }
        return state_from_cache(cached, source);
    }
    match refresh_catalog(db, default_source, now, runtime) {
        Ok(state) => Ok(state),
        Err(OpsError::Storage(e)) => Err(OpsError::Storage(e)),
        Err(problem) => Ok(CatalogState {
            catalog: Catalog::default(),
            source,
            refreshed_at: None,
            problem: Some(problem.to_string()),
            changes: None,
        }),
    }
}

/// Read the source (a file, or the runtime's catalog when the source is [`RUNTIME_SOURCE`])
/// and replace the cache atomically; on any failure the cache is unchanged.
pub fn refresh_catalog(
    db: &Db,
    default_source: &Path,
    now: DateTime<Utc>,
    runtime: Option<&RuntimeClient>,
) -> Result<CatalogState> {
    let source = catalog_source(db, default_source)?;
    let (catalog, document) = read_source(&source, runtime)?;
    let changes = match db.cached_catalog()? {
        Some(cached) => Catalog::from_json(&cached.document)
            .ok()
            .map(|previous| diff(&previous, &catalog)),
        None => None,
    };
    let refreshed_at = timestamp(now);
    db.replace_catalog(&CachedCatalog {
        source: source.clone(),
        document,
        refreshed_at: refreshed_at.clone(),
    })?;
    Ok(CatalogState {
        catalog,
        source,
        refreshed_at: Some(refreshed_at),
        problem: None,
        changes,
    })
}

/// Choose a new source: it must read as a catalog, then it is saved and the cache refreshed.
pub fn set_catalog_source(
    db: &Db,
    default_source: &Path,
    now: DateTime<Utc>,
    path: &str,
    runtime: Option<&RuntimeClient>,
) -> Result<CatalogState> {
    let path = path.trim();
    if path.is_empty() {
        return Err(OpsError::InvalidInput("Choose a catalog file.".into()));
    }
    read_source(path, runtime)?;
    db.set_setting(SOURCE_KEY, path)?;
    refresh_catalog(db, default_source, now, runtime)
}

/// How long a refreshed catalog counts as fresh: a segment or trigger missing from it is then
/// an error; after that only a warning naming the refresh time, since it may have been made
/// since. An hour covers a working session; publishing checks against the runtime itself.
pub const FRESH_FOR_MINUTES: i64 = 60;

/// The cached catalog with the freshness of its segment and trigger lists at `now`.
pub fn current_catalog_at(db: &Db, now: DateTime<Utc>) -> Result<(Catalog, Freshness)> {
    let Some(cached) = db.cached_catalog()? else {
        return Ok((Catalog::default(), Freshness::Fresh));
    };
    let catalog = Catalog::from_json(&cached.document).map_err(|e| OpsError::CatalogInvalid {
        path: "the catalog cache".into(),
        reason: e.to_string(),
    })?;
    let freshness = match DateTime::parse_from_rfc3339(&cached.refreshed_at) {
        Ok(at) if now - at.to_utc() <= chrono::Duration::minutes(FRESH_FOR_MINUTES) => {
            Freshness::Fresh
        }
        Ok(at) => Freshness::Stale {
            refreshed_at: at.to_utc(),
        },
        // An unreadable refresh time cannot vouch for the lists.
        Err(_) => Freshness::Stale {
            refreshed_at: DateTime::<Utc>::UNIX_EPOCH,
        },
    };
    Ok((catalog, freshness))
}

/// The catalog validation and lookups use: the cache, or an empty catalog.
pub fn current_catalog(db: &Db) -> Result<Catalog> {
    match db.cached_catalog()? {
        Some(cached) => {
            Catalog::from_json(&cached.document).map_err(|e| OpsError::CatalogInvalid {
                path: "the catalog cache".into(),
                reason: e.to_string(),
            })
        }
        None => Ok(Catalog::default()),
    }
}
