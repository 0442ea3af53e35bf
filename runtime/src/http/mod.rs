//! The HTTP API (axum). **Boundary:** the routes in [`ROUTES`] and `openapi.json`.
//!
//! Every route but `GET /healthz` needs `Authorization: Bearer <token>` (constant-time
//! compare). Errors are one JSON shape, `{code, message}` (plus `diagnostics` on a refused
//! publish), produced only by [`ApiError`]. Bodies have explicit size limits (413 above).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use journeys::catalog::Catalog;
use journeys::document::parse_journey;
use journeys::validate::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::adapters::InteractionEvent;
use crate::error::Error;
use crate::executor::Executor;
use crate::storage::{SegmentDefinition, TriggerEvent, VersionAction};
use journeys::import::{self, Format};

/// The OpenAPI document served at `GET /v1/openapi.json`.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Every route as (method, path), as documented in [`OPENAPI`].
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/v1/openapi.json"),
    ("get", "/readyz"),
    ("get", "/v1/status"),
    ("get", "/v1/catalog"),
    ("put", "/v1/catalog"),
    ("post", "/v1/contacts"),
    ("post", "/v1/consents"),
    ("get", "/v1/segments"),
    ("put", "/v1/segments/{id}"),
    ("post", "/v1/journeys/{id}/versions"),
    ("get", "/v1/journeys/{id}/versions"),
    ("post", "/v1/journeys/{id}/versions/{v}/{action}"),
    ("get", "/v1/journeys/{id}/versions/{v}/counts"),
    ("post", "/v1/journeys/{id}/runs"),
    ("post", "/v1/triggers"),
    ("post", "/v1/interactions"),
];

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
/// Most attributes a trigger may carry.
const MAX_TRIGGER_ATTRIBUTES: usize = 30;

/// The one error type of the HTTP boundary.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or wrong bearer token.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// Unknown journey, version, contact or call.
    #[error("{0}")]
    NotFound(String),
    /// Malformed body or parameters.
    #[error("{0}")]
    BadRequest(String),
    /// Body above the route's limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The journey has errors.
    #[error("the journey has {} problem(s); fix them before publishing", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// Conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Anything else (logged).
    #[error("internal error: {0}")]
    Internal(String),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics: Option<&'a [Diagnostic]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "notFound"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "badRequest"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payloadTooLarge"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalidJourney"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        if let ApiError::Internal(message) = &self {
            tracing::error!(%message, "request failed");
        }
        let body = ErrorBody {
            code,
            message: self.to_string(),
            diagnostics: match &self {
                ApiError::Invalid(d) => Some(d),
                _ => None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::NotFound(m) => ApiError::NotFound(m),
            Error::Invalid(d) => ApiError::Invalid(d),
            Error::BadInput(m) => ApiError::BadRequest(m),
            Error::Conflict(m) => ApiError::Conflict(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge("the request body is larger than this route accepts".into())
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    executor: Arc<dyn Executor>,
    token: Arc<str>,
}

/// Compare without leaking where the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0);
    }
    diff == 0
}

async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq(presented.as_bytes(), state.token.as_bytes()) {
        Ok(next.run(request).await)
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// Run blocking storage work off the async workers.
async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}

fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "{what}: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })
}

fn format_of(headers: &HeaderMap) -> Format {
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if csv { Format::Csv } else { Format::Json }
}

/// The router, with auth and body limits.
pub fn router(executor: Arc<dyn Executor>, token: &str) -> Router {
    let state = AppState {
        executor,
        token: Arc::from(token),
    };
    let limit = |n: usize| DefaultBodyLimit::max(n);
    let api = Router::new()
        .route("/v1/openapi.json", get(openapi))
        .route("/readyz", get(readyz))
        .route("/v1/status", get(status))
        .route(
            "/v1/catalog",
            get(get_catalog).put(put_catalog).layer(limit(4 * MIB)),
        )
        .route("/v1/contacts", post(import_contacts).layer(limit(64 * MIB)))
        .route("/v1/consents", post(import_consents).layer(limit(64 * MIB)))
        .route("/v1/segments", get(list_segments))
        .route("/v1/segments/{id}", put(put_segment).layer(limit(MIB)))
        .route(
            "/v1/journeys/{id}/versions",
            post(publish).get(list_versions).layer(limit(MIB)),
        )
        .route("/v1/journeys/{id}/versions/{v}/counts", get(counts))
        .route(
            "/v1/journeys/{id}/versions/{v}/{action}",
            post(version_action),
        )
        .route(
            "/v1/journeys/{id}/runs",
            post(start_run).layer(limit(64 * KIB)),
        )
        .route("/v1/triggers", post(trigger).layer(limit(64 * KIB)))
        .route("/v1/interactions", post(interaction).layer(limit(64 * KIB)))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }))
        .merge(api)
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .with_state(state)
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn readyz(State(s): State<AppState>) -> Result<Response, ApiError> {
    let ready = blocking(move || s.executor.ready()).await?;
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Ok((code, Json(json!({"ready": ready}))).into_response())
}

async fn status(State(s): State<AppState>) -> Result<Response, ApiError> {
    let status = blocking(move || s.executor.status()).await?;
    Ok(Json(status).into_response())
}

async fn get_catalog(State(s): State<AppState>) -> Json<Catalog> {
    Json((*s.executor.catalog()).clone())
}

async fn put_catalog(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let text = String::from_utf8(body?.to_vec())
        .map_err(|_| ApiError::BadRequest("the catalog is not UTF-8 text".into()))?;
    let catalog =
        Catalog::from_json(&text).map_err(|e| ApiError::BadRequest(format!("catalog: {e}")))?;
    blocking(move || s.executor.set_catalog(catalog)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn import_contacts(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let contacts = import::contacts(&body?, format_of(&headers))
        .map_err(|e| ApiError::BadRequest(format!("contacts: {e}")))?;
    let n = blocking(move || s.executor.import_contacts(&contacts)).await?;
    Ok(Json(json!({"imported": n})).into_response())
}

async fn import_consents(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let records = import::consents(&body?, format_of(&headers))
        .map_err(|e| ApiError::BadRequest(format!("consent records: {e}")))?;
    let n = blocking(move || s.executor.import_consents(&records)).await?;
    Ok(Json(json!({"imported": n})).into_response())
}

async fn list_segments(State(s): State<AppState>) -> Result<Response, ApiError> {
    let segments = blocking(move || s.executor.segments()).await?;
    Ok(Json(segments).into_response())
}

async fn put_segment(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let definition: SegmentDefinition = parse_json(&body?, "segment")?;
    blocking(move || s.executor.put_segment(&id, &definition)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn publish(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the journey is not UTF-8 text".into()))?;
    let journey = parse_journey(text).map_err(|e| ApiError::BadRequest(format!("journey: {e}")))?;
    if journey.id != id {
        return Err(ApiError::BadRequest(format!(
            "the document's id `{}` differs from the URL's `{id}`",
            journey.id
        )));
    }
    let published = blocking(move || s.executor.publish(&journey)).await?;
    let code = if published.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(published)).into_response())
}

async fn list_versions(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let versions = blocking(move || s.executor.list_versions(&id)).await?;
    Ok(Json(versions).into_response())
}

async fn version_action(
    State(s): State<AppState>,
    Path((id, v, action)): Path<(String, i64, String)>,
) -> Result<Response, ApiError> {
    let Some(action) = VersionAction::ALL
        .into_iter()
        .find(|a| a.as_str() == action)
    else {
        return Err(ApiError::NotFound(format!(
            "`{action}` is not an action; use stop, pause or resume"
        )));
    };
    let info = blocking(move || s.executor.set_version_state(&id, v, action)).await?;
    Ok(Json(info).into_response())
}

async fn counts(
    State(s): State<AppState>,
    Path((id, v)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let counts = blocking(move || s.executor.counts(&id, v)).await?;
    Ok(Json(counts).into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StartRun {
    contact_id: String,
    #[serde(default)]
    entry_key: Option<String>,
}

async fn start_run(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let start: StartRun = parse_json(&body?, "run")?;
    let key = start.entry_key.unwrap_or_else(|| "api".into());
    let started = blocking(move || s.executor.start_run(&id, &start.contact_id, &key)).await?;
    let code = if started {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(json!({"started": started}))).into_response())
}

async fn trigger(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let event: TriggerEvent = parse_json(&body?, "trigger")?;
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

async fn interaction(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let event: InteractionEvent = parse_json(&body?, "interaction")?;
    let accepted = blocking(move || s.executor.post_outcome(&event)).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_lists_exactly_the_routes() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut documented: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        documented.sort();
        let mut routes: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        routes.sort();
        assert_eq!(documented, routes);
    }

    #[test]
    fn tokens_compare_by_content_only() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
    }
}
