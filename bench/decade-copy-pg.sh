#!/usr/bin/env bash
# bench/decade-copy-pg.sh — bench/decade-copy.sh in PostgreSQL: copies one seeded year's
# dossiers (their events, documents, steps, stops, apologies, rating, messages and counters)
# into other years of a PostgreSQL database, shifted by whole days, inside the server. With it
# the PostgreSQL column of the curve reaches 10,000,000 dossiers: seeding on PostgreSQL runs
# about 90 dossiers/s (a million in three hours), and the SQLite decade (34 GB) and its copy
# (about 55 GB) do not fit this machine's disk together. bench/decade-pg.sh drives it.
#
# The source is a schema of the same database that `cchc migrate --to` filled:
# - SRC_SCHEMA public: the database itself holds the source year, alone, with ids from 1
#   without a gap (bench/decade-copy.sh's checks); its counters are kept aside before the first
#   copy, as there;
# - another schema (a year copied there by `cchc migrate --to` and the schema renamed): its
#   dossiers are copied as they are, after the last ids of public; a year may be copied onto
#   itself (+0 days), which is how the decade's last year, seeded on its own, joins the others.
# What a copy keeps and changes is bench/decade-copy.sh's (times shifted by whole days, new ids
# after the last and codes with the new day, applicants' phone and ID digits shifted by a
# different amount for each year's distance from the source, counters shifted and added, the
# roll-ups made again from stats_day at the end; the audit chain NOT rebuilt). Each year is one
# transaction run with session_replication_role = replica: the foreign keys' checks are off for
# rows whose parents are copied in the same statement order (dossiers first); a check at the
# end counts events without their dossier.
# Usage: bash bench/decade-copy-pg.sh URL SRC_SCHEMA SOURCE_YEAR YEAR...
set -euo pipefail
. "$(dirname "$0")/decade-rollup.sh"
USAGE="usage: bash bench/decade-copy-pg.sh URL SRC_SCHEMA SOURCE_YEAR YEAR..."
URL=${1:?$USAGE}
S=${2:?$USAGE}
SRC=${3:?$USAGE}
shift 3
[ $# -gt 0 ] || { echo "decade-copy-pg: no year to copy into" >&2; exit 2; }
[[ $S =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "decade-copy-pg: '$S' is not a schema name" >&2; exit 2; }
q() { psql "$URL" -qAtX -v ON_ERROR_STOP=1 "$@"; }
die() { echo "decade-copy-pg: $*" >&2; exit 1; }

[ "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$S'")" = 1 ] || die "no schema $S"
read -r N MIN MAX Y0 Y1 OPEN <<<"$(q -F ' ' -c "SELECT count(*), min(id), max(id),
  min(left(day, 4)), max(left(day, 4)),
  count(*) FILTER (WHERE status NOT IN ('returned', 'refused', 'withdrawn', 'cancelled')) FROM $S.dossiers")"
[ "$N" -gt 0 ] && [ "$MIN" = 1 ] && [ "$MAX" = "$N" ] ||
  die "the dossiers' ids of $S must run from 1 without a gap (found $N dossiers, ids $MIN..$MAX)"
[ "$Y0" = "$SRC" ] && [ "$Y1" = "$SRC" ] || die "$S holds years $Y0..$Y1, not only $SRC"
for Y in "$@"; do
  [ "$Y" != "$SRC" ] || [ "$S" != public ] || die "year $Y is the source year of public"
  [ "$Y" = "$SRC" ] || [ "$OPEN" = 0 ] || die "$OPEN dossiers of $S are open: seed the source year with --finish"
done
[ "$(printf '%s\n' "$@" | sort | uniq -d)" = "" ] || die "a year is named twice: $*"
for t in efile_filings payments payment_dues digi_results digi_components feedback \
  par_metric_dossiers survey_invitations; do
  [ "$(q -c "SELECT count(*) FROM $S.$t")" = 0 ] || die "table $S.$t has rows, which this copy does not copy"
done
read -r E EMIN EMAX <<<"$(q -F ' ' -c "SELECT count(*), min(id), max(id) FROM $S.events")"
read -r O OMIN OMAX <<<"$(q -F ' ' -c "SELECT count(*), coalesce(min(id), 1), coalesce(max(id), 0) FROM $S.outbox")"
[ "$EMIN" = 1 ] && [ "$EMAX" = "$E" ] && [ "$OMIN" = 1 ] && [ "$OMAX" = "$O" ] ||
  die "the events' or messages' ids of $S do not run from 1 without a gap"

COLS= ADD= SUMS= MSUMS=
for c in $(q -c "SELECT column_name FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name = 'stats_day'
    AND column_name NOT IN ('unit_code', 'procedure_code', 'channel', 'day', 'month', 'province')
  ORDER BY ordinal_position"); do
  COLS+=${COLS:+, }$c
  ADD+=${ADD:+, }"$c = stats_day.$c + excluded.$c"
  SUMS+=${SUMS:+, }"sum($c)"
  MSUMS+=${MSUMS:+, }"coalesce(sum(m.$c), 0)"
done

# the source's counters: public's are kept aside before its first copy adds to them
SD=$S.stats_day SS=$S.stats_steps
if [ "$S" = public ]; then
  q -c "DROP TABLE IF EXISTS decade_src_stats_day, decade_src_stats_steps" \
    -c "CREATE UNLOGGED TABLE decade_src_stats_day AS SELECT * FROM stats_day" \
    -c "CREATE UNLOGGED TABLE decade_src_stats_steps AS SELECT * FROM stats_steps"
  SD=decade_src_stats_day SS=decade_src_stats_steps
fi

for Y in "$@"; do
  D=$(q -c "SELECT DATE '$Y-01-01' - DATE '$SRC-01-01'")
  M=$((D * 1440))  # minutes
  SEC=$((D * 86400)) # seconds
  K=$(((Y - SRC) % 10 + 10)) K=$((K % 10)) # the digits' shift: 0 for the year onto itself
  t0=$SECONDS
  sh() { echo "CASE WHEN $1 > 0 THEN $1 + $M ELSE $1 END"; }
  q <<SQL
SET session_replication_role = replica;
SET work_mem = '512MB';
BEGIN;
CREATE TEMP TABLE off ON COMMIT DROP AS SELECT
  (SELECT coalesce(max(id), 0) FROM public.dossiers) AS d,
  (SELECT coalesce(max(id), 0) FROM public.events) AS e,
  (SELECT coalesce(max(id), 0) FROM public.outbox) AS o;
CREATE TEMP TABLE m ON COMMIT DROP AS SELECT d.id AS old, d.id + off.d AS new, d.code AS old_code,
  left(d.code, length(d.code) - 12) || '-' || to_char(d.day::date + $D, 'YYMMDD') || '-' ||
  right(d.code, 4) AS new_code,
  d.applicant_phone AS old_phone,
  CASE WHEN d.applicant_phone ~ '^[0-9]{10}\$' THEN left(d.applicant_phone, 3) ||
    lpad(((substr(d.applicant_phone, 4)::bigint + $K * 1234567) % 10000000)::text, 7, '0')
    ELSE d.applicant_phone END AS new_phone
  FROM $S.dossiers d, off WHERE d.id <= $N;
CREATE UNIQUE INDEX ON m (old);
CREATE UNIQUE INDEX ON m (old_code);
ANALYZE m;
INSERT INTO public.dossiers SELECT m.new, m.new_code, unit_code, to_char(day::date + $D, 'YYYY-MM-DD'), seq,
  procedure_code, channel, applicant_name, applicant_fold,
  CASE WHEN applicant_idno ~ '^[0-9]{12}\$' THEN left(applicant_idno, 6) ||
    lpad(((substr(applicant_idno, 7)::bigint + $K * 123457) % 1000000)::text, 6, '0')
    ELSE applicant_idno END,
  m.new_phone, applicant_address, status, resume_to, step, n_steps, $(sh submitted_at),
  $(sh received_at), $(sh due_at), budget_minutes, $(sh step_started_at), $(sh step_due_at),
  $(sh stopped_at), stopped_minutes, supplements, pauses, apologies, $(sh apology_due_at),
  $(sh result_at), $(sh returned_at), $(sh closed_at), $(sh last_at), outcome, officer,
  fee_paid_online, digitised, n_events, decider_unit, province
  FROM $S.dossiers d JOIN m ON m.old = d.id ORDER BY d.id;
INSERT INTO public.events SELECT ev.id + off.e, ev.dossier_id + off.d, dossier_seq, at + $M, actor, action,
  from_status, to_status, note, state_hash, hash,
  CASE WHEN recorded_at > 0 THEN recorded_at + $M ELSE recorded_at END, backdated, province
  FROM $S.events ev, off WHERE ev.id <= $E ORDER BY ev.id;
INSERT INTO public.dossier_documents SELECT dossier_id + off.d, seq, text, province
  FROM $S.dossier_documents, off WHERE dossier_id <= $N;
INSERT INTO public.dossier_steps SELECT dossier_id + off.d, seq, officer, $(sh started_at), $(sh due_at),
  $(sh finished_at), outcome, province FROM $S.dossier_steps, off WHERE dossier_id <= $N;
INSERT INTO public.dossier_stops SELECT dossier_id + off.d, seq, kind, $(sh started_at), $(sh ended_at),
  working_minutes, reason, province FROM $S.dossier_stops, off WHERE dossier_id <= $N;
INSERT INTO public.dossier_apologies SELECT dossier_id + off.d, seq, issued_at + $M, old_due_at + $M,
  new_due_at + $M, reason, province FROM $S.dossier_apologies, off WHERE dossier_id <= $N;
INSERT INTO public.dossier_ratings SELECT dossier_id + off.d, score, rated_at + $M, comment, province
  FROM $S.dossier_ratings, off WHERE dossier_id <= $N;
INSERT INTO public.outbox (id, msg_id, event, channel, recipient, dossier_code, vars, event_at, state,
  reason, attempts, next_at, lease_until, lease_owner, created_at, sent_at, unsub_token, province)
  SELECT o.id + off.o, o.msg_id || '-$Y', o.event, o.channel,
  CASE WHEN o.recipient = m.old_phone THEN m.new_phone ELSE o.recipient END,
  coalesce(m.new_code, o.dossier_code),
  CASE WHEN m.old_code IS NULL THEN o.vars ELSE replace(o.vars, m.old_code, m.new_code) END,
  o.event_at + $M, o.state, o.reason, o.attempts,
  CASE WHEN o.next_at > 0 THEN o.next_at + $SEC ELSE o.next_at END, o.lease_until, o.lease_owner,
  o.created_at, o.sent_at, CASE WHEN o.unsub_token IS NULL THEN NULL ELSE o.unsub_token || '$Y' END,
  o.province
  FROM $S.outbox o CROSS JOIN off LEFT JOIN m ON m.old_code = o.dossier_code WHERE o.id <= $O ORDER BY o.id;
INSERT INTO public.stats_day (unit_code, procedure_code, channel, day, month, $COLS, province)
  SELECT unit_code, procedure_code, channel, day + $D,
  extract(year FROM DATE '1970-01-01' + (day + $D)::int)::bigint * 12 +
  extract(month FROM DATE '1970-01-01' + (day + $D)::int)::bigint - 1, $COLS, province
  FROM $SD
  ON CONFLICT (unit_code, procedure_code, channel, day, province) DO UPDATE SET $ADD;
INSERT INTO public.stats_steps (unit_code, officer, step, day, done, late, province)
  SELECT unit_code, officer, step, day + $D, done, late, province FROM $SS
  ON CONFLICT (unit_code, officer, step, day, province) DO UPDATE SET
  done = stats_steps.done + excluded.done, late = stats_steps.late + excluded.late;
COMMIT;
SQL
  echo "decade-copy-pg: $S $SRC -> $Y (+$D days): $N dossiers in $((SECONDS - t0)) s" >&2
done

# the roll-ups and the years' carry, as store_stats_rebuild makes them from stats_day; the
# identities' next values after the copied ids
q >/dev/null <<SQL
BEGIN;
DROP TABLE IF EXISTS decade_src_stats_day, decade_src_stats_steps;
$(decade_rollup_sql "$COLS" "$SUMS" "$MSUMS")
SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT max(id) FROM dossiers));
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));
SELECT setval(pg_get_serial_sequence('outbox', 'id'), (SELECT max(id) FROM outbox));
COMMIT;
SQL
[ "$(q -c "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = e.dossier_id)")" = 0 ] ||
  die "events without their dossier after the copy"
echo "decade-copy-pg: $(q -c "SELECT count(*) FROM dossiers") dossiers" >&2
