/* export.c — "Xuất Excel" and "Xuất PDF" for the tables people read (issue 13): a GET list or
 * statistics route listed below also answers ?format=xlsx|pdf. The route's own handler runs
 * first, with the same session, role, unit scope and filters as its JSON answer (the format
 * argument is hidden from it), and its JSON is then laid out by report_table.c: Vietnamese
 * headers, numbers as numbers and dates as dates in the xlsx, 1.234,5 in the PDF, a title
 * naming the unit and the period, and a file name such as ty-le-dung-han-DT-2026.xlsx. So an
 * export can never show more than the page: it is the page's answer in another form. An error
 * of the handler (400, 404 …) is answered as it is. docs/exports.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "export.h"
#include "http.h"
#include "procedure.h"
#include "reform.h"
#include "report_table.h"
#include "store.h"
#include "unit.h"
#include "user.h"

enum xkind {
    X_TEXT = 0,
    X_INT,      /* a JSON integer */
    X_PERMILLE, /* a JSON integer in tenths of a percent */
    X_PCT,      /* a JSON number in percent (99.4) */
    X_POINTS,   /* a JSON number of points (48.75) */
    X_DAY,      /* "YYYY-MM-DD" */
    X_INSTANT,  /* "YYYY-MM-DDTHH:MM+07:00" */
    X_UNIT,     /* a unit code, shown as the unit's name */
    X_PROC,     /* a procedure code, shown as the procedure's name */
    X_BOOL,     /* true/false as "Có"/"Không" */
    X_METRIC,   /* a rate's metric key ("ontime"), shown by its Vietnamese name */
    X_TASK,     /* a reform task's status ("in_progress"), shown by its Vietnamese name */
    X_ROLE,     /* an account's role ("desk_officer"), shown by its Vietnamese name */
    X_LOCKED,   /* true/false as "Đã khóa"/"Đang hoạt động" */
    X_OUTCOME,  /* a dialogue commitment's outcome ("on_time"), shown by its Vietnamese name */
    X_INIT,     /* an initiative's status ("proposed"), shown by its Vietnamese name */
    X_LEVEL,    /* an initiative's recognition level ("district"), shown by its Vietnamese name */
    X_COUNTER,  /* a counter's number, shown as "Quầy số 2" */
    X_MINUTES,  /* a JSON number of seconds, shown in minutes with one decimal */
    X_DEC1,     /* a JSON number, shown with one decimal (4,5) */
    X_AREA, /* a reform area's code with the row's area_title: "3. Cải cách thủ tục …" */
};

/* The names of X_OUTCOME, X_INIT and X_LEVEL, as web/i18n/vi.json words them (dlg.outcome.*,
 * init.st.*, init.level.*): key, name, …, NULL. */
static const char *const DLG_OUTCOME[] = {
    "open", "Đang thực hiện",     "overdue", "Quá hạn", "on_time", "Hoàn thành đúng hạn",
    "late", "Hoàn thành quá hạn", NULL};
static const char *const INIT_STATUS[] = {
    "proposed",   "Đã đề xuất",   "accepted", "Hội đồng đề nghị công nhận",
    "recognized", "Đã công nhận", "rejected", "Không công nhận",
    "withdrawn",  "Đã rút",       NULL};
static const char *const INIT_LEVEL[] = {"unit",     "Cấp cơ sở", "district", "Cấp huyện",
                                         "province", "Cấp tỉnh",  NULL};

/* The names of the rates of GET /api/stats (the web's metric.* in web/i18n/vi.json). */
static const char *const METRICS[][2] = {
    {"ontime", "Tỷ lệ giải quyết đúng hạn (gồm trước hạn)"},
    {"early", "Tỷ lệ giải quyết trước hạn"},
    {"online_share", "Tỷ lệ hồ sơ trực tuyến"},
    {"online_full", "Tỷ lệ hồ sơ trực tuyến toàn trình"},
    {"paid_online", "Tỷ lệ thanh toán trực tuyến"},
    {"digitised", "Tỷ lệ số hóa hồ sơ"},
    {"result_digital", "Tỷ lệ kết quả điện tử"},
    {"satisfaction_766", "Mức độ hài lòng (QĐ 766)"},
    {"satisfaction", "Tỷ lệ đánh giá hài lòng"},
};

struct xcol {
    const char *path; /* dotted path in a row object: "figures.received" */
    const char *header;
    enum xkind kind;
    int width;
};

#define XCOLS_MAX 16

struct xspec {
    const char *pattern; /* the GET route's pattern */
    const char *rows;    /* dotted path of the row array in the answer */
    const char *title;
    const char *stem;   /* file name start, ASCII */
    const char *native; /* formats the handler writes itself (" csv xlsx "), or NULL */
    struct xcol cols[XCOLS_MAX];
};

/* The payments' columns (GET /api/payments and its daily reconciliation; web/js/payment.js). */
#define PAYMENT_COLS                                                                               \
    {                                                                                              \
        {"dossier", "Hồ sơ", X_TEXT, 26}, {"unit", "Đơn vị", X_UNIT, 26},                          \
            {"status_label", "Trạng thái", X_TEXT, 24},                                            \
            {"amount_vnd", "Số tiền phải nộp (đồng)", X_INT, 14},                                  \
            {"paid_amount_vnd", "Số tiền đã nộp (đồng)", X_INT, 14},                               \
            {"receipt_no", "Số biên lai", X_TEXT, 16},                                             \
            {"created_at", "Thời điểm tạo", X_INSTANT, 16},                                        \
        {                                                                                          \
            "settled_at", "Thời điểm xác nhận", X_INSTANT, 16                                      \
        }                                                                                          \
    }

static const struct xspec SPECS[] = {
    {"/api/units",
     "units",
     "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH",
     "don-vi",
     NULL,
     {{"name", "Tên đơn vị", X_TEXT, 34},
      {"code", "Mã đơn vị", X_TEXT, 18},
      {"kind_label", "Loại đơn vị", X_TEXT, 20},
      {"parent", "Đơn vị cấp trên", X_UNIT, 30},
      {"ident_code", "Mã định danh", X_TEXT, 16},
      {"valid_from", "Hoạt động từ", X_DAY, 12},
      {"valid_to", "Đến ngày", X_DAY, 12},
      {"successor", "Đơn vị kế thừa", X_UNIT, 30}}},
    {"/api/users",
     "users",
     "DANH SÁCH TÀI KHOẢN",
     "tai-khoan",
     NULL,
     {{"full_name", "Họ và tên", X_TEXT, 28},
      {"username", "Tên đăng nhập", X_TEXT, 20},
      {"role", "Vai trò", X_ROLE, 22},
      {"unit", "Đơn vị", X_UNIT, 30},
      {"disabled", "Trạng thái", X_LOCKED, 16}}},
    {"/api/reform/tasks",
     "tasks",
     "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
     "nhiem-vu-cchc",
     NULL,
     {{"title", "Nhiệm vụ", X_TEXT, 40},
      {"area", "Lĩnh vực", X_TEXT, 8},
      {"owner", "Đơn vị chủ trì", X_UNIT, 24},
      {"lead", "Người phụ trách", X_TEXT, 20},
      {"product", "Sản phẩm", X_TEXT, 24},
      {"start", "Bắt đầu", X_DAY, 12},
      {"due", "Hạn hoàn thành", X_DAY, 12},
      {"done", "Ngày hoàn thành", X_DAY, 12},
      {"status", "Trạng thái", X_TASK, 16},
      {"progress", "Tiến độ (%)", X_INT, 10}}},
    {"/api/stats",
     "rates",
     "CÁC TỶ LỆ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
     "cac-ty-le",
     NULL,
     {{"metric", "Chỉ tiêu", X_METRIC, 40},
      {"permille", "Tỷ lệ", X_PERMILLE, 10},
      {"numerator", "Số hồ sơ đạt", X_INT, 12},
      {"denominator_value", "Trên tổng số", X_INT, 12},
      {"denominator_label", "Tính trên", X_TEXT, 30}}},
    {"/api/stats/units",
     "units",
     "TỶ LỆ GIẢI QUYẾT HỒ SƠ ĐÚNG HẠN THEO ĐƠN VỊ",
     "ty-le-dung-han",
     NULL,
     {{"unit", "Mã đơn vị", X_TEXT, 14},
      {"unit", "Đơn vị", X_UNIT, 30},
      {"figures.received", "Tiếp nhận mới", X_INT, 10},
      {"figures.received_online", "Trực tuyến", X_INT, 10},
      {"figures.solved", "Đã giải quyết", X_INT, 10},
      {"figures.solved_early", "Trước hạn", X_INT, 10},
      {"figures.solved_on_time", "Đúng hạn", X_INT, 10},
      {"figures.solved_late", "Quá hạn", X_INT, 10},
      {"figures.in_progress", "Đang giải quyết", X_INT, 10},
      {"figures.in_progress_overdue", "Đang giải quyết quá hạn", X_INT, 12},
      {"ontime.permille", "Tỷ lệ đúng hạn", X_PERMILLE, 10}}},
    {"/api/stats/officers",
     "officers",
     "KẾT QUẢ XỬ LÝ THEO CÔNG CHỨC VÀ BƯỚC",
     "theo-cong-chuc",
     NULL,
     {{"unit", "Đơn vị", X_UNIT, 28},
      {"name", "Công chức", X_TEXT, 24},
      {"officer", "Tên đăng nhập", X_TEXT, 18},
      {"step", "Bước", X_INT, 6},
      {"steps_done", "Số bước đã xử lý", X_INT, 12},
      {"steps_late", "Số bước trễ hạn", X_INT, 12}}},
    {"/api/stats/dossiers",
     "dossiers",
     "DANH SÁCH HỒ SƠ THEO CHỈ TIÊU",
     "ho-so-chi-tiet",
     NULL,
     {{"code", "Mã hồ sơ", X_TEXT, 26},
      {"unit", "Đơn vị", X_UNIT, 24},
      {"procedure", "Thủ tục hành chính", X_PROC, 40},
      {"received_at", "Tiếp nhận", X_INSTANT, 16},
      {"due_at", "Hẹn trả", X_INSTANT, 16}}},
    {"/api/public/stats",
     "units",
     "CÔNG KHAI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
     "thong-ke-cong-khai",
     NULL,
     {{"name", "Đơn vị", X_TEXT, 30},
      {"kind_label", "Cấp", X_TEXT, 14},
      {"figures.received", "Tiếp nhận", X_INT, 10},
      {"figures.solved", "Đã giải quyết", X_INT, 10},
      {"figures.solved_early", "Trước hạn", X_INT, 10},
      {"figures.solved_on_time", "Đúng hạn", X_INT, 10},
      {"figures.solved_late", "Quá hạn", X_INT, 10},
      {"figures.in_progress", "Đang giải quyết", X_INT, 10},
      {"figures.in_progress_overdue", "Đang giải quyết quá hạn", X_INT, 12},
      {"ontime.permille", "Tỷ lệ đúng hạn", X_PERMILLE, 10}}},
    {"/api/dossiers",
     "dossiers",
     "DANH SÁCH HỒ SƠ",
     "danh-sach-ho-so",
     NULL,
     {{"code", "Mã hồ sơ", X_TEXT, 26},
      {"procedure", "Thủ tục hành chính", X_PROC, 40},
      {"applicant.name", "Người nộp", X_TEXT, 22},
      {"status_label", "Trạng thái", X_TEXT, 18},
      {"received_at", "Tiếp nhận", X_INSTANT, 16},
      {"due_at", "Hẹn trả", X_INSTANT, 16},
      {"result_at", "Có kết quả", X_INSTANT, 16},
      {"officer", "Công chức đang xử lý", X_TEXT, 20}}},
    {"/api/par/rounds",
     "rounds",
     "CÁC ĐỢT ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
     "dot-danh-gia-par",
     NULL,
     {{"code", "Mã đợt", X_TEXT, 12},
      {"title", "Tên đợt", X_TEXT, 40},
      {"year", "Năm", X_TEXT, 8},
      {"phase_label", "Giai đoạn", X_TEXT, 16},
      {"units", "Số đơn vị", X_INT, 10},
      {"period_from", "Từ ngày", X_DAY, 12},
      {"period_to", "Đến ngày", X_DAY, 12}}},
    {"/api/par/rounds/{round}/results",
     "results.units",
     "XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
     "xep-hang-par",
     " json csv xlsx ", /* par.c writes its own CSV and xlsx (areas as columns) */
     {{"rank", "Xếp hạng", X_INT, 8},
      {"unit", "Mã đơn vị", X_TEXT, 14},
      {"name", "Đơn vị", X_TEXT, 30},
      {"total", "Tổng điểm", X_POINTS, 10},
      {"index", "Điểm thẩm định", X_POINTS, 12},
      {"survey", "Điểm điều tra xã hội học", X_POINTS, 12},
      {"missing", "Tiêu chí chưa chấm", X_INT, 10}}},
    {"/api/feedback",
     "items",
     "PHẢN ÁNH, KIẾN NGHỊ",
     "phan-anh-kien-nghi",
     NULL,
     {{"code", "Mã phản ánh", X_TEXT, 20},
      {"unit", "Đơn vị", X_UNIT, 24},
      {"kind_label", "Loại", X_TEXT, 30},
      {"status_label", "Trạng thái", X_TEXT, 16},
      {"received_at", "Tiếp nhận", X_INSTANT, 16},
      {"answer_due_at", "Hạn trả lời", X_INSTANT, 16},
      {"answered_at", "Đã trả lời", X_INSTANT, 16},
      {"rating", "Đánh giá (1–5)", X_INT, 10}}},
    {"/api/reform/inspections",
     "inspections",
     "KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
     "kiem-tra-cchc",
     NULL,
     {{"unit", "Đơn vị được kiểm tra", X_UNIT, 28},
      {"team", "Đoàn kiểm tra", X_TEXT, 34},
      {"from", "Từ ngày", X_DAY, 12},
      {"to", "Đến ngày", X_DAY, 12},
      {"concluded", "Ngày kết luận", X_DAY, 12},
      {"findings", "Số phát hiện", X_INT, 10},
      {"remedies", "Số yêu cầu khắc phục", X_INT, 12},
      {"open_remedies", "Chưa khắc phục", X_INT, 10}}},
    {"/api/surveys",
     "rounds",
     "CÁC ĐỢT KHẢO SÁT SỰ HÀI LÒNG",
     "dot-khao-sat",
     NULL,
     {{"code", "Mã đợt", X_TEXT, 14},
      {"year", "Năm", X_TEXT, 8},
      {"from", "Từ ngày", X_DAY, 12},
      {"to", "Đến ngày", X_DAY, 12},
      {"invited", "Số phiếu mời", X_INT, 10},
      {"answered", "Số phiếu trả lời", X_INT, 10}}},
    {"/api/payments/reconciliation", "payments", "ĐỐI SOÁT THANH TOÁN TRỰC TUYẾN",
     "doi-soat-thanh-toan", NULL, PAYMENT_COLS},
    {"/api/payments", "payments", "THANH TOÁN TRỰC TUYẾN", "thanh-toan", NULL, PAYMENT_COLS},
    {"/api/queue/stats",
     "counters",
     "THỜI GIAN CHỜ TẠI BỘ PHẬN MỘT CỬA",
     "thoi-gian-cho",
     NULL,
     {{"counter", "Quầy", X_COUNTER, 14},
      {"name", "Tên quầy", X_TEXT, 24},
      {"taken", "Lấy số", X_INT, 10},
      {"served", "Đã phục vụ", X_INT, 10},
      {"no_show", "Vắng mặt", X_INT, 10},
      {"waiting", "Đang chờ", X_INT, 10},
      {"avg_wait_s", "Chờ TB (phút)", X_MINUTES, 10},
      {"p90_wait_s", "Chờ 90% (phút)", X_MINUTES, 10},
      {"avg_service_s", "Phục vụ TB (phút)", X_MINUTES, 10},
      {"served_per_hour", "Người/giờ", X_DEC1, 10}}},
    {"/api/reform/initiatives",
     "initiatives",
     "SÁNG KIẾN, MÔ HÌNH CẢI CÁCH HÀNH CHÍNH",
     "sang-kien-cchc",
     NULL,
     {{"title", "Tên sáng kiến, mô hình", X_TEXT, 40},
      {"status", "Trạng thái", X_INIT, 18},
      {"level", "Cấp công nhận", X_LEVEL, 12},
      {"unit", "Đơn vị đề xuất", X_UNIT, 26},
      {"area", "Lĩnh vực cải cách", X_AREA, 28},
      {"proposed", "Ngày đề xuất", X_DAY, 12},
      {"applied", "Đơn vị áp dụng", X_INT, 10}}},
    {"/api/commitments",
     "commitments",
     "CAM KẾT SAU ĐỐI THOẠI VỚI NGƯỜI DÂN, DOANH NGHIỆP",
     "cam-ket-doi-thoai",
     NULL,
     {{"dialogue.title", "Cuộc đối thoại", X_TEXT, 30},
      {"dialogue.day", "Ngày đối thoại", X_DAY, 12},
      {"dialogue.unit", "Đơn vị tổ chức", X_UNIT, 24},
      {"text", "Nội dung cam kết", X_TEXT, 40},
      {"owner", "Người, đơn vị thực hiện", X_TEXT, 22},
      {"due", "Hạn thực hiện", X_DAY, 12},
      {"outcome", "Tình trạng", X_OUTCOME, 18},
      {"closed", "Ngày hoàn thành", X_DAY, 12},
      {"result", "Kết quả thực hiện", X_TEXT, 30}}},
    {"/api/procedures",
     "procedures",
     "DANH MỤC THỦ TỤC HÀNH CHÍNH",
     "thu-tuc-hanh-chinh",
     NULL,
     {{"code", "Mã thủ tục", X_TEXT, 12},
      {"name", "Tên thủ tục", X_TEXT, 50},
      {"field", "Lĩnh vực", X_TEXT, 24},
      {"time_text", "Thời hạn giải quyết", X_TEXT, 20}}},
    {"/api/efile",
     "items",
     "HỒ SƠ NỘP TRỰC TUYẾN CHỜ KIỂM TRA",
     "ho-so-truc-tuyen",
     NULL,
     {{"code", "Mã hồ sơ", X_TEXT, 26},
      {"applicant_name", "Người nộp", X_TEXT, 22},
      {"procedure", "Thủ tục hành chính", X_PROC, 40},
      {"unit", "Đơn vị", X_UNIT, 24},
      {"submitted_at", "Nộp lúc", X_INSTANT, 16},
      {"status_label", "Trạng thái", X_TEXT, 18}}},
};

/* Tables whose answer carries a whole's row beside the rows (the queue's unit under its
 * counters): written last, its first column saying what it is. */
static const struct {
    const char *pattern, *path, *label;
} TOTALS[] = {
    {"/api/queue/stats", "total", "Toàn đơn vị"},
};

static const struct xspec *spec_of(const struct route *rt)
{
    if (!rt || strcmp(rt->method, "GET")) return NULL;
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++)
        if (!strcmp(SPECS[i].pattern, rt->pattern)) return &SPECS[i];
    return NULL;
}

int export_route_has(const struct route *rt)
{
    return spec_of(rt) != NULL;
}

/* The value at a dotted path ("figures.received") below o, or NULL. */
static json_t *jpath(json_t *o, const char *path)
{
    char key[64];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key) return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        o = json_is_object(o) ? json_object_get(o, key) : NULL;
        path += n + (dot ? 1 : 0);
    }
    return o;
}

static int ncols_of(const struct xspec *sp)
{
    int n = 0;
    while (n < XCOLS_MAX && sp->cols[n].path)
        n++;
    return n;
}

/* "DT.MYTHO" -> "Phường Mỹ Tho" (the code itself when unknown). */
static const char *unit_name_of(struct req *r, const char *code)
{
    struct store *s = req_store(r);
    struct unit *u = arena_alloc(r->arena, sizeof *u);
    if (!s || !u || store_unit_get(s, code, u, NULL)) return code;
    return arena_strdup(r->arena, u->name);
}

static const char *proc_name_of(struct req *r, const char *code)
{
    struct store *s = req_store(r);
    struct procedure *p = malloc(sizeof *p);
    const char *out = code;
    if (s && p && !store_procedure_get(s, code, p, NULL))
        out = arena_printf(r->arena, "%s — %s", code, p->name);
    free(p);
    return out ? out : code;
}

static struct rcell cell_of(struct req *r, const struct xcol *c, json_t *row)
{
    struct rcell cell = {.null = 1};
    json_t *v = jpath(row, c->path);
    if (!v || json_is_null(v)) return cell;
    const char *s = json_string_value(v);
    struct err e = {0};
    switch (c->kind) {
    case X_TEXT:
        if (s)
            cell.text = s;
        else if (json_is_integer(v))
            cell.text = arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
        else if (json_is_boolean(v))
            cell.text = json_is_true(v) ? "Có" : "Không";
        else
            return cell;
        break;
    case X_METRIC:
        if (!s) return cell;
        cell.text = s;
        for (size_t i = 0; i < sizeof METRICS / sizeof METRICS[0]; i++)
            if (!strcmp(METRICS[i][0], s)) cell.text = METRICS[i][1];
        break;
    case X_TASK: {
        enum task_status ts;
        if (!s) return cell;
        cell.text = task_status_parse(s, &ts, "status", &e) ? s : task_status_label(ts);
        break;
    }
    case X_ROLE: {
        enum user_role role;
        if (!s) return cell;
        cell.text = user_role_parse(s, &role, "role", &e) ? s : user_role_label(role);
        break;
    }
    case X_LOCKED:
        cell.text = json_is_true(v) ? "Đã khóa" : "Đang hoạt động";
        break;
    case X_BOOL:
        cell.text = json_is_true(v) ? "Có" : "Không";
        break;
    case X_OUTCOME:
    case X_INIT:
    case X_LEVEL: {
        const char *const *l = c->kind == X_OUTCOME ? DLG_OUTCOME
                               : c->kind == X_INIT  ? INIT_STATUS
                                                    : INIT_LEVEL;
        if (!s) return cell;
        cell.text = s;
        for (; l[0] && l[1]; l += 2)
            if (!strcmp(l[0], s)) cell.text = l[1];
        break;
    }
    case X_COUNTER:
        if (!json_is_integer(v)) return cell;
        cell.text = arena_printf(r->arena, "Quầy số %lld", (long long)json_integer_value(v));
        break;
    case X_AREA: {
        const char *title = json_string_value(json_object_get(row, "area_title"));
        if (!s) return cell;
        cell.text = title ? arena_printf(r->arena, "%s. %s", s, title) : s;
        break;
    }
    case X_MINUTES:
        if (!json_is_number(v)) return cell;
        cell.v = llround(json_number_value(v) / 6.0); /* tenths of a minute */
        break;
    case X_DEC1:
        if (!json_is_number(v)) return cell;
        cell.v = llround(json_number_value(v) * 10.0);
        break;
    case X_UNIT:
        if (!s) return cell;
        cell.text = unit_name_of(r, s);
        break;
    case X_PROC:
        if (!s) return cell;
        cell.text = proc_name_of(r, s);
        break;
    case X_INT:
    case X_PERMILLE:
        if (!json_is_number(v)) return cell;
        cell.v = json_is_integer(v) ? json_integer_value(v) : llround(json_real_value(v));
        break;
    case X_PCT:
        if (!json_is_number(v)) return cell;
        cell.v = llround(json_number_value(v) * 10.0);
        break;
    case X_POINTS:
        if (!json_is_number(v)) return cell;
        cell.v = llround(json_number_value(v) * 10000.0);
        break;
    case X_DAY: {
        struct ymd d;
        if (!s || ymd_parse(s, &d, "", &e)) return cell;
        cell.v = ymd_to_days(d);
        break;
    }
    case X_INSTANT:
        if (!s || parse_instant_local(s, &cell.v, "", &e)) return cell;
        break;
    }
    cell.null = 0;
    return cell;
}

static enum rcol_type rtype_of(enum xkind k)
{
    switch (k) {
    case X_INT:
        return RC_INT;
    case X_PERMILLE:
    case X_PCT:
        return RC_PERMILLE;
    case X_POINTS:
        return RC_POINTS;
    case X_DAY:
        return RC_DAY;
    case X_INSTANT:
        return RC_INSTANT;
    case X_MINUTES:
    case X_DEC1:
        return RC_DEC1;
    default:
        return RC_TEXT;
    }
}

/* dd/mm/yyyy of "YYYY-MM-DD" (the text itself when it is not a date). */
static const char *vn_day(struct req *r, const char *s)
{
    struct ymd d;
    struct err e = {0};
    if (!s || ymd_parse(s, &d, "", &e)) return s;
    return arena_printf(r->arena, "%02d/%02d/%04d", d.d, d.m, d.y);
}

/* The unit the table is about: the query's unit (or parent), else the answer's, else the
 * signed-in user's; NULL for none. */
static const char *table_unit(struct req *r, json_t *doc)
{
    const char *u = req_query(r, "unit");
    if (!u) u = req_query(r, "parent");
    if (!u) u = req_query(r, "under"); /* the unit tree below a unit */
    if (!u) u = req_param(r, "unit");
    json_t *ju = json_object_get(doc, "unit");
    if (!u && json_is_string(ju)) u = json_string_value(ju);
    if (!u && json_is_object(ju)) u = json_string_value(json_object_get(ju, "unit"));
    if (!u && r->sess && r->sess->user.unit[0]) u = r->sess->user.unit;
    return u;
}

/* The days the answer covers: its period.from and period.to, else its own from and to (the
 * queue's figures), else its one day (the payments' reconciliation) as both. 0 for none. */
static int answer_days(json_t *doc, const char **from, const char **to)
{
    *from = json_string_value(jpath(doc, "period.from"));
    *to = json_string_value(jpath(doc, "period.to"));
    if (!*from || !*to) {
        *from = json_string_value(json_object_get(doc, "from"));
        *to = json_string_value(json_object_get(doc, "to"));
    }
    if (!*from || !*to) *from = *to = json_string_value(json_object_get(doc, "day"));
    return *from && *to;
}

/* The period for the file name: the query's period (or round, or year), else the answer's
 * days, else today. */
static const char *table_period(struct req *r, json_t *doc)
{
    const char *p = req_query(r, "period");
    if (!p) p = req_param(r, "round");
    if (!p) p = req_query(r, "year");
    if (p) return p;
    const char *from, *to;
    if (answer_days(doc, &from, &to))
        return strcmp(from, to) ? arena_printf(r->arena, "%s..%s", from, to) : from;
    json_t *y = json_object_get(doc, "year");
    if (json_is_integer(y)) return arena_printf(r->arena, "%lld", (long long)json_integer_value(y));
    char buf[16];
    return arena_strdup(r->arena, day_format(today_local(), buf));
}

static const char *subtitle_of(struct req *r, json_t *doc, const char *unit)
{
    const char *parts = "";
    if (unit) parts = arena_printf(r->arena, "Đơn vị: %s (%s)", unit_name_of(r, unit), unit);
    const char *from, *to;
    int days = answer_days(doc, &from, &to);
    const char *round = req_param(r, "round");
    const char *period = NULL;
    if (days && !strcmp(from, to))
        period = arena_printf(r->arena, "Ngày %s", vn_day(r, from));
    else if (days)
        period = arena_printf(r->arena, "Kỳ báo cáo: từ ngày %s đến ngày %s", vn_day(r, from),
                              vn_day(r, to));
    else if (req_query(r, "period"))
        period = arena_printf(r->arena, "Kỳ báo cáo: %s", req_query(r, "period"));
    else if (round)
        period = arena_printf(r->arena, "Đợt đánh giá: %s", round);
    else if (json_is_integer(json_object_get(doc, "year")))
        period = arena_printf(r->arena, "Năm %lld",
                              (long long)json_integer_value(json_object_get(doc, "year")));
    char today[16];
    struct ymd t = days_to_ymd(today_local());
    snprintf(today, sizeof today, "%02d/%02d/%04d", t.d, t.m, t.y);
    const char *sep = parts[0] && period ? " · " : "";
    return arena_printf(r->arena, "%s%s%s · Xuất ngày %s", parts, sep, period ? period : "", today);
}

/* ASCII letters, digits, '.' and '-' only: "DT.MYTHO", "2026-Q1", "2026-01-01..2026-03-31". */
static const char *file_part(struct req *r, const char *s)
{
    char *out = arena_strdup(r->arena, s ? s : "");
    if (!out) return "";
    for (char *p = out; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-'))
            *p = '-';
    return out;
}

int export_prepare(struct req *r)
{
    const struct xspec *sp = spec_of(r->route);
    const char *f = sp ? req_query(r, "format") : NULL;
    if (!f) return 0;
    char word[24];
    snprintf(word, sizeof word, " %.20s ", f);
    if (sp->native && strstr(sp->native, word)) return 0; /* the handler's own */
    if (!strcmp(f, "json")) {
        r->hide_query = "format";
        return 0;
    }
    if (strcmp(f, "xlsx") && strcmp(f, "pdf")) {
        reply_error(r, 400, "invalid", "format",
                    "format '%.20s' is not known here (json, xlsx or pdf)", f);
        return -1;
    }
    r->hide_query = "format";
    r->export_fmt = strcmp(f, "xlsx") ? RF_PDF : RF_XLSX;
    return 0;
}

void export_finish(struct req *r)
{
    if (!r->export_fmt || !r->replied || r->status != 200) return;
    const struct xspec *sp = spec_of(r->route);
    json_error_t je;
    json_t *doc = sp ? json_loadb(r->resp, r->resp_len, 0, &je) : NULL;
    json_t *rows = doc ? jpath(doc, sp->rows) : NULL;
    struct err e = {0};
    if (!json_is_array(rows)) {
        json_decref(doc);
        err_set(&e, ERR_INTERNAL, "format", "the table could not be read from the answer");
        r->replied = 0, r->nhdr = 0;
        reply_err(r, &e);
        return;
    }
    int ncols = ncols_of(sp);
    struct rcol cols[XCOLS_MAX];
    for (int c = 0; c < ncols; c++)
        cols[c] = (struct rcol){sp->cols[c].path, sp->cols[c].header, rtype_of(sp->cols[c].kind),
                                sp->cols[c].width};
    const char *unit = table_unit(r, doc);
    const char *sub = subtitle_of(r, doc, unit);
    char path[512];
    int rc = download_temp_path(path, sizeof path);
    struct rwriter *w = NULL;
    if (rc)
        err_set(&e, ERR_IO, "format", "cannot create a temporary file");
    else
        rc = rwriter_open(r->export_fmt, path, sp->title, sub, cols, ncols, &w, &e);
    struct rcell cells[XCOLS_MAX];
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc) break;
        for (int c = 0; c < ncols; c++)
            cells[c] = cell_of(r, &sp->cols[c], row);
        rc = rwriter_row(w, cells, &e);
    }
    for (size_t t = 0; t < sizeof TOTALS / sizeof TOTALS[0]; t++) {
        json_t *total = jpath(doc, TOTALS[t].path);
        if (rc || strcmp(TOTALS[t].pattern, sp->pattern) || !json_is_object(total)) continue;
        for (int c = 0; c < ncols; c++)
            cells[c] = cell_of(r, &sp->cols[c], total);
        cells[0] = (struct rcell){.text = TOTALS[t].label};
        rc = rwriter_row(w, cells, &e);
    }
    if (w) {
        int rc2 = rwriter_close(w, &e);
        if (!rc) rc = rc2;
    }
    size_t len = 0;
    char *body = rc ? NULL : download_slurp(path, &len);
    if (path[0]) unlink(path);
    const char *ext = r->export_fmt == RF_PDF ? "pdf" : "xlsx";
    const char *name =
        arena_printf(r->arena, "%s%s%s-%s.%s", sp->stem, unit ? "-" : "",
                     unit ? file_part(r, unit) : "", file_part(r, table_period(r, doc)), ext);
    json_decref(doc);
    r->replied = 0, r->nhdr = 0;
    if (rc || !body) {
        if (!rc) err_set(&e, ERR_IO, "format", "the export could not be read back");
        reply_err(r, &e);
        free(body);
        return;
    }
    reply_download(r,
                   r->export_fmt == RF_PDF
                       ? "application/pdf"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   name ? name : "bang.xlsx", body, len);
    free(body);
}
