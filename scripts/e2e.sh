#!/usr/bin/env bash
# End-to-end test of the real designer: build the UI and the production binary (UI embedded via
# tauri/custom-protocol), then drive it with tauri-driver + WebKitWebDriver under Xvfb.
# Needs: tauri-driver 2.1.0 (`cargo install tauri-driver --locked --version 2.1.0`),
# webkit2gtk-driver, xvfb, and `npm ci` in ui/.
# Env: E2E_SKIP_PERF=1 skips the 500-tile open benchmark; E2E_PERF_RUNS=N sets its runs (5).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v tauri-driver >/dev/null || { echo "tauri-driver missing: cargo install tauri-driver --locked --version 2.1.0" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver missing: apt-get install webkit2gtk-driver" >&2; exit 1; }
(cd ui && npm run build)
cargo build -p switchboard --features tauri/custom-protocol
cd ui
xvfb-run -a -s "-screen 0 1280x800x24" node e2e/run.mjs
