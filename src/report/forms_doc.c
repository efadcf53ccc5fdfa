/* forms_doc.c — gathers one form of one dossier from the store and the form registry, signs
 * its key fields into the verification address, and checks such an address (forms_doc.h).
 * Backend-neutral: it reads through store.h only. */
#include "forms_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

struct gather {
    struct form_doc *doc;
    struct form_facts x;
    char supplement_reason[DOSSIER_NOTE_MAX], pause_reason[DOSSIER_NOTE_MAX];
    char apology_reason[DOSSIER_NOTE_MAX], refuse_note[DOSSIER_NOTE_MAX];
    char cancel_note[DOSSIER_NOTE_MAX];
    int64_t apology_old, apology_new;
};

/* Copies src into dst (n bytes), cut at a character boundary when too long. */
static void copy(char *dst, size_t n, const char *src)
{
    size_t l = src ? strnlen(src, n - 1) : 0;
    if (src && src[l])
        while (l && ((unsigned char)src[l] & 0xC0) == 0x80)
            l--;
    if (l) memcpy(dst, src, l);
    dst[l] = 0;
}

static int on_document(int seq, const char *text, void *ctx)
{
    (void)seq;
    struct form_doc *d = ((struct gather *)ctx)->doc;
    if (d->ndocs < FORM_DOC_DOCS) copy(d->docs[d->ndocs++], PROC_TEXT_MAX, text);
    return 0;
}

static int on_step(const struct dossier_step_rec *r, void *ctx)
{
    struct form_doc *d = ((struct gather *)ctx)->doc;
    if (d->nsteps < FORM_DOC_STEPS) d->steps[d->nsteps++] = *r;
    return 0;
}

static int on_stop(const struct dossier_stop_rec *r, void *ctx)
{
    struct gather *g = ctx;
    if (r->pause) {
        g->x.pause_at = r->started_at;
        copy(g->pause_reason, sizeof g->pause_reason, r->reason);
    } else {
        g->x.supplement_at = r->started_at;
        copy(g->supplement_reason, sizeof g->supplement_reason, r->reason);
    }
    return 0;
}

static int on_apology(const struct dossier_apology_rec *r, void *ctx)
{
    struct gather *g = ctx;
    g->x.apology_at = r->issued_at;
    g->apology_old = r->old_due_at;
    g->apology_new = r->new_due_at;
    copy(g->apology_reason, sizeof g->apology_reason, r->reason);
    return 0;
}

static int on_event(const struct dossier_event *ev, void *ctx)
{
    struct gather *g = ctx;
    if (!strcmp(ev->action, dossier_action_name(DA_REFUSE)))
        copy(g->refuse_note, sizeof g->refuse_note, ev->note);
    else if (!strcmp(ev->action, dossier_action_name(DA_CANCEL)))
        copy(g->cancel_note, sizeof g->cancel_note, ev->note);
    return 0;
}

/* The place line of the document: the name of the unit tree's root (the province) without
 * its kind word ("Tỉnh Đồng Tháp" -> "Đồng Tháp"). */
static void place_of(struct store *s, const struct unit *u, struct form_doc *doc)
{
    static const char *const prefixes[] = {"Tỉnh ", "Thành phố ", "TP. ", NULL};
    struct unit cur = *u, up;
    struct err e = {0};
    for (int depth = 0; cur.parent[0] && depth < 16; depth++) {
        if (store_unit_get(s, cur.parent, &up, &e)) break;
        if (depth == 0) copy(doc->parent_name, sizeof doc->parent_name, up.name);
        cur = up;
    }
    const char *name = cur.name;
    for (int i = 0; prefixes[i]; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i]))) name += strlen(prefixes[i]);
    copy(doc->place, sizeof doc->place, name);
}

int form_doc_build(struct store *s, const struct forms *reg, const char *code, const char *number,
                   struct form_doc *doc, struct err *e)
{
    memset(doc, 0, sizeof *doc);
    struct gather *g = calloc(1, sizeof *g);
    if (!g) return err_set(e, ERR_NOMEM, "form", "out of memory");
    g->doc = doc;
    int rc = store_dossier_get(s, code, &doc->d, e);
    if (rc) goto out;
    struct dossier_records r = {.document = on_document,
                                .step = on_step,
                                .stop = on_stop,
                                .apology = on_apology,
                                .event = on_event,
                                .ctx = g};
    if ((rc = store_dossier_records(s, code, &r, e))) goto out;
    g->x.st = &doc->d.st;
    if ((rc = forms_resolve(reg, number, &g->x, &doc->def, &doc->issued_at, e))) goto out;
    doc->basis = forms_basis(reg, instant_day(doc->issued_at));
    switch (doc->def->kind) {
    case FORM_RECEIPT:
        doc->appointment = doc->d.st.due_at;
        break;
    case FORM_SUPPLEMENT:
        copy(doc->reason, sizeof doc->reason, g->supplement_reason);
        break;
    case FORM_REFUSAL:
        copy(doc->reason, sizeof doc->reason, g->refuse_note);
        break;
    case FORM_APOLOGY:
        copy(doc->reason, sizeof doc->reason, g->apology_reason);
        doc->appointment = g->apology_new;
        doc->old_appointment = g->apology_old;
        doc->rule = forms_rule(reg, "apology", instant_day(doc->issued_at));
        break;
    case FORM_STOP:
        copy(doc->reason, sizeof doc->reason,
             doc->d.st.status == DS_CANCELLED ? g->cancel_note : g->pause_reason);
        break;
    default:
        break;
    }
    struct unit u;
    if ((rc = store_unit_get(s, doc->d.unit, &u, e))) goto out;
    copy(doc->unit_name, sizeof doc->unit_name, u.name);
    place_of(s, &u, doc);
    char decider[UNIT_CODE_MAX] = "";
    struct unit du;
    if (!store_dossier_decider(s, doc->d.code, decider, NULL) && decider[0] &&
        !store_unit_get(s, decider, &du, NULL))
        copy(doc->decider_name, sizeof doc->decider_name, du.name);
    struct procedure *p = malloc(sizeof *p);
    if (!p) {
        rc = err_set(e, ERR_NOMEM, "form", "out of memory");
        goto out;
    }
    if (!store_procedure_get(s, doc->d.procedure, p, e)) {
        copy(doc->proc_name, sizeof doc->proc_name, p->name);
        doc->time_amount = p->time_amount;
        doc->time_label = time_unit_label(p->time_unit);
    } else {
        copy(doc->proc_name, sizeof doc->proc_name, doc->d.procedure);
        err_clear(e);
    }
    free(p);
out:
    free(g);
    return rc;
}

/* YYYYMMDDHHMM of an instant, or "0" for none. */
static void compact(int64_t t, char *buf, size_t n)
{
    if (!t) {
        snprintf(buf, n, "0");
        return;
    }
    struct ymd d = days_to_ymd(instant_day(t));
    int m = instant_minute_of_day(t);
    snprintf(buf, n, "%04u%02u%02u%02u%02u", (unsigned)d.y % 10000, (unsigned)d.m % 100,
             (unsigned)d.d % 100, (unsigned)(m / 60) % 100, (unsigned)m % 60);
}

static int parse_compact(const char *s, int64_t *out)
{
    if (!s) return -1;
    if (!strcmp(s, "0")) {
        *out = 0;
        return 0;
    }
    if (strlen(s) != 12 || strspn(s, "0123456789") != 12) return -1;
    int y, mo, d, hh, mm;
    if (sscanf(s, "%4d%2d%2d%2d%2d", &y, &mo, &d, &hh, &mm) != 5) return -1;
    struct ymd v = {y, mo, d};
    if (!ymd_valid(v) || hh > 23 || mm > 59) return -1;
    *out = ymd_to_days(v) * MINUTES_PER_DAY + hh * 60 + mm;
    return 0;
}

size_t form_doc_signed_text(const char *code, const struct form_def *def, int64_t issued_at,
                            int64_t appointment, char *buf, size_t n)
{
    char i[16], h[16];
    compact(issued_at, i, sizeof i);
    compact(appointment, h, sizeof h);
    int len = snprintf(buf, n, "cchc-form/1\n%s\n%s\n%s\n%s\n%s\n", code, def->number,
                       def->circular, i, h);
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

int form_doc_verify_url(const struct form_doc *doc, const struct docsign *ds, const char *base,
                        char *url, size_t n, struct err *e)
{
    char msg[1024], token[DOCSIGN_TOKEN_MAX], i[16], h[16];
    size_t len = form_doc_signed_text(doc->d.code, doc->def, doc->issued_at, doc->appointment, msg,
                                      sizeof msg);
    int rc = docsign_sign(ds, msg, len, token, sizeof token, e);
    if (rc) return rc;
    compact(doc->issued_at, i, sizeof i);
    compact(doc->appointment, h, sizeof h);
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    if ((size_t)snprintf(url, n, "%.*s/verify/%s?f=%s&i=%s&h=%s&t=%s", (int)bl, base, doc->d.code,
                         doc->def->number, i, h, token) >= n)
        return err_set(e, ERR_INVALID, "base_url", "the verification address is too long");
    return 0;
}

void form_initials(const char *name, char *buf, size_t n)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)name;
    buf[0] = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        size_t cl = 1;
        while (p[cl] && (p[cl] & 0xC0) == 0x80)
            cl++;
        if (o + cl + 3 >= n) break;
        if (o) buf[o++] = ' ';
        memcpy(buf + o, p, cl);
        o += cl;
        buf[o++] = '.';
        buf[o] = 0;
        while (*p && *p != ' ')
            p++;
    }
}

static int not_authentic(struct form_check *out, const char *why)
{
    out->authentic = 0;
    copy(out->why, sizeof out->why, why);
    return 0;
}

int form_doc_check(struct store *s, const struct forms *reg, const struct docsign *ds,
                   const char *code, const char *f, const char *i, const char *h, const char *t,
                   struct form_check *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    copy(out->code, sizeof out->code, code);
    if (!f || !i || !h || !t) return not_authentic(out, "the address lacks one of f, i, h and t");
    if (parse_compact(i, &out->issued_at) || !out->issued_at || parse_compact(h, &out->appointment))
        return not_authentic(out, "a date of the address is malformed");
    out->def = forms_by_number(reg, f, instant_day(out->issued_at));
    if (!out->def) return not_authentic(out, "no such form on the document's date");
    char msg[1024];
    size_t len =
        form_doc_signed_text(code, out->def, out->issued_at, out->appointment, msg, sizeof msg);
    struct err ve = {0};
    if (docsign_verify(ds, msg, len, t, &ve)) return not_authentic(out, ve.msg);
    struct dossier d;
    int rc = store_dossier_get(s, code, &d, e);
    if (rc == ERR_NOT_FOUND) {
        err_clear(e);
        return not_authentic(out, "the dossier is not in this system");
    }
    if (rc) return rc;
    out->authentic = 1;
    out->status = d.st.status;
    form_initials(d.applicant.name, out->initials, sizeof out->initials);
    struct unit u;
    if (!store_unit_get(s, d.unit, &u, e)) copy(out->unit_name, sizeof out->unit_name, u.name);
    struct procedure *p = malloc(sizeof *p);
    if (p && !store_procedure_get(s, d.procedure, p, e))
        copy(out->proc_name, sizeof out->proc_name, p->name);
    free(p);
    err_clear(e);
    return 0;
}
