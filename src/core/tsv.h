/* tsv.h — the tab-separated data files cchc ships (calendars, indicator sets, test tables):
 * splitting a line into fields in place. */
#ifndef CCHC_TSV_H
#define CCHC_TSV_H

#include <stddef.h>

/* Removes a trailing "\n" or "\r\n", then splits line in place at tabs into at most max
 * fields (the last field keeps any further tabs); returns the number of fields (>= 1). */
int tsv_split(char *line, char **fields, int max);

struct err;
/* Reads a small rules file whole into buf (n bytes, NUL-terminated): ERR_IO naming the path
 * when it cannot be opened, ERR_RANGE when it does not fit. */
int tsv_file_read(const char *path, char *buf, size_t n, const char *field, struct err *e);

#endif
