/* preport.c — the periodic CCHC reports over HTTP (issue 15; docs/reports.md): list a unit's
 * reports by period, create one (its figures assembled and frozen, src/report/preport_build.c),
 * read it with its figures, sections and history, write the sections, refresh or consolidate
 * the figures while a draft, submit it, accept or return it (the parent unit), list the
 * children's status for a period, and download it as .xlsx or PDF.
 *
 * Scope: a report is visible to users whose scope covers its unit (who write it) or its parent
 * unit (who receive it); outside both it does not exist (404). The reporting unit refreshes,
 * edits, submits and reopens; the parent accepts and returns (403 for the reporting unit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "date.h"
#include "http.h"
#include "preport_doc.h"
#include "preport_http.h"
#include "report_period.h"

static json_t *row_json(const struct preport *p)
{
    char period[24];
    snprintf(period, sizeof period, "%d-CCHC-%s", p->year, p->period);
    const struct report_period *rp = report_period_find(p->period);
    return json_pack(
        "{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o}",
        "id", (json_int_t)p->id, "unit", p->unit, "parent", jstr_or_null(p->parent), "period",
        period, "period_label", rp ? rp->label : "", "from", jday(p->from_day), "to",
        jday(p->to_day), "status", preport_status_name(p->status), "consolidated", p->consolidated,
        "snapshot_at", jinstant(p->snapshot_at), "updated_at", jinstant(p->updated_at),
        "submitted_at", jinstant(p->submitted_at), "submitted_by", jstr_or_null(p->submitted_by),
        "decided_at", jinstant(p->decided_at), "decided_by", jstr_or_null(p->decided_by),
        "return_reason", jstr_or_null(p->return_reason));
}

static int parse_id(struct req *r, const char *s, int64_t *out)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *s < '0' || *s > '9' || *end || v <= 0) {
        reply_error(r, 400, "invalid", "id", "id '%.40s' is not a positive number", s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

/* The report of the path, with its content, if the caller's scope covers its unit or its
 * parent; 404 (replied) otherwise. preport_clear after. */
static int load(struct req *r, struct preport *p)
{
    int64_t id;
    if (parse_id(r, req_param(r, "id"), &id)) return -1;
    struct err e = {0};
    int rc = store_preport_get(req_store(r), id, p, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc ||
        !(auth_scope_covers(r, p->unit) || (p->parent[0] && auth_scope_covers(r, p->parent)))) {
        if (!rc) preport_clear(p);
        reply_error(r, 404, "not_found", "report", "report #%lld does not exist", (long long)id);
        return -1;
    }
    return 0;
}

/* "YYYY-CCHC-Q1" of the query or body; 400 (replied) when bad. */
static int period_of(struct req *r, const char *s, int *year, const char **code)
{
    struct err e = {0};
    if (!s) {
        reply_error(r, 400, "missing_field", "period", "field 'period' is required");
        return -1;
    }
    if (preport_period_parse(s, "period", year, code, &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

struct list_ctx {
    json_t *list;
};

static int list_one(const struct preport *p, void *ctx)
{
    struct list_ctx *x = ctx;
    return json_array_append_new(x->list, row_json(p)) ? ERR_NOMEM : 0;
}

void h_preports(struct req *r)
{
    static const char *const allowed[] = {"unit", "period", "year", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                           unit ? unit : r->sess->user.unit);
    if (!unit) unit = r->sess->user.unit;
    struct preport_filter f = {.scope = unit};
    if (req_query(r, "period") && period_of(r, req_query(r, "period"), &f.year, &f.period)) return;
    if (req_query(r, "year") && !req_query(r, "period")) {
        char *end;
        long y = strtol(req_query(r, "year"), &end, 10);
        if (*end || y < 2000 || y > 2100)
            return reply_error(r, 400, "invalid", "year", "field 'year' must be from 2000 to 2100");
        f.year = (int)y;
    }
    struct list_ctx x = {json_array()};
    struct err e = {0};
    int rc = store_preport_list(req_store(r), &f, list_one, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "unit", unit, "reports", x.list));
}

static int event_one(const struct preport_event *ev, void *ctx)
{
    json_t *o = json_pack("{s:o, s:s, s:s, s:o, s:s, s:o}", "at", jinstant(ev->at), "actor",
                          ev->actor, "action", ev->action, "from", jstr_or_null(ev->from), "to",
                          ev->to, "note", jstr_or_null(ev->note));
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

/* The full report: its row, the sections, the frozen figures, the history and what the caller
 * may do with it. */
static void reply_report(struct req *r, int status, struct preport *p)
{
    json_t *o = row_json(p);
    json_t *sec = json_object();
    for (int i = 0; i < PS__COUNT; i++)
        json_object_set_new(sec, preport_section_key((enum preport_section)i), jstr(p->section[i]));
    json_object_set_new(o, "sections", sec);
    json_error_t je;
    json_t *snap = json_loads(p->snapshot, 0, &je);
    json_object_set_new(o, "figures", snap ? snap : json_null());
    json_t *hist = json_array();
    struct err e = {0};
    if (store_preport_history(req_store(r), p->id, event_one, hist, &e)) {
        json_decref(hist);
        json_decref(o);
        preport_clear(p);
        return reply_err(r, &e);
    }
    json_object_set_new(o, "history", hist);
    int own = auth_scope_covers(r, p->unit),
        parent = p->parent[0] && auth_scope_covers(r, p->parent);
    json_object_set_new(o, "can", json_pack("{s:b, s:b}", "write", own, "decide", parent));
    preport_clear(p);
    reply_json(r, status, o);
}

static int build(struct req *r, const char *unit, int year, const char *period, int consolidate,
                 char **snap, struct err *e)
{
    struct preport_build_in in = {.unit = unit,
                                  .year = year,
                                  .period = period,
                                  .consolidate = consolidate,
                                  .data = config_data_dir(req_config(r)),
                                  .now = now_local_minutes()};
    return preport_build(req_store(r), &in, snap, e);
}

void h_preport_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"period", JT_STRING, 1, 1, 20},
        {"consolidate", JT_BOOL, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *unit = jget_str(body, "unit");
    if (!auth_scope_covers(r, unit))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit);
    int year;
    const char *code;
    if (period_of(r, jget_str(body, "period"), &year, &code)) return;
    int consolidate = jget_bool(body, "consolidate", 0);
    char *snap = NULL;
    struct err e = {0};
    int64_t id = 0;
    int64_t old;
    struct err e2 = {0};
    /* refuse a second report before assembling its figures */
    if (!store_preport_find(req_store(r), unit, year, code, &old, &e2))
        return reply_error(r, 409, "conflict", "period",
                           "unit '%s' has the report %d-CCHC-%s already (#%lld)", unit, year, code,
                           (long long)old);
    if (build(r, unit, year, code, consolidate, &snap, &e)) return reply_err(r, &e);
    struct preport_in in = {.unit = unit,
                            .year = year,
                            .period = code,
                            .snapshot = snap,
                            .consolidated = consolidate,
                            .actor = r->sess->user.username,
                            .at = now_local_minutes()};
    int rc = store_preport_create(req_store(r), &in, &id, &e);
    free(snap);
    if (rc) return reply_err(r, &e);
    struct preport p;
    if (store_preport_get(req_store(r), id, &p, &e)) return reply_err(r, &e);
    reply_report(r, 201, &p);
}

void h_preport_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct preport p;
    if (load(r, &p)) return;
    reply_report(r, 200, &p);
}

/* After load: the reporting unit's actions need its scope, the parent's the parent's. */
static int may(struct req *r, const struct preport *p, enum preport_action a)
{
    const struct preport_action_desc *d = preport_action_desc(a);
    if (d->flags & PRF_PARENT) {
        if (p->parent[0] && auth_scope_covers(r, p->parent)) return 1;
        reply_error(r, 403, "forbidden", "report",
                    "report #%lld: only the parent unit %s may %s it", (long long)p->id,
                    p->parent[0] ? p->parent : "(none)", d->name);
        return 0;
    }
    if (auth_scope_covers(r, p->unit)) return 1;
    reply_error(r, 403, "forbidden", "report", "report #%lld: only unit %s may %s it",
                (long long)p->id, p->unit, d->name);
    return 0;
}

static void act_reply(struct req *r, int64_t id, const struct preport_act *a)
{
    struct err e = {0};
    if (store_preport_act(req_store(r), id, a, &e)) return reply_err(r, &e);
    struct preport p;
    if (store_preport_get(req_store(r), id, &p, &e)) return reply_err(r, &e);
    reply_report(r, 200, &p);
}

void h_preport_sections(struct req *r)
{
    static const struct jfield spec[] = {
        {"results", JT_STRING, 0, 0, PREPORT_SECTION_MAX - 1},
        {"shortcomings", JT_STRING, 0, 0, PREPORT_SECTION_MAX - 1},
        {"causes", JT_STRING, 0, 0, PREPORT_SECTION_MAX - 1},
        {"next", JT_STRING, 0, 0, PREPORT_SECTION_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL)) return;
    struct preport p;
    if (load(r, &p)) return;
    int64_t id = p.id;
    int ok = may(r, &p, PA_EDIT);
    preport_clear(&p);
    if (!ok || req_body_json(r, spec, &body)) return;
    struct preport_act a = {
        .action = PA_EDIT, .actor = r->sess->user.username, .at = now_local_minutes()};
    for (int i = 0; i < PS__COUNT; i++)
        a.section[i] = jget_str(body, preport_section_key((enum preport_section)i));
    act_reply(r, id, &a);
}

void h_preport_refresh(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    json_t *body;
    static const struct jfield spec[] = {{NULL, 0, 0, 0, 0}};
    struct preport p;
    if (load(r, &p)) return;
    if (!may(r, &p, PA_REFRESH) || req_body_json_opt(r, spec, &body)) {
        preport_clear(&p);
        return;
    }
    int consolidate = r->route->arg || p.consolidated;
    struct err e = {0};
    char *snap = NULL;
    int rc = 0;
    /* a report that is not a draft is refused before its figures are assembled */
    enum preport_status next;
    rc = preport_apply(p.id, p.status, PA_REFRESH, NULL, &next, &e);
    if (!rc) rc = build(r, p.unit, p.year, p.period, consolidate, &snap, &e);
    int64_t id = p.id;
    preport_clear(&p);
    if (rc) return reply_err(r, &e);
    struct preport_act a = {.action = PA_REFRESH,
                            .snapshot = snap,
                            .consolidated = consolidate,
                            .actor = r->sess->user.username,
                            .at = now_local_minutes()};
    act_reply(r, id, &a);
    free(snap);
}

void h_preport_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"note", JT_STRING, 0, 0, PREPORT_NOTE_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    enum preport_action act = (enum preport_action)r->route->arg;
    json_t *body;
    if (req_query_check(r, NULL)) return;
    struct preport p;
    if (load(r, &p)) return;
    int64_t id = p.id;
    int ok = may(r, &p, act);
    preport_clear(&p);
    if (!ok || req_body_json_opt(r, spec, &body)) return;
    struct preport_act a = {.action = act,
                            .note = jget_str(body, "note"),
                            .actor = r->sess->user.username,
                            .at = now_local_minutes()};
    act_reply(r, id, &a);
}

struct kids {
    struct store *s;
    int year;
    const char *period;
    json_t *list;
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
    if (store_preport_find(k->s, u->code, k->year, k->period, &id, &e2)) {
        json_object_set_new(o, "status", json_string("missing"));
        json_object_set_new(o, "report", json_null());
    } else {
        struct preport p;
        if ((k->rc = store_preport_get(k->s, id, &p, k->e))) {
            json_decref(o);
            return 1;
        }
        json_object_set_new(o, "status", json_string(preport_status_name(p.status)));
        json_object_set_new(o, "report", json_integer(id));
        json_object_set_new(o, "submitted_at", jinstant(p.submitted_at));
        preport_clear(&p);
    }
    return json_array_append_new(k->list, o) ? 1 : 0;
}

void h_preport_children(struct req *r)
{
    static const char *const allowed[] = {"unit", "period", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                           unit ? unit : r->sess->user.unit);
    if (!unit) unit = r->sess->user.unit;
    int year;
    const char *code;
    if (period_of(r, req_query(r, "period"), &year, &code)) return;
    int64_t from, to;
    report_period_days(report_period_find(code), year, &from, &to);
    struct err e = {0};
    struct kids k = {
        .s = req_store(r), .year = year, .period = code, .list = json_array(), .e = &e};
    int rc = store_unit_children(req_store(r), unit, to, kid_one, &k, &e);
    if (k.rc) rc = k.rc;
    if (rc) {
        json_decref(k.list);
        return reply_err(r, &e);
    }
    int64_t own = 0;
    struct err e2 = {0};
    json_t *mine = store_preport_find(req_store(r), unit, year, code, &own, &e2)
                       ? json_null()
                       : json_integer(own);
    char period[24];
    snprintf(period, sizeof period, "%d-CCHC-%s", year, code);
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:o, s:o}", "unit", unit, "period", period, "report", mine,
                         "children", k.list));
}

void h_preport_file(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct preport p;
    if (load(r, &p)) return;
    int pdf = r->route->arg == 1;
    struct err e = {0};
    char path[512];
    if (download_temp_path(path, sizeof path)) {
        preport_clear(&p);
        err_set(&e, ERR_IO, "report", "cannot create a temporary file");
        return reply_err(r, &e);
    }
    int rc = pdf ? preport_write_pdf(&p, path, &e) : preport_write_xlsx(&p, path, &e);
    size_t len = 0;
    char *data = rc ? NULL : download_slurp(path, &len);
    unlink(path);
    char name[96];
    snprintf(name, sizeof name, "bao-cao-cchc-%s-%d-%s.%s", p.unit, p.year, p.period,
             pdf ? "pdf" : "xlsx");
    preport_clear(&p);
    if (rc) return reply_err(r, &e);
    if (!data) {
        err_set(&e, ERR_IO, "report", "the report could not be read back");
        return reply_err(r, &e);
    }
    reply_download(r,
                   pdf ? "application/pdf"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   name, data, len);
    free(data);
}
