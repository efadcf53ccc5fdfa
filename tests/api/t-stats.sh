#!/usr/bin/env bash
# t-stats.sh — the statistics API on a real server: a ward's September 2025 worked out by hand
# (one dossier on time, one late, one still open past its due instant; one more in the other
# commune), the figures, the on-time rate under two denominators, the drill-down list whose
# length is the figure, the dashboard of the province for its administrator, and bad input.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in desk_a leader_a desk_b leader_b admin_p; do login "$u"; done

receive() { # DESK UNIT AT -> code
  req -u "$1" POST /api/dossiers "{\"unit\":\"$2\",\"procedure\":\"9.000002\",\"applicant_name\":\"Lê Văn Tư\",\"at\":\"$3\"}"
  expect 201 "receive in $2"
  field .code
}
step() { # USER CODE ACTION AT
  req -u "$1" POST "/api/dossiers/$2/$3" "{\"at\":\"$4\"}"
  expect 200 "$3 $2"
}
# 9.000002 is decided within the reception day: due 17:00 the same day.
A1=$(receive desk_a P.A 2025-09-08T08:00)
A2=$(receive desk_a P.A 2025-09-08T09:00)
A3=$(receive desk_a P.A 2025-09-10T08:00)
B1=$(receive desk_b P.B 2025-09-08T08:00)
step desk_a "$A1" advance 2025-09-08T08:10
step leader_a "$A1" finish 2025-09-08T16:00 # on time
step desk_a "$A2" advance 2025-09-08T09:10
step leader_a "$A2" finish 2025-09-09T09:00 # late
step desk_a "$A3" advance 2025-09-10T08:10 # still open, due 10/9 17:00
step desk_b "$B1" advance 2025-09-08T08:10
step leader_b "$B1" finish 2025-09-08T10:00

req -u leader_a GET "/api/stats?unit=P.A&period=2025-09"
expect 200 "stats of P.A"
[ "$(field '.figures | [.received, .solved_on_time, .solved_late, .in_progress, .in_progress_overdue] | join(",")')" = 3,1,1,1,1 ] ||
  fail "figures: $BODY_TEXT"
[ "$(field '.rates[0].text')" = "50,0% (1/2 hồ sơ đã giải quyết)" ] || fail "on-time rate: $(field '.rates[0]')"
[ "$(field '.labels.solved_late')" = "Giải quyết quá hạn" ] || fail "labels"
req -u leader_a GET "/api/stats?unit=P.A&period=2025-09&denominator=handled"
expect 200 "stats over handled"
[ "$(field '.rates[0] | [.numerator, .denominator_value, .denominator] | join(",")')" = 1,3,handled ] ||
  fail "766 rate: $(field '.rates[0]')"

req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025-09&figure=solved_late"
expect 200 "drill-down"
[ "$(field '.count')" = 1 ] && [ "$(field '.dossiers[0].code')" = "$A2" ] || fail "drill-down: $BODY_TEXT"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025-09&figure=received&limit=2"
expect 200 "drill-down, limited"
[ "$(field '[.count, (.dossiers | length), .truncated] | map(tostring) | join(",")')" = 3,2,true ] ||
  fail "limited drill-down: $BODY_TEXT"

req -u admin_p GET "/api/stats/units?period=2025-09"
expect 200 "dashboard of the province"
[ "$(field '[.units[].unit] | join(",")')" = P.A,P.B ] || fail "dashboard: $BODY_TEXT"
req -u admin_p GET "/api/stats?unit=P&period=2025-09"
[ "$(field .figures.received)" = 4 ] || fail "province total: $BODY_TEXT"
# a ward leader sees only the ward
req -u leader_a GET "/api/stats/units?period=2025-09"
[ "$(field '[.units[].unit] | join(",")')" = P.A ] || fail "scoped dashboard: $BODY_TEXT"

req -u leader_a GET "/api/stats?unit=P.A&period=2025-13"
expect 400 invalid "bad period"
req -u leader_a GET "/api/stats?unit=P.A"
expect 400 missing_field "no period"
req -u leader_a GET "/api/stats?unit=P.A&period=2025&denominator=processed"
expect 400 invalid "bad denominator"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025"
expect 400 missing_field "no figure"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025&figure=late"
expect 400 invalid "bad figure"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025&figure=received&limit=0"
expect 400 invalid "bad limit"
req -u leader_a GET "/api/stats?unit=P.A&period=2025&colour=red"
expect 400 "unknown argument"
echo "ok t-stats"
