#!/usr/bin/env bash
# Test of bench/decade-pg.sh (bench/decade-copy-pg.sh): a small decade of four years made in
# PostgreSQL (2017 seeded with --finish and 2019 seeded, in SQLite, copied in; 2016 and 2018
# copied from 2017 inside PostgreSQL; 2019 joined last) must hold each year's dossiers with
# codes that carry their day, no open dossier but in the last year, the last year's ids after
# the others', copies whose applicants have other phone numbers, messages that name the copied
# codes, identities that continue after the copied ids, and counters that equal
# `cchc stats rebuild` row for row; a second run and a year named twice are refused.
# Needs the PostgreSQL cluster of CCHC_TEST_PG (scripts/test.sh starts one); skips without it.
set -u
CCHC=${1:?usage: t-decade-pg.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${CCHC_TEST_PG:-}" ] || { echo "SKIP: needs CCHC_TEST_PG (scripts/pg-cluster.sh start)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
fails=0
tmp=$(mktemp -d)
name=t_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
cleanup() {
  psql "$CCHC_TEST_PG" -qAtX -c "DROP DATABASE IF EXISTS $name" -c "DROP DATABASE IF EXISTS ${name}_1" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
psql "$CCHC_TEST_PG" -qAtX -c "CREATE DATABASE $name" >/dev/null || { echo "FAIL create database"; exit 1; }
db=${CCHC_TEST_PG%/*}/$name
q() { psql "$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

if ! bash "$ROOT/bench/decade-pg.sh" "$CCHC" "$db" "$tmp" 300 2016 4 >"$tmp/out" 2>&1; then
  cat "$tmp/out"
  fail "decade-pg.sh did not finish"
  echo "$fails failure(s)"
  exit 1
fi
got=$(q "SELECT string_agg(y || ':' || n || ':' || o, ' ' ORDER BY y) FROM (SELECT left(day, 4) y,
  count(*) n, count(*) FILTER (WHERE status NOT IN ('returned', 'refused', 'withdrawn', 'cancelled')) o
  FROM dossiers GROUP BY 1) t")
case $got in
"2016:300:0 2017:300:0 2018:300:0 2019:300:"[1-9]*) ;;
*) fail "years: got [$got], want 300 dossiers a year and open ones only in 2019" ;;
esac
[ "$(q "SELECT min(id) FROM dossiers WHERE day LIKE '2019-%'")" = 901 ] ||
  fail "the last year's ids do not follow the others' (min id $(q "SELECT min(id) FROM dossiers WHERE day LIKE '2019-%'"))"
[ "$(q "SELECT count(*) FROM dossiers WHERE substr(code, length(code) - 10, 6) <> to_char(day::date, 'YYMMDD')")" = 0 ] ||
  fail "a code does not carry its dossier's day"
i=$(q "SELECT min(id) FROM dossiers WHERE id <= 300 AND applicant_phone IS NOT NULL")
same=$(q "SELECT count(DISTINCT applicant_name) || '|' || count(DISTINCT applicant_phone) || '|' || count(DISTINCT code)
  FROM dossiers WHERE id IN ($i, $i + 300, $i + 600)")
[ "$same" = "1|3|3" ] || fail "copies of dossier $i: names, phones, codes distinct = [$same], want 1|3|3"
[ "$(q "SELECT count(*) FROM outbox o WHERE o.dossier_code IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM dossiers d WHERE d.code = o.dossier_code)")" = 0 ] || fail "a message names a code no dossier has"
[ "$(q "SELECT count(*) FROM outbox WHERE dossier_code LIKE '%-16____-%'")" -gt 0 ] || fail "no message of the 2016 copy"
[ "$(q "SELECT count(*) FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.at < d.submitted_at")" = 0 ] ||
  fail "an event before its dossier's submission"
for t in dossiers events outbox; do
  [ "$(q "SELECT nextval(pg_get_serial_sequence('$t', 'id')) > (SELECT max(id) FROM $t)")" = t ] ||
    fail "the identity of $t does not continue after the copied ids"
done
[ "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'decade_last'")" = 0 ] || fail "schema decade_last left"
[ "$(q "SELECT count(*) FROM users WHERE username IN ('bench', 'bench.dt')")" = 2 ] || fail "the bench users"

counters() { # the counters' non-zero rows, in order
  local t cols
  for t in stats_day stats_month stats_unit_day stats_steps stats_carry stats_proc_month stats_proc_carry; do
    cols=$(q "SELECT string_agg(column_name, ' + ') FROM information_schema.columns WHERE table_schema = 'public'
      AND table_name = '$t' AND data_type = 'bigint' AND column_name NOT IN ('day', 'month', 'step', 'year')")
    q "SELECT '$t', * FROM $t WHERE $cols <> 0 ORDER BY 2, 3, 4, 5, 6"
  done
  q "SELECT 'stats_carry', count(*) FROM stats_carry" # its rows of zeros too: one per unit and year
  q "SELECT 'stats_proc_carry', count(*) FROM stats_proc_carry"
}
counters >"$tmp/before"
"$CCHC" stats rebuild --db "$db" >/dev/null 2>&1 || fail "stats rebuild"
counters >"$tmp/after"
[ "$(wc -l <"$tmp/before")" -gt 1000 ] || fail "only $(wc -l <"$tmp/before") counter rows"
cmp -s "$tmp/before" "$tmp/after" ||
  fail "the decade's counters differ from a rebuild: $(diff "$tmp/before" "$tmp/after" | head -3)"

# refusals: a copy of a decade, a year named twice and the source year onto itself (nothing
# left behind), a second run
bash "$ROOT/bench/decade-copy-pg.sh" "$db" public 2017 2021 2>"$tmp/err" && fail "a decade was copied again"
grep -q "holds years 2016..2019, not only 2017" "$tmp/err" || fail "copy of a decade: [$(cat "$tmp/err")]"
psql "$CCHC_TEST_PG" -qAtX -c "CREATE DATABASE ${name}_1" >/dev/null || fail "create database ${name}_1"
one=${CCHC_TEST_PG%/*}/${name}_1
"$CCHC" seed --dossiers 50 --year 2021 --finish --db "$tmp/one.db" >/dev/null || fail "seed 2021"
"$CCHC" migrate --to "$one" --db "$tmp/one.db" >/dev/null 2>&1 || fail "migrate 2021"
db=$one
n0=$(q "SELECT count(*) FROM dossiers")
bash "$ROOT/bench/decade-copy-pg.sh" "$db" public 2021 2022 2022 2>"$tmp/err" && fail "a year named twice was copied"
grep -q "a year is named twice" "$tmp/err" || fail "year twice: [$(cat "$tmp/err")]"
bash "$ROOT/bench/decade-copy-pg.sh" "$db" public 2021 2021 2>"$tmp/err" && fail "the source year was copied onto itself"
grep -q "is the source year of public" "$tmp/err" || fail "onto itself: [$(cat "$tmp/err")]"
[ "$(q "SELECT count(*) FROM dossiers")" = "$n0" ] || fail "a refused copy changed the dossiers"
[ "$(q "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'decade_src%'")" = 0 ] || fail "a refused copy left its tables"
db=${CCHC_TEST_PG%/*}/$name
bash "$ROOT/bench/decade-pg.sh" "$CCHC" "$db" "$tmp" 300 2016 4 >/dev/null 2>&1 && fail "a second run was accepted"
[ "$(q "SELECT count(*) FROM dossiers")" = 1200 ] || fail "a refused second run changed the decade"
[ "$fails" -eq 0 ] && echo "ok t-decade-pg" || echo "$fails failure(s)"
[ "$fails" -eq 0 ]
