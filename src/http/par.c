/* par.c — the PAR index (Chỉ số CCHC) over HTTP: everything the web UI needs to run a round.
 * Rounds and one round's criteria tree and units; one unit's cells (self, appraised and survey
 * points, comments, computed metrics with the dossiers behind them, evidence files); the unit
 * officer's self-assessment of a unit in their scope, the appraisal council's re-score and its
 * survey points; phase closing and publication by an administrator whose scope covers every
 * unit of the round; results as JSON, CSV or Excel. A unit outside the user's scope does not
 * exist (404); a write the round's phase refuses, and every write to a published round, is 409
 * and changes nothing (src/store/sqlite_par.c). Before publication, users other than assessors
 * and administrators see only their scope's units in the results. Points travel as decimal
 * strings ("3.5"), never as floats, on the way in; evidence files as base64 in JSON. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "par_io.h"
#include "stats.h"
#include "store.h"

static json_t *round_json(const struct par_round *p)
{
    json_t *o =
        json_pack("{s:o, s:o, s:i, s:o, s:o, s:s, s:s, s:i, s:o, s:o}", "code", jstr(p->code),
                  "title", jstr(p->title), "year", p->year, "set", jstr(p->set_code), "set_version",
                  jstr(p->set_version), "phase", par_phase_name(p->phase), "phase_label",
                  par_phase_label(p->phase), "units", p->nunits, "period_from",
                  jday(p->period_from), "period_to", jday(p->period_to));
    json_t *closed = json_object();
    for (int k = 0; o && closed && k < PAR_PHASE_PUBLISHED; k++)
        if (p->closed_at[k])
            json_object_set_new(closed, par_phase_name(k),
                                json_pack("{s:o, s:o}", "at", jinstant(p->closed_at[k]), "by",
                                          jstr(p->closed_by[k])));
    if (o) json_object_set_new(o, "closed", closed);
    return o;
}

static json_t *pts_json(par_pts v)
{
    char b[32];
    return v == PAR_NONE ? json_null() : json_string(par_pts_format(v, 2, b));
}

static int sees_all(const struct req *r)
{
    enum user_role role = r->sess->user.role;
    return role == UROLE_PAR_ASSESSOR || role == UROLE_ADMIN;
}

/* The unit of the path, if it lies in the user's scope; else 404 (replied) and NULL. */
static const char *scoped_unit(struct req *r)
{
    const char *unit = req_param(r, "unit");
    if (auth_scope_covers(r, unit)) return unit;
    reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    return NULL;
}

/* The set a round assesses against (the caller frees it with par_set_free). */
static int round_set(struct req *r, const struct par_round *p, struct par_set **set, struct err *e)
{
    char ref[PAR_CODE_MAX + 40];
    snprintf(ref, sizeof ref, "%s@%s", p->set_code, p->set_version);
    return store_par_set_load(req_store(r), ref, set, e);
}

/* ---- rounds ---------------------------------------------------------------------------- */

static int round_item(const struct par_round *p, void *ctx)
{
    return json_array_append_new(ctx, round_json(p)) ? ERR_NOMEM : 0;
}

void h_par_rounds(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    json_t *list = json_array();
    struct err e = {0};
    int rc = store_par_round_list(req_store(r), round_item, list, &e);
    if (rc) {
        json_decref(list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "rounds", list));
}

/* A new round, from the administration page: its units are those of the set's scope (or of
 * the kinds given) under the administrator's scope unit, or under a unit of that scope. */
void h_par_round_create(struct req *r)
{
    static const struct jfield spec[] = {{"round", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
                                         {"title", JT_STRING, 0, 0, PAR_TITLE_MAX - 1},
                                         {"year", JT_INT, 1, 2000, 2100},
                                         {"set", JT_STRING, 1, 1, PAR_CODE_MAX + 32},
                                         {"kinds", JT_STRING, 0, 0, 200},
                                         {"under", JT_STRING, 0, 0, UNIT_CODE_MAX - 1},
                                         {"period", JT_STRING, 0, 0, 40},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *under = jget_str(body, "under"), *period = jget_str(body, "period");
    if (!under || !*under) under = r->sess->user.unit;
    if (!auth_scope_covers(r, under))
        return reply_error(r, 404, "not_found", "under", "unit '%.40s' does not exist", under);
    struct par_round_new in = {.code = jget_str(body, "round"),
                               .title = jget_str(body, "title"),
                               .set = jget_str(body, "set"),
                               .year = (int)jget_int(body, "year", 0),
                               .kinds = jget_str(body, "kinds"),
                               .under = under,
                               .actor = r->sess->user.username,
                               .at = now_local_minutes(),
                               .period_from = INT64_MIN,
                               .period_to = INT64_MIN};
    struct err e = {0};
    if (period && *period && stats_period_parse(period, &in.period_from, &in.period_to, &e)) {
        snprintf(e.field, sizeof e.field, "period");
        return reply_err(r, &e);
    }
    struct par_round p;
    if (store_par_round_create(req_store(r), &in, &p, &e)) return reply_err(r, &e);
    reply_json(r, 201, round_json(&p));
}

static int set_item(const struct par_set_info *i, void *ctx)
{
    json_t *o =
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "code", i->code, "version", i->version, "year",
                  i->year, "scope", i->scope, "title", i->title, "legal_source", i->legal_source);
    return !o || json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

/* The criteria sets a round can assess against. */
void h_par_sets(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    json_t *list = json_array();
    struct err e = {0};
    int rc = store_par_set_list(req_store(r), set_item, list, &e);
    if (rc) {
        json_decref(list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:o}", "sets", list));
}

struct units_out {
    struct req *r;
    json_t *list;
};

static int unit_item(const struct unit *u, void *ctx)
{
    struct units_out *x = ctx;
    json_t *o = unit_json(u);
    if (!o) return ERR_NOMEM;
    json_object_set_new(o, "in_scope", json_boolean(auth_scope_covers(x->r, u->code)));
    return json_array_append_new(x->list, o) ? ERR_NOMEM : 0;
}

static json_t *string_list(const char *comma_separated)
{
    json_t *a = json_array();
    char buf[256];
    snprintf(buf, sizeof buf, "%s", comma_separated);
    for (char *save, *t = strtok_r(buf, ", ", &save); a && t; t = strtok_r(NULL, ", ", &save))
        json_array_append_new(a, json_string(t));
    return a;
}

void h_par_round_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct par_round p;
    struct par_set *set = NULL;
    struct err e = {0};
    if (store_par_round_get(req_store(r), req_param(r, "round"), &p, &e) ||
        round_set(r, &p, &set, &e))
        return reply_err(r, &e);
    struct units_out x = {r, json_array()};
    int rc = store_par_round_units(req_store(r), p.code, unit_item, &x, &e);
    if (rc) {
        par_set_free(set);
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    json_t *evidence =
        json_pack("{s:I, s:o}", "max_bytes", (json_int_t)req_config(r)->par_evidence_max,
                  "extensions", string_list(par_evidence_extensions()));
    json_t *body = json_pack("{s:o, s:o, s:o, s:o}", "round", round_json(&p), "set",
                             par_io_set_json(set), "units", x.list, "evidence", evidence);
    par_set_free(set);
    reply_json(r, 200, body);
}

/* ---- one unit's cells ------------------------------------------------------------------ */

static json_t *evidence_json(const char *round, const struct par_evidence *ev)
{
    return json_pack("{s:I, s:s, s:o, s:s, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)ev->id,
                     "node", ev->node, "name", jstr(ev->name), "type", ev->mime, "size",
                     (json_int_t)ev->size, "sha256", ev->sha256, "added_at", jinstant(ev->added_at),
                     "added_by", jstr(ev->added_by), "url",
                     json_sprintf("/api/par/rounds/%s/units/%s/evidence/%lld", round, ev->unit,
                                  (long long)ev->id));
}

/* What one leaf of a unit holds, in the set's leaf order. */
struct leaf_view {
    struct par_cell cell;
    int has_cell;
    struct par_metric metric;
    int has_metric;
    json_t *evidence;
};

struct unit_view {
    const char *round;
    const struct par_set *set;
    struct leaf_view *leaf;
    struct par_scores *scores;
    int unit; /* index in scores */
    struct err *e;
};

static int leaf_of(const struct unit_view *v, const char *node)
{
    int i = par_set_find(v->set, node);
    return i < 0 ? -1 : v->set->node[i].leaf;
}

/* Puts a stored value into the unit's scores; the store checked it when it was written. */
static int view_put(struct unit_view *v, const char *node, enum par_kind k, par_pts p)
{
    return p == PAR_NONE ? 0 : par_scores_put(v->scores, v->unit, node, k, p, v->e);
}

static int view_cell(const struct par_cell *c, void *ctx)
{
    struct unit_view *v = ctx;
    int l = leaf_of(v, c->node);
    if (l < 0) return 0;
    v->leaf[l].cell = *c;
    v->leaf[l].has_cell = 1;
    int rc = view_put(v, c->node, PAR_SELF, c->self);
    if (!rc) rc = view_put(v, c->node, PAR_APPRAISED, c->appraised);
    if (!rc) rc = view_put(v, c->node, PAR_SURVEYED, c->survey);
    return rc;
}

static int view_metric(const struct par_metric *m, void *ctx)
{
    struct unit_view *v = ctx;
    int l = leaf_of(v, m->node);
    if (l < 0) return 0;
    v->leaf[l].metric = *m;
    v->leaf[l].has_metric = 1;
    return view_put(v, m->node, PAR_METRIC, m->value);
}

static int view_evidence(const struct par_evidence *ev, void *ctx)
{
    struct unit_view *v = ctx;
    int l = leaf_of(v, ev->node);
    if (l < 0) return 0;
    if (!v->leaf[l].evidence) v->leaf[l].evidence = json_array();
    return json_array_append_new(v->leaf[l].evidence, evidence_json(v->round, ev)) ? ERR_NOMEM : 0;
}

static json_t *metric_json(const struct unit_view *v, const struct par_node *n,
                           const struct par_metric *m)
{
    char b[32], url[PAR_CODE_MAX * 3 + 64], tasks[PAR_CODE_MAX * 2 + 64] = "";
    snprintf(url, sizeof url, "/api/par/rounds/%s/units/%s/dossiers?node=%s", v->round, m->unit,
             n->code);
    /* criteria computed from reform data have no dossiers behind them: plan_done_pct's are
     * tasks (reform.c), inspected_pct's units */
    if (!strcmp(m->metric, "plan_done_pct"))
        snprintf(tasks, sizeof tasks, "/api/reform/rate?unit=%s&round=%s", m->unit, v->round);
    /* initiatives_count counts initiatives (initiative.c): no dossiers, and a count, not a rate */
    int count = !strcmp(m->metric, "initiatives_count");
    int of_dossiers =
        strcmp(m->metric, "plan_done_pct") && strcmp(m->metric, "inspected_pct") && !count;
    int has = m->known && m->value != PAR_NONE;
    json_t *o = json_pack("{s:s, s:b, s:o, s:I, s:I, s:o, s:b, s:o, s:o}", "name", m->metric,
                          "known", m->known, "percent",
                          has ? json_string(par_pts_format(m->value, 2, b)) : json_null(), "num",
                          (json_int_t)m->num, "den", (json_int_t)m->den, "denominator",
                          jstr_or_null(m->denom), "frozen", m->frozen, "points",
                          has ? pts_json(par_rule_points(&n->rule, m->value)) : json_null(),
                          "dossiers", m->known && of_dossiers ? json_string(url) : json_null());
    if (o && tasks[0]) json_object_set_new(o, "tasks", json_string(tasks));
    if (o && count) { /* "percent" is null; "count" the initiatives recognised in the period */
        char inits[PAR_CODE_MAX * 2 + 64];
        snprintf(inits, sizeof inits, "/api/reform/initiative-count?unit=%s&round=%s", m->unit,
                 v->round);
        json_object_set_new(o, "percent", json_null());
        json_object_set_new(o, "count", json_integer(m->num));
        json_object_set_new(o, "initiatives", json_string(inits));
    }
    return o;
}

static json_t *leaf_json(const struct unit_view *v, int l)
{
    const struct par_node *n = &v->set->node[v->set->leaves[l]];
    const struct leaf_view *lv = &v->leaf[l];
    par_pts cell[PAR_NKINDS];
    for (int k = 0; k < PAR_NKINDS; k++)
        cell[k] = par_scores_get(v->scores, v->unit, l, (enum par_kind)k);
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code", n->code, "method",
        par_method_name(n->method), "max", pts_json(n->max), "self", pts_json(cell[PAR_SELF]),
        "appraised", pts_json(cell[PAR_APPRAISED]), "survey", pts_json(cell[PAR_SURVEYED]),
        "points", pts_json(par_leaf_points(n, cell)), "self_comment",
        jstr_or_null(lv->has_cell ? lv->cell.self_comment : NULL), "appraisal_comment",
        jstr_or_null(lv->has_cell ? lv->cell.appraisal_comment : NULL));
    if (!o) return NULL;
    json_object_set_new(o, "metric", lv->has_metric ? metric_json(v, n, &lv->metric) : json_null());
    json_object_set_new(o, "evidence", lv->evidence ? json_incref(lv->evidence) : json_array());
    return o;
}

/* What the signed-in user may write to this unit now, for the UI's buttons. */
static json_t *may_json(const struct req *r, const struct par_round *p)
{
    enum user_role role = r->sess->user.role;
    int officer = role == UROLE_SPECIALIST || role == UROLE_LEADER;
    return json_pack("{s:b, s:b, s:b}", "self", officer && p->phase == PAR_PHASE_SELF, "appraise",
                     role == UROLE_PAR_ASSESSOR && p->phase == PAR_PHASE_APPRAISAL, "evidence",
                     officer && p->phase <= PAR_PHASE_APPRAISAL);
}

static json_t *unit_body(struct req *r, const struct par_round *p, const struct unit *u,
                         struct unit_view *v, const struct par_unit_result *res)
{
    const struct par_set *s = v->set;
    json_t *areas = json_array(), *leaves = json_array();
    char b[32];
    for (int a = 0; a < s->nareas; a++) {
        const struct par_node *n = &s->node[s->areas[a]];
        json_array_append_new(areas, json_pack("{s:s, s:o, s:o, s:o}", "code", n->code, "title",
                                               jstr(n->title), "max", pts_json(n->max), "points",
                                               pts_json(res->area[a])));
    }
    for (int l = 0; l < s->nleaves; l++)
        json_array_append_new(leaves, leaf_json(v, l));
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:i, s:o, s:o}", "round", round_json(p),
                     "unit", unit_json(u), "may", may_json(r, p), "total", pts_json(res->total),
                     "max", pts_json(s->max), "index", par_pts_format(res->index, 2, b),
                     "survey_total", pts_json(res->survey_total), "missing", res->missing, "areas",
                     areas, "leaves", leaves);
}

static void unit_view_free(struct unit_view *v)
{
    for (int l = 0; v->leaf && l < v->set->nleaves; l++)
        json_decref(v->leaf[l].evidence);
    free(v->leaf);
    par_scores_free(v->scores);
}

void h_par_unit_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    struct store *st = req_store(r);
    struct par_round p;
    struct par_set *set = NULL;
    struct unit u;
    struct err e = {0};
    struct unit_view v = {.round = req_param(r, "round"), .e = &e};
    struct par_results *res = NULL;
    int rc = store_par_round_get(st, v.round, &p, &e);
    if (!rc) rc = store_par_round_has_unit(st, p.code, unit, &e);
    if (!rc) rc = store_unit_get(st, unit, &u, &e);
    if (!rc) rc = round_set(r, &p, &set, &e);
    if (rc) goto out;
    v.set = set;
    v.leaf = calloc((size_t)set->nleaves + 1, sizeof *v.leaf);
    if (!v.leaf) {
        rc = err_set(&e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (!(rc = par_scores_new(set, &v.scores, &e)) &&
        !(rc = par_scores_unit(v.scores, unit, u.name, &v.unit, &e)) &&
        !(rc = store_par_cells(st, p.code, unit, view_cell, &v, &e)) &&
        !(rc = store_par_metrics(st, p.code, unit, view_metric, &v, &e)) &&
        !(rc = store_par_evidence_list(st, p.code, unit, NULL, view_evidence, &v, &e)))
        rc = par_compute(set, v.scores, &res, &e);
out:
    if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
    if (rc)
        reply_err(r, &e);
    else
        reply_json(r, 200, unit_body(r, &p, &u, &v, &res->u[0]));
    par_results_free(res);
    unit_view_free(&v);
    par_set_free(set);
}

/* ---- computed criteria: the dossiers behind a metric -------------------------------------- */

struct dossier_page {
    json_t *list;
    int64_t seen, offset, limit;
};

static int dossier_item(const char *code, int in_num, void *ctx)
{
    struct dossier_page *d = ctx;
    int64_t k = d->seen++;
    if (k < d->offset || k >= d->offset + d->limit) return 0;
    return json_array_append_new(d->list,
                                 json_pack("{s:s, s:b}", "code", code, "in_numerator", in_num))
               ? ERR_NOMEM
               : 0;
}

/* ?NAME=N as a whole number in [min, max] (def when absent); 400 (replied) and -1 if not. */
static int query_int(struct req *r, const char *name, int64_t def, int64_t min, int64_t max,
                     int64_t *out)
{
    const char *s = req_query(r, name);
    *out = def;
    if (!s) return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        reply_error(r, 400, "invalid", name, "%s: '%.40s' is not a whole number from %lld to %lld",
                    name, s, (long long)min, (long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

void h_par_unit_dossiers(struct req *r)
{
    static const char *const allowed[] = {"node", "limit", "offset", NULL};
    if (req_query_check(r, allowed)) return;
    const char *node = req_query(r, "node");
    if (!node || !*node)
        return reply_error(r, 400, "invalid", "node",
                           "node: give the computed criterion (?node=CODE)");
    struct dossier_page d = {json_array(), 0, 0, 0};
    if (query_int(r, "limit", 1000, 1, 10000, &d.limit) ||
        query_int(r, "offset", 0, 0, INT64_MAX / 2, &d.offset)) {
        json_decref(d.list);
        return;
    }
    const char *unit = scoped_unit(r);
    if (!unit) {
        json_decref(d.list);
        return;
    }
    const char *round = req_param(r, "round");
    struct err e = {0};
    int rc = store_par_metric_dossiers(req_store(r), round, unit, node, dossier_item, &d, &e);
    if (rc) {
        json_decref(d.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o}", "round", round, "unit", unit,
                         "node", node, "total", (json_int_t)d.seen, "offset", (json_int_t)d.offset,
                         "limit", (json_int_t)d.limit, "dossiers", d.list));
}

/* ---- scores ------------------------------------------------------------------------------ */

struct cell_pick {
    const char *node;
    struct par_cell cell;
};

static int cell_of(const struct par_cell *c, void *ctx)
{
    struct cell_pick *p = ctx;
    if (!strcmp(c->node, p->node)) p->cell = *c;
    return 0;
}

static void score(struct req *r, enum par_kind kind)
{
    static const struct jfield spec[] = {
        {"node", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"points", JT_STRING, 1, 1, 32},
        {"comment", JT_STRING, 0, 0, 399},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    struct par_score_in in = {.round = req_param(r, "round"),
                              .unit = unit,
                              .node = jget_str(body, "node"),
                              .kind = kind,
                              .comment = jget_str(body, "comment"),
                              .actor = r->sess->user.username,
                              .at = now_local_minutes()};
    struct err e = {0};
    if (par_decimal_parse(jget_str(body, "points"), PAR_DEC_MAX, 0, &in.points, "points", &e) ||
        store_par_score_put(req_store(r), &in, &e))
        return reply_err(r, &e);
    struct cell_pick p = {in.node, {.self = PAR_NONE, .appraised = PAR_NONE, .survey = PAR_NONE}};
    if (store_par_cells(req_store(r), in.round, unit, cell_of, &p, &e)) return reply_err(r, &e);
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "round", in.round, "unit",
                         unit, "node", in.node, "self", pts_json(p.cell.self), "appraised",
                         pts_json(p.cell.appraised), "survey", pts_json(p.cell.survey),
                         "self_comment", jstr(p.cell.self_comment), "appraisal_comment",
                         jstr(p.cell.appraisal_comment)));
}

void h_par_self(struct req *r)
{
    score(r, PAR_SELF);
}

void h_par_appraise(struct req *r)
{
    score(r, PAR_APPRAISED);
}

/* Survey points: {"rows": [{"unit", "node", "points"}]}, all or nothing. Every unit must lie
 * in the assessor's scope (else 404 naming it, nothing stored). */
void h_par_survey(struct req *r)
{
    static const struct jfield spec[] = {{"rows", JT_ARRAY, 1, 0, 0}, {NULL, 0, 0, 0, 0}};
    static const struct jfield row_spec[] = {
        {"unit", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"node", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"points", JT_STRING, 1, 1, 32},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    json_t *rows = json_object_get(body, "rows");
    size_t n = json_array_size(rows);
    if (n == 0) return reply_error(r, 400, "invalid", "rows", "rows: give at least one row");
    struct par_survey_row *out = arena_alloc(r->arena, n * sizeof *out);
    if (!out) return reply_error(r, 500, "internal", NULL, "out of memory");
    struct err e = {0};
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, i);
        struct par_survey_row *o = &out[i];
        snprintf(o->where, sizeof o->where, "$.rows[%zu]", i);
        if (!json_is_object(row) || json_object_size(row) != 3)
            return reply_error(r, 400, "invalid", "rows",
                               "%s: must be an object with exactly unit, node and points",
                               o->where);
        for (size_t k = 0; k < 3; k++) {
            json_t *f = json_object_get(row, row_spec[k].name);
            size_t len = json_string_length(f);
            if (!json_is_string(f) || len < 1 || (int64_t)len > row_spec[k].max)
                return reply_error(r, 400, "invalid", row_spec[k].name,
                                   "%s.%s: must be a string of 1 to %lld bytes", o->where,
                                   row_spec[k].name, (long long)row_spec[k].max);
        }
        snprintf(o->unit, sizeof o->unit, "%s", json_string_value(json_object_get(row, "unit")));
        snprintf(o->node, sizeof o->node, "%s", json_string_value(json_object_get(row, "node")));
        if (!auth_scope_covers(r, o->unit))
            return reply_error(r, 404, "not_found", "unit", "%s: unit '%s' does not exist",
                               o->where, o->unit);
        if (par_decimal_parse(json_string_value(json_object_get(row, "points")), PAR_DEC_MAX, 0,
                              &o->points, "points", &e)) {
            char msg[sizeof e.msg];
            snprintf(msg, sizeof msg, "%s", e.msg);
            snprintf(e.msg, sizeof e.msg, "%s: %.300s", o->where, msg);
            return reply_err(r, &e);
        }
    }
    const char *round = req_param(r, "round");
    if (store_par_survey_import(req_store(r), round, out, (int)n, r->sess->user.username,
                                now_local_minutes(), &e))
        return reply_err(r, &e);
    reply_json(r, 200, json_pack("{s:s, s:i}", "round", round, "imported", (int)n));
}

/* ---- evidence ---------------------------------------------------------------------------- */

/* The bytes of a base64 text (standard alphabet; a "data:TYPE;base64," prefix, padding and
 * line breaks are accepted) into arena memory. 400 (replied) and -1 when it is not base64. */
static int base64_bytes(struct req *r, const char *b64, unsigned char **out, size_t *n)
{
    const char *comma = strncmp(b64, "data:", 5) ? NULL : strstr(b64, ";base64,");
    if (comma) b64 = comma + strlen(";base64,");
    size_t len = strlen(b64), cap = len / 4 * 3 + 3;
    *out = arena_alloc(r->arena, cap + 1);
    const char *end = NULL;
    if (!*out) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return -1;
    }
    if (sodium_base642bin(*out, cap, b64, len, " \r\n", n, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        end != b64 + len) {
        reply_error(r, 400, "invalid", "content_base64",
                    "content_base64: not base64 (standard alphabet) at byte %zu",
                    end ? (size_t)(end - b64) : (size_t)0);
        return -1;
    }
    return 0;
}

void h_par_evidence_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"node", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"name", JT_STRING, 1, 1, PAR_EVIDENCE_NAME_MAX - 1},
        {"content_base64", JT_STRING, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    unsigned char *data;
    size_t size;
    if (base64_bytes(r, jget_str(body, "content_base64"), &data, &size)) return;
    const char *round = req_param(r, "round");
    struct par_evidence_in in = {.round = round,
                                 .unit = unit,
                                 .node = jget_str(body, "node"),
                                 .name = jget_str(body, "name"),
                                 .data = data,
                                 .size = (int64_t)size,
                                 .max_size = req_config(r)->par_evidence_max,
                                 .actor = r->sess->user.username,
                                 .at = now_local_minutes()};
    struct par_evidence ev;
    struct err e = {0};
    if (store_par_evidence_add(req_store(r), &in, &ev, &e)) return reply_err(r, &e);
    reply_json(r, 201, evidence_json(round, &ev));
}

struct evidence_out {
    const char *round;
    json_t *list;
    int64_t want; /* an id to find (0: list) */
    int found;
};

static int evidence_item(const struct par_evidence *ev, void *ctx)
{
    struct evidence_out *x = ctx;
    if (x->want) {
        x->found |= ev->id == x->want;
        return 0;
    }
    return json_array_append_new(x->list, evidence_json(x->round, ev)) ? ERR_NOMEM : 0;
}

void h_par_evidence_list(struct req *r)
{
    static const char *const allowed[] = {"node", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    struct evidence_out x = {req_param(r, "round"), json_array(), 0, 0};
    struct err e = {0};
    int rc = store_par_round_has_unit(req_store(r), x.round, unit, &e);
    if (!rc)
        rc = store_par_evidence_list(req_store(r), x.round, unit, req_query(r, "node"),
                                     evidence_item, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:o}", "round", x.round, "unit", unit, "evidence", x.list));
}

void h_par_evidence_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *unit = scoped_unit(r);
    if (!unit) return;
    const char *ids = req_param(r, "id");
    char *end;
    long long id = strtoll(ids, &end, 10);
    if (*ids < '0' || *ids > '9' || *end || id <= 0)
        return reply_error(r, 400, "invalid", "id", "evidence id '%.40s' is not a positive number",
                           ids);
    struct evidence_out x = {req_param(r, "round"), NULL, id, 0};
    struct err e = {0};
    if (store_par_round_has_unit(req_store(r), x.round, unit, &e) ||
        store_par_evidence_list(req_store(r), x.round, unit, NULL, evidence_item, &x, &e))
        return reply_err(r, &e);
    if (!x.found)
        return reply_error(r, 404, "not_found", "id",
                           "evidence #%lld does not belong to unit '%s' in round '%s'", id, unit,
                           x.round);
    struct par_evidence ev;
    void *data = NULL;
    if (store_par_evidence_get(req_store(r), id, &ev, &data, &e)) return reply_err(r, &e);
    reply_header(r, "X-Content-SHA256", arena_strdup(r->arena, ev.sha256));
    reply_download(r, arena_strdup(r->arena, ev.mime), ev.name, data, (size_t)ev.size);
    free(data);
}

/* ---- phases and publication -------------------------------------------------------------- */

struct cover {
    struct req *r;
    char outside[UNIT_CODE_MAX];
};

static int covered(const struct unit *u, void *ctx)
{
    struct cover *c = ctx;
    if (auth_scope_covers(c->r, u->code)) return 0;
    snprintf(c->outside, sizeof c->outside, "%s", u->code);
    return 1;
}

/* 0 if the user's scope covers every unit of the round; else the 404 / 403 is replied. */
static int covers_round(struct req *r, const char *round, const char *what)
{
    struct cover c = {r, ""};
    struct err e = {0};
    int rc = store_par_round_units(req_store(r), round, covered, &c, &e);
    if (rc && !c.outside[0]) {
        reply_err(r, &e);
        return -1;
    }
    if (c.outside[0]) {
        reply_error(r, 403, "forbidden", "round",
                    "round '%.40s' assesses unit '%s', outside your scope: only an administrator "
                    "of all its units %s it",
                    round, c.outside, what);
        return -1;
    }
    return 0;
}

void h_par_close_phase(struct req *r)
{
    static const struct jfield spec[] = {{"phase", JT_STRING, 1, 1, 16}, {NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *round = req_param(r, "round");
    enum par_phase phase;
    struct err e = {0};
    if (par_phase_parse(jget_str(body, "phase"), &phase, &e)) return reply_err(r, &e);
    if (covers_round(r, round, "advances")) return;
    struct par_round p;
    if (store_par_round_close_phase(req_store(r), round, par_phase_name(phase),
                                    r->sess->user.username, now_local_minutes(), &p, &e))
        return reply_err(r, &e);
    reply_json(r, 200, round_json(&p));
}

void h_par_publish(struct req *r)
{
    static const struct jfield spec[] = {{NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    const char *round = req_param(r, "round");
    if (covers_round(r, round, "publishes")) return;
    struct par_round p;
    struct err e = {0};
    if (store_par_round_publish(req_store(r), round, r->sess->user.username, now_local_minutes(),
                                &p, &e))
        return reply_err(r, &e);
    reply_json(r, 200, round_json(&p));
}

/* ---- results ----------------------------------------------------------------------------- */

/* all restricted to the units in the user's scope, into out (arrays in the arena). Units are
 * renumbered 0..n-1, and the missing scores with them, so the writers' per-unit tables stay
 * within bounds; ranks stay those of the whole round. */
static int scope_results(struct req *r, const struct par_results *all, struct par_results *out)
{
    *out = *all;
    size_t n = (size_t)all->n + 1;
    out->u = arena_alloc(r->arena, n * sizeof *out->u);
    out->missing = arena_alloc(r->arena, ((size_t)all->nmissing + 1) * sizeof *out->missing);
    int *map = arena_alloc(r->arena, n * sizeof *map);
    if (!out->u || !out->missing || !map) return -1;
    out->n = out->nmissing = 0;
    for (int i = 0; i < all->n; i++)
        map[i] = -1;
    for (int i = 0; i < all->n; i++) {
        const struct par_unit_result *u = &all->u[i];
        if (!auth_scope_covers(r, u->code) || u->unit < 0 || u->unit >= all->n) continue;
        map[u->unit] = out->n;
        out->u[out->n] = *u;
        out->u[out->n].unit = out->n;
        out->n++;
    }
    for (int i = 0; i < all->nmissing; i++) {
        int k = all->missing[i].unit;
        if (k >= 0 && k < all->n && map[k] >= 0)
            out->missing[out->nmissing++] = (struct par_missing){map[k], all->missing[i].node};
    }
    return 0;
}

/* "chi-so-cchc-R25.csv": the name of a round's results file. */
static const char *results_name(struct req *r, const char *round, const char *ext)
{
    return arena_printf(r->arena, "chi-so-cchc-%s.%s", round, ext);
}

static void results_csv(struct req *r, const struct par_round_results *res,
                        const struct par_results *shown)
{
    char *buf = NULL;
    size_t len = 0;
    struct err e = {0};
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? par_io_write_results(f, shown, PAR_FMT_CSV, res->previous[0] != 0,
                                      res->ntargets > 0, &e)
               : err_set(&e, ERR_NOMEM, "", "out of memory");
    if (f && fclose(f) && !rc) rc = err_set(&e, ERR_NOMEM, "", "out of memory");
    if (rc)
        reply_err(r, &e);
    else
        reply_download(r, "text/csv; charset=utf-8", results_name(r, res->round.code, "csv"), buf,
                       len);
    free(buf);
}

/* libxlsxwriter writes to a file: a private temporary one, read back and removed. */
static void results_xlsx(struct req *r, const struct par_round_results *res,
                         const struct par_results *shown)
{
    char path[512], title[PAR_TITLE_MAX + 120];
    struct err e = {0};
    if (download_temp_path(path, sizeof path)) {
        err_set(&e, ERR_IO, "", "cannot create a temporary file: %s", strerror(errno));
        return reply_err(r, &e);
    }
    par_io_round_title(title, sizeof title, res->round.year, res->round.code, res->round.title,
                       res->round.phase);
    int rc =
        par_io_write_results_xlsx(path, shown, title, res->previous[0] != 0, res->ntargets > 0, &e);
    size_t len = 0;
    char *data = rc ? NULL : download_slurp(path, &len);
    unlink(path);
    if (!rc && !data) rc = err_set(&e, ERR_IO, "", "cannot read back the workbook");
    if (rc) return reply_err(r, &e);
    reply_download(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   results_name(r, res->round.code, "xlsx"), data, len);
    free(data);
}

void h_par_results(struct req *r)
{
    static const char *const allowed[] = {"previous", "format", NULL};
    if (req_query_check(r, allowed)) return;
    const char *format = req_query(r, "format");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return reply_error(r, 400, "invalid", "format",
                           "format: '%.20s' is not one of json, csv, xlsx", format);
    struct par_round_results res;
    struct err e = {0};
    if (store_par_results(req_store(r), req_param(r, "round"), req_query(r, "previous"), &res, &e))
        return reply_err(r, &e);
    int partial = res.round.phase != PAR_PHASE_PUBLISHED && !sees_all(r);
    struct par_results scoped;
    const struct par_results *shown = res.res;
    if (partial) {
        if (scope_results(r, res.res, &scoped)) {
            store_par_results_free(&res);
            return reply_error(r, 500, "internal", NULL, "out of memory");
        }
        shown = &scoped;
    }
    if (format && !strcmp(format, "csv")) {
        results_csv(r, &res, shown);
    } else if (format && !strcmp(format, "xlsx")) {
        results_xlsx(r, &res, shown);
    } else {
        json_t *results = par_io_results_json(shown, res.previous[0] != 0, res.ntargets > 0);
        reply_json(r, 200,
                   results ? json_pack("{s:o, s:o, s:b, s:o}", "round", round_json(&res.round),
                                       "previous", jstr_or_null(res.previous), "scope_only",
                                       partial, "results", results)
                           : NULL);
    }
    store_par_results_free(&res);
}
