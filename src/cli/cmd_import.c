/* cmd_import.c — `cchc import KIND FILE`: loads a CSV file into the database, all or
 * nothing, printing each problem as "FILE:LINE: column: problem". One row per kind in the
 * table below; a kind is a function with the import_units() signature (import.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "import.h"

typedef int (*import_fn)(struct store *s, const char *path, import_report_fn report, void *ctx,
                         struct import_result *res, struct err *e);

static const struct {
    const char *kind;
    import_fn run;
    const char *what; /* plural noun for the summary line */
} kinds[] = {
    {"units", import_units, "units"},
    {"procedures", import_procedures, "procedures"},
    {"contacts", import_contacts, "unit contacts"},
    {"counters", import_counters, "counters"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc import KIND FILE [--db FILE]\n"
               "Imports a CSV file (UTF-8, header row first) in one transaction: if any row has\n"
               "a problem, each is printed as FILE:LINE: column: problem and nothing is\n"
               "imported (exit status 2). Rows whose code exists already replace it.\nKINDs:");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        fprintf(f, " %s", kinds[i].kind);
    fprintf(f, "\nColumns: see docs/import.md.\n");
}

static void print_problem(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *kind = NULL, *file = NULL;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (argv[i][0] != '-' && !kind) {
            kind = argv[i];
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("import", &e);
        }
    }
    if (!kind || !file) {
        err_set(&e, ERR_INVALID, "argument", "expected KIND and FILE (see --help)");
        return cli_fail("import", &e);
    }
    size_t k = 0, n = sizeof kinds / sizeof kinds[0];
    while (k < n && strcmp(kinds[k].kind, kind))
        k++;
    if (k == n) {
        err_set(&e, ERR_INVALID, "kind", "'%s': not a kind of import (units, procedures)", kind);
        return cli_fail("import", &e);
    }
    struct store *s;
    int rc = cli_store_open("import", db, 1, &s);
    if (rc) return rc;
    struct import_result res = {0};
    if (kinds[k].run(s, file, print_problem, NULL, &res, &e)) {
        store_close(s);
        return cli_fail("import", &e);
    }
    store_close(s);
    printf("imported %ld %s from %s\n", res.rows, kinds[k].what, file);
    return 0;
}
