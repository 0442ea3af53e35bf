//! Cross-crate integration tests.

mod cli_validate;
