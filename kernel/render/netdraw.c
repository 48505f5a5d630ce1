/* netdraw: the diagram is laid out once (netlayout.h), then written in
 * layers: connections (weakest first, one path per colour and width),
 * nodes, labels, caption. Heatmaps are small palette PNGs (png.h: a few
 * hundred bytes each) embedded as data URIs, so the document stays one
 * self-contained file. Names a user gave are escaped with numeric
 * references (ESC_MARKUP_NUM). */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convdraw.h"
#include "esc.h"
#include "netcol.h"
#include "netdraw.h"
#include "netlayout.h"
#include "palette.h"
#include "png.h"
#include "sb.h"
#include "table.h"

#define HEAD NETLAYOUT_HEAD
#define LABEL_MAX NETLAYOUT_LABEL
#define POS_RGB 0x0877bd    /* weight > 0: TensorFlow Playground's blue */
#define NEG_RGB 0xf59322    /* weight < 0: its orange */
#define WHITE 0xffffff
#define LEVELS 8            /* line widths */
#define HEAT_LEVELS 16      /* heatmap colours on each side of the centre */

/* ---- text ----------------------------------------------------------- */

/* n with thousands separators ("235,146") into buf. */
static const char *grouped(long n, char buf[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%ld", n), w = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && digits[i - 1] != '-' && (len - i) % 3 == 0)
            buf[w++] = ',';
        buf[w++] = digits[i];
    }
    buf[w] = '\0';
    return buf;
}

/* A pixel coordinate rounded to a tenth, for printing with %g. */
static double px(double v)
{
    return round(v * 10) / 10;
}

/* How neurons of n are named. */
static netcol_names names_of(const netdraw_net *n)
{
    return (netcol_names){ n->features, n->classes, n->n_classes };
}

/* The title: "2 → 16 → 1 net · 65 parameters · note". */
static void put_title(sb *b, const netdraw_net *n, esc_mode mode)
{
    nn_model *m = n->model;
    char num[32];
    for (int c = 0; c < netcol_count(m); c++)
        sb_fmt(b, "%s%d", c ? " \xE2\x86\x92 " : "", netcol_units(m, c));
    sb_fmt(b, " net \xC2\xB7 %s parameters",
           grouped((long)nn_model_n_params(m), num));
    if (n->note) {
        sb_str(b, " \xC2\xB7 ");
        esc_put(b, n->note, mode, 200);
    }
}

/* ---- connections ---------------------------------------------------- */

static int level_of(float r)
{
    int k = (int)lround(r * (LEVELS - 1));
    return k < 0 ? 0 : k >= LEVELS ? LEVELS - 1 : k;
}

/* The lines of e[first..end) of one width level and sign, one path. */
static void put_edge_path(sb *b, const netlayout_edge *e, long first,
                          long end, double widest, int lv, int neg)
{
    int open = 0;
    double t = (double)lv / (LEVELS - 1);
    for (long i = first; i < end; i++) {
        if (level_of(e[i].r) != lv || (e[i].w < 0) != neg)
            continue;
        if (!open++)
            sb_fmt(b, "<path fill=\"none\" stroke=\"#%06x\" "
                      "stroke-width=\"%g\" stroke-opacity=\"%g\" d=\"",
                   neg ? NEG_RGB : POS_RGB,
                   round(100 * (0.4 + (widest - 0.4) * t)) / 100,
                   round(100 * (0.25 + 0.75 * t)) / 100);
        sb_fmt(b, "M%g %gL%g %g", px(e[i].x1), px(e[i].y1), px(e[i].x2),
               px(e[i].y2));
    }
    if (open)
        sb_str(b, "\"/>\n");
}

/* The lines into each column, one path per sign and width, the weakest
 * first so that strong lines lie on top. The widest line is thinner where
 * lines are dense: 4 px for a few, 1.5 px for a few hundred. */
static void put_edges(sb *b, const netlayout_edge *e, long n)
{
    for (long first = 0, end; first < n; first = end) {
        for (end = first; end < n && e[end].col == e[first].col;)
            end++;
        double widest = fmax(1.5, fmin(4, 4 * sqrt(24.0 / (end - first))));
        for (int lv = 0; lv < LEVELS; lv++)
            for (int neg = 0; neg < 2; neg++)
                put_edge_path(b, e, first, end, widest, lv, neg);
    }
}

/* ---- heatmaps ------------------------------------------------------- */

/* How a column's values map to colours: t = (v - centre) / half in
 * [-1, 1], white at 0, `low` at -1 and `high` at 1. */
typedef struct heat_scale {
    double centre, half;
    unsigned low, high;
} heat_scale;

/* The scale of neuron u of column c, whose values over the plane are
 * v[0..count): fixed for bounded activations, else its own largest. */
static heat_scale heat_scale_of(const netlayout *l, int c, int u,
                                const float *v, size_t count)
{
    nn_layer_kind k = netcol_kind(l->model, c);
    heat_scale h = { 0, 1, NEG_RGB, POS_RGB };
    int output = c == l->ncol - 1;
    if (k == NN_SIGMOID || (k == NN_SOFTMAX && !output))
        h.centre = h.half = 0.5;
    else if (k != NN_TANH && k != NN_SOFTMAX)
        h.half = netlayout_max_abs(v, count);
    if (output && l->col[c].units == 1) {
        h.low = palette_class_rgb(0);      /* below the centre: class 0 */
        h.high = palette_class_rgb(1);
    } else if (output) {
        h.low = palette_class_rgb(-1);
        h.high = palette_class_rgb(u);
    }
    if (!(h.half > 0))
        h.half = 1;
    return h;
}

/* A g x g heatmap of v (v[j*g + i], j counted up) coloured by h, as a PNG
 * data URI (malloc'd; NULL on OOM). */
static char *heat_uri(const float *v, int g, const heat_scale *h)
{
    enum { N = 2 * HEAT_LEVELS + 1 };
    unsigned char plte[3 * N];
    for (int k = 0; k < N; k++) {
        double t = (double)(k - HEAT_LEVELS) / HEAT_LEVELS;
        unsigned rgb = palette_mix(WHITE, t < 0 ? h->low : h->high, fabs(t));
        plte[3 * k] = (unsigned char)(rgb >> 16);
        plte[3 * k + 1] = (unsigned char)(rgb >> 8);
        plte[3 * k + 2] = (unsigned char)rgb;
    }
    unsigned char *index = malloc((size_t)g * g);
    if (!index)
        return NULL;
    for (int y = 0; y < g; y++)          /* row 0 at the top */
        for (int x = 0; x < g; x++) {
            double t = (v[(size_t)(g - 1 - y) * g + x] - h->centre) / h->half;
            t = isfinite(t) ? fmax(-1, fmin(1, t)) : 0;
            index[(size_t)y * g + x] =
                (unsigned char)(HEAT_LEVELS + (int)lround(t * HEAT_LEVELS));
        }
    char *uri = png_data_uri(index, g, g, plte, N);
    free(index);
    return uri;
}

/* ---- the SVG -------------------------------------------------------- */

/* A node of column c at row s drawn as a heatmap of neuron u. Returns -1
 * on OOM. */
static int put_heat_node(sb *b, const netlayout *l, int grid, int c, int s,
                         int u)
{
    size_t cells = (size_t)grid * grid;
    const float *v = l->heat[c] + u * cells;
    heat_scale h = heat_scale_of(l, c, u, v, cells);
    char *uri = heat_uri(v, grid, &h);
    if (!uri)
        return -1;
    const netlayout_col *k = &l->col[c];
    double x = px(k->x - k->half), y = px(netlayout_y(k, s) - k->half);
    sb_fmt(b, "<image x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" "
              "preserveAspectRatio=\"none\" xlink:href=\"%s\"/><rect "
              "x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
              "stroke=\"#555\"/>\n", x, y, 2 * k->half, 2 * k->half, uri, x,
           y, 2 * k->half, 2 * k->half);
    free(uri);
    return 0;
}

/* A node of column c at row s as a circle filled with the colour of its
 * bias (white for inputs). */
static void put_circle(sb *b, const netlayout *l, int c, int s, int u)
{
    const netlayout_col *k = &l->col[c];
    unsigned fill = WHITE;
    if (c > 0) {
        const float *bias = netcol_biases(l->model, c);
        double top = netlayout_max_abs(bias, (size_t)k->units), v = bias[u];
        if (top > 0 && isfinite(v))
            fill = palette_mix(WHITE, v < 0 ? NEG_RGB : POS_RGB,
                               0.85 * fabs(v) / top);
    }
    sb_fmt(b, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"#%06x\"/>\n",
           px(k->x), px(netlayout_y(k, s)), k->half, fill);
}

/* The names beside the input and output columns. Returns -1 on OOM. */
static int put_side_names(sb *b, const netdraw_net *n, const netlayout *l)
{
    netcol_names names = names_of(n);
    for (int side = 0; side < 2 && l->ncol > 1; side++) {
        int c = side ? l->ncol - 1 : 0;
        const netlayout_col *k = &l->col[c];
        for (int s = 0; s < k->slots; s++) {
            int u = netlayout_unit(k, s);
            if (u < 0)
                continue;
            char *name = netcol_name(n->model, &names, c, u);
            if (!name)
                return -1;
            sb_fmt(b, "<text x=\"%g\" y=\"%g\"%s>",
                   px(k->x + (side ? 1 : -1) * (k->half + 5)),
                   px(netlayout_y(k, s) + 4),
                   side ? "" : " text-anchor=\"end\"");
            esc_put(b, name, ESC_MARKUP_NUM, LABEL_MAX);
            sb_str(b, "</text>\n");
            free(name);
        }
    }
    return 0;
}

/* Nodes, the gap of each long column, and the names beside the input
 * and output columns. Returns -1 on OOM. */
static int put_nodes(sb *b, const netdraw_net *n, const netlayout *l)
{
    char num[32];
    sb_str(b, "<g stroke=\"#555\" stroke-width=\"1.2\">\n");
    for (int c = 0; c < l->ncol; c++)
        for (int s = 0; s < l->col[c].slots; s++) {
            int u = netlayout_unit(&l->col[c], s);
            if (u < 0)
                continue;
            if (!netlayout_heat(l, c))
                put_circle(b, l, c, s, u);
            else if (put_heat_node(b, l, n->grid, c, s, u) < 0)
                return -1;
        }
    sb_str(b, "</g>\n<g fill=\"#444\" font-size=\"10\" text-anchor=\"middle\" "
              "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\n");
    for (int c = 0; c < l->ncol; c++) {
        const netlayout_col *k = &l->col[c];
        if (k->units > NETLAYOUT_SHOW)
            sb_fmt(b, "<text x=\"%g\" y=\"%g\">\xE2\x80\xA6 %s more</text>\n",
                   px(k->x), px(netlayout_y(k, HEAD) + 4),
                   grouped(k->units - 2 * HEAD, num));
    }
    sb_str(b, "</g>\n<g fill=\"#222\">\n");
    if (put_side_names(b, n, l) < 0)
        return -1;
    sb_str(b, "</g>\n");
    return 0;
}

/* Under each column: its role, its size and its activation; briefly
 * where columns are close. */
static void put_column_labels(sb *b, const netlayout *l)
{
    const nn_model *m = l->model;
    char role[32], num[32];
    int brief = l->spacing < 76;
    sb_str(b, "<g fill=\"#444\" text-anchor=\"middle\">\n");
    for (int c = 0; c < l->ncol; c++) {
        const netlayout_col *k = &l->col[c];
        double x = px(k->x), y = l->bottom + 18;
        netcol_role(m, c, brief, role);
        sb_fmt(b, "<text x=\"%g\" y=\"%g\" fill=\"#222\" font-weight=\"bold\""
                  ">%s</text>\n<text x=\"%g\" y=\"%g\">%s", x, y, role, x,
               y + 15, grouped(k->units, num));
        if (!brief)
            sb_fmt(b, " %s%s", c == 0 ? "feature" : "neuron",
                   k->units == 1 ? "" : "s");
        sb_fmt(b, "</text>\n<text x=\"%g\" y=\"%g\" font-style=\"italic\">",
               x, y + 30);
        netcol_put_activation(b, m, c);
        sb_str(b, "</text>\n");
    }
    sb_str(b, "</g>\n");
}

/* The key to colours and widths, what was left out, and the heatmaps. */
static void put_caption(sb *b, const netdraw_net *n, const netlayout *l,
                        const netlayout_count *cnt)
{
    char x[32], y2[32];
    double y = l->bottom + 68;
    const char *q = n->quantity ? n->quantity : "weight";
    sb_fmt(b, "<g fill=\"#444\">\n<path stroke=\"#%06x\" stroke-width=\"3\" "
              "d=\"M12 %gh24\"/><text x=\"42\" y=\"%g\">%s &gt; 0</text>"
              "\n<path stroke=\"#%06x\" stroke-width=\"3\" d=\"M122 %gh24\"/>"
              "<text x=\"152\" y=\"%g\">%s &lt; 0</text>\n<text x=\"232\""
              " y=\"%g\">width: |%s| relative to the layer&#39;s largest"
              "%s</text>\n", POS_RGB, y, y + 4, q, NEG_RGB, y, y + 4, q,
           y + 4, q, l->heat ? ""
                     : n->quantity ? "; fill: the same for its bias"
                                   : "; fill: bias");
    y += 18;
    if (cnt->drawn == cnt->total)
        sb_fmt(b, "<text x=\"12\" y=\"%g\">%s connection%s, all drawn"
                  "</text>\n", y + 4, grouped(cnt->total, x),
               cnt->total == 1 ? "" : "s");
    else
        sb_fmt(b, "<text x=\"12\" y=\"%g\">connections thinned: %s of %s "
                  "drawn (%s)</text>\n", y + 4, grouped(cnt->drawn, x),
               grouped(cnt->total, y2), cnt->drawn < cnt->between
               ? "the strongest of each layer between the neurons shown"
               : "those between the neurons shown");
    if (l->heat) {
        const char *const *ft = n->features;
        sb_fmt(b, "<text x=\"12\" y=\"%g\">squares: each neuron&#39;s output "
                  "over the input plane (", y + 22);
        esc_put(b, ft ? ft[0] : "x1", ESC_MARKUP_NUM, LABEL_MAX);
        sb_str(b, " across, ");
        esc_put(b, ft ? ft[1] : "x2", ESC_MARKUP_NUM, LABEL_MAX);
        sb_str(b, " up); outputs in their class colours</text>\n");
    }
    sb_str(b, "</g>\n");
}

char *netdraw_svg(const netdraw_net *n)
{
    assert(n && n->model);
    if (convdraw_wants(n->model))
        return convdraw_svg(n->model, n->note, n->quantity);
    netcol_names names = names_of(n);
    int heat = n->heat && n->grid > 0 && n->grid <= NETDRAW_GRID_MAX
               && nn_model_in(n->model) == 2;
    netlayout l;
    if (netlayout_make(&l, n->model, &names, heat ? n->heat : NULL) < 0) {
        netlayout_free(&l);
        return NULL;
    }
    netlayout_count cnt;
    netlayout_edge *e = netlayout_edges(&l, &cnt);
    sb b = {0};
    int w = NETLAYOUT_WIDTH;
    sb_fmt(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" "
               "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\""
               " font-size=\"11\">\n<rect width=\"%d\" height=\"%d\" "
               "fill=\"#fff\"/>\n<text x=\"10\" y=\"18\" font-size=\"13\" "
               "font-weight=\"bold\" fill=\"#222\">", w, l.height, w,
           l.height, w, l.height);
    put_title(&b, n, ESC_MARKUP_NUM);
    sb_str(&b, "</text>\n");
    int ok = e != NULL;
    if (ok) {
        put_edges(&b, e, cnt.drawn);
        ok = put_nodes(&b, n, &l) == 0;
        put_column_labels(&b, &l);
        put_caption(&b, n, &l, &cnt);
    }
    sb_str(&b, "</svg>\n");
    free(e);
    netlayout_free(&l);
    if (!ok) {
        sb_free(&b);
        return NULL;
    }
    return sb_done(&b);
}

/* ---- the text form -------------------------------------------------- */

/* "a, b, c, d, … (784)": up to four names of column c, joined. */
static char *names_cell(const netdraw_net *n, int c)
{
    netcol_names names = names_of(n);
    sb b = {0};
    int units = netcol_units(n->model, c), ok = 1;
    for (int u = 0; u < units && u < 4 && ok; u++) {
        char *name = netcol_name(n->model, &names, c, u);
        ok = name != NULL;
        sb_str(&b, u ? ", " : "");
        esc_put(&b, name, ESC_PLAIN, LABEL_MAX);
        free(name);
    }
    if (units > 4)
        sb_fmt(&b, ", \xE2\x80\xA6 (%d)", units);
    if (!ok) {
        sb_free(&b);
        return NULL;
    }
    return sb_done(&b);
}

/* Fills row (4 cells) of the layers table for column c; 0, or -1 on
 * OOM (the cells made are left for the caller to free). */
static int layer_row(const netdraw_net *n, int c, char **row)
{
    nn_model *m = n->model;
    char role[32];
    netcol_role(m, c, 0, role);
    row[0] = strdup(role);
    row[1] = sb_printf("%d", netcol_units(m, c));
    sb a = {0};
    netcol_put_activation(&a, m, c);
    row[2] = sb_done(&a);
    int named = c == 0 || c == netcol_count(m) - 1;
    row[3] = named ? names_cell(n, c) : strdup("");
    return row[0] && row[1] && row[2] && row[3] ? 0 : -1;
}

/* The table of layers: layer, neurons, activation, names. */
static char *layers_table(const netdraw_net *n)
{
    int cols = netcol_count(n->model), ok = 1;
    static const char *const head[] = { "layer", "neurons", "activation",
                                        "names" };
    char **cells = calloc((size_t)cols * 4, sizeof *cells);
    if (!cells)
        return NULL;
    for (int c = 0; c < cols && ok; c++)
        ok = layer_row(n, c, cells + 4 * c) == 0;
    char *t = ok ? table_text(head, (const char *const *)cells, cols, 4)
                 : NULL;
    for (int i = 0; i < cols * 4; i++)
        free(cells[i]);
    free(cells);
    return t;
}

#define TOP_WEIGHTS 3   /* per layer, in the text form */

/* The indices of the (at most) TOP_WEIGHTS largest finite |w[i]| of
 * w[0..count), largest first; returns how many. */
static int top_weights(const float *w, size_t count, size_t best[])
{
    int nb = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(w[i]))
            continue;
        int p = nb < TOP_WEIGHTS ? nb++ : TOP_WEIGHTS;
        while (p > 0 && fabsf(w[best[p - 1]]) < fabsf(w[i])) {
            if (p < TOP_WEIGHTS)
                best[p] = best[p - 1];
            p--;
        }
        if (p < TOP_WEIGHTS)
            best[p] = i;
    }
    return nb;
}

/* The largest weights of each linear layer: from, to, weight. */
static char *weights_table(const netdraw_net *n)
{
    nn_model *m = n->model;
    netcol_names names = names_of(n);
    int cols = netcol_count(m), rows = 0, ok = 1;
    const char *const head[] = { "from", "to",
                                 n->quantity ? n->quantity : "weight" };
    char **cells = calloc((size_t)(cols - 1) * TOP_WEIGHTS * 3 + 1,
                          sizeof *cells);
    if (!cells)
        return NULL;
    for (int c = 1; c < cols && ok; c++) {
        int in = netcol_units(m, c - 1);
        const float *w = netcol_weights(m, c);
        size_t best[TOP_WEIGHTS];
        int nb = top_weights(w, (size_t)in * netcol_units(m, c), best);
        for (int k = 0; k < nb && ok; k++, rows++) {
            char **row = cells + 3 * rows;
            size_t from = best[k] % (size_t)in, to = best[k] / (size_t)in;
            row[0] = netcol_name(m, &names, c - 1, (int)from);
            row[1] = netcol_name(m, &names, c, (int)to);
            row[2] = sb_printf("%+.3g", w[best[k]]);
            ok = row[0] && row[1] && row[2];
        }
    }
    char *t = ok ? table_text(head, (const char *const *)cells, rows, 3)
                 : NULL;
    for (int i = 0; i < rows * 3; i++)
        free(cells[i]);
    free(cells);
    return t;
}

char *netdraw_text(const netdraw_net *n)
{
    assert(n && n->model);
    if (convdraw_wants(n->model))
        return convdraw_text(n->model, n->note, n->quantity);
    char *layers = layers_table(n);
    char *weights = netcol_count(n->model) > 1 ? weights_table(n) : NULL;
    sb b = {0};
    put_title(&b, n, ESC_PLAIN);
    sb_fmt(&b, "\n%s", layers ? layers : "");
    if (weights)
        sb_fmt(&b, "\nlargest %s\n%s", n->quantity ? n->quantity
                                                : "weights", weights);
    int ok = layers && (weights || netcol_count(n->model) == 1);
    free(layers);
    free(weights);
    if (!ok) {
        sb_free(&b);
        return NULL;
    }
    return sb_done(&b);
}
