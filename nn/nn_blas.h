/* nn_blas: the OpenBLAS setup of the process and the matrix product.
 *
 * Debian's OpenBLAS 0.3.21 can misdetect recent CPUs and fall back to slow
 * generic kernels. nn_blas_better_coretype() tells whether the process
 * should be re-executed with OPENBLAS_CORETYPE set (OpenBLAS reads it once,
 * when the library loads); nn_blas_sgemm() picks the thread count of each
 * product from its size. */
#ifndef NN_BLAS_H
#define NN_BLAS_H

#include <stddef.h>

/* Returns the OPENBLAS_CORETYPE value this CPU should use ("SkylakeX",
 * "Haswell", ...) when the user has not set OPENBLAS_CORETYPE and the core
 * OpenBLAS picked is well below what cpuid reports; NULL otherwise. The
 * kernel sets the variable and re-executes itself when this is not NULL. */
const char *nn_blas_better_coretype(void);

/* How fast a core is, by the widest vector unit its sgemm kernel uses. */
typedef enum nn_blas_level {
    NN_BLAS_SSE, NN_BLAS_AVX, NN_BLAS_AVX2, NN_BLAS_AVX512
} nn_blas_level;

/* The decision behind nn_blas_better_coretype: the OPENBLAS_CORETYPE
 * ("Sandybridge", "Haswell" or "SkylakeX") for a CPU of level `cpu` when
 * OpenBLAS runs the slower kernels of `core`, else NULL (a core name it
 * does not know is taken to be fast enough). */
const char *nn_blas_coretype_for(const char *core, nn_blas_level cpu);

/* The core OpenBLAS uses ("Prescott", "SkylakeX", ...), and the thread
 * count it started with (the engine's products then set OpenBLAS itself to
 * one thread: they split the work themselves). */
const char *nn_blas_corename(void);
int nn_blas_threads(void);

/* C = alpha * op(A) op(B) + beta * C, row-major, as cblas_sgemm. Small
 * products run on the calling thread; large ones are split by rows (or
 * columns) of C between the cores (nn_tensor_split), each part on one
 * OpenBLAS thread, so the result depends only on the thread count. */
void nn_blas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc);

/* Two independent products, A1 and A2 each C = alpha * op(A) op(B) + beta
 * * C as nn_blas_sgemm takes them (no output may be an input of the
 * other); p2 may be NULL (p1 alone, as nn_blas_sgemm). With two cores and both large, each runs whole on a core of its
 * own at the same time, which packs every operand once and waits on no
 * split part: the weight and input gradients of a hidden layer. Otherwise
 * they run one after the other through nn_blas_sgemm. The results are
 * those of nn_blas_sgemm. */
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

void nn_blas_sgemm2(const nn_blas_product *p1, const nn_blas_product *p2);

#endif
