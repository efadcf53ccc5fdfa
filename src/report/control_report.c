/* control_report.c — the processing control sheets (Phiếu kiểm soát quá trình giải quyết hồ
 * sơ) of a unit for a period, as one table: one row per step of every dossier received in the
 * period (who held it, when it came, its deadline, when it was done, on time or late), for
 * `cchc report control` and GET /api/reports/control, beside the per-dossier PDF (forms_pdf.c).
 * The title cites the form in force on the period's last day (data/forms/forms.tsv): Mẫu 06
 * of Circular 03/2025/TT-VPCP, Mẫu 05 of Circular 01/2018/TT-VPCP before 15/9/2025. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forms.h"
#include "stats_report.h"

static const struct rcol CONTROL_COLS[] = {
    {"no", "TT", RC_INT, 6},
    {"code", "Mã hồ sơ", RC_TEXT, 26},
    {"procedure", "Tên thủ tục hành chính", RC_TEXT, 40},
    {"step", "Bước", RC_INT, 6},
    {"officer", "Người xử lý", RC_TEXT, 20},
    {"started_at", "Nhận hồ sơ", RC_INSTANT, 16},
    {"due_at", "Hạn xử lý", RC_INSTANT, 16},
    {"finished_at", "Hoàn thành", RC_INSTANT, 16},
    {"outcome", "Kết quả", RC_TEXT, 14},
};
#define NCONTROL ((int)(sizeof CONTROL_COLS / sizeof CONTROL_COLS[0]))

struct control {
    struct store *s;
    struct rwriter *w;
    struct err *e;
    const struct dossier *d;
    char proc_code[PROC_CODE_MAX], proc_name[PROC_NAME_MAX];
    int steps;
};

static int control_step(const struct dossier_step_rec *r, void *ctx)
{
    struct control *c = ctx;
    const char *res = r->outcome == OUT_ON_TIME ? "Đúng hạn"
                      : r->outcome == OUT_LATE  ? "Quá hạn"
                                                : "Đang xử lý";
    struct rcell cells[NCONTROL] = {
        {.v = rwriter_rows(c->w) + 1},
        {.text = c->d->code},
        {.text = c->proc_name},
        {.v = r->seq},
        {.text = r->officer},
        {.v = r->started_at, .null = !r->started_at},
        {.v = r->due_at, .null = !r->due_at},
        {.v = r->finished_at, .null = !r->finished_at},
        {.text = res},
    };
    c->steps++;
    return rwriter_row(c->w, cells, c->e);
}

static int control_dossier(const struct dossier *d, void *ctx)
{
    struct control *c = ctx;
    if (strcmp(c->proc_code, d->procedure)) {
        struct procedure *p = malloc(sizeof *p);
        if (!p) return err_set(c->e, ERR_NOMEM, "", "out of memory");
        struct err pe = {0};
        snprintf(c->proc_code, sizeof c->proc_code, "%s", d->procedure);
        if (!store_procedure_get(c->s, d->procedure, p, &pe))
            snprintf(c->proc_name, sizeof c->proc_name, "%s", p->name);
        else
            snprintf(c->proc_name, sizeof c->proc_name, "%s", d->procedure);
        free(p);
    }
    c->d = d;
    c->steps = 0;
    struct dossier_records rec = {.step = control_step, .ctx = c};
    int rc = store_dossier_records(c->s, d->code, &rec, c->e);
    if (rc || c->steps) return rc;
    /* not yet passed to a step: one row that says so */
    struct rcell cells[NCONTROL] = {
        {.v = rwriter_rows(c->w) + 1},
        {.text = d->code},
        {.text = c->proc_name},
        {.null = 1},
        {.text = ""},
        {.v = d->st.received_at, .null = !d->st.received_at},
        {.v = d->st.due_at, .null = !d->st.due_at},
        {.null = 1},
        {.text = dossier_status_label_vi(d->st.status)},
    };
    return rwriter_row(c->w, cells, c->e);
}

int report_control(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    char title[FORM_TEXT_MAX * 2] = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", sub[200];
    struct forms *reg = NULL;
    if (o->data && !forms_load(o->data, &reg, NULL)) {
        const struct form_def *fd = forms_of_kind(reg, FORM_CONTROL, o->q.to_day);
        if (fd)
            snprintf(title, sizeof title,
                     "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (Mẫu số %s, %s)", fd->number,
                     fd->circular);
        forms_free(reg);
    }
    struct ymd a = days_to_ymd(o->q.from_day), b = days_to_ymd(o->q.to_day);
    snprintf(sub, sizeof sub, "Kỳ báo cáo: từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", a.d,
             a.m, a.y, b.d, b.m, b.y);
    struct control *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, "", "out of memory");
    c->s = s, c->e = e;
    int rc = rwriter_open(fmt, o->out, title, sub, CONTROL_COLS, NCONTROL, &c->w, e);
    if (rc) {
        free(c);
        return rc;
    }
    rc = store_stats_dossiers(s, &o->q, SC_RECEIVED, control_dossier, c, e);
    int rc2 = rwriter_close(c->w, e);
    free(c);
    return rc ? rc : rc2;
}
