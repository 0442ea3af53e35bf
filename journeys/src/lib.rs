//! Switchboard's pure domain: journey documents, the catalog, the validator, consent and
//! quiet time, the step interpreter and test runs.
//!
//! **Invariant:** nothing here reads a clock, draws randomness or touches disk or network.
//! Time-dependent functions take `now`; the runtime, the designer and the command line pass
//! it in. Every rule of the domain lives in this crate and every front end calls it.
//!
//! ```
//! use journeys::{catalog::Catalog, document::Journey, validate::validate};
//!
//! let journey = Journey::new("j1", "", "America/Chicago");
//! let problems = validate(&journey, &Catalog::default());
//! assert!(problems.iter().any(|d| d.code.as_str() == "journey.name-missing"));
//! ```
#![deny(missing_docs)]

pub mod catalog;
pub mod compliance;
pub mod conditions;
pub mod contact;
pub mod designer_rules;
pub mod diff;
pub mod document;
pub mod edit;
pub mod import;
pub mod lifecycle;
pub mod limits;
pub mod outline;
pub mod simulate;
pub mod step;
pub mod validate;
