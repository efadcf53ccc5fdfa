/* cmd_sign.c — `cchc sign` (layer 1 by the competent person, layer 2 by the clerk with the
 * agency's certificate, over a document's bytes), `cchc sign test-pki` (the demo's and the
 * tests' certificates) and `cchc verify` (both layers: who, when, chain, unchanged). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "sign2.h"

#define DOC_MAX (64L * 1024 * 1024)

static void usage_sign(FILE *f)
{
    fprintf(f, "usage: cchc sign --layer 1|2 --key KEY --cert CERT.pem [--module LIB.so]\n"
               "                 [--roots CA.pem] [--crl CRL.pem] [--sig FILE.p7s] FILE\n"
               "       cchc sign test-pki DIR [--unit NAME]\n"
               "Signs FILE with an X.509 certificate (CMS, detached, SHA-256) into FILE.p7s.\n"
               "Layer 1 is the competent person's signature (personal certificate); layer 2 the\n"
               "clerk's (văn thư) with the agency's certificate, over layer 1: it is refused when\n"
               "layer 1 is missing, does not match FILE, or does not chain to --roots.\n"
               "KEY is a PEM private key file or a PKCS#11 URI (pkcs11:token=…;object=…), the\n"
               "token reached through --module (default $CCHC_PKCS11_MODULE, else SoftHSM) with\n"
               "the PIN of $CCHC_PKCS11_PIN. --roots/--crl default to $CCHC_SIGN_ROOTS and\n"
               "$CCHC_SIGN_CRL.\n"
               "test-pki makes a test CA and certificates in DIR (personal, agency, expired,\n"
               "revoked, and a CRL): for demos and tests, never for real documents.\n");
}

static void usage_verify(FILE *f)
{
    fprintf(f,
            "usage: cchc verify [--sig FILE.p7s] [--roots CA.pem] [--crl CRL.pem] [--json] FILE\n"
            "Verifies the two signature layers of FILE (default signature file FILE.p7s):\n"
            "for each, the signer, the signing time, whether the certificate chains to the\n"
            "roots (valid, not revoked) and whether the signed bytes are unchanged.\n"
            "Exit 0 when both layers hold, 1 when not, 2 on bad input.\n");
}

/* Reads a whole file (at most DOC_MAX bytes) into *buf (malloc'd, NUL-terminated). */
int cli_read_file(const char *path, const char *field, char **buf, size_t *len, struct err *e)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(e, ERR_NOT_FOUND, field, "cannot open '%s': %s", path, strerror(errno));
    size_t cap = 65536, n = 0;
    char *b = malloc(cap + 1);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            if (cap >= (size_t)DOC_MAX) {
                free(b);
                fclose(f);
                return err_set(e, ERR_INVALID, field, "'%s': larger than %ld bytes", path, DOC_MAX);
            }
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!b) return err_set(e, ERR_NOMEM, field, "out of memory");
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static const char *env_or(const char *v, const char *env)
{
    if (v) return v;
    const char *x = getenv(env);
    return x && *x ? x : NULL;
}

static int write_file(const char *path, const char *data, size_t len, struct err *e)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return err_set(e, ERR_IO, "sig", "cannot write '%s': %s", tmp, strerror(errno));
    int ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return err_set(e, ERR_IO, "sig", "cannot write '%s'", path);
    }
    return 0;
}

static int test_pki(int argc, char **argv)
{
    struct err e = {0};
    const char *dir = NULL, *unit = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--unit") && i + 1 < argc)
            unit = argv[++i];
        else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("sign", &e);
        }
    }
    if (!dir) {
        err_set(&e, ERR_INVALID, "dir", "test-pki needs a directory");
        return cli_fail("sign", &e);
    }
    if (sign2_make_test_pki(dir, unit, &e)) return cli_fail("sign", &e);
    printf("test PKI in %s: ca.pem, personal.pem/.key, agency.pem/.key, expired.pem/.key, "
           "revoked.pem/.key, crl.pem\n",
           dir);
    return 0;
}

int cmd_sign(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage_sign(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    if (!strcmp(argv[1], "test-pki")) return test_pki(argc, argv);
    struct sign2_signer s = {0};
    struct sign2_trust t = {0};
    const char *file = NULL, *sigpath = NULL;
    int layer = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--layer") && v) {
            layer = (!strcmp(v, "1") ? 1 : !strcmp(v, "2") ? 2 : -1);
            if (layer < 0) {
                err_set(&e, ERR_INVALID, "layer", "'%s': must be 1 (person) or 2 (clerk)", v);
                return cli_fail("sign", &e);
            }
            i++;
        } else if (!strcmp(a, "--key") && v)
            s.key = argv[++i];
        else if (!strcmp(a, "--cert") && v)
            s.cert = argv[++i];
        else if (!strcmp(a, "--module") && v)
            s.module = argv[++i];
        else if (!strcmp(a, "--roots") && v)
            t.roots = argv[++i];
        else if (!strcmp(a, "--crl") && v)
            t.crl = argv[++i];
        else if (!strcmp(a, "--sig") && v)
            sigpath = argv[++i];
        else if (!file && a[0] != '-')
            file = a;
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
            return cli_fail("sign", &e);
        }
    }
    if (!layer || !file) {
        err_set(&e, ERR_INVALID, !layer ? "layer" : "file", "%s",
                !layer ? "--layer 1 or --layer 2 is required" : "no FILE to sign");
        return cli_fail("sign", &e);
    }
    t.roots = env_or(t.roots, "CCHC_SIGN_ROOTS");
    t.crl = env_or(t.crl, "CCHC_SIGN_CRL");
    char defsig[4096];
    if (!sigpath) {
        snprintf(defsig, sizeof defsig, "%s.p7s", file);
        sigpath = defsig;
    }
    char *doc = NULL, *sig = NULL, *out = NULL;
    size_t dl = 0, sl = 0, ol = 0;
    int rc = cli_read_file(file, "file", &doc, &dl, &e);
    if (!rc && layer == 2) {
        rc = cli_read_file(sigpath, "sig", &sig, &sl, &e);
        if (rc == ERR_NOT_FOUND)
            rc = err_set(&e, ERR_CONFLICT, "layer",
                         "layer 1 missing: no signature file '%s'; the clerk signs (layer 2) "
                         "only after the competent person (layer 1)",
                         sigpath);
    }
    if (!rc && layer == 1) {
        FILE *f = fopen(sigpath, "r");
        if (f) {
            fclose(f);
            rc = err_set(&e, ERR_CONFLICT, "sig", "'%s' exists: the document is already signed",
                         sigpath);
        }
    }
    if (!rc) rc = sign2_sign(doc, dl, sig, sl, layer, &s, &t, &out, &ol, &e);
    if (!rc) rc = write_file(sigpath, out, ol, &e);
    free(doc);
    free(sig);
    free(out);
    if (rc) return cli_fail("sign", &e);
    printf("layer %d signed: %s\n", layer, sigpath);
    return 0;
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
    if (!t) {
        snprintf(buf, n, "-");
        return;
    }
    time_t local = (time_t)(t + 7 * 3600); /* Vietnam, UTC+7, no daylight saving */
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S +07:00", &tm);
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int cmd_verify(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage_verify(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    struct sign2_trust t = {0};
    const char *file = NULL, *sigpath = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int hasv = i + 1 < argc;
        if (!strcmp(a, "--sig") && hasv)
            sigpath = argv[++i];
        else if (!strcmp(a, "--roots") && hasv)
            t.roots = argv[++i];
        else if (!strcmp(a, "--crl") && hasv)
            t.crl = argv[++i];
        else if (!strcmp(a, "--json"))
            json = 1;
        else if (!file && a[0] != '-')
            file = a;
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
            return cli_fail("verify", &e);
        }
    }
    if (!file) {
        err_set(&e, ERR_INVALID, "file", "no FILE to verify");
        return cli_fail("verify", &e);
    }
    t.roots = env_or(t.roots, "CCHC_SIGN_ROOTS");
    t.crl = env_or(t.crl, "CCHC_SIGN_CRL");
    if (!t.roots) {
        err_set(&e, ERR_INVALID, "roots", "no trusted roots: give --roots or $CCHC_SIGN_ROOTS");
        return cli_fail("verify", &e);
    }
    char defsig[4096];
    if (!sigpath) {
        snprintf(defsig, sizeof defsig, "%s.p7s", file);
        sigpath = defsig;
    }
    char *doc = NULL, *sig = NULL;
    size_t dl = 0, sl = 0;
    struct sign2_report r;
    int rc = cli_read_file(file, "file", &doc, &dl, &e);
    if (!rc) rc = cli_read_file(sigpath, "sig", &sig, &sl, &e);
    if (!rc) rc = sign2_verify(doc, dl, sig, sl, &t, &r, &e);
    free(doc);
    free(sig);
    if (rc) return cli_fail("verify", &e);
    static const char *names[2] = {"layer 1 (competent person)", "layer 2 (clerk, agency)"};
    if (json) printf("{\"valid\":%s,\"layers\":[", r.valid ? "true" : "false");
    for (int i = 0; i < 2; i++) {
        const struct sign2_layer *l = &r.layer[i];
        char when[40], until[40];
        fmt_time(l->signed_at, when, sizeof when);
        fmt_time(l->not_after, until, sizeof until);
        if (json) {
            printf("%s{\"layer\":%d,\"present\":%s", i ? "," : "", i + 1,
                   l->present ? "true" : "false");
            if (l->present) {
                printf(",\"unchanged\":%s,\"chain_ok\":%s,\"signer\":",
                       l->intact ? "true" : "false", l->chain_ok ? "true" : "false");
                json_str(l->subject);
                printf(",\"issuer\":");
                json_str(l->issuer);
                printf(",\"serial\":");
                json_str(l->serial);
                printf(",\"signed_at\":%lld,\"not_after\":%lld,\"chain_error\":",
                       (long long)l->signed_at, (long long)l->not_after);
                json_str(l->chain_err);
            }
            printf("}");
            continue;
        }
        if (!l->present) {
            printf("%s: MISSING\n", names[i]);
            continue;
        }
        printf("%s: %s\n  signer:    %s\n  issuer:    %s (serial %s)\n  signed at: %s\n"
               "  unchanged: %s\n  chain:     %s%s%s\n  cert valid until: %s\n",
               names[i], l->intact && l->chain_ok ? "OK" : "FAILED", l->subject, l->issuer,
               l->serial, when, l->intact ? "yes" : "NO (signed bytes changed)",
               l->chain_ok ? "ok" : "FAILED", l->chain_ok ? "" : ": ", l->chain_err, until);
    }
    if (json)
        printf("]}\n");
    else
        printf("%s\n", r.valid ? "valid: both layers hold" : "NOT VALID");
    return r.valid ? 0 : 1;
}
