#!/usr/bin/env bash
# Runs every check and test of Switchboard, stopping at the first failure:
# formatting, clippy, the Rust test suites (which also regenerate ui/src/bindings.ts),
# the bindings drift check, the UI type check, build, unit tests and lint, and the end-to-end
# suite on the real desktop app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all --check
step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked
step "bindings are fresh"
git diff --exit-code -- ui/src/bindings.ts
step "ui: type check, build, unit tests, lint (ESLint + Prettier)"
(cd ui && npm run build && npm test && npm run lint)
step "end-to-end on the real app"
scripts/e2e.sh
echo
echo "all checks passed"
