//! The one error type the UI sees.

use serde::Serialize;
use specta::Type;

use crate::ops::OpsError;
use crate::storage::StorageError;

/// An error at the IPC boundary: `{ kind, data }`; the UI switches on `kind`.
#[derive(Debug, thiserror::Error, Serialize, Type)]
#[serde(tag = "kind", content = "data", rename_all = "camelCase")]
pub enum AppError {
    /// No journey with this id.
    #[error("no journey with id {0}")]
    NotFound(String),
    /// The database could not be opened (e.g. written by a newer Switchboard).
    #[error("{0}")]
    DatabaseUnavailable(String),
    /// The catalog source could not be read or is not a catalog.
    #[error("{0}")]
    CatalogUnavailable(String),
    /// Input the marketer can fix.
    #[error("{0}")]
    InvalidInput(String),
    /// Publishing was refused: the journey's problems, for the problems panel.
    #[error("the journey has {} problem(s); fix them before publishing", .0.len())]
    Invalid(Vec<journeys::validate::Diagnostic>),
    /// The runtime could not be reached, refused the token, or failed.
    #[error("{0}")]
    RuntimeUnavailable(String),
    /// The marketer cancelled it (a test run); the message says what.
    #[error("{0}")]
    Cancelled(String),
    /// Anything else.
    #[error("{0}")]
    Internal(String),
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound(id) => AppError::NotFound(id),
            e @ StorageError::NewerDatabase { .. } => AppError::DatabaseUnavailable(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<OpsError> for AppError {
    fn from(error: OpsError) -> Self {
        match error {
            OpsError::Storage(e) => e.into(),
            e @ (OpsError::CatalogUnreachable { .. } | OpsError::CatalogInvalid { .. }) => {
                AppError::CatalogUnavailable(e.to_string())
            }
            OpsError::InvalidInput(message) => AppError::InvalidInput(message),
            OpsError::Invalid(diagnostics) => AppError::Invalid(diagnostics),
            OpsError::RuntimeUnavailable(message) => AppError::RuntimeUnavailable(message),
            OpsError::Cancelled => AppError::Cancelled("The test run was cancelled.".into()),
        }
    }
}
