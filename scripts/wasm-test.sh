#!/usr/bin/env bash
# Tests the npm package the way a user gets it: builds and packs it (scripts/wasm-build.sh),
# installs the tarball into a temporary folder, runs the node:test suites of
# bindings-wasm/tests/node/ against it, then the headless Chromium test of
# bindings-wasm/tests/browser/ against its ESM build. The last line is
# `wasm: N passed, M failed`; the exit status is non-zero on any failure.
# Without node or chromium the step is skipped with a notice, unless CI is set (then it fails).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ROOT=$PWD

# A missing tool: a notice and a skip, or under CI an error (returns 1 then).
missing() {
  if [ -n "${CI:-}" ]; then
    echo "error: $1 is required under CI" >&2
    return 1
  fi
  echo "notice: $1 not found: skipping $2" >&2
}

for tool in node npm wasm-bindgen; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if missing "$tool" "the wasm package tests (scripts/setup.sh installs it)"; then
      echo "wasm: 0 passed, 0 failed (skipped)"
      exit 0
    fi
    echo "wasm: 0 passed, 1 failed"
    exit 1
  fi
done

fail() {
  echo "error: $1" >&2
  echo "wasm: 0 passed, 1 failed"
  exit 1
}

# Not `tee /dev/stderr`: re-opening /dev/stderr truncates a log file that stderr points to.
build_out=$(bash scripts/wasm-build.sh --pack) || fail "scripts/wasm-build.sh failed"
printf '%s\n' "$build_out" >&2
TGZ=$(printf '%s\n' "$build_out" | tail -1)
[ -f "$TGZ" ] || fail "no tarball from wasm-build.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtc-wasm-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step "install $(basename "$TGZ") into $WORK"
cd "$WORK"
printf '{ "name": "rtc-wasm-test", "private": true, "type": "module" }\n' >package.json
npm install --silent --no-audit --no-fund --no-package-lock "$TGZ" >/dev/null ||
  fail "npm install of the tarball failed"
mkdir tests
cp "$ROOT"/bindings-wasm/tests/node/*.mjs tests/

export RTC_VECTORS="$ROOT/../shared/vectors"
export RTC_INTEROP="$ROOT/interop"
PASSED=0
FAILED=0

step "node --test (installed package)"
set +e
timeout 300 node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$WORK/node.tap" tests/*.test.mjs
node_rc=$?
set -e
np=$(awk '/^# pass /{print $3}' "$WORK/node.tap" 2>/dev/null || true)
nf=$(awk '/^# fail /{print $3}' "$WORK/node.tap" 2>/dev/null || true)
PASSED=$((PASSED + ${np:-0}))
FAILED=$((FAILED + ${nf:-0}))
# A crash or timeout without a summary still counts as a failure.
if [ "$node_rc" -ne 0 ] && [ "${nf:-0}" -eq 0 ]; then FAILED=$((FAILED + 1)); fi

step "headless Chromium (ESM build)"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PLAYWRIGHT="$ROOT/interop/node_modules/playwright-core"
if [ ! -x "$CHROMIUM" ]; then
  missing "$CHROMIUM (Debian package chromium)" "the browser test" || FAILED=$((FAILED + 1))
elif [ ! -d "$PLAYWRIGHT" ]; then
  missing "$PLAYWRIGHT (cd interop && npm ci)" "the browser test" || FAILED=$((FAILED + 1))
else
  set +e
  timeout 150 node "$ROOT/bindings-wasm/tests/browser/run.mjs" \
    "$WORK/node_modules/realtime-codecs/web" "$PLAYWRIGHT" | tee "$WORK/browser.out"
  br_rc=${PIPESTATUS[0]}
  set -e
  line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed' "$WORK/browser.out" | tail -1 || true)
  bp=$(echo "$line" | awk '{print $2}')
  bf=$(echo "$line" | awk '{print $4}')
  PASSED=$((PASSED + ${bp:-0}))
  FAILED=$((FAILED + ${bf:-0}))
  if [ "$br_rc" -ne 0 ] && [ "${bf:-0}" -eq 0 ]; then FAILED=$((FAILED + 1)); fi
fi

echo
echo "wasm: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
