/* user.h — accounts of the HTTP API: a username, a role and a unit scope (the unit's subtree
 * as of the day of the request). Pure data and validation; passwords are hashed in the http
 * layer (libsodium) and stored by src/store. */
#ifndef CCHC_USER_H
#define CCHC_USER_H

#include <stdint.h>

#include "err.h"
#include "unit.h"

/* Roles of ARCHITECTURE.md §1. The one-stop roles follow Decree 61/2018/NĐ-CP Art. 8–9
 * (desk officer) and the processing agencies of Art. 17–18 (specialist, leader) (verify). */
enum user_role {
    UROLE_CITIZEN = 0,  /* công dân / doanh nghiệp with an account */
    UROLE_DESK_OFFICER, /* công chức Bộ phận Một cửa */
    UROLE_SPECIALIST,   /* chuyên viên xử lý */
    UROLE_LEADER,       /* lãnh đạo phê duyệt */
    UROLE_PAR_ASSESSOR, /* thành viên Hội đồng thẩm định Chỉ số CCHC */
    UROLE_ADMIN,        /* quản trị hệ thống */
    UROLE_COUNT
};

#define USERNAME_MAX      48 /* bytes incl. NUL */
#define USER_NAME_MAX     200
#define USER_PWHASH_MAX   128 /* an argon2id string from crypto_pwhash_str, incl. NUL */
#define USER_PASSWORD_MIN 10  /* characters (bytes): NIST SP 800-63B asks for at least 8 */
#define USER_PASSWORD_MAX 256

struct user {
    char username[USERNAME_MAX]; /* [a-z0-9._-], 3..47 bytes, starts with a letter or digit */
    char full_name[USER_NAME_MAX];
    enum user_role role;
    char unit[UNIT_CODE_MAX]; /* scope: this unit and its subtree; "" for citizens */
    int disabled;
    int64_t created_at; /* Unix seconds */
};

/* "desk_officer" … (the API, CLI and database spelling); NULL for an invalid role. */
const char *user_role_name(enum user_role r);
/* Vietnamese label: "Công chức Một cửa" … */
const char *user_role_label(enum user_role r);
int user_role_parse(const char *s, enum user_role *out, const char *field, struct err *e);
/* 1 if the role needs a unit scope (every role but citizen). */
int user_role_scoped(enum user_role r);
int username_check(const char *s, const char *field, struct err *e);
/* A password: valid UTF-8 (not checked here), USER_PASSWORD_MIN..MAX bytes, no control bytes. */
int password_check(const char *s, const char *field, struct err *e);
/* Checks a record on its own: username, name length, role, a unit exactly when scoped. */
int user_check(const struct user *u, struct err *e);

#endif
