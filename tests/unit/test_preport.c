/* test_preport.c — the periodic CCHC report's logic of src/core/preport.c: every (state,
 * action) pair and the reason guard against tests/data/preport-transitions.tsv, and the checks
 * on the narrative sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "preport.h"
#include "tsv.h"

static void transitions_table(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/preport-transitions.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[256];
    int seen[PR__COUNT][PA__COUNT] = {{0}}, lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[4];
        if (tsv_split(line, c, 4) != 4) fail_msg("line %d: 4 columns", lineno);
        enum preport_status from;
        enum preport_action a;
        struct err e = {0};
        assert_int_equal(preport_status_parse(c[0], &from, "state", &e), 0);
        assert_int_equal(preport_action_parse(c[2], &a, "action", &e), 0);
        const char *note = "Số liệu chưa khớp";
        if (!strcmp(c[1], "-"))
            seen[from][a] = 1;
        else if (!strcmp(c[1], "nonote"))
            note = NULL;
        else
            fail_msg("line %d: context '%s'", lineno, c[1]);
        enum preport_status next = PR__COUNT;
        int rc = preport_apply(9, from, a, note, &next, &e);
        rows++;
        if (!strncmp(c[3], "ERR", 3)) {
            if (!rc) fail_msg("line %d: %s %s %s succeeded", lineno, c[0], c[1], c[2]);
            if (c[3][3] == ' ') {
                assert_int_equal(rc, ERR_INVALID);
                assert_string_equal(e.field, c[3] + 4);
            } else {
                assert_int_equal(rc, ERR_CONFLICT);
                assert_non_null(strstr(e.msg, c[0]));
                assert_non_null(strstr(e.msg, c[2]));
                assert_non_null(strstr(e.msg, "#9"));
            }
            assert_int_equal(next, PR__COUNT); /* nothing written on failure */
        } else {
            if (rc) fail_msg("line %d: %s %s: %s", lineno, c[0], c[2], e.msg);
            assert_string_equal(preport_status_name(next), c[3]);
        }
    }
    fclose(f);
    assert_true(rows >= PR__COUNT * PA__COUNT);
    for (int s = 0; s < PR__COUNT; s++)
        for (int a = 0; a < PA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("preport-transitions.tsv: no row for (%s, %s)",
                         preport_status_name((enum preport_status)s),
                         preport_action_desc((enum preport_action)a)->name);
}

static void parent_actions(void **state)
{
    (void)state;
    /* accept and return are the parent's; the others the reporting unit's */
    for (int a = 0; a < PA__COUNT; a++) {
        const struct preport_action_desc *d = preport_action_desc((enum preport_action)a);
        int parent = a == PA_ACCEPT || a == PA_RETURN;
        assert_int_equal(!!(d->flags & PRF_PARENT), parent);
    }
    assert_null(preport_action_desc(PA__COUNT));
    assert_null(preport_status_name(PR__COUNT));
    assert_string_equal(preport_status_label(PR_RETURNED), "Bị trả lại");
}

static void sections(void **state)
{
    (void)state;
    struct err e = {0};
    enum preport_section s;
    assert_int_equal(preport_section_parse("causes", &s, &e), 0);
    assert_int_equal(s, PS_CAUSES);
    assert_int_equal(preport_section_parse("summary", &s, &e), ERR_INVALID);
    assert_string_equal(e.field, "section");
    assert_int_equal(preport_section_check(PS_RESULTS, "Đã hoàn thành 95% nhiệm vụ.\n- Ý 2", &e),
                     0);
    assert_int_equal(preport_section_check(PS_RESULTS, NULL, &e), 0);
    assert_int_equal(preport_section_check(PS_NEXT, "a\x01b", &e), ERR_INVALID);
    assert_string_equal(e.field, "next");
    assert_int_equal(preport_section_check(PS_CAUSES, "\xc3\x28", &e), ERR_INVALID);
    assert_string_equal(e.field, "causes");
    char *big = malloc(PREPORT_SECTION_MAX + 1);
    memset(big, 'a', PREPORT_SECTION_MAX);
    big[PREPORT_SECTION_MAX] = '\0';
    assert_int_equal(preport_section_check(PS_SHORTCOMINGS, big, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "longer"));
    big[PREPORT_SECTION_MAX - 1] = '\0';
    assert_int_equal(preport_section_check(PS_SHORTCOMINGS, big, &e), 0);
    free(big);
    assert_string_equal(preport_section_title(PS_NEXT), "Nhiệm vụ trọng tâm thời gian tới");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transitions_table),
        cmocka_unit_test(parent_actions),
        cmocka_unit_test(sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
