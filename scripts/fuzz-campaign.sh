#!/usr/bin/env bash
# A long fuzzing campaign measured in CPU time, not wall time: every target runs until its fuzzer
# process has used CPU_SECONDS of CPU (default 660), JOBS targets at a time (default 2), at nice
# FUZZ_NICE (default 19: only the CPU other work leaves idle; 0 for a fair share). Results: target/fuzz-campaign/summary.tsv
# (target, CPU seconds, executions, corpus size, verdict) and one log per target, or in FUZZ_OUT.
# Never pause a fuzzer (SIGSTOP) for longer than its -timeout (10 s): libFuzzer measures a unit
# by wall time and reports a timeout when it resumes.
#
#   bash scripts/fuzz-campaign.sh                  # every target, 11 CPU-minutes each, 2 at a time
#   bash scripts/fuzz-campaign.sh 3600 1 sdp_parse # one target for an hour of CPU
#
# A crash, hang, leak or out-of-memory stops that target, keeps its artifact under
# fuzz/artifacts/<target>/ and makes the script exit non-zero at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
CPU=${1:-660}
JOBS=${2:-2}
shift 2 || shift $# || true
cd "$root/fuzz"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
out="${FUZZ_OUT:-$root/target/fuzz-campaign}"
mkdir -p "$out"
cargo +nightly fuzz build --release >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
bin="$root/fuzz/target/x86_64-unknown-linux-gnu/release"

# CPU seconds (user + system) of one process, from /proc (clock ticks).
cpu_of() {
  local f
  f=$(cut -d' ' -f14,15 "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  echo $(( (${f% *} + ${f#* }) / $(getconf CLK_TCK) ))
}

run_one() {
  local t=$1 log="$out/$1.log"
  mkdir -p "corpus/$t" "artifacts/$t"
  local args=("corpus/$t")
  [ -d "seeds/$t" ] && args+=("seeds/$t")
  [ -f "dicts/$t.dict" ] && args+=("-dict=dicts/$t.dict")
  nice -n "${FUZZ_NICE:-19}" "$bin/$t" "${args[@]}" -artifact_prefix="artifacts/$t/" -max_total_time=864000 \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1 &
  local pid=$! used=0
  while kill -0 "$pid" 2>/dev/null; do
    used=$(cpu_of "$pid")
    if [ "$used" -ge "$CPU" ]; then kill -INT "$pid"; break; fi
    sleep 5
  done
  local rc=0
  wait "$pid" || rc=$?
  # libFuzzer exits 72 when interrupted; anything else but 0 is a finding.
  local verdict=ok
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 72 ]; then verdict="FAILED(rc=$rc)"; fi
  local execs
  execs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$used" "$execs" "$(ls "corpus/$t" | wc -l)" "$verdict" >>"$out/summary.tsv"
  echo "fuzz-campaign: $t ${used} CPU-s, $execs execs, $verdict"
}

: >"$out/summary.tsv"
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
column -t "$out/summary.tsv"
! grep -q FAILED "$out/summary.tsv"
