//! Switchboard's journey runtime: contacts move through published journey versions,
//! durably, on one SQLite file.
//!
//! - [`executor::SqliteExecutor`] claims due work, runs [`journeys::step::step`], and commits
//!   new states, timers, waits, call requests and counts in one transaction per batch.
//! - [`adapters`] hand call requests to a contact center: the deterministic
//!   [`adapters::Simulator`] by default, or [`adapters::HttpContactCenter`].
//! - [`http`] is the API (bearer token, JSON errors, size limits, OpenAPI).
//! - [`Runtime`] puts them together for the `journeys-runtime` binary and for embedders
//!   such as the desktop app.
//!
//! **Invariant:** every rule of the domain is decided in `journeys`; this crate only
//! persists, schedules and does IO. Time is read only through [`clock::Clock`].
//!
//! ```no_run
//! use std::sync::Arc;
//! use runtime::{Runtime, adapters::{Simulator, SimulatorConfig}, clock::SystemClock};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let simulator = Simulator::open("sim.sqlite".as_ref(), SimulatorConfig::default())?;
//! let runtime = Runtime::open("runtime.sqlite".as_ref(), Arc::new(SystemClock), Arc::new(simulator))?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! for (scope, token) in runtime.new_tokens() {
//!     println!("{} token {token}", scope.as_str()); // shown once: only hashes are stored
//! }
//! runtime.serve(listener).await?;
//! # Ok(()) }
//! ```

pub mod adapters;
pub mod clock;
pub mod contract;
pub mod core;
pub mod error;
pub mod executor;
pub mod http;
#[cfg(feature = "restate")]
pub mod restate;
pub mod storage;

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::adapters::ContactCenter;
use crate::clock::Clock;
use crate::error::Result;
use crate::executor::SqliteExecutor;
use crate::storage::{Store, TokenScope};

pub use crate::error::Error;

/// How hard each commit is pushed to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL`: survives a process kill, not a power loss (the desktop).
    Normal,
    /// `synchronous=FULL`: survives a power loss too (servers).
    Full,
}

/// An open runtime: the executor, its worker thread, and the tokens made by this open.
pub struct Runtime {
    executor: Arc<SqliteExecutor>,
    worker: Option<JoinHandle<()>>,
    new_tokens: Vec<(TokenScope, String)>,
}

impl Runtime {
    /// Open the database at `path` (created if missing), recover from any crash, and
    /// start the worker. An admin and an ingest token are made on first open (stored hashed).
    pub fn open(
        path: &Path,
        clock: Arc<dyn Clock>,
        adapter: Arc<dyn ContactCenter>,
    ) -> Result<Runtime> {
        Runtime::open_with(path, clock, adapter, Durability::Normal)
    }

    /// [`Runtime::open`] with a chosen durability.
    pub fn open_with(
        path: &Path,
        clock: Arc<dyn Clock>,
        adapter: Arc<dyn ContactCenter>,
        durability: Durability,
    ) -> Result<Runtime> {
        let store = Store::open(path, durability == Durability::Full)?;
        let new_tokens = store.ensure_tokens(clock.now())?;
        let executor = Arc::new(SqliteExecutor::open(store, clock, adapter)?);
        let worker = {
            let executor = executor.clone();
            std::thread::Builder::new()
                .name("journeys-worker".into())
                .spawn(move || executor.run_worker())?
        };
        Ok(Runtime {
            executor,
            worker: Some(worker),
            new_tokens,
        })
    }

    /// The executor (publish, enroll, counts… without HTTP).
    pub fn executor(&self) -> &Arc<SqliteExecutor> {
        &self.executor
    }

    /// The tokens this open made (on a new database: one per scope), to be shown once;
    /// only their hashes are stored.
    pub fn new_tokens(&self) -> &[(TokenScope, String)] {
        &self.new_tokens
    }

    /// The admin token, when this open made it or [`Runtime::set_api_token`] set it.
    pub fn api_token(&self) -> Option<&str> {
        self.new_tokens
            .iter()
            .find(|(scope, _)| *scope == TokenScope::Admin)
            .map(|(_, token)| token.as_str())
    }

    /// Replace the stored admin token (the desktop app makes one per launch).
    pub fn set_api_token(&mut self, token: &str) -> Result<()> {
        let now = self.executor.now();
        self.executor
            .store()
            .set_token(TokenScope::Admin, token, now)?;
        self.new_tokens
            .retain(|(scope, _)| *scope != TokenScope::Admin);
        self.new_tokens.push((TokenScope::Admin, token.to_owned()));
        Ok(())
    }

    /// The API router, for embedding into another axum app.
    /// The token hashes are read now: a rotation takes effect for routers made after it.
    pub fn router(&self) -> Result<axum::Router> {
        let hashes = self.executor.store().token_hashes()?;
        Ok(http::router(
            self.executor.clone() as Arc<dyn executor::Executor>,
            hashes,
        ))
    }

    /// Serve the API on `listener` until the task is dropped.
    pub async fn serve(&self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let router = self.router().map_err(std::io::Error::other)?;
        axum::serve(listener, router).await
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.executor.stop_worker();
        if let Some(worker) = self.worker.take()
            && worker.join().is_err()
        {
            tracing::error!("the worker thread panicked");
        }
    }
}
