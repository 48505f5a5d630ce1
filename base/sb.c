#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb.h"

void sb_init(sb *b)
{
    assert(b);
    memset(b, 0, sizeof *b);
}

/* Makes room for `extra` more bytes plus the NUL; -1 once anything failed. */
static int sb_room(sb *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->cap && extra < b->cap - b->len)
        return 0;
    if (extra > SIZE_MAX / 4 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void sb_put(sb *b, const char *s, size_t n)
{
    assert(b && (s || n == 0));
    if (sb_room(b, n))
        return;
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_str(sb *b, const char *s)
{
    assert(s);
    sb_put(b, s, strlen(s));
}

void sb_fmt(sb *b, const char *fmt, ...)
{
    assert(b && fmt);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (sb_room(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_num(sb *b, double v)
{
    if (!(v > -1e7))
        v = -1e7;
    if (v > 1e7)
        v = 1e7;
    long t = lround(v * 10);
    if (t < 0) {
        sb_put(b, "-", 1);
        t = -t;
    }
    if (t % 10)
        sb_fmt(b, "%ld.%ld", t / 10, t % 10);
    else
        sb_fmt(b, "%ld", t / 10);
}

char *sb_done(sb *b)
{
    assert(b);
    if (!b->failed && !b->s)
        sb_room(b, 0);
    char *s = b->failed ? NULL : b->s;
    if (b->failed)
        free(b->s);
    else
        s[b->len] = '\0';
    sb_init(b);
    return s;
}

void sb_free(sb *b)
{
    assert(b);
    free(b->s);
    sb_init(b);
}

char *sb_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* Whether byte c continues a UTF-8 sequence (10xxxxxx). */
static int continues(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

void sb_vfit(char *buf, size_t size, const char *fmt, va_list ap)
{
    static const char elided[] = " \xE2\x80\xA6 "; /* " … " */
    assert(buf && size >= 64 && fmt);
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(buf, size, fmt, ap);
    char *text = len >= 0 && (size_t)len >= size ? malloc((size_t)len + 1)
                                                  : NULL;
    if (text) {
        vsnprintf(text, (size_t)len + 1, fmt, again);
        size_t tail = size / 3, head = size - 1 - tail - (sizeof elided - 1);
        while (head > 0 && continues(text[head]))
            head--;
        const char *end = text + len - tail;
        while (*end && continues(*end))
            end++;
        memcpy(buf, text, head);
        memcpy(buf + head, elided, sizeof elided - 1);
        strcpy(buf + head + sizeof elided - 1, end);
        free(text);
    }
    va_end(again);
}
