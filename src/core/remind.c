/* remind.c — reminder rules and stages (remind.h). */
#include "remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "tsv.h"
#include "user.h"

static const char *const KINDS[RK__COUNT] = {"task", "feedback", "commitment"};
static const char *const STAGES[RS__COUNT] = {"due_soon", "overdue"};

const char *remind_kind_name(enum remind_kind k)
{
    return (unsigned)k < RK__COUNT ? KINDS[k] : "?";
}

const char *remind_stage_name(enum remind_stage s)
{
    return (unsigned)s < RS__COUNT ? STAGES[s] : "?";
}

int remind_kind_parse(const char *s, enum remind_kind *out, struct err *e)
{
    for (int i = 0; i < RK__COUNT; i++)
        if (s && !strcmp(s, KINDS[i])) {
            *out = (enum remind_kind)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind", "kind '%.20s': expected task, feedback or commitment",
                   s ? s : "");
}

int remind_stage_parse(const char *s, enum remind_stage *out, struct err *e)
{
    for (int i = 0; i < RS__COUNT; i++)
        if (s && !strcmp(s, STAGES[i])) {
            *out = (enum remind_stage)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "stage", "stage '%.20s': expected due_soon or overdue",
                   s ? s : "");
}

/* "unit:leader,specialist;parent:leader" */
static int parse_notify(char *s, unsigned *unit, unsigned *parent, struct err *e)
{
    *unit = *parent = 0;
    for (char *part = strtok(s, ";"); part; part = strtok(NULL, ";")) {
        char *colon = strchr(part, ':');
        if (!colon) return err_set(e, ERR_INVALID, "notify", "'%.40s': expected WHO:ROLE,…", part);
        *colon = '\0';
        unsigned *bits;
        if (!strcmp(part, "unit"))
            bits = unit;
        else if (!strcmp(part, "parent"))
            bits = parent;
        else
            return err_set(e, ERR_INVALID, "notify", "'%.20s': expected unit or parent", part);
        for (char *role = colon + 1, *next; role && *role; role = next) {
            next = strchr(role, ',');
            if (next) *next++ = '\0';
            enum user_role r;
            if (user_role_parse(role, &r, "notify", e)) return ERR_INVALID;
            if (r == UROLE_CITIZEN)
                return err_set(e, ERR_INVALID, "notify", "citizens are not reminded of staff work");
            *bits |= 1u << r;
        }
    }
    if (!*unit && !*parent) return err_set(e, ERR_INVALID, "notify", "nobody to remind");
    return 0;
}

static int rule_cmp(const void *a, const void *b)
{
    const struct remind_rule *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->stage != y->stage) return x->stage < y->stage ? -1 : 1;
    return (x->effective > y->effective) - (x->effective < y->effective);
}

int remind_rules_parse(const char *text, const char *name, struct remind_rules *out, struct err *e)
{
    out->n = 0;
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n'), *start = p;
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        lineno++;
        p = nl ? nl + 1 : p + len;
        if (len >= sizeof line)
            return err_set(e, ERR_INVALID, "rules", "%s:%d: line too long", name, lineno);
        memcpy(line, start, len);
        line[len] = '\0';
        if (len && line[len - 1] == '\r') line[len - 1] = '\0';
        if (!line[0] || line[0] == '#') continue;
        char *f[7];
        int nf = tsv_split(line, f, 7);
        if (nf != 6)
            return err_set(e, ERR_INVALID, "rules",
                           "%s:%d: expected 6 tab-separated fields (effective, kind, stage, "
                           "workdays, notify, source), got %d",
                           name, lineno, nf);
        if (out->n >= REMIND_RULES_MAX)
            return err_set(e, ERR_RANGE, "rules", "%s:%d: more than %d rules", name, lineno,
                           REMIND_RULES_MAX);
        struct remind_rule *r = &out->r[out->n];
        struct ymd d;
        struct err e2 = {0};
        char *end;
        long wd;
        if (ymd_parse(f[0], &d, "effective", &e2) || remind_kind_parse(f[1], &r->kind, &e2) ||
            remind_stage_parse(f[2], &r->stage, &e2))
            return err_set(e, ERR_INVALID, "rules", "%s:%d: %s", name, lineno, e2.msg);
        r->effective = ymd_to_days(d);
        wd = strtol(f[3], &end, 10);
        if (end == f[3] || *end || wd < 0 || wd > REMIND_MAX_DAYS)
            return err_set(e, ERR_INVALID, "rules",
                           "%s:%d: workdays '%.20s': must be a whole number 0..%d", name, lineno,
                           f[3], REMIND_MAX_DAYS);
        r->workdays = (int)wd;
        if (parse_notify(f[4], &r->unit_roles, &r->parent_roles, &e2))
            return err_set(e, ERR_INVALID, "rules", "%s:%d: notify: %s", name, lineno, e2.msg);
        if (!f[5][0])
            return err_set(e, ERR_INVALID, "rules", "%s:%d: the source is empty", name, lineno);
        snprintf(r->source, sizeof r->source, "%s", f[5]);
        for (int i = 0; i < out->n; i++)
            if (out->r[i].kind == r->kind && out->r[i].stage == r->stage &&
                out->r[i].effective == r->effective)
                return err_set(e, ERR_INVALID, "rules", "%s:%d: a second %s %s rule from %s", name,
                               lineno, f[1], f[2], f[0]);
        out->n++;
    }
    qsort(out->r, (size_t)out->n, sizeof out->r[0], rule_cmp);
    return 0;
}

int remind_rules_load(const char *dir, struct remind_rules *out, struct err *e)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/reminders/rules.tsv", dir);
    char buf[32768];
    int rc = tsv_file_read(path, buf, sizeof buf, "rules", e);
    if (rc) return rc;
    return remind_rules_parse(buf, path, out, e);
}

const struct remind_rule *remind_rule_at(const struct remind_rules *rs, enum remind_kind k,
                                         enum remind_stage st, int64_t day)
{
    const struct remind_rule *best = NULL;
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].kind == k && rs->r[i].stage == st && rs->r[i].effective <= day)
            best = &rs->r[i];
    return best;
}

int remind_stage_on(const struct remind_rules *rs, const struct calendar *cal, enum remind_kind k,
                    int64_t due_day, int64_t today, const struct remind_rule **rule, struct err *e)
{
    *rule = NULL;
    int64_t n;
    if (calendar_working_days_between(cal, due_day, today, &n, e)) return ERR_RANGE;
    if (today > due_day) {
        const struct remind_rule *r = remind_rule_at(rs, k, RS_OVERDUE, today);
        /* workdays 0: the first day after the due day, working or not */
        if (r && (r->workdays == 0 || n >= r->workdays)) {
            *rule = r;
            return RS_OVERDUE;
        }
        return -1;
    }
    const struct remind_rule *r = remind_rule_at(rs, k, RS_DUE_SOON, today);
    /* n <= 0 here: -n working days from today (excluded) to the due day (included) */
    if (r && -n <= r->workdays) {
        *rule = r;
        return RS_DUE_SOON;
    }
    return -1;
}
