/* cmd_form.c — `cchc dossier form CODE --form NN --out FILE.pdf`: prints one form of a
 * dossier (the receipt, a supplement request, a refusal, an apology, a stop notice, the
 * control sheet) as an A4 PDF with its verification QR code, signed with the server's key
 * (docsign.h; `cchc init` creates it). The form's number and circular follow the day the
 * document was issued (data/forms/). Nothing is written when the form does not apply. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "docsign.h"
#include "forms_doc.h"
#include "forms_pdf.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc dossier form CODE --form NN --out FILE.pdf [--db FILE] [--data DIR]\n"
               "                         [--keys DIR] [--base-url URL]\n"
               "Writes form NN of dossier CODE as an A4 PDF with a QR code that proves it:\n"
               "  01 receipt and appointment, 02 request to supplement, 03 refusal, 04 apology,\n"
               "  05 notice of stopping processing, 06 processing control sheet (Circular\n"
               "  03/2025/TT-VPCP, documents issued from 15/9/2025); before, Circular\n"
               "  01/2018/TT-VPCP: 01-04 the same, 05 control sheet. The tracking book (07, 06\n"
               "  before) covers a unit and period: cchc report book.\n"
               "--keys: the signing key directory (default: the database path + .keys, as\n"
               "  cchc init and cchc serve use it).\n"
               "--base-url: the server's public address in the QR code (default\n"
               "  $CCHC_PUBLIC_URL, else http://127.0.0.1:8080).\n");
}

const char *cli_keys_dir(const char *flag, const char *db, char *buf, unsigned long n,
                         struct err *e)
{
    if (flag && *flag) return flag;
    return docsign_default_dir(cli_db_path(db), buf, n, e) ? NULL : buf;
}

/* Writes data to path through a temporary file beside it, so a failure leaves nothing. */
static int write_atomic(const char *path, const unsigned char *data, size_t len, struct err *e)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return err_set(e, ERR_IO, "--out", "%s: cannot create: %s", path, strerror(errno));
    int ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        int er = errno;
        unlink(tmp);
        return err_set(e, ERR_IO, "--out", "%s: cannot write: %s", path, strerror(er));
    }
    return 0;
}

int cmd_dossier_form(int argc, char **argv)
{
    const char *code = NULL, *form = NULL, *out = NULL, *db = NULL, *data = NULL, *keys = NULL,
               *base = NULL;
    struct err e = {0};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = !strcmp(a, "--form")       ? &form
                           : !strcmp(a, "--out")      ? &out
                           : !strcmp(a, "--db")       ? &db
                           : !strcmp(a, "--data")     ? &data
                           : !strcmp(a, "--keys")     ? &keys
                           : !strcmp(a, "--base-url") ? &base
                                                      : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (dst) {
            if (i + 1 >= argc) {
                err_set(&e, ERR_INVALID, a, "%s needs a value (see --help)", a);
                return cli_fail("dossier form", &e);
            }
            *dst = argv[++i];
        } else if (a[0] != '-' && !code) {
            code = a;
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
            return cli_fail("dossier form", &e);
        }
    }
    if (!code || !form || !out) {
        err_set(&e, ERR_INVALID,
                !code   ? "code"
                : !form ? "--form"
                        : "--out",
                "'dossier form' needs CODE, --form NN and --out FILE.pdf (see --help)");
        return cli_fail("dossier form", &e);
    }
    if (!base) base = getenv("CCHC_PUBLIC_URL");
    if (!base || !*base) base = "http://127.0.0.1:8080";
    if (strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) {
        err_set(&e, ERR_INVALID, "--base-url",
                "--base-url '%.80s': must start with http:// or https://", base);
        return cli_fail("dossier form", &e);
    }
    char kbuf[4200];
    const char *kdir = cli_keys_dir(keys, db, kbuf, sizeof kbuf, &e);
    if (!kdir) return cli_fail("dossier form", &e);
    struct forms *reg = NULL;
    struct docsign *ds = NULL;
    struct store *s = NULL;
    struct form_doc *doc = malloc(sizeof *doc);
    unsigned char *pdf = NULL;
    size_t len = 0;
    char url[1024];
    int rc;
    if (!doc) {
        rc = err_set(&e, ERR_NOMEM, "form", "out of memory");
        goto out;
    }
    if ((rc = forms_load(cli_data_dir(data), &reg, &e)) || (rc = docsign_open(kdir, &ds, &e)))
        goto out;
    if ((rc = cli_store_open("dossier form", db, 0, &s))) goto done;
    if ((rc = form_doc_build(s, reg, code, form, doc, &e)) ||
        (rc = form_doc_verify_url(doc, ds, base, url, sizeof url, &e)) ||
        (rc = form_pdf_render(doc, url, &pdf, &len, &e)) || (rc = write_atomic(out, pdf, len, &e)))
        goto out;
    printf("cchc dossier form: wrote %s (%zu bytes): Mẫu số %s, %s — %s\n", out, len,
           doc->def->number, doc->def->circular, doc->def->title);
    printf("xác thực: %s\n", url);
out:
    if (rc) rc = cli_fail("dossier form", &e);
done:
    free(pdf);
    free(doc);
    if (s) store_close(s);
    docsign_close(ds);
    forms_free(reg);
    return rc;
}
