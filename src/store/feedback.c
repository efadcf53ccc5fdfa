/* feedback.c — feedback and petitions in the store (store_feedback.h, migration 010): the
 * transactions that submit, act on and rate an item, the lists the officers' queue, the public
 * list and the indicators read, attachments and reply templates. The decisions are core's
 * (src/core/feedback.c); this file reads and writes rows in the SQL both backends share. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "date.h"
#include "sqlite_int.h"
#include "store_feedback.h"
#include "store_notify.h"
#include "vntext.h"

#define FB_COLS                                                                                    \
    "id, code, unit_code, kind, channel, dossier_code, officer, body, contact_name, "              \
    "contact_phone, contact_email, consent, dup_key, status, submitted_at, received_at, "          \
    "decide_due_at, accepted_at, answer_due_at, answered_at, closed_at, last_at, forwards, "       \
    "answer, answered_by, body_public, answer_public, rating, rated_at, n_events"

static const char SQL_GET[] = "SELECT " FB_COLS " FROM feedback WHERE code = ?1";
static const char SQL_CODE_TAKEN[] = "SELECT 1 FROM feedback WHERE code = ?1";
static const char SQL_DUP[] = "SELECT code FROM feedback WHERE dup_key = ?1 AND submitted_at > ?2 "
                              "AND submitted_at <= ?3 ORDER BY submitted_at, id LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO feedback (code, unit_code, kind, channel, dossier_code, officer, body, "
    "body_fold, contact_name, contact_phone, contact_email, consent, dup_key, status, "
    "submitted_at, received_at, decide_due_at, last_at, n_events, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1, "
    "?19) RETURNING id";
/* An item's province (migration 038): the root of the unit that received it, kept when the
 * item is forwarded (SQL_UPDATE leaves it); its events and files carry it too. */
static const char SQL_PROVINCE[] = "SELECT province FROM feedback WHERE id = ?1";
static const char SQL_UPDATE[] =
    "UPDATE feedback SET unit_code = ?2, status = ?3, received_at = ?4, decide_due_at = ?5, "
    "accepted_at = ?6, answer_due_at = ?7, answered_at = ?8, closed_at = ?9, last_at = ?10, "
    "forwards = ?11, answer = ?12, answered_by = ?13, body_public = ?14, answer_public = ?15, "
    "answer_fold = ?16, n_events = ?17 WHERE id = ?1";
static const char SQL_EVENTS_BUMP[] = "UPDATE feedback SET n_events = ?2 WHERE id = ?1";
static const char SQL_EVENT_ADD[] =
    "INSERT INTO feedback_events (feedback_id, seq, at, actor, action, from_status, to_status, "
    "from_unit, to_unit, note, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_EVENTS[] =
    "SELECT seq, at, actor, action, from_status, to_status, from_unit, to_unit, note "
    "FROM feedback_events WHERE feedback_id = ?1 ORDER BY seq";
static const char SQL_RATE[] =
    "UPDATE feedback SET rating = ?2, rated_at = ?3 WHERE id = ?1 AND rating IS NULL";
static const char SQL_LIST[] =
    "SELECT " FB_COLS " FROM feedback WHERE (CAST(?1 AS TEXT) IS NULL OR unit_code = ?1) "
    "AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) AND (CAST(?3 AS TEXT) IS NULL OR kind = ?3) "
    "AND (CAST(?4 AS TEXT) IS NULL OR officer = ?4) "
    "AND (CAST(?5 AS TEXT) IS NULL OR dossier_code = ?5) "
    "AND submitted_at >= ?6 AND submitted_at < ?7 ORDER BY submitted_at, id";
/* The summary's inputs for many scopes at once (store_feedback_summary_units): the scope of
 * each child of ?1 (NULL: of every unit) on day ?2 as SQL_SCOPE (sqlite_units.c) builds it,
 * its subtree that day and the units merged into those, transitively, each once per root,
 * then the items of those units submitted in [?3, ?4), each with its root. */
#define VALID_ON_2                                                                                 \
    "(CAST(?2 AS TEXT) IS NULL OR ((valid_from IS NULL OR valid_from <= ?2) AND (valid_to IS "     \
    "NULL OR valid_to >= ?2)))"
static const char SQL_SUMMARY_UNITS[] =
    "WITH RECURSIVE t(root, code) AS (SELECT code, code FROM units WHERE (CAST(?1 AS TEXT) IS "
    "NULL OR parent = ?1) AND " VALID_ON_2 " UNION ALL SELECT t.root, u.code FROM units u JOIN t "
    "ON u.parent = t.code WHERE " VALID_ON_2 "), p(root, ucode) AS (SELECT root, code FROM t "
    "UNION SELECT p.root, u.code FROM units u JOIN p ON u.successor = p.ucode) "
    "SELECT p.root, f.status, f.decide_due_at, f.answer_due_at, f.answered_at, f.forwards, "
    "f.rating FROM p JOIN feedback f ON f.unit_code = p.ucode WHERE f.submitted_at >= ?3 AND "
    "f.submitted_at < ?4";
static const char SQL_PUBLISHED[] =
    "SELECT " FB_COLS " FROM feedback WHERE status = 'published' "
    "AND (CAST(?1 AS TEXT) IS NULL OR answer_fold LIKE ?1 ESCAPE '!') "
    "ORDER BY answered_at DESC, id DESC LIMIT ?2";
static const char SQL_FILES_COUNT[] = "SELECT count(*) FROM feedback_files WHERE feedback_id = ?1";
static const char SQL_FILE_ADD[] =
    "INSERT INTO feedback_files (feedback_id, name, mime, size, sha256, content, province) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_FILES[] = "SELECT id, name, mime, size, sha256 FROM feedback_files "
                                "WHERE feedback_id = ?1 ORDER BY id";
static const char SQL_TEMPLATE_PUT[] =
    "INSERT INTO feedback_templates (code, unit_code, title, body) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (code) DO UPDATE SET unit_code = excluded.unit_code, title = excluded.title, "
    "body = excluded.body";
static const char SQL_TEMPLATES[] = "SELECT code, unit_code, title, body FROM feedback_templates "
                                    "WHERE unit_code IS NULL OR unit_code = ?1 ORDER BY code";

static void read_item(struct db_stmt *st, struct feedback_item *f)
{
    memset(f, 0, sizeof *f);
    f->id = db_col_int64(st, 0);
    sq_col_text(st, 1, f->code, sizeof f->code);
    sq_col_text(st, 2, f->unit, sizeof f->unit);
    char w[24];
    sq_col_text(st, 3, w, sizeof w);
    feedback_kind_parse(w, &f->st.kind, NULL); /* the CHECKs keep these valid */
    sq_col_text(st, 4, w, sizeof w);
    feedback_channel_parse(w, &f->channel, NULL);
    sq_col_text(st, 5, f->dossier, sizeof f->dossier);
    sq_col_text(st, 6, f->officer, sizeof f->officer);
    sq_col_text(st, 7, f->body, sizeof f->body);
    sq_col_text(st, 8, f->contact.name, sizeof f->contact.name);
    sq_col_text(st, 9, f->contact.phone, sizeof f->contact.phone);
    sq_col_text(st, 10, f->contact.email, sizeof f->contact.email);
    f->consent = (int)db_col_int64(st, 11);
    sq_col_text(st, 12, f->dup_key, sizeof f->dup_key);
    sq_col_text(st, 13, w, sizeof w);
    feedback_status_parse(w, &f->st.status, NULL);
    f->submitted_at = db_col_int64(st, 14);
    f->st.received_at = db_col_int64(st, 15);
    f->st.decide_due_at = db_col_int64(st, 16);
    f->st.accepted_at = db_col_int64(st, 17);
    f->st.answer_due_at = db_col_int64(st, 18);
    f->st.answered_at = db_col_int64(st, 19);
    f->st.closed_at = db_col_int64(st, 20);
    f->st.last_at = db_col_int64(st, 21);
    f->st.forwards = (int)db_col_int64(st, 22);
    sq_col_text(st, 23, f->answer, sizeof f->answer);
    sq_col_text(st, 24, f->answered_by, sizeof f->answered_by);
    sq_col_text(st, 25, f->body_public, sizeof f->body_public);
    sq_col_text(st, 26, f->answer_public, sizeof f->answer_public);
    f->rating = (int)db_col_int64(st, 27);
    f->rated_at = db_col_int64(st, 28);
    f->n_events = (int)db_col_int64(st, 29);
}

static int get_item(struct store *s, const char *code, struct feedback_item *out, struct err *e)
{
    char c[FEEDBACK_CODE_LEN];
    size_t j = 0;
    for (; code && code[j] && j + 1 < sizeof c; j++)
        c[j] = (char)toupper((unsigned char)code[j]);
    c[j] = '\0';
    if (!feedback_code_valid(c))
        return err_set(e, ERR_NOT_FOUND, "code", "no feedback with code '%.40s'", code ? code : "");
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_GET, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, c);
    int step = db_step(st);
    if (step == DB_ROW)
        read_item(st, out);
    else if (step == DB_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "code", "no feedback with code '%s'", c);
    else
        rc = sq_fail(s, step, "reading feedback", e);
    sq_done(s, st);
    return rc;
}

int store_feedback_get(struct store *s, const char *code, struct feedback_item *out, struct err *e)
{
    return get_item(s, code, out, e);
}

/* The province of item id, read in the caller's transaction: its events and files carry it. */
static int province_of(struct store *s, int64_t id, char *out, size_t n, struct err *e)
{
    return sq_row_province(s, SQL_PROVINCE, id, "feedback", out, n, e);
}

/* An event of item f, which carries prov, the item's province (NULL: read it). */
static int event_add(struct store *s, const struct feedback_item *f, const char *prov, int seq,
                     int64_t at, const char *actor, const char *action, const char *from_status,
                     const char *from_unit, const char *note, struct err *e)
{
    char buf[UNIT_CODE_MAX];
    struct db_stmt *st;
    int rc = prov ? 0 : province_of(s, f->id, buf, sizeof buf, e);
    if (rc || (rc = sq_prep(s, SQL_EVENT_ADD, &st, e))) return rc;
    db_bind_text(st, 11, prov ? prov : buf);
    db_bind_int64(st, 1, f->id);
    db_bind_int64(st, 2, seq);
    db_bind_int64(st, 3, at);
    db_bind_text(st, 4, actor);
    db_bind_text(st, 5, action);
    sq_bind_text(st, 6, from_status);
    db_bind_text(st, 7, feedback_status_name(f->st.status));
    sq_bind_text(st, 8, from_unit);
    sq_bind_text(st, 9, f->unit);
    sq_bind_text(st, 10, note);
    rc = sq_step_done(s, st, "writing a feedback event", e);
    sq_done(s, st);
    return rc;
}

static int text_ok(const char *field, const char *v, size_t max, int required, struct err *e)
{
    if (!v || !*v) return required ? err_set(e, ERR_INVALID, field, "%s: required", field) : 0;
    if (strlen(v) >= max)
        return err_set(e, ERR_INVALID, field, "%s: longer than %zu bytes", field, max - 1);
    if (!vntext_valid_utf8(v) || vntext_control_at(v, 0) >= 0)
        return err_set(e, ERR_INVALID, field, "%s: not valid text", field);
    return 0;
}

/* ---- submit ---- */

struct submit_ctx {
    const struct calendar *cal;
    const struct feedback_rules *rules;
    const struct feedback_new *in;
    const char *body; /* NFC */
    struct feedback_item *out;
};

static int find_duplicate(struct store *s, const char *key, int64_t at, char *code, struct err *e)
{
    struct db_stmt *st;
    code[0] = '\0';
    int rc = sq_prep(s, SQL_DUP, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, key);
    db_bind_int64(st, 2, at - FEEDBACK_DUP_WINDOW);
    db_bind_int64(st, 3, at);
    int step = db_step(st);
    if (step == DB_ROW)
        sq_col_text(st, 0, code, FEEDBACK_CODE_LEN);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "reading feedback", e);
    sq_done(s, st);
    return rc;
}

static int code_taken(struct store *s, const char *code, int *taken, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CODE_TAKEN, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    int step = db_step(st);
    *taken = step == DB_ROW;
    if (step != DB_ROW && step != DB_DONE) rc = sq_fail(s, step, "reading feedback", e);
    sq_done(s, st);
    return rc;
}

static int submit_tx(struct store *s, void *vctx, struct err *e)
{
    struct submit_ctx *x = vctx;
    const struct feedback_new *in = x->in;
    struct feedback_item *f = x->out;
    memset(f, 0, sizeof *f);
    int rc;
    const char *unit = in->unit && *in->unit ? in->unit : NULL;
    if (in->dossier && *in->dossier) {
        struct dossier *d = malloc(sizeof *d);
        if (!d) return err_set(e, ERR_NOMEM, "dossier", "out of memory");
        char code[DOSSIER_CODE_LEN + 8];
        dossier_code_normalize(in->dossier, code, sizeof code);
        rc = store_dossier_get(s, code, d, e);
        if (rc == ERR_NOT_FOUND)
            rc = err_set(e, ERR_INVALID, "dossier", "dossier '%.40s' does not exist", in->dossier);
        if (!rc) {
            snprintf(f->dossier, sizeof f->dossier, "%s", d->code);
            if (!unit) snprintf(f->unit, sizeof f->unit, "%s", d->unit);
        }
        free(d);
        if (rc) return rc;
    }
    if (unit) snprintf(f->unit, sizeof f->unit, "%s", unit);
    if (!f->unit[0])
        return err_set(e, ERR_INVALID, "unit", "unit: required (or a dossier code naming it)");
    struct unit u;
    rc = store_unit_get(s, f->unit, &u, e);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, "unit", "unit '%s' does not exist", f->unit);
    if (rc) return rc;

    char key[FEEDBACK_KEY_LEN];
    const char *contact = in->contact.phone[0] ? in->contact.phone : in->contact.email;
    if ((rc = feedback_dup_key(contact, x->body, key, e))) return rc;
    if (key[0]) {
        char dup[FEEDBACK_CODE_LEN];
        if ((rc = find_duplicate(s, key, in->at, dup, e))) return rc;
        if (dup[0]) {
            if ((rc = get_item(s, dup, f, e))) return rc;
            f->n_events++;
            struct db_stmt *st;
            if ((rc = sq_prep(s, SQL_EVENTS_BUMP, &st, e))) return rc;
            db_bind_int64(st, 1, f->id);
            db_bind_int64(st, 2, f->n_events);
            rc = sq_step_done(s, st, "writing feedback", e);
            sq_done(s, st);
            if (!rc)
                rc = event_add(s, f, NULL, f->n_events, in->at, in->actor, "duplicate",
                               feedback_status_name(f->st.status), f->unit,
                               "the same text from the same contact within a day", e);
            f->duplicates = 1;
            return rc;
        }
    }
    if ((rc = feedback_init(&f->st, in->kind, in->at, x->cal, x->rules, e))) return rc;
    int taken = 1;
    for (int tries = 0; taken && tries < 8; tries++) {
        unsigned char rnd[6];
        randombytes_buf(rnd, sizeof rnd);
        if ((rc = feedback_code_build(instant_day(in->at), rnd, f->code, e))) return rc;
        if ((rc = code_taken(s, f->code, &taken, e))) return rc;
    }
    if (taken) return err_set(e, ERR_CONFLICT, "code", "no free follow-up code; try again");
    f->channel = in->channel;
    snprintf(f->officer, sizeof f->officer, "%s", in->officer ? in->officer : "");
    snprintf(f->body, sizeof f->body, "%s", x->body);
    f->contact = in->contact;
    f->consent = in->consent ? 1 : 0;
    snprintf(f->dup_key, sizeof f->dup_key, "%s", key);
    f->submitted_at = in->at;
    f->n_events = 1;
    size_t fn = strlen(x->body) * 2 + 16;
    char *fold = malloc(fn);
    if (!fold) return err_set(e, ERR_NOMEM, "body", "out of memory");
    vntext_fold(x->body, fold, fn);
    /* the root of the receiving unit's tree, kept for good (docs/scale.md, decision 6) */
    char prov[UNIT_CODE_MAX];
    struct db_stmt *st;
    if ((rc = sq_unit_root(s, f->unit, prov, sizeof prov, e)) ||
        (rc = sq_prep(s, SQL_INSERT, &st, e))) {
        free(fold);
        return rc;
    }
    db_bind_text(st, 1, f->code);
    db_bind_text(st, 2, f->unit);
    db_bind_text(st, 3, feedback_kind_name(f->st.kind));
    db_bind_text(st, 4, feedback_channel_name(f->channel));
    sq_bind_text(st, 5, f->dossier);
    sq_bind_text(st, 6, f->officer);
    db_bind_text(st, 7, f->body);
    db_bind_text(st, 8, fold);
    sq_bind_text(st, 9, f->contact.name);
    sq_bind_text(st, 10, f->contact.phone);
    sq_bind_text(st, 11, f->contact.email);
    db_bind_int64(st, 12, f->consent);
    sq_bind_text(st, 13, f->dup_key);
    db_bind_text(st, 14, feedback_status_name(f->st.status));
    db_bind_int64(st, 15, f->submitted_at);
    db_bind_int64(st, 16, f->st.received_at);
    db_bind_int64(st, 17, f->st.decide_due_at);
    db_bind_int64(st, 18, f->st.last_at);
    db_bind_text(st, 19, prov);
    rc = sq_insert_id(s, st, "writing feedback", &f->id, e);
    sq_done(s, st);
    free(fold);
    if (!rc) rc = event_add(s, f, prov, 1, in->at, in->actor, "submit", NULL, NULL, NULL, e);
    return rc;
}

int store_feedback_submit(struct store *s, const struct calendar *cal,
                          const struct feedback_rules *rules, const struct feedback_new *in,
                          struct feedback_item *out, struct err *e)
{
    int rc = feedback_input_check(in->body, &in->contact, e);
    if (rc) return rc;
    if ((unsigned)in->kind >= FK__COUNT)
        return err_set(e, ERR_INVALID, "kind", "kind %d: unknown", (int)in->kind);
    if ((unsigned)in->channel >= FC__COUNT)
        return err_set(e, ERR_INVALID, "channel", "channel %d: unknown", (int)in->channel);
    if (in->at <= 0) return err_set(e, ERR_INVALID, "at", "reception time is not set");
    if ((rc = text_ok("actor", in->actor, FEEDBACK_ACTOR_MAX, 1, e)) ||
        (rc = text_ok("officer", in->officer, FEEDBACK_OFFICER_MAX, 0, e)) ||
        (rc = text_ok("dossier", in->dossier, DOSSIER_CODE_LEN + 8, 0, e)))
        return rc;
    size_t n = strlen(in->body) * 3 + 16;
    char *nfc = malloc(n);
    if (!nfc) return err_set(e, ERR_NOMEM, "body", "out of memory");
    if (vntext_nfc(in->body, nfc, n) || strlen(nfc) > FEEDBACK_BODY_MAX) {
        free(nfc);
        return err_set(e, ERR_INVALID, "body", "body: cannot be normalised within %d bytes",
                       FEEDBACK_BODY_MAX);
    }
    struct submit_ctx x = {cal, rules, in, nfc, out};
    rc = store_tx(s, submit_tx, &x, e);
    free(nfc);
    return rc;
}

/* ---- scope ---- */

struct scope_set {
    int n, cap;
    char (*code)[UNIT_CODE_MAX];
};

static int scope_add(const struct unit *u, void *ctx)
{
    struct scope_set *ss = ctx;
    if (ss->n == ss->cap) {
        int cap = ss->cap ? ss->cap * 2 : 32;
        void *p = realloc(ss->code, (size_t)cap * sizeof *ss->code);
        if (!p) return ERR_NOMEM;
        ss->code = p;
        ss->cap = cap;
    }
    snprintf(ss->code[ss->n++], UNIT_CODE_MAX, "%s", u->code);
    return 0;
}

static int scope_load(struct store *s, const char *unit, int64_t day, struct scope_set *ss,
                      struct err *e)
{
    memset(ss, 0, sizeof *ss);
    int rc = store_unit_scope(s, unit, day, scope_add, ss, e);
    if (rc == ERR_NOMEM) err_set(e, ERR_NOMEM, "unit", "out of memory");
    return rc;
}

static int scope_has(const struct scope_set *ss, const char *code)
{
    for (int i = 0; i < ss->n; i++)
        if (!strcmp(ss->code[i], code)) return 1;
    return 0;
}

/* ---- actions ---- */

struct apply_ctx {
    const struct calendar *cal;
    const struct feedback_rules *rules;
    const struct feedback_change *c;
    struct feedback_item *out;
};

static int mask_fold(const struct feedback_item *f, char **fold, struct err *e)
{
    size_t n = (strlen(f->body_public) + strlen(f->answer_public)) * 2 + 16;
    char *both = malloc(n), *out = malloc(n);
    if (!both || !out) {
        free(both);
        free(out);
        return err_set(e, ERR_NOMEM, "answer", "out of memory");
    }
    snprintf(both, n, "%s\n%s", f->body_public, f->answer_public);
    vntext_fold(both, out, n);
    free(both);
    *fold = out;
    return 0;
}

static int apply_tx(struct store *s, void *vctx, struct err *e)
{
    struct apply_ctx *x = vctx;
    const struct feedback_change *c = x->c;
    struct feedback_item *f = x->out;
    int rc = get_item(s, c->code, f, e);
    if (rc) return rc;
    if (c->scope) {
        struct scope_set ss;
        rc = scope_load(s, c->scope, instant_day(c->at), &ss, e);
        int in = !rc && scope_has(&ss, f->unit);
        free(ss.code);
        if (rc) return rc;
        if (!in) return err_set(e, ERR_NOT_FOUND, "code", "no feedback with code '%s'", f->code);
    }
    const struct feedback_action_desc *d = feedback_action_desc(c->action);
    char from_unit[UNIT_CODE_MAX], from_status[16];
    snprintf(from_unit, sizeof from_unit, "%s", f->unit);
    snprintf(from_status, sizeof from_status, "%s", feedback_status_name(f->st.status));
    if (d->flags & FAF_UNIT) {
        if (!strcmp(c->to_unit, f->unit))
            return err_set(e, ERR_INVALID, "to_unit",
                           "to_unit '%s': the item is already at that unit", c->to_unit);
        struct unit u;
        rc = store_unit_get(s, c->to_unit, &u, e);
        if (rc == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "to_unit", "unit '%s' does not exist", c->to_unit);
        if (rc) return rc;
    }
    struct feedback_args args = {c->at, x->cal, x->rules, f->consent};
    struct feedback_state next;
    if ((rc = feedback_apply(&f->st, c->action, &args, &next, e))) return rc;
    f->st = next;
    if (d->flags & FAF_UNIT) snprintf(f->unit, sizeof f->unit, "%s", c->to_unit);
    if (d->flags & FAF_ANSWER) {
        snprintf(f->answer, sizeof f->answer, "%s", c->answer);
        snprintf(f->answered_by, sizeof f->answered_by, "%s", c->actor);
    }
    char *fold = NULL;
    if (c->action == FA_PUBLISH) {
        feedback_mask_personal(f->body, f->body_public, sizeof f->body_public);
        feedback_mask_personal(f->answer, f->answer_public, sizeof f->answer_public);
        if ((rc = mask_fold(f, &fold, e))) return rc;
    }
    f->n_events++;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_UPDATE, &st, e))) {
        free(fold);
        return rc;
    }
    db_bind_int64(st, 1, f->id);
    db_bind_text(st, 2, f->unit);
    db_bind_text(st, 3, feedback_status_name(f->st.status));
    db_bind_int64(st, 4, f->st.received_at);
    db_bind_int64(st, 5, f->st.decide_due_at);
    db_bind_int64(st, 6, f->st.accepted_at);
    db_bind_int64(st, 7, f->st.answer_due_at);
    db_bind_int64(st, 8, f->st.answered_at);
    db_bind_int64(st, 9, f->st.closed_at);
    db_bind_int64(st, 10, f->st.last_at);
    db_bind_int64(st, 11, f->st.forwards);
    sq_bind_text(st, 12, f->answer);
    sq_bind_text(st, 13, f->answered_by);
    sq_bind_text(st, 14, f->body_public);
    sq_bind_text(st, 15, f->answer_public);
    sq_bind_text(st, 16, fold);
    db_bind_int64(st, 17, f->n_events);
    rc = sq_step_done(s, st, "writing feedback", e);
    sq_done(s, st);
    free(fold);
    if (rc) return rc;
    char note[FEEDBACK_NOTE_MAX];
    note[0] = '\0';
    if (d->flags & FAF_REASON) snprintf(note, sizeof note, "%s", c->note);
    /* the answer goes to the citizen, not into the log: only its length is noted */
    if (d->flags & FAF_ANSWER) snprintf(note, sizeof note, "answer, %zu bytes", strlen(c->answer));
    char prov[UNIT_CODE_MAX]; /* the item's, which its event and its message carry */
    rc = province_of(s, f->id, prov, sizeof prov, e);
    if (!rc)
        rc = event_add(s, f, prov, f->n_events, c->at, c->actor, d->name, from_status, from_unit,
                       note, e);
    /* the citizen hears of the answer in this same transaction (store_notify.h) */
    if (!rc && (d->flags & FAF_ANSWER))
        rc = store_notify_feedback_answered(s, f->code, f->unit, prov, f->contact.email,
                                            f->contact.phone, c->at, e);
    return rc;
}

int store_feedback_apply(struct store *s, const struct calendar *cal,
                         const struct feedback_rules *rules, const struct feedback_change *c,
                         struct feedback_item *out, struct err *e)
{
    const struct feedback_action_desc *d = feedback_action_desc(c->action);
    if (!d) return err_set(e, ERR_INVALID, "action", "action %d: unknown", (int)c->action);
    int rc = text_ok("actor", c->actor, FEEDBACK_ACTOR_MAX, 1, e);
    if (!rc && (d->flags & FAF_REASON)) rc = text_ok("note", c->note, FEEDBACK_NOTE_MAX, 1, e);
    if (!rc && (d->flags & FAF_UNIT)) rc = text_ok("to_unit", c->to_unit, UNIT_CODE_MAX, 1, e);
    if (!rc && (d->flags & FAF_ANSWER)) {
        if (!c->answer || !*c->answer) return err_set(e, ERR_INVALID, "answer", "answer: required");
        rc = feedback_input_check(c->answer, NULL, e);
        if (rc) snprintf(e->field, sizeof e->field, "answer");
    }
    if (rc) return rc;
    struct apply_ctx x = {cal, rules, c, out};
    return store_tx(s, apply_tx, &x, e);
}

/* ---- rating ---- */

struct rate_ctx {
    const char *code;
    int score;
    int64_t at;
};

static int rate_tx(struct store *s, void *vctx, struct err *e)
{
    struct rate_ctx *x = vctx;
    struct feedback_item *f = malloc(sizeof *f);
    if (!f) return err_set(e, ERR_NOMEM, "code", "out of memory");
    int rc = get_item(s, x->code, f, e);
    if (!rc && f->st.status != FS_ANSWERED && f->st.status != FS_PUBLISHED)
        rc = err_set(e, ERR_CONFLICT, "score", "feedback '%s' is not answered yet (state '%s')",
                     f->code, feedback_status_name(f->st.status));
    if (!rc && f->rating)
        rc = err_set(e, ERR_CONFLICT, "score", "feedback '%s' is already rated", f->code);
    if (!rc && x->at < f->st.answered_at)
        rc = err_set(e, ERR_INVALID, "at", "a rating cannot precede the answer");
    struct db_stmt *st;
    if (!rc && !(rc = sq_prep(s, SQL_RATE, &st, e))) {
        db_bind_int64(st, 1, f->id);
        db_bind_int64(st, 2, x->score);
        db_bind_int64(st, 3, x->at);
        rc = sq_step_done(s, st, "writing the rating", e);
        sq_done(s, st);
        if (!rc && db_changes(s->db) != 1)
            rc = err_set(e, ERR_CONFLICT, "score", "feedback '%s' is already rated", f->code);
    }
    free(f);
    return rc;
}

int store_feedback_rate(struct store *s, const char *code, int score, int64_t at, struct err *e)
{
    if (score < 1 || score > 5)
        return err_set(e, ERR_INVALID, "score", "score %d: must be 1..5", score);
    struct rate_ctx x = {code, score, at};
    return store_tx(s, rate_tx, &x, e);
}

/* ---- lists ---- */

static int list_unit(struct store *s, const char *unit, const struct feedback_filter *f,
                     struct feedback_item *item, feedback_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_LIST, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, unit);
    sq_bind_text(st, 2, f->status >= 0 ? feedback_status_name(f->status) : NULL);
    sq_bind_text(st, 3, f->kind >= 0 ? feedback_kind_name(f->kind) : NULL);
    sq_bind_text(st, 4, f->officer);
    sq_bind_text(st, 5, f->dossier);
    db_bind_int64(st, 6, f->from_day ? f->from_day * 1440 : INT64_MIN / 2);
    db_bind_int64(st, 7, f->to_day ? (f->to_day + 1) * 1440 : INT64_MAX / 2);
    int step = DB_DONE, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        read_item(st, item);
        if (f->outcome >= 0 && (int)feedback_outcome_at(&item->st, f->now) != f->outcome) continue;
        urc = fn(item, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading feedback", e);
    sq_done(s, st);
    return rc;
}

int store_feedback_list(struct store *s, const struct feedback_filter *f, feedback_fn fn, void *ctx,
                        struct err *e)
{
    struct feedback_item *item = malloc(sizeof *item);
    if (!item) return err_set(e, ERR_NOMEM, "feedback", "out of memory");
    int rc = 0;
    if (!f->unit || !*f->unit) {
        rc = list_unit(s, NULL, f, item, fn, ctx, e);
    } else {
        struct scope_set ss;
        rc = scope_load(s, f->unit, f->now ? instant_day(f->now) : UNIT_DAY_MIN, &ss, e);
        for (int i = 0; !rc && i < ss.n; i++)
            rc = list_unit(s, ss.code[i], f, item, fn, ctx, e);
        free(ss.code);
    }
    free(item);
    return rc;
}

int store_feedback_published(struct store *s, const char *query, int limit, feedback_fn fn,
                             void *ctx, struct err *e)
{
    char *pat = NULL;
    if (query && *query) {
        size_t n = strlen(query) * 2 + 16;
        char *fold = malloc(n);
        pat = malloc(n * 2 + 3);
        if (!fold || !pat) {
            free(fold);
            free(pat);
            return err_set(e, ERR_NOMEM, "q", "out of memory");
        }
        if (vntext_fold(query, fold, n)) {
            free(fold);
            free(pat);
            return err_set(e, ERR_INVALID, "q", "q: not valid text");
        }
        size_t j = 0;
        pat[j++] = '%';
        for (const char *p = fold; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '!') pat[j++] = '!';
            pat[j++] = *p;
        }
        pat[j++] = '%';
        pat[j] = '\0';
        free(fold);
    }
    struct feedback_item *item = malloc(sizeof *item);
    struct db_stmt *st = NULL;
    int rc = item ? sq_prep(s, SQL_PUBLISHED, &st, e) : err_set(e, ERR_NOMEM, "q", "out of memory");
    if (!rc) {
        sq_bind_text(st, 1, pat);
        db_bind_int64(st, 2, limit > 0 ? limit : 50);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            read_item(st, item);
            item->body[0] = item->answer[0] = '\0';
            memset(&item->contact, 0, sizeof item->contact);
            item->dup_key[0] = '\0';
            urc = fn(item, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading feedback", e);
        sq_done(s, st);
    }
    free(item);
    free(pat);
    return rc;
}

int store_feedback_events(struct store *s, const char *code, feedback_event_fn fn, void *ctx,
                          struct err *e)
{
    struct feedback_item *f = malloc(sizeof *f);
    if (!f) return err_set(e, ERR_NOMEM, "code", "out of memory");
    int rc = get_item(s, code, f, e);
    struct db_stmt *st;
    if (!rc && !(rc = sq_prep(s, SQL_EVENTS, &st, e))) {
        db_bind_int64(st, 1, f->id);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct feedback_event ev;
            memset(&ev, 0, sizeof ev);
            ev.seq = (int)db_col_int64(st, 0);
            ev.at = db_col_int64(st, 1);
            sq_col_text(st, 2, ev.actor, sizeof ev.actor);
            sq_col_text(st, 3, ev.action, sizeof ev.action);
            sq_col_text(st, 4, ev.from_status, sizeof ev.from_status);
            sq_col_text(st, 5, ev.to_status, sizeof ev.to_status);
            sq_col_text(st, 6, ev.from_unit, sizeof ev.from_unit);
            sq_col_text(st, 7, ev.to_unit, sizeof ev.to_unit);
            sq_col_text(st, 8, ev.note, sizeof ev.note);
            urc = fn(&ev, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading feedback events", e);
        sq_done(s, st);
    }
    free(f);
    return rc;
}

/* ---- attachments ---- */

struct file_ctx {
    const char *code, *name;
    const void *data;
    size_t size;
    struct feedback_file *out;
};

static int file_tx(struct store *s, void *vctx, struct err *e)
{
    struct file_ctx *x = vctx;
    struct feedback_item *f = malloc(sizeof *f);
    if (!f) return err_set(e, ERR_NOMEM, "file", "out of memory");
    int rc = get_item(s, x->code, f, e);
    int64_t id = f->id;
    free(f);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_FILES_COUNT, &st, e))) return rc;
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    int64_t n = step == DB_ROW ? db_col_int64(st, 0) : 0;
    if (step != DB_ROW) rc = sq_fail(s, step, "reading feedback files", e);
    sq_done(s, st);
    if (rc) return rc;
    if (n >= FEEDBACK_FILES_MAX)
        return err_set(e, ERR_INVALID, "file", "file: at most %d files per item",
                       FEEDBACK_FILES_MAX);
    char prov[UNIT_CODE_MAX]; /* the item's (migration 038) */
    if ((rc = province_of(s, id, prov, sizeof prov, e)) || (rc = sq_prep(s, SQL_FILE_ADD, &st, e)))
        return rc;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 7, prov);
    db_bind_text(st, 2, x->out->name);
    db_bind_text(st, 3, x->out->mime);
    db_bind_int64(st, 4, x->out->size);
    db_bind_text(st, 5, x->out->sha256);
    db_bind_blob(st, 6, x->data, x->size);
    rc = sq_insert_id(s, st, "writing a feedback file", &x->out->id, e);
    sq_done(s, st);
    return rc;
}

int store_feedback_file_add(struct store *s, const char *code, const char *name, const void *data,
                            size_t size, struct feedback_file *out, struct err *e)
{
    int rc = text_ok("name", name, sizeof out->name, 1, e);
    if (rc) return rc;
    if (strchr(name, '/') || strchr(name, '\\'))
        return err_set(e, ERR_INVALID, "name", "name '%s': no path separators", name);
    if (size > FEEDBACK_FILE_MAX)
        return err_set(e, ERR_INVALID, "file", "file '%s': %zu bytes, at most %d", name, size,
                       FEEDBACK_FILE_MAX);
    if (!size || !data) return err_set(e, ERR_INVALID, "file", "file '%s': empty", name);
    memset(out, 0, sizeof *out);
    if ((rc = blob_sniff(data, size, out->mime, sizeof out->mime, e))) return rc;
    if (strcmp(out->mime, "image/jpeg") && strcmp(out->mime, "image/png") &&
        strcmp(out->mime, "application/pdf"))
        return err_set(e, ERR_INVALID, "file",
                       "file '%s': content is '%s'; only JPEG, PNG images and PDF are accepted",
                       name, out->mime[0] ? out->mime : "unknown");
    snprintf(out->name, sizeof out->name, "%s", name);
    out->size = (int64_t)size;
    blob_sha256_hex(data, size, out->sha256);
    struct file_ctx x = {code, name, data, size, out};
    return store_tx(s, file_tx, &x, e);
}

int store_feedback_files(struct store *s, const char *code, feedback_file_fn fn, void *ctx,
                         struct err *e)
{
    struct feedback_item *f = malloc(sizeof *f);
    if (!f) return err_set(e, ERR_NOMEM, "code", "out of memory");
    int rc = get_item(s, code, f, e);
    struct db_stmt *st;
    if (!rc && !(rc = sq_prep(s, SQL_FILES, &st, e))) {
        db_bind_int64(st, 1, f->id);
        int step = DB_DONE, urc = 0;
        while (!urc && (step = db_step(st)) == DB_ROW) {
            struct feedback_file ff;
            memset(&ff, 0, sizeof ff);
            ff.id = db_col_int64(st, 0);
            sq_col_text(st, 1, ff.name, sizeof ff.name);
            sq_col_text(st, 2, ff.mime, sizeof ff.mime);
            ff.size = db_col_int64(st, 3);
            sq_col_text(st, 4, ff.sha256, sizeof ff.sha256);
            urc = fn(&ff, ctx);
        }
        rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading feedback files", e);
        sq_done(s, st);
    }
    free(f);
    return rc;
}

/* ---- templates ---- */

int store_feedback_template_put(struct store *s, const struct feedback_template *t, struct err *e)
{
    int rc = text_ok("code", t->code, sizeof t->code, 1, e);
    if (!rc) rc = text_ok("title", t->title, sizeof t->title, 1, e);
    if (!rc) rc = feedback_input_check(t->body, NULL, e);
    if (rc) return rc;
    struct db_stmt *st;
    if ((rc = sq_prep(s, SQL_TEMPLATE_PUT, &st, e))) return rc;
    db_bind_text(st, 1, t->code);
    sq_bind_text(st, 2, t->unit);
    db_bind_text(st, 3, t->title);
    db_bind_text(st, 4, t->body);
    int step = db_step(st);
    if (step == DB_ERROR && db_error_class(s->db) == DBE_FOREIGN_KEY)
        rc = err_set(e, ERR_INVALID, "unit", "unit '%s' does not exist", t->unit);
    else if (step != DB_DONE)
        rc = sq_fail(s, step, "writing a reply template", e);
    sq_done(s, st);
    return rc;
}

int store_feedback_templates(struct store *s, const char *unit, feedback_template_fn fn, void *ctx,
                             struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_TEMPLATES, &st, e);
    if (rc) return rc;
    sq_bind_text(st, 1, unit);
    struct feedback_template *t = malloc(sizeof *t);
    int step = DB_DONE, urc = t ? 0 : err_set(e, ERR_NOMEM, "template", "out of memory");
    while (!urc && (step = db_step(st)) == DB_ROW) {
        memset(t, 0, sizeof *t);
        sq_col_text(st, 0, t->code, sizeof t->code);
        sq_col_text(st, 1, t->unit, sizeof t->unit);
        sq_col_text(st, 2, t->title, sizeof t->title);
        sq_col_text(st, 3, t->body, sizeof t->body);
        urc = fn(t, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reading reply templates", e);
    free(t);
    sq_done(s, st);
    return rc;
}

/* ---- summary ---- */

struct summary_ctx {
    struct feedback_summary *out;
    int64_t now;
};

static void summary_count(struct feedback_summary *o, const struct feedback_state *st, int rating,
                          int64_t now)
{
    o->items++;
    if (st->forwards) o->forwarded++;
    if (st->status == FS_REFUSED) o->refused++;
    switch (feedback_outcome_at(st, now)) {
    case FO_ON_TIME:
        o->on_time++;
        break;
    case FO_LATE:
        o->late++;
        break;
    case FO_OVERDUE:
        o->overdue++;
        break;
    case FO_IN_TIME:
        o->in_time++;
        break;
    default:
        if (st->status != FS_REFUSED) o->waiting++;
        break;
    }
    if (rating) {
        o->rated++;
        o->rating_sum += rating;
        if (rating >= 4) o->satisfied++;
        if (rating <= 2) o->unsatisfied++;
    }
}

static int summary_add(const struct feedback_item *f, void *vctx)
{
    struct summary_ctx *x = vctx;
    summary_count(x->out, &f->st, f->rating, x->now);
    return 0;
}

int store_feedback_summary(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                           int64_t now, struct feedback_summary *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct feedback_filter f = {unit, -1, -1, -1, NULL, NULL, from_day, to_day, now};
    struct summary_ctx x = {out, now};
    return store_feedback_list(s, &f, summary_add, &x, e);
}

int store_feedback_summary_units(struct store *s, const char *parent, int n,
                                 const char *const *units, int64_t from_day, int64_t to_day,
                                 int64_t now, struct feedback_summary *out, struct err *e)
{
    if (n <= 0) return 0;
    memset(out, 0, sizeof *out * (size_t)n);
    struct sq_code_pos *pos = malloc(sizeof *pos * (size_t)n);
    if (!pos) return err_set(e, ERR_NOMEM, "unit", "out of memory");
    for (int i = 0; i < n; i++)
        pos[i] = (struct sq_code_pos){units[i], i};
    sq_code_pos_sort(pos, n);
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_SUMMARY_UNITS, &st, e), step = DB_DONE;
    if (!rc) {
        sq_bind_text(st, 1, parent && *parent ? parent : NULL);
        sq_bind_day(st, 2, now ? instant_day(now) : UNIT_DAY_MIN);
        db_bind_int64(st, 3, from_day ? from_day * 1440 : INT64_MIN / 2);
        db_bind_int64(st, 4, to_day ? (to_day + 1) * 1440 : INT64_MAX / 2);
        while ((step = db_step(st)) == DB_ROW) {
            char root[UNIT_CODE_MAX], w[24];
            sq_col_text(st, 0, root, sizeof root);
            struct feedback_state fs;
            memset(&fs, 0, sizeof fs);
            sq_col_text(st, 1, w, sizeof w);
            feedback_status_parse(w, &fs.status, NULL); /* the CHECKs keep it valid */
            fs.decide_due_at = db_col_int64(st, 2);
            fs.answer_due_at = db_col_int64(st, 3);
            fs.answered_at = db_col_int64(st, 4);
            fs.forwards = (int)db_col_int64(st, 5);
            int rating = (int)db_col_int64(st, 6);
            /* the first position of root in pos, then every unit of the list with that code */
            int lo = sq_code_lower_bound(pos, n, sq_code_pos_at, root);
            for (; lo < n && !strcmp(pos[lo].code, root); lo++)
                summary_count(&out[pos[lo].i], &fs, rating, now);
        }
        rc = step == DB_DONE ? 0 : sq_fail(s, step, "reading feedback", e);
        sq_done(s, st);
    }
    free(pos);
    return rc;
}

/* ---- per officer ---- */

struct officer_row {
    char name[FEEDBACK_OFFICER_MAX];
    struct feedback_summary m;
};
struct officers_ctx {
    struct officer_row *rows;
    int n, cap;
    int64_t now;
};

static int officer_add(const struct feedback_item *f, void *vctx)
{
    struct officers_ctx *x = vctx;
    if (!f->officer[0]) return 0;
    int i = 0;
    while (i < x->n && strcmp(x->rows[i].name, f->officer))
        i++;
    if (i == x->n) {
        if (x->n == x->cap) {
            int cap = x->cap ? x->cap * 2 : 16;
            void *p = realloc(x->rows, (size_t)cap * sizeof *x->rows);
            if (!p) return ERR_NOMEM;
            x->rows = p;
            x->cap = cap;
        }
        memset(&x->rows[i], 0, sizeof x->rows[i]);
        snprintf(x->rows[i].name, sizeof x->rows[i].name, "%s", f->officer);
        x->n++;
    }
    struct summary_ctx sc = {&x->rows[i].m, x->now};
    return summary_add(f, &sc);
}

static int officer_cmp(const void *a, const void *b)
{
    return strcmp(((const struct officer_row *)a)->name, ((const struct officer_row *)b)->name);
}

int store_feedback_officers(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                            int64_t now, feedback_officer_fn fn, void *ctx, struct err *e)
{
    struct feedback_filter f = {unit, -1, -1, -1, NULL, NULL, from_day, to_day, now};
    struct officers_ctx x = {NULL, 0, 0, now};
    int rc = store_feedback_list(s, &f, officer_add, &x, e);
    if (rc == ERR_NOMEM) err_set(e, ERR_NOMEM, "officer", "out of memory");
    if (!rc && x.n) qsort(x.rows, (size_t)x.n, sizeof *x.rows, officer_cmp);
    for (int i = 0; !rc && i < x.n; i++)
        rc = fn(x.rows[i].name, &x.rows[i].m, ctx);
    free(x.rows);
    return rc;
}
