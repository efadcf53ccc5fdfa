/* forms_doc.h — one printed form of one dossier: the data it shows, gathered from the store
 * and the form registry (forms.h), the key fields its verification token signs, and the
 * check of a token read back from a QR code. The PDF itself is drawn by forms_pdf.c.
 *
 * Personal data: the ID number and the phone are printed masked (applicant_mask); the
 * verification page shows the applicant's name as initials only. */
#ifndef CCHC_FORMS_DOC_H
#define CCHC_FORMS_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "docsign.h"
#include "forms.h"
#include "store.h"

#define FORM_DOC_DOCS  24
#define FORM_DOC_STEPS 16

struct form_doc {
    const struct form_def *def;
    const struct form_basis *basis; /* NULL if no decree is recorded for the day */
    const struct form_rule *rule;   /* apology: the late-dossier rule of the day, or NULL */
    int64_t issued_at;              /* the day and time the document is dated */
    int64_t appointment;            /* receipt: due instant; apology: the new one; else 0 */
    int64_t old_appointment;        /* apology: the appointment it replaces */
    struct dossier d;
    char unit_name[UNIT_NAME_MAX], parent_name[UNIT_NAME_MAX], place[UNIT_NAME_MAX];
    /* the deciding authority when another unit than the receiving one decides (received
     * regardless of residence, Decree 118/2025/NĐ-CP), else "" */
    char decider_name[UNIT_NAME_MAX];
    char proc_name[PROC_NAME_MAX];
    int time_amount;
    const char *time_label; /* "ngày làm việc" … */
    char reason[DOSSIER_NOTE_MAX];
    int ndocs;
    char docs[FORM_DOC_DOCS][PROC_TEXT_MAX];
    int nsteps;
    struct dossier_step_rec steps[FORM_DOC_STEPS];
};

/* Gathers form `number` of dossier `code`. ERR_NOT_FOUND for an unknown dossier or form
 * number, ERR_CONFLICT when the form does not apply to the dossier's state (forms_resolve),
 * ERR_INVALID for a malformed number. */
int form_doc_build(struct store *s, const struct forms *reg, const char *code, const char *number,
                   struct form_doc *out, struct err *e);

/* The key fields the token signs, one per line: "cchc-form/1", code, form number, circular,
 * issue instant, appointment ("-" if none). Returns the length written (< n). */
size_t form_doc_signed_text(const char *code, const struct form_def *def, int64_t issued_at,
                            int64_t appointment, char *buf, size_t n);
/* The verification address: BASE/verify/CODE?f=NN&i=YYYYMMDDHHMM&h=YYYYMMDDHHMM|0&t=TOKEN. */
int form_doc_verify_url(const struct form_doc *doc, const struct docsign *ds, const char *base,
                        char *url, size_t n, struct err *e);

/* The outcome of checking a verification address's arguments. */
struct form_check {
    int authentic;
    char why[200]; /* when not authentic: which check failed (no personal data) */
    const struct form_def *def;
    int64_t issued_at, appointment;
    char code[DOSSIER_CODE_LEN];
    /* from the store, for display, when authentic */
    char unit_name[UNIT_NAME_MAX], proc_name[PROC_NAME_MAX];
    char initials[64];
    enum dossier_status status;
};
/* Checks f (form number), i (issue instant), h (appointment or "0") and t (token) for dossier
 * code. Returns 0 with out->authentic 0 or 1; an error only for a failure of the store. */
int form_doc_check(struct store *s, const struct forms *reg, const struct docsign *ds,
                   const char *code, const char *f, const char *i, const char *h, const char *t,
                   struct form_check *out, struct err *e);

/* "Nguyễn Văn An" -> "N. V. A." */
void form_initials(const char *name, char *buf, size_t n);

#endif
