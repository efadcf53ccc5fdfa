/* test_http.c — the server's pieces that need no socket: the route table's matcher, the
 * option table (types, bounds, ini and flag parsing, the loopback rule), the rate limiter's
 * window and bounded table, the per-request arena, user record rules, and users/sessions on a
 * real SQLite file (duplicates, unknown units, expiry, disabling, store_read), and the
 * streaming JSON writer against jansson. */
#include "store_testutil.h"

#include "auth.h"
#include "config.h"
#include "http.h"
#include "jwrite.h"
#include "listcache.h"
#include "ratelimit.h"

/* --- routes --- */

static void test_route_match(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *names[ROUTE_MAX_PARAMS], *values[ROUTE_MAX_PARAMS];
    int n = 0, known = 0;
    const struct route *rt = route_match("GET", "/api/dossiers/000.00.31.H20-250903-0001/history",
                                         names, values, &n, &known, a);
    assert_non_null(rt);
    assert_string_equal(rt->pattern, "/api/dossiers/{code}/history");
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "code");
    assert_string_equal(values[0], "000.00.31.H20-250903-0001");
    rt = route_match("POST", "/api/dossiers/X/return", names, values, &n, &known, a);
    assert_non_null(rt);
    assert_int_equal(rt->arg, DA_RETURN);
    assert_int_equal(rt->csrf, 1);
    /* The path exists with another method: 405, not 404. */
    assert_null(route_match("PUT", "/api/dossiers/X", names, values, &n, &known, a));
    assert_int_equal(known, 1);
    assert_string_equal(route_allowed_methods("/api/dossiers/X", a), "GET");
    /* Empty parameter, trailing slash, extra segment: no route. */
    const char *bad[] = {"/api/dossiers//history",       "/api/dossiers/", "/healthz/",
                         "/api/dossiers/X/history/more", "/api/dossier",   ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(route_match("GET", bad[i], names, values, &n, &known, a));
        assert_int_equal(known, 0);
    }
    arena_free(a);
}

static void test_route_table(void **state)
{
    (void)state;
    /* Every state-changing route behind a session needs the CSRF token; no GET does. */
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        if (!strcmp(rt->method, "GET")) assert_int_equal(rt->csrf, 0);
        if (strcmp(rt->method, "GET") && rt->roles) assert_int_equal(rt->csrf, 1);
        /* A route scoped to a unit is never public. */
        if (rt->scope == SCOPE_UNIT) assert_int_not_equal(rt->roles, 0);
        for (size_t j = 0; j < i; j++)
            assert_false(!strcmp(rt->method, routes[j].method) &&
                         !strcmp(rt->pattern, routes[j].pattern));
    }
}

/* --- configuration --- */

static void test_config_values(void **state)
{
    (void)state;
    struct serve_config c;
    struct err e = {0};
    config_defaults(&c);
    assert_string_equal(c.listen, "127.0.0.1");
    assert_int_equal(c.port, 8080);
    assert_int_equal(c.body_limit, 1048576);
    assert_int_equal(config_set(&c, "port", "0", "t", &e), 0);
    assert_int_equal(config_set(&c, "port", "65536", "--port", &e), ERR_INVALID);
    assert_string_equal(e.msg, "--port: port '65536': must be a whole number from 0 to 65535");
    assert_int_equal(config_set(&c, "port", "8o", "t", &e), ERR_INVALID);
    assert_int_equal(config_set(&c, "port", "", "t", &e), ERR_INVALID);
    assert_int_equal(config_set(&c, "allow_remote", "yes", "t", &e), 0);
    assert_int_equal(c.allow_remote, 1);
    assert_int_equal(config_set(&c, "allow_remote", "maybe", "t", &e), ERR_INVALID);
    assert_int_equal(config_set(&c, "nope", "1", "cchc.ini:4", &e), ERR_INVALID);
    assert_string_equal(e.msg, "cchc.ini:4: unknown option 'nope'");
    assert_int_equal(config_set(&c, "db", "", "t", &e), ERR_INVALID);
    assert_int_equal(c.port, 0); /* failed sets changed nothing */
}

static void test_config_args(void **state)
{
    (void)state;
    struct serve_config c;
    struct err e = {0};
    int help;
    unsigned extra;
    const char *const extras[] = {"print-routes", NULL};
    char *ok[] = {"serve", "--port=9000",     "--body-limit",
                  "2048",  "--cookie-secure", "--print-routes"};
    config_defaults(&c);
    assert_int_equal(config_parse_args(&c, 6, ok, extras, &extra, &help, &e), 0);
    assert_int_equal(c.port, 9000);
    assert_int_equal(c.body_limit, 2048);
    assert_int_equal(c.cookie_secure, 1);
    assert_int_equal(extra, 1u);
    assert_int_equal(help, 0);
    char *missing[] = {"serve", "--port"};
    assert_int_equal(config_parse_args(&c, 2, missing, NULL, NULL, &help, &e), ERR_INVALID);
    assert_string_equal(e.msg, "option --port needs a value");
    char *stray[] = {"serve", "8080"};
    assert_int_equal(config_parse_args(&c, 2, stray, NULL, NULL, &help, &e), ERR_INVALID);
    char *unknown[] = {"serve", "--colour", "red"};
    assert_int_equal(config_parse_args(&c, 3, unknown, NULL, NULL, &help, &e), ERR_INVALID);
    char *noini[] = {"serve", "--config", "/nonexistent/cchc.ini"};
    assert_int_equal(config_parse_args(&c, 3, noini, NULL, NULL, &help, &e), ERR_IO);
}

static void test_config_loopback(void **state)
{
    (void)state;
    struct serve_config c;
    struct err e = {0};
    config_defaults(&c);
    const char *loop[] = {"127.0.0.1", "127.1.2.3", "::1", "localhost"};
    for (size_t i = 0; i < 4; i++) {
        config_set(&c, "listen", loop[i], "t", NULL);
        assert_int_equal(config_check(&c, &e), 0);
    }
    const char *remote[] = {"0.0.0.0", "10.0.0.1", "::", "192.168.1.1"};
    for (size_t i = 0; i < 4; i++) {
        config_set(&c, "listen", remote[i], "t", NULL);
        assert_int_equal(config_check(&c, &e), ERR_INVALID);
    }
    config_set(&c, "allow_remote", "true", "t", NULL);
    assert_int_equal(config_check(&c, &e), 0);
    config_set(&c, "listen", "example.org", "t", NULL);
    assert_int_equal(config_check(&c, &e), ERR_INVALID);
}

static void test_config_ini(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    char path[320];
    snprintf(path, sizeof path, "%s/c.ini", t.dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "; comment\nport = 81\n[server]\nthreads = 4\n[other]\nport = 1\n");
    fclose(f);
    struct serve_config c;
    struct err e = {0};
    config_defaults(&c);
    assert_int_equal(config_load_ini(&c, path, &e), ERR_INVALID);
    char want[400];
    snprintf(want, sizeof want, "%s:6: unknown section [other] (use [server] or none)", path);
    assert_string_equal(e.msg, want);
    f = fopen(path, "w");
    fprintf(f, "port = 81\n[server]\nthreads = 4\n");
    fclose(f);
    config_defaults(&c);
    assert_int_equal(config_load_ini(&c, path, &e), 0);
    assert_int_equal(c.port, 81);
    assert_int_equal(c.threads, 4);
    unlink(path);
    tmpdb_remove(&t);
}

/* --- rate limiter --- */

static void test_ratelimit(void **state)
{
    (void)state;
    assert_int_equal(auth_init(NULL), 0);
    struct ratelimit *rl = ratelimit_new(64, 3, 60);
    int retry = 0;
    for (int i = 0; i < 3; i++) {
        assert_false(ratelimit_blocked(rl, "1.2.3.4", 1000, &retry));
        ratelimit_fail(rl, "1.2.3.4", 1000 + i);
    }
    assert_true(ratelimit_blocked(rl, "1.2.3.4", 1010, &retry));
    assert_int_equal(retry, 50);
    assert_false(ratelimit_blocked(rl, "5.6.7.8", 1010, &retry)); /* another key */
    assert_false(ratelimit_blocked(rl, "1.2.3.4", 1060, &retry)); /* the window passed */
    ratelimit_fail(rl, "u:an", 2000);
    ratelimit_fail(rl, "u:an", 2000);
    ratelimit_fail(rl, "u:an", 2000);
    ratelimit_reset(rl, "u:an");
    assert_false(ratelimit_blocked(rl, "u:an", 2000, &retry));
    /* A flood of keys keeps the table bounded: old entries are evicted, never a crash. */
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "10.0.%d.%d", i / 256, i % 256);
        ratelimit_fail(rl, key, 3000 + i);
    }
    ratelimit_free(rl);
}

/* --- arena --- */

static int order[4], norder;
static void note(void *p)
{
    order[norder++] = *(int *)p;
}

static void test_arena(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *s = arena_printf(a, "%s-%d", "x", 42);
    assert_string_equal(s, "x-42");
    unsigned char *big = arena_alloc(a, 1 << 20); /* a block of its own */
    assert_non_null(big);
    assert_int_equal(big[12345], 0);
    for (int i = 0; i < 2000; i++)
        assert_non_null(arena_alloc(a, 40));
    static int one = 1, two = 2;
    norder = 0;
    arena_defer(a, note, &one);
    arena_defer(a, note, &two);
    assert_true(arena_used(a) >= (1 << 20));
    arena_free(a);
    assert_int_equal(norder, 2);
    assert_int_equal(order[0], 2); /* last registered, first run */
    assert_int_equal(order[1], 1);
}

/* --- the streaming JSON writer --- */

static json_t *masked(const char *s)
{
    char buf[64];
    return s && *s ? jstr(applicant_mask(s, buf, sizeof buf)) : json_null();
}

/* The reference for the writer: a dossier built member by member with jansson (full adds
 * unmasked personal data), as the API rendered it before the writer existed. */
static json_t *dossier_json(const struct dossier *d, int full, int64_t now)
{
    const struct dossier_state *st = &d->st;
    json_t *applicant =
        json_pack("{s:o, s:o, s:o, s:o}", "name", jstr(d->applicant.name), "idno",
                  full ? jstr_or_null(d->applicant.idno) : masked(d->applicant.idno), "phone",
                  full ? jstr_or_null(d->applicant.phone) : masked(d->applicant.phone), "address",
                  full ? jstr_or_null(d->applicant.address) : json_null());
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:s, s:o, s:s, s:s, s:i, s:i}", "code", jstr(d->code), "unit",
        jstr(d->unit), "procedure", jstr(d->procedure), "channel", dossier_channel_name(d->channel),
        "applicant", applicant, "status", dossier_status_name(st->status), "status_label",
        dossier_status_label_vi(st->status), "step", st->step, "n_steps", st->n_steps);
    if (!o) return NULL;
    json_object_set_new(o, "outcome", jstr(dossier_outcome_name(dossier_outcome_at(st, now))));
    json_object_set_new(o, "submitted_at", jinstant(d->submitted_at));
    json_object_set_new(o, "received_at", jinstant(st->received_at));
    json_object_set_new(o, "due_at", jinstant(st->due_at));
    json_object_set_new(o, "step_due_at", jinstant(st->step_due_at));
    json_object_set_new(o, "apology_due_at", jinstant(st->apology_due_at));
    json_object_set_new(o, "result_at", jinstant(st->result_at));
    json_object_set_new(o, "returned_at", jinstant(st->returned_at));
    json_object_set_new(o, "closed_at", jinstant(st->closed_at));
    json_object_set_new(o, "officer", jstr_or_null(d->officer));
    json_object_set_new(o, "supplements", json_integer(st->supplements));
    json_object_set_new(o, "pauses", json_integer(st->pauses));
    json_object_set_new(o, "apologies", json_integer(st->apologies));
    json_object_set_new(o, "fee_paid_online", json_boolean(d->fee_paid_online));
    json_object_set_new(o, "digitised", json_boolean(d->digitised));
    return o;
}

/* jw_str equals jansson's string dump for 20,000 random texts of 0..40 bytes mixing plain
 * ASCII, every byte jansson escapes, '"', '\\', '/', DEL, and 2- to 4-byte UTF-8, placed at
 * every offset of the writer's 8-byte steps; a text with a broken sequence becomes null. */
static void test_jwrite_strings(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a",    "Z",    " ",  "\"", "\\",     "/",  "\x7f",
                                         "\x01", "\x1f", "\n", "\t", "\b",     "\f", "\r",
                                         "ễ",    "Đ",    "€",  "😀",  "0123456"};
    struct arena *a = arena_new();
    unsigned seed = 12345;
    for (int t = 0; t < 20000; t++) {
        char text[64] = "";
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int parts = (int)(seed >> 16) % 12;
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            if (len + strlen(p) >= 41) break;
            memcpy(text + len, p, strlen(p) + 1);
            len += strlen(p);
        }
        int broken = t % 10 == 9 && len > 0;
        if (broken) text[(seed >> 8) % len] = (char)0xC3; /* a lead byte out of place */
        json_t *j = json_string(text);
        char *want = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("null");
        json_decref(j);
        struct jw w;
        jw_init(&w, a, 1);
        jw_str(&w, text);
        assert_false(w.failed);
        if (strcmp(w.buf, want)) fail_msg("text %d: writer %s, jansson %s", t, w.buf, want);
        free(want);
    }
    arena_free(a);
}

/* jw_instant equals instant_format for instants whose days collide in its date cache (days
 * 32 apart share a slot), in an order that makes every slot change hands. */
static void test_jwrite_instants(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct jw w;
    jw_init(&w, a, 1);
    char want[8192] = "[", *p = want + 1;
    jw_arr_begin(&w);
    unsigned seed = 7;
    for (int i = 0; i < 200; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t day = 20000 + (int64_t)((seed >> 16) % 4) * 32 + (seed >> 8) % 3;
        int64_t t = day * MINUTES_PER_DAY + (int64_t)((seed >> 4) % MINUTES_PER_DAY);
        char buf[32];
        jw_instant(&w, t);
        p += sprintf(p, "%s\"%s+07:00\"", i ? "," : "", instant_format(t, buf));
    }
    jw_arr_end(&w);
    strcpy(p, "]");
    assert_false(w.failed);
    assert_string_equal(w.buf, want);
    arena_free(a);
}

/* A list page through the entry cache equals the page written afresh, whatever the cache
 * holds: cold, warm, with the clock moved so that open dossiers turn overdue (the outcome is
 * never taken from the cache), and after a dossier changed (its event count moves on). */
static void page(struct jw *w, struct arena *a, struct listcache *c, struct dossier *d, int n,
                 int64_t now)
{
    jw_init(w, a, 64);
    jw_arr_begin(w);
    for (int i = 0; i < n; i++) {
        if (c) {
            if (!dossier_list_cached(w, c, &d[i], now)) dossier_list_render(w, c, &d[i], now);
        } else {
            jw_obj_begin(w);
            dossier_write(w, &d[i], 0, now);
            jw_obj_end(w);
        }
    }
    jw_arr_end(w);
    assert_false(w->failed);
}

static void test_list_entry_cache(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct dossier d[DS__COUNT * 2];
    int n = 0;
    for (int st = 0; st < DS__COUNT; st++)
        for (int k = 0; k < 2; k++, n++) {
            memset(&d[n], 0, sizeof d[n]);
            d[n].id = 100 + n;
            d[n].n_events = 1 + st;
            snprintf(d[n].code, sizeof d[n].code, "000.00.31.H99-250908-%04d", n);
            snprintf(d[n].unit, sizeof d[n].unit, "P.A");
            snprintf(d[n].procedure, sizeof d[n].procedure, "9.00000%d", st % 3);
            snprintf(d[n].applicant.name, sizeof d[n].applicant.name, "Trần \"Văn\" %d", n);
            snprintf(d[n].applicant.phone, sizeof d[n].applicant.phone, "09123456%02d", n);
            d[n].st.status = (enum dossier_status)st;
            d[n].st.received_at = st ? 29000010 : 0;
            d[n].st.due_at = st ? 29010000 + k * 100 : 0;
            d[n].st.stopped_at = k && st ? 29004000 : 0;
            d[n].st.result_at = st > 3 ? 29009000 + k * 2000 : 0;
        }
    struct listcache *c = listcache_new(1 << 20);
    assert_non_null(c);
    const int64_t clock[] = {29005000, 29005000, 29010050, 29020000, 29005000};
    for (size_t t = 0; t < sizeof clock / sizeof clock[0]; t++) {
        struct jw want, got;
        page(&want, a, NULL, d, n, clock[t]);
        page(&got, a, c, d, n, clock[t]);
        assert_string_equal(got.buf, want.buf);
        if (t == 2) { /* some dossiers change: a new event each */
            for (int i = 0; i < n; i += 3) {
                d[i].n_events++;
                d[i].st.step++;
                d[i].st.supplements += 2;
            }
        }
    }
    /* a cache too small for the page (slots shared): still the same text */
    struct listcache *tiny = listcache_new(2048);
    assert_non_null(tiny);
    for (int round = 0; round < 2; round++) {
        struct jw want, got;
        page(&want, a, NULL, d, n, 29005000);
        page(&got, a, tiny, d, n, 29005000);
        assert_string_equal(got.buf, want.buf);
    }
    assert_null(listcache_new(0));
    listcache_free(tiny);
    listcache_free(c);
    arena_free(a);
}

/* The writer's dossier equals jansson's, byte for byte, masked and full, with text that
 * needs escaping, empty and absent values, and every status. */
static void test_jwrite_dossier(void **state)
{
    (void)state;
    static const char *const names[] = {"Nguyễn Thị Ánh", "Say \"Hi\" \\ back/slash",
                                        "tab\there\nnew\rline\b\f\x01\x1f\x7f", "\xff not UTF-8",
                                        ""};
    struct arena *a = arena_new();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (int full = 0; full <= 1; full++)
            for (int st = 0; st < DS__COUNT; st++) {
                struct dossier d;
                memset(&d, 0, sizeof d);
                snprintf(d.code, sizeof d.code, "000.00.31.H99-250908-%04zu", i);
                snprintf(d.unit, sizeof d.unit, "P.A");
                snprintf(d.procedure, sizeof d.procedure, "9.00000%d", st % 3);
                d.channel = (enum dossier_channel)(st % 3);
                snprintf(d.applicant.name, sizeof d.applicant.name, "%s", names[i]);
                if (i % 2) {
                    snprintf(d.applicant.idno, sizeof d.applicant.idno, "079123456789");
                    snprintf(d.applicant.phone, sizeof d.applicant.phone, "0912345678");
                    snprintf(d.applicant.address, sizeof d.applicant.address, "Số 1, \"Đường\"");
                    snprintf(d.officer, sizeof d.officer, "desk_a");
                }
                d.submitted_at = 29000000 + st;
                d.st.status = (enum dossier_status)st;
                d.st.step = st % 4;
                d.st.n_steps = 3;
                d.st.received_at = st ? 29000010 : 0;
                d.st.due_at = st ? 29010000 + st : 0;
                d.st.step_due_at = st % 2 ? 29001000 : 0;
                d.st.returned_at = st > 5 ? 29005000 : 0;
                d.st.supplements = st;
                d.st.pauses = -st; /* a negative number too */
                d.st.apologies = 1000000007 * (st % 2);
                d.fee_paid_online = st % 2;
                d.digitised = !(st % 2);
                int64_t now = 29004000;
                json_t *j = dossier_json(&d, full, now);
                assert_non_null(j);
                char *want = json_dumps(j, JSON_COMPACT);
                json_decref(j);
                struct jw w;
                jw_init(&w, a, 16); /* small, so the buffer grows */
                jw_obj_begin(&w);
                dossier_write(&w, &d, full, now);
                jw_obj_end(&w);
                assert_false(w.failed);
                assert_int_equal(strlen(w.buf), w.len);
                assert_string_equal(w.buf, want);
                free(want);
            }
    /* Arrays, nesting and the commas between them. */
    struct jw w;
    jw_init(&w, a, 1);
    jw_obj_begin(&w);
    jw_key(&w, "a");
    jw_arr_begin(&w);
    jw_int(&w, INT64_MIN);
    jw_int(&w, 0);
    jw_obj_begin(&w);
    jw_obj_end(&w);
    jw_arr_begin(&w);
    jw_arr_end(&w);
    jw_str_or_null(&w, "");
    jw_bool(&w, 1);
    jw_arr_end(&w);
    jw_key(&w, "k\"");
    jw_instant(&w, 0);
    jw_obj_end(&w);
    assert_string_equal(w.buf, "{\"a\":[-9223372036854775808,0,{},[],null,true],\"k\\\"\":null}");
    arena_free(a);
}

/* --- users: rules and store --- */

static void test_user_rules(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(username_check("motcua.an", "username", &e), 0);
    const char *bad[] = {"ab", ".an", "An", "an an", "nguyễn", "a/b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(username_check(bad[i], "username", &e), ERR_INVALID);
    assert_int_equal(password_check("short", "password", &e), ERR_INVALID);
    assert_int_equal(password_check("mật khẩu dài đủ", "password", &e), 0);
    assert_int_equal(password_check("tab\there-long", "password", &e), ERR_INVALID);
    struct user u = {.username = "an.citizen", .role = UROLE_CITIZEN};
    assert_int_equal(user_check(&u, &e), 0);
    strcpy(u.unit, "DT");
    assert_int_equal(user_check(&u, &e), ERR_INVALID); /* a citizen has no scope */
    u.role = UROLE_LEADER;
    assert_int_equal(user_check(&u, &e), 0);
    u.unit[0] = 0;
    assert_int_equal(user_check(&u, &e), ERR_INVALID); /* an officer needs one */
    enum user_role r;
    assert_int_equal(user_role_parse("par_assessor", &r, "role", &e), 0);
    assert_int_equal(r, UROLE_PAR_ASSESSOR);
    assert_int_equal(user_role_parse("root", &r, "role", &e), ERR_INVALID);
}

static int count_users(const struct user *u, void *ctx)
{
    (void)u;
    ++*(int *)ctx;
    return 0;
}

static int read_two(struct store *s, void *ctx, struct err *e)
{
    struct user u;
    int *n = ctx;
    if (!store_user_get(s, "desk.a", &u, NULL, 0, e)) ++*n;
    if (!store_user_get(s, "desk.a", &u, NULL, 0, e)) ++*n;
    return 0;
}

static int try_write(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    return store_session_purge(s, 0, e);
}

static int nested_write(struct store *s, void *ctx, struct err *e)
{
    (void)ctx;
    return store_tx(s, try_write, NULL, e);
}

static void test_users_store(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    struct store *s;
    struct err e = {0};
    assert_int_equal(store_open(t.path, &s, &e), 0);
    struct unit p = {.code = "P",
                     .name = "Tỉnh",
                     .kind = UNIT_PROVINCE,
                     .valid_from = UNIT_DAY_MIN,
                     .valid_to = UNIT_DAY_MAX};
    assert_int_equal(store_unit_put(s, &p, &e), 0);
    char hash[USER_PWHASH_MAX];
    assert_int_equal(auth_hash_password("mat-khau-dai-du", hash, &e), 0);
    assert_true(auth_password_matches(hash, "mat-khau-dai-du"));
    assert_false(auth_password_matches(hash, "mat-khau-dai-dU"));
    struct user u = {.username = "desk.a", .role = UROLE_DESK_OFFICER, .unit = "P"};
    assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    assert_int_equal(store_user_add(s, &u, hash, &e), ERR_CONFLICT);
    struct user x = {.username = "desk.b", .role = UROLE_DESK_OFFICER, .unit = "Q"};
    assert_int_equal(store_user_add(s, &x, hash, &e), ERR_NOT_FOUND);
    assert_int_equal(store_user_add(s, &x, "plaintext", &e), ERR_INVALID);
    struct user got;
    char h2[USER_PWHASH_MAX];
    assert_int_equal(store_user_get(s, "desk.a", &got, h2, sizeof h2, &e), 0);
    assert_string_equal(h2, hash);
    assert_int_equal(got.role, UROLE_DESK_OFFICER);
    assert_int_equal(store_user_get(s, "nobody", &got, NULL, 0, &e), ERR_NOT_FOUND);
    int n = 0;
    assert_int_equal(store_user_list(s, count_users, &n, &e), 0);
    assert_int_equal(n, 1);

    char csrf[64];
    assert_int_equal(store_session_add(s, "h1", "desk.a", "c1", 100, 200, &e), 0);
    assert_int_equal(store_session_add(s, "h1", "desk.a", "c1", 100, 200, &e), ERR_CONFLICT);
    assert_int_equal(store_session_add(s, "h2", "desk.a", "c2", 100, 100, &e), ERR_CONFLICT);
    assert_int_equal(store_session_get(s, "h1", 199, &got, csrf, sizeof csrf, &e), 0);
    assert_string_equal(csrf, "c1");
    assert_int_equal(store_session_get(s, "h1", 200, &got, csrf, sizeof csrf, &e), ERR_NOT_FOUND);
    assert_int_equal(store_session_add(s, "h3", "desk.a", "c3", 100, 900, &e), 0);
    assert_int_equal(store_session_purge(s, 200, &e), 0);
    assert_int_equal(raw_int(t.path, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(store_user_set_disabled(s, "desk.a", 1, &e), 0);
    assert_int_equal(store_session_get(s, "h3", 150, &got, csrf, sizeof csrf, &e), ERR_NOT_FOUND);
    assert_int_equal(raw_int(t.path, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(store_user_set_disabled(s, "nobody", 1, &e), ERR_NOT_FOUND);
    assert_int_equal(raw_int(t.path, "SELECT count(*) FROM users WHERE pwhash LIKE '$argon2id$%'"),
                     1);

    /* store_read: reads share one transaction; a write inside is refused and changes nothing. */
    n = 0;
    assert_int_equal(store_read(s, read_two, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_read(s, nested_write, NULL, &e), ERR_IO);
    assert_int_equal(store_tx(s, try_write, NULL, &e), 0); /* and the store still works */
    store_close(s);
    tmpdb_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_match),      cmocka_unit_test(test_route_table),
        cmocka_unit_test(test_config_values),    cmocka_unit_test(test_config_args),
        cmocka_unit_test(test_config_loopback),  cmocka_unit_test(test_config_ini),
        cmocka_unit_test(test_ratelimit),        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_user_rules),       cmocka_unit_test(test_users_store),
        cmocka_unit_test(test_jwrite_strings),   cmocka_unit_test(test_jwrite_instants),
        cmocka_unit_test(test_list_entry_cache), cmocka_unit_test(test_jwrite_dossier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
