# t-receiving.sh — receiving regardless of residence over HTTP (issue 20, part 5): a desk
# receives a dossier that another unit of the province decides when the procedure is on the
# province's list; the deciding unit's officers see it and act on it, the receiving unit's
# officers keep seeing it, others do not; a procedure not on the list is refused naming
# 'decider' and writes nothing; GET /api/reports/receiving labels both sides.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
cat >"$T/list.csv" <<'CSV'
code,name,field,level,time_amount,time_unit,online,fee_vnd,steps,documents,receive,receive_basis
9.000009,Thủ tục tiếp nhận không phụ thuộc địa giới,Thử nghiệm,commune,3,wd,full,0,"Tiếp nhận | desk | 20%
Giải quyết | leader | 80%",Đơn,province,Quyết định thử nghiệm của UBND tỉnh
CSV
"$CCHC" import procedures "$T/list.csv" --db "$DB" >/dev/null
start_server
login desk_a
login leader_b
login desk_b

req -u desk_a POST /api/dossiers '{"unit":"P.A","decider":"P.B","procedure":"9.000009","applicant_name":"Lê Văn An","at":"2026-11-20T09:00"}'
expect 201 "received for P.B"
CODE=$(field .code)
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000009","applicant_name":"Lê Văn Bình","at":"2026-11-20T09:10"}'
expect 201 "received for itself"
OWN=$(field .code)

# the receiving unit sees it, with the deciding unit named
req -u desk_a GET "/api/dossiers/$CODE"
expect 200 "receiving unit"
[ "$(field .unit)/$(field .decider)" = "P.A/P.B" ] || fail "unit/decider: $BODY_TEXT"
# the deciding unit's officers see it and act on it; not the other dossier of P.A
req -u leader_b GET "/api/dossiers/$CODE"
expect 200 "deciding unit"
req -u leader_b GET "/api/dossiers/$OWN"
expect 404 not_found "a dossier P.B does not decide"
req -u desk_b POST "/api/dossiers/$CODE/advance" '{}'
[ "$STATUS" = 200 ] || [ "$STATUS" = 409 ] || fail "deciding unit acting: $STATUS $BODY_TEXT"
req -u desk_a GET "/api/dossiers/$OWN"
jq -e '.decider == null' "$T/body" >/dev/null || fail "own dossier decider: $BODY_TEXT"

# not on the list: refused, nothing written
before=$(curl -s -b "$T/desk_a.jar" "$BASE/api/dossiers?unit=P.A" | jq '.dossiers | length')
req -u desk_a POST /api/dossiers '{"unit":"P.A","decider":"P.B","procedure":"9.000001","applicant_name":"Lê Văn Chi","at":"2026-11-20T09:20"}'
expect 400 invalid "procedure not on the list"
[ "$(field .error.field)" = decider ] || fail "field: $BODY_TEXT"
grep -q "received only at the desk of the unit that decides it" "$T/body" || fail "rule: $BODY_TEXT"
req -u desk_a POST /api/dossiers '{"unit":"P.A","decider":"NOPE","procedure":"9.000009","applicant_name":"Lê Văn Chi","at":"2026-11-20T09:20"}'
expect 404 not_found "unknown deciding unit"
after=$(curl -s -b "$T/desk_a.jar" "$BASE/api/dossiers?unit=P.A" | jq '.dossiers | length')
[ "$before" = "$after" ] || fail "a refused dossier was written ($before → $after)"

# the statistics, each side labelled
login admin_p
req -u admin_p GET '/api/reports/receiving?period=2026-11'
expect 200 "receiving report"
[ "$(jq -c '[.rows[] | [.unit, .received, .received_for_others, .decided, .decided_received_elsewhere]]' "$T/body")" = '[["P.A",2,1,1,0],["P.B",0,0,1,1]]' ] ||
  fail "receiving figures: $BODY_TEXT"
jq -e '.columns | map(.header) | index("Trong đó: tiếp nhận cho đơn vị khác giải quyết")' "$T/body" >/dev/null || fail "labels: $BODY_TEXT"
req -u leader_b GET '/api/reports/receiving?period=2026-11'
[ "$(jq -c '[.rows[] | .unit]' "$T/body")" = '["P.B"]' ] || fail "P.B's scope: $BODY_TEXT"
# the deciding unit finds what it decides: the list of dossiers received for another unit
req -u leader_b GET '/api/reports/receiving_dossiers?period=2026-11'
expect 200 "dossiers received for P.B"
[ "$(jq -c '[.rows[] | [.code, .unit, .decider]]' "$T/body")" = "[[\"$CODE\",\"Phường An Bình\",\"Xã Bình Minh\"]]" ] ||
  fail "P.B's list: $BODY_TEXT"
echo "ok t-receiving"
