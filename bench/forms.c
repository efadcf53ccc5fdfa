/* bench/forms.c — printed forms per second: the receipt (Mẫu 01) as an A4 PDF with cairo +
 * pango, in the same run as two baselines: a plain cairo PDF page with the same amount of
 * text drawn by cairo's toy text API (no shaping, no layout), and the form without its QR
 * code and signature — so the ratios show what pango's layout and the QR + Ed25519 signature
 * cost. No database: the form's data is filled in here, as form_doc_build would from the store.
 *
 * usage: bench_forms [--seconds S]   (default 3 per case; CCHC_DATA for data/forms) */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "docsign.h"
#include "forms.h"
#include "forms_doc.h"
#include "forms_pdf.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static cairo_status_t sink(void *c, const unsigned char *d, unsigned int n)
{
    (void)d;
    *(size_t *)c += n;
    return CAIRO_STATUS_SUCCESS;
}

/* The baseline: one A4 page, the same 24 lines of text, cairo's toy font API. */
static size_t plain_page(void)
{
    size_t n = 0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(sink, &n, 595.276, 841.89);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "Noto Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    for (int i = 0; i < 24; i++) {
        cairo_move_to(cr, 85, 80 + i * 26);
        cairo_show_text(cr, "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 26/11");
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return n;
}

struct bench_case {
    const char *name;
    int kind; /* 0 plain, 1 form without QR, 2 form with QR and signature */
};

int main(int argc, char **argv)
{
    double secs = 3;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) secs = atof(argv[++i]);
    const char *data = getenv("CCHC_DATA");
    if (!data || !*data) data = CCHC_DATA_DIR;
    struct err e = {0};
    struct forms *reg = NULL;
    if (forms_load(data, &reg, &e)) {
        fprintf(stderr, "bench_forms: %s\n", e.msg);
        return 1;
    }
    char dir[] = "/tmp/bench-forms-keys-XXXXXX";
    struct docsign *ds = NULL;
    if (!mkdtemp(dir) || docsign_ensure_key(dir, 0, NULL, NULL, &e) || docsign_open(dir, &ds, &e)) {
        fprintf(stderr, "bench_forms: keys: %s\n", e.msg);
        return 1;
    }
    struct form_doc *doc = calloc(1, sizeof *doc);
    int64_t day = ymd_to_days((struct ymd){2026, 11, 20});
    doc->def = forms_of_kind(reg, FORM_RECEIPT, day);
    doc->basis = forms_basis(reg, day);
    doc->issued_at = day * MINUTES_PER_DAY + 600;
    doc->appointment = (day + 6) * MINUTES_PER_DAY + 1020;
    doc->d.st.received_at = doc->issued_at;
    doc->d.st.due_at = doc->appointment;
    snprintf(doc->d.code, sizeof doc->d.code, "000.00.31.H99-261120-0001");
    snprintf(doc->d.procedure, sizeof doc->d.procedure, "1.001612");
    snprintf(doc->d.applicant.name, sizeof doc->d.applicant.name, "Nguyễn Thị Hồng Nhung");
    snprintf(doc->d.applicant.idno, sizeof doc->d.applicant.idno, "012345678901");
    snprintf(doc->d.applicant.address, sizeof doc->d.applicant.address, "Số 5, đường Lê Lợi");
    snprintf(doc->unit_name, sizeof doc->unit_name, "Bộ phận Một cửa phường An Bình");
    snprintf(doc->parent_name, sizeof doc->parent_name, "Phường An Bình");
    snprintf(doc->place, sizeof doc->place, "Đồng Tháp");
    snprintf(doc->proc_name, sizeof doc->proc_name, "Cấp bản sao trích lục hộ tịch");
    doc->time_amount = 3;
    doc->time_label = "ngày làm việc";
    doc->ndocs = 3;
    snprintf(doc->docs[0], PROC_TEXT_MAX, "Tờ khai cấp bản sao trích lục hộ tịch");
    snprintf(doc->docs[1], PROC_TEXT_MAX, "Giấy tờ tùy thân");
    snprintf(doc->docs[2], PROC_TEXT_MAX, "Văn bản ủy quyền (nếu có)");
    if (!doc->def) {
        fprintf(stderr, "bench_forms: no receipt form in data/forms\n");
        return 1;
    }
    static const struct bench_case cases[] = {
        {"plain cairo page (toy text API, baseline)", 0},
        {"Mẫu 01, pango layout, no QR", 1},
        {"Mẫu 01, pango layout, Ed25519 token + QR", 2},
    };
    double rate[3] = {0};
    size_t bytes[3] = {0};
    printf("bench_forms: %.0f s per case, one thread\n", secs);
    for (int c = 0; c < 3; c++) {
        long n = 0;
        double t0 = now(), t;
        do {
            if (cases[c].kind == 0) {
                bytes[c] = plain_page();
            } else {
                char url[1024];
                unsigned char *pdf = NULL;
                size_t len = 0;
                if ((cases[c].kind == 2 &&
                     form_doc_verify_url(doc, ds, "https://dvc.example.vn", url, sizeof url, &e)) ||
                    form_pdf_render(doc, cases[c].kind == 2 ? url : NULL, &pdf, &len, &e)) {
                    fprintf(stderr, "bench_forms: %s\n", e.msg);
                    return 1;
                }
                bytes[c] = len;
                free(pdf);
            }
            n++;
            t = now() - t0;
        } while (t < secs);
        rate[c] = n / t;
        printf("  %-44s %8.1f documents/s  (%zu bytes each)\n", cases[c].name, rate[c], bytes[c]);
    }
    printf("ratios: form without QR / plain page %.2f; form with QR / form without QR %.2f\n",
           rate[1] / rate[0], rate[2] / rate[1]);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) fprintf(stderr, "bench_forms: could not remove %s\n", dir);
    free(doc);
    docsign_close(ds);
    forms_free(reg);
    return 0;
}
