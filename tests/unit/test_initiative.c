/* test_initiative.c — the CCHC initiative logic of src/core/initiative.c: every (state, action)
 * pair and the guards against tests/data/initiative-transitions.tsv, the checks of a proposal,
 * and which initiatives the PAR metric initiatives_count lists and counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "initiative.h"
#include "tsv.h"

static void transitions_table(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/initiative-transitions.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[256];
    int seen[INS__COUNT][INA__COUNT] = {{0}}, lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[4];
        if (tsv_split(line, c, 4) != 4) fail_msg("line %d: 4 columns", lineno);
        struct init_facts facts = {.id = 7, .proposed_day = 20000, .evaluated_day = 20010};
        struct init_args args = {.score = 80,
                                 .note = "ý kiến",
                                 .decision_no = "12/QĐ-UBND",
                                 .decision_day = 20011,
                                 .level = INL_PROVINCE};
        enum init_action a;
        struct err e = {0};
        assert_int_equal(init_status_parse(c[0], &facts.status, "state", &e), 0);
        assert_int_equal(init_action_parse(c[2], &a, "action", &e), 0);
        if (!strcmp(c[1], "-"))
            seen[facts.status][a] = 1;
        else if (!strcmp(c[1], "noscore"))
            args.score = -1;
        else if (!strcmp(c[1], "score101"))
            args.score = 101;
        else if (!strcmp(c[1], "nonote"))
            args.note = NULL;
        else if (!strcmp(c[1], "nodecision"))
            args.decision_no = "";
        else if (!strcmp(c[1], "nolevel"))
            args.level = -1;
        else if (!strcmp(c[1], "early"))
            args.decision_day = 20009;
        else if (!strcmp(c[1], "earlyday"))
            args.day = 19999;
        else
            fail_msg("line %d: context '%s'", lineno, c[1]);
        enum init_status next = INS__COUNT;
        int rc = init_apply(&facts, a, &args, &next, &e);
        rows++;
        if (!strncmp(c[3], "ERR", 3)) {
            if (!rc) fail_msg("line %d: %s %s %s succeeded", lineno, c[0], c[1], c[2]);
            if (c[3][3] == ' ') { /* a guard: its field */
                assert_int_equal(rc, ERR_INVALID);
                assert_string_equal(e.field, c[3] + 4);
            } else {
                assert_int_equal(rc, ERR_CONFLICT);
                assert_non_null(strstr(e.msg, c[0]));
                assert_non_null(strstr(e.msg, c[2]));
            }
            assert_int_equal(next, INS__COUNT); /* nothing written on failure */
        } else {
            if (rc) fail_msg("line %d: %s %s: %s", lineno, c[0], c[2], e.msg);
            assert_string_equal(init_status_name(next), c[3]);
        }
    }
    fclose(f);
    assert_true(rows >= INS__COUNT * INA__COUNT);
    for (int s = 0; s < INS__COUNT; s++)
        for (int a = 0; a < INA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("initiative-transitions.tsv: no row for (%s, %s)",
                         init_status_name((enum init_status)s),
                         init_action_desc((enum init_action)a)->name);
}

static void proposal_checks(void **state)
{
    (void)state;
    struct init_proposal p = {.title = "Tổ công nghệ số cộng đồng hỗ trợ nộp hồ sơ trực tuyến",
                              .area = "3",
                              .description = "Mô tả",
                              .authors = "Nguyễn Văn A",
                              .effect = NULL,
                              .proposed_day = 20000};
    struct err e = {0};
    assert_int_equal(init_proposal_check(&p, &e), 0);
    p.authors = "";
    assert_int_equal(init_proposal_check(&p, &e), ERR_INVALID);
    assert_string_equal(e.field, "authors");
    p.authors = "A";
    p.proposed_day = 0;
    assert_int_equal(init_proposal_check(&p, &e), ERR_INVALID);
    assert_string_equal(e.field, "proposed");
    char big[INIT_TITLE_MAX + 1];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    p.proposed_day = 1;
    p.title = big;
    assert_int_equal(init_proposal_check(&p, &e), ERR_INVALID);
    assert_string_equal(e.field, "title");
    enum init_level l;
    assert_int_equal(init_level_parse("district", &l, "level", &e), 0);
    assert_int_equal(l, INL_DISTRICT);
    assert_int_equal(init_level_parse("national", &l, "level", &e), ERR_INVALID);
    assert_string_equal(e.field, "level");
}

static void counted(void **state)
{
    (void)state;
    int in;
    /* recognised in the period, proposed the year before: listed and counted */
    struct init_fact a = {INS_RECOGNIZED, 90, 120};
    assert_true(init_counted(&a, 100, 200, &in));
    assert_true(in);
    /* recognised after the period: listed (proposed in it), not counted */
    struct init_fact b = {INS_RECOGNIZED, 150, 210};
    assert_true(init_counted(&b, 100, 200, &in));
    assert_false(in);
    /* proposed, rejected: listed, not counted; withdrawn: not listed */
    struct init_fact c = {INS_REJECTED, 150, 0}, d = {INS_WITHDRAWN, 150, 0};
    assert_true(init_counted(&c, 100, 200, &in));
    assert_false(in);
    assert_false(init_counted(&d, 100, 200, &in));
    /* outside the period altogether */
    struct init_fact g = {INS_RECOGNIZED, 10, 20};
    assert_false(init_counted(&g, 100, 200, &in));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(transitions_table),
                                       cmocka_unit_test(proposal_checks),
                                       cmocka_unit_test(counted)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
