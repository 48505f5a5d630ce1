/* Image layers (conv2d, maxpool2d, avgpool2d, flatten): known values,
 * shapes and shape errors, and analytic gradients (input, weights, bias,
 * and through a whole conv net) against central finite differences. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"
#include "nn_conv.h"
#include "nn_layer.h"
#include "nn_model.h"
#include "nn_rng.h"
#include "nn_safetensors.h"

#define EPS 1e-2f

/* |a - b| <= tol * max(1, |b|). */
static void near(double a, double b, double tol, const char *what, int i)
{
    ck_assert_msg(fabs(a - b) <= tol * fmax(1.0, fabs(b)),
                  "%s [%d]: analytic %.7g, numeric %.7g", what, i, a, b);
}

/* Values spread out (pairs closer than 2 EPS would make max pooling's
 * differences jump). */
static void fill(float *x, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < n; i++)
        x[i] = nn_rng_normal(&r);
}

/* sum r * out, in double. */
static double dot(const float *r, const float *out, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)r[i] * out[i];
    return s;
}

/* L = sum r * conv(x, w, b), whose gradients are nn_conv2d_backward's
 * with gz = r. */
struct conv_case {
    nn_conv_geom g;
    int n;
    float *x, *w, *b, *z, *r, *cols, *tmp;
};

static double conv_loss(void *ctx)
{
    struct conv_case *c = ctx;
    nn_conv2d_forward(&c->g, c->x, c->n, c->w, c->b, c->z, NULL, NULL,
                      c->cols, c->tmp);
    return dot(c->r, c->z, nn_conv_tmp_len(&c->g, c->n));
}

/* Checks every value of v (len) against differences of conv_loss. */
static void check_values(struct conv_case *c, float *v, const float *grad,
                         size_t len, const char *what)
{
    for (size_t i = 0; i < len; i++)
        near(grad[i], helper_central_difference(v + i, EPS, conv_loss, c),
             2e-3, what, (int)i);
}

static void check_conv(nn_conv_geom g, int n)
{
    ck_assert_int_eq(nn_conv_geom_plan(&g), 0);
    size_t nx = (size_t)n * g.in_c * g.in_h * g.in_w;
    size_t nw = (size_t)g.out_c * g.in_c * g.k * g.k;
    size_t nz = nn_conv_tmp_len(&g, n), ncols = nn_conv_cols_len(&g, n);
    struct conv_case c = { g, n, malloc(nx * 4), malloc(nw * 4),
                           malloc((size_t)g.out_c * 4), malloc(nz * 4),
                           malloc(nz * 4), malloc(ncols * 4),
                           malloc(nz * 4) };
    float *gx = malloc(nx * 4), *gw = malloc(nw * 4);
    float *gb = malloc((size_t)g.out_c * 4);
    fill(c.x, (int)nx, 1);
    fill(c.w, (int)nw, 2);
    fill(c.b, g.out_c, 3);
    fill(c.r, (int)nz, 4);
    conv_loss(&c);
    nn_conv2d_backward(&c.g, n, c.w, c.r, gw, gb, gx, c.cols, c.tmp);
    check_values(&c, c.x, gx, nx, "conv2d input");
    check_values(&c, c.w, gw, nw, "conv2d weight");
    check_values(&c, c.b, gb, (size_t)g.out_c, "conv2d bias");
    free(c.x), free(c.w), free(c.b), free(c.z), free(c.r), free(c.cols);
    free(c.tmp), free(gx), free(gw), free(gb);
}

START_TEST(conv_gradients)
{
    /* padded, strided, non-square, several channels and images */
    check_conv((nn_conv_geom){ .in_c = 2, .in_h = 5, .in_w = 6, .out_c = 3,
                               .k = 3, .stride = 2, .pad = 1 }, 2);
    check_conv((nn_conv_geom){ .in_c = 3, .in_h = 4, .in_w = 4, .out_c = 2,
                               .k = 3, .stride = 1, .pad = 1 }, 3);
    check_conv((nn_conv_geom){ .in_c = 1, .in_h = 7, .in_w = 5, .out_c = 4,
                               .k = 2, .stride = 1, .pad = 0 }, 1);
}
END_TEST

START_TEST(conv_known_values)
{
    /* one 3x3 image, a 2x2 kernel of ones, bias 0.5: window sums */
    nn_conv_geom g = { .in_c = 1, .in_h = 3, .in_w = 3, .out_c = 1, .k = 2,
                       .stride = 1, .pad = 0 };
    ck_assert_int_eq(nn_conv_geom_plan(&g), 0);
    ck_assert_int_eq(g.out_h, 2);
    float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w[4] = {1, 1, 1, 1};
    float b = 0.5f, z[4], y[4], cols[16], tmp[4];
    nn_layer_spec relu = { .kind = NN_RELU };
    nn_conv2d_forward(&g, x, 1, w, &b, z, &relu, y, cols, tmp);
    float want[4] = {12.5f, 16.5f, 24.5f, 28.5f};
    for (int i = 0; i < 4; i++) {
        ck_assert_float_eq(z[i], want[i]);
        ck_assert_float_eq(y[i], want[i]);
    }
    /* padding 1 keeps 3x3 with a 3x3 kernel; the corner sees 4 values */
    g = (nn_conv_geom){ .in_c = 1, .in_h = 3, .in_w = 3, .out_c = 1, .k = 3,
                        .stride = 1, .pad = 1 };
    ck_assert_int_eq(nn_conv_geom_plan(&g), 0);
    float w9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, z9[9], cols9[81], tmp9[9];
    b = 0;
    nn_conv2d_forward(&g, x, 1, w9, &b, z9, NULL, NULL, cols9, tmp9);
    ck_assert_float_eq(z9[0], 1 + 2 + 4 + 5);
    ck_assert_float_eq(z9[4], 45);
    ck_assert_int_eq(nn_conv_out_size(28, 3, 1, 1), 28);
    ck_assert_int_eq(nn_conv_out_size(28, 2, 2, 0), 14);
    ck_assert_int_eq(nn_conv_out_size(7, 2, 2, 0), 3);
    ck_assert_int_eq(nn_conv_out_size(2, 5, 1, 0), 0);
}
END_TEST

/* 2x2 windows (the fast path) and 3x3 ones (the generic loops) on 2
 * images of 2 channels of 5x4 (3x3 windows: 6x7). */
START_TEST(pool_values_and_gradients)
{
    int k = _i ? 3 : 2, h = _i ? 6 : 5, w = _i ? 7 : 4;
    nn_conv_geom g = { .in_c = 2, .in_h = h, .in_w = w, .out_c = 2, .k = k,
                       .stride = k, .pad = 0 };
    ck_assert_int_eq(nn_conv_geom_plan(&g), 0);
    ck_assert_int_eq(g.out_h, 2); /* the last rows are left out, as torch */
    enum { N = 2, NX = N * 2 * 6 * 7, NY = N * 2 * 2 * 2 };
    float x[NX], y[NY], r[NY], gx[NX];
    fill(x, NX, 5);
    fill(r, NY, 6);
    for (int is_max = 0; is_max < 2; is_max++) {
        if (is_max) {
            nn_maxpool_forward(&g, x, N, y);
            nn_maxpool_backward(&g, x, N, r, gx);
        } else {
            nn_avgpool_forward(&g, x, N, y);
            nn_avgpool_backward(&g, N, r, gx);
        }
        /* the first window of the first plane */
        float m = x[0], a = 0;
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) {
                m = fmaxf(m, x[ky * w + kx]);
                a += x[ky * w + kx] / (float)(k * k);
            }
        ck_assert_float_eq_tol(y[0], is_max ? m : a, 1e-6f);
        for (int i = 0; i < N * 2 * h * w; i++) {
            float keep = x[i];
            double l[2];
            for (int s = 0; s < 2; s++) {
                x[i] = keep + (s ? -1e-3f : 1e-3f);
                if (is_max)
                    nn_maxpool_forward(&g, x, N, y);
                else
                    nn_avgpool_forward(&g, x, N, y);
                l[s] = dot(r, y, NY);
            }
            x[i] = keep;
            near(gx[i], (l[0] - l[1]) / 2e-3, 3e-3,
                 is_max ? "maxpool" : "avgpool", i);
        }
    }
}
END_TEST

/* L = cross-entropy of a conv net's logits: every parameter's gradient
 * against differences. */
START_TEST(conv_net_gradients)
{
    nn_layer_spec net[] = {
        { .kind = NN_CONV2D, .units = 3, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_TANH },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_CONV2D, .units = 4, .kernel = 2, .stride = 1 },
        { .kind = NN_GELU },
        { .kind = NN_AVGPOOL2D, .kernel = 2 },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 3 },
        { .kind = NN_SOFTMAX },
    };
    nn_err e;
    nn_model *m = nn_model_new_image(2, 6, 6, net, 9, 3, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    int shape[3];
    ck_assert_int_eq(nn_model_layer_shape(m, 2, shape), 1);
    ck_assert(shape[0] == 3 && shape[1] == 3 && shape[2] == 3);
    ck_assert_int_eq(nn_model_layer_shape(m, 5, shape), 1);
    ck_assert(shape[0] == 4 && shape[1] == 1 && shape[2] == 1);
    ck_assert_int_eq(nn_model_layer_shape(m, 6, shape), 0);
    ck_assert_int_eq(shape[0], 4);
    ck_assert_uint_eq(nn_model_n_params(m),
                      (2 * 9 + 1) * 3 + (3 * 4 + 1) * 4 + (4 + 1) * 3);
    enum { N = 3 };
    float x[N * 72];
    int y[N] = {0, 2, 1};
    fill(x, N * 72, 9);
    /* a small step: max pooling's choice must not flip */
    helper_check_ce_gradients(m, x, y, N, 2e-4f, 3e-3, "conv net");
    nn_model_free(m);
}
END_TEST

START_TEST(shape_errors_name_the_layer)
{
    nn_err e;
    nn_layer_spec no_flatten[] = {
        { .kind = NN_CONV2D, .units = 4, .kernel = 3 },
        { .kind = NN_LINEAR, .units = 2 },
    };
    ck_assert_ptr_null(nn_model_new_image(1, 8, 8, no_flatten, 2, 0, &e));
    ck_assert_msg(strstr(e.msg, "layer 2 linear(2)")
                  && strstr(e.msg, "6x6") && strstr(e.msg, "flatten"),
                  "%s", e.msg);
    ck_assert_ptr_null(nn_model_new(64, no_flatten, 2, 0, &e));
    ck_assert_msg(strstr(e.msg, "layer 1 conv2d(4, 3)")
                  && strstr(e.msg, "needs images"), "%s", e.msg);
    nn_layer_spec too_small[] = {
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_CONV2D, .units = 4, .kernel = 3 },
    };
    ck_assert_ptr_null(nn_model_new_image(1, 8, 8, too_small, 3, 0, &e));
    ck_assert_msg(strstr(e.msg, "layer 3 conv2d(4, 3) gets images 1x2x2")
                  && strstr(e.msg, "padding=same"), "%s", e.msg);
    nn_layer_spec even_same[] = {
        { .kind = NN_CONV2D, .units = 4, .kernel = 2, .pad = NN_PAD_SAME },
    };
    ck_assert_ptr_null(nn_model_new_image(1, 8, 8, even_same, 1, 0, &e));
    ck_assert_msg(strstr(e.msg, "odd kernel"), "%s", e.msg);
    char buf[64];
    nn_layer_format(&(nn_layer_spec){ .kind = NN_CONV2D, .units = 16,
                                      .kernel = 3, .stride = 2,
                                      .pad = NN_PAD_SAME }, buf, sizeof buf);
    ck_assert_str_eq(buf, "conv2d(16, 3, stride=2, padding=same)");
    nn_layer_format(&(nn_layer_spec){ .kind = NN_MAXPOOL2D, .kernel = 2 },
                    buf, sizeof buf);
    ck_assert_str_eq(buf, "maxpool2d(2)");
}
END_TEST

/* A copy of an image model keeps its input shape and computes the same. */
START_TEST(copy_and_predict_in_chunks)
{
    nn_layer_spec net[] = {
        { .kind = NN_CONV2D, .units = 2, .kernel = 3, .pad = 1 },
        { .kind = NN_RELU },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 2 },
    };
    nn_err e;
    nn_model *m = nn_model_new_image(1, 4, 4, net, 4, 1, &e);
    ck_assert_ptr_nonnull(m);
    nn_model *c = nn_model_copy(m, &e);
    ck_assert_ptr_nonnull(c);
    int shape[3];
    ck_assert_int_eq(nn_model_layer_shape(c, -1, shape), 1);
    ck_assert(shape[0] == 1 && shape[1] == 4 && shape[2] == 4);
    enum { N = 150 };
    float *x = malloc(N * 16 * sizeof *x), a[N * 2], b[N * 2];
    fill(x, N * 16, 2);
    ck_assert_int_eq(nn_model_predict(m, x, N, a, &e), 0);
    ck_assert_int_eq(nn_model_predict(c, x, N, b, &e), 0);
    ck_assert_mem_eq(a, b, sizeof a);
    const float *one = nn_model_forward(m, x + 149 * 16, 1, &e);
    ck_assert_float_eq(one[0], a[298]);
    free(x);
    nn_model_free(m);
    nn_model_free(c);
}
END_TEST

/* A conv net saved and loaded: same shape, layers and predictions. */
START_TEST(safetensors_round_trip)
{
    nn_layer_spec net[] = {
        { .kind = NN_CONV2D, .units = 3, .kernel = 3, .stride = 2,
          .pad = 1 },
        { .kind = NN_RELU },
        { .kind = NN_CONV2D, .units = 2, .kernel = 3, .pad = NN_PAD_SAME },
        { .kind = NN_MAXPOOL2D, .kernel = 2 },
        { .kind = NN_FLATTEN },
        { .kind = NN_LINEAR, .units = 2 },
    };
    nn_err e;
    nn_model *m = nn_model_new_image(2, 9, 7, net, 6, 4, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    char path[] = "/tmp/test_conv_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(nn_safetensors_save(m, path, &e), 0);
    nn_model *back = nn_safetensors_load(path, &e);
    unlink(path);
    ck_assert_msg(back != NULL, "%s", e.msg);
    char a[256], b[256];
    nn_model_describe(m, a, sizeof a);
    nn_model_describe(back, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, "conv2d(3, 3, stride=2, padding=1) -> relu -> "
                        "conv2d(2, 3, padding=same) -> maxpool2d(2) -> "
                        "flatten -> linear(2)");
    int shape[3];
    ck_assert_int_eq(nn_model_layer_shape(back, -1, shape), 1);
    ck_assert(shape[0] == 2 && shape[1] == 9 && shape[2] == 7);
    ck_assert(helper_same_params(m, back));
    nn_model_free(m);
    nn_model_free(back);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conv");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, conv_known_values);
    tcase_add_test(tc, conv_gradients);
    tcase_add_loop_test(tc, pool_values_and_gradients, 0, 2);
    tcase_add_test(tc, conv_net_gradients);
    tcase_add_test(tc, shape_errors_name_the_layer);
    tcase_add_test(tc, copy_and_predict_in_chunks);
    tcase_add_test(tc, safetensors_round_trip);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
