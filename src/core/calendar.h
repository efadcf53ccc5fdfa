/* calendar.h — the Vietnamese working-day calendar and O(1) deadline arithmetic.
 *
 * A calendar is compiled once from data files (data/calendar/statutory.tsv and one
 * data/calendar/YYYY.tsv per year with a government decision) into per-day tables:
 * the kind of every day, a prefix count of working days and the list of working days,
 * so "add N working days" and "working days between" are array lookups.
 * Office hours (the same on every working day) turn working days into working minutes. */
#ifndef CCHC_CALENDAR_H
#define CCHC_CALENDAR_H

#include <stdint.h>

#include "date.h"
#include "err.h"

enum day_kind {
    DAY_WORK = 0,     /* an ordinary working day (Monday–Friday) */
    DAY_WEEKEND,      /* Saturday or Sunday, not worked */
    DAY_HOLIDAY,      /* a public holiday (may fall on a weekend) */
    DAY_COMPENSATORY, /* a compensatory day off for a holiday that fell on a weekend */
    DAY_SWAP,         /* a working day moved off in exchange for a worked weekend day */
    DAY_WORKDAY,      /* a weekend day worked in exchange for a swapped day */
};

/* Office hours: up to 4 intervals [start, end) in minutes of the day, ascending. */
struct office_hours {
    int n;
    int start[4];
    int end[4];
};

struct calendar;

/* Compiles the calendar for years y0..y1 from the data directory dir (which holds
 * calendar/statutory.tsv and calendar/YYYY.tsv). Years without a decision file get the
 * statutory holidays and the statutory compensation rule. A malformed file fails with
 * "FILE:LINE: problem". hours may be NULL for the default office hours. */
int calendar_load(const char *dir, int y0, int y1, const struct office_hours *hours,
                  struct calendar **out, struct err *e);
void calendar_free(struct calendar *cal);

/* One day set by a decision recorded in the database (src/core/caldecision.h). */
struct calendar_day_set {
    int64_t day;
    enum day_kind kind; /* DAY_HOLIDAY, DAY_SWAP or DAY_WORKDAY */
    const char *name, *source;
};
/* A new calendar: a copy of base (same years, office hours and day end) with the n days of
 * set overlaid (days outside base's years are ignored), its tables compiled again. */
int calendar_overlay(const struct calendar *base, const struct calendar_day_set *set, int n,
                     struct calendar **out, struct err *e);

/* The default office hours: 07:30–11:30 and 13:30–17:00. */
struct office_hours office_hours_default(void);
/* Parses "07:30-11:30,13:30-17:00". */
int office_hours_parse(const char *s, struct office_hours *out, struct err *e);

/* First and last day numbers the calendar covers. */
int64_t calendar_first_day(const struct calendar *cal);
int64_t calendar_last_day(const struct calendar *cal);
/* 1 if the year came from a government decision file, 0 if statutory rules only. */
int calendar_year_has_decision(const struct calendar *cal, int year);
/* The years a deadline counted from `today` (a day number) may reach and for which no
 * government decision file was loaded, so their days off come from statutory.tsv alone: the
 * year of today, and from 1 October the next one too (the decision for the next year is
 * usually issued in October–December; earlier its absence is normal). Years outside the
 * calendar are not reported. Fills years[0..n-1], returns n (0..2). */
int calendar_years_without_decision(const struct calendar *cal, int64_t today, int years[2]);

/* Kind of a day; name and source (may be NULL) describe holidays, swaps and workdays. */
int calendar_day(const struct calendar *cal, int64_t day, enum day_kind *kind, const char **name,
                 const char **source, struct err *e);
/* 1 if day is a working day (DAY_WORK or DAY_WORKDAY). Day must be in range. */
int calendar_is_working(const struct calendar *cal, int64_t day);
const char *day_kind_name(enum day_kind k);

/* Due instant for a limit of n working days counted from a reception instant: the
 * reception day is not counted (Civil Code 2015 Art. 147(2)); the limit ends on the n-th
 * working day after it, at the calendar's day end: by default the close of office hours
 * (cchc's convention for one-stop appointments, which name a working hour), or 24:00 as in
 * Civil Code 2015 Art. 148 when set with calendar_set_day_end. n >= 0; n = 0 gives the
 * reception day itself (or the next working day if it is not one). */
int calendar_add_working_days(const struct calendar *cal, int64_t from, int n, int64_t *due,
                              struct err *e);
/* Due instant for a limit of `minutes` working minutes from an instant: counting starts at
 * the instant if it is within office hours, else at the next opening. */
int calendar_add_working_minutes(const struct calendar *cal, int64_t from, int64_t minutes,
                                 int64_t *due, struct err *e);
/* Working minutes in office hours between two instants (negative if b < a). */
int calendar_working_minutes_between(const struct calendar *cal, int64_t a, int64_t b, int64_t *out,
                                     struct err *e);
/* Working days strictly after day a up to and including day b (negative if b < a). */
int calendar_working_days_between(const struct calendar *cal, int64_t a, int64_t b, int64_t *out,
                                  struct err *e);
/* Where a day limit ends on its last day, in minutes of the day (1..1440): the default is
 * the close of office hours; 1440 ends it at 24:00 (Civil Code 2015 Art. 148). */
int calendar_set_day_end(struct calendar *cal, int minute_of_day, struct err *e);
/* Minutes of office time in one working day. */
int calendar_minutes_per_day(const struct calendar *cal);

#endif
