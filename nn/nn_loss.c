#include <assert.h>
#include <math.h>
#include <stddef.h>

#include "nn_loss.h"
#include "nn_vmath.h"

float nn_loss_bce_logits(const float *z, const int *y, int n, float *grad)
{
    assert(n >= 0 && ((z && y) || n == 0));
    double sum = 0.0;
    float scale = 1.0f / (float)n;
    for (int i = 0; i < n; i++) {
        float x = z[i], t = (float)y[i], e = nn_vmath_exp(-fabsf(x));
        /* max(x, 0) - x t + log(1 + e^-|x|): no overflow for any x. */
        sum += (x > 0.0f ? x : 0.0f) - x * t + log1pf(e);
        if (grad) {
            float p = x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
            grad[i] = (p - t) * scale;
        }
    }
    return (float)(sum / n);
}

float nn_loss_ce_logits(const float *z, const int *y, int n, int k,
                        float *grad)
{
    assert(n >= 0 && k >= 1 && ((z && y) || n == 0));
    double sum = 0.0;
    float scale = 1.0f / (float)n;
    for (int i = 0; i < n; i++) {
        const float *row = z + (size_t)i * k;
        float max = row[0];
        for (int j = 1; j < k; j++)
            max = row[j] > max ? row[j] : max;
        float s = 0.0f;
        for (int j = 0; j < k; j++)
            s += nn_vmath_exp(row[j] - max);
        float lse = max + logf(s);
        sum += lse - row[y[i]];
        if (grad) {
            float *g = grad + (size_t)i * k;
            for (int j = 0; j < k; j++)
                g[j] = nn_vmath_exp(row[j] - lse) * scale;
            g[y[i]] -= scale;
        }
    }
    return (float)(sum / n);
}

float nn_loss_mse(const float *out, const int *y, int n, int k, float *grad)
{
    assert(n >= 0 && k >= 1 && ((out && y) || n == 0));
    double sum = 0.0;
    float scale = 2.0f / ((float)n * (float)k);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
            float t = k == 1 ? (float)y[i] : (float)(y[i] == j);
            float d = out[(size_t)i * k + j] - t;
            sum += (double)d * d;
            if (grad)
                grad[(size_t)i * k + j] = d * scale;
        }
    }
    return (float)(sum / ((double)n * k));
}

float nn_loss_mse_t(const float *out, const float *t, int n, int k,
                    float *grad)
{
    assert(n >= 0 && k >= 1 && ((out && t) || n == 0));
    size_t cells = (size_t)n * (size_t)k;
    double sum = 0.0;
    float scale = 2.0f / (float)cells;
    for (size_t i = 0; i < cells; i++) {
        float d = out[i] - t[i];
        sum += (double)d * d;
        if (grad)
            grad[i] = d * scale;
    }
    return (float)(sum / (double)cells);
}

float nn_loss_mae(const float *out, const float *t, int n, int k,
                  float *grad)
{
    assert(n >= 0 && k >= 1 && ((out && t) || n == 0));
    size_t cells = (size_t)n * (size_t)k;
    double sum = 0.0;
    float scale = 1.0f / (float)cells;
    for (size_t i = 0; i < cells; i++) {
        float d = out[i] - t[i];
        sum += fabsf(d);
        if (grad)
            grad[i] = d > 0.0f ? scale : d < 0.0f ? -scale : 0.0f;
    }
    return (float)(sum / (double)cells);
}

float nn_loss_huber(const float *out, const float *t, int n, int k,
                    float delta, float *grad)
{
    assert(n >= 0 && k >= 1 && delta > 0.0f && ((out && t) || n == 0));
    size_t cells = (size_t)n * (size_t)k;
    double sum = 0.0;
    float scale = 1.0f / (float)cells;
    for (size_t i = 0; i < cells; i++) {
        float d = out[i] - t[i];
        float a = fabsf(d);
        if (a < delta) {
            sum += 0.5 * (double)d * d;
            if (grad)
                grad[i] = d * scale;
        } else {
            sum += (double)delta * (a - 0.5 * delta);
            if (grad)
                grad[i] = (d > 0.0f ? delta : -delta) * scale;
        }
    }
    return (float)(sum / (double)cells);
}
