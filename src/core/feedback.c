/* feedback.c — feedback and petitions: the transition table, the deadline rules read from
 * data/feedback/deadlines.tsv, the clock, the duplicate key, the follow-up code and masking.
 * Pure: the calendar and the rules are passed in; the only I/O is reading the rules file. */
#include "feedback.h"

#include "date.h"
#include "tsv.h"
#include "vntext.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[FK__COUNT] = {"regulation", "handling", "suggestion"};
static const char *const kind_labels_vi[FK__COUNT] = {
    "Phản ánh, kiến nghị về quy định hành chính",
    "Phản ánh về giải quyết hồ sơ, thái độ cán bộ",
    "Góp ý, đề xuất",
};
static const char *const status_names[FS__COUNT] = {
    "received", "accepted", "refused", "forwarded", "in_progress", "answered", "published",
};
static const char *const status_labels_vi[FS__COUNT] = {
    "Đã tiếp nhận", "Đã thụ lý",  "Không thụ lý", "Đã chuyển",
    "Đang xử lý",   "Đã trả lời", "Đã công khai",
};
static const char *const outcome_names[] = {"none", "on_time", "late", "in_time", "overdue"};

static const struct feedback_action_desc actions[FA__COUNT] = {
#define FEEDBACK_ACTION_ROW(act, name, flags, roles, summary)                                      \
    [act] = {act, name, flags, roles, summary},
    FEEDBACK_ACTIONS(FEEDBACK_ACTION_ROW)
#undef FEEDBACK_ACTION_ROW
};

/* The legal transitions; any pair not listed is illegal. Sources (verify where marked):
 *  - accept / refuse / forward on reception: Decree 20/2008/NĐ-CP as amended, the receiving
 *    agency classifies the feedback, takes what is in its remit, transfers the rest to the
 *    competent agency and tells the sender (Art. 14–15 (verify)); a forwarded item is decided
 *    anew by the unit it reaches, which may itself forward it (never simply closed).
 *  - refuse: feedback outside the decree's scope (complaints and denunciations, Art. 1) or
 *    without the required content is not taken, with the reason (Art. 9 (verify)).
 *  - start, answer: handling and the written answer (Art. 19–20 (verify)); a simple item may
 *    be answered straight after acceptance.
 *  - publish: the answer is made public (Circular 02/2017/TT-VPCP (verify article)); cchc
 *    publishes only with the sender's consent, personal data masked. */
struct transition {
    enum feedback_status from;
    enum feedback_action action;
    enum feedback_status to;
};
static const struct transition transitions[] = {
    {FS_RECEIVED, FA_ACCEPT, FS_ACCEPTED},    {FS_RECEIVED, FA_REFUSE, FS_REFUSED},
    {FS_RECEIVED, FA_FORWARD, FS_FORWARDED},  {FS_FORWARDED, FA_ACCEPT, FS_ACCEPTED},
    {FS_FORWARDED, FA_REFUSE, FS_REFUSED},    {FS_FORWARDED, FA_FORWARD, FS_FORWARDED},
    {FS_ACCEPTED, FA_START, FS_IN_PROGRESS},  {FS_ACCEPTED, FA_ANSWER, FS_ANSWERED},
    {FS_IN_PROGRESS, FA_ANSWER, FS_ANSWERED}, {FS_ANSWERED, FA_PUBLISH, FS_PUBLISHED},
};

const char *feedback_kind_name(enum feedback_kind k)
{
    return (unsigned)k < FK__COUNT ? kind_names[k] : "?";
}

const char *feedback_kind_label_vi(enum feedback_kind k)
{
    return (unsigned)k < FK__COUNT ? kind_labels_vi[k] : "?";
}

int feedback_kind_parse(const char *s, enum feedback_kind *out, struct err *e)
{
    for (int i = 0; s && i < FK__COUNT; i++)
        if (!strcmp(s, kind_names[i])) {
            *out = (enum feedback_kind)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind",
                   "kind '%s': expected one of regulation, handling, suggestion", s ? s : "");
}

const char *feedback_status_name(enum feedback_status s)
{
    return (unsigned)s < FS__COUNT ? status_names[s] : "?";
}

const char *feedback_status_label_vi(enum feedback_status s)
{
    return (unsigned)s < FS__COUNT ? status_labels_vi[s] : "?";
}

int feedback_status_parse(const char *s, enum feedback_status *out, struct err *e)
{
    for (int i = 0; s && i < FS__COUNT; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum feedback_status)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "status",
                   "status '%s': expected one of received, accepted, refused, forwarded, "
                   "in_progress, answered, published",
                   s ? s : "");
}

const struct feedback_action_desc *feedback_action_desc(enum feedback_action a)
{
    return (unsigned)a < FA__COUNT ? &actions[a] : NULL;
}

const struct feedback_action_desc *feedback_action_find(const char *word)
{
    for (int i = 0; word && i < FA__COUNT; i++)
        if (!strcmp(word, actions[i].name)) return &actions[i];
    return NULL;
}

const char *feedback_action_name(enum feedback_action a)
{
    return (unsigned)a < FA__COUNT ? actions[a].name : "?";
}

int feedback_action_parse(const char *s, enum feedback_action *out, struct err *e)
{
    const struct feedback_action_desc *d = feedback_action_find(s);
    if (d) {
        *out = d->action;
        return 0;
    }
    return err_set(e, ERR_INVALID, "action",
                   "action '%s': expected one of accept, refuse, forward, start, answer, publish",
                   s ? s : "");
}

int feedback_status_closed(enum feedback_status s)
{
    return s == FS_REFUSED || s == FS_PUBLISHED;
}

static const struct transition *find_transition(enum feedback_status s, enum feedback_action a)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == s && transitions[i].action == a) return &transitions[i];
    return NULL;
}

int feedback_transition_legal(enum feedback_status s, enum feedback_action a)
{
    return find_transition(s, a) != NULL;
}

/* ---- rules ---- */

static int parse_days(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 0 || v > 365) return -1;
    *out = (int)v;
    return 0;
}

static int rule_cmp(const void *a, const void *b)
{
    const struct feedback_rule *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return (x->effective > y->effective) - (x->effective < y->effective);
}

int feedback_rules_parse(const char *text, const char *name, struct feedback_rules *out,
                         struct err *e)
{
    out->n = 0;
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        lineno++;
        if (len >= sizeof line)
            return err_set(e, ERR_INVALID, "rules", "%s:%d: line too long", name, lineno);
        memcpy(line, p, len);
        line[len] = '\0';
        p = nl ? nl + 1 : p + len;
        if (!line[0] || line[0] == '#' || line[0] == '\r') continue;
        char *f[6];
        int nf = tsv_split(line, f, 6);
        if (nf != 5)
            return err_set(e, ERR_INVALID, "rules",
                           "%s:%d: expected 5 tab-separated fields "
                           "(effective, kind, decide_days, answer_days, source), got %d",
                           name, lineno, nf);
        if (out->n >= FEEDBACK_RULES_MAX)
            return err_set(e, ERR_RANGE, "rules", "%s:%d: more than %d rules", name, lineno,
                           FEEDBACK_RULES_MAX);
        struct feedback_rule *r = &out->r[out->n];
        struct ymd d;
        struct err e2 = {0};
        if (ymd_parse(f[0], &d, "effective", &e2))
            return err_set(e, ERR_INVALID, "rules", "%s:%d: %s", name, lineno, e2.msg);
        r->effective = ymd_to_days(d);
        if (feedback_kind_parse(f[1], &r->kind, &e2))
            return err_set(e, ERR_INVALID, "rules", "%s:%d: %s", name, lineno, e2.msg);
        if (parse_days(f[2], &r->decide_days) || parse_days(f[3], &r->answer_days))
            return err_set(e, ERR_INVALID, "rules",
                           "%s:%d: days '%s', '%s': must be whole numbers 0..365", name, lineno,
                           f[2], f[3]);
        if (r->decide_days > r->answer_days)
            return err_set(e, ERR_INVALID, "rules", "%s:%d: decide_days %d exceeds answer_days %d",
                           name, lineno, r->decide_days, r->answer_days);
        if (!f[4][0])
            return err_set(e, ERR_INVALID, "rules", "%s:%d: the source (legal citation) is empty",
                           name, lineno);
        snprintf(r->source, sizeof r->source, "%s", f[4]);
        for (int i = 0; i < out->n; i++)
            if (out->r[i].kind == r->kind && out->r[i].effective == r->effective)
                return err_set(e, ERR_INVALID, "rules", "%s:%d: a second rule for %s from %s", name,
                               lineno, f[1], f[0]);
        out->n++;
    }
    qsort(out->r, (size_t)out->n, sizeof out->r[0], rule_cmp);
    return 0;
}

int feedback_rules_load(const char *dir, struct feedback_rules *out, struct err *e)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/feedback/deadlines.tsv", dir);
    char buf[32768];
    int rc = tsv_file_read(path, buf, sizeof buf, "rules", e);
    if (rc) return rc;
    return feedback_rules_parse(buf, path, out, e);
}

const struct feedback_rule *feedback_rule_at(const struct feedback_rules *rs,
                                             enum feedback_kind kind, int64_t day, struct err *e)
{
    const struct feedback_rule *best = NULL;
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].kind == kind && rs->r[i].effective <= day) best = &rs->r[i];
    if (!best) {
        char b[16];
        err_set(e, ERR_NOT_FOUND, "kind", "no deadline rule for %s feedback on %s",
                feedback_kind_name(kind), day_format(day, b));
    }
    return best;
}

/* ---- the clock ---- */

static int decide_due(struct feedback_state *s, const struct calendar *cal,
                      const struct feedback_rules *rules, struct err *e)
{
    const struct feedback_rule *r =
        feedback_rule_at(rules, s->kind, instant_day(s->received_at), e);
    if (!r) return ERR_NOT_FOUND;
    return calendar_add_working_days(cal, s->received_at, r->decide_days, &s->decide_due_at, e);
}

int feedback_init(struct feedback_state *s, enum feedback_kind kind, int64_t at,
                  const struct calendar *cal, const struct feedback_rules *rules, struct err *e)
{
    memset(s, 0, sizeof *s);
    if ((unsigned)kind >= FK__COUNT)
        return err_set(e, ERR_INVALID, "kind", "kind %d: unknown", kind);
    if (at <= 0) return err_set(e, ERR_INVALID, "at", "reception time is not set");
    s->status = FS_RECEIVED;
    s->kind = kind;
    s->received_at = at;
    s->last_at = at;
    return decide_due(s, cal, rules, e);
}

static const char *illegal_reason(enum feedback_status s)
{
    switch (s) {
    case FS_RECEIVED:
    case FS_FORWARDED:
        return "it must first be accepted, refused or forwarded";
    case FS_ACCEPTED:
        return "it is already accepted";
    case FS_IN_PROGRESS:
        return "it is being handled and can only be answered";
    case FS_ANSWERED:
        return "it is answered and can only be published";
    case FS_REFUSED:
    case FS_PUBLISHED:
        return "it is closed";
    default:
        return "unknown state";
    }
}

int feedback_apply(const struct feedback_state *cur, enum feedback_action a,
                   const struct feedback_args *args, struct feedback_state *next, struct err *e)
{
    const struct transition *t = find_transition(cur->status, a);
    if (!t)
        return err_set(e, ERR_CONFLICT, "action", "cannot '%s' feedback in state '%s': %s",
                       feedback_action_name(a), feedback_status_name(cur->status),
                       illegal_reason(cur->status));
    if (args->at < cur->last_at) {
        char b1[20], b2[20];
        return err_set(e, ERR_INVALID, "at", "time %s is before the last action (%s)",
                       instant_format(args->at, b1), instant_format(cur->last_at, b2));
    }
    if (a == FA_PUBLISH && !args->consent)
        return err_set(e, ERR_CONFLICT, "consent",
                       "cannot 'publish' without the sender's consent to publication");
    *next = *cur;
    next->status = t->to;
    next->last_at = args->at;
    switch (a) {
    case FA_ACCEPT: {
        const struct feedback_rule *r =
            feedback_rule_at(args->rules, cur->kind, instant_day(cur->received_at), e);
        if (!r) return ERR_NOT_FOUND;
        next->accepted_at = args->at;
        /* The handling time counts from the day the unit received the item, so a slow
         * acceptance eats into it (verify: Decree 20/2008 as amended counts the handling time
         * from receipt). */
        int rc = calendar_add_working_days(args->cal, cur->received_at, r->answer_days,
                                           &next->answer_due_at, e);
        if (rc) return rc;
        break;
    }
    case FA_REFUSE:
        next->closed_at = args->at;
        break;
    case FA_FORWARD: {
        next->forwards++;
        next->received_at = args->at;
        next->accepted_at = next->answer_due_at = 0;
        int rc = decide_due(next, args->cal, args->rules, e);
        if (rc) return rc;
        break;
    }
    case FA_START:
        break;
    case FA_ANSWER:
        next->answered_at = args->at;
        break;
    case FA_PUBLISH:
        next->closed_at = args->at;
        break;
    default:
        break;
    }
    return 0;
}

const char *feedback_outcome_name(enum feedback_outcome o)
{
    return (unsigned)o <= FO_OVERDUE ? outcome_names[o] : "?";
}

enum feedback_outcome feedback_outcome_at(const struct feedback_state *s, int64_t now)
{
    switch (s->status) {
    case FS_REFUSED:
        return FO_NONE;
    case FS_RECEIVED:
    case FS_FORWARDED:
        return now > s->decide_due_at ? FO_OVERDUE : FO_NONE;
    case FS_ACCEPTED:
    case FS_IN_PROGRESS:
        return now > s->answer_due_at ? FO_OVERDUE : FO_IN_TIME;
    case FS_ANSWERED:
    case FS_PUBLISHED:
        return s->answered_at <= s->answer_due_at ? FO_ON_TIME : FO_LATE;
    default:
        return FO_NONE;
    }
}

/* ---- duplicates ---- */

/* The contact as compared: an e-mail address in lower case, else the phone's digits with
 * +84/84 written as the leading 0. */
static void contact_norm(const char *c, char *out, size_t n)
{
    size_t j = 0;
    if (strchr(c, '@')) {
        for (; *c && j + 1 < n; c++)
            if (!isspace((unsigned char)*c)) out[j++] = (char)tolower((unsigned char)*c);
    } else {
        const char *p = c;
        while (*p && !isdigit((unsigned char)*p))
            p++;
        if (!strncmp(p, "84", 2) && strchr(c, '+')) {
            out[j++] = '0';
            p += 2;
        }
        for (; *p && j + 1 < n; p++)
            if (isdigit((unsigned char)*p)) out[j++] = *p;
    }
    out[j] = '\0';
}

int feedback_dup_key(const char *contact, const char *text, char key[FEEDBACK_KEY_LEN],
                     struct err *e)
{
    key[0] = '\0';
    char c[256];
    contact_norm(contact ? contact : "", c, sizeof c);
    if (!c[0]) return 0;
    size_t n = strlen(text ? text : "") * 2 + 16;
    char *folded = malloc(n);
    if (!folded) return err_set(e, ERR_NOMEM, "text", "out of memory");
    int rc = vntext_fold(text ? text : "", folded, n);
    if (rc) {
        free(folded);
        return err_set(e, rc, "text", "the text is not valid UTF-8");
    }
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, 64 bits */
    for (const char *p = c; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (const char *p = folded; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    free(folded);
    snprintf(key, FEEDBACK_KEY_LEN, "%016llx", (unsigned long long)h);
    return 0;
}

int feedback_is_duplicate(const char *key_a, int64_t a, const char *key_b, int64_t b)
{
    if (!key_a || !key_b || !key_a[0] || strcmp(key_a, key_b)) return 0;
    int64_t d = a > b ? a - b : b - a;
    return d < FEEDBACK_DUP_WINDOW;
}

/* ---- follow-up code ---- */

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* 31, no 0 O 1 I L */

int feedback_code_build(int64_t day, const unsigned char rnd[6], char out[FEEDBACK_CODE_LEN],
                        struct err *e)
{
    struct ymd d = days_to_ymd(day);
    if (d.y < 2000 || d.y > 2099)
        return err_set(e, ERR_RANGE, "date", "year %d: codes cover 2000..2099", d.y);
    char tail[7];
    for (int i = 0; i < 6; i++)
        tail[i] = code_alphabet[rnd[i] % (sizeof code_alphabet - 1)];
    tail[6] = '\0';
    snprintf(out, FEEDBACK_CODE_LEN, "PA-%02u%02u%02u-%s", (unsigned)d.y % 100u,
             (unsigned)d.m % 100u, (unsigned)d.d % 100u, tail);
    return 0;
}

int feedback_code_valid(const char *s)
{
    if (!s || strlen(s) != FEEDBACK_CODE_LEN - 1) return 0;
    if (toupper((unsigned char)s[0]) != 'P' || toupper((unsigned char)s[1]) != 'A' || s[2] != '-' ||
        s[9] != '-')
        return 0;
    for (int i = 3; i < 9; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    for (int i = 10; i < 16; i++)
        if (!strchr(code_alphabet, toupper((unsigned char)s[i]))) return 0;
    return 1;
}

/* ---- masking ---- */

void feedback_mask_personal(const char *text, char *out, size_t n)
{
    size_t j = 0;
    const char *p = text ? text : "";
    if (!n) return;
#define PUT(ch)                                                                                    \
    do {                                                                                           \
        if (j + 1 < n) out[j++] = (ch);                                                            \
    } while (0)
    while (*p) {
        /* a word containing '@' is an e-mail address */
        if (!isspace((unsigned char)*p)) {
            const char *w = p;
            while (*w && !isspace((unsigned char)*w))
                w++;
            while (w > p && strchr(",;:.!?)", w[-1]))
                w--; /* punctuation after the address is kept */
            const char *at = memchr(p, '@', (size_t)(w - p));
            if (at && at > p && at + 1 < w) {
                for (int k_ = 0; k_ < 3; k_++)
                    PUT('*');
                p = w;
                continue;
            }
        }
        /* a run of digits (spaces, dots, hyphens inside; + in front) with 9 or more digits is
         * a phone or an ID number */
        if (isdigit((unsigned char)*p) || (*p == '+' && isdigit((unsigned char)p[1]))) {
            const char *q = p + (*p == '+');
            int digits = 0;
            const char *last = q;
            while (*q) {
                if (isdigit((unsigned char)*q)) {
                    digits++;
                    last = q + 1;
                } else if (!((*q == ' ' || *q == '.' || *q == '-') && isdigit((unsigned char)q[1])))
                    break;
                q++;
            }
            if (digits >= 9) {
                for (int k_ = 0; k_ < 3; k_++)
                    PUT('*');
            } else {
                for (const char *r = p; r < last; r++)
                    PUT(*r);
            }
            p = last;
            continue;
        }
        PUT(*p);
        p++;
    }
#undef PUT
    out[j] = '\0';
}

/* ---- input ---- */

static const char *const channel_names[FC__COUNT] = {"web", "dossier", "phone", "letter", "visit"};

const char *feedback_channel_name(enum feedback_channel c)
{
    return (unsigned)c < FC__COUNT ? channel_names[c] : "?";
}

int feedback_channel_parse(const char *s, enum feedback_channel *out, struct err *e)
{
    for (int i = 0; s && i < FC__COUNT; i++)
        if (!strcmp(s, channel_names[i])) {
            *out = (enum feedback_channel)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "channel",
                   "channel '%s': expected one of web, dossier, phone, letter, visit", s ? s : "");
}

static int phone_ok(const char *p)
{
    size_t n = strlen(p);
    const char *d = p;
    if (p[0] == '+' && p[1] == '8' && p[2] == '4' && n == 12)
        d = p + 3;
    else if (p[0] == '0' && n == 10)
        d = p + 1;
    else
        return 0;
    for (; *d; d++)
        if (!isdigit((unsigned char)*d)) return 0;
    return 1;
}

static int email_ok(const char *m)
{
    const char *at = strchr(m, '@');
    if (!at || at == m || strchr(at + 1, '@') || !strchr(at + 1, '.')) return 0;
    for (const char *p = m; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"') return 0;
    return at[1] != '.' && m[strlen(m) - 1] != '.';
}

int feedback_input_check(const char *body, const struct feedback_contact *c, struct err *e)
{
    if (!body || !*body) return err_set(e, ERR_INVALID, "body", "body: the text is empty");
    size_t n = strlen(body);
    if (n > FEEDBACK_BODY_MAX)
        return err_set(e, ERR_INVALID, "body", "body: %zu bytes, at most %d", n, FEEDBACK_BODY_MAX);
    if (!vntext_valid_utf8(body)) return err_set(e, ERR_INVALID, "body", "body: not valid UTF-8");
    long at = vntext_control_at(body, 1);
    if (at >= 0) return err_set(e, ERR_INVALID, "body", "body: control character at byte %ld", at);
    if (!c) return 0;
    if (!vntext_valid_utf8(c->name) || vntext_control_at(c->name, 0) >= 0)
        return err_set(e, ERR_INVALID, "name", "name: not valid text");
    if (c->phone[0] && !phone_ok(c->phone))
        return err_set(e, ERR_INVALID, "phone",
                       "phone: expected 0 and 9 digits, or +84 and 9 digits (not shown: personal "
                       "data)");
    if (c->email[0] && !email_ok(c->email))
        return err_set(e, ERR_INVALID, "email",
                       "email: not an e-mail address (not shown: personal data)");
    return 0;
}
