/* store_efile.h — the store's side of online filing (migration 019, both backends): a
 * citizen's filing (applicant, receiving unit, documents) as a draft, its documents kept
 * content-addressed by SHA-256 beside the digitised files (digi_blobs), the submission that
 * makes it a dossier in status submitted with channel online, the citizen's answer to a
 * supplement request, the electronic result taken online, and the facts the Decision 766
 * online-service figures are computed from. Rules are src/core/efile.h's. Every write is one
 * transaction; a failed one changes nothing. */
#ifndef CCHC_STORE_EFILE_H
#define CCHC_STORE_EFILE_H

#include <stdint.h>

#include "digitise.h"
#include "dossier.h"
#include "efile.h"
#include "store.h"

struct efile_filing {
    char id[EFILE_ID_LEN];
    char contact[EFILE_CONTACT_MAX]; /* the confirmed phone or e-mail of who files */
    char procedure[PROC_CODE_MAX];
    char unit[UNIT_CODE_MAX];    /* receiving unit */
    char decider[UNIT_CODE_MAX]; /* deciding unit, "" when the receiving unit decides */
    struct applicant applicant;
    int64_t created_at, submitted_at, result_online_at; /* 0 = not yet */
    char dossier[DOSSIER_CODE_LEN];                     /* "" while a draft */
    uint32_t paper;                                     /* bit i: document i+1 shown on paper */
    char province[UNIT_CODE_MAX]; /* the root of unit's tree when it was created, for good */
};

struct efile_doc {
    int doc_index;
    char doc_name[PROC_TEXT_MAX];
    char name[EFILE_NAME_MAX + 1];
    char mime[DIGI_MIME_MAX];
    int64_t size;
    char sha256[65];
    int64_t at;
    int round; /* 0 with the filing, k: uploaded for the k-th supplement request */
};

/* A new draft: f's contact, procedure, unit, decider ("" or NULL-like), applicant and
 * created_at are read; f->id is filled (random) when empty. ERR_NOT_FOUND: unknown procedure
 * or unit; ERR_CONFLICT: the procedure is not offered online; ERR_INVALID: a bad applicant,
 * contact, or a deciding unit the receiving unit may not receive for (catalog.h's
 * receive_check). */
int store_efile_create(struct store *s, struct efile_filing *f, struct err *e);
/* A filing by its id, or by its dossier's code (ERR_NOT_FOUND). */
int store_efile_get(struct store *s, const char *id, struct efile_filing *out, struct err *e);
int store_efile_of_dossier(struct store *s, const char *code, struct efile_filing *out,
                           struct err *e);
typedef int (*efile_doc_fn)(const struct efile_doc *d, void *ctx);
int store_efile_docs(struct store *s, const char *id, efile_doc_fn fn, void *ctx, struct err *e);

/* Uploads (or replaces) document doc_index of a filing: allowed while it is a draft, and
 * once filed only while its dossier waits for a supplement (ERR_CONFLICT otherwise). The file
 * is checked by efile_file_check (*why tells the refusal: too large, wrong type, bad name)
 * and kept by its SHA-256. ERR_INVALID with *why = EFILE_OK: doc_index outside the list. */
struct efile_doc_in {
    const char *filing, *name;
    int doc_index;
    const void *data;
    int64_t size, file_max, dossier_max;
    int64_t at;
};
int store_efile_doc_put(struct store *s, const struct efile_doc_in *in, struct efile_doc *out,
                        enum efile_refusal *why, struct err *e);
/* The content of a document (*data malloc'd, the caller frees it). */
int store_efile_doc_file(struct store *s, const char *id, int doc_index, struct efile_doc *doc,
                         void **data, size_t *n, struct err *e);

/* Submits a draft: efile_complete over the uploaded documents and the paper declaration,
 * then the dossier (status submitted, channel online, event 'submit' by "portal") and the
 * filing's link to it, in one transaction. On a filing whose dossier waits for a supplement,
 * the citizen's answer: at least one document uploaded for this request, then the dossier's
 * supplement_received (the clock resumes; a request made before reception sends the dossier
 * back to the desk's check). ERR_CONFLICT otherwise. out (may be NULL) gets the dossier. */
int store_efile_submit(struct store *s, const struct calendar *cal, const char *id, uint32_t paper,
                       int64_t at, struct dossier *out, struct err *e);

/* Records that the citizen took the electronic result online (the first time counts). */
int store_efile_result_taken(struct store *s, const char *id, int64_t at, struct err *e);

/* Filed dossiers (with their filing) whose status is status (-1: any), by submission time;
 * the desk's "online, to check" list is status submitted. contact (NULL = any) narrows to
 * one citizen's filings, drafts included when status is -1. */
typedef int (*efile_row_fn)(const struct efile_filing *f, const char *status, void *ctx);
int store_efile_list(struct store *s, int status, const char *contact, efile_row_fn fn, void *ctx,
                     struct err *e);

/* The online-service facts of unit (NULL: all units) for dossiers received from from_day to
 * to_day; the procedure counts are over the procedures of level (-1: all levels). */
int store_efile_figures(struct store *s, const char *unit, int level, int64_t from_day,
                        int64_t to_day, struct efile_figures *out, struct err *e);

/* The same figures for n units at once (a 766 index's ranked units) in four statements
 * whatever n: out[i] for units[i] with the procedures of levels[i] (-1: all levels), equal to
 * store_efile_figures(units[i], levels[i]) each. parent: the parent of every unit of the list
 * (the statements read only its children), or NULL for any units. served = 0 leaves received,
 * received_online and served_full 0 (only the online_served_full rate reads them). */
int store_efile_figures_units(struct store *s, const char *parent, int n, const char *const *units,
                              const int *levels, int64_t from_day, int64_t to_day, int served,
                              struct efile_figures *out, struct err *e);

#endif
