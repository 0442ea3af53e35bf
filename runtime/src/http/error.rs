//! [`ApiError`]: the one error of the HTTP boundary, always `{code, message}` JSON.

use axum::Json;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use journeys::import::ImportWarning;
use journeys::validate::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::contract::CatalogConflict;
use crate::error::Error;

/// The one error type of the HTTP boundary.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No or wrong bearer token.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// A valid token of a scope that may not do this.
    #[error("this token's scope ({0}) may not do this; it needs the admin token")]
    Forbidden(&'static str),
    /// Unknown journey, version, contact or call.
    #[error("{0}")]
    NotFound(String),
    /// Malformed body or parameters.
    #[error("{0}")]
    BadRequest(String),
    /// Body above the route's limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A method the path does not take.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// A body of a content type the route does not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The journey has errors.
    #[error("the journey has {} problem(s); fix them before publishing", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// A strict import with values the runtime cannot use.
    #[error("{} value(s) cannot be used (see warnings); nothing was imported", .0.len())]
    ImportRefused(Vec<ImportWarning>),
    /// A catalog replacement that would break live or paused versions.
    #[error("{}", crate::contract::describe(.0))]
    CatalogInUse(Vec<CatalogConflict>),
    /// Well-formed parameters that do not go together (e.g. `branch=` without `at=branch`).
    #[error("{0}")]
    Unprocessable(String),
    /// Conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// The engine behind the executor does not answer now; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else (logged).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Every error answer of the API.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"code": "badRequest", "message": "trigger: line 1, column 2: expected value"}))]
pub struct ErrorBody {
    /// Stable, machine-readable: `unauthorized`, `forbidden`, `notFound`, `badRequest`,
    /// `payloadTooLarge`, `methodNotAllowed`, `unsupportedMediaType`, `invalidJourney`, `importRefused`,
    /// `catalogInUse`, `conflict`, `internal`.
    pub code: String,
    /// What is wrong and where, for a person.
    pub message: String,
    /// The validator's diagnostics (`invalidJourney`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// The values that cannot be used (`importRefused`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<ImportWarning>>,
    /// The items in use and who uses them (`catalogInUse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<CatalogConflict>>,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "notFound"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "badRequest"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payloadTooLarge"),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "methodNotAllowed"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupportedMediaType")
            }
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalidJourney"),
            ApiError::ImportRefused(_) => (StatusCode::UNPROCESSABLE_ENTITY, "importRefused"),
            ApiError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            ApiError::CatalogInUse(_) => (StatusCode::CONFLICT, "catalogInUse"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(message) = &self {
            tracing::error!(%message, "request failed");
        }
        let message = self.to_string();
        let mut body = ErrorBody {
            code: code.into(),
            message,
            diagnostics: None,
            warnings: None,
            conflicts: None,
        };
        match self {
            ApiError::Invalid(d) => body.diagnostics = Some(d),
            ApiError::ImportRefused(w) => body.warnings = Some(w),
            ApiError::CatalogInUse(c) => body.conflicts = Some(c),
            _ => {}
        }
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
            Error::CatalogInUse(c) => ApiError::CatalogInUse(c),
            Error::Unavailable(m) => ApiError::Unavailable(m),
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

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(format!("query: {}", rejection.body_text()))
    }
}
