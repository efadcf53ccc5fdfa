/* blob.h — what the store knows of a file's bytes before it keeps them, the same for every
 * backend and every kind of file (PAR evidence today; feedback attachments, dossier documents
 * and results next): the type sniffed from the content (libmagic), never taken from the name
 * or the sender, and the SHA-256 that addresses the content. */
#ifndef CCHC_BLOB_H
#define CCHC_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The MIME type libmagic reads from the content, into buf (n bytes; "" when it cannot tell).
 * ERR_IO when the type database cannot be loaded. */
int blob_sniff(const void *data, size_t size, char *buf, size_t n, struct err *e);
/* SHA-256 of the content as 64 lowercase hex digits and a NUL. */
void blob_sha256_hex(const void *data, size_t size, char out[65]);

/* A file kept as evidence (PAR evidence, a task's, a finding's, an initiative's) checked the one
 * way: its size first — a file over max is neither sniffed nor hashed —, its content present,
 * its type sniffed from the content and allowed for its name's extension
 * (par_evidence_check). On success *mime is the allow-list's type and sha256 the content's. */
int blob_evidence_check(const char *name, const void *data, int64_t size, int64_t max,
                        const char **mime, char sha256[65], struct err *e);

#endif
