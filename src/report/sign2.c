/* sign2.c — two-layer X.509 signing and verification with OpenSSL CMS, keys from PEM files or
 * PKCS#11 tokens, and the test PKI of the demo (sign2.h). */
/* The pkcs11 engine (libengine-pkcs11-openssl) is what Debian 12 offers to reach a token
 * from OpenSSL 3.0 (the pkcs11 provider arrives with Debian 13); the ENGINE API it needs is
 * deprecated in 3.0 but present, so its deprecation warnings are silenced in this file only. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sign2.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h, which declares its PEM functions only after it */
#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DEFAULT_MODULE "/usr/lib/softhsm/libsofthsm2.so"

/* OpenSSL's last error as text into e (field, then the caller's words). */
static int ossl_fail(struct err *e, int code, const char *field, const char *what)
{
    unsigned long x = ERR_get_error();
    char buf[200] = "";
    if (x) ERR_error_string_n(x, buf, sizeof buf);
    ERR_clear_error();
    return err_set(e, code, field, "%s%s%s", what, buf[0] ? ": " : "", buf);
}

static EVP_PKEY *load_pem_key(const char *path, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        err_set(e, ERR_IO, "key", "cannot open key '%s': %s", path, strerror(errno));
        return NULL;
    }
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!k) ossl_fail(e, ERR_INVALID, "key", "not a PEM private key");
    return k;
}

/* A key on a PKCS#11 token through the pkcs11 engine; *eng receives the engine, to be
 * finished and freed once the key is no longer used. */
static EVP_PKEY *load_token_key(const struct sign2_signer *s, ENGINE **eng, struct err *e)
{
    const char *module = s->module ? s->module : getenv("CCHC_PKCS11_MODULE");
    if (!module || !*module) module = DEFAULT_MODULE;
    const char *pin = s->pin ? s->pin : getenv("CCHC_PKCS11_PIN");
    ENGINE *en = ENGINE_by_id("pkcs11");
    if (!en) {
        ossl_fail(e, ERR_IO, "key",
                  "the OpenSSL pkcs11 engine is not installed (libengine-pkcs11-openssl)");
        return NULL;
    }
    if (!ENGINE_ctrl_cmd_string(en, "MODULE_PATH", module, 0) ||
        (pin && *pin && !ENGINE_ctrl_cmd_string(en, "PIN", pin, 0)) || !ENGINE_init(en)) {
        ENGINE_free(en);
        ossl_fail(e, ERR_IO, "key", "cannot open the PKCS#11 module");
        return NULL;
    }
    EVP_PKEY *k = ENGINE_load_private_key(en, s->key, NULL, NULL);
    if (!k) {
        ENGINE_finish(en);
        ENGINE_free(en);
        ossl_fail(e, ERR_NOT_FOUND, "key", "no private key on the token for this URI");
        return NULL;
    }
    *eng = en;
    return k;
}

static X509 *load_cert(const char *path, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        err_set(e, ERR_IO, "cert", "cannot open certificate '%s': %s", path, strerror(errno));
        return NULL;
    }
    X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!c) ossl_fail(e, ERR_INVALID, "cert", "not a PEM certificate");
    return c;
}

/* The CMS blocks of a signature file, in order (at most 2); returns how many, -1 when one
 * is malformed or there are more than two. */
static int read_layers(const char *sig, size_t siglen, CMS_ContentInfo *cms[2])
{
    cms[0] = cms[1] = NULL;
    if (!sig || !siglen) return 0;
    BIO *b = BIO_new_mem_buf(sig, (int)siglen);
    int n = 0;
    for (;;) {
        CMS_ContentInfo *c = PEM_read_bio_CMS(b, NULL, NULL, NULL);
        if (!c) break;
        if (n == 2) {
            CMS_ContentInfo_free(c);
            n = -1;
            break;
        }
        cms[n++] = c;
    }
    ERR_clear_error(); /* the end of the file reads as "no start line" */
    BIO_free(b);
    if (n < 0) {
        CMS_ContentInfo_free(cms[0]);
        CMS_ContentInfo_free(cms[1]);
        cms[0] = cms[1] = NULL;
    }
    return n;
}

static int cms_der(CMS_ContentInfo *c, unsigned char **der)
{
    *der = NULL;
    return i2d_CMS_ContentInfo(c, der);
}

static X509_STORE *trust_store(const struct sign2_trust *t, struct err *e)
{
    if (!t || !t->roots || !*t->roots) {
        err_set(e, ERR_INVALID, "roots", "no trusted root certificates configured");
        return NULL;
    }
    X509_STORE *st = X509_STORE_new();
    if (!st || X509_STORE_load_file(st, t->roots) != 1) {
        X509_STORE_free(st);
        ossl_fail(e, ERR_IO, "roots", "cannot read the root certificates");
        return NULL;
    }
    if (t->crl && *t->crl) {
        X509_LOOKUP *lk = X509_STORE_add_lookup(st, X509_LOOKUP_file());
        if (!lk || X509_load_crl_file(lk, t->crl, X509_FILETYPE_PEM) <= 0) {
            X509_STORE_free(st);
            ossl_fail(e, ERR_IO, "crl", "cannot read the revocation list");
            return NULL;
        }
        X509_STORE_set_flags(st, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    }
    return st;
}

static int64_t asn1_time_unix(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) return 0;
    return (int64_t)timegm(&tm);
}

static void name_text(const X509_NAME *n, char *buf, size_t len)
{
    buf[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int k = BIO_read(b, buf, (int)len - 1);
    buf[k > 0 ? k : 0] = '\0';
    BIO_free(b);
}

/* Checks one layer: its signature over content (intact), its signer's chain in st (at
 * trust->now), and the signer's names and signing time into l. */
static void check_layer(CMS_ContentInfo *cms, const void *content, size_t clen, X509_STORE *st,
                        const struct sign2_trust *trust, struct sign2_layer *l)
{
    memset(l, 0, sizeof *l);
    l->present = 1;
    BIO *in = BIO_new_mem_buf(content, (int)clen);
    l->intact = CMS_verify(cms, NULL, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    BIO_free(in);
    ERR_clear_error();
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
        l->intact = 0;
        snprintf(l->chain_err, sizeof l->chain_err, "expected exactly one signer");
        return;
    }
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
    X509 *signer = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
    if (!signer) {
        /* the signer's certificate travels in the file (CMS_sign puts it there) */
        STACK_OF(X509) *certs = CMS_get1_certs(cms);
        for (int i = 0; certs && i < sk_X509_num(certs); i++)
            if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) {
                signer = sk_X509_value(certs, i);
                CMS_SignerInfo_set1_signer_cert(si, signer);
                break;
            }
        sk_X509_pop_free(certs, X509_free);
        CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
    }
    int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (at >= 0) {
        ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
        if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
            l->signed_at = asn1_time_unix((const ASN1_TIME *)t->value.asn1_string);
    }
    if (!signer) {
        snprintf(l->chain_err, sizeof l->chain_err, "the signer's certificate is missing");
        return;
    }
    name_text(X509_get_subject_name(signer), l->subject, sizeof l->subject);
    name_text(X509_get_issuer_name(signer), l->issuer, sizeof l->issuer);
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(signer), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    snprintf(l->serial, sizeof l->serial, "%s", hex ? hex : "");
    OPENSSL_free(hex);
    BN_free(bn);
    l->not_after = asn1_time_unix(X509_get0_notAfter(signer));
    if (!st) {
        snprintf(l->chain_err, sizeof l->chain_err, "no trusted roots");
        return;
    }
    STACK_OF(X509) *untrusted = CMS_get1_certs(cms);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (ctx && X509_STORE_CTX_init(ctx, st, signer, untrusted) == 1) {
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
        if (trust && trust->now) X509_STORE_CTX_set_time(ctx, 0, (time_t)trust->now);
        l->chain_ok = X509_verify_cert(ctx) == 1;
        if (!l->chain_ok)
            snprintf(l->chain_err, sizeof l->chain_err, "%s",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    ERR_clear_error();
}

int sign2_verify(const void *doc, size_t len, const char *sig, size_t siglen,
                 const struct sign2_trust *trust, struct sign2_report *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    CMS_ContentInfo *cms[2];
    int n = read_layers(sig, siglen, cms);
    if (n <= 0)
        return err_set(e, ERR_INVALID, "signature",
                       n < 0 ? "the signature file holds a malformed CMS block or more than two"
                             : "the signature file holds no CMS signature");
    struct err te;
    X509_STORE *st = trust_store(trust, &te);
    check_layer(cms[0], doc, len, st, trust, &r->layer[0]);
    if (n == 2) {
        unsigned char *der = NULL;
        int dl = cms_der(cms[0], &der);
        if (dl > 0) check_layer(cms[1], der, (size_t)dl, st, trust, &r->layer[1]);
        OPENSSL_free(der);
    }
    r->valid = n == 2;
    for (int i = 0; i < 2; i++)
        r->valid = r->valid && r->layer[i].intact && r->layer[i].chain_ok;
    X509_STORE_free(st);
    CMS_ContentInfo_free(cms[0]);
    CMS_ContentInfo_free(cms[1]);
    return 0;
}

static int append_pem(BIO *out, CMS_ContentInfo *c)
{
    return PEM_write_bio_CMS(out, c) == 1;
}

int sign2_sign(const void *doc, size_t len, const char *sig, size_t siglen, int layer,
               const struct sign2_signer *s, const struct sign2_trust *trust, char **out,
               size_t *outlen, struct err *e)
{
    *out = NULL;
    *outlen = 0;
    if (layer != 1 && layer != 2)
        return err_set(e, ERR_INVALID, "layer", "'%d': must be 1 (person) or 2 (clerk)", layer);
    if (!s || !s->key || !*s->key) return err_set(e, ERR_INVALID, "key", "no signing key given");
    if (!s->cert || !*s->cert)
        return err_set(e, ERR_INVALID, "cert", "no signer certificate given");
    CMS_ContentInfo *prev[2];
    int n = read_layers(sig, siglen, prev);
    if (n < 0)
        return err_set(e, ERR_INVALID, "signature",
                       "the signature file holds a malformed CMS block");
    int rc = 0;
    unsigned char *der = NULL;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    ENGINE *eng = NULL;
    BIO *in = NULL, *pem = NULL;
    CMS_ContentInfo *cms = NULL;
    const void *content = doc;
    size_t clen = len;
    if (layer == 1 && n > 0) {
        rc = err_set(e, ERR_CONFLICT, "layer", "the document is already signed (layer 1 exists)");
        goto out;
    }
    if (layer == 2) {
        if (n == 0) {
            rc = err_set(e, ERR_CONFLICT, "layer",
                         "layer 1 missing: the clerk signs (layer 2) only after the competent "
                         "person (layer 1)");
            goto out;
        }
        if (n == 2) {
            rc = err_set(e, ERR_CONFLICT, "layer", "the document already has both layers");
            goto out;
        }
        struct sign2_report r;
        struct err te;
        X509_STORE *st = trust_store(trust, &te);
        if (!st) {
            rc = err_set(e, te.code, te.field, "%s", te.msg);
            goto out;
        }
        check_layer(prev[0], doc, len, st, trust, &r.layer[0]);
        X509_STORE_free(st);
        if (!r.layer[0].intact) {
            rc = err_set(e, ERR_CONFLICT, "layer",
                         "layer 1 does not match this document (changed after signing?)");
            goto out;
        }
        if (!r.layer[0].chain_ok) {
            rc = err_set(e, ERR_CONFLICT, "layer", "layer 1's certificate does not hold: %s",
                         r.layer[0].chain_err);
            goto out;
        }
        int dl = cms_der(prev[0], &der);
        if (dl <= 0) {
            rc = ossl_fail(e, ERR_INTERNAL, "signature", "cannot encode layer 1");
            goto out;
        }
        content = der;
        clen = (size_t)dl;
    }
    if (!(cert = load_cert(s->cert, e))) {
        rc = e ? e->code : ERR_INVALID;
        goto out;
    }
    if (layer == 2) {
        STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(prev[0]);
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
        if (si && CMS_SignerInfo_cert_cmp(si, cert) == 0) {
            rc = err_set(e, ERR_CONFLICT, "cert",
                         "layer 2 needs the agency's certificate, not layer 1's own");
            goto out;
        }
    }
    key = strncmp(s->key, "pkcs11:", 7) ? load_pem_key(s->key, e) : load_token_key(s, &eng, e);
    if (!key) {
        rc = e ? e->code : ERR_INVALID;
        goto out;
    }
    if (X509_check_private_key(cert, key) != 1) {
        rc = ossl_fail(e, ERR_INVALID, "key", "the key does not belong to the certificate");
        goto out;
    }
    in = BIO_new_mem_buf(content, (int)clen);
    cms = CMS_sign(cert, key, NULL, in, CMS_DETACHED | CMS_BINARY);
    if (!cms) {
        rc = ossl_fail(e, ERR_INTERNAL, "signature", "signing failed");
        goto out;
    }
    pem = BIO_new(BIO_s_mem());
    if ((layer == 2 && !append_pem(pem, prev[0])) || !append_pem(pem, cms)) {
        rc = ossl_fail(e, ERR_INTERNAL, "signature", "cannot write the signature");
        goto out;
    }
    char *p;
    long pl = BIO_get_mem_data(pem, &p);
    if (!(*out = malloc((size_t)pl + 1))) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    memcpy(*out, p, (size_t)pl);
    (*out)[pl] = '\0';
    *outlen = (size_t)pl;
out:
    CMS_ContentInfo_free(cms);
    CMS_ContentInfo_free(prev[0]);
    CMS_ContentInfo_free(prev[1]);
    BIO_free(in);
    BIO_free(pem);
    EVP_PKEY_free(key);
    X509_free(cert);
    OPENSSL_free(der);
    if (eng) {
        ENGINE_finish(eng);
        ENGINE_free(eng);
    }
    ERR_clear_error();
    return rc;
}

/* ---- the test PKI ---- */

static EVP_PKEY *rsa_key(void)
{
    return EVP_RSA_gen(2048);
}

static int add_ext(X509 *c, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, c, NULL, NULL, 0);
    X509_EXTENSION *x = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!x) return 0;
    int ok = X509_add_ext(c, x, -1);
    X509_EXTENSION_free(x);
    return ok;
}

/* A certificate for key with subject (CN, O), valid from now+from to now+to seconds, issued by
 * (issuer, ikey) or self-signed when issuer is NULL. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *o, long serial, long from,
                       long to, X509 *issuer, EVP_PKEY *ikey, int ca)
{
    X509 *c = X509_new();
    if (!c) return NULL;
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
    X509_gmtime_adj(X509_getm_notBefore(c), from);
    X509_gmtime_adj(X509_getm_notAfter(c), to);
    X509_set_pubkey(c, key);
    X509_NAME *n = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8, (const unsigned char *)"VN", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)o, -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n);
    X509 *iss = issuer ? issuer : c;
    int ok =
        add_ext(c, iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
        add_ext(c, iss, NID_key_usage,
                ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation") &&
        add_ext(c, iss, NID_subject_key_identifier, "hash") &&
        add_ext(c, iss, NID_authority_key_identifier, "keyid:always") &&
        X509_sign(c, ikey ? ikey : key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(c);
        return NULL;
    }
    return c;
}

static int write_pem(const char *dir, const char *name, X509 *c, EVP_PKEY *k, X509_CRL *crl,
                     struct err *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return err_set(e, ERR_IO, "dir", "cannot write '%s': %s", path, strerror(errno));
    if (k) fchmod(fileno(f), 0600);
    int ok = c   ? PEM_write_X509(f, c)
             : k ? PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL)
                 : PEM_write_X509_CRL(f, crl);
    if (fclose(f) != 0) ok = 0;
    return ok ? 0 : ossl_fail(e, ERR_IO, "dir", "cannot write a PEM file");
}

int sign2_make_test_pki(const char *dir, const char *unit, struct err *e)
{
    if (!unit || !*unit) unit = "UBND xã Demo";
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "dir", "cannot create '%s': %s", dir, strerror(errno));
    const long day = 86400, year = 365 * day;
    struct {
        const char *name, *cn;
        long serial, from, to;
    } leaf[] = {
        {"personal", "Nguyễn Văn An (Chủ tịch)", 2, -day, 2 * year},
        {"agency", unit, 3, -day, 2 * year},
        {"expired", "Trần Thị Bình (hết hạn)", 4, -2 * year, -year},
        {"revoked", "Lê Văn Cường (thu hồi)", 5, -day, 2 * year},
    };
    int rc = 0;
    EVP_PKEY *cak = rsa_key();
    X509 *ca = cak ? make_cert(cak, "CA thử nghiệm cchc", "cchc (thử nghiệm)", 1, -day, 10 * year,
                               NULL, NULL, 1)
                   : NULL;
    if (!ca) {
        rc = ossl_fail(e, ERR_INTERNAL, "pki", "cannot make the test CA");
        goto out;
    }
    if ((rc = write_pem(dir, "ca.pem", ca, NULL, NULL, e)) ||
        (rc = write_pem(dir, "ca.key", NULL, cak, NULL, e)))
        goto out;
    for (size_t i = 0; i < sizeof leaf / sizeof leaf[0]; i++) {
        EVP_PKEY *k = rsa_key();
        X509 *c =
            k ? make_cert(k, leaf[i].cn, unit, leaf[i].serial, leaf[i].from, leaf[i].to, ca, cak, 0)
              : NULL;
        char cn[64], kn[64];
        snprintf(cn, sizeof cn, "%s.pem", leaf[i].name);
        snprintf(kn, sizeof kn, "%s.key", leaf[i].name);
        if (!c) rc = ossl_fail(e, ERR_INTERNAL, "pki", "cannot make a test certificate");
        if (!rc) rc = write_pem(dir, cn, c, NULL, NULL, e);
        if (!rc) rc = write_pem(dir, kn, NULL, k, NULL, e);
        X509_free(c);
        EVP_PKEY_free(k);
        if (rc) goto out;
    }
    /* the CRL: serial 5 (revoked.pem) revoked yesterday */
    X509_CRL *crl = X509_CRL_new();
    X509_REVOKED *rv = X509_REVOKED_new();
    ASN1_INTEGER *sn = ASN1_INTEGER_new();
    ASN1_TIME *t = X509_gmtime_adj(NULL, -day), *up = X509_gmtime_adj(NULL, 0),
              *next = X509_gmtime_adj(NULL, 30 * day);
    int ok = crl && rv && sn && t && up && next && X509_CRL_set_version(crl, 1) &&
             X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) &&
             X509_CRL_set1_lastUpdate(crl, up) && X509_CRL_set1_nextUpdate(crl, next) &&
             ASN1_INTEGER_set(sn, 5) && X509_REVOKED_set_serialNumber(rv, sn) &&
             X509_REVOKED_set_revocationDate(rv, t) && X509_CRL_add0_revoked(crl, rv);
    if (ok) rv = NULL; /* owned by the CRL now */
    ok = ok && X509_CRL_sort(crl) && X509_CRL_sign(crl, cak, EVP_sha256()) > 0;
    if (!ok)
        rc = ossl_fail(e, ERR_INTERNAL, "pki", "cannot make the test CRL");
    else
        rc = write_pem(dir, "crl.pem", NULL, NULL, crl, e);
    X509_REVOKED_free(rv);
    ASN1_INTEGER_free(sn);
    ASN1_TIME_free(t);
    ASN1_TIME_free(up);
    ASN1_TIME_free(next);
    X509_CRL_free(crl);
out:
    X509_free(ca);
    EVP_PKEY_free(cak);
    return rc;
}
