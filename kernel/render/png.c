/* png: signature, IHDR, PLTE, one IDAT holding a zlib stream of stored
 * deflate blocks (at most 65535 bytes each), IEND. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "png.h"
#include "sb.h"

#define STORED_MAX 65535u  /* bytes of one stored deflate block */

/* Bytes written at p, counted in n. */
typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static void put_be32(bytes *b, uint32_t v)
{
    for (int sh = 24; sh >= 0; sh -= 8)
        b->p[b->n++] = (unsigned char)(v >> sh);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xEDB88320u & -(c & 1));
    }
    return ~c;
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static void put_chunk(bytes *b, const char *type, const unsigned char *data,
                      size_t n)
{
    put_be32(b, (uint32_t)n);
    size_t start = b->n;
    memcpy(b->p + b->n, type, 4);
    if (n)
        memcpy(b->p + b->n + 4, data, n);
    b->n += 4 + n;
    put_be32(b, crc32_of(b->p + start, n + 4));
}

/* The zlib stream of the image's rows, each after its filter byte (0:
 * none), into z (room for zlib_size(raw)). */
static void put_zlib(bytes *z, const unsigned char *index, int w, int h,
                     size_t raw)
{
    z->p[z->n++] = 0x78;                         /* deflate, 32K window */
    z->p[z->n++] = 0x01;
    uint32_t a = 1, s = 0;
    size_t done = 0;
    for (int y = 0; y < h; y++)
        for (int x = -1; x < w; x++) {
            if (done % STORED_MAX == 0) {        /* a block's header */
                size_t n = raw - done < STORED_MAX ? raw - done : STORED_MAX;
                z->p[z->n++] = n == raw - done;  /* BFINAL, stored */
                z->p[z->n++] = (unsigned char)(n & 0xFF);
                z->p[z->n++] = (unsigned char)(n >> 8);
                z->p[z->n++] = (unsigned char)(~n & 0xFF);
                z->p[z->n++] = (unsigned char)(~n >> 8 & 0xFF);
            }
            unsigned char k = x < 0 ? 0 : index[(size_t)y * (size_t)w + x];
            z->p[z->n++] = k;
            a = (a + k) % 65521;
            s = (s + a) % 65521;
            done++;
        }
    put_be32(z, s << 16 | a);
}

/* Bytes of the zlib stream of raw bytes of image data. */
static size_t zlib_size(size_t raw)
{
    return 2 + raw + 5 * (raw / STORED_MAX + 1) + 4;
}

unsigned char *png_encode(const unsigned char *index, int w, int h,
                          const unsigned char *rgb, int colors, size_t *len)
{
    assert(index && rgb && len && colors >= 1 && colors <= 256);
    if (w < 1 || h < 1 || w >= 1 << 24 || h >= 1 << 24
        || (size_t)w + 1 > SIZE_MAX / 4 / (size_t)h)
        return NULL;
    size_t raw = (size_t)h * ((size_t)w + 1), zn = zlib_size(raw);
    unsigned char *z = malloc(zn);
    unsigned char *out = malloc(8 + 3 * 12 + 13 + 3 * (size_t)colors + zn
                                + 12);
    if (!z || !out) {
        free(z);
        free(out);
        return NULL;
    }
    bytes zb = { z, 0 };
    put_zlib(&zb, index, w, h, raw);
    unsigned char ihdr[13] = {
        (unsigned char)(w >> 24), (unsigned char)(w >> 16),
        (unsigned char)(w >> 8), (unsigned char)w,
        (unsigned char)(h >> 24), (unsigned char)(h >> 16),
        (unsigned char)(h >> 8), (unsigned char)h,
        8, 3, 0, 0, 0,                           /* 8-bit palette */
    };
    bytes png = { out, 8 };
    memcpy(out, "\x89PNG\r\n\x1a\n", 8);
    put_chunk(&png, "IHDR", ihdr, sizeof ihdr);
    put_chunk(&png, "PLTE", rgb, 3 * (size_t)colors);
    put_chunk(&png, "IDAT", z, zb.n);
    put_chunk(&png, "IEND", NULL, 0);
    free(z);
    *len = png.n;
    return out;
}

char *png_data_uri(const unsigned char *index, int w, int h,
                   const unsigned char *rgb, int colors)
{
    size_t n;
    unsigned char *png = png_encode(index, w, h, rgb, colors, &n);
    if (!png)
        return NULL;
    sb b = {0};
    sb_str(&b, "data:image/png;base64,");
    b64_put(&b, png, n);
    free(png);
    return sb_done(&b);
}
