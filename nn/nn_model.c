#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_blas.h"
#include "nn_conv.h"
#include "nn_model.h"
#include "nn_norm.h"
#include "nn_rng.h"
#include "nn_tensor.h"

struct layer {
    nn_layer_spec spec;
    int in, out;        /* widths */
    size_t off;         /* offset of the weight in params/grads */
    size_t n_params;    /* out*in + out for linear, 0 otherwise */
    int c, h, w;        /* output shape: h = w = 0 for rows of c values */
    int fan_in, fan_out; /* linear and conv2d: of one weight row */
    nn_conv_geom geom;  /* conv2d and pooling */
    float *cols;        /* conv2d only: im2col patches for cap images */
    float *y;           /* output for cap rows */
    float *mask;        /* dropout only: 0 or 1/(1-p) per output value;
                         * batchnorm: xhat, the normalised input */
    nn_norm_geom norm;  /* batchnorm only */
    size_t state_off;   /* batchnorm: running mean then variance in state */
    float *invstd;      /* batchnorm: per channel, of the last pass */
    int64_t tracked;    /* batchnorm: batches its statistics have seen */
};

struct nn_model {
    int in, n_layers;
    int in_c, in_h, in_w; /* input shape; in_h = in_w = 0 for rows */
    struct layer *layers;
    int first_linear;   /* first linear or conv2d: the backward pass stops
                         * there; -1 if none */
    size_t cols_row, tmp_row; /* conv scratch floats per image */
    float *tmp;         /* conv scratch for cap images, in the arena */
    size_t n_params;
    float *params, *grads;
    size_t n_state;     /* batchnorm running statistics (not trained) */
    float *state;       /* n_state floats, then one invstd per channel */
    int training;
    nn_rng rng;         /* dropout masks */
    int cap;            /* rows the activation buffers hold */
    int max_width;      /* widest of the input and every layer */
    float *arena;       /* all activation buffers */
    float *delta[2];    /* backward ping-pong, cap*max_width each */
};

/* "images 16x14x14" or "rows of 4 features": what a layer receives. */
static void shape_text(int c, int h, int w, char *buf, size_t size)
{
    if (h)
        snprintf(buf, size, "images %dx%dx%d", c, h, w);
    else
        snprintf(buf, size, "rows of %d features", c);
}

/* The geometry of conv2d or pooling layer l on images c x h x w, its
 * output shape and parameter count; an error naming the layer and what to
 * change when the shape does not fit. */
static int shape_image_layer(struct layer *l, int i, int c, int h, int w,
                             nn_err *e)
{
    char name[64], got[64];
    nn_layer_format(&l->spec, name, sizeof name);
    shape_text(c, h, w, got, sizeof got);
    if (!h)
        return nn_err_set(e, "layer %d %s needs images (channels x height x "
                          "width) but gets %s: give the data an image shape "
                          "or put it before flatten", i + 1, name, got);
    const nn_layer_spec *s = &l->spec;
    nn_conv_geom *g = &l->geom;
    int conv = s->kind == NN_CONV2D;
    *g = (nn_conv_geom){ .in_c = c, .in_h = h, .in_w = w,
                         .out_c = conv ? s->units : c, .k = s->kernel,
                         .stride = conv ? (s->stride ? s->stride : 1)
                                        : s->kernel,
                         .pad = conv && s->pad > 0 ? s->pad : 0 };
    if (conv && s->pad == NN_PAD_SAME) {
        if (g->stride != 1 || s->kernel % 2 == 0)
            return nn_err_set(e, "layer %d %s: padding=same needs stride 1 "
                              "and an odd kernel: give the padding as a "
                              "number", i + 1, name);
        g->pad = (s->kernel - 1) / 2;
    }
    if (nn_conv_geom_plan(g))
        return nn_err_set(e, "layer %d %s gets %s, smaller than its %dx%d "
                          "window: use a smaller kernel%s, or fewer pooling "
                          "layers before it", i + 1, name, got, g->k, g->k,
                          conv ? " or padding=same" : "");
    l->c = g->out_c;
    l->h = g->out_h;
    l->w = g->out_w;
    if (conv) {
        l->fan_in = c * g->k * g->k;
        l->fan_out = g->out_c * g->k * g->k;
        l->n_params = ((size_t)l->fan_in + 1) * (size_t)g->out_c;
    }
    return 0;
}

/* Layer l's output shape and parameters from its input shape c x h x w
 * (h = 0: rows of c features). */
static int shape_layer(struct layer *l, int i, int c, int h, int w,
                       nn_err *e)
{
    char name[64], got[64];
    l->c = c, l->h = h, l->w = w;
    switch (l->spec.kind) {
    case NN_CONV2D:
    case NN_MAXPOOL2D:
    case NN_AVGPOOL2D:
        return shape_image_layer(l, i, c, h, w, e);
    case NN_FLATTEN:
        l->c = h ? c * h * w : c;
        l->h = l->w = 0;
        return 0;
    case NN_BATCHNORM:
        l->norm = (nn_norm_geom){ c, h ? h * w : 1 };
        l->n_params = 2 * (size_t)c;
        return 0;
    case NN_LINEAR:
        if (h) {
            nn_layer_format(&l->spec, name, sizeof name);
            shape_text(c, h, w, got, sizeof got);
            return nn_err_set(e, "layer %d %s gets %s: put flatten before "
                              "it", i + 1, name, got);
        }
        l->c = l->spec.units;
        l->fan_in = c;
        l->fan_out = l->spec.units;
        l->n_params = ((size_t)c + 1) * (size_t)l->spec.units;
        return 0;
    default:
        return 0;
    }
}

/* Lays the layers out: shapes, parameter offsets and counts, with every
 * size checked against overflow and the machine's memory. */
static int plan(nn_model *m, const nn_layer_spec *specs, nn_err *e)
{
    size_t limit = nn_tensor_machine_memory() / (2 * sizeof(float));
    int c = m->in_h ? m->in_c : m->in, h = m->in_h, w = m->in_w;
    m->max_width = m->in;
    m->first_linear = -1;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        if (nn_layer_check(&specs[i], i, e))
            return -1;
        l->spec = specs[i];
        l->in = h ? c * h * w : c;
        l->off = m->n_params;
        if (shape_layer(l, i, c, h, w, e))
            return -1;
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
        c = l->c, h = l->h, w = l->w;
        if ((double)c * (h ? h : 1) * (w ? w : 1) > INT_MAX / 2)
            return nn_err_set(e, "layer %d's output is too large: more "
                              "than %d values per row", i + 1, INT_MAX / 2);
        l->out = h ? c * h * w : c;
        if (l->n_params && m->first_linear < 0)
            m->first_linear = i;
        if (l->spec.kind == NN_CONV2D) {
            size_t cols = nn_conv_cols_len(&l->geom, 1);
            size_t tmp = nn_conv_tmp_len(&l->geom, 1);
            m->cols_row += cols;
            m->tmp_row = tmp > m->tmp_row ? tmp : m->tmp_row;
        }
        m->n_params += l->n_params;
        if (l->spec.kind == NN_BATCHNORM) {
            l->state_off = m->n_state;
            m->n_state += 2 * (size_t)l->norm.c;
        }
        if (l->out > m->max_width)
            m->max_width = l->out;
    }
    return 0;
}

/* The activation that follows linear or conv2d layer i, looking through
 * dropout, identity, pooling and flatten; NULL at the end of the stack. */
static const nn_layer_spec *next_activation(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n_layers; j++) {
        nn_layer_kind k = m->layers[j].spec.kind;
        if (k != NN_DROPOUT && k != NN_IDENTITY && k != NN_MAXPOOL2D
            && k != NN_AVGPOOL2D && k != NN_FLATTEN && k != NN_BATCHNORM)
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
        if (l->spec.kind == NN_BATCHNORM) {
            nn_model_reset_norm(m, i);
            continue;
        }
        if (l->spec.kind != NN_LINEAR && l->spec.kind != NN_CONV2D)
            continue;
        float *w = m->params + l->off;
        size_t nw = (size_t)l->spec.units * l->fan_in;
        const nn_layer_spec *act = next_activation(m, i);
        nn_layer_kind k = act ? act->kind : NN_IDENTITY;
        if (k == NN_RELU || k == NN_LEAKY_RELU || k == NN_GELU) {
            double slope = k == NN_LEAKY_RELU ? act->arg : 0.0;
            float std = (float)sqrt(2.0 / (1.0 + slope * slope) / l->fan_in);
            for (size_t j = 0; j < nw; j++)
                w[j] = std * nn_rng_normal(&rng);
        } else {
            float limit = (float)sqrt(6.0 / (l->fan_in + l->fan_out));
            for (size_t j = 0; j < nw; j++)
                w[j] = limit * (2.0f * nn_rng_uniform(&rng) - 1.0f);
        }
        memset(w + nw, 0, (size_t)l->spec.units * sizeof *w);
    }
}

/* A model with its layers planned and its buffers allocated, parameters
 * not yet set; shape is {in, 0, 0} for rows of `in` features or {c, h, w}
 * for images. */
static nn_model *alloc_model(const int shape[3], const nn_layer_spec *specs,
                             int n_layers, nn_err *e)
{
    double width = (double)shape[0] * (shape[1] ? shape[1] : 1)
                   * (shape[2] ? shape[2] : 1);
    if (shape[1] && (shape[0] < 1 || shape[1] < 1 || shape[2] < 1)) {
        nn_err_set(e, "an input image needs at least 1 channel, row and "
                   "column, got %dx%dx%d", shape[0], shape[1], shape[2]);
        return NULL;
    }
    if (shape[0] < 1 || width > 1e9) {
        nn_err_set(e, "the input width must be at least 1, got %.0f", width);
        return NULL;
    }
    int in = (int)width;
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
    m->in_c = shape[0], m->in_h = shape[1], m->in_w = shape[2];
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
    /* the running statistics, then an invstd per channel: n_state / 2 */
    m->state = nn_tensor_alloc(m->n_state + m->n_state / 2 + 1);
    if (!m->params || !m->grads || !m->state) {
        nn_err_oom(e, "the parameters and gradients",
                   2 * m->n_params * sizeof(float));
        nn_model_free(m);
        return NULL;
    }
    memset(m->grads, 0, m->n_params * sizeof(float));
    float *inv = m->state + m->n_state;
    for (int i = 0; i < n_layers; i++)
        if (m->layers[i].spec.kind == NN_BATCHNORM) {
            m->layers[i].invstd = inv;
            inv += m->layers[i].norm.c;
        }
    return m;
}

nn_model *nn_model_new(int in, const nn_layer_spec *layers, int n_layers,
                       uint64_t seed, nn_err *e)
{
    return nn_model_new_image(in, 0, 0, layers, n_layers, seed, e);
}

nn_model *nn_model_new_image(int c, int h, int w, const nn_layer_spec *layers,
                             int n_layers, uint64_t seed, nn_err *e)
{
    int shape[3] = {c, h, w};
    nn_model *m = alloc_model(shape, layers, n_layers, e);
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
    int shape[3] = {src->in_h ? src->in_c : src->in, src->in_h, src->in_w};
    nn_model *m = alloc_model(shape, specs, src->n_layers, e);
    free(specs);
    if (!m)
        return NULL;
    memcpy(m->params, src->params, src->n_params * sizeof(float));
    memcpy(m->state, src->state, src->n_state * sizeof(float));
    for (int i = 0; i < src->n_layers; i++)
        m->layers[i].tracked = src->layers[i].tracked;
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
    free(m->state);
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
int nn_model_layer_shape(const nn_model *m, int i, int shape[3])
{
    assert(m && shape && i >= -1 && i < m->n_layers);
    if (i < 0) {
        shape[0] = m->in_h ? m->in_c : m->in;
        shape[1] = m->in_h, shape[2] = m->in_w;
    } else {
        shape[0] = m->layers[i].c;
        shape[1] = m->layers[i].h, shape[2] = m->layers[i].w;
    }
    return shape[1] != 0;
}
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
size_t nn_model_n_state(const nn_model *m) { return m->n_state; }
float *nn_model_state(nn_model *m) { return m->state; }
size_t nn_model_layer_state_offset(const nn_model *m, int i)
{
    assert(m && i >= 0 && i < m->n_layers);
    return m->layers[i].state_off;
}
int64_t nn_model_layer_tracked(const nn_model *m, int i)
{
    assert(m && i >= 0 && i < m->n_layers);
    return m->layers[i].tracked;
}
void nn_model_set_layer_tracked(nn_model *m, int i, int64_t batches)
{
    assert(m && i >= 0 && i < m->n_layers && batches >= 0);
    m->layers[i].tracked = batches;
}
void nn_model_reset_norm(nn_model *m, int i)
{
    assert(m && i >= 0 && i < m->n_layers);
    struct layer *l = &m->layers[i];
    if (l->spec.kind != NN_BATCHNORM)
        return;
    int c = l->norm.c;
    for (int j = 0; j < c; j++) {
        m->params[l->off + j] = 1.0f;
        m->params[l->off + c + j] = 0.0f;
        m->state[l->state_off + j] = 0.0f;
        m->state[l->state_off + c + j] = 1.0f;
    }
    l->tracked = 0;
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
        total += m->layers[i].spec.kind == NN_DROPOUT
                 || m->layers[i].spec.kind == NN_BATCHNORM ? 2 * len : len;
    }
    total += 2 * ((rows * m->max_width + 15) / 16 * 16);
    for (int i = 0; i < m->n_layers; i++)
        if (m->layers[i].spec.kind == NN_CONV2D)
            total += (nn_conv_cols_len(&m->layers[i].geom, n) + 15) / 16 * 16;
    total += (rows * m->tmp_row + 15) / 16 * 16;
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
        if (l->spec.kind == NN_DROPOUT || l->spec.kind == NN_BATCHNORM) {
            l->mask = p;
            p += len;
        }
    }
    size_t dlen = (rows * m->max_width + 15) / 16 * 16;
    m->delta[0] = p;
    m->delta[1] = p + dlen;
    p += 2 * dlen;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        l->cols = NULL;
        if (l->spec.kind == NN_CONV2D) {
            l->cols = p;
            p += (nn_conv_cols_len(&l->geom, n) + 15) / 16 * 16;
        }
    }
    m->tmp = p;
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

/* Whether kind is an activation that a conv2d before it can fuse. */
static int fusable(nn_layer_kind kind)
{
    return kind != NN_LINEAR && kind != NN_DROPOUT && kind != NN_CONV2D
           && kind != NN_MAXPOOL2D && kind != NN_AVGPOOL2D
           && kind != NN_FLATTEN && kind != NN_BATCHNORM;
}

/* Batchnorm layer l on n samples x (its running statistics move and
 * its batch count grows in train mode). */
static void forward_norm(nn_model *m, struct layer *l, const float *x, int n)
{
    const float *gamma = m->params + l->off;
    float *st = m->state + l->state_off;
    nn_norm_forward(&l->norm, n, m->training, x, gamma, gamma + l->norm.c,
                    st, st + l->norm.c, l->y, l->mask, l->invstd);
    if (m->training)
        l->tracked++;
}

/* Batchnorm layer l's backward pass: its gamma and beta gradients (into
 * grads, at the layer's offset), and the input gradient when gin is not
 * NULL. */
static void backward_norm(nn_model *m, struct layer *l, const float *g,
                          float *gin, int n, float *grads)
{
    float *gw = grads + l->off;
    nn_norm_backward(&l->norm, n, m->training, g, l->mask,
                     m->params + l->off, l->invstd, gin, gw,
                     gw + l->norm.c);
}

/* Conv2d layer i on n images x, with the activation after it fused when
 * there is one: returns 1 when it also wrote layer i + 1's output. */
static int forward_conv(nn_model *m, int i, const float *x, int n)
{
    struct layer *l = &m->layers[i];
    struct layer *next = i + 1 < m->n_layers ? l + 1 : NULL;
    const float *w = m->params + l->off;
    const float *b = w + (size_t)l->spec.units * l->fan_in;
    int fuse = next && fusable(next->spec.kind);
    nn_conv2d_forward(&l->geom, x, n, w, b, l->y, fuse ? &next->spec : NULL,
                      fuse ? next->y : NULL, l->cols, m->tmp);
    return fuse;
}

/* Layer l's output rows from `first` on. */
static float *rows_of(const struct layer *l, int first)
{
    return l->y + (size_t)first * l->out;
}

const float *nn_model_forward_rows(nn_model *m, const float *x, int first,
                                   int n)
{
    assert(m && x && first >= 0 && n >= 1 && first + n <= m->cap);
    assert(first == 0 || nn_model_rows_independent(m));
    const float *cur = x;
    for (int i = 0; i < m->n_layers; i++) {
        struct layer *l = &m->layers[i];
        float *y = rows_of(l, first);
        size_t len = (size_t)n * l->out;
        if (l->spec.kind == NN_LINEAR) {
            const float *w = m->params + l->off;
            const float *b = w + (size_t)l->out * l->in;
            nn_blas_sgemm(0, 1, n, l->out, l->in, 1.0f, cur, l->in, w, l->in,
                          0.0f, y, l->out);
            struct layer *next = i + 1 < m->n_layers ? l + 1 : NULL;
            if (next && next->spec.kind != NN_LINEAR
                && next->spec.kind != NN_DROPOUT
                && next->spec.kind != NN_BATCHNORM) {
                nn_layer_activate_bias(&next->spec, y, b,
                                       rows_of(next, first), n, l->out);
                cur = rows_of(next, first);
                i++;
                continue;
            }
            nn_tensor_add_rows(y, b, n, l->out);
        } else if (l->spec.kind == NN_CONV2D) {
            if (forward_conv(m, i, cur, n)) {
                cur = m->layers[++i].y;
                continue;
            }
        } else if (l->spec.kind == NN_MAXPOOL2D) {
            nn_maxpool_forward(&l->geom, cur, n, y);
        } else if (l->spec.kind == NN_AVGPOOL2D) {
            nn_avgpool_forward(&l->geom, cur, n, y);
        } else if (l->spec.kind == NN_BATCHNORM) {
            forward_norm(m, l, cur, n);
        } else if (dropping(m, l)) {
            dropout_mask(m, l, len);
            nn_tensor_mul(cur, l->mask, y, len);
        } else {
            nn_layer_activate(&l->spec, cur, y, n, l->out);
        }
        cur = y;
    }
    return cur;
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
    return nn_model_forward_rows(m, x, 0, n);
}

int nn_model_rows_independent(const nn_model *m)
{
    assert(m);
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer_kind k = m->layers[i].spec.kind;
        if (k == NN_CONV2D || k == NN_MAXPOOL2D || k == NN_AVGPOOL2D
            || k == NN_BATCHNORM
            || (k == NN_DROPOUT && m->layers[i].spec.arg > 0.0f))
            return 0;
    }
    return 1;
}

int nn_model_reserve(nn_model *m, int n, nn_err *e)
{
    assert(m && n >= 1);
    return reserve(m, n, e);
}

void nn_model_backward_rows(nn_model *m, const float *x, const float *grad,
                            int first, int n, int top, float *grads)
{
    assert(m && x && grad && grads && first >= 0 && n >= 1);
    assert(first + n <= m->cap && top >= 0 && top < m->n_layers);
    assert(first == 0 || nn_model_rows_independent(m));
    const float *g = grad;
    int buf = 0;
    for (int i = top; i >= m->first_linear && i >= 0; i--) {
        struct layer *l = &m->layers[i];
        const float *in = i > 0 ? rows_of(&m->layers[i - 1], first) : x;
        /* the rows of every layer start at the same place, so parts that
         * run at once never share a value */
        float *gin = m->delta[buf] + (size_t)first * m->max_width;
        if (l->spec.kind == NN_LINEAR) {
            /* dW = g^T in and, below the first linear layer, the input
             * gradient g W: independent, so computed together */
            float *gw = grads + l->off;
            nn_blas_product dw = { 1, 0, l->out, l->in, n, 1.0f, g, l->out,
                                   in, l->in, 0.0f, gw, l->in };
            nn_blas_product dx = { 0, 0, n, l->in, l->out, 1.0f, g, l->out,
                                   m->params + l->off, l->in, 0.0f, gin,
                                   l->in };
            nn_tensor_col_sums(g, n, l->out, gw + (size_t)l->out * l->in);
            nn_blas_sgemm2(&dw, i == m->first_linear ? NULL : &dx);
            if (i == m->first_linear)
                return;
        } else if (l->spec.kind == NN_CONV2D) {
            float *gw = grads + l->off;
            int last = i == m->first_linear;
            nn_conv2d_backward(&l->geom, n, m->params + l->off, g, gw,
                               gw + (size_t)l->spec.units * l->fan_in,
                               last ? NULL : gin, l->cols, m->tmp);
            if (last)
                return;
        } else if (l->spec.kind == NN_MAXPOOL2D) {
            nn_maxpool_backward(&l->geom, in, n, g, gin);
        } else if (l->spec.kind == NN_AVGPOOL2D) {
            nn_avgpool_backward(&l->geom, n, g, gin);
        } else if (l->spec.kind == NN_FLATTEN) {
            continue; /* the same values: g passes through */
        } else if (l->spec.kind == NN_BATCHNORM) {
            int last = i == m->first_linear;
            backward_norm(m, l, g, last ? NULL : gin, n, grads);
            if (last)
                return;
        } else if (dropping(m, l)) {
            nn_tensor_mul(g, l->mask, gin, (size_t)n * l->out);
        } else {
            nn_layer_activate_backward(&l->spec, in, rows_of(l, first), g,
                                       gin, n, l->out);
        }
        g = gin;
        buf ^= 1;
    }
}

void nn_model_backward(nn_model *m, const float *x, const float *grad, int n,
                       int top)
{
    nn_model_backward_rows(m, x, grad, 0, n, top, m->grads);
}

void nn_model_layer_backward(nn_model *m, int i, const float *x,
                             const float *gout, float *gin, int n)
{
    assert(m && x && gout && gin && n >= 1 && n <= m->cap);
    assert(i >= 0 && i < m->n_layers);
    struct layer *l = &m->layers[i];
    const float *in = i > 0 ? m->layers[i - 1].y : x;
    const float *w = m->params + l->off;
    switch (l->spec.kind) {
    case NN_LINEAR:
        nn_blas_sgemm(0, 0, n, l->in, l->out, 1.0f, gout, l->out, w, l->in,
                      0.0f, gin, l->in);
        return;
    case NN_CONV2D: {
        float *gw = m->grads + l->off;
        nn_conv2d_backward(&l->geom, n, w, gout, gw,
                           gw + (size_t)l->spec.units * l->fan_in, gin,
                           l->cols, m->tmp);
        return;
    }
    case NN_MAXPOOL2D:
        nn_maxpool_backward(&l->geom, in, n, gout, gin);
        return;
    case NN_AVGPOOL2D:
        nn_avgpool_backward(&l->geom, n, gout, gin);
        return;
    case NN_BATCHNORM:
        backward_norm(m, l, gout, gin, n, m->grads);
        return;
    case NN_FLATTEN:
    case NN_DROPOUT:
        if (dropping(m, l))
            nn_tensor_mul(gout, l->mask, gin, (size_t)n * l->out);
        else
            memcpy(gin, gout, (size_t)n * l->out * sizeof *gin);
        return;
    default:
        nn_layer_activate_backward(&l->spec, in, l->y, gout, gin, n, l->out);
    }
}

int nn_model_predict(nn_model *m, const float *x, int n, float *out,
                     nn_err *e)
{
    assert(m && (x || n < 1) && (out || n < 1));
    int training = m->training, out_w = nn_model_out(m);
    /* image models keep im2col patches per image: smaller chunks */
    int least = m->cols_row ? 64 : 1024;
    int chunk = m->cap > least ? m->cap : least;
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
