//! Reading published versions: one version with its journey (the app opens it read-only,
//! compares it with a draft, restores it).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use super::body::check_id;
use super::error::{ApiError, ErrorBody};
use super::{AppState, blocking};
use crate::storage::VersionDocument;

#[utoipa::path(get, path = "/v1/journeys/{id}/versions/{v}", tag = "admin",
    params(
        ("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$"),
        ("v" = i64, Path, description = "the version's number", minimum = 1)),
    responses(
        (status = 200, description = "the version and the journey it published", body = VersionDocument),
        (status = 400, description = "malformed id or number", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody),
        (status = 404, description = "no such journey or version", body = ErrorBody)))]
pub(super) async fn version_document(
    State(s): State<AppState>,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> Result<Json<VersionDocument>, ApiError> {
    let Path((id, v)) = path?;
    check_id("journey", &id)?;
    Ok(Json(
        blocking(move || s.executor.version_document(&id, v)).await?,
    ))
}
