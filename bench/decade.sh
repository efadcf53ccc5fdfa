#!/usr/bin/env bash
# bench/decade.sh — a province decade for bench/curve.sh: YEARS years of PER_YEAR dossiers in
# one SQLite database, the last year (curve.sh's 2025 by default) seeded as curve.sh seeds its
# one-year databases, so that the curve's 10 M column measures the same year's operations with
# nine years of history under them.
#
# Seeding every year (`cchc seed --year Y --finish`) costs about 20 min per million dossiers on
# this machine's kind: 10,000,000 take longer than a working session, and a session's machine
# and its files do not outlive it. So by default (DECADE_MODE=copy) two years are seeded for
# real and the others are copies:
#   1. SOURCE (the first year of 365 days, 2017 by default) is seeded with --finish: every
#      dossier of the year runs to its end, in the first weeks of the next year;
#   2. bench/decade-copy.sh copies it into every other year but the last, shifted by whole days
#      (new ids, codes, phone and ID numbers; the counters shifted and rolled up again; the
#      audit chain not rebuilt, so `cchc audit verify` fails on the decade: see that script);
#   3. the last year is seeded for real on top of them, without --finish: its dossiers open on
#      31/12 stay open, as in curve.sh's one-year seeds.
# DECADE_MODE=seed seeds every year for real (hours; a run may stop between years and go on
# with the next one: the finished years are written to DB.years), as sessions 15 and 16 did.
# DECADE_CACHE_MB: the seeds' page cache (default 8192).
# Usage: bash bench/decade.sh PATH_TO_cchc DB [PER_YEAR, default 1000000] [FIRST, default 2016]
#        [YEARS, default 10]
# With the defaults the database holds 10,000,000 dossiers: name it DIR/curve-10000000.db and
# BENCH_DIR=DIR bash bench/curve.sh … 10000000 measures it (curve.sh reuses a kept database
# whose dossiers are the size).
set -euo pipefail
USAGE="usage: bash bench/decade.sh PATH_TO_cchc DB [PER_YEAR] [FIRST] [YEARS]"
CCHC=$(realpath "${1:?$USAGE}")
DB=${2:?$USAGE}
PER=${3:-1000000}
FIRST=${4:-2016}
YEARS=${5:-10}
LAST=$((FIRST + YEARS - 1))
CACHE=${DECADE_CACHE_MB:-8192}
MODE=${DECADE_MODE:-copy}
LOG=$DB.years
HERE=$(dirname "$0")
touch "$LOG"

seed_year() { # YEAR [--finish]
  echo "start $1 $(date -u +%FT%TZ)" >>"$LOG"
  local t0=$SECONDS out
  out=$("$CCHC" seed --dossiers "$PER" --year "$1" ${2:-} --seed "$1" --cache-mb "$CACHE" --db "$DB")
  echo "$out"
  echo "done $1 $(date -u +%FT%TZ) $((SECONDS - t0)) s: $out" >>"$LOG"
}

case $MODE in
copy)
  [ ! -s "$LOG" ] || { echo "decade: $LOG exists: this mode runs once on a new database (delete $DB* and run again)" >&2; exit 1; }
  [ ! -e "$DB" ] || { echo "decade: $DB exists: this mode runs once on a new database" >&2; exit 1; }
  SRC=$FIRST
  while [ "$(sqlite3 :memory: "SELECT julianday('$SRC-12-31') - julianday('$SRC-01-01')")" != 364.0 ]; do
    SRC=$((SRC + 1))
  done
  [ "$SRC" -lt "$LAST" ] || { echo "decade: no year of 365 days before the last one" >&2; exit 2; }
  seed_year "$SRC" --finish
  others=()
  for ((y = FIRST; y < LAST; y++)); do [ "$y" = "$SRC" ] || others+=("$y"); done
  if [ ${#others[@]} -gt 0 ]; then
    t0=$SECONDS
    bash "$HERE/decade-copy.sh" "$DB" "$SRC" "${others[@]}"
    echo "copied $SRC to ${others[*]} $(date -u +%FT%TZ) $((SECONDS - t0)) s" >>"$LOG"
  fi
  seed_year "$LAST"
  ;;
seed)
  last=0
  for ((y = FIRST; y <= LAST; y++)); do
    if grep -q "^done $y " "$LOG"; then continue; fi
    if grep -q "^start $y " "$LOG"; then
      echo "decade: year $y was started and did not finish ($LOG): the database is not a decade; delete $DB* and run again" >&2
      exit 1
    fi
    if [ -n "${DECADE_STOP_AT:-}" ] && [ "$last" -gt 0 ] && [ $(($(date +%s) + last * 12 / 10)) -gt "$DECADE_STOP_AT" ]; then
      echo "decade: stopping before $y: the last year took $last s and DECADE_STOP_AT is near" >&2
      exit 0
    fi
    t0=$SECONDS
    if [ "$y" -eq "$LAST" ]; then seed_year "$y"; else seed_year "$y" --finish; fi
    last=$((SECONDS - t0))
  done
  ;;
*)
  echo "decade: DECADE_MODE=$MODE: copy or seed" >&2
  exit 2
  ;;
esac
if ! grep -q "^users " "$LOG"; then # as bench/curve.sh's seed() adds them
  echo "mat-khau-bench-1" | "$CCHC" user add --db "$DB" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
  echo "mat-khau-bench-2" | "$CCHC" user add --db "$DB" --username bench.dt --role leader --unit DT >/dev/null
  sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  echo "users $(date -u +%FT%TZ)" >>"$LOG"
fi
echo "decade: $(sqlite3 "$DB" 'SELECT count(*) FROM dossiers') dossiers, $(stat -c %s "$DB") bytes"
