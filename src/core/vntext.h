/* vntext.h — Vietnamese text helpers on UTF-8: NFC normalisation, and a "fold" that makes
 * search ignore case and diacritics ("Nguyễn Văn Đức" and "nguyen van duc" fold alike).
 * Pure functions over caller-owned buffers; built on utf8proc. */
#ifndef CCHC_VNTEXT_H
#define CCHC_VNTEXT_H

#include <stddef.h>

/* Writes into out (n bytes, NUL-terminated) the NFC form of in with the diacritics removed
 * (combining marks stripped after canonical decomposition, and đ/Đ mapped to d), lowercased
 * (Unicode case folding) and with runs of white space collapsed to one ASCII space, trimmed.
 * Returns 0, ERR_INVALID if in is not valid UTF-8, ERR_RANGE if out is too small (out then
 * holds an empty string), ERR_NOMEM if allocation fails. */
int vntext_fold(const char *in, char *out, size_t n);

/* Writes the NFC normalisation of in into out (n bytes). Same return codes as vntext_fold. */
int vntext_nfc(const char *in, char *out, size_t n);

/* 1 if s is valid UTF-8, else 0. */
int vntext_valid_utf8(const char *s);
/* A number as Vietnamese writes it for people: "1234.5" -> "1.234,5", "-13.50" -> "-13,50",
 * "+7.25" -> "+7,25", "2907" -> "2.907". Text that is not a plain decimal number is copied as
 * it is. Machine formats (CSV, JSON) keep the dot; this is for human-readable output only.
 * out receives at most n - 1 bytes. */
void vntext_number_vi(const char *in, char *out, size_t n);

/* The byte offset in s of its first control character — C0 (U+0000–U+001F), DEL (U+007F)
 * or C1 (U+0080–U+009F, as UTF-8) — or -1 if it has none. With allow_breaks, CR and LF
 * (line breaks inside a quoted CSV field) are not counted. ESC or BEL in a name would reach
 * terminals, TSV output and printed forms unseen, so text fields refuse them. */
long vntext_control_at(const char *s, int allow_breaks);

/* Text for people without the developers' "(verify …)" notes (ARCHITECTURE.md): data files
 * mark facts not yet confirmed against the legal text, and the note must not reach a page or
 * a document. "Cải cách thể chế (verify: điểm tối đa)" -> "Cải cách thể chế"; a citation
 * before the note stays: "(Decree 168/2025, verify the date)" -> "(Decree 168/2025)". The same
 * rule as the web's userText (web/js/i18n.js). out receives at most n - 1 bytes. */
void vntext_user(const char *in, char *out, size_t n);

#endif
