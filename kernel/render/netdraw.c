/* netdraw: the diagram is laid out once (columns, rows, margins), then
 * written to a memory stream in layers: connections (weakest first, one
 * path per colour and width), nodes, labels, caption. Heatmaps are small
 * palette PNGs (stored, uncompressed: a few hundred bytes each) embedded
 * as data URIs, so the document stays one self-contained file. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdraw.h"
#include "plot.h"

#define WIDTH 700
#define HEAD 7              /* neurons kept at each end of a long layer */
#define LABEL_MAX 18        /* characters of a name shown */
#define CHAR_PX 6.6         /* width of a character of 11 px sans-serif */
#define TOP 34              /* y of the top of the first row */
#define POS_RGB 0x0877bd    /* weight > 0: TensorFlow Playground's blue */
#define NEG_RGB 0xf59322    /* weight < 0: its orange */
#define WHITE 0xffffff
#define LEVELS 8            /* line widths */
#define HEAT_LEVELS 16      /* heatmap colours on each side of the centre */

/* ---- the net's columns ------------------------------------------------ */

/* Index of the c-th linear layer (c >= 1), or -1. */
static int linear_of(const nn_model *m, int c)
{
    for (int i = 0, seen = 0; i < nn_model_n_layers(m); i++)
        if (nn_model_layer(m, i)->kind == NN_LINEAR && ++seen == c)
            return i;
    return -1;
}

int netdraw_columns(const nn_model *m)
{
    int c = 1;
    for (int i = 0; i < nn_model_n_layers(m); i++)
        c += nn_model_layer(m, i)->kind == NN_LINEAR;
    return c;
}

int netdraw_column_units(const nn_model *m, int c)
{
    return c == 0 ? nn_model_in(m) : nn_model_layer_out(m, linear_of(m, c));
}

/* The first layer after column c's linear layer (0 for the inputs). */
static int after_linear(const nn_model *m, int c)
{
    return c == 0 ? 0 : linear_of(m, c) + 1;
}

int netdraw_column_layer(const nn_model *m, int c)
{
    int last = c == 0 ? -1 : linear_of(m, c);
    for (int i = after_linear(m, c);
         i < nn_model_n_layers(m) && nn_model_layer(m, i)->kind != NN_LINEAR;
         i++)
        last = i;
    return last;
}

/* The kind of the value of column c's neurons, dropout aside (NN_LINEAR
 * when no activation follows, NN_IDENTITY for inputs left as they are). */
static nn_layer_kind column_kind(const nn_model *m, int c)
{
    for (int i = netdraw_column_layer(m, c); i >= after_linear(m, c); i--)
        if (nn_model_layer(m, i)->kind != NN_DROPOUT)
            return nn_model_layer(m, i)->kind;
    return c == 0 ? NN_IDENTITY : NN_LINEAR;
}

/* ---- text ----------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p, or 0 when there is none. */
static int utf8_len(const unsigned char *p)
{
    int n = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2
          : (p[0] & 0xF0) == 0xE0 ? 3 : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    unsigned cp = n > 1 ? (p[0] & (0x7F >> n)) : p[0];
    for (int i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3F);
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (n && (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
        return 0;
    return n;
}

/* Writes at most `max` characters of s (NULL reads as ""), then "…" when
 * it was longer: invalid UTF-8 as U+FFFD, control characters as spaces,
 * and with `xml` the characters XML reserves as entities. */
static void put_text(FILE *f, const char *s, size_t max, int xml)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (size_t k = 0; *p; k++) {
        if (k == max) {
            fputs("\xE2\x80\xA6", f);
            return;
        }
        int n = utf8_len(p);
        if (n == 0)
            fputs("\xEF\xBF\xBD", f);
        else if (*p < 0x20 || *p == 0x7F)
            fputc(' ', f);
        else if (xml && strchr("&<>\"'", *p))
            fprintf(f, "&#%d;", *p);
        else
            fwrite(p, 1, (size_t)n, f);
        p += n ? n : 1;
    }
}

/* Characters of s as put_text writes them, at most `max` + 1. */
static size_t text_len(const char *s, size_t max)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : "");
         *p && k <= max; k++)
        p += utf8_len(p) ? utf8_len(p) : 1;
    return k;
}

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

/* ---- names ---------------------------------------------------------- */

/* The name of output neuron j as a new string (NULL on OOM): its class,
 * "P(class)" for a single sigmoid output, else its number. */
static char *output_name(const netdraw_net *n, int c, int j)
{
    int out = netdraw_column_units(n->model, c);
    const char *const *k = n->classes;
    char *s = NULL;
    int rc;
    if (out == 1 && column_kind(n->model, c) == NN_SIGMOID)
        rc = asprintf(&s, "P(%s)", k && n->n_classes == 2 && k[1] ? k[1]
                                                                  : "1");
    else if (out == 1)
        rc = asprintf(&s, "out");
    else if (k && n->n_classes == out && k[j])
        rc = asprintf(&s, "%s", k[j]);
    else
        rc = asprintf(&s, "%d", j);
    return rc < 0 ? NULL : s;
}

/* The name of neuron u of column c as a new string (NULL on OOM): a
 * feature, "hidden 2 #5" (counted from 1), or an output's name. */
static char *neuron_name(const netdraw_net *n, int c, int u)
{
    char *s = NULL;
    int rc;
    if (c == netdraw_columns(n->model) - 1 && c > 0)
        return output_name(n, c, u);
    if (c == 0 && n->features && n->features[u])
        rc = asprintf(&s, "%s", n->features[u]);
    else if (c == 0)
        rc = asprintf(&s, "x%d", u + 1);
    else
        rc = asprintf(&s, "hidden %d #%d", c, u + 1);
    return rc < 0 ? NULL : s;
}

/* The role of column c: "input", "hidden 2" ("h2" when `brief`),
 * "output". */
static void column_role(const nn_model *m, int c, int brief, char buf[32])
{
    if (c == 0)
        snprintf(buf, 32, "input");
    else if (c == netdraw_columns(m) - 1)
        snprintf(buf, 32, "output");
    else
        snprintf(buf, 32, brief ? "h%d" : "hidden %d", c);
}

/* Writes the layers that make column c's value ("relu", "tanh, dropout(0.5)"),
 * or "linear" for a linear layer with none, or nothing for plain inputs. */
static void put_activation(FILE *f, const nn_model *m, int c)
{
    int first = after_linear(m, c), any = 0;
    for (int i = first; i <= netdraw_column_layer(m, c); i++) {
        char buf[48];
        nn_layer_format(nn_model_layer(m, i), buf, sizeof buf);
        fprintf(f, "%s%s", any++ ? ", " : "", buf);
    }
    if (!any && c > 0)
        fputs("linear", f);
}

/* The title: "2 → 16 → 1 net · 65 parameters · note". */
static void put_title(FILE *f, const netdraw_net *n, int xml)
{
    nn_model *m = n->model;
    char num[32];
    for (int c = 0; c < netdraw_columns(m); c++)
        fprintf(f, "%s%d", c ? " \xE2\x86\x92 " : "",
                netdraw_column_units(m, c));
    fprintf(f, " net \xC2\xB7 %s parameters",
            grouped((long)nn_model_n_params(m), num));
    if (n->note) {
        fputs(" \xC2\xB7 ", f);
        put_text(f, n->note, 200, xml);
    }
}

/* ---- memory streams ------------------------------------------------- */

typedef struct stream {
    FILE *f;
    char *buf;
    size_t len;
} stream;

static int stream_open(stream *s)
{
    s->buf = NULL;
    s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    return s->f ? 0 : -1;
}

/* The text written (the caller frees it), or NULL when a write failed.
 * `ok` = 0 discards it. */
static char *stream_close(stream *s, int ok)
{
    ok = ok && !ferror(s->f);
    if (fclose(s->f) != 0 || !ok) {
        free(s->buf);
        return NULL;
    }
    return s->buf;
}

/* ---- layout --------------------------------------------------------- */

typedef struct column {
    int units;
    int slots;       /* rows drawn: the neurons, or 2*HEAD + 1 with a gap */
    double x, y0;    /* centre of the first row */
    double pitch;    /* between rows */
    double half;     /* half the size of a node */
} column;

typedef struct layout {
    const netdraw_net *n;
    column *col;
    int ncol;
    int heat;        /* heatmaps drawn */
    double spacing;  /* between columns */
    double bottom;   /* y below the last row of the tallest column */
    int height;
} layout;

/* The neuron drawn in row s of column c, or -1 for the gap. */
static int slot_unit(const column *c, int s)
{
    if (c->units <= NETDRAW_SHOW || s < HEAD)
        return s;
    return s == HEAD ? -1 : c->units - (2 * HEAD + 1 - s);
}

static double slot_y(const column *c, int s)
{
    return c->y0 + s * c->pitch;
}

/* Neurons drawn in column c. */
static int shown(const column *c)
{
    return c->slots - (c->units > NETDRAW_SHOW);
}

/* Whether column c's nodes are heatmaps. */
static int heat_column(const layout *l, int c)
{
    return l->heat && c > 0 && l->n->heat[c];
}

/* Characters of the longest name drawn in column c (at most LABEL_MAX +
 * 1); sets *failed on OOM. */
static size_t widest_label(const netdraw_net *n, const layout *l, int c,
                           int *failed)
{
    size_t widest = 0;
    for (int s = 0; s < l->col[c].slots; s++) {
        int u = slot_unit(&l->col[c], s);
        char *name = u >= 0 ? neuron_name(n, c, u) : NULL;
        *failed |= u >= 0 && !name;
        size_t w = name ? text_len(name, LABEL_MAX) : 0;
        widest = w > widest ? w : widest;
        free(name);
    }
    return widest;
}

/* Lays the diagram out. Returns 0, or -1 on OOM. */
static int layout_make(layout *l, const netdraw_net *n)
{
    nn_model *m = n->model;
    memset(l, 0, sizeof *l);
    l->n = n;
    l->ncol = netdraw_columns(m);
    l->col = calloc((size_t)l->ncol, sizeof *l->col);
    if (!l->col)
        return -1;
    l->heat = n->heat && n->grid > 0 && n->grid <= NETDRAW_GRID_MAX
              && nn_model_in(m) == 2;
    int rows = 0, failed = 0;
    for (int c = 0; c < l->ncol; c++) {
        column *k = &l->col[c];
        k->units = netdraw_column_units(m, c);
        k->slots = k->units <= NETDRAW_SHOW ? k->units : 2 * HEAD + 1;
        rows = k->slots > rows ? k->slots : rows;
    }
    /* rows grow apart in a short diagram; heatmaps fill 84% of a row, and
     * those of the outputs, the picture the others add up to, up to twice
     * that */
    double slot = fmax(l->heat ? 36 : 26, fmin(56, 240.0 / rows));
    int last = l->ncol - 1;
    for (int c = 0; c < l->ncol; c++) {
        column *k = &l->col[c];
        int wide = heat_column(l, c) && c == last && c > 0;
        k->pitch = wide ? fmin(2 * slot, rows * slot / k->slots) : slot;
        k->half = !heat_column(l, c) ? 8 : fmin(wide ? 36 : 22,
                                                0.42 * k->pitch);
        k->y0 = TOP + (rows * slot - k->slots * k->pitch) / 2 + k->pitch / 2;
    }
    double left = 14 + widest_label(n, l, 0, &failed) * CHAR_PX + 6
                + l->col[0].half;
    double right = WIDTH - (14 + widest_label(n, l, last, &failed) * CHAR_PX
                            + 6 + l->col[last].half);
    if (l->ncol == 1)
        left = right = WIDTH / 2.0;
    l->spacing = l->ncol > 1 ? (right - left) / (l->ncol - 1) : WIDTH;
    for (int c = 0; c < l->ncol; c++)
        l->col[c].x = l->ncol == 1 ? left
                    : left + c * (right - left) / (l->ncol - 1);
    l->bottom = TOP + rows * slot;
    l->height = (int)ceil(l->bottom + 100 + 18 * l->heat);
    return failed ? -1 : 0;
}

/* ---- colours -------------------------------------------------------- */

/* a blended towards b by t in [0, 1]. */
static unsigned mix(unsigned a, unsigned b, double t)
{
    unsigned r = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double x = (a >> sh & 0xFF) * (1 - t) + (b >> sh & 0xFF) * t;
        r |= (unsigned)lround(x) << sh;
    }
    return r;
}

/* The colour of class c (plot.h's palette) as 0xRRGGBB. */
static unsigned class_rgb(int c)
{
    return (unsigned)strtoul(plot_class_color(c) + 1, NULL, 16);
}

/* Largest finite |v| of n values (0 when none). */
static double max_abs(const float *v, size_t n)
{
    double top = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && fabs(v[i]) > top)
            top = fabs(v[i]);
    return top;
}

/* ---- connections ---------------------------------------------------- */

typedef struct edge {
    float x1, y1, x2, y2;
    float w, r;      /* weight, |weight| / the layer's largest */
    int col;         /* the column it leads to */
} edge;

static int by_strength(const void *pa, const void *pb)
{
    const edge *a = pa, *b = pb;
    return (a->r < b->r) - (a->r > b->r);
}

/* The counts the caption reports. */
typedef struct edge_count {
    long total;      /* connections of the net */
    long between;    /* between drawn neurons */
    long drawn;
} edge_count;

/* Collects the connections between drawn neurons, keeping the strongest
 * of each layer when there are more than NETDRAW_EDGES. Returns the
 * array (NULL on OOM), its length in cnt->drawn. */
static edge *edges_collect(const layout *l, edge_count *cnt)
{
    nn_model *m = l->n->model;
    const float *params = nn_model_params(m);
    memset(cnt, 0, sizeof *cnt);
    for (int c = 1; c < l->ncol; c++) {
        cnt->total += (long)l->col[c - 1].units * l->col[c].units;
        cnt->between += (long)shown(&l->col[c - 1]) * shown(&l->col[c]);
    }
    edge *e = malloc((size_t)cnt->between * sizeof *e + 1);
    if (!e)
        return NULL;
    long n = 0;
    for (int c = 1; c < l->ncol; c++) {
        const column *a = &l->col[c - 1], *b = &l->col[c];
        int lin = linear_of(m, c);
        const float *w = params + nn_model_layer_offset(m, lin);
        double top = max_abs(w, (size_t)a->units * b->units);
        long first = n, here = 0;
        for (int t = 0; t < b->slots; t++) {
            int j = slot_unit(b, t);
            for (int s = 0; j >= 0 && s < a->slots; s++) {
                int i = slot_unit(a, s);
                float v = i >= 0 ? w[(size_t)j * a->units + i] : NAN;
                if (!isfinite(v))
                    continue;
                here++;
                e[n++] = (edge){ (float)a->x, (float)slot_y(a, s),
                                 (float)b->x, (float)slot_y(b, t), v,
                                 top > 0 ? (float)(fabs(v) / top) : 0, c };
            }
        }
        if (cnt->between > NETDRAW_EDGES) {
            long keep = (long)NETDRAW_EDGES * here / cnt->between;
            keep = keep < 1 ? 1 : keep;
            qsort(e + first, (size_t)here, sizeof *e, by_strength);
            n = first + (keep < here ? keep : here);
        }
    }
    cnt->drawn = n;
    return e;
}

static int level_of(float r)
{
    int k = (int)lround(r * (LEVELS - 1));
    return k < 0 ? 0 : k >= LEVELS ? LEVELS - 1 : k;
}

/* The lines into each column, one path per sign and width, the weakest
 * first so that strong lines lie on top. The widest line is thinner where
 * lines are dense: 4 px for a few, 1.5 px for a few hundred. */
static void put_edges(FILE *f, const edge *e, long n)
{
    for (long first = 0, end; first < n; first = end) {
        for (end = first; end < n && e[end].col == e[first].col;)
            end++;
        double widest = fmax(1.5, fmin(4, 4 * sqrt(24.0 / (end - first))));
        for (int lv = 0; lv < LEVELS; lv++)
            for (int neg = 0; neg < 2; neg++) {
                int open = 0;
                double t = (double)lv / (LEVELS - 1);
                for (long i = first; i < end; i++) {
                    if (level_of(e[i].r) != lv || (e[i].w < 0) != neg)
                        continue;
                    if (!open++)
                        fprintf(f, "<path fill=\"none\" stroke=\"#%06x\" "
                                   "stroke-width=\"%g\" stroke-opacity=\"%g\" "
                                   "d=\"", neg ? NEG_RGB : POS_RGB,
                                round(100 * (0.4 + (widest - 0.4) * t)) / 100,
                                round(100 * (0.25 + 0.75 * t)) / 100);
                    fprintf(f, "M%g %gL%g %g", px(e[i].x1), px(e[i].y1),
                            px(e[i].x2), px(e[i].y2));
                }
                if (open)
                    fputs("\"/>\n", f);
            }
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
static heat_scale heat_scale_of(const layout *l, int c, int u,
                                const float *v, size_t count)
{
    nn_model *m = l->n->model;
    nn_layer_kind k = column_kind(m, c);
    heat_scale h = { 0, 1, NEG_RGB, POS_RGB };
    int output = c == l->ncol - 1;
    if (k == NN_SIGMOID || (k == NN_SOFTMAX && !output))
        h.centre = h.half = 0.5;
    else if (k != NN_TANH && k != NN_SOFTMAX)
        h.half = max_abs(v, count);
    if (output && l->col[c].units == 1) {
        h.low = class_rgb(0);      /* below the centre: class 0 */
        h.high = class_rgb(1);
    } else if (output) {
        h.low = class_rgb(-1);
        h.high = class_rgb(u);
    }
    if (!(h.half > 0))
        h.half = 1;
    return h;
}

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

/* A g x g palette PNG of v (v[j*g + i], j counted up) coloured by h, as a
 * base64 string (malloc'd; NULL on OOM). g is at most NETDRAW_GRID_MAX, so
 * that the pixels fit one stored deflate block. */
static char *heat_png(const float *v, int g, const heat_scale *h)
{
    enum { N = 2 * HEAT_LEVELS + 1 };
    size_t raw = (size_t)g * (g + 1);
    unsigned char *img = malloc(raw + 11);         /* zlib stream */
    unsigned char *out = malloc(raw + 11 + 3 * N + 13 + 4 * 12 + 8);
    char *b64 = NULL;
    if (img && out) {
        unsigned char *z = img;
        *z++ = 0x78;                               /* deflate, 32K window */
        *z++ = 0x01;
        *z++ = 0x01;                               /* one stored block */
        *z++ = (unsigned char)(raw & 0xFF);
        *z++ = (unsigned char)(raw >> 8);
        *z++ = (unsigned char)(~raw & 0xFF);
        *z++ = (unsigned char)(~raw >> 8 & 0xFF);
        uint32_t a = 1, b = 0;
        for (int y = 0; y < g; y++)
            for (int x = -1; x < g; x++) {
                int k = 0;                          /* filter: none */
                if (x >= 0) {
                    double t = (v[(size_t)(g - 1 - y) * g + x] - h->centre)
                               / h->half;
                    t = isfinite(t) ? fmax(-1, fmin(1, t)) : 0;
                    k = HEAT_LEVELS + (int)lround(t * HEAT_LEVELS);
                }
                *z++ = (unsigned char)k;
                a = (a + (uint32_t)k) % 65521;
                b = (b + a) % 65521;
            }
        bytes zb = { img, (size_t)(z - img) };
        put_be32(&zb, b << 16 | a);
        unsigned char ihdr[13] = { 0, 0, 0, (unsigned char)g, 0, 0, 0,
                                   (unsigned char)g, 8, 3, 0, 0, 0 };
        unsigned char plte[3 * N];
        for (int k = 0; k < N; k++) {
            double t = (double)(k - HEAT_LEVELS) / HEAT_LEVELS;
            unsigned rgb = mix(WHITE, t < 0 ? h->low : h->high, fabs(t));
            plte[3 * k] = (unsigned char)(rgb >> 16);
            plte[3 * k + 1] = (unsigned char)(rgb >> 8);
            plte[3 * k + 2] = (unsigned char)rgb;
        }
        bytes png = { out, 0 };
        memcpy(out, "\x89PNG\r\n\x1a\n", 8);
        png.n = 8;
        put_chunk(&png, "IHDR", ihdr, sizeof ihdr);
        put_chunk(&png, "PLTE", plte, sizeof plte);
        put_chunk(&png, "IDAT", img, zb.n);
        put_chunk(&png, "IEND", NULL, 0);
        b64 = plot_base64(out, png.n);
    }
    free(img);
    free(out);
    return b64;
}

/* ---- the SVG -------------------------------------------------------- */

/* A node of column c at row s drawn as a heatmap of neuron u. Returns -1
 * on OOM. */
static int put_heat_node(FILE *f, const layout *l, int c, int s, int u)
{
    int g = l->n->grid;
    size_t cells = (size_t)g * g;
    const float *v = l->n->heat[c] + u * cells;
    heat_scale h = heat_scale_of(l, c, u, v, cells);
    char *b64 = heat_png(v, g, &h);
    if (!b64)
        return -1;
    const column *k = &l->col[c];
    double x = px(k->x - k->half), y = px(slot_y(k, s) - k->half);
    fprintf(f, "<image x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" "
               "preserveAspectRatio=\"none\" xlink:href=\"data:image/png;"
               "base64,%s\"/><rect x=\"%g\" y=\"%g\" width=\"%g\" "
               "height=\"%g\" fill=\"none\" stroke=\"#555\"/>\n", x, y,
            2 * k->half, 2 * k->half, b64, x, y, 2 * k->half, 2 * k->half);
    free(b64);
    return 0;
}

/* A node of column c at row s as a circle filled with the colour of its
 * bias (white for inputs). */
static void put_circle(FILE *f, const layout *l, int c, int s, int u)
{
    nn_model *m = l->n->model;
    const column *k = &l->col[c];
    unsigned fill = WHITE;
    if (c > 0) {
        int lin = linear_of(m, c);
        const float *bias = nn_model_params(m) + nn_model_layer_offset(m, lin)
                          + (size_t)k->units * l->col[c - 1].units;
        double top = max_abs(bias, (size_t)k->units), b = bias[u];
        if (top > 0 && isfinite(b))
            fill = mix(WHITE, b < 0 ? NEG_RGB : POS_RGB, 0.85 * fabs(b) / top);
    }
    fprintf(f, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"#%06x\"/>\n",
            px(k->x), px(slot_y(k, s)), k->half, fill);
}

/* Nodes, the gap of each long column, and the names beside the input
 * and output columns. Returns -1 on OOM. */
static int put_nodes(FILE *f, const layout *l)
{
    const netdraw_net *n = l->n;
    char num[32];
    fputs("<g stroke=\"#555\" stroke-width=\"1.2\">\n", f);
    for (int c = 0; c < l->ncol; c++)
        for (int s = 0; s < l->col[c].slots; s++) {
            int u = slot_unit(&l->col[c], s);
            if (u < 0)
                continue;
            if (heat_column(l, c)) {
                if (put_heat_node(f, l, c, s, u) < 0)
                    return -1;
            } else {
                put_circle(f, l, c, s, u);
            }
        }
    fputs("</g>\n<g fill=\"#444\" font-size=\"10\" text-anchor=\"middle\" "
          "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\n", f);
    for (int c = 0; c < l->ncol; c++) {
        const column *k = &l->col[c];
        if (k->units > NETDRAW_SHOW)
            fprintf(f, "<text x=\"%g\" y=\"%g\">\xE2\x80\xA6 %s more</text>\n",
                    px(k->x), px(slot_y(k, HEAD) + 4),
                    grouped(k->units - 2 * HEAD, num));
    }
    fputs("</g>\n<g fill=\"#222\">\n", f);
    for (int side = 0; side < 2 && l->ncol > 1; side++) {
        int c = side ? l->ncol - 1 : 0;
        const column *k = &l->col[c];
        for (int s = 0; s < k->slots; s++) {
            int u = slot_unit(k, s);
            char *name = u >= 0 ? neuron_name(n, c, u) : NULL;
            if (u >= 0 && !name)
                return -1;
            if (!name)
                continue;
            fprintf(f, "<text x=\"%g\" y=\"%g\"%s>", px(k->x + (side ? 1 : -1)
                    * (k->half + 5)), px(slot_y(k, s) + 4),
                    side ? "" : " text-anchor=\"end\"");
            put_text(f, name, LABEL_MAX, 1);
            fputs("</text>\n", f);
            free(name);
        }
    }
    fputs("</g>\n", f);
    return 0;
}

/* Under each column: its role, its size and its activation; briefly
 * where columns are close. */
static void put_column_labels(FILE *f, const layout *l)
{
    nn_model *m = l->n->model;
    char role[32], num[32];
    int brief = l->spacing < 76;
    fputs("<g fill=\"#444\" text-anchor=\"middle\">\n", f);
    for (int c = 0; c < l->ncol; c++) {
        const column *k = &l->col[c];
        double x = px(k->x), y = l->bottom + 18;
        column_role(m, c, brief, role);
        fprintf(f, "<text x=\"%g\" y=\"%g\" fill=\"#222\" font-weight=\"bold\""
                   ">%s</text>\n<text x=\"%g\" y=\"%g\">%s", x, y, role, x,
                y + 15, grouped(k->units, num));
        if (!brief)
            fprintf(f, " %s%s", c == 0 ? "feature" : "neuron",
                    k->units == 1 ? "" : "s");
        fprintf(f, "</text>\n<text x=\"%g\" y=\"%g\" font-style=\"italic\">",
                x, y + 30);
        put_activation(f, m, c);
        fputs("</text>\n", f);
    }
    fputs("</g>\n", f);
}

/* The key to colours and widths, what was left out, and the heatmaps. */
static void put_caption(FILE *f, const layout *l, const edge_count *cnt)
{
    char a[32], b[32];
    double y = l->bottom + 68;
    fprintf(f, "<g fill=\"#444\">\n<path stroke=\"#%06x\" stroke-width=\"3\" "
               "d=\"M12 %gh24\"/><text x=\"42\" y=\"%g\">weight &gt; 0</text>"
               "\n<path stroke=\"#%06x\" stroke-width=\"3\" d=\"M122 %gh24\"/>"
               "<text x=\"152\" y=\"%g\">weight &lt; 0</text>\n<text x=\"232\""
               " y=\"%g\">width: |weight| relative to the layer&#39;s largest"
               "%s</text>\n", POS_RGB, y, y + 4, NEG_RGB, y, y + 4, y + 4,
            l->heat ? "" : "; fill: bias");
    y += 18;
    if (cnt->drawn == cnt->total)
        fprintf(f, "<text x=\"12\" y=\"%g\">%s connection%s, all drawn"
                   "</text>\n", y + 4, grouped(cnt->total, a),
                cnt->total == 1 ? "" : "s");
    else
        fprintf(f, "<text x=\"12\" y=\"%g\">connections thinned: %s of %s "
                   "drawn (%s)</text>\n", y + 4, grouped(cnt->drawn, a),
                grouped(cnt->total, b), cnt->drawn < cnt->between
                ? "the strongest of each layer between the neurons shown"
                : "those between the neurons shown");
    if (l->heat) {
        const char *const *ft = l->n->features;
        fprintf(f, "<text x=\"12\" y=\"%g\">squares: each neuron&#39;s output "
                   "over the input plane (", y + 22);
        put_text(f, ft ? ft[0] : "x1", LABEL_MAX, 1);
        fputs(" across, ", f);
        put_text(f, ft ? ft[1] : "x2", LABEL_MAX, 1);
        fputs(" up); outputs in their class colours</text>\n", f);
    }
    fputs("</g>\n", f);
}

char *netdraw_svg(const netdraw_net *n)
{
    layout l;
    stream s;
    if (layout_make(&l, n) < 0 || stream_open(&s) < 0) {
        free(l.col);
        return NULL;
    }
    edge_count cnt;
    edge *e = edges_collect(&l, &cnt);
    FILE *f = s.f;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" "
               "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\""
               " font-size=\"11\">\n<rect width=\"%d\" height=\"%d\" "
               "fill=\"#fff\"/>\n<text x=\"10\" y=\"18\" font-size=\"13\" "
               "font-weight=\"bold\" fill=\"#222\">", WIDTH, l.height, WIDTH,
            l.height, WIDTH, l.height);
    put_title(f, n, 1);
    fputs("</text>\n", f);
    int ok = e != NULL;
    if (ok) {
        put_edges(f, e, cnt.drawn);
        ok = put_nodes(f, &l) == 0;
        put_column_labels(f, &l);
        put_caption(f, &l, &cnt);
    }
    fputs("</svg>\n", f);
    free(e);
    free(l.col);
    return stream_close(&s, ok);
}

/* ---- the text form ---------------------------------------------------- */

/* "a, b, c, d, … (784)": up to four names of column c, joined. */
static char *names_cell(const netdraw_net *n, int c)
{
    stream s;
    if (stream_open(&s) < 0)
        return NULL;
    int units = netdraw_column_units(n->model, c), ok = 1;
    for (int u = 0; u < units && u < 4 && ok; u++) {
        char *name = neuron_name(n, c, u);
        ok = name != NULL;
        fputs(u ? ", " : "", s.f);
        put_text(s.f, name, LABEL_MAX, 0);
        free(name);
    }
    if (units > 4)
        fprintf(s.f, ", \xE2\x80\xA6 (%d)", units);
    return stream_close(&s, ok);
}

/* The table of layers: layer, neurons, activation, names. */
static char *layers_table(const netdraw_net *n)
{
    nn_model *m = n->model;
    int cols = netdraw_columns(m), ok = 1;
    static const char *const head[] = { "layer", "neurons", "activation",
                                        "names" };
    char **cells = calloc((size_t)cols * 4, sizeof *cells);
    if (!cells)
        return NULL;
    for (int c = 0; c < cols && ok; c++) {
        char role[32], **row = cells + 4 * c;
        stream s;
        column_role(m, c, 0, role);
        row[0] = strdup(role);
        ok = row[0]
             && asprintf(&row[1], "%d", netdraw_column_units(m, c)) >= 0;
        if (!ok)
            row[1] = NULL;
        if (ok && (ok = stream_open(&s) == 0)) {
            put_activation(s.f, m, c);
            ok = (row[2] = stream_close(&s, 1)) != NULL;
        }
        int named = c == 0 || c == cols - 1;
        ok = ok && (row[3] = named ? names_cell(n, c) : strdup(""));
    }
    char *t = ok ? plot_table_text(head, (const char *const *)cells, cols, 4)
                 : NULL;
    for (int i = 0; i < cols * 4; i++)
        free(cells[i]);
    free(cells);
    return t;
}

#define TOP_WEIGHTS 3   /* per layer, in the text form */

/* The largest weights of each linear layer: from, to, weight. */
static char *weights_table(const netdraw_net *n)
{
    nn_model *m = n->model;
    int cols = netdraw_columns(m), rows = 0, ok = 1;
    static const char *const head[] = { "from", "to", "weight" };
    char **cells = calloc((size_t)(cols - 1) * TOP_WEIGHTS * 3 + 1,
                          sizeof *cells);
    if (!cells)
        return NULL;
    for (int c = 1; c < cols && ok; c++) {
        int in = netdraw_column_units(m, c - 1);
        size_t count = (size_t)in * netdraw_column_units(m, c);
        const float *w = nn_model_params(m)
                       + nn_model_layer_offset(m, linear_of(m, c));
        size_t best[TOP_WEIGHTS];
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
        for (int k = 0; k < nb && ok; k++, rows++) {
            char **row = cells + 3 * rows;
            row[0] = neuron_name(n, c - 1, (int)(best[k] % (size_t)in));
            row[1] = neuron_name(n, c, (int)(best[k] / (size_t)in));
            ok = row[0] && row[1]
                 && asprintf(&row[2], "%+.3g", w[best[k]]) >= 0;
            if (!ok)
                row[2] = NULL;
        }
    }
    char *t = ok ? plot_table_text(head, (const char *const *)cells, rows, 3)
                 : NULL;
    for (int i = 0; i < rows * 3; i++)
        free(cells[i]);
    free(cells);
    return t;
}

char *netdraw_text(const netdraw_net *n)
{
    stream s;
    if (stream_open(&s) < 0)
        return NULL;
    char *layers = layers_table(n);
    char *weights = netdraw_columns(n->model) > 1 ? weights_table(n) : NULL;
    put_title(s.f, n, 0);
    fprintf(s.f, "\n%s", layers ? layers : "");
    if (weights)
        fprintf(s.f, "\nlargest weights\n%s", weights);
    int ok = layers && (weights || netdraw_columns(n->model) == 1);
    free(layers);
    free(weights);
    return stream_close(&s, ok);
}
