/* slip_pdf.c — draws the result slip (slip_pdf.h) with cairo and pango, and the survey
 * invitation's address as a QR code with libqrencode, in the manner of forms_pdf.c. */
#include "slip_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W   595.276 /* A4 in points */
#define PAGE_H   841.890
#define MARGIN_L 85.0
#define MARGIN_R 57.0
#define TEXT_W   (PAGE_W - MARGIN_L - MARGIN_R)
#define FONT     "Noto Serif"

struct out {
    unsigned char *buf;
    size_t len, cap;
    int failed;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int n)
{
    struct out *o = closure;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 65536;
        while (cap < o->len + n)
            cap *= 2;
        unsigned char *b = realloc(o->buf, cap);
        if (!b) {
            o->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* Draws markup at (x, y) in a box of width w; returns its height in points. */
static double draw(cairo_t *cr, double x, double y, double w, const char *markup, double size,
                   int center)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    pango_layout_set_markup(l, markup, -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

/* The QR code as vector squares: each run of dark modules in a row is one rectangle. 0, or -1
 * when the address cannot be encoded. */
static int qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return -1;
    int quiet = 4, n = q->width + 2 * quiet;
    double m = size / n;
    for (int r = 0; r < q->width; r++) {
        const unsigned char *row = q->data + (size_t)r * q->width;
        for (int c = 0; c < q->width;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int c0 = c;
            while (c < q->width && (row[c] & 1))
                c++;
            cairo_rectangle(cr, x + (c0 + quiet) * m, y + (r + quiet) * m, (c - c0) * m, m);
        }
    }
    cairo_fill(cr);
    QRcode_free(q);
    return 0;
}

static double line(cairo_t *cr, double y, const char *label, const char *value)
{
    char *m = g_markup_printf_escaped("%s: <b>%s</b>", label, value && *value ? value : "……");
    double h = draw(cr, MARGIN_L, y, TEXT_W, m, 12.5, 0);
    g_free(m);
    return h + 6;
}

int slip_pdf_render(const struct result_slip *s, unsigned char **buf, size_t *len, struct err *e)
{
    struct out o = {0};
    *buf = NULL;
    *len = 0;
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_out, &o, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, "Phiếu trả kết quả");
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "cchc");
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgb(cr, 0, 0, 0);
    double y = 57, lw = TEXT_W * 0.42, rx = MARGIN_L + lw, rw = TEXT_W - lw;
    char *m = g_markup_printf_escaped("%s\n<b>%s</b>", s->parent_name ? s->parent_name : "",
                                      s->unit_name ? s->unit_name : "");
    double hl = draw(cr, MARGIN_L - 20, y, lw + 20, m, 11.5, 1);
    g_free(m);
    double hr = draw(cr, rx, y, rw, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", 11.5, 1);
    hr += draw(cr, rx, y + hr, rw, "<b>Độc lập - Tự do - Hạnh phúc</b>", 12.5, 1);
    y += (hl > hr ? hl : hr) + 30;
    y += draw(cr, MARGIN_L, y, TEXT_W, "<b>PHIẾU TRẢ KẾT QUẢ</b>", 15, 1);
    y += draw(cr, MARGIN_L, y, TEXT_W, "<i>giải quyết thủ tục hành chính</i>", 12.5, 1) + 18;
    y += line(cr, y, "Mã hồ sơ", s->code);
    y += line(cr, y, "Thủ tục", s->procedure);
    y += line(cr, y, "Người nộp hồ sơ", s->applicant);
    y += line(cr, y, "Cơ quan trả kết quả", s->unit_name);
    m = g_markup_printf_escaped("Kết quả giải quyết hồ sơ đã được trả cho Ông/Bà %s.",
                                s->returned && *s->returned ? s->returned
                                                            : "ngày …… tháng …… năm ……");
    y += draw(cr, MARGIN_L, y, TEXT_W, m, 12.5, 0) + 24;
    g_free(m);
    double w2 = TEXT_W / 2;
    draw(cr, MARGIN_L, y, w2, "<b>NGƯỜI NHẬN KẾT QUẢ</b>\n<i>(Ký và ghi rõ họ tên)</i>", 12, 1);
    y += draw(cr, MARGIN_L + w2, y, w2, "<b>NGƯỜI TRẢ KẾT QUẢ</b>\n<i>(Ký và ghi rõ họ tên)</i>",
              12, 1) +
         90;
    if (s->survey_url) {
        /* the invitation: a framed box with the QR code on the left */
        double bh = 150;
        cairo_set_line_width(cr, 0.8);
        cairo_rectangle(cr, MARGIN_L - 10, y, TEXT_W + 20, bh);
        cairo_stroke(cr);
        if (qr(cr, s->survey_url, MARGIN_L - 6, y + 6, 138)) {
            cairo_destroy(cr);
            cairo_surface_destroy(sf);
            free(o.buf);
            return err_set(e, ERR_INVALID, "survey", "the survey address cannot be encoded");
        }
        m = g_markup_printf_escaped(
            "<b>Mời Ông/Bà đánh giá sự hài lòng</b>\nÔng/Bà được chọn ngẫu nhiên để đánh giá việc "
            "giải quyết thủ tục hành chính. Quét mã QR hoặc mở đường dẫn dưới đây (khoảng 5 "
            "phút). Phiếu ẩn danh: câu trả lời không gắn với hồ sơ hay tên của Ông/Bà; đường "
            "dẫn chỉ dùng được một lần.\n<tt>%s</tt>",
            s->survey_url);
        draw(cr, MARGIN_L + 138, y + 10, TEXT_W - 138, m, 10.5, 0);
        g_free(m);
    }
    draw(cr, MARGIN_L, PAGE_H - 40, TEXT_W,
         "<i>Phiếu do hệ thống cchc lập khi trả kết quả; không phải biểu mẫu thuộc phụ lục Thông "
         "tư 03/2025/TT-VPCP.</i>",
         8.5, 0);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    cairo_status_t st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS || o.failed) {
        free(o.buf);
        return err_set(e, o.failed ? ERR_NOMEM : ERR_INTERNAL, "pdf",
                       "the PDF could not be drawn: %s",
                       o.failed ? "out of memory" : cairo_status_to_string(st));
    }
    *buf = o.buf;
    *len = o.len;
    return 0;
}
