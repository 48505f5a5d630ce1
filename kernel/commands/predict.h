/* predict: the `predict net rows` command: the predicted class and
 * probabilities of literal rows or of the first `limit` samples of a data
 * set. */
#ifndef PREDICT_H
#define PREDICT_H

#include "builtin.h"

/* The predict family: its builtin, described in its table. */
extern const builtin_family predict_family;

/* Literal rows v ([[1, 2], [3, 4]] or one row [1, 2]), the argument
 * named "rows" of the running command: every row is checked (same width,
 * numbers within float range), the first `keep` (all when fewer) are
 * returned as a keep x d block, malloc'd for the caller; *n is set to how
 * many rows there are. NULL with a ValueError, ShapeError or TypeError at
 * that argument, or a MemoryError. (Used by trace too.) */
float *predict_literal_rows(lang_run *run, const args *a, const value *v,
                            int keep, int *n, int *d);

#endif
