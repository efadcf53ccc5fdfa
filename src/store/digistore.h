/* digistore.h — the store's side of digitisation (migration 013, both backends): files kept
 * content-addressed, "digitised" as a fact per dossier component, the registry of electronic
 * results with their two-layer signatures, reuse of a registered result as a component of a
 * later dossier, and the figures the Decision 766 digitisation indicators are computed from.
 * Rules (types, sizes, completeness, indicator rates) are src/core/digitise.h's. Every write
 * is one transaction and a failed one changes nothing. */
#ifndef CCHC_DIGISTORE_H
#define CCHC_DIGISTORE_H

#include <stdint.h>

#include "digitise.h"
#include "dossier.h"
#include "procedure.h"
#include "store.h"

struct digi_component {
    int64_t id;
    char dossier[DOSSIER_CODE_LEN];
    int doc_index; /* 1-based place in the procedure's document list */
    char doc_name[PROC_TEXT_MAX];
    char name[DIGI_NAME_MAX + 1];
    char mime[DIGI_MIME_MAX];
    int64_t size;
    char sha256[65];
    char reused_from[DIGI_RESULT_NO_MAX + 1]; /* "" when scanned or uploaded */
    int64_t at;                               /* minutes, local time */
    char by[64];
    char province[UNIT_CODE_MAX]; /* its dossier's (migration 042): its content's copy */
};

/* A scanned or uploaded file for component doc_index of dossier: sniffed and checked
 * (digitise_file_check against max_size, 0 = DIGI_MAX_DEFAULT), stored by its SHA-256.
 * ERR_NOT_FOUND: no such dossier; ERR_INVALID: doc_index outside the procedure's list (or
 * above PROC_DOCS_MAX when the procedure lists none), a bad file; ERR_CONFLICT: the
 * component is already digitised. */
struct digi_component_in {
    const char *dossier;
    int doc_index;
    const char *name;
    const void *data;
    int64_t size, max_size;
    const char *actor;
    int64_t at;
};
int store_digi_component_add(struct store *s, const struct digi_component_in *in,
                             struct digi_component *out, struct err *e);
/* Component doc_index of dossier taken from the registered result result_no instead of a new
 * file: the result must belong to the same citizen (same ID number) as the dossier's
 * applicant (ERR_CONFLICT otherwise). Recorded as a reuse. */
int store_digi_component_reuse(struct store *s, const char *dossier, int doc_index,
                               const char *result_no, const char *actor, int64_t at,
                               struct digi_component *out, struct err *e);
typedef int (*digi_component_fn)(const struct digi_component *c, void *ctx);
int store_digi_components(struct store *s, const char *dossier, digi_component_fn fn, void *ctx,
                          struct err *e);
/* The content of a blob as stored in province (a component's or result's province: a content
 * is stored once per province, migration 046; *data malloc'd, the caller frees it);
 * ERR_NOT_FOUND. */
int store_digi_blob_get(struct store *s, const char *sha256, const char *province, void **data,
                        size_t *n, struct err *e);

struct digi_result {
    char result_no[DIGI_RESULT_NO_MAX + 1];
    char dossier[DOSSIER_CODE_LEN];
    char unit[UNIT_CODE_MAX];
    char citizen_id[APPLICANT_IDNO_MAX];
    char title[PROC_TEXT_MAX];
    char mime[DIGI_MIME_MAX];
    int64_t size;
    char sha256[65];
    int64_t issued_at;
    char issued_by[64];
    int layers; /* signature layers stored: 0, 1, 2 */
    char l1_by[64], l2_by[64];
    int64_t l1_at, l2_at;
    char province[UNIT_CODE_MAX]; /* its dossier's (migration 042): its content's copy */
};
/* Registers the electronic result of a solved dossier (status result_ready or returned;
 * ERR_CONFLICT otherwise, or when the dossier or the number already has one). */
struct digi_result_in {
    const char *dossier, *result_no, *title;
    const void *data;
    int64_t size, max_size;
    const char *actor;
    int64_t at;
};
int store_digi_result_add(struct store *s, const struct digi_result_in *in, struct digi_result *out,
                          struct err *e);
/* A result by number; *signature (malloc'd PEM, NULL when unsigned) when signature != NULL. */
int store_digi_result_get(struct store *s, const char *result_no, struct digi_result *out,
                          char **signature, struct err *e);
/* The result of a dossier (ERR_NOT_FOUND when none), as store_digi_result_get. */
int store_digi_result_of_dossier(struct store *s, const char *dossier, struct digi_result *out,
                                 char **signature, struct err *e);
/* Stores the signature file after layer `layer` was added (sign2_sign checked it): layer must
 * be the stored layers + 1 (ERR_CONFLICT otherwise: layer 2 before layer 1, twice …). */
int store_digi_result_sign(struct store *s, const char *result_no, int layer, const char *sig,
                           const char *actor, int64_t at, struct err *e);
typedef int (*digi_result_fn)(const struct digi_result *r, void *ctx);
/* Results with this number and/or this citizen ID number (NULL = any; not both NULL). */
int store_digi_result_find(struct store *s, const char *result_no, const char *citizen_id,
                           digi_result_fn fn, void *ctx, struct err *e);

/* The figures of the digitisation indicators for the dossiers received by unit (NULL = all)
 * from from_day to to_day; fn (may be NULL) is called for each dossier with whether it is
 * complete, reused, solved and has an electronic result: the indicators' drill-down. */
struct digi_dossier_fact {
    const struct dossier *d;
    int ndocs, ndigitised, complete, reused, solved, e_result, required;
    /* declared digitised at reception or import without its components here: counted as
     * digitised (4.2), as the statistics count it (stats.h's struct stats_extra) */
    int declared;
};
typedef int (*digi_fact_fn)(const struct digi_dossier_fact *f, void *ctx);
int store_digi_figures(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                       struct digitise_figures *out, digi_fact_fn fn, void *ctx, struct err *e);

#endif
