#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_metrics.h"

/* Probabilities are clipped to [EPS, 1 - EPS] before the logarithm, as
 * sklearn's log_loss did by default (eps=1e-15). */
#define EPS 1e-15

static int check_inputs(const int *y, const int *pred, const float *prob,
                        int prob_width, int n, int k, nn_err *e)
{
    if (n < 1)
        return nn_err_set(e, "metrics need at least one sample, not %d", n);
    if (k < 1)
        return nn_err_set(e, "metrics need at least one class, not %d", k);
    for (int i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= k)
            return nn_err_set(e, "sample %d: true label %d out of range: there "
                              "are %d classes", i + 1, y[i], k);
        if (pred[i] < 0 || pred[i] >= k)
            return nn_err_set(e, "sample %d: predicted label %d out of range: "
                              "there are %d classes", i + 1, pred[i], k);
    }
    if (!prob)
        return 0;
    if (prob_width != k && !(k == 2 && prob_width == 1))
        return nn_err_set(e, "probabilities have %d columns; %d classes need "
                          "%d%s", prob_width, k, k, k == 2 ? " or 1" : "");
    for (size_t i = 0; i < (size_t)n * (size_t)prob_width; i++)
        if (!isfinite(prob[i]))
            return nn_err_set(e, "sample %zu: a probability is not a finite "
                              "number", i / (size_t)prob_width + 1);
    return 0;
}

static double clip(double p)
{
    return p < EPS ? EPS : p > 1.0 - EPS ? 1.0 - EPS : p;
}

/* Mean of -log(probability of the true class), each row's clipped
 * probabilities renormalized to sum to 1, as sklearn. */
static double log_loss(const int *y, const float *prob, int width, int n)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        const float *row = prob + (size_t)i * (size_t)width;
        double p;
        if (width == 1) {
            p = clip(row[0]);
            p = y[i] == 1 ? p : 1.0 - p;
        } else {
            double sum = 0.0;
            for (int c = 0; c < width; c++)
                sum += clip(row[c]);
            p = clip(row[y[i]]) / sum;
        }
        total -= log(p);
    }
    return total / n;
}

static double ratio(int num, int den)
{
    return den > 0 ? (double)num / den : 0.0;
}

int nn_metrics_compute(nn_metrics *mt, const int *y, const int *pred,
                       const float *prob, int prob_width, int n, int k,
                       nn_err *e)
{
    memset(mt, 0, sizeof *mt);
    mt->log_loss = NAN;
    if (check_inputs(y, pred, prob, prob_width, n, k, e) < 0)
        return -1;
    size_t kk = (size_t)k;
    mt->class_precision = calloc(kk, sizeof(double));
    mt->class_recall = calloc(kk, sizeof(double));
    mt->class_f1 = calloc(kk, sizeof(double));
    mt->support = calloc(kk, sizeof(int));
    mt->confusion = calloc(kk * kk, sizeof(int));
    int *predicted = calloc(kk, sizeof(int));
    if (!mt->class_precision || !mt->class_recall || !mt->class_f1
        || !mt->support || !mt->confusion || !predicted) {
        free(predicted);
        nn_metrics_free(mt);
        return nn_err_oom(e, "metrics", kk * kk * sizeof(int) + kk * 32);
    }
    mt->k = k;
    mt->n = n;
    int correct = 0;
    for (int i = 0; i < n; i++) {
        mt->confusion[(size_t)y[i] * kk + (size_t)pred[i]]++;
        mt->support[y[i]]++;
        predicted[pred[i]]++;
        correct += y[i] == pred[i];
    }
    mt->accuracy = (double)correct / n;
    /* Macro averages run over the classes that occur in y or pred, as
     * sklearn's with labels left out. */
    int present = 0;
    for (int c = 0; c < k; c++) {
        int tp = mt->confusion[(size_t)c * kk + (size_t)c];
        double p = ratio(tp, predicted[c]), r = ratio(tp, mt->support[c]);
        mt->class_precision[c] = p;
        mt->class_recall[c] = r;
        mt->class_f1[c] = p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
        if (mt->support[c] + predicted[c] > 0) {
            present++;
            mt->precision += p;
            mt->recall += r;
            mt->f1 += mt->class_f1[c];
        }
    }
    if (k == 2) {
        mt->precision = mt->class_precision[1];
        mt->recall = mt->class_recall[1];
        mt->f1 = mt->class_f1[1];
    } else {
        mt->precision /= present;
        mt->recall /= present;
        mt->f1 /= present;
    }
    if (prob)
        mt->log_loss = log_loss(y, prob, prob_width, n);
    free(predicted);
    return 0;
}

void nn_metrics_free(nn_metrics *mt)
{
    if (!mt)
        return;
    free(mt->class_precision);
    free(mt->class_recall);
    free(mt->class_f1);
    free(mt->support);
    free(mt->confusion);
    mt->class_precision = mt->class_recall = mt->class_f1 = NULL;
    mt->support = mt->confusion = NULL;
}

void nn_regmetrics_free(nn_regmetrics *mt)
{
    if (!mt)
        return;
    free(mt->t_mse);
    mt->t_mse = mt->t_rmse = mt->t_mae = mt->t_r2 = NULL;
}

/* The metrics of target j into the per-target arrays. */
static void regmetrics_target(nn_regmetrics *mt, const float *t,
                              const float *pred, int j)
{
    int n = mt->n, k = mt->k;
    double mean = 0.0, sse = 0.0, sst = 0.0, abs = 0.0;
    for (int i = 0; i < n; i++)
        mean += t[(size_t)i * k + j];
    mean /= n;
    for (int i = 0; i < n; i++) {
        double y = t[(size_t)i * k + j];
        double d = (double)pred[(size_t)i * k + j] - y;
        sse += d * d;
        abs += fabs(d);
        sst += (y - mean) * (y - mean);
    }
    mt->t_mse[j] = sse / n;
    mt->t_rmse[j] = sqrt(sse / n);
    mt->t_mae[j] = abs / n;
    mt->t_r2[j] = sst > 0.0 ? 1.0 - sse / sst : sse == 0.0 ? 1.0 : 0.0;
}

int nn_regmetrics_compute(nn_regmetrics *mt, const float *t,
                          const float *pred, int n, int k, nn_err *e)
{
    memset(mt, 0, sizeof *mt);
    if (n < 1 || k < 1)
        return nn_err_set(e, "metrics need at least one sample and one "
                          "target (got %d and %d)", n, k);
    mt->n = n;
    mt->k = k;
    double *all = malloc((size_t)k * 4 * sizeof *all);
    if (!all)
        return nn_err_oom(e, "metrics", (size_t)k * 4 * sizeof *all);
    mt->t_mse = all;
    mt->t_rmse = all + k;
    mt->t_mae = all + 2 * k;
    mt->t_r2 = all + 3 * k;
    for (int j = 0; j < k; j++) {
        regmetrics_target(mt, t, pred, j);
        mt->mse += mt->t_mse[j] / k;
        mt->mae += mt->t_mae[j] / k;
        mt->r2 += mt->t_r2[j] / k;
    }
    mt->rmse = sqrt(mt->mse);
    return 0;
}
