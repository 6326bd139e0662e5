#!/usr/bin/env bash
# Prints the side-by-side tables: ours against the best peers on the same inputs, in one run.
#   bash scripts/bench.sh               # throughput (interleaved rounds, pinned to core 1) + instruction counts
#   bash scripts/bench.sh throughput    # only the throughput table
#   bash scripts/bench.sh throughput ws sse   # only the comparisons whose names contain a filter
#   bash scripts/bench.sh instructions  # only the instruction counts
#   BENCH_QUICK=1 bash scripts/bench.sh # fewer, shorter rounds
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
what=${1:-all}
[ $# -gt 0 ] && shift
pin=()
command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ] && pin=(taskset -c 1)
if [ "$what" = all ] || [ "$what" = throughput ]; then
  step "throughput (ratios of medians; absolute numbers move 1.5-2x between runs on a shared VM)"
  cargo build --quiet --release -p bench --bench throughput
  "${pin[@]}" cargo bench --quiet -p bench --bench throughput -- "$@"
fi
if [ "$what" = all ] || [ "$what" = instructions ]; then
  need_cmd valgrind "apt-get install valgrind"
  v=$(awk '/^name = "gungraun"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! command -v gungraun-runner >/dev/null || [ "$(gungraun-runner --version | awk '{print $2}')" != "$v" ]; then
    step "cargo install gungraun-runner $v"
    cargo install --quiet gungraun-runner --version "$v"
  fi
  step "instruction counts (valgrind; exact and repeatable)"
  # Each benchmark id ends in _per_N (items in its batch): add instructions per item, and
  # repeat them as one table at the end.
  cargo bench --quiet -p bench --bench instructions 2>&1 | awk '
    { print }
    /^[^ ].*_per_[0-9]+/ { f = $1; sub(/.*::/, "", f); b = $2; sub(/:.*/, "", b); id = f " " b
                           n = b; sub(/.*_per_/, "", n) }
    /Instructions:/ && n > 0 {
      v = $2; sub(/\|.*/, "", v)
      line = sprintf("%-48s %11d instr / %4d = %9.1f per item", id, v, n, v / n)
      print "  => " line; rows[++k] = line; n = 0 }
    END { if (k) { print "\n## instructions per item"; for (i = 1; i <= k; i++) print rows[i] } }'
fi
