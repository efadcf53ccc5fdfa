#!/usr/bin/env bash
# t-province-lock.sh — the write lock per province on PostgreSQL (docs/province-lock.md): a
# dossier's reception, changes and rating take the global advisory key shared and their
# province's key (7361, `cchc province-lock-key PROVINCE`) exclusively, so writers of two
# provinces do not wait for each other, writers of one province still do, and every other
# writer (an import, here) still takes the global key exclusively and waits for them all.
# Deterministic, without timing figures: psql holds a lock, a write that must not wait for it
# completes (within 30 s, while psql still holds the lock, so a write that waited would
# fail), a write that must wait is still running a second later, and completes once psql
# commits. PostgreSQL only: runs as pg.api.t-province-lock (on SQLite there is one writer).
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
# a lock_timeout of 60 s: on a loaded machine the steps below may take longer than the default 5 s
# while psql holds a lock, and a write that must wait would give up before it is seen waiting
export CCHC_PG_LOCK_TIMEOUT_MS=60000
start_server --threads 6
for u in desk_a specialist_a leader_a desk_q specialist_q leader_q; do login "$u"; done

# post USER PATH BODY OUT: one write; the HTTP status in OUT, the body in OUT.body
post() {
  curl -s --max-time 30 -o "$4.body" -w '%{http_code}' -b "$T/$1.jar" \
    -H "X-CSRF-Token: $(cat "$T/$1.csrf")" -H 'Content-Type: application/json' \
    --data-binary "$3" "$BASE$2" >"$4" || echo 000 >"$4"
}
receive() { # receive USER UNIT OUT
  post "$1" /api/dossiers "{\"unit\":\"$2\",\"procedure\":\"9.000001\",\"applicant_name\":\"Người Nộp\",\"applicant_phone\":\"0912345678\",\"documents\":[1,2]}" "$3"
}
rate() { # rate CODE OUT: the applicant's rating
  curl -s --max-time 30 -o "$2.body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "{\"code\":\"$1\",\"phone\":\"0912345678\",\"score\":5}" "$BASE/api/lookup/rating" >"$2" || echo 000 >"$2"
}
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
done_within "$q1" "$q2" "$q5" || { release; fail "writes in Q waited for P's province lock"; }
wait "$q1" "$q2" "$q5"
[ "$(cat "$T/q5")" = 201 ] || fail "rating in Q beside P's lock: $(cat "$T/q5" "$T/q5.body")"
[ "$(cat "$T/q1")" = 201 ] || fail "reception in Q beside P's lock: $(cat "$T/q1" "$T/q1.body")"
[ "$(cat "$T/q2")" = 200 ] || fail "advance in Q beside P's lock: $(cat "$T/q2" "$T/q2.body")"
receive desk_a P.A "$T/p1" & p1=$!
post desk_a "/api/dossiers/$DP/advance" '{}' "$T/p2" & p2=$!
rate "$RP" "$T/p5" & p5=$!
if ! waiting "$p1" "$p2" "$p5"; then
  release
  fail "writes in P did not wait for P's province lock: $(cat "$T/p1" "$T/p1.body" "$T/p2" "$T/p2.body" 2>&1)"
fi
# they wait for P's key itself (the key C computes is the one psql took): all three within
# 20 s more (each gives up 60 s after it began to wait)
for i in $(seq 400); do [ "$(waiters "$KP")" = 3 ] && break; sleep 0.05; done
[ "$(waiters "$KP")" = 3 ] || { release; fail "P's writers waiting on (7361, $KP): $(waiters "$KP")"; }
release
wait "$p1" "$p2" "$p5"
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

# --- 4. the chains and counters are whole -------------------------------------------------
"$CCHC" audit verify --db "$DB" >"$T/audit" 2>&1 || fail "audit verify: $(cat "$T/audit")"
for p in P Q; do
  "$CCHC" audit verify --province "$p" --db "$DB" >"$T/audit" 2>&1 || fail "audit verify --province $p: $(cat "$T/audit")"
done
echo "PASS: t-province-lock"
