/* csvfile.h — reading a CSV file (RFC 4180: fields quoted with '"' may hold commas, line
 * breaks and doubled quotes) record by record, with the line number where each record
 * starts, for import error messages "FILE:LINE: column: problem". Parsing is libcsv's. */
#ifndef CCHC_CSVFILE_H
#define CCHC_CSVFILE_H

#include <stddef.h>

#include "err.h"

struct csv_record {
    long line; /* 1-based line of the file where the record starts */
    int nfields;
    char **fields; /* NUL-terminated, owned by the reader, valid during the callback */
};

/* Returns 0 to go on, non-zero to stop (csvfile_read then returns that value). */
typedef int (*csv_record_fn)(const struct csv_record *r, void *ctx, struct err *e);

/* Reads path, calling fn for each record (the header is the first record). Blank lines are
 * skipped; a UTF-8 byte order mark is dropped; a CR before LF is not part of any field.
 * Malformed CSV (a quote inside an unquoted field, an unterminated quoted field) fails with
 * ERR_INVALID and "PATH:LINE: malformed CSV: …"; an unreadable file with ERR_IO. */
int csvfile_read(const char *path, csv_record_fn fn, void *ctx, struct err *e);
/* The same over len bytes of buf (e.g. an uploaded file), name standing for the path in
 * messages. */
int csvfile_read_mem(const char *name, const char *buf, size_t len, csv_record_fn fn, void *ctx,
                     struct err *e);

#endif
