/* cmd_serve.c — `cchc serve` (the HTTP API on the configured address, until SIGTERM or
 * SIGINT) and `cchc demo` (the same server on a demo database it fills on first use: the demo
 * catalogue, the demo province's unit tree, one demo user per role and a seeded year of
 * dossiers). Options come from one table (src/http/config.c): flags, cchc.ini, --help. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "notify_worker.h"
#include "remind_worker.h"
#include "auth.h"
#include "cli.h"
#include "docsign.h"
#include "calendar.h"
#include "config.h"
#include "demo_data.h"
#include "import.h"
#include "server.h"
#include "store.h"
#include "store_calendar.h"
#include "user.h"

static const char *const extra_flags[] = {"print-routes", "print-config", NULL};

/* The demo's seeded year: dossiers of the demo province over the twelve months up to today
 * (`cchc seed --until today`), so the dashboard's "this year" and "this month" are current. */
#define DEMO_DOSSIERS     "20000"
#define DEMO_DOSSIERS_MAX 200000

static void serve_usage(FILE *f, const char *cmd)
{
    if (!strcmp(cmd, "demo"))
        fprintf(f, "usage: cchc demo [OPTIONS]\n"
                   "Creates (or reuses) the demo database cchc-demo.db with the demo catalogue,\n"
                   "the demo unit tree, demo users (printed with their passwords), dossiers of\n"
                   "the twelve months up to today, the demo citizen's own dossiers and two PAR\n"
                   "index rounds (last year's published, this year's open for self-assessment),\n"
                   "then serves it on http://127.0.0.1:8080/ until Ctrl-C.\n"
                   "A database that already holds dossiers is reused as it is.\n"
                   "  --dossiers N\n"
                   "      dossiers seeded into a new demo database; default " DEMO_DOSSIERS
                   "; 1..200000\n\n");
    else
        fprintf(f, "usage: cchc serve [OPTIONS] [--print-routes | --print-config]\n"
                   "Serves the HTTP API (docs/openapi.yaml) until SIGTERM or SIGINT, which stop\n"
                   "accepting, let requests in flight finish and close the database.\n"
                   "--print-routes prints the route table (METHOD PATTERN ROLES CSRF SCOPE\n"
                   "SUMMARY, tab-separated) and exits. --print-config prints a cchc.ini with\n"
                   "every option (those given set, the others as commented defaults) and exits.\n"
                   "The database must exist (cchc init).\n\n");
    config_print_help(f);
}

/* Writes the port to path through a temporary file, so a reader never sees half of it. */
static int write_port_file(const char *path, int port, struct err *e)
{
    char tmp[CONFIG_STR_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return err_set(e, ERR_IO, "port_file", "%s: cannot write", tmp);
    fprintf(f, "%d\n", port);
    if (fclose(f) || rename(tmp, path))
        return err_set(e, ERR_IO, "port_file", "%s: cannot write", path);
    return 0;
}

/* Tells systemd (Type=notify) about the service's state: the sd_notify protocol of
 * sd_notify(3), one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET ('@' for the
 * abstract namespace). Written here rather than linking libsystemd for one sendto; nothing is
 * sent when the variable is unset (not started by systemd). */
static void notify_systemd(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || (path[0] != '/' && path[0] != '@')) return;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    if (n >= sizeof sa.sun_path) return;
    memcpy(sa.sun_path, path, n);
    if (sa.sun_path[0] == '@') sa.sun_path[0] = 0;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
        fprintf(stderr, "cchc serve: cannot notify systemd (%s): %s\n", state, strerror(errno));
    close(fd);
}

/* Reads defaults, $CCHC_DB, then --config and flags. Returns -1 to go on, else an exit code. */
static int read_config(const char *cmd, int argc, char **argv, struct serve_config *cfg,
                       unsigned *extra);

/* SIGHUP: the configuration read again as at start (defaults, cchc.ini, flags); if it is
 * valid, the options that can change under running requests are applied (server_reload);
 * if not, the message is logged and the server goes on as it was. */
static void reload(const char *cmd, struct server *srv, int argc, char **argv)
{
    struct serve_config cfg;
    unsigned extra = 0;
    notify_systemd("RELOADING=1");
    config_defaults(&cfg);
    if (read_config(cmd, argc, argv, &cfg, &extra) < 0) {
        int n = server_reload(srv, &cfg, stdout);
        printf("cchc %s: configuration re-read, %d option%s applied\n", cmd, n, n == 1 ? "" : "s");
    } else {
        printf("cchc %s: configuration not reloaded (see the error above); going on as before\n",
               cmd);
    }
    fflush(stdout);
    notify_systemd("READY=1");
}

/* Starts the server, tells systemd it is ready, re-reads the configuration on SIGHUP, and
 * on SIGTERM/SIGINT stops gracefully. */
static int run_server(const char *cmd, const struct serve_config *cfg, int argc, char **argv)
{
    struct err e = {0};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    /* Blocked before the worker threads start, so they inherit the mask and sigwait below
     * receives the signal. */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct server *srv;
    if (server_start(cfg, &srv, &e)) {
        if (!strcmp(e.field, "port")) {
            /* the port is taken: say so in the user's words, with the way out */
            fprintf(stderr,
                    "cchc %s: cổng %lld trên %s đang được một chương trình khác sử dụng (có thể là "
                    "một cchc khác). Chọn cổng khác bằng --port N, hoặc dừng chương trình đó.\n"
                    "cchc %s: port %lld on %s is already in use; choose another with --port N.\n",
                    cmd, (long long)cfg->port, cfg->listen, cmd, (long long)cfg->port, cfg->listen);
            return 1;
        }
        return cli_fail(cmd, &e);
    }
    const char *host = cfg->listen;
    int v6 = strchr(host, ':') != NULL;
    printf("cchc %s: listening on http://%s%s%s:%d/ (database %s)\n", cmd, v6 ? "[" : "", host,
           v6 ? "]" : "", server_port(srv), cfg->db);
    fflush(stdout);
    server_log_calendar_warning(srv, stderr);
    struct notify_worker *nw = NULL; /* the outbox's delivery thread (notify_worker.h) */
    if (notify_worker_start(cfg, &nw, &e)) {
        server_stop(srv);
        return cli_fail(cmd, &e);
    }
    struct remind_worker *rw = NULL; /* the reminder sweep (remind_worker.h) */
    if (remind_worker_start(cfg, &rw, &e)) {
        notify_worker_stop(nw);
        server_stop(srv);
        return cli_fail(cmd, &e);
    }
    if (cfg->port_file[0] && write_port_file(cfg->port_file, server_port(srv), &e)) {
        remind_worker_stop(rw);
        notify_worker_stop(nw);
        server_stop(srv);
        return cli_fail(cmd, &e);
    }
    notify_systemd("READY=1");
    int sig = 0;
    while (!sigwait(&set, &sig) && sig == SIGHUP)
        reload(cmd, srv, argc, argv);
    notify_systemd("STOPPING=1");
    printf("cchc %s: %s received, finishing requests in flight\n", cmd,
           sig == SIGTERM ? "SIGTERM" : "SIGINT");
    fflush(stdout);
    remind_worker_stop(rw);
    notify_worker_stop(nw);
    server_stop(srv);
    printf("cchc %s: stopped\n", cmd);
    return 0;
}

/* Reads defaults, $CCHC_DB, then --config and flags. Returns -1 to go on, else an exit code. */
static int read_config(const char *cmd, int argc, char **argv, struct serve_config *cfg,
                       unsigned *extra)
{
    struct err e = {0};
    int help = 0;
    const char *env = getenv("CCHC_DB");
    if (!strcmp(cmd, "demo"))
        config_set(cfg, "db", "cchc-demo.db", "default", NULL);
    else if (env && *env && config_set(cfg, "db", env, "$CCHC_DB", &e))
        return cli_fail(cmd, &e);
    if (config_parse_args(cfg, argc, argv, extra_flags, extra, &help, &e)) return cli_fail(cmd, &e);
    if (help) {
        serve_usage(stdout, cmd);
        return 0;
    }
    if (config_check(cfg, &e)) return cli_fail(cmd, &e);
    return -1;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_config cfg;
    unsigned extra = 0;
    config_defaults(&cfg);
    int rc = read_config("serve", argc, argv, &cfg, &extra);
    if (rc >= 0) return rc;
    if (extra & 1) {
        server_print_routes(stdout);
        return 0;
    }
    if (extra & 2) {
        config_print_ini(stdout, &cfg);
        return 0;
    }
    struct store *s;
    if ((rc = cli_store_open("serve", cfg.db, 0, &s))) return rc;
    store_close(s);
    return run_server("serve", &cfg, argc, argv);
}

/* --- the demo --- */

/* One account per role, scoped to the province or a ward. Demo only: the passwords are
 * public, which is why `cchc demo` refuses to listen beyond loopback. */

static const struct demo_user {
    const char *username, *full_name, *role, *unit, *password;
} demo_users[] = {
    {"admin", "Quản trị tỉnh Đồng Tháp", "admin", "DT", "demo-admin-2025"},
    {"motcua.mytho", "Nguyễn Thị Lan", "desk_officer", "DT.MYTHO", "demo-motcua-2025"},
    {"chuyenvien.mytho", "Trần Văn Hùng", "specialist", "DT.MYTHO", "demo-chuyenvien-2025"},
    {"lanhdao.mytho", "Lê Minh Tuấn", "leader", "DT.MYTHO", "demo-lanhdao-2025"},
    {"motcua.caolanh", "Phạm Thu Hà", "desk_officer", "DT.CAOLANH", "demo-motcua-2025"},
    {"thamdinh", "Võ Quốc Bảo", "par_assessor", "DT", "demo-thamdinh-2025"},
    {"congdan", "Đặng Văn An", "citizen", "", "demo-congdan-2025"},
};

static void print_import_problem(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

static int demo_import(struct store *s, const char *data, struct err *e)
{
    char path[4096];
    struct import_result res;
    int rc;
    snprintf(path, sizeof path, "%s/demo/units.csv", data);
    if ((rc = import_units(s, path, print_import_problem, NULL, &res, e))) return rc;
    printf("cchc demo: %ld units imported from %s\n", res.rows, path);
    snprintf(path, sizeof path, "%s/catalog/procedures.csv", data);
    if ((rc = import_procedures(s, path, print_import_problem, NULL, &res, e))) return rc;
    printf("cchc demo: %ld procedures imported from %s\n", res.rows, path);
    snprintf(path, sizeof path, "%s/demo/unit-contacts.csv", data);
    if ((rc = import_contacts(s, path, print_import_problem, NULL, &res, e))) return rc;
    printf("cchc demo: %ld desk addresses imported from %s\n", res.rows, path);
    return 0;
}

static int demo_add_users(struct store *s, struct err *e)
{
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
        const struct demo_user *d = &demo_users[i];
        struct user u = {0}, have;
        enum user_role role;
        if (!store_user_get(s, d->username, &have, NULL, 0, NULL)) continue;
        snprintf(u.username, sizeof u.username, "%s", d->username);
        snprintf(u.full_name, sizeof u.full_name, "%s", d->full_name);
        snprintf(u.unit, sizeof u.unit, "%s", d->unit);
        int rc = user_role_parse(d->role, &role, "role", e);
        u.role = role;
        u.created_at = (int64_t)time(NULL);
        char hash[USER_PWHASH_MAX];
        if (!rc) rc = auth_hash_password(d->password, hash, e);
        if (!rc) rc = store_user_add(s, &u, hash, e);
        if (rc) return rc;
    }
    return 0;
}

static int count_one(const struct dossier *d, void *ctx)
{
    (void)d;
    ++*(int64_t *)ctx;
    return 1;
}

/* 1 if the database holds at least one dossier. */
static int has_dossiers(struct store *s, struct err *e, int *out)
{
    struct dossier_filter f = {NULL, -1, -1, NULL, INT64_MIN, INT64_MAX, 0, 1, 0, NULL, 0};
    int64_t n = 0;
    int rc = store_dossier_list(s, &f, count_one, &n, e);
    *out = n > 0;
    return rc == 1 ? 0 : rc;
}

/* Accounts for the officers the seed named (seed_officer_accounts), so the dashboard's
 * officers, the histories and the assignee picker show colleagues with names. Nobody knows
 * their password: a random one, hashed once and shared. */
static int demo_officers(struct store *s, struct err *e)
{
    unsigned char raw[24];
    char password[2 * sizeof raw + 1], hash[USER_PWHASH_MAX];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(password, sizeof password, raw, sizeof raw);
    int added = 0;
    int rc = auth_hash_password(password, hash, e);
    sodium_memzero(password, sizeof password);
    if (!rc) rc = seed_officer_accounts(s, hash, &added, e);
    if (!rc)
        printf("cchc demo: %d accounts for the seeded officers (no password is known)\n", added);
    return rc;
}

/* The demo citizen's dossiers and the PAR rounds (demo_data.c), dated from the clock, and the
 * seeded officers' accounts. */
static int demo_stories(const char *db, const char *data, struct err *e)
{
    int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60;
    int year = days_to_ymd(instant_day(now)).y;
    struct calendar *cal = NULL;
    struct store *s = NULL;
    int rc = calendar_load(data, year - 2, year + 1, NULL, &cal, e);
    if (!rc) rc = store_open(db, &s, e);
    if (!rc) rc = store_calendar_apply(s, &cal, e); /* with the database's decisions */
    if (!rc) rc = demo_citizen_dossiers(s, cal, now, e);
    if (!rc) rc = demo_par_rounds(s, data, year, now, e);
    if (!rc) rc = demo_feedback(s, cal, data, now, e);
    if (!rc) rc = demo_reform_plans(s, data, year, now, e);
    if (!rc) rc = demo_dialogues(s, now, e);
    if (!rc) rc = demo_queue(s, data, e);
    if (!rc) rc = demo_survey(s, data, now, e);
    if (!rc) rc = demo_preports(s, data, now, e);
    if (!rc) rc = demo_initiatives(s, year, now, e);
    if (!rc) rc = demo_officers(s, e);
    store_close(s);
    calendar_free(cal);
    return rc;
}

struct code_list {
    char code[4][DOSSIER_CODE_LEN];
    int n;
};

static int citizen_code(const struct dossier *d, void *ctx)
{
    struct code_list *l = ctx;
    if (strcmp(d->applicant.phone, DEMO_CITIZEN_PHONE) || l->n >= 4) return 0;
    snprintf(l->code[l->n++], DOSSIER_CODE_LEN, "%s", d->code);
    return 0;
}

/* Prints how the demo citizen follows their dossiers: codes and the phone for the lookup. */
static void print_citizen(const char *db)
{
    struct store *s;
    struct err e = {0};
    struct code_list l = {0};
    if (store_open(db, &s, &e)) return;
    struct dossier_filter f = {.unit = "DT.MYTHO",
                               .status = -1,
                               .outcome = -1,
                               .name = DEMO_CITIZEN_NAME,
                               .from_day = INT64_MIN,
                               .to_day = INT64_MAX};
    store_dossier_list(s, &f, citizen_code, &l, &e);
    store_close(s);
    if (!l.n) return;
    printf("\nthe citizen %s (congdan) follows these dossiers on the lookup page (/#/tra-cuu)\n"
           "with the phone number 0901 234 567:\n",
           DEMO_CITIZEN_NAME);
    for (int i = 0; i < l.n; i++)
        printf("  %s\n", l.code[i]);
}

static int demo_prepare(const struct serve_config *cfg, const char *ndossiers, struct err *e)
{
    struct store *s;
    int rc = store_open(cfg->db, &s, e);
    if (rc) return rc;
    const char *data = cli_data_dir(cfg->data[0] ? cfg->data : NULL);
    int64_t nunits = 0;
    int seeded = 0;
    if (!(rc = store_unit_count(s, &nunits, e)) && nunits == 0) rc = demo_import(s, data, e);
    if (!rc) rc = demo_add_users(s, e);
    if (!rc) rc = has_dossiers(s, e, &seeded);
    store_close(s);
    if (rc || seeded) return rc;
    /* The `cchc seed` code path: a year of the demo province's dossiers. */
    printf("cchc demo: seeding %s dossiers of the last twelve months (once; 20000 take about "
           "half a minute)\n",
           ndossiers);
    fflush(stdout);
    char *argv[] = {"seed", "--dossiers",    (char *)ndossiers, "--until",    "today",
                    "--db", (char *)cfg->db, "--data",          (char *)data, NULL};
    if (cmd_seed(9, argv))
        return err_set(e, ERR_IO, "seed", "seeding the demo database %s failed", cfg->db);
    return demo_stories(cfg->db, data, e);
}

/* Takes the demo's own flag --dossiers N (or --dossiers=N) out of argv (the rest are server
 * options); *n is the checked value, DEMO_DOSSIERS when absent. Returns -1 or an exit code. */
static int demo_flags(int *argc, char **argv, const char **n)
{
    struct err e = {0};
    int k = 1;
    *n = DEMO_DOSSIERS;
    for (int i = 1; i < *argc; i++) {
        const char *v = NULL;
        if (!strcmp(argv[i], "--dossiers")) {
            if (i + 1 >= *argc) {
                err_set(&e, ERR_INVALID, "dossiers", "option --dossiers needs a value");
                return cli_fail("demo", &e);
            }
            v = argv[++i];
        } else if (!strncmp(argv[i], "--dossiers=", 11)) {
            v = argv[i] + 11;
        } else {
            argv[k++] = argv[i];
            continue;
        }
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end || x < 1 || x > DEMO_DOSSIERS_MAX) {
            err_set(&e, ERR_INVALID, "dossiers",
                    "--dossiers '%.40s': must be a whole number from 1 to %d", v,
                    DEMO_DOSSIERS_MAX);
            return cli_fail("demo", &e);
        }
        *n = v;
    }
    *argc = k;
    argv[k] = NULL;
    return -1;
}

int cmd_demo(int argc, char **argv)
{
    struct serve_config cfg;
    unsigned extra = 0;
    struct err e = {0};
    const char *ndossiers;
    config_defaults(&cfg);
    int rc = demo_flags(&argc, argv, &ndossiers);
    if (rc >= 0) return rc;
    rc = read_config("demo", argc, argv, &cfg, &extra);
    if (rc >= 0) return rc;
    if (extra & 1) {
        server_print_routes(stdout);
        return 0;
    }
    if (extra & 2) {
        config_print_ini(stdout, &cfg);
        return 0;
    }
    if (!config_is_loopback(cfg.listen)) {
        err_set(&e, ERR_INVALID, "listen",
                "listen '%s': the demo's passwords are public, so it serves loopback only",
                cfg.listen);
        return cli_fail("demo", &e);
    }
    if (demo_prepare(&cfg, ndossiers, &e)) return cli_fail("demo", &e);
    /* the document-signing key of the printed forms, beside the demo database (cmd_form.c) */
    char kbuf[4200];
    const char *kdir = cli_keys_dir(cfg.keys, cfg.db, kbuf, sizeof kbuf, &e);
    if (!kdir || docsign_ensure_key(kdir, 0, NULL, NULL, &e)) return cli_fail("demo", &e);
    if (demo_sign_dir(&cfg, &e)) return cli_fail("demo", &e); /* demo_sign.c */
    printf("cchc demo: database %s\n\ndemo users (password):\n", cfg.db);
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
        printf("  %-18s %-22s %-13s %s\n", demo_users[i].username, demo_users[i].password,
               demo_users[i].role, demo_users[i].unit[0] ? demo_users[i].unit : "-");
    print_citizen(cfg.db);
    printf("\n");
    return run_server("demo", &cfg, argc, argv);
}
