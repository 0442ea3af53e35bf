//! Cross-crate integration tests.

mod cli_quiet_time;
mod cli_validate;
