/* cli.h — the subcommands of the `cchc` binary. Each lives in its own cmd_*.c file and is
 * one row of the command table in main.c. A subcommand returns the process exit status:
 * 0 success, 1 runtime failure (I/O, database), 2 bad input (usage, a value breaking a rule). */
#ifndef CCHC_CLI_H
#define CCHC_CLI_H

#include "err.h"

#define EXIT_BADINPUT 2

struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
    const char *summary;
};

/* The data directory: --data DIR if the command took it, else $CCHC_DATA, else the
 * compiled-in default (the source tree's data/). */
const char *cli_data_dir(const char *flag_value);
/* Prints "cchc NAME: MESSAGE" to stderr and returns the exit status that fits e->code. */
int cli_fail(const char *cmd, const struct err *e);

int cmd_lunar(int argc, char **argv);
int cmd_solar(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_deadline(int argc, char **argv);

/* Database commands (cmd_init.c): --db FILE, else $CCHC_DB, else "cchc.db". */
struct store;
const char *cli_db_path(const char *flag_value);
/* Opens the database for command cmd; an SQLite file that does not exist is created only if
 * create, else refused. A database with an older schema is refused (exit 2) with the advice
 * to run `cchc migrate`: no command upgrades silently. On failure prints the error and
 * returns the exit status, else 0. */
int cli_store_open(const char *cmd, const char *db, int create, struct store **s);
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_procedure(int argc, char **argv);
int cmd_par(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_user_totp(int argc, char **argv); /* cmd_user_totp.c, under `cchc user totp` */
int cmd_stats(int argc, char **argv);     /* cmd_stats.c */
int cmd_report(int argc, char **argv);    /* cmd_report.c */
/* `cchc report periodic …` (cmd_preport.c): argv[0] is "periodic". */
int cmd_preport(int argc, char **argv);
int cmd_dossier(int argc, char **argv);
/* `cchc dossier form` (cmd_form.c): argv[1] is "form". */
int cmd_dossier_form(int argc, char **argv);
/* The document-signing key directory: flag, else the database path + ".keys" (buf); NULL with e
 * filled for a database URL without a configured directory. */
const char *cli_keys_dir(const char *flag, const char *db, char *buf, unsigned long n,
                         struct err *e);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);  /* cmd_backup.c */
int cmd_restore(int argc, char **argv); /* cmd_backup.c */
int cmd_migrate(int argc, char **argv); /* cmd_backup.c */
/* Upgrades the schema of db after copying it (to backup, or a name beside db); prints what
 * it did. Returns the exit status. */
int cli_migrate(const char *cmd, const char *db, const char *backup);
int cmd_seed(int argc, char **argv);
/* Adds an account (with a Vietnamese name from a hash of the username, the role its step
 * role maps to, the unit it worked in, the given password hash) for every officer of the
 * seeded counters who has none; *added says how many. One transaction. (cmd_seed.c) */
struct store;
int seed_officer_accounts(struct store *s, const char *pwhash, int *added, struct err *e);
int cmd_notify(int argc, char **argv); /* cmd_notify.c */
int cmd_sign(int argc, char **argv);   /* cmd_sign.c */
/* Reads a whole file (at most 64 MiB) into *buf (malloc'd, NUL-terminated); cmd_sign.c. */
int cli_read_file(const char *path, const char *field, char **buf, size_t *len, struct err *e);
int cmd_digitise(int argc, char **argv); /* cmd_digitise.c */
/* The demo's test CA and signing certificates beside its database, when sign_dir is unset
 * (demo_sign.c). */
struct serve_config;
int demo_sign_dir(struct serve_config *cfg, struct err *e);
int cmd_verify(int argc, char **argv);   /* cmd_sign.c */
int cmd_feedback(int argc, char **argv); /* cmd_feedback.c */
int cmd_dialogue(int argc, char **argv); /* cmd_dialogue.c */
int cmd_remind(int argc, char **argv);   /* cmd_remind.c */
int cmd_reform(int argc, char **argv);   /* cmd_reform.c */
int cmd_queue(int argc, char **argv);    /* cmd_queue.c */
int cmd_survey(int argc, char **argv);   /* cmd_survey.c */

int cmd_survey_businesses(int argc, char **argv); /* cmd_survey_biz.c */

int cmd_payment(int argc, char **argv); /* cmd_payment.c */
int cmd_testpay(int argc, char **argv); /* cmd_payment.c */

/* `cchc reform initiative` (cmd_initiative.c): argv[0] is "initiative". */
int cmd_initiative(int argc, char **argv);

#endif
