/* The regression side of nn_data: float targets, their names and scale. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_data.h"

static char *dup_string(const char *s, nn_err *e)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (!copy)
        nn_err_oom(e, "a name", len);
    else
        memcpy(copy, s, len);
    return copy;
}

/* Allocates k targets for n rows, named `names` (copied) or "y"/"y1"...
 * Returns 0 or -1 (OOM; what was allocated is left for nn_data_free). */
static int alloc_targets(nn_data *d, int k, char *const *names, nn_err *e)
{
    size_t cells = (size_t)d->n * (size_t)k;
    d->task = NN_TASK_REGRESS;
    d->t = calloc(cells ? cells : 1, sizeof(float));
    d->target_names = calloc((size_t)k, sizeof(char *));
    if (!d->t || !d->target_names)
        return nn_err_oom(e, "the targets", cells * sizeof(float));
    d->n_targets = k;
    char buf[32];
    for (int j = 0; j < k; j++) {
        if (k == 1)
            snprintf(buf, sizeof buf, "y");
        else
            snprintf(buf, sizeof buf, "y%d", j + 1);
        d->target_names[j] = dup_string(names ? names[j] : buf, e);
        if (!d->target_names[j])
            return -1;
    }
    return 0;
}

nn_data *nn_data_new_regression(const char *name, int n, int d, int k,
                                nn_err *e)
{
    if (k < 1) {
        nn_err_set(e, "a regression set needs at least 1 target, got %d", k);
        return NULL;
    }
    if (nn_data_check_size(n, (double)d + k, e) < 0)
        return NULL;
    nn_data *data = nn_data_new(name, n, d, 1, e);
    if (data && alloc_targets(data, k, NULL, e) < 0) {
        nn_data_free(data);
        return NULL;
    }
    return data;
}

int nn_data_set_target_name(nn_data *data, int j, const char *name,
                            nn_err *e)
{
    if (j < 0 || j >= data->n_targets)
        return nn_err_set(e, "target %d out of range: data has %d targets",
                          j, data->n_targets);
    char *copy = dup_string(name, e);
    if (!copy)
        return -1;
    free(data->target_names[j]);
    data->target_names[j] = copy;
    return 0;
}

int nn_data_copy_targets(nn_data *out, const nn_data *from, const int *idx,
                         nn_err *e)
{
    if (from->task != NN_TASK_REGRESS)
        return 0;
    int k = from->n_targets;
    if (alloc_targets(out, k, from->target_names, e) < 0)
        return -1;
    for (int i = 0; i < out->n; i++) {
        size_t src = (size_t)(idx ? idx[i] : i) * (size_t)k;
        memcpy(out->t + (size_t)i * k, from->t + src, (size_t)k * sizeof(float));
    }
    if (from->t_mean) {
        out->t_mean = malloc((size_t)k * sizeof(float));
        out->t_std = malloc((size_t)k * sizeof(float));
        if (!out->t_mean || !out->t_std)
            return nn_err_oom(e, "the target scale", 2 * (size_t)k * 4);
        memcpy(out->t_mean, from->t_mean, (size_t)k * sizeof(float));
        memcpy(out->t_std, from->t_std, (size_t)k * sizeof(float));
    }
    return 0;
}

/* Mean and population deviation (two passes) of target j of `d`; a
 * deviation of 0 becomes 1. */
static void target_moments(const nn_data *d, int j, float *mean, float *std)
{
    int k = d->n_targets;
    double sum = 0.0, sq = 0.0;
    for (int i = 0; i < d->n; i++)
        sum += d->t[(size_t)i * k + j];
    double m = d->n > 0 ? sum / d->n : 0.0;
    for (int i = 0; i < d->n; i++) {
        double dev = d->t[(size_t)i * k + j] - m;
        sq += dev * dev;
    }
    double sd = d->n > 0 ? sqrt(sq / d->n) : 0.0;
    *mean = (float)m;
    *std = sd > 0.0 ? (float)sd : 1.0f;
}

int nn_data_standardize_targets(nn_data *data, const nn_data *fit, nn_err *e)
{
    assert(data && fit);
    if (data->task != NN_TASK_REGRESS || fit->task != NN_TASK_REGRESS)
        return nn_err_set(e, "only a regression set's targets can be "
                          "standardized");
    int k = data->n_targets;
    if (fit->n_targets != k || fit->n < 1)
        return nn_err_set(e, "cannot scale %d targets with a set of %d "
                          "targets and %d rows", k, fit->n_targets, fit->n);
    if (!data->t_mean) {
        data->t_mean = malloc((size_t)k * sizeof(float));
        data->t_std = malloc((size_t)k * sizeof(float));
        if (!data->t_mean || !data->t_std) {
            free(data->t_mean);
            free(data->t_std);
            data->t_mean = data->t_std = NULL;
            return nn_err_oom(e, "the target scale", 2 * (size_t)k * 4);
        }
        for (int j = 0; j < k; j++) {
            data->t_mean[j] = 0.0f;
            data->t_std[j] = 1.0f;
        }
    }
    for (int j = 0; j < k; j++) {
        float m, s;
        target_moments(fit, j, &m, &s);
        for (int i = 0; i < data->n; i++) {
            float *v = data->t + (size_t)i * k + j;
            *v = (*v - m) / s;
        }
        /* original = (t * s + m) * std + mean */
        data->t_mean[j] += m * data->t_std[j];
        data->t_std[j] *= s;
    }
    return 0;
}

void nn_data_unscale_targets(const nn_data *data, float *out, int n)
{
    assert(data && (out || n <= 0));
    if (!data->t_mean)
        return;
    int k = data->n_targets;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            float *v = out + (size_t)i * k + j;
            *v = *v * data->t_std[j] + data->t_mean[j];
        }
}
