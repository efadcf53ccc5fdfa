/* date.c — Gregorian day numbers, parsing and formatting of dates and local instants.
 * The day-number conversions are Howard Hinnant's public-domain algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"), exact for the whole proleptic calendar. */
#include "date.h"

#include <stdio.h>
#include <string.h>

int64_t ymd_to_days(struct ymd d)
{
    int64_t y = d.y - (d.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct ymd days_to_ymd(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    struct ymd r = {(int)(y + (m <= 2)), (int)m, (int)d};
    return r;
}

int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

int ymd_valid(struct ymd d)
{
    return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= days_in_month(d.y, d.m);
}

int day_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = (days + 3) % 7;
    if (w < 0) w += 7;
    return (int)w + 1;
}

/* Reads exactly n decimal digits at s into *v. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

int ymd_parse(const char *s, struct ymd *out, const char *field, struct err *e)
{
    struct ymd d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &d.y) ||
        digits(s + 5, 2, &d.m) || digits(s + 8, 2, &d.d))
        return err_set(e, ERR_INVALID, field, "%s '%s': expected a date YYYY-MM-DD", field,
                       s ? s : "");
    if (!ymd_valid(d))
        return err_set(e, ERR_INVALID, field, "%s '%s': no such day in the Gregorian calendar",
                       field, s);
    *out = d;
    return 0;
}

int instant_parse(const char *s, int64_t *out, const char *field, struct err *e)
{
    size_t n = s ? strlen(s) : 0;
    struct ymd d;
    int hh = 0, mm = 0;
    if ((n != 10 && n != 16) || s[4] != '-' || s[7] != '-' || digits(s, 4, &d.y) ||
        digits(s + 5, 2, &d.m) || digits(s + 8, 2, &d.d) ||
        (n == 16 && ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || digits(s + 11, 2, &hh) ||
                     digits(s + 14, 2, &mm))))
        return err_set(e, ERR_INVALID, field, "%s '%s': expected YYYY-MM-DDTHH:MM or YYYY-MM-DD",
                       field, s ? s : "");
    if (!ymd_valid(d))
        return err_set(e, ERR_INVALID, field, "%s '%s': no such day in the Gregorian calendar",
                       field, s);
    if (hh > 23 || mm > 59)
        return err_set(e, ERR_INVALID, field, "%s '%s': hour must be 00-23 and minute 00-59", field,
                       s);
    *out = ymd_to_days(d) * MINUTES_PER_DAY + hh * 60 + mm;
    return 0;
}

char *ymd_format(struct ymd d, char *buf)
{
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
             (unsigned)d.d % 100u);
    return buf;
}

char *day_format(int64_t day, char *buf)
{
    return ymd_format(days_to_ymd(day), buf);
}

char *instant_format(int64_t minutes, char *buf)
{
    struct ymd d = days_to_ymd(instant_day(minutes));
    unsigned mod = (unsigned)instant_minute_of_day(minutes) % MINUTES_PER_DAY;
    snprintf(buf, 17, "%04u-%02u-%02uT%02u:%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
             (unsigned)d.d % 100u, mod / 60u, mod % 60u);
    return buf;
}
