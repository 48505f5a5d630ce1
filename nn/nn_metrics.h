/* nn_metrics: classification metrics from true and predicted labels, and
 * regression metrics from true and predicted values. */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "nn_err.h"

typedef struct nn_metrics {
    int k;                 /* classes */
    int n;                 /* samples */
    double accuracy;
    double log_loss;       /* NAN when no probabilities were given */
    /* Binary (k == 2): precision, recall and F1 of class 1.
     * Multi-class: the macro averages (mean over classes), taken over the
     * classes that occur in the true or predicted labels, as sklearn's
     * default. */
    double precision, recall, f1;
    double *class_precision, *class_recall, *class_f1; /* k each */
    int *support;          /* k: true samples per class */
    int *confusion;        /* k*k, row = true class, column = predicted */
} nn_metrics;

/* Computes metrics for n samples of k classes from true labels `y` and
 * predicted labels `pred`. `prob` (n x k probabilities, or n x 1 for a
 * binary model's P(class 1)) may be NULL; `prob_width` is its width.
 * Precision of a class never predicted is 0, as sklearn's zero_division=0.
 * The log loss clips probabilities to [1e-15, 1 - 1e-15] and renormalizes
 * each row, as sklearn's log_loss(eps=1e-15).
 * Returns 0, or -1 on OOM, n < 1, k < 1, a label out of range, a bad
 * prob_width or a non-finite probability. Free with
 * nn_metrics_free(). */
int nn_metrics_compute(nn_metrics *mt, const int *y, const int *pred,
                       const float *prob, int prob_width, int n, int k,
                       nn_err *e);

/* Frees the arrays inside `mt` (not `mt` itself) and sets them to NULL;
 * safe after a failed nn_metrics_compute, which leaves them NULL. */
void nn_metrics_free(nn_metrics *mt);

/* Regression metrics, overall and per target. */
typedef struct nn_regmetrics {
    int k;                /* targets */
    int n;                /* samples */
    /* Over all targets: means over the n x k values; r2 is the mean of
     * the per-target R^2 (sklearn's "uniform_average"). */
    double mse, rmse, mae, r2;
    double *t_mse, *t_rmse, *t_mae, *t_r2; /* k each */
} nn_regmetrics;

/* Computes MSE, RMSE, MAE and R^2 (1 - SSE/SST per target; for a constant
 * target, as sklearn: 1 for an exact fit, else 0) of n
 * rows of k predictions `pred` against targets `t` (both n x k). Returns
 * 0, or -1 on n < 1, k < 1 or OOM. Free with nn_regmetrics_free(). */
int nn_regmetrics_compute(nn_regmetrics *mt, const float *t,
                          const float *pred, int n, int k, nn_err *e);

/* Frees the arrays inside `mt` and sets them to NULL. */
void nn_regmetrics_free(nn_regmetrics *mt);

#endif
