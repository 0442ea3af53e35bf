#!/usr/bin/env bash
# A Restate cluster on loopback from the npm package pinned in runtime/restate/ (run scripts/setup.sh).
#
#   scripts/restate-cluster.sh up [ENDPOINT_URL]   start the nodes (or restart the dead ones), wait until
#                                                  every partition has a leader, then register the
#                                                  endpoint at ENDPOINT_URL if one is given
#   scripts/restate-cluster.sh status              the nodes (pid, ports) and restatectl's view
#   scripts/restate-cluster.sh down [--keep]       stop the nodes by their recorded pids; drop the data
#                                                  unless --keep
#
# Environment:
#   RESTATE_CLUSTER_DIR    state dir: configs, base dirs, logs, pids (default: a per-user temp dir)
#   RESTATE_CLUSTER_NODES  number of nodes, 1–5 (default 3; replication is 2 from 2 nodes on)
#   RESTATE_PORT_OFFSET    added to every port (default 0): node i serves ingress 8079+i, admin 9069+i,
#                          node-to-node 5121+i, so n1 is 8080 / 9070 / 5122
#   RESTATE_UP_TIMEOUT     seconds `up` waits for a healthy cluster (default 60)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The platform packages' binaries themselves, not node_modules/.bin's Node wrappers: a recorded pid
# must be the server, so that `kill -9 PID` kills the node and `down` leaves no orphan.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) PLATFORM=linux-arm64 ;;
  Darwin-x86_64) PLATFORM=darwin-x64 ;;
  Darwin-arm64) PLATFORM=darwin-arm64 ;;
  *) echo "restate-cluster: Restate has no build for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
MODULES="$ROOT/runtime/restate/node_modules/@restatedev"
SERVER="$MODULES/restate-server-$PLATFORM/bin/restate-server"
CTL="$MODULES/restatectl-$PLATFORM/bin/restatectl"
DIR="${RESTATE_CLUSTER_DIR:-${TMPDIR:-/tmp}/switchboard-restate-$(id -u)}"
NODES="${RESTATE_CLUSTER_NODES:-3}"
OFFSET="${RESTATE_PORT_OFFSET:-0}"
TIMEOUT="${RESTATE_UP_TIMEOUT:-60}"
CLUSTER=switchboard
PARTITIONS=8
export RESTATE_DISABLE_TELEMETRY=true SCARF_ANALYTICS=false DO_NOT_TRACK=1

die() { echo "restate-cluster: $*" >&2; exit 1; }
say() { echo "restate-cluster: $*"; }

[[ "$NODES" =~ ^[1-5]$ ]] || die "RESTATE_CLUSTER_NODES must be 1 to 5, not '$NODES'"
[[ "$OFFSET" =~ ^[0-9]+$ ]] && ((OFFSET <= 50000)) \
  || die "RESTATE_PORT_OFFSET must be a number from 0 to 50000, not '$OFFSET'"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "RESTATE_UP_TIMEOUT must be a number of seconds, not '$TIMEOUT'"

ingress_port() { echo $((8079 + $1 + OFFSET)); }
admin_port() { echo $((9069 + $1 + OFFSET)); }
node_port() { echo $((5121 + $1 + OFFSET)); }
node_addrs() {
  local i out=()
  for ((i = 1; i <= NODES; i++)); do out+=("http://127.0.0.1:$(node_port "$i")/"); done
  local IFS=,; echo "${out[*]}"
}

# The pid recorded for node $1 if that process is alive and is a restate-server; nothing otherwise.
live_pid() {
  local f="$DIR/n$1.pid" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  local comm stat
  if [ -r "/proc/$pid/stat" ]; then # Linux: "PID (COMM) STATE …", without needing procps
    comm="$(sed -E 's/^[0-9]+ \((.*)\) ([A-Z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 0
    stat="$(sed -E 's/^[0-9]+ \((.*)\) ([A-Z]).*/\2/' "/proc/$pid/stat" 2>/dev/null)" || return 0
  else
    comm="$(ps -o comm= -p "$pid" 2>/dev/null)" || return 0
    stat="$(ps -o stat= -p "$pid" 2>/dev/null)" || return 0
  fi
  if [ "${comm##*/}" = restate-server ] && [[ "$stat" != Z* ]]; then
    echo "$pid"
  fi
}

# True when the process recorded for node $1 is alive (not a zombie) and is the server or on
# its way to exec it (start_node's fork, bash, or setsid): read once, as it may exec meanwhile.
# Under load a node was taken for dead in that window.
starting() {
  local stat
  stat="$(cat "/proc/$(cat "$DIR/n$1.pid" 2>/dev/null)/stat" 2>/dev/null)" || return 1
  [[ "$stat" =~ ^[0-9]+\ \((bash|setsid|restate-server)\)\ [^Z] ]]
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  local i=$1 repl=2 addrs
  ((NODES >= 2)) || repl=1
  addrs="$(node_addrs | sed 's/,/", "/g')"
  cat >"$DIR/n$i.toml" <<EOF
# Written by scripts/restate-cluster.sh: node $i of $NODES.
cluster-name = "$CLUSTER"
node-name = "n$i"
auto-provision = $([ "$i" -eq 1 ] && echo true || echo false)
default-num-partitions = $PARTITIONS
default-replication = $repl
base-dir = "$DIR/n$i"
bind-address = "127.0.0.1:$(node_port "$i")"
advertised-address = "http://127.0.0.1:$(node_port "$i")/"
disable-telemetry = true
# Three nodes share one small machine: keep RocksDB and the query engine modest.
rocksdb-total-memory-size = "512 MiB"

[metadata-client]
addresses = ["$addrs"]

[admin]
bind-address = "127.0.0.1:$(admin_port "$i")"

[admin.query-engine]
memory-size = "256 MiB"

[ingress]
bind-address = "127.0.0.1:$(ingress_port "$i")"
EOF
}

check_ports() {
  local i=$1 p
  for p in "$(node_port "$i")" "$(admin_port "$i")" "$(ingress_port "$i")"; do
    port_busy "$p" && die "port $p on 127.0.0.1 (node n$i) is taken by another process; stop it or set RESTATE_PORT_OFFSET"
  done
  return 0
}

start_node() {
  local i=$1
  write_config "$i"
  mkdir -p "$DIR/n$i"
  # setsid (where there is one): the node outlives this script and its terminal; `down` stops it by pid.
  local detach=()
  if command -v setsid >/dev/null; then detach=(setsid); fi
  "${detach[@]}" "$SERVER" --no-logo -c "$DIR/n$i.toml" >>"$DIR/n$i.log" 2>&1 </dev/null &
  echo $! >"$DIR/n$i.pid"
  say "started n$i (pid $!): ingress 127.0.0.1:$(ingress_port "$i"), admin 127.0.0.1:$(admin_port "$i"), node 127.0.0.1:$(node_port "$i"), log $DIR/n$i.log"
}

ctl() { "$CTL" --address "$(node_addrs)" "$@"; }

# True when every started node answers /health and every partition has a leader with replication met.
healthy() {
  local i pid
  for ((i = 1; i <= NODES; i++)); do
    pid="$(live_pid "$i")"
    if [ -z "$pid" ] && starting "$i"; then return 1; fi
    [ -n "$pid" ] || die "node n$i exited during start-up; see $DIR/n$i.log: $(tail -n 5 "$DIR/n$i.log" 2>/dev/null | tr '\n' ' ')"
    curl -fsS -o /dev/null "http://127.0.0.1:$(admin_port "$i")/health" 2>/dev/null || return 1
    curl -fsS -o /dev/null "http://127.0.0.1:$(ingress_port "$i")/restate/health" 2>/dev/null || return 1
  done
  local leaders
  # Rows are "ID NODE MODE STATUS …": every partition needs an active leader.
  leaders="$(ctl partitions list 2>/dev/null | awk '$3 == "Leader" && $4 == "Active" { print $1 }' | sort -u | wc -l)" \
    || return 1
  [ "$leaders" -ge "$PARTITIONS" ]
}

register() {
  local url=$1 out code
  say "registering the endpoint $url"
  out="$(curl -sS -w '\n%{http_code}' -X POST "http://127.0.0.1:$(admin_port 1)/deployments" \
    -H 'content-type: application/json' -d "{\"uri\": \"$url\", \"force\": true}")" \
    || die "the admin API at 127.0.0.1:$(admin_port 1) did not answer the registration of $url"
  code="$(tail -n 1 <<<"$out")"
  [[ "$code" == 20? ]] || die "registering $url failed with HTTP $code: $(sed '$d' <<<"$out")"
  # head may close the pipe before sed is done: under pipefail that SIGPIPE is no failure.
  sed '$d' <<<"$out" | head -c 400 || true; echo
}

cmd_up() {
  [ -x "$SERVER" ] && [ -x "$CTL" ] \
    || die "the Restate server is not installed in runtime/restate/node_modules: run scripts/setup.sh"
  command -v curl >/dev/null || die "curl is required: run scripts/setup.sh"
  mkdir -p "$DIR"
  local i started=0 t0=$SECONDS
  # Every port first, so that a clash starts nothing.
  for ((i = 1; i <= NODES; i++)); do
    [ -n "$(live_pid "$i")" ] || check_ports "$i"
  done
  for ((i = 1; i <= NODES; i++)); do
    if [ -n "$(live_pid "$i")" ]; then
      say "n$i already runs (pid $(live_pid "$i"))"
    else
      start_node "$i"
      started=1
    fi
  done
  ((started)) || say "every node already runs"
  until healthy; do
    ((SECONDS - t0 < TIMEOUT)) || {
      ctl status >&2 || true
      die "the cluster is not healthy after ${TIMEOUT}s; logs in $DIR/n*.log"
    }
    sleep 0.5
  done
  say "healthy after $((SECONDS - t0))s: $NODES node(s), $PARTITIONS partitions, ingress http://127.0.0.1:$(ingress_port 1), admin http://127.0.0.1:$(admin_port 1)"
  if [ $# -ge 1 ]; then register "$1"; fi
}

cmd_down() {
  local keep=0 i pid
  if [ "${1:-}" = --keep ]; then keep=1; elif [ $# -ge 1 ]; then die "down takes only --keep, not '$1'"; fi
  # Stop every node this dir records, whatever RESTATE_CLUSTER_NODES says now.
  for f in "$DIR"/n*.pid; do
    [ -e "$f" ] || continue
    i="${f##*/n}"; i="${i%.pid}"
    pid="$(live_pid "$i")"
    if [ -n "$pid" ]; then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; say "n$i (pid $pid) did not stop in 10s: killed"; else say "stopped n$i (pid $pid)"; fi
    fi
    rm -f "$f"
  done
  if ((keep)); then
    say "data kept in $DIR"
  elif [ -d "$DIR" ]; then
    rm -rf "$DIR"
    say "removed $DIR"
  fi
}

cmd_status() {
  local i pid running=0
  for ((i = 1; i <= NODES; i++)); do
    pid="$(live_pid "$i")"
    [ -z "$pid" ] || running=1
    printf 'n%s  %-14s ingress 127.0.0.1:%s  admin 127.0.0.1:%s  node 127.0.0.1:%s\n' "$i" \
      "$([ -n "$pid" ] && echo "pid $pid" || echo "not running")" "$(ingress_port "$i")" "$(admin_port "$i")" "$(node_port "$i")"
  done
  ((running)) || die "no node of this cluster runs (state dir $DIR): scripts/restate-cluster.sh up"
  ctl status || die "restatectl could not reach the cluster at $(node_addrs)"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  *) die "usage: $0 up [ENDPOINT_URL] | status | down [--keep]" ;;
esac
