# bench/decade-rollup.sh — sourced by bench/decade-copy.sh and bench/decade-copy-pg.sh: the
# counters' roll-ups and the years' carry (migrations 053, 054) made again from stats_day, as
# store_stats_rebuild makes them, in SQL both SQLite and PostgreSQL take.
# decade_rollup_sql COLS SUMS MSUMS: the statements (no transaction), from stats_day's counter
# columns "c1, c2 …", their "sum(c1), …" and "coalesce(sum(m.c1), 0), …".
decade_rollup_sql() {
  local COLS=$1 SUMS=$2 MSUMS=$3
  cat <<SQL
DELETE FROM stats_unit_day;
DELETE FROM stats_month;
DELETE FROM stats_carry;
DELETE FROM stats_proc_month;
DELETE FROM stats_proc_carry;
INSERT INTO stats_unit_day (day, unit_code, $COLS, province) SELECT day, unit_code, $SUMS, province
  FROM stats_day GROUP BY day, unit_code, province;
INSERT INTO stats_month (unit_code, month, $COLS, province) SELECT unit_code, month, $SUMS, province
  FROM stats_day GROUP BY unit_code, month, province;
INSERT INTO stats_carry (unit_code, year, $COLS, province) SELECT k.unit_code, k.year, $MSUMS, k.province
  FROM (SELECT DISTINCT unit_code, month / 12 AS year, province FROM stats_month) k
  LEFT JOIN stats_month m ON m.unit_code = k.unit_code AND m.province = k.province AND m.month < k.year * 12
  GROUP BY k.unit_code, k.year, k.province;
INSERT INTO stats_proc_month (unit_code, procedure_code, channel, month, $COLS, province)
  SELECT unit_code, procedure_code, channel, month, $SUMS, province
  FROM stats_day GROUP BY unit_code, procedure_code, channel, month, province;
INSERT INTO stats_proc_carry (unit_code, procedure_code, channel, year, $COLS, province)
  SELECT k.unit_code, k.procedure_code, k.channel, k.year, $MSUMS, k.province
  FROM (SELECT DISTINCT unit_code, procedure_code, channel, month / 12 AS year, province FROM stats_proc_month) k
  LEFT JOIN stats_proc_month m ON m.unit_code = k.unit_code AND m.procedure_code = k.procedure_code
    AND m.channel = k.channel AND m.province = k.province AND m.month < k.year * 12
  GROUP BY k.unit_code, k.procedure_code, k.channel, k.year, k.province;
SQL
}
