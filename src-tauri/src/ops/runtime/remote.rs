//! The HTTP client of a remote `journeys-runtime`: the bearer token, and each status the API
//! answers turned into the app's error in words.

use std::time::Duration;

use runtime::http::ErrorBody;

use crate::ops::{OpsError, Result};

/// A remote runtime's HTTP API.
pub struct RemoteRuntime {
    pub(super) url: String,
    token: String,
    agent: ureq::Agent,
}

impl RemoteRuntime {
    /// A client for `url` with `token`.
    pub fn new(url: String, token: String) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(15)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        RemoteRuntime { url, token, agent }
    }

    pub(super) fn send(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<(u16, String)> {
        self.send_with(method, path, content_type, body, None)
    }

    /// [`RemoteRuntime::send`] with one extra header on a POST.
    pub(super) fn send_with(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        extra: Option<(&str, &str)>,
    ) -> Result<(u16, String)> {
        let url = format!("{}{path}", self.url);
        let auth = format!("Bearer {}", self.token);
        let unreachable = |e: ureq::Error| {
            OpsError::RuntimeUnavailable(format!("cannot reach the runtime at {}: {e}", self.url))
        };
        let response = match method {
            "GET" => self.agent.get(&url).header("Authorization", &auth).call(),
            "PUT" => self
                .agent
                .put(&url)
                .header("Authorization", &auth)
                .header("Content-Type", content_type)
                .send(&body[..]),
            _ => {
                let mut request = self
                    .agent
                    .post(&url)
                    .header("Authorization", &auth)
                    .header("Content-Type", content_type);
                if let Some((name, value)) = extra {
                    request = request.header(name, value);
                }
                request.send(&body[..])
            }
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().map_err(unreachable)?;
        if (200..300).contains(&status) {
            return Ok((status, text));
        }
        let error: Option<ErrorBody> = serde_json::from_str(&text).ok();
        Err(match (status, error) {
            (401, _) => OpsError::RuntimeUnavailable(format!(
                "the runtime at {} refused the token: check the token in Settings",
                self.url
            )),
            (403, _) => OpsError::RuntimeUnavailable(format!(
                "the runtime at {} needs its admin token for this; Settings has another one (the ingest token?)",
                self.url
            )),
            (
                422,
                Some(ErrorBody {
                    diagnostics: Some(d),
                    ..
                }),
            ) => OpsError::Invalid(d),
            (400 | 404 | 409 | 413 | 415 | 422, Some(e)) => OpsError::InvalidInput(e.message),
            (_, Some(e)) => OpsError::RuntimeUnavailable(format!(
                "the runtime at {} answered {status} ({}): {}",
                self.url, e.code, e.message
            )),
            (_, None) => OpsError::RuntimeUnavailable(format!(
                "the runtime at {} answered HTTP {status}; is this a Switchboard runtime?",
                self.url
            )),
        })
    }

    pub(super) fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<T> {
        let (_, text) = self.send(method, path, content_type, body)?;
        self.parse(&text)
    }

    pub(super) fn parse<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T> {
        serde_json::from_str(text).map_err(|e| {
            OpsError::RuntimeUnavailable(format!(
                "the runtime at {} sent an unexpected answer: {e}",
                self.url
            ))
        })
    }

    pub(super) fn call_no_content(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<()> {
        self.send(method, path, content_type, body).map(|_| ())
    }
}
