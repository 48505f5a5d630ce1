/* nn_metrics: classification metrics from true and predicted labels. */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "nn_err.h"

typedef struct nn_metrics {
    int k;                 /* classes */
    int n;                 /* samples */
    double accuracy;
    double log_loss;       /* NAN when no probabilities were given */
    /* Binary (k == 2): precision, recall and F1 of class 1.
     * Multi-class: the macro averages (mean over classes). */
    double precision, recall, f1;
    double *class_precision, *class_recall, *class_f1; /* k each */
    int *support;          /* k: true samples per class */
    int *confusion;        /* k*k, row = true class, column = predicted */
} nn_metrics;

/* Computes metrics for n samples of k classes from true labels `y` and
 * predicted labels `pred`. `prob` (n x k probabilities, or n x 1 for a
 * binary model's P(class 1)) may be NULL; `prob_width` is its width.
 * Precision of a class never predicted is 0, as sklearn's zero_division=0.
 * Returns 0, or -1 on OOM or a label out of range. Free with
 * nn_metrics_free(). */
int nn_metrics_compute(nn_metrics *mt, const int *y, const int *pred,
                       const float *prob, int prob_width, int n, int k,
                       nn_err *e);

void nn_metrics_free(nn_metrics *mt);

#endif
