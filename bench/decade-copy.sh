#!/usr/bin/env bash
# bench/decade-copy.sh — copies the one seeded year of a database (every dossier, its events,
# documents, steps, stops, apologies, rating, messages and counters) into other years, shifted
# by whole days, so that bench/decade.sh can build a province decade of 10,000,000 dossiers in
# one working session (seeding every year takes hours longer than a session's machine lives).
#
# What a copy keeps and what it changes:
# - every time (minutes, dates, counter days) moves by the days from SOURCE-01-01 to Y-01-01,
#   so a dossier keeps its times of day and its durations; the weekday moves with the year
#   (one or two days), so the copies do not keep the working-day calendar of their year;
# - dossiers get new ids and codes (the code's YYMMDD is the new day), applicants keep their
#   names but get other phone and ID numbers (each copy a different shift of the digits), so
#   that a citizen lookup by phone finds a decade's spread and not ten of each dossier;
# - the counters (stats_day, stats_steps) are shifted and added, then the unit-day and month
#   roll-ups are made again from stats_day, as `cchc stats rebuild` makes them;
# - the audit chain is NOT rebuilt: a copied event carries the hashes of its original, so
#   `cchc audit verify` fails on a database with copies (the states of a dossier between its
#   events are not stored, so its state hashes cannot be computed again from the rows).
# The source year must have 365 days (not a leap year) and be the only year in the database,
# seeded with --finish so that no dossier is open; no year may be copied onto itself.
# Usage: bash bench/decade-copy.sh DB SOURCE_YEAR YEAR...
set -euo pipefail
. "$(dirname "$0")/decade-rollup.sh"
DB=${1:?usage: bash bench/decade-copy.sh DB SOURCE_YEAR YEAR...}
SRC=${2:?usage: bash bench/decade-copy.sh DB SOURCE_YEAR YEAR...}
shift 2
[ $# -gt 0 ] || { echo "decade-copy: no year to copy into" >&2; exit 2; }
q() { sqlite3 -batch -bail "$DB" "$@"; }
die() { echo "decade-copy: $*" >&2; exit 1; }

[ "$(q "SELECT julianday('$SRC-12-31') - julianday('$SRC-01-01')")" = "364.0" ] ||
  die "the source year $SRC has 366 days: a copy would overlap the next year's first day"
read -r N MIN MAX Y0 Y1 OPEN <<<"$(q -separator ' ' "SELECT count(*), min(id), max(id),
  min(substr(day, 1, 4)), max(substr(day, 1, 4)),
  sum(status NOT IN ('returned', 'refused', 'withdrawn', 'cancelled')) FROM dossiers")"
[ "$N" -gt 0 ] && [ "$MIN" = 1 ] && [ "$MAX" = "$N" ] ||
  die "the dossiers' ids must run from 1 without a gap (found $N dossiers, ids $MIN..$MAX)"
[ "$Y0" = "$SRC" ] && [ "$Y1" = "$SRC" ] || die "the database holds years $Y0..$Y1, not only $SRC"
[ "$OPEN" = 0 ] || die "$OPEN dossiers are open: seed the source year with --finish"
for t in efile_filings payments payment_dues digi_results digi_components feedback \
  par_metric_dossiers survey_invitations; do
  [ "$(q "SELECT count(*) FROM $t")" = 0 ] || die "table $t has rows, which this copy does not copy"
done
[ "$(q "SELECT count(*) FROM dossiers WHERE substr(code, -11, 6) IS NOT substr(strftime('%Y%m%d', day), 3)")" = 0 ] ||
  die "a dossier's code does not carry its day as YYMMDD"
read -r E EMIN EMAX <<<"$(q -separator ' ' "SELECT count(*), min(id), max(id) FROM events")"
read -r O OMIN OMAX <<<"$(q -separator ' ' "SELECT count(*), coalesce(min(id), 1), coalesce(max(id), 0) FROM outbox")"
[ "$EMIN" = 1 ] && [ "$EMAX" = "$E" ] && [ "$OMIN" = 1 ] && [ "$OMAX" = "$O" ] ||
  die "the events' or messages' ids do not run from 1 without a gap"

# the database holds only SRC (above): naming SRC or a year twice is the one way to copy onto
# a year that has dossiers
for Y in "$@"; do [ "$Y" != "$SRC" ] || die "year $Y is the source year"; done
[ "$(printf '%s\n' "$@" | sort | uniq -d)" = "" ] || die "a year is named twice: $*"

# the counters' columns, as the table has them (stats.c's list)
COLS= ADD= SUMS= MSUMS=
for c in $(q "SELECT name FROM pragma_table_info('stats_day')
              WHERE name NOT IN ('unit_code', 'procedure_code', 'channel', 'day', 'month', 'province')"); do
  COLS+=${COLS:+, }$c
  ADD+=${ADD:+, }"$c = $c + excluded.$c"
  SUMS+=${SUMS:+, }"sum($c)"
  MSUMS+=${MSUMS:+, }"coalesce(sum(m.$c), 0)"
done

# the source year's counters, kept aside: a copy's last weeks add to the days of the next
# year, the source's own among them
q "CREATE TABLE decade_src_stats_day AS SELECT * FROM stats_day;
   CREATE TABLE decade_src_stats_steps AS SELECT * FROM stats_steps"
k=0
for Y in "$@"; do
  k=$((k + 1))
  D=$(q "SELECT CAST(julianday('$Y-01-01') - julianday('$SRC-01-01') AS INTEGER)")
  DD=$(printf "%+d" "$D")
  M=$((D * 1440))  # minutes
  S=$((D * 86400)) # seconds
  t0=$SECONDS
  # a time of 0 is "not yet" and stays 0
  sh() { echo "CASE WHEN $1 > 0 THEN $1 + $M ELSE $1 END"; }
  q <<SQL
PRAGMA cache_size = -2097152;
BEGIN IMMEDIATE;
CREATE TEMP TABLE m AS SELECT id AS old, id + $k * $N AS new, code AS old_code,
  substr(code, 1, length(code) - 12) || '-' || substr(strftime('%Y%m%d', date(day, '$DD days')), 3) || '-' ||
  substr(code, -4) AS new_code,
  applicant_phone AS old_phone,
  CASE WHEN length(applicant_phone) = 10 THEN substr(applicant_phone, 1, 3) ||
    printf('%07d', (CAST(substr(applicant_phone, 4) AS INTEGER) + $k * 1234567) % 10000000)
    ELSE applicant_phone END AS new_phone
  FROM dossiers WHERE id <= $N;
CREATE UNIQUE INDEX temp.m_code ON m (old_code);
INSERT INTO dossiers SELECT m.new, m.new_code, unit_code, date(day, '$DD days'), seq,
  procedure_code, channel, applicant_name, applicant_fold,
  CASE WHEN length(applicant_idno) = 12 THEN substr(applicant_idno, 1, 6) ||
    printf('%06d', (CAST(substr(applicant_idno, 7) AS INTEGER) + $k * 123457) % 1000000)
    ELSE applicant_idno END,
  m.new_phone, applicant_address, status, resume_to, step, n_steps, $(sh submitted_at),
  $(sh received_at), $(sh due_at), budget_minutes, $(sh step_started_at), $(sh step_due_at),
  $(sh stopped_at), stopped_minutes, supplements, pauses, apologies, $(sh apology_due_at),
  $(sh result_at), $(sh returned_at), $(sh closed_at), $(sh last_at), outcome, officer,
  fee_paid_online, digitised, n_events, decider_unit, province
  FROM dossiers d JOIN m ON m.old = d.id ORDER BY d.id;
INSERT INTO events SELECT id + $k * $E, dossier_id + $k * $N, dossier_seq, at + $M, actor, action,
  from_status, to_status, note, state_hash, hash,
  CASE WHEN recorded_at > 0 THEN recorded_at + $M ELSE recorded_at END, backdated, province
  FROM events WHERE id <= $E ORDER BY id;
INSERT INTO dossier_documents SELECT dossier_id + $k * $N, seq, text, province
  FROM dossier_documents WHERE dossier_id <= $N ORDER BY dossier_id, seq;
INSERT INTO dossier_steps SELECT dossier_id + $k * $N, seq, officer, $(sh started_at), $(sh due_at),
  $(sh finished_at), outcome, province FROM dossier_steps WHERE dossier_id <= $N
  ORDER BY dossier_id, seq;
INSERT INTO dossier_stops SELECT dossier_id + $k * $N, seq, kind, $(sh started_at), $(sh ended_at),
  working_minutes, reason, province FROM dossier_stops WHERE dossier_id <= $N
  ORDER BY dossier_id, seq;
INSERT INTO dossier_apologies SELECT dossier_id + $k * $N, seq, issued_at + $M, old_due_at + $M,
  new_due_at + $M, reason, province FROM dossier_apologies WHERE dossier_id <= $N
  ORDER BY dossier_id, seq;
INSERT INTO dossier_ratings SELECT dossier_id + $k * $N, score, rated_at + $M, comment, province
  FROM dossier_ratings WHERE dossier_id <= $N ORDER BY dossier_id;
INSERT INTO outbox (id, msg_id, event, channel, recipient, dossier_code, vars, event_at, state,
  reason, attempts, next_at, lease_until, lease_owner, created_at, sent_at, unsub_token, province)
  SELECT o.id + $k * $O, o.msg_id || '-$Y', o.event, o.channel,
  CASE WHEN o.recipient = m.old_phone THEN m.new_phone ELSE o.recipient END,
  coalesce(m.new_code, o.dossier_code),
  CASE WHEN m.old_code IS NULL THEN o.vars ELSE replace(o.vars, m.old_code, m.new_code) END,
  o.event_at + $M, o.state, o.reason, o.attempts,
  CASE WHEN o.next_at > 0 THEN o.next_at + $S ELSE o.next_at END, o.lease_until, o.lease_owner,
  o.created_at, o.sent_at, CASE WHEN o.unsub_token IS NULL THEN NULL ELSE o.unsub_token || '$Y' END,
  o.province
  FROM outbox o LEFT JOIN m ON m.old_code = o.dossier_code WHERE o.id <= $O ORDER BY o.id;
INSERT INTO stats_day (unit_code, procedure_code, channel, day, month, $COLS, province)
  SELECT unit_code, procedure_code, channel, day + $D,
  CAST(strftime('%Y', (day + $D) * 86400, 'unixepoch') AS INTEGER) * 12 +
  CAST(strftime('%m', (day + $D) * 86400, 'unixepoch') AS INTEGER) - 1, $COLS, province
  FROM decade_src_stats_day WHERE true ORDER BY day
  ON CONFLICT (unit_code, procedure_code, channel, day, province) DO UPDATE SET $ADD;
INSERT INTO stats_steps (unit_code, officer, step, day, done, late, province)
  SELECT unit_code, officer, step, day + $D, done, late, province
  FROM decade_src_stats_steps WHERE true ORDER BY day
  ON CONFLICT (unit_code, officer, step, day, province) DO UPDATE SET
  done = done + excluded.done, late = late + excluded.late;
DROP TABLE m;
COMMIT;
SQL
  echo "decade-copy: $SRC -> $Y (+$D days): $N dossiers in $((SECONDS - t0)) s" >&2
done
# the roll-ups and the years' carry (migrations 053, 054), as store_stats_rebuild makes them from
# stats_day
q >/dev/null <<SQL
BEGIN IMMEDIATE;
DROP TABLE decade_src_stats_day;
DROP TABLE decade_src_stats_steps;
$(decade_rollup_sql "$COLS" "$SUMS" "$MSUMS")
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "decade-copy: $(q "SELECT count(*) FROM dossiers") dossiers" >&2
