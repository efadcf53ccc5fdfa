/* user.c — role names and the syntax rules of usernames, passwords and user records. */
#include "user.h"

#include <string.h>

static const char *const role_names[UROLE_COUNT] = {
    "citizen", "desk_officer", "specialist", "leader", "par_assessor", "admin",
};
static const char *const role_labels[UROLE_COUNT] = {
    "Công dân", "Công chức Một cửa",     "Chuyên viên xử lý",
    "Lãnh đạo", "Thẩm định Chỉ số CCHC", "Quản trị hệ thống",
};

const char *user_role_name(enum user_role r)
{
    return (unsigned)r < UROLE_COUNT ? role_names[r] : NULL;
}

const char *user_role_label(enum user_role r)
{
    return (unsigned)r < UROLE_COUNT ? role_labels[r] : NULL;
}

int user_role_parse(const char *s, enum user_role *out, const char *field, struct err *e)
{
    for (int i = 0; i < UROLE_COUNT; i++)
        if (s && !strcmp(s, role_names[i])) return *out = (enum user_role)i, 0;
    return err_set(e, ERR_INVALID, field,
                   "%s '%.40s': must be one of citizen, desk_officer, specialist, leader, "
                   "par_assessor, admin",
                   field, s ? s : "");
}

int user_role_scoped(enum user_role r)
{
    return r != UROLE_CITIZEN;
}

int username_check(const char *s, const char *field, struct err *e)
{
    size_t n = strlen(s);
    if (n < 3 || n >= USERNAME_MAX)
        return err_set(e, ERR_INVALID, field, "%s '%.60s': must be 3 to %d characters", field, s,
                       USERNAME_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return err_set(e, ERR_INVALID, field,
                           "%s '%.60s': only a-z, 0-9 and . _ - (not first) are allowed", field, s);
    }
    return 0;
}

int password_check(const char *s, const char *field, struct err *e)
{
    size_t n = strlen(s);
    if (n < USER_PASSWORD_MIN || n > USER_PASSWORD_MAX)
        return err_set(e, ERR_INVALID, field, "%s: must be %d to %d bytes long (it is %zu)", field,
                       USER_PASSWORD_MIN, USER_PASSWORD_MAX, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return err_set(e, ERR_INVALID, field, "%s: must not contain control characters", field);
    return 0;
}

int user_check(const struct user *u, struct err *e)
{
    int rc;
    if ((rc = username_check(u->username, "username", e))) return rc;
    if (!user_role_name(u->role))
        return err_set(e, ERR_INVALID, "role", "role %d: not a known role", (int)u->role);
    if (user_role_scoped(u->role)) {
        if (!u->unit[0])
            return err_set(e, ERR_INVALID, "unit", "role %s needs a unit scope (--unit CODE)",
                           user_role_name(u->role));
        if ((rc = unit_code_check(u->unit, "unit", e))) return rc;
    } else if (u->unit[0]) {
        return err_set(e, ERR_INVALID, "unit", "unit '%s': a citizen account has no unit scope",
                       u->unit);
    }
    return 0;
}
