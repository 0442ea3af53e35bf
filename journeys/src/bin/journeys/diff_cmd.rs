//! `journeys diff OLD NEW [--format text|json]` (issue 12): what changed from one journey
//! file to another, layout aside, in words (`text`) or as the structured change list (`json`).
//!
//! Exit status: 0 when the journeys mean the same, 1 when they differ, 2 when a file cannot
//! be read or parsed (the message names the file, and the line and column for bad JSON).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use journeys::catalog::Catalog;
use journeys::diff::{JourneyDiff, diff_with_catalog};
use journeys::document::{Journey, MAX_DOCUMENT_BYTES, ParseError, parse_journey};

/// Arguments of `journeys diff`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The journey file as it was.
    old: PathBuf,
    /// The journey file as it is.
    new: PathBuf,
    /// A catalog, to name conversations, compliance profiles, purposes, topics and quiet-time
    /// settings by their names rather than their ids.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// `text`: one sentence per change; `json`: the changes with tile, field and values.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Why a journey file could not be compared.
#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {0} bytes; journey files are limited to {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge(u64),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Catalog(#[from] journeys::catalog::CatalogError),
}

fn read_text(path: &Path) -> Result<String, FileError> {
    let metadata = std::fs::metadata(path)?;
    if usize::try_from(metadata.len()).map_or(true, |len| len > MAX_DOCUMENT_BYTES) {
        return Err(FileError::TooLarge(metadata.len()));
    }
    Ok(std::fs::read_to_string(path)?)
}

fn read(path: &Path) -> Result<Journey, FileError> {
    Ok(parse_journey(&read_text(path)?)?)
}

pub(crate) fn run(args: Args) -> ExitCode {
    let catalog = match &args.catalog {
        None => Catalog::default(),
        Some(path) => match read_text(path).and_then(|text| Ok(Catalog::from_json(&text)?)) {
            Ok(catalog) => catalog,
            Err(error) => {
                eprintln!("{}: cannot read the catalog: {error}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let mut journeys = Vec::with_capacity(2);
    let mut unreadable = false;
    for path in [&args.old, &args.new] {
        match read(path) {
            Ok(journey) => journeys.push(journey),
            Err(error) => {
                eprintln!("{}: cannot read: {error}", path.display());
                unreadable = true;
            }
        }
    }
    let (false, [old, new]) = (unreadable, journeys.as_slice()) else {
        return ExitCode::from(2);
    };
    let changes = diff_with_catalog(old, new, &catalog);
    let written = match args.format {
        Format::Text => write_text(&changes),
        Format::Json => write_json(&changes),
    };
    if let Err(error) = written {
        // A closed pipe (e.g. `| head`) is not worth a message.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("cannot write the changes: {error}");
            return ExitCode::from(2);
        }
    }
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn write_text(changes: &JourneyDiff) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for sentence in changes.sentences() {
        writeln!(out, "{sentence}")?;
    }
    if changes.is_empty() {
        writeln!(out, "no changes (the layout aside)")?;
    }
    out.flush()
}

fn write_json(changes: &JourneyDiff) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, changes).map_err(std::io::Error::other)?;
    writeln!(out)?;
    out.flush()
}
