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
        else if (l->kind == NN_CONV2D || l->kind == NN_FLATTEN)
            *width = 0; /* known once the image shape is */
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
    const int *s = net->as.net->in_shape;
    int shape[3] = {in, 0, 0};
    if (s[1] && s[0] * s[1] * s[2] == in)
        memcpy(shape, s, sizeof shape);
    return net_build_image(run, net, shape, seed, at);
}

/* Whether a layer of the net needs images (conv2d, pooling). */
static int needs_images(const net_value *n)
{
    for (int i = 0; i < n->n_layers; i++) {
        nn_layer_kind k = n->layers[i].kind;
        if (k == NN_CONV2D || k == NN_MAXPOOL2D || k == NN_AVGPOOL2D)
            return 1;
    }
    return 0;
}

int net_build_for(lang_run *run, value *net, const nn_data *d,
                  uint64_t seed, const node *at)
{
    assert(run && net && net->kind == V_NET && d && at);
    const net_value *n = net->as.net;
    int shape[3] = {n->in_fixed ? n->in : d->d, 0, 0};
    if (n->in_fixed && n->in_shape[1])
        memcpy(shape, n->in_shape, sizeof shape);
    if (!n->in_fixed && needs_images(n)) {
        int side = 1;
        while ((side + 1) * (side + 1) <= d->d)
            side++;
        if (d->height > 0) {
            shape[0] = d->channels;
            shape[1] = d->height, shape[2] = d->width;
        } else if (side * side == d->d) {
            shape[0] = 1; /* square grey images, as digits' 8x8 */
            shape[1] = shape[2] = side;
        }
    }
    return net_build_image(run, net, shape, seed, at);
}

int net_build_image(lang_run *run, value *net, const int shape[3],
                    uint64_t seed, const node *at)
{
    assert(run && net && net->kind == V_NET && shape && at);
    int in = shape[1] ? shape[0] * shape[1] * shape[2] : shape[0];
    assert(in > 0);
    net_value *n = net->as.net;
    nn_err err;
    if (n->n_layers == 0)
        return lang_err_set(run->e, "ShapeError", at->pos, at->len,
                            "the net has no layers: add some, e.g. "
                            "input(%d) -> linear(16) -> relu -> linear(1) "
                            "-> sigmoid", in);
    nn_model *m = nn_model_new_image(shape[0], shape[1], shape[2], n->layers,
                                     n->n_layers, seed, &err);
    if (!m)
        return lang_err_engine(run->e, "ShapeError", at->pos, at->len, NULL,
                               &err);
    nn_model_free(n->model);
    n->model = m;
    n->in = in;
    return 0;
}
