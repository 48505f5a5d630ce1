/* nn_gen: synthetic two-dimensional (and blob) data sets, like sklearn's
 * make_moons/make_circles/make_blobs. Gaussian noise of standard deviation
 * `noise` is added to every coordinate. The same seed gives the same set.
 * Each returns a new data set (free with nn_data_free) or NULL with the
 * reason (n < 1, bad parameters, OOM). */
#ifndef NN_GEN_H
#define NN_GEN_H

#include <stdint.h>

#include "nn_data.h"
#include "nn_err.h"

/* XOR: points in [-1, 1]^2, label 1 when x1*x2 < 0. Each coordinate's
 * magnitude is uniform in [0.1, 1], leaving a margin around the axes (as
 * TensorFlow Playground's XOR) so that noise 0 is cleanly separable. */
nn_data *nn_gen_xor(int n, float noise, uint64_t seed, nn_err *e);

/* Two interleaving half circles. */
nn_data *nn_gen_moons(int n, float noise, uint64_t seed, nn_err *e);

/* A circle of radius 1 (class 0) around a circle of radius `factor`
 * (0 < factor < 1, class 1). */
nn_data *nn_gen_circles(int n, float noise, float factor, uint64_t seed,
                        nn_err *e);

/* k spiral arms (k >= 2), one class each. */
nn_data *nn_gen_spirals(int n, int k, float noise, uint64_t seed, nn_err *e);

/* k Gaussian blobs in d dimensions, centres uniform in [-10, 10]^d, each
 * of standard deviation `spread`. */
nn_data *nn_gen_blobs(int n, int k, int d, float spread, uint64_t seed,
                      nn_err *e);

/* Regression sets (nn_gen_reg.c): one target "y"; the noise is added to
 * the target, not the features. */

/* y = w . x + b + noise for n points with d = `d` features uniform in
 * [-1, 1]^d; w holds d coefficients. The set is named `name` ("line",
 * "plane"). */
nn_data *nn_gen_linear(const char *name, int n, int d, const float *w,
                       float b, float noise, uint64_t seed, nn_err *e);

/* y = sin(x) + noise for n points with x uniform in [-pi, pi]. */
nn_data *nn_gen_sine(int n, float noise, uint64_t seed, nn_err *e);

#endif
