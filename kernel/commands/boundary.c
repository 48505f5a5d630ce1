#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "classplot.h"
#include "nn_train.h"
#include "show.h"

/* Feature j of every sample of d, malloc'd; NULL on OOM. */
static float *column(const nn_data *d, int j)
{
    float *c = malloc((size_t)d->n * sizeof *c + 1);
    for (int i = 0; c && i < d->n; i++)
        c[i] = d->x[(size_t)i * d->d + j];
    return c;
}

#define GRID 100

/* The class model m gives each point of 2-D data d (through scaler s
 * first when not NULL), malloc'd; NULL on OOM or when predicting fails. */
static int *point_classes(nn_model *m, const nn_data *d, const nn_scaler *s)
{
    int out = nn_model_out(m);
    float *x = malloc((size_t)d->n * 2 * sizeof *x + 1);
    float *prob = malloc((size_t)d->n * (size_t)out * sizeof *prob + 1);
    int *cls = malloc((size_t)d->n * sizeof *cls + 1);
    nn_err err;
    if (x && prob && cls) {
        memcpy(x, d->x, (size_t)d->n * 2 * sizeof *x);
        if (s)
            nn_scaler_apply(s, x, d->n);
        if (nn_model_predict(m, x, d->n, prob, &err) == 0) {
            for (int i = 0; i < d->n; i++)
                cls[i] = nn_predict_class(prob + (size_t)i * out, out);
        } else {
            free(cls);
            cls = NULL;
        }
    }
    free(x);
    free(prob);
    if (!(x && prob)) {
        free(cls);
        cls = NULL;
    }
    return cls;
}

static void data_span(const float *x, int n, int stride, float *lo, float *hi)
{
    float a = INFINITY, b = -INFINITY;
    for (int i = 0; i < n; i++) {
        a = fminf(a, x[(size_t)i * stride]);
        b = fmaxf(b, x[(size_t)i * stride]);
    }
    if (!(b > a)) {
        a -= 1;
        b += 1;
    }
    float pad = (b - a) * 0.05f;
    *lo = a - pad;
    *hi = b + pad;
}

/* The decision boundary of model m over the range of 2-D data `shown`
 * (points drawn in its coordinates; grid points go through scaler s first
 * when not NULL), under `title`, as SVG and text (malloc'd for the
 * caller). Returns 0, or -1 with both NULL when memory runs out. */
int boundary_plot(nn_model *m, const nn_data *shown,
                         const nn_scaler *s, const char *const *names, int k,
                         const char *title, char **svg, char **text)
{
    int out = nn_model_out(m), cells = GRID * GRID;
    float x0, x1, y0, y1;
    data_span(shown->x, shown->n, 2, &x0, &x1);
    data_span(shown->x + 1, shown->n, 2, &y0, &y1);
    float *pts = malloc((size_t)cells * 2 * sizeof *pts);
    float *prob = malloc((size_t)cells * (size_t)out * sizeof *prob);
    int *grid = malloc((size_t)cells * sizeof *grid);
    float *conf = malloc((size_t)cells * sizeof *conf);
    float *px = column(shown, 0), *py = column(shown, 1);
    int *pred = point_classes(m, shown, s);
    nn_err err;
    *svg = *text = NULL;
    if (pts && prob && grid && conf && px && py && pred) {
        for (int j = 0; j < GRID; j++)
            for (int i = 0; i < GRID; i++) {
                float *pt = pts + 2 * (j * GRID + i);
                pt[0] = x0 + (i + 0.5f) * (x1 - x0) / GRID;
                pt[1] = y0 + (j + 0.5f) * (y1 - y0) / GRID;
            }
        if (s)
            nn_scaler_apply(s, pts, cells);
        if (nn_model_predict(m, pts, cells, prob, &err) == 0) {
            for (int c = 0; c < cells; c++) {
                const float *p = prob + (size_t)c * out;
                grid[c] = nn_predict_class(p, out);
                conf[c] = out == 1 ? fmaxf(p[0], 1 - p[0]) : p[grid[c]];
            }
            classplot_points pp = {
                .px = px, .py = py, .label = shown->y, .n = shown->n, .k = k,
                .class_names = names, .xlabel = shown->feature_names[0],
                .ylabel = shown->feature_names[1], .title = title,
                .pred = pred,
            };
            classplot_grid g = { grid, conf, GRID, GRID, x0, x1, y0, y1 };
            *svg = classplot_boundary_svg(&pp, &g);
            *text = classplot_boundary_text(&pp, &g);
        }
    }
    free(pts);
    free(prob);
    free(grid);
    free(conf);
    free(px);
    free(py);
    free(pred);
    return show_both_or_neither(svg, text);
}
