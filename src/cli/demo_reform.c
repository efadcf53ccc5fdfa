/* demo_reform.c — the demo's CCHC plan (issue 15), dated from the clock: Đồng Tháp's yearly
 * plan on the province PAR set (Decision 876's areas), with tasks in several areas; a task on
 * reviewing procedures split to the Department of Agriculture and Environment and two wards,
 * the Department's part split again to the land registration office below it; some tasks
 * done, some in progress, one overdue and one near its due date, so the lists and the roll-up
 * show something real. Mỹ Tho ward gets its own plan on the commune set; the province's
 * inspection plan of the year: Thanh Bình commune inspected and closed, Mỹ Tho concluded with
 * a strength and two shortcomings whose remedies (tasks of its plan) are done, under way and
 * overdue, Cao Lãnh planned. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "demo_data.h"
#include "par_io.h"
#include "store_reform.h"

struct demo_task {
    int parent;       /* index of the parent row + 1; 0: top-level */
    const char *area; /* NULL: the parent's */
    const char *title, *owner, *lead, *product;
    int start, due; /* days from today (clamped to the plan's year) */
    int progress;   /* -1: planned; 0..99: reported; 100: complete */
    int done;       /* days from today when done (progress 100) */
};

static const struct demo_task province_tasks[] = {
    /* 1 */ {0, "1", "Ban hành Kế hoạch cải cách hành chính năm của tỉnh", "DT", "Nguyễn Văn Phúc",
             "Quyết định ban hành kế hoạch", -330, -300, 100, -305},
    /* 2 */
    {0, "3", "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của tỉnh", "DT",
     "Trần Thị Mai", "Quyết định thông qua phương án đơn giản hóa", -200, 25, -1, 0},
    /* 3 */
    {2, NULL, "Rà soát thủ tục hành chính lĩnh vực đất đai, môi trường", "DT.SNNMT", "Lê Văn Hòa",
     "Báo cáo kết quả rà soát", -190, 10, -1, 0},
    /* 4 */
    {3, NULL, "Rà soát thủ tục đăng ký đất đai", "DT.SNNMT.VPDK", "Phạm Minh Quân",
     "Báo cáo rà soát thủ tục đất đai", -180, 5, 70, 0},
    /* 5 */
    {2, NULL, "Rà soát thủ tục hành chính cấp xã tại phường Mỹ Tho", "DT.MYTHO", "Nguyễn Thị Thu",
     "Báo cáo kết quả rà soát", -190, -10, 100, -12},
    /* 6 */
    {2, NULL, "Rà soát thủ tục hành chính cấp xã tại phường Cao Lãnh", "DT.CAOLANH", "Võ Văn Tâm",
     "Báo cáo kết quả rà soát", -190, -6, 45, 0},
    /* 7 */
    {0, "4", "Rà soát, sắp xếp tổ chức bộ máy sau hợp nhất tỉnh", "DT", "Đỗ Thị Hạnh",
     "Đề án sắp xếp", -250, 40, 60, 0},
    /* 8 */
    {0, "5", "Đánh giá, xếp loại công chức theo kết quả công việc", "DT", "Huỳnh Văn Lợi",
     "Báo cáo đánh giá", -120, 3, 30, 0},
    /* 9 */
    {0, "8", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "DT.TTHCC", "Ngô Thị Kim",
     "Kho dữ liệu số hóa", -300, 20, 85, 0},
};

static const struct demo_task ward_tasks[] = {
    {0, "1", "Ban hành Kế hoạch cải cách hành chính năm của phường", "DT.MYTHO", "Nguyễn Thị Thu",
     "Kế hoạch CCHC năm", -330, -310, 100, -315},
    {0, "3", "Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa", "DT.MYTHO.MC",
     "Trần Văn Hùng", "Bảng niêm yết cập nhật", -200, -20, 60, 0},
};

static int64_t clamp(int64_t d, int64_t lo, int64_t hi)
{
    return d < lo ? lo : d > hi ? hi : d;
}

static int add_tasks(struct store *s, const struct reform_plan *p, const struct demo_task *rows,
                     int n, int64_t now, struct err *e)
{
    int64_t today = instant_day(now), ids[16] = {0};
    struct ymd j1 = {p->year, 1, 1}, d31 = {p->year, 12, 31};
    int64_t lo = ymd_to_days(j1), hi = ymd_to_days(d31);
    int rc = 0;
    for (int i = 0; !rc && i < n && i < 16; i++) {
        const struct demo_task *t = &rows[i];
        struct reform_task_in in = {.plan_id = t->parent ? 0 : p->id,
                                    .parent_id = t->parent ? ids[t->parent - 1] : 0,
                                    .area = t->area,
                                    .title = t->title,
                                    .owner = t->owner,
                                    .lead = t->lead,
                                    .product = t->product,
                                    .start_day = clamp(today + t->start, lo, hi),
                                    .due_day = clamp(today + t->due, lo, hi),
                                    .actor = "admin",
                                    .at = now};
        if (in.start_day > in.due_day) in.start_day = in.due_day;
        struct reform_task out;
        if ((rc = store_reform_task_add(s, &in, &out, e))) break;
        ids[i] = out.id;
        if (t->progress < 0) continue;
        struct task_args a = {.progress = t->progress, .day = today};
        if (t->progress == 100) {
            a.progress = -1;
            a.day = clamp(today + t->done, in.start_day, today);
            rc = store_reform_task_act(s, out.id, TA_COMPLETE, &a, "admin", now, NULL, e);
        } else {
            rc = store_reform_task_act(s, out.id, TA_REPORT, &a, "admin", now, NULL, e);
        }
    }
    return rc;
}

/* A remedy of finding fid in the inspected unit's plan, dated from today (clamped to the
 * year): progress -1 planned, 0..99 reported, 100 done on day done. */
struct demo_remedy {
    const char *title, *owner, *lead;
    int start, due, progress, done;
};

static int add_remedy(struct store *s, int64_t fid, const struct demo_remedy *r, int64_t lo,
                      int64_t hi, int64_t now, struct err *e)
{
    int64_t today = instant_day(now);
    struct reform_task_in rt = {.area = "1",
                                .title = r->title,
                                .owner = r->owner,
                                .lead = r->lead,
                                .product = "Báo cáo khắc phục sau kiểm tra",
                                .start_day = clamp(today + r->start, lo, hi),
                                .due_day = clamp(today + r->due, lo, hi),
                                .actor = "admin",
                                .at = now};
    if (rt.start_day > rt.due_day) rt.start_day = rt.due_day;
    struct reform_task t;
    int rc = store_insp_remedy_add(s, fid, &rt, &t, e);
    if (rc || r->progress < 0) return rc;
    struct task_args a = {.progress = r->progress, .day = today};
    if (r->progress < 100)
        return store_reform_task_act(s, t.id, TA_REPORT, &a, "admin", now, NULL, e);
    a.progress = -1;
    a.day = clamp(today + r->done, rt.start_day, today);
    return store_reform_task_act(s, t.id, TA_COMPLETE, &a, "admin", now, NULL, e);
}

/* 9:00 on day d (kept between the year's first day and now), as an instant. */
static int64_t at_day(int64_t d, int64_t lo, int64_t now)
{
    int64_t at = clamp(d, lo, instant_day(now)) * 1440 + 9 * 60;
    return at < now ? at : now;
}

/* The province's inspection plan of the year, dated from today: Thanh Bình commune inspected
 * about 80 days ago, its one remedy done, so the inspection closed; Mỹ Tho ward concluded a
 * month ago with a strength and two shortcomings whose remedies are one done, one under way
 * and one overdue, in the ward's plan; Cao Lãnh ward planned for the coming days. */
static int demo_inspections(struct store *s, int year, int64_t now, struct err *e)
{
    int64_t today = instant_day(now);
    struct ymd j1 = {year, 1, 1}, d31 = {year, 12, 31};
    int64_t lo = ymd_to_days(j1), hi = ymd_to_days(d31);
    const char *items[] = {"Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa",
                           "Ký số văn bản điện tử (chữ ký số 2 lớp)"};
    struct inspection_in in = {.year = year,
                               .inspector = "DT",
                               .unit = "DT.THANHBINH",
                               .team = "Đoàn kiểm tra công tác CCHC của UBND tỉnh",
                               .planned_from = clamp(today - 80, lo, hi),
                               .planned_to = clamp(today - 78, lo, hi),
                               .items = items,
                               .nitems = 2,
                               .actor = "admin",
                               .at = now};
    struct inspection i;
    int64_t good, bad, late;
    /* Thanh Bình: closed when its remedy was done */
    int rc = store_insp_create(s, &in, &i, e);
    if (!rc) rc = store_insp_act(s, i.id, IA_START, NULL, "admin", now, NULL, e);
    if (!rc) rc = store_insp_check(s, i.id, 1, "met", "", e);
    if (!rc) rc = store_insp_check(s, i.id, 2, "not_met", "Chưa ký số văn bản đi", e);
    if (!rc)
        rc = store_insp_finding_add(s, i.id, FK_STRENGTH,
                                    "Lãnh đạo xã quan tâm chỉ đạo, ban hành kế hoạch CCHC kịp thời",
                                    "admin", now, &good, e);
    if (!rc)
        rc = store_insp_finding_add(s, i.id, FK_SHORTCOMING, "Văn bản đi chưa được ký số đầy đủ",
                                    "admin", now, &bad, e);
    static const struct demo_remedy tb = {
        "Khắc phục: ký số toàn bộ văn bản đi", "DT.THANHBINH", "Phan Văn Lực", -75, -40, 100, -45};
    if (!rc) rc = add_remedy(s, bad, &tb, lo, hi, now, e);
    /* concluded when the team left (the day its conclusion carries), not today */
    if (!rc)
        rc = store_insp_act(s, i.id, IA_CONCLUDE, NULL, "admin", at_day(today - 76, lo, now), NULL,
                            e);
    /* Mỹ Tho: concluded, remedies done, under way and overdue */
    in.unit = "DT.MYTHO";
    in.planned_from = clamp(today - 35, lo, hi);
    in.planned_to = clamp(today - 33, lo, hi);
    if (!rc) rc = store_insp_create(s, &in, &i, e);
    if (!rc) rc = store_insp_act(s, i.id, IA_START, NULL, "admin", now, NULL, e);
    if (!rc) rc = store_insp_check(s, i.id, 1, "met", "", e);
    if (!rc) rc = store_insp_check(s, i.id, 2, "not_met", "Còn văn bản chỉ ký 1 lớp", e);
    if (!rc)
        rc = store_insp_finding_add(s, i.id, FK_STRENGTH,
                                    "Bộ phận Một cửa niêm yết đầy đủ, đúng quy định", "admin", now,
                                    &good, e);
    if (!rc)
        rc = store_insp_finding_add(s, i.id, FK_SHORTCOMING, "Chưa ký số văn bản 2 lớp", "admin",
                                    now, &bad, e);
    if (!rc)
        rc = store_insp_finding_add(s, i.id, FK_SHORTCOMING,
                                    "Một số hồ sơ giải quyết trễ hạn chưa có văn bản xin lỗi "
                                    "người dân",
                                    "admin", now, &late, e);
    static const struct demo_remedy mt[] = {
        {"Khắc phục: ký số văn bản 2 lớp", "DT.MYTHO", "Nguyễn Thị Thu", -30, 12, 50, 0},
        {"Cấp chứng thư số cho công chức phường", "DT.MYTHO", "Trần Văn Hùng", -30, -3, 100, -10},
        {"Rà soát hồ sơ trễ hạn, gửi văn bản xin lỗi người dân", "DT.MYTHO.MC", "Trần Văn Hùng",
         -30, -5, 30, 0},
    };
    if (!rc) rc = add_remedy(s, bad, &mt[0], lo, hi, now, e);
    if (!rc) rc = add_remedy(s, bad, &mt[1], lo, hi, now, e);
    if (!rc) rc = add_remedy(s, late, &mt[2], lo, hi, now, e);
    if (!rc)
        rc = store_insp_act(s, i.id, IA_CONCLUDE, NULL, "admin", at_day(today - 31, lo, now), NULL,
                            e);
    /* Cao Lãnh: planned */
    in.unit = "DT.CAOLANH";
    in.planned_from = clamp(today + 10, lo, hi);
    in.planned_to = clamp(today + 12, lo, hi);
    if (!rc) rc = store_insp_create(s, &in, &i, e);
    return rc;
}

int demo_reform_plans(struct store *s, const char *data, int year, int64_t now, struct err *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/par/moha-876-province-2022.csv", data);
    struct par_set *set = NULL;
    int rc = par_io_read_set(path, &set, NULL, NULL, e);
    if (!rc) rc = store_par_set_import(s, set, "admin", now, e);
    par_set_free(set);
    struct reform_plan p;
    struct reform_plan_in in = {.unit = "DT", .year = year, .actor = "admin", .at = now};
    if (!rc) rc = store_reform_plan_create(s, &in, &p, e);
    if (!rc)
        rc = add_tasks(s, &p, province_tasks,
                       (int)(sizeof province_tasks / sizeof province_tasks[0]), now, e);
    in.unit = "DT.MYTHO";
    if (!rc) rc = store_reform_plan_create(s, &in, &p, e);
    if (!rc)
        rc = add_tasks(s, &p, ward_tasks, (int)(sizeof ward_tasks / sizeof ward_tasks[0]), now, e);
    in.unit = "DT.THANHBINH"; /* its plan takes the remedy of its inspection */
    if (!rc) rc = store_reform_plan_create(s, &in, &p, e);
    if (!rc) rc = demo_inspections(s, year, now, e);
    if (!rc)
        printf("cchc demo: CCHC plans %d of DT, DT.MYTHO and DT.THANHBINH with their tasks, 3 "
               "inspections (closed, concluded, planned)\n",
               year);
    return rc;
}
