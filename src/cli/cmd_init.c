/* cmd_init.c — `cchc init`: creates a database or brings its schema up to date; and the
 * --db handling every database command shares (cli_db_path, cli_store_open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "docsign.h"
#include "store.h"

const char *cli_db_path(const char *flag_value)
{
    if (flag_value && *flag_value) return flag_value;
    const char *env = getenv("CCHC_DB");
    return env && *env ? env : "cchc.db";
}

/* 1 if db names an SQLite file that does not exist yet. */
static int sqlite_file_missing(const char *db)
{
    if (strstr(db, "://")) return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s", strncmp(db, "sqlite:", 7) ? db : db + 7);
    char *q = strncmp(db, "sqlite:", 7) ? NULL : strchr(path, '?');
    if (q) *q = '\0';
    struct stat st;
    return stat(path, &st) != 0;
}

int cli_store_open(const char *cmd, const char *db, int create, struct store **s)
{
    struct err e = {0};
    db = cli_db_path(db);
    if (!create && sqlite_file_missing(db)) {
        err_set(&e, ERR_NOT_FOUND, "db",
                "database '%s' does not exist (create it with: cchc init --db %s)", db, db);
        return cli_fail(cmd, &e);
    }
    if (store_open_ex(db, STORE_OPEN_NO_MIGRATE, s, &e)) return cli_fail(cmd, &e);
    int have, known;
    if (store_schema_version(*s, &have, &known, &e)) {
        store_close(*s);
        *s = NULL;
        return cli_fail(cmd, &e);
    }
    if (have < known) {
        store_close(*s);
        *s = NULL;
        err_set(&e, ERR_CONFLICT, "db",
                "database '%s' has schema version %d, older than this cchc (%d): run "
                "'cchc migrate --db %s' (%s)",
                db, have, known, db,
                store_url_is_pg(db) ? "after a pg_dump: it takes no copy of PostgreSQL"
                                    : "it keeps a checked copy first");
        return cli_fail(cmd, &e);
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(
        f, "usage: cchc init [--db FILE] [--keys DIR] [--rotate-key]\n"
           "Creates the database FILE (default $CCHC_DB, else cchc.db) if needed and applies\n"
           "the schema migrations it lacks, in one transaction. FILE may be a path,\n"
           "sqlite:PATH, or (not built yet) postgres://…. Running it again changes nothing.\n"
           "It also creates the document-signing key (Ed25519) of the printed forms' QR\n"
           "codes, outside the database: in DIR (default FILE.keys; cchc serve: the keys option).\n"
           "--rotate-key makes a new current key; the old ones stay and still verify.\n");
}

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *keys = NULL;
    int rotate = 0;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--keys") && i + 1 < argc) {
            keys = argv[++i];
        } else if (!strcmp(argv[i], "--rotate-key")) {
            rotate = 1;
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("init", &e);
        }
    }
    if (!sqlite_file_missing(cli_db_path(db))) { /* an existing database: upgrade it openly */
        int rc = cli_migrate("init", cli_db_path(db), NULL);
        if (rc) return rc;
    }
    struct store *s;
    int rc = cli_store_open("init", db, 1, &s);
    if (rc) return rc;
    int have, known;
    if (store_schema_version(s, &have, &known, &e)) {
        store_close(s);
        return cli_fail("init", &e);
    }
    printf("%s: schema version %d\n", cli_db_path(db), have);
    store_close(s);
    char kbuf[4200], kid[DOCSIGN_KID_LEN + 1];
    int created = 0;
    const char *kdir = cli_keys_dir(keys, db, kbuf, sizeof kbuf, &e);
    if (!kdir || docsign_ensure_key(kdir, rotate, kid, &created, &e)) return cli_fail("init", &e);
    printf("%s: document-signing key %s%s\n", kdir, kid, created ? " (new, current)" : "");
    return 0;
}
