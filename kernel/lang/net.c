#include <assert.h>
#include <string.h>

#include "net.h"

int net_check_layers(lang_run *run, const nn_layer_spec *layers, int from,
                     int n, int *width, const node *at)
{
    assert(run && (layers || n == 0) && from >= 0 && width && at);
    for (int i = from; i < n; i++) {
        const nn_layer_spec *l = &layers[i];
        if (l->kind == NN_LINEAR)
            *width = l->units;
        else if (l->kind == NN_SOFTMAX && *width == 1)
            return lang_err_set(run->e, "ShapeError", at->pos, at->len,
                                "softmax over 1 output is always 1: for two "
                                "classes end with linear(1) -> sigmoid or "
                                "linear(2) -> softmax");
    }
    return 0;
}

int net_check_chain(lang_run *run, const value *net, const node *at)
{
    assert(run && net && net->kind == V_NET && at);
    const net_value *n = net->as.net;
    int width = n->in;
    return net_check_layers(run, n->layers, 0, n->n_layers, &width, at);
}

int net_build(lang_run *run, value *net, int in, uint64_t seed,
              const node *at)
{
    assert(run && net && net->kind == V_NET && in > 0 && at);
    net_value *n = net->as.net;
    nn_err err;
    if (n->n_layers == 0)
        return lang_err_set(run->e, "ShapeError", at->pos, at->len,
                            "the net has no layers: add some, e.g. "
                            "input(%d) -> linear(16) -> relu -> linear(1) "
                            "-> sigmoid", in);
    nn_model *m = nn_model_new(in, n->layers, n->n_layers, seed, &err);
    if (!m)
        return lang_err_engine(run->e, "ShapeError", at->pos, at->len, NULL,
                               &err);
    nn_model_free(n->model);
    n->model = m;
    n->in = in;
    return 0;
}
