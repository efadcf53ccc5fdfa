/* xlsx.c — the Excel backend of report_table.h on libxlsxwriter: one worksheet in
 * constant-memory mode (rows stream to disk in order), a bold title and subtitle, wrapped
 * Vietnamese headers on a frozen row, thousands-separated integers, "0.0%" rates, dd/mm/yyyy
 * dates and dd/mm/yyyy hh:mm instants as real Excel dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report_table.h"

struct xlsx_out {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *title, *integer, *percent, *date, *instant, *points, *dec1;
    lxw_row_t row; /* next row */
    lxw_row_t first_data;
    int sheets;
    char *path;
};

/* Excel's serial date: days since 1899-12-30. */
static double excel_day(int64_t day)
{
    return (double)day + 25569.0;
}

static lxw_format *fmt(lxw_workbook *wb, const char *num, int bold, int wrap)
{
    lxw_format *f = workbook_add_format(wb);
    if (num) format_set_num_format(f, num);
    if (bold) format_set_bold(f);
    if (wrap) {
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_bg_color(f, 0xDDEBF7);
    }
    return f;
}

static int fail(struct xlsx_out *x, lxw_error rc, const char *what, struct err *e)
{
    return err_set(e, ERR_IO, "xlsx", "%s: %s: %s", x->path, what, lxw_strerror(rc));
}

/* Column widths, title lines and the frozen header row of the current sheet. */
static void sheet_head(struct xlsx_out *x, const char *title, const char *subtitle,
                       const struct rcol *cols, int ncols)
{
    for (int c = 0; c < ncols; c++)
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
                             cols[c].width > 0 ? cols[c].width : 14, NULL);
    if (title) worksheet_write_string(x->ws, x->row++, 0, title, x->title);
    if (subtitle) worksheet_write_string(x->ws, x->row++, 0, subtitle, NULL);
    if (title || subtitle) x->row++;
    worksheet_set_row(x->ws, x->row, 45, NULL);
    for (int c = 0; c < ncols; c++)
        worksheet_write_string(x->ws, x->row, (lxw_col_t)c, cols[c].header, x->head);
    worksheet_freeze_panes(x->ws, x->row + 1, 0);
    x->first_data = ++x->row;
}

/* A sheet holds at most 1,048,576 rows (Excel's limit): the next rows go on a new sheet
 * "Báo cáo (2)", … with the same header row. */
static void next_sheet_if_full(struct xlsx_out *x, const struct rcol *cols, int ncols)
{
    if (x->row < LXW_ROW_MAX) return;
    char name[32];
    snprintf(name, sizeof name, "Báo cáo (%d)", ++x->sheets);
    x->ws = workbook_add_worksheet(x->wb, name);
    x->row = 0;
    sheet_head(x, NULL, NULL, cols, ncols);
}

int xlsx_open(const char *path, const char *title, const char *subtitle, const struct rcol *cols,
              int ncols, struct xlsx_out **out, struct err *e)
{
    struct xlsx_out *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(path))) {
        free(x);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    if (!(x->wb = workbook_new_opt(path, &opt))) {
        free(x->path);
        free(x);
        return err_set(e, ERR_IO, "xlsx", "%s: cannot create the workbook", path);
    }
    x->ws = workbook_add_worksheet(x->wb, "Báo cáo");
    x->title = fmt(x->wb, NULL, 1, 0);
    format_set_font_size(x->title, 13);
    x->head = fmt(x->wb, NULL, 1, 1);
    x->integer = fmt(x->wb, "#,##0", 0, 0);
    x->percent = fmt(x->wb, "0.0%", 0, 0);
    x->date = fmt(x->wb, "dd/mm/yyyy", 0, 0);
    x->instant = fmt(x->wb, "dd/mm/yyyy hh:mm", 0, 0);
    x->points = fmt(x->wb, "0.00", 0, 0);
    x->dec1 = fmt(x->wb, "0.0", 0, 0);
    x->sheets = 1;
    sheet_head(x, title, subtitle, cols, ncols);
    *out = x;
    return 0;
}

int xlsx_row(struct xlsx_out *x, const struct rcol *cols, int ncols, const struct rcell *cells,
             struct err *e)
{
    lxw_error rc = LXW_NO_ERROR;
    next_sheet_if_full(x, cols, ncols);
    if (!x->ws) return err_set(e, ERR_IO, "xlsx", "%s: cannot add a worksheet", x->path);
    for (int c = 0; c < ncols && rc == LXW_NO_ERROR; c++) {
        const struct rcell *v = &cells[c];
        lxw_col_t col = (lxw_col_t)c;
        if (v->null) continue;
        switch (cols[c].type) {
        case RC_TEXT:
            if (v->text && *v->text) rc = worksheet_write_string(x->ws, x->row, col, v->text, NULL);
            break;
        case RC_INT:
            rc = worksheet_write_number(x->ws, x->row, col, (double)v->v, x->integer);
            break;
        case RC_PERMILLE:
            rc = worksheet_write_number(x->ws, x->row, col, (double)v->v / 1000.0, x->percent);
            break;
        case RC_DAY:
            rc = worksheet_write_number(x->ws, x->row, col, excel_day(v->v), x->date);
            break;
        case RC_INSTANT: {
            double d = excel_day(v->v / 1440) + (double)(v->v % 1440) / 1440.0;
            rc = worksheet_write_number(x->ws, x->row, col, d, x->instant);
            break;
        }
        case RC_POINTS:
            rc = worksheet_write_number(x->ws, x->row, col, (double)v->v / 10000.0, x->points);
            break;
        case RC_DEC1:
            rc = worksheet_write_number(x->ws, x->row, col, (double)v->v / 10.0, x->dec1);
            break;
        }
    }
    if (rc != LXW_NO_ERROR) return fail(x, rc, "writing a row", e);
    x->row++;
    return 0;
}

int xlsx_close(struct xlsx_out *x, struct err *e)
{
    if (!x) return 0;
    (void)e;
    lxw_error rc = workbook_close(x->wb);
    int r = rc == LXW_NO_ERROR ? 0 : fail(x, rc, "closing the workbook", e);
    free(x->path);
    free(x);
    return r;
}
