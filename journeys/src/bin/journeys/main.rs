//! `journeys`: the command line for journey files, quiet-time look-ups and test runs.
//!
//! The only part of the `journeys` crate that touches files, the clock or the terminal.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod diff_cmd;
mod quiet_time_cmd;
mod simulate_cmd;
mod validate_cmd;

/// Check journey files and answer compliance questions without the app.
#[derive(Parser)]
#[command(name = "journeys", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate journey files against a catalog.
    Validate(validate_cmd::Args),
    /// Quiet-time look-ups.
    #[command(subcommand)]
    QuietTime(quiet_time_cmd::Command),
    /// Test-run a journey draft with simulated contacts in virtual time.
    Simulate(simulate_cmd::Args),
    /// What changed from one journey file to another (layout aside).
    Diff(diff_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_cmd::run(args),
        Command::QuietTime(command) => quiet_time_cmd::run(command),
        Command::Simulate(args) => simulate_cmd::run(args),
        Command::Diff(args) => diff_cmd::run(args),
    }
}
