//! `GET /v1/journeys/{id}/versions/{v}/tiles/{tile}/contacts`: the contacts at a tile, as
//! JSON pages or as CSV (`Accept: text/csv` or `format=csv`; the next page's cursor then comes
//! in the `x-next-after` header).

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::check_id;
use super::error::{ApiError, ErrorBody};
use super::{AppState, blocking};
use crate::storage::{ContactsAt, MAX_PAGE, TileContactsPage, TileContactsQuery, write_csv};

/// The header a CSV page names the next page's cursor in.
pub(super) const NEXT_HEADER: &str = "x-next-after";

/// The page size when none is asked for.
const DEFAULT_PAGE: usize = 1000;

/// Which contacts, which page, which format.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ContactsQuery {
    /// `here` (on the tile now), `entered`, `ended` (their run ended on it) or `branch`
    /// (left it by `branch`); `here` when left out.
    #[param(pattern = "^(here|entered|ended|branch)$")]
    at: Option<String>,
    /// With `at=branch`: the branch's id (or `other`) on a branching tile.
    branch: Option<String>,
    /// The page starts after this run id (a page's `nextAfter`); 0 when left out.
    #[param(minimum = 0)]
    after: Option<i64>,
    /// At most this many contacts (1 to 10,000; 1,000 when left out).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<usize>,
    /// `csv` for a CSV page (as `Accept: text/csv` asks), `json` for JSON.
    #[param(pattern = "^(csv|json)$")]
    format: Option<String>,
}

#[utoipa::path(get, path = "/v1/journeys/{id}/versions/{v}/tiles/{tile}/contacts", tag = "admin",
    params(
        ("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$"),
        ("v" = i64, Path, description = "the version's number", minimum = 1),
        ("tile" = String, Path, description = "the tile's id in that version"),
        ContactsQuery),
    responses(
        (status = 200, description = "a page of the contacts at the tile, in run order (CSV: header row, then one row per contact; `x-next-after` names the next page)",
            content((TileContactsPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "malformed id, number or query parameter", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody),
        (status = 404, description = "no such journey, version, tile or branch", body = ErrorBody),
        (status = 422, description = "`branch` without `at=branch`, or `at=branch` without a branch", body = ErrorBody)))]
pub(super) async fn tile_contacts(
    State(s): State<AppState>,
    path: Result<Path<(String, i64, String)>, PathRejection>,
    query: Result<Query<ContactsQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path((id, v, tile)) = path?;
    let Query(q) = query?;
    check_id("journey", &id)?;
    let csv = match q.format.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format must be csv or json, not {other:?}"
            )));
        }
        None => wants_csv(&headers),
    };
    let at = q.at.as_deref().unwrap_or("here");
    if !ContactsAt::WORDS.contains(&at) {
        return Err(ApiError::BadRequest(format!(
            "at must be here, entered, ended or branch, not {at:?}"
        )));
    }
    // Whether `at` and `branch` go together no schema can say: 422.
    let at = ContactsAt::parse(at, q.branch.as_deref())
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::BadRequest(format!(
            "after must be 0 or a run id, not {after}"
        )));
    }
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be 1 to {MAX_PAGE}, not {limit}"
        )));
    }
    let query = TileContactsQuery {
        tile,
        at,
        after,
        limit,
    };
    let page = blocking(move || s.executor.tile_contacts(&id, v, &query)).await?;
    if !csv {
        return Ok(Json(page).into_response());
    }
    let mut body = Vec::with_capacity(page.contacts.len() * 96 + 96);
    write_csv(&mut body, &page.contacts, true)?;
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    if let Some(next) = page.next_after {
        response
            .headers_mut()
            .insert(NEXT_HEADER, HeaderValue::from(next));
    }
    Ok(response)
}

/// Whether the Accept header prefers CSV (it names `text/csv` and not JSON first).
fn wants_csv(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    accept
        .split(',')
        .map(|m| m.split(';').next().unwrap_or_default().trim())
        .find(|m| *m == "text/csv" || *m == "application/json")
        == Some("text/csv")
}
