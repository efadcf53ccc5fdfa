/* test_queue.c — the desk queue's pure rules (src/core/queue.c): every (state, action) pair
 * against tests/data/queue-transitions.tsv, the sentence the display speaks, numbers, field
 * lists, the waiting-time figures (90th percentile by nearest rank, hours open per day) and
 * appointment sessions from data/queue/sessions.tsv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queue.h"
#include "tsv.h"

static FILE *open_data(const char *name)
{
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

static void test_transitions(void **state)
{
    (void)state;
    FILE *f = open_data("queue-transitions.tsv");
    char line[256];
    int seen[QS_COUNT][QA_COUNT] = {{0}}, rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *col[3];
        assert_int_equal(tsv_split(line, col, 3), 3);
        enum queue_status from, want = QS_WAITING;
        enum queue_action act;
        assert_int_equal(queue_status_parse(col[0], &from), 0);
        assert_int_equal(queue_action_parse(col[1], &act), 0);
        int err = !strcmp(col[2], "ERR");
        if (!err) assert_int_equal(queue_status_parse(col[2], &want), 0);
        enum queue_status to = QS_COUNT;
        struct err e = {0};
        int rc = queue_transition(from, act, &to, &e);
        if (err) {
            assert_int_equal(rc, ERR_CONFLICT);
            assert_non_null(strstr(e.msg, col[0]));
            assert_non_null(strstr(e.msg, col[1]));
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(to, want);
        }
        seen[from][act]++;
        rows++;
    }
    fclose(f);
    for (int s = 0; s < QS_COUNT; s++)
        for (int a = 0; a < QA_COUNT; a++)
            if (seen[s][a] != 1)
                fail_msg("pair %s/%s listed %d times", queue_status_name((enum queue_status)s),
                         queue_action_name((enum queue_action)a), seen[s][a]);
    assert_int_equal(rows, QS_COUNT * QA_COUNT);
}

static void test_speech_and_numbers(void **state)
{
    (void)state;
    char buf[96];
    queue_speech_vi(queue_number(1, 23), 2, buf, sizeof buf);
    assert_string_equal(buf, "Mời số 1 0 2 3 đến quầy số 2");
    queue_speech_vi(queue_number(12, 7), 12, buf, sizeof buf);
    assert_string_equal(buf, "Mời số 1 2 0 0 7 đến quầy số 12");
}

static void test_fields(void **state)
{
    (void)state;
    struct queue_counter c = {.unit = "P.A", .no = 1, .name = "Quầy 1"};
    assert_int_equal(queue_fields_parse(" Hộ tịch | Chứng thực;Đất đai ", &c, NULL), 0);
    assert_int_equal(c.n_fields, 3);
    assert_string_equal(c.fields[1], "Chứng thực");
    assert_true(queue_counter_serves(&c, "Đất đai"));
    assert_false(queue_counter_serves(&c, "Đất"));
    char j[256];
    queue_fields_join(&c, j, sizeof j);
    assert_string_equal(j, "Hộ tịch|Chứng thực|Đất đai");
    assert_int_equal(queue_counter_check(&c, NULL), 0);
    struct err e = {0};
    c.no = 100;
    assert_int_equal(queue_counter_check(&c, &e), ERR_INVALID);
    assert_string_equal(e.field, "no");
    c.no = 1;
    assert_int_equal(queue_fields_parse("Hộ tịch|Hộ tịch", &c, NULL), 0);
    assert_int_equal(queue_counter_check(&c, &e), ERR_INVALID);
    assert_string_equal(e.field, "fields");
    assert_int_equal(queue_fields_parse(" | ", &c, NULL), 0);
    assert_int_equal(queue_counter_check(&c, &e), ERR_INVALID);
}

static void test_stats(void **state)
{
    (void)state;
    /* day 1: waits 60..600 s (ten called), 8 served in 300 s each, one absent, one waiting */
    struct queue_sample s[12];
    memset(s, 0, sizeof s);
    int64_t t0 = 1000000;
    for (int i = 0; i < 10; i++) {
        s[i].day = 1;
        s[i].taken = t0 + i * 60;
        s[i].called = s[i].taken + 60 * (i + 1);
        s[i].done = s[i].called + 300;
        s[i].status = i == 9 ? QS_NO_SHOW : QS_SERVED;
    }
    s[8].status = QS_CALLED;
    s[8].done = 0;
    s[10] = (struct queue_sample){1, t0 + 900, 0, 0, QS_WAITING};
    s[11] = (struct queue_sample){2, t0 + 86400, t0 + 86400 + 30, t0 + 86400 + 30 + 300, QS_SERVED};
    struct queue_stats st;
    assert_int_equal(queue_stats_compute(s, 12, &st, NULL), 0);
    assert_int_equal(st.taken, 12);
    assert_int_equal(st.served, 9);
    assert_int_equal(st.no_show, 1);
    assert_int_equal(st.waiting, 1);
    assert_int_equal(st.called, 11);
    /* waits: 60,120,…,600 and 30; sorted 30,60,…,600; nearest rank ceil(0.9·11) = 10 → 540 */
    assert_true(st.p90_wait == 540);
    assert_true(st.avg_wait > 3330.0 / 11 - 0.01 && st.avg_wait < 3330.0 / 11 + 0.01);
    assert_true(st.avg_service == 300);
    /* hours open: day 1 from the first call (t0+60) to the last finish, day 2 300 s */
    double open = (double)((t0 + 9 * 60 + 600 + 300) - (t0 + 60)) + 300;
    assert_true(st.served_per_hour > 9 * 3600.0 / open - 0.01 &&
                st.served_per_hour < 9 * 3600.0 / open + 0.01);
    assert_int_equal(queue_stats_compute(NULL, 0, &st, NULL), 0);
    assert_true(st.avg_wait < 0 && st.p90_wait < 0 && st.served_per_hour < 0);
}

static void test_sessions(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("CCHC_DATA");
    snprintf(path, sizeof path, "%s/queue/sessions.tsv", dir ? dir : "data");
    struct queue_sessions q;
    struct err e = {0};
    if (queue_sessions_load(path, "DT.MYTHO", &q, &e)) fail_msg("%s", e.msg);
    assert_int_equal(q.slot_min, 30);
    assert_true(queue_slot_valid(&q, 0, 7 * 60 + 30));
    assert_false(queue_slot_valid(&q, 0, 7 * 60 + 40));  /* off the grid */
    assert_false(queue_slot_valid(&q, 0, 11 * 60 + 30)); /* lunch */
    assert_true(queue_slot_valid(&q, 0, 16 * 60 + 30));
    assert_false(queue_slot_valid(&q, 0, 17 * 60));
    assert_true(queue_slot_valid(&q, 5, 11 * 60)); /* Saturday morning */
    assert_false(queue_slot_valid(&q, 5, 13 * 60 + 30));
    assert_false(queue_slot_valid(&q, 6, 8 * 60)); /* Sunday */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions), cmocka_unit_test(test_speech_and_numbers),
        cmocka_unit_test(test_fields),      cmocka_unit_test(test_stats),
        cmocka_unit_test(test_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
