/* auth.c — accounts over HTTP: sign-in (POST /api/session) with rate limits per client
 * address and per username, sessions as random tokens in an HttpOnly SameSite=Strict cookie
 * (stored only as a hash), the CSRF token every state-changing request repeats in
 * X-CSRF-Token, sign-out, and the unit-scope test the resource files use: a user's scope is
 * its unit's subtree as of today; a dossier of a merged unit counts under its successor. */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "dblimit.h"
#include "http.h"
#include "readcache.h"
#include "server_int.h"
#include "store.h"
#include "store_login.h"
#include "totp.h"

#define SESSION_COOKIE "cchc_session"
#define CSRF_COOKIE    "cchc_csrf"
#define DEVICE_COOKIE  "cchc_device"
#define TOKEN_BYTES    32
#define TOKEN_B64_LEN  43 /* base64url, no padding */

int auth_init(struct err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "sodium", "libsodium failed to start");
    return 0;
}

int auth_hash_password(const char *password, char out[USER_PWHASH_MAX], struct err *e)
{
    int rc = password_check(password, "password", e);
    if (rc) return rc;
    if ((rc = auth_init(e))) return rc;
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return err_set(e, ERR_NOMEM, "password", "hashing the password ran out of memory");
    return 0;
}

int auth_password_matches(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A random token in base64url (TOKEN_B64_LEN chars + NUL). */
static void random_token(char out[TOKEN_B64_LEN + 1])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_B64_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* Hex BLAKE2b-256 of the token: the form the database keeps. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int token_shape_ok(const char *t)
{
    if (!t || strlen(t) != TOKEN_B64_LEN) return 0;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return 0;
    return 1;
}

int auth_load_session(struct req *r)
{
    const char *token = req_cookie(r, SESSION_COOKIE);
    if (!token_shape_ok(token)) return -1;
    struct session_info *si = arena_alloc(r->arena, sizeof *si);
    struct store *s = req_store(r);
    if (!si || !s) return -1;
    token_hash(token, si->token_hash);
    /* the read cache (readcache.h): a sign-out or a purge drops the session, a change to any
     * user every session; the expiry is checked here */
    struct readcache *rc = req_read_cache(r);
    struct {
        struct user user;
        char csrf[sizeof si->csrf];
        int64_t expires_at;
    } kept;
    char key[80];
    snprintf(key, sizeof key, "s:%s", si->token_hash);
    int64_t now = now_unix();
    memset(&kept, 0, sizeof kept);
    if (rc && readcache_get(rc, key, &kept, sizeof kept) && kept.expires_at > now) {
        si->user = kept.user;
        memcpy(si->csrf, kept.csrf, sizeof si->csrf);
        r->sess = si;
        return 0;
    }
    struct err e = {0};
    if (store_session_get_until(s, si->token_hash, now, &si->user, si->csrf, sizeof si->csrf,
                                &kept.expires_at, &e))
        return -1;
    if (rc) {
        kept.user = si->user;
        memcpy(kept.csrf, si->csrf, sizeof kept.csrf);
        readcache_put(rc, r->rc_ticket, key, &kept, sizeof kept);
    }
    r->sess = si;
    return 0;
}

int auth_csrf_ok(struct req *r)
{
    const char *h = req_header(r, "X-CSRF-Token");
    if (!r->sess || !h) return 0;
    size_t n = strlen(r->sess->csrf);
    return n && strlen(h) == n && sodium_memcmp(h, r->sess->csrf, n) == 0;
}

/* Per-request memo of "unit X lies under root R" answers: listing a page of dossiers asks
 * the same few units again and again. */
#define MEMO_MAX 128
struct scope_memo {
    int n;
    struct {
        char unit[UNIT_CODE_MAX], root[UNIT_CODE_MAX];
        int under;
    } e[MEMO_MAX];
};

static int walk_under(struct req *r, const char *unit_code, const char *root)
{
    struct store *s = req_store(r);
    struct err e = {0};
    struct unit u;
    int rc = store_unit_resolve(s, unit_code, today_local(), &u, &e);
    for (int depth = 0; !rc && depth < 64; depth++) {
        if (!strcmp(u.code, root)) return 1;
        if (!u.parent[0]) return 0;
        char parent[UNIT_CODE_MAX];
        memcpy(parent, u.parent, sizeof parent);
        rc = store_unit_get(s, parent, &u, &e);
    }
    return rc && rc != ERR_NOT_FOUND ? -1 : 0; /* -1: the database failed, no answer */
}

int auth_unit_under(struct req *r, const char *unit_code, const char *root)
{
    if (!unit_code || !*unit_code || !root || !*root) return 0;
    if (strlen(unit_code) >= UNIT_CODE_MAX || strlen(root) >= UNIT_CODE_MAX) return 0;
    struct scope_memo *m = r->scope_memo;
    if (!m) m = r->scope_memo = arena_alloc(r->arena, sizeof *m);
    for (int i = 0; m && i < m->n; i++)
        if (!strcmp(m->e[i].unit, unit_code) && !strcmp(m->e[i].root, root)) return m->e[i].under;
    /* the server's cache (readcache.h) of the same answers, for today: a change to the units
     * drops it (units_version, migration 055) */
    struct readcache *rc = req_read_cache(r);
    char key[2 * UNIT_CODE_MAX + 40];
    int under;
    snprintf(key, sizeof key, "u:%lld:%s:%s", (long long)today_local(), unit_code, root);
    if (!rc || !readcache_get(rc, key, &under, sizeof under)) {
        under = walk_under(r, unit_code, root);
        if (under < 0) return 0; /* neither kept nor memoised */
        if (rc) readcache_put(rc, r->rc_ticket, key, &under, sizeof under);
    }
    if (m && m->n < MEMO_MAX) {
        strcpy(m->e[m->n].unit, unit_code);
        strcpy(m->e[m->n].root, root);
        m->e[m->n++].under = under;
    }
    return under;
}

int auth_scope_root_valid(struct req *r)
{
    if (!r->sess || !user_role_scoped(r->sess->user.role)) return 0;
    struct readcache *rc = req_read_cache(r);
    char key[UNIT_CODE_MAX + 40];
    int64_t today = today_local();
    int valid;
    snprintf(key, sizeof key, "r:%lld:%s", (long long)today, r->sess->user.unit);
    if (rc && readcache_get(rc, key, &valid, sizeof valid)) return valid;
    struct unit scope;
    struct err e = {0};
    int rcode = store_unit_get(req_store(r), r->sess->user.unit, &scope, &e);
    valid = !rcode && unit_valid_on(&scope, today);
    /* a failed read is not an answer to keep */
    if (rc && (!rcode || rcode == ERR_NOT_FOUND))
        readcache_put(rc, r->rc_ticket, key, &valid, sizeof valid);
    return valid;
}

int auth_scope_covers(struct req *r, const char *unit_code)
{
    if (!auth_scope_root_valid(r)) return 0;
    return auth_unit_under(r, unit_code, r->sess->user.unit);
}

/* --- the session resource --- */

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:o, s:o, s:s, s:s, s:o}", "username", jstr(u->username), "full_name",
                     jstr(u->full_name), "role", user_role_name(u->role), "role_label",
                     user_role_label(u->role), "unit", jstr_or_null(u->unit));
}

static void set_cookies(struct req *r, const char *token, const char *csrf, int64_t max_age)
{
    const char *secure = req_config(r)->cookie_secure ? "; Secure" : "";
    reply_header(r, "Set-Cookie",
                 arena_printf(r->arena,
                              SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
                                             "Max-Age=%lld%s",
                              token, (long long)max_age, secure));
    /* Readable by the page's script, which repeats it in X-CSRF-Token (double submit). */
    reply_header(r, "Set-Cookie",
                 arena_printf(r->arena, CSRF_COOKIE "=%s; SameSite=Strict; Path=/; Max-Age=%lld%s",
                              csrf, (long long)max_age, secure));
}

static int limited(struct req *r, const char *kind, const char *value)
{
    int retry = 0;
    if (!dblimit_blocked(r, kind, value, &retry, NULL)) return 0;
    reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
    reply_error(r, 429, "rate_limited", NULL, "too many failed attempts; try again in %d seconds",
                retry > 0 ? retry : 1);
    return 1;
}

/* The known-device cookie of username: hex HMAC-SHA-256 under the database's device key. A
 * browser that signed in as username carries it; the username-wide lock spares it. */
static void device_mac(const struct server *srv, const char *username, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, srv->device_key, sizeof srv->device_key);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)username, strlen(username));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof mac);
}

static int known_device(struct req *r, const char *username)
{
    const char *c = req_cookie(r, DEVICE_COOKIE);
    char want[65];
    device_mac(r->srv, username, want);
    return c && strlen(c) == 64 && !sodium_memcmp(c, want, 64);
}

/* The username-wide lock (login_max_failures_user failures from all addresses, counted in
 * the database by every server): 1 if it holds for this request, 0 if it is off, lifted by
 * `cchc user unlock` since it began, or spared because the request comes from a device the
 * user signed in from before. A second factor lifts it too (h_login). */
static int user_locked(struct req *r, const char *username, int *retry)
{
    int64_t start = 0, unlocked = 0;
    if (!dblimit_blocked(r, "u", username, retry, &start)) return 0;
    struct err e = {0};
    if (!store_user_unlocked_at(req_store(r), username, &unlocked, &e) && unlocked >= start) {
        dblimit_reset(r, "u", username);
        return 0;
    }
    return !known_device(r, username);
}

static void reply_user_locked(struct req *r, int retry)
{
    reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
    reply_error(r, 429, "rate_limited", NULL,
                "too many failed sign-ins for this account from several addresses; sign in "
                "from a device you used before or with your second-factor code, try again in "
                "%d seconds, or ask an administrator to unlock it",
                retry > 0 ? retry : 1);
}

/* Opens a session for u: the cookies, the known-device cookie and the answer. */
static void open_session(struct req *r, const struct user *u)
{
    char token[TOKEN_B64_LEN + 1], csrf[TOKEN_B64_LEN + 1], th[65];
    random_token(token);
    random_token(csrf);
    token_hash(token, th);
    struct err e = {0};
    int64_t now = now_unix(), ttl = req_config(r)->session_minutes * 60;
    store_session_purge(req_store(r), now, NULL);
    if (store_session_add(req_store(r), th, u->username, csrf, now, now + ttl, &e)) {
        reply_err(r, &e);
        return;
    }
    set_cookies(r, token, csrf, ttl);
    char dev[65];
    device_mac(r->srv, u->username, dev);
    reply_header(r, "Set-Cookie",
                 arena_printf(r->arena,
                              DEVICE_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/api/session; "
                                            "Max-Age=31536000%s",
                              dev, req_config(r)->cookie_secure ? "; Secure" : ""));
    reply_json(r, 200,
               json_pack("{s:o, s:s, s:I}", "user", user_json(u), "csrf", csrf, "expires_in",
                         (json_int_t)ttl));
}

void h_login(struct req *r)
{
    static const struct jfield spec[] = {
        {"username", JT_STRING, 1, 1, USERNAME_MAX - 1},
        {"password", JT_STRING, 1, 1, USER_PASSWORD_MAX},
        {"code", JT_STRING, 0, 1, 32},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    const struct serve_config *cfg = req_config(r);
    const char *username = jget_str(body, "username"), *password = jget_str(body, "password");
    const char *code = jget_str(body, "code");
    char akey[USERNAME_MAX + 80], nkey[64];
    snprintf(akey, sizeof akey, "%s|%s", r->ip, username);
    ratelimit_net_key(r->ip, nkey, sizeof nkey);
    /* A guessing address is locked out for the username it guesses (login_max_failures), and
     * its address and network for all (…_ip, …_net); the owner elsewhere is not. */
    if (limited(r, "ip", r->ip) || limited(r, "net", nkey) || limited(r, "au", akey)) return;
    int retry = 0, locked = user_locked(r, username, &retry);
    if (locked && !code) {
        reply_user_locked(r, retry);
        return;
    }

    struct user u;
    char hash[USER_PWHASH_MAX];
    struct err e = {0};
    int rc = store_user_get(req_store(r), username, &u, hash, sizeof hash, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return;
    }
    int ok;
    if (rc == ERR_NOT_FOUND) {
        /* Spend the same time as a real check, so timing does not tell who exists. */
        char dummy[USER_PWHASH_MAX];
        int spent =
            crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
        (void)spent; /* refused whatever it returned */
        ok = 0;
    } else {
        ok = auth_password_matches(hash, password) && !u.disabled;
    }
    struct user_totp t = {0};
    if (ok && (rc = store_totp_get(req_store(r), username, &t, &e))) {
        reply_err(r, &e);
        return;
    }
    if (ok && !t.confirmed && locked) { /* no second factor to lift the lock with */
        reply_user_locked(r, retry);
        return;
    }
    if (ok && t.confirmed && !code) {
        /* The password was right: not a failure, but nothing opens without the code. */
        reply_error(r, 401, "totp_required", "code",
                    "this account has a second factor: send the 6-digit code of the app "
                    "(or a recovery code) as 'code'");
        return;
    }
    int code_bad = 0;
    struct err ce = {0};
    if (ok && t.confirmed && totp_login_check(req_store(r), username, &t, code, now_unix(), &ce)) {
        ok = 0;
        code_bad = 1;
    }
    if (!ok) {
        dblimit_fail(r, "ip", r->ip, cfg->login_max_failures_ip);
        dblimit_fail(r, "net", nkey, cfg->login_max_failures_net);
        dblimit_fail(r, "au", akey, cfg->login_max_failures);
        dblimit_fail(r, "u", username, cfg->login_max_failures_user);
        if (locked)
            reply_user_locked(r, retry);
        else if (code_bad)
            reply_error(r, 401, "totp_invalid", "code", "%s", ce.msg);
        else
            reply_error(r, 401, "invalid_credentials", NULL, "wrong username or password");
        return;
    }
    if (u.role == UROLE_ADMIN && cfg->totp_admin_required && !t.confirmed) {
        reply_error(r, 403, "totp_enrol_required", "code",
                    "administrators sign in with a second factor here: enrol first with 'cchc "
                    "user totp enrol %s'",
                    u.username);
        return;
    }
    dblimit_reset(r, "au", akey);
    dblimit_reset(r, "u", username);
    open_session(r, &u);
}

void h_whoami(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    reply_json(r, 200,
               json_pack("{s:o, s:s}", "user", user_json(&r->sess->user), "csrf", r->sess->csrf));
}

void h_logout(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct err e = {0};
    if (store_session_delete(req_store(r), r->sess->token_hash, &e)) {
        reply_err(r, &e);
        return;
    }
    set_cookies(r, "", "", 0);
    reply_json(r, 200, json_pack("{s:s}", "status", "signed_out"));
}

int auth_metrics_refused(struct req *r)
{
    const char *token = r->srv->cfg.metrics_token;
    if (!token[0]) {
        reply_error(r, 404, "not_found", NULL, "no such resource");
        return 1;
    }
    const char *h = req_header(r, "Authorization");
    size_t n = strlen(token);
    if (h && !strncmp(h, "Bearer ", 7) && strlen(h + 7) == n && !sodium_memcmp(h + 7, token, n))
        return 0;
    reply_header(r, "WWW-Authenticate", "Bearer");
    reply_error(r, 401, "unauthorized", "Authorization",
                "send the metrics token as 'Authorization: Bearer TOKEN'");
    return 1;
}
