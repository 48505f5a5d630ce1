/* convdraw: see convdraw.h. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convdraw.h"
#include "esc.h"
#include "sb.h"
#include "svg.h"
#include "table.h"

#define WIDTH 700
#define HEIGHT 230
#define COLS 5

int convdraw_wants(const nn_model *m)
{
    assert(m);
    int shape[3];
    return nn_model_layer_shape(m, -1, shape);
}

/* "16x14x14" for images, "64" for rows: layer i's output (-1: input). */
static void shape_of(const nn_model *m, int i, char *buf, size_t size)
{
    int s[3];
    if (nn_model_layer_shape(m, i, s))
        snprintf(buf, size, "%dx%dx%d", s[0], s[1], s[2]);
    else
        snprintf(buf, size, "%d", s[0]);
}

/* Layer i's name ("input" for i = -1) and output shape; returns its
 * parameter count. */
static size_t describe(const nn_model *m, int i, char *name, size_t name_size,
                       char *shape, size_t shape_size)
{
    if (i < 0)
        snprintf(name, name_size, "input");
    else
        nn_layer_format(nn_model_layer(m, i), name, name_size);
    shape_of(m, i, shape, shape_size);
    return i < 0 ? 0 : nn_model_layer_params(m, i);
}

/* The norm of layer i's weights (bias included), accumulated in double. */
static double layer_norm(const nn_model *m, int i)
{
    const float *p = nn_model_params((nn_model *)m)
                     + nn_model_layer_offset(m, i);
    double s = 0.0;
    for (size_t j = 0; j < nn_model_layer_params(m, i); j++)
        s += (double)p[j] * p[j];
    return sqrt(s);
}

/* "conv net 1x8x8 -> 10 . 690 parameters . note". */
static void put_title(sb *b, const nn_model *m, const char *note,
                      esc_mode mode)
{
    char in[48], out[48];
    shape_of(m, -1, in, sizeof in);
    shape_of(m, nn_model_n_layers(m) - 1, out, sizeof out);
    sb_fmt(b, "net on images %s \xE2\x86\x92 %s \xC2\xB7 %zu parameters",
           in, out, nn_model_n_params(m));
    if (note) {
        sb_str(b, " \xC2\xB7 ");
        esc_put(b, note, mode, 200);
    }
}

/* The cells of the layer table (rows = layers + 1, COLS each), freed by
 * free_cells. NULL on OOM. */
static char **table_cells(const nn_model *m)
{
    int rows = nn_model_n_layers(m) + 1;
    char **c = calloc((size_t)rows * COLS, sizeof *c);
    if (!c)
        return NULL;
    int ok = 1;
    for (int r = 0; r < rows; r++) {
        int i = r - 1;
        char name[64], shape[48];
        size_t np = describe(m, i, name, sizeof name, shape, sizeof shape);
        char **row = c + (size_t)r * COLS;
        ok = ok && (row[0] = sb_printf("%d", r))
             && (row[1] = strdup(name)) && (row[2] = strdup(shape))
             && (row[3] = np ? sb_printf("%zu", np) : strdup(""))
             && (row[4] = np ? sb_printf("%.4g", layer_norm(m, i))
                             : strdup(""));
    }
    if (!ok) {
        for (int j = 0; j < rows * COLS; j++)
            free(c[j]);
        free(c);
        return NULL;
    }
    return c;
}

static void free_cells(char **c, int n)
{
    for (int j = 0; c && j < n; j++)
        free(c[j]);
    free(c);
}

char *convdraw_text(const nn_model *m, const char *note,
                    const char *quantity)
{
    assert(m);
    int rows = nn_model_n_layers(m) + 1;
    char **cells = table_cells(m);
    char *norm = sb_printf("%s norm", quantity ? quantity : "weight");
    const char *head[COLS] = { "#", "layer", "output", "parameters", norm };
    char *table = cells && norm ? table_text(head, (const char *const *)cells,
                                             rows, COLS)
                                : NULL;
    free_cells(cells, rows * COLS);
    free(norm);
    if (!table)
        return NULL;
    sb b = {0};
    put_title(&b, m, note, ESC_PLAIN);
    sb_fmt(&b, "\n%s\n", table);
    free(table);
    return sb_done(&b);
}

/* Box i (-1: the input) of n + 1 across the card: its height grows with
 * the log of the values it holds. */
static void put_box(sb *b, const nn_model *m, int i, int n, double most)
{
    double slot = (WIDTH - 20.0) / (n + 1), x = 10 + (i + 1) * slot;
    int s[3];
    int image = nn_model_layer_shape(m, i, s);
    double vals = (double)s[0] * (image ? s[1] * s[2] : 1);
    double h = 20 + 100 * log1p(vals) / log1p(most);
    double y = 60 + (120 - h) / 2;
    char name[64], shape[48];
    size_t np = describe(m, i, name, sizeof name, shape, sizeof shape);
    sb_fmt(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
           "fill=\"%s\" stroke=\"#555\"/>\n", x + 4, y, slot - 8, h,
           np ? "#9ecae1" : image ? "#e0e0e0" : "#f5f5f5");
    sb_fmt(b, "<text x=\"%.1f\" y=\"52\" text-anchor=\"middle\" "
           "font-size=\"10\">", x + slot / 2);
    esc_put(b, name, ESC_MARKUP, 24);
    sb_fmt(b, "</text>\n<text x=\"%.1f\" y=\"196\" text-anchor=\"middle\">"
           "%s</text>\n", x + slot / 2, shape);
    if (np)
        sb_fmt(b, "<text x=\"%.1f\" y=\"212\" text-anchor=\"middle\" "
               "font-size=\"10\">%zu params, norm %.3g</text>\n",
               x + slot / 2, np, layer_norm(m, i));
}

char *convdraw_svg(const nn_model *m, const char *note, const char *quantity)
{
    assert(m);
    int n = nn_model_n_layers(m);
    double most = 1;
    for (int i = -1; i < n; i++) {
        int s[3];
        int image = nn_model_layer_shape(m, i, s);
        double v = (double)s[0] * (image ? s[1] * s[2] : 1);
        most = v > most ? v : most;
    }
    sb b = {0};
    svg_open(&b, WIDTH, HEIGHT);
    sb_str(&b, "<text x=\"10\" y=\"18\" font-weight=\"bold\">");
    put_title(&b, m, note, ESC_MARKUP_NUM);
    sb_str(&b, "</text>\n<text x=\"10\" y=\"34\" fill=\"#555\">");
    sb_fmt(&b, "each box a layer's output (height: log of its values); "
           "blue: a layer with parameters, and the norm of its %ss",
           quantity ? quantity : "weight");
    sb_str(&b, "</text>\n");
    for (int i = -1; i < n; i++)
        put_box(&b, m, i, n, most);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}
