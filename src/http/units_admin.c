/* units_admin.c — the administrator's units (issue 13): POST /api/units creates a unit,
 * PUT /api/units/{unit} edits one (its code never changes), POST /api/unit-mergers records a
 * merger (units ending the day before a date, one successor, existing or new, in one
 * transaction) and GET /api/units/{unit}/changes reads the log of who did what. The rules are
 * the import's (unit_check, the store's cycle checks; src/store/unit_admin.c); this file reads
 * the body and keeps an administrator inside his unit's subtree: a unit outside it, as a
 * parent, a successor or a unit that ends, is "not found" as on the other admin routes. */
#include <string.h>

#include "date.h"
#include "http.h"
#include "store.h"
#include "store_unitadmin.h"
#include "vntext.h"

/* Copies text field name of o (NFC) into out; "" when absent. Replies and returns -1 when it
 * is too long or not UTF-8. */
static int text_in(struct req *r, json_t *o, const char *name, const char *field, char *out,
                   size_t n)
{
    const char *v = jget_str(o, name);
    if (!v) v = "";
    if (strlen(v) >= n) {
        reply_error(r, 400, "invalid", field, "%s: at most %zu bytes", field, n - 1);
        return -1;
    }
    if (vntext_nfc(v, out, n)) {
        reply_error(r, 400, "invalid", field, "%s: not valid UTF-8 or too long", field);
        return -1;
    }
    /* trimmed: "Xã An Hòa " and "Xã An Hòa" are one name */
    size_t len = strlen(out), lead = strspn(out, " \t");
    while (len > lead && (out[len - 1] == ' ' || out[len - 1] == '\t'))
        out[--len] = 0;
    memmove(out, out + lead, len - lead + 1);
    return 0;
}

/* Reads name, kind, parent, ident_code (and code when with_code) of o into u; prefix names
 * the fields in messages ("successor_new." for the new successor of a merger). */
static int unit_fields(struct req *r, json_t *o, const char *prefix, int with_code, struct unit *u)
{
    char f[48];
    struct err e = {0};
#define F(name) (snprintf(f, sizeof f, "%s%s", prefix, name), f)
    if (with_code && text_in(r, o, "code", F("code"), u->code, sizeof u->code)) return -1;
    if (text_in(r, o, "name", F("name"), u->name, sizeof u->name) ||
        text_in(r, o, "parent", F("parent"), u->parent, sizeof u->parent) ||
        text_in(r, o, "ident_code", F("ident_code"), u->ident_code, sizeof u->ident_code))
        return -1;
    const char *kind = jget_str(o, "kind");
    enum unit_kind k;
    if (unit_kind_parse(kind ? kind : "", &k, F("kind"), &e)) {
        reply_err(r, &e);
        return -1;
    }
    u->kind = k;
#undef F
    return 0;
}

/* An optional day field ("" or absent: def; required when def is UNIT_DAY_MIN). */
static int day_in(struct req *r, json_t *o, const char *name, const char *field, int64_t def,
                  int64_t *out)
{
    const char *v = jget_str(o, name);
    *out = def;
    if (v && !*v) v = NULL;
    if (!v && def != UNIT_DAY_MIN) return 0;
    return req_body_day(r, v, field, out);
}

/* The administrator's scope covers code: else replies 404 naming field and returns -1. */
static int must_cover(struct req *r, const char *code, const char *field, const char *what)
{
    if (code[0] && auth_scope_covers(r, code)) return 0;
    if (!code[0])
        reply_error(r, 400, "invalid", field, "%s: a unit within your scope is required", what);
    else
        reply_error(r, 404, "not_found", field, "%s '%.40s': not a unit within your scope", what,
                    code);
    return -1;
}

static void reply_unit(struct req *r, int status, const char *code)
{
    struct unit u;
    struct err e = {0};
    if (store_unit_get(req_store(r), code, &u, &e)) return reply_err(r, &e);
    reply_json(r, status, unit_json(&u));
}

void h_unit_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"code", JT_STRING, 0, 0, 0},
        {"name", JT_STRING, 0, 0, 0},
        {"kind", JT_STRING, 0, 0, 0},
        {"parent", JT_STRING, 0, 0, 0},
        {"valid_from", JT_STRING, 0, 0, 0},
        {"ident_code", JT_STRING, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct unit u;
    memset(&u, 0, sizeof u);
    u.valid_to = UNIT_DAY_MAX;
    if (unit_fields(r, body, "", 1, &u) ||
        day_in(r, body, "valid_from", "valid_from", today_local(), &u.valid_from))
        return;
    struct err e = {0};
    if (unit_check(&u, &e)) return reply_err(r, &e);
    if (must_cover(r, u.parent, "parent", "parent")) return;
    if (store_unit_create(req_store(r), &u, r->sess->user.username, now_local_minutes(), &e))
        return reply_err(r, &e);
    reply_unit(r, 201, u.code);
}

void h_unit_edit(struct req *r)
{
    static const struct jfield spec[] = {
        {"name", JT_STRING, 0, 0, 0},
        {"kind", JT_STRING, 0, 0, 0},
        {"parent", JT_STRING, 0, 0, 0},
        {"ident_code", JT_STRING, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    const char *code = req_param(r, "unit");
    json_t *body;
    if (req_query_check(r, NULL)) return;
    if (!auth_scope_covers(r, code)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", code);
        return;
    }
    if (req_body_json(r, spec, &body)) return;
    struct unit u, cur;
    struct err e = {0};
    if (store_unit_get(req_store(r), code, &cur, &e)) return reply_err(r, &e);
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", cur.code);
    if (unit_fields(r, body, "", 0, &u)) return;
    /* a new parent inside the scope; the scope's own unit keeps its place */
    if (strcmp(u.parent, cur.parent) && must_cover(r, u.parent, "parent", "parent")) return;
    if (store_unit_edit(req_store(r), &u, today_local(), r->sess->user.username,
                        now_local_minutes(), &e))
        return reply_err(r, &e);
    reply_unit(r, 200, u.code);
}

void h_unit_merge(struct req *r)
{
    static const struct jfield spec[] = {
        {"units", JT_ARRAY, 0, 0, 0},
        {"effective", JT_STRING, 0, 0, 0},
        {"successor", JT_STRING, 0, 0, 0},
        {"successor_new", JT_OBJECT, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    json_t *list = json_object_get(body, "units");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (n < 1 || n > UNIT_MERGE_MAX)
        return reply_error(r, 400, "invalid", "units", "%zu units: a merger ends 1 to %d units", n,
                           UNIT_MERGE_MAX);
    char(*ending)[UNIT_CODE_MAX] = arena_alloc(r->arena, n * UNIT_CODE_MAX);
    if (!ending) return reply_error(r, 500, "internal", NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(list, i);
        const char *c = json_is_string(v) ? json_string_value(v) : "";
        if (!*c || strlen(c) >= UNIT_CODE_MAX)
            return reply_error(r, 400, "invalid", "units", "units[%zu]: a unit code is required",
                               i);
        snprintf(ending[i], UNIT_CODE_MAX, "%s", c);
        if (!strcmp(c, r->sess->user.unit))
            return reply_error(r, 403, "forbidden", "units",
                               "unit '%s' is your own scope: an administrator above it records "
                               "its merger",
                               c);
        if (must_cover(r, ending[i], "units", "unit")) return;
    }
    struct unit_merger m = {.ending = (const char(*)[UNIT_CODE_MAX])ending, .n = (int)n};
    if (day_in(r, body, "effective", "effective", UNIT_DAY_MIN, &m.effective)) return;
    const char *succ = jget_str(body, "successor");
    json_t *nw = json_object_get(body, "successor_new");
    struct unit su;
    struct err e = {0};
    if ((succ && *succ) == json_is_object(nw))
        return reply_error(r, 400, "invalid", "successor",
                           "give the successor: an existing unit or a new one, not both");
    if (json_is_object(nw)) {
        static const char *const keys[] = {"code", "name", "kind", "parent", "ident_code", NULL};
        const char *k;
        json_t *val;
        json_object_foreach(nw, k, val)
        {
            int known = 0;
            for (int i = 0; keys[i]; i++)
                known |= !strcmp(k, keys[i]);
            if (!known || (!json_is_string(val) && !json_is_null(val)))
                return reply_error(r, 400, "invalid", "successor_new",
                                   "successor_new.%.32s: not a field of a unit here", k);
        }
        memset(&su, 0, sizeof su);
        su.valid_from = m.effective;
        su.valid_to = UNIT_DAY_MAX;
        if (unit_fields(r, nw, "successor_new.", 1, &su)) return;
        if (unit_check(&su, &e)) {
            char f[sizeof e.field + 16] = "";
            snprintf(f, sizeof f, "successor_new.%s", e.field);
            memcpy(e.field, f, sizeof e.field - 1);
            e.field[sizeof e.field - 1] = 0;
            return reply_err(r, &e);
        }
        if (must_cover(r, su.parent, "successor_new.parent", "parent")) return;
        m.new_successor = &su;
    } else {
        if (strlen(succ) >= UNIT_CODE_MAX || must_cover(r, succ, "successor", "successor")) {
            if (strlen(succ) >= UNIT_CODE_MAX)
                reply_error(r, 404, "not_found", "successor",
                            "successor '%.40s': not a unit within your scope", succ);
            return;
        }
        m.successor = succ;
    }
    if (store_unit_merge(req_store(r), &m, r->sess->user.username, now_local_minutes(), &e))
        return reply_err(r, &e);
    const char *sc = m.successor ? m.successor : su.code;
    struct unit out;
    if (store_unit_get(req_store(r), sc, &out, &e)) return reply_err(r, &e);
    json_t *ended = json_array();
    for (size_t i = 0; i < n; i++) {
        struct unit x;
        if (!store_unit_get(req_store(r), ending[i], &x, &e))
            json_array_append_new(ended, unit_json(&x));
    }
    reply_json(r, 201,
               json_pack("{s:o, s:o, s:o}", "effective", jday(m.effective), "successor",
                         unit_json(&out), "ended", ended));
}

static int add_change(const struct unit_change *c, void *ctx)
{
    return json_array_append_new(ctx, json_pack("{s:I, s:o, s:s, s:s, s:s}", "id",
                                                (json_int_t)c->id, "at", jinstant(c->at), "actor",
                                                c->actor, "what", c->what, "summary", c->summary))
               ? 1
               : 0;
}

void h_unit_changes(struct req *r)
{
    const char *code = req_param(r, "unit");
    if (req_query_check(r, NULL)) return;
    if (!auth_scope_covers(r, code)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", code);
        return;
    }
    json_t *list = json_array();
    struct err e = {0};
    if (store_unit_changes(req_store(r), code, 100, add_change, list, &e)) {
        json_decref(list);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "unit", code, "changes", list));
}
