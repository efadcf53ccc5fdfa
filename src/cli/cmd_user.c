/* cmd_user.c — `cchc user add|list`: accounts for the HTTP API. The password is read from
 * --password-file or the first line of stdin (never from the command line, where other users
 * of the machine could see it) and stored as an argon2id hash. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cli.h"
#include "store.h"
#include "user.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc user add --username U --role ROLE [--unit CODE] [--name NAME]\n"
            "                     [--password-file FILE] [--db FILE]\n"
            "       cchc user list [--db FILE]\n"
            "       cchc user unlock USERNAME [--db FILE]\n"
            "       cchc user totp enrol|confirm|reset|status USERNAME [--code N] [--db FILE]\n"
            "ROLE: citizen, desk_officer, specialist, leader, par_assessor, admin; every\n"
            "role but citizen needs --unit (its scope: the unit and its subtree). The\n"
            "password (%d to %d bytes) is the first line of FILE, or of stdin.\n"
            "unlock lifts the sign-in lock that failures from several addresses put on\n"
            "USERNAME (docs/http.md); running servers honour it at the next sign-in.\n"
            "totp enrols a second factor (prints the otpauth URI and a QR code), confirms\n"
            "it with a first code (prints the recovery codes), or resets it.\n",
            USER_PASSWORD_MIN, USER_PASSWORD_MAX);
}

/* Reads the first line of path (stdin when NULL) into buf without its newline. */
static int read_password(const char *path, char *buf, size_t n, struct err *e)
{
    FILE *f = path ? fopen(path, "r") : stdin;
    if (!f) return err_set(e, ERR_IO, "password-file", "%s: cannot open", path);
    char *ok = fgets(buf, (int)n, f);
    if (path) fclose(f);
    if (!ok) return err_set(e, ERR_INVALID, "password", "no password given (empty input)");
    size_t len = strlen(buf);
    if (len && buf[len - 1] == '\n') buf[--len] = 0;
    if (len && buf[len - 1] == '\r') buf[--len] = 0;
    return 0;
}

static int user_add(int argc, char **argv)
{
    const char *db = NULL, *username = NULL, *role = NULL, *unit = "", *name = "", *pwfile = NULL;
    struct err e = {0};
    for (int i = 2; i < argc; i++) {
        const char **dst = !strcmp(argv[i], "--db")              ? &db
                           : !strcmp(argv[i], "--username")      ? &username
                           : !strcmp(argv[i], "--role")          ? &role
                           : !strcmp(argv[i], "--unit")          ? &unit
                           : !strcmp(argv[i], "--name")          ? &name
                           : !strcmp(argv[i], "--password-file") ? &pwfile
                                                                 : NULL;
        if (!dst || i + 1 >= argc) {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("user", &e);
        }
        *dst = argv[++i];
    }
    if (!username || !role) {
        err_set(&e, ERR_INVALID, "argument", "--username and --role are required");
        return cli_fail("user", &e);
    }
    struct user u = {0};
    enum user_role r;
    if (strlen(username) >= sizeof u.username || strlen(unit) >= sizeof u.unit ||
        strlen(name) >= sizeof u.full_name) {
        err_set(&e, ERR_INVALID, "argument", "--username, --unit or --name is too long");
        return cli_fail("user", &e);
    }
    if (user_role_parse(role, &r, "role", &e)) return cli_fail("user", &e);
    snprintf(u.username, sizeof u.username, "%s", username);
    snprintf(u.full_name, sizeof u.full_name, "%s", name);
    snprintf(u.unit, sizeof u.unit, "%s", unit);
    u.role = r;
    u.created_at = (int64_t)time(NULL);
    if (user_check(&u, &e)) return cli_fail("user", &e);
    char pw[USER_PASSWORD_MAX + 2], hash[USER_PWHASH_MAX];
    if (read_password(pwfile, pw, sizeof pw, &e) || auth_hash_password(pw, hash, &e))
        return cli_fail("user", &e);
    struct store *s;
    int rc = cli_store_open("user", db, 0, &s);
    if (rc) return rc;
    rc = store_user_add(s, &u, hash, &e);
    store_close(s);
    if (rc) return cli_fail("user", &e);
    printf("user %s added (%s%s%s)\n", u.username, user_role_name(u.role), u.unit[0] ? ", " : "",
           u.unit);
    return 0;
}

static int print_user(const struct user *u, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s%s\n", u->username, user_role_name(u->role), u->unit[0] ? u->unit : "-",
           u->full_name, u->disabled ? "\t(disabled)" : "");
    return 0;
}

static int user_list(int argc, char **argv)
{
    const char *db = NULL;
    struct err e = {0};
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
            continue;
        }
        err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
        return cli_fail("user", &e);
    }
    struct store *s;
    int rc = cli_store_open("user", db, 0, &s);
    if (rc) return rc;
    rc = store_user_list(s, print_user, NULL, &e);
    store_close(s);
    return rc ? cli_fail("user", &e) : 0;
}

static int user_unlock(int argc, char **argv)
{
    const char *db = NULL, *username = NULL;
    struct err e = {0};
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] != '-' && !username) {
            username = argv[i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("user", &e);
        }
    }
    if (!username) {
        err_set(&e, ERR_INVALID, "argument", "unlock needs a USERNAME");
        return cli_fail("user", &e);
    }
    struct store *s;
    int rc = cli_store_open("user", db, 0, &s);
    if (rc) return rc;
    rc = store_user_unlock(s, username, (int64_t)time(NULL), &e);
    store_close(s);
    if (rc) return cli_fail("user", &e);
    printf("user '%s': sign-in lock lifted\n", username);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "add")) return user_add(argc, argv);
    if (!strcmp(argv[1], "list")) return user_list(argc, argv);
    if (!strcmp(argv[1], "unlock")) return user_unlock(argc, argv);
    if (!strcmp(argv[1], "totp")) return cmd_user_totp(argc, argv); /* cmd_user_totp.c */
    err_set(&e, ERR_INVALID, "argument", "unknown subcommand '%s' (add, list, unlock or totp)",
            argv[1]);
    return cli_fail("user", &e);
}
