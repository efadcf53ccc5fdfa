/* payment.c — the payment state machine (payment.h): one row per (state, report, amount
 * matches), each with the reason it is so. A report that does not move the state is the
 * idempotence rule: callbacks are retried and replayed, status queries repeat, so the same
 * news twice must change nothing. */
#include <stdio.h>
#include <string.h>

#include "payment.h"

static const char *const status_names[PAY__COUNT] = {"pending", "paid", "failed", "cancelled",
                                                     "mismatched"};
static const char *const status_vi[PAY__COUNT] = {"Đang chờ thanh toán", "Đã thanh toán",
                                                  "Thanh toán không thành công",
                                                  "Đã hủy thanh toán", "Sai lệch số tiền"};
static const char *const report_names[PR__COUNT] = {"pending", "paid", "failed", "cancelled"};

const char *payment_status_name(enum payment_status s)
{
    return (unsigned)s < PAY__COUNT ? status_names[s] : "?";
}

const char *payment_status_label_vi(enum payment_status s)
{
    return (unsigned)s < PAY__COUNT ? status_vi[s] : "?";
}

const char *payment_report_name(enum payment_report r)
{
    return (unsigned)r < PR__COUNT ? report_names[r] : "?";
}

int payment_status_parse(const char *name)
{
    for (int i = 0; name && i < PAY__COUNT; i++)
        if (!strcmp(name, status_names[i])) return i;
    return -1;
}

int payment_report_parse(const char *name)
{
    for (int i = 0; name && i < PR__COUNT; i++)
        if (!strcmp(name, report_names[i])) return i;
    return -1;
}

#define SRC_CONFIRM                                                                                \
    "the provider's confirmation settles the payment (Decree 11/2020/NĐ-CP (verify))"
#define SRC_MISMATCH "money taken but not the amount asked: kept for the officer, no receipt"
#define SRC_NEWS     "the provider's report of a failure or cancellation"
#define SRC_LATE     "a confirmation after a failure or cancellation: the money was taken"
#define SRC_SAME     "idempotent: a repeated, replayed or late report changes nothing"

/* [from][rep][amount_ok] -> to; -1 = unchanged. */
static const signed char next_tab[PAY__COUNT][PR__COUNT][2] = {
    /* pending */ {{-1, -1},
                   {PAY_MISMATCHED, PAY_PAID},
                   {PAY_FAILED, PAY_FAILED},
                   {PAY_CANCELLED, PAY_CANCELLED}},
    /* paid */ {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}},
    /* failed */ {{-1, -1}, {PAY_MISMATCHED, PAY_PAID}, {-1, -1}, {-1, -1}},
    /* cancelled */ {{-1, -1}, {PAY_MISMATCHED, PAY_PAID}, {-1, -1}, {-1, -1}},
    /* mismatched */ {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}},
};

int payment_next(enum payment_status from, enum payment_report rep, int amount_ok,
                 enum payment_status *to)
{
    if ((unsigned)from >= PAY__COUNT || (unsigned)rep >= PR__COUNT) return 0;
    int t = next_tab[from][rep][amount_ok ? 1 : 0];
    if (t < 0) return 0;
    *to = (enum payment_status)t;
    return 1;
}

const char *payment_rule_source(enum payment_status from, enum payment_report rep, int amount_ok)
{
    enum payment_status to;
    if (!payment_next(from, rep, amount_ok, &to)) return SRC_SAME;
    if (to == PAY_MISMATCHED) return SRC_MISMATCH;
    if (to == PAY_PAID) return from == PAY_PENDING ? SRC_CONFIRM : SRC_LATE;
    return SRC_NEWS;
}

int payment_settled(enum payment_status s)
{
    return s == PAY_PAID || s == PAY_MISMATCHED;
}

void payment_receipt_format(int64_t year, int64_t no, char *out, size_t n)
{
    snprintf(out, n, "BL-%04lld-%07lld", (long long)year, (long long)no);
}

int payment_amount_check(int64_t amount, const char *field, struct err *e)
{
    if (amount < 1 || amount > 1000000000000LL)
        return err_set(e, ERR_INVALID, field, "%s %lld: must be 1 to 1000000000000 (VND)", field,
                       (long long)amount);
    return 0;
}
