//! `journeys quiet-time next …` (issue 3).

use std::process::ExitCode;

/// Subcommands of `journeys quiet-time`.
#[derive(clap::Subcommand)]
pub(crate) enum Command {}

pub(crate) fn run(command: Command) -> ExitCode {
    match command {}
}
