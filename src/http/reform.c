/* reform.c — the reform management API (issue 15): yearly CCHC plans, their tasks and child
 * tasks split down the unit tree, one route per task action (TASK_ACTIONS of
 * src/core/reform.h), evidence files and the plan completion rate with its tasks. Scope: a
 * plan belongs to its unit; a task is visible to the users whose scope covers its owner (who
 * carries it out) or its plan's unit (who assigned it); outside both it does not exist (404). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "date.h"
#include "http.h"
#include "store_reform.h"

static json_t *plan_json(const struct reform_plan *p)
{
    return json_pack("{s:I, s:s, s:i, s:s, s:s, s:o, s:i, s:o, s:s}", "id", (json_int_t)p->id,
                     "unit", p->unit, "year", p->year, "set", p->set_code, "set_version",
                     p->set_version, "title", jstr(p->title), "tasks", p->ntasks, "created_at",
                     jinstant(p->created_at), "created_by", p->created_by);
}

static json_t *task_json(const struct reform_task *t, int64_t today)
{
    enum task_due d = reform_due_class(t, today, REFORM_NEAR_DAYS);
    return json_pack(
        "{s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:i, s:i, s:i, s:s}", "id",
        (json_int_t)t->id, "plan", (json_int_t)t->plan_id, "parent",
        t->parent_id ? json_integer(t->parent_id) : json_null(), "area", t->area, "title",
        jstr(t->title), "owner", t->owner, "lead", jstr(t->lead), "product", jstr(t->product),
        "start", jday(t->start_day), "due", jday(t->due_day), "done",
        t->done_day ? jday(t->done_day) : json_null(), "status", task_status_name(t->status),
        "progress", t->progress, "weight", t->weight, "children", t->nchildren, "due_class",
        task_due_name(d));
}

static int parse_year(struct req *r, const char *s, int *out)
{
    if (!s) {
        *out = days_to_ymd(today_local()).y;
        return 0;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < 2000 || v > 2100) {
        reply_error(r, 400, "invalid", "year", "field 'year' must be from 2000 to 2100");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Loads the task of the path if the caller may see it (owner or plan unit in scope). */
static int load_task(struct req *r, struct reform_task *t, struct reform_plan *p)
{
    int64_t id;
    if (req_id(r, req_param(r, "task"), "task", &id)) return -1;
    struct err e = {0};
    int rc = store_reform_task_get(req_store(r), id, t, &e);
    if (!rc) rc = store_reform_plan_get(req_store(r), t->plan_id, p, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !(auth_scope_covers(r, t->owner) || auth_scope_covers(r, p->unit))) {
        reply_error(r, 404, "not_found", "task", "task #%lld does not exist", (long long)id);
        return -1;
    }
    return 0;
}

/* ---- plans --------------------------------------------------------------------------- */

static int plan_item(const struct reform_plan *p, void *ctx)
{
    return json_array_append_new(ctx, plan_json(p)) ? ERR_NOMEM : 0;
}

void h_reform_plans(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    int year = 0;
    if (req_query(r, "year") && parse_year(r, req_query(r, "year"), &year)) return;
    json_t *list = json_array();
    struct err e = {0};
    int rc = store_reform_plan_list(req_store(r), unit, year, plan_item, list, &e);
    if (rc) {
        json_decref(list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "unit", unit, "plans", list));
}

void h_reform_plan_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"year", JT_INT, 1, 2000, 2100},
        {"set", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"title", JT_STRING, 0, 0, REFORM_PLAN_TITLE_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    struct reform_plan_in in = {.unit = unit,
                                .year = (int)jget_int(body, "year", 0),
                                .set = jget_str(body, "set"),
                                .title = jget_str(body, "title"),
                                .actor = r->sess->user.username,
                                .at = now_local_minutes()};
    struct reform_plan p;
    struct err e = {0};
    if (store_reform_plan_create(req_store(r), &in, &p, &e)) return reply_err(r, &e);
    reply_json(r, 201, plan_json(&p));
}

struct task_list {
    json_t *list;
    int64_t today;
};

static int task_item(const struct reform_task *t, void *ctx)
{
    struct task_list *x = ctx;
    return json_array_append_new(x->list, task_json(t, x->today)) ? ERR_NOMEM : 0;
}

void h_reform_plan_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    int64_t id;
    if (req_id(r, req_param(r, "plan"), "plan", &id)) return;
    struct reform_plan p;
    struct err e = {0};
    int rc = store_reform_plan_get(req_store(r), id, &p, &e);
    if (rc && rc != ERR_NOT_FOUND) return reply_err(r, &e);
    if (rc || !auth_scope_covers(r, p.unit))
        return reply_error(r, 404, "not_found", "plan", "plan #%lld does not exist", (long long)id);
    struct par_set *set = NULL;
    if (store_reform_plan_set(req_store(r), id, &set, &e)) return reply_err(r, &e);
    json_t *areas = json_array();
    for (int i = 0; i < set->nareas; i++) {
        const struct par_node *n = &set->node[set->areas[i]];
        json_array_append_new(areas,
                              json_pack("{s:s, s:o}", "code", n->code, "title", jstr(n->title)));
    }
    par_set_free(set);
    struct task_list x = {json_array(), today_local()};
    struct reform_task_filter f = {.plan_id = id};
    if ((rc = store_reform_task_list(req_store(r), &f, task_item, &x, &e))) {
        json_decref(areas);
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    json_t *o = plan_json(&p);
    json_object_set_new(o, "areas", areas);
    json_object_set_new(o, "task_list", x.list);
    reply_json(r, 200, o);
}

/* ---- tasks --------------------------------------------------------------------------- */

void h_reform_tasks(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", "plan", "due", "open", "parent", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    struct reform_task_filter f = {.scope = unit, .today = today_local()};
    if (req_query(r, "year") && parse_year(r, req_query(r, "year"), &f.year)) return;
    if (req_query(r, "plan") && req_id(r, req_query(r, "plan"), "plan", &f.plan_id)) return;
    if (req_query(r, "parent")) {
        if (!strcmp(req_query(r, "parent"), "none"))
            f.parent_id = -1;
        else if (req_id(r, req_query(r, "parent"), "parent", &f.parent_id))
            return;
    }
    const char *due = req_query(r, "due");
    if (due) {
        for (int d = TD_OK; d <= TD_CLOSED; d++)
            if (!strcmp(due, task_due_name((enum task_due)d))) f.due = d + 1;
        if (!f.due)
            return reply_error(r, 400, "invalid", "due",
                               "due '%.20s': must be ok, near, overdue or closed", due);
    }
    const char *open = req_query(r, "open");
    if (open && strcmp(open, "1") && strcmp(open, "0"))
        return reply_error(r, 400, "invalid", "open", "open '%.20s': must be 0 or 1", open);
    f.open_only = open && !strcmp(open, "1");
    struct task_list x = {json_array(), f.today};
    struct err e = {0};
    int rc = store_reform_task_list(req_store(r), &f, task_item, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:i, s:o}", "unit", unit, "today", jday(f.today), "near_days",
                         REFORM_NEAR_DAYS, "tasks", x.list));
}

void h_reform_task_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"plan", JT_INT, 0, 1, INT64_MAX},
        {"parent", JT_INT, 0, 1, INT64_MAX},
        {"area", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"title", JT_STRING, 1, 1, REFORM_TITLE_MAX - 1},
        {"owner", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"lead", JT_STRING, 0, 0, REFORM_LEAD_MAX - 1},
        {"product", JT_STRING, 0, 0, REFORM_PRODUCT_MAX - 1},
        {"start", JT_STRING, 1, 10, 10},
        {"due", JT_STRING, 1, 10, 10},
        {"weight", JT_INT, 0, 1, 1000},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct reform_task_in in = {.plan_id = jget_int(body, "plan", 0),
                                .parent_id = jget_int(body, "parent", 0),
                                .area = jget_str(body, "area"),
                                .title = jget_str(body, "title"),
                                .owner = jget_str(body, "owner"),
                                .lead = jget_str(body, "lead"),
                                .product = jget_str(body, "product"),
                                .weight = (int)jget_int(body, "weight", 1),
                                .actor = r->sess->user.username,
                                .at = now_local_minutes()};
    if (!in.plan_id && !in.parent_id)
        return reply_error(r, 400, "missing_field", "plan",
                           "field 'plan' is required (or 'parent' for a child task)");
    /* who may add: the plan's unit (top-level) or the parent's owner (a split) in scope */
    struct err e = {0};
    struct store *st = req_store(r);
    if (in.parent_id) {
        struct reform_task p;
        int rc = store_reform_task_get(st, in.parent_id, &p, &e);
        if (rc && rc != ERR_NOT_FOUND) return reply_err(r, &e);
        if (rc || !auth_scope_covers(r, p.owner))
            return reply_error(r, 404, "not_found", "parent", "task #%lld does not exist",
                               (long long)in.parent_id);
    } else {
        struct reform_plan p;
        int rc = store_reform_plan_get(st, in.plan_id, &p, &e);
        if (rc && rc != ERR_NOT_FOUND) return reply_err(r, &e);
        if (rc || !auth_scope_covers(r, p.unit))
            return reply_error(r, 404, "not_found", "plan", "plan #%lld does not exist",
                               (long long)in.plan_id);
    }
    if (req_day(r, jget_str(body, "start"), "start", &in.start_day) ||
        req_day(r, jget_str(body, "due"), "due", &in.due_day))
        return;
    struct reform_task t;
    if (store_reform_task_add(st, &in, &t, &e)) return reply_err(r, &e);
    reply_json(r, 201, task_json(&t, today_local()));
}

static int event_item(const struct reform_event *ev, void *ctx)
{
    json_t *o = json_pack("{s:o, s:s, s:s, s:o, s:s, s:i, s:o}", "at", jinstant(ev->at), "actor",
                          ev->actor, "action", ev->action, "from", jstr_or_null(ev->from), "to",
                          ev->to, "progress", ev->progress, "note", jstr(ev->note));
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

static json_t *evidence_json(const struct reform_evidence *ev)
{
    char url[96];
    snprintf(url, sizeof url, "/api/reform/tasks/%lld/evidence/%lld", (long long)ev->task_id,
             (long long)ev->id);
    return json_pack("{s:I, s:o, s:s, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)ev->id, "name",
                     jstr(ev->name), "type", ev->mime, "size", (json_int_t)ev->size, "sha256",
                     ev->sha256, "added_at", jinstant(ev->added_at), "added_by", ev->added_by,
                     "url", url);
}

static int evidence_item(const struct reform_evidence *ev, void *ctx)
{
    return json_array_append_new(ctx, evidence_json(ev)) ? ERR_NOMEM : 0;
}

void h_reform_task_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct reform_task t;
    struct reform_plan p;
    if (load_task(r, &t, &p)) return;
    struct task_list kids = {json_array(), today_local()};
    json_t *hist = json_array(), *ev = json_array();
    struct reform_task_filter f = {.parent_id = t.id};
    struct err e = {0};
    int rc = store_reform_task_list(req_store(r), &f, task_item, &kids, &e);
    if (!rc) rc = store_reform_task_history(req_store(r), t.id, event_item, hist, &e);
    if (!rc) rc = store_reform_evidence_list(req_store(r), t.id, evidence_item, ev, &e);
    if (rc) {
        json_decref(kids.list);
        json_decref(hist);
        json_decref(ev);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    json_t *o = task_json(&t, kids.today);
    json_object_set_new(o, "plan_unit", json_string(p.unit));
    json_object_set_new(o, "plan_year", json_integer(p.year));
    json_object_set_new(o, "child_tasks", kids.list);
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "evidence", ev);
    reply_json(r, 200, o);
}

void h_reform_task_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"progress", JT_INT, 0, 0, 100},
        {"note", JT_STRING, 0, 0, REFORM_NOTE_MAX - 1},
        {"day", JT_STRING, 0, 10, 10},
        {NULL, 0, 0, 0, 0},
    };
    const struct task_action_desc *act = task_action_desc((enum task_action)r->route->arg);
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    struct reform_task t;
    struct reform_plan p;
    if (load_task(r, &t, &p)) return;
    /* after the scope check, so a foreign task stays a 404 whatever the body */
    struct task_args args = {.progress = (int)jget_int(body, "progress", -1),
                             .note = jget_str(body, "note")};
    if ((act->flags & RAF_PROGRESS) && args.progress < 0)
        return reply_error(r, 400, "missing_field", "progress",
                           "field 'progress' is required for %s", act->name);
    if (jget_str(body, "day") && req_day(r, jget_str(body, "day"), "day", &args.day)) return;
    if (args.day > today_local())
        return reply_error(r, 400, "invalid", "day", "day: must not be after today");
    struct reform_task out;
    struct err e = {0};
    if (store_reform_task_act(req_store(r), t.id, act->action, &args, r->sess->user.username,
                              now_local_minutes(), &out, &e))
        return reply_err(r, &e);
    reply_json(r, 200, task_json(&out, today_local()));
}

/* The bytes of a base64 text (a "data:…;base64," prefix accepted) into arena memory. */
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

void h_reform_evidence_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"name", JT_STRING, 1, 1, PAR_EVIDENCE_NAME_MAX - 1},
        {"content_base64", JT_STRING, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct reform_task t;
    struct reform_plan p;
    if (load_task(r, &t, &p)) return;
    unsigned char *data;
    size_t size;
    if (base64_bytes(r, jget_str(body, "content_base64"), &data, &size)) return;
    struct reform_evidence_in in = {.task_id = t.id,
                                    .name = jget_str(body, "name"),
                                    .data = data,
                                    .size = (int64_t)size,
                                    .max_size = req_config(r)->par_evidence_max,
                                    .actor = r->sess->user.username,
                                    .at = now_local_minutes()};
    struct reform_evidence ev;
    struct err e = {0};
    if (store_reform_evidence_add(req_store(r), &in, &ev, &e)) return reply_err(r, &e);
    reply_json(r, 201, evidence_json(&ev));
}

void h_reform_evidence_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct reform_task t;
    struct reform_plan p;
    int64_t id;
    if (load_task(r, &t, &p) || req_id(r, req_param(r, "id"), "id", &id)) return;
    struct reform_evidence ev;
    void *data = NULL;
    struct err e = {0};
    int rc = store_reform_evidence_get(req_store(r), id, &ev, &data, &e);
    if (rc && rc != ERR_NOT_FOUND) return reply_err(r, &e);
    if (rc || ev.task_id != t.id) {
        free(data);
        return reply_error(r, 404, "not_found", "id",
                           "evidence #%lld does not belong to task #%lld", (long long)id,
                           (long long)t.id);
    }
    reply_header(r, "X-Content-SHA256", arena_strdup(r->arena, ev.sha256));
    reply_download(r, arena_strdup(r->arena, ev.mime), ev.name, data, (size_t)ev.size);
    free(data);
}

/* ---- the completion rate, with the tasks behind it --------------------------------------- */

struct rate_out {
    json_t *list;
    int64_t today;
};

static int rate_item(const struct reform_task *t, int in_num, void *ctx)
{
    struct rate_out *x = ctx;
    json_t *o = task_json(t, x->today);
    json_object_set_new(o, "in_numerator", json_boolean(in_num));
    return json_array_append_new(x->list, o) ? ERR_NOMEM : 0;
}

void h_reform_rate(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", "as_of", "round", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    int year;
    int64_t as_of = today_local();
    const char *round = req_query(r, "round");
    struct err e = {0};
    if (round && (req_query(r, "year") || req_query(r, "as_of")))
        return reply_error(r, 400, "invalid", "round",
                           "round: gives the year and the day; not with year or as_of");
    if (round) { /* a PAR round's computed criterion: its year, on its last day */
        struct par_round p;
        if (store_par_round_get(req_store(r), round, &p, &e)) return reply_err(r, &e);
        year = p.year;
        as_of = p.period_to;
    } else {
        if (parse_year(r, req_query(r, "year"), &year)) return;
        if (req_query(r, "as_of") && req_day(r, req_query(r, "as_of"), "as_of", &as_of)) return;
    }
    struct rate_out x = {json_array(), today_local()};
    struct reform_rate rate;
    int rc = store_reform_rate(req_store(r), unit, year, as_of, &rate, rate_item, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    char pct[32];
    json_t *percent = json_null();
    if (rate.value != PAR_NONE) percent = json_string(par_pts_format(rate.value, 2, pct));
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:o, s:I, s:I, s:o, s:s, s:o}", "unit", unit, "year", year,
                         "as_of", jday(as_of), "num", (json_int_t)rate.num, "den",
                         (json_int_t)rate.den, "percent", percent, "denominator",
                         "tasks due by as_of or done, not cancelled", "tasks", x.list));
}

/* ---- shared with inspection.c ------------------------------------------------------------ */

json_t *reform_task_json(const struct reform_task *t, int64_t today)
{
    return task_json(t, today);
}

int reform_base64(struct req *r, const char *b64, unsigned char **out, size_t *n)
{
    return base64_bytes(r, b64, out, n);
}
