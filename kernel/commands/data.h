/* data: the builtins that make data sets: generators (xor, moons,
 * circles, spirals, blobs), the bundled classic sets, CSV files, split and
 * standardize.
 *
 * Each is a builtin run function (see builtin.h): it returns a new data
 * value (or a list of them) owned by the caller, or NULL with the error in
 * run->e (a TypeError or ValueError at a wrong argument, the engine's
 * message as a ValueError, a MemoryError when memory runs out). */
#ifndef DATA_H
#define DATA_H

#include "builtin.h"

/* The data family: the generators xor(n, noise, seed), moons(n, noise,
 * seed), circles(n, noise, factor, seed), spirals(k, n, noise, seed),
 * blobs(k, d, n, spread, seed) (the same arguments give the same data);
 * iris, wine, breast_cancer, digits (the bundled set of that name);
 * csv(path, target) (a CSV file, the class in the column named or
 * numbered target, else the last); split(data, fraction, stratify, seed)
 * (a list of two data sets, the first with `fraction` of the samples,
 * both keeping the data's scaler); standardize(d1, d2, ...) (copies
 * standardized with the mean and std of the first: one set gives a data
 * value, several a list). */
extern const builtin_family data_family;

/* A new engine data set d as a new data value (d is taken over, freed on
 * failure); d NULL: the engine's error `err` raised as `kind` ("ValueError",
 * "OSError") at the call. NULL with the error set, or a MemoryError. */
value *data_wrap(lang_run *run, const args *a, nn_data *d,
                 const char *kind, const nn_err *err);

#endif
