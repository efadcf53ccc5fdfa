/* tsv.c — splitting tab-separated lines in place (see tsv.h). */
#include "tsv.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

int tsv_split(char *line, char **fields, int max)
{
    line[strcspn(line, "\r\n")] = '\0';
    int n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *t = strchr(p, '\t');
        if (!t) break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

int tsv_file_read(const char *path, char *buf, size_t n, const char *field, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, field, "%s: cannot open", path);
    size_t k = fread(buf, 1, n - 1, f);
    int toolong = !feof(f);
    fclose(f);
    if (toolong) return err_set(e, ERR_RANGE, field, "%s: larger than %zu bytes", path, n - 1);
    buf[k] = '\0';
    return 0;
}
