#include <assert.h>
#include <stdint.h>

#include "b64.h"

void b64_put(sb *b, const void *data, size_t n)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    assert(b && (data || n == 0));
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {
            abc[v >> 18 & 63], abc[v >> 12 & 63],
            i + 1 < n ? abc[v >> 6 & 63] : '=',
            i + 2 < n ? abc[v & 63] : '=',
        };
        sb_put(b, q, 4);
    }
}

char *b64_encode(const void *data, size_t n)
{
    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    sb b = {0};
    b64_put(&b, data, n);
    return sb_done(&b);
}
