/* preport_out.c — a stored periodic CCHC report written for people: .xlsx (libxlsxwriter: a
 * sheet with the narrative, a sheet per annex table) and A4 PDF (cairo and pango, fonts
 * embedded as in the printed forms, forms_pdf.c). Both read only the report's frozen
 * snapshot and sections, through one model of the annex tables (struct ptab), so the two
 * files always agree. The tables follow the Ministry of Home Affairs' annex of the periodic
 * CCHC report as far as cchc knows it (verify the layout against the annex of guidance
 * 581/BNV-CCHC and Circular 18/2025/TT-BNV before relying on the numbering). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <jansson.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "date.h"
#include "preport_doc.h"
#include "report_period.h"

/* ---- the model: annex tables built from the snapshot ---- */

#define PT_COLS 8
#define PT_ROWS 160
#define PT_CELL 200

struct pcell {
    char text[PT_CELL];
    int kind; /* 0 text, 1 integer, 2 permille rate, 3 points (×10000) */
    int64_t v;
};
struct ptab {
    char title[200];
    int ncols, nrows;
    const char *head[PT_COLS];
    int width[PT_COLS];
    struct pcell cell[PT_ROWS][PT_COLS];
};
struct pdoc {
    char unit_name[256], parent_name[256], title[256], period[200], status[200];
    int ntabs;
    struct ptab *tab[10];
};

static int64_t jint(const json_t *o, const char *k)
{
    const json_t *v = o ? json_object_get(o, k) : NULL;
    return v && json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static const char *jtxt(const json_t *o, const char *k)
{
    const json_t *v = o ? json_object_get(o, k) : NULL;
    return v && json_is_string(v) ? json_string_value(v) : "";
}

static void group_int(long long v, char *buf, size_t n)
{
    char d[32];
    snprintf(d, sizeof d, "%lld", v < 0 ? -v : v);
    size_t len = strlen(d), k = 0;
    if (v < 0 && k + 1 < n) buf[k++] = '-';
    for (size_t i = 0; i < len && k + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) buf[k++] = '.';
        buf[k++] = d[i];
    }
    buf[k] = '\0';
}

static void set_text(struct pcell *c, const char *t)
{
    c->kind = 0;
    snprintf(c->text, sizeof c->text, "%s", t ? t : "");
}

static void set_int(struct pcell *c, int64_t v)
{
    c->kind = 1, c->v = v;
    group_int((long long)v, c->text, sizeof c->text);
}

/* A rate num/den in tenths of a percent, "—" when den is 0. */
static void set_rate(struct pcell *c, int64_t num, int64_t den)
{
    if (den <= 0) return set_text(c, "—");
    c->kind = 2;
    c->v = (num * 2000 + den) / (2 * den);
    snprintf(c->text, sizeof c->text, "%lld,%lld%%", (long long)(c->v / 10),
             (long long)(c->v % 10));
}

static void set_points(struct pcell *c, int64_t v, int64_t scale)
{
    c->kind = 3;
    c->v = v * 10000 / (scale ? scale : 1);
    snprintf(c->text, sizeof c->text, "%lld,%02lld", (long long)(c->v / 10000),
             (long long)((c->v % 10000) / 100));
}

static struct ptab *tab_new(struct pdoc *d, const char *title, int ncols, const char *const *head,
                            const int *width)
{
    if (d->ntabs >= 10) return NULL;
    struct ptab *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    snprintf(t->title, sizeof t->title, "%s", title);
    t->ncols = ncols;
    for (int i = 0; i < ncols; i++)
        t->head[i] = head[i], t->width[i] = width[i];
    d->tab[d->ntabs++] = t;
    return t;
}

static struct pcell *row_new(struct ptab *t)
{
    if (!t || t->nrows >= PT_ROWS) return NULL;
    return t->cell[t->nrows++];
}

/* One "figure: value" row of a two-column table (number, label, value). */
static void fig(struct ptab *t, const char *no, const char *label, int64_t v)
{
    struct pcell *r = row_new(t);
    if (!r) return;
    set_text(&r[0], no);
    set_text(&r[1], label);
    set_int(&r[2], v);
}

static void fig_rate(struct ptab *t, const char *no, const char *label, int64_t num, int64_t den)
{
    struct pcell *r = row_new(t);
    if (!r) return;
    set_text(&r[0], no);
    set_text(&r[1], label);
    set_rate(&r[2], num, den);
}

static const char *const H3[] = {"STT", "Nội dung", "Số liệu"};
static const int W3[] = {6, 60, 16};

static void dossier_rows(struct ptab *t, const json_t *d)
{
    fig(t, "1", "Số hồ sơ kỳ trước chuyển sang", jint(d, "carried_over"));
    fig(t, "2", "Số hồ sơ tiếp nhận mới trong kỳ", jint(d, "received"));
    fig(t, "2.1", "Trong đó: tiếp nhận trực tuyến", jint(d, "received_online"));
    fig(t, "2.2", "Tiếp nhận trực tiếp", jint(d, "received_direct"));
    fig(t, "2.3", "Tiếp nhận qua dịch vụ bưu chính công ích", jint(d, "received_postal"));
    fig(t, "3", "Số hồ sơ đã giải quyết", jint(d, "solved"));
    fig(t, "3.1", "Giải quyết trước hạn", jint(d, "early"));
    fig(t, "3.2", "Giải quyết đúng hạn", jint(d, "on_time"));
    fig(t, "3.3", "Giải quyết quá hạn", jint(d, "late"));
    fig(t, "4", "Số hồ sơ từ chối, rút, dừng xử lý", jint(d, "refused") + jint(d, "withdrawn"));
    fig(t, "5", "Số hồ sơ đang giải quyết", jint(d, "in_progress"));
    fig(t, "5.1", "Trong hạn", jint(d, "in_progress_in_time"));
    fig(t, "5.2", "Quá hạn", jint(d, "in_progress_overdue"));
    fig_rate(t, "6", "Tỷ lệ giải quyết trước hạn, đúng hạn (trên hồ sơ đã giải quyết)",
             jint(d, "ontime_num"), jint(d, "ontime_den"));
    fig_rate(t, "7", "Tỷ lệ tiếp nhận trực tuyến (trên hồ sơ tiếp nhận trong kỳ)",
             jint(d, "received_online"), jint(d, "online_den"));
}

static const char *const HM[] = {
    "STT",     "Đơn vị",          "Tiếp nhận",     "Đã giải quyết", "Trước hạn, đúng hạn",
    "Quá hạn", "Đang giải quyết", "Tỷ lệ đúng hạn"};
static const int WM[] = {6, 34, 11, 11, 12, 10, 11, 11};

static void unit_row(struct ptab *t, const char *no, const char *name, const json_t *d)
{
    struct pcell *r = row_new(t);
    if (!r) return;
    set_text(&r[0], no);
    set_text(&r[1], name);
    if (!d) {
        for (int i = 2; i < 8; i++)
            set_text(&r[i], "");
        return;
    }
    set_int(&r[2], jint(d, "received"));
    set_int(&r[3], jint(d, "solved"));
    set_int(&r[4], jint(d, "early") + jint(d, "on_time"));
    set_int(&r[5], jint(d, "late"));
    set_int(&r[6], jint(d, "in_progress"));
    set_rate(&r[7], jint(d, "ontime_num"), jint(d, "ontime_den"));
}

static void day_vn(const char *iso, char *buf, size_t n)
{
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3)
        snprintf(buf, n, "%02d/%02d/%04d", d, m, y);
    else
        snprintf(buf, n, "%s", iso);
}

static int model_build(const struct preport *r, struct pdoc *doc, struct err *e)
{
    json_error_t je;
    json_t *s = json_loads(r->snapshot ? r->snapshot : "", 0, &je);
    if (!s)
        return err_set(e, ERR_INVALID, "snapshot", "report #%lld: snapshot unreadable: %s",
                       (long long)r->id, je.text);
    memset(doc, 0, sizeof *doc);
    const json_t *u = json_object_get(s, "unit"), *p = json_object_get(s, "period");
    snprintf(doc->unit_name, sizeof doc->unit_name, "%s", jtxt(u, "name"));
    snprintf(doc->parent_name, sizeof doc->parent_name, "%s",
             jtxt(json_object_get(s, "parent"), "name"));
    const struct report_period *rp = report_period_find(r->period);
    snprintf(doc->title, sizeof doc->title, "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH %s NĂM %d%s",
             !strcmp(r->period, "Q1")   ? "QUÝ I"
             : !strcmp(r->period, "6M") ? "6 THÁNG ĐẦU"
             : !strcmp(r->period, "Q3") ? "QUÝ III"
                                        : "",
             r->year, r->consolidated ? " (TỔNG HỢP)" : "");
    (void)rp;
    char a[16], b[16], c[16];
    day_vn(jtxt(p, "from"), a, sizeof a);
    day_vn(jtxt(p, "to"), b, sizeof b);
    day_vn(jtxt(s, "as_of"), c, sizeof c);
    snprintf(doc->period, sizeof doc->period,
             "Kỳ báo cáo: số liệu từ ngày %s đến ngày %s (số liệu tính đến ngày %s)", a, b, c);
    struct ymd sd = days_to_ymd(instant_day(r->snapshot_at));
    snprintf(doc->status, sizeof doc->status, "Trạng thái: %s — số liệu chốt ngày %02d/%02d/%04d",
             preport_status_label(r->status), sd.d, sd.m, sd.y);

    /* Biểu 1: dossiers, with the merged units labelled */
    const json_t *merged = json_object_get(s, "merged");
    struct ptab *t = tab_new(doc, "Biểu số 01. Kết quả giải quyết thủ tục hành chính", 3, H3, W3);
    if (!t) goto nomem;
    dossier_rows(t, json_object_get(s, "dossiers"));
    if (json_array_size(merged)) {
        t = tab_new(doc,
                    "Biểu số 01a. Hồ sơ của các đơn vị đã sáp nhập vào đơn vị (trước 01/7/2025)", 8,
                    HM, WM);
        if (!t) goto nomem;
        unit_row(t, "", doc->unit_name, json_object_get(s, "dossiers"));
        size_t i;
        const json_t *m;
        json_array_foreach(merged, i, m)
        {
            char no[24], name[PT_CELL], to[16];
            snprintf(no, sizeof no, "%zu", i + 1);
            day_vn(jtxt(m, "valid_to"), to, sizeof to);
            snprintf(name, sizeof name, "%s (đã sáp nhập, đến %s)", jtxt(m, "name"), to);
            unit_row(t, no, name, json_object_get(m, "dossiers"));
        }
        unit_row(t, "", "Tổng cộng (gồm đơn vị đã sáp nhập)", json_object_get(s, "dossiers_all"));
    }
    /* Biểu 2: the service index */
    const json_t *ix = json_object_get(s, "index");
    static const char *const HI[] = {"STT", "Nhóm chỉ số (Quyết định 766/QĐ-TTg)", "Điểm tối đa",
                                     "Điểm đạt"};
    static const int WI[] = {6, 50, 12, 12};
    t = tab_new(doc, "Biểu số 02. Chỉ số phục vụ người dân, doanh nghiệp", 4, HI, WI);
    if (!t) goto nomem;
    size_t i;
    const json_t *g;
    int64_t scale = jint(ix, "scale");
    json_array_foreach(json_object_get(ix, "groups"), i, g)
    {
        struct pcell *row = row_new(t);
        if (!row) break;
        char no[24];
        snprintf(no, sizeof no, "%zu", i + 1);
        set_text(&row[0], no);
        set_text(&row[1], jtxt(g, "name"));
        set_int(&row[2], jint(g, "max"));
        set_points(&row[3], jint(g, "points"), scale);
    }
    struct pcell *row = row_new(t);
    if (row) {
        set_text(&row[1], "Tổng điểm (trên số điểm đánh giá được)");
        set_points(&row[2], jint(ix, "judged"), scale);
        set_points(&row[3], jint(ix, "total"), scale);
    }
    /* Biểu 3: feedback */
    const json_t *fb = json_object_get(s, "feedback");
    t = tab_new(doc, "Biểu số 03. Tiếp nhận, xử lý phản ánh, kiến nghị", 3, H3, W3);
    if (!t) goto nomem;
    fig(t, "1", "Số phản ánh, kiến nghị tiếp nhận trong kỳ", jint(fb, "items"));
    fig(t, "2", "Đã xử lý đúng hạn", jint(fb, "on_time"));
    fig(t, "3", "Đã xử lý quá hạn", jint(fb, "late"));
    fig(t, "4", "Đang xử lý trong hạn", jint(fb, "in_time"));
    fig(t, "5", "Đang xử lý quá hạn", jint(fb, "overdue"));
    fig(t, "6", "Chuyển cơ quan khác, từ chối, chờ bổ sung",
        jint(fb, "forwarded") + jint(fb, "refused") + jint(fb, "waiting"));
    fig_rate(t, "7", "Tỷ lệ hài lòng (trên số được đánh giá)", jint(fb, "satisfied"),
             jint(fb, "rated"));
    /* Biểu 4: the plan's tasks */
    const json_t *tk = json_object_get(s, "tasks");
    t = tab_new(doc, "Biểu số 04. Thực hiện kế hoạch cải cách hành chính năm", 3, H3, W3);
    if (!t) goto nomem;
    fig(t, "1", "Tổng số nhiệm vụ trong kế hoạch (của đơn vị và cấp dưới)", jint(tk, "total"));
    fig(t, "2", "Đã hoàn thành", jint(tk, "done"));
    fig(t, "3", "Đang thực hiện", jint(tk, "in_progress") + jint(tk, "paused"));
    fig(t, "4", "Chưa triển khai", jint(tk, "planned"));
    fig(t, "5", "Quá hạn chưa hoàn thành", jint(tk, "overdue"));
    fig(t, "6", "Hủy bỏ", jint(tk, "cancelled"));
    fig_rate(t, "7", "Tỷ lệ hoàn thành kế hoạch (nhiệm vụ đến hạn)", jint(tk, "rate_num"),
             jint(tk, "rate_den"));
    /* Biểu 5: inspections */
    const json_t *in = json_object_get(s, "inspections");
    const json_t *co = json_object_get(in, "carried_out"), *re = json_object_get(in, "received");
    t = tab_new(doc, "Biểu số 05. Kiểm tra công tác cải cách hành chính", 3, H3, W3);
    if (!t) goto nomem;
    fig(t, "1", "Số cuộc kiểm tra đơn vị thực hiện trong năm", jint(co, "total"));
    fig(t, "1.1", "Đã kết luận hoặc hoàn thành khắc phục",
        jint(co, "concluded") + jint(co, "closed"));
    fig(t, "1.2", "Tồn tại phát hiện qua kiểm tra (kết quả kiểm tra)", jint(co, "findings"));
    fig(t, "1.3", "Biện pháp khắc phục còn chưa hoàn thành", jint(co, "open_remedies"));
    fig_rate(t, "1.4", "Tỷ lệ đơn vị trực thuộc được kiểm tra", jint(in, "share_num"),
             jint(in, "share_den"));
    fig(t, "2", "Số cuộc kiểm tra đối với đơn vị và cấp dưới", jint(re, "total"));
    fig(t, "2.1", "Biện pháp khắc phục được giao", jint(re, "remedies"));
    fig(t, "2.2", "Biện pháp khắc phục chưa hoàn thành", jint(re, "open_remedies"));
    /* Biểu 6: the PAR self-assessment */
    const json_t *par = json_object_get(s, "par");
    t = tab_new(doc, "Biểu số 06. Tự đánh giá Chỉ số cải cách hành chính (đến thời điểm báo cáo)",
                3, H3, W3);
    if (!t) goto nomem;
    if (par && json_is_object(par)) {
        row = row_new(t);
        set_text(&row[0], "1");
        set_text(&row[1], "Đợt đánh giá");
        set_text(&row[2], jtxt(par, "title"));
        row = row_new(t);
        set_text(&row[0], "2");
        set_text(&row[1], "Điểm tự đánh giá / điểm tối đa");
        char a1[48], a2[48];
        struct pcell tmp;
        set_points(&tmp, jint(par, "self"), jint(par, "scale"));
        snprintf(a1, sizeof a1, "%.40s", tmp.text);
        set_points(&tmp, jint(par, "max"), jint(par, "scale"));
        snprintf(a2, sizeof a2, "%.40s", tmp.text);
        snprintf(row[2].text, sizeof row[2].text, "%s / %s", a1, a2);
        fig(t, "3", "Số tiêu chí đã tự chấm", jint(par, "scored"));
        fig(t, "4", "Tổng số tiêu chí", jint(par, "leaves"));
    } else {
        row = row_new(t);
        set_text(&row[1], "Chưa có đợt đánh giá Chỉ số CCHC của đơn vị");
    }
    /* Biểu 7: the children (consolidated) */
    const json_t *ch = json_object_get(s, "children");
    if (ch) {
        static const char *const HC[] = {"STT",
                                         "Đơn vị",
                                         "Tình trạng báo cáo",
                                         "Tiếp nhận",
                                         "Đã giải quyết",
                                         "Tỷ lệ đúng hạn",
                                         "Nhiệm vụ hoàn thành / tổng số",
                                         "Phản ánh, kiến nghị"};
        static const int WC[] = {6, 30, 16, 10, 11, 11, 14, 11};
        t = tab_new(doc, "Biểu số 07. Tổng hợp báo cáo của các đơn vị trực thuộc", 8, HC, WC);
        if (!t) goto nomem;
        const json_t *k;
        json_array_foreach(json_object_get(ch, "units"), i, k)
        {
            row = row_new(t);
            if (!row) break;
            char no[24];
            snprintf(no, sizeof no, "%zu", i + 1);
            set_text(&row[0], no);
            set_text(&row[1], jtxt(k, "name"));
            const char *st = jtxt(k, "status");
            enum preport_status ps;
            set_text(&row[2], !strcmp(st, "missing") ? "Chưa có báo cáo"
                              : !preport_status_parse(st, &ps, "status", NULL)
                                  ? preport_status_label(ps)
                                  : st);
            const json_t *d = json_object_get(k, "dossiers");
            if (!d) continue;
            set_int(&row[3], jint(d, "received"));
            set_int(&row[4], jint(d, "solved"));
            set_rate(&row[5], jint(d, "ontime_num"), jint(d, "ontime_den"));
            const json_t *kt = json_object_get(k, "tasks");
            snprintf(row[6].text, sizeof row[6].text, "%lld / %lld", (long long)jint(kt, "done"),
                     (long long)jint(kt, "total"));
            set_int(&row[7], jint(json_object_get(k, "feedback"), "items"));
        }
        const json_t *tot = json_object_get(ch, "total");
        row = row_new(t);
        if (row) {
            set_text(&row[1], "Cộng các đơn vị đã gửi báo cáo");
            char st[64];
            snprintf(st, sizeof st, "%lld đã gửi, %lld chưa gửi", (long long)jint(ch, "submitted"),
                     (long long)jint(ch, "missing"));
            set_text(&row[2], st);
            const json_t *d = json_object_get(tot, "dossiers");
            set_int(&row[3], jint(d, "received"));
            set_int(&row[4], jint(d, "solved"));
            set_rate(&row[5], jint(d, "ontime_num"), jint(d, "ontime_den"));
            const json_t *kt = json_object_get(tot, "tasks");
            snprintf(row[6].text, sizeof row[6].text, "%lld / %lld", (long long)jint(kt, "done"),
                     (long long)jint(kt, "total"));
            set_int(&row[7], jint(json_object_get(tot, "feedback"), "items"));
        }
    }
    json_decref(s);
    return 0;
nomem:
    json_decref(s);
    return err_set(e, ERR_NOMEM, "", "out of memory");
}

static void model_free(struct pdoc *d)
{
    for (int i = 0; i < d->ntabs; i++)
        free(d->tab[i]);
    d->ntabs = 0;
}

static const char *const PART[PS__COUNT] = {"I", "II", "III", "IV"};

/* ---- xlsx ---- */

int preport_write_xlsx(const struct preport *r, const char *path, struct err *e)
{
    struct pdoc *doc = calloc(1, sizeof *doc);
    if (!doc) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = model_build(r, doc, e);
    if (rc) {
        free(doc);
        return rc;
    }
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        model_free(doc);
        free(doc);
        return err_set(e, ERR_IO, "out", "%s: cannot create", path);
    }
    lxw_format *bold = workbook_add_format(wb), *title = workbook_add_format(wb),
               *wrap = workbook_add_format(wb), *head = workbook_add_format(wb),
               *integer = workbook_add_format(wb), *pct = workbook_add_format(wb),
               *pts = workbook_add_format(wb), *cell = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_bold(title);
    format_set_font_size(title, 13);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(cell, LXW_BORDER_THIN);
    format_set_text_wrap(cell);
    format_set_num_format(integer, "#,##0");
    format_set_border(integer, LXW_BORDER_THIN);
    format_set_num_format(pct, "0.0%");
    format_set_border(pct, LXW_BORDER_THIN);
    format_set_num_format(pts, "0.00");
    format_set_border(pts, LXW_BORDER_THIN);
    /* sheet 1: the report's text */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Báo cáo");
    worksheet_set_column(ws, 0, 0, 110, NULL);
    lxw_row_t y = 0;
    worksheet_write_string(ws, y++, 0, doc->unit_name, bold);
    worksheet_write_string(ws, y++, 0, doc->title, title);
    worksheet_write_string(ws, y++, 0, doc->period, NULL);
    worksheet_write_string(ws, y++, 0, doc->status, NULL);
    if (r->status == PR_RETURNED && r->return_reason[0]) {
        char b[PREPORT_NOTE_MAX + 40];
        snprintf(b, sizeof b, "Lý do trả lại: %s", r->return_reason);
        worksheet_write_string(ws, y++, 0, b, NULL);
    }
    y++;
    for (int i = 0; i < PS__COUNT; i++) {
        char h[120];
        snprintf(h, sizeof h, "%s. %s", PART[i], preport_section_title((enum preport_section)i));
        worksheet_write_string(ws, y++, 0, h, bold);
        const char *txt = r->section[i] && r->section[i][0] ? r->section[i] : "(chưa nhập)";
        /* Excel holds 32,767 characters in a cell; a section is at most 20,000 bytes */
        worksheet_write_string(ws, y++, 0, txt, wrap);
        y++;
    }
    /* one sheet per annex table */
    for (int k = 0; k < doc->ntabs; k++) {
        const struct ptab *t = doc->tab[k];
        char name[32];
        snprintf(name, sizeof name, "Biểu %02d%s", k + 1, "");
        lxw_worksheet *w = workbook_add_worksheet(wb, name);
        for (int c = 0; c < t->ncols; c++)
            worksheet_set_column(w, (lxw_col_t)c, (lxw_col_t)c, t->width[c], NULL);
        worksheet_write_string(w, 0, 0, t->title, title);
        worksheet_write_string(w, 1, 0, doc->unit_name, NULL);
        worksheet_write_string(w, 2, 0, doc->period, NULL);
        worksheet_set_row(w, 4, 32, NULL);
        for (int c = 0; c < t->ncols; c++)
            worksheet_write_string(w, 4, (lxw_col_t)c, t->head[c], head);
        for (int i = 0; i < t->nrows; i++)
            for (int c = 0; c < t->ncols; c++) {
                const struct pcell *pc = &t->cell[i][c];
                lxw_row_t yy = (lxw_row_t)(5 + i);
                if (pc->kind == 1)
                    worksheet_write_number(w, yy, (lxw_col_t)c, (double)pc->v, integer);
                else if (pc->kind == 2)
                    worksheet_write_number(w, yy, (lxw_col_t)c, (double)pc->v / 1000.0, pct);
                else if (pc->kind == 3)
                    worksheet_write_number(w, yy, (lxw_col_t)c, (double)pc->v / 10000.0, pts);
                else
                    worksheet_write_string(w, yy, (lxw_col_t)c, pc->text, cell);
            }
    }
    lxw_error le = workbook_close(wb);
    model_free(doc);
    free(doc);
    if (le != LXW_NO_ERROR)
        return err_set(e, ERR_IO, "out", "%s: writing the workbook: %s", path, lxw_strerror(le));
    return 0;
}

/* ---- PDF: A4 portrait ---- */

#define PW   595.276
#define PH   841.890
#define ML   56.7 /* 20 mm */
#define MR   42.5
#define MT   45.0
#define MB   50.0
#define FONT "Noto Serif"

struct pdf {
    cairo_t *cr;
    double y;
    int page;
};

static PangoLayout *layout(cairo_t *cr, double w, const char *text, double size, int bold,
                           PangoAlignment align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double lh(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void page_foot(struct pdf *p)
{
    char t[32];
    snprintf(t, sizeof t, "Trang %d", p->page);
    PangoLayout *l = layout(p->cr, PW - ML - MR, t, 8, 0, PANGO_ALIGN_CENTER);
    cairo_move_to(p->cr, ML, PH - MB + 18);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void page_break(struct pdf *p)
{
    page_foot(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MT;
}

/* A paragraph, line by line so a long section flows over pages. */
static void para(struct pdf *p, const char *text, double size, int bold, PangoAlignment align,
                 double after)
{
    PangoLayout *l = layout(p->cr, PW - ML - MR, text, size, bold, align);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = p->y;
    int first_y = -1;
    do {
        PangoRectangle ink, log;
        pango_layout_iter_get_line_extents(it, &ink, &log);
        double ly = (double)log.y / PANGO_SCALE, lht = (double)log.height / PANGO_SCALE;
        if (first_y < 0) first_y = log.y;
        if (top + ly + lht > PH - MB) {
            page_break(p);
            top = p->y - ly;
        }
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        int baseline = pango_layout_iter_get_baseline(it);
        cairo_move_to(p->cr, ML + (double)log.x / PANGO_SCALE,
                      top + (double)baseline / PANGO_SCALE);
        pango_cairo_show_layout_line(p->cr, line);
        p->y = top + ly + lht;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    p->y += after;
}

static double row_h(struct pdf *p, const double *x, int n, const char *const *texts, int bold)
{
    double h = 0;
    for (int c = 0; c < n; c++) {
        PangoLayout *l = layout(p->cr, x[c + 1] - x[c] - 5, texts[c], 8, bold, PANGO_ALIGN_LEFT);
        if (lh(l) > h) h = lh(l);
        g_object_unref(l);
    }
    return h + 5;
}

static void row_draw(struct pdf *p, const double *x, int n, const char *const *texts,
                     const int *right, int bold, double h)
{
    if (bold) {
        cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
        cairo_rectangle(p->cr, x[0], p->y, x[n] - x[0], h);
        cairo_fill(p->cr);
    }
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_set_line_width(p->cr, 0.5);
    for (int c = 0; c < n; c++) {
        cairo_rectangle(p->cr, x[c], p->y, x[c + 1] - x[c], h);
        cairo_stroke(p->cr);
        PangoLayout *l = layout(p->cr, x[c + 1] - x[c] - 5, texts[c], 8, bold,
                                bold ? PANGO_ALIGN_CENTER
                                     : (right && right[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
        cairo_move_to(p->cr, x[c] + 2.5, p->y + 2.5);
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
    }
    p->y += h;
}

static void table(struct pdf *p, const struct ptab *t)
{
    double x[PT_COLS + 1];
    int total = 0;
    for (int c = 0; c < t->ncols; c++)
        total += t->width[c];
    x[0] = ML;
    for (int c = 0; c < t->ncols; c++)
        x[c + 1] = x[c] + (PW - ML - MR) * t->width[c] / total;
    if (p->y + 80 > PH - MB) page_break(p);
    para(p, t->title, 10, 1, PANGO_ALIGN_LEFT, 4);
    double hh = row_h(p, x, t->ncols, t->head, 1);
    row_draw(p, x, t->ncols, t->head, NULL, 1, hh);
    for (int i = 0; i < t->nrows; i++) {
        const char *texts[PT_COLS];
        int right[PT_COLS];
        for (int c = 0; c < t->ncols; c++)
            texts[c] = t->cell[i][c].text, right[c] = t->cell[i][c].kind != 0;
        double h = row_h(p, x, t->ncols, texts, 0);
        if (p->y + h > PH - MB) {
            page_break(p);
            row_draw(p, x, t->ncols, t->head, NULL, 1, hh);
        }
        row_draw(p, x, t->ncols, texts, right, 0, h);
    }
    p->y += 10;
}

int preport_write_pdf(const struct preport *r, const char *path, struct err *e)
{
    struct pdoc *doc = calloc(1, sizeof *doc);
    if (!doc) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = model_build(r, doc, e);
    if (rc) {
        free(doc);
        return rc;
    }
    cairo_surface_t *sf = cairo_pdf_surface_create(path, PW, PH);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(sf);
        model_free(doc);
        free(doc);
        return err_set(e, ERR_IO, "out", "%s: cannot create", path);
    }
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "cchc");
    struct pdf p = {.cr = cairo_create(sf), .y = MT, .page = 1};
    cairo_set_source_rgb(p.cr, 0, 0, 0);
    /* the heading: the unit on the left, the national motto on the right */
    double half = (PW - ML - MR) / 2;
    PangoLayout *l = layout(p.cr, half - 10, doc->parent_name[0] ? doc->parent_name : " ", 10, 0,
                            PANGO_ALIGN_CENTER);
    cairo_move_to(p.cr, ML, p.y);
    pango_cairo_show_layout(p.cr, l);
    double h1 = lh(l);
    g_object_unref(l);
    l = layout(p.cr, half - 10, doc->unit_name, 10, 1, PANGO_ALIGN_CENTER);
    cairo_move_to(p.cr, ML, p.y + h1);
    pango_cairo_show_layout(p.cr, l);
    double hl = h1 + lh(l);
    g_object_unref(l);
    l = layout(p.cr, half + 10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
               10, 1, PANGO_ALIGN_CENTER);
    cairo_move_to(p.cr, ML + half - 10, p.y);
    pango_cairo_show_layout(p.cr, l);
    double hr = lh(l);
    g_object_unref(l);
    p.y += (hl > hr ? hl : hr) + 18;
    para(&p, doc->title, 13, 1, PANGO_ALIGN_CENTER, 4);
    para(&p, doc->period, 10, 0, PANGO_ALIGN_CENTER, 2);
    para(&p, doc->status, 9, 0, PANGO_ALIGN_CENTER, 12);
    if (r->status == PR_RETURNED && r->return_reason[0]) {
        char b[PREPORT_NOTE_MAX + 40];
        snprintf(b, sizeof b, "Lý do trả lại: %s", r->return_reason);
        para(&p, b, 10, 0, PANGO_ALIGN_LEFT, 8);
    }
    for (int i = 0; i < PS__COUNT; i++) {
        char h[120];
        snprintf(h, sizeof h, "%s. %s", PART[i], preport_section_title((enum preport_section)i));
        para(&p, h, 11, 1, PANGO_ALIGN_LEFT, 3);
        para(&p, r->section[i] && r->section[i][0] ? r->section[i] : "(chưa nhập)", 10.5, 0,
             PANGO_ALIGN_LEFT, 10);
    }
    page_break(&p);
    para(&p, "PHỤ LỤC SỐ LIỆU", 12, 1, PANGO_ALIGN_CENTER, 10);
    for (int k = 0; k < doc->ntabs; k++)
        table(&p, doc->tab[k]);
    page_foot(&p);
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(sf);
    cairo_status_t st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    model_free(doc);
    free(doc);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(e, ERR_IO, "out", "writing the PDF: %s", cairo_status_to_string(st));
    return 0;
}
