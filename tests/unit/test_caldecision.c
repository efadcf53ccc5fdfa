/* test_caldecision.c — the rules of a calendar decision recorded in the database
 * (caldec_check, src/core/caldecision.c), table-driven: each case breaks one rule and must be
 * refused with its field, error code and rule text, the valid ones pass; and the overlay: a
 * swap and a holiday laid over the shipped calendar move a deadline as worked by hand, and
 * leave the file calendar as it was. Today is fixed at Sunday 6/12/2026. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "caldecision.h"
#include "calendar.h"
#include "date.h"

static struct calendar *cal;

static int64_t day(const char *s)
{
    struct ymd d;
    if (ymd_parse(s, &d, "day", NULL)) fail_msg("day %s", s);
    return ymd_to_days(d);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    return calendar_load(dir ? dir : CCHC_DATA_DIR, 2026, 2027, NULL, &cal, &e);
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

/* One case: a decision of up to two changes, "kind day [work_day]" each. */
struct ccase {
    const char *what;
    const char *citation, *issuer, *signed_on, *effective;
    const char *ch[2]; /* "holiday 2026-12-07" / "swap 2026-12-07 2026-12-12"; NULL: none */
    const char *name;  /* of every change */
    int code;          /* 0: accepted */
    const char *field, *text;
};

static const struct ccase cases[] = {
    {"a holiday on a Monday",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", NULL},
     "Nghỉ",
     0,
     NULL,
     NULL},
    {"a swap: Monday off, Saturday worked",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-02",
     {"swap 2026-12-07 2026-12-12", NULL},
     "Nghỉ hoán đổi",
     0,
     NULL,
     NULL},
    {"a swap and a holiday, today itself",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-06",
     "2026-12-06",
     {"swap 2026-12-07 2026-12-13", "holiday 2026-12-08"},
     "Nghỉ",
     0,
     NULL,
     NULL},
    {"no citation",
     "",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", NULL},
     "Nghỉ",
     ERR_INVALID,
     "citation",
     "citation: the decision's number"},
    {"no issuer",
     "TB 1",
     "",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", NULL},
     "Nghỉ",
     ERR_INVALID,
     "issuer",
     "issuer: who signed"},
    {"in effect before signed",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-11-30",
     {"holiday 2026-12-07", NULL},
     "Nghỉ",
     ERR_INVALID,
     "effective",
     "effective '2026-11-30': before the day the decision was signed (2026-12-01)"},
    {"no change",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {NULL, NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes",
     "0 changes: a decision lists 1 to 16"},
    {"no name",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", NULL},
     "",
     ERR_INVALID,
     "changes[0].name",
     "the day's name must be given"},
    {"a Saturday made a holiday",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-12", NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes[0].day",
     "changes[0].day '2026-12-12': not a working day (a Saturday or Sunday"},
    {"a public holiday made a holiday",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", "holiday 2027-01-01"},
     "Nghỉ",
     ERR_INVALID,
     "changes[1].day",
     "changes[1].day '2027-01-01': not a working day (already a public holiday)"},
    {"a past day",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-04", NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes[0].day",
     "'2026-12-04': a day already past (today is 2026-12-06)"},
    {"outside the calendar",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2028-01-04", NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes[0].day",
     "outside the calendar's years"},
    {"a weekday worked instead",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"swap 2026-12-07 2026-12-08", NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes[0].work_day",
     "changes[0].work_day '2026-12-08': a weekday; the day worked instead must be a Saturday"},
    {"a Saturday holiday worked instead",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"swap 2027-05-04 2027-05-01", NULL},
     "Nghỉ",
     ERR_INVALID,
     "changes[0].work_day",
     "'2027-05-01': not a weekly rest day (holiday)"},
    {"a day twice",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-07", "swap 2026-12-07 2026-12-12"},
     "Nghỉ",
     ERR_INVALID,
     "changes",
     "day '2026-12-07': given twice"},
    {"the worked day twice",
     "TB 1",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"swap 2026-12-07 2026-12-12", "swap 2026-12-08 2026-12-12"},
     "Nghỉ",
     ERR_INVALID,
     "changes",
     "day '2026-12-12': given twice"},
    {"a day another decision changed",
     "TB 2",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-09", NULL},
     "Nghỉ",
     ERR_CONFLICT,
     "changes",
     "day '2026-12-09': already changed by TB 9"},
    {"a citation recorded",
     "TB 9",
     "Bộ Nội vụ",
     "2026-12-01",
     "2026-12-01",
     {"holiday 2026-12-10", NULL},
     "Nghỉ",
     ERR_CONFLICT,
     "citation",
     "citation 'TB 9': already recorded"},
};

static void build(const struct ccase *c, struct caldec *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->citation, sizeof d->citation, "%s", c->citation);
    snprintf(d->issuer, sizeof d->issuer, "%s", c->issuer);
    d->signed_on = day(c->signed_on);
    d->effective = day(c->effective);
    for (int i = 0; i < 2 && c->ch[i]; i++) {
        char kind[16], a[11], b[11] = "";
        int n = sscanf(c->ch[i], "%15s %10s %10s", kind, a, b);
        struct caldec_change *x = &d->ch[d->n++];
        assert_int_equal(caldec_kind_parse(kind, &x->kind, "kind", NULL), 0);
        x->day = day(a);
        x->work_day = n == 3 ? day(b) : -1;
        snprintf(x->name, sizeof x->name, "%s", c->name);
    }
}

static void test_rules(void **state)
{
    (void)state;
    /* a decision already recorded: TB 9, holiday Wednesday 9/12/2026 */
    struct caldec other;
    memset(&other, 0, sizeof other);
    snprintf(other.citation, sizeof other.citation, "TB 9");
    snprintf(other.issuer, sizeof other.issuer, "Bộ Nội vụ");
    other.signed_on = other.effective = day("2026-12-01");
    other.n = 1;
    other.ch[0] = (struct caldec_change){CALDEC_HOLIDAY, day("2026-12-09"), -1, "Nghỉ"};
    struct calendar *in_force = NULL;
    assert_int_equal(caldec_overlay(cal, &other, 1, &in_force, NULL), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct ccase *c = &cases[i];
        struct caldec d;
        build(c, &d);
        struct err e = {0};
        int rc = caldec_check(&d, in_force, &other, 1, day("2026-12-06"), &e);
        if (rc != c->code) fail_msg("%s: code %d, expected %d (%s)", c->what, rc, c->code, e.msg);
        if (!c->code) continue;
        if (strcmp(e.field, c->field))
            fail_msg("%s: field '%s', expected '%s' (%s)", c->what, e.field, c->field, e.msg);
        if (!strstr(e.msg, c->text))
            fail_msg("%s: message '%s' lacks '%s'", c->what, e.msg, c->text);
    }
    calendar_free(in_force);
}

static void test_kind_parse(void **state)
{
    (void)state;
    enum caldec_kind k;
    struct err e = {0};
    assert_int_equal(caldec_kind_parse("swap", &k, "kind", &e), 0);
    assert_int_equal(k, CALDEC_SWAP);
    assert_int_equal(caldec_kind_parse("nghỉ", &k, "changes[0].kind", &e), ERR_INVALID);
    assert_string_equal(e.field, "changes[0].kind");
    assert_string_equal(e.msg, "kind 'nghỉ': must be holiday or swap");
    assert_int_equal(caldec_kind_parse(NULL, &k, "kind", &e), ERR_INVALID);
}

/* Deadlines counted over the overlay, worked by hand. Received Friday 4/12/2026 10:00; the
 * decision: Monday 7/12 off, worked Saturday 12/12 instead; Tuesday 8/12 a holiday. */
static void test_overlay(void **state)
{
    (void)state;
    struct caldec d;
    memset(&d, 0, sizeof d);
    snprintf(d.citation, sizeof d.citation, "Thông báo 1/TB-BNV");
    d.n = 2;
    d.ch[0] =
        (struct caldec_change){CALDEC_SWAP, day("2026-12-07"), day("2026-12-12"), "Nghỉ hoán đổi"};
    d.ch[1] = (struct caldec_change){CALDEC_HOLIDAY, day("2026-12-08"), -1, "Nghỉ lễ thêm"};
    struct calendar *ov = NULL;
    struct err e = {0};
    assert_int_equal(caldec_overlay(cal, &d, 1, &ov, &e), 0);
    int64_t from = day("2026-12-04") * MINUTES_PER_DAY + 600;
    static const struct {
        int n;
        const char *base, *over;
    } rows[] = {
        {1, "2026-12-07", "2026-12-09"},  {3, "2026-12-09", "2026-12-11"},
        {4, "2026-12-10", "2026-12-12"},  {5, "2026-12-11", "2026-12-14"},
        {10, "2026-12-18", "2026-12-21"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t due;
        char buf[11];
        assert_int_equal(calendar_add_working_days(cal, from, rows[i].n, &due, &e), 0);
        assert_string_equal(day_format(instant_day(due), buf), rows[i].base);
        assert_int_equal(calendar_add_working_days(ov, from, rows[i].n, &due, &e), 0);
        assert_string_equal(day_format(instant_day(due), buf), rows[i].over);
    }
    enum day_kind k;
    const char *name, *source;
    assert_int_equal(calendar_day(ov, day("2026-12-07"), &k, &name, &source, &e), 0);
    assert_int_equal(k, DAY_SWAP);
    assert_string_equal(name, "Nghỉ hoán đổi");
    assert_string_equal(source, "Thông báo 1/TB-BNV");
    assert_int_equal(calendar_day(ov, day("2026-12-12"), &k, &name, &source, &e), 0);
    assert_int_equal(k, DAY_WORKDAY);
    assert_non_null(strstr(name, "Làm bù cho ngày nghỉ hoán đổi 07/12/2026"));
    assert_int_equal(calendar_day(ov, day("2026-12-08"), &k, &name, &source, &e), 0);
    assert_int_equal(k, DAY_HOLIDAY);
    /* the shipped days survive the copy, and the file calendar is unchanged */
    assert_int_equal(calendar_day(ov, day("2026-09-02"), &k, &name, &source, &e), 0);
    assert_int_equal(k, DAY_HOLIDAY);
    assert_string_equal(name, "Quốc khánh");
    assert_int_equal(calendar_day(cal, day("2026-12-07"), &k, NULL, NULL, &e), 0);
    assert_int_equal(k, DAY_WORK);
    assert_int_equal(calendar_minutes_per_day(ov), calendar_minutes_per_day(cal));
    assert_int_equal(calendar_year_has_decision(ov, 2026), 1);
    assert_int_equal(calendar_year_has_decision(ov, 2027), 0);
    calendar_free(ov);
    /* no decision: the same calendar */
    assert_int_equal(caldec_overlay(cal, NULL, 0, &ov, &e), 0);
    int64_t a, b;
    assert_int_equal(calendar_add_working_days(cal, from, 20, &a, &e), 0);
    assert_int_equal(calendar_add_working_days(ov, from, 20, &b, &e), 0);
    assert_int_equal(a, b);
    calendar_free(ov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_kind_parse),
        cmocka_unit_test(test_overlay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
