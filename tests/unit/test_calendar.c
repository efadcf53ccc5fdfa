/* test_calendar.c — the working-day calendar against hand-worked tables: deadlines
 * (tests/data/deadlines.tsv), announced days-off periods (tests/data/calendar-announced.tsv),
 * the statutory holidays every decision file must list, the O(1) tables against a day-by-day
 * count, and malformed data files (tests/data/calendar-bad/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "lunar.h"
#include "tsv.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v) fail_msg("environment variable %s is not set (run through ctest)", name);
    return v;
}

static struct calendar *load_shipped(void)
{
    struct calendar *cal = NULL;
    struct err e = {0};
    if (calendar_load(env("CCHC_DATA"), 2013, 2100, NULL, &cal, &e))
        fail_msg("calendar_load: %s", e.msg);
    return cal;
}

/* Opens a tests/data file; lines are read with read_row. */
static FILE *open_testdata(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", env("CCHC_TESTDATA"), name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

/* Next data row split on tabs (comments and blank lines skipped); returns field count. */
static int read_row(FILE *f, char *buf, size_t n, char **fld, int max)
{
    while (fgets(buf, (int)n, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0] || buf[0] == '#') continue;
        return tsv_split(buf, fld, max);
    }
    return 0;
}

static void test_deadline_table(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    FILE *f = open_testdata("deadlines.tsv");
    char line[1024], *fld[6];
    int rows = 0, failures = 0;
    while (read_row(f, line, sizeof line, fld, 6) >= 4) {
        int64_t from, due, want;
        struct err e = {0};
        assert_int_equal(instant_parse(fld[0], &from, "from", &e), 0);
        assert_int_equal(instant_parse(fld[3], &want, "expected", &e), 0);
        int n = atoi(fld[2]);
        int rc = !strcmp(fld[1], "days")
                     ? calendar_add_working_days(cal, from, n, &due, &e)
                     : calendar_add_working_minutes(cal, from, n * 60, &due, &e);
        char got[17];
        if (rc || due != want) {
            print_error("deadline %s + %s %s: got %s (%s), want %s (%s)\n", fld[0], fld[2], fld[1],
                        rc ? "error" : instant_format(due, got), e.msg, fld[3], fld[4]);
            failures++;
        }
        rows++;
    }
    fclose(f);
    calendar_free(cal);
    assert_true(rows >= 20);
    assert_int_equal(failures, 0);
}

/* Every announced "days off from … to …" period is off, and is bounded by working days. */
static void test_announced_periods(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    FILE *f = open_testdata("calendar-announced.tsv");
    char line[2048], *fld[5];
    int rows = 0, failures = 0;
    while (read_row(f, line, sizeof line, fld, 5) >= 3) {
        struct ymd a, b;
        struct err e = {0};
        assert_int_equal(ymd_parse(fld[0], &a, "first", &e), 0);
        assert_int_equal(ymd_parse(fld[1], &b, "last", &e), 0);
        int64_t d0 = ymd_to_days(a), d1 = ymd_to_days(b);
        for (int64_t d = d0; d <= d1; d++)
            if (calendar_is_working(cal, d)) {
                char buf[11];
                print_error("%s (%s) should be a day off, is a working day\n", day_format(d, buf),
                            fld[2]);
                failures++;
            }
        if (!calendar_is_working(cal, d0 - 1) || !calendar_is_working(cal, d1 + 1)) {
            print_error("period %s..%s (%s) is not bounded by working days\n", fld[0], fld[1],
                        fld[2]);
            failures++;
        }
        rows++;
    }
    fclose(f);
    calendar_free(cal);
    assert_true(rows >= 20);
    assert_int_equal(failures, 0);
}

/* The years without a decision file that deadlines may reach: this year, and the next one
 * from 1 October (the shipped files end with 2026). */
static void test_years_without_decision(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    int years[2] = {0, 0};
    assert_int_equal(
        calendar_years_without_decision(cal, ymd_to_days((struct ymd){2026, 6, 1}), years), 0);
    assert_int_equal(
        calendar_years_without_decision(cal, ymd_to_days((struct ymd){2026, 9, 30}), years), 0);
    assert_int_equal(
        calendar_years_without_decision(cal, ymd_to_days((struct ymd){2026, 10, 1}), years), 1);
    assert_int_equal(years[0], 2027);
    assert_int_equal(
        calendar_years_without_decision(cal, ymd_to_days((struct ymd){2027, 11, 2}), years), 2);
    assert_int_equal(years[0], 2027);
    assert_int_equal(years[1], 2028);
    /* past the calendar's last year nothing is reported */
    assert_int_equal(
        calendar_years_without_decision(cal, ymd_to_days((struct ymd){2100, 12, 1}), years), 1);
    assert_int_equal(years[0], 2100);
    calendar_free(cal);
}

/* Each decision file must list the fixed-date statutory holidays of its year (solar and
 * lunar rules of statutory.tsv), so a forgotten 30/4 cannot pass unnoticed. */
static void test_decision_files_list_statutory_days(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    char path[4096], line[2048], *fld[7];
    snprintf(path, sizeof path, "%s/calendar/statutory.tsv", env("CCHC_DATA"));
    int checked = 0, failures = 0;
    for (int y = 2013; y <= 2100; y++) {
        if (!calendar_year_has_decision(cal, y)) continue;
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        while (read_row(f, line, sizeof line, fld, 7) >= 6) {
            int from = atoi(fld[0]), to = strcmp(fld[1], "-") ? atoi(fld[1]) : 9999;
            if (y < from || y > to) continue;
            int m = atoi(fld[3]), d = atoi(fld[3] + 3);
            int64_t day;
            if (!strcmp(fld[2], "solar")) {
                day = ymd_to_days((struct ymd){y, m, d});
            } else if (!strcmp(fld[2], "lunar")) {
                struct err e;
                assert_int_equal(lunar_to_day((struct lunar_date){y, m, d, 0}, &day, &e), 0);
            } else {
                continue;
            }
            enum day_kind k;
            calendar_day(cal, day, &k, NULL, NULL, NULL);
            checked++;
            if (k != DAY_HOLIDAY) {
                char buf[11];
                print_error("data/calendar/%d.tsv: %s (%s) is '%s', not listed as a holiday\n", y,
                            day_format(day, buf), fld[4], day_kind_name(k));
                failures++;
            }
        }
        fclose(f);
    }
    calendar_free(cal);
    assert_true(checked > 0);
    assert_int_equal(failures, 0);
}

/* The compiled tables against a plain day-by-day walk, over every day of 2019–2030. */
static void test_tables_match_day_by_day(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    int64_t d0 = ymd_to_days((struct ymd){2019, 1, 1}), d1 = ymd_to_days((struct ymd){2030, 1, 1});
    for (int64_t d = d0; d < d1; d += 3) {
        for (int n = 0; n <= 40; n += 7) {
            int64_t due;
            struct err e;
            assert_int_equal(calendar_add_working_days(cal, d * 1440 + 600, n, &due, &e), 0);
            int64_t x = d;
            int left = n;
            if (n == 0)
                while (!calendar_is_working(cal, x))
                    x++;
            while (left > 0) {
                x++;
                if (calendar_is_working(cal, x)) left--;
            }
            assert_int_equal(due, x * 1440 + 17 * 60);
            int64_t between;
            assert_int_equal(calendar_working_days_between(cal, d, x, &between, &e), 0);
            if (n > 0) assert_int_equal(between, n);
        }
    }
    calendar_free(cal);
}

/* Adding working minutes then measuring them back gives the same amount. */
static void test_minutes_round_trip(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    int64_t base = ymd_to_days((struct ymd){2024, 1, 1}) * 1440;
    for (int64_t t = base; t < base + 60 * 1440; t += 97) {
        for (int64_t m = 1; m < 6000; m += 331) {
            int64_t due, back, from_pos;
            struct err e;
            assert_int_equal(calendar_add_working_minutes(cal, t, m, &due, &e), 0);
            assert_int_equal(calendar_working_minutes_between(cal, t, due, &back, &e), 0);
            assert_int_equal(back, m);
            /* due is the earliest such instant: one minute earlier is short of m. */
            assert_int_equal(calendar_working_minutes_between(cal, t, due - 1, &from_pos, &e), 0);
            assert_int_equal(from_pos, m - 1);
        }
    }
    calendar_free(cal);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct calendar *cal = load_shipped();
    int64_t due, from = ymd_to_days((struct ymd){2024, 3, 4}) * 1440;
    struct err e = {0};
    assert_int_equal(calendar_add_working_days(cal, from, -1, &due, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "days -1"));
    assert_int_equal(calendar_add_working_minutes(cal, from, -5, &due, &e), ERR_INVALID);
    assert_int_equal(calendar_add_working_days(cal, ymd_to_days((struct ymd){2100, 12, 20}) * 1440,
                                               30, &due, &e),
                     ERR_RANGE);
    assert_non_null(strstr(e.msg, "outside the compiled calendar"));
    assert_int_equal(
        calendar_add_working_days(cal, ymd_to_days((struct ymd){2012, 5, 1}) * 1440, 1, &due, &e),
        ERR_RANGE);
    struct office_hours h;
    assert_int_equal(office_hours_parse("08:00-12:00,13:00-17:00", &h, &e), 0);
    assert_int_equal(h.n, 2);
    assert_int_equal(office_hours_parse("12:00-08:00", &h, &e), ERR_INVALID);
    assert_int_equal(office_hours_parse("08:00-12:00,11:00-17:00", &h, &e), ERR_INVALID);
    assert_int_equal(office_hours_parse("8:00-12:00", &h, &e), ERR_INVALID);
    assert_int_equal(office_hours_parse("", &h, &e), ERR_INVALID);
    calendar_free(cal);
}

/* tests/data/calendar-bad/CASE/calendar/… is a malformed data directory; CASE/expected holds
 * a piece of the error message it must produce (with its file and line). */
static void test_malformed_data(void **state)
{
    (void)state;
    static const char *const cases[] = {"bad-kind",        "bad-date",  "wrong-year",
                                        "workday-weekday", "duplicate", "field-count",
                                        "bad-rule",        "bad-value", "swap-weekend"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[4096], path[4200], want[512] = "";
        snprintf(dir, sizeof dir, "%s/calendar-bad/%s", env("CCHC_TESTDATA"), cases[i]);
        snprintf(path, sizeof path, "%s/expected", dir);
        FILE *f = fopen(path, "r");
        if (!f) fail_msg("missing %s", path);
        if (!fgets(want, sizeof want, f)) want[0] = '\0';
        fclose(f);
        want[strcspn(want, "\n")] = '\0';
        struct calendar *cal = NULL;
        struct err e = {0};
        int rc = calendar_load(dir, 2024, 2024, NULL, &cal, &e);
        if (rc == 0 || !strstr(e.msg, want))
            fail_msg("case %s: rc %d, message '%s', want it to contain '%s'", cases[i], rc, e.msg,
                     want);
        assert_null(cal);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_table),
        cmocka_unit_test(test_announced_periods),
        cmocka_unit_test(test_decision_files_list_statutory_days),
        cmocka_unit_test(test_years_without_decision),
        cmocka_unit_test(test_tables_match_day_by_day),
        cmocka_unit_test(test_minutes_round_trip),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_malformed_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
