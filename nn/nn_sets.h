/* nn_sets: the classic data sets bundled into the library (copied from
 * scikit-learn's data folder; citations in nn/datasets/README.md). */
#ifndef NN_SETS_H
#define NN_SETS_H

#include "nn_data.h"
#include "nn_err.h"

/* Names of the bundled sets, NULL-terminated: "iris", "wine",
 * "breast_cancer", "digits" (classification), "diabetes" (regression). */
extern const char *const nn_sets_names[];

/* One line describing a set: samples, features, classes and source. NULL
 * for an unknown name. */
const char *nn_sets_describe(const char *name);

/* Loads a bundled set by name. Returns a new data set, or NULL with "no
 * bundled data set 'x'" for an unknown name. */
nn_data *nn_sets_load(const char *name, nn_err *e);

#endif
