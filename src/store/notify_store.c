/* notify_store.c — the outbox, one-time codes, citizen sessions, opt-outs and the lost code
 * (store_notify.h, migration 015), in the SQL both backends share. Decisions (contacts,
 * events, backoff) are core's (src/core/notify.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_notify.h"

#define OUTBOX_COLS                                                                                \
    "id, msg_id, event, channel, state, recipient, dossier_code, vars, reason, unsub_token, "      \
    "attempts, event_at, next_at, created_at, sent_at, lease_until, province"

static const char SQL_OUT_INSERT[] =
    "INSERT INTO outbox (msg_id, event, channel, recipient, dossier_code, vars, event_at, state, "
    "reason, next_at, created_at, unsub_token, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12) RETURNING id";
static const char SQL_OPTED[] = "SELECT 1 FROM notify_optout WHERE contact = ?1";
static const char SQL_OPTOUT[] = "INSERT INTO notify_optout (contact, at, via) VALUES (?1, ?2, ?3) "
                                 "ON CONFLICT (contact) DO NOTHING";
static const char SQL_UNSUB[] = "SELECT recipient FROM outbox WHERE unsub_token = ?1";
static const char SQL_PROC_NAME[] = "SELECT name FROM procedures WHERE code = ?1";
static const char SQL_UNIT_NAME[] = "SELECT name FROM units WHERE code = ?1";
static const char SQL_OTP_COUNT[] =
    "SELECT count(*) FROM citizen_otp WHERE contact = ?1 AND created_at > ?2";
static const char SQL_OTP_INSERT[] =
    "INSERT INTO citizen_otp (contact, salt, code_hash, created_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_OTP_LIVE[] =
    "SELECT id, salt, code_hash, attempts FROM citizen_otp WHERE contact = ?1 AND used_at = 0 "
    "AND expires_at > ?2 ORDER BY created_at DESC, id DESC LIMIT 1";
/* by contact and id: its primary key on PostgreSQL (migration 032), one shard when distributed */
static const char SQL_OTP_TRY[] =
    "UPDATE citizen_otp SET attempts = attempts + 1 WHERE contact = ?2 AND id = ?1";
static const char SQL_OTP_USE[] =
    "UPDATE citizen_otp SET used_at = ?2 WHERE contact = ?3 AND id = ?1";
static const char SQL_SESS_INSERT[] =
    "INSERT INTO citizen_sessions (token_hash, contact, created_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_SESS_GET[] =
    "SELECT contact FROM citizen_sessions WHERE token_hash = ?1 AND expires_at > ?2";
static const char SQL_SESS_PURGE[] = "DELETE FROM citizen_sessions WHERE expires_at <= ?1";
static const char SQL_LOST_COUNT[] =
    "SELECT count(*) FROM outbox WHERE recipient = ?1 AND event = 'lost_code' AND created_at > ?2";
static const char SQL_LOST_CODES[] =
    "SELECT code FROM dossiers WHERE applicant_phone = ?1 OR applicant_phone = ?2 "
    "ORDER BY id DESC LIMIT 20";
static const char SQL_DOSSIER_CONTACT[] =
    "SELECT applicant_phone, unit_code, procedure_code, province FROM dossiers WHERE code = ?1";
/* the claim finds due rows in every province (a worker's scan), then leases and reads each by
 * its key, (id, province) on PostgreSQL (migration 048): one shard each on Citus */
static const char SQL_CLAIM_DUE[] =
    "SELECT id, province FROM outbox WHERE (state = 'pending' OR state = 'failed') "
    "AND next_at <= ?1 AND lease_until < ?1 ORDER BY next_at, id LIMIT ?2";
static const char SQL_CLAIM[] =
    "UPDATE outbox SET lease_until = ?2, lease_owner = ?3, attempts = attempts + 1 "
    "WHERE id = ?1 AND province = ?5 AND (state = 'pending' OR state = 'failed') "
    "AND lease_until < ?4";
static const char SQL_ROW[] = "SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?1 AND province = ?2";
static const char SQL_SENT[] =
    "UPDATE outbox SET state = 'sent', sent_at = ?3, lease_until = 0, reason = NULL, "
    "vars = CASE WHEN event = 'otp' OR event = 'survey_invitation' THEN '' ELSE vars END "
    "WHERE id = ?1 AND province = ?4 AND lease_owner = ?2 AND lease_until > 0";
static const char SQL_FAILED[] =
    "UPDATE outbox SET state = ?3, next_at = ?4, lease_until = 0, reason = ?5 "
    "WHERE id = ?1 AND province = ?6 AND lease_owner = ?2 AND lease_until > 0";
static const char SQL_ATTEMPTS[] = "SELECT attempts FROM outbox WHERE id = ?1 AND province = ?2";
static const char SQL_LIST[] =
    "SELECT " OUTBOX_COLS " FROM outbox WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) "
    "ORDER BY id DESC LIMIT ?2";
static const char SQL_COUNTS[] = "SELECT state, count(*) FROM outbox GROUP BY state";
/* an operator's replay names the row by id alone: rare, it fans out to every shard on Citus */
static const char SQL_STATE[] = "SELECT state FROM outbox WHERE id = ?1";
static const char SQL_REPLAY[] =
    "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?2, lease_until = 0, "
    "lease_owner = NULL, reason = 'replayed' WHERE id = ?1 AND state = 'dead'";

static void random_hex(char *out, size_t nbytes)
{
    unsigned char b[32];
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

static int tx_or_own(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    return store_in_tx(s) ? fn(s, ctx, e) : store_tx(s, fn, ctx, e);
}

/* ---- enqueue ---- */

struct enq_ctx {
    const struct outbox_msg *m;
    char *msg_id;
};

static int enqueue_tx(struct store *s, void *vctx, struct err *e)
{
    struct enq_ctx *x = vctx;
    const struct outbox_msg *m = x->m;
    char id[NOTIFY_MSGID_MAX], unsub[40];
    const char *state = "pending", *reason = NULL;
    const char *to = m->recipient && *m->recipient ? m->recipient : NULL;
    int rc;
    if (!to) {
        state = "skipped";
        reason = m->skip_reason && *m->skip_reason ? m->skip_reason : "no contact";
    } else if (notify_event_optional(m->event)) {
        int out = 0;
        if ((rc = store_notify_opted_out(s, to, &out, e))) return rc;
        if (out) {
            state = "skipped";
            reason = "opted out";
        }
    }
    const char *channel = m->channel;
    if (!channel) channel = to && strchr(to, '@') ? "email" : "sms";
    id[0] = 'm';
    id[1] = '-';
    random_hex(id + 2, 16);
    unsub[0] = '\0';
    if (to && notify_event_optional(m->event)) random_hex(unsub, 16);
    int64_t now = (int64_t)time(NULL);
    struct db_stmt *st;
    if ((rc = sq_prov_guard(s, m->province, e)) || (rc = sq_prep(s, SQL_OUT_INSERT, &st, e)))
        return rc;
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, notify_event_name(m->event));
    db_bind_text(st, 3, channel);
    sq_bind_text(st, 4, to);
    sq_bind_text(st, 5, m->dossier_code);
    db_bind_text(st, 6, m->vars ? m->vars : "");
    db_bind_int64(st, 7, m->event_at ? m->event_at : store_now_minutes());
    db_bind_text(st, 8, state);
    sq_bind_text(st, 9, reason);
    db_bind_int64(st, 10, now);
    sq_bind_text(st, 11, unsub);
    db_bind_text(st, 12, m->province);
    int64_t rowid;
    rc = sq_insert_id(s, st, "writing the outbox", &rowid, e);
    sq_done(s, st);
    if (!rc && x->msg_id) snprintf(x->msg_id, NOTIFY_MSGID_MAX, "%s", id);
    return rc;
}

int outbox_enqueue(struct store *s, const struct outbox_msg *m, char *msg_id, struct err *e)
{
    if ((unsigned)m->event >= NE__COUNT)
        return err_set(e, ERR_INVALID, "event", "event %d: unknown", (int)m->event);
    if (m->channel && strcmp(m->channel, "email") && strcmp(m->channel, "sms") &&
        strcmp(m->channel, "zalo"))
        return err_set(e, ERR_INVALID, "channel", "channel '%s': must be email, sms or zalo",
                       m->channel);
    if (!m->province) /* a caller's bug: every message names its province, '' explicitly */
        return err_set(e, ERR_INTERNAL, "province",
                       "outbox message %s: no province (OUTBOX_NATIONAL for none)",
                       notify_event_name(m->event));
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    struct enq_ctx x = {m, msg_id};
    return tx_or_own(s, enqueue_tx, &x, e);
}

/* ---- hooks ---- */

static int name_of(struct store *s, const char *sql, const char *code, char *out, size_t n,
                   struct err *e)
{
    struct db_stmt *st;
    out[0] = '\0';
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int r = db_step(st);
    if (r == DB_ROW)
        sq_col_text(st, 0, out, n);
    else if (r != DB_DONE)
        rc = sq_fail(s, r, "reading a name for a message", e);
    sq_done(s, st);
    return rc;
}

static char *ddmmyyyy(int64_t minutes, char *buf, size_t n)
{
    if (!minutes) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    struct ymd d = days_to_ymd(instant_day(minutes));
    snprintf(buf, n, "%02u/%02u/%04d", (unsigned)d.d, (unsigned)d.m, d.y);
    return buf;
}

/* The applicant's mobile phone, normalised, or "" with why not in reason. */
static void applicant_contact(const char *phone, char *out, size_t n, const char **reason)
{
    out[0] = '\0';
    *reason = NULL;
    if (!phone || !*phone) {
        *reason = "no contact: the applicant gave no phone number";
        return;
    }
    if (notify_contact_normalize(phone, out, n, NULL, "phone", NULL)) {
        out[0] = '\0';
        *reason = "no contact: the applicant's phone is not a mobile number";
    }
}

static int dossier_message(struct store *s, enum notify_event ev, const char *code,
                           const char *province, const char *unit, const char *procedure,
                           const char *phone, int64_t due, int64_t at, const char *extra_name,
                           const char *extra_value, const char *extra2_name,
                           const char *extra2_value, struct err *e)
{
    char vars[NOTIFY_VARS_MAX] = "", pname[512], uname[512], dd[16], to[NOTIFY_CONTACT_MAX];
    const char *reason;
    int rc = name_of(s, SQL_PROC_NAME, procedure, pname, sizeof pname, e);
    if (!rc) rc = name_of(s, SQL_UNIT_NAME, unit, uname, sizeof uname, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "code", code, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "procedure", procedure, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "procedure_name", pname, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "unit_name", uname, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "due", ddmmyyyy(due, dd, sizeof dd), e);
    if (!rc && extra_name) rc = notify_vars_add(vars, sizeof vars, extra_name, extra_value, e);
    if (!rc && extra2_name) rc = notify_vars_add(vars, sizeof vars, extra2_name, extra2_value, e);
    if (rc) return rc;
    applicant_contact(phone, to, sizeof to, &reason);
    struct outbox_msg m = {ev, NULL, to, reason, code, vars, at, province};
    return outbox_enqueue(s, &m, NULL, e);
}

int store_notify_dossier(struct store *s, const struct dossier *old, const struct dossier *nw,
                         const char *action, struct err *e)
{
    enum dossier_status was = old ? old->st.status : DS__COUNT, is = nw->st.status;
    enum notify_event ev;
    int64_t due = nw->st.due_at;
    if (action && !strcmp(action, "apologise")) {
        ev = NE_APOLOGY;
        due = nw->st.apology_due_at;
    } else if (is == was)
        return 0;
    else if (is == DS_RECEIVED && (was == DS__COUNT || was == DS_SUBMITTED))
        ev = NE_RECEIVED;
    else if (is == DS_SUPPLEMENT_REQUESTED)
        ev = NE_SUPPLEMENT;
    else if (is == DS_RESULT_READY)
        ev = NE_RESULT_READY;
    else
        return 0;
    /* the dossier's province (migration 037), which its message carries */
    char prov[UNIT_CODE_MAX];
    int rc = sq_dossier_province(s, nw->id, prov, sizeof prov, e);
    if (rc) return rc;
    return dossier_message(s, ev, nw->code, prov, nw->unit, nw->procedure, nw->applicant.phone, due,
                           nw->st.last_at, NULL, NULL, NULL, NULL, e);
}

int store_notify_payment_confirmed(struct store *s, const char *dossier_code, const char *amount,
                                   const char *receipt_no, struct err *e)
{
    char phone[64], unit[UNIT_CODE_MAX], proc[PROC_CODE_MAX], prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_DOSSIER_CONTACT, &st, e), found = 0;
    if (rc) return rc;
    db_bind_text(st, 1, dossier_code);
    int r = db_step(st);
    if (r == DB_ROW) {
        found = 1;
        sq_col_text(st, 0, phone, sizeof phone);
        sq_col_text(st, 1, unit, sizeof unit);
        sq_col_text(st, 2, proc, sizeof proc);
        sq_col_text(st, 3, prov, sizeof prov);
    } else if (r != DB_DONE)
        rc = sq_fail(s, r, "reading the dossier for a message", e);
    sq_done(s, st);
    if (rc) return rc;
    if (!found) return err_set(e, ERR_NOT_FOUND, "code", "no dossier with code '%s'", dossier_code);
    return dossier_message(s, NE_PAYMENT, dossier_code, prov, unit, proc, phone, 0, 0, "amount",
                           amount ? amount : "", "receipt", receipt_no ? receipt_no : "", e);
}

int store_notify_feedback_answered(struct store *s, const char *followup_code,
                                   const char *unit_code, const char *province, const char *email,
                                   const char *phone, int64_t at, struct err *e)
{
    char vars[NOTIFY_VARS_MAX] = "", uname[512], to[NOTIFY_CONTACT_MAX] = "";
    const char *reason = "no contact: the sender left none";
    int rc = name_of(s, SQL_UNIT_NAME, unit_code, uname, sizeof uname, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "code", followup_code, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "unit_name", uname, e);
    if (rc) return rc;
    if (email && *email && !notify_contact_normalize(email, to, sizeof to, NULL, "email", NULL))
        reason = NULL;
    else if (phone && *phone &&
             !notify_contact_normalize(phone, to, sizeof to, NULL, "phone", NULL))
        reason = NULL;
    else if ((email && *email) || (phone && *phone)) {
        to[0] = '\0';
        reason = "no contact: neither an e-mail address nor a mobile number";
    }
    struct outbox_msg m = {NE_FEEDBACK, NULL, to, reason, NULL, vars, at, province};
    return outbox_enqueue(s, &m, NULL, e);
}

/* ---- one-time codes and sessions ---- */

static int count_since(struct store *s, const char *sql, const char *contact, int64_t since,
                       int64_t *n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, contact);
    db_bind_int64(st, 2, since);
    int r = db_step(st);
    *n = r == DB_ROW ? db_col_int64(st, 0) : 0;
    if (r != DB_ROW) rc = sq_fail(s, r, "counting recent messages", e);
    sq_done(s, st);
    return rc;
}

static void otp_hash(const char *salt, const char *contact, const char *code, char out[65])
{
    unsigned char h[32];
    crypto_generichash_state g;
    crypto_generichash_init(&g, (const unsigned char *)salt, strlen(salt), sizeof h);
    crypto_generichash_update(&g, (const unsigned char *)contact, strlen(contact) + 1);
    crypto_generichash_update(&g, (const unsigned char *)code, strlen(code));
    crypto_generichash_final(&g, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

struct otp_ctx {
    const char *contact;
    int64_t now;
    int max, window, *limited;
};

static int otp_create_tx(struct store *s, void *vctx, struct err *e)
{
    struct otp_ctx *x = vctx;
    int64_t n;
    int rc = count_since(s, SQL_OTP_COUNT, x->contact, x->now - x->window, &n, e);
    if (rc) return rc;
    if (n >= x->max) {
        *x->limited = 1;
        return 0;
    }
    char code[NOTIFY_OTP_DIGITS + 1], salt[33], hash[65], vars[256] = "";
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    random_hex(salt, 16);
    otp_hash(salt, x->contact, code, hash);
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_OTP_INSERT, &st, e))) return rc;
    db_bind_text(st, 1, x->contact);
    db_bind_text(st, 2, salt);
    db_bind_text(st, 3, hash);
    db_bind_int64(st, 4, x->now);
    db_bind_int64(st, 5, x->now + OTP_TTL_SECONDS);
    int64_t id;
    rc = sq_insert_id(s, st, "writing a one-time code", &id, e);
    sq_done(s, st);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "otp", code, e);
    if (!rc) rc = notify_vars_add(vars, sizeof vars, "minutes", "10", e);
    sodium_memzero(code, sizeof code);
    if (rc) return rc;
    struct outbox_msg m = {NE_OTP, NULL, x->contact, NULL, NULL, vars, 0, OUTBOX_NATIONAL};
    rc = outbox_enqueue(s, &m, NULL, e);
    sodium_memzero(vars, sizeof vars);
    return rc;
}

int store_otp_create(struct store *s, const char *contact, int64_t now, int max, int window_s,
                     int *limited, struct err *e)
{
    int rc = audit_need_sodium(e);
    *limited = 0;
    if (rc) return rc;
    struct otp_ctx x = {contact, now, max, window_s, limited};
    return store_tx(s, otp_create_tx, &x, e);
}

enum otp_outcome { OTP_OK, OTP_NONE, OTP_WRONG, OTP_LOCKED };

struct verify_ctx {
    const char *contact, *code;
    int64_t now, session_s;
    char *token;
    enum otp_outcome out;
    int left;
};

static int verify_tx(struct store *s, void *vctx, struct err *e)
{
    struct verify_ctx *x = vctx;
    struct db_stmt *st;
    char salt[40], stored[70], got[65];
    int64_t id = 0, attempts = 0;
    int rc = sq_prep(s, SQL_OTP_LIVE, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, x->contact);
    db_bind_int64(st, 2, x->now);
    int r = db_step(st);
    if (r == DB_ROW) {
        id = db_col_int64(st, 0);
        sq_col_text(st, 1, salt, sizeof salt);
        sq_col_text(st, 2, stored, sizeof stored);
        attempts = db_col_int64(st, 3);
    } else if (r != DB_DONE)
        rc = sq_fail(s, r, "reading a one-time code", e);
    sq_done(s, st);
    if (rc) return rc;
    if (!id) {
        x->out = OTP_NONE;
        return 0;
    }
    if (attempts >= OTP_MAX_ATTEMPTS) {
        x->out = OTP_LOCKED;
        return 0;
    }
    otp_hash(salt, x->contact, x->code, got);
    if (sodium_memcmp(got, stored, 64)) {
        if ((rc = sq_prep(s, SQL_OTP_TRY, &st, e))) return rc;
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, x->contact);
        rc = sq_step_done(s, st, "counting a wrong code", e);
        sq_done(s, st);
        x->out = OTP_WRONG;
        x->left = (int)(OTP_MAX_ATTEMPTS - attempts - 1);
        return rc;
    }
    if ((rc = sq_prep(s, SQL_OTP_USE, &st, e))) return rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, x->now);
    db_bind_text(st, 3, x->contact);
    rc = sq_step_done(s, st, "using a one-time code", e);
    sq_done(s, st);
    if (rc) return rc;
    unsigned char th[32];
    char thex[65];
    random_hex(x->token, 32);
    crypto_hash_sha256(th, (const unsigned char *)x->token, strlen(x->token));
    sodium_bin2hex(thex, sizeof thex, th, sizeof th);
    if ((rc = sq_prep(s, SQL_SESS_PURGE, &st, e))) return rc;
    db_bind_int64(st, 1, x->now);
    rc = sq_step_done(s, st, "removing expired citizen sessions", e);
    sq_done(s, st);
    if (rc || (rc = sq_prep(s, SQL_SESS_INSERT, &st, e))) return rc;
    db_bind_text(st, 1, thex);
    db_bind_text(st, 2, x->contact);
    db_bind_int64(st, 3, x->now);
    db_bind_int64(st, 4, x->now + x->session_s);
    rc = sq_step_done(s, st, "opening a citizen session", e);
    sq_done(s, st);
    x->out = OTP_OK;
    return rc;
}

int store_otp_verify(struct store *s, const char *contact, const char *code, int64_t now,
                     int64_t session_s, char *token, struct err *e)
{
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    size_t n = code ? strlen(code) : 0;
    int digits = n == NOTIFY_OTP_DIGITS;
    for (size_t i = 0; digits && i < n; i++)
        digits = code[i] >= '0' && code[i] <= '9';
    if (!digits)
        return err_set(e, ERR_INVALID, "code", "code: must be the %d digits sent to the contact",
                       NOTIFY_OTP_DIGITS);
    struct verify_ctx x = {contact, code, now, session_s, token, OTP_NONE, 0};
    if ((rc = store_tx(s, verify_tx, &x, e))) return rc;
    switch (x.out) {
    case OTP_OK:
        return 0;
    case OTP_WRONG:
        return err_set(e, ERR_INVALID, "code", "code: wrong code (%d more tries for this code)",
                       x.left);
    case OTP_LOCKED:
        return err_set(e, ERR_INVALID, "code", "code: tried wrongly %d times; ask for a new code",
                       OTP_MAX_ATTEMPTS);
    default:
        return err_set(e, ERR_INVALID, "code",
                       "code: no live code for this contact (expired after %d minutes or "
                       "already used); ask for a new code",
                       OTP_TTL_SECONDS / 60);
    }
}

int store_citizen_session(struct store *s, const char *token, int64_t now, char *contact, size_t n,
                          struct err *e)
{
    if (!token || strlen(token) != CITIZEN_TOKEN_HEX)
        return err_set(e, ERR_NOT_FOUND, "session", "no citizen session");
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    unsigned char th[32];
    char thex[65];
    crypto_hash_sha256(th, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(thex, sizeof thex, th, sizeof th);
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_SESS_GET, &st, e))) return rc;
    db_bind_text(st, 1, thex);
    db_bind_int64(st, 2, now);
    int r = db_step(st);
    if (r == DB_ROW)
        sq_col_text(st, 0, contact, n);
    else if (r == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "session", "no citizen session");
    else
        rc = sq_fail(s, r, "reading a citizen session", e);
    sq_done(s, st);
    return rc;
}

/* ---- opt-out ---- */

int store_notify_opted_out(struct store *s, const char *contact, int *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_OPTED, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, contact);
    int r = db_step(st);
    *out = r == DB_ROW;
    if (r != DB_ROW && r != DB_DONE) rc = sq_fail(s, r, "reading the opt-outs", e);
    sq_done(s, st);
    return rc;
}

int store_notify_optout(struct store *s, const char *contact, const char *via, int64_t now,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_OPTOUT, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, contact);
    db_bind_int64(st, 2, now);
    db_bind_text(st, 3, via);
    rc = sq_step_done(s, st, "recording an opt-out", e);
    sq_done(s, st);
    return rc;
}

int store_notify_optout_token(struct store *s, const char *token, int64_t now, char *contact,
                              size_t n, struct err *e)
{
    char to[NOTIFY_CONTACT_MAX] = "";
    struct db_stmt *st;
    if (!token || strlen(token) != 32)
        return err_set(e, ERR_NOT_FOUND, "token", "token: unknown unsubscribe token");
    int rc = sq_prep(s, SQL_UNSUB, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, token);
    int r = db_step(st);
    if (r == DB_ROW)
        sq_col_text(st, 0, to, sizeof to);
    else if (r != DB_DONE)
        rc = sq_fail(s, r, "reading an unsubscribe token", e);
    sq_done(s, st);
    if (rc) return rc;
    if (!to[0]) return err_set(e, ERR_NOT_FOUND, "token", "token: unknown unsubscribe token");
    if (contact && n) snprintf(contact, n, "%s", to);
    return store_notify_optout(s, to, "token", now, e);
}

/* ---- the lost code ---- */

struct lost_ctx {
    const char *contact;
    int64_t now;
    int max, window, *found, *limited;
};

static int lost_tx(struct store *s, void *vctx, struct err *e)
{
    struct lost_ctx *x = vctx;
    int64_t n;
    int rc = count_since(s, SQL_LOST_COUNT, x->contact, x->now - x->window, &n, e);
    if (rc) return rc;
    if (n >= x->max) {
        *x->limited = 1;
        return 0;
    }
    if (strchr(x->contact, '@')) return 0; /* dossiers record a phone only (so far) */
    char intl[32], codes[2048] = "", vars[NOTIFY_VARS_MAX] = "";
    snprintf(intl, sizeof intl, "+84%s", x->contact + 1);
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_LOST_CODES, &st, e))) return rc;
    db_bind_text(st, 1, x->contact);
    db_bind_text(st, 2, intl);
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        const char *c = db_col_text(st, 0);
        if (strlen(codes) + strlen(c) + 3 >= sizeof codes) break;
        if (codes[0]) strcat(codes, ", ");
        strcat(codes, c);
        (*x->found)++;
    }
    if (r != DB_ROW && r != DB_DONE) rc = sq_fail(s, r, "finding dossiers by contact", e);
    sq_done(s, st);
    if (rc || !*x->found) return rc;
    if ((rc = notify_vars_add(vars, sizeof vars, "codes", codes, e))) return rc;
    /* national: the codes may be of dossiers of several provinces, the message is the contact's */
    struct outbox_msg m = {NE_LOST_CODE, NULL, x->contact, NULL, NULL, vars, 0, OUTBOX_NATIONAL};
    return outbox_enqueue(s, &m, NULL, e);
}

int store_lost_code(struct store *s, const char *contact, int64_t now, int max, int window_s,
                    int *found, int *limited, struct err *e)
{
    *found = *limited = 0;
    struct lost_ctx x = {contact, now, max, window_s, found, limited};
    return store_tx(s, lost_tx, &x, e);
}

/* ---- delivery ---- */

static void read_row(struct db_stmt *st, struct outbox_row *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int64(st, 0);
    sq_col_text(st, 1, o->msg_id, sizeof o->msg_id);
    sq_col_text(st, 2, o->event, sizeof o->event);
    sq_col_text(st, 3, o->channel, sizeof o->channel);
    sq_col_text(st, 4, o->state, sizeof o->state);
    sq_col_text(st, 5, o->recipient, sizeof o->recipient);
    sq_col_text(st, 6, o->dossier_code, sizeof o->dossier_code);
    sq_col_text(st, 7, o->vars, sizeof o->vars);
    sq_col_text(st, 8, o->reason, sizeof o->reason);
    sq_col_text(st, 9, o->unsub, sizeof o->unsub);
    o->attempts = (int)db_col_int64(st, 10);
    o->event_at = db_col_int64(st, 11);
    o->next_at = db_col_int64(st, 12);
    o->created_at = db_col_int64(st, 13);
    o->sent_at = db_col_int64(st, 14);
    o->lease_until = db_col_int64(st, 15);
    sq_col_text(st, 16, o->province, sizeof o->province);
}

struct claim_ctx {
    const char *owner;
    int64_t now;
    int lease, max;
    struct outbox_row *rows;
    int *n;
};

static int claim_tx(struct store *s, void *vctx, struct err *e)
{
    struct claim_ctx *x = vctx;
    int64_t ids[256];
    char provs[256][UNIT_CODE_MAX];
    int nid = 0, rc, r;
    struct db_stmt *st;
    *x->n = 0;
    if ((rc = sq_prep(s, SQL_CLAIM_DUE, &st, e))) return rc;
    db_bind_int64(st, 1, x->now);
    db_bind_int64(st, 2, x->max);
    while ((r = db_step(st)) == DB_ROW && nid < x->max && nid < 256) {
        ids[nid] = db_col_int64(st, 0);
        sq_col_text(st, 1, provs[nid++], sizeof provs[0]);
    }
    if (r != DB_ROW && r != DB_DONE) rc = sq_fail(s, r, "finding due messages", e);
    sq_done(s, st);
    for (int i = 0; !rc && i < nid; i++) {
        if ((rc = sq_prep(s, SQL_CLAIM, &st, e))) break;
        db_bind_int64(st, 1, ids[i]);
        db_bind_int64(st, 2, x->now + x->lease);
        db_bind_text(st, 3, x->owner);
        db_bind_int64(st, 4, x->now);
        db_bind_text(st, 5, provs[i]);
        rc = sq_step_done(s, st, "claiming a message", e);
        sq_done(s, st);
        if (rc || db_changes(s->db) != 1) continue; /* another worker holds it */
        if ((rc = sq_prep(s, SQL_ROW, &st, e))) break;
        db_bind_int64(st, 1, ids[i]);
        db_bind_text(st, 2, provs[i]);
        if ((r = db_step(st)) == DB_ROW)
            read_row(st, &x->rows[(*x->n)++]);
        else
            rc = sq_fail(s, r, "reading a claimed message", e);
        sq_done(s, st);
    }
    return rc;
}

int store_outbox_claim(struct store *s, const char *owner, int64_t now, int lease_s, int max,
                       struct outbox_row *rows, int *n, struct err *e)
{
    struct claim_ctx x = {owner, now, lease_s, max, rows, n};
    /* each claim is one UPDATE … WHERE the lease has expired, atomic on its row (another
     * worker's claim of it changes nothing): under the global lock shared only, so that the
     * workers of every server claim beside the province writers (docs/province-lock.md, R2) */
    int rc = store_tx_shared(s, claim_tx, &x, e);
    if (rc) *n = 0;
    return rc;
}

int store_outbox_result(struct store *s, int64_t id, const char *province, const char *owner,
                        int ok, int permanent, const char *error, int64_t now, struct err *e)
{
    struct db_stmt *st;
    int rc;
    if (ok) {
        if ((rc = sq_prep(s, SQL_SENT, &st, e))) return rc;
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, owner);
        db_bind_int64(st, 3, now);
        db_bind_text(st, 4, province);
    } else {
        int64_t attempts = 0;
        if ((rc = sq_prep(s, SQL_ATTEMPTS, &st, e))) return rc;
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, province);
        if (db_step(st) == DB_ROW) attempts = db_col_int64(st, 0);
        sq_done(s, st);
        int dead = permanent || attempts >= NOTIFY_MAX_ATTEMPTS;
        if ((rc = sq_prep(s, SQL_FAILED, &st, e))) return rc;
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, owner);
        db_bind_text(st, 3, dead ? "dead" : "failed");
        db_bind_int64(st, 4, now + notify_backoff_seconds((int)attempts));
        db_bind_text_copy(st, 5, error ? error : "failed");
        db_bind_text(st, 6, province);
    }
    rc = sq_step_done(s, st, "recording a delivery", e);
    sq_done(s, st);
    if (!rc && db_changes(s->db) != 1)
        rc =
            err_set(e, ERR_CONFLICT, "id", "message %lld: the lease was taken over", (long long)id);
    return rc;
}

int store_outbox_list(struct store *s, const char *state, int limit, outbox_fn fn, void *ctx,
                      struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e), r;
    if (rc) return rc;
    sq_bind_text(st, 1, state);
    db_bind_int64(st, 2, limit);
    struct outbox_row *o = malloc(sizeof *o);
    if (!o) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    while (!rc && (r = db_step(st)) == DB_ROW) {
        read_row(st, o);
        if (fn(o, ctx)) break;
    }
    if (!rc && r != DB_ROW && r != DB_DONE) rc = sq_fail(s, r, "listing the outbox", e);
    free(o);
    sq_done(s, st);
    return rc;
}

int store_outbox_counts(struct store *s, int64_t counts[5], struct err *e)
{
    static const char *const names[5] = {"pending", "sent", "failed", "dead", "skipped"};
    struct db_stmt *st;
    memset(counts, 0, 5 * sizeof counts[0]);
    int rc = sq_prep(s, SQL_COUNTS, &st, e), r;
    if (rc) return rc;
    while ((r = db_step(st)) == DB_ROW)
        for (int i = 0; i < 5; i++)
            if (!strcmp(db_col_text(st, 0), names[i])) counts[i] = db_col_int64(st, 1);
    if (r != DB_DONE) rc = sq_fail(s, r, "counting the outbox", e);
    sq_done(s, st);
    return rc;
}

int store_outbox_replay(struct store *s, int64_t id, int64_t now, struct err *e)
{
    struct db_stmt *st;
    char state[16] = "";
    int rc = sq_prep(s, SQL_STATE, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    if (db_step(st) == DB_ROW) sq_col_text(st, 0, state, sizeof state);
    sq_done(s, st);
    if (!state[0]) return err_set(e, ERR_NOT_FOUND, "id", "no message %lld", (long long)id);
    if (strcmp(state, "dead"))
        return err_set(e, ERR_CONFLICT, "id",
                       "message %lld is '%s': only a dead message can be replayed", (long long)id,
                       state);
    if ((rc = sq_prep(s, SQL_REPLAY, &st, e))) return rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, now);
    rc = sq_step_done(s, st, "replaying a message", e);
    sq_done(s, st);
    return rc;
}
