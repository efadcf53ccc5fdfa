/* test_lunar.c — core/lunar.c against independent sources: ICU's Chinese calendar
 * (tests/data/lunar-icu.tsv, with every Vietnamese difference listed and cited in
 * lunar-vn-differs.tsv), a PyEphem UTC+7 calendar (lunar-ephem7.tsv, exceptions in
 * lunar-ephem7-differs.tsv), published dates (lunar-known.tsv); plus a round trip of every day
 * of the range, parsing/formatting, and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "lunar.h"
#include "tsv.h"

#define MAX_ROWS  3000
#define LINE_MAX_ 1024

static int64_t first_day, last_day;

/* Opens tests/data/NAME (from $CCHC_TESTDATA); fails the test if missing. */
static FILE *open_data(const char *name)
{
    const char *dir = getenv("CCHC_TESTDATA");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

static int64_t parse_day(const char *s)
{
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, "date", &e)) fail_msg("bad date in data file: %s", e.msg);
    return ymd_to_days(d);
}

/* A reference calendar: its month starts, in order. */
struct ref {
    int n;
    int64_t start[MAX_ROWS];
    struct lunar_date month[MAX_ROWS];
};

static void load_ref(const char *name, struct ref *r)
{
    FILE *f = open_data(name);
    char line[LINE_MAX_];
    r->n = 0;
    while (fgets(line, sizeof line, f)) {
        char *c[4];
        if (line[0] == '#') continue;
        assert_int_equal(tsv_split(line, c, 4), 4);
        assert_true(r->n < MAX_ROWS);
        r->start[r->n] = parse_day(c[0]);
        r->month[r->n] = (struct lunar_date){atoi(c[1]), atoi(c[2]), 1, atoi(c[3])};
        if (r->n > 0) assert_true(r->start[r->n] > r->start[r->n - 1]);
        r->n++;
    }
    fclose(f);
    /* The table must cover the whole range, or the comparison proves nothing. */
    assert_true(r->n > 2400);
    assert_true(r->start[0] == first_day);
    assert_true(r->start[r->n - 1] > last_day - 30);
}

/* The reference calendar's date of day (day within the table). */
static struct lunar_date ref_date(const struct ref *r, int64_t day, int *i)
{
    while (*i + 1 < r->n && r->start[*i + 1] <= day)
        (*i)++;
    struct lunar_date ld = r->month[*i];
    ld.d = (int)(day - r->start[*i]) + 1;
    return ld;
}

static int same(struct lunar_date a, struct lunar_date b)
{
    return a.y == b.y && a.m == b.m && a.d == b.d && a.leap == b.leap;
}

/* Expected differences: "date\tvietnamese\treference" keys, each seen at most once. */
struct differs {
    int n;
    char key[MAX_ROWS][96];
    int seen[MAX_ROWS];
};

static void load_differs(const char *name, struct differs *dv)
{
    FILE *f = open_data(name);
    char line[LINE_MAX_];
    dv->n = 0;
    while (fgets(line, sizeof line, f)) {
        char *c[4];
        if (line[0] == '#' || line[0] == '\n') continue;
        if (tsv_split(line, c, 4) != 4 || !c[3][0])
            fail_msg("%s: row without date, two lunar dates and a source: %s", name, c[0]);
        assert_true(dv->n < MAX_ROWS);
        snprintf(dv->key[dv->n], sizeof dv->key[0], "%s\t%s\t%s", c[0], c[1], c[2]);
        dv->seen[dv->n++] = 0;
    }
    fclose(f);
}

/* Compares core/lunar.c with a reference table at every day that starts a month in either;
 * every difference must be listed in the differs file and every listed row must occur. */
static void compare_with(const char *table, const char *differs_file)
{
    static struct ref r;
    static struct differs dv;
    load_ref(table, &r);
    load_differs(differs_file, &dv);
    int i = 0, unlisted = 0, checked = 0;
    for (int64_t day = first_day; day <= last_day; day++) {
        struct lunar_date vn, ref = ref_date(&r, day, &i);
        assert_int_equal(lunar_from_day(day, &vn, NULL), 0);
        if (vn.d != 1 && ref.d != 1) continue;
        checked++;
        if (same(vn, ref)) {
            int64_t back;
            assert_int_equal(lunar_to_day(ref, &back, NULL), 0);
            assert_true(back == day);
            continue;
        }
        char key[96], a[LUNAR_FORMAT_MAX], b[LUNAR_FORMAT_MAX], s[11];
        snprintf(key, sizeof key, "%s\t%s\t%s", day_format(day, s), lunar_format(vn, a, sizeof a),
                 lunar_format(ref, b, sizeof b));
        int k = 0;
        while (k < dv.n && strcmp(dv.key[k], key))
            k++;
        if (k < dv.n) {
            dv.seen[k]++;
            continue;
        }
        print_message("%s: difference not listed: %s\n", differs_file, key);
        unlisted++;
    }
    int stale = 0;
    for (int k = 0; k < dv.n; k++)
        if (!dv.seen[k]) {
            print_message("%s: listed difference does not occur: %s\n", differs_file, dv.key[k]);
            stale++;
        }
    assert_true(checked >= r.n);
    assert_int_equal(unlisted, 0);
    assert_int_equal(stale, 0);
}

static void against_icu(void **state)
{
    (void)state;
    compare_with("lunar-icu.tsv", "lunar-vn-differs.tsv");
}

static void against_ephemeris(void **state)
{
    (void)state;
    compare_with("lunar-ephem7.tsv", "lunar-ephem7-differs.tsv");
}

static void check_known_row(char **c, int line)
{
    struct err e = {0};
    if (!strcmp(c[0], "day")) {
        int64_t day = parse_day(c[1]), back;
        struct lunar_date ld, parsed;
        char buf[LUNAR_FORMAT_MAX];
        assert_int_equal(lunar_from_day(day, &ld, &e), 0);
        if (strcmp(lunar_format(ld, buf, sizeof buf), c[2]))
            fail_msg("lunar-known.tsv:%d: %s is %s here, %s per source", line, c[1], buf, c[2]);
        assert_int_equal(lunar_parse(c[2], &parsed, "date", &e), 0);
        assert_int_equal(lunar_to_day(parsed, &back, &e), 0);
        assert_true(back == day);
    } else if (!strcmp(c[0], "leap")) {
        int leap;
        assert_int_equal(lunar_leap_month(atoi(c[1]), &leap, &e), 0);
        if (leap != atoi(c[2]))
            fail_msg("lunar-known.tsv:%d: leap month of %s is %d here, %s per source", line, c[1],
                     leap, c[2]);
    } else if (!strcmp(c[0], "days")) {
        char date[64];
        struct lunar_date ld;
        int n;
        snprintf(date, sizeof date, "1/%s", c[1]);
        assert_int_equal(lunar_parse(date, &ld, "date", &e), 0);
        assert_int_equal(lunar_month_days(ld.y, ld.m, ld.leap, &n, &e), 0);
        if (n != atoi(c[2]))
            fail_msg("lunar-known.tsv:%d: month %s has %d days here, %s per source", line, c[1], n,
                     c[2]);
    } else {
        fail_msg("lunar-known.tsv:%d: unknown kind '%s'", line, c[0]);
    }
}

static void known_dates(void **state)
{
    (void)state;
    FILE *f = open_data("lunar-known.tsv");
    char line[LINE_MAX_];
    int lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        char *c[5];
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (tsv_split(line, c, 5) != 5 || !c[4][0])
            fail_msg("lunar-known.tsv:%d: needs kind, a, b, what and a source", lineno);
        check_known_row(c, lineno);
        rows++;
    }
    fclose(f);
    assert_true(rows >= 40);
}

/* Every day of the range: solar -> lunar -> solar, lunar -> text -> lunar, and the lunar
 * date advances by one day or starts a new month of 29 or 30 days. */
static void round_trip_every_day(void **state)
{
    (void)state;
    struct lunar_date prev = {0};
    int months = 0;
    for (int64_t day = first_day; day <= last_day; day++) {
        struct lunar_date ld, parsed;
        int64_t back;
        char buf[LUNAR_FORMAT_MAX];
        assert_int_equal(lunar_from_day(day, &ld, NULL), 0);
        assert_int_equal(lunar_to_day(ld, &back, NULL), 0);
        assert_true(back == day);
        assert_int_equal(lunar_parse(lunar_format(ld, buf, sizeof buf), &parsed, "d", NULL), 0);
        assert_true(same(parsed, ld));
        if (day == first_day) {
            assert_true(same(ld, (struct lunar_date){1900, 1, 1, 0}));
        } else if (ld.d == 1) {
            assert_true(prev.d == 29 || prev.d == 30);
            assert_true(ld.leap ? ld.m == prev.m && !prev.leap
                                : ld.m == prev.m % 12 + 1 && ld.y == prev.y + (ld.m == 1));
            months++;
        } else {
            assert_true(ld.d == prev.d + 1 && ld.m == prev.m && ld.y == prev.y &&
                        ld.leap == prev.leap);
        }
        prev = ld;
    }
    assert_in_range(months, 2480, 2490);
}

/* Each lunar year 1900..2100 has 12 months, or 13 with exactly one leap month. */
static void year_structure(void **state)
{
    (void)state;
    int leap_years = 0;
    for (int y = 1900; y <= 2100; y++) {
        int leap, n, total = 0;
        int64_t ny, next;
        assert_int_equal(lunar_leap_month(y, &leap, NULL), 0);
        assert_int_equal(lunar_new_year(y, &ny, NULL), 0);
        for (int m = 1; m <= 12; m++) {
            assert_int_equal(lunar_month_days(y, m, 0, &n, NULL), 0);
            total += n;
        }
        if (leap) {
            assert_int_equal(lunar_month_days(y, leap, 1, &n, NULL), 0);
            total += n;
            leap_years++;
        }
        if (y < 2100) {
            assert_int_equal(lunar_new_year(y + 1, &next, NULL), 0);
            assert_true(next - ny == total);
        }
        /* Tết falls between 21 January and 20 February. */
        struct ymd t = days_to_ymd(ny);
        assert_true((t.m == 1 && t.d >= 21) || (t.m == 2 && t.d <= 20));
    }
    assert_in_range(leap_years, 72, 76); /* 7 in 19 years */
}

static void expect_fail(int rc, int code, const struct err *e, const char *msg)
{
    assert_int_equal(rc, code);
    if (!strstr(e->msg, msg)) fail_msg("message '%s' lacks '%s'", e->msg, msg);
}

static void range_limits(void **state)
{
    (void)state;
    struct err e = {0};
    struct lunar_date ld;
    int64_t day;
    int n;
    expect_fail(lunar_from_day(first_day - 1, &ld, &e), ERR_RANGE, &e,
                "1900-01-30: outside the supported range 1900-01-31..2100-12-31");
    expect_fail(lunar_from_day(last_day + 1, &ld, &e), ERR_RANGE, &e, "2101-01-01: outside");
    expect_fail(lunar_from_day(INT64_MIN / 2, &ld, &e), ERR_RANGE, &e, "outside");
    assert_int_equal(lunar_from_day(last_day, &ld, &e), 0);
    assert_true(same(ld, (struct lunar_date){2100, 12, 1, 0}));
    expect_fail(lunar_new_year(1899, &day, &e), ERR_RANGE, &e, "1/1/1899: lunar year must be");
    expect_fail(lunar_new_year(2101, &day, &e), ERR_RANGE, &e, "1/1/2101: lunar year must be");
    assert_int_equal(lunar_new_year(1900, &day, &e), 0);
    assert_true(day == first_day);
    expect_fail(lunar_to_day((struct lunar_date){2100, 12, 2, 0}, &day, &e), ERR_RANGE, &e,
                "2/12/2100: falls on 2101-01-01, after the supported end 2100-12-31");
    expect_fail(lunar_to_day((struct lunar_date){1899, 12, 1, 0}, &day, &e), ERR_RANGE, &e, "1899");
    expect_fail(lunar_leap_month(1899, &n, &e), ERR_RANGE, &e, "1899: lunar year must be");
    expect_fail(lunar_month_days(2101, 1, 0, &n, &e), ERR_RANGE, &e, "lunar year must be");
}

static void nonexistent_dates(void **state)
{
    (void)state;
    struct err e = {0};
    int64_t day;
    int n;
    expect_fail(lunar_to_day((struct lunar_date){2024, 12, 30, 0}, &day, &e), ERR_INVALID, &e,
                "30/12/2024: lunar month 12 of 2024 has 29 days");
    expect_fail(lunar_to_day((struct lunar_date){2024, 3, 1, 1}, &day, &e), ERR_INVALID, &e,
                "1/3 nhuận/2024: 2024 has no leap month 3 (its leap month: none)");
    expect_fail(lunar_to_day((struct lunar_date){2023, 3, 1, 1}, &day, &e), ERR_INVALID, &e,
                "1/3 nhuận/2023: 2023 has no leap month 3 (its leap month: 2)");
    expect_fail(lunar_to_day((struct lunar_date){2023, 2, 30, 1}, &day, &e), ERR_INVALID, &e,
                "30/2 nhuận/2023: lunar month 2 nhuận of 2023 has 29 days");
    expect_fail(lunar_to_day((struct lunar_date){2024, 13, 1, 0}, &day, &e), ERR_INVALID, &e,
                "1/13/2024: lunar month must be 1..12");
    expect_fail(lunar_to_day((struct lunar_date){2024, 0, 1, 0}, &day, &e), ERR_INVALID, &e,
                "lunar month must be 1..12");
    expect_fail(lunar_to_day((struct lunar_date){2024, 1, 0, 0}, &day, &e), ERR_INVALID, &e,
                "0/1/2024: lunar month 1 of 2024 has");
    expect_fail(lunar_to_day((struct lunar_date){2024, 1, 31, 0}, &day, &e), ERR_INVALID, &e,
                "31/1/2024: lunar month 1 of 2024 has");
    expect_fail(lunar_month_days(2024, 5, 1, &n, &e), ERR_INVALID, &e, "no leap month 5");
    /* A failed call leaves the output untouched. */
    day = 42;
    assert_int_not_equal(lunar_to_day((struct lunar_date){2024, 12, 30, 0}, &day, NULL), 0);
    assert_true(day == 42);
}

static void parse_good(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        struct lunar_date want;
    } cases[] = {
        {"1/1/2024", {2024, 1, 1, 0}},
        {"01/01/2024", {2024, 1, 1, 0}},
        {"10/3/2025", {2025, 3, 10, 0}},
        {"1/2 nhuận/2023", {2023, 2, 1, 1}},
        {"1/2 nhuan/2023", {2023, 2, 1, 1}},
        {"29/6 NHUẬN/2025", {2025, 6, 29, 1}},               /* case-folded */
        {"1/2 nhua\xcc\xa3\xcc\x82n/2023", {2023, 2, 1, 1}}, /* NFD input */
        {"30/12/2020", {2020, 12, 30, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lunar_date ld;
        struct err e = {0};
        if (lunar_parse(cases[i].in, &ld, "date", &e)) fail_msg("%s: %s", cases[i].in, e.msg);
        assert_true(same(ld, cases[i].want));
    }
    char buf[LUNAR_FORMAT_MAX];
    assert_string_equal(lunar_format((struct lunar_date){2023, 2, 1, 1}, buf, sizeof buf),
                        "1/2 nhuận/2023");
    assert_string_equal(lunar_format((struct lunar_date){2024, 12, 29, 0}, buf, sizeof buf),
                        "29/12/2024");
    char tiny[5];
    assert_string_equal(lunar_format((struct lunar_date){2024, 12, 29, 0}, tiny, sizeof tiny),
                        "29/1");
}

static void parse_bad(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int code;
        const char *msg;
    } cases[] = {
        {"", ERR_INVALID, "date '': expected a lunar date D/M/YYYY or D/M nhuận/YYYY"},
        {"garbage", ERR_INVALID, "date 'garbage': expected a lunar date"},
        {"2024-02-10", ERR_INVALID, "expected a lunar date"},
        {"1/1/24", ERR_INVALID, "expected a lunar date"},
        {"1/1/20245", ERR_INVALID, "expected a lunar date"},
        {"1/1/2024 ", ERR_INVALID, "expected a lunar date"},
        {" 1/1/2024", ERR_INVALID, "expected a lunar date"},
        {"123/1/2024", ERR_INVALID, "expected a lunar date"},
        {"1/2 leap/2023", ERR_INVALID, "expected a lunar date"},
        {"1/2nhuận/2023", ERR_INVALID, "expected a lunar date"},
        {"1/2  nhuận/2023", ERR_INVALID, "expected a lunar date"},
        {"-1/2/2023", ERR_INVALID, "expected a lunar date"},
        {"1/2/2023\xff", ERR_INVALID, "date: not valid UTF-8"},
        {"30/12/2024", ERR_INVALID, "30/12/2024: lunar month 12 of 2024 has 29 days"},
        {"1/3 nhuận/2024", ERR_INVALID,
         "1/3 nhuận/2024: 2024 has no leap month 3 (its leap month: none)"},
        {"1/3 nhuan/2024", ERR_INVALID, "1/3 nhuận/2024: 2024 has no leap month 3"},
        {"0/1/2024", ERR_INVALID, "0/1/2024: lunar month 1 of 2024 has"},
        {"1/0/2024", ERR_INVALID, "1/0/2024: lunar month must be 1..12"},
        {"1/13/2024", ERR_INVALID, "lunar month must be 1..12"},
        {"1/1/1899", ERR_RANGE, "1/1/1899: lunar year must be 1900..2100"},
        {"15/12/2100", ERR_RANGE, "15/12/2100: falls on 2101-01-14, after the supported end"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lunar_date ld = {7, 7, 7, 7};
        struct err e = {0};
        int rc = lunar_parse(cases[i].in, &ld, "date", &e);
        if (rc != cases[i].code || !strstr(e.msg, cases[i].msg))
            fail_msg("'%s': got %d '%s', want %d '%s'", cases[i].in, rc, e.msg, cases[i].code,
                     cases[i].msg);
        assert_string_equal(e.field, "date");
        assert_true(same(ld, (struct lunar_date){7, 7, 7, 7})); /* untouched on failure */
    }
    struct lunar_date ld;
    assert_int_equal(lunar_parse(NULL, &ld, "date", NULL), ERR_INVALID);
}

static void *convert_in_thread(void *arg)
{
    struct lunar_date ld;
    int64_t day = *(int64_t *)arg;
    return (void *)(intptr_t)(lunar_from_day(day, &ld, NULL) == 0 && ld.y == 2024 && ld.m == 1 &&
                              ld.d == 1);
}

/* Runs first, so the table is built while several threads ask for it at once. */
static void first_use_from_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    int64_t tet = ymd_to_days((struct ymd){2024, 2, 10});
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, convert_in_thread, &tet), 0);
    for (int i = 0; i < 4; i++) {
        void *ok;
        assert_int_equal(pthread_join(t[i], &ok), 0);
        assert_true(ok != NULL);
    }
}

int main(void)
{
    first_day = ymd_to_days((struct ymd){1900, 1, 31});
    last_day = ymd_to_days((struct ymd){2100, 12, 31});
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_use_from_threads),
        cmocka_unit_test(against_icu),
        cmocka_unit_test(against_ephemeris),
        cmocka_unit_test(known_dates),
        cmocka_unit_test(round_trip_every_day),
        cmocka_unit_test(year_structure),
        cmocka_unit_test(range_limits),
        cmocka_unit_test(nonexistent_dates),
        cmocka_unit_test(parse_good),
        cmocka_unit_test(parse_bad),
    };
    return cmocka_run_group_tests_name("lunar", tests, NULL, NULL);
}
