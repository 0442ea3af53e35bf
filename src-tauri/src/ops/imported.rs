//! The contacts (and consent) last imported into a runtime from this app, kept per runtime:
//! the publish review's audience when the draft has no test run ("the last test-run audience,
//! else the imported contacts, else a generated sample"). Contacts imported into a served
//! runtime by other means (its HTTP API) are not seen here.

use std::path::Path;

use journeys::contact::{ConsentRecord, Contact};
use journeys::import;
use serde::de::DeserializeOwned;

use super::publish::read_file;
use super::{Db, OpsError, Result};
use crate::storage::StorageError;

/// What was last imported into one runtime.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAudience {
    /// The contacts of the last contacts file.
    pub contacts: Vec<Contact>,
    /// The records of the last consent file.
    pub consents: Vec<ConsentRecord>,
    /// The files' names, for people.
    pub source: String,
}

fn key(what: &str, target: &str) -> String {
    format!("imported.{what}.{target}")
}

fn file_name(path: &str) -> String {
    Path::new(path.trim())
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Keep what was just imported into `target` (a runtime's label): a file given replaces the
/// kept contacts or consent; one not given leaves them.
pub fn remember_import(
    db: &Db,
    target: &str,
    contacts_path: Option<&str>,
    consents_path: Option<&str>,
) -> Result<()> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        OpsError::InvalidInput(format!("The {what} file cannot be read: {e}"))
    };
    if let Some(path) = contacts_path.filter(|p| !p.trim().is_empty()) {
        let (body, format) = read_file(path, "contacts")?;
        let contacts = import::contacts(&body, format).map_err(|e| bad("contacts", &e))?;
        let json = serde_json::to_string(&contacts).map_err(StorageError::from)?;
        db.set_setting(&key("contacts", target), &json)?;
        db.set_setting(&key("contactsFile", target), &file_name(path))?;
    }
    if let Some(path) = consents_path.filter(|p| !p.trim().is_empty()) {
        let (body, format) = read_file(path, "consent")?;
        let consents = import::consents(&body, format).map_err(|e| bad("consent", &e))?;
        let json = serde_json::to_string(&consents).map_err(StorageError::from)?;
        db.set_setting(&key("consents", target), &json)?;
        db.set_setting(&key("consentsFile", target), &file_name(path))?;
    }
    Ok(())
}

fn kept<T: DeserializeOwned>(db: &Db, key: &str) -> Result<Vec<T>> {
    match db.setting(key)? {
        Some(json) if !json.is_empty() => {
            Ok(serde_json::from_str(&json).map_err(StorageError::from)?)
        }
        _ => Ok(Vec::new()),
    }
}

/// The contacts last imported into `target` with their consent; none when no contacts were.
pub fn imported_audience(db: &Db, target: &str) -> Result<Option<ImportedAudience>> {
    let contacts: Vec<Contact> = kept(db, &key("contacts", target))?;
    if contacts.is_empty() {
        return Ok(None);
    }
    let consents: Vec<ConsentRecord> = kept(db, &key("consents", target))?;
    let files: Vec<String> = [key("contactsFile", target), key("consentsFile", target)]
        .iter()
        .filter_map(|k| db.setting(k).transpose())
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(ImportedAudience {
        contacts,
        consents,
        source: files.join(", "),
    }))
}
