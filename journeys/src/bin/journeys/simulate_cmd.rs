//! `journeys simulate FILE --catalog FILE --contacts N|FILE [--consents FILE] --seed S
//! [--start RFC3339] [--outcomes FILE] [--trace CONTACT] [--format text|json]` (issue 6): a
//! test run of a draft in virtual time. Contacts and consent files are read by
//! [`journeys::import`], the parser the runtime's import and the designer use too.
//!
//! Exit status: 0 when the run finished, 2 when an input cannot be read or parsed, the
//! journey has validation errors, or an argument is out of range.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use journeys::catalog::Catalog;
use journeys::document::{Journey, MAX_DOCUMENT_BYTES, Tile, parse_journey};
use journeys::import::{self, Format as FileFormat};
use journeys::simulate::{
    Control, GeneratedAudience, HeldUntil, MAX_CONTACTS, OutcomeModel, SimulatedAudience,
    SimulationResult, SimulationSpec, simulate,
};
use journeys::validate::{Severity, validate_at};

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
    /// A number of generated contacts, or a file: CSV with a header row (`id`, `mobilePhone`,
    /// `timeZone`, …, as the runtime imports), a JSON array of contacts, or JSON
    /// `{"contacts": [...], "consents": [...]}`.
    #[arg(long)]
    contacts: String,
    /// Consent records for a contacts file: CSV (`contactPoint`, `channel`, `scope`,
    /// `scopeId`, `status`, `updatedAt`) or a JSON array.
    #[arg(long)]
    consents: Option<PathBuf>,
    /// Seed of every draw: the same seed gives the same result.
    #[arg(long)]
    seed: u64,
    /// When contacts enter (RFC 3339); now when omitted.
    #[arg(long)]
    start: Option<String>,
    /// Outcome mixes per engagement (JSON: `{"defaultMix": {...}, "engagements": {...}}`);
    /// without it, each engagement's own codes and variables from the catalog.
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
        Err(Usage(message)) => fail(message),
    }
}

fn prepare(args: &Args) -> Result<(Journey, Catalog, SimulationSpec), Usage> {
    let catalog = read_text(&args.catalog, MAX_DOCUMENT_BYTES as u64)
        .map_err(|e| e.to_string())
        .and_then(|t| Catalog::from_json(&t).map_err(|e| e.to_string()))
        .map_err(|e| {
            Usage(format!(
                "{}: cannot read the catalog: {e}",
                args.catalog.display()
            ))
        })?;
    let journey = read_text(&args.file, MAX_DOCUMENT_BYTES as u64)
        .map_err(|e| e.to_string())
        .and_then(|t| parse_journey(&t).map_err(|e| e.to_string()))
        .map_err(|e| {
            Usage(format!(
                "{}: cannot read the journey: {e}",
                args.file.display()
            ))
        })?;
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
        return Err(Usage(format!(
            "{}: the journey has {} error(s); fix them before a test run (see `journeys validate`):\n{}",
            args.file.display(),
            errors.len(),
            errors.join("\n")
        )));
    }
    let audience = match args.contacts.parse::<u64>() {
        Ok(_) if args.consents.is_some() => {
            return Err(
                "--consents goes with a contacts file; generated contacts get consent from \
                 their mix"
                    .into(),
            );
        }
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
            let (contacts, mut consents) = read_file(path, "contacts", |body, format| {
                import::contacts_with_consents(body, format)
            })
            .map_err(|e| Usage(e.to_string()))?;
            if contacts.is_empty() {
                return Err(Usage(format!(
                    "{}: the file has no contacts",
                    path.display()
                )));
            }
            let mut source = file_name(path);
            if let Some(consents_path) = &args.consents {
                consents.extend(
                    read_file(consents_path, "consent records", import::consents)
                        .map_err(|e| Usage(e.to_string()))?,
                );
                source = format!("{source} and {}", file_name(consents_path));
            }
            SimulatedAudience::Explicit {
                contacts,
                consents,
                source: Some(source),
            }
        }
    };
    let outcomes = match &args.outcomes {
        Some(path) => read_text(path, MAX_DOCUMENT_BYTES as u64)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<OutcomeModel>(&t).map_err(|e| e.to_string()))
            .map_err(|e| {
                Usage(format!(
                    "{}: cannot read the outcome mixes: {e}",
                    path.display()
                ))
            })?,
        None => OutcomeModel::for_journey(&journey, &catalog, start),
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

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Why a contacts or consent file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot read the {what}: {reason}")]
struct FileError {
    path: String,
    what: &'static str,
    reason: String,
}

/// A contacts or consent file through the shared parser, its format by name then content. It
/// is read as bytes, so text that is not UTF-8 is reported by line.
fn read_file<T>(
    path: &Path,
    what: &'static str,
    parse: impl Fn(&[u8], FileFormat) -> Result<T, import::ImportError>,
) -> Result<T, FileError> {
    let error = |reason: String| FileError {
        path: path.display().to_string(),
        what,
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| error(e.to_string()))?
        .len();
    if size > MAX_CONTACTS_FILE_BYTES {
        return Err(error(format!(
            "the file is {size} bytes; the limit is {MAX_CONTACTS_FILE_BYTES} bytes"
        )));
    }
    let body = std::fs::read(path).map_err(|e| error(e.to_string()))?;
    parse(&body, FileFormat::detect(&file_name(path), &body)).map_err(|e| error(e.to_string()))
}

/// Why a text file could not be read.
#[derive(Debug, thiserror::Error)]
enum ReadError {
    /// The file system refused.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Over the limit.
    #[error("the file is {bytes} bytes; the limit is {limit} bytes")]
    TooLarge { bytes: u64, limit: u64 },
}

fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = std::fs::metadata(path)?.len();
    if bytes > limit {
        return Err(ReadError::TooLarge { bytes, limit });
    }
    Ok(std::fs::read_to_string(path)?)
}

/// A usage problem with the command's arguments or files: printed, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

impl From<String> for Usage {
    fn from(message: String) -> Self {
        Usage(message)
    }
}

impl From<&str> for Usage {
    fn from(message: &str) -> Self {
        Usage(message.to_owned())
    }
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
        let held = held_in_contact_zones(&c.held_until);
        if !held.is_empty() {
            let until: Vec<String> = held
                .iter()
                .take(6)
                .map(|(at, zone, n)| format!("{n} until {}", local(*at, *zone)))
                .collect();
            let more = held.len().saturating_sub(6);
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
            let held = held_in_contact_zones(&f.held_until);
            if let (Some(first), Some(last)) = (held.first(), held.last()) {
                writeln!(
                    out,
                    "      held until {} … {} (each in the contact's zone)",
                    local(first.0, first.1),
                    local(last.0, last.1)
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
                    "Contact {} ({}), times in {}",
                    t.contact_id,
                    t.phone.as_deref().unwrap_or("no phone"),
                    t.time_zone
                )?;
                let contact_zone: Tz = t.time_zone.parse().unwrap_or(zone);
                for s in &t.steps {
                    writeln!(out, "  {}  {}", local(s.at, contact_zone), s.text)?;
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

/// Every hold release with the zone it reads in, earliest first.
fn held_in_contact_zones(held: &HeldUntil) -> Vec<(DateTime<Utc>, Tz, u32)> {
    let mut out: Vec<(DateTime<Utc>, Tz, u32)> = held
        .iter()
        .flat_map(|(zone, instants)| {
            let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
            instants.iter().map(move |(at, n)| (*at, zone, *n))
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1.name()).cmp(&(b.0, b.1.name())));
    out
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
