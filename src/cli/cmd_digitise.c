/* cmd_digitise.c — `cchc digitise`: scan or upload a dossier's components (a fact per
 * component), reuse a registered electronic result as a component, register a solved
 * dossier's electronic result, sign it in two layers, find it by number or citizen ID, and
 * compute the Decision 766 digitisation indicators from these facts with drill-down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "digistore.h"
#include "indicators.h"
#include "sign2.h"
#include "store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc digitise add DOSSIER --doc N --file FILE [--name NAME] --actor USER\n"
               "       cchc digitise reuse DOSSIER --doc N --result NO --actor USER\n"
               "       cchc digitise list DOSSIER\n"
               "       cchc digitise result-add DOSSIER --no NO --title TITLE --file FILE.pdf "
               "--actor USER\n"
               "       cchc digitise result-sign NO --layer 1|2 --key KEY --cert CERT.pem "
               "--actor USER\n"
               "                 [--module LIB.so] [--roots CA.pem] [--crl CRL.pem]\n"
               "       cchc digitise result-get NO --out FILE.pdf   (writes FILE.pdf.p7s too)\n"
               "       cchc digitise find (--no NO | --citizen ID)\n"
               "       cchc digitise indicators [--unit CODE] --from YYYY-MM-DD --to YYYY-MM-DD "
               "[--drill 4.1|4.2|4.3]\n"
               "Every command takes [--db FILE] [--at YYYY-MM-DDTHH:MM] [--max-size BYTES].\n"
               "add keeps a scanned or uploaded file (PDF, JPEG, PNG, TIFF; type read from the\n"
               "content) as component N of the dossier's procedure document list; reuse takes\n"
               "a registered result of the same citizen instead. result-add registers a solved\n"
               "dossier's electronic result (PDF); result-sign adds signature layer 1 (competent\n"
               "person) or 2 (clerk, agency certificate, after layer 1). indicators computes 766\n"
               "indicators 4.1 (electronic results), 4.2 (components digitised) and 4.3 (reuse)\n"
               "from these facts; --drill lists the dossiers behind one of them.\n");
}

struct opts {
    const char *db, *at, *file, *name, *actor, *result, *no, *title, *out, *citizen, *unit, *from,
        *to, *drill, *key, *cert, *module, *roots, *crl;
    int doc, layer;
    long long max;
    const char *arg; /* the positional argument */
};

static int parse(int argc, char **argv, struct opts *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    struct {
        const char *flag;
        const char **dst;
    } tab[] = {{"--db", &o->db},           {"--at", &o->at},         {"--file", &o->file},
               {"--name", &o->name},       {"--actor", &o->actor},   {"--result", &o->result},
               {"--no", &o->no},           {"--title", &o->title},   {"--out", &o->out},
               {"--citizen", &o->citizen}, {"--unit", &o->unit},     {"--from", &o->from},
               {"--to", &o->to},           {"--drill", &o->drill},   {"--key", &o->key},
               {"--cert", &o->cert},       {"--module", &o->module}, {"--roots", &o->roots},
               {"--crl", &o->crl}};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int done = 0;
        if (i + 1 < argc) {
            for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++)
                if (!strcmp(a, tab[k].flag)) {
                    *tab[k].dst = argv[++i];
                    done = 1;
                    break;
                }
            if (!done &&
                (!strcmp(a, "--doc") || !strcmp(a, "--layer") || !strcmp(a, "--max-size"))) {
                char *end;
                long long v = strtoll(argv[i + 1], &end, 10);
                if (!*argv[i + 1] || *end || v < 0 || v > 1LL << 40)
                    return err_set(e, ERR_INVALID, a + 2, "%s '%s': must be a whole number", a,
                                   argv[i + 1]);
                if (!strcmp(a, "--doc"))
                    o->doc = (int)(v > 1000 ? 1000 : v);
                else if (!strcmp(a, "--layer"))
                    o->layer = (int)(v > 9 ? 9 : v);
                else
                    o->max = v;
                i++;
                done = 1;
            }
        }
        if (!done && !o->arg && a[0] != '-') {
            o->arg = a;
            done = 1;
        }
        if (!done)
            return err_set(e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
    }
    return 0;
}

static int need(const char *v, const char *what, struct err *e)
{
    return v && *v ? 0 : err_set(e, ERR_INVALID, what, "%s is required (see --help)", what);
}

static int64_t now_local(void)
{
    return ((int64_t)time(NULL) + 7 * 3600) / 60;
}

static void print_component(const struct digi_component *c)
{
    char at[20];
    printf("%d\t%s\t%s\t%s\t%lld\t%.12s\t%s\t%s\t%s\n", c->doc_index, c->doc_name, c->name, c->mime,
           (long long)c->size, c->sha256, instant_format(c->at, at), c->by,
           c->reused_from[0] ? c->reused_from : "-");
}

static int list_cb(const struct digi_component *c, void *ctx)
{
    (void)ctx;
    print_component(c);
    return 0;
}

static int print_result(const struct digi_result *r, void *ctx)
{
    (void)ctx;
    char at[20], id[APPLICANT_IDNO_MAX];
    printf("%s\t%s\t%s\t%s\t%s\t%s\tlớp ký: %d\n", r->result_no, r->dossier, r->unit,
           r->citizen_id[0] ? applicant_mask(r->citizen_id, id, sizeof id) : "-", r->title,
           instant_format(r->issued_at, at), r->layers);
    return 0;
}

static int write_all(const char *path, const void *p, size_t n, struct err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f) return err_set(e, ERR_IO, "out", "cannot write '%s'", path);
    int ok = fwrite(p, 1, n, f) == n;
    if (fclose(f) != 0) ok = 0;
    return ok ? 0 : err_set(e, ERR_IO, "out", "cannot write '%s'", path);
}

static int result_sign(struct store *s, const struct opts *o, int64_t at, struct err *e)
{
    struct digi_result r;
    char *sig = NULL, *out = NULL;
    void *doc = NULL;
    size_t dl = 0, ol = 0;
    int rc = need(o->actor, "--actor", e);
    if (!rc && o->layer != 1 && o->layer != 2)
        rc = err_set(e, ERR_INVALID, "layer", "--layer must be 1 (person) or 2 (clerk)");
    if (!rc) rc = store_digi_result_get(s, o->arg, &r, &sig, e);
    if (!rc) rc = store_digi_blob_get(s, r.sha256, r.province, &doc, &dl, e);
    if (!rc) {
        struct sign2_signer sg = {o->key, o->cert, o->module, NULL};
        const char *roots = o->roots ? o->roots : getenv("CCHC_SIGN_ROOTS");
        const char *crl = o->crl ? o->crl : getenv("CCHC_SIGN_CRL");
        struct sign2_trust t = {roots, crl, 0};
        rc = sign2_sign(doc, dl, sig, sig ? strlen(sig) : 0, o->layer, &sg, &t, &out, &ol, e);
    }
    if (!rc) rc = store_digi_result_sign(s, r.result_no, o->layer, out, o->actor, at, e);
    if (!rc) printf("%s\tlớp %d đã ký\n", r.result_no, o->layer);
    free(sig);
    free(doc);
    free(out);
    return rc;
}

static int result_get(struct store *s, const struct opts *o, struct err *e)
{
    struct digi_result r;
    char *sig = NULL;
    void *doc = NULL;
    size_t dl = 0;
    int rc = need(o->out, "--out", e);
    if (!rc) rc = store_digi_result_get(s, o->arg, &r, &sig, e);
    if (!rc) rc = store_digi_blob_get(s, r.sha256, r.province, &doc, &dl, e);
    if (!rc) rc = write_all(o->out, doc, dl, e);
    if (!rc && sig) {
        char p[4200];
        snprintf(p, sizeof p, "%s.p7s", o->out);
        rc = write_all(p, sig, strlen(sig), e);
    }
    if (!rc) printf("%s\t%zu bytes\tlớp ký: %d\n", o->out, dl, r.layers);
    free(sig);
    free(doc);
    return rc;
}

struct drill {
    const char *metric;
};

static int drill_cb(const struct digi_dossier_fact *f, void *ctx)
{
    struct drill *d = ctx;
    if (!strcmp(d->metric, "result_electronic")) {
        if (!f->solved) return 0;
        printf("%s\t%s\n", f->d->code, f->e_result ? "có kết quả điện tử" : "chưa");
    } else if (!strcmp(d->metric, "components_digitised")) {
        printf("%s\t%d/%d thành phần\t%s\n", f->d->code, f->ndigitised, f->ndocs,
               f->complete   ? "đã số hóa"
               : f->declared ? "đã số hóa (khai báo khi tiếp nhận)"
                             : "chưa đủ");
    } else {
        printf("%s\t%s\n", f->d->code, f->reused ? "có tái sử dụng" : "không");
    }
    return 0;
}

static int indicators(struct store *s, const struct opts *o, struct err *e)
{
    struct ymd a, b;
    int rc = need(o->from, "--from", e);
    if (!rc) rc = need(o->to, "--to", e);
    if (!rc) rc = ymd_parse(o->from, &a, "from", e);
    if (!rc) rc = ymd_parse(o->to, &b, "to", e);
    if (rc) return rc;
    struct indicator_set *set = calloc(1, sizeof *set);
    if (!set) return err_set(e, ERR_NOMEM, "", "out of memory");
    rc = indicator_set_load(cli_data_dir(NULL), "766-2022", set, e);
    const char *dm = NULL;
    if (!rc && o->drill && !(dm = digitise_metric_of(o->drill)))
        rc = err_set(e, ERR_INVALID, "drill", "--drill '%s': must be 4.1, 4.2 or 4.3", o->drill);
    struct digitise_figures f;
    struct drill d = {dm};
    if (!rc)
        rc = store_digi_figures(s, o->unit, ymd_to_days(a), ymd_to_days(b), &f,
                                dm ? drill_cb : NULL, &d, e);
    if (!rc && !dm) {
        for (int i = 0; i < set->n; i++) {
            const struct indicator *ind = &set->ind[i];
            const char *m = digitise_metric_of(ind->id);
            struct ind_input in;
            if (!m || !digitise_indicator_input(m, &f, &in)) continue;
            char pts[32];
            int64_t p = indicator_points(ind, &in);
            if (in.has) {
                char pct[32];
                snprintf(pct, sizeof pct, "%.1f%%", 100.0 * (double)in.num / (double)in.den);
                char *dot = strchr(pct, '.');
                if (dot) *dot = ','; /* Vietnamese decimal comma */
                printf("%s\t%s\t%lld/%lld\t%s\t%s/%d điểm\n", ind->id, ind->name, (long long)in.num,
                       (long long)in.den, pct,
                       p >= 0 ? ind_points_format(p, 2, pts, sizeof pts) : "-", ind->max);
            } else
                printf("%s\t%s\t0/0\tkhông có hồ sơ\t-/%d điểm\n", ind->id, ind->name, ind->max);
        }
    }
    free(set);
    return rc;
}

int cmd_digitise(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *cmd = argv[1];
    static const char *const cmds[] = {"add",         "reuse",      "list", "result-add",
                                       "result-sign", "result-get", "find", "indicators"};
    int known = 0;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        known |= !strcmp(cmd, cmds[i]);
    struct opts o;
    int rc = known ? parse(argc, argv, &o, &e)
                   : err_set(&e, ERR_INVALID, "command",
                             "'%s': not a digitise command (see --help)", cmd);
    int64_t at = now_local();
    if (!rc && o.at) rc = instant_parse(o.at, &at, "at", &e);
    if (!rc && strcmp(cmd, "find") && strcmp(cmd, "indicators"))
        rc = need(o.arg,
                  !strncmp(cmd, "result-", 7) && strcmp(cmd, "result-add") ? "NO" : "DOSSIER", &e);
    if (rc) return cli_fail("digitise", &e);
    struct store *s;
    int orc = cli_store_open("digitise", o.db, 0, &s);
    if (orc) return orc;
    char *data = NULL;
    size_t len = 0;
    if (!strcmp(cmd, "add") || !strcmp(cmd, "result-add")) {
        rc = need(o.file, "--file", &e);
        if (!rc) rc = need(o.actor, "--actor", &e);
        if (!rc) rc = cli_read_file(o.file, "file", &data, &len, &e);
    }
    if (rc) {
    } else if (!strcmp(cmd, "add")) {
        const char *name = o.name                 ? o.name
                           : strrchr(o.file, '/') ? strrchr(o.file, '/') + 1
                                                  : o.file;
        struct digi_component_in in = {o.arg, o.doc, name, data, (int64_t)len, o.max, o.actor, at};
        struct digi_component c;
        rc = store_digi_component_add(s, &in, &c, &e);
        if (!rc) print_component(&c);
    } else if (!strcmp(cmd, "reuse")) {
        struct digi_component c;
        rc = need(o.result, "--result", &e);
        if (!rc) rc = need(o.actor, "--actor", &e);
        if (!rc) rc = store_digi_component_reuse(s, o.arg, o.doc, o.result, o.actor, at, &c, &e);
        if (!rc) print_component(&c);
    } else if (!strcmp(cmd, "list")) {
        struct dossier d;
        rc = store_dossier_get(s, o.arg, &d, &e);
        if (!rc) rc = store_digi_components(s, o.arg, list_cb, NULL, &e);
    } else if (!strcmp(cmd, "result-add")) {
        struct digi_result r;
        rc = need(o.no, "--no", &e);
        if (!rc) rc = need(o.title, "--title", &e);
        struct digi_result_in in = {o.arg, o.no, o.title, data, (int64_t)len, o.max, o.actor, at};
        if (!rc) rc = store_digi_result_add(s, &in, &r, &e);
        if (!rc) print_result(&r, NULL);
    } else if (!strcmp(cmd, "result-sign")) {
        rc = result_sign(s, &o, at, &e);
    } else if (!strcmp(cmd, "result-get")) {
        rc = result_get(s, &o, &e);
    } else if (!strcmp(cmd, "find")) {
        rc = store_digi_result_find(s, o.no, o.citizen, print_result, NULL, &e);
    } else {
        rc = indicators(s, &o, &e);
    }
    free(data);
    store_close(s);
    return rc ? cli_fail("digitise", &e) : 0;
}
