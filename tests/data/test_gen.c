/* nn_gen: shapes, balance, determinism by seed, the noiseless geometry,
 * the noise level and bad arguments. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "nn_gen.h"

#define PI 3.14159265358979323846

static void assert_shape(const nn_data *d, const char *name, int n, int dim,
                         int k)
{
    ck_assert_str_eq(d->name, name);
    ck_assert_int_eq(d->n, n);
    ck_assert_int_eq(d->d, dim);
    ck_assert_int_eq(d->n_classes, k);
    ck_assert_int_eq(nn_data_validate(d, NULL), 0);
}

/* Class sizes differ by at most one. */
static void assert_balanced(const nn_data *d)
{
    int counts[16];
    nn_data_class_counts(d, counts);
    for (int c = 0; c < d->n_classes; c++) {
        ck_assert_int_ge(counts[c], d->n / d->n_classes);
        ck_assert_int_le(counts[c], (d->n + d->n_classes - 1) / d->n_classes);
    }
}

/* Rows are shuffled: the labels are not in class order. */
static void assert_shuffled(const nn_data *d)
{
    int sorted = 1;
    for (int i = 1; i < d->n; i++)
        sorted &= d->y[i] >= d->y[i - 1];
    ck_assert(!sorted);
}

static int same(const nn_data *a, const nn_data *b)
{
    size_t nx = (size_t)a->n * (size_t)a->d * sizeof(float);
    return a->n == b->n && a->d == b->d && memcmp(a->x, b->x, nx) == 0
           && memcmp(a->y, b->y, (size_t)a->n * sizeof(int)) == 0;
}

/* The three calls generate with seeds 1, 1 and 2: the first two sets must
 * be identical, the third must differ. */
#define ASSERT_SEEDED(call1, call2, call3)                                    \
    do {                                                                      \
        nn_data *a_ = (call1), *b_ = (call2), *c_ = (call3);                  \
        ck_assert(a_ && b_ && c_);                                            \
        ck_assert(same(a_, b_));                                              \
        ck_assert(!same(a_, c_));                                             \
        nn_data_free(a_);                                                     \
        nn_data_free(b_);                                                     \
        nn_data_free(c_);                                                     \
    } while (0)

/* Standard deviation of (distance to a centre - radius) over class c. */
static double radial_sd(const nn_data *d, int c, double cx, double cy,
                        double radius)
{
    double sq = 0;
    int m = 0;
    for (int i = 0; i < d->n; i++)
        if (d->y[i] == c) {
            double r = hypot(d->x[2 * i] - cx, d->x[2 * i + 1] - cy);
            sq += (r - radius) * (r - radius);
            m++;
        }
    return sqrt(sq / m);
}

START_TEST(xor)
{
    nn_err e;
    nn_data *d = nn_gen_xor(101, 0.0f, 1, &e);
    ck_assert_msg(d, "%s", e.msg);
    assert_shape(d, "xor", 101, 2, 2);
    assert_balanced(d);
    assert_shuffled(d);
    for (int i = 0; i < d->n; i++) {
        float a = d->x[2 * i], b = d->x[2 * i + 1];
        ck_assert(fabsf(a) <= 1.0f && fabsf(b) <= 1.0f);
        ck_assert(fabsf(a) >= 0.1f && fabsf(b) >= 0.1f);
        ck_assert_int_eq(d->y[i], a * b < 0);
    }
    nn_data_free(d);
    ASSERT_SEEDED(nn_gen_xor(50, 0.1f, 1, NULL), nn_gen_xor(50, 0.1f, 1, NULL),
                  nn_gen_xor(50, 0.1f, 2, NULL));
}
END_TEST

START_TEST(moons)
{
    nn_err e;
    nn_data *d = nn_gen_moons(201, 0.0f, 3, &e);
    ck_assert_msg(d, "%s", e.msg);
    assert_shape(d, "moons", 201, 2, 2);
    assert_balanced(d); /* sklearn: n/2 outer (class 0), the rest inner */
    assert_shuffled(d);
    /* Class 0 on the upper unit half circle, class 1 on the lower half
     * circle centred at (1, 0.5), both ends included. */
    int ends = 0;
    for (int i = 0; i < d->n; i++) {
        float x = d->x[2 * i], y = d->x[2 * i + 1];
        if (d->y[i] == 0) {
            ck_assert_float_eq_tol(hypotf(x, y), 1.0f, 1e-5f);
            ck_assert(y >= -1e-6f);
        } else {
            ck_assert_float_eq_tol(hypotf(x - 1.0f, y - 0.5f), 1.0f, 1e-5f);
            ck_assert(y <= 0.5f + 1e-6f);
        }
        ends += fabsf(y - (d->y[i] ? 0.5f : 0.0f)) < 1e-6f;
    }
    ck_assert_int_eq(ends, 4);
    nn_data_free(d);

    d = nn_gen_moons(4000, 0.1f, 3, &e);
    ck_assert_double_eq_tol(radial_sd(d, 0, 0, 0, 1), 0.1, 0.01);
    nn_data_free(d);
    ASSERT_SEEDED(nn_gen_moons(50, 0.1f, 1, NULL),
                  nn_gen_moons(50, 0.1f, 1, NULL),
                  nn_gen_moons(50, 0.1f, 2, NULL));
}
END_TEST

START_TEST(circles)
{
    nn_err e;
    nn_data *d = nn_gen_circles(100, 0.0f, 0.4f, 5, &e);
    ck_assert_msg(d, "%s", e.msg);
    assert_shape(d, "circles", 100, 2, 2);
    assert_balanced(d);
    assert_shuffled(d);
    double angle_sum[2] = {0, 0};
    for (int i = 0; i < d->n; i++) {
        float r = hypotf(d->x[2 * i], d->x[2 * i + 1]);
        ck_assert_float_eq_tol(r, d->y[i] ? 0.4f : 1.0f, 1e-5f);
        angle_sum[d->y[i]] += d->x[2 * i];
    }
    /* points evenly around each circle: their x coordinates cancel */
    ck_assert_double_eq_tol(angle_sum[0], 0.0, 1e-4);
    ck_assert_double_eq_tol(angle_sum[1], 0.0, 1e-4);
    nn_data_free(d);

    d = nn_gen_circles(4000, 0.05f, 0.5f, 5, &e);
    ck_assert_double_eq_tol(radial_sd(d, 0, 0, 0, 1.0), 0.05, 0.005);
    ck_assert_double_eq_tol(radial_sd(d, 1, 0, 0, 0.5), 0.05, 0.005);
    nn_data_free(d);
    ASSERT_SEEDED(nn_gen_circles(50, 0.1f, 0.5f, 1, NULL),
                  nn_gen_circles(50, 0.1f, 0.5f, 1, NULL),
                  nn_gen_circles(50, 0.1f, 0.5f, 2, NULL));
}
END_TEST

START_TEST(spirals)
{
    nn_err e;
    nn_data *d = nn_gen_spirals(301, 3, 0.0f, 9, &e);
    ck_assert_msg(d, "%s", e.msg);
    assert_shape(d, "spirals", 301, 2, 3);
    assert_balanced(d);
    assert_shuffled(d);
    /* Arm c at radius r has angle 2*pi*(c/3 + r): one turn from centre to
     * the rim, arms a third of a turn apart. */
    float rmax = 0;
    for (int i = 0; i < d->n; i++) {
        float x = d->x[2 * i], y = d->x[2 * i + 1];
        double r = hypot(x, y);
        double t = 2.0 * PI * (d->y[i] / 3.0 + r);
        ck_assert_double_eq_tol(x, r * cos(t), 1e-5);
        ck_assert_double_eq_tol(y, r * sin(t), 1e-5);
        ck_assert(r > 0 && r <= 1.0 + 1e-6);
        rmax = fmaxf(rmax, (float)r);
    }
    ck_assert_float_eq_tol(rmax, 1.0f, 1e-6f);
    nn_data_free(d);

    d = nn_gen_spirals(40, 5, 0.2f, 9, &e);
    assert_shape(d, "spirals", 40, 2, 5);
    assert_balanced(d);
    nn_data_free(d);
    ASSERT_SEEDED(nn_gen_spirals(60, 3, 0.1f, 1, NULL),
                  nn_gen_spirals(60, 3, 0.1f, 1, NULL),
                  nn_gen_spirals(60, 3, 0.1f, 2, NULL));
}
END_TEST

START_TEST(blobs)
{
    nn_err e;
    nn_data *d = nn_gen_blobs(103, 4, 5, 0.0f, 11, &e);
    ck_assert_msg(d, "%s", e.msg);
    assert_shape(d, "blobs", 103, 5, 4);
    assert_balanced(d);
    assert_shuffled(d);
    /* Without spread every sample sits on its class centre, inside the box;
     * the centres differ. */
    float centre[4][5];
    int seen[4] = {0};
    for (int i = 0; i < d->n; i++) {
        const float *p = d->x + i * 5;
        int c = d->y[i];
        if (!seen[c]++)
            memcpy(centre[c], p, sizeof centre[c]);
        ck_assert_mem_eq(p, centre[c], sizeof centre[c]);
        for (int f = 0; f < 5; f++)
            ck_assert(p[f] >= -10.0f && p[f] <= 10.0f);
    }
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            ck_assert(memcmp(centre[a], centre[b], sizeof centre[a]) != 0);
    nn_data_free(d);

    /* With spread s each coordinate varies around its centre with sd s. */
    d = nn_gen_blobs(6000, 3, 2, 1.5f, 11, &e);
    double sum[3][2] = {{0}}, sq[3][2] = {{0}};
    int count[3] = {0};
    for (int i = 0; i < d->n; i++)
        for (int f = 0; f < 2; f++) {
            sum[d->y[i]][f] += d->x[2 * i + f];
            sq[d->y[i]][f] += (double)d->x[2 * i + f] * d->x[2 * i + f];
            count[d->y[i]] += f == 0;
        }
    for (int c = 0; c < 3; c++)
        for (int f = 0; f < 2; f++) {
            double m = sum[c][f] / count[c];
            ck_assert_double_eq_tol(sqrt(sq[c][f] / count[c] - m * m), 1.5, 0.1);
        }
    nn_data_free(d);
    ASSERT_SEEDED(nn_gen_blobs(50, 3, 2, 1.0f, 1, NULL),
                  nn_gen_blobs(50, 3, 2, 1.0f, 1, NULL),
                  nn_gen_blobs(50, 3, 2, 1.0f, 2, NULL));
}
END_TEST

START_TEST(bad_arguments)
{
    nn_err e;
    ck_assert_ptr_null(nn_gen_xor(0, 0.1f, 1, &e));
    ck_assert_str_eq(e.msg, "xor needs at least 2 samples (one per class), not 0");
    ck_assert_ptr_null(nn_gen_moons(-5, 0.1f, 1, &e));
    ck_assert_str_eq(e.msg, "moons needs at least 2 samples (one per class), "
                     "not -5");
    ck_assert_ptr_null(nn_gen_circles(1, 0.1f, 0.5f, 1, &e));
    ck_assert_ptr_null(nn_gen_spirals(2, 3, 0.1f, 1, &e));
    ck_assert_str_eq(e.msg, "spirals needs at least 3 samples (one per class), "
                     "not 2");
    ck_assert_ptr_null(nn_gen_blobs(0, 1, 1, 1.0f, 1, &e));
    ck_assert_ptr_null(nn_gen_moons(10, -0.1f, 1, &e));
    ck_assert_str_eq(e.msg, "moons: noise must be a number >= 0, not -0.1");
    ck_assert_ptr_null(nn_gen_xor(10, NAN, 1, &e));
    ck_assert_ptr_null(nn_gen_xor(10, INFINITY, 1, &e));
    ck_assert_ptr_null(nn_gen_blobs(10, 2, 2, -1.0f, 1, &e));
    ck_assert_str_eq(e.msg, "blobs: spread must be a number >= 0, not -1");
    ck_assert_ptr_null(nn_gen_circles(10, 0.1f, 1.0f, 1, &e));
    ck_assert_str_eq(e.msg, "circles: factor (the inner radius) must be "
                     "between 0 and 1, not 1");
    ck_assert_ptr_null(nn_gen_circles(10, 0.1f, 0.0f, 1, &e));
    ck_assert_ptr_null(nn_gen_spirals(10, 1, 0.1f, 1, &e));
    ck_assert_str_eq(e.msg, "spirals needs at least 2 arms, not 1");
    ck_assert_ptr_null(nn_gen_blobs(10, 0, 2, 1.0f, 1, &e));
    ck_assert_ptr_null(nn_gen_blobs(10, 2, 0, 1.0f, 1, &e));
    ck_assert_str_eq(e.msg, "blobs needs at least 1 centre and 1 dimension, "
                     "not 2 and 0");
    /* the smallest valid sizes work */
    nn_data *d = nn_gen_xor(2, 0.0f, 1, &e);
    ck_assert_ptr_nonnull(d);
    assert_balanced(d);
    nn_data_free(d);
    d = nn_gen_blobs(1, 1, 1, 0.0f, 1, &e);
    ck_assert_ptr_nonnull(d);
    nn_data_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn_gen");
    TCase *tc = tcase_create("gen");
    tcase_add_test(tc, xor);
    tcase_add_test(tc, moons);
    tcase_add_test(tc, circles);
    tcase_add_test(tc, spirals);
    tcase_add_test(tc, blobs);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
