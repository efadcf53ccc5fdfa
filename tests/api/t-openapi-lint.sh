#!/usr/bin/env bash
# t-openapi-lint.sh — docs/openapi.yaml is clean under Redocly CLI's recommended rules
# (tests/openapi/redocly.yaml; npm, pinned in tests/openapi/package-lock.json and installed by
# scripts/deps.sh): no error and no warning, and every operation has its operationId. The
# linter runs offline (telemetry and update checks off).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$ROOT/tests/openapi
REDOCLY=$DIR/node_modules/.bin/redocly
[ -x "$REDOCLY" ] || { echo "FAIL: $REDOCLY missing (scripts/deps.sh runs npm ci in tests/openapi)" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
lint() { (cd "$DIR" && "$REDOCLY" lint "$1" --config "$DIR/redocly.yaml" --format=json) >"$T/out" 2>"$T/err" || true; }
totals() { jq -r '"\(.totals.errors) \(.totals.warnings)"' "$T/out"; }

lint "$ROOT/docs/openapi.yaml"
jq -e .totals "$T/out" >/dev/null || { echo "FAIL: redocly gave no report:" >&2; cat "$T/err" >&2; exit 1; }
if [ "$(totals)" != "0 0" ]; then
  echo "FAIL: redocly lint docs/openapi.yaml: errors and warnings $(totals):" >&2
  jq -r '.problems[] | "\(.severity) \(.ruleId): \(.message) at \(.location[0].pointer)"' "$T/out" >&2
  exit 1
fi

# The linter can fail: a public operation without its explicit security and an operation
# without operationId are reported.
python3 - "$ROOT/docs/openapi.yaml" "$T/broken.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("      operationId: getHealth\n      security: []\n", "", 1)
open(sys.argv[2], "w").write(s)
PY
cmp -s "$ROOT/docs/openapi.yaml" "$T/broken.yaml" && { echo "FAIL: could not break the spec for the check" >&2; exit 1; }
lint "$T/broken.yaml"
for rule in security-defined operation-operationId; do
  jq -e --arg r "$rule" '[.problems[] | select(.ruleId == $r and .severity == "error")] | length == 1' \
    "$T/out" >/dev/null || { echo "FAIL: the broken spec did not fail rule $rule" >&2; exit 1; }
done
echo "ok: docs/openapi.yaml lint-clean (Redocly recommended), and a broken copy fails"
