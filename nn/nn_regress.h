/* nn_regress: what training needs to know about regression: whether a net
 * suits a regression set, and the squared-error sums R^2 is made of. */
#ifndef NN_REGRESS_H
#define NN_REGRESS_H

#include "nn_data.h"
#include "nn_err.h"
#include "nn_model.h"

/* Checks that model `m`, whose last layer is named `end` ("linear",
 * "softmax", ...), and the loss named `loss` ("mse", "mae", "huber",
 * "bce", "cross_entropy") suit `data`. On a regression set: a
 * regression loss, no final sigmoid/softmax, and as many outputs as
 * targets. On a classification set: no regression-only loss (mae,
 * huber). The message says how to fix it. Returns 0, or -1 with `e`. */
int nn_regress_check(const nn_model *m, const nn_data *data,
                     const char *loss, const char *end, nn_err *e);

/* Sum over the n x k values of (out - t)^2. */
double nn_regress_sse(const float *out, const float *t, int n, int k);

/* Total sum of squares of a regression set's targets: the sum over the
 * targets of sum_i (t_ij - mean_j)^2; at least DBL_MIN, so that dividing
 * by it is safe. */
double nn_regress_sst(const nn_data *data);

#endif
