/* users.c — GET /api/users (accounts whose unit lies in the admin's scope) and POST
 * /api/users (an admin creates an account inside its own scope; the password is hashed with
 * argon2id before it reaches the store). */
#include <string.h>

#include "auth.h"
#include "http.h"
#include "store.h"

struct user_list {
    struct req *r;
    json_t *list;
    const char *root; /* the admin's unit, or the ?unit= filter inside it */
};

static int add_user(const struct user *u, void *ctx)
{
    struct user_list *l = ctx;
    /* Citizens belong to no unit: no admin lists them. */
    if (!u->unit[0] || !auth_unit_under(l->r, u->unit, l->root)) return 0;
    json_t *o = json_pack("{s:o, s:o, s:s, s:o, s:b}", "username", jstr(u->username), "full_name",
                          jstr(u->full_name), "role", user_role_name(u->role), "unit",
                          jstr_or_null(u->unit), "disabled", u->disabled);
    return json_array_append_new(l->list, o) ? 1 : 0;
}

void h_users_list(struct req *r)
{
    static const char *const allowed[] = {"unit", NULL};
    if (req_query_check(r, allowed)) return;
    const char *unit = req_query(r, "unit");
    if (unit ? !auth_scope_covers(r, unit) : !auth_scope_root_valid(r)) {
        reply_error(r, 404, "not_found", "unit", "unit '%.40s' does not exist",
                    unit ? unit : r->sess->user.unit);
        return;
    }
    struct user_list l = {r, json_array(), unit ? unit : r->sess->user.unit};
    struct err e = {0};
    if (store_user_list(req_store(r), add_user, &l, &e)) {
        json_decref(l.list);
        if (!e.code) err_set(&e, ERR_NOMEM, "users", "out of memory");
        reply_err(r, &e);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "users", l.list));
}

void h_user_create(struct req *r)
{
    static const struct jfield spec[] = {
        {"username", JT_STRING, 1, 1, USERNAME_MAX - 1},
        {"full_name", JT_STRING, 0, 0, USER_NAME_MAX - 1},
        {"role", JT_STRING, 1, 1, 32},
        {"unit", JT_STRING, 0, 1, UNIT_CODE_MAX - 1},
        {"password", JT_STRING, 1, 1, USER_PASSWORD_MAX},
        {NULL, 0, 0, 0, 0},
    };
    json_t *body;
    if (req_query_check(r, NULL) || req_body_json(r, spec, &body)) return;
    struct user u = {0};
    struct err e = {0};
    enum user_role role;
    snprintf(u.username, sizeof u.username, "%s", jget_str(body, "username"));
    snprintf(u.full_name, sizeof u.full_name, "%s",
             jget_str(body, "full_name") ? jget_str(body, "full_name") : "");
    if (user_role_parse(jget_str(body, "role"), &role, "role", &e)) {
        reply_err(r, &e);
        return;
    }
    u.role = role;
    snprintf(u.unit, sizeof u.unit, "%s", jget_str(body, "unit") ? jget_str(body, "unit") : "");
    u.created_at = now_unix();
    if (user_check(&u, &e)) {
        reply_err(r, &e);
        return;
    }
    /* An admin creates accounts only inside its scope: another unit does not exist for it. */
    if (u.unit[0] && !auth_scope_covers(r, u.unit)) {
        reply_error(r, 404, "not_found", "unit", "unit '%s' does not exist", u.unit);
        return;
    }
    char hash[USER_PWHASH_MAX];
    if (auth_hash_password(jget_str(body, "password"), hash, &e) ||
        store_user_add(req_store(r), &u, hash, &e)) {
        reply_err(r, &e);
        return;
    }
    reply_json(r, 201,
               json_pack("{s:o, s:s, s:o}", "username", jstr(u.username), "role",
                         user_role_name(u.role), "unit", jstr_or_null(u.unit)));
}
