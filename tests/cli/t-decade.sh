#!/usr/bin/env bash
# Test of bench/decade.sh's default mode (bench/decade-copy.sh): a small decade of four years
# (2016 copied from the seeded 2017, 2018 copied, 2019 seeded last) must hold each year's
# dossiers with codes that carry their day, no open dossier but in the last year, copies whose
# applicants have other phone numbers, messages that name the copied codes, and counters that
# equal `cchc stats rebuild` row for row; the copy refuses a second run, a leap source year and
# a year named twice (leaving nothing behind).
set -u
CCHC=${1:?usage: t-decade.sh PATH_TO_cchc}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3"; exit 77; }
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
q() { sqlite3 -batch "$tmp/d.db" "$@"; }

if ! bash "$ROOT/bench/decade.sh" "$CCHC" "$tmp/d.db" 800 2016 4 >"$tmp/out" 2>&1; then
  cat "$tmp/out"
  fail "decade.sh did not finish"
  echo "$fails failure(s)"
  exit 1
fi
got=$(q "SELECT group_concat(y || ':' || n || ':' || o, ' ') FROM (SELECT substr(day, 1, 4) y,
  count(*) n, sum(status NOT IN ('returned', 'refused', 'withdrawn', 'cancelled')) o
  FROM dossiers GROUP BY 1 ORDER BY 1)")
case $got in
"2016:800:0 2017:800:0 2018:800:0 2019:800:"[1-9]*) ;;
*) fail "years: got [$got], want 800 dossiers a year and open ones only in 2019" ;;
esac
[ "$(q "SELECT count(*) FROM dossiers WHERE substr(code, -11, 6) IS NOT substr(strftime('%Y%m%d', day), 3)")" = 0 ] ||
  fail "a code does not carry its dossier's day"
# a dossier of 2017 with a phone and its copies in 2016 and 2018: the same applicant, other
# phones and codes
i=$(q "SELECT min(id) FROM dossiers WHERE id <= 800 AND applicant_phone IS NOT NULL")
same=$(q "SELECT count(DISTINCT applicant_name), count(DISTINCT applicant_phone), count(DISTINCT code)
  FROM dossiers WHERE id IN ($i, $i + 800, $i + 1600)")
[ "$same" = "1|3|3" ] || fail "copies of dossier $i: names, phones, codes distinct = [$same], want 1|3|3"
[ "$(q "SELECT count(*) FROM outbox o WHERE o.dossier_code IS NOT NULL AND NOT EXISTS
  (SELECT 1 FROM dossiers d WHERE d.code = o.dossier_code)")" = 0 ] ||
  fail "a message names a code no dossier has"
[ "$(q "SELECT count(*) FROM outbox WHERE dossier_code LIKE '%-16____-%'")" -gt 0 ] ||
  fail "no message of the 2016 copy"
[ "$(q "SELECT count(*) FROM events e JOIN dossiers d ON d.id = e.dossier_id
  WHERE e.at < d.submitted_at")" = 0 ] || fail "an event before its dossier's submission"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
[ -z "$(q "PRAGMA foreign_key_check")" ] || fail "foreign_key_check"

counters() { # the counters' non-zero rows, in order
  local t cols
  for t in stats_day stats_month stats_unit_day stats_steps stats_carry stats_proc_month stats_proc_carry; do
    cols=$(q "SELECT group_concat(name, ' + ') FROM pragma_table_info('$t') WHERE type = 'INTEGER'
              AND name NOT IN ('day', 'month', 'step', 'year')")
    q "SELECT '$t', * FROM $t WHERE $cols <> 0 ORDER BY 2, 3, 4, 5, 6"
  done
  q "SELECT 'stats_carry', count(*) FROM stats_carry" # its rows of zeros too: one per unit and year
  q "SELECT 'stats_proc_carry', count(*) FROM stats_proc_carry"
}
counters >"$tmp/before"
"$CCHC" stats rebuild --db "$tmp/d.db" 2>/dev/null || fail "stats rebuild"
counters >"$tmp/after"
[ "$(wc -l <"$tmp/before")" -gt 1000 ] || fail "only $(wc -l <"$tmp/before") counter rows"
cmp -s "$tmp/before" "$tmp/after" ||
  fail "the decade's counters differ from a rebuild: $(diff "$tmp/before" "$tmp/after" | head -3)"

# refusals: a second run, a leap source year, a source year that is not alone
bash "$ROOT/bench/decade.sh" "$CCHC" "$tmp/d.db" 800 2016 4 >/dev/null 2>"$tmp/err" &&
  fail "a second run on the decade was accepted"
grep -q "runs once on a new database" "$tmp/err" || fail "second run: [$(cat "$tmp/err")]"
"$CCHC" seed --dossiers 200 --year 2020 --finish --db "$tmp/leap.db" >/dev/null || fail "seed 2020"
bash "$ROOT/bench/decade-copy.sh" "$tmp/leap.db" 2020 2021 2>"$tmp/err" && fail "a leap source year was copied"
grep -q "has 366 days" "$tmp/err" || fail "leap source: [$(cat "$tmp/err")]"
"$CCHC" seed --dossiers 200 --year 2021 --finish --db "$tmp/one.db" >/dev/null || fail "seed 2021"
bash "$ROOT/bench/decade-copy.sh" "$tmp/one.db" 2021 2022 2022 2>"$tmp/err" && fail "a year named twice was copied"
grep -q "a year is named twice" "$tmp/err" || fail "year twice: [$(cat "$tmp/err")]"
[ "$(sqlite3 "$tmp/one.db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 'decade_src%'")" = 0 ] ||
  fail "a refused copy left its tables"
bash "$ROOT/bench/decade-copy.sh" "$tmp/d.db" 2017 2021 2>"$tmp/err" && fail "a decade was copied again"
grep -q "the database holds years 2016..2019" "$tmp/err" || fail "copy of a decade: [$(cat "$tmp/err")]"

[ $fails -eq 0 ] && echo "t-decade: all passed" || echo "t-decade: $fails failure(s)"
[ $fails -eq 0 ]
