/* procedure.c — names, parsing and checks for the procedures catalogue (see procedure.h):
 * levels, time units, online modes, step roles, the step syntax of the process template and
 * the whole-record check that import and store apply before writing. */
#include "procedure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "vntext.h"

struct name_label {
    const char *name, *label;
};

static const struct name_label levels[LEVEL_COUNT] = {
    [LEVEL_CENTRAL] = {"central", "Cấp trung ương"},
    [LEVEL_PROVINCE] = {"province", "Cấp tỉnh"},
    [LEVEL_DISTRICT] = {"district", "Cấp huyện"},
    [LEVEL_COMMUNE] = {"commune", "Cấp xã"},
};
static const struct name_label time_units[TIME_UNIT_COUNT] = {
    [TIME_WORKING_DAYS] = {"wd", "ngày làm việc"},
    [TIME_WORKING_HOURS] = {"wh", "giờ làm việc"},
    [TIME_CALENDAR_DAYS] = {"cd", "ngày"},
};
static const struct name_label online_modes[ONLINE_COUNT] = {
    [ONLINE_NONE] = {"none", "Không trực tuyến"},
    [ONLINE_PARTIAL] = {"partial", "Một phần"},
    [ONLINE_FULL] = {"full", "Toàn trình"},
};
static const struct name_label recv_scopes[RECV_COUNT] = {
    [RECV_UNIT] = {"unit", "Tại Bộ phận Một cửa nơi giải quyết"},
    [RECV_PROVINCE] = {"province", "Không phụ thuộc địa giới hành chính trong tỉnh"},
    [RECV_NATION] = {"nation", "Không phụ thuộc địa giới hành chính trên toàn quốc"},
};
static const struct name_label roles[ROLE_COUNT] = {
    [ROLE_DESK] = {"desk", "Công chức Bộ phận Một cửa"},
    [ROLE_SPECIALIST] = {"specialist", "Công chức chuyên môn"},
    [ROLE_LEADER] = {"leader", "Lãnh đạo"},
    [ROLE_CLERK] = {"clerk", "Văn thư"},
    [ROLE_OTHER] = {"other", "Cơ quan phối hợp"},
};

/* Looks s up among n names; fills e listing them all. */
static int parse_name(const struct name_label *t, int n, const char *s, int *out, const char *field,
                      const char *what, struct err *e)
{
    for (int i = 0; i < n; i++)
        if (s && !strcmp(s, t[i].name)) {
            *out = i;
            return 0;
        }
    char list[200] = "";
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", t[i].name);
    }
    return err_set(e, ERR_INVALID, field, "'%s': not %s (%s)", s ? s : "", what, list);
}

#define NAME_FNS(prefix, type, table, count, what)                                                 \
    const char *prefix##_name(type v)                                                              \
    {                                                                                              \
        return (unsigned)v < count ? table[v].name : NULL;                                         \
    }                                                                                              \
    const char *prefix##_label(type v)                                                             \
    {                                                                                              \
        return (unsigned)v < count ? table[v].label : NULL;                                        \
    }                                                                                              \
    int prefix##_parse(const char *s, type *out, const char *field, struct err *e)                 \
    {                                                                                              \
        int v, rc = parse_name(table, count, s, &v, field, what, e);                               \
        if (!rc) *out = (type)v;                                                                   \
        return rc;                                                                                 \
    }

NAME_FNS(proc_level, enum proc_level, levels, LEVEL_COUNT, "a level")
NAME_FNS(time_unit, enum time_unit, time_units, TIME_UNIT_COUNT, "a time unit")
NAME_FNS(online_mode, enum online_mode, online_modes, ONLINE_COUNT, "an online mode")
NAME_FNS(step_role, enum step_role, roles, ROLE_COUNT, "a role")
NAME_FNS(recv_scope, enum recv_scope, recv_scopes, RECV_COUNT, "a receiving scope")

int proc_code_check(const char *s, const char *field, struct err *e)
{
    int ok = strlen(s) == 8 && s[0] >= '0' && s[0] <= '9' && s[1] == '.';
    for (int i = 2; ok && i < 8; i++)
        ok = s[i] >= '0' && s[i] <= '9';
    if (ok) return 0;
    return err_set(e, ERR_INVALID, field,
                   "'%s': a national procedure code is a digit, '.', and six digits (e.g. "
                   "1.001193)",
                   s);
}

/* Copies s[0..n) into out (size cap) without surrounding spaces; -1 if it does not fit. */
static int trim_copy(const char *s, size_t n, char *out, size_t cap)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= cap) return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int parse_share(const char *t, struct proc_step *out, const char *field, struct err *e)
{
    char *end;
    long v = strtol(t, &end, 10);
    if (end != t && t[0] >= '0' && t[0] <= '9' && (!strcmp(end, "%") || !strcmp(end, "h"))) {
        out->share_unit = *end == '%' ? SHARE_PERCENT : SHARE_HOURS;
        if (v >= 1 && v <= (out->share_unit == SHARE_PERCENT ? 100 : 10000)) {
            out->share = (int)v;
            return 0;
        }
    }
    return err_set(e, ERR_INVALID, field,
                   "share '%s': expected a whole percent 1-100 followed by %% (\"40%%\") or whole "
                   "working hours followed by h (\"8h\")",
                   t);
}

int proc_step_parse(const char *line, struct proc_step *out, const char *field, struct err *e)
{
    const char *b1 = strchr(line, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
    if (!b2 || strchr(b2 + 1, '|'))
        return err_set(e, ERR_INVALID, field, "step '%s': expected NAME | ROLE[@UNIT_KIND] | SHARE",
                       line);
    memset(out, 0, sizeof *out);
    out->unit_kind = -1;
    char actor[64], share[32];
    if (trim_copy(line, (size_t)(b1 - line), out->name, sizeof out->name))
        return err_set(e, ERR_INVALID, field, "step name longer than %d bytes", STEP_NAME_MAX - 1);
    if (!out->name[0]) return err_set(e, ERR_INVALID, field, "step '%s': empty name", line);
    if (trim_copy(b1 + 1, (size_t)(b2 - b1 - 1), actor, sizeof actor) ||
        trim_copy(b2 + 1, strlen(b2 + 1), share, sizeof share))
        return err_set(e, ERR_INVALID, field, "step '%s': role or share too long", line);
    char *at = strchr(actor, '@');
    if (at) *at = '\0';
    int rc = step_role_parse(actor, &out->role, field, e);
    if (!rc && at) {
        enum unit_kind k;
        rc = unit_kind_parse(at + 1, &k, field, e);
        out->unit_kind = (int)k;
    }
    return rc ? rc : parse_share(share, out, field, e);
}

char *proc_step_format(const struct proc_step *s, char *buf, size_t n)
{
    const char *kind = s->unit_kind >= 0 ? unit_kind_name((enum unit_kind)s->unit_kind) : NULL;
    snprintf(buf, n, "%s | %s%s%s | %d%s", s->name, step_role_name(s->role), kind ? "@" : "",
             kind ? kind : "", s->share, s->share_unit == SHARE_PERCENT ? "%" : "h");
    return buf;
}

char *proc_time_format(const struct procedure *p, char *buf, size_t n)
{
    if (p->time_amount == 0 && p->time_unit == TIME_WORKING_DAYS)
        snprintf(buf, n, "trong ngày");
    else
        snprintf(buf, n, "%d %s", p->time_amount, time_unit_label(p->time_unit));
    return buf;
}

/* The template: one share unit throughout; percents sum to 100; hours fit the legal time. */
static int check_steps(const struct procedure *p, struct err *e)
{
    if (p->nsteps < 0 || p->nsteps > PROC_STEPS_MAX)
        return err_set(e, ERR_INVALID, "steps", "%d steps: at most %d", p->nsteps, PROC_STEPS_MAX);
    if (p->nsteps == 0) return 0;
    long sum = 0;
    for (int i = 0; i < p->nsteps; i++) {
        const struct proc_step *s = &p->steps[i];
        if (!s->name[0]) return err_set(e, ERR_INVALID, "steps", "step %d: empty name", i + 1);
        if (!step_role_name(s->role) ||
            (s->unit_kind != -1 && !unit_kind_name((enum unit_kind)s->unit_kind)))
            return err_set(e, ERR_INVALID, "steps", "step %d: bad role or unit kind", i + 1);
        if (s->share_unit != p->steps[0].share_unit)
            return err_set(e, ERR_INVALID, "steps",
                           "step %d '%s': all steps share the time in the same unit (%% or h)",
                           i + 1, s->name);
        if (s->share < 1) return err_set(e, ERR_INVALID, "steps", "step %d: share < 1", i + 1);
        sum += s->share;
    }
    if (p->steps[0].share_unit == SHARE_PERCENT) {
        if (sum != 100)
            return err_set(e, ERR_INVALID, "steps", "step shares add up to %ld%%, not 100%%", sum);
        return 0;
    }
    long limit = p->time_unit == TIME_WORKING_HOURS  ? p->time_amount
                 : p->time_unit == TIME_WORKING_DAYS ? 8L * p->time_amount
                                                     : -1;
    if (limit < 0)
        return err_set(e, ERR_INVALID, "steps",
                       "steps in hours need a time in wd or wh; use percents with cd");
    if (sum > limit)
        return err_set(e, ERR_INVALID, "steps",
                       "step hours add up to %ldh, more than the legal time (%ldh at most)", sum,
                       limit);
    return 0;
}

/* A catalogue date: "" or a valid YYYY-MM-DD; *day gets its number (or -1). */
static int check_date(const char *s, const char *field, int64_t *day, struct err *e)
{
    *day = -1;
    if (!s[0]) return 0;
    struct ymd d;
    struct err de = {0};
    if (ymd_parse(s, &d, field, &de))
        return err_set(e, ERR_INVALID, field, "'%s': not a date YYYY-MM-DD", s);
    *day = ymd_to_days(d);
    return 0;
}

/* The published-catalogue fields: a decision has a number and a date; a procedure is posted
 * (portal, desk) on or after the day of the decision that publishes it; a procedure received
 * regardless of residence cites the decision or plan that lists it. */
static int check_catalogue(const struct procedure *p, struct err *e)
{
    int64_t dd, be, pp, pd;
    int rc;
    if ((rc = check_date(p->decision_date, "decision_date", &dd, e)) ||
        (rc = check_date(p->basis_effective, "basis_effective", &be, e)) ||
        (rc = check_date(p->posted_portal, "posted_portal", &pp, e)) ||
        (rc = check_date(p->posted_desk, "posted_desk", &pd, e)))
        return rc;
    if (vntext_control_at(p->decision, 0) >= 0)
        return err_set(e, ERR_INVALID, "decision", "holds a control character");
    if (p->decision[0] && dd < 0)
        return err_set(e, ERR_INVALID, "decision_date",
                       "empty, but decision '%s' is given: a publishing decision has a date",
                       p->decision);
    if (!p->decision[0] && dd >= 0)
        return err_set(e, ERR_INVALID, "decision",
                       "empty, but decision_date '%s' is given: the date is the decision's",
                       p->decision_date);
    const char *names[2] = {"posted_portal", "posted_desk"};
    const char *vals[2] = {p->posted_portal, p->posted_desk};
    int64_t days[2] = {pp, pd};
    for (int i = 0; i < 2; i++) {
        if (days[i] < 0) continue;
        if (dd < 0)
            return err_set(e, ERR_INVALID, names[i],
                           "'%s' without a decision: a procedure is posted once a decision "
                           "publishes it (decision, decision_date)",
                           vals[i]);
        if (days[i] < dd)
            return err_set(e, ERR_INVALID, names[i],
                           "'%s' is before the decision's date %s: a procedure is posted on or "
                           "after the day of the decision that publishes it",
                           vals[i], p->decision_date);
    }
    if (!recv_scope_name(p->receive))
        return err_set(e, ERR_INVALID, "receive", "not a receiving scope");
    if (p->receive != RECV_UNIT && !p->receive_basis[0])
        return err_set(e, ERR_INVALID, "receive_basis",
                       "empty, but receive is '%s': a procedure received regardless of "
                       "residence cites the decision or plan that lists it",
                       recv_scope_name(p->receive));
    if (vntext_control_at(p->receive_basis, 0) >= 0)
        return err_set(e, ERR_INVALID, "receive_basis", "holds a control character");
    return 0;
}

int procedure_check(const struct procedure *p, struct err *e)
{
    int rc;
    if ((rc = proc_code_check(p->code, "code", e))) return rc;
    if (!p->name[0]) return err_set(e, ERR_INVALID, "name", "empty: a procedure needs a name");
    if (!p->field[0]) return err_set(e, ERR_INVALID, "field", "empty: a procedure needs a field");
    if (vntext_control_at(p->name, 1) >= 0)
        return err_set(e, ERR_INVALID, "name", "holds a control character");
    if (vntext_control_at(p->field, 0) >= 0)
        return err_set(e, ERR_INVALID, "field", "holds a control character");
    if (!proc_level_name(p->level)) return err_set(e, ERR_INVALID, "level", "not a level");
    if (!time_unit_name(p->time_unit))
        return err_set(e, ERR_INVALID, "time_unit", "not a time unit");
    if (p->time_amount < 0)
        return err_set(e, ERR_INVALID, "time_amount", "%d: must be >= 0", p->time_amount);
    if (p->time_amount == 0 && p->time_unit != TIME_WORKING_DAYS)
        return err_set(e, ERR_INVALID, "time_amount",
                       "0: only '0 wd' (within the reception day) may be zero");
    if (!online_mode_name(p->online)) return err_set(e, ERR_INVALID, "online", "not a mode");
    if (p->fee_vnd < -1) return err_set(e, ERR_INVALID, "fee_vnd", "must be >= 0");
    if (p->fee_vnd == -1 && !p->fee_note[0])
        return err_set(e, ERR_INVALID, "fee_note",
                       "empty: a fee that varies (fee_vnd empty) needs a note saying how");
    if (p->ndocs < 0 || p->ndocs > PROC_DOCS_MAX)
        return err_set(e, ERR_INVALID, "documents", "%d documents: at most %d", p->ndocs,
                       PROC_DOCS_MAX);
    for (int i = 0; i < p->ndocs; i++)
        if (!p->docs[i][0])
            return err_set(e, ERR_INVALID, "documents", "document %d: empty", i + 1);
    if ((rc = check_catalogue(p, e))) return rc;
    return check_steps(p, e);
}
