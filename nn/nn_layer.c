#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flt.h"
#include "nn_err.h"
#include "nn_layer.h"
#include "nn_pool.h"
#include "nn_tensor.h"
#include "nn_vmath.h"

static const char *names[NN_LAYER_KINDS] = {
    [NN_LINEAR] = "linear",     [NN_RELU] = "relu",
    [NN_LEAKY_RELU] = "leaky_relu", [NN_SIGMOID] = "sigmoid",
    [NN_TANH] = "tanh",         [NN_SOFTMAX] = "softmax",
    [NN_GELU] = "gelu",         [NN_IDENTITY] = "identity",
    [NN_DROPOUT] = "dropout",   [NN_CONV2D] = "conv2d",
    [NN_MAXPOOL2D] = "maxpool2d", [NN_AVGPOOL2D] = "avgpool2d",
    [NN_FLATTEN] = "flatten",   [NN_BATCHNORM] = "batchnorm",
};

/* "conv2d(16, 3)" with ", stride=S" and ", padding=P|same" when set. */
static int format_conv(const nn_layer_spec *s, char *buf, size_t size)
{
    char stride[32] = "", pad[32] = "";
    if (s->stride > 1)
        snprintf(stride, sizeof stride, ", stride=%d", s->stride);
    if (s->pad == NN_PAD_SAME)
        snprintf(pad, sizeof pad, ", padding=same");
    else if (s->pad > 0)
        snprintf(pad, sizeof pad, ", padding=%d", s->pad);
    return snprintf(buf, size, "conv2d(%d, %d%s%s)", s->units, s->kernel,
                    stride, pad);
}

const char *nn_layer_name(nn_layer_kind kind)
{
    return (unsigned)kind < NN_LAYER_KINDS ? names[kind] : "unknown";
}

int nn_layer_check(const nn_layer_spec *s, int i, nn_err *e)
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
    if (s->kind == NN_CONV2D && (s->units < 1 || s->kernel < 1
                                 || s->stride < 0 || s->pad < NN_PAD_SAME))
        return nn_err_set(e, "layer %d: conv2d needs at least 1 filter, a "
                          "kernel of at least 1, a stride of at least 1 and "
                          "a padding of at least 0", i + 1);
    if ((s->kind == NN_MAXPOOL2D || s->kind == NN_AVGPOOL2D)
        && s->kernel < 1)
        return nn_err_set(e, "layer %d: %s needs a window of at least 1",
                          i + 1, nn_layer_name(s->kind));
    if (s->kind == NN_LEAKY_RELU && !isfinite(s->arg))
        return nn_err_set(e, "layer %d: leaky_relu slope must be finite",
                          i + 1);
    if (s->kind == NN_GELU && s->arg != 0.0f && s->arg != NN_GELU_TANH)
        return nn_err_set(e, "layer %d: gelu's arg is 0 (erf) or "
                          "NN_GELU_TANH (tanh), got %g", i + 1, (double)s->arg);
    return 0;
}

int nn_layer_kind_from_name(const char *name)
{
    for (int k = 0; k < NN_LAYER_KINDS; k++)
        if (strcmp(name, names[k]) == 0)
            return k;
    return -1;
}

int nn_layer_format(const nn_layer_spec *spec, char *buf, size_t size)
{
    const char *name = nn_layer_name(spec->kind);
    switch (spec->kind) {
    case NN_LINEAR:
        return snprintf(buf, size, "%s(%d)", name, spec->units);
    case NN_CONV2D:
        return format_conv(spec, buf, size);
    case NN_MAXPOOL2D:
    case NN_AVGPOOL2D:
        return snprintf(buf, size, "%s(%d)", name, spec->kernel);
    case NN_GELU:
        return snprintf(buf, size, spec->arg == NN_GELU_TANH ? "%s(tanh)"
                                                             : "%s", name);
    case NN_LEAKY_RELU:
    case NN_DROPOUT: {
        /* model files carry arguments in this text: dropout(0.9999999)
         * must not come back as dropout(1) */
        char num[FLT_TEXT_MAX];
        return snprintf(buf, size, "%s(%s)", name, flt_text(num, spec->arg));
    }
    default:
        return snprintf(buf, size, "%s", name);
    }
}

NN_VECTORIZE static void softmax_rows(const float *restrict in,
                                      float *restrict out, int n, int w)
{
    for (int r = 0; r < n; r++) {
        const float *x = in + (size_t)r * w;
        float *y = out + (size_t)r * w;
        float max = x[0];
        for (int j = 1; j < w; j++)
            max = x[j] > max ? x[j] : max;
        for (int j = 0; j < w; j++)
            y[j] = nn_vmath_exp(x[j] - max);
        float sum = 0.0f; /* in order: the same sum on every vector unit */
        for (int j = 0; j < w; j++)
            sum += y[j];
        float inv = 1.0f / sum;
        for (int j = 0; j < w; j++)
            y[j] *= inv;
    }
}

/* Applies `expr` (of x) to each of the len values of in, into out. */
#define MAP(expr)                                                             \
    for (size_t i = 0; i < len; i++) {                                        \
        float x = in[i];                                                      \
        out[i] = (expr);                                                      \
    }

NN_VECTORIZE static void activate(const nn_layer_spec *spec,
                                  const float *in, float *out, int n,
                                  int width)
{
    size_t len = (size_t)n * width;
    float slope = spec->arg;
    switch (spec->kind) {
    case NN_RELU:
        MAP(x > 0.0f ? x : 0.0f);
        break;
    case NN_LEAKY_RELU:
        MAP(x > 0.0f ? x : slope * x);
        break;
    case NN_SIGMOID:
        MAP(nn_vmath_sigmoid(x));
        break;
    case NN_TANH:
        MAP(nn_vmath_tanh(x));
        break;
    case NN_GELU:
        if (spec->arg == NN_GELU_TANH) {
            MAP(nn_vmath_gelu_tanh(x));
        } else {
            MAP(nn_vmath_gelu(x));
        }
        break;
    case NN_SOFTMAX:
        softmax_rows(in, out, n, width);
        break;
    default: /* identity, and linear/dropout seen as activations */
        if (out != in)
            memcpy(out, in, len * sizeof *out);
        break;
    }
}

/* nn_layer_activate_bias adds the bias and applies the activation to
 * blocks of about this many values. Row by row, the 2-8-8-1 net of a
 * sweep spent a third of its training in these calls. */
#define NN_ACTIVATE_BLOCK 2048

static void activate_bias(const nn_layer_spec *spec, float *z,
                          const float *bias, float *out, int n, int width)
{
    /* a few rows at a time: still in L1 for the activation, and few
     * calls for narrow layers */
    int rows = width < NN_ACTIVATE_BLOCK ? NN_ACTIVATE_BLOCK / width : 1;
    for (int r = 0; r < n; r += rows) {
        int m = n - r < rows ? n - r : rows;
        float *z_r = z + (size_t)r * width;
        nn_tensor_add_rows(z_r, bias, m, width);
        activate(spec, z_r, out + (size_t)r * width, m, width);
    }
}

/* Applies `expr` (of x = input, y = output, g = output gradient) to each
 * of the len values, into gin. */
#define MAP_BACK(expr)                                                        \
    for (size_t i = 0; i < len; i++) {                                        \
        float x = in[i], y = out[i], g = gout[i];                             \
        (void)x, (void)y;                                                     \
        gin[i] = (expr);                                                      \
    }

NN_VECTORIZE static void backward(const nn_layer_spec *spec,
                                  const float *in, const float *out,
                                  const float *gout, float *gin, int n,
                                  int width)
{
    size_t len = (size_t)n * width;
    float slope = spec->arg;
    switch (spec->kind) {
    case NN_RELU:
        MAP_BACK(x > 0.0f ? g : 0.0f);
        break;
    case NN_LEAKY_RELU:
        MAP_BACK(x > 0.0f ? g : slope * g);
        break;
    case NN_SIGMOID:
        MAP_BACK(g * y * (1.0f - y));
        break;
    case NN_TANH:
        MAP_BACK(g * (1.0f - y * y));
        break;
    case NN_GELU:
        if (spec->arg == NN_GELU_TANH) {
            MAP_BACK(g * nn_vmath_gelu_tanh_grad(x, y));
        } else {
            MAP_BACK(g * nn_vmath_gelu_grad(x, y));
        }
        break;
    case NN_SOFTMAX:
        for (int r = 0; r < n; r++) {
            const float *y = out + (size_t)r * width;
            const float *g = gout + (size_t)r * width;
            float *d = gin + (size_t)r * width;
            float dot = 0.0f;
            for (int j = 0; j < width; j++)
                dot += g[j] * y[j];
            for (int j = 0; j < width; j++)
                d[j] = y[j] * (g[j] - dot);
        }
        break;
    default:
        if (gin != gout)
            memcpy(gin, gout, len * sizeof *gin);
        break;
    }
}

/* ---- the passes on the pool's threads ---------------------------- */

/* The arguments of one pass, for its parts. */
struct pass {
    const nn_layer_spec *spec;
    const float *in, *out, *gout, *bias;
    float *z, *dst;
    int width;
};

static void activate_part(void *ctx, size_t begin, size_t end)
{
    const struct pass *p = ctx;
    size_t at = begin * (size_t)p->width;
    activate(p->spec, p->in + at, p->dst + at, (int)(end - begin), p->width);
}

static void activate_bias_part(void *ctx, size_t begin, size_t end)
{
    const struct pass *p = ctx;
    size_t at = begin * (size_t)p->width;
    activate_bias(p->spec, p->z + at, p->bias, p->dst + at,
                  (int)(end - begin), p->width);
}

static void backward_part(void *ctx, size_t begin, size_t end)
{
    const struct pass *p = ctx;
    size_t at = begin * (size_t)p->width;
    backward(p->spec, p->in + at, p->out + at, p->gout + at, p->dst + at,
             (int)(end - begin), p->width);
}

/* Runs fn on the n rows of the pass p, split between the pool's threads
 * from NN_POOL_PARALLEL_MIN values on: the passes between the products of
 * a wide layer, which the other core would otherwise wait out. Each row
 * is computed alone, so the split changes nothing. */
static void rows(void (*fn)(void *, size_t, size_t), struct pass *p, int n)
{
    if (n == 0 || p->width == 0)
        return;
    nn_pool_rows(fn, p, (size_t)n, (size_t)p->width);
}

void nn_layer_activate(const nn_layer_spec *spec, const float *in, float *out,
                       int n, int width)
{
    assert(spec && n >= 0 && width >= 0);
    struct pass p = { .spec = spec, .in = in, .dst = out, .width = width };
    rows(activate_part, &p, n);
}

void nn_layer_activate_bias(const nn_layer_spec *spec, float *z,
                            const float *bias, float *out, int n, int width)
{
    assert(spec && n >= 0 && width >= 0);
    assert(((z && bias && out) || n == 0 || width == 0) && out != z);
    struct pass p = { .spec = spec, .z = z, .bias = bias, .dst = out,
                      .width = width };
    rows(activate_bias_part, &p, n);
}

void nn_layer_activate_backward(const nn_layer_spec *spec, const float *in,
                                const float *out, const float *gout,
                                float *gin, int n, int width)
{
    assert(spec && n >= 0 && width >= 0);
    struct pass p = { .spec = spec, .in = in, .out = out, .gout = gout,
                      .dst = gin, .width = width };
    rows(backward_part, &p, n);
}

/* ---- reading layer lists back ------------------------------------- */

/* An integer in [1, 1e6] at *p, moving past it; -1 when there is none. */
static int small_int(const char **p)
{
    char *end;
    double v = strtod(*p, &end);
    if (end == *p || v < 1 || v > 1e6 || v != (int)v)
        return -1;
    *p = end;
    return (int)v;
}

/* conv2d's arguments: "F, K[, stride=S][, padding=P|same]". */
static int parse_conv(const char *p, nn_layer_spec *s)
{
    s->units = small_int(&p);
    if (s->units < 0 || *p++ != ',')
        return -1;
    p += strspn(p, " ");
    s->kernel = small_int(&p);
    s->stride = 1;
    if (s->kernel < 0)
        return -1;
    while (*p == ',') {
        p += 1 + strspn(p + 1, " ");
        if (strncmp(p, "stride=", 7) == 0) {
            p += 7;
            if ((s->stride = small_int(&p)) < 0)
                return -1;
        } else if (strncmp(p, "padding=same", 12) == 0) {
            p += 12;
            s->pad = NN_PAD_SAME;
        } else if (strncmp(p, "padding=", 8) == 0) {
            p += 8;
            if ((s->pad = small_int(&p)) < 0)
                return -1;
        } else {
            return -1;
        }
    }
    return *p == ')' ? 0 : -1;
}

/* The argument of a layer at p (just past its '('), up to the ')': into
 * s. Returns the position past the ')', or NULL when it is not valid. */
static const char *parse_arg(const char *p, nn_layer_spec *s)
{
    const char *close = strchr(p, ')');
    if (!close)
        return NULL;
    if (s->kind == NN_CONV2D)
        return parse_conv(p, s) == 0 ? close + 1 : NULL;
    if (s->kind == NN_GELU) {
        s->arg = NN_GELU_TANH;
        return strncmp(p, "tanh)", 5) == 0 ? p + 5 : NULL;
    }
    char *end;
    double v = strtod(p, &end);
    if (end == p || *end != ')')
        return NULL;
    if (s->kind == NN_LINEAR) {
        if (v < 1 || v > 1e9 || v != (int)v)
            return NULL;
        s->units = (int)v;
    } else if (s->kind == NN_MAXPOOL2D || s->kind == NN_AVGPOOL2D) {
        if (v < 1 || v > 1e6 || v != (int)v)
            return NULL;
        s->kernel = (int)v;
    } else {
        s->arg = (float)v;
    }
    return end + 1;
}

int nn_layer_parse_list(const char *text, nn_layer_spec *specs, int max,
                        nn_err *e)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char word[32];
        size_t len = strcspn(p, "(,");
        while (*p == ' ')
            p++, len--;
        if (len == 0 || len >= sizeof word)
            return nn_err_set(e, "bad layer list in the file: '%s'", text);
        memcpy(word, p, len);
        word[len] = '\0';
        while (len && word[len - 1] == ' ')
            word[--len] = '\0';
        p += strcspn(p, "(,");
        int kind = nn_layer_kind_from_name(word);
        if (kind < 0)
            return nn_err_set(e, "unknown layer '%s' in the file", word);
        if (n == max)
            return nn_err_set(e, "too many layers in the file");
        nn_layer_spec s = {.kind = (nn_layer_kind)kind};
        int needs = kind == NN_LINEAR || kind == NN_CONV2D
                    || kind == NN_MAXPOOL2D || kind == NN_AVGPOOL2D;
        if (*p == '(') {
            if (!(p = parse_arg(p + 1, &s)))
                return nn_err_set(e, kind == NN_LINEAR
                                  ? "bad width of linear in the file"
                                  : "bad argument of '%s' in the file",
                                  word);
        } else if (needs) {
            return nn_err_set(e, "%s without %s in the file", word,
                              kind == NN_LINEAR ? "a width" : "a size");
        } else if (kind == NN_LEAKY_RELU) {
            s.arg = 0.01f;
        }
        specs[n++] = s;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p)
            return nn_err_set(e, "bad layer list in the file: '%s'", text);
    }
    return n;
}
