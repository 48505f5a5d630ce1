/* evaluate: the `evaluate net on data` command: accuracy, precision,
 * recall, F1 and log loss, the confusion matrix and, for 2-D data, the
 * decision boundary. */
#ifndef EVALUATE_H
#define EVALUATE_H

#include "builtins.h"

/* Runs evaluate; none, or NULL with the error in x->e. */
value *evaluate_cmd(ev *x, const args *a);

#endif
