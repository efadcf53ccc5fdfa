/* test_procadmin_store.c — a procedure's steps versioned by the day they take effect
 * (migration 029, store_procadmin.h), on either backend: a dossier works with the version in
 * force on the day it was received, so a new template changes no dossier already received and
 * applies to the ones received from its first day; a version may not start in the past nor
 * on a day a dossier of the procedure was received; attributes change in place under the
 * import's rules, checked against every version; every change is logged. */
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
#include "dossier.h"
#include "store.h"
#include "store_procadmin.h"
#include "testdb.h"

static struct calendar *cal;
static struct store *db;
static struct tmpdb tdb;
static struct procedure proc;

static int64_t instant(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "instant", &e)) fail_msg("%s", e.msg);
    return t;
}

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
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2025, 2026, NULL, &cal, &e)) return -1;
    tmpdb_make(&tdb);
    if (store_open(tdb.path, &db, &e)) return -1;
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "XA-AN-BINH");
    snprintf(u.name, sizeof u.name, "UBND xã An Bình");
    u.kind = UNIT_COMMUNE;
    snprintf(u.ident_code, sizeof u.ident_code, "000.01.02.H29");
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    if (store_unit_put(db, &u, &e)) return -1;
    memset(&proc, 0, sizeof proc);
    snprintf(proc.code, sizeof proc.code, "1.001193");
    snprintf(proc.name, sizeof proc.name, "Thủ tục đăng ký khai sinh");
    snprintf(proc.field, sizeof proc.field, "Hộ tịch");
    proc.level = LEVEL_COMMUNE;
    proc.time_amount = 5;
    proc.time_unit = TIME_WORKING_DAYS;
    proc.online = ONLINE_FULL;
    proc.fee_vnd = 0;
    proc.ndocs = 1;
    snprintf(proc.docs[0], sizeof proc.docs[0], "Tờ khai đăng ký khai sinh");
    const char *steps[] = {"Thẩm định | specialist | 50%", "Ký | leader | 50%"};
    for (int i = 0; i < 2; i++)
        if (proc_step_parse(steps[i], &proc.steps[i], "steps", &e)) return -1;
    proc.nsteps = 2;
    return store_procedure_put(db, &proc, &e) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    calendar_free(cal);
    tmpdb_remove(&tdb);
    return 0;
}

static void receive(const char *at, struct dossier *out)
{
    struct dossier_intake in = {.unit = "XA-AN-BINH",
                                .procedure = "1.001193",
                                .channel = CHANNEL_DIRECT,
                                .at = instant(at),
                                .actor = "cb.motcua",
                                .receive = 1};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Nguyễn Thị Hồng Nhung");
    snprintf(in.applicant.phone, sizeof in.applicant.phone, "0912345678");
    struct err e = {0};
    if (store_dossier_create(db, cal, &in, out, &e)) fail_msg("receive: %s", e.msg);
}

static int advance(const char *code, const char *at, struct dossier *out, struct err *e)
{
    struct dossier_change c = {
        .code = code, .action = DA_ADVANCE, .at = instant(at), .actor = "cv.tuphap"};
    return store_dossier_apply(db, cal, &c, out, e);
}

static void test_versions(void **state)
{
    (void)state;
    struct err e = {0};
    struct dossier a, b, x;
    struct proc_step three[3];
    const char *lines[] = {"Tiếp nhận | desk@desk | 20%", "Thẩm định | specialist@commune | 30%",
                           "Ký | leader@commune | 50%"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(proc_step_parse(lines[i], &three[i], "steps", &e), 0);
    receive("2026-03-02T08:00", &a); /* a Monday */
    assert_int_equal(a.st.n_steps, 2);
    int64_t earliest, last;
    assert_int_equal(
        store_procedure_steps_earliest(db, "1.001193", day("2026-03-02"), &earliest, &last, &e), 0);
    assert_true(last == day("2026-03-02") && earliest == day("2026-03-03"));
    /* not on the day a dossier was received, not in the past */
    assert_int_equal(store_procedure_steps_set(db, "1.001193", day("2026-03-02"), day("2026-03-02"),
                                               three, 3, "admin", 1, &e),
                     ERR_CONFLICT);
    assert_string_equal(e.field, "effective_from");
    assert_non_null(strstr(e.msg, "from 2026-03-03 at the earliest"));
    assert_int_equal(store_procedure_steps_set(db, "1.001193", day("2026-03-03"), day("2026-03-04"),
                                               three, 3, "admin", 1, &e),
                     ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "in the past"));
    /* the template's rules: shares summing to 100 */
    three[2].share = 40;
    assert_int_equal(store_procedure_steps_set(db, "1.001193", day("2026-03-04"), day("2026-03-02"),
                                               three, 3, "admin", 1, &e),
                     ERR_INVALID);
    assert_string_equal(e.field, "steps");
    three[2].share = 50;
    assert_int_equal(store_procedure_steps_set(db, "1.001193", day("2026-03-04"), day("2026-03-02"),
                                               three, 3, "admin", 1, &e),
                     0);
    /* the version in force by day */
    static struct procedure p;
    assert_int_equal(store_procedure_get_on(db, "1.001193", day("2026-03-03"), &p, &e), 0);
    assert_int_equal(p.nsteps, 2);
    assert_int_equal(store_procedure_get_on(db, "1.001193", day("2026-03-04"), &p, &e), 0);
    assert_int_equal(p.nsteps, 3);
    assert_string_equal(p.steps[0].name, "Tiếp nhận");
    /* a dossier received before it keeps two steps and goes through them */
    assert_int_equal(advance(a.code, "2026-03-04T09:00", &x, &e), 0);
    assert_int_equal(advance(a.code, "2026-03-04T10:00", &x, &e), 0);
    assert_int_equal(x.st.step, 2);
    assert_int_equal(x.st.n_steps, 2);
    assert_int_equal(advance(a.code, "2026-03-04T11:00", &x, &e), ERR_CONFLICT); /* the last */
    /* one received on its first day has three, the first with 20% of the budget */
    receive("2026-03-04T08:00", &b);
    assert_int_equal(b.st.n_steps, 3);
    assert_int_equal(advance(b.code, "2026-03-04T08:00", &x, &e), 0);
    int64_t due;
    assert_int_equal(calendar_add_working_minutes(cal, instant("2026-03-04T08:00"),
                                                  x.st.budget_minutes * 20 / 100, &due, &e),
                     0);
    assert_true(x.st.step_due_at == due);
    assert_int_equal(advance(b.code, "2026-03-04T09:00", &x, &e), 0);
    assert_int_equal(advance(b.code, "2026-03-04T10:00", &x, &e), 0);
    assert_int_equal(x.st.step, 3);
    /* two versions, oldest first */
    assert_int_equal(
        store_procedure_steps_earliest(db, "1.001193", day("2026-03-04"), &earliest, &last, &e), 0);
    assert_true(earliest == day("2026-03-05"));
}

/* store_procedure_get_on keeps the procedures it read per connection (migration 052): a change
 * by another connection, by raw SQL to any of the four tables, or a new step version, shows in
 * the next call, inside a read transaction too; a rolled back change does not. */
static void expect_proc(const char *name, int ndocs, int nsteps, int64_t on)
{
    static struct procedure p;
    struct err e = {0};
    if (store_procedure_get_on(db, "1.001193", on, &p, &e)) fail_msg("get_on: %s", e.msg);
    assert_string_equal(p.name, name);
    assert_int_equal(p.ndocs, ndocs);
    assert_int_equal(p.nsteps, nsteps);
}

struct in_read {
    const char *path;
    char first[PROC_NAME_MAX], second[PROC_NAME_MAX];
};

/* Reads the procedure, has another connection rename it, reads it again: the same snapshot. */
static int twice_in_read(struct store *s, void *ctx, struct err *e)
{
    struct in_read *x = ctx;
    static struct procedure p;
    int rc = store_procedure_get_on(s, "1.001193", day("2026-06-01"), &p, e);
    if (rc) return rc;
    snprintf(x->first, sizeof x->first, "%s", p.name);
    raw_exec(x->path, "UPDATE procedures SET name = 'Tên trong lúc đọc' WHERE code = '1.001193'");
    if ((rc = store_procedure_get_on(s, "1.001193", day("2026-06-01"), &p, e))) return rc;
    snprintf(x->second, sizeof x->second, "%s", p.name);
    return 0;
}

static int rename_then_fail(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    static struct procedure p;
    int rc = store_procedure_get(s, "1.001193", &p, e);
    if (rc) return rc;
    snprintf(p.name, sizeof p.name, "Tên bỏ đi");
    p.nsteps = 0;
    if ((rc = store_procedure_update(s, &p, "admin", 100, e))) return rc;
    return err_set(e, ERR_CONFLICT, "", "rolled back on purpose");
}

static void test_memo_follows_changes(void **state)
{
    (void)state;
    struct err e = {0};
    static struct procedure p;
    assert_int_equal(store_procedure_get(db, "1.001193", &p, &e), 0);
    char kept[PROC_NAME_MAX];
    snprintf(kept, sizeof kept, "%s", p.name);
    int ndocs = p.ndocs;
    expect_proc(kept, ndocs, 3, day("2026-06-01")); /* test_versions' version of 2026-03-04 */
    expect_proc(kept, ndocs, 2, day("2026-03-03")); /* the day before it: the first steps */
    expect_proc(kept, ndocs, 3, day("2026-06-01"));
    /* another connection */
    struct store *other;
    assert_int_equal(store_open(tdb.path, &other, &e), 0);
    static struct procedure q;
    assert_int_equal(store_procedure_get(other, "1.001193", &q, &e), 0);
    snprintf(q.name, sizeof q.name, "Đăng ký khai sinh (sửa)");
    q.nsteps = 0;
    assert_int_equal(store_procedure_update(other, &q, "admin", 100, &e), 0);
    store_close(other);
    expect_proc("Đăng ký khai sinh (sửa)", ndocs, 3, day("2026-06-01"));
    /* a change rolled back is not seen */
    int rc = store_tx(db, rename_then_fail, NULL, &e);
    if (rc != ERR_CONFLICT) fail_msg("rename_then_fail: %d %s", rc, e.msg);
    expect_proc("Đăng ký khai sinh (sửa)", ndocs, 3, day("2026-06-01"));
    /* raw SQL behind the store's back, to each table */
    raw_exec(tdb.path, "UPDATE procedures SET name = 'Tên mới' WHERE code = '1.001193'");
    expect_proc("Tên mới", ndocs, 3, day("2026-06-01"));
    raw_exec(tdb.path, "INSERT INTO procedure_documents (procedure_code, seq, text) "
                       "VALUES ('1.001193', 99, 'Giấy tờ thêm')");
    expect_proc("Tên mới", ndocs + 1, 3, day("2026-06-01"));
    raw_exec(tdb.path, "DELETE FROM procedure_documents WHERE seq = 99");
    expect_proc("Tên mới", ndocs, 3, day("2026-06-01"));
    raw_exec(tdb.path, "DELETE FROM procedure_steps WHERE procedure_code = '1.001193' AND seq = 2");
    expect_proc("Tên mới", ndocs, 1, day("2026-03-03"));
    raw_exec(tdb.path, "DELETE FROM procedure_step_versions WHERE procedure_code = '1.001193' "
                       "AND seq = 3");
    expect_proc("Tên mới", ndocs, 2, day("2026-06-01"));
    /* a read transaction sees one snapshot; the next one sees the change */
    struct in_read x = {tdb.path, "", ""};
    assert_int_equal(store_read(db, twice_in_read, &x, &e), 0);
    assert_string_equal(x.first, "Tên mới");
    assert_string_equal(x.second, "Tên mới");
    expect_proc("Tên trong lúc đọc", ndocs, 2, day("2026-06-01"));
    raw_exec(tdb.path, "UPDATE procedures SET name = 'Đăng ký khai sinh' WHERE code = '1.001193'");
}

static int count_version(int64_t from, const struct proc_step *steps, int n, void *ctx)
{
    (void)from, (void)steps, (void)n;
    ++*(int *)ctx;
    return 0;
}

static int first_change(const struct procedure_change *c, void *ctx)
{
    struct procedure_change *out = ctx;
    if (!out->id) *out = *c;
    return 0;
}

static void test_attributes(void **state)
{
    (void)state;
    struct err e = {0};
    static struct procedure p, got;
    assert_int_equal(store_procedure_get(db, "1.001193", &p, &e), 0);
    /* in calendar days, hours-based steps of a version would not fit: here percents, fine */
    snprintf(p.name, sizeof p.name, "Đăng ký khai sinh");
    p.time_amount = 3;
    p.nsteps = 0; /* the steps given are ignored: they are versioned apart */
    assert_int_equal(store_procedure_update(db, &p, "admin", 100, &e), 0);
    assert_int_equal(store_procedure_get(db, "1.001193", &got, &e), 0);
    assert_string_equal(got.name, "Đăng ký khai sinh");
    assert_int_equal(got.time_amount, 3);
    assert_int_equal(got.nsteps, 2);
    /* the import's rules: a decision without its date; nothing changes */
    snprintf(p.decision, sizeof p.decision, "12/QĐ-UBND");
    p.time_amount = 9;
    assert_int_equal(store_procedure_update(db, &p, "admin", 101, &e), ERR_INVALID);
    assert_string_equal(e.field, "decision_date");
    assert_int_equal(store_procedure_get(db, "1.001193", &got, &e), 0);
    assert_int_equal(got.time_amount, 3);
    int n = 0;
    assert_int_equal(store_procedure_versions(db, "1.001193", count_version, &n, &e), 0);
    assert_int_equal(n, 2);
    struct procedure_change c = {0};
    assert_int_equal(store_procedure_changes(db, "1.001193", 10, first_change, &c, &e), 0);
    assert_string_equal(c.what, "attributes");
    assert_string_equal(c.summary, "name, time");
    assert_string_equal(c.actor, "admin");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_memo_follows_changes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
