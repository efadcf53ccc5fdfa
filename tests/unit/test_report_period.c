/* test_report_period.c — the periodic CCHC report calendar (src/core/report_period.c) through
 * `--period`'s parser: each report's data period, bad codes, and the table against its cited
 * data file data/reporting/cchc-report-periods.tsv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "report_period.h"
#include "stats.h"
#include "tsv.h"

static void range(const char *period, const char *from, const char *to)
{
    int64_t a, b;
    struct err e = {0};
    if (stats_period_parse(period, &a, &b, &e)) fail_msg("%s: %s", period, e.msg);
    char x[16], y[16];
    day_format(a, x);
    day_format(b, y);
    if (strcmp(x, from) || strcmp(y, to))
        fail_msg("%s: %s..%s, expected %s..%s", period, x, y, from, to);
}

static void periods(void **state)
{
    (void)state;
    range("2026-CCHC-Q1", "2025-12-15", "2026-03-14");
    range("2026-CCHC-6M", "2025-12-15", "2026-06-14");
    range("2026-CCHC-Q3", "2026-06-15", "2026-09-14");
    range("2026-CCHC-Y", "2025-12-15", "2026-12-14");
    range("2024-CCHC-Q1", "2023-12-15", "2024-03-14"); /* a leap year changes nothing */
    /* the calendar quarters are still what they were */
    range("2026-Q1", "2026-01-01", "2026-03-31");
    int64_t a, b;
    struct err e = {0};
    assert_int_equal(stats_period_parse("2026-CCHC-Q2", &a, &b, &e), ERR_INVALID);
    assert_string_equal(e.field, "period");
    assert_non_null(strstr(e.msg, "YYYY-CCHC-Q1"));
    assert_int_equal(stats_period_parse("2026-CCHC-", &a, &b, &e), ERR_INVALID);
    assert_int_equal(stats_period_parse("2026-CCHX-Q1", &a, &b, &e), ERR_INVALID);
}

static void table_matches_data_file(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_DATA");
    snprintf(path, sizeof path, "%s/reporting/cchc-report-periods.tsv", dir ? dir : CCHC_DATA_DIR);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[512];
    int rows = 0, n;
    const struct report_period *p = report_periods(&n);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[6];
        assert_int_equal(tsv_split(line, c, 6), 6);
        assert_true(rows < n);
        const struct report_period *r = &p[rows++];
        char from[16], to[16], due[16];
        snprintf(from, sizeof from, "%s%02d-%02d", r->from_prev_year ? "prev-" : "", r->from_month,
                 r->from_day);
        snprintf(to, sizeof to, "%02d-%02d", r->to_month, r->to_day);
        snprintf(due, sizeof due, "%02d-%02d", r->due_month, r->due_day);
        assert_string_equal(c[0], r->code);
        assert_string_equal(c[1], r->label);
        assert_string_equal(c[2], from);
        assert_string_equal(c[3], to);
        assert_string_equal(c[4], due);
    }
    fclose(f);
    assert_int_equal(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(periods),
                                       cmocka_unit_test(table_matches_data_file)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
