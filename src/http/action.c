/* action.c — the action tracker's API (issue 15, docs/reform.md "Action tracker"):
 *   POST /api/reform/actions   a leader makes a task from a weak figure (a PAR criterion below
 *                              its maximum, a Decision 766 indicator group losing points, a
 *                              unit's late dossiers); the task goes into the leader's unit's
 *                              CCHC plan, owned by the figure's unit, and stays linked to it
 *   GET  /api/reform/actions   the links with their tasks, for the pages showing the figures
 *   GET  /api/agenda           the leaders' page: overdue tasks, open inspection remedies,
 *                              overdue feedback and late dossiers of a unit's subtree at once
 * Scope as for tasks: the figure's unit must be in the caller's scope, or it does not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "http.h"
#include "store_action.h"
#include "store_feedback.h"

#define AGENDA_ITEMS 50 /* items per list on the leaders' page; the counts are whole */

static json_t *brief_task(const struct reform_task *t, int64_t today)
{
    return json_pack("{s:I, s:I, s:s, s:o, s:s, s:o, s:s, s:i, s:s}", "id", (json_int_t)t->id,
                     "plan", (json_int_t)t->plan_id, "area", t->area, "title", jstr(t->title),
                     "owner", t->owner, "due", jday(t->due_day), "status",
                     task_status_name(t->status), "progress", t->progress, "due_class",
                     task_due_name(reform_due_class(t, today, REFORM_NEAR_DAYS)));
}

static json_t *link_json(const struct action_link *l, int64_t today)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o}", "kind",
                     action_kind_name(l->kind), "unit", l->unit, "round", jstr_or_null(l->round),
                     "ref", jstr_or_null(l->ref), "value", jstr_or_null(l->value), "created_at",
                     jinstant(l->created_at), "created_by", l->created_by, "plan_unit",
                     l->plan_unit, "task", brief_task(&l->task, today));
}

void h_action_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"kind", JT_STRING, 1, 1, 16},
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"round", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"ref", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"value", JT_STRING, 0, 1, ACTION_VALUE_MAX - 1},
        {"area", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"title", JT_STRING, 1, 1, REFORM_TITLE_MAX - 1},
        {"lead", JT_STRING, 0, 0, REFORM_LEAD_MAX - 1},
        {"product", JT_STRING, 0, 0, REFORM_PRODUCT_MAX - 1},
        {"start", JT_STRING, 0, 10, 10},
        {"due", JT_STRING, 1, 10, 10},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct err e = {0};
    struct action_in in = {0};
    if (action_kind_parse(jget_str(body, "kind"), &in.fig.kind, &e)) return reply_err(r, &e);
    in.fig.unit = jget_str(body, "unit");
    in.fig.round = jget_str(body, "round");
    in.fig.ref = jget_str(body, "ref");
    in.fig.value = jget_str(body, "value");
    if (action_figure_check(&in.fig, &e)) return reply_err(r, &e);
    if (!auth_scope_covers(r, in.fig.unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", in.fig.unit);
    int64_t today = today_local();
    in.start_day = today;
    if (jget_str(body, "start") && req_day(r, jget_str(body, "start"), "start", &in.start_day))
        return;
    if (req_day(r, jget_str(body, "due"), "due", &in.due_day)) return;
    /* the leader's own unit's plan of the start's year holds the task */
    in.plan_unit = r->sess->user.unit;
    in.year = days_to_ymd(in.start_day).y;
    in.area = jget_str(body, "area");
    in.title = jget_str(body, "title");
    in.lead = jget_str(body, "lead");
    in.product = jget_str(body, "product");
    in.actor = r->sess->user.username;
    in.at = now_local_minutes();
    struct action_link l;
    if (store_action_create(req_store(r), &in, &l, &e)) return reply_err(r, &e);
    reply_json(r, 201, link_json(&l, today));
}

struct list_ctx {
    json_t *items;
    int64_t today;
};

static int link_item(const struct action_link *l, void *ctx)
{
    struct list_ctx *x = ctx;
    return json_array_append_new(x->items, link_json(l, x->today)) ? ERR_NOMEM : 0;
}

void h_action_list(struct req *r)
{
    static const char *const allowed[] = {"unit", "kind", "round", "open", "task", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    struct action_filter f = {.scope = unit, .round = req_query(r, "round")};
    struct err e = {0};
    const char *s;
    if ((s = req_query(r, "kind"))) {
        enum action_kind k;
        if (action_kind_parse(s, &k, &e)) return reply_err(r, &e);
        f.kind = 1 + (int)k;
    }
    if ((s = req_query(r, "task"))) {
        char *end;
        long long id = strtoll(s, &end, 10);
        if (*s < '1' || *s > '9' || *end || id <= 0)
            return reply_error(r, 400, "invalid", "task", "task '%.20s' is not a positive number",
                               s);
        f.task_id = id;
    }
    if ((s = req_query(r, "open"))) {
        if (strcmp(s, "0") && strcmp(s, "1"))
            return reply_error(r, 400, "invalid", "open", "open '%.10s': expected 0 or 1", s);
        f.open_only = s[0] == '1';
    }
    struct list_ctx x = {json_array(), today_local()};
    int rc = store_action_list(req_store(r), &f, link_item, &x, &e);
    if (rc) {
        json_decref(x.items);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "unit", unit, "links", x.items));
}

/* ---- the leaders' page ------------------------------------------------------------------ */

struct section {
    json_t *items;
    int64_t count;
    int64_t today;
};

static json_t *section_json(struct section *x)
{
    return json_pack("{s:I, s:o}", "count", (json_int_t)x->count, "items", x->items);
}

static int task_item(const struct reform_task *t, void *ctx)
{
    struct section *x = ctx;
    if (x->count++ >= AGENDA_ITEMS) return 0;
    return json_array_append_new(x->items, brief_task(t, x->today)) ? ERR_NOMEM : 0;
}

static int remedy_item(const struct open_remedy *m, void *ctx)
{
    struct section *x = ctx;
    if (x->count++ >= AGENDA_ITEMS) return 0;
    json_t *o = brief_task(&m->task, x->today);
    if (!o) return ERR_NOMEM;
    json_object_set_new(o, "inspection", json_integer(m->inspection_id));
    json_object_set_new(o, "inspected", json_string(m->inspected));
    json_object_set_new(o, "inspector", json_string(m->inspector));
    json_object_set_new(o, "finding", jstr(m->finding));
    return json_array_append_new(x->items, o) ? ERR_NOMEM : 0;
}

static int feedback_item(const struct feedback_item *f, void *ctx)
{
    struct section *x = ctx;
    if (x->count++ >= AGENDA_ITEMS) return 0;
    int64_t due = f->st.answer_due_at ? f->st.answer_due_at : f->st.decide_due_at;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", f->code, "unit", f->unit, "kind",
                  feedback_kind_name(f->st.kind), "status", feedback_status_name(f->st.status),
                  "submitted", jinstant(f->submitted_at), "due", due ? jinstant(due) : json_null());
    return json_array_append_new(x->items, o) ? ERR_NOMEM : 0;
}

/* late dossiers: counted per receiving unit, the oldest due first in the items */
struct late_ctx {
    struct section *x;
    json_t *units; /* unit code -> count */
};

static int dossier_item(const struct dossier *d, void *ctx)
{
    struct late_ctx *c = ctx;
    json_t *n = json_object_get(c->units, d->unit);
    json_object_set_new(c->units, d->unit, json_integer(n ? json_integer_value(n) + 1 : 1));
    c->x->count++; /* all kept: sorted by due, then cut to AGENDA_ITEMS */
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:o, s:I}", "code", d->code, "unit", d->unit, "procedure",
                  d->procedure, "due", jinstant(d->st.due_at), "_due", (json_int_t)d->st.due_at);
    return json_array_append_new(c->x->items, o) ? ERR_NOMEM : 0;
}

struct late_units {
    char (*c)[UNIT_CODE_MAX];
    size_t n, cap;
};

static int late_collect(const struct unit *u, void *ctx)
{
    struct late_units *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 32;
        void *p = realloc(x->c, cap * sizeof *x->c);
        if (!p) return ERR_NOMEM;
        x->c = p;
        x->cap = cap;
    }
    snprintf(x->c[x->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int by_due(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "_due"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "_due"));
    return x < y ? -1 : x > y;
}

/* The late dossiers, oldest due first, the first AGENDA_ITEMS kept. */
static void oldest_first(json_t *items)
{
    size_t n = json_array_size(items);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(items, i));
    qsort(v, n, sizeof *v, by_due);
    json_array_clear(items);
    for (size_t i = 0; i < n; i++) {
        json_object_del(v[i], "_due");
        if (i < AGENDA_ITEMS) json_array_append(items, v[i]);
        json_decref(v[i]);
    }
    free(v);
}

static int by_count(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t nx = json_integer_value(json_object_get(x, "count"));
    json_int_t ny = json_integer_value(json_object_get(y, "count"));
    if (nx != ny) return nx > ny ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "unit")),
                  json_string_value(json_object_get(y, "unit")));
}

/* {unit: count} as [{unit, count}], most late first. */
static json_t *sorted_units(json_t *counts)
{
    size_t n = json_object_size(counts), i = 0;
    json_t **v = malloc((n ? n : 1) * sizeof *v), *out = json_array();
    if (!v) return out;
    const char *k;
    json_t *c;
    json_object_foreach(counts, k, c) v[i++] = json_pack("{s:s, s:O}", "unit", k, "count", c);
    qsort(v, n, sizeof *v, by_count);
    for (i = 0; i < n; i++)
        json_array_append_new(out, v[i]);
    free(v);
    return out;
}

void h_agenda(struct req *r)
{
    static const char *const allowed[] = {"unit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    struct store *st = req_store(r);
    struct err e = {0};
    int64_t today = today_local(), now = now_local_minutes();
    struct section tasks = {json_array(), 0, today}, remedies = {json_array(), 0, today},
                   feedback = {json_array(), 0, today}, late = {json_array(), 0, today};
    json_t *late_units = json_object();
    struct reform_task_filter tf = {.scope = unit, .due = 1 + TD_OVERDUE, .today = today};
    int rc = store_reform_task_list(st, &tf, task_item, &tasks, &e);
    if (!rc) rc = store_open_remedies(st, unit, remedy_item, &remedies, &e);
    if (!rc) {
        struct feedback_filter ff = {unit, -1, -1, FO_OVERDUE, NULL, NULL, 0, 0, now};
        rc = store_feedback_list(st, &ff, feedback_item, &feedback, &e);
    }
    struct late_units units = {0};
    if (!rc) rc = store_unit_scope(st, unit, today, late_collect, &units, &e);
    struct late_ctx lc = {&late, late_units};
    for (size_t i = 0; !rc && i < units.n; i++) {
        struct dossier_filter df = {.unit = units.c[i],
                                    .status = -1,
                                    .outcome = OUT_OVERDUE,
                                    .from_day = INT64_MIN,
                                    .to_day = INT64_MAX,
                                    .now = now,
                                    .rows = DOSSIER_ROWS_KEYS};
        rc = store_dossier_list(st, &df, dossier_item, &lc, &e);
    }
    free(units.c);
    if (rc) {
        json_decref(tasks.items);
        json_decref(remedies.items);
        json_decref(feedback.items);
        json_decref(late.items);
        json_decref(late_units);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    json_t *per_unit = sorted_units(late_units);
    json_decref(late_units);
    oldest_first(late.items);
    json_t *dossiers = section_json(&late);
    json_object_set_new(dossiers, "units", per_unit);
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "unit", unit, "today", jday(today),
                         "tasks", section_json(&tasks), "remedies", section_json(&remedies),
                         "feedback", section_json(&feedback), "dossiers", dossiers));
}
