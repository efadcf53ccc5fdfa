/* test_inspection.c — the CCHC inspection logic of src/core/inspection.c: every (state, action)
 * pair and the guards against tests/data/inspection-transitions.tsv, auto-closing when the last
 * remedy closes, finding kinds, and the share of units inspected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspection.h"
#include "tsv.h"

static void transitions_table(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/inspection-transitions.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[256];
    int seen[IS__COUNT][IA__COUNT] = {{0}}, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[4];
        if (tsv_split(line, c, 4) != 4) fail_msg("line %d: 4 columns", lineno);
        struct insp_facts facts = {.id = 7, .nfindings = 1};
        enum insp_action a;
        struct err e = {0};
        assert_int_equal(insp_status_parse(c[0], &facts.status, "state", &e), 0);
        assert_int_equal(insp_action_parse(c[2], &a, "action", &e), 0);
        const char *note = "lý do";
        if (!strcmp(c[1], "-"))
            seen[facts.status][a] = 1;
        else if (!strcmp(c[1], "nofinding"))
            facts.nfindings = 0;
        else if (!strcmp(c[1], "open2"))
            facts.open_remedies = 2;
        else if (!strcmp(c[1], "nonote"))
            note = NULL;
        else
            fail_msg("line %d: context '%s'", lineno, c[1]);
        enum insp_status next = IS__COUNT;
        int rc = insp_apply(&facts, a, note, &next, &e);
        if (!strncmp(c[3], "ERR", 3)) {
            if (!rc) fail_msg("line %d: %s %s %s succeeded", lineno, c[0], c[1], c[2]);
            if (c[3][3] == ' ') { /* a guard: its field */
                assert_string_equal(e.field, c[3] + 4);
            } else {
                assert_int_equal(rc, ERR_CONFLICT);
                assert_non_null(strstr(e.msg, c[0]));
                assert_non_null(strstr(e.msg, c[2]));
            }
            assert_int_equal(next, IS__COUNT); /* nothing written on failure */
        } else {
            if (rc) fail_msg("line %d: %s %s: %s", lineno, c[0], c[2], e.msg);
            assert_string_equal(insp_status_name(next), c[3]);
        }
    }
    fclose(f);
    for (int s = 0; s < IS__COUNT; s++)
        for (int a = 0; a < IA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("inspection-transitions.tsv: no row for (%s, %s)",
                         insp_status_name((enum insp_status)s),
                         insp_action_desc((enum insp_action)a)->name);
}

static void closes_with_remedies(void **state)
{
    (void)state;
    struct insp_facts f = {.id = 1, .status = IS_CONCLUDED, .nfindings = 3, .open_remedies = 1};
    assert_false(insp_should_close(&f));
    f.open_remedies = 0;
    assert_true(insp_should_close(&f));
    f.status = IS_IN_PROGRESS;
    assert_false(insp_should_close(&f)); /* not concluded yet: nothing to close */
    struct err e = {0};
    enum finding_kind k;
    assert_int_equal(finding_kind_parse("shortcoming", &k, "kind", &e), 0);
    assert_int_equal(k, FK_SHORTCOMING);
    assert_int_equal(finding_kind_parse("weakness", &k, "kind", &e), ERR_INVALID);
    assert_string_equal(e.field, "kind");
}

static void share_of_units(void **state)
{
    (void)state;
    const char *units[] = {"X01", "X02", "X03", "X04"};
    const char *done[] = {"X02", "X04", "X02", "OTHER"}; /* a repeat and a unit outside */
    struct insp_share s;
    insp_share(units, 4, done, 4, &s);
    assert_int_equal(s.num, 2);
    assert_int_equal(s.den, 4);
    assert_int_equal(s.value, 50000);
    insp_share(units, 0, done, 4, &s);
    assert_true(s.value == INT64_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(transitions_table),
                                       cmocka_unit_test(closes_with_remedies),
                                       cmocka_unit_test(share_of_units)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
