/* predict: the `predict net rows` command: the predicted class and
 * probabilities of literal rows or of the first `limit` samples of a data
 * set. */
#ifndef PREDICT_H
#define PREDICT_H

#include "builtin.h"

/* The predict family: its builtin, described in its table. */
extern const builtin_family predict_family;

#endif
