/* notify.c — the citizen's identity by one-time code and the public side of notifications
 * (issue 16, docs/notify.md): POST /api/public/otp creates a code and puts it in the outbox,
 * POST /api/public/otp/verify turns a right code into the cchc_citizen session cookie
 * (citizen_auth.h). Codes are rate-limited per contact (in the database, so every server
 * behind a load balancer counts the same) and per client address (in this process). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "citizen_auth.h"
#include "http.h"
#include "ratelimit.h"
#include "server_int.h"
#include "store_notify.h"

#define OTP_PER_CONTACT   5    /* codes per contact per OTP_WINDOW */
#define OTP_PER_IP        30   /* code requests per client address per OTP_WINDOW */
#define OTP_WINDOW        3600 /* seconds */
#define CITIZEN_SESSION_S 3600 /* a confirmed citizen stays signed in an hour */

static pthread_once_t limits_once = PTHREAD_ONCE_INIT;
static struct ratelimit *otp_ip;

static void limits_init(void)
{
    otp_ip = ratelimit_new(8192, OTP_PER_IP, OTP_WINDOW);
}

/* Counts one request from the client's address; 1 (and 429 replied) when it has used up its
 * requests. A table that could not be made refuses (fail closed). */
static int ip_limited(struct req *r, struct ratelimit *rl, const char *what)
{
    int64_t now = now_unix();
    int retry = 0;
    if (!rl || ratelimit_blocked(rl, r->ip, now, &retry)) {
        if (retry < 1) retry = 60;
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry));
        reply_error(r, 429, "rate_limited", NULL, "too many %s; try again in %d seconds", what,
                    retry);
        return 1;
    }
    ratelimit_fail(rl, r->ip, now);
    return 0;
}

/* Reads and normalises the body's "contact"; 400 naming the field and rule when bad. */
static int body_contact(struct req *r, json_t *body, char *out, size_t n)
{
    struct err e = {0};
    if (notify_contact_normalize(jget_str(body, "contact"), out, n, NULL, "contact", &e)) {
        reply_err(r, &e);
        return -1;
    }
    return 0;
}

void h_otp_request(struct req *r)
{
    static const struct jfield spec[] = {{"contact", JT_STRING, 1, 1, NOTIFY_CONTACT_MAX - 1},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    char contact[NOTIFY_CONTACT_MAX];
    if (req_body_json(r, spec, &body) || body_contact(r, body, contact, sizeof contact)) return;
    pthread_once(&limits_once, limits_init);
    if (ip_limited(r, otp_ip, "code requests from this address")) return;
    struct store *s = req_store(r);
    struct err e = {0};
    int limited = 0;
    if (!s || store_otp_create(s, contact, now_unix(), OTP_PER_CONTACT, OTP_WINDOW, &limited, &e)) {
        reply_err(r, &e);
        return;
    }
    if (limited) {
        reply_header(r, "Retry-After", "600");
        reply_error(r, 429, "rate_limited", "contact",
                    "too many codes sent to this contact; try again in 600 seconds");
        return;
    }
    reply_json(r, 202,
               json_pack("{s:s, s:i}", "status", "sent", "expires_in", (int)OTP_TTL_SECONDS));
}

void h_otp_verify(struct req *r)
{
    static const struct jfield spec[] = {{"contact", JT_STRING, 1, 1, NOTIFY_CONTACT_MAX - 1},
                                         {"code", JT_STRING, 1, 1, 16},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    char contact[NOTIFY_CONTACT_MAX], token[CITIZEN_TOKEN_HEX + 1];
    if (req_body_json(r, spec, &body) || body_contact(r, body, contact, sizeof contact)) return;
    struct store *s = req_store(r);
    struct err e = {0};
    if (!s || store_otp_verify(s, contact, jget_str(body, "code"), now_unix(), CITIZEN_SESSION_S,
                               token, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_header(r, "Set-Cookie",
                 arena_printf(r->arena,
                              CITIZEN_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
                                             "Max-Age=%d%s",
                              token, CITIZEN_SESSION_S,
                              req_config(r)->cookie_secure ? "; Secure" : ""));
    reply_json(r, 200, json_pack("{s:s}", "contact", contact));
}

int citizen_session_contact(struct req *r, char *out, size_t n)
{
    if (n) out[0] = '\0';
    const char *tok = req_cookie(r, CITIZEN_COOKIE);
    struct store *s;
    if (!tok || !*tok || !(s = req_store(r))) return 0;
    if (store_citizen_session(s, tok, now_unix(), out, n, NULL)) {
        if (n) out[0] = '\0';
        return 0;
    }
    return 1;
}

void h_citizen_whoami(struct req *r)
{
    char contact[NOTIFY_CONTACT_MAX];
    if (!citizen_session_contact(r, contact, sizeof contact)) {
        reply_error(r, 401, "unauthorized", NULL,
                    "no confirmed citizen session: confirm a phone or e-mail first");
        return;
    }
    reply_json(r, 200, json_pack("{s:s}", "contact", contact));
}
