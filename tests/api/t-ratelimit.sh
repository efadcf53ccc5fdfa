#!/usr/bin/env bash
# t-ratelimit.sh — issue 12, findings 2 and 4, over HTTP: failed citizen lookups count per
# network (/24) as well as per address, so many addresses of one network cannot share out the
# guesses; sign-in failures lock the guessing address for that username, not the owner
# elsewhere; a username-wide lock spares a device the owner signed in from, and
# `cchc user unlock` lifts it.
source "$(dirname "$0")/lib.sh" "$1"
setup_db
start_server --lookup-max-failures-ip 3 --lookup-max-failures-net 10 --login-max-failures 3 \
  --login-max-failures-user 6 --login-max-failures-net 1000
# lookup_from ADDRESS: one failed lookup sent from a loopback address; prints the status.
lookup_from() {
  curl -s -o "$T/body" -w '%{http_code}' --interface "$1" -H 'Content-Type: application/json' \
    -d '{"code":"000.00.31.H99-250804-0001","id_suffix":"1234"}' "$BASE/api/lookup"
}
for i in $(seq 10 19); do
  st=$(lookup_from 127.0.0.$i)
  [ "$st" = 404 ] || fail "lookup $i from its own address: $st $(cat "$T/body")"
done
st=$(lookup_from 127.0.0.20)
[ "$st" = 429 ] || fail "the 11th failure from one /24 (a fresh address): $st, want 429: $(cat "$T/body")"
# login_from ADDRESS PASSWORD [JAR]: one sign-in as desk_a; prints the status.
login_from() {
  local jar=${3:-$T/none.jar}
  curl -s -o "$T/body" -w '%{http_code}' --interface "$1" -b "$jar" -c "$jar" \
    -H 'Content-Type: application/json' -d "{\"username\":\"desk_a\",\"password\":\"$2\"}" "$BASE/api/session"
}
st=$(login_from 127.0.1.50 "$PASS" "$T/owner.jar")
[ "$st" = 200 ] || fail "owner's first sign-in: $st $(cat "$T/body")"
for i in 1 2 3; do login_from 127.0.1.30 wrong-password-$i >/dev/null; done
st=$(login_from 127.0.1.30 "$PASS")
[ "$st" = 429 ] || fail "the guessing address after 3 failures: $st, want 429"
rm -f "$T/none.jar"
st=$(login_from 127.0.1.51 "$PASS")
[ "$st" = 200 ] || fail "the owner elsewhere while one address is locked out: $st, want 200: $(cat "$T/body")"
# failures from several addresses lock the username for new devices only
for a in 31 32 33; do for i in 1 2; do login_from 127.0.1.$a wrong-password-$i >/dev/null; done; done
rm -f "$T/none.jar"
st=$(login_from 127.0.1.52 "$PASS")
[ "$st" = 429 ] || fail "a new device while the username is locked: $st, want 429"
grep -q "ask an administrator" "$T/body" || fail "the lock message: $(cat "$T/body")"
st=$(login_from 127.0.1.53 "$PASS" "$T/owner.jar")
[ "$st" = 200 ] || fail "the owner's known device while the username is locked: $st, want 200: $(cat "$T/body")"
for a in 34 35 36; do for i in 1 2; do login_from 127.0.1.$a wrong-password-$i >/dev/null; done; done
rm -f "$T/none.jar"
st=$(login_from 127.0.1.54 "$PASS")
[ "$st" = 429 ] || fail "locked again: $st, want 429"
"$CCHC" user unlock desk_a --db "$DB" | grep -qx "user 'desk_a': sign-in lock lifted" || fail "cchc user unlock"
st=$(login_from 127.0.1.54 "$PASS")
[ "$st" = 200 ] || fail "a new device after cchc user unlock: $st, want 200: $(cat "$T/body")"
set +e
"$CCHC" user unlock nobody --db "$DB" 2>"$T/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "user 'nobody' does not exist" "$T/err" || fail "unlock nobody: exit $rc $(cat "$T/err")"
echo "t-ratelimit: all passed"
