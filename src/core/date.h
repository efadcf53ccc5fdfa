/* date.h — civil dates and local instants, with no time_t arithmetic on calendar days.
 * A day is an int64_t count of days since 1970-01-01 (proleptic Gregorian, local civil
 * date); an instant is an int64_t count of minutes since 1970-01-01T00:00 local time
 * (Vietnam, UTC+7, no daylight saving), so day = instant / 1440 for instants >= 0. */
#ifndef CCHC_DATE_H
#define CCHC_DATE_H

#include <stdint.h>

#include "err.h"

struct ymd {
    int y, m, d;
};

#define MINUTES_PER_DAY 1440

/* Days since 1970-01-01 of a valid date (Howard Hinnant's days_from_civil). */
int64_t ymd_to_days(struct ymd d);
/* The date of a day number. */
struct ymd days_to_ymd(int64_t days);
/* 1 if y-m-d exists in the Gregorian calendar (years 1..9999), else 0. */
int ymd_valid(struct ymd d);
int days_in_month(int y, int m);
/* ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
int day_weekday(int64_t days);

/* Parses "YYYY-MM-DD" exactly (no trailing text); fills e naming field on failure. */
int ymd_parse(const char *s, struct ymd *out, const char *field, struct err *e);
/* Parses "YYYY-MM-DDTHH:MM" (or "YYYY-MM-DD HH:MM", or a bare date meaning 00:00). */
int instant_parse(const char *s, int64_t *out, const char *field, struct err *e);
/* Writes "YYYY-MM-DD" (buf >= 11 bytes). Returns buf. */
char *ymd_format(struct ymd d, char *buf);
char *day_format(int64_t day, char *buf);
/* Writes "YYYY-MM-DDTHH:MM" (buf >= 17 bytes). Returns buf. */
char *instant_format(int64_t minutes, char *buf);

static inline int64_t instant_day(int64_t minutes)
{
    return minutes >= 0 ? minutes / MINUTES_PER_DAY
                        : -((-minutes + MINUTES_PER_DAY - 1) / MINUTES_PER_DAY);
}
static inline int instant_minute_of_day(int64_t minutes)
{
    return (int)(minutes - instant_day(minutes) * MINUTES_PER_DAY);
}

#endif
