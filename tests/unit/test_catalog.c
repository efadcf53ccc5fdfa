/* test_catalog.c — the published catalogue (issue 20, part 4): the publicity rules of
 * data/catalog/publicity.tsv by the decision's date, one procedure judged published on time,
 * updated on the national database on time and complete, the period's counts behind Decision
 * 766's indicators 1.1–1.3, the checks on the catalogue fields (naming field, value and
 * rule), and malformed rule files refused with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "date.h"

static const char *data_dir(void)
{
    const char *dir = getenv("CCHC_DATA");
    if (!dir) fail_msg("CCHC_DATA is not set (run through ctest)");
    return dir;
}

static int64_t day(int y, int m, int d)
{
    return ymd_to_days((struct ymd){y, m, d});
}

struct fixture {
    struct publicity_rules rules;
    struct calendar *cal;
    struct procedure p;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err e = {0};
    if (publicity_rules_load(data_dir(), &f->rules, &e)) fail_msg("rules: %s", e.msg);
    if (calendar_load(data_dir(), 2024, 2027, NULL, &f->cal, &e)) fail_msg("calendar: %s", e.msg);
    struct procedure *p = &f->p;
    snprintf(p->code, sizeof p->code, "1.001193");
    snprintf(p->name, sizeof p->name, "Đăng ký khai sinh");
    snprintf(p->field, sizeof p->field, "Hộ tịch");
    p->level = LEVEL_COMMUNE;
    p->ndocs = 1;
    snprintf(p->docs[0], sizeof p->docs[0], "Tờ khai");
    p->nsteps = 1;
    snprintf(p->steps[0].name, sizeof p->steps[0].name, "Tiếp nhận");
    p->steps[0].share = 100;
    p->steps[0].unit_kind = -1;
    snprintf(p->legal_basis, sizeof p->legal_basis, "Luật Hộ tịch 2014, Điều 16");
    snprintf(p->decision, sizeof p->decision, "850/QĐ-UBND");
    snprintf(p->decision_date, sizeof p->decision_date, "2025-06-02");
    snprintf(p->basis_effective, sizeof p->basis_effective, "2025-07-01");
    snprintf(p->posted_portal, sizeof p->posted_portal, "2025-06-09");
    snprintf(p->posted_desk, sizeof p->posted_desk, "2025-06-10");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    calendar_free(f->cal);
    free(f);
    return 0;
}

static void test_rules_by_date(void **state)
{
    struct fixture *f = *state;
    const struct pub_rule_row *r = publicity_rule(&f->rules, PUB_PUBLISH_LEAD, day(2025, 6, 2));
    assert_non_null(r);
    assert_int_equal(r->days, 20);
    assert_non_null(strstr(r->source, "63/2010/NĐ-CP"));
    assert_non_null(publicity_rule(&f->rules, PUB_PORTAL_WITHIN, day(2025, 6, 2)));
    /* before the amending decree, no rule: a decision of 2016 is not judged */
    assert_null(publicity_rule(&f->rules, PUB_PUBLISH_LEAD, day(2016, 1, 4)));
}

static void test_on_time(void **state)
{
    struct fixture *f = *state;
    struct publicity_eval ev;
    /* 2/6/2025 → 1/7/2025: 21 working days after the decision: on
     * time; portal on 9/6 (5 working days), desk on 10/6 (6): portal on time, desk late */
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.published_on_time, 1);
    assert_int_equal(ev.portal_on_time, 1);
    assert_int_equal(ev.desk_on_time, 0);
    assert_int_equal(ev.complete, 1);
    assert_string_equal(ev.missing, "");
}

static void test_late_and_unknown(void **state)
{
    struct fixture *f = *state;
    struct publicity_eval ev;
    /* a decision 19 working days before the effective day is late (4/6 → 1/7) */
    snprintf(f->p.decision_date, sizeof f->p.decision_date, "2025-06-04");
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.published_on_time, 0);
    snprintf(f->p.decision_date, sizeof f->p.decision_date, "2025-06-03");
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.published_on_time, 1);
    /* a decision on or after the effective day is late */
    snprintf(f->p.decision_date, sizeof f->p.decision_date, "2025-07-01");
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.published_on_time, 0);
    /* no effective date: 1.1 cannot be judged; no portal date: 1.2 unknown */
    f->p.basis_effective[0] = '\0';
    f->p.posted_portal[0] = '\0';
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.published_on_time, -1);
    assert_int_equal(ev.portal_on_time, -1);
}

static void test_incomplete(void **state)
{
    struct fixture *f = *state;
    struct publicity_eval ev;
    f->p.ndocs = 0;
    f->p.legal_basis[0] = '\0';
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    assert_int_equal(ev.complete, 0);
    assert_string_equal(ev.missing, "thành phần hồ sơ, căn cứ pháp lý");
}

static void test_counts(void **state)
{
    struct fixture *f = *state;
    struct publicity_counts c = {0};
    struct publicity_eval ev;
    int64_t from = day(2025, 1, 1), to = day(2025, 12, 31);
    procedure_publicity(&f->p, &f->rules, f->cal, &ev); /* on time, on the portal */
    publicity_count(&c, &ev, from, to);
    f->p.posted_portal[0] = '\0'; /* not on the database: late for 1.2, not in 1.3 */
    procedure_publicity(&f->p, &f->rules, f->cal, &ev);
    publicity_count(&c, &ev, from, to);
    assert_int_equal(c.published, 2);
    assert_int_equal(c.published_on_time, 2);
    assert_int_equal(c.to_update, 2);
    assert_int_equal(c.updated_on_time, 1);
    assert_int_equal(c.on_portal, 1);
    assert_int_equal(c.complete, 1);
    /* a decision outside the period is not counted for 1.1 and 1.2 */
    struct publicity_counts c2 = {0};
    publicity_count(&c2, &ev, day(2026, 1, 1), day(2026, 12, 31));
    assert_int_equal(c2.published, 0);
    assert_int_equal(c2.to_update, 0);
}

static void test_check_fields(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(procedure_check(&f->p, &e), 0);
    snprintf(f->p.posted_desk, sizeof f->p.posted_desk, "2025-05-30");
    assert_int_equal(procedure_check(&f->p, &e), ERR_INVALID);
    assert_string_equal(e.field, "posted_desk");
    assert_non_null(strstr(e.msg, "'2025-05-30'"));
    assert_non_null(strstr(e.msg, "on or after the day of the decision"));
    f->p.posted_desk[0] = '\0';
    f->p.receive = RECV_PROVINCE;
    assert_int_equal(procedure_check(&f->p, &e), ERR_INVALID);
    assert_string_equal(e.field, "receive_basis");
    snprintf(f->p.receive_basis, sizeof f->p.receive_basis, "Nghị định 118/2025/NĐ-CP");
    assert_int_equal(procedure_check(&f->p, &e), 0);
    enum recv_scope r;
    assert_int_equal(recv_scope_parse("tinh", &r, "receive", &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "(unit, province, nation)"));
}

static void test_receive_check(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    /* the receiving unit deciding, or no decider: always */
    assert_int_equal(receive_check(&f->p, "A", "P", NULL, "", &e), 0);
    assert_int_equal(receive_check(&f->p, "A", "P", "A", "P", &e), 0);
    /* a procedure not on the list: refused naming decider */
    f->p.receive = RECV_UNIT;
    assert_int_equal(receive_check(&f->p, "A", "P", "B", "P", &e), ERR_INVALID);
    assert_string_equal(e.field, "decider");
    assert_non_null(strstr(e.msg, "'B': procedure 1.001193 is received only at the desk"));
    /* province-wide: within one province only */
    f->p.receive = RECV_PROVINCE;
    snprintf(f->p.receive_basis, sizeof f->p.receive_basis, "QĐ thử");
    assert_int_equal(receive_check(&f->p, "A", "P", "B", "P", &e), 0);
    assert_int_equal(receive_check(&f->p, "A", "P", "C", "Q", &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "A is in P, C in Q"));
    /* nationwide: anywhere */
    f->p.receive = RECV_NATION;
    assert_int_equal(receive_check(&f->p, "A", "P", "C", "Q", &e), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"h\npublish_lead\t2017-01-01\t\t20\tx\n", "expected 6 tab-separated fields"},
        {"h\npublish\t2017-01-01\t\t20\tx\tyes\n", "rule 'publish'"},
        {"h\npublish_lead\t2017-13-01\t\t20\tx\tyes\n", "not a date"},
        {"h\npublish_lead\t2017-01-01\t\tmany\tx\tyes\n", "days 'many'"},
        {"h\npublish_lead\t2017-01-01\t\t20\tx\tmaybe\n", "verify 'maybe'"},
        {"h\npublish_lead\t2017-01-01\t\t20\tx\tyes\npublish_lead\t2020-01-01\t\t10\ty\tno\n",
         ":3: the period of this publish_lead rule overlaps"},
    };
    char path[] = "/tmp/cchc-test-publicity-XXXXXX.tsv";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct publicity_rules r;
        struct err e = {0};
        write_file(path, cases[i].text);
        assert_int_equal(publicity_rules_load(path, &r, &e), ERR_INVALID);
        if (!strstr(e.msg, cases[i].msg)) fail_msg("case %zu: '%s'", i, e.msg);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules_by_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_on_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incomplete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_check, setup, teardown),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
