//! Test runs: simulate contacts through a draft in virtual time, in memory.
//!
//! [`simulate`] drives the same step interpreter ([`crate::step::step`]) and therefore the
//! same [`crate::compliance::decide_call`] the runtime uses; it adds only a contact center
//! that answers from an [`OutcomeModel`] and a discrete-event loop over virtual time. Nothing
//! is persisted (a test run needs no durability), which is what makes 100,000 contacts take
//! seconds. Contacts never share state (each run has its own consent records, and opt-outs
//! are per number), so every contact runs its own queue of due wakes and results and the
//! counts are merged afterwards; splitting the audience over threads gives the same answer
//! as one thread.
//!
//! Every draw is a pure function of (seed, contact id or call key): the same inputs give the
//! same result on every machine, whatever the number of threads.
//!
//! ```
//! use journeys::{catalog::Catalog, document::*};
//! use journeys::simulate::{SimulatedAudience, Control, GeneratedAudience, SimulationSpec, simulate};
//!
//! let mut journey = Journey::new("j1", "Welcome", "UTC");
//! journey.tiles.push(Tile::Exit(ExitTile { id: "end".into(), name: String::new() }));
//! journey.connections.push(Connection { from: "start".into(), output: OUTPUT_NEXT.into(), to: "end".into() });
//! let spec = SimulationSpec {
//!     audience: SimulatedAudience::Generated(GeneratedAudience { count: 10, ..GeneratedAudience::default() }),
//!     ..SimulationSpec::default()
//! };
//! let result = simulate(&journey, &Catalog::default(), &spec, &Control::default()).unwrap();
//! assert_eq!(result.tiles["end"].entered, 10);
//! ```

mod model;
pub mod outcomes;
mod run;
pub use model::OutcomeModel;
pub use run::dial_at;
#[cfg(test)]
mod tests;
mod trace;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::catalog::Catalog;
use crate::contact::{ConsentRecord, ConsentStatus, Contact};
use crate::document::Journey;
use outcomes::Weighted;

pub use trace::{ContactTrace, TraceStep};

/// The largest audience a test run takes.
pub const MAX_CONTACTS: u32 = 2_000_000;

/// Contacts between two progress reports and cancellation checks.
pub const CHECK_EVERY: u32 = 256;

/// Who goes through the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SimulatedAudience {
    /// Contacts made up from mixes.
    Generated(GeneratedAudience),
    /// Given contacts and consent records (e.g. imported from a file).
    Explicit {
        /// The contacts.
        contacts: Vec<Contact>,
        /// Their consent records.
        #[serde(default)]
        consents: Vec<ConsentRecord>,
        /// Where they came from, for people (e.g. the file names).
        #[serde(default)]
        source: Option<String>,
    },
}

/// Made-up contacts: every value is drawn from (seed, contact id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct GeneratedAudience {
    /// How many contacts.
    pub count: u32,
    /// Contact zones; `None` means no zone on the contact (the journey's applies).
    pub time_zones: Vec<Weighted<Option<String>>>,
    /// Consent for every purpose and topic the journey calls for.
    pub consent: Vec<Weighted<ConsentStatus>>,
    /// Percent of contacts without a phone number (0–100).
    pub missing_phone_percent: u32,
}

impl Default for GeneratedAudience {
    fn default() -> Self {
        let zone = |z: &str, w| Weighted::new(Some(z.to_owned()), w);
        GeneratedAudience {
            count: 1000,
            time_zones: vec![
                zone("America/New_York", 40),
                zone("America/Chicago", 25),
                zone("America/Denver", 10),
                zone("America/Los_Angeles", 25),
            ],
            consent: vec![
                Weighted::new(ConsentStatus::OptedIn, 80),
                Weighted::new(ConsentStatus::NotSet, 15),
                Weighted::new(ConsentStatus::OptedOut, 5),
            ],
            missing_phone_percent: 5,
        }
    }
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SimulationSpec {
    /// Who.
    pub audience: SimulatedAudience,
    /// How calls turn out.
    #[serde(default)]
    pub outcomes: OutcomeModel,
    /// When every contact enters the journey.
    pub start: DateTime<Utc>,
    /// Seed of every draw.
    pub seed: u64,
    /// Keep the explained path of at most this many contacts (the first ones); `None` keeps all.
    #[serde(default)]
    pub trace_limit: Option<u32>,
}

impl Default for SimulationSpec {
    fn default() -> Self {
        SimulationSpec {
            audience: SimulatedAudience::Generated(GeneratedAudience::default()),
            outcomes: OutcomeModel::default(),
            start: DateTime::UNIX_EPOCH,
            seed: 1,
            trace_limit: None,
        }
    }
}

/// How far a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Contacts finished.
    pub done: u32,
    /// Contacts in all.
    pub total: u32,
}

/// Cancellation and progress, checked every [`CHECK_EVERY`] contacts.
#[derive(Default)]
pub struct Control<'a> {
    /// Set it to stop the run; [`simulate`] then answers [`SimulateError::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
    /// Called with the progress (from any worker thread).
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// Worker threads; 0 or 1 runs on the calling thread.
    pub threads: usize,
}

/// Why a test run gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimulateError {
    /// Cancelled through [`Control::cancel`].
    #[error("the test run was cancelled")]
    Cancelled,
    /// A worker thread stopped without an answer.
    #[error("a test-run worker stopped unexpectedly")]
    WorkerFailed,
    /// More contacts than [`MAX_CONTACTS`].
    #[error("the audience has {0} contacts; a test run takes at most {MAX_CONTACTS}")]
    AudienceTooLarge(usize),
}

/// Counts of one tile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedTileCounts {
    /// Contacts that entered.
    pub entered: u32,
    /// Call requests sent.
    pub sent: u32,
    /// Times a call was held by quiet time.
    pub held: u32,
    /// Release instants of those holds, with how many were held until each, by the zone the
    /// contact's quiet time was read in (so each reads as the contact's local time).
    pub held_until: HeldUntil,
    /// Blocked calls by reason code (`CONSENT_PURPOSE_NOT_OPTED_IN`, …).
    pub blocked: BTreeMap<String, u32>,
    /// Calls attempted, by result.
    pub attempted: BTreeMap<String, u32>,
    /// Calls not attempted, by result.
    pub not_attempted: BTreeMap<String, u32>,
    /// Contacts that left by each branch (`other` included).
    pub branches: BTreeMap<String, u32>,
    /// Runs that ended on this tile.
    pub completed: u32,
}

impl SimulatedTileCounts {
    fn merge(&mut self, other: SimulatedTileCounts) {
        self.entered += other.entered;
        self.sent += other.sent;
        self.held += other.held;
        self.completed += other.completed;
        add_held(&mut self.held_until, other.held_until);
        add_all(&mut self.blocked, other.blocked);
        add_all(&mut self.attempted, other.attempted);
        add_all(&mut self.not_attempted, other.not_attempted);
        add_all(&mut self.branches, other.branches);
    }
}

fn add_all<K: Ord>(into: &mut BTreeMap<K, u32>, from: BTreeMap<K, u32>) {
    for (k, n) in from {
        *into.entry(k).or_insert(0) += n;
    }
}

/// Release instants of holds and how many were held until each, by IANA zone: the zone the
/// contact's quiet time was read in (its own, else the journey's).
pub type HeldUntil = BTreeMap<String, BTreeMap<DateTime<Utc>, u32>>;

fn add_held(into: &mut HeldUntil, from: HeldUntil) {
    for (zone, instants) in from {
        add_all(into.entry(zone).or_default(), instants);
    }
}

fn count_held(into: &mut HeldUntil, zone: &str, until: DateTime<Utc>) {
    // Look the zone up by `&str` first: a hold is counted per contact, a zone is new rarely.
    let instants = match into.get_mut(zone) {
        Some(instants) => instants,
        None => into.entry(zone.to_owned()).or_default(),
    };
    *instants.entry(until).or_insert(0) += 1;
}

/// How many contacts took one connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EdgeCount {
    /// The tile left.
    pub from: String,
    /// Its output (`next`, a branch id, or `other`).
    pub output: String,
    /// The tile entered.
    pub to: String,
    /// How many.
    pub count: u32,
}

/// What would happen on one voice tile if every contact reached it at the start instant.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TileForecast {
    /// The voice tile.
    pub tile: String,
    /// Its name.
    pub name: String,
    /// Called at once.
    pub call_now: u32,
    /// Held by quiet time.
    pub held: u32,
    /// Release instants of those holds, by the contact's zone.
    pub held_until: HeldUntil,
    /// Blocked, by reason code.
    pub blocked: BTreeMap<String, u32>,
}

impl TileForecast {
    fn merge(&mut self, other: TileForecast) {
        self.call_now += other.call_now;
        self.held += other.held;
        add_held(&mut self.held_until, other.held_until);
        add_all(&mut self.blocked, other.blocked);
    }
}

/// The result of a test run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResult {
    /// Contacts simulated.
    pub contacts: u32,
    /// The seed used.
    pub seed: u64,
    /// When contacts entered.
    pub start: DateTime<Utc>,
    /// The virtual instant of the last thing that happened.
    pub finished_at: DateTime<Utc>,
    /// Counts per tile id.
    pub tiles: BTreeMap<String, SimulatedTileCounts>,
    /// Counts per connection taken.
    pub edges: Vec<EdgeCount>,
    /// Calls dialled per hour of the day, in the zone quiet time used for the contact.
    pub calls_by_local_hour: Vec<u32>,
    /// How runs ended, by reason (`exitTile`, `unconnectedOutput`, …).
    pub exits: BTreeMap<String, u32>,
    /// Every voice tile, if all contacts reached it at the start instant (no outcomes).
    pub forecast: Vec<TileForecast>,
    /// Explained paths (see [`SimulationSpec::trace_limit`]).
    pub traces: Vec<ContactTrace>,
}

impl SimulationResult {
    fn merge(&mut self, other: SimulationResult) {
        self.contacts += other.contacts;
        self.finished_at = self.finished_at.max(other.finished_at);
        for (tile, counts) in other.tiles {
            self.tiles.entry(tile).or_default().merge(counts);
        }
        for edge in other.edges {
            match self
                .edges
                .iter_mut()
                .find(|e| e.from == edge.from && e.output == edge.output)
            {
                Some(known) => known.count += edge.count,
                None => self.edges.push(edge),
            }
        }
        for (hour, n) in self
            .calls_by_local_hour
            .iter_mut()
            .zip(other.calls_by_local_hour)
        {
            *hour += n;
        }
        add_all(&mut self.exits, other.exits);
        for forecast in other.forecast {
            match self.forecast.iter_mut().find(|f| f.tile == forecast.tile) {
                Some(known) => known.merge(forecast),
                None => self.forecast.push(forecast),
            }
        }
        self.traces.extend(other.traces);
    }
}

/// Run a test run of `journey`. Pure: same arguments, same result (threads included).
pub fn simulate(
    journey: &Journey,
    catalog: &Catalog,
    spec: &SimulationSpec,
    control: &Control<'_>,
) -> Result<SimulationResult, SimulateError> {
    let total = match &spec.audience {
        SimulatedAudience::Generated(g) => g.count,
        SimulatedAudience::Explicit { contacts, .. } => u32::try_from(contacts.len())
            .map_err(|_| SimulateError::AudienceTooLarge(contacts.len()))?,
    };
    if total > MAX_CONTACTS {
        return Err(SimulateError::AudienceTooLarge(total as usize));
    }
    let engine = run::Engine::new(journey, catalog, spec);
    let threads = u32::try_from(control.threads.max(1))
        .unwrap_or(1)
        .min(total.max(1));
    let done = AtomicU32::new(0);
    let chunk = total.div_ceil(threads).max(1);
    let ranges: Vec<(u32, u32)> = (0..threads)
        .map(|t| (t * chunk, ((t + 1) * chunk).min(total)))
        .filter(|(a, b)| a < b)
        .collect();
    let run_range = |(from, to): (u32, u32)| -> Result<SimulationResult, SimulateError> {
        let mut part = engine.empty_result();
        let mut i = from;
        while i < to {
            let end = (i + CHECK_EVERY).min(to);
            if control.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(SimulateError::Cancelled);
            }
            for index in i..end {
                engine.run_contact(index, &mut part);
            }
            let finished = done.fetch_add(end - i, Ordering::Relaxed) + (end - i);
            if let Some(progress) = control.progress {
                progress(Progress {
                    done: finished,
                    total,
                });
            }
            i = end;
        }
        Ok(part)
    };
    let parts: Vec<Result<SimulationResult, SimulateError>> = if ranges.len() <= 1 {
        ranges.iter().copied().map(run_range).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .iter()
                .copied()
                .map(|r| scope.spawn(move || run_range(r)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(SimulateError::WorkerFailed)))
                .collect()
        })
    };
    let mut result = engine.empty_result();
    for part in parts {
        result.merge(part?);
    }
    if control.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(SimulateError::Cancelled);
    }
    result
        .edges
        .sort_by(|a, b| (&a.from, &a.output).cmp(&(&b.from, &b.output)));
    Ok(result)
}
