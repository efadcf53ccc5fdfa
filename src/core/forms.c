/* forms.c — the registry of data/forms/: forms and the governing decree by effective date,
 * the day each document of a dossier is issued, and the resolution of a form number for a
 * dossier with the error that says why a form does not apply. */
#include "forms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

#define FORMS_MAX 64

struct forms {
    int nforms, nbasis, nrules;
    struct form_def form[FORMS_MAX];
    struct form_basis basis[FORMS_MAX];
    struct form_rule rules[FORMS_MAX];
};

static const char *const kind_names[FORM__COUNT] = {
    "receipt", "supplement", "refusal", "apology", "stop", "control", "book",
};

const char *form_kind_name(enum form_kind k)
{
    return (unsigned)k < FORM__COUNT ? kind_names[k] : "?";
}

static int next_line(FILE *f, char *buf, size_t n, int *lineno)
{
    while (fgets(buf, (int)n, f)) {
        (*lineno)++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '\0' || buf[0] == '#') continue;
        return 1;
    }
    return 0;
}

/* "YYYY-MM-DD" or "-" (open: dflt). */
static int parse_bound(const char *s, int64_t dflt, int64_t *out, const char *path, int lineno,
                       struct err *e)
{
    struct ymd d;
    if (!strcmp(s, "-")) {
        *out = dflt;
        return 0;
    }
    if (ymd_parse(s, &d, "date", NULL))
        return err_set(e, ERR_INVALID, "forms", "%s:%d: '%s': expected YYYY-MM-DD or -", path,
                       lineno, s);
    *out = ymd_to_days(d);
    return 0;
}

static int copy_text(char *dst, const char *src, const char *what, const char *path, int lineno,
                     struct err *e)
{
    size_t n = strlen(src);
    if (n == 0 || n >= FORM_TEXT_MAX)
        return err_set(e, ERR_INVALID, "forms", "%s:%d: %s: empty or longer than %d bytes", path,
                       lineno, what, FORM_TEXT_MAX - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

static int load_forms(struct forms *f, const char *path, struct err *e)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return err_set(e, ERR_IO, "forms", "%s: cannot open: %s", path, strerror(errno));
    char line[2048];
    int lineno = 0, rc = 0;
    while (!rc && next_line(fp, line, sizeof line, &lineno)) {
        char *fld[8];
        int nf = tsv_split(line, fld, 8);
        if (nf != 7) {
            rc = err_set(e, ERR_INVALID, "forms",
                         "%s:%d: expected 7 tab-separated fields (kind, number, valid_from, "
                         "valid_to, title, circular, source), found %d",
                         path, lineno, nf);
            break;
        }
        if (f->nforms == FORMS_MAX) {
            rc = err_set(e, ERR_RANGE, "forms", "%s:%d: more than %d forms", path, lineno,
                         FORMS_MAX);
            break;
        }
        struct form_def *d = &f->form[f->nforms];
        int k = 0;
        while (k < FORM__COUNT && strcmp(fld[0], kind_names[k]))
            k++;
        if (k == FORM__COUNT) {
            rc = err_set(e, ERR_INVALID, "forms",
                         "%s:%d: kind '%s': expected receipt, supplement, refusal, apology, "
                         "stop, control or book",
                         path, lineno, fld[0]);
            break;
        }
        d->kind = (enum form_kind)k;
        if (strlen(fld[1]) != 2 || fld[1][0] < '0' || fld[1][0] > '9' || fld[1][1] < '0' ||
            fld[1][1] > '9') {
            rc = err_set(e, ERR_INVALID, "forms", "%s:%d: number '%s': expected two digits", path,
                         lineno, fld[1]);
            break;
        }
        memcpy(d->number, fld[1], 3);
        if ((rc = parse_bound(fld[2], INT64_MIN, &d->from_day, path, lineno, e)) ||
            (rc = parse_bound(fld[3], INT64_MAX, &d->to_day, path, lineno, e)) ||
            (rc = copy_text(d->title, fld[4], "title", path, lineno, e)) ||
            (rc = copy_text(d->circular, fld[5], "circular", path, lineno, e)) ||
            (rc = copy_text(d->source, fld[6], "source", path, lineno, e)))
            break;
        if (d->to_day < d->from_day) {
            rc = err_set(e, ERR_INVALID, "forms", "%s:%d: valid_to is before valid_from", path,
                         lineno);
            break;
        }
        for (int i = 0; i < f->nforms; i++) {
            const struct form_def *o = &f->form[i];
            if (o->kind == d->kind && o->from_day <= d->to_day && d->from_day <= o->to_day) {
                rc = err_set(e, ERR_INVALID, "forms",
                             "%s:%d: the period of this %s form overlaps another one", path, lineno,
                             kind_names[k]);
                break;
            }
        }
        if (!rc) f->nforms++;
    }
    fclose(fp);
    return rc;
}

static int load_basis(struct forms *f, const char *path, struct err *e)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return err_set(e, ERR_IO, "forms", "%s: cannot open: %s", path, strerror(errno));
    char line[2048];
    int lineno = 0, rc = 0;
    while (!rc && next_line(fp, line, sizeof line, &lineno)) {
        char *fld[6];
        int nf = tsv_split(line, fld, 6);
        if (nf != 5) {
            rc = err_set(e, ERR_INVALID, "forms",
                         "%s:%d: expected 5 tab-separated fields (valid_from, valid_to, decree, "
                         "guidance, source), found %d",
                         path, lineno, nf);
            break;
        }
        if (f->nbasis == FORMS_MAX) {
            rc = err_set(e, ERR_RANGE, "forms", "%s:%d: too many lines", path, lineno);
            break;
        }
        struct form_basis *b = &f->basis[f->nbasis];
        if ((rc = parse_bound(fld[0], INT64_MIN, &b->from_day, path, lineno, e)) ||
            (rc = parse_bound(fld[1], INT64_MAX, &b->to_day, path, lineno, e)) ||
            (rc = copy_text(b->decree, fld[2], "decree", path, lineno, e)) ||
            (rc = copy_text(b->guidance, fld[3], "guidance", path, lineno, e)) ||
            (rc = copy_text(b->source, fld[4], "source", path, lineno, e)))
            break;
        for (int i = 0; i < f->nbasis; i++)
            if (f->basis[i].from_day <= b->to_day && b->from_day <= f->basis[i].to_day) {
                rc = err_set(e, ERR_INVALID, "forms", "%s:%d: the period overlaps another one",
                             path, lineno);
                break;
            }
        if (!rc) f->nbasis++;
    }
    fclose(fp);
    return rc;
}

static int load_rules(struct forms *f, const char *path, struct err *e)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return err_set(e, ERR_IO, "forms", "%s: cannot open: %s", path, strerror(errno));
    char line[2048];
    int lineno = 0, rc = 0;
    while (!rc && next_line(fp, line, sizeof line, &lineno)) {
        char *fld[7];
        int nf = tsv_split(line, fld, 7);
        if (nf != 6) {
            rc = err_set(e, ERR_INVALID, "forms",
                         "%s:%d: expected 6 tab-separated fields (rule, valid_from, valid_to, "
                         "text, cite, source), found %d",
                         path, lineno, nf);
            break;
        }
        if (f->nrules == FORMS_MAX) {
            rc = err_set(e, ERR_RANGE, "forms", "%s:%d: too many lines", path, lineno);
            break;
        }
        struct form_rule *r = &f->rules[f->nrules];
        if (strcmp(fld[0], "apology") && strcmp(fld[0], "code")) {
            rc = err_set(e, ERR_INVALID, "forms", "%s:%d: rule '%.20s': expected apology or code",
                         path, lineno, fld[0]);
            break;
        }
        snprintf(r->rule, sizeof r->rule, "%s", fld[0]);
        if ((rc = parse_bound(fld[1], INT64_MIN, &r->from_day, path, lineno, e)) ||
            (rc = parse_bound(fld[2], INT64_MAX, &r->to_day, path, lineno, e)) ||
            (rc = copy_text(r->text, fld[3], "text", path, lineno, e)) ||
            (rc = copy_text(r->cite, fld[4], "cite", path, lineno, e)) ||
            (rc = copy_text(r->source, fld[5], "source", path, lineno, e)))
            break;
        if (strstr(r->cite, "verify")) {
            rc = err_set(e, ERR_INVALID, "forms",
                         "%s:%d: cite is printed on documents: keep \"verify\" in source", path,
                         lineno);
            break;
        }
        for (int i = 0; i < f->nrules; i++)
            if (!strcmp(f->rules[i].rule, r->rule) && f->rules[i].from_day <= r->to_day &&
                r->from_day <= f->rules[i].to_day) {
                rc = err_set(e, ERR_INVALID, "forms",
                             "%s:%d: the period of this %s rule overlaps another one", path, lineno,
                             r->rule);
                break;
            }
        if (!rc) f->nrules++;
    }
    fclose(fp);
    return rc;
}

const struct form_rule *forms_rule(const struct forms *f, const char *rule, int64_t day)
{
    for (int i = 0; i < f->nrules; i++)
        if (!strcmp(f->rules[i].rule, rule) && f->rules[i].from_day <= day &&
            day <= f->rules[i].to_day)
            return &f->rules[i];
    return NULL;
}

int forms_load(const char *dir, struct forms **out, struct err *e)
{
    char path[4096];
    *out = NULL;
    struct forms *f = calloc(1, sizeof *f);
    if (!f) return err_set(e, ERR_NOMEM, "forms", "out of memory");
    int rc;
    snprintf(path, sizeof path, "%s/forms/forms.tsv", dir);
    if ((rc = load_forms(f, path, e))) goto fail;
    snprintf(path, sizeof path, "%s/forms/basis.tsv", dir);
    if ((rc = load_basis(f, path, e))) goto fail;
    snprintf(path, sizeof path, "%s/forms/rules.tsv", dir);
    if ((rc = load_rules(f, path, e))) goto fail;
    *out = f;
    return 0;
fail:
    free(f);
    return rc;
}

void forms_free(struct forms *f)
{
    free(f);
}

const struct form_def *forms_of_kind(const struct forms *f, enum form_kind k, int64_t day)
{
    for (int i = 0; i < f->nforms; i++)
        if (f->form[i].kind == k && f->form[i].from_day <= day && day <= f->form[i].to_day)
            return &f->form[i];
    return NULL;
}

const struct form_basis *forms_basis(const struct forms *f, int64_t day)
{
    for (int i = 0; i < f->nbasis; i++)
        if (f->basis[i].from_day <= day && day <= f->basis[i].to_day) return &f->basis[i];
    return NULL;
}

/* "1", "01" -> "01"; 0 on success. */
static int normalise_number(const char *s, char out[4])
{
    size_t n = strlen(s);
    if (n < 1 || n > 2 || s[0] < '0' || s[0] > '9' || (n == 2 && (s[1] < '0' || s[1] > '9')))
        return -1;
    out[0] = n == 1 ? '0' : s[0];
    out[1] = s[n - 1];
    out[2] = 0;
    return 0;
}

int forms_number_known(const struct forms *f, const char *number)
{
    char n[4];
    if (normalise_number(number, n)) return 0;
    for (int i = 0; i < f->nforms; i++)
        if (!strcmp(f->form[i].number, n)) return 1;
    return 0;
}

const struct form_def *forms_by_number(const struct forms *f, const char *number, int64_t day)
{
    char n[4];
    if (normalise_number(number, n)) return NULL;
    for (int i = 0; i < f->nforms; i++)
        if (!strcmp(f->form[i].number, n) && f->form[i].from_day <= day && day <= f->form[i].to_day)
            return &f->form[i];
    return NULL;
}

int64_t form_issue_instant(enum form_kind k, const struct form_facts *x)
{
    const struct dossier_state *st = x->st;
    switch (k) {
    case FORM_RECEIPT:
    case FORM_CONTROL:
        return st->received_at;
    case FORM_SUPPLEMENT:
        return st->supplements ? x->supplement_at : 0;
    case FORM_REFUSAL:
        return st->status == DS_REFUSED ? st->closed_at : 0;
    case FORM_APOLOGY:
        return st->apologies ? x->apology_at : 0;
    case FORM_STOP:
        /* cchc's mapping onto Mẫu 05 (Circular 03/2025): a cancellation, or a pause in
         * progress (the notice is issued when processing stops). */
        if (st->status == DS_CANCELLED) return st->closed_at;
        if (st->status == DS_PAUSED) return x->pause_at;
        return 0;
    default:
        return 0;
    }
}

/* Why a form of kind k does not apply to the dossier now. */
static const char *why_not(enum form_kind k)
{
    switch (k) {
    case FORM_RECEIPT:
    case FORM_CONTROL:
        return "the dossier has not been received at the desk";
    case FORM_SUPPLEMENT:
        return "no supplement was requested for the dossier";
    case FORM_REFUSAL:
        return "the dossier was not refused";
    case FORM_APOLOGY:
        return "no apology was issued for the dossier";
    case FORM_STOP:
        return "the dossier is neither cancelled nor paused";
    default:
        return "it is the register of a unit for a period, not a document of one dossier "
               "(cchc report book)";
    }
}

static void day_text(int64_t day, char *buf)
{
    struct ymd d = days_to_ymd(day);
    snprintf(buf, 16, "%02d/%02d/%04d", d.d % 100, d.m % 100, d.y % 10000);
}

int forms_resolve(const struct forms *f, const char *number, const struct form_facts *x,
                  const struct form_def **out, int64_t *issued_at, struct err *e)
{
    char n[4], day[16];
    *out = NULL;
    *issued_at = 0;
    if (normalise_number(number, n))
        return err_set(e, ERR_INVALID, "form", "form '%.20s': expected a form number such as 01",
                       number);
    if (!forms_number_known(f, n))
        return err_set(e, ERR_NOT_FOUND, "form",
                       "form '%s': no circular in data/forms has a form with that number "
                       "(Circular 03/2025/TT-VPCP: 01-07; Circular 01/2018/TT-VPCP: 01-06)",
                       n);
    /* The day that decides the period when the dossier has no such document: its reception
     * (or its last change). */
    int64_t ref = instant_day(x->st->received_at ? x->st->received_at : x->st->last_at);
    const struct form_def *conflict = NULL, *any = NULL;
    for (int i = 0; i < f->nforms; i++) {
        const struct form_def *d = &f->form[i];
        if (strcmp(d->number, n)) continue;
        int64_t t = form_issue_instant(d->kind, x);
        if (t) {
            int64_t dd = instant_day(t);
            if (d->from_day <= dd && dd <= d->to_day) {
                *out = d;
                *issued_at = t;
                return 0;
            }
        } else if (d->from_day <= ref && ref <= d->to_day) {
            conflict = d;
        }
        if (!any) any = d;
    }
    if (conflict)
        return err_set(e, ERR_CONFLICT, "form",
                       "form %s (%s, %s) does not apply to a dossier in state '%s': %s", n,
                       conflict->title, conflict->circular, dossier_status_name(x->st->status),
                       why_not(conflict->kind));
    day_text(ref, day);
    return err_set(e, ERR_CONFLICT, "form",
                   "form %s (%s, %s) was not in force for this dossier's document (dossier of "
                   "%s, state '%s')",
                   n, any->title, any->circular, day, dossier_status_name(x->st->status));
}
