/* render_samples: writes sample charts and tables to a folder, for eyes.
 *
 *   render_samples DIR
 *
 * DIR/<name>.svg for each chart and diagram, DIR/<name>.html for each
 * table, DIR/<name>.txt for the text forms, and DIR/index.html showing
 * everything the way the kernel sends it (SVG as a base64 <img>, tables
 * as HTML). Not a test: open the files, or take
 * headless browser screenshots of them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "classplot.h"
#include "confusion.h"
#include "netdraw.h"
#include "svg.h"
#include "table.h"

static FILE *index_html;

static unsigned long long seed = 42;

static double uniform(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(seed >> 11) / 9007199254740992.0;
}

static double normal(void)
{
    double u = uniform() + 1e-12, v = uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Writes `text` to DIR/name.ext and shows it in the index: SVG through
 * svg_html, HTML as is, plain text in a <pre>. Takes ownership. */
static int emit(const char *dir, const char *name, const char *ext,
                char *text)
{
    if (!text) {
        fprintf(stderr, "render_samples: %s: out of memory\n", name);
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        free(text);
        return -1;
    }
    fputs(text, f);
    fclose(f);
    fprintf(index_html, "<h3>%s</h3>\n", name);
    if (!strcmp(ext, "svg")) {
        char *img = svg_html(text);
        if (img)
            fprintf(index_html, "%s\n", img);
        free(img);
    } else if (!strcmp(ext, "txt")) {
        fprintf(index_html, "<pre>");
        for (const char *p = text; *p; p++) {
            if (*p == '<')
                fputs("&lt;", index_html);
            else if (*p == '&')
                fputs("&amp;", index_html);
            else
                fputc(*p, index_html);
        }
        fprintf(index_html, "</pre>\n");
    } else {
        fputs(text, index_html);
    }
    printf("%s (%zu bytes)\n", path, strlen(text));
    free(text);
    return 0;
}

#define EPOCHS 60

static char *curves_svg(const float *tl, const float *vl, const float *ta,
                    const float *va, int n, int total)
{
    chart_curves c = { tl, vl, ta, va, n, 1, total, "training on moons" };
    return chart_curves_svg(&c);
}

static int curves(const char *dir)
{
    float tl[EPOCHS], vl[EPOCHS], ta[EPOCHS], va[EPOCHS];
    for (int i = 0; i < EPOCHS; i++) {
        tl[i] = (float)(2.3 * exp(-i / 8.0) + 0.05 + 0.02 * uniform());
        vl[i] = (float)(2.3 * exp(-i / 9.0) + 0.12 + 0.002 * i
                        + 0.04 * uniform());
        ta[i] = (float)(1 - 0.9 * exp(-i / 7.0) - 0.01 * uniform());
        va[i] = (float)(0.97 - 0.9 * exp(-i / 8.0) - 0.03 * uniform());
    }
    float nan_loss[EPOCHS], spiky[EPOCHS], flat[EPOCHS];
    memcpy(nan_loss, tl, sizeof tl);
    nan_loss[3] = NAN;
    nan_loss[4] = INFINITY;
    nan_loss[6] = NAN;
    for (int i = 0; i < EPOCHS; i++) {
        spiky[i] = (float)(1e4 * exp(-i * 1.5) + 1e-3);
        flat[i] = 0.5f;
    }
    int rc = 0;
    rc |= emit(dir, "curves_full", "svg",
               curves_svg(tl, vl, ta, va, EPOCHS, EPOCHS));
    rc |= emit(dir, "curves_live", "svg",
               curves_svg(tl, vl, ta, va, 12, EPOCHS));
    rc |= emit(dir, "curves_loss_only", "svg",
               curves_svg(tl, NULL, NULL, NULL, 25, 25));
    rc |= emit(dir, "curves_nan", "svg",
               curves_svg(nan_loss, vl, ta, NULL, 20, 20));
    rc |= emit(dir, "curves_empty", "svg",
               curves_svg(tl, vl, ta, va, 0, 30));
    rc |= emit(dir, "curves_one_epoch", "svg",
               curves_svg(tl, vl, ta, va, 1, 1));
    rc |= emit(dir, "curves_orders_of_magnitude", "svg",
               curves_svg(spiky, NULL, NULL, NULL, 30, 30));
    rc |= emit(dir, "curves_constant", "svg",
               curves_svg(flat, flat, NULL, NULL, 10, 10));
    chart_curves full = { tl, vl, ta, va, EPOCHS, 1, EPOCHS, "training" };
    rc |= emit(dir, "curves_full", "txt", chart_curves_text(&full));
    chart_curves runs[3] = {
        full,
        { nan_loss, NULL, ta, NULL, 20, 2, 40, NULL },
        { spiky, vl, NULL, va, 30, 1, 30, NULL },
    };
    static const char *const run_names[3] = { "wide & deep", "<thin>",
                                              "spiky" };
    rc |= emit(dir, "compare", "svg",
               chart_compare_svg(runs, run_names, 3, "three runs"));
    rc |= emit(dir, "compare", "txt",
               chart_compare_text(runs, run_names, 3, "three runs"));
    return rc;
}

#define K 3
#define N 300
#define G 100

static int classes(const char *dir)
{
    static const double cx[K] = {-1, 1.2, 0.1}, cy[K] = {-0.8, -0.5, 1.3};
    static const char *const names[K] = {"setosa", "versicolor",
                                         "<virginica & \"co\">"};
    float px[N], py[N];
    int label[N];
    for (int i = 0; i < N; i++) {
        label[i] = i % K;
        px[i] = (float)(cx[label[i]] + 0.6 * normal());
        py[i] = (float)(cy[label[i]] + 0.6 * normal());
    }
    static int grid[G * G];
    static float conf[G * G];
    float x0 = -3, x1 = 3.5, y0 = -3, y1 = 3.2;
    for (int j = 0; j < G; j++) {
        for (int i = 0; i < G; i++) {
            double x = x0 + (i + 0.5) * (x1 - x0) / G;
            double y = y0 + (j + 0.5) * (y1 - y0) / G;
            double e[K], sum = 0;
            int best = 0;
            for (int c = 0; c < K; c++) {
                double d = (x - cx[c]) * (x - cx[c]) + (y - cy[c]) * (y - cy[c]);
                e[c] = exp(-1.6 * d);
                sum += e[c];
                best = e[c] > e[best] ? c : best;
            }
            grid[j * G + i] = best;
            conf[j * G + i] = sum > 0 ? (float)(e[best] / sum) : 1.0f / K;
        }
    }
    classplot_points pt = { px, py, label, N, K, names, "petal length",
                            "petal width", "iris: 300 samples", NULL };
    classplot_points bp = { px, py, label, N, K, names, "x1", "x2",
                            "decision boundary on test", NULL };
    classplot_points bare = { px, py, label, N, K, NULL, "x1", "x2", NULL,
                              NULL };
    classplot_grid gr = { grid, conf, G, G, x0, x1, y0, y1 };
    classplot_grid sure = { grid, NULL, G, G, x0, x1, y0, y1 };
    int rc = 0;
    rc |= emit(dir, "scatter", "svg", classplot_scatter_svg(&pt));
    rc |= emit(dir, "boundary", "svg", classplot_boundary_svg(&bp, &gr));
    rc |= emit(dir, "boundary_no_conf", "svg",
               classplot_boundary_svg(&bare, &sure));
    rc |= emit(dir, "scatter", "txt", classplot_scatter_text(&pt));
    rc |= emit(dir, "boundary", "txt", classplot_boundary_text(&pt, &gr));
    static float bx[1000], by[1000];
    static int bl[1000];
    for (int i = 0; i < 1000; i++) {
        bl[i] = i % 10;
        bx[i] = (float)(10 * uniform() - 5);
        by[i] = (float)(10 * uniform() - 5);
    }
    static int g10[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++)
            g10[j * G + i] = (int)(atan2(j - 50.0, i - 50.0) / 6.2832 * 10
                                   + 10) % 10;
    classplot_points ten = { bx, by, bl, 1000, 10, NULL, "x", "y", NULL, NULL };
    classplot_grid g = { g10, conf, G, G, -5, 5, -5, 5 };
    rc |= emit(dir, "boundary_ten_classes", "svg",
               classplot_boundary_svg(&ten, &g));
    return rc;
}

static int tables(const char *dir)
{
    static const char *const names[3] = {"setosa", "versicolor",
                                         "<virginica & \"co\">"};
    static const int cm[9] = {50, 0, 0, 0, 45, 5, 0, 3, 47};
    static const char *const header[4] = {"layer", "shape", "params",
                                          "activation"};
    static const char *const cells[] = {
        "dense_1", "4 -> 16", "80", "relu",
        "dense_2", "16 -> 16", "272", "relu",
        "dense_3", "16 -> 3", "51", "softmax",
        "total", "", "403", "",
    };
    int rc = 0;
    rc |= emit(dir, "confusion", "html", confusion_html(cm, 3, names));
    rc |= emit(dir, "confusion", "txt", confusion_text(cm, 3, names));
    rc |= emit(dir, "table", "html", table_html(header, cells, 4, 4));
    rc |= emit(dir, "table", "txt", table_text(header, cells, 4, 4));
    return rc;
}

/* A net over two features with heatmaps of every neuron, and wide nets
 * whose layers and connections are thinned, as SVG and text. */
static int nets(const char *dir)
{
    nn_err e;
    const nn_layer_spec small[] = {
        { NN_LINEAR, 5, 0, 0, 0, 0 }, { NN_TANH, 0, 0, 0, 0, 0 }, { NN_LINEAR, 3, 0, 0, 0, 0 },
        { NN_SOFTMAX, 0, 0, 0, 0, 0 },
    };
    const nn_layer_spec wide[] = {
        { NN_LINEAR, 256, 0, 0, 0, 0 }, { NN_RELU, 0, 0, 0, 0, 0 }, { NN_DROPOUT, 0, 0.5f, 0, 0, 0 },
        { NN_LINEAR, 128, 0, 0, 0, 0 }, { NN_RELU, 0, 0, 0, 0, 0 }, { NN_LINEAR, 10, 0, 0, 0, 0 },
        { NN_SOFTMAX, 0, 0, 0, 0, 0 },
    };
    const nn_layer_spec one[] = { { NN_LINEAR, 1, 0, 0, 0, 0 }, { NN_SIGMOID, 0, 0, 0, 0, 0 } };
    nn_model *m = nn_model_new(2, small, 4, 7, &e);
    nn_model *w = nn_model_new(784, wide, 7, 7, &e);
    nn_model *o = nn_model_new(2, one, 2, 7, &e);
    if (!m || !w || !o) {
        nn_model_free(m);
        nn_model_free(w);
        nn_model_free(o);
        return -1;
    }
    enum { GR = 24 };
    static float hidden[5 * GR * GR], out[3 * GR * GR];
    for (int j = 0; j < GR; j++)
        for (int i = 0; i < GR; i++) {
            for (int u = 0; u < 5; u++)
                hidden[(u * GR + j) * GR + i] =
                    (float)tanh((i - 11.5) * cos(u) / 4 + (j - 11.5) * sin(u)
                                / 4);
            for (int u = 0; u < 3; u++)
                out[(u * GR + j) * GR + i] =
                    (float)(0.5 + 0.5 * sin((i + 2 * j + 7 * u) / 6.0));
        }
    const float *heat[] = { NULL, hidden, out };
    static const char *const features[] = { "petal <length>", "x & y" };
    static const char *const classes[] = { "setosa", "versicolor",
                                           "virginica \"v\" \xE2\x80\xA6 long "
                                           "name indeed" };
    static const char *const two[] = { "no", "yes" };
    netdraw_net nm = { .model = m, .features = features, .classes = classes,
                       .n_classes = 3, .note = "after 5 epochs on <toy>",
                       .heat = heat, .grid = GR };
    netdraw_net plain = { .model = m };
    netdraw_net nw = { .model = w, .note = "mnist" };
    netdraw_net no = { .model = o, .classes = two, .n_classes = 2 };
    int rc = 0;
    rc |= emit(dir, "net_heatmaps", "svg", netdraw_svg(&nm));
    rc |= emit(dir, "net_heatmaps", "txt", netdraw_text(&nm));
    rc |= emit(dir, "net_plain", "svg", netdraw_svg(&plain));
    rc |= emit(dir, "net_wide", "svg", netdraw_svg(&nw));
    rc |= emit(dir, "net_wide", "txt", netdraw_text(&nw));
    rc |= emit(dir, "net_one", "svg", netdraw_svg(&no));
    rc |= emit(dir, "net_one", "txt", netdraw_text(&no));
    nn_model_free(m);
    nn_model_free(w);
    nn_model_free(o);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: render_samples DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/index.html", argv[1]);
    index_html = fopen(path, "w");
    if (!index_html) {
        perror(path);
        return 1;
    }
    fprintf(index_html, "<!doctype html>\n<meta charset=\"utf-8\">\n"
                        "<body style=\"font-family:sans-serif\">\n");
    int rc = curves(argv[1]) | classes(argv[1]) | tables(argv[1])
             | nets(argv[1]);
    fprintf(index_html, "</body>\n");
    fclose(index_html);
    printf("%s\n", path);
    return rc ? 1 : 0;
}
