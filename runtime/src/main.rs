//! `journeys-runtime serve --db PATH --listen 127.0.0.1:PORT [--catalog FILE]`
//! `journeys-runtime serve --engine restate --restate-ingress URL --restate-admin URL --db PATH …`
//! `journeys-runtime endpoint --restate-admin URL --restate-ingress URL --simulator-db PATH …`
//! `journeys-runtime token rotate --db PATH --scope admin|ingest`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use runtime::adapters::{ContactCenter, HttpContactCenter, Simulator, SimulatorConfig};
use runtime::clock::{Clock, SystemClock, VirtualClock};
use runtime::executor::Executor;
use runtime::storage::{Store, TokenScope};
use runtime::{Durability, Runtime};

#[cfg(feature = "restate")]
#[path = "main_restate.rs"]
mod restate;
#[cfg(not(feature = "restate"))]
mod restate {
    /// This build has no Restate engine.
    pub(crate) fn serve(
        _args: &super::Serve,
        _clock: std::sync::Arc<dyn runtime::clock::Clock>,
        _adapter: std::sync::Arc<dyn runtime::adapters::ContactCenter>,
    ) -> Result<(), Box<dyn std::error::Error>> {
        without_restate()
    }

    /// This build has no Restate engine.
    pub(crate) fn endpoint(_args: &super::EndpointArgs) -> Result<(), Box<dyn std::error::Error>> {
        without_restate()
    }

    fn without_restate() -> Result<(), Box<dyn std::error::Error>> {
        Err(
            "this journeys-runtime was built without the Restate engine (cargo feature `restate`)"
                .into(),
        )
    }
}

#[derive(Parser)]
#[command(name = "journeys-runtime", about = "Switchboard's journey runtime")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API and run journeys.
    Serve(Serve),
    /// Serve the Restate engine's handlers in a process of their own, registered with the
    /// cluster at start (`serve --engine restate --external-handlers` then serves only the API).
    Endpoint(EndpointArgs),
    /// Manage the API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Replace a scope's token by a new one, printed once (the old one stops working).
    /// Run it while the runtime is stopped; the new token works from its next start.
    Rotate(Rotate),
}

#[derive(Parser)]
struct Rotate {
    /// The runtime's SQLite database.
    #[arg(long)]
    db: PathBuf,
    /// Which token: `admin` (everything) or `ingest` (contacts, consents, triggers,
    /// interactions, runs).
    #[arg(long, value_enum)]
    scope: ScopeArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeArg {
    Admin,
    Ingest,
}

#[derive(Parser)]
struct Serve {
    /// The SQLite database (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Load (replace) the catalog from this JSON file at start.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Real time, or a virtual clock that jumps to the next timer when idle.
    #[arg(long, value_enum, default_value_t = ClockKind::System)]
    clock: ClockKind,
    /// Start instant of a fresh virtual clock (RFC 3339).
    #[arg(long, default_value = "2026-11-23T14:00:00Z")]
    virtual_start: chrono::DateTime<chrono::Utc>,
    /// `full` survives a power loss (fsync per commit); `normal` only a process kill.
    #[arg(long, value_enum, default_value_t = DurabilityArg::Full)]
    durability: DurabilityArg,
    /// Post call requests to this URL instead of using the built-in simulator.
    #[arg(long)]
    contact_center_url: Option<String>,
    /// The simulator's ledger file (default: the database path + `.simulator`).
    #[arg(long)]
    simulator_db: Option<PathBuf>,
    /// Simulator settings (JSON: seed, mixes per engagement).
    #[arg(long)]
    simulator_config: Option<PathBuf>,
    /// Where runs live: this SQLite file, or a Restate cluster (`--db` then keeps the version
    /// metadata, catalog and tokens).
    #[arg(long, value_enum, default_value_t = Engine::Sqlite)]
    engine: Engine,
    /// The cluster's ingress (with `--engine restate`), e.g. http://127.0.0.1:8080.
    #[arg(long, required_if_eq("engine", "restate"))]
    restate_ingress: Option<String>,
    /// The cluster's admin API (with `--engine restate`), e.g. http://127.0.0.1:9070.
    #[arg(long, required_if_eq("engine", "restate"))]
    restate_admin: Option<String>,
    /// Where this process serves the Restate handlers (registered with the cluster at start).
    #[arg(long, default_value = "127.0.0.1:9080")]
    restate_endpoint: String,
    /// The handlers run in `journeys-runtime endpoint` processes: serve only the API (and hand
    /// enrolments to the cluster); calls and their results are the endpoint's.
    #[arg(long)]
    external_handlers: bool,
}

#[derive(Parser)]
struct EndpointArgs {
    /// Where to serve the handlers, e.g. 127.0.0.1:9080 (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:9080")]
    listen: String,
    /// The URL the cluster reaches the handlers at (default: http:// and the listening address).
    #[arg(long)]
    advertise: Option<String>,
    /// The cluster's admin API, to register the handlers with, e.g. http://127.0.0.1:9070.
    #[arg(long)]
    restate_admin: String,
    /// The cluster's ingress, for the contact center's results, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    restate_ingress: String,
    /// Real time, or real time shifted to start at `--virtual-start`.
    #[arg(long, value_enum, default_value_t = ClockKind::System)]
    clock: ClockKind,
    /// Start instant of the shifted clock (RFC 3339).
    #[arg(long, default_value = "2026-11-23T14:00:00Z")]
    virtual_start: chrono::DateTime<chrono::Utc>,
    /// Post call requests to this URL instead of using the built-in simulator.
    #[arg(long)]
    contact_center_url: Option<String>,
    /// The simulator's ledger file (needed without `--contact-center-url`).
    #[arg(long, required_unless_present("contact_center_url"))]
    simulator_db: Option<PathBuf>,
    /// Simulator settings (JSON: seed, mixes per engagement).
    #[arg(long)]
    simulator_config: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Engine {
    Sqlite,
    Restate,
}

#[derive(Clone, Copy, ValueEnum)]
enum DurabilityArg {
    Full,
    Normal,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClockKind {
    System,
    Virtual,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match Cli::parse().command {
        Command::Serve(args) => serve(args),
        Command::Endpoint(args) => restate::endpoint(&args),
        Command::Token(TokenCommand::Rotate(args)) => rotate(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn rotate(args: &Rotate) -> Result<(), Box<dyn std::error::Error>> {
    if !args.db.exists() {
        return Err(format!("{}: no such database", args.db.display()).into());
    }
    let store = Store::open(&args.db, true).map_err(|e| match e {
        runtime::Error::Db(db)
            if db.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) =>
        {
            format!(
                "{}: the database is in use; stop the runtime, rotate, then start it again",
                args.db.display()
            )
        }
        other => format!("{}: {other}", args.db.display()),
    })?;
    store.ensure_tokens(SystemClock.now())?;
    let scope = match args.scope {
        ScopeArg::Admin => TokenScope::Admin,
        ScopeArg::Ingest => TokenScope::Ingest,
    };
    let token = store.rotate_token(scope, SystemClock.now())?;
    // Printed once: only its hash is stored.
    println!("{} token {token}", scope.as_str());
    Ok(())
}

/// Print the tokens this start made (once: only their hashes are stored), then the address.
fn announce(tokens: &[(TokenScope, String)], address: std::net::SocketAddr) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for (scope, token) in tokens {
        match scope {
            TokenScope::Admin => writeln!(out, "token {token}")?,
            TokenScope::Ingest => writeln!(out, "ingest token {token}")?,
        }
    }
    writeln!(out, "listening http://{address}")?;
    out.flush()
}

/// The HTTP contact center at `url`, else the simulator with its ledger at `simulator_db`.
fn contact_center(
    url: Option<&str>,
    simulator_db: &std::path::Path,
    simulator_config: Option<&std::path::Path>,
) -> Result<Arc<dyn ContactCenter>, Box<dyn std::error::Error>> {
    if let Some(url) = url {
        return Ok(Arc::new(HttpContactCenter::new(url)));
    }
    let config = match simulator_config {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => SimulatorConfig::default(),
    };
    Ok(Arc::new(Simulator::open(simulator_db, config)?))
}

fn serve(args: Serve) -> Result<(), Box<dyn std::error::Error>> {
    let clock: Arc<dyn Clock> = match args.clock {
        ClockKind::System => Arc::new(SystemClock),
        ClockKind::Virtual => Arc::new(VirtualClock::new(args.virtual_start)),
    };
    let simulator_db = args.simulator_db.clone().unwrap_or_else(|| {
        let mut p = args.db.clone().into_os_string();
        p.push(".simulator");
        p.into()
    });
    let adapter = contact_center(
        args.contact_center_url.as_deref(),
        &simulator_db,
        args.simulator_config.as_deref(),
    )?;
    if args.engine == Engine::Restate {
        return restate::serve(&args, clock, adapter);
    }
    let durability = match args.durability {
        DurabilityArg::Full => Durability::Full,
        DurabilityArg::Normal => Durability::Normal,
    };
    let runtime = Runtime::open_with(&args.db, clock, adapter, durability)?;
    if let Some(path) = &args.catalog {
        let text = std::fs::read_to_string(path)?;
        let catalog = journeys::catalog::Catalog::from_json(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        runtime.executor().set_catalog(catalog)?;
    }
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    tokio.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen).await?;
        let address = listener.local_addr()?;
        announce(runtime.new_tokens(), address)?;
        runtime.serve(listener).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
