#!/usr/bin/env bash
# Prints the side-by-side tables: ours against the best peers on the same inputs, in one run.
#   bash scripts/bench.sh               # throughput (interleaved rounds, pinned to core 1) + instruction counts
#   bash scripts/bench.sh throughput    # only the throughput table
#   BENCH_QUICK=1 bash scripts/bench.sh # fewer, shorter rounds
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
what=${1:-all}
pin=()
command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ] && pin=(taskset -c 1)
if [ "$what" = all ] || [ "$what" = throughput ]; then
  step "throughput (ratios of medians; absolute numbers move 1.5-2x between runs on a shared VM)"
  cargo build --quiet --release -p bench --bench throughput
  "${pin[@]}" cargo bench --quiet -p bench --bench throughput
fi
if [ "$what" = all ] || [ "$what" = instructions ]; then
  need_cmd valgrind "apt-get install valgrind"
  v=$(awk '/^name = "gungraun"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! command -v gungraun-runner >/dev/null || [ "$(gungraun-runner --version | awk '{print $2}')" != "$v" ]; then
    step "cargo install gungraun-runner $v"
    cargo install --quiet gungraun-runner --version "$v"
  fi
  step "instruction counts (valgrind; exact and repeatable)"
  cargo bench --quiet -p bench --bench instructions
fi
