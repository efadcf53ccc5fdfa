/* digitise.h — digitised dossier components and electronic results as domain rules, no I/O:
 * which files may be kept (type, size), which components a dossier must have digitised
 * (Circular 01/2023/TT-VPCP, by channel, versioned by effective date), when a dossier counts
 * as digitised, and the Decision 766 digitisation indicators computed from these facts. */
#ifndef CCHC_DIGITISE_H
#define CCHC_DIGITISE_H

#include <stdint.h>

#include "dossier.h"
#include "err.h"
#include "indicators.h"
#include "procedure.h"

#define DIGI_MAX_DEFAULT   (20L * 1024 * 1024) /* bytes of one scanned or uploaded file */
#define DIGI_NAME_MAX      200
#define DIGI_MIME_MAX      64
#define DIGI_RESULT_NO_MAX 64

/* Checks a file before it is stored: name present (≤ DIGI_NAME_MAX bytes, valid UTF-8, no
 * '/'), size 1..max, and the type libmagic sniffed from the content one of PDF, JPEG, PNG or
 * TIFF (what scanners and the portal produce). ERR_INVALID names the field and the rule. */
int digitise_file_check(const char *name, const char *mime, int64_t size, int64_t max,
                        struct err *e);

/* A result number: 1..DIGI_RESULT_NO_MAX bytes of letters, digits and - / . _ */
int digitise_result_no_check(const char *no, struct err *e);

/* Whether the components of a dossier received through channel on day (days since
 * 1970-01-01) must be digitised at reception, and the rule's legal source (*source). */
int digitise_required(enum dossier_channel channel, int64_t day, const char **source);

/* Whether a document of a procedure's list is conditional: its wording ends in "(nếu có)"
 * ("if any"), so a dossier may lack it. */
int digitise_doc_optional(const char *doc_name);

/* A dossier counts as "components digitised" when each document of its procedure's list
 * (docs[0..ndocs-1]) that is not conditional has a digitised (scanned, uploaded or reused)
 * component: bit i of have is set when component i + 1 is digitised. A procedure without a
 * document list counts when at least one component is digitised. */
int digitise_dossier_complete(const char (*docs)[PROC_TEXT_MAX], int ndocs, uint32_t have);

/* Per unit and period: dossiers received, those with every component digitised, those with
 * at least one reused component, dossiers solved and those with an electronic result. */
struct digitise_figures {
    int64_t received, complete, reused, solved, e_result;
};

/* The rate of a 766 indicator from these figures when its metric is one of
 * "components_digitised" (4.2), "reuse_digitised" (4.3), "result_electronic" (4.1);
 * returns 1 when the metric is one of them (out filled), 0 otherwise. */
int digitise_indicator_input(const char *metric, const struct digitise_figures *f,
                             struct ind_input *out);

/* The metric above that computes 766 indicator id from these facts ("4.1", "4.2", "4.3"), or
 * NULL. The indicator file keeps its own metric (the per-dossier flags of stats.h) for the
 * dashboard; this is the computation from per-component facts. */
const char *digitise_metric_of(const char *indicator_id);

#endif
