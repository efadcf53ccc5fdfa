#!/usr/bin/env bash
# t-audit.sh — the audit chain across versions and the derived columns: a database written by
# the binary of commit 3d8848b (before the audit hash moved above the store, where it was taken
# over SQLite's row) verifies unchanged, takes new events that chain on, and an edit of a
# column derived from the record (the code's day, the folded name, the stored outcome) is
# named by `cchc audit verify`, exit 1.
set -u
CCHC=${1:?usage: t-audit.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
export CCHC_DATA=$DATA
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL $*"; fails=$((fails+1)); }
source "$(dirname "$0")/../lib/testdb.sh"
# fresh: the 40 dossiers of seed 5 — on SQLite as written by 3d8848b, on PostgreSQL seeded now
fresh() {
  if testdb_is_pg; then
    DB=$(testdb "$tmp/t.db")
    { "$CCHC" init --db "$DB" && "$CCHC" import units "$DATA/demo/units.csv" --db "$DB" &&
      "$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$DB" &&
      "$CCHC" seed --dossiers 40 --seed 5 --db "$DB"; } >/dev/null || fail "seeding"
  else
    DB=$tmp/t.db
    rm -f "$DB".v*.bak
    gunzip -c "$TESTDATA/audit/chain-v1-3d8848b.db.gz" >"$DB"
    # schema 7 then; cchc migrate brings it up to date (its checked copy verifies the old chain)
    "$CCHC" migrate --db "$DB" >"$tmp/migrate" 2>&1 || fail "migrate: $(cat "$tmp/migrate")"
  fi
}
verify() { "$CCHC" audit verify --db "$DB" >"$tmp/out" 2>&1; }

fresh
verify || fail "old chain: $(cat "$tmp/out")"
grep -qF "ok: 290 events, 40 dossiers" "$tmp/out" || fail "old chain counts: $(cat "$tmp/out")"

# new events chain on the old ones
"$CCHC" dossier receive 000.00.47.H20-251231-0001 --actor motcua.test --db "$DB" >"$tmp/out" 2>&1 ||
  fail "receive on the old database: $(cat "$tmp/out")"
verify || fail "after a new event: $(cat "$tmp/out")"
grep -qF "ok: 291 events" "$tmp/out" || fail "new event counted: $(cat "$tmp/out")"

# tamper COLUMN SQL: the edit is found and the column named
tamper() {
  local col=$1 sql=$2
  fresh
  testdb_sql "$DB" "$sql" >/dev/null || { fail "$col: sql"; return; }
  if verify; then fail "$col edited, audit passed"; return; fi
  grep -qF "row does not match" "$tmp/out" && grep -qF "column $col" "$tmp/out" ||
    fail "$col: $(cat "$tmp/out")"
}
tamper applicant_fold "UPDATE dossiers SET applicant_fold = 'ai khac' WHERE id = 3"
tamper outcome "UPDATE dossiers SET outcome = 'early' WHERE outcome = 'late' AND id = (SELECT min(id) FROM dossiers WHERE outcome = 'late')"
tamper day "UPDATE dossiers SET day = '2020-01-01' WHERE id = 5"
# and a column of the record itself, as before
fresh
testdb_sql "$DB" "UPDATE dossiers SET officer = 'ai khac' WHERE id = 7" >/dev/null
verify && fail "officer edited, audit passed"
grep -qF "row does not match" "$tmp/out" || fail "officer: $(cat "$tmp/out")"

[ $fails -eq 0 ] && echo "t-audit: ok" || { echo "t-audit: $fails failed"; exit 1; }
