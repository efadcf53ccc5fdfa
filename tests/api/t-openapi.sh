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

# The spec as a whole (python3-yaml, scripts/deps.sh): OpenAPI 3, every operation with a
# summary and responses, every {param} of a path declared as a required path parameter,
# every $ref resolving, and the security of each operation as the route table says: none
# for a public route, the session for the others, and the CSRF token for state changes.
"$CCHC" serve --print-routes >"$T/routes.tsv"
python3 - "$SPEC" "$T/routes.tsv" <<'PY' || exit 1
import re, sys, yaml
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
routes = {}
for line in open(sys.argv[2], encoding="utf-8"):
    method, pattern, roles, csrf, scope, _ = line.rstrip("\n").split("\t", 5)
    routes[(method.lower(), pattern)] = (roles, csrf)
bad = []
if not str(spec.get("openapi", "")).startswith("3."):
    bad.append("openapi: not 3.x")
def resolve(ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
def walk(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and resolve(v) is None:
                bad.append(f"{where}: $ref {v} does not resolve")
            walk(v, where)
    elif isinstance(node, list):
        for v in node:
            walk(v, where)
walk(spec, "spec")
for path, item in spec["paths"].items():
    shared = item.get("parameters", [])
    for method, op in item.items():
        if method == "parameters":
            continue
        where = f"{method.upper()} {path}"
        if not op.get("summary"):
            bad.append(f"{where}: no summary")
        if not op.get("responses"):
            bad.append(f"{where}: no responses")
        params = [resolve(p["$ref"]) if "$ref" in p else p for p in shared + op.get("parameters", [])]
        params = [p for p in params if isinstance(p, dict)]
        declared = {p["name"] for p in params if p.get("in") == "path" and p.get("required")}
        for name in re.findall(r"{([^}]+)}", path):
            if name not in declared:
                bad.append(f"{where}: path parameter {name} not declared (in: path, required)")
        roles, csrf = routes.get((method, path), (None, None))
        if roles is None:
            continue  # the diff above reports it
        schemes = {k for s in op.get("security", []) for k in s}
        if roles == "public" and schemes:
            bad.append(f"{where}: public route, but the spec asks for {sorted(schemes)}")
        if roles != "public" and "session" not in schemes:
            bad.append(f"{where}: needs a session ({roles}), the spec says none")
        if (csrf == "csrf") != ("csrf" in schemes):
            bad.append(f"{where}: CSRF token {'required' if csrf == 'csrf' else 'not required'} by the route table")
for b in bad:
    print("FAIL: docs/openapi.yaml:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# docs/http.md lists exactly the options of the option table, with their defaults.
"$CCHC" serve --help | awk '
  /^  --[a-z-]+ (N|TEXT|BOOL)$/ { name = substr($1, 3); gsub(/-/, "_", name); next }
  name && /^      default: / { d = $0; sub(/^      default: /, "", d); sub(/;.*/, "", d);
                               print name "\t" d; name = "" }' | sort >"$T/opts"
awk -F'|' '/^\| `[a-z_]+` \|/ { n = $2; gsub(/[ `]/, "", n); d = $3; gsub(/^ +| +$/, "", d);
                                print n "\t" d }' "$(dirname "$SPEC")/http.md" | sort >"$T/docopts"
[ "$(wc -l <"$T/opts")" -ge 15 ] || { echo "FAIL: --help option list looks truncated" >&2; exit 1; }
if ! diff "$T/opts" "$T/docopts" >"$T/d"; then
  echo "FAIL: option table of --help (<) and docs/http.md (>) differ:" >&2
  cat "$T/d" >&2
  exit 1
fi
echo "ok t-openapi ($(wc -l <"$T/routes") routes, $(wc -l <"$T/opts") options)"
