/* db.h — the database driver under the store: one connection, prepared statements with numbered
 * parameters, rows of typed columns, and the error classes the store maps to its own codes.
 * Two drivers implement it: SQLite (db_sqlite.c) and PostgreSQL through libpq (db_pg.c). The
 * store's row operations (sqlite*.c today) are written once in the SQL both understand, and
 * pick a dialect's text only where the two differ (db_kind).
 *
 * SQL. Parameters are written ?1, ?2 … (or ? for "the next one", as SQLite counts them); the
 * PostgreSQL driver turns them into $1, $2 … outside string literals, quoted identifiers and
 * comments. Parameters are sent as text (blobs as binary), so the server infers their types
 * from the statement: a parameter that appears only as `?N IS NULL` needs a CAST.
 *
 * Lifetimes. A bound text or blob must stay valid until the statement's first db_step after
 * binding (db_bind_text_copy copies it). A column's text or blob stays valid until the next
 * db_step, db_reset or db_finalize of its statement.
 *
 * Errors. db_step returns DB_ROW, DB_DONE or DB_ERROR; db_exec and db_prepare return 0 or
 * DB_ERROR. After DB_ERROR, db_error_class and db_errmsg describe the connection's last error. */
#ifndef CCHC_DB_H
#define CCHC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum db_kind { DB_SQLITE = 1, DB_POSTGRES = 2 };

#define DB_ROW   100
#define DB_DONE  101
#define DB_ERROR 1

/* What kind of failure the last error was. */
enum db_error_class {
    DBE_OTHER = 0,   /* anything else: I/O, corruption, syntax, protocol */
    DBE_CONSTRAINT,  /* a UNIQUE, CHECK or NOT NULL rule refused the write */
    DBE_FOREIGN_KEY, /* a FOREIGN KEY rule refused the write (PostgreSQL: SQLSTATE 23503) */
    DBE_BUSY,        /* a lock could not be taken in time (SQLite busy timeout, PG lock timeout) */
    DBE_SERIALIZE,   /* PostgreSQL: serialization failure or deadlock; retrying may succeed */
};

struct db;      /* one connection */
struct db_stmt; /* one prepared statement of a connection */

/* Whether url names a PostgreSQL database ("postgres://…" or "postgresql://…"). */
int db_url_is_pg(const char *url);
/* Opens a connection: "postgres://…" / "postgresql://…" (libpq's connection URI) with the
 * PostgreSQL driver, anything else ("sqlite:PATH[?synchronous=normal]", a plain path) with
 * SQLite (creating the file if needed). ERR_IO naming the cause when it fails. */
int db_open(const char *url, struct db **out, struct err *e);
void db_close(struct db *d);
enum db_kind db_kind(const struct db *d);

/* Prepares one statement. */
int db_prepare(struct db *d, const char *sql, struct db_stmt **out);
/* Runs SQL without results; may hold several statements separated by ';' (migrations). */
int db_exec(struct db *d, const char *sql);
void db_finalize(struct db_stmt *st);
/* Makes st ready to run again with new bindings (the old ones are cleared). */
void db_reset(struct db_stmt *st);
int db_step(struct db_stmt *st);

/* Parameters are 1-based. */
void db_bind_null(struct db_stmt *st, int i);
void db_bind_int64(struct db_stmt *st, int i, int64_t v);
/* t NULL binds NULL; "" binds an empty text. */
void db_bind_text(struct db_stmt *st, int i, const char *t);
void db_bind_text_copy(struct db_stmt *st, int i, const char *t);
void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n);

/* Columns are 0-based. An integer column read as text gives its decimal digits; a NULL reads
 * as 0, NULL or an empty blob. PostgreSQL's booleans read as 1 and 0. */
int db_col_null(struct db_stmt *st, int i);
int64_t db_col_int64(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i);
const void *db_col_blob(struct db_stmt *st, int i);
size_t db_col_bytes(struct db_stmt *st, int i);
int db_col_count(struct db_stmt *st);

/* Rows changed by the last INSERT, UPDATE or DELETE of the connection. */
int64_t db_changes(struct db *d);
enum db_error_class db_error_class(struct db *d);
const char *db_errmsg(struct db *d);

/* Transactions. db_begin(write = 1) starts a transaction that will write: on SQLite BEGIN
 * IMMEDIATE (the write lock at once), on PostgreSQL BEGIN plus a transaction-level advisory
 * lock that serialises writers as SQLite does, so numbering, the audit chain and counters see
 * one writer at a time on either. write = 0: a read snapshot (SQLite BEGIN DEFERRED; PG
 * REPEATABLE READ, READ ONLY). Savepoints nest inside. */
int db_begin(struct db *d, int write);
/* A write transaction that writes rows of one province only (docs/province-lock.md): on
 * PostgreSQL BEGIN, the global advisory key taken SHARED (so the exclusive writers of
 * db_begin(d, 1) still exclude it, and it them), then the province's own advisory key
 * (7361, db_province_lock_key(province)) taken exclusively, so writers of one province run one
 * at a time while writers of different provinces run side by side; with group commit the
 * same synchronous_commit = off and the flush waited for after COMMIT. On SQLite, which has
 * one writer, the same as db_begin(d, 1). A lock not granted within lock_timeout: DB_ERROR
 * (DBE_BUSY) with no transaction left open. */
int db_begin_province(struct db *d, const char *province);
/* A write transaction whose every write is one statement that is atomic on its own rows, and
 * conditional on them (a claim: UPDATE … WHERE the row is still free), so that it needs no
 * writer's order: on PostgreSQL BEGIN and the global advisory key taken SHARED only (the
 * exclusive writers of db_begin(d, 1) still exclude it; the province writers and it do not
 * wait for each other); on SQLite the same as db_begin(d, 1). */
int db_begin_shared(struct db *d);
/* The second half of a province's advisory key (the first is 7361, the global key): FNV-1a
 * (32 bits) of the province code's bytes, folded to 31 bits ((h >> 31) ^ h, masked) so it is
 * a non-negative int4 that every process of one release computes alike. Two provinces whose
 * keys collide only serialise together. */
int32_t db_province_lock_key(const char *province);
int db_commit(struct db *d);
int db_rollback(struct db *d);
int db_savepoint(struct db *d, int depth);
int db_release(struct db *d, int depth);
int db_rollback_to(struct db *d, int depth);
/* 1 while a transaction is open on the connection. */
int db_in_tx(struct db *d);

/* A counter that changes whenever another connection commits (SQLite's data version), for
 * caches that stay valid while nothing changed; 0 when the driver cannot tell (PostgreSQL),
 * and then callers must re-read. */
unsigned db_data_version(struct db *d);

/* The SQLite handle of an SQLite connection (NULL for PostgreSQL): for SQLite-only features
 * (the online backup API, status counters). */
struct sqlite3;
struct sqlite3 *db_sqlite_handle(struct db *d);

/* PostgreSQL's COPY … FROM STDIN on a PostgreSQL connection (`cchc migrate --to`, copy.c):
 * db_pg_copy_begin runs the COPY statement, db_pg_copy_put sends data in COPY's text format
 * (rows ending in a newline; it may split a row), db_pg_copy_end ends it and takes the
 * result. Each returns 0 or DB_ERROR (db_errmsg says why; after an error of begin or put,
 * call end, which returns the server's error). DB_ERROR from every call on a connection that
 * is not PostgreSQL's. */
int db_pg_copy_begin(struct db *d, const char *sql);
int db_pg_copy_put(struct db *d, const char *buf, size_t n);
int db_pg_copy_end(struct db *d);

/* How many writes this process has committed on PostgreSQL (any connection): a statement that
 * changed rows in autocommit, or the COMMIT of a transaction that changed rows. It moves right
 * after the commit returns, before the caller can answer for it (the read cache's check of its
 * own server's writes, src/http/readcache.h). */
uint64_t db_pg_write_commits(void);
/* The same on SQLite: commits (or statements outside a transaction) that changed rows. */
uint64_t db_sqlite_write_commits(void);

/* Group commit across connections (docs/scale.md). On SQLite: the connection's commits stop
 * waiting for their own fsync inside COMMIT (synchronous=NORMAL, WAL), and instead, once the
 * commit has released the write lock, wait in a group sync of the WAL file shared by every
 * connection of this process to the same database: one of them syncs the WAL, and every
 * commit that had completed when that sync began returns from COMMIT only then. So a commit
 * that returned success is on disk, as with synchronous=FULL, while many commits share one
 * fsync. A failed sync fails the COMMIT that waited for it (the transaction took place but is
 * not known durable: the caller must not acknowledge it) and every later one of the group.
 * Checkpoints (at 1000 WAL pages, as SQLite's default) run after the sync. Must be called
 * outside a transaction. On PostgreSQL: a writer's transaction (db_begin(d, 1)) commits with
 * synchronous_commit off, which releases the advisory write lock before the WAL flush, and
 * db_commit then waits for a flush past its commit record outside the lock, where the server
 * shares one flush among concurrent commits; db_commit succeeds only once the commit is on
 * disk, as before. Autocommit statements outside a transaction still flush alone. */
int db_group_commit(struct db *d, struct err *e);
/* Commits waited for through group commit in this process, and the WAL syncs that made them
 * durable (syncs < commits when commits shared a sync). On PostgreSQL syncs counts the
 * flushes this process asked for because its commit was not flushed yet: an upper bound, as
 * the server may share them further. */
void db_group_commit_counts(uint64_t *commits, uint64_t *syncs);

#endif
