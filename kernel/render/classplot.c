/* classplot: the SVG is a frame of svg.h with, for a boundary, the grid
 * as tinted rectangles (runs of equal cells in a row merged, one path per
 * colour and opacity) under the points (one group per class); the text
 * form is a fixed-size character map. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "classplot.h"
#include "esc.h"
#include "palette.h"
#include "sb.h"
#include "svg.h"

#define CLASS_PW 400   /* plot area */
#define CLASS_PH 360
#define LEVELS 6       /* cell opacities, from unsure to sure */

static double level_alpha(int l)
{
    return 0.08 + 0.32 * l / (LEVELS - 1);
}

/* Which (class, opacity level) a cell is drawn with; -1 for no class. */
static long cell_key(const int *grid, const float *conf, size_t i, int k)
{
    int c = grid[i];
    if (c < 0 || c >= k)
        return -1;
    int l = LEVELS - 1;
    if (conf) {
        double t = k > 1 ? ((double)conf[i] - 1.0 / k) / (1 - 1.0 / k) : 1;
        l = t > 0 ? (int)lround(fmin(t, 1) * (LEVELS - 1)) : 0;
    }
    return (long)c * LEVELS + l;
}

typedef struct run {
    long key;
    int row, start, len;
} run;

static int run_cmp(const void *pa, const void *pb)
{
    const run *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return (a->start > b->start) - (a->start < b->start);
}

/* The grid as tinted cells: runs of equal cells in a row become one
 * rectangle, and all rectangles of one colour and opacity one path, in
 * grid units scaled onto the frame. */
static void cells(sb *b, const svg_frame *f, const int *grid,
                  const float *conf, int gw, int gh, double x0, double x1,
                  double y0, double y1, int k)
{
    run *runs = NULL;
    if ((size_t)gw <= SIZE_MAX / sizeof *runs / (size_t)gh)
        runs = malloc((size_t)gw * (size_t)gh * sizeof *runs);
    if (!runs) {
        b->failed = 1;
        return;
    }
    size_t nr = 0;
    for (int j = 0; j < gh; j++) {
        size_t row = (size_t)j * (size_t)gw;
        for (int i = 0; i < gw;) {
            long key = cell_key(grid, conf, row + (size_t)i, k);
            int s = i;
            while (i < gw && cell_key(grid, conf, row + (size_t)i, k) == key)
                i++;
            if (key >= 0)
                runs[nr++] = (run){key, j, s, i - s};
        }
    }
    qsort(runs, nr, sizeof *runs, run_cmp);
    sb_fmt(b, "<g transform=\"translate(%.6g %.6g) scale(%.6g %.6g)\" "
              "shape-rendering=\"crispEdges\">\n",
           svg_fx(f, x0), svg_fy(f, y0), (svg_fx(f, x1) - svg_fx(f, x0)) / gw,
           (svg_fy(f, y1) - svg_fy(f, y0)) / gh);
    for (size_t r = 0; r < nr; r++) {
        if (r == 0 || runs[r].key != runs[r - 1].key)
            sb_fmt(b, "<path fill=\"%s\" fill-opacity=\"%.3g\" d=\"",
                   palette_class((int)(runs[r].key / LEVELS)),
                   level_alpha((int)(runs[r].key % LEVELS)));
        sb_fmt(b, "M%d %dh%dv1h-%dz", runs[r].start, runs[r].row,
               runs[r].len, runs[r].len);
        if (r + 1 == nr || runs[r + 1].key != runs[r].key)
            sb_str(b, "\"/>\n");
    }
    sb_str(b, "</g>\n");
    free(runs);
}

/* Point i's class for colouring: its label when in 0..k-1, else -1. */
static int point_class(const int *label, int i, int k)
{
    int c = label ? label[i] : 0;
    return c >= 0 && c < k ? c : -1;
}

/* The points, one group per class so that colour and outline are written
 * once per class; points outside every class are grey. */
#define MAX_DOTS 2000 /* more points are thinned: every stride-th is drawn */

static int dot_stride(int n)
{
    return n > MAX_DOTS ? (n + MAX_DOTS - 1) / MAX_DOTS : 1;
}

static void points(sb *b, const svg_frame *f, const float *px, const float *py,
                   const int *label, int n, int k)
{
    int stride = dot_stride(n);
    for (int c = -1; c < k; c++) {
        int open = 0;
        for (int i = 0; i < n; i += stride) {
            if (point_class(label, i, k) != c || !isfinite(px[i])
                || !isfinite(py[i]))
                continue;
            if (!open) {
                sb_fmt(b, "<g fill=\"%s\" stroke=\"#fff\" "
                          "stroke-width=\"0.8\">", palette_class(c));
                open = 1;
            }
            sb_str(b, "<circle cx=\"");
            sb_num(b, svg_fx(f, px[i]));
            sb_str(b, "\" cy=\"");
            sb_num(b, svg_fy(f, py[i]));
            sb_str(b, "\" r=\"3.5\"/>");
        }
        if (open)
            sb_str(b, "</g>\n");
    }
}

/* Scatter plot, with the tinted grid under the points when g is not
 * NULL: the axes then span the grid exactly (and any point beyond it)
 * instead of the points with a margin. */
static char *class_plot(const classplot_points *p, const classplot_grid *g)
{
    sb b = {0};
    int n = p->px && p->py && p->n > 0 ? p->n : 0;
    int k = p->k > 0 ? p->k : 0;
    int tinted = g && g->cls && g->gw > 0 && g->gh > 0 && isfinite(g->x0)
                 && isfinite(g->x1) && isfinite(g->y0) && isfinite(g->y1)
                 && g->x0 != g->x1 && g->y0 != g->y1;
    double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
    if (tinted) {
        xl = fmin(g->x0, g->x1);
        xh = fmax(g->x0, g->x1);
        yl = fmin(g->y0, g->y1);
        yh = fmax(g->y0, g->y1);
    }
    axis_extend(p->px, n, &xl, &xh);
    axis_extend(p->py, n, &yl, &yh);
    svg_frame f;
    axis_fit(&f.ax, xl, xh, tinted ? 0 : 0.05, 7);
    axis_fit(&f.ay, yl, yh, tinted ? 0 : 0.05, 7);
    int top = p->title && *p->title ? 34 : 14;
    svg_frame_place(&f, 0, top, CLASS_PH + 44, 0);
    f.w = CLASS_PW;
    size_t widest = 0;
    for (int c = 0; p->label && c < k; c++) {
        size_t w = palette_put_name(NULL, p->class_names, c, ESC_PLAIN);
        widest = w > widest ? w : widest;
    }
    double legend_x = f.x + f.w + 20;
    int w = (int)ceil(p->label && k
                      ? legend_x + 15 + svg_glyphs_px(widest, 11) + 12
                      : f.x + f.w + 16);
    if (p->title && w < 20 + svg_glyphs_px(strlen(p->title), 13))
        w = (int)ceil(20 + svg_glyphs_px(strlen(p->title), 13));
    int h = top + CLASS_PH + 44;
    if (p->label && top + 18 * k + 10 > h)
        h = top + 18 * k + 10;
    svg_open(&b, w, h);
    svg_title(&b, p->title, 20);
    svg_frame_grid(&b, &f);
    if (tinted)
        cells(&b, &f, g->cls, g->conf, g->gw, g->gh, g->x0, g->x1, g->y0,
              g->y1, k);
    points(&b, &f, p->px, p->py, p->label, n, k);
    svg_frame_axes(&b, &f, p->xlabel, p->ylabel);
    if (dot_stride(n) > 1) {
        sb_str(&b, "<text fill=\"#555\" text-anchor=\"end\" x=\"");
        sb_num(&b, f.x + f.w);
        sb_str(&b, "\" y=\"");
        sb_num(&b, f.y + f.h + 36);
        sb_fmt(&b, "\">1 in %d of %d points shown</text>\n", dot_stride(n),
               n);
    }
    if (p->label)
        svg_class_legend(&b, legend_x, f.y + 6, k, p->class_names);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}

char *classplot_boundary_svg(const classplot_points *p,
                             const classplot_grid *g)
{
    assert(p);
    return class_plot(p, g);
}

char *classplot_scatter_svg(const classplot_points *p)
{
    assert(p);
    return class_plot(p, NULL);
}

#define MAP_W 48
#define MAP_H 16

/* The symbol of class c in text maps. */
static char class_symbol(int c)
{
    static const char sym[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    return c >= 0 && c < (int)sizeof sym - 1 ? sym[c] : '+';
}

/* Where x falls among `cells` equal parts of [lo, hi] (hi may be < lo);
 * -1 outside. */
static int cell_of(double x, double lo, double hi, int cells)
{
    double t = (x - lo) / (hi - lo);
    if (!(t >= 0 && t <= 1))
        return -1;
    int i = (int)(t * cells);
    return i < cells ? i : cells - 1;
}

/* Writes a map of MAP_W x MAP_H symbols (row 0 at the top) framed by the
 * axis ranges, then the legend of the k classes. */
static void text_map(sb *b, const classplot_points *p, const char *map,
                     double x0, double x1, double y0, double y1)
{
    if (p->title) {
        esc_put(b, p->title, ESC_PLAIN, SIZE_MAX);
        sb_str(b, "\n");
    }
    esc_put(b, p->ylabel, ESC_PLAIN, SIZE_MAX);
    sb_fmt(b, " from %.3g (bottom) to %.3g (top), ", y0, y1);
    esc_put(b, p->xlabel, ESC_PLAIN, SIZE_MAX);
    sb_fmt(b, " from %.3g (left) to %.3g (right)\n", x0, x1);
    sb_str(b, "+");
    for (int i = 0; i < MAP_W; i++)
        sb_str(b, "-");
    sb_str(b, "+\n");
    for (int r = 0; r < MAP_H; r++) {
        sb_str(b, "|");
        sb_put(b, map + r * MAP_W, MAP_W);
        sb_str(b, "|\n");
    }
    sb_str(b, "+");
    for (int i = 0; i < MAP_W; i++)
        sb_str(b, "-");
    sb_str(b, "+\n");
    for (int c = 0; c < p->k; c++) {
        sb_fmt(b, "%s%c ", c ? ", " : "", class_symbol(c));
        palette_put_name(b, p->class_names, c, ESC_PLAIN);
    }
    if (p->k > 0)
        sb_str(b, "\n");
}

/* Marks the points on map (spanning x0..x1, y0..y1); returns how many
 * were placed. */
static int map_points(char *map, const classplot_points *p, double x0,
                      double x1, double y0, double y1)
{
    int placed = 0;
    for (int i = 0; p->px && p->py && i < p->n; i++) {
        int cx = cell_of(p->px[i], x0, x1, MAP_W);
        int cy = cell_of(p->py[i], y0, y1, MAP_H);
        if (cx < 0 || cy < 0)
            continue;
        char *m = map + (MAP_H - 1 - cy) * MAP_W + cx;
        char s = class_symbol(point_class(p->label, i, p->k));
        *m = *m == ' ' || *m == s ? s : '*';
        placed++;
    }
    return placed;
}

char *classplot_scatter_text(const classplot_points *p)
{
    assert(p);
    sb b = {0};
    char map[MAP_W * MAP_H];
    memset(map, ' ', sizeof map);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    axis_extend(p->px, p->n, &x0, &x1);
    axis_extend(p->py, p->n, &y0, &y1);
    if (x0 <= x1 && y0 <= y1)
        map_points(map, p, x0, x1 > x0 ? x1 : x0 + 1, y0,
                   y1 > y0 ? y1 : y0 + 1);
    else
        x0 = x1 = y0 = y1 = 0;
    text_map(&b, p, map, x0, x1, y0, y1);
    return sb_done(&b);
}

char *classplot_boundary_text(const classplot_points *p,
                              const classplot_grid *g)
{
    assert(p && g && g->cls && g->gw >= 1 && g->gh >= 1);
    sb b = {0};
    char map[MAP_W * MAP_H];
    for (int r = 0; r < MAP_H; r++)
        for (int c = 0; c < MAP_W; c++) {
            int i = (int)((c + 0.5) * g->gw / MAP_W);
            int j = (int)((MAP_H - 1 - r + 0.5) * g->gh / MAP_H);
            int k = g->cls[(size_t)j * (size_t)g->gw + (size_t)i];
            map[r * MAP_W + c] = k >= 0 && k < p->k ? class_symbol(k) : ' ';
        }
    text_map(&b, p, map, g->x0, g->x1, g->y0, g->y1);
    int inside = 0, own = 0;
    for (int n = 0; p->px && p->py && n < p->n; n++) {
        int i = cell_of(p->px[n], g->x0, g->x1, g->gw);
        int j = cell_of(p->py[n], g->y0, g->y1, g->gh);
        if (i < 0 || j < 0)
            continue;
        inside++;
        int cls = p->pred ? p->pred[n]
                          : g->cls[(size_t)j * (size_t)g->gw + (size_t)i];
        own += p->label && cls == p->label[n];
    }
    if (p->label && inside > 0)
        sb_fmt(&b, "%d of %d points lie in the region of their class\n", own,
               inside);
    return sb_done(&b);
}

