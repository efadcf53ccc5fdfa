#!/usr/bin/env bash
# bench/decade.sh — a province decade for bench/curve.sh: YEARS years of PER_YEAR dossiers each,
# seeded a year at a time into one SQLite database (`cchc seed --year Y --finish --seed Y`:
# each year's dossiers run to their end in the first weeks of the next, so no year leaves
# dossiers open forever; the seed differs per year, so applicants and habits do too). The last
# year runs without --finish: its dossiers open on 31/12 stay open, as in a one-year seed of
# curve.sh, so that the curve compares like with like. Seeding
# 10,000,000 dossiers takes hours on a small machine, longer than one working session, so the
# decade is built in steps: every year that finishes is written to DB.years, and the next run
# goes on with the next year. A run cut in the middle of a year leaves that year partly seeded;
# the script then refuses to go on (the database is not a decade any more: seed it again).
# DECADE_STOP_AT=EPOCH_SECONDS: start no year that the last year's time says would not end
# before then. DECADE_CACHE_MB: the seed's page cache (default 8192).
# Usage: bash bench/decade.sh PATH_TO_cchc DB [PER_YEAR, default 1000000] [FIRST, default 2016]
#        [YEARS, default 10]
# With the defaults the last year is 2025, curve.sh's year, and the database holds 10,000,000
# dossiers: name it DIR/curve-10000000.db and BENCH_DIR=DIR bash bench/curve.sh … 10000000
# measures it (curve.sh reuses a kept database whose dossiers are the size).
set -euo pipefail
CCHC=$(realpath "${1:?usage: bash bench/decade.sh PATH_TO_cchc DB [PER_YEAR] [FIRST] [YEARS]}")
DB=${2:?usage: bash bench/decade.sh PATH_TO_cchc DB [PER_YEAR] [FIRST] [YEARS]}
PER=${3:-1000000}
FIRST=${4:-2016}
YEARS=${5:-10}
CACHE=${DECADE_CACHE_MB:-8192}
LOG=$DB.years
touch "$LOG"
last=0
for ((y = FIRST; y < FIRST + YEARS; y++)); do
  if grep -q "^done $y " "$LOG"; then continue; fi
  if grep -q "^start $y " "$LOG"; then
    echo "decade: year $y was started and did not finish ($LOG): the database is not a decade; delete $DB* and run again" >&2
    exit 1
  fi
  if [ -n "${DECADE_STOP_AT:-}" ] && [ "$last" -gt 0 ] && [ $(($(date +%s) + last * 12 / 10)) -gt "$DECADE_STOP_AT" ]; then
    echo "decade: stopping before $y: the last year took $last s and DECADE_STOP_AT is near" >&2
    exit 0
  fi
  echo "start $y $(date -u +%FT%TZ)" >>"$LOG"
  t0=$SECONDS
  fin=--finish
  [ "$y" -eq $((FIRST + YEARS - 1)) ] && fin=
  out=$("$CCHC" seed --dossiers "$PER" --year "$y" $fin --seed "$y" --cache-mb "$CACHE" --db "$DB")
  last=$((SECONDS - t0))
  echo "$out"
  echo "done $y $(date -u +%FT%TZ) $last s: $out" >>"$LOG"
done
if ! grep -q "^users " "$LOG"; then # as bench/curve.sh's seed() adds them
  echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
  echo "mat-khau-bench-2" | "$CCHC" user add --db "$DB" --username bench.dt --role leader --unit DT >/dev/null
  sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  echo "users $(date -u +%FT%TZ)" >>"$LOG"
fi
echo "decade: $(sqlite3 "$DB" 'SELECT count(*) FROM dossiers') dossiers, $(stat -c %s "$DB") bytes"
