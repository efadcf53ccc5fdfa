#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan + coverage, in
# build-fuzz/) and runs each for SECONDS (default 20) on a copy of its seed corpus in
# tests/fuzz/corpus/TARGET, one worker per target. Prints per target the runs and coverage,
# and exits 1 on the first crash, leak or sanitizer report (the reproducer is kept in
# build-fuzz/artifacts/ and named). scripts/test.sh runs it with 20 s each; a longer run:
#   bash scripts/fuzz.sh 3600          # an hour per target
# Usage: scripts/fuzz.sh [SECONDS] [TARGET…]
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
dir=build-fuzz
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCCHC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
targets=("$@")
[ ${#targets[@]} -gt 0 ] || for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}" >/dev/null ||
  { cmake --build "$dir" -j1 --target "${targets[@]}" 2>&1 | grep -E 'error' | head -20; exit 1; }
mkdir -p "$dir/artifacts"
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/" 2>/dev/null
  log=$dir/artifacts/$t.log
  start=$(date +%s.%N)
  CCHC_DATA=$PWD/data ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$dir/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$t-" "$work" >"$log" 2>&1
  rc=$?
  cpu=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  corp=$(ls "$work" | wc -l)
  rm -rf "$work"
  if [ $rc -ne 0 ]; then
    echo "fuzz $t: FAILED (exit $rc) after ${cpu} s; log $log; reproducer: $(ls "$dir/artifacts/$t-"* 2>/dev/null | grep -v '\.log$' | head -1)"
    grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
    status=1
  else
    echo "fuzz $t: ${runs:-?} runs in ${cpu} s, ${cov:-cov: ?}, corpus $corp files, no findings"
  fi
done
exit $status
