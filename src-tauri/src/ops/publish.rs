//! Publish a draft to the runtime, pause, resume or stop it, read its live counts, import
//! contacts and consent.

use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::compliance::ContactPoint;
use journeys::import::{self, Format, ImportWarning, known_contact_points};
use journeys::validate::{Severity, validate};
use runtime::storage::VersionAction;

use super::catalog::current_catalog;
use super::runtime::{LiveCounts, RuntimeClient};
use super::{Db, OpsError, Result};
use crate::storage::{DraftBase, DraftSummary, LiveVersion};

/// The answer to a publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PublishOutcome {
    /// The journey's list entry, with its live version.
    pub summary: DraftSummary,
    /// False when the live version already was this journey (or only took its new name).
    pub created: bool,
    /// True when only the name changed: the live version took it in place.
    pub renamed: bool,
}

/// Publish the saved draft `id`: validate against the cached catalog (errors → refused with
/// the diagnostics, nothing sent), upload, and record the live version on the draft row. The
/// runtime decides what a publish over a live version does ([`journeys::lifecycle`]): a
/// running one-time journey refuses changes other than its name. On any failure the draft is
/// untouched. A new version records `computer` (this computer's name) as where it came from.
pub fn publish_journey(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    computer: &str,
) -> Result<PublishOutcome> {
    let draft = db.draft(id)?;
    // Check against what the runtime will check against: its own catalog and segments, so a
    // publish never fails on something validation could have said. The cache serves when
    // the runtime cannot say (it is then refused by the runtime's own answer below).
    let catalog = match runtime.catalog_with_segments() {
        Ok(catalog) => catalog,
        Err(_) => current_catalog(db)?,
    };
    let diagnostics = validate(&draft.document, &catalog);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(OpsError::Invalid(diagnostics));
    }
    let published = runtime.publish(&draft.document, computer)?;
    let summary = db.set_live_version(
        id,
        &LiveVersion {
            number: published.version.number,
            state: published.version.state.to_string(),
            target: runtime.label(),
        },
    )?;
    // The version this draft now is, for the next review's "published elsewhere" check.
    db.set_draft_base(
        id,
        &DraftBase {
            number: published.version.number,
            target: runtime.label(),
        },
    )?;
    Ok(PublishOutcome {
        summary,
        created: published.created,
        renamed: published.renamed,
    })
}

/// Counts of the journey's live version on the runtime it was published to; `None` when it
/// was never published there. The version's state on the draft row follows the runtime's.
pub fn live_counts(db: &Db, runtime: &RuntimeClient, id: &str) -> Result<Option<LiveCounts>> {
    let Some(live) = db.draft_summary(id)?.live else {
        return Ok(None);
    };
    if live.target != runtime.label() {
        return Ok(None);
    }
    let counts = LiveCounts::from(runtime.counts(id, live.number)?);
    if counts.state != live.state {
        db.set_live_version(
            id,
            &LiveVersion {
                state: counts.state.clone(),
                ..live
            },
        )?;
    }
    Ok(Some(counts))
}

/// What the marketer asks of a live journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LiveAction {
    /// No new entries; contacts wait before their next call.
    Pause,
    /// Carry on after a pause.
    Resume,
    /// Final: contacts leave the journey and calls not yet sent are cancelled.
    Stop,
}

/// Pause, resume or stop the journey's published version on the runtime it was published
/// to, and record its new state on the draft row.
pub fn change_live_state(
    db: &Db,
    runtime: &RuntimeClient,
    id: &str,
    action: LiveAction,
) -> Result<DraftSummary> {
    let Some(live) = db.draft_summary(id)?.live else {
        return Err(OpsError::InvalidInput(
            "This journey has not been published, so there is nothing to pause or stop.".into(),
        ));
    };
    if live.target != runtime.label() {
        return Err(OpsError::InvalidInput(format!(
            "This journey was published to {}, not to the runtime chosen in Settings; switch back \
             to it to pause or stop the journey.",
            if live.target == "embedded" {
                "the built-in runtime"
            } else {
                live.target.as_str()
            }
        )));
    }
    let action = match action {
        LiveAction::Pause => VersionAction::Pause,
        LiveAction::Resume => VersionAction::Resume,
        LiveAction::Stop => VersionAction::Stop,
    };
    let version = runtime.set_version_state(id, live.number, action)?;
    Ok(db.set_live_version(
        id,
        &LiveVersion {
            state: version.state.to_string(),
            ..live
        },
    )?)
}

/// What an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// Contacts imported.
    pub contacts: u32,
    /// Consent records imported.
    pub consents: u32,
    /// What the runtime cannot use: bad numbers, unknown zones (contacts file), consent for
    /// numbers no contact has (consent file), row by row.
    pub warnings: Vec<ImportWarning>,
}

/// A contacts or consent file's bytes and format (from its name and content).
pub(super) fn read_file(path: &str, what: &str) -> Result<(Vec<u8>, Format)> {
    let path = path.trim();
    let body = std::fs::read(path)
        .map_err(|e| OpsError::InvalidInput(format!("Cannot read the {what} file {path}: {e}")))?;
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = Format::detect(&name, &body);
    Ok((body, format))
}

/// Import a contacts file and/or a consent file (CSV or JSON, see [`Format::detect`]) into the
/// runtime. Consent goes first so no contact is enrolled before its consent is known; the
/// contacts are listed in `segment` when given.
pub fn import_contacts(
    runtime: &RuntimeClient,
    contacts_path: Option<&str>,
    consents_path: Option<&str>,
    segment: Option<&str>,
) -> Result<ImportSummary> {
    let contacts_path = contacts_path.filter(|p| !p.trim().is_empty());
    let consents_path = consents_path.filter(|p| !p.trim().is_empty());
    if contacts_path.is_none() && consents_path.is_none() {
        return Err(OpsError::InvalidInput(
            "Choose a contacts file, a consent file, or both.".into(),
        ));
    }
    let mut summary = ImportSummary {
        contacts: 0,
        consents: 0,
        warnings: Vec::new(),
    };
    if let Some(path) = consents_path {
        let (body, format) = read_file(path, "consent")?;
        let report = runtime.import_consents(&body, format)?;
        summary.consents = u32::try_from(report.imported).unwrap_or(u32::MAX);
        summary.warnings.extend(report.warnings);
    }
    if let Some(path) = contacts_path {
        let (body, format) = read_file(path, "contacts")?;
        let segment = segment.map(str::trim).filter(|s| !s.is_empty());
        let report = runtime.import_contacts(&body, format, segment)?;
        summary.contacts = u32::try_from(report.imported).unwrap_or(u32::MAX);
        // Consent went first: numbers these contacts have are no longer anyone's.
        if let Ok(contacts) = import::contacts(&body, format) {
            let known = known_contact_points(&contacts);
            summary.warnings.retain(|w| {
                w.contact_id.is_some()
                    || !ContactPoint::parse(Some(&w.value))
                        .is_ok_and(|p| known.contains(p.as_str()))
            });
        }
        summary.warnings.extend(report.warnings);
    }
    Ok(summary)
}
