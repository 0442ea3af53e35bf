//! `journeys validate FILE... --catalog FILE [--format text|json]` (issue 2).
//!
//! Exit status: 0 when no file has errors (warnings allowed), 1 when some file has errors,
//! 2 when the catalog or a journey file cannot be read or parsed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use journeys::catalog::Catalog;
use journeys::document::{MAX_DOCUMENT_BYTES, parse_journey};
use journeys::validate::{Diagnostic, Severity, has_errors, validate_at};
use serde::Serialize;

/// Arguments of `journeys validate`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Journey files (`*.journey.json`) to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The catalog (engagements, compliance profiles, quiet-time settings) they refer to.
    #[arg(long)]
    catalog: PathBuf,
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What became of one file.
#[derive(Serialize)]
struct FileReport {
    file: String,
    /// Why the file could not be read or parsed; absent when it was validated.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

pub(crate) fn run(args: Args) -> ExitCode {
    let catalog = match read_text(&args.catalog).and_then(|text| Ok(Catalog::from_json(&text)?)) {
        Ok(catalog) => catalog,
        Err(error) => {
            eprintln!(
                "{}: cannot read the catalog: {error}",
                args.catalog.display()
            );
            return ExitCode::from(2);
        }
    };
    // The command line is where the clock is read; the validator takes `now` as a parameter.
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI supplies the current time to the pure validator"
    )]
    let now = chrono::Utc::now();

    let reports: Vec<FileReport> = args
        .files
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            match read_text(path).and_then(|text| Ok(parse_journey(&text)?)) {
                Ok(journey) => FileReport {
                    file,
                    error: None,
                    diagnostics: validate_at(&journey, &catalog, now),
                },
                Err(error) => FileReport {
                    file,
                    error: Some(error.to_string()),
                    diagnostics: Vec::new(),
                },
            }
        })
        .collect();

    let written = match args.format {
        Format::Text => write_text(&reports),
        Format::Json => write_json(&reports),
    };
    if let Err(error) = written {
        // A closed pipe (e.g. `| head`) is not worth a message.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("cannot write the report: {error}");
        }
    }

    if reports.iter().any(|r| r.error.is_some()) {
        ExitCode::from(2)
    } else if reports.iter().any(|r| has_errors(&r.diagnostics)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Why a journey file could not be checked.
#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {0} bytes; journey files are limited to {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge(u64),
    #[error(transparent)]
    Parse(#[from] journeys::document::ParseError),
    #[error(transparent)]
    Catalog(#[from] journeys::catalog::CatalogError),
}

/// The file's text, refusing files over the document limit before reading them.
fn read_text(path: &Path) -> Result<String, FileError> {
    let metadata = std::fs::metadata(path)?;
    if usize::try_from(metadata.len()).map_or(true, |len| len > MAX_DOCUMENT_BYTES) {
        return Err(FileError::TooLarge(metadata.len()));
    }
    Ok(std::fs::read_to_string(path)?)
}

fn write_text(reports: &[FileReport]) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for report in reports {
        if let Some(error) = &report.error {
            eprintln!("{}: cannot read: {error}", report.file);
            continue;
        }
        for d in &report.diagnostics {
            let place = match (&d.tile_id, &d.path) {
                (Some(tile), Some(path)) => format!("tile {tile} · {path}"),
                (Some(tile), None) => format!("tile {tile}"),
                (None, Some(path)) => format!("journey · {path}"),
                (None, None) => "journey".to_owned(),
            };
            writeln!(
                out,
                "{}: {} {} [{place}] {}",
                report.file,
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            )?;
        }
        let errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = report.diagnostics.len() - errors;
        writeln!(
            out,
            "{}: {}",
            report.file,
            match (errors, warnings) {
                (0, 0) => "ok".to_owned(),
                (0, w) => format!("ok, {}", plural(w, "warning")),
                (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
            }
        )?;
    }
    out.flush()
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn write_json(reports: &[FileReport]) -> std::io::Result<()> {
    for report in reports {
        if let Some(error) = &report.error {
            eprintln!("{}: cannot read: {error}", report.file);
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, reports).map_err(std::io::Error::other)?;
    writeln!(out)?;
    out.flush()
}
