#!/usr/bin/env bash
# Fuzzes the runtime's HTTP API against its own OpenAPI document with schemathesis (all
# checks; examples, coverage, fuzzing and stateful phases): a journeys-runtime served on
# 127.0.0.1 with a temporary database and the sample catalog. Zero failures or it exits 1.
# Reproducible: the seed and the example count are fixed here.
# Usage: scripts/api-fuzz.sh            (scripts/setup.sh installs schemathesis in .venv/)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SEED=20261205
MAX_EXAMPLES=${API_FUZZ_MAX_EXAMPLES:-40}
ST=.venv/bin/st
[ -x "$ST" ] || { echo "api-fuzz: $ST is missing; run scripts/setup.sh" >&2; exit 1; }

cargo build -q --locked -p runtime --bin journeys-runtime
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The sample contacts and consent, so stateful sequences reach real rows.
RUST_LOG=warn target/debug/journeys-runtime serve --db "$work/fuzz.sqlite" \
  --listen 127.0.0.1:0 --catalog journeys/samples/catalog.json --clock virtual \
  >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 600); do
  grep -q '^listening ' "$work/out" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
base=$(sed -n 's/^listening //p' "$work/out")
token=$(sed -n 's/^token //p' "$work/out")
[ -n "$base" ] && [ -n "$token" ] || { echo "api-fuzz: the runtime did not start" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
  --data-binary @runtime/samples/contacts.csv "$base/v1/contacts" >/dev/null
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
  --data-binary @runtime/samples/consents.csv "$base/v1/consents" >/dev/null

start=$(date +%s)
set +e
"$ST" --config-file scripts/schemathesis.toml --no-color run "$base/v1/openapi.json" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --header "Authorization: Bearer $token" \
  --seed "$SEED" --max-examples "$MAX_EXAMPLES" \
  --workers 1
status=$?
set -e
echo "api-fuzz: schemathesis took $(( $(date +%s) - start )) s (seed $SEED, $MAX_EXAMPLES examples per operation)"
if ! kill -0 "$server" 2>/dev/null; then
  echo "api-fuzz: the runtime died during the run" >&2
  cat "$work/err" >&2
  exit 1
fi
exit "$status"
