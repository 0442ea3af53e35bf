//! What an import can read but not use: phone numbers that are not valid E.164 numbers
//! (checked with libphonenumber's metadata, the `phonenumber` crate), zones that are not IANA
//! names, consent records for contact points no contact has. Each is reported with its row
//! and column; the caller decides whether to import anyway or refuse (`strict`).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::{
    Format, ImportError, consents, consents_csv, contacts, contacts_csv, contacts_with_consents,
    without_bom,
};
use crate::compliance::ContactPoint;
use crate::contact::{ConsentRecord, Contact};

/// One value of an import that the runtime cannot use as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportWarning {
    /// The CSV file's line, or the 1-based position in a JSON list.
    pub row: u32,
    /// The contact's id, on a contacts import.
    pub contact_id: Option<String>,
    /// The column (field) holding the value.
    pub column: String,
    /// The value as given.
    pub value: String,
    /// What is wrong with it and what that means for calls.
    pub message: String,
}

/// Parsed items with the warnings about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T> {
    /// Everything the file holds, in order.
    pub items: Vec<T>,
    /// What of it cannot be used, in file order.
    pub warnings: Vec<ImportWarning>,
}

/// [`contacts`] with a warning for every phone number that is not a valid number in E.164
/// form and every zone that is not an IANA name.
pub fn contacts_checked(body: &[u8], format: Format) -> Result<Checked<Contact>, ImportError> {
    let rows: Vec<(u64, Contact)> = match format {
        Format::Csv => contacts_csv(without_bom(body))?,
        Format::Json => numbered(contacts(body, format)?),
    };
    let mut warnings = Vec::new();
    for (row, contact) in &rows {
        check_contact(*row, contact, &mut warnings);
    }
    Ok(Checked {
        items: rows.into_iter().map(|(_, c)| c).collect(),
        warnings,
    })
}

/// [`consents`] with a warning for every record whose contact point is not a phone number
/// or is not in `known` (the normalised numbers of the contacts there are; see
/// [`known_contact_points`]).
pub fn consents_checked(
    body: &[u8],
    format: Format,
    known: &HashSet<String>,
) -> Result<Checked<ConsentRecord>, ImportError> {
    let rows: Vec<(u64, ConsentRecord)> = match format {
        Format::Csv => consents_csv(without_bom(body))?,
        Format::Json => numbered(consents(body, format)?),
    };
    Ok(check_consents(rows, known))
}

/// [`contacts_with_consents`] with warnings: the contacts as [`contacts_checked`] reports
/// them, and the consent records a JSON file holds beside them as [`consents_checked`] does,
/// against the numbers of the file's own contacts. A CSV file holds contacts only.
pub fn contacts_with_consents_checked(
    body: &[u8],
    format: Format,
) -> Result<(Checked<Contact>, Checked<ConsentRecord>), ImportError> {
    let (contacts, records) = match format {
        Format::Csv => {
            let none = Checked {
                items: Vec::new(),
                warnings: Vec::new(),
            };
            return Ok((contacts_checked(body, format)?, none));
        }
        Format::Json => contacts_with_consents(body, format)?,
    };
    let mut warnings = Vec::new();
    for (row, contact) in (1u64..).zip(&contacts) {
        check_contact(row, contact, &mut warnings);
    }
    let known = known_contact_points(&contacts);
    let records = check_consents(numbered(records), &known);
    Ok((
        Checked {
            items: contacts,
            warnings,
        },
        records,
    ))
}

fn check_consents(
    rows: Vec<(u64, ConsentRecord)>,
    known: &HashSet<String>,
) -> Checked<ConsentRecord> {
    let mut warnings = Vec::new();
    for (row, record) in &rows {
        let message = match ContactPoint::parse(Some(&record.contact_point)) {
            Err(_) => "is not a phone number; no call can use this consent record",
            Ok(point) if !known.contains(point.as_str()) => {
                "belongs to no contact; it is stored and applies once a contact has this number"
            }
            Ok(_) => continue,
        };
        warnings.push(ImportWarning {
            row: row_number(*row),
            contact_id: None,
            column: "contactPoint".into(),
            value: record.contact_point.clone(),
            message: format!("{} {message}", record.contact_point),
        });
    }
    Checked {
        items: rows.into_iter().map(|(_, r)| r).collect(),
        warnings,
    }
}

/// The normalised contact points (E.164 numbers) of every phone field of `contacts`.
pub fn known_contact_points<'a>(
    contacts: impl IntoIterator<Item = &'a Contact>,
) -> HashSet<String> {
    contacts
        .into_iter()
        .flat_map(|c| [&c.mobile_phone, &c.business_phone, &c.home_phone])
        .filter_map(|phone| ContactPoint::parse(phone.as_deref()).ok())
        .map(|point| point.as_str().to_owned())
        .collect()
}

fn numbered<T>(items: Vec<T>) -> Vec<(u64, T)> {
    (1u64..).zip(items).collect()
}

fn row_number(row: u64) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

fn check_contact(row: u64, contact: &Contact, warnings: &mut Vec<ImportWarning>) {
    let mut warn = |column: &str, value: &str, message: String| {
        warnings.push(ImportWarning {
            row: row_number(row),
            contact_id: Some(contact.id.clone()),
            column: column.into(),
            value: value.into(),
            message,
        });
    };
    for (column, phone) in [
        ("mobilePhone", &contact.mobile_phone),
        ("businessPhone", &contact.business_phone),
        ("homePhone", &contact.home_phone),
    ] {
        let Some(raw) = phone.as_deref().filter(|p| !p.trim().is_empty()) else {
            continue;
        };
        if let Some(problem) = phone_problem(raw) {
            let consequence = if ContactPoint::parse(Some(raw)).is_ok() {
                "the contact center will not reach it"
            } else {
                "calls to it are blocked"
            };
            warn(column, raw, format!("{raw} {problem}; {consequence}"));
        }
    }
    if let Some(zone) = contact.time_zone.as_deref().filter(|z| !z.is_empty())
        && zone.parse::<chrono_tz::Tz>().is_err()
    {
        warn(
            "timeZone",
            zone,
            format!(
                "{zone} is not a time zone (an IANA name such as America/Chicago); quiet time uses the journey's zone for this contact"
            ),
        );
    }
}

/// Why a phone number is not a valid E.164 number, if it is not.
fn phone_problem(raw: &str) -> Option<&'static str> {
    if !raw.trim_start().starts_with('+') {
        return Some("is not in E.164 form (+, country code, number)");
    }
    match phonenumber::parse(None, raw) {
        Err(_) => Some("is not a phone number"),
        Ok(number) if !phonenumber::is_valid(&number) => {
            Some("is not a valid number for its country code")
        }
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests;
