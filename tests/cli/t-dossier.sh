#!/usr/bin/env bash
# CLI tests of `cchc dossier`, `cchc audit verify` and `cchc seed` on the demo province:
# a dossier's whole life with hand-computed due instants, the receipt (Mẫu 01) with masked
# personal data, illegal transitions and bad input (exit 2, one stderr line, nothing on
# stdout, nothing changed), the audit chain catching an edited event, and a reproducible seed.
set -u
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
CCHC=${1:?usage: t-dossier.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")
export CCHC_DATA=$DATA

fail() { echo "FAIL $*"; fails=$((fails+1)); }
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
check_bad() { # name rc fragment command... : exit rc, one stderr line with fragment, no stdout
  local name=$1 want_rc=$2 frag=$3; shift 3
  run "$@"
  if [ $rc -ne "$want_rc" ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" ||
     [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc (want $want_rc) stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}
check_ok() { # name fixed-line command... : exit 0 and stdout has the line
  local name=$1 line=$2; shift 2
  run "$@"
  if [ $rc -ne 0 ] || ! grep -qxF -- "$line" "$tmp/out"; then
    fail "$name: rc=$rc stdout [$(head -c 900 "$tmp/out")] stderr [$(cat "$tmp/err")] want line [$line]"
  fi
}
no_personal_data() { # name: the full ID number and phone appear in neither stdout nor stderr
  if grep -qE '087090001234|0912345678' "$tmp/out" "$tmp/err"; then
    fail "$1: personal data printed: $(cat "$tmp/out" "$tmp/err")"
  fi
}

"$CCHC" init --db "$db" >/dev/null || { echo "FAIL init"; exit 1; }
"$CCHC" import units "$DATA/demo/units.csv" --db "$db" >/dev/null || { echo "FAIL units"; exit 1; }
"$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$db" >/dev/null ||
  { echo "FAIL procedures"; exit 1; }
D=(--db "$db")

# --- reception: Mẫu 01 data; 1.004873 is 3 working days: Tue 5, Wed 6, Thu 7 August 2025 ---
code=000.00.31.H20-250804-0001
check_ok receive-code "Mã hồ sơ:	$code" "$CCHC" dossier receive --unit DT.MYTHO \
  --procedure 1.004873 --name "Lê Văn Tám" --idno 087090001234 --phone 0912345678 \
  --address "Khu phố 3, phường Mỹ Tho" --docs 1 --at 2025-08-04T08:10 --actor motcua1 "${D[@]}"
grep -qxF "Hẹn trả kết quả:	2025-08-07T17:00" "$tmp/out" || fail "receive-due: $(cat "$tmp/out")"
grep -qxF "Số định danh:	*********234" "$tmp/out" || fail "receive-mask-id: $(cat "$tmp/out")"
grep -qxF "Điện thoại:	*******678" "$tmp/out" || fail "receive-mask-phone: $(cat "$tmp/out")"
grep -qxF "  1. Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu" "$tmp/out" ||
  fail "receive-docs: $(cat "$tmp/out")"
no_personal_data receive
# the second dossier of the unit that day
check_ok receive-seq "Mã hồ sơ:	000.00.31.H20-250804-0002" "$CCHC" dossier receive \
  --unit DT.MYTHO --procedure 2.000815 --name "Trần Thị Bích" --at 2025-08-04T09:00 "${D[@]}"

# --- illegal transitions change nothing ---
check_bad return-early 2 "cannot 'return' a dossier in state 'received': the result is not ready" \
  "$CCHC" dossier return $code --at 2025-08-04T08:20 "${D[@]}"
check_bad resume-not-paused 2 "cannot 'resume' a dossier in state 'received': it is not paused" \
  "$CCHC" dossier resume $code --at 2025-08-04T08:20 "${D[@]}"
check_bad finish-received 2 "cannot 'finish' a dossier in state 'received'" \
  "$CCHC" dossier finish $code --at 2025-08-04T08:20 "${D[@]}"

# --- the life: step 1 (10%), supplement (clock stopped 2 days), steps 2-4, result, return ---
check_ok advance "$code	processing	bước 1/4	hạn bước 2025-08-04T11:26	hạn 2025-08-07T17:00" \
  "$CCHC" dossier advance $code --officer chuyenvien.lan --at 2025-08-04T08:30 "${D[@]}"
check_bad officer-on-pause 2 "--officer does not apply to 'pause'" \
  "$CCHC" dossier pause $code --reason x --officer ai.do --at 2025-08-04T09:40 "${D[@]}"
check_bad restart-on-refuse 2 "--restart does not apply to 'refuse'" \
  "$CCHC" dossier refuse $code --reason x --restart --at 2025-08-04T09:40 "${D[@]}"
check_bad supplement-no-reason 2 "needs --reason" \
  "$CCHC" dossier supplement $code --at 2025-08-04T10:00 "${D[@]}"
check_ok supplement "$code	supplement_requested	bước 1/4	hạn bước 2025-08-04T11:26	hạn 2025-08-07T17:00" \
  "$CCHC" dossier supplement $code --reason "Thiếu giấy tờ" --at 2025-08-04T10:00 "${D[@]}"
check_bad advance-stopped 2 "waiting for the applicant's supplement" \
  "$CCHC" dossier advance $code --at 2025-08-05T10:00 "${D[@]}"
# stopped Mon 10:00 - Wed 10:00 = 900 working minutes = 2 days: due Thu 7 -> Mon 11
check_ok supplement-received "$code	processing	bước 1/4	hạn bước 2025-08-06T11:26	hạn 2025-08-11T17:00" \
  "$CCHC" dossier supplement $code --received --at 2025-08-06T10:00 "${D[@]}"
for t in 2025-08-07T09:00 2025-08-07T10:00 2025-08-08T09:00; do
  "$CCHC" dossier advance $code --at $t "${D[@]}" >/dev/null 2>&1 || fail "advance at $t"
done
check_bad advance-last 2 "step 4 is the last of 4; use 'finish'" \
  "$CCHC" dossier advance $code --at 2025-08-08T10:00 "${D[@]}"
check_bad apologise-earlier 2 "must be after the due instant 2025-08-11T17:00" \
  "$CCHC" dossier apologise $code --new-due 2025-08-10T17:00 --reason "chậm" --at 2025-08-08T10:00 "${D[@]}"
"$CCHC" dossier finish $code --at 2025-08-11T17:00 "${D[@]}" >/dev/null || fail finish
"$CCHC" dossier return $code --at 2025-08-12T08:00 "${D[@]}" >/dev/null || fail return
check_ok show-outcome "Kết quả đánh giá:	on_time (đúng hạn)" "$CCHC" dossier show $code "${D[@]}"
grep -qF "Số định danh:	*********234" "$tmp/out" || fail "show-mask"
no_personal_data show
check_ok show-reveal "Số định danh:	087090001234" "$CCHC" dossier show $code --reveal "${D[@]}"
check_bad closed 2 "cannot 'withdraw' a dossier in state 'returned': the dossier is closed" \
  "$CCHC" dossier withdraw $code --reason "x" --at 2025-08-12T09:00 "${D[@]}"

# --- list: name without diacritics, status, outcome at an instant, period ---
check_ok list-name "$code	DT.MYTHO	1.004873	returned	on_time	2025-08-04T08:10	2025-08-11T17:00" \
  "$CCHC" dossier list --name "le van tam" "${D[@]}"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "list-name: $(cat "$tmp/out")"
run "$CCHC" dossier list --outcome overdue --at 2025-08-05T17:01 "${D[@]}"
grep -q "^000.00.31.H20-250804-0002	" "$tmp/out" || fail "list-overdue: $(cat "$tmp/out")"
run "$CCHC" dossier list --outcome in_time --at 2025-08-04T16:00 "${D[@]}"
grep -q "^000.00.31.H20-250804-0002	" "$tmp/out" || fail "list-in-time: $(cat "$tmp/out")"
run "$CCHC" dossier list --from 2025-08-05 "${D[@]}"
[ ! -s "$tmp/out" ] && [ $rc -eq 0 ] || fail "list-period: $(cat "$tmp/out")"
check_bad list-status 2 "status 'done'" "$CCHC" dossier list --status done "${D[@]}"
check_bad list-outcome 2 "outcome 'ontime'" "$CCHC" dossier list --outcome ontime "${D[@]}"
check_bad list-from 2 "--from '2025-13-01'" "$CCHC" dossier list --from 2025-13-01 "${D[@]}"

# --- bad input ---
check_bad bad-idno 2 "applicant ID number: must be 12 digits" "$CCHC" dossier receive \
  --unit DT.MYTHO --procedure 1.004873 --name "X" --idno 0870900012 --at 2025-08-05T08:00 "${D[@]}"
grep -q 0870900012 "$tmp/err" && fail "bad-idno echoes the ID number"
check_bad bad-phone 2 "applicant phone" "$CCHC" dossier receive --unit DT.MYTHO \
  --procedure 1.004873 --name "X" --phone 12345 --at 2025-08-05T08:00 "${D[@]}"
check_bad old-unit 2 "does not exist on 2025-08-05" "$CCHC" dossier receive \
  --unit DT0.THANHBINH.TT --procedure 1.004873 --name "X" --at 2025-08-05T08:00 "${D[@]}"
check_bad no-unit 2 "unit" "$CCHC" dossier receive --unit NOPE --procedure 1.004873 --name X \
  --at 2025-08-05T08:00 "${D[@]}"
check_bad no-proc 2 "procedure '9.999999'" "$CCHC" dossier receive --unit DT.MYTHO \
  --procedure 9.999999 --name X --at 2025-08-05T08:00 "${D[@]}"
check_bad missing 2 "needs --unit, --procedure and --name" "$CCHC" dossier receive --unit DT.MYTHO "${D[@]}"
check_bad bad-docs 2 "--docs '1,x'" "$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 \
  --name X --docs 1,x "${D[@]}"
check_bad doc-range 2 "document 9" "$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 \
  --name X --docs 9 --at 2025-08-05T08:00 "${D[@]}"
check_bad bad-at 2 "--at '2025-08-05 25:00'" "$CCHC" dossier advance $code --at "2025-08-05 25:00" "${D[@]}"
check_bad unknown-code 2 "no such dossier" "$CCHC" dossier advance 000.00.31.H20-250804-0099 "${D[@]}"
check_bad no-code 2 "needs a dossier CODE" "$CCHC" dossier advance "${D[@]}"
check_bad bad-cmd 2 "not a dossier command" "$CCHC" dossier approve $code "${D[@]}"
check_bad bad-arg 2 "unexpected argument '--frobnicate'" "$CCHC" dossier show $code --frobnicate "${D[@]}"
testdb_is_pg || check_bad no-db 2 "does not exist" "$CCHC" dossier list --db "$tmp/none.db"
check_bad dir-db 1 "cannot open" "$CCHC" dossier list --db "$tmp"
run "$CCHC" dossier list "${D[@]}"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "bad input created dossiers: $(cat "$tmp/out")"

# --- audit ---
check_ok audit-ok "ok: 10 events, 2 dossiers, 1 province chain intact" "$CCHC" audit verify "${D[@]}"
orig=$(testdb_sql "$db" "SELECT quote_literal(actor) FROM events WHERE id = 3" 2>/dev/null || testdb_sql "$db" "SELECT quote(actor) FROM events WHERE id = 3")
testdb_sql "$db" "UPDATE events SET actor = 'someone' WHERE id = 3" || fail "sql update"
run "$CCHC" audit verify "${D[@]}"
[ $rc -eq 1 ] && grep -qF "event 3: hash does not match" "$tmp/out" || fail "audit-edit: rc=$rc $(cat "$tmp/out" "$tmp/err")"
testdb_sql "$db" "UPDATE events SET actor = $orig WHERE id = 3" || fail "sql restore"
check_ok audit-restored "ok: 10 events, 2 dossiers, 1 province chain intact" "$CCHC" audit verify "${D[@]}"
check_bad audit-cmd 2 "not an audit command" "$CCHC" audit check "${D[@]}"

# --- rating (after the return, once, 1..5; the comment stays out of the audit log) ---
check_bad rate-open 2 "cannot 'rate' a dossier in state 'received'" \
  "$CCHC" dossier rate 000.00.31.H20-250804-0002 --score 5 --at 2025-08-12T09:00 "${D[@]}"
check_bad rate-score 2 "--score '6'" "$CCHC" dossier rate $code --score 6 "${D[@]}"
check_ok rate "$code	rated 4" "$CCHC" dossier rate $code --score 4 --comment "Nhanh, đúng hẹn" \
  --at 2025-08-12T09:00 "${D[@]}"
check_bad rate-twice 2 "already been rated" "$CCHC" dossier rate $code --score 5 \
  --at 2025-08-12T10:00 "${D[@]}"
check_ok show-rating "Đánh giá của người dân:	4/5 (2025-08-12T09:00) — Nhanh, đúng hẹn" \
  "$CCHC" dossier show $code "${D[@]}"
check_ok audit-rated "ok: 11 events, 2 dossiers, 1 province chain intact" "$CCHC" audit verify "${D[@]}"

# --- seed: reproducible from the seed, audit intact ---
S=("" "$(testdb "$tmp/s1.db")" "$(testdb "$tmp/s2.db")" "$(testdb "$tmp/s3.db")")
S1=${S[1]} S3=${S[3]}
check_bad seed-n 2 "--dossiers '0'" "$CCHC" seed --dossiers 0 --db "$S1"
check_bad seed-year 2 "--year '1999'" "$CCHC" seed --dossiers 5 --year 1999 --db "$S1"
check_bad seed-missing 2 "--dossiers N is required" "$CCHC" seed --db "$S1"
check_bad seed-cache 2 "--cache-mb '1': must be a whole number from 2 to 65536" "$CCHC" seed --dossiers 5 --cache-mb 1 --db "$S1"
for n in 1 2; do
  "$CCHC" seed --dossiers 150 --seed 7 --db "${S[$n]}" >/dev/null || fail "seed $n"
  "$CCHC" dossier list --at 2026-01-01T00:00 --db "${S[$n]}" >"$tmp/l$n" || fail "list $n"
done
cmp -s "$tmp/l1" "$tmp/l2" || fail "seed not reproducible"
[ "$(wc -l <"$tmp/l1")" -eq 150 ] || fail "seed made $(wc -l <"$tmp/l1") dossiers"
"$CCHC" seed --dossiers 150 --seed 8 --db "$S3" >/dev/null || fail "seed 3"
"$CCHC" dossier list --at 2026-01-01T00:00 --db "$S3" >"$tmp/l3"
cmp -s "$tmp/l1" "$tmp/l3" && fail "another seed gave the same year"
run "$CCHC" audit verify --db "$S1"
grep -q "^ok: .* 150 dossiers, [0-9]* province chains\? intact" "$tmp/out" || fail "seed audit: $(cat "$tmp/out")"
# the year has every kind of ending
for st in returned refused; do
  grep -q "	$st	" "$tmp/l1" || fail "seed has no $st dossier"
done
for o in early on_time; do grep -q "	$o	" "$tmp/l1" || fail "seed has no $o dossier"; done

# --- a history seeded a year at a time (bench/decade.sh): --finish runs the year's open
# dossiers on to their end, so the next year's run finds none left from it ---
S4=$(testdb "$tmp/s4.db") S5=$(testdb "$tmp/s5.db")
check_bad seed-finish-until 2 "--finish goes with --year" "$CCHC" seed --dossiers 5 --until today --finish --db "$S4"
open_at() { # DB INSTANT: dossiers not ended at that instant
  "$CCHC" dossier list --at "$2" --db "$1" | awk -F'\t' '$4 !~ /^(returned|refused|withdrawn|cancelled)$/' | wc -l
}
"$CCHC" seed --dossiers 400 --year 2024 --seed 9 --db "$S5" >"$tmp/s5.out" || fail "seed 2024"
n5=$(open_at "$S5" 2025-06-01T00:00)
[ "$n5" -gt 0 ] || fail "a year without --finish left no dossier open (the check below would prove nothing)"
grep -q ", $n5 still open at the end," "$tmp/s5.out" || fail "seed's open count: $(cat "$tmp/s5.out") against $n5"
"$CCHC" seed --dossiers 400 --year 2024 --seed 9 --finish --db "$S4" >"$tmp/s4.out" || fail "seed 2024 --finish"
grep -q ", 0 still open at the end," "$tmp/s4.out" || fail "seed --finish: $(cat "$tmp/s4.out")"
[ "$(open_at "$S4" 2025-06-01T00:00)" -eq 0 ] || fail "seed --finish left $(open_at "$S4" 2025-06-01T00:00) dossiers open"
"$CCHC" seed --dossiers 300 --year 2025 --seed 10 --db "$S4" >/dev/null || fail "seed 2025 after 2024"
"$CCHC" dossier list --at 2026-06-01T00:00 --db "$S4" >"$tmp/l4"
[ "$(wc -l <"$tmp/l4")" -eq 700 ] || fail "two seeded years hold $(wc -l <"$tmp/l4") dossiers, not 700"
run "$CCHC" audit verify --db "$S4"
grep -q "^ok: .* 700 dossiers, [0-9]* province chains\? intact" "$tmp/out" || fail "two years' audit: $(cat "$tmp/out")"

[ $fails -eq 0 ] && echo "t-dossier: all passed"
exit $((fails > 0))
