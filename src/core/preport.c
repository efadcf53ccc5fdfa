/* preport.c — the periodic CCHC report's state machine (one row per allowed (state, action)
 * pair, checked exhaustively by tests/data/preport-transitions.tsv) and its narrative
 * sections. */
#include "preport.h"

#include <stdio.h>
#include <string.h>

#include "report_period.h"
#include "vntext.h"

static const char *const status_names[PR__COUNT] = {"draft", "submitted", "accepted", "returned"};
static const char *const status_labels[PR__COUNT] = {"Dự thảo", "Đã gửi cấp trên", "Đã tiếp nhận",
                                                     "Bị trả lại"};
static const struct preport_action_desc actions[PA__COUNT] = {
#define PREPORT_ACTION_ROW(act, name, flags, summary) {act, name, flags, summary},
    PREPORT_ACTIONS(PREPORT_ACTION_ROW)
#undef PREPORT_ACTION_ROW
};

/* cchc's working rule: figures and text change only in a draft; a submitted report is the
 * parent's to accept or return; a returned report is reopened as a draft, corrected and sent
 * again. An accepted report is final. */
static const struct {
    enum preport_status from;
    enum preport_action action;
    enum preport_status to;
} transitions[] = {
    {PR_DRAFT, PA_REFRESH, PR_DRAFT},       {PR_DRAFT, PA_EDIT, PR_DRAFT},
    {PR_DRAFT, PA_SUBMIT, PR_SUBMITTED},    {PR_SUBMITTED, PA_ACCEPT, PR_ACCEPTED},
    {PR_SUBMITTED, PA_RETURN, PR_RETURNED}, {PR_RETURNED, PA_REOPEN, PR_DRAFT},
};

const struct preport_action_desc *preport_action_desc(enum preport_action a)
{
    return (unsigned)a < PA__COUNT ? &actions[a] : NULL;
}

const char *preport_status_name(enum preport_status s)
{
    return (unsigned)s < PR__COUNT ? status_names[s] : NULL;
}

const char *preport_status_label(enum preport_status s)
{
    return (unsigned)s < PR__COUNT ? status_labels[s] : NULL;
}

int preport_status_parse(const char *s, enum preport_status *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < PR__COUNT; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum preport_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not a report status (draft, submitted, accepted, returned)", s ? s : "");
}

int preport_action_parse(const char *s, enum preport_action *out, const char *field, struct err *e)
{
    for (int i = 0; s && i < PA__COUNT; i++)
        if (!strcmp(s, actions[i].name)) {
            *out = (enum preport_action)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, field,
                   "'%s': not a report action (refresh, edit, submit, accept, return, reopen)",
                   s ? s : "");
}

int preport_apply(int64_t id, enum preport_status from, enum preport_action a, const char *note,
                  enum preport_status *next, struct err *e)
{
    const struct preport_action_desc *d = preport_action_desc(a);
    if (!d || !preport_status_name(from))
        return err_set(e, ERR_INVALID, "action", "not a report action or state");
    int found = -1;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == from && transitions[i].action == a) found = (int)i;
    if (found < 0)
        return err_set(e, ERR_CONFLICT, "action", "report #%lld is %s: '%s' is not allowed",
                       (long long)id, preport_status_name(from), d->name);
    if ((d->flags & PRF_REASON) && (!note || !note[0]))
        return err_set(e, ERR_INVALID, "note", "note: '%s' needs a reason", d->name);
    if (note && strlen(note) >= PREPORT_NOTE_MAX)
        return err_set(e, ERR_INVALID, "note", "note: longer than %d bytes", PREPORT_NOTE_MAX - 1);
    *next = transitions[found].to;
    return 0;
}

static const char *const section_keys[PS__COUNT] = {"results", "shortcomings", "causes", "next"};
static const char *const section_titles[PS__COUNT] = {
    "Kết quả đạt được", "Tồn tại, hạn chế", "Nguyên nhân", "Nhiệm vụ trọng tâm thời gian tới"};

const char *preport_section_key(enum preport_section s)
{
    return (unsigned)s < PS__COUNT ? section_keys[s] : NULL;
}

const char *preport_section_title(enum preport_section s)
{
    return (unsigned)s < PS__COUNT ? section_titles[s] : NULL;
}

int preport_section_parse(const char *s, enum preport_section *out, struct err *e)
{
    for (int i = 0; s && i < PS__COUNT; i++)
        if (!strcmp(s, section_keys[i])) {
            *out = (enum preport_section)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "section",
                   "'%s': not a report section (results, shortcomings, causes, next)", s ? s : "");
}

int preport_section_check(enum preport_section s, const char *text, struct err *e)
{
    const char *key = preport_section_key(s);
    if (!key) return err_set(e, ERR_INVALID, "section", "not a report section");
    if (!text) return 0;
    if (strlen(text) >= PREPORT_SECTION_MAX)
        return err_set(e, ERR_INVALID, key, "%s: longer than %d bytes", key,
                       PREPORT_SECTION_MAX - 1);
    if (!vntext_valid_utf8(text)) return err_set(e, ERR_INVALID, key, "%s: not valid UTF-8", key);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
            return err_set(e, ERR_INVALID, key, "%s: control character 0x%02x not allowed", key,
                           *p);
    return 0;
}

int preport_period_parse(const char *s, const char *field, int *year, const char **code,
                         struct err *e)
{
    int y = 0, n = 0;
    const struct report_period *p = NULL;
    if (s && sscanf(s, "%4d-CCHC-%n", &y, &n) == 1 && n == 10 && y >= 2000 && y <= 2100)
        p = report_period_find(s + n);
    if (!p)
        return err_set(e, ERR_INVALID, field,
                       "%s '%.40s': must be YYYY-CCHC-Q1, YYYY-CCHC-6M, YYYY-CCHC-Q3 or "
                       "YYYY-CCHC-Y (the periodic CCHC reports' periods)",
                       field, s ? s : "");
    *year = y;
    *code = p->code;
    return 0;
}
