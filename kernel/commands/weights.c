#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_model.h"
#include "record.h"
#include "view.h"
#include "weights.h"

/* Whether layer l has weights that weights() and bias() give. */
static int has_weights(nn_model *m, int l)
{
    nn_layer_kind k = nn_model_layer(m, l)->kind;
    return k == NN_LINEAR || k == NN_CONV2D;
}

/* The model index of layer number `i` with weights (1-based, counting
 * only linear and conv2d layers), or -1 with a ValueError at the
 * argument. */
static int linear_layer(lang_run *run, const args *a, nn_model *m, int i)
{
    int count = 0, conv = 0;
    for (int l = 0; l < nn_model_n_layers(m); l++) {
        conv |= nn_model_layer(m, l)->kind == NN_CONV2D;
        if (has_weights(m, l) && ++count == i)
            return l;
    }
    int len, pos = arg_pos(a, "layer", &len);
    lang_err_set(run->e, "ValueError", pos, len,
                 "%s: the net has %d %s layer%s: layer is from 1 to "
                 "%d", a->fn->name, count, conv ? "linear or conv2d"
                 : "linear", count == 1 ? "" : "s", count);
    return -1;
}

/* The record {layer, shape, values} of `rows` x `cols` numbers from p
 * (cols 0: a list of rows numbers); shape is [rows, cols] unless `dims`
 * (n_dims numbers) says otherwise. NULL on OOM. */
static value *matrix_dims(const char *layer, const float *p, int rows,
                          int cols, const double *dims, int n_dims)
{
    int width = cols ? cols : 1;
    value *r = value_rec();
    value *shape = value_packed(dims ? n_dims : cols ? 2 : 1, 1, 1);
    value *vals = value_packed(rows, width, cols ? 2 : 1);
    for (int i = 0; vals && i < rows * width; i++)
        vals->as.list.nums[i] = p[i];
    if (shape && dims) {
        memcpy(shape->as.list.nums, dims, (size_t)n_dims * sizeof *dims);
    } else if (shape) {
        shape->as.list.nums[0] = rows;
        if (cols)
            shape->as.list.nums[1] = cols;
    }
    int ok = r != NULL;
    record_field(r, &ok, "layer", value_str(layer));
    record_field(r, &ok, "shape", shape);
    record_field(r, &ok, "values", vals);
    return record_done(r, ok);
}

static value *matrix(const char *layer, const float *p, int rows, int cols)
{
    return matrix_dims(layer, p, rows, cols, NULL, 0);
}

/* A conv2d layer's weights, a row per filter of its in*k*k values
 * ([in, kh, kw] flattened; shape says [out, in, kh, kw]), or its bias.
 * NULL on OOM. */
static value *conv_params(nn_model *m, int l, int i, const float *p,
                          int bias)
{
    const nn_layer_spec *s = nn_model_layer(m, l);
    int in[3], k = s->kernel, out = s->units;
    nn_model_layer_shape(m, l - 1, in);
    int row = in[0] * k * k;
    char name[96];
    snprintf(name, sizeof name, "conv2d %d (%d -> %d channels, %dx%d) %s",
             i, in[0], out, k, k, bias ? "bias" : "weights");
    if (bias)
        return matrix(name, p + (size_t)out * row, out, 0);
    double dims[4] = { out, in[0], k, k };
    return matrix_dims(name, p, out, row, dims, 4);
}

static value *params(lang_run *run, const args *a, int bias)
{
    value *net;
    int i;
    nn_model *m;
    if (arg_value(run, a, "net", &net) < 0
        || arg_int(run, a, "layer", &i) < 0
        || !(m = view_model(run, a, net)))
        return NULL;
    int l = linear_layer(run, a, m, i);
    if (l < 0)
        return NULL;
    const float *p = nn_model_params(m) + nn_model_layer_offset(m, l);
    const nn_layer_spec *s = nn_model_layer(m, l);
    char name[96];
    if (s->kind == NN_CONV2D)
        return builtin_made(run, a, conv_params(m, l, i, p, bias));
    int in = nn_model_layer_in(m, l), out = nn_model_layer_out(m, l);
    snprintf(name, sizeof name, "linear %d (%d -> %d) %s", i, in, out,
             bias ? "bias" : "weights");
    return builtin_made(run, a, bias ? matrix(name, p + (size_t)in * out,
                                              out, 0)
                                     : matrix(name, p, out, in));
}

static value *run_weights(lang_run *run, const args *a)
{
    return params(run, a, 0);
}

static value *run_bias(lang_run *run, const args *a)
{
    return params(run, a, 1);
}

/* The one row activations runs, `[[x1, x2]]` or `[x1, x2]`, as floats
 * in *x (malloc'd), standardized as the net's data was. 0 or -1. */
static int one_row(lang_run *run, const args *a, const net_value *n,
                   nn_model *m, float **x)
{
    const value *l = arg_get(a, "row");
    int d = nn_model_in(m), len, pos = arg_pos(a, "row", &len);
    int cols = l->as.list.cols;
    if (!(cols == d && l->as.list.depth == 2 && l->as.list.n == 1)
        && !(cols == 1 && l->as.list.depth == 1 && l->as.list.n == d))
    {
        int in[3];
        if (nn_model_layer_shape(m, -1, in))
            return lang_err_set(run->e, "ShapeError", pos, len,
                                "activations takes one image as a row of "
                                "%dx%dx%d = %d numbers: [[x1, ...]]; for "
                                "a conv net's feature maps of an image of "
                                "a data set, feature_maps(net, data, i)",
                                in[0], in[1], in[2], d);
        return lang_err_set(run->e, "ShapeError", pos, len,
                            "activations takes one row of %d number%s: "
                            "[[x1, ...]]", d, d == 1 ? "" : "s");
    }
    *x = malloc((size_t)d * sizeof **x);
    if (!*x)
        return lang_err_oom(run->e, a->call->pos);
    for (int j = 0; j < d; j++)
        (*x)[j] = (float)l->as.list.nums[j];
    if (n->scaler && n->scaler->d == d)
        nn_scaler_apply(n->scaler, *x, 1);
    return 0;
}

/* Layer l's label, "2 relu". NULL on OOM. */
static value *layer_label(nn_model *m, int l)
{
    char buf[64], label[96];
    nn_layer_format(nn_model_layer(m, l), buf, sizeof buf);
    snprintf(label, sizeof label, "%d %s", l + 1, buf);
    return value_str(label);
}

static value *run_activations(lang_run *run, const args *a)
{
    value *net;
    nn_model *m;
    float *x;
    nn_err err;
    if (arg_value(run, a, "net", &net) < 0
        || !(m = view_model(run, a, net))
        || one_row(run, a, net->as.net, m, &x) < 0)
        return NULL;
    if (!nn_model_forward(m, x, 1, &err)) {
        free(x);
        view_fail(run, a, "MemoryError", &err);
        return NULL;
    }
    free(x);
    int nl = nn_model_n_layers(m);
    value *names = value_list(nl), *outs = value_list(nl);
    int ok = names && outs;
    for (int l = 0; ok && l < nl; l++)
        ok = (names->as.list.items[l] = layer_label(m, l))
             && (outs->as.list.items[l] = record_floats(
                     nn_model_layer_output(m, l), nn_model_layer_out(m, l)));
    ok = ok && value_list_nest(names) > 0 && value_list_nest(outs) > 0;
    if (!ok) {
        value_unref(names);
        value_unref(outs);
        names = outs = NULL;
    }
    value *r = value_rec();
    ok = r != NULL;
    record_field(r, &ok, "layers", names);
    record_field(r, &ok, "outputs", outs);
    return builtin_made(run, a, record_done(r, ok));
}

/* ---- the family ---------------------------------------------------- */

static const param p_params[] = {
    PARAM_VALUE("net", V_NET, NULL, "a built net"),
    PARAM_INT("layer", 1, 1, 2147483647,
              "which linear or conv2d layer, 1 for the first"),
    PARAM_END
};
static const param p_activations[] = {
    PARAM_VALUE("net", V_NET, NULL, "a built net"),
    PARAM_VALUE("row", V_LIST, NULL, "one row of inputs: [[x1, x2]]"),
    PARAM_END
};

static const builtin table[] = {
    { "weights", B_FUNC, p_params, 1, 0, run_weights,
      "the weights of a linear layer of a net, [out, in] (conv2d: a row "
      "per filter, shape [out, in, kh, kw])", { 0 } },
    { "bias", B_FUNC, p_params, 1, 0, run_bias,
      "the bias of a linear or conv2d layer of a net, [out]", { 0 } },
    { "activations", B_FUNC, p_activations, 2, 0, run_activations,
      "the output of every layer of a net for one row", { 0 } },
};

const builtin_family weights_family = {
    "weights", table, sizeof table / sizeof *table
};
