//! The HTTP adapter: POSTs each call request, with its idempotency key, to a configured URL.
//!
//! The body follows the published proactive-delivery shape (`RequestId`,
//! `ProactiveEngagementConfigId`, one contact with its windows). Results come back through
//! the runtime's `POST /v1/interactions`. Deduplication on `RequestId` is not documented for
//! the real contact center, so [`Caps::dedupes_request_id`] is false: a request whose
//! acknowledgement was lost in a crash is resolved as "unknown", never re-sent blindly.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use super::{Caps, CcError, ContactCenter, DeliveryAck, DeliveryRequest};

/// Posts call requests to a URL.
pub struct HttpContactCenter {
    url: String,
    agent: ureq::Agent,
}

impl HttpContactCenter {
    /// An adapter posting to `url`.
    pub fn new(url: impl Into<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        HttpContactCenter {
            url: url.into(),
            agent,
        }
    }
}

fn utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl ContactCenter for HttpContactCenter {
    fn capabilities(&self) -> Caps {
        Caps {
            dedupes_request_id: false,
        }
    }

    fn create_delivery(
        &self,
        request: &DeliveryRequest,
        _now: DateTime<Utc>,
    ) -> Result<DeliveryAck, CcError> {
        let call = &request.call;
        let windows: Vec<_> = call
            .windows
            .iter()
            .map(|w| json!({"Start": utc(w.start), "End": utc(w.end)}))
            .collect();
        let body = json!({
            "RequestId": request.idem_key,
            "ProactiveEngagementConfigId": call.engagement_id,
            "Priority": 3,
            "Windows": windows,
            "Contacts": [{
                "uniqueIdentifier": call.contact_id,
                "phone": call.to_number,
                "timezone": call.time_zone,
                "inputAttributes": {"idemKey": request.idem_key, "runId": call.run_id, "tileId": call.tile_id},
                "windows": windows,
            }],
        });
        let response = self
            .agent
            .post(&self.url)
            .header("Idempotency-Key", &request.idem_key)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .map_err(|e| CcError::Transient(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .into_body()
            .read_to_string()
            .map_err(|e| CcError::Transient(e.to_string()))?;
        match status {
            200..=299 => {
                let delivery_id = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| {
                        v.get("DeliveryId")
                            .and_then(|d| d.as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                Ok(DeliveryAck { delivery_id })
            }
            408 | 429 | 500..=599 => Err(CcError::Transient(format!("HTTP {status}: {text}"))),
            _ => Err(CcError::Permanent(format!("HTTP {status}: {text}"))),
        }
    }
}
