//! `journeys quiet-time next …` (issue 3): the next allowed instant under a quiet-time setting,
//! for support staff and black-box checks. All the rules live in `journeys::compliance`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use journeys::catalog::{Catalog, PurposeType};
use journeys::compliance::{ContactPoint, QuietTimeQuery, RuleSubject, next_allowed_instant};
use journeys::document::Channel;

/// Subcommands of `journeys quiet-time`.
#[derive(clap::Subcommand)]
pub(crate) enum Command {
    /// Print the next allowed instant (RFC 3339 UTC), or `none within N days`.
    Next(NextArgs),
}

/// Arguments of `journeys quiet-time next`.
#[derive(clap::Args)]
pub(crate) struct NextArgs {
    /// Catalog JSON file holding the setting.
    #[arg(long)]
    catalog: PathBuf,
    /// Quiet-time setting id.
    #[arg(long)]
    setting: String,
    /// IANA zone the local times are read in, e.g. America/Chicago.
    #[arg(long)]
    zone: String,
    /// The moment asked about, RFC 3339 (e.g. 2025-11-25T04:00:00Z).
    #[arg(long)]
    at: String,
    /// Purpose type whose rows apply.
    #[arg(long, value_enum, default_value = "commercial")]
    purpose_type: PurposeTypeArg,
    /// Channel whose rows apply.
    #[arg(long, value_enum, default_value = "voice")]
    channel: ChannelArg,
    /// Contact's country (ISO 3166-1 alpha-2), for advanced rules.
    #[arg(long)]
    country: Option<String>,
    /// Contact's state or province, for advanced rules.
    #[arg(long)]
    state: Option<String>,
    /// Number called, for phone-prefix rules (normalised like a Send-to field).
    #[arg(long)]
    phone: Option<String>,
    /// How many days ahead to look (the wait's time limit), 1 to 90.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=90))]
    within: u16,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PurposeTypeArg {
    Commercial,
    Transactional,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ChannelArg {
    Voice,
    Sms,
    Email,
    Custom,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A usage problem: printed after `error: `, exit code 2.
struct Usage(String);

pub(crate) fn run(command: Command) -> ExitCode {
    let Command::Next(args) = command;
    match next(&args) {
        Ok(line) => {
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{line}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            }
        }
        Err(Usage(message)) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
            ExitCode::from(2)
        }
    }
}

fn next(args: &NextArgs) -> Result<String, Usage> {
    let zone: Tz = args.zone.parse().map_err(|_| {
        Usage(format!(
            "--zone {:?} is not an IANA time zone name (e.g. America/Chicago)",
            args.zone
        ))
    })?;
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(&args.at)
        .map_err(|error| {
            Usage(format!(
                "--at {:?} is not an RFC 3339 instant like 2025-11-25T04:00:00Z: {error}",
                args.at
            ))
        })?
        .with_timezone(&Utc);
    let text = std::fs::read_to_string(&args.catalog).map_err(|error| {
        Usage(format!(
            "cannot read catalog {}: {error}",
            args.catalog.display()
        ))
    })?;
    let catalog = Catalog::from_json(&text)
        .map_err(|error| Usage(format!("catalog {}: {error}", args.catalog.display())))?;
    let setting = catalog.quiet_time_setting(&args.setting).ok_or_else(|| {
        let known: Vec<&str> = catalog
            .quiet_time_settings
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        Usage(format!(
            "--setting {:?} is not in catalog {} (it has: {})",
            args.setting,
            args.catalog.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })?;
    let number = match &args.phone {
        None => None,
        Some(raw) => Some(
            ContactPoint::parse(Some(raw))
                .map_err(|error| Usage(format!("--phone {raw:?}: {error}")))?,
        ),
    };
    let query = QuietTimeQuery {
        setting,
        purpose_type: match args.purpose_type {
            PurposeTypeArg::Commercial => PurposeType::Commercial,
            PurposeTypeArg::Transactional => PurposeType::Transactional,
        },
        channel: match args.channel {
            ChannelArg::Voice => Channel::Voice,
            ChannelArg::Sms => Channel::Sms,
            ChannelArg::Email => Channel::Email,
            ChannelArg::Custom => Channel::Custom,
        },
        subject: RuleSubject {
            country: args.country.as_deref(),
            state_or_province: args.state.as_deref(),
            number: number.as_ref(),
        },
        zone,
    };
    let answer = next_allowed_instant(&query, now, chrono::Duration::days(args.within.into()));
    let next = answer
        .next
        .map(|instant| instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    Ok(match args.format {
        Format::Text => next.unwrap_or_else(|| format!("none within {} days", args.within)),
        Format::Json => serde_json::json!({
            "next": next,
            "withinDays": args.within,
            "explanation": answer.explanation,
        })
        .to_string(),
    })
}
