/* dialogue.c — checks for dialogues and their commitments, and a commitment's judgement on a
 * day (see dialogue.h). */
#include "dialogue.h"

#include "date.h"
#include "vntext.h"

#include <string.h>

static const char *const outcome_names[] = {"open", "overdue", "on_time", "late"};

const char *commitment_outcome_name(enum commitment_outcome o)
{
    return (unsigned)o <= CO_LATE ? outcome_names[o] : "?";
}

enum commitment_outcome commitment_outcome_at(const struct commitment *c, int64_t today)
{
    if (c->closed_day) return c->closed_day <= c->due_day ? CO_ON_TIME : CO_LATE;
    return today > c->due_day ? CO_OVERDUE : CO_OPEN;
}

static int text_ok(const char *field, const char *v, int required, int breaks, struct err *e)
{
    if (!v[0]) return required ? err_set(e, ERR_INVALID, field, "%s: required", field) : 0;
    if (!vntext_valid_utf8(v) || vntext_control_at(v, breaks) >= 0)
        return err_set(e, ERR_INVALID, field, "%s: not valid text", field);
    return 0;
}

int dialogue_check(const struct dialogue *d, struct err *e)
{
    int rc = text_ok("unit", d->unit, 1, 0, e);
    if (!rc) rc = text_ok("title", d->title, 1, 0, e);
    if (!rc) rc = text_ok("participants", d->participants, 0, 1, e);
    if (!rc) rc = text_ok("questions", d->questions, 0, 1, e);
    if (!rc && d->day <= 0) rc = err_set(e, ERR_INVALID, "day", "day: required");
    return rc;
}

int commitment_check(const struct commitment *c, int64_t dialogue_day, struct err *e)
{
    int rc = text_ok("text", c->text, 1, 1, e);
    if (!rc) rc = text_ok("owner", c->owner, 1, 0, e);
    if (!rc && c->due_day < dialogue_day) {
        char a[16], b[16];
        rc = err_set(e, ERR_INVALID, "due", "due %s: before the dialogue's day %s",
                     day_format(c->due_day, a), day_format(dialogue_day, b));
    }
    return rc;
}

int commitment_close_check(const struct commitment *c, int64_t dialogue_day, int64_t day,
                           const char *result, struct err *e)
{
    if (c->closed_day) {
        char a[16];
        return err_set(e, ERR_CONFLICT, "commitment", "commitment %lld is already closed on %s",
                       (long long)c->id, day_format(c->closed_day, a));
    }
    if (day < dialogue_day)
        return err_set(e, ERR_INVALID, "day", "a commitment cannot close before its dialogue");
    if (!result || !result[0])
        return err_set(e, ERR_INVALID, "result", "result: say what was done");
    return text_ok("result", result, 1, 1, e);
}
