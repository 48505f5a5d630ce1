#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "nn_loss.h"

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

/* The cross-entropy of m's logits on x, y; the gradient to grad unless
 * NULL. */
static double ce_loss(nn_model *m, const float *x, const int *y, int n,
                      float *grad)
{
    ck_assert_ptr_nonnull(nn_model_forward(m, x, n, NULL));
    int top = nn_model_n_layers(m) - 2;
    return nn_loss_ce_logits(nn_model_layer_output(m, top), y, n,
                             nn_model_out(m), grad);
}

double helper_central_difference(float *v, float h, double (*f)(void *ctx),
                                 void *ctx)
{
    float keep = *v;
    *v = keep + h;
    double up = f(ctx);
    *v = keep - h;
    double down = f(ctx);
    *v = keep;
    return (up - down) / (2.0 * h);
}

/* The model, rows and classes of helper_check_ce_gradients. */
struct ce_case {
    nn_model *m;
    const float *x;
    const int *y;
    int n;
};

static double ce_case_loss(void *ctx)
{
    struct ce_case *c = ctx;
    return ce_loss(c->m, c->x, c->y, c->n, NULL);
}

void helper_check_ce_gradients(nn_model *m, const float *x, const int *y,
                               int n, float h, double tol, const char *what)
{
    float *grad = malloc((size_t)n * nn_model_out(m) * sizeof *grad);
    size_t np = nn_model_n_params(m);
    float *analytic = malloc(np * sizeof *analytic);
    ck_assert(grad && analytic);
    ce_loss(m, x, y, n, grad);
    nn_model_backward(m, x, grad, n, nn_model_n_layers(m) - 2);
    memcpy(analytic, nn_model_grads(m), np * sizeof *analytic);
    float *p = nn_model_params(m);
    struct ce_case c = { m, x, y, n };
    for (size_t i = 0; i < np; i++) {
        double num = helper_central_difference(p + i, h, ce_case_loss, &c);
        ck_assert_msg(fabs(analytic[i] - num) <= tol * fmax(1.0, fabs(num)),
                      "%s, parameter %zu: analytic %.7g, numeric %.7g", what,
                      i, analytic[i], num);
    }
    free(analytic);
    free(grad);
}
