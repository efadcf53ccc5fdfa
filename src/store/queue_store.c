/* queue_store.c — the desk queue and appointments in the store (store_queue.h, migration
 * 017), in the SQL both backends share. A number is the counter's day sequence moved by an
 * upsert inside the write transaction (store_tx serialises writers on both backends), so
 * concurrent takes get unique, gap-free numbers; every decision about a ticket's state is
 * core's (queue_transition). Tickets and appointments carry their unit's province (migration
 * 040), the root of the desk's unit, looked up once with the unit's counters. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "store_queue.h"

#define TICKET_COLS                                                                                \
    "id, unit, day, number, counter_no, field, channel, priority, status, taken_at, called_at, "   \
    "last_call_at, calls, done_at, officer"

/* counters and their sequence are keyed with the unit's province (migration 034,
 * store_unit_root): one shard in the national plan */
static const char SQL_C_PUT[] =
    "INSERT INTO queue_counters (province, unit, no, name, fields, active) "
    "VALUES (?6, ?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (province, unit, no) DO UPDATE SET name = excluded.name, "
    "fields = excluded.fields, active = excluded.active";
static const char SQL_FIELD[] = "SELECT 1 FROM procedures WHERE field = ?1 LIMIT 1";
static const char SQL_C_LIST[] =
    "SELECT unit, no, name, fields, active FROM queue_counters WHERE province = ?2 AND unit = ?1 "
    "ORDER BY no";
static const char SQL_WAITING[] =
    "SELECT count(*) FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND counter_no = ?3 AND "
    "status = 'waiting'";
static const char SQL_AHEAD[] =
    "SELECT count(*) FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND counter_no = ?3 AND "
    "status = 'waiting' AND (priority > ?4 OR (priority = ?4 AND id < ?5))";
static const char SQL_REQ[] =
    "SELECT count(*) FROM queue_tickets WHERE day = ?1 AND requester = ?2";
static const char SQL_CONTACT[] =
    "SELECT count(*) FROM queue_tickets WHERE day = ?1 AND contact = ?2";
static const char SQL_SEQ[] =
    "INSERT INTO queue_seq (province, unit, day, counter_no, last) VALUES (?4, ?1, ?2, ?3, 1) "
    "ON CONFLICT (province, unit, day, counter_no) DO UPDATE SET last = queue_seq.last + 1 "
    "RETURNING last";
static const char SQL_T_ADD[] =
    "INSERT INTO queue_tickets (unit, day, number, counter_no, field, channel, priority, status, "
    "taken_at, calls, requester, contact, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "'waiting', ?8, 0, ?9, ?10, ?11) RETURNING id";
static const char SQL_T_GET[] =
    "SELECT " TICKET_COLS " FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND number = ?3";
static const char SQL_T_NEXT[] =
    "SELECT " TICKET_COLS " FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND "
    "counter_no = ?3 AND status = 'waiting' "
    "ORDER BY priority DESC, taken_at, id LIMIT 1";
static const char SQL_T_CURRENT[] =
    "SELECT " TICKET_COLS " FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND "
    "counter_no = ?3 AND status = 'called' ORDER BY id";
static const char SQL_T_SET[] =
    "UPDATE queue_tickets SET status = ?2, counter_no = ?3, called_at = ?4, last_call_at = ?5, "
    "calls = ?6, done_at = ?7, officer = ?8 WHERE id = ?1";
static const char SQL_T_LIST[] =
    "SELECT " TICKET_COLS " FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND "
    "(?3 = 0 OR counter_no = ?3) AND (CAST(?4 AS TEXT) IS NULL OR status = ?4) "
    "ORDER BY priority DESC, taken_at, id";
static const char SQL_T_CALLS[] =
    "SELECT " TICKET_COLS " FROM queue_tickets WHERE unit = ?1 AND day = ?2 AND "
    "last_call_at IS NOT NULL ORDER BY last_call_at DESC, id DESC LIMIT ?3";
static const char SQL_STATS[] =
    "SELECT day, taken_at, called_at, done_at, status FROM queue_tickets WHERE unit = ?1 AND "
    "(?2 = 0 OR counter_no = ?2) AND day BETWEEN ?3 AND ?4 ORDER BY day, taken_at, id";
static const char SQL_SVC[] =
    "SELECT count(*), COALESCE(sum(done_at - called_at), 0) FROM queue_tickets WHERE unit = ?1 "
    "AND day = ?2 AND counter_no = ?3 AND status = 'served'";
static const char SQL_A_ADD[] =
    "INSERT INTO queue_appointments (code, unit, counter_no, day, slot, field, name, phone, "
    "status, created_at, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'booked', ?9, ?10) "
    "RETURNING id";
static const char SQL_A_COUNT[] =
    "SELECT count(*) FROM queue_appointments WHERE unit = ?1 AND counter_no = ?2 AND day = ?3 "
    "AND slot = ?4 AND status <> 'cancelled'";
static const char SQL_A_GET[] =
    "SELECT id, code, unit, counter_no, day, slot, field, name, phone, status, number FROM "
    "queue_appointments WHERE code = ?1";
static const char SQL_A_SET[] =
    "UPDATE queue_appointments SET status = ?2, number = ?3 WHERE id = ?1";

static int count_one(struct store *s, const char *sql, const char *t1, int64_t i2, int64_t i3,
                     int64_t i4, int64_t i5, int64_t *out, struct err *e)
{
    /* binds ?1 text (when t1), then ?2.. integers as the statement uses them */
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    int k = 1;
    if (t1) db_bind_text(st, k++, t1);
    db_bind_int64(st, k++, i2);
    if (strstr(sql, "?3")) db_bind_int64(st, k++, i3);
    if (strstr(sql, "?4")) db_bind_int64(st, k++, i4);
    if (strstr(sql, "?5")) db_bind_int64(st, k++, i5);
    int step = db_step(st);
    if (step == DB_ROW)
        *out = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "counting queue rows", e);
    sq_done(s, st);
    return rc;
}

static void read_counter(struct db_stmt *st, struct queue_counter *c)
{
    memset(c, 0, sizeof *c);
    sq_col_text(st, 0, c->unit, sizeof c->unit);
    c->no = (int)db_col_int64(st, 1);
    sq_col_text(st, 2, c->name, sizeof c->name);
    const char *f = db_col_text(st, 3);
    queue_fields_parse(f ? f : "", c, NULL);
    c->active = (int)db_col_int64(st, 4);
}

static void read_ticket(struct db_stmt *st, struct queue_ticket *t)
{
    memset(t, 0, sizeof *t);
    t->id = db_col_int64(st, 0);
    sq_col_text(st, 1, t->unit, sizeof t->unit);
    t->day = db_col_int64(st, 2);
    t->number = (int)db_col_int64(st, 3);
    t->counter_no = (int)db_col_int64(st, 4);
    sq_col_text(st, 5, t->field, sizeof t->field);
    const char *ch = db_col_text(st, 6);
    t->channel = ch && !strcmp(ch, "phone")     ? QC_PHONE
                 : ch && !strcmp(ch, "booking") ? QC_BOOKING
                                                : QC_DESK;
    t->priority = (int)db_col_int64(st, 7);
    enum queue_status qs = QS_WAITING;
    queue_status_parse(db_col_text(st, 8), &qs);
    t->status = qs;
    t->taken_at = db_col_int64(st, 9);
    t->called_at = db_col_int64(st, 10);
    t->last_call_at = db_col_int64(st, 11);
    t->calls = (int)db_col_int64(st, 12);
    t->done_at = db_col_int64(st, 13);
    sq_col_text(st, 14, t->officer, sizeof t->officer);
}

int store_queue_counter_put(struct store *s, const struct queue_counter *c, struct err *e)
{
    int rc = queue_counter_check(c, e);
    if (rc) return rc;
    struct unit u;
    rc = store_unit_get(s, c->unit, &u, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "unit", "unit '%s' does not exist", c->unit);
    if (rc) return rc;
    for (int i = 0; i < c->n_fields; i++) {
        struct db_stmt *st;
        if ((rc = sq_prep(s, SQL_FIELD, &st, e))) return rc;
        db_bind_text(st, 1, c->fields[i]);
        int step = db_step(st);
        if (step == DB_DONE)
            rc = err_set(e, ERR_INVALID, "fields",
                         "field '%s': not a field of the procedures catalogue", c->fields[i]);
        else if (step != DB_ROW)
            rc = sq_fail(s, step, "reading the catalogue's fields", e);
        sq_done(s, st);
        if (rc) return rc;
    }
    char fields[QUEUE_FIELDS_MAX * QUEUE_FIELD_LEN];
    queue_fields_join(c, fields, sizeof fields);
    char province[UNIT_CODE_MAX];
    if ((rc = store_unit_root(s, c->unit, province, sizeof province, e))) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_C_PUT, &st, e))) return rc;
    db_bind_text(st, 6, province);
    db_bind_text(st, 1, c->unit);
    db_bind_int64(st, 2, c->no);
    db_bind_text(st, 3, c->name);
    db_bind_text(st, 4, fields);
    db_bind_int64(st, 5, c->active ? 1 : 0);
    rc = sq_step_done(s, st, "writing a counter", e);
    sq_done(s, st);
    return rc;
}

/* The counters of unit, whose province (store_unit_root) the caller has. */
static int counters_of(struct store *s, const char *unit, const char *province, queue_counter_fn fn,
                       void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_C_LIST, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, province);
    struct queue_counter *c = malloc(sizeof *c);
    if (!c) rc = err_set(e, ERR_NOMEM, "counter", "out of memory");
    int step;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        read_counter(st, c);
        rc = fn(c, ctx);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading counters", e);
    free(c);
    sq_done(s, st);
    return rc;
}

int store_queue_counters(struct store *s, const char *unit, queue_counter_fn fn, void *ctx,
                         struct err *e)
{
    char province[UNIT_CODE_MAX];
    int rc = store_unit_root(s, unit, province, sizeof province, e);
    return rc ? rc : counters_of(s, unit, province, fn, ctx, e);
}

/* The unit's counters, read whole (at most QUEUE_COUNTER_MAX). */
struct counter_set {
    int n;
    struct queue_counter c[QUEUE_COUNTER_MAX];
};
static int collect_counter(const struct queue_counter *c, void *ctx)
{
    struct counter_set *cs = ctx;
    if (cs->n < QUEUE_COUNTER_MAX) cs->c[cs->n++] = *c;
    return 0;
}
static const struct queue_counter *find_counter(const struct counter_set *cs, int no)
{
    for (int i = 0; i < cs->n; i++)
        if (cs->c[i].no == no) return &cs->c[i];
    return NULL;
}

int store_queue_service_s(struct store *s, const char *unit, int64_t day, int counter_no, int *out,
                          struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SVC, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, day);
    db_bind_int64(st, 3, counter_no);
    int step = db_step(st);
    if (step == DB_ROW) {
        int64_t n = db_col_int64(st, 0), sum = db_col_int64(st, 1);
        *out = n > 0 && sum > 0 ? (int)(sum / n) : QUEUE_DEFAULT_SVC;
    } else
        rc = sq_fail(s, step, "reading service times", e);
    sq_done(s, st);
    return rc;
}

struct take_ctx {
    const struct queue_take *in;
    struct queue_ticket *out;
};

static int limit_check(struct store *s, const char *sql, const char *key, const char *what,
                       const struct queue_take *in, struct err *e)
{
    if (!key || in->limit <= 0) return 0;
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, in->day);
    db_bind_text(st, 2, key);
    int step = db_step(st);
    int64_t n = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step != DB_ROW) rc = sq_fail(s, step, "counting numbers taken", e);
    sq_done(s, st);
    if (!rc && n >= in->limit)
        rc = err_set(e, ERR_RANGE, "limit", "%s already took %d numbers today (at most %d a day)",
                     what, (int)n, in->limit);
    return rc;
}

static int take_tx(struct store *s, void *vctx, struct err *e)
{
    struct take_ctx *x = vctx;
    const struct queue_take *in = x->in;
    struct counter_set *cs = calloc(1, sizeof *cs);
    if (!cs) return err_set(e, ERR_NOMEM, "counter", "out of memory");
    /* the unit's province: for its counters, the sequence row and the ticket below */
    char province[UNIT_CODE_MAX];
    int rc = store_unit_root(s, in->unit, province, sizeof province, e);
    if (!rc) rc = counters_of(s, in->unit, province, collect_counter, cs, e);
    const struct queue_counter *c = NULL;
    const char *field = in->field && in->field[0] ? in->field : NULL;
    if (!rc && in->counter_no) {
        c = find_counter(cs, in->counter_no);
        if (!c || !c->active)
            rc = err_set(e, ERR_INVALID, "counter", "counter %d: no such open counter at unit '%s'",
                         in->counter_no, in->unit);
        else if (field && !queue_counter_serves(c, field))
            rc = err_set(e, ERR_INVALID, "field", "field '%s': counter %d does not serve it", field,
                         c->no);
        else if (!field)
            field = c->fields[0];
    } else if (!rc) {
        if (!field) rc = err_set(e, ERR_INVALID, "field", "field: give the field or the counter");
        int64_t best = -1;
        for (int i = 0; !rc && i < cs->n; i++) {
            if (!cs->c[i].active || !queue_counter_serves(&cs->c[i], field)) continue;
            int64_t w;
            if ((rc = count_one(s, SQL_WAITING, in->unit, in->day, cs->c[i].no, 0, 0, &w, e)))
                break;
            if (best < 0 || w < best) best = w, c = &cs->c[i];
        }
        if (!rc && !c)
            rc = err_set(e, ERR_INVALID, "field",
                         "field '%s': no open counter of unit '%s' serves it", field, in->unit);
    }
    if (!rc) rc = limit_check(s, SQL_REQ, in->requester, "this address", in, e);
    if (!rc) rc = limit_check(s, SQL_CONTACT, in->contact, "this phone number", in, e);
    int64_t seq = 0;
    struct db_stmt *st;
    if (!rc && !(rc = sq_prep(s, SQL_SEQ, &st, e))) {
        db_bind_text(st, 4, province);
        db_bind_text(st, 1, in->unit);
        db_bind_int64(st, 2, in->day);
        db_bind_int64(st, 3, c->no);
        int step = db_step(st);
        if (step == DB_ROW)
            seq = db_col_int64(st, 0);
        else
            rc = sq_fail(s, step, "moving the counter's sequence", e);
        sq_done(s, st);
        if (!rc && seq > QUEUE_SEQ_MAX)
            rc = err_set(e, ERR_RANGE, "number", "counter %d has given all %d numbers of the day",
                         c->no, QUEUE_SEQ_MAX);
    }
    struct queue_ticket *t = x->out;
    if (!rc) {
        memset(t, 0, sizeof *t);
        snprintf(t->unit, sizeof t->unit, "%s", in->unit);
        t->day = in->day;
        t->number = queue_number(c->no, (int)seq);
        t->counter_no = c->no;
        snprintf(t->field, sizeof t->field, "%s", field);
        snprintf(t->counter_name, sizeof t->counter_name, "%s", c->name);
        t->channel = in->channel;
        t->priority = in->priority;
        t->status = QS_WAITING;
        t->taken_at = in->at;
    }
    if (!rc && !(rc = sq_prep(s, SQL_T_ADD, &st, e))) {
        db_bind_text(st, 1, in->unit);
        db_bind_int64(st, 2, in->day);
        db_bind_int64(st, 3, t->number);
        db_bind_int64(st, 4, c->no);
        db_bind_text(st, 5, t->field);
        db_bind_text(st, 6, queue_channel_name(in->channel));
        db_bind_int64(st, 7, in->priority);
        db_bind_int64(st, 8, in->at);
        sq_bind_text(st, 9, in->requester);
        sq_bind_text(st, 10, in->contact);
        db_bind_text(st, 11, province);
        rc = sq_insert_id(s, st, "writing a ticket", &t->id, e);
        sq_done(s, st);
    }
    int64_t ahead = 0;
    int svc = QUEUE_DEFAULT_SVC;
    if (!rc) rc = count_one(s, SQL_AHEAD, in->unit, in->day, c->no, in->priority, t->id, &ahead, e);
    if (!rc) rc = store_queue_service_s(s, in->unit, in->day, c->no, &svc, e);
    if (!rc) {
        t->ahead = (int)ahead;
        t->expected_s = (int)ahead * svc;
    }
    free(cs);
    return rc;
}

int store_queue_take(struct store *s, const struct queue_take *in, struct queue_ticket *out,
                     struct err *e)
{
    struct take_ctx x = {in, out};
    return store_tx(s, take_tx, &x, e);
}

static int ticket_one(struct store *s, const char *sql, const char *unit, int64_t day, int64_t n,
                      struct queue_ticket *out, int *found, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, day);
    db_bind_int64(st, 3, n);
    int step = db_step(st);
    *found = step == DB_ROW;
    if (step == DB_ROW)
        read_ticket(st, out);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "reading a ticket", e);
    sq_done(s, st);
    return rc;
}

int store_queue_ticket(struct store *s, const char *unit, int64_t day, int number,
                       struct queue_ticket *out, struct err *e)
{
    int found = 0;
    int rc = ticket_one(s, SQL_T_GET, unit, day, number, out, &found, e);
    if (!rc && !found)
        rc = err_set(e, ERR_NOT_FOUND, "number", "number %d: no such ticket today", number);
    return rc;
}

static int ticket_write(struct store *s, const struct queue_ticket *t, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_T_SET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, t->id);
    db_bind_text(st, 2, queue_status_name(t->status));
    db_bind_int64(st, 3, t->counter_no);
#define BIND_TIME(i, v)                                                                            \
    if (v)                                                                                         \
        db_bind_int64(st, i, v);                                                                   \
    else                                                                                           \
        db_bind_null(st, i)
    BIND_TIME(4, t->called_at);
    BIND_TIME(5, t->last_call_at);
    db_bind_int64(st, 6, t->calls);
    BIND_TIME(7, t->done_at);
#undef BIND_TIME
    sq_bind_text(st, 8, t->officer);
    rc = sq_step_done(s, st, "writing a ticket", e);
    sq_done(s, st);
    return rc;
}

/* Applies action a to ticket t (read in this transaction) and writes it. */
static int apply(struct store *s, const struct queue_act *a, const struct counter_set *cs,
                 struct queue_ticket *t, struct err *e)
{
    enum queue_status to;
    int rc = queue_transition(t->status, a->action, &to, e);
    if (rc) return rc;
    switch (a->action) {
    case QA_CALL:
    case QA_RECALL:
        if (!t->called_at) t->called_at = a->at;
        t->last_call_at = a->at;
        t->calls++;
        snprintf(t->officer, sizeof t->officer, "%s", a->officer ? a->officer : "");
        break;
    case QA_SERVE:
    case QA_NO_SHOW:
        t->done_at = a->at;
        break;
    case QA_TRANSFER: {
        const struct queue_counter *c = find_counter(cs, a->counter_no);
        if (!c || !c->active)
            return err_set(e, ERR_INVALID, "to_counter", "counter %d: no such open counter",
                           a->counter_no);
        if (c->no == t->counter_no)
            return err_set(e, ERR_INVALID, "to_counter",
                           "counter %d: the ticket is already at this counter", c->no);
        t->counter_no = c->no;
        break;
    }
    default:
        return err_set(e, ERR_INVALID, "action", "unknown action");
    }
    t->status = to;
    return ticket_write(s, t, e);
}

struct act_ctx {
    const struct queue_act *a;
    struct queue_ticket *out;
};

static int act_tx(struct store *s, void *vctx, struct err *e)
{
    struct act_ctx *x = vctx;
    const struct queue_act *a = x->a;
    struct counter_set *cs = calloc(1, sizeof *cs);
    if (!cs) return err_set(e, ERR_NOMEM, "counter", "out of memory");
    int rc = store_queue_counters(s, a->unit, collect_counter, cs, e);
    int found = 0;
    if (!rc && a->action == QA_CALL && !a->number) {
        const struct queue_counter *c = find_counter(cs, a->counter_no);
        if (!c || !c->active)
            rc = err_set(e, ERR_INVALID, "counter", "counter %d: no such open counter at unit '%s'",
                         a->counter_no, a->unit);
        /* the counter's called ticket was served when the officer calls the next one */
        struct queue_ticket cur;
        while (
            !rc &&
            !(rc = ticket_one(s, SQL_T_CURRENT, a->unit, a->day, a->counter_no, &cur, &found, e)) &&
            found) {
            struct queue_act serve = *a;
            serve.action = QA_SERVE;
            rc = apply(s, &serve, cs, &cur, e);
        }
        if (!rc) rc = ticket_one(s, SQL_T_NEXT, a->unit, a->day, a->counter_no, x->out, &found, e);
        if (!rc && !found)
            rc = err_set(e, ERR_NOT_FOUND, "queue", "no one is waiting at counter %d",
                         a->counter_no);
    } else if (!rc) {
        rc = store_queue_ticket(s, a->unit, a->day, a->number, x->out, e);
    }
    if (!rc) rc = apply(s, a, cs, x->out, e);
    if (!rc) {
        const struct queue_counter *c = find_counter(cs, x->out->counter_no);
        if (c) snprintf(x->out->counter_name, sizeof x->out->counter_name, "%s", c->name);
    }
    free(cs);
    return rc;
}

int store_queue_act(struct store *s, const struct queue_act *a, struct queue_ticket *out,
                    struct err *e)
{
    struct act_ctx x = {a, out};
    return store_tx(s, act_tx, &x, e);
}

static int ticket_iter(struct store *s, struct db_stmt *st, queue_ticket_fn fn, void *ctx,
                       struct err *e)
{
    struct queue_ticket t;
    int rc = 0, step;
    while ((step = db_step(st)) == DB_ROW) {
        read_ticket(st, &t);
        if ((rc = fn(&t, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading tickets", e);
    sq_done(s, st);
    return rc;
}

int store_queue_tickets(struct store *s, const char *unit, int64_t day, int counter_no, int sts,
                        queue_ticket_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_T_LIST, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, day);
    db_bind_int64(st, 3, counter_no);
    if (sts >= 0)
        db_bind_text(st, 4, queue_status_name((enum queue_status)sts));
    else
        db_bind_null(st, 4);
    return ticket_iter(s, st, fn, ctx, e);
}

int store_queue_calls(struct store *s, const char *unit, int64_t day, int limit, queue_ticket_fn fn,
                      void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_T_CALLS, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, day);
    db_bind_int64(st, 3, limit);
    return ticket_iter(s, st, fn, ctx, e);
}

int store_queue_stats(struct store *s, const char *unit, int counter_no, int64_t from, int64_t to,
                      struct queue_stats *out, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_STATS, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_int64(st, 2, counter_no);
    db_bind_int64(st, 3, from);
    db_bind_int64(st, 4, to);
    size_t n = 0, cap = 256;
    struct queue_sample *v = malloc(cap * sizeof *v);
    if (!v) rc = err_set(e, ERR_NOMEM, "stats", "out of memory");
    int step = DB_DONE;
    while (!rc && (step = db_step(st)) == DB_ROW) {
        if (n == cap) {
            struct queue_sample *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                rc = err_set(e, ERR_NOMEM, "stats", "out of memory");
                break;
            }
            v = nv;
            cap *= 2;
        }
        struct queue_sample *x = &v[n++];
        x->day = db_col_int64(st, 0);
        x->taken = db_col_int64(st, 1);
        x->called = db_col_int64(st, 2);
        x->done = db_col_int64(st, 3);
        enum queue_status qs = QS_WAITING;
        queue_status_parse(db_col_text(st, 4), &qs);
        x->status = qs;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading tickets", e);
    sq_done(s, st);
    if (!rc) rc = queue_stats_compute(v, n, out, e);
    free(v);
    return rc;
}

/* ---- appointments ---- */

static void read_appt(struct db_stmt *st, struct queue_appt *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_col_int64(st, 0);
    sq_col_text(st, 1, a->code, sizeof a->code);
    sq_col_text(st, 2, a->unit, sizeof a->unit);
    a->counter_no = (int)db_col_int64(st, 3);
    a->day = db_col_int64(st, 4);
    a->slot = (int)db_col_int64(st, 5);
    sq_col_text(st, 6, a->field, sizeof a->field);
    sq_col_text(st, 7, a->name, sizeof a->name);
    sq_col_text(st, 8, a->phone, sizeof a->phone);
    sq_col_text(st, 9, a->status, sizeof a->status);
    a->number = (int)db_col_int64(st, 10);
}

int store_queue_slot_count(struct store *s, const char *unit, int counter_no, int64_t day, int slot,
                           int *out, struct err *e)
{
    int64_t n = 0;
    int rc = count_one(s, SQL_A_COUNT, unit, counter_no, day, slot, 0, &n, e);
    *out = (int)n;
    return rc;
}

struct book_ctx {
    struct queue_appt *a;
    int capacity;
    int64_t at;
};

static int book_tx(struct store *s, void *vctx, struct err *e)
{
    struct book_ctx *x = vctx;
    struct queue_appt *a = x->a;
    struct counter_set *cs = calloc(1, sizeof *cs);
    if (!cs) return err_set(e, ERR_NOMEM, "counter", "out of memory");
    /* the unit's province: for its counters and for the appointment below */
    char province[UNIT_CODE_MAX];
    int rc = store_unit_root(s, a->unit, province, sizeof province, e);
    if (!rc) rc = counters_of(s, a->unit, province, collect_counter, cs, e);
    const struct queue_counter *c = rc ? NULL : find_counter(cs, a->counter_no);
    if (!rc && (!c || !c->active))
        rc = err_set(e, ERR_INVALID, "counter", "counter %d: no such open counter at unit '%s'",
                     a->counter_no, a->unit);
    if (!rc && !queue_counter_serves(c, a->field))
        rc = err_set(e, ERR_INVALID, "field", "field '%s': counter %d does not serve it", a->field,
                     a->counter_no);
    free(cs);
    int n = 0;
    if (!rc) rc = store_queue_slot_count(s, a->unit, a->counter_no, a->day, a->slot, &n, e);
    if (!rc && n >= x->capacity)
        rc = err_set(e, ERR_CONFLICT, "slot", "slot %02d:%02d is full (%d of %d booked)",
                     a->slot / 60, a->slot % 60, n, x->capacity);
    if (rc) return rc;
    static const char ALPHA[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    memcpy(a->code, "LH", 2);
    for (int i = 0; i < 8; i++)
        a->code[2 + i] = ALPHA[randombytes_uniform(sizeof ALPHA - 1)];
    a->code[10] = 0;
    snprintf(a->status, sizeof a->status, "booked");
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_A_ADD, &st, e))) return rc;
    db_bind_text(st, 1, a->code);
    db_bind_text(st, 2, a->unit);
    db_bind_int64(st, 3, a->counter_no);
    db_bind_int64(st, 4, a->day);
    db_bind_int64(st, 5, a->slot);
    db_bind_text(st, 6, a->field);
    db_bind_text(st, 7, a->name);
    db_bind_text(st, 8, a->phone);
    db_bind_int64(st, 9, x->at);
    db_bind_text(st, 10, province);
    rc = sq_insert_id(s, st, "writing an appointment", &a->id, e);
    sq_done(s, st);
    return rc;
}

int store_queue_book(struct store *s, struct queue_appt *a, int capacity, int64_t at, struct err *e)
{
    struct book_ctx x = {a, capacity, at};
    return store_tx(s, book_tx, &x, e);
}

static int appt_get(struct store *s, const char *code, const char *phone, struct queue_appt *a,
                    struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_A_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    if (step == DB_ROW) read_appt(st, a);
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading an appointment", e);
    sq_done(s, st);
    if (!rc && (step == DB_DONE || !phone || strcmp(phone, a->phone)))
        rc = err_set(e, ERR_NOT_FOUND, "code", "no appointment with this code and phone");
    return rc;
}

static int appt_set(struct store *s, const struct queue_appt *a, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_A_SET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, a->id);
    db_bind_text(st, 2, a->status);
    if (a->number)
        db_bind_int64(st, 3, a->number);
    else
        db_bind_null(st, 3);
    rc = sq_step_done(s, st, "writing an appointment", e);
    sq_done(s, st);
    return rc;
}

struct appt_ctx {
    const char *unit, *code, *phone;
    int64_t day, at;
    struct queue_ticket *out;
};

static int cancel_tx(struct store *s, void *vctx, struct err *e)
{
    struct appt_ctx *x = vctx;
    struct queue_appt a;
    int rc = appt_get(s, x->code, x->phone, &a, e);
    if (!rc && strcmp(a.status, "booked"))
        rc = err_set(e, ERR_CONFLICT, "code", "the appointment is %s, not booked", a.status);
    if (rc) return rc;
    snprintf(a.status, sizeof a.status, "cancelled");
    return appt_set(s, &a, e);
}

int store_queue_cancel(struct store *s, const char *code, const char *phone, struct err *e)
{
    struct appt_ctx x = {NULL, code, phone, 0, 0, NULL};
    return store_tx(s, cancel_tx, &x, e);
}

static int checkin_tx(struct store *s, void *vctx, struct err *e)
{
    struct appt_ctx *x = vctx;
    struct queue_appt a;
    int rc = appt_get(s, x->code, x->phone, &a, e);
    if (!rc && strcmp(a.unit, x->unit))
        rc = err_set(e, ERR_NOT_FOUND, "code", "no appointment with this code and phone");
    if (!rc && strcmp(a.status, "booked"))
        rc = err_set(e, ERR_CONFLICT, "code", "the appointment is %s, not booked", a.status);
    if (!rc && a.day != x->day)
        rc = err_set(e, ERR_CONFLICT, "code", "the appointment is for another day");
    if (rc) return rc;
    struct queue_take in = {.unit = a.unit,
                            .counter_no = a.counter_no,
                            .field = a.field,
                            .channel = QC_BOOKING,
                            .priority = 1,
                            .day = x->day,
                            .at = x->at};
    if ((rc = store_queue_take(s, &in, x->out, e))) return rc;
    snprintf(a.status, sizeof a.status, "checked_in");
    a.number = x->out->number;
    return appt_set(s, &a, e);
}

int store_queue_checkin(struct store *s, const char *unit, const char *code, const char *phone,
                        int64_t day, int64_t at, struct queue_ticket *out, struct err *e)
{
    struct appt_ctx x = {unit, code, phone, day, at, out};
    return store_tx(s, checkin_tx, &x, e);
}
