/* Model building: shapes, parameter layout, initialisation, description,
 * prediction, copies and the errors a user can cause. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_model.h"

START_TEST(shapes_and_params)
{
    nn_model *m = helper_model(2, helper_xor_net, 4, 1);
    ck_assert_int_eq(nn_model_in(m), 2);
    ck_assert_int_eq(nn_model_out(m), 1);
    ck_assert_int_eq(nn_model_n_layers(m), 4);
    int ins[] = {2, 16, 16, 1}, outs[] = {16, 16, 1, 1};
    size_t params[] = {48, 0, 17, 0}, offs[] = {0, 48, 48, 65};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(nn_model_layer_in(m, i), ins[i]);
        ck_assert_int_eq(nn_model_layer_out(m, i), outs[i]);
        ck_assert_uint_eq(nn_model_layer_params(m, i), params[i]);
        ck_assert_uint_eq(nn_model_layer_offset(m, i), offs[i]);
    }
    ck_assert_uint_eq(nn_model_n_params(m), 65);
    ck_assert_int_eq(nn_model_layer(m, 2)->units, 1);
    char buf[128];
    int len = nn_model_describe(m, buf, sizeof buf);
    ck_assert_str_eq(buf, "linear(16) -> relu -> linear(1) -> sigmoid");
    ck_assert_int_eq(len, (int)strlen(buf));
    ck_assert_int_eq(nn_model_describe(m, buf, 10), len);
    ck_assert_str_eq(buf, "linear(16");
    nn_model_free(m);
}
END_TEST

static void moments(const float *w, size_t n, double *mean, double *sd,
                    double *max)
{
    double s = 0, s2 = 0;
    *max = 0;
    for (size_t i = 0; i < n; i++) {
        s += w[i];
        s2 += (double)w[i] * w[i];
        *max = fmax(*max, fabs(w[i]));
    }
    *mean = s / n;
    *sd = sqrt(s2 / n - *mean * *mean);
}

START_TEST(initialisation)
{
    nn_layer_spec layers[] = {
        {NN_LINEAR, 400, 0, 0, 0, 0}, {NN_DROPOUT, 0, 0.5f, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0},
        {NN_LINEAR, 300, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0}, {NN_LINEAR, 200, 0, 0, 0, 0},
    };
    nn_model *m = helper_model(500, layers, 6, 42);
    float *p = nn_model_params(m);
    double mean, sd, max;
    /* He normal (relu after dropout): sd sqrt(2/500), zero bias. */
    moments(p, 400 * 500, &mean, &sd, &max);
    ck_assert_double_eq_tol(mean, 0.0, 1e-3);
    ck_assert_double_eq_tol(sd, sqrt(2.0 / 500), 0.002);
    ck_assert(max > 3 * sqrt(2.0 / 500)); /* normal tails, not uniform */
    for (int j = 0; j < 400; j++)
        ck_assert_float_eq(p[400 * 500 + j], 0.0f);
    /* Glorot uniform (tanh): |w| <= sqrt(6/(400+300)), sd limit/sqrt 3. */
    float *w = p + nn_model_layer_offset(m, 3);
    double limit = sqrt(6.0 / 700);
    moments(w, 300 * 400, &mean, &sd, &max);
    ck_assert(max <= limit);
    ck_assert_double_eq_tol(sd, limit / sqrt(3.0), 0.002);
    /* No activation after: Glorot too. */
    w = p + nn_model_layer_offset(m, 5);
    moments(w, 200 * 300, &mean, &sd, &max);
    ck_assert(max <= sqrt(6.0 / 500));
    /* Seeded: same seed, same weights; another seed, others. */
    nn_model *same = helper_model(500, layers, 6, 42);
    nn_model *other = helper_model(500, layers, 6, 43);
    ck_assert(helper_same_params(m, same));
    ck_assert(!helper_same_params(m, other));
    nn_model_free(m);
    nn_model_free(same);
    nn_model_free(other);
}
END_TEST

START_TEST(predict_known_weights)
{
    nn_layer_spec layers[] = {
        {NN_LINEAR, 2, 0, 0, 0, 0}, {NN_DROPOUT, 0, 0.5f, 0, 0, 0}, {NN_LINEAR, 1, 0, 0, 0, 0},
    };
    nn_model *m = helper_model(2, layers, 3, 0);
    /* W1 = [[1, 2], [3, 4]], b1 = [0.5, -0.5]; W2 = [[1, -1]], b2 = 2 */
    float p[] = {1, 2, 3, 4, 0.5f, -0.5f, 1, -1, 2};
    memcpy(nn_model_params(m), p, sizeof p);
    nn_model_set_training(m, 1); /* predict runs in eval mode anyway */
    float x[4] = {1, 1, 0, -1}, out[2];
    ck_assert_int_eq(nn_model_predict(m, x, 2, out, NULL), 0);
    /* row 1: h = (3.5, 6.5) -> 3.5 - 6.5 + 2 = -1
     * row 2: h = (-1.5, -4.5) -> -1.5 + 4.5 + 2 = 5 */
    ck_assert_float_eq_tol(out[0], -1.0f, 1e-6f);
    ck_assert_float_eq_tol(out[1], 5.0f, 1e-6f);
    nn_model_free(m);
}
END_TEST

START_TEST(predict_many_rows)
{
    /* More rows than one pass holds give the same as row by row. */
    nn_model *m = helper_model(2, helper_xor_net, 4, 3);
    int n = 2500;
    float *x = malloc(sizeof(float) * 2 * n), *out = malloc(sizeof(float) * n);
    for (int i = 0; i < 2 * n; i++)
        x[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
    ck_assert_int_eq(nn_model_predict(m, x, n, out, NULL), 0);
    for (int i = 0; i < n; i += 499) {
        float one;
        nn_model_predict(m, x + 2 * i, 1, &one, NULL);
        ck_assert_float_eq_tol(one, out[i], 1e-6f);
        ck_assert(out[i] > 0.0f && out[i] < 1.0f);
    }
    free(x);
    free(out);
    nn_model_free(m);
}
END_TEST

START_TEST(copy_is_deep)
{
    nn_model *m = helper_model(2, helper_xor_net, 4, 5);
    nn_model *c = nn_model_copy(m, NULL);
    ck_assert(helper_same_params(m, c));
    nn_model_params(c)[0] += 1.0f;
    ck_assert(nn_model_params(m)[0] != nn_model_params(c)[0]);
    nn_model_free(m);
    nn_model_free(c);
}
END_TEST

START_TEST(rows_in_parts)
{
    /* forward and backward passes on parts of a batch give its rows'
     * outputs and, summed, its gradient */
    nn_layer_spec layers[] = {
        {NN_LINEAR, 32, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},
        {NN_LINEAR, 16, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0},
        {NN_DROPOUT, 0, 0.0f, 0, 0, 0}, {NN_LINEAR, 4, 0, 0, 0, 0},
        {NN_SOFTMAX, 0, 0, 0, 0, 0},
    };
    enum { N = 24, FIRST = 10, IN = 3, OUT = 4, TOP = 5 };
    nn_model *m = helper_model(IN, layers, 7, 3);
    ck_assert_int_eq(nn_model_rows_independent(m), 1);
    size_t np = nn_model_n_params(m);
    float x[N * IN], g[N * OUT], whole[N * OUT];
    for (int i = 0; i < N * IN; i++)
        x[i] = (float)((i * 7) % 11) * 0.2f - 1.0f;
    for (int i = 0; i < N * OUT; i++)
        g[i] = (float)((i * 5) % 9) * 0.05f - 0.2f;
    nn_model_set_training(m, 1);
    memcpy(whole, nn_model_forward(m, x, N, NULL), sizeof whole);
    nn_model_backward(m, x, g, N, TOP);
    float *gw = malloc(np * sizeof *gw), *g1 = malloc(np * sizeof *g1);
    float *g2 = malloc(np * sizeof *g2);
    memcpy(gw, nn_model_grads(m), np * sizeof *gw);

    ck_assert_int_eq(nn_model_reserve(m, N, NULL), 0);
    const float *a = nn_model_forward_rows(m, x, 0, FIRST);
    const float *b = nn_model_forward_rows(m, x + FIRST * IN, FIRST, N - FIRST);
    ck_assert_ptr_eq(b, a + FIRST * OUT);
    for (int i = 0; i < N * OUT; i++)
        ck_assert_float_eq_tol(a[i], whole[i], 1e-6f);
    nn_model_backward_rows(m, x, g, 0, FIRST, TOP, g1);
    nn_model_backward_rows(m, x + FIRST * IN, g + FIRST * OUT, FIRST,
                           N - FIRST, TOP, g2);
    for (size_t i = 0; i < np; i++)
        ck_assert_float_eq_tol(g1[i] + g2[i], gw[i],
                               1e-5f * (1.0f + fabsf(gw[i])));
    free(gw);
    free(g1);
    free(g2);

    /* batchnorm mixes the rows of a batch, dropout draws one stream */
    nn_layer_spec norm[] = {{NN_LINEAR, 4, 0, 0, 0, 0},
                            {NN_BATCHNORM, 0, 0, 0, 0, 0}};
    nn_model *bn = helper_model(IN, norm, 2, 1);
    ck_assert_int_eq(nn_model_rows_independent(bn), 0);
    layers[4].arg = 0.2f;
    nn_model *drop = helper_model(IN, layers, 7, 1);
    ck_assert_int_eq(nn_model_rows_independent(drop), 0);
    nn_model_free(drop);
    nn_model_free(bn);
    nn_model_free(m);
}
END_TEST

START_TEST(bad_input)
{
    nn_err e;
    ck_assert_ptr_null(nn_model_new(0, helper_xor_net, 4, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "input width"));
    ck_assert_ptr_null(nn_model_new(2, helper_xor_net, 0, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "at least one layer"));
    nn_layer_spec huge[] = {{NN_LINEAR, 1 << 30, 0, 0, 0, 0}};
    ck_assert_ptr_null(nn_model_new(1 << 20, huge, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "MiB"));
    ck_assert_ptr_nonnull(strstr(e.msg, "too large"));
    nn_layer_spec zero[] = {{NN_LINEAR, 0, 0, 0, 0, 0}};
    ck_assert_ptr_null(nn_model_new(2, zero, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "at least 1 unit"));
    nn_layer_spec drop[] = {{NN_DROPOUT, 0, 1.0f, 0, 0, 0}};
    ck_assert_ptr_null(nn_model_new(2, drop, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "dropout"));
    nn_layer_spec gelu[] = {{NN_GELU, 0, 0.5f, 0, 0, 0}};
    ck_assert_ptr_null(nn_model_new(2, gelu, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "NN_GELU_TANH"));
    nn_layer_spec unknown[] = {{(nn_layer_kind)99, 0, 0, 0, 0, 0}};
    ck_assert_ptr_null(nn_model_new(2, unknown, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "unknown"));
    /* A batch too large for the machine's memory is an error too. */
    nn_layer_spec wide[] = {{NN_LINEAR, 1 << 20, 0, 0, 0, 0}};
    nn_model *m = helper_model(1, wide, 1, 0);
    float x = 1.0f;
    ck_assert_ptr_null(nn_model_forward(m, &x, 1 << 30, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "MiB"));
    ck_assert_ptr_null(nn_model_forward(m, &x, 0, &e));
    nn_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, shapes_and_params);
    tcase_add_test(tc, initialisation);
    tcase_add_test(tc, predict_known_weights);
    tcase_add_test(tc, predict_many_rows);
    tcase_add_test(tc, copy_is_deep);
    tcase_add_test(tc, rows_in_parts);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
