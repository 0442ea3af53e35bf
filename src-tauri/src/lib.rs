//! Switchboard's desktop designer: Tauri commands over ops over SQLite storage.
//!
//! `commands` are thin; `ops` hold the behaviour with plain dependencies; `storage` holds every
//! SQL statement. Domain rules come from the `journeys` crate.

pub mod commands;
pub mod error;
pub mod ops;
pub mod storage;
pub mod stress;

use std::path::PathBuf;

use tauri::Manager;
use tauri_specta::{Builder, collect_commands};

use crate::error::AppError;
use crate::storage::Db;

/// What every command can reach.
#[derive(Debug)]
pub struct AppState {
    db: std::result::Result<Db, AppError>,
    /// The catalog file: the embedded runtime's first catalog, and the offline source.
    pub default_catalog: PathBuf,
    /// The runtime inside the app, or why it did not start.
    embedded: std::result::Result<ops::embedded::EmbeddedRuntime, String>,
    /// Cancel switches of test runs.
    pub test_run_cancels: ops::test_runs::RunCancels,
    /// The journeys being edited, kept so edits are validated from small patches.
    pub open_documents: ops::open_documents::OpenDocuments,
}

impl AppState {
    fn db(&self) -> std::result::Result<&Db, AppError> {
        self.db
            .as_ref()
            .map_err(|e| AppError::DatabaseUnavailable(e.to_string()))
    }

    /// The configured runtime (embedded or remote).
    fn runtime(&self) -> std::result::Result<ops::runtime::RuntimeClient, AppError> {
        let embedded = match &self.embedded {
            Ok(runtime) => Ok(runtime.executor()),
            Err(reason) => Err(reason.as_str()),
        };
        Ok(ops::runtime::connect(self.db()?, embedded)?)
    }
}

/// The commands, collected once.
pub fn specta_builder() -> Builder<tauri::Wry> {
    use commands::*;
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            list_journeys,
            create_journey,
            create_sample_journey,
            open_journey,
            save_draft,
            save_open_draft,
            rename_journey,
            duplicate_journey,
            delete_journey,
            validate_journey,
            validate_edit,
            validation_context,
            get_catalog,
            refresh_catalog,
            set_catalog_source,
            condition_variables,
            quiet_time_summary,
            list_time_zones,
            runtime_target,
            set_runtime_target,
            publish_journey,
            change_live_state,
            live_counts,
            import_contacts,
            run_test_run,
            default_test_run_outcomes,
            cancel_test_run,
            latest_test_run,
            read_test_audience,
            parse_fragment,
            export_journey,
            import_journey,
            compare_journeys,
            restore_version,
            review_publish,
            publish_reviewed,
            compare_version_numbers,
            appearance::appearance,
            appearance::set_appearance,
            versions::journey_versions,
            versions::version_action,
            versions::open_version,
            insight::tile_insight,
            insight::export_tile_contacts,
        ])
        .events(tauri_specta::collect_events![TestRunProgress])
        // Field bounds the validator applies, so inputs refuse what it would (names, waits).
        .constant("LIMITS", journeys::limits::limits())
        // Tile outputs, refused connections and block-code words: the canvas's rules, from Rust.
        .constant("RULES", journeys::designer_rules::designer_rules())
        .dangerously_cast_bigints_to_number()
}

/// Where the generated TypeScript bindings live.
pub const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");

/// The sample catalog of the source tree, the default source in development and tests.
const SAMPLE_CATALOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../journeys/samples/catalog.json"
);

/// Command-line options.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--data-dir DIR` or `SWITCHBOARD_DATA_DIR`: where the database lives.
    pub data_dir: Option<PathBuf>,
    /// `--autosave-stress DIR` (hidden): save drafts in a loop, for the crash-safety test.
    pub autosave_stress: Option<PathBuf>,
}

/// Parse the command line (`args` without the program name) and environment.
pub fn parse_options(
    args: impl IntoIterator<Item = String>,
    env_data_dir: Option<String>,
) -> Options {
    let mut options = Options {
        data_dir: env_data_dir.filter(|s| !s.is_empty()).map(PathBuf::from),
        autosave_stress: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            options.data_dir = Some(PathBuf::from(value));
        } else if arg == "--data-dir" {
            options.data_dir = args.next().map(PathBuf::from);
        } else if arg == "--autosave-stress" {
            options.autosave_stress = args.next().map(PathBuf::from);
        }
    }
    options
}

/// The catalog the app ships as a resource (an installed package's), else the source tree's.
fn default_catalog(resource_dir: Option<PathBuf>) -> PathBuf {
    resource_dir
        .map(|d| d.join("catalog.json"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(SAMPLE_CATALOG))
}

/// Start the designer.
pub fn run(options: Options) -> tauri::Result<()> {
    let ipc = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(ipc.invoke_handler())
        .setup(move |app| {
            ipc.mount_events(app);
            let data_dir = match options.data_dir.clone() {
                Some(dir) => dir,
                // Development builds keep their drafts apart from the installed app's.
                None if cfg!(dev) => app.path().app_data_dir()?.join("development"),
                None => app.path().app_data_dir()?,
            };
            let db = std::fs::create_dir_all(&data_dir)
                .map_err(|e| {
                    AppError::DatabaseUnavailable(format!(
                        "cannot create the data folder {}: {e}",
                        data_dir.display()
                    ))
                })
                .and_then(|()| Db::open(&data_dir).map_err(AppError::from));
            let default_catalog = default_catalog(app.path().resource_dir().ok());
            let embedded = ops::embedded::EmbeddedRuntime::open(&data_dir, &default_catalog)
                .map_err(|e| e.to_string());
            if let Err(reason) = &embedded {
                eprintln!("switchboard: {reason}");
            }
            app.manage(AppState {
                db,
                default_catalog,
                embedded,
                test_run_cancels: ops::test_runs::RunCancels::default(),
                open_documents: ops::open_documents::OpenDocuments::default(),
            });
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// The binary's entry point.
pub fn run_main() {
    let options = parse_options(
        std::env::args().skip(1),
        std::env::var("SWITCHBOARD_DATA_DIR").ok(),
    );
    if let Some(dir) = options.autosave_stress {
        std::process::exit(stress::autosave_loop(&dir));
    }
    if let Err(error) = run(options) {
        eprintln!("switchboard: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_bindings() {
        specta_builder()
            .export(specta_typescript::Typescript::default(), BINDINGS)
            .expect("the bindings file is writable");
    }

    #[test]
    fn data_dir_comes_from_flag_then_env() {
        let o = parse_options(["--data-dir".into(), "/a".into()], Some("/b".into()));
        assert_eq!(o.data_dir, Some(PathBuf::from("/a")));
        let o = parse_options(["--data-dir=/c".into()], None);
        assert_eq!(o.data_dir, Some(PathBuf::from("/c")));
        let o = parse_options(Vec::<String>::new(), Some("/b".into()));
        assert_eq!(o.data_dir, Some(PathBuf::from("/b")));
        assert_eq!(
            parse_options(Vec::<String>::new(), Some(String::new())).data_dir,
            None
        );
    }
}
