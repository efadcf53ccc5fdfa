/* copy.c — moving an SQLite database into PostgreSQL (`cchc migrate --to postgresql://…`):
 * every table streamed by COPY … FROM STDIN, parents before children (the foreign keys read
 * from SQLite), in one transaction on the destination, which must have the same schema version
 * and hold nothing yet; then the identity sequences moved past the copied ids, and the copy
 * checked by the counts of every table on both sides (store_copy_to's caller runs `audit
 * verify` on both). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define COPY_TABLES_MAX STORE_COPY_TABLES_MAX

struct tables {
    int n;
    char name[COPY_TABLES_MAX][64];
};

/* Tables of the source in an order where every table comes after the tables it refers to
 * (a table referring to itself, units, has deferred keys). schema_migrations is left out:
 * the destination has its own, at the same version. */
static int table_order(sqlite3 *h, struct tables *t, struct err *e)
{
    struct tables all = {0};
    int deps[COPY_TABLES_MAX][COPY_TABLES_MAX] = {{0}};
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                           "'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
                           -1, &st, NULL))
        return err_set(e, ERR_IO, "db", "reading the tables: %s", sqlite3_errmsg(h));
    int more = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (all.n < COPY_TABLES_MAX)
            snprintf(all.name[all.n++], sizeof all.name[0], "%s", sqlite3_column_text(st, 0));
        else
            more = 1;
    sqlite3_finalize(st);
    /* a table left out would be lost by the copy: refuse rather than copy part of the data */
    if (more)
        return err_set(e, ERR_IO, "db", "more than %d tables: raise COPY_TABLES_MAX in copy.c",
                       COPY_TABLES_MAX);
    for (int i = 0; i < all.n; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT \"table\" FROM pragma_foreign_key_list('%s')",
                 all.name[i]);
        if (sqlite3_prepare_v2(h, sql, -1, &st, NULL))
            return err_set(e, ERR_IO, "db", "reading keys: %s", sqlite3_errmsg(h));
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int j = 0; j < all.n; j++)
                if (j != i && !strcmp(all.name[j], (const char *)sqlite3_column_text(st, 0)))
                    deps[i][j] = 1;
        sqlite3_finalize(st);
    }
    int done[COPY_TABLES_MAX] = {0};
    t->n = 0;
    while (t->n < all.n) {
        int progress = 0;
        for (int i = 0; i < all.n; i++) {
            if (done[i]) continue;
            int ready = 1;
            for (int j = 0; j < all.n && ready; j++)
                if (deps[i][j] && !done[j]) ready = 0;
            if (!ready) continue;
            done[i] = 1, progress = 1;
            snprintf(t->name[t->n++], sizeof t->name[0], "%s", all.name[i]);
        }
        if (!progress)
            return err_set(e, ERR_INTERNAL, "db", "the tables' foreign keys form a cycle");
    }
    return 0;
}

static int64_t count_rows(struct store *s, const char *table, struct err *e, int *rc)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    struct db_stmt *st;
    int64_t n = -1;
    if (db_prepare(s->db, sql, &st)) {
        *rc = sq_fail(s, DB_ERROR, table, e);
        return -1;
    }
    if (db_step(st) == DB_ROW)
        n = db_col_int64(st, 0);
    else
        *rc = sq_fail(s, DB_ERROR, table, e);
    db_finalize(st);
    return n;
}

/* The source's rows of one table, in rowid order (WITHOUT ROWID tables: in their key's), and
 * the start of the destination's statement: "<verb> table (col, col, …" into sql. */
static int open_source(sqlite3 *h, const char *table, const char *verb, sqlite3_stmt **src,
                       char *sql, size_t n, int *len, struct err *e)
{
    snprintf(sql, n, "SELECT * FROM %s ORDER BY rowid", table);
    if (sqlite3_prepare_v2(h, sql, -1, src, NULL) != SQLITE_OK) {
        snprintf(sql, n, "SELECT * FROM %s", table);
        if (sqlite3_prepare_v2(h, sql, -1, src, NULL) != SQLITE_OK)
            return err_set(e, ERR_IO, "db", "%s: %s", table, sqlite3_errmsg(h));
    }
    int ncol = sqlite3_column_count(*src);
    int k = snprintf(sql, n, "%s %s (", verb, table);
    for (int i = 0; i < ncol && k < (int)n; i++)
        k += snprintf(sql + k, n - (size_t)k, "%s%s", i ? ", " : "", sqlite3_column_name(*src, i));
    *len = k;
    return 0;
}

/* Copies the rows of one table: SELECT * on the source, INSERT of the same columns, one
 * round trip per row (the baseline that bench/copy.sh measures copy_table_stream against). */
static int copy_table(sqlite3 *h, struct store *dst, const char *table, int64_t *rows,
                      struct err *e)
{
    char sql[4096];
    sqlite3_stmt *src;
    int k, ncol, orc = open_source(h, table, "INSERT INTO", &src, sql, sizeof sql, &k, e);
    if (orc) return orc;
    ncol = sqlite3_column_count(src);
    if (k < (int)sizeof sql) k += snprintf(sql + k, sizeof sql - (size_t)k, ") VALUES (");
    for (int i = 0; i < ncol && k < (int)sizeof sql; i++)
        k += snprintf(sql + k, sizeof sql - (size_t)k, "%s?%d", i ? ", " : "", i + 1);
    if (k < (int)sizeof sql) k += snprintf(sql + k, sizeof sql - (size_t)k, ")");
    if (k >= (int)sizeof sql) {
        sqlite3_finalize(src);
        return err_set(e, ERR_INTERNAL, "db", "%s: too many columns", table);
    }
    struct db_stmt *ins;
    if (db_prepare(dst->db, sql, &ins)) {
        sqlite3_finalize(src);
        return sq_fail(dst, DB_ERROR, table, e);
    }
    int rc = 0, step;
    *rows = 0;
    while (!rc && (step = sqlite3_step(src)) == SQLITE_ROW) {
        db_reset(ins);
        for (int i = 0; i < ncol; i++) {
            switch (sqlite3_column_type(src, i)) {
            case SQLITE_NULL:
                db_bind_null(ins, i + 1);
                break;
            case SQLITE_INTEGER:
                db_bind_int64(ins, i + 1, sqlite3_column_int64(src, i));
                break;
            case SQLITE_BLOB:
                db_bind_blob(ins, i + 1, sqlite3_column_blob(src, i),
                             (size_t)sqlite3_column_bytes(src, i));
                break;
            default:
                db_bind_text_copy(ins, i + 1, (const char *)sqlite3_column_text(src, i));
            }
        }
        if (db_step(ins) != DB_DONE)
            rc = sq_fail(dst, DB_ERROR, table, e);
        else
            ++*rows;
    }
    if (!rc && step != SQLITE_DONE)
        rc = err_set(e, ERR_IO, "db", "%s: %s", table, sqlite3_errmsg(h));
    db_finalize(ins);
    sqlite3_finalize(src);
    return rc;
}

/* COPY's text format (PostgreSQL, "COPY", File Formats: Text Format): fields separated by a
 * tab, rows ended by a newline, \N for NULL, and a backslash, tab, newline or carriage return
 * of a value written as a backslash sequence; a bytea value in its hex input form (\x…), its
 * backslash doubled like any other. */
struct copybuf {
    char *p;
    size_t n, cap;
    int oom;
};

static void cb_need(struct copybuf *b, size_t more)
{
    if (b->oom || b->n + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->n + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return;
    }
    b->p = p;
    b->cap = cap;
}

static void cb_raw(struct copybuf *b, const char *s, size_t n)
{
    cb_need(b, n);
    if (b->oom) return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void cb_text(struct copybuf *b, const unsigned char *s, size_t n)
{
    cb_need(b, 2 * n);
    if (b->oom) return;
    for (size_t i = 0; i < n; i++) {
        char c = (char)s[i], esc = c == '\\'   ? '\\'
                                   : c == '\t' ? 't'
                                   : c == '\n' ? 'n'
                                   : c == '\r' ? 'r'
                                               : 0;
        if (esc) {
            b->p[b->n++] = '\\';
            b->p[b->n++] = esc;
        } else {
            b->p[b->n++] = c;
        }
    }
}

static void cb_hex(struct copybuf *b, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    cb_need(b, 3 + 2 * n);
    if (b->oom) return;
    b->p[b->n++] = '\\';
    b->p[b->n++] = '\\';
    b->p[b->n++] = 'x';
    for (size_t i = 0; i < n; i++) {
        b->p[b->n++] = hex[s[i] >> 4];
        b->p[b->n++] = hex[s[i] & 15];
    }
}

/* 1 for each column of the source statement that is bytea in the destination's table */
static int bytea_columns(struct store *dst, const char *table, sqlite3_stmt *src,
                         unsigned char *bytea, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(dst->db,
                   "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                   "current_schema() AND table_name = ?1 AND data_type = 'bytea'",
                   &st))
        return sq_fail(dst, DB_ERROR, table, e);
    db_bind_text(st, 1, table);
    int ncol = sqlite3_column_count(src), step;
    while ((step = db_step(st)) == DB_ROW)
        for (int i = 0; i < ncol; i++)
            if (!strcmp(sqlite3_column_name(src, i), db_col_text(st, 0))) bytea[i] = 1;
    int rc = step == DB_DONE ? 0 : sq_fail(dst, DB_ERROR, table, e);
    db_finalize(st);
    return rc;
}

/* Copies the rows of one table by COPY … FROM STDIN: the same rows as copy_table, one round
 * trip per megabyte instead of one per row. */
static int copy_table_stream(sqlite3 *h, struct store *dst, const char *table, int64_t *rows,
                             struct err *e)
{
    char sql[4096];
    sqlite3_stmt *src;
    int k, ncol, orc = open_source(h, table, "COPY", &src, sql, sizeof sql, &k, e);
    if (orc) return orc;
    ncol = sqlite3_column_count(src);
    if (k < (int)sizeof sql) k += snprintf(sql + k, sizeof sql - (size_t)k, ") FROM STDIN");
    unsigned char *bytea = calloc((size_t)(ncol ? ncol : 1), 1);
    int rc = 0, step = SQLITE_DONE;
    if (k >= (int)sizeof sql)
        rc = err_set(e, ERR_INTERNAL, "db", "%s: too many columns", table);
    else if (!bytea)
        rc = err_set(e, ERR_NOMEM, "db", "%s: out of memory", table);
    else if (!(rc = bytea_columns(dst, table, src, bytea, e)) && db_pg_copy_begin(dst->db, sql))
        rc = sq_fail(dst, DB_ERROR, table, e);
    if (rc) {
        free(bytea);
        sqlite3_finalize(src);
        return rc;
    }
    struct copybuf b = {0};
    int failed = 0;
    *rows = 0;
    while (!failed && (step = sqlite3_step(src)) == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++) {
            if (i) cb_raw(&b, "\t", 1);
            int type = sqlite3_column_type(src, i);
            if (type == SQLITE_NULL) {
                cb_raw(&b, "\\N", 2);
            } else if (type == SQLITE_INTEGER) {
                char num[24];
                cb_raw(&b, num,
                       (size_t)snprintf(num, sizeof num, "%lld",
                                        (long long)sqlite3_column_int64(src, i)));
            } else if (type == SQLITE_BLOB && bytea[i]) {
                const void *p = sqlite3_column_blob(src, i);
                cb_hex(&b, p, (size_t)sqlite3_column_bytes(src, i));
            } else { /* text, a real as SQLite writes it, or a blob into a text column */
                const unsigned char *t =
                    type == SQLITE_BLOB ? sqlite3_column_blob(src, i) : sqlite3_column_text(src, i);
                cb_text(&b, t, (size_t)sqlite3_column_bytes(src, i));
            }
        }
        cb_raw(&b, "\n", 1);
        ++*rows;
        if (b.oom)
            failed = 1;
        else if (b.n >= 1 << 20) {
            failed = db_pg_copy_put(dst->db, b.p, b.n) != 0;
            b.n = 0;
        }
    }
    if (!failed && !b.oom && b.n) failed = db_pg_copy_put(dst->db, b.p, b.n) != 0;
    /* end the COPY in every case: the connection is in COPY mode until then */
    int end = db_pg_copy_end(dst->db);
    if (b.oom)
        rc = err_set(e, ERR_NOMEM, "db", "%s: out of memory", table);
    else if (step != SQLITE_DONE && step != SQLITE_ROW)
        rc = err_set(e, ERR_IO, "db", "%s: %s", table, sqlite3_errmsg(h));
    else if (failed || end)
        rc = sq_fail(dst, DB_ERROR, table, e);
    free(b.p);
    free(bytea);
    sqlite3_finalize(src);
    return rc;
}

/* Moves every identity sequence of the destination past the largest id copied. */
static int move_sequences(struct store *dst, struct err *e)
{
    struct db_stmt *st;
    if (db_prepare(dst->db,
                   "SELECT table_name, column_name FROM information_schema.columns WHERE "
                   "table_schema = current_schema() AND is_identity = 'YES'",
                   &st))
        return sq_fail(dst, DB_ERROR, "identity columns", e);
    char list[COPY_TABLES_MAX][2][64];
    int n = 0, rc = 0;
    while (n < COPY_TABLES_MAX && db_step(st) == DB_ROW) {
        snprintf(list[n][0], sizeof list[n][0], "%s", db_col_text(st, 0));
        snprintf(list[n][1], sizeof list[n][1], "%s", db_col_text(st, 1));
        n++;
    }
    db_finalize(st);
    for (int i = 0; !rc && i < n; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%.63s', '%.63s'), coalesce(max(%.63s), 0) "
                 "+ 1, false) FROM %.63s",
                 list[i][0], list[i][1], list[i][1], list[i][0]);
        if (db_exec(dst->db, sql)) rc = sq_fail(dst, DB_ERROR, "moving a sequence", e);
    }
    return rc;
}

struct copy_ctx {
    sqlite3 *h;
    struct store *src;
    const struct tables *t;
    struct store_copy_report *r;
    int insert; /* row by row (CCHC_COPY_INSERT=1): the baseline of bench/copy.sh */
};

static int copy_tx(struct store *dst, void *ctx, struct err *e)
{
    struct copy_ctx *x = ctx;
    int rc = 0;
    /* no notification per copied dossier (migration 055): the destination is empty, and its
     * units_version update tells the servers' caches to drop everything */
    if (db_exec(dst->db, "SET LOCAL cchc.quiet = 'on'"))
        return sq_fail(dst, DB_ERROR, "setting cchc.quiet", e);
    for (int i = 0; !rc && i < x->t->n; i++) {
        const char *name = x->t->name[i];
        struct store_copy_table *ct = &x->r->table[x->r->ntables++];
        snprintf(ct->name, sizeof ct->name, "%s", name);
        if (!strcmp(name, "units_version")) {
            /* a singleton kept by triggers, which the copied units have moved: take the
             * source's value */
            int64_t v = 0;
            if ((rc = sq_units_version(x->src, &v, e))) break;
            char sql[128];
            snprintf(sql, sizeof sql, "UPDATE units_version SET n = %lld WHERE id = 1",
                     (long long)v);
            if (db_exec(dst->db, sql)) rc = sq_fail(dst, DB_ERROR, name, e);
            ct->copied = 1;
            continue;
        }
        /* a singleton that migration 049 wrote on the empty destination: the source's
         * genesis replaces it */
        if (!strcmp(name, "audit_genesis") && db_exec(dst->db, "DELETE FROM audit_genesis")) {
            rc = sq_fail(dst, DB_ERROR, name, e);
            break;
        }
        rc = x->insert ? copy_table(x->h, dst, name, &ct->copied, e)
                       : copy_table_stream(x->h, dst, name, &ct->copied, e);
    }
    if (!rc) rc = move_sequences(dst, e);
    return rc;
}

int store_copy_to(struct store *src, const char *url, struct store_copy_report *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    sqlite3 *h = db_sqlite_handle(src->db);
    if (!h)
        return err_set(e, ERR_INVALID, "db", "the database to copy from must be SQLite (a file)");
    if (!db_url_is_pg(url))
        return err_set(e, ERR_INVALID, "to", "--to '%s': expected a postgresql:// URL", url);
    struct tables t;
    int rc = table_order(h, &t, e);
    if (rc) return rc;
    int have, known, dhave, dknown;
    if ((rc = store_schema_version(src, &have, &known, e))) return rc;
    if (have != known)
        return err_set(e, ERR_CONFLICT, "db",
                       "the SQLite database is at schema version %d, this cchc at %d: run cchc "
                       "migrate on it first",
                       have, known);
    struct store *dst;
    if ((rc = store_open(url, &dst, e))) return rc;
    if ((rc = store_schema_version(dst, &dhave, &dknown, e))) goto out;
    if (dhave != have) {
        rc = err_set(e, ERR_CONFLICT, "to",
                     "the PostgreSQL database is at schema version %d, the "
                     "SQLite one at %d",
                     dhave, have);
        goto out;
    }
    static const char *const must_be_empty[] = {"units", "procedures", "dossiers", "users",
                                                "par_sets"};
    for (size_t i = 0; i < sizeof must_be_empty / sizeof must_be_empty[0]; i++) {
        int64_t n = count_rows(dst, must_be_empty[i], e, &rc);
        if (rc) goto out;
        if (n > 0) {
            rc = err_set(e, ERR_CONFLICT, "to",
                         "the PostgreSQL database already holds data (%lld rows in %s): copy "
                         "into an empty database",
                         (long long)n, must_be_empty[i]);
            goto out;
        }
    }
    const char *ins = getenv("CCHC_COPY_INSERT");
    struct copy_ctx x = {h, src, &t, r, ins && !strcmp(ins, "1")};
    /* a read snapshot of the source for the whole copy, a write transaction on the other */
    if (db_begin(src->db, 0)) {
        rc = sq_fail(src, DB_ERROR, "reading the SQLite database", e);
        goto out;
    }
    src->reading = 1;
    rc = store_tx(dst, copy_tx, &x, e);
    src->reading = 0;
    db_commit(src->db);
    /* the counts, table by table, on both sides after the commit */
    for (int i = 0; !rc && i < r->ntables; i++) {
        struct store_copy_table *ct = &r->table[i];
        if (!strcmp(ct->name, "units_version")) {
            ct->source = ct->dest = 1;
            continue;
        }
        ct->source = count_rows(src, ct->name, e, &rc);
        if (!rc) ct->dest = count_rows(dst, ct->name, e, &rc);
        if (!rc && ct->source != ct->dest)
            rc = err_set(e, ERR_IO, "to", "%s: %lld rows in SQLite, %lld in PostgreSQL", ct->name,
                         (long long)ct->source, (long long)ct->dest);
    }
out:
    store_close(dst);
    return rc;
}
