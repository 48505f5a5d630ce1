#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "regcurve.h"
#include "regdata.h"
#include "regplot.h"

#define CURVE_POINTS 200

/* Fills cx with CURVE_POINTS x values across the data's range (5% more
 * each side) and cy with the net's first output there. */
static int curve(nn_model *m, const nn_data *shown, const nn_scaler *s,
                 const nn_data *scale, float *cx, float *cy)
{
    int k = nn_model_out(m);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < shown->n; i++) {
        lo = fmin(lo, shown->x[i]);
        hi = fmax(hi, shown->x[i]);
    }
    if (!(lo <= hi)) {
        lo = -1;
        hi = 1;
    }
    double pad = (hi - lo) * 0.05 + (hi == lo);
    float *in = malloc(CURVE_POINTS * sizeof *in);
    float *out = malloc((size_t)CURVE_POINTS * (size_t)k * sizeof *out);
    int rc = -1;
    if (in && out) {
        for (int i = 0; i < CURVE_POINTS; i++) {
            cx[i] = (float)(lo - pad + (hi - lo + 2 * pad) * i
                                           / (CURVE_POINTS - 1));
            in[i] = cx[i];
        }
        if (s)
            nn_scaler_apply(s, in, CURVE_POINTS);
        rc = nn_model_predict(m, in, CURVE_POINTS, out, NULL);
    }
    if (rc == 0 && scale && scale->task == NN_TASK_REGRESS
        && scale->n_targets == k)
        nn_data_unscale_targets(scale, out, CURVE_POINTS);
    for (int i = 0; rc == 0 && i < CURVE_POINTS; i++)
        cy[i] = out[(size_t)i * k];
    free(in);
    free(out);
    return rc;
}

int regcurve_plot(nn_model *m, const nn_data *shown, const nn_scaler *s,
                  const nn_data *scale, const char *title, char **svg,
                  char **text)
{
    assert(m && shown && shown->d == 1 && shown->task == NN_TASK_REGRESS);
    *svg = *text = NULL;
    int n = shown->n;
    float *py = malloc((size_t)n * sizeof *py + 1);
    float *c = malloc(2 * CURVE_POINTS * sizeof *c);
    int rc = -1;
    if (py && c && curve(m, shown, s, scale, c, c + CURVE_POINTS) == 0) {
        for (int i = 0; i < n; i++)
            py[i] = regdata_target(shown, i, 0);
        regplot p = { .px = shown->x, .py = py, .n = n, .lx = c,
                      .ly = c + CURVE_POINTS, .ln = CURVE_POINTS,
                      .xlabel = shown->feature_names[0],
                      .ylabel = shown->target_names[0], .title = title };
        *svg = regplot_svg(&p);
        *text = regplot_text(&p);
        rc = *svg && *text ? 0 : -1;
    }
    if (rc < 0) {
        free(*svg);
        free(*text);
        *svg = *text = NULL;
    }
    free(py);
    free(c);
    return rc;
}
