/* cmd_backup.c — `cchc backup`, `cchc restore` and `cchc migrate`: an online copy of the
 * database (consistent as of one instant while servers keep writing), its restoration, and
 * schema upgrades that keep a copy first and say what they did. Every copy is checked with
 * the audit chain (store_audit_verify) before it is called good. docs/operations.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f, const char *cmd)
{
    if (!strcmp(cmd, "backup"))
        fprintf(f, "usage: cchc backup --out FILE [--db DB]\n"
                   "Copies the database to FILE (which must not exist) while servers keep\n"
                   "writing: the copy is the database as of one instant. It is then checked\n"
                   "(audit chain, schema) and the figures printed.\n");
    else if (!strcmp(cmd, "restore"))
        fprintf(f, "usage: cchc restore --from FILE [--db DB] [--force]\n"
                   "Checks the backup FILE (audit chain, schema), then copies it over DB and\n"
                   "checks DB. An existing DB is replaced only with --force; stop the servers\n"
                   "first.\n");
    else
        fprintf(f, "usage: cchc migrate [--db DB] [--backup FILE]\n"
                   "       cchc migrate --to postgresql://… [--db FILE]\n"
                   "Brings the schema of DB up to date after a new cchc is installed. It first\n"
                   "copies DB (to FILE, default DB.vN-YYYYMMDDTHHMMSSZ.bak, N the old version)\n"
                   "and checks the copy, then applies the migrations in one transaction and\n"
                   "prints what it did. Other commands refuse an older schema and say to run it.\n"
                   "On PostgreSQL no copy is taken (back it up with pg_dump or continuous\n"
                   "archiving first, docs/operations.md): the migrations run in one transaction,\n"
                   "then the audit chain is verified.\n"
                   "--backup none takes no copy of an SQLite database, for one that can be made\n"
                   "again (a benchmark's seed, too large to copy beside itself): the migrations\n"
                   "still run in one transaction and the audit chain is verified after them.\n"
                   "--to moves an SQLite database into an empty PostgreSQL database: every table\n"
                   "in one transaction, then the row counts of every table and `audit verify`\n"
                   "on both sides (docs/postgresql.md).\n");
}

/* Checks the database at path: audit chain and schema; fills the figures. Prints nothing. */
static int check_copy(const char *path, int *version, struct audit_report *r, struct err *e)
{
    struct store *s;
    int known, rc = store_open_ex(path, STORE_OPEN_NO_MIGRATE, &s, e);
    if (rc) return rc;
    if (!(rc = store_schema_version(s, version, &known, e)) &&
        !(rc = store_audit_verify(s, r, e)) && !r->ok)
        rc = err_set(e, ERR_CONFLICT, "db", "'%s' does not verify: %s", path, r->problem);
    store_close(s);
    return rc;
}

struct args {
    const char *db, *out, *from, *backup, *to;
    int force;
};

static int parse(const char *cmd, int argc, char **argv, struct args *a, int *help)
{
    struct err e = {0};
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            *help = 1;
        } else if (!strcmp(argv[i], "--force") && !strcmp(cmd, "restore")) {
            a->force = 1;
        } else if (v && !strcmp(argv[i], "--db")) {
            a->db = argv[++i];
        } else if (v && !strcmp(argv[i], "--out") && !strcmp(cmd, "backup")) {
            a->out = argv[++i];
        } else if (v && !strcmp(argv[i], "--from") && !strcmp(cmd, "restore")) {
            a->from = argv[++i];
        } else if (v && !strcmp(argv[i], "--backup") && !strcmp(cmd, "migrate")) {
            a->backup = argv[++i];
        } else if (v && !strcmp(argv[i], "--to") && !strcmp(cmd, "migrate")) {
            a->to = argv[++i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail(cmd, &e);
        }
    }
    return 0;
}

int cmd_backup(int argc, char **argv)
{
    struct args a = {0};
    int help, rc = parse("backup", argc, argv, &a, &help);
    if (rc) return rc;
    if (help) return usage(stdout, "backup"), 0;
    struct err e = {0};
    if (!a.out) {
        err_set(&e, ERR_INVALID, "out", "--out FILE is required");
        return cli_fail("backup", &e);
    }
    /* Any schema, older ones included: a copy is what one wants before anything else. */
    const char *db = cli_db_path(a.db);
    struct stat st;
    if (!strstr(db, "://") && stat(strncmp(db, "sqlite:", 7) ? db : db + 7, &st)) {
        err_set(&e, ERR_NOT_FOUND, "db", "database '%s' does not exist", db);
        return cli_fail("backup", &e);
    }
    struct store *s;
    if (store_open_ex(db, STORE_OPEN_NO_MIGRATE, &s, &e)) return cli_fail("backup", &e);
    rc = store_backup(s, a.out, &e);
    store_close(s);
    if (rc) return cli_fail("backup", &e);
    int version;
    struct audit_report r;
    if (check_copy(a.out, &version, &r, &e)) {
        fprintf(stderr, "cchc backup: the copy %s is kept for inspection\n", a.out);
        return cli_fail("backup", &e);
    }
    printf("backup %s: schema version %d, %lld dossiers, %lld events, audit chain intact\n", a.out,
           version, (long long)r.dossiers, (long long)r.events);
    return 0;
}

int cmd_restore(int argc, char **argv)
{
    struct args a = {0};
    int help, rc = parse("restore", argc, argv, &a, &help);
    if (rc) return rc;
    if (help) return usage(stdout, "restore"), 0;
    struct err e = {0};
    if (!a.from) {
        err_set(&e, ERR_INVALID, "from", "--from FILE is required");
        return cli_fail("restore", &e);
    }
    const char *db = cli_db_path(a.db);
    struct stat st;
    if (stat(a.from, &st)) {
        err_set(&e, ERR_NOT_FOUND, "from", "'%s': no such backup file", a.from);
        return cli_fail("restore", &e);
    }
    if (!a.force && !stat(db, &st)) {
        err_set(&e, ERR_CONFLICT, "db", "'%s' exists: add --force to replace it (stop the servers)",
                db);
        return cli_fail("restore", &e);
    }
    int version;
    struct audit_report r;
    if (check_copy(a.from, &version, &r, &e)) return cli_fail("restore", &e);
    if (store_restore(a.from, db, &e)) return cli_fail("restore", &e);
    if (check_copy(db, &version, &r, &e)) return cli_fail("restore", &e);
    printf("restored %s from %s: schema version %d, %lld dossiers, %lld events, audit chain "
           "intact\n",
           db, a.from, version, (long long)r.dossiers, (long long)r.events);
    return 0;
}

/* The upgrade of a PostgreSQL database: no copy (cchc copies SQLite files only; PostgreSQL
 * is backed up with pg_dump or continuous archiving, docs/operations.md), the migrations in
 * one transaction (PostgreSQL's DDL is transactional: a failure leaves the old schema), then
 * the audit chain verified on the result. */
static int migrate_pg(const char *cmd, const char *db, const char *backup, int have)
{
    struct err e = {0};
    if (backup) {
        err_set(&e, ERR_INVALID, "backup",
                "--backup copies SQLite databases; back up PostgreSQL with pg_dump or "
                "continuous archiving before migrating (docs/operations.md)");
        return cli_fail(cmd, &e);
    }
    struct store *s;
    int rc = store_open_ex(db, STORE_OPEN_NO_MIGRATE, &s, &e), now, known;
    if (!rc) rc = store_migrate(s, &e);
    if (!rc) rc = store_schema_version(s, &now, &known, &e);
    store_close(s);
    struct audit_report r;
    if (rc || (rc = check_copy(db, &now, &r, &e))) return cli_fail(cmd, &e);
    printf("%s: schema version %d -> %d (%lld dossiers, %lld events, audit chain intact); no "
           "copy was taken: to go back, restore the backup taken before it (pg_dump or "
           "continuous archiving, docs/operations.md)\n",
           db, have, now, (long long)r.dossiers, (long long)r.events);
    return 0;
}

/* The upgrade proper (also run by `cchc init` on an older database): copy, check the copy,
 * migrate, say so. */
int cli_migrate(const char *cmd, const char *db, const char *backup)
{
    struct err e = {0};
    struct store *s;
    int rc = store_open_ex(db, STORE_OPEN_NO_MIGRATE, &s, &e), have, known;
    if (rc || (rc = store_schema_version(s, &have, &known, &e))) {
        store_close(s);
        return cli_fail(cmd, &e);
    }
    if (have >= known) {
        store_close(s);
        if (strcmp(cmd, "init"))
            printf("%s: schema version %d, up to date; nothing done\n", db, have);
        return 0;
    }
    int nocopy = backup && !strcmp(backup, "none");
    if (store_url_is_pg(db)) {
        store_close(s);
        return migrate_pg(cmd, db, nocopy ? NULL : backup, have);
    }
    int bv;
    struct audit_report r;
    if (nocopy) { /* as on PostgreSQL: one transaction, then the chain verified */
        if (!(rc = store_migrate(s, &e))) rc = store_schema_version(s, &bv, &known, &e);
        store_close(s);
        if (rc || (rc = check_copy(db, &bv, &r, &e))) return cli_fail(cmd, &e);
        printf("%s: schema version %d -> %d (%lld dossiers, %lld events, audit chain intact); no "
               "copy was taken (--backup none)\n",
               db, have, bv, (long long)r.dossiers, (long long)r.events);
        return 0;
    }
    char path[4200];
    if (!backup) {
        char stamp[32];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
        snprintf(path, sizeof path, "%s.v%d-%s.bak", strncmp(db, "sqlite:", 7) ? db : db + 7, have,
                 stamp);
        char *q = strchr(path, '?');
        if (q) *q = 0;
        backup = path;
    }
    if ((rc = store_backup(s, backup, &e)) || (rc = check_copy(backup, &bv, &r, &e)) ||
        (rc = store_migrate(s, &e)) || (rc = store_schema_version(s, &bv, &known, &e))) {
        store_close(s);
        return cli_fail(cmd, &e);
    }
    store_close(s);
    printf("%s: schema version %d -> %d; the database before it is in %s (%lld dossiers, "
           "%lld events, audit chain intact); to go back, stop the servers and run: cchc restore "
           "--from %s --db %s --force (with the older cchc)\n",
           db, have, bv, backup, (long long)r.dossiers, (long long)r.events, backup, db);
    return 0;
}

/* The audit chain of the store at url, into r (ERR_CONFLICT when it does not verify). */
static int verify_at(const char *url, struct audit_report *r, struct err *e)
{
    struct store *s;
    int rc = store_open_ex(url, STORE_OPEN_NO_MIGRATE, &s, e);
    if (rc) return rc;
    if (!(rc = store_audit_verify(s, r, e)) && !r->ok)
        rc = err_set(e, ERR_CONFLICT, "db", "'%s' does not verify: %s", url, r->problem);
    store_close(s);
    return rc;
}

/* cchc migrate --to URL: SQLite into PostgreSQL, checked by counts and both audit chains. */
static int migrate_to(const char *db, const char *url)
{
    struct err e = {0};
    struct store *s;
    struct audit_report before, after;
    int rc = verify_at(db, &before, &e);
    if (rc) return cli_fail("migrate", &e);
    if ((rc = store_open_ex(db, STORE_OPEN_NO_MIGRATE, &s, &e))) return cli_fail("migrate", &e);
    struct store_copy_report *r = calloc(1, sizeof *r);
    if (!r) {
        store_close(s);
        err_set(&e, ERR_NOMEM, "", "out of memory");
        return cli_fail("migrate", &e);
    }
    rc = store_copy_to(s, url, r, &e);
    store_close(s);
    if (!rc) rc = verify_at(url, &after, &e);
    if (!rc && (after.events != before.events || after.dossiers != before.dossiers))
        rc = err_set(&e, ERR_IO, "to",
                     "the copy verifies with %lld events and %lld dossiers, the "
                     "source with %lld and %lld",
                     (long long)after.events, (long long)after.dossiers, (long long)before.events,
                     (long long)before.dossiers);
    if (!rc) {
        printf("bảng\tnguồn (SQLite)\tđích (PostgreSQL)\n");
        for (int i = 0; i < r->ntables; i++)
            printf("%s\t%lld\t%lld\n", r->table[i].name, (long long)r->table[i].source,
                   (long long)r->table[i].dest);
        printf("migrated %s to PostgreSQL: %d tables, counts equal; audit chain intact on both "
               "(%lld events, %lld dossiers)\n",
               db, r->ntables, (long long)after.events, (long long)after.dossiers);
    }
    free(r);
    return rc ? cli_fail("migrate", &e) : 0;
}

int cmd_migrate(int argc, char **argv)
{
    struct args a = {0};
    int help, rc = parse("migrate", argc, argv, &a, &help);
    if (rc) return rc;
    if (help) return usage(stdout, "migrate"), 0;
    const char *db = cli_db_path(a.db);
    struct stat st;
    if (!strstr(db, "://") && stat(strncmp(db, "sqlite:", 7) ? db : db + 7, &st)) {
        struct err e = {0};
        err_set(&e, ERR_NOT_FOUND, "db", "database '%s' does not exist (create it with: cchc init)",
                db);
        return cli_fail("migrate", &e);
    }
    if (a.to) return migrate_to(db, a.to);
    return cli_migrate("migrate", db, a.backup);
}
