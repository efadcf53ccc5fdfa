/* survey_store.c — survey rounds, samples, invitations and anonymous responses in the shared
 * SQL of both databases (migration 018). Sampling, answer checks and estimates are
 * src/core/survey*.c's; tokens are random (libsodium) and only their BLAKE2b hash is stored;
 * a response is written without any link to its invitation, whose dossier code is dropped in
 * the same transaction. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_survey.h"
#include "survey_int.h"
#include "survey_sample.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void token_new(char out[SURVEY_TOKEN_LEN + 1])
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char raw[SURVEY_TOKEN_LEN];
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < SURVEY_TOKEN_LEN; i++)
        out[i] = b32[raw[i] & 31];
    out[SURVEY_TOKEN_LEN] = 0;
}

void survey_token_make(char token[SURVEY_TOKEN_LEN + 1], char hash[65])
{
    token_new(token);
    token_hash(token, hash);
}

static int day_ok(const char *s, const char *field, int64_t *day, struct err *e)
{
    struct ymd d;
    int rc = ymd_parse(nz(s), &d, field, e);
    if (!rc) *day = ymd_to_days(d);
    return rc;
}

/* ---- rounds ------------------------------------------------------------------------------ */

#define ROUND_COLS                                                                                 \
    "r.code, r.set_file, r.set_code, r.year, r.period_from, r.period_to, r.margin_pm, r.seed, "    \
    "r.created_at, r.created_by, "                                                                 \
    "(SELECT count(*) FROM survey_invitations i WHERE i.round = r.code), "                         \
    "(SELECT count(*) FROM survey_invitations i WHERE i.round = r.code AND i.answered = 1), "      \
    "(SELECT count(*) FROM survey_responses p WHERE p.round = r.code), r.province"
static const char SQL_ROUND_GET[] = "SELECT " ROUND_COLS " FROM survey_rounds r WHERE r.code = ?1";
static const char SQL_ROUND_LIST[] =
    "SELECT " ROUND_COLS " FROM survey_rounds r ORDER BY r.year DESC, r.code";
static const char SQL_ROUND_CODE_TAKEN[] = "SELECT 1 FROM survey_rounds WHERE code = ?1";
static const char SQL_ROUND_INSERT[] =
    "INSERT INTO survey_rounds (code, set_file, set_code, year, period_from, period_to, "
    "margin_pm, seed, created_at, created_by, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, "
    "?10, ?11)";
static const char SQL_POP_UNITS[] =
    "SELECT DISTINCT d.unit_code FROM dossiers d WHERE d.status = 'returned' AND "
    "d.returned_at >= ?1 AND d.returned_at < ?2 ORDER BY d.unit_code";
static const char SQL_POP[] =
    "SELECT d.code, p.field, d.channel, d.outcome FROM dossiers d "
    "JOIN procedures p ON p.code = d.procedure_code WHERE d.unit_code = ?1 AND "
    "d.status = 'returned' AND d.returned_at >= ?2 AND d.returned_at < ?3 ORDER BY d.code";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM units WHERE code = ?1";
static const char SQL_STRATUM_INSERT[] =
    "INSERT INTO survey_strata (round, unit_code, stratum, population, sample, province) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_INV_INSERT[] =
    "INSERT INTO survey_invitations (round, unit_code, stratum, token_hash, dossier_code, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_FIRST_ROOT[] =
    "SELECT code FROM units WHERE parent IS NULL ORDER BY code LIMIT 1";

static void read_round(struct db_stmt *st, struct survey_round *r)
{
    memset(r, 0, sizeof *r);
    sq_col_text(st, 0, r->code, sizeof r->code);
    sq_col_text(st, 1, r->set_file, sizeof r->set_file);
    sq_col_text(st, 2, r->set_code, sizeof r->set_code);
    r->year = (int)db_col_int64(st, 3);
    sq_col_text(st, 4, r->from, sizeof r->from);
    sq_col_text(st, 5, r->to, sizeof r->to);
    r->margin_pm = (int)db_col_int64(st, 6);
    r->seed = strtoull(nz(db_col_text(st, 7)), NULL, 10);
    r->created_at = db_col_int64(st, 8);
    sq_col_text(st, 9, r->created_by, sizeof r->created_by);
    r->invited = db_col_int64(st, 10);
    r->answered = db_col_int64(st, 11);
    r->responses = db_col_int64(st, 12);
    sq_col_text(st, 13, r->province, sizeof r->province);
}

int store_survey_round_get(struct store *s, const char *code, struct survey_round *out,
                           struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_GET, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(code));
    int step = db_step(st);
    if (step == DB_ROW)
        read_round(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "round", "survey round '%s' does not exist", nz(code));
    else
        rc = sq_fail(s, step, "survey round", e);
    sq_done(s, st);
    return rc;
}

int store_survey_round_list(struct store *s, survey_round_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ROUND_LIST, &st, e), step;
    if (rc) return rc;
    struct survey_round r;
    while ((step = db_step(st)) == DB_ROW) {
        read_round(st, &r);
        if ((rc = fn(&r, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey rounds", e);
    sq_done(s, st);
    return rc;
}

struct create_ctx {
    const struct survey_round_in *in;
    survey_token_fn fn;
    void *ctx;
    int64_t from_min, to_min;
    char province[32]; /* the round's, which each of its rows carries */
};

struct pop {
    size_t n, cap;
    char **code, **key;
};

static void pop_free(struct pop *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->code[i]);
        free(p->key[i]);
    }
    free(p->code);
    free(p->key);
    memset(p, 0, sizeof *p);
}

static int pop_read(struct store *s, const char *unit, int64_t from, int64_t to, struct pop *p,
                    struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_POP, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, unit);
    db_bind_int64(st, 2, from);
    db_bind_int64(st, 3, to);
    while ((step = db_step(st)) == DB_ROW) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? 2 * p->cap : 64;
            char **c = realloc(p->code, sizeof *c * cap), **k;
            if (c) p->code = c;
            k = c ? realloc(p->key, sizeof *k * cap) : NULL;
            if (!k) {
                rc = err_set(e, ERR_NOMEM, "sample", "out of memory");
                break;
            }
            p->key = k;
            p->cap = cap;
        }
        char key[160];
        const char *outcome = db_col_text(st, 3);
        snprintf(key, sizeof key, "%s|%s|%s", nz(db_col_text(st, 1)), nz(db_col_text(st, 2)),
                 outcome && *outcome ? outcome : "none");
        p->code[p->n] = strdup(nz(db_col_text(st, 0)));
        p->key[p->n] = strdup(key);
        p->n++;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "sample population", e);
    sq_done(s, st);
    return rc;
}

static int sample_unit(struct store *s, struct create_ctx *c, const char *unit, struct err *e)
{
    const struct survey_round_in *in = c->in;
    struct pop p = {0};
    size_t *picked = NULL, npicked = 0, nstrata = 0;
    struct survey_stratum *strata = NULL;
    struct db_stmt *st = NULL;
    if (!strcmp(in->set->respondent, "business")) /* DDCI: businesses, survey_biz_store.c */
        return survey_biz_sample_unit(s, in->code, c->province, unit, c->from_min, c->to_min,
                                      in->margin_pm, in->seed, c->fn, c->ctx, NULL, e);
    int rc = pop_read(s, unit, c->from_min, c->to_min, &p, e);
    if (rc) goto out;
    rc = survey_draw((const char *const *)p.key, p.n, in->margin_pm / 1000.0, 1.96, in->seed,
                     &picked, &npicked, &strata, &nstrata, e);
    if (rc) goto out;
    for (size_t j = 0; j < nstrata && !rc; j++) {
        if ((rc = sq_prep(s, SQL_STRATUM_INSERT, &st, e))) break;
        db_bind_text_copy(st, 1, in->code);
        db_bind_text_copy(st, 2, unit);
        db_bind_text_copy(st, 3, strata[j].key);
        db_bind_int64(st, 4, (int64_t)strata[j].pop);
        db_bind_int64(st, 5, (int64_t)strata[j].n);
        db_bind_text_copy(st, 6, c->province);
        rc = sq_step_done(s, st, "survey stratum", e);
        sq_done(s, st);
    }
    for (size_t i = 0; i < npicked && !rc; i++) {
        char token[SURVEY_TOKEN_LEN + 1], hash[65];
        token_new(token);
        token_hash(token, hash);
        const char *key = p.key[picked[i]], *code = p.code[picked[i]];
        if ((rc = sq_prep(s, SQL_INV_INSERT, &st, e))) break;
        db_bind_text_copy(st, 1, in->code);
        db_bind_text_copy(st, 2, unit);
        db_bind_text_copy(st, 3, key);
        db_bind_text_copy(st, 4, hash);
        db_bind_text_copy(st, 5, code);
        db_bind_text_copy(st, 6, c->province);
        rc = sq_step_done(s, st, "survey invitation", e);
        sq_done(s, st);
        if (!rc && c->fn && c->fn(unit, key, code, token, c->ctx))
            rc = err_set(e, ERR_IO, "invitation", "could not hand out the token of %s", code);
    }
out:
    pop_free(&p);
    free(picked);
    free(strata);
    return rc;
}

static int exists(struct store *s, const char *sql, const char *v, int *found, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, v);
    int step = db_step(st);
    *found = step == DB_ROW;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "lookup", e);
    sq_done(s, st);
    return rc;
}

/* The round's province (docs/scale.md, step 1): the root of the least code (byte order) of
 * its units, the first root of the tree when it has none. A round is a province's; a stratum,
 * invitation or response of a unit under another root still carries its round's province. */
static int round_province(struct store *s, char (*units)[32], size_t n, char out[32], struct err *e)
{
    const char *least = NULL;
    for (size_t i = 0; i < n; i++)
        if (!least || strcmp(units[i], least) < 0) least = units[i];
    if (least) return sq_unit_root(s, least, out, 32, e);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_FIRST_ROOT, &st, e);
    if (rc) return rc;
    int step = db_step(st);
    out[0] = 0;
    if (step == DB_ROW)
        sq_col_text(st, 0, out, 32);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "units", e);
    sq_done(s, st);
    return rc;
}

static int create_tx(struct store *s, void *vc, struct err *e)
{
    struct create_ctx *c = vc;
    const struct survey_round_in *in = c->in;
    struct db_stmt *st;
    char(*units)[32] = NULL;
    size_t n = 0;
    int rc = 0, step;
    if (in->units) { /* the units listed, in their order */
        for (int i = 0; i < in->nunits && !rc; i++) {
            int found;
            if ((rc = exists(s, SQL_UNIT_EXISTS, in->units[i], &found, e))) break;
            if (!found) {
                rc = err_set(e, ERR_NOT_FOUND, "unit", "'%s': no such unit", in->units[i]);
                break;
            }
            void *u = realloc(units, sizeof *units * (n + 1));
            if (!u) {
                rc = err_set(e, ERR_NOMEM, "round", "out of memory");
                break;
            }
            units = u;
            snprintf(units[n++], sizeof *units, "%s", in->units[i]);
        }
    } else if (!(rc = sq_prep(s, SQL_POP_UNITS, &st, e))) {
        /* every unit with a returned dossier in the period */
        db_bind_int64(st, 1, c->from_min);
        db_bind_int64(st, 2, c->to_min);
        while ((step = db_step(st)) == DB_ROW) {
            void *u = realloc(units, sizeof *units * (n + 1));
            if (!u) {
                rc = err_set(e, ERR_NOMEM, "round", "out of memory");
                break;
            }
            units = u;
            sq_col_text(st, 0, units[n++], sizeof *units);
        }
        if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey units", e);
        sq_done(s, st);
    }
    if (!rc) rc = round_province(s, units, n, c->province, e);
    if (rc) goto out;
    /* A round's code is national: PostgreSQL's key is (code, province) for Citus (migration
     * 045), so the store checks it free in every province (writers serialise, so no other
     * round can take it before the insert). */
    if ((rc = sq_prep(s, SQL_ROUND_CODE_TAKEN, &st, e))) goto out;
    db_bind_text(st, 1, in->code);
    step = db_step(st);
    if (step == DB_ROW)
        rc = err_set(e, ERR_CONFLICT, "code", "survey round '%s' exists already", in->code);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "survey round", e);
    sq_done(s, st);
    if (rc) goto out;
    if ((rc = sq_prep(s, SQL_ROUND_INSERT, &st, e))) goto out;
    char seed[24];
    snprintf(seed, sizeof seed, "%" PRIu64, in->seed);
    db_bind_text_copy(st, 1, in->code);
    db_bind_text_copy(st, 2, in->set_file);
    db_bind_text_copy(st, 3, in->set->code);
    db_bind_int64(st, 4, atoi(in->from)); /* the year surveyed: the period's */
    db_bind_text_copy(st, 5, in->from);
    db_bind_text_copy(st, 6, in->to);
    db_bind_int64(st, 7, in->margin_pm);
    db_bind_text_copy(st, 8, seed);
    db_bind_int64(st, 9, in->at);
    db_bind_text_copy(st, 10, nz(in->actor));
    db_bind_text_copy(st, 11, c->province);
    rc = sq_step_done(s, st, "survey round", e);
    sq_done(s, st);
    for (size_t i = 0; i < n && !rc; i++)
        rc = sample_unit(s, c, units[i], e);
out:
    free(units);
    return rc;
}

int store_survey_round_create(struct store *s, const struct survey_round_in *in, survey_token_fn fn,
                              void *ctx, struct err *e)
{
    const char *c = nz(in->code);
    if (!*c || strlen(c) >= SURVEY_CODE_MAX)
        return err_set(e, ERR_INVALID, "code", "'%s': 1 to %d characters", c, SURVEY_CODE_MAX - 1);
    for (const char *p = c; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_' || *p == '.'))
            return err_set(e, ERR_INVALID, "code", "'%s': letters, digits, '.', '_' or '-'", c);
    if (!in->set) return err_set(e, ERR_INVALID, "set", "no survey set given");
    int64_t from, to;
    int rc = day_ok(in->from, "from", &from, e);
    if (!rc) rc = day_ok(in->to, "to", &to, e);
    if (rc) return rc;
    if (to < from)
        return err_set(e, ERR_INVALID, "to", "'%s' is before from '%s'", in->to, in->from);
    if (in->margin_pm < 1 || in->margin_pm > 500)
        return err_set(e, ERR_INVALID, "margin", "%d per mille: from 1 to 500", in->margin_pm);
    if (strlen(nz(in->set_file)) >= 96)
        return err_set(e, ERR_INVALID, "set", "file name longer than 95 bytes");
    struct create_ctx cc = {in, fn, ctx, from * 1440, (to + 1) * 1440, ""};
    return store_tx(s, create_tx, &cc, e);
}

static const char SQL_POP_COUNT[] =
    "SELECT unit_code, count(*) FROM dossiers WHERE status = 'returned' AND returned_at >= ?1 AND "
    "returned_at < ?2 GROUP BY unit_code ORDER BY count(*) DESC, unit_code";

int store_survey_population_units(struct store *s, const char *from, const char *to,
                                  survey_unit_count_fn fn, void *ctx, struct err *e)
{
    int64_t a, b;
    int rc = day_ok(from, "from", &a, e);
    if (!rc) rc = day_ok(to, "to", &b, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_POP_COUNT, &st, e))) return rc;
    db_bind_int64(st, 1, a * 1440);
    db_bind_int64(st, 2, (b + 1) * 1440);
    int step;
    while ((step = db_step(st)) == DB_ROW)
        if ((rc = fn(nz(db_col_text(st, 0)), db_col_int64(st, 1), ctx))) break;
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey population", e);
    sq_done(s, st);
    return rc;
}

/* ---- strata and invitations ---------------------------------------------------------------- */

static const char SQL_STRATA[] =
    "SELECT t.unit_code, t.stratum, t.population, t.sample, (SELECT count(*) FROM "
    "survey_responses r WHERE r.round = t.round AND r.unit_code = t.unit_code AND r.stratum = "
    "t.stratum) FROM survey_strata t WHERE t.round = ?1 AND (CAST(?2 AS TEXT) IS NULL OR "
    "t.unit_code = ?2) ORDER BY t.unit_code, t.stratum";

int store_survey_strata(struct store *s, const char *round, const char *unit, survey_stratum_fn fn,
                        void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_STRATA, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    sq_bind_text(st, 2, unit);
    struct survey_stratum_row r;
    while ((step = db_step(st)) == DB_ROW) {
        memset(&r, 0, sizeof r);
        sq_col_text(st, 0, r.unit, sizeof r.unit);
        sq_col_text(st, 1, r.stratum, sizeof r.stratum);
        r.population = db_col_int64(st, 2);
        r.sample = db_col_int64(st, 3);
        r.responses = db_col_int64(st, 4);
        if ((rc = fn(&r, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey strata", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_INVS[] =
    "SELECT id, unit_code, stratum, dossier_code, answered FROM survey_invitations WHERE round = "
    "?1 AND (CAST(?2 AS TEXT) IS NULL OR unit_code = ?2) ORDER BY unit_code, id";

int store_survey_invitations(struct store *s, const char *round, const char *unit,
                             survey_invitation_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_INVS, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    sq_bind_text(st, 2, unit);
    struct survey_invitation r;
    while ((step = db_step(st)) == DB_ROW) {
        memset(&r, 0, sizeof r);
        r.id = db_col_int64(st, 0);
        sq_col_text(st, 1, r.unit, sizeof r.unit);
        sq_col_text(st, 2, r.stratum, sizeof r.stratum);
        sq_col_text(st, 3, r.dossier, sizeof r.dossier);
        r.answered = (int)db_col_int64(st, 4);
        if ((rc = fn(&r, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey invitations", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_REISSUE[] =
    "UPDATE survey_invitations SET token_hash = ?3 WHERE round = ?1 AND dossier_code = ?2 AND "
    "answered = 0";

int store_survey_reissue(struct store *s, const char *round, const char *dossier,
                         char token[SURVEY_TOKEN_LEN + 1], struct err *e)
{
    char hash[65];
    token_new(token);
    token_hash(token, hash);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_REISSUE, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    db_bind_text_copy(st, 2, nz(dossier));
    db_bind_text_copy(st, 3, hash);
    rc = sq_step_done(s, st, "survey invitation", e);
    sq_done(s, st);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "dossier",
                     "'%s' has no unanswered invitation in survey round '%s'", nz(dossier),
                     nz(round));
    if (rc) token[0] = 0;
    return rc;
}

/* ---- responses -------------------------------------------------------------------------- */

static const char SQL_TOKEN[] =
    "SELECT id, round, unit_code, stratum, answered FROM survey_invitations WHERE token_hash = ?1";
static const char SQL_RESP_INSERT[] =
    "INSERT INTO survey_responses (round, unit_code, stratum, mode, day, province) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_ANSWER_INSERT[] =
    "INSERT INTO survey_answers (response_id, question, value, province) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INV_USED[] =
    "UPDATE survey_invitations SET answered = 1, dossier_code = NULL, business = NULL, "
    "business_name = NULL, contact = NULL WHERE id = ?1 AND "
    "answered = 0";

struct inv_row {
    int64_t id;
    char round[SURVEY_CODE_MAX], unit[32], stratum[160];
    int answered;
};

static int token_find(struct store *s, const char *token, struct inv_row *r, struct err *e)
{
    char hash[65];
    token_hash(nz(token), hash);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TOKEN, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, hash);
    int step = db_step(st);
    if (step == DB_ROW) {
        r->id = db_col_int64(st, 0);
        sq_col_text(st, 1, r->round, sizeof r->round);
        sq_col_text(st, 2, r->unit, sizeof r->unit);
        sq_col_text(st, 3, r->stratum, sizeof r->stratum);
        r->answered = (int)db_col_int64(st, 4);
    } else if (step == DB_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "token", "this survey link is not valid");
    } else {
        rc = sq_fail(s, step, "survey token", e);
    }
    sq_done(s, st);
    return rc;
}

int store_survey_token(struct store *s, const char *token, struct survey_round *round,
                       char unit[32], int *answered, struct err *e)
{
    struct inv_row r;
    int rc = token_find(s, token, &r, e);
    if (rc) return rc;
    snprintf(unit, 32, "%s", r.unit);
    *answered = r.answered;
    return store_survey_round_get(s, r.round, round, e);
}

/* Every value an option of its question's scale, every question at most once, one scored. */
static int answers_check(const struct survey_set *set, const struct survey_answer_in *a, int n,
                         struct err *e)
{
    if (n < 1) return err_set(e, ERR_INVALID, "answers", "no question was answered");
    for (int i = 0; i < n; i++) {
        int q = survey_find(set, nz(a[i].question)), score;
        if (q < 0 || set->nodes[q].level != SURVEY_QUESTION)
            return err_set(e, ERR_INVALID, "question", "'%s': not a question of set %s",
                           nz(a[i].question), set->code);
        for (int k = 0; k < i; k++)
            if (!strcmp(a[k].question, a[i].question))
                return err_set(e, ERR_INVALID, a[i].question, "answered twice");
        int rc = survey_answer_score(set, q, nz(a[i].value), &score, e);
        if (rc) return rc;
    }
    return 0;
}

/* A response carries its round's province (a unit under another root included), its answers
 * the response's. */
static int response_write(struct store *s, const struct survey_round *round, const char *unit,
                          const char *stratum, const char *mode, const char *day,
                          const struct survey_answer_in *a, int n, struct err *e)
{
    struct db_stmt *st;
    int64_t id;
    int rc = sq_prep(s, SQL_RESP_INSERT, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, round->code);
    db_bind_text_copy(st, 2, unit);
    db_bind_text_copy(st, 3, stratum);
    db_bind_text_copy(st, 4, mode);
    db_bind_text_copy(st, 5, day);
    db_bind_text_copy(st, 6, round->province);
    rc = sq_insert_id(s, st, "survey response", &id, e);
    sq_done(s, st);
    for (int i = 0; i < n && !rc; i++) {
        if ((rc = sq_prep(s, SQL_ANSWER_INSERT, &st, e))) break;
        db_bind_int64(st, 1, id);
        db_bind_text_copy(st, 2, a[i].question);
        db_bind_text_copy(st, 3, a[i].value);
        db_bind_text_copy(st, 4, round->province);
        rc = sq_step_done(s, st, "survey answer", e);
        sq_done(s, st);
    }
    return rc;
}

struct respond_ctx {
    const struct survey_set *set;
    const char *token, *day;
    const struct survey_answer_in *a;
    int n;
};

static int respond_tx(struct store *s, void *vc, struct err *e)
{
    struct respond_ctx *c = vc;
    struct inv_row r;
    int rc = token_find(s, c->token, &r, e);
    if (rc) return rc;
    if (r.answered) return err_set(e, ERR_CONFLICT, "token", "this survey link was used already");
    struct survey_round round;
    if ((rc = store_survey_round_get(s, r.round, &round, e))) return rc;
    if (strcmp(round.set_code, c->set->code))
        return err_set(e, ERR_INVALID, "set", "round %s uses set %s, not %s", round.code,
                       round.set_code, c->set->code);
    if ((rc = answers_check(c->set, c->a, c->n, e))) return rc;
    if ((rc = response_write(s, &round, r.unit, r.stratum, "web", c->day, c->a, c->n, e)))
        return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_INV_USED, &st, e))) return rc;
    db_bind_int64(st, 1, r.id);
    rc = sq_step_done(s, st, "survey invitation", e);
    sq_done(s, st);
    if (!rc && db_changes(s->db) != 1)
        rc = err_set(e, ERR_CONFLICT, "token", "this survey link was used already");
    return rc;
}

int store_survey_respond(struct store *s, const struct survey_set *set, const char *token,
                         const struct survey_answer_in *a, int n, const char *day, struct err *e)
{
    int64_t d;
    int rc = day_ok(day, "day", &d, e);
    if (rc) return rc;
    struct respond_ctx c = {set, token, day, a, n};
    return store_tx(s, respond_tx, &c, e);
}

/* ---- paper forms -------------------------------------------------------------------------- */

static const char SQL_PAPER_INSERT[] =
    "INSERT INTO survey_paper (round, form_no, pass, unit_code, stratum, answers, entered_by, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_PAPER_GET[] =
    "SELECT pass, unit_code, stratum, answers, entered_by FROM survey_paper WHERE round = ?1 AND "
    "form_no = ?2 ORDER BY pass";
static const char SQL_PAPER_ALL[] =
    "SELECT a.form_no, a.unit_code, a.stratum, a.answers, b.unit_code, b.stratum, b.answers FROM "
    "survey_paper a JOIN survey_paper b ON b.round = a.round AND b.form_no = a.form_no AND "
    "b.pass = 2 WHERE a.round = ?1 AND a.pass = 1 AND NOT EXISTS (SELECT 1 FROM "
    "survey_paper_resolved x WHERE x.round = a.round AND x.form_no = a.form_no) ORDER BY a.form_no";

/* 'Q=V;…' in the set's question order, so equal answers give equal text. */
static int answers_text(const struct survey_set *set, const struct survey_answer_in *a, int n,
                        char **out, struct err *e)
{
    size_t cap = 64, len = 0;
    char *b = malloc(cap);
    if (!b) return err_set(e, ERR_NOMEM, "answers", "out of memory");
    b[0] = 0;
    for (int k = 0; k < set->nquestions; k++) {
        const char *code = set->nodes[set->questions[k]].code;
        for (int i = 0; i < n; i++) {
            if (strcmp(a[i].question, code)) continue;
            size_t need = strlen(code) + strlen(a[i].value) + 3;
            if (len + need >= cap) {
                cap = 2 * (len + need);
                char *nb = realloc(b, cap);
                if (!nb) {
                    free(b);
                    return err_set(e, ERR_NOMEM, "answers", "out of memory");
                }
                b = nb;
            }
            len +=
                (size_t)snprintf(b + len, cap - len, "%s%s=%s", len ? ";" : "", code, a[i].value);
        }
    }
    *out = b;
    return 0;
}

/* Splits 'Q=V;…' into answers (pointers into buf, which is modified). */
static int answers_split(char *buf, struct survey_answer_in *a, int max)
{
    int n = 0;
    for (char *p = buf, *next; p && *p && n < max; p = next) {
        next = strchr(p, ';');
        if (next) *next++ = 0;
        char *eq = strchr(p, '=');
        if (!eq) continue;
        *eq = 0;
        a[n].question = p;
        a[n].value = eq + 1;
        n++;
    }
    return n;
}

struct paper_ctx {
    const struct survey_set *set;
    const char *round, *form_no, *unit, *stratum, *actor, *day;
    int pass;
    const struct survey_answer_in *a;
    int n, *status;
};

static int paper_tx(struct store *s, void *vc, struct err *e)
{
    struct paper_ctx *c = vc;
    struct survey_round round;
    int rc = store_survey_round_get(s, c->round, &round, e), found;
    if (rc) return rc;
    if ((rc = exists(s, SQL_UNIT_EXISTS, c->unit, &found, e))) return rc;
    if (!found) return err_set(e, ERR_NOT_FOUND, "unit", "'%s': no such unit", c->unit);
    if ((rc = answers_check(c->set, c->a, c->n, e))) return rc;
    char *text;
    if ((rc = answers_text(c->set, c->a, c->n, &text, e))) return rc;
    struct db_stmt *st;
    /* double entry is two people reading the same paper: the other pass's typist may not
     * type this one */
    if ((rc = sq_prep(s, SQL_PAPER_GET, &st, e))) goto out;
    db_bind_text_copy(st, 1, c->round);
    db_bind_text_copy(st, 2, c->form_no);
    int step0, same = 0, dup = 0;
    while ((step0 = db_step(st)) == DB_ROW) {
        if (db_col_int64(st, 0) == c->pass)
            dup = 1;
        else if (!strcmp(nz(db_col_text(st, 4)), nz(c->actor)))
            same = 1;
    }
    if (step0 != DB_DONE) rc = sq_fail(s, step0, "paper form", e);
    sq_done(s, st);
    if (!rc && dup)
        rc = err_set(e, ERR_CONFLICT, "pass", "form %s: pass %d was entered already", c->form_no,
                     c->pass);
    if (!rc && same)
        rc = err_set(e, ERR_CONFLICT, "pass",
                     "form %s: the other entry was typed by %s; a second officer types this one",
                     c->form_no, nz(c->actor));
    if (rc) goto out;
    if ((rc = sq_prep(s, SQL_PAPER_INSERT, &st, e))) goto out;
    db_bind_text_copy(st, 1, c->round);
    db_bind_text_copy(st, 2, c->form_no);
    db_bind_int64(st, 3, c->pass);
    db_bind_text_copy(st, 4, c->unit);
    db_bind_text_copy(st, 5, c->stratum);
    db_bind_text_copy(st, 6, text);
    db_bind_text_copy(st, 7, nz(c->actor));
    db_bind_text_copy(st, 8, round.province); /* the round's, whatever the form's unit */
    rc = sq_step_done(s, st, "paper form", e);
    sq_done(s, st);
    if (rc == ERR_CONFLICT)
        rc = err_set(e, ERR_CONFLICT, "pass", "form %s: pass %d was entered already", c->form_no,
                     c->pass);
    if (rc) goto out;
    /* both passes in? */
    if ((rc = sq_prep(s, SQL_PAPER_GET, &st, e))) goto out;
    db_bind_text_copy(st, 1, c->round);
    db_bind_text_copy(st, 2, c->form_no);
    char rows[2][3][1024];
    int nrows = 0, step;
    while ((step = db_step(st)) == DB_ROW && nrows < 2) {
        sq_col_text(st, 1, rows[nrows][0], sizeof rows[nrows][0]);
        sq_col_text(st, 2, rows[nrows][1], sizeof rows[nrows][1]);
        sq_col_text(st, 3, rows[nrows][2], sizeof rows[nrows][2]);
        nrows++;
    }
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "paper form", e);
    sq_done(s, st);
    if (rc) goto out;
    *c->status = 0;
    if (nrows == 2) {
        if (strcmp(rows[0][0], rows[1][0]) || strcmp(rows[0][1], rows[1][1]) ||
            strcmp(rows[0][2], rows[1][2])) {
            *c->status = 2;
        } else {
            struct survey_answer_in a[256];
            int n = answers_split(rows[0][2], a, 256);
            rc = response_write(s, &round, rows[0][0], rows[0][1], "paper", c->day, a, n, e);
            if (!rc) *c->status = 1;
        }
    }
out:
    free(text);
    return rc;
}

int store_survey_paper_enter(struct store *s, const struct survey_set *set, const char *round,
                             const char *form_no, int pass, const char *unit, const char *stratum,
                             const struct survey_answer_in *a, int n, const char *actor,
                             const char *day, int *status, struct err *e)
{
    const char *f = nz(form_no);
    if (!*f || strlen(f) >= 32)
        return err_set(e, ERR_INVALID, "form", "'%s': a form number of 1 to 31 characters", f);
    if (pass != 1 && pass != 2)
        return err_set(e, ERR_INVALID, "pass", "%d: 1 (first entry) or 2 (second entry)", pass);
    if (!stratum || !*stratum || strlen(stratum) >= 160)
        return err_set(e, ERR_INVALID, "stratum", "'%s': the stratum printed on the form",
                       nz(stratum));
    int64_t d;
    int rc = day_ok(day, "day", &d, e);
    if (rc) return rc;
    struct paper_ctx c = {set, round, f, nz(unit), stratum, actor, day, pass, a, n, status};
    return store_tx(s, paper_tx, &c, e);
}

int store_survey_paper_mismatches(struct store *s, const struct survey_set *set, const char *round,
                                  survey_mismatch_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PAPER_ALL, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    while (!rc && (step = db_step(st)) == DB_ROW) {
        struct survey_mismatch m;
        memset(&m, 0, sizeof m);
        sq_col_text(st, 0, m.form_no, sizeof m.form_no);
        char u1[32], u2[32], s1[160], s2[160], a1[1024], a2[1024];
        sq_col_text(st, 1, u1, sizeof u1);
        sq_col_text(st, 2, s1, sizeof s1);
        sq_col_text(st, 3, a1, sizeof a1);
        sq_col_text(st, 4, u2, sizeof u2);
        sq_col_text(st, 5, s2, sizeof s2);
        sq_col_text(st, 6, a2, sizeof a2);
        if (strcmp(u1, u2)) {
            snprintf(m.what, sizeof m.what, "unit");
            snprintf(m.first, sizeof m.first, "%s", u1);
            snprintf(m.second, sizeof m.second, "%s", u2);
            if ((rc = fn(&m, ctx))) break;
        }
        if (strcmp(s1, s2)) {
            snprintf(m.what, sizeof m.what, "stratum");
            snprintf(m.first, sizeof m.first, "%s", s1);
            snprintf(m.second, sizeof m.second, "%s", s2);
            if ((rc = fn(&m, ctx))) break;
        }
        struct survey_answer_in x[256], y[256];
        int nx = answers_split(a1, x, 256), ny = answers_split(a2, y, 256);
        for (int k = 0; k < set->nquestions && !rc; k++) {
            const char *q = set->nodes[set->questions[k]].code, *vx = "", *vy = "";
            for (int i = 0; i < nx; i++)
                if (!strcmp(x[i].question, q)) vx = x[i].value;
            for (int i = 0; i < ny; i++)
                if (!strcmp(y[i].question, q)) vy = y[i].value;
            if (strcmp(vx, vy)) {
                snprintf(m.what, sizeof m.what, "%s", q);
                snprintf(m.first, sizeof m.first, "%s", *vx ? vx : "-");
                snprintf(m.second, sizeof m.second, "%s", *vy ? vy : "-");
                rc = fn(&m, ctx);
            }
        }
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "paper forms", e);
    sq_done(s, st);
    return rc;
}

/* ---- resolving paper forms whose two entries differ ----------------------------------------- */

static const char SQL_RESOLVED_INSERT[] =
    "INSERT INTO survey_paper_resolved (round, form_no, unit_code, stratum, answers, resolved_by, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_RESOLVED_GET[] =
    "SELECT resolved_by FROM survey_paper_resolved WHERE round = ?1 AND form_no = ?2";

struct resolve_ctx {
    const struct survey_set *set;
    const char *round, *form_no, *actor, *day;
    const struct survey_answer_in *v;
    int n;
};

/* The value a resolution gives field, or NULL when it gives none. */
static const char *decided(const struct resolve_ctx *c, const char *field)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(nz(c->v[i].question), field)) return nz(c->v[i].value);
    return NULL;
}

static int resolve_tx(struct store *s, void *vc, struct err *e)
{
    struct resolve_ctx *c = vc;
    struct survey_round round;
    int rc = store_survey_round_get(s, c->round, &round, e), found;
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_RESOLVED_GET, &st, e))) return rc;
    db_bind_text_copy(st, 1, c->round);
    db_bind_text_copy(st, 2, c->form_no);
    int step = db_step(st);
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "paper form", e);
    sq_done(s, st);
    if (rc) return rc;
    if (step == DB_ROW)
        return err_set(e, ERR_CONFLICT, "form", "form %s was resolved already", c->form_no);
    if ((rc = sq_prep(s, SQL_PAPER_GET, &st, e))) return rc;
    db_bind_text_copy(st, 1, c->round);
    db_bind_text_copy(st, 2, c->form_no);
    char rows[2][3][1024];
    int nrows = 0;
    while ((step = db_step(st)) == DB_ROW && nrows < 2) {
        sq_col_text(st, 1, rows[nrows][0], sizeof rows[nrows][0]);
        sq_col_text(st, 2, rows[nrows][1], sizeof rows[nrows][1]);
        sq_col_text(st, 3, rows[nrows][2], sizeof rows[nrows][2]);
        nrows++;
    }
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "paper form", e);
    sq_done(s, st);
    if (rc) return rc;
    if (!nrows)
        return err_set(e, ERR_NOT_FOUND, "form", "form %s was not entered in round %s", c->form_no,
                       c->round);
    if (nrows < 2)
        return err_set(e, ERR_CONFLICT, "form", "form %s: waiting for its second entry",
                       c->form_no);
    /* every field the two entries differ on needs a decision, and only those */
    const char *unit = rows[0][0], *stratum = rows[0][1];
    int ndiff = 0;
    if (strcmp(rows[0][0], rows[1][0])) {
        ndiff++;
        if (!(unit = decided(c, "unit")))
            return err_set(e, ERR_INVALID, "unit",
                           "form %s: unit: the entries differ (%s, %s); "
                           "say which unit the paper names",
                           c->form_no, rows[0][0], rows[1][0]);
    }
    if (strcmp(rows[0][1], rows[1][1])) {
        ndiff++;
        if (!(stratum = decided(c, "stratum")))
            return err_set(e, ERR_INVALID, "stratum",
                           "form %s: stratum: the entries differ; say "
                           "which stratum the paper names",
                           c->form_no);
    }
    struct survey_answer_in x[256], y[256], fin[256];
    int nx = answers_split(rows[0][2], x, 256), ny = answers_split(rows[1][2], y, 256), nf = 0;
    for (int k = 0; k < c->set->nquestions; k++) {
        const char *q = c->set->nodes[c->set->questions[k]].code, *vx = "", *vy = "";
        for (int i = 0; i < nx; i++)
            if (!strcmp(x[i].question, q)) vx = x[i].value;
        for (int i = 0; i < ny; i++)
            if (!strcmp(y[i].question, q)) vy = y[i].value;
        const char *v = vx;
        if (strcmp(vx, vy)) {
            ndiff++;
            if (!(v = decided(c, q)))
                return err_set(e, ERR_INVALID, q,
                               "form %s: %s: the entries differ (%s, %s); say "
                               "what the paper shows ('-' for no answer)",
                               c->form_no, q, *vx ? vx : "-", *vy ? vy : "-");
            if (!strcmp(v, "-")) v = "";
        }
        if (*v) {
            fin[nf].question = q;
            fin[nf].value = v;
            nf++;
        }
    }
    if (!ndiff)
        return err_set(e, ERR_CONFLICT, "form", "form %s: the two entries agree; it was counted",
                       c->form_no);
    for (int i = 0; i < c->n; i++) {
        const char *f = nz(c->v[i].question);
        int differs = (!strcmp(f, "unit") && strcmp(rows[0][0], rows[1][0])) ||
                      (!strcmp(f, "stratum") && strcmp(rows[0][1], rows[1][1]));
        if (!differs && survey_find(c->set, f) >= 0) {
            const char *vx = "", *vy = "";
            for (int j = 0; j < nx; j++)
                if (!strcmp(x[j].question, f)) vx = x[j].value;
            for (int j = 0; j < ny; j++)
                if (!strcmp(y[j].question, f)) vy = y[j].value;
            differs = strcmp(vx, vy) != 0;
        }
        if (!differs)
            return err_set(e, ERR_INVALID, f,
                           "form %s: '%s' is not a field the two entries "
                           "differ on",
                           c->form_no, f);
    }
    if (!*unit || strlen(unit) >= 32)
        return err_set(e, ERR_INVALID, "unit", "'%s': a unit code", unit);
    if (!*stratum || strlen(stratum) >= 160)
        return err_set(e, ERR_INVALID, "stratum", "'%s': the stratum printed on the form", stratum);
    if ((rc = exists(s, SQL_UNIT_EXISTS, unit, &found, e))) return rc;
    if (!found) return err_set(e, ERR_NOT_FOUND, "unit", "'%s': no such unit", unit);
    if ((rc = answers_check(c->set, fin, nf, e))) return rc;
    char *text;
    if ((rc = answers_text(c->set, fin, nf, &text, e))) return rc;
    if (!(rc = sq_prep(s, SQL_RESOLVED_INSERT, &st, e))) {
        db_bind_text_copy(st, 1, c->round);
        db_bind_text_copy(st, 2, c->form_no);
        db_bind_text_copy(st, 3, unit);
        db_bind_text_copy(st, 4, stratum);
        db_bind_text_copy(st, 5, text);
        db_bind_text_copy(st, 6, nz(c->actor));
        db_bind_text_copy(st, 7, round.province);
        rc = sq_step_done(s, st, "paper resolution", e);
        sq_done(s, st);
    }
    free(text);
    if (!rc) rc = response_write(s, &round, unit, stratum, "paper", c->day, fin, nf, e);
    return rc;
}

int store_survey_paper_resolve(struct store *s, const struct survey_set *set, const char *round,
                               const char *form_no, const struct survey_answer_in *v, int n,
                               const char *actor, const char *day, struct err *e)
{
    int64_t d;
    int rc = day_ok(day, "day", &d, e);
    if (rc) return rc;
    struct resolve_ctx c = {set, round, nz(form_no), actor, day, v, n};
    return store_tx(s, resolve_tx, &c, e);
}

static const char SQL_PAPER_FORMS[] =
    "SELECT p.form_no, p.pass, p.unit_code, p.stratum, p.entered_by, (SELECT x.resolved_by FROM "
    "survey_paper_resolved x WHERE x.round = p.round AND x.form_no = p.form_no), (SELECT "
    "x.unit_code FROM survey_paper_resolved x WHERE x.round = p.round AND x.form_no = "
    "p.form_no), p.answers FROM survey_paper p WHERE p.round = ?1 ORDER BY p.form_no, p.pass";

int store_survey_paper_forms(struct store *s, const char *round, survey_paper_form_fn fn, void *ctx,
                             struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PAPER_FORMS, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    struct survey_paper_form f;
    int have = 0;
    char first[1024], funit[32];
    while ((step = db_step(st)) == DB_ROW) {
        char no[32], unit[32], stratum[160], by[64], answers[1024];
        sq_col_text(st, 0, no, sizeof no);
        int pass = (int)db_col_int64(st, 1);
        sq_col_text(st, 2, unit, sizeof unit);
        sq_col_text(st, 3, stratum, sizeof stratum);
        sq_col_text(st, 4, by, sizeof by);
        sq_col_text(st, 7, answers, sizeof answers);
        if (have && strcmp(f.form_no, no)) {
            if ((rc = fn(&f, ctx))) break;
            have = 0;
        }
        if (!have) {
            memset(&f, 0, sizeof f);
            snprintf(f.form_no, sizeof f.form_no, "%s", no);
            sq_col_text(st, 5, f.resolved_by, sizeof f.resolved_by);
            char ru[32];
            sq_col_text(st, 6, ru, sizeof ru);
            snprintf(f.unit, sizeof f.unit, "%s", *ru ? ru : unit);
            snprintf(first, sizeof first, "%s", answers);
            snprintf(funit, sizeof funit, "%s", unit);
            snprintf(f.stratum, sizeof f.stratum, "%s", stratum);
            have = 1;
        }
        snprintf(f.by[pass - 1], sizeof f.by[0], "%s", by);
        f.passes |= pass;
        if (f.passes == 3) {
            /* both in: agree (counted), resolved, or differing */
            f.state =
                f.resolved_by[0] ? SURVEY_PAPER_RESOLVED
                : (!strcmp(first, answers) && !strcmp(funit, unit) && !strcmp(f.stratum, stratum))
                    ? SURVEY_PAPER_MATCHED
                    : SURVEY_PAPER_DIFFER;
        } else {
            f.state = SURVEY_PAPER_WAITING;
        }
    }
    if (!rc && have) rc = fn(&f, ctx);
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "paper forms", e);
    sq_done(s, st);
    return rc;
}

/* ---- results ------------------------------------------------------------------------------ */

static const char SQL_ANSWERS[] =
    "SELECT r.id, r.unit_code, r.stratum, r.mode, a.question, a.value FROM survey_responses r "
    "JOIN survey_answers a ON a.response_id = r.id WHERE r.round = ?1 AND (CAST(?2 AS TEXT) IS "
    "NULL OR r.unit_code = ?2) AND (CAST(?3 AS TEXT) IS NULL OR a.question = ?3) "
    "ORDER BY r.unit_code, r.id, a.question";

int store_survey_answers(struct store *s, const char *round, const char *unit, const char *question,
                         survey_answer_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ANSWERS, &st, e), step;
    if (rc) return rc;
    db_bind_text_copy(st, 1, nz(round));
    sq_bind_text(st, 2, unit);
    sq_bind_text(st, 3, question);
    while ((step = db_step(st)) == DB_ROW) {
        if ((rc = fn(db_col_int64(st, 0), nz(db_col_text(st, 1)), nz(db_col_text(st, 2)),
                     nz(db_col_text(st, 3)), nz(db_col_text(st, 4)), nz(db_col_text(st, 5)), ctx)))
            break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "survey answers", e);
    sq_done(s, st);
    return rc;
}

struct res_strata {
    size_t n;
    struct survey_stratum_row *r;
};

static int strata_collect(const struct survey_stratum_row *r, void *ctx)
{
    struct res_strata *c = ctx;
    void *p = realloc(c->r, sizeof *c->r * (c->n + 1));
    if (!p) return ERR_NOMEM;
    c->r = p;
    c->r[c->n++] = *r;
    return 0;
}

struct res_resp {
    const struct survey_set *set;
    int64_t last;
    size_t n, cap;
    char (*unit)[32];
    char (*stratum)[160];
    int *score; /* n × nquestions */
};

static int resp_collect(int64_t id, const char *unit, const char *stratum, const char *mode,
                        const char *question, const char *value, void *ctx)
{
    (void)mode;
    struct res_resp *c = ctx;
    size_t nq = (size_t)c->set->nquestions;
    if (id != c->last) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 64;
            void *u = realloc(c->unit, sizeof *c->unit * cap);
            if (!u) return ERR_NOMEM;
            c->unit = u;
            void *st = realloc(c->stratum, sizeof *c->stratum * cap);
            if (!st) return ERR_NOMEM;
            c->stratum = st;
            void *sc = realloc(c->score, sizeof *c->score * cap * (nq ? nq : 1));
            if (!sc) return ERR_NOMEM;
            c->score = sc;
            c->cap = cap;
        }
        snprintf(c->unit[c->n], 32, "%s", unit);
        snprintf(c->stratum[c->n], 160, "%s", stratum);
        for (size_t k = 0; k < nq; k++)
            c->score[c->n * nq + k] = SURVEY_SCORE_NA;
        c->n++;
        c->last = id;
    }
    int q = survey_find(c->set, question), sc;
    if (q < 0) return 0; /* an answer to a question the set no longer has: ignored */
    if (survey_answer_score(c->set, q, value, &sc, NULL)) return 0;
    for (size_t k = 0; k < nq; k++)
        if (c->set->questions[k] == q) c->score[(c->n - 1) * nq + k] = sc;
    return 0;
}

void store_survey_results_free(struct survey_results *r)
{
    for (size_t i = 0; r->r && i < r->nunits; i++)
        survey_unit_result_free(&r->r[i]);
    free(r->r);
    free(r->unit);
    free(r->rank);
    memset(r, 0, sizeof *r);
}

int store_survey_results(struct store *s, const struct survey_set *set, const char *round,
                         struct survey_results *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct survey_round rd;
    int rc = store_survey_round_get(s, round, &rd, e);
    if (rc) return rc;
    struct res_strata str = {0};
    struct res_resp resp = {.set = set, .last = -1};
    size_t nq = (size_t)set->nquestions;
    if ((rc = store_survey_strata(s, round, NULL, strata_collect, &str, e))) goto out;
    if ((rc = store_survey_answers(s, round, NULL, NULL, resp_collect, &resp, e))) goto out;
    /* units: those of the strata, in code order */
    for (size_t i = 0; i < str.n; i++)
        if (!i || strcmp(str.r[i].unit, str.r[i - 1].unit)) out->nunits++;
    out->unit = calloc(out->nunits ? out->nunits : 1, sizeof *out->unit);
    out->r = calloc(out->nunits ? out->nunits : 1, sizeof *out->r);
    out->rank = calloc(out->nunits ? out->nunits : 1, sizeof *out->rank);
    double *idx = calloc(out->nunits ? out->nunits : 1, sizeof *idx);
    size_t *pop = malloc(sizeof *pop * (str.n ? str.n : 1));
    size_t *h = malloc(sizeof *h * (resp.n ? resp.n : 1));
    int *sc = malloc(sizeof *sc * (resp.n ? resp.n : 1) * (nq ? nq : 1));
    if (!out->unit || !out->r || !out->rank || !idx || !pop || !h || !sc) {
        rc = err_set(e, ERR_NOMEM, "results", "out of memory");
        goto out2;
    }
    for (size_t i = 0, u = 0; i < str.n; u++) {
        size_t j = i;
        while (j < str.n && !strcmp(str.r[j].unit, str.r[i].unit))
            j++;
        snprintf(out->unit[u], 32, "%s", str.r[i].unit);
        size_t k = j - i, m = 0;
        for (size_t t = 0; t < k; t++)
            pop[t] = (size_t)str.r[i + t].population;
        for (size_t r = 0; r < resp.n; r++) {
            if (strcmp(resp.unit[r], out->unit[u])) continue;
            size_t t = 0;
            while (t < k && strcmp(str.r[i + t].stratum, resp.stratum[r]))
                t++;
            h[m] = t; /* t == k: a paper form's stratum not in the sample: left out */
            memcpy(sc + m * nq, resp.score + r * nq, sizeof *sc * nq);
            m++;
        }
        if ((rc = survey_unit_compute(set, pop, k, h, sc, m, &out->r[u], e))) goto out2;
        idx[u] = out->r[u].index;
        i = j;
    }
    survey_rank(idx, out->nunits, out->rank);
out2:
    free(idx);
    free(pop);
    free(h);
    free(sc);
    if (rc) store_survey_results_free(out);
out:
    free(str.r);
    free(resp.unit);
    free(resp.stratum);
    free(resp.score);
    return rc;
}
