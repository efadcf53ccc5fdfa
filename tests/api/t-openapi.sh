#!/usr/bin/env bash
# t-openapi.sh — docs/openapi.yaml documents exactly the routes of the route table
# (`cchc serve --print-routes`): every route has its path and method in the spec, and every
# path and method in the spec is a route. The spec is written with two-space indentation:
# paths at 2 spaces under "paths:", methods at 4.
set -euo pipefail
CCHC=${1:?usage: bash $0 PATH_TO_cchc}
SPEC=$(cd "$(dirname "$0")/../.." && pwd)/docs/openapi.yaml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -f "$SPEC" ] || { echo "FAIL: $SPEC missing" >&2; exit 1; }
"$CCHC" serve --print-routes | cut -f1,2 | sort >"$T/routes"
awk '
  /^paths:/ { inpaths = 1; next }
  /^[^ ]/ { inpaths = 0 }
  inpaths && /^  \/[^ ]*:$/ { path = substr($0, 3, length($0) - 3); next }
  inpaths && /^    (get|put|post|delete|patch):$/ {
    m = toupper(substr($0, 5, length($0) - 5)); print m "\t" path
  }' "$SPEC" | sort >"$T/spec"
[ "$(wc -l <"$T/routes")" -ge 20 ] || { echo "FAIL: route table looks truncated" >&2; exit 1; }
if ! diff "$T/routes" "$T/spec" >"$T/d"; then
  echo "FAIL: route table (<) and docs/openapi.yaml (>) differ:" >&2
  cat "$T/d" >&2
  exit 1
fi
# The error object is documented as every error's shape.
grep -q 'required: \[code, field, message\]' "$SPEC" || { echo "FAIL: Error schema" >&2; exit 1; }
echo "ok t-openapi ($(wc -l <"$T/routes") routes)"
