/* preport_build.c — assembles the figures of a periodic CCHC report into its JSON snapshot:
 * the unit's dossier statistics over the data period with the Decision 766 index computed for
 * the unit alone (the same inputs as `cchc stats index`), feedback and petitions submitted in
 * the period, the tasks of the year's CCHC plans owned in its subtree and the completion rate,
 * inspections it carried out or received in the year, the current PAR round's self points, the
 * units merged into it when the period reaches back before they ended (labelled as such), and,
 * consolidated, one entry per child unit from the child's submitted or accepted report (its
 * frozen figures) or "missing". Everything is read, nothing written. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "preport_doc.h"
#include "report_period.h"
#include "stats_report.h"
#include "efile_index.h"
#include "store_reform.h"

static json_t *day_json(int64_t day)
{
    struct ymd d = days_to_ymd(day);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", d.y, d.m, d.d);
    return json_string(b);
}

/* The dossier figures every table of the report uses; each is additive over disjoint units. */
static json_t *dossiers_json(const struct stats_figures *f)
{
    const int64_t *c = f->flow.c;
    struct stats_rate on, online;
    stats_rate(f, SM_ONTIME, DEN_SOLVED, &on, NULL);
    stats_rate(f, SM_ONLINE, DEN_RECEIVED, &online, NULL);
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
        "s:I, s:I, s:I, s:I}",
        "carried_over", (json_int_t)f->carried_over, "received", (json_int_t)c[SC_RECEIVED],
        "received_online", (json_int_t)c[SC_RECV_ONLINE], "received_direct",
        (json_int_t)c[SC_RECV_DIRECT], "received_postal", (json_int_t)c[SC_RECV_POSTAL],
        "received_total", (json_int_t)f->received_total, "solved", (json_int_t)f->solved, "early",
        (json_int_t)c[SC_SOLVED_EARLY], "on_time", (json_int_t)c[SC_SOLVED_ON_TIME], "late",
        (json_int_t)c[SC_SOLVED_LATE], "refused", (json_int_t)c[SC_REFUSED], "withdrawn",
        (json_int_t)c[SC_WITHDRAWN], "in_progress", (json_int_t)f->in_progress,
        "in_progress_in_time", (json_int_t)f->in_progress_in_time, "in_progress_overdue",
        (json_int_t)f->in_progress_overdue, "ontime_num", (json_int_t)on.num, "ontime_den",
        (json_int_t)on.den, "online_den", (json_int_t)online.den);
}

/* Adds every integer member of b into a (the totals of additive figures). */
static void add_ints(json_t *a, const json_t *b)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)b, k, v)
    {
        if (!json_is_integer(v)) continue;
        json_t *old = json_object_get(a, k);
        json_int_t x = old && json_is_integer(old) ? json_integer_value(old) : 0;
        json_object_set_new(a, k, json_integer(x + json_integer_value(v)));
    }
}

/* The Decision 766 index of one unit over the period: the inputs `cchc stats index` uses. */
static int index_json(struct store *s, const struct preport_build_in *in, const char *unit,
                      const struct stats_figures *f, int64_t from, int64_t to, json_t **out,
                      struct err *e)
{
    struct stats_index ix = {0};
    struct stats_index_row row;
    int order = 0;
    memset(&row, 0, sizeof row);
    snprintf(row.unit, sizeof row.unit, "%s", unit);
    row.f = *f;
    ix.n = 1, ix.rows = &row, ix.order = &order;
    int rc = indicator_set_load(in->data, "766-2022", &ix.set, e);
    if (rc) return rc;
    struct ind_input *inp = calloc(IND_MAX_ROWS, sizeof *inp);
    if (!inp) return err_set(e, ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < ix.set.n; i++)
        indicator_input_from_stats(&ix.set.ind[i], f, &inp[i]);
    struct stats_opts o = {.data = in->data, .set = "766-2022"};
    o.q = (struct stats_query){.unit = unit, .channel = -1, .from_day = from, .to_day = to};
    rc = catalog_index_inputs(s, &o, &ix, inp, e);
    if (!rc) rc = feedback_index_inputs(s, &ix.set, unit, from, to, inp, e);
    if (!rc) rc = efile_index_inputs(s, &ix.set, unit, from, to, inp, e);
    if (!rc) {
        indicators_score(&ix.set, inp, &row.score);
        json_t *groups = json_array();
        for (int g = 0; g < ix.set.ngroups; g++)
            json_array_append_new(groups,
                                  json_pack("{s:s, s:I, s:i}", "name", ix.set.groups[g].name,
                                            "points", (json_int_t)row.score.group_points[g], "max",
                                            ix.set.groups[g].max));
        *out = json_pack("{s:s, s:I, s:I, s:i, s:o}", "set", ix.set.version, "total",
                         (json_int_t)row.score.total, "judged", (json_int_t)row.score.judged,
                         "scale", IND_POINT, "groups", groups);
    }
    free(inp);
    return rc;
}

struct task_count {
    int64_t as_of;
    int64_t n, by_status[5], overdue;
};

static int task_one(const struct reform_task *t, void *ctx)
{
    struct task_count *c = ctx;
    c->n++;
    if ((unsigned)t->status < 5) c->by_status[t->status]++;
    if (reform_due_class(t, c->as_of, REFORM_NEAR_DAYS) == TD_OVERDUE) c->overdue++;
    return 0;
}

static int tasks_json(struct store *s, const char *unit, int year, int64_t as_of, json_t **out,
                      struct err *e)
{
    struct task_count c = {.as_of = as_of};
    struct reform_task_filter f = {.scope = unit, .year = year};
    int rc = store_reform_task_list(s, &f, task_one, &c, e);
    struct reform_rate rate = {0};
    if (!rc) rc = store_reform_rate(s, unit, year, as_of, &rate, NULL, NULL, e);
    if (rc) return rc;
    *out = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "year", year, "total",
                     (json_int_t)c.n, "planned", (json_int_t)c.by_status[TS_PLANNED], "in_progress",
                     (json_int_t)(c.by_status[TS_IN_PROGRESS]), "paused",
                     (json_int_t)c.by_status[TS_PAUSED], "done", (json_int_t)c.by_status[TS_DONE],
                     "cancelled", (json_int_t)c.by_status[TS_CANCELLED], "overdue",
                     (json_int_t)c.overdue, "rate_num", (json_int_t)rate.num, "rate_den",
                     (json_int_t)rate.den);
    return 0;
}

struct insp_count {
    const char *unit;
    int64_t by[2][IS__COUNT], findings[2], remedies[2], open[2];
};

static int insp_one(const struct inspection *i, void *ctx)
{
    struct insp_count *c = ctx;
    /* [0]: carried out by the unit; [1]: received by the unit or a unit below it */
    int k = strcmp(i->inspector, c->unit) ? 1 : 0;
    if ((unsigned)i->status < IS__COUNT) c->by[k][i->status]++;
    c->findings[k] += i->nfindings;
    c->remedies[k] += i->nremedies;
    c->open[k] += i->open_remedies;
    return 0;
}

static json_t *insp_side(const struct insp_count *c, int k)
{
    int64_t total = 0;
    for (int i = 0; i < IS__COUNT; i++)
        total += c->by[k][i];
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)total, "planned",
        (json_int_t)c->by[k][IS_PLANNED], "in_progress", (json_int_t)c->by[k][IS_IN_PROGRESS],
        "concluded", (json_int_t)c->by[k][IS_CONCLUDED], "closed", (json_int_t)c->by[k][IS_CLOSED],
        "cancelled", (json_int_t)c->by[k][IS_CANCELLED], "findings", (json_int_t)c->findings[k],
        "remedies", (json_int_t)c->remedies[k], "open_remedies", (json_int_t)c->open[k]);
}

static int insp_json(struct store *s, const char *unit, int year, json_t **out, struct err *e)
{
    struct insp_count c = {.unit = unit};
    int rc = store_insp_list(s, unit, year, insp_one, &c, e);
    struct insp_share sh = {0};
    if (!rc) rc = store_insp_share(s, unit, year, &sh, e);
    if (rc) return rc;
    *out = json_pack("{s:o, s:o, s:I, s:I}", "carried_out", insp_side(&c, 0), "received",
                     insp_side(&c, 1), "share_num", (json_int_t)sh.num, "share_den",
                     (json_int_t)sh.den);
    return 0;
}

/* The PAR round of the report's year (else the newest before it) that assesses the unit. */
struct round_pick {
    struct store *s;
    const char *unit;
    int year;
    struct par_round best;
    int found;
};

static int round_one(const struct par_round *r, void *ctx)
{
    struct round_pick *p = ctx;
    if (r->year > p->year || (p->found && r->year <= p->best.year)) return 0;
    if (store_par_round_has_unit(p->s, r->code, p->unit, NULL)) return 0;
    p->best = *r;
    p->found = 1;
    return 0;
}

struct self_sum {
    par_pts sum;
    int scored;
};

static int self_one(const struct par_cell *c, void *ctx)
{
    struct self_sum *x = ctx;
    if (c->self != PAR_NONE) {
        x->sum += c->self;
        x->scored++;
    }
    return 0;
}

static int par_json(struct store *s, const char *unit, int year, json_t **out, struct err *e)
{
    struct round_pick p = {.s = s, .unit = unit, .year = year};
    int rc = store_par_round_list(s, round_one, &p, e);
    if (rc) return rc;
    if (!p.found) {
        *out = json_null();
        return 0;
    }
    struct self_sum x = {0};
    if ((rc = store_par_cells(s, p.best.code, unit, self_one, &x, e))) return rc;
    char ref[PAR_CODE_MAX + 40];
    snprintf(ref, sizeof ref, "%s@%s", p.best.set_code, p.best.set_version);
    struct par_set *set = NULL;
    if ((rc = store_par_set_load(s, ref, &set, e))) return rc;
    *out = json_pack("{s:s, s:s, s:i, s:s, s:I, s:I, s:i, s:i, s:i}", "round", p.best.code, "title",
                     p.best.title, "year", p.best.year, "set", p.best.set_code, "self",
                     (json_int_t)x.sum, "max", (json_int_t)set->max, "scored", x.scored, "leaves",
                     set->nleaves, "scale", PAR_SCALE);
    par_set_free(set);
    return 0;
}

/* preport_feedback.c (store_feedback.h and store_reform.h cannot share a file). */
int preport_feedback_json(struct store *s, const char *unit, int64_t from, int64_t to, int64_t now,
                          json_t **out, struct err *e);

/* ---- units merged into the unit ---- */

struct ulist {
    int n, cap;
    struct unit *v;
};

static int ulist_add(const struct unit *u, void *ctx)
{
    struct ulist *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        struct unit *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v) return ERR_NOMEM;
        l->v = v, l->cap = cap;
    }
    l->v[l->n++] = *u;
    return 0;
}

static int ulist_has(const struct ulist *l, const char *code)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].code, code)) return 1;
    return 0;
}

/* The units whose dossiers count under unit through successor links but not through its
 * subtree (those merged into it or into a unit below it), as the roots of their own trees:
 * a merged unit below another merged unit (a commune of an old province) is counted with
 * that ancestor, whose figures hold its subtree's. Only those that
 * existed on a day of the period or before it: after the merger they have no new dossiers,
 * and a period wholly after it reports the new tree alone. */
static int merged_json(struct store *s, const char *unit, int64_t from, int64_t to, json_t **out,
                       json_t *total, struct err *e)
{
    struct ulist scope = {0}, sub = {0};
    int rc = store_unit_scope(s, unit, to, ulist_add, &scope, e);
    if (!rc) rc = store_unit_subtree(s, unit, to, ulist_add, &sub, e);
    if (rc == ERR_NOMEM) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    json_t *list = json_array();
    for (int i = 0; !rc && i < scope.n; i++) {
        const struct unit *m = &scope.v[i];
        if (ulist_has(&sub, m->code)) continue;
        /* counted with an ancestor that is merged too (its figures hold its subtree's) */
        int under = 0;
        struct unit a = *m;
        for (int depth = 0; !under && a.parent[0] && depth < 16; depth++) {
            if (ulist_has(&scope, a.parent) && !ulist_has(&sub, a.parent)) under = 1;
            if (store_unit_get(s, a.parent, &a, NULL)) break;
        }
        if (under) continue;
        if (m->valid_to < from) continue;
        struct stats_query q = {.unit = m->code, .channel = -1, .from_day = from, .to_day = to};
        struct stats_figures f;
        if ((rc = store_stats_figures(s, &q, &f, e))) break;
        json_t *d = dossiers_json(&f);
        add_ints(total, d);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:o}", "unit", m->code, "name",
                                              m->name, "successor", m->successor, "valid_to",
                                              day_json(m->valid_to), "dossiers", d));
    }
    free(scope.v);
    free(sub.v);
    if (rc)
        json_decref(list);
    else
        *out = list;
    return rc;
}

/* ---- consolidation: the children's reports ---- */

struct kids {
    struct store *s;
    const struct preport_build_in *in;
    json_t *list, *total;
    int submitted, missing;
    struct err *e;
    int rc;
};

static int kid_one(const struct unit *u, void *ctx)
{
    struct kids *k = ctx;
    if (u->kind == UNIT_DESK) return 0; /* a desk reports through its unit */
    int64_t id;
    struct err e2 = {0};
    json_t *o = json_pack("{s:s, s:s}", "unit", u->code, "name", u->name);
    if (store_preport_find(k->s, u->code, k->in->year, k->in->period, &id, &e2)) {
        json_object_set_new(o, "status", json_string("missing"));
        k->missing++;
        return json_array_append_new(k->list, o) ? 1 : 0;
    }
    struct preport r;
    if ((k->rc = store_preport_get(k->s, id, &r, k->e))) {
        json_decref(o);
        return 1;
    }
    json_object_set_new(o, "report", json_integer(id));
    json_object_set_new(o, "status", json_string(preport_status_name(r.status)));
    if (r.status == PR_SUBMITTED || r.status == PR_ACCEPTED) {
        json_error_t je;
        json_t *snap = json_loads(r.snapshot, 0, &je);
        json_t *d = snap ? json_object_get(snap, "dossiers_all") : NULL;
        if (!d && snap) d = json_object_get(snap, "dossiers");
        if (d) {
            json_object_set(o, "dossiers", d);
            add_ints(json_object_get(k->total, "dossiers"), d);
        }
        const char *keys[] = {"tasks", "feedback", "index"};
        for (int i = 0; snap && i < 3; i++) {
            json_t *v = json_object_get(snap, keys[i]);
            if (v) json_object_set(o, keys[i], v);
        }
        json_t *t = snap ? json_object_get(snap, "tasks") : NULL;
        if (t) add_ints(json_object_get(k->total, "tasks"), t);
        json_t *fb = snap ? json_object_get(snap, "feedback") : NULL;
        if (fb) add_ints(json_object_get(k->total, "feedback"), fb);
        json_decref(snap);
        k->submitted++;
    } else {
        k->missing++; /* a draft or a returned report is not submitted */
    }
    preport_clear(&r);
    return json_array_append_new(k->list, o) ? 1 : 0;
}

int preport_build(struct store *s, const struct preport_build_in *in, char **out, struct err *e)
{
    const struct report_period *p = report_period_find(in->period);
    if (!p)
        return err_set(e, ERR_INVALID, "period", "period '%s': must be Q1, 6M, Q3 or Y",
                       in->period ? in->period : "");
    if (in->year < 2000 || in->year > 2100)
        return err_set(e, ERR_INVALID, "year", "year: %d is outside 2000..2100", in->year);
    struct unit u, par;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    int64_t from, to;
    report_period_days(p, in->year, &from, &to);
    int64_t today = instant_day(in->now), as_of = today < to ? today : to;
    json_t *o = json_object(), *v = NULL;
    json_object_set_new(o, "version", json_integer(1));
    json_object_set_new(o, "unit",
                        json_pack("{s:s, s:s, s:s}", "code", u.code, "name", u.name, "kind",
                                  unit_kind_label(u.kind)));
    if (u.parent[0] && !store_unit_get(s, u.parent, &par, NULL))
        json_object_set_new(o, "parent",
                            json_pack("{s:s, s:s}", "code", par.code, "name", par.name));
    else
        json_object_set_new(o, "parent", json_null());
    json_object_set_new(
        o, "period",
        json_pack("{s:s, s:i, s:s, s:o, s:o, s:o}", "code", p->code, "year", in->year, "label",
                  p->label, "from", day_json(from), "to", day_json(to), "due",
                  day_json(ymd_to_days((struct ymd){in->year, p->due_month, p->due_day}))));
    json_object_set_new(o, "as_of", day_json(as_of));
    /* dossiers of the unit's subtree, then of the units merged into it */
    struct stats_query q = {.unit = u.code, .channel = -1, .from_day = from, .to_day = to};
    struct stats_figures f;
    if ((rc = store_stats_figures(s, &q, &f, e))) goto out;
    json_t *d = dossiers_json(&f);
    json_object_set_new(o, "dossiers", d);
    json_t *all = json_deep_copy(d);
    if ((rc = merged_json(s, u.code, from, to, &v, all, e))) {
        json_decref(all);
        goto out;
    }
    json_object_set_new(o, "merged", v);
    json_object_set_new(o, "dossiers_all", all);
    if ((rc = index_json(s, in, u.code, &f, from, to, &v, e))) goto out;
    json_object_set_new(o, "index", v);
    if ((rc = preport_feedback_json(s, u.code, from, to, in->now, &v, e))) goto out;
    json_object_set_new(o, "feedback", v);
    if ((rc = tasks_json(s, u.code, in->year, as_of, &v, e))) goto out;
    json_object_set_new(o, "tasks", v);
    if ((rc = insp_json(s, u.code, in->year, &v, e))) goto out;
    json_object_set_new(o, "inspections", v);
    if ((rc = par_json(s, u.code, in->year, &v, e))) goto out;
    json_object_set_new(o, "par", v);
    if (in->consolidate) {
        struct kids k = {.s = s, .in = in, .list = json_array(), .e = e};
        k.total = json_pack("{s:o, s:o, s:o}", "dossiers", json_object(), "tasks", json_object(),
                            "feedback", json_object());
        rc = store_unit_children(s, u.code, to, kid_one, &k, e);
        if (k.rc) rc = k.rc;
        json_object_set_new(o, "children",
                            json_pack("{s:o, s:o, s:i, s:i}", "units", k.list, "total", k.total,
                                      "submitted", k.submitted, "missing", k.missing));
        if (rc) goto out;
    }
    *out = json_dumps(o, JSON_COMPACT);
    if (!*out) rc = err_set(e, ERR_NOMEM, "", "out of memory");
out:
    json_decref(o);
    return rc;
}
