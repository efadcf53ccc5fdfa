/* test_stats.c — statistics and the service index against hand-worked numbers: a ward's
 * dossiers (tests/data/stats/ward-2024.tsv) with every figure and its dossier list worked out
 * by hand (ward-2024-expected.tsv) and its rates (ward-2024-rates.tsv); incremental deltas
 * equal a rebuild; period parsing; the Decision 766 indicator file, its scoring rules, ranking
 * and malformed indicator files (tests/data/stats/indicators-bad/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "indicators.h"
#include "stats.h"

#define MAXD 64

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v) fail_msg("environment variable %s is not set (run through ctest)", name);
    return v;
}

static FILE *open_testdata(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", env("CCHC_TESTDATA"), name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

/* Next data row split on tabs (comments, blank lines and the header skipped). */
static int read_row(FILE *f, char *buf, size_t n, char **fld, int max, int *seen_header)
{
    while (fgets(buf, (int)n, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0] || buf[0] == '#') continue;
        if (!*seen_header) {
            *seen_header = 1;
            continue;
        }
        int k = 0;
        char *p = buf;
        while (k < max) {
            fld[k++] = p;
            char *t = strchr(p, '\t');
            if (!t) break;
            *t = '\0';
            p = t + 1;
        }
        return k;
    }
    return 0;
}

struct ward {
    int n;
    char id[MAXD][8];
    struct stats_dossier d[MAXD];
};

static int64_t instant_or_zero(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (!strcmp(s, "-")) return 0;
    if (instant_parse(s, &t, "instant", &e)) fail_msg("bad instant in test data: %s", e.msg);
    return t;
}

static int pick(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i])) return i;
    fail_msg("unknown value '%s' in test data", s);
    return -1;
}

static void load_ward(struct ward *w)
{
    static const char *const onl[] = {"none", "partial", "full"};
    static const char *const fin[] = {"none", "result", "refused", "withdrawn", "cancelled"};
    static const char *const rat[] = {"none", "good", "ok", "bad"};
    FILE *f = open_testdata("stats/ward-2024.tsv");
    char buf[1024], *fl[20] = {0};
    int hdr = 0, k;
    memset(w, 0, sizeof *w);
    while ((k = read_row(f, buf, sizeof buf, fl, 20, &hdr))) {
        assert_int_equal(k, 16);
        struct stats_dossier *d = &w->d[w->n];
        struct err e = {0};
        snprintf(w->id[w->n], sizeof w->id[0], "%s", fl[0]);
        d->received = atoi(fl[1]);
        enum stats_channel ch;
        assert_int_equal(stats_channel_parse(fl[2], &ch, &e), 0);
        d->channel = ch;
        d->online = (enum online_mode)pick(fl[3], onl, 3);
        d->received_at = instant_or_zero(fl[4]);
        d->due_at = instant_or_zero(fl[5]);
        d->stopped_at = instant_or_zero(fl[6]);
        d->finish = (enum stats_finish)pick(fl[7], fin, 5);
        d->finish_at = instant_or_zero(fl[8]);
        d->returned_at = instant_or_zero(fl[9]);
        d->has_fee = atoi(fl[10]);
        d->paid_online = atoi(fl[11]);
        d->digitised = atoi(fl[12]);
        d->result_digital = atoi(fl[13]);
        d->rating = (enum stats_rating)pick(fl[14], rat, 4);
        d->rated_at = instant_or_zero(fl[15]);
        w->n++;
    }
    fclose(f);
    assert_int_equal(w->n, 14);
}

/* The figures of a period through the counters: every contribution summed by day. */
static void figures_by_counters(const struct ward *w, int64_t from, int64_t to,
                                struct stats_figures *out)
{
    struct stats_counts flow = {0}, before = {0}, upto = {0};
    for (int i = 0; i < w->n; i++) {
        struct stats_contrib c;
        stats_contributions(&w->d[i], &c);
        for (int j = 0; j < c.n; j++) {
            int64_t day = c.c[j].day;
            if (day < from) before.c[c.c[j].counter]++;
            if (day <= to) upto.c[c.c[j].counter]++;
            if (day >= from && day <= to) flow.c[c.c[j].counter]++;
        }
    }
    stats_figures_compute(&flow, &before, &upto, out);
}

static void test_ward_figures(void **state)
{
    (void)state;
    struct ward w;
    load_ward(&w);
    FILE *f = open_testdata("stats/ward-2024-expected.tsv");
    char buf[1024], *fl[8] = {0};
    int hdr = 0, k, rows = 0;
    while ((k = read_row(f, buf, sizeof buf, fl, 8, &hdr))) {
        assert_int_equal(k, 4);
        int64_t from, to;
        int fig;
        struct err e = {0};
        if (stats_period_parse(fl[0], &from, &to, &e)) fail_msg("%s", e.msg);
        if (stats_figure_parse(fl[1], &fig, &e)) fail_msg("%s", e.msg);
        int64_t want = atoll(fl[2]);
        struct stats_figures fg;
        figures_by_counters(&w, from, to, &fg);
        if (stats_figure_value(&fg, fig) != want)
            fail_msg("%s %s: counters give %lld, expected %lld", fl[0], fl[1],
                     (long long)stats_figure_value(&fg, fig), (long long)want);
        /* drill-down: the dossiers, directly */
        char list[512] = "";
        int count = 0;
        for (int i = 0; i < w.n; i++)
            if (stats_dossier_in(&w.d[i], fig, from, to)) {
                if (count++) strcat(list, ",");
                strcat(list, w.id[i]);
            }
        if (!count) strcpy(list, "-");
        if (strcmp(list, fl[3]))
            fail_msg("%s %s: drill-down lists %s, expected %s", fl[0], fl[1], list, fl[3]);
        assert_int_equal(count, want);
        rows++;
    }
    fclose(f);
    assert_true(rows >= 50);
}

/* Every figure of every month: counters and drill-down agree, and the stock identity holds. */
static void test_counters_match_drilldown_everywhere(void **state)
{
    (void)state;
    struct ward w;
    load_ward(&w);
    for (int m = 1; m <= 5; m++) {
        int64_t from = ymd_to_days((struct ymd){2024, m, 1});
        int64_t to = ymd_to_days((struct ymd){2024, m, days_in_month(2024, m)});
        struct stats_figures fg;
        figures_by_counters(&w, from, to, &fg);
        for (int fig = 0; fig < SF__COUNT; fig++) {
            int64_t count = 0;
            for (int i = 0; i < w.n; i++)
                count += stats_dossier_in(&w.d[i], fig, from, to);
            if (count != stats_figure_value(&fg, fig))
                fail_msg("2024-%02d %s: counters %lld, drill-down %lld", m, stats_figure_name(fig),
                         (long long)stats_figure_value(&fg, fig), (long long)count);
        }
        assert_int_equal(fg.received_total, fg.finished + fg.in_progress);
        assert_int_equal(fg.in_progress, fg.in_progress_in_time + fg.in_progress_overdue);
    }
}

static void test_ward_rates(void **state)
{
    (void)state;
    struct ward w;
    load_ward(&w);
    FILE *f = open_testdata("stats/ward-2024-rates.tsv");
    char buf[1024], *fl[8] = {0};
    int hdr = 0, k, rows = 0;
    while ((k = read_row(f, buf, sizeof buf, fl, 8, &hdr))) {
        assert_int_equal(k, 6);
        int64_t from, to;
        enum stats_metric m;
        enum stats_denom d;
        struct err e = {0};
        if (stats_period_parse(fl[0], &from, &to, &e) || stats_metric_parse(fl[1], &m, &e) ||
            stats_denom_parse(fl[2], &d, &e))
            fail_msg("%s", e.msg);
        struct stats_figures fg;
        struct stats_rate r;
        char text[160];
        figures_by_counters(&w, from, to, &fg);
        if (stats_rate(&fg, m, d, &r, &e)) fail_msg("%s %s/%s: %s", fl[0], fl[1], fl[2], e.msg);
        assert_int_equal(r.num, atoll(fl[3]));
        assert_int_equal(r.den, atoll(fl[4]));
        assert_string_equal(stats_rate_format(&r, text, sizeof text), fl[5]);
        rows++;
    }
    fclose(f);
    assert_true(rows >= 14);
}

/* The published figure "2.890/2.907 hồ sơ, 99,4%" and rounding at the half. */
static void test_rate_format(void **state)
{
    (void)state;
    char buf[160];
    struct stats_rate r = {2890, 2907, DEN_SOLVED};
    assert_string_equal(stats_rate_format(&r, buf, sizeof buf),
                        "99,4% (2.890/2.907 hồ sơ đã giải quyết)");
    r = (struct stats_rate){1, 2000, DEN_RECEIVED}; /* 0.05% -> 0,1% (half up) */
    assert_int_equal(stats_rate_permille(&r), 1);
    r = (struct stats_rate){1, 2001, DEN_RECEIVED}; /* 0.04998% -> 0,0% */
    assert_int_equal(stats_rate_permille(&r), 0);
    assert_string_equal(stats_int_format(1234567, buf, sizeof buf), "1.234.567");
    assert_string_equal(stats_int_format(999, buf, sizeof buf), "999");
    assert_string_equal(stats_int_format(-1000, buf, sizeof buf), "-1.000");
}

static void test_rate_bad_denominator(void **state)
{
    (void)state;
    struct stats_figures fg = {0};
    struct stats_rate r;
    struct err e = {0};
    assert_int_equal(stats_rate(&fg, SM_PAID_ONLINE, DEN_SOLVED, &r, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "paid_online rate is not defined over 'solved'"));
    enum stats_denom d;
    assert_int_equal(stats_denom_parse("processed", &d, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'processed'"));
    int fig;
    assert_int_equal(stats_figure_parse("late", &fig, &e), ERR_INVALID);
    enum stats_metric m;
    assert_int_equal(stats_metric_parse("speed", &m, &e), ERR_INVALID);
}

/* Each dossier walks through intermediate states; the sum of the deltas is the rebuild. */
static void test_delta_equals_rebuild(void **state)
{
    (void)state;
    struct ward w;
    load_ward(&w);
    int64_t inc[SC__COUNT][4] = {{0}}; /* counters by a coarse day bucket */
    int64_t reb[SC__COUNT][4] = {{0}};
    for (int i = 0; i < w.n; i++) {
        const struct stats_dossier *fin = &w.d[i];
        struct stats_dossier steps[5];
        int ns = 0;
        steps[ns] = *fin; /* received, open, clock running, nothing else yet */
        steps[ns].finish = FIN_NONE, steps[ns].finish_at = 0, steps[ns].returned_at = 0;
        steps[ns].rating = RATING_NONE, steps[ns].rated_at = 0, steps[ns].stopped_at = 0;
        steps[ns].result_digital = 0, steps[ns].paid_online = 0;
        ns++;
        steps[ns] = steps[ns - 1]; /* a supplement requested before the due instant */
        steps[ns].stopped_at = fin->received_at + 60;
        ns++;
        steps[ns] = steps[ns - 1]; /* resumed, due moved by a day */
        steps[ns].stopped_at = 0, steps[ns].due_at += MINUTES_PER_DAY;
        ns++;
        steps[ns++] = *fin;
        const struct stats_dossier *prev = NULL;
        for (int s = 0; s < ns; s++) {
            struct stats_delta_cell dc[2 * STATS_CONTRIB_MAX];
            int n = stats_delta(prev, &steps[s], dc);
            for (int j = 0; j < n; j++)
                inc[dc[j].counter][(dc[j].day / 30) & 3] += dc[j].delta;
            prev = &steps[s];
        }
        struct stats_contrib c;
        stats_contributions(fin, &c);
        for (int j = 0; j < c.n; j++)
            reb[c.c[j].counter][(c.c[j].day / 30) & 3]++;
    }
    assert_memory_equal(inc, reb, sizeof inc);
    /* and back to nothing */
    struct stats_delta_cell dc[2 * STATS_CONTRIB_MAX];
    struct stats_contrib c;
    stats_contributions(&w.d[3], &c);
    assert_int_equal(stats_delta(&w.d[3], NULL, dc), c.n);
    assert_int_equal(stats_delta(&w.d[3], &w.d[3], dc), 0);
}

static void period_is(const char *s, struct ymd a, struct ymd b)
{
    int64_t from, to;
    struct err e = {0};
    if (stats_period_parse(s, &from, &to, &e)) fail_msg("%s: %s", s, e.msg);
    assert_int_equal(from, ymd_to_days(a));
    assert_int_equal(to, ymd_to_days(b));
}

static void test_periods(void **state)
{
    (void)state;
    period_is("2024", (struct ymd){2024, 1, 1}, (struct ymd){2024, 12, 31});
    period_is("2024-02", (struct ymd){2024, 2, 1}, (struct ymd){2024, 2, 29});
    period_is("2024-Q2", (struct ymd){2024, 4, 1}, (struct ymd){2024, 6, 30});
    period_is("2024-H2", (struct ymd){2024, 7, 1}, (struct ymd){2024, 12, 31});
    period_is("2024-4M", (struct ymd){2024, 1, 1}, (struct ymd){2024, 4, 30});
    period_is("2024-6M", (struct ymd){2024, 1, 1}, (struct ymd){2024, 6, 30});
    period_is("2024-9M", (struct ymd){2024, 1, 1}, (struct ymd){2024, 9, 30});
    period_is("2024-02-29", (struct ymd){2024, 2, 29}, (struct ymd){2024, 2, 29}); /* a day */
    /* the range a ward published: 16/9/2023 to 26/4/2024 */
    period_is("2023-09-16..2024-04-26", (struct ymd){2023, 9, 16}, (struct ymd){2024, 4, 26});
    static const char *const bad[] = {"24",
                                      "2024-13",
                                      "2024-Q5",
                                      "2024-5M",
                                      "2024-00",
                                      "2024-1",
                                      "2024-06-31..2024-07-01",
                                      "2023-02-29",
                                      "2024-3-05",
                                      "2024-04-26..2023-09-16",
                                      "",
                                      "2024-Q1x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t from, to;
        struct err e = {0};
        if (stats_period_parse(bad[i], &from, &to, &e) != ERR_INVALID)
            fail_msg("period '%s' was accepted", bad[i]);
        assert_string_equal(e.field, "period");
        assert_non_null(strstr(e.msg, bad[i]));
    }
}

/* ---- the service index --------------------------------------------------------------- */

static const struct indicator *find(const struct indicator_set *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->ind[i].id, id)) return &s->ind[i];
    fail_msg("indicator %s missing", id);
    return NULL;
}

static void test_indicator_file(void **state)
{
    (void)state;
    static struct indicator_set s;
    struct err e = {0};
    if (indicator_set_load(env("CCHC_DATA"), "766-2022", &s, &e)) fail_msg("%s", e.msg);
    assert_string_equal(s.version, "766-2022");
    assert_int_equal(s.ngroups, 6);
    int total = 0;
    for (int g = 0; g < s.ngroups; g++)
        total += s.groups[g].max;
    assert_int_equal(total, 100);
    assert_int_equal(find(&s, "2.1")->max, 20);
    assert_string_equal(find(&s, "2.1")->metric, "ontime_766");
    assert_int_equal(find(&s, "5.4")->target_pct, 90);
    for (int i = 0; i < s.n; i++)
        assert_true(strlen(s.ind[i].source) > 10); /* every row cites its source */
    assert_int_equal(indicator_set_load(env("CCHC_DATA"), "../x", &s, &e), ERR_INVALID);
    assert_int_equal(indicator_set_load(env("CCHC_DATA"), "766-1999", &s, &e), ERR_IO);
}

static void test_indicator_points(void **state)
{
    (void)state;
    struct indicator lin = {.max = 20, .rule = IND_LINEAR, .target_pct = 100};
    struct indicator thr = {.max = 4, .rule = IND_THRESHOLD, .target_pct = 80};
    struct indicator none = {.max = 0, .rule = IND_NONE};
    struct ind_input in = {1, 2890, 2907};
    /* 20 × 2890 / 2907 = 19,88304 points */
    assert_int_equal(indicator_points(&lin, &in), 198830);
    in = (struct ind_input){1, 40, 100}; /* 40% of an 80% target: half the points */
    assert_int_equal(indicator_points(&thr, &in), 20000);
    in = (struct ind_input){1, 80, 100}; /* exactly the target: full */
    assert_int_equal(indicator_points(&thr, &in), 40000);
    in = (struct ind_input){1, 79, 100}; /* 4 × 79 / 80 = 3,95 */
    assert_int_equal(indicator_points(&thr, &in), 39500);
    in = (struct ind_input){1, 1, 3}; /* 4 × (1/3) / 0.8 = 1,66666.. -> 1,6667 */
    assert_int_equal(indicator_points(&thr, &in), 16667);
    in = (struct ind_input){0, 0, 0};
    assert_int_equal(indicator_points(&lin, &in), -1);
    in = (struct ind_input){1, 0, 0};
    assert_int_equal(indicator_points(&lin, &in), -1);
    in = (struct ind_input){1, 5, 5};
    assert_int_equal(indicator_points(&none, &in), -1);
    char buf[32];
    assert_string_equal(ind_points_format(198830, 2, buf, sizeof buf), "19,88");
    assert_string_equal(ind_points_format(16667, 4, buf, sizeof buf), "1,6667");
    assert_string_equal(ind_points_format(995000, 0, buf, sizeof buf), "100");
}

static void test_indicator_score_and_rank(void **state)
{
    (void)state;
    static struct indicator_set s;
    struct err e = {0};
    if (indicator_set_load(env("CCHC_DATA"), "766-2022", &s, &e)) fail_msg("%s", e.msg);
    struct ind_input in[IND_MAX_ROWS] = {{0}};
    for (int i = 0; i < s.n; i++)
        if (!strcmp(s.ind[i].id, "2.1"))
            in[i] = (struct ind_input){1, 7, 12};
        else if (!strcmp(s.ind[i].id, "5.4"))
            in[i] = (struct ind_input){1, 6, 12};
    struct ind_score sc;
    indicators_score(&s, in, &sc);
    /* 2.1: 20 × 7/12 = 11,6667; 5.4: 50% of a 90% target × 6 = 3,3333 */
    assert_int_equal(sc.total, 116667 + 33333);
    assert_int_equal(sc.judged, 26 * IND_POINT);
    int64_t v[5] = {150000, 700000, 700000, 90000, 700000};
    const char *keys[5] = {"E", "C", "A", "D", "B"};
    int order[5], rank[5];
    indicators_rank(v, keys, 5, order, rank);
    int want_rank[5] = {4, 1, 1, 5, 1};
    int want_order[5] = {2, 4, 1, 0, 3}; /* A, B, C tie first, by code */
    assert_memory_equal(rank, want_rank, sizeof rank);
    assert_memory_equal(order, want_order, sizeof order);
}

static void test_indicator_bad_files(void **state)
{
    (void)state;
    static const char *const names[] = {"group-sum", "bad-rule", "dup-id", "short-row",
                                        "threshold-zero"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4096], want[512];
        snprintf(path, sizeof path, "%s/stats/indicators-bad/%s.tsv", env("CCHC_TESTDATA"),
                 names[i]);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(want, sizeof want, f));
        fclose(f);
        want[strcspn(want, "\n")] = '\0';
        static struct indicator_set s;
        struct err e = {0};
        if (indicator_set_load_file(path, &s, &e) != ERR_INVALID)
            fail_msg("%s was accepted", names[i]);
        if (!strstr(e.msg, want + strlen("# expect: ")))
            fail_msg("%s: message '%s' lacks '%s'", names[i], e.msg, want + 10);
        assert_non_null(strstr(e.msg, path)); /* names the file */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ward_figures),
        cmocka_unit_test(test_counters_match_drilldown_everywhere),
        cmocka_unit_test(test_ward_rates),
        cmocka_unit_test(test_rate_format),
        cmocka_unit_test(test_rate_bad_denominator),
        cmocka_unit_test(test_delta_equals_rebuild),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_indicator_file),
        cmocka_unit_test(test_indicator_points),
        cmocka_unit_test(test_indicator_score_and_rank),
        cmocka_unit_test(test_indicator_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
