/* inspection.c — the CCHC inspection state machine (one row per legal (state, action) pair,
 * checked exhaustively by tests/data/inspection-transitions.tsv), its guards, and the share of
 * units inspected. */
#include "inspection.h"

#include <string.h>

static const char *const status_names[IS__COUNT] = {"planned", "in_progress", "concluded", "closed",
                                                    "cancelled"};
static const struct insp_action_desc actions[IA__COUNT] = {
#define INSP_ACTION_ROW(act, name, flags, summary) {act, name, flags, summary},
    INSPECTION_ACTIONS(INSP_ACTION_ROW)
#undef INSP_ACTION_ROW
};

static const struct {
    enum insp_status from;
    enum insp_action action;
    enum insp_status to;
} transitions[] = {
    {IS_PLANNED, IA_START, IS_IN_PROGRESS},      {IS_PLANNED, IA_CANCEL, IS_CANCELLED},
    {IS_IN_PROGRESS, IA_CONCLUDE, IS_CONCLUDED}, {IS_IN_PROGRESS, IA_CANCEL, IS_CANCELLED},
    {IS_CONCLUDED, IA_CLOSE, IS_CLOSED},         {IS_CLOSED, IA_REOPEN, IS_CONCLUDED},
};

const struct insp_action_desc *insp_action_desc(enum insp_action a)
{
    return (unsigned)a < IA__COUNT ? &actions[a] : NULL;
}

const char *insp_status_name(enum insp_status s)
{
    return (unsigned)s < IS__COUNT ? status_names[s] : NULL;
}

int insp_status_parse(const char *s, enum insp_status *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < IS__COUNT; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum insp_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not an inspection status (planned, in_progress, concluded, closed, "
                   "cancelled)",
                   s ? s : "");
}

int insp_action_parse(const char *s, enum insp_action *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < IA__COUNT; i++)
        if (!strcmp(s, actions[i].name)) {
            *out = (enum insp_action)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not an inspection action (start, conclude, close, reopen, cancel)",
                   s ? s : "");
}

int insp_apply(const struct insp_facts *f, enum insp_action a, const char *note,
               enum insp_status *next, struct err *e)
{
    const struct insp_action_desc *d = insp_action_desc(a);
    if (!d) return err_set(e, ERR_INVALID, "action", "not an inspection action");
    int found = -1;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == f->status && transitions[i].action == a) found = (int)i;
    if (found < 0)
        return err_set(e, ERR_CONFLICT, "action", "inspection #%lld is %s: '%s' is not allowed",
                       (long long)f->id, insp_status_name(f->status), d->name);
    if ((d->flags & IAF_REASON) && (!note || !note[0]))
        return err_set(e, ERR_INVALID, "note", "note: '%s' needs a reason", d->name);
    if (a == IA_CONCLUDE && f->nfindings < 1)
        return err_set(e, ERR_CONFLICT, "findings",
                       "inspection #%lld has no findings: record them before the conclusion",
                       (long long)f->id);
    if (a == IA_CLOSE && f->open_remedies > 0)
        return err_set(e, ERR_CONFLICT, "remedies",
                       "inspection #%lld has %d open remedies: it closes when they do",
                       (long long)f->id, f->open_remedies);
    *next = transitions[found].to;
    return 0;
}

int insp_should_close(const struct insp_facts *f)
{
    return f->status == IS_CONCLUDED && f->open_remedies == 0;
}

const char *finding_kind_name(enum finding_kind k)
{
    return k == FK_STRENGTH ? "strength" : k == FK_SHORTCOMING ? "shortcoming" : NULL;
}

int finding_kind_parse(const char *s, enum finding_kind *out, const char *field, struct err *e)
{
    for (int k = 0; s && k < FINDING__COUNT; k++)
        if (!strcmp(s, finding_kind_name((enum finding_kind)k))) {
            *out = (enum finding_kind)k;
            return 0;
        }
    return err_set(e, ERR_INVALID, field, "'%s': a finding is a strength or a shortcoming",
                   s ? s : "");
}

void insp_share(const char *const *units, int n, const char *const *inspected, int m,
                struct insp_share *out)
{
    out->num = 0;
    out->den = n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (!strcmp(units[i], inspected[j])) {
                out->num++;
                break;
            }
    out->value = n ? out->num * 100 * 1000 / n : INT64_MIN;
}
