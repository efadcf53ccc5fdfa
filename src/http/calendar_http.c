/* calendar_http.c — the working-day calendar the server counts deadlines with, and its
 * administration (issue 13).
 *
 * The file calendar (data/calendar, loaded once at start into srv->cal) is overlaid with the
 * decisions recorded in the database (migration 030, src/core/caldecision.h). A request that
 * counts a deadline (req_calendar) reads the decisions' version, one row, and uses the
 * calendar built at that version; when another request or another server on the same
 * database has recorded or deleted a decision, the version differs and the calendar is
 * rebuilt once, then shared. Calendars are reference-counted: a request keeps the one it
 * started with until it ends, so a rebuild never frees a calendar in use.
 *
 * Routes: GET /api/calendar/{year} (every day of the year with its kind, name and source),
 * GET/POST /api/calendar/decisions, DELETE /api/calendar/decisions/{id} (only while not in
 * effect). The calendar is the province's, as the procedures catalogue is: only an
 * administrator whose scope is a whole province records or deletes a decision. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldecision.h"
#include "date.h"
#include "http.h"
#include "server_int.h"
#include "store.h"
#include "store_calendar.h"
#include "vntext.h"

struct calref {
    struct calendar *cal; /* owned, unless it is the file calendar (file = 1) */
    int file;
    int64_t version;
    int refs; /* the state's own reference while current, plus one per request */
};

struct calstate {
    pthread_mutex_t mu;
    struct calref *cur;
};

static void ref_put_locked(struct calref *c)
{
    if (--c->refs > 0) return;
    if (!c->file) calendar_free(c->cal);
    free(c);
}

/* Makes the calendar at version v (built from s) current, unless the current one is at v. */
static struct calref *rebuild(struct server *srv, struct store *s, struct err *e)
{
    struct calref *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(e, ERR_NOMEM, "", "out of memory");
        return NULL;
    }
    if (store_calendar_overlay(s, srv->cal, &c->cal, &c->version, e)) {
        free(c);
        return NULL;
    }
    c->refs = 1;
    return c;
}

int calendar_http_open(struct server *srv, struct err *e)
{
    struct calstate *x = calloc(1, sizeof *x);
    if (!x) return err_set(e, ERR_NOMEM, "", "out of memory");
    pthread_mutex_init(&x->mu, NULL);
    srv->calx = x;
    x->cur = rebuild(srv, srv->pool.s[0], e);
    return x->cur ? 0 : (e && e->code ? e->code : ERR_INTERNAL);
}

void calendar_http_close(struct server *srv)
{
    struct calstate *x = srv->calx;
    if (!x) return;
    if (x->cur) ref_put_locked(x->cur);
    pthread_mutex_destroy(&x->mu);
    free(x);
    srv->calx = NULL;
}

const struct calendar *calendar_http_get(struct req *r)
{
    struct calref *held = r->cal_ref;
    if (held) return held->cal;
    struct calstate *x = r->srv->calx;
    if (!x) return r->srv->cal;
    struct store *s = req_store(r);
    int64_t v = -1;
    struct err e = {0};
    if (s && store_caldec_version(s, &v, &e))
        fprintf(stderr, "cchc serve: calendar decisions: %s\n", e.msg);
    pthread_mutex_lock(&x->mu);
    int fresh = x->cur && (v < 0 || x->cur->version == v);
    pthread_mutex_unlock(&x->mu);
    if (!fresh && s) {
        struct calref *c = rebuild(r->srv, s, &e);
        if (!c) fprintf(stderr, "cchc serve: calendar decisions: %s (the calendar kept)\n", e.msg);
        pthread_mutex_lock(&x->mu);
        if (c) {
            if (x->cur) ref_put_locked(x->cur);
            x->cur = c;
        }
        pthread_mutex_unlock(&x->mu);
    }
    pthread_mutex_lock(&x->mu);
    held = x->cur;
    if (held) held->refs++;
    pthread_mutex_unlock(&x->mu);
    r->cal_ref = held;
    return held ? held->cal : r->srv->cal;
}

void calendar_http_release(struct req *r)
{
    struct calref *c = r->cal_ref;
    if (!c) return;
    struct calstate *x = r->srv->calx;
    pthread_mutex_lock(&x->mu);
    ref_put_locked(c);
    pthread_mutex_unlock(&x->mu);
    r->cal_ref = NULL;
}

/* ---- routes ---- */

/* 0 if the signed-in administrator's scope is a province, else replies 403 and returns -1. */
static int province_admin(struct req *r)
{
    struct unit u;
    if (r->sess && r->sess->user.unit[0] &&
        !store_unit_get(req_store(r), r->sess->user.unit, &u, NULL) && u.kind == UNIT_PROVINCE)
        return 0;
    reply_error(r, 403, "forbidden", "calendar",
                "the calendar is the province's: only an administrator of the whole province "
                "records a decision");
    return -1;
}

static int deletable(const struct caldec *d, int64_t today)
{
    if (d->effective <= today) return 0;
    for (int i = 0; i < d->n; i++)
        if (d->ch[i].day < today || (d->ch[i].kind == CALDEC_SWAP && d->ch[i].work_day < today))
            return 0;
    return 1;
}

static json_t *decision_json(const struct caldec *d, int64_t today)
{
    json_t *ch = json_array();
    for (int i = 0; i < d->n; i++) {
        const struct caldec_change *c = &d->ch[i];
        json_array_append_new(ch,
                              json_pack("{s:s, s:o, s:o, s:o}", "kind", caldec_kind_name(c->kind),
                                        "day", jday(c->day), "work_day",
                                        c->kind == CALDEC_SWAP ? jday(c->work_day) : json_null(),
                                        "name", jstr(c->name)));
    }
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)d->id,
                     "citation", jstr(d->citation), "issuer", jstr(d->issuer), "signed_on",
                     jday(d->signed_on), "effective", jday(d->effective), "recorded_by",
                     jstr(d->actor), "recorded_at", jinstant(d->created_at), "changes", ch,
                     "deletable", deletable(d, today));
}

void h_calendar_decisions(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    struct caldec *d = NULL;
    int n = 0;
    struct err e = {0};
    if (store_caldec_list(req_store(r), &d, &n, &e)) return reply_err(r, &e);
    int64_t today = today_local();
    json_t *a = json_array();
    for (int i = n - 1; i >= 0; i--) /* newest first */
        json_array_append_new(a, decision_json(&d[i], today));
    free(d);
    reply_json(r, 200, json_pack("{s:o}", "decisions", a));
}

/* The day of body field name ("YYYY-MM-DD"); -1 (replied 400) when not a date. */
static int day_field(struct req *r, json_t *o, const char *name, const char *field, int64_t *out)
{
    return req_body_day(r, jget_str(o, name), field, out);
}

static int text_into(struct req *r, json_t *o, const char *name, const char *field, char *out,
                     size_t n)
{
    const char *v = jget_str(o, name);
    out[0] = '\0';
    if (v && vntext_nfc(v, out, n)) {
        reply_error(r, 400, "invalid", field, "%s: at most %zu bytes", field, n - 1);
        return -1;
    }
    /* trim surrounding blanks */
    size_t k = strlen(out);
    while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
        out[--k] = '\0';
    size_t lead = strspn(out, " \t");
    if (lead) memmove(out, out + lead, strlen(out + lead) + 1);
    return 0;
}

void h_calendar_decision_add(struct req *r)
{
    static const struct jfield spec[] = {
        {"citation", JT_STRING, 1, 0, 1000}, {"issuer", JT_STRING, 1, 0, 1000},
        {"signed_on", JT_STRING, 1, 0, 32},  {"effective", JT_STRING, 0, 0, 32},
        {"changes", JT_ARRAY, 1, 0, 0},      {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || province_admin(r) || req_body_json(r, spec, &body)) return;
    struct caldec *d = arena_alloc(r->arena, sizeof *d);
    if (!d) return reply_error(r, 500, "internal", NULL, "out of memory");
    memset(d, 0, sizeof *d);
    if (text_into(r, body, "citation", "citation", d->citation, sizeof d->citation) ||
        text_into(r, body, "issuer", "issuer", d->issuer, sizeof d->issuer) ||
        day_field(r, body, "signed_on", "signed_on", &d->signed_on))
        return;
    d->effective = d->signed_on;
    if (jget_str(body, "effective") && day_field(r, body, "effective", "effective", &d->effective))
        return;
    json_t *ch = json_object_get(body, "changes");
    size_t nch = json_array_size(ch);
    if (nch < 1 || nch > CALDEC_CHANGES_MAX)
        return reply_error(r, 400, "invalid", "changes",
                           "%zu changes: a decision lists 1 to %d day changes", nch,
                           CALDEC_CHANGES_MAX);
    for (size_t i = 0; i < nch; i++) {
        json_t *c = json_array_get(ch, i);
        struct caldec_change *x = &d->ch[d->n++];
        char f[48];
        struct err e = {0};
        if (!json_is_object(c))
            return reply_error(r, 400, "invalid", "changes", "changes[%zu]: expected an object", i);
        snprintf(f, sizeof f, "changes[%zu].kind", i);
        if (caldec_kind_parse(jget_str(c, "kind"), &x->kind, f, &e)) return reply_err(r, &e);
        snprintf(f, sizeof f, "changes[%zu].day", i);
        if (day_field(r, c, "day", f, &x->day)) return;
        x->work_day = -1;
        snprintf(f, sizeof f, "changes[%zu].work_day", i);
        if (x->kind == CALDEC_SWAP && day_field(r, c, "work_day", f, &x->work_day)) return;
        snprintf(f, sizeof f, "changes[%zu].name", i);
        if (text_into(r, c, "name", f, x->name, sizeof x->name)) return;
    }
    snprintf(d->actor, sizeof d->actor, "%s", r->sess->user.username);
    d->created_at = now_local_minutes();
    struct err e = {0};
    if (store_caldec_add(req_store(r), r->srv->cal, d, today_local(), &e)) return reply_err(r, &e);
    reply_json(r, 201, decision_json(d, today_local()));
}

void h_calendar_decision_delete(struct req *r)
{
    if (req_query_check(r, NULL) || province_admin(r)) return;
    const char *p = req_param(r, "id");
    char *end;
    long long id = strtoll(p, &end, 10);
    if (!*p || *end || id <= 0)
        return reply_error(r, 400, "invalid", "id", "id '%s': a decision number is expected", p);
    struct err e = {0};
    if (store_caldec_delete(req_store(r), id, today_local(), &e)) return reply_err(r, &e);
    reply_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

void h_calendar_year(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *p = req_param(r, "year");
    char *end;
    long y = strtol(p, &end, 10);
    const struct calendar *cal = req_calendar(r);
    int64_t first = ymd_to_days((struct ymd){(int)y, 1, 1});
    if (!*p || *end || y < 1901 || y > 2100 || first < calendar_first_day(cal) ||
        ymd_to_days((struct ymd){(int)y, 12, 31}) > calendar_last_day(cal)) {
        char a[11], b[11];
        return reply_error(r, 400, "invalid", "year", "year '%s': the calendar covers %.4s to %.4s",
                           p, day_format(calendar_first_day(cal), a),
                           day_format(calendar_last_day(cal), b));
    }
    /* the decisions recorded in the database, to name the one behind a day */
    struct caldec *d = NULL;
    int n = 0;
    struct err e = {0};
    if (store_caldec_list(req_store(r), &d, &n, &e)) return reply_err(r, &e);
    int64_t last = ymd_to_days((struct ymd){(int)y + 1, 1, 1});
    json_t *days = json_array();
    int counts[6] = {0};
    for (int64_t day = first; day < last; day++) {
        enum day_kind k = DAY_WORK;
        const char *name = NULL, *source = NULL;
        calendar_day(cal, day, &k, &name, &source, NULL);
        counts[k]++;
        json_t *o = json_pack("{s:o, s:s, s:b}", "date", jday(day), "kind", day_kind_name(k),
                              "working", calendar_is_working(cal, day));
        if (name) json_object_set_new(o, "name", jstr(name));
        if (source) json_object_set_new(o, "source", jstr(source));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d[i].n; j++)
                if (d[i].ch[j].day == day ||
                    (d[i].ch[j].kind == CALDEC_SWAP && d[i].ch[j].work_day == day))
                    json_object_set_new(o, "decision", json_integer((json_int_t)d[i].id));
        json_array_append_new(days, o);
    }
    free(d);
    int working = counts[DAY_WORK] + counts[DAY_WORKDAY];
    reply_json(r, 200,
               json_pack("{s:i, s:b, s:i, s:o}", "year", (int)y, "decision_file",
                         calendar_year_has_decision(cal, (int)y), "working_days", working, "days",
                         days));
}
