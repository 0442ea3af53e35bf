//! The validator: every problem of a journey at once, each on its tile and field.
//!
//! Validation never fails: [`validate`] returns a list of [`Diagnostic`]s, each with a stable
//! code, a severity, the tile and field path it belongs to, and a sentence a marketer reads.
//! The list is in a stable order: journey-level problems first, then by tile order in the
//! document, then by field path (numeric parts compared as numbers).
//!
//! **Invariant:** validation is linear in the document's size (plus `O(n log n)` for the
//! dominator queries): the graph is indexed once (module `graph`), "before this tile on
//! every path" is a dominator query, and no rule enumerates paths.
//!
//! The codes live in one table ([`Code`]); what a condition may read and how it may compare
//! it lives in [`variables`], shared with the designer and the runtime.

mod branch;
mod codes;
mod dominators;
mod graph;
mod journey;
mod structure;
pub mod variables;
mod voice;
mod wait;

#[cfg(test)]
mod references_tests;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use codes::Code;

use graph::IdMap;

use crate::catalog::{Catalog, ComplianceProfile, Engagement, PurposeType, QuietTimeSetting};
use crate::document::{Channel, Duration, DurationUnit, Journey};

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// Worth a look; never blocks.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `voice.purpose-not-in-profile`. Never changes once published.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, example = "voice.purpose-not-in-profile")
    )]
    pub code: Code,
    /// Error or warning (fixed per code).
    pub severity: Severity,
    /// The tile it is on; `None` for journey-level problems.
    pub tile_id: Option<String>,
    /// The field within the tile (or journey), dotted with indices, e.g.
    /// `branches.1.conditions.0.value`; `None` for the tile as a whole.
    pub path: Option<String>,
    /// What is wrong, in plain language.
    pub message: String,
}

/// Validate a journey against a catalog: every problem at once.
///
/// Rules that need the current time (a "wait until" already past) are left to
/// [`validate_at`].
pub fn validate(journey: &Journey, catalog: &Catalog) -> Vec<Diagnostic> {
    run(journey, catalog, None, Freshness::Fresh)
}

/// How far the catalog's lists of segments and triggers can be trusted: a name missing from a
/// fresh list is an error; from a stale one (refreshed at the given time) only a warning, since
/// the segment or trigger may have been made since. The caller decides what is fresh (the
/// designer: refreshed within the last hour; see its `ops::lookups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Freshness {
    /// The lists are current.
    Fresh,
    /// The lists were last refreshed at this time.
    Stale {
        /// When they were refreshed.
        refreshed_at: DateTime<Utc>,
    },
}

/// [`validate`] with the freshness of the catalog's segment and trigger lists.
pub fn validate_with(
    journey: &Journey,
    catalog: &Catalog,
    freshness: Freshness,
) -> Vec<Diagnostic> {
    run(journey, catalog, None, freshness)
}

/// [`validate`], plus the rules that need the current time: a "wait until" time already
/// past at `now` (read in the journey's zone) is an error.
pub fn validate_at(journey: &Journey, catalog: &Catalog, now: DateTime<Utc>) -> Vec<Diagnostic> {
    run(journey, catalog, Some(now), Freshness::Fresh)
}

/// Whether any diagnostic is an error (publishing is then refused).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

fn run(
    journey: &Journey,
    catalog: &Catalog,
    now: Option<DateTime<Utc>>,
    freshness: Freshness,
) -> Vec<Diagnostic> {
    let graph = graph::Graph::build(journey);
    let mut ctx = Ctx {
        journey,
        catalog: CatalogIndex::new(catalog),
        now,
        freshness,
        report: Report::default(),
    };
    journey::check(&mut ctx);
    let analysis = structure::check(&mut ctx, &graph);
    for (i, tile) in journey.tiles.iter().enumerate() {
        voice::check_tile(&mut ctx, &graph, i, tile);
        wait::check_tile(&mut ctx, &graph, &analysis, i, tile);
        branch::check_tile(&mut ctx, &graph, &analysis, i, tile);
    }
    ctx.report.finish()
}

/// What every rule reads and writes.
pub(crate) struct Ctx<'a> {
    journey: &'a Journey,
    catalog: CatalogIndex<'a>,
    now: Option<DateTime<Utc>>,
    freshness: Freshness,
    report: Report,
}

impl Ctx<'_> {
    /// A journey-level problem.
    fn journey_problem(&mut self, code: Code, path: Option<&str>, message: String) {
        self.report
            .push(0, None, code, path.map(str::to_owned), message);
    }

    /// When `name` (a segment or trigger) is missing from a known `list`, report it on tile
    /// `index`: `unknown` (an error) when the list is fresh, `unverified` (a warning naming
    /// the refresh time) when it is stale.
    fn check_listed(
        &mut self,
        index: usize,
        listed: Option<bool>,
        (unknown, unverified): (Code, Code),
        path: String,
        what: &str,
        name: &str,
    ) {
        if listed != Some(false) {
            return;
        }
        let tile = tile_label(&self.journey.tiles[index]);
        match self.freshness {
            Freshness::Fresh => self.tile_problem(
                index,
                unknown,
                Some(path),
                format!("{tile} names {what} \"{name}\", which does not exist; choose one from the list."),
            ),
            Freshness::Stale { refreshed_at } => self.tile_problem(
                index,
                unverified,
                Some(path),
                format!(
                    "{tile} names {what} \"{name}\", which was not in the list refreshed at {}; refresh the catalog to check it.",
                    refreshed_at.format("%Y-%m-%d %H:%M UTC")
                ),
            ),
        }
    }

    /// A problem on the tile at `index`.
    fn tile_problem(&mut self, index: usize, code: Code, path: Option<String>, message: String) {
        let id = self.journey.tiles[index].id().to_owned();
        self.report.push(index + 1, Some(id), code, path, message);
    }
}

/// The catalog, indexed by id once.
pub(crate) struct CatalogIndex<'a> {
    catalog: &'a Catalog,
    engagements: IdMap<&'a str, &'a Engagement>,
    profiles: IdMap<&'a str, &'a ComplianceProfile>,
    settings: IdMap<&'a str, &'a QuietTimeSetting>,
    /// Longest quiet stretch per (setting, purpose type) for voice, computed once per run.
    stretches: IdMap<(&'a str, PurposeType), chrono::Duration>,
}

impl<'a> CatalogIndex<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        // The first entry with an id wins, as in `Catalog::engagement` and friends.
        let mut engagements = IdMap::default();
        for e in &catalog.engagements {
            engagements.entry(e.id.as_str()).or_insert(e);
        }
        let mut profiles = IdMap::default();
        for p in &catalog.compliance_profiles {
            profiles.entry(p.id.as_str()).or_insert(p);
        }
        let mut settings = IdMap::default();
        for s in &catalog.quiet_time_settings {
            settings.entry(s.id.as_str()).or_insert(s);
        }
        CatalogIndex {
            catalog,
            engagements,
            profiles,
            settings,
            stretches: Default::default(),
        }
    }

    fn engagement(&self, id: &str) -> Option<&'a Engagement> {
        self.engagements.get(id).copied()
    }

    fn profile(&self, id: &str) -> Option<&'a ComplianceProfile> {
        self.profiles.get(id).copied()
    }

    fn setting(&self, id: &str) -> Option<&'a QuietTimeSetting> {
        self.settings.get(id).copied()
    }

    /// Whether the catalog lists segment `id`; `None` when it lists no segments at all.
    fn has_segment(&self, id: &str) -> Option<bool> {
        let segments = self.catalog.segments.as_ref()?;
        Some(segments.iter().any(|s| s.id == id))
    }

    /// Whether the catalog lists trigger `name`; `None` when it lists no triggers at all.
    fn has_trigger(&self, name: &str) -> Option<bool> {
        let triggers = self.catalog.triggers.as_ref()?;
        Some(triggers.iter().any(|t| t.name == name))
    }

    /// The longest continuous quiet time of a setting for voice calls of a purpose type
    /// (the compliance engine's figure, cached: many tiles share few settings).
    fn longest_voice_quiet_stretch(
        &mut self,
        setting: &'a QuietTimeSetting,
        purpose_type: PurposeType,
    ) -> chrono::Duration {
        *self
            .stretches
            .entry((setting.id.as_str(), purpose_type))
            .or_insert_with(|| {
                crate::compliance::longest_quiet_stretch(setting, purpose_type, Channel::Voice)
            })
    }
}

/// Collected diagnostics with their sort key (0 = journey, tile index + 1 otherwise).
#[derive(Default)]
struct Report {
    items: Vec<(usize, Diagnostic)>,
}

impl Report {
    fn push(
        &mut self,
        order: usize,
        tile_id: Option<String>,
        code: Code,
        path: Option<String>,
        message: String,
    ) {
        self.items.push((
            order,
            Diagnostic {
                code,
                severity: code.severity(),
                tile_id,
                path,
                message,
            },
        ));
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        // Stable: problems on the same field keep the order the rules found them in.
        self.items.sort_by(|(a, da), (b, db)| {
            a.cmp(b)
                .then_with(|| compare_paths(da.path.as_deref(), db.path.as_deref()))
        });
        self.items.into_iter().map(|(_, d)| d).collect()
    }
}

/// Orders field paths: none first, then segment by segment, numbers as numbers.
fn compare_paths(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => {
            let mut left = a.split('.');
            let mut right = b.split('.');
            loop {
                match (left.next(), right.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                            (Ok(x), Ok(y)) => x.cmp(&y),
                            _ => x.cmp(y),
                        };
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                }
            }
        }
    }
}

/// Waits and time limits may not exceed 90 days (D12).
pub(crate) const MAX_WAIT_MINUTES: i64 = 90 * 24 * 60;

/// A duration in minutes (no overflow: amounts are `i32`).
pub(crate) fn minutes(duration: Duration) -> i64 {
    let per_unit = match duration.unit {
        DurationUnit::Minutes => 1,
        DurationUnit::Hours => 60,
        DurationUnit::Days => 24 * 60,
        DurationUnit::Weeks => 7 * 24 * 60,
    };
    i64::from(duration.amount) * per_unit
}

/// "3 days", "1 week".
fn describe(duration: Duration) -> String {
    let unit = match (duration.unit, duration.amount == 1) {
        (DurationUnit::Minutes, true) => "minute",
        (DurationUnit::Minutes, false) => "minutes",
        (DurationUnit::Hours, true) => "hour",
        (DurationUnit::Hours, false) => "hours",
        (DurationUnit::Days, true) => "day",
        (DurationUnit::Days, false) => "days",
        (DurationUnit::Weeks, true) => "week",
        (DurationUnit::Weeks, false) => "weeks",
    };
    format!("{} {unit}", duration.amount)
}

/// Names over this many characters are refused (D12).
pub(crate) const MAX_NAME_CHARS: usize = 150;

/// How a tile is called in messages: its name, else its kind.
fn tile_label(tile: &crate::document::Tile) -> String {
    use crate::document::Tile;
    if !tile.name().trim().is_empty() {
        return format!("\"{}\"", tile.name());
    }
    let kind = match tile {
        Tile::Start(_) => "start",
        Tile::VoiceConversation(_) => "voice conversation",
        Tile::WaitForTrigger(_) => "wait for trigger",
        Tile::AttributeBranch(_) => "attribute branch",
        Tile::WaitTime(_) => "wait time",
        Tile::Exit(_) => "exit",
    };
    format!("the unnamed {kind} tile")
}
