/* slip_pdf.h — the result slip (Phiếu trả kết quả) handed to the applicant with a dossier's
 * result, as an A5-wide A4 PDF: the dossier, the procedure, who received the result and when,
 * two signatures, and — when the dossier was sampled for a satisfaction survey — the one-time
 * survey link as a QR code (issue 19, docs/surveys.md). No annex of Circular 01/2018/TT-VPCP or
 * 03/2025/TT-VPCP prescribes this slip: it is cchc's, and says so at its foot. */
#ifndef CCHC_SLIP_PDF_H
#define CCHC_SLIP_PDF_H

#include <stddef.h>

#include "err.h"

struct result_slip {
    const char *unit_name, *parent_name; /* the receiving unit and the body above it */
    const char *code, *procedure, *applicant;
    const char *returned;   /* "ngày dd tháng mm năm yyyy" or "" when not yet returned */
    const char *survey_url; /* the invitation's address, or NULL: no survey block */
};

/* Draws the slip into *buf (malloc'd, *len bytes; the caller frees it). */
int slip_pdf_render(const struct result_slip *s, unsigned char **buf, size_t *len, struct err *e);

#endif
