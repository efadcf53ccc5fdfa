/* blob.h — what the store knows of a file's bytes before it keeps them, the same for every
 * backend and every kind of file (PAR evidence today; feedback attachments, dossier documents
 * and results next): the type sniffed from the content (libmagic), never taken from the name
 * or the sender, and the SHA-256 that addresses the content. */
#ifndef CCHC_BLOB_H
#define CCHC_BLOB_H

#include <stddef.h>

#include "err.h"

/* The MIME type libmagic reads from the content, into buf (n bytes; "" when it cannot tell).
 * ERR_IO when the type database cannot be loaded. */
int blob_sniff(const void *data, size_t size, char *buf, size_t n, struct err *e);
/* SHA-256 of the content as 64 lowercase hex digits and a NUL. */
void blob_sha256_hex(const void *data, size_t size, char out[65]);

#endif
