/* sqlite_par_results.c — the PAR round's computed criteria and results on SQLite. A computed
 * leaf names a metric ("on_time_pct"); the table below says which dossier statistic of
 * src/core/stats.h (store_stats_figures, store_stats_dossiers of sqlite_stats.c) gives it, over
 * the unit's subtree and the units merged into it, for the round's period. Until publication
 * the values are computed live; publishing freezes them with the dossiers behind them. Results
 * load the set, scores and metrics into src/core/par_score.c and compare with last year's
 * published round through the units' successor links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_par_int.h"
#include "stats.h"
#include "store_initiative.h"
#include "store_reform.h"

/* ---- metrics a computed criterion may name --------------------------------------------- */

/* Denominators are the stats engineer's (docs/statistics.md). A set's metric with no row here
 * gets no value: the leaf keeps its self / appraised score. plan_done_pct is not dossier data:
 * it is the unit's CCHC plan completion rate (store_reform_rate, reform_store.c) for the
 * round's year on the round's last day, and its drill-down is the tasks it counts
 * (GET /api/reform/rate?unit=U&round=R), not dossiers. "On time" counts early + on-time results
 * over solved dossiers, the reading of "tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn" in provincial
 * commune sets (verify against the set's guidance: some divide by dossiers due). */
#define METRIC_PLAN        (-2) /* metric_def.metric of plan_done_pct: from the reform tasks */
#define METRIC_INSPECTED   (-3) /* of inspected_pct: from the inspections */
#define METRIC_INITIATIVES (-4) /* of initiatives_count: from the initiatives registry */

struct metric_def {
    const char *name;
    int metric; /* enum stats_metric; -1: apology_pct, computed here */
    enum stats_denom denom;
    int num_fig[2]; /* figures whose dossiers form the numerator (-1: unused) */
    int den_fig;
    const char *den_name;
};
static const struct metric_def metric_defs[] = {
    {"on_time_pct",
     SM_ONTIME,
     DEN_SOLVED,
     {SC_SOLVED_EARLY, SC_SOLVED_ON_TIME},
     SF_SOLVED,
     "solved"},
    {"early_pct", SM_EARLY, DEN_SOLVED, {SC_SOLVED_EARLY, -1}, SF_SOLVED, "solved"},
    {"online_pct", SM_ONLINE, DEN_RECEIVED, {SC_RECV_ONLINE, -1}, SC_RECEIVED, "received"},
    {"online_full_pct",
     SM_ONLINE_FULL,
     DEN_RECEIVED,
     {SC_ONLINE_FULL, -1},
     SC_RECEIVED,
     "received"},
    {"online_payment_pct", SM_PAID_ONLINE, DEN_FEE, {SC_PAID_ONLINE, -1}, SC_FEE_DUE, "fee"},
    {"digitised_pct", SM_DIGITISED, DEN_RECEIVED, {SC_DIGITISED, -1}, SC_RECEIVED, "received"},
    {"result_digital_pct",
     SM_RESULT_DIGITAL,
     DEN_SOLVED,
     {SC_RESULT_DIGITAL, -1},
     SF_SOLVED,
     "solved"},
    {"satisfaction_pct", SM_SATISFACTION, DEN_RATED, {SC_RATING_GOOD, -1}, SC_RATED, "rated"},
    /* Late results with an apology letter (Mẫu 04, Circular 01/2018/TT-VPCP; the duty to
     * apologise: Decree 61/2018/NĐ-CP Art. 19 as amended (verify the article)). */
    {"apology_pct", -1, DEN_SOLVED, {-1, -1}, SC_SOLVED_LATE, "solved_late"},
    /* The plan completion rate ("mức độ hoàn thành kế hoạch CCHC", e.g. criterion 1.1.2 of the
     * commune set data/par/commune-ht-3396-2021.csv): tasks done over tasks due or done. */
    {"plan_done_pct", METRIC_PLAN, DEN_SOLVED, {-1, -1}, -1, "tasks"},
    /* The share of the units directly under the unit inspected in the round's year
     * (store_insp_share): "tỷ lệ cơ quan, đơn vị được kiểm tra CCHC" (verify per set). */
    {"inspected_pct", METRIC_INSPECTED, DEN_SOLVED, {-1, -1}, -1, "units"},
    /* Initiatives of the unit recognised in the round's period (store_init_count): a count,
     * not a rate ("Sáng kiến, mô hình mới về CCHC", criterion 1.6 of the commune set
     * data/par/commune-ht-3396-2021.csv); value = count in thousandths, so the set's rule
     * reads counts (">=1:1;else:0"). den: the unit's initiatives proposed or recognised in the
     * period, the drill-down list (GET /api/reform/initiative-count?unit=U&round=R). */
    {"initiatives_count", METRIC_INITIATIVES, DEN_SOLVED, {-1, -1}, -1, "initiatives"},
};
#define N_METRIC_DEFS (int)(sizeof metric_defs / sizeof metric_defs[0])

static const struct metric_def *metric_find(const char *name)
{
    for (int i = 0; i < N_METRIC_DEFS; i++)
        if (!strcmp(metric_defs[i].name, name)) return &metric_defs[i];
    return NULL;
}

/* ---- the units whose dossiers count for a unit: itself and those merged into it -------- */

#define LINEAGE_MAX 64

struct lineage {
    int n;
    char code[LINEAGE_MAX][UNIT_CODE_MAX];
};

static int lineage_add(const struct unit *u, void *ctx)
{
    struct lineage *l = ctx;
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->code[i], u->code)) return 0;
    if (l->n == LINEAGE_MAX) return 0; /* more than 64 merged units: not a real reorganisation */
    snprintf(l->code[l->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int lineage_of(struct store *s, const char *unit, struct lineage *l, struct err *e)
{
    l->n = 1;
    snprintf(l->code[0], UNIT_CODE_MAX, "%s", unit);
    for (int i = 0; i < l->n; i++) { /* breadth first: predecessors of predecessors too */
        char code[UNIT_CODE_MAX];
        memcpy(code, l->code[i], sizeof code);
        int rc = store_unit_predecessors(s, code, lineage_add, l, e);
        if (rc) return rc;
    }
    return 0;
}

static void figures_add(struct stats_figures *to, const struct stats_figures *x)
{
    stats_counts_add(&to->flow, &x->flow);
    to->solved += x->solved;
    to->finished += x->finished;
    to->carried_over += x->carried_over;
    to->received_total += x->received_total;
    to->in_progress += x->in_progress;
    to->in_progress_in_time += x->in_progress_in_time;
    to->in_progress_overdue += x->in_progress_overdue;
}

static int lineage_figures(struct store *s, const struct lineage *l, int64_t from, int64_t to,
                           struct stats_figures *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < l->n; i++) {
        struct stats_query q = {.unit = l->code[i], .channel = -1, .from_day = from, .to_day = to};
        struct stats_figures f;
        int rc = store_stats_figures(s, &q, &f, e);
        if (rc) return rc;
        figures_add(out, &f);
    }
    return 0;
}

/* ---- dossier lists (drill-down) -------------------------------------------------------- */

struct dlist {
    int n, cap;
    struct ditem {
        int64_t id;
        char code[DOSSIER_CODE_LEN];
        int in_num;
    } * it;
    int apology; /* apology_pct: in_num = the dossier has an apology letter */
    struct err *e;
};

static int dlist_find(const struct dlist *l, int64_t id)
{
    for (int i = 0; i < l->n; i++)
        if (l->it[i].id == id) return i;
    return -1;
}

static int dlist_den(const struct dossier *d, void *ctx)
{
    struct dlist *l = ctx;
    if (dlist_find(l, d->id) >= 0) return 0;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 256;
        struct ditem *g = realloc(l->it, sizeof *g * (size_t)cap);
        if (!g) return err_set(l->e, ERR_NOMEM, "", "out of memory");
        l->it = g;
        l->cap = cap;
    }
    struct ditem *it = &l->it[l->n++];
    it->id = d->id;
    snprintf(it->code, sizeof it->code, "%s", d->code);
    it->in_num = l->apology && d->st.apologies > 0;
    return 0;
}

static int dlist_num(const struct dossier *d, void *ctx)
{
    struct dlist *l = ctx;
    int i = dlist_find(l, d->id);
    if (i >= 0) l->it[i].in_num = 1;
    return 0;
}

static int ditem_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ditem *)a)->code, ((const struct ditem *)b)->code);
}

/* The dossiers of a metric's denominator over the lineage, numerator ones marked. */
static int metric_dossiers_live(struct store *s, const struct metric_def *m,
                                const struct lineage *ln, int64_t from, int64_t to, struct dlist *l,
                                struct err *e)
{
    l->apology = m->metric < 0;
    l->e = e;
    int rc = 0;
    for (int i = 0; !rc && i < ln->n; i++) {
        struct stats_query q = {.unit = ln->code[i], .channel = -1, .from_day = from, .to_day = to};
        rc = store_stats_dossiers(s, &q, m->den_fig, dlist_den, l, e);
        for (int k = 0; !rc && k < 2 && m->num_fig[k] >= 0; k++)
            rc = store_stats_dossiers(s, &q, m->num_fig[k], dlist_num, l, e);
    }
    if (!rc && l->n > 1) qsort(l->it, (size_t)l->n, sizeof *l->it, ditem_cmp);
    return rc;
}

/* ---- live values ----------------------------------------------------------------------- */

static void metric_value(const struct metric_def *m, const struct stats_figures *f,
                         const struct dlist *apology, struct par_metric *out)
{
    out->known = 1;
    snprintf(out->denom, sizeof out->denom, "%s", m->den_name);
    if (m->metric < 0) {
        out->den = apology->n;
        out->num = 0;
        for (int i = 0; i < apology->n; i++)
            out->num += apology->it[i].in_num;
    } else {
        struct stats_rate r;
        if (stats_rate(f, (enum stats_metric)m->metric, m->denom, &r, NULL)) r.num = r.den = 0;
        out->num = r.num;
        out->den = r.den;
    }
    out->value = par_metric_pct(out->num, out->den);
}

static void metric_init(struct par_metric *out, const char *unit, const struct par_node *node)
{
    memset(out, 0, sizeof *out);
    snprintf(out->unit, sizeof out->unit, "%s", unit);
    snprintf(out->node, sizeof out->node, "%s", node->code);
    snprintf(out->metric, sizeof out->metric, "%s", node->metric);
    out->value = PAR_NONE;
}

/* plan_done_pct of out->unit: the completion rate of its CCHC plan tasks of the round's year
 * on the round's last day; inspected_pct: the share of the units under it inspected in the
 * round's year. */
static int metric_plan(struct store *s, const struct par_round *r, const struct metric_def *m,
                       struct par_metric *out, struct err *e)
{
    struct reform_rate rate;
    int rc;
    if (m->metric == METRIC_INITIATIVES) {
        struct init_count c;
        if ((rc = store_init_count(s, out->unit, r->period_from, r->period_to, &c, NULL, NULL, e)))
            return rc;
        out->known = 1;
        snprintf(out->denom, sizeof out->denom, "%s", m->den_name);
        out->num = c.num;
        out->den = c.den;
        out->value = c.value;
        return 0;
    }
    if (m->metric == METRIC_INSPECTED) {
        struct insp_share sh;
        if ((rc = store_insp_share(s, out->unit, r->year, &sh, e))) return rc;
        rate.num = sh.num;
        rate.den = sh.den;
    } else if ((rc =
                    store_reform_rate(s, out->unit, r->year, r->period_to, &rate, NULL, NULL, e))) {
        return rc;
    }
    out->known = 1;
    snprintf(out->denom, sizeof out->denom, "%s", m->den_name);
    out->num = rate.num;
    out->den = rate.den;
    out->value = par_metric_pct(rate.num, rate.den);
    return 0;
}

/* Fills out for computed leaf node of unit, live. f: the lineage's figures. */
static int metric_live(struct store *s, const struct par_round *r, const struct lineage *ln,
                       const struct stats_figures *f, const struct par_node *node,
                       struct par_metric *out, struct err *e)
{
    metric_init(out, ln->code[0], node);
    const struct metric_def *m = metric_find(node->metric);
    if (!m) return 0;
    if (m->metric <= METRIC_PLAN) return metric_plan(s, r, m, out, e);
    struct dlist l = {0};
    int rc = 0;
    if (m->metric < 0) rc = metric_dossiers_live(s, m, ln, r->period_from, r->period_to, &l, e);
    if (!rc) metric_value(m, f, &l, out);
    free(l.it);
    return rc;
}

/* ---- frozen values --------------------------------------------------------------------- */

static const char SQL_METRIC_INSERT[] =
    "INSERT INTO par_metrics (round_id, unit_code, node_code, metric, value, num, den, denom, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_METRIC_DOSSIER_INSERT[] =
    "INSERT INTO par_metric_dossiers (round_id, unit_code, node_code, dossier_id, in_num, "
    "province, dossier_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_METRIC_GET[] =
    "SELECT metric, value, num, den, denom FROM par_metrics WHERE round_id = ?1 AND unit_code = "
    "?2 AND node_code = ?3";
/* the codes as frozen with the list (migration 050): no join with dossiers, which on Citus
 * may live in other shards than the round */
static const char SQL_METRIC_DOSSIERS[] =
    "SELECT dossier_code, in_num FROM par_metric_dossiers WHERE round_id = ?1 AND unit_code = ?2 "
    "AND node_code = ?3 ORDER BY dossier_code";

static int metric_frozen(struct store *s, int64_t round_id, const char *unit,
                         const struct par_node *node, struct par_metric *out, struct err *e)
{
    metric_init(out, unit, node);
    out->frozen = 1;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_METRIC_GET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, round_id);
    db_bind_text(st, 2, unit);
    db_bind_text(st, 3, node->code);
    int step = db_step(st);
    if (step == DB_ROW) {
        out->known = 1;
        if (!db_col_null(st, 1)) out->value = db_col_int64(st, 1);
        out->num = db_col_int64(st, 2);
        out->den = db_col_int64(st, 3);
        sq_col_text(st, 4, out->denom, sizeof out->denom);
    } else if (step != DB_DONE) {
        rc = sq_fail(s, step, "PAR metric", e);
    }
    sq_done(s, st);
    return rc;
}

static int freeze_one(struct store *s, const struct par_round_row *rr, const struct par_metric *m,
                      const struct dlist *l, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_METRIC_INSERT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->id);
    db_bind_text(st, 2, m->unit);
    db_bind_text(st, 3, m->node);
    db_bind_text(st, 4, m->metric);
    if (m->value != PAR_NONE) db_bind_int64(st, 5, m->value);
    db_bind_int64(st, 6, m->num);
    db_bind_int64(st, 7, m->den);
    db_bind_text(st, 8, m->denom);
    db_bind_text(st, 9, rr->province);
    rc = sq_step_done(s, st, "PAR metric", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < l->n; i++) {
        if ((rc = sq_prep(s, SQL_METRIC_DOSSIER_INSERT, &st, e))) break;
        db_bind_int64(st, 1, rr->id);
        db_bind_text(st, 2, m->unit);
        db_bind_text(st, 3, m->node);
        db_bind_int64(st, 4, l->it[i].id);
        db_bind_int64(st, 5, l->it[i].in_num);
        db_bind_text(st, 6, rr->province);
        db_bind_text(st, 7, l->it[i].code);
        rc = sq_step_done(s, st, "PAR metric dossiers", e);
        sq_done(s, st);
    }
    return rc;
}

/* ---- the round's units, collected before iterating (the callbacks query the store) ----- */

struct codes {
    int n, cap;
    char (*c)[UNIT_CODE_MAX];
    char (*name)[UNIT_NAME_MAX];
};

static int codes_add(const struct unit *u, void *ctx)
{
    struct codes *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        char(*g)[UNIT_CODE_MAX] = realloc(x->c, sizeof *g * (size_t)cap);
        if (g) x->c = g;
        char(*h)[UNIT_NAME_MAX] = realloc(x->name, sizeof *h * (size_t)cap);
        if (h) x->name = h;
        if (!g || !h) return ERR_NOMEM;
        x->cap = cap;
    }
    snprintf(x->c[x->n], UNIT_CODE_MAX, "%s", u->code);
    snprintf(x->name[x->n++], UNIT_NAME_MAX, "%s", u->name);
    return 0;
}

static void codes_free(struct codes *x)
{
    free(x->c);
    free(x->name);
}

static int round_codes(struct store *s, const char *round, struct codes *x, struct err *e)
{
    int rc = store_par_round_units(s, round, codes_add, x, e);
    if (rc == ERR_NOMEM) return err_set(e, ERR_NOMEM, "", "out of memory");
    return rc;
}

/* 1 if the set has a computed leaf whose metric cchc computes. */
static int set_has_known_metric(const struct par_set *set)
{
    for (int l = 0; l < set->nleaves; l++) {
        const struct par_node *n = &set->node[set->leaves[l]];
        if (n->method == PAR_COMPUTED && metric_find(n->metric)) return 1;
    }
    return 0;
}

int par_metrics_freeze(struct store *s, const struct par_round_row *rr, struct err *e)
{
    struct par_set *set = NULL;
    struct codes units = {0};
    int rc = par_set_load_id(s, rr->set_id, &set, e);
    if (!rc && set_has_known_metric(set)) rc = round_codes(s, rr->r.code, &units, e);
    for (int u = 0; !rc && u < units.n; u++) {
        struct lineage ln;
        struct stats_figures f;
        if ((rc = lineage_of(s, units.c[u], &ln, e)) ||
            (rc = lineage_figures(s, &ln, rr->r.period_from, rr->r.period_to, &f, e)))
            break;
        for (int l = 0; !rc && l < set->nleaves; l++) {
            const struct par_node *n = &set->node[set->leaves[l]];
            const struct metric_def *m = n->method == PAR_COMPUTED ? metric_find(n->metric) : NULL;
            if (!m) continue;
            struct par_metric pm;
            struct dlist dl = {0};
            metric_init(&pm, units.c[u], n);
            if (m->metric <= METRIC_PLAN) { /* frozen as a figure; its tasks stay in the plan */
                rc = metric_plan(s, &rr->r, m, &pm, e);
                if (!rc) rc = freeze_one(s, rr, &pm, &dl, e);
                continue;
            }
            rc = metric_dossiers_live(s, m, &ln, rr->r.period_from, rr->r.period_to, &dl, e);
            if (!rc) metric_value(m, &f, &dl, &pm);
            if (!rc) rc = freeze_one(s, rr, &pm, &dl, e);
            free(dl.it);
        }
    }
    codes_free(&units);
    par_set_free(set);
    return rc;
}

/* ---- metrics of a round ---------------------------------------------------------------- */

static int unit_metrics(struct store *s, const struct par_round_row *rr, const struct par_set *set,
                        const char *unit, par_metric_fn fn, void *ctx, struct err *e)
{
    int live = rr->r.phase != PAR_PHASE_PUBLISHED;
    struct lineage ln = {.n = 1};
    struct stats_figures f;
    memset(&f, 0, sizeof f);
    snprintf(ln.code[0], UNIT_CODE_MAX, "%s", unit);
    int rc = 0;
    if (live && set_has_known_metric(set) &&
        ((rc = lineage_of(s, unit, &ln, e)) ||
         (rc = lineage_figures(s, &ln, rr->r.period_from, rr->r.period_to, &f, e))))
        return rc;
    for (int l = 0; l < set->nleaves; l++) {
        const struct par_node *n = &set->node[set->leaves[l]];
        if (n->method != PAR_COMPUTED) continue;
        struct par_metric m;
        rc = live ? metric_live(s, &rr->r, &ln, &f, n, &m, e)
                  : metric_frozen(s, rr->id, unit, n, &m, e);
        if (rc) return rc;
        if ((rc = fn(&m, ctx))) return rc;
    }
    return 0;
}

int store_par_metrics(struct store *s, const char *round, const char *unit, par_metric_fn fn,
                      void *ctx, struct err *e)
{
    struct par_round_row rr;
    struct par_set *set = NULL;
    struct codes units = {0};
    int rc = par_round_row(s, round, &rr, e);
    if (!rc && unit) rc = par_round_has_unit(s, &rr, unit, e);
    if (!rc) rc = par_set_load_id(s, rr.set_id, &set, e);
    if (!rc && !unit) rc = round_codes(s, round, &units, e);
    if (!rc && unit) rc = unit_metrics(s, &rr, set, unit, fn, ctx, e);
    for (int u = 0; !rc && u < units.n; u++)
        rc = unit_metrics(s, &rr, set, units.c[u], fn, ctx, e);
    codes_free(&units);
    par_set_free(set);
    return rc;
}

int store_par_metric_dossiers(struct store *s, const char *round, const char *unit,
                              const char *node, par_dossier_fn fn, void *ctx, struct err *e)
{
    struct par_round_row rr;
    struct par_set *set = NULL;
    int rc = par_round_row(s, round, &rr, e);
    if (!rc) rc = par_round_has_unit(s, &rr, unit, e);
    if (!rc) rc = par_set_load_id(s, rr.set_id, &set, e);
    int i = rc ? -1 : par_set_find(set, node ? node : "");
    const struct metric_def *m = NULL;
    if (!rc && (i < 0 || set->node[i].method != PAR_COMPUTED))
        rc = err_set(e, ERR_INVALID, "node", "node '%s' is not a computed criterion of set '%s'",
                     node ? node : "", set->code);
    if (!rc && (!(m = metric_find(set->node[i].metric)) || m->metric <= METRIC_PLAN))
        rc = err_set(e, ERR_INVALID, "node",
                     "node '%s': metric '%s' is not computed from dossier data%s", node,
                     set->node[i].metric,
                     !m                                ? ""
                     : m->metric == METRIC_INITIATIVES ? " (its initiatives: GET "
                                                         "/api/reform/initiative-count?unit=UNIT&"
                                                         "round=ROUND)"
                                                       : " (its tasks: GET "
                                                         "/api/reform/rate?unit=UNIT&round=ROUND)");
    par_set_free(set);
    if (rc) return rc;
    if (rr.r.phase == PAR_PHASE_PUBLISHED) {
        struct db_stmt *st;
        if ((rc = sq_prep(s, SQL_METRIC_DOSSIERS, &st, e))) return rc;
        db_bind_int64(st, 1, rr.id);
        db_bind_text(st, 2, unit);
        db_bind_text(st, 3, node);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW)
            urc = fn(db_col_text(st, 0), (int)db_col_int64(st, 1), ctx);
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "PAR metric dossiers", e);
        sq_done(s, st);
        return rc;
    }
    struct lineage ln;
    struct dlist l = {0};
    rc = lineage_of(s, unit, &ln, e);
    if (!rc) rc = metric_dossiers_live(s, m, &ln, rr.r.period_from, rr.r.period_to, &l, e);
    for (int k = 0; !rc && k < l.n; k++)
        rc = fn(l.it[k].code, l.it[k].in_num, ctx);
    free(l.it);
    return rc;
}

/* ---- results --------------------------------------------------------------------------- */

struct load_ctx {
    struct par_scores *sc;
    const struct par_set *set;
    struct err *e;
};

static int put_or_fail(struct load_ctx *x, const char *unit, const char *node, enum par_kind k,
                       par_pts v)
{
    if (v == PAR_NONE) return 0;
    int u, rc = par_scores_unit(x->sc, unit, NULL, &u, x->e);
    if (!rc) rc = par_scores_put(x->sc, u, node, k, v, x->e);
    return rc;
}

static int load_cell(const struct par_cell *c, void *ctx)
{
    struct load_ctx *x = ctx;
    int rc = put_or_fail(x, c->unit, c->node, PAR_SELF, c->self);
    if (!rc) rc = put_or_fail(x, c->unit, c->node, PAR_APPRAISED, c->appraised);
    if (!rc) rc = put_or_fail(x, c->unit, c->node, PAR_SURVEYED, c->survey);
    return rc;
}

static int load_metric(const struct par_metric *m, void *ctx)
{
    return put_or_fail(ctx, m->unit, m->node, PAR_METRIC, m->value);
}

static const char SQL_TARGETS[] =
    "SELECT unit_code, up, rank, index_pct FROM par_targets WHERE round_id = ?1 ORDER BY "
    "unit_code";
static const char SQL_PREVIOUS[] =
    "SELECT r.code FROM par_rounds r JOIN par_sets s ON s.id = r.set_id WHERE r.year = ?1 AND "
    "r.phase = 'published' AND s.scope = (SELECT scope FROM par_sets WHERE id = ?2) ORDER BY "
    "r.code";

static int apply_targets(struct store *s, const struct par_round_row *rr, struct par_results *res,
                         int *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TARGETS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->id);
    struct par_target *t = NULL;
    int cap = 0, step;
    *n = 0;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            struct par_target *g = realloc(t, sizeof *g * (size_t)cap);
            if (!g) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            t = g;
        }
        struct par_target *x = &t[(*n)++];
        memset(x, 0, sizeof *x);
        sq_col_text(st, 0, x->code, sizeof x->code);
        x->up = (int)db_col_int64(st, 1);
        x->rank = (int)db_col_int64(st, 2);
        x->index = db_col_null(st, 3) ? PAR_NONE : db_col_int64(st, 3);
        x->where = "stored target";
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "PAR targets", e);
    sq_done(s, st);
    if (!rc && *n) rc = par_apply_targets(res, t, *n, e);
    free(t);
    return rc;
}

/* The round to compare with: given, or the one published round of the year before. */
static int previous_code(struct store *s, const struct par_round_row *rr, const char *given,
                         char *out, struct err *e)
{
    out[0] = '\0';
    if (given) {
        if (!*given) return 0;
        struct par_round p;
        int rc = store_par_round_get(s, given, &p, e);
        if (rc) return rc;
        if (p.phase != PAR_PHASE_PUBLISHED)
            return err_set(e, ERR_CONFLICT, "previous",
                           "previous round '%s' is not published; only published results are "
                           "compared",
                           given);
        if (!strcmp(p.code, rr->r.code))
            return err_set(e, ERR_INVALID, "previous", "a round cannot be its own previous round");
        snprintf(out, PAR_CODE_MAX, "%s", p.code);
        return 0;
    }
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PREVIOUS, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, rr->r.year - 1);
    db_bind_int64(st, 2, rr->set_id);
    int n = 0, step;
    while ((step = db_step(st)) == DB_ROW)
        if (n++ == 0) sq_col_text(st, 0, out, PAR_CODE_MAX);
    sq_done(s, st);
    if (step != DB_DONE) return sq_fail(s, step, "PAR rounds", e);
    if (n > 1)
        return err_set(e, ERR_CONFLICT, "previous",
                       "%d rounds of %d are published for this scope: name the one to compare "
                       "with (--previous ROUND)",
                       n, rr->r.year - 1);
    return 0;
}

static int compare_previous(struct store *s, const struct par_round_row *rr, const char *prev,
                            struct par_results *res, struct err *e)
{
    struct par_round_results p = {0};
    int rc = store_par_results(s, prev, "", &p, e);
    struct par_prev_entry *pe = rc ? NULL : calloc((size_t)p.res->n + 1, sizeof *pe);
    if (!rc && !pe) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (int i = 0; !rc && i < p.res->n; i++) {
        const struct par_unit_result *u = &p.res->u[i];
        snprintf(pe[i].code, sizeof pe[i].code, "%s", u->code);
        pe[i].index = u->index;
        pe[i].rank = u->rank;
        pe[i].where = "previous round";
        struct unit now;
        struct err ignore;
        /* a unit merged since: its successor as of the end of this round's period */
        if (!store_unit_resolve(s, u->code, rr->r.period_to, &now, &ignore) &&
            strcmp(now.code, u->code))
            snprintf(pe[i].successor, sizeof pe[i].successor, "%s", now.code);
    }
    if (!rc) rc = par_compare_previous(res, pe, p.res->n, e);
    free(pe);
    store_par_results_free(&p);
    return rc;
}

static int results_load(struct store *s, const struct par_round_row *rr,
                        struct par_round_results *out, struct err *e)
{
    struct codes units = {0};
    int rc = par_set_load_id(s, rr->set_id, &out->set, e);
    if (!rc) rc = par_scores_new(out->set, &out->scores, e);
    if (!rc) rc = round_codes(s, rr->r.code, &units, e);
    for (int i = 0; !rc && i < units.n; i++) {
        int u;
        rc = par_scores_unit(out->scores, units.c[i], units.name[i], &u, e);
    }
    codes_free(&units);
    struct load_ctx x = {out->scores, out->set, e};
    if (!rc) rc = store_par_cells(s, rr->r.code, NULL, load_cell, &x, e);
    if (!rc) rc = store_par_metrics(s, rr->r.code, NULL, load_metric, &x, e);
    if (!rc) rc = par_compute(out->set, out->scores, &out->res, e);
    return rc;
}

int store_par_results(struct store *s, const char *round, const char *previous,
                      struct par_round_results *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct par_round_row rr;
    int rc = par_round_row(s, round, &rr, e);
    if (!rc) {
        out->round = rr.r;
        rc = results_load(s, &rr, out, e);
    }
    if (!rc) rc = previous_code(s, &rr, previous, out->previous, e);
    if (!rc && out->previous[0]) rc = compare_previous(s, &rr, out->previous, out->res, e);
    if (!rc) rc = apply_targets(s, &rr, out->res, &out->ntargets, e);
    if (rc) store_par_results_free(out);
    return rc;
}

void store_par_results_free(struct par_round_results *r)
{
    par_results_free(r->res);
    par_scores_free(r->scores);
    par_set_free(r->set);
    r->res = NULL;
    r->scores = NULL;
    r->set = NULL;
}
