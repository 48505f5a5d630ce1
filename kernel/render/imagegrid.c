#include <assert.h>
#include <float.h>
#include <stdlib.h>

#include "esc.h"
#include "imagegrid.h"
#include "png.h"
#include "sb.h"

#define COLS 8
#define SCALE 2
#define CAPTION 28 /* pixels under each image for its caption */

/* The grey level (0..255) of pixel p of row r: the mean of its channels
 * mapped from [lo, hi]. */
static unsigned char grey(const nn_data *d, int r, size_t p, float lo,
                          float hi)
{
    size_t plane = (size_t)d->height * d->width;
    const float *x = d->x + (size_t)r * d->d;
    float v = 0;
    for (int c = 0; c < d->channels; c++)
        v += x[c * plane + p];
    v /= (float)d->channels;
    float t = hi > lo ? (v - lo) / (hi - lo) : 0.0f;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return (unsigned char)(t * 255.0f + 0.5f);
}

/* One image as a PNG data URI; NULL on OOM. */
static char *image_uri(const nn_data *d, int r, float lo, float hi)
{
    static unsigned char rgb[256 * 3];
    for (int i = 0; i < 256; i++)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (unsigned char)i;
    size_t plane = (size_t)d->height * d->width;
    unsigned char *idx = malloc(plane);
    if (!idx)
        return NULL;
    for (size_t p = 0; p < plane; p++)
        idx[p] = grey(d, r, p, lo, hi);
    char *uri = png_data_uri(idx, d->width, d->height, rgb, 256);
    free(idx);
    return uri;
}

static const char *class_of(const nn_data *d, int c)
{
    return c >= 0 && c < d->n_classes ? d->class_names[c] : "?";
}

static int svg_grid(const nn_data *d, const int *rows, int n,
                    const int *pred, const char *title, float lo, float hi,
                    char **svg)
{
    int cols = n < COLS ? n : COLS, cw = d->width * SCALE + 16;
    int ch = d->height * SCALE + CAPTION, lines = (n + cols - 1) / cols;
    int ok = 1;
    sb b = { 0 };
    sb_fmt(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
               "height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">"
               "<text x=\"4\" y=\"14\" font-size=\"12\">", cols * cw,
           lines * ch + 22);
    esc_put(&b, title, ESC_MARKUP, 200);
    sb_str(&b, "</text>");
    for (int i = 0; ok && i < n; i++) {
        int x = (i % cols) * cw + 8, y = (i / cols) * ch + 22;
        char *uri = image_uri(d, rows[i], lo, hi);
        ok = uri != NULL;
        if (!ok)
            break;
        sb_fmt(&b, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                   "style=\"image-rendering:pixelated\" href=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\"%s>", x, y,
               d->width * SCALE, d->height * SCALE, uri,
               x + d->width * SCALE / 2, y + d->height * SCALE + 12,
               pred && pred[i] != d->y[rows[i]] ? " fill=\"#c00\"" : "");
        free(uri);
        esc_put(&b, class_of(d, d->y[rows[i]]), ESC_MARKUP, 40);
        if (pred) {
            sb_str(&b, "</text><text x=\"");
            sb_fmt(&b, "%d\" y=\"%d\" text-anchor=\"middle\" "
                       "fill=\"#c00\">&#8594; ", x + d->width * SCALE / 2,
                   y + d->height * SCALE + 24);
            esc_put(&b, class_of(d, pred[i]), ESC_MARKUP, 40);
        }
        sb_str(&b, "</text>");
    }
    sb_str(&b, "</svg>\n");
    *svg = sb_done(&b);
    if (!ok) {
        free(*svg);
        *svg = NULL;
    }
    return *svg ? 0 : -1;
}

/* The text form: the title, each caption, then the first image drawn with
 * characters, two pixel rows a line. */
static char *text_grid(const nn_data *d, const int *rows, int n,
                       const int *pred, const char *title, float lo,
                       float hi)
{
    static const char shades[] = " .:-=+*#%@";
    sb b = { 0 };
    sb_fmt(&b, "%s\n", title);
    for (int i = 0; i < n; i++) {
        sb_fmt(&b, "  sample %d: %s", rows[i], class_of(d, d->y[rows[i]]));
        if (pred)
            sb_fmt(&b, " -> %s", class_of(d, pred[i]));
        sb_str(&b, "\n");
    }
    sb_fmt(&b, "sample %d:\n", rows[0]);
    for (int y = 0; y < d->height; y += 2) {
        sb_str(&b, "  ");
        for (int x = 0; x < d->width; x++) {
            int g = grey(d, rows[0], (size_t)y * d->width + x, lo, hi);
            if (y + 1 < d->height)
                g = (g + grey(d, rows[0], (size_t)(y + 1) * d->width + x,
                              lo, hi)) / 2;
            sb_put(&b, &shades[g * 9 / 255], 1);
        }
        sb_str(&b, "\n");
    }
    return sb_done(&b);
}

int imagegrid_render(const nn_data *d, const int *rows, int n,
                     const int *pred, const char *title, char **svg,
                     char **text)
{
    assert(d && d->height > 0 && rows && n >= 1 && title && svg && text);
    float lo = FLT_MAX, hi = -FLT_MAX;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d->d; j++) {
            float v = d->x[(size_t)rows[i] * d->d + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    *text = text_grid(d, rows, n, pred, title, lo, hi);
    if (svg_grid(d, rows, n, pred, title, lo, hi, svg) < 0 || !*text) {
        free(*svg);
        free(*text);
        *svg = *text = NULL;
        return -1;
    }
    return 0;
}
