/* procedures.c — GET /api/procedures?q=…&field=…&level=… (search by code, name or field,
 * ignoring case and diacritics through the store's vntext_fold; the published catalogue with
 * its decision, posting dates, fees and documents) and GET /api/procedures/{procedure} (one
 * procedure with its process template too). Public, like the national catalogue. */
#include <string.h>

#include "http.h"
#include "store.h"
#include "vntext.h"

static json_t *procedure_json(const struct procedure *p, int full)
{
    char t[128];
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:s, s:i, s:s, s:o, s:o, s:s}", "code", jstr(p->code), "name",
                  jstr(p->name), "field", jstr(p->field), "level", proc_level_name(p->level),
                  "time_amount", p->time_amount, "time_unit", time_unit_name(p->time_unit),
                  "time_text", jstr(proc_time_format(p, t, sizeof t)), "fee_vnd",
                  p->fee_vnd < 0 ? json_null() : json_integer(p->fee_vnd), "online",
                  online_mode_name(p->online));
    if (!o || !full) return o;
    json_t *docs = json_array();
    for (int i = 0; i < p->ndocs; i++)
        json_array_append_new(docs, jstr(p->docs[i]));
    json_object_set_new(o, "level_label", jstr(proc_level_label(p->level)));
    json_object_set_new(o, "online_label", jstr(online_mode_label(p->online)));
    json_object_set_new(o, "time_note", jstr_or_null(p->time_note));
    json_object_set_new(o, "fee_note", jstr_or_null(p->fee_note));
    json_object_set_new(o, "legal_basis", jstr_or_null(p->legal_basis));
    json_object_set_new(o, "documents", docs);
    json_object_set_new(o, "decision", jstr_or_null(p->decision));
    json_object_set_new(o, "decision_date", jstr_or_null(p->decision_date));
    json_object_set_new(o, "basis_effective", jstr_or_null(p->basis_effective));
    json_object_set_new(o, "posted_portal", jstr_or_null(p->posted_portal));
    json_object_set_new(o, "posted_desk", jstr_or_null(p->posted_desk));
    json_object_set_new(o, "receive", jstr(recv_scope_name(p->receive)));
    json_object_set_new(o, "receive_label", jstr(recv_scope_label(p->receive)));
    json_object_set_new(o, "receive_basis", jstr_or_null(p->receive_basis));
    if (full < 2) return o;
    json_t *steps = json_array();
    for (int i = 0; i < p->nsteps; i++) {
        const struct proc_step *s = &p->steps[i];
        json_array_append_new(
            steps, json_pack("{s:o, s:s, s:o, s:s, s:i}", "name", jstr(s->name), "role",
                             step_role_name(s->role), "unit_kind",
                             s->unit_kind >= 0 ? jstr(unit_kind_name((enum unit_kind)s->unit_kind))
                                               : json_null(),
                             "share_unit", s->share_unit == SHARE_PERCENT ? "percent" : "hours",
                             "share", s->share));
    }
    json_object_set_new(o, "steps", steps);
    return o;
}

struct list_ctx {
    json_t *list;
    const char *field; /* NULL: any */
    int level;         /* -1: any */
};

static int add_procedure(const struct procedure *p, void *ctx)
{
    struct list_ctx *c = ctx;
    if (c->field && strcmp(c->field, p->field)) return 0;
    if (c->level >= 0 && (int)p->level != c->level) return 0;
    return json_array_append_new(c->list, procedure_json(p, 1)) ? 1 : 0;
}

void h_procedures_list(struct req *r)
{
    static const char *const allowed[] = {"q", "field", "level", NULL};
    if (req_query_check(r, allowed)) return;
    const char *q = req_query(r, "q"), *field = req_query(r, "field"),
               *level = req_query(r, "level");
    if (q && strlen(q) > 200) {
        reply_error(r, 400, "invalid", "q", "q must be at most 200 bytes");
        return;
    }
    if (field && strlen(field) > 200) {
        reply_error(r, 400, "invalid", "field", "field must be at most 200 bytes");
        return;
    }
    struct err e = {0};
    struct list_ctx c = {NULL, field && *field ? field : NULL, -1};
    if (level && *level) {
        enum proc_level lv;
        if (proc_level_parse(level, &lv, "level", &e)) {
            reply_err(r, &e);
            return;
        }
        c.level = (int)lv;
    }
    json_t *list = c.list = json_array();
    int rc = store_procedure_list(req_store(r), q, add_procedure, &c, &e);
    if (rc) {
        json_decref(list);
        if (!e.code) err_set(&e, ERR_NOMEM, "procedures", "out of memory");
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "procedures", list));
}

void h_procedure_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct procedure *p = arena_alloc(r->arena, sizeof *p); /* ~30 KB: not on the stack */
    struct err e = {0};
    if (!p) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    if (store_procedure_get(req_store(r), req_param(r, "procedure"), p, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, procedure_json(p, 2));
}
