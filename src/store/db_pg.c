/* db_pg.c — the PostgreSQL driver of db.h on libpq. Statements are prepared on the server
 * under generated names, their parameters sent as text (blobs in binary), their results read in
 * text form (bytea decoded from hex). Writers serialise on a transaction-level advisory lock,
 * as SQLite's single writer does, so numbering and the audit chain see one writer at a time;
 * with group commit their WAL flushes are waited for after the lock (pg_commit_grouped).
 * A connection belongs to one thread at a time (as the store's SQLite connections do). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_driver.h"

/* The key of the advisory lock every writing transaction takes (any constant will do, as long
 * as all cchc processes on a database use the same). */
#define PG_WRITE_LOCK_KEY 7361

#define PG_BOOLOID  16
#define PG_BYTEAOID 17
#define PG_TEXTOID  25

struct db {
    const struct db_driver *drv; /* first: db.c dispatches on it */
    PGconn *conn;
    int64_t changes;
    enum db_error_class ecls;
    char errmsg[512];
    unsigned long next_stmt; /* for unique statement names */
    int group;               /* db_group_commit: write transactions commit without waiting */
    int tx_write;            /* the open transaction is a writer's (db_begin(d, 1)) */
    int copy_failed;         /* db_pg_copy_put failed: db_pg_copy_end aborts the COPY */
    /* A read transaction's round trips (pg_begin, pg_commit): its BEGIN is not sent at once
     * but in one pipeline with its first statement (read_pending until then; a read
     * transaction that runs nothing sends neither BEGIN nor COMMIT), and its COMMIT is sent
     * without waiting, the answer read before the connection's next command (commit_sent). */
    int read_pending;
    int commit_sent;
    int wrote; /* the open transaction changed rows: its COMMIT counts in pg_write_commits */
};

/* This process's committed writes on PostgreSQL (db_pg_write_commits): a statement that
 * changed rows outside a transaction, or the COMMIT of a transaction that did. */
static _Atomic uint64_t pg_write_commits;

uint64_t db_pg_write_commits(void)
{
    return atomic_load(&pg_write_commits);
}

#define PG_BEGIN_READ "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* Reads the answer of a COMMIT sent without waiting (pg_commit), before anything else is sent.
 * A read transaction's COMMIT cannot fail but with the connection, which the next command
 * finds broken too. */
static void settle(struct db *d)
{
    if (!d->commit_sent) return;
    d->commit_sent = 0;
    PGresult *res;
    while ((res = PQgetResult(d->conn)))
        PQclear(res);
}

static int run(struct db *d, const char *sql);

/* The connection ready for a command of the open transaction: a pending COMMIT's answer read
 * and a pending read BEGIN sent (a command other than a prepared statement's: a savepoint, a
 * COPY, db_exec). */
static int ready(struct db *d)
{
    settle(d);
    if (!d->read_pending) return 0;
    d->read_pending = 0;
    return run(d, PG_BEGIN_READ);
}

struct pg_param {
    char *val; /* NULL: SQL NULL */
    int len;
    int binary;
};

struct pg_blob {
    unsigned char *p; /* PQunescapeBytea's buffer (PQfreemem) */
    size_t n;
    int done;
};

struct db_stmt {
    const struct db_driver *drv; /* first: db.c dispatches on it */
    struct db *d;
    char name[32];
    int nparams;
    struct pg_param *params;
    unsigned char *unused; /* NULL, or 1 for each parameter number the SQL skips */
    PGresult *res;
    int executed;
    int row;               /* current row of res, -1 before the first */
    int ncols_described;   /* -1 until col_count described the statement */
    struct pg_blob *blobs; /* decoded bytea of the current row, one per column */
    int nblobs;
};

/* ---- placeholders ---------------------------------------------------------------------- */

#define PG_MAX_PARAMS 32767

/* db_pg_translate, also marking in used[0 .. PG_MAX_PARAMS - 1] (when not NULL) the
 * parameters the statement refers to. */
static int translate(const char *sql, char **out, int *nparams, unsigned char *used)
{
    size_t n = strlen(sql);
    /* "?" becomes at most "$32767" (6 bytes); "?N" never grows. */
    char *o = malloc(n * 6 + 1), *w = o;
    if (!o) return -1;
    long max = 0;
    const char *p = sql;
    while (*p) {
        char c = *p;
        if (c == '\'' || c == '"') { /* literal or quoted identifier, doubled quote escapes */
            *w++ = *p++;
            while (*p) {
                if (*p == c && p[1] == c) {
                    *w++ = *p++;
                    *w++ = *p++;
                } else if (*p == c) {
                    *w++ = *p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *w++ = *p++;
        } else if (c == '/' && p[1] == '*') {
            *w++ = *p++;
            *w++ = *p++;
            while (*p && !(*p == '*' && p[1] == '/'))
                *w++ = *p++;
            if (*p) {
                *w++ = *p++;
                *w++ = *p++;
            }
        } else if (c == '?') {
            p++;
            long v;
            if (*p >= '0' && *p <= '9') {
                v = 0;
                while (*p >= '0' && *p <= '9') {
                    v = v * 10 + (*p++ - '0');
                    if (v > PG_MAX_PARAMS) break;
                }
            } else {
                v = max + 1;
            }
            if (v < 1 || v > PG_MAX_PARAMS) {
                free(o);
                return -1;
            }
            if (v > max) max = v;
            if (used) used[v - 1] = 1;
            w += sprintf(w, "$%ld", v);
        } else {
            *w++ = *p++;
        }
    }
    *w = 0;
    *out = o;
    *nparams = (int)max;
    return 0;
}

int db_pg_translate(const char *sql, char **out, int *nparams)
{
    return translate(sql, out, nparams, NULL);
}

/* ---- errors ---------------------------------------------------------------------------- */

static enum db_error_class class_of(const char *sqlstate)
{
    if (!sqlstate) return DBE_OTHER;
    if (!strcmp(sqlstate, "23503")) return DBE_FOREIGN_KEY;
    if (!strncmp(sqlstate, "23", 2)) return DBE_CONSTRAINT;
    if (!strcmp(sqlstate, "55P03") || !strcmp(sqlstate, "57014")) return DBE_BUSY;
    if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01")) return DBE_SERIALIZE;
    return DBE_OTHER;
}

static void set_error(struct db *d, enum db_error_class cls, const char *msg)
{
    d->ecls = cls;
    snprintf(d->errmsg, sizeof d->errmsg, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
    size_t n = strlen(d->errmsg); /* libpq ends its messages with a newline */
    while (n && (d->errmsg[n - 1] == '\n' || d->errmsg[n - 1] == ' '))
        d->errmsg[--n] = 0;
}

/* Records the error of res (or of the connection when res is NULL). Only the primary message:
 * PostgreSQL's DETAIL repeats row values, which may be personal data. */
static void set_result_error(struct db *d, const PGresult *res)
{
    if (!res) {
        set_error(d, DBE_OTHER, PQerrorMessage(d->conn));
        return;
    }
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    set_error(d, class_of(PQresultErrorField(res, PG_DIAG_SQLSTATE)),
              primary ? primary : PQresultErrorMessage(res));
}

/* Counts the rows of an INSERT, UPDATE, DELETE or MERGE as db_changes. */
static void note_changes(struct db *d, PGresult *res)
{
    const char *cmd = PQcmdStatus(res);
    if (strncmp(cmd, "INSERT", 6) && strncmp(cmd, "UPDATE", 6) && strncmp(cmd, "DELETE", 6) &&
        strncmp(cmd, "MERGE", 5))
        return;
    const char *t = PQcmdTuples(res);
    if (*t) d->changes = strtoll(t, NULL, 10);
    if (!*t || d->changes <= 0) return;
    if (PQtransactionStatus(d->conn) == PQTRANS_IDLE)
        atomic_fetch_add(&pg_write_commits, 1); /* committed on its own */
    else
        d->wrote = 1;
}

/* Runs sql (no parameters, perhaps several statements): 0 or DB_ERROR. */
static int run(struct db *d, const char *sql)
{
    PGresult *res = PQexec(d->conn, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        set_result_error(d, res);
        PQclear(res);
        return DB_ERROR;
    }
    note_changes(d, res);
    PQclear(res);
    return 0;
}

/* ---- COPY FROM STDIN (db.h) ------------------------------------------------------------- */

static struct db *pg_of(struct db *d)
{
    return d && d->drv == &db_pg_driver ? d : NULL;
}

int db_pg_copy_begin(struct db *d, const char *sql)
{
    if (!(d = pg_of(d))) return DB_ERROR;
    if (ready(d)) return DB_ERROR;
    d->copy_failed = 0;
    PGresult *res = PQexec(d->conn, sql);
    int ok = res && PQresultStatus(res) == PGRES_COPY_IN;
    if (!ok) {
        set_result_error(d, res);
        d->copy_failed = 1;
    }
    PQclear(res);
    return ok ? 0 : DB_ERROR;
}

int db_pg_copy_put(struct db *d, const char *buf, size_t n)
{
    if (!(d = pg_of(d)) || d->copy_failed) return DB_ERROR;
    if (n > INT_MAX || PQputCopyData(d->conn, buf, (int)n) != 1) {
        set_error(d, DBE_OTHER, PQerrorMessage(d->conn));
        d->copy_failed = 1;
        return DB_ERROR;
    }
    return 0;
}

int db_pg_copy_end(struct db *d)
{
    if (!(d = pg_of(d))) return DB_ERROR;
    /* after a failed put, end the COPY with an error so that the server gives up the rows */
    int rc = 0;
    if (PQputCopyEnd(d->conn, d->copy_failed ? "the client stopped the copy" : NULL) != 1) {
        set_error(d, DBE_OTHER, PQerrorMessage(d->conn));
        rc = DB_ERROR;
    }
    PGresult *res;
    while ((res = PQgetResult(d->conn))) {
        if (!rc && PQresultStatus(res) != PGRES_COMMAND_OK) {
            set_result_error(d, res);
            rc = DB_ERROR;
        } else if (!rc) {
            note_changes(d, res);
        }
        PQclear(res);
    }
    if (d->copy_failed && !rc) rc = DB_ERROR; /* the server took a partial copy: never */
    d->copy_failed = 0;
    return rc;
}

/* ---- connections ----------------------------------------------------------------------- */

static void pg_close(struct db *d)
{
    if (!d) return;
    PQfinish(d->conn);
    free(d);
}

static int pg_open(const char *url, struct db **out, struct err *e)
{
    *out = NULL;
    struct db *d = calloc(1, sizeof *d);
    if (!d) return err_set(e, ERR_NOMEM, "db", "out of memory opening %s", "PostgreSQL");
    d->drv = &db_pg_driver;
    /* defaults the URL may override (it is expanded after them): give up on an unreachable
     * server after 10 s rather than the system's TCP timeout, and say who is connected */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const vals[] = {"10", "cchc", url, NULL};
    d->conn = PQconnectdbParams(keys, vals, 1);
    if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
        char why[300];
        snprintf(why, sizeof why, "%s", d->conn ? PQerrorMessage(d->conn) : "out of memory");
        /* libpq's first line says what failed; the next ones give advice ("Is the server
         * running …"): one line, as every cchc error is */
        why[strcspn(why, "\n")] = 0;
        size_t n = strlen(why);
        while (n && why[n - 1] == ' ')
            why[--n] = 0;
        pg_close(d);
        /* the URL may hold a password: name only the host part libpq reports */
        return err_set(e, ERR_IO, "db", "cannot connect to PostgreSQL: %s", why);
    }
    /* lock_timeout mirrors SQLite's busy timeout (5 s): a writer waiting longer for the write
     * lock gets DBE_BUSY. CCHC_PG_LOCK_TIMEOUT_MS (1 to 600000) sets another, for tests that
     * hold a lock from psql on a loaded machine. NOTICEs (e.g. "… does not exist, skipping")
     * stay quiet. */
    long lock_ms = 5000;
    const char *env = getenv("CCHC_PG_LOCK_TIMEOUT_MS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v >= 1 && v <= 600000) lock_ms = v;
    }
    char setup[96];
    snprintf(setup, sizeof setup, "SET client_min_messages = warning; SET lock_timeout = %ld",
             lock_ms);
    if (PQsetClientEncoding(d->conn, "UTF8") || run(d, setup)) {
        int rc = err_set(e, ERR_IO, "db", "PostgreSQL: setting up the connection: %s",
                         d->errmsg[0] ? d->errmsg : PQerrorMessage(d->conn));
        pg_close(d);
        return rc;
    }
    *out = d;
    return 0;
}

static int64_t pg_changes(struct db *d)
{
    return d->changes;
}

static enum db_error_class pg_error_class(struct db *d)
{
    return d->ecls;
}

static const char *pg_errmsg(struct db *d)
{
    return d->errmsg[0] ? d->errmsg : "not an error";
}

static int pg_exec(struct db *d, const char *sql)
{
    return ready(d) ? DB_ERROR : run(d, sql);
}

/* ---- statements ------------------------------------------------------------------------ */

static void clear_blobs(struct db_stmt *st)
{
    for (int i = 0; i < st->nblobs; i++) {
        if (st->blobs[i].p) PQfreemem(st->blobs[i].p);
        st->blobs[i] = (struct pg_blob){0};
    }
}

static void clear_params(struct db_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->params[i].val);
        st->params[i] = (struct pg_param){0};
    }
}

/* Parameter types for PQprepare: 0 (the server infers it) for the parameters the statement
 * uses; text for the numbers it skips (`?1, ?3`), which PostgreSQL, unlike SQLite, cannot type
 * otherwise. NULL when none is skipped; *unused_out gets the skipped ones (or NULL). */
static Oid *param_types(const unsigned char *used, int np, unsigned char **unused_out)
{
    *unused_out = NULL;
    int skipped = 0;
    for (int i = 0; i < np; i++)
        skipped += !used[i];
    if (!skipped) return NULL;
    Oid *types = calloc((size_t)np, sizeof *types);
    unsigned char *unused = calloc((size_t)np, 1);
    if (!types || !unused) {
        free(types);
        free(unused);
        return NULL;
    }
    for (int i = 0; i < np; i++)
        if (!used[i]) {
            types[i] = PG_TEXTOID;
            unused[i] = 1;
        }
    *unused_out = unused;
    return types;
}

static int pg_prepare(struct db *d, const char *sql, struct db_stmt **out)
{
    *out = NULL;
    char *q = NULL;
    int np;
    unsigned char *used = calloc(PG_MAX_PARAMS, 1);
    if (!used || translate(sql, &q, &np, used)) {
        free(used);
        set_error(d, DBE_OTHER, "statement: out of memory or a parameter number outside 1..32767");
        return DB_ERROR;
    }
    struct db_stmt *st = calloc(1, sizeof *st);
    if (st && np) st->params = calloc((size_t)np, sizeof *st->params);
    Oid *types = st ? param_types(used, np, &st->unused) : NULL;
    free(used);
    if (!st || (np && !st->params) || (types && !st->unused)) {
        if (st) free(st->params);
        free(st);
        free(types);
        free(q);
        set_error(d, DBE_OTHER, "out of memory preparing a statement");
        return DB_ERROR;
    }
    st->drv = &db_pg_driver;
    st->d = d;
    st->nparams = np;
    st->row = -1;
    st->ncols_described = -1;
    snprintf(st->name, sizeof st->name, "cchc_%lu", ++d->next_stmt);
    settle(d); /* outside the transaction if its BEGIN is pending: a prepared statement is the
                * session's, and preparing takes no snapshot */
    PGresult *res = PQprepare(d->conn, st->name, q, np, types);
    free(q);
    free(types);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        set_result_error(d, res);
        PQclear(res);
        free(st->unused);
        free(st->params);
        free(st);
        return DB_ERROR;
    }
    PQclear(res);
    *out = st;
    return 0;
}

static void pg_reset(struct db_stmt *st)
{
    if (!st) return;
    clear_blobs(st);
    PQclear(st->res);
    st->res = NULL;
    st->executed = 0;
    st->row = -1;
    clear_params(st);
}

static void pg_finalize(struct db_stmt *st)
{
    if (!st) return;
    pg_reset(st);
    free(st->blobs);
    free(st->params);
    free(st->unused);
    /* A transaction in error refuses every command until it ends; the statement then stays
     * prepared on the server until the connection closes (its name is never reused). */
    settle(st->d);
    if (PQtransactionStatus(st->d->conn) != PQTRANS_INERROR) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->d->conn, sql));
    }
    free(st);
}

/* Reads the results of one command of a pipeline up to the NULL that ends them: the first
 * (NULL if none). */
static PGresult *pipeline_result(PGconn *c)
{
    PGresult *first = PQgetResult(c), *more;
    if (first)
        while ((more = PQgetResult(c)))
            PQclear(more);
    return first;
}

/* A read transaction's pending BEGIN and its first statement in one pipeline, one round trip:
 * st's result, or NULL with the error set. */
static PGresult *begin_and_exec(struct db *d, struct db_stmt *st, const char **vals,
                                const int *lens, const int *fmts)
{
    PGconn *c = d->conn;
    d->read_pending = 0;
    if (PQenterPipelineMode(c) != 1) { /* cannot: one after the other */
        if (run(d, PG_BEGIN_READ)) return NULL;
        return PQexecPrepared(c, st->name, st->nparams, vals, lens, fmts, 0);
    }
    PGresult *begin = NULL, *res = NULL, *sync = NULL;
    if (PQsendQueryParams(c, PG_BEGIN_READ, 0, NULL, NULL, NULL, NULL, 0) == 1 &&
        PQsendQueryPrepared(c, st->name, st->nparams, vals, lens, fmts, 0) == 1 &&
        PQpipelineSync(c) == 1) {
        begin = pipeline_result(c);
        res = pipeline_result(c);
        sync = PQgetResult(c);
    }
    int ok = begin && PQresultStatus(begin) == PGRES_COMMAND_OK && sync &&
             PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    if (!ok) set_result_error(d, begin && PQresultStatus(begin) != PGRES_COMMAND_OK ? begin : res);
    PQclear(begin);
    PQclear(sync);
    if (PQexitPipelineMode(c) != 1 && ok) {
        set_error(d, DBE_OTHER, PQerrorMessage(c));
        ok = 0;
    }
    if (!ok) {
        PQclear(res);
        return NULL;
    }
    return res;
}

static int execute(struct db_stmt *st)
{
    struct db *d = st->d;
    enum { LOCAL = 16 };
    const char *vals_l[LOCAL] = {0};
    int lens_l[LOCAL] = {0}, fmts_l[LOCAL] = {0};
    const char **vals = vals_l;
    int *lens = lens_l, *fmts = fmts_l;
    if (st->nparams > LOCAL) {
        vals = malloc((size_t)st->nparams * sizeof *vals);
        lens = malloc((size_t)st->nparams * sizeof *lens);
        fmts = malloc((size_t)st->nparams * sizeof *fmts);
    }
    if (!vals || !lens || !fmts) {
        if (vals != vals_l) {
            free(vals);
            free(lens);
            free(fmts);
        }
        set_error(d, DBE_OTHER, "out of memory running a statement");
        return DB_ERROR;
    }
    for (int i = 0; i < st->nparams; i++) {
        vals[i] = st->unused && st->unused[i] ? NULL : st->params[i].val; /* not in the SQL */
        lens[i] = st->params[i].len;
        fmts[i] = st->params[i].binary;
    }
    settle(d);
    st->res = d->read_pending ? begin_and_exec(d, st, vals, lens, fmts)
                              : PQexecPrepared(d->conn, st->name, st->nparams, vals, lens, fmts, 0);
    if (vals != vals_l) {
        free(vals);
        free(lens);
        free(fmts);
    }
    st->executed = 1;
    ExecStatusType s = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        set_result_error(d, st->res);
        PQclear(st->res);
        st->res = NULL;
        return DB_ERROR;
    }
    note_changes(d, st->res);
    int nf = PQnfields(st->res);
    if (nf > st->nblobs) {
        struct pg_blob *b = realloc(st->blobs, (size_t)nf * sizeof *b);
        if (!b) {
            set_error(d, DBE_OTHER, "out of memory reading a result");
            return DB_ERROR;
        }
        for (int i = st->nblobs; i < nf; i++)
            b[i] = (struct pg_blob){0};
        st->blobs = b;
        st->nblobs = nf;
    }
    return 0;
}

static int pg_step(struct db_stmt *st)
{
    if (!st->executed && execute(st)) return DB_ERROR;
    if (!st->res) return DB_ERROR; /* stepped again after an error */
    clear_blobs(st);
    if (st->row < PQntuples(st->res)) st->row++;
    return st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
}

/* ---- parameters ------------------------------------------------------------------------ */

static struct pg_param *param(struct db_stmt *st, int i)
{
    if (i < 1 || i > st->nparams) return NULL; /* SQLite ignores it too (SQLITE_RANGE) */
    struct pg_param *p = &st->params[i - 1];
    free(p->val);
    *p = (struct pg_param){0};
    return p;
}

static void set_param(struct db_stmt *st, int i, const void *v, size_t n, int binary)
{
    struct pg_param *p = param(st, i);
    if (!p) return;
    if (n > INT32_MAX) return; /* PostgreSQL takes no parameter of 2 GiB */
    p->val = malloc(n + 1);
    if (!p->val) return; /* binds NULL; the statement then fails on a NOT NULL column */
    if (n) memcpy(p->val, v, n);
    p->val[n] = 0;
    p->len = (int)n;
    p->binary = binary;
}

static void pg_bind_null(struct db_stmt *st, int i)
{
    param(st, i);
}

static void pg_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    set_param(st, i, buf, (size_t)n, 0);
}

static void pg_bind_text(struct db_stmt *st, int i, const char *t)
{
    if (!t)
        param(st, i);
    else
        set_param(st, i, t, strlen(t), 0);
}

static void pg_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    set_param(st, i, p, n, 1);
}

/* ---- columns --------------------------------------------------------------------------- */

static int has_col(struct db_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < PQntuples(st->res) && i >= 0 &&
           i < PQnfields(st->res);
}

static int pg_col_null(struct db_stmt *st, int i)
{
    return !has_col(st, i) || PQgetisnull(st->res, st->row, i);
}

static int64_t pg_col_int64(struct db_stmt *st, int i)
{
    if (pg_col_null(st, i)) return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == PG_BOOLOID) return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
    if (pg_col_null(st, i)) return NULL;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == PG_BOOLOID) return v[0] == 't' ? "1" : "0";
    return v;
}

/* The decoded bytes of column i of the current row (bytea from its hex text; any other type
 * as its text). */
static struct pg_blob *blob_of(struct db_stmt *st, int i)
{
    if (pg_col_null(st, i) || i >= st->nblobs) return NULL;
    struct pg_blob *b = &st->blobs[i];
    if (b->done) return b;
    if (PQftype(st->res, i) == PG_BYTEAOID) {
        size_t n = 0;
        b->p = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i), &n);
        if (!b->p) return NULL; /* out of memory: reads as an empty blob */
        b->n = n;
    } else {
        b->n = (size_t)PQgetlength(st->res, st->row, i);
    }
    b->done = 1;
    return b;
}

static const void *pg_col_blob(struct db_stmt *st, int i)
{
    struct pg_blob *b = blob_of(st, i);
    if (!b) return NULL;
    return b->p ? (const void *)b->p : (const void *)PQgetvalue(st->res, st->row, i);
}

static size_t pg_col_bytes(struct db_stmt *st, int i)
{
    struct pg_blob *b = blob_of(st, i);
    return b ? b->n : 0;
}

static int pg_col_count(struct db_stmt *st)
{
    if (st->res) return PQnfields(st->res);
    if (st->ncols_described < 0) {
        settle(st->d);
        PGresult *r = PQdescribePrepared(st->d->conn, st->name);
        if (r && PQresultStatus(r) == PGRES_COMMAND_OK) st->ncols_described = PQnfields(r);
        PQclear(r);
    }
    return st->ncols_described < 0 ? 0 : st->ncols_described;
}

/* ---- transactions ---------------------------------------------------------------------- */

static int pg_in_tx(struct db *d)
{
    if (d->read_pending) return 1;
    settle(d);
    PGTransactionStatusType t = PQtransactionStatus(d->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* write: 0 a read snapshot; 1 the global write lock, exclusive; 2 a province's write lock
 * (key), under the global one taken shared. */
static int pg_begin_mode(struct db *d, int write, int32_t key)
{
    if (pg_in_tx(d)) { /* as SQLite refuses it (PostgreSQL would only warn) */
        set_error(d, DBE_OTHER, "cannot start a transaction within a transaction");
        return DB_ERROR;
    }
    char sql[192], lock[128];
    d->tx_write = write != 0;
    if (!write) { /* sent with the first statement (begin_and_exec) */
        d->read_pending = 1;
        return 0;
    }
    if (write == 3) /* db_begin_shared: the global key alone, shared */
        snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock_shared(%d)", PG_WRITE_LOCK_KEY);
    else if (write == 2) /* the two-int4 key space never meets the one-bigint global key */
        snprintf(lock, sizeof lock,
                 "SELECT pg_advisory_xact_lock_shared(%d); SELECT pg_advisory_xact_lock(%d, %d)",
                 PG_WRITE_LOCK_KEY, PG_WRITE_LOCK_KEY, (int)key);
    else
        snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", PG_WRITE_LOCK_KEY);
    if (d->group) /* the commit's flush is waited for after the lock (pg_commit) */
        snprintf(sql, sizeof sql, "BEGIN; SET LOCAL synchronous_commit = off; %s", lock);
    else
        snprintf(sql, sizeof sql, "BEGIN; %s", lock);
    if (!run(d, sql)) return 0;
    /* the lock was not taken (lock_timeout): leave no transaction open */
    if (pg_in_tx(d)) PQclear(PQexec(d->conn, "ROLLBACK"));
    return DB_ERROR;
}

static int pg_begin(struct db *d, int write)
{
    return pg_begin_mode(d, write ? 1 : 0, 0);
}

static int pg_begin_province(struct db *d, int32_t key)
{
    return pg_begin_mode(d, key < 0 ? 3 : 2, key);
}

/* Group commit (db_group_commit, docs/scale.md): the writer's transaction ran with
 * synchronous_commit off, so its COMMIT writes the commit record and releases the advisory
 * write lock without waiting for the WAL flush; the next writer starts meanwhile. Only then is
 * the flush waited for, outside the lock, where PostgreSQL shares one flush among every
 * backend waiting (XLogFlush: a backend that gets WALWriteLock after another's flush finds its
 * record already flushed). The wait: the WAL insert position just after COMMIT (at or past the
 * commit record), then, unless the flushed position has already passed it, a transactional
 * logical message in an autocommit statement: its commit, synchronous, flushes the WAL up to
 * itself, so up to the writer's commit record before it. COMMIT returns success only after
 * that, as with synchronous_commit on; a failure after the COMMIT fails the call (the
 * transaction took place but is not known durable: the caller must not acknowledge it). The
 * commit is visible to other sessions before it is durable, as on SQLite's group commit. */
static int pg_commit_grouped(struct db *d)
{
    PGresult *res = PQexec(d->conn, "COMMIT; SELECT pg_current_wal_insert_lsn()");
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        set_result_error(d, res);
        PQclear(res);
        return DB_ERROR;
    }
    char lsn[64];
    snprintf(lsn, sizeof lsn, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    atomic_fetch_add(&db_gc_commits, 1);
    const char *params[1] = {lsn};
    res = PQexecParams(d->conn,
                       "SELECT pg_logical_emit_message(true, 'cchc.flush', '') "
                       "WHERE pg_current_wal_flush_lsn() < $1::pg_lsn",
                       1, NULL, params, NULL, NULL, 0);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        set_result_error(d, res);
        PQclear(res);
        return DB_ERROR;
    }
    if (PQntuples(res) > 0) atomic_fetch_add(&db_gc_syncs, 1);
    PQclear(res);
    return 0;
}

static int pg_commit(struct db *d)
{
    if (d->read_pending) { /* a read transaction that ran nothing: nothing was sent */
        d->read_pending = 0;
        return 0;
    }
    settle(d);
    /* COMMIT of a failed transaction answers ROLLBACK without an error: say it */
    if (PQtransactionStatus(d->conn) == PQTRANS_INERROR) {
        d->wrote = 0;
        PQclear(PQexec(d->conn, "ROLLBACK"));
        set_error(d, DBE_OTHER,
                  "commit refused: an earlier statement of the transaction failed, "
                  "so it was rolled back");
        return DB_ERROR;
    }
    /* a read transaction's: its answer is read before the next command (settle) */
    if (!d->tx_write && PQtransactionStatus(d->conn) == PQTRANS_INTRANS &&
        PQsendQuery(d->conn, "COMMIT") == 1) {
        d->commit_sent = 1;
        return 0;
    }
    int wrote = d->wrote, rc;
    d->wrote = 0;
    if (!d->tx_write || !d->group)
        rc = run(d, "COMMIT");
    else
        rc = pg_commit_grouped(d);
    if (!rc && wrote) atomic_fetch_add(&pg_write_commits, 1);
    return rc;
}

static int pg_rollback(struct db *d)
{
    d->wrote = 0;
    if (d->read_pending) {
        d->read_pending = 0;
        return 0;
    }
    if (!pg_in_tx(d)) return 0; /* PostgreSQL would warn "no transaction in progress" */
    return run(d, "ROLLBACK");
}

static int pg_savepoint(struct db *d, int depth)
{
    char sql[48];
    snprintf(sql, sizeof sql, "SAVEPOINT sp%d", depth);
    return ready(d) ? DB_ERROR : run(d, sql);
}

static int pg_release(struct db *d, int depth)
{
    char sql[48];
    snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", depth);
    return ready(d) ? DB_ERROR : run(d, sql);
}

static int pg_rollback_to(struct db *d, int depth)
{
    char sql[96];
    snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d", depth, depth);
    return ready(d) ? DB_ERROR : run(d, sql);
}

static int pg_group_commit(struct db *d, struct err *e)
{
    (void)e;
    d->group = 1;
    return 0;
}

static unsigned pg_data_version(struct db *d)
{
    (void)d;
    return 0; /* PostgreSQL cannot tell: callers re-read */
}

const struct db_driver db_pg_driver = {
    .name = "postgresql",
    .kind = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .exec = pg_exec,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .step = pg_step,
    .bind_null = pg_bind_null,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_text_copy = pg_bind_text, /* every bound value is copied */
    .bind_blob = pg_bind_blob,
    .col_null = pg_col_null,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_bytes = pg_col_bytes,
    .col_count = pg_col_count,
    .changes = pg_changes,
    .error_class = pg_error_class,
    .errmsg = pg_errmsg,
    .begin = pg_begin,
    .begin_province = pg_begin_province,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .in_tx = pg_in_tx,
    .data_version = pg_data_version,
    .sqlite_handle = NULL,
    .group_commit = pg_group_commit,
};
