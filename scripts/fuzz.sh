#!/usr/bin/env bash
# Runs every cargo-fuzz target for N seconds each (default 15) on the nightly toolchain, over the
# committed seeds plus the generated corpus, and fails on the first crash, hang or leak.
#
#   bash scripts/fuzz.sh            # 15 s per target (the README's test command uses a short N)
#   bash scripts/fuzz.sh 3600       # a long run: one hour per target
#   bash scripts/fuzz.sh 600 sse_split   # one target
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECS=${1:-15}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
# FUZZ_SKIP: space-separated targets left out (a known open finding, named in fuzz/README.md).
for s in ${FUZZ_SKIP:-}; do
  for i in "${!targets[@]}"; do [ "${targets[$i]}" = "$s" ] && unset 'targets[i]'; done
done
targets=("${targets[@]}")
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  dict=()
  [ -f "dicts/$t.dict" ] && dict=("-dict=dicts/$t.dict")
  echo "fuzz: $t for ${SECS}s"
  # -rss_limit_mb and -timeout turn unbounded growth and hangs into failures.
  log=$(mktemp)
  if ! cargo +nightly fuzz run --release "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    tail -60 "$log" >&2
    echo "fuzz: $t FAILED (artifacts in fuzz/artifacts/$t)" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | tr '\n' ' '
  echo
  rm -f "$log"
done
