/* test_remind.c — reminder rules and stages (src/core/remind.c, docs/reminders.md): the
 * shipped rules load; each malformed rule is refused naming its line and column; the stage an
 * item has reached, table-driven over the calendar's working days (a weekend and Tết between
 * today and the due day), and the rule in force on the day when a later row changes the days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "date.h"
#include "remind.h"
#include "user.h"

static struct calendar *cal;
static struct remind_rules rules;

static int64_t day(const char *s)
{
    struct ymd d;
    struct err e = {0};
    assert_int_equal(ymd_parse(s, &d, "day", &e), 0);
    return ymd_to_days(d);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) dir = CCHC_DATA_DIR;
    if (calendar_load(dir, 2025, 2027, NULL, &cal, &e) || remind_rules_load(dir, &rules, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

static void test_shipped(void **state)
{
    (void)state;
    const struct remind_rule *r =
        remind_rule_at(&rules, RK_FEEDBACK, RS_OVERDUE, day("2026-12-05"));
    assert_non_null(r);
    assert_int_equal(r->unit_roles, 1u << UROLE_LEADER);
    assert_int_equal(r->parent_roles, 1u << UROLE_LEADER);
    r = remind_rule_at(&rules, RK_TASK, RS_DUE_SOON, day("2026-12-05"));
    assert_non_null(r);
    assert_int_equal(r->workdays, 3);
    assert_int_equal(r->parent_roles, 0);
    for (int k = 0; k < RK__COUNT; k++)
        for (int s = 0; s < RS__COUNT; s++)
            assert_non_null(remind_rule_at(&rules, (enum remind_kind)k, (enum remind_stage)s,
                                           day("2026-01-01")));
}

static void test_bad_rules(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"2020-01-01\ttask\tdue_soon\t3\tunit:leader", "expected 6 tab-separated fields"},
        {"2020-13-01\ttask\tdue_soon\t3\tunit:leader\tx", "t.tsv:1:"},
        {"2020-01-01\tdossier\tdue_soon\t3\tunit:leader\tx", "kind 'dossier'"},
        {"2020-01-01\ttask\tsoon\t3\tunit:leader\tx", "stage 'soon'"},
        {"2020-01-01\ttask\tdue_soon\t61\tunit:leader\tx", "workdays '61'"},
        {"2020-01-01\ttask\tdue_soon\t-1\tunit:leader\tx", "workdays '-1'"},
        {"2020-01-01\ttask\tdue_soon\t3\tunit:chief\tx", "notify"},
        {"2020-01-01\ttask\tdue_soon\t3\tboss:leader\tx", "expected unit or parent"},
        {"2020-01-01\ttask\tdue_soon\t3\tunit:citizen\tx", "citizens are not reminded"},
        {"2020-01-01\ttask\tdue_soon\t3\tunit:leader\t", "the source is empty"},
        {"# c\n2020-01-01\ttask\tdue_soon\t3\tunit:leader\tx\n"
         "2020-01-01\ttask\tdue_soon\t2\tunit:leader\ty",
         "t.tsv:3: a second task due_soon rule from 2020-01-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct remind_rules *r = malloc(sizeof *r);
        struct err e = {0};
        assert_int_not_equal(remind_rules_parse(cases[i].text, "t.tsv", r, &e), 0);
        if (!strstr(e.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].want);
        free(r);
    }
}

static void test_stages(void **state)
{
    (void)state;
    /* task: due soon from 3 working days before, overdue from the 1st working day after */
    static const struct {
        const char *due, *today;
        int stage;
    } cases[] = {
        {"2026-11-30", "2026-11-24", -1},          /* Tue: 4 working days before Monday */
        {"2026-11-30", "2026-11-25", RS_DUE_SOON}, /* Wed: 3 */
        {"2026-11-30", "2026-11-28", RS_DUE_SOON}, /* Saturday between */
        {"2026-11-30", "2026-11-30", RS_DUE_SOON}, /* the due day itself */
        {"2026-11-30", "2026-12-01", RS_OVERDUE},  /* the next working day */
        {"2026-12-04", "2026-12-05", -1},          /* Friday due, Saturday: no working day yet */
        {"2026-12-04", "2026-12-07", RS_OVERDUE},  /* Monday */
        /* Tết 2026 (16–20/2 off, then a weekend): due Monday 23/2 */
        {"2026-02-23", "2026-02-10", -1},          /* Tue: 11, 12, 13 and 23/2 → 4 */
        {"2026-02-23", "2026-02-11", RS_DUE_SOON}, /* Wed: 12, 13 and 23/2 → 3 */
        {"2026-02-23", "2026-02-18", RS_DUE_SOON}, /* during Tết: only 23/2 → 1 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct remind_rule *r;
        struct err e = {0};
        int st =
            remind_stage_on(&rules, cal, RK_TASK, day(cases[i].due), day(cases[i].today), &r, &e);
        if (st != cases[i].stage)
            fail_msg("case %zu (due %s, today %s): stage %d, want %d", i, cases[i].due,
                     cases[i].today, st, cases[i].stage);
        assert_true(st < 0 ? r == NULL : r != NULL);
    }
}

static void test_rule_versions(void **state)
{
    (void)state;
    struct remind_rules *r = malloc(sizeof *r);
    struct err e = {0};
    assert_int_equal(remind_rules_parse("2020-01-01\ttask\tdue_soon\t1\tunit:leader\ta\n"
                                        "2026-12-01\ttask\tdue_soon\t5\tunit:leader\tb\n",
                                        "t.tsv", r, &e),
                     0);
    const struct remind_rule *rule;
    /* due Monday 7/12: Tuesday 1/12 is 4 working days before — only the newer rule reaches */
    assert_int_equal(
        remind_stage_on(r, cal, RK_TASK, day("2026-12-07"), day("2026-12-01"), &rule, &e),
        RS_DUE_SOON);
    assert_string_equal(rule->source, "b");
    assert_int_equal(
        remind_stage_on(r, cal, RK_TASK, day("2026-12-07"), day("2026-11-30"), &rule, &e), -1);
    /* no overdue rule: never overdue; no commitment rule: never reminded */
    assert_int_equal(
        remind_stage_on(r, cal, RK_TASK, day("2026-12-07"), day("2026-12-09"), &rule, &e), -1);
    assert_int_equal(
        remind_stage_on(r, cal, RK_COMMITMENT, day("2026-12-07"), day("2026-12-07"), &rule, &e),
        -1);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_rule_versions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
