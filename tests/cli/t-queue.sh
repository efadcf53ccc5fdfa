#!/usr/bin/env bash
# t-queue.sh — `cchc import counters` and `cchc queue` (docs/queue.md): an import with a bad
# row imports nothing and names FILE:LINE: column; numbers taken from the command line are
# consecutive per counter; call, no-show, transfer and the waiting-time table; bad arguments
# exit 2 with one line naming the flag and value, and change nothing. Runs again on
# PostgreSQL as pg.cli.t-queue.
set -u
CCHC=${1:?usage: t-queue.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
q() { "$CCHC" queue "$@" --db "$db"; }
bad() {
  local name=$1 frag=$2; shift 2
  q "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err"; then
    fail "$name: rc=$rc stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}
"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$TESTDATA/api/units.csv" --db "$db" >/dev/null
"$CCHC" import procedures "$TESTDATA/api/procedures.csv" --db "$db" >/dev/null

printf 'unit,no,name,fields\nP.A,1,Quầy 1,Thử nghiệm\nP.A,2,Quầy 2,Không có\n' >"$tmp/bad.csv"
"$CCHC" import counters "$tmp/bad.csv" --db "$db" >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] || fail "bad import: exit 2"
grep -qF "bad.csv:3: fields: field 'Không có'" "$tmp/err" || fail "bad import names line and column: $(cat "$tmp/err")"
[ -z "$(q counters P.A)" ] || fail "a bad import wrote counters"
"$CCHC" import counters "$TESTDATA/api/counters.csv" --db "$db" >/dev/null || fail "import counters"
[ "$(q counters P.A | wc -l)" = 2 ] || fail "two counters at P.A"

for i in 1 2 3; do q take P.A --counter 1 >>"$tmp/takes"; done
q take P.A --field "Thử nghiệm" >>"$tmp/takes" # the least busy counter: 2
[ "$(cut -f1 "$tmp/takes" | tr '\n' ' ')" = "số 1001 số 1002 số 1003 số 2001 " ] || fail "numbers: $(cat "$tmp/takes")"
bad "field no counter serves" "field 'Khác'" take P.A --field "Khác"
bad "counter out of range" "--counter '100'" take P.A --counter 100
bad "no such counter" "counter 5" take P.A --counter 5
bad "number not a ticket" "NUMBER 'x'" serve P.A x
bad "transfer without --to" "--to" transfer P.A 1002
bad "unknown command" "'jump'" jump P.A
bad "serve a waiting number" "cannot 'serve' a ticket in state 'waiting'" serve P.A 1002
[ "$(q list P.A | wc -l)" = 4 ] || fail "refusals took numbers"

q call P.A 1 | grep -q "^số 1001" || fail "call gives 1001"
q no-show P.A 1001 | grep -q "vắng mặt" || fail "no-show"
q transfer P.A 1003 --to 2 | grep -q "quầy 2" || fail "transfer to counter 2"
q call P.A 1 | grep -q "^số 1002" || fail "call gives 1002"
q call P.A 1 >"$tmp/out" 2>"$tmp/err"; [ $? != 0 ] && grep -q "no one is waiting at counter 1" "$tmp/err" || fail "empty counter: $(cat "$tmp/err")"
q stats P.A >"$tmp/stats" || fail "stats"
# 1002 is still being served: the failed call on the empty counter changed nothing
grep -qP "^toàn đơn vị\t4\t0\t1\t2\t" "$tmp/stats" || fail "stats: taken 4, served 0, absent 1, waiting 2: $(cat "$tmp/stats")"
grep -qP "^quầy 2\t2\t0\t0\t2\t—" "$tmp/stats" || fail "counter 2 holds the transferred number: $(cat "$tmp/stats")"
bad "stats --to before --from" "--to" stats P.A --from 2026-02-02 --to 2026-02-01
[ $fails = 0 ] && echo "ok t-queue (cli)"
exit $((fails > 0))
