/* payclient.c — the provider protocol (payclient.h): HMAC-SHA256 signatures with libsodium
 * and the HTTP calls with libcurl (bounded times, no redirects followed, bounded bodies). */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payclient.h"

#define BODY_MAX (64 * 1024)

void pay_sign(const char *secret, const void *body, size_t n, char out[PAY_SIG_HEX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, body, n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, PAY_SIG_HEX, mac, sizeof mac);
}

int pay_verify(const char *secret, const void *body, size_t n, const char *sig)
{
    char want[PAY_SIG_HEX], got[PAY_SIG_HEX];
    if (!sig || strlen(sig) != PAY_SIG_HEX - 1) return 0;
    for (size_t i = 0; i < PAY_SIG_HEX; i++)
        got[i] = (char)(sig[i] >= 'A' && sig[i] <= 'F' ? sig[i] + 32 : sig[i]);
    pay_sign(secret, body, n, want);
    return sodium_memcmp(want, got, PAY_SIG_HEX - 1) == 0;
}

static int copy_field(json_t *o, const char *name, char *out, size_t n, int required, struct err *e)
{
    json_t *v = json_object_get(o, name);
    out[0] = '\0';
    if (!v || json_is_null(v)) {
        if (!required) return 0;
        return err_set(e, ERR_INVALID, name, "field '%s' is required", name);
    }
    if (!json_is_string(v) || json_string_length(v) >= n)
        return err_set(e, ERR_INVALID, name, "field '%s': a string of at most %zu bytes", name,
                       n - 1);
    snprintf(out, n, "%s", json_string_value(v));
    return 0;
}

int pay_status_parse(const char *body, size_t n, struct pay_status_msg *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *o = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return err_set(e, ERR_INVALID, "body", "not a JSON object");
    }
    int rc = copy_field(o, "ref", out->ref, sizeof out->ref, 1, e);
    if (!rc) rc = copy_field(o, "provider_ref", out->provider_ref, sizeof out->provider_ref, 0, e);
    if (!rc) rc = copy_field(o, "status", out->status, sizeof out->status, 1, e);
    json_t *a = json_object_get(o, "amount_vnd");
    if (!rc && a && !json_is_integer(a))
        rc = err_set(e, ERR_INVALID, "amount_vnd", "field 'amount_vnd': an integer");
    if (!rc && a) out->amount = json_integer_value(a);
    json_decref(o);
    return rc;
}

struct buf {
    char *p;
    size_t n;
    int over;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct buf *b = ctx;
    size_t k = size * nmemb;
    if (b->n + k > BODY_MAX) {
        b->over = 1;
        return 0;
    }
    char *q = realloc(b->p, b->n + k + 1);
    if (!q) return 0;
    memcpy(q + b->n, data, k);
    b->p = q;
    b->n += k;
    b->p[b->n] = '\0';
    return k;
}

/* The signature header of an answer. */
struct hdr {
    char sig[PAY_SIG_HEX + 2];
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct hdr *h = ctx;
    size_t k = size * nmemb;
    static const char name[] = "x-signature:";
    if (k > sizeof name && !strncasecmp(data, name, sizeof name - 1)) {
        const char *v = data + sizeof name - 1;
        while (*v == ' ')
            v++;
        size_t i = 0;
        while (i + 1 < sizeof h->sig && v + i < data + k && v[i] != '\r' && v[i] != '\n')
            i++;
        memcpy(h->sig, v, i);
        h->sig[i] = '\0';
    }
    return k;
}

/* One HTTP exchange: method GET (body NULL) or POST (body signed). */
static int exchange(const char *url, const char *secret, const char *body, long *status,
                    struct buf *out, struct hdr *h, struct err *e)
{
    CURL *c = curl_easy_init();
    if (!c) return err_set(e, ERR_NOMEM, "provider", "libcurl failed to start");
    struct curl_slist *hl = NULL;
    char sighdr[PAY_SIG_HEX + 16];
    if (body) {
        char sig[PAY_SIG_HEX];
        pay_sign(secret, body, strlen(body), sig);
        snprintf(sighdr, sizeof sighdr, "X-Signature: %s", sig);
        hl = curl_slist_append(hl, sighdr);
        hl = curl_slist_append(hl, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (h) {
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
    }
    CURLcode cc = curl_easy_perform(c);
    *status = 0;
    if (cc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    if (cc != CURLE_OK)
        return err_set(e, ERR_IO, "provider", "payment provider at %.200s: %s", url,
                       out->over ? "answer too large" : curl_easy_strerror(cc));
    return 0;
}

int pay_post_signed(const char *url, const char *secret, const char *body, long *status,
                    struct err *e)
{
    struct buf b = {0};
    int rc = exchange(url, secret, body, status, &b, NULL, e);
    free(b.p);
    return rc;
}

int pay_create(const char *base, const char *secret, const char *ref, int64_t amount,
               const char *description, const char *return_url, const char *callback_url,
               char *provider_ref, size_t prn, char *pay_url, size_t pun, struct err *e)
{
    json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s}", "ref", ref, "amount_vnd", (json_int_t)amount,
                          "description", description, "return_url", return_url, "callback_url",
                          callback_url);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!body) return err_set(e, ERR_NOMEM, "provider", "out of memory");
    char url[1200];
    snprintf(url, sizeof url, "%s/api/payments", base);
    struct buf b = {0};
    long status = 0;
    int rc = exchange(url, secret, body, &status, &b, NULL, e);
    free(body);
    json_t *a = NULL;
    if (!rc && status != 201)
        rc = err_set(e, ERR_IO, "provider", "payment provider refused the payment (HTTP %ld)",
                     status);
    if (!rc && !(a = json_loadb(b.p ? b.p : "", b.n, 0, NULL)))
        rc = err_set(e, ERR_IO, "provider", "payment provider answered something not JSON");
    if (!rc) {
        struct err ee = {0};
        if (copy_field(a, "provider_ref", provider_ref, prn, 1, &ee) ||
            copy_field(a, "pay_url", pay_url, pun, 1, &ee))
            rc = err_set(e, ERR_IO, "provider", "payment provider's answer: %s", ee.msg);
    }
    json_decref(a);
    free(b.p);
    return rc;
}

int pay_query(const char *base, const char *secret, const char *ref, struct pay_status_msg *out,
              struct err *e)
{
    char url[1200];
    snprintf(url, sizeof url, "%s/api/payments/%s", base, ref);
    struct buf b = {0};
    struct hdr h = {{0}};
    long status = 0;
    int rc = exchange(url, secret, NULL, &status, &b, &h, e);
    memset(out, 0, sizeof *out);
    if (!rc && status == 404) {
        snprintf(out->ref, sizeof out->ref, "%s", ref);
        snprintf(out->status, sizeof out->status, "unknown");
    } else if (!rc && status != 200) {
        rc = err_set(e, ERR_IO, "provider", "payment provider's status query: HTTP %ld", status);
    } else if (!rc && !pay_verify(secret, b.p ? b.p : "", b.n, h.sig)) {
        rc = err_set(e, ERR_IO, "provider", "payment provider's status answer: bad signature");
    } else if (!rc) {
        struct err ee = {0};
        if (pay_status_parse(b.p, b.n, out, &ee))
            rc = err_set(e, ERR_IO, "provider", "payment provider's status answer: %s", ee.msg);
        else if (strcmp(out->ref, ref))
            rc = err_set(e, ERR_IO, "provider", "payment provider answered about another payment");
    }
    free(b.p);
    return rc;
}
