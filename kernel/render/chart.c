/* chart: the curves are drawn in one or two panels (loss, accuracy),
 * each a frame of svg.h with the series of every run on one scale; the
 * text form puts a sparkline per run and series on the panel's scale. */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "axis.h"
#include "chart.h"
#include "esc.h"
#include "palette.h"
#include "sb.h"
#include "svg.h"

#define CURVE_W 380 /* one panel */
#define CURVE_H 300

/* One series as a polyline broken at non-finite values; a point with no
 * finite neighbour becomes a dot so that it stays visible. */
static void series(sb *b, const svg_frame *f, const float *v, int done,
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
                   palette_class(color), dashed ? SVG_DASH : "");
            open = 1;
        }
        sb_put(b, prev ? " " : "M", 1);
        svg_point(b, svg_fx(f, (double)(i + 1) * every), svg_fy(f, v[i]));
    }
    if (open)
        sb_str(b, "\"/>\n");
    if (!dots)
        return;
    sb_fmt(b, "<g fill=\"%s\">", palette_class(color));
    for (int i = 0; i < done; i++) {
        if (!isfinite(v[i]) || (i > 0 && isfinite(v[i - 1]))
            || (i + 1 < done && isfinite(v[i + 1])))
            continue;
        sb_str(b, "<circle cx=\"");
        sb_num(b, svg_fx(f, (double)(i + 1) * every));
        sb_str(b, "\" cy=\"");
        sb_num(b, svg_fy(f, v[i]));
        sb_str(b, "\" r=\"2.5\"/>");
    }
    sb_str(b, "</g>\n");
}

/* The last epoch a plot of c shows, that of its last point: its x axis
 * ends there, so a long fit's curves fill the plot however many epochs
 * were asked for. */
static int curves_last(const chart_curves *c)
{
    return (int)fmin((double)c->n * c->every, INT_MAX);
}

/* Copies up to CHART_MAX_RUNS runs into k with counts made sane;
 * returns how many. */
static int runs_clean(chart_curves *k, const chart_curves *runs, int n)
{
    n = n < 0 ? 0 : n > CHART_MAX_RUNS ? CHART_MAX_RUNS : n;
    for (int i = 0; i < n; i++) {
        k[i] = runs[i];
        k[i].n = k[i].n < 0 ? 0 : k[i].n;
        k[i].every = k[i].every < 1 ? 1 : k[i].every;
        k[i].total = k[i].total < 0 ? 0 : k[i].total;
    }
    return n;
}

/* The last epoch of the longest run. */
static int runs_last(const chart_curves *runs, int n)
{
    int last = 0;
    for (int i = 0; i < n; i++)
        last = curves_last(&runs[i]) > last ? curves_last(&runs[i]) : last;
    return last;
}

/* The most epochs asked for of any run. */
static int runs_asked(const chart_curves *runs, int n)
{
    int asked = 0;
    for (int i = 0; i < n; i++)
        asked = runs[i].total > asked ? runs[i].total : asked;
    return asked;
}

/* A run's train and validation series of one panel (acc: accuracy). */
static const float *run_series(const chart_curves *c, int acc, int val)
{
    return acc ? (val ? c->val_acc : c->train_acc)
               : (val ? c->val_loss : c->train_loss);
}

/* One panel (acc: accuracy, else loss) of every run against epochs
 * 1..last, in the box at (bx, top): train solid, validation dashed; one
 * run in colours 0 and 1, several in colour i each. */
static void curves_panel(sb *b, double bx, double top,
                         const chart_curves *runs, int n, int acc,
                         const char *ylabel, const char *score)
{
    svg_frame f;
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
    f.ax.nt = axis_ticks(f.ax.lo, f.ax.hi, room < 8 ? (int)room : 8, f.ax.t,
                         &f.ax.step);
    double pad = (f.ax.hi - f.ax.lo) * 0.02; /* first point off the spine */
    f.ax.lo -= pad;
    f.ax.hi += pad;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        axis_extend(run_series(&runs[i], acc, 0), runs[i].n, &lo, &hi);
        axis_extend(run_series(&runs[i], acc, 1), runs[i].n, &lo, &hi);
    }
    axis_fit(&f.ay, lo, hi, 0.05, 6);
    /* an accuracy lies in [0, 1]: its axis ends there, not at 1.1 (a
     * score such as R2 at 1; it may be below 0) */
    if (acc && (f.ay.lo < 0 || f.ay.hi > 1)) {
        f.ay.lo = score ? f.ay.lo : fmax(f.ay.lo, 0);
        f.ay.hi = fmin(f.ay.hi, 1);
        f.ay.nt = axis_ticks(f.ay.lo, f.ay.hi, 6, f.ay.t, &f.ay.step);
    }
    /* room for labels such as "0.25" or "2000" whatever the range, so a
     * live plot does not shift sideways as its values change */
    svg_frame_place(&f, bx, top, CURVE_H - 34, 4);
    f.w = bx + CURVE_W - 16 - f.x;
    svg_frame_grid(b, &f);
    for (int i = 0; i < n; i++)
        for (int v = 0; v < 2; v++)
            series(b, &f, run_series(&runs[i], acc, v), runs[i].n,
                   runs[i].every, n > 1 ? i : v, v);
    char xlabel[48] = "epoch";
    int asked = runs_asked(runs, n);
    if (asked > last)
        snprintf(xlabel, sizeof xlabel, "epoch (of %d)", asked);
    svg_frame_axes(b, &f, xlabel, acc ? score ? score : "accuracy" : ylabel);
}

/* The chart of n runs: named by `names` in a legend row under the title
 * (names NULL: one run, keyed "train" and "validation" at the top
 * right). */
static char *curves_chart(const chart_curves *runs, const char *const *names,
                          int n, const char *title, const char *ylabel,
                          const char *score)
{
    sb b = {0};
    chart_curves k[CHART_MAX_RUNS] = { 0 };
    n = runs_clean(k, runs, n);
    int panels = 1, has_val = 0;
    for (int i = 0; i < n; i++) {
        panels = k[i].train_acc || k[i].val_acc ? 2 : panels;
        has_val = has_val || k[i].val_loss || k[i].val_acc;
    }
    int w = panels * CURVE_W, top = names ? 54 : 34;
    /* run keys that do not fit in one row wrap to more, 20 px apart */
    double kx = 10;
    for (int i = 0; names && i < n; i++) {
        double kw = svg_key_width(names[i]);
        if (kx > 10 && kx + kw > w - 10) {
            kx = 10;
            top += 20;
        }
        kx += kw;
    }
    svg_open(&b, w, CURVE_H + top - 34);
    svg_title(&b, title, 18);
    if (!names) {
        /* the legend at the top right */
        double x = w - 16 - (n ? svg_key_width("train") : 0)
                   - (n && has_val ? svg_key_width("validation") - 24 : 0);
        if (n)
            x += svg_line_key(&b, x, 14, palette_class(0), 0, "train");
        if (n && has_val)
            svg_line_key(&b, x, 14, palette_class(1), 1, "validation");
    } else {
        /* one key per run, then what solid and dashed mean */
        double x = 10, y = 38;
        for (int i = 0; i < n; i++) {
            if (x > 10 && x + svg_key_width(names[i]) > w - 10) {
                x = 10;
                y += 20;
            }
            x += svg_line_key(&b, x, y, palette_class(i), 0, names[i]);
        }
        if (has_val) {
            x += svg_line_key(&b, x, y, "#555", 0, "train");
            svg_line_key(&b, x, y, "#555", 1, "validation");
        }
    }
    curves_panel(&b, 0, top, k, n, 0, ylabel, score);
    if (panels == 2)
        curves_panel(&b, CURVE_W, top, k, n, 1, ylabel, score);
    sb_str(&b, "</svg>\n");
    return sb_done(&b);
}

char *chart_curves_svg(const chart_curves *c)
{
    assert(c);
    return curves_chart(c, NULL, 1, c->title, "loss", NULL);
}

char *chart_compare_svg(const chart_curves *runs, const char *const *names,
                         int n, const char *title)
{
    assert(n <= 0 || (runs && names));
    return curves_chart(runs, names, n, title, "loss", NULL);
}

char *chart_named_svg(const chart_curves *runs, const char *const *names,
                      int n, const char *title, const char *ylabel)
{
    assert(n <= 0 || (runs && names));
    assert(ylabel);
    return curves_chart(runs, names, n, title, ylabel, NULL);
}

#define SPARK_W 40

/* One sparkline row: `name` (then `suffix`, padded to label_w), the
 * first finite value, the bars across `cols` columns for epochs 1..last,
 * and the last value; lo..hi is the scale of its panel. */
static void spark_row(sb *b, const char *name, const char *suffix,
                      int label_w, const float *v, const chart_curves *c,
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
    int w = (int)(esc_put(b, name, ESC_PLAIN, SIZE_MAX) + strlen(suffix));
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
static char *curves_text(const chart_curves *runs, const char *const *names,
                         int n, const char *title, const char *ylabel,
                         const char *score)
{
    sb b = {0};
    chart_curves k[CHART_MAX_RUNS] = { 0 };
    n = runs_clean(k, runs, n);
    int last = runs_last(k, n), any = 0;
    int cols = last < SPARK_W ? last : SPARK_W;
    if (title) {
        esc_put(&b, title, ESC_PLAIN, SIZE_MAX);
        sb_str(&b, "\n");
    }
    static const char *const series_names[2][2] = {
        { "loss", "val_loss" }, { "accuracy", "val_accuracy" },
    };
    int label_w = 16; /* the widest row name, and a space */
    for (int i = 0; names && i < n; i++) {
        int w = (int)esc_width(names[i]) + (int)strlen(" val_accuracy") + 1;
        label_w = w > label_w ? w : label_w;
    }
    for (int acc = 0; acc < 2; acc++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n; i++)
            for (int v = 0; v < 2; v++)
                axis_extend(run_series(&k[i], acc, v), k[i].n, &lo, &hi);
        for (int i = 0; i < n; i++)
            for (int v = 0; v < 2 && k[i].n > 0; v++) {
                const float *s = run_series(&k[i], acc, v);
                if (!s)
                    continue;
                char suffix[40];
                if (acc && score)
                    snprintf(suffix, sizeof suffix, "%s%s%.16s",
                             names ? " " : "", v ? "val_" : "", score);
                else
                    snprintf(suffix, sizeof suffix, "%s%s", names ? " " : "",
                             acc || v ? series_names[acc][v] : ylabel);
                spark_row(&b, names ? names[i] : "", suffix, label_w, s,
                          &k[i], last, cols, lo, hi);
                any = 1;
            }
    }
    int asked = runs_asked(k, n);
    if (any && asked > last)
        sb_fmt(&b, "%-*s%-9s%d%*d (of %d)\n", label_w, "epoch", "", 1,
               cols > 1 ? cols - 1 : 1, last, asked);
    else if (any)
        sb_fmt(&b, "%-*s%-9s%d%*d\n", label_w, "epoch", "", 1,
               cols > 1 ? cols - 1 : 1, last);
    return sb_done(&b);
}

char *chart_curves_text(const chart_curves *c)
{
    assert(c);
    return curves_text(c, NULL, 1, c->title, "loss", NULL);
}

char *chart_compare_text(const chart_curves *runs, const char *const *names,
                         int n, const char *title)
{
    assert(n <= 0 || (runs && names));
    return curves_text(runs, names, n, title, "loss", NULL);
}

char *chart_named_text(const chart_curves *runs, const char *const *names,
                       int n, const char *title, const char *ylabel)
{
    assert(n <= 0 || (runs && names));
    assert(ylabel);
    return curves_text(runs, names, n, title, ylabel, NULL);
}


char *chart_curves_svg_score(const chart_curves *c, const char *score)
{
    assert(c);
    return curves_chart(c, NULL, 1, c->title, "loss", score);
}

char *chart_curves_text_score(const chart_curves *c, const char *score)
{
    assert(c);
    return curves_text(c, NULL, 1, c->title, "loss", score);
}
