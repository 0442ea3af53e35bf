//! Cross-crate integration tests.

mod cli_quiet_time;
mod cli_simulate;
mod cli_support;
mod cli_validate;
mod runtime_contract;
mod runtime_crash;
mod runtime_http;
mod runtime_support;
