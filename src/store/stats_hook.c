/* stats_hook.c — what a dossier change means for the statistics counters, for every backend:
 * the contributions of the record before go out and those of the record after come in
 * (src/core/stats.h), and a step the change finished is counted for its officer. The backend
 * only adds the resulting deltas to its counter rows (stats_cells_add, stats_step_add). */
#include <string.h>

#include "store_int.h"

/* The procedure's fee and online mode, and the rating, as statistics read them. */
static int read_proc(struct store *s, const struct dossier *d, struct stats_extra *x, struct err *e)
{
    int rc = store_backend(s)->procedure_fee_online(s, d->procedure, &x->has_fee, &x->online, e);
    return rc == ERR_NOT_FOUND ? 0 : rc;
}

static int read_rating(struct store *s, const struct dossier *d, struct stats_extra *x,
                       struct err *e)
{
    return store_backend(s)->rating_get(s, d->id, &x->score, &x->rated_at, NULL, 0, e);
}

static int read_digi(struct store *s, const struct dossier *d, struct stats_extra *x, struct err *e)
{
    return store_digi_facts(s, d, &x->components_complete, &x->e_result, e);
}

int stats_extra_of(struct store *s, const struct dossier *d, struct stats_extra *x, struct err *e)
{
    memset(x, 0, sizeof *x);
    int rc = read_proc(s, d, x, e);
    if (!rc) rc = read_rating(s, d, x, e);
    return rc ? rc : read_digi(s, d, x, e);
}

/* Adds signed cells for d, one call per distinct day. */
static int apply_cells(struct store *s, const struct dossier *d, const struct stats_delta_cell *dc,
                       int n, struct err *e)
{
    int done[2 * STATS_CONTRIB_MAX] = {0};
    for (int i = 0; i < n; i++) {
        if (done[i]) continue;
        int64_t v[SC__COUNT] = {0};
        for (int j = i; j < n; j++)
            if (!done[j] && dc[j].day == dc[i].day) {
                v[dc[j].counter] += dc[j].delta;
                done[j] = 1;
            }
        int rc = store_backend(s)->stats_cells_add(s, d->unit, d->procedure, d->channel, dc[i].day,
                                                   v, e);
        if (rc) return rc;
    }
    return 0;
}

static int step_running(enum dossier_status st)
{
    return st == DS_PROCESSING || st == DS_SUPPLEMENT_REQUESTED || st == DS_PAUSED;
}

/* When the change ended old's step with a judged outcome, counts it for its officer. */
static int step_cells(struct store *s, const struct dossier *old, const struct dossier *nw,
                      struct err *e)
{
    if (!old || old->st.step <= 0 || !step_running(old->st.status)) return 0;
    if (nw->st.step == old->st.step && step_running(nw->st.status)) return 0;
    const struct store_backend *be = store_backend(s);
    struct dossier_step_rec r;
    int rc = be->step_get(s, old->id, old->st.step, &r, e);
    if (rc == ERR_NOT_FOUND) return 0;
    if (rc || !r.finished_at || r.outcome == OUT_NONE) return rc;
    return be->stats_step_add(s, old->unit, r.officer, old->st.step, instant_day(r.finished_at),
                              r.outcome == OUT_LATE, e);
}

/* 1 if old and nw are counted under different unit, procedure or channel. */
static int dims_differ(const struct dossier *old, const struct dossier *nw)
{
    return strcmp(old->unit, nw->unit) || strcmp(old->procedure, nw->procedure) ||
           old->channel != nw->channel;
}

int store_stats_apply_event(struct store *s, const struct dossier *old, const struct dossier *nw,
                            struct err *e)
{
    const struct store_backend *be = store_backend(s);
    struct stats_extra x, xo;
    int rc = 0;
    memset(&x, 0, sizeof x);
    /* The procedure's fee and online mode only shape reception cells, which cancel unless the
     * reception itself, the payment or digitisation flag, or the dimensions change; a rating
     * exists only on a returned dossier, and only the change that records it (returned ->
     * returned) moves its cells. Everything else would cancel, so it is not read. */
    int need_proc = !old || !old->st.received_at != !nw->st.received_at ||
                    old->fee_paid_online != nw->fee_paid_online ||
                    old->digitised != nw->digitised || dims_differ(old, nw);
    int need_rating = !old || dims_differ(old, nw) ||
                      (old->st.status == DS_RETURNED && nw->st.status == DS_RETURNED);
    if (need_proc && (rc = read_proc(s, nw, &x, e))) return rc;
    if (need_rating && (rc = read_rating(s, nw, &x, e))) return rc;
    /* The digitisation facts shape reception cells (4.2, which move only as need_proc says)
     * and the finish cells (4.1, which move only with the status); otherwise both sides count
     * them alike and they cancel, so a plain step on a busy desk reads nothing more. */
    if ((need_proc || !old || old->st.status != nw->st.status) && (rc = read_digi(s, nw, &x, e)))
        return rc;
    xo = x;
    /* The rating row is written before the hook runs: when this change is the rating itself
     * (the dossier's latest event is 'rate'; a dossier is rated once), the state before had
     * none. */
    if (old && x.score) {
        char action[24];
        if ((rc = be->event_action(s, nw->id, nw->n_events, action, sizeof action, e))) return rc;
        if (!strcmp(action, "rate")) xo.score = 0;
    }
    if (!xo.score) xo.rated_at = 0;
    struct stats_dossier a, b;
    struct stats_delta_cell dc[2 * STATS_CONTRIB_MAX];
    int n;
    if (old) stats_dossier_of(old, &xo, &a);
    stats_dossier_of(nw, &x, &b);
    if (old && dims_differ(old, nw)) { /* out of the old buckets, into the new ones */
        n = stats_delta(&a, NULL, dc);
        if (n && (rc = apply_cells(s, old, dc, n, e))) return rc;
        old = NULL;
    }
    n = stats_delta(old ? &a : NULL, &b, dc);
    if (n && (rc = apply_cells(s, nw, dc, n, e))) return rc;
    if ((rc = step_cells(s, old, nw, e))) return rc;
    return store_in_tx(s) ? 0 : be->stats_flush(s, e); /* called outside a transaction */
}

int store_stats_apply_facts(struct store *s, const struct dossier *d, int complete_before,
                            int e_result_before, struct err *e)
{
    struct stats_extra x, xo;
    int rc = stats_extra_of(s, d, &x, e);
    if (rc) return rc;
    if (x.components_complete == complete_before && x.e_result == e_result_before) return 0;
    xo = x;
    xo.components_complete = complete_before;
    xo.e_result = e_result_before;
    struct stats_dossier a, b;
    struct stats_delta_cell dc[2 * STATS_CONTRIB_MAX];
    stats_dossier_of(d, &xo, &a);
    stats_dossier_of(d, &x, &b);
    int n = stats_delta(&a, &b, dc);
    if (n && (rc = apply_cells(s, d, dc, n, e))) return rc;
    return store_in_tx(s) ? 0 : store_backend(s)->stats_flush(s, e);
}

int store_stats_flush(struct store *s, struct err *e)
{
    return store_backend(s)->stats_flush(s, e);
}
