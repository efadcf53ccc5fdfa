/* server.c — the libmicrohttpd side: one access-handler that gathers the body (with the
 * size limit), matches the route table, checks session, role and CSRF, leases a database
 * connection, calls the resource's handler and sends its answer; the completion callback
 * records metrics and the slow-request log (route pattern and status only: never URLs,
 * bodies or personal data) and frees the request's arena. */
#define _GNU_SOURCE /* accept4, pipe2 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "calendar.h"
#include "conns.h"
#include "export.h"
#include "http.h"
#include "listcache.h"
#include "readcache.h"
#include "reqlog.h"
#include "messages.h"
#include "payment_http.h"
#include "server_int.h"
#include "store.h"
#include "store_login.h"
#include "vntext.h"

/* Calendar years compiled for the clock of dossiers (as the CLI does). */
#define CAL_FIRST_YEAR 2013
#define CAL_LAST_YEAR  2100

/* store_watch's calls (PostgreSQL): another process's change drops what it names (the
 * payloads of migration 055). */
static void on_watch(enum store_watch_event ev, const char *payload, void *arg)
{
    struct server *srv = arg;
    if (ev != STORE_WATCH_CHANGE) {
        readcache_live(srv->rcache, ev == STORE_WATCH_LIVE);
        readcache_live(srv->pcache, ev == STORE_WATCH_LIVE);
        return;
    }
    if (!payload || !*payload || payload[0] == '*' || strlen(payload) > 200) {
        readcache_flush(srv->rcache);
        readcache_flush(srv->pcache);
        return;
    }
    /* a dossier changed, or one was added: every list page may show it, and the citizen's
     * lookup of it (lookup.c) is kept beside its page */
    char key[220];
    if (payload[0] == 'd') {
        readcache_flush(srv->pcache);
        snprintf(key, sizeof key, "L:%s", payload + 1);
        readcache_drop(srv->rcache, key);
    }
    snprintf(key, sizeof key, "%c:%s", payload[0], payload + 1);
    readcache_drop(srv->rcache, key);
}

/* --- the store pool --- */

static int pool_open(struct store_pool *p, const char *db, int n, size_t cache_bytes,
                     long db_cache_mb, int group_commit, struct err *e)
{
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->s = calloc((size_t)n, sizeof *p->s);
    p->cache = calloc((size_t)n, sizeof *p->cache);
    p->busy = calloc((size_t)n, sizeof *p->busy);
    p->mark = calloc((size_t)n, sizeof *p->mark);
    p->marked = calloc((size_t)n, sizeof *p->marked);
    if (!p->s || !p->cache || !p->busy || !p->mark || !p->marked)
        return err_set(e, ERR_NOMEM, "db", "out of memory");
    for (int i = 0; i < n; i++) {
        int rc = store_open(db, &p->s[i], e);
        if (rc) return rc;
        if ((rc = store_page_cache(p->s[i], db_cache_mb, e)) ||
            (group_commit && (rc = store_group_commit(p->s[i], e)))) {
            store_close(p->s[i]);
            p->s[i] = NULL;
            return rc;
        }
        p->cache[i] = listcache_new(cache_bytes / (size_t)n);
        p->n++;
    }
    return 0;
}

static void pool_close(struct store_pool *p)
{
    for (int i = 0; i < p->n; i++)
        store_close(p->s[i]);
    for (int i = 0; p->cache && p->s && i < p->n; i++)
        listcache_free(p->cache[i]);
    free(p->cache);
    p->cache = NULL;
    free(p->s);
    free(p->busy);
    free(p->mark);
    free(p->marked);
    p->mark = NULL;
    p->marked = NULL;
    p->s = NULL;
    p->busy = NULL;
    p->n = 0;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

static int pool_lease(struct store_pool *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        for (int i = 0; i < p->n; i++)
            if (!p->busy[i]) {
                p->busy[i] = 1;
                pthread_mutex_unlock(&p->mu);
                return i;
            }
        pthread_cond_wait(&p->cv, &p->mu);
    }
}

static void pool_release(struct store_pool *p, int i)
{
    pthread_mutex_lock(&p->mu);
    p->busy[i] = 0;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

struct store *req_store(struct req *r)
{
    if (!r->store) {
        r->store_slot = pool_lease(&r->srv->pool);
        r->store = r->srv->pool.s[r->store_slot];
    }
    return r->store;
}

struct readcache *req_read_cache(struct req *r)
{
    return r->rc_ticket ? r->srv->rcache : NULL;
}

struct readcache *req_page_cache(struct req *r)
{
    return r->pc_ticket ? r->srv->pcache : NULL;
}

/* readcache.h: a GET's check, inside its read transaction, of what changed since it was last
 * looked at; everything kept is dropped when anything did. This process's own commits are
 * counted (store_own_commits): one since the last check drops at once. Other processes':
 * on PostgreSQL their notifications drop what they name (on_watch), nothing to check here; on
 * SQLite the file's data version, read by one statement (store_change_mark), at most every
 * read_cache_check_ms: a request within that time of the last check, with no commit of this
 * process since, uses the cache unchecked, so another process's change shows within it (0:
 * read at every request). A failed check leaves the request without the cache. Exported for
 * a POST that only reads (req_read_cache_begin). */
void req_read_cache_check(struct req *r)
{
    struct server *srv = r->srv;
    if (!r->rc_ticket && !r->pc_ticket) return;
    /* both before the read (the ticket's rule): a commit after them is seen next time */
    uint64_t own = store_own_commits();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    int pg = srv->watch != NULL;
    pthread_mutex_lock(&srv->mark_mu);
    int changed = !srv->rc_checked || own != srv->rc_own;
    int fresh =
        !changed && (pg || now - srv->rc_checked_at < srv->cfg.read_cache_check_ms * 1000000);
    pthread_mutex_unlock(&srv->mark_mu);
    if (fresh) return;
    if (!pg) {
        uint64_t mark;
        struct err e = {0};
        if (store_change_mark(req_store(r), &mark, &e)) {
            r->rc_ticket = r->pc_ticket = 0;
            return;
        }
        int i = r->store_slot; /* the connection is this request's alone */
        if (!srv->pool.marked[i] || srv->pool.mark[i] != mark) changed = 1;
        srv->pool.mark[i] = mark;
        srv->pool.marked[i] = 1;
    }
    pthread_mutex_lock(&srv->mark_mu);
    srv->rc_own = own;
    srv->rc_checked_at = now;
    srv->rc_checked = 1;
    pthread_mutex_unlock(&srv->mark_mu);
    readcache_sync(srv->rcache, &r->rc_ticket, changed);
    readcache_sync(srv->pcache, &r->pc_ticket, changed);
}

void req_read_cache_begin(struct req *r)
{
    r->rc_ticket = readcache_ticket(r->srv->rcache);
}

struct listcache *req_list_cache(struct req *r)
{
    req_store(r);
    return r->srv->pool.cache[r->store_slot];
}

static void req_store_release(struct req *r)
{
    calendar_http_release(r);
    if (!r->store) return;
    pool_release(&r->srv->pool, r->store_slot);
    r->store = NULL;
}

const struct calendar *req_calendar(struct req *r)
{
    return calendar_http_get(r);
}

const struct serve_config *req_config(struct req *r)
{
    return &r->srv->cfg;
}

/* --- request accessors --- */

const char *req_param(struct req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (!strcmp(r->pname[i], name)) return r->pval[i];
    return NULL;
}

const char *req_query(struct req *r, const char *name)
{
    if (r->hide_query && !strcmp(name, r->hide_query)) return NULL;
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

#define QUERY_ARGS_MAX 32

struct query_check {
    struct req *r;
    const char *const *allowed;
    const char *bad_key;
    int why; /* 1 unknown, 2 bad UTF-8, 3 given twice, 4 too many, 5 holds NUL */
    int n;
    const char *seen[QUERY_ARGS_MAX];
};

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct query_check *q = cls;
    int known = 0;
    if (q->r->hide_query && !strcmp(key, q->r->hide_query)) return MHD_YES;
    /* ?name=%00 decodes to a value C sees as empty: it would mean "no filter". */
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
        q->why = 5;
        q->bad_key = strlen(key) == key_size && vntext_valid_utf8(key) ? key : "?";
        return MHD_NO;
    }
    for (size_t i = 0; q->allowed && q->allowed[i]; i++)
        if (!strcmp(q->allowed[i], key)) known = 1;
    if (!vntext_valid_utf8(key) || (value && !vntext_valid_utf8(value))) {
        q->why = 2;
        q->bad_key = vntext_valid_utf8(key) ? key : "?";
        return MHD_NO;
    }
    if (!known) {
        q->why = 1;
        q->bad_key = key;
        return MHD_NO;
    }
    /* ?status=a&status=b would silently mean one of them: refused instead. */
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->seen[i], key)) {
            q->why = 3;
            q->bad_key = key;
            return MHD_NO;
        }
    if (q->n == QUERY_ARGS_MAX) {
        q->why = 4;
        return MHD_NO;
    }
    q->seen[q->n++] = key;
    return MHD_YES;
}

int req_query_check(struct req *r, const char *const *allowed)
{
    struct query_check q = {.r = r, .allowed = allowed};
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    if (q.why == 5) {
        reply_error(r, 400, "invalid", q.bad_key, "query argument '%.60s' holds a NUL character",
                    q.bad_key);
        return -1;
    }
    if (q.why == 3) {
        reply_error(r, 400, "invalid", q.bad_key, "query argument '%.60s' is given more than once",
                    q.bad_key);
        return -1;
    }
    if (q.why == 4) {
        reply_error(r, 400, "invalid", NULL, "more than %d query arguments", QUERY_ARGS_MAX);
        return -1;
    }
    if (q.why == 2) {
        reply_error(r, 400, "bad_utf8", q.bad_key, "query argument '%.60s': not valid UTF-8",
                    q.bad_key);
        return -1;
    }
    if (q.why == 1) {
        reply_error(r, 400, "unknown_field", q.bad_key, "query argument '%.60s' is not known here",
                    q.bad_key);
        return -1;
    }
    return 0;
}

int64_t now_unix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t now_local_minutes(void)
{
    /* Vietnam is UTC+7 all year (no daylight saving), date.h's local civil time. */
    return (now_unix() + 7 * 3600) / 60;
}

int64_t today_local(void)
{
    return instant_day(now_local_minutes());
}

/* --- building the answer --- */

void reply_header(struct req *r, const char *name, const char *value)
{
    if (r->nhdr < (int)(sizeof r->hdr_name / sizeof r->hdr_name[0])) {
        r->hdr_name[r->nhdr] = name;
        r->hdr_val[r->nhdr] = value;
        r->nhdr++;
    }
}

void reply_arena_text(struct req *r, int status, const char *ctype, char *text, size_t len)
{
    r->resp = text;
    r->resp_len = len;
    r->status = status;
    r->ctype = ctype;
    r->replied = 1;
}

void reply_text(struct req *r, int status, const char *ctype, const char *text, size_t len)
{
    char *copy = arena_strndup(r->arena, text, len);
    reply_arena_text(r, copy ? status : 500, ctype, copy, copy ? len : 0);
}

void reply_json(struct req *r, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        const char *fallback = "{\"error\":{\"code\":\"internal\",\"field\":null,"
                               "\"message\":\"the answer could not be built\"}}";
        reply_text(r, 500, "application/json; charset=utf-8", fallback, strlen(fallback));
        r->err_code = "internal";
        return;
    }
    reply_text(r, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

void reply_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
                 ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *err = json_object();
    json_object_set_new(err, "code", json_string(code));
    json_object_set_new(err, "field", jstr(field));
    /* The catalogue's message (messages.c) in the language the request asks for, its rule
     * (a stable machine name) and the values it took from the text; without a language the
     * message is the handler's own English text, as before. */
    enum msg_lang lang = msg_lang_of(req_header(r, "Accept-Language"));
    struct msg_found fbuf, *found = &fbuf;
    msg_lookup(code, field, msg, lang, found);
    /* A message quoting an invalid byte sequence would not be a JSON string: say so. */
    json_t *m = json_string(msg);
    if (!m) m = json_string("(message not valid UTF-8)");
    if (found->rule) {
        json_object_set_new(err, "rule", json_string(found->rule));
        json_t *params = json_object();
        for (int i = 0; i < found->nparams; i++)
            json_object_set_new(params, found->pname[i], jstr(found->pval[i]));
        json_object_set_new(err, "params", params);
        if (lang != MSG_LANG_NONE) {
            json_object_set_new(err, "detail", m);
            m = json_string(found->text);
        }
    }
    json_object_set_new(err, "message", m);
    reply_json(r, status, json_pack("{s:o}", "error", err));
    r->err_code = code;
}

void reply_err(struct req *r, const struct err *e)
{
    const char *field = e->field[0] ? e->field : NULL;
    switch (e->code) {
    case ERR_INVALID:
    case ERR_RANGE:
        reply_error(r, 400, "invalid", field, "%s", e->msg);
        return;
    case ERR_NOT_FOUND:
        reply_error(r, 404, "not_found", field, "%s", e->msg);
        return;
    case ERR_CONFLICT:
        reply_error(r, 409, "conflict", field, "%s", e->msg);
        return;
    default:
        /* Store messages name no personal data (store.h), so they may go to the log. */
        fprintf(stderr, "cchc serve: %s %s: error %d: %s\n", r->method,
                r->route ? r->route->pattern : "?", e->code, e->msg);
        reply_error(r, e->code == ERR_IO ? 503 : 500, "internal", NULL,
                    "the server could not complete the request; try again later");
    }
}

/* --- sending --- */

static enum MHD_Result send_reply(struct req *r)
{
    if (!r->replied)
        reply_error(r, 500, "internal", NULL, "the handler gave no answer (a bug in cchc)");
    if (r->route && strcmp(r->route->method, "GET")) {
        /* Writes that failed in the database (503) make /healthz say "not ready"; noted before
         * the answer leaves, so a client's next request already sees it. */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        if (r->status == 503)
            atomic_store(&r->srv->last_write_fail, ms);
        else if (r->status < 500)
            atomic_store(&r->srv->last_write_ok, ms);
    }
    /* The text lives in the request's arena, which on_completed frees only once microhttpd
     * is done with the request and its answer: no copy needed. */
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->resp_len, r->resp, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->ctype);
    int own_cache = 0; /* static.c sets its own Cache-Control */
    for (int i = 0; i < r->nhdr; i++)
        own_cache |= !strcasecmp(r->hdr_name[i], "Cache-Control");
    if (!own_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    for (int i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hdr_name[i], r->hdr_val[i]);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->sent = 1;
    return ok;
}

/* --- dispatch --- */

static int content_type_json(const char *ct)
{
    if (!ct) return 0;
    size_t n = strlen("application/json");
    return !strncasecmp(ct, "application/json", n) && (ct[n] == 0 || ct[n] == ';');
}

/* Checks session, role and CSRF token for the route, then runs its handler (which replies).
 * Shaped as a store_tx_fn so GET requests can run it inside store_read. */
static int authorise_and_handle(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    (void)e;
    struct req *r = ctx;
    const struct route *rt = r->route;
    req_read_cache_check(r);
    if (rt->roles) {
        if (auth_load_session(r)) {
            reply_error(r, 401, "unauthorized", NULL, "sign in first (POST /api/session)");
            return 0;
        }
        if (!(rt->roles & RB(r->sess->user.role))) {
            reply_error(r, 403, "forbidden", NULL, "the role %s may not do this",
                        user_role_name(r->sess->user.role));
            return 0;
        }
        if (rt->csrf && !auth_csrf_ok(r)) {
            reply_error(r, 403, "csrf", "X-CSRF-Token",
                        "missing or wrong X-CSRF-Token header (the csrf value of the session)");
            return 0;
        }
    }
    /* ?format=xlsx|pdf of a table (export.c): the same handler, its answer as a file */
    if (export_prepare(r)) return 0;
    rt->handler(r);
    export_finish(r);
    return 0;
}

/* The 413 of a body over the limit of its route (declared is its Content-Length, 0 if not
 * known); an upload route names the file and its limit. */
static void too_large(struct req *r, unsigned long long declared)
{
    if (r->body_limit != (size_t)r->srv->cfg.body_limit) {
        if (declared)
            reply_error(r, 413, "too_large", "file", "file: %llu bytes, more than the limit %zu",
                        declared, r->body_limit);
        else
            reply_error(r, 413, "too_large", "file", "file: more than the limit %zu bytes",
                        r->body_limit);
        return;
    }
    reply_error(r, 413, "too_large", NULL, "the request body is larger than %lld bytes",
                (long long)r->srv->cfg.body_limit);
}

/* The body limit of the request's route: efile_file_max for an upload route (a raw file),
 * body_limit for every other. */
static size_t route_body_limit(struct req *r)
{
    const char *names[ROUTE_MAX_PARAMS], *values[ROUTE_MAX_PARAMS];
    int n = 0, known = 0;
    const struct route *rt = route_match(r->method, r->path, names, values, &n, &known, r->arena);
    if (rt && route_takes_upload(rt) && r->srv->cfg.efile_file_max > 0)
        return (size_t)r->srv->cfg.efile_file_max;
    return (size_t)r->srv->cfg.body_limit;
}

static void dispatch(struct req *r)
{
    if (!vntext_valid_utf8(r->path)) {
        reply_error(r, 400, "bad_utf8", "path", "the request path is not valid UTF-8");
        return;
    }
    int known = 0;
    /* HEAD is answered as GET; microhttpd sends the headers without the body. */
    const char *method = strcmp(r->method, "HEAD") ? r->method : "GET";
    const struct route *rt =
        route_match(method, r->path, r->pname, r->pval, &r->nparams, &known, r->arena);
    if (!rt) {
        if (known) {
            char *allow = route_allowed_methods(r->path, r->arena);
            if (allow) reply_header(r, "Allow", allow);
            reply_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here (allowed: %s)",
                        r->method, allow ? allow : "?");
        } else {
            reply_error(r, 404, "not_found", NULL, "no such resource");
        }
        return;
    }
    r->route = rt;
    r->route_index = (int)(rt - routes);
    if (r->body_too_big) {
        too_large(r, 0);
        return;
    }
    if (r->body_len && !route_takes_upload(rt) &&
        !content_type_json(req_header(r, "Content-Type"))) {
        reply_error(r, 415, "unsupported_media_type", NULL,
                    "the request body must be sent as Content-Type: application/json");
        return;
    }
    /* A GET only reads: its session check and handler share one read transaction. */
    struct err e = {0};
    if (!strcmp(rt->method, "GET")) {
        /* the ticket before the read snapshot (readcache.h) */
        req_read_cache_begin(r);
        r->pc_ticket = readcache_ticket(r->srv->pcache);
        if (store_read(req_store(r), authorise_and_handle, r, &e) && !r->replied) reply_err(r, &e);
    } else
        authorise_and_handle(NULL, r, NULL);
}

/* Joins every line of the forwarding header (X-Forwarded-For or Forwarded) in order. */
struct header_join {
    struct req *r;
    const char *name;
    char *text;
};

static enum MHD_Result header_join_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    (void)kind;
    struct header_join *j = cls;
    if (!key || !value || strcasecmp(key, j->name)) return MHD_YES;
    j->text = j->text ? arena_printf(j->r->arena, "%s,%s", j->text, value)
                      : arena_strdup(j->r->arena, value);
    return MHD_YES;
}

/* r->ip: the TCP peer, or behind a trusted proxy the client its header names (proxy.h). */
static void client_address(struct req *r)
{
    char peer[sizeof r->ip] = "";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof peer);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof peer);
    }
    snprintf(r->ip, sizeof r->ip, "%s", peer);
    if (!r->srv->proxies.n || !proxy_list_contains(&r->srv->proxies, peer)) return;
    struct header_join j = {
        r, r->srv->proxy_header == PROXY_FORWARDED ? "Forwarded" : "X-Forwarded-For", NULL};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, header_join_iter, &j);
    proxy_client_addr(&r->srv->proxies, r->srv->proxy_header, peer, j.text, r->ip, sizeof r->ip);
}

static struct req *req_new(struct server *srv, struct MHD_Connection *c, const char *url,
                           const char *method)
{
    struct arena *a = arena_new();
    if (!a) return NULL;
    struct req *r = arena_alloc(a, sizeof *r);
    if (!r) {
        arena_free(a);
        return NULL;
    }
    r->arena = a;
    r->srv = srv;
    r->conn = c;
    r->route_index = -1;
    r->store_slot = -1;
    r->method = arena_strdup(a, method);
    r->path = arena_strdup(a, url);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    client_address(r);
    if (!r->method || !r->path) {
        arena_free(a);
        return NULL;
    }
    atomic_fetch_add(&srv->metrics.in_flight, 1);
    return r;
}

/* Appends upload data; past the limit the rest is read and dropped (answered 413). */
static void body_append(struct req *r, const char *data, size_t n)
{
    size_t limit = r->body_limit;
    if (r->body_too_big || r->body_len + n > limit) {
        r->body_too_big = 1;
        return;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 1024;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        char *b = arena_alloc(r->arena, cap);
        if (!b) {
            r->body_too_big = 1;
            return;
        }
        if (r->body_len) memcpy(b, r->body, r->body_len);
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = 0;
}

#define URI_MAX 16384 /* longer request targets: 414 */
/* Each connection's memory pool. libmicrohttpd 0.9.75 zeroes the whole pool at every request
 * of a kept-alive connection, and half of it again when it shrinks the read buffer after the
 * head: with 128 KiB that was 192 KiB of memset a request, 8.5 % of the server's cycles for one
 * dossier (perf). 64 KiB still reads a head of about 60 KiB, so URI_MAX and HEADER_MAX keep
 * their JSON answers; a larger head gets the library's own page. */
#define CONN_POOL  (64 * 1024)
#define HEADER_MAX 32768 /* more header bytes: 431 (microhttpd's own limit is about 60 KiB) */
#define HEADERS_N  100

struct head_scan {
    size_t bytes;
    int n, lengths, te, nul;
    const char *length;
};

static enum MHD_Result head_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct head_scan *h = cls;
    h->n++;
    h->bytes += key_size + value_size + 4;
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) h->nul = 1;
    if (!strcasecmp(key, "Content-Length")) {
        h->lengths++;
        h->length = value;
    }
    if (!strcasecmp(key, "Transfer-Encoding")) h->te = 1;
    return MHD_YES;
}

static enum MHD_Result query_len_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key;
    *(size_t *)cls += key_size + value_size + 2;
    (void)value;
    return MHD_YES;
}

/* Refuses, before any body is read, a request head that a proxy in front might read another
 * way (request smuggling: two Content-Lengths, or Content-Length with chunked — chunked bodies
 * are refused altogether, the API's bodies being small JSON sent with a length), or that is
 * too big. The answer closes the connection, so what follows is never read as a request.
 * Returns 1 if it replied. */
static int head_refused(struct req *r, const char *version)
{
    struct head_scan h = {0};
    size_t qlen = 0;
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, head_iter, &h);
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, query_len_iter, &qlen);
    if (strlen(r->path) + qlen > URI_MAX)
        reply_error(r, 414, "uri_too_long", NULL, "the request target is longer than %d bytes",
                    URI_MAX);
    else if (h.bytes > HEADER_MAX || h.n > HEADERS_N)
        reply_error(r, 431, "headers_too_large", NULL,
                    "the request headers are larger than %d bytes or more than %d", HEADER_MAX,
                    HEADERS_N);
    else if (!strcmp(version, "HTTP/1.1") && !req_header(r, "Host"))
        reply_error(r, 400, "bad_request", "Host", "an HTTP/1.1 request needs a Host header");
    else if (h.nul)
        reply_error(r, 400, "bad_request", NULL, "a request header holds a NUL character");
    else if (h.te)
        reply_error(r, 411, "length_required", "Transfer-Encoding",
                    "send the request body with Content-Length; chunked transfer is not accepted");
    else if (h.lengths > 1)
        reply_error(r, 400, "bad_request", "Content-Length", "Content-Length is given %d times",
                    h.lengths);
    else if (h.lengths && (!h.length[0] || strspn(h.length, "0123456789") != strlen(h.length)))
        reply_error(r, 400, "bad_request", "Content-Length",
                    "Content-Length '%.30s' is not a number of bytes", h.length);
    else
        return 0;
    reply_header(r, "Connection", "close");
    return 1;
}

static void *socket_context(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = req_new(srv, c, url, method);
        if (!r) return MHD_NO;
        *con_cls = r;
        if (head_refused(r, version)) return send_reply(r);
        /* A declared length over the limit is refused before reading the body. */
        const char *cl = req_header(r, "Content-Length");
        r->body_limit = route_body_limit(r);
        if (cl && strtoull(cl, NULL, 10) > (unsigned long long)r->body_limit) {
            too_large(r, strtoull(cl, NULL, 10));
            return send_reply(r);
        }
        if (cl) conns_body_expected(srv->conns, socket_context(c), strtoull(cl, NULL, 10));
        return MHD_YES;
    }
    if (r->sent) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        body_append(r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    conns_request_read(srv->conns, socket_context(c));
    dispatch(r);
    req_store_release(r);
    return send_reply(r);
}

static double elapsed_s(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct req *r = *con_cls;
    if (!r) return;
    req_store_release(r);
    conns_request_done(srv->conns, socket_context(c));
    double s = elapsed_s(&r->t0);
    int status = r->sent ? r->status : 0;

    metrics_observe(&srv->metrics, r->route_index, status, s);
    if (atomic_load(&srv->request_log)) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        reqlog_line(stdout, (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000, r->method,
                    r->route ? r->route->pattern : NULL, status, s, r->sent ? r->resp_len : 0,
                    r->ip, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    }
    int64_t slow_ms = atomic_load(&srv->slow_ms);
    if (slow_ms && s * 1000.0 >= (double)slow_ms)
        /* Route pattern, never the URL: paths and queries may carry names or codes. */
        fprintf(stderr, "cchc serve: slow request: %s %s status=%d ms=%.1f%s\n", r->method,
                r->route ? r->route->pattern : "(no route)", status, s * 1000.0,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection ended early)");
    atomic_fetch_sub(&srv->metrics.in_flight, 1);
    arena_free(r->arena);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&srv->started, 1); /* now in conns' count (acceptor_main) */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (ci) conns_opened(srv->conns, ci->connect_fd, socket_context);
    } else {
        conns_closed(srv->conns, socket_context);
    }
}

/* --- start and stop --- */

static int bind_address(const struct serve_config *cfg, struct sockaddr_storage *ss,
                        unsigned *flags, struct err *e)
{
    memset(ss, 0, sizeof *ss);
    const char *addr = strcmp(cfg->listen, "localhost") ? cfg->listen : "127.0.0.1";
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)cfg->port);
        return 0;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)cfg->port);
        *flags |= MHD_USE_IPv6;
        return 0;
    }
    return err_set(e, ERR_INVALID, "listen", "listen '%s': not an IP address", cfg->listen);
}

/* The listening socket, ours: bound and listening, close-on-exec, non-blocking. */
static int listen_open(const struct serve_config *cfg, const struct sockaddr_storage *ss, int *out,
                       struct err *e)
{
    int v6 = ss->ss_family == AF_INET6, one = 1;
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one)) ||
        bind(fd, (const struct sockaddr *)ss, len) || listen(fd, SOMAXCONN)) {
        int eno = errno;
        if (fd >= 0) close(fd);
        return err_set(e, ERR_IO, eno == EADDRINUSE ? "port" : "listen",
                       "cannot listen on %s port %lld: %s", cfg->listen, (long long)cfg->port,
                       strerror(eno));
    }
    *out = fd;
    return 0;
}

/* Accepts until told to stop, and gives each connection to the daemon, whose pool places it
 * on worker (fd + i) % threads, the first with room. microhttpd's own accepting lets every
 * worker wake and the first take up to ten connections at once: a client opening a few
 * connections together (wrk, a reverse proxy's keep-alive pool) often found all of them on
 * one worker and one core, and CPU-bound requests ran at half the rate (bench/curve.sh's
 * index and dashboard swung between about 110 and 230 requests a second, run to run).
 * max_conns is kept here: at it, nothing is accepted (the kernel's backlog holds the next, as
 * with microhttpd's accepting) until a connection closes. microhttpd's own limit is set far
 * above it and never reached: libmicrohttpd 0.9.75 left a worker waiting forever on a mutex
 * when connections handed to it went past that limit (t-accept.sh drives the case). */
static void *acceptor_main(void *arg)
{
    struct server *srv = arg;
    struct pollfd pf[2] = {{.fd = srv->wake[0], .events = POLLIN},
                           {.fd = srv->listen_fd, .events = POLLIN}};
    int full = 0;
    for (;;) {
        /* at the limit: only the stop is listened for, and the count looked at again soon */
        pf[1].revents = 0;
        if (poll(pf, full ? 1 : 2, full ? 20 : -1) < 0 && errno != EINTR) break;
        if (pf[0].revents) break;
        full = 0;
        for (int n = 0; n < 64; n++) {
            int64_t open = 0, t, sh;
            conns_counts(srv->conns, &open, &t, &sh);
            if (open + atomic_load(&srv->handed) - atomic_load(&srv->started) >=
                srv->cfg.max_conns) {
                full = 1;
                break;
            }
            struct sockaddr_storage peer;
            socklen_t plen = sizeof peer;
            int c = accept4(srv->listen_fd, (struct sockaddr *)&peer, &plen,
                            SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (c < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                    full = 1; /* out of descriptors: let connections close first */
                break;
            }
            /* refused past max_conns_per_ip: closed by it */
            if (MHD_add_connection(srv->d, c, (struct sockaddr *)&peer, plen) == MHD_YES)
                atomic_fetch_add(&srv->handed, 1);
        }
    }
    return NULL;
}

static void acceptor_stop(struct server *s)
{
    if (s->acceptor_running) {
        ssize_t w = write(s->wake[1], "x", 1);
        (void)w;
        pthread_join(s->acceptor, NULL);
        s->acceptor_running = 0;
    }
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0) close(s->wake[i]), s->wake[i] = -1;
    if (s->listen_fd >= 0) close(s->listen_fd), s->listen_fd = -1;
}

/* microhttpd writes a line for every connection a client drops; a flood of them would flood
 * the log. At most LOG_BURST lines per LOG_WINDOW seconds, then one line saying how many were
 * left out; each line is written whole by one call, so threads never interleave. */
#define LOG_BURST  20
#define LOG_WINDOW 10
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t log_window_start, log_count, log_dropped;

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    /* A failed bind is reported by server_start with the address and port the user gave
     * (microhttpd's own line names port 0: the address comes through MHD_OPTION_SOCK_ADDR). */
    if (!strncmp(fmt, "Failed to bind", 14)) return;
    char line[600];
    int n = snprintf(line, sizeof line, "cchc serve: microhttpd: ");
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    size_t len = strcspn(line, "\r\n");
    if (len > sizeof line - 2) len = sizeof line - 2;
    line[len] = '\n';
    line[len + 1] = 0;
    int64_t now = now_unix();
    char summary[120] = "";
    pthread_mutex_lock(&log_mu);
    if (now - log_window_start >= LOG_WINDOW) {
        if (log_dropped)
            snprintf(summary, sizeof summary,
                     "cchc serve: microhttpd: %lld more messages in %d s not shown\n",
                     (long long)log_dropped, LOG_WINDOW);
        log_window_start = now;
        log_count = log_dropped = 0;
    }
    int show = ++log_count <= LOG_BURST;
    if (!show) log_dropped++;
    pthread_mutex_unlock(&log_mu);
    if (summary[0]) fputs(summary, stderr);
    if (show) fputs(line, stderr);
}

int server_start(const struct serve_config *cfg, struct server **out, struct err *e)
{
    int rc;
    struct sockaddr_storage ss;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    *out = NULL;
    if ((rc = config_check(cfg, e))) return rc;
    if ((rc = bind_address(cfg, &ss, &flags, e))) return rc;
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "sodium", "libsodium failed to start");
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) return err_set(e, ERR_NOMEM, "server", "out of memory");
    srv->cfg = *cfg;
    srv->listen_fd = srv->wake[0] = srv->wake[1] = -1;
    atomic_store(&srv->slow_ms, cfg->slow_ms);
    atomic_store(&srv->request_log, cfg->request_log);
    if ((rc = metrics_init(&srv->metrics, routes_count + 1))) {
        rc = err_set(e, ERR_NOMEM, "server", "out of memory");
        goto fail;
    }
    srv->conns = conns_new(cfg->request_timeout * 1000, (unsigned)cfg->max_conns);
    if (!srv->conns) {
        rc = err_set(e, ERR_NOMEM, "server", "out of memory");
        goto fail;
    }
    if ((rc = proxy_list_parse(cfg->trusted_proxies, &srv->proxies, e)) ||
        (rc = proxy_header_parse(cfg->proxy_header, &srv->proxy_header, e)))
        goto fail;
    const char *data = config_data_dir(cfg);
    if ((rc = calendar_load(data, CAL_FIRST_YEAR, CAL_LAST_YEAR, NULL, &srv->cal, e))) goto fail;
    if ((rc = forms_http_open(srv, data, e))) goto fail; /* forms.c */
    if ((rc = pool_open(&srv->pool, cfg->db, (int)cfg->threads, (size_t)cfg->list_cache_mb << 20,
                        (long)cfg->db_cache_mb, (int)cfg->group_commit, e)))
        goto fail;
    /* sign-in and lookup limits are counted in the database, and the known-device cookie is
     * keyed, with keys every server on it shares (dblimit.c, migration 025) */
    if ((rc = store_server_key(srv->pool.s[0], "limits", srv->limit_key, sizeof srv->limit_key,
                               e)) ||
        (rc = store_server_key(srv->pool.s[0], "device", srv->device_key, sizeof srv->device_key,
                               e)) ||
        (rc = calendar_http_open(srv, e)))
        goto fail;
    /* the read cache: on PostgreSQL used only while the listener listens (readcache.h) */
    pthread_mutex_init(&srv->mark_mu, NULL);
    if (cfg->read_cache_mb > 0) {
        int pg = store_url_is_pg(cfg->db);
        srv->rcache = readcache_new((size_t)cfg->read_cache_mb << 20, !pg);
        srv->pcache = readcache_new((size_t)cfg->read_cache_mb << 20, !pg);
        if (!srv->rcache || !srv->pcache) {
            rc = err_set(e, ERR_NOMEM, "server", "out of memory");
            goto fail;
        }
        if (pg && (rc = store_watch_start(cfg->db, on_watch, srv, &srv->watch, e))) goto fail;
    }
    if ((rc = listen_open(cfg, &ss, &srv->listen_fd, e))) goto fail;
    if (pipe2(srv->wake, O_CLOEXEC)) {
        rc = err_set(e, ERR_IO, "listen", "cannot make a pipe: %s", strerror(errno));
        goto fail;
    }
    /* each worker's share of it is all of max_conns: microhttpd's limit is never reached, the
     * acceptor keeps max_conns (acceptor_main) */
    unsigned mhd_limit = (unsigned)(cfg->max_conns * cfg->threads + 64);
    srv->d = MHD_start_daemon(
        flags | MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout, MHD_OPTION_CONNECTION_LIMIT,
        mhd_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_conns_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_POOL, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, srv, MHD_OPTION_END);
    if (!srv->d) {
        rc = err_set(e, ERR_IO, "listen", "cannot listen on %s port %lld: %s", cfg->listen,
                     (long long)cfg->port, errno ? strerror(errno) : "microhttpd refused");
        goto fail;
    }
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    srv->port = (int)cfg->port;
    if (!getsockname(srv->listen_fd, (struct sockaddr *)&bound, &blen))
        srv->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                      : ((struct sockaddr_in *)&bound)->sin_port);
    if ((errno = pthread_create(&srv->acceptor, NULL, acceptor_main, srv))) {
        rc = err_set(e, ERR_IO, "listen", "cannot start the accepting thread: %s", strerror(errno));
        goto fail;
    }
    srv->acceptor_running = 1;
    if ((rc = payment_http_open(srv, e))) goto fail; /* payment.c */
    *out = srv;
    return 0;
fail:
    server_stop(srv);
    return rc;
}

int server_reload(struct server *s, const struct serve_config *cfg, FILE *log)
{
    int applied = 0;
    if (cfg->slow_ms != atomic_load(&s->slow_ms)) {
        fprintf(log, "cchc serve: reload: slow_ms = %lld\n", (long long)cfg->slow_ms);
        atomic_store(&s->slow_ms, cfg->slow_ms);
        applied++;
    }
    if (cfg->request_log != atomic_load(&s->request_log)) {
        fprintf(log, "cchc serve: reload: request_log = %s\n", cfg->request_log ? "true" : "false");
        atomic_store(&s->request_log, cfg->request_log);
        applied++;
    }
    for (const struct option_def *o = config_options; o->name; o++) {
        if (!strcmp(o->name, "slow_ms") || !strcmp(o->name, "request_log")) continue;
        size_t n =
            o->type == OPT_STRING ? strlen((const char *)cfg + o->offset) + 1 : sizeof(int64_t);
        if (memcmp((const char *)cfg + o->offset, (const char *)&s->cfg + o->offset, n))
            fprintf(log, "cchc serve: reload: %s changed; it takes effect at the next restart\n",
                    o->name);
    }
    return applied;
}

int server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s)
{
    if (!s) return;
    acceptor_stop(s); /* no new connection from here on */
    if (s->d) {
        /* give in-flight requests their grace period */
        for (int64_t waited = 0; waited < s->cfg.shutdown_grace * 100; waited++) {
            if (atomic_load(&s->metrics.in_flight) <= 0) break;
            usleep(10000);
        }
        MHD_stop_daemon(s->d);
    }
    payment_http_close(s);
    store_watch_stop(s->watch);
    readcache_free(s->rcache);
    readcache_free(s->pcache);
    conns_free(s->conns);
    if (s->pool.s) pool_close(&s->pool);
    calendar_http_close(s);
    calendar_free(s->cal);
    forms_http_close(s);
    metrics_free(&s->metrics);
    free(s);
}

void server_print_routes(FILE *f)
{
    struct arena *a = arena_new();
    if (!a) return;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\n", rt->method, rt->pattern, route_roles_text(rt, a),
                rt->csrf ? "csrf" : "-", rt->scope == SCOPE_UNIT ? "unit" : "-", rt->summary);
    }
    arena_free(a);
}
