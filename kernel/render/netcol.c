#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "netcol.h"

/* Index of the c-th linear layer (c >= 1), or -1. */
static int linear_of(const nn_model *m, int c)
{
    for (int i = 0, seen = 0; i < nn_model_n_layers(m); i++)
        if (nn_model_layer(m, i)->kind == NN_LINEAR && ++seen == c)
            return i;
    return -1;
}

int netcol_count(const nn_model *m)
{
    assert(m);
    int c = 1;
    for (int i = 0; i < nn_model_n_layers(m); i++)
        c += nn_model_layer(m, i)->kind == NN_LINEAR;
    return c;
}

int netcol_units(const nn_model *m, int c)
{
    assert(m && c >= 0 && c < netcol_count(m));
    return c == 0 ? nn_model_in(m) : nn_model_layer_out(m, linear_of(m, c));
}

/* The first layer after column c's linear layer (0 for the inputs). */
static int after_linear(const nn_model *m, int c)
{
    return c == 0 ? 0 : linear_of(m, c) + 1;
}

int netcol_layer(const nn_model *m, int c)
{
    assert(m && c >= 0 && c < netcol_count(m));
    int last = c == 0 ? -1 : linear_of(m, c);
    for (int i = after_linear(m, c);
         i < nn_model_n_layers(m) && nn_model_layer(m, i)->kind != NN_LINEAR;
         i++)
        last = i;
    return last;
}

nn_layer_kind netcol_kind(const nn_model *m, int c)
{
    for (int i = netcol_layer(m, c); i >= after_linear(m, c); i--)
        if (nn_model_layer(m, i)->kind != NN_DROPOUT)
            return nn_model_layer(m, i)->kind;
    return c == 0 ? NN_IDENTITY : NN_LINEAR;
}

const float *netcol_weights(const nn_model *m, int c)
{
    assert(m && c >= 1 && c < netcol_count(m));
    return nn_model_params((nn_model *)m)
           + nn_model_layer_offset(m, linear_of(m, c));
}

const float *netcol_biases(const nn_model *m, int c)
{
    return netcol_weights(m, c)
           + (size_t)netcol_units(m, c) * netcol_units(m, c - 1);
}

void netcol_role(const nn_model *m, int c, int brief, char buf[32])
{
    assert(m && buf);
    if (c == 0)
        snprintf(buf, 32, "input");
    else if (c == netcol_count(m) - 1)
        snprintf(buf, 32, "output");
    else
        snprintf(buf, 32, brief ? "h%d" : "hidden %d", c);
}

void netcol_put_activation(sb *b, const nn_model *m, int c)
{
    int first = after_linear(m, c), any = 0;
    for (int i = first; i <= netcol_layer(m, c); i++) {
        char buf[48];
        nn_layer_format(nn_model_layer(m, i), buf, sizeof buf);
        sb_fmt(b, "%s%s", any++ ? ", " : "", buf);
    }
    if (!any && c > 0)
        sb_str(b, "linear");
}

/* The name of output neuron j of column c, the last. */
static char *output_name(const nn_model *m, const netcol_names *names, int c,
                         int j)
{
    int out = netcol_units(m, c);
    const char *const *k = names->classes;
    if (out == 1 && netcol_kind(m, c) == NN_SIGMOID)
        return sb_printf("P(%s)", k && names->n_classes == 2 && k[1] ? k[1]
                                                                     : "1");
    if (out == 1 && k && names->n_classes == 1 && k[0])
        return sb_printf("%s", k[0]); /* a regression target's name */
    if (out == 1)
        return sb_printf("out");
    if (k && names->n_classes == out && k[j])
        return sb_printf("%s", k[j]);
    return sb_printf("%d", j);
}

char *netcol_name(const nn_model *m, const netcol_names *names, int c,
                  int u)
{
    assert(m && names && c >= 0 && u >= 0 && u < netcol_units(m, c));
    if (c == netcol_count(m) - 1 && c > 0)
        return output_name(m, names, c, u);
    if (c == 0 && names->features && names->features[u])
        return sb_printf("%s", names->features[u]);
    if (c == 0)
        return sb_printf("x%d", u + 1);
    return sb_printf("hidden %d #%d", c, u + 1);
}
