/* survey2_store.c — surveys, the parts that reach outside the survey tables (issue 19,
 * docs/surveys.md): a fresh token for the result slip of a sampled dossier, invitations sent
 * through the notification outbox (written in the same transaction as the new tokens, so a
 * committed token always has its message), and survey figures into a PAR round's survey
 * criteria. Shared SQL of both databases; the rules are src/core's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "par_round.h"
#include "sqlite_int.h"
#include "store_notify.h"
#include "store_survey.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- the result slip ---------------------------------------------------------------------- */

static const char SQL_SLIP_INV[] =
    "SELECT i.round FROM survey_invitations i JOIN survey_rounds r ON r.code = i.round WHERE "
    "i.dossier_code = ?1 AND i.answered = 0 ORDER BY r.created_at DESC, i.id DESC";

struct slip_ctx {
    const char *dossier;
    char *round, *token;
};

static int slip_tx(struct store *s, void *vc, struct err *e)
{
    struct slip_ctx *c = vc;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SLIP_INV, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, c->dossier);
    int step = db_step(st);
    if (step == DB_ROW)
        sq_col_text(st, 0, c->round, SURVEY_CODE_MAX);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "dossier", "'%s' has no unanswered survey invitation",
                     c->dossier);
    else
        rc = sq_fail(s, step, "survey invitation", e);
    sq_done(s, st);
    if (!rc) rc = store_survey_reissue(s, c->round, c->dossier, c->token, e);
    return rc;
}

int store_survey_slip_token(struct store *s, const char *dossier, char *round,
                            char token[SURVEY_TOKEN_LEN + 1], struct err *e)
{
    struct slip_ctx c = {nz(dossier), round, token};
    round[0] = token[0] = 0;
    int rc = store_tx(s, slip_tx, &c, e);
    if (rc) round[0] = token[0] = 0;
    return rc;
}

/* ---- invitations through the outbox -------------------------------------------------------- */

static const char SQL_TO_NOTIFY[] =
    "SELECT i.id, i.unit_code, i.dossier_code, d.applicant_phone, u.name FROM survey_invitations i "
    "JOIN dossiers d ON d.code = i.dossier_code JOIN units u ON u.code = i.unit_code WHERE "
    "i.round = ?1 AND i.answered = 0 AND i.notified_at IS NULL ORDER BY i.unit_code, i.id";
static const char SQL_NOTIFIED[] = "UPDATE survey_invitations SET notified_at = ?2 WHERE id = ?1";

struct notify_row {
    int64_t id;
    char unit[32], dossier[48], phone[64], uname[512];
};

struct notify_ctx {
    const char *round;
    int (*unit_ok)(const char *, void *);
    void *ctx;
    int64_t now;
    int *queued, *skipped;
};

static int notify_tx(struct store *s, void *vc, struct err *e)
{
    struct notify_ctx *c = vc;
    struct survey_round rd;
    int rc = store_survey_round_get(s, c->round, &rd, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_TO_NOTIFY, &st, e))) return rc;
    db_bind_text_copy(st, 1, c->round);
    struct notify_row *rows = NULL;
    size_t n = 0;
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        char unit[32];
        sq_col_text(st, 1, unit, sizeof unit);
        if (c->unit_ok && !c->unit_ok(unit, c->ctx)) continue;
        void *p = realloc(rows, sizeof *rows * (n + 1));
        if (!p) {
            rc = err_set(e, ERR_NOMEM, "invitations", "out of memory");
            break;
        }
        rows = p;
        struct notify_row *r = &rows[n++];
        r->id = db_col_int64(st, 0);
        snprintf(r->unit, sizeof r->unit, "%s", unit);
        sq_col_text(st, 2, r->dossier, sizeof r->dossier);
        sq_col_text(st, 3, r->phone, sizeof r->phone);
        sq_col_text(st, 4, r->uname, sizeof r->uname);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey invitations", e);
    sq_done(s, st);
    for (size_t i = 0; i < n && !rc; i++) {
        struct notify_row *r = &rows[i];
        char token[SURVEY_TOKEN_LEN + 1], vars[NOTIFY_VARS_MAX] = "", to[NOTIFY_CONTACT_MAX];
        if ((rc = store_survey_reissue(s, c->round, r->dossier, token, e))) break;
        rc = notify_vars_add(vars, sizeof vars, "token", token, e);
        if (!rc) rc = notify_vars_add(vars, sizeof vars, "unit_name", r->uname, e);
        if (!rc) rc = notify_vars_add(vars, sizeof vars, "round", c->round, e);
        if (rc) break;
        const char *reason = NULL;
        if (notify_contact_normalize(r->phone, to, sizeof to, NULL, "phone", NULL)) {
            to[0] = 0;
            reason = "no contact: the applicant's phone is not a mobile number";
        }
        /* no dossier code on the row: the message says nothing of which dossier was sampled;
         * it carries its round's province (migration 048), as the invitation does */
        struct outbox_msg m = {NE_SURVEY, NULL, to, reason, NULL, vars, c->now, rd.province};
        if ((rc = outbox_enqueue(s, &m, NULL, e))) break;
        (*(to[0] ? c->queued : c->skipped))++;
        if ((rc = sq_prep(s, SQL_NOTIFIED, &st, e))) break;
        db_bind_int64(st, 1, r->id);
        db_bind_int64(st, 2, c->now);
        rc = sq_step_done(s, st, "survey invitation", e);
        sq_done(s, st);
    }
    free(rows);
    return rc;
}

int store_survey_notify(struct store *s, const char *round, int (*unit_ok)(const char *, void *),
                        void *ctx, int64_t now, int *queued, int *skipped, struct err *e)
{
    *queued = *skipped = 0;
    struct notify_ctx c = {nz(round), unit_ok, ctx, now, queued, skipped};
    int rc = store_tx(s, notify_tx, &c, e);
    if (rc) *queued = *skipped = 0;
    return rc;
}

/* ---- into the PAR index ------------------------------------------------------------------- */

int store_survey_to_par(struct store *s, const struct survey_set *set, const char *round,
                        const char *par_round, const char *const *par, const char *const *node,
                        int npairs, const char *actor, int64_t at, int *n, struct err *e)
{
    *n = 0;
    if (npairs < 1)
        return err_set(e, ERR_INVALID, "mapping", "at least one PARNODE=SURVEYNODE|index pair");
    struct par_round pr;
    struct par_set *ps = NULL;
    struct survey_results res = {0};
    struct par_survey_row *rows = NULL;
    int nrows = 0, rc = store_par_round_get(s, par_round, &pr, e);
    if (rc) goto out;
    char ref[PAR_CODE_MAX + 40];
    snprintf(ref, sizeof ref, "%s@%s", pr.set_code, pr.set_version);
    if ((rc = store_par_set_load(s, ref, &ps, e))) goto out;
    if ((rc = store_survey_results(s, set, round, &res, e))) goto out;
    rows = calloc((size_t)npairs * (res.nunits ? res.nunits : 1), sizeof *rows);
    if (!rows) {
        rc = err_set(e, ERR_NOMEM, "to-par", "out of memory");
        goto out;
    }
    for (int i = 0; i < npairs && !rc; i++) {
        const char *pn = nz(par[i]), *sn = nz(node[i]);
        int pi = strlen(pn) < PAR_CODE_MAX ? par_set_find(ps, pn) : -1;
        if (pi < 0 || ps->node[pi].method != PAR_SURVEY) {
            rc = err_set(e, ERR_INVALID, pn, "'%s': not a survey criterion of PAR set %s", pn,
                         ps->code);
            break;
        }
        int si = strcmp(sn, "index") ? survey_find(set, sn) : -1;
        if (strcmp(sn, "index") && (si < 0 || set->nodes[si].level == SURVEY_QUESTION)) {
            rc = err_set(e, ERR_INVALID, pn,
                         "'%s': not a component or criterion of survey set %s (or 'index')", sn,
                         set->code);
            break;
        }
        for (size_t u = 0; u < res.nunits; u++) {
            double v = si < 0 ? res.r[u].index : res.r[u].node[si];
            if (v < 0) continue; /* no answers: no points, the criterion stays open */
            struct par_survey_row *row = &rows[nrows++];
            snprintf(row->unit, sizeof row->unit, "%s", res.unit[u]);
            snprintf(row->node, sizeof row->node, "%s", pn);
            int dec = ps->node[pi].decimals >= 0 ? ps->node[pi].decimals : ps->decimals;
            row->points = survey_par_points(v, ps->node[pi].max, dec);
            snprintf(row->where, sizeof row->where, "survey %s: %s %s", round, res.unit[u], sn);
        }
    }
    if (!rc && !nrows)
        rc = err_set(e, ERR_INVALID, "round", "no unit of survey round %s has answers", round);
    if (!rc) rc = store_par_survey_import(s, par_round, rows, nrows, actor, at, e);
    if (!rc) *n = nrows;
out:
    free(rows);
    if (ps) par_set_free(ps);
    store_survey_results_free(&res);
    return rc;
}
