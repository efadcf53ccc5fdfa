/* store.h — the one door to persistence. Callers see an opaque struct store and typed
 * functions per resource; no SQL and no backend type crosses this header, so a PostgreSQL
 * backend (pg.c) can be added behind the same functions without touching callers.
 *
 * Backends. store_open() picks the database driver from its argument (db.h): a plain path or
 * "sqlite:PATH" opens (creating if needed) an SQLite database; "postgresql://…" (or
 * "postgres://…") a PostgreSQL database through libpq. The store's code is the same for both:
 * domain decisions live above the rows (src/core, and dossiers.c, audit.c, stats_hook.c here),
 * the row operations are written once in the SQL both understand, and a driver only connects,
 * prepares, binds, steps and reads columns (docs/store.md).
 *
 * Errors. Every function returns 0 or an enum err_code and fills the caller's struct err.
 * ERR_NOT_FOUND: no such row; ERR_CONFLICT: a uniqueness, reference or state rule refuses the
 * change; ERR_IO: the database failed (disk, lock timeout, corruption); ERR_INVALID: a value
 * breaks a rule.
 *
 * Transactions (callback style). store_tx(s, fn, ctx, e) runs fn inside one transaction:
 * if fn returns 0 the transaction commits, otherwise it rolls back and store_tx returns fn's
 * code (and fn's message in e). If the commit itself fails, everything is rolled back and
 * store_tx returns ERR_IO. So a failed operation changes nothing, by construction. Calls of
 * store_tx nest: an inner store_tx is a savepoint, undone alone if its fn fails. Outside any
 * store_tx each write function is its own transaction (atomic on its own). On SQLite the
 * outer transaction is BEGIN IMMEDIATE: it takes the write lock at the start, so two
 * writers never deadlock upgrading a read lock; waiting for the lock is bounded by the busy
 * timeout (5 s), after which the call fails with ERR_IO.
 *
 * Durability. On SQLite the database runs in WAL mode with synchronous=FULL: a transaction
 * for which store_tx returned 0 survives a crash or power loss. "sqlite:PATH?synchronous=
 * normal" trades that for speed (a power loss — not a process crash — may lose the last
 * transactions); only benchmarks use it, to show the difference. With group commit
 * (store_group_commit; `cchc serve`'s group_commit option) the same holds: commits share a
 * WAL sync, and each returns only after the sync that covers it.
 *
 * Iteration. List functions call fn(row, ctx) for each row, in a documented order; the row
 * is valid only during the call. If fn returns non-zero the iteration stops and that value
 * is returned. fn may call other store functions. */
#ifndef CCHC_STORE_H
#define CCHC_STORE_H

#include <stdint.h>

#include "dossier.h"
#include "err.h"
#include "procedure.h"
#include "unit.h"
#include "user.h"

struct store;

/* --- opening, schema, transactions --- */

/* Opens the store named by url_or_path and brings its schema up to date (applies the
 * embedded migrations the database lacks, all in one transaction). A database whose schema
 * is newer than this program knows fails with ERR_CONFLICT and is left untouched. A store
 * may pass between threads but is used by one thread at a time (the HTTP server keeps a
 * pool of them); it takes no lock of its own. */
int store_open(const char *url_or_path, struct store **out, struct err *e);
/* As store_open; with STORE_OPEN_NO_MIGRATE an older schema is left as it is (a database
 * without any schema still gets it): the caller compares store_schema_version and upgrades
 * with store_migrate after taking a backup, so no command upgrades silently. */
#define STORE_OPEN_NO_MIGRATE 1u
int store_open_ex(const char *url_or_path, unsigned flags, struct store **out, struct err *e);
/* Applies the migrations the database lacks, in one transaction. */
int store_migrate(struct store *s, struct err *e);
/* Copies the database, consistently as of one instant, to a new file dest (ERR_CONFLICT if
 * it exists), while other connections go on writing (SQLite's online backup API; WAL lets
 * writers proceed). The copy is written beside dest and renamed into place once synced. */
int store_backup(struct store *s, const char *dest, struct err *e);
/* Replaces the database named by url_or_path with the copy in file src (the online backup
 * API again, so connections still open on it see the new content). */
int store_restore(const char *src, const char *url_or_path, struct err *e);
/* Closes the store; NULL is fine. Must not be called inside store_tx. */
void store_close(struct store *s);

/* The schema version the database is at (the highest applied migration number), and the
 * highest this program knows. */
int store_schema_version(struct store *s, int *db_version, int *known_version, struct err *e);

/* Group commit (docs/scale.md): on SQLite, this store's commits share WAL syncs with the
 * other stores of the process on the same file, and a transaction still returns success only
 * once it is on disk (db_group_commit in db.h); on PostgreSQL nothing to do (the server
 * groups commits). Call right after store_open, outside a transaction. */
int store_group_commit(struct store *s, struct err *e);
/* Whether db names a PostgreSQL database ("postgres://…" or "postgresql://…"), not a file. */
int store_url_is_pg(const char *db);
/* The connection's page cache, in MiB (SQLite's default is 2 MiB). A bulk writer whose
 * indexes outgrow the default re-reads their pages through the kernel on every insert
 * (`cchc seed` at 200,000 dossiers: half its system time); nothing to do on PostgreSQL. */
int store_page_cache(struct store *s, long mib, struct err *e);
/* The process's group-commit counters: commits made durable through it, and WAL syncs. */
void store_group_commit_counts(uint64_t *commits, uint64_t *syncs);

typedef int (*store_tx_fn)(struct store *s, void *ctx, struct err *e);
/* Runs fn in one transaction (see the header comment). */
int store_tx(struct store *s, store_tx_fn fn, void *ctx, struct err *e);
/* The same for a transaction that writes rows of one province only (docs/province-lock.md):
 * on PostgreSQL it takes that province's write lock under the global one taken shared
 * (db_begin_province), so writers of different provinces run side by side, while store_tx's
 * exclusive lock still excludes them all. Nested calls (and nested store_tx) run in the outer
 * transaction's mode; a nested call naming another province, or a write that names another
 * province (the guard, sqlite_int.h's sq_prov_guard), makes the outer call roll back and run
 * fn once more under the exclusive lock: fn must be safe to run twice, as store_tx callbacks
 * are when they change nothing outside the database before they succeed. province NULL or "":
 * store_tx. On SQLite the locks are the same (one writer), the guard and its rerun too. */
int store_tx_province(struct store *s, const char *province, store_tx_fn fn, void *ctx,
                      struct err *e);
/* The same for a transaction whose every write is one statement atomic and conditional on its
 * own rows (a claim of a message: UPDATE … WHERE it is still free), which therefore needs no
 * writer's order (db_begin_shared): on PostgreSQL the global lock taken shared only, so the
 * province writers do not wait for it nor it for them (docs/province-lock.md, R2). A guarded
 * write (an event, a counter, an outbox message enqueued: sq_prov_guard) makes it roll back
 * and run once more under the exclusive lock, as store_tx_province's cross-province write
 * does. Inside an open transaction: that transaction's mode. */
int store_tx_shared(struct store *s, store_tx_fn fn, void *ctx, struct err *e);

/* Copies an SQLite store (src) into the empty PostgreSQL database at url (schema brought up
 * to date first; both at the same version), all tables in one transaction, then compares the
 * row count of every table on both sides (ERR_IO naming a table that differs). The caller
 * verifies the audit chain on both (cchc migrate --to). */
struct store_copy_table {
    char name[64];
    int64_t copied, source, dest;
};
#define STORE_COPY_TABLES_MAX 128 /* a schema with more tables is refused, never copied in part */
struct store_copy_report {
    int ntables;
    struct store_copy_table table[STORE_COPY_TABLES_MAX];
};
int store_copy_to(struct store *src, const char *url, struct store_copy_report *r, struct err *e);

/* --- units --- */

typedef int (*unit_fn)(const struct unit *u, void *ctx);

/* Inserts the unit, or replaces the one with the same code. Checks unit_check(), and refuses
 * (ERR_CONFLICT) a parent or successor chain that would come back to the unit. The parent
 * and successor must exist when the enclosing transaction commits (checked at commit), so a
 * tree may be written in any order inside one store_tx. */
int store_unit_put(struct store *s, const struct unit *u, struct err *e);
/* Fetches one unit by code (ERR_NOT_FOUND if none). */
int store_unit_get(struct store *s, const char *code, struct unit *out, struct err *e);
/* The province of a unit: the root of its tree on the day the unit was created, kept in
 * units.province and never rewritten (migration 047), so a unit later moved under another
 * root keeps it. It is the value of the `province` column that every row written for the
 * unit keeps for good (docs/scale.md, the distribution column of the national plan). A code
 * that is not a unit is its own. */
int store_unit_root(struct store *s, const char *code, char *out, size_t n, struct err *e);
/* Deletes a unit that nothing refers to (ERR_CONFLICT if a child, successor reference or
 * other row still points at it). */
int store_unit_delete(struct store *s, const char *code, struct err *e);
/* Number of units. */
int store_unit_count(struct store *s, int64_t *n, struct err *e);

/* Children of code (roots when code is NULL or "") that exist on day as_of, by code.
 * as_of = UNIT_DAY_MIN lists children of every period. */
int store_unit_children(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                        struct err *e);
/* The unit and all its descendants that exist on day as_of, depth first in code order (a
 * parent before its children). ERR_NOT_FOUND if code does not exist. */
int store_unit_subtree(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                       struct err *e);
/* Sets (inserts or replaces) a unit's contact: unit_contact_check(), the unit must exist
 * (ERR_NOT_FOUND). */
int store_unit_contact_put(struct store *s, const struct unit_contact *c, struct err *e);
/* The contact citizens see for unit: its own, else its one-stop desk's (a child of kind desk),
 * else the nearest ancestor's. ERR_NOT_FOUND when none of these has one. */
int store_unit_contact_find(struct store *s, const char *unit, struct unit_contact *out,
                            struct err *e);
/* All units, by code; as_of as for store_unit_children. */
int store_unit_list(struct store *s, int64_t as_of, unit_fn fn, void *ctx, struct err *e);
/* Follows the successor chain from code to the unit that exists on day as_of (the unit
 * itself if it does). ERR_NOT_FOUND if the chain ends before as_of or code is unknown. A
 * dossier received by a commune merged in 2025 is thereby counted under the new commune. */
int store_unit_resolve(struct store *s, const char *code, int64_t as_of, struct unit *out,
                       struct err *e);
/* The units whose dossiers count under code on day as_of: its subtree that day plus every
 * unit merged into one of those (store_unit_predecessors, followed transitively), each once,
 * in (ident_code, code) order, so that listing their dossiers unit after unit gives dossier
 * code order. One query. ERR_NOT_FOUND if code does not exist. */
int store_unit_scope(struct store *s, const char *code, int64_t as_of, unit_fn fn, void *ctx,
                     struct err *e);
/* Units whose successor is code (the ones merged into it), by code. */
int store_unit_predecessors(struct store *s, const char *code, unit_fn fn, void *ctx,
                            struct err *e);

/* --- procedures --- */

typedef int (*procedure_fn)(const struct procedure *p, void *ctx);

/* Inserts the procedure, or replaces the one with the same code (documents and steps with
 * it). Checks procedure_check(). */
int store_procedure_put(struct store *s, const struct procedure *p, struct err *e);
/* Fetches one procedure with its documents and steps (ERR_NOT_FOUND if none). */
int store_procedure_get(struct store *s, const char *code, struct procedure *out, struct err *e);
/* Deletes a procedure (ERR_CONFLICT if dossiers refer to it). */
int store_procedure_delete(struct store *s, const char *code, struct err *e);
int store_procedure_count(struct store *s, int64_t *n, struct err *e);
/* Procedures whose name, field or code contains search, ignoring case and diacritics
 * (vntext_fold); all procedures when search is NULL or "". By code. Documents and steps
 * are filled too. */
int store_procedure_list(struct store *s, const char *search, procedure_fn fn, void *ctx,
                         struct err *e);

/* --- dossiers --- */
/* A dossier's lifecycle is src/core/dossier.c's state machine; the store keeps the current
 * state in one row and records every change as one event of the append-only, hash-chained
 * log, in the same transaction as the change (a failed change writes nothing). Actions that
 * move the clock need the working-day calendar (cal) covering their instants. */

/* The dossier record (struct dossier), a change (struct dossier_change) and the step,
 * stop and apology records are src/core/dossier.h's. */

/* A new dossier. With receive = 1 the desk receives it at once (one event 'receive',
 * receipt Mẫu 01 data: applicant, documents, due instant); with receive = 0 it is
 * submitted and waits for the desk's check (event 'submit'). */
struct dossier_intake {
    const char *unit;      /* receiving unit: must exist on the day and have an ident code */
    const char *procedure; /* national procedure code */
    enum dossier_channel channel;
    struct applicant applicant;
    int64_t at;
    const char *actor; /* officer (or "portal") recording it */
    int receive;
    /* Documents received, as 1-based positions in the procedure's list; NULL = all of them. */
    const int *docs;
    int ndocs;
    int fee_paid_online, digitised;
    const struct procedure *proc; /* optional: the procedure already loaded (bulk loaders) */
    /* The authority that decides the dossier when it is not the receiving unit (receiving
     * regardless of residence, Decree 118/2025/NĐ-CP; receive_check of catalog.h), or NULL. */
    const char *decider;
    /* When it is recorded (0: the store reads the clock) and whether `at` is backdated beyond
     * the tolerance (backdate.h; the reception keeps its claimed time: an earlier reception
     * only brings the due instant forward). */
    int64_t recorded_at;
    int backdated;
    const char *note; /* the creation event's note (a backdated reception's reason); NULL */
};
/* Creates the dossier with the next code of its unit and day. ERR_NOT_FOUND for an unknown
 * unit or procedure; ERR_INVALID for a bad applicant or document position; ERR_CONFLICT for a
 * unit without identifier code, not existing that day, or with 9999 dossiers that day. */
int store_dossier_create(struct store *s, const struct calendar *cal,
                         const struct dossier_intake *in, struct dossier *out, struct err *e);

/* Receiving regardless of residence (receiving.c). The deciding unit of dossier code, or ""
 * when the receiving unit decides it (ERR_NOT_FOUND for no such dossier). */
int store_dossier_decider(struct store *s, const char *code, char out[UNIT_CODE_MAX],
                          struct err *e);
/* The province a unit lies in (itself for a province; "" when none above it). */
int store_unit_province(struct store *s, const char *code, char out[UNIT_CODE_MAX], struct err *e);
/* Dossiers received in [from_day, to_day] counted by receiving unit and deciding unit
 * (decider = unit when the receiving unit decides). */
typedef int (*receiving_fn)(const char *unit, const char *decider, int64_t n, void *ctx);
int store_receiving_counts(struct store *s, int64_t from_day, int64_t to_day, receiving_fn fn,
                           void *ctx, struct err *e);
/* Dossiers received in [from_day, to_day] by one unit for another to decide, by code. */
struct receiving_row {
    char code[DOSSIER_CODE_LEN], unit[UNIT_CODE_MAX], decider[UNIT_CODE_MAX];
    char procedure[PROC_CODE_MAX], status[24];
    int64_t received_at, due_at;
};
typedef int (*receiving_row_fn)(const struct receiving_row *r, void *ctx);
int store_receiving_list(struct store *s, int64_t from_day, int64_t to_day, receiving_row_fn fn,
                         void *ctx, struct err *e);
/* Within a store transaction (dossiers.c): records the deciding unit of a new dossier. */
int store_dossier_decider_set(struct store *s, int64_t id, const char *decider, struct err *e);

/* Applies the action in one transaction: reads the record, runs dossier_change_apply, writes
 * the record and the effects (step, stop, apology records), appends the event. ERR_CONFLICT
 * (illegal transition) and every other failure change nothing. out (may be NULL) receives the new
 * state. */
int store_dossier_apply(struct store *s, const struct calendar *cal, const struct dossier_change *c,
                        struct dossier *out, struct err *e);

int store_dossier_get(struct store *s, const char *code, struct dossier *out, struct err *e);
/* One dossier by id, as DOSSIER_ROWS_BRIEF fills it (ERR_NOT_FOUND if none). */
int store_dossier_brief(struct store *s, int64_t id, struct dossier *out, struct err *e);

typedef int (*dossier_fn)(const struct dossier *d, void *ctx);
enum dossier_rows {
    DOSSIER_ROWS_FULL = 0,
    /* What a list shows: code, unit, procedure, channel, the applicant's name, ID number and
     * phone, the state but resume_to, budget, step start, stopped minutes and last change,
     * the officer, the two flags and the event count. */
    DOSSIER_ROWS_BRIEF,
    /* Enough to tell a list entry's version and outcome: id, event count, code, unit,
     * procedure, status and received, due, result, closed and stopped instants. */
    DOSSIER_ROWS_KEYS,
};
struct dossier_filter {
    const char *unit; /* receiving unit code, or NULL */
    int status;       /* an enum dossier_status, or -1 */
    int outcome;      /* an enum dossier_outcome (in_time/overdue taken at `now`), or -1 */
    const char *name; /* part of the applicant's name, any case, with or without diacritics */
    int64_t from_day; /* received (or submitted) on or after this day; INT64_MIN = open */
    int64_t to_day;   /* … on or before this day; INT64_MAX = open */
    int64_t now;      /* instant for in_time / overdue */
    int64_t limit;    /* at most this many rows (0 = all) */
    /* With a unit, how much of each row is filled (the rest stays zero); the outcome filter
     * works with each. */
    enum dossier_rows rows;
    /* With n_units > 0 (unit is then ignored): the dossiers of these units in turn, each
     * unit's by code (a scope's list, in its walk order), limit counting over all of them. On
     * PostgreSQL a bounded page reads a batch of units per statement, not one unit. */
    const char *const *units;
    int n_units;
};
/* Dossiers matching the filter, by code. */
int store_dossier_list(struct store *s, const struct dossier_filter *f, dossier_fn fn, void *ctx,
                       struct err *e);
/* How many dossiers are in each status now: n[status] for every enum dossier_status (from
 * the status index, without reading the rows; /metrics). */
int store_dossier_count_by_status(struct store *s, int64_t n[DS__COUNT], struct err *e);

struct dossier_event {
    int64_t id;
    int seq; /* within the dossier */
    int64_t at;
    int64_t recorded_at; /* when it was written; 0 before migration 009 */
    int backdated;       /* at was earlier than the backdating tolerance (backdate.h) */
    char actor[DOSSIER_ACTOR_MAX];
    char action[24];
    char from_status[24], to_status[24];
    char note[DOSSIER_NOTE_MAX];
};
/* Callbacks get one record each; documents are the receipt's list (text). */
struct dossier_records {
    int (*document)(int seq, const char *text, void *ctx);
    int (*step)(const struct dossier_step_rec *r, void *ctx);
    int (*stop)(const struct dossier_stop_rec *r, void *ctx);
    int (*apology)(const struct dossier_apology_rec *r, void *ctx);
    int (*event)(const struct dossier_event *r, void *ctx);
    void *ctx;
};
/* Calls the non-NULL callbacks of r for the dossier's records. */
int store_dossier_records(struct store *s, const char *code, const struct dossier_records *r,
                          struct err *e);

/* The applicant's rating of a returned dossier: score 1..5 (4-5 satisfied), once, at `at`
 * (not before the return). Recorded with an audit event 'rate' whose note carries the score
 * only: the comment may hold personal data and stays out of the log. ERR_CONFLICT when the
 * dossier is not returned or already rated; ERR_INVALID for a bad score or comment. */
int store_dossier_rate(struct store *s, const char *code, int score, int64_t at,
                       const char *comment, struct err *e);
/* The rating of a dossier: *score 1..5, *rated_at, comment (n bytes, may be NULL);
 * *score = 0 when it is not rated. */
int store_dossier_rating(struct store *s, const char *code, int *score, int64_t *rated_at,
                         char *comment, size_t n, struct err *e);

/* Recomputes the audit chains (migration 049: the global chain up to the genesis, then one
 * chain per province). Returns 0 with *ok = 1 when every event's hash matches its chain, the
 * global chain's ids run without gaps up to the genesis, every province's head matches its
 * last event and each dossier row matches the state its last event recorded; *ok = 0 and
 * problem names the first bad row otherwise ("event 1234: hash does not match its content
 * …", "the audit head of province DT is missing"). */
struct audit_report {
    int ok;
    int64_t events, dossiers; /* verified */
    int64_t legacy;           /* of the events, those in the global chain up to the genesis */
    int chains;               /* province chains after the genesis */
    int64_t bad_event;        /* id of the first bad event, 0 if none */
    char problem[300];
};
int store_audit_verify(struct store *s, struct audit_report *out, struct err *e);
/* The same for one province: its chain and its dossiers, and the global chain before the
 * genesis in full (it is every province's anchor). */
int store_audit_verify_province(struct store *s, const char *province, struct audit_report *out,
                                struct err *e);

/* --- statistics --- */
/* Daily counters of src/core/stats.h per receiving unit × procedure × channel × day, a
 * monthly roll-up per unit and steps per officer (migration 004), kept in the same
 * transaction as every dossier change; definitions in docs/statistics.md. */
#include "stats.h"

/* Recomputes every counter from the dossiers in one transaction; *n = dossiers read. */
int store_stats_rebuild(struct store *s, int64_t *n, struct err *e);

/* A selection: unit (with its subtree; NULL = all), procedure, field (lĩnh vực), channel
 * (enum stats_channel, -1 = all) and the period's days, inclusive. own (drill-down only): the
 * unit's own dossiers without its subtree, as the dashboard counts them. */
struct stats_query {
    const char *unit, *procedure, *field;
    int channel;
    int64_t from_day, to_day;
    int own;
};
/* The figures of the selection, from the counters. */
int store_stats_figures(struct store *s, const struct stats_query *q, struct stats_figures *out,
                        struct err *e);
/* The figures of each of n units' subtrees (units[i] -> out[i]) for q's period, each unit being
 * in q->unit's subtree (q->unit NULL: anywhere): the same as store_stats_figures with q->unit =
 * units[i], read in one pass over q->unit's counters instead of one per unit (the 766 index
 * ranks a parent's children so). q's procedure, field and channel filters fall back to one query
 * per unit. */
int store_stats_figures_units(struct store *s, const struct stats_query *q, int n,
                              const char *const *units, struct stats_figures *out, struct err *e);
/* The dashboard: figures of every unit (its own dossiers, without subtree) for the period, by
 * unit code, from the monthly roll-up plus the days of partial months. */
typedef int (*stats_unit_fn)(const char *unit, const struct stats_figures *f, void *ctx);
int store_stats_by_unit(struct store *s, int64_t from_day, int64_t to_day, stats_unit_fn fn,
                        void *ctx, struct err *e);
/* Drill-down: the dossiers a figure (enum stats_counter / stats_figure) counts, by unit then
 * code. Their number equals the figure. */
int store_stats_dossiers(struct store *s, const struct stats_query *q, int figure, dossier_fn fn,
                         void *ctx, struct err *e);
/* Steps finished and late per unit × officer × step in the period, most late first. */
struct stats_officer {
    char unit[UNIT_CODE_MAX];
    char officer[DOSSIER_ACTOR_MAX];
    char name[USER_NAME_MAX]; /* the account's full name, "" when the officer has none */
    int step;
    int64_t done, late;
};
typedef int (*stats_officer_fn)(const struct stats_officer *o, void *ctx);
int store_stats_officers(struct store *s, const struct stats_query *q, stats_officer_fn fn,
                         void *ctx, struct err *e);
/* Drill-down of an officer's figures: the dossiers whose step `step` officer ("" = none)
 * finished in the period under q->unit's subtree (late_only: only the late ones), as many as
 * that row's steps_done (steps_late). */
int store_stats_step_dossiers(struct store *s, const struct stats_query *q, const char *officer,
                              int step, int late_only, dossier_fn fn, void *ctx, struct err *e);

/* --- users and sessions --- */
/* Accounts of the HTTP API (struct user, src/core/user.h) and their sessions (sqlite_users.c).
 * Passwords arrive hashed (an argon2id string from crypto_pwhash_str); sessions are keyed by
 * a hash of their cookie token, never the token. Times are Unix seconds. */

struct user;
typedef int (*user_fn)(const struct user *u, void *ctx);

/* Adds a user (user_check()); ERR_CONFLICT if the username exists, ERR_NOT_FOUND if the unit
 * does not. */
int store_user_add(struct store *s, const struct user *u, const char *pwhash, struct err *e);
/* Fetches a user, and its password hash into pwhash (n bytes) when pwhash is not NULL. */
int store_user_get(struct store *s, const char *username, struct user *out, char *pwhash, size_t n,
                   struct err *e);
/* All users, by username. */
int store_user_list(struct store *s, user_fn fn, void *ctx, struct err *e);
int store_user_set_password(struct store *s, const char *username, const char *pwhash,
                            struct err *e);
/* Disabling a user also ends its sessions. */
int store_user_set_disabled(struct store *s, const char *username, int disabled, struct err *e);
/* Records that an administrator lifted username's sign-in lock at now (Unix seconds); the
 * servers read it at the next sign-in. ERR_NOT_FOUND if there is no such user. */
int store_user_unlock(struct store *s, const char *username, int64_t now, struct err *e);
/* When username's sign-in lock was last lifted (0 if never, or no such user). */
int store_user_unlocked_at(struct store *s, const char *username, int64_t *at, struct err *e);

int store_session_add(struct store *s, const char *token_hash, const char *username,
                      const char *csrf, int64_t created_at, int64_t expires_at, struct err *e);
/* The session's user and CSRF token (csrf, n bytes); ERR_NOT_FOUND when there is no such
 * session, it expired at or before now, or its user is disabled. */
int store_session_get(struct store *s, const char *token_hash, int64_t now, struct user *user,
                      char *csrf, size_t n, struct err *e);
/* The same, and when the session expires (Unix seconds). */
int store_session_get_until(struct store *s, const char *token_hash, int64_t now, struct user *user,
                            char *csrf, size_t n, int64_t *expires_at, struct err *e);
int store_session_delete(struct store *s, const char *token_hash, struct err *e);
/* Deletes the sessions expired at or before now. */
int store_session_purge(struct store *s, int64_t now, struct err *e);

/* Runs fn in one read transaction (sqlite_read.c): one consistent snapshot for several reads,
 * and on SQLite one round of locking instead of one per statement. fn must only read: a
 * store_tx inside fails (ERR_IO). Returns fn's result. Inside store_tx it just calls fn. */
int store_read(struct store *s, store_tx_fn fn, void *ctx, struct err *e);

/* What a cache of read results checks before trusting what it kept (src/http/readcache.h).
 * store_own_commits: the commits that changed rows this process made, on any connection and
 * either backend; it moves right after each commit returns, before its caller can answer.
 * store_change_mark, only inside store_read: on SQLite the data version of the read snapshot,
 * which this call starts (one read of units_version, which a request reads anyway); it moves
 * with every commit by any connection or process, and is this connection's own count. On
 * PostgreSQL nothing is read (*mark = 0): the other processes' changes are told by
 * store_watch. */
uint64_t store_own_commits(void);
int store_change_mark(struct store *s, uint64_t *mark, struct err *e);

/* Listening for other processes' changes (PostgreSQL's LISTEN on the channel cchc_cache, which
 * the triggers of migration 055 notify in the changing transaction, delivered after its commit).
 * A thread of its own with a connection of its own calls fn: STORE_WATCH_LIVE once listening
 * (everything before may have been missed), STORE_WATCH_CHANGE with the payload of each
 * notification ("*": anything may have changed; "s" and a session's token hash; "d" and a
 * dossier's code), STORE_WATCH_LOST when the connection broke (notifications may be missed until
 * the next STORE_WATCH_LIVE; it reconnects, waiting 50 ms doubling up to 2 s). On SQLite
 * (nothing to listen to: store_change_mark tells every change) *out is NULL and 0 returned. */
enum store_watch_event { STORE_WATCH_LIVE, STORE_WATCH_CHANGE, STORE_WATCH_LOST };
typedef void (*store_watch_fn)(enum store_watch_event ev, const char *payload, void *arg);
struct store_watch;
int store_watch_start(const char *db, store_watch_fn fn, void *arg, struct store_watch **out,
                      struct err *e);
/* Stops the thread and closes its connection (NULL: nothing). */
void store_watch_stop(struct store_watch *w);

/* --- PAR index --- */
/* Assessment rounds of the PAR index (migration 005, sqlite_par.c; docs/par.md). Criteria
 * sets are validated by src/core/par.c before they are stored and again when loaded; points
 * are par_pts (thousandths). Phases and evidence rules are src/core/par_round.h: a write the
 * round's phase does not allow, and every write once the round is published, fails with
 * ERR_CONFLICT and changes nothing. Instants are local minutes (date.h). */
#include "par.h"
#include "par_round.h"

/* Stores a validated set (ERR_CONFLICT if its code and version are already stored). */
int store_par_set_import(struct store *s, const struct par_set *set, const char *actor, int64_t at,
                         struct err *e);
/* Loads and validates a stored set: ref is "CODE" (the only version of it) or
 * "CODE@VERSION". The caller frees *out with par_set_free. */
int store_par_set_load(struct store *s, const char *ref, struct par_set **out, struct err *e);
/* One stored set as a list shows it (scope: par_scope_name's word). */
struct par_set_info {
    char code[PAR_CODE_MAX], version[32], scope[16];
    int year;
    char title[512], legal_source[512];
};
typedef int (*par_set_info_fn)(const struct par_set_info *i, void *ctx);
/* The stored sets, newest year first, then by code and version. */
int store_par_set_list(struct store *s, par_set_info_fn fn, void *ctx, struct err *e);

#define PAR_ACTOR_MAX 64
#define PAR_TITLE_MAX 200

struct par_round {
    char code[PAR_CODE_MAX];
    char title[PAR_TITLE_MAX];
    int year;
    char set_code[PAR_CODE_MAX], set_version[32];
    int64_t period_from, period_to; /* days whose dossiers computed criteria count */
    enum par_phase phase;
    int64_t created_at;
    char created_by[PAR_ACTOR_MAX];
    /* closed_at[p] / closed_by[p]: when phase p closed (0 / "" while open); the survey
     * phase closes at publication */
    int64_t closed_at[PAR_PHASE_PUBLISHED];
    char closed_by[PAR_PHASE_PUBLISHED][PAR_ACTOR_MAX];
    int nunits;
};

/* A new round. Units: the explicit list, else every unit of the kinds listed (kinds: a
 * comma-separated list of unit kind names; NULL: the kinds of the set's scope), existing on
 * the period's last day, within the subtree of under (NULL: everywhere). */
struct par_round_new {
    const char *code, *title, *set; /* set: "CODE" or "CODE@VERSION" */
    int year;
    int64_t period_from, period_to; /* INT64_MIN: the calendar year */
    const char *const *units;
    int nunits;
    const char *kinds, *under;
    const char *actor;
    int64_t at;
};
int store_par_round_create(struct store *s, const struct par_round_new *in, struct par_round *out,
                           struct err *e);
int store_par_round_get(struct store *s, const char *code, struct par_round *out, struct err *e);
typedef int (*par_round_fn)(const struct par_round *r, void *ctx);
/* All rounds, newest year first, then by code. */
int store_par_round_list(struct store *s, par_round_fn fn, void *ctx, struct err *e);
/* 0 if unit is assessed in round; ERR_NOT_FOUND naming the round or the unit otherwise. */
int store_par_round_has_unit(struct store *s, const char *round, const char *unit, struct err *e);
/* The round's units, by code. */
int store_par_round_units(struct store *s, const char *round, unit_fn fn, void *ctx, struct err *e);
/* Closes the round's current phase (self or appraisal) and opens the next. expect, when not
 * NULL, names the phase the caller means to close; a different current phase is ERR_CONFLICT
 * (so a repeated command cannot close two phases). The survey phase closes by publishing. */
int store_par_round_close_phase(struct store *s, const char *round, const char *expect,
                                const char *actor, int64_t at, struct par_round *out,
                                struct err *e);
/* Closes the survey phase and publishes: freezes the computed metrics (values and the
 * dossiers behind them) and every score. */
int store_par_round_publish(struct store *s, const char *round, const char *actor, int64_t at,
                            struct par_round *out, struct err *e);

/* One score: kind PAR_SELF, PAR_APPRAISED or PAR_SURVEYED, checked by par_scores_put (node is
 * a leaf of the set fitting the kind, 0 <= points <= max, decimals) and by the phase. The
 * change (old and new value, who, when, comment) is recorded. */
struct par_score_in {
    const char *round, *unit, *node;
    enum par_kind kind;
    par_pts points;
    const char *comment; /* NULL: keep the cell's comment */
    const char *actor;
    int64_t at;
};
int store_par_score_put(struct store *s, const struct par_score_in *in, struct err *e);

/* Survey points (struct par_survey_row, par_round.h) for many cells in one transaction, all
 * or nothing; a row's where names it in messages. A (unit, node) pair given twice is
 * ERR_INVALID naming both rows. */
int store_par_survey_import(struct store *s, const char *round, const struct par_survey_row *rows,
                            int n, const char *actor, int64_t at, struct err *e);

struct par_cell {
    char unit[PAR_CODE_MAX], node[PAR_CODE_MAX];
    par_pts self, appraised, survey; /* PAR_NONE when not given */
    char self_comment[400], appraisal_comment[400];
};
typedef int (*par_cell_fn)(const struct par_cell *c, void *ctx);
/* Score cells of the round (of one unit when unit is not NULL), by unit then node code. */
int store_par_cells(struct store *s, const char *round, const char *unit, par_cell_fn fn, void *ctx,
                    struct err *e);

struct par_score_change {
    int64_t id;
    char unit[PAR_CODE_MAX], node[PAR_CODE_MAX];
    enum par_kind kind;
    par_pts old_points, new_points; /* old PAR_NONE: first value */
    char comment[400];
    char actor[PAR_ACTOR_MAX];
    int64_t at;
};
typedef int (*par_change_fn)(const struct par_score_change *c, void *ctx);
/* The score changes of a unit (of one node when node is not NULL), oldest first. */
int store_par_score_history(struct store *s, const char *round, const char *unit, const char *node,
                            par_change_fn fn, void *ctx, struct err *e);

/* Evidence: the bytes are hashed (SHA-256), sniffed for their type and checked by
 * par_evidence_check against max_size (0: PAR_EVIDENCE_MAX_DEFAULT) before being stored. */
struct par_evidence_in {
    const char *round, *unit, *node, *name;
    const void *data;
    int64_t size, max_size;
    const char *actor;
    int64_t at;
};
struct par_evidence {
    int64_t id;
    char unit[PAR_CODE_MAX], node[PAR_CODE_MAX];
    char name[PAR_EVIDENCE_NAME_MAX], mime[PAR_MIME_MAX];
    int64_t size;
    char sha256[65]; /* lowercase hex */
    int64_t added_at;
    char added_by[PAR_ACTOR_MAX];
};
int store_par_evidence_add(struct store *s, const struct par_evidence_in *in,
                           struct par_evidence *out, struct err *e);
typedef int (*par_evidence_fn)(const struct par_evidence *ev, void *ctx);
/* Evidence of the round, filtered by unit and node when not NULL, by unit, node, id. */
int store_par_evidence_list(struct store *s, const char *round, const char *unit, const char *node,
                            par_evidence_fn fn, void *ctx, struct err *e);
/* One evidence file with its content (*data malloc'ed, the caller frees it). */
int store_par_evidence_get(struct store *s, int64_t id, struct par_evidence *out, void **data,
                           struct err *e);

/* Computed criteria: the metric of a computed leaf, from the dossier statistics of the unit
 * (its subtree, and the units merged into it) over the round's period; frozen at publication.
 * Metrics cchc cannot compute from dossiers leave value PAR_NONE with known = 0. */
struct par_metric {
    char unit[PAR_CODE_MAX], node[PAR_CODE_MAX], metric[64];
    int known;     /* 1: a metric cchc computes from dossier data */
    par_pts value; /* thousandths of a percent, PAR_NONE when den == 0 or unknown */
    int64_t num, den;
    char denom[48]; /* the denominator's name ("solved", "late", …) */
    int frozen;     /* 1: the value frozen at publication */
};
typedef int (*par_metric_fn)(const struct par_metric *m, void *ctx);
/* The metrics of every computed leaf for the round's units (or one unit), by unit, node. */
int store_par_metrics(struct store *s, const char *round, const char *unit, par_metric_fn fn,
                      void *ctx, struct err *e);
/* The dossiers behind one metric (those of its denominator, in_num = 1 for those also in the
 * numerator), by dossier code; after publication, those frozen with it. */
typedef int (*par_dossier_fn)(const char *code, int in_num, void *ctx);
int store_par_metric_dossiers(struct store *s, const char *round, const char *unit,
                              const char *node, par_dossier_fn fn, void *ctx, struct err *e);

/* Targets of the round's units (replaces the stored ones, all or nothing). */
int store_par_targets_put(struct store *s, const char *round, const struct par_target *t, int n,
                          struct err *e);

/* Results of a round: totals, areas, index, ranks; compared with the previous year's published
 * round (previous: its code; NULL: the published round of year - 1 with a set of the same
 * scope, if exactly one; "": none), its units matched through successor links; targets
 * applied. Owns everything it points to; free with store_par_results_free. */
struct par_round_results {
    struct par_round round;
    struct par_set *set;
    struct par_scores *scores;
    struct par_results *res;
    char previous[PAR_CODE_MAX]; /* the round compared with, "" if none */
    int ntargets;
};
int store_par_results(struct store *s, const char *round, const char *previous,
                      struct par_round_results *out, struct err *e);
void store_par_results_free(struct par_round_results *r);

/* ---- backdated actions (issue 12, finding 1; docs/dossiers.md) ---- */
struct backdated_event {
    int64_t id; /* the event's number in the audit log */
    char code[DOSSIER_CODE_LEN];
    char unit[UNIT_CODE_MAX]; /* the dossier's receiving unit */
    char actor[DOSSIER_ACTOR_MAX];
    char action[24];
    int64_t at, recorded_at; /* claimed, and when it was written */
    char note[DOSSIER_NOTE_MAX];
};
typedef int (*backdated_fn)(const struct backdated_event *ev, void *ctx);
/* The events flagged backdated and recorded on days from_day to to_day (inclusive), of the
 * dossiers of under's scope on to_day (store_unit_scope; NULL: every unit), by unit, actor,
 * recorded time and id. ERR_NOT_FOUND if under does not exist. */
int store_backdated_events(struct store *s, const char *under, int64_t from_day, int64_t to_day,
                           backdated_fn fn, void *ctx, struct err *e);

#endif
