#include <string.h>

#include "nn_tensor.h"

void nn_tensor_add_rows(float *restrict y, const float *restrict b, int n,
                        int w)
{
    for (int i = 0; i < n; i++) {
        float *restrict row = y + (size_t)i * w;
        for (int j = 0; j < w; j++)
            row[j] += b[j];
    }
}

void nn_tensor_col_sums(const float *restrict x, int n, int w,
                        float *restrict sum)
{
    for (int j = 0; j < w; j++)
        sum[j] = 0.0f;
    for (int i = 0; i < n; i++) {
        const float *restrict row = x + (size_t)i * w;
        for (int j = 0; j < w; j++)
            sum[j] += row[j];
    }
}

void nn_tensor_mul(const float *restrict a, const float *restrict b,
                   float *restrict out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] * b[i];
}

void nn_tensor_gather(const float *restrict src, const int *restrict idx,
                      int m, int d, float *restrict dst)
{
    for (int i = 0; i < m; i++)
        memcpy(dst + (size_t)i * d, src + (size_t)idx[i] * d,
               (size_t)d * sizeof *dst);
}
