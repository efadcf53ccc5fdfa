#!/usr/bin/env bash
# t-authz.sh — the authorisation matrix, generated from the route table
# (`cchc serve --print-routes`): every principal (anonymous and one user per role, all of
# unit P.A) × every route × a resource of the own unit and of a foreign unit (P.B), with the
# status each cell must get: 401 without a session, 403 for a role the route does not allow,
# 403 "csrf" for a state-changing request without the token, 404 for another unit's
# resource (hidden, not forbidden), and the probe's own status otherwise. The probes
# (tests/data/api/authz-probes.tsv) must cover exactly the routes of the table, so a new
# route cannot skip the matrix.
source "$(dirname "$0")/lib.sh" "$1"
PROBES=$DATA/authz-probes.tsv
setup_db
"$CCHC" par import-set "$DATA/../par/t1-set.csv" --db "$DB" >/dev/null
"$CCHC" par round create R1 --year 2025 --set T1 --units P.A --db "$DB" >/dev/null
# reform: plans #1 (P.A) and #2 (P.B) on the commune set T1; task #1 of P.A cancelled, #2 of P.B
for u in P.A P.B; do
  "$CCHC" reform plan create --unit $u --year 2025 --db "$DB" >/dev/null
done
"$CCHC" reform task add --plan 1 --area 1 --title "Rà soát TTHC" --owner P.A --start 2025-07-01 --due 2025-12-31 --db "$DB" >/dev/null
"$CCHC" reform task add --plan 2 --area 1 --title "Rà soát TTHC" --owner P.B --start 2025-07-01 --due 2025-12-31 --db "$DB" >/dev/null
"$CCHC" reform task cancel 1 --note "Gộp vào nhiệm vụ khác" --db "$DB" >/dev/null
# inspections (authz-probes.tsv): #1 P.A -> P.A.MC and #2 P.B -> P.B.MC in progress, each with a
# shortcoming; #3 P.A -> P.A.MC cancelled; P.A.MC's 2025 plan takes the remedies
"$CCHC" reform plan create --unit P.A.MC --year 2025 --set T1 --db "$DB" >/dev/null
for u in P.A P.B P.A; do
  "$CCHC" reform inspection create --inspector $u --unit $u.MC --year 2025 --from 2025-09-01 --to 2025-09-05 \
    --team "Đoàn kiểm tra" --item "Niêm yết TTHC" --db "$DB" >/dev/null
done
for i in 1 2; do
  "$CCHC" reform inspection start $i --db "$DB" >/dev/null
  "$CCHC" reform inspection finding $i --kind shortcoming --text "Chưa niêm yết đủ" --db "$DB" >/dev/null
done
"$CCHC" reform inspection cancel 3 --note "Lùi sang năm sau" --db "$DB" >/dev/null
# periodic reports (authz-probes.tsv): drafts #1 P.A, #2 P.B, #3 P.A.MC, #4 P.B.MC; #5 accepted
for u in P.A P.B P.A.MC P.B.MC; do
  "$CCHC" report periodic create --unit $u --period 2025-CCHC-Y --db "$DB" >/dev/null
done
"$CCHC" report periodic create --unit P.A --period 2025-CCHC-Q1 --db "$DB" >/dev/null
"$CCHC" report periodic submit 5 --db "$DB" >/dev/null
"$CCHC" report periodic accept 5 --db "$DB" >/dev/null
# initiatives: #1 of P.A withdrawn (every action 409), #2 of P.B proposed
for u in P.A P.B; do
  "$CCHC" reform initiative propose --unit $u --evaluator $u --area 1 --title "Sáng kiến thử" --authors "Nguyễn Văn A" \
    --description "Mô tả" --day 2025-08-01 --db "$DB" >/dev/null
done
"$CCHC" reform initiative withdraw 1 --note "Trùng sáng kiến khác" --db "$DB" >/dev/null
# queue: counters of P.A and P.B; P.A's number 1001 taken (the probes call and serve it)
"$CCHC" import counters "$DATA/counters.csv" --db "$DB" >/dev/null
"$CCHC" queue take P.A --counter 1 --db "$DB" >/dev/null
"$CCHC" serve --print-routes >"$T/routes.tsv"
[ "$(wc -l <"$T/routes.tsv")" -ge 20 ] || fail "the route table looks truncated"

# Every route has exactly one probe row, and every probe row a route.
cut -f1,2 "$T/routes.tsv" | sort >"$T/r"
grep -v '^#' "$PROBES" | cut -f1,2 | sort >"$T/p"
diff "$T/r" "$T/p" >"$T/d" || fail "routes and probes differ (< route without probe, > probe without route):
$(cat "$T/d")"
[ -z "$(uniq -d "$T/p")" ] || fail "routes probed twice: $(uniq -d "$T/p")"

start_server
for u in desk_a specialist_a leader_a par_assessor_a admin_a citizen desk_b leader_b; do
  login "$u"
done

# The dossiers the probes name: A_RET and B_RET returned (own and foreign), A_PROC processing.
make_returned() { # DESK LEADER UNIT PHONE
  req -u "$1" POST /api/dossiers "{\"unit\":\"$3\",\"procedure\":\"9.000002\",\"applicant_name\":\"Mai Anh\",\"applicant_phone\":\"$4\",\"at\":\"2025-09-08T08:00\"}"
  expect 201 "setup: receive in $3"
  local code
  code=$(field .code)
  req -u "$1" POST "/api/dossiers/$code/advance" '{"at":"2025-09-08T08:10"}'
  expect 200 "setup: advance"
  req -u "$2" POST "/api/dossiers/$code/finish" '{"at":"2025-09-08T09:00"}'
  expect 200 "setup: finish"
  req -u "$1" POST "/api/dossiers/$code/return" '{"at":"2025-09-08T10:00"}'
  expect 200 "setup: return"
  echo "$code"
}
A_RET=$(make_returned desk_a leader_a P.A 0912345678)
B_RET=$(make_returned desk_b leader_b P.B 0912345678)
# Survey round SV1 samples the returned dossiers (issue 19); its routes answer 200 in scope.
"$CCHC" survey round create SV1 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 1 \
  --db "$DB" >/dev/null || fail "setup: survey round"
req -u desk_a POST /api/dossiers '{"unit":"P.A","procedure":"9.000001","applicant_name":"Mai Anh","applicant_phone":"0912345678","at":"2025-09-08T08:00"}'
expect 201 "setup: receive A_PROC"
A_PROC=$(field .code)
# Feedback: A_FB of P.A refused (closed: every action on it is illegal, 409), B_FB of P.B.
req POST /api/public/feedback '{"unit":"P.A","kind":"suggestion","body":"Góp ý thử A"}'
expect 201 "setup: feedback A"
A_FB=$(field .code)
req POST /api/public/feedback '{"unit":"P.B","kind":"suggestion","body":"Góp ý thử B"}'
expect 201 "setup: feedback B"
B_FB=$(field .code)
req -u desk_a POST "/api/feedback/$A_FB/refuse" '{"note":"Không thuộc phạm vi"}'
expect 200 "setup: refuse feedback A"

# Online filing: A_EF (P.A) submitted as A_EFD, B_EFD of P.B (authz-probes.tsv).
req POST /api/public/otp '{"contact":"0912345678"}'
expect 202 "setup: citizen code"
otp=$(testdb_sql "$DB" "SELECT vars FROM outbox WHERE event = 'otp' ORDER BY id DESC LIMIT 1" | sed -n 's/^otp\t//p')
curl -s -c "$T/cit.jar" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"contact\":\"0912345678\",\"code\":\"$otp\"}" "$BASE/api/public/otp/verify"
: >"$T/cit.csrf"
efile_filed() { # UNIT -> "ID CODE"
  req -u cit POST /api/public/efile "{\"procedure\":\"9.000001\",\"unit\":\"$1\",\"applicant_name\":\"Mai Anh\"}"
  expect 201 "setup: filing in $1"
  local id
  id=$(field .id)
  printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$T/ef.pdf"
  curl -s -b "$T/cit.jar" -o /dev/null -X PUT --data-binary "@$T/ef.pdf" "$BASE/api/public/efile/$id/documents/1?name=don.pdf"
  req -u cit POST "/api/public/efile/$id/submit" '{"paper":[2]}'
  expect 200 "setup: submit the filing in $1"
  echo "$id $(field .dossier.code)"
}
read -r A_EF A_EFD < <(efile_filed P.A)
read -r _ B_EFD < <(efile_filed P.B)

# SUBST: the probe's text with the setup's codes in place of $A_RET and the rest.
subst() {
  local s=$1
  s=${s//\$A_RET/$A_RET}
  s=${s//\$B_RET/$B_RET}
  s=${s//\$A_PROC/$A_PROC}
  s=${s//\$A_FB/$A_FB}
  s=${s//\$B_FB/$B_FB}
  s=${s//\$A_EFD/$A_EFD}
  s=${s//\$B_EFD/$B_EFD}
  s=${s//\$A_EF/$A_EF}
  s=${s//\$PASS/$PASS}
  SUBST=$s
}

# The cells are planned first and then sent by one curl, one transfer per cell in the order
# planned (a config file of transfers separated by `next`, each with its principal's cookie
# jar and CSRF token as req sends them), and their error bodies read by one jq. A curl and two
# jq per cell took ~0.2 s of a loaded CI machine each: ten minutes for the matrix.
# cell PRINCIPAL TOKEN METHOD PATH BODY WANT [ERROR_CODE] LABEL: plans one request and its check.
CELLS=0
mkdir "$T/cells"
: >"$T/cells.curl"
declare -a WANT CODE LABEL
declare -A CSRF COOKIE # each principal's token and cookies, read once
cfg_quote() { # a config file's quoted string: backslash and double quote escaped
  local v=${1//\\/\\\\}
  CFGQ="\"${v//\"/\\\"}\""
}
cell() {
  local who=$1 token=$2 method=$3 path=$4 body=$5 want=$6 code=$7 label=$8
  local n=$CELLS f="$T/cells/$CELLS"
  [ "$body" = - ] && body=
  subst "$path"
  path=$SUBST
  cfg_quote "$BASE$path"
  {
    echo "url = $CFGQ"
    echo "request = $method"
    echo "output = \"$f.out\""
    echo 'write-out = "%{http_code}\n"'
    echo "silent"
    echo "max-time = 10"
    if [ "$who" != anon ]; then
      # the jar's cookies as a string: a jar file would start curl's cookie engine, which
      # one curl shares among its transfers, so every principal would send the last jar's
      if [ -z "${CSRF[$who]:-}" ]; then
        CSRF[$who]=$(<"$T/$who.csrf")
        COOKIE[$who]=$(awk -F'\t' '(!/^#/ || /^#HttpOnly_/) && NF >= 7 {printf "%s%s=%s", n++ ? "; " : "", $6, $7}' "$T/$who.jar")
      fi
      cfg_quote "${COOKIE[$who]}"
      echo "cookie = $CFGQ"
      [ "$token" = no ] || echo "header = \"X-CSRF-Token: ${CSRF[$who]}\""
    fi
    if [ -n "$body" ]; then
      subst "$body"
      printf '%s' "$SUBST" >"$f.in"
      echo 'header = "Content-Type: application/json"'
      echo "data-binary = \"@$f.in\""
    fi
    [ "${path%%\?*}" = /metrics ] && echo "header = \"Authorization: Bearer $METRICS_TOKEN\""
    echo "next"
  } >>"$T/cells.curl"
  WANT[n]=$want CODE[n]=$code LABEL[n]=$label
  CELLS=$((CELLS + 1))
  ROW+="@$n "
}

role_of() {
  case $1 in
    anon) echo - ;;
    citizen) echo citizen ;;
    desk_a) echo desk_officer ;;
    *) echo "${1%_a}" ;;
  esac
}

# The sign-out route goes last: it ends each principal's session.
{ grep -v $'^DELETE\t/api/session\t' "$T/routes.tsv"; grep $'^DELETE\t/api/session\t' "$T/routes.tsv"; } >"$T/ordered"
PRINCIPALS="anon citizen desk_a specialist_a leader_a par_assessor_a admin_a"
declare -a ROWS
while IFS=$'\t' read -r method pattern roles csrf scope summary; do
  IFS=$'\t' read -r _ _ own_path own_body for_path for_body own_status < <(
    grep -v '^#' "$PROBES" | awk -F'\t' -v m="$method" -v p="$pattern" '$1 == m && $2 == p')
  ROW=
  for who in $PRINCIPALS; do
    role=$(role_of "$who")
    label="$who $method $pattern"
    if [ "$roles" = public ]; then
      cell "$who" yes "$method" "$own_path" "$own_body" "$own_status" "" "$label (public)"
    elif [ "$who" = anon ]; then
      cell anon yes "$method" "$own_path" "$own_body" 401 unauthorized "$label"
      [ "$scope" = unit ] && cell anon yes "$method" "$for_path" "$for_body" 401 unauthorized "$label foreign"
    elif [[ ,$roles, != *,$role,* ]]; then
      cell "$who" yes "$method" "$own_path" "$own_body" 403 forbidden "$label (role not allowed)"
      [ "$scope" = unit ] && cell "$who" yes "$method" "$for_path" "$for_body" 403 forbidden "$label foreign (role)"
    else
      [ "$csrf" = csrf ] && cell "$who" no "$method" "$own_path" "$own_body" 403 csrf "$label without CSRF token"
      [ "$scope" = unit ] && cell "$who" yes "$method" "$for_path" "$for_body" 404 not_found "$label foreign unit"
      cell "$who" yes "$method" "$own_path" "$own_body" "$own_status" "" "$label own unit"
    fi
    ROW+="| "
  done
  ROWS+=("$(printf '%-44s' "$method $pattern") $ROW")
done <"$T/ordered"

# Every cell's request, in order; curl goes on after a failed transfer (status 000).
curl -K "$T/cells.curl" >"$T/statuses" 2>"$T/curl.err" || true
mapfile -t STATUSES <"$T/statuses"
[ "${#STATUSES[@]}" -eq "$CELLS" ] ||
  fail "curl answered ${#STATUSES[@]} of $CELLS cells: $(head -c 600 "$T/curl.err")"
# The error cells' bodies: code, and whether the error has a field and a message (as expect).
errfiles=()
for ((n = 0; n < CELLS; n++)); do [ -n "${CODE[n]}" ] && errfiles+=("$T/cells/$n.out"); done
declare -A ERRS
while IFS=$'\t' read -r f got ok; do
  ERRS[$f]="$got $ok"
done < <(awk '{print FILENAME "\t" $0}' "${errfiles[@]}" | # (jq -R would join a body
           # without a final newline to the next file's first line)
           jq -rR 'index("\t") as $i | .[:$i] as $f | (.[$i + 1:] | try fromjson catch null) as $j
                   | select($j != null)
                   | try ($j | [$f, (.error.code // "null" | tostring),
                                ((.error // {}) | has("field") and (.message // "" | length > 0))]
                          | @tsv)
                     catch "\($f)\t(no error object)\tfalse"' 2>/dev/null)
bad=0
for ((n = 0; n < CELLS; n++)); do
  f="$T/cells/$n.out" msg=
  if [ "${STATUSES[n]}" != "${WANT[n]}" ]; then
    msg="status ${STATUSES[n]}, expected ${WANT[n]}"
  elif [ -n "${CODE[n]}" ]; then
    read -r got ok <<<"${ERRS[$f]:-"(not JSON) false"}"
    if [ "$got" != "${CODE[n]}" ]; then
      msg="error code '$got', expected '${CODE[n]}'"
    elif [ "$ok" != true ]; then
      msg="the error object lacks field or message"
    fi
  fi
  if [ -n "$msg" ]; then
    echo "FAIL: ${LABEL[n]}: $msg: $(head -c 400 "$f" 2>/dev/null)" >&2
    bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ] || fail "$bad of $CELLS cells failed"
printf '%-44s %s\n' "route" "$PRINCIPALS (own[/foreign][/no-csrf])" >"$T/matrix"
for row in "${ROWS[@]}"; do
  while [[ $row =~ @([0-9]+) ]]; do row=${row/"@${BASH_REMATCH[1]}"/${STATUSES[${BASH_REMATCH[1]}]}}; done
  echo "$row" >>"$T/matrix"
done

# The foreign unit's dossier is untouched by all of it.
login desk_b
req -u desk_b GET "/api/dossiers/$B_RET/history"
[ "$(field '.events | length')" = 4 ] || fail "the foreign dossier changed: $BODY_TEXT"
cat "$T/matrix"
echo "ok t-authz ($CELLS cells)"
