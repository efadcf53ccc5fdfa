/* preport_doc.h — the periodic CCHC report's content (issue 15; docs/reports.md): assembling
 * a unit's figures for a reporting period from the data into one JSON snapshot (dossier
 * statistics and the Decision 766 index, feedback and petitions, the CCHC plan's tasks,
 * inspections and remedies, the PAR self-assessment so far, the units merged into it when the
 * period spans the 1/7/2025 merger, and — consolidated — its children's submitted reports),
 * and writing a stored report (snapshot + sections) as .xlsx or PDF in the layout of the
 * Ministry of Home Affairs' annex (verify). The snapshot is frozen by the store; these
 * writers read only it, so a submitted report prints the same figures forever. */
#ifndef CCHC_PREPORT_DOC_H
#define CCHC_PREPORT_DOC_H

#include <stdint.h>

#include "store_preport.h"

struct preport_build_in {
    const char *unit;
    int year;
    const char *period; /* "Q1", "6M", "Q3", "Y" */
    int consolidate;    /* 1: add the children's submitted or accepted reports */
    const char *data;   /* data directory (indicators/, catalog/, calendar/) */
    int64_t now;        /* minutes (date.h): figures are as of min(today, the period's end) */
};
/* The snapshot as JSON text (*out malloc'd, the caller frees). ERR_NOT_FOUND for an unknown
 * unit, ERR_INVALID for a bad period. Reads only. */
int preport_build(struct store *s, const struct preport_build_in *in, char **out, struct err *e);

/* The report as .xlsx (sheets: the narrative and the annex tables) or A4 PDF at path. */
int preport_write_xlsx(const struct preport *r, const char *path, struct err *e);
int preport_write_pdf(const struct preport *r, const char *path, struct err *e);

#endif
