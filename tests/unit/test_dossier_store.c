/* test_dossier_store.c — the dossier lifecycle through the SQLite store: every (state, action)
 * pair of tests/data/dossier-transitions.tsv applied to stored dossiers (an illegal one must
 * change nothing: row, records, events), codes per unit and day, the receipt data, search
 * without diacritics, the audit chain catching edited / deleted / reordered rows, and a write
 * failure injected in the middle of a transition leaving nothing half-written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "dossier.h"
#include "db.h"
#include "testdb.h"
#include "store.h"

static struct calendar *cal;
static struct store *db;
static struct tmpdb tdb;
static const char *path = tdb.path;
static struct procedure proc;

static int64_t instant(const char *s)
{
    int64_t t = 0;
    struct err e = {0};
    if (instant_parse(s, &t, "instant", &e)) fail_msg("%s", e.msg);
    return t;
}

static void put_unit(const char *code, const char *ident, const char *from, const char *to)
{
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "%s", code);
    snprintf(u.name, sizeof u.name, "UBND xã %s", code);
    u.kind = UNIT_COMMUNE;
    snprintf(u.ident_code, sizeof u.ident_code, "%s", ident);
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    struct ymd d;
    if (from && !ymd_parse(from, &d, "from", NULL)) u.valid_from = ymd_to_days(d);
    if (to && !ymd_parse(to, &d, "to", NULL)) u.valid_to = ymd_to_days(d);
    struct err e = {0};
    if (store_unit_put(db, &u, &e)) fail_msg("unit: %s", e.msg);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dir = getenv("CCHC_DATA");
    if (calendar_load(dir ? dir : CCHC_DATA_DIR, 2023, 2026, NULL, &cal, &e)) {
        fprintf(stderr, "calendar: %s\n", e.msg);
        return -1;
    }
    tmpdb_make(&tdb);
    if (store_open(path, &db, &e)) {
        fprintf(stderr, "store_open: %s\n", e.msg);
        return -1;
    }
    put_unit("XA-AN-BINH", "000.01.02.H29", NULL, NULL);
    put_unit("XA-NO-IDENT", "", NULL, NULL);
    put_unit("XA-OLD", "000.01.03.H29", NULL, "2024-01-31");
    memset(&proc, 0, sizeof proc);
    snprintf(proc.code, sizeof proc.code, "1.001193");
    snprintf(proc.name, sizeof proc.name, "Thủ tục đăng ký khai sinh");
    snprintf(proc.field, sizeof proc.field, "Hộ tịch");
    proc.level = LEVEL_COMMUNE;
    proc.time_amount = 5;
    proc.time_unit = TIME_WORKING_DAYS;
    proc.online = ONLINE_FULL;
    proc.ndocs = 3;
    snprintf(proc.docs[0], sizeof proc.docs[0], "Tờ khai đăng ký khai sinh");
    snprintf(proc.docs[1], sizeof proc.docs[1], "Giấy chứng sinh");
    snprintf(proc.docs[2], sizeof proc.docs[2], "Văn bản ủy quyền (nếu có)");
    proc.nsteps = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(proc.steps[i].name, sizeof proc.steps[i].name, "Bước %d", i + 1);
        proc.steps[i].role = i ? ROLE_LEADER : ROLE_SPECIALIST;
        proc.steps[i].unit_kind = -1;
        proc.steps[i].share_unit = SHARE_PERCENT;
        proc.steps[i].share = 50;
    }
    if (store_procedure_put(db, &proc, &e)) {
        fprintf(stderr, "procedure: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    calendar_free(cal);
    tmpdb_remove(&tdb);
    return 0;
}

static struct dossier_intake intake(int64_t at, int receive)
{
    struct dossier_intake in = {.unit = "XA-AN-BINH",
                                .procedure = "1.001193",
                                .channel = receive ? CHANNEL_DIRECT : CHANNEL_ONLINE,
                                .at = at,
                                .actor = "cb.motcua",
                                .receive = receive};
    snprintf(in.applicant.name, sizeof in.applicant.name, "Nguyễn Thị Hồng Nhung");
    snprintf(in.applicant.idno, sizeof in.applicant.idno, "001190012345");
    snprintf(in.applicant.phone, sizeof in.applicant.phone, "0912345678");
    snprintf(in.applicant.address, sizeof in.applicant.address, "Thôn Đông, xã An Bình");
    return in;
}

static void must_create(struct dossier_intake *in, struct dossier *d)
{
    struct err e = {0};
    if (store_dossier_create(db, cal, in, d, &e)) fail_msg("create: %s", e.msg);
}

static int apply(const char *code, enum dossier_action a, int64_t at, struct err *e)
{
    struct dossier_change c = {.code = code,
                               .action = a,
                               .at = at,
                               .actor = "cv.tuphap",
                               .note = "ghi chú",
                               .new_due_at = instant("2024-06-03T17:00")};
    return store_dossier_apply(db, cal, &c, NULL, e);
}

static void must_apply(const char *code, enum dossier_action a, int64_t at)
{
    struct err e = {0};
    if (apply(code, a, at, &e)) fail_msg("%s %s: %s", code, dossier_action_name(a), e.msg);
}

static void audit_ok(void)
{
    struct audit_report r;
    struct err e = {0};
    if (store_audit_verify(db, &r, &e)) fail_msg("audit: %s", e.msg);
    if (!r.ok) fail_msg("audit: %s", r.problem);
}

/* A snapshot of everything stored about one dossier, to prove a failure changed nothing. */
static int snap_text(int seq, const char *text, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 4096 - strlen(b), "D%d:%s;", seq, text);
    return 0;
}
static int snap_step(const struct dossier_step_rec *r, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 4096 - strlen(b), "S%d:%s:%lld:%lld:%lld:%d;", r->seq, r->officer,
             (long long)r->started_at, (long long)r->due_at, (long long)r->finished_at,
             (int)r->outcome);
    return 0;
}
static int snap_stop(const struct dossier_stop_rec *r, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 4096 - strlen(b), "P%d:%d:%lld:%lld:%lld;", r->seq, r->pause,
             (long long)r->started_at, (long long)r->ended_at, (long long)r->working_minutes);
    return 0;
}
static int snap_apology(const struct dossier_apology_rec *r, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 4096 - strlen(b), "A%d:%lld;", r->seq, (long long)r->new_due_at);
    return 0;
}
static int snap_event(const struct dossier_event *r, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 4096 - strlen(b), "E%lld:%s:%s>%s;", (long long)r->id, r->action,
             r->from_status, r->to_status);
    return 0;
}

static void snapshot(const char *code, struct dossier *d, char *buf)
{
    struct err e = {0};
    buf[0] = '\0';
    if (store_dossier_get(db, code, d, &e)) fail_msg("get: %s", e.msg);
    struct dossier_records r = {snap_text, snap_step, snap_stop, snap_apology, snap_event, buf};
    if (store_dossier_records(db, code, &r, &e)) fail_msg("records: %s", e.msg);
}

static void reach(const char *state, const char *ctx, int64_t *t, struct dossier *d)
{
    static const struct {
        const char *state, *ctx, *path;
    } paths[] = {
        {"submitted", "-", ""},
        {"received", "-", "receive"},
        {"processing", "1/2", "receive advance"},
        {"processing", "2/2", "receive advance advance"},
        {"result_ready", "-", "receive advance advance finish"},
        {"returned", "-", "receive advance advance finish return"},
        {"supplement_requested", "-", "receive advance request_supplement"},
        {"supplement_requested", "pre", "request_supplement"},
        {"supplement_requested", "received", "receive request_supplement"},
        {"paused", "-", "receive advance pause"},
        {"paused", "received", "receive pause"},
        {"refused", "-", "receive refuse"},
        {"withdrawn", "-", "withdraw"},
        {"cancelled", "-", "cancel"},
    };
    struct dossier_intake in = intake(*t, 0);
    must_create(&in, d);
    *t += 30;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (strcmp(paths[i].state, state) || strcmp(paths[i].ctx, ctx)) continue;
        char buf[128];
        snprintf(buf, sizeof buf, "%s", paths[i].path);
        for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
            enum dossier_action a;
            assert_int_equal(dossier_action_parse(tok, &a, NULL), 0);
            must_apply(d->code, a, *t);
            *t += 30;
        }
        return;
    }
    fail_msg("no path to %s/%s", state, ctx);
}

static void test_every_transition(void **state)
{
    (void)state;
    const char *dir = getenv("CCHC_TESTDATA");
    char file[512];
    snprintf(file, sizeof file, "%s/dossier-transitions.tsv", dir ? dir : "tests/data");
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    char line[512];
    int seen[DS__COUNT][DA__COUNT] = {{0}};
    int64_t t = instant("2024-03-04T07:30");
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\n")] = '\0';
        char *col[4] = {line, NULL, NULL, NULL};
        for (int i = 1; i < 4; i++) {
            col[i] = strchr(col[i - 1], '\t');
            assert_non_null(col[i]);
            *col[i]++ = '\0';
        }
        enum dossier_status st;
        enum dossier_action act;
        assert_int_equal(dossier_status_parse(col[0], &st, NULL), 0);
        assert_int_equal(dossier_action_parse(col[2], &act, NULL), 0);
        struct dossier d, after;
        reach(col[0], col[1], &t, &d);
        char before_buf[4096], after_buf[4096];
        snapshot(d.code, &d, before_buf);
        struct err e = {0};
        int rc = apply(d.code, act, t, &e);
        t += 30;
        snapshot(d.code, &after, after_buf);
        if (!strcmp(col[3], "ERR")) {
            if (rc != ERR_CONFLICT)
                fail_msg("%s/%s: expected a conflict, got %d", col[0], col[2], rc);
            assert_non_null(strstr(e.msg, col[0]));
            assert_memory_equal(&d, &after, sizeof d);
            assert_string_equal(before_buf, after_buf);
        } else {
            if (rc) fail_msg("%s/%s: %s", col[0], col[2], e.msg);
            assert_string_equal(dossier_status_name(after.st.status), col[3]);
            assert_int_equal(after.n_events, d.n_events + 1);
            assert_non_null(strstr(after_buf, dossier_action_name(act)));
        }
        seen[st][act] = 1;
        /* the receive day moves on so no unit runs out of codes in one day */
        if (instant_minute_of_day(t) > 16 * 60) t = (instant_day(t) + 1) * MINUTES_PER_DAY + 450;
    }
    fclose(f);
    for (int s = 0; s < DS__COUNT; s++)
        for (int a = 0; a < DA__COUNT; a++)
            if (!seen[s][a])
                fail_msg("pair (%s, %s) not exercised", dossier_status_name((enum dossier_status)s),
                         dossier_action_name((enum dossier_action)a));
    audit_ok();
}

static int count_cb(const struct dossier *d, void *ctx)
{
    (void)d;
    (*(int *)ctx)++;
    return 0;
}

/* Brief and full listings of every unit, side by side: the brief one equals the full one
 * with the members it leaves out set to zero (store.h), for dossiers in every state
 * test_every_transition left behind (stopped ones included). */
struct listing {
    struct dossier *d;
    int n, cap;
};

static int collect_cb(const struct dossier *d, void *ctx)
{
    struct listing *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->d = realloc(l->d, sizeof *l->d * (size_t)l->cap);
        assert_non_null(l->d);
    }
    l->d[l->n++] = *d;
    return 0;
}

static int brief_compare_unit(const struct unit *u, void *ctx)
{
    int *total = ctx;
    struct err e = {0};
    struct listing full = {0}, brief = {0}, keys = {0};
    struct dossier_filter f = {
        .unit = u->code, .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    assert_int_equal(store_dossier_list(db, &f, collect_cb, &full, &e), 0);
    f.rows = DOSSIER_ROWS_BRIEF;
    assert_int_equal(store_dossier_list(db, &f, collect_cb, &brief, &e), 0);
    assert_int_equal(full.n, brief.n);
    f.rows = DOSSIER_ROWS_KEYS;
    assert_int_equal(store_dossier_list(db, &f, collect_cb, &keys, &e), 0);
    assert_int_equal(full.n, keys.n);
    for (int i = 0; i < full.n; i++) {
        struct dossier want = full.d[i];
        memset(want.applicant.address, 0, sizeof want.applicant.address);
        want.st.resume_to = 0;
        want.st.budget_minutes = want.st.step_started_at = want.st.stopped_minutes = 0;
        want.st.last_at = 0;
        if (memcmp(&want, &brief.d[i], sizeof want))
            fail_msg("%s: the brief row differs from the full one", want.code);
        struct dossier by_id;
        assert_int_equal(store_dossier_brief(db, want.id, &by_id, &e), 0);
        if (memcmp(&by_id, &brief.d[i], sizeof by_id))
            fail_msg("%s: the brief row by id differs from the listed one", want.code);
        struct dossier k;
        memset(&k, 0, sizeof k);
        k.id = full.d[i].id;
        k.n_events = full.d[i].n_events;
        memcpy(k.code, full.d[i].code, sizeof k.code);
        memcpy(k.unit, full.d[i].unit, sizeof k.unit);
        memcpy(k.procedure, full.d[i].procedure, sizeof k.procedure);
        k.st.status = full.d[i].st.status;
        k.st.received_at = full.d[i].st.received_at;
        k.st.due_at = full.d[i].st.due_at;
        k.st.result_at = full.d[i].st.result_at;
        k.st.closed_at = full.d[i].st.closed_at;
        k.st.stopped_at = full.d[i].st.stopped_at;
        if (memcmp(&k, &keys.d[i], sizeof k))
            fail_msg("%s: the key row differs from the full one", want.code);
        for (int64_t t = k.st.received_at - 1; t < k.st.due_at + 3; t += 1440)
            assert_int_equal(dossier_outcome_at(&k.st, t), dossier_outcome_at(&full.d[i].st, t));
    }
    *total += full.n;
    free(full.d);
    free(brief.d);
    free(keys.d);
    return 0;
}

static void test_brief_list(void **state)
{
    (void)state;
    struct err e = {0};
    int total = 0;
    assert_int_equal(store_unit_list(db, UNIT_DAY_MIN, brief_compare_unit, &total, &e), 0);
    assert_true(total > 100);
    struct dossier none;
    assert_int_equal(store_dossier_brief(db, 999999999, &none, &e), ERR_NOT_FOUND);
}

/* A list over several units (a scope's page, f->units) equals the units' own lists one after
 * the other, cut at the limit, in every row form and with every filter: on PostgreSQL it reads
 * batches of 4, 8 … units per statement (sqlite_dossiers.c, SQL_PAGE), which this exercises
 * with eight units, empty ones among them, in an order that is not the codes'. */
static int stop_cb(const struct dossier *d, void *ctx)
{
    struct listing *l = ctx;
    collect_cb(d, ctx);
    return l->n == 3 ? 7 : 0; /* the caller's non-zero stops the walk and is handed back */
}

static void test_units_list(void **state)
{
    (void)state;
    static const char *const names[] = {"XA-L1", "XA-L2", "XA-L3", "XA-L4", "XA-L5", "XA-L6"};
    static const int counts[] = {3, 0, 7, 0, 2, 5};
    for (int i = 0; i < 6; i++) {
        char ident[16];
        snprintf(ident, sizeof ident, "000.01.%d.H29", 41 + i);
        put_unit(names[i], ident, NULL, NULL);
        for (int k = 0; k < counts[i]; k++) {
            struct dossier d;
            struct dossier_intake in = intake(instant("2024-06-03T08:00") + k * 1440 * 2, k % 2);
            in.unit = names[i];
            if (k == 1) snprintf(in.applicant.name, sizeof in.applicant.name, "Lê Văn Tám");
            must_create(&in, &d);
        }
    }
    const char *const order[] = {"XA-L4", "XA-L3", "XA-NO-IDENT", "XA-L1", "XA-AN-BINH",
                                 "XA-L2", "XA-L6", "XA-L5",       "XA-OLD"};
    const int n_order = (int)(sizeof order / sizeof order[0]);
    struct ymd june5 = {2024, 6, 5}, june9 = {2024, 6, 9};
    struct dossier_filter filters[] = {
        {.status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX},
        {.status = DS_SUBMITTED, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX},
        {.status = -1,
         .outcome = -1,
         .name = "le van tam",
         .from_day = INT64_MIN,
         .to_day = INT64_MAX},
        {.status = -1, .outcome = -1, .from_day = ymd_to_days(june5), .to_day = ymd_to_days(june9)},
        {.status = -1,
         .outcome = OUT_IN_TIME,
         .from_day = INT64_MIN,
         .to_day = INT64_MAX,
         .now = instant("2024-06-10T08:00")},
    };
    static const int64_t limits[] = {0, 1, 2, 3, 4, 5, 8, 11, 12, 13, 17, 1000};
    struct err e = {0};
    int checked = 0;
    for (size_t fi = 0; fi < sizeof filters / sizeof filters[0]; fi++)
        for (int rows = DOSSIER_ROWS_FULL; rows <= DOSSIER_ROWS_KEYS; rows++) {
            /* the units' own lists, one after the other */
            struct listing want = {0};
            struct dossier_filter f = filters[fi];
            f.rows = (enum dossier_rows)rows;
            for (int i = 0; i < n_order; i++) {
                f.unit = order[i];
                assert_int_equal(store_dossier_list(db, &f, collect_cb, &want, &e), 0);
            }
            if (fi == 0) assert_true(want.n > 17 + 10);
            f.unit = NULL;
            f.units = order;
            f.n_units = n_order;
            for (size_t li = 0; li < sizeof limits / sizeof limits[0]; li++) {
                struct listing got = {0};
                f.limit = limits[li];
                assert_int_equal(store_dossier_list(db, &f, collect_cb, &got, &e), 0);
                int n = f.limit > 0 && f.limit < want.n ? (int)f.limit : want.n;
                if (got.n != n)
                    fail_msg("filter %zu, rows %d, limit %lld: %d dossiers, want %d", fi, rows,
                             (long long)f.limit, got.n, n);
                for (int i = 0; i < n; i++)
                    if (memcmp(&got.d[i], &want.d[i], sizeof got.d[i]))
                        fail_msg("filter %zu, rows %d, limit %lld: dossier %d is %s, want %s", fi,
                                 rows, (long long)f.limit, i, got.d[i].code, want.d[i].code);
                free(got.d);
                checked++;
            }
            free(want.d);
        }
    assert_int_equal(checked, 5 * 3 * 12);
    /* the callback's non-zero stops the walk and comes back */
    struct listing got = {0};
    struct dossier_filter f = {.status = -1,
                               .outcome = -1,
                               .from_day = INT64_MIN,
                               .to_day = INT64_MAX,
                               .limit = 20,
                               .rows = DOSSIER_ROWS_KEYS,
                               .units = order,
                               .n_units = n_order};
    assert_int_equal(store_dossier_list(db, &f, stop_cb, &got, &e), 7);
    assert_int_equal(got.n, 3);
    free(got.d);
}

static int doc_collect(int seq, const char *text, void *ctx)
{
    char *b = ctx;
    snprintf(b + strlen(b), 512 - strlen(b), "%d.%s|", seq, text);
    return 0;
}

static void test_codes_receipt_and_search(void **state)
{
    (void)state;
    struct dossier a, b, c;
    struct dossier_intake in = intake(instant("2024-05-06T08:00"), 1);
    int docs[] = {2, 1};
    in.docs = docs;
    in.ndocs = 2;
    must_create(&in, &a);
    assert_string_equal(a.code, "000.01.02.H29-240506-0001");
    assert_int_equal(a.st.status, DS_RECEIVED);
    assert_int_equal(a.st.due_at, instant("2024-05-13T17:00")); /* Tue 7 .. Mon 13 */
    assert_int_equal(a.n_events, 1);
    char buf[512] = "";
    struct dossier_records r = {.document = doc_collect, .ctx = buf};
    struct err e = {0};
    assert_int_equal(store_dossier_records(db, a.code, &r, &e), 0);
    assert_string_equal(buf, "1.Giấy chứng sinh|2.Tờ khai đăng ký khai sinh|");
    in = intake(instant("2024-05-06T09:00"), 0);
    snprintf(in.applicant.name, sizeof in.applicant.name, "TRẦN VĂN ĐỨC");
    must_create(&in, &b);
    assert_string_equal(b.code, "000.01.02.H29-240506-0002");
    assert_int_equal(b.st.status, DS_SUBMITTED);
    in = intake(instant("2024-05-07T09:00"), 1);
    must_create(&in, &c);
    assert_string_equal(c.code, "000.01.02.H29-240507-0001");
    /* search without diacritics and case */
    int n = 0;
    struct dossier_filter f = {.unit = "XA-AN-BINH",
                               .status = -1,
                               .outcome = -1,
                               .name = "tran van duc",
                               .from_day = INT64_MIN,
                               .to_day = INT64_MAX};
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    n = 0;
    f.name = "Đức";
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    /* period and status filters */
    n = 0;
    f.name = NULL;
    struct ymd d7 = {2024, 5, 7};
    f.from_day = f.to_day = ymd_to_days(d7);
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    n = 0;
    f.from_day = INT64_MIN;
    f.to_day = INT64_MAX;
    f.status = DS_SUBMITTED;
    f.name = "nguyen thi hong";
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    int submitted_nguyen = n;
    assert_true(submitted_nguyen >= 1);
    /* outcome filter: c is open; at its due instant in time, one minute later overdue */
    f.status = -1;
    f.name = NULL;
    f.from_day = f.to_day = ymd_to_days(d7);
    f.outcome = OUT_IN_TIME;
    f.now = c.st.due_at;
    n = 0;
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    f.outcome = OUT_OVERDUE;
    f.now = c.st.due_at + 1;
    n = 0;
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    audit_ok();
}

static void test_bad_input(void **state)
{
    (void)state;
    struct dossier d;
    struct err e = {0};
    int64_t t = instant("2024-05-08T08:00");
    struct dossier_intake in = intake(t, 1);
    in.unit = "XA-KHONG-CO";
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_NOT_FOUND);
    in.unit = "XA-NO-IDENT";
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "identifier code"));
    in.unit = "XA-OLD";
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "does not exist on 2024-05-08"));
    in = intake(t, 1);
    in.procedure = "9.999999";
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_NOT_FOUND);
    in = intake(t, 1);
    snprintf(in.applicant.idno, sizeof in.applicant.idno, "00119001234");
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_INVALID);
    assert_string_equal(e.field, "idno");
    assert_null(strstr(e.msg, "00119001234")); /* personal data never in messages */
    in = intake(t, 1);
    snprintf(in.applicant.phone, sizeof in.applicant.phone, "912345678");
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_INVALID);
    assert_null(strstr(e.msg, "912345678"));
    in = intake(t, 1);
    in.applicant.name[0] = '\0';
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_INVALID);
    in = intake(t, 1);
    int docs[] = {4};
    in.docs = docs;
    in.ndocs = 1;
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "document 4"));
    in = intake(t, 1);
    in.actor = "";
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_INVALID);
    /* a reception outside the calendar: nothing written */
    in = intake(instant("2031-01-06T08:00"), 1);
    int n = 0;
    struct dossier_filter f = {
        .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), 0);
    assert_int_equal(store_dossier_create(db, cal, &in, &d, &e), ERR_RANGE);
    int n2 = 0;
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n2, &e), 0);
    assert_int_equal(n, n2);
    /* transitions on unknown dossiers, without an actor */
    assert_int_equal(apply("000.01.02.H29-240508-9999", DA_ADVANCE, t, &e), ERR_NOT_FOUND);
    in = intake(t, 1);
    must_create(&in, &d);
    struct dossier_change c = {.code = d.code, .action = DA_ADVANCE, .at = t};
    assert_int_equal(store_dossier_apply(db, cal, &c, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "actor");
    /* going back in time */
    assert_int_equal(apply(d.code, DA_ADVANCE, t - 1, &e), ERR_INVALID);
    /* listing and records with bad keys */
    f.name = "L\xc3";
    assert_int_equal(store_dossier_list(db, &f, count_cb, &n, &e), ERR_INVALID);
    struct dossier_records none = {0};
    assert_int_equal(store_dossier_records(db, "000.01.02.H29-240508-9998", &none, &e),
                     ERR_NOT_FOUND);
    audit_ok();
}

/* Runs SQL on a second connection, as someone with the database file would. */
static void raw(const char *sql)
{
    struct db *h;
    struct err e = {0};
    if (db_open(path, &h, &e)) fail_msg("open: %s", e.msg);
    if (db_exec(h, sql)) fail_msg("%s: %s", sql, db_errmsg(h));
    db_close(h);
}

static void audit_bad(const char *needle)
{
    struct audit_report r;
    struct err e = {0};
    assert_int_equal(store_audit_verify(db, &r, &e), 0);
    if (r.ok) fail_msg("audit passed, expected '%s'", needle);
    if (!strstr(r.problem, needle)) fail_msg("audit said '%s', expected '%s'", r.problem, needle);
}

static void test_audit_detects_tampering(void **state)
{
    (void)state;
    audit_ok();
    /* an edited event */
    raw("CREATE TABLE keep AS SELECT * FROM events WHERE id = 5; "
        "UPDATE events SET actor = 'someone else' WHERE id = 5");
    audit_bad("event 5: hash does not match");
    raw("UPDATE events SET actor = (SELECT actor FROM keep) WHERE id = 5; DROP TABLE keep");
    audit_ok();
    /* two rows swapped (the log reordered) */
    raw("UPDATE events SET id = -7 WHERE id = 7; UPDATE events SET id = 7 WHERE id = 8; "
        "UPDATE events SET id = 8 WHERE id = -7");
    audit_bad("event 7: hash does not match");
    raw("UPDATE events SET id = -7 WHERE id = 7; UPDATE events SET id = 7 WHERE id = 8; "
        "UPDATE events SET id = 8 WHERE id = -7");
    audit_ok();
    /* a deleted event in the middle: event ids after the genesis (all of a fresh database's,
     * migration 049) may have gaps, so the next event of the province names it, its link no
     * longer matching */
    raw("CREATE TABLE keep AS SELECT * FROM events WHERE id = 9; DELETE FROM events WHERE id = 9");
    audit_bad("event 10: hash does not match its content or the chain of province");
    raw("INSERT INTO events SELECT * FROM keep; DROP TABLE keep");
    audit_ok();
    /* the last event deleted */
    raw("CREATE TABLE keep AS SELECT * FROM events WHERE id = (SELECT max(id) FROM events);"
        "DELETE FROM events WHERE id = (SELECT id FROM keep)");
    audit_bad("the audit head of province");
    raw("INSERT INTO events SELECT * FROM keep; DROP TABLE keep");
    audit_ok();
    /* an edited dossier row: a late result made to look on time */
    raw("UPDATE dossiers SET result_at = result_at - 1440 WHERE id = (SELECT min(id) FROM dossiers "
        "WHERE result_at > 0)");
    audit_bad("row does not match");
    raw("UPDATE dossiers SET result_at = result_at + 1440 WHERE id = (SELECT min(id) FROM "
        "dossiers WHERE result_at > 0)");
    audit_ok();
}

static void test_injected_failure_changes_nothing(void **state)
{
    (void)state;
    int64_t t = instant("2024-05-09T08:00");
    struct dossier d, after;
    struct dossier_intake in = intake(t, 1);
    must_create(&in, &d);
    must_apply(d.code, DA_ADVANCE, t + 10);
    char before_buf[4096], after_buf[4096];
    snapshot(d.code, &d, before_buf);
    /* the event insert fails after the row and the step records were written */
    fault_trigger(path, "boom", "events", "NEW.note = 'boom'", "injected failure");
    struct dossier_change c = {
        .code = d.code, .action = DA_ADVANCE, .at = t + 20, .actor = "cv", .note = "boom"};
    struct err e = {0};
    int rc = store_dossier_apply(db, cal, &c, NULL, &e);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(e.msg, "injected failure"));
    snapshot(d.code, &after, after_buf);
    assert_memory_equal(&d, &after, sizeof d);
    assert_string_equal(before_buf, after_buf);
    fault_drop(path, "boom", "events");
    audit_ok();
    c.note = "ok";
    assert_int_equal(store_dossier_apply(db, cal, &c, &after, &e), 0);
    assert_int_equal(after.st.step, 2);
    audit_ok();
}

static void test_rating(void **state)
{
    (void)state;
    int64_t t = instant("2024-05-10T08:00");
    struct dossier d;
    struct dossier_intake in = intake(t, 1);
    must_create(&in, &d);
    struct err e = {0};
    assert_int_equal(store_dossier_rate(db, d.code, 5, t + 10, NULL, &e), ERR_CONFLICT);
    assert_string_equal(e.msg, "cannot 'rate' a dossier in state 'received': ratings come after "
                               "the result is returned");
    must_apply(d.code, DA_ADVANCE, t + 10);
    must_apply(d.code, DA_ADVANCE, t + 20);
    must_apply(d.code, DA_FINISH, t + 30);
    must_apply(d.code, DA_RETURN, t + 40);
    assert_int_equal(store_dossier_rate(db, d.code, 6, t + 50, NULL, &e), ERR_INVALID);
    assert_int_equal(store_dossier_rate(db, d.code, 0, t + 50, NULL, &e), ERR_INVALID);
    assert_int_equal(store_dossier_rate(db, d.code, 4, t + 39, NULL, &e), ERR_INVALID);
    assert_int_equal(store_dossier_rate(db, d.code, 4, t + 50, "Cán bộ nhiệt tình", &e), 0);
    assert_int_equal(store_dossier_rate(db, d.code, 5, t + 60, NULL, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "already been rated"));
    int score;
    int64_t at;
    char comment[64];
    assert_int_equal(store_dossier_rating(db, d.code, &score, &at, comment, sizeof comment, &e), 0);
    assert_int_equal(score, 4);
    assert_int_equal(at, t + 50);
    assert_string_equal(comment, "Cán bộ nhiệt tình");
    char buf[4096];
    struct dossier after;
    snapshot(d.code, &after, buf);
    assert_non_null(strstr(buf, "rate:returned>returned"));
    assert_int_equal(after.n_events, 6);
    assert_int_equal(
        store_dossier_rating(db, "000.01.02.H29-240510-9999", &score, &at, NULL, 0, &e),
        ERR_NOT_FOUND);
    audit_ok();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_brief_list),
        cmocka_unit_test(test_units_list),
        cmocka_unit_test(test_codes_receipt_and_search),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_audit_detects_tampering),
        cmocka_unit_test(test_injected_failure_changes_nothing),
        cmocka_unit_test(test_rating),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
