//! `serve --engine restate`: the HTTP API over [`RestateExecutor`], with the Virtual Objects'
//! handlers served from the same process and registered with the cluster at start, or (with
//! `--external-handlers`) in `journeys-runtime endpoint` processes of their own.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use restate_sdk::prelude::HttpServer;
use runtime::adapters::ContactCenter;
use runtime::clock::{Clock, SystemClock};
use runtime::executor::Executor;
use runtime::restate::{
    Admin, Definitions, Ingress, RestateExecutor, register_endpoint, run_forward_results,
};
use runtime::storage::Store;

use super::{ClockKind, EndpointArgs, Serve, announce, contact_center};

/// Real time moved to start at a chosen instant (runs on a cluster cannot jump ahead the way
/// the SQLite executor's virtual clock does: their timers are real delayed calls).
struct Shifted(chrono::Duration);

impl Clock for Shifted {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + self.0
    }
}

fn clock_of(kind: ClockKind, virtual_start: DateTime<Utc>) -> Arc<dyn Clock> {
    match kind {
        ClockKind::System => Arc::new(SystemClock),
        ClockKind::Virtual => Arc::new(Shifted(virtual_start - SystemClock.now())),
    }
}

/// Serve the handlers on `listener`, register them at `admin` as `url`, and forward the
/// contact center's results to the cluster's `ingress` from a thread of their own.
async fn serve_handlers(
    listener: tokio::net::TcpListener,
    url: String,
    admin: String,
    ingress: &str,
    clock: Arc<dyn Clock>,
    adapter: Arc<dyn ContactCenter>,
) -> Result<(), Box<dyn std::error::Error>> {
    let definitions = Arc::new(Definitions::default());
    definitions.read_through(Ingress::new(ingress));
    let endpoint = runtime::restate::endpoint(clock.clone(), adapter.clone(), definitions);
    tokio::spawn(HttpServer::new(endpoint).serve(listener));
    let shown = url.clone();
    tokio::task::spawn_blocking(move || register_endpoint(&admin, &url))
        .await?
        .map_err(|e| {
            format!("registering the handlers at {shown} with the Restate cluster failed: {e}")
        })?;
    let ingress = Arc::new(Ingress::new(ingress));
    std::thread::spawn(move || run_forward_results(adapter, ingress, clock));
    Ok(())
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
    let clock = clock_of(args.clock, args.virtual_start);
    let store = Store::open(&args.db, true)?;
    let new_tokens = store.ensure_tokens(clock.now())?;
    let hashes = store.token_hashes()?;
    let executor = Arc::new(RestateExecutor::open(
        Ingress::new(ingress_url.as_str()),
        Admin::new(admin_url.as_str()),
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
        if !args.external_handlers {
            let handlers = tokio::net::TcpListener::bind(&args.restate_endpoint)
                .await
                .map_err(|e| format!("the handlers' address {}: {e}", args.restate_endpoint))?;
            let url = format!("http://{}", handlers.local_addr()?);
            serve_handlers(
                handlers,
                url,
                admin_url.clone(),
                ingress_url,
                clock,
                adapter,
            )
            .await?;
        }
        let handing_over = executor.clone();
        std::thread::spawn(move || handing_over.run_hand_over());
        let listener = tokio::net::TcpListener::bind(&args.listen).await?;
        announce(&new_tokens, listener.local_addr()?)?;
        let router = runtime::http::router(executor as Arc<dyn Executor>, hashes);
        axum::serve(listener, router).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}

/// `journeys-runtime endpoint`: the handlers alone, registered with the cluster at start;
/// prints `listening URL` once registered, then serves until the process is stopped.
pub(crate) fn endpoint(args: &EndpointArgs) -> Result<(), Box<dyn std::error::Error>> {
    let clock = clock_of(args.clock, args.virtual_start);
    let simulator_db = args.simulator_db.clone().unwrap_or_default();
    let adapter = contact_center(
        args.contact_center_url.as_deref(),
        &simulator_db,
        args.simulator_config.as_deref(),
    )?;
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    tokio.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("the handlers' address {}: {e}", args.listen))?;
        let url = args
            .advertise
            .clone()
            .unwrap_or(format!("http://{}", listener.local_addr()?));
        serve_handlers(
            listener,
            url.clone(),
            args.restate_admin.clone(),
            &args.restate_ingress,
            clock,
            adapter,
        )
        .await?;
        println!("listening {url}");
        std::future::pending::<()>().await;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
