#!/usr/bin/env bash
# Prints the side-by-side tables: ours against the best peers on the same inputs, in one run.
#   bash scripts/bench.sh               # throughput (interleaved rounds, pinned to core 1) + instruction counts
#   bash scripts/bench.sh throughput    # only the throughput table
#   bash scripts/bench.sh throughput ws sse   # only the comparisons whose names contain a filter
#   bash scripts/bench.sh instructions  # only the instruction counts
#   BENCH_QUICK=1 bash scripts/bench.sh # fewer, shorter rounds
#   BENCH_STRICT=1 bash scripts/bench.sh instructions  # fail when an instruction gate is missed
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
      print "  => " line; rows[++k] = line; per[id] = v / n; n = 0 }
    # The WebSocket counts include about 21 instructions of harness loop and checksum per item,
    # measured by ws_harness_only: the gate applies to what is left.
    function gate(what, id, max, base,   c) {
      if (!(id in per)) return
      c = per[id] - (base in per ? per[base] : 0)
      printf "%-44s %-28s %8.1f <= %3d  %s\n", what, id, c, max, c <= max ? "met" : "MISSED"
      if (c > max) missed++
    }
    END {
      if (k) { print "\n## instructions per item"; for (i = 1; i <= k; i++) print rows[i] }
      # The issues'"'"' instruction gates, for each of our entry points.
      print "\n## gates (instructions per item)"
      gate("ws: 16 B binary msg, minus harness (issue 3)", "ws_ours b16_per_1000", 170, "ws_harness_only b16_per_1000")
      gate("ws: 16 B binary msg, minus harness (issue 3)", "ws_ours_frames b16_per_1000", 170, "ws_harness_only b16_per_1000")
      gate("ws: 16 B binary msg, minus harness (issue 3)", "ws_ours_slice b16_per_1000", 170, "ws_harness_only b16_per_1000")
      gate("http: chunk-size line, 64 B chunks (issue 5)", "chunked_ours c64_per_1001", 50)
      gate("http: chunk-size line, 64 B chunks (issue 5)", "chunked_ours_slice c64_per_1001", 50)
      gate("http: chunk-size line, 64 B chunks (issue 5)", "chunked_ours_data c64_per_1001", 50)
      # Issue 4 names no number: these hold what Parser::feed_with reaches, with about 10%
      # headroom for compiler drift (sse-stream: about 2,360 / 795 / 2,710 / 985).
      gate("sse: typical event, 16 KiB chunks (issue 4)", "sse_ours typical_per_1000", 750)
      gate("sse: LLM token event, 16 KiB chunks (issue 4)", "sse_ours llm_per_1000", 280)
      gate("sse: typical event, 256 B chunks (issue 4)", "sse_ours typical_256b_per_1000", 930)
      gate("sse: LLM token event, 256 B chunks (issue 4)", "sse_ours llm_256b_per_1000", 380)
      # BENCH_STRICT=1 turns a missed gate into a failure.
      if (missed && ENVIRON["BENCH_STRICT"] != "") exit 1
    }'
fi
