#!/usr/bin/env bash
# t-province-lock.sh — the write lock per province on PostgreSQL (docs/province-lock.md): a
# dossier's reception, changes and rating, an online filing's start, document upload and
# submission, a payment's settlement (the provider's signed callback, `cchc testpay`) and a
# dossier's digitisation (a component scanned, a result registered) take the global advisory
# key shared and their province's key (7361, `cchc province-lock-key PROVINCE`) exclusively,
# so writers of two provinces do not wait for each other, writers of one province still do,
# and every other writer (an import, here) still takes the global key exclusively and waits
# for them all. The periodic workers (the claim of due messages, the reminder sweep) and
# `cchc audit verify` run beside a held province key; a sweep item of that province waits.
# Deterministic, without timing figures: psql holds a lock, a write that must not wait for it
# completes (within 30 s, while psql still holds the lock, so a write that waited would
# fail), a write that must wait is seen waiting on the very key psql holds in pg_locks (P's
# writes are sent one at a time, each seen there before the next), is still running a second
# later, and completes once psql commits. PostgreSQL only: runs as pg.api.t-province-lock (on SQLite there is one writer).
set -u
if [ -z "${CCHC_TEST_PG:-}" ]; then
  echo "SKIP: needs CCHC_TEST_PG (scripts/pg-cluster.sh start)"
  exit 77
fi
if [ "${CCHC_TEST_BACKEND:-sqlite}" != pg ]; then
  echo "SKIP: PostgreSQL only; runs as pg.api.t-province-lock (CCHC_TEST_BACKEND=pg)"
  exit 77
fi
source "$(dirname "$0")/lib.sh" "$1"
setup_db
# a second province, Q, with a ward and its desk
printf 'code,name,kind,parent,valid_from,valid_to,successor,ident_code\nQ,Tỉnh Thứ Hai,province,,2025-07-01,,,000.00.00.H98\nQ.A,Phường Thứ Hai,ward,Q,2025-07-01,,,000.00.31.H98\n' >"$T/q.csv"
"$CCHC" import units "$T/q.csv" --db "$DB" >/dev/null || fail "import the root Q"
for r in desk_officer:desk_q specialist:specialist_q leader:leader_q; do
  echo "$PASS" | "$CCHC" user add --db "$DB" --username "${r#*:}" --role "${r%%:*}" --name "Cán bộ Q" --unit Q.A >/dev/null ||
    fail "add ${r#*:}"
done
KP=$("$CCHC" province-lock-key P) KQ=$("$CCHC" province-lock-key Q)
[ -n "$KP" ] && [ -n "$KQ" ] && [ "$KP" != "$KQ" ] || fail "province lock keys: P '$KP', Q '$KQ'"
[ "$("$CCHC" province-lock-key P)" = "$KP" ] || fail "the key of P is not stable"
# a procedure with a fee, paid online (as t-payment.sh), and the test provider
SECRET=khoa-bi-mat-thu-nghiem
printf 'code,name,field,level,time_amount,time_unit,online,fee_vnd,fee_note,steps,documents\n9.000016,Thủ tục có lệ phí,Thử nghiệm,commune,3,wd,full,50000,,"Tiếp nhận | desk | 20%%\nGiải quyết | leader | 80%%",Đơn\n' >"$T/fee.csv"
"$CCHC" import procedures "$T/fee.csv" --db "$DB" >/dev/null || fail "import the procedure with a fee"
"$CCHC" testpay --port 0 --secret "$SECRET" >"$T/tp.out" 2>"$T/tp.err" &
TP_PID=$!
trap 'kill $TP_PID 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do grep -q 127.0.0.1 "$T/tp.out" 2>/dev/null && break; sleep 0.05; done
TP=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/tp.out") || fail "testpay did not start: $(cat "$T/tp.err")"
# a lock_timeout of 60 s: on a loaded machine the steps below may take longer than the default 5 s
# while psql holds a lock, and a write that must wait would give up before it is seen waiting.
# 12 threads: the nine writers of P wait at once, each on its thread.
export CCHC_PG_LOCK_TIMEOUT_MS=60000
start_server --threads 12 --pay-provider-url "$TP" --pay-secret "$SECRET" --pay-sync-seconds 0
for u in desk_a specialist_a leader_a desk_q specialist_q leader_q; do login "$u"; done
# a citizen's session, confirmed by the one-time code from the outbox
citizen_login be 0912345678

# post USER PATH BODY OUT: one write; the HTTP status in OUT, the body in OUT.body. The writes
# give up after 90 s, later than the server's 60 s lock_timeout: one that waits for a held lock
# ends only when it is released, or refused (never before done_within below gives up).
post() {
  curl -s --max-time 90 -o "$4.body" -w '%{http_code}' -b "$T/$1.jar" \
    -H "X-CSRF-Token: $(cat "$T/$1.csrf")" -H 'Content-Type: application/json' \
    --data-binary "$3" "$BASE$2" >"$4" || echo 000 >"$4"
}
receive() { # receive USER UNIT OUT
  post "$1" /api/dossiers "{\"unit\":\"$2\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Nộp\",\"applicant_phone\":\"0912345678\",\"documents\":[1,2]}" "$3"
}
rate() { # rate CODE OUT: the applicant's rating
  curl -s --max-time 90 -o "$2.body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "{\"code\":\"$1\",\"phone\":\"0912345678\",\"score\":5}" "$BASE/api/lookup/rating" >"$2" || echo 000 >"$2"
}
filing() { # filing UNIT OUT: the citizen starts an online filing at UNIT
  post be /api/public/efile "{\"procedure\":\"9.000002\",\"unit\":\"$1\",\"applicant_name\":\"Trần Thị Bé\",\"applicant_idno\":\"087090001234\",\"applicant_phone\":\"0912345678\"}" "$2"
}
upload() { # upload FILING OUT: the citizen uploads its document 1
  curl -s --max-time 90 -o "$2.body" -w '%{http_code}' -b "$T/be.jar" -X PUT \
    -H 'Content-Type: application/pdf' --data-binary "@$T/don.pdf" \
    "$BASE/api/public/efile/$1/documents/1?name=don.pdf" >"$2" || echo 000 >"$2"
}
submit() { post be "/api/public/efile/$1/submit" '{}' "$2"; } # submit FILING OUT
settle() { # settle REF OUT: the provider's signed callback, paid
  local b="{\"ref\":\"$1\",\"status\":\"paid\",\"amount_vnd\":50000}" sig
  sig=$(printf '%s' "$b" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
  curl -s --max-time 90 -o "$2.body" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Signature: $sig" --data-binary "$b" "$BASE/api/pay/callback" >"$2" || echo 000 >"$2"
}
scan() { # scan USER CODE OUT: component 1 of dossier CODE digitised
  post "$1" "/api/dossiers/$2/components" "{\"doc_index\":1,\"name\":\"don.pdf\",\"content_base64\":\"$(base64 -w0 "$T/don.pdf")\"}" "$3"
}
result() { # result USER CODE NO OUT: the electronic result NO of dossier CODE registered
  post "$1" "/api/dossiers/$2/result" "{\"result_no\":\"$3\",\"title\":\"Giấy xác nhận\",\"content_base64\":\"$(base64 -w0 "$T/don.pdf")\"}" "$4"
}
ok() { # ok STATUS FILE WHAT
  [ "$(cat "$T/$2")" = "$1" ] || fail "$3: $(cat "$T/$2" "$T/$2.body")"
}
{ printf '%%PDF-1.4\n1 0 obj<<>>endobj\n'; head -c 1000 /dev/zero | tr '\0' x; printf '\ntrailer<<>>\n%%%%EOF\n'; } >"$T/don.pdf"

# returned X UNIT: a dossier of UNIT received and taken to its return by X's officers; its code
returned() {
  receive "desk_$1" "$2" "$T/r"
  [ "$(cat "$T/r")" = 201 ] || fail "receive at $2: $(cat "$T/r" "$T/r.body")"
  local code step
  code=$(jq -r .code "$T/r.body")
  for step in desk:advance desk:advance specialist:advance leader:finish desk:return; do
    post "${step%%:*}_$1" "/api/dossiers/$code/${step#*:}" '{}' "$T/r"
    [ "$(cat "$T/r")" = 200 ] || fail "$step $code: $(cat "$T/r" "$T/r.body")"
  done
  echo "$code"
}

# a dossier in each province to move while the locks are held
receive desk_a P.A "$T/d0p"
receive desk_q Q.A "$T/d0q"
[ "$(cat "$T/d0p")" = 201 ] && [ "$(cat "$T/d0q")" = 201 ] ||
  fail "receptions before the test: $(cat "$T/d0p" "$T/d0p.body" "$T/d0q" "$T/d0q.body")"
DP=$(jq -r .code "$T/d0p.body") DQ=$(jq -r .code "$T/d0q.body")
RP=$(returned a P.A) RQ=$(returned q Q.A)
# in each province: a filing to upload to, one with its document to submit, a payment to
# settle (a dossier with a fee, the citizen's payment started)
for x in a:P q:Q; do
  X=${x#*:}
  filing "$X.A" "$T/f1$X" && ok 201 "f1$X" "filing at $X.A"
  filing "$X.A" "$T/f2$X" && ok 201 "f2$X" "filing at $X.A"
  jq -r .id "$T/f1$X.body" >"$T/F1$X"
  jq -r .id "$T/f2$X.body" >"$T/F2$X"
  upload "$(cat "$T/F2$X")" "$T/u0$X" && ok 201 "u0$X" "upload at $X.A"
  post "desk_${x%%:*}" /api/dossiers "{\"unit\":\"$X.A\",\"procedure\":\"9.000016\",\"applicant_name\":\"Người Nộp\",\"applicant_phone\":\"0912345678\"}" "$T/fee$X"
  ok 201 "fee$X" "a dossier with a fee at $X.A"
  curl -s --max-time 30 -o "$T/pay$X.body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "{\"code\":\"$(jq -r .code "$T/fee$X.body")\",\"phone\":\"0912345678\"}" \
    "$BASE/api/lookup/payment" >"$T/pay$X"
  ok 201 "pay$X" "the payment started at $X.A"
  jq -r .ref "$T/pay$X.body" >"$T/REF$X"
done

# psql holding a transaction open: hold SQL… runs them and waits until they have run; release
# commits it
hold() {
  rm -f "$T/psql.in" "$T/psql.out"
  mkfifo "$T/psql.in"
  psql "$DB" -qAtX -v ON_ERROR_STOP=1 <"$T/psql.in" >"$T/psql.out" 2>&1 &
  PSQL_PID=$!
  exec 7>"$T/psql.in"
  echo "BEGIN; $1; SELECT 'held';" >&7
  local i
  for i in $(seq 100); do
    grep -q held "$T/psql.out" && return 0
    sleep 0.05
  done
  fail "psql did not take the lock: $(cat "$T/psql.out")"
}
release() {
  echo "COMMIT;" >&7
  exec 7>&-
  wait "$PSQL_PID" || fail "psql: $(cat "$T/psql.out")"
}
# done_within PID… : every PID ended within 30 s (a write waiting for the held lock does not
# end before it is released)
done_within() {
  local i p
  for i in $(seq 600); do
    for p in "$@"; do kill -0 "$p" 2>/dev/null && { sleep 0.05; continue 2; }; done
    return 0
  done
  return 1
}
waiting() { # waiting PID…: every PID still runs a second later (it waits for the lock)
  sleep 1
  local p
  for p in "$@"; do kill -0 "$p" 2>/dev/null || return 1; done
}
# waiters KEY: sessions waiting for the province lock (7361, KEY) of this database, as pg_locks
# shows them
waiters() {
  testdb_sql "$DB" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = 7361 AND objid = $1 AND objsubid = 2 AND NOT granted"
}

# --- 1. P's province lock held: Q's writes go through, P's wait for it -------------------
hold "SELECT pg_advisory_xact_lock_shared(7361); SELECT pg_advisory_xact_lock(7361, $KP)"
receive desk_q Q.A "$T/q1" & q1=$!
post desk_q "/api/dossiers/$DQ/advance" '{}' "$T/q2" & q2=$!
rate "$RQ" "$T/q5" & q5=$!
filing Q.A "$T/q6" & q6=$!
upload "$(cat "$T/F1Q")" "$T/q7" & q7=$!
submit "$(cat "$T/F2Q")" "$T/q8" & q8=$!
settle "$(cat "$T/REFQ")" "$T/q9" & q9=$!
scan desk_q "$DQ" "$T/q10" & q10=$!
result desk_q "$RQ" KQ-Q/2026 "$T/q11" & q11=$!
done_within "$q1" "$q2" "$q5" "$q6" "$q7" "$q8" "$q9" "$q10" "$q11" ||
  { release; fail "writes in Q waited for P's province lock"; }
wait "$q1" "$q2" "$q5" "$q6" "$q7" "$q8" "$q9" "$q10" "$q11"
[ "$(cat "$T/q5")" = 201 ] || fail "rating in Q beside P's lock: $(cat "$T/q5" "$T/q5.body")"
ok 201 q6 "online filing started in Q beside P's lock"
ok 201 q7 "document uploaded in Q beside P's lock"
ok 200 q8 "online filing submitted in Q beside P's lock"
ok 200 q9 "payment settled in Q beside P's lock"
[ "$(jq -r '.changed, .status' "$T/q9.body" | tr '\n' /)" = true/paid/ ] || fail "Q's settlement: $(cat "$T/q9.body")"
ok 201 q10 "component digitised in Q beside P's lock"
ok 201 q11 "result registered in Q beside P's lock"
[ "$(cat "$T/q1")" = 201 ] || fail "reception in Q beside P's lock: $(cat "$T/q1" "$T/q1.body")"
[ "$(cat "$T/q2")" = 200 ] || fail "advance in Q beside P's lock: $(cat "$T/q2" "$T/q2.body")"
# P's writes, sent one at a time: each comes to wait on P's key itself (the key C computes is
# the one psql took) before the next is sent. One at a time, because a server thread may take
# two connections at once, and the second would wait for the first's thread, not for P's key.
# Each within 10 s (the first gives up 60 s after it began to wait).
PW=()
queue() { # queue WHAT CMD…: one write of P, in the background
  local what=$1 i
  shift
  "$@" &
  PW+=($!)
  for i in $(seq 200); do [ "$(waiters "$KP")" = ${#PW[@]} ] && return 0; sleep 0.05; done
  i=$(waiters "$KP") # before the release, which ends the waits
  release
  fail "$what in P is not waiting on P's key (7361, $KP): $i of ${#PW[@]} waiting"
}
queue reception receive desk_a P.A "$T/p1"
queue advance post desk_a "/api/dossiers/$DP/advance" '{}' "$T/p2"
queue rating rate "$RP" "$T/p5"
queue "online filing" filing P.A "$T/p6"
queue upload upload "$(cat "$T/F1P")" "$T/p7"
queue submission submit "$(cat "$T/F2P")" "$T/p8"
queue settlement settle "$(cat "$T/REFP")" "$T/p9"
queue component scan desk_a "$DP" "$T/p10"
queue result result desk_a "$RP" KQ-P/2026 "$T/p11"
if ! waiting "${PW[@]}"; then
  release
  fail "writes in P did not wait for P's province lock: $(for f in p1 p2 p5 p6 p7 p8 p9 p10 p11; do [ -s "$T/$f" ] && echo "$f $(cat "$T/$f" "$T/$f.body")"; done 2>&1)"
fi
release
wait "${PW[@]}"
ok 201 p6 "online filing started in P after the lock"
ok 201 p7 "document uploaded in P after the lock"
ok 200 p8 "online filing submitted in P after the lock"
ok 200 p9 "payment settled in P after the lock"
[ "$(jq -r '.changed, .status' "$T/p9.body" | tr '\n' /)" = true/paid/ ] || fail "P's settlement: $(cat "$T/p9.body")"
ok 201 p10 "component digitised in P after the lock"
ok 201 p11 "result registered in P after the lock"
[ "$(cat "$T/p5")" = 201 ] || fail "rating in P after the lock: $(cat "$T/p5" "$T/p5.body")"
[ "$(cat "$T/p1")" = 201 ] || fail "reception in P after the lock: $(cat "$T/p1" "$T/p1.body")"
[ "$(cat "$T/p2")" = 200 ] || fail "advance in P after the lock: $(cat "$T/p2" "$T/p2.body")"

# --- 2. the global lock held exclusively (as an import holds it): both provinces wait ----
hold "SELECT pg_advisory_xact_lock(7361)"
receive desk_a P.A "$T/p3" & p3=$!
receive desk_q Q.A "$T/q3" & q3=$!
post desk_q "/api/dossiers/$DQ/advance" '{}' "$T/q4" & q4=$!
if ! waiting "$p3" "$q3" "$q4"; then
  release
  fail "writes did not wait for the exclusive lock: $(cat "$T/p3" "$T/q3" "$T/q4" 2>&1)"
fi
release
wait "$p3" "$q3" "$q4"
for f in p3 q3; do [ "$(cat "$T/$f")" = 201 ] || fail "reception $f after the exclusive lock: $(cat "$T/$f" "$T/$f.body")"; done
[ "$(cat "$T/q4")" = 200 ] || fail "advance in Q after the exclusive lock: $(cat "$T/q4" "$T/q4.body")"

# --- 3. a province lock held: an import (the exclusive lock) waits for it -----------------
hold "SELECT pg_advisory_xact_lock_shared(7361); SELECT pg_advisory_xact_lock(7361, $KQ)"
printf 'code,name,kind,parent,valid_from,valid_to,successor,ident_code\nQ.B,Xã Thứ Hai,commune,Q,2025-07-01,,,000.00.32.H98\n' >"$T/qb.csv"
"$CCHC" import units "$T/qb.csv" --db "$DB" >"$T/imp.out" 2>&1 & imp=$!
if ! waiting "$imp"; then
  release
  fail "the import did not wait for Q's province lock: $(cat "$T/imp.out")"
fi
release
wait "$imp" || fail "the import after the province lock: $(cat "$T/imp.out")"

# --- 4. P's lock held: the periodic workers and the audit go on --------------------------
# The claim of due messages (one UPDATE … WHERE free per message: the global key shared only),
# a reminder sweep whose items are Q's (each item under its unit's province), an officer
# marking reminders read (shared only) and `cchc audit verify` (a read snapshot) end while psql
# holds P's key; before, each took the global key exclusively and waited for it.
ago() { date -d "-$1 days" +%F; }
FQ=$("$CCHC" feedback submit --db "$DB" --unit Q.A --kind suggestion --body "Đề nghị niêm yết lịch tiếp dân" \
  --at "$(ago 40)T09:00" | cut -f1)
[ -n "$FQ" ] || fail "setup: feedback at Q.A"
pend() { testdb_sql "$DB" "SELECT count(*) FROM outbox WHERE province = '$1' AND state = 'pending'"; }
[ "$(pend P)" -ge 1 ] || fail "setup: no message of P pending (the server has no channel)"
hold "SELECT pg_advisory_xact_lock_shared(7361); SELECT pg_advisory_xact_lock(7361, $KP)"
"$CCHC" notify run --once --db "$DB" --notify-sink "$T/sink.jsonl" >"$T/n.out" 2>&1 & nw=$!
"$CCHC" remind run --db "$DB" >"$T/rq.out" 2>&1 & rw=$!
"$CCHC" audit verify --db "$DB" >"$T/v.out" 2>&1 & vw=$!
post leader_q /api/reminders/read '{}' "$T/rr" & rr=$!
done_within "$nw" "$rw" "$vw" "$rr" || {
  release
  fail "beside P's lock: the claim, the sweep of Q, the reading or the verify waited ($(cat "$T/n.out" "$T/rq.out" "$T/v.out" 2>&1 | tr '\n' ' '))"
}
wait "$nw" || fail "notify run beside P's lock: $(cat "$T/n.out")"
wait "$rw" || fail "remind run beside P's lock: $(cat "$T/rq.out")"
wait "$vw" || fail "audit verify beside P's lock: $(cat "$T/v.out")"
wait "$rr"
release
ok 200 rr "reminders read beside P's lock"
[ "$(pend P)" = 0 ] && [ "$(pend Q)" = 0 ] || fail "messages left pending after the claim: P $(pend P), Q $(pend Q) ($(cat "$T/n.out"))"
grep -q '^[1-9][0-9]* claimed' "$T/n.out" || fail "notify run claimed nothing: $(cat "$T/n.out")"
[ "$("$CCHC" remind list leader_q --db "$DB" | awk -F'\t' -v f="$FQ" '$4 == f' | wc -l)" = 1 ] ||
  fail "Q's leader not reminded of $FQ beside P's lock: $(cat "$T/rq.out")"
# a sweep that meets an item of P waits on P's key, and writes it after the release
FP=$("$CCHC" feedback submit --db "$DB" --unit P.A --kind suggestion --body "Đề nghị bố trí ghế chờ" \
  --at "$(ago 40)T09:00" | cut -f1)
[ -n "$FP" ] || fail "setup: feedback at P.A"
hold "SELECT pg_advisory_xact_lock_shared(7361); SELECT pg_advisory_xact_lock(7361, $KP)"
"$CCHC" remind run --db "$DB" >"$T/rp.out" 2>&1 & rw=$!
for i in $(seq 200); do [ "$(waiters "$KP")" = 1 ] && break; sleep 0.05; done
n=$(waiters "$KP")
if [ "$n" != 1 ] || ! waiting "$rw"; then
  release
  fail "a sweep with an item of P did not wait on P's key ($n waiting): $(cat "$T/rp.out")"
fi
release
wait "$rw" || fail "remind run after P's lock: $(cat "$T/rp.out")"
[ "$("$CCHC" remind list leader_a --db "$DB" | awk -F'\t' -v f="$FP" '$4 == f' | wc -l)" = 1 ] ||
  fail "P's leader not reminded of $FP after the lock: $(cat "$T/rp.out")"

# --- 5. the chains and counters are whole -------------------------------------------------
"$CCHC" audit verify --db "$DB" >"$T/audit" 2>&1 || fail "audit verify: $(cat "$T/audit")"
for p in P Q; do
  "$CCHC" audit verify --province "$p" --db "$DB" >"$T/audit" 2>&1 || fail "audit verify --province $p: $(cat "$T/audit")"
done
echo "PASS: t-province-lock"
