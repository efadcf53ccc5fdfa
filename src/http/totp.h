/* totp.h — the second factor of staff accounts: TOTP (RFC 6238: HMAC-SHA-1, 30-second steps,
 * 6 digits, as every authenticator app reads an otpauth:// URI) computed by liboath, one-time
 * recovery codes stored as argon2id strings (libsodium), and the HTTP routes of a signed-in
 * user's enrolment (GET/POST /api/session/totp, POST /api/session/totp/confirm). */
#ifndef CCHC_TOTP_H
#define CCHC_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define TOTP_STEP           30
#define TOTP_SECRET_MAX     64 /* base32 text of 20 random bytes: 32 characters */
#define TOTP_RECOVERY_CODES 10
#define TOTP_RECOVERY_LEN   12 /* "xxxxx-xxxxx" and its NUL */

struct req;
struct store;
struct user_totp;

/* A new random secret (160 bits) in base32. */
int totp_new_secret(char out[TOTP_SECRET_MAX], struct err *e);
/* 1 and the code's time step in *step if code (6 digits) is the secret's code at now, the
 * step before or the step after (clocks drift); 0 if not. */
int totp_code_ok(const char *secret, const char *code, int64_t now, int64_t *step);
/* The otpauth:// URI of username's secret (issuer "cchc"); NUL-terminated in out (n bytes). */
int totp_uri(const char *username, const char *secret, char *out, size_t n);
/* The QR code of text as an SVG document (malloc'd), or NULL. */
char *totp_qr_svg(const char *text);
/* The QR code of text drawn with Unicode half blocks on f (a terminal). */
int totp_qr_print(FILE *f, const char *text);
/* Fills codes with new recovery codes ("xxxxx-xxxxx") and hashes with their argon2id strings. */
int totp_recovery_new(char codes[][TOTP_RECOVERY_LEN], char hashes[][128], int n, struct err *e);

/* Checks a sign-in's code for username (whose second factor t is confirmed): a TOTP code,
 * accepted once per step across all servers, or an unused recovery code, then used up.
 * 0 if accepted; else ERR_INVALID (wrong) or ERR_CONFLICT (replayed, used) with e set. */
int totp_login_check(struct store *s, const char *username, const struct user_totp *t,
                     const char *code, int64_t now, struct err *e);

void h_totp_status(struct req *r);
void h_totp_begin(struct req *r);
void h_totp_confirm(struct req *r);

#endif
