/* par_round.h — the rules of a PAR assessment round that need no database: its phases
 * (self-assessment → appraisal → survey → published) and which score may be written in which
 * phase, the evidence files a unit may attach (type allow-list, size limit, file name), and
 * how a computed criterion turns a dossier rate into a metric value. src/store/sqlite_par.c
 * keeps the rounds; src/core/par.c validates the points themselves. */
#ifndef CCHC_PAR_ROUND_H
#define CCHC_PAR_ROUND_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "par.h"

/* Phases in order; a round moves forward only, one phase at a time. */
enum par_phase {
    PAR_PHASE_SELF = 0,  /* units score themselves and attach evidence */
    PAR_PHASE_APPRAISAL, /* the appraisal council (Hội đồng thẩm định) re-scores */
    PAR_PHASE_SURVEY,    /* sociological-survey points are imported */
    PAR_PHASE_PUBLISHED, /* results announced: every score is frozen */
    PAR_PHASE_COUNT
};

const char *par_phase_name(enum par_phase p);  /* "self", "appraisal", "survey", "published" */
const char *par_phase_label(enum par_phase p); /* "Tự đánh giá", "Thẩm định" … */
int par_phase_parse(const char *s, enum par_phase *out, struct err *e);

/* 0 if a value of kind (self, appraised, survey) may be written in phase; else ERR_CONFLICT
 * with a message naming the round, the phase and the phase that takes such a value. Metric
 * values are never written by hand (they come from the dossier data). */
int par_phase_allows(const char *round, enum par_phase phase, enum par_kind kind, struct err *e);
/* 0 if evidence may be attached in phase (self-assessment and appraisal), else ERR_CONFLICT. */
int par_phase_allows_evidence(const char *round, enum par_phase phase, struct err *e);

/* ---- evidence files -------------------------------------------------------------------- */

#define PAR_EVIDENCE_MAX_DEFAULT (20 * 1024 * 1024) /* bytes per file unless configured */
#define PAR_EVIDENCE_MAX_LIMIT   (256 * 1024 * 1024)
#define PAR_EVIDENCE_NAME_MAX    200 /* bytes of the file name, incl. NUL */
#define PAR_MIME_MAX             96

/* Checks an evidence file before it is stored: the name (non-empty, no directory part, no
 * control characters, < PAR_EVIDENCE_NAME_MAX bytes), its extension in the allow-list, the
 * type sniffed from its content (sniffed, a MIME type from libmagic; NULL when unknown)
 * consistent with the extension, 0 < size <= max_size. On success *mime is the allow-list's
 * type for the file (a static string). ERR_INVALID naming the rule otherwise. */
int par_evidence_check(const char *name, const char *sniffed, int64_t size, int64_t max_size,
                       const char **mime, struct err *e);
/* "pdf, jpg, jpeg, png, …": the allowed extensions, for messages and --help. */
const char *par_evidence_extensions(void);

/* ---- survey points -------------------------------------------------------------------- */

/* One imported survey value (src/report/par_io.c reads them, the store writes them). */
struct par_survey_row {
    char unit[PAR_CODE_MAX], node[PAR_CODE_MAX];
    par_pts points;
    char where[96]; /* "FILE:LINE", for messages */
};

/* ---- computed criteria ----------------------------------------------------------------- */

/* A rate num/den as a metric value in thousandths of a percent, rounded DOWN (99.4159… % ->
 * 99415), so a threshold such as ">= 90" is never met by rounding up; PAR_NONE when den <= 0
 * (no dossiers: the criterion falls back to its self or appraised score). */
par_pts par_metric_pct(int64_t num, int64_t den);

#endif
