/* remind.c — reminders and escalations over HTTP (docs/reminders.md, store_remind.h):
 *   GET  /api/reminders               the signed-in officer's reminders, newest first
 *                                     (?unread=1 only the unread, ?limit=N at most N, 1..200)
 *   POST /api/reminders/read          {"id": N} marks one read, {} every one
 *   GET  /api/session/contact         the officer's own e-mail and mobile phone for reminders
 *   PUT  /api/session/contact         {"email", "phone"}: "" clears, absent keeps
 *   PUT  /api/users/{username}/contact  the same, by an administrator of the account's unit
 * The sweep itself runs in `cchc serve` (remind_worker.c) and `cchc remind run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "store_remind.h"

#define LIST_DEFAULT 50
#define LIST_MAX     200

static int reminder_item(const struct reminder *m, void *ctx)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:o, s:b, s:b}", "id",
                          (json_int_t)m->id, "kind", remind_kind_name(m->kind), "item", m->item,
                          "stage", remind_stage_name(m->stage), "due", jday(m->due_day), "unit",
                          m->unit, "title", jstr(m->title), "escalated", m->escalated, "created_at",
                          jinstant(m->created_at), "read", m->read_at != 0, "sent", m->queued);
    return !o || json_array_append_new(ctx, o) ? ERR_NOMEM : 0;
}

void h_reminders(struct req *r)
{
    static const char *const allowed[] = {"unread", "limit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *s = req_query(r, "unread");
    if (s && strcmp(s, "0") && strcmp(s, "1"))
        return reply_error(r, 400, "invalid", "unread", "unread '%.10s': expected 0 or 1", s);
    int unread_only = s && s[0] == '1';
    int limit = LIST_DEFAULT;
    if ((s = req_query(r, "limit"))) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*s < '0' || *s > '9' || *end || v < 1 || v > LIST_MAX)
            return reply_error(r, 400, "invalid", "limit",
                               "limit '%.10s': expected a whole number 1..%d", s, LIST_MAX);
        limit = (int)v;
    }
    json_t *items = json_array();
    int64_t unread = 0;
    struct err e = {0};
    if (store_reminders_of(req_store(r), r->sess->user.username, unread_only, limit, reminder_item,
                           items, &unread, &e)) {
        json_decref(items);
        if (!e.code) err_set(&e, ERR_NOMEM, "", "out of memory");
        return reply_err(r, &e);
    }
    reply_json(r, 200, json_pack("{s:I, s:o}", "unread", (json_int_t)unread, "reminders", items));
}

void h_reminders_read(struct req *r)
{
    static const struct jfield spec[] = {
        {"id", JT_INT, 0, 1, INT32_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    json_t *id = json_object_get(body, "id");
    int64_t changed = 0;
    struct err e = {0};
    if (store_reminders_read(req_store(r), r->sess->user.username,
                             id ? (int64_t)json_integer_value(id) : 0, now_local_minutes(),
                             &changed, &e))
        return reply_err(r, &e);
    reply_json(r, 200, json_pack("{s:I}", "read", (json_int_t)changed));
}

static void contact_reply(struct req *r, const char *username, int status)
{
    char em[NOTIFY_CONTACT_MAX], ph[NOTIFY_CONTACT_MAX];
    struct err e = {0};
    if (store_user_contact_get(req_store(r), username, em, ph, &e)) return reply_err(r, &e);
    reply_json(r, status,
               json_pack("{s:s, s:s, s:s}", "username", username, "email", em, "phone", ph));
}

static void contact_put(struct req *r, const char *username)
{
    static const struct jfield spec[] = {
        {"email", JT_STRING, 0, 0, NOTIFY_CONTACT_MAX - 2},
        {"phone", JT_STRING, 0, 0, 24},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_body_json(r, spec, &body)) return;
    char em[NOTIFY_CONTACT_MAX], ph[NOTIFY_CONTACT_MAX];
    struct err e = {0};
    struct store *st = req_store(r);
    if (store_user_contact_get(st, username, em, ph, &e)) return reply_err(r, &e);
    const char *email = jget_str(body, "email"), *phone = jget_str(body, "phone");
    if (store_user_contact_put(st, username, email ? email : em, phone ? phone : ph, &e))
        return reply_err(r, &e);
    contact_reply(r, username, 200);
}

void h_session_contact_get(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    contact_reply(r, r->sess->user.username, 200);
}

void h_session_contact_put(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    contact_put(r, r->sess->user.username);
}

void h_user_contact_put(struct req *r)
{
    if (req_query_check(r, NULL)) return;
    const char *username = req_param(r, "username");
    struct user u;
    struct err e = {0};
    /* an account outside the administrator's units does not exist for them */
    if (store_user_get(req_store(r), username, &u, NULL, 0, &e) || u.role == UROLE_CITIZEN ||
        !auth_scope_covers(r, u.unit))
        return reply_error(r, 404, "not_found", "username", "account '%.48s' does not exist",
                           username);
    contact_put(r, username);
}
