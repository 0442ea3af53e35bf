//! Reading published versions: one version with its journey (the app opens it read-only,
//! compares it with a draft, restores it); every version with its state, computer and
//! contacts (the versions panel); the computer a publish names.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;

use super::body::check_id;
use super::error::{ApiError, ErrorBody};
use super::{AppState, blocking};
use crate::storage::{VersionDocument, VersionSummary, check_computer};

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

/// The header a publish names its computer in.
pub(super) const COMPUTER_HEADER: &str = "x-switchboard-computer";

/// The publishing computer's name from [`COMPUTER_HEADER`], if sent.
pub(super) fn computer(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(COMPUTER_HEADER) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| {
        ApiError::BadRequest(format!("the {COMPUTER_HEADER} header is not visible ASCII"))
    })?;
    Ok(check_computer(text)?)
}

#[utoipa::path(get, path = "/v1/journeys/{id}/version-summaries", tag = "admin",
    params(("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$")),
    responses(
        (status = 200, description = "its versions, oldest first, with state, computer and contacts (empty when never published)", body = Vec<VersionSummary>),
        (status = 400, description = "malformed id", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody),
        (status = 404, description = "no journey id in the path (`/v1/journeys//…` is no route)", body = ErrorBody)))]
pub(super) async fn version_summaries(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<VersionSummary>>, ApiError> {
    let Path(id) = path?;
    check_id("journey", &id)?;
    Ok(Json(
        blocking(move || s.executor.version_summaries(&id)).await?,
    ))
}
