/* test_reform.c — the CCHC plan task logic of src/core/reform.c: every (state, action) pair
 * against tests/data/task-transitions.tsv, progress rolled up through three levels of the
 * unit tree (province → department → commune), due classes, the completion rate, reform
 * areas from a PAR set and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "reform.h"
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

static int64_t day(const char *s)
{
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, "day", &e)) fail_msg("%s", e.msg);
    return ymd_to_days(d);
}

static struct reform_task fresh(void)
{
    struct reform_task t = {.id = 1, .plan_id = 1, .weight = 1};
    snprintf(t.area, sizeof t.area, "1");
    snprintf(t.title, sizeof t.title, "Ban hành kế hoạch CCHC năm 2026");
    snprintf(t.owner, sizeof t.owner, "T01");
    t.start_day = day("2026-01-05");
    t.due_day = day("2026-03-31");
    return t;
}

static void must(struct reform_task *t, enum task_action a, const char *note)
{
    struct task_args in = {.day = day("2026-02-01"), .progress = -1, .note = note};
    struct reform_task next;
    struct err e = {0};
    if (reform_task_apply(t, a, &in, &next, &e))
        fail_msg("%s: %s", task_action_desc(a)->name, e.msg);
    *t = next;
}

static void reach(struct reform_task *t, const char *state)
{
    *t = fresh();
    if (!strcmp(state, "planned")) return;
    if (!strcmp(state, "in_progress")) {
        must(t, TA_START, NULL);
    } else if (!strcmp(state, "paused")) {
        must(t, TA_START, NULL);
        must(t, TA_PAUSE, "chờ văn bản hướng dẫn của Bộ");
    } else if (!strcmp(state, "done")) {
        must(t, TA_COMPLETE, NULL);
    } else if (!strcmp(state, "cancelled")) {
        must(t, TA_CANCEL, "gộp vào nhiệm vụ khác");
    } else {
        fail_msg("no path to '%s'", state);
    }
    assert_string_equal(task_status_name(t->status), state);
}

static void transitions_table(void **state)
{
    (void)state;
    FILE *f = open_data("task-transitions.tsv");
    char line[512];
    int seen[TS__COUNT][TA__COUNT] = {{0}};
    int rows = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *c[4];
        if (tsv_split(line, c, 4) != 4) fail_msg("task-transitions.tsv:%d: 4 columns", lineno);
        enum task_status from;
        enum task_action act;
        struct err e = {0};
        assert_int_equal(task_status_parse(c[0], &from, "state", &e), 0);
        assert_int_equal(task_action_parse(c[2], &act, "action", &e), 0);
        struct reform_task t;
        reach(&t, c[0]);
        int parent = !strcmp(c[1], "parent");
        if (parent)
            t.nchildren = 2;
        else
            seen[from][act] = 1;
        const struct task_action_desc *d = task_action_desc(act);
        struct task_args in = {.day = day("2026-02-10"),
                               .progress = (d->flags & RAF_PROGRESS) ? 40 : -1,
                               .note = (d->flags & RAF_REASON) ? "lý do" : NULL};
        struct reform_task next;
        int rc = reform_task_apply(&t, act, &in, &next, &e);
        if (!strcmp(c[3], "ERR")) {
            if (!rc)
                fail_msg("task-transitions.tsv:%d: %s %s %s succeeded (-> %s)", lineno, c[0], c[1],
                         c[2], task_status_name(next.status));
            assert_int_equal(rc, parent ? ERR_INVALID : ERR_CONFLICT);
            if (!parent) {
                assert_non_null(strstr(e.msg, c[0])); /* names the state … */
                assert_non_null(strstr(e.msg, c[2])); /* … and the action */
            } else {
                assert_string_equal(e.field, "progress");
            }
        } else {
            if (rc) fail_msg("task-transitions.tsv:%d: %s %s: %s", lineno, c[0], c[2], e.msg);
            if (strcmp(task_status_name(next.status), c[3]))
                fail_msg("task-transitions.tsv:%d: %s %s -> %s, table says %s", lineno, c[0], c[2],
                         task_status_name(next.status), c[3]);
            if (act == TA_COMPLETE) {
                assert_int_equal(next.progress, 100);
                assert_int_equal(next.done_day, day("2026-02-10"));
            }
            if (act == TA_REPORT) assert_int_equal(next.progress, 40);
            if (act == TA_REOPEN) assert_int_equal(next.done_day, 0);
        }
        rows++;
    }
    fclose(f);
    for (int s = 0; s < TS__COUNT; s++)
        for (int a = 0; a < TA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("task-transitions.tsv: no row for (%s, %s)", task_status_name(s),
                         task_action_desc(a)->name);
    assert_true(rows >= TS__COUNT * TA__COUNT);
}

static void action_arguments(void **state)
{
    (void)state;
    struct reform_task t = fresh(), next;
    struct err e = {0};
    struct task_args in = {.day = day("2026-02-01"), .progress = -1, .note = NULL};
    /* a reason is needed for cancel, and a failed action leaves the task as it was */
    assert_int_equal(reform_task_apply(&t, TA_CANCEL, &in, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "note");
    in.note = "";
    assert_int_equal(reform_task_apply(&t, TA_CANCEL, &in, &next, &e), ERR_INVALID);
    assert_int_equal(t.status, TS_PLANNED);
    /* report needs a progress 0..99; start takes none */
    in.note = NULL;
    assert_int_equal(reform_task_apply(&t, TA_REPORT, &in, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "progress");
    in.progress = 100;
    assert_int_equal(reform_task_apply(&t, TA_REPORT, &in, &next, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "100"));
    in.progress = 30;
    assert_int_equal(reform_task_apply(&t, TA_START, &in, &next, &e), ERR_INVALID);
    assert_int_equal(reform_task_apply(&t, TA_REPORT, &in, &next, &e), 0);
    assert_int_equal(next.status, TS_IN_PROGRESS);
    assert_int_equal(next.progress, 30);
    /* done before the start date */
    in.progress = -1;
    in.day = day("2026-01-01");
    assert_int_equal(reform_task_apply(&t, TA_COMPLETE, &in, &next, &e), ERR_INVALID);
    assert_string_equal(e.field, "day");
}

static void field_checks(void **state)
{
    (void)state;
    struct err e = {0};
    struct reform_task t = fresh();
    assert_int_equal(reform_task_check(&t, &e), 0);
    t.title[0] = '\0';
    assert_int_equal(reform_task_check(&t, &e), ERR_INVALID);
    assert_string_equal(e.field, "title");
    t = fresh();
    t.due_day = t.start_day - 1;
    assert_int_equal(reform_task_check(&t, &e), ERR_INVALID);
    assert_string_equal(e.field, "due");
    t = fresh();
    t.weight = 0;
    assert_int_equal(reform_task_check(&t, &e), ERR_INVALID);
    assert_string_equal(e.field, "weight");

    struct reform_task p = fresh(), c = fresh();
    c.id = 2;
    c.parent_id = 1;
    assert_int_equal(reform_child_check(&p, &c, &e), 0);
    c.due_day = p.due_day + 1;
    assert_int_equal(reform_child_check(&p, &c, &e), ERR_INVALID);
    assert_string_equal(e.field, "due");
    c = fresh();
    snprintf(c.area, sizeof c.area, "2");
    assert_int_equal(reform_child_check(&p, &c, &e), ERR_INVALID);
    assert_string_equal(e.field, "area");
    c = fresh();
    p.status = TS_DONE;
    assert_int_equal(reform_child_check(&p, &c, &e), ERR_CONFLICT);
}

/* Province task 1 split to department 2 (weight 1) and district-level task 3 (weight 1);
 * task 3 split to communes 4 and 5; commune 5's task split again to 6 and 7 (its two
 * hamlets' parts, a third level below the province). */
static void rollup_three_levels(void **state)
{
    (void)state;
    struct reform_task t[7];
    const int64_t parent[7] = {0, 1, 1, 3, 3, 5, 5};
    const char *owner[7] = {"T01", "S01", "H01", "X01", "X02", "X02", "X02"};
    for (int i = 0; i < 7; i++) {
        t[i] = fresh();
        t[i].id = i + 1;
        t[i].parent_id = parent[i];
        snprintf(t[i].owner, sizeof t[i].owner, "%s", owner[i]);
    }
    struct err e = {0};
    t[1].progress = 50; /* department: 50 */
    t[3].status = TS_DONE;
    t[3].progress = 100; /* commune X01: done */
    t[5].progress = 20;
    t[6].progress = 60; /* X02's parts: 20 and 60 -> X02 40 */
    assert_int_equal(reform_rollup(t, 7, &e), 0);
    assert_int_equal(t[4].progress, 40); /* (20 + 60) / 2 */
    assert_int_equal(t[2].progress, 70); /* (100 + 40) / 2 */
    assert_int_equal(t[0].progress, 60); /* (50 + 70) / 2 */
    assert_int_equal(t[0].nchildren, 2);
    assert_int_equal(t[4].nchildren, 2);
    /* weights: the department's share counts three times */
    t[1].weight = 3;
    assert_int_equal(reform_rollup(t, 7, &e), 0);
    assert_int_equal(t[0].progress, (3 * 50 + 70) / 4);
    /* a cancelled child leaves the mean; order in the array does not matter */
    t[5].status = TS_CANCELLED;
    struct reform_task r[7];
    for (int i = 0; i < 7; i++)
        r[i] = t[6 - i];
    assert_int_equal(reform_rollup(r, 7, &e), 0);
    assert_int_equal(r[2].progress, 60);                /* X02 = its one live part */
    assert_int_equal(r[4].progress, 80);                /* (100 + 60) / 2 */
    assert_int_equal(r[6].progress, (3 * 50 + 80) / 4); /* province */
    /* everything cancelled below: the parent keeps its own figure */
    struct reform_task two[2] = {fresh(), fresh()};
    two[0].progress = 15;
    two[1].id = 2;
    two[1].parent_id = 1;
    two[1].status = TS_CANCELLED;
    assert_int_equal(reform_rollup(two, 2, &e), 0);
    assert_int_equal(two[0].progress, 15);
    assert_int_equal(reform_rollup_children(&two[1], 1), -1);
    /* a cycle is refused */
    two[0].parent_id = 2;
    assert_int_equal(reform_rollup(two, 2, &e), ERR_INVALID);
    assert_string_equal(e.field, "parent");
}

static void due_classes_and_rate(void **state)
{
    (void)state;
    struct reform_task t = fresh(); /* due 2026-03-31 */
    assert_int_equal(reform_due_class(&t, day("2026-03-01"), 7), TD_OK);
    assert_int_equal(reform_due_class(&t, day("2026-03-24"), 7), TD_NEAR);
    assert_int_equal(reform_due_class(&t, day("2026-03-31"), 7), TD_NEAR);
    assert_int_equal(reform_due_class(&t, day("2026-04-01"), 7), TD_OVERDUE);
    t.status = TS_DONE;
    assert_int_equal(reform_due_class(&t, day("2026-04-01"), 7), TD_CLOSED);
    assert_string_equal(task_due_name(TD_OVERDUE), "overdue");

    /* four tasks: done on time, done late, open and overdue, cancelled; one not yet due */
    struct reform_task a[5];
    for (int i = 0; i < 5; i++)
        a[i] = fresh();
    a[0].status = TS_DONE, a[0].done_day = day("2026-03-01");
    a[1].status = TS_DONE, a[1].done_day = day("2026-04-10");
    a[3].status = TS_CANCELLED;
    a[4].due_day = day("2026-12-31");
    struct reform_rate r = {0};
    for (int i = 0; i < 5; i++)
        reform_rate_add(&r, &a[i], day("2026-06-14"));
    reform_rate_finish(&r);
    assert_int_equal(r.den, 3);
    assert_int_equal(r.num, 2);
    assert_int_equal(r.value, 66666); /* 66.666 % in thousandths */
    /* a task done early counts even before its due day */
    a[4].status = TS_DONE, a[4].done_day = day("2026-05-01");
    struct reform_rate r2 = {0};
    for (int i = 0; i < 5; i++)
        reform_rate_add(&r2, &a[i], day("2026-06-14"));
    reform_rate_finish(&r2);
    assert_int_equal(r2.den, 4);
    assert_int_equal(r2.num, 3);
    struct reform_rate none = {0};
    reform_rate_finish(&none);
    assert_true(none.value == PAR_NONE);
}

static void areas_from_par_set(void **state)
{
    (void)state;
    struct par_set *s = par_set_new();
    struct err e = {0};
    snprintf(s->code, sizeof s->code, "T");
    s->year = 2026;
    s->scope = PAR_SCOPE_PROVINCE;
    s->decimals = 2;
    s->declared_max = PAR_NONE;
    struct par_node_in n[] = {
        {.code = "1", .title = "Công tác chỉ đạo, điều hành CCHC", .max = 10000, .decimals = -1},
        {.code = "1.1",
         .parent = "1",
         .title = "Kế hoạch CCHC",
         .max = 10000,
         .method = PAR_MANUAL,
         .decimals = -1},
        {.code = "2", .title = "Cải cách thủ tục hành chính", .max = 5000, .decimals = -1},
        {.code = "2.1",
         .parent = "2",
         .title = "TTHC",
         .max = 5000,
         .method = PAR_MANUAL,
         .decimals = -1},
    };
    for (size_t i = 0; i < 4; i++) {
        n[i].where = "test";
        if (par_set_add_node(s, &n[i], &e)) fail_msg("%s", e.msg);
    }
    assert_int_equal(par_set_validate(s, NULL, NULL, &e), 0);
    assert_int_equal(reform_area_check(s, "1", &e), 0);
    assert_int_equal(reform_area_check(s, "2", &e), 0);
    assert_int_equal(reform_area_check(s, "1.1", &e), ERR_INVALID); /* not an area */
    assert_non_null(strstr(e.msg, "1, 2"));
    assert_string_equal(e.field, "area");
    par_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transitions_table),    cmocka_unit_test(action_arguments),
        cmocka_unit_test(field_checks),         cmocka_unit_test(rollup_three_levels),
        cmocka_unit_test(due_classes_and_rate), cmocka_unit_test(areas_from_par_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
