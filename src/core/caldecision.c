/* caldecision.c — the rules of a calendar decision recorded in the database and the calendar
 * with the recorded decisions laid over the file calendar (see caldecision.h). */
#include "caldecision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

const char *caldec_kind_name(enum caldec_kind k)
{
    return k == CALDEC_SWAP ? "swap" : "holiday";
}

int caldec_kind_parse(const char *s, enum caldec_kind *k, const char *field, struct err *e)
{
    if (s && !strcmp(s, "holiday")) {
        *k = CALDEC_HOLIDAY;
        return 0;
    }
    if (s && !strcmp(s, "swap")) {
        *k = CALDEC_SWAP;
        return 0;
    }
    return err_set(e, ERR_INVALID, field, "kind '%s': must be holiday or swap", s ? s : "");
}

static int text_ok(const char *s)
{
    return s[0] && strlen(s) < CALDEC_TEXT_MAX;
}

/* Why day is not a working day of cal, in words, or NULL if it is one. */
static const char *why_not_working(const struct calendar *cal, int64_t day)
{
    enum day_kind k;
    if (calendar_day(cal, day, &k, NULL, NULL, NULL)) return "outside the calendar";
    switch (k) {
    case DAY_WORK:
        return NULL;
    case DAY_WORKDAY:
        return "a weekend day already worked in exchange for a swapped day";
    case DAY_WEEKEND:
        return "a Saturday or Sunday (weekly rest day)";
    case DAY_HOLIDAY:
        return "already a public holiday";
    case DAY_COMPENSATORY:
        return "already a compensatory day off";
    case DAY_SWAP:
        return "already a swapped day off";
    }
    return "not a working day";
}

/* Checks that day is in the calendar and not before today. */
static int day_in_reach(const struct calendar *cal, int64_t day, int64_t today, const char *field,
                        struct err *e)
{
    char a[11], b[11];
    if (day < calendar_first_day(cal) || day > calendar_last_day(cal))
        return err_set(e, ERR_INVALID, field, "%s '%s': outside the calendar's years (%s to %s)",
                       field, day_format(day, a), day_format(calendar_first_day(cal), b),
                       day_format(calendar_last_day(cal), (char[11]){0}));
    if (day < today)
        return err_set(e, ERR_INVALID, field,
                       "%s '%s': a day already past (today is %s); days lived keep their calendar",
                       field, day_format(day, a), day_format(today, b));
    return 0;
}

/* Every day of decision d, into days (2 per change at most). */
static int days_of(const struct caldec *d, int64_t *days)
{
    int n = 0;
    for (int i = 0; i < d->n; i++) {
        days[n++] = d->ch[i].day;
        if (d->ch[i].kind == CALDEC_SWAP) days[n++] = d->ch[i].work_day;
    }
    return n;
}

int caldec_check(const struct caldec *d, const struct calendar *cal, const struct caldec *others,
                 int n, int64_t today, struct err *e)
{
    char a[11], b[11], f[48];
    if (!text_ok(d->citation))
        return err_set(e, ERR_INVALID, "citation",
                       "citation: the decision's number and kind must be given (e.g. Thông báo "
                       "6150/TB-BLĐTBXH), at most %d bytes",
                       CALDEC_TEXT_MAX - 1);
    if (!text_ok(d->issuer))
        return err_set(e, ERR_INVALID, "issuer",
                       "issuer: who signed the decision must be given, at most %d bytes",
                       CALDEC_TEXT_MAX - 1);
    for (int k = 0; k < n; k++)
        if (!strcmp(others[k].citation, d->citation))
            return err_set(e, ERR_CONFLICT, "citation", "citation '%s': already recorded",
                           d->citation);
    if (d->signed_on < 0)
        return err_set(e, ERR_INVALID, "signed_on", "signed_on: a date is needed");
    if (d->effective < d->signed_on)
        return err_set(e, ERR_INVALID, "effective",
                       "effective '%s': before the day the decision was signed (%s)",
                       day_format(d->effective, a), day_format(d->signed_on, b));
    if (d->n < 1 || d->n > CALDEC_CHANGES_MAX)
        return err_set(e, ERR_INVALID, "changes",
                       "%d changes: a decision lists 1 to %d day changes", d->n,
                       CALDEC_CHANGES_MAX);
    /* no day twice: in d, then against the recorded decisions */
    int64_t mine[2 * CALDEC_CHANGES_MAX], theirs[2 * CALDEC_CHANGES_MAX];
    int nm = days_of(d, mine);
    for (int i = 0; i < nm; i++)
        for (int j = 0; j < i; j++)
            if (mine[i] == mine[j])
                return err_set(e, ERR_INVALID, "changes",
                               "day '%s': given twice; a day is changed once",
                               day_format(mine[i], a));
    for (int k = 0; k < n; k++) {
        int nt = days_of(&others[k], theirs);
        for (int i = 0; i < nm; i++)
            for (int j = 0; j < nt; j++)
                if (mine[i] == theirs[j])
                    return err_set(e, ERR_CONFLICT, "changes", "day '%s': already changed by %s",
                                   day_format(mine[i], a), others[k].citation);
    }
    for (int i = 0; i < d->n; i++) {
        const struct caldec_change *c = &d->ch[i];
        int rc;
        snprintf(f, sizeof f, "changes[%d].name", i);
        if (!text_ok(c->name))
            return err_set(e, ERR_INVALID, f,
                           "%s: the day's name must be given (e.g. Nghỉ hoán đổi dịp Quốc khánh), "
                           "at most %d bytes",
                           f, CALDEC_TEXT_MAX - 1);
        snprintf(f, sizeof f, "changes[%d].day", i);
        if ((rc = day_in_reach(cal, c->day, today, f, e))) return rc;
        const char *why = why_not_working(cal, c->day);
        if (why)
            return err_set(e, ERR_INVALID, f,
                           "%s '%s': not a working day (%s); the day off must be a working day", f,
                           day_format(c->day, a), why);
        if (c->kind != CALDEC_SWAP) continue;
        snprintf(f, sizeof f, "changes[%d].work_day", i);
        if ((rc = day_in_reach(cal, c->work_day, today, f, e))) return rc;
        enum day_kind k = DAY_WORK;
        calendar_day(cal, c->work_day, &k, NULL, NULL, NULL);
        if (day_weekday(c->work_day) < 6)
            return err_set(
                e, ERR_INVALID, f,
                "%s '%s': a weekday; the day worked instead must be a Saturday or Sunday", f,
                day_format(c->work_day, a));
        if (k != DAY_WEEKEND)
            return err_set(e, ERR_INVALID, f,
                           "%s '%s': not a weekly rest day (%s); the day worked instead must be a "
                           "Saturday or Sunday off",
                           f, day_format(c->work_day, a), day_kind_name(k));
    }
    return 0;
}

int caldec_overlay(const struct calendar *base, const struct caldec *d, int n,
                   struct calendar **out, struct err *e)
{
    int total = 0;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < d[k].n; i++)
            total += d[k].ch[i].kind == CALDEC_SWAP ? 2 : 1;
    struct calendar_day_set *set = calloc((size_t)total + 1, sizeof *set);
    char(*names)[CALDEC_TEXT_MAX + 64] = calloc((size_t)total + 1, sizeof *names);
    if (!set || !names) {
        free(set);
        free(names);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    int m = 0;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < d[k].n; i++) {
            const struct caldec_change *c = &d[k].ch[i];
            set[m++] = (struct calendar_day_set){
                c->day, c->kind == CALDEC_SWAP ? DAY_SWAP : DAY_HOLIDAY, c->name, d[k].citation};
            if (c->kind != CALDEC_SWAP) continue;
            struct ymd y = days_to_ymd(c->day);
            snprintf(names[m], sizeof names[m], "Làm bù cho ngày nghỉ hoán đổi %02d/%02d/%04d (%s)",
                     y.d, y.m, y.y, c->name);
            set[m] = (struct calendar_day_set){c->work_day, DAY_WORKDAY, names[m], d[k].citation};
            m++;
        }
    int rc = calendar_overlay(base, set, m, out, e);
    free(set);
    free(names);
    return rc;
}
