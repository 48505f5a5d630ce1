#include <stdarg.h>
#include <stdio.h>

#include "nn_err.h"

int nn_err_set(nn_err *e, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->oom = 0;
    }
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
        e->oom = 1;
    return -1;
}
