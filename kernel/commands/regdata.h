/* regdata: regression data sets in the cells: the generators line, plane
 * and sine (noisy targets with known truth, for teaching), and how a
 * regression set's target is described when a data set is shown.
 *
 * The generators are builtin run functions (see builtin.h): each returns a
 * new data value owned by the caller, or NULL with the error in run->e. */
#ifndef REGDATA_H
#define REGDATA_H

#include "builtin.h"
#include "nn_data.h"

/* The family: line(n, slope, intercept, noise, seed), plane(n, w1, w2, b,
 * noise, seed), sine(n, noise, seed). */
extern const builtin_family regdata_family;

/* "a continuous target 'y': mean 1.2, std 0.8, from -0.5 to 3.1" (per
 * target for several) in the original units. malloc'd; NULL on OOM. d must
 * be a regression set. */
char *regdata_target_line(const nn_data *d);

/* Target j of row i of a regression set, in its original units. */
float regdata_target(const nn_data *d, int i, int j);

#endif
