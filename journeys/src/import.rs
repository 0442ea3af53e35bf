//! Contacts and consent records from a file's bytes (CSV or JSON): the one parser the
//! runtime's import, the designer's test run and the `journeys` command line all call.
//!
//! Pure: the caller reads the file. Every error names where the problem is (line and column
//! for CSV, line and column of the text for JSON) and what is wrong, so a marketer can fix
//! the file; nothing here panics on bad input.
//!
//! ```
//! use journeys::import::{Format, contacts};
//!
//! let csv = "id,mobilePhone,timeZone,tier\nc1,+13125550100,America/Chicago,gold\n";
//! let list = contacts(csv.as_bytes(), Format::Csv).unwrap();
//! assert_eq!(list[0].time_zone.as_deref(), Some("America/Chicago"));
//! assert_eq!(list[0].attributes["tier"], "gold");
//!
//! let bad = "id,mobilePhone\nc1,+13125550100\n,+13125550101\n";
//! let error = contacts(bad.as_bytes(), Format::Csv).unwrap_err();
//! assert_eq!(error.to_string(), "line 3, column id: empty; every contact needs an id");
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use crate::document::Channel;

/// How a file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// The format of a file: by its extension (`.csv`, `.json`), else JSON when the text
    /// starts with `[` or `{`, else CSV.
    pub fn detect(file_name: &str, body: &[u8]) -> Format {
        let lower = file_name.trim().to_ascii_lowercase();
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        if lower.ends_with(".json") {
            return Format::Json;
        }
        match without_bom(body).iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// Why a file could not be read as contacts or consent records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// JSON that does not parse, or has the wrong shape.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the text.
        line: usize,
        /// 1-based column of the text.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// One entry of a JSON list is wrong (e.g. a repeated id).
    #[error("entry {index}: {message}")]
    Entry {
        /// 1-based position in the list.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// The CSV header lacks a column that is needed.
    #[error("the header has no {column} column (the columns are {expected})")]
    MissingColumn {
        /// The missing column.
        column: &'static str,
        /// Every column the file needs, for the message.
        expected: &'static str,
    },
    /// A CSV line that cannot be read as a row (wrong number of fields, not UTF-8, …).
    #[error("line {line}: {message}")]
    Row {
        /// 1-based line of the file.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A CSV cell with an unusable value.
    #[error("line {line}, column {column}: {message}")]
    Cell {
        /// 1-based line of the file.
        line: u64,
        /// The column's header.
        column: String,
        /// What is wrong.
        message: String,
    },
}

/// Columns a contacts CSV understands; any other column becomes an attribute.
const CONTACT_COLUMNS: &str =
    "id, mobilePhone, businessPhone, homePhone, timeZone, country, stateOrProvince";

/// Columns a consent CSV needs (`source` is optional).
const CONSENT_COLUMNS: &str = "contactPoint, channel, scope, scopeId, status, updatedAt, source";

fn json_error(e: &serde_json::Error) -> ImportError {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the error says that itself.
    let message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    ImportError::Json {
        line: e.line(),
        column: e.column(),
        message,
    }
}

fn csv_reader(body: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body)
}

/// A CSV read error as the line it is on and what is wrong.
fn row_error(e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} field(s); the header has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not UTF-8 text (save the file as UTF-8)",
            err.field() + 1
        ),
        _ => e.to_string(),
    };
    ImportError::Row { line, message }
}

fn headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, ImportError> {
    Ok(reader
        .headers()
        .map_err(|e| row_error(&e))?
        .iter()
        .map(str::to_owned)
        .collect())
}

fn line_of(row: &csv::StringRecord) -> u64 {
    row.position().map_or(0, csv::Position::line)
}

/// Contacts from a JSON array of contacts, or CSV with a header row: `id` (required),
/// `mobilePhone`, `businessPhone`, `homePhone`, `timeZone`, `country`, `stateOrProvince`
/// (matched without regard to case); any other column becomes an attribute, and empty cells
/// are left out. Every contact needs an id, and no id may repeat.
pub fn contacts(body: &[u8], format: Format) -> Result<Vec<Contact>, ImportError> {
    match format {
        Format::Json => {
            let list: Vec<Contact> =
                serde_json::from_slice(without_bom(body)).map_err(|e| json_error(&e))?;
            check_json_ids(&list)?;
            Ok(list)
        }
        Format::Csv => Ok(contacts_csv(without_bom(body))?
            .into_iter()
            .map(|(_, c)| c)
            .collect()),
    }
}

fn check_json_ids(list: &[Contact]) -> Result<(), ImportError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, contact) in list.iter().enumerate() {
        let index = i + 1;
        if contact.id.trim().is_empty() {
            return Err(ImportError::Entry {
                index,
                message: "the id is empty; every contact needs an id".into(),
            });
        }
        if let Some(first) = seen.insert(contact.id.as_str(), index) {
            return Err(ImportError::Entry {
                index,
                message: format!("id {} is also entry {first}", contact.id),
            });
        }
    }
    Ok(())
}

/// Contacts of a CSV file, each with its line.
fn contacts_csv(body: &[u8]) -> Result<Vec<(u64, Contact)>, ImportError> {
    #[derive(Clone, Copy)]
    enum Column {
        Id,
        Mobile,
        Business,
        Home,
        Zone,
        Country,
        State,
        Attribute,
    }
    let mut reader = csv_reader(body);
    let headers = headers(&mut reader)?;
    let columns: Vec<Column> = headers
        .iter()
        .map(|h| match h.to_ascii_lowercase().as_str() {
            "id" => Column::Id,
            "mobilephone" => Column::Mobile,
            "businessphone" => Column::Business,
            "homephone" => Column::Home,
            "timezone" => Column::Zone,
            "country" => Column::Country,
            "stateorprovince" => Column::State,
            _ => Column::Attribute,
        })
        .collect();
    if !columns.iter().any(|c| matches!(c, Column::Id)) {
        return Err(ImportError::MissingColumn {
            column: "id",
            expected: CONTACT_COLUMNS,
        });
    }
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| row_error(&e))?;
        let line = line_of(&row);
        let mut contact = Contact::default();
        let mut attributes = BTreeMap::new();
        for ((header, column), cell) in headers.iter().zip(&columns).zip(row.iter()) {
            let value = (!cell.is_empty()).then(|| cell.to_owned());
            match column {
                Column::Id => contact.id = cell.to_owned(),
                Column::Mobile => contact.mobile_phone = value,
                Column::Business => contact.business_phone = value,
                Column::Home => contact.home_phone = value,
                Column::Zone => contact.time_zone = value,
                Column::Country => contact.country = value,
                Column::State => contact.state_or_province = value,
                Column::Attribute => {
                    if let Some(v) = value {
                        attributes.insert(header.clone(), Value::String(v));
                    }
                }
            }
        }
        let id_column = || {
            headers
                .iter()
                .find(|h| h.eq_ignore_ascii_case("id"))
                .cloned()
                .unwrap_or_else(|| "id".into())
        };
        if contact.id.is_empty() {
            return Err(ImportError::Cell {
                line,
                column: id_column(),
                message: "empty; every contact needs an id".into(),
            });
        }
        if let Some(first) = seen.insert(contact.id.clone(), line) {
            return Err(ImportError::Cell {
                line,
                column: id_column(),
                message: format!(
                    "{} is already on line {first}; ids must not repeat",
                    contact.id
                ),
            });
        }
        contact.attributes = attributes;
        out.push((line, contact));
    }
    Ok(out)
}

/// Consent records from a JSON array, or CSV with a header row: `contactPoint`, `channel`
/// (`voice`, `sms`, `email`, `custom`), `scope` (`purpose` or `topic`), `scopeId`, `status`
/// (`optedIn`, `optedOut`, `notSet`), `updatedAt` (RFC 3339) and optional `source` (matched
/// without regard to case).
pub fn consents(body: &[u8], format: Format) -> Result<Vec<ConsentRecord>, ImportError> {
    match format {
        Format::Json => serde_json::from_slice(without_bom(body)).map_err(|e| json_error(&e)),
        Format::Csv => Ok(consents_csv(without_bom(body))?
            .into_iter()
            .map(|(_, r)| r)
            .collect()),
    }
}

/// Consent records of a CSV file, each with its line.
fn consents_csv(body: &[u8]) -> Result<Vec<(u64, ConsentRecord)>, ImportError> {
    let mut reader = csv_reader(body);
    let headers = headers(&mut reader)?;
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let column = |name: &'static str| {
        find(name).ok_or(ImportError::MissingColumn {
            column: name,
            expected: CONSENT_COLUMNS,
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
    let source = find("source");
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| row_error(&e))?;
        let line = line_of(&row);
        let cell = |i: usize| row.get(i).unwrap_or("");
        let bad = |i: usize, message: String| ImportError::Cell {
            line,
            column: headers.get(i).cloned().unwrap_or_default(),
            message,
        };
        let required = |i: usize| {
            let value = cell(i);
            if value.is_empty() {
                Err(bad(i, "empty".into()))
            } else {
                Ok(value)
            }
        };
        let contact_point = required(point)?.to_owned();
        let channel_value: Channel = one_of(required(channel)?).ok_or_else(|| {
            bad(
                channel,
                format!("{} is not one of {CHANNELS}", cell(channel)),
            )
        })?;
        let status_value: ConsentStatus = one_of(required(status)?)
            .ok_or_else(|| bad(status, format!("{} is not one of {STATUSES}", cell(status))))?;
        let id = required(scope_id)?.to_owned();
        let scope_value = match required(scope)? {
            s if s.eq_ignore_ascii_case("purpose") => ConsentScope::Purpose { purpose_id: id },
            s if s.eq_ignore_ascii_case("topic") => ConsentScope::Topic { topic_id: id },
            other => {
                return Err(bad(scope, format!("{other} is neither purpose nor topic")));
            }
        };
        let updated_at: DateTime<Utc> = DateTime::parse_from_rfc3339(required(updated)?)
            .map_err(|e| {
                bad(
                    updated,
                    format!(
                        "{} is not an RFC 3339 instant such as 2026-10-01T09:00:00Z ({e})",
                        cell(updated)
                    ),
                )
            })?
            .with_timezone(&Utc);
        out.push((
            line,
            ConsentRecord {
                contact_point,
                channel: channel_value,
                scope: scope_value,
                status: status_value,
                updated_at,
                source: source.map(|i| cell(i).to_owned()).filter(|s| !s.is_empty()),
            },
        ));
    }
    Ok(out)
}

const CHANNELS: &str = "voice, sms, email or custom";
const STATUSES: &str = "optedIn, optedOut or notSet";

/// A camelCase enum value from a cell (`voice`, `optedIn`), if it is one.
fn one_of<T: for<'de> Deserialize<'de>>(cell: &str) -> Option<T> {
    serde_json::from_value(Value::from(cell)).ok()
}

/// Contacts with their consent records from one file: a JSON array of contacts, or
/// `{"contacts": [...], "consents": [...]}`; a CSV file holds contacts only.
pub fn contacts_with_consents(
    body: &[u8],
    format: Format,
) -> Result<(Vec<Contact>, Vec<ConsentRecord>), ImportError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WithConsents {
        contacts: Vec<Contact>,
        #[serde(default)]
        consents: Vec<ConsentRecord>,
    }
    match format {
        Format::Csv => Ok((
            contacts_csv(without_bom(body))?
                .into_iter()
                .map(|(_, c)| c)
                .collect(),
            Vec::new(),
        )),
        Format::Json => {
            let text = without_bom(body);
            match text.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => {
                    let file: WithConsents =
                        serde_json::from_slice(text).map_err(|e| json_error(&e))?;
                    check_json_ids(&file.contacts)?;
                    Ok((file.contacts, file.consents))
                }
                _ => Ok((contacts(text, Format::Json)?, Vec::new())),
            }
        }
    }
}

/// The text without a UTF-8 byte-order mark (spreadsheets write one).
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

mod warnings;

pub use warnings::{
    Checked, ImportWarning, consents_checked, contacts_checked, contacts_with_consents_checked,
    known_contact_points,
};

#[cfg(test)]
mod tests;
