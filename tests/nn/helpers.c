#include <check.h>
#include <string.h>

#include "helpers.h"

const nn_layer_spec helper_xor_net[4] = {
    {NN_LINEAR, 16, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0}, {NN_LINEAR, 1, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0},
};

nn_model *helper_model(int in, const nn_layer_spec *layers, int n_layers,
                       uint64_t seed)
{
    nn_err e;
    nn_model *m = nn_model_new(in, layers, n_layers, seed, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    return m;
}

int helper_has_params(nn_model *m, const float *p)
{
    return memcmp(nn_model_params(m), p,
                  nn_model_n_params(m) * sizeof(float)) == 0;
}

int helper_same_params(nn_model *a, nn_model *b)
{
    return nn_model_n_params(a) == nn_model_n_params(b)
           && helper_has_params(a, nn_model_params(b));
}
