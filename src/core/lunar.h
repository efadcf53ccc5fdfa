/* lunar.h — the Vietnamese lunar calendar (âm lịch), computed for UTC+7.
 * Supported range: solar days from 1900-01-31 (1/1/1900 lunar) to 2100-12-31. */
#ifndef CCHC_LUNAR_H
#define CCHC_LUNAR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct lunar_date {
    int y;    /* lunar year (the solar year in which its 1/1 falls) */
    int m;    /* 1..12 */
    int d;    /* 1..30 */
    int leap; /* 1 if m is the leap (nhuận) month of year y */
};

/* Solar day number (see date.h) -> lunar date. ERR_RANGE outside the supported range. */
int lunar_from_day(int64_t day, struct lunar_date *out, struct err *e);
/* Lunar date -> solar day number. ERR_INVALID if the date does not exist (e.g. 30 of a
 * 29-day month, a leap flag on a month that is not leap that year), ERR_RANGE outside range. */
int lunar_to_day(struct lunar_date ld, int64_t *out, struct err *e);
/* Parses "D/M/YYYY" or "D/M nhuận/YYYY" (also accepts "nhuan"); validates existence. */
int lunar_parse(const char *s, struct lunar_date *out, const char *field, struct err *e);
/* Writes "D/M/YYYY" or "D/M nhuận/YYYY". Returns buf. */
char *lunar_format(struct lunar_date ld, char *buf, size_t n);
/* Solar day number of lunar New Year (1/1) of lunar year y. */
int lunar_new_year(int y, int64_t *out, struct err *e);
/* Length (29 or 30) of month m (leap or not) of lunar year y; ERR_INVALID if it does not exist. */
int lunar_month_days(int y, int m, int leap, int *out, struct err *e);
/* The leap month number of lunar year y (1..12), or 0 if the year has none. */
int lunar_leap_month(int y, int *out, struct err *e);

/* Buffer size that holds any lunar_format output. */
#define LUNAR_FORMAT_MAX 32

#endif
