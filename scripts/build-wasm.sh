#!/usr/bin/env bash
# Builds the page's validator (validator-wasm/, the journeys validator compiled to WebAssembly)
# into ui/src/wasm-validator/ (generated, git-ignored). Run by ui's npm build/dev/test scripts;
# a build with nothing changed takes a second. Needs the wasm32-unknown-unknown target and the
# wasm-bindgen CLI of the crate's exact version (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "build-wasm: wasm-bindgen $want is needed (found: ${have:-none}); run scripts/setup.sh" >&2
  exit 1
fi

cargo build --quiet --release --target wasm32-unknown-unknown -p validator-wasm
wasm=target/wasm32-unknown-unknown/release/validator_wasm.wasm
out=ui/src/wasm-validator
if [ -f "$out/validator_wasm_bg.wasm" ] && [ "$out/validator_wasm_bg.wasm" -nt "$wasm" ]; then
  exit 0
fi
wasm-bindgen --target web --out-dir "$out" "$wasm"
echo "build-wasm: $out/validator_wasm_bg.wasm ($(stat -c %s "$out/validator_wasm_bg.wasm") bytes)"
