/* sqlite_int.h — shared internals of the SQLite backend (sqlite*.c only; callers use
 * store.h). The statement cache, error mapping and bind/column helpers live in sqlite.c. */
#ifndef CCHC_SQLITE_INT_H
#define CCHC_SQLITE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "store_int.h"

/* One embedded migration (generated at build time from migrations/NNN_*.sql). */
struct sq_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct sq_migration sq_migrations[];
extern const int sq_migrations_count;
/* PostgreSQL's versions of the same migrations (migrations/pg/, same versions and names). */
extern const struct sq_migration pg_migrations[];
extern const int pg_migrations_count;

#define SQ_CACHE_MAX 256 /* prepared statements kept; the store uses ~65 today */

struct sq_cached {
    const char *key; /* the SQL text's address: statements are static strings */
    struct db_stmt *st;
    int busy; /* handed out and not yet given back by sq_done */
};

struct sq_stats_entry; /* sqlite_stats.c */

/* A scope store_unit_scope read (sqlite_units.c), valid while units_version.n is version
 * (migration 007). */
#define SQ_SCOPE_CACHE 8
struct sq_scope {
    char root[UNIT_CODE_MAX];
    int64_t day, version;
    int n;          /* units */
    struct unit *u; /* malloc'd; NULL: the slot is empty */
    int pinned;     /* being handed out: a nested call must not replace it */
};

/* A copy of the units table (sqlite_units.c): store_unit_get and store_unit_root answer from it
 * outside a write transaction while units_version.n is version (migration 007), so a request
 * that asks for a hundred units (the dashboard, the 766 index) reads them in one statement
 * instead of a hundred, which on PostgreSQL are as many round trips. */
struct sq_unit_ent {
    char code[UNIT_CODE_MAX];
    enum unit_kind kind;
    int64_t valid_from, valid_to;
    uint32_t name, parent, successor, ident_code, province; /* offsets into pool */
    int32_t parent_i, successor_i;                          /* their entries; -1: none */
};
struct sq_units_copy {
    int loaded;
    int64_t version;
    size_t n;
    struct sq_unit_ent *ent; /* malloc'd, in code order (strcmp) */
    char *pool;              /* malloc'd: the entries' strings, each NUL-terminated */
};

/* The audit heads cached in a transaction (struct store's heads): a transaction appends to
 * one province's chain, or to a few (the seed, imports); when the slots run out the moved
 * ones are written and the slots reused. */
#define SQ_HEADS_MAX 8
struct sq_heads {
    int id_read;     /* last_id holds the log's last event id */
    int64_t last_id; /* the last event id in the whole log */
    int n;
    struct sq_head {
        char province[UNIT_CODE_MAX];
        int64_t id;             /* the province's last event (the genesis's: none yet) */
        unsigned char hash[32]; /* SHA-256: the link its next event chains on */
        int moved;              /* not in audit_head yet */
    } h[SQ_HEADS_MAX];
};

struct store {
    struct db *db;
    int reading;       /* inside store_read's read transaction */
    uint64_t read_gen; /* store_read's read transactions begun: one snapshot each */
    int tx_depth;      /* nesting of store_tx: 0 outside, 1 in the outer transaction */
    int ncache;
    struct sq_cached cache[SQ_CACHE_MAX];
    /* Statistics deltas of the current outer transaction (sqlite_stats.c): entries [0,
     * stats_f) are in the tables already, [stats_f, stats_n) wait for sq_stats_flush, which
     * store_tx runs before COMMIT. A nested store_tx that rolls back restores both counts. */
    struct sq_stats_entry *stats_log;
    size_t stats_n, stats_f, stats_cap;
    /* The audit log during an outer transaction (sqlite_dossiers.c): the last event id
     * (events are numbered after it) and the heads of the provinces' chains it asked for
     * (migration 049): events chain on them in memory and audit_head gets the moved ones
     * once, from sq_head_flush before COMMIT. A nested store_tx that rolls back restores
     * them with the events it takes back. */
    struct sq_heads heads;
    struct sq_scope scope[SQ_SCOPE_CACHE];
    int scope_next; /* the slot the next new scope replaces */
    /* units_version (migration 007) as last read, and SQLite's data version then: while the
     * data version stays the same nothing was committed anywhere, so it still holds. */
    int units_version_ok;
    unsigned units_version_dv;
    int64_t units_version;
    /* PostgreSQL, which has no data version: the read transaction (read_gen) it was read in,
     * one REPEATABLE READ snapshot (db_pg.c), so it holds until that transaction ends. */
    uint64_t units_version_gen;
    /* Beyond that transaction, in a process whose store_watch listens (watch.c): while no
     * notification of a reference change ('*') came and this process committed nothing since
     * it was read (both taken before the read), it still holds (sq_ref_trusted). */
    uint64_t units_version_epoch, units_version_commits;
    uint64_t pending_epoch, pending_commits; /* taken by sq_units_version_wanted */
    struct sq_units_copy units;
    /* The procedures store_procedure_get_on read (procedure_admin.c), valid while
     * units_version is the one they were read at (migrations 007 and 052). */
    struct sq_proc_memo *proc_memo; /* SQ_PROC_MEMO slots, allocated on first use */
    int proc_memo_next;             /* the slot the next new procedure replaces */
    /* The answers of store_unit_contact_find (sqlite_units.c), valid the same way (migration
     * 052 counts the changes to unit_contacts too). */
    struct sq_contact_memo *contact_memo; /* SQ_CONTACT_MEMO slots, allocated on first use */
    int contact_memo_next;
    /* The province of the dossier last inserted or asked for in the current outer
     * transaction (sq_dossier_province); prov_id 0: none. */
    int64_t prov_id;
    char prov[UNIT_CODE_MAX];
    /* The root of the unit last asked for in the current outer transaction (sq_unit_root);
     * root_unit "": none. */
    char root_unit[UNIT_CODE_MAX], root[UNIT_CODE_MAX];
    /* The dossier last read by code inside store_read's read transaction dossier_gen (its
     * read_gen; 0: none) with its deciding unit: one snapshot gives the same row again, so a
     * request that asks for it several times (the citizen's lookup: the dossier, its records,
     * its rating; an officer's: the dossier, its deciding unit) reads it once. */
    uint64_t dossier_gen;
    struct dossier *dossier_memo; /* allocated on first use */
    char dossier_decider[UNIT_CODE_MAX];
    /* The province whose write lock the current outer transaction holds (store_tx_province,
     * docs/province-lock.md); "": the exclusive global lock, or no transaction. prov_cross: a
     * write of that transaction named another province (sq_prov_guard), so it must be rolled
     * back and run again under the exclusive lock. prov_lock_off: CCHC_PROVINCE_LOCK=0 in the
     * environment when the store was opened, every province transaction runs exclusive (for
     * measuring the difference). */
    char lock_prov[UNIT_CODE_MAX]; /* SQ_LOCK_SHARED: store_tx_shared's transaction */
    int prov_cross;
    int prov_lock_off;
};

/* The guard of a province transaction (docs/province-lock.md, 3.3): 0 when the current
 * transaction may write rows of prov (it holds the exclusive lock, or prov's own); otherwise
 * it marks the transaction cross-province and returns ERR_CONFLICT, and store_tx_province
 * rolls it back and runs it again under the exclusive lock. Called where a province is bound
 * for a write, or a chain head is read for one. */
int sq_prov_guard(struct store *s, const char *prov, struct err *e);
/* lock_prov of a store_tx_shared transaction: no province's code (codes are letters, digits
 * and dots), so the guard refuses every province there (the rerun under the exclusive lock). */
#define SQ_LOCK_SHARED "*"

/* The province a write transaction locks (store_tx_province), read before its BEGIN by sql,
 * which selects the immutable province column of the rows whose key is ?1 ("SELECT province
 * FROM t WHERE k = ?1 LIMIT 2"): 1 with it in out when exactly one row has key, else 0 with
 * out "" (none, two, or the read failed: the exclusive lock, which answers as before). On
 * SQLite, 0 at once without the statement (one writer, no lock per province). Callers inside
 * an open transaction do not ask (the outer transaction's lock). */
int sq_lock_province(struct store *s, const char *sql, const char *key, char *out, size_t n);
/* fn in a transaction under the lock of the province sq_lock_province finds for key (none
 * looked up inside an open transaction: the outer one's lock). */
int sq_tx_keyed(struct store *s, const char *sql, const char *key, store_tx_fn fn, void *ctx,
                struct err *e);

/* store_unit_root, remembered for the last unit within one outer transaction (the unit tree
 * cannot change under its write lock): a transition's dossier, counters and steps ask for
 * the same unit's province several times. */
int sq_unit_root(struct store *s, const char *unit, char *out, size_t n, struct err *e);

/* The province (migrations 036–041) of row id as sql ("SELECT province FROM t WHERE id = ?1")
 * reads it, for the rows that hang on it, which carry it; ERR_NOT_FOUND naming what when
 * there is no such row. */
int sq_row_province(struct store *s, const char *sql, int64_t id, const char *what, char *out,
                    size_t n, struct err *e);
/* The province of dossier id (migration 037), which every row hanging on it carries: from
 * the transaction's memo, or read. */
int sq_dossier_province(struct store *s, int64_t id, char *out, size_t n, struct err *e);
/* The deciding unit of dossier code (dossiers.decider_unit, "" when none) from the read
 * transaction's memo (struct store, dossier_memo): 1 if it had it, else 0. */
int sq_dossier_memo_decider(struct store *s, const char *code, char out[UNIT_CODE_MAX]);

/* The content stores: digi_blobs (a dossier's digitised files and results, a filing's
 * documents) and par_blobs (PAR, task, finding and initiative evidence). */
enum sq_blob_store { SQ_DIGI_BLOBS, SQ_PAR_BLOBS };
/* Keeps size bytes of data under sha256 in store, in province (the row's that refers to it: a
 * content is stored once per province, migration 046), unless it is there already; what names
 * the content in an error. */
int sq_blob_put(struct store *s, enum sq_blob_store store, const char *sha256, const void *data,
                int64_t size, const char *province, const char *what, struct err *e);

/* The unit tree's change counter (migration 007) as of the current snapshot: read, or taken
 * from the last read when inside a read transaction whose data version is unchanged. */
int sq_units_version(struct store *s, int64_t *version, struct err *e);
/* 1 if sq_units_version would read the counter now (PostgreSQL, inside a read transaction
 * that has not read it yet): a statement the read transaction runs anyway may read it along,
 * as `(SELECT n FROM units_version WHERE id = 1)`, and hand it to sq_units_version_seen, which
 * keeps it as sq_units_version would have. */
int sq_units_version_wanted(struct store *s);
/* watch.c: this process's reference epoch, which moves with every '*' notification and every
 * start or loss of listening, and whether a watch listens now. */
uint64_t sq_watch_epoch(int *live);
/* store_procedure_get of code and *from = the day of its step version in force on day (-1:
 * none), in two statements (store_procedure_get_on). */
int sq_procedure_get_on(struct store *s, const char *code, int64_t day, struct procedure *p,
                        int64_t *from, struct err *e);
void sq_units_version_seen(struct store *s, int64_t version);
/* Inside a transaction that holds no write lock (store_read's): the snapshot cannot change
 * under the caller and nothing it reads can be rolled back. */
int sq_in_read_tx(struct store *s);

/* Empties the scope cache (store_close). */
void sq_scope_free(struct store *s);
/* Whether the copies a connection keeps of the reference tables (the units, the procedures,
 * the contacts) may be read and filled now, and their version: 1 with *version set; 0 inside
 * a write transaction, where the counter moves with changes that may be rolled back (read the
 * database); -code on error. */
int sq_ref_version(struct store *s, int64_t *version, struct err *e);
/* Frees the copy of the units table (store_close). */
void sq_units_copy_free(struct store *s);
/* Frees the procedures kept by store_procedure_get_on (store_close). */
void sq_proc_memo_free(struct store *s);
/* Frees the contacts kept by store_unit_contact_find (store_close). */
void sq_contact_memo_free(struct store *s);

/* Writes the moved audit heads into audit_head; a no-op when none has moved. */
int sq_head_flush(struct store *s, struct err *e);

/* Writes the pending statistics deltas (merged per counter row) into the tables; a no-op
 * when none wait. Store functions that read the counter tables call it first. */
int sq_stats_flush(struct store *s, struct err *e);

/* Row operations of struct store_backend kept in sqlite_stats.c (sqlite_backend is in
 * sqlite_dossiers.c). */
int sq_procedure_fee_online(struct store *s, const char *code, int *has_fee,
                            enum online_mode *online, struct err *e);
int sq_stats_cells_add(struct store *s, const char *unit, const char *procedure,
                       enum dossier_channel channel, int64_t day, const int64_t *v, struct err *e);
int sq_stats_step_add(struct store *s, const char *unit, const char *officer, int step, int64_t day,
                      int late, struct err *e);

/* Returns in *st a reset statement for sql, which must be a string with static storage
 * (its address keys the cache). A statement already in use (a caller iterating over it
 * calls back into the store) gets a fresh, uncached one. Give it back with sq_done. */
int sq_prep(struct store *s, const char *sql, struct db_stmt **st, struct err *e);
/* Resets st, clears its bindings and returns it to the cache (or finalizes it). NULL ok. */
void sq_done(struct store *s, struct db_stmt *st);
/* Runs SQL without results (schema, transaction control). */
int sq_exec(struct store *s, const char *sql, struct err *e);
/* Maps an SQLite result code to an err: constraint failures -> ERR_CONFLICT, others ->
 * ERR_IO, with "what: sqlite message". Returns the err code. */
int sq_fail(struct store *s, int rc, const char *what, struct err *e);
/* Steps a statement that returns no rows; DB_DONE -> 0, else sq_fail. */
int sq_step_done(struct store *s, struct db_stmt *st, const char *what, struct err *e);

/* Steps an INSERT … RETURNING id and reads the new row's id. */
int sq_insert_id(struct store *s, struct db_stmt *st, const char *what, int64_t *id, struct err *e);
/* Binds text, or NULL when t is NULL or "". */
int sq_bind_text(struct db_stmt *st, int i, const char *t);
/* Binds a day number as "YYYY-MM-DD", or NULL for an open bound (INT64_MIN / INT64_MAX). */
int sq_bind_day(struct db_stmt *st, int i, int64_t day);
/* Copies column i as text into buf (n bytes), "" for NULL; truncation cannot happen for
 * values this program wrote (sizes are checked before writing). */
void sq_col_text(struct db_stmt *st, int i, char *buf, size_t n);
/* Reads a "YYYY-MM-DD" column, or if NULL returns open_value. */
int64_t sq_col_day(struct db_stmt *st, int i, int64_t open_value);
/* The statistics' month of a day (year * 12 + month - 1, stats_month.month) and a month's
 * first day (sqlite_stats.c). */
int64_t stats_month_of_day(int64_t day);
int64_t stats_month_first_day(int64_t month);

/* A list of codes (units given by the caller) sorted for lookup by code, each with its index in
 * the caller's list: the batched statements (efile_store.c, feedback.c) read rows for many units
 * at once and add each row to every listed unit with that code. */
struct sq_code_pos {
    const char *code;
    int i;
};
/* Sorts pos by code, then by index. */
void sq_code_pos_sort(struct sq_code_pos *pos, int n);
/* The first index in [0, n) of an array sorted by code whose code is not below `code`, n if
 * none: code_at(base, k) gives element k's code. The caller walks on while the codes equal. */
int sq_code_lower_bound(const void *base, int n, const char *(*code_at)(const void *base, int k),
                        const char *code);
/* code_at for an array of struct sq_code_pos. */
const char *sq_code_pos_at(const void *base, int k);

#endif
