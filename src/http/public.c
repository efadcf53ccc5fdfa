/* public.c — GET /api/public/stats: the figures a province publishes without a login (the
 * "công khai kết quả giải quyết TTHC" of its portal): for a unit (default: the root of the
 * tree) and a period, its own totals and on-time rate, the same for each of its child units
 * (each with its subtree), and the Decision 766 service index ranking of those children.
 *
 * Only aggregates: no dossier, no applicant, no officer, no drill-down (the drill-down is the
 * staff's, GET /api/stats/dossiers). Publishing the results of handling administrative
 * procedures and the service index is a duty of the units (Decree 118/2025/NĐ-CP on the
 * one-stop mechanism; Decision 766/QĐ-TTg 2022, the index is published monthly on the national
 * portal — verify the article numbers). docs/statistics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "http.h"
#include "stats.h"
#include "stats_report.h"
#include "store.h"

/* The children listed per request are capped (a province has a few hundred units at most). */
#define PUBLIC_CHILDREN_MAX 1000

struct root_ctx {
    struct unit u;
    int found;
};

/* The first root of the tree that exists today, preferring a province. */
static int pick_root(const struct unit *u, void *ctx)
{
    struct root_ctx *c = ctx;
    if (u->parent[0]) return 0;
    if (!c->found || (u->kind == UNIT_PROVINCE && c->u.kind != UNIT_PROVINCE)) {
        c->u = *u;
        c->found = 1;
    }
    return 0;
}

struct kids_ctx {
    struct unit *v;
    int n;
};

static int add_child(const struct unit *u, void *ctx)
{
    struct kids_ctx *k = ctx;
    if (k->n >= PUBLIC_CHILDREN_MAX) return 0;
    k->v[k->n++] = *u;
    return 0;
}

static json_t *unit_figures(const struct unit *u, const struct stats_figures *f)
{
    struct stats_rate rt;
    char text[200];
    json_t *ontime = json_null();
    if (!stats_rate(f, SM_ONTIME, DEN_SOLVED, &rt, NULL)) {
        int64_t pm = stats_rate_permille(&rt);
        ontime = json_pack("{s:I, s:I, s:o, s:s}", "numerator", (json_int_t)rt.num,
                           "denominator_value", (json_int_t)rt.den, "permille",
                           pm < 0 ? json_null() : json_integer((json_int_t)pm), "text",
                           stats_rate_format(&rt, text, sizeof text));
    }
    json_t *figs = json_object();
    static const int shown[] = {SC_RECEIVED,    SF_SOLVED,      SC_SOLVED_EARLY, SC_SOLVED_ON_TIME,
                                SC_SOLVED_LATE, SF_IN_PROGRESS, SF_OVERDUE};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        json_object_set_new(figs, stats_figure_name(shown[i]),
                            json_integer((json_int_t)stats_figure_value(f, shown[i])));
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "unit", u->code, "name", u->name, "kind_label",
                     unit_kind_label(u->kind), "figures", figs, "ontime", ontime);
}

/* The service index of root's children as the report's JSON (NULL with e set on failure). */
static json_t *index_json(struct req *r, struct store *s, const char *root, const char *period,
                          int64_t from, int64_t to, struct err *e)
{
    const struct report_desc *rep = report_find("index");
    if (!rep) return err_set(e, ERR_IO, "report", "no index report"), NULL;
    struct stats_opts o;
    memset(&o, 0, sizeof o);
    o.q.channel = -1;
    o.q.from_day = from;
    o.q.to_day = to;
    o.denom = DEN_SOLVED;
    o.figure = -1;
    o.set = "766-2022";
    o.data = config_data_dir(req_config(r));
    o.period = period;
    o.parent = root;
    char path[512];
    if (download_temp_path(path, sizeof path))
        return err_set(e, ERR_IO, "report", "cannot create a temporary file"), NULL;
    o.out = path;
    int rc = rep->run(s, &o, RF_JSON, e);
    json_t *j = NULL;
    if (!rc) {
        json_error_t je;
        j = json_load_file(path, 0, &je);
        if (!j) err_set(e, ERR_IO, "report", "the index could not be read back");
    }
    unlink(path);
    return j;
}

void h_public_stats(struct req *r)
{
    static const char *const allowed[] = {"period", "unit", NULL};
    if (req_query_check(r, allowed)) return;
    struct err e = {0};
    struct store *s = req_store(r);
    const char *period = req_query(r, "period"), *code = req_query(r, "unit");
    int64_t from, to, today = today_local();
    if (!period) {
        reply_error(r, 400, "missing_field", "period",
                    "query argument 'period' is required (YYYY, YYYY-MM, YYYY-Qn, YYYY-6M, "
                    "YYYY-MM-DD..YYYY-MM-DD)");
        return;
    }
    if (stats_period_parse(period, &from, &to, &e)) {
        reply_err(r, &e);
        return;
    }
    stats_period_clamp(from, &to, today);
    if (!s) {
        err_set(&e, ERR_IO, "", "no database connection");
        reply_err(r, &e);
        return;
    }
    struct root_ctx rc = {0};
    if (code) {
        if (store_unit_get(s, code, &rc.u, &e) || !unit_valid_on(&rc.u, today)) {
            reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", code);
            return;
        }
    } else {
        if (store_unit_list(s, today, pick_root, &rc, &e)) {
            reply_err(r, &e);
            return;
        }
        if (!rc.found) {
            reply_error(r, 404, "not_found", "unit", "the database has no units yet");
            return;
        }
    }
    struct kids_ctx kids = {arena_alloc(r->arena, PUBLIC_CHILDREN_MAX * sizeof(struct unit)), 0};
    if (!kids.v) {
        err_set(&e, ERR_NOMEM, "", "out of memory");
        reply_err(r, &e);
        return;
    }
    if (store_unit_children(s, rc.u.code, today, add_child, &kids, &e)) {
        reply_err(r, &e);
        return;
    }
    struct stats_query q;
    memset(&q, 0, sizeof q);
    q.channel = -1;
    q.from_day = from;
    q.to_day = to;
    q.unit = rc.u.code;
    struct stats_figures f;
    if (store_stats_figures(s, &q, &f, &e)) {
        reply_err(r, &e);
        return;
    }
    json_t *total = unit_figures(&rc.u, &f);
    json_t *rows = json_array();
    for (int i = 0; i < kids.n; i++) {
        q.unit = kids.v[i].code;
        if (store_stats_figures(s, &q, &f, &e)) {
            json_decref(total);
            json_decref(rows);
            reply_err(r, &e);
            return;
        }
        /* a child without any dossier in the period (a desk's parent with none, an agency
         * that receives nothing) is left out: a row of zeros says nothing to the public */
        if (stats_figure_value(&f, SC_RECEIVED) || stats_figure_value(&f, SF_SOLVED) ||
            stats_figure_value(&f, SF_IN_PROGRESS))
            json_array_append_new(rows, unit_figures(&kids.v[i], &f));
    }
    json_t *index = kids.n ? index_json(r, s, rc.u.code, period, from, to, &e) : json_null();
    if (!index) {
        json_decref(total);
        json_decref(rows);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:o, s:{s:o, s:o}, s:o, s:o}", "unit", total, "period", "from",
                         jday(from), "to", jday(to), "units", rows, "index", index));
}
