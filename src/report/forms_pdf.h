/* forms_pdf.h — a form of a dossier (forms_doc.h) as an A4 PDF document laid out as an
 * official document: national motto block, agency, number and symbol, place and date, title,
 * body, signature block, the legal basis, and the verification QR code.
 *
 * cairo draws the pages and embeds (subsets of) the fonts it uses; pango shapes the text, so
 * Vietnamese letters with two diacritics (ế, ặ, ữ …) come out as the font draws them. The
 * font is Noto Serif (Debian fonts-noto-core), found through fontconfig. */
#ifndef CCHC_FORMS_PDF_H
#define CCHC_FORMS_PDF_H

#include <stddef.h>

#include "forms_doc.h"

/* Draws doc into *buf (malloc'd, *len bytes; the caller frees it). url, when not NULL, is
 * drawn as a QR code with its caption (the verification address of form_doc_verify_url). */
int form_pdf_render(const struct form_doc *doc, const char *url, unsigned char **buf, size_t *len,
                    struct err *e);

#endif
