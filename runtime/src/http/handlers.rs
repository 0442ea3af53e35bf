//! The route handlers, each annotated with what it reads and every status it answers
//! (the OpenAPI document is generated from these annotations and the types).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use journeys::catalog::{Catalog, SegmentRef};
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::{Journey, parse_journey};
use journeys::import::{self, Format, ImportWarning};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{check_id, check_shape, import_format, json_body, json_value, require_json};
use super::error::{ApiError, ErrorBody};
use super::{AppState, blocking};
use crate::adapters::InteractionEvent;
use crate::storage::{
    OutcomeAccepted, Published, SegmentDefinition, Status, TriggerAccepted, TriggerEvent,
    VersionAction, VersionCounts, VersionInfo,
};

/// Most attributes a trigger may carry.
pub(super) const MAX_TRIGGER_ATTRIBUTES: usize = 30;

/// `GET /healthz`.
#[derive(Serialize, ToSchema)]
pub(super) struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: String,
}

/// `GET /readyz`.
#[derive(Serialize, ToSchema)]
pub(super) struct Ready {
    /// Whether the worker runs and the database answers.
    ready: bool,
}

/// What an import did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"imported": 3, "warnings": [{"row": 3, "contactId": "c2", "column": "mobilePhone", "value": "not-a-phone", "message": "not-a-phone is not in E.164 form (+, country code, number); calls to it are blocked"}]}))]
pub struct ImportReport {
    /// How many were stored.
    pub imported: usize,
    /// Values that cannot be used, row by row.
    pub warnings: Vec<ImportWarning>,
}

/// Options of an import.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ImportOptions {
    /// Refuse the whole import (422, nothing stored) when any value cannot be used.
    #[serde(default)]
    strict: bool,
}

/// Start one contact's run.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"contactId": "c1", "entryKey": "signup-2026-11-24"}))]
pub(super) struct StartRun {
    /// The contact.
    contact_id: String,
    /// Deduplicates starts: the same key starts the run once (default `api`).
    #[serde(default)]
    entry_key: Option<String>,
}

/// Whether a run started.
#[derive(Serialize, ToSchema)]
pub(super) struct RunStarted {
    /// `false` when the contact was already admitted with this entry key.
    started: bool,
}

#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "the process answers", body = Health)))]
pub(super) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/v1/openapi.json", tag = "health", security(()),
    responses((status = 200, description = "this document", content_type = "application/json",
        body = serde_json::Value)))]
pub(super) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        super::doc::document_json(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/readyz", tag = "health",
    responses(
        (status = 200, description = "ready", body = Ready),
        (status = 503, description = "the worker is not running", body = Ready),
        (status = 401, description = "missing or wrong token", body = ErrorBody)))]
pub(super) async fn readyz(State(s): State<AppState>) -> Result<Response, ApiError> {
    let ready = blocking(move || s.executor.ready()).await?;
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Ok((code, Json(Ready { ready })).into_response())
}

#[utoipa::path(get, path = "/v1/status", tag = "admin",
    responses(
        (status = 200, description = "the runtime's overall state", body = Status),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody)))]
pub(super) async fn status(State(s): State<AppState>) -> Result<Json<Status>, ApiError> {
    Ok(Json(blocking(move || s.executor.status()).await?))
}

#[utoipa::path(get, path = "/v1/catalog", tag = "admin",
    responses(
        (status = 200, description = "engagements, compliance profiles, quiet-time settings, result mapping", body = Catalog),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody)))]
pub(super) async fn get_catalog(State(s): State<AppState>) -> Json<Catalog> {
    Json((*s.executor.catalog()).clone())
}

#[utoipa::path(put, path = "/v1/catalog", tag = "admin",
    request_body(content = Catalog, content_type = "application/json"),
    responses(
        (status = 204, description = "replaced"),
        (status = 400, description = "malformed, empty, or ids repeat", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not do this", body = ErrorBody),
        (status = 409, description = "it removes or retypes items live or paused versions use (`conflicts` names each and its versions); nothing changed", body = ErrorBody),
        (status = 413, description = "body above 4 MiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody)))]
pub(super) async fn put_catalog(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    require_json(&headers)?;
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the catalog is not UTF-8 text".into()))?;
    let value = json_value("catalog", &body)?;
    let catalog =
        Catalog::from_json(text).map_err(|e| ApiError::BadRequest(format!("catalog: {e}")))?;
    if let Some(value) = &value {
        check_shape("catalog", value, &catalog)?;
    }
    blocking(move || s.executor.set_catalog(catalog)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/contacts", tag = "ingest", params(ImportOptions),
    request_body(description = "a JSON array of contacts, or CSV with a header row", content(
        (Vec<Contact> = "application/json", example = json!([{"id": "c1", "mobilePhone": "+13125550100", "timeZone": "America/Chicago"}])),
        (String = "text/csv", example = "id,mobilePhone,timeZone\nc1,+13125550100,America/Chicago\n"))),
    responses(
        (status = 200, description = "stored; `warnings` lists values that cannot be used", body = ImportReport),
        (status = 400, description = "unreadable file (line and column named) or bad query", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 413, description = "body above 64 MiB", body = ErrorBody),
        (status = 415, description = "neither text/csv nor application/json", body = ErrorBody),
        (status = 422, description = "strict: values cannot be used; nothing stored", body = ErrorBody)))]
pub(super) async fn import_contacts(
    State(s): State<AppState>,
    query: Result<Query<ImportOptions>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let Query(options) = query?;
    let format = import_format(&headers)?;
    let body = body?;
    let value = match format {
        Format::Json => json_value("contacts", &body)?,
        Format::Csv => None,
    };
    let checked = import::contacts_checked(&body, format)
        .map_err(|e| ApiError::BadRequest(format!("contacts: {e}")))?;
    if let Some(value) = &value {
        check_shape("contacts", value, &checked.items)?;
    }
    if options.strict && !checked.warnings.is_empty() {
        return Err(ApiError::ImportRefused(checked.warnings));
    }
    let contacts = checked.items;
    let imported = blocking(move || s.executor.import_contacts(&contacts)).await?;
    Ok(Json(ImportReport {
        imported,
        warnings: checked.warnings,
    }))
}

#[utoipa::path(post, path = "/v1/consents", tag = "ingest", params(ImportOptions),
    request_body(description = "a JSON array of consent records, or CSV with a header row", content(
        (Vec<ConsentRecord> = "application/json", example = json!([{"contactPoint": "+13125550100", "channel": "voice", "scope": {"kind": "purpose", "purposeId": "pur-promotions"}, "status": "optedIn", "updatedAt": "2026-01-01T00:00:00Z"}])),
        (String = "text/csv", example = "contactPoint,channel,scope,scopeId,status,updatedAt\n+13125550100,voice,purpose,pur-promotions,optedIn,2026-01-01T00:00:00Z\n"))),
    responses(
        (status = 200, description = "stored; `warnings` lists records for contact points no contact has", body = ImportReport),
        (status = 400, description = "unreadable file (line and column named) or bad query", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 413, description = "body above 64 MiB", body = ErrorBody),
        (status = 415, description = "neither text/csv nor application/json", body = ErrorBody),
        (status = 422, description = "strict: records cannot be used; nothing stored", body = ErrorBody)))]
pub(super) async fn import_consents(
    State(s): State<AppState>,
    query: Result<Query<ImportOptions>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let Query(options) = query?;
    let format = import_format(&headers)?;
    let body = body?;
    let value = match format {
        Format::Json => json_value("consent records", &body)?,
        Format::Csv => None,
    };
    let executor = s.executor.clone();
    let known = blocking(move || executor.contact_points()).await?;
    let checked = import::consents_checked(&body, format, &known)
        .map_err(|e| ApiError::BadRequest(format!("consent records: {e}")))?;
    if let Some(value) = &value {
        check_shape("consent records", value, &checked.items)?;
    }
    if options.strict && !checked.warnings.is_empty() {
        return Err(ApiError::ImportRefused(checked.warnings));
    }
    let records = checked.items;
    let imported = blocking(move || s.executor.import_consents(&records)).await?;
    Ok(Json(ImportReport {
        imported,
        warnings: checked.warnings,
    }))
}

#[utoipa::path(get, path = "/v1/segments", tag = "admin",
    responses(
        (status = 200, description = "every segment the runtime holds, by id", body = Vec<SegmentRef>,
            example = json!([{"id": "renewals-due", "description": "3 contacts"}])),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not do this", body = ErrorBody)))]
pub(super) async fn list_segments(
    State(s): State<AppState>,
) -> Result<Json<Vec<SegmentRef>>, ApiError> {
    Ok(Json(blocking(move || s.executor.segments()).await?))
}

#[utoipa::path(put, path = "/v1/segments/{id}", tag = "admin",
    params(("id" = String, Path, description = "the segment", pattern = "^[A-Za-z0-9._~:-]{1,128}$")),
    request_body(content = SegmentDefinition, content_type = "application/json",
        example = json!({"kind": "static", "contactIds": ["c1", "c2"]})),
    responses(
        (status = 204, description = "created or replaced"),
        (status = 400, description = "malformed body or id", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not do this", body = ErrorBody),
        (status = 404, description = "no segment id in the path (`/v1/segments/` is no route)", body = ErrorBody),
        (status = 413, description = "body above 1 MiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody)))]
pub(super) async fn put_segment(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = path?;
    check_id("segment", &id)?;
    let definition: SegmentDefinition = json_body(&headers, body, "segment")?;
    blocking(move || s.executor.put_segment(&id, &definition)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/v1/journeys/{id}/versions", tag = "admin",
    params(("id" = String, Path, description = "the journey; the document's id must match", pattern = "^[A-Za-z0-9._~:-]{1,128}$"),
        ("X-Switchboard-Computer" = Option<String>, Header, description = "the computer (host name) publishing; kept on a new version", max_length = 255)),
    request_body(content = Journey, content_type = "application/json"),
    responses(
        (status = 201, description = "a new version, or the current one renamed", body = Published),
        (status = 200, description = "the current version's content again (a retry)", body = Published),
        (status = 400, description = "malformed document, id or computer name, or ids differ", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not publish", body = ErrorBody),
        (status = 404, description = "no journey id in the path (`/v1/journeys//…` is no route)", body = ErrorBody),
        (status = 409, description = "a running one-time journey takes no change but its name", body = ErrorBody),
        (status = 413, description = "body above 1 MiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody),
        (status = 422, description = "the journey has errors (`diagnostics`)", body = ErrorBody)))]
pub(super) async fn publish(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = path?;
    check_id("journey", &id)?;
    require_json(&headers)?;
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the journey is not UTF-8 text".into()))?;
    let value = json_value("journey", &body)?;
    let journey = parse_journey(text).map_err(|e| ApiError::BadRequest(format!("journey: {e}")))?;
    if let Some(value) = &value {
        check_shape("journey", value, &journey)?;
    }
    if journey.id != id {
        return Err(ApiError::BadRequest(format!(
            "the document's id `{}` differs from the URL's `{id}`",
            journey.id
        )));
    }
    let computer = super::versions::computer(&headers)?;
    let published =
        blocking(move || s.executor.publish_from(&journey, computer.as_deref())).await?;
    let code = if published.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(published)).into_response())
}

#[utoipa::path(get, path = "/v1/journeys/{id}/versions", tag = "admin",
    params(("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$")),
    responses(
        (status = 200, description = "its versions, oldest first (empty when never published)", body = Vec<VersionInfo>),
        (status = 400, description = "malformed id", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody),
        (status = 404, description = "no journey id in the path (`/v1/journeys//…` is no route)", body = ErrorBody)))]
pub(super) async fn list_versions(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<VersionInfo>>, ApiError> {
    let Path(id) = path?;
    check_id("journey", &id)?;
    Ok(Json(blocking(move || s.executor.list_versions(&id)).await?))
}

/// A version action in a path.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) enum ActionName {
    /// Stop for good.
    Stop,
    /// Pause (at most 21 days).
    Pause,
    /// Resume a paused version.
    Resume,
}

#[utoipa::path(post, path = "/v1/journeys/{id}/versions/{v}/{action}", tag = "admin",
    params(
        ("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$"),
        ("v" = i64, Path, description = "the version's number", minimum = 1),
        ("action" = inline(ActionName), Path, description = "what to do")),
    responses(
        (status = 200, description = "the version after the action", body = VersionInfo),
        (status = 400, description = "malformed id, number or action", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not do this", body = ErrorBody),
        (status = 404, description = "no such journey or version", body = ErrorBody),
        (status = 409, description = "not possible in the version's state (e.g. resume a stopped one)", body = ErrorBody)))]
pub(super) async fn version_action(
    State(s): State<AppState>,
    path: Result<Path<(String, i64, String)>, PathRejection>,
) -> Result<Json<VersionInfo>, ApiError> {
    let Path((id, v, action)) = path?;
    check_id("journey", &id)?;
    let Some(action) = VersionAction::ALL
        .into_iter()
        .find(|a| a.as_str() == action)
    else {
        return Err(ApiError::BadRequest(format!(
            "`{action}` is not an action; use stop, pause or resume"
        )));
    };
    Ok(Json(
        blocking(move || s.executor.set_version_state(&id, v, action)).await?,
    ))
}

#[utoipa::path(get, path = "/v1/journeys/{id}/versions/{v}/counts", tag = "admin",
    params(
        ("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$"),
        ("v" = i64, Path, description = "the version's number", minimum = 1)),
    responses(
        (status = 200, description = "per-tile counts", body = VersionCounts),
        (status = 400, description = "malformed id or number", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 403, description = "the ingest token may not read this", body = ErrorBody),
        (status = 404, description = "no such journey or version", body = ErrorBody)))]
pub(super) async fn counts(
    State(s): State<AppState>,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> Result<Json<VersionCounts>, ApiError> {
    let Path((id, v)) = path?;
    check_id("journey", &id)?;
    Ok(Json(blocking(move || s.executor.counts(&id, v)).await?))
}

#[utoipa::path(post, path = "/v1/journeys/{id}/runs", tag = "ingest",
    params(("id" = String, Path, description = "the journey", pattern = "^[A-Za-z0-9._~:-]{1,128}$")),
    request_body(content = StartRun, content_type = "application/json"),
    responses(
        (status = 201, description = "the run started", body = RunStarted),
        (status = 200, description = "already started with this entry key", body = RunStarted),
        (status = 400, description = "malformed body or id", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 404, description = "no live version or no such contact", body = ErrorBody),
        (status = 409, description = "the journey does not take contacts now", body = ErrorBody),
        (status = 413, description = "body above 64 KiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody)))]
pub(super) async fn start_run(
    State(s): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = path?;
    check_id("journey", &id)?;
    let start: StartRun = json_body(&headers, body, "run")?;
    let key = start.entry_key.unwrap_or_else(|| "api".into());
    let started = blocking(move || s.executor.start_run(&id, &start.contact_id, &key)).await?;
    let code = if started {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(RunStarted { started })).into_response())
}

#[utoipa::path(post, path = "/v1/triggers", tag = "ingest",
    request_body(content = TriggerEvent, content_type = "application/json",
        example = json!({"eventId": "ev-1", "trigger": "signup", "contactId": "c1", "attributes": {"plan": "pro"}})),
    responses(
        (status = 202, description = "accepted (deduplicated by event id)", body = TriggerAccepted),
        (status = 400, description = "malformed body, too many or null attributes", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 404, description = "no such contact", body = ErrorBody),
        (status = 413, description = "body above 64 KiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody)))]
pub(super) async fn trigger(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let event: TriggerEvent = json_body(&headers, body, "trigger")?;
    if event.attributes.len() > MAX_TRIGGER_ATTRIBUTES {
        return Err(ApiError::BadRequest(format!(
            "a trigger carries at most {MAX_TRIGGER_ATTRIBUTES} attributes; this one has {}",
            event.attributes.len()
        )));
    }
    if let Some((name, _)) = event.attributes.iter().find(|(_, v)| v.is_null()) {
        return Err(ApiError::BadRequest(format!(
            "trigger attribute `{name}` is null; leave it out instead"
        )));
    }
    let accepted = blocking(move || s.executor.post_trigger(&event)).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

#[utoipa::path(post, path = "/v1/interactions", tag = "ingest",
    request_body(content = InteractionEvent, content_type = "application/json"),
    responses(
        (status = 202, description = "accepted (deduplicated by request id)", body = OutcomeAccepted),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 401, description = "missing or wrong token", body = ErrorBody),
        (status = 404, description = "no such call request", body = ErrorBody),
        (status = 413, description = "body above 64 KiB", body = ErrorBody),
        (status = 415, description = "not application/json", body = ErrorBody)))]
pub(super) async fn interaction(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let event: InteractionEvent = json_body(&headers, body, "interaction")?;
    let accepted = blocking(move || s.executor.post_outcome(&event)).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}
