/* test_stats_store.c — the incremental statistics in the SQLite store on a seeded year: a
 * reproducible generator drives ~1500 dossiers of three communes through the real store
 * (receptions, steps, supplements, refusals, withdrawals, late results, returns, illegal
 * actions); then the counters kept by the hook must equal a rebuild from the dossiers, the
 * dashboard must equal a GROUP BY over the raw rows, each drill-down list must be as long as
 * its figure, a province equals the sum of its communes, and a refused action changes no
 * counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "dossier.h"
#include "stats.h"
#include "db.h"
#include "testdb.h"
#include "store.h"
#include "store_int.h"

static struct calendar *cal;
static struct store *db;
static struct tmpdb tdb;
static const char *path = tdb.path;
static struct procedure procs[2];
static const char *const communes[3] = {"XA-A", "XA-B", "XA-C"};
static uint64_t rng = 20240101;
static int n_refused_actions, n_rated;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33) % n;
}

static void put_unit(const char *code, const char *parent, enum unit_kind kind, const char *ident)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "Đơn vị %s", code);
    u.kind = kind;
    snprintf(u.parent, sizeof u.parent, "%s", parent ? parent : "");
    snprintf(u.ident_code, sizeof u.ident_code, "%s", ident);
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct err e = {0};
    if (store_unit_put(db, &u, &e)) fail_msg("unit: %s", e.msg);
}

static void make_proc(struct procedure *p, const char *code, const char *name, const char *field,
                      int days, enum online_mode online, int64_t fee)
{
    memset(p, 0, sizeof *p);
    snprintf(p->code, sizeof p->code, "%s", code);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->field, sizeof p->field, "%s", field);
    p->level = LEVEL_COMMUNE;
    p->time_amount = days;
    p->time_unit = TIME_WORKING_DAYS;
    p->online = online;
    p->fee_vnd = fee;
    p->ndocs = 1;
    snprintf(p->docs[0], sizeof p->docs[0], "Tờ khai");
    p->nsteps = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(p->steps[i].name, sizeof p->steps[i].name, "Bước %d", i + 1);
        p->steps[i].role = i ? ROLE_LEADER : ROLE_SPECIALIST;
        p->steps[i].unit_kind = -1;
        p->steps[i].share_unit = SHARE_PERCENT;
        p->steps[i].share = 50;
    }
    struct err e = {0};
    if (store_procedure_put(db, p, &e)) fail_msg("procedure: %s", e.msg);
}

/* A working instant of 2024 at or after t (08:00–16:00 on a working day). */
static int64_t working_after(int64_t t)
{
    int64_t day = instant_day(t);
    while (!calendar_is_working(cal, day))
        day++;
    int64_t start = day * MINUTES_PER_DAY + 8 * 60;
    return t > start ? t : start;
}

static int act(const char *code, enum dossier_action a, int64_t at, const char *actor)
{
    struct dossier_change c = {.code = code,
                               .action = a,
                               .at = at,
                               .actor = actor,
                               .officer = actor,
                               .new_due_at = at + 5 * MINUTES_PER_DAY};
    struct err e = {0};
    int rc = store_dossier_apply(db, cal, &c, NULL, &e);
    if (rc && rc != ERR_CONFLICT && rc != ERR_INVALID) fail_msg("%s: %s", code, e.msg);
    if (rc) n_refused_actions++;
    return rc;
}

/* One dossier's life: reception, steps, maybe a supplement, an end, maybe a return. */
static void one_dossier(int64_t day)
{
    static const char *const officers[4] = {"cv.an", "cv.binh", "cv.chi", "ld.dung"};
    const struct procedure *p = &procs[rnd(2)];
    struct dossier_intake in = {.unit = communes[rnd(3)],
                                .procedure = p->code,
                                .channel = (enum dossier_channel)rnd(3),
                                .at = working_after(day * MINUTES_PER_DAY + rnd(9 * 60)),
                                .actor = "cb.motcua",
                                .receive = rnd(20) != 0,
                                .fee_paid_online = (int)rnd(2),
                                .digitised = (int)rnd(2),
                                .proc = p};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Trần Văn %c", 'A' + (int)rnd(26));
    struct dossier d;
    struct err e = {0};
    if (store_dossier_create(db, cal, &in, &d, &e)) fail_msg("create: %s", e.msg);
    int64_t t = in.at;
    const char *who = officers[rnd(4)];
    if (!in.receive) {
        if (rnd(2))
            act(d.code, DA_RECEIVE, t += 60 + rnd(3000), "cb.motcua");
        else
            return;
    }
    if (rnd(40) == 0) {
        act(d.code, DA_RETURN, t += 10, who); /* illegal: nothing ready */
    }
    act(d.code, DA_ADVANCE, t = working_after(t + 30 + rnd(2000)), who);
    if (rnd(8) == 0) {
        act(d.code, DA_REQUEST_SUPPLEMENT, t += 60 + rnd(3000), who);
        if (rnd(4) == 0) return; /* still waiting for the applicant */
        act(d.code, DA_SUPPLEMENT_RECEIVED, t = working_after(t + rnd(6000)), "cb.motcua");
    }
    uint32_t end = rnd(100);
    if (end < 4) {
        act(d.code, DA_REFUSE, t += 60 + rnd(5000), who);
        return;
    }
    if (end < 7) {
        act(d.code, DA_WITHDRAW, t += 60 + rnd(5000), "cb.motcua");
        return;
    }
    if (end < 9) {
        act(d.code, DA_CANCEL, t += 60 + rnd(5000), who);
        return;
    }
    if (end < 15) return; /* still in progress */
    act(d.code, DA_ADVANCE, t = working_after(t + rnd(4000)), officers[3]);
    t = working_after(t + rnd(p->time_amount * 2200 + 1));
    if (rnd(6) == 0) act(d.code, DA_APOLOGISE, t, officers[3]); /* legal only if late */
    act(d.code, DA_FINISH, t += 30, officers[3]);
    if (!rnd(5)) return;
    int64_t back = working_after(t + rnd(4000));
    if (act(d.code, DA_RETURN, back, "cb.motcua") || rnd(3) == 0) return;
    /* the applicant rates the service (1..5) */
    if (store_dossier_rate(db, d.code, 1 + (int)rnd(5), back + (int64_t)rnd(3000), NULL, &e))
        fail_msg("rate %s: %s", d.code, e.msg);
    n_rated++;
}

static int seed_tx(struct store *s, void *ctx, struct err *e)
{
    (void)s, (void)ctx, (void)e;
    int64_t d0 = ymd_to_days((struct ymd){2024, 1, 2});
    for (int i = 0; i < 1500; i++)
        one_dossier(d0 + (int64_t)i * 350 / 1500);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2023, 2026, NULL, &cal, &e)) return -1;
    tmpdb_make(&tdb);
    if (store_open(path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    put_unit("TINH", NULL, UNIT_PROVINCE, "000.00.00.H29");
    put_unit("XA-A", "TINH", UNIT_COMMUNE, "000.01.01.H29");
    put_unit("XA-B", "TINH", UNIT_COMMUNE, "000.01.02.H29");
    put_unit("XA-C", "TINH", UNIT_WARD, "000.01.03.H29");
    make_proc(&procs[0], "1.001193", "Đăng ký khai sinh", "Hộ tịch", 5, ONLINE_FULL, 0);
    make_proc(&procs[1], "2.000908", "Chứng thực bản sao từ bản chính", "Chứng thực", 2,
              ONLINE_PARTIAL, 2000);
    if (store_tx(db, seed_tx, NULL, &e)) {
        fprintf(stderr, "seed: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    calendar_free(cal);
    tmpdb_remove(&tdb);
    return 0;
}

/* Every non-zero counter row, as text, in key order (a second connection reads the file). */
static char *dump(void)
{
    struct db *h;
    struct err e = {0};
    if (db_open(path, &h, &e)) fail_msg("open %s: %s", path, e.msg);
    char nz[1024] = "0";
    for (int c = 0; c < SC__COUNT; c++) {
        size_t l = strlen(nz);
        snprintf(nz + l, sizeof nz - l, " + abs(%s)", stats_counter_name(c));
    }
    char q[7][1400];
    snprintf(q[0], sizeof q[0], "SELECT * FROM stats_day WHERE %s <> 0 ORDER BY 1, 2, 3, 4", nz);
    snprintf(q[1], sizeof q[1], "SELECT * FROM stats_month WHERE %s <> 0 ORDER BY 1, 2", nz);
    snprintf(q[2], sizeof q[2], "SELECT * FROM stats_steps WHERE done <> 0 ORDER BY 1, 2, 3, 4");
    snprintf(q[3], sizeof q[3], "SELECT * FROM stats_unit_day WHERE %s <> 0 ORDER BY 1, 2", nz);
    /* the years' carry (migration 053), its rows of zeros too: one per unit and year */
    snprintf(q[4], sizeof q[4], "SELECT * FROM stats_carry ORDER BY 1, 2");
    /* the procedures' months and carry (migration 054) */
    snprintf(q[5], sizeof q[5], "SELECT * FROM stats_proc_month WHERE %s <> 0 ORDER BY 1, 2, 3, 4",
             nz);
    snprintf(q[6], sizeof q[6], "SELECT * FROM stats_proc_carry ORDER BY 1, 2, 3, 4");
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    for (int i = 0; i < 7; i++) {
        struct db_stmt *st;
        if (db_prepare(h, q[i], &st)) fail_msg("%s", db_errmsg(h));
        while (db_step(st) == DB_ROW) {
            for (int c = 0; c < db_col_count(st); c++) {
                const char *v = db_col_text(st, c);
                size_t need = strlen(v ? v : "") + 2;
                if (len + need >= cap) out = realloc(out, cap *= 2);
                len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "",
                                        c + 1 < db_col_count(st) ? '|' : '\n');
            }
        }
        db_finalize(st);
    }
    out[len] = '\0';
    db_close(h);
    return out;
}

static void test_rebuild_equals_incremental(void **state)
{
    (void)state;
    /* two dossiers of earlier years, each in transactions of its own after the seed's:
     * their deltas go into the carry of the later years, which exist by now, and 2023's
     * carry is made (zeros: nothing before it) */
    one_dossier(ymd_to_days((struct ymd){2024, 11, 20}));
    one_dossier(ymd_to_days((struct ymd){2023, 6, 5}));
    char *inc = dump();
    assert_true(strlen(inc) > 10000); /* a real year, not an empty table */
    int64_t n = 0;
    struct err e = {0};
    if (store_stats_rebuild(db, &n, &e)) fail_msg("rebuild: %s", e.msg);
    assert_int_equal(n, 1502);
    char *reb = dump();
    if (strcmp(inc, reb)) {
        size_t i = 0;
        while (inc[i] == reb[i])
            i++;
        while (i > 0 && inc[i - 1] != '\n')
            i--;
        fail_msg("incremental and rebuilt counters differ at:\n  inc: %.160s\n  reb: %.160s",
                 inc + i, reb + i);
    }
    free(inc);
    free(reb);
    assert_true(n_refused_actions > 10); /* the generator did try illegal actions */
    assert_true(n_rated > 100);
}

struct cmp_ctx {
    struct store *s;
    int64_t from, to;
    int units;
    struct stats_figures f[4];
    char unit[4][UNIT_CODE_MAX];
};

static int keep_unit(const char *unit, const struct stats_figures *f, void *ctx)
{
    struct cmp_ctx *x = ctx;
    if (x->units < 4) {
        x->f[x->units] = *f;
        snprintf(x->unit[x->units], sizeof x->unit[0], "%s", unit);
    }
    x->units++;
    return 0;
}

static int check_raw(const struct stats_raw *r, void *ctx)
{
    struct cmp_ctx *x = ctx;
    const struct stats_figures *f = NULL;
    for (int i = 0; i < x->units && i < 4; i++)
        if (!strcmp(x->unit[i], r->unit)) f = &x->f[i];
    if (!f) fail_msg("raw has unit %s, the dashboard has not", r->unit);
    const int64_t *c = f->flow.c;
    int64_t got[] = {c[SC_RECEIVED],        c[SC_RECV_DIRECT],  c[SC_RECV_ONLINE],
                     c[SC_RECV_POSTAL],     c[SC_SOLVED_EARLY], c[SC_SOLVED_ON_TIME],
                     c[SC_SOLVED_LATE],     c[SC_REFUSED],      c[SC_WITHDRAWN],
                     c[SC_CANCELLED],       f->carried_over,    f->in_progress,
                     f->in_progress_overdue};
    int64_t want[] = {r->received,           r->received_direct, r->received_online,
                      r->received_postal,    r->solved_early,    r->solved_on_time,
                      r->solved_late,        r->refused,         r->withdrawn,
                      r->cancelled,          r->carried_over,    r->in_progress,
                      r->in_progress_overdue};
    for (size_t i = 0; i < sizeof got / sizeof got[0]; i++)
        if (got[i] != want[i])
            fail_msg("%s figure #%zu: dashboard %lld, raw GROUP BY %lld", r->unit, i,
                     (long long)got[i], (long long)want[i]);
    return 0;
}

static void period(const char *p, int64_t *from, int64_t *to)
{
    struct err e = {0};
    if (stats_period_parse(p, from, to, &e)) fail_msg("%s", e.msg);
}

static void test_dashboard_equals_raw(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024",
                                          "2024-Q1",
                                          "2024-06",
                                          "2024-03-15..2024-09-20",
                                          "2024-9M",
                                          "2025-01",
                                          "2023-05-10..2025-02-03",
                                          "2025-03-01..2025-04-30"};
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        struct cmp_ctx x = {.s = db};
        struct err e = {0};
        period(periods[i], &x.from, &x.to);
        if (store_stats_by_unit(db, x.from, x.to, keep_unit, &x, &e)) fail_msg("%s", e.msg);
        assert_int_equal(x.units, 3);
        if (store_stats_by_unit_raw(db, x.from, x.to, check_raw, &x, &e)) fail_msg("%s", e.msg);
        /* the province (subtree) is the sum of its communes */
        struct stats_query q = {.unit = "TINH", .channel = -1, .from_day = x.from, .to_day = x.to};
        struct stats_figures prov;
        if (store_stats_figures(db, &q, &prov, &e)) fail_msg("%s", e.msg);
        for (int fig = 0; fig < SF__COUNT; fig++) {
            int64_t sum = 0;
            for (int u = 0; u < 3; u++)
                sum += stats_figure_value(&x.f[u], fig);
            if (sum != stats_figure_value(&prov, fig))
                fail_msg("%s %s: province %lld, communes %lld", periods[i], stats_figure_name(fig),
                         (long long)stats_figure_value(&prov, fig), (long long)sum);
        }
        assert_int_equal(prov.received_total, prov.finished + prov.in_progress);
    }
}

/* store_stats_figures_units (the 766 index's children in one pass) gives each listed unit the
 * figures store_stats_figures gives it alone: a parent listed (its counters are its
 * children's), a unit listed twice, in any order, under any root, with a filter. */
static void test_figures_units_equal_one_by_one(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024", "2024-03-15..2024-09-20", "2025-01"};
    static const char *const units[] = {"XA-C", "TINH", "XA-A", "TINH", "XA-B"};
    static const char *const roots[] = {NULL, "TINH"};
    const int n = (int)(sizeof units / sizeof units[0]);
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
        for (int r = 0; r < 2; r++)
            for (int channel = -1; channel <= 0; channel++) {
                struct err e = {0};
                struct stats_query q = {.unit = roots[r], .channel = channel};
                period(periods[i], &q.from_day, &q.to_day);
                struct stats_figures all[5];
                if (store_stats_figures_units(db, &q, n, units, all, &e)) fail_msg("%s", e.msg);
                for (int u = 0; u < n; u++) {
                    struct stats_query one = q;
                    one.unit = units[u];
                    struct stats_figures f;
                    if (store_stats_figures(db, &one, &f, &e)) fail_msg("%s", e.msg);
                    for (int fig = 0; fig < SF__COUNT; fig++)
                        if (stats_figure_value(&f, fig) != stats_figure_value(&all[u], fig))
                            fail_msg("%s root %s channel %d %s %s: alone %lld, batched %lld",
                                     periods[i], roots[r] ? roots[r] : "-", channel, units[u],
                                     stats_figure_name(fig), (long long)stats_figure_value(&f, fig),
                                     (long long)stats_figure_value(&all[u], fig));
                }
                if (i == 0) assert_true(all[1].received_total > 0);
            }
    struct err e = {0};
    struct stats_query q = {.unit = "TINH", .channel = -1, .from_day = 10, .to_day = 5};
    struct stats_figures f[1];
    assert_int_equal(store_stats_figures_units(db, &q, 1, units, f, &e), ERR_INVALID);
    static const char *const missing[] = {"NO-SUCH"};
    q.from_day = 5, q.to_day = 10;
    assert_int_equal(store_stats_figures_units(db, &q, 1, missing, f, &e), ERR_NOT_FOUND);
}

/* Figures filtered by channel, by procedure or by field (stats_proc_month and its carry,
 * migration 054) add up to the unfiltered figures (stats_month and stats_carry): two roll-ups
 * kept apart, for periods inside a year, across years and cut at days. */
static void test_filters_add_up(void **state)
{
    (void)state;
    static const char *const periods[] = {"2024",       "2024-03-15..2024-09-20", "2025-01",
                                          "2025-Q1",    "2023-05-10..2025-02-03", "2024-07",
                                          "2024-12-20", "2025-01-01..2025-01-31"};
    static const char *const units[] = {"TINH", "XA-A", NULL};
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
        for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
            struct err e = {0};
            struct stats_query q = {.unit = units[u], .channel = -1};
            period(periods[i], &q.from_day, &q.to_day);
            struct stats_figures whole, part[3][3];
            if (store_stats_figures(db, &q, &whole, &e)) fail_msg("%s", e.msg);
            for (int k = 0; k < 3; k++) { /* channels, procedures, fields */
                struct stats_query f = q;
                if (k == 0) f.channel = 0;
                if (k == 1) f.procedure = procs[0].code;
                if (k == 2) f.field = procs[0].field;
                for (int v = 0; v < (k ? 2 : 3); v++) {
                    if (k == 0) f.channel = v;
                    if (k == 1) f.procedure = procs[v].code;
                    if (k == 2) f.field = procs[v].field;
                    if (store_stats_figures(db, &f, &part[k][v], &e)) fail_msg("%s", e.msg);
                }
            }
            for (int fig = 0; fig < SF__COUNT; fig++)
                for (int k = 0; k < 3; k++) {
                    int64_t sum = 0;
                    for (int v = 0; v < (k ? 2 : 3); v++)
                        sum += stats_figure_value(&part[k][v], fig);
                    if (sum != stats_figure_value(&whole, fig))
                        fail_msg("%s %s %s: whole %lld, by %s %lld", periods[i],
                                 units[u] ? units[u] : "-", stats_figure_name(fig),
                                 (long long)stats_figure_value(&whole, fig),
                                 k == 0   ? "channel"
                                 : k == 1 ? "procedure"
                                          : "field",
                                 (long long)sum);
                }
            if (i == 0) assert_true(whole.received_total > 400);
            if (i == 2) assert_true(whole.carried_over > 0); /* 2024's open dossiers */
        }
}

static int count_dossier(const struct dossier *d, void *ctx)
{
    (void)d;
    (*(int64_t *)ctx)++;
    return 0;
}

static void test_drilldown_lengths(void **state)
{
    (void)state;
    struct stats_query q = {.unit = "TINH", .channel = -1};
    period("2024-Q2", &q.from_day, &q.to_day);
    struct stats_figures f;
    struct err e = {0};
    if (store_stats_figures(db, &q, &f, &e)) fail_msg("%s", e.msg);
    int nonzero = 0;
    for (int fig = 0; fig < SF__COUNT; fig++) {
        int64_t n = 0;
        if (store_stats_dossiers(db, &q, fig, count_dossier, &n, &e)) fail_msg("%s", e.msg);
        if (n != stats_figure_value(&f, fig))
            fail_msg("%s: figure %lld, drill-down lists %lld", stats_figure_name(fig),
                     (long long)stats_figure_value(&f, fig), (long long)n);
        nonzero += n > 0;
    }
    assert_true(nonzero >= 15);
    /* one commune, one procedure, one channel */
    q = (struct stats_query){.unit = "XA-B", .procedure = "2.000908", .channel = STATS_ONLINE};
    period("2024-H2", &q.from_day, &q.to_day);
    if (store_stats_figures(db, &q, &f, &e)) fail_msg("%s", e.msg);
    int64_t n = 0;
    if (store_stats_dossiers(db, &q, SC_RECEIVED, count_dossier, &n, &e)) fail_msg("%s", e.msg);
    assert_int_equal(n, f.flow.c[SC_RECEIVED]);
    assert_true(n > 0);
    q.field = "Hộ tịch"; /* not this procedure's field */
    if (store_stats_figures(db, &q, &f, &e)) fail_msg("%s", e.msg);
    assert_int_equal(f.flow.c[SC_RECEIVED], 0);
}

static void test_refused_action_changes_nothing(void **state)
{
    (void)state;
    struct dossier_intake in = {
        .unit = "XA-A",
        .procedure = "1.001193",
        .channel = CHANNEL_DIRECT,
        .at = working_after(ymd_to_days((struct ymd){2024, 12, 2}) * MINUTES_PER_DAY),
        .actor = "cb.motcua",
        .receive = 1};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Lê Thị Hoa");
    struct dossier d;
    struct err e = {0};
    if (store_dossier_create(db, cal, &in, &d, &e)) fail_msg("%s", e.msg);
    char *before = dump();
    assert_int_equal(act(d.code, DA_RETURN, in.at + 60, "cb.motcua"), ERR_CONFLICT);
    assert_int_equal(act(d.code, DA_FINISH, in.at - 600, "cb.motcua"), ERR_CONFLICT);
    char *after = dump();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* Received on `day` at XA-B by the counters, read inside the current transaction. */
static int64_t received_on(struct store *s, int64_t day)
{
    struct stats_query q = {.unit = "XA-B", .channel = -1, .from_day = day, .to_day = day};
    struct stats_figures f;
    struct err e = {0};
    if (store_stats_figures(s, &q, &f, &e)) fail_msg("figures: %s", e.msg);
    return f.flow.c[SC_RECEIVED];
}

struct group {
    int64_t day, at;
    char a[DOSSIER_CODE_LEN];
};

static void receive_one(struct group *g, char *code)
{
    struct dossier_intake in = {.unit = "XA-B",
                                .procedure = "1.001193",
                                .channel = CHANNEL_ONLINE,
                                .at = g->at += 10,
                                .actor = "cb.motcua",
                                .receive = 1};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Phạm Văn Nhóm");
    struct dossier d;
    struct err e = {0};
    if (store_dossier_create(db, cal, &in, &d, &e)) fail_msg("create: %s", e.msg);
    if (code) snprintf(code, DOSSIER_CODE_LEN, "%s", d.code);
}

/* A nested transaction: one more dossier, counted by a read inside it, then a failure. */
static int failing_tx(struct store *s, void *ctx, struct err *e)
{
    struct group *g = ctx;
    receive_one(g, NULL);
    assert_int_equal(received_on(s, g->day), 3);
    return err_set(e, ERR_CONFLICT, "", "rolled back on purpose");
}

static int group_tx(struct store *s, void *ctx, struct err *e)
{
    struct group *g = ctx;
    receive_one(g, g->a);
    assert_int_equal(received_on(s, g->day), 1); /* written early for the read */
    /* more changes after that read, still pending when the nested transaction starts */
    receive_one(g, NULL);
    assert_int_equal(act(g->a, DA_ADVANCE, g->at += 10, "cv.an"), 0);
    assert_int_equal(act(g->a, DA_ADVANCE, g->at += 10, "ld.dung"), 0);
    assert_int_equal(store_tx(s, failing_tx, g, e), ERR_CONFLICT);
    assert_int_equal(received_on(s, g->day), 2);
    int rc = act(g->a, DA_FINISH, g->at += 10, "ld.dung");
    /* the events chain on the head as it was before the failed part, read in the transaction */
    struct audit_report r;
    if (!rc && (rc = store_audit_verify(s, &r, e))) return rc;
    if (!r.ok) fail_msg("audit inside the group: %s", r.problem);
    return 0;
}

/* Group commit: the hook's deltas wait for the commit, merged; reads inside the transaction
 * see them, and a nested transaction that fails after such a read takes back only its own. */
static void test_group_commit_rollback(void **state)
{
    (void)state;
    struct group g = {.day = ymd_to_days((struct ymd){2025, 3, 4})};
    g.at = working_after(g.day * MINUTES_PER_DAY);
    struct err e = {0};
    if (store_tx(db, group_tx, &g, &e)) fail_msg("group: %s", e.msg);
    assert_int_equal(received_on(db, g.day), 2);
    struct audit_report r;
    if (store_audit_verify(db, &r, &e)) fail_msg("audit: %s", e.msg);
    if (!r.ok) fail_msg("audit after the group: %s", r.problem);
    char *inc = dump();
    if (store_stats_rebuild(db, NULL, &e)) fail_msg("rebuild: %s", e.msg);
    char *reb = dump();
    assert_string_equal(inc, reb);
    free(inc);
    free(reb);
}

static void test_bad_queries(void **state)
{
    (void)state;
    struct err e = {0};
    struct stats_figures f;
    struct stats_query q = {.unit = "NO-SUCH", .channel = -1, .from_day = 1, .to_day = 2};
    assert_int_equal(store_stats_figures(db, &q, &f, &e), ERR_NOT_FOUND);
    q = (struct stats_query){.channel = -1, .from_day = 10, .to_day = 9};
    assert_int_equal(store_stats_figures(db, &q, &f, &e), ERR_INVALID);
    int64_t n = 0;
    q.from_day = 1, q.to_day = 2;
    assert_int_equal(store_stats_dossiers(db, &q, SF__COUNT, count_dossier, &n, &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rebuild_equals_incremental),
        cmocka_unit_test(test_dashboard_equals_raw),
        cmocka_unit_test(test_figures_units_equal_one_by_one),
        cmocka_unit_test(test_filters_add_up),
        cmocka_unit_test(test_drilldown_lengths),
        cmocka_unit_test(test_refused_action_changes_nothing),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_group_commit_rollback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
