/* stats.c — the statistics resource: GET /api/stats (every figure of a unit subtree for a
 * period, and every rate with its numerator, denominator and the denominator's name), GET
 * /api/stats/units (the dashboard of the units under a root, from the counters) and GET
 * /api/stats/dossiers (the drill-down: the dossiers a figure counts, as many as the figure).
 * Every figure of /api/stats carries its drill-down address ("drill"), and every rate the
 * figures that make its numerator and denominator. GET /api/stats/officers: steps finished and
 * late per unit × officer × step, each with the address of its dossiers.
 * Units outside the signed-in user's scope do not exist (404). docs/statistics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "stats.h"
#include "store.h"

#define DRILL_LIMIT_DEFAULT 1000
#define DRILL_LIMIT_MAX     10000

/* Reads period, unit (default: the user's scope unit, which must be covered), procedure,
 * field, channel. Replies and returns -1 on bad input. */
static int read_query(struct req *r, struct stats_query *q)
{
    struct err e = {0};
    memset(q, 0, sizeof *q);
    q->channel = -1;
    const char *period = req_query(r, "period"), *ch = req_query(r, "channel");
    if (!period) {
        reply_error(r, 400, "missing_field", "period",
                    "query argument 'period' is required (YYYY, YYYY-MM, YYYY-Qn, YYYY-6M, "
                    "YYYY-MM-DD..YYYY-MM-DD)");
        return -1;
    }
    if (stats_period_parse(period, &q->from_day, &q->to_day, &e)) goto bad;
    stats_period_clamp(q->from_day, &q->to_day, today_local());
    if (ch) {
        enum stats_channel c;
        if (stats_channel_parse(ch, &c, &e)) goto bad;
        q->channel = (int)c;
    }
    q->unit = req_query(r, "unit");
    q->procedure = req_query(r, "procedure");
    q->field = req_query(r, "field");
    if (q->unit ? !auth_scope_covers(r, q->unit) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                    q->unit ? q->unit : r->sess->user.unit);
        return -1;
    }
    if (!q->unit) q->unit = r->sess->user.unit;
    return 0;
bad:
    reply_err(r, &e);
    return -1;
}

static json_t *period_json(const struct stats_query *q)
{
    return json_pack("{s:o, s:o}", "from", jday(q->from_day), "to", jday(q->to_day));
}

/* The figures whose sum is a rate's numerator and denominator (docs/statistics.md), so both
 * drill down; -1 ends a list. A numerator that is not a plain sum (the Decision 766 rates over
 * "handled") has an empty list: its parts are the figures of the denominator. */
static void rate_parts(enum stats_metric m, enum stats_denom d, int num[3], int den[3])
{
    num[0] = num[1] = num[2] = den[0] = den[1] = den[2] = -1;
    switch (d) {
    case DEN_SOLVED:
        den[0] = SF_SOLVED;
        break;
    case DEN_DUE:
        den[0] = SC_DUE;
        break;
    case DEN_RECEIVED:
        den[0] = SC_RECEIVED;
        break;
    case DEN_HANDLED:
        den[0] = SF_FINISHED, den[1] = SF_IN_PROGRESS;
        break;
    case DEN_FEE:
        den[0] = SC_FEE_DUE;
        break;
    case DEN_RATED:
        den[0] = SC_RATED;
        break;
    default:
        break;
    }
    switch (m) {
    case SM_ONTIME:
        if (d == DEN_SOLVED) num[0] = SC_SOLVED_EARLY, num[1] = SC_SOLVED_ON_TIME;
        if (d == DEN_DUE) num[0] = SC_DUE_MET;
        if (d == DEN_RECEIVED) num[0] = SC_COHORT_IN_TIME;
        break;
    case SM_EARLY:
        num[0] = SC_SOLVED_EARLY;
        break;
    case SM_ONLINE:
        num[0] = SC_RECV_ONLINE;
        break;
    case SM_ONLINE_FULL:
        num[0] = SC_ONLINE_FULL;
        break;
    case SM_PAID_ONLINE:
        num[0] = SC_PAID_ONLINE;
        break;
    case SM_DIGITISED:
        num[0] = SC_DIGITISED;
        break;
    case SM_RESULT_DIGITAL:
        num[0] = SC_RESULT_DIGITAL;
        break;
    case SM_SATISFACTION:
        num[0] = SC_RATING_GOOD;
        break;
    default:
        break;
    }
}

static json_t *names_json(const int *figs)
{
    json_t *a = json_array();
    for (int i = 0; i < 3 && figs[i] >= 0; i++)
        json_array_append_new(a, json_string(stats_figure_name(figs[i])));
    return a;
}

static json_t *rate_json(const struct stats_figures *f, enum stats_metric m, enum stats_denom d)
{
    struct stats_rate rt;
    char text[200];
    if (stats_rate(f, m, d, &rt, NULL)) return NULL;
    int64_t pm = stats_rate_permille(&rt);
    int num[3], den[3];
    rate_parts(m, d, num, den);
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:o, s:o}", "metric",
                     stats_metric_name(m), "denominator", stats_denom_name(d), "denominator_label",
                     stats_denom_label_vi(d), "numerator", (json_int_t)rt.num, "denominator_value",
                     (json_int_t)rt.den, "permille",
                     pm < 0 ? json_null() : json_integer((json_int_t)pm), "text",
                     stats_rate_format(&rt, text, sizeof text), "numerator_figures",
                     names_json(num), "denominator_figures", names_json(den));
}

/* Appends "&key=value" to buf (at *len, n bytes), value percent-encoded (RFC 3986 unreserved
 * characters kept). */
static void query_add(char *buf, size_t n, size_t *len, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    int w = snprintf(buf + *len, n - *len, "%s%s=", *len ? "&" : "", key);
    if (w < 0 || (size_t)w >= n - *len) return;
    *len += (size_t)w;
    for (const unsigned char *p = (const unsigned char *)value; *p && *len + 4 < n; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~')
            buf[(*len)++] = (char)*p;
        else {
            buf[(*len)++] = '%';
            buf[(*len)++] = hex[*p >> 4];
            buf[(*len)++] = hex[*p & 15];
        }
    }
    buf[*len] = 0;
}

/* Every figure's drill-down: the GET /api/stats/dossiers address listing its dossiers. */
static json_t *drill_json(struct req *r, const struct stats_query *q)
{
    char base[1024];
    size_t len = 0;
    base[0] = 0;
    query_add(base, sizeof base, &len, "period", req_query(r, "period"));
    query_add(base, sizeof base, &len, "unit", q->unit);
    if (q->procedure) query_add(base, sizeof base, &len, "procedure", q->procedure);
    if (q->field) query_add(base, sizeof base, &len, "field", q->field);
    if (q->channel >= 0)
        query_add(base, sizeof base, &len, "channel",
                  stats_channel_name((enum stats_channel)q->channel));
    json_t *o = json_object();
    for (int fig = 0; fig < SF__COUNT; fig++) {
        char *url = arena_printf(r->arena, "/api/stats/dossiers?%s&figure=%s", base,
                                 stats_figure_name(fig));
        json_object_set_new(o, stats_figure_name(fig), url ? json_string(url) : json_null());
    }
    return o;
}

static json_t *figures_json(const struct stats_figures *f)
{
    json_t *o = json_object();
    for (int fig = 0; fig < SF__COUNT; fig++)
        json_object_set_new(o, stats_figure_name(fig),
                            json_integer((json_int_t)stats_figure_value(f, fig)));
    return o;
}

void h_stats(struct req *r)
{
    static const char *const allowed[] = {"period",  "unit",        "procedure", "field",
                                          "channel", "denominator", NULL};
    struct stats_query q;
    if (req_query_check(r, allowed) || read_query(r, &q)) return;
    enum stats_denom den = DEN_SOLVED;
    const char *ds = req_query(r, "denominator");
    struct err e = {0};
    if (ds && stats_denom_parse(ds, &den, &e)) {
        reply_err(r, &e);
        return;
    }
    struct stats_figures f;
    if (store_stats_figures(req_store(r), &q, &f, &e)) {
        reply_err(r, &e);
        return;
    }
    json_t *rates = json_array();
    json_array_append_new(rates, rate_json(&f, SM_ONTIME, den));
    for (int m = SM_EARLY; m < SM__COUNT; m++)
        json_array_append_new(rates, rate_json(&f, (enum stats_metric)m,
                                               stats_metric_default_denom((enum stats_metric)m)));
    json_t *labels = json_object();
    for (int fig = 0; fig < SF__COUNT; fig++)
        json_object_set_new(labels, stats_figure_name(fig), jstr(stats_figure_label_vi(fig)));
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "unit", q.unit, "period",
                         period_json(&q), "figures", figures_json(&f), "labels", labels, "rates",
                         rates, "drill", drill_json(r, &q)));
}

struct units_ctx {
    struct req *r;
    const char *root;
    json_t *rows;
};

static int unit_row(const char *unit, const struct stats_figures *f, void *ctx)
{
    struct units_ctx *c = ctx;
    if (!auth_unit_under(c->r, unit, c->root)) return 0;
    /* the row counts the unit's own dossiers: its drill-down is own=1, {figure} to fill in */
    char q[512];
    size_t len = 0;
    q[0] = 0;
    query_add(q, sizeof q, &len, "period", req_query(c->r, "period"));
    query_add(q, sizeof q, &len, "unit", unit);
    char *drill = arena_printf(c->r->arena, "/api/stats/dossiers?%s&own=1&figure={figure}", q);
    json_array_append_new(c->rows,
                          json_pack("{s:s, s:o, s:o, s:o}", "unit", unit, "figures",
                                    figures_json(f), "ontime", rate_json(f, SM_ONTIME, DEN_SOLVED),
                                    "drill", drill ? json_string(drill) : json_null()));
    return 0;
}

void h_stats_units(struct req *r)
{
    static const char *const allowed[] = {"period", "unit", NULL};
    struct stats_query q;
    if (req_query_check(r, allowed) || read_query(r, &q)) return;
    struct units_ctx c = {r, q.unit, json_array()};
    struct err e = {0};
    if (store_stats_by_unit(req_store(r), q.from_day, q.to_day, unit_row, &c, &e)) {
        json_decref(c.rows);
        reply_err(r, &e);
        return;
    }
    reply_json(
        r, 200,
        json_pack("{s:s, s:o, s:o}", "unit", q.unit, "period", period_json(&q), "units", c.rows));
}

struct drill_ctx {
    json_t *items;
    int64_t count, limit;
};

static int drill_row(const struct dossier *d, void *ctx)
{
    struct drill_ctx *c = ctx;
    if (c->count++ >= c->limit) return 0; /* keep counting: the count equals the figure */
    json_array_append_new(c->items,
                          json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", d->code, "unit",
                                    d->unit, "procedure", d->procedure, "status",
                                    dossier_status_name(d->st.status), "received_at",
                                    jinstant(d->st.received_at), "due_at", jinstant(d->st.due_at)));
    return 0;
}

void h_stats_dossiers(struct req *r)
{
    static const char *const allowed[] = {"period",  "unit",   "procedure", "field",
                                          "channel", "figure", "limit",     "own",
                                          "officer", "step",   NULL};
    struct stats_query q;
    if (req_query_check(r, allowed) || read_query(r, &q)) return;
    struct err e = {0};
    const char *fs = req_query(r, "figure"), *ls = req_query(r, "limit");
    int fig;
    if (!fs) {
        reply_error(r, 400, "missing_field", "figure",
                    "query argument 'figure' is required (see docs/statistics.md)");
        return;
    }
    /* steps_done / steps_late: an officer's row of GET /api/stats/officers */
    int step_fig = !strcmp(fs, "steps_done") ? 1 : !strcmp(fs, "steps_late") ? 2 : 0;
    const char *officer = req_query(r, "officer"), *steps = req_query(r, "step");
    long step = 0;
    if (step_fig) {
        char *end = NULL;
        if (steps) step = strtol(steps, &end, 10);
        if (!steps || !*steps || *end || step < 1 || step > 99) {
            reply_error(r, 400, steps ? "invalid" : "missing_field", "step",
                        "step '%.20s': figure %s needs the step number, 1..99", steps ? steps : "",
                        fs);
            return;
        }
        if (!officer) {
            reply_error(r, 400, "missing_field", "officer",
                        "figure %s needs 'officer' (empty for steps without one)", fs);
            return;
        }
        fig = 0;
    } else if (officer || steps) {
        reply_error(r, 400, "invalid", officer ? "officer" : "step",
                    "'officer' and 'step' belong to figures steps_done and steps_late");
        return;
    } else if (stats_figure_parse(fs, &fig, &e)) {
        reply_err(r, &e);
        return;
    }
    const char *own = req_query(r, "own");
    if (own && strcmp(own, "0") && strcmp(own, "1")) {
        reply_error(r, 400, "invalid", "own",
                    "own '%.20s': must be 0 or 1 (1: the unit's own dossiers, without its "
                    "subtree)",
                    own);
        return;
    }
    q.own = own && !strcmp(own, "1");
    struct drill_ctx c = {json_array(), 0, DRILL_LIMIT_DEFAULT};
    if (ls) {
        char *end;
        long long v = strtoll(ls, &end, 10);
        if (!*ls || *end || v < 1 || v > DRILL_LIMIT_MAX) {
            json_decref(c.items);
            reply_error(r, 400, "invalid", "limit", "limit '%.20s': must be 1..%d", ls,
                        DRILL_LIMIT_MAX);
            return;
        }
        c.limit = v;
    }
    if (step_fig ? store_stats_step_dossiers(req_store(r), &q, officer, (int)step, step_fig == 2,
                                             drill_row, &c, &e)
                 : store_stats_dossiers(req_store(r), &q, fig, drill_row, &c, &e)) {
        json_decref(c.items);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:o, s:I, s:b, s:o}", "unit", q.unit, "figure",
                         step_fig ? fs : stats_figure_name(fig), "period", period_json(&q), "count",
                         (json_int_t)c.count, "truncated", c.count > c.limit, "dossiers", c.items));
}

struct officers_ctx {
    struct req *r;
    json_t *rows;
};

static int officer_row(const struct stats_officer *o, void *ctx)
{
    struct officers_ctx *c = ctx; /* rows of q.unit's subtree, which read_query checked */
    char q[512];
    size_t len = 0;
    q[0] = 0;
    query_add(q, sizeof q, &len, "period", req_query(c->r, "period"));
    query_add(q, sizeof q, &len, "unit", o->unit);
    query_add(q, sizeof q, &len, "officer", o->officer);
    char *done =
        arena_printf(c->r->arena, "/api/stats/dossiers?%s&step=%d&figure=steps_done", q, o->step);
    char *late =
        arena_printf(c->r->arena, "/api/stats/dossiers?%s&step=%d&figure=steps_late", q, o->step);
    json_array_append_new(c->rows, json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:{s:o, s:o}}", "unit",
                                             o->unit, "officer", o->officer, "name", o->name,
                                             "step", o->step, "steps_done", (json_int_t)o->done,
                                             "steps_late", (json_int_t)o->late, "drill",
                                             "steps_done", done ? json_string(done) : json_null(),
                                             "steps_late", late ? json_string(late) : json_null()));
    return 0;
}

void h_stats_officers(struct req *r)
{
    static const char *const allowed[] = {"period", "unit", NULL};
    struct stats_query q;
    if (req_query_check(r, allowed) || read_query(r, &q)) return;
    struct officers_ctx c = {r, json_array()};
    struct err e = {0};
    if (store_stats_officers(req_store(r), &q, officer_row, &c, &e)) {
        json_decref(c.rows);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o}", "unit", q.unit, "period", period_json(&q), "officers",
                         c.rows));
}
