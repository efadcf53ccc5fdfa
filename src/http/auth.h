/* auth.h — password hashing for accounts (argon2id through libsodium's crypto_pwhash_str),
 * shared by the server's sign-in and `cchc user add`. */
#ifndef CCHC_AUTH_H
#define CCHC_AUTH_H

#include "err.h"
#include "user.h"

/* Initialises libsodium (idempotent). Returns 0, or ERR_INTERNAL. */
int auth_init(struct err *e);
/* Hashes password (checked by password_check) into out (USER_PWHASH_MAX bytes): argon2id with
 * libsodium's interactive limits. */
int auth_hash_password(const char *password, char out[USER_PWHASH_MAX], struct err *e);
/* 1 if password matches the stored hash, else 0. */
int auth_password_matches(const char *hash, const char *password);

#endif
