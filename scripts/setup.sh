#!/usr/bin/env bash
# Installs everything Switchboard needs on a Debian/Ubuntu machine, idempotently:
# system packages (WebKitGTK, Xvfb, WebKitWebDriver, …), the pinned Rust toolchain's
# rustfmt and clippy, the wasm target and wasm-bindgen CLI (the page's validator), the UI's
# npm packages, the Restate server (runtime/restate), tauri-driver and schemathesis (in .venv/,
# for scripts/api-fuzz.sh). A second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT=(build-essential pkg-config curl wget file git libssl-dev libxdo-dev
     libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
     xvfb xauth x11-utils x11-apps webkit2gtk-driver imagemagick fonts-dejavu-core)
missing=()
for p in "${APT[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  S=; [ "$(id -u)" -eq 0 ] || S=sudo
  $S apt-get update
  $S env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  if command -v rustup >/dev/null; then
    rustup toolchain install 1.95.0 --profile minimal -c rustfmt -c clippy
  else
    echo "setup: Rust 1.95 is missing and cannot be downloaded here: install rustup first" >&2
    exit 1
  fi
fi
# rust-toolchain.toml pins 1.95.0 with rustfmt and clippy; make sure the components exist.
{ cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1 \
  || rustup component add rustfmt clippy

if ! command -v node >/dev/null || ! node -e '
  const [a, b] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup: Node.js >= 20.19 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
if [ -f ui/package-lock.json ] && ! [ ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
  echo "setup: installing npm packages in ui/"
  (cd ui && npm ci --no-audit --no-fund)
fi

# The Restate server and restatectl for scripts/restate-cluster.sh, pinned in runtime/restate.
# --ignore-scripts: the only install script there is an analytics ping (@scarf/scarf).
if ! [ runtime/restate/node_modules/.package-lock.json -nt runtime/restate/package-lock.json ]; then
  echo "setup: installing the Restate server in runtime/restate/"
  (cd runtime/restate && SCARF_ANALYTICS=false DO_NOT_TRACK=1 npm ci --no-audit --no-fund --ignore-scripts)
fi

# The page's validator (validator-wasm/, built by scripts/build-wasm.sh): the wasm target and
# the wasm-bindgen CLI of exactly the version Cargo.lock pins for the wasm-bindgen crate.
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
WASM_BINDGEN=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')" != "$WASM_BINDGEN" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN"
  # Not --locked: its lock file names a webpki-roots release some registry mirrors lack.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN"
fi

if ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver 2.1.0"
  cargo install tauri-driver --locked --version 2.1.0
fi

# The API fuzzer, pinned, in a virtual environment of the repository (.venv/, git-ignored).
SCHEMATHESIS=4.32.5
if [ "$(.venv/bin/st --version 2>/dev/null)" != "st, version $SCHEMATHESIS" ]; then
  echo "setup: installing schemathesis $SCHEMATHESIS in .venv/"
  if ! python3 -m venv --help >/dev/null 2>&1; then
    S=; [ "$(id -u)" -eq 0 ] || S=sudo
    $S apt-get update
    $S env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv python3-pip
  fi
  [ -x .venv/bin/pip ] || python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS"
fi
