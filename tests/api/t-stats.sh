#!/usr/bin/env bash
# t-stats.sh — the statistics API on a real server: a ward's September 2025 worked out by hand
# (one dossier on time, one late, one still open past its due instant; one more in the other
# commune), the figures, the on-time rate under two denominators, the drill-down list whose
# length is the figure (followed from every figure's own address), the dashboard of the
# province for its administrator, the reports as JSON, CSV and xlsx, and bad input.
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

# every number links to its dossiers: following each figure's drill address lists exactly as
# many dossiers as the figure says, and each rate names the figures it sums
req -u leader_a GET "/api/stats?unit=P.A&period=2025-09"
cp "$T/body" "$T/stats.json"
[ "$(field .drill.solved_late)" = "/api/stats/dossiers?period=2025-09&unit=P.A&figure=solved_late" ] ||
  fail "drill address: $(field .drill.solved_late)"
[ "$(field '.rates[0] | [(.numerator_figures | join("+")), (.denominator_figures | join("+"))] | join("/")')" = \
  "solved_early+solved_on_time/solved" ] || fail "rate parts: $(field '.rates[0]')"
for f in $(jq -r '.figures | keys[]' "$T/stats.json"); do
  want=$(jq -r ".figures.$f" "$T/stats.json")
  req -u leader_a GET "$(jq -r ".drill.$f" "$T/stats.json")&limit=10000"
  expect 200 "drill $f"
  [ "$(field .count)" = "$want" ] || fail "drill $f: $(field .count) dossiers, the figure says $want"
done
# the dashboard's rows count each unit's own dossiers; their drill address says so (own=1)
req -u admin_p GET "/api/stats/units?period=2025-09"
tmpl=$(field '.units[] | select(.unit == "P.A") | .drill')
[ "$tmpl" = "/api/stats/dossiers?period=2025-09&unit=P.A&own=1&figure={figure}" ] || fail "row drill: $tmpl"
req -u admin_p GET "${tmpl/\{figure\}/solved_on_time}"
[ "$(field '[.count, .dossiers[0].code] | map(tostring) | join(",")')" = "1,$A1" ] || fail "own drill: $BODY_TEXT"
req -u admin_p GET "/api/stats/dossiers?unit=P&period=2025-09&figure=received&own=1"
[ "$(field .count)" = 0 ] || fail "P has no dossiers of its own: $BODY_TEXT"
req -u admin_p GET "/api/stats/dossiers?unit=P&period=2025-09&figure=received&own=yes"
expect 400 invalid "bad own"

# steps per officer, each row with the addresses of its dossiers (as many as its counts)
req -u admin_p GET "/api/stats/officers?unit=P&period=2025-09"
expect 200 "officers"
cp "$T/body" "$T/off.json"
[ "$(jq '.officers | length' "$T/off.json")" -ge 2 ] || fail "officers: $(cat "$T/off.json")"
# each officer with an account by the account's full name (lib.sh names them "Cán bộ USERNAME")
[ "$(jq '[.officers[] | select(.officer != "" and .name == "Cán bộ " + .officer)] | length' "$T/off.json")" -ge 1 ] &&
  [ "$(jq '[.officers[] | select(.name != "" and .name != "Cán bộ " + .officer)] | length' "$T/off.json")" = 0 ] ||
  fail "officers by their names: $(cat "$T/off.json")"
for i in $(seq 0 $(($(jq '.officers | length' "$T/off.json") - 1))); do
  for f in steps_done steps_late; do
    req -u admin_p GET "$(jq -r ".officers[$i].drill.$f" "$T/off.json")"
    expect 200 "officer drill $i $f"
    [ "$(field .count)" = "$(jq ".officers[$i].$f" "$T/off.json")" ] || fail "officer drill $i $f: $BODY_TEXT"
  done
done
req -u leader_a GET "/api/stats/officers?unit=P.B&period=2025-09"
expect 404 not_found "a foreign unit's officers"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025-09&figure=steps_done&officer=x"
expect 400 missing_field "steps without step"
req -u leader_a GET "/api/stats/dossiers?unit=P.A&period=2025-09&figure=received&step=1"
expect 400 invalid "step on a dossier figure"

# reports over HTTP: the same tables as `cchc report`, as JSON, CSV and xlsx
req -u admin_p GET "/api/reports/summary?unit=P&period=2025-09"
expect 200 "summary json"
[ "$(field '[.rows[] | "\(.unit):\(.received):\(.solved_on_time):\(.solved_late):\(.in_progress_overdue)"] | join(" ")')" = \
  "P.A:3:1:1:1 P.B:1:1:0:0 P:4:2:1:1" ] || fail "summary rows: $BODY_TEXT"
[ "$(field '.rows[-1].name')" = "Tổng cộng" ] || fail "summary total: $BODY_TEXT"
req -u leader_a GET "/api/reports/summary?period=2025-09&format=csv&denominator=handled"
expect 200 "summary csv"
[ "$(head -1 "$T/body" | cut -d, -f1-4)" = '"unit","name","carried_over","received"' ] || fail "csv header: $(head -1 "$T/body")"
grep -q '^"P.A",' "$T/body" || fail "csv row: $BODY_TEXT"
req -u leader_a GET "/api/reports/book?unit=P.A&period=2025-09&format=xlsx"
expect 200 "book xlsx"
python3 - "$T/body" "$A1" <<'PY' || fail "book.xlsx"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml"))
for want in ("SỔ THEO DÕI HỒ SƠ", "Hẹn trả kết quả", sys.argv[2]):
    assert want in xml, want
PY
req -u admin_p GET "/api/reports/index?parent=P&period=2025-09"
expect 200 "index json"
# P.B: its one dossier on time; P.A: one late and one overdue of three handled — P.B first
[ "$(field '[.rows[] | "\(.rank):\(.unit)"] | join(" ")')" = "1:P.B 2:P.A" ] || fail "index ranks: $BODY_TEXT"
# 2.1 by hand: P.B 1/1 handled in time = 20 points; P.A 1 of 3 handled (1 on time, 1 late, 1
# overdue) = 20/3; 5.4 (threshold 90%): P.A 1 − 2/3 = 1/3, 6 × (1/3) / 0.9 = 2.2222
[ "$(field '[.rows[] | "\(.unit):\(.["ind_2.1"]):\(.["ind_5.4"]):\(.points)"] | join(" ")')" = \
  "P.B:20:6:26 P.A:6.6667:2.2222:8.8889" ] || fail "index points: $BODY_TEXT"
req -u leader_a GET "/api/reports/summary?unit=P.B&period=2025-09"
expect 404 not_found "a foreign unit's report"
req -u leader_a GET "/api/reports/index?parent=P&period=2025-09"
expect 404 not_found "an index above the scope"
req -u leader_a GET "/api/reports/ledger?period=2025-09"
expect 404 not_found "unknown report"
req -u leader_a GET "/api/reports/summary?period=2025-09&format=docx"
expect 400 invalid "bad format"
req -u leader_a GET "/api/reports/book?period=2025-09&parent=P.A"
expect 400 invalid "parent on the book"
req -u leader_a GET "/api/reports/summary"
expect 400 missing_field "report without period"

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
# The public page's figures (no login): the province's totals are the staff's, each child's row
# its subtree's, the index ranks the same children, and nothing names a dossier or a person.
req GET "/api/public/stats?period=2025-09"
expect 200 "public figures without a login"
[ "$(field '.unit | [.unit, .figures.received, .figures.solved_on_time, .figures.solved_late, .figures.in_progress_overdue, .ontime.text] | join(",")')" = \
  "P,4,2,1,1,66,7% (2/3 hồ sơ đã giải quyết)" ] || fail "public province figures: $BODY_TEXT"
[ "$(field '[.units[] | "\(.unit):\(.figures.received):\(.ontime.permille)"] | join(" ")')" = "P.A:3:500 P.B:1:1000" ] ||
  fail "public rows: $BODY_TEXT"
[ "$(field '[.index.rows[].unit] | sort | join(",")')" = P.A,P.B ] || fail "public index: $BODY_TEXT"
grep -q -e "$A1" -e "Lê Văn" -e desk_a -e drill "$T/body" && fail "the public figures name a dossier, a person or a drill-down: $BODY_TEXT"
req GET "/api/public/stats?period=2025-09&unit=P.A"
expect 200 "public figures of a ward"
[ "$(field '[.unit.figures.received, (.units | length)] | map(tostring) | join(",")')" = 3,0 ] || fail "public ward: $BODY_TEXT"
req GET "/api/public/stats?period=2025-13"
expect 400 invalid "public, bad period"
req GET "/api/public/stats"
expect 400 missing_field "public, no period"
req GET "/api/public/stats?period=2025&unit=NOPE"
expect 404 not_found "public, unknown unit"
req GET "/api/public/stats?period=2025&figure=received"
expect 400 "public, unknown argument"
echo "ok t-stats"
