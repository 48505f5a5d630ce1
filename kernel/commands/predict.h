/* predict: the `predict net rows` command: the predicted class and
 * probabilities of literal rows or of the first `limit` samples of a data
 * set. */
#ifndef PREDICT_H
#define PREDICT_H

#include "builtins.h"

/* Runs predict; none, or NULL with the error in x->e. */
value *predict_cmd(ev *x, const args *a);

#endif
