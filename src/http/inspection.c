/* inspection.c — CCHC inspections over HTTP (kiểm tra công tác CCHC, issue 15): the year's
 * inspection plan, one inspection with its checklist, findings (with an evidence file kept as
 * PAR evidence) and remedies (tasks of the inspected unit's plan, reform.c's), one route per
 * state action (INSPECTION_ACTIONS of src/core/inspection.h), and the share of units inspected
 * with the units behind it. Scope: an inspection is visible to the users whose scope covers
 * the inspected or the inspecting unit (404 otherwise); the inspecting side records it (plan,
 * actions, checklist, findings: 403 for the inspected unit), and either side may add a remedy,
 * which is a task of the inspected unit's plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "date.h"
#include "http.h"
#include "store_reform.h"

static json_t *insp_json(const struct inspection *i)
{
    return json_pack("{s:I, s:i, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:i, s:i, s:i, s:i}", "id",
                     (json_int_t)i->id, "year", i->year, "inspector", i->inspector, "unit", i->unit,
                     "team", jstr(i->team), "from", jday(i->planned_from), "to",
                     jday(i->planned_to), "status", insp_status_name(i->status), "concluded",
                     i->concluded_day ? jday(i->concluded_day) : json_null(), "items", i->nitems,
                     "findings", i->nfindings, "remedies", i->nremedies, "open_remedies",
                     i->open_remedies);
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

/* Loads the inspection of the path if the caller may see it (the inspected or the inspecting
 * unit in scope); 404 (replied) otherwise. */
static int load_insp(struct req *r, struct inspection *i)
{
    int64_t id;
    if (req_id(r, req_param(r, "inspection"), "inspection", &id)) return -1;
    struct err e = {0};
    int rc = store_insp_get(req_store(r), id, i, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !(auth_scope_covers(r, i->unit) || auth_scope_covers(r, i->inspector))) {
        reply_error(r, 404, "not_found", "inspection", "inspection #%lld does not exist",
                    (long long)id);
        return -1;
    }
    return 0;
}

/* The inspecting side records an inspection; the inspected unit reads it (403, replied). */
static int inspector_only(struct req *r, const struct inspection *i)
{
    if (auth_scope_covers(r, i->inspector)) return 0;
    reply_error(r, 403, "forbidden", "inspection",
                "inspection #%lld is recorded by the inspecting unit '%s'", (long long)i->id,
                i->inspector);
    return -1;
}

/* ---- the list and the plan ------------------------------------------------------------- */

struct insp_list_out {
    json_t *list;
    int status; /* -1: any */
};

static int insp_item(const struct inspection *i, void *ctx)
{
    struct insp_list_out *x = ctx;
    if (x->status >= 0 && (int)i->status != x->status) return 0;
    return json_array_append_new(x->list, insp_json(i)) ? ERR_NOMEM : 0;
}

void h_insp_list(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", "status", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    int year;
    if (parse_year(r, req_query(r, "year"), &year)) return;
    struct insp_list_out x = {NULL, -1};
    struct err e = {0};
    if (req_query(r, "status")) {
        enum insp_status st;
        if (insp_status_parse(req_query(r, "status"), &st, "status", &e)) return reply_err(r, &e);
        x.status = (int)st;
    }
    x.list = json_array();
    int rc = store_insp_list(req_store(r), unit, year, insp_item, &x, &e);
    if (rc) {
        json_decref(x.list);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:o}", "unit", unit, "year", year, "inspections", x.list));
}

void h_insp_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"inspector", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"year", JT_INT, 1, 2000, 2100},
        {"team", JT_STRING, 0, 0, INSP_TEAM_MAX - 1},
        {"from", JT_STRING, 1, 10, 10},
        {"to", JT_STRING, 1, 10, 10},
        {"set", JT_STRING, 0, 1, PAR_CODE_MAX - 1},
        {"items", JT_ARRAY, 0, 0, 200},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *inspector = jget_str(body, "inspector");
    if (!auth_scope_covers(r, inspector))
        return reply_error(r, 404, "not_found", "inspector", "unit '%.40s' does not exist",
                           inspector);
    json_t *items = json_object_get(body, "items");
    size_t n = json_is_array(items) ? json_array_size(items) : 0;
    const char **texts = arena_alloc(r->arena, sizeof *texts * (n + 1));
    if (!texts) return reply_error(r, 500, "internal", NULL, "out of memory");
    for (size_t k = 0; k < n; k++) {
        json_t *v = json_array_get(items, k);
        const char *t = json_string_value(v);
        if (!t || !t[0] || strlen(t) >= INSP_TEXT_MAX)
            return reply_error(r, 400, "invalid", "items",
                               "items[%zu]: a checklist item is a text of 1 to %d bytes", k,
                               INSP_TEXT_MAX - 1);
        texts[k] = t;
    }
    struct inspection_in in = {.year = (int)jget_int(body, "year", 0),
                               .inspector = inspector,
                               .unit = jget_str(body, "unit"),
                               .team = jget_str(body, "team"),
                               .set = jget_str(body, "set"),
                               .items = texts,
                               .nitems = (int)n,
                               .actor = r->sess->user.username,
                               .at = now_local_minutes()};
    if (req_day(r, jget_str(body, "from"), "from", &in.planned_from) ||
        req_day(r, jget_str(body, "to"), "to", &in.planned_to))
        return;
    struct inspection i;
    struct err e = {0};
    if (store_insp_create(req_store(r), &in, &i, &e)) return reply_err(r, &e);
    reply_json(r, 201, insp_json(&i));
}

/* ---- one inspection ---------------------------------------------------------------------- */

static int item_json(const struct insp_item *it, void *ctx)
{
    json_t *o = json_pack("{s:i, s:o, s:o, s:o, s:o}", "seq", it->seq, "item", jstr(it->item),
                          "node", jstr_or_null(it->node), "result", jstr_or_null(it->result),
                          "note", jstr(it->note));
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

static json_t *finding_json(const struct insp_finding *f)
{
    json_t *ev = json_null();
    if (f->evidence_sha[0]) {
        char url[112];
        snprintf(url, sizeof url, "/api/reform/inspections/%lld/findings/%lld/evidence",
                 (long long)f->inspection_id, (long long)f->id);
        ev = json_pack("{s:s, s:s, s:o}", "sha256", f->evidence_sha, "url", url, "name",
                       jstr_or_null(f->evidence_name[0] ? f->evidence_name : NULL));
    }
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)f->id, "kind",
                     finding_kind_name(f->kind), "text", jstr(f->text), "evidence", ev, "added_at",
                     jinstant(f->added_at), "added_by", f->added_by, "remedies", json_array());
}

static int finding_item(const struct insp_finding *f, void *ctx)
{
    return json_array_append_new(ctx, finding_json(f)) ? ERR_NOMEM : 0;
}

struct remedy_out {
    json_t *findings;
    int64_t today;
};

static int remedy_item(int64_t finding_id, const struct reform_task *t, void *ctx)
{
    struct remedy_out *x = ctx;
    size_t k;
    json_t *f;
    json_array_foreach(x->findings, k, f)
    {
        if (json_integer_value(json_object_get(f, "id")) == finding_id)
            return json_array_append_new(json_object_get(f, "remedies"),
                                         reform_task_json(t, x->today))
                       ? ERR_NOMEM
                       : 0;
    }
    return 0;
}

/* The inspected unit's plan of the year, where remedies go: {id, areas} or null. */
static json_t *remedy_plan(struct req *r, const struct inspection *i)
{
    struct reform_plan p;
    struct err e = {0};
    if (store_reform_plan_find(req_store(r), i->unit, i->year, &p, &e)) return json_null();
    struct par_set *set = NULL;
    if (store_reform_plan_set(req_store(r), p.id, &set, &e)) return json_null();
    json_t *areas = json_array();
    for (int k = 0; k < set->nareas; k++) {
        const struct par_node *n = &set->node[set->areas[k]];
        json_array_append_new(areas,
                              json_pack("{s:s, s:o}", "code", n->code, "title", jstr(n->title)));
    }
    par_set_free(set);
    return json_pack("{s:I, s:o}", "id", (json_int_t)p.id, "areas", areas);
}

void h_insp_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct inspection i;
    if (load_insp(r, &i)) return;
    json_t *items = json_array(), *findings = json_array();
    struct remedy_out x = {findings, today_local()};
    struct err e = {0};
    struct store *s = req_store(r);
    int rc = store_insp_items(s, i.id, item_json, items, &e);
    if (!rc) rc = store_insp_findings(s, i.id, finding_item, findings, &e);
    if (!rc) rc = store_insp_remedies(s, i.id, remedy_item, &x, &e);
    if (rc) {
        json_decref(items);
        json_decref(findings);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    json_t *o = insp_json(&i);
    json_object_set_new(o, "checklist", items);
    json_object_set_new(o, "finding_list", findings);
    json_object_set_new(o, "remedy_plan", remedy_plan(r, &i));
    json_object_set_new(o, "may_record", json_boolean(auth_scope_covers(r, i.inspector)));
    reply_json(r, 200, o);
}

void h_insp_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"note", JT_STRING, 0, 0, REFORM_NOTE_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    const struct insp_action_desc *act = insp_action_desc((enum insp_action)r->route->arg);
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    struct inspection i;
    if (load_insp(r, &i) || inspector_only(r, &i)) return;
    struct inspection out;
    struct err e = {0};
    if (store_insp_act(req_store(r), i.id, act->action, jget_str(body, "note"),
                       r->sess->user.username, now_local_minutes(), &out, &e)) {
        if (e.code == ERR_INVALID && !strcmp(e.field, "note")) /* the task's wording is shared */
            return reply_error(r, 400, "invalid", "note",
                               "note: the inspection's '%s' needs a reason", act->name);
        return reply_err(r, &e);
    }
    reply_json(r, 200, insp_json(&out));
}

void h_insp_check(struct req *r)
{
    static const struct jfield spec[] = {
        {"result", JT_STRING, 1, 0, 7},
        {"note", JT_STRING, 0, 0, INSP_TEXT_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct inspection i;
    int64_t seq;
    if (load_insp(r, &i) || inspector_only(r, &i)) return;
    if (req_id(r, req_param(r, "seq"), "seq", &seq)) return;
    if (seq > 100000)
        return reply_error(r, 404, "not_found", "seq",
                           "inspection #%lld has no checklist item %lld", (long long)i.id,
                           (long long)seq);
    const char *note = jget_str(body, "note");
    struct err e = {0};
    if (store_insp_check(req_store(r), i.id, (int)seq, jget_str(body, "result"), note ? note : "",
                         &e))
        return reply_err(r, &e);
    reply_json(r, 200,
               json_pack("{s:I, s:I, s:o, s:o}", "inspection", (json_int_t)i.id, "seq",
                         (json_int_t)seq, "result", jstr_or_null(jget_str(body, "result")), "note",
                         jstr(note ? note : "")));
}

void h_insp_finding_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"kind", JT_STRING, 1, 1, 16},
        {"text", JT_STRING, 1, 1, INSP_TEXT_MAX - 1},
        {"file_name", JT_STRING, 0, 1, PAR_EVIDENCE_NAME_MAX - 1},
        {"content_base64", JT_STRING, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct inspection i;
    if (load_insp(r, &i) || inspector_only(r, &i)) return;
    struct err e = {0};
    enum finding_kind kind;
    if (finding_kind_parse(jget_str(body, "kind"), &kind, "kind", &e)) return reply_err(r, &e);
    const char *name = jget_str(body, "file_name"), *b64 = jget_str(body, "content_base64");
    if (!name != !b64)
        return reply_error(r, 400, "missing_field", name ? "content_base64" : "file_name",
                           "field '%s' is required with '%s'",
                           name ? "content_base64" : "file_name",
                           name ? "file_name" : "content_base64");
    struct insp_file file = {0};
    if (b64) {
        unsigned char *data;
        size_t size;
        if (reform_base64(r, b64, &data, &size)) return;
        file = (struct insp_file){name, data, (int64_t)size, req_config(r)->par_evidence_max};
    }
    int64_t fid;
    struct store *s = req_store(r);
    if (store_insp_finding_add_file(s, i.id, kind, jget_str(body, "text"), b64 ? &file : NULL,
                                    r->sess->user.username, now_local_minutes(), &fid, &e))
        return reply_err(r, &e);
    struct insp_finding f;
    if (store_insp_finding_get(s, fid, &f, NULL, NULL, &e)) return reply_err(r, &e);
    reply_json(r, 201, finding_json(&f));
}

/* The finding of the path, which must belong to the inspection i (404, replied). */
static int load_finding(struct req *r, const struct inspection *i, struct insp_finding *f,
                        void **data, int64_t *size)
{
    int64_t fid;
    if (req_id(r, req_param(r, "finding"), "finding", &fid)) return -1;
    struct err e = {0};
    int rc = store_insp_finding_get(req_store(r), fid, f, data, size, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || f->inspection_id != i->id) {
        if (data) free(*data);
        reply_error(r, 404, "not_found", "finding",
                    "finding #%lld does not belong to inspection #%lld", (long long)fid,
                    (long long)i->id);
        return -1;
    }
    return 0;
}

/* The allow-list's extension and type for content whose sniffed type is sniffed: the name
 * is not kept with a finding, so the download is named from the content. */
static void file_type(const char *sniffed, int64_t size, char *ext, size_t n, const char **mime)
{
    const char *list = par_evidence_extensions();
    *mime = "application/octet-stream";
    snprintf(ext, n, "bin");
    while (list && *list) {
        size_t len = strcspn(list, ", ");
        if (len > 0 && len < 16) {
            char name[32];
            const char *m;
            snprintf(name, sizeof name, "x.%.*s", (int)len, list);
            if (!par_evidence_check(name, sniffed, size, size, &m, NULL)) {
                snprintf(ext, n, "%.*s", (int)len, list);
                *mime = m;
                return;
            }
        }
        list += len;
        list += strspn(list, ", ");
    }
}

void h_insp_finding_file(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct inspection i;
    struct insp_finding f;
    void *data = NULL;
    int64_t size = 0;
    if (load_insp(r, &i) || load_finding(r, &i, &f, &data, &size)) return;
    if (!data) {
        return reply_error(r, 404, "not_found", "finding", "finding #%lld has no evidence file",
                           (long long)f.id);
    }
    char sniffed[PAR_MIME_MAX] = "", ext[16], name[PAR_EVIDENCE_NAME_MAX + 64];
    const char *mime;
    struct err e = {0};
    blob_sniff(data, (size_t)size, sniffed, sizeof sniffed, &e);
    file_type(sniffed[0] ? sniffed : NULL, size, ext, sizeof ext, &mime);
    if (f.evidence_name[0]) /* the name it was given (checked at upload: blob_evidence_check) */
        snprintf(name, sizeof name, "%s", f.evidence_name);
    else
        snprintf(name, sizeof name, "kiem-tra-%lld-phat-hien-%lld.%s", (long long)i.id,
                 (long long)f.id, ext);
    reply_header(r, "X-Content-SHA256", arena_strdup(r->arena, f.evidence_sha));
    reply_download(r, mime, name, data, (size_t)size);
    free(data);
}

void h_insp_remedy_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"area", JT_STRING, 1, 1, PAR_CODE_MAX - 1},
        {"title", JT_STRING, 1, 1, REFORM_TITLE_MAX - 1},
        {"owner", JT_STRING, 0, 1, UNIT_CODE_MAX - 1},
        {"lead", JT_STRING, 0, 0, REFORM_LEAD_MAX - 1},
        {"product", JT_STRING, 0, 0, REFORM_PRODUCT_MAX - 1},
        {"start", JT_STRING, 1, 10, 10},
        {"due", JT_STRING, 1, 10, 10},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct inspection i;
    struct insp_finding f;
    if (load_insp(r, &i) || load_finding(r, &i, &f, NULL, NULL)) return;
    const char *owner = jget_str(body, "owner");
    struct reform_task_in in = {.area = jget_str(body, "area"),
                                .title = jget_str(body, "title"),
                                .owner = owner ? owner : i.unit,
                                .lead = jget_str(body, "lead"),
                                .product = jget_str(body, "product"),
                                .actor = r->sess->user.username,
                                .at = now_local_minutes()};
    if (req_day(r, jget_str(body, "start"), "start", &in.start_day) ||
        req_day(r, jget_str(body, "due"), "due", &in.due_day))
        return;
    struct reform_task t;
    struct err e = {0};
    if (store_insp_remedy_add(req_store(r), f.id, &in, &t, &e)) return reply_err(r, &e);
    json_t *o = reform_task_json(&t, today_local());
    json_object_set_new(o, "finding", json_integer(f.id));
    reply_json(r, 201, o);
}

/* ---- the share of units inspected -------------------------------------------------------- */

struct share_out {
    json_t *units, *all; /* all: the year's inspections in the unit's scope */
};

static int share_insp(const struct inspection *i, void *ctx)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)i->id, "unit",
                          i->unit, "status", insp_status_name(i->status), "inspector", i->inspector,
                          "from", jday(i->planned_from), "to", jday(i->planned_to));
    return json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

static int share_unit(const struct unit *u, int inspected, void *ctx)
{
    struct share_out *x = ctx;
    json_t *mine = json_array(), *v;
    size_t k;
    json_array_foreach(x->all, k, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "unit")), u->code))
            json_array_append(mine, v);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:o}", "code", u->code, "name", u->name, "kind",
                          unit_kind_name(u->kind), "inspected", inspected, "inspections", mine);
    return !o || json_array_append_new(x->units, o) ? ERR_NOMEM : 0;
}

void h_insp_share(struct req *r)
{
    static const char *const allowed[] = {"unit", "year", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_scope_unit(r);
    if (!unit) return;
    int year;
    if (parse_year(r, req_query(r, "year"), &year)) return;
    struct share_out x = {json_array(), json_array()};
    struct insp_share sh;
    struct err e = {0};
    int rc = store_insp_list(req_store(r), unit, year, share_insp, x.all, &e);
    if (!rc) rc = store_insp_share_units(req_store(r), unit, year, &sh, share_unit, &x, &e);
    json_decref(x.all);
    if (rc) {
        json_decref(x.units);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    char pct[32];
    json_t *percent = json_null();
    if (sh.value != INT64_MIN) percent = json_string(par_pts_format(sh.value, 2, pct));
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:I, s:I, s:o, s:s, s:o}", "unit", unit, "year", year, "num",
                         (json_int_t)sh.num, "den", (json_int_t)sh.den, "percent", percent,
                         "denominator",
                         "units directly under the unit on 31/12; inspected: an inspection of "
                         "the year concluded or closed",
                         "units", x.units));
}
