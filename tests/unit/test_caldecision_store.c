/* test_caldecision_store.c — calendar decisions in the database (migration 030,
 * store_calendar.h), on either backend: recording one bumps the version in the same
 * transaction and the calendar rebuilt from the database counts with it; a refused decision
 * records nothing and leaves the version; the rules are checked against the decisions already
 * recorded; a decision not yet in effect is deleted, one in effect is not; a reader that keeps
 * a calendar (store_calendar_refresh) rebuilds it only when the version moved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "caldecision.h"
#include "calendar.h"
#include "date.h"
#include "store.h"
#include "store_calendar.h"
#include "testdb.h"

static struct calendar *cal;
static struct store *db;
static struct tmpdb tdb;

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
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2026, 2027, NULL, &cal, &e)) return -1;
    tmpdb_make(&tdb);
    return store_open(tdb.path, &db, &e);
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    tmpdb_remove(&tdb);
    calendar_free(cal);
    return 0;
}

static struct caldec decision(const char *citation, const char *effective, enum caldec_kind k,
                              const char *off, const char *worked)
{
    struct caldec d;
    memset(&d, 0, sizeof d);
    snprintf(d.citation, sizeof d.citation, "%s", citation);
    snprintf(d.issuer, sizeof d.issuer, "Bộ Nội vụ");
    snprintf(d.actor, sizeof d.actor, "admin.tinh");
    d.signed_on = day("2026-12-01");
    d.effective = day(effective);
    d.created_at = day("2026-12-06") * MINUTES_PER_DAY + 540;
    d.n = 1;
    d.ch[0] = (struct caldec_change){k, day(off), worked ? day(worked) : -1, "Nghỉ theo thông báo"};
    return d;
}

static char *due_of(const struct calendar *c, int n, char *buf)
{
    int64_t due;
    assert_int_equal(
        calendar_add_working_days(c, day("2026-12-04") * MINUTES_PER_DAY + 600, n, &due, NULL), 0);
    return day_format(instant_day(due), buf);
}

static void test_record_and_count(void **state)
{
    (void)state;
    int64_t today = day("2026-12-06"), v = -1, v2;
    struct err e = {0};
    char buf[11];
    assert_int_equal(store_caldec_version(db, &v, &e), 0);
    assert_int_equal(v, 0);
    struct calendar *kept = NULL;
    int64_t kept_v = -1;
    assert_int_equal(store_calendar_refresh(db, cal, &kept, &kept_v, &e), 0);
    assert_int_equal(kept_v, 0);
    assert_string_equal(due_of(kept, 3, buf), "2026-12-09");
    struct calendar *before = kept;

    /* a holiday on Monday 7/12: the 3rd working day after Friday 4/12 is Thursday 10/12 */
    struct caldec d =
        decision("Thông báo 1/TB-BNV", "2026-12-06", CALDEC_HOLIDAY, "2026-12-07", NULL);
    assert_int_equal(store_caldec_add(db, cal, &d, today, &e), 0);
    assert_true(d.id > 0);
    assert_int_equal(store_caldec_version(db, &v, &e), 0);
    assert_int_equal(v, 1);
    struct calendar *ov = NULL;
    assert_int_equal(store_calendar_overlay(db, cal, &ov, &v2, &e), 0);
    assert_int_equal(v2, 1);
    assert_string_equal(due_of(ov, 3, buf), "2026-12-10");
    calendar_free(ov);
    assert_int_equal(store_calendar_refresh(db, cal, &kept, &kept_v, &e), 0);
    assert_int_equal(kept_v, 1);
    assert_ptr_not_equal(kept, before); /* rebuilt */
    assert_string_equal(due_of(kept, 3, buf), "2026-12-10");
    before = kept;
    assert_int_equal(store_calendar_refresh(db, cal, &kept, &kept_v, &e), 0);
    assert_ptr_equal(kept, before); /* the version did not move: kept */

    /* refused: the same day again (409), a weekday worked instead (400); nothing recorded */
    struct caldec bad =
        decision("Thông báo 2/TB-BNV", "2026-12-06", CALDEC_HOLIDAY, "2026-12-07", NULL);
    assert_int_equal(store_caldec_add(db, cal, &bad, today, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "changes");
    bad = decision("Thông báo 2/TB-BNV", "2026-12-06", CALDEC_SWAP, "2026-12-08", "2026-12-09");
    assert_int_equal(store_caldec_add(db, cal, &bad, today, &e), ERR_INVALID);
    assert_string_equal(e.field, "changes[0].work_day");
    bad = decision("Thông báo 1/TB-BNV", "2026-12-06", CALDEC_HOLIDAY, "2026-12-09", NULL);
    assert_int_equal(store_caldec_add(db, cal, &bad, today, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "citation");
    assert_int_equal(store_caldec_version(db, &v, &e), 0);
    assert_int_equal(v, 1);

    /* a swap in effect tomorrow: Tuesday 8/12 off, Saturday 12/12 worked */
    struct caldec s =
        decision("Thông báo 3/TB-BNV", "2026-12-07", CALDEC_SWAP, "2026-12-08", "2026-12-12");
    assert_int_equal(store_caldec_add(db, cal, &s, today, &e), 0);
    struct caldec *list = NULL;
    int n = 0;
    assert_int_equal(store_caldec_list(db, &list, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[1].citation, "Thông báo 3/TB-BNV");
    assert_int_equal(list[1].ch[0].kind, CALDEC_SWAP);
    assert_int_equal(list[1].ch[0].work_day, day("2026-12-12"));
    assert_string_equal(list[1].actor, "admin.tinh");
    free(list);
    assert_int_equal(store_calendar_refresh(db, cal, &kept, &kept_v, &e), 0);
    assert_int_equal(kept_v, 2);
    /* 9, 10, 11, Saturday 12, 14 */
    assert_string_equal(due_of(kept, 4, buf), "2026-12-12");
    assert_string_equal(due_of(kept, 5, buf), "2026-12-14");

    /* deleting: the one in effect today is refused, the one of tomorrow goes */
    assert_int_equal(store_caldec_delete(db, d.id, today, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "effective");
    assert_int_equal(store_caldec_delete(db, s.id, today, &e), 0);
    assert_int_equal(store_caldec_delete(db, s.id, today, &e), ERR_NOT_FOUND);
    assert_int_equal(store_caldec_version(db, &v, &e), 0);
    assert_int_equal(v, 3);
    assert_int_equal(store_calendar_refresh(db, cal, &kept, &kept_v, &e), 0);
    assert_string_equal(due_of(kept, 4, buf), "2026-12-11");
    calendar_free(kept);
    /* the days table holds the one decision left */
    assert_int_equal(raw_int(tdb.path, "SELECT count(*) FROM calendar_decision_days"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_and_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
