#!/usr/bin/env bash
# Builds and launches the Switchboard designer (installing what it needs first).
# Without a display (a server, CI) the app runs under Xvfb; `--screenshot FILE` then saves a
# picture of its window after a few seconds and quits, so a headless run can still be seen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

screenshot=""
if [ "${1:-}" = "--screenshot" ]; then screenshot="${2:?--screenshot needs a file}"; shift 2; fi

# The UI is built first: the production binary embeds ui/dist. Optimised, as users get it
# (`SWITCHBOARD_DEBUG=1` builds the faster-to-compile debug binary instead).
(cd ui && npm run build)
if [ "${SWITCHBOARD_DEBUG:-}" = "1" ]; then
  cargo build -p switchboard --features tauri/custom-protocol
  app=target/debug/switchboard
else
  cargo build --release -p switchboard --features tauri/custom-protocol
  app=target/release/switchboard
fi

if [ -n "$screenshot" ]; then
  out=$(realpath -m "$screenshot")
  xvfb-run -a -s "-screen 0 1280x800x24" sh -c \
    "'$app' \"\$@\" & pid=\$!; sleep 8; import -window root '$out'; kill \$pid" sh "$@"
  echo "screenshot saved to $out"
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" "$@"
else
  echo "No display found: running the designer under Xvfb (use --screenshot FILE to see it)." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$app" "$@"
fi
