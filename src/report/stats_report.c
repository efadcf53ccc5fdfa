/* stats_report.c — the reports on dossier statistics, shared by `cchc report` and the HTTP
 * API (GET /api/reports/...): the periodic report on dossier processing (one row per unit with
 * carried over, received by channel, solved early / on time / late, refused, withdrawn, in
 * progress in time / overdue and rates naming their denominator), the tracking book (Sổ theo
 * dõi hồ sơ, Mẫu 06 of Circular 01/2018/TT-VPCP) and the Decision 766 service index with its
 * ranking among peers, as JSON, CSV or Excel. Definitions: docs/statistics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "dossier.h"
#include "efile_index.h"
#include "forms.h"
#include "stats_report.h"

/* Progress of a long export: the callback every PROGRESS_EVERY rows and once at the end. */
#define PROGRESS_EVERY 5000

struct progress {
    report_progress_fn fn;
    void *ctx;
    int64_t next;
};

static void progress_tick(struct progress *p, int64_t rows)
{
    if (!p->fn || rows < p->next) return;
    p->fn(rows, 0, p->ctx);
    p->next = rows + PROGRESS_EVERY;
}

static void progress_done(struct progress *p, int64_t rows)
{
    if (p->fn && rows >= PROGRESS_EVERY) p->fn(rows, 1, p->ctx);
}

static void period_text(const struct stats_opts *o, char *buf, size_t n)
{
    struct ymd a = days_to_ymd(o->q.from_day), b = days_to_ymd(o->q.to_day);
    snprintf(buf, n, "Kỳ báo cáo: từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", a.d, a.m, a.y,
             b.d, b.m, b.y);
}

static void unit_name(struct store *s, const char *code, char *buf, size_t n)
{
    struct unit u;
    if (store_unit_get(s, code, &u, NULL) == 0)
        snprintf(buf, n, "%s", u.name);
    else
        snprintf(buf, n, "%s", code);
}

/* ---- summary ---- */

static const struct rcol SUMMARY_COLS[] = {
    {"unit", "Mã đơn vị", RC_TEXT, 14},
    {"name", "Tên đơn vị", RC_TEXT, 30},
    {"carried_over", "Kỳ trước chuyển sang", RC_INT, 11},
    {"received", "Tiếp nhận mới trong kỳ", RC_INT, 11},
    {"received_online", "Trong đó: trực tuyến", RC_INT, 11},
    {"received_direct", "Trực tiếp", RC_INT, 10},
    {"received_postal", "Bưu chính", RC_INT, 10},
    {"received_total", "Tổng số hồ sơ tiếp nhận", RC_INT, 11},
    {"solved", "Đã giải quyết: tổng số", RC_INT, 11},
    {"solved_early", "Trước hạn", RC_INT, 10},
    {"solved_on_time", "Đúng hạn", RC_INT, 10},
    {"solved_late", "Quá hạn", RC_INT, 10},
    {"refused", "Từ chối", RC_INT, 9},
    {"withdrawn", "Rút hồ sơ", RC_INT, 9},
    {"cancelled", "Dừng xử lý", RC_INT, 9},
    {"in_progress", "Đang giải quyết: tổng số", RC_INT, 11},
    {"in_progress_in_time", "Trong hạn", RC_INT, 10},
    {"in_progress_overdue", "Quá hạn", RC_INT, 10},
    {"ontime_num", "Đúng hạn và trước hạn (tử số)", RC_INT, 12},
    {"ontime_den", NULL, RC_INT, 12}, /* header names the denominator, set at run time */
    {"ontime_rate", "Tỷ lệ đúng hạn và trước hạn", RC_PERMILLE, 11},
    {"ontime_766_rate", "Tỷ lệ đúng hạn, trong hạn (QĐ 766: trên hồ sơ đã và đang xử lý)",
     RC_PERMILLE, 14},
    {"online_rate", "Tỷ lệ tiếp nhận trực tuyến (trên hồ sơ tiếp nhận trong kỳ)", RC_PERMILLE, 13},
    {"paid_online_rate", "Tỷ lệ thanh toán trực tuyến (trên hồ sơ có phí, lệ phí)", RC_PERMILLE,
     13},
};
#define NSUM ((int)(sizeof SUMMARY_COLS / sizeof SUMMARY_COLS[0]))

struct summary {
    struct store *s;
    struct rwriter *w;
    enum stats_denom denom;
    struct stats_counts before, flow; /* totals */
    int rc;
    struct err *e;
};

static struct rcell rate_cell(const struct stats_figures *f, enum stats_metric m,
                              enum stats_denom d)
{
    struct stats_rate r;
    if (stats_rate(f, m, d, &r, NULL) || r.den <= 0) return (struct rcell){.null = 1};
    return (struct rcell){.v = stats_rate_permille(&r)};
}

static int summary_row(struct summary *x, const char *unit, const char *name,
                       const struct stats_figures *f)
{
    const int64_t *c = f->flow.c;
    struct stats_rate r;
    stats_rate(f, SM_ONTIME, x->denom, &r, NULL);
    struct rcell cells[NSUM] = {
        {.text = unit},
        {.text = name},
        {.v = f->carried_over},
        {.v = c[SC_RECEIVED]},
        {.v = c[SC_RECV_ONLINE]},
        {.v = c[SC_RECV_DIRECT]},
        {.v = c[SC_RECV_POSTAL]},
        {.v = f->received_total},
        {.v = f->solved},
        {.v = c[SC_SOLVED_EARLY]},
        {.v = c[SC_SOLVED_ON_TIME]},
        {.v = c[SC_SOLVED_LATE]},
        {.v = c[SC_REFUSED]},
        {.v = c[SC_WITHDRAWN]},
        {.v = c[SC_CANCELLED]},
        {.v = f->in_progress},
        {.v = f->in_progress_in_time},
        {.v = f->in_progress_overdue},
        {.v = r.num},
        {.v = r.den},
        {.v = stats_rate_permille(&r), .null = r.den <= 0},
        rate_cell(f, SM_ONTIME, DEN_HANDLED),
        rate_cell(f, SM_ONLINE, DEN_RECEIVED),
        rate_cell(f, SM_PAID_ONLINE, DEN_FEE),
    };
    return rwriter_row(x->w, cells, x->e);
}

static int summary_unit(const char *unit, const struct stats_figures *f, void *ctx)
{
    struct summary *x = ctx;
    char name[UNIT_NAME_MAX];
    unit_name(x->s, unit, name, sizeof name);
    stats_counts_add(&x->before, &f->flow); /* flows add up; stocks come from the subtree */
    return (x->rc = summary_row(x, unit, name, f)) ? 1 : 0;
}

/* The children of a unit (every child, whatever its dates), read before their figures. */
struct child_ctx {
    struct unit *v;
    int n, cap;
};

static int child_row(const struct unit *u, void *ctx)
{
    struct child_ctx *c = ctx;
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 32;
        struct unit *v = realloc(c->v, sizeof *v * (size_t)cap);
        if (!v) return ERR_NOMEM;
        c->v = v, c->cap = cap;
    }
    c->v[c->n++] = *u;
    return 0;
}

/* The figures of each child of q->unit (its subtree) and, last, of q->unit itself, in one pass
 * over its counters: *figs holds c->n + 1 entries. */
static int children_figures(struct store *s, const struct stats_query *q, struct child_ctx *c,
                            struct stats_figures **figs, struct err *e)
{
    struct unit p;
    *figs = NULL;
    int rc = store_unit_get(s, q->unit, &p, e);
    if (!rc) rc = store_unit_children(s, q->unit, UNIT_DAY_MIN, child_row, c, e);
    if (rc == ERR_NOMEM) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (rc) return rc;
    const char **codes = calloc((size_t)c->n + 1, sizeof *codes);
    *figs = calloc((size_t)c->n + 1, sizeof **figs);
    if (!codes || !*figs) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (int i = 0; !rc && i < c->n; i++)
        codes[i] = c->v[i].code;
    if (!rc) {
        codes[c->n] = q->unit;
        rc = store_stats_figures_units(s, q, c->n + 1, codes, *figs, e);
    }
    free(codes);
    return rc;
}

int report_summary(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    struct rcol cols[NSUM];
    char den_header[160], sub[200];
    memcpy(cols, SUMMARY_COLS, sizeof cols);
    snprintf(den_header, sizeof den_header, "Mẫu số: %s", stats_denom_label_vi(o->denom));
    cols[19].header = den_header;
    period_text(o, sub, sizeof sub);
    struct summary x = {.s = s, .denom = o->denom, .e = e};
    struct unit u; /* an unknown unit is refused before the document starts */
    int rc = o->q.unit ? store_unit_get(s, o->q.unit, &u, e) : 0;
    if (rc) return rc;
    rc = rwriter_open(fmt, o->out, "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", sub,
                      cols, NSUM, &x.w, e);
    if (rc) return rc;
    if (o->q.unit) {
        struct child_ctx c = {0};
        struct stats_figures *f;
        rc = children_figures(s, &o->q, &c, &f, e);
        for (int i = 0; !rc && i < c.n; i++)
            rc = summary_row(&x, c.v[i].code, c.v[i].name, &f[i]);
        if (!rc) rc = summary_row(&x, o->q.unit, "Tổng cộng", &f[c.n]);
        free(f);
        free(c.v);
    } else {
        rc = store_stats_by_unit(s, o->q.from_day, o->q.to_day, summary_unit, &x, e);
        struct stats_figures total;
        struct stats_query q = o->q;
        if (!rc && !x.rc) rc = store_stats_figures(s, &q, &total, e);
        if (!rc && !x.rc) rc = summary_row(&x, "", "Tổng cộng", &total);
    }
    if (x.rc) rc = x.rc;
    int rc2 = rwriter_close(x.w, e);
    return rc ? rc : rc2;
}

/* ---- book (Sổ theo dõi hồ sơ: Mẫu 06 / Mẫu 07, by date) ---- */

static const struct rcol BOOK_COLS[] = {
    {"no", "TT", RC_INT, 6},
    {"code", "Mã hồ sơ", RC_TEXT, 40}, /* the PDF keeps a code on one line */
    {"procedure", "Tên thủ tục hành chính", RC_TEXT, 40},
    {"sets", "Số lượng hồ sơ (bộ)", RC_INT, 8},
    {"applicant", "Tên cá nhân, tổ chức", RC_TEXT, 24},
    {"address_phone", "Địa chỉ, số điện thoại", RC_TEXT, 30},
    {"agency", "Cơ quan chủ trì giải quyết", RC_TEXT, 24},
    {"received_at", "Nhận hồ sơ", RC_INSTANT, 16},
    {"due_at", "Hẹn trả kết quả", RC_INSTANT, 16},
    {"transferred_at", "Chuyển hồ sơ đến cơ quan giải quyết", RC_INSTANT, 16},
    {"result_at", "Nhận kết quả từ cơ quan giải quyết", RC_INSTANT, 16},
    {"returned_at", "Trả kết quả", RC_INSTANT, 16},
    {"note", "Ghi chú", RC_TEXT, 18},
};
#define NBOOK ((int)(sizeof BOOK_COLS / sizeof BOOK_COLS[0]))

struct book {
    struct store *s;
    struct rwriter *w;
    struct progress p;
    int nprocs; /* procedure names seen so far (a catalogue has a few hundred) */
    struct {
        char code[PROC_CODE_MAX], name[PROC_NAME_MAX];
    } procs[256];
    const char *proc_name;
    char unit_code[UNIT_CODE_MAX], unit_name[UNIT_NAME_MAX];
    int64_t first_step;
    struct err *e;
};

static int first_step(const struct dossier_step_rec *r, void *ctx)
{
    struct book *b = ctx;
    if (r->seq == 1) b->first_step = r->started_at;
    return 0;
}

static const char *book_note(const struct dossier *d)
{
    switch (dossier_outcome_at(&d->st, d->st.last_at)) {
    case OUT_EARLY:
        return "Trước hạn";
    case OUT_ON_TIME:
        return "Đúng hạn";
    case OUT_LATE:
        return d->st.apologies ? "Quá hạn (có phiếu xin lỗi)" : "Quá hạn";
    default:
        return dossier_status_label_vi(d->st.status);
    }
}

/* Sets b->proc_name to the procedure's name, from the names seen so far or the store. */
static int book_proc_name(struct book *b, const char *code)
{
    for (int i = 0; i < b->nprocs; i++)
        if (!strcmp(b->procs[i].code, code)) {
            b->proc_name = b->procs[i].name;
            return 0;
        }
    struct procedure *p = malloc(sizeof *p);
    if (!p) return err_set(b->e, ERR_NOMEM, "", "out of memory");
    int i = b->nprocs < 256 ? b->nprocs++ : 255; /* past 256, the last slot is reused */
    snprintf(b->procs[i].code, sizeof b->procs[i].code, "%s", code);
    if (store_procedure_get(b->s, code, p, NULL) == 0)
        snprintf(b->procs[i].name, sizeof b->procs[i].name, "%s", p->name);
    else
        snprintf(b->procs[i].name, sizeof b->procs[i].name, "%s", code);
    free(p);
    b->proc_name = b->procs[i].name;
    return 0;
}

static int book_row(const struct dossier *d, void *ctx)
{
    struct book *b = ctx;
    int rc;
    if ((rc = book_proc_name(b, d->procedure))) return rc;
    if (strcmp(b->unit_code, d->unit)) {
        unit_name(b->s, d->unit, b->unit_name, sizeof b->unit_name);
        snprintf(b->unit_code, sizeof b->unit_code, "%s", d->unit);
    }
    struct dossier_records rec = {.step = first_step, .ctx = b};
    b->first_step = 0;
    rc = store_dossier_records(b->s, d->code, &rec, b->e);
    if (rc) return rc;
    char phone[32] = "", contact[APPLICANT_ADDRESS_MAX + 40];
    if (d->applicant.phone[0]) applicant_mask(d->applicant.phone, phone, sizeof phone);
    snprintf(contact, sizeof contact, "%s%s%s", d->applicant.address,
             d->applicant.address[0] && phone[0] ? "; " : "", phone);
    const struct dossier_state *t = &d->st;
    struct rcell cells[NBOOK] = {
        {.v = rwriter_rows(b->w) + 1},
        {.text = d->code},
        {.text = b->proc_name},
        {.v = 1},
        {.text = d->applicant.name},
        {.text = contact},
        {.text = b->unit_name},
        {.v = t->received_at, .null = !t->received_at},
        {.v = t->due_at, .null = !t->due_at},
        {.v = b->first_step, .null = !b->first_step},
        {.v = t->result_at, .null = !t->result_at},
        {.v = t->returned_at, .null = !t->returned_at},
        {.text = book_note(d)},
    };
    if ((rc = rwriter_row(b->w, cells, b->e))) return rc;
    progress_tick(&b->p, rwriter_rows(b->w));
    return 0;
}

int report_book(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    char sub[200];
    period_text(o, sub, sizeof sub);
    struct book *b = calloc(1, sizeof *b); /* ~100 kB of procedure names: not on the stack */
    if (!b) return err_set(e, ERR_NOMEM, "", "out of memory");
    b->s = s, b->e = e, b->p = (struct progress){o->progress, o->progress_ctx, PROGRESS_EVERY};
    /* The book's form by effective date (data/forms/forms.tsv): the circular in force on the
     * period's last day — Mẫu 07 of Circular 03/2025/TT-VPCP from 15/9/2025, Mẫu 06 of
     * Circular 01/2018/TT-VPCP before (docs/forms.md). */
    char title[FORM_TEXT_MAX * 2] = "SỔ THEO DÕI HỒ SƠ";
    struct forms *reg = NULL;
    if (o->data && !forms_load(o->data, &reg, NULL)) {
        const struct form_def *fd = forms_of_kind(reg, FORM_BOOK, o->q.to_day);
        if (fd)
            snprintf(title, sizeof title, "SỔ THEO DÕI HỒ SƠ (Mẫu số %s, %s)", fd->number,
                     fd->circular);
        forms_free(reg);
    }
    int rc = rwriter_open(fmt, o->out, title, sub, BOOK_COLS, NBOOK, &b->w, e);
    if (rc) {
        free(b);
        return rc;
    }
    rc = store_stats_dossiers(s, &o->q, SC_RECEIVED, book_row, b, e);
    int64_t rows = rwriter_rows(b->w);
    int rc2 = rwriter_close(b->w, e);
    progress_done(&b->p, rows);
    free(b);
    return rc ? rc : rc2;
}

/* ---- index ---- */

int report_index(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    struct stats_index *ix = NULL;
    int rc = stats_index_compute(s, o, &ix, e);
    if (rc) return rc;
    int ncols = 5 + ix->set.ngroups + ix->set.n;
    struct rcol *cols = calloc((size_t)ncols, sizeof *cols);
    struct rcell *cells = calloc((size_t)ncols, sizeof *cells);
    char(*hdr)[IND_NAME_MAX + 48] = calloc((size_t)ncols, sizeof *hdr);
    char(*keys)[24] = calloc((size_t)ncols, sizeof *keys);
    if (!cols || !cells || !hdr || !keys) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    cols[0] = (struct rcol){"rank", "Xếp hạng", RC_INT, 8};
    cols[1] = (struct rcol){"unit", "Mã đơn vị", RC_TEXT, 14};
    cols[2] = (struct rcol){"name", "Tên đơn vị", RC_TEXT, 30};
    cols[3] = (struct rcol){"points", "Tổng điểm (/100)", RC_POINTS, 10};
    cols[4] = (struct rcol){"judged", "Điểm tối đa đã đánh giá", RC_POINTS, 10};
    for (int g = 0; g < ix->set.ngroups; g++) {
        snprintf(keys[5 + g], 24, "group_%d", ix->set.groups[g].number);
        snprintf(hdr[5 + g], sizeof hdr[0], "%d. %s (%d điểm)", ix->set.groups[g].number,
                 ix->set.groups[g].name, ix->set.groups[g].max);
        cols[5 + g] = (struct rcol){keys[5 + g], hdr[5 + g], RC_POINTS, 12};
    }
    for (int i = 0; i < ix->set.n; i++) {
        int c = 5 + ix->set.ngroups + i;
        snprintf(keys[c], 24, "ind_%s", ix->set.ind[i].id);
        snprintf(hdr[c], sizeof hdr[0], "%s %s (%d điểm)%s", ix->set.ind[i].id, ix->set.ind[i].name,
                 ix->set.ind[i].max, ix->set.ind[i].verify ? " (verify)" : "");
        cols[c] = (struct rcol){keys[c], hdr[c], RC_POINTS, 12};
    }
    char sub[200], title[120];
    period_text(o, sub, sizeof sub);
    snprintf(title, sizeof title, "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (bộ chỉ số %s)",
             ix->set.version);
    struct rwriter *w;
    /* A PDF page holds at most 24 columns (table_pdf.c): it shows the total and the group
     * points; the points of each indicator stay in the JSON, CSV and xlsx. */
    int wcols = fmt == RF_PDF ? 5 + ix->set.ngroups : ncols;
    if ((rc = rwriter_open(fmt, o->out, title, sub, cols, wcols, &w, e))) goto out;
    for (int k = 0; !rc && k < ix->n; k++) {
        const struct stats_index_row *r = &ix->rows[ix->order[k]];
        char name[UNIT_NAME_MAX];
        unit_name(s, r->unit, name, sizeof name);
        cells[0] = (struct rcell){.v = r->rank, .null = r->rank == 0};
        cells[1] = (struct rcell){.text = r->unit};
        cells[2] = (struct rcell){.text = name};
        cells[3] = (struct rcell){.v = r->score.total};
        cells[4] = (struct rcell){.v = r->score.judged};
        for (int g = 0; g < ix->set.ngroups; g++)
            cells[5 + g] = (struct rcell){.v = r->score.group_points[g]};
        for (int i = 0; i < ix->set.n; i++)
            cells[5 + ix->set.ngroups + i] =
                (struct rcell){.v = r->score.points[i], .null = r->score.points[i] < 0};
        rc = rwriter_row(w, cells, e);
    }
    int rc2 = rwriter_close(w, e);
    if (!rc) rc = rc2;
out:
    free(cols);
    free(cells);
    free(hdr);
    free(keys);
    stats_index_free(ix);
    return rc;
}

/* ---- the service index ---- */

static int add_row(struct stats_index *ix, const char *unit, const struct stats_figures *f)
{
    struct stats_index_row *v = realloc(ix->rows, sizeof *v * (size_t)(ix->n + 1));
    if (!v) return -1;
    ix->rows = v;
    memset(&v[ix->n], 0, sizeof v[ix->n]);
    snprintf(v[ix->n].unit, sizeof v[ix->n].unit, "%s", unit);
    v[ix->n].f = *f;
    ix->n++;
    return 0;
}

static int by_unit_row(const char *unit, const struct stats_figures *f, void *ctx)
{
    return add_row(ctx, unit, f) ? ERR_NOMEM : 0;
}

/* The ranked rows of a parent's index: each child's figures (its subtree), in one pass over
 * the parent's counters. */
static int children_rows(struct store *s, const struct stats_opts *o, struct stats_index *ix,
                         struct err *e)
{
    struct child_ctx c = {0};
    struct stats_figures *f;
    struct stats_query q = o->q;
    q.unit = o->parent;
    int rc = children_figures(s, &q, &c, &f, e);
    for (int i = 0; !rc && i < c.n; i++)
        if (add_row(ix, c.v[i].code, &f[i])) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    free(f);
    free(c.v);
    return rc;
}

/* External rates: UNIT<TAB>INDICATOR<TAB>NUM<TAB>DEN per line ('#' comments). */
static int read_external(const char *path, struct stats_index *ix, struct ind_input *in,
                         struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "external", "%s: cannot open", path);
    char buf[512], unit[64], id[16];
    long long num, den;
    int line = 0, rc = 0;
    while (!rc && fgets(buf, sizeof buf, f)) {
        line++;
        if (buf[0] == '#' || buf[0] == '\n') continue;
        char extra;
        if (sscanf(buf, "%63[^\t]\t%15[^\t]\t%lld\t%lld %c", unit, id, &num, &den, &extra) != 4 ||
            num < 0 || den <= 0 || num > den) {
            rc = err_set(e, ERR_INVALID, "external",
                         "%s:%d: expected UNIT<TAB>INDICATOR<TAB>NUM<TAB>DEN with 0 <= NUM <= DEN, "
                         "DEN > 0",
                         path, line);
            break;
        }
        int u = -1, k = -1;
        for (int i = 0; i < ix->n; i++)
            if (!strcmp(ix->rows[i].unit, unit)) u = i;
        for (int i = 0; i < ix->set.n; i++)
            if (!strcmp(ix->set.ind[i].id, id)) k = i;
        if (k < 0)
            rc = err_set(e, ERR_INVALID, "external", "%s:%d: '%s' is not an indicator of %s", path,
                         line, id, ix->set.version);
        else if (strcmp(ix->set.ind[k].metric, "external"))
            rc = err_set(e, ERR_INVALID, "external",
                         "%s:%d: '%s' is computed by cchc (metric %s), not external input%s", path,
                         line, id, ix->set.ind[k].metric,
                         strncmp(ix->set.ind[k].metric, "catalog_", 8)
                             ? ""
                             : ": import the procedures' decisions and posting dates instead");
        else if (u >= 0)
            in[(size_t)u * IND_MAX_ROWS + (size_t)k] = (struct ind_input){1, num, den};
    }
    fclose(f);
    return rc;
}

int stats_index_compute(struct store *s, const struct stats_opts *o, struct stats_index **out,
                        struct err *e)
{
    struct stats_index *ix = calloc(1, sizeof *ix);
    struct ind_input *in = NULL;
    int rc;
    if (!ix) return err_set(e, ERR_NOMEM, "", "out of memory");
    if ((rc = indicator_set_load(o->data, o->set, &ix->set, e))) goto out;
    if (o->parent)
        rc = children_rows(s, o, ix, e);
    else
        rc = store_stats_by_unit(s, o->q.from_day, o->q.to_day, by_unit_row, ix, e);
    if (rc) goto out;
    in = calloc((size_t)(ix->n ? ix->n : 1) * IND_MAX_ROWS, sizeof *in);
    ix->order = calloc((size_t)(ix->n ? ix->n : 1), sizeof *ix->order);
    int64_t *val = calloc((size_t)(ix->n ? ix->n : 1), sizeof *val);
    const char **keys = calloc((size_t)(ix->n ? ix->n : 1), sizeof *keys);
    int *rank = calloc((size_t)(ix->n ? ix->n : 1), sizeof *rank);
    if (!in || !ix->order || !val || !keys || !rank)
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (int u = 0; !rc && u < ix->n; u++)
        for (int i = 0; i < ix->set.n; i++)
            indicator_input_from_stats(&ix->set.ind[i], &ix->rows[u].f,
                                       &in[(size_t)u * IND_MAX_ROWS + (size_t)i]);
    if (!rc) rc = catalog_index_inputs(s, o, ix, in, e);
    /* the ranked units are the children of o->parent, or units with statistics */
    for (int u = 0; !rc && u < ix->n; u++)
        keys[u] = ix->rows[u].unit;
    /* 766 group 6 (5.2, 5.3) from the feedback data (feedback_index.c), every unit at once */
    if (!rc)
        rc = feedback_index_inputs_units(s, &ix->set, o->parent, ix->n, keys, o->q.from_day,
                                         o->q.to_day, in, IND_MAX_ROWS, e);
    /* 766 group 3 (3.1, 3.2) from the online filing facts (efile_index.c), every unit at once */
    if (!rc)
        rc = efile_index_inputs_units(s, &ix->set, o->parent, ix->n, keys, o->q.from_day,
                                      o->q.to_day, in, IND_MAX_ROWS, e);
    if (!rc && o->external) rc = read_external(o->external, ix, in, e);
    for (int u = 0; !rc && u < ix->n; u++) {
        indicators_score(&ix->set, &in[(size_t)u * IND_MAX_ROWS], &ix->rows[u].score);
        /* a unit with nothing to judge (no dossiers) is not ranked */
        val[u] = ix->rows[u].score.judged > 0 ? ix->rows[u].score.total : -1;
        keys[u] = ix->rows[u].unit;
    }
    if (!rc) indicators_rank(val, keys, ix->n, ix->order, rank);
    for (int u = 0; !rc && u < ix->n; u++)
        ix->rows[u].rank = ix->rows[u].score.judged > 0 ? rank[u] : 0;
    free(val);
    free(keys);
    free(rank);
out:
    free(in);
    if (rc)
        stats_index_free(ix);
    else
        *out = ix;
    return rc;
}

void stats_index_free(struct stats_index *ix)
{
    if (!ix) return;
    free(ix->rows);
    free(ix->order);
    free(ix);
}

/* ---- the reports' table ---- */

const struct report_desc report_table[] = {
    {"summary", report_summary, 0, "the periodic report on dossier processing, per unit"},
    {"book", report_book, REPORT_PER_DOSSIER,
     "Sổ theo dõi hồ sơ: every dossier received in the period"},
    {"control", report_control, REPORT_PER_DOSSIER,
     "Phiếu kiểm soát quá trình giải quyết hồ sơ: each dossier's steps in the period"},
    {"index", report_index, REPORT_BY_PARENT, "the Decision 766 service index, ranked"},
    {"receiving", report_receiving, 0,
     "receiving regardless of residence: received (for other units) and decided, per unit"},
    {"receiving_dossiers", report_receiving_list, REPORT_PER_DOSSIER,
     "the dossiers one unit received for another to decide"},
    {"backdated", report_backdated, REPORT_OWN_ROUTE,
     "actions recorded with a time earlier than the backdating tolerance, by unit and officer"},
    {NULL, NULL, 0, NULL},
};

const struct report_desc *report_find(const char *name)
{
    for (const struct report_desc *r = report_table; name && r->name; r++)
        if (!strcmp(r->name, name)) return r;
    return NULL;
}

char *report_names(char *buf, size_t n)
{
    buf[0] = '\0';
    for (const struct report_desc *r = report_table; r->name; r++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%s%s", l ? ", " : "", r->name);
    }
    return buf;
}
