/* bench/ingest.c — durable dossier transitions per second on SQLite, and the time and size of
 * `cchc seed`. Every figure comes with a baseline measured in the same run on the same disk:
 *  - transitions: raw SQLite inserting one small row per transaction with synchronous=FULL
 *    (the fsync floor of one durable commit), against store_dossier_apply one per transaction,
 *    then group commit (B transitions per transaction, each acknowledged only after the commit
 *    returned, so every acknowledged transition is durable), and synchronous=NORMAL one per
 *    transaction (not durable on power loss; shown for comparison only);
 *  - seed: `cchc seed --dossiers N` against raw SQLite inserting as many event-sized rows as the
 *    seed wrote events, in transactions of the same size.
 * Usage: bench_ingest [--dir DIR] [--seconds S] [--seed-dossiers N] (N = 0 skips the seed). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "dossier.h"
#include "db.h"
#include "store.h"
#include "store_int.h"

static struct calendar *cal;
static struct procedure proc;
static char dir[1024] = ".";
static double seconds = 2.0;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "bench_ingest: %s: %s\n", what, e ? e->msg : "");
    exit(1);
}

static void remove_db(const char *path)
{
    char p[1100];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? 0 : (long long)st.st_size;
}

/* ---- baseline: raw SQLite ---- */

/* Rows per second inserting `width`-byte rows, `per_tx` per transaction, for about `secs`
 * seconds (or exactly `rows` rows when rows > 0), WAL mode and the given synchronous level. */
static double raw_rate(const char *sync, int per_tx, int width, long rows, double secs,
                       double *elapsed)
{
    char path[1100], sql[128];
    snprintf(path, sizeof path, "%s/bench-raw.db", dir);
    remove_db(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) die("raw open", NULL);
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s", sync);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c BLOB)", NULL,
                 NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)", -1, &st, NULL);
    char text[512];
    memset(text, 'x', sizeof text);
    int tlen = width > 64 ? width - 64 : 1;
    if (tlen > (int)sizeof text) tlen = (int)sizeof text;
    long n = 0;
    double t0 = now();
    while (rows > 0 ? n < rows : now() - t0 < secs) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (int i = 0; i < per_tx && (rows <= 0 || n < rows); i++, n++) {
            sqlite3_bind_int64(st, 1, n);
            sqlite3_bind_text(st, 2, text, tlen, SQLITE_STATIC);
            sqlite3_bind_blob(st, 3, text, 64, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    double dt = now() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    remove_db(path);
    if (elapsed) *elapsed = dt;
    return (double)n / dt;
}

/* ---- cchc transitions ---- */

struct load {
    struct store *s;
    char open[256][DOSSIER_CODE_LEN];
    int nopen, next;
    int64_t clock;
    long done;
};

static void setup_world(struct store *s)
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
    if (store_unit_put(s, &u, &e)) die("unit", &e);
    if (store_procedure_put(s, &proc, &e)) die("procedure", &e);
}

/* One transition: a new dossier, or the next step of an open one (round robin). */
static int one(struct load *l, struct err *e)
{
    struct dossier d;
    l->clock += 3;
    if (l->nopen < 200) {
        struct dossier_intake in = {.unit = "XA",
                                    .procedure = proc.code,
                                    .at = l->clock,
                                    .actor = "desk",
                                    .receive = 1,
                                    .proc = &proc};
        snprintf(in.applicant.name, sizeof in.applicant.name, "Nguyễn Thị Bench");
        int rc = store_dossier_create(l->s, cal, &in, &d, e);
        if (rc) return rc;
        snprintf(l->open[l->nopen++], DOSSIER_CODE_LEN, "%s", d.code);
        l->done++;
        return 0;
    }
    int k = l->next++ % l->nopen;
    int rc = store_dossier_get(l->s, l->open[k], &d, e);
    if (rc) return rc;
    enum dossier_action a = d.st.status == DS_RESULT_READY ? DA_RETURN
                            : d.st.status == DS_RECEIVED   ? DA_ADVANCE
                            : d.st.step < d.st.n_steps     ? DA_ADVANCE
                                                           : DA_FINISH;
    struct dossier_change c = {
        .code = d.code, .action = a, .at = l->clock, .actor = "officer", .proc = &proc};
    if ((rc = store_dossier_apply(l->s, cal, &c, &d, e))) return rc;
    if (dossier_status_closed(d.st.status))
        memmove(l->open[k], l->open[--l->nopen], DOSSIER_CODE_LEN);
    l->done++;
    return 0;
}

struct batch {
    struct load *l;
    int n;
};

static int batch_fn(struct store *s, void *ctx, struct err *e)
{
    (void)s;
    struct batch *b = ctx;
    for (int i = 0; i < b->n; i++) {
        int rc = one(b->l, e);
        if (rc) return rc;
    }
    return 0;
}

/* Transitions per second, `per_tx` per transaction, on a fresh database opened with url
 * suffix `opts` ("" or "?synchronous=normal"); *pages = database pages written per
 * transition (WAL frames, checkpoints aside). */
static double store_rate(const char *url, int per_tx, long *count, double *pages);

static double cchc_rate(int per_tx, const char *opts, long *count, double *pages)
{
    char path[1100], url[1200];
    snprintf(path, sizeof path, "%s/bench-ingest.db", dir);
    remove_db(path);
    snprintf(url, sizeof url, "sqlite:%s%s", path, opts);
    double r = store_rate(url, per_tx, count, pages);
    remove_db(path);
    return r;
}

/* The same on a fresh database of the PostgreSQL server at admin_url (created, then dropped). */
static double pg_rate(const char *admin_url, int per_tx, long *count)
{
    static int k;
    char name[64], sql[128], url[1200];
    snprintf(name, sizeof name, "bench_ingest_%d_%d", (int)getpid(), k++);
    struct db *a;
    struct err e = {0};
    if (db_open(admin_url, &a, &e)) die("--pg", &e);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (db_exec(a, sql)) die(db_errmsg(a), NULL);
    const char *slash = strrchr(admin_url, '/');
    snprintf(url, sizeof url, "%.*s/%s", (int)(slash - admin_url), admin_url, name);
    double pages;
    double r = store_rate(url, per_tx, count, &pages);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
    db_exec(a, sql);
    db_close(a);
    return r;
}

static double store_rate(const char *url, int per_tx, long *count, double *pages)
{
    struct load l = {0};
    struct err e = {0};
    if (store_open(url, &l.s, &e)) die("open", &e);
    setup_world(l.s);
    struct ymd start = {2025, 8, 4};
    l.clock = ymd_to_days(start) * MINUTES_PER_DAY + 450;
    /* warm up: fill the pipeline of open dossiers */
    struct batch w = {&l, 200};
    if (store_tx(l.s, batch_fn, &w, &e)) die("warm-up", &e);
    l.done = 0;
    int64_t pages0 = store_pages_written(l.s);
    double t0 = now();
    struct batch b = {&l, per_tx};
    while (now() - t0 < seconds) {
        int rc = per_tx == 1 ? one(&l, &e) : store_tx(l.s, batch_fn, &b, &e);
        if (rc) die("transition", &e);
        /* here each of these transitions is acknowledged: it is committed */
    }
    double dt = now() - t0;
    *pages = l.done ? (double)(store_pages_written(l.s) - pages0) / (double)l.done : 0;
    store_close(l.s);
    *count = l.done;
    return (double)l.done / dt;
}

/* ---- seed ---- */

static void run_seed(long n)
{
    char exe[1024], path[1100], nbuf[32];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 8);
    if (len <= 0) die("cannot find the cchc binary next to bench_ingest", NULL);
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    strcpy(slash ? slash + 1 : exe, "cchc");
    snprintf(path, sizeof path, "%s/bench-seed.db", dir);
    remove_db(path);
    snprintf(nbuf, sizeof nbuf, "%ld", n);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        execl(exe, exe, "seed", "--dossiers", nbuf, "--seed", "1", "--db", path, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    double dt = now() - t0;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "bench_ingest: %s seed failed (status %d)\n", exe, status);
        exit(1);
    }
    long long size = file_size(path), wal = 0;
    char walp[1200];
    snprintf(walp, sizeof walp, "%s-wal", path);
    wal = file_size(walp);
    /* events written, for the baseline */
    sqlite3 *db;
    sqlite3_stmt *st;
    long events = 0;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) events = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    double bt;
    raw_rate("FULL", 4096, 140, events, 0, &bt);
    printf("seed: %ld dossiers, %ld events in %.1f s wall, %.1f s CPU (%.0f dossiers/s, %.0f "
           "changes/s wall); database %.1f MB (+ WAL %.1f MB), %.0f bytes per dossier\n",
           n, events, dt, cpu, (double)n / dt, (double)events / dt, (double)size / 1e6,
           (double)wal / 1e6, (double)(size + wal) / (double)n);
    printf("seed baseline: raw SQLite inserting %ld rows of 140 bytes, 4096 per transaction: "
           "%.1f s; seed / baseline = %.1fx\n",
           events, bt, dt / bt);
    remove_db(path);
}

int main(int argc, char **argv)
{
    long seed_n = 100000;
    const char *pg_url = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            snprintf(dir, sizeof dir, "%s", argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed-dossiers") && i + 1 < argc)
            seed_n = atol(argv[++i]);
        else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
            pg_url = argv[++i];
        else {
            fprintf(stderr, "usage: bench_ingest [--dir DIR] [--seconds S] [--seed-dossiers N] "
                            "[--pg ADMIN_URL]\n");
            return 2;
        }
    }
    struct err e = {0};
    const char *data = getenv("CCHC_DATA");
    if (calendar_load(data ? data : CCHC_DATA_DIR, 2025, 2030, NULL, &cal, &e)) die("calendar", &e);
    snprintf(proc.code, sizeof proc.code, "1.004873");
    snprintf(proc.name, sizeof proc.name, "Cấp Giấy xác nhận tình trạng hôn nhân");
    snprintf(proc.field, sizeof proc.field, "Hộ tịch");
    proc.level = LEVEL_COMMUNE;
    proc.time_amount = 3;
    proc.time_unit = TIME_WORKING_DAYS;
    proc.ndocs = 2;
    snprintf(proc.docs[0], sizeof proc.docs[0], "Tờ khai");
    snprintf(proc.docs[1], sizeof proc.docs[1], "Giấy tờ chứng minh");
    proc.nsteps = 4;
    static const int share[4] = {10, 50, 30, 10};
    for (int i = 0; i < 4; i++) {
        snprintf(proc.steps[i].name, sizeof proc.steps[i].name, "Bước %d", i + 1);
        proc.steps[i].role = ROLE_SPECIALIST;
        proc.steps[i].unit_kind = -1;
        proc.steps[i].share = share[i];
    }

    printf("bench_ingest: directory %s, %.1f s per measurement, %d cores online\n", dir, seconds,
           (int)sysconf(_SC_NPROCESSORS_ONLN));
    double base = raw_rate("FULL", 1, 140, 0, seconds, NULL);
    printf("baseline: raw SQLite, 1 row per transaction, synchronous=FULL: %.0f commits/s\n", base);
    long n;
    double pg;
    double r1 = cchc_rate(1, "", &n, &pg);
    printf("cchc: 1 transition per transaction, synchronous=FULL (durable): %.0f/s "
           "(%ld in %.1f s), %.2fx baseline; %.2f pages written per transition\n",
           r1, n, seconds, r1 / base, pg);
    static const int sizes[] = {16, 64, 256, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double r = cchc_rate(sizes[i], "", &n, &pg);
        printf("cchc: group commit, %4d transitions per transaction, synchronous=FULL "
               "(durable once acknowledged): %.0f/s, %.1fx baseline; %.2f pages written per "
               "transition\n",
               sizes[i], r, r / base, pg);
    }
    double rn = cchc_rate(1, "?synchronous=normal", &n, &pg);
    printf("cchc: 1 transition per transaction, synchronous=NORMAL (NOT durable on power "
           "loss): %.0f/s, %.1fx baseline\n",
           rn, rn / base);
    /* The disk is shared: a second baseline shows how much it drifted during the run. */
    double base2 = raw_rate("FULL", 1, 140, 0, seconds, NULL);
    printf("baseline again at the end: %.0f commits/s (ratios above use the first, %.0f)\n", base2,
           base);
    if (pg_url) {
        /* the same transitions on PostgreSQL (its own durability settings: a test cluster
         * started with fsync off says nothing about the disk, only about the code path) */
        static const int per[] = {1, 256};
        for (size_t i = 0; i < 2; i++) {
            long ns, np;
            double pgs;
            double rs = cchc_rate(per[i], "", &ns, &pgs);
            double rp = pg_rate(pg_url, per[i], &np);
            printf("PostgreSQL vs SQLite, same run, %d transition(s) per transaction: "
                   "PostgreSQL %.0f/s, SQLite %.0f/s, ratio %.2f\n",
                   per[i], rp, rs, rp / rs);
        }
    }
    if (seed_n > 0) run_seed(seed_n);
    calendar_free(cal);
    return 0;
}
