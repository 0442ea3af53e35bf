//! Cross-crate integration tests.

mod runtime_crash;
mod runtime_http;
mod runtime_support;
