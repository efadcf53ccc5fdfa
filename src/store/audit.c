/* audit.c — the audit chain over the domain record, for every backend: the derived columns of
 * a dossier, the state hash of a record, the hash that links each event to the one before,
 * appending an event after the head, and `audit verify` (the chain, the head, and every
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

/* ---- verification ---- */

struct seen {
    int32_t seq;
    unsigned char state[AUDIT_HASH_LEN];
};

struct verify {
    struct audit_report *r;
    struct seen *seen;
    int64_t max_id;
    unsigned char last[AUDIT_HASH_LEN];
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

static int check_event(const struct audit_event *ev, void *ctx)
{
    struct verify *v = ctx;
    struct audit_report *r = v->r;
    unsigned char h[AUDIT_HASH_LEN];
    int64_t want = r->events + 1;
    if (ev->id != want)
        return bad(r, want, "event %lld is missing: the log jumps from %lld to %lld (rows deleted)",
                   (long long)want, (long long)want - 1, (long long)ev->id);
    audit_event_hash(v->last, ev, h);
    if (memcmp(h, ev->hash, AUDIT_HASH_LEN))
        return bad(r, ev->id,
                   "event %lld: hash does not match its content or the chain (row edited, or rows "
                   "reordered)",
                   (long long)ev->id);
    if (ev->dossier_id < 1 || ev->dossier_id > v->max_id ||
        ev->seq != v->seen[ev->dossier_id].seq + 1)
        return bad(r, ev->id,
                   "event %lld: dossier %lld's events jump to number %lld (an event of that "
                   "dossier was deleted or moved)",
                   (long long)ev->id, (long long)ev->dossier_id, (long long)ev->seq);
    v->seen[ev->dossier_id].seq = (int32_t)ev->seq;
    memcpy(v->seen[ev->dossier_id].state, ev->state_hash, AUDIT_HASH_LEN);
    memcpy(v->last, h, AUDIT_HASH_LEN);
    r->events++;
    return 0;
}

static int check_dossier(const struct dossier *d, const struct dossier_derived *stored, void *ctx)
{
    struct verify *v = ctx;
    struct audit_report *r = v->r;
    r->dossiers++;
    if (d->id < 1 || d->id > v->max_id || v->seen[d->id].seq == 0)
        return bad(r, 0, "dossier %s has no events", d->code);
    const struct seen *sn = &v->seen[d->id];
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

static int verify_tx(struct store *s, void *ctx, struct err *e)
{
    struct audit_report *r = ctx;
    const struct store_backend *be = store_backend(s);
    struct verify v = {.r = r};
    int rc = be->dossier_max_id(s, &v.max_id, e);
    if (rc) return rc;
    if (!(v.seen = calloc((size_t)v.max_id + 1, sizeof *v.seen)))
        return err_set(e, ERR_NOMEM, "", "out of memory for %lld dossiers", (long long)v.max_id);
    /* the checks return 1 to stop the walk at the first bad row (r->ok = 0): not an error */
    rc = be->audit_events(s, check_event, &v, e);
    if (!r->ok) rc = 0;
    if (!rc && r->ok) {
        int found = 0;
        int64_t id = 0;
        unsigned char hash[AUDIT_HASH_LEN];
        rc = be->audit_stored_head(s, &found, &id, hash, e);
        if (rc)
            ;
        else if (!found && r->events)
            bad(r, 1, "the audit head is missing");
        else if (found && id != r->events)
            bad(r, r->events + 1,
                "the audit head says the log ends at event %lld but it ends at %lld (events "
                "deleted at the end, or the head edited)",
                (long long)id, (long long)r->events);
        else if (found && memcmp(hash, v.last, AUDIT_HASH_LEN))
            bad(r, id, "the audit head's hash does not match event %lld", (long long)id);
    }
    if (!rc && r->ok) {
        rc = be->audit_dossiers(s, check_dossier, &v, e);
        if (!r->ok) rc = 0;
    }
    free(v.seen);
    return rc;
}

int store_audit_verify(struct store *s, struct audit_report *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->ok = 1;
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    /* One transaction: a consistent snapshot even while others write. */
    return store_tx(s, verify_tx, out, e);
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
    int rc = be->audit_head(s, &ev.id, prev, e);
    if (rc) return rc;
    ev.id++;
    memcpy(ev.state_hash, state, AUDIT_HASH_LEN);
    audit_event_hash(prev, &ev, ev.hash);
    return be->event_append(s, &ev, e);
}
