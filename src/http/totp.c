/* totp.c — TOTP (RFC 6238) by liboath, recovery codes by libsodium, the otpauth:// URI and
 * its QR code (libqrencode), and the enrolment routes of the signed-in user: POST
 * /api/session/totp draws a secret (pending until confirmed), POST …/confirm takes the first
 * code and answers the recovery codes, once; GET tells the state. Re-enrolling a confirmed
 * factor needs an administrator's reset (`cchc user totp reset`), so a stolen session cannot
 * replace the owner's phone. */
#include "totp.h"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "dblimit.h"
#include "http.h"
#include "server_int.h"
#include "store.h"
#include "store_login.h"

/* Recovery-code letters: no 0/o, 1/l/i to misread. */
static const char RC_ALPHA[] = "abcdefghjkmnpqrstuvwxyz23456789";

int totp_new_secret(char out[TOTP_SECRET_MAX], struct err *e)
{
    unsigned char raw[20];
    char *b32 = NULL;
    size_t len = 0;
    randombytes_buf(raw, sizeof raw);
    int rc = oath_init();
    if (rc == OATH_OK) rc = oath_base32_encode((const char *)raw, sizeof raw, &b32, &len);
    sodium_memzero(raw, sizeof raw);
    if (rc != OATH_OK || !b32 || len >= TOTP_SECRET_MAX) {
        free(b32);
        return err_set(e, ERR_INTERNAL, "totp", "liboath could not encode a secret");
    }
    memcpy(out, b32, len);
    out[len] = 0;
    sodium_memzero(b32, len);
    free(b32);
    return 0;
}

int totp_code_ok(const char *secret, const char *code, int64_t now, int64_t *step)
{
    if (!secret || !*secret || !code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return 0;
    char *key = NULL;
    size_t klen = 0;
    if (oath_init() != OATH_OK ||
        oath_base32_decode(secret, strlen(secret), &key, &klen) != OATH_OK)
        return 0;
    int pos = 0;
    int rc = oath_totp_validate2(key, klen, (time_t)now, TOTP_STEP, 0, 1, &pos, code);
    sodium_memzero(key, klen);
    free(key);
    if (rc < 0) return 0;
    *step = now / TOTP_STEP + pos;
    return 1;
}

/* Percent-encodes s into out (RFC 3986 unreserved kept); -1 if it does not fit. */
static int pct(const char *s, char *out, size_t n)
{
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || strchr("-._~", *p);
        if (j + (plain ? 1 : 3) >= n) return -1;
        if (plain)
            out[j++] = (char)*p;
        else
            j += (size_t)snprintf(out + j, n - j, "%%%02X", *p);
    }
    out[j] = 0;
    return 0;
}

int totp_uri(const char *username, const char *secret, char *out, size_t n)
{
    char u[200];
    if (pct(username, u, sizeof u)) return -1;
    int w = snprintf(out, n,
                     "otpauth://totp/cchc:%s?secret=%s&issuer=cchc&algorithm=SHA1&digits=6"
                     "&period=%d",
                     u, secret, TOTP_STEP);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

char *totp_qr_svg(const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int w = q->width, m = 4, size = w + 2 * m;
    size_t cap = 256 + (size_t)w * (size_t)w * 24;
    char *svg = malloc(cap);
    if (!svg) {
        QRcode_free(q);
        return NULL;
    }
    size_t j = (size_t)snprintf(svg, cap,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                                "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                                "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                                size, size, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1)
                j += (size_t)snprintf(svg + j, cap - j, "M%d %dh1v1h-1z", x + m, y + m);
    snprintf(svg + j, cap - j, "\"/></svg>");
    QRcode_free(q);
    return svg;
}

int totp_qr_print(FILE *f, const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return -1;
    int w = q->width, m = 2;
    /* Two rows per line: ▀ top dark, ▄ bottom dark, █ both; dark on a light terminal is
     * inverted on a dark one, so draw light modules instead (readers accept both). */
    for (int y = -m; y < w + m; y += 2) {
        for (int x = -m; x < w + m; x++) {
            int top = y >= 0 && y < w && x >= 0 && x < w && (q->data[y * w + x] & 1);
            int bot = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w && (q->data[(y + 1) * w + x] & 1);
            fputs(!top && !bot  ? "\u2588"
                  : top && !bot ? "\u2584"
                  : !top && bot ? "\u2580"
                                : " ",
                  f);
        }
        fputc('\n', f);
    }
    QRcode_free(q);
    return 0;
}

/* Lower case, without '-' and spaces; -1 if anything else is left than the code letters. */
static int recovery_norm(const char *in, char out[TOTP_RECOVERY_LEN])
{
    size_t j = 0;
    for (const char *p = in; *p; p++) {
        char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
        if (c == '-' || c == ' ') continue;
        if (!strchr(RC_ALPHA, c) || j >= 10) return -1;
        out[j++] = c;
    }
    out[j] = 0;
    return j == 10 ? 0 : -1;
}

/* The codes hold 10 letters of 31 (~49.5 bits) drawn at random, so the hash needs no work
 * factor against guessing: libsodium's least argon2id cost keeps sign-in fast. */
static int recovery_hash(const char *norm, char out[128])
{
    return crypto_pwhash_str(out, norm, strlen(norm), crypto_pwhash_OPSLIMIT_MIN,
                             crypto_pwhash_MEMLIMIT_MIN);
}

int totp_recovery_new(char codes[][TOTP_RECOVERY_LEN], char hashes[][128], int n, struct err *e)
{
    for (int i = 0; i < n; i++) {
        char norm[TOTP_RECOVERY_LEN];
        for (int k = 0; k < 10; k++)
            norm[k] = RC_ALPHA[randombytes_uniform(sizeof RC_ALPHA - 1)];
        norm[10] = 0;
        snprintf(codes[i], TOTP_RECOVERY_LEN, "%.5s-%.5s", norm, norm + 5);
        if (recovery_hash(norm, hashes[i]))
            return err_set(e, ERR_NOMEM, "code", "hashing a recovery code ran out of memory");
    }
    return 0;
}

struct rc_find {
    const char *norm;
    char hash[128];
};

static int rc_match(const char *hash, void *ctx)
{
    struct rc_find *f = ctx;
    if (crypto_pwhash_str_verify(hash, f->norm, strlen(f->norm))) return 0;
    snprintf(f->hash, sizeof f->hash, "%s", hash);
    return 1;
}

int totp_login_check(struct store *s, const char *username, const struct user_totp *t,
                     const char *code, int64_t now, struct err *e)
{
    int64_t step = 0;
    if (totp_code_ok(t->secret, code, now, &step)) {
        if (step <= t->last_step)
            return err_set(e, ERR_CONFLICT, "code",
                           "this code was used already; wait for the next one");
        return store_totp_use_step(s, username, step, e);
    }
    struct rc_find f = {0};
    char norm[TOTP_RECOVERY_LEN];
    if (!recovery_norm(code, norm)) {
        f.norm = norm;
        int rc = store_recovery_each(s, username, rc_match, &f, e);
        if (f.hash[0]) return store_recovery_use(s, username, f.hash, now, e);
        if (rc) return rc;
    }
    return err_set(e, ERR_INVALID, "code", "wrong code");
}

/* --- routes of the signed-in user --- */

static json_t *status_json(const struct user_totp *t)
{
    return json_pack("{s:b, s:b, s:i}", "enrolled", t->confirmed, "pending",
                     !t->confirmed && t->secret[0], "recovery_left", t->recovery_left);
}

void h_totp_status(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct user_totp t;
    struct err e = {0};
    if (store_totp_get(req_store(r), r->sess->user.username, &t, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, status_json(&t));
}

void h_totp_begin(struct req *r)
{
    static const struct jfield spec[] = {{NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    const char *username = r->sess->user.username;
    struct user_totp t;
    struct err e = {0};
    if (store_totp_get(req_store(r), username, &t, &e)) {
        reply_err(r, &e);
        return;
    }
    if (t.confirmed) {
        reply_error(r, 409, "conflict", "totp",
                    "a second factor is enrolled already; an administrator resets it first");
        return;
    }
    char secret[TOTP_SECRET_MAX], uri[512];
    if (totp_new_secret(secret, &e) || store_totp_begin(req_store(r), username, secret, &e)) {
        reply_err(r, &e);
        return;
    }
    char *svg = NULL;
    if (totp_uri(username, secret, uri, sizeof uri) || !(svg = totp_qr_svg(uri))) {
        reply_error(r, 500, "internal", NULL, "could not draw the QR code");
        return;
    }
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:s, s:i}", "secret", secret, "uri", uri, "qr_svg", svg,
                         "period", TOTP_STEP));
    free(svg);
}

void h_totp_confirm(struct req *r)
{
    static const struct jfield spec[] = {{"code", JT_STRING, 1, 1, 32}, {NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const char *username = r->sess->user.username, *code = jget_str(body, "code");
    int retry = 0;
    if (dblimit_blocked(r, "tc", username, &retry, NULL)) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
        reply_error(r, 429, "rate_limited", NULL, "too many wrong codes; try again in %d seconds",
                    retry > 0 ? retry : 1);
        return;
    }
    struct user_totp t;
    struct err e = {0};
    if (store_totp_get(req_store(r), username, &t, &e)) {
        reply_err(r, &e);
        return;
    }
    if (t.confirmed || !t.secret[0]) {
        reply_error(r, 409, "conflict", "totp",
                    t.confirmed ? "a second factor is enrolled already"
                                : "no second factor waits for confirmation: enrol first");
        return;
    }
    int64_t step = 0;
    if (!totp_code_ok(t.secret, code, now_unix(), &step)) {
        dblimit_fail(r, "tc", username, req_config(r)->login_max_failures);
        reply_error(r, 400, "totp_invalid", "code",
                    "wrong code: type the 6 digits the app shows now");
        return;
    }
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_LEN], hashes[TOTP_RECOVERY_CODES][128];
    const char *hp[TOTP_RECOVERY_CODES];
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        hp[i] = hashes[i];
    if (totp_recovery_new(codes, hashes, TOTP_RECOVERY_CODES, &e) ||
        store_totp_confirm(req_store(r), username, step, hp, TOTP_RECOVERY_CODES, &e)) {
        reply_err(r, &e);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(codes[i]));
    sodium_memzero(codes, sizeof codes);
    dblimit_reset(r, "tc", username);
    reply_json(r, 200, json_pack("{s:b, s:o}", "enrolled", 1, "recovery_codes", list));
}
