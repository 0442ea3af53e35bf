//! A client of the cluster's admin API for what the ingress cannot answer: the state of many
//! Virtual Objects at once, through the admin API's SQL over the replicated partition stores
//! (`POST /query`, the `state` table). The contacts at a tile read the runs' own state this
//! way (`executor/tiles.rs`), so a run's step writes nothing more for them.

use std::time::Duration;

use serde::Deserialize;

use super::IngressError;

/// The admin API of one cluster (any node's).
pub struct Admin {
    base: String,
    agent: ureq::Agent,
}

/// One row of a state query.
#[derive(Deserialize)]
struct StateRow {
    service_key: String,
    value_utf8: Option<String>,
}

#[derive(Deserialize)]
struct Rows {
    rows: Vec<StateRow>,
}

impl Admin {
    /// A client of the admin API at `base` (e.g. `http://127.0.0.1:9070`).
    pub fn new(base: impl Into<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Admin {
            base: base.into().trim_end_matches('/').to_owned(),
            agent,
        }
    }

    /// The value under `key` of every object of `service` whose key starts with `prefix`:
    /// (object key, value as text), in key order.
    pub fn state_values(
        &self,
        service: &str,
        key: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, IngressError> {
        let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let query = format!(
            "SELECT service_key, value_utf8 FROM state WHERE service_name = {} AND key = {} \
             AND starts_with(service_key, {}) ORDER BY service_key",
            quoted(service),
            quoted(key),
            quoted(prefix)
        );
        let url = format!("{}/query", self.base);
        let body = serde_json::json!({ "query": query }).to_string();
        let mut response = self
            .agent
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .send(body)
            .map_err(|e| IngressError::Unreachable {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .map_err(|e| IngressError::Unreachable {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        if !(200..300).contains(&status) {
            return Err(IngressError::Refused {
                url,
                status,
                body: text,
            });
        }
        let Rows { rows } = serde_json::from_str(&text).map_err(|e| IngressError::Unreadable {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        rows.into_iter()
            .map(|row| match row.value_utf8 {
                Some(value) => Ok((row.service_key, value)),
                None => Err(IngressError::Unreadable {
                    url: url.clone(),
                    reason: format!(
                        "the state {key} of {service} {} is not text",
                        row.service_key
                    ),
                }),
            })
            .collect()
    }
}
