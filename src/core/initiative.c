/* initiative.c — the CCHC initiative state machine (one row per legal (state, action) pair,
 * checked exhaustively by tests/data/initiative-transitions.tsv), its guards, the checks of a
 * proposal and which initiatives the PAR metric initiatives_count counts. */
#include "initiative.h"

#include <stddef.h>
#include <string.h>

static const char *const status_names[INS__COUNT] = {"proposed", "accepted", "recognized",
                                                     "rejected", "withdrawn"};
static const char *const level_names[INL__COUNT] = {"unit", "district", "province"};
static const struct init_action_desc actions[INA__COUNT] = {
#define INIT_ACTION_ROW(act, name, flags, summary) {act, name, flags, summary},
    INITIATIVE_ACTIONS(INIT_ACTION_ROW)
#undef INIT_ACTION_ROW
};

/* -1 as "to": the state stays (apply). Sources: Decree 13/2012/NĐ-CP's Regulation on
 * initiatives — the council evaluates, the head of the unit (or the authority of the level)
 * decides on recognition (verify the articles); the rest is cchc's working rule. */
static const struct {
    enum init_status from;
    enum init_action action;
    int to;
} transitions[] = {
    {INS_PROPOSED, INA_ACCEPT, INS_ACCEPTED},      /* council: proposes recognition */
    {INS_PROPOSED, INA_REJECT, INS_REJECTED},      /* council: not new / no benefit */
    {INS_PROPOSED, INA_APPLY, -1},                 /* applied on trial before recognition */
    {INS_PROPOSED, INA_WITHDRAW, INS_WITHDRAWN},   /* the unit takes it back */
    {INS_ACCEPTED, INA_RECOGNIZE, INS_RECOGNIZED}, /* quyết định công nhận */
    {INS_ACCEPTED, INA_REJECT, INS_REJECTED},      /* the authority refuses recognition */
    {INS_ACCEPTED, INA_APPLY, -1},
    {INS_ACCEPTED, INA_WITHDRAW, INS_WITHDRAWN},
    {INS_RECOGNIZED, INA_APPLY, -1}, /* replicated (nhân rộng) by other units */
    {INS_REJECTED, INA_RESUBMIT, INS_PROPOSED},
};

const struct init_action_desc *init_action_desc(enum init_action a)
{
    return (unsigned)a < INA__COUNT ? &actions[a] : NULL;
}

const char *init_status_name(enum init_status s)
{
    return (unsigned)s < INS__COUNT ? status_names[s] : NULL;
}

const char *init_level_name(enum init_level l)
{
    return (unsigned)l < INL__COUNT ? level_names[l] : NULL;
}

int init_status_parse(const char *s, enum init_status *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < INS__COUNT; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum init_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not an initiative status (proposed, accepted, recognized, rejected, "
                   "withdrawn)",
                   s ? s : "");
}

int init_action_parse(const char *s, enum init_action *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < INA__COUNT; i++)
        if (!strcmp(s, actions[i].name)) {
            *out = (enum init_action)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not an initiative action (accept, reject, recognize, apply, withdraw, "
                   "resubmit)",
                   s ? s : "");
}

int init_level_parse(const char *s, enum init_level *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < INL__COUNT; i++)
        if (!strcmp(s, level_names[i])) {
            *out = (enum init_level)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field, "'%s': a level is unit, district or province",
                   s ? s : "");
}

static int text_ok(const char *s, size_t max)
{
    return s && s[0] && strlen(s) < max;
}

int init_apply(const struct init_facts *f, enum init_action a, const struct init_args *args,
               enum init_status *next, struct err *e)
{
    const struct init_action_desc *d = init_action_desc(a);
    if (!d) return err_set(e, ERR_INVALID, "action", "not an initiative action");
    int found = -1;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == f->status && transitions[i].action == a) found = (int)i;
    if (found < 0)
        return err_set(e, ERR_CONFLICT, "action", "initiative #%lld is %s: '%s' is not allowed",
                       (long long)f->id, init_status_name(f->status), d->name);
    if ((d->flags & INAF_SCORE) && (args->score < 0 || args->score > INIT_SCORE_MAX))
        return err_set(e, ERR_INVALID, "score", "score: the council's score is 0 to %d (got %d)",
                       INIT_SCORE_MAX, args->score);
    if (args->note && strlen(args->note) >= INIT_TEXT_MAX)
        return err_set(e, ERR_INVALID, "note", "note: longer than %d bytes", INIT_TEXT_MAX - 1);
    if ((d->flags & INAF_REASON) && (!args->note || !args->note[0]))
        return err_set(e, ERR_INVALID, "note", "note: the initiative's '%s' needs a reason",
                       d->name);
    if ((a == INA_ACCEPT || a == INA_REJECT) && args->day && args->day < f->proposed_day)
        return err_set(e, ERR_INVALID, "day", "day: the council's day is before the proposal");
    if (d->flags & INAF_DECISION) {
        if (!text_ok(args->decision_no, INIT_DECISION_MAX))
            return err_set(e, ERR_INVALID, "decision_no",
                           "decision_no: the recognition decision's number, 1 to %d bytes",
                           INIT_DECISION_MAX - 1);
        if (args->level < 0 || args->level >= INL__COUNT)
            return err_set(e, ERR_INVALID, "level", "level: unit, district or province");
        if (args->decision_day < f->proposed_day || args->decision_day < f->evaluated_day)
            return err_set(e, ERR_INVALID, "decision_day",
                           "decision_day: before the initiative's proposal or evaluation");
    }
    *next = transitions[found].to < 0 ? f->status : (enum init_status)transitions[found].to;
    return 0;
}

int init_proposal_check(const struct init_proposal *p, struct err *e)
{
    static const struct {
        const char *field;
        size_t off, max;
        int required;
    } fields[] = {
        {"title", offsetof(struct init_proposal, title), INIT_TITLE_MAX, 1},
        {"area", offsetof(struct init_proposal, area), 32, 1}, /* PAR_CODE_MAX */
        {"description", offsetof(struct init_proposal, description), INIT_TEXT_MAX, 1},
        {"authors", offsetof(struct init_proposal, authors), INIT_AUTHORS_MAX, 1},
        {"effect", offsetof(struct init_proposal, effect), INIT_TEXT_MAX, 0},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = *(const char *const *)((const char *)p + fields[i].off);
        if (fields[i].required && (!v || !v[0]))
            return err_set(e, ERR_INVALID, fields[i].field, "%s: must not be empty",
                           fields[i].field);
        if (v && strlen(v) >= fields[i].max)
            return err_set(e, ERR_INVALID, fields[i].field, "%s: longer than %zu bytes",
                           fields[i].field, fields[i].max - 1);
    }
    if (p->proposed_day <= 0)
        return err_set(e, ERR_INVALID, "proposed", "proposed: the day of the proposal is needed");
    return 0;
}

int init_counted(const struct init_fact *f, int64_t from, int64_t to, int *in_num)
{
    int rec = f->status == INS_RECOGNIZED && f->decision_day >= from && f->decision_day <= to;
    int prop = f->proposed_day >= from && f->proposed_day <= to && f->status != INS_WITHDRAWN;
    *in_num = rec;
    return rec || prop;
}
