/* cmd_stats.c — `cchc stats show|units|dossiers|officers|index|rebuild`: the figures of a unit
 * subtree for a period with every rate naming its denominator, the all-units dashboard, the
 * dossiers behind any figure (drill-down), late steps per officer, the Decision 766 service
 * index with ranking among peers, and the rebuild of the counters from the dossiers.
 * Definitions: docs/statistics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "indicators.h"
#include "stats.h"
#include "store.h"
#include "stats_cli.h"

static void usage(FILE *f)
{
    fprintf(
        f, "usage: cchc stats show --period P [--unit U] [--procedure C] [--field F]\n"
           "                       [--channel direct|online|postal] [--denominator D] [--db FILE]\n"
           "       cchc stats units --period P [--db FILE]\n"
           "       cchc stats dossiers --period P --figure NAME [--unit U] [--procedure C]\n"
           "                       [--field F] [--channel CH] [--own] [--db FILE]\n"
           "       cchc stats dossiers --period P --figure steps_done|steps_late --officer O\n"
           "                       --step N [--unit U] [--db FILE]\n"
           "       cchc stats officers --period P [--unit U] [--db FILE]\n"
           "       cchc stats index --period P [--parent U] [--set 766-2022]\n"
           "                       [--external FILE] [--data DIR] [--db FILE]\n"
           "       cchc stats rebuild [--db FILE]\n"
           "P: YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY-4M/6M/9M, YYYY-MM-DD (a day),\n"
           "   YYYY-MM-DD..YYYY-MM-DD, or a CCHC report period YYYY-CCHC-Q1, -6M, -Q3, -Y\n"
           "   (15/12 of the year before to 14/3, 14/6 and 14/12; 15/6 to 14/9).\n"
           "D (the on-time rate's denominator): solved (default), due, received, handled.\n"
           "show: every figure (name, Vietnamese label, value) then the rates, each with its\n"
           "  numerator, denominator and the denominator's name.\n"
           "units: the dashboard, one line per unit (its own dossiers), from the counters.\n"
           "dossiers: the codes of the dossiers a figure counts (as many as the figure);\n"
           "  --own: the unit's own dossiers without its subtree, as `units` counts them.\n"
           "index: Decision 766 points per unit (children of --parent, with their subtrees;\n"
           "  default every unit with dossiers), ranked (ties share a rank). --external adds\n"
           "  rates cchc cannot compute: TSV lines UNIT<TAB>INDICATOR<TAB>NUM<TAB>DEN.\n"
           "Figures: docs/statistics.md.\n");
}

int stats_opts_parse(int argc, char **argv, int first, struct stats_opts *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    o->q.channel = -1;
    o->denom = DEN_SOLVED;
    o->figure = -1;
    o->set = "766-2022";
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name, dst)                                                                             \
    if (!strcmp(a, name) && v) {                                                                   \
        dst = v;                                                                                   \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        OPT("--db", o->db);
        OPT("--unit", o->q.unit);
        OPT("--parent", o->parent);
        OPT("--procedure", o->q.procedure);
        OPT("--field", o->q.field);
        OPT("--set", o->set);
        OPT("--external", o->external);
        OPT("--data", o->data);
        OPT("--format", o->format);
        OPT("--out", o->out);
#undef OPT
        if (!strcmp(a, "--period") && v) {
            o->period = v, i++;
            if (stats_period_parse(v, &o->q.from_day, &o->q.to_day, e)) return e->code;
            /* judged at the end of today when the period reaches past it, as the API does */
            stats_period_clamp(o->q.from_day, &o->q.to_day,
                               instant_day(((int64_t)time(NULL) + 7 * 3600) / 60));
        } else if (!strcmp(a, "--channel") && v) {
            enum stats_channel ch;
            if (stats_channel_parse(v, &ch, e)) return e->code;
            o->q.channel = (int)ch, i++;
        } else if (!strcmp(a, "--denominator") && v) {
            if (stats_denom_parse(v, &o->denom, e)) return e->code;
            i++;
        } else if (!strcmp(a, "--own")) {
            o->q.own = 1;
        } else if (!strcmp(a, "--figure") && v) {
            o->steps_fig = !strcmp(v, "steps_done") ? 1 : !strcmp(v, "steps_late") ? 2 : 0;
            if (!o->steps_fig && stats_figure_parse(v, &o->figure, e)) return e->code;
            i++;
        } else if (!strcmp(a, "--officer") && v) {
            o->officer = v, i++;
        } else if (!strcmp(a, "--step") && v) {
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 99)
                return err_set(e, ERR_INVALID, "step", "--step '%s': must be 1..99", v);
            o->step = (int)n, i++;
        } else
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
    }
    o->data = cli_data_dir(o->data);
    return 0;
}

static int need_period(const struct stats_opts *o, struct err *e)
{
    if (!o->period) return err_set(e, ERR_INVALID, "period", "--period is required");
    return 0;
}

/* ---- show ---- */

static void print_rate(const struct stats_figures *f, enum stats_metric m, enum stats_denom d)
{
    struct stats_rate r;
    char buf[200];
    if (stats_rate(f, m, d, &r, NULL)) return;
    printf("rate\t%s\t%s\t%lld\t%lld\t%s\n", stats_metric_name(m), stats_denom_name(d),
           (long long)r.num, (long long)r.den, stats_rate_format(&r, buf, sizeof buf));
}

static int run_show(struct store *s, const struct stats_opts *o, struct err *e)
{
    struct stats_figures f;
    int rc = store_stats_figures(s, &o->q, &f, e);
    if (rc) return rc;
    for (int fig = 0; fig < SF__COUNT; fig++)
        printf("%s\t%s\t%lld\n", stats_figure_name(fig), stats_figure_label_vi(fig),
               (long long)stats_figure_value(&f, fig));
    print_rate(&f, SM_ONTIME, o->denom);
    for (int m = SM_EARLY; m < SM__COUNT; m++)
        print_rate(&f, (enum stats_metric)m, stats_metric_default_denom((enum stats_metric)m));
    return 0;
}

/* ---- units (dashboard) ---- */

static int unit_line(const char *unit, const struct stats_figures *f, void *ctx)
{
    const struct stats_opts *o = ctx;
    struct stats_rate r;
    char buf[200];
    stats_rate(f, SM_ONTIME, o->denom, &r, NULL);
    printf("%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%s\n", unit,
           (long long)f->received_total, (long long)f->flow.c[SC_RECEIVED], (long long)f->solved,
           (long long)f->flow.c[SC_SOLVED_EARLY], (long long)f->flow.c[SC_SOLVED_ON_TIME],
           (long long)f->flow.c[SC_SOLVED_LATE], (long long)f->in_progress,
           (long long)f->in_progress_overdue, stats_rate_format(&r, buf, sizeof buf));
    return 0;
}

static int run_units(struct store *s, const struct stats_opts *o, struct err *e)
{
    printf("unit\treceived_total\treceived\tsolved\tsolved_early\tsolved_on_time\tsolved_late\t"
           "in_progress\tin_progress_overdue\tontime_rate_over_%s\n",
           stats_denom_name(o->denom));
    return store_stats_by_unit(s, o->q.from_day, o->q.to_day, unit_line, (void *)o, e);
}

/* ---- dossiers (drill-down) ---- */

static int dossier_line(const struct dossier *d, void *ctx)
{
    (void)ctx;
    char a[20], b[20];
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", d->code, d->unit, d->procedure,
           dossier_status_name(d->st.status),
           d->st.received_at ? instant_format(d->st.received_at, a) : "",
           d->st.due_at ? instant_format(d->st.due_at, b) : "");
    return 0;
}

static int run_dossiers(struct store *s, const struct stats_opts *o, struct err *e)
{
    if (o->steps_fig) {
        if (!o->step || !o->officer)
            return err_set(e, ERR_INVALID, "step",
                           "--figure steps_done/steps_late needs --step N and --officer NAME "
                           "('' for steps without one)");
        return store_stats_step_dossiers(s, &o->q, o->officer, o->step, o->steps_fig == 2,
                                         dossier_line, NULL, e);
    }
    if (o->officer || o->step)
        return err_set(e, ERR_INVALID, "officer",
                       "--officer and --step belong to --figure steps_done/steps_late");
    if (o->figure < 0) return err_set(e, ERR_INVALID, "figure", "--figure is required");
    return store_stats_dossiers(s, &o->q, o->figure, dossier_line, NULL, e);
}

/* ---- officers ---- */

static int officer_line(const struct stats_officer *r, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%d\t%lld\t%lld\n", r->unit, r->officer[0] ? r->officer : "-", r->step,
           (long long)r->done, (long long)r->late);
    return 0;
}

static int run_officers(struct store *s, const struct stats_opts *o, struct err *e)
{
    printf("unit\tofficer\tstep\tsteps_done\tsteps_late\n");
    return store_stats_officers(s, &o->q, officer_line, NULL, e);
}

/* ---- index ---- */

static int run_index(struct store *s, const struct stats_opts *o, struct err *e)
{
    struct stats_index *ix = NULL;
    int rc = stats_index_compute(s, o, &ix, e);
    if (rc) return rc;
    char pts[32], judged[32];
    printf("rank\tunit\tpoints\tjudged_max");
    for (int i = 0; i < ix->set.n; i++)
        printf("\t%s", ix->set.ind[i].id);
    printf("\n");
    for (int k = 0; k < ix->n; k++) {
        const struct stats_index_row *r = &ix->rows[ix->order[k]];
        char rk[16] = "-";
        if (r->rank) snprintf(rk, sizeof rk, "%d", r->rank);
        printf("%s\t%s\t%s\t%s", rk, r->unit, ind_points_format(r->score.total, 2, pts, 32),
               ind_points_format(r->score.judged, 0, judged, 32));
        for (int i = 0; i < ix->set.n; i++)
            printf("\t%s", r->score.points[i] < 0
                               ? "-"
                               : ind_points_format(r->score.points[i], 2, pts, 32));
        printf("\n");
    }
    stats_index_free(ix);
    return 0;
}

static int run_rebuild(struct store *s, struct err *e)
{
    int64_t n = 0;
    int rc = store_stats_rebuild(s, &n, e);
    if (!rc) fprintf(stderr, "cchc stats rebuild: %lld dossiers counted again\n", (long long)n);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    struct err e = {0};
    struct stats_opts o;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *sub = argv[1];
    static const char *const subs[] = {"show", "units", "dossiers", "officers", "index", "rebuild"};
    int known = 0;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known) {
        err_set(&e, ERR_INVALID, "command",
                "'%s': unknown (show, units, dossiers, officers, index, rebuild)", sub);
        return cli_fail("stats", &e);
    }
    if (stats_opts_parse(argc, argv, 2, &o, &e)) return cli_fail("stats", &e);
    if (o.format || o.out) {
        err_set(&e, ERR_INVALID, "argument", "--format/--out belong to 'cchc report'");
        return cli_fail("stats", &e);
    }
    if (strcmp(sub, "rebuild") && need_period(&o, &e)) return cli_fail("stats", &e);
    struct store *s = NULL;
    int st = cli_store_open("stats", o.db, 0, &s);
    if (st) return st;
    int rc;
    if (!strcmp(sub, "show"))
        rc = run_show(s, &o, &e);
    else if (!strcmp(sub, "units"))
        rc = run_units(s, &o, &e);
    else if (!strcmp(sub, "dossiers"))
        rc = run_dossiers(s, &o, &e);
    else if (!strcmp(sub, "officers"))
        rc = run_officers(s, &o, &e);
    else if (!strcmp(sub, "index"))
        rc = run_index(s, &o, &e);
    else
        rc = run_rebuild(s, &e);
    store_close(s);
    return rc ? cli_fail("stats", &e) : 0;
}
