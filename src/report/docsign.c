/* docsign.c — Ed25519 signing keys in a directory beside the database, and the tokens of the
 * forms' verification QR codes (docsign.h). libsodium does the cryptography. */
#include "docsign.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYS_MAX 64

struct key {
    char kid[DOCSIGN_KID_LEN + 1];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

struct docsign {
    int n, current;
    struct key k[KEYS_MAX];
};

int docsign_default_dir(const char *db, char *buf, size_t n, struct err *e)
{
    /* $CCHC_KEYS: the same directory for every command and server without --keys or keys in
     * cchc.ini (a PostgreSQL database has no file to keep them beside) */
    const char *env = getenv("CCHC_KEYS");
    if (env && *env) {
        if ((size_t)snprintf(buf, n, "%s", env) >= n)
            return err_set(e, ERR_INVALID, "keys", "$CCHC_KEYS: path too long");
        return 0;
    }
    if (!strncmp(db, "sqlite:", 7)) db += 7;
    if (strstr(db, "://"))
        return err_set(e, ERR_INVALID, "keys",
                       "database '%.60s' is not a file: set the signing key directory (--keys, "
                       "keys in cchc.ini, or $CCHC_KEYS)",
                       db);
    size_t len = strcspn(db, "?");
    if ((size_t)snprintf(buf, n, "%.*s.keys", (int)len, db) >= n)
        return err_set(e, ERR_INVALID, "keys", "key directory path too long");
    return 0;
}

static void kid_of(const unsigned char *pk, char kid[DOCSIGN_KID_LEN + 1])
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
    sodium_bin2hex(kid, DOCSIGN_KID_LEN + 1, h, DOCSIGN_KID_LEN / 2);
}

static int read_small(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t got = fread(buf, 1, n - 1, f);
    fclose(f);
    buf[got] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

/* Writes text to dir/name with the given mode, atomically (temporary file, rename). */
static int write_file(const char *dir, const char *name, const char *text, mode_t mode,
                      struct err *e)
{
    char tmp[4200], path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0) return err_set(e, ERR_IO, "keys", "%s: cannot create: %s", tmp, strerror(errno));
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        unlink(tmp);
        return err_set(e, ERR_IO, "keys", "%s: cannot write: %s", path, strerror(errno));
    }
    return 0;
}

int docsign_ensure_key(const char *dir, int rotate, char *kid, int *created, struct err *e)
{
    char cur[64] = "", path[4200];
    if (created) *created = 0;
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "keys", "libsodium failed to start");
    if (mkdir(dir, 0700) && errno != EEXIST)
        return err_set(e, ERR_IO, "keys", "%s: cannot create: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/current", dir);
    if (!rotate && !read_small(path, cur, sizeof cur) && strlen(cur) == DOCSIGN_KID_LEN) {
        if (kid) memcpy(kid, cur, DOCSIGN_KID_LEN + 1);
        return 0;
    }
    struct key k;
    char hex[2 * crypto_sign_SECRETKEYBYTES + 2], name[32];
    crypto_sign_keypair(k.pk, k.sk);
    kid_of(k.pk, k.kid);
    sodium_bin2hex(hex, sizeof hex - 1, k.sk, sizeof k.sk);
    strcat(hex, "\n");
    snprintf(name, sizeof name, "%s.sk", k.kid);
    int rc = write_file(dir, name, hex, 0600, e);
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(k.sk, sizeof k.sk);
    if (rc) return rc;
    char line[DOCSIGN_KID_LEN + 2];
    snprintf(line, sizeof line, "%s\n", k.kid);
    if ((rc = write_file(dir, "current", line, 0600, e))) return rc;
    if (kid) memcpy(kid, k.kid, DOCSIGN_KID_LEN + 1);
    if (created) *created = 1;
    return 0;
}

static int load_key(const char *dir, const char *name, struct key *k)
{
    char path[4200], hex[2 * crypto_sign_SECRETKEYBYTES + 8];
    size_t bin = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (read_small(path, hex, sizeof hex)) return -1;
    int rc = sodium_hex2bin(k->sk, sizeof k->sk, hex, strlen(hex), NULL, &bin, NULL);
    sodium_memzero(hex, sizeof hex);
    if (rc || bin != sizeof k->sk) return -1;
    crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
    kid_of(k->pk, k->kid);
    /* the file's name must be its key's id */
    return strncmp(name, k->kid, DOCSIGN_KID_LEN) ? -1 : 0;
}

int docsign_open(const char *dir, struct docsign **out, struct err *e)
{
    char path[4200], cur[64] = "";
    *out = NULL;
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "keys", "libsodium failed to start");
    snprintf(path, sizeof path, "%s/current", dir);
    if (read_small(path, cur, sizeof cur))
        return err_set(e, ERR_NOT_FOUND, "keys",
                       "%s: no document-signing key (create it with cchc init)", dir);
    DIR *d = opendir(dir);
    if (!d) return err_set(e, ERR_IO, "keys", "%s: cannot read: %s", dir, strerror(errno));
    struct docsign *ds = sodium_malloc(sizeof *ds);
    if (!ds) {
        closedir(d);
        return err_set(e, ERR_NOMEM, "keys", "out of memory");
    }
    ds->n = 0;
    ds->current = -1;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len != DOCSIGN_KID_LEN + 3 || strcmp(de->d_name + DOCSIGN_KID_LEN, ".sk")) continue;
        if (ds->n == KEYS_MAX) {
            rc = err_set(e, ERR_RANGE, "keys", "%s: more than %d keys", dir, KEYS_MAX);
            break;
        }
        if (load_key(dir, de->d_name, &ds->k[ds->n])) {
            rc = err_set(e, ERR_INVALID, "keys", "%s/%s: not a key written by cchc", dir,
                         de->d_name);
            break;
        }
        if (!strcmp(ds->k[ds->n].kid, cur)) ds->current = ds->n;
        ds->n++;
    }
    closedir(d);
    if (!rc && ds->current < 0)
        rc = err_set(e, ERR_NOT_FOUND, "keys", "%s: the current key '%.16s' is missing", dir, cur);
    if (rc) {
        sodium_free(ds);
        return rc;
    }
    *out = ds;
    return 0;
}

void docsign_close(struct docsign *ds)
{
    if (ds) sodium_free(ds);
}

const char *docsign_current_kid(const struct docsign *ds)
{
    return ds->k[ds->current].kid;
}

int docsign_sign(const struct docsign *ds, const void *msg, size_t len, char *token, size_t n,
                 struct err *e)
{
    unsigned char sig[crypto_sign_BYTES];
    const struct key *k = &ds->k[ds->current];
    crypto_sign_detached(sig, NULL, msg, len, k->sk);
    char
        b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if ((size_t)snprintf(token, n, "%s.%s", k->kid, b64) >= n)
        return err_set(e, ERR_INTERNAL, "token", "token buffer too small");
    return 0;
}

int docsign_verify(const struct docsign *ds, const void *msg, size_t len, const char *token,
                   struct err *e)
{
    unsigned char sig[crypto_sign_BYTES];
    size_t bin = 0;
    const char *end = NULL;
    if (!token || strlen(token) < DOCSIGN_KID_LEN + 2 || token[DOCSIGN_KID_LEN] != '.')
        return err_set(e, ERR_INVALID, "t", "the token is malformed (expected KEY.SIGNATURE)");
    const struct key *k = NULL;
    for (int i = 0; i < ds->n && !k; i++)
        if (!strncmp(ds->k[i].kid, token, DOCSIGN_KID_LEN)) k = &ds->k[i];
    if (!k) return err_set(e, ERR_INVALID, "t", "the token names no key of this server");
    const char *b64 = token + DOCSIGN_KID_LEN + 1;
    if (sodium_base642bin(sig, sizeof sig, b64, strlen(b64), NULL, &bin, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        bin != sizeof sig || *end)
        return err_set(e, ERR_INVALID, "t", "the token's signature is malformed");
    if (crypto_sign_verify_detached(sig, msg, len, k->pk))
        return err_set(e, ERR_INVALID, "t", "the signature does not match the document's data");
    return 0;
}
