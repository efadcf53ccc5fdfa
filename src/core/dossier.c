/* dossier.c — the dossier lifecycle: one table of legal transitions, the clock that runs from
 * reception to the due instant (stopped by supplements and pauses), step deadlines, the
 * outcome and the dossier code. Pure: the calendar is passed in, nothing is read or written.
 * See dossier.h for the legal sources and docs/dossiers.md for the rules in prose. */
#include "dossier.h"

#include "user.h"
#include "vntext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[DS__COUNT] = {
    "submitted", "received", "processing", "result_ready", "returned", "supplement_requested",
    "paused",    "refused",  "withdrawn",  "cancelled",
};

static const char *const status_labels_vi[DS__COUNT] = {
    "Chờ tiếp nhận", "Đã tiếp nhận", "Đang giải quyết", "Đã có kết quả", "Đã trả kết quả",
    "Chờ bổ sung",   "Tạm dừng",     "Từ chối",         "Rút hồ sơ",     "Đã hủy",
};

static const struct dossier_action_desc actions[DA__COUNT] = {
#define DOSSIER_ACTION_ROW(act, name, path, alias, flags, roles, summary)                          \
    [act] = {act, name, path, alias, flags, roles, summary},
    DOSSIER_ACTIONS(DOSSIER_ACTION_ROW)
#undef DOSSIER_ACTION_ROW
};
_Static_assert(DROLE_DESK == 1u << UROLE_DESK_OFFICER && DROLE_SPEC == 1u << UROLE_SPECIALIST &&
                   DROLE_LEAD == 1u << UROLE_LEADER,
               "DROLE_* bits are user.h's roles");

static const char *const outcome_names[] = {
    "none", "early", "on_time", "late", "in_time", "overdue",
};

/* The legal transitions. RESUME_TO means "back to the status before the stop". Any pair not
 * listed is illegal; illegal_reason() says why. Sources per row (verify where marked):
 *  - receive / refuse / request_supplement at the desk: Decree 61/2018 Art. 16(2).
 *  - advance between steps and agencies (liên thông): Art. 17, Art. 18(1) (verify).
 *  - request_supplement, refuse during processing: Art. 18(3) (verify).
 *  - pause/resume: suspension while the applicant fulfils an obligation (verify per
 *    procedure); withdraw: at the applicant's request, Decree 107/2021 (verify).
 *  - apologise: Art. 18(3)(c) Mẫu 04, issued before or after the due date (verify).
 *  - finish, return: Art. 18(3)(a), Art. 19. */
#define RESUME_TO DS__COUNT
struct transition {
    enum dossier_status from;
    enum dossier_action action;
    enum dossier_status to;
};
static const struct transition transitions[] = {
    {DS_SUBMITTED, DA_RECEIVE, DS_RECEIVED},
    {DS_SUBMITTED, DA_REQUEST_SUPPLEMENT, DS_SUPPLEMENT_REQUESTED},
    {DS_SUBMITTED, DA_REFUSE, DS_REFUSED},
    {DS_SUBMITTED, DA_WITHDRAW, DS_WITHDRAWN},
    {DS_SUBMITTED, DA_CANCEL, DS_CANCELLED},

    {DS_RECEIVED, DA_ADVANCE, DS_PROCESSING},
    {DS_RECEIVED, DA_REQUEST_SUPPLEMENT, DS_SUPPLEMENT_REQUESTED},
    {DS_RECEIVED, DA_PAUSE, DS_PAUSED},
    {DS_RECEIVED, DA_REFUSE, DS_REFUSED},
    {DS_RECEIVED, DA_WITHDRAW, DS_WITHDRAWN},
    {DS_RECEIVED, DA_CANCEL, DS_CANCELLED},
    {DS_RECEIVED, DA_APOLOGISE, DS_RECEIVED},

    {DS_PROCESSING, DA_ADVANCE, DS_PROCESSING},
    {DS_PROCESSING, DA_REQUEST_SUPPLEMENT, DS_SUPPLEMENT_REQUESTED},
    {DS_PROCESSING, DA_PAUSE, DS_PAUSED},
    {DS_PROCESSING, DA_REFUSE, DS_REFUSED},
    {DS_PROCESSING, DA_WITHDRAW, DS_WITHDRAWN},
    {DS_PROCESSING, DA_CANCEL, DS_CANCELLED},
    {DS_PROCESSING, DA_FINISH, DS_RESULT_READY},
    {DS_PROCESSING, DA_APOLOGISE, DS_PROCESSING},

    {DS_RESULT_READY, DA_RETURN, DS_RETURNED},

    {DS_SUPPLEMENT_REQUESTED, DA_SUPPLEMENT_RECEIVED, RESUME_TO},
    {DS_SUPPLEMENT_REQUESTED, DA_WITHDRAW, DS_WITHDRAWN},
    {DS_SUPPLEMENT_REQUESTED, DA_CANCEL, DS_CANCELLED},

    {DS_PAUSED, DA_RESUME, RESUME_TO},
    {DS_PAUSED, DA_WITHDRAW, DS_WITHDRAWN},
    {DS_PAUSED, DA_CANCEL, DS_CANCELLED},
};

const char *dossier_status_name(enum dossier_status s)
{
    return (unsigned)s < DS__COUNT ? status_names[s] : "?";
}

const char *dossier_status_label_vi(enum dossier_status s)
{
    return (unsigned)s < DS__COUNT ? status_labels_vi[s] : "?";
}

const struct dossier_action_desc *dossier_action_desc(enum dossier_action a)
{
    return (unsigned)a < DA__COUNT ? &actions[a] : NULL;
}

const struct dossier_action_desc *dossier_action_find(const char *word)
{
    for (int i = 0; word && i < DA__COUNT; i++)
        if (!strcmp(word, actions[i].name) || !strcmp(word, actions[i].path) ||
            (actions[i].alias && !strcmp(word, actions[i].alias)))
            return &actions[i];
    return NULL;
}

const char *dossier_action_name(enum dossier_action a)
{
    return (unsigned)a < DA__COUNT ? actions[a].name : "?";
}

const char *dossier_outcome_name(enum dossier_outcome o)
{
    return (unsigned)o <= OUT_OVERDUE ? outcome_names[o] : "?";
}

int dossier_status_parse(const char *s, enum dossier_status *out, struct err *e)
{
    for (int i = 0; s && i < DS__COUNT; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum dossier_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "status",
                   "status '%s': expected one of submitted, received, processing, result_ready, "
                   "returned, supplement_requested, paused, refused, withdrawn, cancelled",
                   s ? s : "");
}

int dossier_action_parse(const char *s, enum dossier_action *out, struct err *e)
{
    const struct dossier_action_desc *d = dossier_action_find(s);
    if (d) {
        *out = d->action;
        return 0;
    }
    char list[400] = "";
    for (int i = 0; i < DA__COUNT; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", actions[i].name);
    }
    return err_set(e, ERR_INVALID, "action", "action '%s': expected one of %s", s ? s : "", list);
}

int dossier_outcome_parse(const char *s, enum dossier_outcome *out, struct err *e)
{
    for (int i = 0; s && i <= OUT_OVERDUE; i++)
        if (!strcmp(s, outcome_names[i])) {
            *out = (enum dossier_outcome)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "outcome",
                   "outcome '%s': expected one of none, early, on_time, late, in_time, overdue",
                   s ? s : "");
}

int dossier_status_closed(enum dossier_status s)
{
    return s == DS_RETURNED || s == DS_REFUSED || s == DS_WITHDRAWN || s == DS_CANCELLED;
}

static const struct transition *find_transition(enum dossier_status s, enum dossier_action a)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == s && transitions[i].action == a) return &transitions[i];
    return NULL;
}

int dossier_transition_legal(enum dossier_status s, enum dossier_action a)
{
    return find_transition(s, a) != NULL;
}

/* Why action a is not allowed in status s (the pair is not in the table). */
static const char *illegal_reason(enum dossier_status s, enum dossier_action a)
{
    if (dossier_status_closed(s)) return "the dossier is closed";
    if (s == DS_RESULT_READY) return "the result is ready; it can only be returned";
    switch (a) {
    case DA_RECEIVE:
        return "it has already been received";
    case DA_SUPPLEMENT_RECEIVED:
        return "no supplement was requested";
    case DA_RESUME:
        return "it is not paused";
    case DA_RETURN:
        return "the result is not ready";
    default:
        break;
    }
    if (s == DS_SUPPLEMENT_REQUESTED)
        return "it is waiting for the applicant's supplement (clock stopped)";
    if (s == DS_PAUSED) return "it is paused (clock stopped); resume it first";
    if (s == DS_SUBMITTED) return "it has not been received yet";
    if (a == DA_FINISH) return "it is not being processed; advance it to a step first";
    return "the action does not apply";
}

void dossier_init(struct dossier_state *s)
{
    memset(s, 0, sizeof *s);
    s->status = DS_SUBMITTED;
    s->resume_to = DS_SUBMITTED;
}

static int conflict(struct err *e, enum dossier_status s, enum dossier_action a, const char *why)
{
    return err_set(e, ERR_CONFLICT, "action", "cannot '%s' a dossier in state '%s': %s",
                   dossier_action_name(a), dossier_status_name(s), why);
}

/* ---- the clock ---- */

int dossier_due(const struct calendar *cal, int64_t from, struct legal_time lt, int64_t *due,
                struct err *e)
{
    if (!cal) return err_set(e, ERR_INVALID, "calendar", "a calendar is needed to count time");
    if (lt.amount < 0 || lt.amount > 10000)
        return err_set(e, ERR_INVALID, "legal_time",
                       "legal time %d: must be a whole number from 0 to 10000", lt.amount);
    switch (lt.unit) {
    case TIME_WORKING_DAYS:
        /* Same-day procedures received after 15:00 are due at the close of the next working
         * day (Decree 23/2015/NĐ-CP Art. 21 for certifications; the catalogue's notes say
         * the same for civil status (verify the article)). */
        if (lt.amount == 0 && instant_minute_of_day(from) >= SAME_DAY_CUTOFF)
            return calendar_add_working_days(cal, from, 1, due, e);
        return calendar_add_working_days(cal, from, lt.amount, due, e);
    case TIME_WORKING_HOURS:
        if (lt.amount == 0) {
            *due = from;
            return 0;
        }
        return calendar_add_working_minutes(cal, from, (int64_t)lt.amount * 60, due, e);
    case TIME_CALENDAR_DAYS:
        /* The period ends on day (reception + N); a last day off moves to the close of the
         * next working day (Civil Code 2015 Art. 148(2)? (verify)). */
        return calendar_add_working_days(cal, (instant_day(from) + lt.amount) * MINUTES_PER_DAY, 0,
                                         due, e);
    default:
        break;
    }
    return err_set(e, ERR_INVALID, "legal_time", "unknown time unit %d", (int)lt.unit);
}

/* Moves an instant later by `minutes` working minutes (0 leaves it as it is). */
static int extend(const struct calendar *cal, int64_t t, int64_t minutes, int64_t *out,
                  struct err *e)
{
    if (minutes <= 0) {
        *out = t;
        return 0;
    }
    return calendar_add_working_minutes(cal, t, minutes, out, e);
}

static int template_steps(const struct procedure *p)
{
    return p->nsteps > 0 ? p->nsteps : 1;
}

int64_t dossier_step_allotment(const struct procedure *p, int64_t budget, int k)
{
    if (p->nsteps <= 0) return k == 1 ? budget : 0;
    if (k < 1 || k > p->nsteps) return 0;
    if (p->steps[k - 1].share_unit == SHARE_HOURS) return (int64_t)p->steps[k - 1].share * 60;
    int64_t before = 0, upto = 0;
    for (int i = 0; i < k; i++) {
        if (i < k - 1) before += p->steps[i].share;
        upto += p->steps[i].share;
    }
    if (k == p->nsteps) upto = 100; /* the last step takes any rounding remainder */
    return budget * upto / 100 - budget * before / 100;
}

static int need_clock(const struct action_args *a, struct err *e)
{
    if (!a->cal) return err_set(e, ERR_INVALID, "calendar", "a calendar is needed to count time");
    if (!a->proc)
        return err_set(e, ERR_INVALID, "procedure",
                       "the dossier's procedure is needed to count time");
    return 0;
}

/* Sets the current step's deadline from its start and its share of the budget. */
static int start_step(struct dossier_state *n, const struct action_args *a, struct err *e)
{
    int64_t alloc = dossier_step_allotment(a->proc, n->budget_minutes, n->step);
    n->step_started_at = a->at;
    return extend(a->cal, a->at, alloc, &n->step_due_at, e);
}

/* Starts the clock at a->at: due instant and the working-minute budget the steps share. */
static int start_clock(struct dossier_state *n, const struct action_args *a, struct err *e)
{
    struct legal_time lt = {a->proc->time_unit, a->proc->time_amount};
    int rc = dossier_due(a->cal, a->at, lt, &n->due_at, e);
    if (rc) return rc;
    rc = calendar_working_minutes_between(a->cal, a->at, n->due_at, &n->budget_minutes, e);
    if (!rc && n->budget_minutes < 0) n->budget_minutes = 0;
    return rc;
}

static int do_receive(struct dossier_state *n, const struct action_args *a, struct err *e)
{
    int rc = need_clock(a, e);
    if (!rc) rc = start_clock(n, a, e);
    if (rc) return rc;
    n->received_at = a->at;
    n->n_steps = template_steps(a->proc);
    n->step = 0;
    return 0;
}

static int do_advance(struct dossier_state *n, const struct action_args *a, struct err *e)
{
    int rc = need_clock(a, e);
    if (rc) return rc;
    if (template_steps(a->proc) != n->n_steps)
        return err_set(e, ERR_CONFLICT, "procedure",
                       "the procedure now has %d steps but the dossier was received with %d",
                       template_steps(a->proc), n->n_steps);
    n->step++;
    return start_step(n, a, e);
}

static int do_restart_clock(struct dossier_state *n, enum dossier_action act,
                            const struct action_args *a, struct err *e)
{
    int64_t stopped = 0;
    int rc;
    n->status = n->resume_to;
    if (!n->received_at) { /* supplement before reception: the clock never started */
        n->stopped_at = 0;
        return 0;
    }
    rc = need_clock(a, e);
    if (!rc) rc = calendar_working_minutes_between(a->cal, n->stopped_at, a->at, &stopped, e);
    if (rc) return rc;
    n->stopped_minutes += stopped;
    n->stopped_at = 0;
    if (act == DA_SUPPLEMENT_RECEIVED && a->supplement_rule == SUPPLEMENT_RESTART) {
        rc = start_clock(n, a, e);
        if (!rc && n->step > 0) rc = start_step(n, a, e);
        return rc;
    }
    rc = extend(a->cal, n->due_at, stopped, &n->due_at, e);
    if (!rc && n->step > 0) rc = extend(a->cal, n->step_due_at, stopped, &n->step_due_at, e);
    return rc;
}

static int check_guards(const struct dossier_state *c, enum dossier_action act,
                        const struct action_args *a, struct err *e)
{
    if (act == DA_ADVANCE && c->status == DS_PROCESSING && c->step >= c->n_steps) {
        char why[96];
        snprintf(why, sizeof why, "step %d is the last of %d; use 'finish'", c->step, c->n_steps);
        return conflict(e, c->status, act, why);
    }
    if (act == DA_FINISH && c->step < c->n_steps) {
        char why[96];
        snprintf(why, sizeof why, "step %d of %d is not the last; advance it first", c->step,
                 c->n_steps);
        return conflict(e, c->status, act, why);
    }
    if (act == DA_APOLOGISE && (a->new_due_at <= c->due_at || a->new_due_at <= a->at)) {
        char nd[20], d[20];
        return err_set(e, ERR_INVALID, "new_due",
                       "new appointment %s: must be after the due instant %s and after the "
                       "apology itself",
                       instant_format(a->new_due_at, nd), instant_format(c->due_at, d));
    }
    return 0;
}

int dossier_apply(const struct dossier_state *cur, enum dossier_action act,
                  const struct action_args *a, struct dossier_state *next, struct err *e)
{
    if ((unsigned)cur->status >= DS__COUNT || (unsigned)act >= DA__COUNT)
        return err_set(e, ERR_INVALID, "action", "unknown status %d or action %d", (int)cur->status,
                       (int)act);
    const struct transition *t = find_transition(cur->status, act);
    if (!t) return conflict(e, cur->status, act, illegal_reason(cur->status, act));
    if (!a)
        return err_set(e, ERR_INVALID, "args", "action '%s' needs its arguments",
                       dossier_action_name(act));
    if (a->at < cur->last_at) {
        char at[20], last[20];
        return err_set(e, ERR_INVALID, "at", "time %s: before the dossier's latest action at %s",
                       instant_format(a->at, at), instant_format(cur->last_at, last));
    }
    int rc = check_guards(cur, act, a, e);
    if (rc) return rc;

    struct dossier_state n = *cur;
    n.last_at = a->at;
    if (t->to != RESUME_TO) n.status = t->to;
    switch (act) {
    case DA_RECEIVE:
        rc = do_receive(&n, a, e);
        break;
    case DA_ADVANCE:
        rc = do_advance(&n, a, e);
        break;
    case DA_REQUEST_SUPPLEMENT:
    case DA_PAUSE:
        n.resume_to = cur->status;
        n.stopped_at = a->at;
        if (act == DA_PAUSE)
            n.pauses++;
        else
            n.supplements++;
        break;
    case DA_SUPPLEMENT_RECEIVED:
    case DA_RESUME:
        rc = do_restart_clock(&n, act, a, e);
        break;
    case DA_FINISH:
        n.result_at = a->at;
        break;
    case DA_RETURN:
        n.returned_at = a->at;
        break;
    case DA_REFUSE:
    case DA_WITHDRAW:
    case DA_CANCEL:
        n.closed_at = a->at;
        break;
    case DA_APOLOGISE:
        n.apologies++;
        n.apology_due_at = a->new_due_at;
        break;
    default:
        break;
    }
    if (rc) return rc;
    *next = n;
    return 0;
}

/* ---- outcome ---- */

/* A finished result at t against the due instant: early by day, late by the minute. */
static enum dossier_outcome compare_result(int64_t t, int64_t due)
{
    if (t > due) return OUT_LATE;
    if (instant_day(t) < instant_day(due)) return OUT_EARLY;
    return OUT_ON_TIME;
}

/* The instant the clock shows at `now`: frozen at the stop while stopped. */
static int64_t clock_at(const struct dossier_state *s, int64_t now)
{
    return (s->stopped_at && s->stopped_at < now) ? s->stopped_at : now;
}

enum dossier_outcome dossier_outcome_at(const struct dossier_state *s, int64_t now)
{
    switch (s->status) {
    case DS_RESULT_READY:
    case DS_RETURNED:
        return compare_result(s->result_at, s->due_at);
    case DS_REFUSED:
        return s->received_at ? compare_result(s->closed_at, s->due_at) : OUT_NONE;
    case DS_SUBMITTED:
    case DS_WITHDRAWN:
    case DS_CANCELLED:
        return OUT_NONE;
    default:
        break;
    }
    if (!s->received_at) return OUT_NONE; /* supplement asked before reception */
    return clock_at(s, now) > s->due_at ? OUT_OVERDUE : OUT_IN_TIME;
}

enum dossier_outcome dossier_step_outcome(const struct dossier_state *s, int64_t done)
{
    if (s->step <= 0) return OUT_NONE;
    return clock_at(s, done) > s->step_due_at ? OUT_LATE : OUT_ON_TIME;
}

/* ---- dossier code ---- */

static int all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int unit_code_valid(const char *s)
{
    /* V1V2V3.Z1Z2.Y1Y2.MX1X2 — e.g. 000.00.12.H29 */
    if (!s || strlen(s) != 13) return 0;
    if (s[3] != '.' || s[6] != '.' || s[9] != '.') return 0;
    if (!all_digits(s, 3) || !all_digits(s + 4, 2) || !all_digits(s + 7, 2)) return 0;
    return s[10] >= 'A' && s[10] <= 'Z' && all_digits(s + 11, 2);
}

int dossier_code_build(const char *unit_code, int64_t day, int seq, char *buf, size_t n,
                       struct err *e)
{
    if (!unit_code_valid(unit_code))
        return err_set(e, ERR_INVALID, "unit_code",
                       "unit code '%s': expected V1V2V3.Z1Z2.Y1Y2.MX1X2 such as 000.00.12.H29 "
                       "(Circular 10/2016/TT-BTTTT)",
                       unit_code ? unit_code : "");
    struct ymd d = days_to_ymd(day);
    if (d.y < 2000 || d.y > 2099)
        return err_set(e, ERR_RANGE, "date",
                       "reception year %d: the code's YYMMDD covers 2000-2099", d.y);
    if (seq < 1 || seq > 9999)
        return err_set(e, ERR_RANGE, "seq", "sequence %d: must be 1..9999 within a unit and a day",
                       seq);
    if (n < DOSSIER_CODE_LEN)
        return err_set(e, ERR_INTERNAL, "code", "code buffer of %zu bytes is too small", n);
    snprintf(buf, n, "%s-%02d%02d%02d-%04d", unit_code, d.y % 100, d.m, d.d, seq);
    return 0;
}

int dossier_code_parse(const char *s, struct dossier_code *out, struct err *e)
{
    const char *rule = "expected UNIT-YYMMDD-XXXX such as 000.00.12.H29-240412-0001";
    if (!s || strlen(s) != DOSSIER_CODE_LEN - 1 || s[13] != '-' || s[20] != '-')
        return err_set(e, ERR_INVALID, "code", "dossier code '%s': %s", s ? s : "", rule);
    char unit[14];
    memcpy(unit, s, 13);
    unit[13] = '\0';
    if (!unit_code_valid(unit))
        return err_set(e, ERR_INVALID, "code",
                       "dossier code '%s': unit part '%s' is not V1V2V3.Z1Z2.Y1Y2.MX1X2", s, unit);
    if (!all_digits(s + 14, 6) || !all_digits(s + 21, 4))
        return err_set(e, ERR_INVALID, "code", "dossier code '%s': %s", s, rule);
    struct ymd d = {2000 + (s[14] - '0') * 10 + (s[15] - '0'), (s[16] - '0') * 10 + (s[17] - '0'),
                    (s[18] - '0') * 10 + (s[19] - '0')};
    if (!ymd_valid(d))
        return err_set(e, ERR_INVALID, "code", "dossier code '%s': date %.6s does not exist", s,
                       s + 14);
    int seq = atoi(s + 21);
    if (seq < 1)
        return err_set(e, ERR_INVALID, "code", "dossier code '%s': sequence 0000 is not used", s);
    memcpy(out->unit, unit, sizeof unit);
    out->date = d;
    out->seq = seq;
    return 0;
}

/* ---- channel and applicant ---- */

static const char *const channel_names[CHANNEL__COUNT] = {"direct", "online", "postal"};
static const char *const channel_labels_vi[CHANNEL__COUNT] = {"Trực tiếp", "Trực tuyến",
                                                              "Bưu chính"};

const char *dossier_channel_name(enum dossier_channel c)
{
    return (unsigned)c < CHANNEL__COUNT ? channel_names[c] : "?";
}

const char *dossier_channel_label_vi(enum dossier_channel c)
{
    return (unsigned)c < CHANNEL__COUNT ? channel_labels_vi[c] : "?";
}

int dossier_channel_parse(const char *s, enum dossier_channel *out, struct err *e)
{
    for (int i = 0; s && i < CHANNEL__COUNT; i++)
        if (!strcmp(s, channel_names[i])) {
            *out = (enum dossier_channel)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "channel", "channel '%s': expected direct, online or postal",
                   s ? s : "");
}

/* 1 if s is valid UTF-8 without control characters. */
static int clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        if (!n || (n == 1 && *p < 0x20)) return 0;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += n;
    }
    return 1;
}

void applicant_phone_normalize(char *phone)
{
    char *w = phone;
    for (const char *p = phone; *p; p++)
        if (!strchr(" .-()\t", *p)) *w++ = *p;
    *w = '\0';
}

void dossier_code_normalize(const char *s, char *buf, size_t n)
{
    if (!n) return;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        buf[k++] = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
    while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
        k--;
    buf[k] = '\0';
}

int applicant_check(const struct applicant *a, struct err *e)
{
    size_t nid = strlen(a->idno), nph = strlen(a->phone);
    const char *name = a->name;
    while (*name == ' ')
        name++;
    if (!*name) return err_set(e, ERR_INVALID, "name", "applicant name: must not be empty");
    if (!clean_utf8(a->name) || !clean_utf8(a->address))
        return err_set(e, ERR_INVALID, "name",
                       "applicant name or address: not valid UTF-8 text (or has control "
                       "characters)");
    /* Citizen identity card (CCCD) numbers have 12 digits, old identity cards (CMND) 9. */
    if (nid && (!all_digits(a->idno, (int)nid) || (nid != 12 && nid != 9)))
        return err_set(e, ERR_INVALID, "idno",
                       "applicant ID number: must be 12 digits (căn cước) or 9 digits (old "
                       "CMND); the value is not repeated here because it is personal data");
    int plus = nph > 3 && !strncmp(a->phone, "+84", 3);
    if (nph && !(plus ? (nph == 12 && all_digits(a->phone + 3, 9))
                      : (nph == 10 && a->phone[0] == '0' && all_digits(a->phone, 10))))
        return err_set(e, ERR_INVALID, "phone",
                       "applicant phone: must be 0 and 9 digits, or +84 and 9 digits; the value "
                       "is not repeated here because it is personal data");
    return 0;
}

char *applicant_mask(const char *s, char *buf, size_t n)
{
    size_t len = strlen(s), i = 0;
    for (; i < len && i + 1 < n; i++)
        buf[i] = i + 3 < len ? '*' : s[i];
    buf[i] = '\0';
    return buf;
}

/* ---- the record: one change and what it writes ---- */

static int check_text(const char *what, const char *t, size_t max, struct err *e)
{
    if (t && strlen(t) >= max)
        return err_set(e, ERR_INVALID, what, "%s: longer than %zu bytes", what, max - 1);
    return 0;
}

int dossier_change_check(const struct dossier_change *c, struct err *e)
{
    const struct dossier_action_desc *d = dossier_action_desc(c->action);
    if (!d) return err_set(e, ERR_INVALID, "action", "unknown action %d", (int)c->action);
    if (!c->actor || !*c->actor)
        return err_set(e, ERR_INVALID, "actor", "actor: who does the action must be given");
    int rc = check_text("actor", c->actor, DOSSIER_ACTOR_MAX, e);
    if (!rc) rc = check_text("officer", c->officer, DOSSIER_ACTOR_MAX, e);
    if (!rc) rc = check_text("note", c->note, DOSSIER_NOTE_MAX, e);
    if (!rc && c->note && !vntext_valid_utf8(c->note))
        rc = err_set(e, ERR_INVALID, "note", "note: not valid UTF-8");
    if (!rc && (d->flags & DAF_REASON) && (!c->note || !*c->note))
        rc = err_set(e, ERR_INVALID, "note",
                     "'%s' needs a reason: it goes on the form given to the applicant and into "
                     "the audit log",
                     d->name);
    if (!rc && (d->flags & DAF_NEW_DUE) && !c->new_due_at)
        rc = err_set(e, ERR_INVALID, "new_due_at", "'%s' needs the new appointment", d->name);
    return rc;
}

/* The step cur leaves, finished at `at`: judged on time or late, or (withdrawal,
 * cancellation) not judged. Nothing before the first step. */
static void fx_finish_step(const struct dossier *cur, int64_t at, int judged,
                           struct dossier_effects *fx)
{
    if (cur->st.step <= 0) return;
    struct dossier_effect *f = &fx->fx[fx->n++];
    f->kind = FX_STEP_FINISH;
    f->step.seq = cur->st.step;
    f->step.finished_at = at;
    f->step.outcome = judged ? dossier_step_outcome(&cur->st, at) : OUT_NONE;
}

static void fx_reason(char *buf, size_t n, const char *note)
{
    snprintf(buf, n, "%s", note ? note : "");
}

/* Which records change c writes, from the states before (cur) and after (nx). */
static void change_effects(const struct dossier *cur, const struct dossier *nx,
                           const struct dossier_change *c, struct dossier_effects *fx)
{
    memset(fx, 0, sizeof *fx);
    int nstop = nx->st.supplements + nx->st.pauses;
    struct dossier_effect *f;
    switch (c->action) {
    case DA_ADVANCE:
        fx_finish_step(cur, c->at, 1, fx);
        f = &fx->fx[fx->n++];
        f->kind = FX_STEP_START;
        f->step.seq = nx->st.step;
        snprintf(f->step.officer, sizeof f->step.officer, "%s", nx->officer);
        f->step.started_at = nx->st.step_started_at;
        f->step.due_at = nx->st.step_due_at;
        break;
    case DA_FINISH:
    case DA_REFUSE:
        fx_finish_step(cur, c->at, 1, fx);
        break;
    case DA_WITHDRAW:
    case DA_CANCEL:
        fx_finish_step(cur, c->at, 0, fx);
        break;
    case DA_REQUEST_SUPPLEMENT:
    case DA_PAUSE:
        f = &fx->fx[fx->n++];
        f->kind = FX_STOP_START;
        f->stop.seq = nstop;
        f->stop.pause = c->action == DA_PAUSE;
        f->stop.started_at = c->at;
        fx_reason(f->stop.reason, sizeof f->stop.reason, c->note);
        break;
    case DA_SUPPLEMENT_RECEIVED:
    case DA_RESUME:
        f = &fx->fx[fx->n++];
        f->kind = FX_STOP_END;
        f->stop.seq = nstop;
        f->stop.ended_at = c->at;
        f->stop.working_minutes = nx->st.stopped_minutes - cur->st.stopped_minutes;
        if (nx->st.step > 0) {
            f = &fx->fx[fx->n++];
            f->kind = FX_STEP_DUE;
            f->step.seq = nx->st.step;
            f->step.due_at = nx->st.step_due_at;
        }
        break;
    case DA_APOLOGISE:
        f = &fx->fx[fx->n++];
        f->kind = FX_APOLOGY;
        f->apology.seq = nx->st.apologies;
        f->apology.issued_at = c->at;
        f->apology.old_due_at = cur->st.due_at;
        f->apology.new_due_at = c->new_due_at;
        fx_reason(f->apology.reason, sizeof f->apology.reason, c->note);
        break;
    default:
        break;
    }
}

int dossier_change_apply(const struct dossier *cur, const struct dossier_change *c,
                         const struct calendar *cal, const struct procedure *proc,
                         struct dossier *next, struct dossier_effects *fx, struct err *e)
{
    const struct dossier_action_desc *d = dossier_action_desc(c->action);
    if (!d) return err_set(e, ERR_INVALID, "action", "unknown action %d", (int)c->action);
    if ((d->flags & DAF_PROCEDURE) && !proc)
        return err_set(e, ERR_INVALID, "procedure", "'%s' needs the dossier's procedure", d->name);
    if (proc && strcmp(proc->code, cur->procedure))
        return err_set(e, ERR_INVALID, "procedure", "dossier %s is for procedure %s, not %s",
                       cur->code, cur->procedure, proc->code);
    struct action_args a = {.at = c->at,
                            .cal = cal,
                            .proc = proc,
                            .supplement_rule = c->supplement_rule,
                            .new_due_at = c->new_due_at};
    struct dossier nx = *cur;
    int rc = dossier_apply(&cur->st, c->action, &a, &nx.st, e);
    if (rc) return rc;
    /* A backdated change: the claim passed the state machine's checks (not before the latest
     * action, the guards of the state); the clock takes the change at its recorded time, so
     * a claim cannot make a late finish early nor stop the clock in the past. */
    struct dossier_change cc = *c;
    if (c->backdated && c->recorded_at > c->at) {
        cc.at = a.at = c->recorded_at;
        nx = *cur;
        if ((rc = dossier_apply(&cur->st, c->action, &a, &nx.st, e))) return rc;
    }
    if (c->action == DA_ADVANCE)
        snprintf(nx.officer, sizeof nx.officer, "%s",
                 c->officer && *c->officer ? c->officer : c->actor);
    nx.n_events++;
    change_effects(cur, &nx, &cc, fx);
    *next = nx;
    return 0;
}

int dossier_new(const struct unit *u, const char *procedure, enum dossier_channel channel,
                const struct applicant *a, int64_t at, int seq, int fee_paid_online, int digitised,
                struct dossier *out, struct err *e)
{
    int64_t day = instant_day(at);
    char dbuf[16];
    if (!u->ident_code[0])
        return err_set(e, ERR_CONFLICT, "unit",
                       "unit %s has no identifier code (Circular 10/2016/TT-BTTTT) to number "
                       "dossiers with",
                       u->code);
    if (!unit_valid_on(u, day))
        return err_set(e, ERR_CONFLICT, "unit", "unit %s does not exist on %s", u->code,
                       day_format(day, dbuf));
    if (seq > 9999)
        return err_set(e, ERR_CONFLICT, "seq",
                       "unit %s already has 9999 dossiers on %s: the code's sequence is full",
                       u->code, day_format(day, dbuf));
    if ((unsigned)channel >= CHANNEL__COUNT)
        return err_set(e, ERR_INVALID, "channel", "channel %d: unknown", (int)channel);
    struct dossier d;
    memset(&d, 0, sizeof d);
    int rc = dossier_code_build(u->ident_code, day, seq, d.code, sizeof d.code, e);
    if (rc) return rc;
    snprintf(d.unit, sizeof d.unit, "%s", u->code);
    snprintf(d.procedure, sizeof d.procedure, "%s", procedure);
    d.channel = channel;
    d.applicant = *a;
    if (vntext_nfc(a->name, d.applicant.name, sizeof d.applicant.name) ||
        vntext_nfc(a->address, d.applicant.address, sizeof d.applicant.address))
        return err_set(e, ERR_INVALID, "name", "applicant name or address: not valid UTF-8");
    d.submitted_at = at;
    d.fee_paid_online = fee_paid_online ? 1 : 0;
    d.digitised = digitised ? 1 : 0;
    dossier_init(&d.st);
    d.st.last_at = at;
    *out = d;
    return 0;
}
