/* test_dossier_fsm.c — the dossier state machine and clock against two hand-written tables:
 * tests/data/dossier-transitions.tsv (every state x action pair, legal or not) and
 * tests/data/dossier-clock.tsv (due instants, stops, step deadlines and outcomes on the real
 * 2024 calendar). Plus the dossier code and bad-input cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "dossier.h"
#include "tsv.h"

static struct calendar *cal;
static struct procedure proc; /* static: the struct is large */

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (!dir) dir = CCHC_DATA_DIR;
    if (calendar_load(dir, 2023, 2026, NULL, &cal, &e)) {
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

static FILE *open_data(const char *name)
{
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

/* A procedure: legal time "5wd"/"8wh"/"15cd" and steps "-", "40%,60%" or "8h,16h". */
static void set_procedure(const char *time, const char *steps)
{
    memset(&proc, 0, sizeof proc);
    char *end;
    proc.time_amount = (int)strtol(time, &end, 10);
    if (!strcmp(end, "wd"))
        proc.time_unit = TIME_WORKING_DAYS;
    else if (!strcmp(end, "wh"))
        proc.time_unit = TIME_WORKING_HOURS;
    else if (!strcmp(end, "cd"))
        proc.time_unit = TIME_CALENDAR_DAYS;
    else
        fail_msg("bad time '%s'", time);
    if (!strcmp(steps, "-")) return;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", steps);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        struct proc_step *s = &proc.steps[proc.nsteps++];
        s->share = (int)strtol(tok, &end, 10);
        s->share_unit = !strcmp(end, "h") ? SHARE_HOURS : SHARE_PERCENT;
        snprintf(s->name, sizeof s->name, "step %d", proc.nsteps);
    }
}

static int64_t instant(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "instant", &e)) fail_msg("%s", e.msg);
    return t;
}

static struct action_args args_at(int64_t at)
{
    struct action_args a = {.at = at, .cal = cal, .proc = &proc};
    return a;
}

/* Applies one action that must succeed. */
static void must_apply(struct dossier_state *s, enum dossier_action act, struct action_args *a)
{
    struct dossier_state next;
    struct err e = {0};
    int rc = dossier_apply(s, act, a, &next, &e);
    if (rc) fail_msg("%s: %s", dossier_action_name(act), e.msg);
    *s = next;
}

/* Brings a fresh dossier (2-step procedure) to `state` by the path the context names. */
static void reach(struct dossier_state *s, const char *state, const char *ctx, int64_t *t)
{
    static const struct {
        const char *state, *ctx, *path;
    } paths[] = {
        {"submitted", "-", ""},
        {"received", "-", "receive"},
        {"processing", "-", "receive advance"},
        {"processing", "1/2", "receive advance"},
        {"processing", "2/2", "receive advance advance"},
        {"result_ready", "-", "receive advance advance finish"},
        {"returned", "-", "receive advance advance finish return"},
        {"supplement_requested", "-", "receive advance request_supplement"},
        {"supplement_requested", "pre", "request_supplement"},
        {"supplement_requested", "received", "receive request_supplement"},
        {"paused", "-", "receive advance pause"},
        {"paused", "received", "receive pause"},
        {"refused", "-", "receive refuse"},
        {"withdrawn", "-", "withdraw"},
        {"cancelled", "-", "cancel"},
    };
    set_procedure("5wd", "50%,50%");
    dossier_init(s);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (strcmp(paths[i].state, state) || strcmp(paths[i].ctx, ctx)) continue;
        char buf[128];
        snprintf(buf, sizeof buf, "%s", paths[i].path);
        for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
            enum dossier_action act;
            assert_int_equal(dossier_action_parse(tok, &act, NULL), 0);
            struct action_args a = args_at(*t);
            *t += 60;
            must_apply(s, act, &a);
        }
        assert_string_equal(dossier_status_name(s->status), state);
        return;
    }
    fail_msg("no path to state '%s' context '%s'", state, ctx);
}

static void test_transitions_table(void **state)
{
    (void)state;
    FILE *f = open_data("dossier-transitions.tsv");
    char line[512];
    int seen[DS__COUNT][DA__COUNT] = {{0}};
    int lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *col[4];
        if (tsv_split(line, col, 4) != 4) fail_msg("line %d: expected 4 columns", lineno);
        enum dossier_status st, want;
        enum dossier_action act;
        assert_int_equal(dossier_status_parse(col[0], &st, NULL), 0);
        assert_int_equal(dossier_action_parse(col[2], &act, NULL), 0);
        int64_t t = instant("2024-03-04T08:00");
        struct dossier_state cur, before, next;
        reach(&cur, col[0], col[1], &t);
        before = cur;
        memset(&next, 0xA5, sizeof next);
        struct dossier_state untouched = next;
        struct action_args a = args_at(t);
        a.new_due_at = instant("2024-04-01T17:00");
        struct err e = {0};
        int rc = dossier_apply(&cur, act, &a, &next, &e);
        if (!strcmp(col[3], "ERR")) {
            if (rc != ERR_CONFLICT)
                fail_msg("line %d: %s/%s: expected ERR_CONFLICT, got %d", lineno, col[0], col[2],
                         rc);
            char want_msg[128];
            snprintf(want_msg, sizeof want_msg, "cannot '%s' a dossier in state '%s': ", col[2],
                     col[0]);
            if (strncmp(e.msg, want_msg, strlen(want_msg)) || strlen(e.msg) <= strlen(want_msg))
                fail_msg("line %d: message '%s' should start '%s' and say why", lineno, e.msg,
                         want_msg);
            assert_memory_equal(&next, &untouched, sizeof next); /* next left alone */
        } else {
            if (rc) fail_msg("line %d: %s/%s: %s", lineno, col[0], col[2], e.msg);
            assert_int_equal(dossier_status_parse(col[3], &want, NULL), 0);
            if (next.status != want)
                fail_msg("line %d: %s/%s gave %s, expected %s", lineno, col[0], col[2],
                         dossier_status_name(next.status), col[3]);
            assert_int_equal(next.last_at, t);
        }
        assert_memory_equal(&cur, &before, sizeof cur); /* cur never modified */
        seen[st][act] = 1;
        rows++;
    }
    fclose(f);
    for (int s = 0; s < DS__COUNT; s++)
        for (int a = 0; a < DA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("dossier-transitions.tsv lacks the pair (%s, %s)",
                         dossier_status_name((enum dossier_status)s),
                         dossier_action_name((enum dossier_action)a));
    assert_true(rows >= DS__COUNT * DA__COUNT);
}

/* Applies the comma-separated events of a clock row. */
static void run_events(struct dossier_state *s, const char *events, int lineno)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", events);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *at = strchr(tok, '@');
        if (!at) fail_msg("line %d: event '%s' lacks @", lineno, tok);
        *at++ = '\0';
        char *bang = strchr(tok, '!');
        char *gt = strchr(at, '>');
        if (bang) *bang++ = '\0';
        if (gt) *gt++ = '\0';
        enum dossier_action act;
        if (dossier_action_parse(tok, &act, NULL)) fail_msg("line %d: action '%s'", lineno, tok);
        struct action_args a = args_at(instant(at));
        if (bang && !strcmp(bang, "restart")) a.supplement_rule = SUPPLEMENT_RESTART;
        if (gt) a.new_due_at = instant(gt);
        struct dossier_state next;
        struct err e = {0};
        if (dossier_apply(s, act, &a, &next, &e))
            fail_msg("line %d: %s@%s: %s", lineno, tok, at, e.msg);
        *s = next;
    }
}

static void check_instant(const char *what, int64_t got, const char *want, int lineno,
                          const char *name)
{
    if (!strcmp(want, "-")) return;
    char buf[20];
    if (strcmp(instant_format(got, buf), want))
        fail_msg("line %d (%s): %s is %s, expected %s", lineno, name, what, buf, want);
}

static void test_clock_table(void **state)
{
    (void)state;
    FILE *f = open_data("dossier-clock.tsv");
    char line[2048];
    int lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[8];
        if (tsv_split(line, c, 8) != 8) fail_msg("line %d: expected 8 columns", lineno);
        set_procedure(c[1], c[2]);
        struct dossier_state s;
        dossier_init(&s);
        run_events(&s, c[3], lineno);
        int64_t now = strcmp(c[4], "-") ? instant(c[4]) : s.last_at;
        if (!strcmp(c[5], "-"))
            assert_int_equal(s.due_at, 0);
        else
            check_instant("due", s.due_at, c[5], lineno, c[0]);
        check_instant("step due", s.step_due_at, c[6], lineno, c[0]);
        enum dossier_outcome want;
        assert_int_equal(dossier_outcome_parse(c[7], &want, NULL), 0);
        enum dossier_outcome got = dossier_outcome_at(&s, now);
        if (got != want)
            fail_msg("line %d (%s): outcome %s, expected %s", lineno, c[0],
                     dossier_outcome_name(got), c[7]);
        rows++;
    }
    fclose(f);
    assert_true(rows >= 20);
}

static void test_step_outcome(void **state)
{
    (void)state;
    set_procedure("5wd", "40%,60%");
    struct dossier_state s;
    dossier_init(&s);
    int64_t t = instant("2024-03-04T09:00");
    struct action_args a = args_at(t);
    assert_int_equal(dossier_step_outcome(&s, t), OUT_NONE);
    must_apply(&s, DA_RECEIVE, &a);
    a.at = instant("2024-03-04T10:00");
    must_apply(&s, DA_ADVANCE, &a); /* step 1 due Wed 6 14:24 */
    assert_int_equal(dossier_step_outcome(&s, instant("2024-03-06T14:24")), OUT_ON_TIME);
    assert_int_equal(dossier_step_outcome(&s, instant("2024-03-06T14:25")), OUT_LATE);
}

static void test_guards_and_bad_input(void **state)
{
    (void)state;
    set_procedure("5wd", "-");
    struct dossier_state s, next;
    struct err e = {0};
    dossier_init(&s);
    struct action_args a = args_at(instant("2024-03-04T09:00"));
    /* no calendar / no procedure */
    a.cal = NULL;
    assert_int_equal(dossier_apply(&s, DA_RECEIVE, &a, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "calendar");
    a.cal = cal;
    a.proc = NULL;
    assert_int_equal(dossier_apply(&s, DA_RECEIVE, &a, &next, &e), ERR_INVALID);
    a.proc = &proc;
    /* a date outside the calendar */
    a.at = instant("2040-01-02T09:00");
    assert_int_equal(dossier_apply(&s, DA_RECEIVE, &a, &next, &e), ERR_RANGE);
    a.at = instant("2024-03-04T09:00");
    must_apply(&s, DA_RECEIVE, &a);
    /* going back in time */
    a.at = instant("2024-03-04T08:59");
    assert_int_equal(dossier_apply(&s, DA_ADVANCE, &a, &next, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "2024-03-04T08:59"));
    /* apology must move the appointment later */
    a.at = instant("2024-03-08T09:00");
    a.new_due_at = instant("2024-03-11T17:00"); /* equal to the due instant */
    assert_int_equal(dossier_apply(&s, DA_APOLOGISE, &a, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "new_due");
    a.new_due_at = instant("2024-03-12T17:00");
    must_apply(&s, DA_APOLOGISE, &a);
    assert_int_equal(s.apologies, 1);
    assert_int_equal(s.due_at, instant("2024-03-11T17:00")); /* the legal due stays */
    /* finish before the last step; advance past the last */
    must_apply(&s, DA_ADVANCE, &a);
    assert_int_equal(s.n_steps, 1);
    must_apply(&s, DA_FINISH, &a);
    /* an unknown action or status */
    assert_int_equal(dossier_apply(&s, (enum dossier_action)99, &a, &next, &e), ERR_INVALID);
    enum dossier_action act;
    assert_int_equal(dossier_action_parse("assign", &act, NULL), 0);
    assert_int_equal(act, DA_ADVANCE);
    assert_int_equal(dossier_action_parse("approve", &act, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'approve'"));
    enum dossier_status st;
    assert_int_equal(dossier_status_parse("done", &st, &e), ERR_INVALID);
    enum dossier_outcome o;
    assert_int_equal(dossier_outcome_parse("ontime", &o, &e), ERR_INVALID);
    /* negative legal time */
    struct legal_time lt = {TIME_WORKING_DAYS, -1};
    int64_t due;
    assert_int_equal(dossier_due(cal, a.at, lt, &due, &e), ERR_INVALID);
}

static void test_guard_messages(void **state)
{
    (void)state;
    int64_t t = instant("2024-03-04T08:00");
    struct dossier_state s, next;
    struct err e = {0};
    reach(&s, "processing", "1/2", &t);
    struct action_args a = args_at(t);
    assert_int_equal(dossier_apply(&s, DA_FINISH, &a, &next, &e), ERR_CONFLICT);
    assert_string_equal(e.msg, "cannot 'finish' a dossier in state 'processing': step 1 of 2 is "
                               "not the last; advance it first");
    reach(&s, "processing", "2/2", &t);
    a = args_at(t);
    assert_int_equal(dossier_apply(&s, DA_ADVANCE, &a, &next, &e), ERR_CONFLICT);
    assert_string_equal(e.msg, "cannot 'advance' a dossier in state 'processing': step 2 is the "
                               "last of 2; use 'finish'");
    assert_int_equal(dossier_apply(&s, DA_RETURN, &a, &next, &e), ERR_CONFLICT);
    assert_string_equal(e.msg,
                        "cannot 'return' a dossier in state 'processing': the result is not ready");
}

static void test_code(void **state)
{
    (void)state;
    char buf[DOSSIER_CODE_LEN];
    struct err e = {0};
    struct ymd d = {2024, 4, 12};
    assert_int_equal(dossier_code_build("000.00.12.H29", ymd_to_days(d), 1, buf, sizeof buf, &e),
                     0);
    assert_string_equal(buf, "000.00.12.H29-240412-0001");
    assert_int_equal(dossier_code_build("000.00.12.H29", ymd_to_days(d), 9999, buf, sizeof buf, &e),
                     0);
    assert_string_equal(buf, "000.00.12.H29-240412-9999");
    struct dossier_code c;
    assert_int_equal(dossier_code_parse("000.00.12.H29-240412-0007", &c, &e), 0);
    assert_string_equal(c.unit, "000.00.12.H29");
    assert_int_equal(c.date.y, 2024);
    assert_int_equal(c.date.m, 4);
    assert_int_equal(c.date.d, 12);
    assert_int_equal(c.seq, 7);
    /* bad inputs */
    assert_int_equal(dossier_code_build("H29", ymd_to_days(d), 1, buf, sizeof buf, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "'H29'"));
    assert_int_equal(dossier_code_build("000.00.12.H29", ymd_to_days(d), 0, buf, sizeof buf, &e),
                     ERR_RANGE);
    assert_int_equal(
        dossier_code_build("000.00.12.H29", ymd_to_days(d), 10000, buf, sizeof buf, &e), ERR_RANGE);
    struct ymd old = {1999, 12, 31};
    assert_int_equal(dossier_code_build("000.00.12.H29", ymd_to_days(old), 1, buf, sizeof buf, &e),
                     ERR_RANGE);
    static const char *bad[] = {
        "",
        "000.00.12.H29-240412-001",   /* short sequence */
        "000.00.12.H29-240412-0000",  /* sequence 0 */
        "000.00.12.H29-240230-0001",  /* 30 February */
        "000.00.12.H29_240412-0001",  /* separator */
        "000.00.12.29H-240412-0001",  /* level-1 code letter last */
        "00A.00.12.H29-240412-0001",  /* letter in a digit group */
        "000.00.12.H29-24041a-0001",  /* letter in the date */
        "000.00.12.H29-240412-00012", /* too long */
        "000.00.12.h29-240412-0001",  /* lower-case letter */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (dossier_code_parse(bad[i], &c, &e) != ERR_INVALID)
            fail_msg("'%s' should be refused", bad[i]);
        assert_non_null(strstr(e.msg, "dossier code"));
    }
    assert_int_equal(unit_code_valid("000.00.00.G01"), 1);
    assert_int_equal(unit_code_valid("000.00.00.G1"), 0);
    assert_int_equal(unit_code_valid(NULL), 0);
}

/* Phones as people write them, and codes typed in lower case, become what is stored. */
static void test_normalize(void **state)
{
    (void)state;
    static const char *const phones[][2] = {
        {"0912 345 678", "0912345678"},
        {"0912.345.678", "0912345678"},
        {"0912-345-678", "0912345678"},
        {"+84 912 345 678", "+84912345678"},
        {"(+84)912345678", "+84912345678"},
        {"0912345678", "0912345678"},
        {"09a2 345", "09a2345"}, /* left for applicant_check to refuse */
    };
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
        char p[APPLICANT_PHONE_MAX];
        snprintf(p, sizeof p, "%s", phones[i][0]);
        applicant_phone_normalize(p);
        assert_string_equal(p, phones[i][1]);
    }
    struct applicant a = {.name = "Lê Văn Tám", .phone = "0912 345 678"};
    struct err e = {0};
    assert_int_equal(applicant_check(&a, &e), ERR_INVALID); /* unnormalised: refused */
    applicant_phone_normalize(a.phone);
    assert_int_equal(applicant_check(&a, &e), 0);
    char c[DOSSIER_CODE_LEN];
    dossier_code_normalize(" 000.00.31.h20-261205-0001 ", c, sizeof c);
    assert_string_equal(c, "000.00.31.H20-261205-0001");
    char in_place[] = "000.00.31.h20-261205-0001";
    dossier_code_normalize(in_place, in_place, sizeof in_place);
    assert_string_equal(in_place, "000.00.31.H20-261205-0001");
    dossier_code_normalize("000.00.31.h20-261205-00011111", c, 8); /* bounded */
    assert_string_equal(c, "000.00.");
}

static void test_applicant(void **state)
{
    (void)state;
    struct applicant a = {.name = "Nguyễn Văn Đức", .idno = "087090001234", .phone = "0912345678"};
    struct err e = {0};
    assert_int_equal(applicant_check(&a, &e), 0);
    snprintf(a.idno, sizeof a.idno, "087090001"); /* old 9-digit card */
    snprintf(a.phone, sizeof a.phone, "+84912345678");
    assert_int_equal(applicant_check(&a, &e), 0);
    static const char *bad_id[] = {"08709000123", "0870900012345", "08709000123x", "0870 9000123"};
    for (size_t i = 0; i < sizeof bad_id / sizeof bad_id[0]; i++) {
        struct applicant b = a;
        snprintf(b.idno, sizeof b.idno, "%s", bad_id[i]);
        assert_int_equal(applicant_check(&b, &e), ERR_INVALID);
        assert_string_equal(e.field, "idno");
        assert_null(strstr(e.msg, bad_id[i])); /* never echoed */
    }
    static const char *bad_phone[] = {"912345678", "09123456789", "1912345678", "+8491234567",
                                      "+85912345678"};
    for (size_t i = 0; i < sizeof bad_phone / sizeof bad_phone[0]; i++) {
        struct applicant b = a;
        snprintf(b.phone, sizeof b.phone, "%s", bad_phone[i]);
        assert_int_equal(applicant_check(&b, &e), ERR_INVALID);
        assert_string_equal(e.field, "phone");
        assert_null(strstr(e.msg, bad_phone[i]));
    }
    struct applicant c = a;
    snprintf(c.name, sizeof c.name, "   ");
    assert_int_equal(applicant_check(&c, &e), ERR_INVALID);
    snprintf(c.name, sizeof c.name, "L\xc3");
    assert_int_equal(applicant_check(&c, &e), ERR_INVALID);
    snprintf(c.name, sizeof c.name, "Lê\tVăn");
    assert_int_equal(applicant_check(&c, &e), ERR_INVALID);
    char buf[32];
    assert_string_equal(applicant_mask("087090001234", buf, sizeof buf), "*********234");
    assert_string_equal(applicant_mask("12", buf, sizeof buf), "12");
    assert_string_equal(applicant_mask("", buf, sizeof buf), "");
    enum dossier_channel ch;
    assert_int_equal(dossier_channel_parse("online", &ch, &e), 0);
    assert_int_equal(ch, CHANNEL_ONLINE);
    assert_int_equal(dossier_channel_parse("email", &ch, &e), ERR_INVALID);
}

static void test_names(void **state)
{
    (void)state;
    for (int s = 0; s < DS__COUNT; s++) {
        enum dossier_status back;
        assert_int_equal(
            dossier_status_parse(dossier_status_name((enum dossier_status)s), &back, NULL), 0);
        assert_int_equal(back, s);
        assert_true(strlen(dossier_status_label_vi((enum dossier_status)s)) > 0);
    }
    for (int a = 0; a < DA__COUNT; a++) {
        enum dossier_action back;
        assert_int_equal(
            dossier_action_parse(dossier_action_name((enum dossier_action)a), &back, NULL), 0);
        assert_int_equal(back, a);
    }
    assert_int_equal(dossier_status_closed(DS_RETURNED), 1);
    assert_int_equal(dossier_status_closed(DS_PAUSED), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions_table),
        cmocka_unit_test(test_clock_table),
        cmocka_unit_test(test_step_outcome),
        cmocka_unit_test(test_guards_and_bad_input),
        cmocka_unit_test(test_guard_messages),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_applicant),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
