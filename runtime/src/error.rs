//! The runtime's library error.

use journeys::validate::Diagnostic;

/// What went wrong in a runtime operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The SQLite database failed.
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    /// A journey, version, contact or call that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Publishing was refused: the journey has errors.
    #[error("the journey has {} problem(s); fix them before publishing", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// The request is malformed or refers to something unusable.
    #[error("{0}")]
    BadInput(String),
    /// The request conflicts with the current state (e.g. resume a stopped version).
    #[error("{0}")]
    Conflict(String),
    /// A catalog replacement would remove or retype items live or paused versions use.
    #[error("{}", crate::contract::describe(.0))]
    CatalogInUse(Vec<crate::contract::CatalogConflict>),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// An engine the executor depends on (a Restate cluster) does not answer now.
    #[error("{0}")]
    Unavailable(String),
}

/// Shorthand for results of runtime operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
