/* bench/stats.c — the all-units dashboard from the statistics counters against the same
 * figures by a GROUP BY over the raw dossier rows, in the same run, on N dossiers of one
 * province-year (default 10,000,000), and the time to export that province-year's tracking
 * book (Mẫu 06) and periodic report as .xlsx through `cchc report`.
 *
 * The dossiers are written straight into the dossiers table by a generator here (the demo
 * units and catalogue, realistic channels, outcomes and times from the real calendar and
 * legal times), because `cchc seed` drives every dossier through the full lifecycle at about
 * a thousand dossiers a second, which would take hours for 10 M; the generated rows carry no
 * events (they are not an audit trail). The counters are then built by store_stats_rebuild —
 * the same contributions the per-event hook adds up (tests/unit/test_stats_store.c checks
 * rebuild == incremental) — and the bench checks that both paths give the same figures.
 *
 * usage: bench_stats [--dossiers N] [--db FILE] [--reuse] [--year Y] [--no-export] */
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "dossier.h"
#include "import.h"
#include "stats.h"
#include "store.h"
#include "store_int.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 766;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33) % n;
}

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "bench_stats: %s: %s\n", what, e ? e->msg : "");
    exit(1);
}

struct unit_row {
    char code[UNIT_CODE_MAX], ident[UNIT_IDENT_MAX], parent[UNIT_CODE_MAX];
    int kind;
};
struct proc_row {
    struct procedure p;
};
struct lists {
    int nu, np;
    struct unit_row u[512];
    struct proc_row *p;
    int year;
};

static int take_unit(const struct unit *u, void *ctx)
{
    struct lists *l = ctx;
    int64_t d0 = ymd_to_days((struct ymd){l->year, 1, 1});
    if (!u->ident_code[0] || l->nu == 512) return 0;
    if (u->kind != UNIT_COMMUNE && u->kind != UNIT_WARD && u->kind != UNIT_SPECIAL_ZONE &&
        u->kind != UNIT_DEPARTMENT)
        return 0;
    if (u->valid_to != UNIT_DAY_MAX && u->valid_to < d0) return 0;
    struct unit_row *r = &l->u[l->nu++];
    snprintf(r->code, sizeof r->code, "%s", u->code);
    snprintf(r->ident, sizeof r->ident, "%s", u->ident_code);
    snprintf(r->parent, sizeof r->parent, "%s", u->parent);
    r->kind = u->kind;
    return 0;
}

static int take_proc(const struct procedure *p, void *ctx)
{
    struct lists *l = ctx;
    struct proc_row *v = realloc(l->p, sizeof *v * (size_t)(l->np + 1));
    if (!v) return 1;
    l->p = v;
    l->p[l->np++].p = *p;
    return 0;
}

static void print_problem(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static const char SQL_INSERT[] =
    "INSERT INTO dossiers (code, unit_code, day, seq, procedure_code, channel, applicant_name, "
    "applicant_fold, status, resume_to, step, n_steps, submitted_at, received_at, due_at, "
    "result_at, returned_at, closed_at, last_at, outcome, fee_paid_online, digitised) "
    "VALUES (?,?,?,?,?,?,'Nguyễn Văn An','nguyen van an',?,'processing',?,?,?,?,?,?,?,?,?,?,?,?)";

/* Writes n dossiers of the year, unit by unit and day by day (so the code index grows in
 * order), with a realistic mix: 45% online, 5% postal; 3% refused, 2% withdrawn, 1%
 * cancelled; of the results 60% early, 30% on the due day, 10% late; returned mostly. */
static void generate(const char *path, struct lists *l, const struct calendar *cal, int64_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK) die("open", NULL);
    sqlite3_exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-1500000; BEGIN", 0, 0, 0);
    if (sqlite3_prepare_v2(db, SQL_INSERT, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_stats: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    int64_t d0 = ymd_to_days((struct ymd){l->year, 1, 1}),
            d1 = ymd_to_days((struct ymd){l->year, 12, 31});
    int64_t wd[400];
    int nwd = 0;
    for (int64_t d = d0; d <= d1; d++)
        if (calendar_is_working(cal, d)) wd[nwd++] = d;
    int64_t year_end = (d1 + 1) * MINUTES_PER_DAY;
    int64_t per_unit = (n + l->nu - 1) / l->nu, written = 0;
    static const char *const chan[] = {"direct", "online", "postal"};
    for (int u = 0; u < l->nu && written < n; u++) {
        int seq = 0;
        int64_t prev_day = -1;
        for (int64_t i = 0; i < per_unit && written < n; i++, written++) {
            int64_t day = wd[i * nwd / per_unit];
            seq = day == prev_day ? seq + 1 : 1;
            prev_day = day;
            const struct procedure *p = &l->p[rnd((uint32_t)l->np)].p;
            int64_t t = day * MINUTES_PER_DAY + 450 + (int64_t)seq * 540 / (per_unit / nwd + 2);
            int64_t due = 0;
            struct legal_time lt = {p->time_unit, p->time_amount};
            if (dossier_due(cal, t, lt, &due, NULL)) due = t + MINUTES_PER_DAY;
            uint32_t c = rnd(100);
            const char *channel = chan[c < 50 ? 0 : c < 95 ? 1 : 2];
            const char *status = "processing", *outcome = NULL;
            int64_t result = 0, ret = 0, closed = 0, last = t;
            uint32_t r = rnd(1000);
            if (r < 60) {
                status = r < 30 ? "refused" : r < 50 ? "withdrawn" : "cancelled";
                closed = t + 60 + rnd(3 * MINUTES_PER_DAY);
                outcome = "none";
            } else if (r < 90) {
                /* still open */
            } else {
                uint32_t k = rnd(100);
                int64_t span = due - t > 2 * MINUTES_PER_DAY ? due - t - MINUTES_PER_DAY : 60;
                if (k < 60)
                    result = t + 30 + rnd((uint32_t)span), outcome = "early";
                else if (k < 90)
                    result = due - 1 - rnd(420), outcome = "on_time";
                else
                    result = due + 1 + rnd(5 * MINUTES_PER_DAY), outcome = "late";
                if (result <= t) result = t + 1;
                if (outcome && !strcmp(outcome, "early") && instant_day(result) >= instant_day(due))
                    outcome = result <= due ? "on_time" : "late";
                status = "result_ready";
                if (rnd(10) < 9) ret = result + rnd(3 * MINUTES_PER_DAY), status = "returned";
            }
            if ((closed && closed >= year_end) || (result && result >= year_end))
                status = "processing", result = ret = closed = 0, outcome = NULL;
            if (ret >= year_end) ret = 0, status = "result_ready";
            last = closed > last ? closed : last;
            last = ret > last ? ret : result > last ? result : last;
            char code[40], dtxt[16];
            struct ymd y = days_to_ymd(day);
            snprintf(code, sizeof code, "%s-%02d%02d%02d-%04d", l->u[u].ident, y.y % 100, y.m, y.d,
                     seq);
            day_format(day, dtxt);
            int k = 1;
            sqlite3_bind_text(st, k++, code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, k++, l->u[u].code, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, k++, dtxt, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(st, k++, seq);
            sqlite3_bind_text(st, k++, p->code, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, k++, channel, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, k++, status, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, k++, strcmp(status, "processing") ? 0 : 1);
            sqlite3_bind_int(st, k++, p->nsteps > 0 ? p->nsteps : 1);
            sqlite3_bind_int64(st, k++, t);
            sqlite3_bind_int64(st, k++, t);
            sqlite3_bind_int64(st, k++, due);
            sqlite3_bind_int64(st, k++, result);
            sqlite3_bind_int64(st, k++, ret);
            sqlite3_bind_int64(st, k++, closed);
            sqlite3_bind_int64(st, k++, last);
            if (outcome)
                sqlite3_bind_text(st, k++, outcome, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, k++);
            sqlite3_bind_int(st, k++, p->fee_vnd != 0 && rnd(2));
            sqlite3_bind_int(st, k++, rnd(10) < 7);
            if (sqlite3_step(st) != SQLITE_DONE) {
                fprintf(stderr, "bench_stats: insert: %s\n", sqlite3_errmsg(db));
                exit(1);
            }
            sqlite3_reset(st);
            if (written % 1000000 == 999999) {
                sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
                if (isatty(2)) fprintf(stderr, "\r  %lld dossiers…", (long long)written + 1);
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    /* each dossier's province, as the store writes it (migration 037): its unit's root */
    sqlite3_exec(db,
                 "WITH RECURSIVE up(code, top, parent) AS (SELECT code, code, parent FROM units "
                 "UNION ALL SELECT up.code, u.code, u.parent FROM up JOIN units u ON u.code = "
                 "up.parent) UPDATE dossiers SET province = coalesce((SELECT top FROM up WHERE "
                 "up.code = dossiers.unit_code AND up.parent IS NULL), unit_code)",
                 0, 0, 0);
    sqlite3_close(db);
    if (isatty(2)) fprintf(stderr, "\r");
}

/* ---- the two dashboards ---- */

struct tally {
    int units;
    int64_t v[13];
};

static int dash_row(const char *unit, const struct stats_figures *f, void *ctx)
{
    (void)unit;
    struct tally *t = ctx;
    const int64_t *c = f->flow.c;
    int64_t x[13] = {c[SC_RECEIVED],        c[SC_RECV_DIRECT],  c[SC_RECV_ONLINE],
                     c[SC_RECV_POSTAL],     c[SC_SOLVED_EARLY], c[SC_SOLVED_ON_TIME],
                     c[SC_SOLVED_LATE],     c[SC_REFUSED],      c[SC_WITHDRAWN],
                     c[SC_CANCELLED],       f->carried_over,    f->in_progress,
                     f->in_progress_overdue};
    for (int i = 0; i < 13; i++)
        t->v[i] += x[i];
    t->units++;
    return 0;
}

static int raw_row(const struct stats_raw *r, void *ctx)
{
    struct tally *t = ctx;
    int64_t x[13] = {r->received,           r->received_direct, r->received_online,
                     r->received_postal,    r->solved_early,    r->solved_on_time,
                     r->solved_late,        r->refused,         r->withdrawn,
                     r->cancelled,          r->carried_over,    r->in_progress,
                     r->in_progress_overdue};
    for (int i = 0; i < 13; i++)
        t->v[i] += x[i];
    t->units++;
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static int64_t file_size(const char *p)
{
    struct stat s;
    return stat(p, &s) ? -1 : (int64_t)s.st_size;
}

/* Runs `cchc ARGS` from the bench's own build directory and returns the seconds it took. */
static double run_cchc(const char *self, const char *args)
{
    char dir[PATH_MAX], cmd[PATH_MAX * 2];
    snprintf(dir, sizeof dir, "%s", self);
    snprintf(cmd, sizeof cmd, "%s/cchc %s", dirname(dir), args);
    double t0 = now_s();
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_stats: failed: %s\n", cmd);
        return -1;
    }
    return now_s() - t0;
}

/* ---- the hook's cost per transition ---- */

struct hook_ctx {
    int n;
    struct dossier *d;
    double secs;
    int64_t calls;
};

static int pick_returned(const struct dossier *d, void *ctx)
{
    struct hook_ctx *h = ctx;
    h->d[h->n++] = *d;
    return 0;
}

/* Replays each picked dossier's life as the store would see it — reception, three steps,
 * result, return — timing only the hook, then rolls everything back (fn fails on purpose).
 * The picked dossiers exist already, so the replay first takes each one out (also timed, as
 * one more transition). */
static int hook_tx(struct store *s, void *ctx, struct err *e)
{
    struct hook_ctx *h = ctx;
    double t0 = now_s();
    for (int i = 0; i < h->n; i++) {
        const struct dossier *fin = &h->d[i];
        struct dossier st[6];
        st[0] = *fin; /* received, step 1 */
        st[0].st.status = DS_PROCESSING, st[0].st.step = 1;
        st[0].st.result_at = st[0].st.returned_at = 0;
        st[1] = st[0], st[1].st.step = 2;
        st[2] = st[1], st[2].st.step = 3;
        st[3] = *fin, st[3].st.status = DS_RESULT_READY, st[3].st.returned_at = 0;
        st[4] = *fin;
        if (store_stats_apply_event(s, fin, &st[0], e)) return ERR_INTERNAL; /* take out */
        for (int k = 1; k < 5; k++)
            if (store_stats_apply_event(s, &st[k - 1], &st[k], e)) return ERR_INTERNAL;
        h->calls += 5;
    }
    /* the hook queues deltas until the commit: writing them is part of its cost */
    if (store_stats_flush(s, e)) return ERR_INTERNAL;
    h->secs = now_s() - t0;
    return err_set(e, ERR_CONFLICT, "", "rolled back on purpose");
}

int main(int argc, char **argv)
{
    int64_t n = 10000000;
    const char *path = "bench-stats.db";
    int reuse = 0, do_export = 1, year = 2025;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dossiers") && i + 1 < argc)
            n = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "--year") && i + 1 < argc)
            year = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reuse"))
            reuse = 1;
        else if (!strcmp(argv[i], "--no-export"))
            do_export = 0;
        else {
            fprintf(stderr, "usage: bench_stats [--dossiers N] [--db FILE] [--reuse] [--year Y] "
                            "[--no-export]\n");
            return 2;
        }
    }
    const char *data = getenv("CCHC_DATA") ? getenv("CCHC_DATA") : CCHC_DATA_DIR;
    struct err e = {0};
    struct store *s;
    struct calendar *cal;
    char url[PATH_MAX + 32];
    struct lists l = {.year = year};
    if (calendar_load(data, year - 1, year + 1, NULL, &cal, &e)) die("calendar", &e);
    snprintf(url, sizeof url, "sqlite:%s?synchronous=normal", path);
    if (!reuse) {
        char f[PATH_MAX + 8];
        unlink(path);
        snprintf(f, sizeof f, "%s-wal", path), unlink(f);
        snprintf(f, sizeof f, "%s-shm", path), unlink(f);
    }
    if (store_open(url, &s, &e)) die("store", &e);
    if (!reuse) {
        char p[PATH_MAX];
        struct import_result r;
        snprintf(p, sizeof p, "%s/demo/units.csv", data);
        if (import_units(s, p, print_problem, NULL, &r, &e)) die("units", &e);
        snprintf(p, sizeof p, "%s/catalog/procedures.csv", data);
        if (import_procedures(s, p, print_problem, NULL, &r, &e)) die("procedures", &e);
    }
    if (store_unit_list(s, UNIT_DAY_MIN, take_unit, &l, &e) ||
        store_procedure_list(s, NULL, take_proc, &l, &e))
        die("catalogue", &e);
    char province[UNIT_CODE_MAX] = "";
    for (int i = 0; i < l.nu && !province[0]; i++)
        snprintf(province, sizeof province, "%s", l.u[i].parent);
    printf("bench_stats: %d units, %d procedures, province %s, year %d\n", l.nu, l.np, province,
           year);
    if (!reuse) {
        store_close(s);
        double t0 = now_s();
        generate(path, &l, cal, n);
        double tg = now_s() - t0;
        printf("generate     %lld dossiers in %.1f s (%.0f /s, rows written directly)\n",
               (long long)n, tg, (double)n / tg);
        if (store_open(url, &s, &e)) die("store", &e);
        t0 = now_s();
        int64_t counted = 0;
        if (store_stats_rebuild(s, &counted, &e)) die("rebuild", &e);
        double tr = now_s() - t0;
        printf("rebuild      counters from %lld dossiers in %.1f s (%.0f dossiers/s)\n",
               (long long)counted, tr, (double)counted / tr);
    }
    printf("database     %.2f GB\n", (double)file_size(path) / 1e9);

    int64_t from = ymd_to_days((struct ymd){year, 1, 1}),
            to = ymd_to_days((struct ymd){year, 12, 31});
    int64_t pfrom = ymd_to_days((struct ymd){year, 3, 15}),
            pto = ymd_to_days((struct ymd){year, 9, 20});
    struct {
        const char *name;
        int64_t from, to;
    } periods[] = {{"year", from, to}, {"15/3..20/9", pfrom, pto}};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        double agg[21], raw[3];
        struct tally ta = {0}, tr = {0};
        for (int i = 0; i < 21; i++) {
            struct tally t = {0};
            double t0 = now_s();
            if (store_stats_by_unit(s, periods[k].from, periods[k].to, dash_row, &t, &e))
                die("dashboard", &e);
            agg[i] = now_s() - t0;
            ta = t;
        }
        for (int i = 0; i < 3; i++) {
            struct tally t = {0};
            double t0 = now_s();
            if (store_stats_by_unit_raw(s, periods[k].from, periods[k].to, raw_row, &t, &e))
                die("raw dashboard", &e);
            raw[i] = now_s() - t0;
            tr = t;
        }
        double ma = median(agg, 21), mr = median(raw, 3);
        int same = ta.units == tr.units && !memcmp(ta.v, tr.v, sizeof ta.v);
        printf("dashboard    %-10s %d units: counters %.3f ms (median of 21), raw GROUP BY "
               "%.0f ms (median of 3): %.0fx faster; same figures: %s (received %lld, solved "
               "late %lld, overdue %lld)\n",
               periods[k].name, ta.units, ma * 1e3, mr * 1e3, mr / ma, same ? "yes" : "NO",
               (long long)ta.v[0], (long long)ta.v[6], (long long)ta.v[12]);
    }
    struct hook_ctx h = {0};
    struct dossier_filter hf = {.status = DS_RETURNED,
                                .outcome = -1,
                                .from_day = INT64_MIN,
                                .to_day = INT64_MAX,
                                .limit = 5000};
    if (!(h.d = calloc(5000, sizeof *h.d)) || store_dossier_list(s, &hf, pick_returned, &h, &e))
        die("dossiers for the hook", &e);
    store_tx(s, hook_tx, &h, &e);
    if (h.calls)
        printf("hook         store_stats_apply_event: %.1f us per transition on average over "
               "lives of returned dossiers (%lld calls in one transaction, rolled back)\n",
               h.secs * 1e6 / (double)h.calls, (long long)h.calls);
    free(h.d);
    store_close(s);
    calendar_free(cal);
    free(l.p);

    if (do_export && province[0]) {
        char args[PATH_MAX * 2];
        snprintf(args, sizeof args,
                 "report summary --period %d --unit %s --format xlsx --out bench-summary.xlsx "
                 "--db '%s'",
                 year, province, path);
        double ts = run_cchc(argv[0], args);
        printf("export       periodic report (xlsx, %s, %d): %.2f s, %lld bytes\n", province, year,
               ts, (long long)file_size("bench-summary.xlsx"));
        snprintf(args, sizeof args,
                 "report book --period %d --unit %s --format xlsx --out bench-book.xlsx --db '%s'",
                 year, province, path);
        double tb = run_cchc(argv[0], args);
        printf("export       tracking book Mẫu 06 (xlsx, %s, %d, every dossier): %.1f s, %.1f MB "
               "(%.0f rows/s)\n",
               province, year, tb, (double)file_size("bench-book.xlsx") / 1e6, (double)n / tb);
    }
    return 0;
}
