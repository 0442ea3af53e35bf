//! The HTTP API (axum). **Boundary:** the routes in [`ROUTES`] and `openapi.json`, which is
//! generated from the handlers and their types ([`doc`]).
//!
//! Every route but `GET /healthz` and `GET /v1/openapi.json` needs
//! `Authorization: Bearer <token>`: the admin token for everything, the ingest token for
//! contacts, consents, runs, triggers, interactions and `/readyz`. Tokens are compared as
//! SHA-256 hashes in constant time. Errors are one JSON shape, `{code, message}`, produced
//! only by [`ApiError`]. Bodies have explicit size limits (413 above) and content types (415
//! otherwise).

mod body;
pub mod doc;
mod error;
mod handlers;
mod tile_contacts;
mod versions;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};

pub use error::{ApiError, ErrorBody};
pub use handlers::ImportReport;

use crate::error::Error;
use crate::executor::Executor;
use crate::storage::TokenScope;
use crate::storage::token_hash;

/// Every route as (method, path), as documented in the OpenAPI document.
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
    ("get", "/v1/journeys/{id}/versions/{v}"),
    ("get", "/v1/journeys/{id}/versions/{v}/counts"),
    (
        "get",
        "/v1/journeys/{id}/versions/{v}/tiles/{tile}/contacts",
    ),
    ("get", "/v1/journeys/{id}/version-summaries"),
    ("post", "/v1/journeys/{id}/runs"),
    ("post", "/v1/triggers"),
    ("post", "/v1/interactions"),
];

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    executor: Arc<dyn Executor>,
    /// Hex SHA-256 of each scope's token.
    tokens: Arc<[(TokenScope, String)]>,
}

/// Compare without leaking where the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0);
    }
    diff == 0
}

/// The scope of the request's bearer token, if it is one of ours.
fn scope_of(state: &AppState, request: &Request) -> Option<TokenScope> {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))?;
    let hash = token_hash(presented);
    let mut found = None;
    for (scope, stored) in state.tokens.iter() {
        if constant_time_eq(hash.as_bytes(), stored.as_bytes()) {
            found = Some(*scope);
        }
    }
    found
}

async fn require_admin(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    match scope_of(&state, &request) {
        Some(TokenScope::Admin) => Ok(next.run(request).await),
        Some(TokenScope::Ingest) => Err(ApiError::Forbidden("ingest")),
        None => Err(ApiError::Unauthorized),
    }
}

async fn require_ingest(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    match scope_of(&state, &request) {
        Some(_) => Ok(next.run(request).await),
        None => Err(ApiError::Unauthorized),
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

/// A method the path does not take: 405 with the JSON error shape.
async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(format!("this path does not take {method}"))
}

/// The router, with auth, body limits and JSON errors for unknown paths and methods.
/// `tokens` are the stored hashes of each scope's token.
pub fn router(executor: Arc<dyn Executor>, tokens: Vec<(TokenScope, String)>) -> Router {
    use handlers as h;
    let state = AppState {
        executor,
        tokens: tokens.into(),
    };
    let limit = |n: usize| DefaultBodyLimit::max(n);
    let admin = Router::new()
        .route("/v1/status", get(h::status))
        .route(
            "/v1/catalog",
            get(h::get_catalog)
                .put(h::put_catalog)
                .layer(limit(4 * MIB)),
        )
        .route("/v1/segments", get(h::list_segments))
        .route("/v1/segments/{id}", put(h::put_segment).layer(limit(MIB)))
        .route(
            "/v1/journeys/{id}/versions",
            post(h::publish).get(h::list_versions).layer(limit(MIB)),
        )
        .route(
            "/v1/journeys/{id}/versions/{v}",
            get(versions::version_document),
        )
        .route(
            "/v1/journeys/{id}/version-summaries",
            get(versions::version_summaries),
        )
        .route("/v1/journeys/{id}/versions/{v}/counts", get(h::counts))
        .route(
            "/v1/journeys/{id}/versions/{v}/tiles/{tile}/contacts",
            get(tile_contacts::tile_contacts),
        )
        .route(
            "/v1/journeys/{id}/versions/{v}/{action}",
            post(h::version_action),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin));
    let ingest = Router::new()
        .route("/readyz", get(h::readyz))
        .route(
            "/v1/contacts",
            post(h::import_contacts).layer(limit(64 * MIB)),
        )
        .route(
            "/v1/consents",
            post(h::import_consents).layer(limit(64 * MIB)),
        )
        .route(
            "/v1/journeys/{id}/runs",
            post(h::start_run).layer(limit(64 * KIB)),
        )
        .route("/v1/triggers", post(h::trigger).layer(limit(64 * KIB)))
        .route(
            "/v1/interactions",
            post(h::interaction).layer(limit(64 * KIB)),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_ingest,
        ));
    Router::new()
        .route("/healthz", get(h::healthz))
        .route("/v1/openapi.json", get(h::openapi))
        .merge(admin)
        .merge(ingest)
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_by_content_only() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"", b"abc"));
    }
}
