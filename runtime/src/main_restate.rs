//! `serve --engine restate`: the HTTP API over [`RestateExecutor`], with the Virtual Objects'
//! handlers served from the same process and registered with the cluster at start.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use restate_sdk::prelude::{Endpoint, HttpServer};
use runtime::adapters::ContactCenter;
use runtime::clock::{Clock, SystemClock};
use runtime::executor::Executor;
use runtime::restate::{
    ContactFile, ContactJourney, Ingress, JourneyVersion, RestateExecutor, register_endpoint,
};
use runtime::storage::Store;

use super::{ClockKind, Serve, announce};

/// Real time moved to start at a chosen instant (runs on a cluster cannot jump ahead the way
/// the SQLite executor's virtual clock does: their timers are real delayed calls).
struct Shifted(chrono::Duration);

impl Clock for Shifted {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + self.0
    }
}

/// Serve the API over the cluster until the process is stopped.
pub(crate) fn serve(
    args: &Serve,
    _clock: Arc<dyn Clock>,
    adapter: Arc<dyn ContactCenter>,
) -> Result<(), Box<dyn std::error::Error>> {
    let (Some(ingress_url), Some(admin_url)) = (&args.restate_ingress, &args.restate_admin) else {
        return Err("--engine restate needs --restate-ingress and --restate-admin".into());
    };
    let clock: Arc<dyn Clock> = match args.clock {
        ClockKind::System => Arc::new(SystemClock),
        ClockKind::Virtual => Arc::new(Shifted(args.virtual_start - SystemClock.now())),
    };
    let store = Store::open(&args.db, true)?;
    let new_tokens = store.ensure_tokens(clock.now())?;
    let hashes = store.token_hashes()?;
    let executor = Arc::new(RestateExecutor::open(
        Ingress::new(ingress_url.as_str()),
        store,
        clock.clone(),
    )?);
    if let Some(path) = &args.catalog {
        let text = std::fs::read_to_string(path)?;
        let catalog = journeys::catalog::Catalog::from_json(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        executor.set_catalog(catalog)?;
    }
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    tokio.block_on(async {
        let handlers = tokio::net::TcpListener::bind(&args.restate_endpoint)
            .await
            .map_err(|e| format!("the handlers' address {}: {e}", args.restate_endpoint))?;
        let endpoint_url = format!("http://{}", handlers.local_addr()?);
        let endpoint = Endpoint::builder()
            .bind(JourneyVersion)
            .bind(ContactFile)
            .bind(ContactJourney::new(clock, adapter))
            .build();
        tokio::spawn(HttpServer::new(endpoint).serve(handlers));
        let admin = admin_url.clone();
        let url = endpoint_url.clone();
        tokio::task::spawn_blocking(move || register_endpoint(&admin, &url))
            .await?
            .map_err(|e| {
                format!("registering the handlers at {endpoint_url} with the Restate cluster failed: {e}")
            })?;
        let listener = tokio::net::TcpListener::bind(&args.listen).await?;
        announce(&new_tokens, listener.local_addr()?)?;
        let router =
            runtime::http::router(executor as Arc<dyn Executor>, hashes);
        axum::serve(listener, router).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
