/* test_feedback.c — the feedback state machine against tests/data/feedback-transitions.tsv
 * (every state x action pair), the deadline rules of data/feedback/deadlines.tsv on the real
 * 2024 calendar (Reunification Day bridge: 27/4–1/5 off, Saturday 4/5 worked), the on-time
 * judgement, duplicate keys, follow-up codes and masking. */
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
#include "feedback.h"
#include "tsv.h"

static struct calendar *cal;
static struct feedback_rules rules;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) dir = CCHC_DATA_DIR;
    if (calendar_load(dir, 2023, 2026, NULL, &cal, &e) || feedback_rules_load(dir, &rules, &e)) {
        fprintf(stderr, "setup: %s\n", e.msg);
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

static int64_t instant(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "at", &e)) fail_msg("bad instant '%s': %s", s, e.msg);
    return t;
}

static void act(struct feedback_state *s, enum feedback_action a, int64_t at, int consent)
{
    struct feedback_args args = {.at = at, .cal = cal, .rules = &rules, .consent = consent};
    struct feedback_state next;
    struct err e = {0};
    if (feedback_apply(s, a, &args, &next, &e)) fail_msg("%s: %s", feedback_action_name(a), e.msg);
    *s = next;
}

/* A fresh item brought into state st by the path the TSV's header describes. */
static void reach(struct feedback_state *s, enum feedback_status st, int64_t t0)
{
    struct err e = {0};
    assert_int_equal(feedback_init(s, FK_REGULATION, t0, cal, &rules, &e), 0);
    switch (st) {
    case FS_RECEIVED:
        break;
    case FS_ACCEPTED:
        act(s, FA_ACCEPT, t0 + 60, 0);
        break;
    case FS_REFUSED:
        act(s, FA_REFUSE, t0 + 60, 0);
        break;
    case FS_FORWARDED:
        act(s, FA_FORWARD, t0 + 60, 0);
        break;
    case FS_IN_PROGRESS:
        act(s, FA_ACCEPT, t0 + 60, 0);
        act(s, FA_START, t0 + 120, 0);
        break;
    case FS_ANSWERED:
        act(s, FA_ACCEPT, t0 + 60, 0);
        act(s, FA_ANSWER, t0 + 120, 0);
        break;
    case FS_PUBLISHED:
        act(s, FA_ACCEPT, t0 + 60, 0);
        act(s, FA_ANSWER, t0 + 120, 0);
        act(s, FA_PUBLISH, t0 + 180, 1);
        break;
    default:
        fail_msg("state %d", st);
    }
    assert_int_equal(s->status, st);
}

static void test_transitions_table(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/feedback-transitions.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    int seen[FS__COUNT][FA__COUNT] = {{0}};
    char line[512];
    int lineno = 0, rows = 0;
    int64_t t0 = instant("2024-04-26T10:00");
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *fld[4];
        if (tsv_split(line, fld, 4) != 3) fail_msg("%s:%d: expected 3 fields", path, lineno);
        enum feedback_status st, want;
        enum feedback_action a;
        assert_int_equal(feedback_status_parse(fld[0], &st, NULL), 0);
        assert_int_equal(feedback_action_parse(fld[1], &a, NULL), 0);
        assert_int_equal(seen[st][a]++, 0);
        struct feedback_state s, next;
        reach(&s, st, t0);
        struct feedback_args args = {.at = t0 + 600, .cal = cal, .rules = &rules, .consent = 1};
        struct err e = {0};
        int rc = feedback_apply(&s, a, &args, &next, &e);
        if (!strcmp(fld[2], "ERR")) {
            if (rc != ERR_CONFLICT)
                fail_msg("%s:%d: %s + %s: expected ERR, got %d", path, lineno, fld[0], fld[1], rc);
            assert_non_null(strstr(e.msg, fld[0]));
            assert_non_null(strstr(e.msg, fld[1]));
            assert_int_equal(feedback_transition_legal(st, a), 0);
        } else {
            assert_int_equal(feedback_status_parse(fld[2], &want, NULL), 0);
            if (rc) fail_msg("%s:%d: %s + %s: %s", path, lineno, fld[0], fld[1], e.msg);
            assert_int_equal(next.status, want);
            assert_int_equal(feedback_transition_legal(st, a), 1);
        }
        rows++;
    }
    fclose(f);
    for (int s = 0; s < FS__COUNT; s++)
        for (int a = 0; a < FA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("%s: pair (%s, %s) missing", path,
                         feedback_status_name((enum feedback_status)s),
                         feedback_action_name((enum feedback_action)a));
    assert_int_equal(rows, FS__COUNT * FA__COUNT);
}

/* Deadlines and outcomes, one row per case: kind, received, decide due, answer due. */
static void test_deadlines(void **state)
{
    (void)state;
    static const struct {
        enum feedback_kind kind;
        const char *received, *decide_due, *answer_due;
    } cases[] = {
        /* Friday before the 2024 bridge: 2/5, 3/5, Saturday 4/5 (worked) are days 1–3 */
        {FK_REGULATION, "2024-04-26T10:00", "2024-05-04T17:00", "2024-05-14T17:00"},
        /* an ordinary week: Monday + 3 = Thursday; + 10 = Monday two weeks on */
        {FK_REGULATION, "2024-06-03T08:00", "2024-06-06T17:00", "2024-06-17T17:00"},
        /* received on a Sunday: counting starts on the Monday */
        {FK_HANDLING, "2024-06-02T20:00", "2024-06-05T17:00", "2024-06-14T17:00"},
        /* suggestions: 5 and 15 working days */
        {FK_SUGGESTION, "2024-06-03T08:00", "2024-06-10T17:00", "2024-06-24T17:00"},
    };
    char b[20];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct feedback_state s;
        struct err e = {0};
        int64_t t0 = instant(cases[i].received);
        assert_int_equal(feedback_init(&s, cases[i].kind, t0, cal, &rules, &e), 0);
        if (s.decide_due_at != instant(cases[i].decide_due))
            fail_msg("case %zu: decide due %s, want %s", i, instant_format(s.decide_due_at, b),
                     cases[i].decide_due);
        act(&s, FA_ACCEPT, t0 + 30, 0);
        if (s.answer_due_at != instant(cases[i].answer_due))
            fail_msg("case %zu: answer due %s, want %s", i, instant_format(s.answer_due_at, b),
                     cases[i].answer_due);
        /* the outcome: in time until the due instant, overdue after; answered on the due
         * instant is on time, a minute later late */
        assert_int_equal(feedback_outcome_at(&s, s.answer_due_at), FO_IN_TIME);
        assert_int_equal(feedback_outcome_at(&s, s.answer_due_at + 1), FO_OVERDUE);
        struct feedback_state on = s, late = s;
        act(&on, FA_ANSWER, s.answer_due_at, 0);
        act(&late, FA_ANSWER, s.answer_due_at + 1, 0);
        assert_int_equal(feedback_outcome_at(&on, on.answered_at + 99999), FO_ON_TIME);
        assert_int_equal(feedback_outcome_at(&late, 0), FO_LATE);
    }
}

static void test_rules_by_date(void **state)
{
    (void)state;
    struct err e = {0};
    const struct feedback_rule *r =
        feedback_rule_at(&rules, FK_REGULATION, ymd_to_days((struct ymd){2015, 1, 1}), &e);
    assert_non_null(r);
    assert_int_equal(r->decide_days, 5);
    r = feedback_rule_at(&rules, FK_REGULATION, ymd_to_days((struct ymd){2017, 9, 25}), &e);
    assert_non_null(r);
    assert_int_equal(r->decide_days, 3);
    assert_non_null(strstr(r->source, "92/2017"));
    assert_null(feedback_rule_at(&rules, FK_REGULATION, ymd_to_days((struct ymd){2007, 1, 1}), &e));
    assert_int_equal(e.code, ERR_NOT_FOUND);
    /* malformed files name the line and the rule */
    struct feedback_rules rs;
    assert_int_equal(feedback_rules_parse("2024-01-01\tregulation\t3\n", "x.tsv", &rs, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "x.tsv:1"));
    assert_int_equal(
        feedback_rules_parse("# c\n2024-01-01\tcomplaint\t3\t10\tsrc\n", "x.tsv", &rs, &e),
        ERR_INVALID);
    assert_non_null(strstr(e.msg, "x.tsv:2"));
    assert_non_null(strstr(e.msg, "complaint"));
    assert_int_equal(feedback_rules_parse("2024-01-01\tregulation\t12\t10\tsrc\n", "x", &rs, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "exceeds"));
    assert_int_equal(feedback_rules_parse("2024-01-01\tregulation\t3\t10\t\n", "x", &rs, &e),
                     ERR_INVALID);
    assert_int_equal(feedback_rules_parse("2024-01-01\tregulation\t3\t10\ta\n"
                                          "2024-01-01\tregulation\t3\t10\tb\n",
                                          "x", &rs, &e),
                     ERR_INVALID);
}

static void test_guards(void **state)
{
    (void)state;
    struct feedback_state s, next;
    struct err e = {0};
    int64_t t0 = instant("2024-06-03T08:00");
    reach(&s, FS_ANSWERED, t0);
    struct feedback_args args = {.at = t0 + 600, .cal = cal, .rules = &rules, .consent = 0};
    assert_int_equal(feedback_apply(&s, FA_PUBLISH, &args, &next, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "consent");
    args.consent = 1;
    args.at = t0 - 1;
    assert_int_equal(feedback_apply(&s, FA_PUBLISH, &args, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "at");
    /* forward restarts the decision clock at the new unit */
    reach(&s, FS_RECEIVED, t0);
    act(&s, FA_FORWARD, instant("2024-06-05T09:00"), 0);
    assert_int_equal(s.forwards, 1);
    assert_int_equal(s.received_at, instant("2024-06-05T09:00"));
    assert_int_equal(s.decide_due_at, instant("2024-06-10T17:00"));
    /* a received item waiting past its decision deadline is overdue */
    assert_int_equal(feedback_outcome_at(&s, s.decide_due_at + 1), FO_OVERDUE);
    assert_int_equal(feedback_outcome_at(&s, s.decide_due_at), FO_NONE);
    assert_int_equal(feedback_init(&s, FK__COUNT, t0, cal, &rules, &e), ERR_INVALID);
}

static void test_duplicates(void **state)
{
    (void)state;
    char a[FEEDBACK_KEY_LEN], b[FEEDBACK_KEY_LEN], c[FEEDBACK_KEY_LEN];
    assert_int_equal(feedback_dup_key("0912 345 678", "Đường  ngập nước", a, NULL), 0);
    assert_int_equal(feedback_dup_key("+84912345678", "đường ngập NƯỚC ", b, NULL), 0);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 16);
    assert_int_equal(feedback_dup_key("0912345679", "Đường ngập nước", c, NULL), 0);
    assert_string_not_equal(a, c);
    assert_int_equal(feedback_dup_key("0912345678", "Đường ngập nước sâu", c, NULL), 0);
    assert_string_not_equal(a, c);
    assert_int_equal(feedback_dup_key("An@Example.vn", "x", a, NULL), 0);
    assert_int_equal(feedback_dup_key(" an@example.vn", "X", b, NULL), 0);
    assert_string_equal(a, b);
    assert_int_equal(feedback_dup_key("", "x", a, NULL), 0);
    assert_string_equal(a, "");
    assert_int_equal(feedback_is_duplicate(b, 1000, b, 1000 + 24 * 60 - 1), 1);
    assert_int_equal(feedback_is_duplicate(b, 1000 + 24 * 60, b, 1000), 0);
    assert_int_equal(feedback_is_duplicate("", 1000, "", 1000), 0);
    assert_int_equal(feedback_dup_key("0912345678", "\xff", a, NULL), ERR_INVALID);
}

static void test_code_and_mask(void **state)
{
    (void)state;
    char code[FEEDBACK_CODE_LEN];
    const unsigned char rnd[6] = {0, 1, 30, 31, 200, 255};
    assert_int_equal(feedback_code_build(ymd_to_days((struct ymd){2026, 12, 5}), rnd, code, NULL),
                     0);
    assert_string_equal(code, "PA-261205-23Z2G9");
    assert_true(feedback_code_valid(code));
    assert_true(feedback_code_valid("pa-261205-abcdef"));
    assert_false(feedback_code_valid("PA-261205-ABCDE0"));
    assert_false(feedback_code_valid("PA-26120-ABCDEFG"));
    char out[256];
    feedback_mask_personal("Gọi 0912.345.678 hoặc an@x.vn, CCCD 001234567890; 3 lần", out,
                           sizeof out);
    assert_string_equal(out, "Gọi *** hoặc ***, CCCD ***; 3 lần");
    feedback_mask_personal("+84 912 345 678 ngày 12-5", out, sizeof out);
    assert_string_equal(out, "*** ngày 12-5");
}

static void test_names(void **state)
{
    (void)state;
    for (int k = 0; k < FK__COUNT; k++) {
        enum feedback_kind back;
        assert_int_equal(
            feedback_kind_parse(feedback_kind_name((enum feedback_kind)k), &back, NULL), 0);
        assert_int_equal(back, k);
    }
    struct err e = {0};
    enum feedback_kind k;
    assert_int_equal(feedback_kind_parse("complaint", &k, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "complaint"));
    assert_true(feedback_status_closed(FS_PUBLISHED));
    assert_false(feedback_status_closed(FS_ANSWERED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions_table),
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_rules_by_date),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_code_and_mask),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
