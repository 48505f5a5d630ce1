/* Layers and losses: known values, and analytic gradients against central
 * finite differences (float, eps 1e-3, tolerances that a wrong derivative
 * breaks by orders of magnitude). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_layer.h"
#include "nn_loss.h"
#include "nn_model.h"
#include "nn_rng.h"

#define N 4
#define W 5
#define EPS 1e-3f

/* |a - b| <= tol * max(1, |b|). */
static void near(double a, double b, double tol, const char *what, int i)
{
    ck_assert_msg(fabs(a - b) <= tol * fmax(1.0, fabs(b)),
                  "%s [%d]: analytic %.7g, numeric %.7g", what, i, a, b);
}

/* Inputs away from 0, where relu-like kinks would spoil differences. */
static void inputs(float *x, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        float v = 2.0f * nn_rng_normal(&r);
        x[i] = v + (v >= 0 ? 0.1f : -0.1f);
    }
}

/* An activation, its input x and output y, and the weights r of
 * L = sum r * f(x). */
struct act_case {
    nn_layer_spec spec;
    float x[N * W], y[N * W], r[N * W];
};

static double act_loss(void *ctx)
{
    struct act_case *c = ctx;
    nn_layer_activate(&c->spec, c->x, c->y, N, W);
    double l = 0;
    for (int j = 0; j < N * W; j++)
        l += (double)c->r[j] * c->y[j];
    return l;
}

/* L = sum r * f(x): checks nn_layer_activate_backward against L's
 * differences. */
static void check_activation(nn_layer_spec spec)
{
    struct act_case c = { .spec = spec };
    float g[N * W];
    inputs(c.x, N * W, 1 + spec.kind);
    inputs(c.r, N * W, 99);
    nn_layer_activate(&spec, c.x, c.y, N, W);
    nn_layer_activate_backward(&spec, c.x, c.y, c.r, g, N, W);
    for (int i = 0; i < N * W; i++)
        near(g[i], helper_central_difference(c.x + i, EPS, act_loss, &c),
             2e-3, nn_layer_name(spec.kind), i);
}

/* Every activation kind, with the arguments worth testing. */
static const nn_layer_spec activations[] = {
    {.kind = NN_RELU},    {.kind = NN_SIGMOID},  {.kind = NN_TANH},
    {.kind = NN_SOFTMAX}, {.kind = NN_GELU},     {.kind = NN_IDENTITY},
    {.kind = NN_LEAKY_RELU, .arg = 0.1f},
    {.kind = NN_LEAKY_RELU, .arg = -0.3f},
    {.kind = NN_GELU, .arg = NN_GELU_TANH},
};
#define N_ACTIVATIONS (sizeof activations / sizeof activations[0])

START_TEST(activation_gradients)
{
    for (size_t k = 0; k < N_ACTIVATIONS; k++)
        check_activation(activations[k]);
}
END_TEST

START_TEST(activation_values)
{
    float x[4] = {-2.0f, 0.0f, 1.0f, 3.0f}, y[4];
    nn_layer_spec s = {.kind = NN_RELU};
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert(y[0] == 0.0f && y[2] == 1.0f && y[3] == 3.0f);
    s = (nn_layer_spec){.kind = NN_LEAKY_RELU, .arg = 0.1f};
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert_float_eq_tol(y[0], -0.2f, 1e-7f);
    s.kind = NN_SIGMOID;
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert_float_eq_tol(y[1], 0.5f, 1e-7f);
    ck_assert_float_eq_tol(y[3], 0.95257413f, 1e-6f);
    s.kind = NN_TANH;
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert_float_eq_tol(y[2], 0.76159416f, 1e-6f);
    s.kind = NN_GELU; /* torch.nn.GELU()(torch.tensor([-2., 0, 1, 3])) */
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert_float_eq_tol(y[0], -0.04550026f, 1e-6f);
    ck_assert_float_eq_tol(y[2], 0.84134475f, 1e-6f);
    ck_assert_float_eq_tol(y[3], 2.99595031f, 1e-5f);
    /* torch.nn.GELU(approximate="tanh")(the same) */
    s.arg = NN_GELU_TANH;
    nn_layer_activate(&s, x, y, 1, 4);
    ck_assert_float_eq_tol(y[0], -0.0454022884f, 1e-7f);
    ck_assert_float_eq(y[1], 0.0f);
    ck_assert_float_eq_tol(y[2], 0.841192007f, 1e-7f);
    ck_assert_float_eq_tol(y[3], 2.99636269f, 1e-6f);
    s.arg = 0.0f;
    s.kind = NN_SOFTMAX;
    float big[3] = {1000.0f, 1000.0f, -1000.0f};
    nn_layer_activate(&s, big, y, 1, 3);
    ck_assert_float_eq_tol(y[0], 0.5f, 1e-7f);
    ck_assert_float_eq_tol(y[2], 0.0f, 1e-7f);
    s.kind = NN_SIGMOID;
    nn_layer_activate(&s, big, y, 1, 3);
    ck_assert_float_eq(y[0], 1.0f);
    nn_layer_activate(&s, big + 2, y, 1, 1);
    ck_assert_float_eq(y[0], 0.0f);
}
END_TEST

/* Passes this large are split by rows between the threads: each value is
 * the one a pass over its row alone gives, bit for bit. */
#define BIG_N 300
#define BIG_W 300

static void check_wide_pass(nn_layer_spec spec)
{
    size_t len = (size_t)BIG_N * BIG_W;
    float *x = malloc(len * sizeof *x), *z = malloc(len * sizeof *z);
    float *y = malloc(len * sizeof *y), *g = malloc(len * sizeof *g);
    float *r = malloc(len * sizeof *r), *one = malloc(BIG_W * sizeof *one);
    float bias[BIG_W];
    ck_assert(x && z && y && g && r && one);
    inputs(x, (int)len, 7 + spec.kind);
    inputs(r, (int)len, 8);
    inputs(bias, BIG_W, 9);
    const char *name = nn_layer_name(spec.kind);
    nn_layer_activate(&spec, x, y, BIG_N, BIG_W);
    nn_layer_activate_backward(&spec, x, y, r, g, BIG_N, BIG_W);
    for (int i = 0; i < BIG_N; i++) {
        size_t at = (size_t)i * BIG_W;
        nn_layer_activate(&spec, x + at, one, 1, BIG_W);
        ck_assert_msg(memcmp(one, y + at, sizeof bias) == 0, "%s row %d",
                      name, i);
        nn_layer_activate_backward(&spec, x + at, y + at, r + at, one, 1,
                                   BIG_W);
        ck_assert_msg(memcmp(one, g + at, sizeof bias) == 0,
                      "%s backward row %d", name, i);
    }
    memcpy(z, x, len * sizeof *z);
    nn_layer_activate_bias(&spec, z, bias, y, BIG_N, BIG_W);
    for (int i = 0; i < BIG_N; i++) {
        size_t at = (size_t)i * BIG_W;
        float row[BIG_W];
        memcpy(row, x + at, sizeof row);
        nn_layer_activate_bias(&spec, row, bias, one, 1, BIG_W);
        ck_assert_msg(memcmp(row, z + at, sizeof row) == 0
                      && memcmp(one, y + at, sizeof row) == 0,
                      "%s with bias, row %d", name, i);
    }
    free(x), free(z), free(y), free(g), free(r), free(one);
}

START_TEST(wide_passes_match_row_by_row)
{
    for (size_t k = 0; k < N_ACTIVATIONS; k++)
        check_wide_pass(activations[k]);
}
END_TEST

START_TEST(layer_names)
{
    for (int k = 0; k < NN_LAYER_KINDS; k++)
        ck_assert_int_eq(nn_layer_kind_from_name(nn_layer_name(k)), k);
    ck_assert_int_eq(nn_layer_kind_from_name("rleu"), -1);
    char buf[32];
    nn_layer_spec s = {.kind = NN_LEAKY_RELU, .arg = 0.2f};
    nn_layer_format(&s, buf, sizeof buf);
    ck_assert_str_eq(buf, "leaky_relu(0.2)");
    nn_layer_spec g = {.kind = NN_GELU, .arg = NN_GELU_TANH};
    nn_layer_format(&g, buf, sizeof buf);
    ck_assert_str_eq(buf, "gelu(tanh)");
    nn_layer_spec back[3];
    nn_err e;
    ck_assert_int_eq(nn_layer_parse_list("gelu,gelu(tanh)", back, 3, &e), 2);
    ck_assert(back[0].kind == NN_GELU && back[0].arg == 0.0f);
    ck_assert(back[1].kind == NN_GELU && back[1].arg == NN_GELU_TANH);
    ck_assert_int_eq(nn_layer_parse_list("gelu(1)", back, 3, &e), -1);
    ck_assert_int_eq(nn_layer_parse_list("gelu(tanhh)", back, 3, &e), -1);
    s = (nn_layer_spec){.kind = NN_LINEAR, .units = 16};
    ck_assert_int_eq(nn_layer_format(&s, buf, 4), 10);
    ck_assert_str_eq(buf, "lin");
}
END_TEST

/* d loss / d input of a loss function against differences. */
typedef float (*loss_fn)(const float *z, const int *y, int n, int k,
                         float *grad);

static float bce(const float *z, const int *y, int n, int k, float *g)
{
    (void)k;
    return nn_loss_bce_logits(z, y, n, g);
}

/* A loss function and its inputs z, classes y, width k. */
struct loss_case {
    loss_fn f;
    float z[N * 3];
    const int *y;
    int k;
};

static double loss_case_loss(void *ctx)
{
    struct loss_case *c = ctx;
    return c->f(c->z, c->y, N, c->k, NULL);
}

static void check_loss(loss_fn f, int k, const int *y, const char *what)
{
    struct loss_case c = { .f = f, .y = y, .k = k };
    float g[N * 3];
    inputs(c.z, N * k, 7);
    f(c.z, y, N, k, g);
    for (int i = 0; i < N * k; i++)
        near(g[i], helper_central_difference(c.z + i, EPS, loss_case_loss, &c),
             2e-3, what, i);
}

START_TEST(loss_gradients)
{
    int bin[N] = {0, 1, 1, 0}, cls[N] = {2, 0, 1, 2};
    check_loss(bce, 1, bin, "bce");
    check_loss(nn_loss_ce_logits, 3, cls, "cross-entropy");
    check_loss(nn_loss_mse, 1, bin, "mse, 1 output");
    check_loss(nn_loss_mse, 3, cls, "mse, one-hot");
}
END_TEST

START_TEST(loss_values_and_stability)
{
    float z[4] = {1000.0f, -1000.0f, 1000.0f, 0.0f}, g[4];
    int y[4] = {0, 1, 1, 1};
    /* BCEWithLogits: 1000, 1000, 0, log 2 -> mean (2000 + log 2)/4 */
    float l = nn_loss_bce_logits(z, y, 4, g);
    ck_assert_float_eq_tol(l, (2000.0f + logf(2.0f)) / 4, 1e-3f);
    for (int i = 0; i < 4; i++)
        ck_assert(isfinite(g[i]));
    ck_assert_float_eq_tol(g[0], 0.25f, 1e-7f);
    ck_assert_float_eq_tol(g[1], -0.25f, 1e-7f);
    ck_assert_float_eq_tol(g[2], 0.0f, 1e-7f);
    /* CrossEntropy: row (1000, -1000, 0) label 1 -> 2000 */
    float rows[6] = {1000.0f, -1000.0f, 0.0f, 1.0f, 2.0f, 3.0f}, cg[6];
    int c[2] = {1, 2};
    l = nn_loss_ce_logits(rows, c, 2, 3, cg);
    double second = log(exp(1.0) + exp(2.0) + exp(3.0)) - 3.0;
    ck_assert_double_eq_tol(l, (2000.0 + second) / 2, 1e-3);
    for (int i = 0; i < 6; i++)
        ck_assert(isfinite(cg[i]));
    ck_assert_float_eq_tol(cg[0], 0.5f, 1e-6f);
    ck_assert_float_eq_tol(cg[1], -0.5f, 1e-6f);
    /* MSE: outputs (0.5, 2) against one-hot rows of 2 classes */
    float out[4] = {0.5f, 2.0f, 1.0f, 0.0f};
    int m[2] = {0, 0};
    ck_assert_float_eq_tol(nn_loss_mse(out, m, 2, 2, NULL),
                           (0.25f + 4.0f + 0.0f + 0.0f) / 4, 1e-6f);
}
END_TEST

/* A model's gradients (every layer kind, dropout active with a fixed mask)
 * against differences of an MSE loss over its parameters. */
static double model_loss(nn_model *m, const float *x, const int *y, int n,
                         float *grad, int top)
{
    nn_model_seed_dropout(m, 5);
    const float *out = nn_model_forward(m, x, n, NULL);
    ck_assert_ptr_nonnull(out);
    int k = nn_model_out(m);
    if (top == nn_model_n_layers(m) - 1)
        return nn_loss_mse(out, y, n, k, grad);
    const float *z = nn_model_layer_output(m, top);
    return k == 1 ? nn_loss_bce_logits(z, y, n, grad)
                  : nn_loss_ce_logits(z, y, n, k, grad);
}

/* A model, its rows and classes, and the layer whose output is the
 * loss's input. */
struct model_case {
    nn_model *m;
    const float *x;
    const int *y;
    int top;
};

static double model_case_loss(void *ctx)
{
    struct model_case *c = ctx;
    return model_loss(c->m, c->x, c->y, N, NULL, c->top);
}

static void check_model(const nn_layer_spec *layers, int n_layers, int top)
{
    nn_model *m = helper_model(3, layers, n_layers, 11);
    nn_model_set_training(m, 1);
    float x[N * 3], grad[N * 8];
    int y[N] = {0, 1, 2, 1};
    if (nn_model_out(m) == 1)
        y[2] = 0;
    inputs(x, N * 3, 3);
    model_loss(m, x, y, N, grad, top);
    nn_model_backward(m, x, grad, N, top);
    size_t np = nn_model_n_params(m);
    float *analytic = malloc(np * sizeof *analytic);
    memcpy(analytic, nn_model_grads(m), np * sizeof *analytic);
    float *p = nn_model_params(m);
    struct model_case c = { m, x, y, top };
    for (size_t i = 0; i < np; i++)
        near(analytic[i],
             helper_central_difference(p + i, EPS, model_case_loss, &c), 3e-3,
             "parameter", (int)i);
    free(analytic);
    nn_model_free(m);
}

START_TEST(model_gradients_every_layer)
{
    nn_layer_spec layers[] = {
        {NN_LINEAR, 6, 0, 0, 0, 0}, {NN_TANH, 0, 0, 0, 0, 0},    {NN_LINEAR, 5, 0, 0, 0, 0},
        {NN_GELU, 0, 0, 0, 0, 0},   {NN_DROPOUT, 0, 0.3f, 0, 0, 0}, {NN_LINEAR, 5, 0, 0, 0, 0},
        {NN_LEAKY_RELU, 0, 0.1f, 0, 0, 0}, {NN_LINEAR, 4, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0},
        {NN_IDENTITY, 0, 0, 0, 0, 0}, {NN_LINEAR, 3, 0, 0, 0, 0}, {NN_SOFTMAX, 0, 0, 0, 0, 0},
    };
    check_model(layers, 12, 11); /* mse through the softmax */
    check_model(layers, 12, 10); /* cross-entropy fused with it */
}
END_TEST

START_TEST(model_gradients_bce)
{
    nn_layer_spec layers[] = {
        {NN_TANH, 0, 0, 0, 0, 0}, {NN_LINEAR, 8, 0, 0, 0, 0}, {NN_RELU, 0, 0, 0, 0, 0},
        {NN_LINEAR, 1, 0, 0, 0, 0}, {NN_SIGMOID, 0, 0, 0, 0, 0},
    };
    check_model(layers, 5, 3); /* BCE from the logits */
    check_model(layers, 5, 4); /* mse on the probability */
}
END_TEST

START_TEST(dropout_modes)
{
    nn_layer_spec layers[] = {{NN_DROPOUT, 0, 0.25f, 0, 0, 0}};
    nn_model *m = helper_model(1000, layers, 1, 1);
    float x[1000];
    for (int i = 0; i < 1000; i++)
        x[i] = 1.0f;
    const float *y = nn_model_forward(m, x, 1, NULL); /* eval: identity */
    for (int i = 0; i < 1000; i++)
        ck_assert_float_eq(y[i], 1.0f);
    nn_model_set_training(m, 1);
    y = nn_model_forward(m, x, 1, NULL);
    int zeros = 0;
    for (int i = 0; i < 1000; i++) {
        ck_assert(y[i] == 0.0f || fabsf(y[i] - 4.0f / 3.0f) < 1e-6f);
        zeros += y[i] == 0.0f;
    }
    ck_assert_int_ge(zeros, 200); /* p = 0.25 of 1000, +- 4 sd */
    ck_assert_int_le(zeros, 300);
    nn_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("layers");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, activation_gradients);
    tcase_add_test(tc, activation_values);
    tcase_add_test(tc, wide_passes_match_row_by_row);
    tcase_add_test(tc, layer_names);
    tcase_add_test(tc, loss_gradients);
    tcase_add_test(tc, loss_values_and_stability);
    tcase_add_test(tc, model_gradients_every_layer);
    tcase_add_test(tc, model_gradients_bce);
    tcase_add_test(tc, dropout_modes);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
