/* fuzz_dates.c — libFuzzer target: the text parsers of dates, instants, periods and codes
 * (date.c, lunar.c, stats.c, calendar.c, dossier.c, par.c, the API's instant). Each must
 * refuse or accept without reading past the string; what it accepts must be sane (a day
 * formats back to the same text, a period does not end before it starts). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "dossier.h"
#include "http.h"
#include "lunar.h"
#include "par.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1); /* exactly sized: ASan sees any read past the NUL */
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    struct err e = {0};
    struct ymd d;
    if (!ymd_parse(s, &d, "date", &e)) {
        char buf[16];
        if (strcmp(day_format(ymd_to_days(d), buf), s)) abort(); /* YYYY-MM-DD round trip */
    }
    int64_t t, from, to;
    instant_parse(s, &t, "at", &e);
    parse_instant_local(s, &t, "at", &e);
    if (!stats_period_parse(s, &from, &to, &e) && to < from) abort();
    struct lunar_date ld;
    if (!lunar_parse(s, &ld, "lunar", &e)) {
        int64_t day;
        lunar_to_day(ld, &day, &e);
    }
    struct office_hours oh;
    office_hours_parse(s, &oh, &e);
    struct dossier_code dc;
    dossier_code_parse(s, &dc, &e);
    struct par_rule rule;
    par_rule_parse(s, &rule, "rule", &e);
    par_pts p;
    par_decimal_parse(s, 2, 1, &p, "max", &e);
    free(s);
    return 0;
}
