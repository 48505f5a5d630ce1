/* nn_blas: the matrix product, on the cores nn_pool offers.
 *
 * nn_blas_sgemm() picks how to split each product from its size. The CPU
 * and OpenBLAS setup of the process (core type, thread count) is nn_cpu's
 * job. */
#ifndef NN_BLAS_H
#define NN_BLAS_H

#include <stddef.h>

/* C = alpha * op(A) op(B) + beta * C, row-major, as cblas_sgemm. Small
 * products run on the calling thread; large ones are split by rows (or
 * columns) of C between the cores (nn_pool_split), each part on one
 * OpenBLAS thread, so the result depends only on the thread count. m, n
 * and k are >= 0, and a, b and c are not NULL (asserted). */
void nn_blas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc);

/* One product C = alpha * op(A) op(B) + beta * C, with the arguments
 * nn_blas_sgemm takes. */
typedef struct nn_blas_product {
    int trans_a, trans_b, m, n, k;
    float alpha;
    const float *a;
    int lda;
    const float *b;
    int ldb;
    float beta;
    float *c;
    int ldc;
} nn_blas_product;

/* Two independent products (no output may be an input of the other); p1
 * is not NULL, p2 may be NULL (p1 alone, as nn_blas_sgemm). With two
 * cores and both large, each runs whole on a core of its own at the same
 * time, which packs every operand once and waits on no split part: the
 * weight and input gradients of a hidden layer. Otherwise they run one
 * after the other through nn_blas_sgemm. The results are those of
 * nn_blas_sgemm. */
void nn_blas_sgemm2(const nn_blas_product *p1, const nn_blas_product *p2);

#endif
