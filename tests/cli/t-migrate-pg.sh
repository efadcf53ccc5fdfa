#!/usr/bin/env bash
# t-migrate-pg.sh — `cchc migrate --to postgresql://…`: a seeded SQLite database (a year of
# dossiers, users, a PAR round) moves into an empty PostgreSQL database; the counts of every
# table and both audit chains agree, the statistics, lists and PAR results read the same on
# both, the copy takes new writes (ids continue), and a copy into a database that already
# holds data, or from a non-SQLite source, is refused and changes nothing. Needs the
# PostgreSQL cluster of CCHC_TEST_PG (scripts/test.sh starts one); skips without it.
set -u
export CCHC_BACKDATE_TOLERANCE=off # replays 2025 with --at: nothing is backdated (t-backdate.sh tests the rule)
CCHC=${1:?usage: t-migrate-pg.sh PATH_TO_cchc}
DATA=${CCHC_DATA:-$(cd "$(dirname "$0")/../../data" && pwd)}
export CCHC_DATA=$DATA USER=tester
[ -n "${CCHC_TEST_PG:-}" ] || { echo "SKIP: needs CCHC_TEST_PG (scripts/pg-cluster.sh start)"; exit 77; }
fails=0
tmp=$(mktemp -d)
newdb() { # a fresh PostgreSQL database, dropped at the end
  local n
  n=t_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  psql "$CCHC_TEST_PG" -qAtX -c "CREATE DATABASE $n" >/dev/null && echo "${CCHC_TEST_PG%/*}/$n"
  echo "$n" >>"$tmp/dbs"
}
cleanup() {
  [ -f "$tmp/dbs" ] && while read -r n; do
    psql "$CCHC_TEST_PG" -qAtX -c "DROP DATABASE IF EXISTS $n" >/dev/null 2>&1
  done <"$tmp/dbs"
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

src=$tmp/src.db
{ "$CCHC" init --db "$src" && "$CCHC" import units "$DATA/demo/units.csv" --db "$src" &&
  "$CCHC" import procedures "$DATA/catalog/procedures.csv" --db "$src" &&
  "$CCHC" seed --dossiers 400 --seed 11 --db "$src" &&
  echo "mat-khau-thu-nghiem" | "$CCHC" user add --db "$src" --username motcua.a --role desk_officer --unit DT.MYTHO &&
  "$CCHC" par import-set "$DATA/par/commune-ht-3396-2021.csv" --db "$src" &&
  "$CCHC" par round create R2025 --set HT-XA-2021 --year 2025 --kind commune --db "$src"; } \
  >"$tmp/setup.out" 2>&1 || { echo "FAIL setup: $(tail -3 "$tmp/setup.out")"; exit 1; }
# feedback (one item forwarded to the pre-merger city, under another root), a dialogue with a
# commitment and a periodic report, so migration 038's tables have rows to copy and to undo
{ fb=$("$CCHC" feedback submit --unit DT.MYTHO --kind handling --body "Hẹn trả nhiều lần" --at 2025-10-01T09:00 --db "$src" | cut -f1) &&
  "$CCHC" feedback submit --unit DT.CAOLANH --kind suggestion --body "Thêm ghế chờ" --at 2025-10-02T09:00 --db "$src" &&
  "$CCHC" feedback forward "$fb" --to-unit TG0.MYTHO --note "Thẩm quyền thành phố" --at 2025-10-01T10:00 --actor cb --db "$src" &&
  dlg=$("$CCHC" dialogue add --unit DT.MYTHO --day 2025-09-10 --title "Đối thoại chợ" --db "$src") &&
  "$CCHC" dialogue commit "$dlg" --text "Sửa mái che" --owner cb.xaydung --due 2025-09-30 --db "$src" &&
  rep=$("$CCHC" report periodic create --unit DT.MYTHO --period 2025-CCHC-Q3 --actor cv --today 2025-12-20 --db "$src") &&
  "$CCHC" report periodic submit "$rep" --actor cv --today 2025-12-20 --db "$src"; } \
  >"$tmp/setup2.out" 2>&1 || { echo "FAIL setup of feedback, dialogue, report: $(tail -3 "$tmp/setup2.out")"; exit 1; }
# a ward's plan with a started task, and the province's inspection of the ward with a
# shortcoming whose remedy is a task of that plan (migration 039's family; ids from 1)
{ "$CCHC" reform plan create --unit DT.MYTHO --year 2026 --db "$src" &&
  "$CCHC" reform task add --plan 1 --title "Rà soát TTHC" --owner DT.MYTHO --area 1 --start 2026-01-05 --due 2026-06-30 --db "$src" &&
  "$CCHC" reform task start 1 --db "$src" &&
  "$CCHC" reform inspection create --inspector DT --unit DT.MYTHO --year 2026 --from 2026-03-02 --to 2026-03-06 --item "Niêm yết TTHC" --db "$src" &&
  "$CCHC" reform inspection start 1 --db "$src" &&
  "$CCHC" reform inspection finding 1 --kind shortcoming --text "Chưa niêm yết đủ" --db "$src" &&
  "$CCHC" reform inspection remedy --finding 1 --title "Niêm yết đủ TTHC" --owner DT.MYTHO --area 1 --start 2026-03-09 --due 2026-04-30 --db "$src"; } \
  >"$tmp/setup3.out" 2>&1 || { echo "FAIL setup of the reform rows: $(tail -3 "$tmp/setup3.out")"; exit 1; }
# a ward's initiative, recognised and applied by the pre-merger city under another root
# (migration 040's family; id 1); tickets and appointments are written at version 32 below
{ ri() { "$CCHC" reform initiative "$@" --actor cv --db "$src"; } &&
  ri propose --unit DT.MYTHO --evaluator DT --area 3 --title "Tổ công nghệ số" --authors "Nguyễn Văn An" --description "Hướng dẫn nộp trực tuyến" --day 2026-03-02 &&
  ri accept 1 --score 85 --day 2026-04-01 && ri recognize 1 --decision 125/QĐ-UBND --day 2026-04-10 --level province &&
  ri apply 1 --unit TG0.MYTHO --from 2026-05-01; } \
  >"$tmp/setup4.out" 2>&1 || { echo "FAIL setup of the initiative: $(tail -3 "$tmp/setup4.out")"; exit 1; }
# a ward's SIPAS round (migration 041's family): a web answer, a paper form of a ward under
# another root (it still goes with its round) typed twice alike, and one whose entries differ,
# resolved
sv() { "$CCHC" survey "$@" --db "$src" --data "$DATA"; }
{ sv round create SV25 --set sipas-2023.tsv --from 2025-01-01 --to 2025-12-31 --seed 5 --unit DT.MYTHO --tokens "$tmp/sv.csv" --actor cv &&
  sv answer "$(sed -n 2p "$tmp/sv.csv" | awk -F, '{print $(NF-1)}')" TC.1.1=4 TC.2.1=5 --day 2026-01-10 &&
  sv paper --round SV25 --form P-1 --pass 1 --unit TG0.MYTHO --stratum "a|b|c" TC.2.1=5 TT.2.1=4 --actor cv &&
  sv paper --round SV25 --form P-1 --pass 2 --unit TG0.MYTHO --stratum "a|b|c" TC.2.1=5 TT.2.1=4 --actor cv2 &&
  sv paper --round SV25 --form P-2 --pass 1 --unit DT.MYTHO --stratum "a|b|c" TC.2.1=5 --actor cv &&
  sv paper --round SV25 --form P-2 --pass 2 --unit DT.MYTHO --stratum "a|b|c" TC.2.1=4 --actor cv2 &&
  sv resolve --round SV25 --form P-2 TC.2.1=4 --actor cv; } \
  >"$tmp/setup5.out" 2>&1 || { echo "FAIL setup of the survey rows: $(tail -3 "$tmp/setup5.out")"; exit 1; }
# a returned dossier of a ward with a digitised component and its electronic result (migration
# 042's digitisation tables; online filings have no CLI: they are written at version 32 below)
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$tmp/scan.pdf"
{ dg=$("$CCHC" dossier list --at 2026-01-01T00:00 --db "$src" | awk -F'\t' '$2 == "DT.MYTHO" && $4 == "returned" { print $1; exit }') &&
  [ -n "$dg" ] && "$CCHC" digitise add "$dg" --doc 1 --file "$tmp/scan.pdf" --actor cv --db "$src" &&
  "$CCHC" digitise result-add "$dg" --no KQ-42/2025 --title "Giấy phép" --file "$tmp/scan.pdf" --actor cv --db "$src"; } \
  >"$tmp/setup6.out" 2>&1 || { echo "FAIL setup of the digitised rows: $(tail -3 "$tmp/setup6.out")"; exit 1; }
# a second PAR round (migration 043's family) of a pre-merger ward (root TG0) and a ward (root
# DT), listed in that order: the round is DT's, its least unit code's root, and the TG0 ward's
# rows go with it; a self and an appraised score, evidence, a target, the phases closed and the
# metrics frozen with their dossiers at publication
printf 'unit,up\nTG0.MYTHO.P1,1\n' >"$tmp/targets.csv"
{ pr() { "$CCHC" par "$@" --actor cv --db "$src"; } &&
  pr round create R25X --set HT-XA-2021 --year 2025 --units TG0.MYTHO.P1,DT.MYTHO &&
  pr score --round R25X --unit TG0.MYTHO.P1 --node 1.1.1 --self 1 &&
  pr evidence add --round R25X --unit TG0.MYTHO.P1 --node 1.1.1 "$tmp/scan.pdf" &&
  pr target import --round R25X "$tmp/targets.csv" && pr round close-phase R25X &&
  pr score --round R25X --unit TG0.MYTHO.P1 --node 1.1.1 --appraised 0.5 &&
  pr round close-phase R25X && pr round publish R25X; } \
  >"$tmp/setup7.out" 2>&1 || { echo "FAIL setup of the PAR rows: $(tail -3 "$tmp/setup7.out")"; exit 1; }
# reminders (migration 044) of the overdue task, remedy, commitment and feedback, to a leader of
# the ward and of the pre-merger city (under another root) the feedback went to; and a PAR
# evidence file of a ward in the round (par_blobs, beside the task's and initiative's below)
{ for u in DT TG0; do
    echo "mat-khau-thu-nghiem" | "$CCHC" user add --db "$src" --username "ld.${u,,}" --role leader --unit "$u.MYTHO"
  done &&
  "$CCHC" remind run --at 2026-07-02T08:00 --data "$DATA" --db "$src" &&
  "$CCHC" par evidence add --round R2025 --unit DT.CAIBE --node 1.1 "$tmp/scan.pdf" --db "$src"; } \
  >"$tmp/setup8.out" 2>&1 || { echo "FAIL setup of the reminders and PAR evidence: $(tail -3 "$tmp/setup8.out")"; exit 1; }

# The copy streams every table by COPY's text format: a value holding its special characters
# (backslash, tab, newline, carriage return), an empty string beside a NULL, and a blob of all
# 256 byte values arrive byte for byte.
raw=$tmp/raw.db
"$CCHC" init --db "$raw" >/dev/null || fail "init raw"
sqlite3 "$raw" "INSERT INTO units (code, name, kind, ident_code, province) VALUES ('ZZ', 'a\\b' || char(9) || 'c' || char(10) || 'd' || char(13) || 'Đ\\N', 'agency', '', 'ZZ')" \
  "INSERT INTO par_blobs (sha256, size, content, province) VALUES ('all', 256, x'$(printf '%02x' $(seq 0 255))', 'ZZ')" \
  2>"$tmp/err" || fail "raw rows: $(cat "$tmp/err")"
rawpg=$(newdb)
"$CCHC" migrate --to "$rawpg" --db "$raw" >"$tmp/out" 2>"$tmp/err" || fail "copy of the raw rows: $(cat "$tmp/err")"
a=$(sqlite3 "$raw" "SELECT hex(name) || ':' || quote(ident_code) || ':' || quote(parent) FROM units WHERE code = 'ZZ'" \
  "SELECT hex(content) FROM par_blobs WHERE sha256 = 'all'" | tr 'A-F\n' 'a-f|')
b=$(psql "$rawpg" -qAtX -c "SELECT encode(convert_to(name, 'UTF8'), 'hex') || ':' || quote_nullable(ident_code) || ':' || quote_nullable(parent) FROM units WHERE code = 'ZZ'" \
  -c "SELECT encode(content, 'hex') FROM par_blobs WHERE sha256 = 'all'" | tr '\n' '|')
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the raw rows differ after the copy: SQLite $a, PostgreSQL $b"
# a value PostgreSQL refuses (SQLite kept text in an INTEGER column): the copy fails naming
# the table, and the destination holds nothing
sqlite3 "$raw" "UPDATE par_blobs SET size = 'abc'"
rawpg=$(newdb)
"$CCHC" migrate --to "$rawpg" --db "$raw" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -ne 0 ] && grep -q "par_blobs" "$tmp/err" || fail "a refused value: rc=$rc $(cat "$tmp/err")"
n=$(psql "$rawpg" -qAtX -c "SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM par_blobs)")
[ "$n" = 0 ] || fail "a failed copy left $n rows"

pg=$(newdb)
"$CCHC" migrate --to "$pg" --db "$src" >"$tmp/out" 2>"$tmp/err" ||
  fail "migrate: $(cat "$tmp/err")"
grep -q "counts equal; audit chain intact on both" "$tmp/out" || fail "migrate said: $(tail -2 "$tmp/out")"
grep -qP "^dossiers\t400\t400$" "$tmp/out" || fail "dossier counts: $(grep dossiers "$tmp/out")"

# the same answers from both
same() { # NAME ARGS…: the command's output on SQLite and on PostgreSQL are the same
  local name=$1; shift
  "$CCHC" "$@" --db "$src" >"$tmp/a" 2>&1
  "$CCHC" "$@" --db "$pg" >"$tmp/b" 2>&1
  cmp -s "$tmp/a" "$tmp/b" || fail "$name differs: $(diff "$tmp/a" "$tmp/b" | head -4)"
  [ -s "$tmp/a" ] || fail "$name: empty"
}
same list dossier list --at 2026-01-01T00:00
same stats stats show --period 2025 --unit DT
same index stats index --period 2025 --parent DT
same users user list
same par par round list
same audit audit verify

# the copy takes new writes: ids and codes continue
"$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Lê Văn Mới" --at 2026-12-01T08:00 \
  --db "$pg" >"$tmp/out" 2>&1 || fail "receive on the copy: $(cat "$tmp/out")"
"$CCHC" audit verify --db "$pg" >"$tmp/out" 2>&1 || fail "audit after a new write: $(cat "$tmp/out")"
# every row of the dossier family carries its dossier's province (migration 037), the seeded
# ones written on SQLite and copied, the new one written on PostgreSQL; the demo's units are
# coded under their province, so the root is the unit code's first segment
dossier_family="events dossier_documents dossier_steps dossier_stops dossier_apologies dossier_ratings payment_dues payments"
family_provinces() { # -> "dossiers:N:BAD table:N:BAD …"
  psql "$pg" -qAtX -c "SELECT 'dossiers:' || count(*) || ':' || count(*) FILTER (WHERE province <> split_part(unit_code, '.', 1)) FROM dossiers"
  for t in $dossier_family; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM d.province) FROM $t x LEFT JOIN dossiers d ON d.id = x.dossier_id"
  done
}
family_written=$(family_provinces | tr '\n' ' ')
echo "$family_written" | grep -qE '^dossiers:401:0 events:[1-9][0-9]*:0 dossier_documents:[0-9]+:0 dossier_steps:[1-9][0-9]*:0 ' &&
  ! echo "$family_written" | grep -qE ':[0-9]+:[1-9]' ||
  fail "dossier family rows without their dossier's province: $family_written"
psql "$pg" -qAtX -c "SELECT province FROM dossiers ORDER BY id DESC LIMIT 1" | grep -qx DT || fail "the new dossier's province"
# the same for feedback, dialogues and periodic reports (migration 038): an item's province is
# its receiving unit's root (the to_unit of its first event), kept when forwarded; a child's
# is its parent's; a new item is forwarded on PostgreSQL too
fb2=$("$CCHC" feedback submit --unit DT.CAOLANH --kind handling --body "Mới trên bản sao" --at 2026-12-01T09:00 --db "$pg" | cut -f1) &&
  "$CCHC" feedback forward "$fb2" --to-unit TG0.MYTHO --note "Chuyển" --at 2026-12-01T10:00 --actor cb --db "$pg" >/dev/null ||
  fail "feedback on the copy"
fb_family_provinces() { # -> "feedback:N:BAD moved:N table:N:BAD …"
  psql "$pg" -qAtX -c "SELECT 'feedback:' || count(*) || ':' || count(*) FILTER (WHERE f.province IS DISTINCT FROM split_part(e.to_unit, '.', 1)) || ' moved:' || count(*) FILTER (WHERE f.unit_code LIKE 'TG0.%') FROM feedback f LEFT JOIN feedback_events e ON e.feedback_id = f.id AND e.seq = 1" \
    -c "SELECT 'feedback_events:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM f.province) FROM feedback_events x LEFT JOIN feedback f ON f.id = x.feedback_id"
  for t in dialogues periodic_reports; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE province <> split_part(unit_code, '.', 1)) FROM $t"
  done
  psql "$pg" -qAtX -c "SELECT 'dialogue_commitments:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM d.province) FROM dialogue_commitments x LEFT JOIN dialogues d ON d.id = x.dialogue_id" \
    -c "SELECT 'periodic_report_events:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM p.province) FROM periodic_report_events x LEFT JOIN periodic_reports p ON p.id = x.report_id"
}
fb_written=$(fb_family_provinces | tr '\n' ' ')
[ "$fb_written" = "feedback:3:0 moved:2 feedback_events:5:0 dialogues:1:0 periodic_reports:1:0 dialogue_commitments:1:0 periodic_report_events:2:0 " ] ||
  fail "feedback, dialogue and report rows without their province: $fb_written"
# the same of the plans and inspections (migration 039): the ones written on SQLite, and a
# task added on PostgreSQL; plans and inspections carry their unit's root, the rest a parent's
reform_family="reform_tasks:reform_plans:plan_id reform_task_events:reform_tasks:task_id
  reform_evidence:reform_tasks:task_id reform_task_links:reform_tasks:task_id
  inspection_checklist:inspections:inspection_id inspection_findings:inspections:inspection_id
  inspection_remedies:inspection_findings:finding_id"
reform_provinces() { # -> "reform_plans:N:BAD inspections:N:BAD table:N:BAD …"
  for t in reform_plans inspections; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM split_part(unit_code, '.', 1)) FROM $t"
  done
  for t in $reform_family; do
    IFS=: read -r c p k <<<"$t"
    psql "$pg" -qAtX -c "SELECT '$c:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM p.province) FROM $c x LEFT JOIN $p p ON p.id = x.$k"
  done
}
"$CCHC" reform task add --plan 1 --title "Số hoá kết quả" --owner DT.MYTHO --area 1 --start 2026-02-02 --due 2026-09-30 \
  --db "$pg" >"$tmp/out" 2>&1 || fail "a task added on the copy: $(cat "$tmp/out")"
reform_written=$(reform_provinces | tr '\n' ' ')
[ "$reform_written" = "reform_plans:1:0 inspections:1:0 reform_tasks:3:0 reform_task_events:4:0 reform_evidence:0:0 reform_task_links:0:0 inspection_checklist:1:0 inspection_findings:1:0 inspection_remedies:1:0 " ] ||
  fail "plan and inspection rows without their province: $reform_written"
# the same of the initiatives (migration 040): an initiative carries its proposing unit's root,
# its history, evidence and applying units the initiative's, TG0.MYTHO applying it too
init_provinces() { # -> "initiatives:N:BAD table:N:BAD … applied:UNIT=PROVINCE"
  psql "$pg" -qAtX -c "SELECT 'initiatives:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM split_part(unit_code, '.', 1)) FROM initiatives"
  for t in initiative_events initiative_evidence initiative_units; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM i.province) FROM $t x LEFT JOIN initiatives i ON i.id = x.initiative_id"
  done
  psql "$pg" -qAtX -c "SELECT 'applied:' || string_agg(unit_code || '=' || province, ',' ORDER BY unit_code) FROM initiative_units"
}
init_written=$(init_provinces | tr '\n' ' ')
[ "$init_written" = "initiatives:1:0 initiative_events:4:0 initiative_evidence:0:0 initiative_units:1:0 applied:TG0.MYTHO=DT " ] ||
  fail "initiative rows without their province: $init_written"
# the same of the survey round (migration 041): the rows written on SQLite, and a paper form
# typed on PostgreSQL; the round carries DT (its ward's root), the rest the round's, answers
# their response's (the TG0.MYTHO form included)
survey_family="survey_strata survey_invitations survey_responses survey_paper survey_paper_resolved"
survey_provinces() { # -> "survey_rounds:N:BAD table:N:BAD … survey_answers:N:BAD"
  psql "$pg" -qAtX -c "SELECT 'survey_rounds:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM 'DT') FROM survey_rounds"
  for t in $survey_family; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM r.province) FROM $t x LEFT JOIN survey_rounds r ON r.code = x.round"
  done
  psql "$pg" -qAtX -c "SELECT 'survey_answers:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM p.province) FROM survey_answers x LEFT JOIN survey_responses p ON p.id = x.response_id"
}
"$CCHC" survey paper --round SV25 --form P-3 --pass 1 --unit DT.CAOLANH --stratum "a|b|c" TC.2.1=3 --actor cv \
  --db "$pg" --data "$DATA" >"$tmp/out" 2>&1 || fail "a paper form typed on the copy: $(cat "$tmp/out")"
survey_written=$(survey_provinces | tr '\n' ' ')
echo "$survey_written" | grep -qxE 'survey_rounds:1:0 survey_strata:[1-9][0-9]*:0 survey_invitations:[1-9][0-9]*:0 survey_responses:3:0 survey_paper:5:0 survey_paper_resolved:1:0 survey_answers:5:0 ' ||
  fail "survey rows without their round's province: $survey_written"
# the same of the PAR rounds (migration 043): the rows written on SQLite, and a score written on
# PostgreSQL; both rounds carry DT (their least unit code's root), every other row its round's
par_family="par_round_units par_round_phases par_scores par_score_changes par_targets par_metrics par_metric_dossiers par_evidence"
par_provinces() { # -> "par_rounds:N:BAD table:N:BAD …"
  psql "$pg" -qAtX -c "SELECT 'par_rounds:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM 'DT') FROM par_rounds"
  for t in $par_family; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM r.province) FROM $t x LEFT JOIN par_rounds r ON r.id = x.round_id"
  done
}
"$CCHC" par score --round R2025 --unit DT.LAIVUNG --node 1.1.1 --self 1 --actor cv --db "$pg" >"$tmp/out" 2>&1 ||
  fail "a PAR score written on the copy: $(cat "$tmp/out")"
par_written=$(par_provinces | tr '\n' ' ')
echo "$par_written" | grep -qxE 'par_rounds:2:0 par_round_units:[1-9][0-9]*:0 par_round_phases:3:0 par_scores:2:0 par_score_changes:3:0 par_targets:1:0 par_metrics:[1-9][0-9]*:0 par_metric_dossiers:[1-9][0-9]*:0 par_evidence:2:0 ' ||
  fail "PAR rows without their round's province: $par_written"
# the same of the filings and digitised rows (migration 042): a filing carries its unit's root
# (the dossier it became is received by the same unit, so the same province: filed:N counts
# the filed ones that agree), its documents the filing's; a component and a result their
# dossier's (by code)
efile_digi_provinces() { # -> "efile_filings:N:BAD filed:N efile_documents:N:BAD digi_components:N:BAD digi_results:N:BAD"
  psql "$pg" -qAtX -c "SELECT 'efile_filings:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM split_part(unit_code, '.', 1)) FROM efile_filings" \
    -c "SELECT 'filed:' || count(*) FROM efile_filings f JOIN dossiers d ON d.code = f.dossier_code WHERE d.province = f.province" \
    -c "SELECT 'efile_documents:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM f.province) FROM efile_documents x LEFT JOIN efile_filings f ON f.id = x.filing_id"
  for t in digi_components digi_results; do
    psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE x.province IS DISTINCT FROM d.province OR x.province <> 'DT') FROM $t x LEFT JOIN dossiers d ON d.code = x.dossier_code"
  done
}
efile_digi_written=$(efile_digi_provinces | tr '\n' ' ')
[ "$efile_digi_written" = "efile_filings:0:0 filed:0 efile_documents:0:0 digi_components:1:0 digi_results:1:0 " ] ||
  fail "digitised rows without their dossier's province: $efile_digi_written"
# the same of the reminders and the blob stores (migration 044): a reminder carries its
# responsible unit's root; a blob the province of what stored it first (the scanned file: the
# ward's dossier's, and in par_blobs the PAR evidence's ward's), listed in sha256 order
blob_remind_provinces() { # -> "reminders:N:BAD roots:R,… digi_blobs:P,… par_blobs:P,…"
  psql "$pg" -qAtX -c "SELECT 'reminders:' || count(*) || ':' || count(*) FILTER (WHERE province IS DISTINCT FROM split_part(unit_code, '.', 1)) || ' roots:' || string_agg(DISTINCT province, ',') FROM reminders" \
    -c "SELECT 'digi_blobs:' || coalesce(string_agg(province, ',' ORDER BY sha256, province), '') FROM digi_blobs" \
    -c "SELECT 'par_blobs:' || coalesce(string_agg(province, ',' ORDER BY sha256, province), '') FROM par_blobs"
}
blob_remind_written=$(blob_remind_provinces | tr '\n' ' ')
echo "$blob_remind_written" | grep -qxE 'reminders:[1-9][0-9]*:0 roots:DT,TG0 digi_blobs:DT par_blobs:DT ' ||
  fail "reminders and blobs without their province: $blob_remind_written"
# the same of the outbox (migration 048): a dossier's message carries its dossier's province, a
# reminder's message the reminder's, any other (none among the seeded) the national ''; the
# messages written before 48 below (m-t48-…) are checked one by one
outbox_provinces() { # -> "outbox:N:BAD dossier:N reminder:N national:N"
  psql "$pg" -qAtX -c "SELECT 'outbox:' || count(*) || ':' || count(*) FILTER (WHERE o.province IS DISTINCT FROM coalesce(d.province, r.province, '') AND o.msg_id NOT LIKE 'm-t48-%') || ' dossier:' || count(d.id) || ' reminder:' || count(r.id) || ' national:' || count(*) FILTER (WHERE o.province = '') FROM outbox o LEFT JOIN dossiers d ON d.code = o.dossier_code LEFT JOIN reminders r ON r.outbox_msg = o.msg_id"
}
outbox_written=$(outbox_provinces)
echo "$outbox_written" | grep -qxE 'outbox:[1-9][0-9]*:0 dossier:[1-9][0-9]* reminder:0 national:0' ||
  fail "outbox rows without their province: $outbox_written"

# refusals change nothing
"$CCHC" migrate --to "$pg" --db "$src" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "already holds data" "$tmp/err" || fail "copy into a non-empty database: rc=$rc $(cat "$tmp/err")"
"$CCHC" migrate --to "$tmp/other.db" --db "$src" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "expected a postgresql:// URL" "$tmp/err" || fail "--to a file: rc=$rc $(cat "$tmp/err")"
"$CCHC" migrate --to "$(newdb)" --db "$pg" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "must be SQLite" "$tmp/err" || fail "from PostgreSQL: rc=$rc $(cat "$tmp/err")"
n=$(psql "$pg" -qAtX -c "SELECT count(*) FROM dossiers")
[ "$n" = 401 ] || fail "the refused copies changed the database: $n dossiers"

# `cchc migrate` of an older PostgreSQL schema: no copy (--backup is refused, naming pg_dump),
# the migrations in one transaction, the audit verified. The copy is taken back to version 32
# by hand (migrations 033–049 undone: the audit chain per province (049), receipt_seq, queue_counters, queue_seq, unit_contacts,
# the four statistics tables, the dossier family, feedback, dialogues and periodic reports with
# their children (038), the plan and inspection family (039, with a task's evidence and link
# written then), the initiatives and the queue's tickets and appointments (040), the survey
# rounds' rows (041), the online filings and digitised rows (042), the PAR rounds' rows (043),
# the reminders and the blob stores (044, with an unreferenced PAR blob) without province, and
# the keys that hold it (045, and the blob stores' with theirs, 046), and the units' own
# province (047); a migration added later must be undone here too, or `cchc
# migrate` fails on it), with receipt numbers, queue counters, contacts and statistics rows of
# a ward, a pre-merger ward and a unit no longer in the tree; migrating gives each its
# root, and the statistics read as before.
"$CCHC" stats show --period 2025 --unit DT --db "$pg" >"$tmp/stats.before" 2>&1 || fail "stats before"
"$CCHC" stats officers --period 2025 --unit DT --db "$pg" >"$tmp/officers.before" 2>&1 || fail "officers before"
# Migration 048 first (the latest): the outbox's keys go back to (id) and (msg_id) under their
# names, and its column goes.
keyed_048="outbox"
undo_048="ALTER TABLE outbox DROP CONSTRAINT outbox_pkey, DROP CONSTRAINT outbox_msg_id_key;
  ALTER TABLE outbox DROP COLUMN province;
  ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY (id), ADD CONSTRAINT outbox_msg_id_key UNIQUE (msg_id)"
# Then migration 046's keys: the blob stores' primary keys go back to sha256 alone (a blob
# copied into a second province by 046 goes) and the foreign keys onto them to their column.
keyed_046="digi_blobs,par_blobs"
undo_046="DO \$\$
DECLARE r record; fks text[] := '{}'; q text;
BEGIN
  FOR r IN SELECT c.conrelid::regclass::text AS t, c.conname AS n, pg_get_constraintdef(c.oid) AS d
           FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY (string_to_array('$keyed_046', ',')) LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.n);
    fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.t, r.n, replace(r.d, ', province', ''));
  END LOOP;
  FOREACH q IN ARRAY string_to_array('$keyed_046', ',') LOOP
    EXECUTE format('DELETE FROM %I b WHERE EXISTS (SELECT 1 FROM %I x WHERE x.sha256 = b.sha256 AND x.province < b.province)', q, q);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, ADD CONSTRAINT %I PRIMARY KEY (sha256)', q, q || '_pkey', q || '_pkey');
  END LOOP;
  FOREACH q IN ARRAY fks LOOP EXECUTE q; END LOOP;
END \$\$"
# Then migration 045's (they hold the columns dropped below): every key and foreign key
# of its tables that holds province goes back to its columns without it, under its name.
keyed_045="dossiers,events,dossier_documents,dossier_steps,dossier_stops,dossier_apologies,dossier_ratings,payment_dues,payments,digi_components,digi_results,efile_filings,efile_documents,feedback,feedback_events,feedback_files,dialogues,dialogue_commitments,periodic_reports,periodic_report_events,reform_plans,reform_tasks,reform_task_events,reform_evidence,reform_task_links,inspections,inspection_checklist,inspection_findings,inspection_remedies,initiatives,initiative_events,initiative_evidence,initiative_units,queue_tickets,queue_appointments,survey_rounds,survey_strata,survey_invitations,survey_responses,survey_answers,survey_paper,survey_paper_resolved,par_rounds,par_round_units,par_round_phases,par_scores,par_score_changes,par_targets,par_metrics,par_metric_dossiers,par_evidence,reminders"
undo_keys="DO \$\$
DECLARE r record; q text; fks text[] := '{}'; tabs text[] := string_to_array('$keyed_045', ',');
BEGIN
  FOR r IN SELECT c.conrelid::regclass::text AS t, c.conname AS n, pg_get_constraintdef(c.oid) AS d
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'province'
           WHERE c.contype = 'f' AND a.attnum = ANY (c.conkey) AND c.conrelid::regclass::text = ANY (tabs) LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.n);
    fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.t, r.n, replace(r.d, ', province', ''));
  END LOOP;
  FOR r IN SELECT c.conrelid::regclass::text AS t, c.conname AS n, pg_get_constraintdef(c.oid) AS d
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'province'
           WHERE c.contype IN ('p', 'u') AND a.attnum = ANY (c.conkey) AND c.conrelid::regclass::text = ANY (tabs) LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', r.t, r.n, r.n, replace(r.d, ', province', ''));
  END LOOP;
  FOR r IN SELECT i.relname AS n, pg_get_indexdef(i.oid) AS d FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attname = 'province'
           WHERE x.indisunique AND a.attnum = ANY (x.indkey::int2[]) AND x.indrelid::regclass::text = ANY (tabs)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) LOOP
    EXECUTE format('DROP INDEX %I', r.n);
    EXECUTE replace(r.d, ', province', '');
  END LOOP;
  FOREACH q IN ARRAY fks LOOP EXECUTE q; END LOOP;
  ALTER TABLE par_metric_dossiers ADD CONSTRAINT par_metric_dossiers_dossier_id_fkey FOREIGN KEY (dossier_id) REFERENCES dossiers (id);
END \$\$"
# Migration 049's first (later migrations are undone before earlier ones): one global chain and
# its one head again. This copy was written by this cchc, whose events after the genesis chain
# per province (all of them: the SQLite source was fresh, its genesis (0, zero hash)), which a
# binary of version 32 never wrote and whose `audit verify` would refuse. So the undo re-chains
# the log as that binary wrote it, each event on the one before it (audit.c's audit_event_hash
# in SQL: 'i' + 8 bytes big-endian, 't'/'b' + 4-byte length + bytes, version 2 with the
# recorded time), and puts the last link into the old audit_head (id = 1); migrating turns it
# into the genesis, and every event then verifies in the global chain.
undo_049="DO \$\$
DECLARE r record; x text; prev bytea := decode(repeat('00', 32), 'hex'); h bytea; last bigint := 0;
BEGIN
  FOR r IN SELECT * FROM events ORDER BY id LOOP
    h := prev || '\\x69'::bytea || int8send(r.id) || '\\x69'::bytea || int8send(r.dossier_id)
      || '\\x69'::bytea || int8send(r.dossier_seq) || '\\x69'::bytea || int8send(r.at);
    FOREACH x IN ARRAY ARRAY[r.actor, r.action, r.from_status, r.to_status, r.note] LOOP
      h := h || '\\x74'::bytea || int4send(octet_length(convert_to(coalesce(x, ''), 'UTF8')))
        || convert_to(coalesce(x, ''), 'UTF8');
    END LOOP;
    h := h || '\\x62'::bytea || int4send(octet_length(r.state_hash)) || r.state_hash;
    IF coalesce(r.recorded_at, 0) <> 0 THEN
      h := h || '\\x76'::bytea || '\\x69'::bytea || int8send(2) || '\\x69'::bytea || int8send(r.recorded_at)
        || '\\x69'::bytea || int8send(r.backdated);
    END IF;
    prev := sha256(h);
    UPDATE events SET hash = prev WHERE id = r.id;
    last := r.id;
  END LOOP;
  DROP TABLE audit_genesis;
  DROP TABLE audit_head;
  CREATE TABLE audit_head (id BIGINT PRIMARY KEY CHECK (id = 1), last_event_id BIGINT NOT NULL, last_hash BYTEA NOT NULL);
  IF last > 0 THEN INSERT INTO audit_head VALUES (1, last, prev); END IF;
END \$\$"
# (047: the units' own province goes; migrate gives each unit its root of today)
# (050: the frozen drill-down lists lose their dossiers' codes; migrate gives them back)
undo_stats=(-c "SELECT setval(pg_get_serial_sequence('events', 'id'), 1, false)" -c "ALTER TABLE par_metric_dossiers DROP COLUMN dossier_code" -c "$undo_049" -c "$undo_048" -c "ALTER TABLE units DROP COLUMN province" -c "$undo_046" -c "$undo_keys")
keys_045() { # every key, foreign key and unique index of migration 045's, 046's and 048's tables
  psql "$pg" -qAtX -c "SELECT string_agg(d, ' | ' ORDER BY d) FROM (
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
    WHERE contype IN ('p', 'u', 'f') AND conrelid::regclass::text = ANY (string_to_array('$keyed_045,$keyed_046,$keyed_048', ','))
    UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index
    WHERE indisunique AND indrelid::regclass::text = ANY (string_to_array('$keyed_045,$keyed_046,$keyed_048', ','))) k"
}
keys_before=$(keys_045)
case "$keys_before" in *"dossiers dossiers_pkey PRIMARY KEY (id, province)"*"outbox outbox_msg_id_key UNIQUE (msg_id, province) | outbox outbox_pkey PRIMARY KEY (id, province)"*"par_blobs par_blobs_pkey PRIMARY KEY (sha256, province)"*) ;; *) fail "045's, 046's and 048's keys before: $keys_before" ;; esac
for t in "stats_day:unit_code, procedure_code, channel, day" "stats_unit_day:day, unit_code" \
  "stats_month:unit_code, month" "stats_steps:unit_code, officer, step, day"; do
  undo_stats+=(-c "ALTER TABLE ${t%%:*} DROP CONSTRAINT ${t%%:*}_pkey" -c "ALTER TABLE ${t%%:*} DROP COLUMN province"
    -c "ALTER TABLE ${t%%:*} ADD PRIMARY KEY (${t#*:})")
done
for t in dossiers $dossier_family; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
for t in feedback feedback_events feedback_files dialogues dialogue_commitments periodic_reports periodic_report_events; do
  undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province")
done
for t in reform_plans inspections $reform_family; do undo_stats+=(-c "ALTER TABLE ${t%%:*} DROP COLUMN province"); done
for t in initiatives initiative_events initiative_evidence initiative_units queue_tickets queue_appointments; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
# (and the survey round's, migration 041)
for t in survey_rounds $survey_family survey_answers; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
# (and the filings' and digitised rows', migration 042)
for t in efile_filings efile_documents digi_components digi_results; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
# (and the PAR rounds', migration 043)
for t in par_rounds $par_family; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
# (and the reminders' and the blob stores', migration 044)
for t in reminders digi_blobs par_blobs; do undo_stats+=(-c "ALTER TABLE $t DROP COLUMN province"); done
psql "$pg" -qAtX "${undo_stats[@]}" \
  -c "INSERT INTO stats_month (unit_code, month, received) VALUES ('TG0.MYTHO', 24290, 4), ('KHONG.CO', 24290, 1)" \
  -c "INSERT INTO stats_steps (unit_code, officer, step, day, done) VALUES ('TG0.MYTHO', 'x', 1, 20000, 2)" \
  >/dev/null || fail "taking the statistics back to 35"
psql "$pg" -qAtX -c "ALTER TABLE receipt_seq DROP CONSTRAINT receipt_seq_pkey" \
  -c "ALTER TABLE receipt_seq DROP COLUMN province" \
  -c "ALTER TABLE receipt_seq ADD PRIMARY KEY (unit_code, year)" \
  -c "ALTER TABLE queue_counters DROP CONSTRAINT queue_counters_pkey" \
  -c "ALTER TABLE queue_counters DROP COLUMN province" \
  -c "ALTER TABLE queue_counters ADD PRIMARY KEY (unit, no)" \
  -c "ALTER TABLE queue_seq DROP CONSTRAINT queue_seq_pkey" \
  -c "ALTER TABLE queue_seq DROP COLUMN province" \
  -c "ALTER TABLE queue_seq ADD PRIMARY KEY (unit, day, counter_no)" \
  -c "ALTER TABLE unit_contacts DROP CONSTRAINT unit_contacts_pkey" \
  -c "ALTER TABLE unit_contacts DROP COLUMN province" \
  -c "ALTER TABLE unit_contacts ADD PRIMARY KEY (unit)" \
  -c "DELETE FROM schema_migrations WHERE version > 32" \
  -c "INSERT INTO unit_contacts (unit, address, phone) VALUES ('DT.MYTHO', 'Số 1', '0273 1'), ('TG0.MYTHO', 'Số 2', '0273 2')" \
  -c "INSERT INTO receipt_seq VALUES ('DT.MYTHO', 2026, 7), ('TG0.MYTHO', 2025, 3), ('KHONG.CO', 2024, 1)" \
  -c "INSERT INTO queue_counters (unit, no, name, fields) VALUES ('DT.MYTHO', 1, 'Quầy 1', ''), ('TG0.MYTHO', 2, 'Quầy 2', '')" \
  -c "INSERT INTO queue_seq VALUES ('DT.MYTHO', 20000, 1, 5), ('KHONG.CO', 20000, 1, 2)" \
  >/dev/null || fail "taking the schema back to 32"
psql "$pg" -qAtX -c "INSERT INTO par_blobs VALUES ('$(printf '%064d' 0)', 1, '\\x00') ON CONFLICT DO NOTHING" \
  -c "INSERT INTO reform_evidence (task_id, name, mime, size, sha256, added_at, added_by) VALUES (1, 'a.pdf', 'application/pdf', 1, '$(printf '%064d' 0)', 0, 'x')" \
  -c "INSERT INTO reform_task_links (task_id, kind, unit_code, round_code, ref, value, created_at, created_by) VALUES (1, 'late', 'DT.MYTHO', '', '', NULL, 0, 'x')" \
  >/dev/null || fail "a task's evidence and link before 39"
# an initiative's evidence, tickets and an appointment at a ward and at the pre-merger city,
# written before 40
psql "$pg" -qAtX -c "INSERT INTO par_blobs VALUES ('$(printf '%064d' 0)', 1, '\\x00') ON CONFLICT DO NOTHING" \
  -c "INSERT INTO initiative_evidence (initiative_id, name, mime, size, sha256, added_at, added_by) VALUES (1, 'qd.pdf', 'application/pdf', 1, '$(printf '%064d' 0)', 0, 'x')" \
  -c "INSERT INTO queue_tickets (unit, day, number, counter_no, field, channel, status, taken_at) VALUES ('DT.MYTHO', 20000, 1001, 1, 'f', 'desk', 'waiting', 0), ('TG0.MYTHO', 20000, 2001, 2, 'f', 'desk', 'waiting', 0)" \
  -c "INSERT INTO queue_appointments (code, unit, counter_no, day, slot, field, name, phone, status, created_at) VALUES ('LHTEST0001', 'TG0.MYTHO', 2, 20001, 480, 'f', 'A', '0', 'booked', 0)" \
  >/dev/null || fail "an initiative's evidence, tickets and an appointment before 40"
# online filings before 42: a draft of the pre-merger city (another root) with a document, and
# one of a ward already filed as that ward's dossier, both with the same document (its content
# is stored once then: 044 gives it the least province, DT, and 046 a copy in TG0's)
psql "$pg" -qAtX -c "INSERT INTO digi_blobs (sha256, size, content) VALUES ('$(printf '%064d' 0)', 1, '\\x00') ON CONFLICT DO NOTHING" \
  -c "INSERT INTO efile_filings (id, contact, procedure_code, unit_code, name, created_at) SELECT 'f0000000000000000000000000000001', '0912345678', code, 'TG0.MYTHO', 'A', 0 FROM procedures ORDER BY code LIMIT 1" \
  -c "INSERT INTO efile_documents (filing_id, doc_index, doc_name, name, mime, size, sha256, uploaded_at) VALUES ('f0000000000000000000000000000001', 1, 'Đơn', 'don.pdf', 'application/pdf', 1, '$(printf '%064d' 0)', 0)" \
  -c "INSERT INTO efile_filings (id, contact, procedure_code, unit_code, name, created_at, submitted_at, dossier_code) SELECT 'f0000000000000000000000000000002', '0912345678', procedure_code, unit_code, 'B', 0, 0, code FROM dossiers WHERE unit_code = 'DT.MYTHO' ORDER BY id LIMIT 1" \
  -c "INSERT INTO efile_documents (filing_id, doc_index, doc_name, name, mime, size, sha256, uploaded_at) VALUES ('f0000000000000000000000000000002', 1, 'Đơn', 'don.pdf', 'application/pdf', 1, '$(printf '%064d' 0)', 0)" \
  >/dev/null || fail "online filings before 42"
# a PAR blob nobody refers to, before 44: it takes the least root among the units (DT)
psql "$pg" -qAtX -c "INSERT INTO par_blobs VALUES ('$(printf '%064d' 1)', 1, '\\x01')" >/dev/null ||
  fail "an unreferenced blob before 44"
# messages before 48 that name no dossier: a one-time code (national ''), a survey invitation
# of SV25 (its round's DT, found by the round in its vars), an answer of the feedback item
# forwarded to TG0.MYTHO (the item's DT, by the code in its vars), and a message of a
# reminder of TG0.MYTHO's leader (the reminder's TG0, by reminders.outbox_msg)
psql "$pg" -qAtX -c "INSERT INTO outbox (msg_id, event, channel, recipient, vars, event_at, state, next_at, created_at) VALUES
    ('m-t48-otp', 'otp', 'sms', '0912345678', E'otp\\t123456\\n', 0, 'pending', 0, 0),
    ('m-t48-survey', 'survey_invitation', 'sms', '0912345678', E'token\\tabc\\nunit_name\\tPhường\\nround\\tSV25\\n', 0, 'pending', 0, 0),
    ('m-t48-feedback', 'feedback_answered', 'email', 'a@b.vn', E'code\\t$fb\\nunit_name\\tPhường\\n', 0, 'sent', 0, 0),
    ('m-t48-remind', 'reminder_due', 'email', 'ld@b.vn', '', 0, 'sent', 0, 0)" \
  -c "UPDATE reminders SET outbox_msg = 'm-t48-remind' WHERE id = (SELECT min(id) FROM reminders WHERE unit_code LIKE 'TG0.%')" \
  >/dev/null || fail "messages before 48"
"$CCHC" dossier list --db "$pg" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -ne 0 ] && grep -q "schema version 32, older than this cchc" "$tmp/err" ||
  fail "an older schema was used: rc=$rc $(cat "$tmp/err")"
"$CCHC" migrate --db "$pg" --backup "$tmp/x.bak" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "pg_dump" "$tmp/err" || fail "--backup on PostgreSQL: rc=$rc $(cat "$tmp/err")"
"$CCHC" migrate --db "$pg" >"$tmp/out" 2>"$tmp/err" || fail "migrate on PostgreSQL: $(cat "$tmp/err")"
grep -q "schema version 32 -> [0-9]* (401 dossiers, .* audit chain intact); no copy was taken" "$tmp/out" ||
  fail "migrate's report: $(cat "$tmp/out")"
# 045 on rows written without their keys gives the keys of a fresh schema, paired on province
keys_after=$(keys_045)
[ "$keys_after" = "$keys_before" ] || fail "045's keys after migrate: $(diff <(tr '|' '\n' <<<"$keys_before") <(tr '|' '\n' <<<"$keys_after"))"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit_code || '=' || province, ' ' ORDER BY unit_code) FROM receipt_seq")
[ "$got" = "DT.MYTHO=DT KHONG.CO=KHONG.CO TG0.MYTHO=TG0" ] || fail "receipt_seq's provinces: $got"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit || '=' || province, ' ' ORDER BY unit) FROM queue_counters")
[ "$got" = "DT.MYTHO=DT TG0.MYTHO=TG0" ] || fail "queue_counters' provinces: $got"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit || '=' || province || ':' || last, ' ' ORDER BY unit) FROM queue_seq")
[ "$got" = "DT.MYTHO=DT:5 KHONG.CO=KHONG.CO:2" ] || fail "queue_seq's provinces: $got"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit || '=' || province, ' ' ORDER BY unit) FROM unit_contacts")
[ "$got" = "DT.MYTHO=DT TG0.MYTHO=TG0" ] || fail "unit_contacts' provinces: $got"
# (the demo's units are coded under their province: the root is the code's first segment)
got=$(for t in stats_day stats_unit_day stats_month stats_steps; do
  psql "$pg" -qAtX -c "SELECT '$t:' || count(*) || ':' || count(*) FILTER (WHERE province <> split_part(unit_code, '.', 1) AND unit_code <> 'KHONG.CO') FROM $t"
done | tr '\n' ' ')
[[ "$got" =~ ^stats_day:[1-9][0-9]*:0\ stats_unit_day:[1-9][0-9]*:0\ stats_month:[1-9][0-9]*:0\ stats_steps:[1-9][0-9]*:0\ $ ]] ||
  fail "statistics rows without their unit's root: $got"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit_code || '=' || province || ':' || received, ' ' ORDER BY unit_code) FROM stats_month WHERE month = 24290" \
  -c "SELECT province || ':' || done FROM stats_steps WHERE officer = 'x'" | tr '\n' '|')
[ "$got" = "KHONG.CO=KHONG.CO:1 TG0.MYTHO=TG0:4|TG0:2|" ] || fail "statistics rows of a pre-merger ward and a unit not in the tree: $got"
got2=$(family_provinces | tr '\n' ' ')
[ "$got2" = "$family_written" ] ||
  fail "the dossier family's provinces given by cchc migrate: $got2 (written: $family_written)"
got2=$(fb_family_provinces | tr '\n' ' ')
[ "$got2" = "$fb_written" ] ||
  fail "the provinces of feedback, dialogues and reports given by cchc migrate: $got2 (written: $fb_written)"
got2=$(reform_provinces | tr '\n' ' ')
[ "$got2" = "$(echo "$reform_written" | sed 's/evidence:0:0/evidence:1:0/; s/links:0:0/links:1:0/')" ] ||
  fail "the plans' and inspections' provinces given by cchc migrate: $got2 (written: $reform_written)"
got2=$(init_provinces | tr '\n' ' ')
[ "$got2" = "${init_written/evidence:0:0/evidence:1:0}" ] ||
  fail "the initiatives' provinces given by cchc migrate: $got2 (written: $init_written)"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit || '=' || province, ' ' ORDER BY unit) FROM queue_tickets" \
  -c "SELECT string_agg(unit || '=' || province, ' ' ORDER BY unit) FROM queue_appointments" | tr '\n' '|')
[ "$got" = "DT.MYTHO=DT TG0.MYTHO=TG0|TG0.MYTHO=TG0|" ] || fail "queue tickets' and appointments' provinces: $got"
got2=$(survey_provinces | tr '\n' ' ')
[ "$got2" = "$survey_written" ] ||
  fail "the survey rows' provinces given by cchc migrate: $got2 (written: $survey_written)"
got2=$(efile_digi_provinces | tr '\n' ' ')
[ "$got2" = "${efile_digi_written/efile_filings:0:0 filed:0 efile_documents:0:0/efile_filings:2:0 filed:1 efile_documents:2:0}" ] ||
  fail "the filings' and digitised rows' provinces given by cchc migrate: $got2 (written: $efile_digi_written)"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(unit_code || '=' || province, ' ' ORDER BY unit_code) FROM efile_filings")
[ "$got" = "DT.MYTHO=DT TG0.MYTHO=TG0" ] || fail "the filings' provinces: $got"
got2=$(par_provinces | tr '\n' ' ')
[ "$got2" = "$par_written" ] ||
  fail "the PAR rows' provinces given by cchc migrate: $got2 (written: $par_written)"
# the blobs, in sha256 and province order: 000…0 (the filings' document, of DT and TG0: 044
# gave it DT, the least, and 046 a copy in TG0; the task's and the initiative's evidence of DT
# in par_blobs), 000…1 (par_blobs: nobody's, the least root DT), then the scanned file's (DT)
got2=$(blob_remind_provinces | tr '\n' ' ')
[ "$got2" = "${blob_remind_written/digi_blobs:DT par_blobs:DT/digi_blobs:DT,TG0,DT par_blobs:DT,DT,DT}" ] ||
  fail "the reminders' and blobs' provinces given by cchc migrate: $got2 (written: $blob_remind_written)"
got=$(psql "$pg" -qAtX -c "SELECT count(*) || ':' || count(*) FILTER (WHERE province <> split_part(code, '.', 1)) FROM units")
[[ "$got" =~ ^[1-9][0-9]*:0$ ]] || fail "units without their root as province after migrate: $got"
got=$(psql "$pg" -qAtX -c "SELECT count(*) || ':' || count(*) FILTER (WHERE m.dossier_code IS DISTINCT FROM d.code) FROM par_metric_dossiers m JOIN dossiers d ON d.id = m.dossier_id")
[[ "$got" =~ ^[1-9][0-9]*:0$ ]] || fail "frozen drill-down rows without their dossier's code after migrate: $got"
# 051: the event sequence (never used before it: set back to 1 above) starts past the log
got=$(psql "$pg" -qAtX -c "SELECT nextval(pg_get_serial_sequence('events', 'id')) - (SELECT max(id) FROM events)")
[ "$got" = 1 ] || fail "the event sequence after migrate: the next id is max + $got, not max + 1"
got=$(outbox_provinces)
[ "$got" = "$(echo "$outbox_written" | awk '{ split($1, a, ":"); split($2, b, ":"); split($4, c, ":");
  printf "outbox:%d:0 dossier:%s reminder:1 national:1", a[2] + 4, b[2] }')" ] ||
  fail "the outbox's provinces given by cchc migrate: $got (written: $outbox_written)"
got=$(psql "$pg" -qAtX -c "SELECT string_agg(msg_id || '=[' || province || ']', ' ' ORDER BY msg_id) FROM outbox WHERE msg_id LIKE 'm-t48-%'")
[ "$got" = "m-t48-feedback=[DT] m-t48-otp=[] m-t48-remind=[TG0] m-t48-survey=[DT]" ] || fail "the provinces of the messages before 48: $got"
"$CCHC" stats show --period 2025 --unit DT --db "$pg" >"$tmp/stats.after" 2>&1
cmp -s "$tmp/stats.before" "$tmp/stats.after" || fail "stats after migrate: $(diff "$tmp/stats.before" "$tmp/stats.after" | head -4)"
"$CCHC" stats officers --period 2025 --unit DT --db "$pg" >"$tmp/officers.after" 2>&1
cmp -s "$tmp/officers.before" "$tmp/officers.after" || fail "officers after migrate: $(diff "$tmp/officers.before" "$tmp/officers.after" | head -4)"
"$CCHC" migrate --db "$pg" >"$tmp/out" 2>&1 && grep -q "up to date; nothing done" "$tmp/out" ||
  fail "migrate again: $(cat "$tmp/out")"
# 049 made the old head the genesis, with no province head yet; a new event chains on it in
# its province's chain, and the whole log verifies: the global part up to the genesis, then it
got=$(psql "$pg" -qAtX -c "SELECT g.last_event_id = (SELECT max(id) FROM events) AND g.last_hash =
  (SELECT hash FROM events ORDER BY id DESC LIMIT 1) AND NOT EXISTS (SELECT 1 FROM audit_head) FROM audit_genesis g")
[ "$got" = t ] || fail "049: the old head is not the genesis, or a province head exists: $got"
"$CCHC" dossier receive --unit DT.MYTHO --procedure 1.004873 --name "Lê Văn Sau" --at 2026-12-02T08:00 \
  --db "$pg" >"$tmp/out" 2>&1 || fail "receive after 049: $(cat "$tmp/out")"
"$CCHC" audit verify --db "$pg" >"$tmp/out" 2>&1 && grep -qE "^ok: [0-9]+ events, 402 dossiers, 1 province chain intact; the global chain before them: [0-9]+ events$" "$tmp/out" ||
  fail "audit after 049 and a new event: $(cat "$tmp/out")"

[ $fails -eq 0 ] && echo "t-migrate-pg: ok" || { echo "t-migrate-pg: $fails failed"; exit 1; }
