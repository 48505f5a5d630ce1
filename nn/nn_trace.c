#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_blas.h"
#include "nn_trace.h"

void nn_trace_free(nn_trace *t)
{
    if (!t)
        return;
    for (int i = 0; t->layers && i < t->n_layers; i++) {
        nn_trace_layer *l = &t->layers[i];
        free(l->out);
        free(l->gout);
        free(l->gw);
        free(l->gb);
        free(l->dw);
        free(l->db);
    }
    free(t->layers);
    free(t);
}

double nn_trace_norm(const float *v, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (double)v[i] * v[i];
    return sqrt(s);
}

int nn_trace_layer_norms(nn_model *m, double *norms, int cap)
{
    assert(m && (norms || cap == 0));
    const float *g = nn_model_grads(m);
    int j = 0;
    for (int i = 0; i < nn_model_n_layers(m); i++) {
        if (!nn_model_layer_params(m, i))
            continue;
        if (j < cap)
            norms[j] = nn_trace_norm(g + nn_model_layer_offset(m, i),
                                     nn_model_layer_params(m, i));
        j++;
    }
    return j;
}

/* Allocates the arrays of every layer of t. 0, or -1 on OOM. */
static int trace_alloc(nn_trace *t, const nn_model *m)
{
    for (int i = 0; i < t->n_layers; i++) {
        nn_trace_layer *l = &t->layers[i];
        size_t len = (size_t)t->n * nn_model_layer_out(m, i);
        l->in = nn_model_layer_in(m, i);
        l->width = nn_model_layer_out(m, i);
        l->out = malloc(len * sizeof *l->out);
        if (!l->out)
            return -1;
        if (i <= t->top && !(l->gout = malloc(len * sizeof *l->gout)))
            return -1;
        size_t np = nn_model_layer_params(m, i);
        if (!np)
            continue;
        const nn_layer_spec *s = nn_model_layer(m, i);
        l->nb = s->kind == NN_LINEAR ? l->width
                : s->kind == NN_CONV2D ? s->units : (int)(np / 2);
        l->nw = np - (size_t)l->nb;
        l->gw = malloc(l->nw * sizeof *l->gw);
        l->dw = malloc(l->nw * sizeof *l->dw);
        l->gb = malloc((size_t)l->nb * sizeof *l->gb);
        l->db = malloc((size_t)l->nb * sizeof *l->db);
        if (!l->gw || !l->dw || !l->gb || !l->db)
            return -1;
    }
    return 0;
}

/* The gradient with respect to each layer's output, from the top one's
 * down, through the engine's layer backward passes (eval mode: dropout
 * passes the gradient through), after a forward pass on x. */
static void backward_outputs(nn_model *m, nn_trace *t, const float *x)
{
    for (int i = t->top; i >= 1; i--)
        nn_model_layer_backward(m, i, x, t->layers[i].gout,
                                t->layers[i - 1].gout, t->n);
}

/* The parameter gradients (from the engine's backward pass, already in
 * the model's buffer) and the update a fresh optimizer makes from them.
 * 0, or -1 with e set. */
static int gradients_and_update(nn_model *m, nn_trace *t,
                                const nn_optim_spec *opt, nn_err *e)
{
    size_t np = nn_model_n_params(m);
    const float *p = nn_model_params(m), *g = nn_model_grads(m);
    float *next = malloc((np ? np : 1) * sizeof *next);
    if (!next)
        return nn_err_oom(e, "the traced update", np * sizeof *next);
    nn_optim *o = nn_optim_new(opt, np, e);
    if (!o) {
        free(next);
        return -1;
    }
    memcpy(next, p, np * sizeof *next);
    nn_optim_step(o, next, g);
    nn_optim_free(o);
    for (int i = 0; i < t->n_layers; i++) {
        nn_trace_layer *l = &t->layers[i];
        if (!l->gw)
            continue;
        size_t off = nn_model_layer_offset(m, i), nw = l->nw;
        memcpy(l->gw, g + off, nw * sizeof *l->gw);
        memcpy(l->gb, g + off + nw, (size_t)l->nb * sizeof *l->gb);
        for (size_t j = 0; j < nw; j++)
            l->dw[j] = next[off + j] - p[off + j];
        for (int j = 0; j < l->nb; j++)
            l->db[j] = next[off + nw + j] - p[off + nw + j];
    }
    free(next);
    return 0;
}

static int first_linear(const nn_model *m)
{
    for (int i = 0; i < nn_model_n_layers(m); i++)
        if (nn_model_layer_params(m, i))
            return i;
    return -1;
}

/* Runs the passes into t (allocated), in eval mode, the mode a model is
 * in between fits. 0, or -1 with e set. */
static int trace_run(nn_model *m, nn_trace *t, const float *x, const int *y,
                     nn_loss_kind loss, const nn_optim_spec *opt, nn_err *e)
{
    nn_model_set_training(m, 0);
    if (!nn_model_forward(m, x, t->n, e))
        return -1;
    for (int i = 0; i < t->n_layers; i++)
        memcpy(t->layers[i].out, nn_model_layer_output(m, i),
               (size_t)t->n * t->layers[i].width * sizeof(float));
    int top;
    t->loss_value = nn_train_batch_loss(m, loss, x, y, t->n,
                                        t->layers[t->top].gout, &top);
    assert(top == t->top);
    if (!isfinite(t->loss_value))
        return nn_err_set(e, "the loss is %g on these rows: the net's "
                          "outputs overflow", (double)t->loss_value);
    nn_model_backward(m, x, t->layers[t->top].gout, t->n, t->top);
    /* the backward pass overwrote the conv patches: the forward again */
    if (!nn_model_forward(m, x, t->n, e))
        return -1;
    backward_outputs(m, t, x);
    return gradients_and_update(m, t, opt, e);
}

nn_trace *nn_trace_step(nn_model *m, const float *x, const int *y, int n,
                        nn_loss_kind loss, const nn_optim_spec *opt,
                        nn_err *e)
{
    assert(m && x && y && opt && n >= 1);
    if (first_linear(m) < 0) {
        nn_err_set(e, "the net has no linear layer: it has no weights for "
                   "a step to change");
        return NULL;
    }
    int last = nn_model_n_layers(m) - 1, k = nn_model_out(m);
    nn_layer_kind end = nn_model_layer(m, last)->kind;
    nn_loss_kind kind = loss != NN_LOSS_AUTO ? loss
                        : k == 1 ? NN_LOSS_BCE : NN_LOSS_CE;
    int fused = (kind == NN_LOSS_BCE && end == NN_SIGMOID)
                || (kind == NN_LOSS_CE && end == NN_SOFTMAX);
    size_t np = nn_model_n_params(m);
    nn_trace *t = calloc(1, sizeof *t);
    float *saved = malloc((np ? np : 1) * sizeof *saved);
    if (t) {
        *t = (nn_trace){ .n = n, .n_layers = last + 1, .loss = kind,
                         .top = fused ? last - 1 : last, .lr = opt->lr,
                         .optim = opt->kind };
        t->layers = calloc((size_t)t->n_layers, sizeof *t->layers);
    }
    if (!t || !saved || !t->layers || trace_alloc(t, m) < 0) {
        nn_err_oom(e, "the trace", (size_t)n * sizeof(float) * 2
                   * (size_t)nn_model_n_layers(m));
        free(saved);
        nn_trace_free(t);
        return NULL;
    }
    memcpy(saved, nn_model_grads(m), np * sizeof *saved);
    int rc = trace_run(m, t, x, y, loss, opt, e);
    memcpy(nn_model_grads(m), saved, np * sizeof *saved);
    free(saved);
    if (rc < 0) {
        nn_trace_free(t);
        return NULL;
    }
    return t;
}

void nn_trace_apply(nn_model *m, const nn_trace *t)
{
    assert(m && t && t->n_layers == nn_model_n_layers(m));
    float *p = nn_model_params(m);
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *l = &t->layers[i];
        if (!l->dw)
            continue;
        size_t off = nn_model_layer_offset(m, i), nw = l->nw;
        for (size_t j = 0; j < nw; j++)
            p[off + j] += l->dw[j];
        for (int j = 0; j < l->nb; j++)
            p[off + nw + j] += l->db[j];
    }
}
