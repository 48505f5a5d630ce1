#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layers.h"

/* ---- layers -------------------------------------------------------- */

static value *layer(lang_run *run, const args *a, nn_layer_kind kind,
                    int units,
                    float arg)
{
    nn_layer_spec l = { kind, units, arg, 0, 0, 0 };
    return builtin_made(run, a, value_net(&l, 1, 0));
}

static value *run_linear(lang_run *run, const args *a)
{
    int units;
    if (arg_int(run, a, "units", &units) < 0)
        return NULL;
    return layer(run, a, NN_LINEAR, units, 0);
}

static value *run_leaky_relu(lang_run *run, const args *a)
{
    double slope;
    if (arg_num(run, a, "slope", &slope) < 0)
        return NULL;
    return layer(run, a, NN_LEAKY_RELU, 0, (float)slope);
}

/* gelu(approximate="none" | "tanh"), PyTorch's names for the two forms */
static value *run_gelu(lang_run *run, const args *a)
{
    const char *form;
    if (arg_choice(run, a, "approximate", &form) < 0)
        return NULL;
    return layer(run, a, NN_GELU, 0,
                 strcmp(form, "tanh") == 0 ? NN_GELU_TANH : 0.0f);
}

static value *run_dropout(lang_run *run, const args *a)
{
    double p;
    if (arg_num(run, a, "p", &p) < 0)
        return NULL;
    return layer(run, a, NN_DROPOUT, 0, (float)p);
}

/* conv2d's padding: a whole number >= 0 or "same". */
static int conv_padding(lang_run *run, const args *a, int kernel, int *pad)
{
    value *v;
    int len, pos;
    if (arg_value(run, a, "padding", &v) < 0)
        return -1;
    *pad = 0;
    if (!v)
        return 0;
    if (v->kind == V_STR && strcmp(v->as.str, "same") == 0) {
        *pad = NN_PAD_SAME;
        return 0;
    }
    if (v->kind == V_NUM && v->as.num >= 0 && v->as.num <= 1000
        && v->as.num == (int)v->as.num) {
        *pad = (int)v->as.num;
        return 0;
    }
    pos = arg_pos(a, "padding", &len);
    return lang_err_set(run->e, "ValueError", pos, len,
                        "padding is a whole number of zeros around each "
                        "side (0 to 1000), or \"same\" to keep the height "
                        "and width (padding=\"same\" with kernel %d pads %d)",
                        kernel, (kernel - 1) / 2);
}

static value *run_conv2d(lang_run *run, const args *a)
{
    nn_layer_spec l = { NN_CONV2D, 0, 0, 0, 1, 0 };
    if (arg_int(run, a, "filters", &l.units) < 0
        || arg_int(run, a, "kernel", &l.kernel) < 0
        || arg_int(run, a, "stride", &l.stride) < 0
        || conv_padding(run, a, l.kernel, &l.pad) < 0)
        return NULL;
    return builtin_made(run, a, value_net(&l, 1, 0));
}

static value *run_pool(lang_run *run, const args *a)
{
    nn_layer_spec l = { nn_layer_kind_from_name(a->fn->name), 0, 0, 0, 0,
                        0 };
    if (arg_int(run, a, "size", &l.kernel) < 0)
        return NULL;
    return builtin_made(run, a, value_net(&l, 1, 0));
}

static value *activation(lang_run *run, const args *a)
{
    return layer(run, a, nn_layer_kind_from_name(a->fn->name), 0, 0);
}

/* input(width), or input(c, h, w) for images of c channels of h rows
 * and w columns (w left out: square). */
static value *run_input(lang_run *run, const args *a)
{
    int d, h, w;
    if (arg_int(run, a, "width", &d) < 0 || arg_int(run, a, "height", &h) < 0
        || arg_int(run, a, "columns", &w) < 0)
        return NULL;
    if (!h && w) {
        int len, pos = arg_pos(a, "columns", &len);
        lang_err_set(run->e, "ValueError", pos, len, "images need their "
                     "height too: input(channels, height, width), e.g. "
                     "input(1, 28, 28)");
        return NULL;
    }
    w = w ? w : h;
    if (h && (double)d * h * w > (1 << 26)) {
        int len, pos = arg_pos(a, "height", &len);
        lang_err_set(run->e, "ValueError", pos, len, "images of %dx%dx%d "
                     "are too large: at most %d values", d, h, w, 1 << 26);
        return NULL;
    }
    value *v = value_net(NULL, 0, h ? d * h * w : d);
    if (v && h) {
        int shape[3] = { d, h, w };
        memcpy(v->as.net->in_shape, shape, sizeof shape);
    }
    return builtin_made(run, a, v);
}

/* ---- the family ---------------------------------------------------- */

static const param p_none[] = { PARAM_END };
static const param p_input[] = {
    PARAM_INT("width", 1, 1, 1 << 20, "the number of input features, or "
              "of channels when images follow"),
    PARAM_INT("height", 0, 0, 1 << 14, "images: their rows (0: rows of "
              "features)"),
    PARAM_INT("columns", 0, 0, 1 << 14, "images: their columns (0: as "
              "many as rows)"),
    PARAM_END
};
static const param p_units[] = {
    PARAM_INT("units", 1, 1, 1 << 20, "the number of outputs"),
    PARAM_END
};
static const param p_slope[] = {
    PARAM_NUM("slope", 0.01, 0, 1, "the slope for negative inputs"),
    PARAM_END
};
static const param p_gelu[] = {
    PARAM_CHOICE("approximate", "none", CHOICES("none", "tanh"),
                 "\"none\": x * Phi(x), with erf; \"tanh\": "
                 "x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2"),
    PARAM_END
};
static const param p_p[] = {
    PARAM_NUM("p", 0.5, 0, 0.99, "the probability of zeroing a value"),
    PARAM_END
};

static const param p_conv[] = {
    PARAM_INT("filters", 1, 1, 1 << 16, "the number of output channels"),
    PARAM_INT("kernel", 3, 1, 1 << 10, "the side of the square kernel"),
    PARAM_INT("stride", 1, 1, 1 << 10, "the step between two windows"),
    PARAM_VALUE("padding", V_NONE, "0",
                "zeros around each side: a number, or \"same\" to keep "
                "the height and width (stride 1, odd kernel)"),
    PARAM_END
};
static const param p_pool[] = {
    PARAM_INT("size", 2, 1, 1 << 10,
              "the side of the square window, also its step"),
    PARAM_END
};

static const builtin table[] = {
    { "input", B_LAYER, p_input, 1, 0, run_input,
      "fixes the input width of a net (or its images' shape: input(1, 28, "
      "28)), so it is built at once", { 0 } },
    { "linear", B_LAYER, p_units, 1, 0, run_linear,
      "a fully connected layer", { 0 } },
    { "relu", B_LAYER, p_none, 0, 0, activation, "max(0, x)", { 0 } },
    { "leaky_relu", B_LAYER, p_slope, 0, 0, run_leaky_relu,
      "x for x > 0, slope * x otherwise", { 0 } },
    { "sigmoid", B_LAYER, p_none, 0, 0, activation, "1 / (1 + e^-x)",
      { 0 } },
    { "tanh", B_LAYER, p_none, 0, 0, activation, "the hyperbolic tangent",
      { 0 } },
    { "softmax", B_LAYER, p_none, 0, 0, activation,
      "normalises each row to probabilities", { 0 } },
    { "gelu", B_LAYER, p_gelu, 0, 0, run_gelu,
      "x * Phi(x), or its tanh approximation (PyTorch's nn.GELU)", { 0 } },
    { "identity", B_LAYER, p_none, 0, 0, activation,
      "passes its input through", { 0 } },
    { "dropout", B_LAYER, p_p, 0, 0, run_dropout,
      "while training, zeroes values with probability p", { 0 } },
    { "conv2d", B_LAYER, p_conv, 2, 0, run_conv2d,
      "a 2-D convolution of images: filters x kernel x kernel weights per "
      "input channel, as torch.nn.Conv2d", { 0 } },
    { "maxpool2d", B_LAYER, p_pool, 0, 0, run_pool,
      "the largest value of each size x size window of each channel",
      { 0 } },
    { "avgpool2d", B_LAYER, p_pool, 0, 0, run_pool,
      "the mean of each size x size window of each channel", { 0 } },
    { "flatten", B_LAYER, p_none, 0, 0, activation,
      "images to rows of channels x height x width features, for linear",
      { 0 } },
    { "batchnorm", B_LAYER, p_none, 0, 0, activation,
      "normalises each channel (after conv2d) or feature (after linear) "
      "over the batch while training, by running statistics after: "
      "PyTorch's BatchNorm2d / BatchNorm1d (momentum 0.1, eps 1e-5)",
      { 0 } },
};

const builtin_family layers_family = {
    "layers", table, sizeof table / sizeof *table
};
