/* nn_lstsq: the exact least-squares fit of a linear model, computed by
 * LAPACK's sgelsd (in OpenBLAS), to show next to the weights gradient
 * descent finds. */
#ifndef NN_LSTSQ_H
#define NN_LSTSQ_H

#include "nn_data.h"
#include "nn_err.h"

/* Solves min ||X W^T + 1 b^T - T|| for a regression set: X its n x d
 * features, T its n x k targets (in the set's units, standardized or not).
 * Writes w (k x d, row-major, as a linear layer's weight) and b (k). The
 * minimum-norm solution when features are collinear. Returns 0, or -1 on
 * a classification set, fewer rows than d + 1, OOM or a LAPACK failure. */
int nn_lstsq(const nn_data *data, float *w, float *b, nn_err *e);

#endif
