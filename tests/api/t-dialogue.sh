#!/usr/bin/env bash
# t-dialogue.sh — dialogues with citizens and businesses over HTTP against the real server: a
# leader of P.A records a dialogue held ten days ago and the commitments made there (owner,
# due day); bad input (a future day, no title, a due day before the dialogue, a unit or a
# dialogue outside the scope, a desk officer writing) is refused naming the field and changes
# nothing; officers read the commitments of their scope with their outcome today (open,
# overdue, closed on time or late), P.B's leader sees none of them; a commitment is closed
# once with what was done.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server
for u in desk_a specialist_a leader_a admin_p leader_b; do login "$u"; done
day() { TZ=Asia/Ho_Chi_Minh date -d "$1" +%F; }
TODAY=$(day today)
HELD=$(day '-10 days')

count() { req -u admin_p GET /api/commitments && field '.commitments | length'; }

# --- a dialogue, refused first in every way, then recorded -------------------------------------
ACCEPT_LANGUAGE=vi req -u leader_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"$(day '+1 day')\",\"title\":\"Đối thoại quý IV\"}"
expect 400 invalid "a dialogue in the future"
[ "$(field .error.field)" = day ] || fail "future day field: $BODY_TEXT"
[ "$(field .error.message)" = "Chỉ ghi nhận cuộc đối thoại đã diễn ra: ngày $(TZ=Asia/Ho_Chi_Minh date -d '+1 day' +%d/%m/%Y) chưa đến." ] ||
  fail "the refusal in Vietnamese: $BODY_TEXT"
req -u leader_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"$HELD\"}"
expect 400 missing_field "no title"
req -u leader_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"31/12/2026\",\"title\":\"X\"}"
expect 400 invalid "a day not in YYYY-MM-DD"
req -u leader_a POST /api/dialogues "{\"unit\":\"P.B\",\"day\":\"$HELD\",\"title\":\"X\"}"
expect 404 not_found "a unit outside the leader's scope"
req -u desk_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"$HELD\",\"title\":\"X\"}"
expect 403 forbidden "a desk officer records a dialogue"
req -u leader_a POST /api/dialogues "{\"unit\":\"P.A\",\"day\":\"$HELD\",\"title\":\"Đối thoại với hộ kinh doanh chợ An Bình\",\"participants\":\"42 hộ kinh doanh, Ban quản lý chợ\",\"questions\":\"Thời gian cấp phép sửa chữa ki-ốt\"}"
expect 201 "record a dialogue"
DLG=$(field .id)
[ "$(field '[.unit, .day, .title] | join(" ")')" = "P.A $HELD Đối thoại với hộ kinh doanh chợ An Bình" ] ||
  fail "dialogue: $BODY_TEXT"

# --- its commitments ------------------------------------------------------------------------------
ACCEPT_LANGUAGE=vi req -u leader_a POST "/api/dialogues/$DLG/commitments" "{\"text\":\"Rút thời gian cấp phép xuống 5 ngày\",\"owner\":\"Phó Chủ tịch UBND phường\",\"due\":\"$(day '-11 days')\"}"
expect 400 invalid "due before the dialogue"
[ "$(field .error.message)" = "Hạn thực hiện $(TZ=Asia/Ho_Chi_Minh date -d '-11 days' +%d/%m/%Y) trước ngày đối thoại $(TZ=Asia/Ho_Chi_Minh date -d '-10 days' +%d/%m/%Y)." ] ||
  fail "due before, in Vietnamese: $BODY_TEXT"
req -u leader_b POST "/api/dialogues/$DLG/commitments" "{\"text\":\"X\",\"owner\":\"Y\",\"due\":\"$TODAY\"}"
expect 404 not_found "P.B's leader on P.A's dialogue"
req -u leader_a POST "/api/dialogues/99999/commitments" "{\"text\":\"X\",\"owner\":\"Y\",\"due\":\"$TODAY\"}"
expect 404 not_found "an unknown dialogue"
req -u leader_a POST "/api/dialogues/abc/commitments" "{\"text\":\"X\",\"owner\":\"Y\",\"due\":\"$TODAY\"}"
expect 404 not_found "a dialogue id that is not a number"
[ "$(count)" = 0 ] || fail "a refused request wrote a commitment"
req -u leader_a POST "/api/dialogues/$DLG/commitments" "{\"text\":\"Niêm yết quy trình cấp phép tại chợ\",\"owner\":\"Văn phòng UBND phường\",\"due\":\"$(day '-3 days')\"}"
expect 201 "a commitment already due"
C1=$(field .id)
[ "$(field .outcome)" = overdue ] || fail "an open commitment past its due day: $BODY_TEXT"
req -u specialist_a POST "/api/dialogues/$DLG/commitments" "{\"text\":\"Rút thời gian cấp phép xuống 5 ngày\",\"owner\":\"Phó Chủ tịch UBND phường\",\"due\":\"$(day '+20 days')\"}"
expect 201 "a commitment due later"
C2=$(field .id)

# --- the follow-up --------------------------------------------------------------------------------
req -u desk_a GET /api/commitments
expect 200 "a desk officer reads the commitments"
[ "$(field '[.commitments[] | "\(.id):\(.outcome):\(.dialogue.id)"] | join(" ")')" = "$C1:overdue:$DLG $C2:open:$DLG" ] ||
  fail "commitments by due day: $BODY_TEXT"
req -u leader_b GET /api/commitments
[ "$(field '.commitments | length')" = 0 ] || fail "P.B sees P.A's commitments: $BODY_TEXT"
req -u desk_a GET "/api/commitments?unit=P.B"
expect 404 not_found "a unit outside the scope"
req -u desk_a GET "/api/commitments?open=yes"
expect 400 invalid "open is 0 or 1"

req -u leader_a POST "/api/commitments/$C1/close" '{"result":""}'
expect 400 invalid "an empty result"
req -u leader_a POST "/api/commitments/$C1/close" "{\"result\":\"Đã niêm yết\",\"day\":\"$(day '+1 day')\"}"
expect 400 invalid "closed in the future"
req -u leader_b POST "/api/commitments/$C1/close" '{"result":"Đã niêm yết"}'
expect 404 not_found "P.B's leader closes P.A's commitment"
req -u desk_a GET "/api/commitments?open=1"
[ "$(field '.commitments | length')" = 2 ] || fail "a refused close closed: $BODY_TEXT"
req -u leader_a POST "/api/commitments/$C1/close" '{"result":"Đã niêm yết quy trình tại cổng chợ và trên trang của phường"}'
expect 200 "close"
[ "$(field '[.outcome, .closed] | join(" ")')" = "late $TODAY" ] || fail "closed late: $BODY_TEXT"
req -u leader_a POST "/api/commitments/$C1/close" '{"result":"lần nữa"}'
expect 409 conflict "close twice"
req -u desk_a GET "/api/commitments?open=1"
[ "$(field '[.commitments[].id] | join(" ")')" = "$C2" ] || fail "open after the close: $BODY_TEXT"
# the province (migration 038): the dialogue carries its unit's root, P; its commitments too
for t in dialogues dialogue_commitments; do
  got=$(testdb_sql "$DB" "SELECT count(*) || ':' || sum(CASE WHEN province = 'P' THEN 0 ELSE 1 END) FROM $t")
  [ "${got%%:*}" -ge 1 ] && [ "${got#*:}" = 0 ] || fail "$t rows without the province P (rows:bad): $got"
done
echo "ok t-dialogue"
