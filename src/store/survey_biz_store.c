/* survey_biz_store.c — DDCI's businesses in a survey round (migration 028): a unit's sample
 * drawn from its business-registration dossiers (one invitation per business), or an imported
 * list of businesses sampled the same way, strata by sector. The rules (which fields, tax
 * codes, one respondent per business, the draw) are src/core/survey_business.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_survey.h"
#include "survey_business.h"
#include "survey_int.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static const char SQL_BIZ_POP[] =
    "SELECT d.code, p.field, d.channel, d.outcome, d.applicant_idno, d.applicant_fold "
    "FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.unit_code = ?1 AND "
    "d.status = 'returned' AND d.returned_at >= ?2 AND d.returned_at < ?3 AND (p.field = ?4 OR "
    "p.field = ?5) ORDER BY d.code";
static const char SQL_STRATUM_INSERT[] =
    "INSERT INTO survey_strata (round, unit_code, stratum, population, sample, province) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_BIZ_INV[] =
    "INSERT INTO survey_invitations (round, unit_code, stratum, token_hash, dossier_code, "
    "business, business_name, contact, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_HAS_SAMPLE[] =
    "SELECT 1 FROM survey_strata WHERE round = ?1 AND unit_code = ?2";
static const char SQL_UNIT[] = "SELECT 1 FROM units WHERE code = ?1";

/* One member of a population: the stratum, the business and what the invitation records. */
struct member {
    char *key, *biz, *dossier, *name, *contact;
};
struct members {
    struct member *m;
    size_t n, cap;
};

static void members_free(struct members *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->m[i].key);
        free(p->m[i].biz);
        free(p->m[i].dossier);
        free(p->m[i].name);
        free(p->m[i].contact);
    }
    free(p->m);
    memset(p, 0, sizeof *p);
}

static int members_add(struct members *p, const char *key, const char *biz, const char *dossier,
                       const char *name, const char *contact, struct err *e)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        void *m = realloc(p->m, sizeof *p->m * cap);
        if (!m) return err_set(e, ERR_NOMEM, "sample", "out of memory");
        p->m = m;
        p->cap = cap;
    }
    struct member *m = &p->m[p->n++];
    m->key = strdup(key);
    m->biz = strdup(biz);
    m->dossier = dossier ? strdup(dossier) : NULL;
    m->name = name ? strdup(name) : NULL;
    m->contact = contact && *contact ? strdup(contact) : NULL;
    if (!m->key || !m->biz) return err_set(e, ERR_NOMEM, "sample", "out of memory");
    return 0;
}

/* Draws and writes the sample of unit from population p (one member per business already,
 * or not: survey_business_draw keeps each business's first member). */
static int draw_write(struct store *s, const char *round, const char *province, const char *unit,
                      struct members *p, int margin_pm, uint64_t seed, survey_token_fn fn,
                      void *ctx, int *invited, struct err *e)
{
    size_t *picked = NULL, npicked = 0, nstrata = 0;
    struct survey_stratum *strata = NULL;
    const char **keys = malloc(sizeof *keys * (p->n ? p->n : 1));
    const char **biz = malloc(sizeof *biz * (p->n ? p->n : 1));
    struct db_stmt *st;
    int rc = 0;
    if (!keys || !biz) {
        rc = err_set(e, ERR_NOMEM, "sample", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < p->n; i++) {
        keys[i] = p->m[i].key;
        biz[i] = p->m[i].biz;
    }
    rc = survey_business_draw(biz, keys, p->n, margin_pm / 1000.0, 1.96, seed, &picked, &npicked,
                              &strata, &nstrata, e);
    for (size_t j = 0; j < nstrata && !rc; j++) {
        if ((rc = sq_prep(s, SQL_STRATUM_INSERT, &st, e))) break;
        db_bind_text_copy(st, 1, round);
        db_bind_text_copy(st, 2, unit);
        db_bind_text_copy(st, 3, strata[j].key);
        db_bind_int64(st, 4, (int64_t)strata[j].pop);
        db_bind_int64(st, 5, (int64_t)strata[j].n);
        db_bind_text_copy(st, 6, province);
        rc = sq_step_done(s, st, "survey stratum", e);
        sq_done(s, st);
    }
    for (size_t i = 0; i < npicked && !rc; i++) {
        const struct member *m = &p->m[picked[i]];
        char token[SURVEY_TOKEN_LEN + 1], hash[65];
        survey_token_make(token, hash);
        if ((rc = sq_prep(s, SQL_BIZ_INV, &st, e))) break;
        db_bind_text_copy(st, 1, round);
        db_bind_text_copy(st, 2, unit);
        db_bind_text_copy(st, 3, m->key);
        db_bind_text_copy(st, 4, hash);
        sq_bind_text(st, 5, m->dossier);
        db_bind_text_copy(st, 6, m->biz);
        sq_bind_text(st, 7, m->name);
        sq_bind_text(st, 8, m->contact);
        db_bind_text_copy(st, 9, province);
        rc = sq_step_done(s, st, "survey invitation", e);
        sq_done(s, st);
        if (!rc && fn && fn(unit, m->key, m->dossier ? m->dossier : m->biz, token, ctx))
            rc = err_set(e, ERR_IO, "invitation", "could not hand out the token of %s", m->biz);
    }
    if (!rc && invited) *invited = (int)npicked;
out:
    free(keys);
    free(biz);
    free(picked);
    free(strata);
    return rc;
}

int survey_biz_sample_unit(struct store *s, const char *round, const char *province,
                           const char *unit, int64_t from_min, int64_t to_min, int margin_pm,
                           uint64_t seed, survey_token_fn fn, void *ctx, int *invited,
                           struct err *e)
{
    struct members p = {0};
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_BIZ_POP, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, unit);
    db_bind_int64(st, 2, from_min);
    db_bind_int64(st, 3, to_min);
    db_bind_text_copy(st, 4, survey_business_fields[0]);
    db_bind_text_copy(st, 5, survey_business_fields[1]);
    while (!rc && (step = db_step(st)) == DB_ROW) {
        char key[160], biz[300];
        const char *outcome = db_col_text(st, 3);
        snprintf(key, sizeof key, "%s|%s|%s", nz(db_col_text(st, 1)), nz(db_col_text(st, 2)),
                 outcome && *outcome ? outcome : "none");
        survey_business_key(db_col_text(st, 4), db_col_text(st, 5), biz, sizeof biz);
        rc = members_add(&p, key, biz, nz(db_col_text(st, 0)), NULL, NULL, e);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "business population", e);
    sq_done(s, st);
    if (!rc) rc = draw_write(s, round, province, unit, &p, margin_pm, seed, fn, ctx, invited, e);
    members_free(&p);
    return rc;
}

/* ---- a unit of an existing round: from dossiers, or from an imported list ---------------- */

struct biz_ctx {
    const struct survey_set *set;
    const char *round, *unit;
    const struct survey_business *b; /* NULL: from dossiers */
    size_t n;
    survey_token_fn fn;
    void *ctx;
    int *invited;
};

static int one(struct store *s, const char *sql, const char *a, const char *b, int *found,
               struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, a);
    if (b) db_bind_text_copy(st, 2, b);
    int step = db_step(st);
    *found = step == DB_ROW;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "lookup", e);
    sq_done(s, st);
    return rc;
}

static int by_biz(const void *a, const void *b)
{
    return strcmp(((const struct member *)a)->biz, ((const struct member *)b)->biz);
}

static int biz_tx(struct store *s, void *vc, struct err *e)
{
    struct biz_ctx *c = vc;
    struct survey_round r;
    int rc = store_survey_round_get(s, c->round, &r, e), found;
    if (rc) return rc;
    if (strcmp(r.set_code, c->set->code))
        return err_set(e, ERR_INVALID, "set", "round '%s' is of set '%s', not '%s'", r.code,
                       r.set_code, c->set->code);
    if (strcmp(c->set->respondent, "business"))
        return err_set(e, ERR_CONFLICT, "round",
                       "round '%s' surveys citizens (set %s): businesses belong to a business "
                       "survey (respondent: business)",
                       r.code, r.set_code);
    if ((rc = one(s, SQL_UNIT, c->unit, NULL, &found, e))) return rc;
    if (!found) return err_set(e, ERR_NOT_FOUND, "unit", "'%s': no such unit", c->unit);
    if ((rc = one(s, SQL_HAS_SAMPLE, c->round, c->unit, &found, e))) return rc;
    if (found)
        return err_set(e, ERR_CONFLICT, "unit", "'%s' has a sample in round '%s' already", c->unit,
                       c->round);
    if (!c->b) {
        struct ymd a, b;
        if ((rc = ymd_parse(r.from, &a, "from", e)) || (rc = ymd_parse(r.to, &b, "to", e)))
            return rc;
        /* the round's province, whatever the unit's root */
        rc = survey_biz_sample_unit(s, c->round, r.province, c->unit, ymd_to_days(a) * 1440,
                                    (ymd_to_days(b) + 1) * 1440, r.margin_pm, r.seed, c->fn, c->ctx,
                                    c->invited, e);
        if (!rc && !*c->invited)
            rc = err_set(e, ERR_INVALID, "unit",
                         "'%s' returned no business-registration dossier from %s to %s", c->unit,
                         r.from, r.to);
        return rc;
    }
    struct members p = {0};
    for (size_t i = 0; i < c->n && !rc; i++)
        rc = members_add(&p, c->b[i].sector, c->b[i].tax, NULL, c->b[i].name, c->b[i].contact, e);
    if (!rc) /* by tax code, so the draw does not depend on the order of the file's rows */
        qsort(p.m, p.n, sizeof *p.m, by_biz);
    if (!rc)
        rc = draw_write(s, c->round, r.province, c->unit, &p, r.margin_pm, r.seed, c->fn, c->ctx,
                        c->invited, e);
    members_free(&p);
    return rc;
}

int store_survey_business_sample(struct store *s, const struct survey_set *set, const char *round,
                                 const char *unit, survey_token_fn fn, void *ctx, int *invited,
                                 struct err *e)
{
    *invited = 0;
    struct biz_ctx c = {set, nz(round), nz(unit), NULL, 0, fn, ctx, invited};
    int rc = store_tx(s, biz_tx, &c, e);
    if (rc) *invited = 0;
    return rc;
}

int store_survey_business_import(struct store *s, const struct survey_set *set, const char *round,
                                 const char *unit, const struct survey_business *b, size_t n,
                                 survey_token_fn fn, void *ctx, int *invited, struct err *e)
{
    *invited = 0;
    if (!n) return err_set(e, ERR_INVALID, "businesses", "the list holds no business");
    for (size_t i = 0; i < n; i++) /* checked by the reader; a caller of the store may not have */
        if (survey_taxcode_check(b[i].tax, "tax_code", e) || !*b[i].sector || !*b[i].name)
            return err_set(e, ERR_INVALID, "businesses", "line %ld: '%s': not a checked row",
                           b[i].line, b[i].tax);
    struct biz_ctx c = {set, nz(round), nz(unit), b, n, fn, ctx, invited};
    int rc = store_tx(s, biz_tx, &c, e);
    if (rc) *invited = 0;
    return rc;
}
