//! `journeys validate FILE... --catalog FILE [--format text|json]` (issue 2).

use std::process::ExitCode;

/// Arguments of `journeys validate`.
#[derive(clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(args: Args) -> ExitCode {
    let Args {} = args;
    ExitCode::from(2)
}
