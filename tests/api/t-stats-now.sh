#!/usr/bin/env bash
# t-stats-now.sh — a period that reaches past today is judged at the end of today (stats.h,
# stats_period_clamp): a dossier received today, due in two weeks, is open and in time on
# every figure of "this year" or of a range ending in two months — not "overdue at the end of
# the period", which would be a forecast — in the API's figures, its drill-down and the CLI,
# and the answer says the figures run to today. A past period keeps its own end.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
LATER=$(date -d "$TODAY 60 days" +%F)
D=$("$CCHC" dossier receive --unit P.A --procedure 9.000001 --name "Phan Văn Lộc" --actor desk_a --db "$DB" |
  awk -F'\t' '/^Mã hồ sơ:/ {print $2}')
[ -n "$D" ] || fail "setup: receive"
start_server
login leader_a
req -u leader_a GET "/api/dossiers/$D"
DUE=$(field .due_at)
[[ "$DUE" > "$TODAY" ]] || fail "the dossier is due after today: $DUE"

for p in "${TODAY:0:4}" "$TODAY..$LATER"; do
  req -u leader_a GET "/api/stats?unit=P.A&period=$p"
  expect 200 "figures of $p"
  [ "$(field '.figures | [.in_progress, .in_progress_in_time, .in_progress_overdue] | join(",")')" = 1,1,0 ] ||
    fail "$p: a dossier due $DUE is overdue at the end of the period: $BODY_TEXT"
  [ "$(field .period.to)" = "$TODAY" ] || fail "$p: the figures run to today: $BODY_TEXT"
  req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=$p&figure=in_progress_overdue"
  expect 200 "drill-down of $p"
  [ "$(field '.dossiers | length')" = 0 ] || fail "$p: the drill-down lists it overdue: $BODY_TEXT"
done
"$CCHC" stats show --unit P.A --period "$TODAY..$LATER" --db "$DB" >"$T/cli.out" || fail "cchc stats show"
[ "$(awk -F'\t' '$1 == "in_progress" || $1 == "in_progress_overdue" { printf "%s,", $3 }' "$T/cli.out")" = "1,0," ] ||
  fail "the CLI counts it overdue: $(cat "$T/cli.out")"
# a past period keeps its end
req -u leader_a GET "/api/stats?unit=P.A&period=2025-09"
[ "$(field .period.to)" = 2025-09-30 ] || fail "a past period is not cut: $BODY_TEXT"
echo "ok t-stats-now"
