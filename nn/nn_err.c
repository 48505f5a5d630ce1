#include <stdarg.h>
#include <stdio.h>

#include "nn_err.h"
#include "sb.h"

/* Formats into e (may be NULL) and sets its kind. */
static void vset(nn_err *e, nn_err_kind kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vset(nn_err *e, nn_err_kind kind, const char *fmt, va_list ap)
{
    if (!e)
        return;
    sb_vfit(e->msg, sizeof e->msg, fmt, ap);
    e->kind = kind;
}

int nn_err_set(nn_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(e, NN_ERR_VALUE, fmt, ap);
    va_end(ap);
    return -1;
}

int nn_err_os(nn_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(e, NN_ERR_OS, fmt, ap);
    va_end(ap);
    return -1;
}

int nn_err_oom(nn_err *e, const char *what, size_t bytes)
{
    if (bytes >= (size_t)1 << 20)
        nn_err_set(e, "out of memory: %s needs %.1f MiB", what,
                   (double)bytes / (1 << 20));
    else
        nn_err_set(e, "out of memory: %s needs %zu bytes", what, bytes);
    if (e)
        e->kind = NN_ERR_OOM;
    return -1;
}
