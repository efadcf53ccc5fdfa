#!/usr/bin/env bash
# t-service.sh — cchc as a systemd service, checked where systemd is not running (CI's
# container): deploy/systemd/cchc.service passes `systemd-analyze verify` (with this build's
# binary and man pages in place of /usr/bin/cchc and /usr/share/man) and its offline
# `systemd-analyze security` exposure stays at most 2.0 (printed); readiness on a fake
# $NOTIFY_SOCKET (READY=1 once listening, RELOADING=1/READY=1 around a SIGHUP, STOPPING=1);
# the reload applies request_log (flags still override the file), names the options that wait for a restart and
# survives a broken cchc.ini; the request log is one JSON line per request with no URL and
# no full client address.
source "$(dirname "$0")/lib.sh" "$1"
if testdb_is_pg; then
  echo "SKIP: the unit file, readiness and reload do not depend on the database backend (checked on SQLite)"
  exit 77
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/deploy/systemd/cchc.service
MAN=$(dirname "$CCHC")/man
command -v systemd-analyze >/dev/null || fail "systemd-analyze not found (package systemd)"

# --- the unit file ---
mkdir "$T/unit"
sed -e "s|/usr/bin/cchc|$CCHC|" "$UNIT" >"$T/unit/cchc.service"
[ -d "$MAN/man1" ] || fail "$MAN: man pages not generated (the build makes them)"
(cd "$T/unit" && MANPATH=$MAN systemd-analyze verify ./cchc.service) >"$T/verify" 2>&1 ||
  fail "systemd-analyze verify: $(cat "$T/verify")"
[ -s "$T/verify" ] && fail "systemd-analyze verify printed warnings: $(cat "$T/verify")"
for opt in 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
           'ReadWritePaths=/var/lib/cchc' 'CapabilityBoundingSet=$' 'SystemCallFilter=@system-service' \
           'Type=notify' 'ExecReload='; do
  grep -q "^$opt" "$UNIT" || fail "cchc.service lacks $opt"
done
systemd-analyze security --offline=yes "$T/unit/cchc.service" >"$T/security" 2>&1 ||
  fail "systemd-analyze security: $(tail -3 "$T/security")"
score=$(sed -n 's/.*Overall exposure level for cchc.service: \([0-9.]*\).*/\1/p' "$T/security")
[ -n "$score" ] || fail "no exposure score: $(tail -3 "$T/security")"
echo "systemd-analyze security --offline: exposure $score"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score is above 2.0"

# --- readiness, reload and the request log ---
"$CCHC" init --db "$DB" >/dev/null
python3 - "$T/notify.sock" "$T/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        msg = s.recv(4096).decode()
        log.write(msg + "\n")
        if msg == "STOPPING=1":
            break
PY
LISTENER=$!
trap 'kill "$LISTENER" 2>/dev/null || true; cleanup' EXIT
for i in $(seq 100); do [ -S "$T/notify.sock" ] && break; sleep 0.05; done
printf 'slow_ms = 500\n' >"$T/cchc.ini"
NOTIFY_SOCKET=$T/notify.sock start_server --config "$T/cchc.ini"
for i in $(seq 100); do grep -q '^READY=1$' "$T/notify.log" 2>/dev/null && break; sleep 0.05; done
grep -qx 'READY=1' "$T/notify.log" || fail "no READY=1 on \$NOTIFY_SOCKET"
req GET /healthz
expect 200 "healthz before the reload"
grep -q '"route"' "$T/server.out" && fail "request_log is off by default, yet a JSON line was written"

# (lib.sh's start_server gives --slow-ms 0 on the command line, which wins over the file:
# slow_ms stays 0 on reload, as flags always override cchc.ini.)
printf 'request_log = true\nslow_ms = 250\nthreads = 3\n' >"$T/cchc.ini"
kill -HUP "$SERVER_PID"
for i in $(seq 100); do grep -q 'configuration re-read' "$T/server.out" && break; sleep 0.05; done
grep -q 'reload: request_log = true' "$T/server.out" || fail "reload did not apply request_log: $(cat "$T/server.out")"
grep -q 'reload: slow_ms' "$T/server.out" && fail "reload let cchc.ini override the --slow-ms flag"
grep -q 'reload: threads changed; it takes effect at the next restart' "$T/server.out" ||
  fail "reload did not name threads as waiting for a restart"
grep -q 'configuration re-read, 1 option applied' "$T/server.out" || fail "reload summary missing"
[ "$(grep -c '^READY=1$' "$T/notify.log")" -ge 2 ] || fail "no READY=1 after the reload"
grep -qx 'RELOADING=1' "$T/notify.log" || fail "no RELOADING=1 for the reload"

req GET '/api/units/P.NO-SUCH'
expect 404 "a unit that does not exist"
for i in $(seq 50); do grep -q '"route":"/api/units/{unit}"' "$T/server.out" && break; sleep 0.05; done
line=$(grep '"route":"/api/units/{unit}"' "$T/server.out" | tail -1)
[ -n "$line" ] || fail "no JSON line for the request: $(cat "$T/server.out")"
echo "$line" | jq -e '.method == "GET" and .status == 404 and .client == "127.0.0.0/24" and
  (.ms | type == "number") and .complete == true and (.time | test("Z$"))' >/dev/null ||
  fail "request log line: $line"
grep -q 'NO-SUCH' "$T/server.out" && fail "the request log quotes the URL"
grep -q '127\.0\.0\.1' <(grep '"route"' "$T/server.out") && fail "the request log holds a full address"

# A broken cchc.ini on reload: logged, the server goes on with what it had.
printf 'threads = many\n' >"$T/cchc.ini"
kill -HUP "$SERVER_PID"
for i in $(seq 100); do grep -q 'not reloaded' "$T/server.out" && break; sleep 0.05; done
grep -q 'configuration not reloaded' "$T/server.out" || fail "a broken cchc.ini on reload was not reported"
grep -q "threads 'many': must be a whole number" "$T/server.err" || fail "the reload error is not named: $(cat "$T/server.err")"
req GET /healthz
expect 200 "healthz after a failed reload"
stop_server
wait "$LISTENER" 2>/dev/null || true
grep -qx 'STOPPING=1' "$T/notify.log" || fail "no STOPPING=1 on SIGTERM"
echo "ok: unit verified (exposure $score), notify, reload and request log"
