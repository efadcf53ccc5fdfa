#!/usr/bin/env bash
# CLI tests of `cchc remind` (docs/reminders.md): a ward's plan task is reminded to the ward's
# leader and specialist 3 working days before its due day (not 4), once however often the
# sweep runs; on the first working day after it, the ward is reminded again and the province's
# leader gets the escalation; a reminder to an account with an e-mail is also an outbox
# message; a done task is not reminded; a dialogue commitment
# and a feedback item follow the same clock. Bad input exits 2 and changes nothing.
set -u
CCHC=${1:?usage: t-remind.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
fail() { echo "FAIL $*"; fails=$((fails+1)); }
rm_() { "$CCHC" remind "$@" --db "$db" --data "$DATA"; }
q() { "$CCHC" remind list "$1" --db "$db" | cut -f3-10 | sort; }
bad() {
  local name=$1 frag=$2; shift 2
  "$CCHC" remind "$@" --db "$db" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err"; then
    fail "$name: rc=$rc stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}

"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$TESTDATA/api/units.csv" --db "$db" >/dev/null
"$CCHC" par import-set "$DATA/par/commune-ht-3396-2021.csv" --db "$db" >/dev/null
for u in lanhdao.tinh:leader:P lanhdao.pa:leader:P.A cv.pa:specialist:P.A motcua.pa:desk_officer:P.A cv.pb:specialist:P.B; do
  IFS=: read -r n role unit <<<"$u"
  echo "mat-khau-thu-nghiem" | "$CCHC" user add --username "$n" --role "$role" --unit "$unit" --db "$db" >/dev/null || fail "user $n"
done
rm_ contact lanhdao.pa --email "LanhDao.PA@Example.vn" >/dev/null || fail "contact"
[ "$(rm_ contact lanhdao.pa | cut -f2)" = "lanhdao.pa@example.vn" ] || fail "contact normalised: $(rm_ contact lanhdao.pa)"
bad "a phone as e-mail" "email '0912345678' is not an e-mail address" contact cv.pa --email 0912345678
bad "an unknown account" "account 'nobody' does not exist" contact nobody --phone 0912345678
[ "$(rm_ contact cv.pa | cut -f2,3)" = "$(printf '\t')" ] || fail "a refused contact changed nothing"

"$CCHC" reform plan create --unit P.A --year 2026 --db "$db" --actor cv.pa >/dev/null
# due Monday 30/11/2026: the 3rd working day before is Wednesday 25/11
T=$("$CCHC" reform task add --plan 1 --area 1 --title "Niêm yết TTHC tại Bộ phận Một cửa" --owner P.A \
  --lead cv.pa --start 2026-10-01 --due 2026-11-30 --db "$db" --actor cv.pa | cut -f1)
D=$("$CCHC" reform task add --plan 1 --area 1 --title "Việc đã xong" --owner P.A \
  --start 2026-10-01 --due 2026-11-30 --db "$db" --actor cv.pa | cut -f1)
"$CCHC" reform task complete "$D" --day 2026-11-02 --db "$db" --actor cv.pa >/dev/null || fail "complete D"

[ "$(rm_ run --at 2026-11-24 | cut -f3)" = "written 0" ] || fail "4 working days before: nothing"
out=$(rm_ run --at 2026-11-25)
[ "$(echo "$out" | cut -f2,3,4)" = "$(printf 'at a stage 1\twritten 2\tqueued 1')" ] || fail "3 working days before: $out"
[ "$(q lanhdao.pa)" = "$(printf 'task\t%s\tdue_soon\t2026-11-30\tP.A\tlanhdao.pa\t0\t0' "$T")" ] || fail "ward leader: $(q lanhdao.pa)"
[ "$(q cv.pa | cut -f3,6)" = "$(printf 'due_soon\tcv.pa')" ] || fail "the lead: $(q cv.pa)"
[ -z "$(q motcua.pa)$(q lanhdao.tinh)$(q cv.pb)" ] || fail "nobody else is reminded before the due day"
[ "$(rm_ run --at 2026-11-27 | cut -f3)" = "written 0" ] || fail "a second sweep writes nothing"
"$CCHC" notify list --db "$db" 2>/dev/null | grep -c reminder_due | grep -qx 1 || fail "one outbox message: $("$CCHC" notify list --db "$db" 2>&1 | head -5)"

# overdue: the first working day after Monday 30/11 is Tuesday 1/12
[ "$(rm_ run --at 2026-11-30 | cut -f3)" = "written 0" ] || fail "due day: nothing new"
rm_ run --at 2026-12-01 >/dev/null
[ "$(q lanhdao.tinh)" = "$(printf 'task\t%s\toverdue\t2026-11-30\tP.A\tlanhdao.tinh\t1\t0' "$T")" ] || fail "escalation: $(q lanhdao.tinh)"
[ "$(q lanhdao.pa | cut -f3 | tr '\n' ' ')" = "due_soon overdue " ] || fail "ward leader overdue: $(q lanhdao.pa)"
[ -z "$(q cv.pb)" ] || fail "another commune's specialist"

# a dialogue commitment of P.B, due Friday 4/12, overdue on Monday 7/12
DL=$("$CCHC" dialogue add --unit P.B --day 2026-11-10 --title "Đối thoại với hộ kinh doanh" --db "$db")
"$CCHC" dialogue commit "$DL" --text "Lắp thêm biển chỉ dẫn" --owner "Văn phòng" --due 2026-12-04 --db "$db" >/dev/null
rm_ run --at 2026-11-30 >/dev/null
[ -z "$(q cv.pb)" ] || fail "4 working days before the commitment: $(q cv.pb)"
rm_ run --at 2026-12-01 >/dev/null
[ "$(q cv.pb | cut -f1,3,4)" = "$(printf 'commitment\tdue_soon\t2026-12-04')" ] || fail "commitment due soon to P.B: $(q cv.pb)"
out=$(rm_ run --at 2026-12-07)
# P.B has no leader: the overdue rule tells its leaders (none) and the province's
[ "$(echo "$out" | cut -f5)" = "nobody to tell 0" ] || fail "the province's leader is someone: $out"
[ "$(q lanhdao.tinh | grep commitment | cut -f3,7)" = "$(printf 'overdue\t1')" ] || fail "commitment escalated: $(q lanhdao.tinh)"
[ "$(q cv.pb | wc -l)" = 1 ] || fail "the specialist is not on the overdue rule: $(q cv.pb)"

bad "run at a bad time" "--at" run --at 2026-13-01
bad "list without a user" "USERNAME: required" list
[ "$fails" -eq 0 ] && echo "t-remind: all passed"
exit $((fails > 0))
