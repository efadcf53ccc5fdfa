/* notify.c — contacts, events, the retry schedule and the templates of notifications
 * (notify.h). Pure: no I/O but reading the template file. */
#include "notify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "tsv.h"

/* ---- contacts ---- */

static int phone_normalize(const char *in, char *out, size_t n, const char *field, struct err *e)
{
    char d[32];
    size_t k = 0;
    const char *p = in;
    int plus = 0;
    for (; *p; p++) {
        if (strchr(" .-()\t", *p)) continue;
        if (*p == '+' && !k && !plus) { /* "+84 …", "(+84) …" */
            plus = 1;
            continue;
        }
        if (!isdigit((unsigned char)*p) || k + 1 >= sizeof d)
            return err_set(e, ERR_INVALID, field,
                           "%s: a phone number has only digits (spaces, dots, hyphens and "
                           "brackets are ignored) and an e-mail address has an '@'",
                           field);
        d[k++] = *p;
    }
    d[k] = '\0';
    const char *nat = NULL;
    if (!plus && k == 10 && d[0] == '0')
        nat = d + 1;
    else if (k == 11 && d[0] == '8' && d[1] == '4')
        nat = d + 2;
    else if (plus)
        return err_set(e, ERR_INVALID, field,
                       "%s: a phone number written with + must be a Vietnamese one, +84 and 9 "
                       "digits",
                       field);
    if (!nat)
        return err_set(e, ERR_INVALID, field,
                       "%s: a phone number must be 0 and 9 digits (or +84 and 9 digits); "
                       "this one has %zu digits",
                       field, k);
    if (!strchr("35789", nat[0]))
        return err_set(e, ERR_INVALID, field,
                       "%s: not a mobile number (after the 0 a mobile number starts with 3, "
                       "5, 7, 8 or 9): codes are sent by SMS or Zalo",
                       field);
    if (n < 11) return err_set(e, ERR_INTERNAL, field, "buffer too small");
    snprintf(out, n, "0%s", nat);
    return 0;
}

static int local_char(int c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

static int email_normalize(const char *in, char *out, size_t n, const char *field, struct err *e)
{
    while (*in == ' ')
        in++;
    size_t len = strlen(in);
    while (len && in[len - 1] == ' ')
        len--;
    const char *at = memchr(in, '@', len);
    if (len > 254 || len + 1 > n)
        return err_set(e, ERR_INVALID, field, "%s: an e-mail address has at most 254 bytes", field);
    if (!at || memchr(at + 1, '@', len - (size_t)(at + 1 - in)))
        return err_set(e, ERR_INVALID, field, "%s: an e-mail address has exactly one '@'", field);
    size_t nl = (size_t)(at - in), nd = len - nl - 1;
    if (nl < 1 || nl > 64)
        return err_set(e, ERR_INVALID, field,
                       "%s: the part before '@' must have 1 to 64 characters", field);
    for (size_t i = 0; i < nl; i++)
        if (!local_char((unsigned char)in[i]) ||
            (in[i] == '.' && (i == 0 || i == nl - 1 || in[i + 1] == '.')))
            return err_set(e, ERR_INVALID, field,
                           "%s: the part before '@' may hold letters, digits and "
                           "!#$%%&'*+/=?^_`{|}~.- with no dot at its ends or twice in a row",
                           field);
    const char *dom = at + 1;
    int dots = 0;
    size_t lab = 0;
    for (size_t i = 0; i < nd; i++) {
        unsigned char c = (unsigned char)dom[i];
        if (c == '.') {
            if (!lab || dom[i - 1] == '-') goto bad_domain;
            dots++;
            lab = 0;
            continue;
        }
        if (!isalnum(c) && c != '-') goto bad_domain;
        if (c == '-' && !lab) goto bad_domain;
        if (++lab > 63) goto bad_domain;
    }
    if (!dots || !lab || dom[nd - 1] == '-') goto bad_domain;
    for (size_t i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[len] = '\0';
    return 0;
bad_domain:
    return err_set(e, ERR_INVALID, field,
                   "%s: the domain after '@' must be labels of letters, digits and '-' "
                   "separated by dots (for example example.gov.vn)",
                   field);
}

int notify_contact_normalize(const char *in, char *out, size_t n, enum contact_kind *kind,
                             const char *field, struct err *e)
{
    if (!field) field = "contact";
    if (!in || !*in)
        return err_set(e, ERR_INVALID, field,
                       "%s: required (a mobile phone number or an e-mail "
                       "address)",
                       field);
    if (strlen(in) >= NOTIFY_CONTACT_MAX)
        return err_set(e, ERR_INVALID, field, "%s: longer than %d bytes", field,
                       NOTIFY_CONTACT_MAX - 1);
    int rc;
    if (strchr(in, '@')) {
        rc = email_normalize(in, out, n, field, e);
        if (!rc && kind) *kind = CONTACT_EMAIL;
    } else {
        rc = phone_normalize(in, out, n, field, e);
        if (!rc && kind) *kind = CONTACT_PHONE;
    }
    return rc;
}

const char *notify_channel_of(enum contact_kind k)
{
    return k == CONTACT_EMAIL ? "email" : "sms";
}

char *notify_contact_mask(const char *c, char *buf, size_t n)
{
    if (!n) return buf;
    const char *at = strchr(c, '@');
    size_t len = strlen(c);
    if (at)
        snprintf(buf, n, "%c***%s", c[0], at);
    else if (len > 4)
        snprintf(buf, n, "%.2s******%s", c, c + len - 2);
    else
        snprintf(buf, n, "****");
    return buf;
}

/* ---- events ---- */

static const char *const event_names[] = {
#define NOTIFY_EVENT_NAME(ev, name, text) name,
    NOTIFY_EVENTS(NOTIFY_EVENT_NAME)
#undef NOTIFY_EVENT_NAME
};

const char *notify_event_name(enum notify_event ev)
{
    return (unsigned)ev < NE__COUNT ? event_names[ev] : "";
}

int notify_event_parse(const char *s, enum notify_event *out)
{
    for (int i = 0; i < NE__COUNT; i++)
        if (s && !strcmp(s, event_names[i])) {
            *out = (enum notify_event)i;
            return 0;
        }
    return ERR_INVALID;
}

int notify_event_optional(enum notify_event ev)
{
    /* the citizens' opt-out; staff reminders are work, not news (docs/reminders.md) */
    return ev != NE_OTP && ev != NE_LOST_CODE && ev != NE_REMIND_DUE && ev != NE_REMIND_OVERDUE &&
           ev != NE_ESCALATION;
}

int64_t notify_backoff_seconds(int attempts)
{
    if (attempts < 1) attempts = 1;
    int64_t s = 60;
    for (int i = 1; i < attempts && s < 6 * 3600; i++)
        s *= 2;
    return s > 6 * 3600 ? 6 * 3600 : s;
}

/* ---- variables ---- */

int notify_vars_add(char *buf, size_t n, const char *name, const char *value, struct err *e)
{
    size_t len = strlen(buf), need = strlen(name) + 1 + (value ? strlen(value) : 0) + 1;
    if (len + need + 1 > n)
        return err_set(e, ERR_RANGE, name, "%s: the message's values exceed %zu bytes", name, n);
    char *w = buf + len;
    w += sprintf(w, "%s\t", name);
    for (const char *p = value ? value : ""; *p; p++)
        *w++ = (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p;
    *w++ = '\n';
    *w = '\0';
    return 0;
}

int notify_vars_get(const char *vars, const char *name, char *out, size_t n)
{
    size_t ln = strlen(name);
    if (n) out[0] = '\0';
    for (const char *p = vars; p && *p;) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        if ((size_t)(eol - p) > ln && !strncmp(p, name, ln) && p[ln] == '\t') {
            size_t vl = (size_t)(eol - p - (ptrdiff_t)ln - 1);
            if (n) {
                if (vl >= n) vl = n - 1;
                memcpy(out, p + ln + 1, vl);
                out[vl] = '\0';
            }
            return 1;
        }
        p = *eol ? eol + 1 : eol;
    }
    return 0;
}

/* ---- templates ---- */

struct tmpl {
    char event[32], channel[8];
    int64_t from; /* day */
    char *subject, *body;
};

struct notify_templates {
    int n;
    struct tmpl *t;
};

void notify_templates_free(struct notify_templates *t)
{
    if (!t) return;
    for (int i = 0; i < t->n; i++) {
        free(t->t[i].subject);
        free(t->t[i].body);
    }
    free(t->t);
    free(t);
}

/* "\n" written in the file stands for a line break. */
static char *unescape(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    if (!o) return NULL;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *w++ = '\n';
            s++;
        } else
            *w++ = *s;
    }
    *w = '\0';
    return o;
}

int notify_templates_load(const char *path, struct notify_templates **out, struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "templates", "%s: cannot open", path);
    struct notify_templates *t = calloc(1, sizeof *t);
    char line[8192];
    int ln = 0, rc = 0, cap = 0;
    if (!t) rc = err_set(e, ERR_NOMEM, "templates", "out of memory");
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        if (line[0] == '#' || line[0] == '\n' || !strncmp(line, "event\t", 6)) continue;
        char *fl[6];
        int nf = tsv_split(line, fl, 6);
        struct ymd d;
        enum notify_event ev;
        if (nf < 5) {
            rc = err_set(e, ERR_INVALID, "templates",
                         "%s:%d: 5 or 6 tab-separated columns "
                         "expected, found %d",
                         path, ln, nf);
            break;
        }
        if (notify_event_parse(fl[0], &ev)) {
            rc =
                err_set(e, ERR_INVALID, "templates", "%s:%d: event '%s': unknown", path, ln, fl[0]);
            break;
        }
        if (strcmp(fl[1], "*") && strcmp(fl[1], "email") && strcmp(fl[1], "sms") &&
            strcmp(fl[1], "zalo")) {
            rc = err_set(e, ERR_INVALID, "templates",
                         "%s:%d: channel '%s': must be *, email, sms or zalo", path, ln, fl[1]);
            break;
        }
        if (ymd_parse(fl[2], &d, "effective_from", NULL)) {
            rc = err_set(e, ERR_INVALID, "templates",
                         "%s:%d: effective_from '%s': not a date YYYY-MM-DD", path, ln, fl[2]);
            break;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 16;
            struct tmpl *nt = realloc(t->t, (size_t)cap * sizeof *nt);
            if (!nt) {
                rc = err_set(e, ERR_NOMEM, "templates", "out of memory");
                break;
            }
            t->t = nt;
        }
        struct tmpl *r = &t->t[t->n];
        snprintf(r->event, sizeof r->event, "%s", fl[0]);
        snprintf(r->channel, sizeof r->channel, "%s", fl[1]);
        r->from = ymd_to_days(d);
        r->subject = unescape(fl[3]);
        r->body = unescape(fl[4]);
        t->n++;
        if (!r->subject || !r->body) rc = err_set(e, ERR_NOMEM, "templates", "out of memory");
    }
    fclose(f);
    for (int ev = 0; !rc && ev < NE__COUNT; ev++) {
        int found = 0;
        for (int i = 0; i < t->n; i++)
            found |= !strcmp(t->t[i].event, event_names[ev]) && !strcmp(t->t[i].channel, "*");
        if (!found)
            rc = err_set(e, ERR_INVALID, "templates", "%s: event '%s' has no '*' template", path,
                         event_names[ev]);
    }
    if (rc) {
        notify_templates_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The latest row of event for channel in force on day. */
static const struct tmpl *pick(const struct notify_templates *t, const char *event,
                               const char *channel, int64_t day)
{
    const struct tmpl *best = NULL;
    for (int i = 0; i < t->n; i++) {
        const struct tmpl *r = &t->t[i];
        if (strcmp(r->event, event) || strcmp(r->channel, channel) || r->from > day) continue;
        if (!best || r->from >= best->from) best = r;
    }
    return best;
}

static void expand(const char *tpl, const char *vars, char *out, size_t n)
{
    size_t k = 0;
    if (!n) return;
    for (const char *p = tpl; *p && k + 1 < n;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        char name[40], val[NOTIFY_VARS_MAX];
        size_t nl = close ? (size_t)(close - p - 1) : 0;
        if (close && nl > 0 && nl < sizeof name) {
            memcpy(name, p + 1, nl);
            name[nl] = '\0';
            if (notify_vars_get(vars, name, val, sizeof val)) {
                for (const char *v = val; *v && k + 1 < n; v++)
                    out[k++] = *v;
                p = close + 1;
                continue;
            }
        }
        out[k++] = *p++;
    }
    out[k] = '\0';
}

int notify_render(const struct notify_templates *t, const char *event, const char *channel,
                  int64_t day, const char *vars, char *subject, size_t ns, char *body, size_t nb,
                  struct err *e)
{
    const struct tmpl *r = pick(t, event, channel, day);
    if (!r) r = pick(t, event, "*", day);
    if (!r) {
        char d[11];
        return err_set(e, ERR_NOT_FOUND, "event", "no template for '%s' in force on %s", event,
                       day_format(day, d));
    }
    expand(r->subject, vars, subject, ns);
    expand(r->body, vars, body, nb);
    return 0;
}
