/* batchnorm: gradients of a net with batchnorm after conv2d and after
 * linear against central finite differences, in train mode (batch
 * statistics) and eval mode (running statistics); the running statistics
 * as PyTorch moves them; and a model file that keeps them. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_model.h"
#include "nn_norm.h"
#include "nn_rng.h"
#include "nn_safetensors.h"

static const nn_layer_spec net[] = {
    { .kind = NN_CONV2D, .units = 3, .kernel = 3, .pad = NN_PAD_SAME },
    { .kind = NN_BATCHNORM },
    { .kind = NN_TANH },
    { .kind = NN_AVGPOOL2D, .kernel = 2 },
    { .kind = NN_FLATTEN },
    { .kind = NN_LINEAR, .units = 5 },
    { .kind = NN_BATCHNORM },
    { .kind = NN_TANH },
    { .kind = NN_LINEAR, .units = 3 },
    { .kind = NN_SOFTMAX },
};
#define N_LAYERS 10

static nn_model *make(void)
{
    nn_err e;
    nn_model *m = nn_model_new_image(2, 4, 4, net, N_LAYERS, 5, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    return m;
}

static void fill(float *x, int n, uint64_t seed, float scale, float shift)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < n; i++)
        x[i] = shift + scale * nn_rng_normal(&r);
}

/* Every parameter's gradient against differences (in double: the loss is
 * a float, so the step is large enough to see). */
START_TEST(gradients_match_differences)
{
    int training = _i;
    nn_model *m = make();
    enum { N = 5 };
    float x[N * 32];
    int y[N] = {0, 2, 1, 1, 0};
    fill(x, N * 32, 11, 1.5f, 0.3f);
    /* running statistics away from 0 and 1, so that eval mode tests them */
    nn_model_set_training(m, 1);
    for (int i = 0; i < 5; i++)
        ck_assert_ptr_nonnull(nn_model_forward(m, x, N, NULL));
    nn_model_set_training(m, training);
    helper_check_ce_gradients(m, x, y, N, 1e-3f, 3e-3,
                              training ? "train mode" : "eval mode");
    nn_model_free(m);
}
END_TEST

/* One batch in train mode moves the running statistics as PyTorch:
 * mean 0.1 * batch mean, variance 0.9 + 0.1 * unbiased batch variance;
 * eval mode then normalises by them. */
START_TEST(running_statistics)
{
    static const nn_layer_spec bn[] = { { .kind = NN_BATCHNORM } };
    nn_err e;
    nn_model *m = nn_model_new(2, bn, 1, 0, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    float x[] = { 1, 10, 2, 20, 3, 30, 6, 40 };
    nn_model_set_training(m, 1);
    const float *y = nn_model_forward(m, x, 4, &e);
    /* feature 0: mean 3, biased variance 3.5, unbiased 14/3 */
    ck_assert_float_eq_tol(y[0], (float)((1 - 3) / sqrt(3.5 + 1e-5)), 1e-6);
    const float *st = nn_model_state(m);
    ck_assert_float_eq_tol(st[0], 0.3f, 1e-6);
    ck_assert_float_eq_tol(st[1], 2.5f, 1e-6);
    ck_assert_float_eq_tol(st[2], 0.9f + 0.1f * 14.0f / 3.0f, 1e-5);
    ck_assert_int_eq(nn_model_layer_tracked(m, 0), 1);
    float out[2];
    ck_assert_int_eq(nn_model_predict(m, x, 1, out, &e), 0);
    ck_assert_float_eq_tol(out[0], (1 - st[0]) / sqrtf(st[2] + NN_BN_EPS),
                           1e-6);
    ck_assert_int_eq(nn_model_layer_tracked(m, 0), 1); /* eval: no move */
    nn_model *c = nn_model_copy(m, &e);
    ck_assert(c && nn_model_layer_tracked(c, 0) == 1
              && memcmp(nn_model_state(c), st, 4 * sizeof *st) == 0);
    nn_model_free(c);
    nn_model_free(m);
}
END_TEST

/* Saved and loaded: parameters, running statistics and batch counts. */
START_TEST(file_keeps_running_statistics)
{
    nn_model *m = make();
    float x[6 * 32];
    fill(x, 6 * 32, 3, 1.0f, 0.5f);
    nn_model_set_training(m, 1);
    ck_assert_ptr_nonnull(nn_model_forward(m, x, 6, NULL));
    ck_assert_ptr_nonnull(nn_model_forward(m, x, 6, NULL));
    char path[] = "/tmp/test_norm_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    nn_err e;
    ck_assert_int_eq(nn_safetensors_save(m, path, &e), 0);
    nn_model *back = nn_safetensors_load(path, &e);
    unlink(path);
    ck_assert_msg(back != NULL, "%s", e.msg);
    ck_assert(helper_same_params(m, back));
    ck_assert_uint_eq(nn_model_n_state(back), nn_model_n_state(m));
    ck_assert(memcmp(nn_model_state(m), nn_model_state(back),
                     nn_model_n_state(m) * sizeof(float)) == 0);
    ck_assert_int_eq(nn_model_layer_tracked(back, 1), 2);
    ck_assert_int_eq(nn_model_layer_tracked(back, 6), 2);
    float a[6 * 3], b[6 * 3];
    ck_assert_int_eq(nn_model_predict(m, x, 6, a, &e), 0);
    ck_assert_int_eq(nn_model_predict(back, x, 6, b, &e), 0);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    nn_model_free(m);
    nn_model_free(back);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batchnorm");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, gradients_match_differences, 0, 2);
    tcase_add_test(tc, running_statistics);
    tcase_add_test(tc, file_keeps_running_statistics);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
