/* sqlite_users.c — users and sessions on SQLite: accounts with role and unit scope, the
 * password hash (produced by the http layer with argon2id, stored opaque here), and sessions
 * keyed by the hash of their token. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"
#include "user.h"

#define USER_COLS "username, full_name, role, unit_code, disabled, created_at"

static const char SQL_ADD[] = "INSERT INTO users (" USER_COLS ", pwhash) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GET[] = "SELECT " USER_COLS ", pwhash FROM users WHERE username = ?1";
static const char SQL_LIST[] = "SELECT " USER_COLS ", pwhash FROM users ORDER BY username";
static const char SQL_PASSWORD[] = "UPDATE users SET pwhash = ?2 WHERE username = ?1";
static const char SQL_DISABLE[] = "UPDATE users SET disabled = ?2 WHERE username = ?1";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM units WHERE code = ?1";
static const char SQL_SESSION_ADD[] =
    "INSERT INTO sessions (token_hash, username, csrf, created_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SESSION_GET[] =
    "SELECT u.username, u.full_name, u.role, u.unit_code, u.disabled, u.created_at, s.csrf, "
    "NULL, s.expires_at "
    "FROM sessions s JOIN users u ON u.username = s.username "
    "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
/* The same with units_version (migration 007) as of the same snapshot: on PostgreSQL, which
 * reads the counter once per read transaction (sq_units_version), a request's session check
 * reads it too, sparing the round trip of its own statement. */
static const char SQL_SESSION_GET_V[] =
    "SELECT u.username, u.full_name, u.role, u.unit_code, u.disabled, u.created_at, s.csrf, "
    "(SELECT n FROM units_version WHERE id = 1), s.expires_at "
    "FROM sessions s JOIN users u ON u.username = s.username "
    "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE_USER[] = "DELETE FROM sessions WHERE username = ?1";
static const char SQL_SESSION_PURGE[] = "DELETE FROM sessions WHERE expires_at <= ?1";

static void read_user(struct db_stmt *st, struct user *u)
{
    memset(u, 0, sizeof *u);
    sq_col_text(st, 0, u->username, sizeof u->username);
    sq_col_text(st, 1, u->full_name, sizeof u->full_name);
    char role[24];
    sq_col_text(st, 2, role, sizeof role);
    enum user_role r = UROLE_CITIZEN;
    user_role_parse(role, &r, "role", NULL); /* the schema's CHECK keeps it valid */
    u->role = r;
    sq_col_text(st, 3, u->unit, sizeof u->unit);
    u->disabled = (int)db_col_int64(st, 4);
    u->created_at = db_col_int64(st, 5);
}

static int unit_exists(struct store *s, const char *code, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UNIT_EXISTS, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "unit", "unit '%s' does not exist", code);
    else if (step != DB_ROW)
        rc = sq_fail(s, step, "reading units", e);
    sq_done(s, st);
    return rc;
}

int store_user_add(struct store *s, const struct user *u, const char *pwhash, struct err *e)
{
    int rc = user_check(u, e);
    if (rc) return rc;
    if (!pwhash || strncmp(pwhash, "$argon2id$", 10) || strlen(pwhash) >= USER_PWHASH_MAX)
        return err_set(e, ERR_INVALID, "password", "the password hash is not an argon2id string");
    if (u->unit[0] && (rc = unit_exists(s, u->unit, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_ADD, &st, e))) return rc;
    db_bind_text(st, 1, u->username);
    db_bind_text(st, 2, u->full_name);
    db_bind_text(st, 3, user_role_name(u->role));
    sq_bind_text(st, 4, u->unit);
    db_bind_int64(st, 5, u->disabled ? 1 : 0);
    db_bind_int64(st, 6, u->created_at);
    db_bind_text(st, 7, pwhash);
    int step = db_step(st);
    if (step == DB_ERROR && db_error_class(s->db) == DBE_CONSTRAINT)
        rc = err_set(e, ERR_CONFLICT, "username", "user '%s' already exists", u->username);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "writing user", e);
    sq_done(s, st);
    return rc;
}

int store_user_get(struct store *s, const char *username, struct user *out, char *pwhash, size_t n,
                   struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_user(st, out);
        if (pwhash) sq_col_text(st, 6, pwhash, n);
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", username);
    } else {
        rc = sq_fail(s, step, "reading user", e);
    }
    sq_done(s, st);
    return rc;
}

int store_user_list(struct store *s, user_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e);
    if (rc) return rc;
    int step;
    struct user u;
    while ((step = db_step(st)) == DB_ROW) {
        read_user(st, &u);
        if ((rc = fn(&u, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "listing users", e);
    sq_done(s, st);
    return rc;
}

/* Runs a one-row update keyed by username; ERR_NOT_FOUND when no row changed. */
static int update_user(struct store *s, const char *sql, const char *username, const char *text,
                       int num, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    if (text)
        db_bind_text(st, 2, text);
    else
        db_bind_int64(st, 2, num);
    rc = sq_step_done(s, st, "writing user", e);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", username);
    sq_done(s, st);
    return rc;
}

int store_user_set_password(struct store *s, const char *username, const char *pwhash,
                            struct err *e)
{
    if (!pwhash || strncmp(pwhash, "$argon2id$", 10) || strlen(pwhash) >= USER_PWHASH_MAX)
        return err_set(e, ERR_INVALID, "password", "the password hash is not an argon2id string");
    return update_user(s, SQL_PASSWORD, username, pwhash, 0, e);
}

static const char SQL_UNLOCK[] = "UPDATE users SET unlocked_at = ?2 WHERE username = ?1";
static const char SQL_UNLOCKED_AT[] = "SELECT unlocked_at FROM users WHERE username = ?1";

int store_user_unlock(struct store *s, const char *username, int64_t now, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UNLOCK, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    db_bind_int64(st, 2, now);
    rc = sq_step_done(s, st, "writing user", e);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "username", "user '%.60s' does not exist", username);
    sq_done(s, st);
    return rc;
}

int store_user_unlocked_at(struct store *s, const char *username, int64_t *at, struct err *e)
{
    struct db_stmt *st;
    *at = 0;
    int rc = sq_prep(s, SQL_UNLOCKED_AT, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, username);
    int step = db_step(st);
    if (step == DB_ROW)
        *at = db_col_int64(st, 0);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "reading user", e);
    sq_done(s, st);
    return rc;
}

int store_user_set_disabled(struct store *s, const char *username, int disabled, struct err *e)
{
    int rc = update_user(s, SQL_DISABLE, username, NULL, disabled ? 1 : 0, e);
    if (rc || !disabled) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_SESSION_DELETE_USER, &st, e))) return rc;
    db_bind_text(st, 1, username);
    rc = sq_step_done(s, st, "ending sessions", e);
    sq_done(s, st);
    return rc;
}

int store_session_add(struct store *s, const char *token_hash, const char *username,
                      const char *csrf, int64_t created_at, int64_t expires_at, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SESSION_ADD, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, username);
    db_bind_text(st, 3, csrf);
    db_bind_int64(st, 4, created_at);
    db_bind_int64(st, 5, expires_at);
    rc = sq_step_done(s, st, "writing session", e);
    sq_done(s, st);
    return rc;
}

int store_session_get(struct store *s, const char *token_hash, int64_t now, struct user *user,
                      char *csrf, size_t n, struct err *e)
{
    return store_session_get_until(s, token_hash, now, user, csrf, n, NULL, e);
}

int store_session_get_until(struct store *s, const char *token_hash, int64_t now, struct user *user,
                            char *csrf, size_t n, int64_t *expires_at, struct err *e)
{
    struct db_stmt *st;
    int with_version = sq_units_version_wanted(s);
    int rc = sq_prep(s, with_version ? SQL_SESSION_GET_V : SQL_SESSION_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, token_hash);
    db_bind_int64(st, 2, now);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_user(st, user);
        sq_col_text(st, 6, csrf, n);
        if (with_version && !db_col_null(st, 7)) sq_units_version_seen(s, db_col_int64(st, 7));
        if (expires_at) *expires_at = db_col_int64(st, 8);
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "session", "no such session (or it expired)");
    } else {
        rc = sq_fail(s, step, "reading session", e);
    }
    sq_done(s, st);
    return rc;
}

/* Deletes by one text or integer key. */
static int delete_by(struct store *s, const char *sql, const char *text, int64_t num, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    if (text)
        db_bind_text(st, 1, text);
    else
        db_bind_int64(st, 1, num);
    rc = sq_step_done(s, st, "deleting sessions", e);
    sq_done(s, st);
    return rc;
}

int store_session_delete(struct store *s, const char *token_hash, struct err *e)
{
    return delete_by(s, SQL_SESSION_DELETE, token_hash, 0, e);
}

int store_session_purge(struct store *s, int64_t now, struct err *e)
{
    return delete_by(s, SQL_SESSION_PURGE, NULL, now, e);
}
