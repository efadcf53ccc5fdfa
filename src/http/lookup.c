/* lookup.c — the citizen's lookup without an account (ARCHITECTURE.md §8): the dossier code
 * plus a second factor, the phone number or the last digits of the ID number, answers the
 * status, the due date and the current step; once the result is returned, one satisfaction
 * rating. Failures are counted per client address and per code and answered alike (no
 * dossier matches), so the endpoint tells nothing about codes or phones it is probed with. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "dblimit.h"
#include "dossier.h"
#include "http.h"
#include "readcache.h"
#include "server_int.h"
#include "store.h"
#include "store_procadmin.h"

#define ID_SUFFIX_MIN 4

/* Phone to its national significant digits: "+84 912 345 678" and "0912345678" agree. */
static int phone_digits(const char *s, char *out, size_t n)
{
    size_t k = 0;
    if (!strncmp(s, "+84", 3))
        s += 3;
    else if (s[0] == '0')
        s += 1;
    else if (!strncmp(s, "84", 2) && strlen(s) > 10)
        s += 2;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (k + 1 >= n) return -1;
            out[k++] = *s;
        } else if (*s != ' ' && *s != '.' && *s != '-') {
            return -1;
        }
    }
    out[k] = 0;
    return k >= 8 ? 0 : -1;
}

static int same(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && n && sodium_memcmp(a, b, n) == 0;
}

/* 1 if the body's second factor (phone or id_suffix) matches the applicant's phone and ID
 * number (a_phone, a_idno). */
static int factor_matches(const char *a_phone, const char *a_idno, const char *phone,
                          const char *id_suffix)
{
    if (phone) {
        char a[24], b[24];
        return !phone_digits(phone, a, sizeof a) && !phone_digits(a_phone, b, sizeof b) &&
               same(a, b);
    }
    size_t n = strlen(id_suffix), m = strlen(a_idno);
    return n >= ID_SUFFIX_MIN && n <= m && same(id_suffix, a_idno + (m - n));
}

static const struct jfield lookup_spec[] = {
    {"code", JT_STRING, 1, 1, DOSSIER_CODE_LEN - 1},
    {"phone", JT_STRING, 0, 1, 24},
    {"id_suffix", JT_STRING, 0, ID_SUFFIX_MIN, APPLICANT_IDNO_MAX - 1},
    {"score", JT_INT, 0, 1, 5},
    {"comment", JT_STRING, 0, 0, 400},
    {NULL, 0, 0, 0, 0},
};

/* A failed lookup to count: its address and network, and its code when the dossier exists. */
struct lookup_fail {
    int failed, code_exists;
    char code[DOSSIER_CODE_LEN];
};

/* Counts f's failure (dblimit.h). Outside any read transaction: the counts are writes. */
static void count_failure(struct req *r, const struct lookup_fail *f)
{
    if (!f->failed) return;
    const struct serve_config *cfg = req_config(r);
    char nkey[64];
    ratelimit_net_key(r->ip, nkey, sizeof nkey);
    dblimit_fail(r, "lip", r->ip, cfg->lookup_max_failures_ip);
    dblimit_fail(r, "lnet", nkey, cfg->lookup_max_failures_net);
    /* Per code only for a dossier that exists: guesses at made-up codes cost the guesser's
     * address and network, and add no row per made-up code. */
    if (f->code_exists) dblimit_fail(r, "c", f->code, cfg->lookup_max_failures);
}

/* Reads and checks the body (rating: whether score is expected), code normalised into code,
 * and applies the rate limits. Replies and returns -1 on any failure. */
static int lookup_begin(struct req *r, int rating, json_t **bodyp, char *code, size_t n)
{
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, lookup_spec, &body)) return -1;
    *bodyp = body;
    const char *phone = jget_str(body, "phone"), *suffix = jget_str(body, "id_suffix");
    dossier_code_normalize(jget_str(body, "code"), code, n);
    if (!phone == !suffix) {
        reply_error(r, 400, "invalid", "phone",
                    "give exactly one second factor: phone or id_suffix");
        return -1;
    }
    if (rating != !!json_object_get(body, "score") ||
        (!rating && json_object_get(body, "comment"))) {
        const char *f = rating ? "score" : json_object_get(body, "score") ? "score" : "comment";
        reply_error(r, 400, rating ? "missing_field" : "unknown_field", f,
                    rating ? "field 'score' is required" : "field '%s' is not known here", f);
        return -1;
    }
    char nkey[64];
    ratelimit_net_key(r->ip, nkey, sizeof nkey);
    int retry = 0;
    /* counted in the database: every server sees the same counts (dblimit.h) */
    static const char *const kinds[3] = {"lip", "lnet", "c"};
    const char *const values[3] = {r->ip, nkey, code};
    if (dblimit_blocked3(r, kinds, values, &retry)) {
        reply_header(r, "Retry-After", arena_printf(r->arena, "%d", retry > 0 ? retry : 1));
        reply_error(r, 429, "rate_limited", NULL,
                    "too many failed lookups; try again in %d seconds", retry > 0 ? retry : 1);
        return -1;
    }
    return 0;
}

/* A lookup that failed (no such code, or the wrong second factor; exists: the code's dossier
 * exists): the one answer for both, and the failure counted, or left in *pend when not NULL
 * (the caller counts it once its read transaction is over). */
static void lookup_failed(struct req *r, const char *code, int exists, struct lookup_fail *pend)
{
    struct lookup_fail f = {1, exists, ""};
    snprintf(f.code, sizeof f.code, "%s", code);
    if (pend)
        *pend = f;
    else
        count_failure(r, &f);
    reply_error(r, 404, "not_found", "code", "no dossier matches this code and second factor");
}

/* lookup_begin, then the dossier loaded and the second factor checked (the rating and the
 * payment lookups; the lookup itself keeps what it reads, lookup_read). Replies and returns -1
 * on any failure, a failure counted at once. */
static int find_dossier(struct req *r, int rating, struct dossier *d, json_t **bodyp)
{
    char code[DOSSIER_CODE_LEN];
    if (lookup_begin(r, rating, bodyp, code, sizeof code)) return -1;
    struct err e = {0};
    int rc = store_dossier_get(req_store(r), code, d, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !factor_matches(d->applicant.phone, d->applicant.idno, jget_str(*bodyp, "phone"),
                              jget_str(*bodyp, "id_suffix"))) {
        lookup_failed(r, code, !rc, NULL);
        return -1;
    }
    return 0;
}

/* A supplement request or pause, as the applicant is told of it (the reason is what the desk
 * wrote on Mẫu 02 or the pause notice: no personal data, store.h). */
static int lookup_stop(const struct dossier_stop_rec *s, void *ctx)
{
    return json_array_append_new(
        ctx, json_pack("{s:s, s:o, s:o, s:o}", "kind", s->pause ? "pause" : "supplement",
                       "started_at", jinstant(s->started_at), "ended_at", jinstant(s->ended_at),
                       "reason", jstr_or_null(s->reason)));
}

/* What the lookup answers of one dossier, as the read cache keeps it (key "L:" and the code,
 * dropped with the dossier's page: every change to a dossier, its stops and its rating
 * included, updates its row; units, contacts and procedures empty the cache): what the second
 * factor is checked against, the state the outcome is decided from at each answer (it moves
 * with the clock), and the rest of the answer as JSON text. */
struct lookup_view {
    int64_t day; /* read on this day (the procedure's version is the day's) */
    struct dossier_state st;
    char phone[APPLICANT_PHONE_MAX], idno[APPLICANT_IDNO_MAX];
    size_t len;  /* of json, without its NUL */
    char json[]; /* the answer but its outcome: an object */
};

static void *view_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}

/* Reads what the lookup answers of d, inside the read transaction, into a view in the
 * request's arena; *keep is 0 when a read failed (the answer leaves that part out, and is
 * not kept). NULL when out of memory. */
static struct lookup_view *view_read(struct req *r, const struct dossier *d, int *keep)
{
    const struct dossier_state *st = &d->st;
    int64_t day = today_local();
    struct err e = {0};
    int rc;
    *keep = 1;
    json_t *o = json_pack(
        "{s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "code", jstr(d->code), "status",
        dossier_status_name(st->status), "status_label", dossier_status_label_vi(st->status),
        "received_at", jinstant(st->received_at), "due_at", jinstant(st->due_at), "apology_due_at",
        jinstant(st->apology_due_at), "returned_at", jinstant(st->returned_at));
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    if (!o || !p) {
        json_decref(o);
        return NULL;
    }
    if (!(rc = store_dossier_procedure(req_store(r), d, now_local_minutes(), p, &e))) {
        json_object_set_new(o, "procedure",
                            json_pack("{s:o, s:o}", "code", jstr(p->code), "name", jstr(p->name)));
        int k = st->step;
        json_object_set_new(o, "current_step",
                            k >= 1 && k <= p->nsteps
                                ? json_pack("{s:i, s:i, s:o}", "seq", k, "of", st->n_steps, "name",
                                            jstr(p->steps[k - 1].name))
                                : json_null());
    } else if (rc != ERR_NOT_FOUND) {
        *keep = 0;
    }
    /* what was asked of the applicant and when the clock stood still; while it stands, the
     * due date moves on by the time it stands (clock_stopped) */
    json_t *stops = json_array();
    struct dossier_records recs = {.stop = lookup_stop, .ctx = stops};
    if (store_dossier_records(req_store(r), d->code, &recs, &e)) {
        json_array_clear(stops);
        *keep = 0;
    }
    json_object_set_new(o, "stops", stops);
    json_object_set_new(
        o, "clock_stopped",
        json_boolean(st->status == DS_SUPPLEMENT_REQUESTED || st->status == DS_PAUSED));
    /* where to go and whom to call: the receiving unit's desk (store_unit_contact_find) */
    struct unit_contact *uc = arena_alloc(r->arena, sizeof *uc);
    struct unit *uu = arena_alloc(r->arena, sizeof *uu);
    rc = uc && uu ? store_unit_contact_find(req_store(r), d->unit, uc, &e) : ERR_NOMEM;
    if (!rc) rc = store_unit_get(req_store(r), uc->unit, uu, &e);
    if (!rc)
        json_object_set_new(o, "desk",
                            json_pack("{s:s, s:s, s:s, s:o}", "name", uu->name, "address",
                                      uc->address, "phone", uc->phone, "hours",
                                      uc->hours[0] ? json_string(uc->hours) : json_null()));
    else
        json_object_set_new(o, "desk", json_null());
    if (rc && rc != ERR_NOT_FOUND) *keep = 0;
    int score = 0;
    int64_t rated_at = 0;
    if (store_dossier_rating(req_store(r), d->code, &score, &rated_at, NULL, 0, &e)) {
        score = 0;
        *keep = 0;
    }
    json_object_set_new(o, "rated", json_boolean(score > 0));
    json_object_set_new(o, "can_rate", json_boolean(st->status == DS_RETURNED && score == 0));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    size_t n = text ? strlen(text) : 0;
    struct lookup_view *v = text ? arena_alloc(r->arena, sizeof *v + n + 1) : NULL;
    if (v) {
        v->day = day;
        v->st = *st;
        snprintf(v->phone, sizeof v->phone, "%s", d->applicant.phone);
        snprintf(v->idno, sizeof v->idno, "%s", d->applicant.idno);
        v->len = n;
        memcpy(v->json, text, n + 1);
    }
    free(text);
    return v;
}

/* The answer: the view's JSON with the outcome as of now. */
static void view_reply(struct req *r, const struct lookup_view *v)
{
    const char *outcome = dossier_outcome_name(dossier_outcome_at(&v->st, now_local_minutes()));
    char *out = v->len >= 2 && v->json[v->len - 1] == '}'
                    ? arena_printf(r->arena, "%.*s,\"outcome\":\"%s\"}", (int)(v->len - 1), v->json,
                                   outcome)
                    : NULL;
    if (!out) {
        reply_error(r, 500, "internal", NULL, "out of memory");
        return;
    }
    reply_arena_text(r, 200, "application/json; charset=utf-8", out, strlen(out));
}

/* The lookup proper, run inside one read transaction (it only reads). */
struct lookup_ctx {
    struct req *r;
    struct lookup_fail fail;
};

static int lookup_read(struct store *s, void *ctx, struct err *err)
{
    (void)s;
    (void)err;
    struct lookup_ctx *lc = ctx;
    struct req *r = lc->r;
    req_read_cache_check(r);
    json_t *body;
    char code[DOSSIER_CODE_LEN];
    if (lookup_begin(r, 0, &body, code, sizeof code)) return 0;
    const char *phone = jget_str(body, "phone"), *suffix = jget_str(body, "id_suffix");
    struct readcache *rc = req_read_cache(r);
    char key[DOSSIER_CODE_LEN + 8];
    snprintf(key, sizeof key, "L:%s", code);
    void *kept = NULL;
    size_t n = 0;
    struct lookup_view *v = NULL;
    if (rc && readcache_get_copy(rc, key, view_alloc, r->arena, &kept, &n) && n >= sizeof *v) {
        struct lookup_view *k = kept; /* as put: its JSON's length, and today's */
        if (n == sizeof *k + k->len + 1 && k->day == today_local()) v = k;
    }
    if (!v) {
        struct dossier *d = arena_alloc(r->arena, sizeof *d);
        if (!d) {
            reply_error(r, 500, "internal", NULL, "out of memory");
            return 0;
        }
        struct err e = {0};
        int grc = store_dossier_get(req_store(r), code, d, &e);
        if (grc && grc != ERR_NOT_FOUND) {
            reply_err(r, &e);
            return 0;
        }
        if (grc) {
            lookup_failed(r, code, 0, &lc->fail);
            return 0;
        }
        int keep = 0;
        if (!(v = view_read(r, d, &keep))) {
            reply_error(r, 500, "internal", NULL, "out of memory");
            return 0;
        }
        if (rc && keep) readcache_put(rc, r->rc_ticket, key, v, sizeof *v + v->len + 1);
    }
    if (!factor_matches(v->phone, v->idno, phone, suffix)) {
        lookup_failed(r, code, 1, &lc->fail);
        return 0;
    }
    view_reply(r, v);
    return 0;
}

void h_lookup(struct req *r)
{
    struct err e = {0};
    struct lookup_ctx lc = {r, {0, 0, ""}};
    req_read_cache_begin(r); /* the ticket before the read snapshot (readcache.h) */
    if (store_read(req_store(r), lookup_read, &lc, &e) && !r->replied) reply_err(r, &e);
    count_failure(r, &lc.fail);
}

void h_rating(struct req *r)
{
    struct dossier d;
    json_t *body;
    if (find_dossier(r, 1, &d, &body)) return;
    if (d.st.status != DS_RETURNED) {
        reply_error(r, 409, "conflict", "code",
                    "a dossier can be rated once its result has been returned");
        return;
    }
    struct err e = {0};
    if (store_dossier_rate(req_store(r), d.code, (int)jget_int(body, "score", 0),
                           now_local_minutes(), jget_str(body, "comment"), &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201,
               json_pack("{s:o, s:I}", "code", jstr(d.code), "score",
                         (json_int_t)jget_int(body, "score", 0)));
}

int lookup_find_dossier(struct req *r, struct dossier *d, json_t **body)
{
    return find_dossier(r, 0, d, body);
}
