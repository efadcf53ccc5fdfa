#!/usr/bin/env bash
# t-metrics.sh — /metrics is valid Prometheus text (`promtool check metrics`) and carries the
# figures operations watches: requests by route and status, the latency histogram, open
# dossiers in time and overdue (one dossier received long ago, one today), the database and
# WAL sizes. The alert set deploy/prometheus/cchc-alerts.yml passes `promtool check rules`
# and its unit tests (`promtool test rules`), and names only metrics cchc exports (or
# Prometheus's own `up` and node_exporter's filesystem figures).
source "$(dirname "$0")/lib.sh" "$1"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v promtool >/dev/null || fail "promtool not found (scripts/deps.sh installs prometheus)"
"$CCHC" init --db "$DB" --keys "$T/keys" >/dev/null
"$CCHC" import units "$DATA/units.csv" --db "$DB" >/dev/null
"$CCHC" import procedures "$DATA/procedures.csv" --db "$DB" >/dev/null
"$CCHC" dossier receive --unit P.A --procedure 9.000001 --name "Nguyễn Văn Cũ" \
  --at 2025-08-04T09:00 --db "$DB" >/dev/null
"$CCHC" dossier receive --unit P.A --procedure 9.000001 --name "Trần Thị Mới" --db "$DB" >/dev/null
TOKEN=metrics-token-of-the-test-0123456789
start_server --metrics-token "$TOKEN"
req GET /healthz
expect 200 healthz
req GET /api/units/P.A
expect 200 "a unit"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/metrics")
[ "$STATUS" = 200 ] || fail "metrics with the token: $STATUS $(cat "$T/body")"
promtool check metrics <"$T/body" >"$T/lint" 2>&1 || fail "promtool check metrics: $(cat "$T/lint")"
[ -s "$T/lint" ] && fail "promtool check metrics complains: $(cat "$T/lint")"
has() { grep -q "$1" "$T/body" || fail "metrics lack $1: $(grep -v '^#' "$T/body" | head -20)"; }
has '^cchc_http_requests_total{method="GET",route="/api/units/{unit}",status="200"} 1$'
has '^cchc_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 1$'
has '^cchc_dossiers_open{outcome="overdue"} 1$'
has '^cchc_dossiers_open{outcome="in_time"} 1$'
has '^cchc_dossiers{status="received"} 2$'
if testdb_is_pg; then
  # No file to measure: the sizes are left out (the PostgreSQL server has its own exporter).
  grep -q '^cchc_db_size_bytes' "$T/body" && fail "cchc_db_size_bytes on PostgreSQL"
else
  size=$(awk '/^cchc_db_size_bytes / { print $2 }' "$T/body")
  [ "$size" = "$(stat -c %s "$DB")" ] || fail "cchc_db_size_bytes $size, the file has $(stat -c %s "$DB")"
  has '^cchc_db_wal_size_bytes [0-9]'
fi
! grep -q -e 'Nguy' -e 'Tr' "$T/body" || fail "personal data in /metrics"
stop_server

# The alert set.
RULES=$ROOT/deploy/prometheus
promtool check rules "$RULES/cchc-alerts.yml" >"$T/rules" 2>&1 || fail "promtool check rules: $(cat "$T/rules")"
(cd "$RULES" && promtool test rules cchc-alerts.test.yml) >"$T/rtest" 2>&1 ||
  fail "promtool test rules: $(cat "$T/rtest")"
for m in $(grep -o 'cchc_[a-z_]*' "$RULES/cchc-alerts.yml" | sort -u); do
  testdb_is_pg && [ "$m" = cchc_db_wal_size_bytes ] && continue
  base=${m%_bucket}
  grep -q "^# TYPE $base " "$T/body" || fail "cchc-alerts.yml uses $m, which cchc does not export"
done
echo "ok: /metrics valid, open dossiers by outcome, sizes; alerts checked and unit-tested"
