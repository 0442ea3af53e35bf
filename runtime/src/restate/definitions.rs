//! Versions' definitions as this process's runs read them: each (version, generation) is read
//! once per process and kept, instead of a call to the version object at every step.
//!
//! A version's document and catalog change only when it is defined again (a republish stores
//! them again, with the catalog of that moment), which bumps its generation; every step already
//! reads the version's lifecycle (paused, stopped, generation) through its journal, so a step
//! whose generation is here takes the definition from memory, and the first step of a version
//! (or of a newer generation) in this process reads it through the cluster's ingress — from the
//! `JourneyVersion` object, so a restarted endpoint recovers it. That read is outside the run's
//! journal on purpose: a journaled read only on a miss would make a replayed invocation issue
//! other commands than its first attempt (cached by then, or not yet in a new process), which
//! Restate refuses as non-deterministic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use journeys::catalog::Catalog;
use journeys::step::JourneyGraph;
use restate_sdk::prelude::{HandlerError, TerminalError};
use tokio::sync::OnceCell;

use super::{Ingress, IngressError};

/// A version's definition, ready to step with.
pub(super) struct Loaded {
    /// Its generation (see [`super::version::Lifecycle`]).
    pub generation: u64,
    /// The graph of its document.
    pub graph: JourneyGraph,
    /// The catalog its runs decide with.
    pub catalog: Catalog,
}

/// One process's definitions, read through the ingress given to [`Definitions::read_through`].
#[derive(Default)]
pub struct Definitions {
    ingress: OnceLock<Arc<Ingress>>,
    /// Per version key, the newest generation read (one read at a time per key).
    loaded: Mutex<HashMap<String, Arc<OnceCell<Arc<Loaded>>>>>,
}

impl Definitions {
    /// Read definitions through `ingress` (the handlers may be served before the cluster they
    /// belong to is up, so this is set apart from the constructor; the first call wins).
    pub fn read_through(&self, ingress: Ingress) {
        // A second ingress of the same cluster would read the same values.
        let _ = self.ingress.set(Arc::new(ingress));
    }

    /// The definition of `version` at `generation` or newer.
    pub(super) async fn get(
        &self,
        version: &str,
        generation: u64,
    ) -> Result<Arc<Loaded>, HandlerError> {
        loop {
            let cell = self
                .loaded
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(version.to_owned())
                .or_default()
                .clone();
            let loaded = cell.get_or_try_init(|| self.fetch(version)).await?.clone();
            if loaded.generation >= generation {
                return Ok(loaded);
            }
            // Defined again since: forget the older one (unless another step did) and read.
            let mut map = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
            if map.get(version).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                map.remove(version);
            }
        }
    }

    async fn fetch(&self, version: &str) -> Result<Arc<Loaded>, HandlerError> {
        let Some(ingress) = self.ingress.get().cloned() else {
            return Err(HandlerError::from(
                "the handlers were given no ingress to read versions' definitions through",
            ));
        };
        let key = version.to_owned();
        let read = tokio::task::spawn_blocking(move || ingress.version_view(&key))
            .await
            .map_err(|e| HandlerError::from(e.to_string()))?;
        match read {
            Ok(view) => Ok(Arc::new(Loaded {
                generation: view.generation,
                graph: JourneyGraph::new(&view.definition.journey),
                catalog: view.definition.catalog,
            })),
            // Retried by Restate: the cluster may be back by then.
            Err(error @ IngressError::Unreachable { .. }) => Err(HandlerError::from(error)),
            // Not published, or not what the handler returns: retrying changes nothing.
            Err(error) => Err(TerminalError::new(error.to_string()).into()),
        }
    }
}
