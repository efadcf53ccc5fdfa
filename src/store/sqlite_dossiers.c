/* sqlite_dossiers.c — dossiers on SQLite: the row operations of struct store_backend for
 * dossiers, their records, ratings and the audit log (the transactions that use them are
 * dossiers.c and audit.c, above every backend), and the reads: one dossier, lists, records. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "vntext.h"

#define HASH_LEN AUDIT_HASH_LEN
_Static_assert(sizeof((struct store *)0)->heads.h[0].hash == HASH_LEN, "audit head: SHA-256");

/* The dossier columns in a fixed order: struct dossier is read from them (the state hash of
 * audit.c takes the same order). */
#define DOSSIER_COLS                                                                               \
    "id, code, unit_code, day, seq, procedure_code, channel, applicant_name, applicant_fold, "     \
    "applicant_idno, applicant_phone, applicant_address, status, resume_to, step, n_steps, "       \
    "submitted_at, received_at, due_at, budget_minutes, step_started_at, step_due_at, "            \
    "stopped_at, stopped_minutes, supplements, pauses, apologies, apology_due_at, result_at, "     \
    "returned_at, closed_at, last_at, outcome, officer, fee_paid_online, digitised, n_events"
#define DOSSIER_NCOLS 37

/* with the province after the state's columns (migration 037): a transaction that reads a
 * dossier writes its rows with it, without asking again */
static const char SQL_BY_CODE[] =
    "SELECT " DOSSIER_COLS ", province, decider_unit FROM dossiers WHERE code = ?1";
static const char SQL_ALL_BY_ID[] = "SELECT " DOSSIER_COLS ", province FROM dossiers ORDER BY id";
/* the same on a schema before migration 037 (verifying a copy before `cchc migrate`) */
static const char SQL_ALL_BY_ID_V36[] = "SELECT " DOSSIER_COLS ", '' FROM dossiers ORDER BY id";
#define LIST_ALL_WHERE                                                                             \
    " FROM dossiers WHERE (CAST(?1 AS TEXT) IS NULL OR unit_code = ?1) "                           \
    "AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) AND (CAST(?3 AS TEXT) IS NULL OR "              \
    "applicant_fold "                                                                              \
    "LIKE ?3 ESCAPE '\\') "                                                                        \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) >= ?4 "                \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) < ?5 "                 \
    "ORDER BY code"
static const char SQL_LIST[] = "SELECT " DOSSIER_COLS LIST_ALL_WHERE;
/* SQL_LIST for one unit: "?1 IS NULL OR" hides the unit from the planner, which then walked
 * every code from the first one; this form reads index dossiers_unit_code (migration 006)
 * from the unit's first code, in order, and stops with the page. */
#define LIST_FILTERS(unit)                                                                         \
    " FROM dossiers WHERE unit_code = " unit " "                                                   \
    "AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) AND (CAST(?3 AS TEXT) IS NULL OR "              \
    "applicant_fold LIKE ?3 ESCAPE '\\') "
#define LIST_PERIOD                                                                                \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) >= ?4 "                \
    "AND (CASE WHEN received_at > 0 THEN received_at ELSE submitted_at END) < ?5 "
#define LIST_UNIT_FILTERS LIST_FILTERS("?1")
#define LIST_UNIT_WHERE   LIST_UNIT_FILTERS LIST_PERIOD "ORDER BY code"
/* LIST_UNIT_WHERE without a period (?4 and ?5 unused): PostgreSQL has no statistics on the
 * period's expression, so its planner took the two bounds, even -inf and +inf, for a filter
 * keeping a few rows, read every dossier of the unit through dossiers_unit_received and sorted
 * them for the page: at 200,000 dossiers a ward's page read 6,063 rows for 51 (25 ms), and
 * the page's cost grew with the unit's dossiers (docs/scale.md, the curve's PostgreSQL
 * column). Without the period it reads dossiers_unit_code in order and stops with the page,
 * as SQLite does with either form. */
#define LIST_UNIT_WHERE_ANYTIME LIST_UNIT_FILTERS "ORDER BY code"
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
/* The same with the page's bound in the statement. PostgreSQL's driver fetches a statement's
 * whole result before the first row (PQexecPrepared), and its planner plans for every row
 * without a LIMIT: a ward's page read all of the ward's dossiers, so its cost grew with the
 * data (docs/scale.md, 250 r/s at 2,000 dossiers, 33 at 100,000). SQLite stops stepping
 * after the page either way. */
#define LIST_LIMIT " LIMIT ?6"
static const char SQL_LIST_LIM[] = "SELECT " DOSSIER_COLS LIST_ALL_WHERE LIST_LIMIT;
static const char SQL_LIST_UNIT_LIM[] = "SELECT " DOSSIER_COLS LIST_UNIT_WHERE LIST_LIMIT;
static const char SQL_LIST_UNIT_BRIEF_LIM[] = "SELECT " BRIEF_COLS LIST_UNIT_WHERE LIST_LIMIT;
static const char SQL_LIST_UNIT_KEYS_LIM[] = "SELECT " KEY_COLS LIST_UNIT_WHERE LIST_LIMIT;
/* the same for a list with no period */
static const char SQL_ANY_UNIT[] = "SELECT " DOSSIER_COLS LIST_UNIT_WHERE_ANYTIME;
static const char SQL_ANY_UNIT_BRIEF[] = "SELECT " BRIEF_COLS LIST_UNIT_WHERE_ANYTIME;
static const char SQL_ANY_UNIT_KEYS[] = "SELECT " KEY_COLS LIST_UNIT_WHERE_ANYTIME;
static const char SQL_ANY_UNIT_LIM[] = "SELECT " DOSSIER_COLS LIST_UNIT_WHERE_ANYTIME LIST_LIMIT;
static const char SQL_ANY_UNIT_BRIEF_LIM[] =
    "SELECT " BRIEF_COLS LIST_UNIT_WHERE_ANYTIME LIST_LIMIT;
static const char SQL_ANY_UNIT_KEYS_LIM[] = "SELECT " KEY_COLS LIST_UNIT_WHERE_ANYTIME LIST_LIMIT;
/* A page over several units in one statement (PostgreSQL, where each statement waits for a
 * round trip): ?1 the units' codes joined by ',' (a unit code has none), in walk order; each
 * unit's first ?6 rows as LIST_UNIT_WHERE(_ANYTIME) reads them, then the first ?6 of all in
 * the units' order. PostgreSQL sorts at most units × ?6 rows for it. */
#define PAGE_UNITS(cols, period)                                                                   \
    "SELECT d.* FROM unnest(string_to_array(CAST(?1 AS TEXT), ',')) WITH ORDINALITY AS u(unit, "   \
    "ord) CROSS JOIN LATERAL (SELECT " cols LIST_FILTERS("u.unit") period                          \
        "ORDER BY code LIMIT ?6) d ORDER BY u.ord, d.code LIMIT ?6"
static const char *const SQL_PAGE[2][3] = {
    /* [anytime][rows] */
    {PAGE_UNITS(DOSSIER_COLS, LIST_PERIOD), PAGE_UNITS(BRIEF_COLS, LIST_PERIOD),
     PAGE_UNITS(KEY_COLS, LIST_PERIOD)},
    {PAGE_UNITS(DOSSIER_COLS, ""), PAGE_UNITS(BRIEF_COLS, ""), PAGE_UNITS(KEY_COLS, "")},
};
_Static_assert(DOSSIER_ROWS_FULL == 0 && DOSSIER_ROWS_BRIEF == 1 && DOSSIER_ROWS_KEYS == 2,
               "SQL_PAGE's rows");
static const char SQL_NEXT_SEQ[] =
    "SELECT coalesce(max(seq), 0) FROM dossiers WHERE unit_code = ?1 AND day = ?2";
static const char SQL_INSERT[] =
    "INSERT INTO dossiers (code, unit_code, day, seq, procedure_code, channel, applicant_name, "
    "applicant_fold, applicant_idno, applicant_phone, applicant_address, status, resume_to, "
    "submitted_at, last_at, fee_paid_online, digitised, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'submitted', 'submitted', ?12, ?12, "
    "?13, ?14, ?15) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE dossiers SET status = ?2, resume_to = ?3, step = ?4, n_steps = ?5, "
    "received_at = ?6, due_at = ?7, budget_minutes = ?8, step_started_at = ?9, "
    "step_due_at = ?10, stopped_at = ?11, stopped_minutes = ?12, supplements = ?13, "
    "pauses = ?14, apologies = ?15, apology_due_at = ?16, result_at = ?17, returned_at = ?18, "
    "closed_at = ?19, last_at = ?20, outcome = ?21, officer = ?22, n_events = ?23 WHERE id = ?1";
/* The same without the indexed columns (status, received_at, due_at; migration 002), for a
 * change that keeps them: SQLite then leaves the three indexes alone instead of deleting and
 * re-inserting their entries (a step advance, most changes). ?2, ?6 and ?7 stay unused. */
static const char SQL_UPDATE_SAME_KEYS[] =
    "UPDATE dossiers SET resume_to = ?3, step = ?4, n_steps = ?5, "
    "budget_minutes = ?8, step_started_at = ?9, "
    "step_due_at = ?10, stopped_at = ?11, stopped_minutes = ?12, supplements = ?13, "
    "pauses = ?14, apologies = ?15, apology_due_at = ?16, result_at = ?17, returned_at = ?18, "
    "closed_at = ?19, last_at = ?20, outcome = ?21, officer = ?22, n_events = ?23 WHERE id = ?1";
/* The rows that hang on a dossier carry its province (migration 037), bound last. */
static const char SQL_ADD_DOC[] =
    "INSERT INTO dossier_documents (dossier_id, seq, text, province) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_STEP_START[] =
    "INSERT INTO dossier_steps (dossier_id, seq, officer, started_at, due_at, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_STEP_END[] =
    "UPDATE dossier_steps SET finished_at = ?3, outcome = ?4 WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_STEP_DUE[] =
    "UPDATE dossier_steps SET due_at = ?3 WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_STOP_START[] =
    "INSERT INTO dossier_stops (dossier_id, seq, kind, started_at, reason, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_STOP_END[] = "UPDATE dossier_stops SET ended_at = ?3, working_minutes = ?4 "
                                   "WHERE dossier_id = ?1 AND seq = ?2";
static const char SQL_APOLOGY[] =
    "INSERT INTO dossier_apologies (dossier_id, seq, issued_at, old_due_at, new_due_at, reason, "
    "province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/* The audit log (migration 049): event ids are global, each province's chain has its head. */
static const char SQL_LAST_EVENT[] = "SELECT coalesce(max(id), 0) FROM events";
/* PostgreSQL (migration 051): the next event id, one the sequence never hands out again */
static const char SQL_NEXT_EVENT[] = "SELECT nextval(pg_get_serial_sequence('events', 'id'))";
static const char SQL_HEAD[] =
    "SELECT last_event_id, last_hash FROM audit_head WHERE province = ?1";
static const char SQL_HEADS[] =
    "SELECT province, last_event_id, last_hash FROM audit_head ORDER BY province";
static const char SQL_GENESIS[] = "SELECT last_event_id, last_hash FROM audit_genesis WHERE id = 1";
/* before migration 049: the one head of the global chain */
static const char SQL_HEAD_V48[] = "SELECT last_event_id, last_hash FROM audit_head WHERE id = 1";
static const char SQL_SET_HEAD[] =
    "INSERT INTO audit_head (province, last_event_id, last_hash) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (province) DO UPDATE SET last_event_id = excluded.last_event_id, "
    "last_hash = excluded.last_hash";
#define EVENT_COLS                                                                                 \
    "id, dossier_id, dossier_seq, at, actor, action, from_status, to_status, note, state_hash, "   \
    "hash, recorded_at, backdated"
static const char SQL_ADD_EVENT[] = "INSERT INTO events (" EVENT_COLS
                                    ", province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                    "?11, ?12, ?13, ?14)";
static const char SQL_ALL_EVENTS[] = "SELECT " EVENT_COLS ", province FROM events ORDER BY id";
/* The same on a schema before migration 049 (verifying a copy before `cchc migrate` upgrades
 * it): one global chain, the province is not needed (nor there before 037). */
static const char SQL_ALL_EVENTS_V48[] = "SELECT " EVENT_COLS ", '' FROM events ORDER BY id";
/* before migration 009: the events have no recorded time, hence version 1 links */
static const char SQL_ALL_EVENTS_V8[] =
    "SELECT id, dossier_id, dossier_seq, at, actor, action, from_status, to_status, note, "
    "state_hash, hash, NULL, 0, '' FROM events ORDER BY id";
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
    "INSERT INTO dossier_ratings (dossier_id, score, rated_at, comment, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_PROVINCE_OF[] = "SELECT province FROM dossiers WHERE id = ?1";
static const char SQL_RATING_OF[] =
    "SELECT score, rated_at, comment FROM dossier_ratings WHERE dossier_id = ?1";

/* ---- reading rows ---- */

static int64_t col_i64(struct db_stmt *st, int i)
{
    return db_col_int64(st, i);
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

static void read_row(struct db_stmt *st, enum dossier_rows rows, struct dossier *d)
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
            s->step = (int)db_col_int64(st, i);
            break;
        case F_N_STEPS:
            s->n_steps = (int)db_col_int64(st, i);
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
            s->supplements = (int)db_col_int64(st, i);
            break;
        case F_PAUSES:
            s->pauses = (int)db_col_int64(st, i);
            break;
        case F_APOLOGIES:
            s->apologies = (int)db_col_int64(st, i);
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
            d->fee_paid_online = (int)db_col_int64(st, i);
            break;
        case F_DIGITISED:
            d->digitised = (int)db_col_int64(st, i);
            break;
        case F_N_EVENTS:
            d->n_events = (int)db_col_int64(st, i);
            break;
        }
    }
}

/* 1 if the read transaction's memo (struct store, dossier_memo) holds dossier code. */
static int memo_holds(const struct store *s, const char *code)
{
    return s->reading && s->tx_depth == 0 && s->dossier_gen && s->dossier_gen == s->read_gen &&
           s->dossier_memo && !strcmp(s->dossier_memo->code, code);
}

int sq_dossier_memo_decider(struct store *s, const char *code, char out[UNIT_CODE_MAX])
{
    if (!memo_holds(s, code)) return 0;
    memcpy(out, s->dossier_decider, UNIT_CODE_MAX);
    return 1;
}

/* Reads one dossier by code (code != NULL) or by id, as rows fills it: sql selects those
 * columns of the row whose code or id is ?1. */
static int load_rows(struct store *s, const char *sql, enum dossier_rows rows, const char *code,
                     int64_t id, struct dossier *d, struct err *e)
{
    if (sql == SQL_BY_CODE && memo_holds(s, code)) {
        *d = *s->dossier_memo;
        return 0;
    }
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e);
    if (rc) return rc;
    if (code)
        db_bind_text(st, 1, code);
    else
        db_bind_int64(st, 1, id);
    int step = db_step(st);
    if (step == DB_ROW) {
        read_row(st, rows, d);
        if (sql == SQL_BY_CODE && s->tx_depth > 0) { /* sq_dossier_province's memo */
            s->prov_id = d->id;
            sq_col_text(st, DOSSIER_NCOLS, s->prov, sizeof s->prov);
            /* read to be changed: a province transaction reads only its own */
            rc = sq_prov_guard(s, s->prov, e);
        }
        if (sql == SQL_BY_CODE && s->reading && s->tx_depth == 0 &&
            (s->dossier_memo || (s->dossier_memo = malloc(sizeof *s->dossier_memo)))) {
            *s->dossier_memo = *d;
            sq_col_text(st, DOSSIER_NCOLS + 1, s->dossier_decider, sizeof s->dossier_decider);
            s->dossier_gen = s->read_gen;
        }
    } else if (step == DB_DONE && code) {
        rc = err_set(e, ERR_NOT_FOUND, "code", "dossier '%s': no such dossier", code);
    } else if (step == DB_DONE) {
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

/* ---- writing (the row operations of struct store_backend) ---- */

static int sqb_dossier_get(struct store *s, const char *code, struct dossier *out, struct err *e)
{
    return load(s, code, out, e);
}

static int sqb_dossier_max_seq(struct store *s, const char *unit, const char *day, int *seq,
                               struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_NEXT_SEQ, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, unit);
    db_bind_text(st, 2, day);
    int step = db_step(st);
    if (step == DB_ROW)
        *seq = (int)db_col_int64(st, 0);
    else
        rc = sq_fail(s, step, "numbering the dossier", e);
    sq_done(s, st);
    return rc;
}

int sq_dossier_province(struct store *s, int64_t id, char *out, size_t n, struct err *e)
{
    if (s->tx_depth > 0 && s->prov_id && s->prov_id == id) {
        snprintf(out, n, "%s", s->prov);
        return 0;
    }
    int rc = sq_row_province(s, SQL_PROVINCE_OF, id, "dossier", out, n, e);
    if (!rc && s->tx_depth > 0) {
        s->prov_id = id;
        snprintf(s->prov, sizeof s->prov, "%s", out);
    }
    return rc;
}

static const char SQL_CODE_PROVINCE[] = "SELECT province FROM dossiers WHERE code = ?1 LIMIT 2";

static int sqb_code_province(struct store *s, const char *code, char *out, size_t n)
{
    /* on SQLite "" at once: the plain write transaction, without this statement */
    return sq_lock_province(s, SQL_CODE_PROVINCE, code, out, n);
}

static int sqb_dossier_insert(struct store *s, struct dossier *d, const struct dossier_derived *x,
                              struct err *e)
{
    /* the root of the receiving unit's tree, kept for good (docs/scale.md, decision 6) */
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    int rc = sq_unit_root(s, d->unit, prov, sizeof prov, e);
    if (!rc) rc = sq_prov_guard(s, prov, e);
    if (rc || (rc = sq_prep(s, SQL_INSERT, &st, e))) return rc;
    const char *texts[] = {d->code,
                           d->unit,
                           x->day,
                           NULL,
                           d->procedure,
                           dossier_channel_name(d->channel),
                           d->applicant.name,
                           x->fold,
                           d->applicant.idno,
                           d->applicant.phone,
                           d->applicant.address};
    for (int i = 0; i < 11; i++)
        if (texts[i]) sq_bind_text(st, i + 1, texts[i]);
    db_bind_int64(st, 4, x->seq);
    db_bind_int64(st, 12, d->submitted_at);
    db_bind_int64(st, 13, d->fee_paid_online ? 1 : 0);
    db_bind_int64(st, 14, d->digitised ? 1 : 0);
    db_bind_text(st, 15, prov);
    rc = sq_insert_id(s, st, "inserting dossier", &d->id, e);
    sq_done(s, st);
    if (!rc && s->tx_depth > 0) { /* its children bind it next, in this transaction */
        s->prov_id = d->id;
        snprintf(s->prov, sizeof s->prov, "%s", prov);
    }
    if (rc == ERR_CONFLICT) /* UNIQUE (code): a database from before imports refused this */
        rc = err_set(e, ERR_CONFLICT, "unit",
                     "dossier code '%s' was already issued by another unit with the same "
                     "identifier code; give each unit its own ident_code (cchc import units)",
                     d->code);
    return rc;
}

/* Writes d's state into its row. cur: the row as read in this transaction (its indexed
 * columns are left alone when d keeps them), or NULL. */
static int sqb_dossier_update(struct store *s, const struct dossier *cur, const struct dossier *d,
                              const struct dossier_derived *x, struct err *e)
{
    const struct dossier_state *t = &d->st;
    int same_keys = cur && cur->id == d->id && cur->st.status == t->status &&
                    cur->st.received_at == t->received_at && cur->st.due_at == t->due_at;
    struct db_stmt *st;
    int rc = sq_prep(s, same_keys ? SQL_UPDATE_SAME_KEYS : SQL_UPDATE, &st, e);
    if (rc) return rc;
    const int64_t v[] = {t->step,           t->n_steps,        t->received_at,
                         t->due_at,         t->budget_minutes, t->step_started_at,
                         t->step_due_at,    t->stopped_at,     t->stopped_minutes,
                         t->supplements,    t->pauses,         t->apologies,
                         t->apology_due_at, t->result_at,      t->returned_at,
                         t->closed_at,      t->last_at};
    db_bind_int64(st, 1, d->id);
    db_bind_text(st, 2, dossier_status_name(t->status));
    db_bind_text(st, 3, dossier_status_name(t->resume_to));
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        db_bind_int64(st, 4 + (int)i, v[i]);
    sq_bind_text(st, 21, x->outcome);
    sq_bind_text(st, 22, d->officer);
    db_bind_int64(st, 23, d->n_events);
    rc = sq_step_done(s, st, "writing dossier", e);
    if (!rc && db_changes(s->db) != 1)
        rc = err_set(e, ERR_IO, "", "writing dossier %lld: no such row", (long long)d->id);
    sq_done(s, st);
    return rc;
}

/* Runs a statement bound with (dossier id, seq) and up to four more values (text or int). */
struct val {
    const char *t; /* text, or NULL for the integer i */
    int64_t i;
    int null;
};
/* One statement on a row of dossier id: ?1 id, ?2 seq, then the values; an insert (ins)
 * binds the dossier's province after them. */
static int run(struct store *s, const char *sql, int64_t id, int seq, const struct val *v, int n,
               int ins, const char *what, struct err *e)
{
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    int rc = ins ? sq_dossier_province(s, id, prov, sizeof prov, e) : 0;
    if (!rc && ins) rc = sq_prov_guard(s, prov, e);
    if (rc || (rc = sq_prep(s, sql, &st, e))) return rc;
    if (ins) db_bind_text(st, 3 + n, prov);
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    for (int i = 0; i < n; i++) {
        if (v[i].null)
            db_bind_null(st, 3 + i);
        else if (v[i].t)
            db_bind_text(st, 3 + i, v[i].t);
        else
            db_bind_int64(st, 3 + i, v[i].i);
    }
    rc = sq_step_done(s, st, what, e);
    sq_done(s, st);
    return rc;
}

static int sqb_document_add(struct store *s, int64_t id, int seq, const char *text, struct err *e)
{
    struct val v[] = {{.t = text}};
    return run(s, SQL_ADD_DOC, id, seq, v, 1, 1, "recording documents", e);
}

static int sqb_effect_write(struct store *s, int64_t id, const struct dossier_effect *f,
                            struct err *e)
{
    const struct dossier_step_rec *sp = &f->step;
    const struct dossier_stop_rec *so = &f->stop;
    const struct dossier_apology_rec *ap = &f->apology;
    switch (f->kind) {
    case FX_STEP_START: {
        struct val v[] = {
            {.t = sp->officer, .null = !sp->officer[0]}, {.i = sp->started_at}, {.i = sp->due_at}};
        return run(s, SQL_STEP_START, id, sp->seq, v, 3, 1, "starting step", e);
    }
    case FX_STEP_FINISH: {
        struct val v[] = {
            {.i = sp->finished_at},
            {.t = dossier_outcome_name(sp->outcome), .null = sp->outcome == OUT_NONE}};
        return run(s, SQL_STEP_END, id, sp->seq, v, 2, 0, "closing step", e);
    }
    case FX_STEP_DUE: {
        struct val v[] = {{.i = sp->due_at}};
        return run(s, SQL_STEP_DUE, id, sp->seq, v, 1, 0, "moving the step due", e);
    }
    case FX_STOP_START: {
        struct val v[] = {{.t = so->pause ? "pause" : "supplement"},
                          {.i = so->started_at},
                          {.t = so->reason, .null = !so->reason[0]}};
        return run(s, SQL_STOP_START, id, so->seq, v, 3, 1, "recording the stop", e);
    }
    case FX_STOP_END: {
        struct val v[] = {{.i = so->ended_at}, {.i = so->working_minutes}};
        return run(s, SQL_STOP_END, id, so->seq, v, 2, 0, "ending the stop", e);
    }
    case FX_APOLOGY: {
        struct val v[] = {{.i = ap->issued_at},
                          {.i = ap->old_due_at},
                          {.i = ap->new_due_at},
                          {.t = ap->reason, .null = !ap->reason[0]}};
        return run(s, SQL_APOLOGY, id, ap->seq, v, 4, 1, "recording the apology", e);
    }
    }
    return err_set(e, ERR_INTERNAL, "effect", "unknown effect %d", (int)f->kind);
}

/* *out: the cached head of province in this transaction, read from audit_head (or the
 * genesis, for a province with no event after it) the first time. */
static int head_of(struct store *s, const char *province, struct sq_head **out, struct err *e)
{
    struct sq_heads *hs = &s->heads;
    /* a province transaction chains on its own province's head only */
    int rc = sq_prov_guard(s, province, e);
    if (rc) return rc;
    for (int i = 0; i < hs->n; i++)
        if (!strcmp(hs->h[i].province, province)) return *out = &hs->h[i], 0;
    if (strlen(province) >= sizeof hs->h[0].province)
        return err_set(e, ERR_INTERNAL, "province", "province '%s': too long", province);
    if (hs->n == SQ_HEADS_MAX) { /* all slots taken: write the moved ones, start again */
        if ((rc = sq_head_flush(s, e))) return rc;
        hs->n = 0;
    }
    struct sq_head *h = &hs->h[hs->n];
    memset(h, 0, sizeof *h);
    strcpy(h->province, province);
    const char *sql[] = {SQL_HEAD, SQL_GENESIS};
    int found = 0;
    for (int k = 0; !rc && !found && k < 2; k++) {
        struct db_stmt *st;
        if ((rc = sq_prep(s, sql[k], &st, e))) break;
        if (k == 0) db_bind_text(st, 1, province);
        int step = db_step(st);
        if (step == DB_ROW) {
            found = 1;
            h->id = col_i64(st, 0);
            if ((int)db_col_bytes(st, 1) == HASH_LEN) memcpy(h->hash, db_col_blob(st, 1), HASH_LEN);
        } else if (step != DB_DONE) {
            rc = sq_fail(s, step, "reading the audit head", e);
        }
        sq_done(s, st);
    }
    if (rc) return rc;
    hs->n++; /* no head and no genesis: 32 zero bytes */
    *out = h;
    return 0;
}

/* *id: the id before the next event's (audit_append adds one). SQLite, one writer at a time:
 * the log's last id, read once per transaction and counted on in memory. PostgreSQL: the
 * events.id sequence (migration 051), one nextval per event, so that writers that do not share
 * one lock (docs/scale.md, step 3) can never number two events alike; a rolled-back
 * transaction leaves a gap, which the audit accepts after the genesis. */
static int sqb_audit_head(struct store *s, const char *province, int64_t *id,
                          unsigned char hash[HASH_LEN], struct err *e)
{
    struct sq_heads *hs = &s->heads;
    int seq = db_kind(s->db) == DB_POSTGRES;
    if (seq || !hs->id_read) {
        struct db_stmt *st;
        int rc = sq_prep(s, seq ? SQL_NEXT_EVENT : SQL_LAST_EVENT, &st, e);
        if (rc) return rc;
        int step = db_step(st);
        if (step == DB_ROW)
            hs->last_id = col_i64(st, 0) - seq;
        else
            rc = sq_fail(s, step, seq ? "numbering the event" : "reading the last event", e);
        sq_done(s, st);
        if (rc) return rc;
        hs->id_read = 1;
    }
    struct sq_head *h;
    int rc = head_of(s, province, &h, e);
    if (rc) return rc;
    *id = hs->last_id;
    memcpy(hash, h->hash, HASH_LEN);
    return 0;
}

static int sqb_event_append(struct store *s, const struct audit_event *ev, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ADD_EVENT, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, ev->id);
    db_bind_int64(st, 2, ev->dossier_id);
    db_bind_int64(st, 3, ev->seq);
    db_bind_int64(st, 4, ev->at);
    db_bind_text(st, 5, ev->actor);
    db_bind_text(st, 6, ev->action);
    db_bind_text(st, 7, ev->from);
    db_bind_text(st, 8, ev->to);
    db_bind_text(st, 9, ev->note);
    db_bind_blob(st, 10, ev->state_hash, HASH_LEN);
    db_bind_blob(st, 11, ev->hash, HASH_LEN);
    db_bind_int64(st, 12, ev->recorded_at);
    db_bind_int64(st, 13, ev->backdated ? 1 : 0);
    db_bind_text(st, 14, ev->province);
    rc = sq_step_done(s, st, "appending event", e);
    sq_done(s, st);
    if (rc) return rc;
    /* audit_head is written once per outer transaction, before COMMIT (store_tx) */
    struct sq_head *h;
    if ((rc = head_of(s, ev->province, &h, e))) return rc;
    h->id = ev->id;
    memcpy(h->hash, ev->hash, HASH_LEN);
    h->moved = 1;
    s->heads.id_read = 1;
    s->heads.last_id = ev->id;
    if (s->tx_depth > 0) return 0;
    rc = sq_head_flush(s, e);
    s->heads.id_read = 0; /* outside a transaction others may append next */
    s->heads.n = 0;
    return rc;
}

int sq_head_flush(struct store *s, struct err *e)
{
    for (int i = 0; i < s->heads.n; i++) {
        struct sq_head *h = &s->heads.h[i];
        if (!h->moved) continue;
        struct db_stmt *st;
        int rc = sq_prep(s, SQL_SET_HEAD, &st, e);
        if (rc) return rc;
        db_bind_text(st, 1, h->province);
        db_bind_int64(st, 2, h->id);
        db_bind_blob(st, 3, h->hash, HASH_LEN);
        rc = sq_step_done(s, st, "moving the audit head", e);
        sq_done(s, st);
        if (rc) return rc;
        h->moved = 0;
    }
    return 0;
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

/* store_dossier_list over f->units, the limit counting over all of them: one statement per unit,
 * or on PostgreSQL, for a bounded page: the first unit alone (a ward's page is mostly its first
 * unit's: one statement, as for a single unit), then batches of units (SQL_PAGE) of 4, 8, 16 …,
 * so that a scope whose first units fill the page reads few rows it does not show (a batch
 * reads up to the page's rows from each of its units), and a scope of many units with few
 * dossiers takes a few round trips, not one per unit. */
/* The list statements' ?2 status, ?3 name pattern (or NULL), ?4 and ?5 the period's bounds
 * in minutes (received, else submitted). */
static void bind_filters(struct db_stmt *st, const struct dossier_filter *f, const char *pattern)
{
    if (f->status >= 0 && f->status < DS__COUNT)
        db_bind_text(st, 2, dossier_status_name((enum dossier_status)f->status));
    else
        db_bind_null(st, 2);
    if (pattern)
        db_bind_text(st, 3, pattern);
    else
        db_bind_null(st, 3);
    db_bind_int64(st, 4, f->from_day == INT64_MIN ? INT64_MIN : f->from_day * MINUTES_PER_DAY);
    db_bind_int64(st, 5, f->to_day == INT64_MAX ? INT64_MAX : (f->to_day + 1) * MINUTES_PER_DAY);
}

struct units_walk {
    dossier_fn fn;
    void *ctx;
    int64_t passed;
};

static int units_walk_row(const struct dossier *d, void *arg)
{
    struct units_walk *w = arg;
    w->passed++;
    return w->fn(d, w->ctx);
}

static int list_batch(struct store *s, const struct dossier_filter *f, const char *pattern,
                      const char *const *units, int n, struct units_walk *w, struct err *e)
{
    size_t len = 1;
    for (int i = 0; i < n; i++) {
        if (!*units[i] || strchr(units[i], ','))
            return err_set(e, ERR_INTERNAL, "unit", "listing: unit '%.40s' cannot be listed",
                           units[i]);
        len += strlen(units[i]) + 1;
    }
    char *joined = malloc(len), *p = joined;
    if (!joined) return err_set(e, ERR_NOMEM, "dossiers", "out of memory");
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", units[i]);
    int anytime = f->from_day == INT64_MIN && f->to_day == INT64_MAX;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_PAGE[anytime][f->rows], &st, e);
    if (rc) {
        free(joined);
        return rc;
    }
    db_bind_text(st, 1, joined);
    bind_filters(st, f, pattern);
    db_bind_int64(st, 6, f->limit - w->passed);
    int step;
    struct dossier d;
    while ((step = db_step(st)) == DB_ROW) {
        read_row(st, f->rows, &d);
        if ((rc = units_walk_row(&d, w))) break;
    }
    if (!rc && step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "listing", e);
    sq_done(s, st);
    free(joined);
    return rc;
}

/* bound: the page's bound can be given to the database (store_dossier_list) */
static int list_units(struct store *s, const struct dossier_filter *f, const char *pattern,
                      int bound, dossier_fn fn, void *ctx, struct err *e)
{
    struct dossier_filter g = *f;
    struct units_walk w = {fn, ctx, 0};
    g.units = NULL;
    g.n_units = 0;
    int batches = bound && db_kind(s->db) == DB_POSTGRES;
    int rc = 0;
    for (int i = 0, k = 1; !rc && i < f->n_units && !(f->limit > 0 && w.passed >= f->limit);) {
        if (batches && k > 1 && f->n_units - i > 1) {
            int n = f->n_units - i < k ? f->n_units - i : k;
            rc = list_batch(s, f, pattern, f->units + i, n, &w, e);
            i += n;
            k *= 2;
            continue;
        }
        k = 4;
        g.unit = f->units[i++];
        g.limit = f->limit > 0 ? f->limit - w.passed : 0;
        rc = store_dossier_list(s, &g, units_walk_row, &w, e);
    }
    return rc;
}

int store_dossier_list(struct store *s, const struct dossier_filter *f, dossier_fn fn, void *ctx,
                       struct err *e)
{
    char pattern[1100];
    int rc = 0;
    if (f->name && *f->name && (rc = like_pattern(f->name, pattern, sizeof pattern, e))) return rc;
    struct db_stmt *st;
    /* The outcome filter is applied here, over the rows: with it the bound cannot be given
     * to the database. */
    int bound = f->limit > 0 && f->outcome < 0;
    if (f->n_units > 0)
        return list_units(s, f, f->name && *f->name ? pattern : NULL, bound, fn, ctx, e);
    enum dossier_rows rows = f->unit && *f->unit ? f->rows : DOSSIER_ROWS_FULL;
    int anytime = f->from_day == INT64_MIN && f->to_day == INT64_MAX;
    const char *sql =
        !(f->unit && *f->unit) ? (bound ? SQL_LIST_LIM : SQL_LIST)
        : anytime
            ? (rows == DOSSIER_ROWS_KEYS    ? (bound ? SQL_ANY_UNIT_KEYS_LIM : SQL_ANY_UNIT_KEYS)
               : rows == DOSSIER_ROWS_BRIEF ? (bound ? SQL_ANY_UNIT_BRIEF_LIM : SQL_ANY_UNIT_BRIEF)
                                            : (bound ? SQL_ANY_UNIT_LIM : SQL_ANY_UNIT))
        : rows == DOSSIER_ROWS_KEYS  ? (bound ? SQL_LIST_UNIT_KEYS_LIM : SQL_LIST_UNIT_KEYS)
        : rows == DOSSIER_ROWS_BRIEF ? (bound ? SQL_LIST_UNIT_BRIEF_LIM : SQL_LIST_UNIT_BRIEF)
                                     : (bound ? SQL_LIST_UNIT_LIM : SQL_LIST_UNIT);
    if ((rc = sq_prep(s, sql, &st, e))) return rc;
    sq_bind_text(st, 1, f->unit);
    bind_filters(st, f, f->name && *f->name ? pattern : NULL);
    if (bound) db_bind_int64(st, 6, f->limit);
    int step;
    int64_t shown = 0;
    struct dossier d;
    while ((step = db_step(st)) == DB_ROW) {
        read_row(st, rows, &d);
        if (f->outcome >= 0 && (int)dossier_outcome_at(&d.st, f->now) != f->outcome) continue;
        if ((rc = fn(&d, ctx))) break;
        if (f->limit > 0 && ++shown >= f->limit) break;
    }
    if (!rc && step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "listing", e);
    sq_done(s, st);
    return rc;
}

static const char SQL_COUNT_BY_STATUS[] = "SELECT status, count(*) FROM dossiers GROUP BY status";

int store_dossier_count_by_status(struct store *s, int64_t n[DS__COUNT], struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_COUNT_BY_STATUS, &st, e), step;
    if (rc) return rc;
    for (int i = 0; i < DS__COUNT; i++)
        n[i] = 0;
    while ((step = db_step(st)) == DB_ROW) {
        enum dossier_status k;
        const char *name = db_col_text(st, 0);
        if (!name || dossier_status_parse(name, &k, NULL)) {
            rc = err_set(e, ERR_INTERNAL, "status", "a dossier has the unknown status '%.40s'",
                         name ? name : "");
            break;
        }
        n[k] = db_col_int64(st, 1);
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "counting dossiers", e);
    sq_done(s, st);
    return rc;
}

/* ---- records ---- */

static int each_row(struct store *s, const char *sql, int64_t id,
                    int (*row)(struct db_stmt *, void *), void *arg, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, sql, &st, e), step;
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    while ((step = db_step(st)) == DB_ROW)
        if ((rc = row(st, arg))) break;
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading dossier records", e);
    sq_done(s, st);
    return rc;
}

static int doc_row(struct db_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    return r->document((int)db_col_int64(st, 0), db_col_text(st, 1), r->ctx);
}

static const char SQL_STEP_ROW[] =
    "SELECT seq, officer, started_at, due_at, finished_at, outcome FROM dossier_steps "
    "WHERE dossier_id = ?1 AND seq = ?2";

static void read_step(struct db_stmt *st, struct dossier_step_rec *x)
{
    char buf[16];
    x->seq = (int)db_col_int64(st, 0);
    sq_col_text(st, 1, x->officer, sizeof x->officer);
    x->started_at = col_i64(st, 2);
    x->due_at = col_i64(st, 3);
    x->finished_at = col_i64(st, 4);
    sq_col_text(st, 5, buf, sizeof buf);
    x->outcome = !strcmp(buf, "late") ? OUT_LATE : !strcmp(buf, "on_time") ? OUT_ON_TIME : OUT_NONE;
}

static int step_row(struct db_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_step_rec x;
    read_step(st, &x);
    return r->step(&x, r->ctx);
}

static int stop_row(struct db_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_stop_rec x = {.seq = (int)db_col_int64(st, 0)};
    char kind[16];
    sq_col_text(st, 1, kind, sizeof kind);
    x.pause = !strcmp(kind, "pause");
    x.started_at = col_i64(st, 2);
    x.ended_at = col_i64(st, 3);
    x.working_minutes = col_i64(st, 4);
    sq_col_text(st, 5, x.reason, sizeof x.reason);
    return r->stop(&x, r->ctx);
}

static int apology_row(struct db_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_apology_rec x = {.seq = (int)db_col_int64(st, 0)};
    x.issued_at = col_i64(st, 1);
    x.old_due_at = col_i64(st, 2);
    x.new_due_at = col_i64(st, 3);
    sq_col_text(st, 4, x.reason, sizeof x.reason);
    return r->apology(&x, r->ctx);
}

static int event_row(struct db_stmt *st, void *arg)
{
    const struct dossier_records *r = arg;
    struct dossier_event x = {.id = col_i64(st, 0), .seq = (int)db_col_int64(st, 2)};
    x.at = col_i64(st, 3);
    sq_col_text(st, 4, x.actor, sizeof x.actor);
    sq_col_text(st, 5, x.action, sizeof x.action);
    sq_col_text(st, 6, x.from_status, sizeof x.from_status);
    sq_col_text(st, 7, x.to_status, sizeof x.to_status);
    sq_col_text(st, 8, x.note, sizeof x.note);
    x.recorded_at = col_i64(st, 11); /* NULL before migration 009: 0 */
    x.backdated = (int)col_i64(st, 12);
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

static int sqb_rating_get(struct store *s, int64_t id, int *score, int64_t *rated_at, char *comment,
                          size_t n, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_RATING_OF, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    *score = 0;
    *rated_at = 0;
    if (comment && n) comment[0] = '\0';
    int step = db_step(st);
    if (step == DB_ROW) {
        *score = (int)db_col_int64(st, 0);
        *rated_at = col_i64(st, 1);
        if (comment) sq_col_text(st, 2, comment, n);
    } else if (step != DB_DONE) {
        rc = sq_fail(s, step, "reading the rating", e);
    }
    sq_done(s, st);
    return rc;
}

static int sqb_rating_add(struct store *s, int64_t id, int score, int64_t at, const char *comment,
                          struct err *e)
{
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    int rc = sq_dossier_province(s, id, prov, sizeof prov, e);
    if (!rc) rc = sq_prov_guard(s, prov, e);
    if (rc || (rc = sq_prep(s, SQL_RATE, &st, e))) return rc;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 5, prov);
    db_bind_int64(st, 2, score);
    db_bind_int64(st, 3, at);
    sq_bind_text(st, 4, comment);
    rc = sq_step_done(s, st, "recording the rating", e);
    sq_done(s, st);
    return rc;
}

/* ---- the audit log, read back ---- */

static const char SQL_LAST_ACTION[] =
    "SELECT action FROM events WHERE dossier_id = ? AND dossier_seq = ?";

static int sqb_event_action(struct store *s, int64_t id, int seq, char *action, size_t n,
                            struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LAST_ACTION, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    action[0] = '\0';
    int step = db_step(st);
    if (step == DB_ROW)
        sq_col_text(st, 0, action, n);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "reading an event", e);
    sq_done(s, st);
    return rc;
}

static int sqb_audit_events(struct store *s, audit_event_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int have = 0, known = 0, step;
    int rc = store_schema_version(s, &have, &known, e);
    if (rc) return rc;
    const char *sql = have < 9    ? SQL_ALL_EVENTS_V8
                      : have < 49 ? SQL_ALL_EVENTS_V48
                                  : SQL_ALL_EVENTS;
    if ((rc = sq_prep(s, sql, &st, e))) return rc;
    while ((step = db_step(st)) == DB_ROW) {
        struct audit_event ev = {.id = col_i64(st, 0),
                                 .dossier_id = col_i64(st, 1),
                                 .seq = col_i64(st, 2),
                                 .at = col_i64(st, 3),
                                 .recorded_at = col_i64(st, 11),
                                 .backdated = (int)col_i64(st, 12)};
        const char *t[5];
        for (int i = 0; i < 5; i++) {
            const char *v = db_col_text(st, 4 + i);
            t[i] = v ? v : "";
        }
        ev.actor = t[0], ev.action = t[1], ev.from = t[2], ev.to = t[3], ev.note = t[4];
        const char *prov = db_col_text(st, 13);
        ev.province = prov ? prov : "";
        /* a hash column of the wrong size cannot match: compare as all zeros */
        if ((int)db_col_bytes(st, 9) == HASH_LEN)
            memcpy(ev.state_hash, db_col_blob(st, 9), HASH_LEN);
        if ((int)db_col_bytes(st, 10) == HASH_LEN) memcpy(ev.hash, db_col_blob(st, 10), HASH_LEN);
        if ((rc = fn(&ev, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading events", e);
    sq_done(s, st);
    return rc;
}

static int sqb_audit_dossiers(struct store *s, audit_dossier_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int have = 0, known = 0, step;
    int rc = store_schema_version(s, &have, &known, e);
    if (rc || (rc = sq_prep(s, have < 37 ? SQL_ALL_BY_ID_V36 : SQL_ALL_BY_ID, &st, e))) return rc;
    while ((step = db_step(st)) == DB_ROW) {
        struct dossier d;
        struct dossier_derived x = {.seq = (int)db_col_int64(st, 4)};
        read_row(st, DOSSIER_ROWS_FULL, &d);
        sq_col_text(st, 3, x.day, sizeof x.day);
        sq_col_text(st, 8, x.fold, sizeof x.fold);
        x.outcome = db_col_text(st, 32);
        const char *prov = db_col_text(st, DOSSIER_NCOLS);
        if ((rc = fn(&d, &x, prov ? prov : "", ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading dossiers", e);
    sq_done(s, st);
    return rc;
}

static int sqb_audit_genesis(struct store *s, int *found, int *global_only, int64_t *id,
                             unsigned char hash[HASH_LEN], struct err *e)
{
    int have = 0, known = 0;
    int rc = store_schema_version(s, &have, &known, e);
    struct db_stmt *st;
    if (rc || (rc = sq_prep(s, have < 49 ? SQL_HEAD_V48 : SQL_GENESIS, &st, e))) return rc;
    *global_only = have < 49;
    *found = 0;
    *id = 0;
    memset(hash, 0, HASH_LEN);
    int step = db_step(st);
    if (step == DB_ROW) {
        *found = 1;
        *id = col_i64(st, 0);
        if ((int)db_col_bytes(st, 1) == HASH_LEN) memcpy(hash, db_col_blob(st, 1), HASH_LEN);
    } else if (step != DB_DONE) {
        rc = sq_fail(s, step, "reading the audit genesis", e);
    }
    sq_done(s, st);
    return rc;
}

static int sqb_audit_heads(struct store *s, audit_head_fn fn, void *ctx, struct err *e)
{
    int have = 0, known = 0, step;
    int rc = store_schema_version(s, &have, &known, e);
    if (rc || have < 49) return rc;
    struct db_stmt *st;
    if ((rc = sq_head_flush(s, e)) || /* this transaction's own events, if any */
        (rc = sq_prep(s, SQL_HEADS, &st, e)))
        return rc;
    while ((step = db_step(st)) == DB_ROW) {
        unsigned char hash[HASH_LEN] = {0};
        const char *prov = db_col_text(st, 0);
        if ((int)db_col_bytes(st, 2) == HASH_LEN) memcpy(hash, db_col_blob(st, 2), HASH_LEN);
        if ((rc = fn(prov ? prov : "", col_i64(st, 1), hash, ctx))) break;
    }
    if (!rc && step != DB_DONE) rc = sq_fail(s, step, "reading the audit heads", e);
    sq_done(s, st);
    return rc;
}

static int sqb_dossier_max_id(struct store *s, int64_t *id, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_MAX_ID, &st, e);
    if (rc) return rc;
    int step = db_step(st);
    if (step == DB_ROW)
        *id = col_i64(st, 0);
    else
        rc = sq_fail(s, step, "reading dossiers", e);
    sq_done(s, st);
    return rc;
}

static int sqb_step_get(struct store *s, int64_t id, int seq, struct dossier_step_rec *out,
                        struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_STEP_ROW, &st, e);
    if (rc) return rc;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    int step = db_step(st);
    if (step == DB_ROW)
        read_step(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "step", "dossier %lld has no step %d", (long long)id, seq);
    else
        rc = sq_fail(s, step, "reading a step", e);
    sq_done(s, st);
    return rc;
}

const struct store_backend sqlite_backend = {
    .name = "sqlite",
    .dossier_get = sqb_dossier_get,
    .dossier_max_seq = sqb_dossier_max_seq,
    .dossier_insert = sqb_dossier_insert,
    .dossier_update = sqb_dossier_update,
    .document_add = sqb_document_add,
    .effect_write = sqb_effect_write,
    .step_get = sqb_step_get,
    .rating_get = sqb_rating_get,
    .rating_add = sqb_rating_add,
    .procedure_fee_online = sq_procedure_fee_online,
    .code_province = sqb_code_province,
    .dossier_province = sq_dossier_province,
    .audit_head = sqb_audit_head,
    .event_append = sqb_event_append,
    .event_action = sqb_event_action,
    .audit_events = sqb_audit_events,
    .audit_dossiers = sqb_audit_dossiers,
    .audit_genesis = sqb_audit_genesis,
    .audit_heads = sqb_audit_heads,
    .dossier_max_id = sqb_dossier_max_id,
    .stats_cells_add = sq_stats_cells_add,
    .stats_step_add = sq_stats_step_add,
    .stats_flush = sq_stats_flush,
};
