/* login_store.c — the rows of store_login.h on both backends: shared failure counters (one
 * UPSERT whose arithmetic decides window, lock and growth, so two servers counting at once
 * never lose a failure), shared keys, and each account's TOTP secret and recovery codes. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "sqlite_int.h"
#include "store_login.h"

static const char SQL_KEY_ADD[] =
    "INSERT INTO server_keys (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING";
static const char SQL_KEY_GET[] = "SELECT value FROM server_keys WHERE name = ?1";

int store_server_key(struct store *s, const char *name, unsigned char *out, size_t n, struct err *e)
{
    if (n > 64) return err_set(e, ERR_INVALID, "key", "a shared key holds at most 64 bytes");
    unsigned char raw[64];
    char hex[129];
    randombytes_buf(raw, n);
    sodium_bin2hex(hex, sizeof hex, raw, n);
    sodium_memzero(raw, sizeof raw);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_KEY_ADD, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, hex);
    rc = sq_step_done(s, st, "writing a shared key", e);
    sq_done(s, st);
    sodium_memzero(hex, sizeof hex);
    if (rc) return rc;
    if ((rc = sq_prep(s, SQL_KEY_GET, &st, e))) return rc;
    db_bind_text(st, 1, name);
    int step = db_step(st);
    if (step != DB_ROW) {
        rc = step == DB_DONE ? err_set(e, ERR_IO, "key", "shared key '%s' vanished", name)
                             : sq_fail(s, step, "reading a shared key", e);
    } else {
        const char *v = db_col_text(st, 0);
        size_t got = 0;
        if (!v || sodium_hex2bin(out, n, v, strlen(v), NULL, &got, NULL) || got != n)
            rc = err_set(e, ERR_IO, "key", "shared key '%s' is not %zu hex bytes", name, n);
    }
    sq_done(s, st);
    return rc;
}

static const char SQL_LIMIT_GET[] =
    "SELECT win_start, fails, lock_until, lock_len FROM rate_limits WHERE k = ?1";

int store_limit_get(struct store *s, const char *k, struct limit_row *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIMIT_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, k);
    int step = db_step(st);
    if (step == DB_ROW) {
        out->win_start = db_col_int64(st, 0);
        out->fails = (int)db_col_int64(st, 1);
        out->lock_until = db_col_int64(st, 2);
        out->lock_len = db_col_int64(st, 3);
    } else if (step != DB_DONE) {
        rc = sq_fail(s, step, "reading a rate limit", e);
    }
    sq_done(s, st);
    return rc;
}

static const char SQL_LIMIT_GET3[] = "SELECT k, win_start, fails, lock_until, lock_len "
                                     "FROM rate_limits WHERE k IN (?1, ?2, ?3)";
/* The same with units_version (sq_units_version_wanted) in every row, and one row of NULLs
 * but for it when no key has a row. */
static const char SQL_LIMIT_GET3_V[] =
    "SELECT r.k, r.win_start, r.fails, r.lock_until, r.lock_len, v.n "
    "FROM units_version v LEFT JOIN rate_limits r ON r.k IN (?1, ?2, ?3) WHERE v.id = 1";

int store_limit_get3(struct store *s, const char *const k[3], struct limit_row out[3],
                     struct err *e)
{
    memset(out, 0, 3 * sizeof *out);
    struct db_stmt *st;
    int with_version = sq_units_version_wanted(s);
    int rc = sq_prep(s, with_version ? SQL_LIMIT_GET3_V : SQL_LIMIT_GET3, &st, e), step;
    if (rc) return rc;
    for (int i = 0; i < 3; i++)
        db_bind_text(st, i + 1, k[i]);
    while ((step = db_step(st)) == DB_ROW) {
        if (with_version && !db_col_null(st, 5)) sq_units_version_seen(s, db_col_int64(st, 5));
        const char *key = db_col_null(st, 0) ? NULL : db_col_text(st, 0);
        for (int i = 0; key && i < 3; i++) {
            if (strcmp(key, k[i])) continue;
            out[i].win_start = db_col_int64(st, 1);
            out[i].fails = (int)db_col_int64(st, 2);
            out[i].lock_until = db_col_int64(st, 3);
            out[i].lock_len = db_col_int64(st, 4);
        }
    }
    if (step != DB_DONE) rc = sq_fail(s, step, "reading rate limits", e);
    sq_done(s, st);
    return rc;
}

/* ?1 key, ?2 now, ?3 window, ?4 max failures, ?5 longest lock. In the UPDATE every
 * rate_limits.x is the row before it: E "the window is over", N the window's failures with
 * this one, L "this failure locks", LEN the new lock's length (doubled when the last lock
 * ended less than a day ago). */
#define P_NOW    "CAST(?2 AS BIGINT)"
#define P_WIN    "CAST(?3 AS BIGINT)"
#define P_MAX    "CAST(?4 AS BIGINT)"
#define P_CAP    "CAST(?5 AS BIGINT)"
#define FIRSTLEN "(CASE WHEN " P_WIN " > " P_CAP " THEN " P_CAP " ELSE " P_WIN " END)"
#define E        "(rate_limits.win_start + " P_WIN " <= " P_NOW ")"
#define N        "(CASE WHEN " E " THEN 1 ELSE rate_limits.fails + 1 END)"
#define L        "(" N " >= " P_MAX ")"
#define LEN                                                                                        \
    "(CASE WHEN rate_limits.lock_len > 0 AND rate_limits.lock_until + 86400 > " P_NOW              \
    " THEN (CASE WHEN rate_limits.lock_len * 2 > " P_CAP " THEN " P_CAP                            \
    " ELSE rate_limits.lock_len * 2 END) ELSE " FIRSTLEN " END)"
static const char SQL_LIMIT_FAIL[] =
    "INSERT INTO rate_limits (k, win_start, fails, lock_until, lock_len) VALUES (?1, "
    "CASE WHEN 1 >= " P_MAX " THEN " P_NOW " + " FIRSTLEN " ELSE " P_NOW " END, "
    "CASE WHEN 1 >= " P_MAX " THEN 0 ELSE 1 END, "
    "CASE WHEN 1 >= " P_MAX " THEN " P_NOW " + " FIRSTLEN " ELSE 0 END, "
    "CASE WHEN 1 >= " P_MAX " THEN " FIRSTLEN " ELSE 0 END) "
    "ON CONFLICT (k) DO UPDATE SET "
    "fails = CASE WHEN " L " THEN 0 ELSE " N " END, "
    "win_start = CASE WHEN " L " THEN " P_NOW " + " LEN " WHEN " E " THEN " P_NOW
    " ELSE rate_limits.win_start END, "
    "lock_until = CASE WHEN " L " THEN " P_NOW " + " LEN " ELSE rate_limits.lock_until END, "
    "lock_len = CASE WHEN " L " THEN " LEN " ELSE rate_limits.lock_len END";
#undef E
#undef N
#undef L
#undef LEN

int store_limit_fail(struct store *s, const char *k, int64_t now, int64_t window, int64_t max,
                     int64_t cap, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIMIT_FAIL, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, k);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, window);
    db_bind_int64(st, 4, max);
    db_bind_int64(st, 5, cap);
    rc = sq_step_done(s, st, "counting a failure", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_LIMIT_RESET[] =
    "UPDATE rate_limits SET fails = 0, win_start = CAST(?2 AS BIGINT), "
    "lock_until = CASE WHEN lock_until > CAST(?2 AS BIGINT) THEN CAST(?2 AS BIGINT) "
    "ELSE lock_until END WHERE k = ?1";
static const char SQL_LIMIT_PURGE[] =
    "DELETE FROM rate_limits WHERE lock_until < CAST(?1 AS BIGINT) "
    "AND win_start < CAST(?1 AS BIGINT)";

int store_limit_reset(struct store *s, const char *k, int64_t now, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIMIT_RESET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, k);
    db_bind_int64(st, 2, now);
    rc = sq_step_done(s, st, "resetting a rate limit", e);
    sq_done(s, st);
    return rc;
}

int store_limit_purge(struct store *s, int64_t before, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIMIT_PURGE, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, before);
    rc = sq_step_done(s, st, "purging rate limits", e);
    sq_done(s, st);
    return rc;
}

/* --- the second factor --- */

static const char SQL_TOTP_GET[] =
    "SELECT totp_secret, totp_confirmed, totp_last_step, (SELECT COUNT(*) FROM "
    "user_recovery_codes c WHERE c.username = u.username AND c.used_at IS NULL) "
    "FROM users u WHERE username = ?1";
static const char SQL_TOTP_BEGIN[] =
    "UPDATE users SET totp_secret = ?2, totp_confirmed = 0, totp_last_step = 0 "
    "WHERE username = ?1";
static const char SQL_TOTP_CONFIRM[] =
    "UPDATE users SET totp_confirmed = 1, totp_last_step = CAST(?2 AS BIGINT) "
    "WHERE username = ?1 AND totp_secret IS NOT NULL AND totp_confirmed = 0";
static const char SQL_TOTP_STEP[] =
    "UPDATE users SET totp_last_step = CAST(?2 AS BIGINT) "
    "WHERE username = ?1 AND totp_confirmed = 1 AND totp_last_step < CAST(?2 AS BIGINT)";
static const char SQL_TOTP_RESET[] =
    "UPDATE users SET totp_secret = NULL, totp_confirmed = 0, totp_last_step = 0 "
    "WHERE username = ?1";
static const char SQL_CODES_DELETE[] = "DELETE FROM user_recovery_codes WHERE username = ?1";
static const char SQL_CODE_ADD[] =
    "INSERT INTO user_recovery_codes (username, code_hash) VALUES (?1, ?2)";
static const char SQL_CODES_LIST[] =
    "SELECT code_hash FROM user_recovery_codes WHERE username = ?1 AND used_at IS NULL";
static const char SQL_CODE_USE[] = "UPDATE user_recovery_codes SET used_at = CAST(?3 AS BIGINT) "
                                   "WHERE username = ?1 AND code_hash = ?2 AND used_at IS NULL";

int store_totp_get(struct store *s, const char *username, struct user_totp *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TOTP_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    int step = db_step(st);
    if (step == DB_ROW) {
        sq_col_text(st, 0, out->secret, sizeof out->secret);
        out->confirmed = (int)db_col_int64(st, 1);
        out->last_step = db_col_int64(st, 2);
        out->recovery_left = (int)db_col_int64(st, 3);
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", username);
    } else {
        rc = sq_fail(s, step, "reading user", e);
    }
    sq_done(s, st);
    return rc;
}

/* Runs a statement on (username[, text][, num]); *changed gets the rows it changed. */
static int run_user(struct store *s, const char *sql, const char *username, const char *text,
                    int64_t num, int nparams, int64_t *changed, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    if (nparams >= 2) {
        if (text)
            db_bind_text(st, 2, text);
        else
            db_bind_int64(st, 2, num);
    }
    if (nparams >= 3) db_bind_int64(st, 3, num);
    rc = sq_step_done(s, st, "writing user", e);
    if (!rc && changed) *changed = db_changes(s->db);
    sq_done(s, st);
    return rc;
}

struct begin_ctx {
    const char *username, *secret;
};

static int begin_tx(struct store *s, void *ctx, struct err *e)
{
    const struct begin_ctx *c = ctx;
    int64_t changed = 0;
    int rc = run_user(s, SQL_TOTP_BEGIN, c->username, c->secret, 0, 2, &changed, e);
    if (!rc && !changed)
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", c->username);
    if (!rc) rc = run_user(s, SQL_CODES_DELETE, c->username, NULL, 0, 1, NULL, e);
    return rc;
}

int store_totp_begin(struct store *s, const char *username, const char *secret, struct err *e)
{
    struct begin_ctx c = {username, secret};
    return store_tx(s, begin_tx, &c, e);
}

struct confirm_ctx {
    const char *username;
    int64_t step;
    const char *const *hashes;
    int n;
};

static int confirm_tx(struct store *s, void *ctx, struct err *e)
{
    const struct confirm_ctx *c = ctx;
    int64_t changed = 0;
    int rc = run_user(s, SQL_TOTP_CONFIRM, c->username, NULL, c->step, 2, &changed, e);
    if (rc) return rc;
    if (!changed)
        return err_set(e, ERR_CONFLICT, "code",
                       "no second factor waits for confirmation: enrol first");
    if ((rc = run_user(s, SQL_CODES_DELETE, c->username, NULL, 0, 1, NULL, e))) return rc;
    for (int i = 0; i < c->n && !rc; i++) {
        struct db_stmt *st;
        if ((rc = sq_prep(s, SQL_CODE_ADD, &st, e))) break;
        db_bind_text(st, 1, c->username);
        db_bind_text(st, 2, c->hashes[i]);
        rc = sq_step_done(s, st, "writing a recovery code", e);
        sq_done(s, st);
    }
    return rc;
}

int store_totp_confirm(struct store *s, const char *username, int64_t step,
                       const char *const *hashes, int n, struct err *e)
{
    struct confirm_ctx c = {username, step, hashes, n};
    return store_tx(s, confirm_tx, &c, e);
}

int store_totp_use_step(struct store *s, const char *username, int64_t step, struct err *e)
{
    int64_t changed = 0;
    int rc = run_user(s, SQL_TOTP_STEP, username, NULL, step, 2, &changed, e);
    if (!rc && !changed)
        rc = err_set(e, ERR_CONFLICT, "code", "this code was used already; wait for the next one");
    return rc;
}

static int reset_tx(struct store *s, void *ctx, struct err *e)
{
    const char *username = ctx;
    int64_t changed = 0;
    int rc = run_user(s, SQL_TOTP_RESET, username, NULL, 0, 1, &changed, e);
    if (!rc && !changed)
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", username);
    if (!rc) rc = run_user(s, SQL_CODES_DELETE, username, NULL, 0, 1, NULL, e);
    return rc;
}

int store_totp_reset(struct store *s, const char *username, struct err *e)
{
    return store_tx(s, reset_tx, (void *)username, e);
}

int store_recovery_each(struct store *s, const char *username, recovery_fn fn, void *ctx,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CODES_LIST, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    int step;
    char hash[256];
    while ((step = db_step(st)) == DB_ROW) {
        sq_col_text(st, 0, hash, sizeof hash);
        if ((rc = fn(hash, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading recovery codes", e);
    sq_done(s, st);
    return rc;
}

int store_recovery_use(struct store *s, const char *username, const char *hash, int64_t now,
                       struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CODE_USE, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    db_bind_text(st, 2, hash);
    db_bind_int64(st, 3, now);
    rc = sq_step_done(s, st, "using a recovery code", e);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_CONFLICT, "code", "this recovery code was used already");
    sq_done(s, st);
    return rc;
}
