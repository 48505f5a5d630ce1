/* nn_vmath: exp, tanh, sigmoid and GELU (the erf form and the tanh
 * approximation) on floats, written so that GCC vectorizes the loops they
 * are inlined into (no calls, no branches: each special case is a
 * select), and array forms of them compiled for AVX2 and AVX-512 as well
 * (NN_VECTORIZE, picked at load time). The selects become vector blends
 * below AVX-512 only without trapping math: code that uses these in a
 * loop is compiled with -fno-trapping-math (nn/meson.build).
 *
 * Accuracy, against double-precision libm rounded to float, asserted by
 * tests/nn/test_vmath.c over every 2^13-th float bit pattern and the
 * special values (ulp = the float spacing at the exact result; subnormal
 * results are counted in units of 2^-149, so there the bound is absolute):
 *   nn_vmath_exp      <= 2 ulp (measured 0.94); +inf above 88.7228, 0
 *                      below -103.98, subnormal results between
 *   nn_vmath_tanh     <= 3 ulp (2.20; 2.42 in a walk over every float in
 *                      [-20, 20]); +-1 where tanh saturates, -0 kept
 *   nn_vmath_sigmoid  <= 4 ulp (2.10), down to the subnormal results that
 *                      1/(1 + e^-x) has near x = -100
 *   nn_vmath_gelu     <= 6 ulp (3.43; 4.9 at worst in a walk over every
 *                      float in [-20, 20])
 *   nn_vmath_gelu_tanh <= 6 ulp (3.27; 4.6 in that walk), against
 *                      x / (1 + e^-2u), the formula without cancellation
 * NaN in gives NaN out; +-inf give the limits (gelu(-inf) and
 * gelu_tanh(-inf) are NaN, as x * Phi(x) and x (1 + tanh u) / 2 are in
 * PyTorch). None of them fail, allocate or read errno. Results do not
 * depend on the vector unit. */
#ifndef NN_VMATH_H
#define NN_VMATH_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The bits of a float, and back. */
static inline uint32_t nn_vmath_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline float nn_vmath_float(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* 2^n for a whole n in [-126, 127], exactly. */
static inline float nn_vmath_pow2(int32_t n)
{
    return nn_vmath_float((uint32_t)(n + 127) << 23);
}

/* e^r - 1 for c = n ln2 + r, |r| <= ln2/2 (Cody-Waite: c within about
 * [-104, 89]), as r + r^2 P(r), P of degree 5 (Cephes' expf), without
 * cancellation near 0. Sets *n. */
static inline float nn_vmath_expm1_reduced(float c, int32_t *n)
{
    float t = c * 1.44269504088896341f + 12582912.0f; /* rounds n */
    *n = (int32_t)(nn_vmath_bits(t) - 0x4B400000u);
    float nf = t - 12582912.0f;
    float r = c - nf * 0.693359375f;
    r = r - nf * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    return p * (r * r) + r;
}

/* e^x 2^-drop, drop a whole number in [-64, 0]: e^r from the reduction
 * above, then two exact scalings by 2^((n - drop)/2) so that results
 * down to the subnormals round once. */
static inline float nn_vmath_exp_drop(float x, float drop)
{
    float c = x > 88.8f ? 88.8f : x; /* NaN stays NaN */
    float low = -104.0f + drop * 0.693147181f; /* where the result is 0 */
    c = c < low ? low : c;
    int32_t n;
    float p = nn_vmath_expm1_reduced(c, &n) + 1.0f;
    n -= (int32_t)drop;
    int32_t n1 = n / 2;
    /* over 88.72: p * 2^128 = +inf */
    return p * nn_vmath_pow2(n1) * nn_vmath_pow2(n - n1);
}

/* e^x. */
static inline float nn_vmath_exp(float x)
{
    return nn_vmath_exp_drop(x, 0.0f);
}

/* tanh |x| = m / (m + 2), m = e^2|x| - 1 = 2^n (e^r - 1) + (2^n - 1),
 * which keeps its precision near 0, so one formula serves every x; the
 * sign of x is put back last (tanh -0 = -0). 2|x| is clamped to 20, past
 * which the result rounds to 1 (it does from |x| = 9.02), so 2^n is at
 * most 2^29. */
static inline float nn_vmath_tanh(float x)
{
    float a = nn_vmath_float(nn_vmath_bits(x) & 0x7FFFFFFFu);
    float c = a + a;
    c = c > 20.0f ? 20.0f : c; /* NaN stays NaN */
    int32_t n;
    float q = nn_vmath_expm1_reduced(c, &n);
    float s = nn_vmath_pow2(n);
    float m = s * q + (s - 1.0f);
    float y = m / (m + 2.0f);
    return nn_vmath_float(nn_vmath_bits(y) | (nn_vmath_bits(x) & 0x80000000u));
}

/* 1 / (1 + e^-x), as e^x / (1 + e^x) below 0 so that small results keep
 * their precision (one division for both). */
static inline float nn_vmath_sigmoid(float x)
{
    float e = nn_vmath_exp(x < 0.0f ? x : -x);
    float above = 1.0f / (1.0f + e);
    float below = e * above;
    return x < 0.0f ? below : above;
}

/* The parts of Phi(x) for GELU: *central = 0.5 + x P(x^2), Phi for
 * |x| <= 0.75; *gauss = e^(-x^2/2) (x^2/2 split so that it keeps full
 * precision); *ratio = Phi(-|x|) / *gauss, a polynomial in |x| - 1.625 up
 * to |x| = 2.5 and 1/|x| times one in 1/|x| beyond. The polynomials are
 * fitted to double-precision erfc, each within 2.5 ulp in float. */
static inline void nn_vmath_phi_parts(float x, float *central, float *ratio,
                                      float *gauss)
{
    float a = x < 0.0f ? -x : x;
    a = a < 15.0f ? a : 15.0f; /* also NaN -> 15: the callers take x */
    float hi = nn_vmath_float(nn_vmath_bits(a) & 0xFFFFF000u);
    float lo = a - hi;
    /* e^t for the small rest t (|t| < 0.06): its series to t^4 is within
     * 1e-8 of it */
    float t = -0.5f * (lo * (a + hi));
    float et = 4.1666667e-2f;
    et = et * t + 1.6666667e-1f;
    et = et * t + 0.5f;
    et = et * t + 1.0f;
    et = et * t + 1.0f;
    *gauss = nn_vmath_exp(-0.5f * (hi * hi)) * et;
    float z = x * x;
    float c = -8.39121125497001e-06f;
    c = c * z + 1.1478237852313018e-04f;
    c = c * z - 1.187139980041575e-03f;
    c = c * z + 9.973532348202613e-03f;
    c = c * z - 6.649037888261758e-02f;
    c = c * z + 3.9894228039220575e-01f;
    *central = c * x + 0.5f;
    float m = a - 1.625f;
    float q = 2.279236458905889e-05f;
    q = q * m - 8.777343322836032e-05f;
    q = q * m + 2.8833968780440575e-04f;
    q = q * m - 1.0151714639826848e-03f;
    q = q * m + 3.3992134533840637e-03f;
    q = q * m - 1.0627281705436016e-02f;
    q = q * m + 3.0862356724934033e-02f;
    q = q * m - 8.202965891819909e-02f;
    q = q * m + 1.9502311061397654e-01f;
    float u = 1.0f / a;
    float s = -1.7279224351819964f;
    s = s * u + 4.378993378669072f;
    s = s * u - 4.575499562190466f;
    s = s * u + 2.2456092868157977f;
    s = s * u - 1.4394420236870378e-01f;
    s = s * u - 3.871113308087112e-01f;
    s = s * u - 5.340970093328323e-04f;
    s = s * u + 3.989524009210863e-01f;
    s = s * u;
    *ratio = a < 2.5f ? q : s;
}

/* GELU, x Phi(x) (the erf form, PyTorch's default). Below -0.75 the
 * product is taken in the order that rounds once into the subnormals. */
static inline float nn_vmath_gelu(float x)
{
    float central, ratio, gauss;
    nn_vmath_phi_parts(x, &central, &ratio, &gauss);
    float a = x < 0.0f ? -x : x;
    float below = (x * ratio) * gauss;
    float above = x * (1.0f - ratio * gauss);
    float middle = x * central;
    float tail = x < 0.0f ? below : above;
    return a <= 0.75f ? middle : tail;
}

/* The derivative of GELU at x from y = nn_vmath_gelu(x): Phi(x) +
 * x e^(-x^2/2) / sqrt(2 pi), with Phi(x) = y / x (1/2 near 0), so that
 * it takes one exponential. NaN at +-inf and NaN, as in PyTorch. */
static inline float nn_vmath_gelu_grad(float x, float y)
{
    float a = x < 0.0f ? -x : x;
    float phi = a < 1e-30f ? 0.5f : y / x;
    return phi + x * 0.39894228040143268f * nn_vmath_exp(-0.5f * (x * x));
}

/* GELU's tanh approximation (PyTorch's GELU(approximate="tanh")):
 * x (1 + tanh u) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3), taken as
 * x sigmoid(2u) = x / (1 + e), e = e^-2u, which does not cancel where
 * tanh u nears -1. 2u is taken in double and split into a float and the
 * float of what is left over, so that e keeps full precision where |2u|
 * is large. Below 0, e = big 2^-64 from |2u| = 80 on (e itself is
 * subnormal from 87.3 on, and the result stays from there until it is 0
 * beyond 104), and the product is taken in the order that rounds once
 * into the subnormals. At -inf it is NaN, as x (1 + tanh u) / 2 is in
 * PyTorch. */
static inline float nn_vmath_gelu_tanh(float x)
{
    double t = x;
    double z = 1.5957691216057308 * (t + 0.044715 * (t * t * t));
    float hi = (float)z, lo = (float)(z - (double)hi);
    float a = hi < 0.0f ? -hi : hi, rest = hi < 0.0f ? -lo : lo; /* |2u| */
    int deep = a >= 80.0f;
    float big = nn_vmath_exp_drop(-a, deep ? -64.0f : 0.0f) * (1.0f - rest);
    big = a < 147.0f ? big : 0.0f; /* also NaN -> 0: x gives the NaN */
    float scale = deep ? 0x1p-64f : 1.0f;
    float above = 1.0f / (1.0f + big * scale);
    float below = ((x * big) * above) * scale;
    below = x < -FLT_MAX ? x * 0.0f : below;
    return x < 0.0f ? below : x * above;
}

/* Its derivative at x from y = nn_vmath_gelu_tanh(x), without an
 * exponential: s + x s (1 - s) (2u)' with s = sigmoid(2u) = y / x (1/2
 * near 0) and (2u)' = 2 sqrt(2/pi) (1 + 3 0.044715 x^2), x held to 1e4
 * there, where s (1 - s) is already 0, so that it stays finite. Within
 * 3e-6 of the derivative (1 - s loses the digits y lost where s nears 1,
 * as 1 - tanh^2 does in PyTorch); NaN at +-inf and NaN, as in PyTorch. */
static inline float nn_vmath_gelu_tanh_grad(float x, float y)
{
    float a = x < 0.0f ? -x : x;
    float s = a < 1e-30f ? 0.5f : y / x;
    float c = x < -1e4f ? -1e4f : x;
    c = c > 1e4f ? 1e4f : c;
    float slope = 1.5957691216057308f * (1.0f + 0.134145f * (c * c));
    return s + c * slope * (s * (1.0f - s));
}

/* out[i] = f(in[i]) for i < n, with f the function the name says; in and
 * out may be the same array but must not otherwise overlap, and are not
 * NULL unless n is 0 (asserted). */
void nn_vmath_exps(const float *in, float *out, size_t n);
void nn_vmath_tanhs(const float *in, float *out, size_t n);
void nn_vmath_sigmoids(const float *in, float *out, size_t n);
void nn_vmath_gelus(const float *in, float *out, size_t n);
void nn_vmath_gelu_tanhs(const float *in, float *out, size_t n);

#endif
