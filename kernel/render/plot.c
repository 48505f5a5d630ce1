/* plot: charts and tables as SVG, HTML and plain text.
 *
 * Every renderer appends to a growable string (sbuf) that remembers an
 * allocation failure, so drawing code runs straight through and reports the
 * failure once, at the end, as NULL. Charts share one frame (axes with
 * 1-2-5 ticks, a light grid, axis titles) and one palette, so class c has
 * the same colour in every plot. Coordinates are written with at most one
 * decimal to keep documents small. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

/* ---- growable string -------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

/* Makes room for `extra` more bytes plus the NUL; -1 once anything failed. */
static int sb_room(sbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra < b->cap - b->len)
        return 0;
    if (extra > SIZE_MAX / 4 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len <= extra)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (sb_room(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_fmt(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_fmt(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (sb_room(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* The finished string (owned by the caller), or NULL after a failure. */
static char *sb_done(sbuf *b)
{
    if (!b->failed && !b->s)
        sb_room(b, 0);
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    b->s[b->len] = '\0';
    return b->s;
}

/* A pixel coordinate with at most one decimal: "12", "12.5", "-3.2";
 * clamped to +-1e7 (NaN to -1e7) so no value can overflow the rounding. */
static void sb_num(sbuf *b, double v)
{
    if (!(v > -1e7))
        v = -1e7;
    if (v > 1e7)
        v = 1e7;
    long t = lround(v * 10);
    if (t < 0) {
        sb_put(b, "-", 1);
        t = -t;
    }
    if (t % 10)
        sb_fmt(b, "%ld.%ld", t / 10, t % 10);
    else
        sb_fmt(b, "%ld", t / 10);
}

/* ---- text: UTF-8, escaping, width ------------------------------------- */

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when the bytes there
 * are not one (stray continuation, overlong form, surrogate, > U+10FFFF). */
static int utf8_seq(const unsigned char *p)
{
    unsigned c = p[0], cp, min;
    int n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; cp = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; cp = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

enum { TEXT_PLAIN, TEXT_MARKUP };

/* Appends s (NULL reads as "") so that it is always valid UTF-8: invalid
 * bytes become U+FFFD and control characters a space. TEXT_MARKUP also
 * escapes & < > " ' for XML and HTML text and attribute values. Returns
 * the number of characters written (code points, the display width). */
static size_t sb_text(sbuf *b, const char *s, int mode)
{
    size_t width = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        int n = utf8_seq(p);
        const char *rep = NULL;
        if (n == 0) {
            rep = "\xEF\xBF\xBD";
            n = 1;
        } else if (*p < 0x20 || *p == 0x7F) {
            rep = " ";
        } else if (mode == TEXT_MARKUP) {
            switch (*p) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            }
        }
        if (b) {
            if (rep)
                sb_str(b, rep);
            else
                sb_put(b, (const char *)p, (size_t)n);
        }
        p += n;
        width++;
    }
    return width;
}

/* Display width of s in characters, as sb_text would write it. */
static size_t text_width(const char *s)
{
    return sb_text(NULL, s, TEXT_PLAIN);
}

/* Estimated width in pixels of n characters of sans-serif at `size` px;
 * enough for layout (margins, legend columns) without font metrics. */
static double glyphs_px(size_t n, double size)
{
    return (double)n * size * 0.6;
}

/* ---- colours ---------------------------------------------------------- */

/* Okabe and Ito's colour-blind-safe palette (without its black), then
 * two of Paul Tol's for classes 8 and 9: hues that readers with the
 * common colour-vision deficiencies tell apart, dark enough to read on a
 * white card in light and dark themes. */
static const char *const palette[] = {
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#f0e442", "#332288", "#882255", "#000000",
};
#define PALETTE_N ((int)(sizeof palette / sizeof palette[0]))
#define NO_CLASS_COLOR "#7f7f7f"

const char *plot_class_color(int c)
{
    return c < 0 ? NO_CLASS_COLOR : palette[c % PALETTE_N];
}

/* The name of class c: names[c] when given, else "class c" written to t. */
static const char *class_name(const char *const *names, int c, char t[24])
{
    if (names && names[c])
        return names[c];
    snprintf(t, 24, "class %d", c);
    return t;
}

/* Appends the name of class c (b may be NULL); returns its width. */
static size_t sb_class_name(sbuf *b, const char *const *names, int c,
                            int mode)
{
    char t[24];
    return sb_text(b, class_name(names, c, t), mode);
}

/* ---- ticks ------------------------------------------------------------ */

/* Whether [lo, hi] is too narrow for its magnitude to be told apart from a
 * single value: finer than float data (the engine's) can resolve, and
 * beyond what evenly spaced double ticks can represent. */
static int too_narrow(double lo, double hi)
{
    return hi - lo < 1e-6 * fmax(fabs(lo), fabs(hi));
}

int plot_ticks(double lo, double hi, int max_ticks, double *ticks,
               double *step)
{
    if (!isfinite(lo) || !isfinite(hi) || !(hi > lo) || max_ticks < 1
        || !isfinite(hi - lo) || too_narrow(lo, hi))
        return 0;
    static const double mult[] = {1, 2, 5};
    for (double e = floor(log10((hi - lo) / max_ticks)) - 1;; e++) {
        for (int m = 0; m < 3; m++) {
            double s = mult[m] * pow(10, e);
            if (!isfinite(s))
                return 0;
            double i0 = ceil(lo / s - 1e-9), i1 = floor(hi / s + 1e-9);
            double count = i1 - i0 + 1;
            if (count > max_ticks)
                continue;
            int n = (int)count;
            for (int i = 0; i < n; i++) {
                double v = (i0 + i) * s;
                ticks[i] = fabs(v) < s * 1e-9 ? 0 : v;
            }
            if (step)
                *step = s;
            return n;
        }
    }
}

void plot_tick_label(double v, double step, char *out, size_t n)
{
    double mag = fmax(fabs(v), step);
    if (mag >= 1e6 || step < 1e-4) {
        int sig = (int)floor(log10(mag)) - (int)floor(log10(step)) + 1;
        sig = sig < 1 ? 1 : sig > 17 ? 17 : sig;
        snprintf(out, n, "%.*g", sig, v);
    } else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        snprintf(out, n, "%.*f", dec, v);
    }
}

/* ---- the frame: axes, grid, titles ------------------------------------ */

#define MAX_TICKS 10

typedef struct axis {
    double lo, hi, step;
    double t[MAX_TICKS];
    int nt;
} axis;

typedef struct frame {
    double x, y, w, h; /* the plot area, in pixels */
    double bx;         /* left edge of the box it was placed in */
    axis ax, ay;
} frame;

/* Limits for data spanning [lo, hi] (lo > hi: no data, shown as 0..1),
 * widened by `pad` of the span on each side; a single value (or a range
 * too narrow to tell from one) gets a margin of 10% of its magnitude (1
 * around zero). */
static void axis_fit(axis *a, double lo, double hi, double pad, int max_ticks)
{
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    } else if (hi == lo || too_narrow(lo, hi)) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    } else {
        double d = (hi - lo) * pad;
        lo -= d;
        hi += d;
    }
    a->lo = lo;
    a->hi = hi;
    a->nt = plot_ticks(lo, hi, max_ticks, a->t, &a->step);
}

static double fx(const frame *f, double v)
{
    return f->x + (v - f->ax.lo) / (f->ax.hi - f->ax.lo) * f->w;
}

static double fy(const frame *f, double v)
{
    return f->y + f->h - (v - f->ay.lo) / (f->ay.hi - f->ay.lo) * f->h;
}

/* Places the plot area in a box of the figure whose top left corner is
 * (bx, by) and height bh, leaving room on the left for the y tick labels
 * (at least `chars` wide) and title and at the bottom for the x ones; the
 * caller sets the width. The axes must already be fitted. */
static void frame_place(frame *f, double bx, double by, double bh,
                        size_t chars)
{
    size_t widest = chars;
    char t[40];
    for (int i = 0; i < f->ay.nt; i++) {
        plot_tick_label(f->ay.t[i], f->ay.step, t, sizeof t);
        size_t n = strlen(t);
        widest = n > widest ? n : widest;
    }
    f->bx = bx;
    f->x = bx + 26 + glyphs_px(widest, 11);
    f->y = by;
    f->h = bh - 44;
}

static void sb_point(sbuf *b, double x, double y)
{
    sb_num(b, x);
    sb_put(b, " ", 1);
    sb_num(b, y);
}

/* Light grey grid lines at the ticks, drawn under the data. */
static void frame_grid(sbuf *b, const frame *f)
{
    if (f->ax.nt + f->ay.nt == 0)
        return;
    sb_str(b, "<path stroke=\"#e5e5e5\" stroke-width=\"1\" "
              "shape-rendering=\"crispEdges\" d=\"");
    for (int i = 0; i < f->ax.nt; i++) {
        sb_put(b, "M", 1);
        sb_point(b, fx(f, f->ax.t[i]), f->y);
        sb_put(b, "V", 1);
        sb_num(b, f->y + f->h);
    }
    for (int i = 0; i < f->ay.nt; i++) {
        sb_put(b, "M", 1);
        sb_point(b, f->x, fy(f, f->ay.t[i]));
        sb_put(b, "H", 1);
        sb_num(b, f->x + f->w);
    }
    sb_str(b, "\"/>\n");
}

/* Left and bottom spines with outward ticks, tick labels and axis titles,
 * drawn over the data. */
static void frame_axes(sbuf *b, const frame *f, const char *xlabel,
                       const char *ylabel)
{
    double bottom = f->y + f->h;
    char t[40];
    sb_str(b, "<path stroke=\"#555\" stroke-width=\"1\" fill=\"none\" "
              "shape-rendering=\"crispEdges\" d=\"M");
    sb_point(b, f->x, f->y);
    sb_put(b, "V", 1);
    sb_num(b, bottom);
    sb_put(b, "H", 1);
    sb_num(b, f->x + f->w);
    for (int i = 0; i < f->ax.nt; i++) {
        sb_put(b, "M", 1);
        sb_point(b, fx(f, f->ax.t[i]), bottom);
        sb_put(b, "v4", 2);
    }
    for (int i = 0; i < f->ay.nt; i++) {
        sb_put(b, "M", 1);
        sb_point(b, f->x, fy(f, f->ay.t[i]));
        sb_put(b, "h-4", 3);
    }
    sb_str(b, "\"/>\n<g fill=\"#444\" text-anchor=\"middle\">");
    for (int i = 0; i < f->ax.nt; i++) {
        plot_tick_label(f->ax.t[i], f->ax.step, t, sizeof t);
        sb_str(b, "<text x=\"");
        sb_num(b, fx(f, f->ax.t[i]));
        sb_str(b, "\" y=\"");
        sb_num(b, bottom + 17);
        sb_fmt(b, "\">%s</text>", t);
    }
    sb_str(b, "</g>\n<g fill=\"#444\" text-anchor=\"end\">");
    for (int i = 0; i < f->ay.nt; i++) {
        plot_tick_label(f->ay.t[i], f->ay.step, t, sizeof t);
        sb_str(b, "<text x=\"");
        sb_num(b, f->x - 7);
        sb_str(b, "\" y=\"");
        sb_num(b, fy(f, f->ay.t[i]) + 4);
        sb_fmt(b, "\">%s</text>", t);
    }
    sb_str(b, "</g>\n<g fill=\"#222\" font-size=\"12\" text-anchor=\"middle\">"
              "<text x=\"");
    sb_num(b, f->x + f->w / 2);
    sb_str(b, "\" y=\"");
    sb_num(b, bottom + 36);
    sb_str(b, "\">");
    sb_text(b, xlabel, TEXT_MARKUP);
    sb_str(b, "</text><text transform=\"translate(");
    sb_point(b, f->bx + 14, f->y + f->h / 2);
    sb_str(b, ") rotate(-90)\">");
    sb_text(b, ylabel, TEXT_MARKUP);
    sb_str(b, "</text></g>\n");
}

static void svg_open(sbuf *b, int w, int h)
{
    sb_fmt(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
              "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
              "font-size=\"11\">\n<rect width=\"%d\" height=\"%d\" "
              "fill=\"#fff\"/>\n", w, h, w, h, w, h);
}

/* ---- training curves -------------------------------------------------- */

#define CURVE_W 380 /* one panel */
#define CURVE_H 300
#define DASH " stroke-dasharray=\"6 3\""

/* One series as a polyline broken at non-finite values; a point with no
 * finite neighbour becomes a dot so that it stays visible. */
static void series(sbuf *b, const frame *f, const float *v, int done,
                   int every, int color, int dashed)
{
    if (!v)
        return;
    int open = 0, dots = 0;
    for (int i = 0; i < done; i++) {
        if (!isfinite(v[i]))
            continue;
        int prev = i > 0 && isfinite(v[i - 1]);
        int next = i + 1 < done && isfinite(v[i + 1]);
        if (!prev && !next) {
            dots++;
            continue;
        }
        if (!open) {
            sb_fmt(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" "
                      "stroke-linejoin=\"round\"%s d=\"",
                   palette[color], dashed ? DASH : "");
            open = 1;
        }
        sb_put(b, prev ? " " : "M", 1);
        sb_point(b, fx(f, (double)(i + 1) * every), fy(f, v[i]));
    }
    if (open)
        sb_str(b, "\"/>\n");
    if (!dots)
        return;
    sb_fmt(b, "<g fill=\"%s\">", palette[color]);
    for (int i = 0; i < done; i++) {
        if (!isfinite(v[i]) || (i > 0 && isfinite(v[i - 1]))
            || (i + 1 < done && isfinite(v[i + 1])))
            continue;
        sb_str(b, "<circle cx=\"");
        sb_num(b, fx(f, (double)(i + 1) * every));
        sb_str(b, "\" cy=\"");
        sb_num(b, fy(f, v[i]));
        sb_str(b, "\" r=\"2.5\"/>");
    }
    sb_str(b, "</g>\n");
}

static void range_of(const float *v, int n, double *lo, double *hi)
{
    for (int i = 0; v && i < n; i++) {
        if (isfinite(v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
    }
}

/* The last epoch a plot of c shows: its x axis ends there. */
static int curves_last(const plot_curves *c)
{
    double done = (double)c->n * c->every;
    return c->total > done ? c->total : (int)fmin(done, INT_MAX);
}

#define MAX_RUNS 10 /* runs compared on one chart: one colour each */

/* Copies up to MAX_RUNS runs into k with counts made sane; returns how
 * many. */
static int runs_clean(plot_curves *k, const plot_curves *runs, int n)
{
    n = n < 0 ? 0 : n > MAX_RUNS ? MAX_RUNS : n;
    for (int i = 0; i < n; i++) {
        k[i] = runs[i];
        k[i].n = k[i].n < 0 ? 0 : k[i].n;
        k[i].every = k[i].every < 1 ? 1 : k[i].every;
        k[i].total = k[i].total < 0 ? 0 : k[i].total;
    }
    return n;
}

/* The last epoch of the longest run. */
static int runs_last(const plot_curves *runs, int n)
{
    int last = 0;
    for (int i = 0; i < n; i++)
        last = curves_last(&runs[i]) > last ? curves_last(&runs[i]) : last;
    return last;
}

/* A run's train and validation series of one panel (acc: accuracy). */
static const float *run_series(const plot_curves *c, int acc, int val)
{
    return acc ? (val ? c->val_acc : c->train_acc)
               : (val ? c->val_loss : c->train_loss);
}

/* One panel (acc: accuracy, else loss) of every run against epochs
 * 1..last, in the box at (bx, top): train solid, validation dashed; one
 * run in colours 0 and 1, several in colour i each. */
static void curves_panel(sbuf *b, double bx, double top,
                         const plot_curves *runs, int n, int acc)
{
    frame f;
    int last = runs_last(runs, n);
    if (last > 1) {
        f.ax.lo = 1;
        f.ax.hi = last;
    } else {
        f.ax.lo = 0;
        f.ax.hi = 2;
    }
    /* at most one tick per epoch, so epoch ticks are whole numbers */
    double room = f.ax.hi - f.ax.lo + 1;
    f.ax.nt = plot_ticks(f.ax.lo, f.ax.hi, room < 8 ? (int)room : 8, f.ax.t,
                         &f.ax.step);
    double pad = (f.ax.hi - f.ax.lo) * 0.02; /* first point off the spine */
    f.ax.lo -= pad;
    f.ax.hi += pad;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        range_of(run_series(&runs[i], acc, 0), runs[i].n, &lo, &hi);
        range_of(run_series(&runs[i], acc, 1), runs[i].n, &lo, &hi);
    }
    axis_fit(&f.ay, lo, hi, 0.05, 6);
    /* room for labels such as "0.25" or "2000" whatever the range, so a
     * live plot does not shift sideways as its values change */
    frame_place(&f, bx, top, CURVE_H - 34, 4);
    f.w = bx + CURVE_W - 16 - f.x;
    frame_grid(b, &f);
    for (int i = 0; i < n; i++)
        for (int v = 0; v < 2; v++)
            series(b, &f, run_series(&runs[i], acc, v), runs[i].n,
                   runs[i].every, n > 1 ? i : v, v);
    frame_axes(b, &f, "epoch", acc ? "accuracy" : "loss");
}

/* A legend entry: a short line in the series' style, then its name.
 * Returns its width. */
static double line_key(sbuf *b, double x, double y, const char *color,
                       int dashed, const char *label)
{
    sb_fmt(b, "<path stroke=\"%s\" stroke-width=\"2\"%s d=\"M", color,
           dashed ? DASH : "");
    sb_point(b, x, y);
    sb_str(b, "h24\"/><text fill=\"#222\" x=\"");
    sb_num(b, x + 30);
    sb_str(b, "\" y=\"");
    sb_num(b, y + 4);
    sb_str(b, "\">");
    size_t w = sb_text(b, label, TEXT_MARKUP);
    sb_str(b, "</text>\n");
    return 30 + glyphs_px(w, 11) + 24;
}

/* The width line_key() takes for label. */
static double key_width(const char *label)
{
    return 30 + glyphs_px(sb_text(NULL, label, TEXT_PLAIN), 11) + 24;
}

/* A chart's title, bold, at the top left. */
static void title_text(sbuf *b, const char *title, double y)
{
    if (!title || !*title)
        return;
    sb_str(b, "<text x=\"10\" y=\"");
    sb_num(b, y);
    sb_str(b, "\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">");
    sb_text(b, title, TEXT_MARKUP);
    sb_str(b, "</text>\n");
}

/* The chart of n runs: named by `names` in a legend row under the title
 * (names NULL: one run, keyed "train" and "validation" at the top
 * right). */
static char *curves_chart(const plot_curves *runs, const char *const *names,
                          int n, const char *title)
{
    sbuf b = {0};
    plot_curves k[MAX_RUNS];
    n = runs_clean(k, runs, n);
    int panels = 1, has_val = 0;
    for (int i = 0; i < n; i++) {
        panels = k[i].train_acc || k[i].val_acc ? 2 : panels;
        has_val = has_val || k[i].val_loss || k[i].val_acc;
    }
    int w = panels * CURVE_W, top = names ? 54 : 34;
    svg_open(&b, w, CURVE_H + top - 34);
    title_text(&b, title, 18);
    if (!names) {
        /* the legend at the top right */
        double x = w - 16 - (n ? key_width("train") : 0)
                   - (n && has_val ? key_width("validation") - 24 : 0);
        if (n)
            x += line_key(&b, x, 14, palette[0], 0, "train");
        if (n && has_val)
            line_key(&b, x, 14, palette[1], 1, "validation");
    } else {
        /* one key per run, then what solid and dashed mean */
        double x = 10;
        for (int i = 0; i < n; i++)
            x += line_key(&b, x, 38, palette[i], 0, names[i]);
        if (has_val) {
            x += line_key(&b, x, 38, "#555", 0, "train");
            line_key(&b, x, 38, "#555", 1, "validation");
        }
    }
    curves_panel(&b, 0, top, k, n, 0);
    if (panels == 2)
        curves_panel(&b, CURVE_W, top, k, n, 1);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}

char *plot_curves_svg(const plot_curves *c)
{
    return curves_chart(c, NULL, 1, c->title);
}

char *plot_compare_svg(const plot_curves *runs, const char *const *names,
                       int n, const char *title)
{
    return curves_chart(runs, names, n, title);
}

#define SPARK_W 40

/* One sparkline row: `name` (then `suffix`, padded to label_w), the
 * first finite value, the bars across `cols` columns for epochs 1..last,
 * and the last value; lo..hi is the scale of its panel. */
static void spark_row(sbuf *b, const char *name, const char *suffix,
                      int label_w, const float *v, const plot_curves *c,
                      int last, int cols, double lo, double hi)
{
    static const char *const bars[] = { "\u2581", "\u2582", "\u2583",
                                        "\u2584", "\u2585", "\u2586",
                                        "\u2587", "\u2588" };
    double first = NAN, end = NAN;
    for (int i = 0; i < c->n; i++)
        if (isfinite(v[i])) {
            first = isfinite(first) ? first : v[i];
            end = v[i];
        }
    int w = (int)(sb_text(b, name, TEXT_PLAIN) + strlen(suffix));
    sb_fmt(b, "%s%*s%8.4f ", suffix, label_w - w, "", first);
    /* column j shows the last point whose epoch falls in its share */
    int i = 0;
    for (int j = 0; j < cols; j++) {
        double upto = (double)last * (j + 1) / cols;
        double val = NAN;
        while (i < c->n && (double)(i + 1) * c->every <= upto + 1e-9)
            val = isfinite(v[i]) ? v[i] : val, i++;
        if (!isfinite(val)) {
            sb_str(b, " ");
            continue;
        }
        int l = hi > lo ? (int)lround((val - lo) / (hi - lo) * 7) : 3;
        sb_str(b, bars[l < 0 ? 0 : l > 7 ? 7 : l]);
    }
    sb_fmt(b, " %.4f\n", end);
}

/* The text of n runs: per panel, a row per run and series, all on the
 * panel's scale (names NULL: one run, rows named by their series). */
static char *curves_text(const plot_curves *runs, const char *const *names,
                         int n, const char *title)
{
    sbuf b = {0};
    plot_curves k[MAX_RUNS];
    n = runs_clean(k, runs, n);
    int last = runs_last(k, n), any = 0;
    int cols = last < SPARK_W ? last : SPARK_W;
    if (title) {
        sb_text(&b, title, TEXT_PLAIN);
        sb_str(&b, "\n");
    }
    static const char *const series_names[2][2] = {
        { "loss", "val_loss" }, { "accuracy", "val_accuracy" },
    };
    int label_w = 16; /* the widest row name, and a space */
    for (int i = 0; names && i < n; i++) {
        int w = (int)text_width(names[i]) + (int)strlen(" val_accuracy") + 1;
        label_w = w > label_w ? w : label_w;
    }
    for (int acc = 0; acc < 2; acc++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n; i++)
            for (int v = 0; v < 2; v++)
                range_of(run_series(&k[i], acc, v), k[i].n, &lo, &hi);
        for (int i = 0; i < n; i++)
            for (int v = 0; v < 2 && k[i].n > 0; v++) {
                const float *s = run_series(&k[i], acc, v);
                if (!s)
                    continue;
                char suffix[24];
                snprintf(suffix, sizeof suffix, "%s%s", names ? " " : "",
                         series_names[acc][v]);
                spark_row(&b, names ? names[i] : "", suffix, label_w, s,
                          &k[i], last, cols, lo, hi);
                any = 1;
            }
    }
    if (any)
        sb_fmt(&b, "%-*s%-9s%d%*d\n", label_w, "epoch", "", 1,
               cols > 1 ? cols - 1 : 1, last);
    return sb_done(&b);
}

char *plot_curves_text(const plot_curves *c)
{
    return curves_text(c, NULL, 1, c->title);
}

char *plot_compare_text(const plot_curves *runs, const char *const *names,
                        int n, const char *title)
{
    return curves_text(runs, names, n, title);
}

/* ---- scatter plots and decision boundaries ---------------------------- */

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
static void cells(sbuf *b, const frame *f, const int *grid, const float *conf,
                  int gw, int gh, double x0, double x1, double y0, double y1,
                  int k)
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
           fx(f, x0), fy(f, y0), (fx(f, x1) - fx(f, x0)) / gw,
           (fy(f, y1) - fy(f, y0)) / gh);
    for (size_t r = 0; r < nr; r++) {
        if (r == 0 || runs[r].key != runs[r - 1].key)
            sb_fmt(b, "<path fill=\"%s\" fill-opacity=\"%.3g\" d=\"",
                   palette[runs[r].key / LEVELS % PALETTE_N],
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

static void points(sbuf *b, const frame *f, const float *px, const float *py,
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
                          "stroke-width=\"0.8\">", plot_class_color(c));
                open = 1;
            }
            sb_str(b, "<circle cx=\"");
            sb_num(b, fx(f, px[i]));
            sb_str(b, "\" cy=\"");
            sb_num(b, fy(f, py[i]));
            sb_str(b, "\" r=\"3.5\"/>");
        }
        if (open)
            sb_str(b, "</g>\n");
    }
}

static void class_legend(sbuf *b, double x, double y, int k,
                         const char *const *names)
{
    sb_str(b, "<g fill=\"#222\">");
    for (int c = 0; c < k; c++) {
        sb_fmt(b, "<circle fill=\"%s\" cx=\"", plot_class_color(c));
        sb_num(b, x + 5);
        sb_str(b, "\" cy=\"");
        sb_num(b, y + 18 * c);
        sb_str(b, "\" r=\"4.5\"/><text x=\"");
        sb_num(b, x + 15);
        sb_str(b, "\" y=\"");
        sb_num(b, y + 18 * c + 4);
        sb_str(b, "\">");
        sb_class_name(b, names, c, TEXT_MARKUP);
        sb_str(b, "</text>\n");
    }
    sb_str(b, "</g>\n");
}

/* Scatter plot, with the tinted grid under the points when g is not
 * NULL: the axes then span the grid exactly (and any point beyond it)
 * instead of the points with a margin. */
static char *class_plot(const plot_points *p, const plot_grid *g)
{
    sbuf b = {0};
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
    range_of(p->px, n, &xl, &xh);
    range_of(p->py, n, &yl, &yh);
    frame f;
    axis_fit(&f.ax, xl, xh, tinted ? 0 : 0.05, 7);
    axis_fit(&f.ay, yl, yh, tinted ? 0 : 0.05, 7);
    int top = p->title && *p->title ? 34 : 14;
    frame_place(&f, 0, top, CLASS_PH + 44, 0);
    f.w = CLASS_PW;
    size_t widest = 0;
    for (int c = 0; p->label && c < k; c++) {
        size_t w = sb_class_name(NULL, p->class_names, c, TEXT_PLAIN);
        widest = w > widest ? w : widest;
    }
    double legend_x = f.x + f.w + 20;
    int w = (int)ceil(p->label && k
                      ? legend_x + 15 + glyphs_px(widest, 11) + 12
                      : f.x + f.w + 16);
    if (p->title && w < 20 + glyphs_px(strlen(p->title), 13))
        w = (int)ceil(20 + glyphs_px(strlen(p->title), 13));
    int h = top + CLASS_PH + 44;
    if (p->label && top + 18 * k + 10 > h)
        h = top + 18 * k + 10;
    svg_open(&b, w, h);
    title_text(&b, p->title, 20);
    frame_grid(&b, &f);
    if (tinted)
        cells(&b, &f, g->cls, g->conf, g->gw, g->gh, g->x0, g->x1, g->y0,
              g->y1, k);
    points(&b, &f, p->px, p->py, p->label, n, k);
    frame_axes(&b, &f, p->xlabel, p->ylabel);
    if (dot_stride(n) > 1) {
        sb_str(&b, "<text fill=\"#555\" text-anchor=\"end\" x=\"");
        sb_num(&b, f.x + f.w);
        sb_str(&b, "\" y=\"");
        sb_num(&b, f.y + f.h + 36);
        sb_fmt(&b, "\">1 in %d of %d points shown</text>\n", dot_stride(n),
               n);
    }
    if (p->label)
        class_legend(&b, legend_x, f.y + 6, k, p->class_names);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}

char *plot_boundary_svg(const plot_points *p, const plot_grid *g)
{
    return class_plot(p, g);
}

char *plot_scatter_svg(const plot_points *p)
{
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
static void text_map(sbuf *b, const plot_points *p, const char *map,
                     double x0, double x1, double y0, double y1)
{
    if (p->title) {
        sb_text(b, p->title, TEXT_PLAIN);
        sb_str(b, "\n");
    }
    sb_text(b, p->ylabel, TEXT_PLAIN);
    sb_fmt(b, " from %.3g (bottom) to %.3g (top), ", y0, y1);
    sb_text(b, p->xlabel, TEXT_PLAIN);
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
        sb_class_name(b, p->class_names, c, TEXT_PLAIN);
    }
    if (p->k > 0)
        sb_str(b, "\n");
}

/* Marks the points on map (spanning x0..x1, y0..y1); returns how many
 * were placed. */
static int map_points(char *map, const plot_points *p, double x0, double x1,
                      double y0, double y1)
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

char *plot_scatter_text(const plot_points *p)
{
    sbuf b = {0};
    char map[MAP_W * MAP_H];
    memset(map, ' ', sizeof map);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    range_of(p->px, p->n, &x0, &x1);
    range_of(p->py, p->n, &y0, &y1);
    if (x0 <= x1 && y0 <= y1)
        map_points(map, p, x0, x1 > x0 ? x1 : x0 + 1, y0,
                   y1 > y0 ? y1 : y0 + 1);
    else
        x0 = x1 = y0 = y1 = 0;
    text_map(&b, p, map, x0, x1, y0, y1);
    return sb_done(&b);
}

char *plot_boundary_text(const plot_points *p, const plot_grid *g)
{
    sbuf b = {0};
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
        own += p->label && g->cls[(size_t)j * (size_t)g->gw + (size_t)i]
                               == p->label[n];
    }
    if (p->label && inside > 0)
        sb_fmt(&b, "%d of %d points lie in the region of their class\n", own,
               inside);
    return sb_done(&b);
}

/* ---- tables ----------------------------------------------------------- */

/* A number as a user would write one: "3", "-0.25", "1e-3", "97.5%". */
static int numeric(const char *s)
{
    if (!s || !*s)
        return 0;
    char *end;
    strtod(s, &end);
    if (end == s)
        return 0;
    if (*end == '%')
        end++;
    return *end == '\0';
}

static const char *cell(const char *const *cells, int cols, int r, int c)
{
    const char *s = cells[(size_t)r * (size_t)cols + (size_t)c];
    return s ? s : "";
}

/* A column is numeric (header right-aligned too) when every non-empty
 * cell in it is, and one is. */
static int numeric_column(const char *const *cells, int rows, int cols, int c)
{
    int seen = 0;
    for (int r = 0; r < rows; r++) {
        const char *s = cell(cells, cols, r, c);
        if (!*s)
            continue;
        if (!numeric(s))
            return 0;
        seen = 1;
    }
    return seen;
}

#define HTML_PAD "padding:2px 8px"

static void html_cell(sbuf *b, const char *tag, const char *s, int right)
{
    sb_fmt(b, "<%s style=\"text-align:%s;" HTML_PAD "\">", tag,
           right ? "right" : "left");
    sb_text(b, s, TEXT_MARKUP);
    sb_fmt(b, "</%s>", tag);
}

char *plot_table_html(const char *const *header, const char *const *cells,
                      int rows, int cols)
{
    sbuf b = {0};
    cols = cols > 0 ? cols : 0;
    rows = rows > 0 && cells ? rows : 0;
    sb_str(&b, "<table style=\"border-collapse:collapse;"
               "font-variant-numeric:tabular-nums\">\n");
    if (header) {
        sb_str(&b, "<thead><tr>");
        for (int c = 0; c < cols; c++)
            html_cell(&b, "th", header[c],
                      numeric_column(cells, rows, cols, c));
        sb_str(&b, "</tr></thead>\n");
    }
    sb_str(&b, "<tbody>\n");
    for (int r = 0; r < rows; r++) {
        sb_str(&b, "<tr>");
        for (int c = 0; c < cols; c++) {
            const char *s = cell(cells, cols, r, c);
            html_cell(&b, "td", s, numeric(s));
        }
        sb_str(&b, "</tr>\n");
    }
    sb_str(&b, "</tbody></table>\n");
    return sb_done(&b);
}

/* Appends s padded to `width` characters; the last column of a line gets
 * no trailing spaces. */
static void text_cell(sbuf *b, const char *s, size_t width, int right,
                      int last)
{
    size_t n = text_width(s);
    for (size_t i = n; right && i < width; i++)
        sb_put(b, " ", 1);
    sb_text(b, s, TEXT_PLAIN);
    for (size_t i = n; !right && !last && i < width; i++)
        sb_put(b, " ", 1);
}

char *plot_table_text(const char *const *header, const char *const *cells,
                      int rows, int cols)
{
    sbuf b = {0};
    cols = cols > 0 ? cols : 0;
    rows = rows > 0 && cells ? rows : 0;
    size_t *width = calloc((size_t)cols + 1, sizeof *width);
    int *right = calloc((size_t)cols + 1, sizeof *right);
    if (!width || !right) {
        free(width);
        free(right);
        return NULL;
    }
    for (int c = 0; c < cols; c++) {
        right[c] = numeric_column(cells, rows, cols, c);
        width[c] = header ? text_width(header[c]) : 0;
        for (int r = 0; r < rows; r++) {
            size_t w = text_width(cell(cells, cols, r, c));
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (int r = header ? -2 : 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            if (c)
                sb_put(&b, "  ", 2);
            if (r == -1) {
                for (size_t i = 0; i < width[c]; i++)
                    sb_put(&b, "-", 1);
            } else {
                const char *s = r == -2 ? header[c] : cell(cells, cols, r, c);
                text_cell(&b, s, width[c],
                          r == -2 ? right[c] : numeric(s), c == cols - 1);
            }
        }
        while (b.len && !b.failed && b.s[b.len - 1] == ' ')
            b.len--;
        if (r + 1 < rows)
            sb_put(&b, "\n", 1);
    }
    free(width);
    free(right);
    return sb_done(&b);
}

/* ---- confusion matrices ----------------------------------------------- */

char *plot_confusion_html(const int *cm, int k, const char *const *names)
{
    sbuf b = {0};
    k = cm && k > 0 ? k : 0;
    unsigned rgb = (unsigned)strtoul(palette[0] + 1, NULL, 16);
    sb_str(&b, "<table style=\"border-collapse:collapse;"
               "font-variant-numeric:tabular-nums\">\n");
    if (k) {
        sb_fmt(&b, "<tr><th></th><th colspan=\"%d\" style=\"text-align:center;"
                   HTML_PAD "\">predicted</th></tr>\n<tr><th style=\""
                   "text-align:left;" HTML_PAD "\">true</th>", k);
        for (int c = 0; c < k; c++) {
            sb_str(&b, "<th style=\"text-align:right;" HTML_PAD "\">");
            sb_class_name(&b, names, c, TEXT_MARKUP);
            sb_str(&b, "</th>");
        }
        sb_str(&b, "</tr>\n");
    }
    for (int r = 0; r < k; r++) {
        const int *row = cm + (size_t)r * (size_t)k;
        double total = 0;
        for (int c = 0; c < k; c++)
            total += row[c] > 0 ? row[c] : 0;
        sb_str(&b, "<tr><th style=\"text-align:left;" HTML_PAD "\">");
        sb_class_name(&b, names, r, TEXT_MARKUP);
        sb_str(&b, "</th>");
        for (int c = 0; c < k; c++) {
            double a = total > 0 && row[c] > 0 ? row[c] / total : 0;
            unsigned mix[3];
            for (int ch = 0; ch < 3; ch++) {
                double base = (rgb >> (16 - 8 * ch)) & 0xFF;
                mix[ch] = (unsigned)lround(255 + (base - 255) * a);
            }
            sb_fmt(&b, "<td title=\"%.1f%% of true row\" style=\"text-align:"
                       "right;" HTML_PAD ";border:1px solid #fff;"
                       "background:#%02x%02x%02x;color:%s\">%d</td>",
                   100 * a, mix[0], mix[1], mix[2],
                   a > 0.55 ? "#fff" : "#222", row[c]);
        }
        sb_str(&b, "</tr>\n");
    }
    sb_str(&b, "</table>\n");
    return sb_done(&b);
}

char *plot_confusion_text(const int *cm, int k, const char *const *names)
{
    k = cm && k > 0 ? k : 0;
    size_t cols = (size_t)k + 1;
    const char **strs = calloc(cols * cols, sizeof *strs);
    char (*text)[24] = malloc(cols * cols * sizeof *text);
    char *table = NULL;
    if (strs && text) {
        /* cell (r, c) of the table, the header being row 0 */
        for (size_t r = 0; r < cols; r++) {
            for (size_t c = 0; c < cols; c++) {
                char *t = text[r * cols + c];
                const char **slot = &strs[r * cols + c];
                if (r && c) {
                    snprintf(t, sizeof *text, "%d",
                             cm[(r - 1) * (size_t)k + c - 1]);
                    *slot = t;
                } else if (r || c) {
                    *slot = class_name(names, (int)(r ? r : c) - 1, t);
                } else {
                    *slot = "true \\ predicted";
                }
            }
        }
        table = plot_table_text(strs, strs + cols, k, (int)cols);
    }
    free(strs);
    free(text);
    return table;
}

/* ---- embedding -------------------------------------------------------- */

char *plot_base64(const void *data, size_t n)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    const unsigned char *p = data;
    char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = abc[v >> 18 & 63];
        *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

char *plot_svg_html(const char *svg)
{
    svg = svg ? svg : "";
    char *b64 = plot_base64(svg, strlen(svg));
    if (!b64)
        return NULL;
    sbuf b = {0};
    sb_str(&b, "<img alt=\"plot\" src=\"data:image/svg+xml;base64,");
    sb_str(&b, b64);
    sb_str(&b, "\">");
    free(b64);
    return sb_done(&b);
}
