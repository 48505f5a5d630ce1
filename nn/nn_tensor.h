/* nn_tensor: element-wise kernels on row-major float32 `rows x width`
 * blocks, the glue between the matrix products of a model.
 *
 * Each kernel is a plain loop over restrict-qualified arrays so that the
 * compiler vectorizes it; none allocates or fails. Matrix products go
 * through nn_blas_sgemm (nn_blas.h). */
#ifndef NN_TENSOR_H
#define NN_TENSOR_H

#include <stddef.h>

/* y[i][j] += b[j] for each of the n rows of width w. */
void nn_tensor_add_rows(float *restrict y, const float *restrict b, int n,
                        int w);

/* sum[j] = sum over the n rows of x[i][j] (width w), added row by row in
 * order so the result does not depend on threads or vector width. */
void nn_tensor_col_sums(const float *restrict x, int n, int w,
                        float *restrict sum);

/* out[i] = a[i] * b[i] for i < n. */
void nn_tensor_mul(const float *restrict a, const float *restrict b,
                   float *restrict out, size_t n);

/* Copies rows idx[0..m) of src (rows of width d) into dst, in that order. */
void nn_tensor_gather(const float *restrict src, const int *restrict idx,
                      int m, int d, float *restrict dst);

#endif
