/* import.h — CSV import of units and procedures into a store, all or nothing: every row is
 * checked first (syntax, references to the file and the database, cycles), each problem is
 * reported as "FILE:LINE: column: problem", and only a file without problems is written, in
 * one transaction. Rows are first checked one by one; the checks across rows (duplicate codes,
 * parents and successors, periods) run once every row is well-formed, so that a reference to a
 * broken row is not misreported as missing. Written against store.h only, so it works with
 * any backend.
 *
 * units.csv columns (header row first, any order; * = required):
 *   code*, name*, kind*, parent, valid_from, valid_to, successor, ident_code
 * unit-contacts.csv columns: unit*, address*, phone*, hours (the one-stop desk's address,
 *   phone and opening hours; a unit without a row shows its desk's or its parent's)
 * procedures.csv columns:
 *   code*, name*, field*, level*, time_amount*, time_unit*, online*, time_note, fee_vnd,
 *   fee_note, documents (one per line in the cell), steps (one per line:
 *   "NAME | ROLE[@UNIT_KIND] | SHARE"), legal_basis
 * See docs/import.md for the meaning of each column. */
#ifndef CCHC_IMPORT_H
#define CCHC_IMPORT_H

#include "store.h"

/* Receives each problem as one line "FILE:LINE: column: problem" (no newline). */
typedef void (*import_report_fn)(const char *line, void *ctx);

struct import_result {
    long rows;   /* data rows read (header excluded) */
    long errors; /* problems found (reported up to IMPORT_MAX_REPORTS) */
};

#define IMPORT_MAX_REPORTS 100

/* Imports path. Returns 0 when every row was written; ERR_INVALID when the file has
 * problems (each reported through report, nothing written; e says how many); ERR_IO and
 * others when reading or writing failed (nothing written). */
int import_units(struct store *s, const char *path, import_report_fn report, void *ctx,
                 struct import_result *res, struct err *e);
int import_procedures(struct store *s, const char *path, import_report_fn report, void *ctx,
                      struct import_result *res, struct err *e);
int import_contacts(struct store *s, const char *path, import_report_fn report, void *ctx,
                    struct import_result *res, struct err *e);
/* The desk's counters: unit,no,name,fields[,active] (import_counters.c, docs/queue.md). */
int import_counters(struct store *s, const char *path, import_report_fn report, void *ctx,
                    struct import_result *res, struct err *e);

#endif
