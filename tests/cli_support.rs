//! What the command-line tests share: where the workspace is and the built `journeys` binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the root package's manifest folder).
pub(crate) fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `journeys/samples/`.
pub(crate) fn samples() -> PathBuf {
    workspace_root().join("journeys/samples")
}

/// The `journeys` binary next to this test executable (`target/<profile>/journeys`).
/// `cargo build` runs once per test run (a no-op when the binary is fresh), so a stale binary
/// is never tested.
pub(crate) fn journeys_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test executable has a path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("tests run from target/<profile>/deps");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
        let mut build = Command::new(cargo);
        build
            .current_dir(workspace_root())
            .args(["build", "-q", "-p", "journeys", "--bin", "journeys"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        if let Some(target) = profile_dir.parent() {
            build.env("CARGO_TARGET_DIR", target);
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building the journeys binary failed");
        let binary = profile_dir.join(format!("journeys{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.exists(), "{} was not built", binary.display());
        binary
    })
}
