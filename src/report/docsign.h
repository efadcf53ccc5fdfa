/* docsign.h — the server's document-signing keys (Ed25519, libsodium) and the tokens printed
 * in the verification QR code of every form.
 *
 * The keys live outside the database, in a directory of their own (by default the database
 * path plus ".keys", mode 0700): one file KID.sk per key (the secret key in hex, mode 0600)
 * and a file "current" naming the key that signs. A key id (8 hex digits of the public key's
 * hash) travels in each token, so after a rotation (a new current key) the old keys still
 * verify the documents they signed. A token is "KID.SIGNATURE" with the signature in
 * URL-safe base64 without padding. */
#ifndef CCHC_DOCSIGN_H
#define CCHC_DOCSIGN_H

#include <stddef.h>

#include "err.h"

#define DOCSIGN_KID_LEN   8
#define DOCSIGN_TOKEN_MAX 128

struct docsign;

/* The default key directory of a database: "PATH.keys" for an SQLite file (PATH or
 * sqlite:PATH); ERR_INVALID for a database URL, which needs a configured directory. */
int docsign_default_dir(const char *db, char *buf, size_t n, struct err *e);
/* Creates the directory if missing and, when it has no current key or rotate is set, a new
 * key that becomes current; kid (DOCSIGN_KID_LEN + 1 bytes, may be NULL) receives the current
 * key's id. *created = 1 when a key was made. */
int docsign_ensure_key(const char *dir, int rotate, char *kid, int *created, struct err *e);
/* Loads every key of the directory. ERR_NOT_FOUND when it has no current key (run cchc init). */
int docsign_open(const char *dir, struct docsign **out, struct err *e);
void docsign_close(struct docsign *ds);
const char *docsign_current_kid(const struct docsign *ds);
/* Signs msg with the current key into token (DOCSIGN_TOKEN_MAX bytes). */
int docsign_sign(const struct docsign *ds, const void *msg, size_t len, char *token, size_t n,
                 struct err *e);
/* 0 when token is a signature of msg by one of the keys; ERR_INVALID otherwise (malformed,
 * unknown key, or a signature that does not match), with the reason in e. */
int docsign_verify(const struct docsign *ds, const void *msg, size_t len, const char *token,
                   struct err *e);

#endif
