/* png: small palette images as PNG, for pictures embedded in SVG (the
 * network diagram's heatmaps) as data: URIs.
 *
 * The pixels are stored, not compressed (deflate's stored blocks): the
 * encoder is a few dozen lines, and a 64 x 64 image is still only a few
 * kilobytes. */
#ifndef PNG_H
#define PNG_H

#include <stddef.h>

/* A w x h image of 8-bit palette indices (index[y*w + x], row 0 at the
 * top) with `colors` (1..256) palette entries of 3 bytes each (r, g, b) in
 * rgb, as the bytes of a PNG file: a new buffer for the caller, its
 * length in *len. Indices must be below `colors`. NULL on OOM or when w
 * or h is below 1 or the image too large to address. */
unsigned char *png_encode(const unsigned char *index, int w, int h,
                          const unsigned char *rgb, int colors, size_t *len);

/* The same image as a data URI, "data:image/png;base64,...": a new
 * string for the caller; NULL as png_encode. */
char *png_data_uri(const unsigned char *index, int w, int h,
                   const unsigned char *rgb, int colors);

#endif
