#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "drawgrad.h"
#include "netdraw.h"
#include "pictures.h"
#include "show.h"
#include "sb.h"
#include "view.h"

#define GRID 24   /* heatmap points across and up */

static const char not_built[] =
    "the net is not built yet: fit it first (fit net on train) or start it "
    "with input(d)";

/* The error at the running statement; returns -1. */
static int stmt_fail(lang_run *run, const char *ename, const char *msg)
{
    int pos = run->current ? run->current->pos : -1;
    int len = run->current ? run->current->len : 1;
    return lang_err_set(run->e, ename, pos, len, "%s", msg);
}

/* The range of feature j of the plane, widened by 5% on each side (by 1
 * when it is a single value or there are no samples). */
static void plane_range(const nn_data *p, int j, float *lo, float *hi)
{
    float a = INFINITY, b = -INFINITY;
    for (int i = 0; i < p->n; i++) {
        float v = p->x[(size_t)i * p->d + j];
        if (isfinite(v)) {
            a = fminf(a, v);
            b = fmaxf(b, v);
        }
    }
    if (!(b > a)) {
        a = isfinite(a) ? a - 1 : -1;
        b = isfinite(b) ? b + 1 : 1;
    }
    float pad = (b - a) * 0.05f;
    *lo = a - pad;
    *hi = b + pad;
}

/* Runs a copy of model m in eval mode over a GRID x GRID lattice spanning
 * the plane and fills heat[c] (columns c >= 1) with each neuron's outputs,
 * as netdraw_net wants them. Returns the block holding them all (the
 * caller frees it), or NULL on OOM. */
static float *plane_heat(nn_model *m, const nn_data *plane,
                         const float **heat)
{
    int cols = netcol_count(m), cells = GRID * GRID;
    size_t total = 0;
    for (int c = 1; c < cols; c++)
        total += (size_t)netcol_units(m, c) * cells;
    nn_err err;
    float *pts = malloc((size_t)cells * 2 * sizeof *pts);
    float *block = malloc(total * sizeof *block + 1);
    nn_model *copy = pts && block ? nn_model_copy(m, &err) : NULL;
    int ok = copy != NULL;
    if (ok) {
        float x0, x1, y0, y1;
        plane_range(plane, 0, &x0, &x1);
        plane_range(plane, 1, &y0, &y1);
        for (int j = 0; j < GRID; j++)
            for (int i = 0; i < GRID; i++) {
                pts[2 * (j * GRID + i)] = x0 + (i + 0.5f) * (x1 - x0) / GRID;
                pts[2 * (j * GRID + i) + 1] = y0 + (j + 0.5f) * (y1 - y0)
                                                   / GRID;
            }
        nn_model_set_training(copy, 0);
        ok = nn_model_forward(copy, pts, cells, &err) != NULL;
    }
    float *w = block;
    for (int c = 1; ok && c < cols; c++) {
        int units = netcol_units(m, c);
        const float *y = nn_model_layer_output(copy,
                                               netcol_layer(m, c));
        for (int u = 0; u < units; u++)
            for (int p = 0; p < cells; p++)
                w[(size_t)u * cells + p] = y[(size_t)p * units + u];
        heat[c] = w;
        w += (size_t)units * cells;
    }
    nn_model_free(copy);
    free(pts);
    if (!ok) {
        free(block);
        return NULL;
    }
    return block;
}

int draw_show(lang_run *run, net_value *n, const nn_data *plane,
              const char *display_id, int update)
{
    assert(run && n);
    nn_model *m = n->model;
    if (!m)
        return stmt_fail(run, "ValueError", not_built);
    if (plane && (plane->d != 2 || nn_model_in(m) != 2))
        return stmt_fail(run, "ShapeError", "heatmaps over the input plane "
                         "need a net of 2 inputs and data of 2 features");
    int cols = netcol_count(m);
    const float **heat = plane ? calloc((size_t)cols, sizeof *heat) : NULL;
    float *block = heat ? plane_heat(m, plane, heat) : NULL;
    char *note = n->epochs > 0
        ? sb_printf("after %d epoch%s%s%s", n->epochs,
                   n->epochs == 1 ? "" : "s", n->fit_on ? " on " : "",
                   n->fit_on ? n->fit_on : "")
        : NULL;
    netdraw_net d = {
        .model = m,
        .features = n->n_features == nn_model_in(m)
                    ? (const char *const *)n->feature_names : NULL,
        /* a regression net's outputs are named by its targets */
        .classes = n->targets
                   ? (const char *const *)n->targets->target_names
                   : (const char *const *)n->class_names,
        .n_classes = n->targets ? n->targets->n_targets : n->n_classes,
        .note = note,
        .heat = block ? (const float *const *)heat : NULL,
        .grid = GRID,
    };
    int failed = (plane && !block) || (n->epochs > 0 && !note);
    char *svg = failed ? NULL : netdraw_svg(&d);
    char *text = failed ? NULL : netdraw_text(&d);
    free(note);
    free(block);
    free(heat);
    return show_plot(run, svg, text, display_id, update);
}

/* What show= asks for: 1 gradients (data given), 0 weights, or -1 with
 * the error set. */
static int draw_shows_gradients(lang_run *run, const args *a,
                                const char *show, const value *data)
{
    int len, pos = arg_pos(a, "show", &len);
    if (strcmp(show, "gradients"))
        return 0;
    if (!data)
        return lang_err_set(run->e, "ValueError", pos, len, "gradients are "
                            "of a batch: draw net on data, "
                            "show=\"gradients\"");
    if (data->kind == V_DATA && data->as.data.set->task == NN_TASK_REGRESS)
        return lang_err_set(run->e, "ValueError", pos, len, "gradients "
                            "are drawn for class labels; a regression set "
                            "(continuous targets) cannot be drawn so yet");
    return 1;
}

static value *draw_net(lang_run *run, const args *a)
{
    value *net, *data;
    const char *show;
    if (arg_value(run, a, "net", &net) < 0
        || arg_value(run, a, "data", &data) < 0
        || arg_choice(run, a, "show", &show) < 0)
        return NULL;
    net_value *n = net->as.net;
    int len, pos;
    if (!n->model) {
        pos = arg_pos(a, "net", &len);
        lang_err_set(run->e, "ValueError", pos, len, "%s", not_built);
        return NULL;
    }
    int grads = draw_shows_gradients(run, a, show, data);
    if (grads)
        return grads < 0 || drawgrad_show(run, a, net, data) < 0
               ? NULL : builtin_none(run, a);
    const nn_data *d = data ? data->as.data.set : NULL;
    pos = arg_pos(a, "data", &len);
    if (d && d->d != 2) {
        lang_err_set(run->e, "ShapeError", pos, len, "heatmaps over the input "
                     "plane need data with 2 features: %s has %d (draw net "
                     "alone shows the net)", d->name, d->d);
        return NULL;
    }
    if (d && nn_model_in(n->model) != 2) {
        lang_err_set(run->e, "ShapeError", pos, len, "the net takes %d "
                     "features, but %s has 2", nn_model_in(n->model),
                     d->name);
        return NULL;
    }
    nn_data *copy = NULL;
    if (d && !(d = view_data(run, a, n, data, &copy, NULL)))
        return NULL;
    int rc = draw_show(run, n, d, NULL, 0);
    if (rc == 0)
        rc = pictures_filters(run, a, n->model);
    nn_data_free(copy);
    return rc < 0 ? NULL : builtin_none(run, a);
}

/* ---- the family ---------------------------------------------------- */

static const param p_draw[] = {
    PARAM_VALUE("net", V_NET, NULL, "the net to draw (built)"),
    PARAM_VALUE("data", V_DATA, "none",
                "data with two features: heatmaps over its plane"),
    PARAM_CHOICE("show", "weights", CHOICES("weights", "gradients"),
                 "\"weights\", or \"gradients\": -dL/dw on the data"),
    PARAM_END
};

static const builtin table[] = {
    { "draw", B_COMMAND, p_draw, 1, 0, draw_net,
      "draws the net: its neurons, weights and biases",
      { "on", 0, 1, "draw net  or  draw net on data, show=\"gradients\"",
        0 } },
};

const builtin_family draw_family = {
    "draw", table, sizeof table / sizeof *table
};
