/* preport_feedback.c — the feedback and petitions figures of a periodic CCHC report
 * (preport_build.c): items submitted in the period for the unit's scope and how they were
 * handled, judged at the time the snapshot is taken. */
#include <jansson.h>

#include "store_feedback.h"

int preport_feedback_json(struct store *s, const char *unit, int64_t from, int64_t to, int64_t now,
                          json_t **out, struct err *e);

int preport_feedback_json(struct store *s, const char *unit, int64_t from, int64_t to, int64_t now,
                          json_t **out, struct err *e)
{
    struct feedback_summary m;
    int rc = store_feedback_summary(s, unit, from, to, now, &m, e);
    if (rc) return rc;
    *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "items",
                     (json_int_t)m.items, "on_time", (json_int_t)m.on_time, "late",
                     (json_int_t)m.late, "in_time", (json_int_t)m.in_time, "overdue",
                     (json_int_t)m.overdue, "refused", (json_int_t)m.refused, "forwarded",
                     (json_int_t)m.forwarded, "waiting", (json_int_t)m.waiting, "rated",
                     (json_int_t)m.rated, "satisfied", (json_int_t)m.satisfied);
    return 0;
}
