/* cmd_payment.c — `cchc payment sync` (ask the provider about pending payments and settle
 * them: the reconciler's work, run by hand or by a timer), `cchc payment report --day D`
 * (the daily reconciliation of paid, pending, failed and mismatched payments, as text or as
 * JSON, CSV, xlsx or PDF through the report table writer) and `cchc testpay` (the built-in
 * test payment provider on its own). docs/payment.md. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "date.h"
#include "payment_http.h"
#include "report_table.h"
#include "store.h"
#include "store_payment.h"
#include "testpay.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cchc payment sync [--db DB] [--config FILE] [--pay-provider-url URL]\n"
            "                         [--pay-secret KEY] [--pay-sync-after SECONDS]\n"
            "       cchc payment report --day YYYY-MM-DD [--db DB] [--format json|csv|xlsx|pdf]\n"
            "                         [--out FILE]\n"
            "       cchc testpay --port N --secret KEY\n"
            "sync asks the payment provider about every payment still pending (created more\n"
            "than pay_sync_after seconds ago) and settles it by the answer, as the server's\n"
            "reconciler does every pay_sync_seconds. report lists the payments created on a day\n"
            "with the totals paid, pending, failed (and cancelled) and mismatched. testpay runs\n"
            "the built-in test provider on 127.0.0.1 until SIGTERM (docs/payment.md).\n");
}

static int sync_cmd(int argc, char **argv)
{
    struct serve_config cfg;
    struct err e = {0};
    int help = 0;
    unsigned seen = 0;
    static const char *const none[] = {NULL};
    config_defaults(&cfg);
    if (config_parse_args(&cfg, argc, argv, none, &seen, &help, &e))
        return cli_fail("payment sync", &e);
    if (help) {
        usage(stdout);
        return 0;
    }
    char base[CONFIG_STR_MAX];
    payment_provider_base(&cfg, 0, base, sizeof base);
    if (!base[0] || !cfg.pay_secret[0]) {
        err_set(&e, ERR_INVALID, "pay_provider_url",
                "payment sync needs pay_provider_url and pay_secret (flags or --config)");
        return cli_fail("payment sync", &e);
    }
    struct store *s;
    int rc = cli_store_open("payment", cli_db_path(cfg.db[0] ? cfg.db : NULL), 0, &s);
    if (rc) return rc;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct payment_sync_counts c;
    int64_t now = ((int64_t)time(NULL) + 7 * 3600) / 60;
    int64_t before = now - cfg.pay_sync_after / 60 + (cfg.pay_sync_after < 60 ? 1 : 0);
    rc = payment_sync(s, base, cfg.pay_secret, before, &c, &e);
    store_close(s);
    if (rc) return cli_fail("payment sync", &e);
    printf("queried %d: paid %d, failed %d, cancelled %d, mismatched %d, unchanged %d, errors "
           "%d\n",
           c.queried, c.paid, c.failed, c.cancelled, c.mismatched, c.unchanged, c.errors);
    return c.errors ? 1 : 0;
}

static const struct rcol report_cols[] = {
    {"ref", "Mã thanh toán", RC_TEXT, 34},
    {"dossier", "Hồ sơ", RC_TEXT, 28},
    {"unit", "Đơn vị", RC_TEXT, 12},
    {"status", "Trạng thái", RC_TEXT, 22},
    {"amount_vnd", "Số tiền phải nộp (đồng)", RC_INT, 16},
    {"paid_amount_vnd", "Số tiền đã nộp (đồng)", RC_INT, 16},
    {"created_at", "Tạo lúc", RC_INSTANT, 18},
    {"settled_at", "Kết thúc lúc", RC_INSTANT, 18},
    {"receipt_no", "Số biên lai", RC_TEXT, 18},
};
#define NCOLS ((int)(sizeof report_cols / sizeof report_cols[0]))

struct report_ctx {
    struct rwriter *w;
    int64_t n[4], v[4];
    int text;
};

static int group_of(enum payment_status s)
{
    return s == PAY_PAID ? 0 : s == PAY_PENDING ? 1 : s == PAY_MISMATCHED ? 3 : 2;
}

static int report_row(const struct payment_row *p, void *ctx)
{
    struct report_ctx *x = ctx;
    int g = group_of(p->status);
    x->n[g]++;
    x->v[g] += p->status == PAY_PENDING ? p->amount : p->paid_amount;
    char no[32] = "";
    if (p->receipt_no) payment_receipt_format(p->receipt_year, p->receipt_no, no, sizeof no);
    if (x->text) {
        char t[20];
        printf("%s  %s  %-10s  %lld  %s  %s\n", p->ref, p->dossier, payment_status_name(p->status),
               (long long)p->amount, instant_format(p->created_at, t), no);
        return 0;
    }
    struct rcell c[NCOLS] = {
        {.text = p->ref},
        {.text = p->dossier},
        {.text = p->unit},
        {.text = payment_status_label_vi(p->status)},
        {.v = p->amount},
        {.v = p->paid_amount, .null = !p->paid_amount},
        {.v = p->created_at},
        {.v = p->settled_at, .null = !p->settled_at},
        {.text = no, .null = !no[0]},
    };
    struct err e = {0};
    return rwriter_row(x->w, c, &e);
}

static const char *const group_names[4] = {"paid", "pending", "failed", "mismatched"};
static const char *const group_vi[4] = {"Đã thanh toán", "Đang chờ", "Không thành công / đã hủy",
                                        "Sai lệch số tiền"};

static int report_cmd(int argc, char **argv)
{
    const char *db = NULL, *day_s = NULL, *fmt = NULL, *out = NULL;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--day") && i + 1 < argc)
            day_s = argv[++i];
        else if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("payment report", &e);
        }
    }
    struct ymd y;
    if (!day_s) {
        err_set(&e, ERR_INVALID, "day", "--day YYYY-MM-DD is required");
        return cli_fail("payment report", &e);
    }
    if (ymd_parse(day_s, &y, "day", &e)) return cli_fail("payment report", &e);
    enum rformat rf = RF_JSON;
    if (fmt && rformat_parse(fmt, &rf, &e)) return cli_fail("payment report", &e);
    struct store *s;
    int rc = cli_store_open("payment", db, 0, &s);
    if (rc) return rc;
    struct report_ctx x = {.text = !fmt};
    char title[96];
    snprintf(title, sizeof title, "Đối soát thanh toán trực tuyến ngày %02d/%02d/%04d", y.d, y.m,
             y.y);
    if (!x.text && (rc = rwriter_open(rf, out, title, "Thanh toán phí, lệ phí hồ sơ TTHC",
                                      report_cols, NCOLS, &x.w, &e))) {
        store_close(s);
        return cli_fail("payment report", &e);
    }
    struct payment_filter f = {.day = ymd_to_days(y)};
    rc = store_payment_list(s, &f, report_row, &x, &e);
    for (int g = 0; !rc && !x.text && g < 4; g++) { /* the totals, as the last rows */
        char label[64];
        snprintf(label, sizeof label, "Tổng — %s: %lld", group_vi[g], (long long)x.n[g]);
        struct rcell c[NCOLS] = {
            {.text = label}, {.null = 1},   {.null = 1}, {.text = group_names[g]},
            {.null = 1},     {.v = x.v[g]}, {.null = 1}, {.null = 1},
            {.null = 1}};
        rc = rwriter_row(x.w, c, &e);
    }
    if (x.w && rwriter_close(x.w, rc ? NULL : &e) && !rc) rc = ERR_IO;
    store_close(s);
    if (rc) return cli_fail("payment report", &e);
    if (x.text)
        for (int g = 0; g < 4; g++)
            printf("%s: %lld, %lld VND\n", group_names[g], (long long)x.n[g], (long long)x.v[g]);
    return 0;
}

static int testpay_cmd(int argc, char **argv)
{
    int port = 0;
    const char *secret = NULL;
    struct err e = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc)
            port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--secret") && i + 1 < argc)
            secret = argv[++i];
        else if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else {
            err_set(&e, ERR_INVALID, "argument", "unexpected argument '%s' (see --help)", argv[i]);
            return cli_fail("testpay", &e);
        }
    }
    if (port < 0 || port > 65535) {
        err_set(&e, ERR_INVALID, "port", "--port %d: must be 0 to 65535", port);
        return cli_fail("testpay", &e);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct testpay *t;
    if (testpay_start(port, secret, &t, &e)) return cli_fail("testpay", &e);
    printf("test payment provider on http://127.0.0.1:%d/\n", testpay_port(t));
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    testpay_stop(t);
    return 0;
}

int cmd_payment(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : 0;
    }
    if (!strcmp(argv[1], "sync")) return sync_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "report")) return report_cmd(argc - 1, argv + 1);
    struct err e = {0};
    err_set(&e, ERR_INVALID, "command", "'%s': not a payment command (sync, report)", argv[1]);
    return cli_fail("payment", &e);
}

int cmd_testpay(int argc, char **argv)
{
    return testpay_cmd(argc, argv);
}
