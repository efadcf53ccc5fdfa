#!/usr/bin/env bash
# CLI tests of `cchc init`, `cchc import units|procedures`, `cchc unit` and `cchc procedure`:
# exit statuses (0 ok, 2 bad input, 1 runtime failure), every bad CSV in tests/data/import
# answered with exactly the lines of its .err file and nothing imported, and the demo data.
set -u
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
CCHC=${1:?usage: t-import.sh PATH_TO_cchc}
TESTDATA=${CCHC_TESTDATA:-$(cd "$(dirname "$0")/../data" && pwd)}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
fails=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../lib/testdb.sh"
db=$(testdb "$tmp/t.db")

fail() { echo "FAIL $*"; fails=$((fails+1)); }
run() { # runs the command, leaving $tmp/out, $tmp/err and $rc
  "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
}
check_bad() { # name rc fragment command... : exit rc, one stderr line containing fragment, no stdout
  local name=$1 want_rc=$2 frag=$3; shift 3
  run "$@"
  if [ $rc -ne "$want_rc" ] || [ -s "$tmp/out" ] || ! grep -qF -- "$frag" "$tmp/err" ||
     [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail "$name: rc=$rc (want $want_rc) stdout [$(cat "$tmp/out")] stderr [$(cat "$tmp/err")] want [$frag]"
  fi
}
check_empty() { # name command... : exit 0, no output at all
  local name=$1; shift
  run "$@"
  if [ $rc -ne 0 ] || [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
    fail "$name: rc=$rc stdout [$(head -c 300 "$tmp/out")] stderr [$(cat "$tmp/err")] want nothing"
  fi
}
check_ok() { # name fixed-line command... : exit 0 and stdout has the line
  local name=$1 line=$2; shift 2
  run "$@"
  if [ $rc -ne 0 ] || ! grep -qxF -- "$line" "$tmp/out"; then
    fail "$name: rc=$rc stdout [$(head -c 600 "$tmp/out")] stderr [$(cat "$tmp/err")] want line [$line]"
  fi
}

# --- init and --db ---
testdb_is_pg || check_bad read-needs-db 2 "does not exist (create it with: cchc init --db $db)" "$CCHC" unit list --db "$db"
testdb_is_pg || [ ! -e "$db" ] || fail "unit list created the database"
check_ok init "$db: schema version $("$CCHC" init --db "$tmp/v.db" | sed 's/.*version //')" "$CCHC" init --db "$db"
check_ok init-again "$db: schema version $("$CCHC" init --db "$tmp/v.db" | sed 's/.*version //')" "$CCHC" init --db "$db"
check_bad init-pg 1 "cannot connect to PostgreSQL" "$CCHC" init --db postgres://127.0.0.1:1/cchc
check_bad init-dir 1 "cannot open" "$CCHC" init --db "$tmp"
check_bad init-arg 2 "unexpected argument '--frob'" "$CCHC" init --frob
CCHC_DB=$db check_empty db-env "$CCHC" unit list

# --- import: arguments ---
check_bad import-kind 2 "'people': not a kind of import" "$CCHC" import people x.csv --db "$db"
check_bad import-args 2 "expected KIND and FILE" "$CCHC" import units --db "$db"
check_bad import-missing 2 "nope.csv: cannot open" "$CCHC" import units "$tmp/nope.csv" --db "$db"

# --- import: every bad file gives exactly its .err lines, then one summary; nothing imported ---
printf 'code,name,kind\nBASE,Đơn vị gốc,province\n' >"$tmp/base.csv"
check_ok import-base "imported 1 units from $tmp/base.csv" "$CCHC" import units "$tmp/base.csv" --db "$db"
(cd "$TESTDATA/import" && for errf in *.err; do
  name=${errf%.err}; kind=${name%%-bad*}
  "$CCHC" import "$kind" "$name.csv" --db "$db" >"$tmp/out" 2>"$tmp/err"; rc=$?
  n=$(wc -l <"$errf")
  if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! diff <(head -n "$n" "$tmp/err") "$errf" >/dev/null ||
     [ "$(tail -n +$((n+1)) "$tmp/err")" != "cchc import: $name.csv: $n problem$([ "$n" -gt 1 ] && echo s); nothing imported" ]; then
    echo "FAIL import-$name: rc=$rc"; diff <(cat "$tmp/err") "$errf"; exit 1
  fi
done) || fails=$((fails+1))
[ "$("$CCHC" unit list --db "$db")" = $'BASE\tprovince\tĐơn vị gốc\t..\t' ] || fail "bad imports changed the units"
check_empty proc-empty "$CCHC" procedure list --db "$db"
[ "$(testdb_sql "$db" "SELECT count(*) FROM unit_contacts")" = 0 ] || fail "a bad contacts file wrote a contact"

# --- the demo data ---
check_ok import-units "imported 62 units from $DATA/demo/units.csv" "$CCHC" import units "$DATA/demo/units.csv" --db "$db"
check_ok import-procs "imported 27 procedures from $DATA/catalog/procedures.csv" "$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$db"
check_ok import-contacts "imported 21 unit contacts from $DATA/demo/unit-contacts.csv" "$CCHC" import contacts "$DATA/demo/unit-contacts.csv" --db "$db"
check_ok import-contacts-again "imported 21 unit contacts from $DATA/demo/unit-contacts.csv" "$CCHC" import contacts "$DATA/demo/unit-contacts.csv" --db "$db"
[ "$(testdb_sql "$db" "SELECT unit || '|' || phone FROM unit_contacts WHERE unit = 'DT.MYTHO.MC'")" = "DT.MYTHO.MC|0277 3 802 102" ] ||
  fail "the demo desk's contact: $(testdb_sql "$db" "SELECT * FROM unit_contacts WHERE unit = 'DT.MYTHO.MC'")"
check_ok tree-new $'  DT.THANHBINH\tcommune\tXã Thanh Bình\t2025-07-01..\t' "$CCHC" unit list --as-of 2025-07-01 --db "$db"
check_ok tree-new-desk $'    DT.THANHBINH.MC\tdesk\tBộ phận Một cửa xã Thanh Bình\t2025-07-01..\t' "$CCHC" unit list --as-of 2025-07-01 --db "$db"
check_ok tree-old $'    DT0.THANHBINH.TT\ttown\tThị trấn Thanh Bình\t..2025-06-30\tDT.THANHBINH' "$CCHC" unit list --as-of 2025-06-30 --db "$db"
if "$CCHC" unit list --as-of 2025-07-01 --db "$db" | grep -q DT0; then fail "old units listed on 2025-07-01"; fi
check_ok children $'DT.THANHBINH.MC\tdesk\tBộ phận Một cửa xã Thanh Bình\t2025-07-01..\t' "$CCHC" unit list --parent DT.THANHBINH --db "$db"
check_ok show-resolve $'Ngày 2025-08-01:\tDT.THANHBINH — Xã Thanh Bình' "$CCHC" unit show DT0.THANHBINH.TT --as-of 2025-08-01 --db "$db"
check_ok show-merged $'Sáp nhập từ:\tDT0.THANHBINH.TANPHU, DT0.THANHBINH.TT' "$CCHC" unit show DT.THANHBINH --db "$db"
check_ok show-district $'Ngày 2025-08-01:\tunit \'DT0.THANHBINH\' ended on 2025-06-30 with no successor, so nothing stands for it on 2025-08-01' "$CCHC" unit show DT0.THANHBINH --as-of 2025-08-01 --db "$db"
check_bad show-missing 2 "unit 'NOPE': no such unit" "$CCHC" unit show NOPE --db "$db"
check_bad parent-missing 2 "unit 'NOPE': no such unit" "$CCHC" unit list --parent NOPE --db "$db"
check_bad bad-as-of 2 "--as-of '2025-02-30': no such day" "$CCHC" unit list --as-of 2025-02-30 --db "$db"
check_bad unit-cmd 2 "'frob': not a unit command" "$CCHC" unit frob --db "$db"
check_ok search $'1.001193\tcommune\ttrong ngày\tfull\tHộ tịch\tĐăng ký khai sinh' "$CCHC" procedure list --search "KHAI SINH" --db "$db"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "search 'KHAI SINH': $(wc -l <"$tmp/out") lines, want 3"
check_ok search-nodiacritics $'1.013225\tcommune\t15 ngày\tpartial\tHoạt động xây dựng\tCấp giấy phép xây dựng mới đối với nhà ở riêng lẻ' "$CCHC" procedure list --search "giay phep xay dung" --db "$db"
check_ok show-proc $'Dịch vụ công trực tuyến:\tToàn trình' "$CCHC" procedure show 1.001193 --db "$db"
check_ok show-step '  2. Thẩm định, ghi Sổ hộ tịch | specialist@commune | 50%' "$CCHC" procedure show 1.001193 --db "$db"
check_bad proc-missing 2 "procedure '9.999999': no such procedure" "$CCHC" procedure show 9.999999 --db "$db"
check_bad proc-cmd 2 "'frob': not a procedure command" "$CCHC" procedure frob --db "$db"

# --- a column left out never erases; identifier codes are not shared (issue 12, finding 5) ---
printf 'code,name,kind\nDT.STP,Sở Tư pháp tỉnh Đồng Tháp,department\n' >"$tmp/names.csv"
check_ok names-only "imported 1 units from $tmp/names.csv" "$CCHC" import units "$tmp/names.csv" --db "$db"
check_ok names-keep-ident $'Mã định danh:\t000.00.01.H20' "$CCHC" unit show DT.STP --db "$db"
check_ok names-keep-parent $'Trực thuộc:\tDT — Tỉnh Đồng Tháp' "$CCHC" unit show DT.STP --db "$db"
check_ok names-new-name $'Tên:\tSở Tư pháp tỉnh Đồng Tháp' "$CCHC" unit show DT.STP --db "$db"
printf 'code,name,kind,parent,valid_from,ident_code\nDT.SNEW,Sở Mới,department,DT,2025-08-01,000.00.01.H20\n' >"$tmp/shared.csv"
run "$CCHC" import units "$tmp/shared.csv" --db "$db"
[ $rc -eq 2 ] && grep -qxF "$tmp/shared.csv:2: ident_code: '000.00.01.H20': already the identifier code of unit 'DT.STP' (the database), and their periods 2025-08-01..… and 2025-07-01..… overlap; two units sharing one would issue the same dossier codes" "$tmp/err" ||
  fail "ident-shared-db: rc=$rc stderr [$(cat "$tmp/err")]"
if "$CCHC" unit show DT.SNEW --db "$db" >/dev/null 2>&1; then fail "a unit sharing an identifier code was imported"; fi
# a database from before this check may hold a shared code: the clash is named, not SQLite's
shared=$(testdb "$tmp/shared.db")
{ "$CCHC" init --db "$shared" && "$CCHC" import units "$DATA/demo/units.csv" --db "$shared" &&
  "$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$shared"; } >/dev/null || fail "shared: setup"
testdb_sql "$shared" "UPDATE units SET ident_code = '000.00.31.H20' WHERE code = 'DT.THANHBINH'" >/dev/null
for u in DT.MYTHO DT.THANHBINH; do
  run "$CCHC" dossier receive --unit $u --procedure 1.004873 --name "Lê Văn Tám" --idno 087090001234 --at 2025-08-04T08:10 --db "$shared"
done
[ $rc -eq 2 ] && grep -qxF "cchc dossier: dossier code '000.00.31.H20-250804-0001' was already issued by another unit with the same identifier code; give each unit its own ident_code (cchc import units)" "$tmp/err" ||
  fail "shared ident at receipt: rc=$rc [$(cat "$tmp/err")]"
printf 'code,name,field,level,time_amount,time_unit,online\n1.001193,Đăng ký khai sinh,Hộ tịch,commune,0,wd,full\n' >"$tmp/p.csv"
check_ok procs-keep-import "imported 1 procedures from $tmp/p.csv" "$CCHC" import procedures "$tmp/p.csv" --db "$db"
check_ok procs-keep-basis $'Căn cứ:\tLuật Hộ tịch 2014, Điều 16 khoản 2; Nghị định 123/2015/NĐ-CP, Điều 9' "$CCHC" procedure show 1.001193 --db "$db"
check_ok procs-keep-steps $'Quy trình:\t4 bước' "$CCHC" procedure show 1.001193 --db "$db"
check_ok procs-keep-docs $'Thành phần hồ sơ:\t3' "$CCHC" procedure show 1.001193 --db "$db"

# --- a 20,000-deep chain imports, and imports again, in linear time (issue 12, finding 7):
# quadratic cycle checks took 40 s for 5,000 units, so they would take many minutes here ---
awk 'BEGIN { print "code,name,kind,parent"; print "C0,Gốc,province,";
             for (i = 1; i < 20000; i++) printf "C%d,Đơn vị %d,agency,C%d\n", i, i, i - 1 }' >"$tmp/chain.csv"
"$CCHC" init --db "$tmp/chain.db" >/dev/null
for pass in 1 2; do
  timeout 120 "$CCHC" import units "$tmp/chain.csv" --db "$tmp/chain.db" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -eq 0 ] || fail "chain import $pass: rc=$rc (124 = not done in 120 s) [$(cat "$tmp/err")]"
done
printf 'code,name,kind,parent\nC0,Gốc,province,C19999\n' >"$tmp/cycle.csv"
run "$CCHC" import units "$tmp/cycle.csv" --db "$tmp/chain.db"
[ $rc -eq 2 ] && grep -qF "cycle.csv:2: parent: 'C19999': unit 'C0' is already above it, so this would make a cycle" "$tmp/err" ||
  fail "chain-cycle: rc=$rc [$(cat "$tmp/err")]"

# --- a database from a newer cchc is refused and left alone ---
new=$(testdb "$tmp/new.db")
"$CCHC" init --db "$new" >/dev/null || fail "init new"
testdb_sql "$new" "INSERT INTO schema_migrations VALUES (999, '999_future.sql', 'x')"
check_bad newer-schema 2 "schema version 999 is newer than this cchc knows" "$CCHC" unit list --db "$new"

[ $fails -eq 0 ] && echo "t-import: all passed"
exit $((fails > 0))
