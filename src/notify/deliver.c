/* deliver.c — the outbox's delivery (deliver.h): claim, render, send by channel, record. */
#include "deliver.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "notify.h"
#include "store_notify.h"

#define BATCH_MAX 64

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void notify_owner_id(char *buf, size_t n)
{
    char host[64] = "host";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    if (sodium_init() < 0) {
        snprintf(buf, n, "%s:%ld", host, (long)getpid());
        return;
    }
    snprintf(buf, n, "%s:%ld:%08x", host, (long)getpid(), (unsigned)randombytes_random());
}

/* A message ready for its channel. */
struct outmsg {
    const struct outbox_row *row;
    char subject[512];
    char body[8192];
};

/* The outcome of one attempt: ok, or an error that is retried unless permanent. */
struct outcome {
    int ok, permanent;
    char error[256];
};

static void fail_with(struct outcome *o, int permanent, const char *fmt, const char *arg)
{
    o->ok = 0;
    o->permanent = permanent;
    char buf[1200];
    snprintf(buf, sizeof buf, fmt, arg ? arg : "");
    memcpy(o->error, buf, sizeof o->error - 1); /* cut to the row's reason column */
    o->error[sizeof o->error - 1] = '\0';
}

/* ---- the loopback sink ---- */

static void send_sink(const struct notify_channels *c, const struct outmsg *m, struct outcome *o)
{
    const struct outbox_row *r = m->row;
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:I}", "msg_id", r->msg_id, "event", r->event,
        "channel", r->channel, "to", r->recipient, "subject", m->subject, "body", m->body,
        "dossier", r->dossier_code[0] ? r->dossier_code : NULL, "at", (json_int_t)time(NULL));
    char *line = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!line) return fail_with(o, 0, "sink: cannot encode the message%s", "");
    size_t n = strlen(line);
    line[n] = '\n'; /* json_dumps's NUL becomes the line's end: one write() per line */
    int fd = open(c->sink, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    ssize_t w = fd >= 0 ? write(fd, line, n + 1) : -1;
    if (fd >= 0) close(fd);
    free(line);
    if (w != (ssize_t)(n + 1)) return fail_with(o, 0, "sink: cannot append to %s", c->sink);
    o->ok = 1;
}

/* ---- e-mail by SMTP ---- */

struct readbuf {
    const char *p;
    size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
    struct readbuf *b = ud;
    size_t n = size * nmemb < b->left ? size * nmemb : b->left;
    memcpy(dst, b->p, n);
    b->p += n;
    b->left -= n;
    return n;
}

/* base64 of s wrapped at 76 columns with CRLF, appended to out. */
static void b64_lines(const char *s, char *out, size_t n)
{
    size_t len = strlen(s), k = strlen(out);
    for (size_t i = 0; i < len; i += 57) {
        size_t chunk = len - i < 57 ? len - i : 57;
        char b[80];
        sodium_bin2base64(b, sizeof b, (const unsigned char *)s + i, chunk,
                          sodium_base64_VARIANT_ORIGINAL);
        k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s\r\n", b);
    }
}

static void send_email(const struct notify_channels *c, const struct outmsg *m, struct outcome *o)
{
    const struct outbox_row *r = m->row;
    if (!c->smtp_url[0]) return fail_with(o, 0, "email: no smtp_url configured%s", "");
    char subj[1024], date[64], *mail = malloc(24576);
    if (!mail) return fail_with(o, 0, "email: out of memory%s", "");
    sodium_bin2base64(subj, sizeof subj, (const unsigned char *)m->subject,
                      strnlen(m->subject, 700), sodium_base64_VARIANT_ORIGINAL);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *from = c->smtp_from[0] ? c->smtp_from : "cchc@localhost";
    int k = snprintf(mail, 24576,
                     "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: =?UTF-8?B?%s?=\r\n"
                     "Message-ID: <%s@cchc>\r\nX-Cchc-Message-Id: %s\r\nX-Cchc-Event: %s\r\n"
                     "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n",
                     date, from, r->recipient, subj, r->msg_id, r->msg_id, r->event);
    mail[k] = '\0';
    b64_lines(m->body, mail, 24576);
    char fromb[300], tob[300];
    snprintf(fromb, sizeof fromb, "<%s>", from);
    snprintf(tob, sizeof tob, "<%s>", r->recipient);
    CURL *h = curl_easy_init();
    struct curl_slist *rcpt = curl_slist_append(NULL, tob);
    struct readbuf rb = {mail, strlen(mail)};
    CURLcode cc = CURLE_FAILED_INIT;
    if (h && rcpt) {
        curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, fromb);
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(h, CURLOPT_READDATA, &rb);
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)(c->timeout_s > 0 ? c->timeout_s : 20));
        if (c->smtp_user[0]) {
            curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
            curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
            curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        }
        cc = curl_easy_perform(h);
    }
    long code = 0;
    if (h) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    free(mail);
    if (cc == CURLE_OK) {
        o->ok = 1;
        return;
    }
    /* 5xx: the server refused the recipient or the message for good (RFC 5321 4.2.1) */
    fail_with(o, code >= 500 && code < 600, "email: %s", curl_easy_strerror(cc));
}

/* ---- SMS and Zalo OA gateways ---- */

static size_t discard_cb(char *p, size_t size, size_t nmemb, void *ud)
{
    (void)p;
    (void)ud;
    return size * nmemb;
}

static void send_gateway(const char *name, const char *url, const char *token,
                         const struct notify_channels *c, const struct outmsg *m, struct outcome *o)
{
    const struct outbox_row *r = m->row;
    if (!url[0]) return fail_with(o, 0, "%s: no gateway url configured", name);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "msg_id", r->msg_id, "to", r->recipient, "event",
                          r->event, "text", m->body);
    char *payload = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!payload) return fail_with(o, 0, "%s: cannot encode the message", name);
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    CURL *h = curl_easy_init();
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    if (token[0]) hd = curl_slist_append(hd, auth);
    CURLcode cc = CURLE_FAILED_INIT;
    long code = 0;
    if (h && hd) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)(c->timeout_s > 0 ? c->timeout_s : 20));
        cc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    }
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    free(payload);
    if (cc != CURLE_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: %s", name, curl_easy_strerror(cc));
        return fail_with(o, 0, "%s", msg);
    }
    if (code >= 200 && code < 300) {
        o->ok = 1;
        return;
    }
    char msg[80];
    snprintf(msg, sizeof msg, "%s: gateway answered HTTP %ld", name, code);
    /* A 4xx refuses the message itself and will not change by retrying — except a refused
     * token (401, 403: our configuration, which an operator fixes), a timeout and throttling */
    fail_with(o,
              code >= 400 && code < 500 && code != 401 && code != 403 && code != 408 && code != 429,
              "%s", msg);
}

/* ---- one message ---- */

static int render(const struct notify_templates *t, const struct notify_channels *c,
                  const struct outbox_row *r, struct outmsg *m, struct err *e)
{
    char vars[NOTIFY_VARS_MAX + 2048], link[NOTIFY_CFG_STR + 128];
    const char *base = c->public_url[0] ? c->public_url : "http://127.0.0.1:8080";
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    snprintf(vars, sizeof vars, "%s", r->vars);
    int rc = 0;
    if (!notify_vars_get(r->vars, "link", NULL, 0)) {
        char code[64];
        notify_vars_get(r->vars, "code", code, sizeof code);
        char token[64];
        char path[64];
        if (notify_vars_get(r->vars, "path", path, sizeof path) && path[0] == '#')
            snprintf(link, sizeof link, "%.*s/%s", (int)bl, base, path); /* a staff page */
        else if (!strcmp(r->event, "survey_invitation") &&
                 notify_vars_get(r->vars, "token", token, sizeof token))
            snprintf(link, sizeof link, "%.*s/#/khao-sat/%s", (int)bl, base, token);
        else if (!strcmp(r->event, "feedback_answered"))
            snprintf(link, sizeof link, "%.*s/#/phan-anh?code=%s", (int)bl, base, code);
        else if (code[0])
            snprintf(link, sizeof link, "%.*s/#/tra-cuu?code=%s", (int)bl, base, code);
        else
            snprintf(link, sizeof link, "%.*s/#/tra-cuu", (int)bl, base);
        rc = notify_vars_add(vars, sizeof vars, "link", link, e);
    }
    if (!rc && r->unsub[0]) {
        snprintf(link, sizeof link, "%.*s/#/huy-thong-bao?token=%s", (int)bl, base, r->unsub);
        rc = notify_vars_add(vars, sizeof vars, "unsubscribe", link, e);
    }
    if (!rc)
        rc = notify_render(t, r->event, r->channel, instant_day(r->event_at), vars, m->subject,
                           sizeof m->subject, m->body, sizeof m->body, e);
    sodium_memzero(vars, sizeof vars);
    return rc;
}

static void deliver_one(const struct notify_templates *t, const struct notify_channels *c,
                        const struct outbox_row *r, struct outcome *o)
{
    struct outmsg *m = calloc(1, sizeof *m);
    struct err e = {0};
    memset(o, 0, sizeof *o);
    if (!m) return fail_with(o, 0, "out of memory%s", "");
    m->row = r;
    if (render(t, c, r, m, &e))
        fail_with(o, 1, "template: %s", e.msg);
    else if (c->sink[0])
        send_sink(c, m, o);
    else if (!strcmp(r->channel, "email"))
        send_email(c, m, o);
    else if (!strcmp(r->channel, "zalo"))
        send_gateway("zalo", c->zalo_url, c->zalo_token, c, m, o);
    else
        send_gateway("sms", c->sms_url, c->sms_token, c, m, o);
    sodium_memzero(m, sizeof *m);
    free(m);
}

int notify_run_once(struct store *s, const struct notify_templates *t,
                    const struct notify_channels *c, const char *owner, int max, int lease_s,
                    struct notify_run_stats *st, struct err *e)
{
    pthread_once(&curl_once, curl_init_once);
    memset(st, 0, sizeof *st);
    if (max < 1 || max > BATCH_MAX) max = BATCH_MAX;
    struct outbox_row *rows = malloc((size_t)max * sizeof *rows);
    if (!rows) return err_set(e, ERR_NOMEM, "", "out of memory");
    int n = 0;
    int rc = store_outbox_claim(s, owner, (int64_t)time(NULL), lease_s, max, rows, &n, e);
    st->claimed = n;
    for (int i = 0; !rc && i < n; i++) {
        struct outcome o;
        deliver_one(t, c, &rows[i], &o);
        struct err re = {0};
        int r2 = store_outbox_result(s, rows[i].id, rows[i].province, owner, o.ok, o.permanent,
                                     o.error, (int64_t)time(NULL), &re);
        if (r2 && r2 != ERR_CONFLICT) {
            rc = r2;
            *e = re;
        }
        if (o.ok)
            st->sent++;
        else if (o.permanent || rows[i].attempts >= NOTIFY_MAX_ATTEMPTS)
            st->dead++;
        else
            st->failed++;
    }
    sodium_memzero(rows, (size_t)max * sizeof *rows);
    free(rows);
    return rc;
}
