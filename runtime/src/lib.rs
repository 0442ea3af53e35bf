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
//! println!("token {}", runtime.api_token());
//! runtime.serve(listener).await?;
//! # Ok(()) }
//! ```

pub mod adapters;
pub mod clock;
pub mod error;
pub mod executor;
pub mod http;
pub mod storage;

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use rand::RngCore;

use crate::adapters::ContactCenter;
use crate::clock::Clock;
use crate::error::Result;
use crate::executor::SqliteExecutor;
use crate::storage::Store;

pub use crate::error::Error;

const TOKEN_KEY: &str = "api_token";

/// How hard each commit is pushed to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL`: survives a process kill, not a power loss (the desktop).
    Normal,
    /// `synchronous=FULL`: survives a power loss too (servers).
    Full,
}

/// An open runtime: the executor, its worker thread, and the API token.
pub struct Runtime {
    executor: Arc<SqliteExecutor>,
    worker: Option<JoinHandle<()>>,
    token: String,
    token_created: bool,
}

impl Runtime {
    /// Open the database at `path` (created if missing), recover from any crash, and
    /// start the worker. The API token is created on first open and stored.
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
        let (token, token_created) = match store.meta(TOKEN_KEY)? {
            Some(token) => (token, false),
            None => {
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                store.set_meta(TOKEN_KEY, &token)?;
                (token, true)
            }
        };
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
            token,
            token_created,
        })
    }

    /// The executor (publish, enroll, counts… without HTTP).
    pub fn executor(&self) -> &Arc<SqliteExecutor> {
        &self.executor
    }

    /// The bearer token the API requires.
    pub fn api_token(&self) -> &str {
        &self.token
    }

    /// Whether this open created the token (show it once).
    pub fn token_created(&self) -> bool {
        self.token_created
    }

    /// Replace the stored API token (the desktop app makes one per launch).
    pub fn set_api_token(&mut self, token: &str) -> Result<()> {
        self.executor.store().set_meta(TOKEN_KEY, token)?;
        token.clone_into(&mut self.token);
        Ok(())
    }

    /// The API router, for embedding into another axum app.
    pub fn router(&self) -> axum::Router {
        http::router(
            self.executor.clone() as Arc<dyn executor::Executor>,
            &self.token,
        )
    }

    /// Serve the API on `listener` until the task is dropped.
    pub async fn serve(&self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
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
