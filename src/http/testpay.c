/* testpay.c — the built-in test payment provider (testpay.h). Real HTTP end to end: cchc
 * creates payments here with signed requests, the payer's browser opens the page, and the
 * outcome reaches cchc by a signed callback over HTTP (libcurl) or, when the payer ticks
 * "lose the callback", only through cchc's status query. Not a payment system: it takes no
 * money and keeps nothing across restarts. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payclient.h"
#include "testpay.h"

#define TP_BODY_MAX 16384

struct tp_pay {
    char ref[40], provider_ref[24], status[16];
    int64_t amount;
    char *description, *return_url, *callback_url;
};

struct testpay {
    struct MHD_Daemon *d;
    pthread_mutex_t mu;
    char secret[512];
    int port;
    struct tp_pay *pays;
    size_t n, cap;
    unsigned long next;
};

struct tp_req {
    char *body;
    size_t n;
    int over;
};

static struct tp_pay *find(struct testpay *t, const char *ref, int by_provider)
{
    for (size_t i = t->n; i-- > 0;)
        if (!strcmp(by_provider ? t->pays[i].provider_ref : t->pays[i].ref, ref))
            return &t->pays[i];
    return NULL;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *ctype,
                              const char *text, const char *sig, const char *location)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", ctype);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (sig) MHD_add_response_header(r, "X-Signature", sig);
    if (location) MHD_add_response_header(r, "Location", location);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result json_answer(struct MHD_Connection *c, unsigned status, json_t *o,
                                   const char *secret)
{
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!s) return MHD_NO;
    char sig[PAY_SIG_HEX];
    pay_sign(secret, s, strlen(s), sig);
    enum MHD_Result r = answer(c, status, "application/json", s, sig, NULL);
    free(s);
    return r;
}

/* The HTML text of s, escaped, appended to f. */
static void html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* 1.234.567 (Vietnamese grouping). */
static void vnd(FILE *f, int64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof d, "%lld", (long long)(v < 0 ? -v : v));
    if (v < 0) fputc('-', f);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) fputc('.', f);
        fputc(d[i], f);
    }
}

static const char PAGE_HEAD[] =
    "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
static const char PAGE_STYLE[] =
    "<style>body{font-family:'Noto Sans',sans-serif;max-width:34rem;margin:2rem auto;padding:0 "
    "1rem;color:#1b1b1b}h1{font-size:1.4rem;color:#a1001f}.box{border:1px solid #ccc;border-"
    "radius:.5rem;padding:1rem}dt{font-weight:600}button{font-size:1rem;padding:.6rem 1.2rem;"
    "margin:.5rem .5rem 0 0}.note{color:#555;font-size:.9rem}</style></head><body>";

static enum MHD_Result page(struct MHD_Connection *c, const struct tp_pay *p)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return MHD_NO;
    fputs(PAGE_HEAD, f);
    fputs("<title>Cổng thanh toán thử nghiệm</title>", f);
    fputs(PAGE_STYLE, f);
    fputs("<h1>Cổng thanh toán thử nghiệm</h1><p class=\"note\">Cổng này chỉ dùng để thử "
          "nghiệm: không có tiền nào được chuyển.</p><div class=\"box\"><dl><dt>Nội dung</dt><dd "
          "id=\"tp-desc\">",
          f);
    html(f, p->description);
    fputs("</dd><dt>Số tiền</dt><dd id=\"tp-amount\">", f);
    vnd(f, p->amount);
    fputs(" đồng</dd><dt>Mã giao dịch</dt><dd id=\"tp-ref\">", f);
    html(f, p->provider_ref);
    fputs("</dd></dl>", f);
    if (!strcmp(p->status, "pending")) {
        fputs("<form method=\"post\" action=\"/pay/", f);
        html(f, p->provider_ref);
        fputs("\"><label><input type=\"checkbox\" name=\"lose_callback\" value=\"1\" "
              "id=\"tp-lose\"> Mô phỏng mất thông báo kết quả (không gọi lại máy chủ)</label><br>"
              "<button type=\"submit\" name=\"action\" value=\"pay\" id=\"tp-pay\">Thanh "
              "toán</button><button type=\"submit\" name=\"action\" value=\"cancel\" "
              "id=\"tp-cancel\">Hủy</button></form>",
              f);
    } else {
        fputs("<p id=\"tp-status\">Giao dịch đã kết thúc.</p>", f);
    }
    fputs("</div></body></html>", f);
    fclose(f);
    enum MHD_Result r = answer(c, 200, "text/html; charset=utf-8", buf, NULL, NULL);
    free(buf);
    return r;
}

/* The page after Pay / Cancel: the outcome, then back to the service portal in 3 seconds
 * (as real gateways do): closing the tab here loses nothing, the callback is already sent. */
static enum MHD_Result done_page(struct MHD_Connection *c, const struct tp_pay *p, int sent)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) return MHD_NO;
    fputs(PAGE_HEAD, f);
    fputs("<meta http-equiv=\"refresh\" content=\"3;url=", f);
    html(f, p->return_url);
    fputs("\"><title>Cổng thanh toán thử nghiệm</title>", f);
    fputs(PAGE_STYLE, f);
    fputs("<h1>Cổng thanh toán thử nghiệm</h1><div class=\"box\"><p id=\"tp-result\">", f);
    fputs(!strcmp(p->status, "paid") ? "Giao dịch thành công." : "Giao dịch đã bị hủy.", f);
    fputs("</p><p class=\"note\" id=\"tp-callback\">", f);
    fputs(sent ? "Đã gửi thông báo kết quả cho cổng dịch vụ công."
               : "Không gửi thông báo kết quả (mô phỏng mất thông báo).",
          f);
    fputs("</p><p><a id=\"tp-back\" href=\"", f);
    html(f, p->return_url);
    fputs("\">Quay lại cổng dịch vụ công</a> (tự động sau 3 giây)</p></div></body></html>", f);
    fclose(f);
    enum MHD_Result r = answer(c, 200, "text/html; charset=utf-8", buf, NULL, NULL);
    free(buf);
    return r;
}

static char *dupstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? strdup(s) : NULL;
}

static enum MHD_Result create(struct testpay *t, struct MHD_Connection *c, const char *body,
                              size_t n)
{
    const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Signature");
    if (!pay_verify(t->secret, body, n, sig))
        return answer(c, 401, "application/json", "{\"error\":\"bad signature\"}", NULL, NULL);
    json_t *o = json_loadb(body, n, JSON_REJECT_DUPLICATES, NULL);
    json_t *a = json_object_get(o, "amount_vnd");
    struct tp_pay p = {0};
    const char *ref = json_string_value(json_object_get(o, "ref"));
    p.description = dupstr(o, "description");
    p.return_url = dupstr(o, "return_url");
    p.callback_url = dupstr(o, "callback_url");
    if (!ref || strlen(ref) >= sizeof p.ref || !json_is_integer(a) || json_integer_value(a) < 1 ||
        !p.description || !p.return_url || !p.callback_url) {
        json_decref(o);
        free(p.description), free(p.return_url), free(p.callback_url);
        return answer(c, 400, "application/json", "{\"error\":\"bad request\"}", NULL, NULL);
    }
    snprintf(p.ref, sizeof p.ref, "%s", ref);
    p.amount = json_integer_value(a);
    snprintf(p.status, sizeof p.status, "pending");
    json_decref(o);
    pthread_mutex_lock(&t->mu);
    snprintf(p.provider_ref, sizeof p.provider_ref, "TP%08lu", ++t->next);
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct tp_pay *q = realloc(t->pays, cap * sizeof *q);
        if (!q) {
            pthread_mutex_unlock(&t->mu);
            free(p.description), free(p.return_url), free(p.callback_url);
            return MHD_NO;
        }
        t->pays = q, t->cap = cap;
    }
    t->pays[t->n++] = p;
    pthread_mutex_unlock(&t->mu);
    char url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/pay/%s", t->port, p.provider_ref);
    return json_answer(
        c, 201, json_pack("{s:s, s:s}", "provider_ref", p.provider_ref, "pay_url", url), t->secret);
}

/* The value of name in an application/x-www-form-urlencoded body ("" if absent); values here
 * are plain words and digits. */
static void form_value(const char *body, const char *name, char *out, size_t n)
{
    size_t k = strlen(name);
    out[0] = '\0';
    for (const char *p = body; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (!strncmp(p, name, k) && p[k] == '=') {
            size_t i = 0;
            for (const char *v = p + k + 1; *v && *v != '&' && i + 1 < n; v++)
                out[i++] = *v;
            out[i] = '\0';
            return;
        }
    }
}

static enum MHD_Result decide(struct testpay *t, struct MHD_Connection *c, const char *pref,
                              const char *body)
{
    char action[16], lose[4], amount[24];
    form_value(body, "action", action, sizeof action);
    form_value(body, "lose_callback", lose, sizeof lose);
    form_value(body, "amount_vnd", amount, sizeof amount); /* tests: pay another amount */
    if (strcmp(action, "pay") && strcmp(action, "cancel"))
        return answer(c, 400, "text/plain; charset=utf-8", "action: pay hoặc cancel", NULL, NULL);
    pthread_mutex_lock(&t->mu);
    struct tp_pay *p = find(t, pref, 1);
    if (!p || strcmp(p->status, "pending")) {
        pthread_mutex_unlock(&t->mu);
        return answer(c, p ? 409 : 404, "text/plain; charset=utf-8",
                      p ? "Giao dịch đã kết thúc." : "Không có giao dịch này.", NULL, NULL);
    }
    snprintf(p->status, sizeof p->status, "%s", !strcmp(action, "pay") ? "paid" : "cancelled");
    if (amount[0] && atoll(amount) > 0) p->amount = atoll(amount);
    struct tp_pay copy = *p;
    copy.return_url = strdup(p->return_url);
    copy.callback_url = strdup(p->callback_url);
    pthread_mutex_unlock(&t->mu);
    int sent = 0;
    if (strcmp(lose, "1") && copy.callback_url) {
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:I}", "ref", copy.ref, "provider_ref", copy.provider_ref,
                      "status", copy.status, "amount_vnd", (json_int_t)copy.amount);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        long status = 0;
        struct err e = {0};
        if (s && !pay_post_signed(copy.callback_url, t->secret, s, &status, &e))
            sent = status == 200;
        free(s);
    }
    enum MHD_Result r = copy.return_url ? done_page(c, &copy, sent) : MHD_NO;
    free(copy.return_url);
    free(copy.callback_url);
    return r;
}

static enum MHD_Result status_of(struct testpay *t, struct MHD_Connection *c, const char *ref)
{
    pthread_mutex_lock(&t->mu);
    struct tp_pay *p = find(t, ref, 0);
    json_t *o =
        p ? json_pack("{s:s, s:s, s:s, s:I}", "ref", p->ref, "provider_ref", p->provider_ref,
                      "status", p->status, "amount_vnd", (json_int_t)p->amount)
          : NULL;
    pthread_mutex_unlock(&t->mu);
    if (!p)
        return answer(c, 404, "application/json", "{\"error\":\"unknown payment\"}", NULL, NULL);
    return json_answer(c, 200, o, t->secret);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    (void)version;
    struct testpay *t = cls;
    struct tp_req *q = *state;
    if (!q) {
        if (!(q = calloc(1, sizeof *q))) return MHD_NO;
        *state = q;
        return MHD_YES;
    }
    if (*size) {
        if (q->n + *size > TP_BODY_MAX) {
            q->over = 1;
        } else {
            char *b = realloc(q->body, q->n + *size + 1);
            if (!b) return MHD_NO;
            memcpy(b + q->n, data, *size);
            q->body = b, q->n += *size, q->body[q->n] = '\0';
        }
        *size = 0;
        return MHD_YES;
    }
    if (q->over) return answer(c, 413, "text/plain", "too large", NULL, NULL);
    const char *body = q->body ? q->body : "";
    int get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
    if (post && !strcmp(url, "/api/payments")) return create(t, c, body, q->n);
    if (get && !strncmp(url, "/api/payments/", 14)) return status_of(t, c, url + 14);
    if (!strncmp(url, "/pay/", 5)) {
        const char *pref = url + 5;
        if (post) return decide(t, c, pref, body);
        if (get) {
            pthread_mutex_lock(&t->mu);
            struct tp_pay *p = find(t, pref, 1), copy;
            if (p) {
                copy = *p;
                copy.description = strdup(p->description);
            }
            pthread_mutex_unlock(&t->mu);
            if (!p)
                return answer(c, 404, "text/plain; charset=utf-8", "Không có giao dịch này.", NULL,
                              NULL);
            enum MHD_Result r = page(c, &copy);
            free(copy.description);
            return r;
        }
    }
    return answer(c, 404, "text/plain", "not found", NULL, NULL);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct tp_req *q = *state;
    if (q) free(q->body);
    free(q);
    *state = NULL;
}

int testpay_start(int port, const char *secret, struct testpay **out, struct err *e)
{
    *out = NULL;
    if (!secret || !secret[0])
        return err_set(e, ERR_INVALID, "pay_secret", "the test provider needs pay_secret");
    struct testpay *t = calloc(1, sizeof *t);
    if (!t) return err_set(e, ERR_NOMEM, "testpay", "out of memory");
    pthread_mutex_init(&t->mu, NULL);
    snprintf(t->secret, sizeof t->secret, "%s", secret);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    t->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, on_request, t, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, on_done,
        t, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!t->d) {
        testpay_stop(t);
        return err_set(e, ERR_IO, "test_pay_port",
                       "test payment provider: cannot listen on "
                       "127.0.0.1 port %d",
                       port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(t->d, MHD_DAEMON_INFO_BIND_PORT);
    t->port = di ? di->port : port;
    *out = t;
    return 0;
}

int testpay_port(const struct testpay *t)
{
    return t ? t->port : 0;
}

void testpay_stop(struct testpay *t)
{
    if (!t) return;
    if (t->d) MHD_stop_daemon(t->d);
    for (size_t i = 0; i < t->n; i++) {
        free(t->pays[i].description);
        free(t->pays[i].return_url);
        free(t->pays[i].callback_url);
    }
    free(t->pays);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
