/* test_backdate.c — the tolerance for backdated actions (src/core/backdate.c) against the
 * hand-written table tests/data/backdate.tsv on the real 2025 calendar, the parser of the
 * tolerance setting, and the rule for the clock in dossier_change_apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backdate.h"
#include "date.h"
#include "dossier.h"
#include "tsv.h"

static struct calendar *cal;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) dir = CCHC_DATA_DIR;
    if (calendar_load(dir, 2024, 2026, NULL, &cal, &e)) {
        fprintf(stderr, "calendar_load: %s\n", e.msg);
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

static const char *verdict_name(enum backdate_verdict v)
{
    static const char *n[] = {"on_time", "backdated", "needs_role", "needs_reason"};
    return (unsigned)v < 4 ? n[v] : "?";
}

static void table(void **state)
{
    (void)state;
    char path[1024], line[512];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/backdate.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    int lineno = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[7];
        struct err e = {0};
        if (tsv_split(line, c, 7) != 7) fail_msg("line %d: expected 7 columns", lineno);
        int days;
        int64_t rec, at, lim, want_lim = 0;
        if (backdate_tolerance_parse(c[0], &days, "tolerance", &e) ||
            instant_parse(c[1], &rec, "recorded", &e) || instant_parse(c[2], &at, "at", &e) ||
            (strcmp(c[6], "-") && instant_parse(c[6], &want_lim, "limit", &e)))
            fail_msg("line %d: %s", lineno, e.msg);
        enum backdate_verdict v =
            backdate_judge(cal, days, at, rec, atoi(c[3]), atoi(c[4]), &lim, &e);
        if (strcmp(verdict_name(v), c[5]))
            fail_msg("line %d: verdict %s, expected %s", lineno, verdict_name(v), c[5]);
        if (lim != want_lim) {
            char a[20], b[20];
            fail_msg("line %d: limit %s, expected %s", lineno, instant_format(lim, a),
                     instant_format(want_lim, b));
        }
        /* a refusal names the field and both instants */
        if (v == BD_NEEDS_ROLE || v == BD_NEEDS_REASON) {
            assert_string_equal(e.field, v == BD_NEEDS_ROLE ? "at" : "note");
            char a[20];
            assert_non_null(strstr(e.msg, instant_format(at, a)));
            assert_non_null(strstr(e.msg, instant_format(lim, a)));
        }
        cases++;
    }
    fclose(f);
    assert_true(cases >= 12);
}

static void parse(void **state)
{
    (void)state;
    struct err e = {0};
    int d = 7;
    assert_int_equal(backdate_tolerance_parse("0", &d, "backdate_tolerance", &e), 0);
    assert_int_equal(d, 0);
    assert_int_equal(backdate_tolerance_parse("off", &d, "backdate_tolerance", &e), 0);
    assert_int_equal(d, BACKDATE_OFF);
    assert_int_equal(backdate_tolerance_parse("3", &d, "backdate_tolerance", &e), 0);
    assert_int_equal(d, 3);
    const char *bad[] = {"", "-1", "31", "1d", "yes", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(backdate_tolerance_parse(bad[i], &d, "backdate_tolerance", &e),
                         ERR_INVALID);
        assert_string_equal(e.field, "backdate_tolerance");
    }
    assert_int_equal(backdate_tolerance_parse(NULL, &d, "backdate_tolerance", &e), ERR_INVALID);
}

static int64_t at_(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "at", &e)) fail_msg("%s", e.msg);
    return t;
}

/* The rule for the clock (dossier_change_apply): an overdue dossier finished "on its due day"
 * counts on time when the claim is believed, late when the change is backdated (judged at its
 * recorded time); the claim is still checked against the dossier's latest action. */
static void change_rule(void **state)
{
    (void)state;
    static struct procedure p; /* large */
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "9.000002");
    p.time_unit = TIME_WORKING_DAYS; /* 0 working days: due the reception day, 17:00 */
    struct dossier d, nx;
    memset(&d, 0, sizeof d);
    snprintf(d.code, sizeof d.code, "000.00.31.H99-250903-0001");
    snprintf(d.procedure, sizeof d.procedure, "9.000002");
    dossier_init(&d.st);
    struct err e = {0};
    struct action_args a = {.at = at_("2025-09-03T09:00"), .cal = cal, .proc = &p};
    assert_int_equal(dossier_apply(&d.st, DA_RECEIVE, &a, &nx.st, &e), 0);
    d.st = nx.st;
    struct dossier_effects fx;
    struct dossier_change c = {
        .code = d.code, .action = DA_ADVANCE, .at = at_("2025-09-03T09:10"), .actor = "desk"};
    assert_int_equal(dossier_change_apply(&d, &c, cal, &p, &nx, &fx, &e), 0);
    d = nx;
    assert_int_equal(d.st.due_at, at_("2025-09-03T17:00"));
    /* believed: the claim is the result instant, on time */
    c = (struct dossier_change){.code = d.code,
                                .action = DA_FINISH,
                                .at = at_("2025-09-03T10:00"),
                                .actor = "leader",
                                .recorded_at = at_("2025-09-05T10:00")};
    assert_int_equal(dossier_change_apply(&d, &c, cal, &p, &nx, &fx, &e), 0);
    assert_int_equal(nx.st.result_at, c.at);
    assert_int_equal(dossier_outcome_at(&nx.st, nx.st.last_at), OUT_ON_TIME);
    assert_int_equal(fx.n, 1);
    assert_int_equal(fx.fx[0].step.outcome, OUT_ON_TIME);
    /* backdated: judged when recorded, two days after the due instant */
    c.backdated = 1;
    assert_int_equal(dossier_change_apply(&d, &c, cal, &p, &nx, &fx, &e), 0);
    assert_int_equal(nx.st.result_at, c.recorded_at);
    assert_int_equal(nx.st.last_at, c.recorded_at);
    assert_int_equal(dossier_outcome_at(&nx.st, nx.st.last_at), OUT_LATE);
    assert_int_equal(fx.fx[0].step.finished_at, c.recorded_at);
    assert_int_equal(fx.fx[0].step.outcome, OUT_LATE);
    /* the claim must still follow the latest action */
    c.at = at_("2025-09-03T09:00");
    assert_int_equal(dossier_change_apply(&d, &c, cal, &p, &nx, &fx, &e), ERR_INVALID);
    assert_string_equal(e.field, "at");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(parse),
        cmocka_unit_test(change_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
