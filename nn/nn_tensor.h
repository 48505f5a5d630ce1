/* nn_tensor: element-wise kernels on row-major float32 `rows x width`
 * blocks, the glue between the matrix products of a model.
 *
 * Each kernel is a plain loop over restrict-qualified arrays so that the
 * compiler vectorizes it; none allocates or fails. Matrix products go
 * through nn_blas_sgemm (nn_blas.h), threads through nn_pool (nn_pool.h).
 * Counts and widths are >= 0 and arrays of a non-zero size are not NULL
 * (asserted). */
#ifndef NN_TENSOR_H
#define NN_TENSOR_H

#include <stddef.h>

/* Marks a function whose loops should also be compiled for AVX2 and
 * AVX-512, picked at load time by the CPU (GCC's target_clones). Results do
 * not depend on the version picked: the build contracts no multiply-adds
 * (-std=c11) and no loop reorders a sum. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NN_VECTORIZE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NN_VECTORIZE
#endif

/* An uninitialised block of n floats (n may be 0) aligned for vector
 * loads, to be freed with free(); blocks of 2 MiB and more are placed on
 * huge pages where the OS offers them (page faults are dear on virtual
 * machines). NULL when the memory cannot be had. */
float *nn_tensor_alloc(size_t n);

/* Bytes of memory the process may use (nn_cpu_memory: the machine's
 * physical memory, or its cgroup's memory.max when less), or SIZE_MAX
 * when it cannot be told: the bound sizes are checked against before
 * allocating. */
size_t nn_tensor_machine_memory(void);

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
