#include <assert.h>

#include "utf8.h"

int utf8_decode(const char *s, unsigned *cp)
{
    assert(s);
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0], v, min;
    int n;
    if (c < 0x80) {
        n = 1; v = c; min = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp)
        *cp = v;
    return n;
}

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\0')
            return 0;
        int k = utf8_decode(s + i, NULL);
        if (k == 0 || (size_t)k > n - i)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* Bytes of the code point at s: its sequence, or 1 for an invalid byte. */
static int step(const char *s)
{
    int k = utf8_decode(s, NULL);
    return k ? k : 1;
}

int utf8_count(const char *s, int bytes)
{
    int n = 0;
    for (int i = 0; i < bytes && s[i]; i += step(s + i))
        n++;
    return n;
}

int utf8_offset(const char *s, int cp)
{
    int i = 0;
    for (; s[i] && cp > 0; cp--)
        i += step(s + i);
    return i;
}
