/* The traced step: its gradients are the engine's own and match central
 * finite differences, its update is the optimizer's, it changes nothing
 * until applied, and layer gradient norms show a vanishing gradient. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_trace.h"

static const float xs[] = { 0.5f, -0.2f, -1.0f, 0.8f, 0.3f, 0.3f,
                            1.2f, -0.7f };

/* The loss of m on xs[0..n) with labels y, as fit computes it. */
static double loss_of(nn_model *m, const int *y, int n, nn_loss_kind loss)
{
    float grad[64];
    int top;
    ck_assert_ptr_nonnull(nn_model_forward(m, xs, n, NULL));
    return nn_train_batch_loss(m, loss, xs, y, n, grad, &top);
}

/* Checks a trace of m against the engine's own backward pass (bit for
 * bit), dW = gout^T in and db = column sums of gout, and central finite
 * differences of the loss. */
static void check_trace(nn_model *m, const int *y, int n, nn_loss_kind loss)
{
    nn_optim_spec sgd = nn_optim_defaults(NN_SGD);
    size_t np = nn_model_n_params(m);
    float *p0 = malloc(np * sizeof *p0);
    memcpy(p0, nn_model_params(m), np * sizeof *p0);
    memset(nn_model_grads(m), 0x7f, np * sizeof(float));
    nn_err e;
    nn_trace *t = nn_trace_step(m, xs, y, n, loss, &sgd, &e);
    ck_assert_msg(t != NULL, "%s", t ? "" : e.msg);
    /* nothing changed: parameters and the gradient buffer */
    ck_assert(helper_has_params(m, p0));
    for (size_t j = 0; j < np; j++)
        ck_assert_uint_eq(((unsigned char *)nn_model_grads(m))[4 * j], 0x7f);
    /* the engine's own gradient, run here by hand */
    float grad[64];
    int top;
    nn_model_forward(m, xs, n, NULL);
    float l = nn_train_batch_loss(m, loss, xs, y, n, grad, &top);
    ck_assert_int_eq(top, t->top);
    ck_assert_float_eq(l, t->loss_value);
    nn_model_backward(m, xs, grad, n, top);
    const float *g = nn_model_grads(m);
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *tl = &t->layers[i];
        if (!tl->gw)
            continue;
        size_t off = nn_model_layer_offset(m, i), nw = (size_t)tl->width
                                                       * tl->in;
        ck_assert_mem_eq(tl->gw, g + off, nw * sizeof(float));
        ck_assert_mem_eq(tl->gb, g + off + nw, tl->width * sizeof(float));
        const float *in = i ? t->layers[i - 1].out : xs;
        for (int o = 0; o < tl->width; o++) {
            double sb = 0;
            for (int r = 0; r < n; r++)
                sb += tl->gout[r * tl->width + o];
            ck_assert_double_eq_tol(sb, tl->gb[o], 1e-5);
            for (int c = 0; c < tl->in; c++) {
                double s = 0;
                for (int r = 0; r < n; r++)
                    s += (double)tl->gout[r * tl->width + o]
                         * in[r * tl->in + c];
                ck_assert_double_eq_tol(s, tl->gw[o * tl->in + c], 1e-5);
                /* SGD lr 0.01: the update is -lr * gradient */
                ck_assert_double_eq_tol(tl->dw[o * tl->in + c],
                                        -0.01 * tl->gw[o * tl->in + c], 1e-7);
            }
        }
    }
    /* central finite differences, in double around float parameters */
    float *p = nn_model_params(m);
    float *gsave = malloc(np * sizeof *gsave);
    memcpy(gsave, g, np * sizeof *gsave);
    for (size_t j = 0; j < np; j++) {
        const float h = 1e-2f;
        float v = p[j];
        p[j] = v + h;
        double up = loss_of(m, y, n, loss);
        p[j] = v - h;
        double down = loss_of(m, y, n, loss);
        p[j] = v;
        double fd = (up - down) / (2.0 * h);
        ck_assert_msg(fabs(fd - gsave[j]) <= 2e-3 + 2e-2 * fabs(fd),
                      "parameter %zu: finite difference %g, gradient %g", j,
                      fd, (double)gsave[j]);
    }
    /* applied, the step is the update */
    nn_trace_apply(m, t);
    for (int i = 0; i < t->n_layers; i++) {
        const nn_trace_layer *tl = &t->layers[i];
        size_t off = nn_model_layer_offset(m, i);
        for (int j = 0; tl->dw && j < tl->width * tl->in; j++)
            ck_assert_float_eq(p[off + j], p0[off + j] + tl->dw[j]);
    }
    free(gsave);
    free(p0);
    nn_trace_free(t);
}

START_TEST(gradients_are_the_engines)
{
    nn_layer_spec bin[] = { { NN_LINEAR, 3, 0, 0, 0, 0 }, { NN_TANH, 0, 0, 0, 0, 0 },
                            { NN_LINEAR, 1, 0, 0, 0, 0 }, { NN_SIGMOID, 0, 0, 0, 0, 0 } };
    nn_model *m = helper_model(2, bin, 4, 7);
    int y[] = { 1, 0, 0, 1 };
    check_trace(m, y, 4, NN_LOSS_AUTO);
    nn_model_free(m);
    nn_layer_spec multi[] = { { NN_LINEAR, 4, 0, 0, 0, 0 }, { NN_GELU, 0, 0, 0, 0, 0 },
                              { NN_DROPOUT, 0, 0.5f, 0, 0, 0 }, { NN_LINEAR, 3, 0, 0, 0, 0 },
                              { NN_SOFTMAX, 0, 0, 0, 0, 0 } };
    m = helper_model(2, multi, 5, 3);
    int y3[] = { 2, 0, 1, 2 };
    check_trace(m, y3, 4, NN_LOSS_AUTO);
    nn_model_free(m);
    nn_layer_spec reg[] = { { NN_LINEAR, 3, 0, 0, 0, 0 }, { NN_SIGMOID, 0, 0, 0, 0, 0 },
                            { NN_LINEAR, 1, 0, 0, 0, 0 } };
    m = helper_model(2, reg, 3, 5);
    check_trace(m, y, 4, NN_LOSS_MSE);
    nn_model_free(m);
}
END_TEST

START_TEST(fused_output_has_no_gradient_of_its_own)
{
    nn_model *m = helper_model(2, helper_xor_net, 4, 1);
    int y[] = { 1 };
    nn_optim_spec adam = nn_optim_defaults(NN_ADAM);
    nn_trace *t = nn_trace_step(m, xs, y, 1, NN_LOSS_AUTO, &adam, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->loss, NN_LOSS_BCE);
    ck_assert_int_eq(t->top, 2);
    ck_assert_ptr_null(t->layers[3].gout);
    ck_assert_ptr_nonnull(t->layers[2].gout);
    /* bce on a logit: dL/dz = sigmoid(z) - y */
    float z = t->layers[2].out[0];
    ck_assert_float_eq_tol(t->layers[2].gout[0], 1 / (1 + expf(-z)) - 1,
                           1e-6);
    nn_trace_free(t);
    nn_layer_spec act[] = { { NN_RELU, 0, 0, 0, 0, 0 } };
    nn_model *none = nn_model_new(2, act, 1, 0, NULL);
    nn_err e;
    ck_assert_ptr_nonnull(none);
    ck_assert_ptr_null(nn_trace_step(none, xs, y, 1, NN_LOSS_MSE, &adam, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "no linear layer"));
    nn_model_free(none);
    nn_model_free(m);
}
END_TEST

/* The ratio of the first linear layer's gradient norm to the last's
 * after one backward pass of a deep net of `act` on a few rows. */
static double first_over_last(nn_layer_kind act)
{
    nn_layer_spec l[16];
    int k = 0;
    for (int i = 0; i < 7; i++) {
        l[k++] = (nn_layer_spec){ NN_LINEAR, 16, 0, 0, 0, 0 };
        l[k++] = (nn_layer_spec){ act, 0, 0, 0, 0, 0 };
    }
    l[k++] = (nn_layer_spec){ NN_LINEAR, 1, 0, 0, 0, 0 };
    l[k++] = (nn_layer_spec){ NN_SIGMOID, 0, 0, 0, 0, 0 };
    nn_model *m = helper_model(2, l, k, 11);
    int y[] = { 1, 0, 0, 1 };
    float grad[4];
    int top;
    nn_model_forward(m, xs, 4, NULL);
    nn_train_batch_loss(m, NN_LOSS_AUTO, xs, y, 4, grad, &top);
    nn_model_backward(m, xs, grad, 4, top);
    double norms[8];
    ck_assert_int_eq(nn_trace_layer_norms(m, norms, 8), 8);
    nn_model_free(m);
    return norms[0] / norms[7];
}

START_TEST(sigmoid_gradients_vanish)
{
    double sig = first_over_last(NN_SIGMOID), relu = first_over_last(NN_RELU);
    ck_assert_msg(sig < 1e-3, "sigmoid ratio %g", sig);
    ck_assert_msg(relu > 1e-2, "relu ratio %g", relu);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, gradients_are_the_engines);
    tcase_add_test(tc, fused_output_has_no_gradient_of_its_own);
    tcase_add_test(tc, sigmoid_gradients_vanish);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
