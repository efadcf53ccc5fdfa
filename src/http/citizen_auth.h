/* citizen_auth.h — the citizen's confirmed identity for handlers (issue 16): a phone number
 * or e-mail address proved by a one-time code (POST /api/public/otp, then
 * /api/public/otp/verify, src/http/notify.c), carried by the HttpOnly SameSite=Strict cookie
 * cchc_citizen whose token names a server-side session row (store_notify.h). */
#ifndef CCHC_CITIZEN_AUTH_H
#define CCHC_CITIZEN_AUTH_H

#include <stddef.h>

struct req;

#define CITIZEN_COOKIE "cchc_citizen"

/* 1 when the request carries a live confirmed citizen session, with its contact written to
 * out (n bytes; NOTIFY_CONTACT_MAX is enough) in normal form: a phone as 0 + 9 digits, an
 * e-mail lower-case. 0 otherwise (no cookie, unknown or expired session, database error),
 * with out = "". */
int citizen_session_contact(struct req *r, char *out, size_t n);

#endif
