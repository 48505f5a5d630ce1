/* nn_norm: see nn_norm.h. */
#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "nn_norm.h"

/* Mean and biased variance of channel ch of x, two passes in double. */
static void channel_stats(const nn_norm_geom *g, int n, const float *x,
                          int ch, double *mean, double *var)
{
    size_t plane = (size_t)g->c * g->s;
    double sum = 0.0, sq = 0.0, m = (double)n * g->s;
    for (int i = 0; i < n; i++) {
        const float *p = x + i * plane + (size_t)ch * g->s;
        for (int j = 0; j < g->s; j++)
            sum += p[j];
    }
    *mean = sum / m;
    for (int i = 0; i < n; i++) {
        const float *p = x + i * plane + (size_t)ch * g->s;
        for (int j = 0; j < g->s; j++) {
            double d = p[j] - *mean;
            sq += d * d;
        }
    }
    *var = sq / m;
}

void nn_norm_forward(const nn_norm_geom *g, int n, int training,
                     const float *x, const float *gamma, const float *beta,
                     float *run_mean, float *run_var, float *y, float *xhat,
                     float *invstd)
{
    assert(g && g->c >= 1 && g->s >= 1 && n >= 1 && x && gamma && beta);
    assert(run_mean && run_var && y && xhat && invstd);
    size_t plane = (size_t)g->c * g->s;
    double m = (double)n * g->s;
    for (int ch = 0; ch < g->c; ch++) {
        double mean = run_mean[ch], var = run_var[ch];
        if (training) {
            channel_stats(g, n, x, ch, &mean, &var);
            double unbiased = m > 1 ? var * m / (m - 1) : var;
            run_mean[ch] = (float)((1.0 - NN_BN_MOMENTUM) * run_mean[ch]
                                   + NN_BN_MOMENTUM * mean);
            run_var[ch] = (float)((1.0 - NN_BN_MOMENTUM) * run_var[ch]
                                  + NN_BN_MOMENTUM * unbiased);
        }
        float is = (float)(1.0 / sqrt(var + NN_BN_EPS));
        float mu = (float)mean, ga = gamma[ch], be = beta[ch];
        invstd[ch] = is;
        for (int i = 0; i < n; i++) {
            size_t at = i * plane + (size_t)ch * g->s;
            for (int j = 0; j < g->s; j++) {
                float h = (x[at + j] - mu) * is;
                xhat[at + j] = h;
                y[at + j] = ga * h + be;
            }
        }
    }
}

void nn_norm_backward(const nn_norm_geom *g, int n, int training,
                      const float *gy, const float *xhat, const float *gamma,
                      const float *invstd, float *gx, float *ggamma,
                      float *gbeta)
{
    assert(g && g->c >= 1 && g->s >= 1 && n >= 1 && gy && xhat && gamma);
    assert(invstd && ggamma && gbeta);
    size_t plane = (size_t)g->c * g->s;
    double m = (double)n * g->s;
    for (int ch = 0; ch < g->c; ch++) {
        double sg = 0.0, sgh = 0.0;
        for (int i = 0; i < n; i++) {
            size_t at = i * plane + (size_t)ch * g->s;
            for (int j = 0; j < g->s; j++) {
                sg += gy[at + j];
                sgh += (double)gy[at + j] * xhat[at + j];
            }
        }
        ggamma[ch] = (float)sgh;
        gbeta[ch] = (float)sg;
        if (!gx)
            continue;
        float k = gamma[ch] * invstd[ch];
        float mg = training ? (float)(sg / m) : 0.0f;
        float mgh = training ? (float)(sgh / m) : 0.0f;
        for (int i = 0; i < n; i++) {
            size_t at = i * plane + (size_t)ch * g->s;
            for (int j = 0; j < g->s; j++)
                gx[at + j] = k * (gy[at + j] - mg - xhat[at + j] * mgh);
        }
    }
}
