//! Contacts and consent records from JSON or CSV, with errors naming the row and column.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::Channel;
use serde_json::Value;

use crate::error::{Error, Result};

/// The body format of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON array.
    Json,
    /// CSV with a header row.
    Csv,
}

fn json_error(what: &str, e: &serde_json::Error) -> Error {
    Error::BadInput(format!(
        "{what}: line {}, column {}: {e}",
        e.line(),
        e.column()
    ))
}

/// Contacts from a JSON array, or CSV with columns `id`, `mobilePhone`, `businessPhone`,
/// `homePhone`, `timeZone`, `country`, `stateOrProvince`; other columns become attributes
/// (empty cells are left out).
pub fn contacts(body: &[u8], format: Format) -> Result<Vec<Contact>> {
    match format {
        Format::Json => serde_json::from_slice(body).map_err(|e| json_error("contacts", &e)),
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(body);
            let headers = reader
                .headers()
                .map_err(|e| Error::BadInput(format!("contacts CSV header: {e}")))?
                .clone();
            if !headers.iter().any(|h| h == "id") {
                return Err(Error::BadInput(
                    "contacts CSV: the header has no `id` column".into(),
                ));
            }
            let mut out = Vec::new();
            for (index, row) in reader.records().enumerate() {
                let row = row
                    .map_err(|e| Error::BadInput(format!("contacts CSV row {}: {e}", index + 2)))?;
                let mut contact = Contact::default();
                let mut attributes = BTreeMap::new();
                for (header, cell) in headers.iter().zip(row.iter()) {
                    let cell = cell.trim();
                    let value = (!cell.is_empty()).then(|| cell.to_owned());
                    match header {
                        "id" => contact.id = cell.to_owned(),
                        "mobilePhone" => contact.mobile_phone = value,
                        "businessPhone" => contact.business_phone = value,
                        "homePhone" => contact.home_phone = value,
                        "timeZone" => contact.time_zone = value,
                        "country" => contact.country = value,
                        "stateOrProvince" => contact.state_or_province = value,
                        other => {
                            if let Some(v) = value {
                                attributes.insert(other.to_owned(), Value::String(v));
                            }
                        }
                    }
                }
                if contact.id.is_empty() {
                    return Err(Error::BadInput(format!(
                        "contacts CSV row {}: `id` is empty",
                        index + 2
                    )));
                }
                contact.attributes = attributes;
                out.push(contact);
            }
            Ok(out)
        }
    }
}

/// Consent records from a JSON array, or CSV with columns `contactPoint`, `channel`,
/// `scope` (`purpose` or `topic`), `scopeId`, `status`, `updatedAt` and optional `source`.
pub fn consents(body: &[u8], format: Format) -> Result<Vec<ConsentRecord>> {
    match format {
        Format::Json => serde_json::from_slice(body).map_err(|e| json_error("consent records", &e)),
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(body);
            let headers = reader
                .headers()
                .map_err(|e| Error::BadInput(format!("consent CSV header: {e}")))?
                .clone();
            let column = |name: &str| {
                headers.iter().position(|h| h == name).ok_or_else(|| {
                    Error::BadInput(format!("consent CSV: the header has no `{name}` column"))
                })
            };
            let (point, channel, scope, scope_id, status, updated) = (
                column("contactPoint")?,
                column("channel")?,
                column("scope")?,
                column("scopeId")?,
                column("status")?,
                column("updatedAt")?,
            );
            let source = headers.iter().position(|h| h == "source");
            let mut out = Vec::new();
            for (index, row) in reader.records().enumerate() {
                let line = index + 2;
                let row =
                    row.map_err(|e| Error::BadInput(format!("consent CSV row {line}: {e}")))?;
                let cell = |i: usize| row.get(i).unwrap_or("").trim();
                let bad = |col: &str, why: String| {
                    Error::BadInput(format!("consent CSV row {line}, column {col}: {why}"))
                };
                let channel: Channel = serde_json::from_value(Value::from(cell(channel)))
                    .map_err(|e| bad("channel", e.to_string()))?;
                let status: ConsentStatus = serde_json::from_value(Value::from(cell(status)))
                    .map_err(|e| bad("status", e.to_string()))?;
                let scope = match cell(scope) {
                    "purpose" => ConsentScope::Purpose {
                        purpose_id: cell(scope_id).to_owned(),
                    },
                    "topic" => ConsentScope::Topic {
                        topic_id: cell(scope_id).to_owned(),
                    },
                    other => {
                        return Err(bad(
                            "scope",
                            format!("`{other}` is neither purpose nor topic"),
                        ));
                    }
                };
                let updated_at: DateTime<Utc> = DateTime::parse_from_rfc3339(cell(updated))
                    .map_err(|e| bad("updatedAt", e.to_string()))?
                    .with_timezone(&Utc);
                out.push(ConsentRecord {
                    contact_point: cell(point).to_owned(),
                    channel,
                    scope,
                    status,
                    updated_at,
                    source: source.map(|i| cell(i).to_owned()).filter(|s| !s.is_empty()),
                });
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_contacts_keep_extra_columns_as_attributes() {
        let csv = "id,mobilePhone,timeZone,tier\nc1,+13125550100,America/Chicago,gold\nc2,,,\n";
        let list = contacts(csv.as_bytes(), Format::Csv).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].attributes["tier"], "gold");
        assert_eq!(list[1].mobile_phone, None);
    }

    #[test]
    fn csv_consent_errors_name_row_and_column() {
        let csv = "contactPoint,channel,scope,scopeId,status,updatedAt\n+1312,voice,purpose,p,maybe,2026-01-01T00:00:00Z\n";
        let error = consents(csv.as_bytes(), Format::Csv)
            .unwrap_err()
            .to_string();
        assert!(error.contains("row 2, column status"), "{error}");
    }
}
