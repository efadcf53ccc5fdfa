/* cmd_user_totp.c — `cchc user totp enrol|confirm|reset|status USERNAME`: an administrator's
 * side of the second factor (docs/http.md "Second factor"). enrol draws a new secret and prints
 * its otpauth:// URI and QR code for the user's authenticator app; confirm takes the first
 * code (--code) and prints the recovery codes once; reset removes the factor (a lost phone),
 * after which the user signs in with the password alone and may enrol again. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "store.h"
#include "store_login.h"
#include "totp.h"

static int totp_usage(FILE *f)
{
    fprintf(f, "usage: cchc user totp enrol|reset|status USERNAME [--db FILE]\n"
               "       cchc user totp confirm USERNAME --code NNNNNN [--db FILE]\n");
    return f == stdout ? 0 : EXIT_BADINPUT;
}

static int enrol(struct store *s, const char *username, struct err *e)
{
    struct user_totp t;
    char secret[TOTP_SECRET_MAX], uri[512];
    int rc = store_totp_get(s, username, &t, e);
    if (!rc) rc = totp_new_secret(secret, e);
    if (!rc) rc = store_totp_begin(s, username, secret, e);
    if (rc) return rc;
    if (totp_uri(username, secret, uri, sizeof uri))
        return err_set(e, ERR_INVALID, "username", "the username is too long for a URI");
    printf("user '%s': second factor pending; scan the code with an authenticator app, then\n"
           "confirm with: cchc user totp confirm %s --code NNNNNN\n%s\nsecret: %s\n",
           username, username, uri, secret);
    totp_qr_print(stdout, uri);
    if (t.confirmed) printf("(the factor enrolled before no longer works)\n");
    return 0;
}

static int confirm(struct store *s, const char *username, const char *code, struct err *e)
{
    struct user_totp t;
    int rc = store_totp_get(s, username, &t, e);
    if (rc) return rc;
    if (t.confirmed || !t.secret[0])
        return err_set(e, ERR_CONFLICT, "code",
                       "user '%s' has no second factor waiting for confirmation", username);
    int64_t step = 0;
    if (!code || !totp_code_ok(t.secret, code, (int64_t)time(NULL), &step))
        return err_set(e, ERR_INVALID, "code", "'%s' is not the current 6-digit code of the secret",
                       code ? code : "");
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_LEN], hashes[TOTP_RECOVERY_CODES][128];
    const char *hp[TOTP_RECOVERY_CODES];
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        hp[i] = hashes[i];
    if ((rc = totp_recovery_new(codes, hashes, TOTP_RECOVERY_CODES, e)) ||
        (rc = store_totp_confirm(s, username, step, hp, TOTP_RECOVERY_CODES, e)))
        return rc;
    printf("user '%s': second factor confirmed; recovery codes (each works once, shown once):\n",
           username);
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        printf("%s\n", codes[i]);
    return 0;
}

int cmd_user_totp(int argc, char **argv)
{
    /* argv: user totp SUB USERNAME [options] */
    struct err e = {0};
    if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))
        return totp_usage(argc < 3 ? stderr : stdout);
    const char *sub = argv[2], *db = NULL, *username = NULL, *code = NULL;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--code") && i + 1 < argc)
            code = argv[++i];
        else if (argv[i][0] != '-' && !username)
            username = argv[i];
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("user", &e);
        }
    }
    int which = !strcmp(sub, "enrol")     ? 1
                : !strcmp(sub, "confirm") ? 2
                : !strcmp(sub, "reset")   ? 3
                : !strcmp(sub, "status")  ? 4
                                          : 0;
    if (!which) {
        err_set(&e, ERR_INVALID, "argument",
                "unknown subcommand 'totp %s' (enrol, confirm, reset or status)", sub);
        return cli_fail("user", &e);
    }
    if (!username) {
        err_set(&e, ERR_INVALID, "argument", "totp %s needs a USERNAME", sub);
        return cli_fail("user", &e);
    }
    if (which == 2 && !code) {
        err_set(&e, ERR_INVALID, "code", "totp confirm needs --code NNNNNN");
        return cli_fail("user", &e);
    }
    struct store *s;
    int rc = cli_store_open("user", db, 0, &s);
    if (rc) return rc;
    struct user_totp t;
    switch (which) {
    case 1:
        rc = enrol(s, username, &e);
        break;
    case 2:
        rc = confirm(s, username, code, &e);
        break;
    case 3:
        rc = store_totp_reset(s, username, &e);
        if (!rc) printf("user '%s': second factor removed\n", username);
        break;
    default:
        rc = store_totp_get(s, username, &t, &e);
        if (!rc)
            printf("user '%s': %s, %d recovery codes left\n", username,
                   t.confirmed   ? "second factor enrolled"
                   : t.secret[0] ? "second factor pending confirmation"
                                 : "no second factor",
                   t.recovery_left);
    }
    store_close(s);
    return rc ? cli_fail("user", &e) : 0;
}
