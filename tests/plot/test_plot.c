/* Tests of kernel/lang/plot.c: what a user would see in a notebook. The
 * SVG and HTML documents are checked for well-formedness by a small XML
 * checker (itself tested on broken documents), and by counting what they
 * draw; the text outputs against exact expected strings. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "b64.h"
#include "chart.h"
#include "check_main.h"
#include "classplot.h"
#include "confusion.h"
#include "palette.h"
#include "svg.h"
#include "table.h"
#include "xml_check.h"

/* ---- helpers ---------------------------------------------------------- */

/* The `d` attribute of the first path that follows `marker`, copied. */
static char *path_after(const char *svg, const char *marker)
{
    const char *m = strstr(svg, marker);
    ck_assert_ptr_nonnull(m);
    const char *d = strstr(m, " d=\"");
    ck_assert_ptr_nonnull(d);
    d += 4;
    size_t n = strcspn(d, "\"");
    char *out = malloc(n + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, d, n);
    out[n] = '\0';
    return out;
}

/* Reads the coordinate pairs of a path made of M and implicit line-to
 * commands into xs/ys (room for max); returns how many. */
static int path_points(const char *d, double *xs, double *ys, int max)
{
    int n = 0;
    const char *p = d;
    while (*p && n < max) {
        if (*p == 'M' || *p == ' ') {
            p++;
            continue;
        }
        char *end;
        xs[n] = strtod(p, &end);
        ck_assert_msg(end != p, "bad path at \"%s\"", p);
        p = end;
        ys[n++] = strtod(p, &end);
        ck_assert_msg(end != p, "bad path at \"%s\"", p);
        p = end;
    }
    return n;
}

/* Every number in an attribute x, y, cx or cy lies within the view box. */
static void assert_inside(const char *svg)
{
    double w = 0, h = 0;
    const char *vb = strstr(svg, "viewBox=\"0 0 ");
    ck_assert_ptr_nonnull(vb);
    ck_assert_int_eq(sscanf(vb, "viewBox=\"0 0 %lf %lf", &w, &h), 2);
    static const char *const attrs[] = {" x=\"", " y=\"", " cx=\"", " cy=\""};
    for (int a = 0; a < 4; a++) {
        for (const char *p = svg; (p = strstr(p, attrs[a])); p++) {
            double v = strtod(p + strlen(attrs[a]), NULL);
            ck_assert_msg(v >= 0 && v <= (a % 2 ? h : w),
                          "%s%g outside the %gx%g view", attrs[a], v, w, h);
        }
    }
}

/* ---- base64 and embedding --------------------------------------------- */

START_TEST(base64_rfc4648_vectors)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba",
                                     "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
                                      "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *b = b64_encode(in[i], strlen(in[i]));
        ck_assert_str_eq(b, out[i]);
        free(b);
    }
    static const unsigned char bin[] = {0xfb, 0xff, 0x00, 0x3e, 0x3f};
    char *b = b64_encode(bin, 2);
    ck_assert_str_eq(b, "+/8=");
    free(b);
    b = b64_encode(bin, 5);
    ck_assert_str_eq(b, "+/8APj8=");
    free(b);
}
END_TEST

static int b64_value(char c)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(abc, c);
    return c && p ? (int)(p - abc) : -1;
}

START_TEST(base64_round_trips_every_length)
{
    unsigned char data[300], back[300];
    for (int i = 0; i < 300; i++)
        data[i] = (unsigned char)(i * 151 + 7);
    for (size_t n = 0; n <= sizeof data; n++) {
        char *b = b64_encode(data, n);
        size_t len = strlen(b);
        ck_assert_uint_eq(len, (n + 2) / 3 * 4);
        size_t m = 0;
        for (size_t i = 0; i < len; i += 4) {
            unsigned long v = 0;
            int pad = 0;
            for (int j = 0; j < 4; j++) {
                int d = b[i + j] == '=' ? (pad++, 0) : b64_value(b[i + j]);
                ck_assert_int_ge(d, 0);
                v = v << 6 | (unsigned long)d;
            }
            for (int j = 0; j < 3 - pad; j++)
                back[m++] = (unsigned char)(v >> (16 - 8 * j));
        }
        ck_assert_uint_eq(m, n);
        ck_assert(memcmp(back, data, n) == 0);
        free(b);
    }
}
END_TEST

START_TEST(svg_html_embeds_base64_image)
{
    const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    char *html = svg_html(svg), *b = b64_encode(svg, strlen(svg));
    char want[512];
    snprintf(want, sizeof want,
             "<img alt=\"plot\" src=\"data:image/svg+xml;base64,%s\">", b);
    ck_assert_str_eq(html, want);
    free(html);
    free(b);
}
END_TEST

/* ---- ticks ------------------------------------------------------------ */

static void assert_ticks(double lo, double hi, int max, double step,
                         int n, const double *want)
{
    double t[16], s = 0;
    ck_assert_int_eq(axis_ticks(lo, hi, max, t, &s), n);
    ck_assert_double_eq_tol(s, step, step * 1e-12);
    for (int i = 0; i < n; i++)
        ck_assert_double_eq_tol(t[i], want[i], step * 1e-9);
}

START_TEST(ticks_for_known_ranges)
{
    assert_ticks(0, 1, 6, 0.2, 6, (double[]){0, 0.2, 0.4, 0.6, 0.8, 1});
    assert_ticks(0, 10, 6, 2, 6, (double[]){0, 2, 4, 6, 8, 10});
    assert_ticks(0, 100, 5, 50, 3, (double[]){0, 50, 100});
    assert_ticks(-1.3, 2.7, 6, 1, 4, (double[]){-1, 0, 1, 2});
    assert_ticks(1, 60, 8, 10, 6, (double[]){10, 20, 30, 40, 50, 60});
    assert_ticks(1, 2, 2, 1, 2, (double[]){1, 2});
    assert_ticks(0.003, 0.0071, 5, 0.001, 5,
                 (double[]){0.003, 0.004, 0.005, 0.006, 0.007});
    assert_ticks(-0.094, 2.414, 6, 0.5, 5, (double[]){0, 0.5, 1, 1.5, 2});
    assert_ticks(2e6, 1.1e7, 6, 2e6, 5, (double[]){2e6, 4e6, 6e6, 8e6, 1e7});
    /* zero is written as 0, never -0 */
    double t[4];
    ck_assert_int_eq(axis_ticks(-1, 1, 3, t, NULL), 3);
    ck_assert(t[1] == 0 && !signbit(t[1]));
}
END_TEST

START_TEST(ticks_refuse_empty_ranges)
{
    double t[8];
    ck_assert_int_eq(axis_ticks(1, 1, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(2, 1, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(NAN, 1, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(0, INFINITY, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(-1e308, 1e308, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(0, 1, 0, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(1000, 1000.0001, 6, t, NULL), 0);
    ck_assert_int_eq(axis_ticks(1000, 1000.01, 6, t, NULL), 6);
}
END_TEST

/* Over many ranges: ticks lie in the range, evenly spaced by a 1-2-5
 * step, and no finer 1-2-5 step would also fit in max_ticks. */
START_TEST(ticks_are_nice_and_dense)
{
    unsigned long long x = 1;
    for (int trial = 0; trial < 2000; trial++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double a = (double)(x >> 11) / 9007199254740992.0;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double w = (double)(x >> 11) / 9007199254740992.0;
        double lo = (a - 0.5) * pow(10, trial % 13 - 6);
        double hi = lo + (w + 1e-3) * pow(10, trial % 11 - 5);
        int max = 3 + trial % 8;
        double t[16], s;
        int n = axis_ticks(lo, hi, max, t, &s);
        if (n == 0) { /* refused: narrower than 1e-6 of its magnitude */
            ck_assert(hi - lo < 1e-6 * fmax(fabs(lo), fabs(hi)));
            continue;
        }
        ck_assert_int_le(n, max);
        double mant = s / pow(10, floor(log10(s) + 1e-9));
        ck_assert_msg(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9
                      || fabs(mant - 5) < 1e-9, "step %g", s);
        for (int i = 0; i < n; i++) {
            ck_assert(t[i] >= lo - s * 1e-6 && t[i] <= hi + s * 1e-6);
            ck_assert_double_eq_tol(t[i] / s, round(t[i] / s), 1e-6);
            double gap = i ? t[i] - t[i - 1] : s;
            ck_assert_double_eq_tol(gap, s, s * 1e-6);
        }
        double finer = mant == 1 ? s / 2 : mant == 2 ? s / 2 : s * 2 / 5;
        double fn = floor(hi / finer + 1e-9) - ceil(lo / finer - 1e-9) + 1;
        ck_assert_msg(fn > max, "[%g, %g] max %d: step %g fits too", lo, hi,
                      max, finer);
    }
}
END_TEST

START_TEST(tick_labels_use_the_decimals_of_the_step)
{
    char b[32];
    static const struct { double v, step; const char *want; } cases[] = {
        {0.2, 0.2, "0.2"}, {10, 2, "10"}, {0.05, 0.05, "0.05"},
        {-1, 0.5, "-1.0"}, {0, 0.05, "0.00"}, {0.0001, 0.0001, "0.0001"},
        {2e6, 5e5, "2e+06"}, {2.5e6, 5e5, "2.5e+06"}, {4e-5, 2e-5, "4e-05"},
        {1500, 500, "1500"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        axis_tick_label(cases[i].v, cases[i].step, b, sizeof b);
        ck_assert_str_eq(b, cases[i].want);
    }
}
END_TEST

/* ---- the XML checker itself ------------------------------------------- */

START_TEST(xml_checker_rejects_broken_documents)
{
    ck_assert(xml_ok("<a x=\"1\"><b/>t &amp; &#38; &#x26;</a>"));
    static const char *const bad[] = {
        "<a><b></a></b>", "<a x=1/>", "<a>&foo;</a>", "<a>x<y</a>",
        "<a x=\"<\"/>", "<a/><b/>", "<a>", "<a x=\"1\"y=\"2\"/>",
        "text<a/>", "<a>& b</a>", "<!-- c --><a/>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!xml_ok(bad[i]), "accepted %s", bad[i]);
}
END_TEST

/* ---- training curves -------------------------------------------------- */

/* The curves of n epochs, one point each, on an axis of `total`. */
static char *curves(const float *tl, const float *vl, const float *ta,
                    const float *va, int n, int total)
{
    chart_curves c = { tl, vl, ta, va, n, 1, total, NULL };
    return chart_curves_svg(&c);
}

static char *scatter(const float *x, const float *y, const int *label, int n,
                     int k, const char *const *names, const char *xl,
                     const char *yl)
{
    classplot_points p = { x, y, label, n, k, names, xl, yl, NULL, NULL };
    return classplot_scatter_svg(&p);
}

static char *boundary(const int *grid, const float *conf, int gw, int gh,
                      float x0, float x1, float y0, float y1, const float *x,
                      const float *y, const int *label, int n, int k,
                      const char *const *names, const char *xl,
                      const char *yl)
{
    classplot_points p = { x, y, label, n, k, names, xl, yl, NULL, NULL };
    classplot_grid g = { grid, conf, gw, gh, x0, x1, y0, y1 };
    return classplot_boundary_svg(&p, &g);
}

#define SERIES_MARK "stroke-linejoin"

START_TEST(curves_skip_nan_and_inf)
{
    const float loss[] = {1, NAN, 0.5f, 0.4f, INFINITY, 0.2f, 0.1f};
    char *svg = curves(loss, NULL, NULL, NULL, 7, 7);
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, SERIES_MARK), 1);
    char *d = path_after(svg, SERIES_MARK);
    double xs[16], ys[16];
    /* epochs 3-4 and 6-7 as lines, epoch 1 (no finite neighbour) a dot */
    ck_assert_int_eq(check_count(d, "M"), 2);
    ck_assert_int_eq(path_points(d, xs, ys, 16), 4);
    ck_assert_int_eq(check_count(svg, "<circle"), 1);
    ck_assert(ys[0] < ys[1] && ys[2] < ys[3]); /* lower loss lower down */
    ck_assert(xs[0] < xs[1] && xs[1] < xs[2] && xs[2] < xs[3]);
    ck_assert_ptr_null(strstr(svg, "nan"));
    ck_assert_ptr_null(strstr(svg, "inf"));
    assert_inside(svg);
    free(d);
    free(svg);
}
END_TEST

START_TEST(curves_draw_train_solid_and_validation_dashed)
{
    const float tl[] = {2, 1, 0.5f}, vl[] = {2.2f, 1.4f, 1},
                ta[] = {0.3f, 0.6f, 0.8f}, va[] = {0.2f, 0.5f, 0.7f};
    char *svg = curves(tl, vl, ta, va, 3, 10);
    ck_assert(xml_ok(svg));
    /* four series; validation lines and its legend key are dashed */
    ck_assert_int_eq(check_count(svg, SERIES_MARK), 4);
    ck_assert_int_eq(check_count(svg, "stroke-dasharray"), 3);
    char solid[64], dashed[64];
    snprintf(solid, sizeof solid, "stroke=\"%s\" stroke-width=\"1.8\" "
             SERIES_MARK "=\"round\" d=", palette_class(0));
    snprintf(dashed, sizeof dashed, "stroke=\"%s\"", palette_class(1));
    ck_assert_int_eq(check_count(svg, solid), 2);
    ck_assert_int_eq(check_count(svg, dashed), 3);
    ck_assert_ptr_nonnull(strstr(svg, ">train</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">validation</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">loss</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">accuracy</text>"));
    /* 3 of 10 epochs done: the axis says how many were asked for */
    ck_assert_ptr_nonnull(strstr(svg, ">epoch (of 10)</text>"));
    free(svg);
    svg = curves(tl, vl, ta, va, 3, 3);
    ck_assert_ptr_nonnull(strstr(svg, ">epoch</text>"));
    free(svg);
}
END_TEST

/* The x axis follows the epochs done, not the epochs asked for: 3 epochs
 * of a million span the plot as all 10 of 10 do, and the axis names the
 * million. */
START_TEST(curves_x_axis_follows_epochs_done)
{
    const float loss[] = {5, 4, 3, 2.5f, 2, 1.8f, 1.5f, 1.4f, 1.3f, 1.2f};
    char *part = curves(loss, NULL, NULL, NULL, 3, 1000000);
    char *full = curves(loss, NULL, NULL, NULL, 10, 10);
    char *dp = path_after(part, SERIES_MARK), *df = path_after(full, SERIES_MARK);
    double xp[16], yp[16], xf[16], yf[16];
    ck_assert_int_eq(path_points(dp, xp, yp, 16), 3);
    ck_assert_int_eq(path_points(df, xf, yf, 16), 10);
    ck_assert_double_eq_tol(xp[0], xf[0], 1e-9);
    ck_assert_double_eq_tol(xp[2], xf[9], 1e-9);
    ck_assert_ptr_nonnull(strstr(part, ">3</text>"));
    ck_assert_ptr_null(strstr(part, ">1e+06</text>"));
    ck_assert_ptr_nonnull(strstr(part, ">epoch (of 1000000)</text>"));
    free(dp);
    free(df);
    free(part);
    free(full);
}
END_TEST

/* Values spanning orders of magnitude, down to the largest floats, are
 * all drawn inside the figure. */
START_TEST(curves_clip_nothing)
{
    const float spiky[] = {1e4f, 10, 1e-3f, 0, 2e3f};
    const float huge[] = {3.0e38f, -3.0e38f, 1, 0};
    const float *cases[] = {spiky, huge};
    int n[] = {5, 4};
    for (int c = 0; c < 2; c++) {
        char *svg = curves(cases[c], NULL, NULL, NULL, n[c], n[c]);
        ck_assert(xml_ok(svg));
        char *d = path_after(svg, SERIES_MARK);
        double xs[8], ys[8], top = 1e9, bottom = -1e9;
        ck_assert_int_eq(path_points(d, xs, ys, 8), n[c]);
        for (int i = 0; i < n[c]; i++) {
            top = fmin(top, ys[i]);
            bottom = fmax(bottom, ys[i]);
        }
        /* below the legend, above the x tick labels of the 300 px figure */
        ck_assert(top >= 30 && bottom <= 300 - 40);
        assert_inside(svg);
        free(d);
        free(svg);
    }
}
END_TEST

/* An accuracy of 1.0 throughout: the accuracy axis ends at 1, not 1.1. */
START_TEST(curves_accuracy_axis_ends_at_one)
{
    const float loss[] = {5, 4, 3, 2}, acc[] = {1, 1, 1, 1};
    char *svg = curves(loss, NULL, acc, NULL, 4, 4);
    ck_assert(xml_ok(svg));
    ck_assert_ptr_nonnull(strstr(svg, ">1.00</text>"));
    ck_assert_ptr_null(strstr(svg, ">1.1"));
    assert_inside(svg);
    free(svg);
}
END_TEST

START_TEST(curves_edge_cases_render)
{
    const float one[] = {0.7f}, flat[] = {0.5f, 0.5f, 0.5f, 0.5f};
    /* nothing done yet: empty axes, no series */
    char *svg = curves(one, one, one, one, 0, 20);
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, SERIES_MARK), 0);
    ck_assert_int_eq(check_count(svg, "<circle"), 0);
    ck_assert_ptr_nonnull(strstr(svg, ">epoch (of 20)</text>"));
    free(svg);
    /* one epoch of one: a dot per series */
    svg = curves(one, one, one, one, 1, 1);
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "<circle"), 4);
    assert_inside(svg);
    free(svg);
    /* a constant series gets a y range around its value */
    svg = curves(flat, NULL, NULL, NULL, 4, 4);
    ck_assert(xml_ok(svg));
    char *d = path_after(svg, SERIES_MARK);
    double xs[4], ys[4];
    ck_assert_int_eq(path_points(d, xs, ys, 4), 4);
    ck_assert(ys[0] == ys[3] && ys[0] > 40 && ys[0] < 250);
    ck_assert_ptr_nonnull(strstr(svg, ">0.50</text>"));
    free(d);
    free(svg);
    /* all NaN, or negative counts: axes only */
    const float nan4[] = {NAN, NAN, NAN, NAN};
    svg = curves(nan4, nan4, NULL, NULL, 4, 4);
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, SERIES_MARK) + check_count(svg, "<circle"), 0);
    free(svg);
    svg = curves(NULL, NULL, NULL, NULL, -3, -1);
    ck_assert(xml_ok(svg));
    free(svg);
}
END_TEST

/* ---- scatter plots and decision boundaries ---------------------------- */

static const char *const evil[3] = {"a<b", "x&y", "\"q\" 'r'"};

START_TEST(scatter_draws_each_finite_point_and_a_legend)
{
    float x[50], y[50];
    int label[50];
    for (int i = 0; i < 50; i++) {
        x[i] = (float)i;
        y[i] = (float)(i * i % 17);
        label[i] = i % 3;
    }
    x[4] = NAN;
    y[9] = INFINITY;
    label[7] = 7; /* outside the classes: grey */
    char *svg = scatter(x, y, label, 50, 3, evil, "len", "wid");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "<circle"), 48 + 3);
    ck_assert_int_eq(check_count(svg, "r=\"3.5\""), 48);
    char grey[32];
    snprintf(grey, sizeof grey, "<g fill=\"%s\"", palette_class(-1));
    ck_assert_int_eq(check_count(svg, grey), 1);
    ck_assert_ptr_nonnull(strstr(svg, ">a&lt;b</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">x&amp;y</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">&quot;q&quot; &#39;r&#39;</text>"));
    ck_assert_ptr_null(strstr(svg, "a<b"));
    assert_inside(svg);
    free(svg);
}
END_TEST

/* Large data sets are thinned to at most 2000 dots, and the plot says so. */
START_TEST(scatter_thins_large_data)
{
    enum { N = 10000 };
    static float x[N], y[N];
    static int label[N];
    for (int i = 0; i < N; i++) {
        x[i] = (float)(i % 100);
        y[i] = (float)(i / 100);
        label[i] = i % 2;
    }
    char *svg = scatter(x, y, label, N, 2, NULL, "x", "y");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "r=\"3.5\""), N / 5);
    ck_assert_ptr_nonnull(strstr(svg, ">1 in 5 of 10000 points shown</text>"));
    ck_assert_uint_lt(strlen(svg), 150 * 1024);
    free(svg);
}
END_TEST

START_TEST(class_colours_are_shared)
{
    float x[2] = {0, 1}, y[2] = {0, 1};
    int label[2] = {0, 1};
    char *svg = scatter(x, y, label, 2, 2, NULL, "x", "y");
    char *lines = curves(x, y, NULL, NULL, 2, 2);
    for (int c = 0; c < 2; c++) {
        char want[64];
        snprintf(want, sizeof want, "<g fill=\"%s\" stroke=\"#fff\"",
                 palette_class(c));
        ck_assert_int_eq(check_count(svg, want), 1);
        snprintf(want, sizeof want, "stroke=\"%s\"", palette_class(c));
        ck_assert_int_ge(check_count(lines, want), 1);
    }
    ck_assert_str_ne(palette_class(0), palette_class(1));
    ck_assert_str_eq(palette_class(10), palette_class(0));
    ck_assert_ptr_nonnull(strstr(svg, ">class 1</text>"));
    free(svg);
    free(lines);
}
END_TEST

/* The fill-opacity of the path holding `run`. */
static double opacity_of(const char *svg, const char *run)
{
    const char *p = strstr(svg, run);
    ck_assert_ptr_nonnull(p);
    while (p > svg && strncmp(p, "fill-opacity=\"", 14))
        p--;
    ck_assert_ptr_ne(p, svg);
    return strtod(p + 14, NULL);
}

START_TEST(boundary_merges_equal_cells_of_a_row)
{
    enum { W = 100 };
    static int grid[W * W];
    /* left 30 columns class 0, the rest class 1, all sure */
    for (int i = 0; i < W * W; i++)
        grid[i] = i % W < 30 ? 0 : 1;
    char *svg = boundary(grid, NULL, W, W, -1, 1, -1, 1, NULL, NULL,
                                  NULL, 0, 2, NULL, "x", "y");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "h30v1h-30z"), W);
    ck_assert_int_eq(check_count(svg, "h70v1h-70z"), W);
    ck_assert_int_eq(check_count(svg, "fill-opacity"), 2);
    free(svg);
    /* low confidence is lighter than high confidence */
    float conf[W * W];
    for (int i = 0; i < W * W; i++)
        conf[i] = i % W < 30 ? 0.5f : 1.0f;
    svg = boundary(grid, conf, W, W, -1, 1, -1, 1, NULL, NULL, NULL,
                            0, 2, NULL, "x", "y");
    ck_assert(opacity_of(svg, "h30v1") < opacity_of(svg, "h70v1"));
    free(svg);
}
END_TEST

/* Worst case for size: every cell differs from its neighbours. */
START_TEST(boundary_stays_compact)
{
    enum { W = 100, N = 1000, K = 10 };
    static int grid[W * W];
    static float conf[W * W], x[N], y[N];
    static int label[N];
    unsigned long long s = 7;
    for (int i = 0; i < W * W; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        grid[i] = (int)(s >> 33) % K;
        conf[i] = (float)((s >> 20) & 1023) / 1023.0f;
    }
    for (int i = 0; i < N; i++) {
        x[i] = -3 + 6.0f * i / N;
        y[i] = 2.9f * sinf((float)i);
        label[i] = i % K;
    }
    char *svg = boundary(grid, conf, W, W, -3, 3, -3, 3, x, y, label,
                                  N, K, NULL, "x1", "x2");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "<circle"), N + K);
    ck_assert_uint_lt(strlen(svg), 300 * 1024);
    assert_inside(svg);
    free(svg);
}
END_TEST

START_TEST(boundary_leaves_cells_without_class_blank)
{
    int grid[4] = {-1, 5, 0, 1};
    char *svg = boundary(grid, NULL, 2, 2, 0, 1, 0, 1, NULL, NULL,
                                  NULL, 0, 2, NULL, "x", "y");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "fill-opacity"), 2);
    ck_assert_int_eq(check_count(svg, "v1h-1z"), 2);
    free(svg);
    /* a degenerate extent draws no cells, and the points still render */
    float x[1] = {0}, y[1] = {0};
    int label[1] = {0};
    svg = boundary(grid, NULL, 2, 2, 1, 1, 0, 1, x, y, label, 1, 2,
                            NULL, "x", "y");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, "fill-opacity"), 0);
    ck_assert_int_eq(check_count(svg, "r=\"3.5\""), 1);
    free(svg);
}
END_TEST

/* Points kept every 4 epochs sit where those epochs are on the axis. */
START_TEST(curves_place_thinned_points_at_their_epochs)
{
    const float loss[] = {5, 4, 3, 2, 1, 1, 1, 1, 1, 1};
    chart_curves every1 = { loss, NULL, NULL, NULL, 8, 1, 8, NULL };
    const float thin[] = {2, 1}; /* epochs 4 and 8 */
    chart_curves every4 = { thin, NULL, NULL, NULL, 2, 4, 8, "t<1>" };
    char *a = chart_curves_svg(&every1), *b = chart_curves_svg(&every4);
    ck_assert(xml_ok(b));
    char *da = path_after(a, SERIES_MARK), *db = path_after(b, SERIES_MARK);
    double xa[8], ya[8], xb[8], yb[8];
    ck_assert_int_eq(path_points(da, xa, ya, 8), 8);
    ck_assert_int_eq(path_points(db, xb, yb, 8), 2);
    ck_assert_double_eq_tol(xb[0], xa[3], 1e-9);
    ck_assert_double_eq_tol(xb[1], xa[7], 1e-9);
    /* the title is escaped */
    ck_assert_ptr_nonnull(strstr(b, "font-weight=\"bold\""));
    ck_assert_ptr_nonnull(strstr(b, ">t&lt;1&gt;</text>"));
    free(da);
    free(db);
    free(a);
    free(b);
}
END_TEST

/* The number of lines of s. */
static int lines(const char *s)
{
    return check_count(s, "\n");
}

START_TEST(curves_text_draws_sparklines)
{
    const float tl[] = {1, 0.5f, 0.25f, 0.125f}, vl[] = {1.1f, 0.6f, 0.5f,
                                                         0.45f};
    const float ta[] = {0.5f, 0.7f, 0.8f, 0.9f}, va[] = {0.4f, 0.6f, 0.7f,
                                                         0.75f};
    chart_curves c = { tl, vl, ta, va, 4, 1, 8, "training on moons" };
    char *t = chart_curves_text(&c);
    /* title, four series and the epoch scale */
    ck_assert_int_eq(lines(t), 6);
    ck_assert_ptr_nonnull(strstr(t, "training on moons\n"));
    /* loss: from the highest bar down to the lowest, first and last value
     * on either side; the scale spans the 4 epochs done, of 8 asked for */
    ck_assert_ptr_nonnull(strstr(t, "loss              1.0000 "
                                    "\u2587\u2584\u2582\u2581 "
                                    "0.1250\n"));
    ck_assert_ptr_nonnull(strstr(t, "val_accuracy      0.4000 "));
    ck_assert_ptr_nonnull(strstr(t, "\u2588 0.9000\n"));
    ck_assert_ptr_nonnull(strstr(t, "epoch                    1  4 (of 8)\n"));
    free(t);
    /* nothing done: just the title */
    chart_curves none = { tl, NULL, NULL, NULL, 0, 1, 100, "epoch 0/100" };
    t = chart_curves_text(&none);
    ck_assert_str_eq(t, "epoch 0/100\n");
    free(t);
    /* a billion epochs fit in the same 40 columns */
    chart_curves big = { tl, NULL, NULL, NULL, 4, 250000000, 1000000000,
                        NULL };
    t = chart_curves_text(&big);
    ck_assert_ptr_nonnull(strstr(t, " 1000000000\n"));
    ck_assert_int_eq(lines(t), 2);
    free(t);
}
END_TEST

/* Runs compared on one chart: a colour and a legend key each, validation
 * dashed in the run's colour, the x axis as long as the longest run. */
START_TEST(compare_draws_each_run_in_its_colour)
{
    const float a[] = {1, 0.5f, 0.25f}, b[] = {1, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
    chart_curves runs[2] = {
        { a, a, NULL, NULL, 3, 1, 3, NULL },
        { b, NULL, NULL, NULL, 6, 1, 6, NULL },
    };
    const char *const names[] = { "relu_net", "t<a>nh" };
    char *svg = chart_compare_svg(runs, names, 2, "compare");
    ck_assert(xml_ok(svg));
    ck_assert_int_eq(check_count(svg, SERIES_MARK), 3);
    char want[80];
    for (int c = 0; c < 2; c++) {
        snprintf(want, sizeof want, "stroke=\"%s\" stroke-width=\"1.8\"",
                 palette_class(c));
        ck_assert_int_eq(check_count(svg, want), c == 0 ? 2 : 1);
    }
    ck_assert_ptr_nonnull(strstr(svg, ">relu_net</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">t&lt;a&gt;nh</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">6</text>")); /* the longest run */
    free(svg);
    char *t = chart_compare_text(runs, names, 2, "compare");
    ck_assert_ptr_nonnull(strstr(t, "compare\nrelu_net loss "));
    ck_assert_ptr_nonnull(strstr(t, "\nrelu_net val_loss "));
    ck_assert_ptr_nonnull(strstr(t, "\nt<a>nh loss "));
    ck_assert_ptr_null(strstr(t, "t<a>nh val_loss"));
    /* the shorter run's bars stop where it stopped */
    ck_assert_ptr_nonnull(strstr(t, "\u2581    0.2500\n"));
    ck_assert_int_eq(lines(t), 5);
    free(t);
}
END_TEST

START_TEST(scatter_text_maps_points_by_class)
{
    const float x[] = {0, 1, 0, 1}, y[] = {0, 0, 1, 1};
    const int label[] = {0, 1, 2, 1};
    const char *const names[] = {"setosa", "versicolor", "virginica"};
    classplot_points p = { x, y, label, 4, 3, names, "len", "wid", "iris",
                           NULL };
    char *t = classplot_scatter_text(&p);
    ck_assert_ptr_nonnull(strstr(t, "iris\nwid from 0 (bottom) to 1 (top), "
                                    "len from 0 (left) to 1 (right)\n"));
    /* corners: top row starts with class 2 and ends with class 1, bottom
     * row class 0 ... class 1 */
    ck_assert_ptr_nonnull(strstr(t, "\n|2"));
    ck_assert_ptr_nonnull(strstr(t, "1|\n+"));
    ck_assert_ptr_nonnull(strstr(t, "|0 "));
    ck_assert_ptr_nonnull(strstr(t, "0 setosa, 1 versicolor, 2 virginica\n"));
    ck_assert_int_eq(lines(t), 2 + 16 + 2 + 1);
    free(t);
}
END_TEST

START_TEST(boundary_text_maps_regions)
{
    /* left half class 0, right half class 1 */
    int grid[4 * 4];
    for (int i = 0; i < 16; i++)
        grid[i] = i % 4 < 2 ? 0 : 1;
    const float x[] = {-0.5f, 0.5f, 0.5f}, y[] = {0, 0, 0.5f};
    const int label[] = {0, 1, 0};
    classplot_points p = { x, y, label, 3, 2, NULL, "x1", "x2", NULL, NULL };
    classplot_grid g = { grid, NULL, 4, 4, -1, 1, -1, 1 };
    char *t = classplot_boundary_text(&p, &g);
    char row[64] = "|";
    memset(row + 1, '0', 24);
    memset(row + 25, '1', 24);
    strcpy(row + 49, "|\n");
    ck_assert_int_eq(check_count(t, row), 16);
    ck_assert_ptr_nonnull(strstr(t, "0 class 0, 1 class 1\n"));
    ck_assert_ptr_nonnull(strstr(t, "2 of 3 points lie in the region of their "
                                    "class\n"));
    free(t);
    /* with the classifier's class at each point, the count is of those:
     * it agrees with the accuracy even where a grid cell says otherwise */
    const int pred[] = {0, 1, 0};
    p.pred = pred;
    t = classplot_boundary_text(&p, &g);
    ck_assert_ptr_nonnull(strstr(t, "3 of 3 points lie in the region of their "
                                    "class\n"));
    free(t);
}
END_TEST

/* ---- confusion matrices and tables ------------------------------------ */

START_TEST(confusion_text_is_aligned)
{
    const int cm[4] = {5, 1, 0, 12};
    const char *const names[2] = {"cat", "dog"};
    char *t = confusion_text(cm, 2, names);
    ck_assert_str_eq(t, "true \\ predicted  cat  dog\n"
                        "----------------  ---  ---\n"
                        "cat                 5    1\n"
                        "dog                 0   12");
    free(t);
    const int big[4] = {1234567, 0, 0, 1};
    t = confusion_text(big, 2, NULL);
    ck_assert_str_eq(t, "true \\ predicted  class 0  class 1\n"
                        "----------------  -------  -------\n"
                        "class 0           1234567        0\n"
                        "class 1                 0        1");
    free(t);
}
END_TEST

START_TEST(confusion_html_shades_by_row)
{
    const int cm[9] = {50, 0, 0, 0, 45, 5, 0, 0, 0};
    char *html = confusion_html(cm, 3, evil);
    ck_assert(xml_ok(html));
    ck_assert_int_eq(check_count(html, "<td"), 9);
    ck_assert_int_eq(check_count(html, ">predicted</th>"), 1);
    ck_assert_int_eq(check_count(html, ">true</th>"), 1);
    /* a full row cell takes the class-0 colour with white text; empty
     * cells and the all-zero row stay white */
    char full[64];
    snprintf(full, sizeof full, "background:%s;color:#fff\">50<",
             palette_class(0));
    ck_assert_ptr_nonnull(strstr(html, full));
    ck_assert_int_eq(check_count(html, "background:#ffffff;color:#222\">0<"), 6);
    ck_assert_ptr_nonnull(strstr(html, ";color:#fff\">45<"));
    ck_assert_ptr_nonnull(strstr(html, ";color:#222\">5<"));
    ck_assert_int_eq(check_count(html, ">a&lt;b</th>"), 2);
    ck_assert_int_eq(check_count(html, ">x&amp;y</th>"), 2);
    ck_assert_ptr_null(strstr(html, "a<b"));
    free(html);
}
END_TEST

START_TEST(table_text_aligns_numbers_right)
{
    const char *const header[3] = {"name", "loss", "acc"};
    const char *const cells[9] = {"a", "0.5", "97%", "longer", "12.25", "",
                                  "t\tab", NULL, "1e-3"};
    char *t = table_text(header, cells, 3, 3);
    ck_assert_str_eq(t, "name     loss   acc\n"
                        "------  -----  ----\n"
                        "a         0.5   97%\n"
                        "longer  12.25\n"
                        "t ab           1e-3");
    free(t);
    /* widths count characters, not bytes */
    const char *const utf[4] = {"\xc3\xa9t\xc3\xa9", "x", "hiver", "y"};
    t = table_text(NULL, utf, 2, 2);
    ck_assert_str_eq(t, "\xc3\xa9t\xc3\xa9    x\nhiver  y");
    free(t);
    t = table_text(header, NULL, 0, 3);
    ck_assert_str_eq(t, "name  loss  acc\n----  ----  ---");
    free(t);
}
END_TEST

/* number cells: printf's forms, but NaN is "nan" whatever its sign bit
 * (0 * inf on x86 makes a NaN that glibc prints as "-nan") */
START_TEST(table_numbers_write_nan_without_a_sign)
{
    volatile double zero = 0.0;
    double nan_made = zero * (double)INFINITY;
    ck_assert(isnan(nan_made));
    const char *want[][2] = {{"0.5000", "0.5"}, {"nan", "nan"},
                             {"nan", "nan"}, {"-inf", "-inf"},
                             {"12345.6780", "1.235e+04"}};
    double v[] = {0.5, nan_made, -nan_made, -INFINITY, 12345.678};
    for (int i = 0; i < 5; i++) {
        char *f = table_fixed(v[i], 4), *g = table_general(v[i], 4);
        ck_assert_str_eq(f, want[i][0]);
        ck_assert_str_eq(g, want[i][1]);
        free(f);
        free(g);
    }
}
END_TEST

START_TEST(table_html_escapes_and_aligns)
{
    const char *const header[2] = {"<name>", "value"};
    const char *const cells[4] = {"a & b", "1.5", "\xff\"", NULL};
    char *html = table_html(header, cells, 2, 2);
    ck_assert(xml_ok(html));
    ck_assert_ptr_nonnull(strstr(html, "text-align:left;padding:2px 8px\">"
                                       "&lt;name&gt;</th>"));
    ck_assert_ptr_nonnull(strstr(html, "text-align:right;padding:2px 8px\">"
                                       "value</th>"));
    ck_assert_ptr_nonnull(strstr(html, "left;padding:2px 8px\">a &amp; b</td>"));
    ck_assert_ptr_nonnull(strstr(html, "right;padding:2px 8px\">1.5</td>"));
    /* invalid UTF-8 becomes U+FFFD so the document stays valid */
    ck_assert_ptr_nonnull(strstr(html, ">\xef\xbf\xbd&quot;</td>"));
    ck_assert_int_eq(check_count(html, "<td"), 4);
    free(html);
}
END_TEST

static Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, base64_rfc4648_vectors);
    tcase_add_test(tc, base64_round_trips_every_length);
    tcase_add_test(tc, svg_html_embeds_base64_image);
    tcase_add_test(tc, ticks_for_known_ranges);
    tcase_add_test(tc, ticks_refuse_empty_ranges);
    tcase_add_test(tc, ticks_are_nice_and_dense);
    tcase_add_test(tc, tick_labels_use_the_decimals_of_the_step);
    tcase_add_test(tc, xml_checker_rejects_broken_documents);
    tcase_add_test(tc, curves_skip_nan_and_inf);
    tcase_add_test(tc, curves_draw_train_solid_and_validation_dashed);
    tcase_add_test(tc, curves_x_axis_follows_epochs_done);
    tcase_add_test(tc, curves_accuracy_axis_ends_at_one);
    tcase_add_test(tc, curves_clip_nothing);
    tcase_add_test(tc, curves_edge_cases_render);
    tcase_add_test(tc, curves_place_thinned_points_at_their_epochs);
    tcase_add_test(tc, curves_text_draws_sparklines);
    tcase_add_test(tc, compare_draws_each_run_in_its_colour);
    tcase_add_test(tc, scatter_text_maps_points_by_class);
    tcase_add_test(tc, boundary_text_maps_regions);
    tcase_add_test(tc, scatter_draws_each_finite_point_and_a_legend);
    tcase_add_test(tc, class_colours_are_shared);
    tcase_add_test(tc, scatter_thins_large_data);
    tcase_add_test(tc, boundary_merges_equal_cells_of_a_row);
    tcase_add_test(tc, boundary_stays_compact);
    tcase_add_test(tc, boundary_leaves_cells_without_class_blank);
    tcase_add_test(tc, confusion_text_is_aligned);
    tcase_add_test(tc, confusion_html_shades_by_row);
    tcase_add_test(tc, table_text_aligns_numbers_right);
    tcase_add_test(tc, table_numbers_write_nan_without_a_sign);
    tcase_add_test(tc, table_html_escapes_and_aligns);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main_run(plot_suite());
}
