/* par_xlsx.c — a PAR round's results as an Excel workbook (libxlsxwriter): one sheet "Kết quả"
 * with Vietnamese headers, numbers as numbers (points and index with two decimals, ranks as
 * integers, changes with a sign), frozen header row; a second sheet "Lĩnh vực" names the areas
 * and their maxima; a third lists the missing scores. Same columns as the table of par_io.c. */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "par_io.h"

struct book {
    lxw_workbook *wb;
    lxw_format *head, *pts, *pct, *signed_pts, *integer, *signed_int, *text, *title;
};

static double pts_d(par_pts v)
{
    return (double)v / PAR_SCALE;
}

static void formats(struct book *b)
{
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_text_wrap(b->head);
    format_set_align(b->head, LXW_ALIGN_CENTER);
    format_set_align(b->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(b->head, 0xDDEBF7);
    format_set_border(b->head, LXW_BORDER_THIN);
    b->pts = workbook_add_format(b->wb);
    format_set_num_format(b->pts, "0.00");
    b->pct = workbook_add_format(b->wb);
    format_set_num_format(b->pct, "0.00\"%\"");
    b->signed_pts = workbook_add_format(b->wb);
    format_set_num_format(b->signed_pts, "+0.00;-0.00;0.00");
    b->integer = workbook_add_format(b->wb);
    format_set_num_format(b->integer, "0");
    b->signed_int = workbook_add_format(b->wb);
    format_set_num_format(b->signed_int, "+0;-0;0");
    b->text = workbook_add_format(b->wb);
    b->title = workbook_add_format(b->wb);
    format_set_bold(b->title);
    format_set_font_size(b->title, 13);
}

static int header(struct book *b, lxw_worksheet *ws, const struct par_results *r, int with_prev,
                  int with_targets)
{
    const struct par_set *s = r->set;
    static const char *const h1[] = {"Hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Chỉ số (%)"};
    int c = 0;
    for (int k = 0; k < 5; k++)
        worksheet_write_string(ws, 1, (lxw_col_t)c++, h1[k], b->head);
    for (int a = 0; a < s->nareas; a++) {
        char h[64];
        snprintf(h, sizeof h, "LV %s", s->node[s->areas[a]].code);
        worksheet_write_string(ws, 1, (lxw_col_t)c++, h, b->head);
    }
    static const char *const h2[] = {"Điểm điều tra XHH", "Số tiêu chí thiếu điểm"};
    static const char *const hp[] = {"Hạng năm trước", "Tăng/giảm hạng", "Chỉ số năm trước (%)",
                                     "Tăng/giảm chỉ số"};
    static const char *const ht[] = {"Hạng mục tiêu", "Chỉ số mục tiêu (%)", "Đạt mục tiêu"};
    for (int k = 0; k < 2; k++)
        worksheet_write_string(ws, 1, (lxw_col_t)c++, h2[k], b->head);
    for (int k = 0; with_prev && k < 4; k++)
        worksheet_write_string(ws, 1, (lxw_col_t)c++, hp[k], b->head);
    for (int k = 0; with_targets && k < 3; k++)
        worksheet_write_string(ws, 1, (lxw_col_t)c++, ht[k], b->head);
    worksheet_set_row(ws, 1, 45, NULL);
    worksheet_set_column(ws, 0, 0, 6, NULL);
    worksheet_set_column(ws, 1, 1, 12, NULL);
    worksheet_set_column(ws, 2, 2, 32, NULL);
    worksheet_set_column(ws, 3, (lxw_col_t)(c - 1), 11, NULL);
    worksheet_freeze_panes(ws, 2, 3);
    return c;
}

static void prev_cells(struct book *b, lxw_worksheet *ws, lxw_row_t row, int c,
                       const struct par_unit_result *u)
{
    if (u->prev == PAR_PREV_ONE) {
        worksheet_write_number(ws, row, (lxw_col_t)c, u->prev_rank, b->integer);
        worksheet_write_number(ws, row, (lxw_col_t)c + 1, u->rank_change, b->signed_int);
    } else if (u->prev == PAR_PREV_MERGED) {
        worksheet_write_string(ws, row, (lxw_col_t)c, "gộp", b->text);
    }
    if (u->prev != PAR_PREV_NONE) {
        worksheet_write_number(ws, row, (lxw_col_t)c + 2, pts_d(u->prev_index), b->pct);
        worksheet_write_number(ws, row, (lxw_col_t)c + 3, pts_d(u->index_change), b->signed_pts);
    }
}

static void target_cells(struct book *b, lxw_worksheet *ws, lxw_row_t row, int c,
                         const struct par_unit_result *u)
{
    if (!u->has_target) return;
    if (u->target_rank) worksheet_write_number(ws, row, (lxw_col_t)c, u->target_rank, b->integer);
    if (u->target_index != PAR_NONE)
        worksheet_write_number(ws, row, (lxw_col_t)c + 1, pts_d(u->target_index), b->pct);
    worksheet_write_string(ws, row, (lxw_col_t)c + 2,
                           u->target_met > 0    ? "đạt"
                           : u->target_met == 0 ? "chưa đạt"
                                                : "không rõ",
                           b->text);
}

static void unit_row(struct book *b, lxw_worksheet *ws, lxw_row_t row, const struct par_results *r,
                     const struct par_unit_result *u, int with_prev, int with_targets)
{
    int c = 0;
    worksheet_write_number(ws, row, (lxw_col_t)c++, u->rank, b->integer);
    worksheet_write_string(ws, row, (lxw_col_t)c++, u->code, b->text);
    worksheet_write_string(ws, row, (lxw_col_t)c++, u->name, b->text);
    worksheet_write_number(ws, row, (lxw_col_t)c++, pts_d(u->total), b->pts);
    worksheet_write_number(ws, row, (lxw_col_t)c++, pts_d(u->index), b->pct);
    for (int a = 0; a < r->set->nareas; a++)
        worksheet_write_number(ws, row, (lxw_col_t)c++, pts_d(u->area[a]), b->pts);
    worksheet_write_number(ws, row, (lxw_col_t)c++, pts_d(u->survey_total), b->pts);
    worksheet_write_number(ws, row, (lxw_col_t)c++, u->missing, b->integer);
    if (with_prev) prev_cells(b, ws, row, c, u);
    if (with_prev) c += 4;
    if (with_targets) target_cells(b, ws, row, c, u);
}

static void areas_sheet(struct book *b, const struct par_set *s)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Lĩnh vực");
    static const char *const h[] = {"Mã", "Lĩnh vực", "Điểm tối đa"};
    for (int k = 0; k < 3; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, h[k], b->head);
    for (int a = 0; a < s->nareas; a++) {
        const struct par_node *n = &s->node[s->areas[a]];
        worksheet_write_string(ws, (lxw_row_t)a + 1, 0, n->code, b->text);
        worksheet_write_string(ws, (lxw_row_t)a + 1, 1, n->title, b->text);
        worksheet_write_number(ws, (lxw_row_t)a + 1, 2, pts_d(n->max), b->pts);
    }
    worksheet_write_string(ws, (lxw_row_t)s->nareas + 1, 1, "Tổng", b->head);
    worksheet_write_number(ws, (lxw_row_t)s->nareas + 1, 2, pts_d(s->max), b->pts);
    worksheet_set_column(ws, 1, 1, 60, NULL);
}

static void missing_sheet(struct book *b, const struct par_results *r)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Thiếu điểm");
    static const char *const h[] = {"Mã đơn vị", "Tiêu chí", "Nội dung"};
    for (int k = 0; k < 3; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, h[k], b->head);
    for (int i = 0; i < r->nmissing; i++) {
        const struct par_node *n = &r->set->node[r->missing[i].node];
        const struct par_unit_result *u = NULL;
        for (int k = 0; k < r->n && !u; k++)
            if (r->u[k].unit == r->missing[i].unit) u = &r->u[k];
        worksheet_write_string(ws, (lxw_row_t)i + 1, 0, u ? u->code : "", b->text);
        worksheet_write_string(ws, (lxw_row_t)i + 1, 1, n->code, b->text);
        worksheet_write_string(ws, (lxw_row_t)i + 1, 2, n->title, b->text);
    }
    worksheet_set_column(ws, 2, 2, 60, NULL);
}

int par_io_write_results_xlsx(const char *path, const struct par_results *r, const char *title,
                              int with_prev, int with_targets, struct err *e)
{
    struct book b = {0};
    b.wb = workbook_new(path);
    if (!b.wb) return err_set(e, ERR_IO, "output", "%s: cannot create the workbook", path);
    formats(&b);
    lxw_worksheet *ws = workbook_add_worksheet(b.wb, "Kết quả");
    worksheet_write_string(ws, 0, 0, title && *title ? title : "Kết quả Chỉ số CCHC", b.title);
    header(&b, ws, r, with_prev, with_targets);
    for (int i = 0; i < r->n; i++)
        unit_row(&b, ws, (lxw_row_t)i + 2, r, &r->u[i], with_prev, with_targets);
    areas_sheet(&b, r->set);
    missing_sheet(&b, r);
    lxw_error rc = workbook_close(b.wb);
    if (rc != LXW_NO_ERROR)
        return err_set(e, ERR_IO, "output", "%s: writing the workbook failed: %s", path,
                       lxw_strerror(rc));
    return 0;
}
