/* bench/sign.c — signatures per second of the two-layer X.509 signing (sign2.h: OpenSSL CMS,
 * RSA-2048, SHA-256, keys as PEM files) in the same run as the baseline it sits beside, the
 * Ed25519 token of the forms' QR codes (docsign.h), over the same 200 KB document: layer 1
 * (the person), layer 2 (the clerk, which first verifies layer 1 and its chain), and the
 * verification of both layers. A PKCS#11 token (SoftHSM) is slower again and is not timed
 * here: tests/cli/t-sign.sh shows it works. Also prints the bytes a two-layer signature adds.
 *
 * usage: bench_sign [--seconds S]   (default 2 per case) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "docsign.h"
#include "sign2.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define DOC_SIZE (200 * 1024)

int main(int argc, char **argv)
{
    double secs = 2;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) secs = atof(argv[++i]);
    struct err e = {0};
    char dir[] = "/tmp/cchc-bench-sign-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char pki[300], keys[300], p[6][400];
    snprintf(pki, sizeof pki, "%s/pki", dir);
    snprintf(keys, sizeof keys, "%s/keys", dir);
    struct docsign *ds = NULL;
    if (sign2_make_test_pki(pki, NULL, &e) || docsign_ensure_key(keys, 0, NULL, NULL, &e) ||
        docsign_open(keys, &ds, &e)) {
        fprintf(stderr, "bench_sign: %s\n", e.msg);
        return 1;
    }
    const char *names[6] = {"personal.key", "personal.pem", "agency.key",
                            "agency.pem",   "ca.pem",       "crl.pem"};
    for (int i = 0; i < 6; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", pki, names[i]);
    struct sign2_signer person = {p[0], p[1], NULL, NULL}, clerk = {p[2], p[3], NULL, NULL};
    struct sign2_trust trust = {p[4], p[5], 0};
    unsigned char *doc = malloc(DOC_SIZE);
    for (size_t i = 0; i < DOC_SIZE; i++)
        doc[i] = (unsigned char)(i * 2654435761u >> 24);

    char *l1 = NULL, *both = NULL;
    size_t l1n = 0, bothn = 0;
    if (sign2_sign(doc, DOC_SIZE, NULL, 0, 1, &person, &trust, &l1, &l1n, &e) ||
        sign2_sign(doc, DOC_SIZE, l1, l1n, 2, &clerk, &trust, &both, &bothn, &e)) {
        fprintf(stderr, "bench_sign: %s\n", e.msg);
        return 1;
    }
    double rate[4];
    const char *label[4] = {"Ed25519 docsign token (baseline)", "layer 1 (person, CMS RSA-2048)",
                            "layer 2 (clerk: verify layer 1 + sign)", "verify both layers"};
    for (int c = 0; c < 4; c++) {
        long n = 0;
        double t0 = now(), t;
        do {
            char tok[DOCSIGN_TOKEN_MAX], *out = NULL;
            size_t on = 0;
            struct sign2_report r;
            int rc = 0;
            if (c == 0)
                rc = docsign_sign(ds, doc, DOC_SIZE, tok, sizeof tok, &e);
            else if (c == 1)
                rc = sign2_sign(doc, DOC_SIZE, NULL, 0, 1, &person, &trust, &out, &on, &e);
            else if (c == 2)
                rc = sign2_sign(doc, DOC_SIZE, l1, l1n, 2, &clerk, &trust, &out, &on, &e);
            else
                rc = sign2_verify(doc, DOC_SIZE, both, bothn, &trust, &r, &e) || !r.valid;
            free(out);
            if (rc) {
                fprintf(stderr, "bench_sign: case %d failed: %s\n", c, e.msg);
                return 1;
            }
            n++;
            t = now() - t0;
        } while (t < secs);
        rate[c] = n / t;
    }
    printf("signing a %d KB document, %.0f s per case\n", DOC_SIZE / 1024, secs);
    for (int c = 0; c < 4; c++)
        printf("  %-40s %10.1f /s   x%.4f of the baseline\n", label[c], rate[c], rate[c] / rate[0]);
    printf("  a two-layer signature file: %zu bytes (layer 1 alone %zu), %.2f%% of the document\n",
           bothn, l1n, 100.0 * (double)bothn / DOC_SIZE);
    free(l1);
    free(both);
    free(doc);
    docsign_close(ds);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
