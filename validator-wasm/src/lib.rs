//! The journeys validator for the designer's page, compiled to WebAssembly
//! (`scripts/build-wasm.sh`): the page validates each edit synchronously, with the very same
//! rules the app validates with, so a tile's badge changes in the task that made the edit.
//!
//! A [`Validator`] keeps one journey ([`journeys::edit::Session`]): the journey whole once,
//! then each edit as a [`journeys::edit::JourneyPatch`], answered by the same
//! [`journeys::edit::ValidatedRevision`] JSON the app's `validate_edit` command answers.
//! Strings in, strings out: every answer is `{"status":"ok","data":…}` or
//! `{"status":"error","error":"…"}` (what the bindings' commands answer), never a panic.
//! The clock stays outside: the catalog's freshness comes in with the catalog.

use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

use journeys::catalog::{Catalog, CatalogError};
use journeys::document::Journey;
use journeys::edit::{JourneyPatch, Session, ValidatedRevision, ValidationEdit};
use journeys::validate::Freshness;

#[cfg(test)]
mod tests;

/// What the page sent that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog is not a catalog.
    #[error("the catalog is not valid: {0}")]
    Catalog(#[from] CatalogError),
    /// The freshness is not `{"kind":"fresh"}` or `{"kind":"stale","refreshedAt":…}`.
    #[error("the catalog's freshness is not valid: {0}")]
    Freshness(serde_json::Error),
    /// The journey is not a journey.
    #[error("the journey to validate is not valid: {0}")]
    Journey(serde_json::Error),
    /// The patch is not a patch.
    #[error("the edit to validate is not valid: {0}")]
    Patch(serde_json::Error),
}

/// The validator's state, free of JavaScript (tested natively).
#[derive(Debug)]
pub struct Core {
    session: Session,
    catalog: Catalog,
    freshness: Freshness,
}

impl Core {
    /// A validator of journeys against `catalog_json` with `freshness_json`.
    pub fn new(catalog_json: &str, freshness_json: &str) -> Result<Self, Error> {
        let (catalog, freshness) = read_context(catalog_json, freshness_json)?;
        Ok(Self {
            session: Session::default(),
            catalog,
            freshness,
        })
    }

    /// Validate against another catalog (or the same one, now stale) from now on; the next
    /// answer is best asked whole, since the kept problems were the old catalog's.
    pub fn set_catalog(&mut self, catalog_json: &str, freshness_json: &str) -> Result<(), Error> {
        (self.catalog, self.freshness) = read_context(catalog_json, freshness_json)?;
        Ok(())
    }

    /// Validate a journey whole: every tile's problems.
    pub fn whole(&mut self, journey_json: &str) -> Result<Option<ValidatedRevision>, Error> {
        let document: Journey = serde_json::from_str(journey_json).map_err(Error::Journey)?;
        Ok(self.session.validate(
            ValidationEdit::Whole { document },
            &self.catalog,
            self.freshness,
        ))
    }

    /// Validate an edit of the kept journey: the tiles whose problems changed; `None` when the
    /// patch's base is not the kept revision (validate the journey whole).
    pub fn patch(&mut self, patch_json: &str) -> Result<Option<ValidatedRevision>, Error> {
        let patch: JourneyPatch = serde_json::from_str(patch_json).map_err(Error::Patch)?;
        Ok(self
            .session
            .validate(ValidationEdit::Patch(patch), &self.catalog, self.freshness))
    }
}

fn read_context(catalog_json: &str, freshness_json: &str) -> Result<(Catalog, Freshness), Error> {
    let catalog = Catalog::from_json(catalog_json)?;
    let freshness = serde_json::from_str(freshness_json).map_err(Error::Freshness)?;
    Ok((catalog, freshness))
}

/// `{"status":"ok","data":…}` or `{"status":"error","error":"…"}`.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
enum Answer<T> {
    Ok { data: T },
    Error { error: String },
}

/// The JSON answer for `result`.
pub fn answer<T: Serialize>(result: Result<T, Error>) -> String {
    let answer = match result {
        Ok(data) => Answer::Ok { data },
        Err(e) => Answer::Error {
            error: e.to_string(),
        },
    };
    serde_json::to_string(&answer).unwrap_or_else(|e| {
        serde_json::json!({ "status": "error", "error": format!("the answer could not be written: {e}") })
            .to_string()
    })
}

/// The page's validator of one open journey.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Validator(Option<Core>);

#[wasm_bindgen]
impl Validator {
    /// A validator; until a catalog is read, each call answers why not.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self(None)
    }

    /// Validate against `catalog_json` with `freshness_json` from now on: `data` null, or the error.
    #[wasm_bindgen(js_name = setCatalog)]
    pub fn set_catalog(&mut self, catalog_json: &str, freshness_json: &str) -> String {
        answer(match &mut self.0 {
            Some(core) => core.set_catalog(catalog_json, freshness_json),
            None => Core::new(catalog_json, freshness_json).map(|core| {
                self.0 = Some(core);
            }),
        })
    }

    /// Validate a journey whole; `data` is the `ValidatedRevision`.
    pub fn whole(&mut self, journey_json: &str) -> String {
        match &mut self.0 {
            Some(core) => answer(core.whole(journey_json)),
            None => no_catalog(),
        }
    }

    /// Validate an edit of the kept journey; `data` is the `ValidatedRevision`, or null when
    /// the patch's base is not the kept revision.
    pub fn patch(&mut self, patch_json: &str) -> String {
        match &mut self.0 {
            Some(core) => answer(core.patch(patch_json)),
            None => no_catalog(),
        }
    }
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}

fn no_catalog() -> String {
    serde_json::json!({ "status": "error", "error": "the validator has no catalog yet" })
        .to_string()
}
