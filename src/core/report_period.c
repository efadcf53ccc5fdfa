/* report_period.c — the periodic CCHC report calendar as data.
 *
 * Sources (none of the articles below could be checked against the official text here, so
 * every row is marked (verify)):
 *  - Decree 09/2019/NĐ-CP (24/1/2019) on the reporting regime of state administrative
 *    agencies, Art. 12: the cut-off of periodic reports — a quarterly report from the 15th of
 *    the month before the period to the 14th of the period's last month; a 6-month report from
 *    15/12 of the previous year to 14/6; a yearly report from 15/12 of the previous year to
 *    14/12 (verify the article and the wording).
 *  - Circular 07/2021/TT-BNV (31/12/2021) on the reporting regime of the home-affairs sector,
 *    and the Ministry of Home Affairs' guidance 581/BNV-CCHC on CCHC reports: quarter I,
 *    6 months, quarter III and the year, on the periods above (verify both, and the due days:
 *    taken here as the 20th of the period's last month, as cchc's design notes say).
 * Quarter III (15/6–14/9) follows the quarterly rule of Art. 12 (verify). */
#include "report_period.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

static const struct report_period periods[] = {
    {"Q1", "Báo cáo quý I", 12, 15, 1, 3, 14, 3, 20},
    {"6M", "Báo cáo 6 tháng", 12, 15, 1, 6, 14, 6, 20},
    {"Q3", "Báo cáo quý III", 6, 15, 0, 9, 14, 9, 20},
    {"Y", "Báo cáo năm", 12, 15, 1, 12, 14, 12, 20},
};
#define NPERIODS (int)(sizeof periods / sizeof periods[0])

const struct report_period *report_periods(int *n)
{
    *n = NPERIODS;
    return periods;
}

const struct report_period *report_period_find(const char *code)
{
    for (int i = 0; code && i < NPERIODS; i++)
        if (!strcmp(periods[i].code, code)) return &periods[i];
    return NULL;
}

void report_period_days(const struct report_period *p, int year, int64_t *from, int64_t *to)
{
    struct ymd a = {year - p->from_prev_year, p->from_month, p->from_day};
    struct ymd b = {year, p->to_month, p->to_day};
    *from = ymd_to_days(a);
    *to = ymd_to_days(b);
}

int report_period_parse(const char *s, int64_t *from, int64_t *to, struct err *e)
{
    int y = 0, used = 0;
    if (sscanf(s, "%4d%n", &y, &used) != 1 || used != 4 || strncmp(s + 4, "-CCHC-", 6)) return -1;
    const struct report_period *p = report_period_find(s + 10);
    if (!p || y < 1900 || y > 2999)
        return err_set(e, ERR_INVALID, "period",
                       "'%s': a CCHC report period is YYYY-CCHC-Q1, -6M, -Q3 or -Y", s);
    report_period_days(p, y, from, to);
    return 0;
}
