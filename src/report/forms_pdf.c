/* forms_pdf.c — draws one form of one dossier as an A4 PDF with cairo and pango, and its
 * verification address as a QR code with libqrencode (forms_pdf.h). The layout follows the
 * presentation of administrative documents (Decree 30/2020/NĐ-CP, Annex I: national motto
 * top right, agency top left, number under the agency, place and date under the motto,
 * title centred, signature bottom right) (verify the exact sizes against the annex). */
#include "forms_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define PAGE_W   595.276 /* A4 in points */
#define PAGE_H   841.890
#define MARGIN_L 85.0 /* 30 mm */
#define MARGIN_R 57.0 /* 20 mm */
#define MARGIN_T 57.0
#define BOTTOM   (PAGE_H - 150.0) /* body text stops above the QR code and the basis line */
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

struct pdf {
    cairo_t *cr;
    double y;
    const struct form_doc *doc;
    const char *url;
};

enum align { LEFT, CENTER, RIGHT, JUSTIFY };

/* A layout of pango markup in a box of width w (the caller unrefs it). */
static PangoLayout *layout(cairo_t *cr, double w, const char *markup, double size, enum align al)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, al == CENTER  ? PANGO_ALIGN_CENTER
                                  : al == RIGHT ? PANGO_ALIGN_RIGHT
                                                : PANGO_ALIGN_LEFT);
    pango_layout_set_justify(l, al == JUSTIFY);
    pango_layout_set_markup(l, markup, -1);
    return l;
}

static double height(PangoLayout *l)
{
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    return (double)ph / PANGO_SCALE;
}

/* Draws pango markup at (x, y) in a box of width w; returns its height in points. */
static double draw(cairo_t *cr, double x, double y, double w, const char *markup, double size,
                   enum align al)
{
    PangoLayout *l = layout(cr, w, markup, size, al);
    double h = height(l);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
}

static void footer(struct pdf *p);

/* Starts a new page when h more points do not fit above the bottom. */
static void room(struct pdf *p, double h)
{
    if (p->y + h <= BOTTOM) return;
    footer(p);
    cairo_show_page(p->cr);
    p->y = MARGIN_T;
}

/* A body paragraph of markup made by g_markup_vprintf_escaped (every %s argument escaped). */
static void para(struct pdf *p, double size, enum align al, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = g_markup_vprintf_escaped(fmt, ap);
    va_end(ap);
    /* laid out once: a paragraph that does not fit moves whole to the next page */
    PangoLayout *l = layout(p->cr, TEXT_W, m, size, al);
    double h = height(l);
    room(p, h);
    cairo_move_to(p->cr, MARGIN_L, p->y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    p->y += h + 3;
    g_free(m);
}

static const char *upper(const char *s, char *buf, size_t n)
{
    gchar *u = g_utf8_strup(s, -1);
    snprintf(buf, n, "%s", u);
    g_free(u);
    return buf;
}

/* "10 giờ 05 phút, ngày 20/11/2026" */
static char *when_text(int64_t t, char *buf, size_t n)
{
    if (!t) return strcpy(buf, "—");
    struct ymd d = days_to_ymd(instant_day(t));
    int m = instant_minute_of_day(t);
    snprintf(buf, n, "%02d giờ %02d phút, ngày %02d/%02d/%04d", m / 60, m % 60, d.d, d.m, d.y);
    return buf;
}

static char *day_text(int64_t t, char *buf, size_t n)
{
    struct ymd d = days_to_ymd(instant_day(t));
    snprintf(buf, n, "%02d/%02d/%04d", d.d, d.m, d.y);
    return buf;
}

/* The header: agency left, motto right, number, place and date, the form's mark. */
static void header(struct pdf *p)
{
    const struct form_doc *d = p->doc;
    cairo_t *cr = p->cr;
    char up1[UNIT_NAME_MAX * 2], up2[UNIT_NAME_MAX * 2], when[64];
    double lw = 215, rx = MARGIN_L + lw + 10, rw = PAGE_W - MARGIN_R - rx + 20;
    char *m = g_markup_printf_escaped("<i>Mẫu số %s — %s</i>", d->def->number, d->def->circular);
    draw(cr, MARGIN_L, 28, TEXT_W, m, 9.5, RIGHT);
    g_free(m);
    double y = MARGIN_T;
    double hl = 0;
    if (d->parent_name[0]) {
        m = g_markup_printf_escaped("%s", upper(d->parent_name, up1, sizeof up1));
        hl += draw(cr, MARGIN_L - 20, y, lw, m, 11.5, CENTER);
        g_free(m);
    }
    m = g_markup_printf_escaped("<b>%s</b>", upper(d->unit_name, up2, sizeof up2));
    hl += draw(cr, MARGIN_L - 20, y + hl, lw, m, 11.5, CENTER);
    g_free(m);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, MARGIN_L - 20 + lw / 2 - 35, y + hl + 2);
    cairo_line_to(cr, MARGIN_L - 20 + lw / 2 + 35, y + hl + 2);
    cairo_stroke(cr);
    m = g_markup_printf_escaped("Số: %s/M%s", d->d.code, d->def->number);
    hl += 8 + draw(cr, MARGIN_L - 20, y + hl + 8, lw, m, 11, CENTER);
    g_free(m);

    double hr = draw(cr, rx, y, rw, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", 11.5, CENTER);
    hr += draw(cr, rx, y + hr, rw, "<b>Độc lập - Tự do - Hạnh phúc</b>", 12.5, CENTER);
    cairo_move_to(cr, rx + rw / 2 - 78, y + hr + 2);
    cairo_line_to(cr, rx + rw / 2 + 78, y + hr + 2);
    cairo_stroke(cr);
    struct ymd iss = days_to_ymd(instant_day(d->issued_at));
    snprintf(when, sizeof when, "ngày %02d tháng %02d năm %04d", iss.d, iss.m, iss.y);
    m = g_markup_printf_escaped("<i>%s, %s</i>", d->place[0] ? d->place : "……", when);
    hr += 8 + draw(cr, rx, y + hr + 8, rw, m, 12, CENTER);
    g_free(m);
    p->y = y + (hl > hr ? hl : hr) + 22;
    char title[FORM_TEXT_MAX * 2];
    para(p, 14, CENTER, "<b>%s</b>", upper(d->def->title, title, sizeof title));
    para(p, 12, CENTER, "<b>Mã hồ sơ: %s</b>", d->d.code);
    p->y += 8;
}

/* The QR code of the verification address, as vector squares (sharp at any resolution):
 * each run of dark modules in a row is one rectangle, all filled at once. */
static void qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return;
    int quiet = 4, n = q->width + 2 * quiet;
    double m = size / n;
    cairo_set_source_rgb(cr, 0, 0, 0);
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
}

/* The bottom of every page: the legal basis and, when signed, the QR code. */
static void footer(struct pdf *p)
{
    const struct form_doc *d = p->doc;
    cairo_t *cr = p->cr;
    double y = PAGE_H - 130;
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (p->url) {
        qr(cr, p->url, MARGIN_L - 10, y, 96);
        draw(cr, MARGIN_L + 92, y + 12, TEXT_W - 100,
             "<b>Quét mã QR để xác thực văn bản</b>\nVăn bản do hệ thống cchc cấp; chữ ký số "
             "Ed25519 của máy chủ bảo đảm mã hồ sơ, số mẫu, ngày văn bản và ngày hẹn không bị "
             "sửa đổi.",
             9, LEFT);
    }
    char *m =
        g_markup_printf_escaped("<i>Căn cứ: %s; %s (%s).</i>", d->basis ? d->basis->decree : "—",
                                d->def->circular, d->def->title);
    draw(cr, MARGIN_L, PAGE_H - 30, TEXT_W, m, 8.5, LEFT);
    g_free(m);
}

/* Two signature blocks side by side (left may be NULL). */
static void signatures(struct pdf *p, const char *left, const char *right)
{
    room(p, 110);
    p->y += 10;
    double w = TEXT_W / 2;
    if (left) {
        char *m = g_markup_printf_escaped("<b>%s</b>\n<i>(Ký và ghi rõ họ tên)</i>", left);
        draw(p->cr, MARGIN_L, p->y, w, m, 12, CENTER);
        g_free(m);
    }
    char *m = g_markup_printf_escaped("<b>%s</b>\n<i>(Ký và ghi rõ họ tên)</i>", right);
    draw(p->cr, MARGIN_L + w, p->y, w, m, 12, CENTER);
    g_free(m);
    p->y += 100;
}

static void applicant_lines(struct pdf *p)
{
    const struct applicant *a = &p->doc->d.applicant;
    char idno[APPLICANT_IDNO_MAX], phone[APPLICANT_PHONE_MAX];
    para(p, 13, LEFT, "Ông/Bà: <b>%s</b>", a->name);
    if (a->idno[0])
        para(p, 13, LEFT, "Số định danh cá nhân: %s", applicant_mask(a->idno, idno, sizeof idno));
    if (a->phone[0])
        para(p, 13, LEFT, "Số điện thoại: %s", applicant_mask(a->phone, phone, sizeof phone));
    if (a->address[0]) para(p, 13, LEFT, "Địa chỉ: %s", a->address);
}

static void body_receipt(struct pdf *p)
{
    const struct form_doc *d = p->doc;
    char t[64];
    para(p, 13, JUSTIFY, "%s tiếp nhận hồ sơ của:", d->unit_name);
    applicant_lines(p);
    para(p, 13, JUSTIFY, "Nội dung yêu cầu giải quyết: <b>%s</b> (mã thủ tục %s).", d->proc_name,
         d->d.procedure);
    if (d->decider_name[0])
        para(p, 13, JUSTIFY,
             "Cơ quan giải quyết: <b>%s</b> (tiếp nhận không phụ thuộc địa giới hành chính).",
             d->decider_name);
    para(p, 13, LEFT, "1. Thành phần hồ sơ nộp gồm:");
    for (int i = 0; i < d->ndocs; i++)
        para(p, 13, LEFT, "    %d. %s", i + 1, d->docs[i]);
    para(p, 13, LEFT, "2. Số lượng hồ sơ: 01 (bộ).");
    if (d->time_label)
        para(p, 13, LEFT, "3. Thời gian giải quyết hồ sơ theo quy định: %d %s.", d->time_amount,
             d->time_label);
    para(p, 13, LEFT, "4. Thời gian nhận hồ sơ: %s.", when_text(d->d.st.received_at, t, sizeof t));
    para(p, 13, LEFT, "5. Thời gian trả kết quả giải quyết hồ sơ: <b>%s</b>.",
         when_text(d->appointment, t, sizeof t));
    para(p, 13, LEFT, "6. Nhận kết quả tại: %s.", d->unit_name);
    para(p, 13, LEFT, "Vào Sổ theo dõi hồ sơ, Quyển số: ……, Số thứ tự: ……");
    signatures(p, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ");
}

static void body_notice(struct pdf *p, const char *intro, const char *reason_label,
                        const char *sign)
{
    const struct form_doc *d = p->doc;
    char t[64];
    para(p, 13, LEFT, "Kính gửi: Ông/Bà <b>%s</b>", d->d.applicant.name);
    para(p, 13, JUSTIFY,
         "Ngày %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục <b>%s</b> (mã "
         "thủ tục %s).",
         d->d.st.received_at ? day_text(d->d.st.received_at, t, sizeof t) : "……", d->unit_name,
         d->proc_name, d->d.procedure);
    para(p, 13, JUSTIFY, "%s", intro);
    para(p, 13, JUSTIFY, "%s <b>%s</b>", reason_label, d->reason[0] ? d->reason : "……");
    signatures(p, NULL, sign);
}

static void body_apology(struct pdf *p)
{
    const struct form_doc *d = p->doc;
    char t1[64], t2[64];
    para(p, 13, LEFT, "Kính gửi: Ông/Bà <b>%s</b>", d->d.applicant.name);
    para(p, 13, JUSTIFY,
         "%s tiếp nhận hồ sơ đề nghị giải quyết thủ tục <b>%s</b> (mã thủ tục %s) lúc %s, hẹn "
         "trả kết quả lúc %s.",
         d->unit_name, d->proc_name, d->d.procedure, when_text(d->d.st.received_at, t1, sizeof t1),
         when_text(d->old_appointment, t2, sizeof t2));
    para(p, 13, JUSTIFY, "Hồ sơ chưa được giải quyết đúng hạn. Lý do: <b>%s</b>",
         d->reason[0] ? d->reason : "……");
    para(p, 13, JUSTIFY,
         "Cơ quan xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả lúc <b>%s</b>.",
         when_text(d->appointment, t1, sizeof t1));
    para(p, 13, JUSTIFY, "Mong nhận được sự thông cảm của Ông/Bà.");
    if (d->rule) para(p, 10, LEFT, "<i>%s (%s).</i>", d->rule->text, d->rule->cite);
    signatures(p, NULL, "THỦ TRƯỞNG CƠ QUAN");
}

static void body_control(struct pdf *p)
{
    const struct form_doc *d = p->doc;
    char t1[64], t2[64], t3[64];
    para(p, 13, JUSTIFY, "Thủ tục: <b>%s</b> (mã thủ tục %s). Người nộp: %s.", d->proc_name,
         d->d.procedure, d->d.applicant.name);
    para(p, 13, LEFT, "Tiếp nhận: %s; hẹn trả: %s.", when_text(d->d.st.received_at, t1, sizeof t1),
         when_text(d->d.st.due_at, t2, sizeof t2));
    para(p, 13, LEFT, "<b>Quá trình giải quyết hồ sơ:</b>");
    if (!d->nsteps) para(p, 13, LEFT, "(chưa chuyển bước xử lý nào)");
    for (int i = 0; i < d->nsteps; i++) {
        const struct dossier_step_rec *s = &d->steps[i];
        const char *res = s->outcome == OUT_ON_TIME ? "đúng hạn"
                          : s->outcome == OUT_LATE  ? "quá hạn"
                                                    : "đang xử lý";
        para(p, 12, LEFT, "Bước %d — người xử lý: %s; nhận: %s; hạn: %s; hoàn thành: %s (%s).",
             s->seq, s->officer[0] ? s->officer : "—", when_text(s->started_at, t1, sizeof t1),
             when_text(s->due_at, t2, sizeof t2), when_text(s->finished_at, t3, sizeof t3), res);
    }
    para(p, 13, LEFT, "Trạng thái hiện tại: %s.", dossier_status_label_vi(d->d.st.status));
    signatures(p, "NGƯỜI GIAO", "NGƯỜI NHẬN");
}

static void body(struct pdf *p)
{
    switch (p->doc->def->kind) {
    case FORM_RECEIPT:
        body_receipt(p);
        break;
    case FORM_SUPPLEMENT:
        body_notice(p,
                    "Sau khi xem xét, hồ sơ chưa đủ điều kiện để giải quyết. Đề nghị Ông/Bà bổ "
                    "sung, hoàn thiện hồ sơ gồm những nội dung sau:",
                    "Nội dung cần bổ sung, hoàn thiện:", "NGƯỜI TIẾP NHẬN HỒ SƠ");
        break;
    case FORM_REFUSAL:
        body_notice(p,
                    "Sau khi xem xét, cơ quan từ chối tiếp nhận, giải quyết hồ sơ của Ông/Bà "
                    "với lý do sau đây:",
                    "Lý do:", "NGƯỜI TIẾP NHẬN HỒ SƠ");
        break;
    case FORM_APOLOGY:
        body_apology(p);
        break;
    case FORM_STOP:
        body_notice(p, "Cơ quan thông báo dừng giải quyết hồ sơ của Ông/Bà.",
                    "Lý do dừng:", "THỦ TRƯỞNG CƠ QUAN");
        break;
    default:
        body_control(p);
        break;
    }
}

int form_pdf_render(const struct form_doc *doc, const char *url, unsigned char **buf, size_t *len,
                    struct err *e)
{
    struct out o = {0};
    *buf = NULL;
    *len = 0;
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_out, &o, PAGE_W, PAGE_H);
    char title[FORM_TEXT_MAX + DOSSIER_CODE_LEN + 8];
    snprintf(title, sizeof title, "%s — %s", doc->def->title, doc->d.code);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "cchc");
    cairo_t *cr = cairo_create(sf);
    struct pdf p = {.cr = cr, .doc = doc, .url = url};
    cairo_set_source_rgb(cr, 0, 0, 0);
    header(&p);
    body(&p);
    footer(&p);
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

/* LeakSanitizer (the CCHC_SANITIZE build): fontconfig keeps its configuration and caches for
 * the life of the process in memory LSan cannot trace and reports them as leaks at exit. They
 * cannot be released safely (FcFini and cairo_debug_reset_static_data assert while pango or
 * cairo still cache a font, which happens at random), so they are suppressed here, for
 * fontconfig only. The sanitizer runtime calls this hook; other builds never do. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
