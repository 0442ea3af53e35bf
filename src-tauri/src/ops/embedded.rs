//! The runtime inside the app: its own SQLite file (and the simulator's) in the data folder,
//! the real clock, and the built-in contact-center simulator. Journeys are published to it
//! in-process through the [`Executor`] trait.

use std::path::Path;
use std::sync::Arc;

use journeys::catalog::Catalog;
use runtime::Runtime;
use runtime::adapters::{Simulator, SimulatorConfig};
use runtime::clock::SystemClock;
use runtime::executor::Executor;

use super::{OpsError, Result};

/// The runtime's database file in the data folder.
pub const RUNTIME_FILE: &str = "runtime.sqlite3";
/// The simulator's ledger file in the data folder.
pub const SIMULATOR_FILE: &str = "runtime-simulator.sqlite3";

/// An open embedded runtime (its worker stops when this is dropped).
pub struct EmbeddedRuntime {
    runtime: Runtime,
    executor: Arc<dyn Executor>,
}

impl std::fmt::Debug for EmbeddedRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedRuntime").finish_non_exhaustive()
    }
}

impl EmbeddedRuntime {
    /// Open (or create) the runtime in `data_dir`. A runtime without a catalog yet (first
    /// start) gets the one read from `seed_catalog`, so publishing works at once.
    pub fn open(data_dir: &Path, seed_catalog: &Path) -> Result<EmbeddedRuntime> {
        let unavailable = |e: &dyn std::fmt::Display| {
            OpsError::RuntimeUnavailable(format!("the built-in runtime could not start: {e}"))
        };
        let simulator = Simulator::open(&data_dir.join(SIMULATOR_FILE), SimulatorConfig::default())
            .map_err(|e| unavailable(&e))?;
        let runtime = Runtime::open(
            &data_dir.join(RUNTIME_FILE),
            Arc::new(SystemClock),
            Arc::new(simulator),
        )
        .map_err(|e| unavailable(&e))?;
        let executor: Arc<dyn Executor> = runtime.executor().clone();
        if executor.catalog().engagements.is_empty()
            && let Ok(text) = std::fs::read_to_string(seed_catalog)
        {
            let catalog = Catalog::from_json(&text).map_err(|e| unavailable(&e))?;
            executor.set_catalog(catalog).map_err(|e| unavailable(&e))?;
        }
        Ok(EmbeddedRuntime { runtime, executor })
    }

    /// The executor, for [`super::runtime::connect`].
    pub fn executor(&self) -> &Arc<dyn Executor> {
        &self.executor
    }

    /// The runtime (its HTTP router, token…).
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }
}
