/* backdated.c — GET /api/backdated: the actions recorded in a period with a claimed time
 * earlier than the backdating tolerance (issue 12, finding 1), for leaders and administrators
 * of the unit's scope: a count per unit and officer, and every event with both times and its
 * reason. The same rows as `cchc report backdated` (src/report/backdated_report.c). The rule:
 * docs/dossiers.md, "Backdated actions". */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "stats.h"
#include "store.h"

/* The list can grow without bound over a long period: the API stops at this many events and
 * says so ("truncated"); `cchc report backdated` writes them all. */
#define BACKDATED_API_MAX 5000

struct acc {
    json_t *by, *events;
    json_t *group; /* the current (unit, officer) row of "by_officer" */
    int64_t n;
};

static int one(const struct backdated_event *ev, void *ctx)
{
    struct acc *a = ctx;
    if (!a->group || strcmp(json_string_value(json_object_get(a->group, "unit")), ev->unit) ||
        strcmp(json_string_value(json_object_get(a->group, "officer")), ev->actor)) {
        a->group = json_pack("{s:o, s:o, s:i}", "unit", jstr(ev->unit), "officer", jstr(ev->actor),
                             "count", 0);
        if (!a->group || json_array_append_new(a->by, a->group)) return -1;
    }
    json_object_set_new(a->group, "count",
                        json_integer(json_integer_value(json_object_get(a->group, "count")) + 1));
    if (++a->n > BACKDATED_API_MAX) return 0;
    json_t *row =
        json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "event", (json_int_t)ev->id, "code",
                  jstr(ev->code), "unit", jstr(ev->unit), "officer", jstr(ev->actor), "action",
                  jstr(ev->action), "at", jinstant(ev->at), "recorded_at",
                  jinstant(ev->recorded_at), "reason", jstr_or_null(ev->note));
    return !row || json_array_append_new(a->events, row) ? -1 : 0;
}

void h_backdated(struct req *r)
{
    static const char *const allowed[] = {"period", "unit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *period = req_query(r, "period"), *unit = req_query(r, "unit");
    struct err e = {0};
    int64_t from, to;
    if (!period) {
        reply_error(r, 400, "missing_field", "period",
                    "query argument 'period' is required (YYYY, YYYY-MM, YYYY-Qn, YYYY-6M, "
                    "YYYY-MM-DD..YYYY-MM-DD)");
        return;
    }
    if (stats_period_parse(period, &from, &to, &e)) return reply_err(r, &e);
    /* by default the user's own scope unit, so the list never reaches outside the scope */
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                    unit ? unit : r->sess->user.unit);
        return;
    }
    if (!unit) unit = r->sess->user.unit;
    struct acc a = {.by = json_array(), .events = json_array()};
    int rc =
        a.by && a.events ? store_backdated_events(req_store(r), unit, from, to, one, &a, &e) : -1;
    if (rc) {
        json_decref(a.by);
        json_decref(a.events);
        if (rc < 0 || !e.code) err_set(&e, ERR_NOMEM, "backdated", "out of memory");
        return reply_err(r, &e);
    }
    json_t *out = json_pack("{s:s, s:s, s:o, s:o, s:I, s:b}", "period", period, "unit", unit,
                            "by_officer", a.by, "events", a.events, "total", (json_int_t)a.n,
                            "truncated", a.n > BACKDATED_API_MAX);
    if (!out) {
        err_set(&e, ERR_NOMEM, "backdated", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, out);
}
