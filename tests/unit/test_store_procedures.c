/* test_store_procedures.c — the procedures catalogue on a real SQLite file: a procedure with
 * its documents and steps written, replaced and read back; the template checks; search that
 * ignores case and diacritics (and treats % and _ literally); the demo catalogue imports whole
 * with its legal times; every bad file in tests/data/import reports the expected lines; and an
 * injected failure on the last row leaves the catalogue as it was. */
#include "store_testutil.h"

static struct procedure *sample(void)
{
    static struct procedure p;
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "9.000001");
    snprintf(p.name, sizeof p.name, "Đăng ký khai sinh (mẫu thử)");
    snprintf(p.field, sizeof p.field, "Hộ tịch");
    p.level = LEVEL_COMMUNE;
    p.time_amount = 3;
    p.time_unit = TIME_WORKING_DAYS;
    p.fee_vnd = -1;
    snprintf(p.fee_note, sizeof p.fee_note, "Theo mức HĐND tỉnh");
    p.online = ONLINE_PARTIAL;
    p.ndocs = 2;
    snprintf(p.docs[0], PROC_TEXT_MAX, "Tờ khai");
    snprintf(p.docs[1], PROC_TEXT_MAX, "Giấy chứng sinh");
    struct err e = {0};
    const char *steps[] = {"Tiếp nhận | desk@desk | 10%", "Thẩm định | specialist@commune | 60%",
                           "Ký | leader | 30%"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(proc_step_parse(steps[i], &p.steps[i], "steps", &e), 0);
    p.nsteps = 3;
    return &p;
}

static void test_roundtrip_and_replace(void **state)
{
    struct fixture *f = *state;
    struct procedure *p = sample();
    struct err e = {0};
    assert_int_equal(store_procedure_put(f->s, p, &e), 0);
    static struct procedure got;
    assert_int_equal(store_procedure_get(f->s, "9.000001", &got, &e), 0);
    assert_string_equal(got.name, "Đăng ký khai sinh (mẫu thử)");
    assert_int_equal(got.level, LEVEL_COMMUNE);
    assert_int_equal(got.time_amount, 3);
    assert_int_equal(got.time_unit, TIME_WORKING_DAYS);
    assert_true(got.fee_vnd == -1);
    assert_string_equal(got.fee_note, "Theo mức HĐND tỉnh");
    assert_int_equal(got.online, ONLINE_PARTIAL);
    assert_int_equal(got.ndocs, 2);
    assert_string_equal(got.docs[1], "Giấy chứng sinh");
    assert_int_equal(got.nsteps, 3);
    assert_string_equal(got.steps[1].name, "Thẩm định");
    assert_int_equal(got.steps[1].role, ROLE_SPECIALIST);
    assert_int_equal(got.steps[1].unit_kind, UNIT_COMMUNE);
    assert_int_equal(got.steps[2].unit_kind, -1);
    assert_int_equal(got.steps[2].share, 30);
    char buf[256];
    assert_string_equal(proc_step_format(&got.steps[0], buf, sizeof buf),
                        "Tiếp nhận | desk@desk | 10%");
    /* replace: fewer documents and steps, a fixed fee */
    p->ndocs = 1;
    p->nsteps = 1;
    p->steps[0].share = 100;
    p->fee_vnd = 8000;
    assert_int_equal(store_procedure_put(f->s, p, &e), 0);
    assert_int_equal(store_procedure_get(f->s, "9.000001", &got, &e), 0);
    assert_int_equal(got.ndocs, 1);
    assert_int_equal(got.nsteps, 1);
    assert_int_equal(got.fee_vnd, 8000);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedure_documents"), 1);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedure_steps"), 1);
    assert_int_equal(store_procedure_delete(f->s, "9.000001", &e), 0);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedure_steps"), 0);
    assert_int_equal(store_procedure_delete(f->s, "9.000001", &e), ERR_NOT_FOUND);
    assert_int_equal(store_procedure_get(f->s, "9.000001", &got, &e), ERR_NOT_FOUND);
}

static void test_checks(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct procedure *p = sample();
    p->steps[2].share = 20; /* 90% */
    assert_int_equal(store_procedure_put(f->s, p, &e), ERR_INVALID);
    assert_string_equal(e.field, "steps");
    p = sample();
    p->steps[2].share_unit = SHARE_HOURS;
    assert_int_equal(store_procedure_put(f->s, p, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "same unit"));
    p = sample();
    snprintf(p->code, sizeof p->code, "1-001193");
    assert_int_equal(store_procedure_put(f->s, p, &e), ERR_INVALID);
    assert_string_equal(e.field, "code");
    p = sample();
    p->fee_note[0] = '\0';
    assert_int_equal(store_procedure_put(f->s, p, &e), ERR_INVALID);
    assert_string_equal(e.field, "fee_note");
    p = sample();
    p->time_unit = TIME_CALENDAR_DAYS;
    for (int i = 0; i < 3; i++)
        p->steps[i].share_unit = SHARE_HOURS;
    assert_int_equal(store_procedure_put(f->s, p, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "use percents with cd"));
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedures"), 0);
}

static void test_step_syntax(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int ok;
        const char *want; /* formatted back, or a fragment of the error */
    } cases[] = {
        {"  Thẩm định  |specialist@department|  40%", 1, "Thẩm định | specialist@department | 40%"},
        {"Ký | leader | 8h", 1, "Ký | leader | 8h"},
        {"Ký | leader | 0%", 0, "whole percent 1-100"},
        {"Ký | leader | 101%", 0, "whole percent 1-100"},
        {"Ký | leader | 4.5h", 0, "whole percent"},
        {"Ký | leader | 40", 0, "whole percent"},
        {"Ký | boss | 40%", 0, "not a role"},
        {"Ký | leader@village | 40%", 0, "not a unit kind"},
        {"Ký | leader", 0, "expected NAME"},
        {"Ký | leader | 40% | x", 0, "expected NAME"},
        {" | leader | 40%", 0, "empty name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct proc_step st;
        struct err e = {0};
        char buf[256];
        int rc = proc_step_parse(cases[i].line, &st, "steps", &e);
        if (cases[i].ok) {
            if (rc) fail_msg("'%s': %s", cases[i].line, e.msg);
            assert_string_equal(proc_step_format(&st, buf, sizeof buf), cases[i].want);
        } else {
            assert_int_equal(rc, ERR_INVALID);
            if (!strstr(e.msg, cases[i].want))
                fail_msg("'%s': error '%s' lacks '%s'", cases[i].line, e.msg, cases[i].want);
        }
    }
}

/* Joins the codes a listing yields. */
struct codes {
    char buf[2048];
};
static int add_code(const struct procedure *p, void *ctx)
{
    struct codes *c = ctx;
    size_t n = strlen(c->buf);
    snprintf(c->buf + n, sizeof c->buf - n, "%s%s", n ? "," : "", p->code);
    return 0;
}

static void import_catalogue(struct fixture *f, struct import_result *res)
{
    const char *data = getenv("CCHC_DATA");
    assert_non_null(data);
    char path[600];
    snprintf(path, sizeof path, "%s/catalog/procedures.csv", data);
    struct reports r = {.n = 0};
    struct err e = {0};
    if (import_procedures(f->s, path, collect_report, &r, res, &e))
        fail_msg("%s\n%s", e.msg, r.text);
}

static void search(struct store *s, const char *q, const char *want)
{
    struct codes c = {""};
    struct err e = {0};
    assert_int_equal(store_procedure_list(s, q, add_code, &c, &e), 0);
    if (strcmp(c.buf, want)) fail_msg("search '%s': got [%s], want [%s]", q, c.buf, want);
}

/* The list reads the documents and steps of all listed procedures at once: each procedure
 * it gives must be exactly what store_procedure_get reads for its code. */
struct same_ctx {
    struct store *s;
    int n, docs, steps;
};

static int same_as_get(const struct procedure *p, void *ctx)
{
    struct same_ctx *x = ctx;
    static struct procedure got;
    struct err e = {0};
    assert_int_equal(store_procedure_get(x->s, p->code, &got, &e), 0);
    if (memcmp(&got, p, sizeof got))
        fail_msg("procedure %s in the list (%d documents, %d steps) differs from its own read (%d, "
                 "%d)",
                 p->code, p->ndocs, p->nsteps, got.ndocs, got.nsteps);
    x->n++;
    x->docs += p->ndocs;
    x->steps += p->nsteps;
    return 0;
}

static void test_demo_catalogue_and_search(void **state)
{
    struct fixture *f = *state;
    struct import_result res = {0};
    import_catalogue(f, &res);
    assert_true(res.rows >= 25);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedures"), res.rows);
    /* legal times as cited in data/catalog/README.md */
    static const struct {
        const char *code;
        int amount;
        enum time_unit unit;
        enum proc_level level;
    } want[] = {
        {"1.001193", 0, TIME_WORKING_DAYS, LEVEL_COMMUNE},   /* khai sinh: trong ngày */
        {"1.000894", 0, TIME_WORKING_DAYS, LEVEL_COMMUNE},   /* kết hôn */
        {"2.000815", 0, TIME_WORKING_DAYS, LEVEL_COMMUNE},   /* chứng thực bản sao */
        {"1.004222", 7, TIME_WORKING_DAYS, LEVEL_COMMUNE},   /* thường trú */
        {"1.001612", 3, TIME_WORKING_DAYS, LEVEL_COMMUNE},   /* hộ kinh doanh */
        {"1.013225", 15, TIME_CALENDAR_DAYS, LEVEL_COMMUNE}, /* GPXD nhà ở riêng lẻ */
        {"2.001610", 3, TIME_WORKING_DAYS, LEVEL_PROVINCE},  /* doanh nghiệp tư nhân */
    };
    static struct procedure p;
    struct err e = {0};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(store_procedure_get(f->s, want[i].code, &p, &e), 0);
        assert_int_equal(p.time_amount, want[i].amount);
        assert_int_equal(p.time_unit, want[i].unit);
        assert_int_equal(p.level, want[i].level);
        assert_true(p.nsteps >= 3);
        assert_true(p.legal_basis[0] != '\0');
    }
    search(f->s, "KHAI SINH", "1.000689,1.001193,1.004884");
    search(f->s, "khai sinh", "1.000689,1.001193,1.004884");
    search(f->s, "Khai  Sinh", "1.000689,1.001193,1.004884");
    search(f->s, "đăng ký khai tử", "1.000656");
    search(f->s, "dang ky khai tu", "1.000656");
    search(f->s, "chứng thực chữ ký", "2.000884");
    search(f->s, "1.0011", "1.001193");
    search(f->s, "%", "");
    search(f->s, "_", "");
    search(f->s, "không có thủ tục này", "");
    struct codes all = {""};
    assert_int_equal(store_procedure_list(f->s, NULL, add_code, &all, &e), 0);
    int n = 1;
    for (const char *c = all.buf; *c; c++)
        n += *c == ',';
    assert_int_equal(n, res.rows);
    struct same_ctx x = {f->s, 0, 0, 0};
    assert_int_equal(store_procedure_list(f->s, NULL, same_as_get, &x, &e), 0);
    assert_int_equal(x.n, res.rows);
    if (x.docs < x.n || x.steps < x.n) fail_msg("documents %d, steps %d", x.docs, x.steps);
    x = (struct same_ctx){f->s, 0, 0, 0};
    assert_int_equal(store_procedure_list(f->s, "khai sinh", same_as_get, &x, &e), 0);
    assert_true(x.n > 0 && x.n < res.rows);
}

static void test_import_bad_files(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(store_procedure_put(f->s, sample(), &e), 0);
    expect_import_fails(f->s, f->db.path, import_procedures, "procedures-bad", "procedures");
    expect_import_fails(f->s, f->db.path, import_procedures, "procedures-bad-header", "procedures");
    /* the good first row of procedures-bad.csv (same code as the sample) was rolled back */
    static struct procedure got;
    assert_int_equal(store_procedure_get(f->s, "9.000001", &got, &e), 0);
    assert_string_equal(got.name, "Đăng ký khai sinh (mẫu thử)");
}

static void test_import_fault_on_last_row(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    assert_int_equal(store_procedure_put(f->s, sample(), &e), 0);
    /* the catalogue's last row is 2.000488; its steps are the last rows written */
    fault_trigger(f->db.path, "fault", "procedure_steps",
                  "NEW.procedure_code = '2.000488' AND NEW.seq = 4", "injected fault");
    const char *data = getenv("CCHC_DATA");
    char path[600];
    snprintf(path, sizeof path, "%s/catalog/procedures.csv", data);
    struct reports r = {.n = 0};
    struct import_result res = {0};
    assert_int_equal(import_procedures(f->s, path, collect_report, &r, &res, &e), ERR_INVALID);
    assert_non_null(strstr(r.text, "injected fault"));
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedures"), 1);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedure_documents"), 2);
    assert_int_equal(raw_int(f->db.path, "SELECT count(*) FROM procedure_steps"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_and_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
        cmocka_unit_test(test_step_syntax),
        cmocka_unit_test_setup_teardown(test_demo_catalogue_and_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_fault_on_last_row, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
