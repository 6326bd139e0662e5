#!/usr/bin/env bash
# Runs every test of the workspace: the README's test command, and what .ci/run calls.
# It installs what it needs first (scripts/setup.sh), then runs each step in order and stops at
# the first failure. FUZZ_SECONDS (default 5) sets the fuzz smoke time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

START=$(date +%s)
PASSED=0
TIMES=()
run() {
  local name=$1
  shift
  step "$name: $*"
  local t0
  t0=$(date +%s)
  "$@"
  TIMES+=("$(printf '%-34s %5ss' "$name" $(($(date +%s) - t0)))")
  PASSED=$((PASSED + 1))
}

if [ ! -d ../shared/vectors ]; then
  if [ -n "${CI:-}" ]; then
    echo "error: ../shared (the test vectors) must sit beside the clone under CI" >&2
    exit 1
  fi
  echo "notice: ../shared is missing: tests that read its vectors will skip" >&2
fi

CORES=(-p codec-ws -p codec-sse -p codec-http-longpoll -p codec-sdp)

run setup bash scripts/setup.sh
run fmt cargo fmt --all -- --check
run clippy cargo clippy --workspace --all-targets --all-features -- -D warnings
run clippy-no-default cargo clippy "${CORES[@]}" --all-targets --no-default-features -- -D warnings
# The npm package's codecs are cargo features: each must build alone (the package's subpath
# builds, realtime-codecs/sse and so on, are those).
bindings_one_codec() {
  for codec in sse sdp ws longpoll; do
    cargo clippy --quiet -p bindings-wasm --no-default-features --features "$codec" -- -D warnings || return 1
  done
}
run bindings-one-codec bindings_one_codec
# The cores are no_std + alloc: they must build without std, for wasm32 too.
run build-no-std-wasm32 wasm_cargo build --quiet "${CORES[@]}" --no-default-features
# The npm package first: the demo's end-to-end test loads its browser build.
run wasm-build bash scripts/wasm-build.sh
run test cargo test --workspace --all-features
run doc env RUSTDOCFLAGS="-D warnings" cargo doc --quiet --workspace --all-features --no-deps
run wasm-test bash scripts/wasm-test.sh
run fuzz-smoke bash scripts/fuzz.sh "${FUZZ_SECONDS:-5}"
run autobahn bash scripts/autobahn/run.sh

echo
echo "step timings:"
printf '  %s\n' "${TIMES[@]}"
echo "total: $(($(date +%s) - START))s"
echo "steps: $PASSED passed, 0 failed"
