/* test_dialogue.c — dialogues and their commitments through the store, on SQLite and (as
 * pg.unit.test_dialogue) PostgreSQL: a dialogue with commitments, each judged on a day (open,
 * overdue, closed on time or late), closing once, scope by unit, and bad input that changes
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "dialogue.h"
#include "store.h"
#include "store_dialogue.h"
#include "testdb.h"

static struct store *db;
static struct tmpdb tdb;

static int64_t day(const char *s)
{
    struct ymd d;
    if (ymd_parse(s, &d, "day", NULL)) fail_msg("bad day %s", s);
    return ymd_to_days(d);
}

static void put_unit(const char *code, const char *parent, enum unit_kind kind)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "Đơn vị %s", code);
    u.kind = kind;
    snprintf(u.parent, sizeof u.parent, "%s", parent ? parent : "");
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct err e = {0};
    if (store_unit_put(db, &u, &e)) fail_msg("unit: %s", e.msg);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    tmpdb_make(&tdb);
    if (store_open(tdb.path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    put_unit("TINH", NULL, UNIT_PROVINCE);
    put_unit("XA-A", "TINH", UNIT_COMMUNE);
    put_unit("XA-B", "TINH", UNIT_COMMUNE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    tmpdb_remove(&tdb);
    return 0;
}

static int64_t add_dialogue(const char *unit, const char *when)
{
    static struct dialogue d;
    memset(&d, 0, sizeof d);
    snprintf(d.unit, sizeof d.unit, "%s", unit);
    d.day = day(when);
    snprintf(d.title, sizeof d.title, "Đối thoại với hộ kinh doanh chợ");
    snprintf(d.participants, sizeof d.participants, "Hộ kinh doanh chợ; Ban quản lý chợ");
    snprintf(d.questions, sizeof d.questions, "Giờ thu gom rác;\nPhí vệ sinh");
    struct err e = {0};
    if (store_dialogue_add(db, &d, &e)) fail_msg("dialogue: %s", e.msg);
    return d.id;
}

static int64_t add_commitment(int64_t dlg, const char *text, const char *due)
{
    static struct commitment c;
    memset(&c, 0, sizeof c);
    c.dialogue_id = dlg;
    snprintf(c.text, sizeof c.text, "%s", text);
    snprintf(c.owner, sizeof c.owner, "cb.moitruong");
    c.due_day = day(due);
    struct err e = {0};
    if (store_commitment_add(db, &c, &e)) fail_msg("commitment: %s", e.msg);
    return c.id;
}

struct seen {
    char buf[512];
    int64_t today;
};
static int seen_fn(const struct dialogue *d, const struct commitment *c, void *ctx)
{
    struct seen *x = ctx;
    snprintf(x->buf + strlen(x->buf), sizeof x->buf - strlen(x->buf), "%s:%s:%s;", d->unit, c->text,
             commitment_outcome_name(commitment_outcome_at(c, x->today)));
    return 0;
}

static void test_followed_until_closed(void **state)
{
    (void)state;
    int64_t d = add_dialogue("XA-A", "2025-09-10");
    int64_t c1 = add_commitment(d, "Thu gom rác trước 6 giờ", "2025-09-30");
    int64_t c2 = add_commitment(d, "Công khai mức phí vệ sinh", "2025-09-20");
    int64_t c3 = add_commitment(d, "Sửa mái che", "2025-10-31");
    add_commitment(add_dialogue("XA-B", "2025-09-12"), "Lắp đèn", "2025-09-15");
    struct err e = {0};
    assert_int_equal(store_commitment_close(db, c1, day("2025-09-25"), "Đã điều chỉnh lịch", &e),
                     0);
    assert_int_equal(store_commitment_close(db, c2, day("2025-09-22"), "Đã niêm yết", &e), 0);
    assert_int_equal(store_commitment_close(db, c1, day("2025-09-26"), "lần hai", &e),
                     ERR_CONFLICT);
    struct seen x = {"", day("2025-10-01")};
    assert_int_equal(store_commitments(db, "XA-A", x.today, 0, seen_fn, &x, &e), 0);
    assert_string_equal(x.buf, "XA-A:Công khai mức phí vệ sinh:late;"
                               "XA-A:Thu gom rác trước 6 giờ:on_time;XA-A:Sửa mái che:open;");
    /* open ones across the province: XA-B's is overdue */
    x.buf[0] = '\0';
    assert_int_equal(store_commitments(db, "TINH", x.today, 1, seen_fn, &x, &e), 0);
    assert_string_equal(x.buf, "XA-A:Sửa mái che:open;XA-B:Lắp đèn:overdue;");
    (void)c3;
}

static void test_bad_input(void **state)
{
    (void)state;
    struct dialogue d;
    memset(&d, 0, sizeof d);
    struct err e = {0};
    snprintf(d.unit, sizeof d.unit, "XA-Z");
    d.day = day("2025-09-10");
    snprintf(d.title, sizeof d.title, "x");
    assert_int_equal(store_dialogue_add(db, &d, &e), ERR_INVALID);
    assert_string_equal(e.field, "unit");
    snprintf(d.unit, sizeof d.unit, "XA-A");
    d.title[0] = '\0';
    assert_int_equal(store_dialogue_add(db, &d, &e), ERR_INVALID);
    assert_string_equal(e.field, "title");
    int64_t dl = add_dialogue("XA-A", "2025-09-10");
    struct commitment c;
    memset(&c, 0, sizeof c);
    c.dialogue_id = dl;
    snprintf(c.text, sizeof c.text, "Làm gì đó");
    snprintf(c.owner, sizeof c.owner, "ai");
    c.due_day = day("2025-09-01");
    assert_int_equal(store_commitment_add(db, &c, &e), ERR_INVALID);
    assert_string_equal(e.field, "due");
    c.dialogue_id = 99999;
    assert_int_equal(store_commitment_add(db, &c, &e), ERR_NOT_FOUND);
    int64_t id = add_commitment(dl, "Việc", "2025-09-30");
    assert_int_equal(store_commitment_close(db, id, day("2025-09-01"), "x", &e), ERR_INVALID);
    assert_int_equal(store_commitment_close(db, id, day("2025-09-20"), "", &e), ERR_INVALID);
    struct seen x = {"", day("2025-09-20")};
    assert_int_equal(store_commitments(db, NULL, x.today, 1, seen_fn, &x, &e), 0);
    assert_non_null(strstr(x.buf, "XA-A:Việc:open;"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_followed_until_closed),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
