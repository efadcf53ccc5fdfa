/* fuzz_par_set.c — libFuzzer target: the PAR criteria set readers (par_io.c: CSV with '#'
 * metadata over libcsv, JSON over jansson) and the set's validation (src/core/par.c). The
 * first byte picks CSV or JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "par_io.h"

static void quiet(void *ctx, const struct err *problem)
{
    (void)ctx;
    (void)problem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    char path[64];
    snprintf(path, sizeof path, "/tmp/cchc-fuzz-par-%ld.%s", (long)getpid(),
             data[0] & 1 ? "json" : "csv");
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct par_set *set = NULL;
    struct err e = {0};
    int rc = par_io_read_set(path, &set, quiet, NULL, &e);
    if (!rc && !set) abort();
    if (!rc) par_set_free(set);
    unlink(path);
    return 0;
}
