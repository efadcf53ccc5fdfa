/* remind_store.c — reminders and escalations (store_remind.h), in the SQL shared by SQLite
 * and PostgreSQL (migration 026). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "sqlite_int.h"
#include "store_dialogue.h"
#include "store_feedback.h"
#include "store_notify.h"
#include "store_reform.h"
#include "store_remind.h"

static const char SQL_STAFF[] =
    "SELECT username, role, email, phone FROM users WHERE unit_code = ?1 AND disabled = 0 "
    "ORDER BY username";
static const char SQL_ACCOUNT[] =
    "SELECT username, role, email, phone, unit_code FROM users WHERE username = ?1 AND "
    "disabled = 0";
static const char SQL_INSERT[] =
    "INSERT INTO reminders (kind, item, stage, due_day, unit_code, title, recipient, escalated, "
    "created_at, province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (kind, item, stage, due_day, recipient, province) DO NOTHING RETURNING id";
static const char SQL_SET_MSG[] = "UPDATE reminders SET outbox_msg = ?2 WHERE id = ?1";
static const char SQL_OF[] =
    "SELECT id, kind, item, stage, due_day, unit_code, title, recipient, escalated, created_at, "
    "read_at, outbox_msg FROM reminders WHERE recipient = ?1 AND (?2 = 0 OR read_at = 0) "
    "ORDER BY created_at DESC, id DESC LIMIT ?3";
static const char SQL_UNREAD[] =
    "SELECT COUNT(*) FROM reminders WHERE recipient = ?1 AND read_at = 0";
static const char SQL_READ[] =
    "UPDATE reminders SET read_at = ?3 WHERE recipient = ?1 AND (?2 = 0 OR id = ?2) AND "
    "read_at = 0";
static const char SQL_MINE[] = "SELECT 1 FROM reminders WHERE recipient = ?1 AND id = ?2";
static const char SQL_CONTACT_PUT[] = "UPDATE users SET email = ?2, phone = ?3 WHERE username = ?1";
static const char SQL_CONTACT_GET[] = "SELECT email, phone FROM users WHERE username = ?1";

/* ---- the open items ---------------------------------------------------------------------- */

struct item {
    enum remind_kind kind;
    char id[REMIND_ITEM_MAX];
    int64_t due_day;
    char unit[UNIT_CODE_MAX];
    char title[REMIND_TITLE_MAX];
    char lead[USERNAME_MAX]; /* a task's lead when it may name an account */
};
struct items {
    struct item *v;
    size_t n, cap;
};

static struct item *item_new(struct items *x)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        void *p = realloc(x->v, cap * sizeof *x->v);
        if (!p) return NULL;
        x->v = p;
        x->cap = cap;
    }
    struct item *it = &x->v[x->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* text cut to the title's size on a UTF-8 character boundary, "…" marking the cut */
static void title_clip(char out[REMIND_TITLE_MAX], const char *in)
{
    size_t n = strlen(in);
    if (n < REMIND_TITLE_MAX) {
        memcpy(out, in, n + 1);
        return;
    }
    n = REMIND_TITLE_MAX - 4; /* room for "…" (3 bytes) and the NUL */
    while (n && ((unsigned char)in[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, in, n);
    memcpy(out + n, "\xE2\x80\xA6", 4);
}

static int task_item(const struct reform_task *t, void *ctx)
{
    struct item *it = item_new(ctx);
    if (!it) return ERR_NOMEM;
    it->kind = RK_TASK;
    snprintf(it->id, sizeof it->id, "%lld", (long long)t->id);
    it->due_day = t->due_day;
    snprintf(it->unit, sizeof it->unit, "%s", t->owner);
    snprintf(it->title, sizeof it->title, "%s", t->title);
    /* a lead longer than an account name names no account (a copy, not snprintf, which a
     * Debug build's -Werror=format-truncation refused) */
    size_t lead = strlen(t->lead);
    if (lead < sizeof it->lead) memcpy(it->lead, t->lead, lead + 1);
    return 0;
}

static int feedback_item(const struct feedback_item *f, void *ctx)
{
    struct item *it = item_new(ctx);
    if (!it) return ERR_NOMEM;
    it->kind = RK_FEEDBACK;
    snprintf(it->id, sizeof it->id, "%s", f->code);
    int64_t due = f->st.answer_due_at ? f->st.answer_due_at : f->st.decide_due_at;
    it->due_day = instant_day(due);
    snprintf(it->unit, sizeof it->unit, "%s", f->unit);
    /* the citizen's text stays out of reminders (personal data): the code says which */
    snprintf(it->title, sizeof it->title, "%s", f->code);
    return 0;
}

static int commitment_item(const struct dialogue *d, const struct commitment *c, void *ctx)
{
    struct item *it = item_new(ctx);
    if (!it) return ERR_NOMEM;
    it->kind = RK_COMMITMENT;
    snprintf(it->id, sizeof it->id, "%lld", (long long)c->id);
    it->due_day = c->due_day;
    snprintf(it->unit, sizeof it->unit, "%s", d->unit);
    title_clip(it->title, c->text);
    return 0;
}

static int open_items(struct store *s, int64_t now, struct items *x, struct err *e)
{
    int64_t today = instant_day(now);
    struct reform_task_filter tf = {.open_only = 1};
    int rc = store_reform_task_list(s, &tf, task_item, x, e);
    for (int o = 0; !rc && o < 2; o++) {
        struct feedback_filter ff = {NULL, -1, -1, o ? FO_OVERDUE : FO_IN_TIME, NULL, NULL,
                                     0,    0,  now};
        rc = store_feedback_list(s, &ff, feedback_item, x, e);
    }
    if (!rc) rc = store_commitments(s, NULL, today, 1, commitment_item, x, e);
    if (rc == ERR_NOMEM) err_set(e, ERR_NOMEM, "", "out of memory");
    return rc;
}

/* ---- recipients -------------------------------------------------------------------------- */

struct person {
    char username[USERNAME_MAX];
    char contact[NOTIFY_CONTACT_MAX]; /* the e-mail, else the phone; "" for neither */
    int escalated;
};
#define PEOPLE_MAX 64

static void read_contact(struct db_stmt *st, int ie, int ip, char *out, size_t n)
{
    sq_col_text(st, ie, out, n);
    if (!out[0]) sq_col_text(st, ip, out, n);
}

static int add_person(struct person *p, int *np, const char *username, const char *contact,
                      int escalated)
{
    for (int i = 0; i < *np; i++)
        if (!strcmp(p[i].username, username)) return 0; /* told once, as its first reason */
    if (*np >= PEOPLE_MAX) return 0;
    snprintf(p[*np].username, sizeof p[*np].username, "%s", username);
    snprintf(p[*np].contact, sizeof p[*np].contact, "%s", contact);
    p[*np].escalated = escalated;
    (*np)++;
    return 0;
}

static int staff_of(struct store *s, const char *unit, unsigned roles, int escalated,
                    struct person *p, int *np, struct err *e)
{
    if (!roles || !unit[0]) return 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_STAFF, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, unit);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        enum user_role role;
        struct err ignore = {0};
        if (user_role_parse(db_col_text(st, 1), &role, "role", &ignore) || !(roles & (1u << role)))
            continue;
        char contact[NOTIFY_CONTACT_MAX];
        read_contact(st, 2, 3, contact, sizeof contact);
        add_person(p, np, db_col_text(st, 0), contact, escalated);
    }
    rc = step == DB_DONE ? 0 : sq_fail(s, step, "accounts to remind", e);
    sq_done(s, st);
    return rc;
}

/* a task's lead, when the text names an active staff account of the owner unit */
static int lead_of(struct store *s, const struct item *it, struct person *p, int *np, struct err *e)
{
    if (!it->lead[0]) return 0;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_ACCOUNT, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, it->lead);
    int step = db_step(st);
    if (step == DB_ROW && !strcmp(db_col_text(st, 4) ? db_col_text(st, 4) : "", it->unit)) {
        char contact[NOTIFY_CONTACT_MAX];
        read_contact(st, 2, 3, contact, sizeof contact);
        add_person(p, np, db_col_text(st, 0), contact, 0);
    }
    rc = step == DB_ROW || step == DB_DONE ? 0 : sq_fail(s, step, "task lead", e);
    sq_done(s, st);
    return rc;
}

/* ---- one item at its stage, in one transaction ------------------------------------------ */

struct one {
    const struct item *it;
    const struct remind_rule *rule;
    int64_t now;
    struct remind_sweep_stats *st;
};

static enum notify_event event_of(enum remind_stage stage, int escalated)
{
    return escalated ? NE_ESCALATION : stage == RS_OVERDUE ? NE_REMIND_OVERDUE : NE_REMIND_DUE;
}

static const char *const KIND_VI[RK__COUNT] = {"Nhiệm vụ", "Phản ánh, kiến nghị",
                                               "Cam kết tại đối thoại"};

static int one_tx(struct store *s, void *ctx, struct err *e)
{
    struct one *x = ctx;
    const struct item *it = x->it;
    struct person p[PEOPLE_MAX];
    int np = 0;
    struct unit u; /* read once: its parent for the escalation, its name for the message */
    struct err ue = {0};
    int have_unit = !store_unit_get(s, it->unit, &u, &ue);
    int rc = it->kind == RK_TASK ? lead_of(s, it, p, &np, e) : 0;
    if (!rc) rc = staff_of(s, it->unit, x->rule->unit_roles, 0, p, &np, e);
    if (!rc && x->rule->parent_roles) {
        if (have_unit)
            rc = staff_of(s, u.parent, x->rule->parent_roles, 1, p, &np, e);
        else
            rc = err_set(e, ue.code, ue.field, "%s", ue.msg);
    }
    /* the province (migration 044): the root of the responsible unit's tree */
    char prov[UNIT_CODE_MAX];
    if (!rc) rc = sq_unit_root(s, it->unit, prov, sizeof prov, e);
    if (rc) return rc;
    if (!np) x->st->no_one++;
    const char *unit_name = have_unit ? u.name : "";
    for (int i = 0; i < np && !rc; i++) {
        struct db_stmt *st;
        if ((rc = sq_prov_guard(s, prov, e)) || (rc = sq_prep(s, SQL_INSERT, &st, e))) break;
        db_bind_text_copy(st, 1, remind_kind_name(it->kind));
        db_bind_text_copy(st, 2, it->id);
        db_bind_text_copy(st, 3, remind_stage_name(x->rule->stage));
        db_bind_int64(st, 4, it->due_day);
        db_bind_text_copy(st, 5, it->unit);
        db_bind_text_copy(st, 6, it->title);
        db_bind_text_copy(st, 7, p[i].username);
        db_bind_int64(st, 8, p[i].escalated);
        db_bind_int64(st, 9, x->now);
        db_bind_text_copy(st, 10, prov);
        int step = db_step(st);
        int64_t id = step == DB_ROW ? db_col_int64(st, 0) : 0;
        if (step == DB_ROW) step = db_step(st);
        rc = step == DB_DONE ? 0 : sq_fail(s, step, "reminder", e);
        sq_done(s, st);
        if (rc || !id) continue; /* already reminded of this stage and due day */
        x->st->written++;
        if (!p[i].contact[0]) continue; /* shown in cchc only */
        char vars[NOTIFY_VARS_MAX] = "", due[16], msg[NOTIFY_MSGID_MAX];
        rc = notify_vars_add(vars, sizeof vars, "what", KIND_VI[it->kind], e);
        if (!rc) rc = notify_vars_add(vars, sizeof vars, "title", it->title, e);
        if (!rc) rc = notify_vars_add(vars, sizeof vars, "unit_name", unit_name, e);
        if (!rc) {
            struct ymd d = days_to_ymd(it->due_day);
            snprintf(due, sizeof due, "%02d/%02d/%04d", d.d, d.m, d.y);
            rc = notify_vars_add(vars, sizeof vars, "due", due, e);
        }
        if (!rc) rc = notify_vars_add(vars, sizeof vars, "path", "#/viec-can-xu-ly", e);
        if (rc) break;
        /* the reminder's province, which its message carries (migration 048) */
        struct outbox_msg m = {.event = event_of(x->rule->stage, p[i].escalated),
                               .recipient = p[i].contact,
                               .vars = vars,
                               .event_at = x->now,
                               .province = prov};
        if ((rc = outbox_enqueue(s, &m, msg, e))) break;
        if ((rc = sq_prep(s, SQL_SET_MSG, &st, e))) break;
        db_bind_int64(st, 1, id);
        db_bind_text_copy(st, 2, msg);
        rc = sq_step_done(s, st, "reminder message", e);
        sq_done(s, st);
        if (!rc) x->st->queued++;
    }
    return rc;
}

int store_remind_sweep(struct store *s, const struct remind_rules *rules,
                       const struct calendar *cal, int64_t now, struct remind_sweep_stats *st,
                       struct err *e)
{
    memset(st, 0, sizeof *st);
    struct items x = {0};
    int rc = open_items(s, now, &x, e);
    int64_t today = instant_day(now);
    st->items = (int)x.n;
    for (size_t i = 0; !rc && i < x.n; i++) {
        const struct remind_rule *rule;
        struct err e2 = {0};
        int stage = remind_stage_on(rules, cal, x.v[i].kind, x.v[i].due_day, today, &rule, &e2);
        if (stage < 0 || !rule) continue; /* no stage, or a day outside the calendar */
        st->reached++;
        struct one o = {&x.v[i], rule, now, st};
        /* the province of the item's unit, whose rows (the reminders, their messages) it
         * writes: sweeps of two provinces, or of two servers, do not wait for each other */
        rc = store_tx_unit(s, x.v[i].unit, one_tx, &o, e);
    }
    free(x.v);
    return rc;
}

/* ---- an account's reminders -------------------------------------------------------------- */

int store_reminders_of(struct store *s, const char *username, int unread_only, int limit,
                       reminder_fn fn, void *ctx, int64_t *unread, struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_OF, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, username);
    db_bind_int64(st, 2, unread_only);
    db_bind_int64(st, 3, limit);
    int step, urc = 0;
    while (!urc && (step = db_step(st)) == DB_ROW) {
        struct reminder r = {0};
        struct err ignore = {0};
        r.id = db_col_int64(st, 0);
        remind_kind_parse(db_col_text(st, 1), &r.kind, &ignore);
        sq_col_text(st, 2, r.item, sizeof r.item);
        remind_stage_parse(db_col_text(st, 3), &r.stage, &ignore);
        r.due_day = db_col_int64(st, 4);
        sq_col_text(st, 5, r.unit, sizeof r.unit);
        sq_col_text(st, 6, r.title, sizeof r.title);
        sq_col_text(st, 7, r.recipient, sizeof r.recipient);
        r.escalated = (int)db_col_int64(st, 8);
        r.created_at = db_col_int64(st, 9);
        r.read_at = db_col_int64(st, 10);
        r.queued = !db_col_null(st, 11);
        urc = fn(&r, ctx);
    }
    rc = urc ? urc : step == DB_DONE ? 0 : sq_fail(s, step, "reminders", e);
    sq_done(s, st);
    if (rc || !unread) return rc;
    if ((rc = sq_prep(s, SQL_UNREAD, &st, e))) return rc;
    db_bind_text_copy(st, 1, username);
    step = db_step(st);
    *unread = step == DB_ROW ? db_col_int64(st, 0) : 0;
    rc = step == DB_ROW ? 0 : sq_fail(s, step, "unread reminders", e);
    sq_done(s, st);
    return rc;
}

struct read_ctx {
    const char *username;
    int64_t id, at, *changed;
};

static int read_tx(struct store *s, void *ctx, struct err *e)
{
    struct read_ctx *x = ctx;
    struct db_stmt *st;
    int rc;
    if (x->id) {
        if ((rc = sq_prep(s, SQL_MINE, &st, e))) return rc;
        db_bind_text_copy(st, 1, x->username);
        db_bind_int64(st, 2, x->id);
        int step = db_step(st);
        sq_done(s, st);
        if (step == DB_DONE)
            return err_set(e, ERR_NOT_FOUND, "id", "reminder #%lld does not exist",
                           (long long)x->id);
        if (step != DB_ROW) return sq_fail(s, step, "reminder", e);
    }
    if ((rc = sq_prep(s, SQL_READ, &st, e))) return rc;
    db_bind_text_copy(st, 1, x->username);
    db_bind_int64(st, 2, x->id);
    db_bind_int64(st, 3, x->at);
    rc = sq_step_done(s, st, "reminders read", e);
    sq_done(s, st);
    if (!rc) *x->changed = db_changes(s->db);
    return rc;
}

int store_reminders_read(struct store *s, const char *username, int64_t id, int64_t at,
                         int64_t *changed, struct err *e)
{
    *changed = 0;
    struct read_ctx x = {username, id, at, changed};
    /* one UPDATE … WHERE read_at = 0, atomic on its rows: no writer's order needed */
    return store_tx_shared(s, read_tx, &x, e);
}

/* ---- staff contacts ---------------------------------------------------------------------- */

static int contact_norm(const char *in, const char *field, enum contact_kind want, char *out,
                        struct err *e)
{
    out[0] = '\0';
    if (!in || !in[0]) return 0;
    enum contact_kind k;
    if (notify_contact_normalize(in, out, NOTIFY_CONTACT_MAX, &k, field, e)) return ERR_INVALID;
    if (k != want)
        return err_set(e, ERR_INVALID, field, "%s '%.60s' is not %s", field, in,
                       want == CONTACT_EMAIL ? "an e-mail address" : "a mobile phone number");
    return 0;
}

int store_user_contact_put(struct store *s, const char *username, const char *email,
                           const char *phone, struct err *e)
{
    char em[NOTIFY_CONTACT_MAX], ph[NOTIFY_CONTACT_MAX];
    if (contact_norm(email, "email", CONTACT_EMAIL, em, e) ||
        contact_norm(phone, "phone", CONTACT_PHONE, ph, e))
        return ERR_INVALID;
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CONTACT_PUT, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, username);
    sq_bind_text(st, 2, em);
    sq_bind_text(st, 3, ph);
    rc = sq_step_done(s, st, "account contact", e);
    sq_done(s, st);
    if (!rc && db_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "username", "account '%.48s' does not exist", username);
    return rc;
}

int store_user_contact_get(struct store *s, const char *username, char *email, char *phone,
                           struct err *e)
{
    struct db_stmt *st;
    int rc = sq_prep(s, SQL_CONTACT_GET, &st, e);
    if (rc) return rc;
    db_bind_text_copy(st, 1, username);
    int step = db_step(st);
    if (step == DB_ROW) {
        sq_col_text(st, 0, email, NOTIFY_CONTACT_MAX);
        sq_col_text(st, 1, phone, NOTIFY_CONTACT_MAX);
        rc = 0;
    } else {
        rc = step == DB_DONE
                 ? err_set(e, ERR_NOT_FOUND, "username", "account '%.48s' does not exist", username)
                 : sq_fail(s, step, "account contact", e);
    }
    sq_done(s, st);
    return rc;
}
