#include <assert.h>
#include <stddef.h>
#include <string.h>

#include <cblas.h>

#include "nn_blas.h"
#include "nn_cpu.h"
#include "nn_pool.h"

/* Products with at least this many multiply-adds are split between the
 * cores (nn_pool_split), each part a one-thread OpenBLAS product. On 2
 * cores (Cooperlake kernels, best of 200) the training shapes of
 * bench/nn_bench ran faster than on OpenBLAS's own threads:
 * 128x256x784 X.W^T 0.173 ms instead of 0.216, its weight gradient 0.149
 * instead of 0.211, 128x128x256 0.037 instead of 0.051, 1024x1024x256
 * 1.50 instead of 1.68, 256x1024x1024 1.87 instead of 1.95. */
#define NN_BLAS_SPLIT_MIN ((double)(1 << 20))
/* Products are split along the longer side of C, in parts of multiples of
 * this many rows or columns. Each part packs the whole of the other
 * operand, so splitting the longer side duplicates the smaller one: for
 * 256x1024x1024 (X.W^T, and g.W) by columns took 1.58-1.63 ms instead of
 * 1.70-1.84 by rows; 1024x1024x256 (weight gradient) stays by rows. */
#define NN_BLAS_SPLIT_ROWS 16
/* From this many values of C, a product with beta 0 zeroes C itself
 * (see gemm()). */
#define NN_BLAS_ZERO_MIN 256.0


/* One whole product on the calling thread's OpenBLAS (one thread). With
 * beta 0 and a large C, C is zeroed here and the product added to it:
 * OpenBLAS 0.3.21 scales C by beta first, and its Zen kernel for that is
 * a plain loop. The weight gradient of a 128x128 layer on 32 rows (the
 * widest net of bench/sweep.py) took 18.8 us that way, 14.3 this way;
 * with small C the call to memset costs more than the loop. */
static void gemm(const nn_blas_product *p)
{
    float beta = p->beta;
    if (beta == 0.0f && (double)p->m * p->n >= NN_BLAS_ZERO_MIN) {
        if (p->ldc == p->n)
            memset(p->c, 0, (size_t)p->m * p->n * sizeof *p->c);
        else
            for (int i = 0; i < p->m; i++)
                memset(p->c + (size_t)i * p->ldc, 0,
                       (size_t)p->n * sizeof *p->c);
        beta = 1.0f;
    }
    cblas_sgemm(CblasRowMajor, p->trans_a ? CblasTrans : CblasNoTrans,
                p->trans_b ? CblasTrans : CblasNoTrans, p->m, p->n, p->k,
                p->alpha, p->a, p->lda, p->b, p->ldb, beta, p->c, p->ldc);
}

/* A product and the side of C it is split along. */
struct split {
    nn_blas_product p;
    int by_rows;
};

/* Rows [begin, end) of C (or columns, when split by columns). */
static void split_part(void *ctx, size_t begin, size_t end)
{
    const struct split *s = ctx;
    nn_blas_product p = s->p;
    int first = (int)begin, count = (int)(end - begin);
    if (s->by_rows) {
        p.a += p.trans_a ? (size_t)first : (size_t)first * p.lda;
        p.c += (size_t)first * p.ldc;
        p.m = count;
    } else {
        p.b += p.trans_b ? (size_t)first * p.ldb : (size_t)first;
        p.c += first;
        p.n = count;
    }
    gemm(&p);
}

static int parts(void)
{
    return nn_cpu_threads() > 1 ? nn_pool_parts() : 1;
}

static double flops(const nn_blas_product *p)
{
    return (double)p->m * p->n * p->k;
}

/* nn_blas_sgemm on a product. */
static void product(const nn_blas_product *p)
{
    assert(p->m >= 0 && p->n >= 0 && p->k >= 0);
    assert(p->a && p->b && p->c);
    if (parts() < 2 || flops(p) < NN_BLAS_SPLIT_MIN) {
        gemm(p);
        return;
    }
    struct split s = { *p, p->m >= p->n };
    nn_pool_split(split_part, &s, (size_t)(s.by_rows ? p->m : p->n),
                    NN_BLAS_SPLIT_ROWS);
}

void nn_blas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc)
{
    nn_blas_product p = { trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb,
                          beta, c, ldc };
    product(&p);
}

/* Part i of a pair is product i, whole, on one OpenBLAS thread. */
static void pair_part(void *ctx, size_t begin, size_t end)
{
    const nn_blas_product *const *pair = ctx;
    for (size_t i = begin; i < end; i++)
        gemm(pair[i]);
}

void nn_blas_sgemm2(const nn_blas_product *p1, const nn_blas_product *p2)
{
    assert(p1);
    /* on two cores, and about as much work each: neither waits long */
    if (!p2 || parts() != 2 || flops(p1) < NN_BLAS_SPLIT_MIN
        || flops(p2) < NN_BLAS_SPLIT_MIN || flops(p1) > 1.5 * flops(p2)
        || flops(p2) > 1.5 * flops(p1)) {
        product(p1);
        if (p2)
            product(p2);
        return;
    }
    const nn_blas_product *pair[2] = { p1, p2 };
    nn_pool_split(pair_part, (void *)pair, 2, 1);
}
