#!/usr/bin/env bash
# Runs Autobahn|Testsuite against codec-ws:
#   1. wstest -m fuzzingclient  against the echo_server example (server side);
#   2. wstest -m fuzzingserver  driven by the echo_client example in --autobahn mode (client side).
# Every case must be OK or INFORMATIONAL with close behaviour OK (check.py). Reports and the
# summaries land in $CARGO_TARGET_DIR/autobahn (default target/autobahn), kept as artifacts.
# Without wstest (no Python 2.7) it prints a notice and exits 0, unless CI is set.
# AUTOBAHN_CASES (default "*") picks cases, e.g. AUTOBAHN_CASES="1.*,5.*"; AUTOBAHN_OUT moves
# the output folder; AUTOBAHN_SERVER_PORT / AUTOBAHN_FUZZ_PORT (9001 / 9002) move the ports.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/scripts/autobahn
VENV=${AUTOBAHN_VENV:-$HOME/.cache/realtime-codecs/autobahn-venv}
WSTEST=$VENV/bin/wstest

if [ ! -x "$WSTEST" ]; then
  bash "$HERE/setup.sh"
fi
if [ ! -x "$WSTEST" ]; then
  if [ -n "${CI:-}" ]; then
    echo "error: wstest is missing under CI (scripts/autobahn/setup.sh)" >&2
    exit 1
  fi
  echo "notice: wstest not installed (needs Python 2.7): skipping Autobahn|Testsuite" >&2
  exit 0
fi

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${AUTOBAHN_OUT:-$TARGET/autobahn}
SERVER_PORT=${AUTOBAHN_SERVER_PORT:-9001}
FUZZ_PORT=${AUTOBAHN_FUZZ_PORT:-9002}
CASES=${AUTOBAHN_CASES:-*}
rm -rf "$OUT"
mkdir -p "$OUT"

cargo build --quiet --release -p codec-ws --features tokio --example echo_server --example echo_client
BIN=$TARGET/release/examples

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

cases_json() {
  local out="" c parts
  IFS=, read -r -a parts <<<"$CASES"
  for c in "${parts[@]}"; do out="$out${out:+, }\"$c\""; done
  echo "[$out]"
}

wait_port() {
  for _ in $(seq 1 100); do
    (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# --- 1. fuzzingclient -> echo_server
"$BIN/echo_server" --addr "127.0.0.1:$SERVER_PORT" >"$OUT/echo_server.log" 2>&1 &
PIDS+=($!)
wait_port "$SERVER_PORT"
cat >"$OUT/fuzzingclient.json" <<JSON
{
  "outdir": "$OUT/server-report",
  "servers": [{ "agent": "codec-ws", "url": "ws://127.0.0.1:$SERVER_PORT" }],
  "cases": $(cases_json),
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
JSON
# --- 2. fuzzingserver <- echo_client
cat >"$OUT/fuzzingserver.json" <<JSON
{
  "url": "ws://127.0.0.1:$FUZZ_PORT",
  "outdir": "$OUT/client-report",
  "cases": $(cases_json),
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
JSON
echo "==> wstest -m fuzzingserver (cases $CASES)" >&2
(cd "$OUT" && exec "$WSTEST" -m fuzzingserver -s fuzzingserver.json >"$OUT/fuzzingserver.log" 2>&1) &
PIDS+=($!)
wait_port "$FUZZ_PORT"
# Both directions at once: wstest is single-threaded Python, and the machine has two cores.
timeout 3600 "$BIN/echo_client" --autobahn "ws://127.0.0.1:$FUZZ_PORT" --agent codec-ws >"$OUT/echo_client.log" 2>&1 &
CLIENT_PID=$!
echo "==> wstest -m fuzzingclient (cases $CASES)" >&2
(cd "$OUT" && timeout 3600 "$WSTEST" -m fuzzingclient -s fuzzingclient.json >"$OUT/fuzzingclient.log" 2>&1)
SERVER_OK=0
"$VENV/bin/python" "$HERE/check.py" "$OUT/server-report/index.json" "$OUT/summary-server.txt" || SERVER_OK=1
wait "$CLIENT_PID" || echo "echo_client exited with status $?" >&2
CLIENT_OK=0
"$VENV/bin/python" "$HERE/check.py" "$OUT/client-report/index.json" "$OUT/summary-client.txt" || CLIENT_OK=1

if [ $SERVER_OK != 0 ] || [ $CLIENT_OK != 0 ]; then
  echo "error: Autobahn|Testsuite found failures (see $OUT/summary-*.txt)" >&2
  exit 1
fi
echo "Autobahn|Testsuite: all cases OK (summaries in $OUT)"
