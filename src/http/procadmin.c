/* procadmin.c — the procedures catalogue changed by an administrator (issue 13):
 * PUT /api/procedures/{procedure} replaces the attributes given (the columns of `cchc import
 * procedures` but the code and the steps), GET /api/procedures/{procedure}/steps lists the
 * process template's versions, the first day a new one may take effect and the log of
 * changes, and PUT /api/procedures/{procedure}/steps sets the steps from a day on. Values go
 * through the parsers and procedure_check() of src/core/procedure.c, as the import's do. The
 * catalogue is one for every unit (a reference table, docs/scale.md), so only an
 * administrator whose scope is a whole province changes it. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "http.h"
#include "store.h"
#include "store_procadmin.h"
#include "vntext.h"

/* 0 if the signed-in administrator's scope is a province, else replies 403 and returns -1. */
static int province_admin(struct req *r)
{
    struct unit u;
    if (r->sess && r->sess->user.unit[0] &&
        !store_unit_get(req_store(r), r->sess->user.unit, &u, NULL) && u.kind == UNIT_PROVINCE)
        return 0;
    reply_error(r, 403, "forbidden", "procedure",
                "the procedures catalogue is the province's: only an administrator of the whole "
                "province changes it");
    return -1;
}

/* Copies the NFC text of body field name into out (n bytes) when present; -1 (replied) when
 * not valid UTF-8 or too long. */
static int text_field(struct req *r, json_t *body, const char *name, char *out, size_t n)
{
    const char *v = jget_str(body, name);
    if (!v) return json_object_get(body, name) ? (out[0] = '\0', 0) : 0;
    if (vntext_nfc(v, out, n)) {
        reply_error(r, 400, "invalid", name, "field '%s' is longer than %zu bytes", name, n - 1);
        return -1;
    }
    return 0;
}

/* The name of an enumeration field parsed by parse when present. */
#define ENUM_FIELD(name, parse, member)                                                            \
    do {                                                                                           \
        const char *v_ = jget_str(body, name);                                                     \
        if (v_ && parse(v_, &p->member, name, &e)) return reply_err(r, &e);                        \
    } while (0)

void h_procedure_put(struct req *r)
{
    static const struct jfield spec[] = {
        {"name", JT_STRING, 0, 1, PROC_NAME_MAX - 1},
        {"field", JT_STRING, 0, 0, PROC_FIELD_MAX - 1},
        {"level", JT_STRING, 0, 0, 20},
        {"time_amount", JT_INT, 0, 0, 100000},
        {"time_unit", JT_STRING, 0, 0, 4},
        {"time_note", JT_STRING, 0, 0, PROC_TEXT_MAX - 1},
        {"fee_vnd", JT_INT, 0, -1, 1000000000000LL},
        {"fee_note", JT_STRING, 0, 0, PROC_TEXT_MAX - 1},
        {"online", JT_STRING, 0, 0, 20},
        {"legal_basis", JT_STRING, 0, 0, PROC_TEXT_MAX - 1},
        {"documents", JT_ARRAY, 0, 0, 0},
        {"decision", JT_STRING, 0, 0, PROC_DECISION_MAX - 1},
        {"decision_date", JT_STRING, 0, 0, PROC_DATE_MAX - 1},
        {"basis_effective", JT_STRING, 0, 0, PROC_DATE_MAX - 1},
        {"posted_portal", JT_STRING, 0, 0, PROC_DATE_MAX - 1},
        {"posted_desk", JT_STRING, 0, 0, PROC_DATE_MAX - 1},
        {"receive", JT_STRING, 0, 0, 20},
        {"receive_basis", JT_STRING, 0, 0, PROC_TEXT_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || province_admin(r) || req_body_json(r, spec, &body)) return;
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    struct err e = {0};
    if (!p) return reply_error(r, 500, "internal", NULL, "out of memory");
    if (store_procedure_get(req_store(r), req_param(r, "procedure"), p, &e))
        return reply_err(r, &e);
    if (text_field(r, body, "name", p->name, sizeof p->name) ||
        text_field(r, body, "field", p->field, sizeof p->field) ||
        text_field(r, body, "time_note", p->time_note, sizeof p->time_note) ||
        text_field(r, body, "fee_note", p->fee_note, sizeof p->fee_note) ||
        text_field(r, body, "legal_basis", p->legal_basis, sizeof p->legal_basis) ||
        text_field(r, body, "decision", p->decision, sizeof p->decision) ||
        text_field(r, body, "decision_date", p->decision_date, sizeof p->decision_date) ||
        text_field(r, body, "basis_effective", p->basis_effective, sizeof p->basis_effective) ||
        text_field(r, body, "posted_portal", p->posted_portal, sizeof p->posted_portal) ||
        text_field(r, body, "posted_desk", p->posted_desk, sizeof p->posted_desk) ||
        text_field(r, body, "receive_basis", p->receive_basis, sizeof p->receive_basis))
        return;
    ENUM_FIELD("level", proc_level_parse, level);
    ENUM_FIELD("time_unit", time_unit_parse, time_unit);
    ENUM_FIELD("online", online_mode_parse, online);
    ENUM_FIELD("receive", recv_scope_parse, receive);
    if (json_object_get(body, "time_amount") && !json_is_null(json_object_get(body, "time_amount")))
        p->time_amount = (int)jget_int(body, "time_amount", 0);
    if (json_object_get(body, "fee_vnd")) /* null or -1: the fee varies (see fee_note) */
        p->fee_vnd = jget_int(body, "fee_vnd", -1);
    json_t *docs = json_object_get(body, "documents");
    if (json_is_array(docs)) {
        size_t n = json_array_size(docs);
        if (n > PROC_DOCS_MAX)
            return reply_error(r, 400, "invalid", "documents", "%zu documents: at most %d", n,
                               PROC_DOCS_MAX);
        p->ndocs = 0;
        for (size_t i = 0; i < n; i++) {
            const char *d = json_string_value(json_array_get(docs, i));
            if (!d || vntext_nfc(d, p->docs[p->ndocs], PROC_TEXT_MAX))
                return reply_error(r, 400, "invalid", "documents",
                                   "document %zu: text of at most %d bytes", i + 1,
                                   PROC_TEXT_MAX - 1);
            if (p->docs[p->ndocs][0]) p->ndocs++; /* blank lines are skipped, as on import */
        }
    }
    if (store_procedure_update(req_store(r), p, r->sess->user.username, now_local_minutes(), &e))
        return reply_err(r, &e);
    h_procedure_get(r);
}

/* ---- steps ---- */

static json_t *steps_json(const struct proc_step *steps, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        const struct proc_step *s = &steps[i];
        char share[16];
        snprintf(share, sizeof share, "%d%s", s->share, s->share_unit == SHARE_PERCENT ? "%" : "h");
        json_array_append_new(
            a,
            json_pack("{s:o, s:s, s:s, s:o, s:s, s:i, s:s}", "name", jstr(s->name), "role",
                      step_role_name(s->role), "role_label", step_role_label(s->role), "unit_kind",
                      s->unit_kind >= 0 ? jstr(unit_kind_name((enum unit_kind)s->unit_kind))
                                        : json_null(),
                      "share_unit", s->share_unit == SHARE_PERCENT ? "percent" : "hours",
                      "share_value", s->share, "share", share));
    }
    return a;
}

struct versions_ctx {
    json_t *list;
    int64_t today;
};

static int add_version(int64_t from, const struct proc_step *steps, int n, void *ctx)
{
    struct versions_ctx *c = ctx;
    return json_array_append_new(c->list, json_pack("{s:o, s:b, s:o}", "effective_from",
                                                    from < 0 ? json_null() : jday(from), "planned",
                                                    from > c->today, "steps", steps_json(steps, n)))
               ? 1
               : 0;
}

static int add_change(const struct procedure_change *c, void *ctx)
{
    return json_array_append_new(
               (json_t *)ctx,
               json_pack("{s:o, s:o, s:s, s:o, s:s}", "at", jinstant(c->at), "actor",
                         jstr(c->actor), "what", c->what, "effective_from",
                         c->effective_from < 0 ? json_null() : jday(c->effective_from), "summary",
                         c->summary))
               ? 1
               : 0;
}

void h_procedure_steps_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *code = req_param(r, "procedure");
    struct err e = {0};
    int64_t today = today_local(), earliest, last;
    struct versions_ctx c = {json_array(), today};
    json_t *changes = json_array();
    if (store_procedure_versions(req_store(r), code, add_version, &c, &e) ||
        store_procedure_steps_earliest(req_store(r), code, today, &earliest, &last, &e) ||
        store_procedure_changes(req_store(r), code, 50, add_change, changes, &e)) {
        json_decref(c.list);
        json_decref(changes);
        if (!e.code) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "code", code, "today", jday(today),
                         "earliest", jday(earliest), "last_received",
                         last < 0 ? json_null() : jday(last), "versions", c.list, "changes",
                         changes));
}

/* One step of the body: {name, role, unit_kind, share}, each judged by the core's parser
 * with the field named steps[i].x. */
static int step_from_json(struct req *r, json_t *o, int i, struct proc_step *out)
{
    char f[48], line[STEP_NAME_MAX + 96], name[STEP_NAME_MAX];
    struct err e = {0};
    if (!json_is_object(o)) {
        snprintf(f, sizeof f, "steps[%d]", i);
        reply_error(r, 400, "invalid", f, "step %d: an object {name, role, unit_kind, share}", i);
        return -1;
    }
    const char *nm = json_string_value(json_object_get(o, "name")),
               *role = json_string_value(json_object_get(o, "role")),
               *kind = json_string_value(json_object_get(o, "unit_kind")),
               *share = json_string_value(json_object_get(o, "share"));
    snprintf(f, sizeof f, "steps[%d].name", i);
    if (!nm || vntext_nfc(nm, name, sizeof name) || !name[0] || strchr(name, '|')) {
        reply_error(r, 400, "invalid", f,
                    "step %d: a name of 1 to %d bytes without '|' is required", i + 1,
                    STEP_NAME_MAX - 1);
        return -1;
    }
    enum step_role sr;
    enum unit_kind uk;
    snprintf(f, sizeof f, "steps[%d].role", i);
    if (step_role_parse(role, &sr, f, &e)) goto bad;
    snprintf(f, sizeof f, "steps[%d].unit_kind", i);
    if (kind && *kind && unit_kind_parse(kind, &uk, f, &e)) goto bad;
    snprintf(f, sizeof f, "steps[%d].share", i);
    if (!share || strlen(share) > 16 || strchr(share, '|')) {
        err_set(&e, ERR_INVALID, f,
                "share '%.16s': expected a whole percent 1-100 followed by %% "
                "(\"40%%\") or whole working hours followed by h (\"8h\")",
                share ? share : "");
        goto bad;
    }
    snprintf(line, sizeof line, "%s | %s%s%s | %s", name, role, kind && *kind ? "@" : "",
             kind && *kind ? kind : "", share);
    if (!proc_step_parse(line, out, f, &e)) return 0;
bad : {
    char msg[sizeof e.msg - 12]; /* room for "step NN: " */
    snprintf(msg, sizeof msg, "%.*s", (int)sizeof msg - 1, e.msg);
    snprintf(e.msg, sizeof e.msg, "step %d: %s", (i + 1) % 100, msg);
    reply_err(r, &e);
    return -1;
}
}

void h_procedure_steps_put(struct req *r)
{
    static const struct jfield spec[] = {
        {"effective_from", JT_STRING, 1, 10, 10},
        {"steps", JT_ARRAY, 1, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || province_admin(r) || req_body_json(r, spec, &body)) return;
    struct err e = {0};
    struct ymd d;
    if (ymd_parse(jget_str(body, "effective_from"), &d, "effective_from", &e))
        return reply_err(r, &e);
    json_t *a = json_object_get(body, "steps");
    size_t n = json_array_size(a);
    if (n < 1 || n > PROC_STEPS_MAX)
        return reply_error(r, 400, "invalid", "steps", "%zu steps: a process has 1 to %d steps", n,
                           PROC_STEPS_MAX);
    struct proc_step *steps = arena_alloc(r->arena, n * sizeof *steps);
    if (!steps) return reply_error(r, 500, "internal", NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (step_from_json(r, json_array_get(a, i), (int)i, &steps[i])) return;
    if (store_procedure_steps_set(req_store(r), req_param(r, "procedure"), ymd_to_days(d),
                                  today_local(), steps, (int)n, r->sess->user.username,
                                  now_local_minutes(), &e))
        return reply_err(r, &e);
    h_procedure_steps_get(r);
}
