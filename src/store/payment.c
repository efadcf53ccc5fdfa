/* payment.c — online payment's rows (store_payment.h, migration 016): the due amount, the
 * payments, and settlement — the state from src/core/payment.c, the receipt number from the
 * unit's yearly sequence, the dossier's fee_paid_online with its hash-chained event and the
 * statistics — in one transaction. Portable SQL over db.h, so both backends run it. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"
#include "store_int.h"
#include "stats.h"
#include "store_notify.h"
#include "store_payment.h"

#define COLS                                                                                       \
    "id, ref, dossier_code, unit_code, amount_vnd, paid_amount_vnd, status, provider_ref, "        \
    "pay_url, created_at, created_day, settled_at, checked_at, settled_by, receipt_year, "         \
    "receipt_no"

static const char SQL_GET[] = "SELECT " COLS " FROM payments WHERE ref = ?1";
/* the row to settle, with its province (the dossier's, migration 037) */
static const char SQL_GET_PROV[] = "SELECT " COLS ", province FROM payments WHERE ref = ?1";
/* the payment's province for its write lock, read before the transaction */
static const char SQL_LOCK_PROVINCE[] = "SELECT province FROM payments WHERE ref = ?1 LIMIT 2";
static const char SQL_PENDING_OF[] =
    "SELECT " COLS " FROM payments WHERE dossier_code = ?1 AND status = 'pending' "
    "AND created_at >= ?2 ORDER BY id DESC LIMIT 1";
static const char SQL_LIST[] =
    "SELECT " COLS " FROM payments WHERE (CAST(?1 AS TEXT) IS NULL OR dossier_code = ?1) "
    "AND (?2 = 0 OR created_day = ?2) AND (CAST(?3 AS TEXT) IS NULL OR status = ?3) "
    "AND (?4 = 0 OR created_at < ?4) ORDER BY id";
static const char SQL_INSERT[] =
    "INSERT INTO payments (ref, dossier_id, dossier_code, unit_code, amount_vnd, status, "
    "provider_ref, pay_url, created_at, created_day, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?10) RETURNING id";
static const char SQL_SETTLE[] =
    "UPDATE payments SET status = ?2, paid_amount_vnd = ?3, settled_at = ?4, settled_by = ?5, "
    "provider_ref = coalesce(provider_ref, ?6), receipt_year = ?7, receipt_no = ?8 WHERE id = ?1";
static const char SQL_CHECKED[] = "UPDATE payments SET checked_at = ?2 WHERE id = ?1";
/* keyed (province, unit_code, year) since migration 033: one shard in the national plan; one
 * atomic statement, the year's first number too (as queue_seq's), whatever lock is held */
static const char SQL_SEQ_NEXT[] =
    "INSERT INTO receipt_seq (province, unit_code, year, last_no) VALUES (?3, ?1, ?2, 1) "
    "ON CONFLICT (province, unit_code, year) DO UPDATE SET last_no = receipt_seq.last_no + 1 "
    "RETURNING last_no";
static const char SQL_DUE_GET[] = "SELECT amount_vnd FROM payment_dues WHERE dossier_id = ?1";
static const char SQL_DUE_PUT[] =
    "INSERT INTO payment_dues (dossier_id, amount_vnd, set_by, set_at, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (dossier_id, province) DO UPDATE SET amount_vnd = excluded.amount_vnd, "
    "set_by = excluded.set_by, set_at = excluded.set_at";
static const char SQL_FEE[] = "SELECT fee_vnd FROM procedures WHERE code = ?1";
/* the backend's dossier_update writes the workflow state only; the payment flag is ours */
static const char SQL_FEE_PAID[] = "UPDATE dossiers SET fee_paid_online = 1 WHERE id = ?1";
static const char SQL_ANY_PAID[] =
    "SELECT count(*) FROM payments WHERE dossier_id = ?1 AND status = 'paid'";

static void read_row(struct db_stmt *st, struct payment_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int64(st, 0);
    sq_col_text(st, 1, p->ref, sizeof p->ref);
    sq_col_text(st, 2, p->dossier, sizeof p->dossier);
    sq_col_text(st, 3, p->unit, sizeof p->unit);
    p->amount = db_col_int64(st, 4);
    p->paid_amount = db_col_int64(st, 5);
    int k = payment_status_parse(db_col_text(st, 6));
    p->status = k < 0 ? PAY_PENDING : (enum payment_status)k;
    sq_col_text(st, 7, p->provider_ref, sizeof p->provider_ref);
    sq_col_text(st, 8, p->pay_url, sizeof p->pay_url);
    p->created_at = db_col_int64(st, 9);
    p->created_day = db_col_int64(st, 10);
    p->settled_at = db_col_int64(st, 11);
    p->checked_at = db_col_int64(st, 12);
    sq_col_text(st, 13, p->settled_by, sizeof p->settled_by);
    p->receipt_year = db_col_int64(st, 14);
    p->receipt_no = db_col_int64(st, 15);
}

/* One row of sql bound with text a (and int b if b_set) into out; with prov, sql's column 16
 * (SQL_GET_PROV's province) into it. */
static int get_one(struct store *s, const char *sql, const char *a, int64_t b, int b_set,
                   struct payment_row *out, char *prov, const char *what, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, a);
    if (b_set) db_bind_int64(st, 2, b);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_row(st, out);
        if (prov) sq_col_text(st, 16, prov, UNIT_CODE_MAX);
    } else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "payment", "%s: no such payment", what);
    else
        rc = sq_fail(s, step, "reading a payment", e);
    sq_done(s, st);
    return rc;
}

int store_payment_get(struct store *s, const char *ref, struct payment_row *out, struct err *e)
{
    return get_one(s, SQL_GET, ref, 0, 0, out, NULL, "payment", e);
}

int store_payment_pending_of(struct store *s, const char *code, int64_t since,
                             struct payment_row *out, struct err *e)
{
    return get_one(s, SQL_PENDING_OF, code, since, 1, out, NULL, "pending payment", e);
}

int store_payment_list(struct store *s, const struct payment_filter *f, payment_fn fn, void *ctx,
                       struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e), step;
    if (rc) return rc;
    db_bind_text(st, 1, f->dossier && f->dossier[0] ? f->dossier : NULL);
    db_bind_int64(st, 2, f->day);
    db_bind_text(st, 3,
                 f->status ? payment_status_name((enum payment_status)(f->status - 1)) : NULL);
    db_bind_int64(st, 4, f->created_before);
    while ((step = db_step(st)) == DB_ROW) {
        struct payment_row p;
        read_row(st, &p);
        if ((rc = fn(&p, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "listing payments", e);
    sq_done(s, st);
    return rc;
}

/* One integer of sql bound with an id or a text (*found 0 when there is no row). */
static int int_of(struct store *s, const char *sql, int64_t id, const char *text, int64_t *v,
                  int *found, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    if (text)
        db_bind_text(st, 1, text);
    else
        db_bind_int64(st, 1, id);
    int step = db_step(st);
    *found = step == DB_ROW;
    *v = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step == DB_ROW && db_col_null(st, 0)) *v = -1;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading a payment figure", e);
    sq_done(s, st);
    return rc;
}

/* The due of dossier d (read in the caller's transaction). */
static int due_of(struct store *s, const struct dossier *d, struct payment_due *out, struct err *e)
{
    int64_t v;
    int found, rc;
    memset(out, 0, sizeof *out);
    out->payable =
        d->st.status != DS_REFUSED && d->st.status != DS_WITHDRAWN && d->st.status != DS_CANCELLED;
    if ((rc = int_of(s, SQL_ANY_PAID, d->id, NULL, &v, &found, e))) return rc;
    out->paid = d->fee_paid_online || v > 0;
    if ((rc = int_of(s, SQL_DUE_GET, d->id, NULL, &v, &found, e))) return rc;
    if (found) {
        out->amount = v;
        out->source = DUE_OFFICER;
        return 0;
    }
    if ((rc = int_of(s, SQL_FEE, 0, d->procedure, &v, &found, e))) return rc;
    if (found && v > 0) {
        out->amount = v;
        out->source = DUE_CATALOGUE;
    }
    return 0;
}

struct due_ctx {
    const char *code;
    struct payment_due *out;
    int64_t amount, at;
    const char *by;
    struct payment_row *p;
};

static int due_read(struct store *s, void *ctx, struct err *e)
{
    struct due_ctx *x = ctx;
    struct dossier d;
    int rc = store_backend(s)->dossier_get(s, x->code, &d, e);
    return rc ? rc : due_of(s, &d, x->out, e);
}

int store_payment_due(struct store *s, const char *code, struct payment_due *out, struct err *e)
{
    struct due_ctx x = {.code = code, .out = out};
    return store_in_tx(s) ? due_read(s, &x, e) : store_read(s, due_read, &x, e);
}

static int due_set_tx(struct store *s, void *ctx, struct err *e)
{
    struct due_ctx *x = ctx;
    struct dossier d;
    struct payment_due due;
    int64_t fee;
    int found, rc = store_backend(s)->dossier_get(s, x->code, &d, e);
    if (!rc) rc = due_of(s, &d, &due, e);
    if (!rc) rc = int_of(s, SQL_FEE, 0, d.procedure, &fee, &found, e);
    if (rc) return rc;
    if (found && fee > 0)
        return err_set(e, ERR_CONFLICT, "amount_vnd",
                       "procedure %s: the catalogue fixes its fee at %lld VND; only fees the "
                       "province sets are set here",
                       d.procedure, (long long)fee);
    if (due.paid)
        return err_set(e, ERR_CONFLICT, "code", "dossier %s: the fee is already paid", d.code);
    char prov[UNIT_CODE_MAX]; /* the dossier's (migration 037) */
    struct db_stmt *st;
    if ((rc = sq_dossier_province(s, d.id, prov, sizeof prov, e)) ||
        (rc = sq_prov_guard(s, prov, e)) || (rc = sq_prep(s, SQL_DUE_PUT, &st, e)))
        return rc;
    db_bind_int64(st, 1, d.id);
    db_bind_text(st, 5, prov);
    db_bind_int64(st, 2, x->amount);
    db_bind_text(st, 3, x->by);
    db_bind_int64(st, 4, x->at);
    rc = sq_step_done(s, st, "writing the fee to collect", e);
    sq_done(s, st);
    return rc;
}

int store_payment_due_set(struct store *s, const char *code, int64_t amount, const char *by,
                          int64_t at, struct err *e)
{
    int rc = payment_amount_check(amount, "amount_vnd", e);
    if (rc) return rc;
    struct due_ctx x = {.code = code, .amount = amount, .at = at, .by = by};
    return store_tx_dossier(s, code, due_set_tx, &x, e);
}

static int insert_tx(struct store *s, void *ctx, struct err *e)
{
    struct due_ctx *x = ctx;
    struct payment_row *p = x->p;
    struct dossier d;
    struct payment_due due;
    int rc = store_backend(s)->dossier_get(s, p->dossier, &d, e);
    if (!rc) rc = due_of(s, &d, &due, e);
    if (rc) return rc;
    if (!due.payable)
        return err_set(e, ERR_CONFLICT, "code", "dossier %s is %s: nothing to pay", d.code,
                       dossier_status_name(d.st.status));
    if (due.paid)
        return err_set(e, ERR_CONFLICT, "code", "dossier %s: the fee is already paid", d.code);
    if (due.source == DUE_NONE)
        return err_set(e, ERR_CONFLICT, "code",
                       "dossier %s: no fee to pay online (none in the catalogue, none set by "
                       "the desk)",
                       d.code);
    if (due.amount != p->amount)
        return err_set(e, ERR_CONFLICT, "amount_vnd",
                       "dossier %s: the fee is now %lld VND, not %lld", d.code,
                       (long long)due.amount, (long long)p->amount);
    snprintf(p->unit, sizeof p->unit, "%s", d.unit);
    p->created_day = instant_day(p->created_at);
    p->status = PAY_PENDING;
    char prov[UNIT_CODE_MAX]; /* the dossier's (migration 037) */
    struct db_stmt *st;
    if ((rc = sq_dossier_province(s, d.id, prov, sizeof prov, e)) ||
        (rc = sq_prov_guard(s, prov, e)) || (rc = sq_prep(s, SQL_INSERT, &st, e)))
        return rc;
    db_bind_text(st, 1, p->ref);
    db_bind_text(st, 10, prov);
    db_bind_int64(st, 2, d.id);
    db_bind_text(st, 3, d.code);
    db_bind_text(st, 4, d.unit);
    db_bind_int64(st, 5, p->amount);
    db_bind_text(st, 6, p->provider_ref[0] ? p->provider_ref : NULL);
    db_bind_text(st, 7, p->pay_url[0] ? p->pay_url : NULL);
    db_bind_int64(st, 8, p->created_at);
    db_bind_int64(st, 9, p->created_day);
    rc = sq_insert_id(s, st, "writing a payment", &p->id, e);
    sq_done(s, st);
    return rc;
}

int store_payment_insert(struct store *s, struct payment_row *p, struct err *e)
{
    struct due_ctx x = {.p = p};
    return store_tx_dossier(s, p->dossier, insert_tx, &x, e);
}

/* The next receipt number of unit in year: the sequence row moved inside the caller's
 * transaction, so a rolled-back settlement gives its number back (no gaps). */
static int receipt_next(struct store *s, const char *unit, int64_t year, int64_t *no, struct err *e)
{
    char province[UNIT_CODE_MAX];
    int rc = store_unit_root(s, unit, province, sizeof province, e);
    if (!rc) rc = sq_prov_guard(s, province, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_SEQ_NEXT, &st, e))) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, year);
    db_bind_text(st, 3, province);
    int step = db_step(st);
    *no = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step == DB_ROW) step = db_step(st);
    if (step != DB_DONE)
        rc = sq_fail(s, step, "numbering a receipt", e);
    else if (!*no)
        rc = err_set(e, ERR_IO, "", "numbering a receipt: no number returned");
    sq_done(s, st);
    return rc;
}

/* The dossier's fee_paid_online from the payment: one event 'pay' in its chain, the
 * statistics moved (paid_online of Decision 766 indicator 3.6). */
static int dossier_mark_paid(struct store *s, const char *code, const char *receipt, int64_t at,
                             struct err *e)
{
    const struct store_backend *be = store_backend(s);
    struct dossier d;
    int rc = be->dossier_get(s, code, &d, e);
    if (rc || d.fee_paid_online) return rc;
    struct dossier nxt = d;
    nxt.fee_paid_online = 1;
    nxt.n_events++;
    struct dossier_derived x;
    unsigned char h[AUDIT_HASH_LEN];
    struct db_stmt *st;
    if ((rc = dossier_derive(&nxt, &x, e)) || (rc = be->dossier_update(s, &d, &nxt, &x, e)) ||
        (rc = sq_prep(s, SQL_FEE_PAID, &st, e)))
        return rc;
    db_bind_int64(st, 1, d.id);
    rc = sq_step_done(s, st, "marking the dossier's fee paid", e);
    sq_done(s, st);
    if (rc) return rc;
    audit_dossier_hash(&nxt, &x, h);
    char note[64];
    snprintf(note, sizeof note, "receipt %s", receipt);
    /* the provider's time, never backdated; the dossier's own clock (last_at) is left alone:
     * a payment is not a step of its processing */
    struct event_time t = {at, store_now_minutes(), 0};
    rc = audit_append(s, &nxt, h, "pay", dossier_status_name(d.st.status), "payment", note, &t, e);
    if (!rc) rc = store_stats_apply_event(s, &d, &nxt, e);
    return rc;
}

struct settle_ctx {
    const char *ref, *provider_ref, *source;
    enum payment_report rep;
    int64_t amount, at;
    struct payment_settle_out *out;
};

static int settle_tx(struct store *s, void *ctx, struct err *e)
{
    struct settle_ctx *x = ctx;
    struct payment_row p;
    char prov[UNIT_CODE_MAX] = "";
    /* the row read to be changed: a province transaction changes only its own */
    int rc = get_one(s, SQL_GET_PROV, x->ref, 0, 0, &p, prov, "payment", e);
    if (!rc) rc = sq_prov_guard(s, prov, e);
    if (rc) return rc;
    enum payment_status to;
    int is_query = !strcmp(x->source, "query");
    x->out->changed = payment_next(p.status, x->rep, x->amount == p.amount, &to);
    struct db_stmt *st;
    if (is_query) {
        if ((rc = sq_prep(s, SQL_CHECKED, &st, e))) return rc;
        db_bind_int64(st, 1, p.id);
        db_bind_int64(st, 2, x->at);
        rc = sq_step_done(s, st, "writing a payment", e);
        sq_done(s, st);
        if (rc) return rc;
        p.checked_at = x->at;
    }
    if (!x->out->changed) {
        x->out->p = p;
        return 0;
    }
    p.status = to;
    if (x->rep == PR_PAID) p.paid_amount = x->amount;
    p.settled_at = x->at;
    snprintf(p.settled_by, sizeof p.settled_by, "%s", is_query ? "query" : "callback");
    if (!p.provider_ref[0] && x->provider_ref)
        snprintf(p.provider_ref, sizeof p.provider_ref, "%s", x->provider_ref);
    if (to == PAY_PAID) {
        p.receipt_year = days_to_ymd(instant_day(x->at)).y;
        if ((rc = receipt_next(s, p.unit, p.receipt_year, &p.receipt_no, e))) return rc;
    }
    if ((rc = sq_prep(s, SQL_SETTLE, &st, e))) return rc;
    db_bind_int64(st, 1, p.id);
    db_bind_text(st, 2, payment_status_name(to));
    if (x->rep == PR_PAID)
        db_bind_int64(st, 3, p.paid_amount);
    else
        db_bind_null(st, 3);
    db_bind_int64(st, 4, p.settled_at);
    db_bind_text(st, 5, p.settled_by);
    db_bind_text(st, 6, x->provider_ref && x->provider_ref[0] ? x->provider_ref : NULL);
    if (to == PAY_PAID) {
        db_bind_int64(st, 7, p.receipt_year);
        db_bind_int64(st, 8, p.receipt_no);
    } else {
        db_bind_null(st, 7);
        db_bind_null(st, 8);
    }
    rc = sq_step_done(s, st, "settling a payment", e);
    sq_done(s, st);
    if (!rc && to == PAY_PAID) {
        char no[32];
        payment_receipt_format(p.receipt_year, p.receipt_no, no, sizeof no);
        rc = dossier_mark_paid(s, p.dossier, no, x->at, e);
        /* "payment confirmed" to the applicant, in the transaction that settles it: a paid
         * fee always has its message (docs/notify.md) */
        if (!rc) {
            char amount[48];
            stats_int_format(p.amount, amount, sizeof amount - 4);
            strcat(amount, " đ");
            rc = store_notify_payment_confirmed(s, p.dossier, amount, no, e);
        }
    }
    if (!rc) x->out->p = p;
    return rc;
}

int store_payment_settle(struct store *s, const char *ref, enum payment_report rep, int64_t amount,
                         const char *provider_ref, const char *source, int64_t at,
                         struct payment_settle_out *out, struct err *e)
{
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    struct settle_ctx x = {ref, provider_ref, source, rep, amount, at, out};
    return sq_tx_keyed(s, SQL_LOCK_PROVINCE, ref, settle_tx, &x, e); /* the payment's */
}
