/* dossiers.c — the dossier transactions, for every backend: creation with the unit's daily
 * code sequence, every change (read the record, dossier_change_apply, write the record and
 * its effects, append one hash-chained event, move the statistics), and the rating. The
 * backend (struct store_backend) only reads and writes the rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "store_int.h"
#include "store_notify.h"
#include "store_procadmin.h"
#include "vntext.h"

/* Writes d's state and appends the event for its latest change: the row, then the chain. */
static int write_and_log(struct store *s, const struct dossier *cur, const struct dossier *d,
                         const char *action, const char *from, const char *actor, const char *note,
                         const struct event_time *t, struct err *e)
{
    const struct store_backend *be = store_backend(s);
    struct dossier_derived x;
    unsigned char h[AUDIT_HASH_LEN];
    int rc = dossier_derive(d, &x, e);
    if (!rc) rc = be->dossier_update(s, cur, d, &x, e);
    if (rc) return rc;
    audit_dossier_hash(d, &x, h);
    return audit_append(s, d, h, action, from, actor, note, t, e);
}

/* ---- changes ---- */

struct apply_ctx {
    const struct calendar *cal;
    const struct dossier_change *c;
    struct dossier *out;
};

static int apply_tx(struct store *s, void *ctx, struct err *e)
{
    struct apply_ctx *x = ctx;
    const struct dossier_change *c = x->c;
    const struct store_backend *be = store_backend(s);
    struct dossier d, nxt;
    struct dossier_effects fx;
    struct procedure *own = NULL;
    const struct procedure *proc = c->proc;
    int rc = be->dossier_get(s, c->code, &d, e);
    if (rc) return rc;
    if (!proc && (dossier_action_desc(c->action)->flags & DAF_PROCEDURE)) {
        if (!(own = malloc(sizeof *own))) return err_set(e, ERR_NOMEM, "", "out of memory");
        rc = store_dossier_procedure(s, &d, c->at, own, e); /* its version of the steps */
        proc = own;
    }
    if (!rc) rc = dossier_change_apply(&d, c, x->cal, proc, &nxt, &fx, e);
    for (int i = 0; !rc && i < fx.n; i++)
        rc = be->effect_write(s, d.id, &fx.fx[i], e);
    struct event_time t = {c->at, c->recorded_at, c->backdated};
    if (!rc)
        rc = write_and_log(s, &d, &nxt, dossier_action_name(c->action),
                           dossier_status_name(d.st.status), c->actor, c->note, &t, e);
    if (!rc) rc = store_stats_apply_event(s, &d, &nxt, e);
    if (!rc) rc = store_notify_dossier(s, &d, &nxt, dossier_action_name(c->action), e);
    if (!rc && x->out) *x->out = nxt;
    free(own);
    return rc;
}

int store_tx_dossier(struct store *s, const char *code, store_tx_fn fn, void *ctx, struct err *e)
{
    char prov[UNIT_CODE_MAX] = "";
    if (!store_in_tx(s)) store_backend(s)->code_province(s, code, prov, sizeof prov);
    return store_tx_province(s, prov, fn, ctx, e);
}

int store_tx_unit(struct store *s, const char *unit, store_tx_fn fn, void *ctx, struct err *e)
{
    char prov[UNIT_CODE_MAX] = "";
    if (!store_in_tx(s) && store_unit_root(s, unit, prov, sizeof prov, NULL)) prov[0] = '\0';
    return store_tx_province(s, prov, fn, ctx, e);
}

int store_dossier_apply(struct store *s, const struct calendar *cal, const struct dossier_change *c,
                        struct dossier *out, struct err *e)
{
    int rc = audit_need_sodium(e);
    if (!rc) rc = dossier_change_check(c, e);
    if (rc) return rc;
    struct dossier_change own = *c;
    if (!own.recorded_at) own.recorded_at = store_now_minutes();
    struct apply_ctx x = {cal, &own, out};
    return store_tx_dossier(s, c->code, apply_tx, &x, e);
}

/* ---- creation ---- */

struct create_ctx {
    const struct calendar *cal;
    const struct dossier_intake *in;
    const struct procedure *proc;
    struct dossier *out;
};

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct create_ctx *x = ctx;
    const struct dossier_intake *in = x->in;
    const struct store_backend *be = store_backend(s);
    struct unit u;
    struct dossier d, nxt;
    struct dossier_derived dx;
    char day[11];
    int seq = 0;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    day_format(instant_day(in->at), day);
    if (u.ident_code[0] && (rc = be->dossier_max_seq(s, u.code, day, &seq, e))) return rc;
    if ((rc = dossier_new(&u, x->proc->code, in->channel, &in->applicant, in->at, seq + 1,
                          in->fee_paid_online, in->digitised, &d, e)) ||
        (rc = dossier_derive(&d, &dx, e)) || (rc = be->dossier_insert(s, &d, &dx, e)))
        return rc;
    if (in->decider && *in->decider && strcmp(in->decider, in->unit) &&
        (rc = store_dossier_decider_set(s, d.id, in->decider, e)))
        return rc;
    /* the received documents of the receipt (Mẫu 01), from the procedure's list */
    int n = in->docs ? in->ndocs : x->proc->ndocs;
    for (int i = 0; !rc && i < n; i++)
        rc = be->document_add(s, d.id, i + 1, x->proc->docs[(in->docs ? in->docs[i] : i + 1) - 1],
                              e);
    if (rc) return rc;
    nxt = d;
    if (in->receive) {
        /* Received at the desk: one event, 'receive', from nothing. */
        struct action_args a = {.at = in->at, .cal = x->cal, .proc = x->proc};
        if ((rc = dossier_apply(&d.st, DA_RECEIVE, &a, &nxt.st, e))) return rc;
    }
    nxt.n_events = 1;
    struct event_time t = {in->at, in->recorded_at, in->backdated};
    rc = write_and_log(s, NULL, &nxt, in->receive ? "receive" : "submit", "", in->actor, in->note,
                       &t, e);
    if (!rc) rc = store_stats_apply_event(s, NULL, &nxt, e);
    if (!rc) rc = store_notify_dossier(s, NULL, &nxt, in->receive ? "receive" : "submit", e);
    if (!rc && x->out) *x->out = nxt;
    return rc;
}

static int check_intake(const struct dossier_intake *in, const struct procedure *p, struct err *e)
{
    int rc = applicant_check(&in->applicant, e);
    if (!rc && (!in->actor || !*in->actor))
        rc = err_set(e, ERR_INVALID, "actor", "actor: who records the dossier must be given");
    if (!rc && strlen(in->actor) >= DOSSIER_ACTOR_MAX)
        rc = err_set(e, ERR_INVALID, "actor", "actor: longer than %d bytes", DOSSIER_ACTOR_MAX - 1);
    if (!rc && in->note && (strlen(in->note) >= DOSSIER_NOTE_MAX || !vntext_valid_utf8(in->note)))
        rc = err_set(e, ERR_INVALID, "note", "note: longer than %d bytes or not valid UTF-8",
                     DOSSIER_NOTE_MAX - 1);
    if (!rc && (unsigned)in->channel >= CHANNEL__COUNT)
        rc = err_set(e, ERR_INVALID, "channel", "channel %d: unknown", (int)in->channel);
    for (int i = 0; !rc && in->docs && i < in->ndocs; i++)
        if (in->docs[i] < 1 || in->docs[i] > p->ndocs)
            rc =
                err_set(e, ERR_INVALID, "docs", "document %d: procedure %s lists documents 1 to %d",
                        in->docs[i], p->code, p->ndocs);
    return rc;
}

/* A dossier received for another unit: the deciding unit exists, and the procedure may be
 * received regardless of residence between the two (catalog.h's receive_check). */
static int check_decider(struct store *s, const struct dossier_intake *in,
                         const struct procedure *p, struct err *e)
{
    if (!in->decider || !*in->decider || !strcmp(in->decider, in->unit)) return 0;
    struct unit u;
    char rp[UNIT_CODE_MAX], dp[UNIT_CODE_MAX];
    int rc = store_unit_get(s, in->decider, &u, NULL);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "decider", "deciding unit '%s' does not exist",
                       in->decider);
    if (rc) return store_unit_get(s, in->decider, &u, e);
    int64_t day = instant_day(in->at);
    if (day < u.valid_from || day > u.valid_to) {
        char d[11];
        return err_set(e, ERR_INVALID, "decider",
                       "'%s' does not exist on %s: a dossier is decided by a unit that exists "
                       "on the day it is received",
                       in->decider, day_format(day, d));
    }
    if ((rc = store_unit_province(s, in->unit, rp, e)) ||
        (rc = store_unit_province(s, in->decider, dp, e)))
        return rc;
    return receive_check(p, in->unit, rp, in->decider, dp, e);
}

int store_dossier_create(struct store *s, const struct calendar *cal,
                         const struct dossier_intake *in, struct dossier *out, struct err *e)
{
    struct procedure *own = NULL;
    const struct procedure *p = in->proc;
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    if (!p) {
        if (!(own = malloc(sizeof *own))) return err_set(e, ERR_NOMEM, "", "out of memory");
        if ((rc = store_procedure_get_on(s, in->procedure, instant_day(in->at), own, e))) goto out;
        p = own;
    } else if (in->procedure && strcmp(in->procedure, p->code)) {
        rc = err_set(e, ERR_INVALID, "procedure", "procedure %s given with the record of %s",
                     in->procedure, p->code);
        goto out;
    }
    if ((rc = check_intake(in, p, e)) || (rc = check_decider(s, in, p, e))) goto out;
    struct create_ctx x = {cal, in, p, out};
    /* the receiving unit's province, which the dossier takes for good */
    rc = store_tx_unit(s, in->unit, create_tx, &x, e);
out:
    free(own);
    return rc;
}

/* ---- ratings ---- */

struct rate_ctx {
    const char *code, *comment;
    int score;
    int64_t at;
};

static int rate_tx(struct store *s, void *ctx, struct err *e)
{
    struct rate_ctx *x = ctx;
    const struct store_backend *be = store_backend(s);
    struct dossier d;
    int rc = be->dossier_get(s, x->code, &d, e), score = 0;
    int64_t at = 0;
    if (rc) return rc;
    if (d.st.status != DS_RETURNED)
        return err_set(e, ERR_CONFLICT, "action",
                       "cannot 'rate' a dossier in state '%s': ratings come after the result "
                       "is returned",
                       dossier_status_name(d.st.status));
    if (x->at < d.st.last_at) {
        char t[20], last[20];
        return err_set(e, ERR_INVALID, "at", "time %s: before the dossier's latest action at %s",
                       instant_format(x->at, t), instant_format(d.st.last_at, last));
    }
    if ((rc = be->rating_get(s, d.id, &score, &at, NULL, 0, e))) return rc;
    if (score)
        return err_set(e, ERR_CONFLICT, "score", "dossier %s has already been rated", d.code);
    if ((rc = be->rating_add(s, d.id, x->score, x->at, x->comment, e))) return rc;
    struct dossier nxt = d;
    nxt.n_events++;
    nxt.st.last_at = x->at;
    char note[32];
    snprintf(note, sizeof note, "score %d", x->score); /* the comment stays out of the log */
    struct event_time t = {x->at, 0, 0}; /* the applicant's own time: never backdated */
    rc = write_and_log(s, &d, &nxt, "rate", dossier_status_name(d.st.status), "applicant", note, &t,
                       e);
    if (!rc) rc = store_stats_apply_event(s, &d, &nxt, e);
    return rc;
}

int store_dossier_rate(struct store *s, const char *code, int score, int64_t at,
                       const char *comment, struct err *e)
{
    int rc = audit_need_sodium(e);
    if (rc) return rc;
    if (score < 1 || score > 5)
        return err_set(e, ERR_INVALID, "score", "score %d: must be 1 to 5", score);
    if (comment && strlen(comment) >= DOSSIER_NOTE_MAX)
        return err_set(e, ERR_INVALID, "comment", "comment: longer than %d bytes",
                       DOSSIER_NOTE_MAX - 1);
    if (comment && !vntext_valid_utf8(comment))
        return err_set(e, ERR_INVALID, "comment", "comment: not valid UTF-8");
    struct rate_ctx x = {code, comment, score, at};
    return store_tx_dossier(s, code, rate_tx, &x, e);
}

int store_dossier_rating(struct store *s, const char *code, int *score, int64_t *rated_at,
                         char *comment, size_t n, struct err *e)
{
    const struct store_backend *be = store_backend(s);
    struct dossier d;
    *score = 0;
    *rated_at = 0;
    if (comment && n) comment[0] = '\0';
    int rc = be->dossier_get(s, code, &d, e);
    return rc ? rc : be->rating_get(s, d.id, score, rated_at, comment, n, e);
}
