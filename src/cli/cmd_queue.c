/* cmd_queue.c — `cchc queue`: the one-stop desk's queue from the command line (the same store
 * functions as /api/queue): list counters, take a number, call the next, act on a number and
 * print the waiting-time figures of a unit and its counters for a day or period. Counters come
 * from `cchc import counters FILE` (docs/queue.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "store_queue.h"
#include "vntext.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: cchc queue counters UNIT\n"
               "       cchc queue take UNIT (--field NAME | --counter N) [--priority]\n"
               "       cchc queue call UNIT COUNTER\n"
               "       cchc queue recall|serve|no-show UNIT NUMBER\n"
               "       cchc queue transfer UNIT NUMBER --to COUNTER\n"
               "       cchc queue list UNIT [--counter N]\n"
               "       cchc queue stats UNIT [--counter N] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "Every command takes [--db FILE]; numbers and calls are today's (UTC+7).\n"
               "stats: wait = taken to first call (average and 90th percentile, nearest rank),\n"
               "service = call to served, served per hour over the hours from the first call\n"
               "to the last finish of each day; default period: today.\n");
}

static int parse_num(const char *s, const char *flag, int lo, int hi, int *out, struct err *e)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi)
        return err_set(e, ERR_INVALID, flag, "%s '%s': must be a whole number from %d to %d", flag,
                       s ? s : "", lo, hi);
    *out = (int)v;
    return 0;
}

static int64_t today(void)
{
    return instant_day(((int64_t)time(NULL) + 7 * 3600) / 60);
}

static int print_counter(const struct queue_counter *c, void *ctx)
{
    (void)ctx;
    char f[QUEUE_FIELDS_MAX * QUEUE_FIELD_LEN];
    queue_fields_join(c, f, sizeof f);
    printf("%d\t%s\t%s\t%s\n", c->no, c->name, f, c->active ? "mở" : "đóng");
    return 0;
}

static const char *status_vi(enum queue_status s)
{
    static const char *const vi[QS_COUNT] = {"đang chờ", "đã gọi", "đã phục vụ", "vắng mặt"};
    return (unsigned)s < QS_COUNT ? vi[s] : "?";
}

static void print_ticket(const struct queue_ticket *t)
{
    printf("số %d\tquầy %d\t%s\t%s", t->number, t->counter_no, t->field, status_vi(t->status));
    if (t->status == QS_WAITING && t->taken_at)
        printf("\tcòn %d người trước, chờ khoảng %d phút", t->ahead, (t->expected_s + 59) / 60);
    printf("\n");
}

static int print_list(const struct queue_ticket *t, void *ctx)
{
    (void)ctx;
    printf("%d\tquầy %d\t%s\t%s\n", t->number, t->counter_no, t->field, status_vi(t->status));
    return 0;
}

/* "12,5" or "—" for a figure in seconds shown as minutes. */
static const char *minutes(double s, char *buf, size_t n)
{
    if (s < 0) return "—";
    char raw[32];
    snprintf(raw, sizeof raw, "%.1f", s / 60);
    vntext_number_vi(raw, buf, n);
    return buf;
}

static void print_stats(const char *label, const struct queue_stats *s)
{
    char a[32], b[32], c[32], d[32], raw[32];
    if (s->served_per_hour < 0)
        snprintf(d, sizeof d, "—");
    else {
        snprintf(raw, sizeof raw, "%.1f", s->served_per_hour);
        vntext_number_vi(raw, d, sizeof d);
    }
    printf("%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", label, s->taken, s->served, s->no_show,
           s->waiting, minutes(s->avg_wait, a, sizeof a), minutes(s->p90_wait, b, sizeof b),
           minutes(s->avg_service, c, sizeof c), d);
}

struct stats_ctx {
    struct store *s;
    const char *unit;
    int only;
    int64_t from, to;
    struct err *e;
};

static int stats_counter(const struct queue_counter *c, void *vctx)
{
    struct stats_ctx *x = vctx;
    if (x->only && x->only != c->no) return 0;
    struct queue_stats st;
    int rc = store_queue_stats(x->s, x->unit, c->no, x->from, x->to, &st, x->e);
    if (rc) return rc;
    char label[QUEUE_NAME_LEN + 16];
    snprintf(label, sizeof label, "quầy %d", c->no);
    print_stats(label, &st);
    return 0;
}

int cmd_queue(int argc, char **argv)
{
    const char *db = NULL, *field = NULL, *pos[3] = {0};
    const char *counter_s = NULL, *to_s = NULL, *from_s = NULL, *until_s = NULL;
    int npos = 0, priority = 0;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 0;
        if (!strcmp(a, "--db") && more)
            db = argv[++i];
        else if (!strcmp(a, "--field") && more)
            field = argv[++i];
        else if (!strcmp(a, "--counter") && more)
            counter_s = argv[++i];
        else if (!strcmp(a, "--to") && more)
            to_s = argv[++i], until_s = to_s;
        else if (!strcmp(a, "--from") && more)
            from_s = argv[++i];
        else if (!strcmp(a, "--priority"))
            priority = 1;
        else if (a[0] != '-' && npos < 3)
            pos[npos++] = a;
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", a);
            return cli_fail("queue", &e);
        }
    }
    const char *sub = pos[0], *unit = pos[1];
    if (!sub || !unit) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    int counter = 0, number = 0, to = 0, rc = 0;
    int64_t day = today();
    if (counter_s && parse_num(counter_s, "--counter", 1, QUEUE_COUNTER_MAX, &counter, &e))
        return cli_fail("queue", &e);
    enum queue_action act;
    int is_act = !queue_action_parse(sub, &act) && act != QA_CALL;
    if (is_act) {
        if (parse_num(pos[2], "NUMBER", 1000, 99999, &number, &e) ||
            (act == QA_TRANSFER && parse_num(to_s, "--to", 1, QUEUE_COUNTER_MAX, &to, &e)))
            return cli_fail("queue", &e);
    } else if (!strcmp(sub, "call")) {
        if (parse_num(pos[2], "COUNTER", 1, QUEUE_COUNTER_MAX, &counter, &e))
            return cli_fail("queue", &e);
    } else if (!strcmp(sub, "take")) {
        if (!field && !counter) {
            err_set(&e, ERR_INVALID, "--field", "take: give --field NAME or --counter N");
            return cli_fail("queue", &e);
        }
    } else if (strcmp(sub, "counters") && strcmp(sub, "stats") && strcmp(sub, "list")) {
        err_set(&e, ERR_INVALID, "command", "'%s': not a queue command (see --help)", sub);
        return cli_fail("queue", &e);
    }
    int64_t from = day, until = day;
    if (!strcmp(sub, "stats")) {
        struct ymd d;
        if (from_s && ymd_parse(from_s, &d, "--from", &e)) return cli_fail("queue", &e);
        if (from_s) from = until = ymd_to_days(d);
        if (until_s && ymd_parse(until_s, &d, "--to", &e)) return cli_fail("queue", &e);
        if (until_s) until = ymd_to_days(d);
        if (until < from) {
            err_set(&e, ERR_INVALID, "--to", "--to %s: before --from", until_s);
            return cli_fail("queue", &e);
        }
    }
    struct store *s;
    if ((rc = cli_store_open("queue", db, 0, &s))) return rc;
    struct queue_ticket t;
    if (!strcmp(sub, "counters")) {
        rc = store_queue_counters(s, unit, print_counter, NULL, &e);
    } else if (!strcmp(sub, "list")) {
        rc = store_queue_tickets(s, unit, day, counter, -1, print_list, NULL, &e);
    } else if (!strcmp(sub, "take")) {
        char nfc[QUEUE_FIELD_LEN] = "";
        if (field && vntext_nfc(field, nfc, sizeof nfc))
            rc = err_set(&e, ERR_INVALID, "--field", "--field: not valid UTF-8");
        struct queue_take in = {.unit = unit,
                                .counter_no = counter,
                                .field = field ? nfc : NULL,
                                .channel = QC_DESK,
                                .priority = priority,
                                .day = day,
                                .at = (int64_t)time(NULL)};
        if (!rc) rc = store_queue_take(s, &in, &t, &e);
        if (!rc) print_ticket(&t);
    } else if (!strcmp(sub, "stats")) {
        struct stats_ctx x = {s, unit, counter, from, until, &e};
        struct queue_stats all;
        printf("quầy\tlấy số\tphục vụ\tvắng\tđang chờ\tchờ TB (phút)\tchờ P90 (phút)\t"
               "phục vụ TB (phút)\tngười/giờ\n");
        rc = store_queue_counters(s, unit, stats_counter, &x, &e);
        if (!rc) rc = store_queue_stats(s, unit, counter, from, until, &all, &e);
        if (!rc) print_stats(counter ? "cộng quầy" : "toàn đơn vị", &all);
    } else {
        struct queue_act a = {.unit = unit,
                              .day = day,
                              .at = (int64_t)time(NULL),
                              .number = number,
                              .action = is_act ? act : QA_CALL,
                              .counter_no = is_act ? to : counter,
                              .officer = getenv("USER") ? getenv("USER") : "cli"};
        rc = store_queue_act(s, &a, &t, &e);
        if (!rc) print_ticket(&t);
    }
    store_close(s);
    return rc ? cli_fail("queue", &e) : 0;
}
