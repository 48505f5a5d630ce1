/* nn_vmath against double-precision libm: every 2^13-th float bit pattern
 * (both signs, subnormals to infinities), and the special values, within
 * the ulp bounds nn_vmath.h states; the array forms (the vector clone this
 * CPU picks) must agree bit for bit with the inline ones. VMATH_PRINT=1 in
 * the environment prints the worst errors. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "nn_vmath.h"

#define STEP (1u << 13)
#define COUNT ((size_t)(((uint64_t)1 << 32) / STEP))

static double ref_exp(double x) { return exp(x); }
static double ref_tanh(double x) { return tanh(x); }
static double ref_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
static double ref_gelu(double x) { return 0.5 * x * erfc(-x / sqrt(2.0)); }
/* x sigmoid(2u) = x (1 + tanh u) / 2 without its cancellation below 0 */
static double ref_gelu_tanh(double x)
{
    double z = 2 * sqrt(2 / M_PI) * (x + 0.044715 * x * x * x);
    return isnan(x) || isinf(x) ? 0.5 * x * (1 + tanh(z / 2))
                                : x / (1 + exp(-z));
}

/* The float spacing at the float nearest r (subnormals: 2^-149). */
static double ulp(double r)
{
    float f = fabsf((float)r);
    if (f < FLT_MIN)
        return ldexp(1.0, -149);
    return ldexp(1.0, ilogbf(f) - 23);
}

/* The sweep and the special values, in a new array of *n floats. */
static float *inputs(size_t *n)
{
    static const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN,
        -NAN, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, FLT_TRUE_MIN,
        -FLT_TRUE_MIN, 88.72283f, 88.72284f, -87.33654f, -103.97f,
        -103.98f, 0.625f, -0.625f, 0.75f, -0.75f, 2.5f, -2.5f, 15.0f, -15.0f,
        9.0f, -9.0f, 1e-20f, -1e-20f};
    size_t ns = sizeof special / sizeof special[0];
    float *x = malloc((COUNT + ns) * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < COUNT; i++) {
        uint32_t u = (uint32_t)(i * STEP) + (uint32_t)(i % 4093);
        memcpy(&x[i], &u, sizeof u);
    }
    memcpy(x + COUNT, special, sizeof special);
    *n = COUNT + ns;
    return x;
}

/* The worst error of f (array form) against ref, in ulp; fails the test
 * on a NaN or infinity where ref has none (or the other way round), and
 * when the array and the inline form differ in a bit. */
static double worst(void (*f)(const float *, float *, size_t),
                    float (*one)(float), double (*ref)(double),
                    const char *name)
{
    size_t n;
    float *x = inputs(&n), *y = malloc(n * sizeof *y);
    ck_assert_ptr_nonnull(y);
    f(x, y, n);
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double r = ref((double)x[i]);
        float s = one(x[i]);
        ck_assert_msg(memcmp(&s, &y[i], sizeof s) == 0,
                      "%s(%a): array %a, inline %a", name, x[i], y[i], s);
        if (isnan(r) || isnan(y[i])) {
            ck_assert_msg(isnan(r) && isnan(y[i]), "%s(%a) = %a, want %a",
                          name, x[i], y[i], r);
            continue;
        }
        if (isinf((float)r) || isinf(y[i])) {
            ck_assert_msg(y[i] == (float)r, "%s(%a) = %a, want %a", name,
                          x[i], y[i], r);
            continue;
        }
        double e = fabs((double)y[i] - r) / ulp(r);
        if (e > max)
            max = e;
    }
    free(x);
    free(y);
    if (getenv("VMATH_PRINT"))
        fprintf(stderr, "%s: %.3f ulp\n", name, max);
    return max;
}

#define WORST(name)                                                           \
    worst(nn_vmath_##name##s, nn_vmath_##name, ref_##name, #name)

START_TEST(exp_within_2_ulp)
{
    double e = WORST(exp);
    ck_assert_msg(e <= 2.0, "exp: %.3g ulp", e);
}
END_TEST

START_TEST(tanh_within_3_ulp)
{
    double e = WORST(tanh);
    ck_assert_msg(e <= 3.0, "tanh: %.3g ulp", e);
}
END_TEST

START_TEST(sigmoid_within_4_ulp)
{
    double e = WORST(sigmoid);
    ck_assert_msg(e <= 4.0, "sigmoid: %.3g ulp", e);
}
END_TEST

START_TEST(gelu_within_6_ulp)
{
    double e = WORST(gelu);
    ck_assert_msg(e <= 6.0, "gelu: %.3g ulp", e);
}
END_TEST

START_TEST(gelu_tanh_within_6_ulp)
{
    double e = WORST(gelu_tanh);
    ck_assert_msg(e <= 6.0, "gelu_tanh: %.3g ulp", e);
}
END_TEST

START_TEST(special_values)
{
    ck_assert(nn_vmath_exp(INFINITY) == INFINITY);
    ck_assert(nn_vmath_exp(-INFINITY) == 0.0f);
    ck_assert(nn_vmath_exp(0.0f) == 1.0f);
    ck_assert(nn_vmath_exp(-104.0f) == 0.0f);
    ck_assert(nn_vmath_exp(89.0f) == INFINITY);
    ck_assert(nn_vmath_exp(-100.0f) > 0.0f); /* subnormal, not 0 */
    ck_assert(isnan(nn_vmath_exp(NAN)));
    ck_assert(nn_vmath_tanh(INFINITY) == 1.0f);
    ck_assert(nn_vmath_tanh(-INFINITY) == -1.0f);
    ck_assert(nn_vmath_tanh(-0.0f) == 0.0f && signbit(nn_vmath_tanh(-0.0f)));
    ck_assert(isnan(nn_vmath_tanh(NAN)));
    ck_assert(nn_vmath_sigmoid(INFINITY) == 1.0f);
    ck_assert(nn_vmath_sigmoid(-INFINITY) == 0.0f);
    ck_assert(nn_vmath_sigmoid(-100.0f) > 0.0f);
    ck_assert(nn_vmath_sigmoid(0.0f) == 0.5f);
    ck_assert(isnan(nn_vmath_sigmoid(NAN)));
    ck_assert(nn_vmath_gelu(INFINITY) == INFINITY);
    ck_assert(isnan(nn_vmath_gelu(-INFINITY)));
    ck_assert(nn_vmath_gelu(0.0f) == 0.0f);
    ck_assert(isnan(nn_vmath_gelu(NAN)));
    ck_assert(nn_vmath_gelu_tanh(INFINITY) == INFINITY);
    ck_assert(isnan(nn_vmath_gelu_tanh(-INFINITY)));
    ck_assert(nn_vmath_gelu_tanh(0.0f) == 0.0f);
    ck_assert(nn_vmath_gelu_tanh(-30.0f) == 0.0f);
    ck_assert(isnan(nn_vmath_gelu_tanh(NAN)));
    ck_assert(nn_vmath_gelu_tanh_grad(FLT_MAX, FLT_MAX) == 1.0f);
    ck_assert(nn_vmath_gelu_tanh_grad(-FLT_MAX, -0.0f) == 0.0f);
    ck_assert(nn_vmath_gelu_tanh_grad(0.0f, 0.0f) == 0.5f);
}
END_TEST

START_TEST(gelu_grad_matches_differences)
{
    for (float x = -6.0f; x <= 6.0f; x += 0.0625f) {
        double h = 1e-4, d = (ref_gelu(x + h) - ref_gelu(x - h)) / (2 * h);
        double got = nn_vmath_gelu_grad(x, nn_vmath_gelu(x));
        ck_assert_msg(fabs(got - d) <= 1e-6 * fmax(1, fabs(d)),
                      "gelu'(%g) = %.9g, want %.9g", x, got, d);
    }
}
END_TEST

/* From y, within 3e-6 (nn_vmath.h), over the range where it is neither
 * 0 nor 1 and further out. */
START_TEST(gelu_tanh_grad_matches_differences)
{
    for (float x = -12.0f; x <= 12.0f; x += 0.0625f) {
        double h = 1e-4;
        double d = (ref_gelu_tanh(x + h) - ref_gelu_tanh(x - h)) / (2 * h);
        double got = nn_vmath_gelu_tanh_grad(x, nn_vmath_gelu_tanh(x));
        ck_assert_msg(fabs(got - d) <= 3e-6, "gelu_tanh'(%g) = %.9g, want "
                      "%.9g", x, got, d);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn-vmath");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, exp_within_2_ulp);
    tcase_add_test(tc, tanh_within_3_ulp);
    tcase_add_test(tc, sigmoid_within_4_ulp);
    tcase_add_test(tc, gelu_within_6_ulp);
    tcase_add_test(tc, special_values);
    tcase_add_test(tc, gelu_grad_matches_differences);
    tcase_add_test(tc, gelu_tanh_within_6_ulp);
    tcase_add_test(tc, gelu_tanh_grad_matches_differences);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
