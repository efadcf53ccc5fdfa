/* sign2.h — two-layer digital signing (ký số 2 lớp) of a document with X.509 certificates
 * (OpenSSL CMS, RFC 5652), beside the Ed25519 tokens of the forms' QR codes (docsign.h).
 *
 * Layer 1 is the competent person's signature with a personal certificate: a detached CMS
 * SignedData over the document's bytes (SHA-256, signing time as a signed attribute).
 * Layer 2 is the office clerk's (văn thư) signature with the agency's certificate, made
 * after layer 1 and over it: a detached CMS SignedData whose content is the DER of layer 1.
 * Layer 1 holds the document's digest, so layer 2 covers the document and the person's
 * signature together — a countersignature in the sense of RFC 5652 §11.4 (a signature over a
 * signature), carried as a second structure rather than as the unsigned attribute.
 *
 * A signature file (by convention FILE.p7s) is one or two PEM "CMS" blocks: layer 1, then
 * layer 2. Keys are PEM files (PKCS#8) or PKCS#11 objects named by an RFC 7512 URI
 * ("pkcs11:token=…;object=…"), the way officials sign with USB tokens; the token is reached
 * through OpenSSL's pkcs11 engine (libengine-pkcs11-openssl) and the module named by the
 * caller (e.g. SoftHSM's /usr/lib/softhsm/libsofthsm2.so). */
#ifndef CCHC_SIGN2_H
#define CCHC_SIGN2_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Who signs: key is a PEM file path or a "pkcs11:" URI; cert a PEM file of the signer's
 * certificate; module the PKCS#11 library for a pkcs11 key (NULL: $CCHC_PKCS11_MODULE, else
 * SoftHSM's); pin the token's user PIN (NULL: $CCHC_PKCS11_PIN, or pin-value in the URI). */
struct sign2_signer {
    const char *key;
    const char *cert;
    const char *module;
    const char *pin;
};

/* What a verification trusts: roots a PEM file of CA certificates (required), crl a PEM
 * file of certificate revocation lists (NULL: no revocation check). now 0 = the current
 * time, else the instant (Unix seconds) at which validity is judged. */
struct sign2_trust {
    const char *roots;
    const char *crl;
    int64_t now;
};

struct sign2_layer {
    int present;         /* the signature file has this layer */
    int intact;          /* its signature matches the signed bytes (document unchanged) */
    int chain_ok;        /* the signer's certificate chains to a root, valid, not revoked */
    char chain_err[160]; /* why not, from OpenSSL's verifier ("certificate revoked" …) */
    char subject[256];   /* signer's subject, RFC 2253, UTF-8 */
    char issuer[256];
    char serial[80];   /* hex */
    int64_t signed_at; /* signingTime attribute, Unix seconds (0 when absent) */
    int64_t not_after; /* end of the certificate's validity, Unix seconds */
};

struct sign2_report {
    struct sign2_layer layer[2];
    int valid; /* both layers present, intact and chained */
};

/* Signs doc (len bytes) at layer 1 or 2. sig/siglen: the signature file so far (NULL/0 for
 * layer 1). Layer 2 needs a layer 1 that verifies against doc under trust (ERR_CONFLICT
 * "layer 1 missing" otherwise, or the reason it fails) and a certificate other than layer
 * 1's; layer 1 refuses a file that already holds a signature. On success *out (malloc'd,
 * NUL-terminated PEM, *outlen bytes) is the whole new signature file. */
int sign2_sign(const void *doc, size_t len, const char *sig, size_t siglen, int layer,
               const struct sign2_signer *s, const struct sign2_trust *trust, char **out,
               size_t *outlen, struct err *e);

/* Verifies sig against doc: fills r for each layer present. Returns 0 when the file could be
 * read (r->valid says whether it holds), ERR_INVALID when sig holds no CMS block. */
int sign2_verify(const void *doc, size_t len, const char *sig, size_t siglen,
                 const struct sign2_trust *trust, struct sign2_report *r, struct err *e);

/* Makes a test PKI in dir (created, mode 0700): ca.pem/ca.key (a root CA), personal.pem/.key
 * (a competent person), agency.pem/.key (the agency, for the clerk), expired.pem/.key (valid
 * last year only), revoked.pem/.key and crl.pem (a CRL of the CA revoking it). RSA 2048,
 * SHA-256; keys PKCS#8 PEM (importable into a token with softhsm2-util --import). unit names
 * the agency in the subjects (NULL: "UBND xã Demo"). For the demo and the tests only. */
int sign2_make_test_pki(const char *dir, const char *unit, struct err *e);

#endif
