/* cmd_notify.c — `cchc notify`: deliver the notification outbox (run, as `cchc serve`'s thread
 * does, once or until stopped), list it, show the dead letters and replay one
 * (docs/notify.md). A thin client of src/notify/deliver.h and store_notify.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "notify.h"
#include "notify_worker.h"
#include "store.h"
#include "store_notify.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc notify run [--once] [--db FILE|URL] [--config FILE] [--notify-sink FILE]\n"
            "         [--smtp-url URL --smtp-from ADDR …] [--sms-url URL --sms-token T]\n"
            "         [--zalo-url URL --zalo-token T] [--public-url URL] [--notify-interval S]\n"
            "       cchc notify list [--state pending|sent|failed|dead|skipped] [--limit N]\n"
            "       cchc notify dead [--limit N]\n"
            "       cchc notify replay ID\n"
            "run delivers due messages (every option of `cchc serve`, cchc.ini included);\n"
            "--once makes one pass and exits, else it passes every notify_interval seconds\n"
            "until SIGTERM. list and dead print one message a line: id, msg_id, event,\n"
            "channel, state, attempts, masked recipient, dossier, reason. Every command takes\n"
            "--db FILE|URL.\n");
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int run(int argc, char **argv)
{
    static const char *const extra[] = {"once", NULL};
    struct serve_config cfg;
    struct err e = {0};
    unsigned seen = 0;
    int help = 0;
    config_defaults(&cfg);
    const char *env = getenv("CCHC_DB");
    if (env && *env) config_set(&cfg, "db", env, "$CCHC_DB", NULL);
    if (config_parse_args(&cfg, argc, argv, extra, &seen, &help, &e)) {
        cli_fail("notify run", &e);
        return EXIT_BADINPUT;
    }
    if (help) {
        usage(stdout);
        return 0;
    }
    struct notify_templates *t = NULL;
    struct store *s = NULL;
    if (notify_templates_of(&cfg, &t, &e)) return cli_fail("notify run", &e);
    int rc = cli_store_open("notify run", cfg.db, 0, &s);
    if (rc) {
        notify_templates_free(t);
        return rc;
    }
    struct notify_channels c;
    char owner[128];
    notify_channels_of(&cfg, &c);
    notify_owner_id(owner, sizeof owner);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    struct notify_run_stats total = {0}, st;
    do {
        if ((rc = notify_run_once(s, t, &c, owner, 64, (int)cfg.notify_lease, &st, &e))) break;
        total.claimed += st.claimed;
        total.sent += st.sent;
        total.failed += st.failed;
        total.dead += st.dead;
        if (st.claimed < 64 && !(seen & 1))
            for (int64_t i = 0; i < cfg.notify_interval && !stop_flag; i++)
                sleep(1);
    } while (!stop_flag && (!(seen & 1) || st.claimed == 64));
    store_close(s);
    notify_templates_free(t);
    if (rc) return cli_fail("notify run", &e);
    printf("%d claimed, %d sent, %d failed (to retry), %d dead\n", total.claimed, total.sent,
           total.failed, total.dead);
    return 0;
}

static int print_row(const struct outbox_row *o, void *ctx)
{
    (void)ctx;
    char masked[NOTIFY_CONTACT_MAX];
    printf("%lld\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", (long long)o->id, o->msg_id, o->event,
           o->channel, o->state, o->attempts,
           o->recipient[0] ? notify_contact_mask(o->recipient, masked, sizeof masked) : "-",
           o->dossier_code[0] ? o->dossier_code : "-", o->reason[0] ? o->reason : "-");
    return 0;
}

int cmd_notify(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "run")) return run(argc - 1, argv + 1);
    if (strcmp(sub, "list") && strcmp(sub, "dead") && strcmp(sub, "replay")) {
        fprintf(stderr, "cchc notify: unknown command '%s'\n", sub);
        usage(stderr);
        return EXIT_BADINPUT;
    }
    const char *db = NULL, *state = NULL, *id = NULL;
    long limit = 100;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--db") && has)
            db = argv[++i];
        else if (!strcmp(a, "--state") && has && !strcmp(sub, "list"))
            state = argv[++i];
        else if (!strcmp(a, "--limit") && has && strcmp(sub, "replay")) {
            char *end;
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 1 || limit > 100000) {
                fprintf(stderr, "cchc notify: --limit '%s': must be a whole number 1 to 100000\n",
                        argv[i]);
                return EXIT_BADINPUT;
            }
        } else if (!strcmp(sub, "replay") && !id && a[0] != '-')
            id = a;
        else {
            fprintf(stderr, "cchc notify %s: unknown or incomplete option '%s'\n", sub, a);
            usage(stderr);
            return EXIT_BADINPUT;
        }
    }
    if (state && strcmp(state, "pending") && strcmp(state, "sent") && strcmp(state, "failed") &&
        strcmp(state, "dead") && strcmp(state, "skipped")) {
        fprintf(stderr,
                "cchc notify list: --state '%s': must be pending, sent, failed, dead or skipped\n",
                state);
        return EXIT_BADINPUT;
    }
    char *end = NULL;
    long long idv = id ? strtoll(id, &end, 10) : 0;
    if (!strcmp(sub, "replay") && (!id || *end || idv < 1)) {
        fprintf(stderr,
                "cchc notify replay: ID '%s': must be a message id (a whole number >= 1, "
                "from `cchc notify dead`)\n",
                id ? id : "");
        return EXIT_BADINPUT;
    }
    struct store *s;
    int rc = cli_store_open(sub, cli_db_path(db), 0, &s);
    if (rc) return rc;
    struct err e = {0};
    if (!strcmp(sub, "replay")) {
        rc = store_outbox_replay(s, idv, (int64_t)time(NULL), &e);
        if (!rc) printf("message %lld: pending again\n", idv);
    } else
        rc = store_outbox_list(s, !strcmp(sub, "dead") ? "dead" : state, (int)limit, print_row,
                               NULL, &e);
    store_close(s);
    return rc ? cli_fail("notify", &e) : 0;
}
