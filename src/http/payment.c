/* payment.c — the routes of online payment (docs/payment.md): the citizen's side keyed by the
 * dossier code plus the lookup's second factor (start a payment, see the fee and payments),
 * the provider's signed callback, the payment's status by its reference (the provider sends
 * the payer back with it) and the receipt; the officers' side under /api/payments (list,
 * reconciliation of a day, the amount of a fee the province sets, sync now). The runtime:
 * the built-in test provider and the reconciler thread. */
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "http.h"
#include "payclient.h"
#include "payment.h"
#include "payment_http.h"
#include "server_int.h"
#include "store.h"
#include "store_payment.h"
#include "testpay.h"

/* Pending payments newer than this are handed out again instead of a new one (a second click,
 * a reloaded page). */
#define REUSE_MINUTES 15

struct payment_rt {
    struct testpay *tp;
    pthread_t th;
    int th_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    char base[CONFIG_STR_MAX];
};

void payment_provider_base(const struct serve_config *cfg, int test_port, char *out, size_t n)
{
    if (cfg->pay_provider_url[0])
        snprintf(out, n, "%s", cfg->pay_provider_url);
    else if (test_port > 0)
        snprintf(out, n, "http://127.0.0.1:%d", test_port);
    else
        out[0] = '\0';
}

void payment_on_settled(const struct payment_row *p)
{
    /* The citizen's "payment confirmed" message is already in the outbox: the settling
     * transaction wrote it (src/store/payment.c, settle_tx). This only logs the settlement. */
    fprintf(stderr, "cchc: payment %s of dossier %s: %s\n", p->ref, p->dossier,
            payment_status_name(p->status));
}

static json_t *payment_json(const struct payment_row *p)
{
    char no[32] = "";
    if (p->receipt_no) payment_receipt_format(p->receipt_year, p->receipt_no, no, sizeof no);
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "ref", p->ref,
                     "dossier", p->dossier, "amount_vnd", (json_int_t)p->amount, "status",
                     payment_status_name(p->status), "status_label",
                     payment_status_label_vi(p->status), "paid_amount_vnd",
                     p->paid_amount ? json_integer(p->paid_amount) : json_null(), "created_at",
                     jinstant(p->created_at), "settled_at", jinstant(p->settled_at), "settled_by",
                     jstr_or_null(p->settled_by), "receipt_no", jstr_or_null(no), "pay_url",
                     p->status == PAY_PENDING ? jstr_or_null(p->pay_url) : json_null());
}

static const char *provider_base(struct req *r)
{
    struct payment_rt *rt = r->srv->pay;
    return rt && rt->base[0] ? rt->base : NULL;
}

/* ---- the citizen's side ---- */

static const struct jfield due_spec_none[] = {{NULL, 0, 0, 0, 0}};

static int push_payment(const struct payment_row *p, void *ctx)
{
    return json_array_append_new(ctx, payment_json(p)) ? ERR_NOMEM : 0;
}

void h_pay_lookup(struct req *r)
{
    struct dossier d;
    json_t *body;
    if (lookup_find_dossier(r, &d, &body)) return;
    struct payment_due due;
    struct err e = {0};
    json_t *list = json_array();
    struct payment_filter f = {.dossier = d.code};
    if (store_payment_due(req_store(r), d.code, &due, &e) ||
        store_payment_list(req_store(r), &f, push_payment, list, &e)) {
        json_decref(list);
        reply_err(r, &e);
        return;
    }
    static const char *const src[] = {"none", "catalogue", "officer"};
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:s, s:b, s:b, s:b, s:o}", "code", d.code, "amount_vnd",
                         due.amount ? json_integer(due.amount) : json_null(), "amount_source",
                         src[due.source], "paid", due.paid, "payable",
                         due.payable && !due.paid && due.source != DUE_NONE, "online",
                         provider_base(r) != NULL, "payments", list));
}

/* Where the provider sends the payer back, and where it calls back. */
static void urls(struct req *r, const char *ref, char *ret, size_t rn, char *cb, size_t cn)
{
    const struct serve_config *cfg = req_config(r);
    const char *host = req_header(r, "Host");
    char base[CONFIG_STR_MAX + 16];
    if (cfg->public_url[0])
        snprintf(base, sizeof base, "%s", cfg->public_url);
    else
        snprintf(base, sizeof base, "http://%s", host ? host : "127.0.0.1");
    size_t k = strlen(base);
    if (k && base[k - 1] == '/') base[k - 1] = '\0';
    snprintf(ret, rn, "%s/#/tra-cuu?thanh_toan=%s", base, ref);
    if (cfg->pay_callback_url[0])
        snprintf(cb, cn, "%s", cfg->pay_callback_url);
    else
        snprintf(cb, cn, "http://127.0.0.1:%d/api/pay/callback", r->srv->port);
}

void h_pay_start(struct req *r)
{
    struct dossier d;
    json_t *body;
    if (lookup_find_dossier(r, &d, &body)) return;
    const char *base = provider_base(r);
    if (!base) {
        reply_error(r, 503, "unavailable", NULL, "online payment is not configured here");
        return;
    }
    struct store *s = req_store(r);
    struct err e = {0};
    int64_t now = now_local_minutes();
    struct payment_row *p = arena_alloc(r->arena, sizeof *p);
    if (!p) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    int rc = store_payment_pending_of(s, d.code, now - REUSE_MINUTES, p, &e);
    if (!rc && p->pay_url[0]) {
        reply_json(r, 200, payment_json(p));
        return;
    }
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return;
    }
    struct payment_due due;
    if ((rc = store_payment_due(s, d.code, &due, &e))) {
        reply_err(r, &e);
        return;
    }
    if (!due.payable || due.paid || due.source == DUE_NONE) {
        reply_error(r, 409, "conflict", "code", "%s",
                    due.paid       ? "the fee of this dossier is already paid"
                    : !due.payable ? "this dossier is closed: nothing to pay"
                                   : "this dossier has no fee to pay online");
        return;
    }
    memset(p, 0, sizeof *p);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(p->ref, sizeof p->ref, rnd, sizeof rnd);
    snprintf(p->dossier, sizeof p->dossier, "%s", d.code);
    p->amount = due.amount;
    p->created_at = now;
    char ret[CONFIG_STR_MAX + 96], cb[CONFIG_STR_MAX + 64], desc[160];
    urls(r, p->ref, ret, sizeof ret, cb, sizeof cb);
    snprintf(desc, sizeof desc, "Thanh toán phí, lệ phí hồ sơ %s", d.code);
    const struct serve_config *cfg = req_config(r);
    if ((rc = pay_create(base, cfg->pay_secret, p->ref, p->amount, desc, ret, cb, p->provider_ref,
                         sizeof p->provider_ref, p->pay_url, sizeof p->pay_url, &e))) {
        reply_error(r, 502, "provider", "provider",
                    "the payment provider cannot be reached now; "
                    "try again later");
        fprintf(stderr, "cchc: payment start: %s\n", e.msg);
        return;
    }
    if ((rc = store_payment_insert(s, p, &e))) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201, payment_json(p));
}

/* After a settlement committed: tell the citizen (payment_on_settled). */
static void settled(const struct payment_settle_out *o)
{
    if (o->changed) payment_on_settled(&o->p);
}

void h_pay_callback(struct req *r)
{
    const struct serve_config *cfg = req_config(r);
    if (!cfg->pay_secret[0]) {
        reply_error(r, 404, "not_found", NULL, "online payment is not configured here");
        return;
    }
    const char *sig = req_header(r, "X-Signature");
    const char *body = r->body ? r->body : "";
    if (!pay_verify(cfg->pay_secret, body, r->body_len, sig)) {
        reply_error(r, 401, "bad_signature", "X-Signature",
                    "the callback's signature does not match its body");
        return;
    }
    struct pay_status_msg m;
    struct err e = {0};
    if (pay_status_parse(body, r->body_len, &m, &e)) {
        reply_err(r, &e);
        return;
    }
    int rep = payment_report_parse(m.status);
    if (rep < 0) {
        reply_error(r, 400, "invalid", "status",
                    "status '%.20s': not pending, paid, failed or cancelled", m.status);
        return;
    }
    struct payment_settle_out o;
    if (store_payment_settle(req_store(r), m.ref, (enum payment_report)rep, m.amount,
                             m.provider_ref, "callback", now_local_minutes(), &o, &e)) {
        reply_err(r, &e);
        return;
    }
    settled(&o);
    reply_json(r, 200,
               json_pack("{s:b, s:b, s:s}", "ok", 1, "changed", o.changed, "status",
                         payment_status_name(o.p.status)));
}

/* Settles one pending payment by a status query now (the payer came back, or the reconciler
 * runs). 0 when the query was answered. */
static int query_one(struct store *s, const char *base, const char *secret,
                     const struct payment_row *p, struct payment_settle_out *o, struct err *e)
{
    struct pay_status_msg m;
    int rc = pay_query(base, secret, p->ref, &m, e);
    if (rc) return rc;
    int rep = !strcmp(m.status, "unknown") ? PR_FAILED : payment_report_parse(m.status);
    if (rep < 0) return err_set(e, ERR_IO, "provider", "status '%.20s' not known", m.status);
    rc = store_payment_settle(s, p->ref, (enum payment_report)rep, m.amount, m.provider_ref,
                              "query", now_local_minutes(), o, e);
    if (!rc) settled(o);
    return rc;
}

/* The payment of the path's {ref} (404 replied, -1, when none). */
static int payment_of_path(struct req *r, struct payment_row *p)
{
    const char *ref = req_param(r, "ref");
    struct err e = {0};
    if (req_query_check(r, NULL)) return -1;
    if (strlen(ref) != PAYMENT_REF_LEN - 1 || store_payment_get(req_store(r), ref, p, &e)) {
        reply_error(r, 404, "not_found", "ref", "no such payment");
        return -1;
    }
    return 0;
}

void h_pay_status(struct req *r)
{
    struct payment_row p;
    if (!payment_of_path(r, &p)) reply_json(r, 200, payment_json(&p));
}

void h_pay_check(struct req *r)
{
    struct payment_row p;
    json_t *body;
    if (payment_of_path(r, &p) || req_body_json_opt(r, due_spec_none, &body)) return;
    const char *base = provider_base(r);
    struct err e = {0};
    if (p.status == PAY_PENDING && base) { /* the payer is back: ask now, not at the next sync */
        struct payment_settle_out o;
        if (!query_one(req_store(r), base, req_config(r)->pay_secret, &p, &o, &e))
            p = o.p;
        else
            fprintf(stderr, "cchc: payment %s: status query: %s\n", p.ref, e.msg);
    }
    reply_json(r, 200, payment_json(&p));
}

/* The receipt as a printable HTML page (biên lai thu phí, lệ phí điện tử). */
static void receipt_page(struct req *r, const struct payment_row *p)
{
    if (p->status != PAY_PAID) {
        reply_error(r, 409, "conflict", "ref", "a receipt exists once the payment is paid");
        return;
    }
    struct dossier d;
    struct unit u;
    struct err e = {0};
    if (store_dossier_get(req_store(r), p->dossier, &d, &e) ||
        store_unit_get(req_store(r), p->unit, &u, &e)) {
        reply_err(r, &e);
        return;
    }
    char no[32], when[20], amount[32];
    payment_receipt_format(p->receipt_year, p->receipt_no, no, sizeof no);
    instant_format(p->settled_at, when);
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)p->paid_amount), k = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) amount[k++] = '.';
        amount[k++] = digits[i];
    }
    amount[k] = '\0';
    json_t *esc[] = {json_string(u.name), json_string(d.applicant.name), json_string(d.code)};
    const char *t[3];
    for (int i = 0; i < 3; i++) {
        const char *s = esc[i] ? json_string_value(esc[i]) : "";
        size_t m = strlen(s) * 6 + 1;
        char *o = arena_alloc(r->arena, m), *q = o;
        for (; o && *s; s++) {
            const char *rep = *s == '<'   ? "&lt;"
                              : *s == '>' ? "&gt;"
                              : *s == '&' ? "&amp;"
                              : *s == '"' ? "&quot;"
                                          : NULL;
            if (rep)
                q += sprintf(q, "%s", rep);
            else
                *q++ = *s;
        }
        if (q) *q = '\0';
        t[i] = o ? o : "";
        json_decref(esc[i]);
    }
    char *html = arena_printf(
        r->arena,
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Biên lai %s</title>"
        "<style>body{font-family:'Noto Sans',sans-serif;max-width:40rem;margin:2rem auto;padding:"
        "0 1rem}h1{font-size:1.3rem;text-align:center}td{padding:.3rem .6rem;vertical-align:top}"
        "@media print{button{display:none}}</style></head><body><p>%s</p>"
        "<h1>BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ</h1><p style=\"text-align:center\">Số: <b "
        "id=\"receipt-no\">%s</b></p><table><tr><td>Người nộp</td><td>%s</td></tr>"
        "<tr><td>Hồ sơ</td><td>%s</td></tr><tr><td>Số tiền</td><td id=\"receipt-amount\">%s "
        "đồng</td></tr><tr><td>Hình thức</td><td>Thanh toán trực tuyến (mã giao dịch %s)</td></tr>"
        "<tr><td>Thời điểm thu</td><td>%s</td></tr></table><p><button "
        "onclick=\"print()\">In biên lai</button></p></body></html>",
        no, t[0], no, t[1], t[2], amount, p->provider_ref, when);
    reply_header(r, "Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; "
                 "script-src 'unsafe-inline'");
    reply_arena_text(r, 200, "text/html; charset=utf-8", html, strlen(html));
}

void h_pay_receipt_public(struct req *r)
{
    struct payment_row p;
    if (!payment_of_path(r, &p)) receipt_page(r, &p);
}

/* ---- the officers' side ---- */

void h_payment_receipt(struct req *r)
{
    const char *ref = req_param(r, "ref");
    struct payment_row p;
    struct err e = {0};
    if (req_query_check(r, NULL)) return;
    if (store_payment_get(req_store(r), ref, &p, &e) || !auth_scope_covers(r, p.unit)) {
        reply_error(r, 404, "not_found", "ref", "no such payment");
        return;
    }
    receipt_page(r, &p);
}

struct list_ctx {
    struct req *r;
    const char *unit; /* ?unit=: that unit's subtree, else the caller's scope */
    json_t *rows;
    int64_t n[PAY__COUNT], sum[PAY__COUNT];
};

static int list_row(const struct payment_row *p, void *ctx)
{
    struct list_ctx *x = ctx;
    if (!auth_scope_covers(x->r, p->unit) || (x->unit && !auth_unit_under(x->r, p->unit, x->unit)))
        return 0;
    x->n[p->status]++;
    x->sum[p->status] += p->status == PAY_PENDING ? p->amount : p->paid_amount;
    json_t *o = payment_json(p);
    json_object_set_new(o, "unit", json_string(p->unit));
    return json_array_append_new(x->rows, o) ? ERR_NOMEM : 0;
}

/* Reads ?unit=: 404 (replied, -1) outside the caller's scope, as every unit resource. */
static int unit_arg(struct req *r, const char **unit)
{
    *unit = req_query(r, "unit");
    if (*unit && !auth_scope_covers(r, *unit)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", *unit);
        return -1;
    }
    return 0;
}

/* Reads ?day= (YYYY-MM-DD); *day 0 when absent and not required. */
static int day_arg(struct req *r, int required, int64_t *day)
{
    const char *s = req_query(r, "day");
    *day = 0;
    if (!s && !required) return 0;
    struct ymd y;
    struct err e = {0};
    if (!s) {
        reply_error(r, 400, "missing_field", "day",
                    "query argument 'day' (YYYY-MM-DD) is required");
        return -1;
    }
    if (ymd_parse(s, &y, "day", &e)) {
        reply_err(r, &e);
        return -1;
    }
    *day = ymd_to_days(y);
    return 0;
}

void h_payments_list(struct req *r)
{
    static const char *const allowed[] = {"day", "status", "dossier", "unit", NULL};
    if (req_query_check(r, allowed)) return;
    int64_t day;
    const char *unit;
    if (day_arg(r, 0, &day) || unit_arg(r, &unit)) return;
    struct payment_filter f = {.day = day, .dossier = req_query(r, "dossier")};
    const char *st = req_query(r, "status");
    if (st) {
        int k = payment_status_parse(st);
        if (k < 0) {
            reply_error(r, 400, "invalid", "status",
                        "status '%.20s': not pending, paid, failed, cancelled or mismatched", st);
            return;
        }
        f.status = k + 1;
    }
    struct list_ctx x = {.r = r, .unit = unit, .rows = json_array()};
    struct err e = {0};
    if (store_payment_list(req_store(r), &f, list_row, &x, &e)) {
        json_decref(x.rows);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "payments", x.rows));
}

void h_payments_reconciliation(struct req *r)
{
    static const char *const allowed[] = {"day", "unit", NULL};
    if (req_query_check(r, allowed)) return;
    int64_t day;
    const char *unit;
    if (day_arg(r, 1, &day) || unit_arg(r, &unit)) return;
    struct payment_filter f = {.day = day};
    struct list_ctx x = {.r = r, .unit = unit, .rows = json_array()};
    struct err e = {0};
    if (store_payment_list(req_store(r), &f, list_row, &x, &e)) {
        json_decref(x.rows);
        reply_err(r, &e);
        return;
    }
    json_t *sum = json_object();
    static const char *const groups[] = {"paid", "pending", "failed", "mismatched"};
    for (int g = 0; g < 4; g++) {
        int64_t n = 0, v = 0;
        for (int s = 0; s < PAY__COUNT; s++) {
            int in = g == 0   ? s == PAY_PAID
                     : g == 1 ? s == PAY_PENDING
                     : g == 2 ? (s == PAY_FAILED || s == PAY_CANCELLED)
                              : s == PAY_MISMATCHED;
            if (in) n += x.n[s], v += x.sum[s];
        }
        json_object_set_new(
            sum, groups[g],
            json_pack("{s:I, s:I}", "count", (json_int_t)n, "amount_vnd", (json_int_t)v));
    }
    reply_json(r, 200,
               json_pack("{s:o, s:o, s:o}", "day", jday(day), "totals", sum, "payments", x.rows));
}

static const struct jfield due_spec[] = {
    {"amount_vnd", JT_INT, 1, 1, 1000000000000LL},
    {NULL, 0, 0, 0, 0},
};

void h_payment_due_put(struct req *r)
{
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, due_spec, &body)) return;
    char code[DOSSIER_CODE_LEN + 8];
    dossier_code_normalize(req_param(r, "code"), code, sizeof code);
    struct dossier d;
    struct err e = {0};
    int rc = store_dossier_get(req_store(r), code, &d, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return;
    }
    if (rc || !auth_scope_covers(r, d.unit)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return;
    }
    int64_t amount = jget_int(body, "amount_vnd", 0);
    if (store_payment_due_set(req_store(r), d.code, amount, r->sess->user.username,
                              now_local_minutes(), &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:s, s:I, s:s}", "code", d.code, "amount_vnd", (json_int_t)amount,
                         "amount_source", "officer"));
}

static json_t *counts_json(const struct payment_sync_counts *c)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "queried", c->queried, "paid", c->paid,
                     "failed", c->failed, "cancelled", c->cancelled, "mismatched", c->mismatched,
                     "unchanged", c->unchanged, "errors", c->errors);
}

void h_payments_sync(struct req *r)
{
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, due_spec_none, &body)) return;
    const char *base = provider_base(r);
    if (!base) {
        reply_error(r, 503, "unavailable", NULL, "online payment is not configured here");
        return;
    }
    struct payment_sync_counts c;
    struct err e = {0};
    if (payment_sync(req_store(r), base, req_config(r)->pay_secret, now_local_minutes() + 1, &c,
                     &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, counts_json(&c));
}

/* ---- the sync (reconciler) ---- */

struct pend {
    struct payment_row *v;
    size_t n, cap;
};

static int collect(const struct payment_row *p, void *ctx)
{
    struct pend *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        struct payment_row *q = realloc(x->v, cap * sizeof *q);
        if (!q) return ERR_NOMEM;
        x->v = q, x->cap = cap;
    }
    x->v[x->n++] = *p;
    return 0;
}

int payment_sync(struct store *s, const char *base, const char *secret, int64_t created_before,
                 struct payment_sync_counts *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    struct pend x = {0};
    struct payment_filter f = {.status = PAY_PENDING + 1, .created_before = created_before};
    int rc = store_payment_list(s, &f, collect, &x, e);
    for (size_t i = 0; !rc && i < x.n; i++) {
        struct payment_settle_out o;
        struct err ee = {0};
        c->queried++;
        if (query_one(s, base, secret, &x.v[i], &o, &ee)) {
            c->errors++;
            fprintf(stderr, "cchc: payment sync %s: %s\n", x.v[i].ref, ee.msg);
            continue;
        }
        if (!o.changed)
            c->unchanged++;
        else if (o.p.status == PAY_PAID)
            c->paid++;
        else if (o.p.status == PAY_FAILED)
            c->failed++;
        else if (o.p.status == PAY_CANCELLED)
            c->cancelled++;
        else if (o.p.status == PAY_MISMATCHED)
            c->mismatched++;
    }
    free(x.v);
    return rc;
}

static void *reconciler(void *arg)
{
    struct server *srv = arg;
    struct payment_rt *rt = srv->pay;
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(srv->cfg.db, &s, &e)) {
        fprintf(stderr, "cchc: payment reconciler: %s\n", e.msg);
        return NULL;
    }
    pthread_mutex_lock(&rt->mu);
    while (!rt->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += srv->cfg.pay_sync_seconds;
        while (!rt->stop && pthread_cond_timedwait(&rt->cv, &rt->mu, &until) == 0) {}
        if (rt->stop) break;
        pthread_mutex_unlock(&rt->mu);
        struct payment_sync_counts c;
        int64_t before = now_local_minutes() - srv->cfg.pay_sync_after / 60 +
                         (srv->cfg.pay_sync_after < 60 ? 1 : 0);
        if (payment_sync(s, rt->base, srv->cfg.pay_secret, before, &c, &e))
            fprintf(stderr, "cchc: payment reconciler: %s\n", e.msg);
        pthread_mutex_lock(&rt->mu);
    }
    pthread_mutex_unlock(&rt->mu);
    store_close(s);
    return NULL;
}

int payment_http_open(struct server *srv, struct err *e)
{
    const struct serve_config *cfg = &srv->cfg;
    if (!cfg->test_pay_port && !cfg->pay_provider_url[0]) return 0;
    if (!cfg->pay_secret[0])
        return err_set(e, ERR_INVALID, "pay_secret",
                       "online payment needs pay_secret (the key shared with the provider)");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct payment_rt *rt = calloc(1, sizeof *rt);
    if (!rt) return err_set(e, ERR_NOMEM, "payment", "out of memory");
    pthread_mutex_init(&rt->mu, NULL);
    pthread_cond_init(&rt->cv, NULL);
    srv->pay = rt;
    int rc;
    if (cfg->test_pay_port &&
        (rc = testpay_start(cfg->test_pay_port < 0 ? 0 : (int)cfg->test_pay_port, cfg->pay_secret,
                            &rt->tp, e)))
        return rc;
    payment_provider_base(cfg, testpay_port(rt->tp), rt->base, sizeof rt->base);
    if (rt->tp)
        fprintf(stderr, "cchc: test payment provider on http://127.0.0.1:%d/\n",
                testpay_port(rt->tp));
    if (cfg->pay_sync_seconds > 0 && !pthread_create(&rt->th, NULL, reconciler, srv))
        rt->th_started = 1;
    return 0;
}

void payment_http_close(struct server *srv)
{
    struct payment_rt *rt = srv->pay;
    if (!rt) return;
    if (rt->th_started) {
        pthread_mutex_lock(&rt->mu);
        rt->stop = 1;
        pthread_cond_signal(&rt->cv);
        pthread_mutex_unlock(&rt->mu);
        pthread_join(rt->th, NULL);
    }
    testpay_stop(rt->tp);
    pthread_mutex_destroy(&rt->mu);
    pthread_cond_destroy(&rt->cv);
    free(rt);
    srv->pay = NULL;
}
