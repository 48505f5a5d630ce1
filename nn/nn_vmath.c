#include <assert.h>

#include "nn_tensor.h"
#include "nn_vmath.h"

/* Each loop is vectorized at -O3; the clones cover AVX2 and AVX-512. */
#define MAP(f)                                                                \
    assert(in != NULL || n == 0);                                             \
    assert(out != NULL || n == 0);                                            \
    for (size_t i = 0; i < n; i++)                                            \
        out[i] = f(in[i]);

NN_VECTORIZE void nn_vmath_exps(const float *in, float *out, size_t n)
{
    MAP(nn_vmath_exp)
}

NN_VECTORIZE void nn_vmath_tanhs(const float *in, float *out, size_t n)
{
    MAP(nn_vmath_tanh)
}

NN_VECTORIZE void nn_vmath_sigmoids(const float *in, float *out, size_t n)
{
    MAP(nn_vmath_sigmoid)
}

NN_VECTORIZE void nn_vmath_gelus(const float *in, float *out, size_t n)
{
    MAP(nn_vmath_gelu)
}

NN_VECTORIZE void nn_vmath_gelu_tanhs(const float *in, float *out, size_t n)
{
    MAP(nn_vmath_gelu_tanh)
}
