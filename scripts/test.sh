#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs missing packages, checks the code
# format, builds twice (-O3 Release, and -O2 with ASan+UBSan) and runs every ctest test in both builds,
# each test that opens a database on SQLite and again on PostgreSQL (a throwaway cluster).
# then runs each libFuzzer target for 20 s (scripts/fuzz.sh, a clang build in build-fuzz).
# Ends with one line "tests: N passed, N failed" over both builds.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit 1
bash scripts/check-format.sh || exit 1
jobs=$(nproc)
# One throwaway PostgreSQL cluster for the run: every test that opens a database runs again
# on it (pg.* in ctest, CCHC_TEST_BACKEND=pg), each on databases of its own.
CCHC_TEST_PG=$(bash scripts/pg-cluster.sh start) || { echo "cannot start the PostgreSQL test cluster"; exit 1; }
export CCHC_TEST_PG
trap 'bash scripts/pg-cluster.sh stop "$CCHC_TEST_PG" >/dev/null 2>&1' EXIT
passed=0 failed=0
for variant in release asan; do
  dir=build-test-$variant
  # Release is -O3: its deeper inlining finds -Wmaybe-uninitialized cases -O2 does not.
  flags=(-DCMAKE_BUILD_TYPE=Release)
  [ "$variant" = asan ] && flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCCHC_SANITIZE=ON)
  cmake -S . -B "$dir" "${flags[@]}" >/dev/null || exit 1
  cmake --build "$dir" -j "$jobs" >/dev/null || { cmake --build "$dir" -j1 2>&1 | grep -E 'error' | head -20; exit 1; }
  echo "== tests ($variant build)"
  log=$(mktemp)
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600 | tee "$log"
  total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  nfail=$(sed -n 's/.* \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
  rm -f "$log"
  [ -n "$total" ] || { echo "ctest printed no summary ($variant)"; exit 1; }
  passed=$((passed + total - nfail)); failed=$((failed + nfail))
done
# The libFuzzer targets (tests/fuzz), each run 20 s from its seed corpus (scripts/fuzz.sh).
echo "== fuzz (20 s per target)"
if bash scripts/fuzz.sh 20; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
