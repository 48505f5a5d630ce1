/* The regression generators of nn_gen.h. */
#include <math.h>
#include <stddef.h>

#include "nn_gen.h"
#include "nn_rng.h"

#define PI 3.14159265358979323846

/* A regression set of n samples and d features after checking n and the
 * noise. */
static nn_data *start(const char *name, int n, int d, float noise, nn_err *e)
{
    if (n < 2) {
        nn_err_set(e, "%s needs at least 2 samples, not %d", name, n);
        return NULL;
    }
    if (!(noise >= 0.0f) || !isfinite(noise)) {
        nn_err_set(e, "%s: noise must be a number >= 0, not %g", name,
                   (double)noise);
        return NULL;
    }
    return nn_data_new_regression(name, n, d, 1, e);
}

nn_data *nn_gen_linear(const char *name, int n, int d, const float *w,
                       float b, float noise, uint64_t seed, nn_err *e)
{
    nn_data *data = start(name, n, d, noise, e);
    if (!data)
        return NULL;
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    for (int i = 0; i < n; i++) {
        float *x = data->x + (size_t)i * (size_t)d;
        double y = b;
        for (int j = 0; j < d; j++) {
            x[j] = 2.0f * nn_rng_uniform(&rng) - 1.0f;
            y += (double)w[j] * x[j];
        }
        data->t[i] = (float)y + noise * nn_rng_normal(&rng);
    }
    return data;
}

nn_data *nn_gen_sine(int n, float noise, uint64_t seed, nn_err *e)
{
    nn_data *data = start("sine", n, 1, noise, e);
    if (!data)
        return NULL;
    nn_rng rng;
    nn_rng_seed(&rng, seed);
    for (int i = 0; i < n; i++) {
        float x = (float)(PI * (2.0 * nn_rng_uniform(&rng) - 1.0));
        data->x[i] = x;
        data->t[i] = sinf(x) + noise * nn_rng_normal(&rng);
    }
    return data;
}
