/* table_pdf.c — the PDF backend of the report writer (report_table.h): a register such as the
 * tracking book (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025/TT-VPCP) as landscape A4
 * pages drawn with cairo and pango (the fonts embedded, Vietnamese shaped as in the printed
 * forms, forms_pdf.c): the agency and the title on the first page, the column headers again
 * on every page, one row after another as the report streams them (a province-year book
 * never sits in memory), and "Trang N" at the foot of each page. Numbers and dates are
 * written the Vietnamese way (1.234; 99,4%; 07:30 20/11/2026). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "report_table.h"

#define PW     841.890 /* A4 landscape, points */
#define PH     595.276
#define ML     28.35 /* 10 mm */
#define MR     28.35
#define MT     34.0
#define MB     34.0
#define FONT   "Noto Serif"
#define SIZE   7.5
#define PAD    2.5
#define MAXCOL 24

struct pdf_table {
    cairo_surface_t *surface;
    cairo_t *cr;
    const struct rcol *cols;
    int ncols;
    double x[MAXCOL + 1]; /* column edges */
    double y;
    int page;
};

static PangoLayout *cell_layout(cairo_t *cr, double w, const char *text, int bold, int center)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, SIZE * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double text_at(cairo_t *cr, double x, double y, double w, const char *text, double size,
                      int bold, int center)
{
    PangoLayout *l = cell_layout(cr, w, text, bold, center);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

/* "1.234.567" */
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

/* A cell as people read it in Vietnamese. */
static void cell_vn(enum rcol_type t, const struct rcell *c, char *buf, size_t n)
{
    buf[0] = '\0';
    if (c->null) return;
    long long v = (long long)c->v, a = llabs(v);
    switch (t) {
    case RC_TEXT:
        snprintf(buf, n, "%s", c->text ? c->text : "");
        break;
    case RC_INT:
        group_int(v, buf, n);
        break;
    case RC_PERMILLE:
        snprintf(buf, n, "%s%lld,%lld%%", v < 0 ? "-" : "", a / 10, a % 10);
        break;
    case RC_POINTS:
        snprintf(buf, n, "%s%lld,%02lld", v < 0 ? "-" : "", a / 10000, (a % 10000) / 100);
        break;
    case RC_DEC1:
        snprintf(buf, n, "%s%lld,%lld", v < 0 ? "-" : "", a / 10, a % 10);
        break;
    case RC_DAY: {
        struct ymd d = days_to_ymd(c->v);
        snprintf(buf, n, "%02d/%02d/%04d", d.d, d.m, d.y);
        break;
    }
    case RC_INSTANT: {
        struct ymd d = days_to_ymd(instant_day(c->v));
        int m = instant_minute_of_day(c->v);
        snprintf(buf, n, "%02d:%02d %02d/%02d/%04d", m / 60, m % 60, d.d, d.m, d.y);
        break;
    }
    }
}

static void foot(struct pdf_table *p)
{
    char t[32];
    snprintf(t, sizeof t, "Trang %d", p->page);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    text_at(p->cr, ML, PH - MB + 10, PW - ML - MR, t, 8, 0, 1);
}

/* The height of one row of texts (the header when bold). */
static double row_height(struct pdf_table *p, const char *const *texts, int bold)
{
    double h = 0;
    for (int c = 0; c < p->ncols; c++) {
        PangoLayout *l = cell_layout(p->cr, p->x[c + 1] - p->x[c] - 2 * PAD, texts[c], bold, bold);
        int pw, ph;
        pango_layout_get_size(l, &pw, &ph);
        g_object_unref(l);
        if ((double)ph / PANGO_SCALE > h) h = (double)ph / PANGO_SCALE;
    }
    return h + 2 * PAD;
}

/* Draws one row of texts at p->y, h high, and moves p->y under it. */
static void draw_row(struct pdf_table *p, const char *const *texts, int bold, double h)
{
    cairo_t *cr = p->cr;
    if (bold) {
        cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
        cairo_rectangle(cr, p->x[0], p->y, p->x[p->ncols] - p->x[0], h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    for (int c = 0; c < p->ncols; c++) {
        double w = p->x[c + 1] - p->x[c];
        cairo_rectangle(cr, p->x[c], p->y, w, h);
        cairo_stroke(cr);
        PangoLayout *l = cell_layout(cr, w - 2 * PAD, texts[c], bold, bold);
        cairo_move_to(cr, p->x[c] + PAD, p->y + PAD);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
    }
    p->y += h;
}

static void header_row(struct pdf_table *p)
{
    const char *texts[MAXCOL];
    for (int c = 0; c < p->ncols; c++)
        texts[c] = p->cols[c].header;
    double h = row_height(p, texts, 1);
    draw_row(p, texts, 1, h);
}

static void new_page(struct pdf_table *p)
{
    foot(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MT;
    header_row(p);
}

int pdf_table_open(const char *path, const char *title, const char *subtitle,
                   const struct rcol *cols, int ncols, struct pdf_table **out, struct err *e)
{
    if (ncols > MAXCOL)
        return err_set(e, ERR_INVALID, "format",
                       "'pdf': this report has %d columns; a PDF page holds at most %d (use xlsx)",
                       ncols, MAXCOL);
    struct pdf_table *p = calloc(1, sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    p->surface = cairo_pdf_surface_create(path, PW, PH);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p->surface);
        free(p);
        return err_set(e, ERR_IO, "out", "%s: cannot create", path);
    }
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "cchc");
    p->cr = cairo_create(p->surface);
    p->cols = cols, p->ncols = ncols, p->page = 1;
    int total = 0;
    for (int c = 0; c < ncols; c++)
        total += cols[c].width > 0 ? cols[c].width : 12;
    p->x[0] = ML;
    for (int c = 0; c < ncols; c++)
        p->x[c + 1] = p->x[c] + (PW - ML - MR) * (cols[c].width > 0 ? cols[c].width : 12) / total;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y = MT;
    p->y += text_at(p->cr, ML, p->y, PW - ML - MR, title, 13, 1, 1) + 2;
    if (subtitle && *subtitle) p->y += text_at(p->cr, ML, p->y, PW - ML - MR, subtitle, 9.5, 0, 1);
    p->y += 8;
    header_row(p);
    *out = p;
    return 0;
}

int pdf_table_row(struct pdf_table *p, const struct rcell *cells, struct err *e)
{
    (void)e;
    char buf[MAXCOL][1024];
    const char *texts[MAXCOL];
    for (int c = 0; c < p->ncols; c++) {
        cell_vn(p->cols[c].type, &cells[c], buf[c], sizeof buf[c]);
        texts[c] = buf[c];
    }
    double h = row_height(p, texts, 0);
    if (p->y + h > PH - MB) new_page(p);
    draw_row(p, texts, 0, h);
    return 0;
}

int pdf_table_close(struct pdf_table *p, struct err *e)
{
    if (!p) return 0;
    foot(p);
    cairo_show_page(p->cr);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    cairo_status_t st = cairo_surface_status(p->surface);
    cairo_surface_destroy(p->surface);
    free(p);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(e, ERR_IO, "out", "writing the PDF: %s", cairo_status_to_string(st));
    return 0;
}
