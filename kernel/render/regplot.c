#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "esc.h"
#include "palette.h"
#include "regplot.h"
#include "svg.h"

#define PW 360 /* plot area */
#define PH 300
#define MAP_W 56
#define MAP_H 18

/* The range of every value the plot shows: points, polyline and, for the
 * identity line, the points' x range on the y axis too (and the other way
 * round), so that y = x crosses the whole square of the data. */
static void ranges(const regplot *p, double *xl, double *xh, double *yl,
                   double *yh)
{
    *xl = *yl = INFINITY;
    *xh = *yh = -INFINITY;
    axis_extend(p->px, p->n, xl, xh);
    axis_extend(p->py, p->n, yl, yh);
    if (p->lx && p->ly) {
        axis_extend(p->lx, p->ln, xl, xh);
        axis_extend(p->ly, p->ln, yl, yh);
    }
    if (p->identity) {
        *xl = *yl = fmin(*xl, *yl);
        *xh = *yh = fmax(*xh, *yh);
    }
    if (p->zero) {
        *yl = fmin(*yl, 0);
        *yh = fmax(*yh, 0);
    }
    if (!(*xl <= *xh)) {
        *xl = 0;
        *xh = 1;
    }
    if (!(*yl <= *yh)) {
        *yl = 0;
        *yh = 1;
    }
}

/* A straight line from (x0, y0) to (x1, y1) in data units. */
static void segment(sb *b, const svg_frame *f, double x0, double y0,
                    double x1, double y1)
{
    sb_str(b, "<polyline fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\""
              SVG_DASH " points=\"");
    svg_point(b, svg_fx(f, x0), svg_fy(f, y0));
    sb_str(b, " ");
    svg_point(b, svg_fx(f, x1), svg_fy(f, y1));
    sb_str(b, "\"/>\n");
}

static void points(sb *b, const svg_frame *f, const regplot *p)
{
    sb_fmt(b, "<g fill=\"%s\" fill-opacity=\"0.7\" stroke=\"#fff\" "
              "stroke-width=\"0.6\">", palette_class(0));
    for (int i = 0; i < p->n; i++) {
        if (!isfinite(p->px[i]) || !isfinite(p->py[i]))
            continue;
        sb_str(b, "<circle cx=\"");
        sb_num(b, svg_fx(f, p->px[i]));
        sb_str(b, "\" cy=\"");
        sb_num(b, svg_fy(f, p->py[i]));
        sb_str(b, "\" r=\"3\"/>");
    }
    sb_str(b, "</g>\n");
}

static void polyline(sb *b, const svg_frame *f, const regplot *p)
{
    sb_fmt(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
              "points=\"", palette_class(1));
    for (int i = 0; i < p->ln; i++) {
        if (!isfinite(p->lx[i]) || !isfinite(p->ly[i]))
            continue;
        svg_point(b, svg_fx(f, p->lx[i]), svg_fy(f, p->ly[i]));
        sb_str(b, " ");
    }
    sb_str(b, "\"/>\n");
}

char *regplot_svg(const regplot *p)
{
    assert(p);
    sb b = {0};
    double xl, xh, yl, yh;
    ranges(p, &xl, &xh, &yl, &yh);
    svg_frame f;
    axis_fit(&f.ax, xl, xh, 0.05, 7);
    axis_fit(&f.ay, yl, yh, 0.05, 7);
    int top = p->title && *p->title ? 34 : 14;
    svg_frame_place(&f, 0, top, PH + 44, 0);
    f.w = PW;
    int w = (int)ceil(f.x + f.w + 16);
    if (p->title && w < 20 + svg_glyphs_px(strlen(p->title), 13))
        w = (int)ceil(20 + svg_glyphs_px(strlen(p->title), 13));
    svg_open(&b, w, top + PH + 44);
    svg_title(&b, p->title, 20);
    svg_frame_grid(&b, &f);
    points(&b, &f, p);
    if (p->identity)
        segment(&b, &f, f.ax.lo, f.ax.lo, f.ax.hi, f.ax.hi);
    if (p->zero)
        segment(&b, &f, f.ax.lo, 0, f.ax.hi, 0);
    if (p->lx && p->ly && p->ln > 0)
        polyline(&b, &f, p);
    svg_frame_axes(&b, &f, p->xlabel, p->ylabel);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}

/* The map cell of (x, y), or -1 outside. */
static int cell(double x, double y, double xl, double xh, double yl,
                double yh)
{
    double tx = (x - xl) / (xh - xl), ty = (y - yl) / (yh - yl);
    if (!(tx >= 0 && tx <= 1 && ty >= 0 && ty <= 1))
        return -1;
    int c = (int)(tx * MAP_W), r = (int)(ty * MAP_H);
    c = c < MAP_W ? c : MAP_W - 1;
    r = r < MAP_H ? r : MAP_H - 1;
    return (MAP_H - 1 - r) * MAP_W + c;
}

/* Marks the reference lines and the polyline with '.'. */
static void map_lines(char *map, const regplot *p, double xl, double xh,
                      double yl, double yh)
{
    for (int c = 0; c < MAP_W * 4; c++) {
        double x = xl + (xh - xl) * (c + 0.5) / (MAP_W * 4);
        int at;
        if (p->identity && (at = cell(x, x, xl, xh, yl, yh)) >= 0)
            map[at] = '.';
        if (p->zero && (at = cell(x, 0, xl, xh, yl, yh)) >= 0)
            map[at] = '.';
    }
    for (int i = 0; p->lx && p->ly && i + 1 < p->ln; i++)
        for (int s = 0; s < 8; s++) {
            double t = s / 8.0;
            double x = p->lx[i] + t * (p->lx[i + 1] - p->lx[i]);
            double y = p->ly[i] + t * (p->ly[i + 1] - p->ly[i]);
            int at = cell(x, y, xl, xh, yl, yh);
            if (at >= 0)
                map[at] = '.';
        }
}

char *regplot_text(const regplot *p)
{
    assert(p);
    sb b = {0};
    double xl, xh, yl, yh;
    ranges(p, &xl, &xh, &yl, &yh);
    if (xh == xl)
        xh = xl + 1;
    if (yh == yl)
        yh = yl + 1;
    char map[MAP_W * MAP_H];
    memset(map, ' ', sizeof map);
    map_lines(map, p, xl, xh, yl, yh);
    for (int i = 0; i < p->n; i++) {
        int at = cell(p->px[i], p->py[i], xl, xh, yl, yh);
        if (at >= 0)
            map[at] = '*';
    }
    if (p->title) {
        esc_put(&b, p->title, ESC_PLAIN, SIZE_MAX);
        sb_str(&b, "\n");
    }
    esc_put(&b, p->ylabel ? p->ylabel : "y", ESC_PLAIN, SIZE_MAX);
    sb_fmt(&b, " from %.3g (bottom) to %.3g (top), ", yl, yh);
    esc_put(&b, p->xlabel ? p->xlabel : "x", ESC_PLAIN, SIZE_MAX);
    sb_fmt(&b, " from %.3g (left) to %.3g (right)\n+", xl, xh);
    for (int c = 0; c < MAP_W; c++)
        sb_str(&b, "-");
    sb_str(&b, "+\n");
    for (int r = 0; r < MAP_H; r++) {
        sb_str(&b, "|");
        sb_put(&b, map + r * MAP_W, MAP_W);
        sb_str(&b, "|\n");
    }
    sb_str(&b, "+");
    for (int c = 0; c < MAP_W; c++)
        sb_str(&b, "-");
    sb_str(&b, "+\n");
    return sb_done(&b);
}
