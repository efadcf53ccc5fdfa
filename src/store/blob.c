/* blob.c — a file's type from its content and its SHA-256 (see blob.h). */
#include "blob.h"

#include <magic.h>
#include <sodium.h>
#include <stdio.h>

#include "par_round.h"

int blob_sniff(const void *data, size_t size, char *buf, size_t n, struct err *e)
{
    buf[0] = '\0';
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (!m) return err_set(e, ERR_NOMEM, "", "out of memory (libmagic)");
    int rc = 0;
    if (magic_load(m, NULL) != 0) {
        const char *why = magic_error(m);
        rc = err_set(e, ERR_IO, "type", "cannot load the file-type database: %s", why ? why : "");
    } else {
        const char *t = magic_buffer(m, data, size);
        if (t) snprintf(buf, n, "%s", t);
    }
    magic_close(m);
    return rc;
}

void blob_sha256_hex(const void *data, size_t size, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, (unsigned long long)size);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int blob_evidence_check(const char *name, const void *data, int64_t size, int64_t max,
                        const char **mime, char sha256[65], struct err *e)
{
    char sniffed[PAR_MIME_MAX];
    int rc = 0;
    if (size > max) rc = par_evidence_check(name, NULL, size, max, mime, e);
    if (!rc && size > 0 && !data) rc = err_set(e, ERR_INVALID, "data", "evidence: no content");
    if (!rc && size > 0) rc = blob_sniff(data, (size_t)size, sniffed, sizeof sniffed, e);
    if (!rc) rc = par_evidence_check(name, size > 0 ? sniffed : NULL, size, max, mime, e);
    if (!rc) blob_sha256_hex(data, (size_t)size, sha256);
    return rc;
}
