/* netlayout: rows are spread so that the tallest column fills the
 * diagram's height; the outputs' heatmaps, the picture the others add up
 * to, may take two rows. Connections are collected column by column and,
 * when too many, each column's sorted by strength and cut. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "netlayout.h"

#define HEAD NETLAYOUT_HEAD
#define TOP 34              /* y of the top of the first row */
#define CHAR_PX 6.6         /* width of a character of 11 px sans-serif */

int netlayout_unit(const netlayout_col *c, int s)
{
    assert(c && s >= 0 && s < c->slots);
    if (c->units <= NETLAYOUT_SHOW || s < HEAD)
        return s;
    return s == HEAD ? -1 : c->units - (2 * HEAD + 1 - s);
}

double netlayout_y(const netlayout_col *c, int s)
{
    return c->y0 + s * c->pitch;
}

/* Neurons drawn in column c. */
static int shown(const netlayout_col *c)
{
    return c->slots - (c->units > NETLAYOUT_SHOW);
}

int netlayout_heat(const netlayout *l, int c)
{
    return l->heat && c > 0 && l->heat[c];
}

/* Characters of the longest name drawn in column c (at most
 * NETLAYOUT_LABEL + 1); sets *failed on OOM. */
static size_t widest_label(const netlayout *l, const netcol_names *names,
                           int c, int *failed)
{
    size_t widest = 0;
    for (int s = 0; s < l->col[c].slots; s++) {
        int u = netlayout_unit(&l->col[c], s);
        char *name = u >= 0 ? netcol_name(l->model, names, c, u) : NULL;
        *failed |= u >= 0 && !name;
        size_t w = name ? esc_put(NULL, name, ESC_PLAIN, NETLAYOUT_LABEL) : 0;
        widest = w > widest ? w : widest;
        free(name);
    }
    return widest;
}

/* Sizes the rows of every column, and the height they take. */
static void rows_make(netlayout *l)
{
    int rows = 0;
    for (int c = 0; c < l->ncol; c++) {
        netlayout_col *k = &l->col[c];
        k->units = netcol_units(l->model, c);
        k->slots = k->units <= NETLAYOUT_SHOW ? k->units : 2 * HEAD + 1;
        rows = k->slots > rows ? k->slots : rows;
    }
    /* rows grow apart in a short diagram; heatmaps fill 84% of a row, and
     * those of the outputs, the picture the others add up to, up to twice
     * that */
    double slot = fmax(l->heat ? 36 : 26, fmin(56, 240.0 / rows));
    int last = l->ncol - 1;
    for (int c = 0; c < l->ncol; c++) {
        netlayout_col *k = &l->col[c];
        int wide = netlayout_heat(l, c) && c == last && c > 0;
        k->pitch = wide ? fmin(2 * slot, rows * slot / k->slots) : slot;
        k->half = !netlayout_heat(l, c) ? 8 : fmin(wide ? 36 : 22,
                                                   0.42 * k->pitch);
        k->y0 = TOP + (rows * slot - k->slots * k->pitch) / 2 + k->pitch / 2;
    }
    l->bottom = TOP + rows * slot;
}

int netlayout_make(netlayout *l, const nn_model *m, const netcol_names *names,
                   const float *const *heat)
{
    assert(l && m && names);
    memset(l, 0, sizeof *l);
    l->model = m;
    l->ncol = netcol_count(m);
    l->col = calloc((size_t)l->ncol, sizeof *l->col);
    if (!l->col)
        return -1;
    l->heat = heat;
    rows_make(l);
    int failed = 0, last = l->ncol - 1;
    double left = 14 + widest_label(l, names, 0, &failed) * CHAR_PX + 6
                + l->col[0].half;
    double right = NETLAYOUT_WIDTH
                 - (14 + widest_label(l, names, last, &failed) * CHAR_PX + 6
                    + l->col[last].half);
    if (l->ncol == 1)
        left = right = NETLAYOUT_WIDTH / 2.0;
    l->spacing = l->ncol > 1 ? (right - left) / (l->ncol - 1)
                             : NETLAYOUT_WIDTH;
    for (int c = 0; c < l->ncol; c++)
        l->col[c].x = l->ncol == 1 ? left
                    : left + c * (right - left) / (l->ncol - 1);
    l->height = (int)ceil(l->bottom + 100 + 18 * (heat != NULL));
    return failed ? -1 : 0;
}

void netlayout_free(netlayout *l)
{
    assert(l);
    free(l->col);
    l->col = NULL;
}

double netlayout_max_abs(const float *v, size_t n)
{
    double top = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && fabs(v[i]) > top)
            top = fabs(v[i]);
    return top;
}

static int by_strength(const void *pa, const void *pb)
{
    const netlayout_edge *a = pa, *b = pb;
    return (a->r < b->r) - (a->r > b->r);
}

/* Appends to e (at *n) the connections into column c between drawn
 * neurons; returns how many. */
static long column_edges(const netlayout *l, int c, netlayout_edge *e,
                         long *n)
{
    const netlayout_col *a = &l->col[c - 1], *b = &l->col[c];
    const float *w = netcol_weights(l->model, c);
    double top = netlayout_max_abs(w, (size_t)a->units * b->units);
    long here = 0;
    for (int t = 0; t < b->slots; t++) {
        int j = netlayout_unit(b, t);
        for (int s = 0; j >= 0 && s < a->slots; s++) {
            int i = netlayout_unit(a, s);
            float v = i >= 0 ? w[(size_t)j * a->units + i] : NAN;
            if (!isfinite(v))
                continue;
            here++;
            e[(*n)++] = (netlayout_edge){
                (float)a->x, (float)netlayout_y(a, s), (float)b->x,
                (float)netlayout_y(b, t), v,
                top > 0 ? (float)(fabs(v) / top) : 0, c };
        }
    }
    return here;
}

netlayout_edge *netlayout_edges(const netlayout *l, netlayout_count *cnt)
{
    assert(l && cnt);
    memset(cnt, 0, sizeof *cnt);
    for (int c = 1; c < l->ncol; c++) {
        cnt->total += (long)l->col[c - 1].units * l->col[c].units;
        cnt->between += (long)shown(&l->col[c - 1]) * shown(&l->col[c]);
    }
    netlayout_edge *e = malloc((size_t)cnt->between * sizeof *e + 1);
    if (!e)
        return NULL;
    long n = 0;
    for (int c = 1; c < l->ncol; c++) {
        long first = n, here = column_edges(l, c, e, &n);
        if (cnt->between > NETLAYOUT_EDGES) {
            long keep = (long)NETLAYOUT_EDGES * here / cnt->between;
            keep = keep < 1 ? 1 : keep;
            qsort(e + first, (size_t)here, sizeof *e, by_strength);
            n = first + (keep < here ? keep : here);
        }
    }
    cnt->drawn = n;
    return e;
}
