/* store_int.h — inside the store: the backend contract (a table of row operations, as SQLite
 * keeps the OS behind sqlite3_io_methods) and what the backend-neutral store code shares. Not
 * for callers (they use store.h); tests and benchmarks include it for the internal hooks.
 *
 * The split. Every domain decision lives above the backend, once: which records a dossier
 * change writes (dossier_change_apply, src/core/dossier.c), the audit hash over the domain
 * record (audit.c), what a dossier means for statistics and which counters a change moves
 * (stats_hook.c), the dossier transactions themselves (dossiers.c). Below them the row
 * operations only read and write rows: struct store_backend, each operation documented with
 * what it must guarantee, implemented once (sqlite_dossiers.c's sqlite_backend, named for its
 * history) in the SQL that SQLite and PostgreSQL share, over the driver of db.h. */
#ifndef CCHC_STORE_INT_H
#define CCHC_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define AUDIT_HASH_LEN 32 /* SHA-256 */

/* Columns a backend stores beside the record, derived from it: the code's day and sequence,
 * the folded name for search, and the outcome once decided. Derived here, once, so that
 * every backend stores the same values and the audit hash covers them the same way. */
struct dossier_derived {
    char day[11]; /* "YYYY-MM-DD" of the code */
    int seq;      /* 1..9999 of the code */
    char fold[APPLICANT_NAME_MAX * 2];
    const char *outcome; /* "early", "on_time", "late", "none" once decided, else NULL */
};
/* Fills x from d (ERR_INVALID: a name that cannot be folded, a malformed code). */
int dossier_derive(const struct dossier *d, struct dossier_derived *x, struct err *e);

/* One event of the audit log as the chain hashes it. */
struct audit_event {
    int64_t id, dossier_id, seq, at;
    /* When the event was written (server clock, minutes as `at`); 0 on events written before
     * migration 009, which hash as they always did. backdated: `at` was earlier than the
     * backdating tolerance (backdate.h). */
    int64_t recorded_at;
    int backdated;
    const char *actor, *action, *from, *to, *note;
    /* Its dossier's province (migration 037): after the genesis (migration 049) the event
     * chains on the previous event of the same province. "" when read from a schema before
     * 049, where every event is in the one global chain. */
    const char *province;
    unsigned char state_hash[AUDIT_HASH_LEN];
    unsigned char hash[AUDIT_HASH_LEN];
};
/* The state hash of a dossier record with its derived columns: SHA-256 over the values in
 * the order of the stored columns, tagged ('i' + 8 bytes big-endian, 't' + 4-byte length +
 * bytes, 'n' for an absent text). The bytes are those the SQLite backend used to hash over its
 * row, so chains written before this layer verify unchanged. */
void audit_dossier_hash(const struct dossier *d, const struct dossier_derived *x,
                        unsigned char out[AUDIT_HASH_LEN]);
/* Chain link: SHA-256(previous hash || the event's fields tagged as above || state hash),
 * version 1; an event with a recorded time (migration 009) is version 2: the same, then 'v'
 * tag 2, recorded_at and backdated. Old events keep their bytes; stripping a new event's
 * recorded time turns it into a version 1 event whose hash no longer matches. */
void audit_event_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_event *ev,
                      unsigned char out[AUDIT_HASH_LEN]);

/* Initialises libsodium (ERR_INTERNAL if it cannot). */
int audit_need_sodium(struct err *e);
/* The times of an event: the claimed instant, when it was recorded, and the backdating flag. */
struct event_time {
    int64_t at, recorded_at;
    int backdated;
};
/* The server's clock as an instant (minutes, UTC+7 local civil time, date.h). */
int64_t store_now_minutes(void);
/* Appends the event for d's latest change (d->n_events, d->st.last_at, its status) after the
 * head of its province's chain; state is the state hash of d as written. */
int audit_append(struct store *s, const struct dossier *d,
                 const unsigned char state[AUDIT_HASH_LEN], const char *action, const char *from,
                 const char *actor, const char *note, const struct event_time *t, struct err *e);

/* The procedure's fee and online mode and the rating of a stored dossier (stats_hook.c). */
int stats_extra_of(struct store *s, const struct dossier *d, struct stats_extra *x, struct err *e);
/* The digitisation facts of a stored dossier (digistore.c): all its required components
 * digitised, an electronic result registered. */
int store_digi_facts(struct store *s, const struct dossier *d, int *complete, int *e_result,
                     struct err *e);
/* After a digitisation fact of d changed inside the open transaction (before: the facts as they
 * were), moves the dossier's statistics contributions accordingly (stats_hook.c). */
int store_stats_apply_facts(struct store *s, const struct dossier *d, int complete_before,
                            int e_result_before, struct err *e);

typedef int (*audit_event_fn)(const struct audit_event *ev, void *ctx);
/* A stored dossier with the derived columns as stored (verification compares them) and its
 * province ("" on a schema before migration 037). */
typedef int (*audit_dossier_fn)(const struct dossier *d, const struct dossier_derived *stored,
                                const char *province, void *ctx);
/* One province's stored audit head (migration 049). */
typedef int (*audit_head_fn)(const char *province, int64_t id,
                             const unsigned char hash[AUDIT_HASH_LEN], void *ctx);

/* The row operations of a backend. Every operation returns 0 or an err code (ERR_NOT_FOUND
 * only where said), runs inside the caller's store_tx when there is one, and writes nothing
 * when it fails. Texts are given NUL-terminated; "" is stored as absent (NULL). */
struct store_backend {
    const char *name; /* "sqlite" */

    /* --- dossiers --- */
    /* The whole record by code (ERR_NOT_FOUND naming the code). */
    int (*dossier_get)(struct store *s, const char *code, struct dossier *out, struct err *e);
    /* The highest sequence used by unit on day ("YYYY-MM-DD"), 0 if none. */
    int (*dossier_max_seq)(struct store *s, const char *unit, const char *day, int *seq,
                           struct err *e);
    /* Inserts a new dossier row (its state as in d) and sets d->id. ERR_CONFLICT when the
     * code or (unit, day, seq) is taken. */
    int (*dossier_insert)(struct store *s, struct dossier *d, const struct dossier_derived *x,
                          struct err *e);
    /* Writes d's state (status … n_events, officer, outcome) into its row; cur is the row as
     * read in this transaction (a backend may skip index maintenance when the indexed columns
     * are equal). */
    int (*dossier_update)(struct store *s, const struct dossier *cur, const struct dossier *d,
                          const struct dossier_derived *x, struct err *e);
    /* Records one received document (the receipt's list, 1-based seq). */
    int (*document_add)(struct store *s, int64_t dossier_id, int seq, const char *text,
                        struct err *e);
    /* Carries out one effect of a change (dossier.h's enum dossier_effect_kind). */
    int (*effect_write)(struct store *s, int64_t dossier_id, const struct dossier_effect *fx,
                        struct err *e);
    /* The step record seq (ERR_NOT_FOUND if none). */
    int (*step_get)(struct store *s, int64_t dossier_id, int seq, struct dossier_step_rec *out,
                    struct err *e);
    /* The rating: *score 0 when there is none; comment (n bytes) may be NULL. */
    int (*rating_get)(struct store *s, int64_t dossier_id, int *score, int64_t *rated_at,
                      char *comment, size_t n, struct err *e);
    int (*rating_add)(struct store *s, int64_t dossier_id, int score, int64_t at,
                      const char *comment, struct err *e);
    /* The procedure's fee (has one: fee > 0 or varying) and online mode; ERR_NOT_FOUND. */
    int (*procedure_fee_online)(struct store *s, const char *code, int *has_fee,
                                enum online_mode *online, struct err *e);

    /* The province of the dossier with this code, read before its transaction to choose the
     * write lock (store_tx_province; the column never changes): 1 with it in out when
     * exactly one dossier has the code, else 0 with out "" (none, one per province of two with
     * the same identifier code, or the read failed: the exclusive lock, which answers as
     * before). */
    int (*code_province)(struct store *s, const char *code, char *out, size_t n);

    /* --- the audit log --- */
    /* The province of dossier id (migration 037), which its events carry. */
    int (*dossier_province)(struct store *s, int64_t id, char *out, size_t n, struct err *e);
    /* The last event's id in the whole log (event ids are global; the next event takes
     * *id + 1) and the head of province's chain (migration 049): the hash of the province's
     * last event after the genesis, or the genesis hash when it has none (32 zero bytes on a
     * fresh database), as this transaction sees it (its own appended events included). */
    int (*audit_head)(struct store *s, const char *province, int64_t *id,
                      unsigned char hash[AUDIT_HASH_LEN], struct err *e);
    /* Appends ev (id = last + 1, ev->province its dossier's, hashes filled) and makes it its
     * province's head. Appends are serialised: no other writer can append between audit_head
     * and this in one transaction. */
    int (*event_append)(struct store *s, const struct audit_event *ev, struct err *e);
    /* The action of a dossier's event seq ("" if none). */
    int (*event_action)(struct store *s, int64_t dossier_id, int seq, char *action, size_t n,
                        struct err *e);
    /* Every event by id; every dossier by id with its stored derived columns. */
    int (*audit_events)(struct store *s, audit_event_fn fn, void *ctx, struct err *e);
    int (*audit_dossiers)(struct store *s, audit_dossier_fn fn, void *ctx, struct err *e);
    /* The genesis (migration 049; *found 0 when there is none): the last event and hash of
     * the global chain, which the province chains continue. On a schema before 049, the one
     * head of the global chain, with *global_only = 1: every event is in that chain. */
    int (*audit_genesis)(struct store *s, int *found, int *global_only, int64_t *id,
                         unsigned char hash[AUDIT_HASH_LEN], struct err *e);
    /* Every stored province head (none on a schema before 049). */
    int (*audit_heads)(struct store *s, audit_head_fn fn, void *ctx, struct err *e);
    int (*dossier_max_id)(struct store *s, int64_t *id, struct err *e);

    /* --- statistics counters (migration 004) --- */
    /* Adds v (SC__COUNT signed values) to the day row (unit, procedure, channel, day) and its
     * unit-day and month roll-ups. A backend may merge deltas until the commit. */
    int (*stats_cells_add)(struct store *s, const char *unit, const char *procedure,
                           enum dossier_channel channel, int64_t day, const int64_t *v,
                           struct err *e);
    /* Counts one finished step of officer (late or not) on day. */
    int (*stats_step_add)(struct store *s, const char *unit, const char *officer, int step,
                          int64_t day, int late, struct err *e);
    /* Writes merged deltas now (called outside any transaction, and before reads). */
    int (*stats_flush)(struct store *s, struct err *e);
};

/* The backend of an open store. */
const struct store_backend *store_backend(struct store *s);

/* fn in a transaction under the write lock of a province (store_tx_province), found before
 * BEGIN; inside an open transaction none is looked up (the outer transaction's lock, and the
 * guard refuses a write of another province). store_tx_dossier: the province of dossier code
 * (the backend's code_province); store_tx_unit: the root of unit's tree (units.province
 * never changes, migration 047). An unknown code or unit: the exclusive lock. */
int store_tx_dossier(struct store *s, const char *code, store_tx_fn fn, void *ctx, struct err *e);
int store_tx_unit(struct store *s, const char *unit, store_tx_fn fn, void *ctx, struct err *e);
/* 1 inside store_tx. */
int store_in_tx(struct store *s);

extern const struct store_backend sqlite_backend;

/* --- internal hooks (tests and benchmarks use them too) --- */

/* The statistics hook: every function that changes a dossier row (or its rating) calls it
 * inside its transaction, after writing, with the record before (NULL at creation) and after.
 * It moves the counters from old's contributions to new's; a failure fails the change. */
int store_stats_apply_event(struct store *s, const struct dossier *old, const struct dossier *nw,
                            struct err *e);
/* Writes the queued statistics deltas now (still inside the transaction, if any). */
int store_stats_flush(struct store *s, struct err *e);
/* The same core figures as store_stats_by_unit by GROUP BY over the raw dossier rows
 * (baseline and cross-check in tests and bench/stats). */
struct stats_raw {
    char unit[UNIT_CODE_MAX];
    int64_t received, received_direct, received_online, received_postal;
    int64_t solved_early, solved_on_time, solved_late, refused, withdrawn, cancelled;
    int64_t carried_over, in_progress, in_progress_overdue;
};
typedef int (*stats_raw_fn)(const struct stats_raw *r, void *ctx);
int store_stats_by_unit_raw(struct store *s, int64_t from_day, int64_t to_day, stats_raw_fn fn,
                            void *ctx, struct err *e);
/* Database pages this connection has written to disk (the WAL) since it opened; for
 * benchmarks (bench/ingest prints pages per transition). */
int64_t store_pages_written(struct store *s);

#endif
