/* fuzz_units_csv.c — libFuzzer target: the units and procedures CSV imports (csvfile.c over
 * libcsv, then import.c's checks) into a scratch database (SQLite needs a file for WAL),
 * inside a transaction rolled back after each input, so every input meets the same database.
 * The first byte picks units or procedures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import.h"
#include "store.h"

static struct store *s;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct err e = {0};
    char db[64];
    snprintf(db, sizeof db, "/tmp/cchc-fuzz-csv-%ld.db", (long)getpid());
    unlink(db);
    if (store_open(db, &s, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        abort();
    }
    snprintf(path, sizeof path, "/tmp/cchc-fuzz-csv-%ld.csv", (long)getpid());
    return 0;
}

static void quiet(const char *line, void *ctx)
{
    (void)line;
    (void)ctx;
}

struct job {
    int procedures;
};

static int run(struct store *st, void *ctx, struct err *e)
{
    struct job *j = ctx;
    struct import_result res;
    struct err ie = {0};
    int rc = j->procedures ? import_procedures(st, path, quiet, NULL, &res, &ie)
                           : import_units(st, path, quiet, NULL, &res, &ie);
    if (rc != 0 && rc != ERR_INVALID && rc != ERR_NOT_FOUND) abort(); /* only file problems */
    return err_set(e, ERR_CONFLICT, "", "roll back");                 /* leave nothing */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct job j = {data[0] & 1};
    struct err e = {0};
    store_tx(s, run, &j, &e);
    return 0;
}
