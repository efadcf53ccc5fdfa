/* report_period.h — the reporting periods of the periodic CCHC reports (báo cáo định kỳ công tác
 * cải cách hành chính) of the Ministry of Home Affairs' calendar: quarter I, 6 months, quarter
 * III and the year, whose data periods do not follow calendar quarters but the reporting
 * regime's cut-off days (the 15th of the month before the period to the 14th of its last
 * month). The table and its sources are in report_period.c; `--period YYYY-CCHC-Q1` (and
 * -6M, -Q3, -Y) reads it through stats_period_parse. */
#ifndef CCHC_REPORT_PERIOD_H
#define CCHC_REPORT_PERIOD_H

#include <stdint.h>

#include "err.h"

struct report_period {
    const char *code;  /* "Q1", "6M", "Q3", "Y": the suffix after "YYYY-CCHC-" */
    const char *label; /* Vietnamese: "Báo cáo quý I" */
    int from_month, from_day, from_prev_year; /* first day of the data period */
    int to_month, to_day;                     /* last day, in the report's year */
    int due_month, due_day;                   /* when the report is due (verify) */
};

/* The periods, in calendar order; *n receives their number. */
const struct report_period *report_periods(int *n);
/* The period of code ("Q1" …), or NULL. */
const struct report_period *report_period_find(const char *code);
/* Days (date.h) of the data period of p in year. */
void report_period_days(const struct report_period *p, int year, int64_t *from, int64_t *to);
/* Parses "YYYY-CCHC-Q1|6M|Q3|Y" into its days. Returns 0, ERR_INVALID naming the codes for a
 * bad suffix, or -1 when s is not of the YYYY-CCHC- form at all (the caller tries others). */
int report_period_parse(const char *s, int64_t *from, int64_t *to, struct err *e);

#endif
