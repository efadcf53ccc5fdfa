/* test_reform_store.c — CCHC plans and tasks in the store (migration 011), on SQLite and, as
 * pg.unit.test_reform_store, on PostgreSQL: the plan takes the areas of the PAR set in force
 * for its unit; a province task split to a department (split again to an agency below it)
 * and a commune rolls their progress up through the three levels of the unit tree; refused
 * changes change nothing; history, due lists, scope, evidence and the completion rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "par_io.h"
#include "store_reform.h"
#include "testdb.h"

static struct store *db;
static struct tmpdb tdb;

static int64_t day(const char *s)
{
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, "day", &e)) fail_msg("%s", e.msg);
    return ymd_to_days(d);
}

static int64_t at(const char *s)
{
    int64_t v;
    struct err e = {0};
    if (instant_parse(s, &v, "test", &e)) fail_msg("%s", e.msg);
    return v;
}

static void unit(const char *code, const char *name, enum unit_kind k, const char *parent)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "%s", name);
    u.kind = k;
    snprintf(u.parent, sizeof u.parent, "%s", parent);
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct err e = {0};
    if (store_unit_put(db, &u, &e)) fail_msg("unit %s: %s", code, e.msg);
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
    /* three levels: province -> department -> its agency; and the province's communes */
    unit("TINH", "Tỉnh Thử", UNIT_PROVINCE, "");
    unit("SNV", "Sở Nội vụ", UNIT_DEPARTMENT, "TINH");
    unit("CCVT", "Chi cục Văn thư - Lưu trữ", UNIT_AGENCY, "SNV");
    unit("X01", "Xã Một", UNIT_COMMUNE, "TINH");
    unit("X02", "Xã Hai", UNIT_COMMUNE, "TINH");
    char path[512];
    const char *d = getenv("CCHC_DATA");
    snprintf(path, sizeof path, "%s/par/moha-876-province-2022.csv", d ? d : CCHC_DATA_DIR);
    struct par_set *set;
    if (par_io_read_set(path, &set, NULL, NULL, &e) ||
        store_par_set_import(db, set, "admin", at("2026-01-02T08:00"), &e)) {
        fprintf(stderr, "set: %s\n", e.msg);
        return -1;
    }
    par_set_free(set);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    tmpdb_remove(&tdb);
    return 0;
}

static struct reform_plan plan;

static int64_t task(int64_t parent, const char *area, const char *title, const char *owner,
                    const char *start, const char *due, int weight)
{
    struct reform_task_in in = {.plan_id = parent ? 0 : plan.id,
                                .parent_id = parent,
                                .area = area,
                                .title = title,
                                .owner = owner,
                                .lead = "Nguyễn Văn An",
                                .product = "Văn bản ban hành",
                                .start_day = day(start),
                                .due_day = day(due),
                                .weight = weight,
                                .actor = "cv.noivu",
                                .at = at("2026-01-05T08:00")};
    struct reform_task t;
    struct err e = {0};
    if (store_reform_task_add(db, &in, &t, &e)) fail_msg("task '%s': %s", title, e.msg);
    assert_int_equal(t.status, TS_PLANNED);
    return t.id;
}

static struct reform_task get(int64_t id)
{
    struct reform_task t;
    struct err e = {0};
    if (store_reform_task_get(db, id, &t, &e)) fail_msg("%s", e.msg);
    return t;
}

static int act(int64_t id, enum task_action a, int progress, const char *note, const char *when,
               struct err *e)
{
    struct task_args args = {.progress = progress, .note = note};
    return store_reform_task_act(db, id, a, &args, "cv.test", at(when), NULL, e);
}

static void plans(void **state)
{
    (void)state;
    struct err e = {0};
    struct reform_plan_in in = {
        .unit = "TINH", .year = 2026, .actor = "cv.noivu", .at = at("2026-01-05T08:00")};
    assert_int_equal(store_reform_plan_create(db, &in, &plan, &e), 0);
    assert_string_equal(plan.set_code, "MOHA-876-TINH"); /* the province set in force */
    assert_string_equal(plan.title, "Kế hoạch cải cách hành chính năm 2026");
    struct reform_plan again;
    assert_int_equal(store_reform_plan_create(db, &in, &again, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "year");
    /* a commune: no commune set imported, so no set in force — named in the message */
    in.unit = "X01";
    assert_int_equal(store_reform_plan_create(db, &in, &again, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "commune"));
    in.unit = "NOPE";
    assert_int_equal(store_reform_plan_create(db, &in, &again, &e), ERR_NOT_FOUND);
    in.unit = "TINH";
    in.year = 1999;
    assert_int_equal(store_reform_plan_create(db, &in, &again, &e), ERR_INVALID);
    assert_string_equal(e.field, "year");
    assert_int_equal(store_reform_plan_find(db, "TINH", 2026, &again, &e), 0);
    assert_int_equal(again.id, plan.id);
    struct par_set *set = NULL;
    assert_int_equal(store_reform_plan_set(db, plan.id, &set, &e), 0);
    assert_int_equal(set->nareas, 8);
    par_set_free(set);
}

static int count_task(const struct reform_task *t, void *ctx)
{
    (void)t;
    ++*(int *)ctx;
    return 0;
}

static int count_event(const struct reform_event *ev, void *ctx)
{
    (void)ev;
    ++*(int *)ctx;
    return 0;
}

static int ntasks(const struct reform_task_filter *f)
{
    int n = 0;
    struct err e = {0};
    if (store_reform_task_list(db, f, count_task, &n, &e)) fail_msg("%s", e.msg);
    return n;
}

static int nevents(int64_t id)
{
    int n = 0;
    struct err e = {0};
    if (store_reform_task_history(db, id, count_event, &n, &e)) fail_msg("%s", e.msg);
    return n;
}

static void bad_tasks_change_nothing(void **state)
{
    (void)state;
    struct err e = {0};
    struct reform_task t;
    struct reform_task_in in = {.plan_id = plan.id,
                                .area = "1.TD",
                                .title = "X",
                                .owner = "TINH",
                                .start_day = day("2026-01-05"),
                                .due_day = day("2026-03-31"),
                                .actor = "cv",
                                .at = 1};
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_INVALID); /* not an area */
    assert_string_equal(e.field, "area");
    assert_non_null(strstr(e.msg, "1, 2, 3"));
    in.area = "1";
    in.due_day = day("2026-01-01");
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_INVALID);
    assert_string_equal(e.field, "due");
    in.due_day = day("2026-03-31");
    in.owner = "GHOST";
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_NOT_FOUND);
    in.owner = "";
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_INVALID);
    assert_string_equal(e.field, "owner");
    in.owner = "TINH";
    in.plan_id = 9999;
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_NOT_FOUND);
    struct reform_task_filter f = {.plan_id = plan.id};
    assert_int_equal(ntasks(&f), 0); /* every refused task left nothing behind */
}

static void rollup_three_levels(void **state)
{
    (void)state;
    struct err e = {0};
    /* the province's task, split to the Department of Home Affairs and commune X01; the
     * department splits its part again to its agency */
    int64_t top =
        task(0, "1", "Rà soát, đơn giản hóa TTHC năm 2026", "TINH", "2026-01-05", "2026-11-30", 1);
    int64_t snv =
        task(top, NULL, "Rà soát TTHC lĩnh vực nội vụ", "SNV", "2026-01-10", "2026-10-31", 1);
    int64_t x01 = task(top, NULL, "Rà soát TTHC cấp xã", "X01", "2026-01-10", "2026-09-30", 1);
    int64_t cc =
        task(snv, NULL, "Rà soát TTHC văn thư, lưu trữ", "CCVT", "2026-02-01", "2026-06-30", 1);
    assert_string_equal(get(cc).area, "1"); /* a child keeps its parent's area */
    assert_int_equal(get(top).nchildren, 2);

    /* a child's owner must be below its parent's: X02 is not below SNV */
    struct reform_task t;
    struct reform_task_in in = {.parent_id = snv,
                                .title = "Sai đơn vị",
                                .owner = "X02",
                                .start_day = day("2026-02-01"),
                                .due_day = day("2026-03-01"),
                                .actor = "cv",
                                .at = 1};
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_INVALID);
    assert_string_equal(e.field, "owner");
    /* dates outside the parent's */
    in.owner = "CCVT";
    in.due_day = day("2026-12-01");
    assert_int_equal(store_reform_task_add(db, &in, &t, &e), ERR_INVALID);
    assert_string_equal(e.field, "due");
    assert_int_equal(get(snv).nchildren, 1);

    /* progress at the bottom rolls up two levels */
    assert_int_equal(act(cc, TA_REPORT, 60, NULL, "2026-03-02T09:00", &e), 0);
    assert_int_equal(get(cc).status, TS_IN_PROGRESS);
    assert_int_equal(get(snv).progress, 60);
    assert_int_equal(get(top).progress, 30); /* (60 + 0) / 2 */
    /* a parent's own progress is its children's */
    assert_int_equal(act(snv, TA_REPORT, 10, NULL, "2026-03-02T09:00", &e), ERR_INVALID);
    assert_string_equal(e.field, "progress");
    assert_int_equal(get(snv).progress, 60);
    /* the commune completes: the province sees (60 + 100) / 2 */
    assert_int_equal(act(x01, TA_COMPLETE, -1, NULL, "2026-04-15T10:00", &e), 0);
    assert_int_equal(get(x01).done_day, day("2026-04-15"));
    assert_int_equal(get(top).progress, 80);
    /* the agency finishes: everything at 100 below the province */
    assert_int_equal(act(cc, TA_COMPLETE, -1, NULL, "2026-05-20T10:00", &e), 0);
    assert_int_equal(get(snv).progress, 100);
    assert_int_equal(get(top).progress, 100);
    /* reopened with a reason: back to its last progress, and up again */
    assert_int_equal(act(x01, TA_REOPEN, -1, "", "2026-05-21T10:00", &e), ERR_INVALID);
    assert_string_equal(e.field, "note");
    assert_int_equal(act(x01, TA_REOPEN, -1, "Sản phẩm chưa đạt", "2026-05-21T10:00", &e), 0);
    assert_int_equal(get(x01).status, TS_IN_PROGRESS);
    assert_int_equal(get(x01).done_day, 0);

    /* an illegal pair: ERR_CONFLICT naming the state and the action; no event written */
    int before = nevents(cc);
    assert_int_equal(act(cc, TA_PAUSE, -1, "lý do", "2026-05-22T10:00", &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "done"));
    assert_non_null(strstr(e.msg, "pause"));
    assert_int_equal(nevents(cc), before);
    /* history: create, report, complete; comments go in too */
    assert_int_equal(before, 3);
    assert_int_equal(act(cc, TA_COMMENT, -1, "Đã gửi báo cáo", "2026-05-22T10:00", &e), 0);
    assert_int_equal(nevents(cc), 4);

    /* lists: scope by unit tree, children, overdue and near due */
    struct reform_task_filter f = {.plan_id = plan.id};
    assert_int_equal(ntasks(&f), 4);
    f.scope = "SNV";
    assert_int_equal(ntasks(&f), 2); /* SNV's and its agency's */
    f.scope = "X01";
    assert_int_equal(ntasks(&f), 1);
    f.scope = NULL;
    f.parent_id = top;
    assert_int_equal(ntasks(&f), 2);
    f.parent_id = -1;
    assert_int_equal(ntasks(&f), 1);
    f.parent_id = 0;
    f.today = day("2026-10-01"); /* X01 (due 30/9, reopened) overdue; SNV due 31/10 */
    f.due = 1 + TD_OVERDUE;
    assert_int_equal(ntasks(&f), 1);
    f.today = day("2026-10-25");
    f.due = 1 + TD_NEAR;
    assert_int_equal(ntasks(&f), 1); /* SNV, done 100 % by roll-up but not closed */
    f.due = 0;
    f.open_only = 1;
    assert_int_equal(ntasks(&f), 3);
}

static int rate_item(const struct reform_task *t, int in_num, void *ctx)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    snprintf(buf + n, 256 - n, "%s%s:%d", n ? " " : "", t->owner, in_num);
    return 0;
}

static void completion_rate(void **state)
{
    (void)state;
    struct err e = {0};
    struct reform_rate r;
    char items[256] = "";
    /* CCVT: one task, done 20/5 */
    assert_int_equal(
        store_reform_rate(db, "CCVT", 2026, day("2026-12-14"), &r, rate_item, items, &e), 0);
    assert_int_equal(r.num, 1);
    assert_int_equal(r.den, 1);
    assert_int_equal(r.value, 100000);
    assert_string_equal(items, "CCVT:1");
    /* X01: its task reopened and overdue on 14/12 */
    items[0] = '\0';
    assert_int_equal(
        store_reform_rate(db, "X01", 2026, day("2026-12-14"), &r, rate_item, items, &e), 0);
    assert_int_equal(r.num, 0);
    assert_int_equal(r.den, 1);
    assert_int_equal(r.value, 0);
    /* before anything fell due: no value */
    assert_int_equal(store_reform_rate(db, "TINH", 2026, day("2026-02-01"), &r, NULL, NULL, &e), 0);
    assert_int_equal(r.den, 0);
    assert_true(r.value == PAR_NONE);
}

static int ev_count(const struct reform_evidence *ev, void *ctx)
{
    (void)ev;
    ++*(int *)ctx;
    return 0;
}

static void evidence(void **state)
{
    (void)state;
    struct err e = {0};
    struct reform_task_filter f = {.plan_id = plan.id, .parent_id = -1, .owner = "TINH"};
    assert_int_equal(ntasks(&f), 1);
    int64_t id = 1; /* the first task of a fresh database: the province's */
    assert_string_equal(get(id).owner, "TINH");
    static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
    struct reform_evidence_in in = {.task_id = id,
                                    .name = "bao-cao.pdf",
                                    .data = pdf,
                                    .size = (int64_t)sizeof pdf - 1,
                                    .actor = "cv.noivu",
                                    .at = at("2026-05-01T08:00")};
    struct reform_evidence ev;
    assert_int_equal(store_reform_evidence_add(db, &in, &ev, &e), 0);
    assert_string_equal(ev.mime, "application/pdf");
    /* a file whose content is not what its name says is refused, and nothing is written */
    in.name = "anh.png";
    assert_int_equal(store_reform_evidence_add(db, &in, &ev, &e), ERR_INVALID);
    in.name = "bao-cao.pdf";
    in.task_id = 9999;
    assert_int_equal(store_reform_evidence_add(db, &in, &ev, &e), ERR_NOT_FOUND);
    int k = 0;
    assert_int_equal(store_reform_evidence_list(db, id, ev_count, &k, &e), 0);
    assert_int_equal(k, 1);
    void *data = NULL;
    struct reform_evidence back;
    assert_int_equal(store_reform_evidence_get(db, 1, &back, &data, &e), 0);
    assert_int_equal(back.size, (int64_t)sizeof pdf - 1);
    assert_memory_equal(data, pdf, sizeof pdf - 1);
    free(data);
}

static int metric_of(const struct par_metric *m, void *ctx)
{
    if (!strcmp(m->node, "1.1.2")) *(struct par_metric *)ctx = *m;
    return 0;
}

/* The commune set's computed criterion 1.1.2 (plan_done_pct) takes the unit's plan completion
 * rate for the round's year on its last day; its drill-down is the tasks, not dossiers. */
static void par_criterion(void **state)
{
    (void)state;
    struct err e = {0};
    char path[512];
    const char *d = getenv("CCHC_DATA");
    snprintf(path, sizeof path, "%s/par/commune-ht-3396-2021.csv", d ? d : CCHC_DATA_DIR);
    struct par_set *set;
    if (par_io_read_set(path, &set, NULL, NULL, &e) ||
        store_par_set_import(db, set, "admin", at("2026-01-02T08:00"), &e))
        fail_msg("set: %s", e.msg);
    par_set_free(set);
    const char *units[] = {"X01"};
    struct par_round_new rn = {.code = "R26",
                               .title = "Chỉ số CCHC cấp xã 2026",
                               .set = "HT-XA-2021",
                               .year = 2026,
                               .period_from = INT64_MIN,
                               .period_to = INT64_MIN,
                               .units = units,
                               .nunits = 1,
                               .actor = "admin",
                               .at = at("2026-01-10T08:00")};
    struct par_round round;
    if (store_par_round_create(db, &rn, &round, &e)) fail_msg("round: %s", e.msg);
    struct par_metric m = {0};
    assert_int_equal(store_par_metrics(db, "R26", "X01", metric_of, &m, &e), 0);
    assert_true(m.known);
    assert_int_equal(m.den, 1); /* X01's task, reopened and due 30/9 */
    assert_int_equal(m.num, 0);
    assert_int_equal(m.value, 0);
    assert_string_equal(m.denom, "tasks");
    /* done now: the criterion follows */
    int64_t x01 = 0;
    for (int64_t id = 1; id < 10 && !x01; id++) {
        struct reform_task t;
        if (!store_reform_task_get(db, id, &t, &e) && !strcmp(t.owner, "X01")) x01 = id;
    }
    assert_true(x01 > 0);
    struct task_args args = {.progress = -1};
    assert_int_equal(
        store_reform_task_act(db, x01, TA_COMPLETE, &args, "cv", at("2026-06-01T08:00"), NULL, &e),
        0);
    assert_int_equal(store_par_metrics(db, "R26", "X01", metric_of, &m, &e), 0);
    assert_int_equal(m.num, 1);
    assert_int_equal(m.value, 100000);
    /* no dossiers behind it: the drill-down names the tasks' address */
    assert_int_equal(store_par_metric_dossiers(db, "R26", "X01", "1.1.2", NULL, NULL, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "/api/reform/rate"));
}

static int metric_of11(const struct par_metric *m, void *ctx)
{
    if (!strcmp(m->node, "1.1")) *(struct par_metric *)ctx = *m;
    return 0;
}

static int count_insp(const struct inspection *i, void *ctx)
{
    (void)i;
    ++*(int *)ctx;
    return 0;
}

/* An inspection of commune X01 by the province: checklist from the commune set, findings, a
 * remedy that is a task of X01's plan; the inspection closes when the remedy does, reopens with
 * it; the share of the province's units inspected. */
static void inspections(void **state)
{
    (void)state;
    struct err e = {0};
    const char *items[] = {"Niêm yết công khai TTHC tại Bộ phận Một cửa"};
    struct inspection_in in = {.year = 2026,
                               .inspector = "TINH",
                               .unit = "X01",
                               .team = "Đoàn kiểm tra CCHC của UBND tỉnh",
                               .set = "HT-XA-2021",
                               .planned_from = day("2026-09-01"),
                               .planned_to = day("2026-09-05"),
                               .items = items,
                               .nitems = 1,
                               .actor = "cv.noivu",
                               .at = at("2026-08-01T08:00")};
    struct inspection i;
    assert_int_equal(store_insp_create(db, &in, &i, &e), 0);
    assert_int_equal(i.status, IS_PLANNED);
    assert_true(i.nitems > 10); /* the set's leaves, survey ones left out, and the item */
    int64_t id = i.id;
    int nitems = i.nitems;
    in.unit = "TINH"; /* a unit does not inspect itself */
    assert_int_equal(store_insp_create(db, &in, &i, &e), ERR_INVALID);
    in.unit = "X01";
    in.inspector = "X02"; /* nor a unit beside it */
    assert_int_equal(store_insp_create(db, &in, &i, &e), ERR_INVALID);
    assert_string_equal(e.field, "unit");

    assert_int_equal(store_insp_act(db, id, IA_CONCLUDE, NULL, "cv", 1, &i, &e), ERR_CONFLICT);
    assert_int_equal(store_insp_act(db, id, IA_START, NULL, "cv", 1, &i, &e), 0);
    assert_int_equal(store_insp_act(db, id, IA_CONCLUDE, NULL, "cv", 1, &i, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "findings");
    assert_int_equal(store_insp_check(db, id, nitems, "not_met", "Chưa cập nhật bảng niêm yết", &e),
                     0);
    assert_int_equal(store_insp_check(db, id, nitems + 1, "met", "", &e), ERR_NOT_FOUND);
    assert_int_equal(store_insp_check(db, id, 1, "maybe", "", &e), ERR_INVALID);
    int64_t good, bad;
    assert_int_equal(store_insp_finding_add(db, id, FK_STRENGTH, "Ban hành kế hoạch kịp thời", "cv",
                                            at("2026-09-02T10:00"), &good, &e),
                     0);
    assert_int_equal(store_insp_finding_add(db, id, FK_SHORTCOMING,
                                            "Chưa ký số văn bản 2 lớp; TTHC niêm yết chưa kịp thời",
                                            "cv", at("2026-09-02T10:00"), &bad, &e),
                     0);
    struct reform_task_in rt = {.area = "1",
                                .title = "Khắc phục: niêm yết TTHC, ký số 2 lớp",
                                .owner = "X01",
                                .start_day = day("2026-09-10"),
                                .due_day = day("2026-11-30"),
                                .actor = "cv",
                                .at = at("2026-09-06T08:00")};
    struct reform_task remedy;
    assert_int_equal(store_insp_remedy_add(db, good, &rt, &remedy, &e), ERR_INVALID);
    assert_int_equal(store_insp_remedy_add(db, bad, &rt, &remedy, &e), ERR_NOT_FOUND); /* no plan */
    struct reform_plan_in pin = {.unit = "X01", .year = 2026, .actor = "cv", .at = 1};
    struct reform_plan xp;
    assert_int_equal(store_reform_plan_create(db, &pin, &xp, &e), 0);
    assert_string_equal(xp.set_code, "HT-XA-2021");
    assert_int_equal(store_insp_remedy_add(db, bad, &rt, &remedy, &e), 0);
    assert_int_equal(remedy.plan_id, xp.id);

    assert_int_equal(
        store_insp_act(db, id, IA_CONCLUDE, NULL, "cv", at("2026-09-06T08:00"), &i, &e), 0);
    assert_int_equal(i.status, IS_CONCLUDED);
    assert_int_equal(i.concluded_day, day("2026-09-06"));
    assert_int_equal(i.open_remedies, 1);
    assert_int_equal(store_insp_act(db, id, IA_CLOSE, NULL, "cv", 1, &i, &e), ERR_CONFLICT);
    assert_string_equal(e.field, "remedies");
    /* the remedy is done: the inspection closes with it */
    struct task_args args = {.progress = -1};
    assert_int_equal(store_reform_task_act(db, remedy.id, TA_COMPLETE, &args, "cv",
                                           at("2026-10-01T08:00"), NULL, &e),
                     0);
    assert_int_equal(store_insp_get(db, id, &i, &e), 0);
    assert_int_equal(i.status, IS_CLOSED);
    /* reopened: so is the inspection */
    args.note = "Chưa ký số đủ";
    assert_int_equal(store_reform_task_act(db, remedy.id, TA_REOPEN, &args, "cv",
                                           at("2026-10-02T08:00"), NULL, &e),
                     0);
    assert_int_equal(store_insp_get(db, id, &i, &e), 0);
    assert_int_equal(i.status, IS_CONCLUDED);
    args.note = NULL;
    assert_int_equal(store_reform_task_act(db, remedy.id, TA_COMPLETE, &args, "cv",
                                           at("2026-10-20T08:00"), NULL, &e),
                     0);
    assert_int_equal(store_insp_get(db, id, &i, &e), 0);
    assert_int_equal(i.status, IS_CLOSED);

    /* the units directly under the province in 2026: SNV, X01 (inspected), X02 */
    struct insp_share sh;
    assert_int_equal(store_insp_share(db, "TINH", 2026, &sh, &e), 0);
    assert_int_equal(sh.num, 1);
    assert_int_equal(sh.den, 3);
    assert_int_equal(sh.value, 33333);
    /* the same share as a province set's computed criterion inspected_pct */
    struct par_set *set = par_set_new();
    snprintf(set->code, sizeof set->code, "T-KT");
    set->year = 2026;
    set->scope = PAR_SCOPE_PROVINCE;
    set->decimals = 2;
    set->declared_max = PAR_NONE;
    struct par_node_in nodes[2] = {
        {.code = "1", .title = "Kiểm tra CCHC", .max = 1000, .decimals = -1, .where = "t"},
        {.code = "1.1",
         .parent = "1",
         .title = "Tỷ lệ đơn vị được kiểm tra",
         .max = 1000,
         .method = PAR_COMPUTED,
         .metric = "inspected_pct",
         .decimals = -1,
         .where = "t"},
    };
    assert_int_equal(par_rule_parse(">=30:1;else:0", &nodes[1].rule, "rule", &e), 0);
    for (int k = 0; k < 2; k++)
        assert_int_equal(par_set_add_node(set, &nodes[k], &e), 0);
    assert_int_equal(par_set_validate(set, NULL, NULL, &e), 0);
    assert_int_equal(store_par_set_import(db, set, "admin", 1, &e), 0);
    par_set_free(set);
    const char *tinh[] = {"TINH"};
    struct par_round_new rn = {.code = "KT26",
                               .title = "Thử",
                               .set = "T-KT",
                               .year = 2026,
                               .period_from = INT64_MIN,
                               .period_to = INT64_MIN,
                               .units = tinh,
                               .nunits = 1,
                               .actor = "admin",
                               .at = 1};
    struct par_round round;
    assert_int_equal(store_par_round_create(db, &rn, &round, &e), 0);
    struct par_metric m = {0};
    assert_int_equal(store_par_metrics(db, "KT26", "TINH", metric_of11, &m, &e), 0);
    assert_true(m.known);
    assert_int_equal(m.num, 1);
    assert_int_equal(m.den, 3);
    assert_string_equal(m.denom, "units");
    int n = 0;
    assert_int_equal(store_insp_list(db, "X02", 2026, count_insp, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_insp_list(db, "X01", 2026, count_insp, &n, &e), 0);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plans),
        cmocka_unit_test(bad_tasks_change_nothing),
        cmocka_unit_test(rollup_three_levels),
        cmocka_unit_test(completion_rate),
        cmocka_unit_test(evidence),
        cmocka_unit_test(par_criterion),
        cmocka_unit_test(inspections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
