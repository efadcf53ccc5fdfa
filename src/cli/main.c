/* main.c — `cchc`: dispatches to a subcommand through one table (name -> handler). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"

/* The release, from CMakeLists.txt's project(VERSION) (the package's version too). */
#ifndef CCHC_VERSION
#define CCHC_VERSION "unknown"
#endif

static const struct command commands[] = {
    {"lunar", cmd_lunar, "convert a solar date to the Vietnamese lunar date"},
    {"solar", cmd_solar, "convert a Vietnamese lunar date to the solar date"},
    {"calendar", cmd_calendar, "list the non-working days (and worked weekend days) of a year"},
    {"deadline", cmd_deadline, "compute a due instant in working days or hours, and explain it"},
    {"init", cmd_init, "create a database or bring its schema up to date"},
    {"import", cmd_import, "import units or procedures from a CSV file, all or nothing"},
    {"unit", cmd_unit, "list the unit tree (as of a day) or show one unit"},
    {"procedure", cmd_procedure, "search the procedures catalogue or show one procedure"},
    {"par", cmd_par, "PAR index: check/export criteria sets, compute results and ranks"},
    {"serve", cmd_serve, "serve the HTTP API (see docs/openapi.yaml) until SIGTERM"},
    {"demo", cmd_demo, "fill a demo database and serve it on http://127.0.0.1:8080/"},
    {"user", cmd_user, "add or list accounts of the HTTP API (roles and unit scopes)"},
    {"stats", cmd_stats, "statistics of dossiers: figures, dashboard, drill-down, 766 index"},
    {"report", cmd_report, "periodic report, tracking book (Mẫu 06), index as JSON, CSV or Excel"},
    {"dossier", cmd_dossier, "receive dossiers and move them through their lifecycle; show, list"},
    {"audit", cmd_audit, "verify the hash chain of the dossier event log"},
    {"backup", cmd_backup, "copy the database while it is in use, and check the copy"},
    {"restore", cmd_restore, "check a backup and copy it over the database"},
    {"migrate", cmd_migrate, "upgrade the database schema, keeping a checked copy first"},
    {"sign", cmd_sign, "sign a document: layer 1 (person) or 2 (clerk), X.509, PEM or token"},
    {"verify", cmd_verify, "verify a document's two signature layers: signer, time, chain"},
    {"digitise", cmd_digitise, "digitised components, electronic results registry, reuse, 766"},
    {"remind", cmd_remind, "reminders before due dates and escalation of overdue work"},
    {"feedback", cmd_feedback, "feedback and petitions: record, queue, handle, rate, figures"},
    {"dialogue", cmd_dialogue,
     "dialogues with citizens: commitments with owner and due day, to closure"},
    {"queue", cmd_queue, "the desk's queue: counters, numbers, calls, waiting-time figures"},
    {"reform", cmd_reform, "CCHC plans and tasks: split down the unit tree, progress, completion"},
    {"survey", cmd_survey,
     "satisfaction (SIPAS) and DDCI surveys: samples, invitations, answers, indices"},
    {"notify", cmd_notify, "notifications: deliver the outbox, list it, dead letters, replay"},
    {"payment", cmd_payment, "online payment: sync pending payments, daily reconciliation report"},
    {"testpay", cmd_testpay, "run the built-in test payment provider (demos and tests only)"},
    {"seed", cmd_seed, "generate a reproducible year of demo dossiers (--dossiers N)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'cchc COMMAND --help' describes each command; 'cchc --version' prints the "
               "release.\n");
}

const char *cli_data_dir(const char *flag_value)
{
    if (flag_value && *flag_value) return flag_value;
    const char *env = getenv("CCHC_DATA");
    if (env && *env) return env;
    return CCHC_DATA_DIR;
}

int cli_fail(const char *cmd, const struct err *e)
{
    fprintf(stderr, "cchc %s: %s\n", cmd, e->msg[0] ? e->msg : "failed");
    return (e->code == ERR_INVALID || e->code == ERR_RANGE || e->code == ERR_CONFLICT ||
            e->code == ERR_NOT_FOUND)
               ? EXIT_BADINPUT
               : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
        printf("cchc %s\n", CCHC_VERSION);
        return 0;
    }
    /* not listed: the advisory key of each province's write lock (db.h's db_province_lock_key),
     * for tests and operators who take or look for it from psql (docs/province-lock.md) */
    if (!strcmp(argv[1], "province-lock-key")) {
        for (int i = 2; i < argc; i++)
            printf("%ld\n", (long)db_province_lock_key(argv[i]));
        return argc > 2 ? 0 : EXIT_BADINPUT;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "cchc: unknown command '%s' (see 'cchc --help')\n", argv[1]);
    return EXIT_BADINPUT;
}
