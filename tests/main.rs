//! Cross-crate integration tests.

mod citations;
mod cli_diff;
mod cli_quiet_time;
mod cli_simulate;
mod cli_support;
mod cli_validate;
mod conformance;
mod conformance_imports;
mod conformance_lifecycle;
mod conformance_restate;
mod conformance_rounds;
mod conformance_sqlite;
mod conformance_tiles;
mod links;
mod restate_cluster;
mod restate_engine;
mod restate_failover;
mod restate_http;
mod restate_triggers;
mod runtime_contract;
mod runtime_crash;
mod runtime_http;
mod runtime_support;
mod runtime_tile_contacts;
mod runtime_versions;
