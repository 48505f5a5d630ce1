#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_blas.h"
#include "nn_model.h"
#include "nn_rng.h"
#include "nn_tensor.h"

struct layer {
    nn_layer_spec spec;
    int in, out;        /* widths */
    size_t off;         /* offset of the weight in params/grads */
    size_t n_params;    /* out*in + out for linear, 0 otherwise */
    float *y;           /* output for cap rows */
    float *mask;        /* dropout only: 0 or 1/(1-p) per output value */
};

struct nn_model {
    int in, n_layers;
    struct layer *layers;
    int first_linear;   /* the backward pass stops there; -1 if none */
    size_t n_params;
    float *params, *grads;
    int training;
    nn_rng rng;         /* dropout masks */
    int cap;            /* rows the activation buffers hold */
    int max_width;      /* widest of the input and every layer */
    float *arena;       /* all activation buffers */
    float *delta[2];    /* backward ping-pong, cap*max_width each */
};

static int check_spec(const nn_layer_spec *s, int i, nn_err *e)
{
    if ((unsigned)s->kind >= NN_LAYER_KINDS)
        return nn_err_set(e, "layer %d has an unknown kind (%d)", i + 1,
                          (int)s->kind);
    if (s->kind == NN_LINEAR && s->units < 1)
        return nn_err_set(e, "layer %d: linear needs at least 1 unit, got %d",
                          i + 1, s->units);
    if (s->kind == NN_DROPOUT && !(s->arg >= 0.0f && s->arg < 1.0f))
        return nn_err_set(e, "layer %d: dropout p must be in [0, 1), got %g",
                          i + 1, (double)s->arg);
    if (s->kind == NN_LEAKY_RELU && !isfinite(s->arg))
        return nn_err_set(e, "layer %d: leaky_relu slope must be finite",
                          i + 1);
    return 0;
}

/* Lays the layers out: widths, parameter offsets and counts, with every
 * size checked against overflow and the machine's memory. */
static int plan(nn_model *m, const nn_layer_spec *specs, nn_err *e)
{
    size_t limit = nn_tensor_machine_memory() / (2 * sizeof(float));
    int width = m->in;
    m->max_width = m->in;
    m->first_linear = -1;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        if (check_spec(&specs[i], i, e))
            return -1;
        l->spec = specs[i];
        l->in = width;
        l->out = l->spec.kind == NN_LINEAR ? l->spec.units : width;
        l->off = m->n_params;
        if (l->spec.kind == NN_LINEAR) {
            l->n_params = ((size_t)l->in + 1) * (size_t)l->out;
            if (l->n_params > limit - m->n_params) {
                char name[64];
                nn_layer_format(&l->spec, name, sizeof name);
                return nn_err_set(e,
                    "layer %d %s on %d inputs is too large: the parameters "
                    "and gradients need %.1f MiB, more than this machine's "
                    "%.1f MiB", i + 1, name, l->in,
                    ((double)m->n_params + (double)l->n_params) * 2 *
                        sizeof(float) / (1 << 20),
                    (double)nn_tensor_machine_memory() / (1 << 20));
            }
            if (m->first_linear < 0)
                m->first_linear = i;
        }
        m->n_params += l->n_params;
        width = l->out;
        if (width > m->max_width)
            m->max_width = width;
    }
    return 0;
}

/* The activation that follows linear layer i, looking through dropout and
 * identity; NULL at the end of the stack. */
static const nn_layer_spec *next_activation(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n_layers; j++) {
        nn_layer_kind k = m->layers[j].spec.kind;
        if (k != NN_DROPOUT && k != NN_IDENTITY)
            return &m->layers[j].spec;
    }
    return NULL;
}

/* He (Kaiming) normal for the ReLU family, Glorot (Xavier) uniform
 * otherwise, zero biases; layer by layer, row by row, from one stream. */
static void init_params(nn_model *m, uint64_t seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        if (l->spec.kind != NN_LINEAR)
            continue;
        float *w = m->params + l->off;
        size_t nw = (size_t)l->out * l->in;
        const nn_layer_spec *act = next_activation(m, i);
        nn_layer_kind k = act ? act->kind : NN_IDENTITY;
        if (k == NN_RELU || k == NN_LEAKY_RELU || k == NN_GELU) {
            double slope = k == NN_LEAKY_RELU ? act->arg : 0.0;
            float std = (float)sqrt(2.0 / (1.0 + slope * slope) / l->in);
            for (size_t j = 0; j < nw; j++)
                w[j] = std * nn_rng_normal(&rng);
        } else {
            float limit = (float)sqrt(6.0 / (l->in + l->out));
            for (size_t j = 0; j < nw; j++)
                w[j] = limit * (2.0f * nn_rng_uniform(&rng) - 1.0f);
        }
        memset(w + nw, 0, (size_t)l->out * sizeof *w);
    }
}

/* A model with its layers planned and its buffers allocated, parameters
 * not yet set. */
static nn_model *alloc_model(int in, const nn_layer_spec *specs, int n_layers,
                             nn_err *e)
{
    if (in < 1) {
        nn_err_set(e, "the input width must be at least 1, got %d", in);
        return NULL;
    }
    if (n_layers < 1 || !specs) {
        nn_err_set(e, "a model needs at least one layer");
        return NULL;
    }
    nn_model *m = calloc(1, sizeof *m);
    if (!m) {
        nn_err_oom(e, "a model", sizeof *m);
        return NULL;
    }
    m->in = in;
    m->n_layers = n_layers;
    m->layers = calloc((size_t)n_layers, sizeof *m->layers);
    if (!m->layers) {
        nn_err_oom(e, "the layer list", (size_t)n_layers * sizeof *m->layers);
        free(m);
        return NULL;
    }
    if (plan(m, specs, e)) {
        nn_model_free(m);
        return NULL;
    }
    m->params = nn_tensor_alloc(m->n_params);
    m->grads = nn_tensor_alloc(m->n_params);
    if (!m->params || !m->grads) {
        nn_err_oom(e, "the parameters and gradients",
                   2 * m->n_params * sizeof(float));
        nn_model_free(m);
        return NULL;
    }
    memset(m->grads, 0, m->n_params * sizeof(float));
    return m;
}

nn_model *nn_model_new(int in, const nn_layer_spec *layers, int n_layers,
                       uint64_t seed, nn_err *e)
{
    nn_model *m = alloc_model(in, layers, n_layers, e);
    if (!m)
        return NULL;
    init_params(m, seed);
    nn_rng_seed(&m->rng, seed ^ 0x6a09e667f3bcc909ULL);
    return m;
}

nn_model *nn_model_copy(const nn_model *src, nn_err *e)
{
    nn_layer_spec *specs = malloc((size_t)src->n_layers * sizeof *specs);
    if (!specs) {
        nn_err_oom(e, "a layer list", (size_t)src->n_layers * sizeof *specs);
        return NULL;
    }
    for (int i = 0; i < src->n_layers; i++)
        specs[i] = src->layers[i].spec;
    nn_model *m = alloc_model(src->in, specs, src->n_layers, e);
    free(specs);
    if (!m)
        return NULL;
    memcpy(m->params, src->params, src->n_params * sizeof(float));
    m->training = src->training;
    m->rng = src->rng;
    return m;
}

void nn_model_free(nn_model *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->params);
    free(m->grads);
    free(m->layers);
    free(m);
}

int nn_model_in(const nn_model *m) { return m->in; }
int nn_model_out(const nn_model *m) { return m->layers[m->n_layers - 1].out; }
int nn_model_n_layers(const nn_model *m) { return m->n_layers; }
const nn_layer_spec *nn_model_layer(const nn_model *m, int i)
{
    return &m->layers[i].spec;
}
int nn_model_layer_in(const nn_model *m, int i) { return m->layers[i].in; }
int nn_model_layer_out(const nn_model *m, int i) { return m->layers[i].out; }
size_t nn_model_layer_params(const nn_model *m, int i)
{
    return m->layers[i].n_params;
}
size_t nn_model_n_params(const nn_model *m) { return m->n_params; }
float *nn_model_params(nn_model *m) { return m->params; }
float *nn_model_grads(nn_model *m) { return m->grads; }
size_t nn_model_layer_offset(const nn_model *m, int i)
{
    return m->layers[i].off;
}
void nn_model_set_training(nn_model *m, int training)
{
    m->training = training != 0;
}
void nn_model_seed_dropout(nn_model *m, uint64_t seed)
{
    nn_rng_seed(&m->rng, seed);
}
const float *nn_model_layer_output(const nn_model *m, int i)
{
    assert(m && i >= 0 && i < m->n_layers);
    return m->layers[i].y;
}

/* Grows the activation buffers to hold n rows: one block holding each
 * layer's output, the dropout masks and the two backward buffers. */
static int reserve(nn_model *m, int n, nn_err *e)
{
    if (n <= m->cap)
        return 0;
    /* Each buffer is rounded up to the alignment (16 floats). */
    size_t total = 0, rows = (size_t)n;
    for (int i = 0; i < m->n_layers; i++) {
        size_t len = (rows * m->layers[i].out + 15) / 16 * 16;
        total += m->layers[i].spec.kind == NN_DROPOUT ? 2 * len : len;
    }
    total += 2 * ((rows * m->max_width + 15) / 16 * 16);
    if (total > nn_tensor_machine_memory() / sizeof(float)) {
        return nn_err_set(e, "a batch of %d rows needs %.1f MiB of "
                          "activations, more than this machine's memory: "
                          "use smaller batches", n,
                          (double)total * sizeof(float) / (1 << 20));
    }
    float *arena = nn_tensor_alloc(total);
    if (!arena)
        return nn_err_oom(e, "the activations", total * sizeof(float));
    free(m->arena);
    m->arena = arena;
    m->cap = n;
    float *p = arena;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        size_t len = (rows * l->out + 15) / 16 * 16;
        l->y = p;
        p += len;
        l->mask = NULL;
        if (l->spec.kind == NN_DROPOUT) {
            l->mask = p;
            p += len;
        }
    }
    size_t dlen = (rows * m->max_width + 15) / 16 * 16;
    m->delta[0] = p;
    m->delta[1] = p + dlen;
    return 0;
}

static int dropping(const nn_model *m, const struct layer *l)
{
    return l->spec.kind == NN_DROPOUT && m->training && l->spec.arg > 0.0f;
}

static void dropout_mask(nn_model *m, struct layer *l, size_t len)
{
    float p = l->spec.arg, keep = 1.0f / (1.0f - p);
    for (size_t j = 0; j < len; j++)
        l->mask[j] = nn_rng_uniform(&m->rng) < p ? 0.0f : keep;
}

const float *nn_model_forward(nn_model *m, const float *x, int n, nn_err *e)
{
    assert(m && (x || n < 1));
    if (n < 1) {
        nn_err_set(e, "no rows to run the model on");
        return NULL;
    }
    if (reserve(m, n, e))
        return NULL;
    const float *cur = x;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        size_t len = (size_t)n * l->out;
        if (l->spec.kind == NN_LINEAR) {
            const float *w = m->params + l->off;
            const float *b = w + (size_t)l->out * l->in;
            nn_blas_sgemm(0, 1, n, l->out, l->in, 1.0f, cur, l->in, w, l->in,
                          0.0f, l->y, l->out);
            struct layer *next = i + 1 < m->n_layers ? l + 1 : NULL;
            if (next && next->spec.kind != NN_LINEAR
                && next->spec.kind != NN_DROPOUT) {
                nn_layer_activate_bias(&next->spec, l->y, b, next->y, n,
                                       l->out);
                cur = next->y;
                i++;
                continue;
            }
            nn_tensor_add_rows(l->y, b, n, l->out);
        } else if (dropping(m, l)) {
            dropout_mask(m, l, len);
            nn_tensor_mul(cur, l->mask, l->y, len);
        } else {
            nn_layer_activate(&l->spec, cur, l->y, n, l->out);
        }
        cur = l->y;
    }
    return cur;
}

void nn_model_backward(nn_model *m, const float *x, const float *grad, int n,
                       int top)
{
    assert(m && x && grad && n >= 1);
    assert(top >= 0 && top < m->n_layers);
    const float *g = grad;
    int buf = 0;
    for (int i = top; i >= m->first_linear && i >= 0; i--) {
        struct layer *l = &m->layers[i];
        const float *in = i > 0 ? m->layers[i - 1].y : x;
        float *gin = m->delta[buf];
        if (l->spec.kind == NN_LINEAR) {
            /* dW = g^T in and, below the first linear layer, the input
             * gradient g W: independent, so computed together */
            float *gw = m->grads + l->off;
            nn_blas_product dw = { 1, 0, l->out, l->in, n, 1.0f, g, l->out,
                                   in, l->in, 0.0f, gw, l->in };
            nn_blas_product dx = { 0, 0, n, l->in, l->out, 1.0f, g, l->out,
                                   m->params + l->off, l->in, 0.0f, gin,
                                   l->in };
            nn_tensor_col_sums(g, n, l->out, gw + (size_t)l->out * l->in);
            nn_blas_sgemm2(&dw, i == m->first_linear ? NULL : &dx);
            if (i == m->first_linear)
                return;
        } else if (dropping(m, l)) {
            nn_tensor_mul(g, l->mask, gin, (size_t)n * l->out);
        } else {
            nn_layer_activate_backward(&l->spec, in, l->y, g, gin, n, l->out);
        }
        g = gin;
        buf ^= 1;
    }
}

int nn_model_predict(nn_model *m, const float *x, int n, float *out,
                     nn_err *e)
{
    assert(m && (x || n < 1) && (out || n < 1));
    int training = m->training, out_w = nn_model_out(m);
    int chunk = m->cap > 1024 ? m->cap : 1024;
    m->training = 0;
    for (int r = 0; r < n; r += chunk) {
        int rows = n - r < chunk ? n - r : chunk;
        const float *y = nn_model_forward(m, x + (size_t)r * m->in, rows, e);
        if (!y) {
            m->training = training;
            return -1;
        }
        memcpy(out + (size_t)r * out_w, y, (size_t)rows * out_w * sizeof *y);
    }
    m->training = training;
    return 0;
}

int nn_model_describe(const nn_model *m, char *buf, size_t size)
{
    int len = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < m->n_layers; i++) {
        char name[64];
        nn_layer_format(&m->layers[i].spec, name, sizeof name);
        size_t used = (size_t)len < size ? (size_t)len : size;
        len += snprintf(size ? buf + used : NULL, size - used, "%s%s",
                        i ? " -> " : "", name);
    }
    return len;
}
