//! `journeys simulate FILE --catalog FILE --contacts N|FILE --seed S [--start RFC3339]
//! [--outcomes FILE] [--trace CONTACT] [--format text|json]` (issue 6): a test run of a
//! draft in virtual time.
//!
//! Exit status: 0 when the run finished, 2 when an input cannot be read or parsed, the
//! journey has validation errors, or an argument is out of range.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use journeys::catalog::Catalog;
use journeys::contact::{ConsentRecord, Contact};
use journeys::document::{Journey, MAX_DOCUMENT_BYTES, Tile, parse_journey};
use journeys::simulate::{
    Control, GeneratedAudience, MAX_CONTACTS, OutcomeModel, SimulatedAudience, SimulationResult,
    SimulationSpec, simulate,
};
use journeys::validate::{Severity, validate_at};
use serde::Deserialize;

/// Contacts files may be larger than journey documents.
const MAX_CONTACTS_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Arguments of `journeys simulate`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The journey draft (`*.journey.json`).
    file: PathBuf,
    /// The catalog it refers to.
    #[arg(long)]
    catalog: PathBuf,
    /// A number of generated contacts, or a JSON file: an array of contacts, or
    /// `{"contacts": [...], "consents": [...]}`.
    #[arg(long)]
    contacts: String,
    /// Seed of every draw: the same seed gives the same result.
    #[arg(long)]
    seed: u64,
    /// When contacts enter (RFC 3339); now when omitted.
    #[arg(long)]
    start: Option<String>,
    /// Outcome mixes per engagement (JSON: `{"defaultMix": {...}, "engagements": {...}}`).
    #[arg(long)]
    outcomes: Option<PathBuf>,
    /// Print this contact's explained path (text format).
    #[arg(long)]
    trace: Option<String>,
    /// Keep explained paths of the first N contacts in the JSON output.
    #[arg(long, default_value_t = 1000)]
    traces: u32,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ContactsFile {
    List(Vec<Contact>),
    WithConsents {
        contacts: Vec<Contact>,
        #[serde(default)]
        consents: Vec<ConsentRecord>,
    },
}

fn fail(message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

pub(crate) fn run(args: Args) -> ExitCode {
    match prepare(&args) {
        Ok((journey, catalog, spec)) => {
            let control = Control {
                threads: args.threads.clamp(1, 64),
                ..Control::default()
            };
            let result = match simulate(&journey, &catalog, &spec, &control) {
                Ok(result) => result,
                Err(error) => return fail(format!("the test run failed: {error}")),
            };
            let written = match args.format {
                Format::Text => write_text(&journey, &result, args.trace.as_deref()),
                Format::Json => write_json(&result),
            };
            if let Err(error) = written
                && error.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("cannot write the report: {error}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => fail(message),
    }
}

fn prepare(args: &Args) -> Result<(Journey, Catalog, SimulationSpec), String> {
    let catalog = read_text(&args.catalog, MAX_DOCUMENT_BYTES as u64)
        .and_then(|t| Catalog::from_json(&t).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: cannot read the catalog: {e}", args.catalog.display()))?;
    let journey = read_text(&args.file, MAX_DOCUMENT_BYTES as u64)
        .and_then(|t| parse_journey(&t).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: cannot read the journey: {e}", args.file.display()))?;
    // The command line is where the clock is read; the engine takes the start instant.
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI supplies the default start instant to the pure engine"
    )]
    let now = Utc::now();
    let start = match &args.start {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                format!(
                    "--start {text:?} is not an RFC 3339 instant (e.g. 2026-03-10T09:00:00Z): {e}"
                )
            })?,
        None => now,
    };
    let errors: Vec<String> = validate_at(&journey, &catalog, start)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("  {} {}", d.code.as_str(), d.message))
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "{}: the journey has {} error(s); fix them before a test run (see `journeys validate`):\n{}",
            args.file.display(),
            errors.len(),
            errors.join("\n")
        ));
    }
    let audience = match args.contacts.parse::<u64>() {
        Ok(count) => {
            let count = u32::try_from(count)
                .ok()
                .filter(|c| (1..=MAX_CONTACTS).contains(c))
                .ok_or_else(|| {
                    format!("--contacts {count}: give between 1 and {MAX_CONTACTS} contacts")
                })?;
            SimulatedAudience::Generated(GeneratedAudience {
                count,
                ..GeneratedAudience::default()
            })
        }
        Err(_) => {
            let path = Path::new(&args.contacts);
            let parsed: ContactsFile = read_text(path, MAX_CONTACTS_FILE_BYTES)
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
                .map_err(|e| {
                    format!(
                        "{}: cannot read the contacts (a JSON array of contacts or {{\"contacts\": [...], \"consents\": [...]}}): {e}",
                        path.display()
                    )
                })?;
            let (contacts, consents) = match parsed {
                ContactsFile::List(contacts) => (contacts, Vec::new()),
                ContactsFile::WithConsents { contacts, consents } => (contacts, consents),
            };
            if contacts.is_empty() {
                return Err(format!("{}: the file has no contacts", path.display()));
            }
            SimulatedAudience::Explicit { contacts, consents }
        }
    };
    let outcomes = match &args.outcomes {
        Some(path) => read_text(path, MAX_DOCUMENT_BYTES as u64)
            .and_then(|t| serde_json::from_str::<OutcomeModel>(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("{}: cannot read the outcome mixes: {e}", path.display()))?,
        None => OutcomeModel::default(),
    };
    let spec = SimulationSpec {
        audience,
        outcomes,
        start,
        seed: args.seed,
        trace_limit: Some(args.traces),
    };
    Ok((journey, catalog, spec))
}

fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if metadata.len() > limit {
        return Err(format!(
            "the file is {} bytes; the limit is {limit} bytes",
            metadata.len()
        ));
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

fn write_json(result: &SimulationResult) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, result).map_err(std::io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %d %b %H:%M %Z")
        .to_string()
}

fn join_counts<'a>(items: impl Iterator<Item = (&'a String, &'a u32)>) -> String {
    items
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_text(
    journey: &Journey,
    result: &SimulationResult,
    trace: Option<&str>,
) -> std::io::Result<()> {
    let zone: Tz = journey.time_zone.parse().unwrap_or(Tz::UTC);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "Test run of \"{}\": {} contacts, seed {}, entering {} ({})",
        journey.name,
        result.contacts,
        result.seed,
        local(result.start, zone),
        result.start.to_rfc3339()
    )?;
    writeln!(
        out,
        "Last event at {} (virtual time).\n",
        local(result.finished_at, zone)
    )?;
    writeln!(out, "Tiles")?;
    for tile in &journey.tiles {
        let Some(c) = result.tiles.get(tile.id()) else {
            writeln!(out, "  {:<32} nobody reached it", tile.name())?;
            continue;
        };
        let mut line = format!("  {:<32} entered {}", tile.name(), c.entered);
        if let Tile::VoiceConversation(_) = tile {
            let blocked: u32 = c.blocked.values().sum();
            line.push_str(&format!(
                ", called {}, held by quiet time {}, blocked {blocked}",
                c.sent, c.held
            ));
        }
        writeln!(out, "{line}")?;
        if !c.blocked.is_empty() {
            writeln!(out, "      blocked: {}", join_counts(c.blocked.iter()))?;
        }
        if !c.held_until.is_empty() {
            let until: Vec<String> = c
                .held_until
                .iter()
                .take(6)
                .map(|(at, n)| format!("{n} until {}", local(*at, zone)))
                .collect();
            let more = c.held_until.len().saturating_sub(6);
            let more = if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            };
            writeln!(out, "      held: {}{more}", until.join(", "))?;
        }
        if !c.attempted.is_empty() {
            writeln!(out, "      attempted: {}", join_counts(c.attempted.iter()))?;
        }
        if !c.not_attempted.is_empty() {
            writeln!(
                out,
                "      not attempted: {}",
                join_counts(c.not_attempted.iter())
            )?;
        }
        if !c.branches.is_empty() {
            let names: Vec<String> = c
                .branches
                .iter()
                .map(|(b, n)| format!("{n} {}", branch_label(tile, b)))
                .collect();
            writeln!(out, "      branches: {}", names.join(", "))?;
        }
    }
    if !result.forecast.is_empty() {
        writeln!(
            out,
            "\nForecast: if every contact reached each call at the start instant"
        )?;
        for f in &result.forecast {
            let blocked: u32 = f.blocked.values().sum();
            writeln!(
                out,
                "  {:<32} called now {}, held {}, blocked {blocked}",
                f.name, f.call_now, f.held
            )?;
            if let (Some(first), Some(last)) =
                (f.held_until.keys().next(), f.held_until.keys().last())
            {
                writeln!(
                    out,
                    "      held until {} … {}",
                    local(*first, zone),
                    local(*last, zone)
                )?;
            }
            if !f.blocked.is_empty() {
                writeln!(out, "      blocked: {}", join_counts(f.blocked.iter()))?;
            }
        }
    }
    let total: u32 = result.calls_by_local_hour.iter().sum();
    writeln!(out, "\nCalls per local hour of the contact ({total} calls)")?;
    let most = result
        .calls_by_local_hour
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    for (hour, n) in result.calls_by_local_hour.iter().enumerate() {
        let bar = "#".repeat(usize::try_from(u64::from(*n) * 40 / u64::from(most)).unwrap_or(0));
        writeln!(out, "  {hour:02}:00  {n:>7}  {bar}")?;
    }
    if let Some(id) = trace {
        writeln!(out)?;
        let wanted = digits(id);
        let found = result.traces.iter().find(|t| {
            t.contact_id == id
                || (!wanted.is_empty() && t.phone.as_deref().is_some_and(|p| digits(p) == wanted))
        });
        match found {
            Some(t) => {
                writeln!(
                    out,
                    "Contact {} ({})",
                    t.contact_id,
                    t.phone.as_deref().unwrap_or("no phone")
                )?;
                for s in &t.steps {
                    writeln!(out, "  {}  {}", local(s.at, zone), s.text)?;
                }
            }
            None => writeln!(
                out,
                "No trace for {id}: traces are kept for the first contacts only (see --traces)."
            )?,
        }
    }
    out.flush()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn branch_label(tile: &Tile, branch: &str) -> String {
    let name = match tile {
        Tile::WaitForTrigger(w) => w
            .branches
            .iter()
            .find(|b| b.id == branch)
            .map(|b| b.name.clone()),
        Tile::AttributeBranch(a) => a
            .branches
            .iter()
            .find(|b| b.id == branch)
            .map(|b| b.name.clone()),
        _ => None,
    };
    match name.filter(|n| !n.trim().is_empty()) {
        Some(n) => format!("\"{n}\""),
        None if branch == "other" => "Other".to_owned(),
        None => branch.to_owned(),
    }
}
