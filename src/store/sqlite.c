/* sqlite.c — the SQLite backend's core: opening a database (WAL, synchronous=FULL, foreign
 * keys, busy timeout), applying the embedded migrations, transactions (store_tx with
 * savepoints for nesting) and the cache of prepared statements the resource files use.
 * Resource operations live in sqlite_units.c, sqlite_procedures.c, sqlite_dossiers.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"

#define BUSY_TIMEOUT_MS 5000

/* --- errors and statements --- */

int sq_fail(struct store *s, int rc, const char *what, struct err *e)
{
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    int code = (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_IO;
    return err_set(e, code, "", "%s: %s", what, msg);
}

/* Fails if the outer transaction was rolled back behind our back (SQLite does so on some
 * I/O and memory errors): further statements would otherwise run in autocommit mode. */
static int tx_alive(struct store *s, struct err *e)
{
    if (s->tx_depth > 0 && sqlite3_get_autocommit(s->db))
        return err_set(e, ERR_IO, "",
                       "the transaction was rolled back by the database after an error");
    return 0;
}

int sq_prep(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
    *st = NULL;
    int rc = tx_alive(s, e);
    if (rc) return rc;
    int in_use = 0;
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].key != sql) continue;
        if (s->cache[i].busy) {
            in_use = 1; /* a caller is iterating over it: prepare a private copy */
            break;
        }
        s->cache[i].busy = 1;
        *st = s->cache[i].st;
        return 0;
    }
    int cacheable = !in_use && s->ncache < SQ_CACHE_MAX;
    rc = sqlite3_prepare_v3(s->db, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, st, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_INTERNAL, "", "preparing SQL failed: %s", sqlite3_errmsg(s->db));
        *st = NULL;
        return ERR_INTERNAL;
    }
    if (cacheable) s->cache[s->ncache++] = (struct sq_cached){sql, *st, 1};
    return 0;
}

void sq_done(struct store *s, sqlite3_stmt *st)
{
    if (!st) return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            s->cache[i].busy = 0;
            return;
        }
    sqlite3_finalize(st);
}

int sq_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return 0;
    int code = (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_IO;
    err_set(e, code, "", "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return code;
}

int sq_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return 0;
    return sq_fail(s, rc, what, e);
}

int sq_bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (!t || !*t) return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

int sq_bind_day(sqlite3_stmt *st, int i, int64_t day)
{
    if (day == INT64_MIN || day == INT64_MAX) return sqlite3_bind_null(st, i);
    char buf[16];
    return sqlite3_bind_text(st, i, day_format(day, buf), -1, SQLITE_TRANSIENT);
}

void sq_col_text(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    /* snprintf(buf, n, "%s", t) without the formatting machinery, which was a fifth of the
     * dossier list's time (a dozen text columns a row). */
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!n) return;
    size_t len = t ? strnlen((const char *)t, n - 1) : 0;
    memcpy(buf, t ? (const char *)t : "", len);
    buf[len] = '\0';
}

int64_t sq_col_day(sqlite3_stmt *st, int i, int64_t open_value)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    struct ymd d;
    if (!t || ymd_parse((const char *)t, &d, "date", NULL)) return open_value;
    return ymd_to_days(d);
}

/* --- opening --- */

/* Splits "sqlite:PATH?synchronous=normal" or a plain path into path and sync mode. */
static int parse_target(const char *url, char *path, size_t n, const char **sync, struct err *e)
{
    *sync = "FULL";
    if (!url || !*url) return err_set(e, ERR_INVALID, "db", "database: empty path");
    if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
        return err_set(e, ERR_INVALID, "db",
                       "database '%s': the PostgreSQL backend is not built yet (use a file path "
                       "or sqlite:PATH)",
                       url);
    const char *p = url;
    if (!strncmp(url, "sqlite:", 7)) {
        p = url + 7;
        const char *q = strchr(p, '?');
        if (q) {
            if (!strcmp(q, "?synchronous=normal"))
                *sync = "NORMAL";
            else if (strcmp(q, "?synchronous=full"))
                return err_set(e, ERR_INVALID, "db",
                               "database '%s': the only option is ?synchronous=full|normal", url);
            if ((size_t)(q - p) >= n) goto too_long;
            memcpy(path, p, (size_t)(q - p));
            path[q - p] = '\0';
            goto check;
        }
    } else if (strstr(url, "://")) {
        return err_set(e, ERR_INVALID, "db",
                       "database '%s': unknown scheme (use a file path, sqlite:PATH or "
                       "postgres://…)",
                       url);
    }
    if (strlen(p) >= n) goto too_long;
    strcpy(path, p);
check:
    if (!*path) return err_set(e, ERR_INVALID, "db", "database '%s': empty path", url);
    return 0;
too_long:
    return err_set(e, ERR_INVALID, "db", "database path is longer than %zu bytes", n - 1);
}

static int set_pragmas(struct store *s, const char *sync, struct err *e)
{
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW && !sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (!wal)
        return err_set(e, ERR_IO, "db", "database: cannot switch to WAL mode: %s",
                       sqlite3_errmsg(s->db));
    /* temp_store=MEMORY keeps the sub-journal of savepoints and statement journals in memory:
     * with the default, it spills to a file in /var/tmp after 64 KiB and then every nested
     * transaction (one per change in a group commit) wrote each page it touched there: 28k of
     * 29k pwrite calls of a 256-change group commit run (bench/ingest). It only holds rollback
     * copies inside a transaction: durability is the WAL's, unchanged (synchronous stays FULL). */
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA synchronous=%s; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY", sync);
    return sq_exec(s, sql, e);
}

/* --- migrations --- */

/* Reads the applied migrations: *version = highest (0 when none), and checks each against
 * the embedded list (same name; nothing newer than this program knows). */
static int read_schema(struct store *s, int *version, struct err *e)
{
    *version = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name = 'schema_migrations'",
                                -1, &st, NULL);
    int exists = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return sq_fail(s, rc, "database: reading the schema", e);
    if (!exists) return 0;
    rc = sqlite3_prepare_v2(s->db, "SELECT version, name FROM schema_migrations ORDER BY version",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) return sq_fail(s, rc, "database: reading schema_migrations", e);
    int known = sq_migrations_count ? sq_migrations[sq_migrations_count - 1].version : 0;
    int code = 0;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int v = sqlite3_column_int(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const struct sq_migration *m = NULL;
        for (int i = 0; i < sq_migrations_count; i++)
            if (sq_migrations[i].version == v) m = &sq_migrations[i];
        if (v > known)
            code = err_set(e, ERR_CONFLICT, "db",
                           "database schema version %d is newer than this cchc knows (%d): "
                           "use a newer cchc",
                           v, known);
        else if (!m || !name || strcmp(m->name, name))
            code = err_set(e, ERR_CONFLICT, "db",
                           "database migration %d is '%s' but this cchc has '%s'", v,
                           name ? name : "", m ? m->name : "nothing");
        *version = v;
    }
    if (!code && rc != SQLITE_DONE) code = sq_fail(s, rc, "database: reading schema_migrations", e);
    sqlite3_finalize(st);
    return code;
}

/* Applies the migrations newer than the database's version, all in one transaction. */
static int migrate(struct store *s, struct err *e)
{
    int version, rc = read_schema(s, &version, e);
    if (rc) return rc;
    int known = sq_migrations_count ? sq_migrations[sq_migrations_count - 1].version : 0;
    if (version >= known) return 0;
    if ((rc = sq_exec(s, "BEGIN IMMEDIATE", e))) return rc;
    rc = sq_exec(s,
                 "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                 e);
    if (!rc) rc = read_schema(s, &version, e); /* another process may have migrated meanwhile */
    for (int i = 0; !rc && i < sq_migrations_count; i++) {
        const struct sq_migration *m = &sq_migrations[i];
        if (m->version <= version) continue;
        if ((rc = sq_exec(s, m->sql, e))) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e ? e->msg : "");
            rc = err_set(e, ERR_IO, "db", "database: migration %s failed: %s", m->name, why);
            break;
        }
        char sql[200];
        snprintf(
            sql, sizeof sql,
            "INSERT INTO schema_migrations VALUES (%d, '%s', strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', "
            "'now'))",
            m->version, m->name); /* the name is ours: NNN_[A-Za-z0-9_]+.sql */
        rc = sq_exec(s, sql, e);
    }
    if (!rc) rc = sq_exec(s, "COMMIT", e);
    if (rc && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* SQLite's memory statistics (sqlite3_status) take a process-wide mutex on every allocation,
 * which the server's threads then contend for; cchc never reads them. The setting must come
 * before SQLite initialises, hence once, before the first connection. */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *url_or_path, struct store **out, struct err *e)
{
    return store_open_ex(url_or_path, 0, out, e);
}

int store_migrate(struct store *s, struct err *e)
{
    return migrate(s, e);
}

int store_open_ex(const char *url_or_path, unsigned flags, struct store **out, struct err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    *out = NULL;
    char path[4096];
    const char *sync;
    int rc = parse_target(url_or_path, path, sizeof path, &sync, e);
    if (rc) return rc;
    struct store *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    /* NOMUTEX: a store is used by one thread at a time (store.h; the HTTP server leases each
     * connection to one request), so SQLite's per-connection mutex, taken by every step,
     * bind and column call, only costs time (~7% of a citizen lookup, bench/http.sh). */
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "db", "database '%s': cannot open: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    if ((rc = set_pragmas(s, sync, e))) goto fail;
    if (flags & STORE_OPEN_NO_MIGRATE) {
        /* Only a database without any schema yet (just created) gets it here; an older
         * schema is the caller's to upgrade (store_migrate, after a backup). */
        int version = 0;
        if ((rc = read_schema(s, &version, e))) goto fail;
        if (!version && (rc = migrate(s, e))) goto fail;
    } else if ((rc = migrate(s, e))) {
        goto fail;
    }
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (!s) return;
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close_v2(s->db);
    sq_scope_free(s);
    free(s->stats_log);
    free(s);
}

static const char SQL_UNITS_VERSION[] = "SELECT n FROM units_version WHERE id = 1";

int sq_units_version(struct store *s, int64_t *version, struct err *e)
{
    /* Kept only inside a read transaction (store_read): there the data version is the
     * snapshot's. Outside one each statement takes a new snapshot; inside a write
     * transaction the counter moves with changes that may be rolled back. */
    int reading = sq_in_read_tx(s);
    unsigned dv = 0;
    if (reading && sqlite3_txn_state(s->db, "main") == SQLITE_TXN_READ &&
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &dv) == SQLITE_OK &&
        s->units_version_ok && dv == s->units_version_dv) {
        *version = s->units_version;
        return 0;
    }
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_UNITS_VERSION, &st, e), step;
    if (rc) return rc;
    if ((step = sqlite3_step(st)) == SQLITE_ROW)
        *version = sqlite3_column_int64(st, 0);
    else
        rc = sq_fail(s, step, "reading units_version", e);
    sq_done(s, st);
    /* The query started the snapshot if none was: its data version now. */
    s->units_version_ok = 0;
    if (!rc && reading &&
        sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &dv) == SQLITE_OK) {
        s->units_version_ok = 1;
        s->units_version_dv = dv;
        s->units_version = *version;
    }
    return rc;
}

int sq_in_read_tx(struct store *s)
{
    return !sqlite3_get_autocommit(s->db) && sqlite3_txn_state(s->db, "main") != SQLITE_TXN_WRITE;
}

int64_t store_pages_written(struct store *s)
{
    int cur = 0, hi = 0;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
    return cur;
}

int store_schema_version(struct store *s, int *db_version, int *known_version, struct err *e)
{
    *known_version = sq_migrations_count ? sq_migrations[sq_migrations_count - 1].version : 0;
    return read_schema(s, db_version, e);
}

/* --- transactions --- */

/* After a failed COMMIT with a deferred foreign key, names one dangling reference. */
static void explain_fk(struct store *s, struct err *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) return;
    if (sqlite3_step(st) == SQLITE_ROW)
        err_set(e, ERR_CONFLICT, "",
                "commit refused: a row of %s (rowid %lld) refers to a missing row of %s",
                (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
                (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
}

static int tx_end(struct store *s, int depth, int rc, struct err *e)
{
    char sql[64];
    if (depth > 0) {
        if (!rc) {
            snprintf(sql, sizeof sql, "RELEASE sp%d", depth);
            if (!(rc = sq_exec(s, sql, e))) return 0;
        }
        snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", depth, depth);
        if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        return rc;
    }
    if (!rc) {
        int src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (src == SQLITE_OK) return 0;
        rc = sq_fail(s, src, "commit failed", e);
        if (src == SQLITE_CONSTRAINT_FOREIGNKEY) explain_fk(s, e);
    }
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_tx(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    int depth = s->tx_depth, rc;
    char sql[32];
    if (depth == 0)
        rc = sq_exec(s, "BEGIN IMMEDIATE", e);
    else if (!(rc = tx_alive(s, e))) {
        snprintf(sql, sizeof sql, "SAVEPOINT sp%d", depth);
        rc = sq_exec(s, sql, e);
    }
    if (rc) return rc;
    size_t stats_n = s->stats_n, stats_f = s->stats_f;
    int head_state = s->head_state;
    int64_t head_id = s->head_id;
    unsigned char head_hash[sizeof s->head_hash];
    memcpy(head_hash, s->head_hash, sizeof head_hash);
    s->tx_depth++;
    rc = fn(s, ctx, e);
    if (rc && e && !e->msg[0]) err_set(e, rc, "", "transaction aborted (code %d)", rc);
    if (!rc) rc = tx_alive(s, e);
    /* the statistics of the whole transaction, merged per row, and the audit head, written
     * once before COMMIT */
    if (!rc && depth == 0 && !(rc = sq_stats_flush(s, e))) rc = sq_head_flush(s, e);
    s->tx_depth--;
    rc = tx_end(s, depth, rc, e);
    if (rc) { /* rolled back: what this level added, or wrote, is gone from the tables */
        s->stats_n = stats_n;
        s->stats_f = stats_f;
        s->head_state = head_state;
        s->head_id = head_id;
        memcpy(s->head_hash, head_hash, sizeof head_hash);
    }
    if (depth == 0) s->head_state = SQ_HEAD_UNREAD; /* other connections may append now */
    /* With no savepoint open, no rollback can return to the entries already written. */
    if (depth <= 1 && s->stats_f == s->stats_n) s->stats_n = s->stats_f = 0;
    return rc;
}
