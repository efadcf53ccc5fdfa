/* backdate.c — the tolerance for claimed times earlier than their recording, and the verdict
 * on one claim (backdate.h). Pure: the callers give the clock's reading. */
#include <stdlib.h>
#include <string.h>

#include "backdate.h"
#include "date.h"

int backdate_tolerance_parse(const char *s, int *days, const char *field, struct err *e)
{
    if (s && !strcmp(s, "off")) {
        *days = BACKDATE_OFF;
        return 0;
    }
    char *end = NULL;
    long v = s && *s ? strtol(s, &end, 10) : -1;
    if (!s || !*s || *end || v < 0 || v > BACKDATE_DAYS_MAX)
        return err_set(e, ERR_INVALID, field,
                       "%s '%.20s': must be a number of working days from 0 to %d, or off", field,
                       s ? s : "", BACKDATE_DAYS_MAX);
    *days = (int)v;
    return 0;
}

static int working(const struct calendar *cal, int64_t day)
{
    if (cal && day >= calendar_first_day(cal) && day <= calendar_last_day(cal))
        return calendar_is_working(cal, day);
    return day_weekday(day) <= 5;
}

int64_t backdate_limit(const struct calendar *cal, int64_t recorded, int days)
{
    int64_t day = instant_day(recorded);
    for (int k = 0; k < days; k++) {
        day--;
        /* at most a few weeks of holidays in a row (Tết): the bound only guards bad data */
        for (int guard = 0; guard < 60 && !working(cal, day); guard++)
            day--;
    }
    return day * MINUTES_PER_DAY;
}

enum backdate_verdict backdate_judge(const struct calendar *cal, int days, int64_t at,
                                     int64_t recorded, int privileged, int has_reason,
                                     int64_t *limit, struct err *e)
{
    if (limit) *limit = 0;
    if (days == BACKDATE_OFF) return BD_ON_TIME;
    int64_t lim = backdate_limit(cal, recorded, days);
    if (limit) *limit = lim;
    if (at >= lim) return BD_ON_TIME;
    char a[20], l[20];
    instant_format(at, a);
    instant_format(lim, l);
    if (!privileged) {
        err_set(e, ERR_INVALID, "at",
                "at %s: earlier than %s, the start of the tolerance for backdating (%d working "
                "day(s) before the day of recording); only a leader or an administrator may "
                "record an earlier time, with a reason",
                a, l, days);
        return BD_NEEDS_ROLE;
    }
    if (!has_reason) {
        err_set(e, ERR_INVALID, "note",
                "at %s: earlier than %s, the start of the tolerance for backdating; a backdated "
                "action needs a reason in 'note'",
                a, l);
        return BD_NEEDS_REASON;
    }
    return BD_BACKDATED;
}
