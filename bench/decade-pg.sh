#!/usr/bin/env bash
# bench/decade-pg.sh — the province decade of bench/decade.sh in PostgreSQL, for the curve's
# PostgreSQL column at 10 M (BENCH_PG_URL=… bash bench/curve.sh … 10000000 measures it).
#
# Seeding on PostgreSQL runs about 90 dossiers/s, and the SQLite decade (34 GB) does not fit
# the disk beside its copy, so only two years are seeded, in SQLite, and the rest is made in
# PostgreSQL:
#   1. SOURCE (the first year of 365 days, 2017 by default) is seeded with --finish in
#      DIR/decade-src-SOURCE-PER.db, the last year (as curve.sh seeds its one-year databases)
#      in DIR/decade-last-LAST-PER.db, or taken from DECADE_LAST_DB (curve.sh's
#      curve-1000000.db is 2025 seeded so). Both files are kept and reused by a later run;
#   2. the last year is copied into the empty database URL (`cchc migrate --to`), its schema
#      renamed decade_last and its keys and indexes dropped (the copy reads it whole); the
#      source year is copied into a new public schema;
#   3. bench/decade-copy-pg.sh copies the source year into every other year but the last, then
#      the last year from decade_last (+0 days, its ids after the others', as if seeded last),
#      and the schema decade_last is dropped;
#   4. the bench users (curve.sh's), VACUUM ANALYZE and a CHECKPOINT.
# The audit chain is not rebuilt (decade-copy.sh): `cchc audit verify` fails on the decade.
# Usage: bash bench/decade-pg.sh PATH_TO_cchc URL DIR [PER_YEAR, default 1000000]
#        [FIRST, default 2016] [YEARS, default 10]
set -euo pipefail
USAGE="usage: bash bench/decade-pg.sh PATH_TO_cchc URL DIR [PER_YEAR] [FIRST] [YEARS]"
CCHC=$(realpath "${1:?$USAGE}")
URL=${2:?$USAGE}
DIR=${3:?$USAGE}
PER=${4:-1000000}
FIRST=${5:-2016}
YEARS=${6:-10}
LAST=$((FIRST + YEARS - 1))
CACHE=${DECADE_CACHE_MB:-8192}
HERE=$(dirname "$0")
q() { psql "$URL" -qAtX -v ON_ERROR_STOP=1 "$@"; }
log() { echo "decade-pg: $* ($(date -u +%T))" >&2; }
mkdir -p "$DIR"

[ "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'decade_last'")" = 0 ] ||
  { echo "decade-pg: $URL has a schema decade_last: a run stopped half-way; use a new database" >&2; exit 1; }
SRC=$FIRST
while [ "$(q -c "SELECT DATE '$SRC-12-31' - DATE '$SRC-01-01'")" != 364 ]; do SRC=$((SRC + 1)); done
[ "$SRC" -lt "$LAST" ] || { echo "decade-pg: no year of 365 days before the last one" >&2; exit 2; }

seeded() { # DB YEAR [--finish]: DB seeded with PER dossiers of YEAR, once
  if [ "$(sqlite3 "$1" 'SELECT count(*) FROM dossiers' 2>/dev/null)" != "$PER" ]; then
    rm -f "$1" "$1-wal" "$1-shm"
    local t0=$SECONDS
    "$CCHC" seed --dossiers "$PER" --year "$2" ${3:-} --seed "$2" --cache-mb "$CACHE" --db "$1" | tail -1 >&2
    log "seeded $2 in $((SECONDS - t0)) s"
  fi
}
SRC_DB=$DIR/decade-src-$SRC-$PER.db
LAST_DB=${DECADE_LAST_DB:-$DIR/decade-last-$LAST-$PER.db}
seeded "$SRC_DB" "$SRC" --finish
[ -n "${DECADE_LAST_DB:-}" ] || seeded "$LAST_DB" "$LAST"
[ "$(sqlite3 "$LAST_DB" "SELECT count(*) || ' ' || min(substr(day, 1, 4)) || ' ' || max(substr(day, 1, 4)) FROM dossiers")" = "$PER $LAST $LAST" ] ||
  { echo "decade-pg: $LAST_DB does not hold $PER dossiers of $LAST alone" >&2; exit 1; }

t0=$SECONDS
"$CCHC" migrate --to "$URL" --db "$LAST_DB" | tail -1 >&2
q -c "ALTER SCHEMA public RENAME TO decade_last" -c "CREATE SCHEMA public"
# the copy reads decade_last whole: its keys and indexes (a third of its size) only take disk
# while the eight copies grow beside it
q <<'SQL'
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'decade_last' AND contype <> 'c' ORDER BY contype = 'f' DESC LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);
  END LOOP;
  FOR r IN SELECT i.indexrelid::regclass AS ix FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'decade_last' LOOP
    EXECUTE format('DROP INDEX %s', r.ix);
  END LOOP;
END $$;
SQL
"$CCHC" migrate --to "$URL" --db "$SRC_DB" | tail -1 >&2
log "both years copied into PostgreSQL in $((SECONDS - t0)) s"
others=()
for ((y = FIRST; y < LAST; y++)); do [ "$y" = "$SRC" ] || others+=("$y"); done
[ ${#others[@]} -eq 0 ] || bash "$HERE/decade-copy-pg.sh" "$URL" public "$SRC" "${others[@]}"
bash "$HERE/decade-copy-pg.sh" "$URL" decade_last "$LAST" "$LAST"
q -c "DROP SCHEMA decade_last CASCADE"
echo "mat-khau-bench-1" | "$CCHC" user add --db "$URL" --username bench --role desk_officer --unit DT.MYTHO >/dev/null
echo "mat-khau-bench-2" | "$CCHC" user add --db "$URL" --username bench.dt --role leader --unit DT >/dev/null
t0=$SECONDS
q -c "VACUUM ANALYZE" -c "CHECKPOINT"
log "VACUUM ANALYZE and CHECKPOINT in $((SECONDS - t0)) s"
echo "decade-pg: $(q -c "SELECT count(*) FROM dossiers") dossiers, $(q -c "SELECT pg_database_size(current_database())") bytes"
