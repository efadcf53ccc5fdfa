/* test_crash.c — durability under SIGKILL. A child process receives dossiers and moves them
 * through their lifecycle, one transaction per change or several per transaction (group
 * commit), and reports each change through a pipe only after its commit returned. The parent
 * kills it at a random moment, 30 times; after each kill it reopens the database and checks
 * that every acknowledged change is there, that nothing is half-written (each dossier's step
 * records match its step) and that the audit chain verifies. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "dossier.h"
#include "store.h"
#include "testdb.h"

#define ROUNDS   30
#define MAX_ACKS 200000
#define BATCH    8

static struct calendar *cal;
static struct procedure proc;
static struct tmpdb tdb;
static const char *path = tdb.path;

struct ack {
    char code[DOSSIER_CODE_LEN];
    int n_events;
};
static struct ack acks[MAX_ACKS];
static int nacks;

static void put_world(struct store *s)
{
    struct err e = {0};
    struct unit u;
    memset(&u, 0, sizeof u);
    snprintf(u.code, sizeof u.code, "XA");
    snprintf(u.name, sizeof u.name, "UBND xã Thử");
    u.kind = UNIT_COMMUNE;
    snprintf(u.ident_code, sizeof u.ident_code, "000.00.31.H20");
    u.valid_from = UNIT_DAY_MIN;
    u.valid_to = UNIT_DAY_MAX;
    if (store_unit_put(s, &u, &e)) fail_msg("unit: %s", e.msg);
    memset(&proc, 0, sizeof proc);
    snprintf(proc.code, sizeof proc.code, "1.004873");
    snprintf(proc.name, sizeof proc.name, "Cấp Giấy xác nhận tình trạng hôn nhân");
    snprintf(proc.field, sizeof proc.field, "Hộ tịch");
    proc.level = LEVEL_COMMUNE;
    proc.time_amount = 3;
    proc.time_unit = TIME_WORKING_DAYS;
    proc.ndocs = 1;
    snprintf(proc.docs[0], sizeof proc.docs[0], "Tờ khai");
    proc.nsteps = 4;
    static const int share[4] = {10, 50, 30, 10};
    for (int i = 0; i < 4; i++) {
        snprintf(proc.steps[i].name, sizeof proc.steps[i].name, "Bước %d", i + 1);
        proc.steps[i].role = ROLE_SPECIALIST;
        proc.steps[i].unit_kind = -1;
        proc.steps[i].share = share[i];
    }
    if (store_procedure_put(s, &proc, &e)) fail_msg("procedure: %s", e.msg);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    const char *data = getenv("CCHC_DATA");
    if (calendar_load(data ? data : CCHC_DATA_DIR, 2025, 2027, NULL, &cal, &e)) return -1;
    tmpdb_make(&tdb);
    struct store *s;
    if (store_open(path, &s, &e)) return -1;
    put_world(s);
    store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tmpdb_remove(&tdb);
    calendar_free(cal);
    return 0;
}

/* ---- the child ---- */

struct child {
    struct store *s;
    int fd;
    char open[64][DOSSIER_CODE_LEN];
    int nopen;
    int64_t clock;
    unsigned rnd;
    char out[BATCH * 64];
    size_t nout;
};

static int collect_open(const struct dossier *d, void *ctx)
{
    struct child *c = ctx;
    if (d->st.last_at > c->clock) c->clock = d->st.last_at;
    if (!dossier_status_closed(d->st.status) && c->nopen < 64)
        snprintf(c->open[c->nopen++], DOSSIER_CODE_LEN, "%s", d->code);
    return 0;
}

static void note_ack(struct child *c, const struct dossier *d)
{
    c->nout += (size_t)snprintf(c->out + c->nout, sizeof c->out - c->nout, "%s %d\n", d->code,
                                d->n_events);
}

static void flush_acks(struct child *c)
{
    size_t off = 0;
    while (off < c->nout) {
        ssize_t w = write(c->fd, c->out + off, c->nout - off);
        if (w <= 0) _exit(3);
        off += (size_t)w;
    }
    c->nout = 0;
}

/* One change: a new dossier, or the next step of an open one. */
static int one_change(struct child *c, struct err *e)
{
    struct dossier d;
    c->clock += 5;
    if (c->nopen < 6) {
        struct dossier_intake in = {.unit = "XA",
                                    .procedure = proc.code,
                                    .at = c->clock,
                                    .actor = "desk",
                                    .receive = 1,
                                    .proc = &proc};
        snprintf(in.applicant.name, sizeof in.applicant.name, "Nguyễn Văn Thử");
        int rc = store_dossier_create(c->s, cal, &in, &d, e);
        if (rc) return rc;
        snprintf(c->open[c->nopen++], DOSSIER_CODE_LEN, "%s", d.code);
        note_ack(c, &d);
        return 0;
    }
    int k = (int)(rand_r(&c->rnd) % (unsigned)c->nopen);
    int rc = store_dossier_get(c->s, c->open[k], &d, e);
    if (rc) return rc;
    enum dossier_action a;
    switch (d.st.status) {
    case DS_RECEIVED:
        a = DA_ADVANCE;
        break;
    case DS_PROCESSING:
        a = rand_r(&c->rnd) % 8 == 0 ? DA_PAUSE : d.st.step < d.st.n_steps ? DA_ADVANCE : DA_FINISH;
        break;
    case DS_PAUSED:
        a = DA_RESUME;
        break;
    case DS_RESULT_READY:
        a = DA_RETURN;
        break;
    default:
        return err_set(e, ERR_INTERNAL, "", "unexpected state %s",
                       dossier_status_name(d.st.status));
    }
    int64_t at = d.st.last_at > c->clock ? d.st.last_at : c->clock;
    struct dossier_change ch = {.code = d.code,
                                .action = a,
                                .at = at,
                                .actor = "officer",
                                .note = a == DA_PAUSE ? "chờ" : NULL,
                                .proc = &proc};
    if ((rc = store_dossier_apply(c->s, cal, &ch, &d, e))) return rc;
    note_ack(c, &d);
    if (dossier_status_closed(d.st.status))
        memmove(c->open[k], c->open[--c->nopen], DOSSIER_CODE_LEN);
    return 0;
}

static int batch_fn(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    for (int i = 0; i < BATCH; i++) {
        int rc = one_change(ctx, e);
        if (rc) return rc;
    }
    return 0;
}

static void child_main(int fd, unsigned seed, int batched)
{
    struct child c = {.fd = fd, .rnd = seed};
    struct err e = {0};
    if (store_open(path, &c.s, &e)) _exit(2);
    struct ymd start = {2025, 8, 4};
    c.clock = ymd_to_days(start) * MINUTES_PER_DAY + 450;
    struct dossier_filter f = {
        .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    if (store_dossier_list(c.s, &f, collect_open, &c, &e)) _exit(2);
    for (;;) {
        c.nout = 0;
        int rc = batched ? store_tx(c.s, batch_fn, &c, &e) : one_change(&c, &e);
        if (rc) {
            fprintf(stderr, "child: %s\n", e.msg);
            _exit(4);
        }
        flush_acks(&c); /* acknowledged only once committed */
    }
}

/* ---- the parent ---- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void take_acks(char *buf, size_t *len)
{
    char *line = buf, *nl;
    while ((nl = memchr(line, '\n', (size_t)(buf + *len - line)))) {
        *nl = '\0';
        if (nacks < MAX_ACKS) {
            char *sp = strchr(line, ' ');
            assert_non_null(sp);
            *sp = '\0';
            if (strlen(line) >= DOSSIER_CODE_LEN) fail_msg("bad acknowledgement '%.40s'", line);
            memcpy(acks[nacks].code, line, strlen(line) + 1);
            acks[nacks++].n_events = atoi(sp + 1);
        }
        line = nl + 1;
    }
    *len = (size_t)(buf + *len - line);
    memmove(buf, line, *len);
}

/* Runs one child until it has acknowledged its first change, lets it run ms more, kills it,
 * and collects every acknowledgement (those still in the pipe count: they were sent after a
 * commit). Waiting for the first one keeps the test meaningful on a slow, busy disk. */
static void one_round(unsigned seed, int batched, double ms)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        child_main(p[1], seed, batched);
    }
    close(p[1]);
    char buf[8192];
    size_t len = 0;
    int first = nacks, killed = 0;
    double end = now_s() + 10.0; /* until the first acknowledgement */
    for (;;) {
        if (end - now_s() <= 0 && !killed) {
            kill(pid, SIGKILL);
            killed = 1;
        }
        struct pollfd pf = {p[0], POLLIN, 0};
        int r = poll(&pf, 1, killed ? 1000 : (int)((end - now_s()) * 1000) + 1);
        if (r <= 0) continue;
        ssize_t n = read(p[0], buf + len, sizeof buf - len);
        if (n <= 0) break; /* the child is gone and the pipe drained */
        len += (size_t)n;
        int had = nacks > first;
        take_acks(buf, &len);
        if (!had && nacks > first && !killed) end = now_s() + ms / 1000.0;
    }
    close(p[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
        fail_msg("the child ended by itself (status %d): it hit an error", status);
    if (nacks == first) fail_msg("the child acknowledged nothing in 10 s");
}

static int count_step(const struct dossier_step_rec *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

struct check_ctx {
    struct store *s;
    long dossiers;
};

static int check_dossier(const struct dossier *d, void *ctx)
{
    struct check_ctx *x = ctx;
    int steps = 0;
    struct dossier_records r = {.step = count_step, .ctx = &steps};
    struct err e = {0};
    if (store_dossier_records(x->s, d->code, &r, &e)) fail_msg("records: %s", e.msg);
    if (steps != d->st.step)
        fail_msg("%s: %d step records for step %d (half-written)", d->code, steps, d->st.step);
    x->dossiers++;
    return 0;
}

static int cmp_ack(const void *a, const void *b)
{
    const struct ack *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->n_events > y->n_events) - (x->n_events < y->n_events);
}

/* Keeps one acknowledgement per dossier: the highest change number. */
static void compact_acks(void)
{
    qsort(acks, (size_t)nacks, sizeof acks[0], cmp_ack);
    int n = 0;
    for (int i = 0; i < nacks; i++) {
        if (n && !strcmp(acks[n - 1].code, acks[i].code))
            acks[n - 1] = acks[i];
        else
            acks[n++] = acks[i];
    }
    nacks = n;
}

static void verify_after_kill(void)
{
    compact_acks();
    struct store *s;
    struct err e = {0};
    if (store_open(path, &s, &e)) fail_msg("reopen: %s", e.msg);
    for (int i = 0; i < nacks; i++) {
        struct dossier d;
        if (store_dossier_get(s, acks[i].code, &d, &e))
            fail_msg("acknowledged dossier %s is missing: %s", acks[i].code, e.msg);
        if (d.n_events < acks[i].n_events)
            fail_msg("%s: %d events after the crash but change %d was acknowledged", acks[i].code,
                     d.n_events, acks[i].n_events);
    }
    struct check_ctx x = {s, 0};
    struct dossier_filter f = {
        .status = -1, .outcome = -1, .from_day = INT64_MIN, .to_day = INT64_MAX};
    if (store_dossier_list(s, &f, check_dossier, &x, &e)) fail_msg("list: %s", e.msg);
    struct audit_report r;
    if (store_audit_verify(s, &r, &e)) fail_msg("audit: %s", e.msg);
    if (!r.ok) fail_msg("audit after a kill: %s", r.problem);
    store_close(s);
}

static void test_sigkill(void **state)
{
    (void)state;
    srand(20251123);
    double t0 = now_s();
    long total = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int before = nacks;
        double ms = 5 + rand() % 150;
        one_round((unsigned)rand(), round % 2, ms);
        total += nacks - before;
        verify_after_kill();
        if (getenv("CCHC_CRASH_VERBOSE"))
            fprintf(stderr, "round %d (%s): %d acknowledgements in %.0f ms\n", round,
                    round % 2 ? "group commit" : "one per transaction", nacks - before, ms);
    }
    fprintf(stderr, "test_crash: %d kills, %d acknowledged changes, all present; %.1f s\n", ROUNDS,
            nacks, now_s() - t0);
    assert_true(nacks > ROUNDS); /* the children did work before dying */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
