//! What the designer does, with plain dependencies (a [`Db`], the time, documents) so tests
//! need no Tauri. Commands call exactly one op each.

pub mod appearance;
pub mod catalog;
pub mod clipboard;
pub mod compare;
pub mod embedded;
pub mod files;
pub mod imported;
pub mod insight;
pub mod journeys;
pub mod lookups;
pub mod open_documents;
pub mod publish;
pub mod review;
pub mod runtime;
pub mod test_runs;
pub mod versions;

use crate::storage::StorageError;

pub use crate::storage::Db;

/// What can go wrong in an op.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// Storage failed or refused.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The catalog source could not be read.
    #[error("cannot read the catalog at {path}: {reason}")]
    CatalogUnreachable {
        /// The source.
        path: String,
        /// Why.
        reason: String,
    },
    /// The catalog source is not a valid catalog.
    #[error("the catalog at {path} is not valid: {reason}")]
    CatalogInvalid {
        /// The source.
        path: String,
        /// What and where.
        reason: String,
    },
    /// Input the marketer can fix.
    #[error("{0}")]
    InvalidInput(String),
    /// The journey has errors; publishing was refused.
    #[error("the journey has {} problem(s); fix them before publishing", .0.len())]
    Invalid(Vec<::journeys::validate::Diagnostic>),
    /// The runtime could not be reached, refused the token, or failed.
    #[error("{0}")]
    RuntimeUnavailable(String),
    /// The marketer cancelled the operation (a test run).
    #[error("cancelled")]
    Cancelled,
}

/// Shorthand for op results.
pub type Result<T> = std::result::Result<T, OpsError>;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod publish_tests;

#[cfg(test)]
mod import_tests;

#[cfg(test)]
mod catalog_diff_tests;

#[cfg(test)]
mod files_tests;

#[cfg(test)]
mod lookups_tests;

#[cfg(test)]
mod imported_tests;
#[cfg(test)]
mod insight_tests;
#[cfg(test)]
mod open_documents_tests;
#[cfg(test)]
mod restate_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod versions_tests;
