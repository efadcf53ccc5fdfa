/* queue.c — the one-stop desk's queue and appointments over HTTP (docs/queue.md). Public,
 * without an account: a unit's board (counters, fields, who is called: the hall's display and
 * the phone page), taking a number (limited per address and per phone a day), a ticket's
 * place, free appointment slots, booking and cancelling. Desk officers: take a number at the
 * desk, call the next, recall, serve, no-show, transfer, check an appointment in; staff read
 * the day's tickets and the waiting-time figures; the administrator sets counters. Neither a
 * phone number nor an address is stored: the per-day limit keeps a keyed hash of each. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "http.h"
#include "queue.h"
#include "server_int.h"
#include "store.h"
#include "store_queue.h"
#include "vntext.h"

#define BOARD_CALLS 8 /* recent calls on the display */

/* The unit of the path if the signed-in user's scope covers it; 404 (replied) otherwise. */
static const char *path_unit_scoped(struct req *r)
{
    const char *unit = req_param(r, "unit");
    if (unit && auth_scope_covers(r, unit)) return unit;
    reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit ? unit : "");
    return NULL;
}

/* The unit of the path, which must exist today (public routes); 404 (replied) otherwise. */
static const char *path_unit_public(struct req *r)
{
    const char *unit = req_param(r, "unit");
    struct unit u;
    struct err e = {0};
    if (unit && !store_unit_get(req_store(r), unit, &u, &e)) return unit;
    reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", unit ? unit : "");
    return NULL;
}

/* A whole number in [lo, hi] from text; 400 (replied) naming field otherwise. */
static int parse_int(struct req *r, const char *s, const char *field, int lo, int hi, int *out)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        reply_error(r, 400, "invalid", field, "%s '%.40s': must be a whole number %d..%d", field,
                    s ? s : "", lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_day_q(struct req *r, const char *s, const char *field, int64_t *out)
{
    struct ymd d;
    struct err e = {0};
    if (ymd_parse(s, &d, field, &e)) {
        reply_err(r, &e);
        return -1;
    }
    *out = ymd_to_days(d);
    return 0;
}

/* A Vietnamese phone number "0912345678" or "+84912345678" (spaces and dots allowed) into
 * digits only starting with 0; -1 if it is not one. */
static int phone_norm(const char *in, char *out, size_t n)
{
    size_t k = 0;
    const char *p = in;
    if (!strncmp(p, "+84", 3)) {
        p += 3;
        out[k++] = '0';
    }
    for (; *p; p++) {
        if (*p == ' ' || *p == '.') continue;
        if (!isdigit((unsigned char)*p) || k + 1 >= n) return -1;
        out[k++] = *p;
    }
    out[k] = 0;
    return out[0] == '0' && k >= 10 && k <= 11 ? 0 : -1;
}

/* A keyed hash (hex) of what, so the limit can count it without storing it. */
static void keyed(struct req *r, const char *tag, const char *what, char out[65])
{
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, r->srv->device_key, sizeof r->srv->device_key, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)tag, strlen(tag) + 1);
    crypto_generichash_update(&st, (const unsigned char *)what, strlen(what));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, 16);
}

static json_t *jsecs(int64_t unix_s)
{
    if (!unix_s) return json_null();
    return jinstant((unix_s + 7 * 3600) / 60);
}

static json_t *ticket_json(const struct queue_ticket *t)
{
    char speech[96];
    queue_speech_vi(t->number, t->counter_no, speech, sizeof speech);
    json_t *o = json_pack("{s:i, s:i, s:o, s:o, s:s, s:s, s:b, s:o, s:o, s:o, s:i, s:s}", "number",
                          t->number, "counter", t->counter_no, "field", jstr(t->field), "day",
                          jday(t->day), "status", queue_status_name(t->status), "channel",
                          queue_channel_name(t->channel), "priority", t->priority > 0, "taken_at",
                          jsecs(t->taken_at), "called_at", jsecs(t->called_at), "done_at",
                          jsecs(t->done_at), "calls", t->calls, "speech", speech);
    if (t->counter_name[0]) json_object_set_new(o, "counter_name", jstr(t->counter_name));
    return o;
}

static json_t *counter_json(const struct queue_counter *c)
{
    json_t *f = json_array();
    for (int i = 0; i < c->n_fields; i++)
        json_array_append_new(f, jstr(c->fields[i]));
    return json_pack("{s:i, s:o, s:o, s:b}", "no", c->no, "name", jstr(c->name), "fields", f,
                     "active", c->active);
}

/* ---- the board (display and phone page) ---- */

struct board_ctx {
    struct req *r;
    const char *unit;
    int64_t day;
    json_t *counters, *fields;
    int failed;
};

static int board_counter(const struct queue_counter *c, void *vctx)
{
    struct board_ctx *x = vctx;
    if (!c->active) return 0;
    json_t *o = counter_json(c);
    struct err e = {0};
    int svc = QUEUE_DEFAULT_SVC;
    int rc = store_queue_service_s(req_store(x->r), x->unit, x->day, c->no, &svc, &e);
    json_object_set_new(o, "service_s", json_integer(svc));
    json_object_set_new(o, "serving", json_null());
    json_array_append_new(x->counters, o);
    for (int i = 0; i < c->n_fields; i++) {
        int seen = 0;
        size_t k;
        json_t *v;
        json_array_foreach(x->fields, k, v) if (!strcmp(json_string_value(v), c->fields[i])) seen =
            1;
        if (!seen) json_array_append_new(x->fields, jstr(c->fields[i]));
    }
    if (rc) x->failed = 1;
    return 0;
}

/* Counts the waiting and finds the called ticket of each counter in one pass over the day. */
static int board_ticket(const struct queue_ticket *t, void *vctx)
{
    struct board_ctx *x = vctx;
    size_t i;
    json_t *c;
    json_array_foreach(x->counters, i, c)
    {
        if (json_integer_value(json_object_get(c, "no")) != t->counter_no) continue;
        if (t->status == QS_WAITING) {
            json_t *w = json_object_get(c, "waiting");
            json_object_set_new(c, "waiting", json_integer(w ? json_integer_value(w) + 1 : 1));
        } else if (t->status == QS_CALLED) {
            json_object_set_new(c, "serving", ticket_json(t));
        }
    }
    return 0;
}

static int board_call(const struct queue_ticket *t, void *vctx)
{
    json_array_append_new(vctx, ticket_json(t));
    return 0;
}

void h_queue_board(struct req *r)
{
    static const char *const allowed[] = {NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = path_unit_public(r);
    if (!unit) return;
    struct board_ctx x = {r, unit, today_local(), json_array(), json_array(), 0};
    json_t *calls = json_array();
    struct err e = {0};
    int rc = store_queue_counters(req_store(r), unit, board_counter, &x, &e);
    size_t i;
    json_t *c;
    json_array_foreach(x.counters, i, c) json_object_set_new(c, "waiting", json_integer(0));
    if (!rc && !x.failed)
        rc = store_queue_tickets(req_store(r), unit, x.day, 0, -1, board_ticket, &x, &e);
    json_array_foreach(x.counters, i, c)
    {
        json_int_t w = json_integer_value(json_object_get(c, "waiting"));
        json_int_t s = json_integer_value(json_object_get(c, "service_s"));
        json_object_set_new(c, "expected_wait_s", json_integer(w * s));
    }
    if (!rc) rc = store_queue_calls(req_store(r), unit, x.day, BOARD_CALLS, board_call, calls, &e);
    if (rc || x.failed) {
        json_decref(x.counters);
        json_decref(x.fields);
        json_decref(calls);
        if (!rc) err_set(&e, ERR_IO, "", "reading the queue");
        return reply_err(r, &e);
    }
    struct unit u;
    store_unit_get(req_store(r), unit, &u, &e);
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "unit", unit, "unit_name",
                         jstr(u.name), "day", jday(x.day), "counters", x.counters, "fields",
                         x.fields, "calls", calls, "limit_per_day", QUEUE_PUBLIC_DAY));
}

/* ---- taking a number ---- */

static void take(struct req *r, const char *unit, int public_)
{
    static const struct jfield spec[] = {
        {"field", JT_STRING, 0, 1, QUEUE_FIELD_LEN - 1},
        {"counter", JT_INT, 0, 1, QUEUE_COUNTER_MAX},
        {"phone", JT_STRING, 0, 0, QUEUE_CONTACT_LEN - 1},
        {"priority", JT_BOOL, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    const char *field = jget_str(body, "field");
    char nfc[QUEUE_FIELD_LEN];
    if (field && vntext_nfc(field, nfc, sizeof nfc))
        return reply_error(r, 400, "invalid", "field", "field: not valid UTF-8");
    struct queue_take in = {.unit = unit,
                            .counter_no = (int)jget_int(body, "counter", 0),
                            .field = field ? nfc : NULL,
                            .channel = public_ ? QC_PHONE : QC_DESK,
                            .priority = !public_ && jget_bool(body, "priority", 0),
                            .day = today_local(),
                            .at = now_unix()};
    if (!in.field && !in.counter_no)
        return reply_error(r, 400, "invalid", "field", "field: give the field or the counter");
    if (public_ && jget_bool(body, "priority", 0))
        return reply_error(r, 400, "invalid", "priority",
                           "priority: given at the desk or by an appointment, not online");
    char req_key[65], contact_key[65], phone[QUEUE_CONTACT_LEN];
    const char *ph = jget_str(body, "phone");
    if (ph && ph[0]) {
        if (phone_norm(ph, phone, sizeof phone))
            return reply_error(r, 400, "invalid", "phone",
                               "phone '%.24s': not a Vietnamese phone number (0 and 9-10 digits)",
                               ph);
        keyed(r, "phone", phone, contact_key);
        in.contact = contact_key;
    }
    if (public_) {
        keyed(r, "ip", r->ip, req_key);
        in.requester = req_key;
        in.limit = QUEUE_PUBLIC_DAY;
    }
    struct queue_ticket t;
    struct err e = {0};
    int rc = store_queue_take(req_store(r), &in, &t, &e);
    if (rc == ERR_RANGE && !strcmp(e.field, "limit")) {
        reply_header(r, "Retry-After", "3600");
        return reply_error(r, 429, "rate_limited", "limit", "%s", e.msg);
    }
    if (rc) return reply_err(r, &e);
    json_t *o = ticket_json(&t);
    json_object_set_new(o, "ahead", json_integer(t.ahead));
    json_object_set_new(o, "expected_wait_s", json_integer(t.expected_s));
    reply_json(r, 201, o);
}

void h_queue_take_public(struct req *r)
{
    const char *unit = path_unit_public(r);
    if (unit) take(r, unit, 1);
}

void h_queue_take(struct req *r)
{
    const char *unit = path_unit_scoped(r);
    if (unit) take(r, unit, 0);
}

struct ahead_ctx {
    const struct queue_ticket *t;
    int ahead;
};
static int count_ahead(const struct queue_ticket *t, void *vctx)
{
    struct ahead_ctx *x = vctx;
    if (t->number == x->t->number) return 1; /* the list is in calling order: stop here */
    x->ahead++;
    return 0;
}

void h_queue_ticket_public(struct req *r)
{
    const char *unit = path_unit_public(r);
    if (!unit) return;
    int number;
    if (parse_int(r, req_param(r, "number"), "number", 1000, 99999, &number)) return;
    struct queue_ticket t;
    struct err e = {0};
    int64_t day = today_local();
    if (store_queue_ticket(req_store(r), unit, day, number, &t, &e)) return reply_err(r, &e);
    json_t *o = ticket_json(&t);
    if (t.status == QS_WAITING) {
        struct ahead_ctx x = {&t, 0};
        int svc = QUEUE_DEFAULT_SVC;
        int rc = store_queue_tickets(req_store(r), unit, day, t.counter_no, QS_WAITING, count_ahead,
                                     &x, &e);
        if (rc < 0 || rc > 1 ||
            store_queue_service_s(req_store(r), unit, day, t.counter_no, &svc, &e)) {
            json_decref(o);
            return reply_err(r, &e);
        }
        json_object_set_new(o, "ahead", json_integer(x.ahead));
        json_object_set_new(o, "expected_wait_s", json_integer((json_int_t)x.ahead * svc));
    }
    reply_json(r, 200, o);
}

/* ---- the officer at a counter ---- */

void h_queue_call(struct req *r)
{
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    int no;
    if (parse_int(r, req_param(r, "no"), "counter", 1, QUEUE_COUNTER_MAX, &no)) return;
    json_t *body;
    if (req_body_json_opt(r, (const struct jfield[]){{NULL, 0, 0, 0, 0}}, &body)) return;
    struct queue_act a = {.unit = unit,
                          .day = today_local(),
                          .at = now_unix(),
                          .action = QA_CALL,
                          .counter_no = no,
                          .officer = r->sess->user.username};
    struct queue_ticket t;
    struct err e = {0};
    if (store_queue_act(req_store(r), &a, &t, &e)) return reply_err(r, &e);
    reply_json(r, 200, ticket_json(&t));
}

void h_queue_ticket_action(struct req *r)
{
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    int number;
    if (parse_int(r, req_param(r, "number"), "number", 1000, 99999, &number)) return;
    static const struct jfield spec[] = {
        {"to_counter", JT_INT, 0, 1, QUEUE_COUNTER_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json_opt(r, spec, &body)) return;
    enum queue_action act = (enum queue_action)r->route->arg;
    int to = (int)jget_int(body, "to_counter", 0);
    if (act == QA_TRANSFER && !to)
        return reply_error(r, 400, "invalid", "to_counter", "to_counter: required for a transfer");
    if (act != QA_TRANSFER && to)
        return reply_error(r, 400, "invalid", "to_counter", "to_counter: only for a transfer");
    struct queue_act a = {.unit = unit,
                          .day = today_local(),
                          .at = now_unix(),
                          .number = number,
                          .action = act,
                          .counter_no = to,
                          .officer = r->sess->user.username};
    struct queue_ticket t;
    struct err e = {0};
    if (store_queue_act(req_store(r), &a, &t, &e)) return reply_err(r, &e);
    reply_json(r, 200, ticket_json(&t));
}

static int list_ticket(const struct queue_ticket *t, void *vctx)
{
    json_array_append_new(vctx, ticket_json(t));
    return 0;
}

void h_queue_tickets(struct req *r)
{
    static const char *const allowed[] = {"counter", "status", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    int counter = 0;
    if (req_query(r, "counter") &&
        parse_int(r, req_query(r, "counter"), "counter", 1, QUEUE_COUNTER_MAX, &counter))
        return;
    enum queue_status st = QS_WAITING;
    const char *sts = req_query(r, "status");
    if (sts && queue_status_parse(sts, &st))
        return reply_error(r, 400, "invalid", "status",
                           "status '%.20s': one of waiting, called, served, no_show", sts);
    json_t *list = json_array();
    struct err e = {0};
    if (store_queue_tickets(req_store(r), unit, today_local(), counter, sts ? (int)st : -1,
                            list_ticket, list, &e)) {
        json_decref(list);
        return reply_err(r, &e);
    }
    reply_json(
        r, 200,
        json_pack("{s:s, s:o, s:o}", "unit", unit, "day", jday(today_local()), "tickets", list));
}

/* ---- counters (administrator) ---- */

void h_queue_counter_put(struct req *r)
{
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    int no;
    if (parse_int(r, req_param(r, "no"), "counter", 1, QUEUE_COUNTER_MAX, &no)) return;
    static const struct jfield spec[] = {
        {"name", JT_STRING, 1, 1, QUEUE_NAME_LEN - 1},
        {"fields", JT_ARRAY, 1, 0, 0},
        {"active", JT_BOOL, 0, 0, 0},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    struct queue_counter c = {0};
    snprintf(c.unit, sizeof c.unit, "%s", unit);
    c.no = no;
    if (vntext_nfc(jget_str(body, "name"), c.name, sizeof c.name))
        return reply_error(r, 400, "invalid", "name", "name: not valid UTF-8");
    c.active = jget_bool(body, "active", 1);
    json_t *f = json_object_get(body, "fields"), *v;
    size_t i;
    json_array_foreach(f, i, v)
    {
        if (!json_is_string(v) || i >= QUEUE_FIELDS_MAX)
            return reply_error(r, 400, "invalid", "fields",
                               "fields: a list of at most %d field names", QUEUE_FIELDS_MAX);
        if (vntext_nfc(json_string_value(v), c.fields[i], QUEUE_FIELD_LEN))
            return reply_error(r, 400, "invalid", "fields", "fields[%zu]: too long", i);
        c.n_fields++;
    }
    struct err e = {0};
    if (store_queue_counter_put(req_store(r), &c, &e)) return reply_err(r, &e);
    reply_json(r, 200, counter_json(&c));
}

static int list_counter(const struct queue_counter *c, void *vctx)
{
    json_array_append_new(vctx, counter_json(c));
    return 0;
}

void h_queue_counters(struct req *r)
{
    static const char *const allowed[] = {NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    json_t *list = json_array();
    struct err e = {0};
    if (store_queue_counters(req_store(r), unit, list_counter, list, &e)) {
        json_decref(list);
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:s, s:o}", "unit", unit, "counters", list));
}

/* ---- statistics ---- */

static json_t *secs_or_null(double v)
{
    return v < 0 ? json_null() : json_integer((json_int_t)(v + 0.5));
}

static json_t *stats_json(const struct queue_stats *s)
{
    json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:o, s:o, s:o}", "taken", s->taken, "served",
                          s->served, "no_show", s->no_show, "waiting", s->waiting, "avg_wait_s",
                          secs_or_null(s->avg_wait), "p90_wait_s", secs_or_null(s->p90_wait),
                          "avg_service_s", secs_or_null(s->avg_service));
    json_object_set_new(o, "served_per_hour",
                        s->served_per_hour < 0
                            ? json_null()
                            : json_real((double)(int64_t)(s->served_per_hour * 10 + 0.5) / 10));
    return o;
}

struct stats_ctx {
    struct req *r;
    const char *unit;
    int64_t from, to;
    int only;
    json_t *list;
    int rc;
    struct err e;
};

static int stats_counter(const struct queue_counter *c, void *vctx)
{
    struct stats_ctx *x = vctx;
    if (x->only && c->no != x->only) return 0;
    struct queue_stats s;
    if ((x->rc = store_queue_stats(req_store(x->r), x->unit, c->no, x->from, x->to, &s, &x->e)))
        return x->rc;
    json_t *o = stats_json(&s);
    json_object_set_new(o, "counter", json_integer(c->no));
    json_object_set_new(o, "name", jstr(c->name));
    json_array_append_new(x->list, o);
    return 0;
}

void h_queue_stats(struct req *r)
{
    static const char *const allowed[] = {"unit", "counter", "from", "to", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r))
        return reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                           unit ? unit : r->sess->user.unit);
    if (!unit) unit = r->sess->user.unit;
    struct stats_ctx x = {r, unit, today_local(), today_local(), 0, json_array(), 0, {0}};
    if ((req_query(r, "from") && parse_day_q(r, req_query(r, "from"), "from", &x.from)) ||
        (req_query(r, "to") && parse_day_q(r, req_query(r, "to"), "to", &x.to)) ||
        (req_query(r, "counter") &&
         parse_int(r, req_query(r, "counter"), "counter", 1, QUEUE_COUNTER_MAX, &x.only))) {
        json_decref(x.list);
        return;
    }
    if (req_query(r, "from") && !req_query(r, "to")) x.to = x.from;
    if (x.to < x.from || x.to - x.from > 366) {
        json_decref(x.list);
        return reply_error(r, 400, "invalid", "to",
                           "to: must be on or after from, and the period at most 366 days");
    }
    struct queue_stats all;
    int rc = store_queue_counters(req_store(r), unit, stats_counter, &x, &x.e);
    if (!rc) rc = store_queue_stats(req_store(r), unit, x.only, x.from, x.to, &all, &x.e);
    if (rc) {
        json_decref(x.list);
        return reply_err(r, &x.e);
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o, s:o, s:o, s:s}", "unit", unit, "from", jday(x.from), "to",
                         jday(x.to), "total", stats_json(&all), "counters", x.list, "method",
                         "wait = taken to first call; p90 by nearest rank; served per hour = "
                         "served / hours from the first call to the last finish of each day"));
}

/* ---- appointments ---- */

static int load_sessions(struct req *r, const char *unit, struct queue_sessions *q)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/queue/sessions.tsv", config_data_dir(req_config(r)));
    struct err e = {0};
    if (queue_sessions_load(path, unit, q, &e)) {
        reply_error(r, 503, "unavailable", "sessions", "appointment sessions are not configured");
        return -1;
    }
    return 0;
}

/* Whether citizens may book on day: a working day of the calendar (holidays and compensatory
 * days off refused) or a Saturday with a session in the unit's data, not past, at most 30 days
 * ahead. 400 (replied) naming the rule otherwise. */
static int day_bookable(struct req *r, const struct queue_sessions *q, int64_t day)
{
    int64_t today = today_local();
    if (day < today || day > today + 30) {
        reply_error(r, 400, "invalid", "day", "day: from today to 30 days ahead");
        return -1;
    }
    enum day_kind kind;
    const char *name = NULL;
    struct err e = {0};
    int wd = day_weekday(day) - 1;
    if (calendar_day(req_calendar(r), day, &kind, &name, NULL, &e)) {
        reply_err(r, &e);
        return -1;
    }
    int open = kind == DAY_WORK || kind == DAY_WORKDAY || (kind == DAY_WEEKEND && q->n[wd] > 0);
    if (!open || !q->n[wd]) {
        reply_error(r, 400, "invalid", "day", "day: the desk is closed that day (%s)",
                    kind == DAY_HOLIDAY || kind == DAY_COMPENSATORY ? "holiday" : "no session");
        return -1;
    }
    return 0;
}

void h_queue_slots(struct req *r)
{
    static const char *const allowed[] = {"day", "counter", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = path_unit_public(r);
    if (!unit) return;
    int64_t day;
    int counter;
    if (parse_day_q(r, req_query(r, "day"), "day", &day) ||
        parse_int(r, req_query(r, "counter"), "counter", 1, QUEUE_COUNTER_MAX, &counter))
        return;
    struct queue_sessions q;
    if (load_sessions(r, unit, &q) || day_bookable(r, &q, day)) return;
    int wd = day_weekday(day) - 1;
    json_t *slots = json_array();
    int64_t now_min = now_local_minutes();
    for (int i = 0; i < q.n[wd]; i++)
        for (int m = q.s[wd][i].start; m + q.slot_min <= q.s[wd][i].end; m += q.slot_min) {
            if (day * 1440 + m <= now_min) continue; /* already begun */
            int n = 0;
            struct err e = {0};
            if (store_queue_slot_count(req_store(r), unit, counter, day, m, &n, &e)) {
                json_decref(slots);
                return reply_err(r, &e);
            }
            char hm[32];
            snprintf(hm, sizeof hm, "%02d:%02d", m / 60, m % 60);
            json_array_append_new(slots, json_pack("{s:s, s:i}", "time", hm, "free",
                                                   n < q.capacity ? q.capacity - n : 0));
        }
    reply_json(r, 200,
               json_pack("{s:s, s:i, s:o, s:i, s:i, s:o}", "unit", unit, "counter", counter, "day",
                         jday(day), "slot_min", q.slot_min, "capacity", q.capacity, "slots",
                         slots));
}

static json_t *appt_json(const struct queue_appt *a)
{
    char hm[32];
    snprintf(hm, sizeof hm, "%02d:%02d", a->slot / 60, a->slot % 60);
    return json_pack("{s:s, s:s, s:i, s:o, s:s, s:o, s:s}", "code", a->code, "unit", a->unit,
                     "counter", a->counter_no, "day", jday(a->day), "time", hm, "field",
                     jstr(a->field), "status", a->status);
}

void h_queue_book(struct req *r)
{
    const char *unit = path_unit_public(r);
    if (!unit) return;
    static const struct jfield spec[] = {
        {"counter", JT_INT, 1, 1, QUEUE_COUNTER_MAX},
        {"field", JT_STRING, 1, 1, QUEUE_FIELD_LEN - 1},
        {"day", JT_STRING, 1, 10, 10},
        {"time", JT_STRING, 1, 5, 5},
        {"name", JT_STRING, 1, 1, QUEUE_NAME_LEN - 1},
        {"phone", JT_STRING, 1, 1, QUEUE_CONTACT_LEN - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    struct queue_appt a = {0};
    snprintf(a.unit, sizeof a.unit, "%s", unit);
    a.counter_no = (int)jget_int(body, "counter", 0);
    if (parse_day_q(r, jget_str(body, "day"), "day", &a.day)) return;
    const char *tm = jget_str(body, "time");
    int hh, mm;
    char tail;
    if (sscanf(tm, "%d:%d%c", &hh, &mm, &tail) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59)
        return reply_error(r, 400, "invalid", "time", "time '%.8s': HH:MM", tm);
    a.slot = hh * 60 + mm;
    if (vntext_nfc(jget_str(body, "field"), a.field, sizeof a.field) ||
        vntext_nfc(jget_str(body, "name"), a.name, sizeof a.name) ||
        vntext_control_at(a.name, 0) >= 0)
        return reply_error(r, 400, "invalid", "name", "name: not valid text");
    if (phone_norm(jget_str(body, "phone"), a.phone, sizeof a.phone))
        return reply_error(r, 400, "invalid", "phone",
                           "phone '%.24s': not a Vietnamese phone number (0 and 9-10 digits)",
                           jget_str(body, "phone"));
    struct queue_sessions q;
    if (load_sessions(r, unit, &q) || day_bookable(r, &q, a.day)) return;
    if (!queue_slot_valid(&q, day_weekday(a.day) - 1, a.slot))
        return reply_error(r, 400, "invalid", "time",
                           "time %s: not the start of a %d-minute slot in the day's sessions", tm,
                           q.slot_min);
    if (a.day * 1440 + a.slot <= now_local_minutes())
        return reply_error(r, 400, "invalid", "time", "time %s: the slot has begun", tm);
    struct err e = {0};
    if (store_queue_book(req_store(r), &a, q.capacity, now_unix(), &e)) return reply_err(r, &e);
    reply_json(r, 201, appt_json(&a));
}

void h_queue_cancel(struct req *r)
{
    static const struct jfield spec[] = {
        {"phone", JT_STRING, 1, 1, QUEUE_CONTACT_LEN - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    char phone[QUEUE_CONTACT_LEN];
    if (phone_norm(jget_str(body, "phone"), phone, sizeof phone))
        return reply_error(r, 400, "invalid", "phone", "phone: not a Vietnamese phone number");
    struct err e = {0};
    if (store_queue_cancel(req_store(r), req_param(r, "code"), phone, &e)) return reply_err(r, &e);
    reply_json(r, 200,
               json_pack("{s:s, s:s}", "code", req_param(r, "code"), "status", "cancelled"));
}

void h_queue_checkin(struct req *r)
{
    const char *unit = path_unit_scoped(r);
    if (!unit) return;
    static const struct jfield spec[] = {
        {"phone", JT_STRING, 1, 1, QUEUE_CONTACT_LEN - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    char phone[QUEUE_CONTACT_LEN];
    if (phone_norm(jget_str(body, "phone"), phone, sizeof phone))
        return reply_error(r, 400, "invalid", "phone", "phone: not a Vietnamese phone number");
    struct queue_ticket t;
    struct err e = {0};
    if (store_queue_checkin(req_store(r), unit, req_param(r, "code"), phone, today_local(),
                            now_unix(), &t, &e))
        return reply_err(r, &e);
    reply_json(r, 200, ticket_json(&t));
}
