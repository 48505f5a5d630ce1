#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text.h"

char *text_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

char *text_cat(char *a, char *b)
{
    char *s = a && b ? text_fmt("%s%s", a, b) : NULL;
    free(a);
    free(b);
    return s;
}

int text_both(char **a, char **b)
{
    if (*a && *b)
        return 0;
    free(*a);
    free(*b);
    *a = *b = NULL;
    return -1;
}
