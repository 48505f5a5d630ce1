/* evaluate: the `evaluate net on data` command: accuracy, precision,
 * recall, F1 and log loss, the confusion matrix and, for 2-D data, the
 * decision boundary. */
#ifndef EVALUATE_H
#define EVALUATE_H

#include "builtin.h"

/* The evaluate family: its builtin, described in its table. */
extern const builtin_family evaluate_family;

#endif
