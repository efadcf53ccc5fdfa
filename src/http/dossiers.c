/* dossiers.c — the one-stop dossiers over HTTP: list/filter/page within the user's unit
 * scope, receive (create), one dossier, its history, and every lifecycle action (one route
 * per action in routes.c, one handler here). A dossier outside the user's scope answers
 * exactly like a dossier that does not exist (404), so codes of other units leak nothing.
 * The state machine and the clock are src/core/dossier.c's; the store records each change
 * as one hash-chained event in one transaction, so a refused request changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdate.h"
#include "dossier.h"
#include "http.h"
#include "jwrite.h"
#include "listcache.h"
#include "readcache.h"
#include "stats.h"
#include "store.h"
#include "store_procadmin.h"
#include "vntext.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX     500

/* The members of a dossier written straight to text, for every answer that carries one:
 * full adds unmasked personal data (for officers of its unit). tests/unit/test_http.c checks
 * it byte for byte against a jansson rendering. The caller opens and closes the object. */
void dossier_write(struct jw *w, const struct dossier *d, int full, int64_t now)
{
    const struct dossier_state *st = &d->st;
    char buf[64];
    jw_key_lit(w, "code");
    jw_str(w, d->code);
    jw_key_lit(w, "unit");
    jw_str(w, d->unit);
    jw_key_lit(w, "procedure");
    jw_str(w, d->procedure);
    jw_key_lit(w, "channel");
    jw_str_prog(w, dossier_channel_name(d->channel));
    jw_key_lit(w, "applicant");
    jw_obj_begin(w);
    jw_key_lit(w, "name");
    jw_str(w, d->applicant.name);
    jw_key_lit(w, "idno");
    if (full || !d->applicant.idno[0])
        jw_str_or_null(w, d->applicant.idno);
    else
        jw_str(w, applicant_mask(d->applicant.idno, buf, sizeof buf));
    jw_key_lit(w, "phone");
    if (full || !d->applicant.phone[0])
        jw_str_or_null(w, d->applicant.phone);
    else
        jw_str(w, applicant_mask(d->applicant.phone, buf, sizeof buf));
    jw_key_lit(w, "address");
    if (full)
        jw_str_or_null(w, d->applicant.address);
    else
        jw_null(w);
    jw_obj_end(w);
    jw_key_lit(w, "status");
    jw_str_prog(w, dossier_status_name(st->status));
    jw_key_lit(w, "status_label");
    jw_str_prog(w, dossier_status_label_vi(st->status));
    jw_key_lit(w, "step");
    jw_int(w, st->step);
    jw_key_lit(w, "n_steps");
    jw_int(w, st->n_steps);
    jw_key_lit(w, "outcome");
    w->mark_a = w->len;
    jw_str_prog(w, dossier_outcome_name(dossier_outcome_at(st, now)));
    w->mark_b = w->len;
    jw_key_lit(w, "submitted_at");
    jw_instant(w, d->submitted_at);
    jw_key_lit(w, "received_at");
    jw_instant(w, st->received_at);
    jw_key_lit(w, "due_at");
    jw_instant(w, st->due_at);
    jw_key_lit(w, "step_due_at");
    jw_instant(w, st->step_due_at);
    jw_key_lit(w, "apology_due_at");
    jw_instant(w, st->apology_due_at);
    jw_key_lit(w, "result_at");
    jw_instant(w, st->result_at);
    jw_key_lit(w, "returned_at");
    jw_instant(w, st->returned_at);
    jw_key_lit(w, "closed_at");
    jw_instant(w, st->closed_at);
    jw_key_lit(w, "officer");
    jw_str_or_null(w, d->officer);
    jw_key_lit(w, "supplements");
    jw_int(w, st->supplements);
    jw_key_lit(w, "pauses");
    jw_int(w, st->pauses);
    jw_key_lit(w, "apologies");
    jw_int(w, st->apologies);
    jw_key_lit(w, "fee_paid_online");
    jw_bool(w, d->fee_paid_online);
    jw_key_lit(w, "digitised");
    jw_bool(w, d->digitised);
}

int dossier_list_cached(struct jw *w, struct listcache *c, const struct dossier *d, int64_t now)
{
    const struct lc_entry *hit = listcache_get(c, d->id, d->n_events);
    if (!hit) return 0;
    jw_cached_(w, hit->text, hit->npre, dossier_outcome_name(dossier_outcome_at(&d->st, now)),
               hit->text + hit->npre, hit->npost);
    return 1;
}

void dossier_list_render(struct jw *w, struct listcache *c, const struct dossier *d, int64_t now)
{
    jw_obj_begin(w);
    size_t start = w->len - 1; /* the '{' */
    dossier_write(w, d, 0, now);
    jw_obj_end(w);
    if (!w->failed)
        listcache_put(c, d->id, d->n_events, w->buf + start, w->mark_a - start, w->buf + w->mark_b,
                      w->len - w->mark_b);
}

/* Replies status with the writer's text (500 if it ran out of memory). */
static void reply_jw(struct req *r, int status, struct jw *w)
{
    if (w->failed) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    reply_arena_text(r, status, "application/json; charset=utf-8", w->buf, w->len);
}

/* Replies status with one dossier, in full. */
static void reply_dossier(struct req *r, int status, const struct dossier *d)
{
    struct jw w;
    jw_init(&w, r->arena, 1024);
    jw_obj_begin(&w);
    dossier_write(&w, d, 1, now_local_minutes());
    jw_obj_end(&w);
    reply_jw(r, status, &w);
}

/* Whether the user sees dossier d: the receiving unit's officers see what they received, the
 * deciding unit's what they decide (receiving regardless of residence, Decree 118/2025/NĐ-CP).
 * decider: d's deciding unit ("" if none), or NULL to read it only when needed. */
static int sees_dossier(struct req *r, const struct dossier *d, const char *decider)
{
    if (auth_scope_covers(r, d->unit)) return 1;
    char read[UNIT_CODE_MAX] = "";
    if (!decider) {
        if (store_dossier_decider(req_store(r), d->code, read, NULL)) return 0;
        decider = read;
    }
    return decider[0] && auth_scope_covers(r, decider);
}

/* Loads the dossier named in the path if it exists and lies in the user's scope; otherwise
 * replies 404 (the same answer in both cases) and returns -1. */
static int load_scoped(struct req *r, struct dossier *d)
{
    char code[DOSSIER_CODE_LEN + 8];
    dossier_code_normalize(req_param(r, "code"), code, sizeof code);
    struct err e = {0};
    int rc = store_dossier_get(req_store(r), code, d, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !sees_dossier(r, d, NULL)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return -1;
    }
    return 0;
}

/* --- list --- */

/* The list reads unit by unit: the units of the scope's subtree as of today plus every unit
 * merged into one of them (their dossiers count under the successor), in identifier-code
 * order (store_unit_scope). A dossier code starts with its unit's identifier code, so
 * concatenating the units' lists in that order is the global code order, and each unit's
 * query uses its index and stops after the page; so does the walk over the units, which the
 * store makes (store_dossier_list with f->units: on PostgreSQL batches of units per statement). */
struct list_ctx {
    const char *procedure; /* or NULL */
    int64_t offset, limit, skipped, now, shown;
    struct jw *w; /* the page's text, the "dossiers" array open */
    int more;     /* the page is full and one more dossier exists */
    struct store *store;
    struct listcache *cache; /* the connection's (req_list_cache) */
    struct dossier_filter *f;
    struct err *e;
    struct arena *arena;
    const char **units; /* the scope's units that receive dossiers, in walk order */
    int n_units, cap_units;
};

static int list_row(const struct dossier *d, void *arg)
{
    struct list_ctx *c = arg;
    if (c->procedure && strcmp(d->procedure, c->procedure)) return 0;
    if (c->skipped < c->offset) {
        c->skipped++;
        return 0;
    }
    if (c->shown >= c->limit) {
        c->more = 1;
        return 1; /* one more row than the page: there is a next page */
    }
    if (!dossier_list_cached(c->w, c->cache, d, c->now)) {
        struct dossier b;
        if (c->f->rows == DOSSIER_ROWS_KEYS) {
            /* Not cached as it is now: the rest of the row, in the same snapshot. */
            int rc = store_dossier_brief(c->store, d->id, &b, c->e);
            if (rc) return rc;
            d = &b;
        }
        dossier_list_render(c->w, c->cache, d, c->now);
    }
    c->shown++;
    return c->w->failed ? -1 : 0;
}

/* store_unit_scope's callback: a unit that receives dossiers onto the list of units to read.
 * -1 when out of memory. */
static int scope_unit(const struct unit *u, void *arg)
{
    struct list_ctx *c = arg;
    if (!u->ident_code[0]) return 0; /* a unit without one receives no dossiers */
    if (c->n_units == c->cap_units) {
        int cap = c->cap_units ? 2 * c->cap_units : 64;
        const char **n = arena_alloc_raw(c->arena, (size_t)cap * sizeof *n);
        if (!n) return -1;
        if (c->n_units) memcpy(n, c->units, (size_t)c->n_units * sizeof *n);
        c->units = n;
        c->cap_units = cap;
    }
    return (c->units[c->n_units++] = arena_strdup(c->arena, u->code)) ? 0 : -1;
}

/* Parses a whole number query argument in [lo, hi]; replies 400 on failure. */
static int int_arg(struct req *r, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = req_query(r, name);
    if (!s) return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        reply_error(r, 400, "invalid", name, "%s '%.20s': must be a whole number from %lld to %lld",
                    name, s, (long long)lo, (long long)hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int day_arg(struct req *r, const char *name, int64_t *out)
{
    const char *s = req_query(r, name);
    struct ymd d;
    struct err e = {0};
    if (!s) return 0;
    if (ymd_parse(s, &d, name, &e)) {
        reply_err(r, &e);
        return -1;
    }
    *out = ymd_to_days(d);
    return 0;
}

/* The list's query parameters. */
static const char *const list_params[] = {"unit",   "procedure", "status", "outcome", "from", "to",
                                          "period", "name",      "limit",  "offset",  NULL};

/* Reads the filter's query arguments; replies and returns -1 on a bad one. */
static int read_filter(struct req *r, struct dossier_filter *f, struct list_ctx *c)
{
    if (req_query_check(r, list_params)) return -1;
    struct err e = {0};
    const char *s;
    if ((s = req_query(r, "status"))) {
        enum dossier_status st;
        if (dossier_status_parse(s, &st, &e)) return reply_err(r, &e), -1;
        f->status = (int)st;
    }
    if ((s = req_query(r, "outcome"))) {
        enum dossier_outcome o;
        if (dossier_outcome_parse(s, &o, &e)) return reply_err(r, &e), -1;
        f->outcome = (int)o;
    }
    if ((s = req_query(r, "name"))) {
        if (strlen(s) > 200) {
            reply_error(r, 400, "invalid", "name", "name must be at most 200 bytes");
            return -1;
        }
        f->name = s;
    }
    if (day_arg(r, "from", &f->from_day) || day_arg(r, "to", &f->to_day)) return -1;
    /* period: the reporting periods of the statistics (2025, 2025-09, 2025-Q3, 2025-9M …). */
    if ((s = req_query(r, "period"))) {
        if (req_query(r, "from") || req_query(r, "to")) {
            reply_error(r, 400, "invalid", "period", "give either period or from/to, not both");
            return -1;
        }
        if (stats_period_parse(s, &f->from_day, &f->to_day, &e)) return reply_err(r, &e), -1;
    }
    if (int_arg(r, "limit", 1, LIST_LIMIT_MAX, &c->limit) ||
        int_arg(r, "offset", 0, 10000000, &c->offset))
        return -1;
    c->procedure = req_query(r, "procedure");
    return 0;
}

static void *page_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}

void h_dossiers_list(struct req *r)
{
    struct dossier_filter f = {NULL, -1, -1, NULL, INT64_MIN, INT64_MAX, 0, 0, 0, NULL, 0};
    struct list_ctx c = {NULL, 0,    LIST_LIMIT_DEFAULT, 0,    0, 0, NULL, 0, NULL, NULL,
                         NULL, NULL, r->arena,           NULL, 0, 0};
    struct jw w;
    f.now = c.now = now_local_minutes();
    if (read_filter(r, &f, &c)) return;
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                    unit ? unit : r->sess->user.unit);
        return;
    }
    /* the whole page as last rendered this minute for this scope and these parameters, kept
     * until any dossier changes (readcache.h; the outcome of an open dossier moves with the
     * clock, hence the minute) */
    struct readcache *pc = req_page_cache(r);
    char *key = NULL;
    if (pc) {
        key =
            arena_printf(r->arena, "p:%s|%lld", unit ? unit : r->sess->user.unit, (long long)c.now);
        for (int i = 0; key && list_params[i]; i++) {
            const char *v = req_query(r, list_params[i]);
            key = v ? arena_printf(r->arena, "%s|%zu:%s", key, strlen(v), v)
                    : arena_printf(r->arena, "%s|-", key);
        }
        void *page;
        size_t n;
        if (key && readcache_get_copy(pc, key, page_alloc, r->arena, &page, &n)) {
            reply_arena_text(r, 200, "application/json; charset=utf-8", page, n);
            return;
        }
    }
    struct err e = {0};
    /* A listed dossier takes about 700 bytes. */
    jw_init(&w, r->arena, 64 + (size_t)c.limit * 768);
    c.w = &w;
    c.store = req_store(r);
    c.cache = req_list_cache(r);
    /* With the entry cache, the page reads each row's version and outcome, and the rest only
     * for entries not cached as they are; without, what dossier_write (full = 0) shows. */
    f.rows = c.cache ? DOSSIER_ROWS_KEYS : DOSSIER_ROWS_BRIEF;
    c.f = &f;
    c.e = &e;
    jw_obj_begin(&w);
    jw_key_lit(&w, "dossiers");
    jw_arr_begin(&w);
    int rc = store_unit_scope(c.store, unit ? unit : r->sess->user.unit, today_local(), scope_unit,
                              &c, &e);
    if (!rc && c.n_units) {
        f.units = c.units;
        f.n_units = c.n_units;
        /* Rows the store passes count toward its limit; the procedure filter is applied here,
         * so with it the units' rows are read to the end. */
        f.limit = c.procedure ? 0 : c.offset + c.limit + 1;
        rc = store_dossier_list(c.store, &f, list_row, &c, &e);
        if (c.more) rc = 0; /* stopped at the end of the page */
    }
    if (rc) {
        if (rc < 0) err_set(&e, ERR_NOMEM, "dossiers", "out of memory");
        reply_err(r, &e);
        return;
    }
    jw_arr_end(&w);
    jw_key_lit(&w, "offset");
    jw_int(&w, c.offset);
    jw_key_lit(&w, "limit");
    jw_int(&w, c.limit);
    jw_key_lit(&w, "next_offset");
    if (c.more)
        jw_int(&w, c.offset + c.limit);
    else
        jw_null(&w);
    jw_obj_end(&w);
    if (key && !w.failed) readcache_put(pc, r->pc_ticket, key, w.buf, w.len);
    reply_jw(r, 200, &w);
}

/* --- one dossier --- */

/* What one dossier's page shows from the database, as the read cache keeps it (readcache.h,
 * key "d:" and the code: another process's change to the dossier's row drops it, migration
 * 055). A dossier not yet received shows the procedure in force today: day says which. */
struct dossier_view {
    struct dossier d;
    char decider[UNIT_CODE_MAX]; /* the deciding unit when not the receiving one, or "" */
    int has_proc, has_step;
    char procedure_name[PROC_NAME_MAX];
    char step_name[STEP_NAME_MAX];
    int64_t day;
};

/* Reads the view of code from the database: 0, ERR_NOT_FOUND, or another error in e (*keep
 * says whether every part of it was read, so that it may be kept). */
static int view_read(struct req *r, const char *code, struct dossier_view *v, int *keep,
                     struct err *e)
{
    struct store *s = req_store(r);
    int rc = store_dossier_get(s, code, &v->d, e);
    if (rc) return rc;
    *keep = 1;
    struct err e2 = {0};
    int drc = store_dossier_decider(s, v->d.code, v->decider, &e2);
    if (drc) {
        v->decider[0] = '\0';
        *keep = 0;
    }
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    int prc = p ? store_dossier_procedure(s, &v->d, now_local_minutes(), p, &e2) : ERR_NOMEM;
    if (!prc) {
        v->has_proc = 1;
        snprintf(v->procedure_name, sizeof v->procedure_name, "%s", p->name);
        int k = v->d.st.step;
        if (k >= 1 && k <= p->nsteps) {
            v->has_step = 1;
            snprintf(v->step_name, sizeof v->step_name, "%s", p->steps[k - 1].name);
        }
    } else if (prc != ERR_NOT_FOUND) {
        *keep = 0;
    }
    return 0;
}

void h_dossier_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    char code[DOSSIER_CODE_LEN + 8];
    dossier_code_normalize(req_param(r, "code"), code, sizeof code);
    struct dossier_view *v = arena_alloc(r->arena, sizeof *v);
    if (!v) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    struct readcache *rc = req_read_cache(r);
    char key[DOSSIER_CODE_LEN + 16];
    snprintf(key, sizeof key, "d:%s", code);
    int64_t today = today_local();
    if (!rc || !readcache_get(rc, key, v, sizeof *v) || v->day != today) {
        memset(v, 0, sizeof *v);
        struct err e = {0};
        int keep = 0;
        int lrc = view_read(r, code, v, &keep, &e);
        if (lrc && lrc != ERR_NOT_FOUND) {
            reply_err(r, &e);
            return;
        }
        if (lrc) v->d.code[0] = '\0';
        v->day = today;
        if (!lrc && keep && rc) readcache_put(rc, r->rc_ticket, key, v, sizeof *v);
    }
    /* outside the scope: the same 404 as for a dossier that does not exist */
    if (!v->d.code[0] || !sees_dossier(r, &v->d, v->decider)) {
        reply_error(r, 404, "not_found", "code", "dossier '%.40s' does not exist", code);
        return;
    }
    struct jw w;
    jw_init(&w, r->arena, 1536);
    jw_obj_begin(&w);
    dossier_write(&w, &v->d, 1, now_local_minutes());
    jw_key_lit(&w, "decider"); /* the deciding unit when not the receiving one */
    if (v->decider[0])
        jw_str(&w, v->decider);
    else
        jw_null(&w);
    if (v->has_proc) {
        jw_key_lit(&w, "procedure_name");
        jw_str(&w, v->procedure_name);
        jw_key_lit(&w, "step_name");
        if (v->has_step)
            jw_str(&w, v->step_name);
        else
            jw_null(&w);
    }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* --- history --- */

static int rec_document(int seq, const char *text, void *ctx)
{
    json_t *h = ctx;
    return json_array_append_new(json_object_get(h, "documents"),
                                 json_pack("{s:i, s:o}", "seq", seq, "text", jstr(text)));
}

static int rec_step(const struct dossier_step_rec *s, void *ctx)
{
    json_t *h = ctx;
    return json_array_append_new(
        json_object_get(h, "steps"),
        json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "seq", s->seq, "officer",
                  jstr_or_null(s->officer), "started_at", jinstant(s->started_at), "due_at",
                  jinstant(s->due_at), "finished_at", jinstant(s->finished_at), "outcome",
                  s->outcome == OUT_NONE ? json_null() : jstr(dossier_outcome_name(s->outcome))));
}

static int rec_stop(const struct dossier_stop_rec *s, void *ctx)
{
    json_t *h = ctx;
    return json_array_append_new(
        json_object_get(h, "stops"),
        json_pack("{s:i, s:s, s:o, s:o, s:I, s:o}", "seq", s->seq, "kind",
                  s->pause ? "pause" : "supplement", "started_at", jinstant(s->started_at),
                  "ended_at", jinstant(s->ended_at), "working_minutes",
                  (json_int_t)s->working_minutes, "reason", jstr_or_null(s->reason)));
}

static int rec_apology(const struct dossier_apology_rec *a, void *ctx)
{
    json_t *h = ctx;
    return json_array_append_new(
        json_object_get(h, "apologies"),
        json_pack("{s:i, s:o, s:o, s:o, s:o}", "seq", a->seq, "issued_at", jinstant(a->issued_at),
                  "old_due_at", jinstant(a->old_due_at), "new_due_at", jinstant(a->new_due_at),
                  "reason", jstr_or_null(a->reason)));
}

static int rec_event(const struct dossier_event *ev, void *ctx)
{
    json_t *h = ctx;
    return json_array_append_new(
        json_object_get(h, "events"),
        json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "seq", ev->seq, "at",
                  jinstant(ev->at), "recorded_at", jinstant(ev->recorded_at), "actor",
                  jstr(ev->actor), "action", jstr(ev->action), "from",
                  jstr_or_null(ev->from_status), "to", jstr(ev->to_status), "note",
                  jstr_or_null(ev->note), "backdated", ev->backdated));
}

/* Adds the full name of one account (an event's actor, a step's officer) to names, once. */
static void add_name(struct req *r, json_t *names, const char *username)
{
    struct user u;
    if (!username || !*username || json_object_get(names, username)) return;
    if (!store_user_get(req_store(r), username, &u, NULL, 0, NULL) && u.full_name[0])
        json_object_set_new(names, username, jstr(u.full_name));
}

/* "names": username -> full name of the accounts the history mentions, so a page (and a
 * reprinted receipt) shows the officer's name, not the login. Seeded officers without an
 * account are left out. */
static void history_names(struct req *r, json_t *h)
{
    json_t *names = json_object(), *x;
    size_t i;
    json_array_foreach(json_object_get(h, "events"), i, x)
        add_name(r, names, json_string_value(json_object_get(x, "actor")));
    json_array_foreach(json_object_get(h, "steps"), i, x)
        add_name(r, names, json_string_value(json_object_get(x, "officer")));
    json_object_set_new(h, "names", names);
}

void h_dossier_history(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || load_scoped(r, &d)) return;
    json_t *h = json_pack("{s:o, s:[], s:[], s:[], s:[], s:[]}", "code", jstr(d.code), "documents",
                          "steps", "stops", "apologies", "events");
    struct dossier_records recs = {.document = rec_document,
                                   .step = rec_step,
                                   .stop = rec_stop,
                                   .apology = rec_apology,
                                   .event = rec_event,
                                   .ctx = h};
    struct err e = {0};
    int rc = h ? store_dossier_records(req_store(r), d.code, &recs, &e) : -1;
    if (rc) {
        json_decref(h);
        if (rc < 0 || !e.code) err_set(&e, ERR_NOMEM, "history", "out of memory");
        reply_err(r, &e);
        return;
    }
    history_names(r, h);
    reply_json(r, 200, h);
}

/* --- receive --- */

/* The instant of an action: "at" in the body (not in the future), else now (*now: the
 * server's clock, the event's recorded time). */
static int action_time(struct req *r, json_t *body, int64_t *at, int64_t *now_out)
{
    const char *s = jget_str(body, "at");
    struct err e = {0};
    int64_t now = now_local_minutes();
    *at = *now_out = now;
    if (!s) return 0;
    if (parse_instant_local(s, at, "at", &e)) {
        reply_err(r, &e);
        return -1;
    }
    if (*at > now + 5) {
        reply_error(r, 400, "invalid", "at", "at '%.30s': must not be in the future", s);
        return -1;
    }
    return 0;
}

/* The backdating rule at the officers' entry (backdate.h, docs/dossiers.md): a claim earlier
 * than the configured tolerance needs the leader or administrator role (else 403) and a
 * reason in "note" (else 400); it is then flagged. Replies and returns -1 when refused. */
static int backdate_policy(struct req *r, int64_t at, int64_t now, const char *note, int *backdated)
{
    struct err e = {0};
    int days = BACKDATE_OFF;
    *backdated = 0;
    if (backdate_tolerance_parse(req_config(r)->backdate_tolerance, &days, "backdate_tolerance",
                                 &e)) {
        reply_err(r, &e); /* config_check refused it at start: not reached */
        return -1;
    }
    enum user_role role = r->sess->user.role;
    int privileged = role == UROLE_LEADER || role == UROLE_ADMIN;
    switch (backdate_judge(req_calendar(r), days, at, now, privileged, note && *note, NULL, &e)) {
    case BD_ON_TIME:
        return 0;
    case BD_BACKDATED:
        *backdated = 1;
        return 0;
    case BD_NEEDS_ROLE:
        reply_error(r, 403, "forbidden", e.field, "%s", e.msg);
        return -1;
    case BD_NEEDS_REASON:
        reply_error(r, 400, "missing_field", e.field, "%s", e.msg);
        return -1;
    }
    return 0;
}

/* Copies a text field into buf (n bytes) as NFC; replies 400 if it does not fit. */
static int text_field(struct req *r, json_t *body, const char *name, char *buf, size_t n)
{
    const char *s = jget_str(body, name);
    buf[0] = 0;
    if (!s) return 0;
    if (vntext_nfc(s, buf, n)) {
        reply_error(r, 400, "invalid", name, "field '%s' is longer than %zu bytes", name, n - 1);
        return -1;
    }
    return 0;
}

void h_dossier_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"unit", JT_STRING, 1, 1, UNIT_CODE_MAX - 1},
        {"procedure", JT_STRING, 1, 1, PROC_CODE_MAX - 1},
        {"channel", JT_STRING, 0, 1, 16},
        {"applicant_name", JT_STRING, 1, 1, APPLICANT_NAME_MAX - 1},
        {"applicant_idno", JT_STRING, 0, 0, APPLICANT_IDNO_MAX - 1},
        {"applicant_phone", JT_STRING, 0, 0, APPLICANT_PHONE_MAX - 1},
        {"applicant_address", JT_STRING, 0, 0, APPLICANT_ADDRESS_MAX - 1},
        {"documents", JT_ARRAY, 0, 0, PROC_DOCS_MAX},
        {"receive", JT_BOOL, 0, 0, 0},
        {"fee_paid_online", JT_BOOL, 0, 0, 0},
        {"digitised", JT_BOOL, 0, 0, 0},
        {"at", JT_STRING, 0, 1, 32},
        {"decider", JT_STRING, 0, 1, UNIT_CODE_MAX - 1},
        {"note", JT_STRING, 0, 0, DOSSIER_NOTE_MAX - 1},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct dossier_intake in = {0};
    struct err e = {0};
    in.unit = jget_str(body, "unit");
    in.decider = jget_str(body, "decider");
    in.procedure = jget_str(body, "procedure");
    in.channel = CHANNEL_DIRECT;
    if (jget_str(body, "channel") &&
        dossier_channel_parse(jget_str(body, "channel"), &in.channel, &e))
        return reply_err(r, &e);
    if (text_field(r, body, "applicant_name", in.applicant.name, sizeof in.applicant.name) ||
        text_field(r, body, "applicant_idno", in.applicant.idno, sizeof in.applicant.idno) ||
        text_field(r, body, "applicant_phone", in.applicant.phone, sizeof in.applicant.phone) ||
        text_field(r, body, "applicant_address", in.applicant.address,
                   sizeof in.applicant.address) ||
        action_time(r, body, &in.at, &in.recorded_at))
        return;
    applicant_phone_normalize(in.applicant.phone);
    json_t *docs = json_object_get(body, "documents");
    int positions[PROC_DOCS_MAX];
    if (json_is_array(docs)) {
        size_t i;
        json_t *v;
        json_array_foreach(docs, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > PROC_DOCS_MAX) {
                reply_error(r, 400, "wrong_type", "documents",
                            "documents[%zu] must be a document position from 1 to %d", i,
                            PROC_DOCS_MAX);
                return;
            }
            positions[i] = (int)json_integer_value(v);
        }
        in.docs = positions;
        in.ndocs = (int)json_array_size(docs);
    }
    in.receive = jget_bool(body, "receive", 1);
    in.fee_paid_online = jget_bool(body, "fee_paid_online", 0);
    in.digitised = jget_bool(body, "digitised", 0);
    in.actor = r->sess->user.username;
    if (applicant_check(&in.applicant, &e)) return reply_err(r, &e);
    if (!auth_scope_covers(r, in.unit)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist", in.unit);
        return;
    }
    /* the reason of a backdated reception, in its event */
    in.note = jget_str(body, "note");
    if (backdate_policy(r, in.at, in.recorded_at, in.note, &in.backdated)) return;
    struct dossier d;
    if (store_dossier_create(req_store(r), req_calendar(r), &in, &d, &e)) return reply_err(r, &e);
    reply_header(r, "Location", arena_printf(r->arena, "/api/dossiers/%s", d.code));
    reply_dossier(r, 201, &d);
}

/* --- lifecycle actions --- */

static int officer_check(struct req *r, const char *officer, const struct dossier *d);

void h_dossier_action(struct req *r)
{
    static const struct jfield spec[] = {
        {"note", JT_STRING, 0, 0, DOSSIER_NOTE_MAX - 1},
        {"officer", JT_STRING, 0, 1, DOSSIER_ACTOR_MAX - 1},
        {"new_due_at", JT_STRING, 0, 1, 32},
        {"supplement_rule", JT_STRING, 0, 1, 16},
        {"at", JT_STRING, 0, 1, 32},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    struct dossier d;
    struct err e = {0};
    if (req_query_check(r, NULL) || req_body_json_opt(r, spec, &body)) return;
    struct dossier_change c = {0};
    c.code = req_param(r, "code");
    c.action = (enum dossier_action)r->route->arg;
    const struct dossier_action_desc *act = dossier_action_desc(c.action);
    /* a field the action does not take is refused, not ignored (dossier.h's DAF_*) */
    static const struct {
        const char *field;
        unsigned flag;
    } takes[] = {
        {"officer", DAF_OFFICER}, {"new_due_at", DAF_NEW_DUE}, {"supplement_rule", DAF_RULE}};
    for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++)
        if (!(act->flags & takes[i].flag) && json_object_get(body, takes[i].field)) {
            reply_error(r, 400, "invalid", takes[i].field, "field '%s' does not apply to '%s'",
                        takes[i].field, act->path);
            return;
        }
    c.actor = r->sess->user.username;
    c.note = jget_str(body, "note");
    c.officer = jget_str(body, "officer");
    const char *rule = jget_str(body, "supplement_rule");
    if (rule && strcmp(rule, "resume") && strcmp(rule, "restart")) {
        reply_error(r, 400, "invalid", "supplement_rule",
                    "supplement_rule '%.20s': must be resume or restart", rule);
        return;
    }
    c.supplement_rule = rule && !strcmp(rule, "restart") ? SUPPLEMENT_RESTART : SUPPLEMENT_RESUME;
    const char *due = jget_str(body, "new_due_at");
    if (due && parse_instant_local(due, &c.new_due_at, "new_due_at", &e)) return reply_err(r, &e);
    if ((act->flags & DAF_NEW_DUE) && !due) {
        reply_error(r, 400, "missing_field", "new_due_at",
                    "field 'new_due_at' is required for an apology (the new appointment)");
        return;
    }
    if (action_time(r, body, &c.at, &c.recorded_at) || load_scoped(r, &d)) return;
    c.code = d.code; /* as stored, whatever the case it was typed in */
    /* After the scope check, so a foreign dossier stays a 404 whatever the body. */
    if ((act->flags & DAF_REASON) && (!c.note || !*c.note)) {
        reply_error(r, 400, "missing_field", "note",
                    "field 'note' is required for %s: the reason goes on the form given to the "
                    "applicant and into the audit log",
                    act->name);
        return;
    }
    /* the officer named for the next step is an enabled staff account whose scope covers the
     * dossier (the picker offers exactly these: GET /api/dossiers/{code}/assignees) */
    if (c.officer && *c.officer && officer_check(r, c.officer, &d)) return;
    if (backdate_policy(r, c.at, c.recorded_at, c.note, &c.backdated)) return;
    if (store_dossier_apply(req_store(r), req_calendar(r), &c, &d, &e)) return reply_err(r, &e);
    reply_dossier(r, 200, &d);
}

/* --- who can take the next step --- */

/* The roles that can perform a step of the template's role: cchc has no clerk (văn thư)
 * account, so a clerk's step goes to the desk or a specialist; another agency's step to its
 * specialists and leaders. */
static int role_fits(enum step_role sr, enum user_role ur)
{
    switch (sr) {
    case ROLE_DESK:
        return ur == UROLE_DESK_OFFICER;
    case ROLE_SPECIALIST:
        return ur == UROLE_SPECIALIST;
    case ROLE_LEADER:
        return ur == UROLE_LEADER;
    case ROLE_CLERK:
        return ur == UROLE_DESK_OFFICER || ur == UROLE_SPECIALIST;
    default:
        return ur == UROLE_SPECIALIST || ur == UROLE_LEADER;
    }
}

#define PATH_MAX_UNITS 16
struct assignee_ctx {
    struct req *r;
    char path[PATH_MAX_UNITS][UNIT_CODE_MAX]; /* the dossier's unit, its parent, … the root */
    int npath;
    const struct proc_step *step; /* NULL: any staff role */
    int kind;                     /* the step's unit kind, or -1 */
    int kind_on_path; /* a unit of that kind (a commune-level one for commune level) is on the
                         path: the step is done within the dossier's own line of units */
    json_t *list;
    int depth[512]; /* of each listed user, for the order */
};

static int add_assignee(const struct user *u, void *ctx)
{
    struct assignee_ctx *c = ctx;
    if (u->disabled || !u->unit[0] || json_array_size(c->list) >= 512) return 0;
    if (c->step ? !role_fits(c->step->role, u->role)
                : !(u->role == UROLE_DESK_OFFICER || u->role == UROLE_SPECIALIST ||
                    u->role == UROLE_LEADER))
        return 0;
    int depth = -1;
    for (int i = 0; i < c->npath && depth < 0; i++)
        if (!strcmp(c->path[i], u->unit)) depth = i;
    struct unit uu;
    struct err e = {0};
    if (store_unit_get(req_store(c->r), u->unit, &uu, &e)) return 0;
    /* the one-stop desk of the dossier's unit (a child unit of kind desk) works for it */
    if (depth < 0 && uu.kind == UNIT_DESK && !strcmp(uu.parent, c->path[0])) depth = 0;
    if (depth < 0) {
        /* an officer whose scope covers the dossier always can; beyond that line, a step done
         * at a province's agency or department (liên thông) goes to that kind's staff within
         * the dossier's tree, listed after */
        int outward = c->kind == UNIT_AGENCY || c->kind == UNIT_DEPARTMENT ||
                      c->kind == UNIT_PROVINCE || c->kind == UNIT_DISTRICT;
        if (!outward || c->kind_on_path || (int)uu.kind != c->kind ||
            !auth_unit_under(c->r, u->unit, c->path[c->npath - 1]))
            return 0;
        depth = PATH_MAX_UNITS;
    }
    c->depth[json_array_size(c->list)] = depth;
    json_array_append_new(
        c->list,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "username", u->username, "full_name",
                  u->full_name[0] ? u->full_name : u->username, "role", user_role_name(u->role),
                  "role_label", user_role_label(u->role), "unit", u->unit, "unit_name", uu.name));
    return 0;
}

/* Communes, wards, towns and special zones are one level: a step "@commune" is done by a
 * ward's staff for a ward's dossier. */
static int commune_level(int k)
{
    return k == UNIT_COMMUNE || k == UNIT_WARD || k == UNIT_TOWN || k == UNIT_SPECIAL_ZONE;
}

/* Fills c->path from unit up to the root (and c->kind_on_path). */
static int unit_path(struct req *r, const char *unit, struct assignee_ctx *c)
{
    struct unit u;
    struct err e = {0};
    char code[UNIT_CODE_MAX];
    snprintf(code, sizeof code, "%s", unit);
    c->npath = 0;
    c->kind_on_path = 0;
    while (code[0] && c->npath < PATH_MAX_UNITS) {
        if (store_unit_get(req_store(r), code, &u, &e)) return -1;
        snprintf(c->path[c->npath++], UNIT_CODE_MAX, "%s", u.code);
        if (c->kind >= 0 &&
            ((int)u.kind == c->kind || (commune_level(c->kind) && commune_level((int)u.kind))))
            c->kind_on_path = 1;
        snprintf(code, sizeof code, "%s", u.parent);
    }
    return c->npath ? 0 : -1;
}

/* The officers who can take the step after the dossier's current one (the next step the
 * advance action starts), closest unit first. */
static int assignees_of(struct req *r, const struct dossier *d, const struct procedure *p,
                        struct assignee_ctx *c, int *next_step)
{
    c->r = r;
    c->list = json_array();
    int k = d->st.step + 1;
    *next_step = p && k >= 1 && k <= p->nsteps ? k : 0;
    c->step = *next_step ? &p->steps[k - 1] : NULL;
    c->kind = c->step ? c->step->unit_kind : -1;
    struct err e = {0};
    if (unit_path(r, d->unit, c) || store_user_list(req_store(r), add_assignee, c, &e)) return -1;
    /* stable order: closest unit first, then by name (insertion sort: a few dozen rows) */
    size_t n = json_array_size(c->list);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get(c->list, j - 1), *b = json_array_get(c->list, j);
            int da = c->depth[j - 1], db = c->depth[j];
            if (da < db ||
                (da == db && strcmp(json_string_value(json_object_get(a, "full_name")),
                                    json_string_value(json_object_get(b, "full_name"))) <= 0))
                break;
            json_incref(a);
            json_array_set(c->list, j - 1, b);
            json_array_set_new(c->list, j, a);
            c->depth[j - 1] = db;
            c->depth[j] = da;
        }
    return 0;
}

static int officer_check(struct req *r, const char *officer, const struct dossier *d)
{
    struct user u;
    struct err e = {0};
    int ok = !store_user_get(req_store(r), officer, &u, NULL, 0, &e) && !u.disabled &&
             (u.role == UROLE_DESK_OFFICER || u.role == UROLE_SPECIALIST || u.role == UROLE_LEADER);
    if (ok && !auth_unit_under(r, d->unit, u.unit)) {
        /* outside the dossier's line of units: only as one the picker offers (a step done at
         * another kind of unit, liên thông) */
        struct procedure *p = arena_alloc(r->arena, sizeof *p);
        struct assignee_ctx *c = arena_alloc(r->arena, sizeof *c);
        int next = 0;
        ok = 0;
        if (p && c && !store_dossier_procedure(req_store(r), d, now_local_minutes(), p, &e)) {
            memset(c, 0, sizeof *c);
            if (!assignees_of(r, d, p, c, &next)) {
                for (size_t i = 0; i < json_array_size(c->list) && !ok; i++)
                    ok = !strcmp(officer, json_string_value(json_object_get(
                                              json_array_get(c->list, i), "username")));
            }
            json_decref(c->list);
        }
    }
    if (ok) return 0;
    reply_error(r, 400, "invalid", "officer",
                "officer '%.47s' is not an officer account that can take dossier %.31s's next "
                "step (GET /api/dossiers/{code}/assignees lists them)",
                officer, d->code);
    return -1;
}

void h_dossier_assignees(struct req *r)
{
    struct dossier d;
    if (req_query_check(r, NULL) || load_scoped(r, &d)) return;
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    struct assignee_ctx *c = arena_alloc(r->arena, sizeof *c);
    struct err e = {0};
    if (!p || !c) {
        err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    memset(c, 0, sizeof *c);
    if (store_dossier_procedure(req_store(r), &d, now_local_minutes(), p, &e))
        return reply_err(r, &e);
    int next = 0;
    if (assignees_of(r, &d, p, c, &next)) {
        json_decref(c->list);
        if (!e.code) err_set(&e, ERR_IO, "", "the officers could not be read");
        return reply_err(r, &e);
    }
    const struct proc_step *st = next ? &p->steps[next - 1] : NULL;
    reply_json(
        r, 200,
        json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "code", d.code, "step",
                  next ? json_integer(next) : json_null(), "step_name",
                  st ? json_string(st->name) : json_null(), "step_role",
                  st ? json_string(step_role_name(st->role)) : json_null(), "step_role_label",
                  st ? json_string(step_role_label(st->role)) : json_null(), "officers", c->list));
}
