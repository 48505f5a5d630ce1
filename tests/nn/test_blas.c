/* nn_blas_sgemm against a plain cblas_sgemm, in every transpose layout and
 * at sizes that do not divide evenly between threads (the engine splits
 * large products itself: a lost last row or column would show here), and
 * nn_pool_run/nn_pool_split/nn_pool_rows covering every index exactly
 * once. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

#include "check_main.h"
#include "nn_blas.h"
#include "nn_cpu.h"
#include "nn_pool.h"
#include "nn_rng.h"
#include "nn_tensor.h"

static float *random_floats(size_t n, nn_rng *r)
{
    float *x = malloc(n * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < n; i++)
        x[i] = nn_rng_uniform(r) * 2 - 1;
    return x;
}

/* C = A.B (+ beta C) for an m x n result with inner size k, op(A) and
 * op(B) transposed or not, through both paths. */
static void check_product(int ta, int tb, int m, int n, int k, float beta)
{
    nn_rng r;
    nn_rng_seed(&r, (uint64_t)(m * 131 + n * 7 + k + ta * 2 + tb));
    int lda = ta ? m : k, ldb = tb ? k : n;
    float *a = random_floats((size_t)m * k, &r);
    float *b = random_floats((size_t)k * n, &r);
    float *c = random_floats((size_t)m * n, &r);
    float *want = malloc((size_t)m * n * sizeof *want);
    ck_assert_ptr_nonnull(want);
    for (size_t i = 0; i < (size_t)m * n; i++)
        want[i] = c[i];
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb,
                beta, want, n);
    nn_blas_sgemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, n);
    for (size_t i = 0; i < (size_t)m * n; i++)
        ck_assert_msg(fabsf(c[i] - want[i]) <= 1e-4f * (1 + fabsf(want[i])),
                      "%s%s %dx%dx%d: C[%zu] = %g, cblas gives %g",
                      ta ? "T" : "N", tb ? "T" : "N", m, n, k, i,
                      (double)c[i], (double)want[i]);
    free(a);
    free(b);
    free(c);
    free(want);
}

START_TEST(sgemm_matches_cblas)
{
    /* Large enough to be split, odd sizes, and a shape with few rows (split
     * by columns); beta 1 accumulates, as gradients do. */
    static const int shapes[][3] = {
        {257, 129, 65}, {33, 1031, 97}, {1, 4099, 300}, {300, 5, 2049},
        {7, 3, 5},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int t = 0; t < 4; t++)
            check_product(t & 1, t >> 1, shapes[s][0], shapes[s][1],
                          shapes[s][2], s % 2 ? 1.0f : 0.0f);
}
END_TEST

/* Two products at once (a hidden layer's weight and input gradients, run
 * one per core) give what nn_blas_sgemm gives for each; small or unequal
 * pairs, run one after the other, too. */
START_TEST(sgemm2_matches_sgemm)
{
    static const int sizes[][2] = { {300, 257}, {64, 40}, {300, 40} };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = 96, in = sizes[s][0], out = sizes[s][1];
        nn_rng r;
        nn_rng_seed(&r, (uint64_t)(s + 1));
        float *g = random_floats((size_t)n * out, &r);
        float *x = random_floats((size_t)n * in, &r);
        float *w = random_floats((size_t)out * in, &r);
        float *gw = malloc((size_t)out * in * sizeof *gw);
        float *gx = malloc((size_t)n * in * sizeof *gx);
        float *want_gw = malloc((size_t)out * in * sizeof *gw);
        float *want_gx = malloc((size_t)n * in * sizeof *gx);
        ck_assert(gw && gx && want_gw && want_gx);
        nn_blas_product dw = { 1, 0, out, in, n, 1.0f, g, out, x, in, 0.0f,
                               gw, in };
        nn_blas_product dx = { 0, 0, n, in, out, 1.0f, g, out, w, in, 0.0f,
                               gx, in };
        nn_blas_sgemm2(&dw, &dx);
        nn_blas_sgemm(1, 0, out, in, n, 1.0f, g, out, x, in, 0.0f, want_gw,
                      in);
        nn_blas_sgemm(0, 0, n, in, out, 1.0f, g, out, w, in, 0.0f, want_gx,
                      in);
        for (size_t i = 0; i < (size_t)out * in; i++)
            ck_assert_float_eq_tol(gw[i], want_gw[i],
                                   1e-4f * (1 + fabsf(want_gw[i])));
        for (size_t i = 0; i < (size_t)n * in; i++)
            ck_assert_float_eq_tol(gx[i], want_gx[i],
                                   1e-4f * (1 + fabsf(want_gx[i])));
        free(g);
        free(x);
        free(w);
        free(gw);
        free(gx);
        free(want_gw);
        free(want_gx);
    }
}
END_TEST

static void mark(void *ctx, size_t begin, size_t end)
{
    unsigned char *seen = ctx;
    for (size_t i = begin; i < end; i++)
        seen[i]++;
}

START_TEST(parallel_covers_every_index_once)
{
    static const size_t sizes[] = {0, 1, 63, 64, 65, 65537, 1048577, 3000001};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        unsigned char *seen = calloc(n + 1, 1);
        ck_assert_ptr_nonnull(seen);
        nn_pool_run(mark, seen, n);
        nn_pool_split(mark, seen, n, 16);
        nn_pool_rows(mark, seen, n, 1);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(seen[i] == 3, "n = %zu: index %zu done %d times",
                          n, i, seen[i]);
        ck_assert_int_eq(seen[n], 0);
        free(seen);
    }
}
END_TEST

/* Counts the calls: nn_pool_rows below its threshold makes one. */
static void count_call(void *ctx, size_t begin, size_t end)
{
    size_t *calls = ctx;
    ck_assert_uint_eq(begin, 0);
    ck_assert_uint_eq(end, 3);
    calls[0]++;
}

START_TEST(rows_small_work_is_one_call)
{
    size_t calls = 0;
    nn_pool_rows(count_call, &calls, 3, NN_POOL_PARALLEL_MIN / 3 - 1);
    ck_assert_uint_eq(calls, 1);
    /* one row is never split, however long */
    static unsigned char seen[1];
    nn_pool_rows(mark, seen, 1, (size_t)1 << 30);
    ck_assert_int_eq(seen[0], 1);
}
END_TEST

/* The kernel re-executes itself with OPENBLAS_CORETYPE when OpenBLAS runs
 * kernels below what the CPU has (Debian's 0.3.21 falls back to Prescott on
 * recent Xeons), and only then. */
START_TEST(coretype_fixes_misdetection_only)
{
    ck_assert_str_eq(nn_cpu_coretype_for("Prescott", NN_CPU_AVX512),
                     "SkylakeX");
    ck_assert_str_eq(nn_cpu_coretype_for("prescott", NN_CPU_AVX2),
                     "Haswell");
    ck_assert_str_eq(nn_cpu_coretype_for("Nehalem", NN_CPU_AVX),
                     "Sandybridge");
    ck_assert_str_eq(nn_cpu_coretype_for("Sandybridge", NN_CPU_AVX512),
                     "SkylakeX");
    ck_assert_ptr_null(nn_cpu_coretype_for("Haswell", NN_CPU_AVX2));
    ck_assert_ptr_null(nn_cpu_coretype_for("Cooperlake", NN_CPU_AVX512));
    ck_assert_ptr_null(nn_cpu_coretype_for("Prescott", NN_CPU_SSE));
    ck_assert_ptr_null(nn_cpu_coretype_for("SomeFutureCore", NN_CPU_AVX512));
    /* A value the user set is never second-guessed. */
    setenv("OPENBLAS_CORETYPE", "Prescott", 1);
    ck_assert_ptr_null(nn_cpu_better_coretype());
    ck_assert_ptr_null(nn_cpu_better_coretype());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nn-blas");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sgemm_matches_cblas);
    tcase_add_test(t, sgemm2_matches_sgemm);
    tcase_add_test(t, parallel_covers_every_index_once);
    tcase_add_test(t, rows_small_work_is_one_call);
    tcase_add_test(t, coretype_fixes_misdetection_only);
    suite_add_tcase(s, t);
    return check_main_run(s);
}
