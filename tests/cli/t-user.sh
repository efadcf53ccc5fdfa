#!/usr/bin/env bash
# CLI tests of `cchc user add|list`: accounts for the HTTP API. Each bad input exits 2 with
# one line naming the rule and adds nothing; the password comes from stdin or
# --password-file (never the command line) and is stored only as an argon2id hash.
set -u
CCHC=${1:?usage: t-user.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
PW=mat-khau-dai-du-1

fail() { echo "FAIL $*"; fails=$((fails+1)); }
# bad NAME RC FRAGMENT STDIN ARGS…: exit RC, one stderr line containing FRAGMENT, no stdout.
bad() {
  local name=$1 want=$2 frag=$3 input=$4; shift 4
  printf '%s' "$input" | "$CCHC" user "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne "$want" ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" ||
     [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc (want $want) stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}

"$CCHC" init --db "$db" >/dev/null
"$CCHC" import units "$TESTDATA/api/units.csv" --db "$db" >/dev/null

bad "no subcommand" 2 "unknown subcommand 'remove'" "" remove
bad "no role" 2 "--username and --role are required" "$PW"$'\n' add --db "$db" --username abc
bad "unknown role" 2 "role 'boss': must be one of citizen, desk_officer" "$PW"$'\n' \
  add --db "$db" --username abc --role boss --unit P
bad "short username" 2 "username 'ab': must be 3 to 47 characters" "$PW"$'\n' \
  add --db "$db" --username ab --role leader --unit P
bad "bad username" 2 "username 'Ab!': only a-z, 0-9" "$PW"$'\n' \
  add --db "$db" --username 'Ab!' --role leader --unit P
bad "officer without unit" 2 "role desk_officer needs a unit scope" "$PW"$'\n' \
  add --db "$db" --username abc --role desk_officer
bad "citizen with unit" 2 "a citizen account has no unit scope" "$PW"$'\n' \
  add --db "$db" --username abc --role citizen --unit P
bad "unknown unit" 2 "unit 'NOPE' does not exist" "$PW"$'\n' \
  add --db "$db" --username abc --role leader --unit NOPE
bad "short password" 2 "password: must be 10 to 256 bytes long (it is 5)" $'short\n' \
  add --db "$db" --username abc --role leader --unit P
bad "no password" 2 "no password given" "" add --db "$db" --username abc --role leader --unit P
bad "password on the command line" 2 "unexpected argument '--password'" "" \
  add --db "$db" --username abc --role leader --unit P --password "$PW"
bad "missing password file" 1 "$tmp/none: cannot open" "" \
  add --db "$db" --username abc --role leader --unit P --password-file "$tmp/none"
[ -z "$("$CCHC" user list --db "$db")" ] || fail "a refused add created a user"

printf '%s\n' "$PW" | "$CCHC" user add --db "$db" --username lanhdao.a --role leader --unit P.A \
  --name "Lê Minh Tuấn" >"$tmp/out" 2>&1 || fail "add from stdin: $(cat "$tmp/out")"
grep -qx "user lanhdao.a added (leader, P.A)" "$tmp/out" || fail "add message: $(cat "$tmp/out")"
printf '%s\r\n' "$PW" >"$tmp/pw"
"$CCHC" user add --db "$db" --username congdan --role citizen --password-file "$tmp/pw" \
  >"$tmp/out" 2>&1 || fail "add from a file: $(cat "$tmp/out")"
bad "duplicate" 2 "user 'lanhdao.a' already exists" "$PW"$'\n' \
  add --db "$db" --username lanhdao.a --role specialist --unit P
"$CCHC" user list --db "$db" >"$tmp/list"
printf 'congdan\tcitizen\t-\t\nlanhdao.a\tleader\tP.A\tLê Minh Tuấn\n' | diff - "$tmp/list" >/dev/null ||
  fail "user list: $(cat "$tmp/list")"
# sqlite3, the CLI, is in scripts/deps.sh.
n=$(testdb_sql "$db" "SELECT count(*) FROM users WHERE pwhash LIKE '\$argon2id\$%'")
[ "$n" = 2 ] || fail "argon2id hashes: $n of 2"
grep -qa -- "$PW" "$db" && fail "the password is stored in clear"

[ $fails -eq 0 ] && echo "ok t-user" || { echo "$fails failure(s)"; exit 1; }
