/* params.c — the request parameters every reform-management handler reads alike (reform.c,
 * inspection.c, initiative.c, action.c): a unit in the caller's scope, a day, a positive id.
 * Each replies (400 or 404) and returns -1 / NULL on bad input. */
#include <stdlib.h>

#include "date.h"
#include "http.h"

int req_day(struct req *r, const char *s, const char *field, int64_t *out)
{
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, field, &e)) {
        reply_err(r, &e);
        return -1;
    }
    *out = ymd_to_days(d);
    return 0;
}

int req_body_day(struct req *r, const char *v, const char *field, int64_t *out)
{
    struct ymd y;
    struct err e = {0};
    if (!v) {
        reply_error(r, 400, "invalid", field, "%s: a date YYYY-MM-DD is required", field);
        return -1;
    }
    if (ymd_parse(v, &y, field, &e)) {
        reply_error(r, 400, "invalid", field, "%s '%s': not a date YYYY-MM-DD", field, v);
        return -1;
    }
    *out = ymd_to_days(y);
    return 0;
}

int req_id(struct req *r, const char *s, const char *field, int64_t *out)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *s < '0' || *s > '9' || *end || v <= 0) {
        reply_error(r, 400, "invalid", field, "%s '%.40s' is not a positive number", field,
                    s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

const char *req_scope_unit(struct req *r)
{
    const char *unit = req_query(r, "unit");
    if (unit ? auth_scope_covers(r, unit) : auth_scope_root_valid(r))
        return unit ? unit : r->sess->user.unit;
    reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                unit ? unit : r->sess->user.unit);
    return NULL;
}
