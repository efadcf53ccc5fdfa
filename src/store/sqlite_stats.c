/* sqlite_stats.c — the statistics counters of migration 004 on SQLite: the row operations the
 * hook of every dossier change (stats_hook.c) adds its deltas through, merged per row until
 * the commit; the rebuild from the dossiers, period figures for one unit subtree or for
 * every unit (the dashboard, from the monthly roll-up), the same by GROUP BY over the raw
 * tables (the baseline), the drill-down to the dossiers behind a figure, and officer steps. */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "stats.h"

/* ---- SQL built once from the counter names, so columns cannot drift from stats.h ------ */

static char SQL_UPSERT_DAY[6144], SQL_UPSERT_UNIT_DAY[6144], SQL_UPSERT_MONTH[6144];
static char SQL_SUM_COLS[2048], SQL_ROLLUP_UNIT_DAY[4096], SQL_ROLLUP_MONTH[4096];
static char SQL_UPSERT_PROC_MONTH[6144], SQL_ROLLUP_PROC_MONTH[4096];
/* ", k.a, k.b…" and ", m.a, m.b…": the counters of a carry (k) and of a month roll-up (m) */
static char COLS_K[1024], COLS_M[1024];

/* A yearly carry (migrations 053 and 054): per key (the columns before the year) the sum of
 * the key's month rows before the year's 1 January, one row per year with a month row. */
struct carry_sql {
    const char *table, *months; /* the carry and the month roll-up it sums */
    int nkeys;
    const char *keys[4];
    char probe[1024];  /* keys ?1..?n, year ?n+1: how many later carry rows, and its own? */
    char later[4096];  /* counters ?1..?C, keys, year: the delta into every later year */
    char make[4096];   /* keys ?1..?n, year ?n+1: the year's row from the months before */
    char rollup[4096]; /* every row, from the month roll-up (a rebuild) */
};
static struct carry_sql CARRY_UNIT = {.table = "stats_carry",
                                      .months = "stats_month",
                                      .nkeys = 2,
                                      .keys = {"unit_code", "province"}},
                        CARRY_PROC = {
                            .table = "stats_proc_carry",
                            .months = "stats_proc_month",
                            .nkeys = 4,
                            .keys = {"unit_code", "procedure_code", "channel", "province"}};

/* appends printf-style text to buf */
static void cat(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t size, const char *fmt, ...)
{
    size_t l = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + l, size - l, fmt, ap);
    va_end(ap);
}

/* "n = table.n + excluded.n, …" for every counter: the table named, as PostgreSQL needs. */
static void upsert_set(char *buf, size_t size, const char *table)
{
    buf[0] = '\0';
    for (int c = 0; c < SC__COUNT; c++) {
        const char *n = stats_counter_name(c);
        cat(buf, size, "%s%s = %s.%s + excluded.%s", c ? ", " : "", n, table, n, n);
    }
}

static void query_sql_build(void);
static void dash_sql_build(void);

/* The carry's statements from its keys; cols ", a, b…", msums ", coalesce(sum(m.a), 0)…",
 * later "a = a + ?1, …" (the counters). */
static void carry_sql_build(struct carry_sql *q, const char *cols, const char *msums,
                            const char *later)
{
    char keys[256] = "", kk[256] = "", eq[512] = "", keq[512] = "", mp[512] = "", meq[512] = "",
         casts[512] = "";
    int n = q->nkeys, y = n + 1;
    for (int i = 0; i < n; i++) {
        const char *k = q->keys[i];
        cat(keys, sizeof keys, "%s%s", i ? ", " : "", k);
        cat(kk, sizeof kk, "%sk.%s", i ? ", " : "", k);
        cat(eq, sizeof eq, "%s = ?%d AND ", k, i + 1);
        cat(keq, sizeof keq, "k.%s = ?%d AND ", k, i + 1);
        cat(mp, sizeof mp, "m.%s = ?%d AND ", k, i + 1);
        cat(meq, sizeof meq, "m.%s = k.%s AND ", k, k);
        cat(casts, sizeof casts, "%sCAST(?%d AS TEXT)", i ? ", " : "", i + 1);
    }
    snprintf(q->probe, sizeof q->probe,
             "SELECT coalesce(sum(CASE WHEN year > ?%d THEN 1 ELSE 0 END), 0), coalesce(sum(CASE "
             "WHEN year = ?%d THEN 1 ELSE 0 END), 0) FROM %s WHERE %syear >= ?%d",
             y, y, q->table, eq, y);
    char leq[512] = "";
    for (int i = 0; i < n; i++)
        cat(leq, sizeof leq, "%s = ?%d AND ", q->keys[i], SC__COUNT + 1 + i);
    snprintf(q->later, sizeof q->later, "UPDATE %s SET %s WHERE %syear > ?%d", q->table, later, leq,
             SC__COUNT + 1 + n);
    /* nothing when the row exists: the NOT EXISTS is a one-time test */
    snprintf(q->make, sizeof q->make,
             "INSERT INTO %s (%s, year%s) SELECT %s, CAST(?%d AS BIGINT)%s FROM %s m WHERE "
             "%sm.month < ?%d * 12 AND NOT EXISTS (SELECT 1 FROM %s k WHERE %sk.year = ?%d) "
             "ON CONFLICT (%s, year) DO NOTHING",
             q->table, keys, cols, casts, y, msums, q->months, mp, y, q->table, keq, y, keys);
    snprintf(q->rollup, sizeof q->rollup,
             "INSERT INTO %s (%s, year%s) SELECT %s, k.year%s FROM (SELECT DISTINCT %s, month / 12 "
             "AS year FROM %s) k LEFT JOIN %s m ON %sm.month < k.year * 12 GROUP BY %s, k.year",
             q->table, keys, cols, kk, msums, keys, q->months, q->months, meq, kk);
}

static void build_sql_once(void)
{
    char cols[1024] = "", qs[256] = "", upd[3072] = "", sums[2048] = "", msums[2048] = "",
         later[2048] = "";
    for (int c = 0; c < SC__COUNT; c++) {
        const char *n = stats_counter_name(c);
        cat(COLS_K, sizeof COLS_K, ", k.%s", n);
        cat(COLS_M, sizeof COLS_M, ", m.%s", n);
        cat(cols, sizeof cols, ", %s", n);
        cat(qs, sizeof qs, ", ?");
        cat(sums, sizeof sums, ", sum(%s)", n);
        cat(msums, sizeof msums, ", coalesce(sum(m.%s), 0)", n);
        cat(later, sizeof later, "%s%s = %s + ?%d", c ? ", " : "", n, n, c + 1);
    }
    carry_sql_build(&CARRY_UNIT, cols, msums, later);
    carry_sql_build(&CARRY_PROC, cols, msums, later);
    upsert_set(upd, sizeof upd, "stats_proc_month");
    snprintf(SQL_UPSERT_PROC_MONTH, sizeof SQL_UPSERT_PROC_MONTH,
             "INSERT INTO stats_proc_month (unit_code, procedure_code, channel, month%s, "
             "province) VALUES (?, ?, ?, ?%s, ?) ON CONFLICT (unit_code, procedure_code, "
             "channel, month, province) DO UPDATE SET %s",
             cols, qs, upd);
    snprintf(SQL_ROLLUP_PROC_MONTH, sizeof SQL_ROLLUP_PROC_MONTH,
             "INSERT INTO stats_proc_month (unit_code, procedure_code, channel, month%s, "
             "province) SELECT unit_code, procedure_code, channel, month%s, province FROM "
             "stats_day GROUP BY unit_code, procedure_code, channel, month, province",
             cols, sums);
    upsert_set(upd, sizeof upd, "stats_day");
    snprintf(SQL_UPSERT_DAY, sizeof SQL_UPSERT_DAY,
             "INSERT INTO stats_day (unit_code, procedure_code, channel, day, month%s, province) "
             "VALUES (?, ?, ?, ?, ?%s, ?) ON CONFLICT (unit_code, procedure_code, channel, day, "
             "province) DO UPDATE SET %s",
             cols, qs, upd);
    upsert_set(upd, sizeof upd, "stats_month");
    snprintf(SQL_UPSERT_MONTH, sizeof SQL_UPSERT_MONTH,
             "INSERT INTO stats_month (unit_code, month%s, province) VALUES (?, ?%s, ?) "
             "ON CONFLICT (unit_code, month, province) DO UPDATE SET %s",
             cols, qs, upd);
    upsert_set(upd, sizeof upd, "stats_unit_day");
    snprintf(SQL_UPSERT_UNIT_DAY, sizeof SQL_UPSERT_UNIT_DAY,
             "INSERT INTO stats_unit_day (day, unit_code%s, province) VALUES (?, ?%s, ?) "
             "ON CONFLICT (day, unit_code, province) DO UPDATE SET %s",
             cols, qs, upd);
    snprintf(SQL_ROLLUP_UNIT_DAY, sizeof SQL_ROLLUP_UNIT_DAY,
             "INSERT INTO stats_unit_day (day, unit_code%s, province) SELECT day, unit_code%s, "
             "province FROM stats_day GROUP BY day, unit_code, province",
             cols, sums);
    snprintf(SQL_ROLLUP_MONTH, sizeof SQL_ROLLUP_MONTH,
             "INSERT INTO stats_month (unit_code, month%s, province) SELECT unit_code, month%s, "
             "province FROM stats_day GROUP BY unit_code, month, province",
             cols, sums);
    snprintf(SQL_SUM_COLS, sizeof SQL_SUM_COLS, "%s", sums + 2); /* drop the leading ", " */
    query_sql_build();
    dash_sql_build();
}

/* The SQL texts, built once (the server's threads may ask at the same time). */
static void build_sql(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_sql_once);
}

int64_t stats_month_of_day(int64_t day)
{
    struct ymd d = days_to_ymd(day);
    return (int64_t)d.y * 12 + d.m - 1;
}

int64_t stats_month_first_day(int64_t month)
{
    return ymd_to_days((struct ymd){(int)(month / 12), (int)(month % 12) + 1, 1});
}

/* Adds v (SC__COUNT values) to one unit-day or month row of the unit's province. */
static int add_rollup(struct store *s, const char *sql, const char *unit, const char *prov,
                      int64_t key, int key_first, const int64_t *v, const char *what, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, key_first ? 2 : 1, unit);
    db_bind_int64(st, key_first ? 1 : 2, key);
    for (int c = 0; c < SC__COUNT; c++)
        db_bind_int64(st, 3 + c, v[c]);
    db_bind_text(st, 3 + SC__COUNT, prov);
    rc = sq_step_done(s, st, what, e);
    sq_done(s, st);
    return rc;
}

/* Adds v (SC__COUNT values) to one day row (the flush adds to the roll-ups itself; a rebuild
 * fills them by GROUP BY at the end). */
static int add_cells(struct store *s, const char *unit, const char *prov, const char *proc,
                     const char *channel, int64_t day, const int64_t *v, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UPSERT_DAY, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, proc);
    db_bind_text(st, 3, channel);
    db_bind_int64(st, 4, day);
    db_bind_int64(st, 5, stats_month_of_day(day));
    for (int c = 0; c < SC__COUNT; c++)
        db_bind_int64(st, 6 + c, v[c]);
    db_bind_text(st, 6 + SC__COUNT, prov);
    rc = sq_step_done(s, st, "statistics: day counters", e);
    sq_done(s, st);
    return rc;
}

/* ---- deltas pending until the end of the outer transaction ---------------------------- */

/* One change's delta to one day row. A group commit (many changes in one transaction) hits
 * the same few rows again and again: the deltas are merged per row at the end, so each row
 * and its unit-day and month roll-ups take one upsert per transaction instead of one per
 * change (three upserts were half the VM steps of a transition, bench/ingest). */
struct sq_stats_entry {
    char unit[UNIT_CODE_MAX], proc[PROC_CODE_MAX];
    int channel; /* enum dossier_channel */
    int64_t day;
    int64_t v[SC__COUNT];
};

/* Unwritten entries that trigger an early flush (bounds the memory of a big transaction). */
#define STATS_PENDING_MAX 4096

/* Keeps stats_carry (migration 053) with a month's delta v: added to the unit's carry of every
 * later year, and the carry of the month's own year made if this is the unit's first month row
 * of that year (the sum of its months before; the month itself is not before its year). The
 * writes of a province are serialised (one writer on SQLite, the province's lock on
 * PostgreSQL), so the carry made and the deltas added cannot miss each other. One probe first:
 * a month of the unit's latest year (nearly every write) needs neither. bench_ingest's group
 * commit and seed rates, old and new binary in turn, differ within their run-to-run noise. */
static int add_carry(struct store *s, const struct carry_sql *q, const char *const *keys,
                     int64_t month, const int64_t *v, struct err *e)
{
    int n = q->nkeys;
    int64_t year = month / 12, later = 0, own = 0;
    struct db_stmt *st;
    int rc = sq_prep(s, q->probe, &st, e);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        db_bind_text(st, 1 + i, keys[i]);
    db_bind_int64(st, n + 1, year);
    int step = db_step(st);
    if (step == DB_ROW)
        later = db_col_int64(st, 0), own = db_col_int64(st, 1);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "statistics: carried counters", e);
    sq_done(s, st);
    if (!rc && later) {
        if ((rc = sq_prep(s, q->later, &st, e))) return rc;
        for (int c = 0; c < SC__COUNT; c++)
            db_bind_int64(st, 1 + c, v[c]);
        for (int i = 0; i < n; i++)
            db_bind_text(st, SC__COUNT + 1 + i, keys[i]);
        db_bind_int64(st, SC__COUNT + 1 + n, year);
        rc = sq_step_done(s, st, "statistics: carried counters", e);
        sq_done(s, st);
    }
    if (!rc && !own) {
        if ((rc = sq_prep(s, q->make, &st, e))) return rc;
        for (int i = 0; i < n; i++)
            db_bind_text(st, 1 + i, keys[i]);
        db_bind_int64(st, n + 1, year);
        rc = sq_step_done(s, st, "statistics: carried counters", e);
        sq_done(s, st);
    }
    return rc;
}

/* Adds a stats_day row's delta v to its key's month (migration 054) and that key's carry. */
static int add_proc_month(struct store *s, const char *unit, const char *prov, const char *proc,
                          const char *channel, int64_t day, const int64_t *v, struct err *e)
{
    int64_t month = stats_month_of_day(day);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UPSERT_PROC_MONTH, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, proc);
    db_bind_text(st, 3, channel);
    db_bind_int64(st, 4, month);
    for (int c = 0; c < SC__COUNT; c++)
        db_bind_int64(st, 5 + c, v[c]);
    db_bind_text(st, 5 + SC__COUNT, prov);
    rc = sq_step_done(s, st, "statistics: procedure month counters", e);
    sq_done(s, st);
    const char *keys[] = {unit, proc, channel, prov};
    return rc ? rc : add_carry(s, &CARRY_PROC, keys, month, v, e);
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct sq_stats_entry *a = *(const struct sq_stats_entry *const *)pa,
                                *b = *(const struct sq_stats_entry *const *)pb;
    int c = strcmp(a->unit, b->unit);
    if (c) return c;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    if ((c = strcmp(a->proc, b->proc))) return c;
    return a->channel - b->channel;
}

static int nonzero(const int64_t *v)
{
    for (int c = 0; c < SC__COUNT; c++)
        if (v[c]) return 1;
    return 0;
}

static void add_to(int64_t *into, const int64_t *v)
{
    for (int c = 0; c < SC__COUNT; c++)
        into[c] += v[c];
}

int sq_stats_flush(struct store *s, struct err *e)
{
    size_t n = s->stats_n - s->stats_f;
    if (!n) return 0;
    build_sql();
    /* sorted through pointers: the log's order is what savepoint rollbacks cut at */
    const struct sq_stats_entry **p = malloc(n * sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < n; i++)
        p[i] = &s->stats_log[s->stats_f + i];
    qsort(p, n, sizeof *p, entry_cmp);
    int rc = 0;
    int64_t vm[SC__COUNT], vu[SC__COUNT], vd[SC__COUNT];
    /* the counter rows' province (migration 036): the unit's root, which sq_unit_root
     * remembers for the last unit in the transaction (the deltas come sorted by unit) */
    char prov[UNIT_CODE_MAX];
    for (size_t i = 0; !rc && i < n;) { /* one unit and month */
        const struct sq_stats_entry *m0 = p[i];
        int64_t month = stats_month_of_day(m0->day);
        if ((rc = sq_unit_root(s, m0->unit, prov, sizeof prov, e)) ||
            (rc = sq_prov_guard(s, prov, e)))
            break;
        memset(vm, 0, sizeof vm);
        while (!rc && i < n && !strcmp(p[i]->unit, m0->unit) &&
               stats_month_of_day(p[i]->day) == month) { /* one unit and day */
            const struct sq_stats_entry *u0 = p[i];
            memset(vu, 0, sizeof vu);
            while (!rc && i < n && !strcmp(p[i]->unit, u0->unit) && p[i]->day == u0->day) {
                const struct sq_stats_entry *d0 = p[i]; /* one row of stats_day */
                memset(vd, 0, sizeof vd);
                for (; i < n && !entry_cmp(&p[i], &d0); i++)
                    add_to(vd, p[i]->v);
                add_to(vu, vd);
                const char *ch = dossier_channel_name((enum dossier_channel)d0->channel);
                if (nonzero(vd) &&
                    !(rc = add_cells(s, d0->unit, prov, d0->proc, ch, d0->day, vd, e)))
                    rc = add_proc_month(s, d0->unit, prov, d0->proc, ch, d0->day, vd, e);
            }
            add_to(vm, vu);
            if (!rc && nonzero(vu))
                rc = add_rollup(s, SQL_UPSERT_UNIT_DAY, u0->unit, prov, u0->day, 1, vu,
                                "statistics: unit-day counters", e);
        }
        const char *keys[] = {m0->unit, prov};
        if (!rc && nonzero(vm) &&
            !(rc = add_rollup(s, SQL_UPSERT_MONTH, m0->unit, prov, month, 0, vm,
                              "statistics: month counters", e)))
            rc = add_carry(s, &CARRY_UNIT, keys, month, vm, e);
    }
    free(p);
    if (rc) return rc;
    s->stats_f = s->stats_n;
    if (s->tx_depth <= 1) s->stats_n = s->stats_f = 0; /* no savepoint can return to them */
    return 0;
}

/* Queues v (SC__COUNT values) for d's row of `day`. */
static int pend_add(struct store *s, const char *unit, const char *proc,
                    enum dossier_channel channel, int64_t day, const int64_t *v, struct err *e)
{
    if (s->stats_n == s->stats_cap) {
        size_t cap = s->stats_cap ? 2 * s->stats_cap : 64;
        struct sq_stats_entry *l = realloc(s->stats_log, cap * sizeof *l);
        if (!l) return err_set(e, ERR_NOMEM, "", "out of memory");
        s->stats_log = l;
        s->stats_cap = cap;
    }
    struct sq_stats_entry *x = &s->stats_log[s->stats_n++];
    snprintf(x->unit, sizeof x->unit, "%s", unit);
    snprintf(x->proc, sizeof x->proc, "%s", proc);
    x->channel = (int)channel;
    x->day = day;
    memcpy(x->v, v, sizeof x->v);
    return s->stats_n - s->stats_f >= STATS_PENDING_MAX ? sq_stats_flush(s, e) : 0;
}

/* ---- the row operations of struct store_backend ----------------------------------- */

static const char SQL_PROC_INFO[] = "SELECT fee_vnd, online FROM procedures WHERE code = ?";

int sq_procedure_fee_online(struct store *s, const char *code, int *has_fee,
                            enum online_mode *online, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PROC_INFO, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    if ((rc = db_step(st)) == DB_ROW) {
        /* fee_vnd NULL: the fee varies (fee_note) — counted as having a fee (verify) */
        *has_fee = db_col_null(st, 0) || db_col_int64(st, 0) > 0;
        const char *o = db_col_text(st, 1);
        *online = !o                      ? ONLINE_NONE
                  : !strcmp(o, "full")    ? ONLINE_FULL
                  : !strcmp(o, "partial") ? ONLINE_PARTIAL
                                          : ONLINE_NONE;
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "procedure", "procedure %s: no such procedure", code);
    } else {
        rc = sq_fail(s, rc, "statistics: procedure", e);
    }
    sq_done(s, st);
    return rc;
}

int sq_stats_cells_add(struct store *s, const char *unit, const char *procedure,
                       enum dossier_channel channel, int64_t day, const int64_t *v, struct err *e)
{
    build_sql();
    return pend_add(s, unit, procedure, channel, day, v, e);
}

static const char SQL_STEP_ADD[] =
    "INSERT INTO stats_steps (unit_code, officer, step, day, done, late, province) "
    "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (unit_code, officer, step, day, province) "
    "DO UPDATE SET done = stats_steps.done + 1, late = stats_steps.late + excluded.late";

int sq_stats_step_add(struct store *s, const char *unit, const char *officer, int step, int64_t day,
                      int late, struct err *e)
{
    char prov[UNIT_CODE_MAX]; /* the unit's root (migration 036) */
    struct db_stmt *st;
    int rc = sq_unit_root(s, unit, prov, sizeof prov, e);
    if (!rc) rc = sq_prov_guard(s, prov, e);
    if (rc || (rc = sq_prep(s, SQL_STEP_ADD, &st, e))) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, officer);
    db_bind_int64(st, 3, step);
    db_bind_int64(st, 4, day);
    db_bind_int64(st, 5, late ? 1 : 0);
    db_bind_text(st, 6, prov);
    rc = sq_step_done(s, st, "statistics: steps", e);
    sq_done(s, st);
    return rc;
}

/* ---- rebuild ------------------------------------------------------------------------- */

/* A write-back cache of day rows: consecutive dossiers share unit, procedure and days, so most
 * contributions merge in memory before one upsert. */
#define RB_SLOTS 4096
struct rb_slot {
    int used;
    char unit[UNIT_CODE_MAX], proc[PROC_CODE_MAX];
    int channel;
    int64_t day;
    int64_t v[SC__COUNT];
};
struct rebuild {
    struct store *s;
    struct rb_slot *slot;
    int64_t n;
    int rc;
    struct err *e;
};

static int rb_flush(struct rebuild *r, struct rb_slot *sl)
{
    if (!sl->used) return 0;
    sl->used = 0;
    char prov[UNIT_CODE_MAX]; /* the unit's root (migration 036) */
    int rc = sq_unit_root(r->s, sl->unit, prov, sizeof prov, r->e);
    return rc ? rc
              : add_cells(r->s, sl->unit, prov, sl->proc,
                          dossier_channel_name((enum dossier_channel)sl->channel), sl->day, sl->v,
                          r->e);
}

static uint64_t rb_hash(const char *unit, const char *proc, int channel, int64_t day)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = unit; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = proc; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ (uint64_t)channel) * 1099511628211ull;
    return (h ^ (uint64_t)day) * 1099511628211ull;
}

static int rb_dossier(const struct dossier *d, void *ctx)
{
    struct rebuild *r = ctx;
    struct stats_extra x;
    struct stats_dossier sd;
    struct stats_contrib c;
    if ((r->rc = stats_extra_of(r->s, d, &x, r->e))) return 1;
    stats_dossier_of(d, &x, &sd);
    stats_contributions(&sd, &c);
    r->n++;
    for (int i = 0; i < c.n; i++) {
        struct rb_slot *sl =
            &r->slot[rb_hash(d->unit, d->procedure, d->channel, c.c[i].day) % RB_SLOTS];
        if (sl->used && (sl->day != c.c[i].day || sl->channel != (int)d->channel ||
                         strcmp(sl->unit, d->unit) || strcmp(sl->proc, d->procedure)))
            if ((r->rc = rb_flush(r, sl))) return 1;
        if (!sl->used) {
            memset(sl, 0, sizeof *sl);
            sl->used = 1;
            snprintf(sl->unit, sizeof sl->unit, "%s", d->unit);
            snprintf(sl->proc, sizeof sl->proc, "%s", d->procedure);
            sl->channel = (int)d->channel;
            sl->day = c.c[i].day;
        }
        sl->v[c.c[i].counter]++;
    }
    return 0;
}

/* province: the unit's, as store_unit_root finds it (a code that is not a unit is its own) */
static const char SQL_RB_STEPS[] =
    "INSERT INTO stats_steps (unit_code, officer, step, day, done, late, province) "
    "SELECT d.unit_code, coalesce(s.officer, ''), s.seq, s.finished_at / 1440, count(*), "
    "sum(CASE WHEN s.outcome = 'late' THEN 1 ELSE 0 END), "
    "coalesce((SELECT u.province FROM units u WHERE u.code = d.unit_code), d.unit_code) "
    "FROM dossier_steps s JOIN dossiers d ON d.id = s.dossier_id "
    "WHERE s.finished_at > 0 AND s.outcome IS NOT NULL "
    "GROUP BY d.unit_code, coalesce(s.officer, ''), s.seq, s.finished_at / 1440";

static int rebuild_tx(struct store *s, void *ctx, struct err *e)
{
    struct rebuild *r = ctx;
    /* the dossiers hold the pending changes already: the recount includes them */
    s->stats_f = s->stats_n;
    int rc = sq_exec(s, "DELETE FROM stats_day", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_month", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_carry", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_proc_month", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_proc_carry", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_steps", e);
    if (!rc) rc = sq_exec(s, "DELETE FROM stats_unit_day", e);
    if (rc) return rc;
    struct dossier_filter f = {
        .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    r->e = e;
    rc = store_dossier_list(s, &f, rb_dossier, r, e);
    if (r->rc) return r->rc;
    if (rc) return rc;
    for (int i = 0; i < RB_SLOTS; i++)
        if ((rc = rb_flush(r, &r->slot[i]))) return rc;
    if ((rc = sq_exec(s, SQL_ROLLUP_UNIT_DAY, e)) || (rc = sq_exec(s, SQL_ROLLUP_MONTH, e)) ||
        (rc = sq_exec(s, CARRY_UNIT.rollup, e)) || (rc = sq_exec(s, SQL_ROLLUP_PROC_MONTH, e)) ||
        (rc = sq_exec(s, CARRY_PROC.rollup, e)))
        return rc;
    return sq_exec(s, SQL_RB_STEPS, e);
}

int store_stats_rebuild(struct store *s, int64_t *n, struct err *e)
{
    build_sql();
    struct rebuild r = {.s = s};
    if (!(r.slot = calloc(RB_SLOTS, sizeof *r.slot)))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = store_tx(s, rebuild_tx, &r, e);
    free(r.slot);
    if (n) *n = r.n;
    return rc;
}

/* ---- reading: one query (unit subtree, procedure, field, channel) -------------------- */

/* Sums rows into before / flow by day; the caller adds before + flow for cum_end. */
static void sum_row(struct db_stmt *st, int first_col, struct stats_counts *into)
{
    for (int c = 0; c < SC__COUNT; c++)
        into->c[c] += db_col_int64(st, first_col + c);
}

/* A period cut at months: the whole months w0..w1 (none when w0 > w1) read from a month
 * roll-up, and the days of the partial months at the edges, [r[k][0], r[k][1]] (empty when
 * the start is after the end), from a day table; m0 is the period's first month. */
struct period_cut {
    int64_t m0, w0, w1, r[2][2];
};

static void period_cut(int64_t from, int64_t to, struct period_cut *c)
{
    int64_t m0 = stats_month_of_day(from), m1 = stats_month_of_day(to);
    c->m0 = m0;
    c->w0 = stats_month_first_day(m0) == from ? m0 : m0 + 1;       /* first whole month */
    c->w1 = stats_month_first_day(m1 + 1) - 1 == to ? m1 : m1 - 1; /* last whole month */
    /* from the first day of m0 up to the first whole month (or to `to`), and after the last
     * whole month up to `to` */
    c->r[0][0] = stats_month_first_day(m0);
    if (c->w0 <= c->w1) {
        c->r[0][1] = stats_month_first_day(c->w0) - 1;
        c->r[1][0] = stats_month_first_day(c->w1 + 1), c->r[1][1] = to;
    } else {
        c->r[0][1] = to;
        c->r[1][0] = 1, c->r[1][1] = 0; /* empty */
    }
}

/* Figures filtered by procedure (?4), field (?5) or channel (?6) of a subtree (?9, NULL: every
 * unit), migration 054: bucket 0, before the period, is per procedure and channel the carry
 * of the latest year with one not after the period's first (?8) and that year's months before
 * ?2, the period's first month; bucket 1 the whole months ?3..?7. The partial months' days
 * come from stats_day by unit and day (SQL_PROC_DAY, index stats_day_unit_day). What is read
 * is the period's months and days, and per unit, procedure and channel one carry row and at
 * most a year of months; before, every stats_day row of the subtree up to the period's end. */
#define SUBTREE_CTE                                                                                \
    "WITH RECURSIVE sub(code) AS (SELECT code FROM units WHERE CAST(?9 AS TEXT) IS NULL OR code "  \
    "= ?9 "                                                                                        \
    "UNION SELECT u.code FROM units u JOIN sub ON u.parent = sub.code) "
#define PROC_FILTER(t)                                                                             \
    "(CAST(?4 AS TEXT) IS NULL OR " t ".procedure_code = ?4) AND (CAST(?6 AS TEXT) IS NULL OR " t  \
    ".channel = ?6) AND (CAST(?5 AS TEXT) IS NULL OR " t ".procedure_code IN (SELECT code FROM "   \
    "procedures WHERE field = ?5))"
#define PROC_KEY_EQ(a, b)                                                                          \
    a ".unit_code = " b ".unit_code AND " a ".procedure_code = " b ".procedure_code AND " a        \
      ".channel = " b ".channel AND " a ".province = " b ".province"
static char SQL_PROC_MONTH[8192], SQL_PROC_DAY[4096];

static void query_sql_build(void)
{
    snprintf(
        SQL_PROC_MONTH, sizeof SQL_PROC_MONTH,
        SUBTREE_CTE
        ", cu(unit_code, procedure_code, channel, province, y) AS (SELECT "
        "k.unit_code, k.procedure_code, k.channel, k.province, max(k.year) FROM "
        "stats_proc_carry k WHERE k.unit_code IN (SELECT code FROM sub) AND k.year "
        "<= ?8 AND " PROC_FILTER(
            "k") " GROUP BY k.unit_code, k.procedure_code, "
                 "k.channel, k.province) "
                 "SELECT b, %s FROM (SELECT 0 AS b%s FROM cu JOIN stats_proc_carry k "
                 "ON " PROC_KEY_EQ(
                     "k",
                     "cu") " AND k.year = cu.y "
                           "UNION ALL SELECT 0%s FROM cu JOIN stats_proc_month m ON " PROC_KEY_EQ(
                               "m", "cu") " AND m.month >= cu.y * 12 AND m.month < ?2 "
                                          "UNION ALL SELECT 1%s FROM stats_proc_month m WHERE "
                                          "m.unit_code IN (SELECT "
                                          "code FROM sub) AND m.month BETWEEN ?3 AND ?7 "
                                          "AND " PROC_FILTER("m") ") x GROUP BY b",
        SQL_SUM_COLS, COLS_K, COLS_M, COLS_M);
    /* ?2 the period's first day: days before it are bucket 0 */
    snprintf(SQL_PROC_DAY, sizeof SQL_PROC_DAY,
             SUBTREE_CTE "SELECT CASE WHEN x.day < ?2 THEN 0 ELSE 1 END, %s FROM stats_day x WHERE "
                         "x.unit_code IN (SELECT code FROM sub) AND x.day BETWEEN ?3 AND ?7 "
                         "AND " PROC_FILTER("x") " GROUP BY 1",
             SQL_SUM_COLS);
}

static int filtered_rows(struct store *s, const char *sql, const struct stats_query *q, int64_t a2,
                         int64_t a3, int64_t a7, int64_t a8, struct stats_counts *before,
                         struct stats_counts *flow, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 9, q->unit && *q->unit ? q->unit : NULL);
    db_bind_int64(st, 2, a2);
    db_bind_int64(st, 3, a3);
    sq_bind_text(st, 4, q->procedure);
    sq_bind_text(st, 5, q->field);
    if (q->channel >= 0) db_bind_text(st, 6, stats_channel_name((enum stats_channel)q->channel));
    db_bind_int64(st, 7, a7);
    if (a8 != INT64_MIN) db_bind_int64(st, 8, a8);
    while ((rc = db_step(st)) == DB_ROW)
        sum_row(st, 1, (int)db_col_int64(st, 0) == 0 ? before : flow);
    rc = rc == DB_DONE ? 0 : sq_fail(s, rc, "statistics: reading counters", e);
    sq_done(s, st);
    return rc;
}

static int filtered_figures(struct store *s, const struct stats_query *q,
                            struct stats_counts *before, struct stats_counts *flow, struct err *e)
{
    build_sql();
    struct period_cut c;
    period_cut(q->from_day, q->to_day, &c);
    int rc = filtered_rows(s, SQL_PROC_MONTH, q, c.m0, c.w0, c.w1, c.m0 / 12, before, flow, e);
    for (int k = 0; !rc && k < 2; k++)
        if (c.r[k][0] <= c.r[k][1])
            rc = filtered_rows(s, SQL_PROC_DAY, q, q->from_day, c.r[k][0], c.r[k][1], INT64_MIN,
                               before, flow, e);
    return rc;
}

static int subtree_figures(struct store *s, const struct stats_query *q, struct stats_figures *out,
                           struct err *e);

int store_stats_figures(struct store *s, const struct stats_query *q, struct stats_figures *out,
                        struct err *e)
{
    if (q->to_day < q->from_day)
        return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    int frc = sq_stats_flush(s, e); /* this transaction's own changes count too */
    if (frc) return frc;
    if (q->unit && *q->unit) {
        struct unit u;
        int rc = store_unit_get(s, q->unit, &u, e);
        if (rc) return rc;
    }
    if (!(q->procedure && *q->procedure) && !(q->field && *q->field) && q->channel < 0)
        return subtree_figures(s, q, out, e);
    struct stats_counts before = {0}, flow = {0}, end = {0};
    int rc = filtered_figures(s, q, &before, &flow, e);
    if (rc) return rc;
    end = before;
    stats_counts_add(&end, &flow);
    stats_figures_compute(&flow, &before, &end, out);
    return 0;
}

/* ---- the dashboard: every unit from the monthly roll-up (plus edge days) ------------- */

struct unit_acc {
    char unit[UNIT_CODE_MAX];
    struct stats_counts before, flow;
};
struct acc_list {
    int n, cap;
    struct unit_acc *v;
};

static struct unit_acc *acc_get(struct acc_list *l, const char *unit)
{
    /* rows arrive grouped by unit: the last one is almost always the one */
    for (int i = l->n - 1; i >= 0 && i >= l->n - 2; i--)
        if (!strcmp(l->v[i].unit, unit)) return &l->v[i];
    for (int i = 0; i < l->n - 2; i++)
        if (!strcmp(l->v[i].unit, unit)) return &l->v[i];
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 256;
        struct unit_acc *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v) return NULL;
        l->v = v, l->cap = cap;
    }
    struct unit_acc *a = &l->v[l->n++];
    memset(a, 0, sizeof *a);
    snprintf(a->unit, sizeof a->unit, "%s", unit);
    return a;
}

static int acc_rows(struct store *s, struct db_stmt *st, struct acc_list *l, struct err *e)
{
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct unit_acc *a = acc_get(l, db_col_text(st, 0));
        if (!a) return err_set(e, ERR_NOMEM, "", "out of memory");
        sum_row(st, 2, (int)db_col_int64(st, 1) == 0 ? &a->before : &a->flow);
    }
    return rc == DB_DONE ? 0 : sq_fail(s, rc, "statistics: dashboard", e);
}

static char SQL_DASH_MONTH[8192], SQL_DASH_DAY[4096];

static int cmp_acc(const void *a, const void *b)
{
    return strcmp(((const struct unit_acc *)a)->unit, ((const struct unit_acc *)b)->unit);
}

static void dash_sql_build(void)
{
    char nz[1536] = "";
    for (int c = 0; c < SC__COUNT; c++)
        cat(nz, sizeof nz, "%sk.%s <> 0", c ? " OR " : "", stats_counter_name(c));
    /* Bucket 0, everything before the period: per unit the carry of the latest year with one
     * not after the period's first (?4, migration 053), and that year's whole months before
     * ?1, the period's first month; bucket 1: the whole months inside, ?2..?3. The rows read
     * are a unit's carry and at most a year of its months, however many years are kept. A
     * carry of zeros (nothing before that year) is left out, so that a unit with no row
     * before or in the period is not listed, as when every earlier month was read. */
    snprintf(SQL_DASH_MONTH, sizeof SQL_DASH_MONTH,
             SUBTREE_CTE
             ", cu(unit_code, province, y) AS (SELECT unit_code, province, max(year) "
             "FROM stats_carry WHERE year <= ?4 AND (CAST(?9 AS TEXT) IS NULL OR "
             "unit_code IN (SELECT code FROM sub)) GROUP BY unit_code, province) "
             "SELECT unit_code, b, %s FROM ("
             "SELECT k.unit_code, 0 AS b%s FROM cu JOIN stats_carry k ON "
             "k.unit_code = cu.unit_code AND k.province = cu.province AND k.year = cu.y "
             "AND (%s) UNION ALL SELECT m.unit_code, 0%s FROM cu JOIN stats_month m ON "
             "m.unit_code = cu.unit_code AND m.province = cu.province AND m.month >= "
             "cu.y * 12 AND m.month < ?1 "
             "UNION ALL SELECT m.unit_code, 1%s FROM stats_month m WHERE m.month "
             "BETWEEN ?2 AND ?3 AND (CAST(?9 AS TEXT) IS NULL OR m.unit_code IN "
             "(SELECT code FROM sub))) x GROUP BY unit_code, b",
             SQL_SUM_COLS, COLS_K, nz, COLS_M, COLS_M);
    /* the days [?2, ?3] of a partial month at an edge (run once per edge, so the day index
     * serves it); before ?1 -> bucket 0 */
    snprintf(SQL_DASH_DAY, sizeof SQL_DASH_DAY,
             SUBTREE_CTE "SELECT unit_code, CASE WHEN day < ?1 THEN 0 ELSE 1 END, %s "
                         "FROM stats_unit_day WHERE day BETWEEN ?2 AND ?3 "
                         "AND (CAST(?9 AS TEXT) IS NULL OR unit_code IN (SELECT code FROM sub)) "
                         "GROUP BY unit_code, 2",
             SQL_SUM_COLS);
}

static void dash_sql(void)
{
    build_sql();
}

/* Per unit (of the subtree of root, or all): counters before the period and in it, read from
 * whole months of the roll-up and from the days of the partial months at the edges only. */
static int collect(struct store *s, int64_t from, int64_t to, const char *root, struct acc_list *l,
                   struct err *e)
{
    dash_sql();
    struct period_cut c;
    period_cut(from, to, &c);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_DASH_MONTH, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, c.m0);
    db_bind_int64(st, 2, c.w0);
    db_bind_int64(st, 3, c.w1);
    db_bind_int64(st, 4, c.m0 / 12);
    sq_bind_text(st, 9, root);
    rc = acc_rows(s, st, l, e);
    sq_done(s, st);
    for (int k = 0; !rc && k < 2; k++) {
        if (c.r[k][0] > c.r[k][1]) continue;
        if ((rc = sq_prep(s, SQL_DASH_DAY, &st, e))) break;
        db_bind_int64(st, 1, from);
        db_bind_int64(st, 2, c.r[k][0]);
        db_bind_int64(st, 3, c.r[k][1]);
        sq_bind_text(st, 9, root);
        rc = acc_rows(s, st, l, e);
        sq_done(s, st);
    }
    return rc;
}

static void acc_figures(const struct unit_acc *a, struct stats_figures *f)
{
    struct stats_counts end = a->before;
    stats_counts_add(&end, &a->flow);
    stats_figures_compute(&a->flow, &a->before, &end, f);
}

int store_stats_by_unit(struct store *s, int64_t from, int64_t to, stats_unit_fn fn, void *ctx,
                        struct err *e)
{
    if (to < from) return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    struct acc_list l = {0};
    int rc = sq_stats_flush(s, e); /* this transaction's own changes count too */
    if (!rc) rc = collect(s, from, to, NULL, &l, e);
    if (!rc) qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_acc);
    for (int i = 0; !rc && i < l.n; i++) {
        struct stats_figures f;
        acc_figures(&l.v[i], &f);
        rc = fn(l.v[i].unit, &f, ctx);
    }
    free(l.v);
    return rc;
}

/* The figures of a whole subtree (no procedure/field/channel filter) from the roll-up. */
static int subtree_figures(struct store *s, const struct stats_query *q, struct stats_figures *out,
                           struct err *e)
{
    struct acc_list l = {0};
    struct unit_acc sum;
    memset(&sum, 0, sizeof sum);
    int rc = collect(s, q->from_day, q->to_day, q->unit && *q->unit ? q->unit : NULL, &l, e);
    for (int i = 0; !rc && i < l.n; i++) {
        stats_counts_add(&sum.before, &l.v[i].before);
        stats_counts_add(&sum.flow, &l.v[i].flow);
    }
    if (!rc) acc_figures(&sum, out);
    free(l.v);
    return rc;
}

int store_stats_figures_units(struct store *s, const struct stats_query *q, int n,
                              const char *const *units, struct stats_figures *out, struct err *e)
{
    if (n <= 0) return 0;
    if (q->to_day < q->from_day)
        return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    if ((q->procedure && *q->procedure) || (q->field && *q->field) || q->channel >= 0) {
        for (int i = 0; i < n; i++) {
            struct stats_query one = *q;
            one.unit = units[i];
            int rc = store_stats_figures(s, &one, &out[i], e);
            if (rc) return rc;
        }
        return 0;
    }
    int rc = sq_stats_flush(s, e); /* this transaction's own changes count too */
    if (rc) return rc;
    struct unit u;
    for (int i = 0; i < n; i++)
        if ((rc = store_unit_get(s, units[i], &u, e))) return rc;
    struct sq_code_pos *pos = malloc(sizeof *pos * (size_t)n);
    struct unit_acc *sum = calloc((size_t)n, sizeof *sum);
    struct acc_list l = {0};
    if (!pos || !sum) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++)
        pos[i] = (struct sq_code_pos){units[i], i};
    sq_code_pos_sort(pos, n);
    rc = collect(s, q->from_day, q->to_day, q->unit && *q->unit ? q->unit : NULL, &l, e);
    /* Each unit with counters adds to every listed unit on its chain of parents (itself
     * included): the recursive subtree of store_stats_figures, walked upwards. */
    for (int a = 0; !rc && a < l.n; a++) {
        char code[UNIT_CODE_MAX];
        snprintf(code, sizeof code, "%s", l.v[a].unit);
        for (int depth = 0; code[0] && depth < 64; depth++) {
            for (int k = sq_code_lower_bound(pos, n, sq_code_pos_at, code);
                 k < n && !strcmp(pos[k].code, code); k++) {
                stats_counts_add(&sum[pos[k].i].before, &l.v[a].before);
                stats_counts_add(&sum[pos[k].i].flow, &l.v[a].flow);
            }
            if (q->unit && *q->unit && !strcmp(code, q->unit)) break;
            struct err ue = {0};
            if (store_unit_get(s, code, &u, &ue)) break; /* counters of a unit since removed */
            snprintf(code, sizeof code, "%s", u.parent);
        }
    }
    for (int i = 0; !rc && i < n; i++)
        acc_figures(&sum[i], &out[i]);
out:
    free(pos);
    free(sum);
    free(l.v);
    return rc;
}

/* ---- the baseline: the same figures by GROUP BY over the raw dossier rows ------------ */

/* Flow and stock figures straight from dossiers (no counters): received by channel,
 * solved early / on time / late, refused / withdrawn / cancelled, carried over and in
 * progress / overdue, per unit. Ratings, fees and digitisation are left out: the baseline
 * exists to time the dashboard's core and to cross-check the counters. */
static const char SQL_RAW[] =
    "SELECT unit_code,"
    " sum(CASE WHEN received_at >= ?1 AND received_at < ?2 THEN 1 ELSE 0 END),"
    " sum(CASE WHEN received_at >= ?1 AND received_at < ?2 AND channel = 'direct' THEN 1 ELSE 0 "
    "END),"
    " sum(CASE WHEN received_at >= ?1 AND received_at < ?2 AND channel = 'online' THEN 1 ELSE 0 "
    "END),"
    " sum(CASE WHEN received_at >= ?1 AND received_at < ?2 AND channel = 'postal' THEN 1 ELSE 0 "
    "END),"
    " sum(CASE WHEN status IN ('result_ready', 'returned') AND result_at >= ?1 AND result_at < ?2 "
    "AND result_at / 1440 < due_at / 1440 AND (stopped_at = 0 OR stopped_at >= result_at) "
    "THEN 1 ELSE 0 END),"
    " sum(CASE WHEN status IN ('result_ready', 'returned') AND result_at >= ?1 AND result_at < ?2 "
    "AND (stopped_at = 0 OR stopped_at >= result_at) AND result_at <= due_at "
    "AND result_at / 1440 = due_at / 1440 THEN 1 ELSE 0 END),"
    " sum(CASE WHEN status IN ('result_ready', 'returned') AND result_at >= ?1 AND result_at < ?2 "
    "AND (stopped_at = 0 OR stopped_at >= result_at) AND result_at > due_at THEN 1 ELSE 0 END),"
    " sum(CASE WHEN status = 'refused' AND closed_at >= ?1 AND closed_at < ?2 THEN 1 ELSE 0 END),"
    " sum(CASE WHEN status = 'withdrawn' AND closed_at >= ?1 AND closed_at < ?2 THEN 1 ELSE 0 "
    "END),"
    " sum(CASE WHEN status = 'cancelled' AND closed_at >= ?1 AND closed_at < ?2 THEN 1 ELSE 0 "
    "END),"
    " sum(CASE WHEN received_at < ?1 AND (status NOT IN ('result_ready', 'returned', 'refused', "
    "'withdrawn', 'cancelled') OR (CASE WHEN result_at > 0 THEN result_at ELSE closed_at END) >= "
    "?1) THEN 1 ELSE 0 END),"
    " sum(CASE WHEN (status NOT IN ('result_ready', 'returned', 'refused', 'withdrawn', "
    "'cancelled') OR (CASE WHEN result_at > 0 THEN result_at ELSE closed_at END) >= ?2) THEN 1 "
    "ELSE 0 END),"
    " sum(CASE WHEN (status NOT IN ('result_ready', 'returned', 'refused', 'withdrawn', "
    "'cancelled') OR (CASE WHEN result_at > 0 THEN result_at ELSE closed_at END) >= ?2) "
    "AND due_at / 1440 < ?2 / 1440 AND NOT (status IN ('supplement_requested', 'paused') AND "
    "stopped_at > 0 AND stopped_at <= due_at) THEN 1 ELSE 0 END)"
    " FROM dossiers WHERE received_at > 0 AND received_at < ?2 GROUP BY unit_code ORDER BY "
    "unit_code";

int store_stats_by_unit_raw(struct store *s, int64_t from, int64_t to, stats_raw_fn fn, void *ctx,
                            struct err *e)
{
    if (to < from) return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_RAW, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, from * MINUTES_PER_DAY);
    db_bind_int64(st, 2, (to + 1) * MINUTES_PER_DAY);
    int src = DB_DONE, urc = 0;
    while (!urc && (src = db_step(st)) == DB_ROW) {
        struct stats_raw r;
        memset(&r, 0, sizeof r);
        snprintf(r.unit, sizeof r.unit, "%s", db_col_text(st, 0));
        int64_t *v[] = {&r.received,           &r.received_direct, &r.received_online,
                        &r.received_postal,    &r.solved_early,    &r.solved_on_time,
                        &r.solved_late,        &r.refused,         &r.withdrawn,
                        &r.cancelled,          &r.carried_over,    &r.in_progress,
                        &r.in_progress_overdue};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            *v[i] = db_col_int64(st, 1 + (int)i);
        urc = fn(&r, ctx);
    }
    rc = urc ? urc : src == DB_DONE ? 0 : sq_fail(s, src, "statistics: raw dashboard", e);
    sq_done(s, st);
    return rc;
}

/* ---- drill-down ---------------------------------------------------------------------- */

struct drill {
    struct store *s;
    int figure;
    int64_t from, to;
    const char *procedure, *field;
    int channel;
    dossier_fn fn;
    void *ctx;
    int rc;
    struct err *e;
};

static const char SQL_PROC_FIELD[] = "SELECT field FROM procedures WHERE code = ?";

static int field_matches(struct store *s, const char *proc, const char *field, int *ok,
                         struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PROC_FIELD, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, proc);
    *ok = 0;
    if ((rc = db_step(st)) == DB_ROW) {
        const char *f = db_col_text(st, 0);
        *ok = f && !strcmp(f, field);
        rc = 0;
    } else
        rc = rc == DB_DONE ? 0 : sq_fail(s, rc, "statistics: field", e);
    sq_done(s, st);
    return rc;
}

static int drill_dossier(const struct dossier *d, void *ctx)
{
    struct drill *x = ctx;
    if (x->procedure && *x->procedure && strcmp(d->procedure, x->procedure)) return 0;
    struct stats_extra ex;
    struct stats_dossier sd;
    if ((x->rc = stats_extra_of(x->s, d, &ex, x->e))) return 1;
    stats_dossier_of(d, &ex, &sd);
    if (x->channel >= 0 && (int)sd.channel != x->channel) return 0;
    if (!stats_dossier_in(&sd, x->figure, x->from, x->to)) return 0;
    if (x->field && *x->field) {
        int ok;
        if ((x->rc = field_matches(x->s, d->procedure, x->field, &ok, x->e))) return 1;
        if (!ok) return 0;
    }
    return x->fn(d, x->ctx);
}

static int drill_unit(const struct unit *u, void *ctx)
{
    struct drill *x = ctx;
    struct dossier_filter f = {
        .unit = u->code, .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = x->to};
    int rc = store_dossier_list(x->s, &f, drill_dossier, x, x->e);
    return x->rc ? x->rc : rc;
}

int store_stats_dossiers(struct store *s, const struct stats_query *q, int figure, dossier_fn fn,
                         void *ctx, struct err *e)
{
    if (figure < 0 || figure >= SF__COUNT)
        return err_set(e, ERR_INVALID, "figure", "%d: not a statistic", figure);
    if (q->to_day < q->from_day)
        return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    struct drill x = {s,  figure, q->from_day, q->to_day, q->procedure, q->field, q->channel,
                      fn, ctx,    0,           e};
    if (q->unit && *q->unit && q->own) {
        struct unit u;
        int rc = store_unit_get(s, q->unit, &u, e);
        return rc ? rc : drill_unit(&u, &x);
    }
    if (q->unit && *q->unit) return store_unit_subtree(s, q->unit, UNIT_DAY_MIN, drill_unit, &x, e);
    return store_unit_list(s, UNIT_DAY_MIN, drill_unit, &x, e);
}

/* ---- officers ------------------------------------------------------------------------ */

static const char SQL_OFFICERS[] =
    "WITH RECURSIVE sub(code) AS (SELECT code FROM units WHERE CAST(?1 AS TEXT) IS NULL OR code = "
    "?1 "
    "UNION SELECT u.code FROM units u JOIN sub ON u.parent = sub.code) "
    "SELECT g.unit_code, g.officer, g.step, g.done, g.late, u.full_name FROM "
    "(SELECT unit_code, officer, step, sum(done) AS done, sum(late) AS late FROM stats_steps "
    "WHERE day BETWEEN ?2 AND ?3 AND unit_code IN (SELECT code FROM sub) "
    "GROUP BY unit_code, officer, step) g LEFT JOIN users u ON u.username = g.officer "
    "ORDER BY g.late DESC, g.unit_code, g.officer, g.step";

int store_stats_officers(struct store *s, const struct stats_query *q, stats_officer_fn fn,
                         void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_OFFICERS, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, q->unit);
    db_bind_int64(st, 2, q->from_day);
    db_bind_int64(st, 3, q->to_day);
    int src = DB_DONE, urc = 0;
    while (!urc && (src = db_step(st)) == DB_ROW) {
        struct stats_officer o;
        sq_col_text(st, 0, o.unit, sizeof o.unit);
        sq_col_text(st, 1, o.officer, sizeof o.officer);
        o.step = (int)db_col_int64(st, 2);
        o.done = db_col_int64(st, 3);
        o.late = db_col_int64(st, 4);
        sq_col_text(st, 5, o.name, sizeof o.name); /* "" when the actor has no account */
        urc = fn(&o, ctx);
    }
    rc = urc ? urc : src == DB_DONE ? 0 : sq_fail(s, src, "statistics: officers", e);
    sq_done(s, st);
    return rc;
}

/* The dossiers behind an officer's step figures: step `step` of a dossier of the subtree,
 * finished in the period with a judged outcome (late only when late_only) by officer ("" for
 * steps without one) — the same steps step_cells counts into stats_steps. */
static const char SQL_STEP_DOSSIERS[] =
    "WITH RECURSIVE sub(code) AS (SELECT code FROM units WHERE CAST(?1 AS TEXT) IS NULL OR code = "
    "?1 "
    "UNION SELECT u.code FROM units u JOIN sub ON u.parent = sub.code) "
    "SELECT d.code FROM dossier_steps ds JOIN dossiers d ON d.id = ds.dossier_id "
    "WHERE d.unit_code IN (SELECT code FROM sub) AND coalesce(ds.officer, '') = ?2 "
    "AND ds.seq = ?3 AND ds.finished_at >= ?4 AND ds.finished_at < ?5 "
    "AND ds.outcome IS NOT NULL AND (?6 = 0 OR ds.outcome = 'late') ORDER BY d.unit_code, d.code";

int store_stats_step_dossiers(struct store *s, const struct stats_query *q, const char *officer,
                              int step, int late_only, dossier_fn fn, void *ctx, struct err *e)
{
    if (q->to_day < q->from_day)
        return err_set(e, ERR_INVALID, "period", "the period ends before it starts");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_STEP_DOSSIERS, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, q->unit && *q->unit ? q->unit : NULL);
    db_bind_text(st, 2, officer ? officer : "");
    db_bind_int64(st, 3, step);
    db_bind_int64(st, 4, q->from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 5, (q->to_day + 1) * MINUTES_PER_DAY);
    db_bind_int64(st, 6, late_only != 0);
    /* the codes first: fn may use the store */
    char(*codes)[DOSSIER_CODE_LEN] = NULL;
    size_t n = 0, cap = 0;
    int src;
    while ((src = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            void *v = realloc(codes, nc * sizeof *codes);
            if (!v) {
                src = DB_ERROR;
                break;
            }
            codes = v, cap = nc;
        }
        sq_col_text(st, 0, codes[n++], sizeof codes[0]);
    }
    rc = src == DB_DONE ? 0 : sq_fail(s, src, "statistics: step dossiers", e);
    sq_done(s, st);
    struct dossier *d = rc ? NULL : malloc(sizeof *d);
    if (!rc && !d) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        if (!(rc = store_dossier_get(s, codes[i], d, e))) rc = fn(d, ctx);
    free(d);
    free(codes);
    return rc;
}
