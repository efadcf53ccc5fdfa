/* deadline.c — benchmark: due instants per second from the compiled calendar tables, for
 * 10 M random (reception instant, working days) queries over 2020–2026, against a naive
 * day-by-day loop over the same calendar measured in the same run (on a sample, as it is
 * much slower), plus working-hour queries. Prints figures and ratios; asserts nothing.
 * usage: bench_deadline [QUERIES] (default 10000000); data directory from $CCHC_DATA. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "calendar.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*: a fixed, reproducible stream of queries. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* The baseline: walk forward one day at a time, as a naive implementation would. */
static int64_t naive_add_days(const struct calendar *cal, int64_t from, int n)
{
    int64_t d = instant_day(from);
    if (n == 0)
        while (!calendar_is_working(cal, d))
            d++;
    while (n > 0) {
        d++;
        if (calendar_is_working(cal, d)) n--;
    }
    return d * MINUTES_PER_DAY + 17 * 60;
}

int main(int argc, char **argv)
{
    long q = argc > 1 ? atol(argv[1]) : 10000000L;
    if (q <= 0) {
        fprintf(stderr, "usage: bench_deadline [QUERIES > 0]\n");
        return 2;
    }
    const char *data = getenv("CCHC_DATA") ? getenv("CCHC_DATA") : CCHC_DATA_DIR;
    struct calendar *cal;
    struct err e;
    double t0 = now();
    if (calendar_load(data, 2013, 2100, NULL, &cal, &e)) {
        fprintf(stderr, "bench_deadline: %s\n", e.msg);
        return 1;
    }
    double t_compile = now() - t0;

    int64_t base = ymd_to_days((struct ymd){2020, 1, 1}) * MINUTES_PER_DAY;
    int64_t span = (ymd_to_days((struct ymd){2027, 1, 1}) * MINUTES_PER_DAY) - base;
    int64_t *from = malloc((size_t)q * sizeof *from);
    int *days = malloc((size_t)q * sizeof *days);
    if (!from || !days) return 1;
    for (long i = 0; i < q; i++) {
        from[i] = base + (int64_t)(rng() % (uint64_t)span);
        days[i] = (int)(rng() % 46); /* legal limits run from 0 to ~45 working days */
    }

    int64_t sum = 0, due;
    t0 = now();
    for (long i = 0; i < q; i++) {
        calendar_add_working_days(cal, from[i], days[i], &due, NULL);
        sum += due;
    }
    double t_fast = now() - t0;

    long qn = q < 1000000 ? q : 1000000; /* the naive loop on a sample of the same queries */
    int64_t sum_naive = 0, sum_check = 0;
    t0 = now();
    for (long i = 0; i < qn; i++)
        sum_naive += naive_add_days(cal, from[i], days[i]);
    double t_naive = now() - t0;
    for (long i = 0; i < qn; i++) {
        calendar_add_working_days(cal, from[i], days[i], &due, NULL);
        sum_check += due;
    }

    t0 = now();
    int64_t sum_h = 0;
    for (long i = 0; i < q; i++) {
        calendar_add_working_minutes(cal, from[i], (int64_t)days[i] * 60, &due, NULL);
        sum_h += due;
    }
    double t_hours = now() - t0;

    double rate_fast = (double)q / t_fast, rate_naive = (double)qn / t_naive;
    printf("bench/deadline: calendar 2013-2100 compiled in %.2f ms\n", t_compile * 1e3);
    printf("working-day deadlines (tables): %ld queries in %.3f s = %.2f M/s\n", q, t_fast,
           rate_fast / 1e6);
    printf("working-day deadlines (naive day-by-day loop): %ld queries in %.3f s = %.2f M/s\n", qn,
           t_naive, rate_naive / 1e6);
    printf("ratio tables / naive: %.1fx (same queries, same run; results %s)\n",
           rate_fast / rate_naive, sum_naive == sum_check ? "agree" : "DISAGREE");
    printf("working-hour deadlines (tables): %ld queries in %.3f s = %.2f M/s\n", q, t_hours,
           (double)q / t_hours / 1e6);
    printf("(checksums %lld %lld)\n", (long long)sum, (long long)sum_h);
    calendar_free(cal);
    free(from);
    free(days);
    return sum_naive == sum_check ? 0 : 1;
}
