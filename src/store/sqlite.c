/* sqlite.c — the SQLite backend's core: opening a database (WAL, synchronous=FULL, foreign
 * keys, busy timeout), applying the embedded migrations, transactions (store_tx with
 * savepoints for nesting) and the cache of prepared statements the resource files use.
 * Resource operations live in sqlite_units.c, sqlite_procedures.c, sqlite_dossiers.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <time.h>

#include "date.h"
#include "sqlite_int.h"

/* --- errors and statements --- */

int sq_fail(struct store *s, int rc, const char *what, struct err *e)
{
    (void)rc; /* the connection knows its last error */
    const char *msg = s && s->db ? db_errmsg(s->db) : "no connection";
    enum db_error_class c = s && s->db ? db_error_class(s->db) : DBE_OTHER;
    int code = c == DBE_CONSTRAINT || c == DBE_FOREIGN_KEY ? ERR_CONFLICT : ERR_IO;
    return err_set(e, code, "", "%s: %s", what, msg);
}

/* Fails if the outer transaction was rolled back behind our back (SQLite does so on some
 * I/O and memory errors): further statements would otherwise run in autocommit mode. */
static int tx_alive(struct store *s, struct err *e)
{
    if (s->tx_depth > 0 && !db_in_tx(s->db))
        return err_set(e, ERR_IO, "",
                       "the transaction was rolled back by the database after an error");
    return 0;
}

int sq_prep(struct store *s, const char *sql, struct db_stmt **st, struct err *e)
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
    if (db_prepare(s->db, sql, st)) {
        err_set(e, ERR_INTERNAL, "", "preparing SQL failed: %s", db_errmsg(s->db));
        *st = NULL;
        return ERR_INTERNAL;
    }
    if (cacheable) s->cache[s->ncache++] = (struct sq_cached){sql, *st, 1};
    return 0;
}

void sq_done(struct store *s, struct db_stmt *st)
{
    if (!st) return;
    db_reset(st);
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            s->cache[i].busy = 0;
            return;
        }
    db_finalize(st);
}

int sq_exec(struct store *s, const char *sql, struct err *e)
{
    if (!db_exec(s->db, sql)) return 0;
    enum db_error_class c = db_error_class(s->db);
    int code = c == DBE_CONSTRAINT || c == DBE_FOREIGN_KEY ? ERR_CONFLICT : ERR_IO;
    return err_set(e, code, "", "%s", db_errmsg(s->db));
}

int sq_step_done(struct store *s, struct db_stmt *st, const char *what, struct err *e)
{
    int rc = db_step(st);
    if (rc == DB_DONE || rc == DB_ROW) return 0;
    return sq_fail(s, rc, what, e);
}

int sq_insert_id(struct store *s, struct db_stmt *st, const char *what, int64_t *id, struct err *e)
{
    int rc = db_step(st);
    if (rc != DB_ROW) return sq_fail(s, rc, what, e);
    *id = db_col_int64(st, 0);
    rc = db_step(st);
    return rc == DB_DONE ? 0 : sq_fail(s, rc, what, e);
}

int sq_bind_text(struct db_stmt *st, int i, const char *t)
{
    if (!t || !*t)
        db_bind_null(st, i);
    else
        db_bind_text_copy(st, i, t);
    return 0;
}

int sq_bind_day(struct db_stmt *st, int i, int64_t day)
{
    if (day == INT64_MIN || day == INT64_MAX) {
        db_bind_null(st, i);
        return 0;
    }
    char buf[16];
    db_bind_text_copy(st, i, day_format(day, buf));
    return 0;
}

static int code_pos_cmp(const void *a, const void *b)
{
    const struct sq_code_pos *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

void sq_code_pos_sort(struct sq_code_pos *pos, int n)
{
    if (n > 1) qsort(pos, (size_t)n, sizeof *pos, code_pos_cmp);
}

const char *sq_code_pos_at(const void *base, int k)
{
    return ((const struct sq_code_pos *)base)[k].code;
}

int sq_code_lower_bound(const void *base, int n, const char *(*code_at)(const void *base, int k),
                        const char *code)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(code_at(base, mid), code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void sq_col_text(struct db_stmt *st, int i, char *buf, size_t n)
{
    /* snprintf(buf, n, "%s", t) without the formatting machinery, which was a fifth of the
     * dossier list's time (a dozen text columns a row). */
    const char *t = db_col_text(st, i);
    if (!n) return;
    size_t len = t ? strnlen(t, n - 1) : 0;
    memcpy(buf, t ? t : "", len);
    buf[len] = '\0';
}

int64_t sq_col_day(struct db_stmt *st, int i, int64_t open_value)
{
    const char *t = db_col_text(st, i);
    struct ymd d;
    if (!t || ymd_parse(t, &d, "date", NULL)) return open_value;
    return ymd_to_days(d);
}

/* --- migrations --- */

/* The migrations of the connection's SQL dialect (generated from migrations/ and
 * migrations/pg/). */
static void migrations_of(struct store *s, const struct sq_migration **list, int *n)
{
    if (db_kind(s->db) == DB_POSTGRES) {
        *list = pg_migrations;
        *n = pg_migrations_count;
    } else {
        *list = sq_migrations;
        *n = sq_migrations_count;
    }
}

static const char SQL_HAS_MIGRATIONS_SQLITE[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
static const char SQL_HAS_MIGRATIONS_PG[] =
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
    "table_name = 'schema_migrations'";
static const char SQL_MIGRATIONS[] = "SELECT version, name FROM schema_migrations ORDER BY version";

/* Reads the applied migrations: *version = highest (0 when none), and checks each against
 * the embedded list (same name; nothing newer than this program knows). */
static int read_schema(struct store *s, int *version, struct err *e)
{
    *version = 0;
    const struct sq_migration *list;
    int count;
    migrations_of(s, &list, &count);
    struct db_stmt *st = NULL;
    int rc = sq_prep(
        s, db_kind(s->db) == DB_POSTGRES ? SQL_HAS_MIGRATIONS_PG : SQL_HAS_MIGRATIONS_SQLITE, &st,
        e);
    if (rc) return rc;
    int step = db_step(st);
    int exists = step == DB_ROW && db_col_int64(st, 0) > 0;
    if (step != DB_ROW) rc = sq_fail(s, step, "database: reading the schema", e);
    sq_done(s, st);
    if (rc || !exists) return rc;
    if ((rc = sq_prep(s, SQL_MIGRATIONS, &st, e))) return rc;
    int known = count ? list[count - 1].version : 0;
    int code = 0;
    while (!code && (step = db_step(st)) == DB_ROW) {
        int v = (int)db_col_int64(st, 0);
        const char *name = db_col_text(st, 1);
        const struct sq_migration *m = NULL;
        for (int i = 0; i < count; i++)
            if (list[i].version == v) m = &list[i];
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
    if (!code && step != DB_DONE) code = sq_fail(s, step, "database: reading schema_migrations", e);
    sq_done(s, st);
    return code;
}

/* Applies the migrations newer than the database's version, all in one transaction. */
static int migrate(struct store *s, struct err *e)
{
    const struct sq_migration *list;
    int count;
    migrations_of(s, &list, &count);
    if (!count)
        return err_set(e, ERR_INVALID, "db", "database: this cchc has no migrations for %s",
                       db_kind(s->db) == DB_POSTGRES ? "PostgreSQL" : "SQLite");
    int version, rc = read_schema(s, &version, e);
    if (rc) return rc;
    int known = list[count - 1].version;
    if (version >= known) return 0;
    if (db_begin(s->db, 1)) return sq_fail(s, DB_ERROR, "database: starting the migration", e);
    rc = sq_exec(s,
                 "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                 e);
    if (!rc) rc = read_schema(s, &version, e); /* another process may have migrated meanwhile */
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    for (int i = 0; !rc && i < count; i++) {
        const struct sq_migration *m = &list[i];
        if (m->version <= version) continue;
        if ((rc = sq_exec(s, m->sql, e))) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e ? e->msg : "");
            rc = err_set(e, ERR_IO, "db", "database: migration %s failed: %s", m->name, why);
            break;
        }
        char sql[200];
        snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, '%s', '%s')",
                 m->version, m->name, now); /* the name is ours: NNN_[A-Za-z0-9_]+.sql */
        rc = sq_exec(s, sql, e);
    }
    if (!rc && db_commit(s->db)) rc = sq_fail(s, DB_ERROR, "database: committing the migration", e);
    if (rc) db_rollback(s->db);
    return rc;
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
    *out = NULL;
    struct store *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    const char *pl = getenv("CCHC_PROVINCE_LOCK");
    s->prov_lock_off = pl && !strcmp(pl, "0");
    int rc = db_open(url_or_path, &s->db, e);
    if (!rc && (flags & STORE_OPEN_NO_MIGRATE)) {
        /* Only a database without any schema yet (just created) gets it here; an older
         * schema is the caller's to upgrade (store_migrate, after a backup). */
        int version = 0;
        if (!(rc = read_schema(s, &version, e)) && !version) rc = migrate(s, e);
    } else if (!rc) {
        rc = migrate(s, e);
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s) return;
    for (int i = 0; i < s->ncache; i++)
        db_finalize(s->cache[i].st);
    db_close(s->db);
    sq_scope_free(s);
    sq_units_copy_free(s);
    sq_proc_memo_free(s);
    sq_contact_memo_free(s);
    free(s->dossier_memo);
    free(s->stats_log);
    free(s);
}

static const char SQL_UNITS_VERSION[] = "SELECT n FROM units_version WHERE id = 1";

/* PostgreSQL, in a server whose store_watch listens: the reference epoch (watch.c) and this
 * process's commits now, 0 and 0 when no watch listens. */
static void ref_mark(uint64_t *epoch, uint64_t *commits)
{
    int live;
    uint64_t e = sq_watch_epoch(&live);
    *epoch = live ? e : 0;
    *commits = live ? db_pg_write_commits() : 0;
}

/* Whether units_version as last read still holds beyond its read transaction (PostgreSQL): a
 * watch listened when it was read and still does, no '*' came since (any change to the units,
 * procedures or contacts notifies it, migration 055), and this process committed nothing since
 * (its own changes are not waited for as notifications). Both were taken before the read, so a
 * change that raced it moved them. */
static int ref_trusted(const struct store *s)
{
    uint64_t epoch, commits;
    ref_mark(&epoch, &commits);
    return epoch && s->units_version_epoch == epoch && s->units_version_commits == commits;
}

int sq_units_version(struct store *s, int64_t *version, struct err *e)
{
    /* Kept only inside a read transaction (store_read): there the data version is the
     * snapshot's. Outside one each statement takes a new snapshot; inside a write
     * transaction the counter moves with changes that may be rolled back. A driver that cannot
     * tell the data version (PostgreSQL: 0) keeps it for the rest of the read transaction it
     * was read in: store_read's transaction there is REPEATABLE READ (db_pg.c, pg_begin), one
     * snapshot for all its statements, so the counter cannot move within it. */
    int reading = sq_in_read_tx(s);
    int pg = db_kind(s->db) == DB_POSTGRES;
    unsigned dv = reading && !pg ? db_data_version(s->db) : 0;
    if (reading && s->units_version_ok &&
        (pg ? s->units_version_gen == s->read_gen || ref_trusted(s)
            : dv && dv == s->units_version_dv)) {
        s->units_version_gen = s->read_gen;
        *version = s->units_version;
        return 0;
    }
    uint64_t epoch = 0, commits = 0;
    if (pg) ref_mark(&epoch, &commits); /* before the read (ref_trusted) */
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_UNITS_VERSION, &st, e), step;
    if (rc) return rc;
    if ((step = db_step(st)) == DB_ROW)
        *version = db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "reading units_version", e);
    sq_done(s, st);
    /* The query started the snapshot if none was: its data version now. */
    s->units_version_ok = 0;
    if (!rc && reading && (pg || (dv = db_data_version(s->db)))) {
        s->units_version_ok = 1;
        s->units_version_dv = dv;
        s->units_version_gen = s->read_gen;
        s->units_version = *version;
        s->units_version_epoch = epoch;
        s->units_version_commits = commits;
    }
    return rc;
}

uint64_t store_own_commits(void)
{
    return db_pg_write_commits() + db_sqlite_write_commits();
}

int store_change_mark(struct store *s, uint64_t *mark, struct err *e)
{
    if (!sq_in_read_tx(s))
        return err_set(e, ERR_INTERNAL, "store", "store_change_mark outside store_read");
    if (db_kind(s->db) == DB_POSTGRES) { /* nothing to read: store_own_commits, store_watch */
        *mark = 0;
        return 0;
    }
    int64_t v;
    int rc = sq_units_version(s, &v, e); /* starts the snapshot if none was */
    if (rc) return rc;
    unsigned dv = db_data_version(s->db);
    if (!dv) return err_set(e, ERR_INTERNAL, "store", "no read snapshot for the data version");
    *mark = dv;
    return 0;
}

int sq_ref_version(struct store *s, int64_t *version, struct err *e)
{
    if (s->tx_depth > 0 || (!s->reading && db_in_tx(s->db))) return 0;
    int rc = sq_units_version(s, version, e);
    return rc ? -rc : 1;
}

int sq_units_version_wanted(struct store *s)
{
    if (!s->reading || db_kind(s->db) != DB_POSTGRES ||
        (s->units_version_ok && s->units_version_gen == s->read_gen))
        return 0;
    ref_mark(&s->pending_epoch, &s->pending_commits); /* before the statement that reads it */
    return 1;
}

void sq_units_version_seen(struct store *s, int64_t version)
{
    if (!s->reading || db_kind(s->db) != DB_POSTGRES ||
        (s->units_version_ok && s->units_version_gen == s->read_gen))
        return;
    s->units_version_ok = 1;
    s->units_version_dv = 0;
    s->units_version_gen = s->read_gen;
    s->units_version = version;
    s->units_version_epoch = s->pending_epoch;
    s->units_version_commits = s->pending_commits;
}

int sq_in_read_tx(struct store *s)
{
    return s->reading;
}

int64_t store_pages_written(struct store *s)
{
    int cur = 0, hi = 0;
    sqlite3 *h = db_sqlite_handle(s->db);
    if (h) sqlite3_db_status(h, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
    return cur;
}

int store_page_cache(struct store *s, long mib, struct err *e)
{
    if (!db_sqlite_handle(s->db)) return 0; /* PostgreSQL: the server's shared_buffers */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%ld", mib * 1024); /* negative: KiB */
    if (db_exec(s->db, sql))
        return err_set(e, ERR_IO, "db", "setting the page cache to %ld MiB failed", mib);
    return 0;
}

int sq_row_province(struct store *s, const char *sql, int64_t id, const char *what, char *out,
                    size_t n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW)
        sq_col_text(st, 0, out, n);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, what, "%s #%lld does not exist", what, (long long)id);
    else
        rc = sq_fail(s, step, "reading the province", e);
    sq_done(s, st);
    return rc;
}

int sq_lock_province(struct store *s, const char *sql, const char *key, char *out, size_t n)
{
    struct db_stmt *st;
    int found = 0;
    out[0] = '\0';
    if (db_kind(s->db) != DB_POSTGRES || !key || sq_prep(s, sql, &st, NULL)) return 0;
    db_bind_text(st, 1, key);
    if (db_step(st) == DB_ROW) {
        sq_col_text(st, 0, out, n);
        found = db_step(st) == DB_DONE;
    }
    sq_done(s, st);
    if (!found) out[0] = '\0';
    return found && out[0];
}

int sq_tx_keyed(struct store *s, const char *sql, const char *key, store_tx_fn fn, void *ctx,
                struct err *e)
{
    char prov[UNIT_CODE_MAX] = "";
    if (!store_in_tx(s)) sq_lock_province(s, sql, key, prov, sizeof prov);
    return store_tx_province(s, prov, fn, ctx, e);
}

static const char SQL_DIGI_BLOB_PUT[] =
    "INSERT INTO digi_blobs (sha256, size, content, province) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (sha256, province) DO NOTHING";
static const char SQL_PAR_BLOB_PUT[] =
    "INSERT INTO par_blobs (sha256, size, content, province) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (sha256, province) DO NOTHING";

int sq_blob_put(struct store *s, enum sq_blob_store store, const char *sha256, const void *data,
                int64_t size, const char *province, const char *what, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prov_guard(s, province, e);
    if (rc ||
        (rc = sq_prep(s, store == SQ_DIGI_BLOBS ? SQL_DIGI_BLOB_PUT : SQL_PAR_BLOB_PUT, &st, e)))
        return rc;
    db_bind_text(st, 1, sha256);
    db_bind_int64(st, 2, size);
    db_bind_blob(st, 3, data, (size_t)size);
    db_bind_text(st, 4, province);
    rc = sq_step_done(s, st, what, e);
    sq_done(s, st);
    return rc;
}

int store_url_is_pg(const char *db)
{
    return db_url_is_pg(db);
}

int store_group_commit(struct store *s, struct err *e)
{
    return db_group_commit(s->db, e);
}

void store_group_commit_counts(uint64_t *commits, uint64_t *syncs)
{
    db_group_commit_counts(commits, syncs);
}

int store_schema_version(struct store *s, int *db_version, int *known_version, struct err *e)
{
    *known_version = sq_migrations_count ? sq_migrations[sq_migrations_count - 1].version : 0;
    return read_schema(s, db_version, e);
}

/* --- transactions --- */

/* After a failed COMMIT with a deferred foreign key, names one dangling reference (SQLite;
 * PostgreSQL's own message names it). */
static void explain_fk(struct store *s, struct err *e)
{
    struct db_stmt *st = NULL;
    if (db_kind(s->db) != DB_SQLITE || db_error_class(s->db) != DBE_FOREIGN_KEY ||
        db_prepare(s->db, "PRAGMA foreign_key_check", &st))
        return;
    if (db_step(st) == DB_ROW)
        err_set(e, ERR_CONFLICT, "",
                "commit refused: a row of %s (rowid %lld) refers to a missing row of %s",
                db_col_text(st, 0), (long long)db_col_int64(st, 1), db_col_text(st, 2));
    db_finalize(st);
}

static int tx_end(struct store *s, int depth, int rc, struct err *e)
{
    if (depth > 0) {
        if (!rc) {
            if (!db_release(s->db, depth)) return 0;
            rc = sq_fail(s, DB_ERROR, "releasing a savepoint", e);
        }
        db_rollback_to(s->db, depth);
        return rc;
    }
    if (!rc) {
        if (!db_commit(s->db)) return 0;
        if (db_error_class(s->db) == DBE_FOREIGN_KEY)
            rc = err_set(e, ERR_CONFLICT, "", "commit refused: %s", db_errmsg(s->db));
        else
            rc = sq_fail(s, DB_ERROR, "commit failed", e);
        explain_fk(s, e);
    }
    db_rollback(s->db);
    return rc;
}

int sq_prov_guard(struct store *s, const char *prov, struct err *e)
{
    if (s->tx_depth == 0 || !s->lock_prov[0] || !strcmp(prov ? prov : "", s->lock_prov)) return 0;
    s->prov_cross = 1;
    return err_set(e, ERR_CONFLICT, "province",
                   "a write for province '%s' in a transaction of province '%s' (run again "
                   "under the exclusive lock)",
                   prov ? prov : "", s->lock_prov);
}

/* BEGIN under the lock lock_prov names: store_tx_shared's, a province's, or ("") the
 * exclusive one. */
static int tx_begin(struct store *s)
{
    if (!strcmp(s->lock_prov, SQ_LOCK_SHARED)) return db_begin_shared(s->db);
    return s->lock_prov[0] ? db_begin_province(s->db, s->lock_prov) : db_begin(s->db, 1);
}

/* store_tx, and store_tx_province with province (NULL at depth 0: the exclusive lock). */
static int tx_run(struct store *s, const char *province, store_tx_fn fn, void *ctx, struct err *e)
{
    int depth = s->tx_depth, rc;
    if (depth == 0) { /* the memos live within one outer transaction */
        s->prov_id = 0;
        s->root_unit[0] = '\0';
        s->prov_cross = 0;
        snprintf(s->lock_prov, sizeof s->lock_prov, "%s", province ? province : "");
    }
    if (depth == 0)
        rc = tx_begin(s) ? sq_fail(s, DB_ERROR, "starting a transaction", e) : 0;
    else if (province && (rc = sq_prov_guard(s, province, e)))
        ; /* a nested store_tx_province of another province */
    else if (!(rc = tx_alive(s, e)))
        rc = db_savepoint(s->db, depth) ? sq_fail(s, DB_ERROR, "starting a savepoint", e) : 0;
    if (rc) {
        if (depth == 0) s->lock_prov[0] = '\0';
        return rc;
    }
    size_t stats_n = s->stats_n, stats_f = s->stats_f;
    struct sq_heads heads = s->heads;
    s->tx_depth++;
    rc = fn(s, ctx, e);
    if (rc && e && !e->msg[0]) err_set(e, rc, "", "transaction aborted (code %d)", rc);
    if (!rc) rc = tx_alive(s, e);
    /* the statistics of the whole transaction, merged per row, and the audit head, written
     * once before COMMIT */
    if (!rc && depth == 0 && !(rc = sq_stats_flush(s, e))) rc = sq_head_flush(s, e);
    /* a guard refused a write that a caller went on without: the transaction is not whole */
    if (!rc && depth == 0 && s->prov_cross)
        rc = err_set(e, ERR_CONFLICT, "province", "a write for another province");
    s->tx_depth--;
    rc = tx_end(s, depth, rc, e);
    if (rc) { /* rolled back: what this level added, or wrote, is gone from the tables */
        s->stats_n = stats_n;
        s->stats_f = stats_f;
        s->heads = heads;
    }
    if (depth == 0) { /* other connections may append now */
        s->heads.id_read = 0;
        s->heads.n = 0;
    }
    /* With no savepoint open, no rollback can return to the entries already written. */
    if (depth <= 1 && s->stats_f == s->stats_n) s->stats_n = s->stats_f = 0;
    if (depth == 0) s->lock_prov[0] = '\0';
    return rc;
}

int store_tx(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    /* nested: the outer transaction's mode, whichever it is */
    return tx_run(s, NULL, fn, ctx, e);
}

int store_tx_province(struct store *s, const char *province, store_tx_fn fn, void *ctx,
                      struct err *e)
{
    if (!province || !*province || s->prov_lock_off) return store_tx(s, fn, ctx, e);
    if (strlen(province) >= sizeof s->lock_prov)
        return err_set(e, ERR_INVALID, "province", "province '%s': too long", province);
    int rc = tx_run(s, province, fn, ctx, e);
    if (s->tx_depth > 0 || !rc || !s->prov_cross) return rc;
    /* a write outside the province (or a nested transaction of another one): everything was
     * rolled back; once more, alone */
    s->prov_cross = 0;
    err_clear(e);
    return tx_run(s, NULL, fn, ctx, e);
}

int store_tx_shared(struct store *s, store_tx_fn fn, void *ctx, struct err *e)
{
    if (s->tx_depth > 0) return store_tx(s, fn, ctx, e);
    return store_tx_province(s, SQ_LOCK_SHARED, fn, ctx, e);
}

const struct store_backend *store_backend(struct store *s)
{
    (void)s; /* one backend so far: struct store is SQLite's (store_int.h) */
    return &sqlite_backend;
}

int store_in_tx(struct store *s)
{
    return s->tx_depth > 0;
}
