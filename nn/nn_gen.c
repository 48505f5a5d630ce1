#include <math.h>
#include <stddef.h>

#include "nn_gen.h"
#include "nn_rng.h"

#define PI 3.14159265358979323846

/* XOR points keep this distance from the axes (before noise). */
#define XOR_MARGIN 0.1f

/* A new set of n samples, d features and k classes, after checking the
 * common parameters: every class must get a sample and the noise (named
 * `noise_name` in messages) must be a finite non-negative number. */
static nn_data *start(const char *name, int n, int d, int k, float noise,
                      const char *noise_name, nn_err *e)
{
    if (n < k) {
        nn_err_set(e, "%s needs at least %d samples (one per class), not %d",
                   name, k, n);
        return NULL;
    }
    if (!(noise >= 0.0f) || !isfinite(noise)) {
        nn_err_set(e, "%s: %s must be a number >= 0, not %g", name,
                   noise_name, (double)noise);
        return NULL;
    }
    return nn_data_new(name, n, d, k, e);
}

/* Samples in class c when n samples are shared between k classes as evenly
 * as possible (the first n % k classes get one more). */
static int class_size(int n, int k, int c)
{
    return n / k + (c < n % k);
}

/* Position i of m points spread evenly from 0 to 1 (0 when m == 1), like
 * numpy's linspace with its end point. */
static double linspace(int i, int m)
{
    return m > 1 ? (double)i / (m - 1) : 0.0;
}

/* Adds noise to every feature and shuffles the rows, which were written
 * class by class. */
static void finish(nn_data *data, float noise, nn_rng *rng)
{
    int d = data->d;
    if (noise > 0.0f)
        for (size_t i = 0; i < (size_t)data->n * (size_t)d; i++)
            data->x[i] += noise * nn_rng_normal(rng);
    for (int i = data->n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(rng, (uint32_t)i + 1);
        float *a = data->x + (size_t)i * (size_t)d;
        float *b = data->x + (size_t)j * (size_t)d;
        for (int f = 0; f < d; f++) {
            float t = a[f];
            a[f] = b[f];
            b[f] = t;
        }
        int t = data->y[i];
        data->y[i] = data->y[j];
        data->y[j] = t;
    }
}

nn_data *nn_gen_xor(int n, float noise, uint64_t seed, nn_err *e)
{
    nn_data *data = start("xor", n, 2, 2, noise, "noise", e);
    if (!data)
        return NULL;
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    /* Balanced: alternate classes; a point of class 0 lies in the first or
     * third quadrant, of class 1 in the second or fourth. Magnitudes are
     * uniform in [XOR_MARGIN, 1], so the classes are apart by a gap. */
    for (int i = 0; i < n; i++) {
        float sign = nn_rng_below(&rng, 2) ? 1.0f : -1.0f;
        float a = XOR_MARGIN + (1.0f - XOR_MARGIN) * nn_rng_uniform(&rng);
        float b = XOR_MARGIN + (1.0f - XOR_MARGIN) * nn_rng_uniform(&rng);
        data->y[i] = i % 2;
        data->x[2 * i] = sign * a;
        data->x[2 * i + 1] = (i % 2 ? -sign : sign) * b;
    }
    finish(data, noise, &rng);
    return data;
}

nn_data *nn_gen_moons(int n, float noise, uint64_t seed, nn_err *e)
{
    nn_data *data = start("moons", n, 2, 2, noise, "noise", e);
    if (!data)
        return NULL;
    /* As sklearn: the outer moon gets n/2 points on the upper half of the
     * unit circle, the inner moon the rest on a lower half circle shifted
     * to (1, 0.5). */
    int outer = n / 2, inner = n - outer;
    for (int i = 0; i < outer; i++) {
        double t = PI * linspace(i, outer);
        data->x[2 * i] = (float)cos(t);
        data->x[2 * i + 1] = (float)sin(t);
        data->y[i] = 0;
    }
    for (int i = 0; i < inner; i++) {
        double t = PI * linspace(i, inner);
        float *p = data->x + 2 * (size_t)(outer + i);
        p[0] = (float)(1.0 - cos(t));
        p[1] = (float)(0.5 - sin(t));
        data->y[outer + i] = 1;
    }
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    finish(data, noise, &rng);
    return data;
}

nn_data *nn_gen_circles(int n, float noise, float factor, uint64_t seed,
                        nn_err *e)
{
    if (!(factor > 0.0f && factor < 1.0f)) {
        nn_err_set(e, "circles: factor (the inner radius) must be between 0 "
                   "and 1, not %g", (double)factor);
        return NULL;
    }
    nn_data *data = start("circles", n, 2, 2, noise, "noise", e);
    if (!data)
        return NULL;
    /* As sklearn: n/2 points evenly around the unit circle, the rest around
     * the circle of radius `factor`, without repeating the end point. */
    int outer = n / 2, inner = n - outer;
    for (int i = 0; i < n; i++) {
        int in = i >= outer;
        int m = in ? inner : outer;
        double t = 2.0 * PI * (in ? i - outer : i) / m;
        double r = in ? factor : 1.0;
        data->x[2 * i] = (float)(r * cos(t));
        data->x[2 * i + 1] = (float)(r * sin(t));
        data->y[i] = in;
    }
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    finish(data, noise, &rng);
    return data;
}

nn_data *nn_gen_spirals(int n, int k, float noise, uint64_t seed, nn_err *e)
{
    if (k < 2) {
        nn_err_set(e, "spirals needs at least 2 arms, not %d", k);
        return NULL;
    }
    nn_data *data = start("spirals", n, 2, k, noise, "noise", e);
    if (!data)
        return NULL;
    /* Arm c: radius r from 0 to 1 while the angle turns once, starting at
     * 2*pi*c/k, so the arms interleave evenly. */
    int i = 0;
    for (int c = 0; c < k; c++) {
        int m = class_size(n, k, c);
        for (int j = 0; j < m; j++, i++) {
            double r = (j + 1.0) / m;
            double t = 2.0 * PI * ((double)c / k + r);
            data->x[2 * i] = (float)(r * cos(t));
            data->x[2 * i + 1] = (float)(r * sin(t));
            data->y[i] = c;
        }
    }
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    finish(data, noise, &rng);
    return data;
}

nn_data *nn_gen_blobs(int n, int k, int d, float spread, uint64_t seed,
                      nn_err *e)
{
    if (k < 1 || d < 1) {
        nn_err_set(e, "blobs needs at least 1 centre and 1 dimension, not %d "
                   "and %d", k, d);
        return NULL;
    }
    nn_data *data = start("blobs", n, d, k, spread, "spread", e);
    if (!data)
        return NULL;
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    /* Each sample starts at its class centre; finish() adds the spread. The
     * centres are drawn into the first k rows, then copied down from the
     * end so a centre is read before its row is overwritten. */
    for (int c = 0; c < k; c++)
        for (int f = 0; f < d; f++)
            data->x[(size_t)c * (size_t)d + (size_t)f] =
                20.0f * nn_rng_uniform(&rng) - 10.0f;
    int i = n;
    for (int c = k - 1; c >= 0; c--) {
        for (int j = class_size(n, k, c); j > 0; j--) {
            i--;
            for (int f = 0; f < d; f++)
                data->x[(size_t)i * (size_t)d + (size_t)f] =
                    data->x[(size_t)c * (size_t)d + (size_t)f];
            data->y[i] = c;
        }
    }
    finish(data, spread, &rng);
    return data;
}
