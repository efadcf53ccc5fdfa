/* test_payment.c — online payment's pure parts: the state machine checked exhaustively against
 * tests/data/payment-transitions.tsv (every state x report x amount, each once), the names and
 * their parsing, the receipt number's form, the amount rule, and the provider protocol's
 * HMAC-SHA256 signature (a known vector, RFC 4231 case 2; a changed byte or key fails). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "payclient.h"
#include "payment.h"

static FILE *open_data(const char *name)
{
    char path[1024];
    const char *dir = getenv("CCHC_TESTDATA");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    return f;
}

static void transitions_exhaustive(void **state)
{
    (void)state;
    FILE *f = open_data("payment-transitions.tsv");
    char line[256];
    int seen[PAY__COUNT][PR__COUNT][2] = {{{0}}};
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char from[32], rep[32], amount[16], want[32];
        if (sscanf(line, "%31[^\t]\t%31[^\t]\t%15[^\t]\t%31[^\t\n]", from, rep, amount, want) != 4)
            fail_msg("bad line: %s", line);
        int s = payment_status_parse(from), r = payment_report_parse(rep);
        int ok = !strcmp(amount, "ok");
        if (s < 0 || r < 0 || (!ok && strcmp(amount, "other"))) fail_msg("bad values: %s", line);
        if (seen[s][r][ok]++) fail_msg("doubled: %s", line);
        enum payment_status to = PAY_PENDING;
        int changed = payment_next((enum payment_status)s, (enum payment_report)r, ok, &to);
        if (!strcmp(want, "-")) {
            if (changed) fail_msg("%s: expected no change, got %s", line, payment_status_name(to));
        } else if (!changed || strcmp(payment_status_name(to), want)) {
            fail_msg("%s: got %s", line, changed ? payment_status_name(to) : "no change");
        }
        assert_non_null(payment_rule_source((enum payment_status)s, (enum payment_report)r, ok));
        rows++;
    }
    fclose(f);
    for (int s = 0; s < PAY__COUNT; s++)
        for (int r = 0; r < PR__COUNT; r++)
            for (int ok = 0; ok < 2; ok++)
                if (!seen[s][r][ok])
                    fail_msg("payment-transitions.tsv lacks (%s, %s, %s)",
                             payment_status_name((enum payment_status)s),
                             payment_report_name((enum payment_report)r), ok ? "ok" : "other");
    assert_int_equal(rows, PAY__COUNT * PR__COUNT * 2);
}

static void settled_states_are_final(void **state)
{
    (void)state;
    /* whatever comes after paid or mismatched, nothing changes: no second receipt */
    for (int r = 0; r < PR__COUNT; r++)
        for (int ok = 0; ok < 2; ok++) {
            enum payment_status to;
            assert_false(payment_next(PAY_PAID, (enum payment_report)r, ok, &to));
            assert_false(payment_next(PAY_MISMATCHED, (enum payment_report)r, ok, &to));
        }
    assert_true(payment_settled(PAY_PAID));
    assert_false(payment_settled(PAY_CANCELLED));
}

static void names_and_receipts(void **state)
{
    (void)state;
    for (int s = 0; s < PAY__COUNT; s++) {
        assert_int_equal(payment_status_parse(payment_status_name((enum payment_status)s)), s);
        assert_string_not_equal(payment_status_label_vi((enum payment_status)s), "?");
    }
    assert_int_equal(payment_status_parse("PAID"), -1);
    assert_int_equal(payment_report_parse("mismatched"), -1);
    char no[32];
    payment_receipt_format(2026, 42, no, sizeof no);
    assert_string_equal(no, "BL-2026-0000042");
    struct err e = {0};
    assert_int_equal(payment_amount_check(0, "amount_vnd", &e), ERR_INVALID);
    assert_string_equal(e.field, "amount_vnd");
    assert_int_equal(payment_amount_check(50000, "amount_vnd", &e), 0);
}

static void hmac_signature(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    /* RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?" */
    const char *data = "what do ya want for nothing?";
    char sig[PAY_SIG_HEX];
    pay_sign("Jefe", data, strlen(data), sig);
    assert_string_equal(sig, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assert_true(pay_verify("Jefe", data, strlen(data), sig));
    assert_true(pay_verify("Jefe", data, strlen(data),
                           "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"));
    assert_false(pay_verify("Jeff", data, strlen(data), sig));
    assert_false(pay_verify("Jefe", "what do ya want for nothing!", strlen(data), sig));
    assert_false(pay_verify("Jefe", data, strlen(data), NULL));
    assert_false(pay_verify("Jefe", data, strlen(data), "5bdc"));
}

static void status_message(void **state)
{
    (void)state;
    struct pay_status_msg m;
    struct err e = {0};
    const char *ok =
        "{\"ref\":\"abc\",\"provider_ref\":\"TP1\",\"status\":\"paid\",\"amount_vnd\":50000}";
    assert_int_equal(pay_status_parse(ok, strlen(ok), &m, &e), 0);
    assert_string_equal(m.status, "paid");
    assert_int_equal(m.amount, 50000);
    const char *bad = "{\"ref\":\"abc\",\"status\":\"paid\",\"amount_vnd\":\"50000\"}";
    assert_int_equal(pay_status_parse(bad, strlen(bad), &m, &e), ERR_INVALID);
    assert_string_equal(e.field, "amount_vnd");
    const char *noref = "{\"status\":\"paid\"}";
    assert_int_equal(pay_status_parse(noref, strlen(noref), &m, &e), ERR_INVALID);
    assert_string_equal(e.field, "ref");
    assert_int_equal(pay_status_parse("[", 1, &m, &e), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transitions_exhaustive), cmocka_unit_test(settled_states_are_final),
        cmocka_unit_test(names_and_receipts),     cmocka_unit_test(hmac_signature),
        cmocka_unit_test(status_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
