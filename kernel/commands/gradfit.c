#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "drawgrad.h"
#include "gradfit.h"
#include "nn_trace.h"
#include "sb.h"
#include "show.h"

#define POINTS 1024   /* points kept a layer, however many epochs */
#define LABEL "log10 |grad|" /* the chart's axis */
#define WARN_RATIO 1e3 /* first/last norms further apart than this warn */

struct gradfit {
    int layers;          /* linear layers */
    int total;           /* epochs asked for */
    int points, every;   /* as fit's curves: point i after (i+1)*every */
    int epochs;          /* epochs recorded */
    int steps;           /* steps summed in the running epoch */
    double *sum;         /* per layer: norms summed over the epoch */
    double *now;         /* per layer: this step's norms */
    float *norm;         /* layers x POINTS */
    const char *act;     /* a saturating hidden activation, or NULL */
    char id[48];
    /* with fit's draw=true: the gradient diagram, of the mean gradient of
     * the last epoch's steps */
    net_value *net;      /* borrowed; NULL: no diagram */
    size_t n_params;
    float *gsum;         /* the running epoch's gradients summed */
    float *gmean;        /* the last epoch's mean */
    char draw_id[48];
};

/* The name of the first sigmoid or tanh between linear layers, or NULL. */
static const char *saturating(nn_model *m)
{
    for (int i = 0; i + 1 < nn_model_n_layers(m); i++) {
        nn_layer_kind k = nn_model_layer(m, i)->kind;
        if (k == NN_SIGMOID || k == NN_TANH)
            return nn_layer_name(k);
    }
    return NULL;
}

gradfit *gradfit_new(nn_model *m, int epochs, net_value *draw)
{
    static unsigned count;
    gradfit *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->layers = nn_trace_layer_norms(m, NULL, 0);
    g->total = epochs;
    g->every = 1;
    g->act = saturating(m);
    size_t l = g->layers > 0 ? (size_t)g->layers : 1;
    g->sum = calloc(l, sizeof *g->sum);
    g->now = calloc(l, sizeof *g->now);
    g->norm = calloc(l * POINTS, sizeof *g->norm);
    if (draw) {
        g->net = draw;
        g->n_params = nn_model_n_params(m);
        g->gsum = calloc(g->n_params + 1, sizeof *g->gsum);
        g->gmean = calloc(g->n_params + 1, sizeof *g->gmean);
    }
    if (!g->sum || !g->now || !g->norm || (draw && (!g->gsum || !g->gmean))) {
        gradfit_free(g);
        return NULL;
    }
    snprintf(g->id, sizeof g->id, "cnn-grad-%d-%u", (int)getpid(), ++count);
    snprintf(g->draw_id, sizeof g->draw_id, "cnn-graddraw-%d-%u",
             (int)getpid(), count);
    return g;
}

void gradfit_free(gradfit *g)
{
    if (!g)
        return;
    free(g->sum);
    free(g->now);
    free(g->norm);
    free(g->gsum);
    free(g->gmean);
    free(g);
}

int gradfit_layers(const gradfit *g) { return g->layers; }

const float *gradfit_norms(const gradfit *g, int layer, int *n, int *every)
{
    if (layer < 0 || layer >= g->layers)
        return NULL;
    *n = g->points;
    *every = g->every;
    return g->norm + (size_t)layer * POINTS;
}

/* Keeps the epoch's means as a point, halving the points when full. */
static void keep_epoch(gradfit *g)
{
    g->epochs++;
    if (g->epochs % g->every)
        return;
    if (g->points == POINTS) {
        for (int l = 0; l < g->layers; l++) {
            float *v = g->norm + (size_t)l * POINTS;
            for (int i = 0; i < POINTS / 2; i++)
                v[i] = v[2 * i + 1];
        }
        g->points = POINTS / 2;
        g->every *= 2;
        if (g->epochs % g->every)
            return;
    }
    for (int l = 0; l < g->layers; l++)
        g->norm[(size_t)l * POINTS + g->points] = (float)(g->sum[l]
                                                          / g->steps);
    g->points++;
}

void gradfit_step(gradfit *g, nn_model *m, const nn_progress *p)
{
    nn_trace_layer_norms(m, g->now, g->layers);
    for (int l = 0; l < g->layers; l++)
        g->sum[l] += g->now[l];
    g->steps++;
    const float *grads = nn_model_grads(m);
    for (size_t j = 0; g->gsum && j < g->n_params; j++)
        g->gsum[j] += grads[j];
    if (!p->epoch_done)
        return;
    for (size_t j = 0; g->gsum && j < g->n_params; j++) {
        g->gmean[j] = g->gsum[j] / (float)g->steps;
        g->gsum[j] = 0.0f;
    }
    keep_epoch(g);
    memset(g->sum, 0, (size_t)g->layers * sizeof *g->sum);
    g->steps = 0;
}

/* Linear layer shown as chart line i of `lines`: all of them when they
 * fit, else the first ones and the last. */
static int charted(const gradfit *g, int i, int lines)
{
    return i == lines - 1 ? g->layers - 1 : i;
}

/* The chart under display id `id` (NULL: a display of its own). */
static int draw_chart(gradfit *g, lang_run *run, const char *id, int update,
                      const char *state)
{
    int lines = g->layers < CHART_MAX_RUNS ? g->layers : CHART_MAX_RUNS;
    chart_curves runs[CHART_MAX_RUNS];
    char names[CHART_MAX_RUNS][24];
    const char *name[CHART_MAX_RUNS];
    float *logs = malloc(((size_t)lines * g->points + 1) * sizeof *logs);
    char *title = sb_printf("gradient norm per layer: epoch %d/%d%s",
                            g->epochs, g->total, state);
    for (int i = 0; logs && i < lines; i++) {
        int l = charted(g, i, lines);
        float *v = logs + (size_t)i * g->points;
        for (int j = 0; j < g->points; j++)
            v[j] = (float)log10(g->norm[(size_t)l * POINTS + j]);
        snprintf(names[i], sizeof names[i], "layer %d", l + 1);
        name[i] = names[i];
        runs[i] = (chart_curves){ .train_loss = v, .n = g->points,
                                  .every = g->every, .total = g->total };
    }
    int ok = logs && title;
    char *svg = ok ? chart_named_svg(runs, name, lines, title, LABEL) : NULL;
    char *text = ok ? chart_named_text(runs, name, lines, title, LABEL)
                    : NULL;
    free(logs);
    free(title);
    return show_plot(run, svg, text, id, update);
}

/* The gradient diagram of the last epoch under display id `id` (NULL: a
 * display of its own); all zero before the first epoch; nothing without
 * draw=true. */
static int draw_pushes(gradfit *g, lang_run *run, const char *id,
                       int update, const char *state)
{
    if (!g->net)
        return 0;
    nn_err err;
    nn_model *c = nn_model_copy(g->net->model, &err);
    for (size_t j = 0; c && j < g->n_params; j++)
        nn_model_params(c)[j] = -g->gmean[j];
    char *note = g->epochs == 0
        ? sb_printf("-dL/dw: epoch 0/%d%s", g->total, state)
        : sb_printf("-dL/dw, mean of epoch %d/%d%s", g->epochs, g->total,
                    state);
    int rc = drawgrad_plot(run, g->net, c, note, id, update);
    nn_model_free(c);
    free(note);
    return rc;
}

int gradfit_show(gradfit *g, lang_run *run, int update, const char *state)
{
    return draw_chart(g, run, g->id, update, state) < 0
           || draw_pushes(g, run, g->draw_id, update, state) < 0 ? -1 : 0;
}

/* r (> 0) as "3e-7": one significant digit, the exponent unpadded. */
static void short_exp(double r, char buf[32])
{
    int e = (int)floor(log10(r));
    int m = (int)lround(r / pow(10, e));
    if (m == 10) {
        m = 1;
        e++;
    }
    snprintf(buf, 32, "%de%d", m, e);
}

char *gradfit_warning(const gradfit *g)
{
    if (g->layers < 2 || g->points == 0)
        return NULL;
    const float *first = g->norm, *last = g->norm
                                          + (size_t)(g->layers - 1) * POINTS;
    double a = first[g->points - 1], b = last[g->points - 1];
    if (!(b > 0) || !isfinite(a) || !isfinite(b))
        return NULL;
    double r = a / b;
    char x[32];
    if (!(r > 0))
        return NULL;
    short_exp(r, x);
    if (r < 1 / WARN_RATIO) {
        if (g->act)
            return sb_printf("layer 1 gets %s of layer %d's gradient: %s "
                             "saturates; try relu or a smaller init", x,
                             g->layers, g->act);
        return sb_printf("layer 1 gets %s of layer %d's gradient: the "
                         "gradient vanishes on its way back; try fewer "
                         "layers or a smaller init", x, g->layers);
    }
    if (r > WARN_RATIO)
        return sb_printf("layer 1 gets %s times layer %d's gradient: the "
                         "gradients explode on their way back; try a lower "
                         "learning rate or a smaller init", x, g->layers);
    return NULL;
}

int gradfit_final(gradfit *g, lang_run *run)
{
    if (show_clear(run, g->id) < 0
        || (g->net && show_clear(run, g->draw_id) < 0))
        return -1;
    int rc = draw_chart(g, run, NULL, 0, "") < 0
             || draw_pushes(g, run, NULL, 0, "") < 0 ? -1 : 0;
    char *warn = gradfit_warning(g);
    char *line = warn ? sb_printf("warning: %s\n", warn) : NULL;
    if (line)
        run->out->stream(run->out->ctx, "stderr", line);
    free(line);
    free(warn);
    return rc;
}
