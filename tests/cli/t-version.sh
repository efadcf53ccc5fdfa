#!/usr/bin/env bash
# t-version.sh — what a newcomer tries first: `cchc --version` prints the release, and a busy
# port is reported in Vietnamese (and English) naming the port, with the way out, exit 1.
set -u
CCHC=${1:?usage: t-version.sh PATH_TO_cchc}
T=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

v=$("$CCHC" --version) || fail "--version exits $?"
[[ $v =~ ^cchc\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed [$v]"
"$CCHC" --help | grep -q -- "--version" || fail "--help does not mention --version"

# a port taken by another cchc
"$CCHC" init --db "$T/a.db" >/dev/null || fail "init"
"$CCHC" serve --db "$T/a.db" --port 0 --port-file "$T/port" >/dev/null 2>&1 &
PID=$!
for _ in $(seq 100); do
  [ -s "$T/port" ] && break
  sleep 0.05
done
port=$(cat "$T/port")
"$CCHC" serve --db "$T/a.db" --port "$port" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] || fail "a busy port exits $rc"
grep -q "cổng $port trên 127.0.0.1 đang được một chương trình khác sử dụng" "$T/err" ||
  fail "the busy port is not named in Vietnamese: $(cat "$T/err")"
grep -q -- "--port N" "$T/err" || fail "no way out given: $(cat "$T/err")"
grep -q "port 0" "$T/err" && fail "microhttpd's 'port 0' reaches the user: $(cat "$T/err")"
echo "ok t-version"
