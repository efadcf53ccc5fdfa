/* receiving_report.c — `cchc report receiving` / GET /api/reports/receiving: receiving
 * regardless of residence (Decree 118/2025/NĐ-CP) in figures, per unit, each figure labelled
 * by its side: the dossiers a unit's desk received (and of them, those decided by another
 * unit) and the dossiers a unit decides (and of them, those received by another unit's desk),
 * for the dossiers received in the period. */
#include <stdlib.h>
#include <string.h>

#include "stats_report.h"

static const struct rcol RECV_COLS[] = {
    {"unit", "Mã đơn vị", RC_TEXT, 18},
    {"name", "Tên đơn vị", RC_TEXT, 36},
    {"received", "Tiếp nhận (tổng số)", RC_INT, 14},
    {"received_for_others", "Trong đó: tiếp nhận cho đơn vị khác giải quyết", RC_INT, 18},
    {"decided", "Thuộc thẩm quyền giải quyết (tổng số)", RC_INT, 16},
    {"decided_received_elsewhere", "Trong đó: do đơn vị khác tiếp nhận", RC_INT, 18},
};
#define NRECV ((int)(sizeof RECV_COLS / sizeof RECV_COLS[0]))

struct recv_row {
    char unit[UNIT_CODE_MAX];
    int64_t received, for_others, decided, elsewhere;
};

struct recv_ctx {
    struct recv_row *rows;
    int n, cap;
    char (*scope)[UNIT_CODE_MAX]; /* the units reported (NULL: every unit) */
    int nscope, scope_cap;
};

static struct recv_row *row_of(struct recv_ctx *c, const char *unit)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->rows[i].unit, unit)) return &c->rows[i];
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        struct recv_row *r = realloc(c->rows, sizeof *r * (size_t)cap);
        if (!r) return NULL;
        c->rows = r, c->cap = cap;
    }
    struct recv_row *r = &c->rows[c->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    return r;
}

static int in_scope(const struct recv_ctx *c, const char *unit)
{
    if (!c->scope) return 1;
    for (int i = 0; i < c->nscope; i++)
        if (!strcmp(c->scope[i], unit)) return 1;
    return 0;
}

static int add_count(const char *unit, const char *decider, int64_t n, void *arg)
{
    struct recv_ctx *c = arg;
    int other = strcmp(unit, decider) != 0;
    struct recv_row *r;
    if (in_scope(c, unit)) {
        if (!(r = row_of(c, unit))) return ERR_NOMEM;
        r->received += n;
        if (other) r->for_others += n;
    }
    if (in_scope(c, decider)) {
        if (!(r = row_of(c, decider))) return ERR_NOMEM;
        r->decided += n;
        if (other) r->elsewhere += n;
    }
    return 0;
}

static int add_scope(const struct unit *u, void *arg)
{
    struct recv_ctx *c = arg;
    if (c->nscope == c->scope_cap) {
        int cap = c->scope_cap ? c->scope_cap * 2 : 64;
        void *p = realloc(c->scope, sizeof *c->scope * (size_t)cap);
        if (!p) return 1;
        c->scope = p, c->scope_cap = cap;
    }
    snprintf(c->scope[c->nscope++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int by_unit(const void *a, const void *b)
{
    return strcmp(((const struct recv_row *)a)->unit, ((const struct recv_row *)b)->unit);
}

int report_receiving(struct store *s, const struct stats_opts *o, enum rformat fmt, struct err *e)
{
    struct recv_ctx c = {0};
    struct rwriter *w = NULL;
    char sub[200];
    struct ymd a = days_to_ymd(o->q.from_day), b = days_to_ymd(o->q.to_day);
    snprintf(sub, sizeof sub, "Kỳ báo cáo: từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", a.d,
             a.m, a.y, b.d, b.m, b.y);
    int rc = 0;
    if (o->q.unit && *o->q.unit) {
        c.scope = calloc(1, sizeof *c.scope);
        c.scope_cap = 1;
        if (!c.scope) return err_set(e, ERR_NOMEM, "", "out of memory");
        rc = store_unit_scope(s, o->q.unit, o->q.to_day, add_scope, &c, e);
        if (!rc && c.nscope == 0) add_scope(&(struct unit){0}, &c);
    }
    if (!rc) rc = store_receiving_counts(s, o->q.from_day, o->q.to_day, add_count, &c, e);
    if (rc == ERR_NOMEM) err_set(e, ERR_NOMEM, "", "out of memory");
    if (!rc) {
        qsort(c.rows, (size_t)c.n, sizeof *c.rows, by_unit);
        rc = rwriter_open(fmt, o->out,
                          "TIẾP NHẬN HỒ SƠ KHÔNG PHỤ THUỘC ĐỊA GIỚI HÀNH CHÍNH: ĐƠN VỊ TIẾP NHẬN "
                          "VÀ ĐƠN VỊ GIẢI QUYẾT",
                          sub, RECV_COLS, NRECV, &w, e);
    }
    for (int i = 0; !rc && i < c.n; i++) {
        struct unit u;
        const struct recv_row *r = &c.rows[i];
        struct rcell cells[NRECV] = {
            {.text = r->unit},  {.text = store_unit_get(s, r->unit, &u, NULL) ? r->unit : u.name},
            {.v = r->received}, {.v = r->for_others},
            {.v = r->decided},  {.v = r->elsewhere},
        };
        rc = rwriter_row(w, cells, e);
    }
    if (w) {
        int rc2 = rwriter_close(w, e);
        if (!rc) rc = rc2;
    }
    free(c.rows);
    free(c.scope);
    return rc;
}

/* ---- the dossiers received for another unit, one row each ---- */

static const struct rcol LIST_COLS[] = {
    {"code", "Mã hồ sơ", RC_TEXT, 40},
    {"procedure", "Thủ tục", RC_TEXT, 12},
    {"unit", "Đơn vị tiếp nhận", RC_TEXT, 30},
    {"decider", "Đơn vị giải quyết", RC_TEXT, 30},
    {"received_at", "Nhận hồ sơ", RC_INSTANT, 16},
    {"due_at", "Hẹn trả kết quả", RC_INSTANT, 16},
    {"status", "Trạng thái", RC_TEXT, 16},
};
#define NLIST ((int)(sizeof LIST_COLS / sizeof LIST_COLS[0]))

struct list_ctx {
    struct recv_ctx scope;
    struct store *s;
    struct rwriter *w;
    struct err *e;
};

static int list_row(const struct receiving_row *r, void *arg)
{
    struct list_ctx *c = arg;
    if (!in_scope(&c->scope, r->unit) && !in_scope(&c->scope, r->decider)) return 0;
    struct unit u, v;
    enum dossier_status st;
    struct rcell cells[NLIST] = {
        {.text = r->code},
        {.text = r->procedure},
        {.text = store_unit_get(c->s, r->unit, &u, NULL) ? r->unit : u.name},
        {.text = store_unit_get(c->s, r->decider, &v, NULL) ? r->decider : v.name},
        {.v = r->received_at, .null = r->received_at == 0},
        {.v = r->due_at, .null = r->due_at == 0},
        {.text =
             dossier_status_parse(r->status, &st, NULL) ? r->status : dossier_status_label_vi(st)},
    };
    return rwriter_row(c->w, cells, c->e);
}

int report_receiving_list(struct store *s, const struct stats_opts *o, enum rformat fmt,
                          struct err *e)
{
    struct list_ctx c = {.s = s, .e = e};
    char sub[200];
    struct ymd a = days_to_ymd(o->q.from_day), b = days_to_ymd(o->q.to_day);
    snprintf(sub, sizeof sub, "Kỳ báo cáo: từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", a.d,
             a.m, a.y, b.d, b.m, b.y);
    int rc = 0;
    if (o->q.unit && *o->q.unit) {
        c.scope.scope = calloc(1, sizeof *c.scope.scope);
        c.scope.scope_cap = 1;
        if (!c.scope.scope) return err_set(e, ERR_NOMEM, "", "out of memory");
        rc = store_unit_scope(s, o->q.unit, o->q.to_day, add_scope, &c.scope, e);
        if (!rc && c.scope.nscope == 0) add_scope(&(struct unit){0}, &c.scope);
    }
    if (!rc)
        rc = rwriter_open(fmt, o->out,
                          "HỒ SƠ TIẾP NHẬN KHÔNG PHỤ THUỘC ĐỊA GIỚI HÀNH CHÍNH (ĐƠN VỊ TIẾP NHẬN "
                          "KHÁC ĐƠN VỊ GIẢI QUYẾT)",
                          sub, LIST_COLS, NLIST, &c.w, e);
    if (!rc) rc = store_receiving_list(s, o->q.from_day, o->q.to_day, list_row, &c, e);
    if (c.w) {
        int rc2 = rwriter_close(c.w, e);
        if (!rc) rc = rc2;
    }
    free(c.scope.scope);
    return rc;
}
