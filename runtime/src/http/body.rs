//! Reading request bodies and paths: content types, ids, JSON with its serde quirks closed
//! (numeric enum tags, lists read as structs), each refusal an [`ApiError`] saying what and where.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, header};
use journeys::import::Format;
use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// Longest id in a path.
const MAX_ID: usize = 128;

pub(super) fn check_id(what: &str, id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._~:-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "{what} `{}` is not an id: use 1 to {MAX_ID} letters, digits, `.`, `_`, `~`, `:` or `-` (no `/`)",
            id.chars().take(MAX_ID).collect::<String>()
        )))
    }
}

fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Refuse a body that is not JSON by its content type.
pub(super) fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    match media_type(headers).as_str() {
        "application/json" => Ok(()),
        "" => Err(ApiError::UnsupportedMediaType(
            "the body needs Content-Type: application/json".into(),
        )),
        other => Err(ApiError::UnsupportedMediaType(format!(
            "the body is {other}; this route reads application/json"
        ))),
    }
}

/// JSON or CSV, by the content type.
pub(super) fn import_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    match media_type(headers).as_str() {
        "application/json" => Ok(Format::Json),
        "text/csv" => Ok(Format::Csv),
        "" => Err(ApiError::UnsupportedMediaType(
            "the body needs Content-Type: text/csv or application/json".into(),
        )),
        other => Err(ApiError::UnsupportedMediaType(format!(
            "the body is {other}; this route reads text/csv or application/json"
        ))),
    }
}

/// Refuse a `kind`, `type`, `mode` or `match` that is not a string: serde reads a number
/// there as the variant's position (`"kind": 0`), which no client means.
fn check_tags(what: &str, value: &serde_json::Value) -> Result<(), ApiError> {
    let mut stack = vec![("", value)];
    while let Some((key, value)) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if matches!(k.as_str(), "kind" | "type" | "mode" | "match") && !v.is_string() {
                        return Err(ApiError::BadRequest(format!(
                            "{what}: `{k}` must be a string, not {v}"
                        )));
                    }
                    stack.push((k, v));
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|v| (key, v))),
            _ => {}
        }
    }
    Ok(())
}

/// Refuse a list where the parsed value has an object: serde reads a struct from a list of
/// its fields in order (`[null, null]`), which no client means. `parsed` is what was read.
pub(super) fn check_shape(
    what: &str,
    input: &serde_json::Value,
    parsed: &impl Serialize,
) -> Result<(), ApiError> {
    use serde_json::Value;
    let parsed = serde_json::to_value(parsed).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut stack = vec![(String::new(), input, &parsed)];
    while let Some((path, input, parsed)) = stack.pop() {
        match (input, parsed) {
            (Value::Array(_), Value::Object(_)) => {
                let at = if path.is_empty() {
                    "the body".into()
                } else {
                    format!("`{path}`")
                };
                return Err(ApiError::BadRequest(format!(
                    "{what}: {at} must be an object, not a list"
                )));
            }
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a {
                    if let Some(read) = b.get(key) {
                        let inner = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        stack.push((inner, value, read));
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for (i, (value, read)) in a.iter().zip(b).enumerate() {
                    let inner = if path.is_empty() {
                        i.to_string()
                    } else {
                        format!("{path}.{i}")
                    };
                    stack.push((inner, value, read));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A JSON body as a value, when it is JSON (else the domain's parser says what and where),
/// with its tags checked ([`check_tags`]).
pub(super) fn json_value(what: &str, body: &[u8]) -> Result<Option<serde_json::Value>, ApiError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => {
            check_tags(what, &value)?;
            Ok(Some(value))
        }
        Err(_) => Ok(None),
    }
}

fn parse_json<T: for<'de> Deserialize<'de> + Serialize>(
    body: &[u8],
    what: &str,
) -> Result<T, ApiError> {
    let located = |e: serde_json::Error| {
        ApiError::BadRequest(format!(
            "{what}: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(located)?;
    check_tags(what, &value)?;
    let parsed =
        T::deserialize(&value).map_err(|e| ApiError::BadRequest(format!("{what}: {e}")))?;
    check_shape(what, &value, &parsed)?;
    Ok(parsed)
}

pub(super) fn json_body<T: for<'de> Deserialize<'de> + Serialize>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    what: &str,
) -> Result<T, ApiError> {
    require_json(headers)?;
    parse_json(&body?, what)
}
