/* caldecision.h — the Government's decisions on days off, recorded by an administrator in the
 * database (issue 13) on top of the file calendar (data/calendar/YYYY.tsv, statutory.tsv).
 *
 * A decision (its citation, e.g. "Thông báo 6150/TB-BLĐTBXH", the issuer, the day signed and
 * the day it takes effect) lists day changes of two kinds:
 *   - holiday: a working day made a day off (e.g. a day added to Tết, Labour Code 2019
 *     Art. 112(3): the Prime Minister decides the Tết days and the day next to 2/9);
 *   - swap: a working day moved off, compensated by working a weekend day (the yearly
 *     "hoán đổi ngày làm việc" of the Ministry's notice).
 * decision_check() applies the rules (below) against the calendar in force (the file
 * calendar with the decisions already recorded) and the decisions already recorded; then
 * caldecision_overlay() gives the calendar deadlines are counted with. Pure: no I/O. */
#ifndef CCHC_CALDECISION_H
#define CCHC_CALDECISION_H

#include <stdint.h>

#include "calendar.h"
#include "err.h"

#define CALDEC_TEXT_MAX    200 /* citation, issuer, a change's name: bytes incl. the NUL */
#define CALDEC_CHANGES_MAX 16

enum caldec_kind { CALDEC_HOLIDAY = 0, CALDEC_SWAP = 1 };

struct caldec_change {
    enum caldec_kind kind;
    int64_t day;      /* the working day made a day off */
    int64_t work_day; /* swap: the weekend day worked instead; -1 for a holiday */
    char name[CALDEC_TEXT_MAX];
};

struct caldec {
    int64_t id; /* 0 before it is recorded */
    char citation[CALDEC_TEXT_MAX];
    char issuer[CALDEC_TEXT_MAX];
    int64_t signed_on, effective; /* day numbers */
    int n;
    struct caldec_change ch[CALDEC_CHANGES_MAX];
    char actor[64];
    int64_t created_at; /* local minutes */
};

const char *caldec_kind_name(enum caldec_kind k); /* "holiday", "swap" */
int caldec_kind_parse(const char *s, enum caldec_kind *k, const char *field, struct err *e);

/* The rules of a new decision d, given the calendar in force (cal: the file calendar with the
 * recorded decisions), the recorded decisions (others, n) and today (a day number). Fails
 * ERR_INVALID (or ERR_CONFLICT for a clash with a recorded decision) naming the field
 * ("citation", "issuer", "signed_on", "effective", "changes", "changes[i].day",
 * "changes[i].work_day", "changes[i].name") with the value and the rule:
 *   - citation and issuer are given (< CALDEC_TEXT_MAX bytes), the citation is not one
 *     already recorded;
 *   - signed_on is a date, effective is not before it;
 *   - 1..CALDEC_CHANGES_MAX changes, each named;
 *   - every day is inside the calendar's years and not before today (days already lived
 *     keep the calendar they were lived with);
 *   - the day off is a working day (Monday–Friday, not already a holiday, a compensatory or
 *     swapped day) of the calendar in force;
 *   - a swap's compensating day is a Saturday or Sunday that is a weekly rest day in the
 *     calendar in force (not a holiday, not already worked);
 *   - no day appears twice, in this decision or in a recorded one. */
int caldec_check(const struct caldec *d, const struct calendar *cal, const struct caldec *others,
                 int n, int64_t today, struct err *e);

/* The calendar with decisions d[0..n-1] laid over base: a holiday's day becomes DAY_HOLIDAY,
 * a swap's day DAY_SWAP and its work day DAY_WORKDAY, each with its name and the decision's
 * citation as source. *out is new (calendar_free). */
int caldec_overlay(const struct calendar *base, const struct caldec *d, int n,
                   struct calendar **out, struct err *e);

#endif
