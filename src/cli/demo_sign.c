/* demo_sign.c — the demo's X.509 signing material (docs/digitisation.md): at start-up, unless
 * sign_dir is set, a test CA, certificates and CRL beside the demo database (DB.sign), with
 * the leader of Mỹ Tho signing layer 1 with the personal certificate and its desk officer
 * signing layer 2 (as the clerk) with the agency's. Test keys only, made once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "sign2.h"

static int copy_file(const char *dir, const char *from, const char *to, struct err *e)
{
    char a[CONFIG_STR_MAX + 64], b[CONFIG_STR_MAX + 64], buf[8192];
    snprintf(a, sizeof a, "%s/%s", dir, from);
    snprintf(b, sizeof b, "%s/%s", dir, to);
    FILE *in = fopen(a, "rb"), *out = in ? fopen(b, "wb") : NULL;
    int ok = in && out;
    size_t n;
    if (out) fchmod(fileno(out), 0600);
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = 0;
    return ok ? 0
              : err_set(e, ERR_IO, "sign_dir", "cannot copy %s to %s: %s", a, b, strerror(errno));
}

int demo_sign_dir(struct serve_config *cfg, struct err *e)
{
    if (cfg->sign_dir[0]) return 0;
    const char *db = strncmp(cfg->db, "sqlite:", 7) ? cfg->db : cfg->db + 7;
    if (strstr(db, "://")) return 0; /* a PostgreSQL demo: no file to keep them beside */
    if ((size_t)snprintf(cfg->sign_dir, sizeof cfg->sign_dir, "%.*s.sign", (int)strcspn(db, "?"),
                         db) >= sizeof cfg->sign_dir)
        return err_set(e, ERR_INVALID, "sign_dir", "sign_dir: path too long");
    char ca[CONFIG_STR_MAX + 16];
    snprintf(ca, sizeof ca, "%s/ca.pem", cfg->sign_dir);
    struct stat st;
    if (stat(ca, &st) == 0) return 0;
    int rc = sign2_make_test_pki(cfg->sign_dir, "UBND phường Mỹ Tho", e);
    if (!rc) rc = copy_file(cfg->sign_dir, "personal.pem", "lanhdao.mytho.pem", e);
    if (!rc) rc = copy_file(cfg->sign_dir, "personal.key", "lanhdao.mytho.key", e);
    if (!rc) rc = copy_file(cfg->sign_dir, "agency.pem", "motcua.mytho.pem", e);
    if (!rc) rc = copy_file(cfg->sign_dir, "agency.key", "motcua.mytho.key", e);
    if (!rc)
        printf("cchc demo: test CA and signing certificates in %s (layer 1: lanhdao.mytho, "
               "layer 2: motcua.mytho)\n",
               cfg->sign_dir);
    return rc;
}
