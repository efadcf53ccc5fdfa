/* receiving.c — receiving regardless of residence (Decree 118/2025/NĐ-CP): the deciding unit
 * of a dossier received by another unit's desk (dossiers.decider_unit, migration 012), the
 * province a unit lies in (for the "within the province" rule, src/core/catalog.h), and the
 * counts by receiving and deciding unit behind the labelled statistics. Portable SQL over
 * db.h, so both backends run it. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

static const char SQL_SET[] = "UPDATE dossiers SET decider_unit = ?2 WHERE id = ?1";
static const char SQL_GET[] = "SELECT decider_unit FROM dossiers WHERE code = ?1";
static const char SQL_COUNTS[] =
    "SELECT unit_code, coalesce(decider_unit, unit_code), count(*) FROM dossiers "
    "WHERE received_at >= ?1 AND received_at < ?2 "
    "GROUP BY unit_code, coalesce(decider_unit, unit_code) ORDER BY 1, 2";

static const char SQL_LIST[] =
    "SELECT code, unit_code, decider_unit, procedure_code, status, received_at, due_at "
    "FROM dossiers WHERE decider_unit IS NOT NULL AND received_at >= ?1 AND received_at < ?2 "
    "ORDER BY code";

int store_receiving_list(struct store *s, int64_t from_day, int64_t to_day, receiving_row_fn fn,
                         void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e), step;
    if (rc) return rc;
    db_bind_int64(st, 1, from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 2, (to_day + 1) * MINUTES_PER_DAY);
    while ((step = db_step(st)) == DB_ROW) {
        struct receiving_row r;
        sq_col_text(st, 0, r.code, sizeof r.code);
        sq_col_text(st, 1, r.unit, sizeof r.unit);
        sq_col_text(st, 2, r.decider, sizeof r.decider);
        sq_col_text(st, 3, r.procedure, sizeof r.procedure);
        sq_col_text(st, 4, r.status, sizeof r.status);
        r.received_at = db_col_int64(st, 5);
        r.due_at = db_col_int64(st, 6);
        if ((rc = fn(&r, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "listing dossiers received for others", e);
    sq_done(s, st);
    return rc;
}

int store_dossier_decider_set(struct store *s, int64_t id, const char *decider, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SET, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, decider);
    rc = sq_step_done(s, st, "writing the deciding unit", e);
    sq_done(s, st);
    return rc;
}

int store_dossier_decider(struct store *s, const char *code, char out[UNIT_CODE_MAX], struct err *e)
{
    if (sq_dossier_memo_decider(s, code, out)) return 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    out[0] = '\0';
    if (step == DB_ROW)
        sq_col_text(st, 0, out, UNIT_CODE_MAX);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "code", "dossier '%s': no such dossier", code);
    else
        rc = sq_fail(s, step, "reading the deciding unit", e);
    sq_done(s, st);
    return rc;
}

int store_unit_province(struct store *s, const char *code, char out[UNIT_CODE_MAX], struct err *e)
{
    struct unit u;
    char cur[UNIT_CODE_MAX];
    snprintf(cur, sizeof cur, "%s", code);
    out[0] = '\0';
    for (int depth = 0; depth < 32 && cur[0]; depth++) {
        int rc = store_unit_get(s, cur, &u, e);
        if (rc) return rc;
        if (u.kind == UNIT_PROVINCE) {
            snprintf(out, UNIT_CODE_MAX, "%s", u.code);
            return 0;
        }
        snprintf(cur, sizeof cur, "%s", u.parent);
    }
    return 0;
}

int store_receiving_counts(struct store *s, int64_t from_day, int64_t to_day, receiving_fn fn,
                           void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COUNTS, &st, e), step;
    if (rc) return rc;
    db_bind_int64(st, 1, from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 2, (to_day + 1) * MINUTES_PER_DAY);
    while ((step = db_step(st)) == DB_ROW) {
        char unit[UNIT_CODE_MAX], decider[UNIT_CODE_MAX];
        sq_col_text(st, 0, unit, sizeof unit);
        sq_col_text(st, 1, decider, sizeof decider);
        if ((rc = fn(unit, decider, db_col_int64(st, 2), ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "counting by receiving and deciding unit", e);
    sq_done(s, st);
    return rc;
}
