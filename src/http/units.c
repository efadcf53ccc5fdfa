/* units.c — GET /api/units (the tree as of a day, or the subtree of one unit) and
 * GET /api/units/{unit} (one unit with its children and predecessors). Public: the
 * organisation of government is public information. */
#include <string.h>

#include "date.h"
#include "http.h"
#include "store.h"
#include "vntext.h"

json_t *unit_json(const struct unit *u)
{
    json_t *o =
        json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "code", jstr(u->code), "name",
                  jstr(u->name), "kind", unit_kind_name(u->kind), "kind_label",
                  unit_kind_label(u->kind), "parent", jstr_or_null(u->parent), "valid_from",
                  u->valid_from == UNIT_DAY_MIN ? json_null() : jday(u->valid_from), "valid_to",
                  u->valid_to == UNIT_DAY_MAX ? json_null() : jday(u->valid_to), "successor",
                  jstr_or_null(u->successor), "ident_code", jstr_or_null(u->ident_code));
    return o;
}

/* The contact citizens see for a unit (its own, its desk's or the nearest above), with the
 * unit it belongs to; null when none. */
static json_t *contact_json(struct req *r, const char *unit)
{
    struct unit_contact c;
    struct err e = {0};
    if (store_unit_contact_find(req_store(r), unit, &c, &e)) return json_null();
    return json_pack("{s:s, s:s, s:s, s:o, s:b}", "unit", c.unit, "address", c.address, "phone",
                     c.phone, "hours", c.hours[0] ? json_string(c.hours) : json_null(), "own",
                     !strcmp(c.unit, unit));
}

static int add_unit(const struct unit *u, void *ctx)
{
    return json_array_append_new(ctx, unit_json(u)) ? 1 : 0;
}

/* Reads ?as_of=YYYY-MM-DD (default today; "all" for every period). */
static int as_of_arg(struct req *r, int64_t *out)
{
    const char *s = req_query(r, "as_of");
    struct ymd d;
    struct err e = {0};
    *out = today_local();
    if (!s) return 0;
    if (!strcmp(s, "all")) return *out = UNIT_DAY_MIN, 0;
    if (ymd_parse(s, &d, "as_of", &e)) {
        reply_err(r, &e);
        return -1;
    }
    *out = ymd_to_days(d);
    return 0;
}

void h_units_list(struct req *r)
{
    static const char *const allowed[] = {"as_of", "under", NULL};
    int64_t as_of;
    if (req_query_check(r, allowed) || as_of_arg(r, &as_of)) return;
    const char *under = req_query(r, "under");
    json_t *list = json_array();
    struct err e = {0};
    int rc = under ? store_unit_subtree(req_store(r), under, as_of, add_unit, list, &e)
                   : store_unit_list(req_store(r), as_of, add_unit, list, &e);
    if (rc) {
        json_decref(list);
        if (rc == 1 && !e.code) err_set(&e, ERR_NOMEM, "units", "out of memory");
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "units", list));
}

void h_unit_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct unit u;
    struct err e = {0};
    const char *code = req_param(r, "unit");
    if (store_unit_get(req_store(r), code, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    json_t *o = unit_json(&u), *children = json_array(), *preds = json_array();
    if (store_unit_children(req_store(r), u.code, UNIT_DAY_MIN, add_unit, children, &e) ||
        store_unit_predecessors(req_store(r), u.code, add_unit, preds, &e)) {
        json_decref(o);
        json_decref(children);
        json_decref(preds);
        reply_err(r, &e);
        return;
    }
    json_object_set_new(o, "children", children);
    json_object_set_new(o, "predecessors", preds);
    json_object_set_new(o, "contact", contact_json(r, u.code));
    reply_json(r, 200, o);
}

/* PUT /api/units/{unit}/contact: the administrator sets where citizens go and call for a unit
 * in the scope (its one-stop desk's address, phone and hours; unit_contact_check). */
void h_unit_contact_put(struct req *r)
{
    static const struct jfield spec[] = {
        {"address", JT_STRING, 1, 1, UNIT_ADDRESS_MAX - 1},
        {"phone", JT_STRING, 1, 1, UNIT_PHONE_MAX - 1},
        {"hours", JT_STRING, 0, 0, UNIT_HOURS_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    const char *code = req_param(r, "unit");
    if (req_query_check(r, NULL)) return;
    if (!auth_scope_covers(r, code)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", code);
        return;
    }
    if (req_body_json(r, spec, &body)) return;
    struct unit_contact c;
    struct err e = {0};
    memset(&c, 0, sizeof c);
    snprintf(c.unit, sizeof c.unit, "%s", code);
    if (vntext_nfc(jget_str(body, "address"), c.address, sizeof c.address) ||
        vntext_nfc(jget_str(body, "phone"), c.phone, sizeof c.phone) ||
        vntext_nfc(jget_str(body, "hours") ? jget_str(body, "hours") : "", c.hours,
                   sizeof c.hours)) {
        reply_error(r, 400, "invalid", "address", "the text is not valid UTF-8 or too long");
        return;
    }
    if (store_unit_contact_put(req_store(r), &c, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, contact_json(r, code));
}
