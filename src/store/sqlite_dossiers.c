/* sqlite_dossiers.c — dossiers on SQLite: creation with the unit's daily code sequence, every
 * transition as one transaction (read row, dossier_apply, write row and records, append one
 * hash-chained event), lookups and listing, and the audit chain verification.
 * Hashes are SHA-256 (libsodium); the chain and row encodings are described at hash_*. */
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "vntext.h"

#define HASH_LEN crypto_hash_sha256_BYTES
_Static_assert(sizeof((struct store *)0)->head_hash == HASH_LEN, "audit head: SHA-256");

/* The dossier columns in a fixed order: struct dossier is read from them, and the state hash
 * is taken over them (so the list must only ever grow at the end). */
#define DOSSIER_COLS                                                                               \
    "id, code, unit_code, day, seq, procedure_code, channel, applicant_name, applicant_fold, "     \
    "applicant_idno, applicant_phone, applicant_address, status, resume_to, step, n_steps, "       \
    "submitted_at, received_at, due_at, budget_minutes, step_started_at, step_due_at, "            \
    "stopped_at, stopped_minutes, supplements, pauses, apologies, apology_due_at, result_at, "     \
    "returned_at, closed_at, last_at, outcome, officer, fee_paid_online, digitised, n_events"
#define DOSSIER_NCOLS 37

static const char SQL_BY_CODE[] = "SELECT " DOSSIER_COLS " FROM dossiers WHERE code = ?1";
static const char SQL_ALL_BY_ID[] = "SELECT " DOSSIER_COLS " FROM dossiers ORDER BY id";
static const char SQL_LIST[] =
    "SELECT " DOSSIER_COLS " FROM dossiers WHERE (?1 IS NULL OR unit_code = ?1) "
    "AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR applicant_fold LIKE ?3 ESCAPE '\\') "
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) >= ?4 "
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) < ?5 "
    "ORDER BY code";
/* SQL_LIST for one unit: "?1 IS NULL OR" hides the unit from the planner, which then walked
 * every code from the first one; this form reads index dossiers_unit_code (migration 006)
 * from the unit's first code, in order, and stops with the page. */
#define LIST_UNIT_WHERE                                                                            \
    " FROM dossiers WHERE unit_code = ?1 "                                                         \
    "AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR applicant_fold LIKE ?3 ESCAPE '\\') "      \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) >= ?4 "                \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) < ?5 "                 \
    "ORDER BY code"
static const char SQL_LIST_UNIT[] = "SELECT " DOSSIER_COLS LIST_UNIT_WHERE;
/* The columns of a brief dossier (DOSSIER_ROWS_BRIEF): what a list page shows,
 * and the event count that versions it. A page reads 27 columns of 51 rows instead of 37, each
 * column a step of SQLite's engine and a call to fetch it (bench/http.sh). */
#define BRIEF_COLS                                                                                 \
    "id, code, unit_code, procedure_code, channel, applicant_name, applicant_idno, "               \
    "applicant_phone, status, step, n_steps, submitted_at, received_at, due_at, step_due_at, "     \
    "stopped_at, supplements, pauses, apologies, apology_due_at, result_at, returned_at, "         \
    "closed_at, officer, fee_paid_online, digitised, n_events"
static const char SQL_LIST_UNIT_BRIEF[] = "SELECT " BRIEF_COLS LIST_UNIT_WHERE;
static const char SQL_BRIEF_BY_ID[] = "SELECT " BRIEF_COLS " FROM dossiers WHERE id = ?1";
/* DOSSIER_ROWS_KEYS: a list page whose entries are mostly cached reads these 11
 * columns, and the brief row by id only for the others. */
#define KEY_COLS                                                                                   \
    "id, n_events, code, unit_code, procedure_code, status, received_at, due_at, result_at, "      \
    "closed_at, stopped_at"
static const char SQL_LIST_UNIT_KEYS[] = "SELECT " KEY_COLS LIST_UNIT_WHERE;
static const char SQL_NEXT_SEQ[] =
    "SELECT coalesce(max(seq), 0) FROM dossiers WHERE unit_code = ?1 AND day = ?2";
static const char SQL_INSERT[] =
    "INSERT INTO dossiers (code, unit_code, day, seq, procedure_code, channel, applicant_name, "
    "applicant_fold, applicant_idno, applicant_phone, applicant_address, status, resume_to, "
    "submitted_at, last_at, fee_paid_online, digitised) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'submitted', 'submitted', ?12, ?12, "
    "?13, ?14)";
static const char SQL_UPDATE[] =
    "UPDATE dossiers SET status = ?2, resume_to = ?3, step = ?4, n_steps = ?5, "
    "received_at = ?6, due_at = ?7, budget_minutes = ?8, step_started_at = ?9, "
    "step_due_at = ?10, stopped_at = ?11, stopped_minutes = ?12, supplements = ?13, "
    "pauses = ?14, apologies = ?15, apology_due_at = ?16, result_at = ?17, returned_at = ?18, "
    "closed_at = ?19, last_at = ?20, outcome = ?21, officer = ?22, n_events = ?23 WHERE id = ?1 "
    "RETURNING " DOSSIER_COLS;
/* The same without the indexed columns (status, received_at, due_at; migration 002), for a
 * change that keeps them: SQLite then leaves the three indexes alone instead of deleting and
 * re-inserting their entries (a step advance, most changes). ?2, ?6 and ?7 stay unused. */
static const char SQL_UPDATE_SAME_KEYS[] =
    "UPDATE dossiers SET resume_to = ?3, step = ?4, n_steps = ?5, "
    "budget_minutes = ?8, step_started_at = ?9, "
    "step_due_at = ?10, stopped_at = ?11, stopped_minutes = ?12, supplements = ?13, "
    "pauses = ?14, apologies = ?15, apology_due_at = ?16, result_at = ?17, returned_at = ?18, "
    "closed_at = ?19, last_at = ?20, outcome = ?21, officer = ?22, n_events = ?23 WHERE id = ?1 "
    "RETURNING " DOSSIER_COLS;
static const char SQL_ADD_DOC[] =
    "INSERT INTO dossier_documents (dossier_id, seq, text) VALUES (?1, ?2, ?3)";
static const char SQL_STEP_START[] =
    "INSERT INTO dossier_steps (dossier_id, seq, officer, started_at, due_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_STEP_END[] =
    "UPDATE dossier_steps SET finished_at = ?3, outcome = ?4 WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_STEP_DUE[] =
    "UPDATE dossier_steps SET due_at = ?3 WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_STOP_START[] =
    "INSERT INTO dossier_stops (dossier_id, seq, kind, started_at, reason) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_STOP_END[] = "UPDATE dossier_stops SET ended_at = ?3, working_minutes = ?4 "
                                   "WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_APOLOGY[] =
    "INSERT INTO dossier_apologies (dossier_id, seq, issued_at, old_due_at, new_due_at, reason) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_HEAD[] = "SELECT last_event_id, last_hash FROM audit_head WHERE id = 1";
static const char SQL_SET_HEAD[] =
    "INSERT INTO audit_head (id, last_event_id, last_hash) VALUES (1, ?1, ?2) "
    "ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, "
    "last_hash = excluded.last_hash";
#define EVENT_COLS                                                                                 \
    "id, dossier_id, dossier_seq, at, actor, action, from_status, to_status, note, state_hash, "   \
    "hash"
static const char SQL_ADD_EVENT[] =
    "INSERT INTO events (" EVENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_ALL_EVENTS[] = "SELECT " EVENT_COLS " FROM events ORDER BY id";
static const char SQL_EVENTS_OF[] =
    "SELECT " EVENT_COLS " FROM events WHERE dossier_id = ?1 ORDER BY dossier_seq";
static const char SQL_DOCS_OF[] =
    "SELECT seq, text FROM dossier_documents WHERE dossier_id = ?1 ORDER BY seq";
static const char SQL_STEPS_OF[] =
    "SELECT seq, officer, started_at, due_at, finished_at, outcome FROM dossier_steps "
    "WHERE dossier_id = ?1 ORDER BY seq";
static const char SQL_STOPS_OF[] =
    "SELECT seq, kind, started_at, ended_at, working_minutes, reason FROM dossier_stops "
    "WHERE dossier_id = ?1 ORDER BY seq";
static const char SQL_APOLOGIES_OF[] =
    "SELECT seq, issued_at, old_due_at, new_due_at, reason FROM dossier_apologies "
    "WHERE dossier_id = ?1 ORDER BY seq";
static const char SQL_MAX_ID[] = "SELECT coalesce(max(id), 0) FROM dossiers";
static const char SQL_RATE[] =
    "INSERT INTO dossier_ratings (dossier_id, score, rated_at, comment) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_RATING_OF[] =
    "SELECT score, rated_at, comment FROM dossier_ratings WHERE dossier_id = ?1";

/* ---- hashing ---- */

static void h_int(crypto_hash_sha256_state *h, int64_t v)
{
    unsigned char b[9] = {'i'};
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
    crypto_hash_sha256_update(h, b, sizeof b);
}

static void h_bytes(crypto_hash_sha256_state *h, char tag, const void *p, size_t n)
{
    unsigned char b[5] = {(unsigned char)tag, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    crypto_hash_sha256_update(h, b, sizeof b);
    crypto_hash_sha256_update(h, p, n);
}

/* State hash: SHA-256 over the columns of the current row of st (a DOSSIER_COLS select), each
 * as a tagged value ('i' + 8 bytes big-endian, 't' + 4-byte length + bytes, 'n' for NULL). */
static void hash_dossier_row(sqlite3_stmt *st, unsigned char out[HASH_LEN])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (int i = 0; i < DOSSIER_NCOLS; i++) {
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            h_int(&h, sqlite3_column_int64(st, i));
            break;
        case SQLITE_NULL:
            crypto_hash_sha256_update(&h, (const unsigned char *)"n", 1);
            break;
        default: {
            const unsigned char *t = sqlite3_column_text(st, i);
            h_bytes(&h, 't', t ? t : (const unsigned char *)"",
                    (size_t)sqlite3_column_bytes(st, i));
        }
        }
    }
    crypto_hash_sha256_final(&h, out);
}

struct event_row {
    int64_t id, dossier_id, seq, at;
    const char *actor, *action, *from, *to, *note;
    unsigned char state_hash[HASH_LEN];
};

/* Chain link: SHA-256(previous hash || the event's fields, tagged as in hash_dossier_row). */
static void hash_event(const unsigned char prev[HASH_LEN], const struct event_row *ev,
                       unsigned char out[HASH_LEN])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, HASH_LEN);
    h_int(&h, ev->id);
    h_int(&h, ev->dossier_id);
    h_int(&h, ev->seq);
    h_int(&h, ev->at);
    const char *texts[] = {ev->actor, ev->action, ev->from, ev->to, ev->note};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        h_bytes(&h, 't', texts[i], strlen(texts[i]));
    h_bytes(&h, 'b', ev->state_hash, HASH_LEN);
    crypto_hash_sha256_final(&h, out);
}

static int need_sodium(struct err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "", "libsodium failed to initialise");
    return 0;
}

/* ---- reading rows ---- */

static int64_t col_i64(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

/* One reader for the three column lists (DOSSIER_COLS, BRIEF_COLS, KEY_COLS): each list is
 * turned once into a layout, the member each column fills, by the columns' names, so a list
 * and its reader cannot disagree. Columns no member takes (day, seq, applicant_fold, the
 * stored outcome) are skipped. */
enum dfield {
    F_NONE,
    F_ID,
    F_CODE,
    F_UNIT,
    F_PROCEDURE,
    F_CHANNEL,
    F_NAME,
    F_IDNO,
    F_PHONE,
    F_ADDRESS,
    F_STATUS,
    F_RESUME_TO,
    F_STEP,
    F_N_STEPS,
    F_SUBMITTED,
    F_RECEIVED,
    F_DUE,
    F_BUDGET,
    F_STEP_STARTED,
    F_STEP_DUE,
    F_STOPPED_AT,
    F_STOPPED_MIN,
    F_SUPPLEMENTS,
    F_PAUSES,
    F_APOLOGIES,
    F_APOLOGY_DUE,
    F_RESULT,
    F_RETURNED,
    F_CLOSED,
    F_LAST,
    F_OFFICER,
    F_FEE,
    F_DIGITISED,
    F_N_EVENTS,
    F__COUNT
};
static const char *const field_column[F__COUNT] = {
    [F_ID] = "id",
    [F_CODE] = "code",
    [F_UNIT] = "unit_code",
    [F_PROCEDURE] = "procedure_code",
    [F_CHANNEL] = "channel",
    [F_NAME] = "applicant_name",
    [F_IDNO] = "applicant_idno",
    [F_PHONE] = "applicant_phone",
    [F_ADDRESS] = "applicant_address",
    [F_STATUS] = "status",
    [F_RESUME_TO] = "resume_to",
    [F_STEP] = "step",
    [F_N_STEPS] = "n_steps",
    [F_SUBMITTED] = "submitted_at",
    [F_RECEIVED] = "received_at",
    [F_DUE] = "due_at",
    [F_BUDGET] = "budget_minutes",
    [F_STEP_STARTED] = "step_started_at",
    [F_STEP_DUE] = "step_due_at",
    [F_STOPPED_AT] = "stopped_at",
    [F_STOPPED_MIN] = "stopped_minutes",
    [F_SUPPLEMENTS] = "supplements",
    [F_PAUSES] = "pauses",
    [F_APOLOGIES] = "apologies",
    [F_APOLOGY_DUE] = "apology_due_at",
    [F_RESULT] = "result_at",
    [F_RETURNED] = "returned_at",
    [F_CLOSED] = "closed_at",
    [F_LAST] = "last_at",
    [F_OFFICER] = "officer",
    [F_FEE] = "fee_paid_online",
    [F_DIGITISED] = "digitised",
    [F_N_EVENTS] = "n_events",
};

struct layout {
    int n;
    unsigned char f[DOSSIER_NCOLS];
};
static struct layout full_layout, brief_layout, keys_layout;

static void layout_parse(const char *cols, struct layout *l)
{
    l->n = 0;
    for (const char *p = cols; *p && l->n < DOSSIER_NCOLS;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        unsigned char f = F_NONE;
        for (int k = 1; k < F__COUNT; k++)
            if (strlen(field_column[k]) == len && !strncmp(p, field_column[k], len))
                f = (unsigned char)k;
        if (len) l->f[l->n++] = f;
        p += len;
    }
}

static void layouts_parse(void)
{
    layout_parse(DOSSIER_COLS, &full_layout);
    layout_parse(BRIEF_COLS, &brief_layout);
    layout_parse(KEY_COLS, &keys_layout);
}

static const struct layout *layout_of(enum dossier_rows rows)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, layouts_parse);
    return rows == DOSSIER_ROWS_KEYS    ? &keys_layout
           : rows == DOSSIER_ROWS_BRIEF ? &brief_layout
                                        : &full_layout;
}

static void read_row(sqlite3_stmt *st, enum dossier_rows rows, struct dossier *d)
{
    const struct layout *l = layout_of(rows);
    struct dossier_state *s = &d->st;
    char buf[32];
    memset(d, 0, sizeof *d);
    for (int i = 0; i < l->n; i++) {
        switch ((enum dfield)l->f[i]) {
        case F_NONE:
        case F__COUNT:
            break;
        case F_ID:
            d->id = col_i64(st, i);
            break;
        case F_CODE:
            sq_col_text(st, i, d->code, sizeof d->code);
            break;
        case F_UNIT:
            sq_col_text(st, i, d->unit, sizeof d->unit);
            break;
        case F_PROCEDURE:
            sq_col_text(st, i, d->procedure, sizeof d->procedure);
            break;
        case F_CHANNEL:
            sq_col_text(st, i, buf, sizeof buf);
            dossier_channel_parse(buf, &d->channel, NULL);
            break;
        case F_NAME:
            sq_col_text(st, i, d->applicant.name, sizeof d->applicant.name);
            break;
        case F_IDNO:
            sq_col_text(st, i, d->applicant.idno, sizeof d->applicant.idno);
            break;
        case F_PHONE:
            sq_col_text(st, i, d->applicant.phone, sizeof d->applicant.phone);
            break;
        case F_ADDRESS:
            sq_col_text(st, i, d->applicant.address, sizeof d->applicant.address);
            break;
        case F_STATUS:
            sq_col_text(st, i, buf, sizeof buf);
            dossier_status_parse(buf, &s->status, NULL);
            break;
        case F_RESUME_TO:
            sq_col_text(st, i, buf, sizeof buf);
            dossier_status_parse(buf, &s->resume_to, NULL);
            break;
        case F_STEP:
            s->step = sqlite3_column_int(st, i);
            break;
        case F_N_STEPS:
            s->n_steps = sqlite3_column_int(st, i);
            break;
        case F_SUBMITTED:
            d->submitted_at = col_i64(st, i);
            break;
        case F_RECEIVED:
            s->received_at = col_i64(st, i);
            break;
        case F_DUE:
            s->due_at = col_i64(st, i);
            break;
        case F_BUDGET:
            s->budget_minutes = col_i64(st, i);
            break;
        case F_STEP_STARTED:
            s->step_started_at = col_i64(st, i);
            break;
        case F_STEP_DUE:
            s->step_due_at = col_i64(st, i);
            break;
        case F_STOPPED_AT:
            s->stopped_at = col_i64(st, i);
            break;
        case F_STOPPED_MIN:
            s->stopped_minutes = col_i64(st, i);
            break;
        case F_SUPPLEMENTS:
            s->supplements = sqlite3_column_int(st, i);
            break;
        case F_PAUSES:
            s->pauses = sqlite3_column_int(st, i);
            break;
        case F_APOLOGIES:
            s->apologies = sqlite3_column_int(st, i);
            break;
        case F_APOLOGY_DUE:
            s->apology_due_at = col_i64(st, i);
            break;
        case F_RESULT:
            s->result_at = col_i64(st, i);
            break;
        case F_RETURNED:
            s->returned_at = col_i64(st, i);
            break;
        case F_CLOSED:
            s->closed_at = col_i64(st, i);
            break;
        case F_LAST:
            s->last_at = col_i64(st, i);
            break;
        case F_OFFICER:
            sq_col_text(st, i, d->officer, sizeof d->officer);
            break;
        case F_FEE:
            d->fee_paid_online = sqlite3_column_int(st, i);
            break;
        case F_DIGITISED:
            d->digitised = sqlite3_column_int(st, i);
            break;
        case F_N_EVENTS:
            d->n_events = sqlite3_column_int(st, i);
            break;
        }
    }
}

/* Reads one dossier by code (code != NULL) or by id, as rows fills it: sql selects those
 * columns of the row whose code or id is ?1. */
static int load_rows(struct store *s, const char *sql, enum dossier_rows rows, const char *code,
                     int64_t id, struct dossier *d, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        read_row(st, rows, d);
    } else if (step == SQLITE_DONE && code) {
        rc = err_set(e, ERR_NOT_FOUND, "code", "dossier '%s': no such dossier", code);
    } else if (step == SQLITE_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "id", "dossier %lld: no such dossier", (long long)id);
    } else {
        rc = sq_fail(s, step, "reading dossier", e);
    }
    sq_done(s, st);
    return rc;
}

/* One dossier by code, the whole row. */
static int load(struct store *s, const char *code, struct dossier *d, struct err *e)
{
    return load_rows(s, SQL_BY_CODE, DOSSIER_ROWS_FULL, code, 0, d, e);
}

int store_dossier_get(struct store *s, const char *code, struct dossier *out, struct err *e)
{
    return load(s, code, out, e);
}

int store_dossier_brief(struct store *s, int64_t id, struct dossier *out, struct err *e)
{
    return load_rows(s, SQL_BRIEF_BY_ID, DOSSIER_ROWS_BRIEF, NULL, id, out, e);
}

/* ---- writing ---- */

/* Writes d's state into its row and fills hash with the state hash of the row as written
 * (RETURNING gives the stored values, so verification reads the same). cur: the row as read
 * in this transaction (its indexed columns are left alone when d keeps them), or NULL. */
static int write_state(struct store *s, const struct dossier *cur, const struct dossier *d,
                       unsigned char hash[HASH_LEN], struct err *e)
{
    const struct dossier_state *t = &d->st;
    int same_keys = cur && cur->id == d->id && cur->st.status == t->status &&
                    cur->st.received_at == t->received_at && cur->st.due_at == t->due_at;
    sqlite3_stmt *st;
    int rc = sq_prep(s, same_keys ? SQL_UPDATE_SAME_KEYS : SQL_UPDATE, &st, e);
    if (rc) return rc;
    const int64_t v[] = {t->step,           t->n_steps,        t->received_at,
                         t->due_at,         t->budget_minutes, t->step_started_at,
                         t->step_due_at,    t->stopped_at,     t->stopped_minutes,
                         t->supplements,    t->pauses,         t->apologies,
                         t->apology_due_at, t->result_at,      t->returned_at,
                         t->closed_at,      t->last_at};
    sqlite3_bind_int64(st, 1, d->id);
    sqlite3_bind_text(st, 2, dossier_status_name(t->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, dossier_status_name(t->resume_to), -1, SQLITE_STATIC);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        sqlite3_bind_int64(st, 4 + (int)i, v[i]);
    int decided = t->status == DS_RESULT_READY || dossier_status_closed(t->status);
    if (decided)
        sqlite3_bind_text(st, 21, dossier_outcome_name(dossier_outcome_at(t, t->last_at)), -1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 21);
    sq_bind_text(st, 22, d->officer);
    sqlite3_bind_int(st, 23, d->n_events);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        hash_dossier_row(st, hash);
        step = sqlite3_step(st);
    } else if (step == SQLITE_DONE) {
        step = SQLITE_ERROR; /* no row: the dossier vanished */
    }
    rc = step == SQLITE_DONE ? 0 : sq_fail(s, step, "writing dossier", e);
    sq_done(s, st);
    return rc;
}

/* Runs a statement bound with (dossier id, seq) and up to four more values (text or int). */
struct val {
    const char *t; /* text, or NULL for the integer i */
    int64_t i;
    int null;
};
static int run(struct store *s, const char *sql, int64_t id, int seq, const struct val *v, int n,
               const char *what, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, seq);
    for (int i = 0; i < n; i++) {
        if (v[i].null)
            sqlite3_bind_null(st, 3 + i);
        else if (v[i].t)
            sqlite3_bind_text(st, 3 + i, v[i].t, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(st, 3 + i, v[i].i);
    }
    rc = sq_step_done(s, st, what, e);
    sq_done(s, st);
    return rc;
}

/* Appends the event for d's latest change, chained after the head. */
static int append_event(struct store *s, const struct dossier *d,
                        const unsigned char state_hash[HASH_LEN], const char *action,
                        const char *from, const char *actor, const char *note, struct err *e)
{
    struct event_row ev = {.dossier_id = d->id,
                           .seq = d->n_events,
                           .at = d->st.last_at,
                           .actor = actor,
                           .action = action,
                           .from = from,
                           .to = dossier_status_name(d->st.status),
                           .note = note ? note : ""};
    unsigned char hash[HASH_LEN];
    memcpy(ev.state_hash, state_hash, HASH_LEN);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (s->head_state == SQ_HEAD_UNREAD) {
        if ((rc = sq_prep(s, SQL_HEAD, &st, e))) return rc;
        s->head_id = 0;
        memset(s->head_hash, 0, HASH_LEN);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            s->head_id = col_i64(st, 0);
            if (sqlite3_column_bytes(st, 1) == HASH_LEN)
                memcpy(s->head_hash, sqlite3_column_blob(st, 1), HASH_LEN);
        } else if (step != SQLITE_DONE) {
            rc = sq_fail(s, step, "reading the audit head", e);
        }
        sq_done(s, st);
        if (rc) return rc;
        s->head_state = SQ_HEAD_READ;
    }
    ev.id = s->head_id + 1;
    hash_event(s->head_hash, &ev, hash);
    if ((rc = sq_prep(s, SQL_ADD_EVENT, &st, e))) return rc;
    sqlite3_bind_int64(st, 1, ev.id);
    sqlite3_bind_int64(st, 2, ev.dossier_id);
    sqlite3_bind_int64(st, 3, ev.seq);
    sqlite3_bind_int64(st, 4, ev.at);
    sqlite3_bind_text(st, 5, ev.actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ev.action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, ev.from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, ev.to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, ev.note, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, ev.state_hash, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, hash, HASH_LEN, SQLITE_STATIC);
    rc = sq_step_done(s, st, "appending event", e);
    sq_done(s, st);
    if (rc) return rc;
    /* audit_head is written once per outer transaction, before COMMIT (store_tx) */
    s->head_id = ev.id;
    memcpy(s->head_hash, hash, HASH_LEN);
    s->head_state = SQ_HEAD_MOVED;
    return s->tx_depth == 0 ? sq_head_flush(s, e) : 0;
}

int sq_head_flush(struct store *s, struct err *e)
{
    if (s->head_state != SQ_HEAD_MOVED) return 0;
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_SET_HEAD, &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, s->head_id);
    sqlite3_bind_blob(st, 2, s->head_hash, HASH_LEN, SQLITE_STATIC);
    rc = sq_step_done(s, st, "moving the audit head", e);
    sq_done(s, st);
    if (!rc) s->head_state = s->tx_depth ? SQ_HEAD_READ : SQ_HEAD_UNREAD;
    return rc;
}

static int check_text(const char *what, const char *t, size_t max, struct err *e)
{
    if (t && strlen(t) >= max)
        return err_set(e, ERR_INVALID, what, "%s: longer than %zu bytes", what, max - 1);
    return 0;
}

/* ---- transitions ---- */

struct apply_ctx {
    const struct calendar *cal;
    const struct dossier_change *c;
    struct dossier *out;
};

/* Records the step the dossier leaves (finished at `at`, on time or late). */
static int end_step(struct store *s, const struct dossier *cur, int64_t at, int judged,
                    struct err *e)
{
    if (cur->st.step <= 0) return 0;
    enum dossier_outcome o = dossier_step_outcome(&cur->st, at);
    struct val v[] = {{.i = at}, {.t = dossier_outcome_name(o), .null = !judged}};
    return run(s, SQL_STEP_END, cur->id, cur->st.step, v, 2, "closing step", e);
}

/* Writes the step, stop and apology records that go with the change cur -> nxt. */
static int write_records(struct store *s, const struct dossier *cur, const struct dossier *nxt,
                         const struct dossier_change *c, struct err *e)
{
    int rc = 0, nstop = nxt->st.supplements + nxt->st.pauses;
    const char *note = c->note && *c->note ? c->note : NULL;
    switch (c->action) {
    case DA_ADVANCE: {
        rc = end_step(s, cur, c->at, 1, e);
        struct val v[] = {
            {.t = nxt->officer}, {.i = nxt->st.step_started_at}, {.i = nxt->st.step_due_at}};
        if (!rc) rc = run(s, SQL_STEP_START, nxt->id, nxt->st.step, v, 3, "starting step", e);
        break;
    }
    case DA_FINISH:
    case DA_REFUSE:
        return end_step(s, cur, c->at, 1, e);
    case DA_WITHDRAW:
    case DA_CANCEL:
        return end_step(s, cur, c->at, 0, e);
    case DA_REQUEST_SUPPLEMENT:
    case DA_PAUSE: {
        struct val v[] = {{.t = c->action == DA_PAUSE ? "pause" : "supplement"},
                          {.i = c->at},
                          {.t = note, .null = !note}};
        return run(s, SQL_STOP_START, nxt->id, nstop, v, 3, "recording the stop", e);
    }
    case DA_SUPPLEMENT_RECEIVED:
    case DA_RESUME: {
        struct val v[] = {{.i = c->at}, {.i = nxt->st.stopped_minutes - cur->st.stopped_minutes}};
        rc = run(s, SQL_STOP_END, nxt->id, nstop, v, 2, "ending the stop", e);
        struct val due[] = {{.i = nxt->st.step_due_at}};
        if (!rc && nxt->st.step > 0)
            rc = run(s, SQL_STEP_DUE, nxt->id, nxt->st.step, due, 1, "moving the step due", e);
        break;
    }
    case DA_APOLOGISE: {
        struct val v[] = {
            {.i = c->at}, {.i = cur->st.due_at}, {.i = c->new_due_at}, {.t = note, .null = !note}};
        return run(s, SQL_APOLOGY, nxt->id, nxt->st.apologies, v, 4, "recording the apology", e);
    }
    default:
        break;
    }
    return rc;
}

static int needs_procedure(enum dossier_action a)
{
    return a == DA_RECEIVE || a == DA_ADVANCE || a == DA_SUPPLEMENT_RECEIVED || a == DA_RESUME;
}

/* Applies one change to a loaded dossier (inside a transaction): state, records, event. */
static int apply_loaded(struct store *s, const struct calendar *cal, struct dossier *d,
                        const struct dossier_change *c, struct err *e)
{
    struct procedure *own = NULL;
    const struct procedure *proc = c->proc;
    int rc = 0;
    if (needs_procedure(c->action) && !proc) {
        if (!(own = malloc(sizeof *own))) return err_set(e, ERR_NOMEM, "", "out of memory");
        rc = store_procedure_get(s, d->procedure, own, e);
        proc = own;
    }
    if (!rc && proc && strcmp(proc->code, d->procedure))
        rc = err_set(e, ERR_INVALID, "procedure", "dossier %s is for procedure %s, not %s", d->code,
                     d->procedure, proc->code);
    struct action_args a = {.at = c->at,
                            .cal = cal,
                            .proc = proc,
                            .supplement_rule = c->supplement_rule,
                            .new_due_at = c->new_due_at};
    struct dossier nxt = *d;
    if (!rc) rc = dossier_apply(&d->st, c->action, &a, &nxt.st, e);
    if (rc) goto out;
    if (c->action == DA_ADVANCE)
        snprintf(nxt.officer, sizeof nxt.officer, "%s",
                 c->officer && *c->officer ? c->officer : c->actor);
    nxt.n_events++;
    unsigned char h[HASH_LEN];
    if (!(rc = write_records(s, d, &nxt, c, e)) && !(rc = write_state(s, d, &nxt, h, e)))
        rc = append_event(s, &nxt, h, dossier_action_name(c->action),
                          dossier_status_name(d->st.status), c->actor, c->note, e);
    if (!rc) rc = store_stats_apply_event(s, d, &nxt, e);
    if (!rc) *d = nxt;
out:
    free(own);
    return rc;
}

static int check_change(const struct dossier_change *c, struct err *e)
{
    if (!c->actor || !*c->actor)
        return err_set(e, ERR_INVALID, "actor", "actor: who does the action must be given");
    int rc = check_text("actor", c->actor, DOSSIER_ACTOR_MAX, e);
    if (!rc) rc = check_text("officer", c->officer, DOSSIER_ACTOR_MAX, e);
    if (!rc) rc = check_text("note", c->note, DOSSIER_NOTE_MAX, e);
    if (!rc && c->note && !vntext_valid_utf8(c->note))
        rc = err_set(e, ERR_INVALID, "note", "note: not valid UTF-8");
    return rc;
}

static int apply_tx(struct store *s, void *ctx, struct err *e)
{
    struct apply_ctx *x = ctx;
    struct dossier d;
    int rc = load(s, x->c->code, &d, e);
    if (!rc) rc = apply_loaded(s, x->cal, &d, x->c, e);
    if (!rc && x->out) *x->out = d;
    return rc;
}

int store_dossier_apply(struct store *s, const struct calendar *cal, const struct dossier_change *c,
                        struct dossier *out, struct err *e)
{
    int rc = need_sodium(e);
    if (!rc) rc = check_change(c, e);
    if (rc) return rc;
    struct apply_ctx x = {cal, c, out};
    return store_tx(s, apply_tx, &x, e);
}

/* ---- creation ---- */

struct create_ctx {
    const struct calendar *cal;
    const struct dossier_intake *in;
    const struct procedure *proc;
    struct dossier *out;
};

static int next_seq(struct store *s, const char *unit, const char *day, int *seq, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_NEXT_SEQ, &st, e);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *seq = sqlite3_column_int(st, 0) + 1;
    else
        rc = sq_fail(s, step, "numbering the dossier", e);
    sq_done(s, st);
    return rc;
}

static int insert_row(struct store *s, struct dossier *d, const char *day, int seq,
                      const struct dossier_intake *in, struct err *e)
{
    char fold[APPLICANT_NAME_MAX * 2];
    if (vntext_fold(d->applicant.name, fold, sizeof fold))
        return err_set(e, ERR_INVALID, "name", "applicant name: not valid UTF-8 or too long");
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_INSERT, &st, e);
    if (rc) return rc;
    const char *texts[] = {d->code,
                           d->unit,
                           day,
                           NULL,
                           d->procedure,
                           dossier_channel_name(d->channel),
                           d->applicant.name,
                           fold,
                           d->applicant.idno,
                           d->applicant.phone,
                           d->applicant.address};
    for (int i = 0; i < 11; i++)
        if (texts[i]) sq_bind_text(st, i + 1, texts[i]);
    sqlite3_bind_int(st, 4, seq);
    sqlite3_bind_int64(st, 12, in->at);
    sqlite3_bind_int(st, 13, in->fee_paid_online ? 1 : 0);
    sqlite3_bind_int(st, 14, in->digitised ? 1 : 0);
    rc = sq_step_done(s, st, "inserting dossier", e);
    sq_done(s, st);
    if (rc == ERR_CONFLICT) /* UNIQUE (code): a database from before imports refused this */
        rc = err_set(e, ERR_CONFLICT, "unit",
                     "dossier code '%s' was already issued by another unit with the same "
                     "identifier code; give each unit its own ident_code (cchc import units)",
                     d->code);
    if (!rc) d->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Copies the received documents of the receipt (Mẫu 01) from the procedure's list. */
static int add_documents(struct store *s, int64_t id, const struct dossier_intake *in,
                         const struct procedure *p, struct err *e)
{
    int n = in->docs ? in->ndocs : p->ndocs, rc = 0;
    for (int i = 0; !rc && i < n; i++) {
        int k = in->docs ? in->docs[i] : i + 1;
        struct val v[] = {{.t = p->docs[k - 1]}};
        rc = run(s, SQL_ADD_DOC, id, i + 1, v, 1, "recording documents", e);
    }
    return rc;
}

static int check_intake(const struct dossier_intake *in, const struct procedure *p, struct err *e)
{
    int rc = applicant_check(&in->applicant, e);
    if (!rc && (!in->actor || !*in->actor))
        rc = err_set(e, ERR_INVALID, "actor", "actor: who records the dossier must be given");
    if (!rc) rc = check_text("actor", in->actor, DOSSIER_ACTOR_MAX, e);
    if (!rc && (unsigned)in->channel >= CHANNEL__COUNT)
        rc = err_set(e, ERR_INVALID, "channel", "channel %d: unknown", (int)in->channel);
    for (int i = 0; !rc && in->docs && i < in->ndocs; i++)
        if (in->docs[i] < 1 || in->docs[i] > p->ndocs)
            rc =
                err_set(e, ERR_INVALID, "docs", "document %d: procedure %s lists documents 1 to %d",
                        in->docs[i], p->code, p->ndocs);
    return rc;
}

static int create_tx(struct store *s, void *ctx, struct err *e)
{
    struct create_ctx *x = ctx;
    const struct dossier_intake *in = x->in;
    struct unit u;
    int rc = store_unit_get(s, in->unit, &u, e);
    if (rc) return rc;
    int64_t day = instant_day(in->at);
    char dbuf[16];
    if (!u.ident_code[0])
        return err_set(e, ERR_CONFLICT, "unit",
                       "unit %s has no identifier code (Circular 10/2016/TT-BTTTT) to number "
                       "dossiers with",
                       u.code);
    if (!unit_valid_on(&u, day))
        return err_set(e, ERR_CONFLICT, "unit", "unit %s does not exist on %s", u.code,
                       day_format(day, dbuf));
    struct dossier d;
    memset(&d, 0, sizeof d);
    int seq = 0;
    day_format(day, dbuf);
    if ((rc = next_seq(s, u.code, dbuf, &seq, e))) return rc;
    if (seq > 9999)
        return err_set(e, ERR_CONFLICT, "seq",
                       "unit %s already has 9999 dossiers on %s: the code's sequence is full",
                       u.code, dbuf);
    if ((rc = dossier_code_build(u.ident_code, day, seq, d.code, sizeof d.code, e))) return rc;
    snprintf(d.unit, sizeof d.unit, "%s", u.code);
    snprintf(d.procedure, sizeof d.procedure, "%s", x->proc->code);
    d.channel = in->channel;
    d.applicant = in->applicant;
    if (vntext_nfc(in->applicant.name, d.applicant.name, sizeof d.applicant.name) ||
        vntext_nfc(in->applicant.address, d.applicant.address, sizeof d.applicant.address))
        return err_set(e, ERR_INVALID, "name", "applicant name or address: not valid UTF-8");
    d.submitted_at = in->at;
    d.fee_paid_online = in->fee_paid_online ? 1 : 0;
    d.digitised = in->digitised ? 1 : 0;
    dossier_init(&d.st);
    d.st.last_at = in->at;
    if ((rc = insert_row(s, &d, dbuf, seq, in, e)) || (rc = add_documents(s, d.id, in, x->proc, e)))
        return rc;
    unsigned char h[HASH_LEN];
    if (!in->receive) {
        d.n_events = 1;
        if (!(rc = write_state(s, NULL, &d, h, e)))
            rc = append_event(s, &d, h, "submit", "", in->actor, NULL, e);
    } else {
        /* Received at the desk: one event, 'receive', from nothing. */
        struct action_args a = {.at = in->at, .cal = x->cal, .proc = x->proc};
        struct dossier nxt = d;
        if ((rc = dossier_apply(&d.st, DA_RECEIVE, &a, &nxt.st, e))) return rc;
        nxt.n_events = 1;
        if (!(rc = write_state(s, NULL, &nxt, h, e)))
            rc = append_event(s, &nxt, h, "receive", "", in->actor, NULL, e);
        d = nxt;
    }
    if (!rc) rc = store_stats_apply_event(s, NULL, &d, e);
    if (!rc && x->out) *x->out = d;
    return rc;
}

int store_dossier_create(struct store *s, const struct calendar *cal,
                         const struct dossier_intake *in, struct dossier *out, struct err *e)
{
    struct procedure *own = NULL;
    const struct procedure *p = in->proc;
    int rc = need_sodium(e);
    if (rc) return rc;
    if (!p) {
        if (!(own = malloc(sizeof *own))) return err_set(e, ERR_NOMEM, "", "out of memory");
        if ((rc = store_procedure_get(s, in->procedure, own, e))) goto out;
        p = own;
    } else if (in->procedure && strcmp(in->procedure, p->code)) {
        rc = err_set(e, ERR_INVALID, "procedure", "procedure %s given with the record of %s",
                     in->procedure, p->code);
        goto out;
    }
    if ((rc = check_intake(in, p, e))) goto out;
    struct create_ctx x = {cal, in, p, out};
    rc = store_tx(s, create_tx, &x, e);
out:
    free(own);
    return rc;
}

/* ---- listing ---- */

static int like_pattern(const char *q, char *out, size_t n, struct err *e)
{
    char fold[512];
    if (vntext_fold(q, fold, sizeof fold))
        return err_set(e, ERR_INVALID, "name", "name filter: not valid UTF-8 or too long");
    size_t k = 0;
    out[k++] = '%';
    for (const char *p = fold; *p && k + 3 < n; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') out[k++] = '\\';
        out[k++] = *p;
    }
    out[k++] = '%';
    out[k] = '\0';
    return 0;
}

int store_dossier_list(struct store *s, const struct dossier_filter *f, dossier_fn fn, void *ctx,
                       struct err *e)
{
    char pattern[1100];
    int rc = 0;
    if (f->name && *f->name && (rc = like_pattern(f->name, pattern, sizeof pattern, e))) return rc;
    sqlite3_stmt *st;
    enum dossier_rows rows = f->unit && *f->unit ? f->rows : DOSSIER_ROWS_FULL;
    const char *sql = !(f->unit && *f->unit)       ? SQL_LIST
                      : rows == DOSSIER_ROWS_KEYS  ? SQL_LIST_UNIT_KEYS
                      : rows == DOSSIER_ROWS_BRIEF ? SQL_LIST_UNIT_BRIEF
                                                   : SQL_LIST_UNIT;
    if ((rc = sq_prep(s, sql, &st, e))) return rc;
    sq_bind_text(st, 1, f->unit);
    if (f->status >= 0 && f->status < DS__COUNT)
        sqlite3_bind_text(st, 2, dossier_status_name((enum dossier_status)f->status), -1,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    if (f->name && *f->name)
        sqlite3_bind_text(st, 3, pattern, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_int64(st, 4, f->from_day == INT64_MIN ? INT64_MIN : f->from_day * MINUTES_PER_DAY);
    sqlite3_bind_int64(st, 5,
                       f->to_day == INT64_MAX ? INT64_MAX : (f->to_day + 1) * MINUTES_PER_DAY);
    int step;
    int64_t shown = 0;
    struct dossier d;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        read_row(st, rows, &d);
        if (f->outcome >= 0 && (int)dossier_outcome_at(&d.st, f->now) != f->outcome) continue;
        if ((rc = fn(&d, ctx))) break;
        if (f->limit > 0 && ++shown >= f->limit) break;
    }
    if (!rc && step != SQLITE_ROW && step != SQLITE_DONE) rc = sq_fail(s, step, "listing", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_COUNT_BY_STATUS[] = "SELECT status, count(*) FROM dossiers GROUP BY status";

int store_dossier_count_by_status(struct store *s, int64_t n[DS__COUNT], struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_COUNT_BY_STATUS, &st, e), step;
    if (rc) return rc;
    for (int i = 0; i < DS__COUNT; i++)
        n[i] = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        enum dossier_status k;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || dossier_status_parse(name, &k, NULL)) {
            rc = err_set(e, ERR_INTERNAL, "status", "a dossier has the unknown status '%.40s'",
                         name ? name : "");
            break;
        }
        n[k] = sqlite3_column_int64(st, 1);
    }
    if (!rc && step != SQLITE_DONE) rc = sq_fail(s, step, "counting dossiers", e);
    sq_done(s, st);
    return rc;
}

/* ---- records ---- */

static int each_row(struct store *s, const char *sql, int64_t id,
                    int (*row)(sqlite3_stmt *, void *), void *arg, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, sql, &st, e), step;
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = row(st, arg))) break;
    if (!rc && step != SQLITE_DONE) rc = sq_fail(s, step, "reading dossier records", e);
    sq_done(s, st);
    return rc;
}

static int doc_row(sqlite3_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    return r->document(sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1), r->ctx);
}

static int step_row(sqlite3_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_step_rec x = {.seq = sqlite3_column_int(st, 0)};
    char buf[16];
    sq_col_text(st, 1, x.officer, sizeof x.officer);
    x.started_at = col_i64(st, 2);
    x.due_at = col_i64(st, 3);
    x.finished_at = col_i64(st, 4);
    sq_col_text(st, 5, buf, sizeof buf);
    x.outcome = !strcmp(buf, "late") ? OUT_LATE : !strcmp(buf, "on_time") ? OUT_ON_TIME : OUT_NONE;
    return r->step(&x, r->ctx);
}

static int stop_row(sqlite3_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_stop_rec x = {.seq = sqlite3_column_int(st, 0)};
    char kind[16];
    sq_col_text(st, 1, kind, sizeof kind);
    x.pause = !strcmp(kind, "pause");
    x.started_at = col_i64(st, 2);
    x.ended_at = col_i64(st, 3);
    x.working_minutes = col_i64(st, 4);
    sq_col_text(st, 5, x.reason, sizeof x.reason);
    return r->stop(&x, r->ctx);
}

static int apology_row(sqlite3_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_apology_rec x = {.seq = sqlite3_column_int(st, 0)};
    x.issued_at = col_i64(st, 1);
    x.old_due_at = col_i64(st, 2);
    x.new_due_at = col_i64(st, 3);
    sq_col_text(st, 4, x.reason, sizeof x.reason);
    return r->apology(&x, r->ctx);
}

static int event_row(sqlite3_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_event x = {.id = col_i64(st, 0), .seq = sqlite3_column_int(st, 2)};
    x.at = col_i64(st, 3);
    sq_col_text(st, 4, x.actor, sizeof x.actor);
    sq_col_text(st, 5, x.action, sizeof x.action);
    sq_col_text(st, 6, x.from_status, sizeof x.from_status);
    sq_col_text(st, 7, x.to_status, sizeof x.to_status);
    sq_col_text(st, 8, x.note, sizeof x.note);
    return r->event(&x, r->ctx);
}

int store_dossier_records(struct store *s, const char *code, const struct dossier_records *r,
                          struct err *e)
{
    struct dossier d;
    int rc = load(s, code, &d, e);
    if (!rc && r->document) rc = each_row(s, SQL_DOCS_OF, d.id, doc_row, (void *)r, e);
    if (!rc && r->step) rc = each_row(s, SQL_STEPS_OF, d.id, step_row, (void *)r, e);
    if (!rc && r->stop) rc = each_row(s, SQL_STOPS_OF, d.id, stop_row, (void *)r, e);
    if (!rc && r->apology) rc = each_row(s, SQL_APOLOGIES_OF, d.id, apology_row, (void *)r, e);
    if (!rc && r->event) rc = each_row(s, SQL_EVENTS_OF, d.id, event_row, (void *)r, e);
    return rc;
}

/* ---- ratings ---- */

static int found(sqlite3_stmt *st, void *arg)
{
    (void)st;
    *(int *)arg = 1;
    return 0;
}

struct rate_ctx {
    const char *code, *comment;
    int score;
    int64_t at;
};

static int rate_tx(struct store *s, void *ctx, struct err *e)
{
    struct rate_ctx *x = ctx;
    struct dossier d;
    int rc = load(s, x->code, &d, e), rated = 0;
    if (rc) return rc;
    if (d.st.status != DS_RETURNED)
        return err_set(e, ERR_CONFLICT, "action",
                       "cannot 'rate' a dossier in state '%s': ratings come after the result "
                       "is returned",
                       dossier_status_name(d.st.status));
    if (x->at < d.st.last_at) {
        char at[20], last[20];
        return err_set(e, ERR_INVALID, "at", "time %s: before the dossier's latest action at %s",
                       instant_format(x->at, at), instant_format(d.st.last_at, last));
    }
    if ((rc = each_row(s, SQL_RATING_OF, d.id, found, &rated, e))) return rc;
    if (rated)
        return err_set(e, ERR_CONFLICT, "score", "dossier %s has already been rated", d.code);
    struct val v[] = {{.i = x->at}, {.t = x->comment, .null = !x->comment || !*x->comment}};
    sqlite3_stmt *st;
    if ((rc = sq_prep(s, SQL_RATE, &st, e))) return rc;
    sqlite3_bind_int64(st, 1, d.id);
    sqlite3_bind_int(st, 2, x->score);
    sqlite3_bind_int64(st, 3, v[0].i);
    if (v[1].null)
        sqlite3_bind_null(st, 4);
    else
        sqlite3_bind_text(st, 4, v[1].t, -1, SQLITE_STATIC);
    rc = sq_step_done(s, st, "recording the rating", e);
    sq_done(s, st);
    if (rc) return rc;
    struct dossier nxt = d;
    nxt.n_events++;
    nxt.st.last_at = x->at;
    char note[32];
    snprintf(note, sizeof note, "score %d", x->score); /* the comment stays out of the log */
    unsigned char h[HASH_LEN];
    if (!(rc = write_state(s, &d, &nxt, h, e)))
        rc = append_event(s, &nxt, h, "rate", dossier_status_name(d.st.status), "applicant", note,
                          e);
    if (!rc) rc = store_stats_apply_event(s, &d, &nxt, e);
    return rc;
}

int store_dossier_rate(struct store *s, const char *code, int score, int64_t at,
                       const char *comment, struct err *e)
{
    int rc = need_sodium(e);
    if (rc) return rc;
    if (score < 1 || score > 5)
        return err_set(e, ERR_INVALID, "score", "score %d: must be 1 to 5", score);
    if ((rc = check_text("comment", comment, DOSSIER_NOTE_MAX, e))) return rc;
    if (comment && !vntext_valid_utf8(comment))
        return err_set(e, ERR_INVALID, "comment", "comment: not valid UTF-8");
    struct rate_ctx x = {code, comment, score, at};
    return store_tx(s, rate_tx, &x, e);
}

struct rating_out {
    int *score;
    int64_t *at;
    char *comment;
    size_t n;
};

static int rating_row(sqlite3_stmt *st, void *arg)
{
    struct rating_out *o = arg;
    *o->score = sqlite3_column_int(st, 0);
    *o->at = col_i64(st, 1);
    if (o->comment) sq_col_text(st, 2, o->comment, o->n);
    return 0;
}

int store_dossier_rating(struct store *s, const char *code, int *score, int64_t *rated_at,
                         char *comment, size_t n, struct err *e)
{
    struct dossier d;
    *score = 0;
    *rated_at = 0;
    if (comment && n) comment[0] = '\0';
    int rc = load(s, code, &d, e);
    struct rating_out o = {score, rated_at, comment, n};
    if (!rc) rc = each_row(s, SQL_RATING_OF, d.id, rating_row, &o, e);
    return rc;
}

/* ---- audit ---- */

struct seen {
    int32_t seq;
    unsigned char state[HASH_LEN];
};

static int bad(struct audit_report *r, int64_t ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct audit_report *r, int64_t ev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
    r->ok = 0;
    r->bad_event = ev;
    return 1; /* stops the walk */
}

/* Walks the chain; fills seen[dossier_id] with each dossier's last event. */
static int verify_chain(struct store *s, struct seen *seen, int64_t max_id,
                        unsigned char last[HASH_LEN], struct audit_report *r, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_ALL_EVENTS, &st, e), step, stop = 0;
    if (rc) return rc;
    memset(last, 0, HASH_LEN);
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct event_row ev = {.id = col_i64(st, 0),
                               .dossier_id = col_i64(st, 1),
                               .seq = col_i64(st, 2),
                               .at = col_i64(st, 3)};
        const char *t[5];
        for (int i = 0; i < 5; i++) {
            const unsigned char *v = sqlite3_column_text(st, 4 + i);
            t[i] = v ? (const char *)v : "";
        }
        ev.actor = t[0], ev.action = t[1], ev.from = t[2], ev.to = t[3], ev.note = t[4];
        unsigned char h[HASH_LEN];
        int64_t want = r->events + 1;
        if (ev.id != want) {
            stop = bad(r, want,
                       "event %lld is missing: the log jumps from %lld to %lld (rows "
                       "deleted)",
                       (long long)want, (long long)want - 1, (long long)ev.id);
            break;
        }
        if (sqlite3_column_bytes(st, 9) != HASH_LEN || sqlite3_column_bytes(st, 10) != HASH_LEN) {
            stop = bad(r, ev.id, "event %lld: hash columns are not 32 bytes", (long long)ev.id);
            break;
        }
        memcpy(ev.state_hash, sqlite3_column_blob(st, 9), HASH_LEN);
        hash_event(last, &ev, h);
        if (memcmp(h, sqlite3_column_blob(st, 10), HASH_LEN)) {
            stop = bad(r, ev.id,
                       "event %lld: hash does not match its content or the chain "
                       "(row edited, or rows reordered)",
                       (long long)ev.id);
            break;
        }
        if (ev.dossier_id < 1 || ev.dossier_id > max_id || ev.seq != seen[ev.dossier_id].seq + 1) {
            stop = bad(r, ev.id,
                       "event %lld: dossier %lld's events jump to number %lld "
                       "(an event of that dossier was deleted or moved)",
                       (long long)ev.id, (long long)ev.dossier_id, (long long)ev.seq);
            break;
        }
        seen[ev.dossier_id].seq = (int32_t)ev.seq;
        memcpy(seen[ev.dossier_id].state, ev.state_hash, HASH_LEN);
        memcpy(last, h, HASH_LEN);
        r->events++;
    }
    if (!stop && step != SQLITE_DONE) rc = sq_fail(s, step, "reading events", e);
    sq_done(s, st);
    return rc;
}

static int verify_head(struct store *s, const unsigned char last[HASH_LEN], struct audit_report *r,
                       struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_HEAD, &st, e);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        int64_t id = col_i64(st, 0);
        if (id != r->events)
            bad(r, r->events + 1,
                "the audit head says the log ends at event %lld but it ends at %lld (events "
                "deleted at the end, or the head edited)",
                (long long)id, (long long)r->events);
        else if (sqlite3_column_bytes(st, 1) != HASH_LEN ||
                 memcmp(sqlite3_column_blob(st, 1), last, HASH_LEN))
            bad(r, id, "the audit head's hash does not match event %lld", (long long)id);
    } else if (step == SQLITE_DONE) {
        if (r->events) bad(r, 1, "the audit head is missing");
    } else {
        rc = sq_fail(s, step, "reading the audit head", e);
    }
    sq_done(s, st);
    return rc;
}

static int verify_rows(struct store *s, const struct seen *seen, struct audit_report *r,
                       struct err *e)
{
    sqlite3_stmt *st;
    int rc = sq_prep(s, SQL_ALL_BY_ID, &st, e), step;
    if (rc) return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = col_i64(st, 0);
        unsigned char h[HASH_LEN];
        const char *code = (const char *)sqlite3_column_text(st, 1);
        r->dossiers++;
        if (seen[id].seq == 0) {
            bad(r, 0, "dossier %s has no events", code ? code : "?");
            break;
        }
        hash_dossier_row(st, h);
        if (memcmp(h, seen[id].state, HASH_LEN) || sqlite3_column_int(st, 36) != seen[id].seq) {
            bad(r, 0,
                "dossier %s: the row does not match the state its last event (number %d) "
                "recorded (row edited)",
                code ? code : "?", (int)seen[id].seq);
            break;
        }
    }
    if (r->ok && step != SQLITE_DONE) rc = sq_fail(s, step, "reading dossiers", e);
    sq_done(s, st);
    return rc;
}

static int verify_tx(struct store *s, void *ctx, struct err *e)
{
    struct audit_report *r = ctx;
    sqlite3_stmt *st;
    int64_t max_id = 0;
    int rc = sq_head_flush(s, e); /* this transaction's own events, if any */
    if (rc || (rc = sq_prep(s, SQL_MAX_ID, &st, e))) return rc;
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) max_id = col_i64(st, 0);
    sq_done(s, st);
    struct seen *seen = calloc((size_t)max_id + 1, sizeof *seen);
    if (!seen)
        return err_set(e, ERR_NOMEM, "", "out of memory for %lld dossiers", (long long)max_id);
    unsigned char last[HASH_LEN];
    rc = verify_chain(s, seen, max_id, last, r, e);
    if (!rc && r->ok) rc = verify_head(s, last, r, e);
    if (!rc && r->ok) rc = verify_rows(s, seen, r, e);
    free(seen);
    return rc;
}

int store_audit_verify(struct store *s, struct audit_report *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->ok = 1;
    int rc = need_sodium(e);
    if (rc) return rc;
    /* One transaction: a consistent snapshot even while others write. */
    return store_tx(s, verify_tx, out, e);
}
