/* Optimizers against values computed by hand from torch.optim's update
 * rules: two parameters (1, -2) and the gradients (0.5, 0.1), (-1, 0.3),
 * (0.25, -0.4) in three steps. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "nn_optim.h"

static const float grads[3][2] = {{0.5f, 0.1f}, {-1.0f, 0.3f}, {0.25f, -0.4f}};

/* Runs the three steps and checks the parameters end at (a, b). */
static void expect(nn_optim_spec s, double a, double b)
{
    nn_err e;
    nn_optim *o = nn_optim_new(&s, 2, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    float p[2] = {1.0f, -2.0f};
    for (int t = 0; t < 3; t++)
        nn_optim_step(o, p, grads[t]);
    ck_assert_double_eq_tol(p[0], a, 2e-6);
    ck_assert_double_eq_tol(p[1], b, 2e-6);
    nn_optim_free(o);
}

static nn_optim_spec spec(nn_optim_kind kind, float lr)
{
    nn_optim_spec s = nn_optim_defaults(kind);
    s.lr = lr;
    return s;
}

START_TEST(sgd_plain)
{
    expect(spec(NN_SGD, 0.1f), 1.025, -2.0);
}
END_TEST

START_TEST(sgd_momentum)
{
    nn_optim_spec s = spec(NN_SGD, 0.1f);
    s.momentum = 0.9f;
    expect(s, 1.0295, -2.0441);
}
END_TEST

START_TEST(sgd_nesterov)
{
    nn_optim_spec s = spec(NN_SGD, 0.1f);
    s.momentum = 0.9f;
    s.nesterov = 1;
    expect(s, 1.05155, -2.03969);
}
END_TEST

START_TEST(sgd_weight_decay)
{
    nn_optim_spec s = spec(NN_SGD, 0.1f);
    s.weight_decay = 0.1f;
    expect(s, 0.995294, -1.940099);
}
END_TEST

START_TEST(adam)
{
    expect(spec(NN_ADAM, 0.1f), 0.95027942, -2.185638);
}
END_TEST

START_TEST(adam_weight_decay)
{
    nn_optim_spec s = spec(NN_ADAM, 0.1f);
    s.weight_decay = 0.1f;
    expect(s, 0.924730574, -1.84994623);
}
END_TEST

START_TEST(adamw)
{
    nn_optim_spec s = spec(NN_ADAMW, 0.1f);
    s.weight_decay = 0.1f;
    expect(s, 0.922202317, -2.12332822);
}
END_TEST

START_TEST(rmsprop)
{
    expect(spec(NN_RMSPROP, 0.01f), 0.967584957, -2.11630291);
}
END_TEST

START_TEST(rmsprop_momentum)
{
    nn_optim_spec s = spec(NN_RMSPROP, 0.01f);
    s.momentum = 0.9f;
    expect(s, 0.877164051, -2.37272693);
}
END_TEST

START_TEST(rmsprop_weight_decay)
{
    nn_optim_spec s = spec(NN_RMSPROP, 0.01f);
    s.weight_decay = 0.1f;
    expect(s, 0.952989087, -1.87708036);
}
END_TEST

START_TEST(defaults_are_torchs)
{
    nn_optim_spec s = nn_optim_defaults(NN_SGD);
    ck_assert_float_eq(s.lr, 0.01f);
    ck_assert_float_eq(s.momentum, 0.0f);
    s = nn_optim_defaults(NN_ADAM);
    ck_assert_float_eq(s.lr, 0.001f);
    ck_assert_float_eq(s.beta1, 0.9f);
    ck_assert_float_eq(s.beta2, 0.999f);
    ck_assert_float_eq(s.eps, 1e-8f);
    ck_assert_float_eq(s.weight_decay, 0.0f);
    s = nn_optim_defaults(NN_ADAMW);
    ck_assert_float_eq(s.weight_decay, 0.01f);
    s = nn_optim_defaults(NN_RMSPROP);
    ck_assert_float_eq(s.lr, 0.01f);
    ck_assert_float_eq(s.alpha, 0.99f);
    ck_assert_int_eq(s.schedule, NN_SCHED_NONE);
}
END_TEST

START_TEST(step_schedule)
{
    nn_optim_spec s = spec(NN_SGD, 0.1f);
    s.schedule = NN_SCHED_STEP;
    s.step_size = 2;
    s.gamma = 0.5f;
    nn_optim *o = nn_optim_new(&s, 1, NULL);
    const double want[] = {0.1, 0.1, 0.05, 0.05, 0.025};
    for (int ep = 0; ep < 5; ep++)
        ck_assert_double_eq_tol(nn_optim_set_epoch(o, ep, 5), want[ep], 1e-8);
    /* The scheduled rate is the one the step uses. */
    float p = 0.0f, g = 1.0f;
    nn_optim_step(o, &p, &g);
    ck_assert_double_eq_tol(p, -0.025, 1e-8);
    nn_optim_free(o);
}
END_TEST

START_TEST(cosine_schedule)
{
    nn_optim_spec s = spec(NN_SGD, 1.0f);
    s.schedule = NN_SCHED_COSINE;
    nn_optim *o = nn_optim_new(&s, 1, NULL);
    const double want[] = {1.0, 0.853553391, 0.5, 0.146446609, 0.0};
    for (int ep = 0; ep < 5; ep++) /* t_max 0: the run's 4 epochs */
        ck_assert_double_eq_tol(nn_optim_set_epoch(o, ep, 4), want[ep], 1e-6);
    nn_optim_free(o);
    s.t_max = 2;
    s.eta_min = 0.5f;
    o = nn_optim_new(&s, 1, NULL);
    ck_assert_double_eq_tol(nn_optim_set_epoch(o, 1, 100), 0.75, 1e-6);
    ck_assert_double_eq_tol(nn_optim_set_epoch(o, 2, 100), 0.5, 1e-6);
    nn_optim_free(o);
}
END_TEST

START_TEST(bad_settings)
{
    nn_err e;
    nn_optim_spec s = spec(NN_SGD, 0.0f);
    ck_assert_ptr_null(nn_optim_new(&s, 4, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "lr"));
    s = spec(NN_SGD, 0.1f);
    s.nesterov = 1;
    ck_assert_ptr_null(nn_optim_new(&s, 4, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "nesterov"));
    s = spec(NN_ADAM, 0.1f);
    s.beta2 = 1.0f;
    ck_assert_ptr_null(nn_optim_new(&s, 4, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "beta2"));
    s = spec(NN_ADAM, 0.1f);
    s.weight_decay = -1.0f;
    ck_assert_ptr_null(nn_optim_new(&s, 4, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "weight_decay"));
    s = spec(NN_SGD, 0.1f);
    s.schedule = NN_SCHED_STEP;
    s.step_size = 0;
    ck_assert_ptr_null(nn_optim_new(&s, 4, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "step_size"));
}
END_TEST

/* A buffer big enough to be split across threads updates exactly like a
 * small one: every block of 1000 equals the small run, bit for bit. */
START_TEST(large_buffers_split_exactly)
{
    size_t big = ((size_t)3 << 20) + 37, small = 1000;
    float *p = malloc(big * sizeof *p), *g = malloc(big * sizeof *g);
    float ps[1000], gs[1000];
    /* the same 1000 values over and over, copied (computed again, a
     * compiler that fuses multiply-adds in its vector loop alone would
     * give the copies other bits) */
    for (size_t i = 0; i < big; i++) {
        p[i] = i < small ? (float)i * 0.001f - 0.5f : p[i - small];
        g[i] = i < small ? (float)(i * 7 % 13) * 0.01f - 0.06f : g[i - small];
    }
    memcpy(ps, p, sizeof ps);
    memcpy(gs, g, sizeof gs);
    nn_optim_kind kinds[] = {NN_SGD, NN_ADAM, NN_RMSPROP};
    for (int k = 0; k < 3; k++) {
        nn_optim_spec s = nn_optim_defaults(kinds[k]);
        s.momentum = kinds[k] == NN_ADAM ? 0.0f : 0.9f;
        nn_optim *ob = nn_optim_new(&s, big, NULL);
        nn_optim *os = nn_optim_new(&s, small, NULL);
        ck_assert(ob && os);
        for (int t = 0; t < 3; t++) {
            nn_optim_step(ob, p, g);
            nn_optim_step(os, ps, gs);
        }
        for (size_t i = 0; i < big; i++)
            if (p[i] != ps[i % small])
                ck_abort_msg("%s: element %zu differs", nn_optim_name(kinds[k]),
                             i);
        nn_optim_free(ob);
        nn_optim_free(os);
    }
    free(p);
    free(g);
}
END_TEST

START_TEST(parts_sum_then_step)
{
    /* the parts of a split batch's gradient: the step is the one of their
     * sum, taken in part order, and grads[0] ends holding that sum */
    enum { N = 5000, PARTS = 3 };
    float *p = malloc(N * sizeof *p), *q = malloc(N * sizeof *q);
    float *g[PARTS], *sum = malloc(N * sizeof *sum);
    for (int j = 0; j < PARTS; j++)
        g[j] = malloc(N * sizeof *g[j]);
    nn_optim_kind kinds[] = {NN_SGD, NN_ADAM, NN_ADAMW, NN_RMSPROP};
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < N; i++) {
            p[i] = q[i] = (float)(i % 101) * 0.01f - 0.5f;
            for (int j = 0; j < PARTS; j++)
                g[j][i] = (float)((i * (j + 3)) % 17) * 0.01f - 0.08f;
        }
        nn_optim_spec s = nn_optim_defaults(kinds[k]);
        s.momentum = kinds[k] == NN_SGD ? 0.9f : 0.0f;
        nn_optim *split = nn_optim_new(&s, N, NULL);
        nn_optim *whole = nn_optim_new(&s, N, NULL);
        ck_assert(split && whole);
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < N; i++)
                sum[i] = (g[0][i] + g[1][i]) + g[2][i];
            float keep = g[2][7];
            nn_optim_step_parts(split, p, g, PARTS);
            nn_optim_step(whole, q, sum);
            ck_assert(memcmp(g[0], sum, N * sizeof *sum) == 0);
            ck_assert_float_eq(g[2][7], keep);
            ck_assert_msg(memcmp(p, q, N * sizeof *p) == 0, "%s differs",
                          nn_optim_name(kinds[k]));
        }
        nn_optim_free(split);
        nn_optim_free(whole);
    }
    for (int j = 0; j < PARTS; j++)
        free(g[j]);
    free(sum);
    free(p);
    free(q);
}
END_TEST

START_TEST(names)
{
    for (int k = 0; k < NN_OPTIM_KINDS; k++)
        ck_assert_int_eq(nn_optim_kind_from_name(nn_optim_name(k)), k);
    ck_assert_str_eq(nn_optim_name(NN_ADAMW), "adamw");
    ck_assert_int_eq(nn_optim_kind_from_name("adagrad"), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60); /* 3M-element updates, slow under TSan */
    tcase_add_test(tc, sgd_plain);
    tcase_add_test(tc, sgd_momentum);
    tcase_add_test(tc, sgd_nesterov);
    tcase_add_test(tc, sgd_weight_decay);
    tcase_add_test(tc, adam);
    tcase_add_test(tc, adam_weight_decay);
    tcase_add_test(tc, adamw);
    tcase_add_test(tc, rmsprop);
    tcase_add_test(tc, rmsprop_momentum);
    tcase_add_test(tc, rmsprop_weight_decay);
    tcase_add_test(tc, defaults_are_torchs);
    tcase_add_test(tc, step_schedule);
    tcase_add_test(tc, cosine_schedule);
    tcase_add_test(tc, bad_settings);
    tcase_add_test(tc, large_buffers_split_exactly);
    tcase_add_test(tc, parts_sum_then_step);
    tcase_add_test(tc, names);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
