#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "b64.h"
#include "esc.h"
#include "palette.h"
#include "svg.h"

void svg_open(sb *b, int w, int h)
{
    assert(w > 0 && h > 0);
    sb_fmt(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
              "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
              "font-size=\"11\">\n<rect width=\"%d\" height=\"%d\" "
              "fill=\"#fff\"/>\n", w, h, w, h, w, h);
}

void svg_title(sb *b, const char *title, double y)
{
    if (!title || !*title)
        return;
    sb_str(b, "<text x=\"10\" y=\"");
    sb_num(b, y);
    sb_str(b, "\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">");
    esc_put(b, title, ESC_MARKUP, SIZE_MAX);
    sb_str(b, "</text>\n");
}

void svg_point(sb *b, double x, double y)
{
    sb_num(b, x);
    sb_put(b, " ", 1);
    sb_num(b, y);
}

double svg_glyphs_px(size_t n, double size)
{
    return (double)n * size * 0.6;
}

double svg_fx(const svg_frame *f, double v)
{
    return f->x + (v - f->ax.lo) / (f->ax.hi - f->ax.lo) * f->w;
}

double svg_fy(const svg_frame *f, double v)
{
    return f->y + f->h - (v - f->ay.lo) / (f->ay.hi - f->ay.lo) * f->h;
}

void svg_frame_place(svg_frame *f, double bx, double by, double bh,
                     size_t chars)
{
    assert(f);
    size_t widest = chars;
    char t[40];
    for (int i = 0; i < f->ay.nt; i++) {
        axis_tick_label(f->ay.t[i], f->ay.step, t, sizeof t);
        size_t n = strlen(t);
        widest = n > widest ? n : widest;
    }
    f->bx = bx;
    f->x = bx + 26 + svg_glyphs_px(widest, 11);
    f->y = by;
    f->h = bh - 44;
}

void svg_frame_grid(sb *b, const svg_frame *f)
{
    assert(f);
    if (f->ax.nt + f->ay.nt == 0)
        return;
    sb_str(b, "<path stroke=\"#e5e5e5\" stroke-width=\"1\" "
              "shape-rendering=\"crispEdges\" d=\"");
    for (int i = 0; i < f->ax.nt; i++) {
        sb_put(b, "M", 1);
        svg_point(b, svg_fx(f, f->ax.t[i]), f->y);
        sb_put(b, "V", 1);
        sb_num(b, f->y + f->h);
    }
    for (int i = 0; i < f->ay.nt; i++) {
        sb_put(b, "M", 1);
        svg_point(b, f->x, svg_fy(f, f->ay.t[i]));
        sb_put(b, "H", 1);
        sb_num(b, f->x + f->w);
    }
    sb_str(b, "\"/>\n");
}

/* The spines and the tick marks, one path. */
static void spines(sb *b, const svg_frame *f)
{
    double bottom = f->y + f->h;
    sb_str(b, "<path stroke=\"#555\" stroke-width=\"1\" fill=\"none\" "
              "shape-rendering=\"crispEdges\" d=\"M");
    svg_point(b, f->x, f->y);
    sb_put(b, "V", 1);
    sb_num(b, bottom);
    sb_put(b, "H", 1);
    sb_num(b, f->x + f->w);
    for (int i = 0; i < f->ax.nt; i++) {
        sb_put(b, "M", 1);
        svg_point(b, svg_fx(f, f->ax.t[i]), bottom);
        sb_put(b, "v4", 2);
    }
    for (int i = 0; i < f->ay.nt; i++) {
        sb_put(b, "M", 1);
        svg_point(b, f->x, svg_fy(f, f->ay.t[i]));
        sb_put(b, "h-4", 3);
    }
    sb_str(b, "\"/>\n");
}

/* The tick labels of both axes. */
static void tick_labels(sb *b, const svg_frame *f)
{
    double bottom = f->y + f->h;
    char t[40];
    sb_str(b, "<g fill=\"#444\" text-anchor=\"middle\">");
    for (int i = 0; i < f->ax.nt; i++) {
        axis_tick_label(f->ax.t[i], f->ax.step, t, sizeof t);
        sb_str(b, "<text x=\"");
        sb_num(b, svg_fx(f, f->ax.t[i]));
        sb_str(b, "\" y=\"");
        sb_num(b, bottom + 17);
        sb_fmt(b, "\">%s</text>", t);
    }
    sb_str(b, "</g>\n<g fill=\"#444\" text-anchor=\"end\">");
    for (int i = 0; i < f->ay.nt; i++) {
        axis_tick_label(f->ay.t[i], f->ay.step, t, sizeof t);
        sb_str(b, "<text x=\"");
        sb_num(b, f->x - 7);
        sb_str(b, "\" y=\"");
        sb_num(b, svg_fy(f, f->ay.t[i]) + 4);
        sb_fmt(b, "\">%s</text>", t);
    }
    sb_str(b, "</g>\n");
}

void svg_frame_axes(sb *b, const svg_frame *f, const char *xlabel,
                    const char *ylabel)
{
    assert(f);
    spines(b, f);
    tick_labels(b, f);
    sb_str(b, "<g fill=\"#222\" font-size=\"12\" text-anchor=\"middle\">"
              "<text x=\"");
    sb_num(b, f->x + f->w / 2);
    sb_str(b, "\" y=\"");
    sb_num(b, f->y + f->h + 36);
    sb_str(b, "\">");
    esc_put(b, xlabel, ESC_MARKUP, SIZE_MAX);
    sb_str(b, "</text><text transform=\"translate(");
    svg_point(b, f->bx + 14, f->y + f->h / 2);
    sb_str(b, ") rotate(-90)\">");
    esc_put(b, ylabel, ESC_MARKUP, SIZE_MAX);
    sb_str(b, "</text></g>\n");
}

double svg_line_key(sb *b, double x, double y, const char *color,
                    int dashed, const char *label)
{
    assert(color);
    sb_fmt(b, "<path stroke=\"%s\" stroke-width=\"2\"%s d=\"M", color,
           dashed ? SVG_DASH : "");
    svg_point(b, x, y);
    sb_str(b, "h24\"/><text fill=\"#222\" x=\"");
    sb_num(b, x + 30);
    sb_str(b, "\" y=\"");
    sb_num(b, y + 4);
    sb_str(b, "\">");
    size_t w = esc_put(b, label, ESC_MARKUP, SIZE_MAX);
    sb_str(b, "</text>\n");
    return 30 + svg_glyphs_px(w, 11) + 24;
}

double svg_key_width(const char *label)
{
    return 30 + svg_glyphs_px(esc_width(label), 11) + 24;
}

void svg_class_legend(sb *b, double x, double y, int k,
                      const char *const *names)
{
    sb_str(b, "<g fill=\"#222\">");
    for (int c = 0; c < k; c++) {
        sb_fmt(b, "<circle fill=\"%s\" cx=\"", palette_class(c));
        sb_num(b, x + 5);
        sb_str(b, "\" cy=\"");
        sb_num(b, y + 18 * c);
        sb_str(b, "\" r=\"4.5\"/><text x=\"");
        sb_num(b, x + 15);
        sb_str(b, "\" y=\"");
        sb_num(b, y + 18 * c + 4);
        sb_str(b, "\">");
        palette_put_name(b, names, c, ESC_MARKUP);
        sb_str(b, "</text>\n");
    }
    sb_str(b, "</g>\n");
}

char *svg_html(const char *svg)
{
    svg = svg ? svg : "";
    sb b = {0};
    sb_str(&b, "<img alt=\"plot\" src=\"data:image/svg+xml;base64,");
    b64_put(&b, svg, strlen(svg));
    sb_str(&b, "\">");
    return sb_done(&b);
}
