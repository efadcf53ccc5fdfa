/* notify.c — the citizen's identity by one-time code and the public side of notifications
 * (issue 16, docs/notify.md): POST /api/public/otp creates a code and puts it in the outbox,
 * POST /api/public/otp/verify turns a right code into the cchc_citizen session cookie
 * (citizen_auth.h). Codes are rate-limited per contact (in the database, so every server
 * behind a load balancer counts the same) and per client address (in this process). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- opt-out and the lost code ---- */

#define LOST_PER_CONTACT 3  /* lost-code messages per contact per OTP_WINDOW */
#define LOST_PER_IP      10 /* lost-code requests per client address per OTP_WINDOW */

static pthread_once_t lost_once = PTHREAD_ONCE_INIT;
static struct ratelimit *lost_ip;

static void lost_init(void)
{
    lost_ip = ratelimit_new(8192, LOST_PER_IP, OTP_WINDOW);
}

/* The same text whether or not the contact has dossiers, so the answer reveals nothing. */
static const char LOST_TEXT_VI[] =
    "Nếu số điện thoại hoặc địa chỉ thư điện tử này đã được ghi trong hồ sơ, mã hồ sơ sẽ được "
    "gửi đến đó trong ít phút.";

void h_lost_code(struct req *r)
{
    static const struct jfield spec[] = {{"contact", JT_STRING, 1, 1, NOTIFY_CONTACT_MAX - 1},
                                         {NULL, 0, 0, 0, 0}};
    json_t *body;
    char contact[NOTIFY_CONTACT_MAX];
    if (req_body_json(r, spec, &body) || body_contact(r, body, contact, sizeof contact)) return;
    pthread_once(&lost_once, lost_init);
    if (ip_limited(r, lost_ip, "requests from this address")) return;
    struct store *s = req_store(r);
    struct err e = {0};
    int found = 0, limited = 0;
    if (!s || store_lost_code(s, contact, now_unix(), LOST_PER_CONTACT, OTP_WINDOW, &found,
                              &limited, &e)) {
        reply_err(r, &e);
        return;
    }
    /* found and limited stay on the server: the answer is the same for every contact */
    reply_json(r, 202, json_pack("{s:s, s:s}", "status", "accepted", "message", LOST_TEXT_VI));
}

void h_optout(struct req *r)
{
    static const struct jfield spec[] = {{"token", JT_STRING, 0, 1, 64}, {NULL, 0, 0, 0, 0}};
    json_t *body;
    if (req_body_json_opt(r, spec, &body)) return;
    const char *token = jget_str(body, "token");
    char contact[NOTIFY_CONTACT_MAX];
    struct store *s = req_store(r);
    struct err e = {0};
    if (!s) {
        reply_err(r, &e);
        return;
    }
    if (token) {
        if (store_notify_optout_token(s, token, now_unix(), contact, sizeof contact, &e)) {
            reply_err(r, &e);
            return;
        }
    } else if (!citizen_session_contact(r, contact, sizeof contact)) {
        reply_error(r, 401, "unauthorized", "token",
                    "give the unsubscribe token of a message, or confirm the contact first "
                    "(POST /api/public/otp)");
        return;
    } else if (store_notify_optout(s, contact, "session", now_unix(), &e)) {
        reply_err(r, &e);
        return;
    }
    char masked[NOTIFY_CONTACT_MAX];
    reply_json(r, 200,
               json_pack("{s:s, s:b}", "contact",
                         notify_contact_mask(contact, masked, sizeof masked), "opted_out", 1));
}

/* ---- the operators' view of the outbox ---- */

static int row_json(const struct outbox_row *o, void *ctx)
{
    char masked[NOTIFY_CONTACT_MAX];
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:o, s:I, s:I, s:I}", "id", (json_int_t)o->id,
        "msg_id", o->msg_id, "event", o->event, "channel", o->channel, "state", o->state, "to",
        o->recipient[0] ? jstr(notify_contact_mask(o->recipient, masked, sizeof masked))
                        : json_null(),
        "dossier", jstr_or_null(o->dossier_code), "attempts", o->attempts, "reason",
        jstr_or_null(o->reason), "created_at", (json_int_t)o->created_at, "next_at",
        (json_int_t)o->next_at, "sent_at", (json_int_t)o->sent_at);
    return json_array_append_new(ctx, j);
}

static void outbox_reply(struct req *r, const char *state)
{
    static const char *const allowed[] = {"state", "limit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *q = req_query(r, "state");
    if (q && strcmp(q, "pending") && strcmp(q, "sent") && strcmp(q, "failed") &&
        strcmp(q, "dead") && strcmp(q, "skipped")) {
        reply_error(r, 400, "invalid", "state",
                    "state '%s': must be pending, sent, failed, dead or skipped", q);
        return;
    }
    if (!state) state = q;
    const char *ls = req_query(r, "limit");
    char *end = NULL;
    long limit = ls ? strtol(ls, &end, 10) : 100;
    if (ls && (!*ls || *end || limit < 1 || limit > 1000)) {
        reply_error(r, 400, "invalid", "limit", "limit '%s': must be a whole number 1 to 1000", ls);
        return;
    }
    struct store *s = req_store(r);
    struct err e = {0};
    int64_t c[5];
    json_t *items = json_array();
    if (!s || store_outbox_counts(s, c, &e) ||
        store_outbox_list(s, state, (int)limit, row_json, items, &e)) {
        json_decref(items);
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:{s:I, s:I, s:I, s:I, s:I}, s:o}", "counts", "pending",
                         (json_int_t)c[0], "sent", (json_int_t)c[1], "failed", (json_int_t)c[2],
                         "dead", (json_int_t)c[3], "skipped", (json_int_t)c[4], "items", items));
}

void h_outbox_list(struct req *r)
{
    outbox_reply(r, NULL);
}

void h_outbox_dead(struct req *r)
{
    outbox_reply(r, "dead");
}

void h_outbox_replay(struct req *r)
{
    const char *id = req_param(r, "id");
    char *end = NULL;
    long long v = id ? strtoll(id, &end, 10) : 0;
    if (!id || !*id || *end || v < 1) {
        reply_error(r, 404, "not_found", "id", "no message '%s'", id ? id : "");
        return;
    }
    struct store *s = req_store(r);
    struct err e = {0};
    if (!s || store_outbox_replay(s, v, now_unix(), &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)v, "state", "pending"));
}
