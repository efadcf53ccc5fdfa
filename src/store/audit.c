/* audit.c — the audit chain over the domain record, for every backend: the derived columns of
 * a dossier, the state hash of a record, the hash that links each event to the one before
 * (of its province, after the genesis of migration 049), appending an event after its
 * province's head, and `audit verify` (the chains, the genesis and the heads, and every
 * dossier row against the state its last event recorded). Hashes are SHA-256 (libsodium). */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "vntext.h"

_Static_assert(AUDIT_HASH_LEN == crypto_hash_sha256_BYTES, "audit hash: SHA-256");

int dossier_derive(const struct dossier *d, struct dossier_derived *x, struct err *e)
{
    struct dossier_code c;
    int rc = dossier_code_parse(d->code, &c, e);
    if (rc) return rc;
    day_format(instant_day(d->submitted_at), x->day);
    x->seq = c.seq;
    if (vntext_fold(d->applicant.name, x->fold, sizeof x->fold))
        return err_set(e, ERR_INVALID, "name", "applicant name: not valid UTF-8 or too long");
    const struct dossier_state *t = &d->st;
    int decided = t->status == DS_RESULT_READY || dossier_status_closed(t->status);
    x->outcome = decided ? dossier_outcome_name(dossier_outcome_at(t, t->last_at)) : NULL;
    return 0;
}

/* ---- hashing ---- */

static void h_int(crypto_hash_sha256_state *h, int64_t v)
{
    unsigned char b[9] = {'i'};
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
    crypto_hash_sha256_update(h, b, sizeof b);
}

static void h_bytes(crypto_hash_sha256_state *h, char tag, const void *p, size_t n)
{
    unsigned char b[5] = {(unsigned char)tag, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    crypto_hash_sha256_update(h, b, sizeof b);
    crypto_hash_sha256_update(h, p, n);
}

/* A text value; absent (NULL, or "" where the column stores "" as NULL) hashes as 'n'. */
static void h_text(crypto_hash_sha256_state *h, const char *t)
{
    if (!t || !*t)
        crypto_hash_sha256_update(h, (const unsigned char *)"n", 1);
    else
        h_bytes(h, 't', t, strlen(t));
}

void audit_dossier_hash(const struct dossier *d, const struct dossier_derived *x,
                        unsigned char out[AUDIT_HASH_LEN])
{
    const struct dossier_state *t = &d->st;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    /* the order of the dossiers table's columns (migration 002) */
    h_int(&h, d->id);
    h_text(&h, d->code);
    h_text(&h, d->unit);
    h_text(&h, x->day);
    h_int(&h, x->seq);
    h_text(&h, d->procedure);
    h_text(&h, dossier_channel_name(d->channel));
    h_text(&h, d->applicant.name);
    h_text(&h, x->fold);
    h_text(&h, d->applicant.idno);
    h_text(&h, d->applicant.phone);
    h_text(&h, d->applicant.address);
    h_text(&h, dossier_status_name(t->status));
    h_text(&h, dossier_status_name(t->resume_to));
    const int64_t v[] = {t->step,       t->n_steps,         d->submitted_at,    t->received_at,
                         t->due_at,     t->budget_minutes,  t->step_started_at, t->step_due_at,
                         t->stopped_at, t->stopped_minutes, t->supplements,     t->pauses,
                         t->apologies,  t->apology_due_at,  t->result_at,       t->returned_at,
                         t->closed_at,  t->last_at};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        h_int(&h, v[i]);
    h_text(&h, x->outcome);
    h_text(&h, d->officer);
    h_int(&h, d->fee_paid_online);
    h_int(&h, d->digitised);
    h_int(&h, d->n_events);
    crypto_hash_sha256_final(&h, out);
}

void audit_event_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_event *ev,
                      unsigned char out[AUDIT_HASH_LEN])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, AUDIT_HASH_LEN);
    h_int(&h, ev->id);
    h_int(&h, ev->dossier_id);
    h_int(&h, ev->seq);
    h_int(&h, ev->at);
    const char *texts[] = {ev->actor, ev->action, ev->from, ev->to, ev->note};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        h_bytes(&h, 't', texts[i] ? texts[i] : "", texts[i] ? strlen(texts[i]) : 0);
    h_bytes(&h, 'b', ev->state_hash, AUDIT_HASH_LEN);
    if (ev->recorded_at) { /* version 2 (migration 009) */
        crypto_hash_sha256_update(&h, (const unsigned char *)"v", 1);
        h_int(&h, 2);
        h_int(&h, ev->recorded_at);
        h_int(&h, ev->backdated ? 1 : 0);
    }
    crypto_hash_sha256_final(&h, out);
}

int64_t store_now_minutes(void)
{
    /* Vietnam is UTC+7 all year (no daylight saving), date.h's local civil time. */
    return ((int64_t)time(NULL) + 7 * 3600) / 60;
}

int audit_need_sodium(struct err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "", "libsodium failed to initialise");
    return 0;
}

/* ---- verification ----
 *
 * The log has two parts (migration 049). Up to the genesis (audit_genesis: the last event and
 * hash of the log when the chains went per province), one global chain: each event links to
 * the one before it, ids run from 1 without a gap, and the last one is the genesis. After it,
 * one chain per province: each event links to the previous event of its province after the
 * genesis, the first one to the genesis hash, and audit_head holds each province's last
 * link. There is no contiguity check on the ids after the genesis: they are contiguous today
 * (the next id is the last + 1 under the global write lock), but with ids from per-shard
 * sequences (docs/scale.md, step 4) gaps are normal; an event deleted from a province's chain
 * breaks the link of the next one, and one deleted at its end no longer matches the head.
 * The per-dossier checks (its events numbered without a gap, its row the state its last event
 * recorded) hold across both parts. */

struct seen {
    int32_t seq;
    int32_t chain; /* 1 + the index of the province chain of its events after the genesis */
    unsigned char state[AUDIT_HASH_LEN];
};

struct chain {
    char province[UNIT_CODE_MAX];
    int64_t last_id;
    unsigned char last[AUDIT_HASH_LEN];
    int head_seen;
};

struct verify {
    struct audit_report *r;
    struct seen *seen;
    int64_t max_id;
    const char *only; /* one province's chain and dossiers (and the global part), or NULL */
    int genesis_found, global_only, past_genesis, oom;
    int64_t genesis_id, prev_id; /* prev_id: the last event walked (ids ascend) */
    char prev_province[UNIT_CODE_MAX];
    unsigned char genesis[AUDIT_HASH_LEN];
    unsigned char last[AUDIT_HASH_LEN]; /* the global chain's last link */
    struct chain *chains;
    int nchains, capchains, cur;
};

static int bad(struct audit_report *r, int64_t ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct audit_report *r, int64_t ev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
    r->ok = 0;
    r->bad_event = ev;
    return 1; /* stops the walk */
}

/* The global chain ends where the genesis says (or, before migration 049, the one head);
 * any: the log has events. */
static int check_genesis(struct verify *v, int any)
{
    struct audit_report *r = v->r;
    const char *what = v->global_only ? "audit head" : "audit genesis";
    if (!v->genesis_found) return any ? bad(r, 1, "the %s is missing", what) : 0;
    if (v->genesis_id != r->legacy)
        return bad(r, r->legacy + 1,
                   "the %s says the %s ends at event %lld but it ends at %lld (events deleted at "
                   "the end, or the %s edited)",
                   what, v->global_only ? "log" : "global chain", (long long)v->genesis_id,
                   (long long)r->legacy, v->global_only ? "head" : "genesis");
    if (memcmp(v->genesis, v->last, AUDIT_HASH_LEN))
        return bad(r, v->genesis_id, "the %s's hash does not match event %lld", what,
                   (long long)v->genesis_id);
    return 0;
}

static struct chain *chain_find(struct verify *v, const char *province)
{
    if (v->cur < v->nchains && !strcmp(v->chains[v->cur].province, province))
        return &v->chains[v->cur];
    for (int i = 0; i < v->nchains; i++)
        if (!strcmp(v->chains[i].province, province)) return &v->chains[v->cur = i];
    return NULL;
}

static struct chain *chain_add(struct verify *v, const char *province)
{
    if (v->nchains == v->capchains) {
        int cap = v->capchains ? 2 * v->capchains : 16;
        struct chain *c = realloc(v->chains, (size_t)cap * sizeof *c);
        if (!c) return NULL;
        v->chains = c;
        v->capchains = cap;
    }
    struct chain *c = &v->chains[v->cur = v->nchains++];
    memset(c, 0, sizeof *c);
    snprintf(c->province, sizeof c->province, "%s", province);
    memcpy(c->last, v->genesis, AUDIT_HASH_LEN); /* a province's first event links to it */
    return c;
}

static int check_event(const struct audit_event *ev, void *ctx)
{
    struct verify *v = ctx;
    struct audit_report *r = v->r;
    unsigned char h[AUDIT_HASH_LEN];
    struct chain *c = NULL;
    if (v->global_only || ev->id <= v->genesis_id) { /* the global chain */
        int64_t want = r->legacy + 1;
        if (ev->id != want)
            return bad(r, want,
                       "event %lld is missing: the log jumps from %lld to %lld (rows deleted)",
                       (long long)want, (long long)want - 1, (long long)ev->id);
        audit_event_hash(v->last, ev, h);
        if (memcmp(h, ev->hash, AUDIT_HASH_LEN))
            return bad(r, ev->id,
                       "event %lld: hash does not match its content or the chain (row edited, or "
                       "rows reordered)",
                       (long long)ev->id);
    } else { /* a province's chain */
        if (!v->past_genesis) {
            if (check_genesis(v, 1)) return 1;
            v->past_genesis = 1;
        }
        /* The key is (id, province) since migration 045, so the database would take one id in
         * two provinces; each chain alone would still verify. */
        if (ev->id == v->prev_id &&
            (!v->only || !strcmp(ev->province, v->only) || !strcmp(v->prev_province, v->only)))
            return bad(r, ev->id,
                       "event id %lld appears twice (in provinces %s and %s): event ids are "
                       "unique across the log",
                       (long long)ev->id, v->prev_province, ev->province);
        v->prev_id = ev->id;
        snprintf(v->prev_province, sizeof v->prev_province, "%s", ev->province);
        if (v->only && strcmp(ev->province, v->only)) return 0;
        if (!(c = chain_find(v, ev->province)) && !(c = chain_add(v, ev->province)))
            return v->oom = 1;
        audit_event_hash(c->last, ev, h);
        if (memcmp(h, ev->hash, AUDIT_HASH_LEN))
            return bad(r, ev->id,
                       "event %lld: hash does not match its content or the chain of province %s "
                       "(row edited, deleted or reordered)",
                       (long long)ev->id, ev->province);
    }
    if (ev->dossier_id < 1 || ev->dossier_id > v->max_id ||
        ev->seq != v->seen[ev->dossier_id].seq + 1)
        return bad(r, ev->id,
                   "event %lld: dossier %lld's events jump to number %lld (an event of that "
                   "dossier was deleted or moved)",
                   (long long)ev->id, (long long)ev->dossier_id, (long long)ev->seq);
    struct seen *sn = &v->seen[ev->dossier_id];
    sn->seq = (int32_t)ev->seq;
    memcpy(sn->state, ev->state_hash, AUDIT_HASH_LEN);
    if (c) {
        sn->chain = (int32_t)(c - v->chains) + 1;
        c->last_id = ev->id;
        memcpy(c->last, h, AUDIT_HASH_LEN);
    } else {
        memcpy(v->last, h, AUDIT_HASH_LEN);
        r->legacy++;
    }
    r->events++;
    return 0;
}

static int check_head(const char *province, int64_t id, const unsigned char hash[AUDIT_HASH_LEN],
                      void *ctx)
{
    struct verify *v = ctx;
    struct audit_report *r = v->r;
    if (v->only && strcmp(province, v->only)) return 0;
    struct chain *c = chain_find(v, province);
    if (!c)
        return bad(r, id,
                   "the audit head of province %s names event %lld, but the province has no "
                   "event after the genesis (events deleted, or the head written by hand)",
                   province, (long long)id);
    c->head_seen = 1;
    if (c->last_id != id)
        return bad(r, c->last_id + 1,
                   "the audit head of province %s says its chain ends at event %lld but it ends "
                   "at %lld (events deleted at the end, or the head edited)",
                   province, (long long)id, (long long)c->last_id);
    if (memcmp(hash, c->last, AUDIT_HASH_LEN))
        return bad(r, id, "the audit head of province %s: its hash does not match event %lld",
                   province, (long long)id);
    return 0;
}

static int check_dossier(const struct dossier *d, const struct dossier_derived *stored,
                         const char *province, void *ctx)
{
    struct verify *v = ctx;
    struct audit_report *r = v->r;
    if (v->only && strcmp(province, v->only)) return 0;
    r->dossiers++;
    if (d->id < 1 || d->id > v->max_id || v->seen[d->id].seq == 0)
        return bad(r, 0, "dossier %s has no events", d->code);
    const struct seen *sn = &v->seen[d->id];
    if (sn->chain && strcmp(v->chains[sn->chain - 1].province, province))
        return bad(r, 0,
                   "dossier %s: its province is %s but its events after the genesis are in the "
                   "chain of province %s (row edited)",
                   d->code, province, v->chains[sn->chain - 1].province);
    struct dossier_derived x;
    struct err e = {0};
    unsigned char h[AUDIT_HASH_LEN];
    const char *column = NULL;
    if (dossier_derive(d, &x, &e))
        column = e.field[0] ? e.field : "code";
    else if (strcmp(stored->day, x.day))
        column = "day";
    else if (stored->seq != x.seq)
        column = "seq";
    else if (strcmp(stored->fold, x.fold))
        column = "applicant_fold";
    else if (!stored->outcome != !x.outcome || (x.outcome && strcmp(stored->outcome, x.outcome)))
        column = "outcome";
    if (!column) audit_dossier_hash(d, &x, h);
    if (column || memcmp(h, sn->state, AUDIT_HASH_LEN) || d->n_events != sn->seq)
        return bad(r, 0,
                   "dossier %s: the row does not match the state its last event (number %d) "
                   "recorded (row edited%s%s)",
                   d->code, (int)sn->seq, column ? ": column " : "", column ? column : "");
    return 0;
}

struct verify_arg {
    struct audit_report *r;
    const char *only;
};

static int verify_tx(struct store *s, void *ctx, struct err *e)
{
    struct verify_arg *a = ctx;
    struct audit_report *r = a->r;
    const struct store_backend *be = store_backend(s);
    struct verify v = {.r = r, .only = a->only};
    int rc = be->dossier_max_id(s, &v.max_id, e);
    if (!rc)
        rc = be->audit_genesis(s, &v.genesis_found, &v.global_only, &v.genesis_id, v.genesis, e);
    if (rc) return rc;
    if (!(v.seen = calloc((size_t)v.max_id + 1, sizeof *v.seen)))
        return err_set(e, ERR_NOMEM, "", "out of memory for %lld dossiers", (long long)v.max_id);
    /* the checks return 1 to stop the walk at the first bad row (r->ok = 0): not an error */
    rc = be->audit_events(s, check_event, &v, e);
    if (v.oom)
        rc = err_set(e, ERR_NOMEM, "", "out of memory for the province chains");
    else if (!r->ok)
        rc = 0;
    if (!rc && r->ok && !v.past_genesis) check_genesis(&v, r->events > 0);
    if (!rc && r->ok) {
        rc = be->audit_heads(s, check_head, &v, e);
        if (!r->ok) rc = 0;
    }
    for (int i = 0; !rc && r->ok && i < v.nchains; i++)
        if (!v.chains[i].head_seen)
            bad(r, v.chains[i].last_id, "the audit head of province %s is missing",
                v.chains[i].province);
    if (!rc && r->ok) {
        rc = be->audit_dossiers(s, check_dossier, &v, e);
        if (!r->ok) rc = 0;
    }
    r->chains = v.nchains;
    free(v.chains);
    free(v.seen);
    return rc;
}

int store_audit_verify_province(struct store *s, const char *province, struct audit_report *out,
                                struct err *e)
{
    memset(out, 0, sizeof *out);
    out->ok = 1;
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    struct verify_arg a = {.r = out, .only = province && *province ? province : NULL};
    /* One read snapshot, consistent while others write, and no writer kept waiting: a
     * province's events and its audit head are written in one transaction under its lock, so
     * any snapshot holds each chain as a committed prefix with its head (docs/province-lock.md
     * §3.4). It took the exclusive write lock before, which stopped every writer of every
     * province for the whole walk (minutes at a province decade). */
    return store_read(s, verify_tx, &a, e);
}

int store_audit_verify(struct store *s, struct audit_report *out, struct err *e)
{
    return store_audit_verify_province(s, NULL, out, e);
}

int audit_append(struct store *s, const struct dossier *d,
                 const unsigned char state[AUDIT_HASH_LEN], const char *action, const char *from,
                 const char *actor, const char *note, const struct event_time *t, struct err *e)
{
    const struct store_backend *be = store_backend(s);
    struct audit_event ev = {.dossier_id = d->id,
                             .seq = d->n_events,
                             .at = t->at,
                             .recorded_at = t->recorded_at ? t->recorded_at : store_now_minutes(),
                             .backdated = t->backdated,
                             .actor = actor,
                             .action = action,
                             .from = from,
                             .to = dossier_status_name(d->st.status),
                             .note = note ? note : ""};
    unsigned char prev[AUDIT_HASH_LEN];
    char province[UNIT_CODE_MAX];
    int rc = be->dossier_province(s, d->id, province, sizeof province, e);
    if (rc || (rc = be->audit_head(s, province, &ev.id, prev, e))) return rc;
    ev.province = province;
    ev.id++;
    memcpy(ev.state_hash, state, AUDIT_HASH_LEN);
    audit_event_hash(prev, &ev, ev.hash);
    return be->event_append(s, &ev, e);
}
