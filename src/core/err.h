/* err.h — the small error record every layer fills: which field, which value, which rule.
 * Functions return 0 on success and a non-zero code on failure; on failure they fill
 * a caller-owned struct err (if not NULL) with a one-line, human-readable message. */
#ifndef CCHC_ERR_H
#define CCHC_ERR_H

#include <stdarg.h>

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = 1, /* bad input: a value breaks a rule */
    ERR_NOT_FOUND = 2,
    ERR_CONFLICT = 3, /* a state does not allow the operation (e.g. illegal transition) */
    ERR_IO = 4,
    ERR_RANGE = 5, /* outside the supported range (e.g. a year with no calendar) */
    ERR_NOMEM = 6,
    ERR_INTERNAL = 7,
};

struct err {
    int code;
    char field[48];
    char msg[400];
};

/* Fills e (when not NULL) and returns code, so callers can write
 * `return err_set(e, ERR_INVALID, "days", "'%s': must be a whole number >= 0", s);`
 * err_set is a macro over err_fill so that the compiler sees the returned code at the call
 * site: an optimiser that cannot look into err.c would otherwise assume a failing path may
 * return 0 and warn (-Wmaybe-uninitialized at -O3) about outputs never written on it. */
void err_fill(struct err *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define err_set(e, code, ...)                                                                      \
    __extension__({                                                                                \
        int err_code_ = (code);                                                                    \
        err_fill((e), err_code_, __VA_ARGS__);                                                     \
        err_code_;                                                                                 \
    })
void err_clear(struct err *e);

#endif
