/* queue.c — the desk queue's pure rules (queue.h): counter checks, the ticket state machine,
 * the display's spoken sentence, waiting-time statistics and appointment sessions. */
#include "queue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vntext.h"

static const char *const STATUS[QS_COUNT] = {"waiting", "called", "served", "no_show"};
static const char *const ACTION[QA_COUNT] = {"call", "recall", "serve", "no-show", "transfer"};
static const char *const CHANNEL[QC_COUNT] = {"desk", "phone", "booking"};

/* The ticket state machine, one row per allowed (from, action). The queue is the desk's own
 * organisation of the reception the one-stop rules require (Decree 118/2025/NĐ-CP on the
 * one-stop desk; its article on the desk's facilities (verify)); no decree fixes these
 * states, so the rows are the desk's practice:
 *   waiting --call--> called: the officer calls the number to the counter;
 *   called --recall--> called: called again (the display speaks it again);
 *   called --serve--> served; called --no-show--> no_show (absent after the calls);
 *   waiting|called --transfer--> waiting at another counter (keeps its number and its place
 *   by taking time). */
static const struct {
    enum queue_status from;
    enum queue_action act;
    enum queue_status to;
} TABLE[] = {
    {QS_WAITING, QA_CALL, QS_CALLED},      {QS_CALLED, QA_RECALL, QS_CALLED},
    {QS_CALLED, QA_SERVE, QS_SERVED},      {QS_CALLED, QA_NO_SHOW, QS_NO_SHOW},
    {QS_WAITING, QA_TRANSFER, QS_WAITING}, {QS_CALLED, QA_TRANSFER, QS_WAITING},
};

const char *queue_status_name(enum queue_status s)
{
    return (unsigned)s < QS_COUNT ? STATUS[s] : "?";
}
const char *queue_action_name(enum queue_action a)
{
    return (unsigned)a < QA_COUNT ? ACTION[a] : "?";
}
const char *queue_channel_name(enum queue_channel c)
{
    return (unsigned)c < QC_COUNT ? CHANNEL[c] : "?";
}

int queue_status_parse(const char *s, enum queue_status *out)
{
    for (int i = 0; s && i < QS_COUNT; i++)
        if (!strcmp(s, STATUS[i])) return *out = (enum queue_status)i, 0;
    return ERR_INVALID;
}

int queue_action_parse(const char *s, enum queue_action *out)
{
    for (int i = 0; s && i < QA_COUNT; i++)
        if (!strcmp(s, ACTION[i])) return *out = (enum queue_action)i, 0;
    return ERR_INVALID;
}

int queue_transition(enum queue_status from, enum queue_action a, enum queue_status *to,
                     struct err *e)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        if (TABLE[i].from == from && TABLE[i].act == a) return *to = TABLE[i].to, 0;
    return err_set(e, ERR_CONFLICT, "action", "cannot '%s' a ticket in state '%s'",
                   queue_action_name(a), queue_status_name(from));
}

static int text_ok(const char *s, const char *field, size_t max, struct err *e)
{
    if (!s[0]) return err_set(e, ERR_INVALID, field, "%s: must not be empty", field);
    if (!vntext_valid_utf8(s)) return err_set(e, ERR_INVALID, field, "%s: not valid UTF-8", field);
    if (vntext_control_at(s, 0) >= 0)
        return err_set(e, ERR_INVALID, field, "%s: control characters are not allowed", field);
    if (strlen(s) >= max)
        return err_set(e, ERR_INVALID, field, "%s: longer than %zu bytes", field, max - 1);
    return 0;
}

int queue_counter_check(const struct queue_counter *c, struct err *e)
{
    if (c->no < 1 || c->no > QUEUE_COUNTER_MAX)
        return err_set(e, ERR_INVALID, "no", "counter %d: must be 1..%d", c->no, QUEUE_COUNTER_MAX);
    int rc = text_ok(c->name, "name", sizeof c->name, e);
    if (rc) return rc;
    if (c->n_fields < 1)
        return err_set(e, ERR_INVALID, "fields", "counter %d: must serve at least one field",
                       c->no);
    for (int i = 0; i < c->n_fields; i++) {
        if ((rc = text_ok(c->fields[i], "fields", sizeof c->fields[i], e))) return rc;
        for (int j = 0; j < i; j++)
            if (!strcmp(c->fields[i], c->fields[j]))
                return err_set(e, ERR_INVALID, "fields", "field '%s': listed twice", c->fields[i]);
    }
    return 0;
}

int queue_fields_parse(const char *text, struct queue_counter *c, struct err *e)
{
    c->n_fields = 0;
    const char *p = text;
    while (*p) {
        const char *q = p + strcspn(p, "|;");
        while (p < q && (*p == ' ' || *p == '\t'))
            p++;
        const char *end = q;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > p) {
            if (c->n_fields == QUEUE_FIELDS_MAX)
                return err_set(e, ERR_INVALID, "fields", "more than %d fields", QUEUE_FIELDS_MAX);
            char raw[QUEUE_FIELD_LEN];
            if ((size_t)(end - p) >= sizeof raw)
                return err_set(e, ERR_INVALID, "fields", "field '%.40s…': longer than %zu bytes", p,
                               sizeof raw - 1);
            memcpy(raw, p, (size_t)(end - p));
            raw[end - p] = 0;
            if (vntext_nfc(raw, c->fields[c->n_fields], QUEUE_FIELD_LEN))
                return err_set(e, ERR_INVALID, "fields", "field '%.40s': not valid UTF-8", raw);
            c->n_fields++;
        }
        p = *q ? q + 1 : q;
    }
    return 0;
}

void queue_fields_join(const struct queue_counter *c, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < c->n_fields && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? "|" : "", c->fields[i]);
}

int queue_counter_serves(const struct queue_counter *c, const char *field)
{
    for (int i = 0; i < c->n_fields; i++)
        if (!strcmp(c->fields[i], field)) return 1;
    return 0;
}

void queue_speech_vi(int number, int counter_no, char *buf, size_t n)
{
    char digits[16], spaced[40];
    snprintf(digits, sizeof digits, "%d", number);
    size_t k = 0;
    for (const char *d = digits; *d && k + 2 < sizeof spaced; d++) {
        if (k) spaced[k++] = ' ';
        spaced[k++] = *d;
    }
    spaced[k] = 0;
    snprintf(buf, n, "Mời số %s đến quầy số %d", spaced, counter_no);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int queue_stats_compute(const struct queue_sample *s, size_t n, struct queue_stats *out,
                        struct err *e)
{
    memset(out, 0, sizeof *out);
    out->avg_wait = out->p90_wait = out->avg_service = out->served_per_hour = -1;
    int64_t *waits = malloc((n ? n : 1) * sizeof *waits);
    if (!waits) return err_set(e, ERR_NOMEM, "stats", "out of memory");
    size_t nw = 0;
    double sum_wait = 0, sum_svc = 0, open_s = 0;
    int64_t day = INT64_MIN, first = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        const struct queue_sample *x = &s[i];
        out->taken++;
        if (x->status == QS_WAITING) out->waiting++;
        if (x->status == QS_SERVED) out->served++;
        if (x->status == QS_NO_SHOW) out->no_show++;
        if (x->called) {
            out->called++;
            int64_t w = x->called > x->taken ? x->called - x->taken : 0;
            waits[nw++] = w;
            sum_wait += (double)w;
        }
        if (x->status == QS_SERVED && x->done >= x->called)
            sum_svc += (double)(x->done - x->called);
        /* hours open: per day, from the first call to the last finish */
        int64_t d = x->day;
        if (d != day) {
            if (last > first) open_s += (double)(last - first);
            day = d;
            first = last = 0;
        }
        if (x->called && (!first || x->called < first)) first = x->called;
        int64_t end = x->done ? x->done : x->called;
        if (end > last) last = end;
    }
    if (last > first && first) open_s += (double)(last - first);
    if (nw) {
        out->avg_wait = sum_wait / (double)nw;
        qsort(waits, nw, sizeof *waits, cmp_i64);
        size_t rank = (size_t)ceil(0.9 * (double)nw); /* nearest rank, 1-based */
        out->p90_wait = (double)waits[rank ? rank - 1 : 0];
    }
    if (out->served) out->avg_service = sum_svc / out->served;
    if (open_s >= 60) out->served_per_hour = out->served * 3600.0 / open_s;
    free(waits);
    return 0;
}

/* data/queue/sessions.tsv: unit, weekday (1 = Monday … 7 = Sunday), sessions "07:30-11:30
 * 13:30-17:00", slot minutes, capacity. Lines starting with '#' are comments. */
static int parse_hhmm(const char *s, int *m)
{
    int h, mi;
    char tail;
    if (sscanf(s, "%d:%d%c", &h, &mi, &tail) != 2 || h < 0 || h > 23 || mi < 0 || mi > 59)
        return -1;
    *m = h * 60 + mi;
    return 0;
}

static int parse_line(char *line, const char *path, int ln, char **unit, int *wd,
                      struct queue_session ss[2], int *ns, int *slot, int *cap, struct err *e)
{
    char *col[5];
    int nc = 0;
    for (char *p = line; nc < 5; nc++) {
        col[nc] = p;
        char *t = strchr(p, '\t');
        if (!t) {
            nc++;
            break;
        }
        *t = 0;
        p = t + 1;
    }
    if (nc != 5) return err_set(e, ERR_INVALID, "sessions", "%s:%d: expected 5 columns", path, ln);
    *unit = col[0];
    *wd = atoi(col[1]);
    *slot = atoi(col[3]);
    *cap = atoi(col[4]);
    if (*wd < 1 || *wd > 7 || *slot < 5 || *slot > 240 || *cap < 1 || *cap > 100)
        return err_set(e, ERR_INVALID, "sessions",
                       "%s:%d: weekday 1..7, slot 5..240 minutes, capacity 1..100", path, ln);
    *ns = 0;
    char *save = NULL;
    for (char *tok = strtok_r(col[2], " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *dash = strchr(tok, '-');
        if (!dash || *ns == 2)
            return err_set(e, ERR_INVALID, "sessions", "%s:%d: sessions", path, ln);
        *dash = 0;
        if (parse_hhmm(tok, &ss[*ns].start) || parse_hhmm(dash + 1, &ss[*ns].end) ||
            ss[*ns].end <= ss[*ns].start)
            return err_set(e, ERR_INVALID, "sessions", "%s:%d: session HH:MM-HH:MM", path, ln);
        (*ns)++;
    }
    return 0;
}

int queue_sessions_load(const char *path, const char *unit, struct queue_sessions *out,
                        struct err *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, ERR_IO, "sessions", "%s: cannot be read", path);
    struct queue_sessions own = {0}, def = {0};
    int have_own = 0, have_def = 0, ln = 0, rc = 0;
    char line[512];
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *u;
        int wd, ns, slot, cap;
        struct queue_session ss[2];
        if ((rc = parse_line(line, path, ln, &u, &wd, ss, &ns, &slot, &cap, e))) break;
        struct queue_sessions *q = !strcmp(u, "*") ? &def : unit && !strcmp(u, unit) ? &own : NULL;
        if (!q) continue;
        if (q == &def)
            have_def = 1;
        else
            have_own = 1;
        q->slot_min = slot;
        q->capacity = cap;
        q->n[wd - 1] = ns;
        memcpy(q->s[wd - 1], ss, sizeof ss);
    }
    fclose(f);
    if (rc) return rc;
    if (!have_own && !have_def)
        return err_set(e, ERR_NOT_FOUND, "unit", "%s: no sessions for unit '%s' or '*'", path,
                       unit ? unit : "");
    *out = have_own ? own : def;
    return 0;
}

int queue_slot_valid(const struct queue_sessions *q, int wd, int m)
{
    if (wd < 0 || wd > 6 || q->slot_min <= 0) return 0;
    for (int i = 0; i < q->n[wd]; i++) {
        const struct queue_session *s = &q->s[wd][i];
        if (m >= s->start && m + q->slot_min <= s->end && (m - s->start) % q->slot_min == 0)
            return 1;
    }
    return 0;
}
