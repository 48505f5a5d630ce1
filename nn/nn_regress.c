#include <assert.h>
#include <float.h>
#include <string.h>

#include "nn_regress.h"

static int is_regress_loss(const char *loss)
{
    return strcmp(loss, "mse") == 0 || strcmp(loss, "mae") == 0
           || strcmp(loss, "huber") == 0;
}

int nn_regress_check(const nn_model *m, const nn_data *data,
                     const char *loss, const char *end, nn_err *e)
{
    assert(m && data && loss && end);
    const char *name = data->name ? data->name : "the data";
    int out = nn_model_out(m);
    if (data->task != NN_TASK_REGRESS) {
        if (strcmp(loss, "mae") == 0 || strcmp(loss, "huber") == 0)
            return nn_err_set(e, "%s is a loss for continuous targets, but "
                              "'%s' has %d classes: use loss=\"auto\", or "
                              "read the data with task=\"regression\"",
                              loss, name, data->n_classes);
        return 0;
    }
    int k = data->n_targets;
    if (!is_regress_loss(loss))
        return nn_err_set(e, "%s is a loss for classes, but '%s' has a "
                          "continuous target: use loss=\"mse\" (or \"mae\", "
                          "\"huber\", \"auto\")", loss, name);
    if (strcmp(end, "softmax") == 0 || strcmp(end, "sigmoid") == 0)
        return nn_err_set(e, "net ends in %s, but '%s' has a continuous "
                          "target: end it with linear(%d), with no "
                          "activation after it", end, name, k);
    if (out != k)
        return nn_err_set(e, "net ends in %d output%s, but '%s' has %d "
                          "target%s: end it with linear(%d)", out,
                          out == 1 ? "" : "s", name, k, k == 1 ? "" : "s",
                          k);
    return 0;
}

double nn_regress_sse(const float *out, const float *t, int n, int k)
{
    assert(n >= 0 && k >= 1 && ((out && t) || n == 0));
    size_t cells = (size_t)n * (size_t)k;
    double sum = 0.0;
    for (size_t i = 0; i < cells; i++) {
        double d = (double)out[i] - t[i];
        sum += d * d;
    }
    return sum;
}

double nn_regress_sst(const nn_data *data)
{
    assert(data && data->task == NN_TASK_REGRESS);
    int k = data->n_targets;
    double total = 0.0;
    for (int j = 0; j < k; j++) {
        double mean = 0.0;
        for (int i = 0; i < data->n; i++)
            mean += data->t[(size_t)i * k + j];
        mean /= data->n > 0 ? data->n : 1;
        for (int i = 0; i < data->n; i++) {
            double d = data->t[(size_t)i * k + j] - mean;
            total += d * d;
        }
    }
    return total > DBL_MIN ? total : DBL_MIN;
}
