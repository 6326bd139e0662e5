#!/usr/bin/env bash
# The main job: builds the npm package's browser build (so the page can use our WASM parsers),
# then runs the demo server on 127.0.0.1:8080. Extra arguments go to the demo (see --help).
# The demo itself needs nothing but cargo: if the WASM build cannot be made, the page still runs
# all five panels and says the package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
if [ -z "${DEMO_SKIP_WASM:-}" ]; then
  if SETUP_SKIP="browser fuzz autobahn" bash scripts/setup.sh && [ -f scripts/wasm-build.sh ]; then
    bash scripts/wasm-build.sh || echo "notice: the WASM package did not build; the demo runs without it" >&2
  else
    echo "notice: the WASM toolchain is not available; the demo runs without the npm package" >&2
  fi
fi
step "cargo run --release -p demo -- $*"
exec cargo run --release -p demo -- "$@"
