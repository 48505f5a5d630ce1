#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layers.h"

/* ---- layers -------------------------------------------------------- */

static value *layer(ev *x, const args *a, nn_layer_kind kind, int units,
                    float arg)
{
    nn_layer_spec l = { kind, units, arg };
    return builtin_made(x, a, value_net(&l, 1, 0));
}

static value *run_linear(ev *x, const args *a)
{
    int units;
    if (arg_int(x, a, 0, 1, 1, 1 << 20, &units) < 0)
        return NULL;
    return layer(x, a, NN_LINEAR, units, 0);
}

static value *run_leaky_relu(ev *x, const args *a)
{
    double slope;
    if (arg_num(x, a, 0, 0.01, 0, 1, &slope) < 0)
        return NULL;
    return layer(x, a, NN_LEAKY_RELU, 0, (float)slope);
}

static value *run_dropout(ev *x, const args *a)
{
    double p;
    if (arg_num(x, a, 0, 0.5, 0, 0.99, &p) < 0)
        return NULL;
    return layer(x, a, NN_DROPOUT, 0, (float)p);
}

static value *activation(ev *x, const args *a)
{
    return layer(x, a, nn_layer_kind_from_name(a->fn->name), 0, 0);
}

static value *run_input(ev *x, const args *a)
{
    int d;
    if (arg_int(x, a, 0, 1, 1, 1 << 20, &d) < 0)
        return NULL;
    return builtin_made(x, a, value_net(NULL, 0, d));
}


/* ---- the family ---------------------------------------------------- */

static const char *const p_none[] = { NULL };
static const char *const p_units[] = { "units", NULL };
static const char *const p_slope[] = { "slope", NULL };
static const char *const p_p[] = { "p", NULL };
static const char *const p_input[] = { "width", NULL };

static const builtin table[] = {
    { "input", B_LAYER, p_input, 1, 0, run_input },
    { "linear", B_LAYER, p_units, 1, 0, run_linear },
    { "relu", B_LAYER, p_none, 0, 0, activation },
    { "leaky_relu", B_LAYER, p_slope, 0, 0, run_leaky_relu },
    { "sigmoid", B_LAYER, p_none, 0, 0, activation },
    { "tanh", B_LAYER, p_none, 0, 0, activation },
    { "softmax", B_LAYER, p_none, 0, 0, activation },
    { "gelu", B_LAYER, p_none, 0, 0, activation },
    { "identity", B_LAYER, p_none, 0, 0, activation },
    { "dropout", B_LAYER, p_p, 0, 0, run_dropout },
};

const builtin_family layers_family = {
    "layers", table, sizeof table / sizeof *table
};
