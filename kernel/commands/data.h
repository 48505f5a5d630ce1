/* data: the builtins that make data sets: generators (xor, moons,
 * circles, spirals, blobs), the bundled classic sets, CSV files, split and
 * standardize.
 *
 * Each is a builtin run function (see builtins.h): it returns a new data
 * value (or a list of them) owned by the caller, or NULL with the error in
 * x->e (a TypeError or ValueError at a wrong argument, the engine's
 * message as a ValueError, a MemoryError when memory runs out). */
#ifndef DATA_H
#define DATA_H

#include "builtins.h"

/* The generators: xor(n, noise, seed), moons(n, noise, seed),
 * circles(n, noise, factor, seed), spirals(k, n, noise, seed),
 * blobs(k, d, n, spread, seed). The same arguments give the same data. */
value *data_xor(ev *x, const args *a);
value *data_moons(ev *x, const args *a);
value *data_circles(ev *x, const args *a);
value *data_spirals(ev *x, const args *a);
value *data_blobs(ev *x, const args *a);

/* iris, wine, breast_cancer, digits: the set named like the builtin. */
value *data_bundled(ev *x, const args *a);

/* csv(path, target): a data set read from a CSV file, the class in the
 * column named (or numbered) target, else the last. */
value *data_csv(ev *x, const args *a);

/* split(data, fraction, stratify, seed): a list of two data sets, the
 * first with `fraction` of the samples; both keep the data's scaler. */
value *data_split(ev *x, const args *a);

/* standardize(d1, d2, ...): copies of the data sets standardized with the
 * mean and std of the first (one set alone gives a data value, several a
 * list). */
value *data_standardize(ev *x, const args *a);

#endif
