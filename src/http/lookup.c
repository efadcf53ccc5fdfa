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

/* 1 if the body's second factor matches the dossier's applicant. */
static int factor_matches(const struct dossier *d, const char *phone, const char *id_suffix)
{
    if (phone) {
        char a[24], b[24];
        return !phone_digits(phone, a, sizeof a) &&
               !phone_digits(d->applicant.phone, b, sizeof b) && same(a, b);
    }
    size_t n = strlen(id_suffix), m = strlen(d->applicant.idno);
    return n >= ID_SUFFIX_MIN && n <= m && same(id_suffix, d->applicant.idno + (m - n));
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

/* Reads and checks code + factor, applying the rate limits; loads the dossier. Replies and
 * returns -1 on any failure. rating says whether score is expected. A failure to count goes
 * to *pend when pend is not NULL (the caller counts it once its read transaction is over),
 * else it is counted at once. */
static int find_dossier_p(struct req *r, int rating, struct dossier *d, json_t **bodyp,
                          struct lookup_fail *pend)
{
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, lookup_spec, &body)) return -1;
    *bodyp = body;
    const char *phone = jget_str(body, "phone"), *suffix = jget_str(body, "id_suffix");
    char code[DOSSIER_CODE_LEN];
    dossier_code_normalize(jget_str(body, "code"), code, sizeof code);
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
    struct err e = {0};
    int rc = store_dossier_get(req_store(r), code, d, &e);
    if (rc && rc != ERR_NOT_FOUND) {
        reply_err(r, &e);
        return -1;
    }
    if (rc || !factor_matches(d, phone, suffix)) {
        struct lookup_fail f = {1, !rc, ""};
        snprintf(f.code, sizeof f.code, "%s", code);
        if (pend)
            *pend = f;
        else
            count_failure(r, &f);
        reply_error(r, 404, "not_found", "code", "no dossier matches this code and second factor");
        return -1;
    }
    return 0;
}

static int find_dossier(struct req *r, int rating, struct dossier *d, json_t **bodyp)
{
    return find_dossier_p(r, rating, d, bodyp, NULL);
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
    struct dossier d;
    json_t *body;
    if (find_dossier_p(r, 0, &d, &body, &lc->fail)) return 0;
    const struct dossier_state *st = &d.st;
    json_t *o = json_pack(
        "{s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "code", jstr(d.code), "status",
        dossier_status_name(st->status), "status_label", dossier_status_label_vi(st->status),
        "received_at", jinstant(st->received_at), "due_at", jinstant(st->due_at), "apology_due_at",
        jinstant(st->apology_due_at), "returned_at", jinstant(st->returned_at));
    struct procedure *p = arena_alloc(r->arena, sizeof *p);
    struct err e = {0};
    if (o && p && !store_dossier_procedure(req_store(r), &d, now_local_minutes(), p, &e)) {
        json_object_set_new(o, "procedure",
                            json_pack("{s:o, s:o}", "code", jstr(p->code), "name", jstr(p->name)));
        int k = st->step;
        json_object_set_new(o, "current_step",
                            k >= 1 && k <= p->nsteps
                                ? json_pack("{s:i, s:i, s:o}", "seq", k, "of", st->n_steps, "name",
                                            jstr(p->steps[k - 1].name))
                                : json_null());
    }
    json_object_set_new(o, "outcome",
                        jstr(dossier_outcome_name(dossier_outcome_at(st, now_local_minutes()))));
    /* what was asked of the applicant and when the clock stood still; while it stands, the
     * due date moves on by the time it stands (clock_stopped) */
    json_t *stops = json_array();
    struct dossier_records recs = {.stop = lookup_stop, .ctx = stops};
    if (store_dossier_records(req_store(r), d.code, &recs, &e)) json_array_clear(stops);
    json_object_set_new(o, "stops", stops);
    json_object_set_new(
        o, "clock_stopped",
        json_boolean(st->status == DS_SUPPLEMENT_REQUESTED || st->status == DS_PAUSED));
    /* where to go and whom to call: the receiving unit's desk (store_unit_contact_find) */
    struct unit_contact *uc = arena_alloc(r->arena, sizeof *uc);
    struct unit *uu = arena_alloc(r->arena, sizeof *uu);
    if (uc && uu && !store_unit_contact_find(req_store(r), d.unit, uc, &e) &&
        !store_unit_get(req_store(r), uc->unit, uu, &e))
        json_object_set_new(o, "desk",
                            json_pack("{s:s, s:s, s:s, s:o}", "name", uu->name, "address",
                                      uc->address, "phone", uc->phone, "hours",
                                      uc->hours[0] ? json_string(uc->hours) : json_null()));
    else
        json_object_set_new(o, "desk", json_null());
    int score = 0;
    int64_t rated_at = 0;
    if (store_dossier_rating(req_store(r), d.code, &score, &rated_at, NULL, 0, &e)) score = 0;
    json_object_set_new(o, "rated", json_boolean(score > 0));
    json_object_set_new(o, "can_rate", json_boolean(st->status == DS_RETURNED && score == 0));
    reply_json(r, 200, o);
    return 0;
}

void h_lookup(struct req *r)
{
    struct err e = {0};
    struct lookup_ctx lc = {r, {0, 0, ""}};
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
