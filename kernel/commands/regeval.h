/* regeval: evaluate and predict on regression: the metrics (MSE, RMSE,
 * MAE, R2, per target for several), the predicted-vs-actual and residual
 * plots, the table of predicted values, and the errors when a net and a
 * data set disagree on the task (a confusion matrix of a continuous
 * target, a value regression of classes).
 *
 * Functions that fail fill run->e and return -1 or NULL. */
#ifndef REGEVAL_H
#define REGEVAL_H

#include "builtin.h"

/* 1 when evaluate or predict of net n on data d (NULL for literal rows)
 * is regression: the net was fit on a regression set, or d is one. */
int regeval_applies(const net_value *n, const nn_data *d);

/* -1 with a ValueError at the call saying why, when n and d do not agree
 * on the task (one predicts classes, the other has a continuous target,
 * or the net's outputs are not d's targets); else 0. `what` names the
 * command ("evaluate", "predict"). d may be NULL (literal rows). */
int regeval_check(lang_run *run, const args *a, const net_value *n,
                  nn_model *m, const nn_data *d, const char *what);

/* evaluate net n (model m) on d (d as the net sees it, `note` a line
 * about how it was standardized, or NULL): shows the metrics table, then
 * the predicted-vs-actual and residual plots of the first target, in the
 * original units (predictions unscaled with the scale of the targets the
 * net was fit on, d's targets with d's). Returns none, or NULL with the
 * error set. */
value *regeval_evaluate(lang_run *run, const args *a, const net_value *n,
                        nn_model *m, const nn_data *d, const char *note);

/* predict's value for a regression net: record_values of `rows` rows of
 * d inputs x and the net's k outputs `out`, in the units of the targets
 * it was fit on (names from them, else from `truth`, else y). A new
 * record, or NULL on OOM. */
value *regeval_value(const net_value *n, int k, const float *x, int rows,
                     int d, const nn_data *truth, const float *out);

/* The predicted values of `rows` rows as a table (row, input, [true],
 * predicted per target), in the units of the targets net n was fit on;
 * x are the inputs as shown (rows x d), out the net's outputs, truth the
 * data set given (a regression set) or NULL. Returns 0, or -1 on OOM
 * (both NULL). */
int regeval_predict_table(const net_value *n, int k, const float *x,
                          int rows, int d, const nn_data *truth,
                          const float *out, char **html, char **text);

#endif
