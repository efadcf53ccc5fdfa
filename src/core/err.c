/* err.c — filling the error record (see err.h). */
#include "err.h"

#include <stdio.h>
#include <string.h>

void err_fill(struct err *e, int code, const char *field, const char *fmt, ...)
{
    if (!e) return;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void err_clear(struct err *e)
{
    if (!e) return;
    e->code = 0;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}
