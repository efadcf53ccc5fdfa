#!/usr/bin/env bash
# t-openapi-client.sh — a client generated from docs/openapi.yaml talks to the real server:
# openapi-typescript generates the types, tsc --strict checks tests/openapi/client.ts against
# them (a call the spec does not describe fails to compile) and node runs it with openapi-fetch
# against `cchc serve` on 127.0.0.1: public calls, a typed 404, sign-in, a dossier, CSRF.
source "$(dirname "$0")/lib.sh" "$1"
if testdb_is_pg; then
  echo "SKIP: the generated client do not depend on the database backend (checked on SQLite)"
  exit 77
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$ROOT/tests/openapi
[ -x "$DIR/node_modules/.bin/openapi-typescript" ] ||
  fail "tests/openapi/node_modules missing (scripts/deps.sh runs npm ci there)"
# One account is enough here (lib.sh's setup_db hashes nine argon2id passwords).
"$CCHC" init --db "$DB" >/dev/null
"$CCHC" import units "$DATA/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/procedures.csv" --db "$DB" >/dev/null
echo "$PASS" | "$CCHC" user add --db "$DB" --username desk_a --role desk_officer --unit P.A >/dev/null
start_server

mkdir "$T/client"
cp "$DIR/client.ts" "$DIR/tsconfig.json" "$T/client/"
echo '{"type": "module"}' >"$T/client/package.json"
ln -s "$DIR/node_modules" "$T/client/node_modules"
"$DIR/node_modules/.bin/openapi-typescript" "$ROOT/docs/openapi.yaml" -o "$T/client/api.d.ts" \
  >"$T/gen.out" 2>&1 || fail "openapi-typescript: $(cat "$T/gen.out")"
grep -q '"/api/dossiers/{code}"' "$T/client/api.d.ts" || fail "generated types lack /api/dossiers/{code}"
"$DIR/node_modules/.bin/tsc" -p "$T/client" >"$T/tsc.out" 2>&1 || fail "tsc: $(cat "$T/tsc.out")"
node "$T/client/client.js" "$BASE" desk_a "$PASS" || fail "the generated client's calls failed"

# The type check can fail: a path the spec does not have does not compile.
sed -i 's|"/api/units/{unit}", { params: { path: { unit: "P.A" } } }|"/api/unitz/{unit}", { params: { path: { unit: "P.A" } } }|' \
  "$T/client/client.ts"
grep -q '/api/unitz/' "$T/client/client.ts" || fail "could not break client.ts for the check"
"$DIR/node_modules/.bin/tsc" -p "$T/client" >"$T/tsc.out" 2>&1 &&
  fail "tsc accepted a call to a path that is not in the spec"
grep -q 'unitz' "$T/tsc.out" || fail "tsc failed for another reason: $(cat "$T/tsc.out")"
echo "ok: generated client checked against the spec and run against cchc serve"
